/* The solvers against brute force: every path 0 -> N of thousands of random
 * small graphs (multiple edges per pair, many equal ram and MAC values, some
 * graphs without a path) is enumerated by plain recursion, and P2, P1 and the
 * Pareto front must agree with the answers read off that list. Hand-made
 * graphs pin the tie-breaks, the exact P1 comparison with 64-bit MAC counts
 * and the refusal of malformed input. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "solve.h"

/* ---- random numbers (xorshift64*, fixed seed: reproducible failures) ---- */

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

/* ---- brute force ---- */

typedef struct {
    uint64_t peak, macs;
} cost;

typedef struct {
    cost *items;
    size_t n, cap;
} cost_list;

static void push(cost_list *list, uint64_t peak, uint64_t macs)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 64;
        list->items = realloc(list->items, list->cap * sizeof *list->items);
        if (!list->items) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    list->items[list->n++] = (cost){peak, macs};
}

/* Every path from node on, by trying every edge that leaves it. */
static void enumerate(const fusion_graph *g, int32_t node, uint64_t peak, uint64_t macs,
                      cost_list *out)
{
    if (node == g->n_layers) {
        push(out, peak, macs);
        return;
    }
    for (int32_t e = 0; e < g->n_edges; e++) {
        const fusion_edge *edge = &g->edges[e];
        if (edge->from == node)
            enumerate(g, edge->to, edge->ram > peak ? edge->ram : peak, macs + edge->macs, out);
    }
}

static int by_peak_then_macs(const void *a, const void *b)
{
    const cost *x = a, *y = b;
    if (x->peak != y->peak)
        return (x->peak > y->peak) - (x->peak < y->peak);
    return (x->macs > y->macs) - (x->macs < y->macs);
}

/* The distinct (peak, macs) pairs of all paths, sorted by peak then MACs:
 * all the queries below need, and far fewer than the paths. */
static cost_list all_path_costs(const fusion_graph *g)
{
    cost_list list = {0};
    enumerate(g, 0, 0, 0, &list);
    if (list.n == 0)
        return list;
    qsort(list.items, list.n, sizeof *list.items, by_peak_then_macs);
    size_t n = 1;
    for (size_t k = 1; k < list.n; k++)
        if (by_peak_then_macs(&list.items[k], &list.items[n - 1]) != 0)
            list.items[n++] = list.items[k];
    list.n = n;
    return list;
}

/* macs <= f * v as real numbers (f in [0, 2^53) or infinite), with f split
 * into its 53-bit integer significand and a power of two. */
static int within_exact(uint64_t macs, double f, uint64_t v)
{
    if (isinf(f))
        return 1;
    int exp;
    unsigned __int128 m = (uint64_t)ldexp(frexp(f, &exp), 53);
    int down = 53 - exp; /* f = m / 2^down, down > 0 */
    if (down >= 120)
        return macs == 0;
    return ((unsigned __int128)macs << down) <= m * v;
}

/* ---- checking a returned path by walking it ---- */

/* The path must chain 0 -> N by existing edges all within max_ram and
 * realize the peak and MACs it reports. */
static void check_path(const fusion_graph *g, const plan_path *path, uint64_t max_ram)
{
    int32_t node = 0;
    uint64_t peak = 0, macs = 0;
    int ok = path->n_edges >= 1 && path->edges;
    for (int32_t k = 0; ok && k < path->n_edges; k++) {
        int32_t e = path->edges[k];
        ok = e >= 0 && e < g->n_edges && g->edges[e].from == node && g->edges[e].ram <= max_ram;
        if (ok) {
            node = g->edges[e].to;
            peak = g->edges[e].ram > peak ? g->edges[e].ram : peak;
            macs += g->edges[e].macs;
        }
    }
    CHECK(ok && node == g->n_layers);
    CHECK_EQ_INT(path->peak_ram, peak);
    CHECK_EQ_INT(path->macs, macs);
}

