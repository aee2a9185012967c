/* Global average pooling fed one pixel at a time (msf-CNN's iterative
 * pooling): an int32 sum per channel grows as pixels arrive, and the end
 * applies exactly the rounding of AVERAGE_POOL_2D or of MEAN over H and W,
 * so the bytes equal the plain operators'. */
#include "kernel_util_s8.h"
#include "unaligned.h"

void global_pool_accumulate_s8(const int8_t *pixel, int32_t channels, uint8_t *sums)
{
    for (int32_t c = 0; c < channels; c++)
        sums_set(sums, c, sums_get(sums, c) + pixel[c]);
}

void mean_of_sums_s8(const msf_mean_params *p, const uint8_t *sums, int32_t count, int32_t n, int8_t *out)
{
    msf_mean_scale scale = mean_scale(p, n);
    for (int32_t i = 0; i < count; i++)
        out[i] = mean_of_sum_s8(p, scale, sums_get(sums, i), n);
}

void global_pool_finish_s8(const msf_op *op, const uint8_t *sums, int32_t channels, int32_t count, int8_t *out)
{
    if (op->type == MSF_OP_MEAN) {
        mean_of_sums_s8(&op->p.mean, sums, channels, count, out);
        return;
    }
    for (int32_t c = 0; c < channels; c++)
        out[c] = (int8_t)clamp_s32(rounded_average_of_sum(sums_get(sums, c), count), op->p.pool.act_min,
                                   op->p.pool.act_max);
}
