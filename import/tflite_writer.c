#include "tflite_writer.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Field ids of schema.fbs (declaration order; a union field takes two ids,
 * its type then its value). */
enum { MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_DESCRIPTION = 3,
       MODEL_BUFFERS = 4 };
enum { SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3,
       SUBGRAPH_NAME = 4 };
enum { TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3,
       TENSOR_QUANTIZATION = 4 };
enum { QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_QUANTIZED_DIMENSION = 6 };
enum { OPCODE_DEPRECATED_BUILTIN_CODE = 0, OPCODE_VERSION = 2, OPCODE_BUILTIN_CODE = 3 };
enum { OPERATOR_OPCODE_INDEX = 0, OPERATOR_INPUTS = 1, OPERATOR_OUTPUTS = 2,
       OPERATOR_OPTIONS_TYPE = 3, OPERATOR_OPTIONS = 4 };
enum { BUFFER_DATA = 0 };

#define SCHEMA_VERSION 3
#define BUFFER_DATA_ALIGN 16     /* Buffer.data is (force_align: 16) */
#define DEPRECATED_CODE_MAX 127  /* PLACEHOLDER_FOR_GREATER_OP_CODES */
#define FILE_MAX 0x7fffffffu     /* offsets are 32-bit; stay clear of the sign bit */
#define MAX_FIELDS 8

/* The file is laid out front to back. Offsets to tables, vectors and
 * strings are unsigned and point forward, so a table is written before the
 * objects it refers to: its offset fields are left zero and linked once
 * their targets are placed. An allocation failure sets failed and turns
 * every later write into a no-op, so callers check once at the end. */
typedef struct {
    uint8_t *p;
    size_t len, cap;
    int failed;
} fb_builder;

enum { F_ABSENT, F_U8, F_U32, F_OFFSET };

typedef struct {
    int id;
    int kind;
    uint32_t value;                /* F_U32 holds int32, uint32 or float bits */
} fb_field;

static void put_le(fb_builder *b, size_t pos, uint64_t v, size_t nbytes)
{
    if (b->failed)
        return;
    for (size_t i = 0; i < nbytes; i++)
        b->p[pos + i] = (uint8_t)(v >> (8 * i));
}

/* Pads with zeros until (position + skew) is a multiple of align, then
 * appends n zero bytes; returns their position. */
static size_t fb_reserve(fb_builder *b, size_t align, size_t skew, size_t n)
{
    if (b->failed)
        return 0;
    size_t pad = (align - (b->len + skew) % align) % align;
    if (n > FILE_MAX || b->len + pad + n > FILE_MAX) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + pad + n;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < need)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return 0;
        }
        b->p = p;
        b->cap = cap;
    }
    memset(b->p + b->len, 0, pad + n);
    b->len = need;
    return need - n;
}

static void fb_link(fb_builder *b, size_t slot, size_t target)
{
    put_le(b, slot, target - slot, 4);
}

/* Writes a vtable and its table just after it; 4-byte fields go first so
 * every field is aligned. slot[i] gets the position of field i, for
 * linking F_OFFSET fields. Returns the table's position. */
static size_t fb_table(fb_builder *b, const fb_field *f, int n, size_t *slot)
{
    int n_ids = 0;
    size_t size = 4;
    for (int i = 0; i < n; i++) {
        if (f[i].kind == F_ABSENT)
            continue;
        if (f[i].id + 1 > n_ids)
            n_ids = f[i].id + 1;
        size += f[i].kind == F_U8 ? 1 : 4;
    }
    size_t vtable = fb_reserve(b, 2, 0, 4 + 2 * (size_t)n_ids);
    size_t table = fb_reserve(b, 4, 0, size);
    put_le(b, vtable, 4 + 2 * (uint64_t)n_ids, 2);
    put_le(b, vtable + 2, size, 2);
    put_le(b, table, table - vtable, 4);
    size_t at = table + 4;
    for (int wide = 1; wide >= 0; wide--) {
        for (int i = 0; i < n; i++) {
            if (f[i].kind == F_ABSENT || (f[i].kind != F_U8) != wide)
                continue;
            size_t bytes = wide ? 4 : 1;
            slot[i] = at;
            put_le(b, at, f[i].value, bytes);
            put_le(b, vtable + 4 + 2 * (size_t)f[i].id, at - table, 2);
            at += bytes;
        }
    }
    return table;
}

