/* The plan executor: blocks in order; a one-operator block reads whole input
 * tensors and writes its whole output tensor at their arena offsets, a longer
 * block runs fused (fused_block.c). */
#include "fused_block.h"
#include "msf_kernels.h"

void *msf_tensor_data(const msf_model *m, uint8_t *arena, int32_t tensor)
{
    const msf_tensor *t = &m->tensors[tensor];
    return t->data ? (void *)(uintptr_t)t->data : (void *)(arena + t->arena_offset);
}

void *exec_tensor_data(const exec_ctx *x, int32_t tensor)
{
    if (tensor == x->streamed_tensor)
        return (void *)(uintptr_t)x->streamed;
    if (tensor == x->streamed_out_tensor)
        return x->streamed_out;
    return msf_tensor_data(x->m, x->arena, tensor);
}

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
    exec_window_op(x, op, is, &win, 0, os, rect);
}

/* A reshape whose output shares its input's buffer copies nothing. */
static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    if (dst == src)
        return;
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
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
    case MSF_OP_RESHAPE: copy_bytes((uint8_t *)out_data, (const uint8_t *)in_data, in->bytes); break;
    case MSF_OP_TRANSPOSE: transpose_s8(&op->p.transpose, a, in_dims, y); break;
    case MSF_OP_SOFTMAX: softmax_s8(&op->p.softmax, a, n / in_dims[3], in_dims[3], y); break;
    case MSF_OP_PAD: pad_s8(&op->p.pad, a, in_dims, y); break;
    case MSF_OP_CONCATENATION: run_concatenation(x, op, y); break;
    case MSF_OP_RESIZE_NEAREST: resize_nearest_s8(&op->p.resize, a, in_dims, out_dims, y); break;
    case MSF_OP_LOGISTIC: logistic_s8(&op->p.logistic, a, n, y); break;
    case MSF_OP_HARD_SWISH: hard_swish_s8(&op->p.hard_swish, a, n, y); break;
    case MSF_OP_QUANTIZE: quantize_f32_s8(&op->p.quantize, (const float *)in_data, n, y); break;
    case MSF_OP_DEQUANTIZE: dequantize_s8_f32(&op->p.quantize, a, n, (float *)out_data); break;
    default: return MSF_ERR_UNKNOWN_OP;
    }
    return MSF_OK;
}

void exec_fetch_rows(const exec_ctx *x, uint32_t offset, int32_t lo, int32_t hi)
{
    if (exec_counting(x)) {
        x->count->input_rows = hi - lo + 1 > x->count->input_rows ? hi - lo + 1 : x->count->input_rows;
        return;
    }
    const msf_tensor *in = &x->m->tensors[x->streamed_tensor];
    int32_t row_bytes = in->dims[2] * in->dims[3];
    for (int32_t y = lo; y <= hi; y++)
        copy_bytes(x->arena + offset + (uint32_t)((y - lo) * row_bytes),
                   (const uint8_t *)x->rows->row(x->rows->ctx, y), (uint32_t)row_bytes);
}

/* The block reading a row-streamed input runs as a sweep when it holds
 * fewer rows than the input has; else its rows buffer gets the whole input
 * and it runs as usual. */
static msf_status run_block(exec_ctx *x, const msf_plan *plan, const msf_block *b)
{
    if (b->rows > 0) {
        int32_t h = x->m->tensors[x->streamed_tensor].dims[1];
        if (b->rows < h || b->last_op > b->first_op) {
            msf_run_fused_block(x, plan, b);
            return MSF_OK;
        }
        exec_fetch_rows(x, b->rows_offset, 0, h - 1);
        x->streamed = x->arena + b->rows_offset;
    } else if (b->last_op > b->first_op) {
        msf_run_fused_block(x, plan, b);
        return MSF_OK;
    }
    return run_op(x, &x->m->ops[b->first_op]);
}

static msf_status run_plan(exec_ctx *x, const msf_plan *plan, uint32_t arena_bytes)
{
    if (arena_bytes < plan->arena_bytes)
        return MSF_ERR_ARENA_TOO_SMALL;
    if (plan->streamed_output && !x->streamed_out)
        return MSF_ERR_NO_OUTPUT;
    for (int32_t i = 0; i < plan->n_blocks; i++) {
        msf_status s = run_block(x, plan, &plan->blocks[i]);
        if (s != MSF_OK)
            return s;
    }
    return MSF_OK;
}

msf_status msf_run_plan_streams(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                                const void *input, void *output)
{
    exec_ctx x = {m, arena, plan->streamed_input ? m->inputs[0] : -1, input,
                  plan->streamed_output ? m->outputs[0] : -1, output, 0, 0};
    if (plan->streamed_input == MSF_INPUT_ROWS || (plan->streamed_input == MSF_INPUT_POINTER && !input))
        return MSF_ERR_NO_INPUT;
    return run_plan(&x, plan, arena_bytes);
}

msf_status msf_run_plan_rows(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                             const msf_row_source *rows, void *output)
{
    exec_ctx x = {m, arena, m->inputs[0], 0, plan->streamed_output ? m->outputs[0] : -1, output, rows, 0};
    if (plan->streamed_input != MSF_INPUT_ROWS || !rows)
        return MSF_ERR_NO_INPUT;
    return run_plan(&x, plan, arena_bytes);
}

msf_status msf_run_plan(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                        const void *streamed)
{
    return msf_run_plan_streams(m, plan, arena, arena_bytes, streamed, 0);
}
