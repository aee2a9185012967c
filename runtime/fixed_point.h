/* gemmlowp's scalar fixed-point math (fixedpoint/fixedpoint.h) as TFLite's
 * int8 SOFTMAX and LOGISTIC use it. A Qm.n value is an int32 raw value with
 * m = integer_bits and n = 31 - m; the results of exp, 1/(1+x) and logistic
 * are Q0.31. Every rounding step matches gemmlowp's, so outputs are bit-exact. */
#ifndef MSF_FIXED_POINT_H
#define MSF_FIXED_POINT_H

#include <stdint.h>

#include "requantize.h"

/* (a + b) / 2 rounded half away from zero. */
static inline int32_t rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* x * 2^exponent: saturating for exponent > 0, rounding for exponent < 0. */
static inline int32_t saturating_rounding_multiply_by_pot(int32_t x, int32_t exponent)
{
    if (exponent < 0)
        return rounding_divide_by_pot(x, -exponent);
    if (exponent == 0)
        return x;
    int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
    if (x > threshold)
        return INT32_MAX;
    if (x < -threshold)
        return INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
}

/* Changes a raw value from Q(from_bits) to Q(to_bits) (gemmlowp Rescale). */
static inline int32_t fixed_point_rescale(int32_t x, int32_t from_bits, int32_t to_bits)
{
    return saturating_rounding_multiply_by_pot(x, from_bits - to_bits);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: a Taylor polynomial of degree
 * 4 around -1/8, scaled by exp(-1/8). */
static inline int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    int32_t x = a + (1 << 28);
    int32_t x2 = saturating_rounding_doubling_high_mul(x, x);
    int32_t x3 = saturating_rounding_doubling_high_mul(x2, x);
    int32_t x4 = saturating_rounding_doubling_high_mul(x2, x2);
    int32_t x4_over_4 = rounding_divide_by_pot(x4, 2);
    int32_t poly = rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + saturating_rounding_doubling_high_mul(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 given in Q(integer_bits), integer_bits in [0, 30];
 * result Q0.31. a = q + r with q a negative multiple of 1/4 handled by the
 * polynomial above and r's bits selecting precomputed factors exp(-2^k). */
static inline int32_t exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    static const int32_t exp_minus_pot[7] = {
        1672461947, /* exp(-1/4) */
        1302514674, /* exp(-1/2) */
        790015084,  /* exp(-1) */
        290630308,  /* exp(-2) */
        39332535,   /* exp(-4) */
        720401,     /* exp(-8) */
        242,        /* exp(-16) */
    };
    const int32_t fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = 1 << (fractional_bits - 2);
    int32_t a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter;
    int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
        fixed_point_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
    int32_t remainder = a_mod_quarter_minus_one_quarter - a;

    for (int32_t k = -2; k <= 4 && k < integer_bits; k++) {
        if (remainder & (int32_t)(1UL << (fractional_bits + k)))
            result = saturating_rounding_doubling_high_mul(result, exp_minus_pot[k + 2]);
    }
    /* Below -32 the factors above no longer cover the input: exp is 0. */
    if (integer_bits > 5 && a < -(1 << (36 - integer_bits)))
        result = 0;
    if (a == 0)
        result = INT32_MAX;
    return result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 in and out: three Newton-Raphson steps
 * on the half denominator, in Q2.29, from the initial guess 48/17 - 32/17 d. */
static inline int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    const int32_t forty_eight_over_17 = 1515870810;     /* Q2.29 */
    const int32_t neg_thirty_two_over_17 = -1010580540; /* Q2.29 */
    const int32_t one_q2 = 1 << 29;
    int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
    int32_t x = forty_eight_over_17 +
                saturating_rounding_doubling_high_mul(half_denominator, neg_thirty_two_over_17);
    for (int i = 0; i < 3; i++) {
        int32_t one_minus_dx = one_q2 - saturating_rounding_doubling_high_mul(half_denominator, x);
        /* Q2.29 * Q2.29 is Q4.27: back to Q2.29 */
        x += fixed_point_rescale(saturating_rounding_doubling_high_mul(x, one_minus_dx), 4, 2);
    }
    /* x approximates 2/(1+a) in Q2.29, i.e. 1/(1+a) in Q1.30 */
    return fixed_point_rescale(x, 1, 0);
}

/* 1 / (1 + exp(-a)) for a in Q(integer_bits), result Q0.31. */
static inline int32_t fixed_point_logistic(int32_t a, int32_t integer_bits)
{
    if (a == 0)
        return 1 << 30;
    int32_t abs_a = a > 0 ? a : -a;
    int32_t of_abs = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(-abs_a, integer_bits));
    return a > 0 ? of_abs : INT32_MAX - of_abs;
}

/* gemmlowp's int16 SaturatingRoundingDoublingHighMul (Q0.15). */
static inline int16_t saturating_rounding_doubling_high_mul_s16(int16_t a, int16_t b)
{
    if (a == INT16_MIN && b == INT16_MIN)
        return INT16_MAX;
    int32_t ab = (int32_t)a * (int32_t)b;
    int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* gemmlowp's RoundingDivideByPOT instantiated for int16, exponent in
 * [0, 31]. Its mask is truncated to 16 bits, so exponents of 16 and more
 * round every value to 1 or -1 (not 0): kept, since TFLite does it too. */
static inline int16_t rounding_divide_by_pot_s16(int16_t x, int32_t exponent)
{
    int16_t mask = (int16_t)((1LL << exponent) - 1);
    int16_t remainder = (int16_t)(x & mask);
    int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
    return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

#endif
