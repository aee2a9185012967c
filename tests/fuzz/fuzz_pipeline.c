/* libFuzzer entry for the whole pipeline on small models. The bytes are a
 * .tflite (with the TFL3 identifier) or else spec text; a model the importer
 * accepts goes through the cost model and the solvers (P1 at several
 * overheads F, P2 at budgets from the least peak RAM up), and every distinct
 * plan is run by the runtime, with each streaming the model allows, in an
 * arena of exactly the planned size: output bytes equal to layer by layer,
 * arena high-water mark equal to the planned arena, counted MACs equal to
 * the planned MACs, every buffer inside the arena and apart from the others
 * (tests/plan/fused_check.h). Any mismatch aborts.
 *
 * Larger models are skipped so that the fuzzer makes many runs a second:
 * the checks run dozens of plans, and fused plans recompute. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/fused_check.h"
#include "spec/spec_round_trip.h"

#define MAX_OPS 24
#define MAX_WORK 100000            /* MACs plus bytes read and written, layer by layer */
#define MAX_ARENA (64 * 1024)      /* the layer-by-layer arena */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether one layer-by-layer inference is at most MAX_WORK: the MACs, and
 * the bytes each operator reads and writes (a pool reads its window for
 * every output). Each term is bounded before it is added. */
static int little_work(const msf_graph *g)
{
    const msf_model *m = &g->model;
    uint64_t sum = 0;
    for (int32_t i = 0; i < m->n_ops && sum <= MAX_WORK; i++) {
        const msf_op *op = &m->ops[i];
        uint64_t window = 1;
        if (op->type == MSF_OP_AVERAGE_POOL2D || op->type == MSF_OP_MAX_POOL2D)
            window = (uint64_t)op->p.pool.filter_h * (uint64_t)op->p.pool.filter_w;
        if (g->op_macs[i] > MAX_WORK || window > MAX_WORK)
            return 0;
        sum += g->op_macs[i] + window * m->tensors[op->output].bytes;
        for (int32_t k = 0; k < op->n_inputs; k++)
            sum += m->tensors[op->inputs[k]].bytes;
    }
    return sum <= MAX_WORK;
}

/* A spec small enough to run, judged from its layers before any weight is
 * drawn; then its round trip (which must hold). */
static int load_spec(const char *text, size_t size, msf_graph *g)
{
    spec_net net;
    char msg[512] = "";
    if (spec_read(text, size, &net, msg, sizeof msg) != 0)
        return -1;
    uint64_t macs = 0;
    int32_t ops = 0;
    for (int32_t i = 1; i < net.n; i++) {
        uint64_t layer_macs;
        ops += spec_layer_ops(&net, i, &layer_macs);
        macs += layer_macs;
    }
    free(net.layers);
    if (ops > MAX_OPS || macs > MAX_WORK)
        return -1;
    int rc = spec_round_trip(text, size, g, msg, sizeof msg);
    if (rc == SPEC_BROKEN) {
        fprintf(stderr, "%s\n", msg);
        abort();
    }
    return rc == SPEC_ROUND_TRIP ? 0 : -1;
}

static int load(const uint8_t *data, size_t size, msf_graph *g)
{
    if (size < 8 || memcmp(data + 4, "TFL3", 4) != 0)
        return load_spec((const char *)data, size, g);
    uint8_t *copy = malloc(size);
    char err[512];
    if (!copy)
        return -1;
    memcpy(copy, data, size);
    return graph_from_tflite(copy, size, g, err, sizeof err);
}

/* Whether path has the edges of one of seen[0..n). */
static int seen_before(const plan_path *path, const plan_path *seen, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (seen[i].n_edges == path->n_edges &&
            memcmp(seen[i].edges, path->edges, (size_t)path->n_edges * sizeof *path->edges) == 0)
            return 1;
    return 0;
}

/* The plans of one streaming: P1 at several overheads, P2 at budgets from
 * the least peak RAM up (where a small model's plans differ), each
 * distinct path checked once (fused_check.h: check_path, check_built). */
