/* A small MobileNetV2-like int8 CNN (48x48x3 image, 10 classes) with the
 * quantization conventions of TFLite's converter: int8 activations,
 * symmetric per-channel int8 weights for convolutions, per-tensor for the
 * fully connected layer, int32 biases scaled by s_in * s_w, RELU6 outputs
 * at scale 6/255 and zero point -128, softmax output at 1/256 and -128.
 *
 * Weights are pseudo-random; their scales are chosen from a rough estimate
 * of each layer's input RMS so that every pre-activation has about the
 * standard deviation asked for, which keeps activations inside their
 * quantization ranges and the output dependent on the input. */
#include "demo_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tflite_writer.h"

#define MAX_TENSORS 64
#define MAX_OPS 24
#define MAX_OP_INPUTS 3
#define POOL_BYTES 65536

#define IN_H 48
#define IN_W 48
#define IN_C 3
#define N_CLASSES 10
#define FEATURES 64                /* channels of the last convolution */
#define WEIGHT_SEED 2024

/* TFLite enum values (schema.fbs). */
enum { TYPE_INT32 = 2, TYPE_INT8 = 9 };
enum { OP_ADD = 0, OP_AVERAGE_POOL_2D = 1, OP_CONV_2D = 3, OP_DEPTHWISE_CONV_2D = 4,
       OP_FULLY_CONNECTED = 9, OP_RESHAPE = 22, OP_SOFTMAX = 25 };
enum { PADDING_SAME = 0, PADDING_VALID = 1 };
enum { ACT_NONE = 0, ACT_RELU6 = 3 };

enum { FULL = 0, DEPTHWISE = 1 };  /* kinds of convolution */

/* Operator versions TFLite's converter gives these ops with int8 tensors. */
enum { V_CONV_2D = 3, V_DEPTHWISE_CONV_2D = 3, V_ADD = 2, V_AVERAGE_POOL_2D = 2, V_RESHAPE = 1,
       V_FULLY_CONNECTED = 4, V_SOFTMAX = 2 };

#define RELU6_PRE_STD 2.0          /* pre-activation spread before a RELU6 */
#define WEIGHT_RMS 73.3            /* RMS of integers uniform in [-127, 127] */

typedef struct {
    tfw_tensor tensors[MAX_TENSORS];
    double rms[MAX_TENSORS];       /* rough RMS of each activation's real values */
    int32_t n_tensors;
    tfw_operator ops[MAX_OPS];
    int32_t op_io[MAX_OPS][MAX_OP_INPUTS + 1];
    int32_t n_ops;
    uint8_t *pool;                 /* every array the description points to */
    size_t pool_used;
    uint32_t rng;
    int failed;
} demo;

/* An activation's quantization and the spread its producer aims for:
 * RELU6 outputs use 6/255 and -128; linear outputs cover +-4 std. */
typedef struct {
    int act;
    double std;
    int32_t zero_point;
} out_spec;

static const out_spec RELU6_OUT = {ACT_RELU6, RELU6_PRE_STD, -128};

static out_spec linear_out(double std, int32_t zero_point)
{
    out_spec o = {ACT_NONE, std, zero_point};
    return o;
}

static double out_scale(out_spec o)
{
    return o.act == ACT_RELU6 ? 6.0 / 255.0 : 8.0 * o.std / 255.0;
}

static double out_rms(out_spec o)
{
    return o.act == ACT_RELU6 ? o.std / sqrt(2.0) : o.std;
}

/* The C library's classic LCG: x = (1103515245 * x + 12345) mod 2^31,
 * drawing bits 16..30 of x (the reference vectors use the low 8 of them). */
static uint32_t lcg_next(uint32_t *x)
{
    *x = (1103515245u * *x + 12345u) & 0x7fffffffu;
    return *x >> 16;
}

static double uniform(demo *d)
{
    return lcg_next(&d->rng) / 32768.0;
}

static int8_t random_weight(demo *d)
{
    return (int8_t)((int32_t)(lcg_next(&d->rng) % 255) - 127);
}

