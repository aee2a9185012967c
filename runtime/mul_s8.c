/* MUL int8 (TFLite's reference integer Mul; broadcasting as
 * BroadcastMul4DSlow): one requantization of the product of the offset inputs. */
#include "kernel_util_s8.h"

static int8_t mul_elements(const void *params, int8_t a, int8_t b)
{
    const msf_mul_params *p = (const msf_mul_params *)params;
    int32_t product = (a + p->input1_offset) * (b + p->input2_offset);
    int32_t out = multiply_by_quantized_multiplier(product, p->output_multiplier, p->output_shift) +
                  p->output_offset;
    return (int8_t)clamp_s32(out, p->act_min, p->act_max);
}

void mul_s8(const msf_mul_params *p, const int8_t *in1, const int32_t in1_dims[4],
            const int8_t *in2, const int32_t in2_dims[4], int8_t *out, const int32_t out_dims[4])
{
    broadcast_binary_s8(p, mul_elements, in1, in1_dims, in2, in2_dims, out, out_dims);
}
