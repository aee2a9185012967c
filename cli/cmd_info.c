/* msf info: what the model is and what layer-by-layer execution costs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"
#include "cli.h"
#include "flash_estimate.h"
#include "graph.h"
#include "plan_build.h"
#include "plan_options.h"

static const char info_usage[] =
    "usage: msf info MODEL [--json] [--target NAME]\n"
    "\n"
    "An analysis report: the inputs and outputs (name, type, shape, scale, zero\n"
    "point), one row per layer (op, input and output shapes, kernel, stride,\n"
    "padding, fused activation, MACs and their share of the total, weight bytes,\n"
    "activation bytes live at that step), and totals: MACs, weights, the flash the\n"
    "generated firmware takes (estimated for a target), and the peak RAM of\n"
    "layer-by-layer execution with the input held and streamed, in B and KiB.\n"
    "MACs are reported whatever their number (no --max-macs here); a model whose\n"
    "arena would exceed 4 GiB is refused (exit 2). A model with operators msf\n"
    "cannot run is refused with every one of them named.\n"
    "\n"
    "  --json          one JSON object on stdout instead of the table (numbers as numbers)\n"
    "  --target NAME   the board whose code size the flash estimate uses: m4 (default),\n"
    "                  m7 or rv32\n";

typedef struct {
    uint64_t macs, weight_bytes;
    uint32_t peak_ram, peak_ram_streamed;
    flash_estimate flash;
    const board_target *target;
} info_totals;

static const char *dtype_name(msf_dtype d)
{
    return d == MSF_INT8 ? "int8" : d == MSF_INT32 ? "int32" : "float32";
}

static void shape_str(const msf_tensor *t, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int32_t i = 0; i < t->rank; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%d", i ? "x" : "", t->dims[i]);
}

/* The shape as a JSON array. */
static void put_shape_json(const msf_tensor *t)
{
    putchar('[');
    for (int32_t i = 0; i < t->rank; i++)
        printf("%s%d", i ? "," : "", t->dims[i]);
    putchar(']');
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

/* Kernel and stride (h, w) of spatial ops; 0 for the others. */
static int window_of(const msf_graph *g, int32_t i, int32_t k[2], int32_t s[2])
{
    const msf_op *op = &g->ops[i];
    if (op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D) {
        k[0] = op->p.conv.kernel_h, k[1] = op->p.conv.kernel_w, s[0] = op->p.conv.stride_h, s[1] = op->p.conv.stride_w;
        return 1;
    }
    if (op->type == MSF_OP_AVERAGE_POOL2D || op->type == MSF_OP_MAX_POOL2D) {
        k[0] = op->p.pool.filter_h, k[1] = op->p.pool.filter_w, s[0] = op->p.pool.stride_h, s[1] = op->p.pool.stride_w;
        return 1;
    }
    return 0;
}

/* One layer's facts, for the table and the JSON alike. */
typedef struct {
    const msf_tensor *in, *out;
    int spatial;
    int32_t kernel[2], stride[2];
    const char *op, *pad, *activation;
    unsigned long long macs, live;
    double share; /* of the model's MACs */
    uint32_t weights;
} layer_row;

static layer_row row_of(const msf_graph *g, const tensor_lifetime *life, const info_totals *tot, int32_t i)
{
    layer_row r;
    r.in = &g->tensors[g->ops[i].inputs[0]];
    r.out = &g->tensors[g->ops[i].output];
    r.spatial = window_of(g, i, r.kernel, r.stride);
    r.pad = !r.spatial ? "-" : g->tfl.ops[i].opt.padding == TFL_PADDING_SAME ? "SAME" : "VALID";
    r.op = tflite_op_name(g->tfl.ops[i].opcode);
    r.activation = activation_name(g, i);
    r.macs = (unsigned long long)g->op_macs[i];
    r.share = tot->macs ? (double)g->op_macs[i] / (double)tot->macs : 0.0;
    r.weights = g->op_weight_bytes[i];
    r.live = (unsigned long long)arena_live_bytes(g, life, i, i, 0);
    return r;
}

static void print_io(const msf_graph *g, const char *what, const int32_t *list, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        const msf_tensor *t = &g->tensors[list[i]];
        char shape[64];
        shape_str(t, shape, sizeof shape);
        printf("%-6s %d  %-7s %-14s scale %-12.9g zero point %-5d %8u B  ", what, i, dtype_name(t->dtype), shape,
               (double)t->scale, t->zero_point, t->bytes);
        cli_put_printable(g->tfl.tensors[list[i]].name, stdout);
        putchar('\n');
    }
}

/* "N B (x.xx KiB)" */
static void print_bytes(const char *label, unsigned long long bytes, const char *note)
{
    printf("%-34s %10llu B %10.2f KiB%s%s\n", label, bytes, bytes / 1024.0, note ? "  " : "", note ? note : "");
}

