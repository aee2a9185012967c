/* The fusion graph of a model under the exact cost model, and the settings
 * msf offers: P1 (least peak RAM within a MAC overhead), P2 (least MACs
 * within a RAM limit), the Pareto front, and the baselines. */
#ifndef MSF_PLANNER_H
#define MSF_PLANNER_H

#include <stdint.h>

#include "block_cost.h"
#include "solve.h"

typedef struct {
    fusion_graph graph;
    fusion_edge *edges;
    block_cost *costs;      /* costs[i] belongs to edges[i] */
    uint64_t vanilla_macs;
    int streamed_input;
} planner;

/* Every candidate step: each operator alone, and every fusible run of
 * operators (only runs starting at operator 0 when input_blocks_only, the
 * MCUNetV2 heuristic's space). Returns 0, or -1 when out of memory. */
int planner_init(planner *p, const msf_graph *g, int streamed_input, int input_blocks_only);
void planner_free(planner *p);

/* The blocks of a path, in order (malloc'ed, n in *n). */
block_cost *planner_blocks(const planner *p, const plan_path *path, int32_t *n);

#endif
