#define _POSIX_C_SOURCE 200809L /* open_memstream */
/* The emitter on a hand-built model: floats read back bit for bit, INT32_MIN
 * spelled as C allows, copied arrays (a bias) sharing their tensor's array,
 * NaN refused, and which names are C identifiers. run_gen_tests.sh compiles
 * and runs the code for real models. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "emit_model.h"

static const float floats[4] = {0.1f, -3.4028235e38f, 1.4e-45f, 1.0f / 3.0f};
static const int32_t bias[2] = {INT32_MIN, INT32_MAX};
static const int8_t weights[8] = {1, -2, 3, -4, 5, -6, 7, -128};

typedef struct {
    msf_tensor tensors[6];
    msf_op ops[2];
    int32_t input, output;
    msf_block blocks[2];
    msf_node nodes[2];
    msf_buffer buffers[3];
    int32_t tensor_buffers[6];
    msf_model model;
    msf_plan plan;
} tiny_model;

/* t0 int8 input -> DEQUANTIZE -> t2 float; t0 -> FULLY_CONNECTED (weights
 * t4, bias a copy of t3) -> t5. t1 is a float constant. */
static void tiny_init(tiny_model *t, const float *constants)
{
    memset(t, 0, sizeof *t);
    t->tensors[0] = (msf_tensor){.dims = {1, 4}, .rank = 2, .scale = 0.1f, .zero_point = 3, .bytes = 4};
    t->tensors[1] = (msf_tensor){.dims = {4}, .rank = 1, .dtype = MSF_FLOAT32, .bytes = 16, .data = constants};
    t->tensors[2] = (msf_tensor){.dims = {1, 4}, .rank = 2, .dtype = MSF_FLOAT32, .bytes = 16};
    t->tensors[3] = (msf_tensor){.dims = {2}, .rank = 1, .dtype = MSF_INT32, .bytes = 8, .data = bias};
    t->tensors[4] = (msf_tensor){.dims = {2, 4}, .rank = 2, .scale = 0.5f, .bytes = 8, .data = weights};
    t->tensors[5] = (msf_tensor){.dims = {1, 2}, .rank = 2, .scale = 0.25f, .bytes = 2};
    static int32_t bias_copy[2], multiplier = 1 << 30, shift = -1;
    memcpy(bias_copy, bias, sizeof bias);
    t->ops[0] = (msf_op){.type = MSF_OP_DEQUANTIZE, .n_inputs = 1, .inputs = {0}, .output = 2,
                         .p.quantize = {.scale = 0.1f, .zero_point = 3}};
    t->ops[1] = (msf_op){.type = MSF_OP_FULLY_CONNECTED, .n_inputs = 1, .inputs = {0}, .output = 5,
                         .p.fc = {.act_min = -128, .act_max = 127, .multiplier = &multiplier, .shift = &shift,
                                  .weights = weights, .bias = bias_copy, .in_features = 4, .units = 2}};
    t->input = 0;
    t->output = 5;
    t->model = (msf_model){.tensors = t->tensors, .n_tensors = 6, .ops = t->ops, .n_ops = 2, .inputs = &t->input,
                           .n_inputs = 1, .outputs = &t->output, .n_outputs = 1};
    t->blocks[0] = (msf_block){.first_node = 0, .n_nodes = 1, .sums = -1, .input_rows = -1, .tile_rows = 1, .ring = -1};
    t->blocks[1] = (msf_block){.first_node = 1, .n_nodes = 1, .sums = -1, .input_rows = -1, .tile_rows = 1, .ring = -1};
    t->nodes[0] = (msf_node){0, {-1, -1}, 1};
    t->nodes[1] = (msf_node){1, {-1, -1}, 2};
    t->buffers[0] = (msf_buffer){0, 4, MSF_BUF_TENSOR, 1, 1, 4, 1, 1, -1};
    t->buffers[1] = (msf_buffer){16, 16, MSF_BUF_TENSOR, 1, 1, 4, 4, 4, -1};
    t->buffers[2] = (msf_buffer){4, 2, MSF_BUF_TENSOR, 1, 1, 2, 1, 1, -1};
    static const int32_t tensor_buffers[6] = {0, -1, 1, -1, -1, 2};
    memcpy(t->tensor_buffers, tensor_buffers, sizeof tensor_buffers);
    t->plan = (msf_plan){.blocks = t->blocks, .n_blocks = 2, .nodes = t->nodes, .n_nodes = 2, .buffers = t->buffers,
                         .n_buffers = 3, .tensor_buffers = t->tensor_buffers, .arena_bytes = 32};
}

/* Emits the tiny model; returns emit_model's code, the texts in *c, *h. */
static int emit(const float *constants, char **c, char **h)
{
    tiny_model t;
    tiny_init(&t, constants);
    size_t c_size, h_size;
    FILE *cf = open_memstream(c, &c_size), *hf = open_memstream(h, &h_size);
    char err[256] = "";
    emit_options o = {.name = "m", .about = "a */ comment", .macs = 12345};
    int rc = emit_model(cf, hf, &t.model, &t.plan, &o, err, sizeof err);
    fclose(cf);
    fclose(hf);
    CHECK(rc == 0 || strstr(err, "NaN"));
    return rc;
}

