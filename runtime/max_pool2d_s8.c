/* MAX_POOL_2D int8 (TFLite's reference integer MaxPool). */
#include "kernel_util_s8.h"

/* Starts from the int8 minimum as TFLite does; padding taps do not take part. */
static int32_t window_max(const int8_t *first, int32_t rows, int32_t cols, int32_t row_stride,
                          int32_t pixel_stride)
{
    int32_t m = INT8_MIN;
    for (int32_t r = 0; r < rows; r++)
        for (int32_t c = 0; c < cols; c++)
            m = max_s32(m, first[r * row_stride + c * pixel_stride]);
    return m;
}

void max_pool2d_s8(const msf_pool_params *p, msf_hwc in_shape, msf_in_window in,
                   msf_hwc out_shape, msf_out_rect out)
{
    pool2d_s8(p, in_shape, in, out_shape, out, window_max);
}
