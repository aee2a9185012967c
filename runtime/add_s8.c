/* ADD int8 (TFLite's reference integer AddFunc; broadcasting as
 * BroadcastAdd4DSlow). Both inputs are moved to a common scale with 20 bits
 * of headroom, added, then scaled to the output. The shifts are <= 0
 * (QuantizeMultiplierSmallerThanOneExp), where the generic requantization is
 * TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp; the multipliers
 * are >= 0 (the importer's quantize_multiplier), so the merged form of
 * requantize.h gives the same integers in a third of the instructions. */
#include "kernel_util_s8.h"

static int8_t add_elements(const void *params, int8_t a, int8_t b)
{
    const msf_add_params *p = (const msf_add_params *)params;
    int32_t x1 = (a + p->input1_offset) * (1 << p->left_shift);
    int32_t x2 = (b + p->input2_offset) * (1 << p->left_shift);
    int32_t sum = multiply_by_quantized_multiplier_nonneg(x1, p->input1_multiplier, p->input1_shift) +
                  multiply_by_quantized_multiplier_nonneg(x2, p->input2_multiplier, p->input2_shift);
    int32_t out = multiply_by_quantized_multiplier_nonneg(sum, p->output_multiplier, p->output_shift) +
                  p->output_offset;
    return (int8_t)clamp_s32(out, p->act_min, p->act_max);
}

void add_s8(const msf_add_params *p, const int8_t *in1, const int32_t in1_dims[4],
            const int8_t *in2, const int32_t in2_dims[4], int8_t *out, const int32_t out_dims[4])
{
    broadcast_binary_s8(p, add_elements, in1, in1_dims, in2, in2_dims, out, out_dims);
}
