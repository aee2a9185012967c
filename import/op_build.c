#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "op_build.h"
#include "op_macs.h"
#include "quant_params.h"

typedef struct {
    msf_graph *g;
    const tfl_operator *src;
    msf_op *op;
    int32_t index;
    char *err;
    size_t err_size;
} op_ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int op_fail(op_ctx *c, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return graph_fail(c->err, c->err_size, "operator %d (%s): %s", c->index,
                      tflite_op_name(c->src->opcode), msg);
}

static const char *dtype_name(msf_dtype d)
{
    return d == MSF_INT8 ? "int8" : d == MSF_INT32 ? "int32" : "float32";
}

/* Input k: present (unless optional), of a type and rank msf handles, of the
 * wanted dtype, and constant when want_const. */
static int get_input(op_ctx *c, int32_t k, msf_dtype dtype, int want_const, int optional,
                     const msf_tensor **out)
{
    *out = NULL;
    if (k >= c->src->n_inputs || c->src->inputs[k] < 0)
        return optional ? 0 : op_fail(c, "input %d is missing", k);
    int32_t ti = c->src->inputs[k];
    const msf_tensor *t = &c->g->tensors[ti];
    if (t->rank < 0)
        return op_fail(c, "input %d (tensor %d): type or rank %d not supported (int8/int32/float32, rank <= 4)",
                       k, ti, c->g->tfl.tensors[ti].rank);
    if (t->dtype != dtype)
        return op_fail(c, "input %d (tensor %d) is %s, expected %s", k, ti, dtype_name(t->dtype),
                       dtype_name(dtype));
    if (want_const && !t->data)
        return op_fail(c, "input %d (tensor %d) must be a constant", k, ti);
    *out = t;
    return 0;
}

/* Records an activation (or constant operand) input the kernel reads. */
static int use_input(op_ctx *c, int32_t k, msf_dtype dtype, const msf_tensor **out)
{
    if (get_input(c, k, dtype, 0, 0, out))
        return -1;
    if (c->op->n_inputs == MSF_MAX_OP_INPUTS)
        return op_fail(c, "more than %d inputs", MSF_MAX_OP_INPUTS);
    c->op->inputs[c->op->n_inputs++] = c->src->inputs[k];
    return 0;
}

static int use_output(op_ctx *c, msf_dtype dtype, const msf_tensor **out)
{
    *out = NULL;
    if (c->src->n_outputs != 1)
        return op_fail(c, "has %d outputs, expected 1", c->src->n_outputs);
    int32_t ti = c->src->outputs[0];
    const msf_tensor *t = &c->g->tensors[ti];
    if (t->rank < 0 || t->dtype != dtype)
        return op_fail(c, "output (tensor %d) must be %s of rank <= 4", ti, dtype_name(dtype));
    c->op->output = ti;
    *out = t;
    return 0;
}

