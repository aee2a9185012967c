/* Work bounded by the model's size, with the results of before:
 * - layout_place against the quadratic layout it replaced (kept here as the
 *   reference) on random buffer sets: the same arena size and offsets, and
 *   the same failures;
 * - arena_live_bytes against a scan of every tensor, for every run of up to
 *   MSF_MAX_FUSED operators of the bundled specs, each way of streaming;
 * - a model of 100,000 operators (scale_models.h) analysed, planned and
 *   laid out within a CPU time far below what the quadratic analyses took
 *   (about 3 minutes for msf info, longer for a plan);
 * - the layout's limit on work: thousands of buffers alive together are
 *   refused (LAYOUT_TOO_BUSY) at once, not laid out for hours, and just
 *   under the limit laid out in seconds;
 * - over 4 GiB alive at once: LAYOUT_TOO_LARGE, not "out of memory". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "plan_build.h"
#include "planner.h"
#include "scale_models.h"

/* ---- The reference: the layout as it was, quadratic in the buffers. ---- */

static int ref_overlaps(const layout_buffer *a, const layout_buffer *b)
{
    return a->first <= b->last && b->first <= a->last;
}

static uint32_t ref_align_up(uint32_t x, uint32_t align)
{
    return (x + align - 1) / align * align;
}

static int ref_collides(const layout_buffer *b, layout_buffer *const *placed, int32_t n, uint32_t offset)
{
    for (int32_t i = 0; i < n; i++)
        if (ref_overlaps(b, placed[i]) && offset < placed[i]->offset + placed[i]->size &&
            placed[i]->offset < offset + b->size)
            return 1;
    return 0;
}

static uint32_t ref_fit(const layout_buffer *b, layout_buffer *const *placed, int32_t n, uint32_t limit, int high)
{
    uint32_t best = UINT32_MAX;
    for (int32_t i = -1; i < n; i++) {
        uint32_t cand;
        if (i >= 0 && !ref_overlaps(b, placed[i]))
            continue;
        if (high) {
            uint32_t edge = i < 0 ? limit : placed[i]->offset;
            if (edge < b->size)
                continue;
            cand = (edge - b->size) / b->align * b->align;
        } else {
            cand = i < 0 ? 0 : ref_align_up(placed[i]->offset + placed[i]->size, b->align);
        }
        if ((uint64_t)cand + b->size > limit || ref_collides(b, placed, n, cand))
            continue;
        if (best == UINT32_MAX || (high ? cand > best : cand < best))
            best = cand;
    }
    return best;
}

static uint32_t ref_end(const layout_buffer *b, int32_t n)
{
    uint32_t end = 0;
    for (int32_t i = 0; i < n; i++)
        if (b[i].offset + b[i].size > end)
            end = b[i].offset + b[i].size;
    return end;
}

static uint64_t ref_bound(const layout_buffer *b, int32_t n)
{
    uint64_t best = 0;
    for (int32_t i = 0; i < n; i++) {
        uint64_t sum = 0;
        for (int32_t k = 0; k < n; k++)
            if (b[k].first <= b[i].first && b[i].first <= b[k].last)
                sum += b[k].size;
        best = sum > best ? sum : best;
    }
    return best;
}

static int ref_place(layout_buffer **order, int32_t n, uint32_t limit, int use_hint)
{
    for (int32_t i = 0; i < n; i++) {
        uint32_t at = ref_fit(order[i], order, i, limit, use_hint && order[i]->high);
        if (at == UINT32_MAX)
            return -1;
        order[i]->offset = at;
    }
    return 0;
}

static void ref_sort(layout_buffer *b, int32_t n, int by_size, layout_buffer **order)
{
    for (int32_t i = 0; i < n; i++)
        order[i] = &b[i];
    for (int32_t i = 1; i < n; i++) {
        layout_buffer *x = order[i];
        int32_t j = i;
        for (; j > 0; j--) {
            const layout_buffer *y = order[j - 1];
            int before = by_size ? x->size > y->size
                                 : (x->first < y->first || (x->first == y->first && x->size > y->size));
            if (!before)
                break;
            order[j] = order[j - 1];
        }
        order[j] = x;
    }
}

