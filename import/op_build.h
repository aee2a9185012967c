/* Per-operator conversion from the file's operator to a runtime op: checks
 * types, shapes and options against what the kernel will do, derives the
 * integer parameters, and records MACs and weight bytes. */
#ifndef MSF_OP_BUILD_H
#define MSF_OP_BUILD_H

#include <stddef.h>

#include "graph.h"

int op_build(msf_graph *g, int32_t index, char *err, size_t err_size);

/* Shared by the graph builder's files. */
int graph_fail(char *err, size_t err_size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void *graph_alloc(msf_graph *g, size_t bytes);

#endif
