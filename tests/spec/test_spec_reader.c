/* What a spec becomes: one network using every layer type and key, read
 * back through the importer operator by operator (types, shapes, options,
 * the RESHAPE before a fully connected layer, the operands of an add), the
 * quantization conventions (input, RELU6, pools, softmax, per-channel and
 * per-tensor weights, biases at s_in * s_w), and determinism: the same
 * network gives the same bytes whatever its comments and spacing; the
 * squeeze-excite operators and their quantization. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spec_reader.h"

static const char spec[] =
    "# every layer type\n"
    "input 12x10x3 name=img\n"
    "conv k=3 s=2 c=8 act=relu6 name=a\n"   /* 0: 6x5x8 */
    "pw c=8 act=relu\n"                     /* 1: 6x5x8 */
    "dw k=5x3 s=1x2 pad=valid c=16\n"       /* 2: 2x2x16, multiplier 2 */
    "dw k=3 pad=1 act=relu6\n"              /* 3: 2x2x16, SAME */
    "pw c=8 name=b\n"                       /* 4: 2x2x8 */
    "maxpool k=2 s=1 pad=same\n"            /* 5: 2x2x8 */
    "add from=b act=relu\n"                 /* 6: b + 5 */
    "avgpool k=2x1 pad=0\n"                 /* 7: 1x2x8, stride = window */
    "gap\n"                                 /* 8: 1x1x8 */
    "fc c=6 act=relu6\n"                    /* 9: RESHAPE 8, 10: FC 6 */
    "fc c=4\n"                              /* 11: FC 4 */
    "softmax name=probabilities\n";         /* 12 */

/* The same network, written differently. */
static const char respelled[] =
    "input   12x10x3    name=img   # a comment\r\n"
    "\n"
    "conv act=relu6 c=8 s=2x2 k=3x3 name=a pad=same\r\n"
    "\tpw c=8 act=relu\n"
    "dw k=5x3 s=1x2 pad=valid c=16\n"
    "# a line of comment\n"
    "dw k=3 pad=same act=relu6\n"
    "pw c=8 name=b act=none\n"
    "maxpool k=2 s=1\n"
    "add from=b act=relu\n"
    "avgpool k=2x1 s=2x1 pad=valid\n"
    "gap\n"
    "fc c=6 act=relu6\n"
    "fc c=4\n"
    "softmax name=probabilities";

typedef struct {
    msf_op_type type;
    int32_t rank, h, w, c;         /* output; h and w only for rank 4 */
    int32_t kh, kw, sh, sw, padding, act;
} want_op;

enum { SAME = 0, VALID = 1, NONE = 0, RELU = 1, RELU6 = 3 };

static const want_op want[] = {
    {MSF_OP_CONV2D, 4, 6, 5, 8, 3, 3, 2, 2, SAME, RELU6},
    {MSF_OP_CONV2D, 4, 6, 5, 8, 1, 1, 1, 1, SAME, RELU},
    {MSF_OP_DEPTHWISE_CONV2D, 4, 2, 2, 16, 5, 3, 1, 2, VALID, NONE},
    {MSF_OP_DEPTHWISE_CONV2D, 4, 2, 2, 16, 3, 3, 1, 1, SAME, RELU6},
    {MSF_OP_CONV2D, 4, 2, 2, 8, 1, 1, 1, 1, SAME, NONE},
    {MSF_OP_MAX_POOL2D, 4, 2, 2, 8, 2, 2, 1, 1, SAME, NONE},
    {MSF_OP_ADD, 4, 2, 2, 8, 0, 0, 0, 0, SAME, RELU},
    {MSF_OP_AVERAGE_POOL2D, 4, 1, 2, 8, 2, 1, 2, 1, VALID, NONE},
    {MSF_OP_AVERAGE_POOL2D, 4, 1, 1, 8, 1, 2, 1, 2, VALID, NONE},
    {MSF_OP_RESHAPE, 2, 0, 0, 8, 0, 0, 0, 0, SAME, NONE},
    {MSF_OP_FULLY_CONNECTED, 2, 0, 0, 6, 0, 0, 0, 0, SAME, RELU6},
    {MSF_OP_FULLY_CONNECTED, 2, 0, 0, 4, 0, 0, 0, 0, SAME, NONE},
    {MSF_OP_SOFTMAX, 2, 0, 0, 4, 0, 0, 0, 0, SAME, NONE},
};

