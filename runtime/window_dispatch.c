/* The dispatcher: the one place kernels are called on a window of a map,
 * for whole-tensor steps and fused blocks alike, and the one place bytes
 * are copied. Runners hand it offsets; it forms the pointers, or in
 * counting mode tallies the call instead. */
#include "exec.h"
#include "op_macs.h"

void *exec_ptr(const exec_ctx *x, exec_ref ref)
{
    uint8_t *base = ref.tensor >= 0 ? (uint8_t *)exec_tensor_data(x, ref.tensor) : x->arena;
    /* An input taken a row at a time has no pointer; a block that never
     * needs one of its rows still forms its window (and never reads it). */
    return base ? base + ref.offset : NULL;
}

/* The MACs a window operator performs for `pixels` output pixels. */
static uint64_t window_macs(const msf_op *op, msf_hwc in_shape, msf_hwc out_shape, uint64_t pixels)
{
    if (op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D)
        return msf_conv_macs(&op->p.conv, op->type == MSF_OP_DEPTHWISE_CONV2D, in_shape.c, out_shape.c, pixels);
    return 0;
}

/* An ADD inside a block: one kernel call per pixel, operands of one pixel
 * each, in the operator's operand order (each has its own rescaling). */
static void add_pixels(const exec_ctx *x, const msf_op *op, const exec_window *in0, const exec_window *in1,
                       int32_t c, exec_rect out)
{
    int32_t dims[4] = {1, 1, 1, c};
    const int8_t *p0 = (const int8_t *)exec_ptr(x, in0->at), *p1 = (const int8_t *)exec_ptr(x, in1->at);
    int8_t *dst = (int8_t *)exec_ptr(x, out.at);
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t xx = 0; xx < out.w; xx++) {
            int32_t iy = out.y0 + y, ix = out.x0 + xx;
            const int8_t *a = p0 + (iy - in0->y0) * in0->row_stride + (ix - in0->x0) * c;
            const int8_t *b = p1 + (iy - in1->y0) * in1->row_stride + (ix - in1->x0) * c;
            add_s8(&op->p.add, a, dims, b, dims, dst + y * out.row_stride + xx * c, dims);
        }
    }
}

/* An ADD or MUL of a map and what is the same for every pixel (a constant,
 * a per-channel vector held whole: msf_pixel_op): one kernel call per
 * pixel, the other operand broadcast by the kernel. */
static void vector_pixels(const exec_ctx *x, const msf_op *op, const exec_window *in, int32_t c, exec_rect out)
{
    int32_t dims[4] = {1, 1, 1, c}, b_dims[4];
    msf_dims4(&x->m->tensors[op->inputs[1]], b_dims);
    const int8_t *p = (const int8_t *)exec_ptr(x, in->at), *b = (const int8_t *)exec_tensor_data(x, op->inputs[1]);
    int8_t *dst = (int8_t *)exec_ptr(x, out.at);
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t xx = 0; xx < out.w; xx++) {
            const int8_t *a = p + (out.y0 + y - in->y0) * in->row_stride + (out.x0 + xx - in->x0) * c;
            int8_t *d = dst + y * out.row_stride + xx * c;
            if (op->type == MSF_OP_ADD)
                add_s8(&op->p.add, a, dims, b, b_dims, d, dims);
            else
                mul_s8(&op->p.mul, a, dims, b, b_dims, d, dims);
        }
    }
}

/* HARD_SWISH or LOGISTIC inside a block: a row of the window at a time
 * (its pixels are contiguous). */
static void unary_rows(const exec_ctx *x, const msf_op *op, const exec_window *in, int32_t c, exec_rect out)
{
    const int8_t *p = (const int8_t *)exec_ptr(x, in->at);
    int8_t *dst = (int8_t *)exec_ptr(x, out.at);
    for (int32_t y = 0; y < out.h; y++) {
        const int8_t *a = p + (out.y0 + y - in->y0) * in->row_stride + (out.x0 - in->x0) * c;
        if (op->type == MSF_OP_HARD_SWISH)
            hard_swish_s8(&op->p.hard_swish, a, out.w * c, dst + y * out.row_stride);
        else
            logistic_s8(&op->p.logistic, a, out.w * c, dst + y * out.row_stride);
    }
}

/* A CONCATENATION inside a block: each output pixel is the first operand's
 * channels, then the second's (one quantization: TFLite requires it). */
