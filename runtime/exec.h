/* Internal to the runtime: what the executor, the runners and the window
 * dispatcher share. */
#ifndef MSF_EXEC_H
#define MSF_EXEC_H

#include "msf_count.h"
#include "msf_kernels.h"
#include "msf_plan.h"

typedef struct {
    const msf_model *m;
    const msf_plan *plan;        /* the tensors' places (none in counting mode) */
    uint8_t *arena;
    int32_t streamed_tensor; /* -1: none */
    const void *streamed;
    int32_t streamed_out_tensor; /* -1: none */
    void *streamed_out;
    const msf_row_source *rows;  /* MSF_STREAM_INPUT_ROWS: streamed_tensor comes from here */
    msf_block_count *count;      /* counting mode: tally, touch no memory */
    msf_tally *ran;              /* host runs: the MACs of the kernel calls made, or NULL */
} exec_ctx;

/* Counting mode exists in host builds only; firmware compiles it away. */
#ifdef MSF_COUNT_MACS
#define exec_counting(x) ((x)->count != 0)
#else
#define exec_counting(x) 0
#endif

/* Where bytes are, as runners keep it: a tensor's bytes (constant data, a
 * streamed end, or its arena place), or the arena itself (tensor -1), and
 * an offset from there. Only the dispatcher makes a pointer of it. */
typedef struct {
    int32_t tensor;
    uint32_t offset;
} exec_ref;

/* A window of a map (tensor `map`) held at `at`: element (y, x, ch) is at
 * (y - y0) * row_stride + (x - x0) * c bytes from it. */
typedef struct {
    exec_ref at;
    int32_t map;
    int32_t y0, x0, row_stride;
} exec_window;

/* Output pixels rows [y0, y0 + h), columns [x0, x0 + w) of the full output,
 * pixel (y, x) at (y - y0) * row_stride + (x - x0) * c bytes from `at`. */
typedef struct {
    exec_ref at;
    int32_t y0, x0, h, w;
    int32_t row_stride;
} exec_rect;

/* A tensor's bytes: constant data, a streamed input or output, or its arena
 * place. */
void *exec_tensor_data(const exec_ctx *x, int32_t tensor);

/* Tensor t's buffer when it lies in the arena (not a constant, not a
 * streamed end), else NULL; its offset there, else -1. */
const msf_buffer *exec_arena_buffer(const exec_ctx *x, int32_t t);
int64_t exec_arena_place(const exec_ctx *x, int32_t t);

/* The bytes at ref. */
void *exec_ptr(const exec_ctx *x, exec_ref ref);


/* Moves `rows` runs of bytes within the arena, run i from src + i * stride
 * to dst + i * stride, for op's cache, ring or output (each run as
 * exec_copy moves it; runs must not overlap each other's destinations). In
 * counting mode it tallies them, once. */
void exec_move(const exec_ctx *x, const msf_op *op, uint32_t dst, uint32_t src, uint32_t bytes, int32_t rows,
               uint32_t stride);

/* Buffer i of the plan when it is of that kind, within the arena and as
 * large as its shape; else NULL. */
const msf_buffer *exec_sound_buffer(const msf_plan *plan, int32_t i, int32_t kind);

/* Copies n bytes from src to dst, the ranges overlapping or not (nothing
 * when equal): every row and column copy of the runtime. */
void exec_copy(uint8_t *dst, const uint8_t *src, uint32_t n);

/* Counting mode: adds t to the block's total and to op's. */
void exec_tally(const exec_ctx *x, const msf_op *op, msf_tally t);

/* A run asked a kernel for `macs` MACs (op_macs.h): added to x->ran in host
 * builds, which measure what a plan executes; firmware compiles it away. */
static inline void exec_ran(const exec_ctx *x, uint64_t macs)
{
#ifdef MSF_COUNT_MACS
    if (x->ran) {
        x->ran->macs += macs;
        x->ran->calls++;
    }
#else
    (void)x, (void)macs;
#endif
}

/* The runners, one a scheme (msf_scheme), chosen by the executor's table:
 * whole tensors, in place or not (run_whole.c); msf-CNN's H-cache sweep (run_hcache.c);
 * line buffers (run_linebuf.c). */
