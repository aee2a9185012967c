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

void pad2d_s8(const msf_pad_params *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape, msf_out_rect out)
{
    for (int32_t y = 0; y < out.h; y++) {
        int32_t iy = out.y0 + y - p->before[1];
        for (int32_t x = 0; x < out.w; x++) {
            int32_t ix = out.x0 + x - p->before[2];
            int8_t *dst = out.data + y * out.row_stride + x * out_shape.c;
            if (iy >= 0 && iy < in_shape.h && ix >= 0 && ix < in_shape.w) {
                const int8_t *src = in.data + (iy - in.y0) * in.row_stride + (ix - in.x0) * in_shape.c;
                for (int32_t c = 0; c < out_shape.c; c++)
                    dst[c] = src[c];
            } else {
                for (int32_t c = 0; c < out_shape.c; c++)
                    dst[c] = p->value;
            }
        }
    }
}
