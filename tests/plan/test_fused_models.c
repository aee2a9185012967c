/* Models a spec cannot write, built with the project's TFLite writer, through
 * every check of test_fused_exact (every P1 / P2 plan and every fusible
 * block alone; input held, streamed, a row at a time; output streamed, each
 * where streaming_possible): a graph output behind a RESHAPE (the reshape
 * aliases its input), an ADD whose chain operand is broadcast against the
 * block input (and a residual with the chain's operand first), a batch of
 * two (a PAD and a MEAN over H and W accept it; the row callback and the
 * fused sweep do not), and a graph output that is the graph input (neither
 * can be streamed). And a plan that streams its input run without one, and
 * a model with over 4 GiB alive at once to lay out. */
#include "fused_check.h"
#include "tflite_reader.h"
#include "tflite_writer.h"

#define MAX_T 40
#define MAX_OPS 20

typedef struct {
    tfw_tensor t[MAX_T];
    float scale[MAX_T];
    int64_t zp[MAX_T];
    uint8_t data[MAX_T][1024];
    tfw_operator ops[MAX_OPS];
    int32_t io[MAX_OPS][4];
    int32_t n_t, n_ops, input, output;
} net;

static int32_t tensor(net *n, const int32_t *shape, int32_t rank, int32_t type, int constant)
{
    int32_t i = n->n_t++;
    tfw_tensor *t = &n->t[i];
    size_t bytes = type == TFL_TYPE_INT32 ? 4 : 1;
    *t = (tfw_tensor){.name = "t", .type = type, .rank = rank, .scales = &n->scale[i], .zero_points = &n->zp[i]};
    for (int32_t d = 0; d < rank; d++) {
        t->shape[d] = shape[d];
        bytes *= (size_t)shape[d];
    }
    if (type == TFL_TYPE_INT8) {
        t->n_quant = 1;
        n->scale[i] = 0.05f;
        n->zp[i] = -3;
    }
    if (constant) {
        t->data = n->data[i];
        t->data_bytes = bytes;
        for (size_t k = 0; type == TFL_TYPE_INT8 && k < bytes; k++)
            n->data[i][k] = (uint8_t)(int8_t)((int)(k * 7 % 11) - 5);
        if (type == TFL_TYPE_INT8)
            n->zp[i] = 0; /* symmetric weights */
    }
    return i;
}

#define SHAPE(...) (const int32_t[]){__VA_ARGS__}, (int32_t)(sizeof((int32_t[]){__VA_ARGS__}) / sizeof(int32_t))

static int32_t act(net *n, const int32_t *shape, int32_t rank)
{
    return tensor(n, shape, rank, TFL_TYPE_INT8, 0);
}

static int32_t ints(net *n, const int32_t *v, int32_t count)
{
    int32_t i = tensor(n, (const int32_t[]){count}, 1, TFL_TYPE_INT32, 1);
    memcpy(n->data[i], v, (size_t)count * 4);
    return i;
}

static void op(net *n, int32_t opcode, tfw_options o, int32_t a, int32_t b, int32_t c, int32_t out)
{
    int32_t k = n->n_ops++, in[3] = {a, b, c}, count = c >= 0 ? 3 : b >= 0 ? 2 : 1;
    memcpy(n->io[k], in, sizeof in);
    n->io[k][3] = out;
    n->ops[k] = (tfw_operator){opcode, 1, count, n->io[k], 1, &n->io[k][3], o};
}

/* A convolution of x into a new tensor of shape out (4-D). */
static int32_t conv(net *n, int32_t x, int32_t k, int32_t padding, const int32_t *out, int32_t c_out)
{
    int32_t c_in = n->t[x].shape[3];
    int32_t w = tensor(n, (const int32_t[]){c_out, k, k, c_in}, 4, TFL_TYPE_INT8, 1);
    int32_t y = act(n, out, 4);
    tfw_options o = {.type = TFW_OPT_CONV_2D, .padding = padding, .stride_w = 1, .stride_h = 1, .dilation_w = 1,
                     .dilation_h = 1, .activation = 1};
    op(n, TFL_OP_CONV_2D, o, x, w, -1, y);
    return y;
}