static void *pool_alloc(demo *d, size_t bytes)
{
    size_t at = (d->pool_used + 7) & ~(size_t)7;
    if (d->failed || bytes > POOL_BYTES - at) {
        d->failed = 1;
        return NULL;
    }
    d->pool_used = at + bytes;
    return d->pool + at;
}

static const char *pool_name(demo *d, const char *base, const char *suffix)
{
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *s = pool_alloc(d, n);
    if (s)
        snprintf(s, n, "%s%s", base, suffix);
    return s;
}

/* Adds a tensor of the given shape; returns its index, or -1. */
static int32_t add_tensor(demo *d, const char *name, int32_t type, int32_t rank,
                          const int32_t *shape)
{
    if (d->failed || d->n_tensors == MAX_TENSORS || !name) {
        d->failed = 1;
        return -1;
    }
    tfw_tensor *t = &d->tensors[d->n_tensors];
    memset(t, 0, sizeof *t);
    t->name = name;
    t->type = type;
    t->rank = rank;
    memcpy(t->shape, shape, (size_t)rank * sizeof *shape);
    return d->n_tensors++;
}

/* Gives tensor t n scales along dim, with zero points all 0; returns the
 * zero points for the caller to change, or NULL. */
static int64_t *set_quant(demo *d, int32_t t, int32_t n, const float *scales, int32_t dim)
{
    int64_t *zp = pool_alloc(d, (size_t)n * sizeof *zp);
    if (!zp)
        return NULL;
    memset(zp, 0, (size_t)n * sizeof *zp);
    d->tensors[t].n_quant = n;
    d->tensors[t].scales = scales;
    d->tensors[t].zero_points = zp;
    d->tensors[t].quantized_dimension = dim;
    return zp;
}

/* An int8 activation [1, h, w, c] (or [1, c] when h is 0). */
static int32_t activation(demo *d, const char *name, int32_t h, int32_t w, int32_t c,
                          double scale, int32_t zero_point, double rms)
{
    int32_t shape[4] = {1, h, w, c};
    int32_t t = h ? add_tensor(d, name, TYPE_INT8, 4, shape)
                  : add_tensor(d, name, TYPE_INT8, 2, (int32_t[]){1, c});
    float *s = pool_alloc(d, sizeof *s);
    int64_t *zp = t >= 0 && s ? set_quant(d, t, 1, s, 0) : NULL;
    if (!zp)
        return -1;
    *s = (float)scale;
    *zp = zero_point;
    d->rms[t] = rms;
    return t;
}

static int32_t out_activation(demo *d, const char *name, int32_t h, int32_t w, int32_t c,
                              out_spec o)
{
    return activation(d, name, h, w, c, out_scale(o), o.zero_point, out_rms(o));
}

static int32_t add_op(demo *d, int32_t opcode, int32_t version, int32_t n_in,
                      const int32_t *in, int32_t out, tfw_options opt)
{
    if (d->failed || d->n_ops == MAX_OPS || out < 0) {
        d->failed = 1;
        return -1;
    }
    int32_t *io = d->op_io[d->n_ops];
    tfw_operator *op = &d->ops[d->n_ops++];
    memcpy(io, in, (size_t)n_in * sizeof *in);
    io[n_in] = out;
    op->opcode = opcode;
    op->version = version;
    op->n_inputs = n_in;
    op->inputs = io;
    op->n_outputs = 1;
    op->outputs = io + n_in;
    op->options = opt;
    return out;
}

/* Symmetric int8 weights of the given shape, quantized along dim with
 * n_scales scales; each scale sets the weights' real RMS to about w_rms.
 * Returns the weight tensor; the scales are in d->tensors[t].scales. */
