/* Test support for the int8 kernels: a seeded generator, reference
 * arithmetic written independently of runtime/requantize.h (from
 * SEMANTICS.md), TFLite's padding rule, and the tile-equivalence check every
 * spatial kernel goes through. */
#ifndef MSF_TEST_KERNEL_REF_H
#define MSF_TEST_KERNEL_REF_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msf_kernels.h"
#include "quant_params.h"

/* xorshift64*: the same stream on every platform. */
typedef struct {
    uint64_t s;
} rng_t;

static inline rng_t rng_seed(uint64_t seed)
{
    rng_t r = {seed * 0x9E3779B97F4A7C15ull + 1};
    return r;
}

static inline uint32_t rng_u32(rng_t *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Uniform in [lo, hi]. */
static inline int32_t rng_int(rng_t *r, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(rng_u32(r) % (uint32_t)(hi - lo + 1));
}

/* Uniform in [lo, hi). */
static inline double rng_real(rng_t *r, double lo, double hi)
{
    return lo + (hi - lo) * (rng_u32(r) / 4294967296.0);
}

static inline void rng_fill_s8(rng_t *r, int8_t *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (int8_t)rng_int(r, -128, 127);
}

/* A zero point, often at the int8 extremes on purpose. */
static inline int32_t rng_zero_point(rng_t *r)
{
    switch (rng_int(r, 0, 3)) {
    case 0:
        return -128;
    case 1:
        return 127;
    default:
        return rng_int(r, -128, 127);
    }
}

/* x / 2^e rounded half away from zero, by integer division. */
static inline int64_t ref_div_pot_half_away(int64_t x, int e)
{
    int64_t d = (int64_t)1 << e;
    int64_t q = x / d, rem = x % d;
    if (2 * (rem < 0 ? -rem : rem) >= d)
        q += x < 0 ? -1 : 1;
    return q;
}

/* SaturatingRoundingDoublingHighMul is round(a*b / 2^31) with halves toward
 * +infinity: floor((a*b + 2^30) / 2^31), saturating the one overflow. */
static inline int32_t ref_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    int64_t ab = (int64_t)a * b + ((int64_t)1 << 30);
    int64_t q = ab / ((int64_t)1 << 31);
    if (ab % ((int64_t)1 << 31) < 0)
        q--;
    return (int32_t)q;
}

/* MultiplyByQuantizedMultiplier: x * 2^max(shift,0) (wrapping as int32),
 * the rounding doubling high multiply, then a rounding right shift. */
static inline int32_t ref_mbqm(int32_t x, int32_t m, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t scaled = (int32_t)(uint32_t)((uint64_t)(uint32_t)x << left);
    return (int32_t)ref_div_pot_half_away(ref_srdhm(scaled, m), shift > 0 ? 0 : -shift);
}