static uint64_t load_scalar(const uint8_t *p, size_t bytes)
{
    uint32_t u32;
    uint64_t u64;
    if (bytes == 4) {
        memcpy(&u32, p, 4);
        return u32;
    }
    memcpy(&u64, p, 8);
    return u64;
}

/* A vector of n scalars of elem_bytes each (1, 4 or 8), read from host
 * memory, with the elements aligned to align (at least 4: the length field
 * before them is a uint32). Bytes are copied whole (weights: a model's
 * megabytes), wider scalars written little-endian one by one. */
static size_t fb_vector(fb_builder *b, const void *v, size_t n, size_t elem_bytes, size_t align)
{
    if (n > FILE_MAX / elem_bytes) {
        b->failed = 1;
        return 0;
    }
    size_t pos = fb_reserve(b, align, 4, 4 + n * elem_bytes);
    put_le(b, pos, n, 4);
    if (elem_bytes == 1) {
        if (!b->failed && n > 0)
            memcpy(b->p + pos + 4, v, n);
        return pos;
    }
    for (size_t i = 0; i < n; i++)
        put_le(b, pos + 4 + i * elem_bytes,
               load_scalar((const uint8_t *)v + i * elem_bytes, elem_bytes), elem_bytes);
    return pos;
}

static size_t fb_ints(fb_builder *b, const int32_t *v, int32_t n)
{
    return fb_vector(b, v, (size_t)n, 4, 4);
}

static size_t fb_string(fb_builder *b, const char *s)
{
    size_t n = strlen(s);
    size_t pos = fb_vector(b, s, n, 1, 4);
    fb_reserve(b, 1, 0, 1);        /* strings end with a NUL */
    return pos;
}

/* A vector of n offsets to tables written later: element i's slot is at
 * position + 4 + 4 * i. */
static size_t fb_offsets(fb_builder *b, int32_t n)
{
    size_t pos = fb_reserve(b, 4, 0, 4 + 4 * (size_t)n);
    put_le(b, pos, (uint64_t)n, 4);
    return pos;
}

static size_t offsets_slot(size_t vector, int32_t i)
{
    return vector + 4 + 4 * (size_t)i;
}

/* ---- Builtin options: one field list per union type. */

typedef struct {
    int id;
    int kind;                      /* F_U8, F_U32, or F_OFFSET for new_shape */
    size_t member;                 /* offsetof in tfw_options; every member is 4 bytes */
    uint32_t def;                  /* schema default (bits for a float) */
} opt_field;

typedef struct {
    int32_t type;
    int n;
    opt_field f[MAX_FIELDS];
} opt_table;

#define M(x) offsetof(tfw_options, x)

static const opt_table opt_tables[] = {
    {TFW_OPT_CONV_2D, 6,
     {{0, F_U8, M(padding), 0}, {1, F_U32, M(stride_w), 0}, {2, F_U32, M(stride_h), 0},
      {3, F_U8, M(activation), 0}, {4, F_U32, M(dilation_w), 1}, {5, F_U32, M(dilation_h), 1}}},
    {TFW_OPT_DEPTHWISE_CONV_2D, 7,
     {{0, F_U8, M(padding), 0}, {1, F_U32, M(stride_w), 0}, {2, F_U32, M(stride_h), 0},
      {3, F_U32, M(depth_multiplier), 0}, {4, F_U8, M(activation), 0},
      {5, F_U32, M(dilation_w), 1}, {6, F_U32, M(dilation_h), 1}}},
    {TFW_OPT_POOL_2D, 6,
     {{0, F_U8, M(padding), 0}, {1, F_U32, M(stride_w), 0}, {2, F_U32, M(stride_h), 0},
      {3, F_U32, M(filter_w), 0}, {4, F_U32, M(filter_h), 0}, {5, F_U8, M(activation), 0}}},
    {TFW_OPT_FULLY_CONNECTED, 2, {{0, F_U8, M(activation), 0}, {2, F_U8, M(keep_num_dims), 0}}},
    {TFW_OPT_SOFTMAX, 1, {{0, F_U32, M(beta), 0}}},
    {TFW_OPT_CONCATENATION, 2, {{0, F_U32, M(axis), 0}, {1, F_U8, M(activation), 0}}},
    {TFW_OPT_ADD, 1, {{0, F_U8, M(activation), 0}}},
    {TFW_OPT_RESHAPE, 1, {{0, F_OFFSET, M(new_shape), 0}}},
    {TFW_OPT_MUL, 1, {{0, F_U8, M(activation), 0}}},
    {TFW_OPT_PAD, 0, {{0}}},
    {TFW_OPT_REDUCER, 1, {{0, F_U8, M(keep_dims), 0}}},
    {TFW_OPT_PADV2, 0, {{0}}},
    {TFW_OPT_RESIZE_NEAREST_NEIGHBOR, 2,
     {{0, F_U8, M(align_corners), 0}, {1, F_U8, M(half_pixel_centers), 0}}},
};

