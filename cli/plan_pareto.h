/* msf plan --pareto (cmd_pareto.c). */
#ifndef MSF_PLAN_PARETO_H
#define MSF_PLAN_PARETO_H

#include "graph.h"
#include "time_model.h"

/* The gnuplot terminal for a plot file, chosen by its extension (.png or
 * .svg); NULL for any other name. */
const char *pareto_plot_terminal(const char *path);

/* Writes the front as CSV to output (stdout when NULL) and, with plot, draws
 * it there (PNG or SVG). streamed: STREAM_* flags. With a target (not
 * NULL), the front of peak RAM and the instructions predicted there (no
 * plot). inputs: the files read, which no output may replace. Returns an
 * exit code. */
int cmd_pareto(const char *output, const char *plot, msf_graph *g, int streamed, const time_target *target,
               const char *const *inputs, int n_inputs);

#endif
