/* The flatbuffer writer and the demo model, read back with the reader:
 * a hand-made description covering every options table the writer emits
 * must come back field for field and byte for byte, and the demo model
 * must be the network its file comment describes. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "demo_model.h"
#include "tflite_reader.h"
#include "tflite_writer.h"

enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 3 };
enum { OP_GELU = 150 };            /* a code above the deprecated byte's range */

static int near(double got, double want)
{
    return fabs(got - want) <= 1e-6 * fabs(want);
}

static int read_model(const uint8_t *file, size_t size, tfl_model *m)
{
    char err[256];
    if (tflite_read(file, size, m, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "tflite_read: %s\n", err);
    check_failed++;
    return -1;
}

/* ---- A hand-made description through the writer and the reader. */

static const float conv_scales[2] = {0.25f, 0.0078125f};
static const int64_t conv_zero_points[2] = {0, 0};
static const float act_scale[1] = {0.5f};
static const int64_t act_zero_point[1] = {-3};
static const int8_t conv_weights[8 * 4] = {-127, -5, 0, 3, 127, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                           -1, -2, -3, -4, -5, -6, -7, -8, 1, 1, 1, 1, 2, 2, 2, 2};
static const uint8_t bias_bytes[8] = {0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff};
static const uint8_t shape_bytes[8] = {1, 0, 0, 0, 8, 0, 0, 0};

static const tfw_tensor hand_tensors[] = {
    {"input", TFL_TYPE_INT8, 4, {1, 6, 6, 4}, NULL, 0, 1, act_scale, act_zero_point, 0},
    {"weights", TFL_TYPE_INT8, 4, {2, 2, 2, 4}, conv_weights, sizeof conv_weights, 2, conv_scales,
     conv_zero_points, 0},
    {"bias", TFL_TYPE_INT32, 1, {2}, bias_bytes, sizeof bias_bytes, 2, conv_scales,
     conv_zero_points, 0},
    {NULL, TFL_TYPE_INT8, 4, {1, 3, 3, 2}, NULL, 0, 1, act_scale, act_zero_point, 0},
    {"shape", TFL_TYPE_INT32, 1, {2}, shape_bytes, sizeof shape_bytes, 0, NULL, NULL, 0},
    {"scalar", TFL_TYPE_INT8, 0, {0}, conv_weights, 1, 2, conv_scales, conv_zero_points, 3},
};

static const int32_t conv_in[] = {0, 1, 2}, dw_in[] = {0, 1, -1}, one_in[] = {0},
                     two_in[] = {0, 3}, three_in[] = {0, 3, 0}, reshape_in[] = {3, 4}, out3[] = {3};

#define OP(code, version, in, ...)                                                              \
    {code, version, (int32_t)(sizeof in / sizeof in[0]), in, 1, out3, {__VA_ARGS__}}

static const tfw_operator hand_ops[] = {
    OP(TFL_OP_CONV_2D, 3, conv_in, .type = TFW_OPT_CONV_2D, .padding = TFL_PADDING_VALID,
       .stride_w = 2, .stride_h = 1, .dilation_w = 2, .dilation_h = 1, .activation = ACT_RELU),
    OP(TFL_OP_DEPTHWISE_CONV_2D, 3, dw_in, .type = TFW_OPT_DEPTHWISE_CONV_2D, .stride_w = 1,
       .stride_h = 1, .dilation_w = 1, .dilation_h = 3, .depth_multiplier = 2,
       .activation = ACT_RELU6),
    OP(TFL_OP_AVERAGE_POOL_2D, 2, one_in, .type = TFW_OPT_POOL_2D, .padding = TFL_PADDING_VALID,
       .stride_w = 2, .stride_h = 2, .filter_w = 3, .filter_h = 2),
    OP(TFL_OP_MAX_POOL_2D, 2, one_in, .type = TFW_OPT_POOL_2D, .stride_w = 1, .stride_h = 1,
       .filter_w = 2, .filter_h = 2, .activation = ACT_RELU6),
    OP(TFL_OP_FULLY_CONNECTED, 4, conv_in, .type = TFW_OPT_FULLY_CONNECTED, .keep_num_dims = 1,
       .activation = ACT_RELU),
    OP(TFL_OP_SOFTMAX, 2, one_in, .type = TFW_OPT_SOFTMAX, .beta = 0.5f),
    OP(TFL_OP_CONCATENATION, 1, three_in, .type = TFW_OPT_CONCATENATION, .axis = 3,
       .activation = ACT_RELU6),
    OP(TFL_OP_ADD, 2, two_in, .type = TFW_OPT_ADD, .activation = ACT_RELU6),
    OP(TFL_OP_RESHAPE, 1, reshape_in, .type = TFW_OPT_RESHAPE, .n_new_shape = 2,
       .new_shape = {1, 8}),
    OP(TFL_OP_RESHAPE, 1, reshape_in, .type = TFW_OPT_RESHAPE),
    OP(TFL_OP_MUL, 1, two_in, .type = TFW_OPT_MUL, .activation = ACT_RELU),
    OP(TFL_OP_PAD, 1, reshape_in, .type = TFW_OPT_PAD),
    OP(TFL_OP_MEAN, 1, reshape_in, .type = TFW_OPT_REDUCER, .keep_dims = 1),
    OP(TFL_OP_RESIZE_NEAREST_NEIGHBOR, 1, reshape_in, .type = TFW_OPT_RESIZE_NEAREST_NEIGHBOR,
       .half_pixel_centers = 1),
    OP(TFL_OP_CONV_2D, 2, conv_in, .type = TFW_OPT_CONV_2D, .dilation_w = 1, .dilation_h = 1),
    OP(OP_GELU, 1, one_in, .type = TFW_OPT_NONE),
};

#define COUNT(a) ((int32_t)(sizeof(a) / sizeof((a)[0])))

static const int32_t hand_inputs[] = {0}, hand_outputs[] = {3};

static const tfw_model hand_model = {"hand-made", "main", COUNT(hand_tensors), hand_tensors,
                                     COUNT(hand_ops), hand_ops, 1, hand_inputs, 1, hand_outputs};

static void check_tensor(const tfw_tensor *want, const tfl_tensor *got, const uint8_t *file)
{
    CHECK_EQ_INT(got->type, want->type);
    CHECK_EQ_INT(got->rank, want->rank);
    for (int32_t d = 0; d < want->rank && d < got->rank; d++)
        CHECK_EQ_INT(got->shape[d], want->shape[d]);
    CHECK(strcmp(got->name, want->name ? want->name : "") == 0);
    CHECK_EQ_INT(got->data_bytes, want->data_bytes);
    if (want->data_bytes && got->data && got->data_bytes == want->data_bytes) {
        check_bytes_equal(want->name, got->data, want->data, want->data_bytes);
        CHECK_EQ_INT((got->data - file) % 16, 0);
    }
    CHECK_EQ_INT(got->n_scales, want->n_quant);
    CHECK_EQ_INT(got->n_zero_points, want->n_quant);
    for (int32_t i = 0; i < want->n_quant && i < got->n_scales && i < got->n_zero_points; i++) {
        CHECK(got->scales[i] == want->scales[i]);
        CHECK_EQ_INT(got->zero_points[i], want->zero_points[i]);
    }
    if (want->n_quant)
        CHECK_EQ_INT(got->quantized_dimension, want->quantized_dimension);
}

/* The reader gives schema defaults for fields the writer left out. */
static void check_options(const tfw_options *want, const tfl_operator *got)
{
    int conv = want->type == TFW_OPT_CONV_2D || want->type == TFW_OPT_DEPTHWISE_CONV_2D;
    const tfl_options *o = &got->opt;
    CHECK_EQ_INT(got->options_type, want->type);
    CHECK_EQ_INT(o->padding, want->padding);
    CHECK_EQ_INT(o->stride_w, want->stride_w);
    CHECK_EQ_INT(o->stride_h, want->stride_h);
    CHECK_EQ_INT(o->dilation_w, conv ? want->dilation_w : 1);
    CHECK_EQ_INT(o->dilation_h, conv ? want->dilation_h : 1);
    CHECK_EQ_INT(o->filter_w, want->filter_w);
    CHECK_EQ_INT(o->filter_h, want->filter_h);
    CHECK_EQ_INT(o->depth_multiplier, want->depth_multiplier);
    CHECK_EQ_INT(o->activation, want->activation);
    CHECK_EQ_INT(o->keep_num_dims, want->keep_num_dims);
    CHECK(o->beta == want->beta);
    CHECK_EQ_INT(o->axis, want->axis);
    CHECK_EQ_INT(o->keep_dims, want->keep_dims);
    CHECK_EQ_INT(o->align_corners, want->align_corners);
    CHECK_EQ_INT(o->half_pixel_centers, want->half_pixel_centers);
    CHECK_EQ_INT(o->n_new_shape, want->n_new_shape > 0 ? want->n_new_shape : -1);
    for (int32_t i = 0; i < want->n_new_shape && i < o->n_new_shape; i++)
        CHECK_EQ_INT(o->new_shape[i], want->new_shape[i]);
}

static void check_operator(const tfw_operator *want, const tfl_operator *got)
{
    CHECK_EQ_INT(got->opcode, want->opcode);
    CHECK_EQ_INT(got->version, want->version);
    CHECK_EQ_INT(got->n_inputs, want->n_inputs);
    for (int32_t i = 0; i < want->n_inputs && i < got->n_inputs; i++)
        CHECK_EQ_INT(got->inputs[i], want->inputs[i]);
    CHECK_EQ_INT(got->n_outputs, want->n_outputs);
    for (int32_t i = 0; i < want->n_outputs && i < got->n_outputs; i++)
        CHECK_EQ_INT(got->outputs[i], want->outputs[i]);
    check_options(&want->options, got);
}

static void test_hand_model(void)
{
    size_t size;
    uint8_t *file = tflite_write(&hand_model, &size);
    tfl_model m;
    CHECK(file != NULL);
    if (!file || read_model(file, size, &m) < 0) {
        free(file);
        return;
    }
    CHECK(memcmp(file + 4, "TFL3", 4) == 0);
    CHECK_EQ_INT(m.n_tensors, COUNT(hand_tensors));
    for (int32_t i = 0; i < COUNT(hand_tensors) && i < m.n_tensors; i++)
        check_tensor(&hand_tensors[i], &m.tensors[i], file);
    CHECK_EQ_INT(m.n_ops, COUNT(hand_ops));
    for (int32_t i = 0; i < COUNT(hand_ops) && i < m.n_ops; i++)
        check_operator(&hand_ops[i], &m.ops[i]);
    CHECK(m.n_inputs == 1 && m.inputs[0] == 0);
    CHECK(m.n_outputs == 1 && m.outputs[0] == 3);
    tflite_free(&m);
    free(file);
}

static void test_bad_descriptions(void)
{
    size_t size = 1;
    tfw_operator op = hand_ops[0];
    tfw_model bad = hand_model;
    bad.ops = &op;
    bad.n_ops = 1;
    op.inputs = (const int32_t[]){0, 1, COUNT(hand_tensors)};
    CHECK(tflite_write(&bad, &size) == NULL && size == 0);
    op.inputs = conv_in;
    op.options.type = 3;           /* ConcatEmbeddingsOptions: not written */
    CHECK(tflite_write(&bad, &size) == NULL);
    op.options.type = TFW_OPT_CONV_2D;
    bad.outputs = (const int32_t[]){-1};
    CHECK(tflite_write(&bad, &size) == NULL);
}

/* ---- The demo model. */

typedef struct {
    int32_t opcode;
    int32_t rank;
    int32_t shape[4];              /* of the output */
} demo_layer;

static const demo_layer demo_layers[] = {
    {TFL_OP_CONV_2D, 4, {1, 24, 24, 16}},          {TFL_OP_DEPTHWISE_CONV_2D, 4, {1, 24, 24, 16}},
    {TFL_OP_CONV_2D, 4, {1, 24, 24, 8}},           {TFL_OP_CONV_2D, 4, {1, 24, 24, 48}},
    {TFL_OP_DEPTHWISE_CONV_2D, 4, {1, 24, 24, 48}}, {TFL_OP_CONV_2D, 4, {1, 24, 24, 8}},
    {TFL_OP_ADD, 4, {1, 24, 24, 8}},               {TFL_OP_CONV_2D, 4, {1, 24, 24, 48}},
    {TFL_OP_DEPTHWISE_CONV_2D, 4, {1, 12, 12, 48}}, {TFL_OP_CONV_2D, 4, {1, 12, 12, 16}},
    {TFL_OP_CONV_2D, 4, {1, 12, 12, 64}},          {TFL_OP_AVERAGE_POOL_2D, 4, {1, 1, 1, 64}},
    {TFL_OP_RESHAPE, 2, {1, 64}},                  {TFL_OP_FULLY_CONNECTED, 2, {1, 10}},
    {TFL_OP_SOFTMAX, 2, {1, 10}},
};

#define DEMO_MACS 1638784
#define DEMO_WEIGHT_BYTES 5152     /* int8 weights */
#define DEMO_BIAS_BYTES 1320       /* int32 biases */

static int64_t elements(const tfl_tensor *t)
{
    int64_t n = 1;
    for (int32_t d = 0; d < t->rank; d++)
        n *= t->shape[d];
    return n;
}

static int has_quant(const tfl_tensor *t, double scale, int64_t zero_point)
{
    return t->n_scales == 1 && t->n_zero_points == 1 && near(t->scales[0], scale) &&
           t->zero_points[0] == zero_point;
}

/* Weights int8 symmetric in [-127, 127], per channel along dim (conv)
 * or per tensor (dim -1); bias int32 with scales s_in * s_w. */
static void check_weights(const tfl_model *m, const tfl_operator *op, int32_t dim)
{
    const tfl_tensor *in = &m->tensors[op->inputs[0]];
    const tfl_tensor *w = &m->tensors[op->inputs[1]];
    const tfl_tensor *b = &m->tensors[op->inputs[2]];
    int32_t n = dim < 0 ? 1 : w->shape[dim];
    CHECK_EQ_INT(w->type, TFL_TYPE_INT8);
    CHECK_EQ_INT(b->type, TFL_TYPE_INT32);
    CHECK(w->data && w->data_bytes == elements(w));
    CHECK(b->data && b->data_bytes == 4 * elements(b));
    CHECK(w->n_scales == n && w->n_zero_points == n && b->n_scales == n && b->n_zero_points == n);
    if (dim >= 0)
        CHECK_EQ_INT(w->quantized_dimension, dim);
    for (int32_t c = 0; c < n && c < w->n_scales && c < b->n_scales && c < b->n_zero_points &&
                        c < w->n_zero_points;
         c++) {
        CHECK(w->scales[c] > 0 && w->zero_points[c] == 0 && b->zero_points[c] == 0);
        CHECK(near(b->scales[c], (double)in->scales[0] * w->scales[c]));
    }
    int32_t n_minus_128 = 0;
    for (uint32_t i = 0; w->data && i < w->data_bytes; i++)
        n_minus_128 += (int8_t)w->data[i] == -128;
    CHECK_EQ_INT(n_minus_128, 0);
}

static int64_t op_macs(const tfl_model *m, const tfl_operator *op)
{
    const tfl_tensor *out = &m->tensors[op->outputs[0]];
    const tfl_tensor *w = op->n_inputs > 1 ? &m->tensors[op->inputs[1]] : NULL;
    if (op->opcode == TFL_OP_CONV_2D)
        return elements(out) * w->shape[1] * w->shape[2] * w->shape[3];
    if (op->opcode == TFL_OP_DEPTHWISE_CONV_2D)
        return elements(out) * w->shape[1] * w->shape[2];
    if (op->opcode == TFL_OP_FULLY_CONNECTED)
        return elements(out) * w->shape[1];
    return 0;
}

static void check_demo_op(const tfl_model *m, int32_t i, int64_t *macs)
{
    const tfl_operator *op = &m->ops[i];
    const demo_layer *want = &demo_layers[i];
    CHECK_EQ_INT(op->opcode, want->opcode);
    CHECK_EQ_INT(op->n_outputs, 1);
    const tfl_tensor *in = &m->tensors[op->inputs[0]];
    const tfl_tensor *out = &m->tensors[op->outputs[0]];
    CHECK_EQ_INT(out->type, TFL_TYPE_INT8);
    CHECK_EQ_INT(out->rank, want->rank);
    for (int32_t d = 0; d < want->rank && d < out->rank; d++)
        CHECK_EQ_INT(out->shape[d], want->shape[d]);
    CHECK(out->data == NULL);
    if (op->opt.activation == ACT_RELU6)
        CHECK(has_quant(out, 6.0 / 255.0, -128));
    if (op->opcode == TFL_OP_CONV_2D)
        check_weights(m, op, 0);
    if (op->opcode == TFL_OP_DEPTHWISE_CONV_2D)
        check_weights(m, op, 3);
    if (op->opcode == TFL_OP_FULLY_CONNECTED)
        check_weights(m, op, -1);
    if (op->opcode == TFL_OP_AVERAGE_POOL_2D || op->opcode == TFL_OP_RESHAPE)
        CHECK(has_quant(out, in->scales[0], in->zero_points[0]));
    if (op->opcode == TFL_OP_SOFTMAX)
        CHECK(has_quant(out, 1.0 / 256.0, -128));
    *macs += op_macs(m, op);
}

static void check_demo_tensors(const tfl_model *m, const uint8_t *file)
{
    int64_t weight_bytes = 0, bias_bytes = 0;
    for (int32_t i = 0; i < m->n_tensors; i++) {
        const tfl_tensor *t = &m->tensors[i];
        CHECK(t->name[0] != '\0');
        if (!t->data)
            continue;
        CHECK_EQ_INT((t->data - file) % 16, 0);
        if (t->type == TFL_TYPE_INT8)
            weight_bytes += t->data_bytes;
        else if (t->n_scales > 0)
            bias_bytes += t->data_bytes;
    }
    CHECK_EQ_INT(weight_bytes, DEMO_WEIGHT_BYTES);
    CHECK_EQ_INT(bias_bytes, DEMO_BIAS_BYTES);
}

static void test_demo_model(void)
{
    size_t size, size2;
    uint8_t *file = demo_model_build(&size);
    uint8_t *again = demo_model_build(&size2);
    tfl_model m;
    CHECK(file && again && size == size2 && memcmp(file, again, size) == 0);
    free(again);
    if (!file || read_model(file, size, &m) < 0) {
        free(file);
        return;
    }
    CHECK_EQ_INT(m.n_ops, COUNT(demo_layers));
    CHECK(m.n_inputs == 1 && m.n_outputs == 1);
    if (m.n_ops == COUNT(demo_layers) && m.n_inputs == 1 && m.n_outputs == 1) {
        int64_t macs = 0;
        for (int32_t i = 0; i < m.n_ops; i++)
            check_demo_op(&m, i, &macs);
        CHECK_EQ_INT(macs, DEMO_MACS);
        const tfl_tensor *in = &m.tensors[m.inputs[0]];
        CHECK(in->rank == 4 && in->shape[1] == 48 && in->shape[2] == 48 && in->shape[3] == 3);
        CHECK(has_quant(in, 1.0 / 255.0, -128));
        CHECK_EQ_INT(m.outputs[0], m.ops[m.n_ops - 1].outputs[0]);
        /* The residual: the ADD joins the first projection and block 1's. */
        CHECK(m.ops[6].inputs[0] == m.ops[2].outputs[0] && m.ops[6].inputs[1] == m.ops[5].outputs[0]);
    }
    check_demo_tensors(&m, file);
    tflite_free(&m);
    free(file);
}

static void test_demo_input(void)
{
    static const uint8_t first[8] = {0xc6, 0x7e, 0x81, 0x6b, 0x4b, 0xfb, 0xe2, 0xfb};
    size_t size;
    uint8_t *in = demo_model_input(&size);
    CHECK(in != NULL);
    CHECK_EQ_INT(size, 48 * 48 * 3);
    if (in && size >= sizeof first)
        check_bytes_equal("demo input (reference seed1 LCG)", in, first, sizeof first);
    free(in);
}

int main(void)
{
    test_hand_model();
    test_bad_descriptions();
    test_demo_model();
    test_demo_input();
    return check_summary();
}
