/* msf plan --pareto: every Pareto-optimal setting of (peak RAM, MACs) as
 * CSV, and optionally a plot of the front (gnuplot, PNG or SVG); with a
 * target, of (peak RAM, instructions predicted there) as CSV. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "figures.h"
#include "gnuplot.h"
#include "plan_options.h"
#include "plan_pareto.h"

/* One CSV row per front point, each laid out to report the arena it needs
 * (kept in pts for a plot); with a target, each point's predicted
 * instructions, in which the overhead is then counted. Returns LAYOUT_OK or
 * the layout's failure. */
static int write_rows(FILE *f, msf_graph *g, const planner *p, const plan_path *front, int32_t n, setting *pts,
                      const time_target *target)
{
    fprintf(f, "peak_ram_bytes,macs,%soverhead,blocks\n", target ? "instructions," : "");
    for (int32_t i = 0; i < n; i++) {
        built_plan bp;
        int rc = planner_build(p, g, &front[i], &bp);
        if (rc != LAYOUT_OK)
            return rc;
        pts[i] = (setting){bp.plan.arena_bytes, bp.macs};
        fprintf(f, "%u,%llu,", bp.plan.arena_bytes, (unsigned long long)bp.macs);
        if (target)
            fprintf(f, "%llu,", (unsigned long long)front[i].macs);
        fprintf(f, "%.6f,", (double)front[i].macs / (double)p->vanilla_macs);
        for (int32_t b = 0; b < bp.plan.n_blocks; b++)
            fprintf(f, "%s%d-%d", b ? " " : "", bp.costs[b].first_op, bp.costs[b].last_op);
        fputc('\n', f);
        built_plan_free(&bp);
    }
    return 0;
}

const char *pareto_plot_terminal(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0)
        return "pngcairo size 900,600";
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
        return "svg size 900,600";
    return NULL;
}

/* The gnuplot script (malloc'ed; NULL when out of memory): the CSV inline
 * as a data block, the image on stdout, the front as steps in KiB with the
 * baselines. Nothing the user typed goes into it (a file name pasted into a
 * script is a way to run commands): the model's name is drawn only in SVG,
 * which msf writes itself. */
static char *plot_script(const char *terminal, const char *csv, const baseline_set *b)
{
    char *script = NULL;
    size_t size = 0;
    FILE *gp = open_memstream(&script, &size);
    if (!gp)
        return NULL;
    fprintf(gp,
            "set terminal %s\nset output\nset datafile separator ','\n"
            "set xlabel 'peak RAM (KiB)'\nset ylabel 'MACs (millions)'\nset grid\nset key top right\n"
            "set title 'msf: Pareto front of peak RAM and MACs'\n$front << EOD\n%sEOD\n"
            "$base << EOD\n%u,%llu\n%u,%llu\n%u,%llu\nEOD\n"
            "plot $front every ::1 using ($1/1024):($2/1e6) with steps lw 2 title 'Pareto front', "
            "$front every ::1 using ($1/1024):($2/1e6) with points pt 7 ps 0.6 notitle, "
            "$base every ::0::0 using ($1/1024):($2/1e6) with points pt 5 ps 1.5 title 'layer by layer', "
            "$base every ::1::1 using ($1/1024):($2/1e6) with points pt 9 ps 1.5 title 'MCUNetV2 heuristic', "
            "$base every ::2::2 using ($1/1024):($2/1e6) with points pt 13 ps 1.5 title 'msf-CNN space (H-cache)'\n",
            terminal, csv, b->vanilla.peak_ram, (unsigned long long)b->vanilla.macs, b->mcunetv2.peak_ram,
            (unsigned long long)b->mcunetv2.macs, b->hcache.peak_ram, (unsigned long long)b->hcache.macs);
    fclose(gp);
    return script;
}

/* The plot: SVG drawn by msf (the model's name in the title), PNG by
 * gnuplot. An exit code; the image malloc'ed in *image. */
static int draw(const char *plot, msf_graph *g, int streamed, const char *csv, const setting *pts, int32_t n,
                const char *model, char **image, size_t *size)
{
    baseline_set b;
    int layout = baselines_of(g, streamed, &b);
    if (layout != LAYOUT_OK)
        return plan_layout_error(layout);
    size_t len = strlen(plot);
    if (strcmp(plot + len - 4, ".png") == 0) {
        char *script = plot_script(pareto_plot_terminal(plot), csv, &b);
        int rc = script ? gnuplot_run(script, image, size) : cli_error(EXIT_RUNTIME, "out of memory");
        free(script);
        return rc;
    }
    FILE *f = open_memstream(image, size);
    if (!f)
        return cli_error(EXIT_RUNTIME, "out of memory");
    const char *slash = strrchr(model, '/');
    pareto_figure fig = {slash ? slash + 1 : model, pts, n, &b, NULL, 0, NULL};
    pareto_svg(f, &fig);
    fclose(f);
    return EXIT_OK;
}

int cmd_pareto(const char *output, const char *plot, msf_graph *g, int streamed, const time_target *target,
               const char *const *inputs, int n_inputs)
{
    planner p;
    plan_path *front = NULL;
    setting *pts = NULL;
    int32_t n = 0;
    if (planner_init(&p, g, streamed, SPACE_MSF))
        return cli_error(EXIT_RUNTIME, "out of memory");
    if (target)
        planner_cost_time(&p, g, *target);
    char *text = NULL, *image = NULL;
    size_t size = 0, image_size = 0;
    FILE *f = NULL;
    int rc = EXIT_OK, layout = LAYOUT_OK;
    if (plan_pareto(&p.graph, &front, &n) != PLAN_OK || !(pts = malloc(((size_t)n + 1) * sizeof *pts)) ||
        !(f = open_memstream(&text, &size)))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    else if ((layout = write_rows(f, g, &p, front, n, pts, target)) != LAYOUT_OK)
        rc = plan_layout_error(layout);
    if (f)
        fclose(f);
    if (rc == EXIT_OK && n == 0)
        rc = cli_error(EXIT_RUNTIME, "no plan exists for this model");
    if (rc == EXIT_OK && plot)
        rc = draw(plot, g, streamed, text, pts, n, inputs[0], &image, &image_size);
    if (rc == EXIT_OK && plot)
        rc = cli_write_output(plot, image, image_size, inputs, n_inputs);
    if (rc == EXIT_OK && output)
        rc = cli_write_output(output, text, size, inputs, n_inputs);
    else if (rc == EXIT_OK)
        fputs(text, stdout);
    free(text);
    free(image);
    free(pts);
    plan_front_free(front, n);
    planner_free(&p);
    return rc;
}