static inline int32_t ref_clamp(int64_t v, int32_t lo, int32_t hi)
{
    return (int32_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* A random output quantization and its fused activation range; the kind
 * cycles with k so every activation is covered. */
static inline void rng_output(rng_t *r, int k, int32_t *zero_point, int32_t *act_min,
                              int32_t *act_max)
{
    static const msf_activation acts[4] = {MSF_ACT_NONE, MSF_ACT_RELU, MSF_ACT_RELU6,
                                           MSF_ACT_RELU_N1_TO_1};
    float scale = (float)rng_real(r, 0.004, 0.2);
    *zero_point = rng_zero_point(r);
    activation_range_s8(acts[k % 4], scale, *zero_point, act_min, act_max);
}

/* Random 4-D shapes for a broadcasting binary operator: each input
 * dimension is the output's or 1; sometimes both inputs are full size. */
static inline void rng_broadcast_dims(rng_t *r, int32_t out[4], int32_t in1[4], int32_t in2[4])
{
    int full = rng_int(r, 0, 2) == 0;
    for (int d = 0; d < 4; d++) {
        out[d] = rng_int(r, 1, d == 0 ? 2 : 6);
        in1[d] = full || rng_int(r, 0, 2) ? out[d] : 1;
        in2[d] = full || rng_int(r, 0, 2) ? out[d] : 1;
    }
}

static inline int32_t elements_of(const int32_t dims[4])
{
    return dims[0] * dims[1] * dims[2] * dims[3];
}

/* Index of output element (b, y, x, c) in a broadcast input. */
static inline size_t broadcast_index(const int32_t dims[4], const int32_t o[4])
{
    size_t i = 0;
    for (int d = 0; d < 4; d++)
        i = i * dims[d] + (dims[d] == 1 ? 0 : o[d]);
    return i;
}

/* tensorflow/lite/kernels/padding.h: SAME keeps ceil(in / stride) outputs,
 * the odd padding pixel goes after; VALID pads nothing. */
static inline void tfl_padding(int same, int32_t in, int32_t k, int32_t stride, int32_t *out,
                               int32_t *pad_before)
{
    if (same) {
        *out = (in + stride - 1) / stride;
        int32_t total = (*out - 1) * stride + k - in;
        *pad_before = total > 0 ? total / 2 : 0;
    } else {
        *out = (in - k + stride) / stride;
        *pad_before = 0;
    }
}

/* Kernel, stride and padding of a spatial operator. */
typedef struct {
    int32_t kh, kw, sh, sw, pad_top, pad_left;
} geom_t;

/* Random shapes that exercise the odd cases: kernels 1/3/5/7 and 10x4 and
 * more, strides 1, 2, 2x1, 1x2, 3, SAME and VALID, odd sizes. in.c is left
 * to the caller. */
static inline void rng_geometry(rng_t *r, geom_t *g, msf_hwc *in, msf_hwc *out)
{
    static const int32_t kernels[][2] = {{1, 1}, {3, 3}, {5, 5}, {7, 7}, {10, 4},
                                         {2, 2}, {1, 3}, {3, 1}, {4, 10}};
    static const int32_t strides[][2] = {{1, 1}, {2, 2}, {2, 1}, {1, 2}, {3, 3}};
    int ki = rng_int(r, 0, (int)(sizeof kernels / sizeof kernels[0]) - 1);
    int si = rng_int(r, 0, (int)(sizeof strides / sizeof strides[0]) - 1);
    g->kh = kernels[ki][0];
    g->kw = kernels[ki][1];
    g->sh = strides[si][0];
    g->sw = strides[si][1];
    in->h = rng_int(r, 1, 14);
    in->w = rng_int(r, 1, 14);
    int same = rng_int(r, 0, 1) || in->h < g->kh || in->w < g->kw;
    tfl_padding(same, in->h, g->kh, g->sh, &out->h, &g->pad_top);
    tfl_padding(same, in->w, g->kw, g->sw, &out->w, &g->pad_left);
}

/* A spatial kernel with its parameters behind a void pointer. */
typedef void (*spatial_fn)(const void *params, msf_hwc in_shape, msf_in_window in,
                           msf_hwc out_shape, msf_out_rect out);

static inline int32_t imax(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static inline int32_t imin(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

/* Random cut points 0 = c[0] < ... < c[n] = size; sometimes every pixel. */
static inline int32_t rng_cuts(rng_t *r, int32_t size, int32_t *cuts)
{
    int32_t n = 0;
    int unit = rng_int(r, 0, 3) == 0;
    cuts[n++] = 0;
    for (int32_t i = 1; i < size; i++)
        if (unit || rng_int(r, 0, 2) == 0)
            cuts[n++] = i;
    cuts[n] = size;
    return n;
}

/* One output rectangle [y0,y1) x [x0,x1), computed from the minimal input
 * window copied into a buffer of exactly its size (so ASan sees any read
 * outside it) with a row stride of its own, into an output buffer whose
 * bytes outside the rectangle must stay untouched. The result must equal the
 * whole-tensor output. */
static inline void check_tile(const char *what, rng_t *r, spatial_fn fn, const void *params,
                              geom_t g, msf_hwc in_shape, const int8_t *input,
                              msf_hwc out_shape, const int8_t *whole, int32_t y0, int32_t y1, int32_t x0,
                              int32_t x1)
{
    int32_t iy0 = imax(0, y0 * g.sh - g.pad_top);
    int32_t iy1 = imin(in_shape.h, (y1 - 1) * g.sh - g.pad_top + g.kh);
    int32_t ix0 = imax(0, x0 * g.sw - g.pad_left);
    int32_t ix1 = imin(in_shape.w, (x1 - 1) * g.sw - g.pad_left + g.kw);
    int32_t rows = iy1 - iy0, cols = ix1 - ix0;
    CHECK(rows > 0 && cols > 0);
    if (rows <= 0 || cols <= 0)
        return;
    int32_t in_stride = cols * in_shape.c + rng_int(r, 0, 3);
    size_t in_bytes = (size_t)(rows - 1) * in_stride + (size_t)cols * in_shape.c;
    int8_t *win = malloc(in_bytes);
    for (int32_t y = 0; y < rows; y++)
        memcpy(win + y * in_stride,
               input + ((size_t)(iy0 + y) * in_shape.w + ix0) * in_shape.c,
               (size_t)cols * in_shape.c);

    int32_t h = y1 - y0, w = x1 - x0;
    int32_t out_stride = w * out_shape.c + rng_int(r, 0, 3);
    size_t out_bytes = (size_t)h * out_stride;
    int8_t *dst = malloc(out_bytes);
    memset(dst, 0x5A, out_bytes);

    msf_in_window in = {win, iy0, ix0, in_stride};
    msf_out_rect out = {dst, y0, x0, h, w, out_stride};
    fn(params, in_shape, in, out_shape, out);

    int ok = 1;
    for (int32_t y = 0; y < h; y++) {
        const int8_t *want = whole + ((size_t)(y0 + y) * out_shape.w + x0) * out_shape.c;
        ok &= memcmp(dst + (size_t)y * out_stride, want, (size_t)w * out_shape.c) == 0;
        for (int32_t i = w * out_shape.c; i < out_stride; i++)
            ok &= dst[(size_t)y * out_stride + i] == 0x5A;
    }
    if (!ok)
        fprintf(stderr, "%s: tile rows [%d,%d) cols [%d,%d) differs from the whole tensor\n",
                what, y0, y1, x0, x1);
    CHECK(ok);
    free(win);
    free(dst);
}

/* The output cut into random rectangles (down to single pixels): together
 * they must give the whole-tensor bytes. */
static inline void check_tiles(const char *what, rng_t *r, spatial_fn fn, const void *params,
                               geom_t g, msf_hwc in_shape, const int8_t *input,
                               msf_hwc out_shape, const int8_t *whole)
{
    int32_t ycuts[64], xcuts[64];
    int32_t ny = rng_cuts(r, out_shape.h, ycuts);
    int32_t nx = rng_cuts(r, out_shape.w, xcuts);
    for (int32_t i = 0; i < ny; i++)
        for (int32_t j = 0; j < nx; j++)
            check_tile(what, r, fn, params, g, in_shape, input, out_shape, whole, ycuts[i], ycuts[i + 1],
                       xcuts[j], xcuts[j + 1]);
}

/* The whole output map as one rectangle from the whole input. */
static inline void run_whole(spatial_fn fn, const void *params, msf_hwc in_shape,
                             const int8_t *input, msf_hwc out_shape, int8_t *output)
{
    msf_in_window in = {input, 0, 0, in_shape.w * in_shape.c};
    msf_out_rect out = {output, 0, 0, out_shape.h, out_shape.w, out_shape.w * out_shape.c};
    fn(params, in_shape, in, out_shape, out);
}

/* One random case of a layer with weights (conv, depthwise, fully
 * connected): random input and weights, and per output channel a
 * multiplier spreading the outputs over the int8 range and past it (a
 * factor 2^[-3, spread_hi] around fan_in's typical sum) and a bias in
 * [-bias_max, bias_max]. */
typedef struct {
    int8_t *input, *weights, *got, *want;
    int32_t *multiplier, *shift, *bias;
} weighted_case;

static inline weighted_case weighted_case_new(rng_t *r, size_t n_in, size_t n_weights, size_t n_out,
                                              int32_t channels, int32_t fan_in, double spread_hi, int32_t bias_max)
{
    size_t words = (size_t)channels * sizeof(int32_t);
    weighted_case c = {malloc(n_in),  malloc(n_weights), malloc(n_out), malloc(n_out),
                       malloc(words), malloc(words),     malloc(words)};
    rng_fill_s8(r, c.input, n_in);
    rng_fill_s8(r, c.weights, n_weights);
    for (int32_t ch = 0; ch < channels; ch++) {
        double eff = 60.0 / (sqrt((double)fan_in) * 5500.0) * pow(2.0, rng_real(r, -3, spread_hi));
        quantize_multiplier(eff, &c.multiplier[ch], &c.shift[ch]);
        c.bias[ch] = rng_int(r, -bias_max, bias_max);
    }
    return c;
}

static inline void weighted_case_free(weighted_case *c)
{
    free(c->input);
    free(c->weights);
    free(c->got);
    free(c->want);
    free(c->multiplier);
    free(c->shift);
    free(c->bias);
}

/* Conv or depthwise parameters for a random geometry and case (depth
 * multiplier and bias left to the caller). */
static inline msf_conv_params conv_params_of(rng_t *r, const geom_t *g, int k, const weighted_case *c)
{
    msf_conv_params p;
    memset(&p, 0, sizeof p);
    p.stride_h = g->sh;
    p.stride_w = g->sw;
    p.pad_top = g->pad_top;
    p.pad_left = g->pad_left;
    p.kernel_h = g->kh;
    p.kernel_w = g->kw;
    p.input_offset = -rng_zero_point(r);
    rng_output(r, k, &p.output_offset, &p.act_min, &p.act_max);
    p.multiplier = c->multiplier;
    p.shift = c->shift;
    p.weights = c->weights;
    return p;
}

#endif
