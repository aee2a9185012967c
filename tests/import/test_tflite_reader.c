/* tflite_read on real models: the reference models and one-operator cases
 * of ../shared/reference, checked against the facts their README, INDEX.tsv
 * and per-tensor index files state; and the demo model (always available),
 * also with a constant buffer moved outside the flatbuffer. */
#define _POSIX_C_SOURCE 200809L /* opendir, strtok_r */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demo_model.h"
#include "file_io.h"
#include "import/tflite_mutations.h"
#include "tflite_reader.h"

#define REF MSF_SHARED_DIR "/reference"
#define MAX_FILE (64u << 20)

static uint8_t *load(const char *path, size_t *size)
{
    uint8_t *buf;
    char err[256];
    if (read_whole_file(path, MAX_FILE, &buf, size, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    return buf;
}

static int32_t le32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

static uint64_t elements(const tfl_tensor *t)
{
    uint64_t n = 1;
    for (int32_t d = 0; d < t->rank; d++)
        n *= (uint64_t)t->shape[d];
    return n;
}

static uint64_t tensor_bytes(const tfl_tensor *t)
{
    return elements(t) * (t->type == TFL_TYPE_FLOAT32 || t->type == TFL_TYPE_INT32 ? 4 : 1);
}

/* The shape written as "1x96x96x3" (list 0) or "[1,96,96,3]" (list 1) is s. */
static int shape_is(const tfl_tensor *t, const char *s, int list)
{
    char buf[128];
    size_t used = (size_t)snprintf(buf, sizeof buf, "%s", list ? "[" : "");
    for (int32_t d = 0; d < t->rank; d++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%d", d ? (list ? "," : "x") : "",
                                 t->shape[d]);
    snprintf(buf + used, sizeof buf - used, "%s", list ? "]" : "");
    return strcmp(buf, s) == 0;
}

/* A file's bytes as a NUL-terminated string, or NULL. */
static char *load_text(const char *path)
{
    size_t size;
    uint8_t *buf = load(path, &size);
    char *text = buf ? realloc(buf, size + 1) : NULL;
    if (!text) {
        free(buf);
        return NULL;
    }
    text[size] = '\0';
    return text;
}

/* Integers of a token such as "[[0,0],[1,2]]" or "[1,128]", up to a space. */
static int parse_ints(const char *s, int32_t *out, int max)
{
    int n = 0;
    while (*s && *s != ' ' && *s != '\t') {
        char *end;
        long v;
        if ((*s < '0' || *s > '9') && *s != '-') {
            s++;
            continue;
        }
        v = strtol(s, &end, 10);
        if (n < max)
            out[n] = (int32_t)v;
        n++;
        s = end;
    }
    return n;
}

/* The constant int32 tensor equals the list in token s. */
static void check_const_ints(const tfl_tensor *t, const char *s)
{
    int32_t want[32];
    int n = parse_ints(s, want, 32);
    CHECK(t->type == TFL_TYPE_INT32 && t->data != NULL);
    if (t->type != TFL_TYPE_INT32 || !t->data)
        return;
    CHECK_EQ_INT(t->data_bytes, 4 * n);
    for (int i = 0; i < n && (uint32_t)i < t->data_bytes / 4; i++)
        CHECK_EQ_INT(le32(t->data + 4 * i), want[i]);
}

/* Value after "key" in a space-separated parameter list, or NULL. */
static const char *param(const char *params, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = params; (p = strstr(p, key)); p += n)
        if (p == params || p[-1] == ' ')
            return p + n;
    return NULL;
}

static int param_pair(const char *params, const char *key, int *a, int *b)
{
    const char *v = param(params, key);
    return v && sscanf(v, "%dx%d", a, b) == 2;
}

static int word_is(const char *v, const char *word)
{
    size_t n = strlen(word);
    return v && strncmp(v, word, n) == 0 && (v[n] == ' ' || v[n] == '\0' || v[n] == '\t');
}

static int32_t activation_of(const char *v)
{
    static const char *const names[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6"};
    for (int32_t i = 0; i < 4; i++)
        if (word_is(v, names[i]))
            return i;
    return -1;
}

static int32_t bool_of(const char *v)
{
    return word_is(v, "true") ? 1 : word_is(v, "false") ? 0 : -1;
}

static const tfl_tensor *input(const tfl_model *m, const tfl_operator *op, int k)
{
    return k < op->n_inputs && op->inputs[k] >= 0 ? &m->tensors[op->inputs[k]] : NULL;
}

/* int8 symmetric weights: per-channel over dim qdim with n channels, or
 * per-tensor. */
static void check_weights(const tfl_tensor *w, int per_channel, int32_t qdim, int32_t n)
{
    CHECK_EQ_INT(w->type, TFL_TYPE_INT8);
    CHECK(w->data != NULL && w->data_bytes == elements(w));
    CHECK_EQ_INT(w->n_scales, per_channel ? n : 1);
    CHECK_EQ_INT(w->n_zero_points, w->n_scales);
    if (per_channel)
        CHECK_EQ_INT(w->quantized_dimension, qdim);
    for (int32_t i = 0; i < w->n_zero_points; i++)
        CHECK_EQ_INT(w->zero_points[i], 0);
}

static void check_bias(const tfl_tensor *b, int32_t n)
{
    CHECK(b != NULL);
    if (!b)
        return;
    CHECK_EQ_INT(b->type, TFL_TYPE_INT32);
    CHECK_EQ_INT(b->rank, 1);
    CHECK_EQ_INT(b->data_bytes, 4 * n);
}

static void check_padding_stride_act(const tfl_options *o, const char *p)
{
    int sh, sw;
    CHECK(param_pair(p, "stride=", &sh, &sw));
    CHECK(o->stride_h == sh && o->stride_w == sw);
    CHECK_EQ_INT(o->padding,
                 word_is(param(p, "padding="), "SAME") ? TFL_PADDING_SAME : TFL_PADDING_VALID);
    CHECK_EQ_INT(o->activation, activation_of(param(p, "act=")));
}

/* CONV_2D weights [O,KH,KW,I]; DEPTHWISE_CONV_2D weights [1,KH,KW,C*M]. */
static void check_conv(const tfl_model *m, const tfl_operator *op, const char *p, int depthwise)
{
    const tfl_tensor *w = input(m, op, 1);
    int kh, kw, out_ch = -1;
    const char *v = param(p, "out_ch=");
    CHECK(w != NULL && w->rank == 4 && v != NULL);
    if (!w || w->rank != 4 || !v)
        return;
    out_ch = atoi(v);
    CHECK(param_pair(p, "kernel=", &kh, &kw));
    CHECK(w->shape[1] == kh && w->shape[2] == kw);
    CHECK_EQ_INT(w->shape[depthwise ? 3 : 0], out_ch);
    check_padding_stride_act(&op->opt, p);
    CHECK(op->opt.dilation_h == 1 && op->opt.dilation_w == 1);
    if (depthwise)
        CHECK_EQ_INT(op->opt.depth_multiplier, atoi(param(p, "depth_multiplier=")));
    check_weights(w, 1, depthwise ? 3 : 0, out_ch);
    if (strstr(p, "no bias"))
        CHECK(input(m, op, 2) == NULL);
    else
        check_bias(input(m, op, 2), out_ch);
}

static void check_fully_connected(const tfl_model *m, const tfl_operator *op, const char *p)
{
    const tfl_tensor *w = input(m, op, 1);
    const char *units = param(p, "units="), *in = param(p, "in_features=");
    CHECK(w != NULL && w->rank == 2 && units && in);
    if (!w || w->rank != 2 || !units || !in)
        return;
    CHECK(w->shape[0] == atoi(units) && w->shape[1] == atoi(in));
    CHECK_EQ_INT(op->opt.activation, activation_of(param(p, "act=")));
    CHECK_EQ_INT(op->opt.keep_num_dims, bool_of(param(p, "keep_num_dims=")));
    check_weights(w, strstr(p, "per-channel") != NULL, 0, w->shape[0]);
    if (strstr(p, "no bias"))
        CHECK(input(m, op, 2) == NULL);
    else
        check_bias(input(m, op, 2), w->shape[0]);
}

static void check_pool(const tfl_operator *op, const char *p)
{
    int fh, fw;
    CHECK(param_pair(p, "filter=", &fh, &fw));
    CHECK(op->opt.filter_h == fh && op->opt.filter_w == fw);
    check_padding_stride_act(&op->opt, p);
}

/* The operator's parameters column of INDEX.tsv. */
static void check_params(const tfl_model *m, const tfl_operator *op, const char *name,
                         const char *p)
{
    const char *v;
    if (!strcmp(name, "CONV_2D") || !strcmp(name, "DEPTHWISE_CONV_2D"))
        check_conv(m, op, p, op->opcode == TFL_OP_DEPTHWISE_CONV_2D);
    else if (!strcmp(name, "FULLY_CONNECTED"))
        check_fully_connected(m, op, p);
    else if (!strcmp(name, "AVERAGE_POOL_2D") || !strcmp(name, "MAX_POOL_2D"))
        check_pool(op, p);
    else if (!strcmp(name, "ADD") || !strcmp(name, "MUL"))
        CHECK_EQ_INT(op->opt.activation, activation_of(param(p, "act=")));
    else if (!strcmp(name, "CONCATENATION"))
        CHECK(op->opt.axis == atoi(param(p, "axis=")) &&
              op->opt.activation == activation_of(param(p, "act=")));
    else if (!strcmp(name, "SOFTMAX"))
        CHECK(op->opt.beta == (float)strtod(param(p, "beta="), NULL));
    else if (!strcmp(name, "MEAN")) {
        check_const_ints(input(m, op, 1), param(p, "axes="));
        CHECK_EQ_INT(op->opt.keep_dims, bool_of(param(p, "keep_dims=")));
    } else if (!strcmp(name, "PAD") || !strcmp(name, "PADV2")) {
        check_const_ints(input(m, op, 1), param(p, "paddings="));
        if ((v = strstr(p, "fill=constant int8 "))) {
            const tfl_tensor *c = input(m, op, 2);
            CHECK(c && c->type == TFL_TYPE_INT8 && c->data_bytes == 1 &&
                  (int8_t)c->data[0] == atoi(v + strlen("fill=constant int8 ")));
        }
    } else if (!strcmp(name, "TRANSPOSE"))
        check_const_ints(input(m, op, 1), param(p, "perm="));
    else if (!strcmp(name, "RESHAPE")) {
        int32_t want[TFL_MAX_NEW_SHAPE];
        int n = parse_ints(param(p, "new_shape="), want, TFL_MAX_NEW_SHAPE);
        CHECK_EQ_INT(op->opt.n_new_shape, n);
        for (int i = 0; i < n && i < op->opt.n_new_shape; i++)
            CHECK_EQ_INT(op->opt.new_shape[i], want[i]);
    } else if (!strcmp(name, "RESIZE_NEAREST_NEIGHBOR")) {
        check_const_ints(input(m, op, 1), param(p, "size="));
        CHECK_EQ_INT(op->opt.align_corners, bool_of(param(p, "align_corners=")));
        CHECK_EQ_INT(op->opt.half_pixel_centers, bool_of(param(p, "half_pixel_centers=")));
    }
}

/* "name:1x8x8x16:int8(s=0.0045299,zp=-46)" or "name:1x8x8x3:float32". */
static void check_spec(const tfl_tensor *t, const char *spec)
{
    char name[128], shape[64], type[16];
    double scale;
    long zp;
    int n =
        sscanf(spec, "%127[^:]:%63[^:]:%15[a-z0-9](s=%lf,zp=%ld)", name, shape, type, &scale, &zp);
    CHECK(n == 3 || n == 5);
    if (n != 3 && n != 5)
        return;
    CHECK(strcmp(t->name, name) == 0);
    CHECK(shape_is(t, shape, 0));
    CHECK_EQ_INT(t->type, strcmp(type, "float32") ? TFL_TYPE_INT8 : TFL_TYPE_FLOAT32);
    if (n == 5) {
        CHECK(t->n_scales == 1 && t->n_zero_points == 1);
        if (t->n_scales == 1 && t->n_zero_points == 1) {
            /* 9 significant digits name one float exactly. */
            CHECK(t->scales[0] == (float)scale);
            CHECK_EQ_INT(t->zero_points[0], zp);
        }
    }
}

static long file_size(const char *dir, const char *file)
{
    char path[1100];
    size_t size;
    uint8_t *buf;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!(buf = load(path, &size)))
        return -1;
    free(buf);
    return (long)size;
}

/* One INDEX.tsv row: case, op, inputs, output, parameters, in_bytes. */
static void check_op_case(char **col)
{
    char dir[1024], path[1100], *save, *spec;
    size_t size;
    uint8_t *buf;
    tfl_model m;
    char err[256];
    uint64_t in_bytes = 0;
    snprintf(dir, sizeof dir, "%s/ops/%s", REF, col[0]);
    snprintf(path, sizeof path, "%s/model.tflite", dir);
    CHECK((buf = load(path, &size)) != NULL);
    if (!buf)
        return;
    if (tflite_read(buf, size, &m, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", path, err);
        CHECK(0);
        free(buf);
        return;
    }
    CHECK_EQ_INT(m.n_ops, 1);
    CHECK_EQ_INT(m.n_outputs, 1);
    if (m.n_ops == 1 && m.n_outputs == 1) {
        const tfl_tensor *out = &m.tensors[m.outputs[0]];
        int k = 0;
        CHECK(strcmp(tflite_op_name(m.ops[0].opcode), col[1]) == 0);
        CHECK(m.ops[0].outputs[0] == m.outputs[0]);
        for (spec = strtok_r(col[2], ";", &save); spec; spec = strtok_r(NULL, ";", &save), k++) {
            while (*spec == ' ')
                spec++;
            CHECK(k < m.n_inputs);
            if (k < m.n_inputs) {
                check_spec(&m.tensors[m.inputs[k]], spec);
                in_bytes += tensor_bytes(&m.tensors[m.inputs[k]]);
            }
        }
        CHECK_EQ_INT(k, m.n_inputs);
        check_spec(out, col[3]);
        check_params(&m, &m.ops[0], col[1], col[4]);
        CHECK_EQ_INT(in_bytes, atol(col[5]));
        CHECK_EQ_INT(file_size(dir, "seed1.in.bin"), in_bytes);
        CHECK_EQ_INT(file_size(dir, "seed1.out.bin"), tensor_bytes(out));
    }
    tflite_free(&m);
    free(buf);
}

static int check_op_cases(void)
{
    char *text = load_text(REF "/ops/INDEX.tsv"), *line, *save;
    int cases = 0;
    if (!text)
        return 0;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *col[7] = {0}, *p = line;
        int n = 0;
        if (strncmp(line, "case\t", 5) == 0)
            continue;
        while (n < 7 && p) {
            col[n++] = p;
            if ((p = strchr(p, '\t')))
                *p++ = '\0';
        }
        CHECK(n >= 6);
        if (n >= 6) {
            check_op_case(col);
            cases++;
        }
    }
    free(text);
    return cases;
}

/* Facts from reference/README.md. */
static const struct {
    const char *name, *ops, *input, *output;
    long long macs;
} model_facts[] = {
    {"mlperf_vww96",
     "CONV_2D:14 DEPTHWISE_CONV_2D:13 AVERAGE_POOL_2D:1 RESHAPE:1 FULLY_CONNECTED:1 SOFTMAX:1",
     "1x96x96x3", "1x2", 7489664},
    {"mlperf_resnet8", "CONV_2D:9 ADD:3 AVERAGE_POOL_2D:1 RESHAPE:1 FULLY_CONNECTED:1 SOFTMAX:1",
     "1x32x32x3", "1x10", 12501632},
    {"mlperf_kws_dscnn",
     "CONV_2D:5 DEPTHWISE_CONV_2D:4 AVERAGE_POOL_2D:1 RESHAPE:1 FULLY_CONNECTED:1 SOFTMAX:1",
     "1x49x10x1", "1x12", 2656768},
    {"mlperf_ad01", "FULLY_CONNECTED:10", "1x640", "1x640", 264192},
    {"tflm_micro_speech", "RESHAPE:1 DEPTHWISE_CONV_2D:1 FULLY_CONNECTED:1 SOFTMAX:1", "1x1960",
     "1x4", 336000},
};

static int count_ops(const tfl_model *m, const char *name)
{
    int n = 0;
    for (int32_t o = 0; o < m->n_ops; o++)
        n += strcmp(tflite_op_name(m->ops[o].opcode), name) == 0;
    return n;
}

/* Multiply-accumulates of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED. */
static long long count_macs(const tfl_model *m)
{
    long long macs = 0;
    for (int32_t o = 0; o < m->n_ops; o++) {
        const tfl_operator *op = &m->ops[o];
        const tfl_tensor *w = input(m, op, 1), *out;
        if (!w || op->n_outputs < 1)
            continue;
        out = &m->tensors[op->outputs[0]];
        if (op->opcode == TFL_OP_CONV_2D)
            macs += (long long)elements(out) * w->shape[1] * w->shape[2] * w->shape[3];
        else if (op->opcode == TFL_OP_DEPTHWISE_CONV_2D)
            macs += (long long)elements(out) * w->shape[1] * w->shape[2];
        else if (op->opcode == TFL_OP_FULLY_CONNECTED)
            macs += (long long)elements(out) * w->shape[1];
    }
    return macs;
}

/* Weights of every CONV_2D and DEPTHWISE_CONV_2D per-channel, of every
 * FULLY_CONNECTED per-tensor, all symmetric; int32 bias everywhere. */
static void check_model_weights(const tfl_model *m)
{
    for (int32_t o = 0; o < m->n_ops; o++) {
        const tfl_operator *op = &m->ops[o];
        const tfl_tensor *w = input(m, op, 1);
        int dw = op->opcode == TFL_OP_DEPTHWISE_CONV_2D;
        int32_t out_ch;
        if (op->opcode != TFL_OP_CONV_2D && !dw && op->opcode != TFL_OP_FULLY_CONNECTED)
            continue;
        CHECK(w != NULL && w->rank >= 2);
        if (!w || w->rank < 2)
            continue;
        out_ch = w->shape[dw ? w->rank - 1 : 0];
        check_weights(w, op->opcode != TFL_OP_FULLY_CONNECTED, dw ? 3 : 0, out_ch);
        check_bias(input(m, op, 2), out_ch);
    }
}

static const char *type_name(int32_t type)
{
    switch (type) {
    case TFL_TYPE_INT8:
        return "INT8";
    case TFL_TYPE_INT32:
        return "INT32";
    case TFL_TYPE_FLOAT32:
        return "FLOAT32";
    default:
        return "?";
    }
}

static int is_in(const int32_t *list, int32_t n, int32_t x)
{
    for (int32_t i = 0; i < n; i++)
        if (list[i] == x)
            return 1;
    return 0;
}

/* vectors/NAME/seed1.tensors/index.txt: idx, type, bytes, shape, name,
 * producer op, op type, scale, zero point of every activation tensor. */
static void check_tensor_index(const tfl_model *m, const char *model)
{
    char path[1024], *text, *line, *save;
    snprintf(path, sizeof path, "%s/vectors/%s/seed1.tensors/index.txt", REF, model);
    CHECK((text = load_text(path)) != NULL);
    if (!text)
        return;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char type[16], shape[64], name[1024], op_type[64];
        int idx, producer;
        unsigned long bytes;
        double scale;
        long zp;
        const tfl_tensor *t;
        if (line[0] == '#')
            continue;
        CHECK(sscanf(line, "%d\t%15s\t%lu\t%63s\t%1023[^\t]\t%d\t%63s\t%lf\t%ld", &idx, type,
                     &bytes, shape, name, &producer, op_type, &scale, &zp) == 9);
        CHECK(idx >= 0 && idx < m->n_tensors);
        if (idx < 0 || idx >= m->n_tensors)
            continue;
        t = &m->tensors[idx];
        CHECK(strcmp(type_name(t->type), type) == 0);
        CHECK_EQ_INT(tensor_bytes(t), bytes);
        CHECK(shape_is(t, shape, 1));
        CHECK(strcmp(t->name, name) == 0);
        CHECK(t->n_scales == 1 && t->scales[0] == (float)scale && t->zero_points[0] == zp);
        if (producer < 0) {
            CHECK(strcmp(op_type, "GRAPH_INPUT") == 0 && is_in(m->inputs, m->n_inputs, idx));
        } else {
            CHECK(producer < m->n_ops);
            if (producer < m->n_ops) {
                const tfl_operator *op = &m->ops[producer];
                CHECK(strcmp(tflite_op_name(op->opcode), op_type) == 0);
                CHECK(is_in(op->outputs, op->n_outputs, idx));
            }
        }
    }
    free(text);
}

