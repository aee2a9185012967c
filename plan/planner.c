#include <stdlib.h>
#include <string.h>

#include "planner.h"

static int add_edge(planner *p, int32_t *cap, const block_cost *c)
{
    if (p->graph.n_edges == *cap) {
        int32_t grown = *cap ? *cap * 2 : 256;
        fusion_edge *e = realloc(p->edges, (size_t)grown * sizeof *e);
        if (!e)
            return -1;
        p->edges = e;
        block_cost *k = realloc(p->costs, (size_t)grown * sizeof *k);
        if (!k)
            return -1;
        p->costs = k;
        *cap = grown;
    }
    int32_t i = p->graph.n_edges++;
    p->costs[i] = *c;
    p->edges[i] = (fusion_edge){c->first_op, c->last_op + 1, i, c->ram, c->macs};
    return 0;
}

int planner_init(planner *p, const msf_graph *g, int streamed, planner_space space)
{
    int input_blocks_only = space == SPACE_MCUNETV2;
    memset(p, 0, sizeof *p);
    p->streamed = streamed;
    tensor_lifetime *life = tensor_lifetimes(g);
    if (!life)
        return -1;
    int32_t cap = 0, n_ops = g->model.n_ops;
    int rc = 0;
    for (int32_t a = 0; a < n_ops && rc == 0; a++) {
        int32_t last = input_blocks_only && a > 0 ? a : n_ops - 1;
        if (last > a + MSF_MAX_FUSED - 1)
            last = a + MSF_MAX_FUSED - 1;
        for (int32_t b = a; b <= last && rc == 0; b++) {
            /* Not prefix-closed: [conv, RESHAPE] cannot fuse, [conv, RESHAPE, FC] can. */
            if ((b > a && !block_fusible(g, a, b)) || ((streamed & MSF_STREAM_INPUT_ROWS) && !input_rows_block(g, a, b)))
                continue;
            /* An edge per scheme that runs the block and tile it offers
             * (msf-CNN's space: H-cache steps of one row). */
            for (int32_t s = 0; s < MSF_SCHEME_COUNT && rc == 0; s++) {
                int32_t tiles[BLOCK_MAX_TILES];
                if (!block_scheme_runs(g, a, b, s, streamed) || (space == SPACE_MSFCNN && s == MSF_SCHEME_LINEBUF) ||
                    (space != SPACE_MSF && s == MSF_SCHEME_INPLACE))
                    continue;
                int32_t n_tiles = block_tiles(g, a, b, s, tiles);
                if (space == SPACE_MSFCNN)
                    n_tiles = 1;
                /* Each also with its output over its input, where it can
                 * (msf's own space) and that takes fewer bytes: it never
                 * takes fewer MACs or instructions. */
                int over = space == SPACE_MSF && block_over_input(g, a, b, s, streamed);
                for (int32_t t = 0; t < n_tiles && rc == 0; t++) {
                    block_cost c, o;
                    rc = block_cost_exact(g, life, a, b, s, tiles[t], over, streamed, &o);
                    block_cost_beside(g, &o, &c);
                    if (rc == 0)
                        rc = add_edge(p, &cap, &c);
                    if (rc == 0 && over && o.ram < c.ram)
                        rc = add_edge(p, &cap, &o);
                    if (b == a && s == block_default_scheme(g, a, b, streamed) && t == 0)
                        p->vanilla_macs += c.macs;
                }
            }
        }
    }
    free(life);
    p->graph.n_layers = n_ops;
    p->graph.edges = p->edges;
    if (rc)
        planner_free(p);
    return rc;
}

void planner_free(planner *p)
{
    free(p->edges);
    free(p->costs);
    memset(p, 0, sizeof *p);
}

void planner_cost_time(planner *p, const msf_graph *g, time_target t)
{
    for (int32_t i = 0; i < p->graph.n_edges; i++)
        p->edges[i].macs = time_block(t, g, &p->costs[i]);
    p->vanilla_macs = time_layers(t, g, p->streamed);
}

block_cost *planner_blocks(const planner *p, const plan_path *path, int32_t *n)
{
    block_cost *blocks = malloc((size_t)(path->n_edges ? path->n_edges : 1) * sizeof *blocks);
    if (!blocks)
        return NULL;
    for (int32_t i = 0; i < path->n_edges; i++)
        blocks[i] = p->costs[p->edges[path->edges[i]].option];
    *n = path->n_edges;
    return blocks;
}

int planner_build(const planner *p, msf_graph *g, const plan_path *path, built_plan *out)
{
    int32_t n;
    block_cost *blocks = planner_blocks(p, path, &n);
    int rc = blocks ? plan_build(g, blocks, n, p->streamed, out) : LAYOUT_NO_MEMORY;
    free(blocks);
    return rc;
}

int planner_min_macs(const planner *p, msf_graph *g, uint64_t max_ram, plan_path *path, built_plan *out)
{
    uint64_t limit = max_ram;
    for (;;) {
        int s = plan_p2_min_macs(&p->graph, limit, path);
        if (s != PLAN_OK)
            return s;
        int rc = planner_build(p, g, path, out);
        if (rc != LAYOUT_OK) {
            plan_path_free(path);
            return rc == LAYOUT_TOO_LARGE ? PLAN_TOO_LARGE : rc == LAYOUT_TOO_BUSY ? PLAN_TOO_BUSY : PLAN_NOMEM;
        }
        if (out->plan.arena_bytes <= max_ram)
            return PLAN_OK;
        /* The arena overshoots by alignment; every retry lowers the limit. */
        uint64_t over = out->plan.arena_bytes - max_ram;
        limit = path->peak_ram > over ? path->peak_ram - over : 0;
        built_plan_free(out);
        plan_path_free(path);
        if (limit == 0)
            return PLAN_INFEASIBLE;
    }
}
