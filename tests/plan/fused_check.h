/* What the fused-execution tests share: run every P1 / P2 plan of a model
 * (input held, streamed by pointer, a row at a time, output streamed too)
 * and check each one: output bytes equal to layer-by-layer execution, arena
 * high-water mark equal to the planned arena, counted MACs equal to the
 * planned MACs, the arena at the search's bound, and
 * no two buffers alive at one step overlapping. Included by one test file
 * each (static functions). */
#ifndef MSF_FUSED_CHECK_H
#define MSF_FUSED_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "graph.h"
#include "measured_run.h"
#include "plan_build.h"
#include "planner.h"

/* Set by a test: also check, for every fusible block, the plan running that
 * block and every other operator alone (blocks the solvers may never pick);
 * also sweep the output streamed alone and with the input a row at a time;
 * print nothing per model; let a solver's plan exceed the search's bound
 * (the layout's heuristics may miss the bound where skip tensors cross
 * blocks), counting such plans in fused_check_over_bound. */
static int fused_check_every_block, fused_check_quiet, fused_check_layout_slack;
static int fused_check_over_bound;
/* Set by a test: on graphs of few enough paths, compare the solvers with
 * every path laid out (counting the graphs checked so in
 * fused_check_brute_forced). */
static int fused_check_brute_force, fused_check_brute_forced;
/* Counted: the plans checked with an in-place step, with an in-place
 * window operator (a ring of output rows), with a fused block writing its
 * output over its input (a ring too), and with a pixel operator fused
 * (msf_pixel_op: HARD_SWISH, a gate's MUL). */
static int fused_check_inplace_plans, fused_check_ring_plans, fused_check_over_input_plans, fused_check_pixel_plans;

static uint8_t *lcg_bytes(uint32_t n, uint32_t seed)
{
    uint8_t *b = malloc(n ? n : 1);
    uint32_t x = seed;
    for (uint32_t i = 0; b && i < n; i++) {
        x = (1103515245u * x + 12345u) & 0x7fffffffu;
        b[i] = (uint8_t)(x >> 16);
    }
    return b;
}

typedef struct {
    const char *name;
    msf_graph *g;
    const uint8_t *input;
    const uint8_t *expected; /* layer-by-layer output */
    uint8_t *output;
    int plans, at_bound;
} model_case;

/* The layout as the runtime uses it, rebuilt from the plan's tables and the
 * graph (not from the planner's buffer list): at every step, the whole
 * tensors it reads, writes or keeps for later (not a block's intermediates,
 * not a streamed end; a reshape shares its root's bytes), and the buffers
 * of the block's nodes, sums and input rows lie inside the arena, two by two
 * apart (but an in-place step's output over its operand, as far as the
 * runtime's msf_inplace_gap allows), each as large as its shape, aligned as
 * its kind needs. The nodes cover every operator once, in order. */
typedef struct {
    uint32_t at, size;
    int32_t tensor; /* a whole tensor's, or -1 */
} span_bytes;

static int32_t alias_root(const msf_graph *g, int32_t t)
{
    for (int32_t up; (up = reshape_alias(g, t)) >= 0;)
        t = up;
    return t;
}

/* Buffer i exists, is of the kind, as large as its shape and aligned. */
static int buffer_sound(const msf_plan *plan, int32_t i, int32_t kind, const char *label)
{
    if (i < 0 || i >= plan->n_buffers || plan->buffers[i].kind != kind) {
        fprintf(stderr, "%s: buffer %d is not of kind %d\n", label, i, kind);
        return 0;
    }
    const msf_buffer *b = &plan->buffers[i];
    uint64_t shape = (uint64_t)b->rows * (uint64_t)b->cols * (uint64_t)b->channels * (uint64_t)b->elem_bytes;
    if (shape != b->bytes || b->align < 1 || b->offset % (uint32_t)b->align) {
        fprintf(stderr, "%s: buffer %d: %u bytes at %u, shape %d x %d x %d x %d, align %d\n", label, i, b->bytes,
                b->offset, b->rows, b->cols, b->channels, b->elem_bytes, b->align);
        return 0;
    }
    return 1;
}

/* step[o]: the block whose nodes hold operator o; 0 when the nodes do not
 * cover every operator once, in order. */
