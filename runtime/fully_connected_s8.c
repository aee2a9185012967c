/* FULLY_CONNECTED int8 (TFLite's reference integer FullyConnected, and
 * FullyConnectedPerChannel when p->per_channel). Weight zero point is 0. */
#include "kernel_util_s8.h"
#include "mac_counter.h"

void fully_connected_s8(const msf_fc_params *p, const int8_t *in, int32_t batches, int8_t *out)
{
    for (int32_t b = 0; b < batches; b++, in += p->in_features) {
        const int8_t *w = p->weights;
        for (int32_t u = 0; u < p->units; u++, w += p->in_features) {
            int32_t acc = 0;
            for (int32_t i = 0; i < p->in_features; i++)
                acc += w[i] * (in[i] + p->input_offset);
            if (p->bias)
                acc += p->bias[u];
            int32_t q = p->per_channel ? u : 0;
            *out++ = requantize_output_s8(acc, p->multiplier[q], p->shift[q], p->output_offset,
                                          p->act_min, p->act_max);
        }
    }
    MSF_COUNT_MACS_ADD((uint64_t)batches * (uint64_t)p->units * (uint64_t)p->in_features);
}