msf_status exec_run_whole(exec_ctx *x, const msf_block *b);
msf_status exec_run_hcache(exec_ctx *x, const msf_block *b);
msf_status exec_run_linebuf(exec_ctx *x, const msf_block *b);

#ifdef MSF_COUNT_MACS
/* The counting pass of a swept scheme's runner (x in counting mode). */
void exec_count_hcache(exec_ctx *x, const msf_block *b);
void exec_count_linebuf(exec_ctx *x, const msf_block *b);
#endif

/* A block's end as its runner feeds it (block_sink.c): the block output
 * tensor, or a consumer's int32 sums at acc. */
typedef struct {
    msf_sink kind;
    const msf_op *op[3]; /* the consumer's operators (pools and FC: the last one only) */
    const msf_op *dequantize; /* a DEQUANTIZE of the consumer's output ends the block, or NULL */
    int w_first;         /* transposed means: W reduced first */
    uint32_t acc;        /* arena offset of the int32 sums */
} exec_sink;

/* What every swept runner knows of its block. Operators op_0 .. op_{n-1}
 * (the block's nodes) map T_j to T_{j+1}; T_0 is the block input. */
typedef struct {
    const exec_ctx *x;
    const msf_node *nodes; /* node j runs op_j */
    int32_t n, last;     /* operators; the one whose output the sweep produces */
    int32_t base;        /* nodes[j].in counts from node -base (1: a QUANTIZE run at the fetch or in the TRANSPOSE) */
    int chain;           /* each node reads the one before (and a join, T_0) */
    exec_ref in;         /* T_0, or its rows buffer (input rows) */
    int32_t in_lo;       /* first row of T_0 at `in` */
    int in_rows;         /* T_0 comes a row at a time */
    int32_t in_cap;      /* the rows its buffer holds */
    const msf_quantize_params *fetch_quantize; /* the rows are quantized as fetched, or NULL */
    const msf_quantize_params *view_quantize;  /* T_0 is quantized as the TRANSPOSE reads it, or NULL */
    msf_status fault;    /* a buffer of the plan too small for what the runner holds */
} exec_block;

/* op_j of block k. */
static inline const msf_op *exec_op(const exec_block *k, int32_t j)
{
    return &k->x->m->ops[k->nodes[j].op];
}

/* The map operands of an operator in a block: both of a join (an ADD or a
 * CONCATENATION of two maps, msf_join_pixelwise), the first of any other
 * (the rest are constants, or a pixel operator's vector held whole;
 * block_nodes refuses other operators). */
static inline int32_t exec_map_operands(const msf_model *m, const msf_op *op)
{
    /* The type first: the counting pass asks for every window. */
    int join = op->type == MSF_OP_ADD || op->type == MSF_OP_CONCATENATION;
    return join && msf_join_pixelwise(m, op) ? 2 : 1;
}

/* The level (T_L) of operand i of op_j: an earlier node's output, or T_0
 * (the block input, the rows its QUANTIZE made as fetched, or the float
 * input a quantizing TRANSPOSE reads). */
static inline int32_t exec_operand_level(const exec_block *k, int32_t j, int32_t i)
{
    int32_t in = k->nodes[j].in[i];
    return in < 0 ? 0 : in + 1 - k->base;
}

/* Sets up k and the sink for block b: MSF_ERR_BAD_PLAN when its nodes are
 * not what its operators give (block_nodes: window operators, operands from
 * earlier nodes or T_0) or its sums and rows buffers are not what the
 * block needs. */
msf_status exec_block_start(exec_block *k, const exec_ctx *x, const msf_block *b, exec_sink *sink);
/* The buffer holding T_j (1 <= j <= last + 1), of the kind the runner
 * keeps (MSF_BUF_COLUMNS, MSF_BUF_ROWS); NULL in counting mode, where the
 * runner measures what it needs instead. Sets k->fault when the plan gives
 * T_j no such buffer. */
