/* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32 at the model's
 * edges (TFLite's reference AffineQuantize and Dequantize). The floats are
 * read and written a byte at a time (unaligned.h): they may sit at any
 * offset. */
#include "kernel_util_s8.h"
#include "unaligned.h"

/* Beyond this |x / scale| the int8 clamp decides the result whatever the
 * zero point; bounding first keeps the conversion to int32 defined. */
#define QUANTIZE_BOUND 512.0f

void quantize_f32_s8(const msf_quantize_params *p, const uint8_t *in, int32_t n, int8_t *out)
{
    for (int32_t i = 0; i < n; i++) {
        float q = load_f32(in + 4 * i) / p->scale; /* float32 division, as TFLite */
        if (!(q > -QUANTIZE_BOUND)) /* also catches NaN, which becomes -128 */
            q = -QUANTIZE_BOUND;
        if (q > QUANTIZE_BOUND)
            q = QUANTIZE_BOUND;
        out[i] = (int8_t)clamp_s32(round_half_away_f32(q) + p->zero_point, INT8_MIN, INT8_MAX);
    }
}

void quantize2d_f32_s8(const msf_quantize_params *p, msf_hwc in_shape, msf_in_window in, msf_out_rect out)
{
    for (int32_t y = 0; y < out.h; y++)
        for (int32_t x = 0; x < out.w; x++) {
            const int8_t *src = in.data + (out.y0 + y - in.y0) * in.row_stride + (out.x0 + x - in.x0) * in_shape.c * 4;
            quantize_f32_s8(p, (const uint8_t *)src, in_shape.c, out.data + y * out.row_stride + x * in_shape.c);
        }
}

/* TFLite multiplies in double and converts to float; (q - zp) has at most 9
 * bits and scale 24, so the double product is exact and one float multiply
 * rounds it the same way, without double arithmetic on the MCU. */
void dequantize_s8_f32(const msf_quantize_params *p, const int8_t *in, int32_t n, uint8_t *out)
{
    for (int32_t i = 0; i < n; i++)
        store_f32(out + 4 * i, (float)(in[i] - p->zero_point) * p->scale);
}

void dequantize2d_s8_f32(const msf_quantize_params *p, msf_hwc in_shape, msf_in_window in, msf_out_rect out)
{
    for (int32_t y = 0; y < out.h; y++)
        for (int32_t x = 0; x < out.w; x++) {
            const int8_t *src = in.data + (out.y0 + y - in.y0) * in.row_stride + (out.x0 + x - in.x0) * in_shape.c;
            dequantize_s8_f32(p, src, in_shape.c, (uint8_t *)out.data + y * out.row_stride + x * in_shape.c * 4);
        }
}
