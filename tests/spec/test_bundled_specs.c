/* The bundled specs are the networks they claim to be. The three chains
 * must match msf-CNN's layer lists layer by layer (type, kernel, stride,
 * output channels and size, MACs) and add up to its 'Common' MACs; the
 * expected rows below are those published lists (msf-CNN: Patch-based
 * Multi-Stage Fusion with Convolutional Neural Networks for TinyML,
 * Tables 1, 3, 5, and the layer lists of its public implementation).
 * MobileNetV2 0.35 must have the blocks of the MobileNetV2 paper (Sandler
 * et al. 2018, Table 2) at width 0.35 with the reference implementations'
 * channel rounding, its residual adds on the right tensors, and its head.
 * MobileNetV3-Small must have the bottlenecks of the MobileNetV3 paper
 * (Howard et al. 2019, Table 2) with squeeze-excite where it says, hard-swish
 * where it says, and the reference implementation's squeeze channels. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "file_io.h"
#include "spec_reader.h"

#define MODELS MSF_SOURCE_DIR "/models/"

enum { CONV, DW };

typedef struct {
    int type;
    int32_t k, stride, c_out, out_hw;
    uint64_t macs;
} table_layer;

static const table_layer mbv2_w035_r144[] = {
    {CONV, 3, 2, 11, 72, 1539648}, {CONV, 1, 1, 11, 72, 627264}, {DW, 3, 1, 11, 72, 513216},
    {CONV, 1, 1, 5, 72, 285120}, {CONV, 1, 1, 30, 72, 777600}, {DW, 3, 2, 30, 36, 349920},
    {CONV, 1, 1, 8, 36, 311040}, {CONV, 1, 1, 48, 36, 497664}, {DW, 3, 1, 48, 36, 559872},
    {CONV, 1, 1, 8, 36, 497664}, {CONV, 1, 1, 48, 36, 497664}, {DW, 3, 2, 48, 18, 139968},
    {CONV, 1, 1, 11, 18, 171072}, {CONV, 1, 1, 66, 18, 235224}, {DW, 3, 1, 66, 18, 192456},
    {CONV, 1, 1, 11, 18, 235224}, {CONV, 1, 1, 66, 18, 235224}, {DW, 3, 1, 66, 18, 192456},
    {CONV, 1, 1, 11, 18, 235224}, {CONV, 1, 1, 66, 18, 235224}, {DW, 3, 2, 66, 9, 48114},
    {CONV, 1, 1, 22, 9, 117612}, {CONV, 1, 1, 132, 9, 235224}, {DW, 3, 1, 132, 9, 96228},
    {CONV, 1, 1, 22, 9, 235224}, {CONV, 1, 1, 132, 9, 235224}, {DW, 3, 1, 132, 9, 96228},
    {CONV, 1, 1, 22, 9, 235224}, {CONV, 1, 1, 132, 9, 235224}, {DW, 3, 1, 132, 9, 96228},
    {CONV, 1, 1, 22, 9, 235224}, {CONV, 1, 1, 132, 9, 235224}, {DW, 3, 1, 132, 9, 96228},
    {CONV, 1, 1, 33, 9, 352836}, {CONV, 1, 1, 198, 9, 529254}, {DW, 3, 1, 198, 9, 144342},
    {CONV, 1, 1, 33, 9, 529254}, {CONV, 1, 1, 198, 9, 529254}, {DW, 3, 1, 198, 9, 144342},
    {CONV, 1, 1, 33, 9, 529254}, {CONV, 1, 1, 198, 9, 529254}, {DW, 3, 2, 198, 5, 44550},
    {CONV, 1, 1, 56, 5, 277200}, {CONV, 1, 1, 336, 5, 470400}, {DW, 3, 1, 336, 5, 75600},
    {CONV, 1, 1, 56, 5, 470400}, {CONV, 1, 1, 336, 5, 470400}, {DW, 3, 1, 336, 5, 75600},
    {CONV, 1, 1, 56, 5, 470400}, {CONV, 1, 1, 336, 5, 470400}, {DW, 3, 1, 336, 5, 75600},
    {CONV, 1, 1, 112, 5, 940800}, {CONV, 1, 1, 448, 5, 1254400},
};

static const table_layer mn2_vww5_r80[] = {
    {CONV, 3, 2, 16, 40, 691200}, {DW, 3, 1, 16, 40, 230400}, {CONV, 1, 1, 8, 40, 204800},
    {CONV, 1, 1, 48, 40, 614400}, {DW, 3, 2, 48, 20, 172800}, {CONV, 1, 1, 16, 20, 307200},
    {CONV, 1, 1, 48, 20, 307200}, {DW, 3, 1, 48, 20, 172800}, {CONV, 1, 1, 16, 20, 307200},
    {CONV, 1, 1, 48, 20, 307200}, {DW, 3, 1, 48, 20, 172800}, {CONV, 1, 1, 16, 20, 307200},
    {CONV, 1, 1, 48, 20, 307200}, {DW, 7, 2, 48, 10, 235200}, {CONV, 1, 1, 24, 10, 115200},
    {CONV, 1, 1, 144, 10, 345600}, {DW, 3, 1, 144, 10, 129600}, {CONV, 1, 1, 24, 10, 345600},
    {CONV, 1, 1, 120, 10, 288000}, {DW, 5, 1, 120, 10, 300000}, {CONV, 1, 1, 24, 10, 288000},
    {CONV, 1, 1, 144, 10, 345600}, {DW, 7, 2, 144, 5, 176400}, {CONV, 1, 1, 40, 5, 144000},
    {CONV, 1, 1, 240, 5, 240000}, {DW, 7, 1, 240, 5, 294000}, {CONV, 1, 1, 40, 5, 240000},
    {CONV, 1, 1, 240, 5, 240000}, {DW, 3, 1, 240, 5, 54000}, {CONV, 1, 1, 48, 5, 288000},
    {CONV, 1, 1, 192, 5, 230400}, {DW, 3, 1, 192, 5, 43200}, {CONV, 1, 1, 48, 5, 230400},
    {CONV, 1, 1, 240, 5, 288000}, {DW, 5, 2, 240, 3, 54000}, {CONV, 1, 1, 96, 3, 207360},
    {CONV, 1, 1, 480, 3, 414720}, {DW, 3, 1, 480, 3, 38880}, {CONV, 1, 1, 96, 3, 414720},
    {CONV, 1, 1, 384, 3, 331776}, {DW, 3, 1, 384, 3, 31104}, {CONV, 1, 1, 96, 3, 331776},
    {CONV, 1, 1, 288, 3, 248832}, {DW, 7, 1, 288, 3, 127008}, {CONV, 1, 1, 160, 3, 414720},
};

static const table_layer mn2_320k_r176[] = {
    {CONV, 3, 2, 16, 88, 3345408}, {DW, 3, 1, 16, 88, 1115136}, {CONV, 1, 1, 8, 88, 991232},
    {CONV, 1, 1, 24, 88, 1486848}, {DW, 7, 2, 24, 44, 2276736}, {CONV, 1, 1, 16, 44, 743424},
    {CONV, 1, 1, 80, 44, 2478080}, {DW, 3, 1, 80, 44, 1393920}, {CONV, 1, 1, 16, 44, 2478080},
    {CONV, 1, 1, 80, 44, 2478080}, {DW, 7, 1, 80, 44, 7589120}, {CONV, 1, 1, 16, 44, 2478080},
    {CONV, 1, 1, 64, 44, 1982464}, {DW, 5, 1, 64, 44, 3097600}, {CONV, 1, 1, 16, 44, 1982464},
    {CONV, 1, 1, 80, 44, 2478080}, {DW, 5, 2, 80, 22, 968000}, {CONV, 1, 1, 24, 22, 929280},
    {CONV, 1, 1, 120, 22, 1393920}, {DW, 5, 1, 120, 22, 1452000}, {CONV, 1, 1, 24, 22, 1393920},
    {CONV, 1, 1, 120, 22, 1393920}, {DW, 5, 1, 120, 22, 1452000}, {CONV, 1, 1, 24, 22, 1393920},
    {CONV, 1, 1, 120, 22, 1393920}, {DW, 3, 2, 120, 11, 130680}, {CONV, 1, 1, 40, 11, 580800},
    {CONV, 1, 1, 240, 11, 1161600}, {DW, 7, 1, 240, 11, 1422960}, {CONV, 1, 1, 40, 11, 1161600},
    {CONV, 1, 1, 160, 11, 774400}, {DW, 5, 1, 160, 11, 484000}, {CONV, 1, 1, 40, 11, 774400},
    {CONV, 1, 1, 200, 11, 968000}, {DW, 5, 1, 200, 11, 605000}, {CONV, 1, 1, 48, 11, 1161600},
    {CONV, 1, 1, 240, 11, 1393920}, {DW, 7, 1, 240, 11, 1422960}, {CONV, 1, 1, 48, 11, 1393920},
    {CONV, 1, 1, 240, 11, 1393920}, {DW, 3, 1, 240, 11, 261360}, {CONV, 1, 1, 48, 11, 1393920},
    {CONV, 1, 1, 288, 11, 1672704}, {DW, 3, 2, 288, 6, 93312}, {CONV, 1, 1, 96, 6, 995328},
    {CONV, 1, 1, 480, 6, 1658880}, {DW, 7, 1, 480, 6, 846720}, {CONV, 1, 1, 96, 6, 1658880},
    {CONV, 1, 1, 384, 6, 1327104}, {DW, 3, 1, 384, 6, 124416}, {CONV, 1, 1, 96, 6, 1327104},
    {CONV, 1, 1, 480, 6, 1658880}, {DW, 7, 1, 480, 6, 846720}, {CONV, 1, 1, 160, 6, 2764800},
};

typedef struct {
    const char *file;
    const table_layer *layers;
    int32_t n;
    int32_t in_hw;
    uint64_t common_macs;
} chain;

#define CHAIN(file, rows, in_hw, macs) {file, rows, (int32_t)(sizeof rows / sizeof rows[0]), in_hw, macs}

static const chain chains[] = {
    CHAIN("mbv2-w035-r144.spec", mbv2_w035_r144, 144, 18909490),
    CHAIN("mn2-vww5-r80.spec", mn2_vww5_r80, 80, 11578496),
    CHAIN("mn2-320k-r176.spec", mn2_320k_r176, 176, 81625520),
};

static int load(const char *file, msf_graph *g)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s%s", MODELS, file);
    if (graph_load(path, g, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "%s\n", err);
    check_failed++;
    return -1;
}

static const msf_tensor *output_of(const msf_graph *g, int32_t op)
{
    return &g->tensors[g->ops[op].output];
}

static void check_shape(const msf_tensor *t, int32_t h, int32_t w, int32_t c)
{
    CHECK_EQ_INT(t->rank, 4);
    CHECK(t->dims[0] == 1 && t->dims[1] == h && t->dims[2] == w);
    CHECK_EQ_INT(t->dims[3], c);
}

/* MobileNetV2 conventions: RELU6 after the first conv, the expansions and
 * the depthwise convs; a projection (the 1x1 after a depthwise) is linear. */
