#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emit_io.h"
#include "emit_model.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* An array written to NAME.c, found again by its contents: the importer
 * copies biases (for alignment) and the copy then shares its tensor's flash. */
typedef struct {
    const void *data;
    uint32_t bytes;
    msf_dtype type;
    char label[32];
} emitted_array;

typedef struct {
    FILE *arrays;        /* NAME.c: arrays go out before the tables that point at them */
    FILE *tables;        /* the tables, appended once every array is out */
    const msf_model *m;
    const char *name;
    emitted_array *list; /* room for every tensor and every op's pointers */
    int32_t n;
    int bad_float;
} emitter;

/* What a field of a runtime struct holds, so that one function writes any
 * struct as a designated initializer. */
typedef enum {
    F_I32,
    F_U32,
    F_I16,
    F_I8,
    F_I32X2,
    F_I32X4,
    F_F32,
    F_DTYPE,
    F_DATA,         /* msf_tensor.data */
    F_WEIGHTS,      /* int8, the op's input 1 */
    F_PER_CHANNEL,  /* int32 multipliers or shifts: one per output channel, or one */
    F_BIAS,         /* int32, one per output channel */
    F_TABLE         /* a table emitted before as NAME_<field name>, or NULL */
} field_kind;

typedef struct {
    const char *name;
    size_t offset;
    field_kind kind;
} field;

#define FIELD(type, f, kind) {#f, offsetof(type, f), kind}

static const field tensor_fields[] = {
    FIELD(msf_tensor, dims, F_I32X4),     FIELD(msf_tensor, rank, F_I32),
    FIELD(msf_tensor, dtype, F_DTYPE),    FIELD(msf_tensor, scale, F_F32),
    FIELD(msf_tensor, zero_point, F_I32), FIELD(msf_tensor, bytes, F_U32),
    FIELD(msf_tensor, data, F_DATA),
};

static const field block_fields[] = {
    FIELD(msf_block, scheme, F_I32),     FIELD(msf_block, sink, F_I32),
    FIELD(msf_block, first_node, F_I32), FIELD(msf_block, n_nodes, F_I32),
    FIELD(msf_block, swept, F_I32),      FIELD(msf_block, sums, F_I32),
    FIELD(msf_block, input_rows, F_I32), FIELD(msf_block, tile_rows, F_I32),
    FIELD(msf_block, ring, F_I32),
};

static const field node_fields[] = {
    FIELD(msf_node, op, F_I32),
    FIELD(msf_node, in, F_I32X2),
    FIELD(msf_node, out, F_I32),
};

static const field buffer_fields[] = {
    FIELD(msf_buffer, offset, F_U32),     FIELD(msf_buffer, bytes, F_U32),
    FIELD(msf_buffer, kind, F_I32),       FIELD(msf_buffer, rows, F_I32),
    FIELD(msf_buffer, cols, F_I32),       FIELD(msf_buffer, channels, F_I32),
    FIELD(msf_buffer, elem_bytes, F_I32), FIELD(msf_buffer, align, F_I32),
    FIELD(msf_buffer, alias, F_I32),
};

static const field model_fields[] = {
    FIELD(msf_model, tensors, F_TABLE), FIELD(msf_model, n_tensors, F_I32),
    FIELD(msf_model, ops, F_TABLE),     FIELD(msf_model, n_ops, F_I32),
    FIELD(msf_model, inputs, F_TABLE),  FIELD(msf_model, n_inputs, F_I32),
    FIELD(msf_model, outputs, F_TABLE), FIELD(msf_model, n_outputs, F_I32),
};

static const field plan_fields[] = {
    FIELD(msf_plan, blocks, F_TABLE),      FIELD(msf_plan, n_blocks, F_I32),
    FIELD(msf_plan, nodes, F_TABLE),       FIELD(msf_plan, n_nodes, F_I32),
    FIELD(msf_plan, buffers, F_TABLE),     FIELD(msf_plan, n_buffers, F_I32),
    FIELD(msf_plan, tensor_buffers, F_TABLE),
    FIELD(msf_plan, arena_bytes, F_U32),   FIELD(msf_plan, streamed, F_I32),
};