#define MAX_RANDOM 64

static uint32_t ref_layout(layout_buffer *b, int32_t n)
{
    layout_buffer *by_birth[MAX_RANDOM], *by_size[MAX_RANDOM];
    uint32_t hinted[MAX_RANDOM];
    ref_sort(b, n, 0, by_birth);
    ref_sort(b, n, 1, by_size);
    uint64_t exact = ref_bound(b, n), slack = 0;
    for (int32_t i = 0; i < n; i++)
        slack += b[i].align - 1;
    int ok = exact < UINT32_MAX && ref_place(by_birth, n, (uint32_t)exact, 1) == 0;
    if (!ok && slack)
        ok = exact + slack < UINT32_MAX && ref_place(by_birth, n, (uint32_t)(exact + slack), 1) == 0;
    for (int32_t i = 0; ok && i < n; i++)
        hinted[i] = b[i].offset;
    uint32_t hinted_end = ok ? ref_end(b, n) : UINT32_MAX;
    uint32_t result = ref_place(by_size, n, UINT32_MAX, 0) == 0 ? ref_end(b, n) : UINT32_MAX;
    if (hinted_end <= result && ok) {
        for (int32_t i = 0; i < n; i++)
            b[i].offset = hinted[i];
        result = hinted_end;
    }
    return result;
}

/* ---- Random layouts against the reference. ---- */

static uint32_t lcg_state = 12345;

static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return (lcg_state >> 8) % n;
}

/* Sizes of every kind: zero (placed anywhere but strictly inside another),
 * odd and aligned small ones, and with huge, a few of a GiB and more so
 * that some sets need more than 4 GiB. */
static uint32_t random_size(int huge)
{
    switch (lcg(8)) {
    case 0: return 0;
    case 1: return huge ? (1u << 30) + lcg(1u << 28) : 4 * lcg(16);
    case 2: return huge ? UINT32_MAX - lcg(8) : 1 + lcg(400);
    default: return 1 + lcg(64);
    }
}

static void random_layouts(void)
{
    int differ = 0, failed = 0;
    for (int round = 0; round < 6000 && differ < 5; round++) {
        int32_t n = (int32_t)lcg(MAX_RANDOM + 1), steps = 1 + (int32_t)lcg(14);
        int huge = round % 10 == 9;
        layout_buffer mine[MAX_RANDOM], ref[MAX_RANDOM];
        for (int32_t i = 0; i < n; i++) {
            int32_t first = (int32_t)lcg((uint32_t)steps), last = first + (int32_t)lcg((uint32_t)(steps - first));
            mine[i] = (layout_buffer){random_size(huge), first, last, lcg(3) ? 1 : 4, (int32_t)lcg(2), 7, 0};
        }
        memcpy(ref, mine, (size_t)n * sizeof *mine);
        uint32_t size = 0, want = ref_layout(ref, n);
        int rc = layout_place(mine, n, &size);
        int same = rc == (want == UINT32_MAX ? LAYOUT_TOO_LARGE : LAYOUT_OK) && (rc != LAYOUT_OK || size == want);
        for (int32_t i = 0; same && rc == LAYOUT_OK && i < n; i++)
            same = mine[i].offset == ref[i].offset;
        if (!same && differ++ < 5)
            fprintf(stderr, "random layout %d (%d buffers): rc %d size %u, reference %u\n", round, n, rc, size, want);
        failed += rc != LAYOUT_OK;
    }
    CHECK_EQ_INT(differ, 0);
    CHECK(failed > 0); /* the over-4-GiB path was taken */
}

/* ---- arena_live_bytes against a scan of every tensor. ---- */