const msf_buffer *exec_level_buffer(exec_block *k, int32_t j, int32_t kind);
/* The runner is about to hold rows x cols pixels of T_j: counting mode
 * records the most; a run checks them against the buffer first, and on a
 * buffer too small sets k->fault and returns 0 (the runner writes nothing
 * more and ends the block). No rows hold nothing, whatever the columns. */
int exec_level_holds(exec_block *k, int32_t j, int32_t rows, int32_t cols);
/* T_j's full shape: looked up, not kept, so that a runner's stack stays
 * small on a 16 KiB part (inline: the counting pass asks for it often). */
static inline msf_hwc exec_level_shape(const exec_block *k, int32_t j)
{
    const msf_tensor *t = &k->x->m->tensors[j == 0 ? exec_op(k, 0)->inputs[0] : exec_op(k, j - 1)->output];
    msf_hwc s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}
/* The bytes of a pixel of T_j held whole: a block ending in a DEQUANTIZE
 * writes float32 pixels into the block output. */
static inline int32_t exec_level_pixel_bytes(const exec_block *k, int32_t j)
{
    const msf_tensor *t = &k->x->m->tensors[j == 0 ? exec_op(k, 0)->inputs[0] : exec_op(k, j - 1)->output];
    return t->dims[3] * (t->dtype == MSF_INT8 ? 1 : 4);
}
/* The rows [lo[j], hi[j]] of each level j (0 .. last + 1) that rows
 * [y0, y1] of the swept map T_{last+1} need (msf_input_span down the levels: the one row
 * span of every scheme); with the input coming a row at a time, T_0's rows
 * are fetched. lo and hi hold MSF_MAX_FUSED + 1 entries. */
void exec_block_rows(exec_block *k, int32_t y0, int32_t y1, int32_t *lo, int32_t *hi);
/* With the input coming a row at a time, fetches its rows [lo, hi] into the
 * block's rows buffer (quantized when the block's QUANTIZE runs there);
 * more rows than the buffer holds set k->fault and return 0. */
int exec_block_fetch(exec_block *k, int32_t lo, int32_t hi);
/* T_0 as a window: the block input, or the input rows it holds. */
exec_window exec_block_input(const exec_block *k);

/* The dispatcher: every kernel call on a window. op computes `out` from the
 * window `in` of its input (in_shape, out_shape: the full maps); a join
 * inside a fused block (ADD, CONCATENATION along channels) takes the
 * windows of its two operands, in operand order, pixel by pixel (in2: the
 * second; none for other operators and whole-tensor steps); a pixel
 * operator in a block (msf_pixel_op) maps its map's pixels, reading any
 * other operand whole. k: the fused
 * block (NULL: a whole-tensor step), whose TRANSPOSE of a float NCHW input
 * quantizes as it reads (k->view_quantize). In counting mode it tallies
 * the call and its MACs and computes nothing. */
void exec_window_op(const exec_ctx *x, const msf_op *op, const exec_block *k, msf_hwc in_shape,
                    const exec_window *in, const exec_window *in2, msf_hwc out_shape, exec_rect out);
/* Node j of block k computes `out` of T_{j+1} from its operands' windows,
 * which the runner holds: window_of(run, L) is T_L as the runner keeps it. */
void exec_node_op(const exec_block *k, int32_t j, exec_window (*window_of)(const void *run, int32_t level),
                  const void *run, exec_rect out);
/* The consumer takes pixel (y, col) of the swept map, held at `at`. */
void exec_sink_pixel(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t y, int32_t col, exec_ref at);
/* The consumer writes its output tensor from its sums. */
void exec_sink_finish(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t out_tensor);

/* TRANSPOSE NHWC -> NCHW, then MEANs over W and H in either order, at ops:
 * 1 when W goes first, 2 when H does, 0 when the operators are not that. */
int exec_transposed_means(const msf_model *m, const msf_op *const ops[3]);

/* Copies rows [lo, hi] of the graph input into the arena at offset, or
 * with q, quantizes the float rows into int8 rows there. */
void exec_fetch_rows(const exec_ctx *x, uint32_t offset, int32_t lo, int32_t hi, const msf_quantize_params *q);

#endif
