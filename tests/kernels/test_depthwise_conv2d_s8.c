/* depthwise_conv2d_s8: hand-computed cases, a plain reference (explicitly
 * zero-point-padded input, int64 accumulation) on seeded random cases with
 * depth multipliers 1 to 3, and tile-by-tile execution. */
#include "kernels/kernel_ref.h"

static void run_dw(const void *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape,
                   msf_out_rect out)
{
    depthwise_conv2d_s8((const msf_conv_params *)p, in_shape, in, out_shape, out);
}

/* 2x2x2 input, 2x2 kernel, VALID, depth multiplier 2: output channel
 * oc = ic * 2 + m reads input channel ic and weight column oc of [1,2,2,4].
 * Input channel 0 is 1 2 / 3 4, channel 1 is 10 20 / 30 40, zero point 0;
 * x1 requantization (2^30, shift 1), output zero point 5. */
static void test_depth_multiplier(void)
{
    const int8_t input[8] = {1, 10, 2, 20, 3, 30, 4, 40};
    /* per tap (ky, kx): weights of oc 0..3 */
    const int8_t weights[16] = {1, 0, 1, -1, /* (0,0) */
                                1, 0, 0, 0,  /* (0,1) */
                                1, 0, 0, 0,  /* (1,0) */
                                1, 1, 0, 1}; /* (1,1) */
    const int32_t m[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30}, sh[4] = {1, 1, 1, 1};
    const int32_t bias[4] = {0, 0, 0, 7};
    msf_conv_params p = {1, 1, 0, 0, 2, 2, 2, 0, 5, -128, 127, m, sh, weights, bias};
    /* oc0: 1+2+3+4; oc1: 4; oc2: 10; oc3: -10 + 40 + 7; all + 5 */
    const int8_t want[4] = {15, 9, 15, 42};
    int8_t out[4];
    msf_hwc is = {2, 2, 2}, os = {1, 1, 4};
    run_whole(run_dw, &p, is, input, os, out);
    check_bytes_equal("depth multiplier 2", out, want, 4);
}

/* 3x3 SAME over a 3x3 map with input zero point 127: the padding taps must
 * count as the zero point, the in-map taps as x - 127. All weights 1, input
 * all 127 except the centre 117: every window sees -10 from the centre. */
static void test_zero_point_127_padding(void)
{
    int8_t input[9], weights[9];
    memset(input, 127, sizeof input);
    input[4] = 117;
    memset(weights, 1, sizeof weights);
    const int32_t m[1] = {1 << 30}, sh[1] = {1};
    msf_conv_params p = {1, 1, 1, 1, 3, 3, 1, -127, -128, -128, 127, m, sh, weights, NULL};
    int8_t want[9], out[9];
    msf_hwc s = {3, 3, 1};
    run_whole(run_dw, &p, s, input, s, out);
    memset(want, -128, sizeof want); /* -10 - 128 clamps */
    check_bytes_equal("zero point 127, clamped", out, want, 9);
    p.output_offset = 0;
    run_whole(run_dw, &p, s, input, s, out);
    memset(want, -10, sizeof want);
    check_bytes_equal("zero point 127", out, want, 9);
}

