/* Fit and MACs distribution per configuration (space_stats.h). */
#include "space_stats.h"

#include <stdlib.h>
#include <string.h>

static int ascending(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile p of v[0..n), n > 0: the smallest value with
 * at least p% of the values at or below it. */
static uint64_t percentile(const uint64_t *v, int32_t n, int32_t p)
{
    int64_t rank = ((int64_t)p * n + 99) / 100;
    return v[rank > 0 ? rank - 1 : 0];
}

static int one_stat(const space_figures *f, int32_t samples, int m, uint64_t ram, uint64_t flash, space_stat *s)
{
    memset(s, 0, sizeof *s);
    s->macs = malloc((size_t)samples * sizeof *s->macs);
    if (!s->macs)
        return -1;
    double sum = 0;
    for (int32_t i = 0; i < samples; i++) {
        if (f[i].ram[m] <= ram && f[i].weight_bytes <= flash) {
            s->macs[s->fit++] = f[i].macs;
            sum += (double)f[i].macs;
        }
    }
    if (s->fit == 0) {
        free(s->macs);
        s->macs = NULL;
        return 0;
    }
    qsort(s->macs, (size_t)s->fit, sizeof *s->macs, ascending);
    s->mean = sum / s->fit;
    s->q1 = percentile(s->macs, s->fit, 25);
    s->median = percentile(s->macs, s->fit, 50);
    s->q3 = percentile(s->macs, s->fit, 75);
    s->top20 = percentile(s->macs, s->fit, 80);
    return 0;
}

int space_stats(const space_figures *figures, int32_t n_configs, int32_t samples, uint64_t ram, uint64_t flash,
                int32_t min_fit_percent, space_stat *stats)
{
    memset(stats, 0, (size_t)n_configs * N_MEM * sizeof *stats);
    for (int32_t i = 0; i < n_configs * N_MEM; i++) {
        space_stat *st = &stats[i];
        if (one_stat(figures + (size_t)(i / N_MEM) * (size_t)samples, samples, i % N_MEM, ram, flash, st)) {
            space_stats_free(stats, n_configs);
            return -1;
        }
        st->eligible = st->fit > 0 && 100 * (int64_t)st->fit >= (int64_t)min_fit_percent * samples;
    }
    return 0;
}

void space_stats_free(space_stat *stats, int32_t n)
{
    for (int32_t i = 0; i < n * N_MEM; i++) {
        free(stats[i].macs);
        stats[i].macs = NULL;
    }
}

int32_t space_best(const space_stat *stats, int32_t n_configs, int m)
{
    int32_t best = -1;
    for (int32_t c = 0; c < n_configs; c++)
        if (stats[c * N_MEM + m].eligible && (best < 0 || stats[c * N_MEM + m].mean > stats[best * N_MEM + m].mean))
            best = c;
    return best;
}
