/* Integer parameters of the arithmetic int8 operators, derived from the float
 * scales as TFLite Micro's Prepare functions derive them. */
#include <math.h>

#include "quant_params.h"

/* TFLite's Quantize(f) inside CalculateActivationRangeQuantizedImpl: float32
 * division, std::round (half away from zero). */
static int32_t quantize_float(float f, float scale, int32_t zero_point)
{
    /* Results are clamped to int8 afterwards, so bounding the quotient first
     * changes nothing but keeps tiny scales from overflowing the cast. */
    float q = roundf(f / scale);
    q = q < -1024.0f ? -1024.0f : q > 1024.0f ? 1024.0f : q;
    if (q != q) /* NaN */
        q = 0.0f;
    return zero_point + (int32_t)q;
}

static int32_t max_i32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static int32_t min_i32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

void activation_range_s8(msf_activation act, float scale, int32_t zero_point,
                         int32_t *act_min, int32_t *act_max)
{
    *act_min = INT8_MIN;
    *act_max = INT8_MAX;
    switch (act) {
    case MSF_ACT_RELU:
        *act_min = max_i32(INT8_MIN, quantize_float(0.0f, scale, zero_point));
        break;
    case MSF_ACT_RELU6:
        *act_min = max_i32(INT8_MIN, quantize_float(0.0f, scale, zero_point));
        *act_max = min_i32(INT8_MAX, quantize_float(6.0f, scale, zero_point));
        break;
    case MSF_ACT_RELU_N1_TO_1:
        *act_min = max_i32(INT8_MIN, quantize_float(-1.0f, scale, zero_point));
        *act_max = min_i32(INT8_MAX, quantize_float(1.0f, scale, zero_point));
        break;
    case MSF_ACT_NONE:
        break;
    }
}

/* add_common.cc, CalculateOpDataAdd: both inputs go to twice the larger input
 * scale, with 20 bits of headroom, all in double. TFLite uses
 * QuantizeMultiplierSmallerThanOneExp, the same multiplier for a value in
 * (0, 1): every shift here is <= 0 (0 exactly for 0.5). */
void derive_add_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out,
                       msf_activation act, msf_add_params *p)
{
    p->input1_offset = -zp1;
    p->input2_offset = -zp2;
    p->output_offset = zp_out;
    p->left_shift = 20;
    double twice_max = 2.0 * (double)(s1 > s2 ? s1 : s2);
    quantize_multiplier((double)s1 / twice_max, &p->input1_multiplier, &p->input1_shift);
    quantize_multiplier((double)s2 / twice_max, &p->input2_multiplier, &p->input2_shift);
    quantize_multiplier(twice_max / ((double)(1 << p->left_shift) * (double)s_out),
                        &p->output_multiplier, &p->output_shift);
    activation_range_s8(act, s_out, zp_out, &p->act_min, &p->act_max);
}

/* mul_common.cc: one multiplier for s1 * s2 / s_out, in double. */
void derive_mul_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out,
                       msf_activation act, msf_mul_params *p)
{
    p->input1_offset = -zp1;
    p->input2_offset = -zp2;
    p->output_offset = zp_out;
    quantize_multiplier((double)s1 * (double)s2 / (double)s_out, &p->output_multiplier,
                        &p->output_shift);
    activation_range_s8(act, s_out, zp_out, &p->act_min, &p->act_max);
}

/* reduce_common.cc: s_in / s_out in double; the kernel folds in 1/n. The axes
 * come from the model, not from the scales, so they are left to the caller. */
void derive_mean_params(float s_in, int32_t zp_in, float s_out, int32_t zp_out, msf_mean_params *p)
{
    p->input_zero_point = zp_in;
    p->output_zero_point = zp_out;
    quantize_multiplier((double)s_in / (double)s_out, &p->multiplier, &p->shift);
}
