/* libFuzzer entry for architecture specs: any text is refused by the spec
 * reader with a message, or becomes a .tflite the importer accepts as the
 * network the reader derived (spec_round_trip.h: per layer its operators,
 * MACs and output shape), whose layer-by-layer plan lays out. Networks of
 * more than MAX_WEIGHTS weights are only read: drawing and importing
 * weights takes most of a run's time and reaches little other code; the size
 * limits are the reader's (test_spec_errors checks them). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "plan_build.h"
#include "spec/spec_round_trip.h"

#define MAX_WEIGHTS 20000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether the spec has few enough weights to build, or is refused (with a
 * message, which spec_round_trip checks). */
static int small_or_refused(const uint8_t *data, size_t size)
{
    spec_net net;
    char msg[512];
    if (spec_read((const char *)data, size, &net, msg, sizeof msg) != 0)
        return 1;
    uint64_t weights = 0;
    for (int32_t i = 1; i < net.n; i++) {
        const spec_layer *l = &net.layers[i];
        spec_shape in = net.layers[l->input].out;
        uint64_t taps = (uint64_t)l->kh * (uint64_t)l->kw, in_values = (uint64_t)(in.h ? in.h * in.w : 1) * in.c;
        if (l->kind == SPEC_CONV)
            weights += taps * (uint64_t)in.c * (uint64_t)l->out.c;
        else if (l->kind == SPEC_DEPTHWISE)
            weights += taps * (uint64_t)l->out.c;
        else if (l->kind == SPEC_FC)
            weights += in_values * (uint64_t)l->out.c;
    }
    free(net.layers);
    return weights <= MAX_WEIGHTS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!small_or_refused(data, size))
        return 0;
    msf_graph g;
    char msg[512] = "";
    int rc = spec_round_trip((const char *)data, size, &g, msg, sizeof msg);
    if (rc == SPEC_REFUSED)
        return 0; /* with the reader's message: spec_round_trip checks it */
    if (rc == SPEC_BROKEN) {
        fprintf(stderr, "%s\n", msg);
        abort();
    }
    built_plan bp;
    if (plan_build_layers(&g, 0, &bp) != 0)
        abort();
    built_plan_free(&bp);
    graph_free(&g);
    return 0;
}
