#include <stdlib.h>

#include "arena_layout.h"

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
    return life;
}

static int is_placed(const tensor_lifetime *life, int32_t t, int streamed_input)
{
    if (life[t].first > life[t].last)
        return 0;
    return !(streamed_input && life[t].first == -1);
}

static int overlaps(tensor_lifetime a, tensor_lifetime b)
{
    return a.first <= b.last && b.first <= a.last;
}

static uint32_t align_up(uint32_t x)
{
    return (x + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
}

/* The lowest aligned offset where t fits between the tensors already placed
 * that are alive at the same time. */
static uint32_t first_fit(const msf_graph *g, const tensor_lifetime *life, const int32_t *placed,
                          int32_t n_placed, int32_t t)
{
    uint32_t offset = 0, size = g->tensors[t].bytes;
    for (int moved = 1; moved;) {
        moved = 0;
        for (int32_t i = 0; i < n_placed; i++) {
            const msf_tensor *other = &g->tensors[placed[i]];
            if (!overlaps(life[t], life[placed[i]]))
                continue;
            uint32_t lo = other->arena_offset, hi = lo + other->bytes;
            if (offset < hi && lo < offset + size) {
                offset = align_up(hi);
                moved = 1;
            }
        }
    }
    return offset;
}

int arena_layout_layers(msf_graph *g, int streamed_input)
{
    int32_t n = g->model.n_tensors;
    tensor_lifetime *life = tensor_lifetimes(g);
    int32_t *order = malloc((size_t)n * sizeof *order);
    if (!life || !order) {
        free(life);
        free(order);
        return -1;
    }
    int32_t count = 0;
    for (int32_t t = 0; t < n; t++)
        if (is_placed(life, t, streamed_input))
            order[count++] = t;
    /* Largest first; ties in file order, so the layout is deterministic.
     * Insertion sort: graphs have hundreds of tensors at most. */
    for (int32_t i = 1; i < count; i++) {
        int32_t t = order[i], j = i;
        for (; j > 0 && g->tensors[order[j - 1]].bytes < g->tensors[t].bytes; j--)
            order[j] = order[j - 1];
        order[j] = t;
    }
    uint32_t peak = 0;
    for (int32_t i = 0; i < count; i++) {
        msf_tensor *t = &g->tensors[order[i]];
        t->arena_offset = first_fit(g, life, order, i, order[i]);
        if (t->arena_offset + t->bytes > peak)
            peak = t->arena_offset + t->bytes;
    }
    g->model.arena_bytes = peak;
    free(life);
    free(order);
    return 0;
}

uint64_t arena_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t op, int streamed_input)
{
    uint64_t sum = 0;
    tensor_lifetime step = {op, op};
    for (int32_t t = 0; t < g->model.n_tensors; t++)
        if (is_placed(life, t, streamed_input) && overlaps(life[t], step))
            sum += g->tensors[t].bytes;
    return sum;
}
