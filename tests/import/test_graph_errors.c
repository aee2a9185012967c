/* The graph builder's semantic checks, one model per refusal path: each case
 * builds a small valid model with the project's TFLite writer, breaks one
 * thing, and expects graph_from_tflite to refuse it with a one-line message
 * that starts by naming where the problem is (operator index and type, or
 * tensor) and says what it is. The valid models are also laid out and run,
 * so that acceptance is shown to be sound (under the sanitizers). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flatbuffer.h"
#include "graph.h"
#include "msf_runtime.h"
#include "plan_build.h"
#include "tflite_reader.h"
#include "tflite_schema.h"
#include "tflite_writer.h"

#define MAX_TENSORS 12
#define MAX_OPS 3
#define MAX_IO 10      /* a concatenation of 9 inputs and its output */
#define MAX_CHANNELS 8 /* per-channel quantization entries */
#define DATA_BYTES 256 /* constant bytes per tensor */

/* A model description for tflite_write that owns every array it points to.
 * patch, when set, edits the written file (for what the writer cannot say). */
typedef struct {
    tfw_tensor t[MAX_TENSORS];
    float scales[MAX_TENSORS][MAX_CHANNELS];
    int64_t zps[MAX_TENSORS][MAX_CHANNELS];
    uint8_t data[MAX_TENSORS][DATA_BYTES];    /* little-endian, as the file stores it */
    tfw_operator ops[MAX_OPS];
    int32_t io[MAX_OPS][MAX_IO];
    int32_t inputs[4], outputs[4];
    int32_t n_tensors, n_ops, n_inputs, n_outputs;
    void (*patch)(uint8_t *img, size_t size);
} net;

/* An array literal and its length, as two arguments. */
#define LIST(...) \
    (const int32_t[]){__VA_ARGS__}, (int32_t)(sizeof((int32_t[]){__VA_ARGS__}) / sizeof(int32_t))

enum { INT8 = TFL_TYPE_INT8, INT32 = TFL_TYPE_INT32, INT64 = TFL_TYPE_INT64, FLOAT32 = TFL_TYPE_FLOAT32,
       INT16 = TFL_TYPE_INT16 };
enum { SAME = TFL_PADDING_SAME, VALID = TFL_PADDING_VALID };

static int32_t tensor_index(const net *n, const char *name)
{
    for (int32_t i = 0; i < n->n_tensors; i++)
        if (strcmp(n->t[i].name, name) == 0)
            return i;
    fprintf(stderr, "test bug: no tensor %s\n", name);
    abort();
}
#define T(name) tensor_index(n, name)

/* Sets the shape; a constant's data is resized and refilled: int8 with
 * small weights in [-5, 5], other types with zeros. */
static void set_shape(net *n, int32_t i, const int32_t *shape, int32_t rank)
{
    tfw_tensor *t = &n->t[i];
    size_t bytes = t->type == INT8 ? 1 : t->type == INT64 ? 8 : t->type == INT16 ? 2 : 4;
    t->rank = rank;
    for (int32_t d = 0; d < rank; d++) {
        t->shape[d] = shape[d];
        bytes *= (size_t)shape[d];
    }
    if (!t->data)
        return;
    if (bytes > DATA_BYTES) {
        fprintf(stderr, "test bug: tensor %s needs %zu bytes\n", t->name, bytes);
        abort();
    }
    t->data_bytes = bytes;
    memset(n->data[i], 0, sizeof n->data[i]);
    if (t->type == INT8)
        for (size_t k = 0; k < bytes; k++)
            n->data[i][k] = (uint8_t)(int8_t)((int)(k * 7 % 11) - 5);
}

/* A new tensor; scale 0 means no quantization parameters. */
static int32_t tensor(net *n, const char *name, int32_t type, const int32_t *shape, int32_t rank, float scale,
                      int64_t zp, int constant)
{
    int32_t i = n->n_tensors++;
    tfw_tensor *t = &n->t[i];
    *t = (tfw_tensor){.name = name, .type = type, .scales = n->scales[i], .zero_points = n->zps[i]};
    if (scale != 0.0f) {
        t->n_quant = 1;
        n->scales[i][0] = scale;
        n->zps[i][0] = zp;
    }
    if (constant)
        t->data = n->data[i];
    set_shape(n, i, shape, rank);
    return i;
}

/* Makes a constant an activation (no data). */
static void unconst(net *n, int32_t i)
{
    n->t[i].data = NULL;
    n->t[i].data_bytes = 0;
}

static int32_t act(net *n, const char *name, const int32_t *shape, int32_t rank, float scale, int64_t zp)
{
    return tensor(n, name, INT8, shape, rank, scale, zp, 0);
}

/* Symmetric int8 weights, one scale per output channel. */
static int32_t weights(net *n, const char *name, const int32_t *shape, int32_t rank, int32_t channels)
{
    int32_t i = tensor(n, name, INT8, shape, rank, 0.01f, 0, 1);
    n->t[i].n_quant = channels;
    for (int32_t c = 0; c < channels; c++) {
        n->scales[i][c] = 0.01f * (float)(c + 1);
        n->zps[i][c] = 0;
    }
    return i;
}

/* Element k of an int32 or int64 constant (msf runs on little-endian hosts). */
static void set_int(net *n, int32_t i, int32_t k, int64_t v)
{
    if (n->t[i].type == INT64) {
        memcpy(n->data[i] + 8 * k, &v, 8);
    } else {
        int32_t v32 = (int32_t)v;
        memcpy(n->data[i] + 4 * k, &v32, 4);
    }
}

static int32_t int32s(net *n, const char *name, const int32_t *v, int32_t count)
{
    int32_t i = tensor(n, name, INT32, LIST(count), 0.0f, 0, 1);
    for (int32_t k = 0; k < count; k++)
        set_int(n, i, k, v[k]);
    return i;
}

static int32_t bias(net *n, int32_t count, int32_t value)
{
    int32_t i = tensor(n, "b", INT32, LIST(count), 0.0f, 0, 1);
    for (int32_t k = 0; k < count; k++)
        set_int(n, i, k, value);
    return i;
}