/* ---- the three solvers against the brute force on one graph ---- */

static void check_p2(const fusion_graph *g, const cost_list *all, uint64_t max_ram)
{
    const cost *want = NULL; /* least MACs, then least peak */
    for (size_t k = 0; k < all->n; k++) {
        const cost *c = &all->items[k];
        if (c->peak <= max_ram &&
            (!want || c->macs < want->macs || (c->macs == want->macs && c->peak < want->peak)))
            want = c;
    }
    plan_path path;
    int rc = plan_p2_min_macs(g, max_ram, &path);
    CHECK_EQ_INT(rc, want ? PLAN_OK : PLAN_INFEASIBLE);
    if (rc == PLAN_OK && want) {
        CHECK_EQ_INT(path.macs, want->macs);
        CHECK_EQ_INT(path.peak_ram, want->peak);
        check_path(g, &path, max_ram);
    }
    plan_path_free(&path);
}

static void check_p1(const fusion_graph *g, const cost_list *all, double f, uint64_t vanilla)
{
    const cost *want = NULL; /* least peak, then least MACs: the sort order */
    for (size_t k = 0; k < all->n && !want; k++)
        if (within_exact(all->items[k].macs, f, vanilla))
            want = &all->items[k];
    plan_path path;
    int rc = plan_p1_min_ram(g, f, vanilla, &path);
    CHECK_EQ_INT(rc, want ? PLAN_OK : PLAN_INFEASIBLE);
    if (rc == PLAN_OK && want) {
        CHECK_EQ_INT(path.peak_ram, want->peak);
        CHECK_EQ_INT(path.macs, want->macs);
        check_path(g, &path, UINT64_MAX);
    }
    plan_path_free(&path);
}

static void check_pareto(const fusion_graph *g, const cost_list *all)
{
    plan_path *front;
    int32_t n;
    CHECK_EQ_INT(plan_pareto(g, &front, &n), PLAN_OK);
    CHECK((n == 0) == (front == NULL));
    /* In peak order, a pair is non-dominated when its MACs beat every pair
     * before it (equal peaks sort by MACs, so only the first can). */
    int32_t k = 0;
    uint64_t least_macs = 0;
    for (size_t i = 0; i < all->n; i++) {
        const cost *c = &all->items[i];
        if (k > 0 && c->macs >= least_macs)
            continue;
        least_macs = c->macs;
        if (k < n) {
            CHECK_EQ_INT(front[k].peak_ram, c->peak);
            CHECK_EQ_INT(front[k].macs, c->macs);
            check_path(g, &front[k], c->peak);
        }
        k++;
    }
    CHECK_EQ_INT(n, k);
    plan_front_free(front, n);
}

/* ---- random graphs ---- */

/* N up to 10; each pair i < j gets edges with a probability that varies per
 * graph, up to 3 of them; ram and MACs come from a few values so that ties
 * abound; now and then a node gets no incoming edge, so no path exists. */
static fusion_graph random_graph(fusion_edge *edges)
{
    int32_t n_layers = 1 + (int32_t)rnd(10), n = 0;
    uint32_t density = 20 + rnd(80), ram_values = 1 + rnd(8), mac_values = 1 + rnd(30);
    int32_t orphan = rnd(8) == 0 ? 1 + (int32_t)rnd((uint32_t)n_layers) : -1;
    for (int32_t i = 0; i < n_layers; i++) {
        for (int32_t j = i + 1; j <= n_layers; j++) {
            if (j == orphan || rnd(100) >= density)
                continue;
            int32_t copies = 1 + (int32_t)(rnd(4) == 0) + (int32_t)(rnd(8) == 0);
            for (int32_t c = 0; c < copies; c++)
                edges[n++] = (fusion_edge){i, j, c, 100 * (1 + rnd(ram_values)), rnd(mac_values)};
        }
    }
    /* Edge order must not matter: shuffle. */
    for (int32_t k = n - 1; k > 0; k--) {
        int32_t other = (int32_t)rnd((uint32_t)k + 1);
        fusion_edge t = edges[k];
        edges[k] = edges[other];
        edges[other] = t;
    }
    return (fusion_graph){n_layers, n, edges};
}

