/* One inference under a plan on the host, measured the way the runtime can
 * measure itself: the arena high-water mark by painting (two patterns: a
 * byte written with the paint's own value hides from one scan, never from
 * both) and the MACs of the kernel calls it made (msf_run_plan_tallied). */
#ifndef MSF_MEASURED_RUN_H
#define MSF_MEASURED_RUN_H

#include <stdint.h>

#include "msf_plan.h"

typedef struct {
    uint32_t arena_high_water;
    uint64_t macs;
} run_measure;

/* input: the graph inputs' bytes, concatenated; output receives the graph
 * outputs' bytes, concatenated. Returns the runtime's status (MSF_OK), or
 * -1 when the arena cannot be allocated. */
int measured_run(const msf_model *m, const msf_plan *plan, const uint8_t *input, uint8_t *output,
                 run_measure *r);

/* Bytes of the listed tensors, added up (graph inputs or outputs). */
uint32_t io_bytes(const msf_model *m, const int32_t *list, int32_t n);

#endif