static int32_t weights(demo *d, const char *name, int32_t rank, const int32_t *shape,
                       int32_t dim, int32_t n_scales, double w_rms)
{
    int32_t t = add_tensor(d, name, TYPE_INT8, rank, shape);
    size_t n = 1;
    for (int32_t i = 0; i < rank; i++)
        n *= (size_t)shape[i];
    int8_t *w = pool_alloc(d, n);
    float *s = pool_alloc(d, (size_t)n_scales * sizeof *s);
    if (t < 0 || !w || !s || !set_quant(d, t, n_scales, s, dim))
        return -1;
    for (size_t i = 0; i < n; i++)
        w[i] = random_weight(d);
    for (int32_t c = 0; c < n_scales; c++)
        s[c] = (float)(w_rms / WEIGHT_RMS * (0.75 + 0.5 * uniform(d)));
    d->tensors[t].data = w;
    d->tensors[t].data_bytes = n;
    return t;
}

/* int32 bias [n] with scales s_in * s_w (per channel like the weights w,
 * or one), real values up to +-bias_max; bytes stored little-endian. */
static int32_t bias(demo *d, const char *name, int32_t n, double s_in, int32_t w,
                    double bias_max)
{
    int32_t t = add_tensor(d, name, TYPE_INT32, 1, &n);
    int32_t n_scales = t >= 0 ? d->tensors[w].n_quant : 0;
    float *s = pool_alloc(d, (size_t)n_scales * sizeof *s);
    uint8_t *bytes = pool_alloc(d, (size_t)n * 4);
    if (t < 0 || !s || !bytes || !set_quant(d, t, n_scales, s, 0))
        return -1;
    for (int32_t c = 0; c < n_scales; c++)
        s[c] = (float)(s_in * d->tensors[w].scales[c]);
    for (int32_t c = 0; c < n; c++) {
        int32_t q = (int32_t)lround(bias_max * (2.0 * uniform(d) - 1.0) / s[n_scales > 1 ? c : 0]);
        for (int i = 0; i < 4; i++)
            bytes[4 * c + i] = (uint8_t)((uint32_t)q >> (8 * i));
    }
    d->tensors[t].data = bytes;
    d->tensors[t].data_bytes = (size_t)n * 4;
    return t;
}

static double in_scale(demo *d, int32_t t)
{
    return d->tensors[t].scales[0];
}

/* CONV_2D (kind FULL, out_c filters) or DEPTHWISE_CONV_2D (multiplier 1),
 * k x k, SAME padding. */
static int32_t conv(demo *d, const char *name, int32_t in, int kind, int32_t k,
                    int32_t stride, int32_t out_c, out_spec o)
{
    if (in < 0 || d->failed)
        return -1;
    int depthwise = kind == DEPTHWISE;
    const int32_t *s = d->tensors[in].shape;
    int32_t in_c = s[3], oh = (s[1] + stride - 1) / stride, ow = (s[2] + stride - 1) / stride;
    int32_t fan_in = depthwise ? k * k : k * k * in_c;
    double w_rms = o.std / (d->rms[in] * sqrt((double)fan_in));
    int32_t w = depthwise
        ? weights(d, pool_name(d, name, "/depthwise"), 4, (int32_t[]){1, k, k, out_c}, 3, out_c,
                  w_rms)
        : weights(d, pool_name(d, name, "/Conv2D"), 4, (int32_t[]){out_c, k, k, in_c}, 0, out_c,
                  w_rms);
    if (w < 0)
        return -1;
    int32_t b = bias(d, pool_name(d, name, "/BiasAdd/ReadVariableOp"), out_c, in_scale(d, in), w,
                     0.25 * o.std);
    int32_t out = out_activation(d, pool_name(d, name, o.act ? "/Relu6" : "/BiasAdd"), oh, ow,
                                 out_c, o);
    tfw_options opt = {.type = depthwise ? TFW_OPT_DEPTHWISE_CONV_2D : TFW_OPT_CONV_2D,
                       .padding = PADDING_SAME, .stride_w = stride, .stride_h = stride,
                       .dilation_w = 1, .dilation_h = 1, .depth_multiplier = 1,
                       .activation = o.act};
    return add_op(d, depthwise ? OP_DEPTHWISE_CONV_2D : OP_CONV_2D,
                  depthwise ? V_DEPTHWISE_CONV_2D : V_CONV_2D, 3, (int32_t[]){in, w, b}, out, opt);
}

/* Residual ADD: the two inputs are about independent, so their spreads
 * add in quadrature. */
