#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "measured_run.h"
#include "plan_build.h"
#include "plan_options.h"
#include "tensor_dump.h"

/* Every tensor 16-byte aligned, as the generated arena is. */
#define DUMP_ALIGN 16u

/* The layer-by-layer plan with every activation tensor at an offset of its
 * own (a RESHAPE's output too: no buffer aliases another), and the plan's
 * other buffers (sums, row buffers, caches) moved above them. The tables
 * are malloc'ed into *buffers, *tensor_buffers. */
typedef struct {
    msf_plan plan;
    msf_buffer *buffers;
    int32_t *tensor_buffers;
} private_plan;

static void private_plan_free(private_plan *p)
{
    free(p->buffers);
    free(p->tensor_buffers);
}

/* An exit code: 2 when the tensors together exceed the runtime's 32-bit
 * offsets. */
static int private_plan_make(const msf_graph *g, const msf_plan *layers, private_plan *p)
{
    const msf_model *m = &g->model;
    memset(p, 0, sizeof *p);
    p->buffers = malloc(((size_t)layers->n_buffers + 1) * sizeof *p->buffers);
    p->tensor_buffers = malloc(((size_t)m->n_tensors + 1) * sizeof *p->tensor_buffers);
    if (!p->buffers || !p->tensor_buffers)
        return cli_error(EXIT_RUNTIME, "out of memory");
    memcpy(p->buffers, layers->buffers, (size_t)layers->n_buffers * sizeof *p->buffers);
    memcpy(p->tensor_buffers, layers->tensor_buffers, (size_t)m->n_tensors * sizeof *p->tensor_buffers);
    uint64_t top = 0;
    for (int32_t t = 0; t < m->n_tensors; t++) {
        int32_t b = p->tensor_buffers[t];
        if (!graph_is_activation(g, t) || b < 0)
            continue;
        top = (top + DUMP_ALIGN - 1) / DUMP_ALIGN * DUMP_ALIGN;
        p->buffers[b].offset = (uint32_t)top;
        p->buffers[b].alias = -1;
        top += m->tensors[t].bytes;
        if (top > UINT32_MAX)
            break;
    }
    top = (top + DUMP_ALIGN - 1) / DUMP_ALIGN * DUMP_ALIGN;
    if (top + layers->arena_bytes > UINT32_MAX)
        return cli_error(EXIT_BAD_INPUT, "--dump: the model's tensors together exceed 4 GiB");
    uint32_t shift = (uint32_t)top;
    for (int32_t b = 0; b < layers->n_buffers; b++)
        if (p->buffers[b].kind != MSF_BUF_TENSOR)
            p->buffers[b].offset += shift;
    p->plan = *layers;
    p->plan.buffers = p->buffers;
    p->plan.tensor_buffers = p->tensor_buffers;
    p->plan.arena_bytes = shift + layers->arena_bytes;
    return EXIT_OK;
}

static const char *type_name(msf_dtype d)
{
    return d == MSF_INT8 ? "INT8" : d == MSF_INT32 ? "INT32" : "FLOAT32";
}

/* A scale as the reference index writes it (Python's repr of the double):
 * the shortest digits that read back as the same value, positional from
 * 1e-4 to 1e16 with at least one decimal, else in exponent form. */
static void put_shortest(FILE *f, double v)
{
    char buf[64];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    int exp = atoi(strchr(buf, 'e') + 1);
    if (v != 0.0 && (exp < -4 || exp >= 16)) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
    } else {
        int decimals = digits - 1 - exp;
        snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 0, v);
        if (!strchr(buf, '.'))
            strcat(buf, ".0");
    }
    fputs(buf, f);
}

static void index_line(FILE *f, const msf_graph *g, int32_t t)
{
    const msf_tensor *x = &g->tensors[t];
    int32_t producer = g->producer[t];
    fprintf(f, "%d\t%s\t%u\t[", t, type_name(x->dtype), x->bytes);
    for (int32_t d = 0; d < x->rank; d++)
        fprintf(f, "%s%d", d ? "," : "", x->dims[d]);
    fputs("]\t", f);
    /* A name from the model may hold tabs or newlines: escaped, the index
     * keeps one line per tensor. */
    cli_put_printable(g->tfl.tensors[t].name, f);
    fprintf(f, "\t%d\t%s\t", producer, producer < 0 ? "GRAPH_INPUT" : tflite_op_name(g->tfl.ops[producer].opcode));
    put_shortest(f, (double)x->scale);
    fprintf(f, "\t%d\n", x->zero_point);
}