static int32_t expected_activation(const table_layer *rows, int32_t i)
{
    return i > 0 && rows[i].type == CONV && rows[i - 1].type == DW ? 0 : 3;
}

static void check_chain(const chain *c)
{
    msf_graph g;
    if (load(c->file, &g))
        return;
    CHECK_EQ_INT(g.model.n_ops, c->n);
    const msf_tensor *in = &g.tensors[g.model.inputs[0]];
    check_shape(in, c->in_hw, c->in_hw, 3);
    uint64_t total = 0;
    for (int32_t i = 0; i < c->n && i < g.model.n_ops; i++) {
        const table_layer *want = &c->layers[i];
        const msf_op *op = &g.ops[i];
        CHECK_EQ_INT(op->type, want->type == CONV ? MSF_OP_CONV2D : MSF_OP_DEPTHWISE_CONV2D);
        CHECK(op->p.conv.kernel_h == want->k && op->p.conv.kernel_w == want->k);
        CHECK(op->p.conv.stride_h == want->stride && op->p.conv.stride_w == want->stride);
        CHECK_EQ_INT(g.tfl.ops[i].opt.activation, expected_activation(c->layers, i));
        check_shape(output_of(&g, i), want->out_hw, want->out_hw, want->c_out);
        CHECK_EQ_INT(g.op_macs[i], want->macs);
        total += g.op_macs[i];
    }
    CHECK_EQ_INT(total, c->common_macs);
    CHECK_EQ_INT(g.model.outputs[0], g.ops[g.model.n_ops - 1].output);
    graph_free(&g);
}