static void op(net *n, int32_t opcode, tfw_options o, const int32_t *in, int32_t n_in, int32_t out)
{
    int32_t k = n->n_ops++;
    memcpy(n->io[k], in, (size_t)n_in * sizeof *in);
    n->io[k][n_in] = out;
    n->ops[k] = (tfw_operator){opcode, 1, n_in, n->io[k], 1, &n->io[k][n_in], o};
}

static void io(net *n, const int32_t *in, int32_t n_in, const int32_t *out, int32_t n_out)
{
    memcpy(n->inputs, in, (size_t)n_in * sizeof *in);
    memcpy(n->outputs, out, (size_t)n_out * sizeof *out);
    n->n_inputs = n_in;
    n->n_outputs = n_out;
}

static const tfw_options NO_OPTS = {.type = TFW_OPT_NONE};

/* ---- Valid models. Tensor names: x (graph input), w, b, y (output). */

/* 1x4x4x2 -> 3x3 SAME stride 1, 4 per-channel filters -> 1x4x4x4. */
static void conv(net *n)
{
    int32_t x = act(n, "x", LIST(1, 4, 4, 2), 0.05f, 0);
    int32_t w = weights(n, "w", LIST(4, 3, 3, 2), 4);
    int32_t b = bias(n, 4, 100);
    int32_t y = act(n, "y", LIST(1, 4, 4, 4), 0.1f, -5);
    tfw_options o = {.type = TFW_OPT_CONV_2D, .padding = SAME, .stride_w = 1, .stride_h = 1, .dilation_w = 1,
                     .dilation_h = 1};
    op(n, TFL_OP_CONV_2D, o, LIST(x, w, b), y);
    io(n, LIST(x), LIST(y));
}

/* The same with VALID stride 2: (4 - 3) / 2 + 1 = 1 output pixel. */
static void conv_valid(net *n)
{
    conv(n);
    n->ops[0].options.padding = VALID;
    n->ops[0].options.stride_w = n->ops[0].options.stride_h = 2;
    set_shape(n, T("y"), LIST(1, 1, 1, 4));
}

/* 1x4x4x2 -> 3x3 SAME depth multiplier 2 -> 1x4x4x4. */
static void depthwise(net *n)
{
    int32_t x = act(n, "x", LIST(1, 4, 4, 2), 0.05f, 0);
    int32_t w = weights(n, "w", LIST(1, 3, 3, 4), 4);
    int32_t b = bias(n, 4, -50);
    int32_t y = act(n, "y", LIST(1, 4, 4, 4), 0.1f, 3);
    tfw_options o = {.type = TFW_OPT_DEPTHWISE_CONV_2D, .padding = SAME, .stride_w = 1, .stride_h = 1,
                     .depth_multiplier = 2, .dilation_w = 1, .dilation_h = 1};
    op(n, TFL_OP_DEPTHWISE_CONV_2D, o, LIST(x, w, b), y);
    io(n, LIST(x), LIST(y));
}

/* Two rows of 8 features -> 4 units (per-tensor weight scale). */
static void fully_connected(net *n)
{
    int32_t x = act(n, "x", LIST(2, 8), 0.05f, 1);
    int32_t w = weights(n, "w", LIST(4, 8), 1);
    int32_t b = bias(n, 4, 7);
    int32_t y = act(n, "y", LIST(2, 4), 0.1f, 0);
    op(n, TFL_OP_FULLY_CONNECTED, (tfw_options){.type = TFW_OPT_FULLY_CONNECTED}, LIST(x, w, b), y);
    io(n, LIST(x), LIST(y));
}

/* 1x4x4x2 (+|*) 1x1x1x2, broadcast. */
static void binary(net *n, int32_t opcode, int32_t opt_type)
{
    int32_t x = act(n, "x", LIST(1, 4, 4, 2), 0.05f, 0);
    int32_t x2 = act(n, "x2", LIST(1, 1, 1, 2), 0.02f, -3);
    int32_t y = act(n, "y", LIST(1, 4, 4, 2), 0.1f, 2);
    op(n, opcode, (tfw_options){.type = opt_type, .activation = 1 /* RELU */}, LIST(x, x2), y);
    io(n, LIST(x, x2), LIST(y));
}
static void add(net *n) { binary(n, TFL_OP_ADD, TFW_OPT_ADD); }
static void mul(net *n) { binary(n, TFL_OP_MUL, TFW_OPT_MUL); }

/* 1x4x4x2 -> 2x2 VALID stride 2 -> 1x2x2x2, same quantization. */
static void pool(net *n, int32_t opcode)
{
    int32_t x = act(n, "x", LIST(1, 4, 4, 2), 0.05f, -1);
    int32_t y = act(n, "y", LIST(1, 2, 2, 2), 0.05f, -1);
    tfw_options o = {.type = TFW_OPT_POOL_2D, .padding = VALID, .stride_w = 2, .stride_h = 2, .filter_w = 2,
                     .filter_h = 2};
    op(n, opcode, o, LIST(x), y);
    io(n, LIST(x), LIST(y));
}
static void avg_pool(net *n) { pool(n, TFL_OP_AVERAGE_POOL_2D); }
static void max_pool(net *n) { pool(n, TFL_OP_MAX_POOL_2D); }

/* Mean over H and W, keep_dims: 1x4x4x2 -> 1x1x1x2. */
static void mean(net *n)
{
    int32_t x = act(n, "x", LIST(1, 4, 4, 2), 0.05f, 0);
    int32_t axes = int32s(n, "axes", LIST(1, 2));
    int32_t y = act(n, "y", LIST(1, 1, 1, 2), 0.04f, 1);
    op(n, TFL_OP_MEAN, (tfw_options){.type = TFW_OPT_REDUCER, .keep_dims = 1}, LIST(x, axes), y);
    io(n, LIST(x), LIST(y));
}

