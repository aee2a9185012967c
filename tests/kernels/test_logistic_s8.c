/* logistic_s8 and derive_logistic_params: hand-computed parameters and
 * invariants, closeness to the real sigmoid, then TFLite Micro's outputs for
 * every LOGISTIC case of ../shared/reference/ops. */
#include <math.h>

#include "check.h"
#include "fixed_point.h"
#include "msf_kernels.h"
#include "nonlinear_cases.h"
#include "quant_params.h"

static void test_fixed_point_logistic(void)
{
    CHECK_EQ_INT(fixed_point_logistic(0, 4), 1 << 30);
    /* logistic(-x) = 1 - logistic(x), with 1 as INT32_MAX. */
    int32_t a = 3 << 27;
    CHECK_EQ_INT(fixed_point_logistic(-a, 4), INT32_MAX - fixed_point_logistic(a, 4));
    double want = 2147483648.0 / (1.0 + exp(-3.0));
    CHECK(fabs(fixed_point_logistic(a, 4) - want) < 1024.0);
}

static void test_derive(void)
{
    msf_logistic_params p;
    /* 2^-4 * 2^27 = 2^23 = 0.5 * 2^24; radius floor(15 * 2^27 / 2^24). */
    derive_logistic_params(0.0625f, -20, &p);
    CHECK_EQ_INT(p.input_zero_point, -20);
    CHECK_EQ_INT(p.input_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input_left_shift, 24);
    CHECK_EQ_INT(p.input_range_radius, 120);
    /* 0.1f = 13421773 * 2^-27: 13421773 = (13421773 * 2^7 / 2^31) * 2^24;
     * radius floor(15 * 2^27 / 2^24) again. */
    derive_logistic_params(0.1f, 0, &p);
    CHECK_EQ_INT(p.input_multiplier, 1717986944);
    CHECK_EQ_INT(p.input_left_shift, 24);
    CHECK_EQ_INT(p.input_range_radius, 120);
}

static void test_values(void)
{
    msf_logistic_params p;
    derive_logistic_params(0.0625f, -20, &p);
    int8_t in[256], out[256];
    for (int i = 0; i < 256; i++)
        in[i] = (int8_t)(i - 128);
    logistic_s8(&p, in, 256, out);

    /* The zero point maps to 1/2, i.e. 128/256 - 128. */
    CHECK_EQ_INT(out[-20 + 128], 0);
    /* At and beyond the radius (120 steps of 1/16 = 7.5) it saturates. */
    CHECK_EQ_INT(out[-20 + 120 + 128], 127);
    int worst = 0;
    for (int i = 0; i < 256; i++) {
        double x = 0.0625 * (in[i] + 20);
        long want = lround(256.0 / (1.0 + exp(-x))) - 128;
        if (want > 127)
            want = 127;
        int err = abs(out[i] - (int)want);
        if (err > worst)
            worst = err;
        if (i > 0)
            CHECK(out[i] >= out[i - 1]);
    }
    CHECK(worst <= 1);
}

/* 228 steps below the zero point is past the radius on the negative side. */
static void test_saturation_below(void)
{
    msf_logistic_params p;
    derive_logistic_params(0.0625f, 100, &p);
    const int8_t in = -128;
    int8_t out;
    logistic_s8(&p, &in, 1, &out);
    CHECK_EQ_INT(out, -128);
}

static void run_logistic(const op_case *c, const int8_t *in, int8_t *out)
{
    msf_logistic_params p;
    derive_logistic_params(c->in_scale, c->in_zp, &p);
    logistic_s8(&p, in, c->elements, out);
}

int main(void)
{
    test_fixed_point_logistic();
    test_derive();
    test_values();
    test_saturation_below();

    int n_cases;
    int passed = run_op_cases("LOGISTIC", run_logistic, &n_cases);
    if (passed < 0) {
        printf("skipped the TFLite Micro vectors: %s not found\n", OPS_DIR);
    } else {
        printf("LOGISTIC: %d of %d cases byte-exact\n", passed, n_cases);
        CHECK(n_cases > 0);
    }
    return check_summary();
}