static int expect_dims(op_ctx *c, const msf_tensor *t, const char *what, int32_t rank, const int32_t *dims)
{
    int same = t->rank == rank;
    for (int32_t i = 0; same && i < rank; i++)
        same = t->dims[i] == dims[i];
    if (same)
        return 0;
    char want[96] = "", got[96] = "";
    for (int32_t i = 0; i < rank; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%d", i ? "x" : "", dims[i]);
    for (int32_t i = 0; i < t->rank; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%d", i ? "x" : "", t->dims[i]);
    return op_fail(c, "%s shape is %s, expected %s", what, got, want);
}

static int activation_clamp(op_ctx *c, int32_t act, const msf_tensor *out, int32_t *lo, int32_t *hi)
{
    if (act < MSF_ACT_NONE || act > MSF_ACT_RELU6)
        return op_fail(c, "fused activation %d not supported (NONE, RELU, RELU_N1_TO_1, RELU6)", act);
    activation_range_s8((msf_activation)act, out->scale, out->zero_point, lo, hi);
    return 0;
}

/* TFLite's padding rule (padding.h): SAME keeps ceil(in/stride) outputs and
 * puts the odd extra padding pixel at the end. */
static int spatial_out(op_ctx *c, int32_t in, int32_t k, int32_t stride, int32_t *out, int32_t *pad)
{
    /* Limits well above any real layer keep the arithmetic below in int32. */
    if (stride <= 0 || k <= 0 || stride > 65536 || k > 65536)
        return op_fail(c, "stride %d and kernel %d must be in 1..65536", stride, k);
    if (c->src->opt.padding == TFL_PADDING_SAME) {
        *out = (int32_t)(((int64_t)in + stride - 1) / stride);
        int32_t total = (*out - 1) * stride + k - in; /* (out - 1) * stride < in */
        *pad = total > 0 ? total / 2 : 0;
    } else if (c->src->opt.padding == TFL_PADDING_VALID) {
        if (in < k)
            return op_fail(c, "VALID padding with kernel %d larger than input %d", k, in);
        *out = (in - k) / stride + 1;
        *pad = 0;
    } else {
        return op_fail(c, "padding %d is neither SAME nor VALID", c->src->opt.padding);
    }
    return 0;
}

/* Per-channel (or per-tensor) requantization multipliers of a conv / FC:
 * eff = s_in * s_w / s_out in double, as TFLite's Prepare. count entries are
 * filled; a per-tensor weight scale is repeated. */
static int weight_multipliers(op_ctx *c, int32_t k, int32_t count, const msf_tensor *in,
                              const msf_tensor *out, int32_t **mult, int32_t **shift)
{
    const tfl_tensor *w = &c->g->tfl.tensors[c->src->inputs[k]];
    if (w->n_scales != 1 && w->n_scales != count)
        return op_fail(c, "weights have %d scales, expected 1 or %d", w->n_scales, count);
    for (int32_t i = 0; i < w->n_zero_points; i++)
        if (w->zero_points[i] != 0)
            return op_fail(c, "weight zero point %lld is not 0 (symmetric int8 weights expected)",
                           (long long)w->zero_points[i]);
    *mult = graph_alloc(c->g, (size_t)count * sizeof **mult);
    *shift = graph_alloc(c->g, (size_t)count * sizeof **shift);
    if (!*mult || !*shift)
        return op_fail(c, "out of memory");
    for (int32_t i = 0; i < count; i++) {
        double s_w = w->scales[w->n_scales == 1 ? 0 : i];
        quantize_multiplier((double)in->scale * s_w / (double)out->scale, &(*mult)[i], &(*shift)[i]);
    }
    return 0;
}

/* The bias, copied so that it is int32-aligned whatever the file's layout. */
static int bias_input(op_ctx *c, int32_t k, int32_t count, const int32_t **bias)
{
    const msf_tensor *b;
    if (get_input(c, k, MSF_INT32, 1, 1, &b))
        return -1;
    *bias = NULL;
    if (!b)
        return 0;
    if (msf_elements(b) != count)
        return op_fail(c, "bias has %d elements, expected %d", msf_elements(b), count);
    int32_t *copy = graph_alloc(c->g, (size_t)count * sizeof *copy);
    if (!copy)
        return op_fail(c, "out of memory");
    memcpy(copy, b->data, (size_t)count * sizeof *copy);
    c->g->op_weight_bytes[c->index] += b->bytes;
    *bias = copy;
    return 0;
}

/* The kernels accumulate in int32 without saturation, as TFLite does. With
 * the actual weights, |acc| <= Σ|w| * 255 + |bias| for any input (x - zp
 * lies in [-255, 255]); a model where that bound exceeds int32 is refused so
 * that no input can overflow the accumulator. Output channel o's taps are
 * w[o * out_stride + i * tap_stride], i < taps. */
static int accumulator_fits(op_ctx *c, const int8_t *w, int32_t n_out, int32_t taps, int32_t out_stride,
                            int32_t tap_stride, const int32_t *bias)
{
    /* Any int8 weights (|w| <= 128) within the bound: nothing to read. */
    int64_t most_bias = 0;
    for (int32_t o = 0; bias && o < n_out; o++)
        most_bias = llabs((long long)bias[o]) > most_bias ? llabs((long long)bias[o]) : most_bias;
    if (255 * 128 * (int64_t)taps + most_bias <= INT32_MAX)
        return 0;
    for (int32_t o = 0; o < n_out; o++) {
        int64_t bound = bias ? llabs((long long)bias[o]) : 0;
        for (int32_t i = 0; i < taps; i++)
            bound += 255 * abs(w[(size_t)o * (size_t)out_stride + (size_t)i * (size_t)tap_stride]);
        if (bound > INT32_MAX)
            return op_fail(c, "output channel %d could overflow the int32 accumulator", o);
    }
    return 0;
}

static int conv_like(op_ctx *c, int depthwise)
{
    const msf_tensor *in, *w, *out;
    if (use_input(c, 0, MSF_INT8, &in) || get_input(c, 1, MSF_INT8, 1, 0, &w) || use_output(c, MSF_INT8, &out))
        return -1;
    if (in->rank != 4 || in->dims[0] != 1 || w->rank != 4)
        return op_fail(c, "expects a 1xHxWxC input and 4-D weights");
    const tfl_options *o = &c->src->opt;
    if (o->dilation_h != 1 || o->dilation_w != 1)
        return op_fail(c, "dilation %dx%d not supported", o->dilation_h, o->dilation_w);
    int32_t in_c = in->dims[3], kh = w->dims[1], kw = w->dims[2];
    int32_t out_c = depthwise ? w->dims[3] : w->dims[0];
    if (depthwise ? (w->dims[0] != 1 || out_c % in_c != 0) : w->dims[3] != in_c)
        return op_fail(c, "weights %dx%dx%dx%d do not match %d input channels", w->dims[0], w->dims[1],
                       w->dims[2], w->dims[3], in_c);
    msf_conv_params *p = &c->op->p.conv;
    int32_t dims[4] = {1, 0, 0, out_c};
    if (spatial_out(c, in->dims[1], kh, o->stride_h, &dims[1], &p->pad_top) ||
        spatial_out(c, in->dims[2], kw, o->stride_w, &dims[2], &p->pad_left) ||
        expect_dims(c, out, "output", 4, dims))
        return -1;
    int32_t *mult, *shift;
    if (weight_multipliers(c, 1, out_c, in, out, &mult, &shift) || bias_input(c, 2, out_c, &p->bias) ||
        activation_clamp(c, o->activation, out, &p->act_min, &p->act_max))
        return -1;
    int32_t taps = kh * kw * (depthwise ? 1 : in_c);
    if (accumulator_fits(c, w->data, out_c, taps, depthwise ? 1 : taps, depthwise ? out_c : 1, p->bias))
        return -1;
    p->stride_h = o->stride_h;
    p->stride_w = o->stride_w;
    p->kernel_h = kh;
    p->kernel_w = kw;
    p->depth_multiplier = depthwise ? out_c / in_c : 1;
    p->input_offset = -in->zero_point;
    p->output_offset = out->zero_point;
    p->multiplier = mult;
    p->shift = shift;
    p->weights = w->data;
    c->g->op_weight_bytes[c->index] += w->bytes;
    c->g->op_macs[c->index] = msf_conv_macs(p, depthwise, in_c, out_c, (uint64_t)dims[1] * (uint64_t)dims[2]);
    return 0;
}

static int build_fully_connected(op_ctx *c)
{
    const msf_tensor *in, *w, *out;
    if (use_input(c, 0, MSF_INT8, &in) || get_input(c, 1, MSF_INT8, 1, 0, &w) || use_output(c, MSF_INT8, &out))
        return -1;
    if (w->rank != 2)
        return op_fail(c, "weights must be 2-D [units, in_features]");
    if (c->src->opt.weights_format != 0)
        return op_fail(c, "weights format %d not supported (DEFAULT only)", c->src->opt.weights_format);
    msf_fc_params *p = &c->op->p.fc;
    p->units = w->dims[0];
    p->in_features = w->dims[1];
    if (msf_elements(in) % p->in_features != 0)
        return op_fail(c, "input of %d elements is not a whole number of rows of %d", msf_elements(in),
                       p->in_features);
    int32_t batches = msf_elements(in) / p->in_features;
    if ((int64_t)msf_elements(out) != (int64_t)batches * p->units || out->dims[out->rank - 1] != p->units)
        return op_fail(c, "output must hold %d rows of %d units", batches, p->units);
    int32_t n_scales = c->g->tfl.tensors[c->src->inputs[1]].n_scales;
    p->per_channel = n_scales > 1;
    int32_t *mult, *shift;
    if (weight_multipliers(c, 1, p->per_channel ? p->units : 1, in, out, &mult, &shift) ||
        bias_input(c, 2, p->units, &p->bias) ||
        activation_clamp(c, c->src->opt.activation, out, &p->act_min, &p->act_max))
        return -1;
    if (accumulator_fits(c, w->data, p->units, p->in_features, p->in_features, 1, p->bias))
        return -1;
    p->input_offset = -in->zero_point;
    p->output_offset = out->zero_point;
    p->multiplier = mult;
    p->shift = shift;
    p->weights = w->data;
    c->g->op_weight_bytes[c->index] += w->bytes;
    c->g->op_macs[c->index] = msf_fc_macs(p, (uint64_t)batches * (uint64_t)p->in_features);
    return 0;
}

/* ADD and MUL: two int8 operands broadcast (4-D) to the output's shape. */
static int build_binary(op_ctx *c)
{
    const msf_tensor *a, *b, *out;
    if (use_input(c, 0, MSF_INT8, &a) || use_input(c, 1, MSF_INT8, &b) || use_output(c, MSF_INT8, &out))
        return -1;
    int32_t da[4], db[4], dout[4];
    msf_dims4(a, da);
    msf_dims4(b, db);
    for (int32_t i = 0; i < 4; i++)
        dout[i] = da[i] > db[i] ? da[i] : db[i];
    for (int32_t i = 0; i < 4; i++)
        if ((da[i] != dout[i] && da[i] != 1) || (db[i] != dout[i] && db[i] != 1))
            return op_fail(c, "operand shapes do not broadcast (axis %d: %d vs %d)", i, da[i], db[i]);
    int32_t want[4];
    msf_dims4(out, want);
    if (memcmp(want, dout, sizeof want) != 0)
        return op_fail(c, "output shape does not match the broadcast of its operands");
    msf_activation act = (msf_activation)c->src->opt.activation;
    int32_t lo, hi;
    if (activation_clamp(c, act, out, &lo, &hi))
        return -1;
    if (c->op->type == MSF_OP_ADD)
        derive_add_params(a->scale, a->zero_point, b->scale, b->zero_point, out->scale, out->zero_point, act,
                          &c->op->p.add);
    else
        derive_mul_params(a->scale, a->zero_point, b->scale, b->zero_point, out->scale, out->zero_point, act,
                          &c->op->p.mul);
    return 0;
}

static int build_pool(op_ctx *c)
{
    const msf_tensor *in, *out;
    if (use_input(c, 0, MSF_INT8, &in) || use_output(c, MSF_INT8, &out))
        return -1;
    if (in->rank != 4 || in->dims[0] != 1)
        return op_fail(c, "expects a 1xHxWxC input");
    /* TFLite Micro's pooling_common.cc: no requantization, so it refuses
     * differing quantization. */
    if (fabsf(in->scale - out->scale) > 1e-6f || in->zero_point != out->zero_point)
        return op_fail(c, "input and output quantization differ (TFLite requires them equal)");
    const tfl_options *o = &c->src->opt;
    msf_pool_params *p = &c->op->p.pool;
    int32_t dims[4] = {1, 0, 0, in->dims[3]};
    if (spatial_out(c, in->dims[1], o->filter_h, o->stride_h, &dims[1], &p->pad_top) ||
        spatial_out(c, in->dims[2], o->filter_w, o->stride_w, &dims[2], &p->pad_left) ||
        expect_dims(c, out, "output", 4, dims) ||
        activation_clamp(c, o->activation, out, &p->act_min, &p->act_max))
        return -1;
    /* An average sums its in-map taps in int32, as TFLite does, and rounds
     * by adding half their count: refuse windows where that could overflow
     * (more than 2^24 - 2^16 taps, far beyond any real pool). */
    int64_t taps = (int64_t)(o->filter_h < in->dims[1] ? o->filter_h : in->dims[1]) *
                   (o->filter_w < in->dims[2] ? o->filter_w : in->dims[2]);
    if (c->op->type == MSF_OP_AVERAGE_POOL2D && taps * 128 + taps / 2 > INT64_C(1) << 31)
        return op_fail(c, "a window of %lld inputs could overflow the int32 sum", (long long)taps);
    p->stride_h = o->stride_h;
    p->stride_w = o->stride_w;
    p->filter_h = o->filter_h;
    p->filter_w = o->filter_w;
    return 0;
}

/* Reads a small constant integer vector (int32, or int64 where exporters
 * use it) into vals; at most max values. */
static int const_ints(op_ctx *c, int32_t k, int32_t max, int32_t *vals, int32_t *n)
{
    if (k >= c->src->n_inputs || c->src->inputs[k] < 0)
        return op_fail(c, "input %d is missing", k);
    const tfl_tensor *t = &c->g->tfl.tensors[c->src->inputs[k]];
    int size = t->type == TFL_TYPE_INT32 ? 4 : t->type == TFL_TYPE_INT64 ? 8 : 0;
    if (!size || !t->data)
        return op_fail(c, "input %d must be a constant int32 tensor", k);
    *n = (int32_t)(t->data_bytes / (uint32_t)size);
    if (*n > max)
        return op_fail(c, "input %d has %d values, at most %d expected", k, *n, max);
    for (int32_t i = 0; i < *n; i++) {
        int64_t v = 0;
        for (int b = size - 1; b >= 0; b--)
            v = (int64_t)((uint64_t)v << 8 | t->data[(size_t)i * (size_t)size + (size_t)b]);
        if (size == 4)
            v = (int32_t)v;
        if (v < INT32_MIN || v > INT32_MAX)
            return op_fail(c, "input %d value %lld out of range", k, (long long)v);
        vals[i] = (int32_t)v;
    }
    return 0;
}

/* The common form of MEAN, TRANSPOSE, PAD and RESIZE: an int8 input, a
 * constant int vector (at most 8 values: axes, permutation, paddings, size)
 * and an int8 output. */
static int int8_with_ints(op_ctx *c, const msf_tensor **in, int32_t vals[8], int32_t *n, const msf_tensor **out)
{
    return use_input(c, 0, MSF_INT8, in) || const_ints(c, 1, 8, vals, n) || use_output(c, MSF_INT8, out) ? -1 : 0;
}

static int build_mean(op_ctx *c)
{
    const msf_tensor *in, *out;
    int32_t axes[8], n_axes;
    if (int8_with_ints(c, &in, axes, &n_axes, &out))
        return -1;
    msf_mean_params *p = &c->op->p.mean;
    int32_t lead = 4 - in->rank;
    /* The int32 sum of the reduced elements must not overflow. */
    if (msf_elements(in) > INT32_MAX / 256)
        return op_fail(c, "input of %d elements is too large to average in int32", msf_elements(in));
    for (int32_t i = 0; i < n_axes; i++) {
        int32_t a = axes[i] < 0 ? axes[i] + in->rank : axes[i];
        if (a < 0 || a >= in->rank)
            return op_fail(c, "axis %d out of range for rank %d", axes[i], in->rank);
        p->axes_mask |= 1u << (a + lead);
    }
    int32_t dims[MSF_MAX_RANK], rank = 0;
    for (int32_t i = 0; i < in->rank; i++) {
        int reduced = (p->axes_mask >> (i + lead)) & 1;
        if (!reduced || c->src->opt.keep_dims)
            dims[rank++] = reduced ? 1 : in->dims[i];
    }
    /* A full reduction without keep_dims is a scalar; exporters write [1] too. */
    int scalar = rank == 0 && msf_elements(out) == 1;
    if (!scalar && expect_dims(c, out, "output", rank, dims))
        return -1;
    derive_mean_params(in->scale, in->zero_point, out->scale, out->zero_point, p);
    return 0;
}

static int build_copy(op_ctx *c, msf_dtype in_type, msf_dtype out_type)
{
    const msf_tensor *in, *out;
    if (use_input(c, 0, in_type, &in) || use_output(c, out_type, &out))
        return -1;
    if (msf_elements(in) != msf_elements(out))
        return op_fail(c, "input has %d elements, output %d", msf_elements(in), msf_elements(out));
    return 0;
}

static int build_transpose(op_ctx *c)
{
    const msf_tensor *in, *out;
    int32_t perm[8], n;
    if (int8_with_ints(c, &in, perm, &n, &out))
        return -1;
    if (n != in->rank)
        return op_fail(c, "permutation has %d entries for rank %d", n, in->rank);
    int32_t seen = 0, dims[MSF_MAX_RANK], lead = 4 - n;
    msf_transpose_params *p = &c->op->p.transpose;
    for (int32_t i = 0; i < lead; i++)
        p->perm[i] = i;
    for (int32_t i = 0; i < n; i++) {
        if (perm[i] < 0 || perm[i] >= n || (seen >> perm[i] & 1))
            return op_fail(c, "permutation is not a permutation of 0..%d", n - 1);
        seen |= 1 << perm[i];
        dims[i] = in->dims[perm[i]];
        p->perm[lead + i] = lead + perm[i];
    }
    return expect_dims(c, out, "output", n, dims);
}

static int build_softmax(op_ctx *c)
{
    const msf_tensor *in, *out;
    if (use_input(c, 0, MSF_INT8, &in) || use_output(c, MSF_INT8, &out))
        return -1;
    if (expect_dims(c, out, "output", in->rank, in->dims))
        return -1;
    /* TFLite Micro's softmax_common.cc refuses any other output quantization. */
    if (out->scale != 1.0f / 256 || out->zero_point != -128)
        return op_fail(c, "output quantization must be scale 1/256, zero point -128");
    derive_softmax_params(c->src->opt.beta, in->scale, &c->op->p.softmax);
    return 0;
}

static int build_pad(op_ctx *c)
{
    const msf_tensor *in, *out;
    int32_t pads[8], n;
    if (int8_with_ints(c, &in, pads, &n, &out))
        return -1;
    if (n != 2 * in->rank)
        return op_fail(c, "paddings have %d values, expected %d", n, 2 * in->rank);
    msf_pad_params *p = &c->op->p.pad;
    int32_t dims[MSF_MAX_RANK], lead = 4 - in->rank;
    for (int32_t i = 0; i < in->rank; i++) {
        if (pads[2 * i] < 0 || pads[2 * i + 1] < 0 || pads[2 * i] > 65536 || pads[2 * i + 1] > 65536)
            return op_fail(c, "padding %d,%d of axis %d out of range", pads[2 * i], pads[2 * i + 1], i);
        p->before[lead + i] = pads[2 * i];
        p->after[lead + i] = pads[2 * i + 1];
        dims[i] = in->dims[i] + pads[2 * i] + pads[2 * i + 1];
    }
    if (expect_dims(c, out, "output", in->rank, dims))
        return -1;
    p->value = (int8_t)out->zero_point;
    if (c->src->opcode == TFL_OP_PADV2) {
        const msf_tensor *v;
        if (get_input(c, 2, MSF_INT8, 1, 0, &v))
            return -1;
        if (msf_elements(v) != 1)
            return op_fail(c, "the pad value must be one int8");
        p->value = *(const int8_t *)v->data;
    }
    return 0;
}

static int build_concatenation(op_ctx *c)
{
    const msf_tensor *out, *first = NULL;
    if (use_output(c, MSF_INT8, &out))
        return -1;
    if (c->src->opt.activation != 0)
        return op_fail(c, "fused activation on concatenation not supported");
    int32_t axis = c->src->opt.axis < 0 ? c->src->opt.axis + out->rank : c->src->opt.axis;
    if (axis < 0 || axis >= out->rank)
        return op_fail(c, "axis %d out of range for rank %d", c->src->opt.axis, out->rank);
    int64_t along = 0;
    for (int32_t k = 0; k < c->src->n_inputs; k++) {
        const msf_tensor *in;
        if (use_input(c, k, MSF_INT8, &in))
            return -1;
        if (!first)
            first = in;
        if (in->scale != out->scale || in->zero_point != out->zero_point)
            return op_fail(c, "input %d quantization differs from the output's (TFLite requires them equal)", k);
        if (in->rank != out->rank)
            return op_fail(c, "input %d has rank %d, output %d", k, in->rank, out->rank);
        for (int32_t i = 0; i < in->rank; i++)
            if (i != axis && in->dims[i] != out->dims[i])
                return op_fail(c, "input %d differs from the output on axis %d", k, i);
        along += in->dims[axis];
    }
    if (!first || along != out->dims[axis])
        return op_fail(c, "inputs add up to %lld along axis %d, output has %d", (long long)along, axis,
                       out->dims[axis]);
    c->op->p.concat.axis = axis + 4 - out->rank;
    return 0;
}

static int build_resize_nearest(op_ctx *c)
{
    const msf_tensor *in, *out;
    int32_t size[8], n;
    if (int8_with_ints(c, &in, size, &n, &out))
        return -1;
    if (in->rank != 4 || n != 2 || size[0] <= 0 || size[1] <= 0)
        return op_fail(c, "expects a 4-D input and a positive 2-value size");
    int32_t dims[4] = {in->dims[0], size[0], size[1], in->dims[3]};
    if (expect_dims(c, out, "output", 4, dims))
        return -1;
    c->op->p.resize.align_corners = c->src->opt.align_corners;
    c->op->p.resize.half_pixel_centers = c->src->opt.half_pixel_centers;
    return 0;
}

static int build_logistic(op_ctx *c)
{
    if (build_copy(c, MSF_INT8, MSF_INT8))
        return -1;
    const msf_tensor *in = &c->g->tensors[c->op->inputs[0]], *out = &c->g->tensors[c->op->output];
    if (out->zero_point != -128)
        return op_fail(c, "output zero point must be -128 (TFLite requires it)");
    derive_logistic_params(in->scale, in->zero_point, &c->op->p.logistic);
    return 0;
}

static int build_hard_swish(op_ctx *c)
{
    if (build_copy(c, MSF_INT8, MSF_INT8))
        return -1;
    const msf_tensor *in = &c->g->tensors[c->op->inputs[0]], *out = &c->g->tensors[c->op->output];
    derive_hard_swish_params(in->scale, in->zero_point, out->scale, out->zero_point, &c->op->p.hard_swish);
    /* TFLite Micro's hard_swish_common.cc refuses the same. */
    if (c->op->p.hard_swish.output_multiplier_exponent > 0)
        return op_fail(c, "output scale too small for the input scale (TFLite refuses it)");
    return 0;
}

static int build_quantize(op_ctx *c, int dequantize)
{
    if (build_copy(c, dequantize ? MSF_INT8 : MSF_FLOAT32, dequantize ? MSF_FLOAT32 : MSF_INT8))
        return -1;
    const msf_tensor *q = &c->g->tensors[dequantize ? c->op->inputs[0] : c->op->output];
    c->op->p.quantize.scale = q->scale;
    c->op->p.quantize.zero_point = q->zero_point;
    return 0;
}

static int in_range(int32_t v, int32_t lo, int32_t hi)
{
    return v >= lo && v <= hi;
}

/* Extreme scale ratios give shifts the kernels cannot apply without
 * overflow (TFLite asserts on them in Prepare); refuse them here. */
static int shifts_in_range(const msf_graph *g, const msf_op *op)
{
    const int32_t lo = -31, hi = 30;
    const int32_t *shift = NULL;
    int32_t n = 0;
    switch (op->type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
        shift = op->p.conv.shift;
        n = g->tensors[op->output].dims[3];
        break;
    case MSF_OP_FULLY_CONNECTED:
        shift = op->p.fc.shift;
        n = op->p.fc.per_channel ? op->p.fc.units : 1;
        break;
    case MSF_OP_ADD:
        return in_range(op->p.add.input1_shift, lo, 0) && in_range(op->p.add.input2_shift, lo, 0) &&
               in_range(op->p.add.output_shift, lo, 0);
    case MSF_OP_MUL: return in_range(op->p.mul.output_shift, lo, hi);
    case MSF_OP_MEAN: return in_range(op->p.mean.shift, lo, hi);
    case MSF_OP_SOFTMAX: return in_range(op->p.softmax.input_left_shift, 0, 31);
    case MSF_OP_LOGISTIC: return in_range(op->p.logistic.input_left_shift, lo, hi);
    default: return 1;
    }
    for (int32_t i = 0; i < n; i++)
        if (!in_range(shift[i], lo, hi))
            return 0;
    return 1;
}

static int build_op(op_ctx *c)
{
    switch (c->src->opcode) {
    case TFL_OP_CONV_2D: c->op->type = MSF_OP_CONV2D; return conv_like(c, 0);
    case TFL_OP_DEPTHWISE_CONV_2D: c->op->type = MSF_OP_DEPTHWISE_CONV2D; return conv_like(c, 1);
    case TFL_OP_FULLY_CONNECTED: c->op->type = MSF_OP_FULLY_CONNECTED; return build_fully_connected(c);
    case TFL_OP_ADD: c->op->type = MSF_OP_ADD; return build_binary(c);
    case TFL_OP_MUL: c->op->type = MSF_OP_MUL; return build_binary(c);
    case TFL_OP_AVERAGE_POOL_2D: c->op->type = MSF_OP_AVERAGE_POOL2D; return build_pool(c);
    case TFL_OP_MAX_POOL_2D: c->op->type = MSF_OP_MAX_POOL2D; return build_pool(c);
    case TFL_OP_MEAN: c->op->type = MSF_OP_MEAN; return build_mean(c);
    case TFL_OP_RESHAPE: c->op->type = MSF_OP_RESHAPE; return build_copy(c, MSF_INT8, MSF_INT8);
    case TFL_OP_TRANSPOSE: c->op->type = MSF_OP_TRANSPOSE; return build_transpose(c);
    case TFL_OP_SOFTMAX: c->op->type = MSF_OP_SOFTMAX; return build_softmax(c);
    case TFL_OP_PAD:
    case TFL_OP_PADV2: c->op->type = MSF_OP_PAD; return build_pad(c);
    case TFL_OP_CONCATENATION: c->op->type = MSF_OP_CONCATENATION; return build_concatenation(c);
    case TFL_OP_RESIZE_NEAREST_NEIGHBOR: c->op->type = MSF_OP_RESIZE_NEAREST; return build_resize_nearest(c);
    case TFL_OP_LOGISTIC: c->op->type = MSF_OP_LOGISTIC; return build_logistic(c);
    case TFL_OP_HARD_SWISH: c->op->type = MSF_OP_HARD_SWISH; return build_hard_swish(c);
    case TFL_OP_QUANTIZE: c->op->type = MSF_OP_QUANTIZE; return build_quantize(c, 0);
    case TFL_OP_DEQUANTIZE: c->op->type = MSF_OP_DEQUANTIZE; return build_quantize(c, 1);
    default: return op_fail(c, "operator not supported");
    }
}

int op_build(msf_graph *g, int32_t index, char *err, size_t err_size)
{
    op_ctx c = {g, &g->tfl.ops[index], &g->ops[index], index, err, err_size};
    if (build_op(&c))
        return -1;
    if (!shifts_in_range(g, c.op))
        return op_fail(&c, "quantization scales out of the range TFLite supports");
    return 0;
}
