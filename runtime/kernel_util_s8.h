/* Pieces the int8 kernels share: the requantized output of an accumulator,
 * the in-map taps of a spatial window, the pooling loop, and 4-D index
 * arithmetic with TFLite's broadcasting. Internal to the runtime. */
#ifndef MSF_KERNEL_UTIL_S8_H
#define MSF_KERNEL_UTIL_S8_H

#include <stdint.h>

#include "msf_kernels.h"
#include "requantize.h"

static inline int32_t max_s32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static inline int32_t min_s32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

/* C's roundf (half away from zero) without libm, for |x| < 2^31: the
 * fraction x - trunc(x) of a float is exact, so comparing it with 0.5 is too
 * (adding 0.5 and truncating is not: 0.49999997f + 0.5f rounds to 1). */
static inline int32_t round_half_away_f32(float x)
{
    int32_t t = (int32_t)x;
    float fraction = x - (float)t;
    if (fraction >= 0.5f)
        return t + 1;
    if (fraction <= -0.5f)
        return t - 1;
    return t;
}

/* The tail of conv, depthwise and fully connected: the accumulator (bias
 * included) is requantized, moved to the output zero point and clamped by the
 * fused activation. Their multipliers are >= 0 (the importer's). */
static inline int8_t requantize_s8(int32_t acc, msf_requant q, int32_t output_offset, int32_t act_min,
                                   int32_t act_max)
{
    return (int8_t)clamp_s32(requant_apply(acc, q) + output_offset, act_min, act_max);
}

/* The same, not yet narrowed to int8 (see requantize_4ch). */
static inline int32_t requantize_clamped(int32_t acc, msf_requant q, int32_t output_offset, int32_t act_min,
                                         int32_t act_max)
{
    return clamp_s32(requant_apply(acc, q) + output_offset, act_min, act_max);
}

static inline int8_t requantize_output_s8(int32_t acc, int32_t multiplier, int32_t shift,
                                          int32_t output_offset, int32_t act_min, int32_t act_max)
{
    return requantize_s8(acc, requant_of(multiplier, shift), output_offset, act_min, act_max);
}

/* The Arm bodies below require Thumb-2 (MSF_RQ_STEP) and GCC (clang's
 * register allocator finds no registers for them in the kernels' loops);
 * the bytes they read and write are named as operands, so that the
 * compiler need not assume the rest of memory changed. */
#if defined(__thumb2__) && !defined(MSF_NO_DSP) && !defined(__clang__)
#define MSF_RQ_ASM 1
#define MSF_RQ(CLAMP, acc, qo, d, off) MSF_RQ_STEP(CLAMP, acc, q, qo, d, off, m, c, e, lo, oo, mn, mx)
#define MSF_RQ_OPERANDS [m] "=&r"(m), [c] "=&r"(c), [e] "=&r"(e), [lo] "=&r"(lo)
#define MSF_RQ_LIMITS [q] "r"(q), [oo] "r"(output_offset), [mn] "r"(act_min), [mx] "r"(act_max)
#define MSF_RQ_4CH(CLAMP)                                                                      \
    __asm__(MSF_RQ(CLAMP, s0, 0, d, 0) MSF_RQ(CLAMP, s1, 12, d, 1) MSF_RQ(CLAMP, s2, 24, d, 2)           \
                MSF_RQ(CLAMP, s3, 36, d, 3)                                                    \
            : MSF_RQ_OPERANDS, "=m"(*(int8_t(*)[4])dst)                                        \
            : [s0] "r"(s0), [s1] "r"(s1), [s2] "r"(s2), [s3] "r"(s3), MSF_RQ_LIMITS, [d] "r"(dst), \
              "m"(*(const msf_requant(*)[4])q)                                                 \
            : "cc")
