/* int8 HARD_SWISH, x * relu6(x + 3) / 6, as TFLite's reference HardSwish
 * (reference/hard_swish.h): 16-bit fixed point throughout, the input moved
 * up 7 bits for precision, a "relu-ish" factor in [0, 1] derived from it and
 * multiplied with the input already on the output scale. */
#include "fixed_point.h"
#include "msf_kernels.h"

static int16_t saturating_left_shift_s16(int16_t value, int32_t amount)
{
    int64_t shifted = (int64_t)value * ((int64_t)1 << amount);
    return (int16_t)(shifted > INT16_MAX ? INT16_MAX : (shifted < INT16_MIN ? INT16_MIN : shifted));
}

/* Like saturating_rounding_doubling_high_mul_s16 but truncating toward 0:
 * TFLite uses it here to cancel the bias of the rounding multiplies. */
static int16_t saturating_doubling_high_mul_s16(int16_t a, int16_t b)
{
    if (a == INT16_MIN && b == INT16_MIN)
        return INT16_MAX;
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* The hires input rescaled so that 3.0 is 32768 (saturated at +-32767/-32768),
 * then mapped from [-1, 1] to [0, 1]. When shifting left, all but the last
 * bit goes before the multiply so that saturation shows only in the last one. */
static int16_t reluish_factor(const msf_hard_swish_params *p, int16_t hires)
{
    int32_t exponent = p->reluish_multiplier_exponent;
    int16_t v = hires;
    if (exponent > 0)
        v = saturating_left_shift_s16(v, exponent - 1);
    v = saturating_rounding_doubling_high_mul_s16(v, p->reluish_multiplier_fixedpoint_int16);
    if (exponent > 0)
        v = saturating_left_shift_s16(v, 1);
    if (exponent < 0)
        v = rounding_divide_by_pot_s16(v, -exponent);
    return (int16_t)((v + (1 << 15)) >> 1);
}

static int8_t hard_swish_one(const msf_hard_swish_params *p, int8_t x)
{
    int16_t input = (int16_t)(x - p->input_zero_point);
    int16_t hires = (int16_t)(input * (1 << 7));
    int16_t preshift_input =
        saturating_rounding_doubling_high_mul_s16(hires, p->output_multiplier_fixedpoint_int16);
    int16_t preshift_output = saturating_doubling_high_mul_s16(reluish_factor(p, hires), preshift_input);
    int16_t out = rounding_divide_by_pot_s16(preshift_output, -p->output_multiplier_exponent);
    /* TFLite adds the zero point in int16 (wrapping) before clamping. */
    out = (int16_t)(out + p->output_zero_point);
    return (int8_t)(out > INT8_MAX ? INT8_MAX : (out < INT8_MIN ? INT8_MIN : out));
}

void hard_swish_s8(const msf_hard_swish_params *p, const int8_t *in, int32_t n, int8_t *out)
{
    for (int32_t i = 0; i < n; i++)
        out[i] = hard_swish_one(p, in[i]);
}
