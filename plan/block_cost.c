#include <stdlib.h>
#include <string.h>

#include "block_cost.h"
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
    return x->rank == 4 && p->rank == 4 && y->rank == 4 && memcmp(x->dims, y->dims, sizeof x->dims) == 0 &&
           memcmp(p->dims, y->dims, sizeof p->dims) == 0;
}

int block_fusible(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    int32_t n = last_op - first_op + 1, last;
    const msf_op *ops = &g->ops[first_op];
    if (n < 2 || n > MSF_MAX_FUSED)
        return 0;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    if (last < 0 || !spatial_op(g, &ops[0]) || msf_global_pool(&g->model, &ops[0]))
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

typedef struct {
    int32_t h, w, c;
} shape3;

static shape3 shape_of(const msf_tensor *t)
{
    shape3 s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

/* Fused block: the sweep produces every pixel of T_{last+1} once (the block
 * output, or the map a consumer takes); columns of each intermediate are
 * computed once per sweep row (the union of the windows the next operator's
 * columns need), rows as msf_input_span gives them for each sweep row. */
static int fused_cost(const msf_graph *g, int32_t first_op, int32_t n, block_cost *c)
{
    const msf_op *ops = &g->ops[first_op];
    shape3 shape[MSF_MAX_FUSED + 1];
    msf_op_window win[MSF_MAX_FUSED];
    int32_t last;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    shape[0] = shape_of(&g->tensors[ops[0].inputs[0]]);
    for (int32_t j = 0; j <= last; j++) {
        shape[j + 1] = shape_of(&g->tensors[ops[j].output]);
        win[j] = msf_window_of(&ops[j]);
    }
    c->n_caches = n - 1;
    if (sink != MSF_SINK_TENSOR) {
        /* The consumer's map is the sweep's output, held as one pixel (the
         * operators between it and the consumer hold nothing); the consumer
         * keeps its int32 sums and performs its own MACs once per pixel, as
         * the plain operators would. */
        c->cache_rows[last] = c->cache_cols[last] = 1;
        c->cache_bytes[last] = (uint32_t)shape[last + 1].c;
        c->acc_bytes = 4u * (uint32_t)msf_sink_sums(&g->model, ops, n, sink, last);
        for (int32_t j = last + 1; j < n; j++)
            c->macs += g->op_macs[first_op + j];
    }
    n = last + 1; /* from here on: the operators the sweep runs */
    /* needed[x] of T_{j+1}, walked from the block output back. */
    uint8_t *needed = malloc((size_t)shape[n].w), *prev = NULL;
    if (!needed)
        return -1;
    memset(needed, 1, (size_t)shape[n].w);
    int64_t cols_needed[MSF_MAX_FUSED + 1];
    cols_needed[n] = shape[n].w;
    for (int32_t j = n - 1; j >= 1; j--) {
        prev = calloc((size_t)shape[j].w, 1);
        if (!prev) {
            free(needed);
            return -1;
        }
        int32_t widest = 0;
        for (int32_t x = 0; x < shape[j + 1].w; x++) {
            if (!needed[x])
                continue;
            int32_t lo, hi;
            msf_input_span(x, x, win[j].kw, win[j].sw, win[j].pad_left, shape[j].w, &lo, &hi);
            for (int32_t i = lo; i <= hi; i++)
                prev[i] = 1;
            if (hi - lo + 1 > widest)
                widest = hi - lo + 1;
        }
        free(needed);
        needed = prev;
        cols_needed[j] = 0;
        for (int32_t i = 0; i < shape[j].w; i++)
            cols_needed[j] += needed[i];
        c->cache_cols[j - 1] = widest;
    }
    free(needed);

    int64_t rows_sum[MSF_MAX_FUSED + 1] = {0};
    int32_t rows_max[MSF_MAX_FUSED + 1] = {0};
    for (int32_t y = 0; y < shape[n].h; y++) {
        int32_t lo = y, hi = y;
        for (int32_t j = n - 1; j >= 1; j--) {
            msf_input_span(lo, hi, win[j].kh, win[j].sh, win[j].pad_top, shape[j].h, &lo, &hi);
            int32_t rows = hi >= lo ? hi - lo + 1 : 0;
            rows_sum[j] += rows;
            if (rows > rows_max[j])
                rows_max[j] = rows;
        }
    }
    for (int32_t j = 0; j < n; j++) {
        uint64_t elements = (uint64_t)shape[j + 1].h * (uint64_t)shape[j + 1].w * (uint64_t)shape[j + 1].c;
        uint64_t per_element = g->op_macs[first_op + j] / elements;
        uint64_t computed = j == n - 1 ? elements
                                       : (uint64_t)rows_sum[j + 1] * (uint64_t)cols_needed[j + 1] *
                                             (uint64_t)shape[j + 1].c;
        c->macs += computed * per_element;
    }
    for (int32_t j = 1; j < n; j++) {
        c->cache_rows[j - 1] = rows_max[j];
        c->cache_bytes[j - 1] = (uint32_t)rows_max[j] * (uint32_t)c->cache_cols[j - 1] * (uint32_t)shape[j].c;
    }
    return 0;
}

int input_rows_possible(const msf_graph *g)
{
    if (g->model.n_inputs != 1 || g->model.n_ops == 0)
        return 0;
    int32_t in = g->model.inputs[0];
    return g->tensors[in].rank == 4 && g->tensors[in].dims[0] == 1 && g->tensors[in].dtype == MSF_INT8 &&
           tensor_readers(g, in) == 1 &&
           g->ops[0].inputs[0] == in;
}

int streaming_possible(const msf_graph *g, int streamed)
{
    const msf_model *m = &g->model;
    int in = streamed & (STREAM_INPUT | STREAM_INPUT_ROWS), out = streamed & STREAM_OUTPUT;
    if (in == (STREAM_INPUT | STREAM_INPUT_ROWS) || ((streamed & STREAM_INPUT_ROWS) && !input_rows_possible(g)) ||
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

/* Input rows the block reading the input holds when it comes a row at a
 * time: what one row of the block's sweep needs (msf_input_span down to the
 * input, as the executor fetches them), or all of it for an operator that
 * is not swept. */
static int32_t input_rows(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    const msf_op *ops = &g->ops[first_op];
    int32_t n = last_op - first_op + 1, last, h = g->tensors[ops[0].inputs[0]].dims[1], most = 0;
    if (n == 1 && !spatial_op(g, &ops[0]))
        return h;
    msf_block_sink(&g->model, ops, n, &last);
    for (int32_t y = 0; y < g->tensors[ops[last].output].dims[1]; y++) {
        int32_t lo = y, hi = y;
        for (int32_t j = last; j >= 0; j--) {
            msf_op_window w = msf_window_of(&ops[j]);
            int32_t rows = g->tensors[j ? ops[j - 1].output : ops[0].inputs[0]].dims[1];
            msf_input_span(lo, hi, w.kh, w.sh, w.pad_top, rows, &lo, &hi);
        }
        if (hi - lo + 1 > most)
            most = hi - lo + 1;
    }
    return most;
}

int block_cost_exact(const msf_graph *g, const tensor_lifetime *life, int32_t first_op, int32_t last_op,
                     int streamed, block_cost *c)
{
    memset(c, 0, sizeof *c);
    c->first_op = first_op;
    c->last_op = last_op;
    if (first_op == last_op) {
        c->macs = g->op_macs[first_op];
    } else if (fused_cost(g, first_op, last_op - first_op + 1, c)) {
        return -1;
    }
    if ((streamed & STREAM_INPUT_ROWS) && first_op == 0) {
        const msf_tensor *in = &g->tensors[g->ops[0].inputs[0]];
        c->input_rows = input_rows(g, first_op, last_op);
        c->input_rows_bytes = (uint32_t)c->input_rows * (uint32_t)(in->dims[2] * in->dims[3]);
    }
    c->ram = arena_live_bytes(g, life, first_op, last_op, streamed) + c->acc_bytes + c->input_rows_bytes;
    for (int32_t i = 0; i < c->n_caches; i++)
        c->ram += c->cache_bytes[i];
    return 0;
}
