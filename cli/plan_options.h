/* The planning options `msf plan` and `msf run` share, and the plan they
 * select: layer by layer, P1, P2, or a plan file. */
#ifndef MSF_PLAN_OPTIONS_H
#define MSF_PLAN_OPTIONS_H

#include <stdint.h>

#include "graph.h"
#include "plan_build.h"
#include "planner.h"

typedef enum {
    PLAN_LAYERS = 0, /* no planning option: layer by layer */
    PLAN_MIN_RAM,    /* P1 */
    PLAN_MIN_MACS,   /* P2 */
    PLAN_PARETO,
    PLAN_FILE
} plan_mode;

typedef enum {
    COST_EXACT = 0, /* the bytes and MACs our runtime uses (planner.h) */
    COST_MSFCNN     /* msf-CNN's analytic accounting (msfcnn_cost.h), msf plan only */
} plan_cost;

typedef struct {
    plan_mode mode;
    double max_overhead;    /* --max-overhead F (P1), INFINITY when absent */
    uint64_t max_ram;       /* --max-ram SIZE (P2) */
    int have_max_ram, have_max_overhead;
    const char *plan_file;  /* --plan FILE */
    int streamed;           /* STREAM_* flags: --streamed-input, --input-rows, --streamed-output */
    plan_cost cost;         /* --cost exact|msfcnn */
    uint64_t max_macs;      /* --max-macs N: the most MACs per inference of a model or plan */
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

/* Streaming options the model cannot take: message printed, -1. */
int plan_streaming_check(const msf_graph *g, const plan_options *o);

/* Builds the plan the options select (not PLAN_PARETO). path receives the
 * solver's path (n_edges 0 for layer-by-layer and plan files). Returns an
 * exit code: 0, 1 when no plan is feasible, 2 for a bad plan file or a
 * plan beyond a limit (over 4 GiB of arena, more than --max-macs MACs). */
int plan_select(msf_graph *g, const plan_options *o, built_plan *out, plan_path *path);

/* A plan_build failure (LAYOUT_*) as a message and an exit code: 2 for
 * the limits (an arena over 4 GiB, too many buffers alive together), 1
 * when out of memory. */
int plan_layout_error(int layout_rc);

#endif
