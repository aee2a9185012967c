/* The plan executor: blocks in order, each by the runner of its scheme
 * (run_whole.c, run_hcache.c, run_linebuf.c; in-place steps run_whole.c's). */
#include "exec.h"

void *msf_tensor_data(const msf_model *m, const msf_plan *plan, uint8_t *arena, int32_t tensor)
{
    const msf_tensor *t = &m->tensors[tensor];
    if (t->data)
        return (void *)(uintptr_t)t->data;
    int32_t b = plan->tensor_buffers[tensor];
    return b >= 0 ? (void *)(arena + plan->buffers[b].offset) : NULL;
}

void *exec_tensor_data(const exec_ctx *x, int32_t tensor)
{
    if (tensor == x->streamed_tensor)
        return (void *)(uintptr_t)x->streamed;
    if (tensor == x->streamed_out_tensor)
        return x->streamed_out;
    return msf_tensor_data(x->m, x->plan, x->arena, tensor);
}

const msf_buffer *exec_arena_buffer(const exec_ctx *x, int32_t t)
{
    if (t == x->streamed_tensor || t == x->streamed_out_tensor || x->m->tensors[t].data)
        return NULL;
    int32_t b = x->plan->tensor_buffers[t];
    return b >= 0 && b < x->plan->n_buffers ? &x->plan->buffers[b] : NULL;
}

int64_t exec_arena_place(const exec_ctx *x, int32_t t)
{
    const msf_buffer *b = exec_arena_buffer(x, t);
    return b ? (int64_t)b->offset : -1;
}

void exec_fetch_rows(const exec_ctx *x, uint32_t offset, int32_t lo, int32_t hi, const msf_quantize_params *q)
{
    if (exec_counting(x)) {
        x->count->input_rows = hi - lo + 1 > x->count->input_rows ? hi - lo + 1 : x->count->input_rows;
        return;
    }
    const msf_tensor *in = &x->m->tensors[x->streamed_tensor];
    int32_t row_bytes = (int32_t)(in->bytes / (uint32_t)in->dims[1]), values = in->dims[2] * in->dims[3];
    for (int32_t y = lo; y <= hi; y++) {
        const uint8_t *row = (const uint8_t *)x->rows->row(x->rows->ctx, y);
        if (q)
            quantize_f32_s8(q, row, values, (int8_t *)(x->arena + offset + (uint32_t)((y - lo) * values)));
        else
            exec_copy(x->arena + offset + (uint32_t)((y - lo) * row_bytes), row, (uint32_t)row_bytes);
    }
}

/* The runners, by scheme. */
static msf_status (*const runners[MSF_SCHEME_COUNT])(exec_ctx *, const msf_block *) = {
    exec_run_whole, exec_run_hcache, exec_run_linebuf, exec_run_whole};

static msf_status run_block(exec_ctx *x, const msf_block *b)
{
    if (b->scheme < 0 || b->scheme >= MSF_SCHEME_COUNT)
        return MSF_ERR_UNKNOWN_OP;
    return runners[b->scheme](x, b);
}

static msf_status run_plan(exec_ctx *x, const msf_plan *plan, uint32_t arena_bytes)
{
    if (arena_bytes < plan->arena_bytes)
        return MSF_ERR_ARENA_TOO_SMALL;
    if ((plan->streamed & MSF_STREAM_OUTPUT) && !x->streamed_out)
        return MSF_ERR_NO_OUTPUT;
    for (int32_t i = 0; i < plan->n_blocks; i++) {
        msf_status s = run_block(x, &plan->blocks[i]);
        if (s != MSF_OK)
            return s;
    }
    return MSF_OK;
}

/* Every way in: the input by pointer (held inputs are in the arena
 * already) or a row at a time, as the plan takes it. */
static msf_status run_with(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                           const void *input, const msf_row_source *rows, void *output, msf_tally *ran)
{
    int by_rows = (plan->streamed & MSF_STREAM_INPUT_ROWS) != 0;
    if (by_rows != (rows != 0) || ((plan->streamed & MSF_STREAM_INPUT) && !input))
        return MSF_ERR_NO_INPUT;
    exec_ctx x = {m, plan, arena, (plan->streamed & MSF_STREAM_ANY_INPUT) ? m->inputs[0] : -1, input,
                  (plan->streamed & MSF_STREAM_OUTPUT) ? m->outputs[0] : -1, output, rows, 0, ran};
    return run_plan(&x, plan, arena_bytes);
}

msf_status msf_run_plan_streams(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                                const void *input, void *output)
{
    return run_with(m, plan, arena, arena_bytes, input, 0, output, 0);
}

msf_status msf_run_plan_rows(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                             const msf_row_source *rows, void *output)
{
    return rows ? run_with(m, plan, arena, arena_bytes, 0, rows, output, 0) : MSF_ERR_NO_INPUT;
}

msf_status msf_run_plan(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                        const void *streamed)
{
    return msf_run_plan_streams(m, plan, arena, arena_bytes, streamed, 0);
}

#ifdef MSF_COUNT_MACS
msf_status msf_run_plan_tallied(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                                const void *input, const msf_row_source *rows, void *output, msf_tally *ran)
{
    return run_with(m, plan, arena, arena_bytes, input, rows, output, ran);
}

/* The counting passes of the swept schemes, by scheme. */
static void (*const counters[MSF_SCHEME_COUNT])(exec_ctx *, const msf_block *) = {0, exec_count_hcache,
                                                                                   exec_count_linebuf, 0};

void msf_count_block(const msf_model *m, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile_rows,
                     int input_rows, int ring, msf_block_count *c)
{
    static const msf_block_count zero;
    *c = zero;
    c->ops = &m->ops[first_op];
    msf_node nodes[MSF_MAX_FUSED];
    int32_t n = last_op - first_op + 1, swept;
    if (n < 1 || n > MSF_MAX_FUSED || scheme < 0 || scheme >= MSF_SCHEME_COUNT || !counters[scheme])
        return;
    msf_sink sink = msf_block_sink(m, &m->ops[first_op], n, &swept);
    for (int32_t j = 0; j < n; j++)
        nodes[j] = msf_block_node(m, first_op, first_op + j, -1);
    if (msf_fetch_quantizes(m, first_op, n, input_rows))
        nodes[0].out = 0; /* the block's rows buffer */
    msf_block b = {scheme, sink, 0, n, swept, -1, input_rows ? 0 : -1, tile_rows, ring ? 0 : -1};
    msf_plan plan = {&b, 1, nodes, n, 0, 0, 0, 0, 0};
    exec_ctx x = {m, &plan, 0, -1, 0, -1, 0, 0, c, 0};
    counters[scheme](&x, &b);
}
#endif
