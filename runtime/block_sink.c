/* The shape of a block the runners and the planner share: an operator's
 * window, which operators run on windows, and how a block ends (a whole
 * tensor, or a consumer taking the swept map a pixel at a time). */
#include "exec.h"
#include "op_macs.h"
#include "unaligned.h"

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

/* A map of one image: 1 x H x W x C. */
static int image_map(const msf_tensor *t)
{
    return t->rank == 4 && t->dims[0] == 1;
}

int msf_join_pixelwise(const msf_model *m, const msf_op *op)
{
    if ((op->type != MSF_OP_ADD && op->type != MSF_OP_CONCATENATION) || op->n_inputs != 2)
        return 0;
    const msf_tensor *a = &m->tensors[op->inputs[0]], *b = &m->tensors[op->inputs[1]], *y = &m->tensors[op->output];
    if (a->dtype != MSF_INT8 || b->dtype != MSF_INT8 || !image_map(a) || !image_map(b) || !image_map(y) ||
        a->dims[1] != y->dims[1] || a->dims[2] != y->dims[2] || b->dims[1] != y->dims[1] || b->dims[2] != y->dims[2])
        return 0;
    if (op->type == MSF_OP_ADD)
        return a->dims[3] == y->dims[3] && b->dims[3] == y->dims[3];
    return op->p.concat.axis == 3 && a->dims[3] + b->dims[3] == y->dims[3];
}

int msf_pixel_op(const msf_model *m, const msf_op *op)
{
    int unary = op->type == MSF_OP_HARD_SWISH || op->type == MSF_OP_LOGISTIC;
    /* Two maps of one pixel are a join. */
    if (!unary && ((op->type != MSF_OP_ADD && op->type != MSF_OP_MUL) || op->n_inputs != 2 || msf_join_pixelwise(m, op)))
        return 0;
    const msf_tensor *a = &m->tensors[op->inputs[0]], *y = &m->tensors[op->output];
    if (a->dtype != MSF_INT8 || y->dtype != MSF_INT8 || !image_map(a) || !image_map(y) ||
        a->dims[1] != y->dims[1] || a->dims[2] != y->dims[2] || a->dims[3] != y->dims[3])
        return 0;
    if (unary)
        return 1;
    const msf_tensor *b = &m->tensors[op->inputs[1]];
    int32_t d[4];
    msf_dims4(b, d);
    return b->dtype == MSF_INT8 && d[0] == 1 && d[1] == 1 && d[2] == 1 && (d[3] == 1 || d[3] == y->dims[3]);
}

/* Whether a swept runner can compute op's output on windows (the
 * dispatcher's operators), from and to maps of one image; a plan file may
 * put anything in a block, the planner fuses only these (block_fusible). */
static int window_node(const msf_model *m, const msf_op *op)
{
    switch (op->type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
    case MSF_OP_PAD:
    case MSF_OP_QUANTIZE:
    case MSF_OP_DEQUANTIZE:
    case MSF_OP_TRANSPOSE: return image_map(&m->tensors[op->inputs[0]]) && image_map(&m->tensors[op->output]);
    case MSF_OP_CONCATENATION: return msf_join_pixelwise(m, op);
    case MSF_OP_ADD: return msf_join_pixelwise(m, op) || msf_pixel_op(m, op);
    case MSF_OP_MUL:
    case MSF_OP_LOGISTIC:
    case MSF_OP_HARD_SWISH: return msf_pixel_op(m, op);
    default: return 0;
    }
}

