#include <stdlib.h>
#include <string.h>

#include "plan_build.h"

/* step[op]: the step (block index) running operator op. */
static int32_t *steps_of_ops(const msf_graph *g, const block_cost *blocks, int32_t n)
{
    int32_t *step = malloc((size_t)(g->model.n_ops ? g->model.n_ops : 1) * sizeof *step);
    for (int32_t s = 0; step && s < n; s++)
        for (int32_t o = blocks[s].first_op; o <= blocks[s].last_op; o++)
            step[o] = s;
    return step;
}

/* A tensor's buffer, shaped as a map where it is one (the rows of a batch
 * one after the other). Byte-aligned whatever its type: the runtime reads
 * floats and int32 sums a byte at a time (runtime/unaligned.h), so the
 * layout needs no padding and the arena is the bytes alive. */
static msf_buffer tensor_buffer(const msf_tensor *t)
{
    int map = t->rank == 4;
    int32_t elem = t->dtype == MSF_INT8 ? 1 : 4;
    return (msf_buffer){0, t->bytes, MSF_BUF_TENSOR, map ? t->dims[0] * t->dims[1] : 1, map ? t->dims[2] : 1,
                        map ? t->dims[3] : (int32_t)(t->bytes / (uint32_t)elem), elem, 1, -1};
}

/* Adds buffer d, alive over steps [first, last], to the plan and the layout. */
static int32_t add_buffer(built_plan *out, layout_buffer *lay, msf_buffer d, int32_t first, int32_t last, int32_t high)
{
    int32_t i = out->plan.n_buffers++;
    out->buffers[i] = d;
    lay[i] = (layout_buffer){d.bytes, first, last, (uint32_t)d.align, high, 0, 0};
    return i;
}

/* The tensor whose bytes operator o's output takes, or -1: an in-place
 * step's operand; a block's input, of the output's size, when the block
 * writes its output over it (a smaller output has bytes of its own, laid
 * inside the input's: tie_depths). */
static int32_t shared_operand(const msf_graph *g, const block_cost *blocks, const int32_t *step, int32_t o,
                              int streamed)
{
    const block_cost *b = &blocks[step[o]];
    if (b->scheme == MSF_SCHEME_INPLACE)
        return g->ops[o].inputs[block_inplace_operand(g, o, streamed)];
    int32_t in = g->ops[b->first_op].inputs[0];
    return b->over_input && o == b->last_op && g->tensors[in].bytes == g->tensors[g->ops[o].output].bytes
               ? in
               : -1;
}

/* tie[s]: a block writing a smaller output over its input: how many such
 * blocks end at its output's bytes, counting back through the inputs laid
 * so (at most LAYOUT_MAX_TIED: a longer run starts again, its output then
 * laid beside its input); 0: none. */
static int32_t *tie_depths(const msf_graph *g, const block_cost *blocks, int32_t n, const int32_t *step,
                           const int32_t *root)
{
    int32_t *tie = calloc((size_t)(n ? n : 1), sizeof *tie);
    for (int32_t s = 0; tie && s < n; s++) {
        const block_cost *b = &blocks[s];
        int32_t in = g->ops[b->first_op].inputs[0];
        if (!b->over_input || g->tensors[in].bytes == g->tensors[g->ops[b->last_op].output].bytes)
            continue;
        int32_t o = g->producer[root[in]], before = o >= 0 ? tie[step[o]] : 0;
        tie[s] = before < LAYOUT_MAX_TIED - 1 ? before + 1 : 0;
    }
    return tie;
}

/* The step at which a tensor of lifetime l dies. */
static int32_t dies_at(const msf_graph *g, tensor_lifetime l, const int32_t *step, int32_t n)
{
    return l.last >= g->model.n_ops ? n : l.last < 0 ? 0 : step[l.last];
}

/* root[t]: the tensor whose buffer holds t's bytes, through RESHAPEs and
 * in-place steps back to a tensor with a buffer of its own (in op order,
 * so that each looks one step back: a chain of residual ADDs in place is
 * linear, not quadratic). */