/* ---- MobileNetV2 0.35 at 144x144. */

/* Blocks of the (t, c, n, s) settings (1,16,1,1) (6,24,2,2) (6,32,3,2)
 * (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1), one row a repeat, with
 * make_divisible(c * 0.35, 8) channels: 8 8 16 24 32 56 112. */
typedef struct {
    int32_t t, c_out, stride, out_hw;
} mbv2_block;

static const mbv2_block mbv2_blocks[] = {
    {1, 8, 1, 72},  {6, 8, 2, 36},  {6, 8, 1, 36},  {6, 16, 2, 18}, {6, 16, 1, 18}, {6, 16, 1, 18},
    {6, 24, 2, 9},  {6, 24, 1, 9},  {6, 24, 1, 9},  {6, 24, 1, 9},  {6, 32, 1, 9},  {6, 32, 1, 9},
    {6, 32, 1, 9},  {6, 56, 2, 5},  {6, 56, 1, 5},  {6, 56, 1, 5},  {6, 112, 1, 5},
};

#define MBV2_STEM_C 16    /* make_divisible(32 * 0.35, 8) */
#define MBV2_LAST_C 1280  /* kept for widths below 1 */
#define MBV2_OPS 66
#define MBV2_ADDS 10
#define MBV2_MACS 26660752

