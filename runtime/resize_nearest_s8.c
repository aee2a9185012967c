/* RESIZE_NEAREST_NEIGHBOR int8 (TFLite's reference ResizeNearestNeighbor):
 * a pure copy of the nearest source pixel. */
#include "kernel_util_s8.h"

/* TFLite's GetNearestNeighbor, in float32 as TFLite computes it (the float
 * variables also drop any excess precision of the evaluation). Positions are
 * never negative, so truncation is floor. */
static int32_t nearest_source(int32_t dst, int32_t in_size, int32_t out_size,
                              const msf_resize_params *p)
{
    float scale = (p->align_corners && out_size > 1)
                      ? (float)(in_size - 1) / (float)(out_size - 1)
                      : (float)in_size / (float)out_size;
    float offset = p->half_pixel_centers ? 0.5f : 0.0f;
    float position = ((float)dst + offset) * scale;
    int32_t src = p->align_corners ? round_half_away_f32(position) : (int32_t)position;
    src = min_s32(src, in_size - 1);
    return p->half_pixel_centers ? max_s32(src, 0) : src;
}

void resize_nearest_s8(const msf_resize_params *p, const int8_t *in, const int32_t in_dims[4],
                       const int32_t out_dims[4], int8_t *out)
{
    int32_t depth = in_dims[3];
    int32_t row = in_dims[2] * depth;
    int32_t batch = in_dims[1] * row;
    for (int32_t b = 0; b < out_dims[0]; b++) {
        for (int32_t y = 0; y < out_dims[1]; y++) {
            const int8_t *src_row = in + b * batch + nearest_source(y, in_dims[1], out_dims[1], p) * row;
            for (int32_t x = 0; x < out_dims[2]; x++) {
                const int8_t *src = src_row + nearest_source(x, in_dims[2], out_dims[2], p) * depth;
                for (int32_t c = 0; c < depth; c++)
                    *out++ = src[c];
            }
        }
    }
}