/* DIR/NAME, malloc'ed. */
static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s", dir, name);
    return path;
}

static int write_one(const char *dir, const char *name, const void *data, size_t size, const char *const *inputs,
                     int n_inputs)
{
    char *path = path_in(dir, name);
    int rc = path ? cli_write_output(path, data, size, inputs, n_inputs) : cli_error(EXIT_RUNTIME, "out of memory");
    free(path);
    return rc;
}

/* Every activation tensor's bytes, then the index. */
static int write_dump(const msf_graph *g, const msf_plan *plan, uint8_t *arena, const char *dir,
                      const char *const *inputs, int n_inputs)
{
    char *text = NULL;
    size_t size = 0;
    FILE *index = open_memstream(&text, &size);
    if (!index)
        return cli_error(EXIT_RUNTIME, "out of memory");
    fputs("# idx\ttype\tbytes\tshape\tname\tproducer_op\top_type\tscale\tzero_point\n", index);
    int rc = EXIT_OK;
    int32_t written = 0;
    const msf_model *m = &g->model;
    /* In the order they are computed (graph inputs, then each operator's
     * output), as the reference index lists them: the first line that
     * differs is the first layer that does. */
    for (int32_t k = 0; rc == EXIT_OK && k < m->n_inputs + m->n_ops; k++) {
        int32_t t = k < m->n_inputs ? m->inputs[k] : m->ops[k - m->n_inputs].output;
        char name[32];
        snprintf(name, sizeof name, "t%d.bin", t);
        rc = write_one(dir, name, msf_tensor_data(&g->model, plan, arena, t), g->tensors[t].bytes, inputs, n_inputs);
        index_line(index, g, t);
        written++;
    }
    fclose(index);
    if (rc == EXIT_OK && !text)
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    if (rc == EXIT_OK)
        rc = write_one(dir, "index.txt", text, size, inputs, n_inputs);
    if (rc == EXIT_OK)
        printf("dumped %d tensors and index.txt to %s\n", written, dir);
    free(text);
    return rc;
}

/* One layer-by-layer run under the private plan; an exit code. */
static int run_private(const msf_graph *g, const msf_plan *plan, uint8_t *arena, const uint8_t *input,
                       const uint8_t *expected)
{
    const msf_model *m = &g->model;
    for (int32_t i = 0; i < m->n_inputs; i++) {
        uint32_t n = m->tensors[m->inputs[i]].bytes;
        memcpy(msf_tensor_data(m, plan, arena, m->inputs[i]), input, n);
        input += n;
    }
    msf_status s = msf_run_plan(m, plan, arena, plan->arena_bytes, NULL);
    if (s != MSF_OK)
        return cli_error(EXIT_RUNTIME, "--dump: runtime error %d", s);
    for (int32_t i = 0; i < m->n_outputs; i++) {
        uint32_t n = m->tensors[m->outputs[i]].bytes;
        if (memcmp(msf_tensor_data(m, plan, arena, m->outputs[i]), expected, n) != 0)
            return cli_error(EXIT_RUNTIME, "--dump: output %d of the layer-by-layer run differs from the plan's", i);
        expected += n;
    }
    return EXIT_OK;
}

int tensor_dump(msf_graph *g, const uint8_t *input, const uint8_t *expected, const char *dir,
                const char *const *inputs, int n_inputs)
{
    built_plan layers;
    int layout = plan_build_layers(g, 0, &layers);
    if (layout != LAYOUT_OK)
        return plan_layout_error(layout);
    private_plan p;
    int rc = private_plan_make(g, &layers.plan, &p);
    uint8_t *arena = rc == EXIT_OK ? calloc(p.plan.arena_bytes ? p.plan.arena_bytes : 1, 1) : NULL;
    if (rc == EXIT_OK && !arena)
        rc = cli_error(EXIT_RUNTIME, "--dump: cannot allocate %u bytes", p.plan.arena_bytes);
    if (rc == EXIT_OK)
        rc = run_private(g, &p.plan, arena, input, expected);
    if (rc == EXIT_OK)
        rc = cli_make_dirs(dir);
    if (rc == EXIT_OK)
        rc = write_dump(g, &p.plan, arena, dir, inputs, n_inputs);
    free(arena);
    private_plan_free(&p);
    built_plan_free(&layers);
    return rc;
}