#define MSF_RQ_2X2(CLAMP)                                                                      \
    __asm__(MSF_RQ(CLAMP, s0, 0, d0, 0) MSF_RQ(CLAMP, s1, 12, d0, 1) MSF_RQ(CLAMP, s2, 0, d1, 0)         \
                MSF_RQ(CLAMP, s3, 12, d1, 1)                                                   \
            : MSF_RQ_OPERANDS, "=m"(*(int8_t(*)[2])d0), "=m"(*(int8_t(*)[2])d1)                \
            : [s0] "r"(s0), [s1] "r"(s1), [s2] "r"(s2), [s3] "r"(s3), MSF_RQ_LIMITS, [d0] "r"(d0), \
              [d1] "r"(d1), "m"(*(const msf_requant(*)[2])q)                                   \
            : "cc")
/* With only the registers it reads (with the unused sums too it found no
 * registers on m4). */
#define MSF_RQ_2CH(CLAMP)                                                                      \
    __asm__(MSF_RQ(CLAMP, s0, 0, d0, 0) MSF_RQ(CLAMP, s1, 12, d0, 1)                            \
            : MSF_RQ_OPERANDS, "=m"(*(int8_t(*)[2])d0)                                         \
            : [s0] "r"(s0), [s1] "r"(s1), MSF_RQ_LIMITS, [d0] "r"(d0), "m"(*(const msf_requant(*)[2])q) \
            : "cc")
#else
#define MSF_RQ_ASM 0
#endif

/* Four adjacent channels' outputs (sums s0..s3, requantization q[0..3],
 * mode from requant_mode) to dst[0..3]. */
static inline __attribute__((always_inline)) void requantize_4ch(int32_t s0, int32_t s1, int32_t s2, int32_t s3,
                                                                 const msf_requant q[4], int mode,
                                                                 int32_t output_offset, int32_t act_min,
                                                                 int32_t act_max, int8_t *dst)
{
#if MSF_RQ_ASM
    int32_t m, c, e, lo;
    if (mode == MSF_RQ_BY_SAT) {
        MSF_RQ_4CH(MSF_RQ_SAT);
        return;
    }
    if (mode == MSF_RQ_BY_CLAMP) {
        MSF_RQ_4CH(MSF_RQ_CLAMP);
        return;
    }
#else
    if (mode != MSF_RQ_BY_C) {
        /* Right shifts only: without the test of the shift. */
        dst[0] = (int8_t)clamp_s32(requant_apply_right(s0, q[0]) + output_offset, act_min, act_max);
        dst[1] = (int8_t)clamp_s32(requant_apply_right(s1, q[1]) + output_offset, act_min, act_max);
        dst[2] = (int8_t)clamp_s32(requant_apply_right(s2, q[2]) + output_offset, act_min, act_max);
        dst[3] = (int8_t)clamp_s32(requant_apply_right(s3, q[3]) + output_offset, act_min, act_max);
        return;
    }
#endif
    /* Held as int32 until stored: int8 values would be sign-extended in
     * registers first (two instructions each on RV32). */
    int32_t o0 = requantize_clamped(s0, q[0], output_offset, act_min, act_max);
    int32_t o1 = requantize_clamped(s1, q[1], output_offset, act_min, act_max);
    int32_t o2 = requantize_clamped(s2, q[2], output_offset, act_min, act_max);
    int32_t o3 = requantize_clamped(s3, q[3], output_offset, act_min, act_max);
    dst[0] = (int8_t)o0;
    dst[1] = (int8_t)o1;
    dst[2] = (int8_t)o2;
    dst[3] = (int8_t)o3;
}

/* Two adjacent channels (q[0..1]) of one pixel (s0, s1 to d0[0..1]) or of
 * two (also s2, s3 to d1[0..1]); pixels is a constant where inlined. */
