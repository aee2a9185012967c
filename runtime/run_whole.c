/* The whole-tensor runner (MSF_SCHEME_WHOLE, and MSF_SCHEME_INPLACE, whose
 * output lies over an operand): one operator reads whole input tensors and
 * writes its whole output tensor at their places; an in-place window
 * operator a row at a time through its ring. */
#include "exec.h"
#include "op_macs.h"

static msf_hwc hwc_of(const msf_tensor *t)
{
    msf_hwc s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

/* Spatial ops over whole tensors: the window is the full input, the
 * rectangle the full output. */
static void run_spatial(const exec_ctx *x, const msf_op *op)
{
    const msf_tensor *in = &x->m->tensors[op->inputs[0]], *out = &x->m->tensors[op->output];
    msf_hwc is = hwc_of(in), os = hwc_of(out);
    exec_window win = {{op->inputs[0], 0}, op->inputs[0], 0, 0, is.w * is.c};
    exec_rect rect = {{op->output, 0}, 0, 0, os.h, os.w, os.w * os.c};
    exec_window_op(x, op, 0, is, &win, 0, os, rect);
}

static void run_concatenation(const exec_ctx *x, const msf_op *op, int8_t *out)
{
    const int8_t *ins[MSF_MAX_OP_INPUTS];
    int32_t dims[MSF_MAX_OP_INPUTS][4];
    for (int32_t k = 0; k < op->n_inputs; k++) {
        ins[k] = (const int8_t *)exec_tensor_data(x, op->inputs[k]);
        msf_dims4(&x->m->tensors[op->inputs[k]], dims[k]);
    }
    concatenation_s8(&op->p.concat, ins, (const int32_t(*)[4])dims, op->n_inputs, out);
}

static msf_status run_op(const exec_ctx *x, const msf_op *op)
{
    const msf_tensor *in = &x->m->tensors[op->inputs[0]], *out_t = &x->m->tensors[op->output];
    void *in_data = exec_tensor_data(x, op->inputs[0]);
    void *out_data = exec_tensor_data(x, op->output);
    const int8_t *a = (const int8_t *)in_data;
    int8_t *y = (int8_t *)out_data;
    int32_t in_dims[4], out_dims[4], n = msf_elements(in);
    msf_dims4(in, in_dims);
    msf_dims4(out_t, out_dims);
    switch (op->type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
        run_spatial(x, op);
        break;
    case MSF_OP_FULLY_CONNECTED:
        fully_connected_s8(&op->p.fc, a, n / op->p.fc.in_features, y);
        exec_ran(x, msf_fc_macs(&op->p.fc, (uint64_t)n));
        break;
    case MSF_OP_ADD:
    case MSF_OP_MUL: {
        int32_t b_dims[4];
        const int8_t *b = (const int8_t *)exec_tensor_data(x, op->inputs[1]);
        msf_dims4(&x->m->tensors[op->inputs[1]], b_dims);
        if (op->type == MSF_OP_ADD)
            add_s8(&op->p.add, a, in_dims, b, b_dims, y, out_dims);
        else
            mul_s8(&op->p.mul, a, in_dims, b, b_dims, y, out_dims);
        break;
    }
    case MSF_OP_MEAN: mean_s8(&op->p.mean, a, in_dims, y); break;
    case MSF_OP_RESHAPE: exec_copy((uint8_t *)out_data, (const uint8_t *)in_data, in->bytes); break;
    case MSF_OP_TRANSPOSE: transpose_s8(&op->p.transpose, a, in_dims, y); break;
    case MSF_OP_SOFTMAX: softmax_s8(&op->p.softmax, a, n / in_dims[3], in_dims[3], y); break;
    case MSF_OP_PAD: pad_s8(&op->p.pad, a, in_dims, y); break;
    case MSF_OP_CONCATENATION: run_concatenation(x, op, y); break;
    case MSF_OP_RESIZE_NEAREST: resize_nearest_s8(&op->p.resize, a, in_dims, out_dims, y); break;
    case MSF_OP_LOGISTIC: logistic_s8(&op->p.logistic, a, n, y); break;
    case MSF_OP_HARD_SWISH: hard_swish_s8(&op->p.hard_swish, a, n, y); break;
    case MSF_OP_QUANTIZE: quantize_f32_s8(&op->p.quantize, (const uint8_t *)in_data, n, y); break;
    case MSF_OP_DEQUANTIZE: dequantize_s8_f32(&op->p.quantize, a, n, (uint8_t *)out_data); break;
    default: return MSF_ERR_UNKNOWN_OP;
    }
    return MSF_OK;
}

/* Operators whose kernel goes through the output's elements in order,
 * reading element i of each operand (at index i when the operand has the
 * output's shape) before writing element i, and never an earlier one after:
 * the elementwise kernels and a RESHAPE's forward copy (exec_copy). */
static int elementwise(const msf_op *op)
{
    return op->type == MSF_OP_ADD || op->type == MSF_OP_MUL || op->type == MSF_OP_LOGISTIC ||
           op->type == MSF_OP_HARD_SWISH || op->type == MSF_OP_RESHAPE;
}

/* Operators the ring runner computes a row of output at a time (run_ring). */
static int window_op(const msf_op *op)
{
    return op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D || op->type == MSF_OP_AVERAGE_POOL2D ||
           op->type == MSF_OP_MAX_POOL2D;
}

int32_t msf_inplace_gap(const msf_model *m, const msf_op *op, int32_t k, int32_t *ring)
{
    *ring = 0;
    if (k < 0 || k >= op->n_inputs || !(elementwise(op) || window_op(op)))
        return -1;
    const msf_tensor *in = &m->tensors[op->inputs[k]], *out = &m->tensors[op->output];
    if (window_op(op)) {
        msf_op_window w = msf_window_of(op);
        if (k != 0 || in->dtype != MSF_INT8 || out->dtype != MSF_INT8 || in->rank != 4 || out->rank != 4 ||
            w.sh != 1 || w.pad_top < 0 || in->dims[1] != out->dims[1] || in->bytes != out->bytes)
            return -1;
        *ring = w.pad_top + 1;
        return 0;
    }
    if (op->type == MSF_OP_RESHAPE)
        return k == 0 && in->bytes == out->bytes ? 0 : -1;
    /* A broadcast operand is read at other indices than the output's. */
    int32_t a[4], b[4];
    msf_dims4(in, a);
    msf_dims4(out, b);
    int same = in->dtype == MSF_INT8 && out->dtype == MSF_INT8 && in->bytes == out->bytes;
    for (int32_t d = 0; d < 4; d++)
        same = same && a[d] == b[d];
    return same ? 0 : -1;
}


/* Whether every operand whose bytes the output's overlap is one
 * msf_inplace_gap makes safe: the output starting at least that many bytes
 * before the operand, and the ring it asks for given. Checked before the
 * kernel writes anything. */
static int overlaps_safe(const exec_ctx *x, const msf_op *op, const msf_buffer *ring)
{
    const msf_buffer *out = exec_arena_buffer(x, op->output);
    for (int32_t k = 0; out && k < op->n_inputs; k++) {
        const msf_buffer *in = exec_arena_buffer(x, op->inputs[k]);
        if (!in || (uint64_t)in->offset >= (uint64_t)out->offset + out->bytes ||
            (uint64_t)out->offset >= (uint64_t)in->offset + in->bytes)
            continue;
        int32_t rows, gap = msf_inplace_gap(x->m, op, k, &rows);
        if (gap < 0 || (rows && (!ring || ring->rows < rows)) || (int64_t)in->offset - (int64_t)out->offset < gap)
            return 0;
    }
    return 1;
}

/* Block b's ring when it is one the in-place window operator can use: as
 * many rows as msf_inplace_gap asks, of the output's width and channels,
 * inside the arena; else NULL. */
static const msf_buffer *ring_of(const exec_ctx *x, const msf_block *b, const msf_op *op)
{
    int32_t hold;
    const msf_buffer *r = exec_sound_buffer(x->plan, b->ring, MSF_BUF_ROWS);
    const msf_tensor *out = &x->m->tensors[op->output];
    if (!r || msf_inplace_gap(x->m, op, 0, &hold) < 0 || hold == 0)
        return NULL;
    int ok = r->rows >= hold && r->cols == out->dims[2] && r->channels == out->dims[3] && r->elem_bytes == 1;
    return ok ? r : NULL;
}

/* An in-place window operator (msf_inplace_gap): output row y is computed
 * into slot y % rows of the ring; once it is, row y + 1 - hold (hold: the
 * rows the gap function asks for) is written over the input row of its
 * index, which no later output row reads. */
static void run_ring(const exec_ctx *x, const msf_op *op, const msf_buffer *ring)
{
    const msf_tensor *in = &x->m->tensors[op->inputs[0]], *out = &x->m->tensors[op->output];
    msf_hwc is = hwc_of(in), os = hwc_of(out);
    int32_t row = os.w * os.c, hold;
    msf_inplace_gap(x->m, op, 0, &hold);
    uint8_t *dst = (uint8_t *)exec_tensor_data(x, op->output);
    exec_window win = {{op->inputs[0], 0}, op->inputs[0], 0, 0, is.w * is.c};
    for (int32_t y = 0; y < os.h + hold - 1; y++) {
        if (y < os.h) {
            exec_rect rect = {{-1, ring->offset + (uint32_t)(y % ring->rows * row)}, y, 0, 1, os.w, row};
            exec_window_op(x, op, 0, is, &win, 0, os, rect);
        }
        int32_t done = y + 1 - hold;
        if (done >= 0)
            exec_copy(dst + done * row, x->arena + ring->offset + (uint32_t)(done % ring->rows * row), (uint32_t)row);
    }
}

msf_status exec_run_whole(exec_ctx *x, const msf_block *b)
{
    const msf_plan *p = x->plan;
    if (b->n_nodes != 1 || b->first_node < 0 || b->first_node >= p->n_nodes || p->nodes[b->first_node].op < 0 ||
        p->nodes[b->first_node].op >= x->m->n_ops)
        return MSF_ERR_BAD_PLAN;
    /* The input coming a row at a time, this operator needs all of it: the
     * rows buffer gets the whole input. */
    if (b->input_rows >= 0) {
        if (!x->rows)
            return MSF_ERR_BAD_PLAN;
        const msf_tensor *in = &x->m->tensors[x->streamed_tensor];
        const msf_buffer *rows = b->input_rows < p->n_buffers ? &p->buffers[b->input_rows] : 0;
        if (!rows || rows->kind != MSF_BUF_INPUT_ROWS || rows->bytes < in->bytes)
            return MSF_ERR_BAD_PLAN;
        exec_fetch_rows(x, rows->offset, 0, in->dims[1] - 1, NULL);
        x->streamed = x->arena + rows->offset;
    }
    const msf_op *op = &x->m->ops[p->nodes[b->first_node].op];
    const msf_buffer *ring = ring_of(x, b, op);
    if ((b->ring >= 0 && !ring) || !overlaps_safe(x, op, ring))
        return MSF_ERR_BAD_PLAN;
    if (ring) {
        run_ring(x, op, ring);
        return MSF_OK;
    }
    return run_op(x, op);
}
