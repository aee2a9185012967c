#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"

int tensor_readers(const msf_graph *g, int32_t tensor)
{
    int n = 0;
    for (int32_t o = 0; o < g->model.n_ops; o++)
        for (int32_t k = 0; k < g->ops[o].n_inputs; k++)
            n += g->ops[o].inputs[k] == tensor;
    for (int32_t i = 0; i < g->model.n_outputs; i++)
        n += g->model.outputs[i] == tensor;
    return n;
}

static int graph_input(const msf_graph *g, int32_t tensor)
{
    for (int32_t i = 0; i < g->model.n_inputs; i++)
        if (g->model.inputs[i] == tensor)
            return 1;
    return 0;
}

int32_t reshape_alias(const msf_graph *g, int32_t tensor)
{
    for (int32_t o = 0; o < g->model.n_ops; o++) {
        const msf_op *op = &g->ops[o];
        if (op->output != tensor)
            continue;
        int32_t in = op->inputs[0];
        if (op->type != MSF_OP_RESHAPE || g->tensors[in].data || graph_input(g, in) || tensor_readers(g, in) != 1)
            return -1;
        return in;
    }
    return -1;
}

tensor_lifetime *tensor_lifetimes(const msf_graph *g)
{
    const msf_model *m = &g->model;
    tensor_lifetime *life = malloc((size_t)m->n_tensors * sizeof *life);
    if (!life)
        return NULL;
    for (int32_t t = 0; t < m->n_tensors; t++)
        life[t] = (tensor_lifetime){m->n_ops + 1, -2};
    for (int32_t i = 0; i < m->n_inputs; i++)
        life[m->inputs[i]] = (tensor_lifetime){-1, -1};
    for (int32_t o = 0; o < m->n_ops; o++) {
        const msf_op *op = &m->ops[o];
        life[op->output] = (tensor_lifetime){o, o};
        for (int32_t k = 0; k < op->n_inputs; k++)
            if (!m->tensors[op->inputs[k]].data)
                life[op->inputs[k]].last = o;
    }
    for (int32_t i = 0; i < m->n_outputs; i++)
        life[m->outputs[i]].last = m->n_ops;
    /* In op order, so that a chain of reshapes ends up on its first input. */
    for (int32_t o = 0; o < m->n_ops; o++) {
        int32_t t = m->ops[o].output, root = reshape_alias(g, t);
        if (root < 0)
            continue;
        for (int32_t up; (up = reshape_alias(g, root)) >= 0;)
            root = up;
        life[root].last = life[t].last;
        life[t] = (tensor_lifetime){m->n_ops + 1, -2};
    }
    return life;
}

int streamed_tensor(const msf_graph *g, int32_t t, int streamed)
{
    return ((streamed & (STREAM_INPUT | STREAM_INPUT_ROWS)) && t == g->model.inputs[0]) ||
           ((streamed & STREAM_OUTPUT) && t == g->model.outputs[0]);
}

uint64_t arena_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t first_op,
                          int32_t last_op, int streamed)
{
    uint64_t sum = 0;
    for (int32_t t = 0; t < g->model.n_tensors; t++) {
        if (life[t].first > life[t].last || life[t].last < first_op || life[t].first > last_op)
            continue;
        if (streamed_tensor(g, t, streamed))
            continue;
        int intermediate = life[t].first >= first_op && life[t].first < last_op;
        if (!intermediate)
            sum += g->tensors[t].bytes;
    }
    return sum;
}

static int overlaps(const layout_buffer *a, const layout_buffer *b)
{
    return a->first <= b->last && b->first <= a->last;
}

static uint32_t align_up(uint32_t x, uint32_t align)
{
    return (x + align - 1) / align * align;
}

static int collides(const layout_buffer *b, const layout_buffer *const *placed, int32_t n, uint32_t offset)
{
    for (int32_t i = 0; i < n; i++)
        if (overlaps(b, placed[i]) && offset < placed[i]->offset + placed[i]->size &&
            placed[i]->offset < offset + b->size)
            return 1;
    return 0;
}

/* The lowest (or, with high, the highest) offset, a multiple of b->align, in [0, limit) where
 * b fits beside the placed buffers alive with it. The candidates are the
 * ends of the arena and the edges of those buffers. Returns UINT32_MAX when
 * it does not fit. */
