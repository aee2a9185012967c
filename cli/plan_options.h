/* The planning options `msf plan`, `msf run` and `msf gen` share: argv
 * into a planning request (plan_policy.h), and the policy's outcomes as
 * exit codes and messages. */
#ifndef MSF_PLAN_OPTIONS_H
#define MSF_PLAN_OPTIONS_H

#include <stdint.h>

#include "board_fit.h"
#include "plan_policy.h"

typedef struct {
    plan_request req;       /* the mode, bounds, streaming and plan file the options ask for */
    int have_max_ram, have_max_overhead;
    int layers;             /* --layers: layer by layer, asked for (with a board, not P2) */
    /* The whole board the plan must fit: --target NAME, or --ram-total SIZE
     * [--flash SIZE]; board is set by plan_options_check. */
    const char *target_name;
    uint64_t ram_total, flash_total;
    int have_ram_total, have_flash, have_board;
    board_budget board;
} plan_options;

/* The default of --max-macs: ten billion MACs per inference, over a
 * hundred times the largest network msf plans for a microcontroller (and
 * ten seconds or more of host time): what is beyond is a mistake or an
 * attack, unless the user says otherwise. */
#define DEFAULT_MAX_MACS 10000000000ull

#define PLAN_OPTIONS_HELP                                                                           \
    "  --min-ram [--max-overhead F]  least peak RAM with MACs <= F x layer-by-layer MACs\n"          \
    "                                (P1; F a factor or a percentage: 1.2 or 20%; default inf)\n"  \
    "  --layers                      layer by layer, no fusion (the default of run and gen)\n"     \
    "  --min-macs --max-ram SIZE     least MACs with peak RAM <= SIZE (P2); SIZE in bytes or\n"     \
    "                                with K, M (x1024), KiB, MiB or kB (x1000): 64K, 64kB\n"       \
    "  --streamed-output             the output is written where the caller wants it, not\n"       \
    "                                in the arena (msf-CNN counts neither input nor output)\n"     \
    "  --input-rows                  the input comes a row at a time from a callback, into a\n"   \
    "                                buffer of the rows the first block needs (counted)\n"        \
    "  --streamed-input              the input is read where the caller keeps it (flash, a\n"       \
    "                                camera buffer) and is not counted in the arena\n"               \
    "  --max-macs N                  refuse a model or plan of more than N MACs per inference\n"  \
    "                                (default 10G; k, M, G: x1000)\n"                              \
    "  --target m4|m7|rv32           the board the plan must fit whole: arena + the runtime's\n"  \
    "                                stack + static RAM within its RAM, the firmware within its\n" \
    "                                flash; without --min-ram or --min-macs, the least compute\n" \
    "                                that fits it. Compute is then the instructions msf's time\n" \
    "                                model predicts on that core, not MACs\n"                    \
    "  --ram-total SIZE [--flash SIZE]  the same for another board\n"

void plan_options_init(plan_options *o);

/* Consumes argv[*i] (and its value) if it is a planning option: 1 consumed,
 * 0 not a planning option, -1 bad value (message printed). */
int plan_options_parse(int argc, char **argv, int *i, plan_options *o);

/* Options that contradict each other; message printed, -1. Sets o->board
 * from --target or --ram-total. */
int plan_options_check(plan_options *o);

/* With a board: one line saying whether the plan fits it, on stdout; with
 * a named board (a time model) first one with the instructions predicted
 * on it and layer by layer's. */
void plan_options_print_fit(const plan_options *o, msf_graph *g, const built_plan *bp);

/* plan_select with its outcome as an exit code, the message printed; when
 * no plan fits --max-ram, also what would (infeasible.h) and exit 3. With a
 * board and no mode, P2 within the arena the board leaves. bp is filled
 * only on 0. */
int plan_choose(msf_graph *g, const plan_options *o, built_plan *bp);

/* A PLAN_POLICY_* code as an exit code, msg printed unless PLAN_POLICY_OK:
 * 3 when no plan meets the bound, 1 when memory ran out, 2 for what the user
 * asked or gave (streaming the model cannot take, a bad plan file, a plan
 * beyond msf's limits). */
int plan_exit(int status, const char *msg);

/* A plan_build failure (LAYOUT_*) as a message and an exit code (as
 * plan_exit). */
int plan_layout_error(int layout_rc);

#endif
