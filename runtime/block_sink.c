/* The shape of a block the runners and the planner share: an operator's
 * window, which operators run on windows, and how a block ends (a whole
 * tensor, or a consumer taking the swept map a pixel at a time). */
#include "exec.h"
#include "op_macs.h"

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

int msf_window_op(const msf_op *op)
{
    switch (op->type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
    case MSF_OP_PAD:
    case MSF_OP_ADD: return 1;
    default: return 0;
    }
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
int exec_transposed_means(const msf_model *m, const msf_op *ops)
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
    if (n >= 4 && exec_transposed_means(m, &ops[n - 3])) {
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
    case MSF_SINK_TRANSPOSED_MEANS: return (exec_transposed_means(m, &ops[n - 3]) == 1 ? c : w * c) + c;
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

/* Each pixel a sweep produces goes to the block output, or (the block
 * ending in a consumer) into the consumer's int32 sums. */
int32_t exec_sink_start(const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    const msf_op *ops = &x->m->ops[b->first_op];
    int32_t n = b->last_op - b->first_op + 1, last;
    sink->kind = msf_block_sink(x->m, ops, n, &last);
    sink->acc = b->acc_offset;
    sink->ops = sink->kind == MSF_SINK_TRANSPOSED_MEANS ? &ops[n - 3] : &ops[n - 1];
    sink->w_first = sink->kind == MSF_SINK_TRANSPOSED_MEANS && exec_transposed_means(x->m, sink->ops) == 1;
    if (!exec_counting(x)) {
        int32_t sums = msf_sink_sums(x->m, ops, n, sink->kind, last);
        int32_t *acc = (int32_t *)exec_ptr(x, (exec_ref){-1, sink->acc});
        for (int32_t i = 0; i < sums; i++)
            acc[i] = 0;
    }
    return last;
}

void exec_sink_pixel(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t y, int32_t col, exec_ref at)
{
    if (exec_counting(x)) {
        msf_tally t = {s->kind == MSF_SINK_FULLY_CONNECTED ? msf_fc_macs(&s->ops[0].p.fc, (uint64_t)map.c) : 0,
                       0, 0, 0};
        exec_tally(x, s->ops, t);
        return;
    }
    const int8_t *pixel = (const int8_t *)exec_ptr(x, at);
    int32_t *acc = (int32_t *)exec_ptr(x, (exec_ref){-1, s->acc});
    if (s->kind == MSF_SINK_GLOBAL_POOL)
        global_pool_accumulate_s8(pixel, map.c, acc);
    else if (s->kind == MSF_SINK_FULLY_CONNECTED)
        fully_connected_accumulate_s8(&s->ops[0].p.fc, pixel, (y * map.w + col) * map.c, map.c, acc);
    else
        means_take_pixel(s->ops, s->w_first, map, col, pixel, acc);
}

void exec_sink_finish(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t out_tensor)
{
    if (exec_counting(x) || s->kind == MSF_SINK_TENSOR)
        return;
    int8_t *out = (int8_t *)exec_tensor_data(x, out_tensor);
    int32_t *acc = (int32_t *)exec_ptr(x, (exec_ref){-1, s->acc});
    if (s->kind == MSF_SINK_GLOBAL_POOL)
        global_pool_finish_s8(s->ops, acc, map.c, map.h * map.w, out);
    else if (s->kind == MSF_SINK_FULLY_CONNECTED)
        fully_connected_finish_s8(&s->ops->p.fc, acc, out);
    else
        means_finish(s->ops, s->w_first, map, acc, out);
}

void exec_block_start(exec_block *k, const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    k->x = x;
    k->ops = &x->m->ops[b->first_op];
    k->n = b->last_op - b->first_op + 1;
    k->in_rows = b->rows > 0;
    k->in_lo = 0;
    k->in = k->in_rows ? (exec_ref){-1, b->rows_offset} : (exec_ref){k->ops[0].inputs[0], 0};
    k->last = exec_sink_start(x, b, sink);
}

/* Looked up, not kept, so that a runner's stack stays small on a 16 KiB
 * part. */
msf_hwc exec_level_shape(const exec_block *k, int32_t j)
{
    const msf_tensor *t = &k->x->m->tensors[j == 0 ? k->ops[0].inputs[0] : k->ops[j - 1].output];
    msf_hwc s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

void exec_block_rows(exec_block *k, int32_t y, int32_t *lo, int32_t *hi)
{
    lo[k->last + 1] = hi[k->last + 1] = y;
    for (int32_t j = k->last; j >= 0; j--) {
        msf_op_window w = msf_window_of(&k->ops[j]);
        msf_input_span(lo[j + 1], hi[j + 1], w.kh, w.sh, w.pad_top, exec_level_shape(k, j).h, &lo[j], &hi[j]);
    }
    if (k->in_rows) {
        exec_fetch_rows(k->x, k->in.offset, lo[0], hi[0]);
        k->in_lo = lo[0];
    }
}

exec_window exec_block_input(const exec_block *k)
{
    msf_hwc in = exec_level_shape(k, 0);
    exec_window w = {k->in, k->ops[0].inputs[0], k->in_lo, 0, in.w * in.c};
    return w;
}