static void concat_pixels(const exec_ctx *x, const msf_op *op, const exec_window *in0, const exec_window *in1,
                          exec_rect out)
{
    int32_t c0 = x->m->tensors[op->inputs[0]].dims[3], c1 = x->m->tensors[op->inputs[1]].dims[3];
    const uint8_t *p0 = (const uint8_t *)exec_ptr(x, in0->at), *p1 = (const uint8_t *)exec_ptr(x, in1->at);
    uint8_t *dst = (uint8_t *)exec_ptr(x, out.at);
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t xx = 0; xx < out.w; xx++) {
            int32_t iy = out.y0 + y, ix = out.x0 + xx;
            uint8_t *d = dst + y * out.row_stride + xx * (c0 + c1);
            exec_copy(d, p0 + (iy - in0->y0) * in0->row_stride + (ix - in0->x0) * c0, (uint32_t)c0);
            exec_copy(d + c0, p1 + (iy - in1->y0) * in1->row_stride + (ix - in1->x0) * c1, (uint32_t)c1);
        }
    }
}

void exec_window_op(const exec_ctx *x, const msf_op *op, const exec_block *k, msf_hwc in_shape,
                    const exec_window *in, const exec_window *in2, msf_hwc out_shape, exec_rect out)
{
    uint64_t pixels = (uint64_t)out.h * (uint64_t)out.w;
    if (exec_counting(x)) {
        msf_tally t = {window_macs(op, in_shape, out_shape, pixels), 1, pixels, 0};
        exec_tally(x, op, t);
        return;
    }
    exec_ran(x, window_macs(op, in_shape, out_shape, pixels));
    msf_in_window win = {(const int8_t *)exec_ptr(x, in->at), in->y0, in->x0, in->row_stride};
    msf_out_rect rect = {(int8_t *)exec_ptr(x, out.at), out.y0, out.x0, out.h, out.w, out.row_stride};
    switch (op->type) {
    case MSF_OP_CONV2D: conv2d_s8(&op->p.conv, in_shape, win, out_shape, rect); break;
    case MSF_OP_DEPTHWISE_CONV2D: depthwise_conv2d_s8(&op->p.conv, in_shape, win, out_shape, rect); break;
    case MSF_OP_AVERAGE_POOL2D: avg_pool2d_s8(&op->p.pool, in_shape, win, out_shape, rect); break;
    case MSF_OP_MAX_POOL2D: max_pool2d_s8(&op->p.pool, in_shape, win, out_shape, rect); break;
    case MSF_OP_PAD: pad2d_s8(&op->p.pad, in_shape, win, out_shape, rect); break;
    case MSF_OP_QUANTIZE: quantize2d_f32_s8(&op->p.quantize, in_shape, win, rect); break;
    case MSF_OP_DEQUANTIZE: dequantize2d_s8_f32(&op->p.quantize, in_shape, win, rect); break;
    case MSF_OP_TRANSPOSE: /* msf_nchw_view */
        transpose2d_nchw_s8(k ? k->view_quantize : NULL, in_shape, win.data, rect);
        break;
    case MSF_OP_ADD:
        if (in2 && msf_join_pixelwise(x->m, op))
            add_pixels(x, op, in, in2, out_shape.c, out);
        else
            vector_pixels(x, op, in, out_shape.c, out);
        break;
    case MSF_OP_MUL: vector_pixels(x, op, in, out_shape.c, out); break;
    case MSF_OP_HARD_SWISH:
    case MSF_OP_LOGISTIC: unary_rows(x, op, in, out_shape.c, out); break;
    case MSF_OP_CONCATENATION:
        if (in2)
            concat_pixels(x, op, in, in2, out);
        break;
    default: break; /* no other operator runs on a window: block_nodes refuses it in a block */
    }
}

void exec_tally(const exec_ctx *x, const msf_op *op, msf_tally t)
{
    msf_tally *sums[2] = {&x->count->total, &x->count->op[op - x->count->ops]};
    for (int i = 0; i < 2; i++) {
        sums[i]->macs += t.macs;
        sums[i]->calls += t.calls;
        sums[i]->pixels += t.pixels;
        sums[i]->bytes_moved += t.bytes_moved;
    }
}

void exec_move(const exec_ctx *x, const msf_op *op, uint32_t dst, uint32_t src, uint32_t bytes, int32_t rows,
               uint32_t stride)
{
    if (exec_counting(x)) {
        msf_tally t = {0, 0, 0, (uint64_t)bytes * (uint64_t)(rows > 0 ? rows : 0)};
        exec_tally(x, op, t);
        return;
    }
    for (int32_t i = 0; i < rows; i++)
        exec_copy(x->arena + dst + (uint32_t)i * stride, x->arena + src + (uint32_t)i * stride, bytes);
}

void exec_copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    if (dst == src)
        return;
    if ((uintptr_t)dst > (uintptr_t)src && (uintptr_t)dst - (uintptr_t)src < n) {
        for (uint32_t i = n; i > 0; i--) /* onto itself, upwards: the last byte first */
            dst[i - 1] = src[i - 1];
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}