int msf_nchw_view(const msf_model *m, const msf_op *op)
{
    static const int32_t to_nhwc[4] = {0, 2, 3, 1};
    const msf_tensor *in = &m->tensors[op->inputs[0]];
    if (op->type != MSF_OP_TRANSPOSE || in->rank != 4 || in->dims[0] != 1 || in->dtype != MSF_INT8)
        return 0;
    for (int32_t d = 0; d < 4; d++)
        if (op->p.transpose.perm[d] != to_nhwc[d])
            return 0;
    return 1;
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
int exec_transposed_means(const msf_model *m, const msf_op *const ops[3])
{
    const msf_op *t = ops[0], *m1 = ops[1], *m2 = ops[2];
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

int32_t msf_sink_ops(const msf_op *ops, int32_t n)
{
    return n >= 3 && ops[n - 1].type == MSF_OP_DEQUANTIZE && ops[n - 1].inputs[0] == ops[n - 2].output ? n - 1 : n;
}

/* How the first n operators of a block end (msf_block_sink without a
 * DEQUANTIZE after them). */
static msf_sink consumer_of(const msf_model *m, const msf_op *ops, int32_t n, int32_t *last)
{
    *last = n - 1;
    if (n < 2)
        return MSF_SINK_TENSOR;
    const msf_op *tail[3] = {&ops[n - 3 < 0 ? 0 : n - 3], &ops[n - 2], &ops[n - 1]};
    if (n >= 4 && exec_transposed_means(m, tail)) {
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

msf_sink msf_block_sink(const msf_model *m, const msf_op *ops, int32_t n, int32_t *last)
{
    msf_sink sink = consumer_of(m, ops, msf_sink_ops(ops, n), last);
    if (sink == MSF_SINK_TENSOR)
        *last = n - 1; /* a DEQUANTIZE at the end runs on windows like the rest */
    return sink;
}

int msf_fetch_quantizes(const msf_model *m, int32_t first_op, int32_t n, int input_rows)
{
    return input_rows && n > 1 && m->ops[first_op].type == MSF_OP_QUANTIZE;
}

int msf_view_quantizes(const msf_model *m, int32_t first_op, int32_t n, int input_rows)
{
    const msf_op *q = &m->ops[first_op];
    return !input_rows && n > 1 && q->type == MSF_OP_QUANTIZE && msf_nchw_view(m, q + 1) && q[1].inputs[0] == q->output;
}

msf_node msf_block_node(const msf_model *m, int32_t first_op, int32_t op, int32_t out)
{
    msf_node d = {op, {-1, -1}, out};
    for (int32_t k = 0; k < 2 && k < m->ops[op].n_inputs; k++)
        for (int32_t i = first_op; i < op; i++)
            if (m->ops[op].inputs[k] == m->ops[i].output)
                d.in[k] = i - first_op;
    return d;
}

/* The sums a consumer keeps over `map`, the one count of both readers. */
static int32_t sums_of(msf_sink sink, int w_first, int32_t units, msf_hwc map)
{
    switch (sink) {
    case MSF_SINK_GLOBAL_POOL: return map.c;
    case MSF_SINK_FULLY_CONNECTED: return units;
    case MSF_SINK_TRANSPOSED_MEANS: return (w_first ? map.c : map.w * map.c) + map.c;
    default: return 0;
    }
}

int32_t msf_sink_sums(const msf_model *m, const msf_op *ops, int32_t n, msf_sink sink, int32_t last)
{
    n = msf_sink_ops(ops, n);
    const msf_tensor *t = &m->tensors[ops[last].output];
    msf_hwc map = {t->dims[1], t->dims[2], t->dims[3]};
    const msf_op *tail[3] = {&ops[n - 3 < 0 ? 0 : n - 3], &ops[n - 2 < 0 ? 0 : n - 2], &ops[n - 1]};
    int w_first = sink == MSF_SINK_TRANSPOSED_MEANS && exec_transposed_means(m, tail) == 1;
    return sums_of(sink, w_first, sink == MSF_SINK_FULLY_CONNECTED ? ops[n - 1].p.fc.units : 0, map);
}

/* The transposed means, a pixel at a time: W first keeps a row's sums and
 * folds each finished row's means into per-channel sums; H first keeps a sum
 * per column and channel and folds them at the end. */
static void means_take_pixel(const msf_op *const *ops, int w_first, msf_hwc map, int32_t x, const int8_t *pixel,
                             uint8_t *sums)
{
    uint8_t *first = sums + 4 * (w_first ? 0 : x * map.c), *second = sums + 4 * (w_first ? map.c : map.w * map.c);
    global_pool_accumulate_s8(pixel, map.c, first);
    if (!w_first || x != map.w - 1)
        return;
    for (int32_t c = 0; c < map.c; c++) {
        int8_t v;
        mean_of_sums_s8(&ops[1]->p.mean, first + 4 * c, 1, map.w, &v);
        sums_set(second, c, sums_get(second, c) + v);
        sums_set(first, c, 0);
    }
}

static void means_finish(const msf_op *const *ops, int w_first, msf_hwc map, uint8_t *sums, int8_t *out)
{
    uint8_t *second = sums + 4 * (w_first ? map.c : map.w * map.c);
    for (int32_t i = 0; !w_first && i < map.w * map.c; i++) {
        int8_t v;
        mean_of_sums_s8(&ops[1]->p.mean, sums + 4 * i, 1, map.h, &v);
        sums_set(second, i % map.c, sums_get(second, i % map.c) + v);
    }
    mean_of_sums_s8(&ops[2]->p.mean, second, map.c, w_first ? map.h : map.w, out);
}

const msf_buffer *exec_sound_buffer(const msf_plan *plan, int32_t i, int32_t kind)
{
    const msf_buffer *b = i >= 0 && i < plan->n_buffers ? &plan->buffers[i] : 0;
    if (!b || b->kind != kind || b->rows < 0 || b->cols < 0 || b->channels < 0 || b->elem_bytes < 1 ||
        (uint64_t)b->offset + b->bytes > plan->arena_bytes ||
        (uint64_t)b->rows * (uint64_t)b->cols * (uint64_t)b->channels * (uint64_t)b->elem_bytes > b->bytes)
        return 0;
    return b;
}

/* Each pixel a sweep produces goes to the block output, or (the block
 * ending in a consumer) into the consumer's int32 sums, zeroed here. */
static msf_status sink_start(exec_block *k, const msf_block *b, exec_sink *sink)
{
    const exec_ctx *x = k->x;
    int32_t n = msf_sink_ops(exec_op(k, 0), k->n);
    sink->kind = (msf_sink)b->sink;
    sink->op[0] = sink->op[1] = sink->op[2] = exec_op(k, n - 1);
    if (sink->kind == MSF_SINK_TRANSPOSED_MEANS)
        for (int32_t i = 0; i < 3; i++)
            sink->op[i] = exec_op(k, n - 3 + i);
    sink->dequantize = sink->kind != MSF_SINK_TENSOR && n < k->n ? exec_op(k, n) : NULL;
    sink->w_first = sink->kind == MSF_SINK_TRANSPOSED_MEANS && exec_transposed_means(x->m, sink->op) == 1;
    if (exec_counting(x))
        return MSF_OK;
    if (sink->kind == MSF_SINK_TENSOR)
        return b->sums < 0 ? MSF_OK : MSF_ERR_BAD_PLAN;
    const msf_buffer *sums = exec_sound_buffer(x->plan, b->sums, MSF_BUF_SUMS);
    int32_t units = sink->kind == MSF_SINK_FULLY_CONNECTED ? sink->op[0]->p.fc.units : 0;
    int32_t need = sums_of(sink->kind, sink->w_first, units, exec_level_shape(k, k->last + 1));
    if (!sums || sums->channels != need || sums->elem_bytes != 4)
        return MSF_ERR_BAD_PLAN;
    sink->acc = sums->offset;
    uint8_t *acc = (uint8_t *)exec_ptr(x, (exec_ref){-1, sink->acc});
    for (int32_t i = 0; i < need; i++)
        sums_set(acc, i, 0);
    return MSF_OK;
}

void exec_sink_pixel(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t y, int32_t col, exec_ref at)
{
    if (exec_counting(x)) {
        msf_tally t = {s->kind == MSF_SINK_FULLY_CONNECTED ? msf_fc_macs(&s->op[0]->p.fc, (uint64_t)map.c) : 0,
                       0, 0, 0};
        exec_tally(x, s->op[0], t);
        return;
    }
    const int8_t *pixel = (const int8_t *)exec_ptr(x, at);
    uint8_t *acc = (uint8_t *)exec_ptr(x, (exec_ref){-1, s->acc});
    if (s->kind == MSF_SINK_GLOBAL_POOL)
        global_pool_accumulate_s8(pixel, map.c, acc);
    else if (s->kind == MSF_SINK_FULLY_CONNECTED) {
        fully_connected_accumulate_s8(&s->op[0]->p.fc, pixel, (y * map.w + col) * map.c, map.c, acc);
        exec_ran(x, msf_fc_macs(&s->op[0]->p.fc, (uint64_t)map.c));
    }
    else
        means_take_pixel(s->op, s->w_first, map, col, pixel, acc);
}

void exec_sink_finish(const exec_ctx *x, const exec_sink *s, msf_hwc map, int32_t out_tensor)
{
    if (exec_counting(x) || s->kind == MSF_SINK_TENSOR)
        return;
    int8_t *out = (int8_t *)exec_tensor_data(x, out_tensor);
    /* Dequantized, the n int8 results go to the last n bytes of their 4n
     * float bytes and are dequantized in place from the front: float i
     * ends at byte 4i + 3, before int8 i + 1 at 3n + i + 1. */
    int32_t n = s->dequantize ? msf_elements(&x->m->tensors[s->dequantize->inputs[0]]) : 0;
    out += 3 * n;
    uint8_t *acc = (uint8_t *)exec_ptr(x, (exec_ref){-1, s->acc});
    if (s->kind == MSF_SINK_GLOBAL_POOL)
        global_pool_finish_s8(s->op[0], acc, map.c, map.h * map.w, out);
    else if (s->kind == MSF_SINK_FULLY_CONNECTED)
        fully_connected_finish_s8(&s->op[0]->p.fc, acc, out);
    else
        means_finish(s->op, s->w_first, map, acc, out);
    if (s->dequantize)
        dequantize_s8_f32(&s->dequantize->p.quantize, out, n, (uint8_t *)out - 3 * n);
}

/* The nodes of a block are consecutive operators, with the operands their
 * operators give them (msf_block_node); every map operand is an earlier
 * node or the block input T_0, and the consumer after the swept node reads
 * the node before it; the nodes up to it are operators the dispatcher runs
 * on windows. *chain: moreover each node past the first reads the one
 * before, a join's other operand being T_0 (what the H-cache runs). */
static int block_nodes(const msf_model *m, const msf_node *nodes, int32_t n, int32_t swept, int *chain)
{
    int32_t first = nodes[0].op;
    if (first < 0 || first > m->n_ops - n)
        return 0;
    int32_t in = m->ops[first].inputs[0];
    *chain = 1;
    for (int32_t j = 0; j < n; j++) {
        const msf_node *d = &nodes[j];
        msf_node want = msf_block_node(m, first, first + j, d->out);
        if (d->op != first + j || d->in[0] != want.in[0] || d->in[1] != want.in[1] || (j > swept && d->in[0] != j - 1))
            return 0;
        const msf_op *op = &m->ops[d->op];
        int32_t reads_prev = 0, inside = 0;
        if (j <= swept && !window_node(m, op))
            return 0;
        /* A pixel operator's per-pixel operand comes from outside the block. */
        if (j <= swept && msf_pixel_op(m, op) && op->n_inputs > 1 && d->in[1] >= 0)
            return 0;
        for (int32_t k = 0; k < exec_map_operands(m, op) && k < op->n_inputs; k++) {
            if (d->in[k] < 0 && op->inputs[k] != in)
                return 0;
            reads_prev += d->in[k] == j - 1;
            inside += d->in[k] >= 0;
        }
        if (j > 0 && (reads_prev != 1 || inside != 1))
            *chain = 0;
    }
    return 1;
}

/* With the input coming a row at a time, only node 0 reads it (its rows
 * buffer holds the rows node 0's window needs); read through a quantizing
 * TRANSPOSE, only that node (T_0 is then the float input, not the int8 map
 * the block's operators name). */
static int input_read_once(const exec_block *k)
{
    for (int32_t j = 1; j <= k->last; j++)
        for (int32_t i = 0; i < exec_map_operands(k->x->m, exec_op(k, j)); i++)
            if (exec_operand_level(k, j, i) == 0)
                return 0;
    return 1;
}

/* QUANTIZE and DEQUANTIZE change the element size, so a block runs them only
 * where its buffers expect it: a QUANTIZE first (reading the float input), a
 * DEQUANTIZE last, writing the whole output (on windows, or the consumer's
 * results); anywhere else they would read or write float32 elements in int8
 * caches. A TRANSPOSE the sweep runs (not a consumer's) reads an NCHW map
 * whole: first, from the block input held whole (not from input rows), or
 * second, quantizing the float input of the QUANTIZE before it. */
static int transpose_placed(const msf_model *m, const msf_node *nodes, int32_t n, int32_t j, int in_rows)
{
    return !in_rows && msf_nchw_view(m, &m->ops[nodes[j].op]) &&
           (j == 0 || (j == 1 && msf_view_quantizes(m, nodes[0].op, n, 0)));
}

static int edges_placed(const msf_model *m, const msf_node *nodes, int32_t n, int32_t swept, int in_rows)
{
    for (int32_t j = 0; j < n; j++) {
        int32_t type = m->ops[nodes[j].op].type;
        if ((type == MSF_OP_QUANTIZE && j != 0) || (type == MSF_OP_DEQUANTIZE && j != n - 1) ||
            (type == MSF_OP_TRANSPOSE && j <= swept && !transpose_placed(m, nodes, n, j, in_rows)))
            return 0;
    }
    return 1;
}

/* The block's rows buffer holds whole rows of the input, int8 when the rows
 * are quantized as fetched: at most `rows` of them. */
static msf_status rows_buffer_start(exec_block *k, const msf_block *b, int32_t source)
{
    const exec_ctx *x = k->x;
    const msf_tensor *in = &x->m->tensors[source];
    const msf_buffer *r = exec_sound_buffer(x->plan, b->input_rows, MSF_BUF_INPUT_ROWS);
    int32_t elem = k->fetch_quantize || in->dtype == MSF_INT8 ? 1 : 4;
    if (!r || x->streamed_tensor != source || r->cols != in->dims[2] || r->channels != in->dims[3] ||
        r->elem_bytes != elem)
        return MSF_ERR_BAD_PLAN;
    k->in = (exec_ref){-1, r->offset};
    k->in_cap = r->rows;
    return MSF_OK;
}

msf_status exec_block_start(exec_block *k, const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    k->x = x;
    k->fault = MSF_OK;
    if (b->first_node < 0 || b->n_nodes < 1 || b->n_nodes > MSF_MAX_FUSED ||
        b->first_node > x->plan->n_nodes - b->n_nodes || b->swept < 0 || b->swept >= b->n_nodes || b->tile_rows < 1)
        return MSF_ERR_BAD_PLAN;
    k->nodes = &x->plan->nodes[b->first_node];
    k->n = b->n_nodes;
    k->last = b->swept;
    k->base = 0;
    int32_t swept;
    if (!block_nodes(x->m, k->nodes, k->n, b->swept, &k->chain) ||
        !edges_placed(x->m, k->nodes, k->n, b->swept, b->input_rows >= 0) ||
        b->sink != (int32_t)msf_block_sink(x->m, exec_op(k, 0), k->n, &swept) || b->swept != swept)
        return MSF_ERR_BAD_PLAN;
    k->in_rows = b->input_rows >= 0;
    k->in_lo = 0;
    int32_t source = exec_op(k, 0)->inputs[0];
    /* A QUANTIZE writing the rows buffer runs as the rows are fetched: the
     * block the runner sweeps starts after it, at its int8 output. */
    k->fetch_quantize = NULL;
    if (k->in_rows && k->nodes[0].out == b->input_rows && msf_fetch_quantizes(x->m, k->nodes[0].op, k->n, 1)) {
        k->fetch_quantize = &exec_op(k, 0)->p.quantize;
        k->nodes++, k->n--, k->last--, k->base = 1;
    }
    /* A QUANTIZE of a float NCHW input runs in the TRANSPOSE after it: the
     * sweep starts at the TRANSPOSE, reading the float input. */
    k->view_quantize = NULL;
    if (msf_view_quantizes(x->m, k->nodes[0].op, k->n, k->in_rows)) {
        k->view_quantize = &exec_op(k, 0)->p.quantize;
        k->nodes++, k->n--, k->last--, k->base = 1;
    }
    k->in = (exec_ref){k->view_quantize ? source : exec_op(k, 0)->inputs[0], 0};
    /* A pixel operator's vector is read whole: not from input rows. */
    for (int32_t j = 0; x->rows && j <= k->last; j++)
        if (msf_pixel_op(x->m, exec_op(k, j)) && exec_op(k, j)->n_inputs > 1 &&
            exec_op(k, j)->inputs[1] == x->streamed_tensor)
            return MSF_ERR_BAD_PLAN;
    if (k->last < 0 || ((k->in_rows || k->view_quantize) && !input_read_once(k)))
        return MSF_ERR_BAD_PLAN;
    k->in_cap = 0;
    if (k->in_rows && !exec_counting(x) && rows_buffer_start(k, b, source) != MSF_OK)
        return MSF_ERR_BAD_PLAN;
    return sink_start(k, b, sink);
}

const msf_buffer *exec_level_buffer(exec_block *k, int32_t j, int32_t kind)
{
    if (exec_counting(k->x))
        return 0;
    const msf_buffer *buf = exec_sound_buffer(k->x->plan, k->nodes[j - 1].out, kind);
    if (!buf || buf->channels != exec_level_shape(k, j).c || buf->elem_bytes != 1) {
        k->fault = MSF_ERR_BAD_PLAN;
        return 0;
    }
    return buf;
}

int exec_level_holds(exec_block *k, int32_t j, int32_t rows, int32_t cols)
{
    if (rows <= 0 || k->fault != MSF_OK)
        return k->fault == MSF_OK; /* columns of no rows take no bytes */
    if (exec_counting(k->x)) {
        msf_block_count *c = k->x->count;
        c->rows[j] = rows > c->rows[j] ? rows : c->rows[j];
        c->cols[j] = cols > c->cols[j] ? cols : c->cols[j];
        return 1;
    }
    const msf_buffer *buf = &k->x->plan->buffers[k->nodes[j - 1].out];
    if (rows > buf->rows || cols > buf->cols)
        k->fault = MSF_ERR_BAD_PLAN;
    return k->fault == MSF_OK;
}

void exec_block_rows(exec_block *k, int32_t y0, int32_t y1, int32_t *lo, int32_t *hi)
{
    lo[k->last + 1] = y0;
    hi[k->last + 1] = y1;
    for (int32_t j = k->last; j >= 0; j--) {
        msf_op_window w = msf_window_of(exec_op(k, j));
        msf_input_span(lo[j + 1], hi[j + 1], w.kh, w.sh, w.pad_top, exec_level_shape(k, j).h, &lo[j], &hi[j]);
    }
    exec_block_fetch(k, lo[0], hi[0]);
}

int exec_block_fetch(exec_block *k, int32_t lo, int32_t hi)
{
    if (!k->in_rows)
        return 1;
    if (!exec_counting(k->x) && hi - lo + 1 > k->in_cap) {
        k->fault = MSF_ERR_BAD_PLAN;
        return 0;
    }
    exec_fetch_rows(k->x, k->in.offset, lo, hi, k->fetch_quantize);
    k->in_lo = lo;
    return 1;
}

void exec_node_op(const exec_block *k, int32_t j, exec_window (*window_of)(const void *run, int32_t level),
                  const void *run, exec_rect out)
{
    const msf_op *op = exec_op(k, j);
    int32_t l0 = exec_operand_level(k, j, 0);
    exec_window in = window_of(run, l0);
    exec_window in2 = exec_map_operands(k->x->m, op) == 2 ? window_of(run, exec_operand_level(k, j, 1)) : in;
    exec_window_op(k->x, op, k, exec_level_shape(k, l0), &in, &in2, exec_level_shape(k, j + 1), out);
}

exec_window exec_block_input(const exec_block *k)
{
    const msf_tensor *t = &k->x->m->tensors[exec_op(k, 0)->inputs[0]];
    exec_window w = {k->in, exec_op(k, 0)->inputs[0], k->in_lo, 0, (int32_t)(t->bytes / (uint32_t)t->dims[1])};
    return w;
}
