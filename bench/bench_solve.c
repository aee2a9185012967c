/* Times the solvers on the graph size they face in practice: a 54-layer
 * network (MobileNetV2's layer list at 160x160) with an edge for every block
 * i..j, the whole network included, and three caching options per fused
 * block. The costs are a rough stand-in for the cost model (H-cache, line
 * buffer and full recompute, streamed network input and output, skip tensors
 * ignored): plausible magnitudes, not exact figures. Prints figures; not a
 * test. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "solve.h"

#define N_LAYERS 54

typedef struct {
    int32_t k, s, c_in, c_out, h_in, h_out;
    int depthwise; /* depthwise or pooling: one input channel per output */
} layer;

static layer net[N_LAYERS];

static int32_t add_layer(int32_t n, int32_t k, int32_t s, int32_t c_out, int depthwise)
{
    int32_t h_in = n ? net[n - 1].h_out : 160, c_in = n ? net[n - 1].c_out : 3;
    net[n] = (layer){k, s, c_in, c_out, h_in, (h_in + s - 1) / s, depthwise};
    return n + 1;
}

/* Stem, 17 inverted residual blocks (expand 1x1, depthwise 3x3, project
 * 1x1; the first without expansion), 1x1 to 1280, global pool, classifier. */
static void build_network(void)
{
    static const int32_t blocks[][4] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2},
                                        {6, 64, 4, 2}, {6, 96, 3, 1},  {6, 160, 3, 2},
                                        {6, 320, 1, 1}};
    int32_t n = add_layer(0, 3, 2, 32, 0);
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
        for (int32_t r = 0; r < blocks[b][2]; r++) {
            int32_t c_in = net[n - 1].c_out;
            if (blocks[b][0] != 1)
                n = add_layer(n, 1, 1, c_in * blocks[b][0], 0);
            n = add_layer(n, 3, r == 0 ? blocks[b][3] : 1, net[n - 1].c_out, 1);
            n = add_layer(n, 1, 1, blocks[b][1], 0);
        }
    }
    n = add_layer(n, 1, 1, 1280, 0);
    n = add_layer(n, 5, 5, 1280, 1);
    add_layer(n, 1, 1, 1000, 0);
}

static uint64_t tensor_bytes(int32_t node)
{
    if (node == 0)
        return 160u * 160u * 3u;
    const layer *l = &net[node - 1];
    return (uint64_t)l->h_out * (uint64_t)l->h_out * (uint64_t)l->c_out;
}

static uint64_t layer_macs(const layer *l)
{
    uint64_t per_out = (uint64_t)l->k * (uint64_t)l->k * (uint64_t)(l->depthwise ? 1 : l->c_in);
    return (uint64_t)l->h_out * (uint64_t)l->h_out * (uint64_t)l->c_out * per_out;
}

/* Edges from..to in the three options. Walking back from a 1x1 output tile,
 * `rows` is how many output rows of a layer one block output row needs and
 * `step` how far they move per block output row; rows / step is the
 * vertical recompute factor, squared when nothing is cached. */
static int32_t add_block(fusion_edge *edges, int32_t n, int32_t from, int32_t to)
{
    uint64_t ends = (from ? tensor_bytes(from) : 0) + (to < N_LAYERS ? tensor_bytes(to) : 0);
    uint64_t h_cache = ends, line = ends, none = ends;
    double h_macs = 0, line_macs = 0, none_macs = 0;
    int32_t rows = 1, step = 1;
    for (int32_t l = to - 1; l >= from; l--) {
        const layer *ly = &net[l];
        if (l < to - 1) { /* an intermediate tensor, cached for layer l + 1 */
            int32_t k = net[l + 1].k;
            h_cache += (uint64_t)rows * (uint64_t)k * (uint64_t)ly->c_out;
            line += (uint64_t)k * (uint64_t)ly->h_out * (uint64_t)ly->c_out;
            none += (uint64_t)rows * (uint64_t)rows * (uint64_t)ly->c_out;
        }
        double factor = fmin((double)rows / step, (double)ly->h_out);
        line_macs += (double)layer_macs(ly);
        h_macs += (double)layer_macs(ly) * factor;
        none_macs += (double)layer_macs(ly) * factor * factor;
        rows = (rows - 1) * ly->s + ly->k;
        if (rows > ly->h_in)
            rows = ly->h_in;
        step *= ly->s;
    }
    edges[n++] = (fusion_edge){from, to, 0, h_cache, (uint64_t)h_macs};
    if (to - from == 1)
        return n;
    edges[n++] = (fusion_edge){from, to, 1, line, (uint64_t)line_macs};
    edges[n++] = (fusion_edge){from, to, 2, none, (uint64_t)none_macs};
    return n;
}

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

int main(void)
{
    build_network();
    static fusion_edge edges[N_LAYERS * (N_LAYERS + 1) / 2 * 3];
    int32_t n = 0;
    uint64_t vanilla = 0;
    for (int32_t l = 0; l < N_LAYERS; l++)
        vanilla += layer_macs(&net[l]);
    for (int32_t i = 0; i < N_LAYERS; i++)
        for (int32_t j = i + 1; j <= N_LAYERS; j++)
            n = add_block(edges, n, i, j);
    fusion_graph g = {N_LAYERS, n, edges};

    printf("%d layers, %d edges, vanilla %.1f M MACs\n", N_LAYERS, (int)n, (double)vanilla / 1e6);
    int32_t points = sweep(&g, vanilla, 1);
    if (points < 0) {
        fprintf(stderr, "bench_solve: pareto failed\n");
        return 1;
    }
    /* Best of a few runs: the figure is the solvers', not the scheduler's. */
    double best = INFINITY;
    for (int run = 0; run < 5; run++) {
        double start = now_ms();
        sweep(&g, vanilla, 0);
        best = fmin(best, now_ms() - start);
    }
    printf("full sweep (7 x P1, 5 x P2, Pareto): %.2f ms, %d front points\n", best, (int)points);
    return 0;
}