static const field conv_fields[] = {
    FIELD(msf_conv_params, stride_h, F_I32),         FIELD(msf_conv_params, stride_w, F_I32),
    FIELD(msf_conv_params, pad_top, F_I32),          FIELD(msf_conv_params, pad_left, F_I32),
    FIELD(msf_conv_params, kernel_h, F_I32),         FIELD(msf_conv_params, kernel_w, F_I32),
    FIELD(msf_conv_params, depth_multiplier, F_I32), FIELD(msf_conv_params, input_offset, F_I32),
    FIELD(msf_conv_params, output_offset, F_I32),    FIELD(msf_conv_params, act_min, F_I32),
    FIELD(msf_conv_params, act_max, F_I32),          FIELD(msf_conv_params, multiplier, F_PER_CHANNEL),
    FIELD(msf_conv_params, shift, F_PER_CHANNEL),    FIELD(msf_conv_params, weights, F_WEIGHTS),
    FIELD(msf_conv_params, bias, F_BIAS),
};

static const field fc_fields[] = {
    FIELD(msf_fc_params, input_offset, F_I32),    FIELD(msf_fc_params, output_offset, F_I32),
    FIELD(msf_fc_params, act_min, F_I32),         FIELD(msf_fc_params, act_max, F_I32),
    FIELD(msf_fc_params, per_channel, F_I32),     FIELD(msf_fc_params, multiplier, F_PER_CHANNEL),
    FIELD(msf_fc_params, shift, F_PER_CHANNEL),   FIELD(msf_fc_params, weights, F_WEIGHTS),
    FIELD(msf_fc_params, bias, F_BIAS),           FIELD(msf_fc_params, in_features, F_I32),
    FIELD(msf_fc_params, units, F_I32),
};

static const field add_fields[] = {
    FIELD(msf_add_params, input1_offset, F_I32),     FIELD(msf_add_params, input2_offset, F_I32),
    FIELD(msf_add_params, output_offset, F_I32),     FIELD(msf_add_params, left_shift, F_I32),
    FIELD(msf_add_params, input1_multiplier, F_I32), FIELD(msf_add_params, input1_shift, F_I32),
    FIELD(msf_add_params, input2_multiplier, F_I32), FIELD(msf_add_params, input2_shift, F_I32),
    FIELD(msf_add_params, output_multiplier, F_I32), FIELD(msf_add_params, output_shift, F_I32),
    FIELD(msf_add_params, act_min, F_I32),           FIELD(msf_add_params, act_max, F_I32),
};

static const field mul_fields[] = {
    FIELD(msf_mul_params, input1_offset, F_I32),     FIELD(msf_mul_params, input2_offset, F_I32),
    FIELD(msf_mul_params, output_offset, F_I32),     FIELD(msf_mul_params, output_multiplier, F_I32),
    FIELD(msf_mul_params, output_shift, F_I32),      FIELD(msf_mul_params, act_min, F_I32),
    FIELD(msf_mul_params, act_max, F_I32),
};

static const field pool_fields[] = {
    FIELD(msf_pool_params, stride_h, F_I32), FIELD(msf_pool_params, stride_w, F_I32),
    FIELD(msf_pool_params, filter_h, F_I32), FIELD(msf_pool_params, filter_w, F_I32),
    FIELD(msf_pool_params, pad_top, F_I32),  FIELD(msf_pool_params, pad_left, F_I32),
    FIELD(msf_pool_params, act_min, F_I32),  FIELD(msf_pool_params, act_max, F_I32),
};

static const field mean_fields[] = {
    FIELD(msf_mean_params, axes_mask, F_U32),         FIELD(msf_mean_params, input_zero_point, F_I32),
    FIELD(msf_mean_params, output_zero_point, F_I32), FIELD(msf_mean_params, multiplier, F_I32),
    FIELD(msf_mean_params, shift, F_I32),
};

static const field softmax_fields[] = {
    FIELD(msf_softmax_params, input_multiplier, F_I32),
    FIELD(msf_softmax_params, input_left_shift, F_I32),
    FIELD(msf_softmax_params, diff_min, F_I32),
};

static const field logistic_fields[] = {
    FIELD(msf_logistic_params, input_zero_point, F_I32),
    FIELD(msf_logistic_params, input_range_radius, F_I32),
    FIELD(msf_logistic_params, input_multiplier, F_I32),
    FIELD(msf_logistic_params, input_left_shift, F_I32),
};

static const field hard_swish_fields[] = {
    FIELD(msf_hard_swish_params, input_zero_point, F_I32),
    FIELD(msf_hard_swish_params, output_zero_point, F_I32),
    FIELD(msf_hard_swish_params, reluish_multiplier_fixedpoint_int16, F_I16),
    FIELD(msf_hard_swish_params, reluish_multiplier_exponent, F_I32),
    FIELD(msf_hard_swish_params, output_multiplier_fixedpoint_int16, F_I16),
    FIELD(msf_hard_swish_params, output_multiplier_exponent, F_I32),
};

