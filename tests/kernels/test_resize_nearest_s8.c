/* resize_nearest_s8: hand-computed source indices for every combination of
 * align_corners and half_pixel_centers, and a reference using libm's floorf
 * and roundf on seeded random sizes. */
#include "kernels/kernel_ref.h"

/* One row [1, 1, in, 1] of values 0..in-1 resized to [1, 1, out, 1]: the
 * output bytes are the source indices. Then the same along H. */
static void check_sources(int ac, int hpc, int32_t in, int32_t out, const int8_t *want)
{
    msf_resize_params p = {ac, hpc};
    int8_t input[8], got[8];
    for (int8_t i = 0; i < in; i++)
        input[i] = i;
    const int32_t in_w[4] = {1, 1, in, 1}, out_w[4] = {1, 1, out, 1};
    resize_nearest_s8(&p, input, in_w, out_w, got);
    check_bytes_equal("resize along W", got, want, (size_t)out);
    const int32_t in_h[4] = {1, in, 1, 1}, out_h[4] = {1, out, 1, 1};
    resize_nearest_s8(&p, input, in_h, out_h, got);
    check_bytes_equal("resize along H", got, want, (size_t)out);
}

static void test_hand(void)
{
    /* 3 -> 5: scale 3/5 = 0.6, or 2/4 = 0.5 with align_corners */
    check_sources(0, 0, 3, 5, (const int8_t[]){0, 0, 1, 1, 2}); /* floor(0.6 x) */
    check_sources(0, 1, 3, 5, (const int8_t[]){0, 0, 1, 2, 2}); /* floor(0.6 (x + 0.5)) */
    check_sources(1, 0, 3, 5, (const int8_t[]){0, 1, 1, 2, 2}); /* round(0.5 x), 0.5 -> 1 */
    /* 4 -> 3 with align_corners: scale 1.5 */
    check_sources(1, 0, 4, 3, (const int8_t[]){0, 2, 3});       /* round(1.5 x) */
    check_sources(1, 1, 4, 3, (const int8_t[]){1, 2, 3});       /* 3.75 -> 4, capped at 3 */
    /* 2 -> 4: plain doubling */
    check_sources(0, 0, 2, 4, (const int8_t[]){0, 0, 1, 1});
    /* 2 -> 3 with half_pixel_centers: 1.5f * 0.6666667f is 1.0f in float */
    check_sources(0, 1, 2, 3, (const int8_t[]){0, 1, 1});

    /* channels move together: [1,1,2,2] -> [1,1,4,2] */
    msf_resize_params p = {0, 0};
    const int32_t in_dims[4] = {1, 1, 2, 2}, out_dims[4] = {1, 1, 4, 2};
    const int8_t input[4] = {1, 2, 3, 4}, want[8] = {1, 2, 1, 2, 3, 4, 3, 4};
    int8_t got[8];
    resize_nearest_s8(&p, input, in_dims, out_dims, got);
    check_bytes_equal("channels", got, want, 8);
}

static int32_t ref_source(int32_t dst, int32_t in, int32_t out, int ac, int hpc)
{
    float scale = ac && out > 1 ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
    float pos = ((float)dst + (hpc ? 0.5f : 0.0f)) * scale;
    int32_t src = (int32_t)(ac ? roundf(pos) : floorf(pos));
    if (src > in - 1)
        src = in - 1;
    return src < 0 ? 0 : src;
}

static void test_random(void)
{
    for (int k = 0; k < 400; k++) {
        rng_t r = rng_seed((uint64_t)k + 12000);
        int ac = k & 1, hpc = (k >> 1) & 1;
        int32_t in_dims[4] = {rng_int(&r, 1, 2), rng_int(&r, 1, 9), rng_int(&r, 1, 9), rng_int(&r, 1, 3)};
        int32_t out_dims[4] = {in_dims[0], rng_int(&r, 1, 20), rng_int(&r, 1, 20), in_dims[3]};
        int8_t input[2 * 9 * 9 * 3], got[2 * 20 * 20 * 3], want[2 * 20 * 20 * 3];
        rng_fill_s8(&r, input, sizeof input);
        size_t n = 0;
        for (int32_t b = 0; b < out_dims[0]; b++)
            for (int32_t y = 0; y < out_dims[1]; y++)
                for (int32_t x = 0; x < out_dims[2]; x++)
                    for (int32_t c = 0; c < out_dims[3]; c++) {
                        int32_t sy = ref_source(y, in_dims[1], out_dims[1], ac, hpc);
                        int32_t sx = ref_source(x, in_dims[2], out_dims[2], ac, hpc);
                        want[n++] = input[((b * in_dims[1] + sy) * in_dims[2] + sx) * in_dims[3] + c];
                    }
        msf_resize_params p = {ac, hpc};
        resize_nearest_s8(&p, input, in_dims, out_dims, got);
        if (!check_bytes_equal("resize random", got, want, n))
            fprintf(stderr, "  case %d: %dx%d -> %dx%d ac %d hpc %d\n", k, in_dims[1], in_dims[2],
                    out_dims[1], out_dims[2], ac, hpc);
    }
}

int main(void)
{
    test_hand();
    test_random();
    return check_summary();
}
