/* conv2d_s8: hand-computed cases, a byte-for-byte comparison with a plain
 * reference (explicitly zero-point-padded input, int64 accumulation) on
 * seeded random cases, and tile-by-tile execution against the whole tensor. */
#include "kernels/kernel_ref.h"

static void run_conv(const void *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape,
                     msf_out_rect out)
{
    conv2d_s8((const msf_conv_params *)p, in_shape, in, out_shape, out);
}

/* 3x3 input 1..9, 3x3 kernel of ones, SAME: each output is the sum of its
 * in-map neighbours; multiplier 2^30 with shift 1 is exactly x1. */
static void test_neighbour_sums(void)
{
    const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int8_t weights[9];
    memset(weights, 1, sizeof weights);
    const int32_t m[1] = {1 << 30}, sh[1] = {1};
    msf_conv_params p = {1, 1, 1, 1, 3, 3, 1, 0, 0, -128, 127, m, sh, weights, NULL};
    const int8_t want[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
    int8_t out[9];
    msf_hwc s = {3, 3, 1};
    run_whole(run_conv, &p, s, input, s, out);
    check_bytes_equal("neighbour sums", out, want, 9);
}

/* The same with input zero point 1 (padding taps add nothing, in-map taps
 * add x - 1), bias 100, x0.25 (multiplier 2^30, shift -1), output zero point
 * -3 and a [25, 30] clamp. Sums 108 115 112 / 121 136 127 / 120 133 124.
 * Requantization rounds twice: 121 -> 60.5 -> 61 -> 30.5 -> 31 (one
 * rounding of 30.25 would give 30), 133 -> 66.5 -> 67 -> 34 (not 33). */
static void test_offsets_rounding_clamp(void)
{
    const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int8_t weights[9];
    memset(weights, 1, sizeof weights);
    const int32_t m[1] = {1 << 30}, sh[1] = {-1}, bias[1] = {100};
    msf_conv_params p = {1, 1, 1, 1, 3, 3, 1, -1, -3, 25, 30, m, sh, weights, bias};
    const int8_t want[9] = {25, 26, 25, 28, 30, 29, 27, 30, 28};
    int8_t out[9];
    msf_hwc s = {3, 3, 1};
    run_whole(run_conv, &p, s, input, s, out);
    check_bytes_equal("offsets, rounding and clamp", out, want, 9);
}

/* 4x4 input -8..7, 2x2 kernel, stride 2, VALID, two channels with their own
 * requantization: channel 0 takes the top-left tap (x1), channel 1 minus the
 * window sum (x0.5). */
static void test_per_channel_stride2(void)
{
    int8_t input[16];
    for (int i = 0; i < 16; i++)
        input[i] = (int8_t)(i - 8);
    const int8_t weights[8] = {1, 0, 0, 0, -1, -1, -1, -1};
    const int32_t m[2] = {1 << 30, 1 << 30}, sh[2] = {1, 0};
    msf_conv_params p = {2, 2, 0, 0, 2, 2, 1, 0, 0, -128, 127, m, sh, weights, NULL};
    const int8_t want[8] = {-8, 11, -6, 7, 0, -5, 2, -9};
    int8_t out[8];
    msf_hwc is = {4, 4, 1}, os = {2, 2, 2};
    run_whole(run_conv, &p, is, input, os, out);
    check_bytes_equal("per-channel stride 2", out, want, 8);
}

/* SEMANTICS.md §3 the plain way: pad the input with its zero point, then
 * sum over the whole kernel. */
static void ref_conv(const msf_conv_params *p, msf_hwc is, const int8_t *in, msf_hwc os,
                     int8_t *out)
{
    int32_t hp = (os.h - 1) * p->stride_h + p->kernel_h;
    int32_t wp = (os.w - 1) * p->stride_w + p->kernel_w;
    int32_t zp_in = -p->input_offset;
    int8_t *padded = malloc((size_t)hp * wp * is.c);
    for (int32_t y = 0; y < hp; y++)
        for (int32_t x = 0; x < wp; x++)
            for (int32_t c = 0; c < is.c; c++) {
                int32_t iy = y - p->pad_top, ix = x - p->pad_left;
                int inside = iy >= 0 && iy < is.h && ix >= 0 && ix < is.w;
                padded[(y * wp + x) * is.c + c] =
                    inside ? in[(iy * is.w + ix) * is.c + c] : (int8_t)zp_in;
            }
    for (int32_t oy = 0; oy < os.h; oy++)
        for (int32_t ox = 0; ox < os.w; ox++)
            for (int32_t oc = 0; oc < os.c; oc++) {
                int64_t acc = p->bias ? p->bias[oc] : 0;
                for (int32_t ky = 0; ky < p->kernel_h; ky++)
                    for (int32_t kx = 0; kx < p->kernel_w; kx++)
                        for (int32_t ic = 0; ic < is.c; ic++) {
                            int32_t y = oy * p->stride_h + ky, x = ox * p->stride_w + kx;
                            int64_t w = p->weights[((oc * p->kernel_h + ky) * p->kernel_w + kx) * is.c + ic];
                            acc += w * (padded[(y * wp + x) * is.c + ic] - zp_in);
                        }
                int64_t v = ref_mbqm((int32_t)acc, p->multiplier[oc], p->shift[oc]) + p->output_offset;
                out[(oy * os.w + ox) * os.c + oc] = (int8_t)ref_clamp(v, p->act_min, p->act_max);
            }
    free(padded);
}

static void test_random(void)
{
    int mismatches = 0;
    for (int k = 0; k < 400; k++) {
        rng_t r = rng_seed((uint64_t)k + 1000);
        geom_t g;
        msf_hwc is, os;
        rng_geometry(&r, &g, &is, &os);
        is.c = rng_int(&r, 1, k % 5 == 0 ? 20 : 9);
        os.c = rng_int(&r, 1, 9);
        int32_t vol = g.kh * g.kw * is.c;

        size_t n_in = (size_t)is.h * is.w * is.c, n_out = (size_t)os.h * os.w * os.c;
        weighted_case c = weighted_case_new(&r, n_in, (size_t)os.c * vol, n_out, os.c, vol, 3, 30000);
        msf_conv_params p = conv_params_of(&r, &g, k, &c);
        p.bias = k % 4 == 3 ? NULL : c.bias;

        run_whole(run_conv, &p, is, c.input, os, c.got);
        ref_conv(&p, is, c.input, os, c.want);
        if (!check_bytes_equal("conv random", c.got, c.want, n_out) && mismatches++ < 3)
            fprintf(stderr, "  case %d: %dx%dx%d k%dx%d s%dx%d pad %d,%d -> %dx%dx%d\n", k, is.h,
                    is.w, is.c, g.kh, g.kw, g.sh, g.sw, g.pad_top, g.pad_left, os.h, os.w, os.c);
        check_tiles("conv tiles", &r, run_conv, &p, g, is, c.input, os, c.got);
        weighted_case_free(&c);
    }
}

int main(void)
{
    test_neighbour_sums();
    test_offsets_rounding_clamp();
    test_per_channel_stride2();
    test_random();
    return check_summary();
}
