#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve.h"

/* The best path found so far from node 0 to one node. */
typedef struct {
    uint64_t macs, peak;
    int32_t n_edges;
    int32_t via; /* last edge; -1 while the node is unreached (node 0 always counts as reached) */
} label;

/* What every run of the DP shares, built once per solver call so that P1's
 * bisection and the Pareto sweep rerun the DP without allocating. */
typedef struct {
    const fusion_graph *g;
    int32_t *first_in; /* edges into node j: in_edges[first_in[j] .. first_in[j + 1]) */
    int32_t *in_edges; /* ascending edge index within each node, for the tie-break */
    uint64_t *rams;    /* the distinct edge ram values, ascending */
    int32_t n_rams;
    label *best; /* one per node */
} solver;

int plan_graph_validate(const fusion_graph *g)
{
    if (!g || g->n_layers < 1 || g->n_layers == INT32_MAX || g->n_edges < 0 ||
        (g->n_edges > 0 && !g->edges))
        return PLAN_INVALID;
    uint64_t total = 0;
    for (int32_t e = 0; e < g->n_edges; e++) {
        const fusion_edge *edge = &g->edges[e];
        if (edge->from < 0 || edge->from >= edge->to || edge->to > g->n_layers)
            return PLAN_INVALID;
        if (edge->macs > UINT64_MAX - total)
            return PLAN_INVALID;
        total += edge->macs;
    }
    return PLAN_OK;
}

