/* The time model (plan/time_model.h) on the demo model: the committed table
 * is usable (finite, non-negative, a conv costs instructions on every
 * target), every edge of the fusion graph gets a positive prediction that
 * is the same when asked twice, P1 in instructions keeps its bound, and a
 * plan file records the predictions, reads them back, and refuses them
 * wrong, without their target, or for a target with no model. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demo_model.h"
#include "plan_file.h"
#include "planner.h"
#include "time_model.h"

static void check_table(void)
{
    for (int t = 0; t < TIME_TARGET_COUNT; t++) {
        for (int j = 0; j < TIME_FEATURES; j++)
            CHECK(isfinite(time_table[t][j]) && time_table[t][j] >= 0.0);
        CHECK(time_table[t][TIME_CONV * TIME_OP_FEATURES + TIME_MACS] > 0.0 ||
              time_table[t][TIME_CONV * TIME_OP_FEATURES + TIME_OUTPUTS] > 0.0);
        CHECK_EQ_INT(time_target_named(time_target_name((time_target)t)), t);
    }
    CHECK_EQ_INT(time_target_named("host"), -1);
}

static void check_edges(const msf_graph *g)
{
    planner p;
    CHECK_EQ_INT(planner_init(&p, g, 0, SPACE_MSF), 0);
    for (int t = 0; t < TIME_TARGET_COUNT; t++) {
        uint64_t layers = 0;
        for (int32_t i = 0; i < p.graph.n_edges; i++) {
            uint64_t a = time_block((time_target)t, g, &p.costs[i]), b = time_block((time_target)t, g, &p.costs[i]);
            CHECK(a > 0 && a == b);
        }
        for (int32_t o = 0; o < g->model.n_ops; o++) {
            double f[TIME_FEATURES];
            time_features(g, o, o, block_default_scheme(g, o, o, 0), 1, 0, 0, f);
            layers += time_predict((time_target)t, f);
        }
        CHECK_EQ_INT(time_layers((time_target)t, g, 0), layers);
    }
    /* P1 in instructions: within F of layer by layer's, never above what
     * F = 1 allows with the layers themselves. */
    planner_cost_time(&p, g, TIME_M7);
    CHECK_EQ_INT(p.vanilla_macs, time_layers(TIME_M7, g, 0));
    plan_path path;
    CHECK_EQ_INT(plan_p1_min_ram(&p.graph, 1.1, p.vanilla_macs, &path), PLAN_OK);
    CHECK((long double)path.macs <= 1.1L * (long double)p.vanilla_macs);
    int32_t n;
    block_cost *blocks = planner_blocks(&p, &path, &n);
    CHECK(blocks != NULL);
    if (blocks)
        CHECK_EQ_INT(time_blocks(TIME_M7, g, blocks, n), path.macs);
    free(blocks);
    plan_path_free(&path);
    planner_free(&p);
}

/* text with the first `from` replaced by `to` (malloc'ed). */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

static int parses(const char *text, msf_graph *g, char *err, size_t err_size)
{
    built_plan bp;
    int rc = plan_file_parse(text, strlen(text), g, &bp, err, err_size);
    if (rc == PLAN_FILE_OK)
        built_plan_free(&bp);
    return rc;
}

static void expect_refused(const char *text, const char *from, const char *to, msf_graph *g, const char *why)
{
    char *bad = replaced(text, from, to), err[512] = "";
    CHECK(bad != NULL);
    if (!bad)
        return;
    CHECK_EQ_INT(parses(bad, g, err, sizeof err), PLAN_FILE_BAD);
    CHECK(strstr(err, why) != NULL);
    if (!strstr(err, why))
        fprintf(stderr, "  got \"%s\", expected \"%s\"\n", err, why);
    free(bad);
}

static void check_plan_file(msf_graph *g)
{
    planner p;
    plan_path path;
    built_plan bp;
    CHECK_EQ_INT(planner_init(&p, g, 0, SPACE_MSF), 0);
    planner_cost_time(&p, g, TIME_RV32);
    CHECK_EQ_INT(plan_p1_min_ram(&p.graph, INFINITY, p.vanilla_macs, &path), PLAN_OK);
    CHECK_EQ_INT(planner_build(&p, g, &path, &bp), LAYOUT_OK);
    time_target t = TIME_RV32;
    char *with = NULL, *without = NULL, err[512];
    size_t size;
    FILE *f = open_memstream(&with, &size);
    plan_json_write(f, g, &bp, p.vanilla_macs, &t, NULL);
    fclose(f);
    f = open_memstream(&without, &size);
    plan_json_write(f, g, &bp, p.vanilla_macs, NULL, NULL);
    fclose(f);
    char total[64];
    snprintf(total, sizeof total, "\"instructions\":%llu,",
             (unsigned long long)time_blocks(TIME_RV32, g, bp.costs, bp.plan.n_blocks));
    CHECK(strstr(with, total) != NULL && strstr(with, "\"target\":\"rv32\"") != NULL);
    CHECK(strstr(without, "instructions") == NULL);
    CHECK_EQ_INT(parses(with, g, err, sizeof err), PLAN_FILE_OK);
    CHECK_EQ_INT(parses(without, g, err, sizeof err), PLAN_FILE_OK);
    expect_refused(with, total, "\"instructions\":1,", g, "\"instructions\" is 1 but");
    expect_refused(with, "\"block_instructions\":[", "\"block_instructions\":[7,", g, "entries in \"block_instructions\"");
    expect_refused(with, "\"target\":\"rv32\",", "", g, "without the \"target\"");
    expect_refused(with, "\"target\":\"rv32\"", "\"target\":\"host\"", g, "\"target\" is not a target");
    expect_refused(with, "\"instructions\":", "\"instructions\":-", g, "\"instructions\" is not");
    /* Another target's model gives other figures. */
    expect_refused(with, "\"target\":\"rv32\"", "\"target\":\"m4\"", g, "plan again");
    free(with);
    free(without);
    built_plan_free(&bp);
    plan_path_free(&path);
    planner_free(&p);
}

int main(void)
{
    check_table();
    size_t size;
    uint8_t *demo = demo_model_build(&size);
    msf_graph g;
    char err[512];
    CHECK(demo != NULL);
    if (demo && graph_from_tflite(demo, size, &g, err, sizeof err) == 0) {
        check_edges(&g);
        check_plan_file(&g);
        graph_free(&g);
    } else {
        fprintf(stderr, "demo: %s\n", err);
        CHECK(0);
    }
    return check_summary();
}
