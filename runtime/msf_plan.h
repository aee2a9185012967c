/* How a model runs: a sequence of blocks, each one operator over whole
 * tensors or several operators fused (msf-CNN's H-cache: the block output is
 * produced one pixel at a time, row by row; each intermediate tensor keeps
 * only a cache of the rows one output row needs and the last kernel-width
 * columns). Every buffer sits at an arena offset the planner chose, so the
 * RAM the planner predicts is the RAM the runtime touches. */
#ifndef MSF_PLAN_H
#define MSF_PLAN_H

#include <stdint.h>

#include "msf_model.h"
#include "msf_runtime.h"

/* The most operators one fused block may hold (the runner keeps per-operator
 * state on the stack; the planner offers no longer block). */
#define MSF_MAX_FUSED 24

/* The cache of one intermediate tensor of a fused block: rows x cols pixels
 * of all its channels, at an arena offset. */
typedef struct {
    uint32_t offset;
    int32_t rows, cols;
} msf_cache;

/* A fused block that ends in a consumer (msf_block_sink) never holds the map
 * the consumer reads: its pixels go one at a time into int32 sums at
 * acc_offset, and the cache of that map is a single pixel. */
/* How a block runs: one runner a scheme (runtime/run_*.c), the executor
 * picks it by this number; the planner's cost of a block is what the same
 * runner counts (msf_count.h). */
typedef enum {
    MSF_SCHEME_WHOLE = 0,  /* one operator over whole tensors */
    MSF_SCHEME_HCACHE = 1, /* msf-CNN's H-cache sweep: fused operators, or one reading input rows */
    MSF_SCHEME_LINEBUF = 2, /* line buffers: fused operators, each element computed once */
    MSF_SCHEME_COUNT
} msf_scheme;

typedef struct {
    int32_t first_op, last_op;   /* ops [first_op, last_op] */
    int32_t scheme;              /* msf_scheme */
    int32_t first_cache;         /* caches of the outputs of first_op .. last_op - 1 */
    uint32_t acc_offset;         /* the consumer's int32 sums */
    /* With the input coming a row at a time (MSF_STREAM_INPUT_ROWS), the block that
     * reads it holds `rows` input rows at rows_offset: the rows one row of
     * its sweep needs, or all of them for an operator that needs the whole
     * input. 0 for every other block. */
    uint32_t rows_offset;
    int32_t rows;
} msf_block;

/* What lives outside the arena (msf_plan.streamed; the planner's flags too):
 * the graph input, read where the caller keeps it (flash, a frame buffer) or
 * fetched a row at a time from a callback into a planned buffer of the rows
 * the first block needs; the graph output, written where the caller wants
 * it. Models with one input (output) only. No flag: in the arena. */
enum { MSF_STREAM_INPUT = 1, MSF_STREAM_OUTPUT = 2, MSF_STREAM_INPUT_ROWS = 4 };
#define MSF_STREAM_ANY_INPUT (MSF_STREAM_INPUT | MSF_STREAM_INPUT_ROWS)

/* Row y (W x C bytes) of the 1xHxWxC graph input; the bytes need to stay
 * valid only until the next call. */
typedef struct {
    const int8_t *(*row)(void *ctx, int32_t y);
    void *ctx;
} msf_row_source;

typedef struct {
    const msf_block *blocks;
    int32_t n_blocks;
    const msf_cache *caches;
    int32_t n_caches;
    /* The arena offset of every tensor of the model (activations; ignored
     * for constants and streamed ends): a model's places belong to a plan,
     * so one model can run under several plans. */
    const uint32_t *tensor_offsets;
    uint32_t arena_bytes;
    int32_t streamed;            /* MSF_STREAM_* flags */
} msf_plan;

/* The spatial window of an operator inside a fused block: kernel, stride and
 * leading padding (elementwise operators: 1x1, stride 1, no padding). */
typedef struct {
    int32_t kh, kw, sh, sw, pad_top, pad_left;
} msf_op_window;

msf_op_window msf_window_of(const msf_op *op);

/* Whether op can run on a window of its input inside a fused block (the
 * operators the dispatcher runs on windows). */
int msf_window_op(const msf_op *op);

/* Whether op pools its whole input map into one pixel per channel. */
int msf_global_pool(const msf_model *m, const msf_op *op);

/* How a fused block of n operators ends: its last operator writes a whole
 * tensor, or a consumer takes the pixels of operator *last as they come (a
 * global pool into int32 sums per channel; a fully connected layer, behind
 * an optional RESHAPE, into int32 sums per unit), so that map is never held. */
typedef enum {
    MSF_SINK_TENSOR = 0,
    MSF_SINK_GLOBAL_POOL,
    MSF_SINK_FULLY_CONNECTED,
    /* A global pool as some exporters write it: TRANSPOSE to NCHW, then a
     * MEAN over one spatial axis and a MEAN over the other (each requantizes). */
    MSF_SINK_TRANSPOSED_MEANS
} msf_sink;

msf_sink msf_block_sink(const msf_model *m, const msf_op *ops, int32_t n, int32_t *last);

/* The int32 sums a consumer keeps: per channel (global pool), per unit
 * (fully connected), or for the transposed means a row (W reduced first) or
 * a whole map of column sums (H first), plus one per channel. */
int32_t msf_sink_sums(const msf_model *m, const msf_op *ops, int32_t n, msf_sink sink, int32_t last);

/* Rows [lo, hi] of a block operator's input that rows [lo_out, hi_out] of its
 * output need, clipped to the input's height h. None (the output rows are
 * none, or the window lies in the padding) is hi = lo - 1, never a negative
 * count: an empty span stays empty further up the block. The planner's
 * cost model and the executor both use it, so they count the same rows. */
static inline void msf_input_span(int32_t lo_out, int32_t hi_out, int32_t k, int32_t s, int32_t pad,
                                  int32_t size, int32_t *lo, int32_t *hi)
{
    int32_t a = lo_out * s - pad, b = hi_out * s - pad + k - 1;
    *lo = a < 0 ? 0 : a;
    *hi = b > size - 1 ? size - 1 : b;
    if (hi_out < lo_out || *hi < *lo)
        *hi = *lo - 1;
}

/* A tensor's bytes under a plan: its constant data, or its place in the
 * arena. */
void *msf_tensor_data(const msf_model *m, const msf_plan *plan, uint8_t *arena, int32_t tensor);

/* Runs every block in order. The graph inputs are in the arena already,
 * except a streamed input, which is read at `streamed` instead (without
 * one: MSF_ERR_NO_INPUT). */
msf_status msf_run_plan(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                        const void *streamed);

/* The same, with a streamed output too: written at `output`, never in the
 * arena (a plan streaming its output needs it). */
msf_status msf_run_plan_streams(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                                const void *input, void *output);

/* The same for a plan whose input comes a row at a time (MSF_STREAM_INPUT_ROWS). */
msf_status msf_run_plan_rows(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                             const msf_row_source *rows, void *output);

#endif
