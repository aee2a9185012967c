/* How a model runs: the schedule tables the planner writes and the runtime
 * runs. Blocks in order, each one operator over whole tensors or several
 * fused, run by the runner of its scheme; nodes, the operators of each
 * block and where their outputs go; buffers, every byte range of the arena
 * with its kind and shape. The planner sizes the buffers from what the same
 * runners count (msf_count.h), so the RAM it predicts is the RAM the runtime
 * touches; the runners check it as they go. */
#ifndef MSF_PLAN_H
#define MSF_PLAN_H

#include <stdint.h>

#include "msf_model.h"
#include "msf_runtime.h"

/* The most operators one fused block may hold (the runner keeps per-operator
 * state on the stack; the planner offers no longer block). */
#define MSF_MAX_FUSED 24

/* How a block runs: one runner a scheme (runtime/run_*.c), the executor
 * picks it by this number; the planner's cost of a block is what the same
 * runner counts (msf_count.h). */
typedef enum {
    MSF_SCHEME_WHOLE = 0,  /* one operator over whole tensors */
    MSF_SCHEME_HCACHE = 1, /* msf-CNN's H-cache sweep: fused operators, or one reading input rows */
    MSF_SCHEME_LINEBUF = 2, /* line buffers: fused operators, each element computed once */
    MSF_SCHEME_INPLACE = 3, /* one operator over whole tensors, its output over an operand (msf_inplace_gap) */
    MSF_SCHEME_COUNT
} msf_scheme;

/* What a buffer of the plan holds. */
typedef enum {
    MSF_BUF_TENSOR = 0,     /* a whole tensor (msf_plan.tensor_buffers) */
    MSF_BUF_COLUMNS = 1,    /* H-cache: rows x a window of columns of a block's map */
    MSF_BUF_ROWS = 2,       /* line buffer: whole rows of a block's map */
    MSF_BUF_SUMS = 3,       /* a consumer's int32 sums */
    MSF_BUF_INPUT_ROWS = 4, /* graph input rows fetched from the row source */
    MSF_BUF_KIND_COUNT
} msf_buffer_kind;

/* Every byte range of the arena a plan uses, one entry each. A map's buffer
 * holds rows x cols pixels of `channels` elements of elem_bytes each; sums
 * hold 1 x 1 x count int32. The runners check what they hold against it. */
typedef struct {
    uint32_t offset, bytes;
    int32_t kind;                /* msf_buffer_kind */
    int32_t rows, cols, channels;
    int32_t elem_bytes, align;
    int32_t alias;               /* the buffer whose bytes these are (a RESHAPE's or an in-place step's output), or -1 */
} msf_buffer;

/* One operator of a block. Its operands come from earlier nodes of the
 * block (in[k]: the node's index in the block) or from outside it (-1: the
 * block input, whole or streamed, or a constant); its output goes to
 * buffer `out` (a map's cache or rows, a whole tensor), or nowhere the plan
 * keeps (-1: taken by the block's consumer, or a streamed output). */
typedef struct {
    int32_t op;
    int32_t in[2];
    int32_t out;
} msf_node;

/* A block: its nodes in order, its scheme and how it ends. The sweep of a
 * swept scheme produces the output of node `swept`; the nodes after it are
 * the consumer that takes those pixels (sink, msf_sink) into its int32 sums
 * at buffer `sums`. With the input coming a row at a time, the block that
 * reads it holds the rows it needs in buffer `input_rows`. -1: none. */
typedef struct {
    int32_t scheme;              /* msf_scheme */
    int32_t sink;                /* msf_sink */
    int32_t first_node, n_nodes;
    int32_t swept;
    int32_t sums;
    int32_t input_rows;
    int32_t tile_rows;           /* H-cache: rows of the swept map a step makes (msf-CNN: 1); else 1 */
    int32_t ring;                /* a ring of output rows, or -1: an in-place window step's (msf_inplace_gap),
                                  * an H-cache block's whose output lies over its input (run_hcache.c) */
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
    const msf_node *nodes;
    int32_t n_nodes;
    const msf_buffer *buffers;
    int32_t n_buffers;
    /* The buffer of every tensor held whole (-1: a constant, a streamed
     * end, a block's intermediate): a model's places belong to a plan, so
     * one model can run under several plans. */
    const int32_t *tensor_buffers;
    uint32_t arena_bytes;
    int32_t streamed;            /* MSF_STREAM_* flags */
} msf_plan;

/* The spatial window of an operator inside a fused block: kernel, stride and
 * leading padding (elementwise operators: 1x1, stride 1, no padding). */
