#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_cost.h"
#include "msf_count.h"
#include "msf_plan.h"

/* Operators the fused executor runs on a window: convolutions, pools, and a
 * PAD of H and W only (exporters put one before a VALID convolution) of a
 * batch of one, as the importer requires of the others: the sweep covers
 * one image. */
static int spatial_op(const msf_graph *g, const msf_op *op)
{
    if (op->type == MSF_OP_PAD) {
        const msf_pad_params *p = &op->p.pad;
        const msf_tensor *in = &g->tensors[op->inputs[0]];
        return in->rank == 4 && in->dims[0] == 1 && p->before[0] == 0 && p->after[0] == 0 &&
               p->before[3] == 0 && p->after[3] == 0;
    }
    return op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D || op->type == MSF_OP_AVERAGE_POOL2D ||
           op->type == MSF_OP_MAX_POOL2D;
}

/* A QUANTIZE of a float32 map into an int8 one of the same shape (a float
 * graph input, as converters write float I/O): elementwise, it runs on
 * windows like a 1x1 operator, but only first in a block, whose input it
 * reads (the block's caches hold int8). */
static int quantize_map(const msf_graph *g, const msf_op *op)
{
    const msf_tensor *in = &g->tensors[op->inputs[0]], *out = &g->tensors[op->output];
    return op->type == MSF_OP_QUANTIZE && in->rank == 4 && in->dims[0] == 1 && in->dtype == MSF_FLOAT32 &&
           out->dtype == MSF_INT8 && memcmp(in->dims, out->dims, sizeof in->dims) == 0;
}

/* What a block may start with: a window operator, a pixel operator
 * (msf_pixel_op: a squeeze-excite's MUL of the block input), a QUANTIZE of
 * a map, or a TRANSPOSE of an NCHW map read as a strided view. */
static int first_op_ok(const msf_graph *g, const msf_op *op)
{
    return (spatial_op(g, op) && !msf_global_pool(&g->model, op)) || msf_pixel_op(&g->model, op) ||
           quantize_map(g, op) || msf_nchw_view(&g->model, op);
}

/* A DEQUANTIZE of an int8 map into a float32 one of the same shape (a float
 * graph output): elementwise, it runs on windows like a 1x1 operator, but
 * only last in a block, writing the whole output (the caches hold int8). */
static int dequantize_map(const msf_graph *g, const msf_op *op)
{
    const msf_tensor *in = &g->tensors[op->inputs[0]], *out = &g->tensors[op->output];
    return op->type == MSF_OP_DEQUANTIZE && in->rank == 4 && in->dims[0] == 1 && in->dtype == MSF_INT8 &&
           out->dtype == MSF_FLOAT32 && memcmp(in->dims, out->dims, sizeof in->dims) == 0;
}

/* op_j of a block of n operators ends it with a DEQUANTIZE of the previous
 * operator's map. */
static int ends_dequantizing(const msf_graph *g, const msf_op *ops, int32_t j, int32_t n)
{
    return j == n - 1 && dequantize_map(g, &ops[j]) && ops[j].inputs[0] == ops[j - 1].output;
}

/* op_j of a block of n operators from first_op is the TRANSPOSE that reads
 * the float NCHW input its QUANTIZE (op_0) quantizes (msf_view_quantizes). */
static int transposes_quantized(const msf_graph *g, int32_t first_op, int32_t j, int32_t n)
{
    return j == 1 && msf_view_quantizes(&g->model, first_op, n, 0);
}

/* Whether tensor t is a map the block has before operator op: its input
 * (the first operator's), or the output of an operator of the block
 * before op. */
static int block_map(const msf_graph *g, int32_t first_op, int32_t op, int32_t t)
{
    if (t == g->ops[first_op].inputs[0])
        return 1;
    for (int32_t o = first_op; o < op; o++)
        if (g->ops[o].output == t)
            return 1;
    return 0;
}

/* Whether tensor t is the output of an operator of the block before op. */
static int made_in_block(const msf_graph *g, int32_t first_op, int32_t op, int32_t t)
{
    int32_t p = g->producer[t];
    return p >= first_op && p < op;
}