static void softmax(net *n)
{
    int32_t x = act(n, "x", LIST(1, 10), 0.1f, 0);
    int32_t y = act(n, "y", LIST(1, 10), 1.0f / 256, -128);
    op(n, TFL_OP_SOFTMAX, (tfw_options){.type = TFW_OPT_SOFTMAX, .beta = 1.0f}, LIST(x), y);
    io(n, LIST(x), LIST(y));
}

/* A one-input op without options: 1x8 -> 1x8 with the given output
 * quantization. */
static void unary(net *n, int32_t opcode, float out_scale, int64_t out_zp)
{
    int32_t x = act(n, "x", LIST(1, 8), 0.05f, 4);
    int32_t y = act(n, "y", LIST(1, 8), out_scale, out_zp);
    op(n, opcode, NO_OPTS, LIST(x), y);
    io(n, LIST(x), LIST(y));
}
static void logistic(net *n) { unary(n, TFL_OP_LOGISTIC, 1.0f / 256, -128); }
static void hard_swish(net *n) { unary(n, TFL_OP_HARD_SWISH, 0.05f, -10); }

/* 1x2x2x3 ++ 1x2x2x1 on the channel axis. */
static void concatenation(net *n)
{
    int32_t x = act(n, "x", LIST(1, 2, 2, 3), 0.05f, 0);
    int32_t x2 = act(n, "x2", LIST(1, 2, 2, 1), 0.05f, 0);
    int32_t y = act(n, "y", LIST(1, 2, 2, 4), 0.05f, 0);
    op(n, TFL_OP_CONCATENATION, (tfw_options){.type = TFW_OPT_CONCATENATION, .axis = 3}, LIST(x, x2), y);
    io(n, LIST(x, x2), LIST(y));
}

/* 1x2x2x1 padded by 1,1 on H and 2,0 on W -> 1x4x4x1. */
static void pad(net *n)
{
    int32_t x = act(n, "x", LIST(1, 2, 2, 1), 0.05f, 5);
    int32_t p = int32s(n, "paddings", LIST(0, 0, 1, 1, 2, 0, 0, 0));
    int32_t y = act(n, "y", LIST(1, 4, 4, 1), 0.05f, 5);
    op(n, TFL_OP_PAD, NO_OPTS, LIST(x, p), y);
    io(n, LIST(x), LIST(y));
}

/* PADV2 with an explicit pad value. */
static void padv2(net *n)
{
    pad(n);
    int32_t v = tensor(n, "value", INT8, LIST(1), 0.05f, 5, 1);
    n->ops[0].opcode = TFL_OP_PADV2;
    n->ops[0].n_inputs = 3;
    n->io[0][2] = v;
    n->ops[0].outputs = &n->io[0][3];
    n->io[0][3] = T("y");
}

/* NHWC -> NCHW: 1x2x3x4 -> 1x4x2x3. */
static void transpose(net *n)
{
    int32_t x = act(n, "x", LIST(1, 2, 3, 4), 0.05f, 0);
    int32_t perm = int32s(n, "perm", LIST(0, 3, 1, 2));
    int32_t y = act(n, "y", LIST(1, 4, 2, 3), 0.05f, 0);
    op(n, TFL_OP_TRANSPOSE, NO_OPTS, LIST(x, perm), y);
    io(n, LIST(x), LIST(y));
}

static void resize(net *n)
{
    int32_t x = act(n, "x", LIST(1, 2, 2, 3), 0.05f, 0);
    int32_t size = int32s(n, "size", LIST(4, 4));
    int32_t y = act(n, "y", LIST(1, 4, 4, 3), 0.05f, 0);
    tfw_options o = {.type = TFW_OPT_RESIZE_NEAREST_NEIGHBOR};
    op(n, TFL_OP_RESIZE_NEAREST_NEIGHBOR, o, LIST(x, size), y);
    io(n, LIST(x), LIST(y));
}

/* Two reshapes in a chain: x 1x2x2x2 -> m 1x8 -> y 2x4. */
static void reshapes(net *n)
{
    int32_t x = act(n, "x", LIST(1, 2, 2, 2), 0.05f, 0);
    int32_t m = act(n, "m", LIST(1, 8), 0.05f, 0);
    int32_t y = act(n, "y", LIST(2, 4), 0.05f, 0);
    op(n, TFL_OP_RESHAPE, NO_OPTS, LIST(x), m);
    op(n, TFL_OP_RESHAPE, NO_OPTS, LIST(m), y);
    io(n, LIST(x), LIST(y));
}

static void quantize(net *n)
{
    int32_t x = tensor(n, "x", FLOAT32, LIST(1, 8), 0.0f, 0, 0);
    int32_t y = act(n, "y", LIST(1, 8), 0.02f, -3);
    op(n, TFL_OP_QUANTIZE, NO_OPTS, LIST(x), y);
    io(n, LIST(x), LIST(y));
}

static void dequantize(net *n)
{
    int32_t x = act(n, "x", LIST(1, 8), 0.02f, -3);
    int32_t y = tensor(n, "y", FLOAT32, LIST(1, 8), 0.0f, 0, 0);
    op(n, TFL_OP_DEQUANTIZE, NO_OPTS, LIST(x), y);
    io(n, LIST(x), LIST(y));
}

/* ---- Valid edge cases. */

/* A dead output channel may have weight scale 0 (its multiplier is 0). */
static void conv_dead_channel(net *n)
{
    conv(n);
    n->scales[T("w")][2] = 0.0f;
}

/* Every weight 127: |acc| <= |bias| + 255 * 127 * 18 taps. At exactly
 * INT32_MAX the accumulator cannot overflow; one more and it could. */
#define ACC_BOUND_BIAS (INT32_MAX - 255 * 127 * 3 * 3 * 2)
static void conv_full_accumulator(net *n, int32_t bias_value)
{
    conv(n);
    memset(n->data[T("w")], 127, n->t[T("w")].data_bytes);
    for (int32_t k = 0; k < 4; k++)
        set_int(n, T("b"), k, bias_value);
}
static void conv_accumulator_at_bound(net *n) { conv_full_accumulator(n, ACC_BOUND_BIAS); }

