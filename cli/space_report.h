/* msf space: the reports — the summary and W x R tables on stdout, the CSV,
 * the CDF plot's gnuplot script. */
#ifndef MSF_SPACE_REPORT_H
#define MSF_SPACE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "space_reader.h"
#include "space_stats.h"

/* The best configuration under each memory model with its figures, how
 * many networks fit under each, and a W x R table of mean MACs per model. */
void space_print_summary(FILE *f, const msf_space *s, const space_stat *stats, int32_t samples);

/* One CSV row per configuration and memory model. */
void space_write_csv(FILE *f, const msf_space *s, const space_stat *stats, int32_t samples);

/* The gnuplot script of MCUNet's Figure 3: the CDF of the MACs of the
 * fitting networks, one curve per configuration (the best few under msf's
 * planner, solid, and under layer by layer, dashed), legend
 * w{W}-r{R}|{mean MACs}. Only numbers and labels made from numbers go in. */
void space_plot_script(FILE *f, const char *terminal, const msf_space *s, const space_stat *stats);

#endif