static int steps_of_nodes(const msf_model *m, const msf_plan *plan, int32_t *step)
{
    int32_t next = 0;
    for (int32_t s = 0; s < plan->n_blocks; s++)
        for (int32_t j = 0; j < plan->blocks[s].n_nodes; j++, next++) {
            if (plan->nodes[plan->blocks[s].first_node + j].op != next)
                return 0;
            step[next] = s;
        }
    return next == m->n_ops;
}

/* Block s's own buffers, checked, into live. */
static int block_buffers(const msf_graph *g, const msf_plan *plan, int32_t s, span_bytes *live, int32_t *n,
                         const char *label)
{
    const msf_block *b = &plan->blocks[s];
    int32_t kind = b->scheme == MSF_SCHEME_LINEBUF ? MSF_BUF_ROWS : MSF_BUF_COLUMNS;
    for (int32_t j = 0; j < b->n_nodes - 1 && j <= b->swept; j++) {
        int32_t i = plan->nodes[b->first_node + j].out;
        if (j == 0 && i == b->input_rows && i >= 0)
            continue; /* a QUANTIZE run as the rows are fetched: its output is the rows buffer */
        if (j == 0 && i < 0 && msf_view_quantizes(&g->model, plan->nodes[b->first_node].op, b->n_nodes, b->input_rows >= 0))
            continue; /* a QUANTIZE run in the TRANSPOSE of an NCHW input: its output is never made */
        const msf_tensor *t = &g->tensors[g->ops[plan->nodes[b->first_node + j].op].output];
        if (!buffer_sound(plan, i, kind, label) || plan->buffers[i].channels != t->dims[3])
            return 0;
        live[(*n)++] = (span_bytes){plan->buffers[i].offset, plan->buffers[i].bytes, -1};
    }
    if (b->ring >= 0) {
        if (!buffer_sound(plan, b->ring, MSF_BUF_ROWS, label))
            return 0;
        live[(*n)++] = (span_bytes){plan->buffers[b->ring].offset, plan->buffers[b->ring].bytes, -1};
    }
    if (b->sums >= 0) {
        if (!buffer_sound(plan, b->sums, MSF_BUF_SUMS, label))
            return 0;
        live[(*n)++] = (span_bytes){plan->buffers[b->sums].offset, plan->buffers[b->sums].bytes, -1};
    }
    if (b->input_rows >= 0) {
        const msf_tensor *x = &g->tensors[g->model.inputs[0]];
        const msf_buffer *r = &plan->buffers[b->input_rows];
        if (!buffer_sound(plan, b->input_rows, MSF_BUF_INPUT_ROWS, label) || r->cols != x->dims[2] ||
            r->channels != x->dims[3])
            return 0;
        live[(*n)++] = (span_bytes){r->offset, r->bytes, -1};
    }
    return 1;
}

/* Whether a fused H-cache block's output (span a) lies over its input
 * (span b) as its runner allows: with a ring of output rows, the output
 * inside the input's bytes (run_hcache.c makes it over the input's first
 * bytes, a row once no row of the input still to be read lies under it,
 * then moves it there). */
static int over_input(const msf_graph *g, const msf_plan *plan, const msf_block *blk, span_bytes a, span_bytes b)
{
    const msf_node *nodes = &plan->nodes[blk->first_node];
    if (blk->scheme != MSF_SCHEME_HCACHE || blk->ring < 0 || blk->n_nodes < 2)
        return 0;
    int32_t in = g->ops[nodes[0].op].inputs[0], out = g->ops[nodes[blk->n_nodes - 1].op].output;
    if (b.tensor == out) {
        span_bytes t = a;
        a = b, b = t;
    }
    return a.tensor == out && b.tensor == alias_root(g, in) && b.at <= a.at &&
           (uint64_t)a.at + a.size <= (uint64_t)b.at + b.size;
}

/* Whether spans a and b may overlap at step s: it is an in-place step, one
 * is its output and the other an operand's bytes, the output starts at
 * least as far before the operand as the runtime's msf_inplace_gap asks,
 * and the step has the ring of output rows it asks for; or a block's
 * output over its input (over_input). */
