/* The planner's block costs come from the runner's counting pass
 * (runtime/msf_count.h). Until it had matched them everywhere, the analytic
 * formulas it replaced (row spans and a needed-column bitmap worked out
 * apart from the runner) stay here as an oracle: for every fusible block of
 * every model, and every operator alone with the input a row at a time,
 * the counting pass must give the same caches, sums, input rows and MACs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_cost.h"
#include "check.h"
#include "demo_model.h"
#include "graph.h"
#include "msf_plan.h"

static int oracle_spatial(const msf_op *op)
{
    return op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D || op->type == MSF_OP_AVERAGE_POOL2D ||
           op->type == MSF_OP_MAX_POOL2D || op->type == MSF_OP_PAD;
}

typedef struct {
    int32_t h, w, c;
} shape3;

static shape3 shape_of(const msf_tensor *t)
{
    shape3 s = {t->dims[1], t->dims[2], t->dims[3]};
    return s;
}

/* Fused block: the sweep produces every pixel of T_{last+1} once (the block
 * output, or the map a consumer takes); columns of each intermediate are
 * computed once per sweep row (the union of the windows the next operator's
 * columns need), rows as msf_input_span gives them for each sweep row. */
static int oracle_fused_cost(const msf_graph *g, int32_t first_op, int32_t n, block_cost *c)
{
    const msf_op *ops = &g->ops[first_op];
    shape3 shape[MSF_MAX_FUSED + 1];
    msf_op_window win[MSF_MAX_FUSED];
    int32_t last;
    msf_sink sink = msf_block_sink(&g->model, ops, n, &last);
    shape[0] = shape_of(&g->tensors[ops[0].inputs[0]]);
    for (int32_t j = 0; j <= last; j++) {
        shape[j + 1] = shape_of(&g->tensors[ops[j].output]);
        win[j] = msf_window_of(&ops[j]);
    }
    c->n_caches = n - 1;
    if (sink != MSF_SINK_TENSOR) {
        /* The consumer's map is the sweep's output, held as one pixel (the
         * operators between it and the consumer hold nothing); the consumer
         * keeps its int32 sums and performs its own MACs once per pixel, as
         * the plain operators would. */
        c->cache_rows[last] = c->cache_cols[last] = 1;
        c->cache_bytes[last] = (uint32_t)shape[last + 1].c;
        c->acc_bytes = 4u * (uint32_t)msf_sink_sums(&g->model, ops, n, sink, last);
        for (int32_t j = last + 1; j < n; j++)
            c->macs += g->op_macs[first_op + j];
    }
    n = last + 1; /* from here on: the operators the sweep runs */
    /* needed[x] of T_{j+1}, walked from the block output back. */
    uint8_t *needed = malloc((size_t)shape[n].w), *prev = NULL;
    if (!needed)
        return -1;
    memset(needed, 1, (size_t)shape[n].w);
    int64_t cols_needed[MSF_MAX_FUSED + 1];
    cols_needed[n] = shape[n].w;
    for (int32_t j = n - 1; j >= 1; j--) {
        prev = calloc((size_t)shape[j].w, 1);
        if (!prev) {
            free(needed);
            return -1;
        }
        int32_t widest = 0;
        for (int32_t x = 0; x < shape[j + 1].w; x++) {
            if (!needed[x])
                continue;
            int32_t lo, hi;
            msf_input_span(x, x, win[j].kw, win[j].sw, win[j].pad_left, shape[j].w, &lo, &hi);
            for (int32_t i = lo; i <= hi; i++)
                prev[i] = 1;
            if (hi - lo + 1 > widest)
                widest = hi - lo + 1;
        }
        free(needed);
        needed = prev;
        cols_needed[j] = 0;
        for (int32_t i = 0; i < shape[j].w; i++)
            cols_needed[j] += needed[i];
        c->cache_cols[j - 1] = widest;
    }
    free(needed);

    int64_t rows_sum[MSF_MAX_FUSED + 1] = {0};
    int32_t rows_max[MSF_MAX_FUSED + 1] = {0};
    for (int32_t y = 0; y < shape[n].h; y++) {
        int32_t lo = y, hi = y;
        for (int32_t j = n - 1; j >= 1; j--) {
            msf_input_span(lo, hi, win[j].kh, win[j].sh, win[j].pad_top, shape[j].h, &lo, &hi);
            int32_t rows = hi >= lo ? hi - lo + 1 : 0;
            rows_sum[j] += rows;
            if (rows > rows_max[j])
                rows_max[j] = rows;
        }
    }
    for (int32_t j = 0; j < n; j++) {
        uint64_t elements = (uint64_t)shape[j + 1].h * (uint64_t)shape[j + 1].w * (uint64_t)shape[j + 1].c;
        uint64_t per_element = g->op_macs[first_op + j] / elements;
        uint64_t computed = j == n - 1 ? elements
                                       : (uint64_t)rows_sum[j + 1] * (uint64_t)cols_needed[j + 1] *
                                             (uint64_t)shape[j + 1].c;
        c->macs += computed * per_element;
    }
    for (int32_t j = 1; j < n; j++) {
        c->cache_rows[j - 1] = rows_max[j];
        c->cache_bytes[j - 1] = (uint32_t)rows_max[j] * (uint32_t)c->cache_cols[j - 1] * (uint32_t)shape[j].c;
    }
    return 0;
}