static void add_constant_operand(net *n)
{
    add(n);
    n->t[T("x2")].data = n->data[T("x2")];
    set_shape(n, T("x2"), LIST(1, 1, 1, 2));
    io(n, LIST(T("x")), LIST(T("y")));
}

/* The graph input may also be a graph output. */
static void output_is_input(net *n)
{
    reshapes(n);
    io(n, LIST(T("x")), LIST(T("y"), T("x")));
}

/* ---- Operators and options. */

static void conv_then_tanh(net *n)
{
    conv(n);
    int32_t z = act(n, "z", LIST(1, 4, 4, 4), 1.0f / 128, 0);
    op(n, 28 /* TANH */, NO_OPTS, LIST(T("y")), z);
    io(n, LIST(T("x")), LIST(z));
}
/* Two operators msf cannot run: both named in one message. */
static void two_unsupported(net *n)
{
    conv(n);
    int32_t z = act(n, "z", LIST(1, 4, 4, 4), 1.0f / 128, 0);
    op(n, 28 /* TANH */, NO_OPTS, LIST(T("y")), z);
    int32_t w = act(n, "w", LIST(1, 4, 4, 4), 1.0f / 128, 0);
    op(n, 200, NO_OPTS, LIST(z), w);
    io(n, LIST(T("x")), LIST(w));
}
static void opcode_200(net *n) { conv(n); n->ops[0].opcode = 200; }
static void conv_tanh_activation(net *n) { conv(n); n->ops[0].options.activation = 4; }
static void conv_padding_2(net *n) { conv(n); n->ops[0].options.padding = 2; }
static void conv_stride_0(net *n) { conv(n); n->ops[0].options.stride_h = 0; }
static void conv_dilation(net *n)
{
    conv(n);
    n->ops[0].options.dilation_h = n->ops[0].options.dilation_w = 2;
}
static void conv_no_weights(net *n) { conv(n); n->ops[0].n_inputs = 1; }
static void conv_two_outputs(net *n)
{
    conv(n);
    n->ops[0].n_outputs = 2;
    n->io[0][4] = T("x");
}
static void conv_int32_output(net *n) { conv(n); n->t[T("y")].type = INT32; }
static void conv_batch_2(net *n) { conv(n); set_shape(n, T("x"), LIST(2, 4, 4, 2)); }
static void conv_rank5_input(net *n) { conv(n); set_shape(n, T("x"), LIST(1, 1, 4, 4, 2)); }
static void conv_float_input(net *n) { conv(n); n->t[T("x")].type = FLOAT32; }
static void conv_weights_not_constant(net *n) { conv(n); unconst(n, T("w")); }
static void conv_weights_3_channels(net *n) { conv(n); set_shape(n, T("w"), LIST(4, 3, 3, 3)); }
static void conv_same_wrong_output(net *n) { conv(n); set_shape(n, T("y"), LIST(1, 3, 3, 4)); }
static void conv_valid_wrong_output(net *n) { conv_valid(n); set_shape(n, T("y"), LIST(1, 2, 2, 4)); }
static void conv_valid_kernel_too_big(net *n)
{
    conv_valid(n);
    set_shape(n, T("w"), LIST(4, 5, 5, 2));
}
static void conv_weight_zero_point(net *n) { conv(n); n->zps[T("w")][1] = 3; }
static void conv_two_scales(net *n) { conv(n); n->t[T("w")].n_quant = 2; }
static void conv_bias_3(net *n) { conv(n); set_shape(n, T("b"), LIST(3)); }
static void conv_bias_int8(net *n)
{
    conv(n);
    n->t[T("b")].type = INT8;
    set_shape(n, T("b"), LIST(4));
}
static void conv_bias_not_constant(net *n) { conv(n); unconst(n, T("b")); }
static void conv_accumulator_overflow(net *n) { conv_full_accumulator(n, ACC_BOUND_BIAS + 1); }
/* s_in * s_w / s_out = 0.05 * 1e10 / 0.1 needs a left shift of 33 (at most 30). */
static void conv_huge_weight_scale(net *n)
{
    conv(n);
    n->t[T("w")].n_quant = 1;
    n->scales[T("w")][0] = 1e10f;
}

static void depthwise_3_channels(net *n) { depthwise(n); set_shape(n, T("w"), LIST(1, 3, 3, 3)); }

static void fc_3d_weights(net *n) { fully_connected(n); set_shape(n, T("w"), LIST(4, 2, 4)); }
static void fc_rows_of_3(net *n) { fully_connected(n); set_shape(n, T("w"), LIST(4, 3)); }
static void fc_wrong_output(net *n) { fully_connected(n); set_shape(n, T("y"), LIST(2, 5)); }

/* The writer has no weights_format: write keep_num_dims = 1 (field 2) and
 * relabel its vtable slot as field 1, so operator 0 has weights_format 1
 * (SHUFFLED4x16INT8) and keep_num_dims false. */
static void keep_num_dims_to_weights_format(uint8_t *img, size_t size)
{
    fb_ctx fb = {img, size, NULL, 0};
    fb_table root, subgraph, op0, opts;
    fb_vec subgraphs, ops;
    if (fb_root(&fb, &root) < 0 || fb_get_vec(&fb, &root, TFL_MODEL_SUBGRAPHS, 4, &subgraphs) <= 0 ||
        fb_vec_table(&fb, &subgraphs, 0, &subgraph) < 0 ||
        fb_get_vec(&fb, &subgraph, TFL_SUBGRAPH_OPERATORS, 4, &ops) <= 0 ||
        fb_vec_table(&fb, &ops, 0, &op0) < 0 ||
        fb_get_table(&fb, &op0, TFL_OPERATOR_OPTIONS, &opts) <= 0 || opts.vt_size < 10) {
        fprintf(stderr, "test bug: no FullyConnectedOptions vtable to patch\n");
        abort();
    }
    memcpy(img + opts.vt + 6, img + opts.vt + 8, 2);
    memset(img + opts.vt + 8, 0, 2);
}
static void fc_shuffled_weights(net *n)
{
    fully_connected(n);
    n->ops[0].options.keep_num_dims = 1;
    n->patch = keep_num_dims_to_weights_format;
}

