/* multiply_by_quantized_multiplier_nonneg (the requantization of conv,
 * depthwise and fully connected outputs: TFLite's two roundings merged into
 * one 64-bit multiply-add) against the reference arithmetic of kernel_ref.h
 * and against the two-step multiply_by_quantized_multiplier: every shift the
 * importer allows, edge accumulators, exact ties of both roundings, and
 * seeded random values. */
#include "kernels/kernel_ref.h"
#include "requantize.h"

static int mismatches;

static void check_one(int32_t x, int32_t m, int32_t shift)
{
    int32_t got = multiply_by_quantized_multiplier_nonneg(x, m, shift);
    int32_t want = ref_mbqm(x, m, shift);
    int32_t two_step = multiply_by_quantized_multiplier(x, m, shift);
    if (got == want && got == two_step) {
        check_passed++;
        return;
    }
    check_failed++;
    if (mismatches++ < 10)
        fprintf(stderr, "x %d m %d shift %d: %d, reference %d, two-step %d\n", x, m, shift, got, want, two_step);
}

int main(void)
{
    static const int32_t xs[] = {0, 1, -1, 2, -2, 3, -3, INT32_MAX, INT32_MIN, INT32_MIN + 1, INT32_MAX - 1,
                                 1 << 30, -(1 << 30), (1 << 30) - 1, -(1 << 30) - 1, 65536, -65536, 12345, -12345};
    static const int32_t ms[] = {0, 1, 2, 3, 1 << 29, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MAX - 1, 1518500250};
    rng_t r = rng_seed(11);
    for (int32_t shift = -31; shift <= 30; shift++) {
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
            for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++)
                check_one(xs[i], ms[j], shift);
        for (int k = 0; k < 20000; k++) {
            int32_t m = (int32_t)(rng_u32(&r) >> 1), x = (int32_t)rng_u32(&r);
            switch (k % 4) {
            case 0: x >>= rng_int(&r, 0, 30); break;
            case 1: x = rng_int(&r, -100000, 100000); break;
            case 2:
                /* m = 2^30 halves x exactly: products on the rounding ties. */
                m = 1 << 30;
                x = rng_int(&r, -(1 << 20), 1 << 20) * (1 << rng_int(&r, 0, 10));
                break;
            default: break;
            }
            check_one(x, m, shift);
        }
    }
    return check_summary();
}