/* Input rows the block reading the input holds when it comes a row at a
 * time: what one row of the block's sweep needs (msf_input_span down to the
 * input, as the executor fetches them), or all of it for an operator that
 * is not swept. */
static int32_t oracle_input_rows(const msf_graph *g, int32_t first_op, int32_t last_op)
{
    const msf_op *ops = &g->ops[first_op];
    int32_t n = last_op - first_op + 1, last, h = g->tensors[ops[0].inputs[0]].dims[1], most = 0;
    if (n == 1 && !oracle_spatial(&ops[0]))
        return h;
    msf_block_sink(&g->model, ops, n, &last);
    for (int32_t y = 0; y < g->tensors[ops[last].output].dims[1]; y++) {
        int32_t lo = y, hi = y;
        for (int32_t j = last; j >= 0; j--) {
            msf_op_window w = msf_window_of(&ops[j]);
            int32_t rows = g->tensors[j ? ops[j - 1].output : ops[0].inputs[0]].dims[1];
            msf_input_span(lo, hi, w.kh, w.sh, w.pad_top, rows, &lo, &hi);
        }
        if (hi - lo + 1 > most)
            most = hi - lo + 1;
    }
    return most;
}

static long compared;

static void compare(const msf_graph *g, const tensor_lifetime *life, int32_t a, int32_t b, int streamed,
                    const char *name)
{
    block_cost got, want;
    memset(&want, 0, sizeof want);
    if (block_cost_exact(g, life, a, b, block_default_scheme(g, a, b, streamed), streamed, &got) != 0) {
        CHECK(0);
        return;
    }
    if (b > a && oracle_fused_cost(g, a, b - a + 1, &want) != 0) {
        CHECK(0);
        return;
    }
    if (b == a)
        want.macs = g->op_macs[a];
    int ok = got.macs == want.macs && got.acc_bytes == want.acc_bytes;
    for (int32_t j = 1; b > a && j <= b - a; j++)
        ok &= got.cache_rows[j] == want.cache_rows[j - 1] && got.cache_cols[j] == want.cache_cols[j - 1] &&
              got.cache_bytes[j] == want.cache_bytes[j - 1];
    if ((streamed & STREAM_INPUT_ROWS) && a == 0)
        ok &= got.input_rows == oracle_input_rows(g, a, b);
    if (!ok)
        fprintf(stderr, "%s block [%d,%d] streamed %d: counted MACs %llu, analytic %llu\n", name, a, b, streamed,
                (unsigned long long)got.macs, (unsigned long long)want.macs);
    CHECK(ok);
    compared++;
}

static void every_block(const msf_graph *g, const char *name)
{
    tensor_lifetime *life = tensor_lifetimes(g);
    CHECK(life != NULL);
    for (int32_t a = 0; life && a < g->model.n_ops; a++) {
        for (int32_t b = a; b < g->model.n_ops && b - a < MSF_MAX_FUSED; b++) {
            if (b > a && !block_fusible(g, a, b))
                continue;
            compare(g, life, a, b, 0, name);
            if (a == 0 && streaming_possible(g, STREAM_INPUT_ROWS))
                compare(g, life, a, b, STREAM_INPUT_ROWS, name);
        }
    }
    free(life);
}

int main(int argc, char **argv)
{
    size_t size;
    uint8_t *demo = demo_model_build(&size);
    msf_graph g;
    char err[512];
    if (demo && graph_from_tflite(demo, size, &g, err, sizeof err) == 0) {
        every_block(&g, "demo");
        graph_free(&g);
    } else {
        CHECK(0);
    }
    for (int i = 1; i < argc; i++) {
        if (graph_load(argv[i], &g, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            CHECK(0);
            continue;
        }
        every_block(&g, argv[i]);
        graph_free(&g);
    }
    printf("%ld blocks compared\n", compared);
    return check_summary();
}
