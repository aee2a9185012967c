/* mean_s8: hand-computed cases (rounding, the 1/n folded into the
 * multiplier, zero points and requantization, every axis), and a reference
 * written from SEMANTICS.md §11 (scatter-accumulate in int64) on seeded
 * random cases with random axis sets. */
#include "kernels/kernel_ref.h"

#define AXIS(d) (1u << (d))

/* 2x2 spatial mean of two channels, same scales (multiplier 2^30, shift 1):
 * n = 4 gives k = 2, 2^30 and shift -1: 10/4 -> 3 and -10/4 -> -3. */
static void test_spatial_rounding(void)
{
    const int32_t dims[4] = {1, 2, 2, 2};
    const int8_t input[8] = {1, -1, 2, -2, 3, -3, 4, -4};
    msf_mean_params p;
    derive_mean_params(0.05f, 0, 0.05f, 0, &p);
    p.axes_mask = AXIS(1) | AXIS(2);
    CHECK_EQ_INT(p.multiplier, 1 << 30);
    CHECK_EQ_INT(p.shift, 1);
    const int8_t want[2] = {3, -3};
    int8_t out[2];
    mean_s8(&p, input, dims, out);
    check_bytes_equal("spatial rounding", out, want, 2);
}

/* Three elements along W: k = 1, multiplier (2^30 << 1) / 3 = 715827882,
 * shift 0. 1+1+3 -> 5 * 715827882 / 2^31 = 2.17 -> 2. */
static void test_three(void)
{
    const int32_t dims[4] = {1, 1, 3, 1};
    const int8_t input[3] = {1, 1, 3};
    msf_mean_params p;
    derive_mean_params(1.0f, 0, 1.0f, 0, &p);
    p.axes_mask = AXIS(2);
    int8_t out[1];
    mean_s8(&p, input, dims, out);
    CHECK_EQ_INT(out[0], 2);
}

/* s_in = 2 s_out (multiplier 2^30, shift 2), zero points 10 and -5: the
 * offsets 2 4 6 average 4, doubled 8, output 3. The sum minus 10 * 3 is 12;
 * 12 * 2 * 715827882 / 2^31 = 8.4999... -> 8. */
static void test_requantize(void)
{
    const int32_t dims[4] = {1, 3, 1, 1};
    const int8_t input[3] = {12, 14, 16};
    msf_mean_params p;
    derive_mean_params(0.2f, 10, 0.1f, -5, &p);
    p.axes_mask = AXIS(1);
    CHECK_EQ_INT(p.multiplier, 1 << 30);
    CHECK_EQ_INT(p.shift, 2);
    CHECK_EQ_INT(p.input_zero_point, 10);
    CHECK_EQ_INT(p.output_zero_point, -5);
    int8_t out[1];
    mean_s8(&p, input, dims, out);
    CHECK_EQ_INT(out[0], 3);
}

/* [2,1,2,3]: over channels, over batch, over everything; clamping at 127. */
static void test_axes(void)
{
    const int32_t dims[4] = {2, 1, 2, 3};
    const int8_t input[12] = {1, 2, 3, 10, 20, 30, -6, -3, 0, 100, 127, 127};
    msf_mean_params p;
    derive_mean_params(1.0f, 0, 1.0f, 0, &p);
    int8_t out[6];
    p.axes_mask = AXIS(3);
    const int8_t want_c[4] = {2, 20, -3, 118};
    mean_s8(&p, input, dims, out);
    check_bytes_equal("channels", out, want_c, 4);
    /* With n = 2 the whole division is the doubling high multiply (2^30, shift
     * 0), whose halves go up: -2.5 -> -2, -0.5 -> 0, 73.5 -> 74. */
    p.axes_mask = AXIS(0);
    const int8_t want_n[6] = {-2, 0, 2, 55, 74, 79};
    mean_s8(&p, input, dims, out);
    check_bytes_equal("batch", out, want_n, 6);
    p.axes_mask = AXIS(0) | AXIS(1) | AXIS(2) | AXIS(3);
    mean_s8(&p, input, dims, out);
    CHECK_EQ_INT(out[0], 34); /* 411 / 12 = 34.25 */
    derive_mean_params(1.0f, 0, 0.25f, 0, &p);
    p.axes_mask = AXIS(3);
    const int8_t want_x4[4] = {8, 80, -12, 127};
    mean_s8(&p, input, dims, out);
    check_bytes_equal("channels x4, clamped", out, want_x4, 4);
}

static void ref_mean(const msf_mean_params *p, const int8_t *in, const int32_t dims[4], int8_t *out)
{
    int32_t od[4];
    int64_t n = 1;
    for (int d = 0; d < 4; d++) {
        od[d] = (p->axes_mask >> d) & 1 ? 1 : dims[d];
        n *= (p->axes_mask >> d) & 1 ? dims[d] : 1;
    }
    int64_t sums[432] = {0};
    int32_t i[4];
    size_t flat = 0;
    for (i[0] = 0; i[0] < dims[0]; i[0]++)
        for (i[1] = 0; i[1] < dims[1]; i[1]++)
            for (i[2] = 0; i[2] < dims[2]; i[2]++)
                for (i[3] = 0; i[3] < dims[3]; i[3]++)
                    sums[broadcast_index(od, i)] += in[flat++];
    int k = 0;
    while (((int64_t)2 << k) <= n)
        k++;
    if (k > 32)
        k = 32;
    if (k > 31 + p->shift)
        k = 31 + p->shift;
    int32_t m = (int32_t)(((int64_t)p->multiplier << k) / n);
    for (int32_t o = 0; o < elements_of(od); o++) {
        int64_t v = ref_mbqm((int32_t)(sums[o] - p->input_zero_point * n), m, p->shift - k) +
                    p->output_zero_point;
        out[o] = (int8_t)ref_clamp(v, -128, 127);
    }
}

static void test_random(void)
{
    for (int k = 0; k < 500; k++) {
        rng_t r = rng_seed((uint64_t)k + 8000);
        int32_t dims[4], unused1[4], unused2[4];
        rng_broadcast_dims(&r, dims, unused1, unused2);
        msf_mean_params p;
        float s_in = (float)rng_real(&r, 0.004, 0.2);
        float s_out = k % 5 == 0 ? s_in : (float)rng_real(&r, 0.004, 0.2);
        derive_mean_params(s_in, rng_zero_point(&r), s_out, rng_zero_point(&r), &p);
        p.axes_mask = (uint32_t)rng_int(&r, 1, 15);
        int8_t input[432], got[432], want[432];
        rng_fill_s8(&r, input, sizeof input);
        mean_s8(&p, input, dims, got);
        ref_mean(&p, input, dims, want);
        int32_t od[4];
        for (int d = 0; d < 4; d++)
            od[d] = (p.axes_mask >> d) & 1 ? 1 : dims[d];
        if (!check_bytes_equal("mean random", got, want, (size_t)elements_of(od)))
            fprintf(stderr, "  case %d: [%d,%d,%d,%d] axes %x\n", k, dims[0], dims[1], dims[2],
                    dims[3], p.axes_mask);
    }
}

int main(void)
{
    test_spatial_rounding();
    test_three();
    test_requantize();
    test_axes();
    test_random();
    return check_summary();
}