#undef M

static const opt_table *find_opt_table(int32_t type)
{
    for (size_t i = 0; i < sizeof opt_tables / sizeof opt_tables[0]; i++)
        if (opt_tables[i].type == type)
            return &opt_tables[i];
    return NULL;
}

/* The table is known to exist (checked by valid_model). */
static size_t write_options(fb_builder *b, const tfw_options *o)
{
    const opt_table *t = find_opt_table(o->type);
    fb_field f[MAX_FIELDS];
    size_t slot[MAX_FIELDS];
    int vec = -1;
    for (int i = 0; i < t->n; i++) {
        uint32_t v;
        memcpy(&v, (const uint8_t *)o + t->f[i].member, 4);
        f[i].id = t->f[i].id;
        f[i].value = v;
        if (t->f[i].kind == F_OFFSET) {
            f[i].kind = o->n_new_shape > 0 ? F_OFFSET : F_ABSENT;
            vec = i;
        } else {
            f[i].kind = v == t->f[i].def ? F_ABSENT : t->f[i].kind;
        }
    }
    size_t pos = fb_table(b, f, t->n, slot);
    if (vec >= 0 && f[vec].kind == F_OFFSET)
        fb_link(b, slot[vec], fb_ints(b, o->new_shape, o->n_new_shape));
    return pos;
}

/* ---- Model parts. */

static size_t write_quantization(fb_builder *b, const tfw_tensor *t)
{
    fb_field f[] = {{QUANT_SCALE, F_OFFSET, 0},
                    {QUANT_ZERO_POINT, F_OFFSET, 0},
                    {QUANT_QUANTIZED_DIMENSION, F_U32, (uint32_t)t->quantized_dimension}};
    size_t slot[3];
    size_t pos = fb_table(b, f, 3, slot);
    fb_link(b, slot[0], fb_vector(b, t->scales, (size_t)t->n_quant, 4, 4));
    fb_link(b, slot[1], fb_vector(b, t->zero_points, (size_t)t->n_quant, 8, 8));
    return pos;
}

static size_t write_tensor(fb_builder *b, const tfw_tensor *t, uint32_t buffer)
{
    fb_field f[] = {{TENSOR_SHAPE, F_OFFSET, 0},
                    {TENSOR_TYPE, F_U8, (uint32_t)t->type},
                    {TENSOR_BUFFER, F_U32, buffer},
                    {TENSOR_NAME, t->name ? F_OFFSET : F_ABSENT, 0},
                    {TENSOR_QUANTIZATION, t->n_quant > 0 ? F_OFFSET : F_ABSENT, 0}};
    size_t slot[5];
    size_t pos = fb_table(b, f, 5, slot);
    fb_link(b, slot[0], fb_ints(b, t->shape, t->rank));
    if (t->name)
        fb_link(b, slot[3], fb_string(b, t->name));
    if (t->n_quant > 0)
        fb_link(b, slot[4], write_quantization(b, t));
    return pos;
}

