/* CONV_2D, int8 with per-channel weights (TFLite's reference ConvPerChannel). */
#include "dot_s8.h"
#include "kernel_util_s8.h"

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

/* Output channels whose requantization constants and biases a call derives
 * at once, then runs every pixel for: [first, first + count). */
#define CONV_BLOCK 16

typedef struct {
    msf_requant q[CONV_BLOCK];
    int32_t bias[CONV_BLOCK];
    int32_t first, count;
    int mode; /* requant_mode of q */
    int32_t input_offset, output_offset, act_min, act_max;
} conv_channels;

/* An odd last channel of one pixel or two (conv_pixels), alone. */
static inline __attribute__((always_inline)) void conv_last_channel(int pixels, const conv_channels *ch, msf_taps t,
                                                                    int32_t x1_offset, int32_t in_row_stride,
                                                                    const int8_t *w, int32_t w_row, int32_t rows,
                                                                    int32_t len, int8_t *d0, int8_t *d1)
{
    int32_t j = ch->count - 1, b = ch->bias[j];
    *d0 = requantize_s8(b + dot_rows(t.first, in_row_stride, w, w_row, rows, len, ch->input_offset), ch->q[j],
                        ch->output_offset, ch->act_min, ch->act_max);
    if (pixels == 2)
        *d1 = requantize_s8(b + dot_rows(t.first + x1_offset, in_row_stride, w, w_row, rows, len, ch->input_offset),
                            ch->q[j], ch->output_offset, ch->act_min, ch->act_max);
}

/* The block's channels of one pixel (t), or of two adjacent pixels of a row
 * whose windows are clipped alike (the second's taps x1_offset bytes after
 * the first's): channels two at a time (four where dot_4ch is built: the
 * portable path), so that each input word loaded serves several channels
 * and each weight word two pixels; the sums start from the bias. An odd
 * last channel goes alone. one_row (a constant, t.rows ==
 * 1: 1x1 and 1xN kernels) drops the loop over kernel rows, which would cost
 * as much as the products of a pointwise layer with few input channels. */
static inline __attribute__((always_inline)) void conv_pixels(int pixels, int one_row, const msf_conv_params *p,
                                                              const conv_channels *ch, msf_taps t,
                                                              int32_t x1_offset, int32_t in_c,
                                                              int32_t in_row_stride, int8_t *dst0, int8_t *dst1)
{
    int32_t w_row = p->kernel_w * in_c, w_filter = p->kernel_h * w_row, len = t.cols * in_c;
    int32_t rows = one_row ? 1 : t.rows;
    const int8_t *w = p->weights + ch->first * w_filter + t.ky0 * w_row + t.kx0 * in_c;
    int32_t j = 0, oc = ch->first;
#ifdef MSF_DOT_4CH
    for (; j + 4 <= ch->count; j += 4, oc += 4, w += 4 * w_filter) {
        const int32_t *b = &ch->bias[j];
        int32_t s[8] = {b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]};
        dot_4ch(pixels, t.first, x1_offset, in_row_stride, w, w_filter, w_row, rows, len, ch->input_offset, s);
        requantize_4ch(s[0], s[1], s[2], s[3], &ch->q[j], ch->mode, ch->output_offset, ch->act_min, ch->act_max,
                       dst0 + oc);
        if (pixels == 2)
            requantize_4ch(s[4], s[5], s[6], s[7], &ch->q[j], ch->mode, ch->output_offset, ch->act_min,
                           ch->act_max, dst1 + oc);
    }
#endif
    for (; j + 2 <= ch->count; j += 2, oc += 2, w += 2 * w_filter) {
        int32_t b0 = ch->bias[j], b1 = ch->bias[j + 1];
        int32_t s[4] = {b0, b1, b0, b1};
        dot_2ch(pixels, t.first, x1_offset, in_row_stride, w, w_filter, w_row, rows, len, ch->input_offset, s);
        requantize_2ch(pixels, s[0], s[1], s[2], s[3], &ch->q[j], ch->mode, ch->output_offset, ch->act_min,
                       ch->act_max, dst0 + oc, dst1 + oc);
    }
    if (j < ch->count)
        conv_last_channel(pixels, ch, t, x1_offset, in_row_stride, w, w_row, rows, len, dst0 + oc, dst1 + oc);
}

#ifdef MSF_DOT_REQUANT_2X2
/* Two pixels as conv_pixels, for kernel rows of whole words and right
 * shifts only: the pairs of channels in written-out code (dot_requant_2x2).
 * A function of its own: inlined with the others, GCC cannot find that
 * code its 14 registers. */
