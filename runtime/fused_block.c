/* A fused block with msf-CNN's H-cache. Operators op_0 .. op_{n-1} of the
 * block map tensor T_j to T_{j+1}; T_0 is the block input (whole, in the
 * arena or streamed), T_n the block output (whole), and each intermediate
 * T_1 .. T_{n-1} lives only as a cache: for the current output row, the rows
 * of T_j that row needs (msf_input_span), and a window of columns. Output
 * pixels are produced left to right; a column of T_j is computed when the
 * window of T_{j+1}'s next column first needs it, so along a row every
 * column is computed once, and the next output row recomputes its rows. */
#include "fused_block.h"
#include "msf_kernels.h"

typedef struct {
    int8_t *data;
    int32_t lo, hi;       /* rows held for the current output row */
    int32_t col0, ncols;  /* columns held: [col0, col0 + ncols) */
    int32_t row_stride;
} col_cache;

typedef struct {
    const exec_ctx *x;
    const msf_op *ops;            /* op_0 of the block */
    int32_t n;
    int32_t last;                 /* the op whose output pixels the sweep produces */
    const int8_t *block_in;       /* T_0 */
    msf_hwc shape[MSF_MAX_FUSED + 1];
    msf_op_window win[MSF_MAX_FUSED];
    col_cache cache[MSF_MAX_FUSED]; /* cache[j] holds T_j, 1 <= j < n */
} block_run;

msf_op_window msf_window_of(const msf_op *op)
{
    msf_op_window w = {1, 1, 1, 1, 0, 0};
    if (op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D) {
        const msf_conv_params *p = &op->p.conv;
        w = (msf_op_window){p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->pad_top, p->pad_left};
    } else if (op->type == MSF_OP_AVERAGE_POOL2D || op->type == MSF_OP_MAX_POOL2D) {
        const msf_pool_params *p = &op->p.pool;
        w = (msf_op_window){p->filter_h, p->filter_w, p->stride_h, p->stride_w, p->pad_top, p->pad_left};
    } else if (op->type == MSF_OP_PAD) {
        w.pad_top = op->p.pad.before[1];
        w.pad_left = op->p.pad.before[2];
    }
    return w;
}

int msf_global_pool(const msf_model *m, const msf_op *op)
{
    const msf_tensor *in = &m->tensors[op->inputs[0]];
    if (in->rank != 4)
        return 0;
    if (op->type == MSF_OP_MEAN)
        return op->p.mean.axes_mask == 6u; /* H and W of N, H, W, C */
    if (op->type != MSF_OP_AVERAGE_POOL2D)
        return 0;
    const msf_pool_params *p = &op->p.pool;
    return p->filter_h == in->dims[1] && p->filter_w == in->dims[2] && p->pad_top == 0 && p->pad_left == 0;
}

msf_sink msf_block_sink(const msf_model *m, const msf_op *ops, int32_t n, int32_t *last)
{
    *last = n - 1;
    if (n < 2)
        return MSF_SINK_TENSOR;
    if (msf_global_pool(m, &ops[n - 1])) {
        *last = n - 2;
        return MSF_SINK_GLOBAL_POOL;
    }
    if (ops[n - 1].type != MSF_OP_FULLY_CONNECTED)
        return MSF_SINK_TENSOR;
    *last = ops[n - 2].type == MSF_OP_RESHAPE ? n - 3 : n - 2;
    return MSF_SINK_FULLY_CONNECTED;
}

