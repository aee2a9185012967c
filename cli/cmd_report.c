#define _POSIX_C_SOURCE 200809L /* open_memstream */
/* msf report: one self-contained HTML page about a model and a plan: the
 * fit to a board, the plan next to the baselines, the Pareto front and the
 * memory profile (inline SVG), and the per-layer analysis. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena_layout.h"
#include "baselines.h"
#include "cli_args.h"
#include "figures.h"
#include "plan_options.h"
#include "svg_chart.h"

static const char report_usage[] =
    "usage: msf report MODEL -o REPORT.html [PLAN OPTIONS]\n"
    "\n"
    "Writes one self-contained HTML page (no scripts, no external files): whether\n"
    "the plan fits the target's RAM and flash, the plan's blocks next to layer by\n"
    "layer, MCUNetV2's heuristic and msf-CNN's space, the Pareto front and the\n"
    "memory profile as inline SVG, and the per-layer analysis of msf info. The\n"
    "plan is --min-ram (no MAC bound) on m4 unless the options choose another plan\n"
    "or board (a board alone: the least MACs that fit it).\n"
    "\n"
    "  -o FILE.html    the page (the name must end in .html)\n" PLAN_OPTIONS_HELP;

typedef struct {
    const char *model, *output;
    plan_options plan;
} report_args;

static int parse_args(int argc, char **argv, report_args *a)
{
    memset(a, 0, sizeof *a);
    const cli_value_option values[] = {{"-o", &a->output}, {NULL, NULL}};
    if (cli_parse_args(argc, argv, report_usage, values, &a->model, NULL, &a->plan))
        return -1;
    size_t n = a->output ? strlen(a->output) : 0;
    if (!a->output)
        return cli_error(EXIT_BAD_INPUT, "-o REPORT.html is required");
    if (n < 6 || strcmp(a->output + n - 5, ".html") != 0)
        return cli_error(EXIT_BAD_INPUT, "the report is an HTML page: name it FILE.html, not '%s'", a->output);
    if (a->plan.req.mode == PLAN_PARETO)
        return cli_error(EXIT_BAD_INPUT, "--pareto is for msf plan (the report draws the front anyway)");
    /* Without a board the fit is shown for the default one, for the plan of
     * least RAM; a board named chooses the least MACs that fit it. */
    if (!a->plan.target_name && !a->plan.have_ram_total) {
        a->plan.target_name = DEFAULT_TARGET;
        if (a->plan.req.mode == PLAN_LAYERS && !a->plan.layers)
            a->plan.req.mode = PLAN_MIN_RAM;
    }
    return plan_options_check(&a->plan);
}

/* The page, built in memory. */
typedef struct {
    FILE *f;
    const report_args *a;
    msf_graph *g;
    const built_plan *bp;
    baseline_set base;
    const char *name; /* the model's file name */
} page;

static void row_bytes(FILE *f, const char *what, uint64_t bytes, uint64_t macs, double overhead)
{
    fputs("<tr><td>", f);
    svg_text(f, what);
    fprintf(f, "</td><td>%llu</td><td>%.2f</td><td>%llu</td><td>%.3f</td></tr>\n", (unsigned long long)bytes,
            bytes / 1024.0, (unsigned long long)macs, overhead);
}

/* One row of the fit: need against have (0: a part, no verdict). */
static void need_row(FILE *f, const char *what, uint64_t need, uint64_t have)
{
    fprintf(f, "<tr><td>%s</td><td>%llu B (%.2f KiB)</td>", what, (unsigned long long)need, need / 1024.0);
    if (!have)
        fputs("<td></td><td></td></tr>\n", f);
    else if (need <= have)
        fprintf(f, "<td>%llu B (%.2f KiB)</td><td class=\"ok\">%llu B free</td></tr>\n", (unsigned long long)have,
                have / 1024.0, (unsigned long long)(have - need));
    else
        fprintf(f, "<td>%llu B (%.2f KiB)</td><td class=\"over\">over by %llu B</td></tr>\n",
                (unsigned long long)have, have / 1024.0, (unsigned long long)(need - have));
}

