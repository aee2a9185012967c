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
    int32_t next, end;    /* columns still to compute for the pending request */
    int32_t ready;        /* the window under column `next` is in the cache below */
} col_cache;

typedef struct {
    const exec_ctx *x;
    const msf_op *ops;            /* op_0 of the block */
    int32_t n;
    int32_t last;                 /* the op whose output pixels the sweep produces */
    const int8_t *block_in;       /* T_0, or its rows buffer (input rows) */
    int32_t in_lo;                /* first row of T_0 at block_in */
    int in_rows;                  /* T_0 comes a row at a time */
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
    /* A window of the whole map without padding, once: with SAME padding and
     * a stride under 2 the window also steps onto the padding (2x2 on 2x2,
     * stride 1, gives 2x2 outputs), which is no global pool. */
    const msf_pool_params *p = &op->p.pool;
    const msf_tensor *out = &m->tensors[op->output];
    return p->filter_h == in->dims[1] && p->filter_w == in->dims[2] && p->pad_top == 0 && p->pad_left == 0 &&
           out->dims[1] == 1 && out->dims[2] == 1;
}

/* The MEAN's axes over its input's own rank: bit a for axis a (the 4-D mask
 * right-aligns them). */
static uint32_t own_axes(const msf_model *m, const msf_op *mean)
{
    return mean->p.mean.axes_mask >> (4 - m->tensors[mean->inputs[0]].rank);
}

/* TRANSPOSE NHWC -> NCHW, then MEANs over W and H in either order. Returns
 * 1 when W (the last NCHW axis) goes first, 2 when H does, 0 when the three
 * operators are not that. */
static int transposed_means(const msf_model *m, const msf_op *ops)
{
    const msf_op *t = &ops[0], *m1 = &ops[1], *m2 = &ops[2];
    const int32_t nchw[4] = {0, 3, 1, 2};
    if (t->type != MSF_OP_TRANSPOSE || m1->type != MSF_OP_MEAN || m2->type != MSF_OP_MEAN ||
        m->tensors[t->inputs[0]].rank != 4)
        return 0;
    for (int32_t d = 0; d < 4; d++)
        if (t->p.transpose.perm[d] != nchw[d])
            return 0;
    /* Of [N, C, H, W], W is axis 3 and H axis 2; after the first MEAN the
     * other spatial axis is axis 2, unless keep_dims left W at axis 3. */
    uint32_t first = own_axes(m, m1), second = own_axes(m, m2);
    int32_t kept = m->tensors[m1->output].rank == 4;
    if (first == 8u)
        return second == 4u ? 1 : 0;
    if (first == 4u)
        return second == (kept ? 8u : 4u) ? 2 : 0;
    return 0;
}

msf_sink msf_block_sink(const msf_model *m, const msf_op *ops, int32_t n, int32_t *last)
{
    *last = n - 1;
    if (n < 2)
        return MSF_SINK_TENSOR;
    if (n >= 4 && transposed_means(m, &ops[n - 3])) {
        *last = n - 4;
        return MSF_SINK_TRANSPOSED_MEANS;
    }
    if (msf_global_pool(m, &ops[n - 1])) {
        *last = n - 2;
        return MSF_SINK_GLOBAL_POOL;
    }
    if (ops[n - 1].type != MSF_OP_FULLY_CONNECTED)
        return MSF_SINK_TENSOR;
    *last = ops[n - 2].type == MSF_OP_RESHAPE ? n - 3 : n - 2;
    return MSF_SINK_FULLY_CONNECTED;
}

int32_t msf_sink_sums(const msf_model *m, const msf_op *ops, int32_t n, msf_sink sink, int32_t last)
{
    const msf_tensor *map = &m->tensors[ops[last].output];
    int32_t w = map->dims[2], c = map->dims[3];
    switch (sink) {
    case MSF_SINK_GLOBAL_POOL: return c;
    case MSF_SINK_FULLY_CONNECTED: return ops[n - 1].p.fc.units;
    case MSF_SINK_TRANSPOSED_MEANS: return (transposed_means(m, &ops[n - 3]) == 1 ? c : w * c) + c;
    default: return 0;
    }
}

/* The transposed means, a pixel at a time: W first keeps a row's sums and
 * folds each finished row's means into per-channel sums; H first keeps a sum
 * per column and channel and folds them at the end. */
static void means_take_pixel(const msf_op *ops, int w_first, msf_hwc map, int32_t x, const int8_t *pixel,
                             int32_t *acc)
{
    int32_t *first = acc + (w_first ? 0 : x * map.c), *second = acc + (w_first ? map.c : map.w * map.c);
    global_pool_accumulate_s8(pixel, map.c, first);
    if (!w_first || x != map.w - 1)
        return;
    for (int32_t c = 0; c < map.c; c++) {
        int8_t v;
        mean_of_sums_s8(&ops[1].p.mean, &first[c], 1, map.w, &v);
        second[c] += v;
        first[c] = 0;
    }
}

