#define _POSIX_C_SOURCE 200809L /* open_memstream */
/* msf gen: C source of a model under a plan, for firmware to link with the
 * runtime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "emit_model.h"
#include "graph.h"
#include "labels.h"
#include "measured_run.h"
#include "plan_file.h"
#include "plan_options.h"

static const char gen_usage[] =
    "usage: msf gen MODEL -o DIR [--name NAME] [--input IN.bin] [--labels FILE]\n"
    "               [--plan PLAN.json | PLAN OPTIONS]\n"
    "\n"
    "Writes DIR/NAME.c and DIR/NAME.h: the model's weights and tables as const data\n"
    "(flash), one static arena of exactly the planned size, and NAME_invoke() to run\n"
    "one inference with the freestanding runtime (runtime/*.c). The plan is layer by\n"
    "layer unless a plan file or a planning option chooses another. Each file is\n"
    "written whole or not at all.\n"
    "\n"
    "  -o DIR          the folder to write NAME.c and NAME.h in (made if missing)\n"
    "  --name NAME     prefix of every symbol, and the file names (default: model);\n"
    "                  a C identifier of at most 64 characters, a letter first;\n"
    "                  not msf or msf_*, nor the name of a runtime or C header\n"
    "  --input FILE    also emit these input bytes as the const array NAME_input\n"
    "  --labels FILE   class names, one a line, one per element of output 0:\n"
    "                  NAME_label(i) in NAME.h\n"
    "  --plan FILE     the plan `msf plan -o FILE` wrote for this model\n" PLAN_OPTIONS_HELP;


typedef struct {
    const char *model, *dir, *name, *input, *labels;
    plan_options plan;
} gen_args;

static int parse_args(int argc, char **argv, gen_args *a)
{
    memset(a, 0, sizeof *a);
    a->name = "model";
    const cli_value_option values[] = {
        {"-o", &a->dir}, {"--name", &a->name}, {"--input", &a->input}, {"--labels", &a->labels}, {NULL, NULL}};
    if (cli_parse_args(argc, argv, gen_usage, values, &a->model, NULL, &a->plan))
        return -1;
    if (!a->dir)
        return cli_error(EXIT_BAD_INPUT, "-o DIR is required");
    const char *problem = emit_name_problem(a->name);
    if (problem)
        return cli_error(EXIT_BAD_INPUT, "--name '%s': %s", a->name, problem);
    if (a->plan.req.mode == PLAN_PARETO)
        return cli_error(EXIT_BAD_INPUT, "--pareto is for msf plan");
    return plan_options_check(&a->plan);
}

/* DIR/NAME.ext, malloc'ed. */
static char *path_in(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s%s", dir, name, ext);
    return path;
}

/* Both files or neither: a NAME.c left without its NAME.h is removed. */
static int write_sources(const gen_args *a, const char *c_text, size_t c_size, const char *h_text, size_t h_size)
{
    char *c_path = path_in(a->dir, a->name, ".c"), *h_path = path_in(a->dir, a->name, ".h");
    const char *inputs[] = {a->model, a->input, a->plan.req.plan_file, a->labels};
    int rc = c_path && h_path ? cli_make_dirs(a->dir) : cli_error(EXIT_RUNTIME, "out of memory");
    if (rc == EXIT_OK && (rc = cli_write_output(c_path, c_text, c_size, inputs, 4)) == EXIT_OK &&
             (rc = cli_write_output(h_path, h_text, h_size, inputs, 4)) != EXIT_OK)
        remove(c_path);
    if (rc == EXIT_OK)
        printf("wrote %s (%zu bytes) and %s (%zu bytes)\n", c_path, c_size, h_path, h_size);
    free(c_path);
    free(h_path);
    return rc;
}

/* The files' opening line: which model, which plan. */
static void describe(const gen_args *a, const msf_graph *g, const built_plan *bp, char *out, size_t size)
{
    const char *base = strrchr(a->model, '/');
    int32_t fused = 0;
    for (int32_t i = 0; i < bp->plan.n_blocks; i++)
        fused += bp->plan.blocks[i].n_nodes > 1;
    snprintf(out, size, "%s (hash %016llx), %d blocks (%d fused), peak RAM %u bytes (input %s, output %s), %llu MACs",
             base ? base + 1 : a->model, (unsigned long long)model_hash(g), bp->plan.n_blocks, fused,
             bp->plan.arena_bytes, (bp->plan.streamed & MSF_STREAM_ANY_INPUT) ? "streamed" : "held",
             (bp->plan.streamed & MSF_STREAM_OUTPUT) ? "streamed" : "held", (unsigned long long)bp->macs);
}

static int generate(const gen_args *a, msf_graph *g, const uint8_t *input, const label_list *labels)
{
    built_plan bp;
    int rc = plan_choose(g, &a->plan, &bp);
    if (rc != EXIT_OK)
        return rc;
    char about[512], err[512];
    describe(a, g, &bp, about, sizeof about);
    emit_options o = {a->name, about, bp.macs, input, (const char *const *)labels->names, labels->n};
    char *c_text = NULL, *h_text = NULL;
    size_t c_size = 0, h_size = 0;
    FILE *c = open_memstream(&c_text, &c_size), *h = open_memstream(&h_text, &h_size);
    int s = c && h ? emit_model(c, h, &g->model, &bp.plan, &o, err, sizeof err) : -1;
    if (c)
        fclose(c);
    if (h)
        fclose(h);
    if (s == EMIT_UNREPRESENTABLE)
        rc = cli_error(EXIT_BAD_INPUT, "%s", err);
    else if (s != 0)
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    else
        rc = write_sources(a, c_text, c_size, h_text, h_size);
    if (rc == EXIT_OK)
        plan_options_print_fit(&a->plan, g, &bp);
    free(c_text);
    free(h_text);
    built_plan_free(&bp);
    return rc;
}

int cmd_gen(int argc, char **argv)
{
    gen_args a;
    if (parse_args(argc, argv, &a))
        return cli_usage_hint("gen");
    msf_graph g;
    if (cli_load_model(a.model, &g))
        return EXIT_BAD_INPUT;
    uint8_t *input = NULL;
    label_list labels = {NULL, 0, NULL};
    const msf_tensor *out0 = &g.model.tensors[g.model.outputs[0]];
    int rc = a.input ? cli_read_input(a.input, &g.model, &input) : EXIT_OK;
    if (rc == EXIT_OK && a.labels)
        rc = labels_read(a.labels, msf_elements(out0), &labels);
    if (rc == EXIT_OK)
        rc = generate(&a, &g, input, &labels);
    labels_free(&labels);
    free(input);
    graph_free(&g);
    return rc;
}