/* Operator op of a block (not first) reads maps the block has: a window
 * operator its first operand, a join (ADD, CONCATENATION) both, a pixel
 * operator its map, its vector coming from outside the block. */
static int reads_block_maps(const msf_graph *g, int32_t first_op, int32_t op)
{
    const msf_op *o = &g->ops[op];
    if (spatial_op(g, o))
        return block_map(g, first_op, op, o->inputs[0]);
    if (msf_pixel_op(&g->model, o))
        return block_map(g, first_op, op, o->inputs[0]) &&
               (o->n_inputs < 2 || !made_in_block(g, first_op, op, o->inputs[1]));
    return msf_join_pixelwise(&g->model, o) && block_map(g, first_op, op, o->inputs[0]) &&
           block_map(g, first_op, op, o->inputs[1]);
}

/* How many operands of operators [first_op, last_op] are tensor t. */
static int32_t reads_inside(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t t)
{
    int32_t n = 0;
    for (int32_t o = first_op; o <= last_op; o++)
        for (int32_t k = 0; k < g->ops[o].n_inputs; k++)
            n += g->ops[o].inputs[k] == t;
    return n;
}

int block_fusible(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    int32_t n = last_op - first_op + 1, last;
    const msf_op *ops = &g->ops[first_op];
    if (n < 2 || n > MSF_MAX_FUSED)
        return 0;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    if (last < 0 || !first_op_ok(g, &ops[0]))
        return 0;
    for (int32_t j = 1; j <= last; j++)
        if (!reads_block_maps(g, first_op, first_op + j) && !ends_dequantizing(g, ops, j, n) &&
            !transposes_quantized(g, first_op, j, n))
            return 0;
    /* The consumer (and a RESHAPE before it) reads the swept map. */
    for (int32_t j = last + 1; j < n; j++)
        if (ops[j].inputs[0] != ops[j - 1].output)
            return 0;
    /* A float NCHW input quantized as its TRANSPOSE reads it: the QUANTIZE's
     * map is never made, so nothing else may read it. */
    if (msf_view_quantizes(&g->model, first_op, n, 0) && reads_inside(g, first_op + 2, last_op, ops[0].output))
        return 0;
    /* No intermediate is read outside the block. */
    for (int32_t j = 0; j < n - 1; j++)
        if (tensor_readers(g, ops[j].output) != reads_inside(g, first_op, last_op, ops[j].output))
            return 0;
    const msf_tensor *end = &g->tensors[ops[last].output];
    return sink != MSF_SINK_FULLY_CONNECTED || ops[msf_sink_ops(ops, n) - 1].p.fc.in_features == msf_elements(end);
}

int block_chain(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    const msf_op *ops = &g->ops[first_op];
    int32_t in = ops[0].inputs[0];
    for (int32_t j = 1; j <= last_op - first_op; j++) {
        int32_t prev = ops[j - 1].output, a = ops[j].inputs[0], b = ops[j].n_inputs > 1 ? ops[j].inputs[1] : -1;
        int join = msf_join_pixelwise(&g->model, &ops[j]);
        int chained = join ? (a == prev && b == in) || (b == prev && a == in) : a == prev;
        if (!chained || tensor_readers(g, prev) != 1)
            return 0;
    }
    return 1;
}

/* A swept block (fused, or one operator reading its input a row at a
 * time): its caches, sums, input rows and MACs are what the runner's own
 * counting pass measures (runtime/msf_count.h): the cache of level j holds
 * the most rows and columns the runner kept of T_j. */