static uint64_t scanned_live_bytes(const msf_graph *g, const tensor_lifetime *life, int32_t a, int32_t b, int streamed)
{
    uint64_t sum = 0;
    for (int32_t t = 0; t < g->model.n_tensors; t++) {
        tensor_lifetime l = life[t];
        if (l.first > l.last || l.last < a || l.first > b || streamed_tensor(g, t, streamed))
            continue;
        if (!(l.first >= a && l.first < b))
            sum += g->tensors[t].bytes;
    }
    return sum;
}

static void live_bytes_of(const char *path)
{
    msf_graph g;
    char err[512];
    if (graph_load(path, &g, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    tensor_lifetime *life = tensor_lifetimes(&g);
    static const int ways[] = {0, MSF_STREAM_INPUT, MSF_STREAM_OUTPUT, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, MSF_STREAM_INPUT_ROWS};
    int differ = 0;
    for (int32_t a = 0; life && a < g.model.n_ops; a++)
        for (int32_t b = a; b < g.model.n_ops && b < a + MSF_MAX_FUSED; b++)
            for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++)
                differ += arena_live_bytes(&g, life, a, b, ways[w]) != scanned_live_bytes(&g, life, a, b, ways[w]);
    CHECK(life != NULL);
    if (differ)
        fprintf(stderr, "%s: %d live byte counts differ\n", path, differ);
    CHECK_EQ_INT(differ, 0);
    free(life);
    graph_free(&g);
}

/* ---- Scale. ---- */

static double cpu_seconds(clock_t since)
{
    return (double)(clock() - since) / CLOCKS_PER_SEC;
}

/* 100,000 operators: the importer, the fusion graph, P1, its layout and
 * the layer-by-layer layouts msf info makes. The quadratic analyses took
 * minutes for each; these take a few seconds (more under sanitizers). */
static void large_model(void)
{
    size_t size;
    uint8_t *buf = scale_chain_model(100000, &size);
    msf_graph g;
    char err[512];
    clock_t start = clock();
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err)) {
        fprintf(stderr, "large model: %s\n", buf ? err : "cannot build it");
        CHECK(0);
        return;
    }
    planner p;
    plan_path path;
    built_plan bp, layers;
    CHECK_EQ_INT(planner_init(&p, &g, 0, SPACE_MSF), 0);
    CHECK_EQ_INT(plan_p1_min_ram(&p.graph, INFINITY, p.vanilla_macs, &path), PLAN_OK);
    CHECK_EQ_INT(planner_build(&p, &g, &path, &bp), LAYOUT_OK);
    CHECK_EQ_INT(plan_build_layers(&g, MSF_STREAM_INPUT, &layers), LAYOUT_OK);
    /* Blocks of the three 1x1 convolutions and their residual ADD, each
     * writing its output over its input (46 B: the input's 32, two
     * 2-channel caches, the ring of output rows; written beside its input,
     * the block took 70 B, and the convolutions alone with the ADD in place
     * after them 68 B); layer by layer, the skip, the input and the output
     * of the ADD. */
    CHECK_EQ_INT(bp.plan.n_blocks, 25000);
    CHECK_EQ_INT(bp.plan.arena_bytes, 46);
    CHECK_EQ_INT(layers.plan.arena_bytes, 96);
    double seconds = cpu_seconds(start);
    printf("100,000 operators: imported, planned and laid out in %.1f s of CPU\n", seconds);
    CHECK(seconds < 60);
    built_plan_free(&bp);
    built_plan_free(&layers);
    plan_path_free(&path);
    planner_free(&p);
    graph_free(&g);
}

/* A chain of 400,000 buffers alternating ends, each alive two steps, and
 * one alive throughout: every buffer has a few neighbours in time. */
