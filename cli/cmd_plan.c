#define _POSIX_C_SOURCE 200809L /* open_memstream */
/* msf plan: choose where to fuse (P1, P2 or the Pareto front) and report
 * the plan next to the baselines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines.h"
#include "cli_args.h"
#include "plan_file.h"
#include "plan_msfcnn.h"
#include "plan_options.h"
#include "plan_pareto.h"

static const char plan_usage[] =
    "usage: msf plan MODEL (--min-ram [--max-overhead F|N%] | --min-macs --max-ram SIZE | --pareto)\n"
    "                [--target m4|m7|rv32 | --ram-total SIZE [--flash SIZE]]\n"
    "                [--streamed-input | --input-rows] [--streamed-output] [--cost exact|msfcnn]\n"
    "                [-o FILE] [--json] [--plot FILE.png|FILE.svg]\n"
    "\n"
    "Finds where to fuse layers into blocks (line buffers: no recompute; msf-CNN's\n"
    "H-cache: recompute) and prints the blocks with their scheme, RAM and MACs, the\n"
    "peak RAM, the MACs and the overhead factor, next to layer-by-layer execution,\n"
    "the MCUNetV2 heuristic (only the block at the network input fused) and the least\n"
    "peak RAM in msf-CNN's space (H-cache only, at any MACs). RAM is every arena byte\n"
    "the runtime uses.\n"
    "\n" PLAN_OPTIONS_HELP
    "  --cost exact|msfcnn           exact (default): the bytes and MACs the runtime uses;\n"
    "                                msfcnn: msf-CNN's analytic accounting (nothing to run)\n"
    "  --pareto                      the whole front of (peak RAM, MACs), as CSV; with --target\n"
    "                                NAME, of (peak RAM, instructions predicted there)\n"
    "  -o FILE                       write the plan (JSON, for msf run --plan) or the CSV\n"
    "  --json                        print the plan as one JSON object\n"
    "  --plot FILE.png|FILE.svg      with --pareto: plot the front (gnuplot)\n";

typedef struct {
    const char *model, *output, *plot, *cost;
    int json;
    int msfcnn; /* --cost msfcnn */
    plan_options plan;
} plan_args;

static int parse_args(int argc, char **argv, plan_args *a)
{
    memset(a, 0, sizeof *a);
    const cli_value_option values[] = {
        {"-o", &a->output}, {"--plot", &a->plot}, {"--cost", &a->cost}, {NULL, NULL}};
    if (cli_parse_args(argc, argv, plan_usage, values, &a->model, &a->json, &a->plan))
        return -1;
    if (a->cost && strcmp(a->cost, "exact") != 0 && strcmp(a->cost, "msfcnn") != 0)
        return cli_error(EXIT_BAD_INPUT, "--cost takes exact or msfcnn, not '%s'", a->cost);
    a->msfcnn = a->cost && strcmp(a->cost, "msfcnn") == 0;
    if (plan_options_check(&a->plan))
        return -1;
    if ((a->plan.req.mode == PLAN_LAYERS && !a->plan.have_board && !a->plan.layers) || a->plan.req.mode == PLAN_FILE)
        return cli_error(EXIT_BAD_INPUT, "choose --min-ram, --min-macs, --pareto, --layers or a board (--target NAME)");
    if (a->plot && a->plan.req.mode != PLAN_PARETO)
        return cli_error(EXIT_BAD_INPUT, "--plot goes with --pareto");
    if (a->plot && !pareto_plot_terminal(a->plot))
        return cli_error(EXIT_BAD_INPUT, "--plot takes FILE.png or FILE.svg, not '%s'", a->plot);
    if (a->msfcnn && (a->output || a->plot))
        return cli_error(EXIT_BAD_INPUT, "-o and --plot go with --cost exact (msfcnn is analytic: no plan file)");
    if (a->msfcnn && a->plan.req.streamed)
        return cli_error(EXIT_BAD_INPUT, "--cost msfcnn never counts the network input; leave out --streamed-*");
    if (a->msfcnn && a->plan.have_board)
        return cli_error(EXIT_BAD_INPUT, "--cost msfcnn lays out no arena: it cannot be fitted to a board");
    if (a->plan.req.mode == PLAN_PARETO && a->plan.have_board && !a->plan.req.by_time)
        return cli_error(EXIT_BAD_INPUT, "--pareto shows every plan: leave out the board (msf report draws both)");
    if (a->plan.req.mode == PLAN_PARETO && a->plan.req.by_time && a->plot)
        return cli_error(EXIT_BAD_INPUT, "--plot draws the front in MACs: leave out --target");
    return 0;
}

