/* msf plan --pareto: every Pareto-optimal setting of (peak RAM, MACs) as
 * CSV, and optionally a plot of the front (gnuplot). */
#define _POSIX_C_SOURCE 200809L /* open_memstream, popen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file_io.h"
#include "plan_options.h"
#include "plan_pareto.h"

/* One CSV row per front point, each laid out to report the arena it needs. */
static int write_rows(FILE *f, msf_graph *g, const planner *p, const plan_path *front, int32_t n)
{
    fprintf(f, "peak_ram_bytes,macs,overhead,blocks\n");
    for (int32_t i = 0; i < n; i++) {
        built_plan bp;
        if (planner_build(p, g, &front[i], &bp))
            return -1;
        fprintf(f, "%u,%llu,%.6f,", bp.plan.arena_bytes, (unsigned long long)bp.macs,
                (double)bp.macs / (double)p->vanilla_macs);
        for (int32_t b = 0; b < bp.plan.n_blocks; b++)
            fprintf(f, "%s%d-%d", b ? " " : "", bp.blocks[b].first_op, bp.blocks[b].last_op);
        fputc('\n', f);
        built_plan_free(&bp);
    }
    return 0;
}

static int plot(const char *csv, const char *png)
{
    FILE *gp = popen("gnuplot 2>&1", "w");
    if (!gp)
        return cli_error(EXIT_RUNTIME, "cannot start gnuplot");
    fprintf(gp,
            "set terminal pngcairo size 900,600\nset output '%s'\nset datafile separator ','\n"
            "set xlabel 'peak RAM (kB, 1000 B)'\nset ylabel 'MACs (millions)'\nset grid\n"
            "set title 'msf Pareto front: peak RAM vs MACs'\n"
            "plot '%s' every ::1 using ($1/1000):($2/1e6) with linespoints title 'Pareto front'\n",
            png, csv);
    int status = pclose(gp);
    if (status != 0)
        return cli_error(EXIT_RUNTIME, "gnuplot failed (is it installed? apt-get install gnuplot-nox)");
    return EXIT_OK;
}

int cmd_pareto(const char *output, const char *png, msf_graph *g, int streamed)
{
    planner p;
    plan_path *front = NULL;
    int32_t n = 0;
    if (planner_init(&p, g, streamed, 0))
        return cli_error(EXIT_RUNTIME, "out of memory");
    char *text = NULL, err[512];
    size_t size = 0;
    FILE *f = NULL;
    int rc = EXIT_OK;
    if (plan_pareto(&p.graph, &front, &n) != PLAN_OK || !(f = open_memstream(&text, &size)) ||
        write_rows(f, g, &p, front, n))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    if (f)
        fclose(f);
    if (rc == EXIT_OK && n == 0)
        rc = cli_error(EXIT_RUNTIME, "no plan exists for this model");
    const char *csv = output ? output : "msf_pareto.csv.tmp";
    if (rc == EXIT_OK && (output || png) && write_file_atomic(csv, text, size, err, sizeof err))
        rc = cli_error(EXIT_RUNTIME, "%s", err);
    if (rc == EXIT_OK && !output)
        fputs(text, stdout);
    if (rc == EXIT_OK && png)
        rc = plot(csv, png);
    if (png && !output)
        remove(csv);
    free(text);
    plan_front_free(front, n);
    planner_free(&p);
    return rc;
}
