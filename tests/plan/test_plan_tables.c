/* The runtime checks the schedule tables it is given: a fused block of
 * gap_mean.spec (three convolutions into a global pool) runs under its
 * plan, as H-cache and as line buffers, and each table made wrong in one
 * place (a cache or a rows buffer a row short at the arena's end, a buffer
 * past the arena, a column short, of another kind, sums of another count,
 * a sink or swept node other than the operators', nodes that are no chain,
 * a block past the nodes) is refused with MSF_ERR_BAD_PLAN before anything
 * is written past a buffer (the sanitizer build would see it). A block
 * with a fork and a join (branch_block.spec) runs as line buffers, and is
 * refused as an H-cache or with its join reading another node; an in-place
 * step runs, and an overlap its kernel's order does not make safe is
 * refused (check_inplace). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "graph.h"
#include "measured_run.h"
#include "plan_build.h"

#define SPEC MSF_SOURCE_DIR "/tests/plan/gap_mean.spec"
#define BRANCH_SPEC MSF_SOURCE_DIR "/tests/plan/branch_block.spec"

/* The graph of a spec file; 0, or -1 (checked). */
static int load_spec(const char *path, msf_graph *g)
{
    char err[256];
    if (graph_load(path, g, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "%s\n", err);
    CHECK(0);
    return -1;
}

static msf_status run(const msf_graph *g, const msf_plan *plan, const uint8_t *input, uint8_t *output)
{
    run_measure r;
    return (msf_status)measured_run(&g->model, plan, input, output, &r);
}

/* The plan: ops 0..last one block of the scheme, the rest alone. */
static int build(msf_graph *g, int32_t last, int32_t scheme, built_plan *bp)
{
    tensor_lifetime *life = tensor_lifetimes(g);
    block_cost costs[8];
    int32_t n = 0, rc = !life;
    rc = rc || block_cost_exact(g, life, 0, last, scheme, 1, 0, 0, &costs[n++]);
    for (int32_t o = last + 1; !rc && o < g->model.n_ops; o++)
        rc = block_cost_exact(g, life, o, o, MSF_SCHEME_WHOLE, 1, 0, 0, &costs[n++]);
    free(life);
    return rc || plan_build(g, costs, n, 0, bp);
}

/* Input bytes of the model, and its output layer by layer into expected. */
static uint8_t *reference_run(msf_graph *g, uint8_t *expected)
{
    uint32_t in_bytes = g->model.tensors[g->model.inputs[0]].bytes;
    uint8_t *input = malloc(in_bytes);
    built_plan layers;
    if (!input || plan_build_layers(g, 0, &layers) != 0) {
        free(input);
        return NULL;
    }
    for (uint32_t i = 0; i < in_bytes; i++)
        input[i] = (uint8_t)(i * 37u + 11u);
    CHECK_EQ_INT(run(g, &layers.plan, input, expected), MSF_OK);
    built_plan_free(&layers);
    return input;
}

/* Block s of bp has a ring of output rows: the runtime refuses the plan
 * without it and with it a row short (each restored after). */
static void check_ring_refused(const msf_graph *g, built_plan *bp, int32_t s, const uint8_t *input, uint8_t *output)
{
    msf_block *b = &bp->blocks[s];
    int32_t ring = b->ring;
    b->ring = -1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    b->ring = ring;
    bp->buffers[ring].rows -= 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    bp->buffers[ring].rows += 1;
}

/* The branch block: byte-identical to layer by layer as line buffers; an
 * H-cache runs chains only, and a join must read the nodes its operator
 * reads. */
static void check_branches(void)
{
    msf_graph g;
    if (load_spec(BRANCH_SPEC, &g))
        return;
    uint32_t out_bytes = g.model.tensors[g.model.outputs[0]].bytes;
    uint8_t *expected = malloc(out_bytes), *output = malloc(out_bytes);
    uint8_t *input = expected && output ? reference_run(&g, expected) : NULL;
    built_plan bp;
    CHECK(input && build(&g, 4, MSF_SCHEME_LINEBUF, &bp) == 0);
    if (input) {
        CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_OK);
        CHECK(memcmp(output, expected, out_bytes) == 0);
        msf_block *b = &bp.blocks[0];
        msf_node *join = &bp.nodes[b->first_node + 4];
        CHECK_EQ_INT(join->in[0], 2);
        CHECK_EQ_INT(join->in[1], 3);
        b->scheme = MSF_SCHEME_HCACHE;
        CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_ERR_BAD_PLAN);
        b->scheme = MSF_SCHEME_LINEBUF;
        join->in[0] = 1; /* node 1's map has the same shape */
        CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_ERR_BAD_PLAN);
        join->in[0] = 2;
        CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_OK);
        built_plan_free(&bp);
    }
    free(input), free(expected), free(output);
    graph_free(&g);
}

