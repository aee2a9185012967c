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

/* What each laid-out buffer is: a tensor (>= 0), a cache, or step s's sums
 * or input rows. */
#define CACHE (-1)
#define ACC_OF(s) (-2 - 2 * (s))
#define ROWS_OF(s) (-3 - 2 * (s))

/* Whole tensors alternate ends of the arena from step to step, and a step's
 * caches take the end its output does not: a chain then needs no more than
 * its largest step. */
static int32_t collect_buffers(const msf_graph *g, const tensor_lifetime *life, const block_cost *blocks,
                               int32_t n, const int32_t *step, int streamed, layout_buffer *buf, int32_t *tensor_of)
{
    int32_t count = 0;
    for (int32_t t = 0; t < g->model.n_tensors; t++) {
        tensor_lifetime l = life[t];
        /* Produced inside a block, not by its last operator: never whole. */
        if (l.first > l.last || streamed_tensor(g, t, streamed) ||
            (l.first >= 0 && l.first < blocks[step[l.first]].last_op))
            continue;
        int32_t born = l.first < 0 ? 0 : step[l.first];
        int32_t dies = l.last >= g->model.n_ops ? n : l.last < 0 ? 0 : step[l.last];
        uint32_t align = g->tensors[t].dtype == MSF_INT8 ? 1 : 4;
        int32_t high = l.first < 0 ? 0 : born % 2 == 0;
        buf[count] = (layout_buffer){g->tensors[t].bytes, born, dies, align, high, 0};
        tensor_of[count++] = t;
    }
    for (int32_t s = 0; s < n; s++) {
        for (int32_t j = 1; j <= blocks[s].n_caches; j++) {
            buf[count] = (layout_buffer){blocks[s].cache_bytes[j], s, s, 1, s % 2 != 0, 0};
            tensor_of[count++] = CACHE;
        }
        if (blocks[s].acc_bytes) {
            buf[count] = (layout_buffer){blocks[s].acc_bytes, s, s, 4, s % 2 != 0, 0};
            tensor_of[count++] = ACC_OF(s);
        }
        if (blocks[s].input_rows_bytes) {
            buf[count] = (layout_buffer){blocks[s].input_rows_bytes, s, s, 1, 0, 0};
            tensor_of[count++] = ROWS_OF(s);
        }
    }
    return count;
}

static int fill_tables(const block_cost *blocks, int32_t n, int32_t n_tensors, built_plan *out)
{
    int32_t n_caches = 0;
    for (int32_t s = 0; s < n; s++)
        n_caches += blocks[s].n_caches;
    out->blocks = calloc((size_t)n, sizeof *out->blocks);
    out->caches = calloc((size_t)(n_caches ? n_caches : 1), sizeof *out->caches);
    out->tensor_offsets = calloc((size_t)(n_tensors ? n_tensors : 1), sizeof *out->tensor_offsets);
    out->costs = malloc((size_t)n * sizeof *out->costs);
    if (!out->blocks || !out->caches || !out->tensor_offsets || !out->costs)
        return -1;
    memcpy(out->costs, blocks, (size_t)n * sizeof *blocks);
    int32_t c = 0;
    for (int32_t s = 0; s < n; s++) {
        out->blocks[s] = (msf_block){blocks[s].first_op, blocks[s].last_op, blocks[s].scheme, c, 0, 0,
                                     blocks[s].input_rows};
        for (int32_t j = 1; j <= blocks[s].n_caches; j++, c++)
            out->caches[c] = (msf_cache){0, blocks[s].cache_rows[j], blocks[s].cache_cols[j]};
        out->macs += blocks[s].macs;
        if (blocks[s].ram > out->largest_step)
            out->largest_step = blocks[s].ram;
    }
    out->plan.blocks = out->blocks;
    out->plan.n_blocks = n;
    out->plan.caches = out->caches;
    out->plan.n_caches = n_caches;
    out->plan.tensor_offsets = out->tensor_offsets;
    return 0;
}

/* Where the layout put each buffer, into the plan's tables. */
static void record_offsets(const msf_graph *g, const layout_buffer *buf, const int32_t *tensor_of, int32_t count,
                           built_plan *out)
{
    int32_t c = 0;
    for (int32_t i = 0; i < count; i++) {
        int32_t k = tensor_of[i];
        if (k >= 0)
            out->tensor_offsets[k] = buf[i].offset;
        else if (k == CACHE)
            out->caches[c++].offset = buf[i].offset;
        else if ((-k) % 2 == 0)
            out->blocks[(-2 - k) / 2].acc_offset = buf[i].offset;
        else
            out->blocks[(-3 - k) / 2].rows_offset = buf[i].offset;
    }
    for (int32_t o = 0; o < g->model.n_ops; o++) {
        int32_t t = g->ops[o].output, in = reshape_alias(g, t);
        if (in >= 0)
            out->tensor_offsets[t] = out->tensor_offsets[in];
    }
}

int plan_build(msf_graph *g, const block_cost *blocks, int32_t n, int streamed, built_plan *out)
{
    memset(out, 0, sizeof *out);
    out->plan.streamed = streamed;
    tensor_lifetime *life = tensor_lifetimes(g);
    int32_t *step = steps_of_ops(g, blocks, n);
    int32_t max_buffers = g->model.n_tensors + 3 * g->model.n_ops;
    layout_buffer *buf = malloc((size_t)max_buffers * sizeof *buf);
    int32_t *tensor_of = malloc((size_t)max_buffers * sizeof *tensor_of);
    int rc = LAYOUT_NO_MEMORY;
    if (life && step && buf && tensor_of && fill_tables(blocks, n, g->model.n_tensors, out) == 0) {
        int32_t count = collect_buffers(g, life, blocks, n, step, streamed, buf, tensor_of);
        uint32_t size;
        rc = layout_place(buf, count, &size);
        if (rc == LAYOUT_OK) {
            record_offsets(g, buf, tensor_of, count, out);
            out->plan.arena_bytes = size;
        }
    }
    free(life);
    free(step);
    free(buf);
    free(tensor_of);
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
            rc = block_cost_exact(g, life, o, o, block_default_scheme(g, o, o, streamed), streamed, &blocks[o]);
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
    free(p->caches);
    free(p->tensor_offsets);
    free(p->costs);
    memset(p, 0, sizeof *p);
}
