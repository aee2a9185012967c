#include <stdlib.h>

#include "cli.h"
#include "figures.h"
#include "plan_options.h"
#include "planner.h"
#include "svg_chart.h"

#define KIB(x) ((double)(x) / 1024.0)
#define MILLIONS(x) ((double)(x) / 1e6)

static double max2(double a, double b)
{
    return a > b ? a : b;
}

static char *title_of(const char *model, const char *what, char *buf, size_t n)
{
    snprintf(buf, n, "%s: %s", model, what);
    return buf;
}

/* The front as steps: the least MACs any plan of at most x KiB needs. */
static void front_steps(const svg_chart *c, const setting *front, int32_t n)
{
    double *x = malloc((2 * (size_t)n + 1) * sizeof *x), *y = malloc((2 * (size_t)n + 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return;
    }
    int k = 0;
    for (int32_t i = 0; i < n; i++) {
        if (i) {
            x[k] = KIB(front[i].peak_ram), y[k++] = MILLIONS(front[i - 1].macs);
        }
        x[k] = KIB(front[i].peak_ram), y[k++] = MILLIONS(front[i].macs);
    }
    x[k] = c->x1, y[k] = y[k - 1], k++;
    svg_line(c, x, y, k, "#1f77b4", 2, NULL);
    for (int32_t i = 0; i < n; i++)
        svg_marker(c, KIB(front[i].peak_ram), MILLIONS(front[i].macs), 's', "#1f77b4", 2.5, NULL);
    free(x);
    free(y);
}

/* Whether a budget of `budget` KiB is drawn on a chart whose data reach
 * `top` KiB: a board's RAM far above them would squeeze the data into a
 * corner, so it is named in the legend instead. */
static int budget_drawn(double budget, double top)
{
    return budget > 0 && budget <= 1.5 * top;
}

/* The budget's legend text; one off the chart says so. */
static const char *budget_text(const char *label, int drawn, char *text, size_t size)
{
    snprintf(text, size, "budget: %s%s", label, drawn ? "" : " (off the chart)");
    return text;
}

void pareto_svg(FILE *f, const pareto_figure *p)
{
    double ram = KIB(p->base->vanilla.peak_ram), macs = 0, budget = KIB(p->budget);
    int draw_budget = budget_drawn(budget, ram);
    if (draw_budget)
        ram = max2(ram, budget);
    for (int32_t i = 0; i < p->n_front; i++)
        macs = max2(macs, MILLIONS(p->front[i].macs));
    macs = max2(macs, max2(MILLIONS(p->base->mcunetv2.macs), MILLIONS(p->base->hcache.macs)));
    char title[512];
    svg_chart c;
    svg_open(&c, f, 820, 480, title_of(p->model, "Pareto front of peak RAM and MACs", title, sizeof title), 0,
             ram * 1.05, 0, macs * 1.08, "peak RAM (KiB)", "MACs (millions)");
    if (p->n_front > 0)
        front_steps(&c, p->front, p->n_front);
    const baseline_set *b = p->base;
    svg_marker(&c, KIB(b->vanilla.peak_ram), MILLIONS(b->vanilla.macs), 's', "#555", 6, NULL);
    svg_marker(&c, KIB(b->mcunetv2.peak_ram), MILLIONS(b->mcunetv2.macs), '^', "#e67e22", 6, NULL);
    svg_marker(&c, KIB(b->hcache.peak_ram), MILLIONS(b->hcache.macs), 'd', "#2ca02c", 6, NULL);
    if (p->chosen)
        svg_marker(&c, KIB(p->chosen->peak_ram), MILLIONS(p->chosen->macs), 'o', "#d62728", 9, NULL);
    if (draw_budget)
        svg_vline(&c, budget, "#d62728", p->budget_label);
    int k = 0;
    svg_legend(&c, k++, 0, "#1f77b4", NULL, "Pareto front (least MACs within x)");
    svg_legend(&c, k++, 's', "#555", NULL, "layer by layer");
    svg_legend(&c, k++, '^', "#e67e22", NULL, "MCUNetV2 heuristic");
    svg_legend(&c, k++, 'd', "#2ca02c", NULL, "msf-CNN space (H-cache)");
    if (p->chosen)
        svg_legend(&c, k++, 'o', "#d62728", NULL, "the chosen plan");
    char text[160];
    if (p->budget)
        svg_legend(&c, k++, 0, "#d62728", "6 4", budget_text(p->budget_label, draw_budget, text, sizeof text));
    svg_close(&c);
}

int pareto_front(msf_graph *g, int streamed, setting **front, int32_t *n)
{
    planner p;
    plan_path *paths = NULL;
    *front = NULL;
    *n = 0;
    if (planner_init(&p, g, streamed, SPACE_MSF))
        return cli_error(EXIT_RUNTIME, "out of memory");
    int32_t count = 0;
    int rc = plan_pareto(&p.graph, &paths, &count) == PLAN_OK ? EXIT_OK : cli_error(EXIT_RUNTIME, "out of memory");
    setting *out = rc == EXIT_OK ? malloc(((size_t)count + 1) * sizeof *out) : NULL;
    if (rc == EXIT_OK && !out)
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    for (int32_t i = 0; rc == EXIT_OK && i < count; i++) {
        built_plan bp;
        int layout = planner_build(&p, g, &paths[i], &bp);
        if (layout != LAYOUT_OK) {
            rc = plan_layout_error(layout);
            break;
        }
        out[i] = (setting){bp.plan.arena_bytes, bp.macs};
        built_plan_free(&bp);
    }
    plan_front_free(paths, count);
    planner_free(&p);
    if (rc != EXIT_OK) {
        free(out);
        return rc;
    }
    *front = out;
    *n = count;
    return EXIT_OK;
}

/* Per operator, the RAM of the block that runs it. */
static void per_op(const built_plan *bp, double *kib)
{
    for (int32_t b = 0; b < bp->plan.n_blocks; b++)
        for (int32_t o = bp->costs[b].first_op; o <= bp->costs[b].last_op; o++)
            kib[o] = KIB(bp->costs[b].ram);
}

/* Steps over operators: value v[i] from x = i to i + 1. */
static void op_steps(const svg_chart *c, const double *v, int32_t n, double *x, double *y, const char *color,
                     const char *dash)
{
    for (int32_t i = 0; i < n; i++) {
        x[2 * i] = i, y[2 * i] = v[i];
        x[2 * i + 1] = i + 1, y[2 * i + 1] = v[i];
    }
    svg_line(c, x, y, 2 * n, color, 2, dash);
}

int memory_svg(FILE *f, const char *model, msf_graph *g, const built_plan *bp, uint64_t budget,
               const char *budget_label)
{
    built_plan layers;
    int layout = plan_build_layers(g, bp->plan.streamed, &layers);
    if (layout != LAYOUT_OK)
        return plan_layout_error(layout);
    int32_t n = g->model.n_ops;
    double *lb = malloc((size_t)n * sizeof *lb), *pl = malloc((size_t)n * sizeof *pl);
    double *x = malloc(2 * (size_t)n * sizeof *x), *y = malloc(2 * (size_t)n * sizeof *y);
    int rc = lb && pl && x && y ? EXIT_OK : cli_error(EXIT_RUNTIME, "out of memory");
    if (rc == EXIT_OK) {
        per_op(&layers, lb);
        per_op(bp, pl);
        double top = 0;
        for (int32_t i = 0; i < n; i++)
            top = max2(top, max2(lb[i], pl[i]));
        int draw_budget = budget_drawn(KIB(budget), top);
        if (draw_budget)
            top = max2(top, KIB(budget));
        char title[512];
        svg_chart c;
        svg_open(&c, f, 820, 400, title_of(model, "RAM live at each layer", title, sizeof title), 0, n, 0, top * 1.1,
                 "operator", "RAM (KiB)");
        op_steps(&c, lb, n, x, y, "#888", "5 3");
        op_steps(&c, pl, n, x, y, "#1f77b4", NULL);
        if (draw_budget) {
            double bx[2] = {0, n}, by[2] = {KIB(budget), KIB(budget)};
            svg_line(&c, bx, by, 2, "#d62728", 1.5, "6 4");
        }
        char text[160];
        if (budget)
            svg_legend(&c, 2, 0, "#d62728", "6 4", budget_text(budget_label, draw_budget, text, sizeof text));
        svg_legend(&c, 0, 0, "#888", "5 3", "layer by layer");
        svg_legend(&c, 1, 0, "#1f77b4", NULL, "the plan (each block's RAM)");
        svg_close(&c);
    }
    free(lb);
    free(pl);
    free(x);
    free(y);
    built_plan_free(&layers);
    return rc;
}
