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

/* --max-macs of the command line cli_parse_args read, for cli_load_model
 * (which the commands call with the model alone). */
static uint64_t load_max_macs = DEFAULT_MAX_MACS;

/* MACs per inference, operators without MACs (pools, adds, pads, copies)
 * counted one per output element so that none runs for free; saturated. */
static uint64_t model_work(const msf_graph *g)
{
    uint64_t sum = 0;
    for (int32_t o = 0; o < g->model.n_ops; o++) {
        uint64_t work = g->op_macs[o] ? g->op_macs[o] : (uint64_t)msf_elements(&g->tensors[g->ops[o].output]);
        sum = work > UINT64_MAX - sum ? UINT64_MAX : sum + work;
    }
    return sum;
}

/* The limits a loaded model must meet; an exit code, message printed. */
static int check_limits(msf_graph *g, uint64_t max_macs)
{
    uint64_t work = model_work(g);
    if (work > max_macs)
        return cli_error(EXIT_BAD_INPUT,
                         "the model needs %llu MACs per inference (operators without MACs counted one per output "
                         "element), over the limit of %llu: raise it with --max-macs N",
                         (unsigned long long)work, (unsigned long long)max_macs);
    /* Streaming both ends gives the smallest layer-by-layer arena. */
    built_plan bp;
    int rc = plan_build_layers(g, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, &bp);
    if (rc != LAYOUT_OK)
        return plan_layout_error(rc);
    built_plan_free(&bp);
    return EXIT_OK;
}

int cli_load_model(const char *path, msf_graph *g)
{
    char err[2048];
    if (graph_load(path, g, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    int rc = check_limits(g, load_max_macs);
    if (rc != EXIT_OK)
        graph_free(g);
    return rc;
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
    load_max_macs = plan->req.max_macs;
    return 0;
}
