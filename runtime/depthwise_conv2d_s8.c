/* DEPTHWISE_CONV_2D, int8 with per-channel weights (TFLite's reference
 * DepthwiseConvPerChannel): output channel oc = ic * depth_multiplier + m
 * filters input channel ic with weights [1, KH, KW, C*M]. */
#include "dot_s8.h"
#include "kernel_util_s8.h"
#include "mac_counter.h"
#include "op_macs.h"

/* Σ w * (x + input_offset) over a rows x cols block of taps of one channel;
 * pixels are x_pixel (input) and w_pixel (weights) apart. */
static int32_t dot_taps(const int8_t *x, int32_t x_row_stride, int32_t x_pixel, const int8_t *w,
                        int32_t w_row_stride, int32_t w_pixel, int32_t rows, int32_t cols,
                        int32_t input_offset)
{
    int32_t acc = 0;
    for (int32_t r = 0; r < rows; r++) {
        for (int32_t c = 0; c < cols; c++)
            acc += w[c * w_pixel] * (x[c * x_pixel] + input_offset);
        x += x_row_stride;
        w += w_row_stride;
    }
    return acc;
}

/* Output channel oc from its sum of products, bias included. Inlined: the
 * call would cost as much as the arithmetic. */
static inline __attribute__((always_inline)) int8_t channel_output(const msf_conv_params *p, int32_t oc, int32_t acc)
{
    return requantize_output_s8(acc, p->multiplier[oc], p->shift[oc], p->output_offset, p->act_min, p->act_max);
}

/* Channels [ic, ic + 4) with depth multiplier 1 (oc = ic), every pixel of
 * the call: their kernel words and requantization constants are derived
 * once for all pixels, the rows of taps once a row, a word of input per tap;
 * the sums start from the bias, and the four outputs are stored together (a
 * store through int8_t * could alias the parameters, which would then be
 * loaded again). */
static void depthwise_4ch(const msf_conv_params *p, int32_t ic, msf_hwc in_shape, msf_in_window in,
                          msf_out_rect out)
{
    int32_t c = in_shape.c, kw = p->kernel_w;
    int32_t out_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    dw4_weights k;
    dw4_load(p->weights + ic, p->kernel_h * kw, c, &k);
    int32_t b[4] = {0, 0, 0, 0};
    msf_requant q[4];
    for (int32_t j = 0; j < 4; j++) {
        if (p->bias)
            b[j] = p->bias[ic + j];
        q[j] = requant_of(p->multiplier[ic + j], p->shift[ic + j]);
    }
    for (int32_t y = 0; y < out.h; y++) {
        msf_span sy = in_map_span(out.y0 + y, p->stride_h, p->pad_top, p->kernel_h, in_shape.h);
        const int8_t *row = in.data + (sy.i0 - in.y0) * in.row_stride + ic;
        int8_t *dst = out.data + y * out.row_stride + ic;
        for (int32_t x = 0; x < out.w; x++, dst += c) {
            msf_span sx = in_map_span(out.x0 + x, p->stride_w, p->pad_left, kw, in_shape.w);
            int32_t sums[4] = {b[0], b[1], b[2], b[3]};
            /* A window with no tap in the map reads nothing. */
            if (sx.n > 0 && sy.n > 0)
                dw4_dot(row + (sx.i0 - in.x0) * c, in.row_stride, c, &k, sy.k0 * kw + sx.k0, kw, sy.n, sx.n,
                        p->input_offset, sums);
            int8_t o0 = requantize_s8(sums[0], q[0], out_offset, act_min, act_max);
            int8_t o1 = requantize_s8(sums[1], q[1], out_offset, act_min, act_max);
            int8_t o2 = requantize_s8(sums[2], q[2], out_offset, act_min, act_max);
            int8_t o3 = requantize_s8(sums[3], q[3], out_offset, act_min, act_max);
            dst[0] = o0;
            dst[1] = o1;
            dst[2] = o2;
            dst[3] = o3;
        }
    }
}

void depthwise_conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
                         msf_hwc out_shape, msf_out_rect out)
{
    int32_t w_row = p->kernel_w * out_shape.c;
    int32_t ic0 = 0;
    if (p->depth_multiplier == 1 && p->kernel_h * p->kernel_w <= DW4_MAX_TAPS)
        for (; ic0 + 4 <= in_shape.c; ic0 += 4)
            depthwise_4ch(p, ic0, in_shape, in, out);
    /* The other channels (and larger kernels, depth multipliers above 1)
     * one at a time. */
    if (ic0 < in_shape.c)
        for (int32_t y = 0; y < out.h; y++) {
            for (int32_t x = 0; x < out.w; x++) {
                msf_taps t = in_map_taps(out.y0 + y, out.x0 + x, p->stride_h, p->stride_w, p->pad_top,
                                         p->pad_left, p->kernel_h, p->kernel_w, in_shape, in);
                const int8_t *w = p->weights + t.ky0 * w_row + t.kx0 * out_shape.c;
                int8_t *dst = out.data + y * out.row_stride + x * out_shape.c;
                for (int32_t ic = ic0; ic < in_shape.c; ic++) {
                    for (int32_t m = 0; m < p->depth_multiplier; m++) {
                        int32_t oc = ic * p->depth_multiplier + m;
                        int32_t acc = dot_taps(t.first + ic, in.row_stride, in_shape.c, w + oc, w_row,
                                               out_shape.c, t.rows, t.cols, p->input_offset);
                        dst[oc] = channel_output(p, oc, p->bias ? acc + p->bias[oc] : acc);
                    }
                }
            }
        }
    MSF_COUNT_MACS_ADD(msf_conv_macs(p, 1, in_shape.c, out_shape.c, (uint64_t)out.h * (uint64_t)out.w));
}
