/* A parsed spec as a .tflite image, with the quantization conventions of
 * TFLite's converter: int8 activations, symmetric per-channel int8 weights
 * for convolutions, per-tensor for fully connected layers, int32 biases
 * scaled by s_in * s_w, RELU6 outputs at 6/255 and zero point -128,
 * softmax outputs at 1/256 and -128.
 *
 * Weights are pseudo-random; their scales are chosen from a rough estimate
 * of each layer's input RMS so that every pre-activation has about the
 * standard deviation asked for, which keeps activations inside their
 * quantization ranges and the output dependent on the input. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quant_params.h"
#include "spec_net.h"
#include "tflite_reader.h"
#include "tflite_writer.h"

#define WEIGHT_SEED 2024
#define RELU_PRE_STD 2.0           /* pre-activation spread before a RELU or RELU6 */
#define LINEAR_STD 1.5             /* spread of outputs without activation */
#define WEIGHT_RMS 73.3            /* RMS of integers uniform in [-127, 127] */
#define MAX_LINEAR_ZERO_POINT 8    /* linear outputs: zero points in [-8, 8], as converters give */
#define MAX_OP_IO 3                /* inputs and output of one operator */

/* Operator versions TFLite's converter gives these ops with int8 tensors. */
enum { V_CONV_2D = 3, V_DEPTHWISE_CONV_2D = 3, V_ADD = 2, V_CONCATENATION = 1, V_POOL_2D = 2, V_RESHAPE = 1,
       V_FULLY_CONNECTED = 4, V_SOFTMAX = 2, V_PAD = 2, V_TRANSPOSE = 2, V_MEAN = 2, V_QUANTIZE = 2,
       V_DEQUANTIZE = 2, V_MUL = 2, V_LOGISTIC = 2, V_HARD_SWISH = 1 };

/* A gate's values lie in [0, 1], about 1/2 on average: its rough RMS. */
#define GATE_RMS 0.5

typedef struct {
    tfw_tensor *tensors;
    double *rms;                   /* rough RMS of each activation's real values */
    int32_t n_tensors;
    tfw_operator *ops;
    int32_t (*op_io)[MAX_OP_IO + 1];
    int32_t n_ops;
    void **owned;                  /* every array the description points to */
    size_t n_owned;
    uint32_t rng;
    int zero_weights;              /* spec_write_tflite_zero_weights */
    int failed;
} builder;

/* An activation's quantization and the spread its producer aims for:
 * RELU6 outputs use 6/255 and -128, RELU outputs cover [0, 4 std], linear
 * outputs +-4 std. */
typedef struct {
    int32_t act;
    double std;
    int32_t zero_point;
} out_spec;

uint32_t spec_lcg_next(uint32_t *x)
{
    *x = (1103515245u * *x + 12345u) & 0x7fffffffu;
    return *x >> 16;
}

static double uniform(builder *b)
{
    return spec_lcg_next(&b->rng) / 32768.0;
}

/* The LCG's state n draws ahead, in O(log n): x -> a x + c composed with
 * itself by squaring (mod 2^31, which uint32 arithmetic respects). */
static void lcg_skip(uint32_t *x, size_t n)
{
    uint32_t a = 1103515245u, c = 12345u, mul = 1, add = 0;
    for (; n; n >>= 1) {
        if (n & 1) {
            mul *= a;
            add = a * add + c;
        }
        c = a * c + c;
        a *= a;
    }
    *x = (mul * *x + add) & 0x7fffffffu;
}

static int8_t random_weight(builder *b)
{
    return (int8_t)((int32_t)(spec_lcg_next(&b->rng) % 255) - 127);
}

static out_spec output_of(builder *b, int32_t act)
{
    if (act != MSF_ACT_NONE)
        return (out_spec){act, RELU_PRE_STD, -128};
    int32_t span = 2 * MAX_LINEAR_ZERO_POINT + 1;
    return (out_spec){act, LINEAR_STD, (int32_t)(spec_lcg_next(&b->rng) % (uint32_t)span) -
                                           MAX_LINEAR_ZERO_POINT};
}