static int deliberate(const msf_graph *g, const msf_plan *plan, int32_t s, span_bytes a, span_bytes b)
{
    const msf_block *blk = &plan->blocks[s];
    if (a.tensor < 0 || b.tensor < 0)
        return 0;
    if (blk->scheme != MSF_SCHEME_INPLACE)
        return over_input(g, plan, blk, a, b);
    const msf_op *op = &g->ops[plan->nodes[blk->first_node].op];
    if (b.tensor == op->output) {
        span_bytes t = a;
        a = b, b = t;
    }
    for (int32_t k = 0; a.tensor == op->output && k < op->n_inputs; k++) {
        int32_t ring, gap = msf_inplace_gap(&g->model, op, k, &ring);
        int ringed = ring == 0 || (blk->ring >= 0 && plan->buffers[blk->ring].rows >= ring);
        if (alias_root(g, op->inputs[k]) == b.tensor && gap >= 0 && ringed && (int64_t)b.at - (int64_t)a.at >= gap)
            return 1;
    }
    return 0;
}

static int spans_apart(const msf_graph *g, const msf_plan *plan, const span_bytes *live, int32_t n, int32_t s,
                       const char *label)
{
    uint32_t arena = plan->arena_bytes;
    for (int32_t i = 0; i < n; i++) {
        if ((uint64_t)live[i].at + live[i].size > arena) {
            fprintf(stderr, "%s: step %d: bytes [%u, +%u) past the arena of %u\n", label, s, live[i].at,
                    live[i].size, arena);
            return 0;
        }
        for (int32_t k = i + 1; k < n; k++)
            if (live[i].size && live[k].size && live[i].at < live[k].at + live[k].size &&
                live[k].at < live[i].at + live[i].size && !deliberate(g, plan, s, live[i], live[k])) {
                fprintf(stderr, "%s: step %d: bytes [%u, +%u) and [%u, +%u) overlap\n", label, s, live[i].at,
                        live[i].size, live[k].at, live[k].size);
                return 0;
            }
    }
    return 1;
}

static int check_layout(const msf_graph *g, const built_plan *bp, const char *label)
{
    const msf_model *m = &g->model;
    const msf_plan *plan = &bp->plan;
    int32_t nb = plan->n_blocks, nt = m->n_tensors, bad = 0;
    int32_t *step = malloc((size_t)(m->n_ops + 1) * sizeof *step), *born = malloc((size_t)nt * sizeof *born);
    int32_t *dies = malloc((size_t)nt * sizeof *dies);
    span_bytes *live = malloc((size_t)(nt + 3 * m->n_ops + 1) * sizeof *live);
    if (!step || !born || !dies || !live || !steps_of_nodes(m, plan, step)) {
        fprintf(stderr, "%s: the nodes do not cover the operators in order\n", label);
        free(step), free(born), free(dies), free(live);
        return 0;
    }
    for (int32_t t = 0; t < nt; t++)
        born[t] = nb, dies[t] = -1;
    for (int32_t i = 0; i < m->n_inputs; i++)
        born[m->inputs[i]] = 0, dies[m->inputs[i]] = 0;
    for (int32_t o = 0; o < m->n_ops; o++) {
        const msf_op *op = &m->ops[o];
        const msf_block *b = &plan->blocks[step[o]];
        /* A block's intermediates are never held whole. */
        if (plan->nodes[b->first_node + b->n_nodes - 1].op == o)
            born[op->output] = dies[op->output] = step[o];
        for (int32_t k = 0; k < op->n_inputs; k++) {
            int32_t t = op->inputs[k];
            if (!m->tensors[t].data && born[t] <= step[o] && dies[t] < step[o])
                dies[t] = step[o];
        }
    }
    for (int32_t i = 0; i < m->n_outputs; i++)
        dies[m->outputs[i]] = nb - 1;
    for (int32_t t = 0; t < nt; t++) {
        int32_t r = alias_root(g, t);
        if (r != t && dies[t] > dies[r])
            dies[r] = dies[t];
    }
    int32_t in_out[2] = {(plan->streamed & MSF_STREAM_ANY_INPUT) ? m->inputs[0] : -1,
                            (plan->streamed & MSF_STREAM_OUTPUT) ? m->outputs[0] : -1};
    for (int32_t s = 0; s < nb && !bad; s++) {
        int32_t n = 0;
        for (int32_t t = 0; t < nt && !bad; t++) {
            if (born[t] > s || dies[t] < s || t == in_out[0] || t == in_out[1] || alias_root(g, t) != t)
                continue;
            int32_t i = plan->tensor_buffers[t];
            bad = !buffer_sound(plan, i, MSF_BUF_TENSOR, label) || plan->buffers[i].bytes != m->tensors[t].bytes;
            if (!bad)
                live[n++] = (span_bytes){plan->buffers[i].offset, m->tensors[t].bytes, t};
        }
        bad = bad || !block_buffers(g, plan, s, live, &n, label) || !spans_apart(g, plan, live, n, s, label);
    }
    free(step), free(born), free(dies), free(live);
    return !bad;
}