static int32_t check_op(const msf_graph *g, int32_t i, msf_op_type type, int32_t hw, int32_t c)
{
    if (i >= g->model.n_ops) {
        CHECK(0);
        return i;
    }
    CHECK_EQ_INT(g->ops[i].type, type);
    if (hw)
        check_shape(output_of(g, i), hw, hw, c);
    return i + 1;
}

/* One inverted residual block from op i, on an in_hw x in_hw x in_c
 * tensor; returns the next op. */
static int32_t check_block(const msf_graph *g, int32_t i, const mbv2_block *b, int32_t in_hw,
                           int32_t in_c, int32_t *adds)
{
    int32_t block_in = i > 0 ? g->ops[i - 1].output : -1, hidden = in_c * b->t;
    if (b->t != 1)
        i = check_op(g, i, MSF_OP_CONV2D, in_hw, hidden);
    if (i < g->model.n_ops)
        CHECK_EQ_INT(g->ops[i].p.conv.stride_h, b->stride);
    i = check_op(g, i, MSF_OP_DEPTHWISE_CONV2D, b->out_hw, hidden);
    if (i < g->model.n_ops)
        CHECK_EQ_INT(g->tfl.ops[i].opt.activation, 0);
    i = check_op(g, i, MSF_OP_CONV2D, b->out_hw, b->c_out);
    if (b->stride == 1 && in_c == b->c_out) {
        int32_t projection = g->ops[i - 1].output;
        if (i < g->model.n_ops)
            CHECK(g->ops[i].inputs[0] == block_in && g->ops[i].inputs[1] == projection);
        i = check_op(g, i, MSF_OP_ADD, b->out_hw, b->c_out);
        ++*adds;
    }
    return i;
}

