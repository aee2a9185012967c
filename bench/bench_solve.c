/* Times a full planning sweep of a model under the exact cost model: the
 * fusion graph (every candidate block's exact RAM and MACs), then P1 at
 * F = 1.1 .. 1.6 and Inf, P2 at 16 .. 256 kB (kB = 1000 B) and the Pareto
 * front, on one core. The target: under 1 s for MN2-320K. Prints
 * figures; not a test.
 * usage: bench_solve [MODEL]   (default models/mn2-320k-r176.spec) */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "graph.h"
#include "planner.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void print_result(const char *what, int rc, const plan_path *p, uint64_t vanilla)
{
    if (rc == PLAN_OK)
        printf("  %-12s peak %8.1f kB  MACs x%.3f  %d steps\n", what, (double)p->peak_ram / 1000,
               (double)p->macs / (double)vanilla, (int)p->n_edges);
    else
        printf("  %-12s %s\n", what, rc == PLAN_INFEASIBLE ? "infeasible" : "error");
}

/* One full sweep: P1 at every factor, P2 at every limit, the Pareto front.
 * Prints the answers when verbose. Returns the front size, or -1. */
static int32_t sweep(const fusion_graph *g, uint64_t vanilla, int verbose)
{
    static const double factors[] = {1.1, 1.2, 1.3, 1.4, 1.5, 1.6, INFINITY};
    static const uint64_t limits_kb[] = {16, 32, 64, 128, 256};
    char what[32];
    plan_path p;
    for (size_t k = 0; k < sizeof factors / sizeof *factors; k++) {
        int rc = plan_p1_min_ram(g, factors[k], vanilla, &p);
        snprintf(what, sizeof what, "P1 F=%.1f", factors[k]);
        if (verbose)
            print_result(what, rc, &p, vanilla);
        plan_path_free(&p);
    }
    for (size_t k = 0; k < sizeof limits_kb / sizeof *limits_kb; k++) {
        int rc = plan_p2_min_macs(g, limits_kb[k] * 1000, &p);
        snprintf(what, sizeof what, "P2 %3d kB", (int)limits_kb[k]);
        if (verbose)
            print_result(what, rc, &p, vanilla);
        plan_path_free(&p);
    }
    plan_path *front;
    int32_t n;
    if (plan_pareto(g, &front, &n) != PLAN_OK)
        return -1;
    plan_front_free(front, n);
    return n;
}

int main(int argc, char **argv)
{
    const char *model = argc > 1 ? argv[1] : "models/mn2-320k-r176.spec";
    msf_graph g;
    char err[512];
    if (graph_load(model, &g, err, sizeof err)) {
        fprintf(stderr, "bench_solve: %s\n", err);
        return 2;
    }
    /* Best of a few runs: the figure is the planner's, not the scheduler's. */
    double graph_ms = INFINITY, sweep_ms = INFINITY;
    int32_t points = -1, edges = 0;
    uint64_t vanilla = 0;
    for (int run = 0; run < 5; run++) {
        planner p;
        double start = now_ms();
        if (planner_init(&p, &g, 0, SPACE_MSF)) {
            fprintf(stderr, "bench_solve: out of memory\n");
            return 1;
        }
        double built = now_ms();
        points = sweep(&p.graph, p.vanilla_macs, run == 0);
        graph_ms = fmin(graph_ms, built - start);
        sweep_ms = fmin(sweep_ms, now_ms() - built);
        edges = p.graph.n_edges;
        vanilla = p.vanilla_macs;
        planner_free(&p);
    }
    printf("%s: %d layers, %d candidate edges, %.1f M MACs layer by layer\n", model, g.model.n_ops, (int)edges,
           (double)vanilla / 1e6);
    printf("exact costs of every edge: %.2f ms; sweep (7 x P1, 5 x P2, Pareto with %d points): %.2f ms; "
           "total %.2f ms\n",
           graph_ms, (int)points, sweep_ms, graph_ms + sweep_ms);
    graph_free(&g);
    return points < 0;
}