static void add_no_broadcast(net *n) { add(n); set_shape(n, T("x2"), LIST(1, 4, 3, 2)); }
static void mul_wrong_output(net *n) { mul(n); set_shape(n, T("y"), LIST(1, 4, 2, 2)); }
/* 0.05 * 0.02 / 1e-13 needs a left shift of 34. */
static void mul_tiny_output_scale(net *n) { mul(n); n->scales[T("y")][0] = 1e-13f; }

static void avg_pool_requantizes(net *n) { avg_pool(n); n->zps[T("y")][0] = 1; }
/* 4100 x 4100 int8 taps of -128 sum below INT32_MIN. */
static void avg_pool_sum_overflow(net *n)
{
    avg_pool(n);
    set_shape(n, T("x"), LIST(1, 4100, 4100, 1));
    set_shape(n, T("y"), LIST(1, 1, 1, 1));
    n->ops[0].options.filter_h = n->ops[0].options.filter_w = 4100;
}
static void max_pool_rank3(net *n)
{
    max_pool(n);
    set_shape(n, T("x"), LIST(4, 4, 2));
}
static void max_pool_filter_0(net *n) { max_pool(n); n->ops[0].options.filter_w = 0; }

static void mean_axis_4(net *n) { mean(n); set_int(n, T("axes"), 1, 4); }
static void mean_drops_dims(net *n) { mean(n); n->ops[0].options.keep_dims = 0; }
static void mean_no_axes(net *n) { mean(n); n->ops[0].n_inputs = 1; }
static void mean_axes_not_constant(net *n) { mean(n); unconst(n, T("axes")); }
static void mean_9_axes(net *n) { mean(n); set_shape(n, T("axes"), LIST(9)); }
/* int64 axes as some exporters write them, one out of int32 range. */
static void mean_int64_axis(net *n)
{
    mean(n);
    n->t[T("axes")].type = INT64;
    set_shape(n, T("axes"), LIST(2));
    set_int(n, T("axes"), 0, 1);
    set_int(n, T("axes"), 1, (int64_t)1 << 40);
}
/* 2^23 elements could sum past int32 (2^23 * 255 > 2^31). */
static void mean_too_large(net *n)
{
    mean(n);
    set_shape(n, T("x"), LIST(1, 2048, 2048, 2));
}

static void softmax_scale(net *n) { softmax(n); n->scales[T("y")][0] = 1.0f / 128; }
static void softmax_zero_point(net *n) { softmax(n); n->zps[T("y")][0] = 0; }
static void softmax_wrong_output(net *n) { softmax(n); set_shape(n, T("y"), LIST(1, 9)); }
static void logistic_zero_point(net *n) { logistic(n); n->zps[T("y")][0] = 0; }
static void logistic_wrong_output(net *n) { logistic(n); set_shape(n, T("y"), LIST(1, 7)); }
/* The output step must not be finer than the input's hi-res step (s_in / 128). */
static void hard_swish_fine_output(net *n) { hard_swish(n); n->scales[T("y")][0] = 1e-4f; }

static void concat_requantizes(net *n) { concatenation(n); n->scales[T("x2")][0] = 0.06f; }
static void concat_mismatched_dims(net *n) { concatenation(n); set_shape(n, T("x2"), LIST(1, 2, 3, 1)); }
static void concat_rank3_input(net *n) { concatenation(n); set_shape(n, T("x2"), LIST(2, 2, 1)); }
static void concat_relu(net *n) { concatenation(n); n->ops[0].options.activation = 1; }
static void concat_axis_4(net *n) { concatenation(n); n->ops[0].options.axis = 4; }
static void concat_wrong_sum(net *n) { concatenation(n); set_shape(n, T("y"), LIST(1, 2, 2, 5)); }
static void concat_9_inputs(net *n)
{
    concatenation(n);
    n->ops[0] = (tfw_operator){TFL_OP_CONCATENATION, 1, 9, n->io[0], 1, &n->io[0][9], n->ops[0].options};
    for (int32_t k = 0; k < 9; k++)
        n->io[0][k] = T("x2");
    n->io[0][9] = T("y");
    set_shape(n, T("y"), LIST(1, 2, 2, 9));
}

static void pad_negative(net *n) { pad(n); set_int(n, T("paddings"), 2, -1); }
static void pad_6_values(net *n) { pad(n); set_shape(n, T("paddings"), LIST(6)); }
static void padv2_two_values(net *n) { padv2(n); set_shape(n, T("value"), LIST(2)); }

static void transpose_repeats(net *n) { transpose(n); set_int(n, T("perm"), 2, 3); }
static void transpose_3_entries(net *n) { transpose(n); set_shape(n, T("perm"), LIST(3)); }
static void resize_zero_size(net *n) { resize(n); set_int(n, T("size"), 0, 0); }
static void reshape_wrong_count(net *n) { reshapes(n); set_shape(n, T("y"), LIST(2, 3)); }
/* x becomes a copy of the int8 y. */
static void quantize_int8_input(net *n)
{
    quantize(n);
    int32_t x = T("x");
    n->t[x] = n->t[T("y")];
    n->t[x].name = "x";
}
static void dequantize_int8_output(net *n)
{
    dequantize(n);
    int32_t y = T("y");
    n->t[y] = n->t[T("x")];
    n->t[y].name = "y";
}

/* ---- Dataflow. reshapes: op 0 x -> m, op 1 m -> y. */

