/* DEPTHWISE_CONV_2D, int8 with per-channel weights (TFLite's reference
 * DepthwiseConvPerChannel): output channel oc = ic * depth_multiplier + m
 * filters input channel ic with weights [1, KH, KW, C*M]. */
#include "dot_s8.h"
#include "kernel_util_s8.h"

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

/* What depthwise_4ch derives once a call for its four channels. */
typedef struct {
    dw4_weights k;
    msf_requant q[4];
    int32_t bias[4];
#ifdef MSF_DW4_PAIR
    int32_t bias_whole[4]; /* bias + input_offset * Σ w over the 3x3 kernel */
#endif
    int mode; /* requant_mode of q */
} dw4_channels;

/* One output pixel of the four channels, its window clipped by the map
 * (rows sy; the first of them, channel ic, at `row` in the input window). */
static void dw4_edge_pixel(const msf_conv_params *p, const dw4_channels *ch, msf_hwc in_shape, msf_in_window in,
                           msf_span sy, const int8_t *row, int32_t ox, int8_t *dst)
{
    int32_t sums[4] = {ch->bias[0], ch->bias[1], ch->bias[2], ch->bias[3]};
    msf_span sx = in_map_span(ox, p->stride_w, p->pad_left, p->kernel_w, in_shape.w);
    /* A window with no tap in the map reads nothing (and has nothing to
     * point at). 3x3 kernels: rows of two or three taps written out. */
    if (sx.n > 0 && sy.n > 0) {
        const int8_t *x = row + (sx.i0 - in.x0) * in_shape.c;
        int32_t first = sy.k0 * p->kernel_w + sx.k0;
        if (p->kernel_h == 3 && p->kernel_w == 3 && sx.n == 3)
            dw4_dot3_rows(3, x, in.row_stride, in_shape.c, &ch->k, first, sy.n, p->input_offset, sums);
        else if (p->kernel_h == 3 && p->kernel_w == 3 && sx.n == 2)
            dw4_dot3_rows(2, x, in.row_stride, in_shape.c, &ch->k, first, sy.n, p->input_offset, sums);
        else
            dw4_dot(x, in.row_stride, in_shape.c, &ch->k, first, p->kernel_w, sy.n, sx.n, p->input_offset, sums);
    }
    requantize_4ch(sums[0], sums[1], sums[2], sums[3], ch->q, ch->mode, p->output_offset, p->act_min,
                   p->act_max, dst);
}

/* Channels [ic, ic + 4) with depth multiplier 1 (oc = ic), every pixel of
 * the call: their kernel words and requantization constants are derived
 * once for all pixels, the rows of taps once a row, a word of input per tap;
 * the sums start from the bias. The pixels of a row whose 3x3 window lies in
 * the map (output columns [x_lo, x_hi)) go through a loop of their own with
 * the written-out window: with the clipped ones in the same loop, GCC runs
 * out of registers and keeps the loop's variables on the stack. The
 * parameters it uses are read into locals first: the kernels' inline
 * assembly clobbers memory, so what is read through p would be read again
 * at every pixel. */
static void depthwise_4ch(const msf_conv_params *p, int32_t ic, msf_hwc in_shape, msf_in_window in,
                          msf_out_rect out)
{
    int32_t c = in_shape.c, kh = p->kernel_h, kw = p->kernel_w, sw = p->stride_w, pad_left = p->pad_left;
    dw4_channels ch;
    dw4_load(p->weights + ic, kh * kw, c, &ch.k);
    for (int32_t j = 0; j < 4; j++) {
        ch.bias[j] = p->bias ? p->bias[ic + j] : 0;
        ch.q[j] = requant_of(p->multiplier[ic + j], p->shift[ic + j]);
    }
    ch.mode = requant_mode(ch.q, 4, p->act_min, p->act_max);
    /* Output columns whose window's columns are all in the map. */
    int32_t x_lo = 0, x_hi = 0;
    if (kh == 3 && kw == 3) {
        x_lo = (pad_left + sw - 1) / sw;
        x_hi = in_shape.w + pad_left >= kw ? (in_shape.w + pad_left - kw) / sw + 1 : 0;
    }
#ifdef MSF_DW4_PAIR
    /* Where two whole windows may come in a row (not in a call of one
     * column). Exact in int32: |bias| + 255 Σ|w| fits (the importer's
     * bound), and so does every partial sum of dw4_pair3x3 from it. */
    if (x_hi - x_lo >= 2 && out.w >= 2)
        for (int32_t j = 0; j < 4; j++) {
            int32_t sum = 0;
            for (int32_t i = 0; i < 9; i++)
                sum += ch.k.w[i][j];
            ch.bias_whole[j] = ch.bias[j] + p->input_offset * sum;
        }
#endif
    for (int32_t y = 0; y < out.h; y++) {
        msf_span sy = in_map_span(out.y0 + y, p->stride_h, p->pad_top, kh, in_shape.h);
        const int8_t *row = sy.n > 0 ? in.data + (sy.i0 - in.y0) * in.row_stride + ic : in.data;
        int8_t *dst = out.data + y * out.row_stride + ic;
        /* [xa, xb): the rectangle's columns with whole windows. */
        int32_t xa = out.w, xb = out.w;
        if (sy.n == 3 && x_lo < x_hi) {
            xa = min_s32(max_s32(x_lo - out.x0, 0), out.w);
            xb = max_s32(min_s32(x_hi - out.x0, out.w), xa);
        }
        for (int32_t x = 0; x < xa; x++)
            dw4_edge_pixel(p, &ch, in_shape, in, sy, row, out.x0 + x, dst + x * c);
        if (xa < xb) {
            int32_t input_offset = p->input_offset, out_offset = p->output_offset, act_min = p->act_min,
                    act_max = p->act_max, row_stride = in.row_stride, step = sw * c;
            const int8_t *x_first = row + ((out.x0 + xa) * sw - pad_left - in.x0) * c;
            int8_t *d = dst + xa * c;
            int32_t n = xb - xa;
#ifdef MSF_DW4_PAIR
            for (; n >= 2; n -= 2, x_first += 2 * step, d += 2 * c) {
                const int32_t *b = ch.bias_whole;
                int32_t s[8] = {b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]};
                dw4_pair3x3(x_first, row_stride, c, step, &ch.k, s);
                requantize_4ch(s[0], s[1], s[2], s[3], ch.q, ch.mode, out_offset, act_min, act_max, d);
                requantize_4ch(s[4], s[5], s[6], s[7], ch.q, ch.mode, out_offset, act_min, act_max, d + c);
            }
#endif
            for (; n > 0; n--, x_first += step, d += c) {
                int32_t sums[4] = {ch.bias[0], ch.bias[1], ch.bias[2], ch.bias[3]};
                dw4_dot3x3(x_first, row_stride, c, &ch.k, input_offset, sums);
                requantize_4ch(sums[0], sums[1], sums[2], sums[3], ch.q, ch.mode, out_offset, act_min,
                               act_max, d);
            }
        }
        for (int32_t x = xb; x < out.w; x++)
            dw4_edge_pixel(p, &ch, in_shape, in, sy, row, out.x0 + x, dst + x * c);
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
}
