/* The fusion graph of a model under the exact cost model, and the settings
 * msf offers: P1 (least peak RAM within a MAC overhead), P2 (least MACs
 * within a RAM limit), the Pareto front, and the baselines. */
#ifndef MSF_PLANNER_H
#define MSF_PLANNER_H

#include <stdint.h>

#include "block_cost.h"
#include "plan_build.h"
#include "solve.h"
#include "time_model.h"

typedef struct {
    fusion_graph graph;
    fusion_edge *edges;
    block_cost *costs;      /* costs[i] belongs to edges[i] (their MACs stay true MACs) */
    uint64_t vanilla_macs;  /* the cost of layer by layer, in the edges' unit */
    int streamed;           /* STREAM_* flags */
} planner;

/* The steps a planner offers: msf's own space (every fusible run under
 * every scheme that runs it); msf-CNN's (whole tensors and H-cache blocks,
 * the paper's space, a baseline); MCUNetV2's heuristic (fusion only in the
 * block at the network input, every scheme but in-place steps, msf's own). */
typedef enum { SPACE_MSF = 0, SPACE_MSFCNN, SPACE_MCUNETV2 } planner_space;

/* Every candidate step of the space: each operator alone, and every
 * fusible run of operators, an edge per scheme. Returns 0, or -1 when out
 * of memory. */
int planner_init(planner *p, const msf_graph *g, int streamed, planner_space space);
void planner_free(planner *p);

/* Makes the edges' cost (fusion_edge.macs, what the solvers minimise and
 * bound) the instructions the time model predicts on t, and vanilla_macs
 * layer by layer's: P1's overhead, P2's objective and the Pareto front are
 * then in instructions. */
void planner_cost_time(planner *p, const msf_graph *g, time_target t);

/* The blocks of a path, in order (malloc'ed, n in *n). */
block_cost *planner_blocks(const planner *p, const plan_path *path, int32_t *n);

/* Lays out a path (plan_build); returns as plan_build. */
int planner_build(const planner *p, msf_graph *g, const plan_path *path, built_plan *out);

/* planner_min_macs's codes for a path that could not be laid out (besides
 * the solver's, solve.h): LAYOUT_TOO_LARGE and LAYOUT_TOO_BUSY. */
enum { PLAN_TOO_LARGE = -4, PLAN_TOO_BUSY = -5 };

/* P2 whose laid-out arena fits max_ram: the search bounds the bytes alive
 * at each step, and alignment of int32 buffers can add a few bytes to the
 * arena, so the limit is tightened until the arena fits. PLAN_OK (path and
 * out filled), PLAN_INFEASIBLE, PLAN_TOO_LARGE, PLAN_TOO_BUSY, or another
 * solver code (PLAN_NOMEM). */
int planner_min_macs(const planner *p, msf_graph *g, uint64_t max_ram, plan_path *path, built_plan *out);

#endif