static void ops_swapped(net *n)
{
    reshapes(n);
    tfw_operator first = n->ops[0];
    n->ops[0] = n->ops[1];
    n->ops[1] = first;
}
static void ops_in_a_cycle(net *n)
{
    reshapes(n);
    n->io[0][0] = T("y"); /* op 0 reads what op 1 writes, and op 1 what op 0 writes */
}
static void reads_unproduced(net *n)
{
    reshapes(n);
    int32_t z = act(n, "z", LIST(1, 8), 0.05f, 0);
    n->io[1][0] = z;
}
static void two_writers(net *n)
{
    reshapes(n);
    n->io[1][0] = T("x");
    n->io[1][1] = T("m");
    io(n, LIST(T("x")), LIST(T("m")));
}
static void overwrites_input(net *n) { reshapes(n); n->io[1][1] = T("x"); }
static void writes_constant(net *n)
{
    reshapes(n);
    n->t[T("y")].data = n->data[T("y")];
    set_shape(n, T("y"), LIST(2, 4));
}
static void output_unproduced(net *n)
{
    reshapes(n);
    int32_t z = act(n, "z", LIST(1, 8), 0.05f, 0);
    io(n, LIST(T("x")), LIST(T("y"), z));
}
static void output_constant(net *n) { conv(n); io(n, LIST(T("x")), LIST(T("y"), T("w"))); }
static void input_constant(net *n) { conv(n); io(n, LIST(T("x"), T("w")), LIST(T("y"))); }
/* An extra graph input no operator reads, of a type msf does not compute with. */
static void input_int16(net *n)
{
    reshapes(n);
    int32_t z = tensor(n, "z", INT16, LIST(1, 8), 0.05f, 0, 0);
    io(n, LIST(T("x"), z), LIST(T("y")));
}
static void no_inputs(net *n) { reshapes(n); n->n_inputs = 0; }
static void no_outputs(net *n) { reshapes(n); n->n_outputs = 0; }
static void no_operators(net *n) { reshapes(n); n->n_ops = 0; }

/* ---- Tensors. */

static void unquantized_activation(net *n) { conv(n); n->t[T("y")].n_quant = 0; }
static void zero_scale(net *n) { conv(n); n->scales[T("x")][0] = 0.0f; }
static void nan_scale(net *n) { conv(n); n->scales[T("y")][0] = NAN; }
static void negative_weight_scale(net *n) { conv(n); n->scales[T("w")][3] = -0.01f; }
static void zero_point_200(net *n) { conv(n); n->zps[T("x")][0] = 200; }
static void zero_dimension(net *n) { conv(n); set_shape(n, T("y"), LIST(1, 0, 4, 4)); }
static void half_gib_activation(net *n) { conv(n); set_shape(n, T("y"), LIST(1, 1024, 1024, 512)); }

typedef struct {
    const char *what;
    void (*build)(net *n);
    const char *where; /* the message's start; NULL: the model is valid */
    const char *detail; /* a part of the rest */
} graph_case;