static void long_layout(void)
{
    int32_t n = 400000;
    layout_buffer *b = malloc((size_t)n * sizeof *b);
    if (!b) {
        CHECK(0);
        return;
    }
    for (int32_t i = 0; i < n - 1; i++)
        b[i] = (layout_buffer){16 + (uint32_t)(i % 5), i, i + 1, i % 3 ? 1 : 4, i % 2, 0, 0};
    b[n - 1] = (layout_buffer){100, 0, n, 1, 0, 0, 0};
    clock_t start = clock();
    uint32_t size = 0;
    CHECK_EQ_INT(layout_place(b, n, &size), LAYOUT_OK);
    CHECK(size >= 100 + 20 + 20 && size < 200);
    double seconds = cpu_seconds(start);
    printf("400,000 buffers laid out in %.1f s of CPU\n", seconds);
    CHECK(seconds < 30);
    free(b);
}

/* 9,000 one-byte graph inputs added up, all alive at the first step: some
 * 80 million pairs of buffers, over LAYOUT_MAX_PAIRS, refused before any
 * is placed. */
static void busy_layout(void)
{
    size_t size;
    uint8_t *buf = scale_busy_model(&size);
    msf_graph g;
    char err[512];
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err)) {
        fprintf(stderr, "busy layout: %s\n", buf ? err : "cannot build it");
        CHECK(0);
        return;
    }
    built_plan bp;
    clock_t start = clock();
    CHECK_EQ_INT(plan_build_layers(&g, 0, &bp), LAYOUT_TOO_BUSY);
    CHECK(cpu_seconds(start) < 5);
    graph_free(&g);
}

/* 1,900 one-byte inputs added up: 3.6 million pairs, near the limit, the
 * most work a layout may take: the inputs and the first sum at step 0. */
static void busiest_layout(void)
{
    size_t size;
    uint8_t *buf = scale_sum_model(1900, 1, &size);
    msf_graph g;
    char err[512];
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err)) {
        fprintf(stderr, "busiest layout: %s\n", buf ? err : "cannot build it");
        CHECK(0);
        return;
    }
    built_plan bp;
    clock_t start = clock();
    CHECK_EQ_INT(plan_build_layers(&g, 0, &bp), LAYOUT_OK);
    double seconds = cpu_seconds(start);
    printf("1,900 tensors alive together laid out in %.1f s of CPU\n", seconds);
    CHECK(seconds < 30);
    CHECK_EQ_INT(bp.plan.arena_bytes, 1901);
    built_plan_free(&bp);
    graph_free(&g);
}

/* Over 4 GiB alive at once: LAYOUT_TOO_LARGE, told apart from running out
 * of memory, layer by layer and with the input and output streamed. */
static void huge_arena(void)
{
    size_t size;
    uint8_t *buf = scale_huge_arena_model(&size);
    msf_graph g;
    char err[512];
    if (!buf || graph_from_tflite(buf, size, &g, err, sizeof err)) {
        fprintf(stderr, "huge arena: %s\n", buf ? err : "cannot build it");
        CHECK(0);
        return;
    }
    built_plan bp;
    CHECK_EQ_INT(plan_build_layers(&g, 0, &bp), LAYOUT_TOO_LARGE);
    CHECK_EQ_INT(plan_build_layers(&g, MSF_STREAM_INPUT | MSF_STREAM_OUTPUT, &bp), LAYOUT_TOO_LARGE);
    graph_free(&g);
}

int main(void)
{
    random_layouts();
    static const char *const specs[] = {"models/mobilenetv2-w035-r144.spec", "models/mn2-vww5-r80.spec",
                                        "tests/plan/flatten_classifier.spec", "tests/plan/gap_nchw_hw.spec",
                                        "tests/plan/gap_mean.spec", "tests/plan/exporter_style.spec"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", MSF_SOURCE_DIR, specs[i]);
        live_bytes_of(path);
    }
    large_model();
    long_layout();
    busy_layout();
    busiest_layout();
    huge_arena();
    return check_summary();
}
