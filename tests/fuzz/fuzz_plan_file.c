/* libFuzzer entry: any bytes given to the plan-file reader as the plan of a
 * fixed small network (a residual block, zero padding, a global pool and a
 * classifier) are refused with a message, or give a plan that runs in an
 * arena of exactly the planned size with the layer-by-layer output bytes,
 * its high-water mark equal to that arena, its counted MACs equal to the
 * planned MACs, and a sound layout. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/fused_check.h"
#include "plan_file.h"
#include "spec_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The network of tests/fuzz/plan_seeds/ (the seeds are msf plan's files for
 * it, each way of streaming). */
static const char network[] = "input 16x16x3\n"
                              "zeropad t=0 b=1 l=0 r=1\n"
                              "conv k=3 s=2 c=8 pad=valid act=relu6\n"
                              "dw k=3 act=relu6 name=b0\n"
                              "pw c=16 act=relu6\n"
                              "dw k=3 act=relu6\n"
                              "pw c=8\n"
                              "add from=b0\n"
                              "dw k=3 s=2 act=relu6\n"
                              "pw c=12 act=relu6\n"
                              "gap\n"
                              "fc c=5\n"
                              "softmax\n";

static msf_graph graph;
static uint8_t *input, *expected, *output;

static void set_up(void)
{
    uint8_t *tflite;
    size_t size;
    char err[512];
    built_plan layers;
    run_measure r;
    if (spec_to_tflite(network, sizeof network - 1, &tflite, &size, err, sizeof err) != 0 ||
        graph_from_tflite(tflite, size, &graph, err, sizeof err) != 0 || plan_build_layers(&graph, 0, &layers) != 0) {
        fprintf(stderr, "fuzz_plan_file: the network does not load\n");
        abort();
    }
    msf_model *m = &graph.model;
    uint32_t out_bytes = io_bytes(m, m->outputs, m->n_outputs);
    input = lcg_bytes(io_bytes(m, m->inputs, m->n_inputs), 7);
    expected = malloc(out_bytes);
    output = malloc(out_bytes);
    if (!input || !expected || !output || measured_run(m, &layers.plan, input, expected, &r) != MSF_OK)
        abort();
    built_plan_free(&layers);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!input)
        set_up();
    built_plan bp;
    char err[512] = "";
    int rc = plan_file_parse((const char *)data, size, &graph, &bp, err, sizeof err);
    if (rc != PLAN_FILE_OK) {
        if (err[0] == '\0')
            abort(); /* a refusal must say why */
        return 0;
    }
    msf_model *m = &graph.model;
    run_measure r;
    if (measured_run(m, &bp.plan, input, output, &r) != MSF_OK ||
        memcmp(output, expected, io_bytes(m, m->outputs, m->n_outputs)) != 0 ||
        r.arena_high_water != bp.plan.arena_bytes || r.macs != bp.macs || !check_layout(&graph, &bp, "fuzzed plan")) {
        fprintf(stderr, "an accepted plan broke its promises: high-water %u arena %u, MACs %llu planned %llu\n",
                r.arena_high_water, bp.plan.arena_bytes, (unsigned long long)r.macs, (unsigned long long)bp.macs);
        abort();
    }
    built_plan_free(&bp);
    return 0;
}
