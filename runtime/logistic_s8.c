/* int8 LOGISTIC as TFLite's reference_integer_ops::Logistic: the input is
 * rescaled to Q4.27 and fed to gemmlowp's fixed-point logistic. The output
 * is always on scale 1/256 with zero point -128, whatever the tensor says. */
#include "fixed_point.h"
#include "msf_kernels.h"

#define INPUT_INTEGER_BITS 4

static int8_t logistic_one(const msf_logistic_params *p, int8_t x)
{
    int32_t input = x - p->input_zero_point;
    /* Beyond the radius the Q4.27 input would saturate: the result is 0 or 1. */
    if (input <= -p->input_range_radius)
        return INT8_MIN;
    if (input >= p->input_range_radius)
        return INT8_MAX;
    int32_t in_q4 = multiply_by_quantized_multiplier(input, p->input_multiplier, p->input_left_shift);
    int32_t out_q0 = fixed_point_logistic(in_q4, INPUT_INTEGER_BITS);
    /* Q0.31 down to units of 1/256 */
    return (int8_t)clamp_s32(rounding_divide_by_pot(out_q0, 23) + INT8_MIN, INT8_MIN, INT8_MAX);
}

void logistic_s8(const msf_logistic_params *p, const int8_t *in, int32_t n, int8_t *out)
{
    for (int32_t i = 0; i < n; i++)
        out[i] = logistic_one(p, in[i]);
}
