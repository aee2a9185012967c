#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"

int tensor_readers(const msf_graph *g, int32_t tensor)
{
    return g->readers[tensor];
}

int32_t reshape_alias(const msf_graph *g, int32_t tensor)
{
    int32_t o = g->producer[tensor];
    if (o < 0 || g->ops[o].type != MSF_OP_RESHAPE)
        return -1;
    int32_t in = g->ops[o].inputs[0];
    /* A producer of -1 marks a graph input. */
    if (g->tensors[in].data || g->producer[in] == -1 || g->readers[in] != 1)
        return -1;
    return in;
}

/* What tensor_lifetimes stores after the lifetimes, per operator o: the
 * bytes of the tensors it produces, and of those alive across the boundary
 * before it (produced before o, read at o or later). */
typedef struct {
    uint64_t born, crossing;
} step_bytes;

_Static_assert(sizeof(tensor_lifetime) % _Alignof(step_bytes) == 0, "the sums follow the lifetimes aligned");

static void sum_steps(const msf_graph *g, const tensor_lifetime *life, step_bytes *sums)
{
    int32_t steps = g->model.n_ops + 2;
    memset(sums, 0, (size_t)steps * sizeof *sums);
    /* crossing: +bytes from first + 1 to last, as differences first. */
    for (int32_t t = 0; t < g->model.n_tensors; t++) {
        tensor_lifetime l = life[t];
        if (l.first > l.last)
            continue;
        uint32_t bytes = g->tensors[t].bytes;
        if (l.first >= 0)
            sums[l.first].born += bytes;
        sums[l.first + 1].crossing += bytes;
        sums[l.last + 1].crossing -= bytes;
    }
    for (int32_t o = 1; o < steps; o++)
        sums[o].crossing += sums[o - 1].crossing;
}

tensor_lifetime *tensor_lifetimes(const msf_graph *g)
{
    const msf_model *m = &g->model;
    tensor_lifetime *life = malloc((size_t)m->n_tensors * sizeof *life + ((size_t)m->n_ops + 2) * sizeof(step_bytes));
    int32_t *root = malloc((size_t)(m->n_tensors ? m->n_tensors : 1) * sizeof *root);
    if (!life || !root) {
        free(life);
        free(root);
        return NULL;
    }
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
    /* In op order, so that a reshape's input (made by an earlier op) knows
     * the first tensor of its chain of reshapes: that one lives on. */
    for (int32_t o = 0; o < m->n_ops; o++) {
        int32_t t = m->ops[o].output, in = reshape_alias(g, t);
        root[t] = in < 0 ? t : root[in];
        if (in < 0)
            continue;
        life[root[t]].last = life[t].last;
        life[t] = (tensor_lifetime){m->n_ops + 1, -2};
    }
    free(root);
    sum_steps(g, life, (step_bytes *)(void *)(life + m->n_tensors));
    return life;
}

int streamed_tensor(const msf_graph *g, int32_t t, int streamed)
{
    return ((streamed & (MSF_STREAM_INPUT | MSF_STREAM_INPUT_ROWS)) && t == g->model.inputs[0]) ||
           ((streamed & MSF_STREAM_OUTPUT) && t == g->model.outputs[0]);
}

/* Whether arena_live_bytes counts a tensor of lifetime l. */
static int live_in_step(tensor_lifetime l, int32_t first_op, int32_t last_op)
{
    int intermediate = l.first >= first_op && l.first < last_op;
    return l.first <= l.last && l.last >= first_op && l.first <= last_op && !intermediate;
}

/* The tensors counted are those produced by last_op, and those alive
 * across the boundary before first_op; the sums include the streamed
 * tensors, taken out here. */
uint64_t arena_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t first_op,
                          int32_t last_op, int streamed)
{
    const step_bytes *sums = (const step_bytes *)(const void *)(life + g->model.n_tensors);
    uint64_t sum = sums[last_op].born + sums[first_op].crossing;
    int32_t in = g->model.inputs[0], out = g->model.outputs[0];
    if (streamed_tensor(g, in, streamed) && live_in_step(life[in], first_op, last_op))
        sum -= g->tensors[in].bytes;
    if (out != in && streamed_tensor(g, out, streamed) && live_in_step(life[out], first_op, last_op))
        sum -= g->tensors[out].bytes;
    return sum;
}

static uint64_t align_up(uint64_t x, uint32_t align)
{
    return (x + align - 1) / align * align;
}

/* What placing buffers in some order needs: the placed buffers alive with
 * the next one, found without looking at the others. The buffers sorted by
 * first step are the leaves of a segment tree whose nodes hold the latest
 * last step of the placed buffers below (INT32_MIN: none placed). */
