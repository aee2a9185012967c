/* Which plan to make, and making it: layer by layer, P1, P2 or a plan file,
 * as a planning request asks (msf plan, run and gen share it). Failures
 * come back as a code and a message for the user; what they mean to a
 * command (its exit code) is the caller's business. */
#ifndef MSF_PLAN_POLICY_H
#define MSF_PLAN_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "planner.h"

typedef enum {
    PLAN_LAYERS = 0, /* layer by layer */
    PLAN_MIN_RAM,    /* P1 */
    PLAN_MIN_MACS,   /* P2 */
    PLAN_PARETO,     /* the whole front: not one plan, plan_select does not make it */
    PLAN_FILE
} plan_mode;

typedef struct {
    plan_mode mode;
    double max_overhead;    /* P1: cost at most this x layer by layer's; INFINITY for no bound */
    uint64_t max_ram;       /* P2: arena bytes at most */
    uint64_t max_macs;      /* any plan: the most MACs per inference it may need */
    int streamed;           /* STREAM_* flags (arena_layout.h) */
    const char *plan_file;  /* PLAN_FILE: the file `msf plan -o` wrote */
    planner_space space;    /* P1, P2: the steps searched (SPACE_MSF, 0: all msf has) */
    /* P1, P2: with by_time set, the bound of P1 and the objective of P2 are
     * the instructions predicted on target (planner_cost_time), not MACs. */
    int by_time;
    time_target target;
} plan_request;

/* What went wrong; the message says it for the user. */
enum {
    PLAN_POLICY_OK = 0,
    PLAN_POLICY_INFEASIBLE,    /* no plan meets the request's bound */
    PLAN_POLICY_FAILED,        /* out of memory, or the solver failed */
    PLAN_POLICY_UNSTREAMABLE,  /* the model cannot be streamed as asked */
    PLAN_POLICY_BAD_PLAN_FILE, /* unreadable, malformed, or for another model */
    PLAN_POLICY_OVER_LIMIT     /* beyond msf's limits: an arena over 4 GiB, too
                                * many buffers alive together, over max_macs */
};

/* Whether g can be streamed as `streamed` (STREAM_* flags) asks: a
 * PLAN_POLICY_* code, a message in msg when not PLAN_POLICY_OK. */
int plan_streaming_check(const msf_graph *g, int streamed, char *msg, size_t msg_size);

/* Builds the plan r asks for (not PLAN_PARETO). path receives the solver's
 * path (n_edges 0 for layer by layer and plan files), for the caller to
 * free whatever the outcome; out is filled only on PLAN_POLICY_OK. P2 is
 * laid out within max_ram (planner_min_macs). Returns a PLAN_POLICY_* code,
 * with a message in msg when not PLAN_POLICY_OK. */
int plan_select(msf_graph *g, const plan_request *r, built_plan *out, plan_path *path, char *msg, size_t msg_size);

/* The arena and MACs of P1 in a planner space, with that streaming, MAC
 * bound and --max-macs: what the baselines, msf space and the infeasible
 * answer report. A PLAN_POLICY_* code (arena and macs set on
 * PLAN_POLICY_OK). */
int plan_least_ram(msf_graph *g, int streamed, planner_space space, double max_overhead, uint64_t max_macs,
                   uint32_t *arena, uint64_t *macs);

/* A plan_build result (LAYOUT_*) as a PLAN_POLICY_* code and message:
 * PLAN_POLICY_OVER_LIMIT for an arena over 4 GiB or too many buffers alive
 * together, PLAN_POLICY_FAILED when out of memory. */
int plan_layout_status(int layout_rc, char *msg, size_t msg_size);

#endif
