/* msf plan --pareto: every Pareto-optimal setting of (peak RAM, MACs) as
 * CSV, and optionally a plot of the front (gnuplot, PNG or SVG). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gnuplot.h"
#include "plan_options.h"
#include "plan_pareto.h"

/* One CSV row per front point, each laid out to report the arena it needs.
 * Returns LAYOUT_OK or the layout's failure. */
static int write_rows(FILE *f, msf_graph *g, const planner *p, const plan_path *front, int32_t n)
{
    fprintf(f, "peak_ram_bytes,macs,overhead,blocks\n");
    for (int32_t i = 0; i < n; i++) {
        built_plan bp;
        int rc = planner_build(p, g, &front[i], &bp);
        if (rc != LAYOUT_OK)
            return rc;
        fprintf(f, "%u,%llu,%.6f,", bp.plan.arena_bytes, (unsigned long long)bp.macs,
                (double)bp.macs / (double)p->vanilla_macs);
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
 * as a data block, the image on stdout. Nothing the user typed goes into it
 * (a file name pasted into a script is a way to run commands). */
static char *plot_script(const char *terminal, const char *csv)
{
    char *script = NULL;
    size_t size = 0;
    FILE *gp = open_memstream(&script, &size);
    if (!gp)
        return NULL;
    fprintf(gp,
            "set terminal %s\nset output\nset datafile separator ','\n"
            "set xlabel 'peak RAM (kB, 1000 B)'\nset ylabel 'MACs (millions)'\nset grid\n"
            "set title 'msf Pareto front: peak RAM vs MACs'\n$front << EOD\n%sEOD\n"
            "plot $front every ::1 using ($1/1000):($2/1e6) with linespoints title 'Pareto front'\n",
            terminal, csv);
    fclose(gp);
    return script;
}

int cmd_pareto(const char *output, const char *plot, msf_graph *g, int streamed, const char *const *inputs,
               int n_inputs)
{
    planner p;
    plan_path *front = NULL;
    int32_t n = 0;
    if (planner_init(&p, g, streamed, SPACE_MSF))
        return cli_error(EXIT_RUNTIME, "out of memory");
    char *text = NULL, *image = NULL;
    size_t size = 0, image_size = 0;
    FILE *f = NULL;
    int rc = EXIT_OK, layout = LAYOUT_OK;
    if (plan_pareto(&p.graph, &front, &n) != PLAN_OK || !(f = open_memstream(&text, &size)))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    else if ((layout = write_rows(f, g, &p, front, n)) != LAYOUT_OK)
        rc = plan_layout_error(layout);
    if (f)
        fclose(f);
    if (rc == EXIT_OK && n == 0)
        rc = cli_error(EXIT_RUNTIME, "no plan exists for this model");
    char *script = rc == EXIT_OK && plot ? plot_script(pareto_plot_terminal(plot), text) : NULL;
    if (rc == EXIT_OK && plot)
        rc = script ? gnuplot_run(script, &image, &image_size) : cli_error(EXIT_RUNTIME, "out of memory");
    free(script);
    if (rc == EXIT_OK && plot)
        rc = cli_write_output(plot, image, image_size, inputs, n_inputs);
    if (rc == EXIT_OK && output)
        rc = cli_write_output(output, text, size, inputs, n_inputs);
    else if (rc == EXIT_OK)
        fputs(text, stdout);
    free(text);
    free(image);
    plan_front_free(front, n);
    planner_free(&p);
    return rc;
}
