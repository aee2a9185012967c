/* Malformed variants of a valid .tflite image, for tests of anything that
 * reads untrusted models (the reader, the graph builder).
 *
 * tflite_mutations() finds the fields to corrupt by walking the base image
 * with the flatbuffer primitives and hands each variant, in a buffer of its
 * exact size (so reading past its end is caught by the sanitizer), to a
 * callback with a description and must_fail: 1 when the reader has to refuse
 * it, 0 when it may also accept it (truncations that happen to stay valid,
 * random byte writes). The walk covers the fields tflite_read reads: offsets
 * and vtables of every table it visits, vector lengths, enums, indices,
 * shapes, buffer sizes. */
#ifndef MSF_TEST_TFLITE_MUTATIONS_H
#define MSF_TEST_TFLITE_MUTATIONS_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flatbuffer.h"
#include "tflite_reader.h"
#include "tflite_schema.h"

typedef void (*tflite_mutation_fn)(const uint8_t *img, size_t size, const char *what,
                                   int must_fail, void *ctx);

typedef struct {
    uint32_t pos;
    unsigned width;
    uint64_t value; /* stored little-endian in width bytes */
} mut_edit;

typedef struct {
    const uint8_t *base;
    size_t size;
    fb_ctx fb;
    char err[256];
    tfl_model model; /* the base as the reader sees it */
    uint32_t n_buffers, n_opcodes;
    uint8_t *buffer_seen; /* walk each referenced table once */
    uint8_t *opcode_seen;
    int external_done;
    tflite_mutation_fn fn;
    void *ctx;
    long count;
} mutator;

static inline size_t mut_align(size_t n, size_t a)
{
    return (n + a - 1) / a * a;
}

static inline void mut_put(uint8_t *img, uint32_t pos, unsigned width, uint64_t value)
{
    for (unsigned i = 0; i < width; i++)
        img[pos + i] = (uint8_t)(value >> (8 * i));
}

static inline void mut_emit(mutator *m, uint8_t *img, size_t size, int must_fail,
                            const char *what)
{
    m->fn(img, size, what, must_fail, m->ctx);
    m->count++;
    free(img);
}

/* One variant: the base with the edits applied. */
static inline void mut_apply(mutator *m, const mut_edit *e, int n, int must_fail,
                             const char *fmt, ...)
{
    char what[200];
    va_list ap;
    uint8_t *img = malloc(m->size);
    if (!img)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    memcpy(img, m->base, m->size);
    for (int i = 0; i < n; i++)
        mut_put(img, e[i].pos, e[i].width, e[i].value);
    mut_emit(m, img, m->size, must_fail, what);
}

#define MUT_FAIL1(m, pos, width, value, ...)                                                       \
    do {                                                                                           \
        mut_edit e_ = {(pos), (width), (uint64_t)(value)};                                         \
        mut_apply((m), &e_, 1, 1, __VA_ARGS__);                                                    \
    } while (0)

/* A uoffset stored at pos, made to point at or near the end of the file. */
static inline void mut_offset(mutator *m, uint32_t pos, const char *what)
{
    MUT_FAIL1(m, pos, 4, m->size - pos, "%s: offset to the end of the file", what);
    MUT_FAIL1(m, pos, 4, m->size - pos - 2, "%s: offset 2 bytes before the end", what);
    MUT_FAIL1(m, pos, 4, 0xFFFFFFF0u, "%s: huge offset", what);
}

/* The table's vtable moved out of the file, its sizes broken, and each of
 * the listed fields (those the reader reads) pointed outside the table. */
