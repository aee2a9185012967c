#include <math.h>

#include "baselines.h"
#include "plan_policy.h"

/* The least-RAM plan (no MAC bound) of a planner space, laid out. */
static int least_ram(msf_graph *g, int streamed, planner_space space, setting *out)
{
    return plan_least_ram(g, streamed, space, INFINITY, UINT64_MAX, &out->peak_ram, &out->macs) == PLAN_POLICY_OK
               ? LAYOUT_OK
               : LAYOUT_NO_MEMORY;
}

int baselines_of(msf_graph *g, int streamed, baseline_set *b)
{
    built_plan bp;
    int rc = plan_build_layers(g, streamed, &bp);
    if (rc != LAYOUT_OK)
        return rc;
    b->vanilla = (setting){bp.plan.arena_bytes, bp.macs};
    built_plan_free(&bp);
    rc = least_ram(g, streamed, SPACE_MCUNETV2, &b->mcunetv2);
    return rc == LAYOUT_OK ? least_ram(g, streamed, SPACE_MSFCNN, &b->hcache) : rc;
}
