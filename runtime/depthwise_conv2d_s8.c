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
 * the sums start from the bias. Pixels whose 3x3 window lies in the map
 * (columns [x_lo, x_hi)) take the written-out window. The parameters are
 * read into locals first: the kernels' inline assembly clobbers memory, so
 * what is read through p would be read again at every pixel. */
static void depthwise_4ch(const msf_conv_params *p, int32_t ic, msf_hwc in_shape, msf_in_window in,
                          msf_out_rect out)
{
    int32_t c = in_shape.c, kh = p->kernel_h, kw = p->kernel_w, sw = p->stride_w, pad_left = p->pad_left;
    int32_t input_offset = p->input_offset, out_offset = p->output_offset, act_min = p->act_min,
            act_max = p->act_max, row_stride = in.row_stride;
    dw4_weights k;
    dw4_load(p->weights + ic, kh * kw, c, &k);
    int32_t b[4] = {0, 0, 0, 0};
    msf_requant q[4];
    int right_shifts = 1;
    for (int32_t j = 0; j < 4; j++) {
        if (p->bias)
            b[j] = p->bias[ic + j];
        q[j] = requant_of(p->multiplier[ic + j], p->shift[ic + j]);
        right_shifts &= q[j].e1 >= 0;
    }
    /* Output columns whose window's columns are all in the map. */
    int32_t x_lo = 0, x_hi = 0;
    if (kh == 3 && kw == 3) {
        x_lo = (pad_left + sw - 1) / sw;
        x_hi = in_shape.w + pad_left >= kw ? (in_shape.w + pad_left - kw) / sw + 1 : 0;
    }
    for (int32_t y = 0; y < out.h; y++) {
        msf_span sy = in_map_span(out.y0 + y, p->stride_h, p->pad_top, kh, in_shape.h);
        const int8_t *row = in.data + (sy.i0 - in.y0) * row_stride + ic;
        /* Input byte of column ox's first tap, for the columns in the map. */
        const int8_t *col0 = row - (pad_left + in.x0) * c;
        int8_t *dst = out.data + y * out.row_stride + ic;
        int full_rows = sy.n == 3;
        for (int32_t x = 0; x < out.w; x++, dst += c) {
            int32_t ox = out.x0 + x;
            int32_t sums[4] = {b[0], b[1], b[2], b[3]};
            if (full_rows && ox >= x_lo && ox < x_hi) {
                dw4_dot3x3(col0 + ox * sw * c, row_stride, c, &k, input_offset, sums);
            } else {
                msf_span sx = in_map_span(ox, sw, pad_left, kw, in_shape.w);
                /* A window with no tap in the map reads nothing. */
                if (sx.n > 0 && sy.n > 0)
                    dw4_dot(row + (sx.i0 - in.x0) * c, row_stride, c, &k, sy.k0 * kw + sx.k0, kw, sy.n, sx.n,
                            input_offset, sums);
            }
            requantize_4ch(sums[0], sums[1], sums[2], sums[3], q, right_shifts, out_offset, act_min, act_max, dst);
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
