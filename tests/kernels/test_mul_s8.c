/* mul_s8 with parameters from derive_mul_params: a hand-computed rounding
 * case, broadcasting, activations, and a reference written from
 * SEMANTICS.md §10 on seeded random cases with random broadcast shapes. */
#include "kernels/kernel_ref.h"

/* Scales 0.5 x 0.25 -> 1: multiplier 0.125 = 2^30 with shift -2, rounded
 * twice: 15 -> 7.5 -> 8 -> 2, 4 -> 1, -4 -> -1, -15 -> -7.5 -> -7 -> -2,
 * 6 -> 0.75 -> 1, 2 -> 0.25 -> 0. Then zero points and RELU6. */
static void test_rounding(void)
{
    static const int32_t dims[4] = {1, 1, 1, 6};
    msf_mul_params p;
    derive_mul_params(0.5f, 0, 0.25f, 0, 1.0f, 0, MSF_ACT_NONE, &p);
    CHECK_EQ_INT(p.output_multiplier, 1 << 30);
    CHECK_EQ_INT(p.output_shift, -2);
    const int8_t a[6] = {3, 1, -1, -3, 2, 1}, b[6] = {5, 4, 4, 5, 3, 2};
    const int8_t want[6] = {2, 1, -1, -2, 1, 0};
    int8_t out[6];
    mul_s8(&p, a, dims, b, dims, out, dims);
    check_bytes_equal("rounding", out, want, 6);

    /* zero points 1 and -2 shift the operands back; output zero point 3,
     * RELU6 at scale 1 clamps to [3, 9]. */
    derive_mul_params(0.5f, 1, 0.25f, -2, 1.0f, 3, MSF_ACT_RELU6, &p);
    CHECK_EQ_INT(p.act_min, 3);
    CHECK_EQ_INT(p.act_max, 9);
    const int8_t a1[6] = {4, 2, 0, -2, 3, 2}, b1[6] = {3, 2, 2, 3, 1, 0};
    const int8_t want1[6] = {5, 4, 3, 3, 4, 3};
    mul_s8(&p, a1, dims, b1, dims, out, dims);
    check_bytes_equal("zero points, RELU6", out, want1, 6);
}

/* A squeeze-and-excitation style [1,2,2,2] x [1,1,1,2]. */
static void test_broadcast(void)
{
    msf_mul_params p;
    derive_mul_params(1.0f, 0, 1.0f, 0, 1.0f, 0, MSF_ACT_NONE, &p);
    const int32_t full[4] = {1, 2, 2, 2}, chan[4] = {1, 1, 1, 2};
    const int8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, c[2] = {3, -2};
    const int8_t want[8] = {3, -4, 9, -8, 15, -12, 21, -16};
    int8_t out[8];
    mul_s8(&p, a, full, c, chan, out, full);
    check_bytes_equal("broadcast channels", out, want, 8);
}

static void test_random(void)
{
    static const msf_activation acts[4] = {MSF_ACT_NONE, MSF_ACT_RELU, MSF_ACT_RELU6,
                                           MSF_ACT_RELU_N1_TO_1};
    for (int k = 0; k < 500; k++) {
        rng_t r = rng_seed((uint64_t)k + 7000);
        int32_t od[4], d1[4], d2[4];
        rng_broadcast_dims(&r, od, d1, d2);
        float s1 = (float)rng_real(&r, 0.004, 0.2), s2 = (float)rng_real(&r, 0.004, 0.2);
        float so = (float)rng_real(&r, 0.002, 0.3) * s1 * s2 * 128.0f;
        msf_mul_params p;
        derive_mul_params(s1, rng_zero_point(&r), s2, rng_zero_point(&r), so, rng_zero_point(&r),
                          acts[k % 4], &p);
        int8_t in1[432], in2[432], got[432], want[432]; /* up to 2x6x6x6 */
        rng_fill_s8(&r, in1, sizeof in1);
        rng_fill_s8(&r, in2, sizeof in2);
        mul_s8(&p, in1, d1, in2, d2, got, od);
        int32_t o[4];
        size_t n = 0;
        for (o[0] = 0; o[0] < od[0]; o[0]++)
            for (o[1] = 0; o[1] < od[1]; o[1]++)
                for (o[2] = 0; o[2] < od[2]; o[2]++)
                    for (o[3] = 0; o[3] < od[3]; o[3]++) {
                        int32_t x1 = in1[broadcast_index(d1, o)] + p.input1_offset;
                        int32_t x2 = in2[broadcast_index(d2, o)] + p.input2_offset;
                        int64_t v = ref_mbqm(x1 * x2, p.output_multiplier, p.output_shift) +
                                    p.output_offset;
                        want[n++] = (int8_t)ref_clamp(v, p.act_min, p.act_max);
                    }
        if (!check_bytes_equal("mul random", got, want, n))
            fprintf(stderr, "  case %d: [%d,%d,%d,%d] x [%d,%d,%d,%d]\n", k, d1[0], d1[1], d1[2],
                    d1[3], d2[0], d2[1], d2[2], d2[3]);
    }
}

int main(void)
{
    test_rounding();
    test_broadcast();
    test_random();
    return check_summary();
}
