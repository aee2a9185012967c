#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "infeasible.h"

/* The least arena of g streamed as `streamed`, and its MACs: P1 without a
 * MAC bound (within --max-macs). 0 when found, -1 when the model cannot be
 * streamed so or no plan is within the limits. */
static int least_ram(msf_graph *g, const plan_request *r, int streamed, uint32_t *ram, uint64_t *macs)
{
    return plan_least_ram(g, streamed, SPACE_MSF, INFINITY, r->max_macs, ram, macs) == PLAN_POLICY_OK ? 0 : -1;
}

/* The options that ask for a way of streaming, as the user would type them. */
static const char *stream_flags(int s)
{
    static const char *const names[] = {
        "no streaming",
        "--streamed-input only",
        "--streamed-output only",
        "--streamed-input --streamed-output",
        "--input-rows only",
        "",
        "--input-rows --streamed-output",
    };
    return names[s];
}

int infeasible_report(msf_graph *g, const plan_request *r, uint64_t budget)
{
    built_plan vanilla;
    if (plan_build_layers(g, r->streamed, &vanilla) != LAYOUT_OK)
        return cli_error(EXIT_RUNTIME, "out of memory");
    double base = (double)vanilla.macs;
    built_plan_free(&vanilla);
    uint32_t ram;
    uint64_t macs;
    if (least_ram(g, r, r->streamed, &ram, &macs) == 0)
        fprintf(stderr, "  the least RAM any plan needs with these options: %u B (%.2f KiB), at %.2fx the "
                        "layer-by-layer MACs: --max-ram %u or more fits\n",
                ram, ram / 1024.0, (double)macs / base, ram);
    static const int ways[] = {0, MSF_STREAM_INPUT, MSF_STREAM_INPUT_ROWS, MSF_STREAM_OUTPUT,
                               MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS | MSF_STREAM_OUTPUT};
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        if (ways[i] == r->streamed || least_ram(g, r, ways[i], &ram, &macs) != 0)
            continue;
        fprintf(stderr, "  with %s: least %u B (%.2f KiB): %s\n", stream_flags(ways[i]), ram, ram / 1024.0,
                ram <= budget ? "fits" : "does not fit");
    }
    return EXIT_INFEASIBLE;
}

void infeasible_overhead_hint(msf_graph *g, const plan_request *r, uint64_t budget)
{
    plan_request p2 = {PLAN_MIN_MACS, INFINITY, budget, r->max_macs, r->streamed, NULL, SPACE_MSF, r->by_time, r->target};
    built_plan bp, vanilla;
    plan_path path;
    char msg[512];
    int s = plan_select(g, &p2, &bp, &path, msg, sizeof msg);
    plan_path_free(&path);
    if (s != PLAN_POLICY_OK) {
        printf("  no plan of any overhead fits: its arena may reach %llu B\n", (unsigned long long)budget);
        return;
    }
    if (plan_build_layers(g, r->streamed, &vanilla) == LAYOUT_OK) {
        /* Rounded up so that the bound printed admits the plan. */
        double f = r->by_time ? (double)time_blocks(r->target, g, bp.costs, bp.plan.n_blocks) /
                                    (double)time_layers(r->target, g, r->streamed)
                              : (double)bp.macs / (double)vanilla.macs;
        printf("  --max-overhead %.4f (or the board alone: the least %s that fit) would fit: %u B of arena\n",
               ceil(f * 10000.0) / 10000.0, r->by_time ? "instructions" : "MACs", bp.plan.arena_bytes);
        built_plan_free(&vanilla);
    }
    built_plan_free(&bp);
}