static msf_hwc hwc(const msf_tensor *t)
{
    msf_hwc s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

/* T_j as the input window of op_j. */
static msf_in_window window_of_t(const block_run *r, int32_t j)
{
    msf_in_window w;
    if (j == 0) {
        w.data = r->block_in;
        w.y0 = 0;
        w.x0 = 0;
        w.row_stride = r->shape[0].w * r->shape[0].c;
    } else {
        const col_cache *c = &r->cache[j];
        w.data = c->data;
        w.y0 = c->lo;
        w.x0 = c->col0;
        w.row_stride = c->row_stride;
    }
    return w;
}

/* An ADD inside a block adds the block input (the residual source) at the
 * same pixels: one kernel call per pixel, operands of one pixel each, in the
 * operator's operand order (each operand has its own rescaling). */
static void add_rect(const block_run *r, const msf_op *op, msf_in_window in, msf_out_rect out)
{
    int32_t c = r->shape[0].c, dims[4] = {1, 1, 1, c};
    int skip_first = op->inputs[0] == r->ops[0].inputs[0];
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t x = 0; x < out.w; x++) {
            int32_t iy = out.y0 + y, ix = out.x0 + x;
            const int8_t *cur = in.data + (iy - in.y0) * in.row_stride + (ix - in.x0) * c;
            const int8_t *skip = r->block_in + (iy * r->shape[0].w + ix) * c;
            add_s8(&op->p.add, skip_first ? skip : cur, dims, skip_first ? cur : skip, dims,
                   out.data + y * out.row_stride + x * c, dims);
        }
    }
}

/* Computes the rectangle `out` of T_{j+1} with op_j. */
static void compute_rect(const block_run *r, int32_t j, msf_out_rect out)
{
    const msf_op *op = &r->ops[j];
    msf_in_window in = window_of_t(r, j);
    msf_hwc is = r->shape[j], os = r->shape[j + 1];
    switch (op->type) {
    case MSF_OP_CONV2D: conv2d_s8(&op->p.conv, is, in, os, out); break;
    case MSF_OP_DEPTHWISE_CONV2D: depthwise_conv2d_s8(&op->p.conv, is, in, os, out); break;
    case MSF_OP_AVERAGE_POOL2D: avg_pool2d_s8(&op->p.pool, is, in, os, out); break;
    case MSF_OP_MAX_POOL2D: max_pool2d_s8(&op->p.pool, is, in, os, out); break;
    case MSF_OP_PAD: pad2d_s8(&op->p.pad, is, in, os, out); break;
    default: add_rect(r, op, in, out); break;
    }
}

/* Drops the cached columns left of `a` by moving the rest to the front. */
static void drop_columns_before(col_cache *cc, int32_t a, int32_t channels)
{
    int32_t d = a - cc->col0;
    if (d <= 0)
        return;
    if (d >= cc->ncols) {
        cc->ncols = 0;
        return;
    }
    int32_t keep = (cc->ncols - d) * channels, rows = cc->hi - cc->lo + 1;
    for (int32_t y = 0; y < rows; y++) {
        int8_t *row = cc->data + y * cc->row_stride;
        for (int32_t i = 0; i < keep; i++)
            row[i] = row[i + d * channels];
    }
    cc->col0 = a;
    cc->ncols -= d;
}

/* Makes cache j hold columns [a, b] of T_j for the current rows. */
static void ensure_columns(block_run *r, int32_t j, int32_t a, int32_t b)
{
    col_cache *cc = &r->cache[j];
    int32_t channels = r->shape[j].c;
    drop_columns_before(cc, a, channels);
    int32_t c = cc->col0 + cc->ncols;
    if (cc->ncols == 0 || c < a)
        c = a;
    for (; c <= b; c++) {
        if (cc->ncols == 0)
            cc->col0 = c;
        if (j > 1) {
            int32_t lo, hi;
            const msf_op_window *w = &r->win[j - 1];
            msf_input_span(c, c, w->kw, w->sw, w->pad_left, r->shape[j - 1].w, &lo, &hi);
            ensure_columns(r, j - 1, lo, hi);
        }
        msf_out_rect out = {cc->data + cc->ncols * channels, cc->lo, c, cc->hi - cc->lo + 1, 1,
                            cc->row_stride};
        compute_rect(r, j - 1, out);
        cc->ncols++;
    }
}

