/* quantize_f32_s8 and dequantize_s8_f32: hand-computed rounding, clamping
 * and special values, then references on seeded random values: roundf of the
 * float32 quotient, and TFLite's double product converted to float. */
#include "kernels/kernel_ref.h"

static void test_quantize_hand(void)
{
    msf_quantize_params p = {0.5f, 0};
    const float in[10] = {0.25f, -0.25f, 0.2499f, -0.2499f, 0.74999994f, 1000.0f, -1000.0f,
                          INFINITY, -INFINITY, NAN};
    const int8_t want[10] = {1, -1, 0, 0, 1, 127, -128, 127, -128, -128};
    int8_t out[10];
    quantize_f32_s8(&p, (const uint8_t *)in, 10, out);
    check_bytes_equal("quantize", out, want, 10);

    /* The largest float below 0.5 rounds to 0; adding 0.5 first would give 1. */
    msf_quantize_params unit = {1.0f, 10};
    const float edge[4] = {0.49999997f, -0.49999997f, 1.5f, -1.5f};
    const int8_t want_edge[4] = {10, 10, 12, 8};
    quantize_f32_s8(&unit, (const uint8_t *)edge, 4, out);
    check_bytes_equal("quantize halves", out, want_edge, 4);
}

static void test_dequantize_hand(void)
{
    msf_quantize_params p = {0.5f, -128};
    const int8_t in[3] = {-128, 127, 0};
    float out[3];
    dequantize_s8_f32(&p, in, 3, (uint8_t *)out);
    CHECK(out[0] == 0.0f && out[1] == 127.5f && out[2] == 64.0f);
}

static void test_random(void)
{
    for (int k = 0; k < 200; k++) {
        rng_t r = rng_seed((uint64_t)k + 13000);
        msf_quantize_params p = {(float)rng_real(&r, 0.001, 0.3), rng_zero_point(&r)};
        float in[256], back[256];
        int8_t got[256], want[256];
        for (int i = 0; i < 256; i++) {
            /* exact halves of the scale as well as arbitrary values */
            double q = i % 2 ? rng_int(&r, -300, 300) + 0.5 : rng_real(&r, -300, 300);
            in[i] = (float)(q * p.scale);
            float x = roundf(in[i] / p.scale) + (float)p.zero_point;
            want[i] = (int8_t)(x < -128 ? -128 : (x > 127 ? 127 : x));
        }
        quantize_f32_s8(&p, (const uint8_t *)in, 256, got);
        check_bytes_equal("quantize random", got, want, 256);

        int ok = 1;
        dequantize_s8_f32(&p, got, 256, (uint8_t *)back);
        for (int i = 0; i < 256; i++)
            ok &= back[i] == (float)((double)p.scale * (got[i] - p.zero_point));
        CHECK(ok);
    }
}

int main(void)
{
    test_quantize_hand();
    test_dequantize_hand();
    test_random();
    return check_summary();
}
