/* Reads a .tflite flatbuffer (schema v3, subgraph 0) into plain structs.
 * Untrusted input: every offset, vtable entry, vector length and string is
 * checked against the file before use; a bad file gives an error message,
 * never a read outside the buffer. Semantic checks (supported ops, shapes
 * matching each other) are the graph builder's job. */
#ifndef MSF_TFLITE_READER_H
#define MSF_TFLITE_READER_H

#include <stddef.h>
#include <stdint.h>

#define TFL_MAX_RANK 8
#define TFL_MAX_NEW_SHAPE 8

/* TensorType values of the TFLite schema that msf looks at. */
enum {
    TFL_TYPE_FLOAT32 = 0,
    TFL_TYPE_INT32 = 2,
    TFL_TYPE_UINT8 = 3,
    TFL_TYPE_INT64 = 4,
    TFL_TYPE_INT16 = 7,
    TFL_TYPE_INT8 = 9
};

/* BuiltinOperator values msf supports (others are read and reported by code). */
enum {
    TFL_OP_ADD = 0,
    TFL_OP_AVERAGE_POOL_2D = 1,
    TFL_OP_CONCATENATION = 2,
    TFL_OP_CONV_2D = 3,
    TFL_OP_DEPTHWISE_CONV_2D = 4,
    TFL_OP_DEQUANTIZE = 6,
    TFL_OP_FULLY_CONNECTED = 9,
    TFL_OP_LOGISTIC = 14,
    TFL_OP_MAX_POOL_2D = 17,
    TFL_OP_MUL = 18,
    TFL_OP_RESHAPE = 22,
    TFL_OP_SOFTMAX = 25,
    TFL_OP_PAD = 34,
    TFL_OP_TRANSPOSE = 39,
    TFL_OP_MEAN = 40,
    TFL_OP_PADV2 = 60,
    TFL_OP_RESIZE_NEAREST_NEIGHBOR = 97,
    TFL_OP_QUANTIZE = 114,
    TFL_OP_HARD_SWISH = 117
};

enum { TFL_PADDING_SAME = 0, TFL_PADDING_VALID = 1 };

/* Activation values as in the schema: NONE 0, RELU 1, RELU_N1_TO_1 2,
 * RELU6 3, TANH 4, SIGN_BIT 5. */

typedef struct {
    int32_t type;                  /* TensorType */
    int32_t rank;
    int32_t shape[TFL_MAX_RANK];
    const uint8_t *data;           /* constant data inside the file, or NULL */
    uint32_t data_bytes;
    char *name;                    /* NUL-terminated copy ("" when absent) */
    int32_t n_scales;              /* 0: no quantization */
    float *scales;
    int32_t n_zero_points;
    int64_t *zero_points;
    int32_t quantized_dimension;
} tfl_tensor;

/* Builtin options, flattened: each field holds the schema default when the
 * operator's options table does not set it. */
typedef struct {
    int32_t padding;
    int32_t stride_w, stride_h;
    int32_t dilation_w, dilation_h;
    int32_t filter_w, filter_h;
    int32_t depth_multiplier;
    int32_t activation;
    int32_t keep_num_dims;         /* FULLY_CONNECTED */
    int32_t weights_format;        /* FULLY_CONNECTED */
    float beta;                    /* SOFTMAX */
    int32_t axis;                  /* CONCATENATION */
    int32_t keep_dims;             /* MEAN */
    int32_t align_corners;         /* RESIZE_NEAREST_NEIGHBOR */
    int32_t half_pixel_centers;
    int32_t n_new_shape;           /* RESHAPE options; -1 when absent */
    int32_t new_shape[TFL_MAX_NEW_SHAPE];
} tfl_options;

typedef struct {
    int32_t opcode;                /* BuiltinOperator (builtin_code, or the deprecated byte) */
    int32_t version;
    int32_t n_inputs;
    int32_t *inputs;               /* -1: optional input absent */
    int32_t n_outputs;
    int32_t *outputs;
    int32_t options_type;          /* BuiltinOptions union type, 0 when none */
    tfl_options opt;
} tfl_operator;

typedef struct {
    int32_t n_tensors;
    tfl_tensor *tensors;
    int32_t n_ops;
    tfl_operator *ops;
    int32_t n_inputs;
    int32_t *inputs;
    int32_t n_outputs;
    int32_t *outputs;
} tfl_model;

/* Parses buf (which must stay alive while the model is used: constant data
 * points into it). Returns 0, or -1 with a one-line message in err. Tensor
 * indices are checked to be in range (or -1 where optional). */
int tflite_read(const uint8_t *buf, size_t size, tfl_model *model, char *err, size_t err_size);
void tflite_free(tfl_model *model);

/* Bytes per element of a TensorType msf knows, 0 for the others. */
uint32_t tflite_type_size(int32_t type);

/* Name of a BuiltinOperator code for messages ("CONV_2D", "CODE_123"). */
const char *tflite_op_name(int32_t opcode);

#endif
