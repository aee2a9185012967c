/* msf run: one inference layer by layer on the host runtime, with the
 * arena high-water mark and the MACs the kernels counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"
#include "cli.h"
#include "file_io.h"
#include "graph.h"
#include "mac_counter.h"
#include "msf_runtime.h"

static const char run_usage[] =
    "usage: msf run MODEL --input IN.bin [--output OUT.bin] [--json]\n"
    "\n"
    "Runs one inference layer by layer. IN.bin holds the raw bytes of the input\n"
    "tensor(s), concatenated in graph order; OUT.bin receives the raw bytes of the\n"
    "output tensor(s) the same way (written whole or not at all). Prints the arena\n"
    "high-water mark measured by the runtime and the MACs the kernels executed.\n"
    "\n"
    "  --input FILE    input bytes (required)\n"
    "  --output FILE   where to write the output bytes (default: print the values)\n"
    "  --json          one JSON object on stdout: arena_high_water, arena_planned, macs\n";

#define MAX_INPUT_BYTES (1u << 28)
#define PRINTED_VALUES 64

typedef struct {
    const char *model, *input, *output;
    int json;
} run_args;

static int parse_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(run_usage, stdout);
            exit(EXIT_OK);
        } else if ((r = cli_option_value(argc, argv, &i, "--input", &a->input)) != 0 ||
                   (r = cli_option_value(argc, argv, &i, "--output", &a->output)) != 0) {
            if (r < 0)
                return -1;
        } else if (strcmp(argv[i], "--json") == 0) {
            a->json = 1;
        } else if (argv[i][0] == '-' || a->model) {
            return cli_error(EXIT_BAD_INPUT, "unexpected argument '%s'", argv[i]);
        } else {
            a->model = argv[i];
        }
    }
    if (!a->model)
        return cli_error(EXIT_BAD_INPUT, "no MODEL given");
    if (!a->input)
        return cli_error(EXIT_BAD_INPUT, "--input is required");
    return 0;
}

static uint32_t io_bytes(const msf_model *m, const int32_t *list, int32_t n)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += m->tensors[list[i]].bytes;
    return sum;
}

/* One inference on a freshly painted arena; returns its high-water mark. */
static msf_status infer(const msf_model *m, uint8_t *arena, const uint8_t *input, uint8_t pattern,
                        uint32_t *high_water)
{
    msf_arena_paint(arena, m->arena_bytes, pattern);
    for (int32_t i = 0; i < m->n_inputs; i++) {
        uint32_t n = m->tensors[m->inputs[i]].bytes;
        memcpy(msf_tensor_data(m, arena, m->inputs[i]), input, n);
        input += n;
    }
    msf_status s = msf_run_layers(m, arena, m->arena_bytes);
    *high_water = msf_arena_high_water(arena, m->arena_bytes, pattern);
    return s;
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

static int run_model(const run_args *a, msf_graph *g, const uint8_t *input)
{
    const msf_model *m = &g->model;
    uint8_t *arena = malloc(m->arena_bytes ? m->arena_bytes : 1);
    uint8_t *out = malloc(io_bytes(m, m->outputs, m->n_outputs) + 1);
    if (!arena || !out) {
        free(arena);
        free(out);
        return cli_error(EXIT_RUNTIME, "out of memory");
    }
    /* Two paints: a byte the run writes with the paint's own value hides
     * from one scan, never from both. */
    uint32_t hw_a, hw_b;
    msf_mac_counter = 0;
    msf_status s = infer(m, arena, input, 0xA5, &hw_a);
    uint64_t macs = msf_mac_counter;
    if (s == MSF_OK)
        s = infer(m, arena, input, 0x5A, &hw_b);
    int rc = EXIT_OK;
    if (s != MSF_OK) {
        rc = cli_error(EXIT_RUNTIME, "runtime error %d", (int)s);
    } else {
        uint32_t high_water = hw_a > hw_b ? hw_a : hw_b;
        uint8_t *p = out;
        for (int32_t i = 0; i < m->n_outputs; i++) {
            uint32_t n = m->tensors[m->outputs[i]].bytes;
            memcpy(p, msf_tensor_data(m, arena, m->outputs[i]), n);
            p += n;
        }
        char err[512];
        if (a->output && write_file_atomic(a->output, out, (size_t)(p - out), err, sizeof err)) {
            rc = cli_error(EXIT_RUNTIME, "%s", err);
        } else if (a->json) {
            printf("{\"arena_high_water\":%u,\"arena_planned\":%u,\"macs\":%llu,\"output_bytes\":%u}\n",
                   high_water, m->arena_bytes, (unsigned long long)macs, (unsigned)(p - out));
        } else {
            if (!a->output)
                print_values(m, out);
            printf("arena high-water: %u bytes (planned %u bytes)\n", high_water, m->arena_bytes);
            printf("MACs executed: %llu\n", (unsigned long long)macs);
        }
    }
    free(arena);
    free(out);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    if (parse_args(argc, argv, &a)) {
        fputs(run_usage, stderr);
        return EXIT_BAD_INPUT;
    }
    msf_graph g;
    char err[512];
    if (graph_load_file(a.model, &g, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    uint8_t *input = NULL;
    size_t input_size = 0;
    int rc;
    if (arena_layout_layers(&g, 0)) {
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    } else if (read_whole_file(a.input, MAX_INPUT_BYTES, &input, &input_size, err, sizeof err)) {
        rc = cli_error(EXIT_BAD_INPUT, "%s", err);
    } else if (input_size != io_bytes(&g.model, g.model.inputs, g.model.n_inputs)) {
        rc = cli_error(EXIT_BAD_INPUT, "%s: %zu bytes, the model's input needs %u", a.input, input_size,
                       io_bytes(&g.model, g.model.inputs, g.model.n_inputs));
    } else {
        rc = run_model(&a, &g, input);
    }
    free(input);
    graph_free(&g);
    return rc;
}
