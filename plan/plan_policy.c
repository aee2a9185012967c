/* The plan a request asks for (plan_policy.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan_file.h"
#include "plan_policy.h"

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(int status, char *msg, size_t msg_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_size, fmt, ap);
    va_end(ap);
    return status;
}

int plan_layout_status(int layout_rc, char *msg, size_t msg_size)
{
    if (layout_rc == LAYOUT_OK)
        return PLAN_POLICY_OK;
    if (layout_rc == LAYOUT_TOO_LARGE)
        return fail(PLAN_POLICY_OVER_LIMIT, msg, msg_size,
                    "the arena would exceed 4 GiB (msf's limit: arena offsets are 32-bit)");
    if (layout_rc == LAYOUT_TOO_BUSY)
        return fail(PLAN_POLICY_OVER_LIMIT, msg, msg_size,
                    "more than %u pairs of buffers alive at the same steps (msf's limit on the layout's work: "
                    "thousands of tensors alive at once)",
                    LAYOUT_MAX_PAIRS);
    return fail(PLAN_POLICY_FAILED, msg, msg_size, "out of memory");
}

int plan_streaming_check(const msf_graph *g, int streamed, char *msg, size_t msg_size)
{
    if ((streamed & MSF_STREAM_INPUT_ROWS) && input_nchw(g))
        return fail(PLAN_POLICY_UNSTREAMABLE, msg, msg_size,
                    "--input-rows: the input is NCHW (1xCxHxW, read through a TRANSPOSE to NHWC), so a row of "
                    "it is a row of one channel, not of the image; --streamed-input reads it where it is");
    if ((streamed & MSF_STREAM_INPUT_ROWS) && !input_rows_possible(g))
        return fail(PLAN_POLICY_UNSTREAMABLE, msg, msg_size,
                    "--input-rows needs one 1xHxWxC int8 input read by the first operator only");
    if (!streaming_possible(g, streamed))
        return fail(PLAN_POLICY_UNSTREAMABLE, msg, msg_size,
                    "streaming needs a model with one input (output) that is not also a graph output (input)");
    return PLAN_POLICY_OK;
}

/* P1, or P2 laid out within its bound (planner_min_macs re-tightens the
 * search's limit until the arena fits). */
static int solve(msf_graph *g, const plan_request *r, built_plan *out, plan_path *path, char *msg, size_t msg_size)
{
    planner p;
    if (planner_init(&p, g, r->streamed, r->space))
        return fail(PLAN_POLICY_FAILED, msg, msg_size, "out of memory");
    if (r->by_time)
        planner_cost_time(&p, g, r->target);
    int s = r->mode == PLAN_MIN_RAM ? plan_p1_min_ram(&p.graph, r->max_overhead, p.vanilla_macs, path)
                                    : planner_min_macs(&p, g, r->max_ram, path, out);
    int rc;
    if (s == PLAN_INFEASIBLE && r->mode == PLAN_MIN_RAM)
        rc = fail(PLAN_POLICY_INFEASIBLE, msg, msg_size, "no plan within %g x the layer-by-layer %s", r->max_overhead,
                  r->by_time ? "instructions predicted" : "MACs");
    else if (s == PLAN_INFEASIBLE)
        rc = fail(PLAN_POLICY_INFEASIBLE, msg, msg_size, "no plan fits in %llu bytes of RAM",
                  (unsigned long long)r->max_ram);
    else if (s == PLAN_TOO_LARGE || s == PLAN_TOO_BUSY)
        rc = plan_layout_status(s == PLAN_TOO_LARGE ? LAYOUT_TOO_LARGE : LAYOUT_TOO_BUSY, msg, msg_size);
    else if (s != PLAN_OK)
        rc = fail(PLAN_POLICY_FAILED, msg, msg_size, "planning failed (%d)", s);
    else if (r->mode == PLAN_MIN_MACS)
        rc = PLAN_POLICY_OK;
    else
        rc = plan_layout_status(planner_build(&p, g, path, out), msg, msg_size);
    planner_free(&p);
    return rc;
}

static int load(msf_graph *g, const char *path, built_plan *out, char *msg, size_t msg_size)
{
    int rc = plan_file_load(path, g, out, msg, msg_size);
    if (rc == PLAN_FILE_OK)
        return PLAN_POLICY_OK;
    return rc == PLAN_FILE_NO_MEMORY ? PLAN_POLICY_FAILED : PLAN_POLICY_BAD_PLAN_FILE;
}

int plan_least_ram(msf_graph *g, int streamed, planner_space space, double max_overhead, uint64_t max_macs,
                   uint32_t *arena, uint64_t *macs)
{
    plan_request r = {PLAN_MIN_RAM, max_overhead, 0, max_macs, streamed, NULL, space, 0, TIME_M4};
    built_plan bp;
    plan_path path;
    char msg[512];
    int rc = plan_select(g, &r, &bp, &path, msg, sizeof msg);
    plan_path_free(&path);
    if (rc == PLAN_POLICY_OK) {
        *arena = bp.plan.arena_bytes;
        *macs = bp.macs;
        built_plan_free(&bp);
    }
    return rc;
}

int plan_select(msf_graph *g, const plan_request *r, built_plan *out, plan_path *path, char *msg, size_t msg_size)
{
    memset(path, 0, sizeof *path);
    int rc = plan_streaming_check(g, r->streamed, msg, msg_size);
    if (rc != PLAN_POLICY_OK)
        return rc;
    switch (r->mode) {
    case PLAN_MIN_RAM:
    case PLAN_MIN_MACS:
        rc = solve(g, r, out, path, msg, msg_size);
        break;
    case PLAN_FILE:
        rc = load(g, r->plan_file, out, msg, msg_size);
        break;
    default:
        rc = plan_layout_status(plan_build_layers(g, r->streamed, out), msg, msg_size);
        break;
    }
    /* Fused blocks recompute rows: a plan may need many times the model's
     * MACs, and a plan file may choose the worst blocks. */
    if (rc == PLAN_POLICY_OK && out->macs > r->max_macs) {
        rc = fail(PLAN_POLICY_OVER_LIMIT, msg, msg_size,
                  "the plan needs %llu MACs per inference, over the limit of %llu: raise it with --max-macs N",
                  (unsigned long long)out->macs, (unsigned long long)r->max_macs);
        built_plan_free(out);
        plan_path_free(path);
    }
    return rc;
}