int plan_path_cost(const fusion_graph *g, const int32_t *edges, int32_t n_edges,
                   uint64_t *peak_ram, uint64_t *macs)
{
    if (plan_graph_validate(g) != PLAN_OK || n_edges < 1 || !edges)
        return PLAN_INVALID;
    int32_t node = 0;
    uint64_t peak = 0, sum = 0;
    for (int32_t k = 0; k < n_edges; k++) {
        if (edges[k] < 0 || edges[k] >= g->n_edges || g->edges[edges[k]].from != node)
            return PLAN_INVALID;
        const fusion_edge *edge = &g->edges[edges[k]];
        node = edge->to;
        peak = edge->ram > peak ? edge->ram : peak;
        sum += edge->macs;
    }
    if (node != g->n_layers)
        return PLAN_INVALID;
    *peak_ram = peak;
    *macs = sum;
    return PLAN_OK;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void solver_free(solver *s)
{
    free(s->first_in);
    free(s->in_edges);
    free(s->rams);
    free(s->best);
}

/* Groups the edges by destination (a counting sort, stable so each group
 * stays in edge index order) and lists the distinct ram values. */
static void solver_index(solver *s)
{
    const fusion_graph *g = s->g;
    for (int32_t e = 0; e < g->n_edges; e++)
        s->first_in[g->edges[e].to + 1]++;
    for (int32_t j = 0; j <= g->n_layers; j++)
        s->first_in[j + 1] += s->first_in[j];
    for (int32_t e = 0; e < g->n_edges; e++) {
        s->in_edges[s->first_in[g->edges[e].to]++] = e;
        s->rams[e] = g->edges[e].ram;
    }
    /* The placement loop advanced every first_in[j] to the end of group j. */
    memmove(s->first_in + 1, s->first_in, (size_t)(g->n_layers + 1) * sizeof *s->first_in);
    s->first_in[0] = 0;

    qsort(s->rams, (size_t)g->n_edges, sizeof *s->rams, compare_u64);
    s->n_rams = 0;
    for (int32_t e = 0; e < g->n_edges; e++)
        if (s->n_rams == 0 || s->rams[s->n_rams - 1] != s->rams[e])
            s->rams[s->n_rams++] = s->rams[e];
}

static int solver_init(solver *s, const fusion_graph *g)
{
    memset(s, 0, sizeof *s);
    if (plan_graph_validate(g) != PLAN_OK)
        return PLAN_INVALID;
    s->g = g;
    size_t nodes = (size_t)g->n_layers + 1, edges = (size_t)g->n_edges;
    s->first_in = calloc(nodes + 1, sizeof *s->first_in);
    /* + 1: malloc(0) may return NULL, which must not read as out of memory. */
    s->in_edges = malloc((edges + 1) * sizeof *s->in_edges);
    s->rams = malloc((edges + 1) * sizeof *s->rams);
    s->best = malloc(nodes * sizeof *s->best);
    if (!s->first_in || !s->in_edges || !s->rams || !s->best) {
        solver_free(s);
        return PLAN_NOMEM;
    }
    solver_index(s);
    return PLAN_OK;
}

static int better(const label *a, const label *b)
{
    if (a->macs != b->macs)
        return a->macs < b->macs;
    if (a->peak != b->peak)
        return a->peak < b->peak;
    return a->n_edges < b->n_edges;
}

/* Best label of every node using edges with ram <= max_ram; returns whether
 * the last node is reached. The nodes are in topological order, so each
 * node's label is final before any edge leaves it. Strict improvement keeps
 * the lowest edge index among equal candidates. */
static int solver_run(solver *s, uint64_t max_ram)
{
    const fusion_graph *g = s->g;
    s->best[0] = (label){0, 0, 0, -1};
    for (int32_t j = 1; j <= g->n_layers; j++) {
        label *best = &s->best[j];
        best->via = -1;
        for (int32_t k = s->first_in[j]; k < s->first_in[j + 1]; k++) {
            const fusion_edge *edge = &g->edges[s->in_edges[k]];
            const label *from = &s->best[edge->from];
            if (edge->ram > max_ram || (edge->from != 0 && from->via < 0))
                continue;
            label cand = {from->macs + edge->macs, edge->ram > from->peak ? edge->ram : from->peak,
                          from->n_edges + 1, s->in_edges[k]};
            if (best->via < 0 || better(&cand, best))
                *best = cand;
        }
    }
    return s->best[g->n_layers].via >= 0;
}

/* Copies the path found by the last solver_run into *path. */
static int solver_path(const solver *s, plan_path *path)
{
    const label *end = &s->best[s->g->n_layers];
    int32_t *edges = malloc((size_t)end->n_edges * sizeof *edges);
    if (!edges)
        return PLAN_NOMEM;
    int32_t node = s->g->n_layers;
    for (int32_t k = end->n_edges - 1; k >= 0; k--) {
        edges[k] = s->best[node].via;
        node = s->g->edges[edges[k]].from;
    }
    *path = (plan_path){end->peak, end->macs, end->n_edges, edges};
    return PLAN_OK;
}

int plan_p2_min_macs(const fusion_graph *g, uint64_t max_ram, plan_path *path)
{
    memset(path, 0, sizeof *path);
    solver s;
    int rc = solver_init(&s, g);
    if (rc != PLAN_OK)
        return rc;
    rc = solver_run(&s, max_ram) ? solver_path(&s, path) : PLAN_INFEASIBLE;
    solver_free(&s);
    return rc;
}

/* hi:lo = a * b, from 32-bit halves so that no compiler extension is needed. */
static void mul_64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *lo = (mid << 32) | (p00 & 0xffffffffu);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* floor(f * v) for finite f >= 0, saturated at UINT64_MAX. MACs are whole,
 * so macs <= f * v exactly when macs <= floor(f * v); rounding f * v in
 * floating point instead could turn a tie into a rejection. f is exactly
 * m * 2^shift with a 53-bit integer m, and m * v fits in 128 bits. */
static uint64_t scaled_floor(double f, uint64_t v)
{
    if (f == 0 || v == 0)
        return 0;
    int exp;
    uint64_t m = (uint64_t)ldexp(frexp(f, &exp), 53), hi, lo;
    int shift = exp - 53;
    mul_64x64(m, v, &hi, &lo);
    if (shift >= 0) {
        if (hi != 0 || (shift > 0 && (shift >= 64 || lo >> (64 - shift) != 0)))
            return UINT64_MAX;
        return lo << shift;
    }
    int down = -shift;
    if (down >= 128)
        return 0;
    if (down >= 64)
        return hi >> (down - 64);
    if (hi >> down != 0)
        return UINT64_MAX;
    return (lo >> down) | (hi << (64 - down));
}

/* Whether the min-MAC path under the k-th distinct ram value is within
 * max_macs; leaves that path in the solver. */
static int within(solver *s, int32_t k, uint64_t max_macs)
{
    return solver_run(s, s->rams[k]) && s->best[s->g->n_layers].macs <= max_macs;
}

int plan_p1_min_ram(const fusion_graph *g, double max_overhead, uint64_t vanilla_macs,
                    plan_path *path)
{
    memset(path, 0, sizeof *path);
    if (isnan(max_overhead) || max_overhead < 0)
        return PLAN_INVALID;
    uint64_t max_macs = isinf(max_overhead) ? UINT64_MAX : scaled_floor(max_overhead, vanilla_macs);
    solver s;
    int rc = solver_init(&s, g);
    if (rc != PLAN_OK)
        return rc;
    /* The min MACs under a threshold only fall as it rises, so the feasible
     * thresholds are a suffix of rams: bisect for its first one. */
    int32_t lo = 0, hi = s.n_rams - 1;
    if (s.n_rams == 0 || !within(&s, hi, max_macs)) {
        solver_free(&s);
        return PLAN_INFEASIBLE;
    }
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (within(&s, mid, max_macs))
            hi = mid;
        else
            lo = mid + 1;
    }
    solver_run(&s, s.rams[lo]);
    rc = solver_path(&s, path);
    solver_free(&s);
    return rc;
}

