/* msf space: per configuration and memory model, which networks fit and
 * the distribution of their MACs (MCUNet's TinyNAS criterion). */
#ifndef MSF_SPACE_STATS_H
#define MSF_SPACE_STATS_H

#include <stdint.h>

#include "space_eval.h"

typedef struct {
    int32_t fit;            /* networks that fit the RAM and the flash */
    double mean;            /* mean MACs of those (0 when none fits) */
    uint64_t q1, median, q3, top20; /* nearest-rank percentiles 25, 50, 75, 80 */
    uint64_t *macs;         /* the fitting networks' MACs, ascending (malloc'ed; NULL when none) */
    int eligible;           /* enough fit for the configuration to compete for best */
} space_stat;

/* stats[c * N_MEM + m] for configuration c under memory model m, from
 * figures[c * samples + i]; a configuration is eligible when at least one
 * and at least min_fit_percent % of its networks fit. Returns 0, or -1
 * when out of memory. */
int space_stats(const space_figures *figures, int32_t n_configs, int32_t samples, uint64_t ram, uint64_t flash,
                int32_t min_fit_percent, space_stat *stats);
void space_stats_free(space_stat *stats, int32_t n);

/* The eligible configuration with the largest mean MACs under memory model
 * m (the first such, in configuration order), or -1 when none is. */
int32_t space_best(const space_stat *stats, int32_t n_configs, int m);

#endif