/* Each corruption of the block's first cache (node 0's output buffer), its
 * sums and its nodes, one at a time, then restored. */
static void check_refusals(const msf_graph *g, built_plan *bp, const uint8_t *input, uint8_t *output)
{
    msf_block *b = &bp->blocks[0];
    msf_buffer *cache = &bp->buffers[bp->nodes[b->first_node].out], saved = *cache;
    /* A row short, and at the arena's end: refused before a byte is written
     * past it (the sanitizer build would see the write). */
    cache->rows -= 1;
    cache->bytes = (uint32_t)(cache->rows * cache->cols * cache->channels);
    cache->offset = bp->plan.arena_bytes - cache->bytes;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    *cache = saved;
    cache->offset = bp->plan.arena_bytes - cache->bytes + 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    *cache = saved;
    cache->cols -= 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    *cache = saved;
    cache->kind = cache->kind == MSF_BUF_ROWS ? MSF_BUF_COLUMNS : MSF_BUF_ROWS;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    *cache = saved;
    cache->channels += 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    *cache = saved;

    CHECK(b->sums >= 0);
    bp->buffers[b->sums].channels += 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    bp->buffers[b->sums].channels -= 1;
    int32_t sums = b->sums;
    b->sums = -1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    b->sums = sums;

    int32_t sink = b->sink, swept = b->swept;
    b->sink = MSF_SINK_TENSOR;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    b->sink = sink;
    b->swept = b->n_nodes - 1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    b->swept = swept;

    msf_node *second = &bp->nodes[b->first_node + 1];
    second->in[0] = -1;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    second->in[0] = 0;
    b->n_nodes += bp->plan.n_nodes;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_ERR_BAD_PLAN);
    b->n_nodes -= bp->plan.n_nodes;
    CHECK_EQ_INT(run(g, &bp->plan, input, output), MSF_OK);
}

/* The block reading the input a row at a time, its rows buffer a row
 * short at the arena's end: refused before the fetch writes past it. */
static void check_rows_buffer(msf_graph *g, int32_t scheme, const uint8_t *input, uint8_t *output)
{
    tensor_lifetime *life = tensor_lifetimes(g);
    block_cost costs[8];
    int32_t n = 0, rc = !life;
    rc = rc || block_cost_exact(g, life, 0, 3, scheme, 1, 0, MSF_STREAM_INPUT_ROWS, &costs[n++]);
    for (int32_t o = 4; !rc && o < g->model.n_ops; o++)
        rc = block_cost_exact(g, life, o, o, MSF_SCHEME_WHOLE, 1, 0, MSF_STREAM_INPUT_ROWS, &costs[n++]);
    free(life);
    built_plan bp;
    CHECK(!rc && plan_build(g, costs, n, MSF_STREAM_INPUT_ROWS, &bp) == 0);
    if (rc)
        return;
    CHECK_EQ_INT(run(g, &bp.plan, input, output), MSF_OK);
    CHECK(bp.blocks[0].input_rows >= 0);
    msf_buffer *rows = &bp.buffers[bp.blocks[0].input_rows];
    rows->rows -= 1;
    rows->bytes = (uint32_t)(rows->rows * rows->cols * rows->channels * rows->elem_bytes);
    rows->offset = bp.plan.arena_bytes - rows->bytes;
    CHECK_EQ_INT(run(g, &bp.plan, input, output), MSF_ERR_BAD_PLAN);
    built_plan_free(&bp);
}

/* exporter_style.spec layer by layer, its first depthwise convolution (a
 * ring of two rows) and its residual ADD in place (MSF_SCHEME_INPLACE): the
 * same bytes; then the ADD's output a byte after its operand (an overlap
 * the kernel's order does not make safe), the depthwise step without its
 * ring or with a row short, and a convolution's output over its input in
 * the plain plan: each refused before the kernel writes. */
