/* Per model: layer-by-layer execution, the MCUNetV2 heuristic, P1 plans
 * (F = 1.0, 1.2 and Inf) in msf-CNN's space (whole tensors and H-cache
 * blocks: the paper's search space, msf's before line buffers) and in msf's
 * own, each with the input held, streamed, and input and output streamed
 * ("in+out", msf-CNN's accounting of both ends): planned and measured peak
 * RAM (bytes), planned and counted MACs, overhead factor, host time per
 * inference and each fused block's scheme (h-cache/N: N rows a step).
 * Every figure comes from the run. Prints figures; not a test.
 * usage: bench_plans MODEL...   (.tflite or .spec) */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "measured_run.h"
#include "planner.h"

static uint8_t *lcg_bytes(uint32_t n)
{
    uint8_t *b = malloc(n ? n : 1);
    uint32_t x = 1;
    for (uint32_t i = 0; b && i < n; i++) {
        x = (1103515245u * x + 12345u) & 0x7fffffffu;
        b[i] = (uint8_t)(x >> 16);
    }
    return b;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The fused blocks of a plan, each as its scheme and tile ("line-buffer
 * h-cache/4 ..."; "-": none). */
static void scheme_mix(const built_plan *bp, char *out, size_t size)
{
    size_t used = 0;
    snprintf(out, size, "-");
    for (int32_t i = 0; i < bp->plan.n_blocks && used < size; i++) {
        const msf_block *b = &bp->plan.blocks[i];
        char label[32];
        if (b->n_nodes < 2)
            continue;
        block_scheme_label(b->scheme, b->tile_rows, label, sizeof label);
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", label);
    }
}

/* Runs the plan (measured), then times plain runs for about 0.2 s. */
static void report(const char *setting, msf_graph *g, const built_plan *bp, uint64_t vanilla_macs,
                   const uint8_t *input, uint8_t *output)
{
    run_measure r;
    if (measured_run(&g->model, &bp->plan, input, output, &r) != MSF_OK) {
        printf("  %-22s run failed\n", setting);
        return;
    }
    uint8_t *arena = malloc(bp->plan.arena_bytes ? bp->plan.arena_bytes : 1);
    int runs = 0;
    double start = now_ms(), elapsed = 0;
    while (arena && (runs < 3 || elapsed < 200.0) && runs < 1000) {
        if (!(bp->plan.streamed & MSF_STREAM_ANY_INPUT))
            memcpy(msf_tensor_data(&g->model, &bp->plan, arena, g->model.inputs[0]), input,
                   g->tensors[g->model.inputs[0]].bytes);
        if (msf_run_plan_streams(&g->model, &bp->plan, arena, bp->plan.arena_bytes, input, output) != MSF_OK)
            break;
        runs++;
        elapsed = now_ms() - start;
    }
    free(arena);
    char mix[256];
    scheme_mix(bp, mix, sizeof mix);
    printf("  %-22s %-9s %10u %10u %12llu %12llu %8.4f %9.2f  %s\n", setting,
           (bp->plan.streamed & MSF_STREAM_OUTPUT) ? "in+out" : (bp->plan.streamed & MSF_STREAM_ANY_INPUT) ? "streamed" : "held", bp->plan.arena_bytes, r.arena_high_water,
           (unsigned long long)bp->macs, (unsigned long long)r.macs, (double)bp->macs / (double)vanilla_macs,
           runs ? elapsed / runs : 0.0, mix);
}

static void settings(msf_graph *g, int streamed, const uint8_t *input, uint8_t *output)
{
    planner all, msfcnn, first_only;
    if (planner_init(&all, g, streamed, SPACE_MSF) || planner_init(&msfcnn, g, streamed, SPACE_MSFCNN) ||
        planner_init(&first_only, g, streamed, SPACE_MCUNETV2)) {
        printf("  out of memory\n");
        return;
    }
    built_plan bp;
    if (plan_build_layers(g, streamed, &bp) == 0) {
        report("layer by layer", g, &bp, all.vanilla_macs, input, output);
        built_plan_free(&bp);
    }
    const struct {
        const char *name;
        const planner *p;
        double f;
    } rows[] = {{"MCUNetV2 heuristic", &first_only, INFINITY}, {"msf-CNN space F=1.0", &msfcnn, 1.0},
                {"msf-CNN space F=1.2", &msfcnn, 1.2},        {"msf-CNN space F=inf", &msfcnn, INFINITY},
                {"msf P1 F=1.0", &all, 1.0},                  {"msf P1 F=1.2", &all, 1.2},
                {"msf P1 F=inf", &all, INFINITY}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        plan_path path;
        if (plan_p1_min_ram(&rows[i].p->graph, rows[i].f, all.vanilla_macs, &path) != PLAN_OK) {
            printf("  %-22s infeasible\n", rows[i].name);
            continue;
        }
        if (planner_build(rows[i].p, g, &path, &bp) == 0) {
            report(rows[i].name, g, &bp, all.vanilla_macs, input, output);
            built_plan_free(&bp);
        }
        plan_path_free(&path);
    }
    planner_free(&all);
    planner_free(&msfcnn);
    planner_free(&first_only);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_plans MODEL...\n");
        return 2;
    }
    printf("  %-22s %-9s %10s %10s %12s %12s %8s %9s  %s\n", "setting", "input", "planned B", "measured B",
           "planned MACs", "counted MACs", "overhead", "host ms", "fused blocks");
    for (int i = 1; i < argc; i++) {
        msf_graph g;
        char err[512];
        if (graph_load(argv[i], &g, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        printf("%s\n", argv[i]);
        uint32_t in_bytes = io_bytes(&g.model, g.model.inputs, g.model.n_inputs);
        uint8_t *input = lcg_bytes(in_bytes);
        uint8_t *output = malloc(io_bytes(&g.model, g.model.outputs, g.model.n_outputs) + 1);
        if (input && output) {
            settings(&g, 0, input, output);
            if (g.model.n_inputs == 1)
                settings(&g, MSF_STREAM_INPUT, input, output);
            if (g.model.n_inputs == 1 && g.model.n_outputs == 1)
                settings(&g, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, input, output);
        }
        free(input);
        free(output);
        graph_free(&g);
    }
    return 0;
}