static void check_model(int k)
{
    char path[1024], err[256], ops[256], *tok, *save;
    size_t size;
    uint8_t *buf;
    tfl_model m;
    int total = 0;
    snprintf(path, sizeof path, "%s/models/%s.tflite", REF, model_facts[k].name);
    CHECK((buf = load(path, &size)) != NULL);
    if (!buf)
        return;
    if (tflite_read(buf, size, &m, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", path, err);
        CHECK(0);
        free(buf);
        return;
    }
    snprintf(ops, sizeof ops, "%s", model_facts[k].ops);
    for (tok = strtok_r(ops, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(tok, ':');
        *colon = '\0';
        CHECK_EQ_INT(count_ops(&m, tok), atoi(colon + 1));
        total += atoi(colon + 1);
    }
    CHECK_EQ_INT(m.n_ops, total);
    CHECK(m.n_inputs == 1 && m.n_outputs == 1);
    if (m.n_inputs == 1 && m.n_outputs == 1) {
        CHECK(shape_is(&m.tensors[m.inputs[0]], model_facts[k].input, 0));
        CHECK(shape_is(&m.tensors[m.outputs[0]], model_facts[k].output, 0));
        CHECK(m.tensors[m.inputs[0]].type == TFL_TYPE_INT8 &&
              m.tensors[m.outputs[0]].type == TFL_TYPE_INT8);
    }
    CHECK_EQ_INT(count_macs(&m), model_facts[k].macs);
    check_model_weights(&m);
    check_tensor_index(&m, model_facts[k].name);
    if (!strcmp(model_facts[k].name, "tflm_micro_speech"))
        for (int32_t o = 0; o < m.n_ops; o++)
            if (m.ops[o].opcode == TFL_OP_DEPTHWISE_CONV_2D)
                CHECK_EQ_INT(m.ops[o].opt.depth_multiplier, 8);
    tflite_free(&m);
    free(buf);
}

/* The first tensor with constant data, its buffer moved behind the
 * flatbuffer (Buffer.offset/size), reads back the same bytes from there. */
static void check_external_buffer(const uint8_t *base, size_t size)
{
    tfl_model m, ext;
    char err[256];
    CHECK(tflite_read(base, size, &m, err, sizeof err) == 0);
    for (int32_t i = 0; i < m.n_tensors; i++) {
        const tfl_tensor *t = &m.tensors[i];
        fb_ctx fb = {base, size, err, sizeof err};
        fb_table root, g, tt;
        fb_vec subgraphs, tensors;
        uint32_t buffer = 0;
        size_t ext_size;
        uint8_t *img;
        if (!t->data)
            continue;
        CHECK(fb_root(&fb, &root) == 0 &&
              fb_get_vec(&fb, &root, TFL_MODEL_SUBGRAPHS, 4, &subgraphs) == 1 &&
              fb_vec_table(&fb, &subgraphs, 0, &g) == 0 &&
              fb_get_vec(&fb, &g, TFL_SUBGRAPH_TENSORS, 4, &tensors) == 1 &&
              fb_vec_table(&fb, &tensors, (uint32_t)i, &tt) == 0 &&
              fb_get_u32(&fb, &tt, TFL_TENSOR_BUFFER, 0, &buffer) >= 0);
        img = tflite_externalize(base, size, tflite_buffer_elem_pos(base, size, buffer), t->data,
                                 t->data_bytes, 0, 0, 0, &ext_size);
        CHECK(img != NULL);
        if (img && tflite_read(img, ext_size, &ext, err, sizeof err) == 0) {
            const tfl_tensor *e = &ext.tensors[i];
            CHECK(e->data == img + ((size + 15) & ~(size_t)15));
            CHECK(e->data_bytes == t->data_bytes && memcmp(e->data, t->data, t->data_bytes) == 0);
            CHECK(ext.n_tensors == m.n_tensors && ext.n_ops == m.n_ops);
            tflite_free(&ext);
        } else {
            fprintf(stderr, "external buffer: %s\n", err);
            CHECK(0);
        }
        free(img);
        break;
    }
    tflite_free(&m);
}

/* The demo model the repository ships: always available. */
static void check_demo(void)
{
    size_t size, in_size;
    uint8_t *buf = demo_model_build(&size), *in = demo_model_input(&in_size);
    tfl_model m;
    char err[256];
    CHECK(buf != NULL);
    if (buf && tflite_read(buf, size, &m, err, sizeof err) == 0) {
        CHECK(m.n_ops > 0 && m.n_inputs == 1 && m.n_outputs == 1);
        for (int32_t o = 0; o < m.n_ops; o++)
            CHECK(strncmp(tflite_op_name(m.ops[o].opcode), "CODE_", 5) != 0);
        CHECK(tflite_model_unsound(&m, buf, size) == NULL);
        if (m.n_inputs == 1)
            CHECK_EQ_INT(tensor_bytes(&m.tensors[m.inputs[0]]), in_size);
        tflite_free(&m);
        check_external_buffer(buf, size);
    } else if (buf) {
        fprintf(stderr, "demo model: %s\n", err);
        CHECK(0);
    }
    free(buf);
    free(in);
}

static void check_api_edges(void)
{
    static const uint8_t tiny[4] = {0};
    tfl_model m;
    char err[64], one[1] = {'x'};
    CHECK(tflite_read(NULL, 0, &m, err, sizeof err) == -1 && strstr(err, "too small"));
    CHECK(tflite_read(tiny, sizeof tiny, &m, NULL, 0) == -1);
    CHECK(tflite_read(tiny, sizeof tiny, &m, one, sizeof one) == -1 && one[0] == '\0');
    CHECK(m.n_tensors == 0 && m.tensors == NULL);
    tflite_free(&m);
    tflite_free(NULL);
    CHECK(strcmp(tflite_op_name(TFL_OP_CONV_2D), "CONV_2D") == 0);
    CHECK(strcmp(tflite_op_name(TFL_OP_HARD_SWISH), "HARD_SWISH") == 0);
    CHECK(strcmp(tflite_op_name(TFL_OP_RESIZE_NEAREST_NEIGHBOR), "RESIZE_NEAREST_NEIGHBOR") == 0);
    CHECK(strcmp(tflite_op_name(161), "RIGHT_SHIFT") == 0);
    CHECK(strcmp(tflite_op_name(500), "CODE_500") == 0);
    CHECK(strcmp(tflite_op_name(-1), "CODE_-1") == 0);
}

int main(void)
{
    DIR *d = opendir(REF);
    check_api_edges();
    check_demo();
    if (!d) {
        if (check_failed)
            return check_summary();
        printf("demo model checked (%d checks); skipped: ../shared/reference not found (%s)\n",
               check_passed, REF);
        return 77;
    }
    closedir(d);
    for (size_t k = 0; k < sizeof model_facts / sizeof model_facts[0]; k++)
        check_model((int)k);
    CHECK_EQ_INT(check_op_cases(), 112);
    return check_summary();
}
