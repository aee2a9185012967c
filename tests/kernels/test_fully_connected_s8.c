/* fully_connected_s8: hand-computed rounding and per-channel cases, and a
 * plain int64 reference on seeded random cases; MACs = batches x units x
 * in_features. */
#include "kernels/kernel_ref.h"

/* One weight of 1, x0.25 (multiplier 2^30, shift -1), six batches. The
 * requantization rounds twice, half up then half away from zero:
 * 5 -> 2.5 -> 3 -> 1.5 -> 2 and -5 -> -2.5 -> -2 -> -1 -> -1. */
static void test_rounding(void)
{
    const int8_t input[6] = {10, -10, 6, -6, 5, -5}, weights[1] = {1};
    const int32_t m[1] = {1 << 30}, sh[1] = {-1};
    msf_fc_params p = {0, 0, -128, 127, 0, m, sh, weights, NULL, 1, 1};
    const int8_t want[6] = {3, -3, 2, -2, 2, -1};
    int8_t out[6];
    fully_connected_s8(&p, input, 6, out);
    check_bytes_equal("rounding", out, want, 6);
}

/* Input 1 2 3 with zero point -1 (so 2 3 4); unit 0 sums it (9), unit 1 is
 * -2*2 + 4 (0); bias 1 and -6; unit 0 x1, unit 1 x0.5 when per channel;
 * output zero point 100, clamp at 105. */
static void test_per_channel(void)
{
    const int8_t input[3] = {1, 2, 3}, weights[6] = {1, 1, 1, -2, 0, 1};
    const int32_t m[2] = {1 << 30, 1 << 30}, sh[2] = {1, 0}, bias[2] = {1, -6};
    msf_fc_params p = {1, 100, -128, 105, 1, m, sh, weights, bias, 3, 2};
    const int8_t want_per_channel[2] = {105, 97}, want_per_tensor[2] = {105, 94};
    int8_t out[2];
    fully_connected_s8(&p, input, 1, out);
    check_bytes_equal("per channel", out, want_per_channel, 2);
    p.per_channel = 0;
    fully_connected_s8(&p, input, 1, out);
    check_bytes_equal("per tensor", out, want_per_tensor, 2);
}

static void ref_fc(const msf_fc_params *p, const int8_t *in, int32_t batches, int8_t *out)
{
    for (int32_t b = 0; b < batches; b++)
        for (int32_t u = 0; u < p->units; u++) {
            int64_t acc = p->bias ? p->bias[u] : 0;
            for (int32_t i = 0; i < p->in_features; i++)
                acc += (int64_t)p->weights[u * p->in_features + i] *
                       (in[b * p->in_features + i] + p->input_offset);
            int32_t q = p->per_channel ? u : 0;
            int64_t v = ref_mbqm((int32_t)acc, p->multiplier[q], p->shift[q]) + p->output_offset;
            out[b * p->units + u] = (int8_t)ref_clamp(v, p->act_min, p->act_max);
        }
}

static void test_random(void)
{
    for (int k = 0; k < 300; k++) {
        rng_t r = rng_seed((uint64_t)k + 5000);
        int32_t batches = rng_int(&r, 1, 3), in_features = rng_int(&r, 1, k % 3 ? 64 : 400);
        int32_t units = rng_int(&r, 1, 20);
        size_t n_in = (size_t)batches * in_features, n_w = (size_t)units * in_features;
        size_t n_out = (size_t)batches * units;
        weighted_case c = weighted_case_new(&r, n_in, n_w, n_out, units, in_features, 3, 30000);
        msf_fc_params p;
        memset(&p, 0, sizeof p);
        p.input_offset = -rng_zero_point(&r);
        rng_output(&r, k, &p.output_offset, &p.act_min, &p.act_max);
        p.per_channel = k % 2;
        p.multiplier = c.multiplier;
        p.shift = c.shift;
        p.weights = c.weights;
        p.bias = k % 5 == 4 ? NULL : c.bias;
        p.in_features = in_features;
        p.units = units;

        fully_connected_s8(&p, c.input, batches, c.got);
        ref_fc(&p, c.input, batches, c.want);
        if (!check_bytes_equal("fully connected random", c.got, c.want, n_out))
            fprintf(stderr, "  case %d: %d x %d -> %d\n", k, batches, in_features, units);
        weighted_case_free(&c);
    }
}

int main(void)
{
    test_rounding();
    test_per_channel();
    test_random();
    return check_summary();
}