static __attribute__((noinline)) void conv_two_words(const msf_conv_params *p, const conv_channels *ch, msf_taps t,
                                                     int32_t x1_offset, int32_t in_c, int32_t in_row_stride,
                                                     int8_t *dst0, int8_t *dst1)
{
    int32_t w_row = p->kernel_w * in_c, w_filter = p->kernel_h * w_row, len = t.cols * in_c;
    const int8_t *w = p->weights + ch->first * w_filter + t.ky0 * w_row + t.kx0 * in_c;
    int32_t pairs = ch->count / 2, oc = ch->first + 2 * pairs;
    if (pairs > 0)
        dot_requant_2x2(t.first, x1_offset, in_row_stride, w, w_filter, w_row, 2 * w_filter, pairs, t.rows, len >> 2,
                        ch->input_offset, ch->bias, ch->q, ch->output_offset, ch->act_min, ch->act_max,
                        ch->mode == MSF_RQ_BY_SAT, dst0 + ch->first, dst1 + ch->first);
    if (ch->count & 1)
        conv_last_channel(2, ch, t, x1_offset, in_row_stride, w + 2 * pairs * w_filter, w_row, t.rows, len,
                          dst0 + oc, dst1 + oc);
}
#endif

/* One pixel, or two as above, with or without the loop over kernel rows. */
static void conv_one(const msf_conv_params *p, const conv_channels *ch, msf_taps t, int32_t in_c,
                     int32_t in_row_stride, int8_t *dst)
{
    if (t.rows == 1)
        conv_pixels(1, 1, p, ch, t, 0, in_c, in_row_stride, dst, dst);
    else
        conv_pixels(1, 0, p, ch, t, 0, in_c, in_row_stride, dst, dst);
}

static void conv_two(const msf_conv_params *p, const conv_channels *ch, msf_taps t, int32_t x1_offset,
                     int32_t in_c, int32_t in_row_stride, int32_t out_c, int8_t *dst)
{
#ifdef MSF_DOT_REQUANT_2X2
    if (ch->mode != MSF_RQ_BY_C && t.rows > 0 && t.cols > 0 && (t.cols * in_c & 3) == 0) {
        conv_two_words(p, ch, t, x1_offset, in_c, in_row_stride, dst, dst + out_c);
        return;
    }
#endif
    if (t.rows == 1)
        conv_pixels(2, 1, p, ch, t, x1_offset, in_c, in_row_stride, dst, dst + out_c);
    else
        conv_pixels(2, 0, p, ch, t, x1_offset, in_c, in_row_stride, dst, dst + out_c);
}

void conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
               msf_hwc out_shape, msf_out_rect out)
{
    int32_t out_c = out_shape.c;
    conv_channels ch;
    ch.input_offset = p->input_offset;
    ch.output_offset = p->output_offset;
    ch.act_min = p->act_min;
    ch.act_max = p->act_max;
    for (ch.first = 0; ch.first < out_c; ch.first += CONV_BLOCK) {
        ch.count = min_s32(CONV_BLOCK, out_c - ch.first);
        for (int32_t j = 0; j < ch.count; j++) {
            ch.bias[j] = p->bias ? p->bias[ch.first + j] : 0;
            ch.q[j] = requant_of(p->multiplier[ch.first + j], p->shift[ch.first + j]);
        }
        ch.mode = requant_mode(ch.q, ch.count, ch.act_min, ch.act_max);
        for (int32_t y = 0; y < out.h; y++) {
            int32_t oy = out.y0 + y;
            int8_t *row = out.data + y * out.row_stride;
            msf_taps t = in_map_taps(oy, out.x0, p->stride_h, p->stride_w, p->pad_top, p->pad_left, p->kernel_h,
                                     p->kernel_w, in_shape, in);
            for (int32_t x = 0; x < out.w;) {
                int8_t *dst = row + x * out_c;
                if (x + 1 < out.w) {
                    msf_taps t1 = in_map_taps(oy, out.x0 + x + 1, p->stride_h, p->stride_w, p->pad_top,
                                              p->pad_left, p->kernel_h, p->kernel_w, in_shape, in);
                    if (t1.kx0 == t.kx0 && t1.cols == t.cols) {
                        conv_two(p, &ch, t, (int32_t)(t1.first - t.first), in_shape.c, in.row_stride, out_c, dst);
                        x += 2;
                        if (x < out.w)
                            t = in_map_taps(oy, out.x0 + x, p->stride_h, p->stride_w, p->pad_top, p->pad_left,
                                            p->kernel_h, p->kernel_w, in_shape, in);
                        continue;
                    }
                    conv_one(p, &ch, t, in_shape.c, in.row_stride, dst);
                    t = t1;
                    x++;
                    continue;
                }
                conv_one(p, &ch, t, in_shape.c, in.row_stride, dst);
                x++;
            }
        }
    }
}