static void swept_cost(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile,
                       int input_rows, block_cost *c)
{
    msf_block_count count;
    msf_count_block(&g->model, first_op, last_op, scheme, tile, input_rows, c->over_input, &count);
    const msf_op *ops = &g->ops[first_op];
    int32_t n = last_op - first_op + 1, last;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    c->macs = count.total.macs;
    c->input_rows = count.input_rows;
    c->n_caches = n - 1;
    /* Rows quantized as fetched, or an NCHW input as transposed: the
     * runner's level j is the block's j + 1, and the QUANTIZE's output has
     * no cache (the rows buffer holds it, or it is never made). */
    int32_t shift = msf_fetch_quantizes(&g->model, first_op, n, input_rows) ||
                    msf_view_quantizes(&g->model, first_op, n, input_rows);
    for (int32_t j = 1 + shift; j < n; j++) {
        const msf_tensor *t = &g->tensors[ops[j - 1].output];
        c->cache_rows[j] = count.rows[j - shift];
        c->cache_cols[j] = count.cols[j - shift];
        c->cache_bytes[j] = (uint32_t)c->cache_rows[j] * (uint32_t)c->cache_cols[j] * (uint32_t)(t->rank == 4 ? t->dims[3] : 0);
    }
    c->acc_bytes = 4u * (uint32_t)msf_sink_sums(&g->model, ops, n, sink, last);
    if (c->over_input) {
        const msf_tensor *t = &g->tensors[ops[n - 1].output];
        c->ring_rows = count.ring_rows;
        c->ring_bytes = (uint32_t)count.ring_rows * (t->bytes / (uint32_t)t->dims[1]);
    }
}

int block_over_input(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int streamed)
{
    int32_t n = last_op - first_op + 1, swept;
    /* The sweep reads the input's rows in order: not an NCHW input's. */
    if (scheme != MSF_SCHEME_HCACHE || n < 2 || msf_block_sink(&g->model, &g->ops[first_op], n, &swept) != MSF_SINK_TENSOR ||
        msf_nchw_view(&g->model, &g->ops[first_op]))
        return 0;
    int32_t in = g->ops[first_op].inputs[0], out = g->ops[last_op].output;
    const msf_tensor *a = &g->tensors[in], *b = &g->tensors[out];
    if (a->data || streamed_tensor(g, in, streamed) || streamed_tensor(g, out, streamed) || g->last_reader[in] > last_op ||
        g->last_reader[out] <= last_op || ((streamed & MSF_STREAM_INPUT_ROWS) && first_op == 0))
        return 0;
    return a->dtype == MSF_INT8 && b->dtype == MSF_INT8 && a->rank == 4 && b->rank == 4 && b->bytes <= a->bytes;
}

int input_nchw(const msf_graph *g)
{
    if (g->model.n_inputs != 1 || g->model.n_ops == 0 || g->ops[0].inputs[0] != g->model.inputs[0])
        return 0;
    /* The TRANSPOSE first, or after the QUANTIZE of a float input. */
    const msf_op *t = quantize_map(g, &g->ops[0]) && g->model.n_ops > 1 ? &g->ops[1] : &g->ops[0];
    return msf_nchw_view(&g->model, t) && (t == &g->ops[0] || t->inputs[0] == g->ops[0].output);
}

int input_rows_possible(const msf_graph *g)
{
    if (g->model.n_inputs != 1 || g->model.n_ops == 0 || input_nchw(g))
        return 0;
    int32_t in = g->model.inputs[0];
    const msf_tensor *t = &g->tensors[in];
    int typed = t->dtype == MSF_INT8 || (t->dtype == MSF_FLOAT32 && quantize_map(g, &g->ops[0]));
    return t->rank == 4 && t->dims[0] == 1 && typed && tensor_readers(g, in) == 1 && g->ops[0].inputs[0] == in;
}

int streaming_possible(const msf_graph *g, int streamed)
{
    const msf_model *m = &g->model;
    int in = streamed & (MSF_STREAM_INPUT | MSF_STREAM_INPUT_ROWS), out = streamed & MSF_STREAM_OUTPUT;
    if (in == (MSF_STREAM_INPUT | MSF_STREAM_INPUT_ROWS) || ((streamed & MSF_STREAM_INPUT_ROWS) && !input_rows_possible(g)) ||
        (in && m->n_inputs != 1) || (out && m->n_outputs != 1))
        return 0;
    /* The streamed end must not also be the other end (one pass over each
     * list, not every pair: a model may list many inputs and outputs). */
    for (int32_t o = 0; in && o < m->n_outputs; o++)
        if (m->outputs[o] == m->inputs[0])
            return 0;
    for (int32_t i = 0; out && i < m->n_inputs; i++)
        if (m->inputs[i] == m->outputs[0])
            return 0;
    return 1;
}

