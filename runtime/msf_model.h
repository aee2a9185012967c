/* The model as the runtime sees it: tensors, operators with their integer
 * parameters already derived, and where each activation lives in the arena.
 * Built by the importer on the host, emitted as const tables by codegen. */
#ifndef MSF_MODEL_H
#define MSF_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MSF_MAX_RANK 4
#define MSF_MAX_OP_INPUTS 8

typedef enum {
    MSF_INT8 = 0,
    MSF_INT32 = 1,
    MSF_FLOAT32 = 2
} msf_dtype;

typedef enum {
    MSF_OP_CONV2D = 0,
    MSF_OP_DEPTHWISE_CONV2D,
    MSF_OP_FULLY_CONNECTED,
    MSF_OP_ADD,
    MSF_OP_MUL,
    MSF_OP_AVERAGE_POOL2D,
    MSF_OP_MAX_POOL2D,
    MSF_OP_MEAN,
    MSF_OP_RESHAPE,
    MSF_OP_TRANSPOSE,
    MSF_OP_SOFTMAX,
    MSF_OP_PAD,
    MSF_OP_CONCATENATION,
    MSF_OP_RESIZE_NEAREST,
    MSF_OP_LOGISTIC,
    MSF_OP_HARD_SWISH,
    MSF_OP_QUANTIZE,
    MSF_OP_DEQUANTIZE,
    MSF_OP_COUNT
} msf_op_type;

/* dims are the tensor's own rank; kernels take them right-aligned into 4-D
 * (N, H, W, C) with leading 1s, as TFLite's RuntimeShape::ExtendedShape. */
typedef struct {
    int32_t dims[MSF_MAX_RANK];
    int32_t rank;
    msf_dtype dtype;
    float scale;
    int32_t zero_point;
    uint32_t bytes;
    const void *data;      /* constants (flash); NULL for activations (their place is the plan's) */
} msf_tensor;

/* CONV_2D and DEPTHWISE_CONV_2D (per-channel). Weights [O,KH,KW,I] for conv,
 * [1,KH,KW,C*M] for depthwise. */
typedef struct {
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left; /* bottom/right follow from the shapes */
    int32_t kernel_h, kernel_w;
    int32_t depth_multiplier;  /* depthwise only */
    int32_t input_offset;      /* -zp_in */
    int32_t output_offset;     /* zp_out */
    int32_t act_min, act_max;
    const int32_t *multiplier; /* one per output channel */
    const int32_t *shift;      /* one per output channel, TFLite sign (>0: left) */
    const int8_t *weights;
    const int32_t *bias;       /* NULL: no bias */
} msf_conv_params;

/* FULLY_CONNECTED: weights [units, in_features]; input flattened to
 * [batches, in_features]. */
typedef struct {
    int32_t input_offset, output_offset;
    int32_t act_min, act_max;
    int32_t per_channel;       /* 0: multiplier[0]/shift[0] for all units */
    const int32_t *multiplier;
    const int32_t *shift;
    const int8_t *weights;
    const int32_t *bias;       /* NULL: no bias */
    int32_t in_features, units;
} msf_fc_params;

typedef struct {
    int32_t input1_offset, input2_offset, output_offset;
    int32_t left_shift;
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} msf_add_params;

typedef struct {
    int32_t input1_offset, input2_offset, output_offset;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} msf_mul_params;

typedef struct {
    int32_t stride_h, stride_w;
    int32_t filter_h, filter_w;
    int32_t pad_top, pad_left;
    int32_t act_min, act_max;
} msf_pool_params;

typedef struct {
    uint32_t axes_mask; /* bit d set: 4-D axis d (0=N..3=C) is reduced */
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift; /* QuantizeMultiplier(s_in / s_out) */
} msf_mean_params;

typedef struct {
    int32_t input_multiplier, input_left_shift;
    int32_t diff_min;
} msf_softmax_params;

typedef struct {
    int32_t input_zero_point;
    int32_t input_range_radius;
    int32_t input_multiplier, input_left_shift;
} msf_logistic_params;

typedef struct {
    int32_t input_zero_point, output_zero_point;
    int16_t reluish_multiplier_fixedpoint_int16;
    int32_t reluish_multiplier_exponent;
    int16_t output_multiplier_fixedpoint_int16;
    int32_t output_multiplier_exponent;
} msf_hard_swish_params;

typedef struct {
    int32_t before[4], after[4]; /* per 4-D axis */
    int8_t value;                /* PAD: output zero point; PADV2: the constant */
} msf_pad_params;

typedef struct {
    int32_t perm[4]; /* over 4-D axes */
} msf_transpose_params;

typedef struct {
    int32_t align_corners, half_pixel_centers;
} msf_resize_params;

typedef struct {
    int32_t axis; /* 4-D axis */
} msf_concat_params;

typedef struct {
    float scale;
    int32_t zero_point;
} msf_quantize_params;

typedef struct {
    msf_op_type type;
    int32_t n_inputs;
    int32_t inputs[MSF_MAX_OP_INPUTS]; /* tensor indices */
    int32_t output;
    union {
        msf_conv_params conv;
        msf_fc_params fc;
        msf_add_params add;
        msf_mul_params mul;
        msf_pool_params pool;
        msf_mean_params mean;
        msf_softmax_params softmax;
        msf_logistic_params logistic;
        msf_hard_swish_params hard_swish;
        msf_pad_params pad;
        msf_transpose_params transpose;
        msf_resize_params resize;
        msf_concat_params concat;
        msf_quantize_params quantize; /* QUANTIZE and DEQUANTIZE */
    } p;
} msf_op;

typedef struct {
    const msf_tensor *tensors;
    int32_t n_tensors;
    const msf_op *ops;
    int32_t n_ops;
    const int32_t *inputs;
    int32_t n_inputs;
    const int32_t *outputs;
    int32_t n_outputs;
} msf_model;

/* dims right-aligned into 4-D with leading 1s (TFLite's ExtendedShape). */
static inline void msf_dims4(const msf_tensor *t, int32_t out[4])
{
    int32_t lead = 4 - t->rank;
    for (int32_t i = 0; i < 4; i++)
        out[i] = i < lead ? 1 : t->dims[i - lead];
}

static inline int32_t msf_elements(const msf_tensor *t)
{
    int32_t n = 1;
    for (int32_t i = 0; i < t->rank; i++)
        n *= t->dims[i];
    return n;
}

#endif
