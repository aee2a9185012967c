/* CONV_2D, int8 with per-channel weights (TFLite's reference ConvPerChannel). */
#include "dot_s8.h"
#include "kernel_util_s8.h"
#include "mac_counter.h"
#include "op_macs.h"

/* Σ w * (x + input_offset) over rows of len bytes: within one kernel row the
 * in-map taps of all input channels are contiguous, in the input (NHWC) and
 * in the weights ([O, KH, KW, I]) alike. */
static int32_t dot_rows(const int8_t *x, int32_t x_row_stride, const int8_t *w,
                        int32_t w_row_stride, int32_t rows, int32_t len, int32_t input_offset)
{
    int32_t acc = 0;
    for (int32_t r = 0; r < rows; r++) {
        acc = dot_s8_offset(acc, w, x, len, input_offset);
        x += x_row_stride;
        w += w_row_stride;
    }
    return acc;
}

void conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
               msf_hwc out_shape, msf_out_rect out)
{
    int32_t w_row = p->kernel_w * in_shape.c;
    int32_t w_filter = p->kernel_h * w_row;
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t x = 0; x < out.w; x++) {
            msf_taps t = in_map_taps(out.y0 + y, out.x0 + x, p->stride_h, p->stride_w, p->pad_top,
                                     p->pad_left, p->kernel_h, p->kernel_w, in_shape, in);
            const int8_t *w = p->weights + t.ky0 * w_row + t.kx0 * in_shape.c;
            int8_t *dst = out.data + y * out.row_stride + x * out_shape.c;
            for (int32_t oc = 0; oc < out_shape.c; oc++, w += w_filter) {
                int32_t acc = dot_rows(t.first, in.row_stride, w, w_row, t.rows,
                                       t.cols * in_shape.c, p->input_offset);
                if (p->bias)
                    acc += p->bias[oc];
                dst[oc] = requantize_output_s8(acc, p->multiplier[oc], p->shift[oc],
                                               p->output_offset, p->act_min, p->act_max);
            }
        }
    }
    MSF_COUNT_MACS_ADD(msf_conv_macs(p, 0, in_shape.c, out_shape.c, (uint64_t)out.h * (uint64_t)out.w));
}