static size_t write_operator(fb_builder *b, const tfw_operator *op, int32_t code_index)
{
    int has_options = op->options.type != TFW_OPT_NONE;
    fb_field f[] = {{OPERATOR_OPCODE_INDEX, F_U32, (uint32_t)code_index},
                    {OPERATOR_INPUTS, F_OFFSET, 0},
                    {OPERATOR_OUTPUTS, F_OFFSET, 0},
                    {OPERATOR_OPTIONS_TYPE, has_options ? F_U8 : F_ABSENT,
                     (uint32_t)op->options.type},
                    {OPERATOR_OPTIONS, has_options ? F_OFFSET : F_ABSENT, 0}};
    size_t slot[5];
    size_t pos = fb_table(b, f, 5, slot);
    fb_link(b, slot[1], fb_ints(b, op->inputs, op->n_inputs));
    fb_link(b, slot[2], fb_ints(b, op->outputs, op->n_outputs));
    if (has_options)
        fb_link(b, slot[4], write_options(b, &op->options));
    return pos;
}

static size_t write_opcode(fb_builder *b, const tfw_operator *op)
{
    int32_t deprecated = op->opcode < DEPRECATED_CODE_MAX ? op->opcode : DEPRECATED_CODE_MAX;
    fb_field f[] = {{OPCODE_DEPRECATED_BUILTIN_CODE, F_U8, (uint32_t)deprecated},
                    {OPCODE_VERSION, F_U32, (uint32_t)op->version},
                    {OPCODE_BUILTIN_CODE, F_U32, (uint32_t)op->opcode}};
    size_t slot[3];
    return fb_table(b, f, 3, slot);
}

static size_t write_buffer(fb_builder *b, const tfw_tensor *t)
{
    fb_field f[] = {{BUFFER_DATA, t ? F_OFFSET : F_ABSENT, 0}};
    size_t slot[1];
    size_t pos = fb_table(b, f, 1, slot);
    if (t)
        fb_link(b, slot[0], fb_vector(b, t->data, t->data_bytes, 1, BUFFER_DATA_ALIGN));
    return pos;
}

/* Operator codes: code_of[i] is op i's index in operator_codes, and
 * first_op[k] the first op using code k. Returns the number of codes. */
static int32_t assign_codes(const tfw_model *m, int32_t *code_of, int32_t *first_op)
{
    int32_t n = 0;
    for (int32_t i = 0; i < m->n_ops; i++) {
        int32_t k = 0;
        while (k < n && (m->ops[first_op[k]].opcode != m->ops[i].opcode ||
                         m->ops[first_op[k]].version != m->ops[i].version))
            k++;
        if (k == n)
            first_op[n++] = i;
        code_of[i] = k;
    }
    return n;
}

static size_t write_subgraph(fb_builder *b, const tfw_model *m, const int32_t *code_of)
{
    fb_field f[] = {{SUBGRAPH_TENSORS, F_OFFSET, 0},
                    {SUBGRAPH_INPUTS, F_OFFSET, 0},
                    {SUBGRAPH_OUTPUTS, F_OFFSET, 0},
                    {SUBGRAPH_OPERATORS, F_OFFSET, 0},
                    {SUBGRAPH_NAME, m->subgraph_name ? F_OFFSET : F_ABSENT, 0}};
    size_t slot[5];
    size_t pos = fb_table(b, f, 5, slot);
    size_t tensors = fb_offsets(b, m->n_tensors);
    fb_link(b, slot[0], tensors);
    uint32_t buffer = 0;
    for (int32_t i = 0; i < m->n_tensors; i++) {
        const tfw_tensor *t = &m->tensors[i];
        fb_link(b, offsets_slot(tensors, i), write_tensor(b, t, t->data_bytes ? ++buffer : 0));
    }
    fb_link(b, slot[1], fb_ints(b, m->inputs, m->n_inputs));
    fb_link(b, slot[2], fb_ints(b, m->outputs, m->n_outputs));
    size_t ops = fb_offsets(b, m->n_ops);
    fb_link(b, slot[3], ops);
    for (int32_t i = 0; i < m->n_ops; i++)
        fb_link(b, offsets_slot(ops, i), write_operator(b, &m->ops[i], code_of[i]));
    if (m->subgraph_name)
        fb_link(b, slot[4], fb_string(b, m->subgraph_name));
    return pos;
}