typedef struct {
    layout_buffer *b;
    int32_t n, leaves;       /* leaves: a power of two >= n */
    layout_buffer **by_first, **by_last;
    int32_t *leaf_of;        /* b[i] is leaf leaf_of[i] */
    int32_t *tree;           /* 2 * leaves nodes; node 1 is the root */
    layout_buffer **near;    /* the buffers alive with the one being placed */
    uint64_t *ends;          /* ends[i]: the greatest end among near[0..i] */
    uint64_t *cands;         /* the offsets where those placed so far fit */
    uint8_t *follows;        /* b[i] is placed with another (layout_buffer.with) */
} placer;

static int cmp_first(const void *x, const void *y)
{
    const layout_buffer *a = *(const layout_buffer *const *)x, *b = *(const layout_buffer *const *)y;
    return a->first != b->first ? (a->first > b->first) - (a->first < b->first) : (a > b) - (a < b);
}

static int cmp_last(const void *x, const void *y)
{
    const layout_buffer *a = *(const layout_buffer *const *)x, *b = *(const layout_buffer *const *)y;
    return a->last != b->last ? (a->last > b->last) - (a->last < b->last) : (a > b) - (a < b);
}

static int cmp_offset(const void *x, const void *y)
{
    const layout_buffer *a = *(const layout_buffer *const *)x, *b = *(const layout_buffer *const *)y;
    return (a->offset > b->offset) - (a->offset < b->offset);
}

/* The placement orders, as the stable insertion sort that first made them:
 * by birth step then size (largest first), or by size alone; ties keep the
 * buffers' order. */
static int cmp_birth(const void *x, const void *y)
{
    const layout_buffer *a = *(const layout_buffer *const *)x, *b = *(const layout_buffer *const *)y;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return (a > b) - (a < b);
}

static int cmp_size(const void *x, const void *y)
{
    const layout_buffer *a = *(const layout_buffer *const *)x, *b = *(const layout_buffer *const *)y;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return (a > b) - (a < b);
}