static const field pad_fields[] = {
    FIELD(msf_pad_params, before, F_I32X4),
    FIELD(msf_pad_params, after, F_I32X4),
    FIELD(msf_pad_params, value, F_I8),
};

static const field transpose_fields[] = {FIELD(msf_transpose_params, perm, F_I32X4)};

static const field resize_fields[] = {
    FIELD(msf_resize_params, align_corners, F_I32),
    FIELD(msf_resize_params, half_pixel_centers, F_I32),
};

static const field concat_fields[] = {FIELD(msf_concat_params, axis, F_I32)};

static const field quantize_fields[] = {
    FIELD(msf_quantize_params, scale, F_F32),
    FIELD(msf_quantize_params, zero_point, F_I32),
};

/* Each op type's member of msf_op.p; RESHAPE has none. */
typedef struct {
    const char *member;
    const field *fields;
    size_t n_fields;
} param_layout;

#define LAYOUT(member, fields) {member, fields, N_OF(fields)}

static const param_layout layouts[MSF_OP_COUNT] = {
    [MSF_OP_CONV2D] = LAYOUT("conv", conv_fields),
    [MSF_OP_DEPTHWISE_CONV2D] = LAYOUT("conv", conv_fields),
    [MSF_OP_FULLY_CONNECTED] = LAYOUT("fc", fc_fields),
    [MSF_OP_ADD] = LAYOUT("add", add_fields),
    [MSF_OP_MUL] = LAYOUT("mul", mul_fields),
    [MSF_OP_AVERAGE_POOL2D] = LAYOUT("pool", pool_fields),
    [MSF_OP_MAX_POOL2D] = LAYOUT("pool", pool_fields),
    [MSF_OP_MEAN] = LAYOUT("mean", mean_fields),
    [MSF_OP_SOFTMAX] = LAYOUT("softmax", softmax_fields),
    [MSF_OP_PAD] = LAYOUT("pad", pad_fields),
    [MSF_OP_TRANSPOSE] = LAYOUT("transpose", transpose_fields),
    [MSF_OP_RESIZE_NEAREST] = LAYOUT("resize", resize_fields),
    [MSF_OP_CONCATENATION] = LAYOUT("concat", concat_fields),
    [MSF_OP_LOGISTIC] = LAYOUT("logistic", logistic_fields),
    [MSF_OP_HARD_SWISH] = LAYOUT("hard_swish", hard_swish_fields),
    [MSF_OP_QUANTIZE] = LAYOUT("quantize", quantize_fields),
    [MSF_OP_DEQUANTIZE] = LAYOUT("quantize", quantize_fields),
};

#define ENUM_NAME(x) [x] = #x

static const char *const op_names[MSF_OP_COUNT] = {
    ENUM_NAME(MSF_OP_CONV2D),          ENUM_NAME(MSF_OP_DEPTHWISE_CONV2D), ENUM_NAME(MSF_OP_FULLY_CONNECTED),
    ENUM_NAME(MSF_OP_ADD),             ENUM_NAME(MSF_OP_MUL),              ENUM_NAME(MSF_OP_AVERAGE_POOL2D),
    ENUM_NAME(MSF_OP_MAX_POOL2D),      ENUM_NAME(MSF_OP_MEAN),             ENUM_NAME(MSF_OP_RESHAPE),
    ENUM_NAME(MSF_OP_TRANSPOSE),       ENUM_NAME(MSF_OP_SOFTMAX),          ENUM_NAME(MSF_OP_PAD),
    ENUM_NAME(MSF_OP_CONCATENATION),   ENUM_NAME(MSF_OP_RESIZE_NEAREST),   ENUM_NAME(MSF_OP_LOGISTIC),
    ENUM_NAME(MSF_OP_HARD_SWISH),      ENUM_NAME(MSF_OP_QUANTIZE),         ENUM_NAME(MSF_OP_DEQUANTIZE),
};

static const char *const dtype_names[] = {ENUM_NAME(MSF_INT8), ENUM_NAME(MSF_INT32), ENUM_NAME(MSF_FLOAT32)};
static const char *const c_types[] = {[MSF_INT8] = "int8_t", [MSF_INT32] = "int32_t", [MSF_FLOAT32] = "float"};

/* Headers the generated files sit beside: NAME.h must not shadow one (the
 * firmware's include path has both folders). The runtime's, then C's. */
static const char *const taken_headers[] = {
    MSF_RUNTIME_HEADERS "assert", "complex", "ctype", "errno", "fenv", "float",
    "inttypes", "iso646", "limits", "locale", "math", "setjmp", "signal", "stdalign", "stdarg", "stdatomic",
    "stdbool", "stddef", "stdint", "stdio", "stdlib", "stdnoreturn", "string", "tgmath", "threads", "time",
    "uchar", "wchar", "wctype",
};