static inline __attribute__((always_inline)) void requantize_2ch(int pixels, int32_t s0, int32_t s1, int32_t s2,
                                                                 int32_t s3, const msf_requant q[2], int mode,
                                                                 int32_t output_offset, int32_t act_min,
                                                                 int32_t act_max, int8_t *d0, int8_t *d1)
{
#if MSF_RQ_ASM
    int32_t m, c, e, lo;
    if (mode == MSF_RQ_BY_SAT) {
        if (pixels == 2)
            MSF_RQ_2X2(MSF_RQ_SAT);
        else
            MSF_RQ_2CH(MSF_RQ_SAT);
        return;
    }
    if (mode == MSF_RQ_BY_CLAMP) {
        if (pixels == 2)
            MSF_RQ_2X2(MSF_RQ_CLAMP);
        else
            MSF_RQ_2CH(MSF_RQ_CLAMP);
        return;
    }
#else
    (void)mode;
#endif
    int8_t o0 = requantize_s8(s0, q[0], output_offset, act_min, act_max);
    int8_t o1 = requantize_s8(s1, q[1], output_offset, act_min, act_max);
    if (pixels == 2) {
        int8_t o2 = requantize_s8(s2, q[0], output_offset, act_min, act_max);
        int8_t o3 = requantize_s8(s3, q[1], output_offset, act_min, act_max);
        d1[0] = o2;
        d1[1] = o3;
    }
    d0[0] = o0;
    d0[1] = o1;
}

#undef MSF_RQ
#undef MSF_RQ_OPERANDS
#undef MSF_RQ_LIMITS
#undef MSF_RQ_4CH
#undef MSF_RQ_2X2
#undef MSF_RQ_2CH
#undef MSF_RQ_ASM

/* The taps of a kernel window along one axis that fall inside the map:
 * kernel taps [k0, k0 + n) of output coordinate o, the first at input
 * coordinate i0. TFLite skips the others, which is padding with the input
 * zero point. */
typedef struct {
    int32_t k0, n, i0;
} msf_span;

static inline msf_span in_map_span(int32_t o, int32_t stride, int32_t pad, int32_t kernel, int32_t size)
{
    int32_t i = o * stride - pad;
    msf_span s;
    s.k0 = max_s32(0, -i);
    s.n = max_s32(0, min_s32(kernel, size - i) - s.k0);
    s.i0 = i + s.k0;
    return s;
}

/* The taps of one output pixel's kernel window that fall inside the map:
 * kernel rows [ky0, ky0 + rows) and columns [kx0, kx0 + cols). */
typedef struct {
    int32_t ky0, kx0, rows, cols;
    const int8_t *first; /* tap (ky0, kx0), channel 0, in the input window */
} msf_taps;

static inline msf_taps in_map_taps(int32_t oy, int32_t ox, int32_t stride_h, int32_t stride_w,
                                   int32_t pad_top, int32_t pad_left, int32_t kernel_h,
                                   int32_t kernel_w, msf_hwc in_shape, msf_in_window in)
{
    msf_span sy = in_map_span(oy, stride_h, pad_top, kernel_h, in_shape.h);
    msf_span sx = in_map_span(ox, stride_w, pad_left, kernel_w, in_shape.w);
    msf_taps t = {sy.k0, sx.k0, sy.n, sx.n, in.data};
    /* With no tap in the map there is nothing to point at. */
    if (t.rows > 0 && t.cols > 0)
        t.first += (sy.i0 - in.y0) * in.row_stride + (sx.i0 - in.x0) * in_shape.c;
    return t;
}

/* A sum of n int8 values divided by n, rounded half away from zero as
 * TFLite's AveragePool does: C division truncates toward zero, so moving the
 * sum half a divisor away from zero first rounds half away from zero. */
static inline int32_t rounded_average_of_sum(int32_t sum, int32_t n)
{
    return sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
}

/* MEAN's requantization of a sum of n elements (TFLite's QuantizedMeanOrSum):
 * the division by n is folded into the multiplier. k keeps M << k within
 * int64 (k <= 32) and the final shift >= -31 (k <= 31 + shift), at some loss
 * of precision, as TFLite chooses it. */
typedef struct {
    int32_t multiplier, shift;
} msf_mean_scale;

static inline msf_mean_scale mean_scale(const msf_mean_params *p, int32_t n)
{
    int32_t k = 0;
    for (int32_t v = n; v > 1; v >>= 1)
        k++;
    k = min_s32(min_s32(k, 32), 31 + p->shift);
    msf_mean_scale s = {(int32_t)(((int64_t)p->multiplier << k) / n), p->shift - k};
    return s;
}

