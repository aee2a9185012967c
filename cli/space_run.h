/* msf space: every network of every configuration evaluated, in this
 * process or in --jobs worker processes, with a progress line. */
#ifndef MSF_SPACE_RUN_H
#define MSF_SPACE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "space_eval.h"
#include "space_reader.h"

typedef struct {
    const msf_space *space;
    uint64_t seed;
    int32_t samples;      /* networks per configuration */
    double max_overhead;  /* msf's P1 bound */
    int jobs;             /* worker processes; 1: this process */
} space_run_args;

/* Configuration c is width widths[c / n_resolutions] and resolution
 * resolutions[c % n_resolutions]. */
int32_t space_n_configs(const msf_space *s);
int32_t space_config_width(const msf_space *s, int32_t c);
int32_t space_config_resolution(const msf_space *s, int32_t c);

/* The configuration's label, w{W}-r{R} (w0.5-r144, w0.25-r32). */
void space_config_label(const msf_space *s, int32_t c, char *buf, size_t size);

/* Fills figures[c * samples + i] for network i of configuration c, with a
 * progress line on stderr, ending in the rate: the
 * same figures whatever the number of jobs (each network is planned alone,
 * from its own choices). Returns 0, or -1 with a message (a network that
 * could not be planned, a worker that failed). */
int space_run(const space_run_args *a, space_figures *figures, char *err, size_t err_size);

#endif