/* conv 3x3 -> RESHAPE [1, 144]: the graph output is the reshape's. */
static void reshape_output(net *n)
{
    n->input = act(n, SHAPE(1, 6, 6, 3));
    int32_t t = conv(n, n->input, 3, TFL_PADDING_SAME, (const int32_t[]){1, 6, 6, 4}, 4);
    n->output = act(n, SHAPE(1, 144));
    tfw_options o = {.type = TFW_OPT_RESHAPE, .n_new_shape = 2, .new_shape = {1, 144}};
    op(n, TFL_OP_RESHAPE, o, t, -1, -1, n->output);
}

/* x 5x5x4 -> conv 5x5 VALID -> 1x1x4, ADD(that, x) broadcast -> 5x5x4 ->
 * conv 3x3. */
static void broadcast_add(net *n)
{
    n->input = act(n, SHAPE(1, 5, 5, 4));
    int32_t p = conv(n, n->input, 5, TFL_PADDING_VALID, (const int32_t[]){1, 1, 1, 4}, 4);
    int32_t s = act(n, SHAPE(1, 5, 5, 4));
    op(n, TFL_OP_ADD, (tfw_options){.type = TFW_OPT_ADD}, p, n->input, -1, s);
    n->output = conv(n, s, 3, TFL_PADDING_SAME, (const int32_t[]){1, 5, 5, 2}, 2);
}

/* A residual with the chain's operand first (specs put the skip first),
 * each operand with its own scale: x 6x7x4 -> conv 3x3 -> ADD(that, x) ->
 * conv 3x3. */
static void add_chain_first(net *n)
{
    n->input = act(n, SHAPE(1, 6, 7, 4));
    int32_t p = conv(n, n->input, 3, TFL_PADDING_SAME, (const int32_t[]){1, 6, 7, 4}, 4);
    n->scale[p] = 0.11f, n->zp[p] = 7;
    int32_t s = act(n, SHAPE(1, 6, 7, 4));
    op(n, TFL_OP_ADD, (tfw_options){.type = TFW_OPT_ADD, .activation = 3}, p, n->input, -1, s);
    n->output = conv(n, s, 3, TFL_PADDING_SAME, (const int32_t[]){1, 6, 7, 2}, 2);
}

/* 2x4x4x3 -> PAD of H and W -> MEAN over H and W (keep_dims). */
static void batch_pad_mean(net *n)
{
    n->input = act(n, SHAPE(2, 4, 4, 3));
    int32_t pads = ints(n, (const int32_t[]){0, 0, 1, 1, 1, 1, 0, 0}, 8);
    n->t[pads].rank = 2, n->t[pads].shape[0] = 4, n->t[pads].shape[1] = 2;
    int32_t p = act(n, SHAPE(2, 6, 6, 3));
    op(n, TFL_OP_PAD, (tfw_options){.type = TFW_OPT_PAD}, n->input, pads, -1, p);
    int32_t axes = ints(n, (const int32_t[]){1, 2}, 2);
    n->output = act(n, SHAPE(2, 1, 1, 3));
    op(n, TFL_OP_MEAN, (tfw_options){.type = TFW_OPT_REDUCER, .keep_dims = 1}, p, axes, -1, n->output);
}

/* 2x4x4x3 -> RESHAPE [2, 48]. */
static void batch_reshape(net *n)
{
    n->input = act(n, SHAPE(2, 4, 4, 3));
    n->output = act(n, SHAPE(2, 48));
    tfw_options o = {.type = TFW_OPT_RESHAPE, .n_new_shape = 2, .new_shape = {2, 48}};
    op(n, TFL_OP_RESHAPE, o, n->input, -1, -1, n->output);
}

/* The graph output is the graph input (the operators feed nothing). */
static void output_is_input(net *n)
{
    n->input = act(n, SHAPE(1, 4, 4, 3));
    n->output = n->input;
    int32_t y = act(n, SHAPE(1, 4, 4, 3));
    op(n, TFL_OP_MAX_POOL_2D,
       (tfw_options){.type = TFW_OPT_POOL_2D, .stride_w = 1, .stride_h = 1, .filter_w = 2, .filter_h = 2}, n->input,
       -1, -1, y);
}

