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

void depthwise_conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
                         msf_hwc out_shape, msf_out_rect out)
{
    int32_t w_row = p->kernel_w * out_shape.c;
    const int32_t *bias = p->bias;
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t x = 0; x < out.w; x++) {
            msf_taps t = in_map_taps(out.y0 + y, out.x0 + x, p->stride_h, p->stride_w, p->pad_top,
                                     p->pad_left, p->kernel_h, p->kernel_w, in_shape, in);
            const int8_t *w = p->weights + t.ky0 * w_row + t.kx0 * out_shape.c;
            int8_t *dst = out.data + y * out.row_stride + x * out_shape.c;
            int32_t ic = 0;
            /* With one output channel per input channel (oc = ic), channels
             * four at a time: a word of input and of weights per tap; the
             * sums start from the bias, and the four outputs are stored
             * together (a store through int8_t * could alias the
             * parameters, which would then be loaded again). */
            if (p->depth_multiplier == 1) {
                for (; ic + 4 <= in_shape.c; ic += 4) {
                    int32_t sums[4] = {0, 0, 0, 0};
                    if (bias) {
                        sums[0] = bias[ic];
                        sums[1] = bias[ic + 1];
                        sums[2] = bias[ic + 2];
                        sums[3] = bias[ic + 3];
                    }
                    dot_taps_4ch(t.first + ic, in.row_stride, in_shape.c, w + ic, w_row, out_shape.c,
                                 t.rows, t.cols, p->input_offset, sums);
                    int8_t o0 = channel_output(p, ic, sums[0]), o1 = channel_output(p, ic + 1, sums[1]);
                    int8_t o2 = channel_output(p, ic + 2, sums[2]), o3 = channel_output(p, ic + 3, sums[3]);
                    dst[ic] = o0;
                    dst[ic + 1] = o1;
                    dst[ic + 2] = o2;
                    dst[ic + 3] = o3;
                }
            }
            for (; ic < in_shape.c; ic++) {
                for (int32_t m = 0; m < p->depth_multiplier; m++) {
                    int32_t oc = ic * p->depth_multiplier + m;
                    int32_t acc = dot_taps(t.first + ic, in.row_stride, in_shape.c, w + oc, w_row, out_shape.c,
                                           t.rows, t.cols, p->input_offset);
                    dst[oc] = channel_output(p, oc, bias ? acc + bias[oc] : acc);
                }
            }
        }
    }
    MSF_COUNT_MACS_ADD(msf_conv_macs(p, 1, in_shape.c, out_shape.c, (uint64_t)out.h * (uint64_t)out.w));
}