static double out_scale(out_spec o)
{
    switch (o.act) {
    case MSF_ACT_RELU6: return 6.0 / 255.0;
    case MSF_ACT_RELU: return 4.0 * o.std / 255.0;
    default: return 8.0 * o.std / 255.0;
    }
}

static double out_rms(out_spec o)
{
    return o.act == MSF_ACT_NONE ? o.std : o.std / sqrt(2.0);
}

static void *alloc(builder *b, size_t bytes)
{
    void **list = b->failed ? NULL : realloc(b->owned, (b->n_owned + 1) * sizeof *list);
    void *p = list ? calloc(1, bytes ? bytes : 1) : NULL;
    if (list)
        b->owned = list;
    if (!p) {
        b->failed = 1;
        return NULL;
    }
    b->owned[b->n_owned++] = p;
    return p;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static const char *name(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? alloc(b, (size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* Adds a tensor of the given shape; returns its index, or -1. The arrays
 * are sized for the network, so only a failed name can stop it. */
static int32_t add_tensor(builder *b, const char *tensor_name, int32_t type, int32_t rank,
                          const int32_t *shape)
{
    if (b->failed || !tensor_name) {
        b->failed = 1;
        return -1;
    }
    tfw_tensor *t = &b->tensors[b->n_tensors];
    t->name = tensor_name;
    t->type = type;
    t->rank = rank;
    memcpy(t->shape, shape, (size_t)rank * sizeof *shape);
    return b->n_tensors++;
}

/* Gives tensor t n scales along dim, every zero point zero_point; returns
 * the scales for the caller to fill, or NULL. */
static float *set_quant(builder *b, int32_t t, int32_t n, int32_t dim, int32_t zero_point)
{
    float *s = alloc(b, (size_t)n * sizeof *s);
    int64_t *zp = alloc(b, (size_t)n * sizeof *zp);
    if (!s || !zp)
        return NULL;
    for (int32_t i = 0; i < n; i++)
        zp[i] = zero_point;
    b->tensors[t].n_quant = n;
    b->tensors[t].scales = s;
    b->tensors[t].zero_points = zp;
    b->tensors[t].quantized_dimension = dim;
    return s;
}

/* An int8 activation of the given shape. */
static int32_t activation(builder *b, const char *tensor_name, spec_shape shape, double scale,
                          int32_t zero_point, double rms)
{
    int32_t dims[4] = {1, shape.h, shape.w, shape.c};
    int32_t t = shape.h ? add_tensor(b, tensor_name, TFL_TYPE_INT8, 4, dims)
                        : add_tensor(b, tensor_name, TFL_TYPE_INT8, 2, (int32_t[]){1, shape.c});
    float *s = t >= 0 ? set_quant(b, t, 1, 0, zero_point) : NULL;
    if (!s)
        return -1;
    s[0] = (float)scale;
    b->rms[t] = rms;
    return t;
}

static int32_t out_activation(builder *b, const char *tensor_name, spec_shape shape, out_spec o)
{
    return activation(b, tensor_name, shape, out_scale(o), o.zero_point, out_rms(o));
}

/* An activation with the quantization of tensor like (pools and RESHAPE
 * must keep it). */
static int32_t same_quant(builder *b, const char *tensor_name, spec_shape shape, int32_t like)
{
    const tfw_tensor *t = &b->tensors[like];
    return activation(b, tensor_name, shape, t->scales[0], (int32_t)t->zero_points[0], b->rms[like]);
}

static int32_t add_op(builder *b, int32_t opcode, int32_t version, int32_t n_in, const int32_t *in,
                      int32_t out, tfw_options opt)
{
    if (b->failed || out < 0)
        return -1;
    int32_t *io = b->op_io[b->n_ops];
    tfw_operator *op = &b->ops[b->n_ops++];
    memcpy(io, in, (size_t)n_in * sizeof *in);
    io[n_in] = out;
    *op = (tfw_operator){.opcode = opcode, .version = version, .n_inputs = n_in, .inputs = io,
                         .n_outputs = 1, .outputs = io + n_in, .options = opt};
    return out;
}

/* Symmetric int8 weights of the given shape, quantized along dim with
 * n_scales scales; each scale sets the weights' real RMS to about w_rms. */
static int32_t weights(builder *b, const char *tensor_name, int32_t rank, const int32_t *shape,
                       int32_t dim, int32_t n_scales, double w_rms)
{
    int32_t t = add_tensor(b, tensor_name, TFL_TYPE_INT8, rank, shape);
    size_t n = 1;
    for (int32_t i = 0; i < rank; i++)
        n *= (size_t)shape[i];
    int8_t *w = t >= 0 ? alloc(b, n) : NULL;
    float *s = w ? set_quant(b, t, n_scales, dim, 0) : NULL;
    if (!s)
        return -1;
    if (b->zero_weights)
        lcg_skip(&b->rng, n); /* w stays 0; what is drawn next is as in the real image */
    else
        for (size_t i = 0; i < n; i++)
            w[i] = random_weight(b);
    for (int32_t c = 0; c < n_scales; c++)
        s[c] = (float)(w_rms / WEIGHT_RMS * (0.75 + 0.5 * uniform(b)));
    b->tensors[t].data = w;
    b->tensors[t].data_bytes = n;
    return t;
}

/* int32 bias [n] with scales s_in * s_w (per channel like the weights w,
 * or one), real values up to +-bias_max; bytes stored little-endian. */
static int32_t bias(builder *b, const char *tensor_name, int32_t n, int32_t in, int32_t w,
                    double bias_max)
{
    int32_t t = w >= 0 ? add_tensor(b, tensor_name, TFL_TYPE_INT32, 1, &n) : -1;
    int32_t n_scales = t >= 0 ? b->tensors[w].n_quant : 0;
    float *s = t >= 0 ? set_quant(b, t, n_scales, 0, 0) : NULL;
    uint8_t *bytes = s ? alloc(b, (size_t)n * 4) : NULL;
    if (!bytes)
        return -1;
    for (int32_t c = 0; c < n_scales; c++)
        s[c] = (float)(b->tensors[in].scales[0] * (double)b->tensors[w].scales[c]);
    for (int32_t c = 0; c < n; c++) {
        int32_t q = (int32_t)lround(bias_max * (2.0 * uniform(b) - 1.0) / s[n_scales > 1 ? c : 0]);
        for (int i = 0; i < 4; i++)
            bytes[4 * c + i] = (uint8_t)((uint32_t)q >> (8 * i));
    }
    b->tensors[t].data = bytes;
    b->tensors[t].data_bytes = (size_t)n * 4;
    return t;
}

/* CONV_2D or DEPTHWISE_CONV_2D. */
static int32_t conv(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    int depthwise = l->kind == SPEC_DEPTHWISE;
    int32_t in_c = b->tensors[in].shape[3], out_c = l->out.c;
    int32_t fan_in = l->kh * l->kw * (depthwise ? 1 : in_c);
    out_spec o = output_of(b, l->act);
    double w_rms = o.std / (b->rms[in] * sqrt((double)fan_in));
    int32_t w = depthwise
        ? weights(b, name(b, "%s/depthwise_kernel", label), 4, (int32_t[]){1, l->kh, l->kw, out_c},
                  3, out_c, w_rms)
        : weights(b, name(b, "%s/kernel", label), 4, (int32_t[]){out_c, l->kh, l->kw, in_c}, 0,
                  out_c, w_rms);
    int32_t bs = bias(b, name(b, "%s/bias", label), out_c, in, w, 0.25 * o.std);
    int32_t out = bs >= 0 ? out_activation(b, label, l->out, o) : -1;
    tfw_options opt = {.type = depthwise ? TFW_OPT_DEPTHWISE_CONV_2D : TFW_OPT_CONV_2D,
                       .padding = l->padding, .stride_w = l->sw, .stride_h = l->sh,
                       .dilation_w = 1, .dilation_h = 1, .depth_multiplier = out_c / in_c,
                       .activation = l->act};
    return add_op(b, depthwise ? TFL_OP_DEPTHWISE_CONV_2D : TFL_OP_CONV_2D,
                  depthwise ? V_DEPTHWISE_CONV_2D : V_CONV_2D, 3, (int32_t[]){in, w, bs}, out, opt);
}

/* ADD of the named tensor and the current one: about independent, so
 * their spreads add in quadrature (no weights to set the spread). */
static int32_t add(builder *b, const spec_layer *l, const char *label, int32_t skip, int32_t in)
{
    out_spec o = output_of(b, l->act);
    o.std = sqrt(b->rms[skip] * b->rms[skip] + b->rms[in] * b->rms[in]);
    int32_t out = out_activation(b, label, l->out, o);
    tfw_options opt = {.type = TFW_OPT_ADD, .activation = l->act};
    return add_op(b, TFL_OP_ADD, V_ADD, 2, (int32_t[]){skip, in}, out, opt);
}

/* CONCATENATION along channels of from's map and the current one, both at
 * RELU6's quantization (the reader checks), as the output. */
static int32_t concat(builder *b, const spec_layer *l, const char *label, int32_t from, int32_t in)
{
    int32_t out = same_quant(b, label, l->out, in);
    tfw_options opt = {.type = TFW_OPT_CONCATENATION, .axis = 3};
    return add_op(b, TFL_OP_CONCATENATION, V_CONCATENATION, 2, (int32_t[]){from, in}, out, opt);
}

/* AVERAGE_POOL_2D (also the global pool) or MAX_POOL_2D. */
static int32_t pool(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    int32_t out = same_quant(b, label, l->out, in);
    tfw_options opt = {.type = TFW_OPT_POOL_2D, .padding = l->padding, .stride_w = l->sw,
                       .stride_h = l->sh, .filter_w = l->kw, .filter_h = l->kh};
    return add_op(b, l->kind == SPEC_MAXPOOL ? TFL_OP_MAX_POOL_2D : TFL_OP_AVERAGE_POOL_2D,
                  V_POOL_2D, 1, &in, out, opt);
}

/* A constant int32 tensor of n values, little-endian. */
static int32_t int32_constant(builder *b, const char *tensor_name, int32_t rank, const int32_t *shape,
                              const int32_t *values, int32_t n)
{
    int32_t t = add_tensor(b, tensor_name, TFL_TYPE_INT32, rank, shape);
    uint8_t *bytes = t >= 0 ? alloc(b, (size_t)n * 4) : NULL;
    if (!bytes)
        return -1;
    for (int32_t i = 0; i < 4 * n; i++)
        bytes[i] = (uint8_t)((uint32_t)values[i / 4] >> (8 * (i % 4)));
    b->tensors[t].data = bytes;
    b->tensors[t].data_bytes = (size_t)n * 4;
    return t;
}

/* PAD of H and W with the input's zero point (what exporters put before a
 * VALID convolution). */
static int32_t zeropad(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    const int32_t pads[8] = {0, 0, l->pads[0], l->pads[1], l->pads[2], l->pads[3], 0, 0};
    int32_t p = int32_constant(b, name(b, "%s/paddings", label), 2, (int32_t[]){4, 2}, pads, 8);
    int32_t out = p >= 0 ? same_quant(b, label, l->out, in) : -1;
    tfw_options opt = {.type = TFW_OPT_PAD};
    return add_op(b, TFL_OP_PAD, V_PAD, 2, (int32_t[]){in, p}, out, opt);
}

/* An int8 tensor of any shape with the quantization of tensor like. */
static int32_t shaped_like(builder *b, const char *tensor_name, int32_t rank, const int32_t *dims, int32_t like)
{
    int32_t t = add_tensor(b, tensor_name, TFL_TYPE_INT8, rank, dims);
    float *s = t >= 0 ? set_quant(b, t, 1, 0, (int32_t)b->tensors[like].zero_points[0]) : NULL;
    if (!s)
        return -1;
    s[0] = b->tensors[like].scales[0];
    b->rms[t] = b->rms[like];
    return t;
}

/* RESHAPE to [1, n] (n the values of in), named out_name, with the shape
 * both as a constant input and in the options, as TFLite writes it. */
static int32_t flatten(builder *b, const char *label, const char *out_name, int32_t in)
{
    const tfw_tensor *t = &b->tensors[in];
    int32_t n = 1, two = 2;
    for (int32_t d = 1; d < t->rank; d++)
        n *= t->shape[d];
    const int32_t new_shape[2] = {1, n};
    int32_t shape_t = int32_constant(b, name(b, "%s/flatten/shape", label), 1, &two, new_shape, 2);
    if (shape_t < 0)
        return -1;
    int32_t out = same_quant(b, out_name, (spec_shape){0, 0, n}, in);
    tfw_options opt = {.type = TFW_OPT_RESHAPE, .n_new_shape = 2, .new_shape = {1, n}};
    return add_op(b, TFL_OP_RESHAPE, V_RESHAPE, 2, (int32_t[]){in, shape_t}, out, opt);
}

/* MEAN over the given axes of in into out (quantized like in). */
static int32_t mean(builder *b, const char *label, int32_t in, int32_t n_axes, const int32_t *axes, int32_t keep,
                    int32_t out)
{
    int32_t a = int32_constant(b, name(b, "%s/axes", label), 1, &n_axes, axes, n_axes);
    tfw_options opt = {.type = TFW_OPT_REDUCER, .keep_dims = keep};
    return a < 0 ? -1 : add_op(b, TFL_OP_MEAN, V_MEAN, 2, (int32_t[]){in, a}, out, opt);
}

/* The global pool in the form the spec asks for (exporters differ). */
static int32_t global_pool(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    if (l->gap_form == SPEC_GAP_AVGPOOL)
        return pool(b, l, label, in);
    if (l->gap_form == SPEC_GAP_MEAN)
        return mean(b, label, in, 2, (int32_t[]){1, 2}, 1, same_quant(b, label, l->out, in));
    int32_t h = b->tensors[in].shape[1], w = b->tensors[in].shape[2], c = b->tensors[in].shape[3], four = 4;
    int32_t perm = int32_constant(b, name(b, "%s/perm", label), 1, &four, (int32_t[]){0, 3, 1, 2}, 4);
    int32_t nchw = perm < 0 ? -1 : shaped_like(b, name(b, "%s/nchw", label), 4, (int32_t[]){1, c, h, w}, in);
    tfw_options none = {.type = TFW_OPT_NONE};
    nchw = add_op(b, TFL_OP_TRANSPOSE, V_TRANSPOSE, 2, (int32_t[]){in, perm}, nchw, none);
    if (nchw < 0)
        return -1;
    if (l->gap_form == SPEC_GAP_NCHW_WH) {
        int32_t rows = shaped_like(b, name(b, "%s/mean_w", label), 3, (int32_t[]){1, c, h}, in);
        rows = mean(b, name(b, "%s/w", label), nchw, 1, (int32_t[]){3}, 0, rows);
        return rows < 0 ? -1 : mean(b, name(b, "%s/h", label), rows, 1, (int32_t[]){2}, 0, same_quant(b, label, l->out, in));
    }
    /* H keeping its dimension leaves [1, C, 1] after W: flattened to the
     * [1, C] every later layer of the spec takes (as an exporter's flatten
     * before the classifier). */
    int32_t cols = shaped_like(b, name(b, "%s/mean_h", label), 4, (int32_t[]){1, c, 1, w}, in);
    cols = mean(b, name(b, "%s/h", label), nchw, 1, (int32_t[]){2}, 1, cols);
    int32_t means = cols < 0 ? -1 : shaped_like(b, name(b, "%s/mean_w", label), 3, (int32_t[]){1, c, 1}, in);
    means = mean(b, name(b, "%s/w", label), cols, 1, (int32_t[]){3}, 0, means);
    return means < 0 ? -1 : flatten(b, label, label, means);
}

static int32_t dense(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    if (in >= 0 && b->tensors[in].rank == 4)
        in = flatten(b, label, name(b, "%s/flatten", label), in);
    if (in < 0)
        return -1;
    int32_t n_in = b->tensors[in].shape[1];
    out_spec o = output_of(b, l->act);
    double w_rms = o.std / (b->rms[in] * sqrt((double)n_in));
    int32_t w = weights(b, name(b, "%s/kernel", label), 2, (int32_t[]){l->out.c, n_in}, 0, 1, w_rms);
    int32_t bs = bias(b, name(b, "%s/bias", label), l->out.c, in, w, 0.25 * o.std);
    int32_t out = bs >= 0 ? out_activation(b, label, l->out, o) : -1;
    tfw_options opt = {.type = TFW_OPT_FULLY_CONNECTED, .activation = l->act};
    return add_op(b, TFL_OP_FULLY_CONNECTED, V_FULLY_CONNECTED, 3, (int32_t[]){in, w, bs}, out, opt);
}

/* A constant int8 scalar of value v > 0, quantized as TFLite quantizes a
 * constant operand, over [0, v]: scale v/255, zero point -128, so that v
 * itself is 127 exactly. */
static int32_t scalar_constant(builder *b, const char *tensor_name, double v)
{
    int32_t one = 1;
    int32_t t = add_tensor(b, tensor_name, TFL_TYPE_INT8, 1, &one);
    int8_t *q = t >= 0 ? alloc(b, 1) : NULL;
    float *s = q ? set_quant(b, t, 1, 0, -128) : NULL;
    if (!s)
        return -1;
    s[0] = (float)(v / 255.0);
    q[0] = 127;
    b->tensors[t].data = q;
    b->tensors[t].data_bytes = 1;
    return t;
}

static double hard_swish_of(double x)
{
    double r6 = x + 3.0 < 0.0 ? 0.0 : x + 3.0 > 6.0 ? 6.0 : x + 3.0;
    return x * r6 / 6.0;
}

/* HARD_SWISH, its output quantized over the range the input's range maps
 * to (as calibration finds it): from the function's minimum -0.375 (at
 * -1.5) or the input's lowest value to hard_swish of the highest, 0 in it. */
static int32_t hard_swish(builder *b, const char *label, spec_shape shape, int32_t in)
{
    const tfw_tensor *t = &b->tensors[in];
    double lo = t->scales[0] * (-128.0 - (double)t->zero_points[0]);
    double hi = t->scales[0] * (127.0 - (double)t->zero_points[0]);
    double out_lo = fmin(lo <= -1.5 ? -0.375 : hard_swish_of(lo), 0.0), out_hi = fmax(hard_swish_of(hi), 0.0);
    double scale = (out_hi - out_lo) / 255.0;
    int32_t zero_point = (int32_t)lround(-128.0 - out_lo / scale);
    int32_t out = activation(b, label, shape, scale, zero_point, b->rms[in] / sqrt(2.0));
    return add_op(b, TFL_OP_HARD_SWISH, V_HARD_SWISH, 1, &in, out, (tfw_options){.type = TFW_OPT_NONE});
}

/* LOGISTIC: TFLite fixes its int8 output at 1/256, zero point -128. */
static int32_t logistic(builder *b, const char *label, spec_shape shape, int32_t in)
{
    int32_t out = activation(b, label, shape, 1.0 / 256.0, -128, GATE_RMS);
    return add_op(b, TFL_OP_LOGISTIC, V_LOGISTIC, 1, &in, out, (tfw_options){.type = TFW_OPT_NONE});
}

/* Hard-sigmoid as exporters write relu6(x + 3) / 6: an ADD of a constant 3
 * with a fused RELU6 (output over [0, 6]), then a MUL by a constant 1/6
 * (output over [0, 1]). */
static int32_t hard_sigmoid(builder *b, const char *label, spec_shape shape, int32_t in)
{
    int32_t three = scalar_constant(b, name(b, "%s/three", label), 3.0);
    int32_t sum = three < 0 ? -1 : activation(b, name(b, "%s/relu6", label), shape, 6.0 / 255.0, -128, 3.0);
    sum = add_op(b, TFL_OP_ADD, V_ADD, 2, (int32_t[]){in, three}, sum,
                 (tfw_options){.type = TFW_OPT_ADD, .activation = MSF_ACT_RELU6});
    int32_t sixth = sum < 0 ? -1 : scalar_constant(b, name(b, "%s/one_sixth", label), 1.0 / 6.0);
    int32_t out = sixth < 0 ? -1 : activation(b, label, shape, 1.0 / 255.0, -128, GATE_RMS);
    return add_op(b, TFL_OP_MUL, V_MUL, 2, (int32_t[]){sum, sixth}, out, (tfw_options){.type = TFW_OPT_MUL});
}

/* Layer l's operators after its linear output pre (named label), if any. */
static int32_t post_activation(builder *b, const spec_layer *l, const char *label, int32_t pre)
{
    if (pre < 0)
        return -1;
    switch (l->post_act) {
    case SPEC_POST_HARD_SWISH: return hard_swish(b, label, l->out, pre);
    case SPEC_POST_LOGISTIC: return logistic(b, label, l->out, pre);
    case SPEC_POST_HARD_SIGMOID: return hard_sigmoid(b, label, l->out, pre);
    default: return pre;
    }
}

/* MUL of the map by the per-channel vector gate (squeeze-excite), the map
 * first as Keras writes Multiply()([inputs, x]). Gates lie in [0, 1], so
 * the output stays in the map's range: its quantization is the map's. */
static int32_t mul(builder *b, const spec_layer *l, const char *label, int32_t map, int32_t gate)
{
    int32_t out = same_quant(b, label, l->out, map);
    if (out >= 0)
        b->rms[out] = b->rms[map] * b->rms[gate];
    return add_op(b, TFL_OP_MUL, V_MUL, 2, (int32_t[]){map, gate}, out, (tfw_options){.type = TFW_OPT_MUL});
}

/* Probabilities of c classes: about 1/c each. */
static int32_t softmax(builder *b, const spec_layer *l, const char *label, int32_t in)
{
    int32_t out = activation(b, label, l->out, 1.0 / 256.0, -128, 1.0 / l->out.c);
    tfw_options opt = {.type = TFW_OPT_SOFTMAX, .beta = 1.0f};
    return add_op(b, TFL_OP_SOFTMAX, V_SOFTMAX, 1, &in, out, opt);
}

static const char *const kind_words[] = {"input", "conv", "depthwise", "avgpool", "maxpool",
                                         "add", "global_pool", "fc", "softmax", "zeropad", "concat", "mul"};

/* Layer i reading tensor in (out_of[j]: layer j's output); returns its
 * output tensor, or -1. */
static int32_t build_layer(builder *b, const spec_net *net, int32_t i, const int32_t *out_of)
{
    const spec_layer *l = &net->layers[i];
    const char *label = l->name[0] ? name(b, "%s", l->name) : name(b, "%s_%d", kind_words[l->kind], i);
    int32_t in = out_of[l->input];
    if (!label || in < 0)
        return -1;
    /* A layer with operators after its linear output names that "/linear". */
    const char *linear = l->post_act ? name(b, "%s/linear", label) : label;
    switch (l->kind) {
    case SPEC_CONV:
    case SPEC_DEPTHWISE: return post_activation(b, l, label, conv(b, l, linear, in));
    case SPEC_ADD: return add(b, l, label, out_of[l->from], in);
    case SPEC_CONCAT: return concat(b, l, label, out_of[l->from], in);
    case SPEC_FC: return post_activation(b, l, label, dense(b, l, linear, in));
    case SPEC_MUL: return mul(b, l, label, out_of[l->from], in);
    case SPEC_SOFTMAX: return softmax(b, l, label, in);
    case SPEC_ZEROPAD: return zeropad(b, l, label, in);
    case SPEC_GLOBAL_POOL: return global_pool(b, l, label, in);
    default: return pool(b, l, label, in);
    }
}

/* A float32 tensor of t's shape, for float I/O. */
static int32_t float_like(builder *b, const char *tensor_name, int32_t t)
{
    const tfw_tensor *q = &b->tensors[t];
    return add_tensor(b, tensor_name, TFL_TYPE_FLOAT32, q->rank, q->shape);
}

/* An NCHW graph input (as PyTorch exports write it): a TRANSPOSE [0, 2, 3, 1]
 * of the tensor nchw to nhwc. */
static int32_t to_nhwc(builder *b, int32_t nchw, int32_t nhwc)
{
    int32_t four = 4;
    int32_t perm = int32_constant(b, "input/to_nhwc", 1, &four, (int32_t[]){0, 2, 3, 1}, 4);
    tfw_options none = {.type = TFW_OPT_NONE};
    return perm < 0 || nchw < 0 ? -1 : add_op(b, TFL_OP_TRANSPOSE, V_TRANSPOSE, 2, (int32_t[]){nchw, perm}, nhwc, none);
}

/* With float I/O (as converters write when asked for it) the graph input is
 * float, quantized by a QUANTIZE (the first operator) to the network's int8
 * input, and the network's output is dequantized to a float graph output.
 * An NCHW input is transposed after its QUANTIZE. */
static uint8_t *write_net(builder *b, const spec_net *net, size_t *size)
{
    int32_t *out_of = alloc(b, (size_t)net->n * sizeof *out_of);
    if (!out_of)
        return NULL;
    /* The input's real values are uniform in [0, 1]: RMS 1/sqrt(3). */
    out_of[0] = activation(b, net->layers[0].name[0] ? net->layers[0].name : "input",
                           net->layers[0].out, 1.0 / 255.0, -128, 1.0 / sqrt(3.0));
    if (out_of[0] < 0)
        return NULL;
    const spec_shape *x = &net->layers[0].out;
    int32_t nchw = net->layers[0].nchw ? shaped_like(b, "input_nchw", 4, (int32_t[]){1, x->c, x->h, x->w}, out_of[0])
                                       : out_of[0];
    int32_t in = nchw, out;
    /* The QUANTIZE goes first among the operators, as converters write it. */
    if (net->layers[0].float_io && nchw >= 0) {
        in = float_like(b, "input_float", nchw);
        add_op(b, TFL_OP_QUANTIZE, V_QUANTIZE, 1, &in, nchw, (tfw_options){0});
    }
    if (net->layers[0].nchw && to_nhwc(b, nchw, out_of[0]) < 0)
        return NULL;
    for (int32_t i = 1; i < net->n; i++)
        out_of[i] = build_layer(b, net, i, out_of);
    out = out_of[net->n - 1];
    if (net->layers[0].float_io && out >= 0)
        out = add_op(b, TFL_OP_DEQUANTIZE, V_DEQUANTIZE, 1, &out, float_like(b, "output_float", out),
                     (tfw_options){0});
    if (b->failed || out < 0 || in < 0)
        return NULL;
    tfw_model m = {.description = "msf architecture spec, pseudo-random weights",
                   .subgraph_name = "main", .n_tensors = b->n_tensors, .tensors = b->tensors,
                   .n_ops = b->n_ops, .ops = b->ops, .n_inputs = 1, .inputs = &in,
                   .n_outputs = 1, .outputs = &out};
    return tflite_write(&m, size);
}

static uint8_t *write_tflite(const spec_net *net, int zero_weights, size_t *size)
{
    /* At most 9 tensors (fc act=hardsigmoid: the flatten's shape and
     * output, weights, bias, output, and the ADD's and MUL's constant and
     * output) and 4 operators per layer, the float ends' two of each, and
     * an NCHW input's two tensors and TRANSPOSE. */
    size_t max_tensors = 9 * (size_t)net->n + 4, max_ops = 4 * (size_t)net->n + 3;
    builder b = {.rng = WEIGHT_SEED, .zero_weights = zero_weights};
    b.tensors = alloc(&b, max_tensors * sizeof *b.tensors);
    b.rms = alloc(&b, max_tensors * sizeof *b.rms);
    b.ops = alloc(&b, max_ops * sizeof *b.ops);
    b.op_io = alloc(&b, max_ops * sizeof *b.op_io);
    uint8_t *file = b.failed ? NULL : write_net(&b, net, size);
    for (size_t i = 0; i < b.n_owned; i++)
        free(b.owned[i]);
    free(b.owned);
    if (!file)
        *size = 0;
    return file;
}

uint8_t *spec_write_tflite(const spec_net *net, size_t *size)
{
    return write_tflite(net, 0, size);
}

uint8_t *spec_write_tflite_zero_weights(const spec_net *net, size_t *size)
{
    return write_tflite(net, 1, size);
}