static void run_case(const char *name, void (*build)(net *))
{
    static net n;
    memset(&n, 0, sizeof n);
    build(&n);
    tfw_model m = {.n_tensors = n.n_t, .tensors = n.t, .n_ops = n.n_ops, .ops = n.ops, .n_inputs = 1,
                   .inputs = &n.input, .n_outputs = 1, .outputs = &n.output};
    size_t size;
    uint8_t *buf = tflite_write(&m, &size);
    msf_graph g;
    char err[512];
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", name, buf ? err : "the writer refused it");
        CHECK(0);
        return;
    }
    run_model(name, &g);
    graph_free(&g);
}

/* A plan reading its input where the caller keeps it, given none: refused,
 * as a plan streaming its output is without somewhere to write. */
static void missing_streams(void)
{
    size_t size;
    static net n;
    memset(&n, 0, sizeof n);
    broadcast_add(&n);
    tfw_model m = {.n_tensors = n.n_t, .tensors = n.t, .n_ops = n.n_ops, .ops = n.ops, .n_inputs = 1,
                   .inputs = &n.input, .n_outputs = 1, .outputs = &n.output};
    uint8_t *buf = tflite_write(&m, &size);
    msf_graph g;
    char err[512];
    built_plan bp;
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err) != 0) {
        CHECK(0);
        return;
    }
    uint8_t *arena = NULL, out[64];
    if (plan_build_layers(&g, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, &bp) == 0 && (arena = malloc(bp.plan.arena_bytes + 1))) {
        CHECK_EQ_INT(msf_run_plan(&g.model, &bp.plan, arena, bp.plan.arena_bytes, NULL), MSF_ERR_NO_INPUT);
        CHECK_EQ_INT(msf_run_plan_streams(&g.model, &bp.plan, arena, bp.plan.arena_bytes, NULL, out),
                     MSF_ERR_NO_INPUT);
        CHECK_EQ_INT(msf_run_plan_streams(&g.model, &bp.plan, arena, bp.plan.arena_bytes, arena, NULL),
                     MSF_ERR_NO_OUTPUT);
        built_plan_free(&bp);
    } else {
        CHECK(0);
    }
    free(arena);
    graph_free(&g);
}

/* 17 inputs of 256 MiB added up in a chain: over 4 GiB alive before the
 * first ADD. The layout must fail (no arena offset is 32 bits then), not
 * return a wrapped size with buffers left where they were. */
static void huge_arena(void)
{
    static net n;
    memset(&n, 0, sizeof n);
    int32_t inputs[17];
    for (int32_t i = 0; i < 17; i++)
        inputs[i] = act(&n, SHAPE(1, 16384, 16384, 1));
    int32_t sum = inputs[0];
    for (int32_t i = 1; i < 17; i++) {
        int32_t next = act(&n, SHAPE(1, 16384, 16384, 1));
        op(&n, TFL_OP_ADD, (tfw_options){.type = TFW_OPT_ADD}, sum, inputs[i], -1, next);
        sum = next;
    }
    tfw_model m = {.n_tensors = n.n_t, .tensors = n.t, .n_ops = n.n_ops, .ops = n.ops, .n_inputs = 17,
                   .inputs = inputs, .n_outputs = 1, .outputs = &sum};
    size_t size;
    uint8_t *buf = tflite_write(&m, &size);
    msf_graph g;
    char err[512];
    built_plan bp;
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err) != 0) {
        fprintf(stderr, "huge arena: %s\n", buf ? err : "the writer refused it");
        CHECK(0);
        return;
    }
    int rc = plan_build_layers(&g, 0, &bp);
    if (rc == 0) {
        fprintf(stderr, "huge arena: laid out in %u bytes\n", bp.plan.arena_bytes);
        built_plan_free(&bp);
    }
    CHECK(rc != 0);
    graph_free(&g);
}

int main(void)
{
    fused_check_every_block = 1;
    run_case("reshape output", reshape_output);
    run_case("broadcast add", broadcast_add);
    run_case("add, chain operand first", add_chain_first);
    run_case("batch pad mean", batch_pad_mean);
    run_case("batch reshape", batch_reshape);
    run_case("output is input", output_is_input);
    missing_streams();
    huge_arena();
    return check_summary();
}
