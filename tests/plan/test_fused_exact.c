/* Every plan of the P1 sweep (F = 1.0, 1.1, 1.2, 1.3, 1.5, 2, Inf) and of
 * the P2 sweep (8 .. 512 kB where feasible), with the input held and
 * streamed, run on the host runtime: output bytes equal to layer-by-layer
 * execution, arena high-water mark equal to the planned arena, counted MACs
 * equal to the planned MACs, and the planned arena equal to the search's
 * peak. Models: the demo model, and the reference models when ../shared is
 * present. */
#define _POSIX_C_SOURCE 200809L /* opendir */

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demo_model.h"
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
    int plans;
} model_case;

static void check_path(model_case *mc, planner *p, const plan_path *path, const char *what)
{
    int32_t n;
    block_cost *blocks = planner_blocks(p, path, &n);
    built_plan bp;
    CHECK(blocks != NULL);
    if (!blocks || plan_build(mc->g, blocks, n, p->streamed_input, &bp) != 0) {
        CHECK(0);
        free(blocks);
        return;
    }
    run_measure r;
    uint32_t out_bytes = io_bytes(&mc->g->model, mc->g->model.outputs, mc->g->model.n_outputs);
    int s = measured_run(&mc->g->model, &bp.plan, mc->input, mc->output, &r);
    CHECK_EQ_INT(s, MSF_OK);
    char label[160];
    snprintf(label, sizeof label, "%s %s%s", mc->name, what, p->streamed_input ? " streamed" : "");
    if (!check_bytes_equal(label, mc->output, mc->expected, out_bytes) || r.arena_high_water != bp.plan.arena_bytes ||
        r.macs != path->macs || bp.macs != path->macs || bp.plan.arena_bytes != path->peak_ram)
        fprintf(stderr, "%s: high-water %u planned %u search peak %llu; MACs counted %llu planned %llu\n", label,
                r.arena_high_water, bp.plan.arena_bytes, (unsigned long long)path->peak_ram,
                (unsigned long long)r.macs, (unsigned long long)path->macs);
    CHECK_EQ_INT(r.arena_high_water, bp.plan.arena_bytes);
    CHECK_EQ_INT(r.macs, path->macs);
    CHECK_EQ_INT(bp.macs, path->macs);
    CHECK_EQ_INT(bp.plan.arena_bytes, path->peak_ram);
    mc->plans++;
    built_plan_free(&bp);
    free(blocks);
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
        if (plan_p2_min_macs(&p.graph, kb * 1000, &path) == PLAN_OK)
            check_path(mc, &p, &path, what);
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
        model_case mc = {name, g, input, expected, output, 0};
        sweep(&mc, 0);
        if (m->n_inputs == 1)
            sweep(&mc, 1);
        printf("%s: %d plans checked\n", name, mc.plans);
    }
    free(input);
    free(expected);
    free(output);
}

static void run_file(const char *path)
{
    msf_graph g;
    char err[512];
    if (graph_load_file(path, &g, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    run_model(path, &g);
    graph_free(&g);
}

int main(void)
{
    size_t size;
    uint8_t *demo = demo_model_build(&size);
    msf_graph g;
    char err[512];
    CHECK(demo != NULL);
    if (demo && graph_from_tflite(demo, size, &g, err, sizeof err) == 0) {
        run_model("demo", &g);
        graph_free(&g);
    } else {
        fprintf(stderr, "demo: %s\n", err);
        CHECK(0);
    }
    const char *models = MSF_SHARED_DIR "/reference/models";
    DIR *d = opendir(models);
    if (!d) {
        printf("reference models skipped: %s not found\n", models);
    } else {
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n > 7 && strcmp(e->d_name + n - 7, ".tflite") == 0) {
                char path[1024];
                snprintf(path, sizeof path, "%s/%s", models, e->d_name);
                run_file(path);
            }
        }
        closedir(d);
    }
    return check_summary();
}