/* With a target: each block's predicted instructions as a last column. */
static void print_human(const msf_graph *g, const built_plan *bp, const baseline_set *base, const plan_request *r)
{
    printf("%5s  %-9s %-34s %12s %12s", "block", "layers", "ops", "RAM (B)", "MACs");
    if (r->by_time)
        printf(" %14s", "instructions");
    printf("\n");
    for (int32_t i = 0; i < bp->plan.n_blocks; i++) {
        const block_cost *c = &bp->costs[i];
        char range[24], ops[96];
        snprintf(range, sizeof range, "%d-%d", c->first_op, c->last_op);
        if (c->first_op == c->last_op)
            snprintf(ops, sizeof ops, "%s%s", tflite_op_name(g->tfl.ops[c->first_op].opcode),
                     c->scheme == MSF_SCHEME_INPLACE ? " in place" : "");
        else
        {
            char scheme[32];
            block_scheme_label(c->scheme, c->tile, scheme, sizeof scheme);
            snprintf(ops, sizeof ops, "fused, %d ops, %s%s", c->last_op - c->first_op + 1, scheme,
                     c->over_input ? " in place" : "");
        }
        printf("%5d  %-9s %-34s %12llu %12llu", i, range, ops, (unsigned long long)c->ram,
               (unsigned long long)c->macs);
        if (r->by_time)
            printf(" %14llu", (unsigned long long)time_block(r->target, g, c));
        printf("\n");
    }
    printf("\n%-24s %14s %14s %9s\n", "setting", "peak RAM (B)", "MACs", "overhead");
    const setting rows[4] = {base->vanilla, base->mcunetv2, base->hcache, {bp->plan.arena_bytes, bp->macs}};
    const char *names[4] = {"layer by layer", "MCUNetV2 heuristic", "msf-CNN space (H-cache)", "msf (this plan)"};
    for (int i = 0; i < 4; i++)
        printf("%-24s %14u %14llu %9.4f\n", names[i], rows[i].peak_ram, (unsigned long long)rows[i].macs,
               (double)rows[i].macs / (double)base->vanilla.macs);
    int in = bp->plan.streamed;
    printf("\ninput %s, output %s\n",
           in & MSF_STREAM_INPUT_ROWS ? "a row at a time (its rows buffer counted)"
           : in & MSF_STREAM_INPUT    ? "streamed (not counted)"
                                      : "held in the arena (counted)",
           in & MSF_STREAM_OUTPUT ? "streamed (not counted)" : "held in the arena (counted)");
}

/* The plan document into a string, for stdout or a file. */
static char *plan_document(const msf_graph *g, const built_plan *bp, const baseline_set *b, const plan_request *r)
{
    char base[384];
    snprintf(base, sizeof base,
             "{\"vanilla\":{\"peak_ram\":%u,\"macs\":%llu},\"mcunetv2\":{\"peak_ram\":%u,\"macs\":%llu},"
             "\"msfcnn_space\":{\"peak_ram\":%u,\"macs\":%llu}}",
             b->vanilla.peak_ram, (unsigned long long)b->vanilla.macs, b->mcunetv2.peak_ram,
             (unsigned long long)b->mcunetv2.macs, b->hcache.peak_ram, (unsigned long long)b->hcache.macs);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    plan_json_write(f, g, bp, b->vanilla.macs, r->by_time ? &r->target : NULL, base);
    fclose(f);
    return text;
}

static int one_plan(const plan_args *a, msf_graph *g)
{
    built_plan bp;
    int rc = plan_choose(g, &a->plan, &bp);
    if (rc != EXIT_OK)
        return rc;
    baseline_set base;
    char *doc = NULL;
    int layout = baselines_of(g, a->plan.req.streamed, &base);
    if (layout != LAYOUT_OK)
        rc = plan_layout_error(layout);
    else if (!(doc = plan_document(g, &bp, &base, &a->plan.req)))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    else if (a->output)
        rc = cli_write_output(a->output, doc, strlen(doc), &a->model, 1);
    else if (a->json)
        fputs(doc, stdout);
    else
        print_human(g, &bp, &base, &a->plan.req);
    if (rc == EXIT_OK && !a->json)
        plan_options_print_fit(&a->plan, g, &bp);
    free(doc);
    built_plan_free(&bp);
    return rc;
}

int cmd_plan(int argc, char **argv)
{
    plan_args a;
    if (parse_args(argc, argv, &a))
        return cli_usage_hint("plan");
    msf_graph g;
    if (cli_load_model(a.model, &g))
        return EXIT_BAD_INPUT;
    char msg[512];
    int rc = plan_exit(plan_streaming_check(&g, a.plan.req.streamed, msg, sizeof msg), msg);
    if (rc == EXIT_OK)
        rc = a.msfcnn                         ? cmd_plan_msfcnn(&a.plan.req, a.json, &g)
             : a.plan.req.mode == PLAN_PARETO ? cmd_pareto(a.output, a.plot, &g, a.plan.req.streamed,
                                                           a.plan.req.by_time ? &a.plan.req.target : NULL, &a.model, 1)
                                              : one_plan(&a, &g);
    graph_free(&g);
    return rc;
}
