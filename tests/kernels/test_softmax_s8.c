/* softmax_s8 and derive_softmax_params: gemmlowp exp / reciprocal against
 * the real functions, hand-computed rows and parameters, then TFLite
 * Micro's outputs for every SOFTMAX case of ../shared/reference/ops. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "fixed_point.h"
#include "msf_kernels.h"
#include "nonlinear_cases.h"
#include "quant_params.h"

static void test_exp_on_negative_values(void)
{
    CHECK_EQ_INT(exp_on_negative_values(0, 5), INT32_MAX);
    /* The degree-4 polynomial on [-1/4, 0) is good to about 2.3e-7, i.e.
     * 500 LSB of Q0.31. */
    double worst = 0.0;
    for (int32_t a = -(31 << 26); a <= 0; a += 12345) {
        double want = exp(ldexp((double)a, -26)) * 2147483648.0;
        double err = fabs(exp_on_negative_values(a, 5) - want);
        if (err > worst)
            worst = err;
    }
    CHECK(worst < 1024.0);
    /* Below -32 the result is 0 once the format can hold such values. */
    CHECK_EQ_INT(exp_on_negative_values(-(33 << 24), 7), 0);
}

static void test_one_over_one_plus_x(void)
{
    /* 1/(1+0) = 1 (saturated) and 1/(1+1) = 1/2 in Q0.31, to a few LSB. */
    CHECK_EQ_INT(one_over_one_plus_x_for_x_in_0_1(0), INT32_MAX);
    CHECK(llabs(one_over_one_plus_x_for_x_in_0_1(INT32_MAX) - (1LL << 30)) <= 4);
    for (int64_t a = 0; a <= INT32_MAX; a += 9876543) {
        double want = 2147483648.0 / (1.0 + ldexp((double)a, -31));
        CHECK(fabs(one_over_one_plus_x_for_x_in_0_1((int32_t)a) - want) < 8.0);
    }
}

static void test_derive(void)
{
    msf_softmax_params p;
    /* 0.1f = 13421773 * 2^-27, so beta * s * 2^26 = 13421773 / 2
     * = (13421773 * 2^7 / 2^31) * 2^23 and diff_min = -floor(31 * 2^26 / 2^23). */
    derive_softmax_params(1.0f, 0.1f, &p);
    CHECK_EQ_INT(p.input_multiplier, 1717986944);
    CHECK_EQ_INT(p.input_left_shift, 23);
    CHECK_EQ_INT(p.diff_min, -248);
    /* 2 * 2^26 = 2^27 = 0.5 * 2^28: diff_min = -floor(31 / 4). */
    derive_softmax_params(1.0f, 2.0f, &p);
    CHECK_EQ_INT(p.input_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input_left_shift, 28);
    CHECK_EQ_INT(p.diff_min, -7);
    /* A huge beta * scale is capped at 2^31 - 1. */
    derive_softmax_params(1000.0f, 100.0f, &p);
    CHECK_EQ_INT(p.input_multiplier, INT32_MAX);
    CHECK_EQ_INT(p.input_left_shift, 31);
    CHECK_EQ_INT(p.diff_min, 0);
}

static void test_rows(void)
{
    msf_softmax_params p;
    derive_softmax_params(1.0f, 0.1f, &p);

    /* A constant row is uniform: 1/4 is 64/256, i.e. 64 - 128. */
    const int8_t four[4] = {7, 7, 7, 7};
    int8_t out[4];
    softmax_s8(&p, four, 1, 4, out);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(out[i], -64);

    /* A single element has probability 1, which saturates at 127. */
    const int8_t one = -100;
    softmax_s8(&p, &one, 1, 1, out);
    CHECK_EQ_INT(out[0], 127);

    /* Scale 2: diff_min is -7, so a difference of -8 is cut to -128 and the
     * maximum alone takes probability 1; -7 still counts (exp(-14) > 0). */
    derive_softmax_params(1.0f, 2.0f, &p);
    const int8_t cut[2] = {10, 2};
    softmax_s8(&p, cut, 1, 2, out);
    CHECK_EQ_INT(out[0], 127);
    CHECK_EQ_INT(out[1], -128);

    /* 600 equal terms sum past 512, where TFLite aborts: each 1/600 of 256
     * rounds to 0. */
    static int8_t wide_in[600], wide_out[600];
    for (int i = 0; i < 600; i++)
        wide_in[i] = 3;
    softmax_s8(&p, wide_in, 1, 600, wide_out);
    CHECK_EQ_INT(wide_out[0], -128);
    CHECK_EQ_INT(wide_out[599], -128);

    /* Rows are independent. */
    const int8_t two_rows[4] = {5, 5, 10, 2};
    softmax_s8(&p, two_rows, 2, 2, out);
    CHECK_EQ_INT(out[0], 0);
    CHECK_EQ_INT(out[1], 0);
    CHECK_EQ_INT(out[2], 127);
    CHECK_EQ_INT(out[3], -128);
}

static void run_softmax(const op_case *c, const int8_t *in, int8_t *out)
{
    msf_softmax_params p;
    derive_softmax_params(c->beta, c->in_scale, &p);
    int32_t depth = c->dims[c->rank - 1];
    softmax_s8(&p, in, c->elements / depth, depth, out);
}

int main(void)
{
    test_exp_on_negative_values();
    test_one_over_one_plus_x();
    test_derive();
    test_rows();

    int n_cases;
    int passed = run_op_cases("SOFTMAX", run_softmax, &n_cases);
    if (passed < 0) {
        printf("skipped the TFLite Micro vectors: %s not found\n", OPS_DIR);
    } else {
        printf("SOFTMAX: %d of %d cases byte-exact\n", passed, n_cases);
        CHECK(n_cases > 0);
    }
    return check_summary();
}