static int32_t add(demo *d, const char *name, int32_t a, int32_t b, int32_t zero_point)
{
    if (a < 0 || b < 0 || d->failed)
        return -1;
    const int32_t *s = d->tensors[a].shape;
    double std = sqrt(d->rms[a] * d->rms[a] + d->rms[b] * d->rms[b]);
    int32_t out = out_activation(d, name, s[1], s[2], s[3], linear_out(std, zero_point));
    tfw_options opt = {.type = TFW_OPT_ADD, .activation = ACT_NONE};
    return add_op(d, OP_ADD, V_ADD, 2, (int32_t[]){a, b}, out, opt);
}

/* AVERAGE_POOL_2D over the whole map; TFLite needs the output's scale and
 * zero point equal to the input's. */
static int32_t global_pool(demo *d, const char *name, int32_t in)
{
    if (in < 0 || d->failed)
        return -1;
    const tfw_tensor *t = &d->tensors[in];
    int32_t h = t->shape[1], w = t->shape[2];
    int32_t out = activation(d, name, 1, 1, t->shape[3], t->scales[0],
                             (int32_t)t->zero_points[0], d->rms[in]);
    tfw_options opt = {.type = TFW_OPT_POOL_2D, .padding = PADDING_VALID, .stride_w = w,
                       .stride_h = h, .filter_w = w, .filter_h = h, .activation = ACT_NONE};
    return add_op(d, OP_AVERAGE_POOL_2D, V_AVERAGE_POOL_2D, 1, &in, out, opt);
}

/* RESHAPE to [1, C], with the shape both as a constant input and in the
 * options, as TFLite writes it. */
static int32_t flatten(demo *d, const char *name, int32_t in)
{
    if (in < 0 || d->failed)
        return -1;
    const tfw_tensor *t = &d->tensors[in];
    int32_t c = t->shape[3];
    int32_t two = 2;
    int32_t shape_t = add_tensor(d, pool_name(d, name, "/Const"), TYPE_INT32, 1, &two);
    uint8_t *bytes = pool_alloc(d, 8);
    if (shape_t < 0 || !bytes)
        return -1;
    const int32_t new_shape[2] = {1, c};
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)((uint32_t)new_shape[i / 4] >> (8 * (i % 4)));
    d->tensors[shape_t].data = bytes;
    d->tensors[shape_t].data_bytes = 8;
    int32_t out = activation(d, pool_name(d, name, "/Reshape"), 0, 0, c, t->scales[0],
                             (int32_t)t->zero_points[0], d->rms[in]);
    tfw_options opt = {.type = TFW_OPT_RESHAPE, .n_new_shape = 2, .new_shape = {1, c}};
    return add_op(d, OP_RESHAPE, V_RESHAPE, 2, (int32_t[]){in, shape_t}, out, opt);
}

static int32_t dense(demo *d, const char *name, int32_t in, int32_t n_out, out_spec o)
{
    if (in < 0 || d->failed)
        return -1;
    int32_t n_in = d->tensors[in].shape[1];
    double w_rms = o.std / (d->rms[in] * sqrt((double)n_in));
    int32_t w = weights(d, pool_name(d, name, "/MatMul"), 2, (int32_t[]){n_out, n_in}, 0, 1,
                        w_rms);
    if (w < 0)
        return -1;
    int32_t b = bias(d, pool_name(d, name, "/BiasAdd/ReadVariableOp"), n_out, in_scale(d, in), w,
                     0.25 * o.std);
    int32_t out = out_activation(d, pool_name(d, name, "/BiasAdd"), 0, 0, n_out, o);
    tfw_options opt = {.type = TFW_OPT_FULLY_CONNECTED, .activation = o.act};
    return add_op(d, OP_FULLY_CONNECTED, V_FULLY_CONNECTED, 3, (int32_t[]){in, w, b}, out, opt);
}

