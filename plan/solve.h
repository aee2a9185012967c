/* Exact solvers over a fusion graph (fusion_graph.h): P2 (min MACs under a
 * RAM limit), P1 (min peak RAM under a MAC overhead limit) and the Pareto
 * front of (peak RAM, MACs). All three rest on one dynamic programming pass
 * over the nodes in order, with the edges whose ram exceeds a threshold left
 * out.
 *
 * Which path is returned among equals: the least MACs, then the lowest peak
 * RAM; these two are exact over all paths. Beyond that the choice is
 * deterministic but only local: at each node the candidate with fewer edges
 * wins, then the one arriving by the lower edge index. Because a later edge
 * can raise two different peaks to the same value, this does not promise the
 * fewest edges among all paths of equal MACs and peak. */
#ifndef MSF_SOLVE_H
#define MSF_SOLVE_H

#include <stdint.h>

#include "fusion_graph.h"

enum {
    PLAN_OK = 0,
    PLAN_INFEASIBLE = -1, /* no path satisfies the constraint */
    PLAN_INVALID = -2,    /* malformed graph, path or argument */
    PLAN_NOMEM = -3,
};

typedef struct {
    uint64_t peak_ram, macs;
    int32_t n_edges;
    int32_t *edges; /* edge indices from node 0 to node n_layers; malloc'ed */
} plan_path;

/* PLAN_OK if g has n_layers >= 1, edges 0 <= from < to <= n_layers, and
 * macs whose total fits in 64 bits (then no path sum can overflow); else
 * PLAN_INVALID. Every solver checks this first. */
int plan_graph_validate(const fusion_graph *g);

/* Peak RAM and MACs of the path edges[0..n_edges); PLAN_INVALID unless the
 * edges exist and chain node 0 to node n_layers. */
int plan_path_cost(const fusion_graph *g, const int32_t *edges, int32_t n_edges,
                   uint64_t *peak_ram, uint64_t *macs);

/* P2: the min-MAC path using only edges with ram <= max_ram. PLAN_OK,
 * PLAN_INFEASIBLE, PLAN_INVALID or PLAN_NOMEM; *path is filled on PLAN_OK and
 * zeroed otherwise. */
int plan_p2_min_macs(const fusion_graph *g, uint64_t max_ram, plan_path *path);

/* P1: the least peak RAM of a path with MACs <= max_overhead x vanilla_macs
 * (compared exactly, as real numbers; max_overhead may be INFINITY, must not
 * be negative or NaN), and among paths with that peak the min-MAC one.
 * Returns and fills *path as plan_p2_min_macs. */
int plan_p1_min_ram(const fusion_graph *g, double max_overhead, uint64_t vanilla_macs,
                    plan_path *path);

/* Every Pareto-optimal (peak RAM, MACs) pair with one path realizing it, by
 * ascending peak RAM (so descending MACs). *front is malloc'ed (NULL when
 * *n is 0, which means no path exists). PLAN_OK, PLAN_INVALID or
 * PLAN_NOMEM (then *front is NULL and *n is 0). */
int plan_pareto(const fusion_graph *g, plan_path **front, int32_t *n);

void plan_path_free(plan_path *path);
void plan_front_free(plan_path *front, int32_t n);

#endif
