/* AVERAGE_POOL_2D int8 (TFLite's reference integer AveragePool): input and
 * output share scale and zero point, so there is no requantization. */
#include "kernel_util_s8.h"

/* The mean of the in-map taps only (padding is not counted), rounded half
 * away from zero. */
static int32_t rounded_average(const int8_t *first, int32_t rows, int32_t cols,
                               int32_t row_stride, int32_t pixel_stride)
{
    int32_t sum = 0;
    for (int32_t r = 0; r < rows; r++)
        for (int32_t c = 0; c < cols; c++)
            sum += first[r * row_stride + c * pixel_stride];
    int32_t n = rows * cols;
    /* SAME and VALID padding always leave a tap in the map; this keeps a
     * malformed window from dividing by zero. */
    return n == 0 ? 0 : rounded_average_of_sum(sum, n);
}

void avg_pool2d_s8(const msf_pool_params *p, msf_hwc in_shape, msf_in_window in,
                   msf_hwc out_shape, msf_out_rect out)
{
    pool2d_s8(p, in_shape, in, out_shape, out, rounded_average);
}