static void check_mobilenetv2(void)
{
    msf_graph g;
    if (load("mobilenetv2-w035-r144.spec", &g))
        return;
    check_shape(&g.tensors[g.model.inputs[0]], 144, 144, 3);
    int32_t i = check_op(&g, 0, MSF_OP_CONV2D, 72, MBV2_STEM_C), hw = 72, c = MBV2_STEM_C, adds = 0;
    for (size_t b = 0; b < sizeof mbv2_blocks / sizeof mbv2_blocks[0]; b++) {
        i = check_block(&g, i, &mbv2_blocks[b], hw, c, &adds);
        hw = mbv2_blocks[b].out_hw;
        c = mbv2_blocks[b].c_out;
    }
    i = check_op(&g, i, MSF_OP_CONV2D, 5, MBV2_LAST_C);
    i = check_op(&g, i, MSF_OP_AVERAGE_POOL2D, 1, MBV2_LAST_C);
    i = check_op(&g, i, MSF_OP_RESHAPE, 0, 0);
    i = check_op(&g, i, MSF_OP_FULLY_CONNECTED, 0, 0);
    i = check_op(&g, i, MSF_OP_SOFTMAX, 0, 0);
    CHECK_EQ_INT(i, MBV2_OPS);
    CHECK_EQ_INT(g.model.n_ops, MBV2_OPS);
    CHECK_EQ_INT(adds, MBV2_ADDS);
    const msf_tensor *out = &g.tensors[g.model.outputs[0]];
    CHECK(out->rank == 2 && out->dims[0] == 1 && out->dims[1] == 1000);
    uint64_t total = 0;
    for (int32_t k = 0; k < g.model.n_ops; k++)
        total += g.op_macs[k];
    CHECK_EQ_INT(total, MBV2_MACS);
    graph_free(&g);
}

/* The same text at 224x224 gives 59285808 MACs: TF-Slim's MobileNetV2 table
 * lists mobilenet_v2_0.35_224 at 59M MACs. */
