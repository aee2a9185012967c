/* Writes a TFLite schema-v3 flatbuffer ("TFL3") from a plain description:
 * the caller lists tensors (with their constant bytes and quantization)
 * and operators; the writer assigns buffers and operator codes and lays
 * out the bytes. One subgraph; enough of the schema for msf's int8 CNNs.
 * The architecture-spec reader writes its networks with it; host code
 * (uses malloc), not part of the runtime. */
#ifndef MSF_TFLITE_WRITER_H
#define MSF_TFLITE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#define TFW_MAX_RANK 8

/* BuiltinOptions union types (schema.fbs) the writer can emit. */
enum {
    TFW_OPT_NONE = 0,
    TFW_OPT_CONV_2D = 1,
    TFW_OPT_DEPTHWISE_CONV_2D = 2,
    TFW_OPT_POOL_2D = 5,
    TFW_OPT_FULLY_CONNECTED = 8,
    TFW_OPT_SOFTMAX = 9,
    TFW_OPT_CONCATENATION = 10,
    TFW_OPT_ADD = 11,
    TFW_OPT_RESHAPE = 17,
    TFW_OPT_MUL = 21,
    TFW_OPT_PAD = 22,
    TFW_OPT_REDUCER = 27,
    TFW_OPT_PADV2 = 43,
    TFW_OPT_RESIZE_NEAREST_NEIGHBOR = 74
};

/* Options of one operator, flattened. Only the fields of the union type
 * are written, and a field equal to its schema default is left out (as
 * TFLite's converter does), so readers see the defaults: dilation must be
 * set to 1 (the default) for an undilated convolution. */
typedef struct {
    int32_t type;                  /* TFW_OPT_* */
    int32_t padding;               /* SAME 0, VALID 1 */
    int32_t stride_w, stride_h;
    int32_t dilation_w, dilation_h;
    int32_t filter_w, filter_h;    /* POOL_2D */
    int32_t depth_multiplier;
    int32_t activation;            /* NONE 0, RELU 1, RELU_N1_TO_1 2, RELU6 3 */
    int32_t keep_num_dims;         /* FULLY_CONNECTED */
    float beta;                    /* SOFTMAX */
    int32_t axis;                  /* CONCATENATION */
    int32_t keep_dims;             /* REDUCER (MEAN) */
    int32_t align_corners, half_pixel_centers;
    int32_t n_new_shape;           /* RESHAPE: written when > 0 */
    int32_t new_shape[TFW_MAX_RANK];
} tfw_options;

typedef struct {
    const char *name;
    int32_t type;                  /* TensorType: INT8 9, INT32 2, ... */
    int32_t rank;
    int32_t shape[TFW_MAX_RANK];
    const void *data;              /* constant bytes (little-endian), or NULL */
    size_t data_bytes;
    int32_t n_quant;               /* scales and zero points; 0: no quantization */
    const float *scales;
    const int64_t *zero_points;
    int32_t quantized_dimension;
} tfw_tensor;

typedef struct {
    int32_t opcode;                /* BuiltinOperator */
    int32_t version;
    int32_t n_inputs;
    const int32_t *inputs;         /* tensor indices; -1 for an absent optional input */
    int32_t n_outputs;
    const int32_t *outputs;
    tfw_options options;
} tfw_operator;

typedef struct {
    const char *description;       /* NULL: none */
    const char *subgraph_name;     /* NULL: none */
    int32_t n_tensors;
    const tfw_tensor *tensors;
    int32_t n_ops;
    const tfw_operator *ops;
    int32_t n_inputs;
    const int32_t *inputs;
    int32_t n_outputs;
    const int32_t *outputs;
} tfw_model;

/* Returns the malloc'ed file image (its size in *size), or NULL when out of
 * memory or when the description is inconsistent (an index out of range, a
 * rank over TFW_MAX_RANK, an unknown options type). Tensors with data get
 * buffers 1, 2, ... in tensor order; the others use the empty buffer 0.
 * Operator codes are (opcode, version) pairs in order of first use. */
uint8_t *tflite_write(const tfw_model *model, size_t *size);

#endif
