/* avg_pool2d_s8 and max_pool2d_s8: hand-computed cases (rounding, padding
 * not counted), a reference over an explicitly masked padded input on seeded
 * random cases, tile-by-tile execution, and no MACs counted. */
#include "kernels/kernel_ref.h"

static void run_avg(const void *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape,
                    msf_out_rect out)
{
    avg_pool2d_s8((const msf_pool_params *)p, in_shape, in, out_shape, out);
}

static void run_max(const void *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape,
                    msf_out_rect out)
{
    max_pool2d_s8((const msf_pool_params *)p, in_shape, in, out_shape, out);
}

/* Two 2x2 windows summing to 10 and -10: 2.5 and -2.5 round away from zero. */
static void test_avg_rounding(void)
{
    const int8_t input[8] = {1, 2, -1, -2, 3, 4, -3, -4};
    msf_pool_params p = {2, 2, 2, 2, 0, 0, -128, 127};
    const int8_t want[2] = {3, -3};
    int8_t out[2];
    msf_hwc is = {2, 4, 1}, os = {1, 2, 1};
    run_whole(run_avg, &p, is, input, os, out);
    check_bytes_equal("average rounding", out, want, 2);
}

/* 3x3 input 1..9, 2x2 SAME stride 2: the extra padding row and column are at
 * the bottom and right and are not counted: 12/4, 9/2, 15/2, 9/1. */
static void test_avg_same_padding(void)
{
    const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    msf_pool_params p = {2, 2, 2, 2, 0, 0, -128, 127};
    const int8_t want[4] = {3, 5, 8, 9}, want_clamped[4] = {4, 5, 8, 8};
    int8_t out[4];
    msf_hwc is = {3, 3, 1}, os = {2, 2, 1};
    run_whole(run_avg, &p, is, input, os, out);
    check_bytes_equal("average SAME", out, want, 4);
    p.act_min = 4;
    p.act_max = 8;
    run_whole(run_avg, &p, is, input, os, out);
    check_bytes_equal("average SAME clamped", out, want_clamped, 4);
}

/* All-negative input: padding must not act as a 0 in the maximum. */
static void test_max_same_padding(void)
{
    const int8_t input[9] = {-9, -8, -7, -6, -5, -4, -3, -2, -1};
    msf_pool_params p = {2, 2, 2, 2, 0, 0, -128, 127};
    const int8_t want[4] = {-5, -4, -2, -1}, want_clamped[4] = {-5, -4, -3, -3};
    int8_t out[4];
    msf_hwc is = {3, 3, 1}, os = {2, 2, 1};
    run_whole(run_max, &p, is, input, os, out);
    check_bytes_equal("max SAME", out, want, 4);
    p.act_max = -3;
    run_whole(run_max, &p, is, input, os, out);
    check_bytes_equal("max SAME clamped", out, want_clamped, 4);
}

/* The padded input as values plus an in-map mask; the average as a double
 * rounded by C's round() (half away from zero). */
static void ref_pool(int is_avg, const msf_pool_params *p, msf_hwc is, const int8_t *in,
                     msf_hwc os, int8_t *out)
{
    int32_t hp = (os.h - 1) * p->stride_h + p->filter_h;
    int32_t wp = (os.w - 1) * p->stride_w + p->filter_w;
    int8_t *val = calloc((size_t)hp * wp * is.c, 1);
    uint8_t *mask = calloc((size_t)hp * wp, 1);
    for (int32_t y = 0; y < is.h; y++)
        for (int32_t x = 0; x < is.w; x++) {
            int32_t py = y + p->pad_top, px = x + p->pad_left;
            if (py < hp && px < wp) {
                mask[py * wp + px] = 1;
                memcpy(val + (py * wp + px) * is.c, in + (y * is.w + x) * is.c, is.c);
            }
        }
    for (int32_t oy = 0; oy < os.h; oy++)
        for (int32_t ox = 0; ox < os.w; ox++)
            for (int32_t c = 0; c < is.c; c++) {
                int32_t sum = 0, n = 0, mx = -1000;
                for (int32_t ky = 0; ky < p->filter_h; ky++)
                    for (int32_t kx = 0; kx < p->filter_w; kx++) {
                        int32_t i = (oy * p->stride_h + ky) * wp + ox * p->stride_w + kx;
                        if (mask[i]) {
                            sum += val[i * is.c + c];
                            mx = val[i * is.c + c] > mx ? val[i * is.c + c] : mx;
                            n++;
                        }
                    }
                int32_t v = is_avg ? (int32_t)round((double)sum / n) : mx;
                out[(oy * os.w + ox) * os.c + c] = (int8_t)ref_clamp(v, p->act_min, p->act_max);
            }
    free(val);
    free(mask);
}

static void test_random(int is_avg)
{
    const char *what = is_avg ? "avg pool" : "max pool";
    spatial_fn fn = is_avg ? run_avg : run_max;
    for (int k = 0; k < 300; k++) {
        rng_t r = rng_seed((uint64_t)k + (is_avg ? 3000 : 4000));
        geom_t g;
        msf_hwc is, os;
        rng_geometry(&r, &g, &is, &os);
        is.c = os.c = rng_int(&r, 1, 12);
        msf_pool_params p = {g.sh, g.sw, g.kh, g.kw, g.pad_top, g.pad_left, 0, 0};
        int32_t zp;
        rng_output(&r, k, &zp, &p.act_min, &p.act_max);

        size_t n_in = (size_t)is.h * is.w * is.c, n_out = (size_t)os.h * os.w * os.c;
        int8_t *input = malloc(n_in), *got = malloc(n_out), *want = malloc(n_out);
        rng_fill_s8(&r, input, n_in);
        run_whole(fn, &p, is, input, os, got);
        ref_pool(is_avg, &p, is, input, os, want);
        if (!check_bytes_equal(what, got, want, n_out))
            fprintf(stderr, "  case %d: %dx%dx%d k%dx%d s%dx%d pad %d,%d\n", k, is.h, is.w, is.c,
                    g.kh, g.kw, g.sh, g.sw, g.pad_top, g.pad_left);
        check_tiles(what, &r, fn, &p, g, is, input, os, got);
        free(input);
        free(got);
        free(want);
    }
}

int main(void)
{
    test_avg_rounding();
    test_avg_same_padding();
    test_max_same_padding();
    test_random(1);
    test_random(0);
    return check_summary();
}