/* Runs a built plan: same output bytes as layer by layer, high-water mark
 * equal to the planned arena, counted MACs equal to the planned MACs. The
 * arena must be the search's bound for a path a solver chose (a path made
 * up by the test need only be laid out). */
static void check_built(model_case *mc, planner *p, const plan_path *path, built_plan *bp, const char *what,
                        int at_bound)
{
    run_measure r;
    uint32_t out_bytes = io_bytes(&mc->g->model, mc->g->model.outputs, mc->g->model.n_outputs);
    int s = measured_run(&mc->g->model, &bp->plan, mc->input, mc->output, &r);
    CHECK_EQ_INT(s, MSF_OK);
    char label[160];
    snprintf(label, sizeof label, "%s %s%s%s%s", mc->name, what, p->streamed & MSF_STREAM_INPUT ? " input streamed" : "",
             p->streamed & MSF_STREAM_INPUT_ROWS ? " input rows" : "", p->streamed & MSF_STREAM_OUTPUT ? " output streamed" : "");
    uint32_t arena = bp->plan.arena_bytes;
    int near = arena == path->peak_ram;
    fused_check_over_bound += at_bound && !near;
    int fits = arena >= path->peak_ram && (near || !at_bound || fused_check_layout_slack);
    if (!check_bytes_equal(label, mc->output, mc->expected, out_bytes) || r.arena_high_water != arena ||
        r.macs != path->macs || bp->macs != path->macs || !fits)
        fprintf(stderr, "%s: high-water %u planned %u search peak %llu; MACs counted %llu planned %llu\n", label,
                r.arena_high_water, arena, (unsigned long long)path->peak_ram, (unsigned long long)r.macs,
                (unsigned long long)path->macs);
    CHECK_EQ_INT(r.arena_high_water, arena);
    CHECK_EQ_INT(r.macs, path->macs);
    CHECK_EQ_INT(bp->macs, path->macs);
    CHECK(fits);
    CHECK(check_layout(mc->g, bp, label));
    int inplace = 0, ring = 0, over = 0, pixel = 0;
    for (int32_t i = 0; i < bp->plan.n_blocks; i++) {
        const msf_block *b = &bp->plan.blocks[i];
        inplace |= b->scheme == MSF_SCHEME_INPLACE;
        ring |= b->scheme == MSF_SCHEME_INPLACE && b->ring >= 0;
        over |= b->scheme == MSF_SCHEME_HCACHE && b->ring >= 0;
        for (int32_t j = 0; b->n_nodes > 1 && j < b->n_nodes; j++)
            pixel |= msf_pixel_op(&mc->g->model, &mc->g->ops[bp->plan.nodes[b->first_node + j].op]);
    }
    fused_check_pixel_plans += pixel;
    fused_check_inplace_plans += inplace;
    fused_check_ring_plans += ring;
    fused_check_over_input_plans += over;
    mc->plans++;
    mc->at_bound += arena == path->peak_ram;
}

static void check_path(model_case *mc, planner *p, const plan_path *path, const char *what, int at_bound)
{
    built_plan bp;
    if (planner_build(p, mc->g, path, &bp) != 0) {
        CHECK(0);
        return;
    }
    check_built(mc, p, path, &bp, what, at_bound);
    built_plan_free(&bp);
}

/* The edge running operators [from, to) as one step (the first such). */
static int32_t edge_of(const planner *p, int32_t from, int32_t to)
{
    for (int32_t e = 0; e < p->graph.n_edges; e++)
        if (p->edges[e].from == from && p->edges[e].to == to)
            return e;
    return -1;
}