static layout_buffer **sorted(layout_buffer *b, int32_t n, int (*cmp)(const void *, const void *))
{
    layout_buffer **order = malloc((size_t)(n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (int32_t i = 0; i < n; i++)
        order[i] = &b[i];
    qsort(order, (size_t)n, sizeof *order, cmp);
    return order;
}

static void placer_free(placer *p)
{
    free(p->by_first);
    free(p->by_last);
    free(p->leaf_of);
    free(p->tree);
    free(p->near);
    free(p->ends);
    free(p->cands);
    free(p->follows);
}

/* The buffer placed with b (layout_buffer.with), or NULL. */
static layout_buffer *follower(const placer *p, const layout_buffer *b)
{
    return b->with > 0 && b->with <= p->n ? &p->b[b->with - 1] : NULL;
}

static int placer_init(placer *p, layout_buffer *b, int32_t n)
{
    memset(p, 0, sizeof *p);
    p->b = b;
    p->n = n;
    for (p->leaves = 1; p->leaves < n; p->leaves *= 2)
        ;
    size_t count = (size_t)(n ? n : 1);
    p->by_first = sorted(b, n, cmp_first);
    p->by_last = sorted(b, n, cmp_last);
    p->leaf_of = malloc(count * sizeof *p->leaf_of);
    p->tree = malloc(2 * (size_t)p->leaves * sizeof *p->tree);
    p->near = malloc(count * sizeof *p->near);
    p->ends = malloc(count * sizeof *p->ends);
    p->cands = malloc((count + 1) * LAYOUT_MAX_TIED * sizeof *p->cands);
    p->follows = calloc(count, 1);
    if (!p->by_first || !p->by_last || !p->leaf_of || !p->tree || !p->near || !p->ends || !p->cands || !p->follows) {
        placer_free(p);
        return -1;
    }
    for (int32_t i = 0; i < n; i++) {
        p->leaf_of[p->by_first[i] - b] = i;
        if (b[i].with > 0 && b[i].with <= n)
            p->follows[b[i].with - 1] = 1;
    }
    /* A chain longer than LAYOUT_MAX_TIED goes on as a chain of its own. */
    for (int32_t i = 0; i < n; i++) {
        if (p->follows[i])
            continue;
        int32_t m = 1;
        for (const layout_buffer *w = follower(p, &b[i]); w && m <= n; w = follower(p, w), m++)
            if (m % LAYOUT_MAX_TIED == 0)
                p->follows[w - b] = 0;
    }
    return 0;
}

/* The most bytes alive at one step (no layout can use less), and how many
 * pairs of buffers are alive together (the work of placing them), in one
 * sweep over the steps where buffers are born. */
static uint64_t bound(const placer *p, uint64_t *pairs)
{
    uint64_t alive = 0, best = 0;
    *pairs = 0;
    for (int32_t i = 0, j = 0; i < p->n; i++) {
        const layout_buffer *b = p->by_first[i];
        for (; j < p->n && p->by_last[j]->last < b->first; j++)
            alive -= p->by_last[j]->size;
        *pairs += (uint64_t)(i - j); /* the earlier-born still alive */
        alive += b->size;
        if (alive > best)
            best = alive;
    }
    return best;
}

/* Appends to near the placed buffers under node (leaves [lo, hi)) among the
 * first m leaves whose last step is at least first. */
static void collect(placer *p, layout_buffer **near, int32_t node, int32_t lo, int32_t hi, int32_t m, int32_t first,
                    int32_t *k)
{
    if (lo >= m || p->tree[node] < first)
        return;
    if (hi - lo == 1) {
        near[(*k)++] = p->by_first[lo];
        return;
    }
    int32_t mid = lo + (hi - lo) / 2;
    collect(p, near, 2 * node, lo, mid, m, first, k);
    collect(p, near, 2 * node + 1, mid, hi, m, first, k);
}

/* The placed buffers alive with b into near; returns how many. */
static int32_t alive_with(placer *p, const layout_buffer *b, layout_buffer **near)
{
    int32_t lo = 0, hi = p->n, k = 0;
    while (lo < hi) { /* leaves born at or before b's last step: [0, lo) */
        int32_t mid = lo + (hi - lo) / 2;
        if (p->by_first[mid]->first <= b->last)
            lo = mid + 1;
        else
            hi = mid;
    }
    collect(p, near, 1, 0, p->leaves, lo, b->first, &k);
    return k;
}

static void mark_placed(placer *p, const layout_buffer *b)
{
    int32_t node = p->leaves + p->leaf_of[b - p->b];
    p->tree[node] = b->last;
    for (node /= 2; node >= 1; node /= 2)
        p->tree[node] = p->tree[2 * node] > p->tree[2 * node + 1] ? p->tree[2 * node] : p->tree[2 * node + 1];
}

/* Whether [at, at + size) collides with one of near[0..k) (sorted by
 * offset): one of those starting below at + size ends after at. A buffer
 * of size 0 collides only strictly inside another, and nothing collides
 * with it but across its offset. */
static int collides(layout_buffer *const *near, const uint64_t *ends, int32_t k, uint64_t at, uint32_t size)
{
    int32_t lo = 0, hi = k;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (near[mid]->offset < at + size)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && ends[lo - 1] > at;
}

/* near[0..k) sorted by offset, and the running greatest end of each. */
static void sort_near(layout_buffer **near, uint64_t *ends, int32_t k)
{
    qsort(near, (size_t)k, sizeof *near, cmp_offset);
    uint64_t end = 0;
    for (int32_t i = 0; i < k; i++) {
        uint64_t e = (uint64_t)near[i]->offset + near[i]->size;
        end = e > end ? e : end;
        ends[i] = end;
    }
}

/* Where follower w lies from the start of the buffer b it follows: at
 * its start, or at its end when b is placed from the top. */
static uint64_t follower_at(const layout_buffer *b, const layout_buffer *w, int high)
{
    return high && b->size > w->size ? b->size - w->size : 0;
}

/* The lowest (or, with high, the highest) offset, a multiple of b->align, in [0, limit) where
 * b fits beside the placed buffers alive with it, and so does each buffer
 * placed with it (its followers, follower_at) beside those alive with that
 * one. The candidates: for each of them, the ends of the arena and the
 * edges of its neighbours. Returns UINT32_MAX when it does not fit. */
static uint32_t fit(placer *p, const layout_buffer *b, uint32_t limit, int high)
{
    const layout_buffer *chain[LAYOUT_MAX_TIED];
    uint64_t rel[LAYOUT_MAX_TIED];
    int32_t m = 0, n = 0;
    for (const layout_buffer *w = b; w && m < LAYOUT_MAX_TIED; w = follower(p, w), m++) {
        chain[m] = w;
        rel[m] = m == 0 ? 0 : rel[m - 1] + follower_at(chain[m - 1], w, high);
    }
    for (int32_t j = 0; j < m; j++) {
        const layout_buffer *w = chain[j];
        int32_t k = alive_with(p, w, p->near);
        for (int32_t i = -1; i < k; i++) {
            uint64_t at;
            if (high) {
                uint64_t edge = i < 0 ? limit : p->near[i]->offset;
                if (edge < w->size + rel[j])
                    continue;
                at = edge - w->size - rel[j];
            } else {
                uint64_t edge = i < 0 ? 0 : (uint64_t)p->near[i]->offset + p->near[i]->size;
                if (edge < rel[j])
                    continue;
                at = edge - rel[j];
            }
            at = high ? at / b->align * b->align : align_up(at, b->align);
            p->cands[n++] = at;
        }
    }
    for (int32_t j = 0; j < m && n > 0; j++) {
        const layout_buffer *w = chain[j];
        int32_t k = alive_with(p, w, p->near), kept = 0;
        sort_near(p->near, p->ends, k);
        for (int32_t i = 0; i < n; i++) {
            uint64_t at = p->cands[i] + rel[j];
            if (at + w->size <= limit && !collides(p->near, p->ends, k, at, w->size))
                p->cands[kept++] = p->cands[i];
        }
        n = kept;
    }
    uint32_t best = UINT32_MAX;
    for (int32_t i = 0; i < n; i++)
        if (best == UINT32_MAX || (high ? p->cands[i] > best : p->cands[i] < best))
            best = (uint32_t)p->cands[i];
    return best;
}

/* Places the buffers in the given order (a follower with the buffer it
 * follows); 0, or -1 if one does not fit below limit. */
static int place_in_order(placer *p, layout_buffer **order, uint32_t limit, int use_hint)
{
    for (int32_t i = 0; i < 2 * p->leaves; i++)
        p->tree[i] = INT32_MIN;
    for (int32_t i = 0; i < p->n; i++) {
        layout_buffer *b = order[i];
        if (p->follows[b - p->b])
            continue;
        int high = use_hint && b->high;
        uint32_t at = fit(p, b, limit, high);
        if (at == UINT32_MAX)
            return -1;
        b->offset = at;
        mark_placed(p, b);
        layout_buffer *v = b, *w = follower(p, b);
        for (int32_t m = 1; w && m < LAYOUT_MAX_TIED; v = w, w = follower(p, w), m++) {
            w->offset = v->offset + (uint32_t)follower_at(v, w, high);
            mark_placed(p, w);
        }
    }
    return 0;
}

static uint32_t arena_end(const layout_buffer *b, int32_t n)
{
    uint32_t end = 0;
    for (int32_t i = 0; i < n; i++)
        if (b[i].offset + b[i].size > end)
            end = b[i].offset + b[i].size;
    return end;
}

/* Hinted placement within the bound, or else within the bound plus what
 * aligning the float buffers may cost; failing both, first-fit
 * by size. UINT32_MAX when even first fit fails: more than 4 GiB alive at
 * once. */
static uint32_t place(placer *p, layout_buffer **by_birth, layout_buffer **by_size, uint32_t *hinted,
                      uint64_t exact)
{
    layout_buffer *b = p->b;
    int32_t n = p->n;
    uint64_t slack = 0;
    for (int32_t i = 0; i < n; i++)
        slack += b[i].align - 1;
    int ok = exact < UINT32_MAX && place_in_order(p, by_birth, (uint32_t)exact, 1) == 0;
    if (!ok && slack)
        ok = exact + slack < UINT32_MAX && place_in_order(p, by_birth, (uint32_t)(exact + slack), 1) == 0;
    for (int32_t i = 0; ok && i < n; i++)
        hinted[i] = b[i].offset;
    uint32_t hinted_end = ok ? arena_end(b, n) : UINT32_MAX;
    uint32_t result = place_in_order(p, by_size, UINT32_MAX, 0) == 0 ? arena_end(b, n) : UINT32_MAX;
    if (hinted_end <= result && ok) {
        for (int32_t i = 0; i < n; i++)
            b[i].offset = hinted[i];
        result = hinted_end;
    }
    return result;
}

int layout_place(layout_buffer *b, int32_t n, uint32_t *arena_bytes)
{
    placer p;
    if (placer_init(&p, b, n))
        return LAYOUT_NO_MEMORY;
    layout_buffer **by_birth = sorted(b, n, cmp_birth), **by_size = sorted(b, n, cmp_size);
    uint32_t *hinted = malloc((size_t)(n ? n : 1) * sizeof *hinted);
    int rc = LAYOUT_NO_MEMORY;
    if (by_birth && by_size && hinted) {
        uint64_t pairs, exact = bound(&p, &pairs);
        uint32_t size = pairs > LAYOUT_MAX_PAIRS ? UINT32_MAX : place(&p, by_birth, by_size, hinted, exact);
        rc = pairs > LAYOUT_MAX_PAIRS ? LAYOUT_TOO_BUSY : size == UINT32_MAX ? LAYOUT_TOO_LARGE : LAYOUT_OK;
        *arena_bytes = size;
    }
    placer_free(&p);
    free(by_birth);
    free(by_size);
    free(hinted);
    return rc;
}