static void put_fit(page *p)
{
    const board_budget *b = &p->a->plan.board;
    board_need need = fit_need(p->g, &p->bp->plan, b);
    char line[256];
    int fits = fit_line(&need, b, line, sizeof line);
    fprintf(p->f, "<h2>Fit to %s</h2><p>", b->name);
    svg_text(p->f, b->target->board);
    fprintf(p->f, ": <span class=\"%s\">", fits ? "ok" : "over");
    svg_text(p->f, line);
    fputs("</span>. RAM is the arena the plan lays out, the stack the runtime needs for it on this core "
          "and other static RAM; flash is estimated from the model's constants and tables and the core's "
          "measured code.</p>\n<table><tr><th></th><th>needs</th><th>board</th><th></th></tr>\n",
          p->f);
    need_row(p->f, "arena", need.arena, 0);
    need_row(p->f, "stack (predicted)", need.stack, 0);
    need_row(p->f, "other static RAM", need.static_other, 0);
    need_row(p->f, "RAM", need.ram, b->ram);
    need_row(p->f, "flash", need.flash.total, b->flash);
    fputs("</table>\n", p->f);
}

static void put_plan(page *p)
{
    const built_plan *bp = p->bp;
    const baseline_set *b = &p->base;
    double v = (double)b->vanilla.macs;
    fputs("<h2>Plan</h2>\n<table><tr><th>setting</th><th>peak RAM (B)</th><th>KiB</th><th>MACs</th>"
          "<th>overhead</th></tr>\n",
          p->f);
    row_bytes(p->f, "layer by layer", b->vanilla.peak_ram, b->vanilla.macs, 1.0);
    row_bytes(p->f, "MCUNetV2 heuristic", b->mcunetv2.peak_ram, b->mcunetv2.macs, b->mcunetv2.macs / v);
    row_bytes(p->f, "msf-CNN space (H-cache)", b->hcache.peak_ram, b->hcache.macs, b->hcache.macs / v);
    row_bytes(p->f, "this plan", bp->plan.arena_bytes, bp->macs, bp->macs / v);
    fputs("</table>\n<table><tr><th>block</th><th>operators</th><th>scheme</th><th>RAM (B)</th><th>MACs</th></tr>\n",
          p->f);
    for (int32_t i = 0; i < bp->plan.n_blocks; i++) {
        const block_cost *c = &bp->costs[i];
        fprintf(p->f, "<tr><td>%d</td><td>%d-%d %s</td><td>%s</td><td>%llu</td><td>%llu</td></tr>\n", i, c->first_op,
                c->last_op, c->first_op == c->last_op ? tflite_op_name(p->g->tfl.ops[c->first_op].opcode) : "(fused)",
                block_scheme_name(c->scheme), (unsigned long long)c->ram, (unsigned long long)c->macs);
    }
    fputs("</table>\n", p->f);
}

static int put_figures(page *p)
{
    setting *front;
    int32_t n;
    int rc = pareto_front(p->g, p->bp->plan.streamed, &front, &n);
    if (rc != EXIT_OK)
        return rc;
    const plan_request *r = &p->a->plan.req;
    const board_budget *b = &p->a->plan.board;
    uint64_t budget = r->mode == PLAN_MIN_MACS ? r->max_ram : fit_arena_budget(p->g, p->bp->plan.streamed, b);
    char label[96];
    snprintf(label, sizeof label, "%s %.1f KiB", r->mode == PLAN_MIN_MACS ? "--max-ram" : "arena on the board",
             budget / 1024.0);
    setting chosen = {p->bp->plan.arena_bytes, p->bp->macs};
    pareto_figure fig = {p->name, front, n, &p->base, &chosen, budget, label};
    fputs("<h2>Pareto front</h2>\n<figure>", p->f);
    pareto_svg(p->f, &fig);
    fputs("</figure>\n<h2>Memory by layer</h2>\n<figure>", p->f);
    free(front);
    rc = memory_svg(p->f, p->name, p->g, p->bp, budget, label);
    fputs("</figure>\n", p->f);
    return rc;
}

static void put_io(page *p, const char *what, const int32_t *list, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        const msf_tensor *t = &p->g->tensors[list[i]];
        fprintf(p->f, "<tr><td>%s %d</td><td>", what, i);
        svg_text(p->f, p->g->tfl.tensors[list[i]].name);
        fprintf(p->f, "</td><td>%s</td><td>", t->dtype == MSF_INT8 ? "int8" : t->dtype == MSF_INT32 ? "int32" : "float32");
        for (int32_t d = 0; d < t->rank; d++)
            fprintf(p->f, "%s%d", d ? "x" : "", t->dims[d]);
        fprintf(p->f, "</td><td>%.9g</td><td>%d</td></tr>\n", (double)t->scale, t->zero_point);
    }
}

