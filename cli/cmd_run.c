/* msf run: one inference on the host runtime, layer by layer or under a
 * plan, with the arena high-water mark and the MACs the kernels counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "graph.h"
#include "measured_run.h"
#include "plan_options.h"
#include "tensor_dump.h"

static const char run_usage[] =
    "usage: msf run MODEL --input IN.bin [--output OUT.bin] [--dump DIR] [--json] [PLAN OPTIONS]\n"
    "\n"
    "Runs one inference: layer by layer, or under a plan (a plan file, or one made\n"
    "on the fly). IN.bin holds the raw bytes of the input tensor(s), concatenated in\n"
    "graph order; OUT.bin receives the raw bytes of the output tensor(s) the same\n"
    "way (written whole or not at all). Prints the arena high-water mark the runtime\n"
    "measured and the MACs the kernels executed, next to what the plan predicted.\n"
    "\n"
    "  --input FILE    input bytes (required)\n"
    "  --output FILE   where to write the output bytes (default: print the values)\n"
    "  --dump DIR      also write every activation tensor to DIR (tIDX.bin, raw\n"
    "                  bytes) with DIR/index.txt (tensor, type, bytes, shape, name,\n"
    "                  producing op, scale, zero point), to compare layer by layer\n"
    "                  with another implementation; DIR is made if missing\n"
    "  --json          one JSON object on stdout: arena_high_water, macs,\n"
    "                  planned_peak_ram, planned_macs\n"
    "  --plan FILE     run the plan `msf plan -o FILE` wrote for this model\n"
    PLAN_OPTIONS_HELP;

#define PRINTED_VALUES 64

typedef struct {
    const char *model, *input, *output, *dump;
    int json;
    plan_options plan;
} run_args;

static int parse_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    const cli_value_option values[] = {
        {"--input", &a->input}, {"--output", &a->output}, {"--dump", &a->dump}, {NULL, NULL}};
    if (cli_parse_args(argc, argv, run_usage, values, &a->model, &a->json, &a->plan))
        return -1;
    if (!a->input)
        return cli_error(EXIT_BAD_INPUT, "--input is required");
    if (a->plan.req.mode == PLAN_PARETO)
        return cli_error(EXIT_BAD_INPUT, "--pareto is for msf plan");
    return plan_options_check(&a->plan);
}

static void print_values(const msf_model *m, const uint8_t *out)
{
    for (int32_t i = 0; i < m->n_outputs; i++) {
        const msf_tensor *t = &m->tensors[m->outputs[i]];
        int32_t n = msf_elements(t);
        printf("output %d:", i);
        for (int32_t k = 0; k < n && k < PRINTED_VALUES; k++) {
            if (t->dtype == MSF_FLOAT32) {
                float v;
                memcpy(&v, out + 4 * k, 4);
                printf(" %g", v);
            } else {
                printf(" %d", (int8_t)out[k]);
            }
        }
        printf("%s\n", n > PRINTED_VALUES ? " ..." : "");
        out += t->bytes;
    }
}

static int report(const run_args *a, const msf_model *m, const built_plan *bp, const run_measure *r,
                  const uint8_t *out, uint32_t out_bytes)
{
    const char *inputs[] = {a->model, a->input, a->plan.req.plan_file};
    int rc = a->output ? cli_write_output(a->output, out, out_bytes, inputs, 3) : EXIT_OK;
    if (rc != EXIT_OK)
        return rc;
    if (a->json) {
        printf("{\"arena_high_water\":%u,\"arena_planned\":%u,\"planned_peak_ram\":%u,\"macs\":%llu,"
               "\"planned_macs\":%llu,\"blocks\":%d,\"streamed_input\":%s,\"streamed_output\":%s,"
               "\"output_bytes\":%u}\n",
               r->arena_high_water, bp->plan.arena_bytes, bp->plan.arena_bytes, (unsigned long long)r->macs,
               (unsigned long long)bp->macs, bp->plan.n_blocks, (bp->plan.streamed & MSF_STREAM_INPUT) ? "true" : "false",
               (bp->plan.streamed & MSF_STREAM_OUTPUT) ? "true" : "false",
               out_bytes);
        return EXIT_OK;
    }
    if (!a->output)
        print_values(m, out);
    printf("blocks: %d (%d operators)%s%s\n", bp->plan.n_blocks, m->n_ops,
           (bp->plan.streamed & MSF_STREAM_INPUT_ROWS) ? ", input a row at a time"
           : (bp->plan.streamed & MSF_STREAM_INPUT)       ? ", input streamed"
                                                    : "",
           (bp->plan.streamed & MSF_STREAM_OUTPUT) ? ", output streamed" : "");
    printf("arena high-water: %u bytes (planned %u bytes)\n", r->arena_high_water, bp->plan.arena_bytes);
    printf("MACs executed: %llu (planned %llu)\n", (unsigned long long)r->macs, (unsigned long long)bp->macs);
    return EXIT_OK;
}

static int run_model(const run_args *a, msf_graph *g, const uint8_t *input)
{
    built_plan bp;
    int rc = plan_choose(g, &a->plan, &bp);
    if (rc != EXIT_OK)
        return rc;
    const msf_model *m = &g->model;
    uint32_t out_bytes = io_bytes(m, m->outputs, m->n_outputs);
    uint8_t *out = malloc(out_bytes + 1);
    run_measure r;
    int s = out ? measured_run(m, &bp.plan, input, out, &r) : -1;
    if (s != MSF_OK)
        rc = s < 0 ? cli_error(EXIT_RUNTIME, "out of memory") : cli_error(EXIT_RUNTIME, "runtime error %d", s);
    else
        rc = report(a, m, &bp, &r, out, out_bytes);
    if (rc == EXIT_OK && !a->json)
        plan_options_print_fit(&a->plan, g, &bp);
    if (rc == EXIT_OK && a->dump) {
        const char *inputs[] = {a->model, a->input, a->plan.req.plan_file};
        rc = tensor_dump(g, input, out, a->dump, inputs, 3);
    }
    free(out);
    built_plan_free(&bp);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    if (parse_args(argc, argv, &a))
        return cli_usage_hint("run");
    msf_graph g;
    if (cli_load_model(a.model, &g))
        return EXIT_BAD_INPUT;
    uint8_t *input = NULL;
    int rc = cli_read_input(a.input, &g.model, &input);
    if (rc == EXIT_OK)
        rc = run_model(&a, &g, input);
    free(input);
    graph_free(&g);
    return rc;
}