static void write_buffers(fb_builder *b, const tfw_model *m, size_t slot)
{
    int32_t n = 1;
    for (int32_t i = 0; i < m->n_tensors; i++)
        n += m->tensors[i].data_bytes > 0;
    size_t buffers = fb_offsets(b, n);
    fb_link(b, slot, buffers);
    fb_link(b, offsets_slot(buffers, 0), write_buffer(b, NULL));
    int32_t k = 1;
    for (int32_t i = 0; i < m->n_tensors; i++)
        if (m->tensors[i].data_bytes > 0)
            fb_link(b, offsets_slot(buffers, k++), write_buffer(b, &m->tensors[i]));
}

static void write_model(fb_builder *b, const tfw_model *m, int32_t *code_of, int32_t *first_op)
{
    size_t root = fb_reserve(b, 4, 0, 8);
    if (!b->failed)
        memcpy(b->p + root + 4, "TFL3", 4);
    fb_field f[] = {{MODEL_VERSION, F_U32, SCHEMA_VERSION},
                    {MODEL_OPERATOR_CODES, F_OFFSET, 0},
                    {MODEL_SUBGRAPHS, F_OFFSET, 0},
                    {MODEL_DESCRIPTION, m->description ? F_OFFSET : F_ABSENT, 0},
                    {MODEL_BUFFERS, F_OFFSET, 0}};
    size_t slot[5];
    fb_link(b, root, fb_table(b, f, 5, slot));
    int32_t n_codes = assign_codes(m, code_of, first_op);
    size_t codes = fb_offsets(b, n_codes);
    fb_link(b, slot[1], codes);
    for (int32_t k = 0; k < n_codes; k++)
        fb_link(b, offsets_slot(codes, k), write_opcode(b, &m->ops[first_op[k]]));
    size_t subgraphs = fb_offsets(b, 1);
    fb_link(b, slot[2], subgraphs);
    fb_link(b, offsets_slot(subgraphs, 0), write_subgraph(b, m, code_of));
    if (m->description)
        fb_link(b, slot[3], fb_string(b, m->description));
    write_buffers(b, m, slot[4]);
}

/* ---- Checking the description. */

static int valid_indices(const int32_t *v, int32_t n, int32_t lo, int32_t hi)
{
    if (n < 0 || (n > 0 && !v))
        return 0;
    for (int32_t i = 0; i < n; i++)
        if (v[i] < lo || v[i] >= hi)
            return 0;
    return 1;
}

static int valid_tensor(const tfw_tensor *t)
{
    return t->rank >= 0 && t->rank <= TFW_MAX_RANK && t->type >= 0 && t->type <= 127 &&
           (t->data_bytes == 0 || t->data) &&
           (t->n_quant == 0 || (t->n_quant > 0 && t->scales && t->zero_points));
}

static int valid_operator(const tfw_operator *op, int32_t n_tensors)
{
    const tfw_options *o = &op->options;
    return op->opcode >= 0 && valid_indices(op->inputs, op->n_inputs, -1, n_tensors) &&
           valid_indices(op->outputs, op->n_outputs, 0, n_tensors) &&
           (o->type == TFW_OPT_NONE || find_opt_table(o->type)) &&
           o->n_new_shape <= TFW_MAX_RANK;
}

static int valid_model(const tfw_model *m)
{
    if (m->n_tensors < 0 || m->n_ops < 0 || (m->n_tensors > 0 && !m->tensors) ||
        (m->n_ops > 0 && !m->ops))
        return 0;
    for (int32_t i = 0; i < m->n_tensors; i++)
        if (!valid_tensor(&m->tensors[i]))
            return 0;
    for (int32_t i = 0; i < m->n_ops; i++)
        if (!valid_operator(&m->ops[i], m->n_tensors))
            return 0;
    return valid_indices(m->inputs, m->n_inputs, 0, m->n_tensors) &&
           valid_indices(m->outputs, m->n_outputs, 0, m->n_tensors);
}

uint8_t *tflite_write(const tfw_model *model, size_t *size)
{
    *size = 0;
    if (!valid_model(model))
        return NULL;
    size_t n = model->n_ops > 0 ? (size_t)model->n_ops : 1;
    int32_t *code_of = malloc(2 * n * sizeof *code_of);
    if (!code_of)
        return NULL;
    fb_builder b = {0};
    write_model(&b, model, code_of, code_of + n);
    free(code_of);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    *size = b.len;
    return b.p;
}
