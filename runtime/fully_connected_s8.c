/* FULLY_CONNECTED int8 (TFLite's reference integer FullyConnected, and
 * FullyConnectedPerChannel when p->per_channel). Weight zero point is 0. */
#include "dot_s8.h"
#include "kernel_util_s8.h"
#include "unaligned.h"

static int32_t unit_bias(const msf_fc_params *p, int32_t u)
{
    return p->bias ? p->bias[u] : 0;
}

/* Unit u's output from its sum of products, bias included. */
static inline __attribute__((always_inline)) int8_t unit_output(const msf_fc_params *p, int32_t u, int32_t sum)
{
    int32_t q = p->per_channel ? u : 0;
    return requantize_output_s8(sum, p->multiplier[q], p->shift[q], p->output_offset, p->act_min, p->act_max);
}

#ifdef MSF_DOT_4CH
static msf_requant unit_requant(const msf_fc_params *p, int32_t u)
{
    int32_t q = p->per_channel ? u : 0;
    return requant_of(p->multiplier[q], p->shift[q]);
}
#endif

/* Units four at a time where dot_4ch is built, then two at a time
 * (dot_2ch: each input word loaded serves every unit), sums starting from
 * the bias, requantized together (requantize_4ch, requantize_2ch); an odd
 * last unit alone. */
void fully_connected_s8(const msf_fc_params *p, const int8_t *in, int32_t batches, int8_t *out)
{
    int32_t n = p->in_features;
    for (int32_t b = 0; b < batches; b++, in += n, out += p->units) {
        const int8_t *w = p->weights;
        int32_t u = 0;
#ifdef MSF_DOT_4CH
        for (; u + 4 <= p->units; u += 4, w += 4 * n) {
            int32_t s[8] = {unit_bias(p, u), unit_bias(p, u + 1), unit_bias(p, u + 2), unit_bias(p, u + 3)};
            dot_4ch(1, in, 0, 0, w, n, 0, 1, n, p->input_offset, s);
            msf_requant q[4] = {unit_requant(p, u), unit_requant(p, u + 1), unit_requant(p, u + 2),
                                unit_requant(p, u + 3)};
            requantize_4ch(s[0], s[1], s[2], s[3], q, requant_mode(q, 4, p->act_min, p->act_max),
                           p->output_offset, p->act_min, p->act_max, out + u);
        }
#endif
        for (; u + 2 <= p->units; u += 2, w += 2 * n) {
            int32_t s[4] = {unit_bias(p, u), unit_bias(p, u + 1), 0, 0};
            dot_2ch(1, in, 0, 0, w, n, 0, 1, n, p->input_offset, s);
            int32_t q0 = p->per_channel ? u : 0, q1 = p->per_channel ? u + 1 : 0;
            msf_requant q[2] = {requant_of(p->multiplier[q0], p->shift[q0]),
                                requant_of(p->multiplier[q1], p->shift[q1])};
            requantize_2ch(1, s[0], s[1], 0, 0, q, requant_mode(q, 2, p->act_min, p->act_max), p->output_offset,
                           p->act_min, p->act_max, out + u, out + u);
        }
        if (u < p->units)
            out[u] = unit_output(p, u, dot_s8_offset(unit_bias(p, u), w, in, n, p->input_offset));
    }
}

void fully_connected_accumulate_s8(const msf_fc_params *p, const int8_t *x, int32_t first, int32_t n,
                                   uint8_t *sums)
{
    for (int32_t u = 0; u < p->units; u++)
        sums_set(sums, u,
                 dot_s8_offset(sums_get(sums, u), p->weights + u * p->in_features + first, x, n, p->input_offset));
}

void fully_connected_finish_s8(const msf_fc_params *p, const uint8_t *sums, int8_t *out)
{
    for (int32_t u = 0; u < p->units; u++)
        out[u] = unit_output(p, u, sums_get(sums, u) + unit_bias(p, u));
}