static const graph_case cases[] = {
    {"conv SAME", conv, NULL, NULL},
    {"conv VALID stride 2", conv_valid, NULL, NULL},
    {"depthwise multiplier 2", depthwise, NULL, NULL},
    {"fully connected", fully_connected, NULL, NULL},
    {"add broadcast", add, NULL, NULL},
    {"mul broadcast", mul, NULL, NULL},
    {"average pool", avg_pool, NULL, NULL},
    {"max pool", max_pool, NULL, NULL},
    {"mean", mean, NULL, NULL},
    {"softmax", softmax, NULL, NULL},
    {"logistic", logistic, NULL, NULL},
    {"hard swish", hard_swish, NULL, NULL},
    {"concatenation", concatenation, NULL, NULL},
    {"pad", pad, NULL, NULL},
    {"padv2", padv2, NULL, NULL},
    {"transpose", transpose, NULL, NULL},
    {"resize nearest", resize, NULL, NULL},
    {"two reshapes", reshapes, NULL, NULL},
    {"quantize", quantize, NULL, NULL},
    {"dequantize", dequantize, NULL, NULL},
    {"conv with a dead channel", conv_dead_channel, NULL, NULL},
    {"conv accumulator bound exactly INT32_MAX", conv_accumulator_at_bound, NULL, NULL},
    {"add with a constant operand", add_constant_operand, NULL, NULL},
    {"graph input also an output", output_is_input, NULL, NULL},

    {"TANH", conv_then_tanh, "operator 1 (TANH): ", "operator not supported"},
    {"TANH and op code 200", two_unsupported, "2 operators msf cannot run: operator 1 (TANH): ",
     "operator not supported; operator 2 (CODE_200): operator not supported"},
    {"op code 200", opcode_200, "operator 0 (CODE_200): ", "operator not supported"},
    {"fused TANH", conv_tanh_activation, "operator 0 (CONV_2D): ", "fused activation 4 not supported"},
    /* The reader refuses enum values outside the schema before any graph check. */
    {"padding 2", conv_padding_2, "operator 0: Conv2DOptions: ", "padding 2 is out of range"},
    {"stride 0", conv_stride_0, "operator 0 (CONV_2D): ", "stride 0 and kernel 3 must be in 1..65536"},
    {"dilation 2", conv_dilation, "operator 0 (CONV_2D): ", "dilation 2x2 not supported"},
    {"conv without weights", conv_no_weights, "operator 0 (CONV_2D): ", "input 1 is missing"},
    {"two outputs", conv_two_outputs, "operator 0 (CONV_2D): ", "has 2 outputs, expected 1"},
    {"int32 output", conv_int32_output, "operator 0 (CONV_2D): ", "output (tensor 3) must be int8"},
    {"batch 2", conv_batch_2, "operator 0 (CONV_2D): ", "expects a 1xHxWxC input"},
    {"rank-5 input", conv_rank5_input, "operator 0 (CONV_2D): ",
     "input 0 (tensor 0): type or rank 5 not supported"},
    {"float input", conv_float_input, "operator 0 (CONV_2D): ",
     "input 0 (tensor 0) is float32, expected int8"},
    {"weights not constant", conv_weights_not_constant, "operator 0 (CONV_2D): ",
     "input 1 (tensor 1) must be a constant"},
    {"weights for 3 channels", conv_weights_3_channels, "operator 0 (CONV_2D): ",
     "weights 4x3x3x3 do not match 2 input channels"},
    {"SAME output shape", conv_same_wrong_output, "operator 0 (CONV_2D): ",
     "output shape is 1x3x3x4, expected 1x4x4x4"},
    {"VALID output shape", conv_valid_wrong_output, "operator 0 (CONV_2D): ",
     "output shape is 1x2x2x4, expected 1x1x1x4"},
    {"VALID kernel > input", conv_valid_kernel_too_big, "operator 0 (CONV_2D): ",
     "VALID padding with kernel 5 larger than input 4"},
    {"weight zero point", conv_weight_zero_point, "operator 0 (CONV_2D): ", "weight zero point 3 is not 0"},
    {"2 scales for 4 channels", conv_two_scales, "operator 0 (CONV_2D): ",
     "weights have 2 scales, expected 1 or 4"},
    {"bias of 3", conv_bias_3, "operator 0 (CONV_2D): ", "bias has 3 elements, expected 4"},
    {"int8 bias", conv_bias_int8, "operator 0 (CONV_2D): ", "input 2 (tensor 2) is int8, expected int32"},
    {"bias not constant", conv_bias_not_constant, "operator 0 (CONV_2D): ",
     "input 2 (tensor 2) must be a constant"},
    {"accumulator overflow", conv_accumulator_overflow, "operator 0 (CONV_2D): ",
     "output channel 0 could overflow the int32 accumulator"},
    {"shift out of range", conv_huge_weight_scale, "operator 0 (CONV_2D): ",
     "quantization scales out of the range TFLite supports"},
    {"depthwise 3 of 2 channels", depthwise_3_channels, "operator 0 (DEPTHWISE_CONV_2D): ",
     "weights 1x3x3x3 do not match 2 input channels"},
    {"FC 3-D weights", fc_3d_weights, "operator 0 (FULLY_CONNECTED): ", "weights must be 2-D"},
    {"FC rows of 3", fc_rows_of_3, "operator 0 (FULLY_CONNECTED): ",
     "input of 16 elements is not a whole number of rows of 3"},
    {"FC output size", fc_wrong_output, "operator 0 (FULLY_CONNECTED): ",
     "output must hold 2 rows of 4 units"},
    {"FC shuffled weights", fc_shuffled_weights, "operator 0 (FULLY_CONNECTED): ",
     "weights format 1 not supported"},
    {"add no broadcast", add_no_broadcast, "operator 0 (ADD): ",
     "operand shapes do not broadcast (axis 2: 4 vs 3)"},
    {"mul output shape", mul_wrong_output, "operator 0 (MUL): ",
     "output shape does not match the broadcast of its operands"},
    {"mul shift out of range", mul_tiny_output_scale, "operator 0 (MUL): ",
     "quantization scales out of the range TFLite supports"},
    {"avg pool requantizes", avg_pool_requantizes, "operator 0 (AVERAGE_POOL_2D): ",
     "input and output quantization differ"},
    {"avg pool sum overflow", avg_pool_sum_overflow, "operator 0 (AVERAGE_POOL_2D): ",
     "a window of 16810000 inputs could overflow the int32 sum"},
    {"max pool rank 3", max_pool_rank3, "operator 0 (MAX_POOL_2D): ", "expects a 1xHxWxC input"},
    {"max pool filter 0", max_pool_filter_0, "operator 0 (MAX_POOL_2D): ",
     "stride 2 and kernel 0 must be in 1..65536"},
    {"mean axis 4", mean_axis_4, "operator 0 (MEAN): ", "axis 4 out of range for rank 4"},
    {"mean output shape", mean_drops_dims, "operator 0 (MEAN): ", "output shape is 1x1x1x2, expected 1x2"},
    {"mean without axes", mean_no_axes, "operator 0 (MEAN): ", "input 1 is missing"},
    {"mean axes not constant", mean_axes_not_constant, "operator 0 (MEAN): ",
     "input 1 must be a constant int32 tensor"},
    {"mean 9 axes", mean_9_axes, "operator 0 (MEAN): ", "input 1 has 9 values, at most 8 expected"},
    {"mean int64 axis 2^40", mean_int64_axis, "operator 0 (MEAN): ",
     "input 1 value 1099511627776 out of range"},
    {"mean of 2^23", mean_too_large, "operator 0 (MEAN): ", "input of 8388608 elements is too large"},
    {"softmax scale", softmax_scale, "operator 0 (SOFTMAX): ", "output quantization must be scale 1/256"},
    {"softmax zero point", softmax_zero_point, "operator 0 (SOFTMAX): ",
     "output quantization must be scale 1/256"},
    {"softmax output shape", softmax_wrong_output, "operator 0 (SOFTMAX): ",
     "output shape is 1x9, expected 1x10"},
    {"logistic zero point", logistic_zero_point, "operator 0 (LOGISTIC): ", "output zero point must be -128"},
    {"logistic 7 outputs", logistic_wrong_output, "operator 0 (LOGISTIC): ",
     "input has 8 elements, output 7"},
    {"hard swish output scale", hard_swish_fine_output, "operator 0 (HARD_SWISH): ",
     "output scale too small for the input scale"},
    {"concat requantizes", concat_requantizes, "operator 0 (CONCATENATION): ",
     "input 1 quantization differs from the output's"},
    {"concat mismatched dims", concat_mismatched_dims, "operator 0 (CONCATENATION): ",
     "input 1 differs from the output on axis 2"},
    {"concat rank 3 input", concat_rank3_input, "operator 0 (CONCATENATION): ",
     "input 1 has rank 3, output 4"},
    {"concat RELU", concat_relu, "operator 0 (CONCATENATION): ",
     "fused activation on concatenation not supported"},
    {"concat axis 4", concat_axis_4, "operator 0 (CONCATENATION): ", "axis 4 out of range for rank 4"},
    {"concat sum", concat_wrong_sum, "operator 0 (CONCATENATION): ",
     "inputs add up to 4 along axis 3, output has 5"},
    {"concat 9 inputs", concat_9_inputs, "operator 0 (CONCATENATION): ", "more than 8 inputs"},
    {"pad -1", pad_negative, "operator 0 (PAD): ", "padding -1,1 of axis 1 out of range"},
    {"pad 6 values", pad_6_values, "operator 0 (PAD): ", "paddings have 6 values, expected 8"},
    {"padv2 2 values", padv2_two_values, "operator 0 (PADV2): ", "the pad value must be one int8"},
    {"transpose 0,3,3,2", transpose_repeats, "operator 0 (TRANSPOSE): ", "is not a permutation of 0..3"},
    {"transpose 3 entries", transpose_3_entries, "operator 0 (TRANSPOSE): ",
     "permutation has 3 entries for rank 4"},
    {"resize to 0", resize_zero_size, "operator 0 (RESIZE_NEAREST_NEIGHBOR): ", "a positive 2-value size"},
    {"reshape 8 to 6", reshape_wrong_count, "operator 1 (RESHAPE): ", "input has 8 elements, output 6"},
    {"quantize int8", quantize_int8_input, "operator 0 (QUANTIZE): ",
     "input 0 (tensor 0) is int8, expected float32"},
    {"dequantize to int8", dequantize_int8_output, "operator 0 (DEQUANTIZE): ",
     "output (tensor 1) must be float32"},

    {"out of order", ops_swapped, "operator 0 (RESHAPE): ",
     "input tensor 1 is read before any operator produces it"},
    {"cycle", ops_in_a_cycle, "operator 0 (RESHAPE): ",
     "input tensor 2 is read before any operator produces it"},
    {"read of an unproduced tensor", reads_unproduced, "operator 1 (RESHAPE): ",
     "input tensor 3 is read before any operator produces it"},
    {"two writers", two_writers, "operator 1 (RESHAPE): ", "output tensor 1 is already produced"},
    {"write to the graph input", overwrites_input, "operator 1 (RESHAPE): ",
     "output tensor 0 is already produced"},
    {"write to a constant", writes_constant, "operator 1 (RESHAPE): ",
     "output tensor 2 is already a constant"},
    {"output never produced", output_unproduced, "graph output tensor 3 ", "is never produced"},
    {"constant output", output_constant, "graph output tensor 1 ", "is never produced"},
    {"constant input", input_constant, "graph input tensor 1 ", "is a constant"},
    {"int16 input", input_int16, "graph input tensor 3 (z): ", "type or rank not supported"},
    {"no inputs", no_inputs, "the graph has no inputs", ""},
    {"no outputs", no_outputs, "the graph has no outputs", ""},
    {"no operators", no_operators, "the graph has no operators", ""},

    {"no quantization", unquantized_activation, "tensor 3 (y): ",
     "int8 activation without quantization parameters"},
    {"scale 0", zero_scale, "tensor 0 (x): ", "scale 0 is out of range"},
    {"scale NaN", nan_scale, "tensor 3 (y): ", "is out of range"},
    {"negative weight scale", negative_weight_scale, "tensor 1 (w): ", "scale -0.01 is out of range"},
    {"zero point 200", zero_point_200, "tensor 0 (x): ", "zero point 200 outside int8"},
    {"dimension 0", zero_dimension, "tensor 3 (y): ", "dimension 1 is 0"},
    {"512 MiB activation", half_gib_activation, "tensor 3 (y): ", "bytes is too large"},
};

