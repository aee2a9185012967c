/* Tensor lifetimes and arena placement. A plan runs as steps (blocks); each
 * buffer (a whole tensor, or a block's cache) is alive over a range of steps,
 * and buffers alive at the same step must not overlap. Everything here takes
 * time linear or n log n in the operators and buffers. */
#ifndef MSF_ARENA_LAYOUT_H
#define MSF_ARENA_LAYOUT_H

#include <stdint.h>

#include "graph.h"
#include "msf_plan.h"

/* Alive from the op that writes it (graph inputs: before op 0, step -1) to
 * the last op that reads it (graph outputs: to the end, step n_ops). */
typedef struct {
    int32_t first, last;
} tensor_lifetime;

/* How many operators read the tensor, graph outputs counted as readers. */
int tensor_readers(const msf_graph *g, int32_t tensor);

/* A RESHAPE changes no byte, so its output reuses its input's buffer when
 * the reshape is the input's only reader and the input is not a graph
 * input: returns that input, else -1. */
int32_t reshape_alias(const msf_graph *g, int32_t tensor);

/* Lifetimes of every tensor over the operators (first > last for tensors not
 * in the arena). A reshape alias has none: its input lives on instead.
 * Returns a malloc'ed array of n_tensors entries, or NULL. The same block
 * holds, after those entries, the bytes born and alive at each operator
 * that arena_live_bytes reads: pass it only arrays from here. */
tensor_lifetime *tensor_lifetimes(const msf_graph *g);

/* Whether tensor t lives outside the arena: the graph input or output the
 * executor streams (model inputs[0], outputs[0]). Not the input of a
 * RESHAPE aliased to a streamed output: that lives in the arena, and the
 * reshape copies it out. */
int streamed_tensor(const msf_graph *g, int32_t t, int streamed);

/* Bytes of the whole tensors alive while operators [first_op, last_op] run
 * as one step: everything alive then except the tensors produced and
 * consumed inside the step (a fused block's intermediates) and the streamed
 * ones. life: from tensor_lifetimes (its sums make this O(1)). */
uint64_t arena_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t first_op,
                          int32_t last_op, int streamed);

typedef struct {
    uint32_t size;
    int32_t first, last; /* steps, first <= last */
    uint32_t align;      /* 4 for float32 data, 1 for int8 (and sums, read a byte at a time) */
    int32_t high;        /* placement hint: 1 from the top of the arena, 0 from the bottom */
    uint32_t offset;     /* set by layout_place */
    int32_t with;        /* 1 + the index of a buffer born after this one dies, laid inside this
                          * one's bytes and placed with it (a block's output over its input): at
                          * its start, or at its end when this one is placed from the top by
                          * its hint, the end it keeps free; 0: none */
} layout_buffer;

/* The most buffers placed together (a buffer and the chain of those
 * following it, layout_buffer.with): fitting them looks at every edge of
 * every one's neighbours for each. */
#define LAYOUT_MAX_TIED 8

/* layout_place's outcomes. */
enum {
    LAYOUT_OK = 0,
    LAYOUT_NO_MEMORY = -1,
    LAYOUT_TOO_LARGE = -2, /* no layout fits in 32-bit offsets (over 4 GiB) */
    LAYOUT_TOO_BUSY = -3   /* more than LAYOUT_MAX_PAIRS pairs of buffers alive together */
};

/* Placing a buffer looks at every placed buffer alive with it, so the work
 * grows with the pairs of buffers alive together: a chain has two or three
 * per buffer (350,000 for 200,000 operators), but thousands of tensors kept
 * alive at once (unread graph inputs, deeply nested skips) make millions,
 * and placing 4 million pairs takes about a second. */
#define LAYOUT_MAX_PAIRS (1u << 22)

/* Places the buffers. Two strategies, the smaller result kept: following
 * each buffer's hint (a chain alternating ends this way needs no more than
 * its largest step), and largest-first first-fit. Sets *arena_bytes and
 * returns LAYOUT_OK, or another LAYOUT_* code. */
int layout_place(layout_buffer *b, int32_t n, uint32_t *arena_bytes);

#endif
