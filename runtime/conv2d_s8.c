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

/* Inlined where called: the call would cost as much as the arithmetic. */
static inline __attribute__((always_inline)) int8_t channel_output(const msf_conv_params *p, int32_t oc, int32_t acc)
{
    return requantize_output_s8(acc, p->multiplier[oc], p->shift[oc], p->output_offset, p->act_min, p->act_max);
}

/* Every output channel of one pixel (t), or of two adjacent pixels of a row
 * whose windows are clipped alike (the second's taps x1_offset bytes after
 * the first's): channels two at a time, so that each input word loaded
 * serves two channels and each weight word two pixels; the sums start from
 * the bias. An odd last channel goes alone. Outputs are stored after all
 * four are computed: a store through int8_t * could alias the parameters,
 * which would then be loaded again. one_row (a constant, t.rows == 1: 1x1
 * and 1xN kernels) drops the loop over kernel rows, which would cost as
 * much as the products of a pointwise layer with few input channels. */
static inline __attribute__((always_inline)) void conv_pixels(int pixels, int one_row, const msf_conv_params *p,
                                                              msf_taps t,
                                                              int32_t x1_offset, int32_t in_c,
                                                              int32_t in_row_stride, int32_t out_c, int8_t *dst0,
                                                              int8_t *dst1)
{
    int32_t w_row = p->kernel_w * in_c, w_filter = p->kernel_h * w_row, len = t.cols * in_c;
    int32_t rows = one_row ? 1 : t.rows;
    const int8_t *w = p->weights + t.ky0 * w_row + t.kx0 * in_c;
    const int32_t *bias = p->bias;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2, w += 2 * w_filter) {
        int32_t b0 = bias ? bias[oc] : 0, b1 = bias ? bias[oc + 1] : 0;
        int32_t s[4] = {b0, b1, b0, b1};
        dot_2ch(pixels, t.first, x1_offset, in_row_stride, w, w_filter, w_row, rows, len, p->input_offset, s);
        int8_t o0 = channel_output(p, oc, s[0]), o1 = channel_output(p, oc + 1, s[1]);
        if (pixels == 2) {
            int8_t o2 = channel_output(p, oc, s[2]), o3 = channel_output(p, oc + 1, s[3]);
            dst1[oc] = o2;
            dst1[oc + 1] = o3;
        }
        dst0[oc] = o0;
        dst0[oc + 1] = o1;
    }
    if (oc < out_c) {
        int32_t b = bias ? bias[oc] : 0;
        dst0[oc] = channel_output(p, oc, b + dot_rows(t.first, in_row_stride, w, w_row, rows, len, p->input_offset));
        if (pixels == 2)
            dst1[oc] = channel_output(p, oc, b + dot_rows(t.first + x1_offset, in_row_stride, w, w_row, t.rows, len,
                                                          p->input_offset));
    }
}

/* One pixel, or two as above, with or without the loop over kernel rows. */
static void conv_one(const msf_conv_params *p, msf_taps t, int32_t in_c, int32_t in_row_stride, int32_t out_c,
                     int8_t *dst)
{
    if (t.rows == 1)
        conv_pixels(1, 1, p, t, 0, in_c, in_row_stride, out_c, dst, dst);
    else
        conv_pixels(1, 0, p, t, 0, in_c, in_row_stride, out_c, dst, dst);
}

static void conv_two(const msf_conv_params *p, msf_taps t, int32_t x1_offset, int32_t in_c, int32_t in_row_stride,
                     int32_t out_c, int8_t *dst)
{
    if (t.rows == 1)
        conv_pixels(2, 1, p, t, x1_offset, in_c, in_row_stride, out_c, dst, dst + out_c);
    else
        conv_pixels(2, 0, p, t, x1_offset, in_c, in_row_stride, out_c, dst, dst + out_c);
}

void conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
               msf_hwc out_shape, msf_out_rect out)
{
    int32_t out_c = out_shape.c;
    for (int32_t y = 0; y < out.h; y++) {
        int32_t oy = out.y0 + y;
        int8_t *row = out.data + y * out.row_stride;
        msf_taps t = in_map_taps(oy, out.x0, p->stride_h, p->stride_w, p->pad_top, p->pad_left, p->kernel_h,
                                 p->kernel_w, in_shape, in);
        for (int32_t x = 0; x < out.w;) {
            int8_t *dst = row + x * out_c;
            if (x + 1 < out.w) {
                msf_taps t1 = in_map_taps(oy, out.x0 + x + 1, p->stride_h, p->stride_w, p->pad_top, p->pad_left,
                                          p->kernel_h, p->kernel_w, in_shape, in);
                if (t1.kx0 == t.kx0 && t1.cols == t.cols) {
                    conv_two(p, t, (int32_t)(t1.first - t.first), in_shape.c, in.row_stride, out_c, dst);
                    x += 2;
                    if (x < out.w)
                        t = in_map_taps(oy, out.x0 + x, p->stride_h, p->stride_w, p->pad_top, p->pad_left,
                                        p->kernel_h, p->kernel_w, in_shape, in);
                    continue;
                }
                conv_one(p, t, in_shape.c, in.row_stride, out_c, dst);
                t = t1;
                x++;
                continue;
            }
            conv_one(p, t, in_shape.c, in.row_stride, out_c, dst);
            x++;
        }
    }
    MSF_COUNT_MACS_ADD(msf_conv_macs(p, 0, in_shape.c, out_shape.c, (uint64_t)out.h * (uint64_t)out.w));
}
