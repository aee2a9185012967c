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
static void add_pixels(const exec_ctx *x, const msf_op *op, const exec_window *in, const exec_window *skip,
                       int32_t c, exec_rect out)
{
    int32_t dims[4] = {1, 1, 1, c};
    int skip_first = op->inputs[0] == skip->map;
    const int8_t *cur0 = (const int8_t *)exec_ptr(x, in->at), *skip0 = (const int8_t *)exec_ptr(x, skip->at);
    int8_t *dst = (int8_t *)exec_ptr(x, out.at);
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t xx = 0; xx < out.w; xx++) {
            int32_t iy = out.y0 + y, ix = out.x0 + xx;
            const int8_t *cur = cur0 + (iy - in->y0) * in->row_stride + (ix - in->x0) * c;
            const int8_t *sk = skip0 + (iy - skip->y0) * skip->row_stride + (ix - skip->x0) * c;
            add_s8(&op->p.add, skip_first ? sk : cur, dims, skip_first ? cur : sk, dims,
                   dst + y * out.row_stride + xx * c, dims);
        }
    }
}

void exec_window_op(const exec_ctx *x, const msf_op *op, msf_hwc in_shape, const exec_window *in,
                    const exec_block *k, msf_hwc out_shape, exec_rect out)
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
    case MSF_OP_ADD: {
        exec_window skip = exec_block_input(k);
        add_pixels(x, op, in, &skip, out_shape.c, out);
        break;
    }
    default: break; /* no other operator runs on a window (msf_window_op) */
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
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}