#define N_OPS ((int32_t)(sizeof want / sizeof want[0]))

static int near(double got, double expected)
{
    return fabs(got - expected) <= 1e-6 * fabs(expected);
}

static int has_quant(const tfl_tensor *t, double scale, int64_t zero_point)
{
    return t->n_scales == 1 && near(t->scales[0], scale) && t->zero_points[0] == zero_point;
}

static void check_output(const msf_tensor *t, const want_op *w)
{
    CHECK_EQ_INT(t->rank, w->rank);
    CHECK_EQ_INT(t->dims[0], 1);
    if (w->rank == 4)
        CHECK(t->dims[1] == w->h && t->dims[2] == w->w && t->dims[3] == w->c);
    else
        CHECK_EQ_INT(t->dims[1], w->c);
}

static void check_window(const msf_graph *g, int32_t i, const want_op *w)
{
    const tfl_options *o = &g->tfl.ops[i].opt;
    int conv = w->type == MSF_OP_CONV2D || w->type == MSF_OP_DEPTHWISE_CONV2D;
    const tfl_tensor *weights = conv ? &g->tfl.tensors[g->tfl.ops[i].inputs[1]] : NULL;
    CHECK_EQ_INT(conv ? weights->shape[1] : o->filter_h, w->kh);
    CHECK_EQ_INT(conv ? weights->shape[2] : o->filter_w, w->kw);
    CHECK(o->stride_h == w->sh && o->stride_w == w->sw);
    CHECK_EQ_INT(o->padding, w->padding);
}

/* Symmetric int8 weights per channel along dim (conv 0, depthwise 3) or
 * per tensor (dim -1), none at -128; an int32 bias at s_in * s_w. */
static void check_weights(const msf_graph *g, int32_t i, int32_t dim)
{
    const tfl_operator *op = &g->tfl.ops[i];
    const tfl_tensor *in = &g->tfl.tensors[op->inputs[0]];
    const tfl_tensor *w = &g->tfl.tensors[op->inputs[1]], *b = &g->tfl.tensors[op->inputs[2]];
    int32_t n = dim < 0 ? 1 : w->shape[dim];
    CHECK(w->type == TFL_TYPE_INT8 && b->type == TFL_TYPE_INT32);
    CHECK(w->n_scales == n && b->n_scales == n);
    if (dim >= 0)
        CHECK_EQ_INT(w->quantized_dimension, dim);
    for (int32_t c = 0; c < n && c < w->n_scales && c < b->n_scales; c++) {
        CHECK(w->scales[c] > 0 && w->zero_points[c] == 0 && b->zero_points[c] == 0);
        CHECK(near(b->scales[c], (double)in->scales[0] * w->scales[c]));
    }
    int minus_128 = 0;
    for (uint32_t k = 0; k < w->data_bytes; k++)
        minus_128 += (int8_t)w->data[k] == -128;
    CHECK_EQ_INT(minus_128, 0);
}

/* The output of a computing layer: RELU6 at 6/255 and -128, RELU from
 * -128, linear with a small zero point. */
static void check_computed(const tfl_operator *op, const tfl_tensor *out)
{
    if (op->opt.activation == RELU6)
        CHECK(has_quant(out, 6.0 / 255.0, -128));
    else if (op->opt.activation == RELU)
        CHECK(out->zero_points[0] == -128);
    else
        CHECK(out->zero_points[0] >= -8 && out->zero_points[0] <= 8);
}

static void check_quant(const msf_graph *g, int32_t i)
{
    const tfl_operator *op = &g->tfl.ops[i];
    const tfl_tensor *in = &g->tfl.tensors[op->inputs[0]], *out = &g->tfl.tensors[op->outputs[0]];
    switch (g->ops[i].type) {
    case MSF_OP_CONV2D: check_weights(g, i, 0); break;
    case MSF_OP_DEPTHWISE_CONV2D: check_weights(g, i, 3); break;
    case MSF_OP_FULLY_CONNECTED: check_weights(g, i, -1); break;
    case MSF_OP_ADD: break;
    case MSF_OP_SOFTMAX: CHECK(has_quant(out, 1.0 / 256.0, -128)); return;
    default: CHECK(has_quant(out, in->scales[0], in->zero_points[0])); return;
    }
    check_computed(op, out);
}

