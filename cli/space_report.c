/* The reports of msf space (space_report.h). */
#include "space_report.h"

#include "space_run.h"

/* Curves per memory model in the plot: MCUNet's Figure 3 shows ten. */
#define PLOT_CURVES 5

static const char *const mem_titles[N_MEM] = {"layer by layer", "MCUNetV2 heuristic", "msf planner (P1)"};

static int32_t total_fit(const space_stat *stats, int32_t n_configs, int m)
{
    int32_t n = 0;
    for (int32_t c = 0; c < n_configs; c++)
        n += stats[c * N_MEM + m].fit;
    return n;
}

static void print_best(FILE *f, const msf_space *s, const space_stat *stats, int32_t samples)
{
    int32_t n_configs = space_n_configs(s);
    fprintf(f, "%-20s %-11s %9s %12s %12s %12s %12s %12s %14s\n", "memory model", "best config", "fit", "mean MACs",
            "q1", "median", "q3", "top-20% >=", "fit (all)");
    for (int m = 0; m < N_MEM; m++) {
        int32_t b = space_best(stats, n_configs, m);
        int32_t all = total_fit(stats, n_configs, m);
        if (b < 0) {
            fprintf(f, "%-20s %-11s %9s %12s %12s %12s %12s %12s %7d/%d\n", mem_titles[m], "none", "-", "-", "-", "-",
                    "-", "-", all, n_configs * samples);
            continue;
        }
        const space_stat *st = &stats[b * N_MEM + m];
        char label[32];
        space_config_label(s, b, label, sizeof label);
        fprintf(f, "%-20s %-11s %4d/%-4d %12.0f %12llu %12llu %12llu %12llu %7d/%d\n", mem_titles[m], label, st->fit,
                samples, st->mean, (unsigned long long)st->q1, (unsigned long long)st->median,
                (unsigned long long)st->q3, (unsigned long long)st->top20, all, n_configs * samples);
    }
}

/* msf against layer by layer: networks admitted, best mean MACs. */
static void print_gain(FILE *f, const msf_space *s, const space_stat *stats)
{
    int32_t n_configs = space_n_configs(s);
    int32_t lbl = total_fit(stats, n_configs, MEM_LAYERS), msf = total_fit(stats, n_configs, MEM_MSF);
    int32_t bl = space_best(stats, n_configs, MEM_LAYERS), bm = space_best(stats, n_configs, MEM_MSF);
    fprintf(f, "\nmsf admits %d networks more than layer by layer (%d against %d)", msf - lbl, msf, lbl);
    if (bl >= 0 && bm >= 0)
        fprintf(f, "; its best configuration's mean MACs are %.2fx layer by layer's (%.1fM against %.1fM)",
                stats[bm * N_MEM + MEM_MSF].mean / stats[bl * N_MEM + MEM_LAYERS].mean,
                stats[bm * N_MEM + MEM_MSF].mean / 1e6, stats[bl * N_MEM + MEM_LAYERS].mean / 1e6);
    fprintf(f, "\n");
}

/* Mean MACs (millions) of the fitting networks, widths down, resolutions
 * across; '-' where none fits, '*' marks the best. */
static void print_table(FILE *f, const msf_space *s, const space_stat *stats, int m)
{
    int32_t best = space_best(stats, space_n_configs(s), m);
    fprintf(f, "\nmean MACs (M) of the networks that fit, %s:\n%5s", mem_titles[m], "W\\R");
    for (int32_t r = 0; r < s->n_resolutions; r++)
        fprintf(f, " %7d", s->resolutions[r]);
    for (int32_t w = 0; w < s->n_widths; w++) {
        fprintf(f, "\n%2d.%02d", s->widths[w] / 100, s->widths[w] % 100);
        for (int32_t r = 0; r < s->n_resolutions; r++) {
            int32_t c = w * s->n_resolutions + r;
            const space_stat *st = &stats[c * N_MEM + m];
            if (st->fit == 0)
                fprintf(f, " %7s", "-");
            else
                fprintf(f, " %6.1f%c", st->mean / 1e6, c == best ? '*' : ' ');
        }
    }
    fprintf(f, "\n");
}