static inline void mut_table(mutator *m, const fb_table *t, const int *ids, int n_ids,
                             const char *what)
{
    MUT_FAIL1(m, t->pos, 4, (uint32_t)(int32_t)((int64_t)t->pos - (int64_t)m->size),
              "%s: vtable past the end", what);
    MUT_FAIL1(m, t->pos, 4, t->pos + 1u, "%s: vtable before the start", what);
    MUT_FAIL1(m, t->vt, 2, 3, "%s: vtable size 3", what);
    MUT_FAIL1(m, t->vt + 2, 2, 2, "%s: table size 2", what);
    for (int i = 0; i < n_ids; i++) {
        uint32_t slot = 4 + 2 * (uint32_t)ids[i];
        if (slot + 2 <= t->vt_size && fb_load(&m->fb, t->vt + slot, 2) != 0)
            MUT_FAIL1(m, t->vt + slot, 2, t->obj_size, "%s: field %d outside the table", what,
                      ids[i]);
    }
}

static inline void mut_vector(mutator *m, const fb_vec *v, const char *what)
{
    MUT_FAIL1(m, v->pos - 4, 4, 0x7FFFFFFFu, "%s: huge length", what);
    MUT_FAIL1(m, v->pos - 4, 4, (m->size - v->pos) / v->elem_size + 1, "%s: length past the end",
              what);
}

/* Offset field id of t: mutates the offset; 1 when present. */
static inline int mut_field_offset(mutator *m, const fb_table *t, int id, const char *what)
{
    uint32_t pos;
    if (fb_field(&m->fb, t, id, 4, &pos) <= 0)
        return 0;
    mut_offset(m, pos, what);
    return 1;
}

static inline int mut_field_vec(mutator *m, const fb_table *t, int id, uint32_t elem, fb_vec *v,
                                const char *what)
{
    if (!mut_field_offset(m, t, id, what) || fb_get_vec(&m->fb, t, id, elem, v) <= 0)
        return 0;
    mut_vector(m, v, what);
    return 1;
}

static inline int mut_field_table(mutator *m, const fb_table *t, int id, fb_table *sub,
                                  const char *what)
{
    return mut_field_offset(m, t, id, what) && fb_get_table(&m->fb, t, id, sub) > 0;
}

/* Position of scalar field id of t, or 0 when absent. */
static inline uint32_t mut_scalar_pos(mutator *m, const fb_table *t, int id, unsigned width)
{
    uint32_t pos;
    return fb_field(&m->fb, t, id, width, &pos) > 0 ? pos : 0;
}

/* Tensor indices in v: out of range, and -2 (never valid). */
static inline void mut_indices(mutator *m, const fb_vec *v, const char *what)
{
    for (uint32_t i = 0; i < v->len; i++) {
        MUT_FAIL1(m, v->pos + 4 * i, 4, (uint32_t)m->model.n_tensors,
                  "%s[%u]: index = tensor count", what, i);
        MUT_FAIL1(m, v->pos + 4 * i, 4, (uint32_t)-2, "%s[%u]: index -2", what, i);
    }
}

/* A copy of base (size bytes) whose Buffer behind the uoffset at elem_pos
 * (an element of Model.buffers) is replaced by a new Buffer table appended
 * to the file: it stores the n bytes of data outside the flatbuffer, at a
 * 16-aligned position after the original bytes, through Buffer.offset and
 * Buffer.size, skewed by offset_delta and size_delta; with_inline also gives
 * it an inline copy in Buffer.data. Returns NULL when out of memory. */
