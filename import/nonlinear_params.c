/* Parameters of the int8 SOFTMAX, LOGISTIC and HARD_SWISH kernels, as TFLite
 * Micro's Prepare computes them (softmax_common.cc, logistic_common.cc,
 * hard_swish_common.cc, quantization_util.cc). */
#include <math.h>

#include "quant_params.h"

/* TFLite CalculateInputRadius: the largest |input difference| that, scaled
 * by multiplier * 2^left_shift, still fits Q(integer_bits).(31-integer_bits). */
static int32_t input_radius(int integer_bits, int32_t left_shift)
{
    double max_rescaled = ldexp((double)((1 << integer_bits) - 1), 31 - integer_bits - left_shift);
    /* Only a degenerate scale gets here; any radius above 255 admits every
     * int8 difference, so this changes no output. */
    if (max_rescaled >= 2147483647.0)
        return INT32_MAX;
    return (int32_t)floor(max_rescaled);
}

/* Softmax computes exp on Q5.26 input differences. */
#define SOFTMAX_DIFF_INTEGER_BITS 5

void derive_softmax_params(float beta, float s_in, msf_softmax_params *p)
{
    /* PreprocessSoftmaxScaling: capping the multiplier only changes inputs
     * whose exp rounds to 0 anyway. */
    double real = (double)beta * (double)s_in * (double)(1 << (31 - SOFTMAX_DIFF_INTEGER_BITS));
    if (real > 2147483647.0)
        real = 2147483647.0;
    quantize_multiplier(real, &p->input_multiplier, &p->input_left_shift);
    p->diff_min = -input_radius(SOFTMAX_DIFF_INTEGER_BITS, p->input_left_shift);
}

/* Logistic takes its input in Q4.27. */
#define LOGISTIC_INPUT_INTEGER_BITS 4

void derive_logistic_params(float s_in, int32_t zp_in, msf_logistic_params *p)
{
    /* TFLite rounds frexp's mantissa itself here, without QuantizeMultiplier's
     * 2^31 fix-up: a float32 scale times 2^27 never rounds up to 2^31. */
    double real = (double)s_in * (double)(1 << (31 - LOGISTIC_INPUT_INTEGER_BITS));
    int exponent;
    double q = frexp(real, &exponent);
    p->input_zero_point = zp_in;
    p->input_multiplier = (int32_t)round(q * 2147483648.0);
    p->input_left_shift = exponent;
    p->input_range_radius = input_radius(LOGISTIC_INPUT_INTEGER_BITS, exponent);
}

/* TFLite DownScaleInt32ToInt16Multiplier: Q31 to Q15, rounding, saturating. */
static int16_t downscale_multiplier_to_s16(int32_t m)
{
    if (m >= INT32_MAX - (1 << 15))
        return INT16_MAX;
    return (int16_t)((m + (1 << 15)) >> 16);
}

void derive_hard_swish_params(float s_in, int32_t zp_in, float s_out, int32_t zp_out,
                              msf_hard_swish_params *p)
{
    /* The ratios are float32 divisions, as in TFLite, widened afterwards. */
    const float hires_input_scale = (1.0f / 128.0f) * s_in;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m;

    p->input_zero_point = zp_in;
    p->output_zero_point = zp_out;
    quantize_multiplier((double)(hires_input_scale / s_out), &m, &p->output_multiplier_exponent);
    p->output_multiplier_fixedpoint_int16 = downscale_multiplier_to_s16(m);
    quantize_multiplier((double)(hires_input_scale / reluish_scale), &m, &p->reluish_multiplier_exponent);
    p->reluish_multiplier_fixedpoint_int16 = downscale_multiplier_to_s16(m);
}
