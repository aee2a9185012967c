/* Models for the limits on work (test_layout_scale, run_limit_tests.sh),
 * built with the project's TFLite writer: a long residual chain of tiny
 * operators (as many as a real model never has, to show the analyses grow
 * no faster than n log n), and many graph inputs added up: 17 of 256 MiB
 * (over 4 GiB alive before the first ADD, no layout with 32-bit offsets)
 * or 9,000 of a byte (too many buffers alive together for the layout). */
#ifndef MSF_SCALE_MODELS_H
#define MSF_SCALE_MODELS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tflite_reader.h"
#include "tflite_writer.h"

typedef struct {
    tfw_tensor *t;
    tfw_operator *ops;
    int32_t (*io)[3]; /* each op's inputs (two at most) and output */
    int32_t n_t, n_ops;
} scale_net;

static const float scale_act_scale = 0.05f, scale_weight_scale = 0.02f;
static const int64_t scale_act_zp = -3, scale_weight_zp = 0;
static const int8_t scale_weights[4] = {3, -1, 2, 1};

static int32_t scale_tensor(scale_net *n, int32_t h, int32_t w, int32_t c, int weights)
{
    int32_t i = n->n_t++;
    n->t[i] = (tfw_tensor){.name = "t", .type = TFL_TYPE_INT8, .rank = 4, .shape = {1, h, w, c}, .n_quant = 1,
                           .scales = weights ? &scale_weight_scale : &scale_act_scale,
                           .zero_points = weights ? &scale_weight_zp : &scale_act_zp};
    if (weights) {
        n->t[i].data = scale_weights;
        n->t[i].data_bytes = sizeof scale_weights;
    }
    return i;
}

static void scale_op(scale_net *n, int32_t opcode, tfw_options o, int32_t a, int32_t b, int32_t out)
{
    int32_t k = n->n_ops++;
    n->io[k][0] = a, n->io[k][1] = b, n->io[k][2] = out;
    n->ops[k] = (tfw_operator){opcode, 1, b >= 0 ? 2 : 1, n->io[k], 1, &n->io[k][2], o};
}

static uint8_t *scale_write(scale_net *n, int32_t n_inputs, const int32_t *inputs, int32_t output, size_t *size)
{
    tfw_model m = {.n_tensors = n->n_t, .tensors = n->t, .n_ops = n->n_ops, .ops = n->ops, .n_inputs = n_inputs,
                   .inputs = inputs, .n_outputs = 1, .outputs = &output};
    uint8_t *buf = tflite_write(&m, size);
    free(n->t);
    free(n->ops);
    free(n->io);
    return buf;
}

static int scale_alloc(scale_net *n, int32_t n_tensors, int32_t n_ops)
{
    memset(n, 0, sizeof *n);
    n->t = calloc((size_t)n_tensors, sizeof *n->t);
    n->ops = calloc((size_t)n_ops, sizeof *n->ops);
    n->io = calloc((size_t)n_ops, sizeof *n->io);
    return n->t && n->ops && n->io ? 0 : -1;
}

/* n_ops operators on a 1x4x4x2 input: 1x1 convolutions (each with its own
 * weights, relu), every fourth operator an ADD of the tensor two
 * operators back (a residual, so that tensors outlive their reader and
 * fused blocks contain ADDs). The .tflite image, or NULL. */
static uint8_t *scale_chain_model(int32_t n_ops, size_t *size)
{
    scale_net n;
    if (scale_alloc(&n, 2 * n_ops + 1, n_ops)) {
        free(n.t), free(n.ops), free(n.io);
        return NULL;
    }
    int32_t input = scale_tensor(&n, 4, 4, 2, 0), cur = input, back = input;
    tfw_options conv = {.type = TFW_OPT_CONV_2D, .padding = 0, .stride_w = 1, .stride_h = 1, .dilation_w = 1,
                        .dilation_h = 1, .activation = 1};
    for (int32_t i = 0; i < n_ops; i++) {
        int32_t out = scale_tensor(&n, 4, 4, 2, 0);
        if (i % 4 == 3) {
            scale_op(&n, TFL_OP_ADD, (tfw_options){.type = TFW_OPT_ADD}, cur, back, out);
        } else {
            int32_t w = scale_tensor(&n, 1, 1, 2, 1);
            n.t[w].shape[0] = 2, n.t[w].shape[3] = 2; /* [c_out, 1, 1, c_in] */
            scale_op(&n, TFL_OP_CONV_2D, conv, cur, w, out);
        }
        if (i % 4 == 0)
            back = cur;
        cur = out;
    }
    return scale_write(&n, 1, &input, cur, size);
}

/* n_inputs graph inputs of 1xside x side x1 added up one after the other:
 * all alive before the first ADD. */
static uint8_t *scale_sum_model(int32_t n_inputs, int32_t side, size_t *size)
{
    scale_net n;
    int32_t *inputs = malloc((size_t)n_inputs * sizeof *inputs);
    if (!inputs || scale_alloc(&n, 2 * n_inputs, n_inputs - 1)) {
        free(inputs), free(n.t), free(n.ops), free(n.io);
        return NULL;
    }
    for (int32_t i = 0; i < n_inputs; i++)
        inputs[i] = scale_tensor(&n, side, side, 1, 0);
    int32_t sum = inputs[0];
    for (int32_t i = 1; i < n_inputs; i++) {
        int32_t next = scale_tensor(&n, side, side, 1, 0);
        scale_op(&n, TFL_OP_ADD, (tfw_options){.type = TFW_OPT_ADD}, sum, inputs[i], next);
        sum = next;
    }
    uint8_t *buf = scale_write(&n, n_inputs, inputs, sum, size);
    free(inputs);
    return buf;
}

/* 17 inputs of 256 MiB: over 4 GiB alive at once. */
static uint8_t *scale_huge_arena_model(size_t *size)
{
    return scale_sum_model(17, 16384, size);
}

/* 9,000 inputs of one byte: some 80 million pairs of buffers alive
 * together, over LAYOUT_MAX_PAIRS. */
static uint8_t *scale_busy_model(size_t *size)
{
    return scale_sum_model(9000, 1, size);
}

#endif