int input_rows_block(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    if (first_op != 0)
        return 1;
    /* Rows quantized as fetched: the rows buffer holds the QUANTIZE's output. */
    int32_t skip = msf_fetch_quantizes(&g->model, first_op, last_op - first_op + 1, 1);
    int32_t rows = skip ? g->ops[first_op].output : g->ops[first_op].inputs[0];
    return reads_inside(g, first_op + skip + 1, last_op, rows) == 0;
}

/* A lone operator runs over whole tensors, but a window operator reading
 * the input a row at a time sweeps it (any other holds all its rows). */
static int swept_alone(const msf_graph *g, int32_t op, int streamed)
{
    return (streamed & MSF_STREAM_INPUT_ROWS) && op == 0 && (spatial_op(g, &g->ops[op]) || quantize_map(g, &g->ops[op]));
}

/* The schemes: which blocks each can run. A new scheme is a runner in
 * runtime/ and a line here. */
static int whole_runs(const msf_graph *g, int32_t a, int32_t b, int streamed)
{
    return a == b && !swept_alone(g, a, streamed);
}

static int hcache_runs(const msf_graph *g, int32_t a, int32_t b, int streamed)
{
    return b > a ? block_chain(g, a, b) : swept_alone(g, a, streamed);
}

static int linebuf_runs(const msf_graph *g, int32_t a, int32_t b, int streamed)
{
    (void)g, (void)streamed;
    return b > a;
}

int32_t block_inplace_operand(const msf_graph *g, int32_t op, int streamed)
{
    const msf_op *o = &g->ops[op];
    int32_t best = -1;
    if (streamed_tensor(g, o->output, streamed))
        return -1;
    for (int32_t k = 0; k < o->n_inputs; k++) {
        int32_t t = o->inputs[k];
        int32_t ring;
        if (msf_inplace_gap(&g->model, o, k, &ring) < 0 || g->tensors[t].data || streamed_tensor(g, t, streamed) ||
            g->last_reader[t] != op)
            continue;
        /* The operand made first (a residual's skip rather than its branch):
         * the longest-lived, it holds an end of the arena (plan_build's
         * alternation), where the output leaves the most room. */
        if (best < 0 || g->producer[t] < g->producer[o->inputs[best]])
            best = k;
    }
    return best;
}

/* A RESHAPE already shares its input's bytes (reshape_alias). */
static int inplace_runs(const msf_graph *g, int32_t a, int32_t b, int streamed)
{
    return whole_runs(g, a, b, streamed) && g->ops[a].type != MSF_OP_RESHAPE &&
           block_inplace_operand(g, a, streamed) >= 0;
}

static const struct {
    const char *name;
    int (*runs)(const msf_graph *g, int32_t first_op, int32_t last_op, int streamed);
} schemes[MSF_SCHEME_COUNT] = {
    [MSF_SCHEME_WHOLE] = {"whole", whole_runs},
    [MSF_SCHEME_HCACHE] = {"h-cache", hcache_runs},
    [MSF_SCHEME_LINEBUF] = {"line-buffer", linebuf_runs},
    [MSF_SCHEME_INPLACE] = {"in-place", inplace_runs},
};

const char *block_scheme_name(int32_t scheme)
{
    return scheme >= 0 && scheme < MSF_SCHEME_COUNT ? schemes[scheme].name : "unknown";
}

int32_t block_scheme_named(const char *name)
{
    for (int32_t s = 0; s < MSF_SCHEME_COUNT; s++)
        if (strcmp(schemes[s].name, name) == 0)
            return s;
    return -1;
}

int32_t block_tiles(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t *tiles)
{
    int32_t swept;
    msf_sink sink = msf_block_sink(&g->model, &g->ops[first_op], last_op - first_op + 1, &swept);
    tiles[0] = 1;
    if (scheme != MSF_SCHEME_HCACHE || sink == MSF_SINK_TRANSPOSED_MEANS)
        return 1;
    int32_t h = g->tensors[g->ops[first_op + swept].output].dims[1], n = 1;
    for (int32_t t = 2; t <= 8 && t < h; t *= 2)
        tiles[n++] = t;
    if (h > 1)
        tiles[n++] = h;
    return n;
}