static inline uint8_t *tflite_externalize(const uint8_t *base, size_t size, uint32_t elem_pos,
                                          const uint8_t *data, uint32_t n, int64_t offset_delta,
                                          int64_t size_delta, int with_inline, size_t *out_size)
{
    size_t data_pos = mut_align(size, 16);
    size_t vt = mut_align(data_pos + n, 4), table = vt + 12, vec = table + 24;
    size_t total = vec + (with_inline ? 4 + n : 0);
    uint8_t *img = calloc(total, 1);
    if (!img)
        return NULL;
    memcpy(img, base, size);
    memcpy(img + data_pos, data, n);
    mut_put(img, (uint32_t)vt, 2, 10);     /* vtable: 3 fields */
    mut_put(img, (uint32_t)vt + 2, 2, 24); /* table size */
    mut_put(img, (uint32_t)vt + 4, 2, with_inline ? 20 : 0);
    mut_put(img, (uint32_t)vt + 6, 2, 4);  /* offset at +4 */
    mut_put(img, (uint32_t)vt + 8, 2, 12); /* size at +12 */
    mut_put(img, (uint32_t)table, 4, table - vt);
    mut_put(img, (uint32_t)table + 4, 8, (uint64_t)((int64_t)data_pos + offset_delta));
    mut_put(img, (uint32_t)table + 12, 8, (uint64_t)((int64_t)n + size_delta));
    if (with_inline) {
        mut_put(img, (uint32_t)table + 20, 4, vec - (table + 20));
        mut_put(img, (uint32_t)vec, 4, n);
        memcpy(img + vec + 4, data, n);
    }
    mut_put(img, elem_pos, 4, table - elem_pos);
    *out_size = total;
    return img;
}

/* Position of the Model.buffers element of buffer index, or 0. */
static inline uint32_t tflite_buffer_elem_pos(const uint8_t *base, size_t size, uint32_t index)
{
    fb_ctx fb = {base, size, NULL, 0};
    fb_table root;
    fb_vec v;
    if (fb_root(&fb, &root) < 0 || fb_get_vec(&fb, &root, TFL_MODEL_BUFFERS, 4, &v) <= 0 ||
        index >= v.len)
        return 0;
    return v.pos + 4 * index;
}

/* The tensor's constant data moved outside the flatbuffer, with sizes that
 * do not fit. */