static void fail(const char *what, const char *problem, const char *err)
{
    check_failed++;
    fprintf(stderr, "%s: %s%s%s\n", what, problem, err ? ": " : "", err ? err : "");
}

/* Lays the graph out, fills its inputs and runs it. */
static const char *run_problem(msf_graph *g)
{
    built_plan layers;
    if (plan_build_layers(g, 0, &layers) != 0)
        return "arena layout failed";
    uint32_t bytes = layers.plan.arena_bytes;
    uint8_t *arena = malloc(bytes ? bytes : 1);
    if (!arena) {
        built_plan_free(&layers);
        return "out of memory";
    }
    for (int32_t i = 0; i < g->model.n_inputs; i++) {
        int32_t t = g->model.inputs[i];
        uint8_t *p = msf_tensor_data(&g->model, &layers.plan, arena, t);
        if (g->tensors[t].dtype == MSF_FLOAT32)
            for (uint32_t k = 0; k < g->tensors[t].bytes / 4; k++)
                memcpy(p + 4 * k, &(float){0.37f * (float)k - 1.0f}, 4);
        else
            for (uint32_t k = 0; k < g->tensors[t].bytes; k++)
                p[k] = (uint8_t)(k * 29 + 7);
    }
    msf_status s = msf_run_plan(&g->model, &layers.plan, arena, bytes, NULL);
    free(arena);
    built_plan_free(&layers);
    return s == MSF_OK ? NULL : "run failed";
}

static void run_case(const graph_case *c)
{
    static net n;
    memset(&n, 0, sizeof n);
    c->build(&n);
    tfw_model m = {.n_tensors = n.n_tensors, .tensors = n.t, .n_ops = n.n_ops, .ops = n.ops,
                   .n_inputs = n.n_inputs, .inputs = n.inputs, .n_outputs = n.n_outputs, .outputs = n.outputs};
    size_t size;
    uint8_t *buf = tflite_write(&m, &size);
    if (!buf) {
        fail(c->what, "the writer refused the description", NULL);
        return;
    }
    if (n.patch)
        n.patch(buf, size);
    msf_graph g;
    char err[512];
    memset(err, 'x', sizeof err);
    if (graph_from_tflite(buf, size, &g, err, sizeof err) == 0) {
        const char *problem = c->where ? "accepted" : run_problem(&g);
        graph_free(&g);
        if (problem)
            fail(c->what, problem, NULL);
        else
            check_passed++;
        return;
    }
    if (!memchr(err, '\0', sizeof err) || strchr(err, '\n'))
        fail(c->what, "refused without a one-line message", NULL);
    else if (!c->where)
        fail(c->what, "refused", err);
    else if (strncmp(err, c->where, strlen(c->where)) != 0 || !strstr(err + strlen(c->where), c->detail))
        fail(c->what, "wrong message", err);
    else
        check_passed++;
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0], refusals = 0;
    for (size_t i = 0; i < n; i++) {
        run_case(&cases[i]);
        refusals += cases[i].where != NULL;
    }
    printf("%zu valid models run, %zu refusals checked\n", n - refusals, refusals);
    return check_summary();
}