static void check_network(const msf_graph *g)
{
    CHECK_EQ_INT(g->model.n_ops, N_OPS);
    for (int32_t i = 0; i < N_OPS && i < g->model.n_ops; i++) {
        CHECK_EQ_INT(g->ops[i].type, want[i].type);
        check_output(&g->tensors[g->ops[i].output], &want[i]);
        CHECK_EQ_INT(g->tfl.ops[i].opt.activation, want[i].act);
        if (want[i].kh)
            check_window(g, i, &want[i]);
        check_quant(g, i);
    }
    if (g->model.n_ops != N_OPS)
        return;
    const tfl_tensor *in = &g->tfl.tensors[g->model.inputs[0]];
    CHECK(strcmp(in->name, "img") == 0);
    CHECK(in->shape[1] == 12 && in->shape[2] == 10 && in->shape[3] == 3);
    CHECK(has_quant(in, 1.0 / 255.0, -128));
    CHECK(strcmp(g->tfl.tensors[g->model.outputs[0]].name, "probabilities") == 0);
    CHECK_EQ_INT(g->model.outputs[0], g->ops[N_OPS - 1].output);
    CHECK_EQ_INT(g->tfl.ops[2].opt.depth_multiplier, 2);
    /* The add reads the named tensor first, then the current one. */
    CHECK(g->ops[6].inputs[0] == g->ops[4].output && g->ops[6].inputs[1] == g->ops[5].output);
    /* The fully connected layer after the pool reads the flattened tensor. */
    CHECK_EQ_INT(g->ops[10].inputs[0], g->ops[9].output);
    CHECK_EQ_INT(g->ops[11].inputs[0], g->ops[10].output);
}

static uint8_t *build(const char *text, size_t len, size_t *size)
{
    uint8_t *file;
    char err[256];
    if (spec_to_tflite(text, len, &file, size, err, sizeof err) == 0)
        return file;
    fprintf(stderr, "%s\n", err);
    check_failed++;
    return NULL;
}

