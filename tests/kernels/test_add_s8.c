/* add_s8 with parameters from derive_add_params: hand-computed cases (equal
 * scales add exactly; a half-scale input rounds half away from zero),
 * broadcasting, activations, and a reference written from SEMANTICS.md §9 on
 * seeded random cases with random broadcast shapes. */
#include "kernels/kernel_ref.h"

static const int32_t dims6[4] = {1, 1, 1, 6};

/* Scales 1, 1 -> 1: multipliers 0.5 (2^30, shift 0) and 2^-19 (2^30, shift
 * -18); the output is exactly x1 - zp1 + x2 - zp2 + zp_out, then clamped. */
static void test_equal_scales(void)
{
    msf_add_params p;
    derive_add_params(1.0f, 3, 1.0f, -4, 1.0f, -10, MSF_ACT_NONE, &p);
    CHECK_EQ_INT(p.left_shift, 20);
    CHECK_EQ_INT(p.input1_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input1_shift, 0);
    CHECK_EQ_INT(p.input2_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input2_shift, 0);
    CHECK_EQ_INT(p.output_multiplier, 1 << 30);
    CHECK_EQ_INT(p.output_shift, -18);
    CHECK_EQ_INT(p.input1_offset, -3);
    CHECK_EQ_INT(p.input2_offset, 4);
    CHECK_EQ_INT(p.output_offset, -10);
    const int8_t a[6] = {10, -128, 127, 0, 3, -50}, b[6] = {1, 2, 3, -4, -128, 127};
    /* 7+5-10, -131+6-10 (clamped), 124+7-10, -3+0-10, 0-124-10, -53+131-10 */
    const int8_t want[6] = {2, -128, 121, -13, -128, 68};
    int8_t out[6];
    add_s8(&p, a, dims6, b, dims6, out, dims6);
    check_bytes_equal("equal scales", out, want, 6);

    derive_add_params(1.0f, 3, 1.0f, -4, 1.0f, -10, MSF_ACT_RELU, &p);
    CHECK_EQ_INT(p.act_min, -10);
    const int8_t want_relu[6] = {2, -10, 121, -10, -10, 68};
    add_s8(&p, a, dims6, b, dims6, out, dims6);
    check_bytes_equal("equal scales, RELU", out, want_relu, 6);
}

/* Scales 1 and 0.5 -> 1: input 2 is halved (2^30, shift -1) and the sum
 * x1 + x2/2 rounds half away from zero. */
static void test_half_scale(void)
{
    msf_add_params p;
    derive_add_params(1.0f, 0, 0.5f, 0, 1.0f, 0, MSF_ACT_NONE, &p);
    CHECK_EQ_INT(p.input2_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input2_shift, -1);
    const int8_t a[6] = {0, 0, 0, 0, 1, 2}, b[6] = {1, -1, 3, -3, -3, -3};
    const int8_t want[6] = {1, -1, 2, -2, -1, 1};
    int8_t out[6];
    add_s8(&p, a, dims6, b, dims6, out, dims6);
    check_bytes_equal("half scale", out, want, 6);
}

/* [1,2,2,3] + [1,1,1,3]: a per-channel constant repeated over the pixels,
 * and [1,1,1,1] + [1,2,2,3] (a scalar first operand). */
static void test_broadcast(void)
{
    msf_add_params p;
    derive_add_params(1.0f, 0, 1.0f, 0, 1.0f, 0, MSF_ACT_NONE, &p);
    const int32_t full[4] = {1, 2, 2, 3}, chan[4] = {1, 1, 1, 3}, one[4] = {1, 1, 1, 1};
    const int8_t a[12] = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, c[3] = {100, -100, 5};
    const int8_t want[12] = {100, -99, 7, 110, -89, 17, 120, -79, 27, 127, -69, 37};
    int8_t out[12];
    add_s8(&p, a, full, c, chan, out, full);
    check_bytes_equal("broadcast channels", out, want, 12);
    const int8_t s[1] = {-20};
    const int8_t want_scalar[12] = {-20, -19, -18, -10, -9, -8, 0, 1, 2, 10, 11, 12};
    add_s8(&p, s, one, a, full, out, full);
    check_bytes_equal("broadcast scalar", out, want_scalar, 12);
}

static int32_t ref_add(const msf_add_params *p, int8_t x1, int8_t x2)
{
    int32_t a = ref_mbqm((x1 + p->input1_offset) * (1 << p->left_shift), p->input1_multiplier,
                         p->input1_shift);
    int32_t b = ref_mbqm((x2 + p->input2_offset) * (1 << p->left_shift), p->input2_multiplier,
                         p->input2_shift);
    int64_t v = ref_mbqm(a + b, p->output_multiplier, p->output_shift) + p->output_offset;
    return ref_clamp(v, p->act_min, p->act_max);
}

static void test_random(void)
{
    static const msf_activation acts[4] = {MSF_ACT_NONE, MSF_ACT_RELU, MSF_ACT_RELU6,
                                           MSF_ACT_RELU_N1_TO_1};
    for (int k = 0; k < 500; k++) {
        rng_t r = rng_seed((uint64_t)k + 6000);
        int32_t od[4], d1[4], d2[4];
        rng_broadcast_dims(&r, od, d1, d2);
        float s1 = (float)rng_real(&r, 0.004, 0.2);
        float s2 = k % 7 == 0 ? s1 : (float)rng_real(&r, 0.004, 0.2);
        float so = (float)rng_real(&r, 0.004, 0.3);
        msf_add_params p;
        derive_add_params(s1, rng_zero_point(&r), s2, rng_zero_point(&r), so, rng_zero_point(&r),
                          acts[k % 4], &p);
        int8_t in1[432], in2[432], got[432], want[432]; /* up to 2x6x6x6 */
        rng_fill_s8(&r, in1, sizeof in1);
        rng_fill_s8(&r, in2, sizeof in2);
        add_s8(&p, in1, d1, in2, d2, got, od);
        int32_t o[4];
        size_t n = 0;
        for (o[0] = 0; o[0] < od[0]; o[0]++)
            for (o[1] = 0; o[1] < od[1]; o[1]++)
                for (o[2] = 0; o[2] < od[2]; o[2]++)
                    for (o[3] = 0; o[3] < od[3]; o[3]++)
                        want[n++] = (int8_t)ref_add(&p, in1[broadcast_index(d1, o)],
                                                    in2[broadcast_index(d2, o)]);
        if (!check_bytes_equal("add random", got, want, n))
            fprintf(stderr, "  case %d: [%d,%d,%d,%d] + [%d,%d,%d,%d]\n", k, d1[0], d1[1], d1[2],
                    d1[3], d2[0], d2[1], d2[2], d2[3]);
    }
}

int main(void)
{
    test_equal_scales();
    test_half_scale();
    test_broadcast();
    test_random();
    return check_summary();
}
