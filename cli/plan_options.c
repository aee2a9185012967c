#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_units.h"
#include "infeasible.h"
#include "plan_options.h"

void plan_options_init(plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->req.max_overhead = INFINITY;
    o->req.max_macs = DEFAULT_MAX_MACS;
}

static int set_mode(plan_options *o, plan_mode mode, const char *flag)
{
    if (o->req.mode != PLAN_LAYERS && o->req.mode != mode)
        return cli_error(-1, "%s contradicts another planning option", flag);
    o->req.mode = mode;
    return 1;
}

int plan_options_parse(int argc, char **argv, int *i, plan_options *o)
{
    const char *arg = argv[*i], *value;
    int r;
    if (strcmp(arg, "--min-ram") == 0)
        return set_mode(o, PLAN_MIN_RAM, arg);
    if (strcmp(arg, "--min-macs") == 0)
        return set_mode(o, PLAN_MIN_MACS, arg);
    if (strcmp(arg, "--pareto") == 0)
        return set_mode(o, PLAN_PARETO, arg);
    if (strcmp(arg, "--streamed-input") == 0 || strcmp(arg, "--streamed-output") == 0) {
        o->req.streamed |= arg[11] == 'i' ? MSF_STREAM_INPUT : MSF_STREAM_OUTPUT;
        return 1;
    }
    if (strcmp(arg, "--input-rows") == 0) {
        o->req.streamed |= MSF_STREAM_INPUT_ROWS;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--max-overhead", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_overhead(value, &o->req.max_overhead))
            return cli_error(-1, "--max-overhead takes a factor >= 1, a percentage or inf (e.g. 1.2, 20%%), not '%s'",
                             value);
        o->have_max_overhead = 1;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--max-ram", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_size(value, &o->req.max_ram))
            return cli_error(-1, "--max-ram takes " SIZE_FORMS ", not '%s'", value);
        o->have_max_ram = 1;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--max-macs", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_count(value, &o->req.max_macs))
            return cli_error(-1, "--max-macs takes a count of MACs (e.g. 20000000000 or 20G), not '%s'", value);
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--plan", &value)) != 0) {
        if (r < 0)
            return -1;
        o->req.plan_file = value;
        return set_mode(o, PLAN_FILE, "--plan");
    }
    return 0;
}

int plan_options_check(const plan_options *o)
{
    if (o->req.mode == PLAN_MIN_MACS && !o->have_max_ram)
        return cli_error(-1, "--min-macs needs --max-ram SIZE");
    if (o->have_max_ram && o->req.mode != PLAN_MIN_MACS)
        return cli_error(-1, "--max-ram goes with --min-macs");
    if (o->have_max_overhead && o->req.mode != PLAN_MIN_RAM)
        return cli_error(-1, "--max-overhead goes with --min-ram");
    if ((o->req.streamed & MSF_STREAM_INPUT) && (o->req.streamed & MSF_STREAM_INPUT_ROWS))
        return cli_error(-1, "--streamed-input and --input-rows are two ways of streaming the input: choose one");
    if (o->req.mode == PLAN_FILE && o->req.streamed)
        return cli_error(-1, "streaming is recorded in the plan file; leave out --streamed-* with --plan");
    return 0;
}

int plan_exit(int status, const char *msg)
{
    if (status == PLAN_POLICY_OK)
        return EXIT_OK;
    int code = status == PLAN_POLICY_INFEASIBLE ? EXIT_INFEASIBLE
               : status == PLAN_POLICY_FAILED   ? EXIT_RUNTIME
                                                : EXIT_BAD_INPUT;
    return cli_error(code, "%s", msg);
}

int plan_choose(msf_graph *g, const plan_request *r, built_plan *bp)
{
    plan_path path;
    char msg[512];
    int s = plan_select(g, r, bp, &path, msg, sizeof msg);
    plan_path_free(&path);
    int rc = plan_exit(s, msg);
    if (s == PLAN_POLICY_INFEASIBLE && r->mode == PLAN_MIN_MACS)
        rc = infeasible_report(g, r, r->max_ram);
    return rc;
}

int plan_layout_error(int layout_rc)
{
    char msg[512];
    return plan_exit(plan_layout_status(layout_rc, msg, sizeof msg), msg);
}