void plan_path_free(plan_path *path)
{
    free(path->edges);
    memset(path, 0, sizeof *path);
}

void plan_front_free(plan_path *front, int32_t n)
{
    for (int32_t k = 0; k < n; k++)
        free(front[k].edges);
    free(front);
}

/* Sweeps the thresholds downward, one point of the front at a time. The
 * min-MAC path under a threshold has the lowest peak among min-MAC paths,
 * so its peak is the lowest threshold reaching those MACs: a point of the
 * front, with the path a run at that very threshold gives (as a sweep
 * upward through every threshold would record it). The next point lies
 * under the greatest threshold below that peak. Two runs a point, not one
 * per distinct ram value. */
static int sweep(solver *s, plan_path *front, int32_t *n)
{
    for (int32_t k = s->n_rams - 1; k >= 0 && solver_run(s, s->rams[k]); k--) {
        uint64_t peak = s->best[s->g->n_layers].peak;
        while (s->rams[k] > peak)
            k--;
        solver_run(s, s->rams[k]);
        if (solver_path(s, &front[*n]) != PLAN_OK)
            return PLAN_NOMEM;
        ++*n;
    }
    /* By ascending peak RAM. */
    for (int32_t i = 0, j = *n - 1; i < j; i++, j--) {
        plan_path t = front[i];
        front[i] = front[j];
        front[j] = t;
    }
    return PLAN_OK;
}

int plan_pareto(const fusion_graph *g, plan_path **front, int32_t *n)
{
    *front = NULL;
    *n = 0;
    solver s;
    int rc = solver_init(&s, g);
    if (rc != PLAN_OK)
        return rc;
    if (s.n_rams == 0) {
        solver_free(&s);
        return PLAN_OK;
    }
    plan_path *points = malloc((size_t)s.n_rams * sizeof *points);
    int32_t count = 0;
    rc = points ? sweep(&s, points, &count) : PLAN_NOMEM;
    solver_free(&s);
    if (rc != PLAN_OK || count == 0) {
        plan_front_free(points, count);
        return rc;
    }
    *front = points;
    *n = count;
    return PLAN_OK;
}