static int32_t *bytes_roots(const msf_graph *g, const block_cost *blocks, const int32_t *step, int streamed)
{
    int32_t *root = malloc((size_t)(g->model.n_tensors ? g->model.n_tensors : 1) * sizeof *root);
    for (int32_t t = 0; root && t < g->model.n_tensors; t++)
        root[t] = t;
    for (int32_t o = 0; root && o < g->model.n_ops; o++) {
        int32_t t = g->ops[o].output, up = reshape_alias(g, t);
        if (up < 0)
            up = shared_operand(g, blocks, step, o, streamed);
        root[t] = up < 0 ? t : root[up];
    }
    return root;
}

/* high[s]: whether step s's output takes the top of the arena. Whole
 * tensors alternate ends from step to step, graph inputs at the bottom; an
 * in-place step's output is where its operand's bytes are, a block's
 * output over its input where the input is, and the next step's goes to the
 * other end. A step's caches take the end its output does not: a chain then
 * needs no more than its largest step. */
static int32_t *ends_of_steps(const msf_graph *g, const block_cost *blocks, int32_t n, const int32_t *step,
                              const int32_t *root)
{
    int32_t *high = malloc((size_t)(n ? n : 1) * sizeof *high);
    for (int32_t s = 0; high && s < n; s++) {
        high[s] = s == 0 || !high[s - 1];
        if (blocks[s].scheme != MSF_SCHEME_INPLACE && !blocks[s].over_input)
            continue;
        const msf_op *first = &g->ops[blocks[s].first_op];
        int32_t o = g->producer[root[blocks[s].over_input ? first->inputs[0] : first->output]];
        high[s] = o >= 0 && high[step[o]];
    }
    return high;
}

static void collect_tensors(const msf_graph *g, const tensor_lifetime *life, const block_cost *blocks, int32_t n,
                            const int32_t *step, const int32_t *high, const int32_t *tie, int streamed,
                            built_plan *out, layout_buffer *lay)
{
    for (int32_t t = 0; t < g->model.n_tensors; t++) {
        tensor_lifetime l = life[t];
        /* Produced inside a block, not by its last operator: never whole;
         * by an in-place step: its operand's bytes (share_inplace). */
        if (l.first > l.last || streamed_tensor(g, t, streamed) ||
            (l.first >= 0 &&
             (l.first < blocks[step[l.first]].last_op || shared_operand(g, blocks, step, l.first, streamed) >= 0)))
            continue;
        /* A smaller output over its block's input lies inside the input's
         * bytes while the block runs: a buffer of its own from the step
         * after, laid inside the input's (over_input_ties). */
        int32_t born = l.first < 0 ? 0 : step[l.first] + (tie[step[l.first]] > 0);
        out->tensor_buffers[t] = add_buffer(out, lay, tensor_buffer(&g->tensors[t]), born, dies_at(g, l, step, n),
                                            l.first >= 0 && high[step[l.first]]);
    }
}

/* A smaller output over its block's input: laid inside the input's bytes,
 * placed with it (layout_buffer.with). */
static void over_input_ties(const msf_graph *g, const block_cost *blocks, int32_t n, const int32_t *tie,
                            const int32_t *root, const built_plan *out, layout_buffer *lay)
{
    for (int32_t s = 0; s < n; s++) {
        if (!tie[s])
            continue;
        int32_t in = out->tensor_buffers[root[g->ops[blocks[s].first_op].inputs[0]]];
        lay[in].with = out->tensor_buffers[g->ops[blocks[s].last_op].output] + 1;
    }
}

/* An in-place step's output shares its operand's bytes (msf_inplace_gap is
 * 0 and the sizes equal for every operator it allows), so the operand's
 * buffer lives on until the output dies: the layout then counts those bytes
 * once, as the step's cost did. */
static void share_inplace(const msf_graph *g, const tensor_lifetime *life, const block_cost *blocks, int32_t n,
                          const int32_t *step, const int32_t *root, int streamed, const built_plan *out,
                          layout_buffer *lay)
{
    for (int32_t s = 0; s < n; s++) {
        int32_t t = g->ops[blocks[s].last_op].output;
        if (shared_operand(g, blocks, step, blocks[s].last_op, streamed) < 0)
            continue;
        layout_buffer *shared = &lay[out->tensor_buffers[root[t]]];
        int32_t dies = dies_at(g, life[t], step, n);
        shared->last = dies > shared->last ? dies : shared->last;
    }
}

/* Block s's nodes, and the buffers only it uses: a cache (or rows) for the
 * output of each node up to the swept one, an in-place step's ring, the
 * consumer's sums, the input rows. The last node's output, a whole tensor,
 * gets its buffer once every tensor has one (set_block_outputs). */
