/* msf's two figures, as SVG: the Pareto front of (peak RAM, MACs) as a step
 * chart with the baselines, the chosen plan and the budget; and the memory
 * profile, the bytes live at each layer run layer by layer and under the
 * plan. RAM in KiB, as boards state it. */
#ifndef MSF_FIGURES_H
#define MSF_FIGURES_H

#include <stdint.h>
#include <stdio.h>

#include "baselines.h"
#include "graph.h"
#include "plan_build.h"

typedef struct {
    const char *model;         /* shown in the title (escaped) */
    const setting *front;      /* by ascending peak RAM */
    int32_t n_front;
    const baseline_set *base;
    const setting *chosen;     /* NULL: no plan chosen */
    uint64_t budget;           /* RAM bytes, 0: none */
    const char *budget_label;
} pareto_figure;

void pareto_svg(FILE *f, const pareto_figure *p);

/* Every point of g's Pareto front under `streamed`, each laid out (the
 * arena it really needs), by ascending RAM. An exit code, message printed;
 * *front malloc'ed on 0. */
int pareto_front(msf_graph *g, int streamed, setting **front, int32_t *n);

/* The memory profile of plan bp: per operator, the bytes its block keeps
 * alive under bp and run layer by layer (same streaming). An exit code; the
 * figure written to f on 0. */
int memory_svg(FILE *f, const char *model, msf_graph *g, const built_plan *bp, uint64_t budget,
               const char *budget_label);

#endif