/* Every fusible block, alone among single operators. */
static void sweep_blocks(model_case *mc, planner *p)
{
    int32_t n_ops = mc->g->model.n_ops;
    int32_t *edges = malloc((size_t)n_ops * sizeof *edges);
    if (!edges) {
        CHECK(0);
        return;
    }
    for (int32_t b = 0; b < p->graph.n_edges; b++) {
        const fusion_edge *e = &p->edges[b];
        if (e->to - e->from < 2)
            continue;
        int32_t n = 0, ok = 1;
        for (int32_t o = 0; o < n_ops && ok;) {
            int32_t k = o == e->from ? b : edge_of(p, o, o + 1);
            ok = k >= 0;
            edges[n++] = k;
            o = o == e->from ? e->to : o + 1;
        }
        plan_path path = {0, 0, n, edges};
        CHECK(ok && plan_path_cost(&p->graph, edges, n, &path.peak_ram, &path.macs) == PLAN_OK);
        char what[48];
        snprintf(what, sizeof what, "block [%d,%d]", e->from, e->to - 1);
        if (ok)
            check_path(mc, p, &path, what, 0);
    }
    free(edges);
}

/* Small graphs: every path of the fusion graph laid out. */
#define BRUTE_MAX_PATHS 3000

typedef struct {
    uint32_t arena;
    uint64_t macs;
} laid_out;

/* Lays out each path from node `at` on, edges[0..n) taken so far. */
static void every_path(const planner *p, msf_graph *g, int32_t at, int32_t *edges, int32_t n, laid_out *all,
                       int32_t *count)
{
    if (at == p->graph.n_layers) {
        plan_path path = {0, 0, n, edges};
        built_plan bp;
        if (planner_build(p, g, &path, &bp) == 0) {
            all[(*count)++] = (laid_out){bp.plan.arena_bytes, bp.macs};
            built_plan_free(&bp);
        }
        return;
    }
    for (int32_t e = 0; e < p->graph.n_edges; e++)
        if (p->edges[e].from == at) {
            edges[n] = e;
            every_path(p, g, p->edges[e].to, edges, n + 1, all, count);
        }
}

/* How many paths the graph has, at most `cap` (+1 when over). */
static int32_t count_paths(const planner *p, int32_t cap)
{
    int32_t n = p->graph.n_layers;
    int64_t *ways = calloc((size_t)n + 1, sizeof *ways);
    if (!ways)
        return cap + 1;
    ways[0] = 1;
    for (int32_t at = 0; at < n; at++)
        for (int32_t e = 0; e < p->graph.n_edges; e++)
            if (p->edges[e].from == at) {
                ways[p->edges[e].to] += ways[at];
                if (ways[p->edges[e].to] > cap)
                    ways[p->edges[e].to] = cap + 1;
            }
    int32_t total = (int32_t)ways[n];
    free(ways);
    return total;
}

/* The solvers against every path laid out: P1's arena is the least any path
 * within its MAC bound lays out in, P2's MACs the least of any path whose
 * laid-out arena fits, for every bound the sweep uses. Returns whether the
 * graph was small enough to check. */
static int brute_force(model_case *mc, const planner *p, const double *overheads, size_t n_overheads)
{
    int32_t total = count_paths(p, BRUTE_MAX_PATHS);
    if (total > BRUTE_MAX_PATHS)
        return 0;
    laid_out *all = malloc((size_t)(total ? total : 1) * sizeof *all);
    int32_t *edges = malloc((size_t)p->graph.n_layers * sizeof *edges), count = 0;
    if (!all || !edges) {
        free(all), free(edges);
        return 0;
    }
    every_path(p, mc->g, 0, edges, 0, all, &count);
    CHECK_EQ_INT(count, total);
    for (size_t i = 0; i < n_overheads; i++) {
        uint32_t best = UINT32_MAX;
        for (int32_t k = 0; k < count; k++)
            if ((isinf(overheads[i]) ||
                 (long double)all[k].macs <= (long double)overheads[i] * (long double)p->vanilla_macs) &&
                all[k].arena < best)
                best = all[k].arena;
        plan_path path;
        built_plan bp;
        if (plan_p1_min_ram(&p->graph, overheads[i], p->vanilla_macs, &path) == PLAN_OK &&
            planner_build(p, mc->g, &path, &bp) == 0) {
            if (bp.plan.arena_bytes != best)
                fprintf(stderr, "%s: P1 F=%g lays out in %u B, a path within F in %u B\n", mc->name, overheads[i],
                        bp.plan.arena_bytes, best);
            CHECK_EQ_INT(bp.plan.arena_bytes, best);
            built_plan_free(&bp);
        }
        plan_path_free(&path);
    }
    for (int32_t k = 0; k < count; k++) {
        uint64_t best = UINT64_MAX;
        for (int32_t q = 0; q < count; q++)
            if (all[q].arena <= all[k].arena && all[q].macs < best)
                best = all[q].macs;
        plan_path path;
        built_plan bp;
        int rc = planner_min_macs(p, mc->g, all[k].arena, &path, &bp);
        CHECK_EQ_INT(rc, PLAN_OK);
        if (rc == PLAN_OK) {
            if (bp.macs != best)
                fprintf(stderr, "%s: P2 within %u B: %llu MACs, a path fitting has %llu\n", mc->name, all[k].arena,
                        (unsigned long long)bp.macs, (unsigned long long)best);
            CHECK_EQ_INT(bp.macs, best);
            CHECK(bp.plan.arena_bytes <= all[k].arena);
            built_plan_free(&bp);
        }
        plan_path_free(&path);
    }
    free(all), free(edges);
    return 1;
}

