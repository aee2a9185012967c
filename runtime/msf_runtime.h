/* Running a model: the caller owns all memory. The arena holds every
 * activation at the offset the plan gave it; the runtime never allocates. */
#ifndef MSF_RUNTIME_H
#define MSF_RUNTIME_H

#include <stdint.h>

#include "msf_model.h"

typedef enum {
    MSF_OK = 0,
    MSF_ERR_ARENA_TOO_SMALL = 1,
    MSF_ERR_UNKNOWN_OP = 2,
    MSF_ERR_NO_OUTPUT = 3,  /* a plan that streams its output got nowhere to write it */
    MSF_ERR_NO_INPUT = 4,   /* the input source does not fit the plan (pointer or rows) */
    MSF_ERR_BAD_PLAN = 5    /* the plan's tables do not fit the model or the scheme's needs */
} msf_status;

/* Arena high-water mark by painting: fill the arena with a pattern before a
 * run, then find the highest byte that no longer holds it. A byte written
 * with the pattern's own value is missed, so callers measure with two
 * different patterns and take the larger mark. */
void msf_arena_paint(uint8_t *arena, uint32_t bytes, uint8_t pattern);
uint32_t msf_arena_high_water(const uint8_t *arena, uint32_t bytes, uint8_t pattern);

#endif