/* Every distinct ram value, one below and one above it, and both extremes. */
static void check_p2_thresholds(const fusion_graph *g, const cost_list *all)
{
    check_p2(g, all, 0);
    check_p2(g, all, UINT64_MAX);
    for (int32_t e = 0; e < g->n_edges; e++) {
        uint64_t ram = g->edges[e].ram;
        int seen = 0;
        for (int32_t before = 0; before < e; before++)
            seen |= g->edges[before].ram == ram;
        if (seen)
            continue;
        check_p2(g, all, ram - 1);
        check_p2(g, all, ram);
        check_p2(g, all, ram + 1);
    }
}

/* Fixed factors, and factors that hit a path's MACs: exactly when vanilla is
 * a power of two, and rounded to either side of it otherwise. */
static void check_p1_factors(const fusion_graph *g, const cost_list *all)
{
    static const double factors[] = {0, 0.5, 1.0, 1.1, 1.25, 1.5, 2, 3.7, INFINITY};
    uint64_t vanillas[3] = {64, 1 + rnd(100), all->n ? all->items[rnd((uint32_t)all->n)].macs : 7};
    for (int v = 0; v < 3; v++) {
        for (size_t k = 0; k < sizeof factors / sizeof *factors; k++)
            check_p1(g, all, factors[k], vanillas[v]);
        if (vanillas[v] == 0)
            continue;
        for (size_t k = 0; k < all->n; k++) {
            double f = (double)all->items[k].macs / (double)vanillas[v];
            check_p1(g, all, f, vanillas[v]);
            check_p1(g, all, nextafter(f, 0), vanillas[v]);
            check_p1(g, all, nextafter(f, INFINITY), vanillas[v]);
        }
    }
}

static void test_random_graphs(int count)
{
    /* 10 layers: 55 pairs of at most 3 edges. */
    fusion_edge edges[165];
    int with_path = 0;
    for (int t = 0; t < count; t++) {
        fusion_graph g = random_graph(edges);
        cost_list all = all_path_costs(&g);
        with_path += all.n > 0;
        check_p2_thresholds(&g, &all);
        check_p1_factors(&g, &all);
        check_pareto(&g, &all);
        free(all.items);
    }
    printf("%d random graphs, %d with a path\n", count, with_path);
    CHECK(with_path > count / 2 && with_path < count);
}

/* ---- hand-made graphs ---- */

/* Two layers, nodes 0, 1, 2:
 *   e0 0->1 ram 100 macs 10   layer 1 alone
 *   e1 1->2 ram  80 macs 20   layer 2 alone
 *   e2 0->2 ram  50 macs 45   fused, full recompute
 *   e3 0->2 ram  60 macs 35   fused, H-cache
 *   e4 0->2 ram  60 macs 35   same cost as e3 (another option)
 *   e5 0->2 ram 120 macs 30   fused, line buffer: vanilla MACs, more RAM
 * Paths: {e0,e1} (100, 30), {e2} (50, 45), {e3} and {e4} (60, 35), {e5}
 * (120, 30). Vanilla is 30 MACs.
 * P2: below 50 nothing; 50..59 e2; 60..99 e3 (lower index than e4); from
 * 100 on {e0,e1}, also from 120 on, where e5 has as few MACs but more peak.
 * P1: F = 1 allows 30 MACs: peak 100. F = 1.2 allows 36: e3, peak 60.
 * F = 1.49 allows 44.7, i.e. 44: still e3. F = 1.5 allows 45: e2, peak 50.
 * Pareto: (50, 45), (60, 35), (100, 30); e5 is dominated by {e0,e1}. */