#define STRINGIZE(x) #x
#define DECIMAL(x) STRINGIZE(x)
static const char not_identifier[] = "not a C identifier of at most " DECIMAL(EMIT_MAX_NAME)
                                     " characters (letters, digits, _; a letter first)";

const char *emit_name_problem(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > EMIT_MAX_NAME || !isalpha((unsigned char)name[0]))
        return not_identifier;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_')
            return not_identifier;
    /* The runtime's symbols and macros are msf_* and MSF_*. */
    if (tolower((unsigned char)name[0]) == 'm' && tolower((unsigned char)name[1]) == 's' &&
        tolower((unsigned char)name[2]) == 'f' && (name[3] == '\0' || name[3] == '_'))
        return "msf and msf_* are the runtime's names";
    for (size_t i = 0; i < sizeof taken_headers / sizeof taken_headers[0]; i++)
        if (strcmp(name, taken_headers[i]) == 0)
            return "NAME.h would shadow a header of the runtime or of C";
    return NULL;
}

/* Text with '@' standing for NAME and '$' for NAME in capitals (macros). */
static void put_template(FILE *f, const char *text, const char *name, const char *upper)
{
    for (; *text; text++) {
        if (*text == '@')
            fputs(name, f);
        else if (*text == '$')
            fputs(upper, f);
        else
            fputc(*text, f);
    }
}

/* A comment's text, with any "*" "/" pair (a file name can hold one) split. */
static void put_comment_text(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, f);
        if (p[0] == '*' && p[1] == '/')
            fputc(' ', f);
    }
}

static void put_int(FILE *f, int64_t v)
{
    /* -2147483648 is the negation of a constant too large for int. */
    if (v == INT32_MIN)
        fputs("(-2147483647 - 1)", f);
    else
        fprintf(f, "%" PRId64, v);
}

/* Hex float literals are exact: the value read back is the same float. */
static void put_float(emitter *e, FILE *f, float v)
{
    if (!isfinite(v)) {
        e->bad_float = 1;
        fputs("0", f);
        return;
    }
    fprintf(f, "%af", (double)v);
}

static uint32_t element_size(msf_dtype type)
{
    return type == MSF_INT8 ? 1 : 4;
}

/* "{v0, v1, ...};" over lines; data may be unaligned (it can point into the
 * model file). */
static void put_values(emitter *e, FILE *f, msf_dtype type, const void *data, uint32_t count)
{
    const uint8_t *bytes = data;
    uint32_t per_line = type == MSF_INT8 ? 20 : 8;
    fputc('{', f);
    for (uint32_t i = 0; i < count; i++) {
        fputs(i % per_line ? " " : "\n    ", f);
        if (type == MSF_INT8) {
            put_int(f, (int8_t)bytes[i]);
        } else if (type == MSF_INT32) {
            int32_t v;
            memcpy(&v, bytes + 4 * (size_t)i, sizeof v);
            put_int(f, v);
        } else {
            float v;
            memcpy(&v, bytes + 4 * (size_t)i, sizeof v);
            put_float(e, f, v);
        }
        fputc(',', f);
    }
    fputs("\n};\n\n", f);
}

/* The name of a const array holding count elements at data: one written
 * before with the same contents, or a new one called NAME_label. */
static const char *const_array(emitter *e, const void *data, msf_dtype type, uint32_t count, const char *label)
{
    uint32_t bytes = count * element_size(type);
    for (int32_t i = 0; i < e->n; i++) {
        const emitted_array *a = &e->list[i];
        if (a->type == type && a->bytes == bytes && memcmp(a->data, data, bytes) == 0)
            return a->label;
    }
    emitted_array *a = &e->list[e->n++];
    *a = (emitted_array){data, bytes, type, {0}};
    snprintf(a->label, sizeof a->label, "%s", label);
    fprintf(e->arrays, "static const %s %s_%s[%" PRIu32 "] = ", c_types[type], e->name, label, count);
    put_values(e, e->arrays, type, data, count);
    return a->label;
}

/* Output channels of a conv or fully connected op. */
static uint32_t op_channels(const msf_model *m, const msf_op *op)
{
    if (op->type == MSF_OP_FULLY_CONNECTED)
        return (uint32_t)op->p.fc.units;
    const msf_tensor *out = &m->tensors[op->output];
    return (uint32_t)out->dims[out->rank - 1];
}

/* Weights of a conv ([O,KH,KW,I]), depthwise ([1,KH,KW,C]) or fully
 * connected ([units, in_features]) op; ops list no weight tensor as input. */
