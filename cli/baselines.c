#include <math.h>
#include <stdlib.h>

#include "baselines.h"
#include "planner.h"

/* The least-RAM path of p (no MAC bound) among the edges keep() accepts,
 * laid out. */
static int least_ram(const planner *p, msf_graph *g, int (*keep)(const block_cost *), setting *out)
{
    fusion_edge *edges = malloc(((size_t)p->graph.n_edges + 1) * sizeof *edges);
    int32_t *index = malloc(((size_t)p->graph.n_edges + 1) * sizeof *index), n = 0;
    int rc = edges && index ? LAYOUT_OK : LAYOUT_NO_MEMORY;
    for (int32_t i = 0; rc == LAYOUT_OK && i < p->graph.n_edges; i++)
        if (keep(&p->costs[i])) {
            index[n] = i;
            edges[n++] = p->edges[i];
        }
    fusion_graph kept = {p->graph.n_layers, n, edges};
    plan_path path = {0, 0, 0, NULL};
    if (rc == LAYOUT_OK && plan_p1_min_ram(&kept, INFINITY, p->vanilla_macs, &path) != PLAN_OK)
        rc = LAYOUT_NO_MEMORY;
    /* The path's edges back to p's numbering, for planner_build. */
    for (int32_t i = 0; rc == LAYOUT_OK && i < path.n_edges; i++)
        path.edges[i] = index[path.edges[i]];
    built_plan bp;
    if (rc == LAYOUT_OK && (rc = planner_build(p, g, &path, &bp)) == LAYOUT_OK) {
        *out = (setting){bp.plan.arena_bytes, bp.macs};
        built_plan_free(&bp);
    }
    plan_path_free(&path);
    free(edges);
    free(index);
    return rc;
}

static int any_block(const block_cost *c)
{
    (void)c;
    return 1;
}

/* msf-CNN runs single operators whole and fused blocks by H-cache only. */
static int hcache_space(const block_cost *c)
{
    return c->first_op == c->last_op || c->scheme == MSF_SCHEME_HCACHE;
}

int baselines_of(msf_graph *g, int streamed, baseline_set *b)
{
    built_plan bp;
    int rc = plan_build_layers(g, streamed, &bp);
    if (rc != LAYOUT_OK)
        return rc;
    b->vanilla = (setting){bp.plan.arena_bytes, bp.macs};
    built_plan_free(&bp);
    planner p;
    if (planner_init(&p, g, streamed, 1))
        return LAYOUT_NO_MEMORY;
    rc = least_ram(&p, g, any_block, &b->mcunetv2);
    planner_free(&p);
    if (rc != LAYOUT_OK)
        return rc;
    if (planner_init(&p, g, streamed, 0))
        return LAYOUT_NO_MEMORY;
    rc = least_ram(&p, g, hcache_space, &b->hcache);
    planner_free(&p);
    return rc;
}
