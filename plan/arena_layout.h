/* Where each activation lives in the arena for layer-by-layer execution:
 * tensors alive at the same step never overlap; placement is greedy
 * first-fit, largest tensor first (as TFLite Micro's greedy planner, but
 * with 4-byte instead of 16-byte alignment). */
#ifndef MSF_ARENA_LAYOUT_H
#define MSF_ARENA_LAYOUT_H

#include <stdint.h>

#include "graph.h"

#define ARENA_ALIGN 4

/* Alive from the op that writes it (graph inputs: before op 0, step -1) to
 * the last op that reads it (graph outputs: to the end, step n_ops). */
typedef struct {
    int32_t first, last;
} tensor_lifetime;

/* Lifetimes of every tensor (first > last for tensors not in the arena).
 * Returns a malloc'ed array of n_tensors entries, or NULL. */
tensor_lifetime *tensor_lifetimes(const msf_graph *g);

/* Places every activation (graph inputs too, unless streamed_input) and
 * sets model.arena_bytes to the highest byte used. Returns 0, or -1 when
 * out of memory. */
int arena_layout_layers(msf_graph *g, int streamed_input);

/* Bytes of the activations alive while op runs (its inputs, its output and
 * every tensor kept for later). */
uint64_t arena_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t op, int streamed_input);

#endif
