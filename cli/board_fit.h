/* Whether a plan fits a whole board: the arena, the runtime's stack for
 * that plan and the other static RAM within the board's RAM, and the
 * firmware's flash within its flash. */
#ifndef MSF_BOARD_FIT_H
#define MSF_BOARD_FIT_H

#include <stdint.h>

#include "board_targets.h"
#include "flash_estimate.h"
#include "graph.h"
#include "msf_plan.h"

/* A board: a named target, or --ram-total [--flash] (code then as on the
 * default target). */
typedef struct {
    const char *name;           /* the target's name, or "board" */
    const board_target *target; /* code and stack figures */
    uint64_t ram, flash;        /* flash 0: not checked */
} board_budget;

/* Static RAM besides the arena: a streamed output's buffer and a few words
 * of the runtime and a minimal main. */
#define FIT_STATIC_WORDS 32

typedef struct {
    uint64_t arena, stack, static_other, ram; /* ram: their sum */
    flash_estimate flash;
} board_need;

/* The stack a plan needs on t: fused blocks need more than whole ones. */
uint32_t fit_stack(const board_target *t, const msf_plan *plan);

/* What plan needs on the board. */
board_need fit_need(const msf_graph *g, const msf_plan *plan, const board_budget *b);

/* The largest arena a plan streaming as `streamed` may have on the board
 * (the fused-block stack assumed); 0 when nothing is left. */
uint64_t fit_arena_budget(const msf_graph *g, int streamed, const board_budget *b);

/* "fits: N B of RAM and M B of flash free" or "does not fit: over by N B
 * of RAM ..." for need on b, into text. Returns 1 when it fits. */
int fit_line(const board_need *need, const board_budget *b, char *text, size_t size);

#endif