static uint32_t weight_count(const msf_model *m, const msf_op *op)
{
    if (op->type == MSF_OP_FULLY_CONNECTED)
        return (uint32_t)op->p.fc.units * (uint32_t)op->p.fc.in_features;
    const msf_tensor *in = &m->tensors[op->inputs[0]];
    uint32_t taps = (uint32_t)op->p.conv.kernel_h * (uint32_t)op->p.conv.kernel_w * op_channels(m, op);
    return op->type == MSF_OP_CONV2D ? taps * (uint32_t)in->dims[in->rank - 1] : taps;
}

/* What a pointer field points at, as an array reference (or 0 for NULL).
 * owner is the struct's row: the tensor itself for F_DATA, else the op. */
static void put_ref(emitter *e, const field *fd, const void *ptr, const void *owner, int32_t row)
{
    const msf_op *op = owner;
    const msf_tensor *t = owner;
    msf_dtype type = MSF_INT32;
    uint32_t count;
    char label[32];
    switch (fd->kind) {
    case F_DATA:
        /* Constants of types msf does not compute with (bytes 0) are read by
         * nothing at run time; they keep no data. */
        ptr = t->bytes ? ptr : NULL;
        type = t->dtype;
        count = t->bytes / element_size(type);
        snprintf(label, sizeof label, "t%" PRId32, row);
        break;
    case F_WEIGHTS:
        type = MSF_INT8;
        count = weight_count(e->m, op);
        break;
    case F_PER_CHANNEL:
        count = op->type == MSF_OP_FULLY_CONNECTED && !op->p.fc.per_channel ? 1 : op_channels(e->m, op);
        break;
    default:
        count = op_channels(e->m, op);
        break;
    }
    if (fd->kind != F_DATA)
        snprintf(label, sizeof label, "op%" PRId32 "_%s", row, fd->name);
    if (ptr)
        fprintf(e->tables, "%s_%s", e->name, const_array(e, ptr, type, count, label));
    else
        fputs("0", e->tables);
}

/* One struct as "{.a = 1, .b = {..}, ...}". */
static void put_fields(emitter *e, const void *base, const field *fields, size_t n, const void *owner, int32_t row)
{
    FILE *f = e->tables;
    fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        const field *fd = &fields[i];
        const char *p = (const char *)base + fd->offset;
        fprintf(f, "%s.%s = ", i ? ", " : "", fd->name);
        int32_t i32;
        int16_t i16;
        uint32_t u32;
        float f32;
        msf_dtype dtype;
        const void *ptr;
        switch (fd->kind) {
        case F_I32: memcpy(&i32, p, sizeof i32); put_int(f, i32); break;
        case F_U32: memcpy(&u32, p, sizeof u32); fprintf(f, "%" PRIu32 "u", u32); break;
        case F_I16: memcpy(&i16, p, sizeof i16); put_int(f, i16); break;
        case F_I8: put_int(f, *(const int8_t *)p); break;
        case F_F32: memcpy(&f32, p, sizeof f32); put_float(e, f, f32); break;
        case F_DTYPE: memcpy(&dtype, p, sizeof dtype); fputs(dtype_names[dtype], f); break;
        case F_I32X2:
        case F_I32X4:
            for (int k = 0; k < (fd->kind == F_I32X2 ? 2 : 4); k++) {
                memcpy(&i32, p + k * sizeof i32, sizeof i32);
                fputs(k ? ", " : "{", f);
                put_int(f, i32);
            }
            fputc('}', f);
            break;
        case F_TABLE:
            memcpy(&ptr, p, sizeof ptr);
            if (ptr)
                fprintf(f, "%s_%s", e->name, fd->name);
            else
                fputs("0", f);
            break;
        default: memcpy(&ptr, p, sizeof ptr); put_ref(e, fd, ptr, owner, row); break;
        }
    }
    fputc('}', f);
}

/* "static const TYPE NAME_what[count] = {rows};" for a table of structs. */
static void put_table(emitter *e, const char *type, const char *what, const void *rows, size_t stride, int32_t count,
                      const field *fields, size_t n_fields)
{
    fprintf(e->tables, "static const %s %s_%s[%" PRId32 "] = {\n", type, e->name, what, count);
    for (int32_t i = 0; i < count; i++) {
        const void *row = (const char *)rows + (size_t)i * stride;
        fputs("    ", e->tables);
        put_fields(e, row, fields, n_fields, row, i);
        fputs(",\n", e->tables);
    }
    fputs("};\n\n", e->tables);
}