static inline void mut_external(mutator *m, uint32_t elem_pos, const tfl_tensor *t)
{
    static const struct {
        int64_t offset_delta, size_delta;
        int with_inline;
        const char *what;
    } cases[] = {
        {0, -1, 0, "external buffer one byte short"},
        {(int64_t)1 << 40, 0, 0, "external buffer offset past the end"},
        {0, (int64_t)1 << 62, 0, "external buffer size past the end"},
        {0, 0, 1, "buffer with both inline and external data"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t size;
        uint8_t *img = tflite_externalize(m->base, m->size, elem_pos, t->data, t->data_bytes,
                                          cases[k].offset_delta, cases[k].size_delta,
                                          cases[k].with_inline, &size);
        /* One byte short of one byte is no data at all: valid. */
        if (img)
            mut_emit(m, img, size, t->data_bytes > 1 || cases[k].size_delta != -1,
                     cases[k].what);
    }
}

static inline void mut_buffer(mutator *m, uint32_t index, const tfl_tensor *t, const char *what)
{
    static const int ids[] = {TFL_BUFFER_DATA, TFL_BUFFER_OFFSET, TFL_BUFFER_SIZE};
    fb_vec buffers, data;
    fb_table root, b;
    char w[160];
    if (index >= m->n_buffers || m->buffer_seen[index])
        return;
    m->buffer_seen[index] = 1;
    fb_root(&m->fb, &root);
    fb_get_vec(&m->fb, &root, TFL_MODEL_BUFFERS, 4, &buffers);
    snprintf(w, sizeof w, "%s buffer %u", what, index);
    mut_offset(m, buffers.pos + 4 * index, w);
    if (fb_vec_table(&m->fb, &buffers, index, &b) < 0)
        return;
    mut_table(m, &b, ids, 3, w);
    /* Shortened to nothing, data would mean "no constant data": valid. */
    if (mut_field_vec(m, &b, TFL_BUFFER_DATA, 1, &data, w) && data.len > 1 && t->data)
        MUT_FAIL1(m, data.pos - 4, 4, data.len - 1, "%s: one byte short", w);
    if (t->data && !m->external_done) {
        mut_external(m, buffers.pos + 4 * index, t);
        m->external_done = 1;
    }
}

static inline void mut_quantization(mutator *m, const fb_table *t, const char *what)
{
    static const int ids[] = {TFL_QUANT_SCALE, TFL_QUANT_ZERO_POINT, TFL_QUANT_DIMENSION};
    fb_table q;
    fb_vec v;
    char w[160];
    snprintf(w, sizeof w, "%s quantization", what);
    if (!mut_field_table(m, t, TFL_TENSOR_QUANTIZATION, &q, w))
        return;
    mut_table(m, &q, ids, 3, w);
    mut_field_vec(m, &q, TFL_QUANT_SCALE, 4, &v, w);
    mut_field_vec(m, &q, TFL_QUANT_ZERO_POINT, 8, &v, w);
}

static inline void mut_shape(mutator *m, const fb_table *t, const char *what)
{
    fb_vec v;
    if (!mut_field_vec(m, t, TFL_TENSOR_SHAPE, 4, &v, what))
        return;
    MUT_FAIL1(m, v.pos - 4, 4, TFL_MAX_RANK + 1, "%s: rank %d", what, TFL_MAX_RANK + 1);
    for (uint32_t d = 0; d < v.len; d++)
        MUT_FAIL1(m, v.pos + 4 * d, 4, (uint32_t)-1, "%s: dimension %u = -1", what, d);
    if (v.len >= 2) {
        mut_edit e[2] = {{v.pos, 4, 0x10000}, {v.pos + 4, 4, 0x10000}};
        mut_apply(m, e, 2, 1, "%s: 2^32 elements", what);
    }
}

static inline void mut_tensor(mutator *m, const fb_table *t, int32_t i)
{
    static const int ids[] = {TFL_TENSOR_SHAPE, TFL_TENSOR_TYPE, TFL_TENSOR_BUFFER,
                              TFL_TENSOR_NAME, TFL_TENSOR_QUANTIZATION};
    const tfl_tensor *tensor = &m->model.tensors[i];
    uint32_t type = mut_scalar_pos(m, t, TFL_TENSOR_TYPE, 1);
    uint32_t buffer = mut_scalar_pos(m, t, TFL_TENSOR_BUFFER, 4);
    uint32_t index = 0;
    fb_vec name;
    char w[64];
    snprintf(w, sizeof w, "tensor %d", i);
    mut_table(m, t, ids, 5, w);
    mut_shape(m, t, w);
    if (type) {
        MUT_FAIL1(m, type, 1, (uint8_t)-100, "%s: type -100", w);
        if (tensor->data)
            MUT_FAIL1(m, type, 1, 100, "%s: type 100 with constant data", w);
    }
    if (buffer) {
        index = (uint32_t)fb_load(&m->fb, buffer, 4);
        MUT_FAIL1(m, buffer, 4, m->n_buffers + 7, "%s: buffer index out of range", w);
    }
    if (mut_field_vec(m, t, TFL_TENSOR_NAME, 1, &name, w))
        MUT_FAIL1(m, name.pos + name.len, 1, 'x', "%s: name without NUL", w);
    mut_quantization(m, t, w);
    mut_buffer(m, index, tensor, w);
}

/* The operators whose options the reader reads (so a wrong union type is an
 * error), with the ids of their padding and fused activation enums (-1:
 * none). */
static inline void mut_options(mutator *m, const fb_table *op, const tfl_operator *o,
                               const char *what)
{
    static const struct {
        int32_t opcode;
        int padding, activation;
    } enums[] = {
        {TFL_OP_CONV_2D, 0, 3},          {TFL_OP_DEPTHWISE_CONV_2D, 0, 4},
        {TFL_OP_AVERAGE_POOL_2D, 0, 5},  {TFL_OP_MAX_POOL_2D, 0, 5},
        {TFL_OP_FULLY_CONNECTED, -1, 0}, {TFL_OP_ADD, -1, 0},
        {TFL_OP_MUL, -1, 0},             {TFL_OP_CONCATENATION, -1, 1},
        {TFL_OP_SOFTMAX, -1, -1},        {TFL_OP_RESHAPE, -1, -1},
        {TFL_OP_MEAN, -1, -1},           {TFL_OP_RESIZE_NEAREST_NEIGHBOR, -1, -1},
    };
    uint32_t type = mut_scalar_pos(m, op, TFL_OPERATOR_OPTIONS_TYPE, 1);
    fb_table t;
    char w[160];
    snprintf(w, sizeof w, "%s options", what);
    if (!mut_field_table(m, op, TFL_OPERATOR_OPTIONS, &t, w))
        return;
    mut_table(m, &t, NULL, 0, w);
    for (size_t k = 0; k < sizeof enums / sizeof enums[0]; k++) {
        uint32_t pos;
        if (enums[k].opcode != o->opcode || !type)
            continue;
        MUT_FAIL1(m, type, 1, 120, "%s: union type 120", w);
        if (enums[k].padding >= 0 && (pos = mut_scalar_pos(m, &t, enums[k].padding, 1)))
            MUT_FAIL1(m, pos, 1, 7, "%s: padding 7", w);
        if (enums[k].activation >= 0 && (pos = mut_scalar_pos(m, &t, enums[k].activation, 1)))
            MUT_FAIL1(m, pos, 1, 9, "%s: activation 9", w);
    }
}

static inline void mut_opcode(mutator *m, uint32_t index)
{
    static const int ids[] = {TFL_OPCODE_DEPRECATED_BUILTIN, TFL_OPCODE_VERSION,
                              TFL_OPCODE_BUILTIN};
    fb_vec codes;
    fb_table root, c;
    uint32_t builtin, deprecated;
    char w[64];
    if (index >= m->n_opcodes || m->opcode_seen[index])
        return;
    m->opcode_seen[index] = 1;
    fb_root(&m->fb, &root);
    fb_get_vec(&m->fb, &root, TFL_MODEL_OPERATOR_CODES, 4, &codes);
    snprintf(w, sizeof w, "operator code %u", index);
    mut_offset(m, codes.pos + 4 * index, w);
    if (fb_vec_table(&m->fb, &codes, index, &c) < 0)
        return;
    mut_table(m, &c, ids, 3, w);
    builtin = mut_scalar_pos(m, &c, TFL_OPCODE_BUILTIN, 4);
    deprecated = mut_scalar_pos(m, &c, TFL_OPCODE_DEPRECATED_BUILTIN, 1);
    if (builtin) {
        /* Both fields negative: GetBuiltinCode takes the larger. */
        mut_edit e[2] = {{builtin, 4, (uint32_t)-5}, {builtin, 4, (uint32_t)-5}};
        if (deprecated)
            e[1] = (mut_edit){deprecated, 1, (uint8_t)-5};
        mut_apply(m, e, 2, 1, "%s: builtin code -5", w);
    }
}

static inline void mut_operator(mutator *m, const fb_table *t, int32_t i)
{
    static const int ids[] = {TFL_OPERATOR_OPCODE_INDEX, TFL_OPERATOR_INPUTS,
                              TFL_OPERATOR_OUTPUTS, TFL_OPERATOR_OPTIONS_TYPE,
                              TFL_OPERATOR_OPTIONS};
    const tfl_operator *op = &m->model.ops[i];
    uint32_t index_pos = mut_scalar_pos(m, t, TFL_OPERATOR_OPCODE_INDEX, 4);
    fb_vec v;
    char w[64], wv[80];
    snprintf(w, sizeof w, "operator %d", i);
    mut_table(m, t, ids, 5, w);
    if (index_pos)
        MUT_FAIL1(m, index_pos, 4, m->n_opcodes, "%s: opcode index out of range", w);
    snprintf(wv, sizeof wv, "%s inputs", w);
    if (mut_field_vec(m, t, TFL_OPERATOR_INPUTS, 4, &v, wv))
        mut_indices(m, &v, wv);
    snprintf(wv, sizeof wv, "%s outputs", w);
    if (mut_field_vec(m, t, TFL_OPERATOR_OUTPUTS, 4, &v, wv)) {
        mut_indices(m, &v, wv);
        for (uint32_t k = 0; k < v.len; k++)
            MUT_FAIL1(m, v.pos + 4 * k, 4, (uint32_t)-1, "%s[%u]: -1", wv, k);
    }
    mut_options(m, t, op, w);
    mut_opcode(m, index_pos ? (uint32_t)fb_load(&m->fb, index_pos, 4) : 0);
}

static inline void mut_subgraph(mutator *m, const fb_table *g)
{
    static const int ids[] = {TFL_SUBGRAPH_TENSORS, TFL_SUBGRAPH_INPUTS, TFL_SUBGRAPH_OUTPUTS,
                              TFL_SUBGRAPH_OPERATORS};
    fb_vec v;
    fb_table t;
    mut_table(m, g, ids, 4, "subgraph 0");
    if (mut_field_vec(m, g, TFL_SUBGRAPH_INPUTS, 4, &v, "subgraph inputs"))
        mut_indices(m, &v, "subgraph inputs");
    if (mut_field_vec(m, g, TFL_SUBGRAPH_OUTPUTS, 4, &v, "subgraph outputs"))
        mut_indices(m, &v, "subgraph outputs");
    if (mut_field_vec(m, g, TFL_SUBGRAPH_TENSORS, 4, &v, "tensors"))
        for (uint32_t i = 0; i < v.len; i++) {
            mut_offset(m, v.pos + 4 * i, "tensor offset");
            if (fb_vec_table(&m->fb, &v, i, &t) == 0)
                mut_tensor(m, &t, (int32_t)i);
        }
    if (mut_field_vec(m, g, TFL_SUBGRAPH_OPERATORS, 4, &v, "operators"))
        for (uint32_t i = 0; i < v.len; i++) {
            mut_offset(m, v.pos + 4 * i, "operator offset");
            if (fb_vec_table(&m->fb, &v, i, &t) == 0)
                mut_operator(m, &t, (int32_t)i);
        }
}

static inline void mut_model(mutator *m)
{
    static const int ids[] = {TFL_MODEL_VERSION, TFL_MODEL_OPERATOR_CODES, TFL_MODEL_SUBGRAPHS,
                              TFL_MODEL_BUFFERS};
    fb_table root, g;
    fb_vec v;
    uint32_t version;
    fb_root(&m->fb, &root);
    MUT_FAIL1(m, 4, 1, 'X', "file identifier XFL3");
    mut_offset(m, 0, "root");
    mut_table(m, &root, ids, 4, "model");
    if ((version = mut_scalar_pos(m, &root, TFL_MODEL_VERSION, 4)))
        MUT_FAIL1(m, version, 4, 2, "schema version 2");
    mut_field_vec(m, &root, TFL_MODEL_OPERATOR_CODES, 4, &v, "operator codes");
    mut_field_vec(m, &root, TFL_MODEL_BUFFERS, 4, &v, "buffers");
    if (!mut_field_vec(m, &root, TFL_MODEL_SUBGRAPHS, 4, &v, "subgraphs"))
        return;
    MUT_FAIL1(m, v.pos - 4, 4, 0, "no subgraph");
    mut_offset(m, v.pos, "subgraph 0 offset");
    if (fb_vec_table(&m->fb, &v, 0, &g) == 0)
        mut_subgraph(m, &g);
}

static inline void mut_truncations(mutator *m)
{
    /* Every length for small images; for large ones, the header and tables
     * near the start and a stride over the rest. */
    size_t stride = m->size <= 16384 ? 1 : m->size / 2048;
    for (size_t n = 0; n < m->size; n += (n < 1024 ? 1 : stride)) {
        uint8_t *img = malloc(n ? n : 1);
        char what[64];
        if (!img)
            return;
        memcpy(img, m->base, n);
        snprintf(what, sizeof what, "truncated to %zu bytes", n);
        mut_emit(m, img, n, n < 8, what);
    }
}

/* Deterministic single-byte and 4-byte writes anywhere. */
static inline void mut_random(mutator *m, int n)
{
    uint32_t x = 12345;
    for (int i = 0; i < n; i++) {
        mut_edit e;
        x = x * 1103515245u + 12345u;
        e.width = (x >> 8) & 1 ? 4 : 1;
        e.pos = (uint32_t)((x >> 1) % (m->size - e.width + 1));
        x = x * 1103515245u + 12345u;
        e.value = x;
        mut_apply(m, &e, 1, 0, "random %u-byte write at %u", e.width, e.pos);
    }
}

static inline int mut_index_ok(int32_t i, int32_t n, int allow_absent)
{
    return (i >= 0 && i < n) || (allow_absent && i == -1);
}

/* What tflite_read promises about a model it accepts (img, size: the bytes
 * it read): NULL when kept, else what is broken. */
static inline const char *tflite_model_unsound(const tfl_model *m, const uint8_t *img,
                                               size_t size)
{
    for (int32_t i = 0; i < m->n_tensors; i++) {
        const tfl_tensor *t = &m->tensors[i];
        if (t->rank < 0 || t->rank > TFL_MAX_RANK || !t->name)
            return "tensor rank or name";
        for (int32_t d = 0; d < t->rank; d++)
            if (t->shape[d] < 0)
                return "negative dimension";
        if (t->data && (t->data < img || t->data_bytes > size ||
                        (size_t)(t->data - img) > size - t->data_bytes))
            return "data outside the image";
    }
    for (int32_t o = 0; o < m->n_ops; o++) {
        const tfl_operator *op = &m->ops[o];
        for (int32_t k = 0; k < op->n_inputs; k++)
            if (!mut_index_ok(op->inputs[k], m->n_tensors, 1))
                return "operator input index";
        for (int32_t k = 0; k < op->n_outputs; k++)
            if (!mut_index_ok(op->outputs[k], m->n_tensors, 0))
                return "operator output index";
        if (op->opt.n_new_shape > TFL_MAX_NEW_SHAPE)
            return "new_shape length";
    }
    for (int32_t k = 0; k < m->n_inputs; k++)
        if (!mut_index_ok(m->inputs[k], m->n_tensors, 0))
            return "subgraph input index";
    for (int32_t k = 0; k < m->n_outputs; k++)
        if (!mut_index_ok(m->outputs[k], m->n_tensors, 0))
            return "subgraph output index";
    return NULL;
}

/* Calls fn for every variant of base. Returns the number of variants, or -1
 * when base itself is not a model tflite_read accepts. */
static inline long tflite_mutations(const uint8_t *base, size_t size, tflite_mutation_fn fn,
                                    void *ctx)
{
    mutator m;
    fb_table root;
    fb_vec v;
    memset(&m, 0, sizeof m);
    m.base = base;
    m.size = size;
    m.fb.buf = base;
    m.fb.size = size;
    m.fb.err = m.err;
    m.fb.err_size = sizeof m.err;
    m.fn = fn;
    m.ctx = ctx;
    if (tflite_read(base, size, &m.model, m.err, sizeof m.err) != 0 || fb_root(&m.fb, &root) < 0)
        return -1;
    if (fb_get_vec(&m.fb, &root, TFL_MODEL_BUFFERS, 4, &v) > 0)
        m.n_buffers = v.len;
    if (fb_get_vec(&m.fb, &root, TFL_MODEL_OPERATOR_CODES, 4, &v) > 0)
        m.n_opcodes = v.len;
    m.buffer_seen = calloc(m.n_buffers + 1, 1);
    m.opcode_seen = calloc(m.n_opcodes + 1, 1);
    if (m.buffer_seen && m.opcode_seen) {
        mut_model(&m);
        mut_random(&m, 300);
        mut_truncations(&m);
    }
    free(m.buffer_seen);
    free(m.opcode_seen);
    tflite_free(&m.model);
    return m.count;
}

#endif
