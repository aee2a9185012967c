/* What the fused-execution tests share: run every P1 / P2 plan of a model
 * (input held, streamed by pointer, a row at a time, output streamed too)
 * and check each one: output bytes equal to layer-by-layer execution, arena
 * high-water mark equal to the planned arena, counted MACs equal to the
 * planned MACs, the arena at the search's bound plus int32 alignment.
 * Included by one test file each (static functions). */
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

/* Runs a built plan: same output bytes as layer by layer, high-water mark
 * equal to the planned arena, counted MACs equal to the planned MACs. The
 * arena may exceed the search's bound only by int32 alignment. */
static void check_built(model_case *mc, planner *p, const plan_path *path, built_plan *bp, const char *what)
{
    run_measure r;
    uint32_t out_bytes = io_bytes(&mc->g->model, mc->g->model.outputs, mc->g->model.n_outputs);
    int s = measured_run(&mc->g->model, &bp->plan, mc->input, mc->output, &r);
    CHECK_EQ_INT(s, MSF_OK);
    char label[160];
    snprintf(label, sizeof label, "%s %s%s%s%s", mc->name, what, p->streamed & STREAM_INPUT ? " input streamed" : "",
             p->streamed & STREAM_INPUT_ROWS ? " input rows" : "", p->streamed & STREAM_OUTPUT ? " output streamed" : "");
    int aligned = 0;
    for (int32_t i = 0; i < bp->plan.n_blocks; i++)
        aligned += bp->costs[i].acc_bytes > 0;
    uint32_t arena = bp->plan.arena_bytes;
    int fits = arena >= path->peak_ram && arena - path->peak_ram <= 3u * (uint32_t)aligned;
    if (!check_bytes_equal(label, mc->output, mc->expected, out_bytes) || r.arena_high_water != arena ||
        r.macs != path->macs || bp->macs != path->macs || !fits)
        fprintf(stderr, "%s: high-water %u planned %u search peak %llu; MACs counted %llu planned %llu\n", label,
                r.arena_high_water, arena, (unsigned long long)path->peak_ram, (unsigned long long)r.macs,
                (unsigned long long)path->macs);
    CHECK_EQ_INT(r.arena_high_water, arena);
    CHECK_EQ_INT(r.macs, path->macs);
    CHECK_EQ_INT(bp->macs, path->macs);
    CHECK(fits);
    mc->plans++;
    mc->at_bound += arena == path->peak_ram;
}

static void check_path(model_case *mc, planner *p, const plan_path *path, const char *what)
{
    built_plan bp;
    if (planner_build(p, mc->g, path, &bp) != 0) {
        CHECK(0);
        return;
    }
    check_built(mc, p, path, &bp, what);
    built_plan_free(&bp);
}

static void sweep(model_case *mc, int streamed)
{
    planner p;
    if (planner_init(&p, mc->g, streamed, 0) != 0) {
        CHECK(0);
        return;
    }
    static const double overheads[] = {1.0, 1.1, 1.2, 1.3, 1.5, 2.0, INFINITY};
    for (size_t i = 0; i < sizeof overheads / sizeof *overheads; i++) {
        plan_path path;
        char what[48];
        snprintf(what, sizeof what, "P1 F=%g", overheads[i]);
        CHECK_EQ_INT(plan_p1_min_ram(&p.graph, overheads[i], p.vanilla_macs, &path), PLAN_OK);
        check_path(mc, &p, &path, what);
        plan_path_free(&path);
    }
    for (uint64_t kb = 8; kb <= 512; kb *= 2) {
        plan_path path;
        char what[48];
        snprintf(what, sizeof what, "P2 %llu kB", (unsigned long long)kb);
        built_plan bp;
        if (planner_min_macs(&p, mc->g, kb * 1000, &path, &bp) == PLAN_OK) {
            CHECK(bp.plan.arena_bytes <= kb * 1000);
            check_built(mc, &p, &path, &bp, what);
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
        sweep(&mc, 0);
        if (m->n_inputs == 1)
            sweep(&mc, STREAM_INPUT);
        if (m->n_inputs == 1 && m->n_outputs == 1)
            sweep(&mc, STREAM_INPUT | STREAM_OUTPUT);
        if (input_rows_possible(g))
            sweep(&mc, STREAM_INPUT_ROWS);
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
