/* The planning options `msf plan`, `msf run` and `msf gen` share: argv
 * into a planning request (plan_policy.h), and the policy's outcomes as
 * exit codes and messages. */
#ifndef MSF_PLAN_OPTIONS_H
#define MSF_PLAN_OPTIONS_H

#include <stdint.h>

#include "plan_policy.h"

typedef enum {
    COST_EXACT = 0, /* the bytes and MACs our runtime uses (planner.h) */
    COST_MSFCNN     /* msf-CNN's analytic accounting (msfcnn_cost.h), msf plan only */
} plan_cost;

typedef struct {
    plan_request req;       /* the mode, bounds, streaming and plan file the options ask for */
    int have_max_ram, have_max_overhead;
    plan_cost cost;         /* --cost exact|msfcnn */
} plan_options;

/* The default of --max-macs: ten billion MACs per inference, over a
 * hundred times the largest network msf plans for a microcontroller (and
 * ten seconds or more of host time): what is beyond is a mistake or an
 * attack, unless the user says otherwise. */
#define DEFAULT_MAX_MACS 10000000000ull

#define PLAN_OPTIONS_HELP                                                                           \
    "  --min-ram [--max-overhead F]  least peak RAM with MACs <= F x layer-by-layer MACs\n"          \
    "                                (P1; F defaults to inf)\n"                                     \
    "  --min-macs --max-ram SIZE     least MACs with peak RAM <= SIZE (P2); SIZE in bytes,\n"       \
    "                                kB (x1000) or KiB (x1024), e.g. 64kB\n"                        \
    "  --streamed-output             the output is written where the caller wants it, not\n"       \
    "                                in the arena (msf-CNN counts neither input nor output)\n"     \
    "  --input-rows                  the input comes a row at a time from a callback, into a\n"   \
    "                                buffer of the rows the first block needs (counted)\n"        \
    "  --streamed-input              the input is read where the caller keeps it (flash, a\n"       \
    "                                camera buffer) and is not counted in the arena\n"               \
    "  --cost exact|msfcnn           exact (default): the bytes and MACs the runtime uses;\n"        \
    "                                msfcnn: msf-CNN's analytic accounting (msf plan only)\n"      \
    "  --max-macs N                  refuse a model or plan of more than N MACs per inference\n"  \
    "                                (default 10G; k, M, G: x1000)\n"

void plan_options_init(plan_options *o);

/* Consumes argv[*i] (and its value) if it is a planning option: 1 consumed,
 * 0 not a planning option, -1 bad value (message printed). */
int plan_options_parse(int argc, char **argv, int *i, plan_options *o);

/* Options that contradict each other; message printed, -1. */
int plan_options_check(const plan_options *o);

/* Bytes from "123", "64kB" (x1000), "64KiB" (x1024), "123B"; -1 if malformed. */
int parse_size(const char *s, uint64_t *bytes);

/* F of --max-overhead: a number >= 1, or inf; -1 if malformed. */
int parse_overhead(const char *s, double *f);

/* A PLAN_POLICY_* code as an exit code, msg printed unless PLAN_POLICY_OK:
 * 1 when no plan meets the bound or memory ran out, 2 for what the user
 * asked or gave (streaming the model cannot take, a bad plan file, a plan
 * beyond msf's limits). */
int plan_exit(int status, const char *msg);

/* A plan_build failure (LAYOUT_*) as a message and an exit code (as
 * plan_exit). */
int plan_layout_error(int layout_rc);

#endif
