/* One network of a space, planned three ways (space_eval.h). */
#include "space_eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plan_build.h"
#include "plan_policy.h"
#include "spec_net.h"

const char *const space_mem_names[N_MEM] = {"layers", "mcunetv2", "msf"};

/* P1 over the candidate blocks of a space (msf's, or MCUNetV2's: only the
 * block at the network input), laid out: the arena msf plan reports. */
static int least_ram(msf_graph *g, planner_space space, double max_overhead, uint32_t *ram)
{
    uint64_t macs;
    return plan_least_ram(g, 0, space, max_overhead, UINT64_MAX, ram, &macs) == PLAN_POLICY_OK ? 0 : -1;
}

static int figures(msf_graph *g, double max_overhead, space_figures *f, char *err, size_t err_size)
{
    built_plan bp;
    if (plan_build_layers(g, 0, &bp) != LAYOUT_OK) {
        snprintf(err, err_size, "the layer-by-layer layout failed");
        return -1;
    }
    f->macs = bp.macs;
    f->ram[MEM_LAYERS] = bp.plan.arena_bytes;
    built_plan_free(&bp);
    f->weight_bytes = 0;
    for (int32_t i = 0; i < g->model.n_ops; i++)
        f->weight_bytes += g->op_weight_bytes[i];
    if (least_ram(g, SPACE_MCUNETV2, INFINITY, &f->ram[MEM_MCUNETV2]) ||
        least_ram(g, SPACE_MSF, max_overhead, &f->ram[MEM_MSF])) {
        snprintf(err, err_size, "planning failed (out of memory)");
        return -1;
    }
    return 0;
}

int space_evaluate(const char *spec, size_t len, double max_overhead, space_figures *f, char *err, size_t err_size)
{
    spec_net net;
    size_t size;
    msf_graph g;
    if (spec_read(spec, len, &net, err, err_size))
        return -1;
    /* Planning reads shapes and quantization, never weight values. */
    uint8_t *tflite = spec_write_tflite_zero_weights(&net, &size);
    free(net.layers);
    if (!tflite) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    if (graph_from_tflite(tflite, size, &g, err, err_size))
        return -1;
    int rc = figures(&g, max_overhead, f, err, err_size);
    graph_free(&g);
    return rc;
}
