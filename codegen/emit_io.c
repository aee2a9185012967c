#include <inttypes.h>

#include "emit_io.h"

static const char *const c_type_of[] = {[MSF_INT8] = "int8_t", [MSF_INT32] = "int32_t", [MSF_FLOAT32] = "float"};

/* int8: q = round(x / scale) + zero_point, saturated, as TFLite's
 * QUANTIZE rounds (half away from zero); the clamp before the conversion
 * keeps huge values and NaN defined. '@' is NAME_inputi, '$' NAME_INPUTi. */
static const char helpers[] =
    "static inline int8_t @_quantize(float x)\n"
    "{\n"
    "    float r = x / $_SCALE;\n"
    "    if (!(r > -512.0f))\n"
    "        r = -512.0f;\n"
    "    if (r > 512.0f)\n"
    "        r = 512.0f;\n"
    "    int32_t q = (int32_t)(r < 0.0f ? r - 0.5f : r + 0.5f) + $_ZERO_POINT;\n"
    "    return (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);\n"
    "}\n\n"
    "static inline float @_dequantize(int8_t q)\n"
    "{\n"
    "    return $_SCALE * (float)((int32_t)q - $_ZERO_POINT);\n"
    "}\n\n";

static void put_helpers(FILE *h, const char *lower, const char *upper)
{
    for (const char *p = helpers; *p; p++) {
        if (*p == '@')
            fputs(lower, h);
        else if (*p == '$')
            fputs(upper, h);
        else
            fputc(*p, h);
    }
}

/* The macros of one tensor; offset is where it starts in the concatenated
 * input (output) bytes NAME_invoke takes. */
static void put_tensor(FILE *h, const msf_tensor *t, const char *name, const char *upper, const char *what,
                       int32_t i, uint32_t offset)
{
    char lower_id[96], upper_id[96];
    snprintf(lower_id, sizeof lower_id, "%s_%s%d", name, what, i);
    snprintf(upper_id, sizeof upper_id, "%s_%s%d", upper, what[0] == 'i' ? "INPUT" : "OUTPUT", i);
    fprintf(h, "/* %s %d: %s", what, i, t->dtype == MSF_FLOAT32 ? "float" : c_type_of[t->dtype]);
    for (int32_t d = 0; d < t->rank; d++)
        fprintf(h, "%s%" PRId32, d ? "x" : " ", t->dims[d]);
    fputs(t->dtype == MSF_INT8 ? ", real = scale x (q - zero_point) */\n" : " (not quantized) */\n", h);
    fprintf(h, "#define %s_TYPE %s\n", upper_id, c_type_of[t->dtype]);
    fprintf(h, "#define %s_RANK %" PRId32 "\n#define %s_DIMS {", upper_id, t->rank, upper_id);
    for (int32_t d = 0; d < t->rank; d++)
        fprintf(h, "%s%" PRId32, d ? ", " : "", t->dims[d]);
    fprintf(h, "}\n#define %s_ELEMENTS %" PRId32 "\n", upper_id, msf_elements(t));
    fprintf(h, "#define %s_BYTES %" PRIu32 "u\n#define %s_OFFSET %" PRIu32 "u\n", upper_id, t->bytes, upper_id, offset);
    /* %.9e reads back as the same float. */
    fprintf(h, "#define %s_SCALE %.9ef\n#define %s_ZERO_POINT (%" PRId32 ")\n\n", upper_id, (double)t->scale, upper_id,
            t->zero_point);
    if (t->dtype == MSF_INT8)
        put_helpers(h, lower_id, upper_id);
}

static void put_list(FILE *h, const msf_model *m, const int32_t *list, int32_t n, const char *name,
                     const char *upper, const char *what)
{
    uint32_t offset = 0;
    for (int32_t i = 0; i < n; i++) {
        const msf_tensor *t = &m->tensors[list[i]];
        put_tensor(h, t, name, upper, what, i, offset);
        offset += t->bytes;
    }
}

void emit_io_macros(FILE *h, const msf_model *m, const char *name, const char *upper)
{
    fprintf(h, "#define %s_N_INPUTS %" PRId32 "\n#define %s_N_OUTPUTS %" PRId32 "\n\n", upper, m->n_inputs, upper,
            m->n_outputs);
    put_list(h, m, m->inputs, m->n_inputs, name, upper, "input");
    put_list(h, m, m->outputs, m->n_outputs, name, upper, "output");
}

/* A C string literal of any bytes: '"', '\\' and '?' (trigraphs) escaped,
 * everything outside printable ASCII as three octal digits (a hex escape
 * would swallow the digits after it). */
static void put_c_string(FILE *h, const char *s)
{
    fputc('"', h);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c == '?')
            fprintf(h, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, h);
        else
            fprintf(h, "\\%03o", c);
    }
    fputc('"', h);
}

void emit_labels(FILE *h, const char *const *labels, int32_t n, const char *name, const char *upper)
{
    fprintf(h, "\n/* The class names given to msf gen --labels, in the order of output 0's\n"
               " * elements; NULL out of range. */\n#define %s_N_LABELS %" PRId32 "\n", upper, n);
    fprintf(h, "static inline const char *%s_label(int32_t i)\n{\n    static const char *const labels[%s_N_LABELS] = {",
            name, upper);
    for (int32_t i = 0; i < n; i++) {
        fputs(i % 4 ? " " : "\n        ", h);
        put_c_string(h, labels[i]);
        fputc(',', h);
    }
    fprintf(h, "\n    };\n    return i >= 0 && i < %s_N_LABELS ? labels[i] : (const char *)0;\n}\n", upper);
}

msf_dtype emit_input_type(const msf_model *m)
{
    return m->n_inputs == 1 ? m->tensors[m->inputs[0]].dtype : MSF_INT8;
}
