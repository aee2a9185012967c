/* msf plan --cost msfcnn: our solvers over msf-CNN's analytic accounting
 * (msfcnn_cost.h), to compare a search with the paper's numbers. Its bytes
 * are what msf-CNN counts, not what the runtime uses, so no arena is laid
 * out and nothing runs from it. */
#include <stdio.h>

#include "cli.h"
#include "infeasible.h"
#include "msfcnn_cost.h"
#include "plan_msfcnn.h"

#define NOTE "analytic, msf-CNN's accounting"

static double overhead(const msfcnn_model *m, uint64_t macs)
{
    return (double)macs / (double)m->vanilla_macs;
}

static const fusion_edge *edge(const msfcnn_model *m, const plan_path *p, int32_t i)
{
    return &m->graph.edges[p->edges[i]];
}

static void print_human(const msfcnn_model *m, const plan_path *p)
{
    printf("%5s  %-9s %12s %12s\n", "block", "layers", "RAM (B)", "MACs");
    for (int32_t i = 0; i < p->n_edges; i++) {
        const fusion_edge *e = edge(m, p, i);
        char range[32];
        snprintf(range, sizeof range, "[%d,%d]", e->from, e->to - 1);
        printf("%5d  %-9s %12llu %12llu\n", i, range, (unsigned long long)e->ram, (unsigned long long)e->macs);
    }
    printf("\npeak RAM %llu B, MACs %llu (layer by layer %llu, overhead %.4f)\n", (unsigned long long)p->peak_ram,
           (unsigned long long)p->macs, (unsigned long long)m->vanilla_macs, overhead(m, p->macs));
    printf(NOTE ": the network input and output are not counted; no arena layout, nothing to run\n");
}

/* ,"key":[...] with each block's ram, or its macs. */
static void print_json_values(const msfcnn_model *m, const plan_path *p, const char *key, int macs)
{
    printf(",\"%s\":[", key);
    for (int32_t i = 0; i < p->n_edges; i++)
        printf("%s%llu", i ? "," : "", (unsigned long long)(macs ? edge(m, p, i)->macs : edge(m, p, i)->ram));
    printf("]");
}

static void print_json(const msfcnn_model *m, const plan_path *p)
{
    printf("{\"cost\":\"msfcnn\",\"note\":\"" NOTE "\",\"peak_ram\":%llu,\"macs\":%llu,\"vanilla_macs\":%llu,"
           "\"overhead\":%.8f,\"blocks\":[",
           (unsigned long long)p->peak_ram, (unsigned long long)p->macs, (unsigned long long)m->vanilla_macs,
           overhead(m, p->macs));
    for (int32_t i = 0; i < p->n_edges; i++)
        printf("%s[%d,%d]", i ? "," : "", edge(m, p, i)->from, edge(m, p, i)->to - 1);
    printf("]");
    print_json_values(m, p, "block_ram", 0);
    print_json_values(m, p, "block_macs", 1);
    printf("}\n");
}

/* The front as the exact model's msf plan --pareto writes it. */
static int print_front(const msfcnn_model *m)
{
    plan_path *front;
    int32_t n;
    if (plan_pareto(&m->graph, &front, &n) != PLAN_OK)
        return cli_error(EXIT_RUNTIME, "out of memory");
    printf("peak_ram_bytes,macs,overhead,blocks\n");
    for (int32_t k = 0; k < n; k++) {
        printf("%llu,%llu,%.6f,", (unsigned long long)front[k].peak_ram, (unsigned long long)front[k].macs,
               overhead(m, front[k].macs));
        for (int32_t i = 0; i < front[k].n_edges; i++)
            printf("%s%d-%d", i ? " " : "", edge(m, &front[k], i)->from, edge(m, &front[k], i)->to - 1);
        printf("\n");
    }
    plan_front_free(front, n);
    return EXIT_OK;
}

/* P1, or P2 with msf-CNN's strict limit (msfcnn_p2). */
static int solve(const msfcnn_model *m, const plan_request *o, plan_path *path)
{
    int s = o->mode == PLAN_MIN_RAM ? plan_p1_min_ram(&m->graph, o->max_overhead, m->vanilla_macs, path)
                                    : msfcnn_p2(m, o->max_ram, path);
    if (s == PLAN_INFEASIBLE && o->mode == PLAN_MIN_RAM)
        return cli_error(EXIT_INFEASIBLE, "no plan within %g x the layer-by-layer MACs (" NOTE ")", o->max_overhead);
    if (s == PLAN_INFEASIBLE)
        return cli_error(EXIT_INFEASIBLE, "no plan fits below %llu bytes, every block strictly below (" NOTE ")",
                         (unsigned long long)o->max_ram);
    if (s != PLAN_OK)
        return cli_error(EXIT_RUNTIME, "planning failed (%d)", s);
    return EXIT_OK;
}

int cmd_plan_msfcnn(const plan_request *o, int json, const msf_graph *g)
{
    msfcnn_model m;
    char err[512];
    int rc = msfcnn_init(&m, g, err, sizeof err);
    if (rc)
        return cli_error(rc == MSFCNN_NOMEM ? EXIT_RUNTIME : EXIT_BAD_INPUT, "%s", err);
    plan_path path;
    if (o->mode == PLAN_PARETO) {
        rc = print_front(&m);
    } else if ((rc = solve(&m, o, &path)) == EXIT_OK) {
        if (json)
            print_json(&m, &path);
        else
            print_human(&m, &path);
        plan_path_free(&path);
    }
    msfcnn_free(&m);
    return rc;
}