static void check_mobilenetv2_at_224(void)
{
    static const char from[] = "input 144x144x3", to[] = "input 224x224x3";
    uint8_t *text, *file;
    size_t len, size;
    char err[512];
    msf_graph g;
    if (read_whole_file(MODELS "mobilenetv2-w035-r144.spec", 1 << 20, &text, &len, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    char *line = strstr((char *)text, from);
    CHECK(line != NULL);
    if (line)
        memcpy(line, to, sizeof to - 1);
    if (line && spec_to_tflite((const char *)text, len, &file, &size, err, sizeof err) == 0 &&
        graph_from_tflite(file, size, &g, err, sizeof err) == 0) {
        uint64_t total = 0;
        for (int32_t k = 0; k < g.model.n_ops; k++)
            total += g.op_macs[k];
        CHECK_EQ_INT(total, 59285808);
        graph_free(&g);
    } else if (line) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
    }
    free(text);
}

/* ---- MobileNetV3-Small at 224x224. */

/* Howard et al. 2019, Table 2, one row a bottleneck: kernel, expansion
 * channels, output channels, squeeze-excite, hard-swish (else RELU),
 * stride, output size; the SE squeeze to make_divisible(exp / 4, 8). */
typedef struct {
    int32_t k, exp, c_out, se, hs, stride, out_hw, squeeze;
} mbv3_block;

static const mbv3_block mbv3_blocks[] = {
    {3, 16, 16, 1, 0, 2, 56, 8},    {3, 72, 24, 0, 0, 2, 28, 0},    {3, 88, 24, 0, 0, 1, 28, 0},
    {5, 96, 40, 1, 1, 2, 14, 24},   {5, 240, 40, 1, 1, 1, 14, 64},  {5, 240, 40, 1, 1, 1, 14, 64},
    {5, 120, 48, 1, 1, 1, 14, 32},  {5, 144, 48, 1, 1, 1, 14, 40},  {5, 288, 96, 1, 1, 2, 7, 72},
    {5, 576, 96, 1, 1, 1, 7, 144},  {5, 576, 96, 1, 1, 1, 7, 144},
};

#define MBV3_OPS 117
#define MBV3_MACS 56510400 /* the paper: 56M multiply-adds */

/* A conv (or dw) from op i with RELU fused, or linear and a HARD_SWISH. */
static int32_t check_activated(const msf_graph *g, int32_t i, msf_op_type type, int32_t hs, int32_t hw, int32_t c)
{
    if (i < g->model.n_ops)
        CHECK_EQ_INT(g->tfl.ops[i].opt.activation, hs ? 0 : 1);
    i = check_op(g, i, type, hw, c);
    return hs ? check_op(g, i, MSF_OP_HARD_SWISH, hw, c) : i;
}

/* Squeeze-excite of the map op i - 1 made: MEAN, 1x1 conv with RELU, 1x1
 * conv, hard-sigmoid (ADD of 3 with RELU6, MUL by 1/6), MUL of the map by
 * the gate. */
static int32_t check_se(const msf_graph *g, int32_t i, const mbv3_block *b)
{
    int32_t map = g->ops[i - 1].output;
    i = check_op(g, i, MSF_OP_MEAN, 1, b->exp);
    i = check_activated(g, i, MSF_OP_CONV2D, 0, 1, b->squeeze);
    i = check_op(g, i, MSF_OP_CONV2D, 1, b->exp);
    if (i < g->model.n_ops)
        CHECK_EQ_INT(g->tfl.ops[i].opt.activation, 3);
    i = check_op(g, i, MSF_OP_ADD, 1, b->exp);
    i = check_op(g, i, MSF_OP_MUL, 1, b->exp);
    if (i < g->model.n_ops)
        CHECK(g->ops[i].inputs[0] == map && g->ops[i].inputs[1] == g->ops[i - 1].output);
    return check_op(g, i, MSF_OP_MUL, b->out_hw, b->exp);
}

static int32_t check_v3_block(const msf_graph *g, int32_t i, const mbv3_block *b, int32_t in_hw, int32_t in_c,
                              int32_t *adds)
{
    int32_t block_in = g->ops[i - 1].output;
    if (b->exp != in_c)
        i = check_activated(g, i, MSF_OP_CONV2D, b->hs, in_hw, b->exp);
    if (i < g->model.n_ops)
        CHECK(g->ops[i].p.conv.stride_h == b->stride && g->ops[i].p.conv.kernel_h == b->k);
    i = check_activated(g, i, MSF_OP_DEPTHWISE_CONV2D, b->hs, b->out_hw, b->exp);
    if (b->se)
        i = check_se(g, i, b);
    if (i < g->model.n_ops)
        CHECK_EQ_INT(g->tfl.ops[i].opt.activation, 0);
    i = check_op(g, i, MSF_OP_CONV2D, b->out_hw, b->c_out);
    if (b->stride == 1 && in_c == b->c_out) {
        if (i < g->model.n_ops)
            CHECK(g->ops[i].inputs[0] == block_in && g->ops[i].inputs[1] == g->ops[i - 1].output);
        i = check_op(g, i, MSF_OP_ADD, b->out_hw, b->c_out);
        ++*adds;
    }
    return i;
}

static void check_mobilenetv3_small(void)
{
    msf_graph g;
    if (load("mobilenetv3-small-r224.spec", &g))
        return;
    check_shape(&g.tensors[g.model.inputs[0]], 224, 224, 3);
    int32_t i = check_activated(&g, 0, MSF_OP_CONV2D, 1, 112, 16), hw = 112, c = 16, adds = 0;
    for (size_t b = 0; b < sizeof mbv3_blocks / sizeof mbv3_blocks[0]; b++) {
        i = check_v3_block(&g, i, &mbv3_blocks[b], hw, c, &adds);
        hw = mbv3_blocks[b].out_hw;
        c = mbv3_blocks[b].c_out;
    }
    i = check_activated(&g, i, MSF_OP_CONV2D, 1, 7, 576);
    i = check_op(&g, i, MSF_OP_MEAN, 1, 576);
    i = check_activated(&g, i, MSF_OP_CONV2D, 1, 1, 1024);
    i = check_op(&g, i, MSF_OP_CONV2D, 1, 1000);
    i = check_op(&g, i, MSF_OP_SOFTMAX, 1, 1000);
    CHECK_EQ_INT(i, MBV3_OPS);
    CHECK_EQ_INT(g.model.n_ops, MBV3_OPS);
    CHECK_EQ_INT(adds, 6);
    uint64_t total = 0;
    for (int32_t k = 0; k < g.model.n_ops; k++)
        total += g.op_macs[k];
    CHECK_EQ_INT(total, MBV3_MACS);
    graph_free(&g);
}

int main(void)
{
    for (size_t i = 0; i < sizeof chains / sizeof chains[0]; i++)
        check_chain(&chains[i]);
    check_mobilenetv2();
    check_mobilenetv2_at_224();
    check_mobilenetv3_small();
    return check_summary();
}
