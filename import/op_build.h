/* Per-operator conversion from the file's operator to a runtime op: checks
 * types, shapes and options against what the kernel will do, derives the
 * integer parameters, and records MACs and weight bytes. */
#ifndef MSF_OP_BUILD_H
#define MSF_OP_BUILD_H

#include <stddef.h>

#include "graph.h"

int op_build(msf_graph *g, int32_t index, char *err, size_t err_size);

#endif