static int32_t softmax(demo *d, const char *name, int32_t in)
{
    if (in < 0 || d->failed)
        return -1;
    int32_t out = activation(d, name, 0, 0, d->tensors[in].shape[1], 1.0 / 256.0, -128, 0.0);
    tfw_options opt = {.type = TFW_OPT_SOFTMAX, .beta = 1.0f};
    return add_op(d, OP_SOFTMAX, V_SOFTMAX, 1, &in, out, opt);
}

/* The network (output shapes): CONV 3x3/2 (24x24x16), DW 3x3 (24x24x16),
 * CONV 1x1 (24x24x8); an inverted residual block: expand 1x1 (24x24x48),
 * DW 3x3 (24x24x48), project 1x1 (24x24x8), ADD with the block input; a
 * stride-2 block: expand 1x1 (24x24x48), DW 3x3/2 (12x12x48), project 1x1
 * (12x12x16); CONV 1x1 (12x12x64), AVERAGE_POOL_2D (1x1x64), RESHAPE
 * (1x64), FULLY_CONNECTED (1x10), SOFTMAX. Returns the output, or -1. */
static int32_t build_layers(demo *d, int32_t x)
{
    x = conv(d, "model/Conv1", x, FULL, 3, 2, 16, RELU6_OUT);
    x = conv(d, "model/expanded_conv_depthwise", x, DEPTHWISE, 3, 1, 16, RELU6_OUT);
    x = conv(d, "model/expanded_conv_project", x, FULL, 1, 1, 8, linear_out(1.5, 3));
    int32_t skip = x;
    x = conv(d, "model/block_1_expand", x, FULL, 1, 1, 48, RELU6_OUT);
    x = conv(d, "model/block_1_depthwise", x, DEPTHWISE, 3, 1, 48, RELU6_OUT);
    x = conv(d, "model/block_1_project", x, FULL, 1, 1, 8, linear_out(1.5, -5));
    x = add(d, "model/block_1_add/add", skip, x, 2);
    x = conv(d, "model/block_2_expand", x, FULL, 1, 1, 48, RELU6_OUT);
    x = conv(d, "model/block_2_depthwise", x, DEPTHWISE, 3, 2, 48, RELU6_OUT);
    x = conv(d, "model/block_2_project", x, FULL, 1, 1, 16, linear_out(1.5, -4));
    x = conv(d, "model/Conv_1", x, FULL, 1, 1, FEATURES, RELU6_OUT);
    x = global_pool(d, "model/global_average_pooling2d/AvgPool", x);
    x = flatten(d, "model/flatten", x);
    x = dense(d, "model/dense", x, N_CLASSES, linear_out(1.5, 0));
    return softmax(d, "StatefulPartitionedCall:0", x);
}

uint8_t *demo_model_build(size_t *size)
{
    *size = 0;
    demo *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    uint8_t *file = NULL;
    d->pool = malloc(POOL_BYTES);
    d->rng = WEIGHT_SEED;
    /* Input real values are uniform in [0, 1]: RMS 1/sqrt(3). */
    int32_t in = d->pool ? activation(d, "serving_default_input:0", IN_H, IN_W, IN_C,
                                      1.0 / 255.0, -128, 1.0 / sqrt(3.0))
                         : -1;
    int32_t out = in >= 0 ? build_layers(d, in) : -1;
    if (out >= 0 && !d->failed) {
        tfw_model m = {.description = "msf demo: MobileNetV2-like int8 CNN, pseudo-random weights",
                       .subgraph_name = "main", .n_tensors = d->n_tensors,
                       .tensors = d->tensors, .n_ops = d->n_ops, .ops = d->ops,
                       .n_inputs = 1, .inputs = &in, .n_outputs = 1, .outputs = &out};
        file = tflite_write(&m, size);
    }
    free(d->pool);
    free(d);
    return file;
}

uint8_t *demo_model_input(size_t *size)
{
    size_t n = (size_t)IN_H * IN_W * IN_C;
    uint8_t *bytes = malloc(n);
    *size = bytes ? n : 0;
    uint32_t x = 1;
    for (size_t i = 0; bytes && i < n; i++)
        bytes[i] = (uint8_t)(lcg_next(&x) & 0xff);
    return bytes;
}
