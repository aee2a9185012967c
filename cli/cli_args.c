/* The arguments msf plan, run and gen share: MODEL, the planning options,
 * --json, --help, and each command's own valued options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"

/* One valued option of the list, if argv[*i] is one: 1, 0, or -1. */
static int value_option(int argc, char **argv, int *i, const cli_value_option *values)
{
    for (; values && values->flag; values++) {
        int r = cli_option_value(argc, argv, i, values->flag, values->value);
        if (r != 0)
            return r;
    }
    return 0;
}

int cli_load_model(const char *path, msf_graph *g)
{
    char err[512];
    return graph_load(path, g, err, sizeof err) ? cli_error(EXIT_BAD_INPUT, "%s", err) : EXIT_OK;
}

int cli_parse_args(int argc, char **argv, const char *usage, const cli_value_option *values, const char **model,
                   int *json, plan_options *plan)
{
    *model = NULL;
    plan_options_init(plan);
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            exit(EXIT_OK);
        } else if ((r = value_option(argc, argv, &i, values)) != 0 || (r = plan_options_parse(argc, argv, &i, plan)) != 0) {
            if (r < 0)
                return -1;
        } else if (json && strcmp(argv[i], "--json") == 0) {
            *json = 1;
        } else if (argv[i][0] == '-' || *model) {
            return cli_error(EXIT_BAD_INPUT, "unexpected argument '%s'", argv[i]);
        } else {
            *model = argv[i];
        }
    }
    if (!*model)
        return cli_error(EXIT_BAD_INPUT, "no MODEL given");
    return 0;
}