static void put_ops(emitter *e)
{
    FILE *f = e->tables;
    fprintf(f, "static const msf_op %s_ops[%" PRId32 "] = {\n", e->name, e->m->n_ops);
    for (int32_t o = 0; o < e->m->n_ops; o++) {
        const msf_op *op = &e->m->ops[o];
        fprintf(f, "    {.type = %s, .n_inputs = %" PRId32 ", .inputs = {", op_names[op->type], op->n_inputs);
        /* At least one value: C has no empty initializer lists. */
        for (int32_t k = 0; k < op->n_inputs || k == 0; k++)
            fprintf(f, "%s%" PRId32, k ? ", " : "", op->inputs[k]);
        fprintf(f, "}, .output = %" PRId32, op->output);
        const param_layout *l = &layouts[op->type];
        if (l->member) {
            fprintf(f, ",\n     .p.%s = ", l->member);
            put_fields(e, &op->p, l->fields, l->n_fields, op, o);
        }
        fputs("},\n", f);
    }
    fputs("};\n\n", f);
}

static void put_index_list(emitter *e, const char *what, const int32_t *list, int32_t n)
{
    fprintf(e->tables, "static const int32_t %s_%s[%" PRId32 "] = ", e->name, what, n);
    put_values(e, e->tables, MSF_INT32, list, (uint32_t)n);
}

static void put_model_and_plan(emitter *e, const msf_plan *plan)
{
    const msf_model *m = e->m;
    FILE *f = e->tables;
    put_table(e, "msf_tensor", "tensors", m->tensors, sizeof *m->tensors, m->n_tensors, tensor_fields,
              N_OF(tensor_fields));
    put_ops(e);
    put_index_list(e, "inputs", m->inputs, m->n_inputs);
    put_index_list(e, "outputs", m->outputs, m->n_outputs);
    fprintf(f, "static const msf_model %s_model_def = ", e->name);
    put_fields(e, m, model_fields, N_OF(model_fields), m, 0);
    fputs(";\n\n", f);
    put_table(e, "msf_block", "blocks", plan->blocks, sizeof *plan->blocks, plan->n_blocks, block_fields,
              N_OF(block_fields));
    put_table(e, "msf_node", "nodes", plan->nodes, sizeof *plan->nodes, plan->n_nodes, node_fields,
              N_OF(node_fields));
    put_index_list(e, "tensor_buffers", plan->tensor_buffers, m->n_tensors);
    msf_plan p = *plan;
    if (p.n_buffers)
        put_table(e, "msf_buffer", "buffers", p.buffers, sizeof *p.buffers, p.n_buffers, buffer_fields,
                  N_OF(buffer_fields));
    else
        p.buffers = NULL; /* C has no empty arrays */
    fprintf(f, "static const msf_plan %s_plan_def = ", e->name);
    put_fields(e, &p, plan_fields, N_OF(plan_fields), &p, 0);
    fputs(";\n\n", f);
}

static const char header_api[] =
    "/* One inference: reads $_INPUT_BYTES bytes at input (the graph inputs,\n"
    " * concatenated) and writes $_OUTPUT_BYTES bytes at output (the graph outputs,\n"
    " * concatenated). With $_STREAMED_INPUT the plan reads the input in place (it\n"
    " * may be in flash; as MSF_STREAM_INPUT_ROWS it takes it a row at a time), else it\n"
    " * is copied into the arena; with $_STREAMED_OUTPUT the plan writes the\n"
    " * output straight to output, else it is copied out.\n"
    " * Returns 0 or an msf_status. Not reentrant: one static arena. */\n"
    "int @_invoke(const void *input, void *output);\n\n"
    "/* The arena, $_ARENA_BYTES bytes: paint it before a run and scan it after\n"
    " * for the high-water mark (msf_arena_paint, msf_arena_high_water). */\n"
    "uint8_t *@_arena(void);\n\n"
    "/* The tables, to call the runtime directly. */\n"
    "const msf_model *@_model(void);\n"
    "const msf_plan *@_plan(void);\n";

static const char source_preamble[] =
    "#include <stdint.h>\n\n"
    "#include \"msf_plan.h\"\n"
    "#include \"msf_runtime.h\"\n"
    "#include \"@.h\"\n\n"
    "/* The runtime keeps float tensors at 4-byte aligned arena offsets. Other\n"
    " * compilers: align @_arena_buf (and @_input) to 4 bytes or more. */\n"
    "#if defined(__GNUC__)\n"
    "#define $_ALIGNED __attribute__((aligned(16)))\n"
    "#else\n"
    "#define $_ALIGNED\n"
    "#endif\n\n";

/* A plan streaming both ends of a one-op model needs no arena, but C has no
 * empty arrays. */
