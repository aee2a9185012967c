/* msf plan --cost msfcnn (cmd_plan_msfcnn.c). */
#ifndef MSF_PLAN_MSFCNN_H
#define MSF_PLAN_MSFCNN_H

#include "graph.h"
#include "plan_policy.h"

/* Solves o's problem (P1, P2 or the Pareto front) over msf-CNN's analytic
 * accounting and prints the blocks, human readable or as JSON (the front
 * as CSV). Returns an exit code. */
int cmd_plan_msfcnn(const plan_request *o, int json, const msf_graph *g);

#endif
