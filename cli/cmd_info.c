/* msf info: what the model is and what layer-by-layer execution costs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"
#include "cli.h"
#include "graph.h"
#include "plan_build.h"
#include "plan_options.h"

static const char info_usage[] =
    "usage: msf info MODEL [--json]\n"
    "\n"
    "Prints one row per layer (index, op, input and output shapes, kernel, stride,\n"
    "padding, fused activation, MACs, weight bytes, activation bytes live at that\n"
    "step) and totals: MACs, weight bytes, and the peak activation RAM of\n"
    "layer-by-layer execution with the input tensor held and with it streamed.\n"
    "MACs are reported whatever their number (no --max-macs here); a model whose\n"
    "arena would exceed 4 GiB is refused (exit 2).\n"
    "\n"
    "  --json   one JSON object on stdout instead of the table\n";

typedef struct {
    uint64_t macs, weight_bytes;
    uint32_t peak_ram, peak_ram_streamed;
} info_totals;

static void shape_str(const msf_tensor *t, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int32_t i = 0; i < t->rank; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%d", i ? "x" : "", t->dims[i]);
}

static const char *activation_name(const msf_graph *g, int32_t i)
{
    static const char *names[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6"};
    switch (g->ops[i].type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
    case MSF_OP_FULLY_CONNECTED:
    case MSF_OP_ADD:
    case MSF_OP_MUL:
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
        return names[g->tfl.ops[i].opt.activation];
    default:
        return "-";
    }
}

/* Kernel, stride and padding of spatial ops; "-" for the others. */
static void window_strs(const msf_graph *g, int32_t i, char *kernel, char *stride, const char **pad)
{
    const msf_op *op = &g->ops[i];
    int32_t kh, kw, sh, sw;
    if (op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D) {
        kh = op->p.conv.kernel_h, kw = op->p.conv.kernel_w, sh = op->p.conv.stride_h, sw = op->p.conv.stride_w;
    } else if (op->type == MSF_OP_AVERAGE_POOL2D || op->type == MSF_OP_MAX_POOL2D) {
        kh = op->p.pool.filter_h, kw = op->p.pool.filter_w, sh = op->p.pool.stride_h, sw = op->p.pool.stride_w;
    } else {
        strcpy(kernel, "-");
        strcpy(stride, "-");
        *pad = "-";
        return;
    }
    sprintf(kernel, "%dx%d", kh, kw);
    sprintf(stride, "%dx%d", sh, sw);
    *pad = g->tfl.ops[i].opt.padding == TFL_PADDING_SAME ? "SAME" : "VALID";
}

/* One layer's row, as text, for the table and the JSON alike. */
typedef struct {
    char in[48], out[48], kernel[24], stride[24];
    const char *op, *pad, *activation;
    unsigned long long macs, live;
    uint32_t weights;
} layer_row;

static layer_row row_of(const msf_graph *g, const tensor_lifetime *life, int32_t i)
{
    layer_row r;
    shape_str(&g->tensors[g->ops[i].inputs[0]], r.in, sizeof r.in);
    shape_str(&g->tensors[g->ops[i].output], r.out, sizeof r.out);
    window_strs(g, i, r.kernel, r.stride, &r.pad);
    r.op = tflite_op_name(g->tfl.ops[i].opcode);
    r.activation = activation_name(g, i);
    r.macs = (unsigned long long)g->op_macs[i];
    r.weights = g->op_weight_bytes[i];
    r.live = (unsigned long long)arena_live_bytes(g, life, i, i, 0);
    return r;
}

static void print_table(const msf_graph *g, const tensor_lifetime *life, const info_totals *tot)
{
    printf("%4s  %-24s %-14s %-14s %-6s %-6s %-5s %-12s %12s %9s %9s\n", "idx", "op", "input", "output",
           "kernel", "stride", "pad", "activation", "MACs", "weights", "live");
    for (int32_t i = 0; i < g->model.n_ops; i++) {
        layer_row r = row_of(g, life, i);
        printf("%4d  %-24s %-14s %-14s %-6s %-6s %-5s %-12s %12llu %8uB %8lluB\n", i, r.op, r.in, r.out, r.kernel,
               r.stride, r.pad, r.activation, r.macs, r.weights, r.live);
    }
    printf("\nlayers: %d\n", g->model.n_ops);
    printf("MACs: %llu\n", (unsigned long long)tot->macs);
    printf("weights: %llu bytes\n", (unsigned long long)tot->weight_bytes);
    printf("peak activation RAM, layer by layer: %u bytes (input held), %u bytes (input streamed)\n",
           tot->peak_ram, tot->peak_ram_streamed);
}

static void print_json(const msf_graph *g, const tensor_lifetime *life, const info_totals *tot)
{
    printf("{\"layers\":[");
    for (int32_t i = 0; i < g->model.n_ops; i++) {
        layer_row r = row_of(g, life, i);
        printf("%s{\"index\":%d,\"op\":\"%s\",\"input\":\"%s\",\"output\":\"%s\",\"kernel\":\"%s\","
               "\"stride\":\"%s\",\"padding\":\"%s\",\"activation\":\"%s\",\"macs\":%llu,"
               "\"weight_bytes\":%u,\"live_bytes\":%llu}",
               i ? "," : "", i, r.op, r.in, r.out, r.kernel, r.stride, r.pad, r.activation, r.macs, r.weights,
               r.live);
    }
    printf("],\"macs\":%llu,\"weight_bytes\":%llu,\"peak_ram\":%u,\"peak_ram_streamed_input\":%u}\n",
           (unsigned long long)tot->macs, (unsigned long long)tot->weight_bytes, tot->peak_ram,
           tot->peak_ram_streamed);
}

int cmd_info(int argc, char **argv)
{
    const char *model = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(info_usage, stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (argv[i][0] == '-' || model) {
            cli_error(EXIT_BAD_INPUT, "unexpected argument '%s'", argv[i]);
            return cli_usage_hint("info");
        } else {
            model = argv[i];
        }
    }
    if (!model) {
        cli_error(EXIT_BAD_INPUT, "no MODEL given");
        return cli_usage_hint("info");
    }
    msf_graph g;
    char err[512];
    if (graph_load(model, &g, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    info_totals tot = {0, 0, 0, 0};
    for (int32_t i = 0; i < g.model.n_ops; i++) {
        tot.macs += g.op_macs[i];
        tot.weight_bytes += g.op_weight_bytes[i];
    }
    /* No limit on MACs here: info reports them and runs nothing. An arena
     * over 4 GiB is refused as everywhere. */
    tensor_lifetime *life = tensor_lifetimes(&g);
    built_plan streamed, held;
    int rc = EXIT_OK, s = LAYOUT_NO_MEMORY;
    if (!life || (s = plan_build_layers(&g, MSF_STREAM_INPUT, &streamed)) != LAYOUT_OK) {
        rc = plan_layout_error(s);
    } else if ((s = plan_build_layers(&g, 0, &held)) != LAYOUT_OK) {
        rc = plan_layout_error(s);
        built_plan_free(&streamed);
    } else {
        tot.peak_ram_streamed = streamed.plan.arena_bytes;
        tot.peak_ram = held.plan.arena_bytes;
        (json ? print_json : print_table)(&g, life, &tot);
        built_plan_free(&streamed);
        built_plan_free(&held);
    }
    free(life);
    graph_free(&g);
    return rc;
}
