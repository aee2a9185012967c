/* The fusion graph the solvers search, independent of any cost model.
 *
 * Nodes 0..n_layers are the tensors between layers, in topological order;
 * an edge from -> to (from < to) runs layers from+1..to as one step: a
 * single layer or a fused block. Several edges may join the same pair, one
 * per execution scheme (option). A setting of the network is a path
 * 0 -> n_layers; its peak RAM is the largest ram of its edges and its MACs
 * the sum of their macs. */
#ifndef MSF_FUSION_GRAPH_H
#define MSF_FUSION_GRAPH_H

#include <stdint.h>

typedef struct {
    int32_t from, to;
    /* Which execution scheme this edge stands for; the solvers carry it
     * along untouched for whoever built the graph. */
    int32_t option;
    uint64_t ram;  /* peak bytes while the step runs */
    /* The step's cost: MACs it performs, or the instructions predicted on
     * a target (planner_cost_time); the solvers minimise and bound it. */
    uint64_t macs;
} fusion_edge;

typedef struct {
    int32_t n_layers; /* nodes are 0..n_layers */
    int32_t n_edges;
    const fusion_edge *edges;
} fusion_graph;

#endif