static void check_inplace(void)
{
    msf_graph g;
    if (load_spec(MSF_SOURCE_DIR "/tests/plan/exporter_style.spec", &g))
        return;
    const msf_model *m = &g.model;
    uint32_t in_bytes = m->tensors[m->inputs[0]].bytes, out_bytes = m->tensors[m->outputs[0]].bytes;
    uint8_t *input = malloc(in_bytes), *expected = malloc(out_bytes), *output = malloc(out_bytes);
    tensor_lifetime *life = tensor_lifetimes(&g);
    block_cost *costs = malloc((size_t)m->n_ops * sizeof *costs);
    built_plan layers, bp;
    CHECK(input && expected && output && life && costs);
    for (uint32_t i = 0; input && i < in_bytes; i++)
        input[i] = (uint8_t)(i * 29u + 5u);
    CHECK_EQ_INT(plan_build_layers(&g, 0, &layers), 0);
    CHECK_EQ_INT(run(&g, &layers.plan, input, expected), MSF_OK);
    int32_t add = -1, dw = 2;
    CHECK_EQ_INT(m->ops[dw].type, MSF_OP_DEPTHWISE_CONV2D);
    for (int32_t o = 0; costs && life && o < m->n_ops; o++) {
        int in_place = m->ops[o].type == MSF_OP_ADD || o == dw;
        int32_t scheme = in_place ? MSF_SCHEME_INPLACE : MSF_SCHEME_WHOLE;
        add = m->ops[o].type == MSF_OP_ADD ? o : add;
        CHECK(block_scheme_runs(&g, o, o, scheme, 0));
        CHECK_EQ_INT(block_cost_exact(&g, life, o, o, scheme, 1, 0, 0, &costs[o]), 0);
    }
    CHECK(add >= 0 && plan_build(&g, costs, m->n_ops, 0, &bp) == 0);
    CHECK(bp.plan.arena_bytes <= layers.plan.arena_bytes);
    CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_OK);
    CHECK(memcmp(output, expected, out_bytes) == 0);
    const msf_op *op = &m->ops[add];
    int32_t k = block_inplace_operand(&g, add, 0);
    msf_buffer *out = &bp.buffers[bp.tensor_buffers[op->output]];
    const msf_buffer *operand = &bp.buffers[bp.tensor_buffers[op->inputs[k]]];
    CHECK_EQ_INT(out->offset, operand->offset);
    out->offset += 1;
    CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_ERR_BAD_PLAN);
    out->offset -= 1;
    CHECK(bp.blocks[dw].ring >= 0 && bp.buffers[bp.blocks[dw].ring].rows == 2);
    check_ring_refused(&g, &bp, dw, input, output);
    CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_OK);
    msf_buffer *conv_out = &layers.buffers[layers.tensor_buffers[m->ops[1].output]];
    conv_out->offset = layers.buffers[layers.tensor_buffers[m->ops[1].inputs[0]]].offset;
    CHECK_EQ_INT(run(&g, &layers.plan, input, output), MSF_ERR_BAD_PLAN);
    built_plan_free(&bp);
    built_plan_free(&layers);
    free(input), free(expected), free(output), free(life), free(costs);
    graph_free(&g);
}

/* over_input.spec's inverted residuals (ops 1..3, of one size, in two-row
 * steps; ops 4..6, of stride 2) as H-cache blocks, each output over its
 * input: byte-identical to layer by layer in fewer bytes than beside it,
 * the smaller output inside its input's bytes; the runtime refuses the
 * first without its ring, with a ring a row short or of other columns. */