static const fusion_edge hand_edges[] = {
    {0, 1, 0, 100, 10}, {1, 2, 0, 80, 20}, {0, 2, 1, 50, 45},
    {0, 2, 2, 60, 35},  {0, 2, 3, 60, 35}, {0, 2, 4, 120, 30},
};
static const fusion_graph hand = {2, 6, hand_edges};

static void check_point(const plan_path *path, uint64_t peak, uint64_t macs, int32_t n_edges,
                        const int32_t *edges)
{
    CHECK_EQ_INT(path->peak_ram, peak);
    CHECK_EQ_INT(path->macs, macs);
    CHECK_EQ_INT(path->n_edges, n_edges);
    for (int32_t k = 0; k < n_edges && k < path->n_edges; k++)
        CHECK_EQ_INT(path->edges[k], edges[k]);
}

static void expect_path(int rc, plan_path *path, uint64_t peak, uint64_t macs, int32_t n_edges,
                        const int32_t *edges)
{
    CHECK_EQ_INT(rc, PLAN_OK);
    check_point(path, peak, macs, n_edges, edges);
    plan_path_free(path);
}

static void test_hand_p2(void)
{
    static const int32_t layers[] = {0, 1}, e2[] = {2}, e3[] = {3};
    plan_path p;
    CHECK_EQ_INT(plan_p2_min_macs(&hand, 49, &p), PLAN_INFEASIBLE);
    CHECK(p.edges == NULL && p.n_edges == 0);
    expect_path(plan_p2_min_macs(&hand, 50, &p), &p, 50, 45, 1, e2);
    expect_path(plan_p2_min_macs(&hand, 59, &p), &p, 50, 45, 1, e2);
    expect_path(plan_p2_min_macs(&hand, 60, &p), &p, 60, 35, 1, e3);
    expect_path(plan_p2_min_macs(&hand, 99, &p), &p, 60, 35, 1, e3);
    expect_path(plan_p2_min_macs(&hand, 100, &p), &p, 100, 30, 2, layers);
    expect_path(plan_p2_min_macs(&hand, 120, &p), &p, 100, 30, 2, layers);
    expect_path(plan_p2_min_macs(&hand, UINT64_MAX, &p), &p, 100, 30, 2, layers);
}

static void test_hand_p1(void)
{
    static const int32_t layers[] = {0, 1}, e2[] = {2}, e3[] = {3};
    plan_path p;
    CHECK_EQ_INT(plan_p1_min_ram(&hand, 0.99, 30, &p), PLAN_INFEASIBLE);
    expect_path(plan_p1_min_ram(&hand, 1.0, 30, &p), &p, 100, 30, 2, layers);
    expect_path(plan_p1_min_ram(&hand, 1.2, 30, &p), &p, 60, 35, 1, e3);
    expect_path(plan_p1_min_ram(&hand, 1.49, 30, &p), &p, 60, 35, 1, e3);
    expect_path(plan_p1_min_ram(&hand, 1.5, 30, &p), &p, 50, 45, 1, e2);
    expect_path(plan_p1_min_ram(&hand, INFINITY, 30, &p), &p, 50, 45, 1, e2);
    CHECK_EQ_INT(plan_p1_min_ram(&hand, NAN, 30, &p), PLAN_INVALID);
    CHECK_EQ_INT(plan_p1_min_ram(&hand, -1.0, 30, &p), PLAN_INVALID);
}

static void test_hand_pareto(void)
{
    plan_path *front;
    int32_t n;
    CHECK_EQ_INT(plan_pareto(&hand, &front, &n), PLAN_OK);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        static const int32_t layers[] = {0, 1}, e2[] = {2}, e3[] = {3};
        check_point(&front[0], 50, 45, 1, e2);
        check_point(&front[1], 60, 35, 1, e3);
        check_point(&front[2], 100, 30, 2, layers);
    }
    plan_front_free(front, n);
}