/* The graph the importer makes of spec text; 0, or -1 (checked). */
static int load(const char *text, size_t len, msf_graph *g)
{
    size_t size;
    uint8_t *file = build(text, len, &size);
    char err[256];
    if (!file)
        return -1;
    if (graph_from_tflite(file, size, g, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return -1;
    }
    return 0;
}

static void test_network(void)
{
    msf_graph g;
    if (load(spec, sizeof spec - 1, &g))
        return;
    check_network(&g);
    graph_free(&g);
}

static void test_same_bytes(void)
{
    size_t a_size, b_size, c_size;
    uint8_t *a = build(spec, sizeof spec - 1, &a_size), *b = build(spec, sizeof spec - 1, &b_size);
    uint8_t *c = build(respelled, sizeof respelled - 1, &c_size);
    CHECK(a && b && c);
    if (a && b && c) {
        CHECK(a_size == b_size && memcmp(a, b, a_size) == 0);
        CHECK(a_size == c_size && memcmp(a, c, a_size) == 0);
    }
    free(a);
    free(b);
    free(c);
}

/* Weights come from one fixed LCG stream in layer order, so a network cut
 * after any layer keeps the weights of the layers it keeps. */
static void test_weights_stream(void)
{
    static const char one[] = "input 4x4x2\npw c=3\n", two[] = "input 4x4x2\npw c=3\npw c=5\n";
    size_t n1, n2;
    uint8_t *f1 = build(one, sizeof one - 1, &n1), *f2 = build(two, sizeof two - 1, &n2);
    msf_graph g1, g2;
    char err[256];
    if (!f1 || !f2) {
        free(f1);
        free(f2);
        return;
    }
    int ok1 = graph_from_tflite(f1, n1, &g1, err, sizeof err) == 0;
    int ok2 = graph_from_tflite(f2, n2, &g2, err, sizeof err) == 0;
    CHECK(ok1 && ok2);
    if (ok1 && ok2) {
        const msf_conv_params *a = &g1.ops[0].p.conv, *b = &g2.ops[0].p.conv;
        CHECK(memcmp(a->weights, b->weights, 6) == 0);
        CHECK(memcmp(a->bias, b->bias, 3 * sizeof *a->bias) == 0);
        CHECK(memcmp(a->multiplier, b->multiplier, 3 * sizeof *a->multiplier) == 0);
    }
    if (ok1)
        graph_free(&g1);
    if (ok2)
        graph_free(&g2);
}

/* A constant int8 scalar v as TFLite quantizes a constant operand: over
 * [0, v], v itself 127. */
static void check_scalar(const tfl_tensor *t, double v)
{
    CHECK(t->type == TFL_TYPE_INT8 && t->data_bytes == 1 && t->data && (int8_t)t->data[0] == 127);
    CHECK(has_quant(t, v / 255.0, -128));
}

/* Squeeze-excite: the gating activations and the MUL as converters write
 * them. HARD_SWISH after a linear conv, quantized from -0.375 (its minimum)
 * to the input's largest value mapped; hard-sigmoid an ADD of 3 with RELU6
 * (at RELU6's 6/255) and a MUL by 1/6 (at 1/255), both -128; LOGISTIC at
 * 1/256, -128; the SE MUL reads the map, then the gate, and keeps the
 * map's quantization. */
static void test_squeeze_excite(void)
{
    static const char text[] = "input 8x8x3\npw c=8 act=hardswish name=x\ngap as=mean\n"
                               "pw c=4 act=relu\npw c=8 act=hardsigmoid\nmul from=x\n"
                               "gap\nfc c=8 act=logistic\nmul from=x\n";
    enum { CONV, HSWISH, MEAN, SQUEEZE, EXCITE, ADD3, MUL6, SE_MUL, POOL, FLAT, FC, LOGISTIC, SE_MUL2, N };
    static const msf_op_type types[N] = {
        MSF_OP_CONV2D, MSF_OP_HARD_SWISH, MSF_OP_MEAN, MSF_OP_CONV2D, MSF_OP_CONV2D, MSF_OP_ADD, MSF_OP_MUL,
        MSF_OP_MUL, MSF_OP_AVERAGE_POOL2D, MSF_OP_RESHAPE, MSF_OP_FULLY_CONNECTED, MSF_OP_LOGISTIC, MSF_OP_MUL};
    msf_graph g;
    if (load(text, sizeof text - 1, &g))
        return;
    CHECK_EQ_INT(g.model.n_ops, N);
    for (int32_t i = 0; i < N && i < g.model.n_ops; i++)
        CHECK_EQ_INT(g.ops[i].type, types[i]);
    if (g.model.n_ops == N) {
        const tfl_tensor *t = g.tfl.tensors;
        const tfl_operator *op = g.tfl.ops;
        const tfl_tensor *pre = &t[op[CONV].outputs[0]], *hs = &t[op[HSWISH].outputs[0]];
        double hi = pre->scales[0] * (127.0 - (double)pre->zero_points[0]), scale = (hi + 0.375) / 255.0;
        CHECK_EQ_INT(op[CONV].opt.activation, NONE);
        CHECK(has_quant(hs, scale, lround(-128.0 + 0.375 / scale)));
        check_scalar(&t[op[ADD3].inputs[1]], 3.0);
        CHECK(op[ADD3].opt.activation == RELU6 && has_quant(&t[op[ADD3].outputs[0]], 6.0 / 255.0, -128));
        check_scalar(&t[op[MUL6].inputs[1]], 1.0 / 6.0);
        CHECK(has_quant(&t[op[MUL6].outputs[0]], 1.0 / 255.0, -128));
        CHECK(has_quant(&t[op[LOGISTIC].outputs[0]], 1.0 / 256.0, -128));
        CHECK(g.ops[SE_MUL].inputs[0] == g.ops[HSWISH].output && g.ops[SE_MUL].inputs[1] == g.ops[MUL6].output);
        CHECK(g.ops[SE_MUL2].inputs[0] == g.ops[HSWISH].output && g.ops[SE_MUL2].inputs[1] == g.ops[LOGISTIC].output);
        CHECK(has_quant(&t[op[SE_MUL].outputs[0]], hs->scales[0], hs->zero_points[0]));
        CHECK(has_quant(&t[op[SE_MUL2].outputs[0]], hs->scales[0], hs->zero_points[0]));
    }
    graph_free(&g);
}

/* The reference vectors' input generator: seed 1 starts 0xc6 0x7e 0x81. */
static void test_lcg(void)
{
    static const uint8_t first[4] = {0xc6, 0x7e, 0x81, 0x6b};
    uint8_t got[4];
    spec_lcg_fill(got, sizeof got, 1);
    check_bytes_equal("spec_lcg_fill seed 1", got, first, sizeof first);
}

int main(void)
{
    test_squeeze_excite();
    test_network();
    test_same_bytes();
    test_weights_stream();
    test_lcg();
    return check_summary();
}
