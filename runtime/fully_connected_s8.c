/* FULLY_CONNECTED int8 (TFLite's reference integer FullyConnected, and
 * FullyConnectedPerChannel when p->per_channel). Weight zero point is 0. */
#include "dot_s8.h"
#include "kernel_util_s8.h"
#include "mac_counter.h"
#include "op_macs.h"
#include "unaligned.h"

/* Unit u's output from its sum of products, bias not yet added. */
static int8_t unit_output(const msf_fc_params *p, int32_t u, int32_t sum)
{
    int32_t q = p->per_channel ? u : 0;
    if (p->bias)
        sum += p->bias[u];
    return requantize_output_s8(sum, p->multiplier[q], p->shift[q], p->output_offset, p->act_min, p->act_max);
}

void fully_connected_s8(const msf_fc_params *p, const int8_t *in, int32_t batches, int8_t *out)
{
    for (int32_t b = 0; b < batches; b++, in += p->in_features)
        for (int32_t u = 0; u < p->units; u++) {
            int32_t sum = dot_s8_offset(0, p->weights + u * p->in_features, in, p->in_features, p->input_offset);
            *out++ = unit_output(p, u, sum);
        }
    MSF_COUNT_MACS_ADD(msf_fc_macs(p, (uint64_t)batches * (uint64_t)p->in_features));
}

void fully_connected_accumulate_s8(const msf_fc_params *p, const int8_t *x, int32_t first, int32_t n,
                                   uint8_t *sums)
{
    for (int32_t u = 0; u < p->units; u++)
        sums_set(sums, u,
                 dot_s8_offset(sums_get(sums, u), p->weights + u * p->in_features + first, x, n, p->input_offset));
    MSF_COUNT_MACS_ADD(msf_fc_macs(p, (uint64_t)n));
}

void fully_connected_finish_s8(const msf_fc_params *p, const uint8_t *sums, int8_t *out)
{
    for (int32_t u = 0; u < p->units; u++)
        out[u] = unit_output(p, u, sums_get(sums, u));
}