void space_print_summary(FILE *f, const msf_space *s, const space_stat *stats, int32_t samples)
{
    print_best(f, s, stats, samples);
    print_gain(f, s, stats);
    for (int m = 0; m < N_MEM; m++)
        print_table(f, s, stats, m);
}

void space_write_csv(FILE *f, const msf_space *s, const space_stat *stats, int32_t samples)
{
    fprintf(f, "config,width,resolution,memory,samples,fit,fit_fraction,mean_macs,q1_macs,median_macs,q3_macs,"
               "top20_macs\n");
    for (int32_t c = 0; c < space_n_configs(s); c++) {
        char label[32];
        space_config_label(s, c, label, sizeof label);
        int32_t w = space_config_width(s, c);
        for (int m = 0; m < N_MEM; m++) {
            const space_stat *st = &stats[c * N_MEM + m];
            fprintf(f, "%s,%d.%02d,%d,%s,%d,%d,%.4f,%.1f,%llu,%llu,%llu,%llu\n", label, w / 100, w % 100,
                    space_config_resolution(s, c), space_mem_names[m], samples, st->fit, (double)st->fit / samples,
                    st->mean, (unsigned long long)st->q1, (unsigned long long)st->median, (unsigned long long)st->q3,
                    (unsigned long long)st->top20);
        }
    }
}

/* The best n eligible configurations under model m by mean MACs, best
 * first (the first in configuration order among equals), into top; returns
 * how many. */
static int32_t top_configs(const space_stat *stats, int32_t n_configs, int m, int32_t *top, int32_t n)
{
    int32_t k = 0;
    for (; k < n; k++) {
        int32_t best = -1;
        for (int32_t c = 0; c < n_configs; c++) {
            const space_stat *st = &stats[c * N_MEM + m];
            int taken = 0;
            for (int32_t i = 0; i < k; i++)
                taken |= top[i] == c;
            if (!taken && st->eligible && (best < 0 || st->mean > stats[best * N_MEM + m].mean))
                best = c;
        }
        if (best < 0)
            break;
        top[k] = best;
    }
    return k;
}

/* One curve's data block: x the MACs in millions, y the fraction of the
 * fitting networks at or below. */
static void curve_data(FILE *f, int id, const space_stat *st)
{
    fprintf(f, "$c%d << EOD\n", id);
    for (int32_t i = 0; i < st->fit; i++)
        fprintf(f, "%.4f %.6f\n", st->macs[i] / 1e6, (double)(i + 1) / st->fit);
    fprintf(f, "EOD\n");
}

void space_plot_script(FILE *f, const char *terminal, const msf_space *s, const space_stat *stats)
{
    static const int models[2] = {MEM_MSF, MEM_LAYERS};
    int32_t top[2][PLOT_CURVES], n[2];
    for (int k = 0; k < 2; k++)
        n[k] = top_configs(stats, space_n_configs(s), models[k], top[k], PLOT_CURVES);
    fprintf(f, "set terminal %s\nset output\nset grid\nset key bottom right\nset yrange [0:1]\n"
               "set xlabel 'MACs (millions)'\nset ylabel 'cumulative probability'\n"
               "set title 'MACs of the networks that fit (solid: msf planner; dashed: layer by layer)'\n",
            terminal);
    for (int k = 0; k < 2; k++)
        for (int32_t i = 0; i < n[k]; i++)
            curve_data(f, k * PLOT_CURVES + i, &stats[top[k][i] * N_MEM + models[k]]);
    const char *sep = "plot ";
    for (int k = 0; k < 2; k++) {
        for (int32_t i = 0; i < n[k]; i++) {
            char label[32];
            space_config_label(s, top[k][i], label, sizeof label);
            fprintf(f, "%s$c%d using 1:2 with lines lw 2 dt %d lc %d title '%s|%.1fM %s'", sep, k * PLOT_CURVES + i,
                    k ? 2 : 1, i + 1, label, stats[top[k][i] * N_MEM + models[k]].mean / 1e6,
                    k ? "layers" : "msf");
            sep = ", \\\n     ";
        }
    }
    fprintf(f, n[0] + n[1] ? "\n" : "set label 'no network fits' at graph 0.4, 0.5\nplot 2 notitle\n");
}
