/* msf plan --pareto (cmd_pareto.c). */
#ifndef MSF_PLAN_PARETO_H
#define MSF_PLAN_PARETO_H

#include "graph.h"

/* Writes the front as CSV to output (stdout when NULL) and, with png, plots
 * it. streamed: STREAM_* flags. Returns an exit code. */
int cmd_pareto(const char *output, const char *png, msf_graph *g, int streamed);

#endif
