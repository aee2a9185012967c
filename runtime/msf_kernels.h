/* int8 kernels with TFLite's reference integer arithmetic. One operator a
 * file (runtime/<op>_s8.c). Shapes are 4-D (N, H, W, C) unless stated.
 *
 * Spatial kernels (conv, depthwise, pools) compute a rectangle of output
 * pixels from a window of their input, so the same code serves whole-tensor
 * (layer-by-layer) and tile-at-a-time (fused) execution. Batch is 1 for them. */
#ifndef MSF_KERNELS_H
#define MSF_KERNELS_H

#include <stdint.h>

#include "msf_model.h"

/* Full feature-map size of a spatial operand. */
typedef struct {
    int32_t h, w, c;
} msf_hwc;

/* A window of an input feature map held in memory: element (y, x, ch) of the
 * full map, for the rows and columns the window holds, is at
 * data[(y - y0) * row_stride + (x - x0) * c + ch]. Taps outside the full map
 * are skipped (TFLite's padding); the caller makes sure every in-map tap the
 * requested output rectangle needs lies in the window. */
typedef struct {
    const int8_t *data;
    int32_t y0, x0;
    int32_t row_stride;
} msf_in_window;

/* The output pixels to compute: rows [y0, y0+h), columns [x0, x0+w) of the
 * full output map. Pixel (y, x) goes to data[(y - y0) * row_stride + (x - x0) * c]. */
typedef struct {
    int8_t *data;
    int32_t y0, x0, h, w;
    int32_t row_stride;
} msf_out_rect;

void conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
               msf_hwc out_shape, msf_out_rect out);
void depthwise_conv2d_s8(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in,
                         msf_hwc out_shape, msf_out_rect out);
void avg_pool2d_s8(const msf_pool_params *p, msf_hwc in_shape, msf_in_window in,
                   msf_hwc out_shape, msf_out_rect out);
void max_pool2d_s8(const msf_pool_params *p, msf_hwc in_shape, msf_in_window in,
                   msf_hwc out_shape, msf_out_rect out);

/* input [batches, p->in_features] -> output [batches, p->units] */
void fully_connected_s8(const msf_fc_params *p, const int8_t *in, int32_t batches, int8_t *out);
/* One batch fed a slice at a time: sums (an int32 per unit, unaligned.h,
 * zeroed by the caller) take inputs [first, first + n); finish adds the bias
 * and requantizes, giving the bytes fully_connected_s8 gives. */
void fully_connected_accumulate_s8(const msf_fc_params *p, const int8_t *x, int32_t first, int32_t n,
                                   uint8_t *sums);
void fully_connected_finish_s8(const msf_fc_params *p, const uint8_t *sums, int8_t *out);

/* Elementwise with TFLite's 4-D broadcasting: a dimension of 1 in an input
 * repeats along the output's dimension. */
void add_s8(const msf_add_params *p, const int8_t *in1, const int32_t in1_dims[4],
            const int8_t *in2, const int32_t in2_dims[4], int8_t *out, const int32_t out_dims[4]);
void mul_s8(const msf_mul_params *p, const int8_t *in1, const int32_t in1_dims[4],
            const int8_t *in2, const int32_t in2_dims[4], int8_t *out, const int32_t out_dims[4]);

/* Reduces the axes in p->axes_mask; output is the input's layout with those
 * axes of size 1 (keep_dims does not change the bytes). */
void mean_s8(const msf_mean_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out);

/* Global pooling one pixel at a time: sums (an int32 per channel,
 * unaligned.h, zeroed by the caller) take each pixel; finish writes the
 * pooled channels as the plain AVERAGE_POOL_2D over the whole map, or MEAN
 * over H and W, would. */
void global_pool_accumulate_s8(const int8_t *pixel, int32_t channels, uint8_t *sums);
void global_pool_finish_s8(const msf_op *op, const uint8_t *sums, int32_t channels, int32_t count, int8_t *out);
/* MEAN of sums already taken: out[i] is the mean of n elements summing to
 * sum i (unaligned.h), requantized as mean_s8 does. */
void mean_of_sums_s8(const msf_mean_params *p, const uint8_t *sums, int32_t count, int32_t n, int8_t *out);

/* rows x depth, softmax over depth (the last axis). */
void softmax_s8(const msf_softmax_params *p, const int8_t *in, int32_t rows, int32_t depth, int8_t *out);
void logistic_s8(const msf_logistic_params *p, const int8_t *in, int32_t n, int8_t *out);
void hard_swish_s8(const msf_hard_swish_params *p, const int8_t *in, int32_t n, int8_t *out);

void pad_s8(const msf_pad_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out);
/* The same for a PAD of H and W only, as a spatial kernel (inside a fused
 * block: a 1x1 window offset by the leading padding). */
void pad2d_s8(const msf_pad_params *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape, msf_out_rect out);
/* QUANTIZE of a window of a float32 map (in: its bytes, row_stride in
 * bytes) into the int8 rectangle out, as quantize_f32_s8. */
void quantize2d_f32_s8(const msf_quantize_params *p, msf_hwc in_shape, msf_in_window in, msf_out_rect out);
/* DEQUANTIZE of a window of an int8 map into the rectangle out of a float32
 * map (out.data: its bytes, row_stride in bytes), as dequantize_s8_f32. */
void dequantize2d_s8_f32(const msf_quantize_params *p, msf_hwc in_shape, msf_in_window in, msf_out_rect out);
void transpose_s8(const msf_transpose_params *p, const int8_t *in, const int32_t in_dims[4], int8_t *out);
/* TRANSPOSE [0, 2, 3, 1] (NCHW -> NHWC) into the rectangle out of the NHWC
 * map, reading the whole NCHW map in (dims C x H x W, given as nchw.h = C,
 * nchw.w = H, nchw.c = W): element (y, x, c) is element c * H * W + y * W + x
 * of in, int8, or with q float32 quantized as quantize_f32_s8. */
void transpose2d_nchw_s8(const msf_quantize_params *q, msf_hwc nchw, const void *in, msf_out_rect out);
void resize_nearest_s8(const msf_resize_params *p, const int8_t *in, const int32_t in_dims[4],
                       const int32_t out_dims[4], int8_t *out);
/* Inputs share the output's quantization (TFLite requires it): bytes are copied. */
void concatenation_s8(const msf_concat_params *p, const int8_t *const *ins,
                      const int32_t (*in_dims)[4], int32_t n_inputs, int8_t *out);

/* float32 at the model's edges (little-endian IEEE-754 in memory). */
void quantize_f32_s8(const msf_quantize_params *p, const uint8_t *in, int32_t n, int8_t *out);
void dequantize_s8_f32(const msf_quantize_params *p, const int8_t *in, int32_t n, uint8_t *out);

#endif