static const char source_arena[] =
    "static uint8_t @_arena_buf[$_ARENA_BYTES > 0 ? $_ARENA_BYTES : 1] $_ALIGNED;\n\n";

/* Freestanding code has no memcpy it can count on. */
static const char source_copy[] =
    "static void @_copy(uint8_t *dst, const uint8_t *src, uint32_t n)\n"
    "{\n"
    "    for (uint32_t i = 0; i < n; i++)\n"
    "        dst[i] = src[i];\n"
    "}\n\n";

static const char source_copy_in[] =
    "    const uint8_t *in = (const uint8_t *)input;\n"
    "    for (int32_t i = 0; i < @_model_def.n_inputs; i++) {\n"
    "        uint32_t n = @_tensors[@_inputs[i]].bytes;\n"
    "        @_copy((uint8_t *)msf_tensor_data(&@_model_def, &@_plan_def, @_arena_buf, @_inputs[i]), in, n);\n"
    "        in += n;\n"
    "    }\n";

static const char source_run[] =
    "    msf_status s = msf_run_plan_streams(&@_model_def, &@_plan_def, @_arena_buf, $_ARENA_BYTES, input, output);\n"
    "    if (s != MSF_OK)\n"
    "        return (int)s;\n";

/* A plan taking the input a row at a time: @_invoke_rows takes any row
 * source; @_invoke reads the rows from the input in memory. */
static const char header_rows[] =
    "\n/* The input a row at a time (camera lines, a decoder): rows->row(ctx, y)\n"
    " * returns row y ($_INPUT_ROW_BYTES bytes). Otherwise as @_invoke. */\n"
    "int @_invoke_rows(const msf_row_source *rows, void *output);\n";

static const char source_rows[] =
    "static const int8_t *@_row_in_memory(void *ctx, int32_t y)\n"
    "{\n"
    "    return (const int8_t *)ctx + y * $_INPUT_ROW_BYTES;\n"
    "}\n\n"
    "int @_invoke(const void *input, void *output)\n"
    "{\n"
    "    msf_row_source rows = {@_row_in_memory, (void *)(uintptr_t)input};\n"
    "    return @_invoke_rows(&rows, output);\n"
    "}\n\n"
    "int @_invoke_rows(const msf_row_source *rows, void *output)\n"
    "{\n"
    "    msf_status s = msf_run_plan_rows(&@_model_def, &@_plan_def, @_arena_buf, $_ARENA_BYTES, rows, output);\n"
    "    if (s != MSF_OK)\n"
    "        return (int)s;\n";

static const char source_copy_out[] =
    "    uint8_t *out = (uint8_t *)output;\n"
    "    for (int32_t i = 0; i < @_model_def.n_outputs; i++) {\n"
    "        uint32_t n = @_tensors[@_outputs[i]].bytes;\n"
    "        @_copy(out, (const uint8_t *)msf_tensor_data(&@_model_def, &@_plan_def, @_arena_buf, @_outputs[i]), n);\n"
    "        out += n;\n"
    "    }\n";

static const char source_accessors[] =
    "    return 0;\n"
    "}\n\n"
    "uint8_t *@_arena(void)\n{\n    return @_arena_buf;\n}\n\n"
    "const msf_model *@_model(void)\n{\n    return &@_model_def;\n}\n\n"
    "const msf_plan *@_plan(void)\n{\n    return &@_plan_def;\n}\n";

static uint32_t list_bytes(const msf_model *m, const int32_t *list, int32_t n)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += m->tensors[list[i]].bytes;
    return sum;
}

static void put_opening(FILE *f, const emit_options *o)
{
    fprintf(f, "/* %s: ", o->name);
    put_comment_text(f, o->about);
    fputs("\n * Generated by msf gen; do not edit. */\n", f);
}

/* The input given to msf gen as an array of the input's type (a float
 * input as float), declared or defined. */
static void put_input_array(FILE *f, const msf_model *m, const emit_options *o, const char *upper,
                            const char *storage, const char *end)
{
    msf_dtype type = emit_input_type(m);
    fprintf(f, "\n/* The input given to msf gen, in flash. */\n%sconst %s %s_input[%s_INPUT_BYTES / %u]%s", storage,
            c_types[type], o->name, upper, element_size(type), end);
}