static void collect_block(const msf_graph *g, const block_cost *c, int32_t s, int32_t high, built_plan *out,
                          layout_buffer *lay)
{
    int32_t n = c->last_op - c->first_op + 1, swept;
    msf_sink sink = msf_block_sink(&g->model, &g->ops[c->first_op], n, &swept);
    msf_block *b = &out->blocks[s];
    *b = (msf_block){c->scheme, sink, out->plan.n_nodes, n, swept, -1, -1, c->tile, -1};
    int32_t kind = c->scheme == MSF_SCHEME_LINEBUF ? MSF_BUF_ROWS : MSF_BUF_COLUMNS;
    int fetch_quantizes = msf_fetch_quantizes(&g->model, c->first_op, n, c->input_rows_bytes > 0);
    int view_quantizes = msf_view_quantizes(&g->model, c->first_op, n, c->input_rows_bytes > 0);
    for (int32_t j = 0; j < n; j++) {
        int32_t o = c->first_op + j, buf = -1;
        if (j < n - 1 && j <= swept && !((fetch_quantizes || view_quantizes) && j == 0)) {
            const msf_tensor *t = &g->tensors[g->ops[o].output];
            msf_buffer d = {0, c->cache_bytes[j + 1], kind, c->cache_rows[j + 1], c->cache_cols[j + 1], t->dims[3],
                            1, 1, -1};
            buf = add_buffer(out, lay, d, s, s, !high);
        }
        out->nodes[out->plan.n_nodes++] = msf_block_node(&g->model, c->first_op, o, buf);
    }
    if (c->ring_bytes) {
        const msf_tensor *t = &g->tensors[g->ops[c->last_op].output];
        msf_buffer d = {0, c->ring_bytes, MSF_BUF_ROWS, c->ring_rows, t->dims[2], t->dims[3], 1, 1, -1};
        b->ring = add_buffer(out, lay, d, s, s, !high);
    }
    if (c->acc_bytes) {
        msf_buffer d = {0, c->acc_bytes, MSF_BUF_SUMS, 1, 1, (int32_t)(c->acc_bytes / 4), 4, 1, -1};
        b->sums = add_buffer(out, lay, d, s, s, !high);
    }
    if (c->input_rows_bytes) {
        const msf_op *first = &g->ops[c->first_op];
        const msf_tensor *in = &g->tensors[fetch_quantizes ? first->output : first->inputs[0]];
        int32_t elem = in->dtype == MSF_INT8 ? 1 : 4;
        msf_buffer d = {0, c->input_rows_bytes, MSF_BUF_INPUT_ROWS, c->input_rows, in->dims[2], in->dims[3], elem, 1,
                        -1};
        b->input_rows = add_buffer(out, lay, d, s, s, 0);
        if (fetch_quantizes)
            out->nodes[b->first_node].out = b->input_rows;
    }
}

/* A RESHAPE's output is its input's bytes, an in-place step's its
 * operand's: a buffer of its own shape aliasing the input's (in op order,
 * so that a chain of them reaches the first). */
static void alias_outputs(const msf_graph *g, const block_cost *blocks, const int32_t *step, int streamed,
                          built_plan *out)
{
    for (int32_t o = 0; o < g->model.n_ops; o++) {
        int32_t t = g->ops[o].output, in = reshape_alias(g, t);
        if (in < 0)
            in = shared_operand(g, blocks, step, o, streamed);
        if (in < 0 || streamed_tensor(g, t, streamed) || out->tensor_buffers[in] < 0)
            continue;
        msf_buffer d = tensor_buffer(&g->tensors[t]);
        d.alias = out->tensor_buffers[in];
        d.offset = out->buffers[d.alias].offset;
        out->tensor_buffers[t] = out->plan.n_buffers;
        out->buffers[out->plan.n_buffers++] = d;
    }
}

static void set_block_outputs(const msf_graph *g, built_plan *out)
{
    for (int32_t s = 0; s < out->plan.n_blocks; s++) {
        msf_node *last = &out->nodes[out->blocks[s].first_node + out->blocks[s].n_nodes - 1];
        last->out = out->tensor_buffers[g->ops[last->op].output];
    }
}

