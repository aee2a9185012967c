/* CONCATENATION int8 (TFLite's reference Concatenation with equal
 * quantization): for each index of the axes before p->axis, each input's
 * block of the remaining axes in turn. */
#include "kernel_util_s8.h"

void concatenation_s8(const msf_concat_params *p, const int8_t *const *ins,
                      const int32_t (*in_dims)[4], int32_t n_inputs, int8_t *out)
{
    int32_t outer = 1;
    for (int32_t d = 0; d < p->axis; d++)
        outer *= in_dims[0][d];
    for (int32_t o = 0; o < outer; o++) {
        for (int32_t i = 0; i < n_inputs; i++) {
            int32_t block = 1;
            for (int32_t d = p->axis; d < 4; d++)
                block *= in_dims[i][d];
            const int8_t *src = ins[i] + o * block;
            for (int32_t j = 0; j < block; j++)
                *out++ = src[j];
        }
    }
}
