/* When no plan fits: the answer is how close the model can come. */
#ifndef MSF_INFEASIBLE_H
#define MSF_INFEASIBLE_H

#include <stdint.h>

#include "graph.h"
#include "plan_policy.h"

/* Exit code of a command whose bound no plan meets (README, exit codes):
 * not a failure of msf, and not bad input either. */
#define EXIT_INFEASIBLE 3

/* Prints, after "no plan fits", the least arena any plan needs under r's
 * streaming (the min-RAM plan, no MAC bound) and its MACs, and for each
 * other way of streaming the model takes, its least arena and whether that
 * fits budget. Returns EXIT_INFEASIBLE (EXIT_RUNTIME when out of memory). */
int infeasible_report(msf_graph *g, const plan_request *r, uint64_t budget);

/* After a min-RAM plan within r->max_overhead that does not fit a board
 * whose arena may reach `budget`: the least overhead that would fit (the
 * least MACs within budget), or that none does. */
void infeasible_overhead_hint(msf_graph *g, const plan_request *r, uint64_t budget);

#endif