/* Rows of every intermediate tensor that row y of the sweep needs. */
static void set_rows(block_run *r, int32_t y)
{
    int32_t lo = y, hi = y;
    for (int32_t j = r->last; j >= 1; j--) {
        const msf_op_window *w = &r->win[j];
        msf_input_span(lo, hi, w->kh, w->sh, w->pad_top, r->shape[j].h, &lo, &hi);
        r->cache[j].lo = lo;
        r->cache[j].hi = hi;
        r->cache[j].ncols = 0;
    }
}

/* Each pixel the sweep produces goes to the block output, or (the block
 * ending in a consumer) into a one-pixel cache that the consumer takes. */
static void sweep(block_run *r, msf_sink sink, const msf_op *consumer, int8_t *out, int32_t *acc)
{
    msf_hwc os = r->shape[r->last + 1];
    const msf_op_window *w = &r->win[r->last];
    for (int32_t y = 0; y < os.h; y++) {
        set_rows(r, y);
        for (int32_t px = 0; px < os.w; px++) {
            if (r->last >= 1) {
                int32_t lo, hi;
                msf_input_span(px, px, w->kw, w->sw, w->pad_left, r->shape[r->last].w, &lo, &hi);
                ensure_columns(r, r->last, lo, hi);
            }
            int32_t at = (y * os.w + px) * os.c;
            int8_t *dst = sink == MSF_SINK_TENSOR ? out + at : r->cache[r->last + 1].data;
            msf_out_rect rect = {dst, y, px, 1, 1, os.w * os.c};
            compute_rect(r, r->last, rect);
            if (sink == MSF_SINK_GLOBAL_POOL)
                global_pool_accumulate_s8(dst, os.c, acc);
            else if (sink == MSF_SINK_FULLY_CONNECTED)
                fully_connected_accumulate_s8(&consumer->p.fc, dst, at, os.c, acc);
        }
    }
}

void msf_run_fused_block(const exec_ctx *x, const msf_plan *plan, const msf_block *b)
{
    block_run r;
    r.x = x;
    r.ops = &x->m->ops[b->first_op];
    r.n = b->last_op - b->first_op + 1;
    r.block_in = (const int8_t *)exec_tensor_data(x, r.ops[0].inputs[0]);
    r.shape[0] = hwc(&x->m->tensors[r.ops[0].inputs[0]]);
    msf_sink sink = msf_block_sink(x->m, r.ops, r.n, &r.last);
    for (int32_t j = 0; j <= r.last; j++) {
        r.shape[j + 1] = hwc(&x->m->tensors[r.ops[j].output]);
        r.win[j] = msf_window_of(&r.ops[j]);
    }
    for (int32_t j = 1; j <= r.last + 1 && j < r.n; j++) {
        const msf_cache *c = &plan->caches[b->first_cache + j - 1];
        r.cache[j].data = (int8_t *)(x->arena + c->offset);
        r.cache[j].row_stride = c->cols * r.shape[j].c;
    }
    const msf_op *consumer = &r.ops[r.n - 1];
    int8_t *out = (int8_t *)exec_tensor_data(x, consumer->output);
    int32_t *acc = (int32_t *)(void *)(x->arena + b->acc_offset);
    int32_t n_acc = sink == MSF_SINK_GLOBAL_POOL ? r.shape[r.last + 1].c : consumer->p.fc.units;
    for (int32_t i = 0; sink != MSF_SINK_TENSOR && i < n_acc; i++)
        acc[i] = 0;
    sweep(&r, sink, consumer, out, acc);
    msf_hwc pooled = r.shape[r.last + 1];
    if (sink == MSF_SINK_GLOBAL_POOL)
        global_pool_finish_s8(consumer, acc, pooled.c, pooled.h * pooled.w, out);
    else if (sink == MSF_SINK_FULLY_CONNECTED)
        fully_connected_finish_s8(&consumer->p.fc, acc, out);
}