static void print_table(const msf_graph *g, const tensor_lifetime *life, const info_totals *tot)
{
    print_io(g, "input", g->model.inputs, g->model.n_inputs);
    print_io(g, "output", g->model.outputs, g->model.n_outputs);
    printf("\n%4s  %-24s %-14s %-14s %-6s %-6s %-5s %-12s %12s %6s %9s %9s\n", "idx", "op", "input", "output",
           "kernel", "stride", "pad", "activation", "MACs", "share", "weights", "live");
    for (int32_t i = 0; i < g->model.n_ops; i++) {
        layer_row r = row_of(g, life, tot, i);
        char in[48], out[48], kernel[24] = "-", stride[24] = "-";
        shape_str(r.in, in, sizeof in);
        shape_str(r.out, out, sizeof out);
        if (r.spatial) {
            snprintf(kernel, sizeof kernel, "%dx%d", r.kernel[0], r.kernel[1]);
            snprintf(stride, sizeof stride, "%dx%d", r.stride[0], r.stride[1]);
        }
        printf("%4d  %-24s %-14s %-14s %-6s %-6s %-5s %-12s %12llu %5.1f%% %8uB %8lluB\n", i, r.op, in, out, kernel,
               stride, r.pad, r.activation, r.macs, 100.0 * r.share, r.weights, r.live);
    }
    printf("\nlayers: %d\n", g->model.n_ops);
    printf("MACs: %llu\n", (unsigned long long)tot->macs);
    print_bytes("weights (read by the operators)", tot->weight_bytes, NULL);
    printf("flash, estimated for %s (%s):\n", tot->target->name, tot->target->board);
    print_bytes("  constant tensors", tot->flash.constants, "weights, biases, other constants");
    print_bytes("  quantization parameters", tot->flash.params, "per-channel multipliers and shifts");
    print_bytes("  model and plan tables", tot->flash.tables, "layer by layer");
    print_bytes("  code", tot->flash.code, "runtime, startup, a minimal main");
    print_bytes("  total", tot->flash.total, NULL);
    print_bytes("stack, predicted, layer by layer", tot->target->stack_whole, "the runtime's need on this core");
    print_bytes("stack, predicted, fused blocks", tot->target->stack_fused, NULL);
    print_bytes("peak RAM, layer by layer, input held", tot->peak_ram, NULL);
    print_bytes("peak RAM, layer by layer, streamed", tot->peak_ram_streamed, "input not counted");
}

static void print_io_json(const msf_graph *g, const char *key, const int32_t *list, int32_t n)
{
    printf("\"%s\":[", key);
    for (int32_t i = 0; i < n; i++) {
        const msf_tensor *t = &g->tensors[list[i]];
        printf("%s{\"index\":%d,\"name\":", i ? "," : "", list[i]);
        cli_put_json_string(g->tfl.tensors[list[i]].name, stdout);
        printf(",\"type\":\"%s\",\"shape\":", dtype_name(t->dtype));
        put_shape_json(t);
        printf(",\"scale\":%.9g,\"zero_point\":%d,\"bytes\":%u}", (double)t->scale, t->zero_point, t->bytes);
    }
    printf("],");
}

static void print_json(const msf_graph *g, const tensor_lifetime *life, const info_totals *tot)
{
    putchar('{');
    print_io_json(g, "inputs", g->model.inputs, g->model.n_inputs);
    print_io_json(g, "outputs", g->model.outputs, g->model.n_outputs);
    printf("\"layers\":[");
    for (int32_t i = 0; i < g->model.n_ops; i++) {
        layer_row r = row_of(g, life, tot, i);
        printf("%s{\"index\":%d,\"op\":\"%s\",\"input\":", i ? "," : "", i, r.op);
        put_shape_json(r.in);
        printf(",\"output\":");
        put_shape_json(r.out);
        if (r.spatial)
            printf(",\"kernel\":[%d,%d],\"stride\":[%d,%d],\"padding\":\"%s\"", r.kernel[0], r.kernel[1], r.stride[0],
                   r.stride[1], r.pad);
        else
            printf(",\"kernel\":null,\"stride\":null,\"padding\":null");
        printf(",\"activation\":\"%s\",\"macs\":%llu,\"macs_share\":%.6f,\"weight_bytes\":%u,\"live_bytes\":%llu}",
               r.activation, r.macs, r.share, r.weights, r.live);
    }
    const flash_estimate *f = &tot->flash;
    printf("],\"macs\":%llu,\"weight_bytes\":%llu,\"peak_ram\":%u,\"peak_ram_streamed_input\":%u,"
           "\"flash\":{\"target\":\"%s\",\"constants\":%llu,\"params\":%llu,\"tables\":%llu,\"code\":%llu,"
           "\"total\":%llu},\"stack\":{\"whole\":%u,\"fused\":%u}}\n",
           (unsigned long long)tot->macs, (unsigned long long)tot->weight_bytes, tot->peak_ram, tot->peak_ram_streamed,
           tot->target->name, (unsigned long long)f->constants, (unsigned long long)f->params,
           (unsigned long long)f->tables, (unsigned long long)f->code, (unsigned long long)f->total,
           tot->target->stack_whole, tot->target->stack_fused);
}

int cmd_info(int argc, char **argv)
{
    const char *model = NULL, *target = DEFAULT_TARGET;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(info_usage, stdout);
            return EXIT_OK;
        } else if ((r = cli_option_value(argc, argv, &i, "--target", &target)) != 0) {
            if (r < 0)
                return cli_usage_hint("info");
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
    if (!board_target_find(target))
        return cli_error(EXIT_BAD_INPUT, "--target takes one of %s, not '%s'", board_target_names(), target);
    msf_graph g;
    char err[2048];
    if (graph_load(model, &g, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    info_totals tot = {0, 0, 0, 0, {0, 0, 0, 0, 0}, board_target_find(target)};
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
        tot.flash = flash_estimate_of(&g, &held.plan, tot.target);
        (json ? print_json : print_table)(&g, life, &tot);
        built_plan_free(&streamed);
        built_plan_free(&held);
    }
    free(life);
    graph_free(&g);
    return rc;
}