/* Equal MACs and peak: the single edge beats the two-edge path at node 2;
 * equal in everything: the lower edge index. */
static void test_fewer_edges_then_lower_index(void)
{
    static const fusion_edge edges[] = {
        {0, 1, 0, 10, 5}, {1, 2, 0, 10, 5}, {0, 2, 7, 10, 10}, {0, 2, 8, 10, 10}};
    static const int32_t e2[] = {2};
    fusion_graph g = {2, 4, edges};
    plan_path p;
    expect_path(plan_p2_min_macs(&g, 10, &p), &p, 10, 10, 1, e2);
    CHECK_EQ_INT(g.edges[e2[0]].option, 7);
}

/* P1's test MACs <= F x vanilla near 2^64, where doubles cannot hold either
 * side: 1.5 x (2^62 + 1) = 1.5 x 2^62 + 1.5 admits 1.5 x 2^62 + 1 MACs, which
 * (double)(2^62 + 1) * 1.5 = 1.5 x 2^62 would refuse. */
static void test_p1_exact_comparison(void)
{
    const uint64_t v = (1ull << 62) + 1, limit = 3 * (1ull << 61) + 1;
    fusion_edge edge = {0, 1, 0, 1, limit};
    fusion_graph g = {1, 1, &edge};
    plan_path p;
    static const int32_t e0[] = {0};
    expect_path(plan_p1_min_ram(&g, 1.5, v, &p), &p, 1, limit, 1, e0);
    /* One ulp less, 1.5 - 2^-52, takes 2^10 + 2^-52 off the product:
     * 1.5 x 2^62 - 1022.5 - 2^-52, whose floor is 1.5 x 2^62 - 1023. */
    CHECK_EQ_INT(plan_p1_min_ram(&g, nextafter(1.5, 0), v, &p), PLAN_INFEASIBLE);
    edge.macs = 3 * (1ull << 61) - 1023;
    expect_path(plan_p1_min_ram(&g, nextafter(1.5, 0), v, &p), &p, 1, edge.macs, 1, e0);
    edge.macs = limit + 1;
    CHECK_EQ_INT(plan_p1_min_ram(&g, 1.5, v, &p), PLAN_INFEASIBLE);

    /* Products beyond 2^64 admit everything; products below 1, only 0 MACs. */
    edge.macs = UINT64_MAX;
    expect_path(plan_p1_min_ram(&g, 4.0, 1ull << 63, &p), &p, 1, UINT64_MAX, 1, e0);
    expect_path(plan_p1_min_ram(&g, 1e300, 1, &p), &p, 1, UINT64_MAX, 1, e0);
    edge.macs = 1;
    CHECK_EQ_INT(plan_p1_min_ram(&g, ldexp(1, -70), 1ull << 63, &p), PLAN_INFEASIBLE);
    CHECK_EQ_INT(plan_p1_min_ram(&g, 0x1p-1074, UINT64_MAX, &p), PLAN_INFEASIBLE);
    expect_path(plan_p1_min_ram(&g, ldexp(1, -63), 1ull << 63, &p), &p, 1, 1, 1, e0);
    edge.macs = 0;
    expect_path(plan_p1_min_ram(&g, 0, 5, &p), &p, 1, 0, 1, e0);
}