static void ref_dw(const msf_conv_params *p, msf_hwc is, const int8_t *in, msf_hwc os, int8_t *out)
{
    int32_t hp = (os.h - 1) * p->stride_h + p->kernel_h;
    int32_t wp = (os.w - 1) * p->stride_w + p->kernel_w;
    int32_t zp_in = -p->input_offset;
    int8_t *padded = malloc((size_t)hp * wp * is.c);
    memset(padded, zp_in, (size_t)hp * wp * is.c);
    for (int32_t y = 0; y < is.h; y++)
        for (int32_t x = 0; x < is.w; x++) {
            int32_t py = y + p->pad_top, px = x + p->pad_left;
            if (py < hp && px < wp)
                memcpy(padded + (py * wp + px) * is.c, in + (y * is.w + x) * is.c, is.c);
        }
    for (int32_t oy = 0; oy < os.h; oy++)
        for (int32_t ox = 0; ox < os.w; ox++)
            for (int32_t oc = 0; oc < os.c; oc++) {
                int32_t ic = oc / p->depth_multiplier;
                int64_t acc = p->bias ? p->bias[oc] : 0;
                for (int32_t ky = 0; ky < p->kernel_h; ky++)
                    for (int32_t kx = 0; kx < p->kernel_w; kx++) {
                        int32_t y = oy * p->stride_h + ky, x = ox * p->stride_w + kx;
                        int64_t w = p->weights[(ky * p->kernel_w + kx) * os.c + oc];
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
        rng_t r = rng_seed((uint64_t)k + 2000);
        geom_t g;
        msf_hwc is, os;
        rng_geometry(&r, &g, &is, &os);
        int32_t dm = rng_int(&r, 0, 2) ? 1 : rng_int(&r, 2, 3);
        is.c = rng_int(&r, 1, 12);
        os.c = is.c * dm;
        int32_t taps = g.kh * g.kw;

        size_t n_in = (size_t)is.h * is.w * is.c, n_out = (size_t)os.h * os.w * os.c;
        weighted_case c = weighted_case_new(&r, n_in, (size_t)os.c * taps, n_out, os.c, taps, 4, 5000);
        msf_conv_params p = conv_params_of(&r, &g, k, &c);
        p.depth_multiplier = dm;
        p.bias = k % 4 == 3 ? NULL : c.bias;

        run_whole(run_dw, &p, is, c.input, os, c.got);
        ref_dw(&p, is, c.input, os, c.want);
        if (!check_bytes_equal("depthwise random", c.got, c.want, n_out) && mismatches++ < 3)
            fprintf(stderr, "  case %d: %dx%dx%d k%dx%d s%dx%d pad %d,%d dm %d\n", k, is.h, is.w,
                    is.c, g.kh, g.kw, g.sh, g.sw, g.pad_top, g.pad_left, dm);
        check_tiles("depthwise tiles", &r, run_dw, &p, g, is, c.input, os, c.got);
        weighted_case_free(&c);
    }
}

/* 3x3 windows wholly in the map, two in a row (the portable kernel takes
 * them in pairs with the input offset folded into the bias), at the
 * extremes: weights and inputs -128 or 127, input offsets 128 and -127,
 * biases at the importer's bound |bias| + 255 Σ|w| <= INT32_MAX (every
 * partial sum must stay in int32: UBSan's build checks), and small biases
 * with requantizations that keep outputs off the clamp; strides 1 and 2,
 * maps whose rows hold an odd and an even number of whole windows, whole
 * and in tiles. */
static void test_whole_window_pairs(void)
{
    for (int k = 0; k < 48; k++) {
        rng_t r = rng_seed((uint64_t)k + 3000);
        geom_t g = {3, 3, 1 + k % 2, 1 + k % 2, 0, 0};
        msf_hwc is = {rng_int(&r, 3, 9), rng_int(&r, 3, 13), rng_int(&r, 4, 12)}, os;
        tfl_padding(k % 3 != 0, is.h, 3, g.sh, &os.h, &g.pad_top);
        tfl_padding(k % 3 != 0, is.w, 3, g.sw, &os.w, &g.pad_left);
        os.c = is.c;
        size_t n_in = (size_t)is.h * is.w * is.c, n_out = (size_t)os.h * os.w * os.c;
        weighted_case c = weighted_case_new(&r, n_in, (size_t)os.c * 9, n_out, os.c, 9, 4, 5000);
        int extreme = k % 4 < 2;
        if (extreme) {
            for (size_t i = 0; i < n_in; i++)
                c.input[i] = rng_int(&r, 0, 1) ? 127 : -128;
            for (size_t i = 0; i < (size_t)os.c * 9; i++)
                c.weights[i] = rng_int(&r, 0, 1) ? 127 : -128;
        }
        msf_conv_params p = conv_params_of(&r, &g, k, &c);
        p.depth_multiplier = 1;
        p.input_offset = k % 2 ? 128 : -127;
        p.bias = c.bias;
        for (int32_t ch = 0; extreme && ch < os.c; ch++) {
            int32_t sum = 0;
            for (int32_t t = 0; t < 9; t++)
                sum += abs(c.weights[t * os.c + ch]);
            c.bias[ch] = (ch & 1 ? -1 : 1) * (INT32_MAX - 255 * sum);
        }
        run_whole(run_dw, &p, is, c.input, os, c.got);
        ref_dw(&p, is, c.input, os, c.want);
        if (!check_bytes_equal("depthwise whole-window pairs", c.got, c.want, n_out))
            fprintf(stderr, "  case %d: %dx%dx%d s%d pad %d,%d\n", k, is.h, is.w, is.c, g.sh, g.pad_top, g.pad_left);
        check_tiles("depthwise whole-window pairs, tiles", &r, run_dw, &p, g, is, c.input, os, c.got);
        weighted_case_free(&c);
    }
}

int main(void)
{
    test_depth_multiplier();
    test_zero_point_127_padding();
    test_random();
    test_whole_window_pairs();
    return check_summary();
}
