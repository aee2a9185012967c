/* The whole-tensor runner (MSF_SCHEME_WHOLE): one operator reads whole
 * input tensors and writes its whole output tensor at their places. */
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
    return run_op(x, &x->m->ops[p->nodes[b->first_node].op]);
}