static int put_layers(page *p)
{
    const msf_graph *g = p->g;
    tensor_lifetime *life = tensor_lifetimes(g);
    if (!life)
        return cli_error(EXIT_RUNTIME, "out of memory");
    fputs("<h2>Model</h2>\n<table><tr><th></th><th>name</th><th>type</th><th>shape</th><th>scale</th>"
          "<th>zero point</th></tr>\n",
          p->f);
    put_io(p, "input", g->model.inputs, g->model.n_inputs);
    put_io(p, "output", g->model.outputs, g->model.n_outputs);
    fputs("</table>\n<table><tr><th>#</th><th>op</th><th>output</th><th>MACs</th><th>share</th><th>weights (B)</th>"
          "<th>live, layer by layer (B)</th></tr>\n",
          p->f);
    uint64_t total = 0;
    for (int32_t i = 0; i < g->model.n_ops; i++)
        total += g->op_macs[i];
    for (int32_t i = 0; i < g->model.n_ops; i++) {
        const msf_tensor *o = &g->tensors[g->ops[i].output];
        fprintf(p->f, "<tr><td>%d</td><td>%s</td><td>", i, tflite_op_name(g->tfl.ops[i].opcode));
        for (int32_t d = 0; d < o->rank; d++)
            fprintf(p->f, "%s%d", d ? "x" : "", o->dims[d]);
        fprintf(p->f, "</td><td>%llu</td><td>%.1f%%</td><td>%u</td><td>%llu</td></tr>\n",
                (unsigned long long)g->op_macs[i], total ? 100.0 * (double)g->op_macs[i] / (double)total : 0.0,
                g->op_weight_bytes[i], (unsigned long long)arena_live_bytes(g, life, i, i, 0));
    }
    fputs("</table>\n", p->f);
    free(life);
    return EXIT_OK;
}

static const char style[] =
    "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.ok{color:#2a7a2a}.over{color:#c0392b;font-weight:bold}"
    "figure{margin:1em 0}</style>\n";

static int write_page(page *p)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>msf report: ", p->f);
    svg_text(p->f, p->name);
    fprintf(p->f, "</title>\n%s</head><body>\n<h1>msf report: ", style);
    svg_text(p->f, p->name);
    fputs("</h1>\n", p->f);
    put_fit(p);
    put_plan(p);
    int rc = put_figures(p);
    if (rc == EXIT_OK)
        rc = put_layers(p);
    fputs("</body></html>\n", p->f);
    return rc;
}

static int report(const report_args *a, msf_graph *g)
{
    built_plan bp;
    int rc = plan_choose(g, &a->plan, &bp);
    if (rc != EXIT_OK)
        return rc;
    const char *slash = strrchr(a->model, '/');
    page p = {NULL, a, g, &bp, {{0, 0}, {0, 0}, {0, 0}}, slash ? slash + 1 : a->model};
    char *text = NULL;
    size_t size = 0;
    int layout = baselines_of(g, bp.plan.streamed, &p.base);
    if (layout != LAYOUT_OK)
        rc = plan_layout_error(layout);
    else if (!(p.f = open_memstream(&text, &size)))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    if (p.f) {
        rc = write_page(&p);
        fclose(p.f);
    }
    if (rc == EXIT_OK)
        rc = cli_write_output(a->output, text, size, &a->model, 1);
    if (rc == EXIT_OK)
        printf("wrote %s (%zu bytes)\n", a->output, size);
    free(text);
    built_plan_free(&bp);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    report_args a;
    if (parse_args(argc, argv, &a))
        return cli_usage_hint("report");
    msf_graph g;
    if (cli_load_model(a.model, &g))
        return EXIT_BAD_INPUT;
    char msg[512];
    int rc = plan_exit(plan_streaming_check(&g, a.plan.req.streamed, msg, sizeof msg), msg);
    if (rc == EXIT_OK)
        rc = report(&a, &g);
    graph_free(&g);
    return rc;
}