static uint32_t fit(const layout_buffer *b, const layout_buffer *const *placed, int32_t n, uint32_t limit,
                    int high)
{
    uint32_t best = UINT32_MAX;
    for (int32_t i = -1; i < n; i++) {
        uint32_t cand;
        if (high) {
            uint32_t edge = i < 0 ? limit : placed[i]->offset;
            if (i >= 0 && !overlaps(b, placed[i]))
                continue;
            if (edge < b->size)
                continue;
            cand = (edge - b->size) / b->align * b->align;
        } else {
            cand = i < 0 ? 0 : align_up(placed[i]->offset + placed[i]->size, b->align);
            if (i >= 0 && !overlaps(b, placed[i]))
                continue;
        }
        if ((uint64_t)cand + b->size > limit || collides(b, placed, n, cand))
            continue;
        if (best == UINT32_MAX || (high ? cand > best : cand < best))
            best = cand;
    }
    return best;
}

static uint32_t arena_end(const layout_buffer *b, int32_t n)
{
    uint32_t end = 0;
    for (int32_t i = 0; i < n; i++)
        if (b[i].offset + b[i].size > end)
            end = b[i].offset + b[i].size;
    return end;
}

/* The most bytes alive at one step: no layout can use less. */
static uint64_t bound(const layout_buffer *b, int32_t n)
{
    uint64_t best = 0;
    for (int32_t i = 0; i < n; i++) {
        uint64_t sum = 0;
        for (int32_t k = 0; k < n; k++)
            if (b[k].first <= b[i].first && b[i].first <= b[k].last)
                sum += b[k].size;
        if (sum > best)
            best = sum;
    }
    return best;
}

/* Places the buffers in the given order; 0, or -1 if one does not fit below limit. */
static int place_in_order(layout_buffer **order, int32_t n, uint32_t limit, int use_hint)
{
    for (int32_t i = 0; i < n; i++) {
        uint32_t at = fit(order[i], (const layout_buffer *const *)order, i, limit, use_hint && order[i]->high);
        if (at == UINT32_MAX)
            return -1;
        order[i]->offset = at;
    }
    return 0;
}

static layout_buffer **sorted(layout_buffer *b, int32_t n, int by_size)
{
    layout_buffer **order = malloc((size_t)(n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (int32_t i = 0; i < n; i++)
        order[i] = &b[i];
    /* Insertion sort (stable): by birth step then size, or by size alone. */
    for (int32_t i = 1; i < n; i++) {
        layout_buffer *x = order[i];
        int32_t j = i;
        for (; j > 0; j--) {
            const layout_buffer *y = order[j - 1];
            int before = by_size ? x->size > y->size
                                 : (x->first < y->first || (x->first == y->first && x->size > y->size));
            if (!before)
                break;
            order[j] = order[j - 1];
        }
        order[j] = x;
    }
    return order;
}

uint32_t layout_place(layout_buffer *b, int32_t n)
{
    layout_buffer **by_birth = sorted(b, n, 0), **by_size = sorted(b, n, 1);
    uint32_t *hinted = malloc((size_t)(n ? n : 1) * sizeof *hinted);
    uint32_t result = UINT32_MAX;
    if (by_birth && by_size && hinted) {
        /* Hinted placement within the bound, or else within the bound plus
         * what aligning the int32 and float buffers may cost; failing both,
         * first-fit by size. */
        uint64_t exact = bound(b, n), slack = 0;
        for (int32_t i = 0; i < n; i++)
            slack += b[i].align - 1;
        int ok = exact < UINT32_MAX && place_in_order(by_birth, n, (uint32_t)exact, 1) == 0;
        if (!ok && slack)
            ok = exact + slack < UINT32_MAX && place_in_order(by_birth, n, (uint32_t)(exact + slack), 1) == 0;
        for (int32_t i = 0; ok && i < n; i++)
            hinted[i] = b[i].offset;
        uint32_t hinted_end = ok ? arena_end(b, n) : UINT32_MAX;
        /* First fit can fail too: more than 4 GiB alive at once. */
        result = place_in_order(by_size, n, UINT32_MAX, 0) == 0 ? arena_end(b, n) : UINT32_MAX;
        if (hinted_end <= result && ok) {
            for (int32_t i = 0; i < n; i++)
                b[i].offset = hinted[i];
            result = hinted_end;
        }
    }
    free(by_birth);
    free(by_size);
    free(hinted);
    return result;
}