void block_scheme_label(int32_t scheme, int32_t tile, char *out, size_t size)
{
    if (tile > 1)
        snprintf(out, size, "%s/%d", block_scheme_name(scheme), tile);
    else
        snprintf(out, size, "%s", block_scheme_name(scheme));
}

int block_scheme_runs(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int streamed)
{
    return scheme >= 0 && scheme < MSF_SCHEME_COUNT && schemes[scheme].runs(g, first_op, last_op, streamed);
}

int32_t block_default_scheme(const msf_graph *g, int32_t first_op, int32_t last_op, int streamed)
{
    return whole_runs(g, first_op, last_op, streamed) ? MSF_SCHEME_WHOLE : MSF_SCHEME_HCACHE;
}

/* An in-place step: its ring of output rows, and the bytes its output and
 * operand share, counted once (the output starts gap bytes before the
 * operand, so together they span max(gap + operand, output)). */
static uint64_t inplace_shared(const msf_graph *g, int32_t op, int streamed, block_cost *c)
{
    const msf_op *o = &g->ops[op];
    int32_t k = block_inplace_operand(g, op, streamed);
    const msf_tensor *t = &g->tensors[o->output];
    uint64_t gap = (uint64_t)msf_inplace_gap(&g->model, o, k, &c->ring_rows), in = g->tensors[o->inputs[k]].bytes;
    uint64_t out = t->bytes, span = gap + in > out ? gap + in : out;
    if (c->ring_rows)
        c->ring_bytes = (uint32_t)c->ring_rows * (out / (uint32_t)t->dims[1]);
    return in + out - span;
}

void block_cost_beside(const msf_graph *g, const block_cost *over, block_cost *c)
{
    *c = *over;
    if (!over->over_input)
        return;
    c->over_input = 0;
    c->ram += g->tensors[g->ops[over->last_op].output].bytes - over->ring_bytes;
    c->ring_rows = 0;
    c->ring_bytes = 0;
}

int block_cost_exact(const msf_graph *g, const tensor_lifetime *life, int32_t first_op, int32_t last_op,
                     int32_t scheme, int32_t tile, int over_input, int streamed, block_cost *c)
{
    memset(c, 0, sizeof *c);
    c->first_op = first_op;
    c->last_op = last_op;
    c->scheme = scheme;
    c->tile = tile;
    c->over_input = over_input && block_over_input(g, first_op, last_op, scheme, streamed);
    int rows = (streamed & MSF_STREAM_INPUT_ROWS) && first_op == 0;
    /* The rows buffer holds the input's rows, or their int8 quantization. */
    const msf_tensor *in = &g->tensors[msf_fetch_quantizes(&g->model, first_op, last_op - first_op + 1, rows)
                                           ? g->ops[first_op].output
                                           : g->ops[first_op].inputs[0]];
    if (scheme == MSF_SCHEME_WHOLE || scheme == MSF_SCHEME_INPLACE) {
        c->macs = g->op_macs[first_op];
        c->input_rows = rows ? in->dims[1] : 0;
    } else {
        swept_cost(g, first_op, last_op, scheme, tile, rows, c);
    }
    if (rows)
        c->input_rows_bytes = (uint32_t)c->input_rows * (in->bytes / (uint32_t)in->dims[1]);
    /* Over its input, the output lies inside the input's bytes. */
    uint64_t shared = scheme == MSF_SCHEME_INPLACE ? inplace_shared(g, first_op, streamed, c)
                      : c->over_input                ? g->tensors[g->ops[last_op].output].bytes
                                                     : 0;
    c->ram = arena_live_bytes(g, life, first_op, last_op, streamed) + c->acc_bytes + c->input_rows_bytes +
             c->ring_bytes - shared;
    for (int32_t j = 1; j <= c->n_caches; j++)
        c->ram += c->cache_bytes[j];
    return 0;
}
