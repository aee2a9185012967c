/* hard_swish_s8 and derive_hard_swish_params: hand-computed parameters and
 * invariants, closeness to x * relu6(x + 3) / 6, then TFLite Micro's outputs
 * for every HARD_SWISH case of ../shared/reference/ops. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "msf_kernels.h"
#include "nonlinear_cases.h"
#include "quant_params.h"

static void test_derive(void)
{
    msf_hard_swish_params p;
    /* hires scale 2^-5 / 128 = 2^-12. Output: 2^-12 / 2^-6 = 0.5 * 2^-5, and
     * 2^30 in Q15 is 16384. Reluish: 2^-12 / (3 * 2^-15) = 8/3, as float
     * 11184811 * 2^-22 = (11184811 * 2^7 / 2^31) * 2^2, and
     * (1431655808 + 2^15) >> 16 = 21845. */
    derive_hard_swish_params(0.03125f, 3, 0.015625f, -7, &p);
    CHECK_EQ_INT(p.input_zero_point, 3);
    CHECK_EQ_INT(p.output_zero_point, -7);
    CHECK_EQ_INT(p.output_multiplier_fixedpoint_int16, 16384);
    CHECK_EQ_INT(p.output_multiplier_exponent, -5);
    CHECK_EQ_INT(p.reluish_multiplier_fixedpoint_int16, 21845);
    CHECK_EQ_INT(p.reluish_multiplier_exponent, 2);
}

static void test_values(void)
{
    const float s_in = 0.04f, s_out = 0.0215f;
    const int32_t zp_in = 5, zp_out = -111;
    msf_hard_swish_params p;
    derive_hard_swish_params(s_in, zp_in, s_out, zp_out, &p);
    int8_t in[256], out[256];
    for (int i = 0; i < 256; i++)
        in[i] = (int8_t)(i - 128);
    hard_swish_s8(&p, in, 256, out);

    /* 0 * anything and x <= -3 (input < zp - 75) give exactly 0. */
    CHECK_EQ_INT(out[zp_in + 128], zp_out);
    CHECK_EQ_INT(out[0], zp_out);
    int worst = 0;
    for (int i = 0; i < 256; i++) {
        double x = (double)s_in * (in[i] - zp_in);
        double r = x + 3.0 < 0.0 ? 0.0 : (x + 3.0 > 6.0 ? 6.0 : x + 3.0);
        long want = lround(x * r / 6.0 / s_out) + zp_out;
        if (want > 127)
            want = 127;
        int err = abs(out[i] - (int)want);
        if (err > worst)
            worst = err;
    }
    CHECK(worst <= 1);
}

static void run_hard_swish(const op_case *c, const int8_t *in, int8_t *out)
{
    msf_hard_swish_params p;
    derive_hard_swish_params(c->in_scale, c->in_zp, c->out_scale, c->out_zp, &p);
    hard_swish_s8(&p, in, c->elements, out);
}

int main(void)
{
    test_derive();
    test_values();

    int n_cases;
    int passed = run_op_cases("HARD_SWISH", run_hard_swish, &n_cases);
    if (passed < 0) {
        printf("skipped the TFLite Micro vectors: %s not found\n", OPS_DIR);
    } else {
        printf("HARD_SWISH: %d of %d cases byte-exact\n", passed, n_cases);
        CHECK(n_cases > 0);
    }
    return check_summary();
}