/* Whether g has a squeeze-excite: a map multiplied by a vector made from
 * it, so the map lives across the steps that make the vector (a skip the
 * alternating-ends layout does not always fit at the search's bound, as on
 * graphs with branches: their plans are checked, and counted, not required
 * at the bound). */
static int squeeze_excite(const msf_graph *g)
{
    for (int32_t o = 0; o < g->model.n_ops; o++)
        if (g->ops[o].type == MSF_OP_MUL && msf_pixel_op(&g->model, &g->ops[o]) && !g->tensors[g->ops[o].inputs[1]].data)
            return 1;
    return 0;
}

static void sweep(model_case *mc, int streamed)
{
    planner p;
    int at_bound = !squeeze_excite(mc->g);
    if (planner_init(&p, mc->g, streamed, SPACE_MSF) != 0) {
        CHECK(0);
        return;
    }
    if (fused_check_every_block)
        sweep_blocks(mc, &p);
    static const double overheads[] = {1.0, 1.1, 1.2, 1.3, 1.5, 2.0, INFINITY};
    if (fused_check_brute_force)
        fused_check_brute_forced += brute_force(mc, &p, overheads, sizeof overheads / sizeof *overheads);
    for (size_t i = 0; i < sizeof overheads / sizeof *overheads; i++) {
        plan_path path;
        char what[48];
        snprintf(what, sizeof what, "P1 F=%g", overheads[i]);
        CHECK_EQ_INT(plan_p1_min_ram(&p.graph, overheads[i], p.vanilla_macs, &path), PLAN_OK);
        check_path(mc, &p, &path, what, at_bound);
        plan_path_free(&path);
    }
    for (uint64_t kb = 8; kb <= 512; kb *= 2) {
        plan_path path;
        char what[48];
        snprintf(what, sizeof what, "P2 %llu kB", (unsigned long long)kb);
        built_plan bp;
        if (planner_min_macs(&p, mc->g, kb * 1000, &path, &bp) == PLAN_OK) {
            CHECK(bp.plan.arena_bytes <= kb * 1000);
            check_built(mc, &p, &path, &bp, what, at_bound);
            built_plan_free(&bp);
        }
        plan_path_free(&path);
    }
    planner_free(&p);
}

static void run_model(const char *name, msf_graph *g)
{
    msf_model *m = &g->model;
    uint8_t *input = lcg_bytes(io_bytes(m, m->inputs, m->n_inputs), 1);
    uint32_t out_bytes = io_bytes(m, m->outputs, m->n_outputs);
    uint8_t *expected = malloc(out_bytes), *output = malloc(out_bytes);
    built_plan layers;
    run_measure r;
    if (!input || !expected || !output || plan_build_layers(g, 0, &layers) != 0) {
        CHECK(0);
    } else {
        CHECK_EQ_INT(measured_run(m, &layers.plan, input, expected, &r), MSF_OK);
        built_plan_free(&layers);
        model_case mc = {name, g, input, expected, output, 0, 0};
        static const int ways[] = {0, MSF_STREAM_INPUT, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS,
                                   MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS | MSF_STREAM_OUTPUT};
        for (int i = 0; i < (fused_check_every_block ? 6 : 4); i++)
            if (streaming_possible(g, ways[i]))
                sweep(&mc, ways[i]);
        if (!fused_check_quiet)
            printf("%s: %d plans checked, %d with the arena at the search's bound\n", name, mc.plans, mc.at_bound);
    }
    free(input);
    free(expected);
    free(output);
}

static inline void run_file(const char *path)
{
    msf_graph g;
    char err[512];
    if (graph_load(path, &g, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    run_model(path, &g);
    graph_free(&g);
}

#endif