static void put_header(FILE *h, const msf_model *m, const msf_plan *plan, const emit_options *o, const char *upper)
{
    put_opening(h, o);
    fprintf(h, "#ifndef MSF_GEN_%s_H\n#define MSF_GEN_%s_H\n\n#include <stdint.h>\n\n#include \"msf_plan.h\"\n\n",
            upper, upper);
    fprintf(h, "#define %s_ARENA_BYTES %" PRIu32 "u /* the planned peak RAM, to the byte */\n", upper,
            plan->arena_bytes);
    fprintf(h, "#define %s_INPUT_BYTES %" PRIu32 "u\n", upper, list_bytes(m, m->inputs, m->n_inputs));
    fprintf(h, "#define %s_OUTPUT_BYTES %" PRIu32 "u\n", upper, list_bytes(m, m->outputs, m->n_outputs));
    fprintf(h, "#define %s_MACS UINT64_C(%" PRIu64 ") /* per inference, as planned and counted */\n", upper,
            o->macs);
    int rows = (plan->streamed & MSF_STREAM_INPUT_ROWS) != 0;
    fprintf(h, "#define %s_STREAMED_INPUT %d /* MSF_STREAM_INPUT, MSF_STREAM_INPUT_ROWS or 0 (held) */\n", upper,
            (int)(plan->streamed & MSF_STREAM_ANY_INPUT));
    if (rows) {
        const msf_tensor *in = &m->tensors[m->inputs[0]];
        fprintf(h, "#define %s_INPUT_ROW_BYTES %" PRIu32 "\n", upper, in->bytes / (uint32_t)in->dims[1]);
    }
    fprintf(h, "#define %s_STREAMED_OUTPUT %d\n\n", upper, (plan->streamed & MSF_STREAM_OUTPUT) ? 1 : 0);
    emit_io_macros(h, m, o->name, upper);
    put_template(h, header_api, o->name, upper);
    if (rows)
        put_template(h, header_rows, o->name, upper);
    if (o->input)
        put_input_array(h, m, o, upper, "extern ", ";\n");
    if (o->n_labels)
        emit_labels(h, o->labels, o->n_labels, o->name, upper);
    fputs("\n#endif\n", h);
}

static void put_api(emitter *e, FILE *c, const msf_plan *plan, const emit_options *o, const char *upper)
{
    put_template(c, source_arena, o->name, upper);
    if (o->input) {
        msf_dtype type = emit_input_type(e->m);
        put_input_array(c, e->m, o, upper, "", " ");
        put_template(c, "$_ALIGNED = ", o->name, upper);
        put_values(e, c, type, o->input, list_bytes(e->m, e->m->inputs, e->m->n_inputs) / element_size(type));
    }
    int in = plan->streamed & MSF_STREAM_ANY_INPUT, out = plan->streamed & MSF_STREAM_OUTPUT;
    if (!in || !out)
        put_template(c, source_copy, o->name, upper);
    if (plan->streamed & MSF_STREAM_INPUT_ROWS) {
        put_template(c, source_rows, o->name, upper);
    } else {
        put_template(c, "int @_invoke(const void *input, void *output)\n{\n", o->name, upper);
        if (!in)
            put_template(c, source_copy_in, o->name, upper);
        put_template(c, source_run, o->name, upper);
    }
    if (!out)
        put_template(c, source_copy_out, o->name, upper);
    put_template(c, source_accessors, o->name, upper);
}

int emit_model(FILE *c, FILE *h, const msf_model *m, const msf_plan *plan, const emit_options *o, char *err,
               size_t err_size)
{
    char upper[EMIT_MAX_NAME + 1];
    size_t n = 0;
    for (; o->name[n] && n < EMIT_MAX_NAME; n++)
        upper[n] = (char)toupper((unsigned char)o->name[n]);
    upper[n] = '\0';
    char *tables = NULL;
    size_t tables_size = 0;
    emitter e = {c, open_memstream(&tables, &tables_size), m, o->name, NULL, 0, 0};
    e.list = calloc((size_t)m->n_tensors + 4 * (size_t)m->n_ops, sizeof *e.list);
    if (!e.tables || !e.list) {
        if (e.tables)
            fclose(e.tables);
        free(tables);
        free(e.list);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    put_header(h, m, plan, o, upper);
    put_opening(c, o);
    put_template(c, source_preamble, o->name, upper);
    put_model_and_plan(&e, plan);
    int rc = fclose(e.tables);
    fwrite(tables, 1, tables_size, c);
    put_api(&e, c, plan, o, upper);
    free(tables);
    free(e.list);
    if (e.bad_float) {
        snprintf(err, err_size, "the model holds a NaN or infinite float, which C99 cannot spell as a constant");
        return EMIT_UNREPRESENTABLE;
    }
    if (rc || ferror(c) || ferror(h)) {
        snprintf(err, err_size, "out of memory while writing the C source");
        return -1;
    }
    return 0;
}
