#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plan_options.h"

void plan_options_init(plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->req.max_overhead = INFINITY;
    o->req.max_macs = DEFAULT_MAX_MACS;
}

int parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t unit = 1;
    if (strcmp(end, "kB") == 0)
        unit = 1000;
    else if (strcmp(end, "KiB") == 0)
        unit = 1024;
    else if (*end != '\0' && strcmp(end, "B") != 0)
        return -1;
    if (errno || v > UINT64_MAX / unit)
        return -1;
    *bytes = (uint64_t)v * unit;
    return 0;
}

/* A count from "123", "10k", "200M" or "10G" (x1000 each); -1 if malformed. */
static int parse_count(const char *s, uint64_t *count)
{
    static const char units[] = "kMG";
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    const char *unit = *end ? strchr(units, *end) : NULL;
    if (errno || (*end && (!unit || end[1] != '\0')))
        return -1;
    for (const char *u = units; unit && u <= unit; u++) {
        if (v > UINT64_MAX / 1000)
            return -1;
        v *= 1000;
    }
    *count = (uint64_t)v;
    return 0;
}

int parse_overhead(const char *s, double *f)
{
    char *end;
    if (strcmp(s, "inf") == 0 || strcmp(s, "Inf") == 0) {
        *f = INFINITY;
        return 0;
    }
    errno = 0;
    *f = strtod(s, &end);
    return errno || *end != '\0' || !(*f >= 1.0) || isinf(*f) ? -1 : 0;
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
            return cli_error(-1, "--max-overhead takes a number >= 1 or inf, not '%s'", value);
        o->have_max_overhead = 1;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--max-ram", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_size(value, &o->req.max_ram))
            return cli_error(-1, "--max-ram takes bytes, kB or KiB (e.g. 65536, 64kB, 64KiB), not '%s'",
                             value);
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
    if ((r = cli_option_value(argc, argv, i, "--cost", &value)) != 0) {
        if (r < 0)
            return -1;
        if (strcmp(value, "exact") != 0 && strcmp(value, "msfcnn") != 0)
            return cli_error(-1, "--cost takes exact or msfcnn, not '%s'", value);
        o->cost = strcmp(value, "msfcnn") == 0 ? COST_MSFCNN : COST_EXACT;
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
    if (o->cost == COST_MSFCNN && (o->req.streamed || o->req.mode == PLAN_FILE))
        return cli_error(-1, "--cost msfcnn never counts the network input and makes no plan file; "
                             "leave out --streamed-input and --plan");
    return 0;
}

int plan_exit(int status, const char *msg)
{
    if (status == PLAN_POLICY_OK)
        return EXIT_OK;
    int code = status == PLAN_POLICY_INFEASIBLE || status == PLAN_POLICY_FAILED ? EXIT_RUNTIME : EXIT_BAD_INPUT;
    return cli_error(code, "%s", msg);
}

int plan_layout_error(int layout_rc)
{
    char msg[512];
    return plan_exit(plan_layout_status(layout_rc, msg, sizeof msg), msg);
}
