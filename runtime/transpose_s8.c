/* TRANSPOSE int8 (TFLite's reference Transpose): output axis d is input axis
 * perm[d]. */
#include "kernel_util_s8.h"

void transpose_s8(const msf_transpose_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out)
{
    int32_t in_strides[4], out_dims[4], steps[4];
    strides4(in_dims, in_strides);
    for (int32_t d = 0; d < 4; d++) {
        out_dims[d] = in_dims[p->perm[d]];
        steps[d] = in_strides[p->perm[d]];
    }
    if (elements4(out_dims) == 0)
        return;
    int32_t o[4] = {0, 0, 0, 0};
    do {
        *out++ = in[offset4(o, steps)];
    } while (next_index4(o, out_dims));
}

void transpose2d_nchw_s8(const msf_quantize_params *q, msf_hwc nchw, const void *in, msf_out_rect out)
{
    int32_t channels = nchw.h, plane = nchw.w * nchw.c, elem = q ? 4 : 1;
    for (int32_t y = 0; y < out.h; y++)
        for (int32_t x = 0; x < out.w; x++) {
            const uint8_t *src = (const uint8_t *)in + ((out.y0 + y) * nchw.c + out.x0 + x) * elem;
            int8_t *dst = out.data + y * out.row_stride + x * channels;
            for (int32_t c = 0; c < channels; c++) {
                if (q)
                    quantize_f32_s8(q, src + c * plane * elem, 1, &dst[c]);
                else
                    dst[c] = (int8_t)src[c * plane];
            }
        }
}