static inline int8_t mean_of_sum_s8(const msf_mean_params *p, msf_mean_scale s, int32_t sum, int32_t n)
{
    int32_t v = multiply_by_quantized_multiplier(sum - p->input_zero_point * n, s.multiplier, s.shift) +
                p->output_zero_point;
    return (int8_t)clamp_s32(v, INT8_MIN, INT8_MAX);
}

/* Reduces one channel over a rows x cols block of taps whose first element
 * is at first; rows are row_stride apart, pixels pixel_stride apart. */
typedef int32_t (*msf_pool_reduce)(const int8_t *first, int32_t rows, int32_t cols,
                                   int32_t row_stride, int32_t pixel_stride);

/* Average and max pooling differ only in the reduction. */
static inline void pool2d_s8(const msf_pool_params *p, msf_hwc in_shape, msf_in_window in,
                             msf_hwc out_shape, msf_out_rect out, msf_pool_reduce reduce)
{
    for (int32_t y = 0; y < out.h; y++) {
        for (int32_t x = 0; x < out.w; x++) {
            msf_taps t = in_map_taps(out.y0 + y, out.x0 + x, p->stride_h, p->stride_w, p->pad_top,
                                     p->pad_left, p->filter_h, p->filter_w, in_shape, in);
            int8_t *dst = out.data + y * out.row_stride + x * out_shape.c;
            for (int32_t ch = 0; ch < out_shape.c; ch++) {
                int32_t v = reduce(t.first + ch, t.rows, t.cols, in.row_stride, in_shape.c);
                dst[ch] = (int8_t)clamp_s32(v, p->act_min, p->act_max);
            }
        }
    }
}

/* Row-major strides of a 4-D shape. */
static inline void strides4(const int32_t dims[4], int32_t strides[4])
{
    strides[3] = 1;
    for (int32_t d = 2; d >= 0; d--)
        strides[d] = strides[d + 1] * dims[d + 1];
}

/* Steps a 4-D index through extent in row-major order; 0 once it wraps. */
static inline int next_index4(int32_t idx[4], const int32_t extent[4])
{
    for (int32_t d = 3; d >= 0; d--) {
        if (++idx[d] < extent[d])
            return 1;
        idx[d] = 0;
    }
    return 0;
}

static inline int32_t elements4(const int32_t dims[4])
{
    return dims[0] * dims[1] * dims[2] * dims[3];
}

static inline int32_t offset4(const int32_t idx[4], const int32_t strides[4])
{
    return idx[0] * strides[0] + idx[1] * strides[1] + idx[2] * strides[2] + idx[3] * strides[3];
}

/* Combines one element of each input into an output element. */
typedef int8_t (*msf_binary_s8)(const void *params, int8_t a, int8_t b);

/* TFLite's 4-D broadcasting (BroadcastAdd4DSlow and kin): an input dimension
 * of 1 repeats along the output, that is, it has stride 0. */
static inline void broadcast_binary_s8(const void *params, msf_binary_s8 op, const int8_t *in1,
                                       const int32_t in1_dims[4], const int8_t *in2,
                                       const int32_t in2_dims[4], int8_t *out,
                                       const int32_t out_dims[4])
{
    int32_t s1[4], s2[4];
    strides4(in1_dims, s1);
    strides4(in2_dims, s2);
    for (int32_t d = 0; d < 4; d++) {
        if (in1_dims[d] == 1)
            s1[d] = 0;
        if (in2_dims[d] == 1)
            s2[d] = 0;
    }
    int32_t n = elements4(out_dims);
    if (n == 0)
        return;
    if (elements4(in1_dims) == n && elements4(in2_dims) == n) {
        /* Same shapes (a residual add): no index arithmetic needed. */
        for (int32_t i = 0; i < n; i++)
            out[i] = op(params, in1[i], in2[i]);
        return;
    }
    int32_t idx[4] = {0, 0, 0, 0};
    do {
        *out++ = op(params, in1[offset4(idx, s1)], in2[offset4(idx, s2)]);
    } while (next_index4(idx, out_dims));
}

#endif