static void means_finish(const msf_op *ops, int w_first, msf_hwc map, int32_t *acc, int8_t *out)
{
    int32_t *second = acc + (w_first ? map.c : map.w * map.c);
    for (int32_t i = 0; !w_first && i < map.w * map.c; i++) {
        int8_t v;
        mean_of_sums_s8(&ops[1].p.mean, &acc[i], 1, map.h, &v);
        second[i % map.c] += v;
    }
    mean_of_sums_s8(&ops[2].p.mean, second, map.c, w_first ? map.h : map.w, out);
}

static msf_hwc hwc(const msf_tensor *t)
{
    msf_hwc s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

/* T_j's full shape, and op_j's window: looked up, not kept, so that the
 * runner's stack stays small on a 16 KiB part. */
static msf_hwc shape_of(const block_run *r, int32_t j)
{
    return hwc(&r->x->m->tensors[j == 0 ? r->ops[0].inputs[0] : r->ops[j - 1].output]);
}

/* T_j as the input window of op_j. */
static msf_in_window window_of_t(const block_run *r, int32_t j)
{
    msf_in_window w;
    if (j == 0) {
        w.data = r->block_in;
        w.y0 = r->in_lo;
        w.x0 = 0;
        w.row_stride = shape_of(r, 0).w * shape_of(r, 0).c;
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
    msf_hwc skip_shape = shape_of(r, 0);
    int32_t c = skip_shape.c, dims[4] = {1, 1, 1, c};
    int skip_first = op->inputs[0] == r->ops[0].inputs[0];
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t x = 0; x < out.w; x++) {
            int32_t iy = out.y0 + y, ix = out.x0 + x;
            const int8_t *cur = in.data + (iy - in.y0) * in.row_stride + (ix - in.x0) * c;
            const int8_t *skip = r->block_in + ((iy - r->in_lo) * skip_shape.w + ix) * c;
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
    msf_hwc is = shape_of(r, j), os = shape_of(r, j + 1);
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

/* Asks cache j for columns [a, b] of T_j: the ones it lacks become pending. */
static void request_columns(block_run *r, int32_t j, int32_t a, int32_t b)
{
    col_cache *cc = &r->cache[j];
    drop_columns_before(cc, a, shape_of(r, j).c);
    cc->next = cc->ncols == 0 || cc->col0 + cc->ncols < a ? a : cc->col0 + cc->ncols;
    cc->end = b;
    cc->ready = 0;
}

/* Makes cache top hold columns [a, b] of T_top for the current rows. A new
 * column of T_j first needs the window of T_{j-1} columns under it, and so
 * on down; that recursion runs as a loop over the levels, each level's
 * pending columns kept in its cache, so the stack does not grow with the
 * block's length (it matters on a 16 KiB part). */
static void ensure_columns(block_run *r, int32_t top, int32_t a, int32_t b)
{
    request_columns(r, top, a, b);
    for (int32_t j = top;;) {
        col_cache *cc = &r->cache[j];
        if (cc->next > cc->end) {
            if (j == top)
                return;
            r->cache[++j].ready = 1;
            continue;
        }
        if (j > 1 && !cc->ready) {
            int32_t lo, hi;
            msf_op_window w = msf_window_of(&r->ops[j - 1]);
            msf_input_span(cc->next, cc->next, w.kw, w.sw, w.pad_left, shape_of(r, j - 1).w, &lo, &hi);
            request_columns(r, --j, lo, hi);
            continue;
        }
        if (cc->ncols == 0)
            cc->col0 = cc->next;
        msf_out_rect out = {cc->data + cc->ncols * shape_of(r, j).c, cc->lo, cc->next, cc->hi - cc->lo + 1, 1,
                            cc->row_stride};
        compute_rect(r, j - 1, out);
        cc->ncols++;
        cc->next++;
        cc->ready = 0;
    }
}

/* Rows of every intermediate tensor that row y of the sweep needs, and,
 * with the input coming a row at a time, the input rows it needs, fetched. */
static void set_rows(block_run *r, int32_t y)
{
    int32_t lo = y, hi = y;
    for (int32_t j = r->last; j >= 1; j--) {
        msf_op_window w = msf_window_of(&r->ops[j]);
        msf_input_span(lo, hi, w.kh, w.sh, w.pad_top, shape_of(r, j).h, &lo, &hi);
        r->cache[j].lo = lo;
        r->cache[j].hi = hi;
        r->cache[j].ncols = 0;
    }
    if (!r->in_rows)
        return;
    msf_op_window w = msf_window_of(&r->ops[0]);
    msf_input_span(lo, hi, w.kh, w.sh, w.pad_top, shape_of(r, 0).h, &lo, &hi);
    exec_fetch_rows(r->x, (int8_t *)(uintptr_t)r->block_in, lo, hi);
    r->in_lo = lo;
}

/* Each pixel the sweep produces goes to the block output, or (the block
 * ending in a consumer) into a one-pixel cache that the consumer takes. */
typedef struct {
    msf_sink kind;
    const msf_op *ops;   /* the consumer's operators (the last one for pools and FC) */
    int w_first;         /* transposed means */
    int32_t *acc;
} sink_state;

static void take_pixel(const sink_state *s, msf_hwc map, int32_t y, int32_t x, const int8_t *pixel)
{
    int32_t at = (y * map.w + x) * map.c;
    if (s->kind == MSF_SINK_GLOBAL_POOL)
        global_pool_accumulate_s8(pixel, map.c, s->acc);
    else if (s->kind == MSF_SINK_FULLY_CONNECTED)
        fully_connected_accumulate_s8(&s->ops[0].p.fc, pixel, at, map.c, s->acc);
    else
        means_take_pixel(s->ops, s->w_first, map, x, pixel, s->acc);
}

static void sweep(block_run *r, const sink_state *sink, int8_t *out)
{
    msf_hwc os = shape_of(r, r->last + 1);
    msf_op_window w = msf_window_of(&r->ops[r->last]);
    for (int32_t y = 0; y < os.h; y++) {
        set_rows(r, y);
        for (int32_t px = 0; px < os.w; px++) {
            if (r->last >= 1) {
                int32_t lo, hi;
                msf_input_span(px, px, w.kw, w.sw, w.pad_left, shape_of(r, r->last).w, &lo, &hi);
                ensure_columns(r, r->last, lo, hi);
            }
            int8_t *dst = sink->kind == MSF_SINK_TENSOR ? out + (y * os.w + px) * os.c : r->cache[r->last + 1].data;
            msf_out_rect rect = {dst, y, px, 1, 1, os.w * os.c};
            compute_rect(r, r->last, rect);
            if (sink->kind != MSF_SINK_TENSOR)
                take_pixel(sink, os, y, px, dst);
        }
    }
}

void msf_run_fused_block(const exec_ctx *x, const msf_plan *plan, const msf_block *b)
{
    block_run r;
    r.x = x;
    r.ops = &x->m->ops[b->first_op];
    r.n = b->last_op - b->first_op + 1;
    r.in_rows = b->rows > 0;
    r.in_lo = 0;
    r.block_in = r.in_rows ? (const int8_t *)(x->arena + b->rows_offset)
                           : (const int8_t *)exec_tensor_data(x, r.ops[0].inputs[0]);
    sink_state sink = {msf_block_sink(x->m, r.ops, r.n, &r.last), 0, 0, (int32_t *)(void *)(x->arena + b->acc_offset)};
    for (int32_t j = 1; j <= r.last + 1 && j < r.n; j++) {
        const msf_cache *c = &plan->caches[b->first_cache + j - 1];
        r.cache[j].data = (int8_t *)(x->arena + c->offset);
        r.cache[j].row_stride = c->cols * shape_of(&r, j).c;
    }
    sink.ops = sink.kind == MSF_SINK_TRANSPOSED_MEANS ? &r.ops[r.n - 3] : &r.ops[r.n - 1];
    sink.w_first = sink.kind == MSF_SINK_TRANSPOSED_MEANS && transposed_means(x->m, sink.ops) == 1;
    int32_t sums = msf_sink_sums(x->m, r.ops, r.n, sink.kind, r.last);
    for (int32_t i = 0; i < sums; i++)
        sink.acc[i] = 0;
    int8_t *out = (int8_t *)exec_tensor_data(x, r.ops[r.n - 1].output);
    sweep(&r, &sink, out);
    msf_hwc map = shape_of(&r, r.last + 1);
    if (sink.kind == MSF_SINK_GLOBAL_POOL)
        global_pool_finish_s8(sink.ops, sink.acc, map.c, map.h * map.w, out);
    else if (sink.kind == MSF_SINK_FULLY_CONNECTED)
        fully_connected_finish_s8(&sink.ops->p.fc, sink.acc, out);
    else if (sink.kind == MSF_SINK_TRANSPOSED_MEANS)
        means_finish(sink.ops, sink.w_first, map, sink.acc, out);
}