/* The n float literals after marker read back to exactly want[]. */
static void check_floats(const char *text, const char *marker, const float *want, int n)
{
    const char *p = strstr(text, marker);
    CHECK(p != NULL);
    if (!p)
        return;
    p += strlen(marker);
    for (int i = 0; i < n; i++) {
        char *end;
        while (*p == ' ' || *p == '\n' || *p == ',' || *p == '{')
            p++;
        float got = strtof(p, &end);
        CHECK(end > p && *end == 'f');
        CHECK(memcmp(&got, &want[i], sizeof got) == 0);
        p = end + 1;
    }
}

static void test_text(void)
{
    char *c = NULL, *h = NULL;
    CHECK_EQ_INT(emit(floats, &c, &h), 0);
    check_floats(c, "static const float m_t1[4] = ", floats, 4);
    check_floats(c, ".dtype = MSF_INT8, .scale = ", floats, 1);
    check_floats(c, ".p.quantize = {.scale = ", floats, 1);
    CHECK(strstr(c, "(-2147483647 - 1), 2147483647,") != NULL);
    CHECK(strstr(c, ".weights = m_t4, .bias = m_t3,") != NULL);
    CHECK(strstr(c, "static const int32_t m_op1_multiplier[1] = {\n    1073741824,\n};") != NULL);
    CHECK(strstr(c, "static uint8_t m_arena_buf[M_ARENA_BYTES > 0 ? M_ARENA_BYTES : 1] M_ALIGNED;") != NULL);
    CHECK(strstr(c, "a * / comment") != NULL && strstr(c, "a */") == NULL);
    CHECK(strstr(h, "#define M_ARENA_BYTES 32u") != NULL);
    CHECK(strstr(h, "#define M_MACS UINT64_C(12345)") != NULL);
    CHECK(strstr(h, "int m_invoke(const void *input, void *output);") != NULL);
    free(c);
    free(h);
}

/* A float input and a second, float output: typed float in NAME.h, the
 * input array too; no quantize helpers for them; labels escaped. */
static void test_float_io(void)
{
    tiny_model t;
    tiny_init(&t, floats);
    static const int32_t inputs[1] = {2}, outputs[2] = {5, 2};
    t.model.inputs = inputs;
    t.model.outputs = outputs;
    t.model.n_outputs = 2;
    static const uint8_t input[16] = {0};
    const char *labels[2] = {"a\"b\\?\?=", "caf\xc3\xa9 */"};
    emit_options o = {.name = "m", .about = "", .macs = 1, .input = input, .labels = labels, .n_labels = 2};
    char *c = NULL, *h = NULL;
    size_t c_size, h_size;
    FILE *cf = open_memstream(&c, &c_size), *hf = open_memstream(&h, &h_size);
    char err[256] = "";
    CHECK_EQ_INT(emit_model(cf, hf, &t.model, &t.plan, &o, err, sizeof err), 0);
    fclose(cf);
    fclose(hf);
    CHECK(strstr(h, "#define M_INPUT0_TYPE float\n") != NULL);
    CHECK(strstr(h, "#define M_OUTPUT0_TYPE int8_t\n") != NULL);
    CHECK(strstr(h, "#define M_OUTPUT1_TYPE float\n") != NULL);
    CHECK(strstr(h, "#define M_OUTPUT1_OFFSET 2u\n") != NULL);
    CHECK(strstr(h, "#define M_INPUT0_DIMS {1, 4}\n") != NULL);
    CHECK(strstr(h, "m_output0_quantize(float x)") != NULL);
    CHECK(strstr(h, "m_output1_quantize") == NULL && strstr(h, "m_input0_quantize") == NULL);
    CHECK(strstr(h, "extern const float m_input[M_INPUT_BYTES / 4];") != NULL);
    CHECK(strstr(c, "const float m_input[M_INPUT_BYTES / 4] M_ALIGNED = ") != NULL);
    CHECK(strstr(h, "\"a\\\"b\\\\\\?\\?=\", \"caf\\303\\251 */\",") != NULL);
    free(c);
    free(h);
}

static void test_nan_refused(void)
{
    float bad[4] = {0.0f, NAN, 1.0f, 2.0f};
    char *c = NULL, *h = NULL;
    CHECK_EQ_INT(emit(bad, &c, &h), EMIT_UNREPRESENTABLE);
    free(c);
    free(h);
}

static void test_names(void)
{
    char longest[EMIT_MAX_NAME + 2];
    memset(longest, 'a', sizeof longest);
    longest[EMIT_MAX_NAME] = '\0';
    const char *good[] = {"model", "kws_2", "A", "msfnet", "my_msf", "stdint2", longest};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(emit_name_problem(good[i]) == NULL);
    longest[EMIT_MAX_NAME] = 'a';
    longest[EMIT_MAX_NAME + 1] = '\0';
    /* Not identifiers; the runtime's names; headers NAME.h would shadow. */
    const char *bad[] = {longest, "", "9a", "_x", "a-b", "a b", "caf\xc3\xa9", "msf", "MSF", "msf_plan",
                         "Msf_run", "msf_model", "stdint", "string", "exec", "dot_s8", "unaligned"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(emit_name_problem(bad[i]) != NULL);
}

int main(void)
{
    test_text();
    test_float_io();
    test_nan_refused();
    test_names();
    return check_summary();
}