static void sweep_plans(model_case *mc, int streamed)
{
    static const double overheads[] = {1.0, 1.1, 1.3, 2.0, INFINITY};
    static const uint64_t budget_quarters[] = {4, 5, 6, 8, 12};
    enum { N_F = sizeof overheads / sizeof *overheads, N_B = sizeof budget_quarters / sizeof *budget_quarters };
    plan_path seen[N_F + N_B];
    int32_t n = 0;
    planner p;
    if (planner_init(&p, mc->g, streamed, SPACE_MSF) != 0)
        abort();
    uint64_t least = UINT64_MAX;
    for (int32_t i = 0; i < N_F; i++) {
        if (plan_p1_min_ram(&p.graph, overheads[i], p.vanilla_macs, &seen[n]) != PLAN_OK)
            abort(); /* layer by layer is always within F >= 1 */
        least = seen[n].peak_ram < least ? seen[n].peak_ram : least;
        if (seen_before(&seen[n], seen, n))
            plan_path_free(&seen[n]);
        else
            check_path(mc, &p, &seen[n++], "P1", 1);
    }
    for (int32_t i = 0; i < N_B; i++) {
        uint64_t budget = least * budget_quarters[i] / 4;
        built_plan bp;
        if (planner_min_macs(&p, mc->g, budget, &seen[n], &bp) != PLAN_OK) {
            plan_path_free(&seen[n]);
            continue;
        }
        CHECK(bp.plan.arena_bytes <= budget);
        if (seen_before(&seen[n], seen, n)) {
            plan_path_free(&seen[n]);
        } else {
            check_built(mc, &p, &seen[n], &bp, "P2", 1);
            n++;
        }
        built_plan_free(&bp);
    }
    for (int32_t i = 0; i < n; i++)
        plan_path_free(&seen[i]);
    planner_free(&p);
}

/* The input bytes: drawn from a seed that depends on the model, so that
 * runs see different values and a crash reproduces. */
static uint32_t seed_of(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

static void check_model(msf_graph *g, uint32_t seed)
{
    msf_model *m = &g->model;
    uint8_t *input = lcg_bytes(io_bytes(m, m->inputs, m->n_inputs), seed);
    uint32_t out_bytes = io_bytes(m, m->outputs, m->n_outputs);
    uint8_t *expected = malloc(out_bytes ? out_bytes : 1), *output = malloc(out_bytes ? out_bytes : 1);
    built_plan layers;
    run_measure r;
    if (!input || !expected || !output || plan_build_layers(g, 0, &layers) != 0)
        abort();
    CHECK_EQ_INT(measured_run(m, &layers.plan, input, expected, &r), MSF_OK);
    CHECK_EQ_INT(r.arena_high_water, layers.plan.arena_bytes);
    CHECK_EQ_INT(r.macs, layers.macs);
    built_plan_free(&layers);
    model_case mc = {"fuzzed model", g, input, expected, output, 0, 0};
    static const int ways[] = {0, MSF_STREAM_INPUT, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS,
                               MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS | MSF_STREAM_OUTPUT};
    for (size_t i = 0; i < sizeof ways / sizeof *ways; i++) {
        if (streaming_possible(g, ways[i]))
            sweep_plans(&mc, ways[i]);
    }
    free(input);
    free(expected);
    free(output);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msf_graph g;
    if (load(data, size, &g) != 0)
        return 0;
    built_plan layers;
    if (plan_build_layers(&g, 0, &layers) != 0)
        abort();
    int small = g.model.n_ops <= MAX_OPS && little_work(&g) && layers.plan.arena_bytes <= MAX_ARENA;
    built_plan_free(&layers);
    if (small) {
        fused_check_quiet = 1;
        /* The layout may miss the search's bound where skip tensors cross
         * blocks: counted by fused_check.h, not a failure. */
        fused_check_layout_slack = 1;
        check_model(&g, seed_of(data, size));
        if (check_failed)
            abort();
    }
    graph_free(&g);
    return 0;
}
