/* msf-CNN's published cost accounting as a second cost model: the fusion
 * graph its implementation searches, with its RAM and MAC numbers
 * (../shared/reference/msfcnn-cost-model.md), so that our solvers can be
 * checked against the paper's Table 1. The numbers are analytic: they are
 * what msf-CNN counts, not bytes our runtime uses (that is planner.h).
 *
 * The network must be a chain of CONV_2D, DEPTHWISE_CONV_2D and
 * AVERAGE/MAX_POOL_2D layers with square kernels and strides, as msf-CNN
 * models networks: layer 0 reads the model's only input, layer i reads layer
 * i-1's output, the last layer writes the model's only output.
 *
 * Nodes and edges as planner.h: an edge from a to b+1 runs layers a..b.
 * Every layer alone is an edge, and every run a..b whose tile fits in its
 * input is a fused edge (H-cache, output tile 1x1); all layers are fusible
 * in msf-CNN's space. Edge option is 0 (H-cache is its only scheme).
 *
 * Padding: msf-CNN's layer lists give PyTorch's symmetric pad, (k-1)/2 for a
 * k x k window where TFLite says SAME (same output size, ceil(in/s)), 0
 * where it says VALID. A TFLite graph keeps only the output size, so the pad
 * is derived from the kernel: (k-1)/2 if that gives the layer's output size,
 * else 0 if that does, else the layer is refused. */
#ifndef MSF_MSFCNN_COST_H
#define MSF_MSFCNN_COST_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "solve.h"

typedef struct {
    fusion_graph graph;
    fusion_edge *edges;
    uint64_t vanilla_macs; /* the sum of the single-layer MACs ('Common') */
} msfcnn_model;

enum { MSFCNN_UNSUPPORTED = -1, MSFCNN_NOMEM = -2 };

/* Builds the graph. Returns 0, or MSFCNN_UNSUPPORTED with a one-line
 * message naming the layer that is not part of a chain msf-CNN models, or
 * MSFCNN_NOMEM. */
int msfcnn_init(msfcnn_model *m, const msf_graph *g, char *err, size_t err_size);
void msfcnn_free(msfcnn_model *m);

/* P1 needs nothing of its own: plan_p1_min_ram(&m->graph, F,
 * m->vanilla_macs, ...) finds the peak and MACs that msf-CNN's downward
 * sweep of thresholds finds. P2 as msf-CNN solves it: the least MACs with
 * every edge's RAM strictly below limit (its implementation compares with
 * <), ties to the lower peak. Returns as plan_p2_min_macs. */
int msfcnn_p2(const msfcnn_model *m, uint64_t limit, plan_path *path);

#endif