static int alloc_tables(const msf_graph *g, const block_cost *blocks, int32_t n, int32_t max_buffers, built_plan *out)
{
    int32_t nt = g->model.n_tensors;
    out->blocks = calloc((size_t)(n ? n : 1), sizeof *out->blocks);
    out->nodes = calloc((size_t)(g->model.n_ops ? g->model.n_ops : 1), sizeof *out->nodes);
    out->buffers = calloc((size_t)max_buffers, sizeof *out->buffers);
    out->tensor_buffers = malloc((size_t)(nt ? nt : 1) * sizeof *out->tensor_buffers);
    out->costs = malloc((size_t)(n ? n : 1) * sizeof *out->costs);
    if (!out->blocks || !out->nodes || !out->buffers || !out->tensor_buffers || !out->costs)
        return -1;
    for (int32_t t = 0; t < nt; t++)
        out->tensor_buffers[t] = -1;
    memcpy(out->costs, blocks, (size_t)n * sizeof *blocks);
    for (int32_t s = 0; s < n; s++) {
        out->macs += blocks[s].macs;
        if (blocks[s].ram > out->largest_step)
            out->largest_step = blocks[s].ram;
    }
    out->plan.blocks = out->blocks;
    out->plan.n_blocks = n;
    out->plan.nodes = out->nodes;
    out->plan.buffers = out->buffers;
    out->plan.tensor_buffers = out->tensor_buffers;
    return 0;
}

int plan_build(msf_graph *g, const block_cost *blocks, int32_t n, int streamed, built_plan *out)
{
    memset(out, 0, sizeof *out);
    out->plan.streamed = streamed;
    tensor_lifetime *life = tensor_lifetimes(g);
    int32_t *step = steps_of_ops(g, blocks, n), *root = step ? bytes_roots(g, blocks, step, streamed) : NULL;
    int32_t *high = root ? ends_of_steps(g, blocks, n, step, root) : NULL;
    int32_t *tie = root ? tie_depths(g, blocks, n, step, root) : NULL;
    /* Every tensor, and per block its caches (one per operator but the
     * last), sums and input rows. */
    int32_t max_buffers = 2 * g->model.n_tensors + 3 * g->model.n_ops + 1;
    layout_buffer *lay = malloc((size_t)max_buffers * sizeof *lay);
    int rc = LAYOUT_NO_MEMORY;
    if (life && step && high && tie && lay && alloc_tables(g, blocks, n, max_buffers, out) == 0) {
        collect_tensors(g, life, blocks, n, step, high, tie, streamed, out, lay);
        share_inplace(g, life, blocks, n, step, root, streamed, out, lay);
        over_input_ties(g, blocks, n, tie, root, out, lay);
        for (int32_t s = 0; s < n; s++)
            collect_block(g, &blocks[s], s, high[s], out, lay);
        uint32_t size;
        rc = layout_place(lay, out->plan.n_buffers, &size);
        if (rc == LAYOUT_OK) {
            for (int32_t i = 0; i < out->plan.n_buffers; i++)
                out->buffers[i].offset = lay[i].offset;
            alias_outputs(g, blocks, step, streamed, out);
            set_block_outputs(g, out);
            out->plan.arena_bytes = size;
        }
    }
    free(life);
    free(step);
    free(high);
    free(tie);
    free(root);
    free(lay);
    if (rc)
        built_plan_free(out);
    return rc;
}

int plan_build_layers(msf_graph *g, int streamed, built_plan *out)
{
    memset(out, 0, sizeof *out);
    tensor_lifetime *life = tensor_lifetimes(g);
    block_cost *blocks = calloc((size_t)g->model.n_ops, sizeof *blocks);
    int rc = LAYOUT_NO_MEMORY;
    if (life && blocks) {
        rc = LAYOUT_OK;
        for (int32_t o = 0; o < g->model.n_ops && rc == 0; o++)
            rc = block_cost_exact(g, life, o, o, block_default_scheme(g, o, o, streamed), 1, 0, streamed, &blocks[o]);
        if (rc == 0)
            rc = plan_build(g, blocks, g->model.n_ops, streamed, out);
    }
    free(life);
    free(blocks);
    return rc;
}

void built_plan_free(built_plan *p)
{
    free(p->blocks);
    free(p->nodes);
    free(p->buffers);
    free(p->tensor_buffers);
    free(p->costs);
    memset(p, 0, sizeof *p);
}
