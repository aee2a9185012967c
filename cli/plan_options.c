#include <math.h>
#include <stdio.h>
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
    if ((o->req.mode != PLAN_LAYERS && o->req.mode != mode) || o->layers)
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
    if (strcmp(arg, "--layers") == 0) {
        if (o->req.mode != PLAN_LAYERS)
            return cli_error(-1, "--layers contradicts another planning option");
        o->layers = 1;
        return 1;
    }
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
    if ((r = cli_option_value(argc, argv, i, "--target", &o->target_name)) != 0)
        return r;
    if ((r = cli_option_value(argc, argv, i, "--ram-total", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_size(value, &o->ram_total))
            return cli_error(-1, "--ram-total takes " SIZE_FORMS ", not '%s'", value);
        o->have_ram_total = 1;
        return 1;
    }
    if ((r = cli_option_value(argc, argv, i, "--flash", &value)) != 0) {
        if (r < 0)
            return -1;
        if (parse_size(value, &o->flash_total))
            return cli_error(-1, "--flash takes " SIZE_FORMS ", not '%s'", value);
        o->have_flash = 1;
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

/* The board of --target or --ram-total [--flash]; -1 with a message. */
static int set_board(plan_options *o)
{
    if (o->target_name && o->have_ram_total)
        return cli_error(-1, "--target and --ram-total both name the board: choose one");
    if (o->have_flash && !o->target_name && !o->have_ram_total)
        return cli_error(-1, "--flash goes with --ram-total (or --target)");
    if (!o->target_name && !o->have_ram_total)
        return 0;
    const board_target *t = board_target_find(o->target_name ? o->target_name : DEFAULT_TARGET);
    if (!t)
        return cli_error(-1, "--target takes one of %s, not '%s'", board_target_names(), o->target_name);
    o->board = (board_budget){o->target_name ? t->name : "board", t, o->target_name ? t->ram : o->ram_total,
                              o->target_name ? t->flash : 0};
    if (o->have_flash)
        o->board.flash = o->flash_total;
    o->have_board = 1;
    /* A named board has a time model: plan in its predicted instructions. */
    int target = o->target_name ? time_target_named(t->name) : -1;
    o->req.by_time = target >= 0;
    o->req.target = target >= 0 ? (time_target)target : TIME_M4;
    return 0;
}

int plan_options_check(plan_options *o)
{
    if (set_board(o))
        return -1;
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

int plan_choose(msf_graph *g, const plan_options *o, built_plan *bp)
{
    plan_request r = o->req;
    int from_board = o->have_board && r.mode == PLAN_LAYERS && !o->layers;
    if (from_board) {
        r.mode = PLAN_MIN_MACS;
        r.max_ram = fit_arena_budget(g, r.streamed, &o->board);
    }
    plan_path path;
    char msg[512];
    int s = plan_select(g, &r, bp, &path, msg, sizeof msg);
    plan_path_free(&path);
    int rc = plan_exit(s, msg);
    if (s == PLAN_POLICY_INFEASIBLE && from_board)
        fprintf(stderr, "  (%s: %llu B of RAM less the fused-block stack, %u B, and other static RAM)\n",
                o->board.name, (unsigned long long)o->board.ram, o->board.target->stack_fused);
    if (s == PLAN_POLICY_INFEASIBLE && r.mode == PLAN_MIN_MACS)
        rc = infeasible_report(g, &r, r.max_ram);
    return rc;
}

void plan_options_print_fit(const plan_options *o, msf_graph *g, const built_plan *bp)
{
    if (!o->have_board)
        return;
    const msf_plan *plan = &bp->plan;
    if (o->req.by_time) {
        uint64_t insns = time_blocks(o->req.target, g, bp->costs, plan->n_blocks);
        uint64_t layers = time_layers(o->req.target, g, plan->streamed);
        printf("%s: instructions predicted %llu, layer by layer %llu (overhead %.4f)\n", o->board.name,
               (unsigned long long)insns, (unsigned long long)layers, (double)insns / (double)layers);
    }
    board_need need = fit_need(g, plan, &o->board);
    char line[256];
    fit_line(&need, &o->board, line, sizeof line);
    printf("%s: %s (RAM: arena %llu + stack %llu + static %llu = %llu of %llu B; flash %llu B)\n", o->board.name,
           line, (unsigned long long)need.arena, (unsigned long long)need.stack,
           (unsigned long long)need.static_other, (unsigned long long)need.ram, (unsigned long long)o->board.ram,
           (unsigned long long)need.flash.total);
    if (need.ram > o->board.ram && o->req.mode == PLAN_MIN_RAM)
        infeasible_overhead_hint(g, &o->req, fit_arena_budget(g, plan->streamed, &o->board));
}

int plan_layout_error(int layout_rc)
{
    char msg[512];
    return plan_exit(plan_layout_status(layout_rc, msg, sizeof msg), msg);
}
