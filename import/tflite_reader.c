#include "tflite_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flatbuffer.h"
#include "tflite_schema.h"

/* Copied arrays may take at most this many times the file's size. A file
 * that stores each vector once never comes near it; one whose offsets point
 * many tables at one large vector would otherwise grow quadratically. */
#define COPY_BUDGET_FACTOR 16

typedef struct {
    fb_ctx fb;
    size_t file_size; /* fb.size is capped at 4 GiB; external data may lie beyond */
    fb_vec opcodes;
    fb_vec buffers;
    uint64_t budget; /* bytes of vectors that may still be copied */
} reader;

/* Puts "what: " in front of the current error message; returns -1. */
static int wrap(reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int wrap(reader *r, const char *fmt, ...)
{
    char prefix[96], inner[256];
    if (!r->fb.err || r->fb.err_size == 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(inner, sizeof inner, "%s", r->fb.err);
    snprintf(r->fb.err, r->fb.err_size, "%s: %s", prefix, inner);
    return -1;
}

/* Allocates room for the n elements of v (elem bytes each), charged to the
 * copy budget. *out stays NULL for an empty vector. */
static int alloc_elems(reader *r, const fb_vec *v, size_t elem, void **out)
{
    uint64_t cost = (uint64_t)v->len * v->elem_size;
    *out = NULL;
    if (v->len == 0)
        return 0;
    if (cost > r->budget)
        return fb_fail(&r->fb,
                       "vectors to copy exceed %dx the file size (tables sharing one vector?)",
                       COPY_BUDGET_FACTOR);
    r->budget -= cost;
    *out = calloc(v->len, elem);
    if (!*out)
        return fb_fail(&r->fb, "out of memory for %u elements", v->len);
    return 0;
}

/* A NUL-terminated copy of a string field, "" when absent. */
static int copy_string(reader *r, const fb_table *t, int id, char **out)
{
    fb_vec s = {0, 0, 1};
    void *p;
    int has = fb_get_string(&r->fb, t, id, &s);
    if (has < 0)
        return -1;
    if (has) {
        s.len++; /* the NUL the file ends the string with */
        if (alloc_elems(r, &s, 1, &p) < 0)
            return -1;
        memcpy(p, r->fb.buf + s.pos, s.len);
    } else if (!(p = calloc(1, 1))) {
        return fb_fail(&r->fb, "out of memory");
    }
    *out = p;
    return 0;
}

/* Copies an int32 vector of tensor indices, each in [0, n_tensors), or -1
 * when allow_absent. An absent vector gives no indices. */
static int copy_indices(reader *r, const fb_table *t, int id, int32_t n_tensors, int allow_absent,
                        const char *what, int32_t **out, int32_t *n_out)
{
    fb_vec v = {0, 0, 4};
    void *p;
    if (fb_get_vec(&r->fb, t, id, 4, &v) < 0)
        return wrap(r, "%ss", what);
    if (alloc_elems(r, &v, sizeof(int32_t), &p) < 0)
        return -1;
    *out = p;
    *n_out = (int32_t)v.len;
    for (uint32_t i = 0; i < v.len; i++) {
        int32_t index = (int32_t)fb_vec_i(&r->fb, &v, i);
        if (index >= n_tensors || index < (allow_absent ? -1 : 0))
            return fb_fail(&r->fb, "%s index %d out of range (subgraph has %d tensors)", what,
                           index, n_tensors);
        (*out)[i] = index;
    }
    return 0;
}

uint32_t tflite_type_size(int32_t type)
{
    switch (type) {
    case TFL_TYPE_INT8:
    case TFL_TYPE_UINT8:
        return 1;
    case TFL_TYPE_INT16:
        return 2;
    case TFL_TYPE_FLOAT32:
    case TFL_TYPE_INT32:
        return 4;
    case TFL_TYPE_INT64:
        return 8;
    default:
        return 0;
    }
}

/* "[1,96,96,3]" into buf (at least 2 bytes); returns buf. */
static const char *format_shape(const tfl_tensor *t, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "[");
    for (int32_t d = 0; d < t->rank && used < n; d++)
        used += (size_t)snprintf(buf + used, n - used, d ? ",%d" : "%d", t->shape[d]);
    if (used < n)
        snprintf(buf + used, n - used, "]");
    return buf;
}

static int read_shape(reader *r, const fb_table *t, tfl_tensor *out, uint64_t *count)
{
    fb_vec v = {0, 0, 4};
    if (fb_get_vec(&r->fb, t, TFL_TENSOR_SHAPE, 4, &v) < 0)
        return -1;
    if (v.len > TFL_MAX_RANK)
        return fb_fail(&r->fb, "rank %u exceeds %d", v.len, TFL_MAX_RANK);
    out->rank = (int32_t)v.len;
    *count = 1;
    for (uint32_t d = 0; d < v.len; d++) {
        out->shape[d] = (int32_t)fb_vec_i(&r->fb, &v, d);
        if (out->shape[d] < 0)
            return fb_fail(&r->fb, "dimension %u is negative (%d)", d, out->shape[d]);
        /* count <= 2^32 and a dimension < 2^31: the product fits 64 bits. */
        *count *= (uint32_t)out->shape[d];
        if (*count > UINT32_MAX)
            return fb_fail(&r->fb, "more than 2^32-1 elements");
    }
    return 0;
}

static int read_quantization(reader *r, const fb_table *t, tfl_tensor *out)
{
    fb_table q;
    fb_vec scale = {0, 0, 4}, zero = {0, 0, 8};
    void *p;
    int has = fb_get_table(&r->fb, t, TFL_TENSOR_QUANTIZATION, &q);
    if (has <= 0)
        return has;
    if (fb_get_vec(&r->fb, &q, TFL_QUANT_SCALE, 4, &scale) < 0 ||
        fb_get_vec(&r->fb, &q, TFL_QUANT_ZERO_POINT, 8, &zero) < 0 ||
        fb_get_i32(&r->fb, &q, TFL_QUANT_DIMENSION, 0, &out->quantized_dimension) < 0)
        return -1;
    if (alloc_elems(r, &scale, sizeof(float), &p) < 0)
        return -1;
    out->scales = p;
    out->n_scales = (int32_t)scale.len;
    for (uint32_t i = 0; i < scale.len; i++)
        out->scales[i] = fb_vec_f32(&r->fb, &scale, i);
    if (alloc_elems(r, &zero, sizeof(int64_t), &p) < 0)
        return -1;
    out->zero_points = p;
    out->n_zero_points = (int32_t)zero.len;
    for (uint32_t i = 0; i < zero.len; i++)
        out->zero_points[i] = fb_vec_i(&r->fb, &zero, i);
    return 0;
}

/* Points out->data at the buffer's bytes: inline in the flatbuffer, or
 * (Buffer.offset > 1) at offset/size from the start of the file. */
static int read_buffer(reader *r, const fb_table *b, tfl_tensor *out)
{
    fb_vec data = {0, 0, 1};
    uint64_t offset, size;
    if (fb_get_vec(&r->fb, b, TFL_BUFFER_DATA, 1, &data) < 0 ||
        fb_get_u(&r->fb, b, TFL_BUFFER_OFFSET, 8, 0, &offset) < 0 ||
        fb_get_u(&r->fb, b, TFL_BUFFER_SIZE, 8, 0, &size) < 0)
        return -1;
    if (offset <= 1) {
        out->data = data.len ? r->fb.buf + data.pos : NULL;
        out->data_bytes = data.len;
        return 0;
    }
    if (data.len)
        return fb_fail(&r->fb, "has both inline data and an external offset");
    if (offset > r->file_size || size > r->file_size - offset)
        return fb_fail(&r->fb,
                       "external data (%llu bytes at offset %llu) lies outside the %zu-byte file",
                       (unsigned long long)size, (unsigned long long)offset, r->file_size);
    if (size > UINT32_MAX)
        return fb_fail(&r->fb, "external data of %llu bytes exceeds 4 GiB",
                       (unsigned long long)size);
    out->data = size ? r->fb.buf + offset : NULL;
    out->data_bytes = (uint32_t)size;
    return 0;
}

static int read_data(reader *r, uint32_t buffer, tfl_tensor *out)
{
    fb_table b;
    if (buffer >= r->buffers.len)
        return fb_fail(&r->fb, "buffer %u out of range (model has %u buffers)", buffer,
                       r->buffers.len);
    if (fb_vec_table(&r->fb, &r->buffers, buffer, &b) < 0 || read_buffer(r, &b, out) < 0)
        return wrap(r, "buffer %u", buffer);
    return 0;
}

/* Constant data must hold exactly the shape's bytes, so kernels can trust it. */
static int check_data_size(reader *r, const tfl_tensor *t, uint64_t count)
{
    char shape[128];
    uint32_t size = tflite_type_size(t->type);
    if (t->type < 0)
        return fb_fail(&r->fb, "type %d is not a TensorType", t->type);
    if (size && count * size > UINT32_MAX)
        return fb_fail(&r->fb, "shape %s of %u-byte elements exceeds 4 GiB",
                       format_shape(t, shape, sizeof shape), size);
    if (!t->data)
        return 0;
    if (!size)
        return fb_fail(&r->fb,
                       "constant data of type %d is not supported (only INT8, UINT8, "
                       "INT16, INT32, INT64 and FLOAT32)",
                       t->type);
    if (t->data_bytes != count * size)
        return fb_fail(&r->fb, "buffer holds %u bytes, shape %s of %u-byte elements needs %llu",
                       t->data_bytes, format_shape(t, shape, sizeof shape), size,
                       (unsigned long long)(count * size));
    return 0;
}

static int read_tensor(reader *r, const fb_table *t, tfl_tensor *out)
{
    uint32_t buffer;
    uint64_t count = 0;
    if (read_shape(r, t, out, &count) < 0)
        return wrap(r, "shape");
    if (fb_get_i8(&r->fb, t, TFL_TENSOR_TYPE, 0, &out->type) < 0 ||
        fb_get_u32(&r->fb, t, TFL_TENSOR_BUFFER, 0, &buffer) < 0)
        return -1;
    if (copy_string(r, t, TFL_TENSOR_NAME, &out->name) < 0)
        return wrap(r, "name");
    if (read_quantization(r, t, out) < 0)
        return wrap(r, "quantization");
    if (read_data(r, buffer, out) < 0)
        return -1;
    return check_data_size(r, out, count);
}

static int get_bool(const fb_ctx *c, const fb_table *t, int id, int32_t *out)
{
    uint64_t v;
    if (fb_get_u(c, t, id, 1, 0, &v) < 0)
        return -1;
    *out = v != 0;
    return 0;
}

/* A byte enum field whose values are 0..max. */
static int get_enum(const fb_ctx *c, const fb_table *t, int id, int32_t max, const char *what,
                    int32_t *out)
{
    if (fb_get_i8(c, t, id, 0, out) < 0)
        return -1;
    if (*out < 0 || *out > max)
        return fb_fail(c, "%s %d is out of range (0..%d)", what, *out, max);
    return 0;
}

static int get_padding(const fb_ctx *c, const fb_table *t, int id, int32_t *out)
{
    return get_enum(c, t, id, TFL_PADDING_VALID, "padding", out);
}

/* ActivationFunctionType: NONE 0 .. SIGN_BIT 5. */
static int get_activation(const fb_ctx *c, const fb_table *t, int id, int32_t *out)
{
    return get_enum(c, t, id, 5, "fused activation", out);
}

static int read_conv_2d(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    if (get_padding(c, t, 0, &o->padding) < 0 || fb_get_i32(c, t, 1, 0, &o->stride_w) < 0 ||
        fb_get_i32(c, t, 2, 0, &o->stride_h) < 0 || get_activation(c, t, 3, &o->activation) < 0 ||
        fb_get_i32(c, t, 4, 1, &o->dilation_w) < 0 || fb_get_i32(c, t, 5, 1, &o->dilation_h) < 0)
        return -1;
    return 0;
}

static int read_depthwise_conv_2d(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    if (get_padding(c, t, 0, &o->padding) < 0 || fb_get_i32(c, t, 1, 0, &o->stride_w) < 0 ||
        fb_get_i32(c, t, 2, 0, &o->stride_h) < 0 ||
        fb_get_i32(c, t, 3, 0, &o->depth_multiplier) < 0 ||
        get_activation(c, t, 4, &o->activation) < 0 || fb_get_i32(c, t, 5, 1, &o->dilation_w) < 0 ||
        fb_get_i32(c, t, 6, 1, &o->dilation_h) < 0)
        return -1;
    return 0;
}

static int read_pool_2d(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    if (get_padding(c, t, 0, &o->padding) < 0 || fb_get_i32(c, t, 1, 0, &o->stride_w) < 0 ||
        fb_get_i32(c, t, 2, 0, &o->stride_h) < 0 || fb_get_i32(c, t, 3, 0, &o->filter_w) < 0 ||
        fb_get_i32(c, t, 4, 0, &o->filter_h) < 0 || get_activation(c, t, 5, &o->activation) < 0)
        return -1;
    return 0;
}

static int read_fully_connected(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    /* weights_format: DEFAULT 0, SHUFFLED4x16INT8 1. */
    if (get_activation(c, t, 0, &o->activation) < 0 ||
        get_enum(c, t, 1, 1, "weights format", &o->weights_format) < 0 ||
        get_bool(c, t, 2, &o->keep_num_dims) < 0)
        return -1;
    return 0;
}

static int read_softmax(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    return fb_get_f32(c, t, 0, 0.0f, &o->beta) < 0 ? -1 : 0;
}

static int read_concatenation(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    if (fb_get_i32(c, t, 0, 0, &o->axis) < 0 || get_activation(c, t, 1, &o->activation) < 0)
        return -1;
    return 0;
}

/* AddOptions and MulOptions: the activation is field 0. */
static int read_activation_only(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    return get_activation(c, t, 0, &o->activation);
}

static int read_reshape(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    fb_vec v;
    int has = fb_get_vec(c, t, 0, 4, &v);
    if (has <= 0)
        return has;
    if (v.len > TFL_MAX_NEW_SHAPE)
        return fb_fail(c, "new_shape has %u entries (at most %d)", v.len, TFL_MAX_NEW_SHAPE);
    o->n_new_shape = (int32_t)v.len;
    for (uint32_t i = 0; i < v.len; i++)
        o->new_shape[i] = (int32_t)fb_vec_i(c, &v, i);
    return 0;
}

static int read_reducer(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    return get_bool(c, t, 0, &o->keep_dims);
}

static int read_resize_nearest_neighbor(const fb_ctx *c, const fb_table *t, tfl_options *o)
{
    if (get_bool(c, t, 0, &o->align_corners) < 0 || get_bool(c, t, 1, &o->half_pixel_centers) < 0)
        return -1;
    return 0;
}

typedef int (*options_reader)(const fb_ctx *c, const fb_table *t, tfl_options *o);

/* The operators whose options msf reads. */
static const struct {
    int32_t op;
    uint8_t type;
    const char *type_name;
    options_reader read;
} option_readers[] = {
    {TFL_OP_ADD, TFL_OPTIONS_ADD, "AddOptions", read_activation_only},
    {TFL_OP_AVERAGE_POOL_2D, TFL_OPTIONS_POOL_2D, "Pool2DOptions", read_pool_2d},
    {TFL_OP_CONCATENATION, TFL_OPTIONS_CONCATENATION, "ConcatenationOptions", read_concatenation},
    {TFL_OP_CONV_2D, TFL_OPTIONS_CONV_2D, "Conv2DOptions", read_conv_2d},
    {TFL_OP_DEPTHWISE_CONV_2D, TFL_OPTIONS_DEPTHWISE_CONV_2D, "DepthwiseConv2DOptions",
     read_depthwise_conv_2d},
    {TFL_OP_FULLY_CONNECTED, TFL_OPTIONS_FULLY_CONNECTED, "FullyConnectedOptions",
     read_fully_connected},
    {TFL_OP_MAX_POOL_2D, TFL_OPTIONS_POOL_2D, "Pool2DOptions", read_pool_2d},
    {TFL_OP_MUL, TFL_OPTIONS_MUL, "MulOptions", read_activation_only},
    {TFL_OP_RESHAPE, TFL_OPTIONS_RESHAPE, "ReshapeOptions", read_reshape},
    {TFL_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, "SoftmaxOptions", read_softmax},
    {TFL_OP_MEAN, TFL_OPTIONS_REDUCER, "ReducerOptions", read_reducer},
    {TFL_OP_RESIZE_NEAREST_NEIGHBOR, TFL_OPTIONS_RESIZE_NEAREST_NEIGHBOR,
     "ResizeNearestNeighborOptions", read_resize_nearest_neighbor},
};

/* Fills op->opt from the options table (NULL when absent), schema defaults
 * elsewhere. */
static int read_options(reader *r, const fb_table *t, tfl_operator *op)
{
    memset(&op->opt, 0, sizeof op->opt);
    op->opt.dilation_w = op->opt.dilation_h = 1;
    op->opt.n_new_shape = -1;
    for (size_t i = 0; i < sizeof option_readers / sizeof option_readers[0]; i++) {
        if (option_readers[i].op != op->opcode)
            continue;
        if (op->options_type == 0)
            return 0;
        if (op->options_type != option_readers[i].type)
            return fb_fail(&r->fb, "%s has builtin options of type %d, expected %s (%d)",
                           tflite_op_name(op->opcode), op->options_type,
                           option_readers[i].type_name, option_readers[i].type);
        if (t && option_readers[i].read(&r->fb, t, &op->opt) < 0)
            return wrap(r, "%s", option_readers[i].type_name);
        return 0;
    }
    return 0;
}

/* BuiltinOperator of OperatorCode index, as TFLite's GetBuiltinCode: the
 * larger of the int32 builtin_code and the older byte field. */
static int read_opcode(reader *r, uint32_t index, tfl_operator *op)
{
    fb_table c;
    int32_t deprecated, builtin;
    if (index >= r->opcodes.len)
        return fb_fail(&r->fb, "operator code index %u out of range (model has %u operator codes)",
                       index, r->opcodes.len);
    if (fb_vec_table(&r->fb, &r->opcodes, index, &c) < 0 ||
        fb_get_i8(&r->fb, &c, TFL_OPCODE_DEPRECATED_BUILTIN, 0, &deprecated) < 0 ||
        fb_get_i32(&r->fb, &c, TFL_OPCODE_BUILTIN, 0, &builtin) < 0 ||
        fb_get_i32(&r->fb, &c, TFL_OPCODE_VERSION, 1, &op->version) < 0)
        return wrap(r, "operator code %u", index);
    op->opcode = builtin > deprecated ? builtin : deprecated;
    if (op->opcode < 0)
        return fb_fail(&r->fb, "operator code %u: builtin code %d is negative", index, op->opcode);
    return 0;
}

static int read_operator(reader *r, const fb_table *t, int32_t n_tensors, tfl_operator *op)
{
    uint32_t index;
    uint64_t type;
    fb_table options;
    int has_options;
    if (fb_get_u32(&r->fb, t, TFL_OPERATOR_OPCODE_INDEX, 0, &index) < 0 ||
        read_opcode(r, index, op) < 0 ||
        copy_indices(r, t, TFL_OPERATOR_INPUTS, n_tensors, 1, "input", &op->inputs, &op->n_inputs) <
            0 ||
        copy_indices(r, t, TFL_OPERATOR_OUTPUTS, n_tensors, 0, "output", &op->outputs,
                     &op->n_outputs) < 0 ||
        fb_get_u(&r->fb, t, TFL_OPERATOR_OPTIONS_TYPE, 1, 0, &type) < 0)
        return -1;
    op->options_type = (int32_t)type;
    has_options = fb_get_table(&r->fb, t, TFL_OPERATOR_OPTIONS, &options);
    if (has_options < 0)
        return wrap(r, "builtin options");
    return read_options(r, has_options ? &options : NULL, op);
}

static int read_tensors(reader *r, const fb_table *g, tfl_model *m)
{
    fb_vec v = {0, 0, 4};
    fb_table t;
    if (fb_get_vec(&r->fb, g, TFL_SUBGRAPH_TENSORS, 4, &v) < 0)
        return wrap(r, "tensors");
    if (v.len && !(m->tensors = calloc(v.len, sizeof *m->tensors)))
        return fb_fail(&r->fb, "out of memory for %u tensors", v.len);
    m->n_tensors = (int32_t)v.len;
    for (uint32_t i = 0; i < v.len; i++)
        if (fb_vec_table(&r->fb, &v, i, &t) < 0 || read_tensor(r, &t, &m->tensors[i]) < 0)
            return wrap(r, "tensor %u", i);
    return 0;
}

static int read_operators(reader *r, const fb_table *g, tfl_model *m)
{
    fb_vec v = {0, 0, 4};
    fb_table t;
    if (fb_get_vec(&r->fb, g, TFL_SUBGRAPH_OPERATORS, 4, &v) < 0)
        return wrap(r, "operators");
    if (v.len && !(m->ops = calloc(v.len, sizeof *m->ops)))
        return fb_fail(&r->fb, "out of memory for %u operators", v.len);
    m->n_ops = (int32_t)v.len;
    for (uint32_t i = 0; i < v.len; i++)
        if (fb_vec_table(&r->fb, &v, i, &t) < 0 ||
            read_operator(r, &t, m->n_tensors, &m->ops[i]) < 0)
            return wrap(r, "operator %u", i);
    return 0;
}

static int read_subgraph(reader *r, const fb_table *g, tfl_model *m)
{
    if (read_tensors(r, g, m) < 0 || read_operators(r, g, m) < 0)
        return -1;
    if (copy_indices(r, g, TFL_SUBGRAPH_INPUTS, m->n_tensors, 0, "subgraph input", &m->inputs,
                     &m->n_inputs) < 0 ||
        copy_indices(r, g, TFL_SUBGRAPH_OUTPUTS, m->n_tensors, 0, "subgraph output", &m->outputs,
                     &m->n_outputs) < 0)
        return -1;
    return 0;
}

static int check_header(reader *r)
{
    const uint8_t *id;
    if (r->file_size < 8)
        return fb_fail(&r->fb, "file too small: %zu bytes (a .tflite file has an 8-byte header)",
                       r->file_size);
    id = r->fb.buf + 4;
    if (memcmp(id, TFL_FILE_IDENTIFIER, 4) != 0)
        return fb_fail(&r->fb,
                       "not a TFLite file: identifier is %02x %02x %02x %02x, expected \"%s\"",
                       id[0], id[1], id[2], id[3], TFL_FILE_IDENTIFIER);
    return 0;
}

static int read_model(reader *r, tfl_model *m)
{
    fb_table root, g;
    fb_vec subgraphs = {0, 0, 4};
    uint32_t version;
    if (check_header(r) < 0 || fb_root(&r->fb, &root) < 0)
        return -1;
    if (fb_get_u32(&r->fb, &root, TFL_MODEL_VERSION, 0, &version) < 0)
        return -1;
    if (version != TFL_SCHEMA_VERSION)
        return fb_fail(&r->fb, "schema version %u (msf reads version %d)", version,
                       TFL_SCHEMA_VERSION);
    if (fb_get_vec(&r->fb, &root, TFL_MODEL_OPERATOR_CODES, 4, &r->opcodes) < 0)
        return wrap(r, "operator codes");
    if (fb_get_vec(&r->fb, &root, TFL_MODEL_BUFFERS, 4, &r->buffers) < 0)
        return wrap(r, "buffers");
    if (fb_get_vec(&r->fb, &root, TFL_MODEL_SUBGRAPHS, 4, &subgraphs) < 0)
        return wrap(r, "subgraphs");
    if (subgraphs.len == 0)
        return fb_fail(&r->fb, "model has no subgraph");
    if (fb_vec_table(&r->fb, &subgraphs, 0, &g) < 0)
        return wrap(r, "subgraph 0");
    return read_subgraph(r, &g, m);
}

int tflite_read(const uint8_t *buf, size_t size, tfl_model *model, char *err, size_t err_size)
{
    reader r;
    memset(model, 0, sizeof *model);
    memset(&r, 0, sizeof r);
    r.fb.buf = buf;
    r.fb.size = size > UINT32_MAX ? UINT32_MAX : size;
    r.fb.err = err;
    r.fb.err_size = err_size;
    r.file_size = buf ? size : 0;
    r.budget = (uint64_t)COPY_BUDGET_FACTOR * size;
    r.opcodes.elem_size = r.buffers.elem_size = 4;
    if (err && err_size)
        err[0] = '\0';
    if (read_model(&r, model) < 0) {
        tflite_free(model);
        return -1;
    }
    return 0;
}

void tflite_free(tfl_model *model)
{
    if (!model)
        return;
    for (int32_t i = 0; i < model->n_tensors; i++) {
        free(model->tensors[i].name);
        free(model->tensors[i].scales);
        free(model->tensors[i].zero_points);
    }
    for (int32_t i = 0; i < model->n_ops; i++) {
        free(model->ops[i].inputs);
        free(model->ops[i].outputs);
    }
    free(model->tensors);
    free(model->ops);
    free(model->inputs);
    free(model->outputs);
    memset(model, 0, sizeof *model);
}

/* BuiltinOperator names, indexed by code (schema.fbs). */
static const char *const op_names[] = {
    "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE",
    "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC",
    "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE",
    "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH", "CONCAT_EMBEDDINGS",
    "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND",
    "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS", "NEG",
    "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT",
    "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR",
    "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY",
    "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU",
    "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N",
    "GATHER_ND", "COS", "WHERE", "RANK", "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE",
    "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D", "CONV_3D",
    "IMAG", "REAL", "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE",
    "ASSIGN_VARIABLE", "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM",
    "MULTINOMIAL", "GELU", "DYNAMIC_UPDATE_SLICE", "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM", "ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN",
    "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT",
};
_Static_assert(sizeof op_names / sizeof op_names[0] == 162, "RIGHT_SHIFT is code 161");

const char *tflite_op_name(int32_t opcode)
{
    /* Per thread, so concurrent callers do not share it; valid until the
     * thread's next call with a code outside the table. */
    static _Thread_local char unknown[24];
    if (opcode >= 0 && (size_t)opcode < sizeof op_names / sizeof op_names[0])
        return op_names[opcode];
    snprintf(unknown, sizeof unknown, "CODE_%d", (int)opcode);
    return unknown;
}
