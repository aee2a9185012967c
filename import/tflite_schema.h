/* Field ids and union indices of the TFLite schema (tensorflow/lite/schema/
 * schema.fbs) that msf reads. A field id is the field's position in its
 * table declaration; a union field takes two ids, its type then its value. */
#ifndef MSF_TFLITE_SCHEMA_H
#define MSF_TFLITE_SCHEMA_H

#define TFL_SCHEMA_VERSION 3
#define TFL_FILE_IDENTIFIER "TFL3"

enum {
    TFL_MODEL_VERSION = 0,
    TFL_MODEL_OPERATOR_CODES = 1,
    TFL_MODEL_SUBGRAPHS = 2,
    TFL_MODEL_BUFFERS = 4
};

enum {
    TFL_SUBGRAPH_TENSORS = 0,
    TFL_SUBGRAPH_INPUTS = 1,
    TFL_SUBGRAPH_OUTPUTS = 2,
    TFL_SUBGRAPH_OPERATORS = 3
};

enum {
    TFL_TENSOR_SHAPE = 0,
    TFL_TENSOR_TYPE = 1,
    TFL_TENSOR_BUFFER = 2,
    TFL_TENSOR_NAME = 3,
    TFL_TENSOR_QUANTIZATION = 4
};

/* QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details 4-5. */
enum { TFL_QUANT_SCALE = 2, TFL_QUANT_ZERO_POINT = 3, TFL_QUANT_DIMENSION = 6 };

enum { TFL_BUFFER_DATA = 0, TFL_BUFFER_OFFSET = 1, TFL_BUFFER_SIZE = 2 };

enum { TFL_OPCODE_DEPRECATED_BUILTIN = 0, TFL_OPCODE_VERSION = 2, TFL_OPCODE_BUILTIN = 3 };

enum {
    TFL_OPERATOR_OPCODE_INDEX = 0,
    TFL_OPERATOR_INPUTS = 1,
    TFL_OPERATOR_OUTPUTS = 2,
    TFL_OPERATOR_OPTIONS_TYPE = 3,
    TFL_OPERATOR_OPTIONS = 4
};

/* BuiltinOptions union type indices (NONE is 0) of the options msf reads. */
enum {
    TFL_OPTIONS_CONV_2D = 1,
    TFL_OPTIONS_DEPTHWISE_CONV_2D = 2,
    TFL_OPTIONS_POOL_2D = 5,
    TFL_OPTIONS_FULLY_CONNECTED = 8,
    TFL_OPTIONS_SOFTMAX = 9,
    TFL_OPTIONS_CONCATENATION = 10,
    TFL_OPTIONS_ADD = 11,
    TFL_OPTIONS_RESHAPE = 17,
    TFL_OPTIONS_MUL = 21,
    TFL_OPTIONS_REDUCER = 27,
    TFL_OPTIONS_RESIZE_NEAREST_NEIGHBOR = 74
};

#endif