typedef struct {
    int32_t kh, kw, sh, sw, pad_top, pad_left;
} msf_op_window;

msf_op_window msf_window_of(const msf_op *op);

/* Whether op, run over whole tensors, may write its output over the bytes
 * of its operand op->inputs[k]: the fewest bytes the output must start
 * before that operand's first byte (0: at it; any earlier start is safe
 * too), or -1 when no overlap is safe; *ring: the rows of output the step
 * must hold in a ring of its own (msf_block.ring) before writing them (0:
 * none). An elementwise operator (ADD and MUL of an operand of the output's
 * shape, LOGISTIC, HARD_SWISH, a RESHAPE's copy) reads element i before it
 * writes element i and never reads an earlier one again, so an output
 * starting at or before the operand overwrites only elements already read.
 * A window operator (CONV_2D, DEPTHWISE_CONV_2D, AVERAGE/MAX_POOL_2D) of
 * stride 1 down the rows, its output rows as many and as long as its
 * input's: output row y reads input rows from y - pad_top on, so input row
 * r is last read by output row r + pad_top; output row y is held until
 * row y + pad_top is computed, then written over input row y: a ring of
 * pad_top + 1 rows (TinyEngine keeps a channel plane instead). The planner
 * places and counts an in-place step by it, the runtime checks every
 * whole-tensor step's overlaps against it before it writes, the layout
 * test accepts by it. */
int32_t msf_inplace_gap(const msf_model *m, const msf_op *op, int32_t k, int32_t *ring);

/* Whether op joins two maps pixel by pixel, as a fused block runs it: an
 * ADD of two int8 maps of its output's shape (no broadcasting), or a
 * CONCATENATION of two int8 maps of its output's height and width along
 * channels. The planner fuses no other join, the runtime runs no other. */
int msf_join_pixelwise(const msf_model *m, const msf_op *op);

/* Whether op maps one int8 map (operand 0, of its output's shape) pixel by
 * pixel, as a fused block runs it: HARD_SWISH, LOGISTIC, or an ADD or MUL
 * whose other operand is the same for every pixel (one value, or one per
 * channel: a constant, or a vector held whole such as a squeeze-excite's
 * gate), not a join (msf_join_pixelwise). The planner fuses no other, the
 * runtime runs no other. */
int msf_pixel_op(const msf_model *m, const msf_op *op);

/* Whether op is a TRANSPOSE of a 1xCxHxW int8 map to NHWC (PyTorch exports
 * put one after the input): first in a fused block it reads the block input,
 * held whole, as a strided view, so the NHWC copy is never held whole. */
int msf_nchw_view(const msf_model *m, const msf_op *op);

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

/* The operators of a block of n up to its consumer's last: n, or n - 1 when
 * a DEQUANTIZE of that output ends the block (a float graph output, as
 * converters write it: the consumer's int8 output is dequantized as it is
 * written). */
int32_t msf_sink_ops(const msf_op *ops, int32_t n);

/* The int32 sums a consumer keeps: per channel (global pool), per unit
 * (fully connected), or for the transposed means a row (W reduced first) or
 * a whole map of column sums (H first), plus one per channel. */
int32_t msf_sink_sums(const msf_model *m, const msf_op *ops, int32_t n, msf_sink sink, int32_t last);

/* Whether a block of n operators from first_op that reads the input a row
 * at a time quantizes the rows as they are fetched: it starts with a
 * QUANTIZE (a float input), so its rows buffer holds int8 rows, as an int8
 * model's would; the QUANTIZE node then writes that buffer (msf_node.out is
 * the block's input_rows). */
int msf_fetch_quantizes(const msf_model *m, int32_t first_op, int32_t n, int input_rows);

/* Whether a block of n operators from first_op, its input held whole (not
 * read a row at a time), starts with the QUANTIZE of a float NCHW map and
 * the TRANSPOSE of its result to NHWC (msf_nchw_view): the TRANSPOSE then
 * quantizes what it reads from the float input, and the QUANTIZE's int8
 * NCHW map is never made (its node writes nothing). */
int msf_view_quantizes(const msf_model *m, int32_t first_op, int32_t n, int input_rows);

/* The node of operator op in a block whose first operator is first_op
 * (op - first_op its index): an operand that an earlier operator of the
 * block makes comes from that node, any other from outside the block; its
 * output goes to buffer out. */
msf_node msf_block_node(const msf_model *m, int32_t first_op, int32_t op, int32_t out);

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
