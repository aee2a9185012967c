/* MEAN int8 (TFLite Micro: QuantizedMeanOrSum of the reference reduce.h).
 * The division by the element count n is folded into the requantization,
 * and each output element is summed on its own, so no scratch is needed. */
#include "kernel_util_s8.h"

void mean_s8(const msf_mean_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out)
{
    int32_t strides[4], out_extent[4], reduced_extent[4];
    int32_t n = 1;
    strides4(in_dims, strides);
    for (int32_t d = 0; d < 4; d++) {
        int reduced = (p->axes_mask >> d) & 1u;
        out_extent[d] = reduced ? 1 : in_dims[d];
        reduced_extent[d] = reduced ? in_dims[d] : 1;
        n *= reduced_extent[d];
    }
    if (elements4(in_dims) == 0)
        return;
    msf_mean_scale scale = mean_scale(p, n);

    int32_t o[4] = {0, 0, 0, 0};
    do {
        const int8_t *base = in + offset4(o, strides);
        int32_t r[4] = {0, 0, 0, 0};
        int32_t sum = 0;
        do {
            sum += base[offset4(r, strides)];
        } while (next_index4(r, reduced_extent));
        *out++ = mean_of_sum_s8(p, scale, sum, n);
    } while (next_index4(o, out_extent));
}
