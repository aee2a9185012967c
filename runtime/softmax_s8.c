/* int8 SOFTMAX as TFLite's reference quantized Softmax (reference/softmax.h)
 * with gemmlowp's fixed-point exp: output scale 1/256, zero point -128. */
#include "fixed_point.h"
#include "msf_kernels.h"

/* Input differences are scaled to Q5.26 for exp, whose results are summed in
 * Q12.19 so that up to 4096 terms of at most 1.0 cannot overflow. */
#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

static int32_t exp_of_diff(const msf_softmax_params *p, int32_t diff)
{
    int32_t scaled = saturating_rounding_doubling_high_mul(
        (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
    return exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
}

static int32_t row_max(const int8_t *in, int32_t depth)
{
    int32_t max = INT8_MIN;
    for (int32_t c = 0; c < depth; c++)
        if (in[c] > max)
            max = in[c];
    return max;
}

/* 1/sum in Q0.31 scaled into [1/2, 1) by 2^-bits_over_unit (TFLite's
 * GetReciprocal): sum = 2^bits_over_unit * (1 + x) with x in [0, 1). */
static int32_t reciprocal(uint32_t sum, int32_t *bits_over_unit)
{
    int32_t headroom_plus_one = 0;
    while (headroom_plus_one < 31 && !((sum << headroom_plus_one) & 0x80000000u))
        headroom_plus_one++;
    *bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom_plus_one;
    int32_t x = (int32_t)((sum << headroom_plus_one) - 0x80000000u);
    return one_over_one_plus_x_for_x_in_0_1(x);
}

static void softmax_row(const msf_softmax_params *p, const int8_t *in, int32_t depth, int8_t *out)
{
    int32_t max = row_max(in, depth);
    /* Never 0: the maximum itself adds exp(0). Unsigned so that more than
     * 4096 near-maximal terms wrap as TFLite's int32 sum does in practice,
     * without undefined behaviour. */
    uint32_t sum = 0;
    for (int32_t c = 0; c < depth; c++) {
        int32_t diff = in[c] - max;
        if (diff >= p->diff_min)
            sum += (uint32_t)fixed_point_rescale(exp_of_diff(p, diff), 0, ACCUMULATION_INTEGER_BITS);
    }

    int32_t bits_over_unit;
    int32_t scale = reciprocal(sum, &bits_over_unit);
    /* probability in Q0.31 down to Q0.8, i.e. units of 1/256. An exponent
     * above 31 means a sum of at least 512, where TFLite aborts; there every
     * probability is below 1/512 and rounds to 0. */
    int32_t exponent = bits_over_unit + 31 - 8;
    for (int32_t c = 0; c < depth; c++) {
        int32_t diff = in[c] - max;
        int32_t units = 0;
        if (diff >= p->diff_min && exponent <= 31) {
            int32_t prob = saturating_rounding_doubling_high_mul(scale, exp_of_diff(p, diff));
            units = rounding_divide_by_pot(prob, exponent);
        }
        out[c] = (int8_t)clamp_s32(units + INT8_MIN, INT8_MIN, INT8_MAX);
    }
}

void softmax_s8(const msf_softmax_params *p, const int8_t *in, int32_t rows, int32_t depth, int8_t *out)
{
    if (depth <= 0)
        return;
    for (int32_t r = 0; r < rows; r++)
        softmax_row(p, in + r * depth, depth, out + r * depth);
}
