/* PAD / PADV2 int8 (TFLite Micro pad.cc): the input placed inside a border of
 * p->value. */
#include "kernel_util_s8.h"

void pad_s8(const msf_pad_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out)
{
    int32_t out_dims[4], strides[4];
    for (int32_t d = 0; d < 4; d++)
        out_dims[d] = p->before[d] + in_dims[d] + p->after[d];
    strides4(in_dims, strides);
    if (elements4(out_dims) == 0)
        return;
    int32_t o[4] = {0, 0, 0, 0};
    do {
        int inside = 1;
        int32_t offset = 0;
        for (int32_t d = 0; d < 4; d++) {
            int32_t i = o[d] - p->before[d];
            inside = inside && i >= 0 && i < in_dims[d];
            offset += i * strides[d];
        }
        *out++ = inside ? in[offset] : p->value;
    } while (next_index4(o, out_dims));
}