static void check_over_input(void)
{
    msf_graph g;
    if (load_spec(MSF_SOURCE_DIR "/tests/plan/over_input.spec", &g))
        return;
    const msf_model *m = &g.model;
    uint32_t out_bytes = m->tensors[m->outputs[0]].bytes;
    uint8_t *expected = malloc(out_bytes), *output = malloc(out_bytes);
    uint8_t *input = expected && output ? reference_run(&g, expected) : NULL;
    tensor_lifetime *life = tensor_lifetimes(&g);
    CHECK(input && life && block_over_input(&g, 1, 3, MSF_SCHEME_HCACHE, 0) &&
          block_over_input(&g, 4, 6, MSF_SCHEME_HCACHE, 0));
    CHECK(!block_over_input(&g, 1, 3, MSF_SCHEME_LINEBUF, 0) && !block_over_input(&g, 0, 3, MSF_SCHEME_HCACHE, 0));
    /* The planner's one counting pass for both ways (block_cost_beside). */
    for (int32_t a = 1; life && a <= 4; a += 3) {
        block_cost o, derived, counted;
        CHECK_EQ_INT(block_cost_exact(&g, life, a, a + 2, MSF_SCHEME_HCACHE, 1, 1, 0, &o), 0);
        CHECK_EQ_INT(block_cost_exact(&g, life, a, a + 2, MSF_SCHEME_HCACHE, 1, 0, 0, &counted), 0);
        block_cost_beside(&g, &o, &derived);
        CHECK(o.over_input && o.ring_rows > 0 && o.ram < counted.ram);
        CHECK(memcmp(&derived, &counted, sizeof counted) == 0);
    }
    built_plan beside, over;
    for (int over_input = 0; input && life && over_input < 2; over_input++) {
        block_cost costs[4];
        CHECK_EQ_INT(block_cost_exact(&g, life, 0, 0, MSF_SCHEME_WHOLE, 1, 0, 0, &costs[0]), 0);
        CHECK_EQ_INT(block_cost_exact(&g, life, 1, 3, MSF_SCHEME_HCACHE, 2, over_input, 0, &costs[1]), 0);
        CHECK_EQ_INT(block_cost_exact(&g, life, 4, 6, MSF_SCHEME_HCACHE, 1, over_input, 0, &costs[2]), 0);
        CHECK_EQ_INT(block_cost_exact(&g, life, 7, 7, MSF_SCHEME_WHOLE, 1, 0, 0, &costs[3]), 0);
        CHECK(costs[1].over_input == over_input && costs[2].over_input == over_input);
        CHECK_EQ_INT(plan_build(&g, costs, 4, 0, over_input ? &over : &beside), 0);
    }
    if (!input || !life) {
        free(input), free(expected), free(output), free(life);
        graph_free(&g);
        return;
    }
    msf_block *b = &over.blocks[1];
    int32_t ring = b->ring;
    const msf_buffer *in = &over.buffers[over.tensor_buffers[m->ops[1].inputs[0]]];
    const msf_buffer *out = &over.buffers[over.tensor_buffers[m->ops[3].output]];
    const msf_buffer *out2 = &over.buffers[over.tensor_buffers[m->ops[6].output]];
    CHECK(ring >= 0 && in->offset == out->offset && over.plan.arena_bytes < beside.plan.arena_bytes);
    CHECK(over.blocks[2].ring >= 0 && out2->bytes < out->bytes && out2->offset >= out->offset &&
          out2->offset + out2->bytes <= out->offset + out->bytes);
    CHECK(beside.blocks[1].ring == -1 && beside.blocks[2].ring == -1);
    CHECK_EQ_INT(run(&g, &over.plan, input, output), MSF_OK);
    CHECK(memcmp(output, expected, out_bytes) == 0);
    printf("over_input.spec: %u B with the block's output over its input, %u B beside it\n", over.plan.arena_bytes,
           beside.plan.arena_bytes);
    check_ring_refused(&g, &over, 1, input, output);
    over.buffers[ring].cols -= 1;
    CHECK_EQ_INT(run(&g, &over.plan, input, output), MSF_ERR_BAD_PLAN);
    over.buffers[ring].cols += 1;
    CHECK_EQ_INT(run(&g, &over.plan, input, output), MSF_OK);
    built_plan_free(&over);
    built_plan_free(&beside);
    free(input), free(expected), free(output), free(life);
    graph_free(&g);
}

int main(void)
{
    msf_graph g;
    char err[256];
    if (graph_load(SPEC, &g, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    uint32_t out_bytes = g.model.tensors[g.model.outputs[0]].bytes;
    uint8_t *expected = malloc(out_bytes), *output = malloc(out_bytes);
    uint8_t *input = expected && output ? reference_run(&g, expected) : NULL;
    CHECK(input != NULL);
    static const int32_t schemes[] = {MSF_SCHEME_HCACHE, MSF_SCHEME_LINEBUF};
    for (size_t i = 0; input && i < sizeof schemes / sizeof *schemes; i++) {
        built_plan bp;
        CHECK_EQ_INT(build(&g, 3, schemes[i], &bp), 0);
        CHECK_EQ_INT(bp.blocks[0].n_nodes, 4);
        CHECK_EQ_INT(run(&g, &bp.plan, input, output), MSF_OK);
        CHECK(memcmp(output, expected, out_bytes) == 0);
        check_refusals(&g, &bp, input, output);
        check_rows_buffer(&g, schemes[i], input, output);
        built_plan_free(&bp);
    }
    free(input), free(expected), free(output);
    graph_free(&g);
    check_branches();
    check_inplace();
    check_over_input();
    return check_summary();
}
