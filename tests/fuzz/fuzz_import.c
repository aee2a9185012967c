/* libFuzzer entry: any bytes given to the importer are refused with a
 * message or accepted, without touching memory outside them. What the reader
 * accepts must keep its promises (indices in range, constant data inside the
 * input); what the graph builder accepts must lay out in an arena. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_build.h"
#include "graph.h"
#include "import/tflite_mutations.h"
#include "tflite_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reader(const uint8_t *data, size_t size)
{
    tfl_model m;
    char err[256];
    const char *problem;
    if (tflite_read(data, size, &m, err, sizeof err) != 0)
        return;
    if ((problem = tflite_model_unsound(&m, data, size))) {
        fprintf(stderr, "accepted model is unsound: %s\n", problem);
        abort();
    }
    tflite_free(&m);
}

static void check_graph(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return;
    memcpy(copy, data, size);
    msf_graph g;
    char err[512];
    if (graph_from_tflite(copy, size, &g, err, sizeof err) != 0) {
        if (err[0] == '\0')
            abort(); /* a refusal must say why */
        return;
    }
    built_plan bp;
    if (plan_build_layers(&g, 0, &bp) != 0)
        abort();
    built_plan_free(&bp);
    graph_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_reader(data, size);
    check_graph(data, size);
    return 0;
}
