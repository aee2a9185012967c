#include <math.h>
#include <stdio.h>
#include <string.h>

#include "msf_count.h"
#include "time_model.h"

static const char *const target_names[TIME_TARGET_COUNT] = {"m4", "m7", "rv32"};

const char *time_target_name(time_target t)
{
    return t >= 0 && t < TIME_TARGET_COUNT ? target_names[t] : "unknown";
}

int time_target_named(const char *name)
{
    for (int t = 0; t < TIME_TARGET_COUNT; t++)
        if (strcmp(target_names[t], name) == 0)
            return t;
    return -1;
}

void time_feature_name(int32_t i, char *out, size_t size)
{
    static const char *const kinds[TIME_KIND_COUNT] = {"conv1x1",   "conv", "conv_bytes", "depthwise", "depthwise_slow",
                                                       "fc",        "pool", "add",        "other"};
    static const char *const features[TIME_OP_FEATURES] = {"macs",  "inputs",        "outputs",
                                                           "calls", "call_channels", "bytes_moved"};
    int32_t ops = TIME_KIND_COUNT * TIME_OP_FEATURES;
    if (i >= 0 && i < ops)
        snprintf(out, size, "%s.%s", kinds[i / TIME_OP_FEATURES], features[i % TIME_OP_FEATURES]);
    else
        snprintf(out, size, "scheme.%s", block_scheme_name(i - ops));
}

/* The share of a depthwise operator's channels its four-channel path runs
 * (depthwise_conv2d_s8). */
static double depthwise_fast_share(const msf_graph *g, const msf_op *op)
{
    const msf_conv_params *p = &op->p.conv;
    int32_t c = g->tensors[op->inputs[0]].dims[3];
    if (p->depth_multiplier != 1 || p->kernel_h * p->kernel_w > 9 || c <= 0)
        return 0.0;
    return (double)(c / 4 * 4) / (double)c;
}

static time_kind kind_of(const msf_graph *g, const msf_op *op)
{
    switch (op->type) {
    case MSF_OP_CONV2D:
        if ((op->p.conv.kernel_w * g->tensors[op->inputs[0]].dims[3]) % 4 != 0)
            return TIME_CONV_BYTES;
        return op->p.conv.kernel_h == 1 && op->p.conv.kernel_w == 1 ? TIME_CONV_1X1 : TIME_CONV;
    case MSF_OP_DEPTHWISE_CONV2D:
        return TIME_DEPTHWISE;
    case MSF_OP_FULLY_CONNECTED:
        return TIME_FULLY_CONNECTED;
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
        return TIME_POOL;
    case MSF_OP_ADD:
        return TIME_ADD;
    default:
        return TIME_OTHER;
    }
}

/* An operator's output channels: the last dimension of its output. */
static double channels(const msf_graph *g, const msf_op *op)
{
    const msf_tensor *t = &g->tensors[op->output];
    return t->rank > 0 && t->dims[t->rank - 1] > 0 ? (double)t->dims[t->rank - 1] : 1.0;
}

static void add_kind(double *f, time_kind kind, double share, const double op[TIME_OP_FEATURES])
{
    for (int32_t k = 0; k < TIME_OP_FEATURES; k++)
        f[kind * TIME_OP_FEATURES + k] += share * op[k];
}

/* An operator that took `inputs` input elements and computed `pixels`
 * output pixels in `calls` calls. */
static void add_op(double *f, const msf_graph *g, const msf_op *op, double macs, double inputs, double pixels,
                   double calls, double bytes_moved)
{
    double c = channels(g, op);
    const double features[TIME_OP_FEATURES] = {macs, inputs, pixels * c, calls, calls * c, bytes_moved};
    time_kind kind = kind_of(g, op);
    if (kind != TIME_DEPTHWISE) {
        add_kind(f, kind, 1.0, features);
        return;
    }
    double fast = depthwise_fast_share(g, op);
    add_kind(f, TIME_DEPTHWISE, fast, features);
    add_kind(f, TIME_DEPTHWISE_SLOW, 1.0 - fast, features);
}

void time_features(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile, int over_input,
                   int input_rows, double f[TIME_FEATURES])
{
    int32_t ops = TIME_KIND_COUNT * TIME_OP_FEATURES;
    memset(f, 0, TIME_FEATURES * sizeof *f);
    f[ops + scheme] = 1.0;
    /* In place, an operator runs the same kernel over the same whole
     * tensors (the ring form copies each output row once more: the block's
     * constant and the kernel's output figures absorb it). */
    if (scheme == MSF_SCHEME_WHOLE || scheme == MSF_SCHEME_INPLACE) {
        const msf_op *op = &g->ops[first_op];
        add_op(f, g, op, (double)g->op_macs[first_op], (double)msf_elements(&g->tensors[op->inputs[0]]),
               (double)msf_elements(&g->tensors[op->output]) / channels(g, op), 1.0, 0.0);
        return;
    }
    /* A swept block: what its runner does, from the counting pass. */
    msf_block_count count;
    msf_count_block(&g->model, first_op, last_op, scheme, tile, input_rows, over_input, &count);
    /* An operator takes what the one before it made (the first reads
     * windows of the block input: its MACs stand for that). */
    double inputs = 0.0;
    for (int32_t i = 0; i <= last_op - first_op; i++) {
        const msf_op *op = &g->ops[first_op + i];
        const msf_tally *t = &count.op[i];
        add_op(f, g, op, (double)t->macs, inputs, (double)t->pixels, (double)t->calls, (double)t->bytes_moved);
        inputs = (double)t->pixels * channels(g, op);
    }
}

/* A block reads the input a row at a time exactly when it holds input rows. */
void time_block_features(const msf_graph *g, const block_cost *c, double f[TIME_FEATURES])
{
    time_features(g, c->first_op, c->last_op, c->scheme, c->tile, c->over_input, c->input_rows_bytes != 0, f);
}

uint64_t time_predict(time_target t, const double f[TIME_FEATURES])
{
    double sum = 0.0;
    for (int32_t i = 0; i < TIME_FEATURES; i++)
        sum += time_table[t][i] * f[i];
    return sum < 1.0 ? 1 : (uint64_t)llround(sum);
}

uint64_t time_block(time_target t, const msf_graph *g, const block_cost *c)
{
    double f[TIME_FEATURES];
    time_block_features(g, c, f);
    return time_predict(t, f);
}

uint64_t time_blocks(time_target t, const msf_graph *g, const block_cost *blocks, int32_t n)
{
    uint64_t sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += time_block(t, g, &blocks[i]);
    return sum;
}

uint64_t time_layers(time_target t, const msf_graph *g, int streamed)
{
    uint64_t sum = 0;
    for (int32_t o = 0; o < g->model.n_ops; o++) {
        double f[TIME_FEATURES];
        time_features(g, o, o, block_default_scheme(g, o, o, streamed), 1, 0, (streamed & MSF_STREAM_INPUT_ROWS) && o == 0,
                      f);
        sum += time_predict(t, f);
    }
    return sum;
}
