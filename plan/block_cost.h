/* Exact cost of running operators [first_op, last_op] as one block: the MACs
 * the kernels will execute and the bytes alive meanwhile. A swept block's
 * caches, sums and MACs come from the runner's counting pass
 * (runtime/msf_count.h): the geometry is worked out once, by the runner. */
#ifndef MSF_BLOCK_COST_H
#define MSF_BLOCK_COST_H

#include <stddef.h>
#include <stdint.h>

#include "arena_layout.h"
#include "msf_plan.h"
#include "graph.h"

typedef struct {
    int32_t first_op, last_op;
    int32_t scheme;                      /* msf_scheme: the runner */
    int32_t tile;                        /* rows of the swept map a step makes (msf_block.tile_rows) */
    uint64_t macs;
    uint64_t ram;                        /* every byte alive while the block runs */
    int32_t n_caches;                    /* last_op - first_op */
    /* Level j (1 <= j <= n_caches): the cache of T_j, the output of
     * operator first_op + j - 1, indexed as the runner indexes it. */
    int32_t cache_rows[MSF_MAX_FUSED + 1];
    int32_t cache_cols[MSF_MAX_FUSED + 1];
    uint32_t cache_bytes[MSF_MAX_FUSED + 1];
    uint32_t acc_bytes;                  /* the int32 sums of a consumer ending the block */
    int32_t input_rows;                  /* MSF_STREAM_INPUT_ROWS: input rows the block holds */
    uint32_t input_rows_bytes;
    int32_t ring_rows;                   /* a ring of output rows (msf_block.ring): an in-place window step's, */
    uint32_t ring_bytes;                 /* or a block's whose output lies over its input */
    int over_input;                      /* the block's output lies over its input (block_over_input) */
} block_cost;

/* The schemes (msf_scheme): a name for plan files and reports ("whole",
 * "h-cache", "line-buffer", "in-place"), and the number of one named (-1: none). */
const char *block_scheme_name(int32_t scheme);
int32_t block_scheme_named(const char *name);

/* The tile heights the scheme offers for operators [first_op, last_op] (at
 * most BLOCK_MAX_TILES, into tiles; returns how many): H-cache steps of 1
 * row of the swept map (msf-CNN's), 2, 4 and 8 rows, and the whole map (no
 * row computed twice; the caches the map's height); 1 for the other
 * schemes, and for a consumer that must take the map a row at a time (the
 * transposed means). A short name for reports ("h-cache", "h-cache/4"). */
#define BLOCK_MAX_TILES 5
int32_t block_tiles(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t *tiles);
void block_scheme_label(int32_t scheme, int32_t tile, char *out, size_t size);

/* Whether the scheme can run operators [first_op, last_op] (a fusible run,
 * or one operator) with that streaming; and the scheme a block gets when
 * none is asked for: whole tensors for one operator, else the H-cache. */
int block_scheme_runs(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int streamed);
int32_t block_default_scheme(const msf_graph *g, int32_t first_op, int32_t last_op, int streamed);

/* The operand (its index k in op->inputs) operator `op` can write its
 * output over when run alone in place (MSF_SCHEME_INPLACE), or -1: an
 * operand msf_inplace_gap allows, in the arena (not streamed, not a
 * constant) and read by no later operator (nor a graph output), and an
 * output in the arena; of two, the one made first. */
int32_t block_inplace_operand(const msf_graph *g, int32_t op, int streamed);

/* Whether a block of that scheme can write its output over its input: an
 * H-cache block writing a whole int8 map of at most its input's bytes,
 * both in the arena, the input read by no operator after the block (and
 * not an NCHW input read as a view), the output by one (or a graph
 * output). Its output rows then wait in a ring
 * until no row of the input still to be read lies under them
 * (runtime/run_hcache.c): the output starts where the input does, inside
 * its bytes, and the ring is what the counting pass measures. */
int block_over_input(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int streamed);

/* The block of cost *over (made with over_input) with its output beside
 * its input instead, into *c: the bytes the two shared back, the ring
 * gone; everything else as counted (the ring changes no cache and no MAC),
 * so the planner needs one counting pass for both. */
void block_cost_beside(const msf_graph *g, const block_cost *over, block_cost *c);

/* Whether the operators can run fused: CONV_2D, DEPTHWISE_CONV_2D,
 * AVERAGE/MAX_POOL_2D, PAD and ADD, each reading the block input or
 * outputs of the block's earlier operators (a fork read by two branches, a
 * projection on the skip, an ADD joining them), no intermediate read outside
 * the block; a global pool or fully connected consumer may end it. */
int block_fusible(const msf_graph *g, int32_t first_op, int32_t last_op);

/* Whether a fusible run is a chain, as the H-cache runs it: each operator
 * reads the one before, which nothing else reads; an ADD's other operand is
 * the block input. */
int block_chain(const msf_graph *g, int32_t first_op, int32_t last_op);

/* Fills *c for a block (one operator, or a fusible run) run by a scheme that
 * runs it (block_scheme_runs), with one of its tiles (block_tiles), its
 * output over its input when over_input (where block_over_input allows).
 * life: the layer lifetimes of tensor_lifetimes(). streamed (STREAM_*
 * flags): the streamed graph input or output costs no arena bytes. Returns
 * -1 when out of memory. */
int block_cost_exact(const msf_graph *g, const tensor_lifetime *life, int32_t first_op, int32_t last_op,
                     int32_t scheme, int32_t tile, int over_input, int streamed, block_cost *c);

/* Whether the graph input is NCHW, read by a TRANSPOSE to NHWC
 * (msf_nchw_view), first or after a QUANTIZE: a row of it is a row of one
 * channel, not of the image. */
int input_nchw(const msf_graph *g);

/* Whether the model's input can come a row at a time: one 1xHxWxC int8
 * input, read by operator 0 alone. */
int input_rows_possible(const msf_graph *g);

/* Whether the model can run with that streaming (STREAM_* flags): the input
 * one way at most; a streamed input the model's only one and no graph
 * output; a streamed output the only one and made by an operator (not a
 * graph input); rows only where input_rows_possible. */
int streaming_possible(const msf_graph *g, int streamed);

/* With the input coming a row at a time, whether a block that reads it can
 * take it so: only its first operator reads the input (or, quantized as
 * fetched, the QUANTIZE's output); another reader needs it whole. */
int input_rows_block(const msf_graph *g, int32_t first_op, int32_t last_op);

#endif
