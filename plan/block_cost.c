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

/* What a block may start with: a window operator, or a QUANTIZE of a map. */
static int first_op_ok(const msf_graph *g, const msf_op *op)
{
    return (spatial_op(g, op) && !msf_global_pool(&g->model, op)) || quantize_map(g, op);
}

/* op (inside the block, not first) continues the chain from prev_out; an
 * ADD's other operand must be the block input, and both operands the
 * output's shape (the block adds pixel to pixel: no broadcasting). */
static int continues_chain(const msf_graph *g, const msf_op *op, int32_t prev_out, int32_t block_in)
{
    if (spatial_op(g, op))
        return op->inputs[0] == prev_out;
    if (op->type != MSF_OP_ADD)
        return 0;
    int32_t a = op->inputs[0], b = op->inputs[1];
    if (!((a == prev_out && b == block_in) || (b == prev_out && a == block_in)))
        return 0;
    const msf_tensor *x = &g->tensors[block_in], *p = &g->tensors[prev_out], *y = &g->tensors[op->output];
    return x->dtype == MSF_INT8 && x->rank == 4 && p->rank == 4 && y->rank == 4 && memcmp(x->dims, y->dims, sizeof x->dims) == 0 &&
           memcmp(p->dims, y->dims, sizeof p->dims) == 0;
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
        if (!continues_chain(g, &ops[j], ops[j - 1].output, ops[0].inputs[0]))
            return 0;
    /* The consumer (and a RESHAPE before it) reads the chain's end. */
    for (int32_t j = last + 1; j < n; j++)
        if (ops[j].inputs[0] != ops[j - 1].output)
            return 0;
    for (int32_t j = 1; j < n; j++)
        if (tensor_readers(g, ops[j - 1].output) != 1)
            return 0;
    const msf_tensor *end = &g->tensors[ops[last].output];
    return sink != MSF_SINK_FULLY_CONNECTED || ops[n - 1].p.fc.in_features == msf_elements(end);
}

/* A swept block (fused, or one operator reading its input a row at a
 * time): its caches, sums, input rows and MACs are what the runner's own
 * counting pass measures (runtime/msf_count.h): the cache of level j holds
 * the most rows and columns the runner kept of T_j. */
static void swept_cost(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile,
                       int input_rows, block_cost *c)
{
    msf_block_count count;
    msf_count_block(&g->model, first_op, last_op, scheme, tile, input_rows, &count);
    const msf_op *ops = &g->ops[first_op];
    int32_t n = last_op - first_op + 1, last;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    c->macs = count.total.macs;
    c->input_rows = count.input_rows;
    c->n_caches = n - 1;
    /* Rows quantized as fetched: the runner's level j is the block's j + 1,
     * and the QUANTIZE's output has no cache (the rows buffer holds it). */
    int32_t shift = msf_fetch_quantizes(&g->model, first_op, n, input_rows);
    for (int32_t j = 1 + shift; j < n; j++) {
        const msf_tensor *t = &g->tensors[ops[j - 1].output];
        c->cache_rows[j] = count.rows[j - shift];
        c->cache_cols[j] = count.cols[j - shift];
        c->cache_bytes[j] = (uint32_t)c->cache_rows[j] * (uint32_t)c->cache_cols[j] * (uint32_t)(t->rank == 4 ? t->dims[3] : 0);
    }
    c->acc_bytes = 4u * (uint32_t)msf_sink_sums(&g->model, ops, n, sink, last);
}

int input_rows_possible(const msf_graph *g)
{
    if (g->model.n_inputs != 1 || g->model.n_ops == 0)
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
    for (int32_t o = first_op + 1; o <= last_op; o++)
        if (g->ops[o].type == MSF_OP_ADD)
            return first_op != 0;
    return 1;
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
    return b > a || swept_alone(g, a, streamed);
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

int block_cost_exact(const msf_graph *g, const tensor_lifetime *life, int32_t first_op, int32_t last_op,
                     int32_t scheme, int32_t tile, int streamed, block_cost *c)
{
    memset(c, 0, sizeof *c);
    c->first_op = first_op;
    c->last_op = last_op;
    c->scheme = scheme;
    c->tile = tile;
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
    uint64_t shared = scheme == MSF_SCHEME_INPLACE ? inplace_shared(g, first_op, streamed, c) : 0;
    c->ram = arena_live_bytes(g, life, first_op, last_op, streamed) + c->acc_bytes + c->input_rows_bytes +
             c->ring_bytes - shared;
    for (int32_t j = 1; j <= c->n_caches; j++)
        c->ram += c->cache_bytes[j];
    return 0;
}