static void test_path_cost(void)
{
    static const int32_t layers[] = {0, 1}, fused[] = {5}, gap[] = {1}, short_path[] = {0},
                         unknown[] = {0, 6}, backwards[] = {1, 0};
    uint64_t peak, macs;
    CHECK_EQ_INT(plan_path_cost(&hand, layers, 2, &peak, &macs), PLAN_OK);
    CHECK_EQ_INT(peak, 100);
    CHECK_EQ_INT(macs, 30);
    CHECK_EQ_INT(plan_path_cost(&hand, fused, 1, &peak, &macs), PLAN_OK);
    CHECK_EQ_INT(peak, 120);
    CHECK_EQ_INT(macs, 30);
    CHECK_EQ_INT(plan_path_cost(&hand, gap, 1, &peak, &macs), PLAN_INVALID);
    CHECK_EQ_INT(plan_path_cost(&hand, short_path, 1, &peak, &macs), PLAN_INVALID);
    CHECK_EQ_INT(plan_path_cost(&hand, unknown, 2, &peak, &macs), PLAN_INVALID);
    CHECK_EQ_INT(plan_path_cost(&hand, backwards, 2, &peak, &macs), PLAN_INVALID);
    CHECK_EQ_INT(plan_path_cost(&hand, layers, 0, &peak, &macs), PLAN_INVALID);
    CHECK_EQ_INT(plan_path_cost(&hand, NULL, 2, &peak, &macs), PLAN_INVALID);
}

/* Each malformed graph is refused by validation and by every solver. */
static void expect_invalid(const fusion_graph *g)
{
    plan_path p, *front = (plan_path *)&p;
    int32_t n = -1;
    CHECK_EQ_INT(plan_graph_validate(g), PLAN_INVALID);
    CHECK_EQ_INT(plan_p2_min_macs(g, UINT64_MAX, &p), PLAN_INVALID);
    CHECK_EQ_INT(plan_p1_min_ram(g, INFINITY, 1, &p), PLAN_INVALID);
    CHECK_EQ_INT(plan_pareto(g, &front, &n), PLAN_INVALID);
    CHECK(front == NULL && n == 0);
}

static void test_malformed_graphs(void)
{
    fusion_edge edges[2] = {{0, 1, 0, 1, 1}, {1, 2, 0, 1, 1}};
    fusion_graph g = {2, 2, edges};
    CHECK_EQ_INT(plan_graph_validate(&g), PLAN_OK);
    expect_invalid(NULL);
    expect_invalid(&(fusion_graph){0, 0, NULL});
    expect_invalid(&(fusion_graph){-3, 2, edges});
    expect_invalid(&(fusion_graph){2, -1, edges});
    expect_invalid(&(fusion_graph){2, 2, NULL});
    expect_invalid(&(fusion_graph){1, 2, edges}); /* edge 1 ends past node 1 */
    edges[1] = (fusion_edge){1, 1, 0, 1, 1};
    expect_invalid(&g);
    edges[1] = (fusion_edge){2, 1, 0, 1, 1};
    expect_invalid(&g);
    edges[1] = (fusion_edge){-1, 2, 0, 1, 1};
    expect_invalid(&g);
    /* Total MACs past 2^64: a path sum could wrap. */
    edges[1] = (fusion_edge){1, 2, 0, 1, UINT64_MAX};
    expect_invalid(&g);

    /* Well-formed but without a path: infeasible, and an empty front. */
    edges[1] = (fusion_edge){0, 1, 0, 1, 1};
    plan_path p, *front;
    int32_t n;
    CHECK_EQ_INT(plan_p2_min_macs(&g, UINT64_MAX, &p), PLAN_INFEASIBLE);
    CHECK_EQ_INT(plan_p1_min_ram(&g, INFINITY, 1, &p), PLAN_INFEASIBLE);
    CHECK_EQ_INT(plan_pareto(&g, &front, &n), PLAN_OK);
    CHECK(front == NULL && n == 0);
    CHECK_EQ_INT(plan_pareto(&(fusion_graph){3, 0, NULL}, &front, &n), PLAN_OK);
    CHECK(front == NULL && n == 0);
}

int main(void)
{
    test_hand_p2();
    test_hand_p1();
    test_hand_pareto();
    test_fewer_edges_then_lower_index();
    test_p1_exact_comparison();
    test_path_cost();
    test_malformed_graphs();
    test_random_graphs(2000);
    return check_summary();
}
