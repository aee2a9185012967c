/* The bundled specs run end to end, layer by layer, on a pseudo-random
 * image: the kernels execute the MACs the importer counts, and the
 * activation scales the spec reader estimates keep the output informative
 * (many distinct values, few at the int8 limits). A network whose scales
 * were off would end saturated or constant. */
#include <stdlib.h>

#include "check.h"
#include "msf_count.h"
#include "msf_runtime.h"
#include "plan_build.h"
#include "spec_reader.h"

#define MODELS MSF_SOURCE_DIR "/models/"
#define INPUT_SEED 1
#define MIN_DISTINCT 5
#define MAX_CLIPPED_PERCENT 10

static const char *const specs[] = {"mbv2-w035-r144.spec", "mn2-vww5-r80.spec", "mn2-320k-r176.spec",
                                    "mobilenetv2-w035-r144.spec", "mobilenetv3-small-r224.spec"};

/* An int8 tensor is informative when it holds several distinct values and
 * few of them sit at -128 or 127 beyond what its activation explains
 * (RELU6 outputs at zero point -128 are at -128 for every negative
 * pre-activation, so only 127 counts as clipped for them). */
static void check_informative(const char *what, const msf_tensor *t, const int8_t *v, int relu)
{
    int seen[256] = {0}, distinct = 0;
    int32_t n = msf_elements(t), clipped = 0;
    for (int32_t i = 0; i < n; i++) {
        distinct += !seen[v[i] + 128]++;
        clipped += v[i] == 127 || (!relu && v[i] == -128);
    }
    if (distinct < MIN_DISTINCT || 100 * (int64_t)clipped > MAX_CLIPPED_PERCENT * (int64_t)n)
        fprintf(stderr, "%s: %d distinct values, %d of %d clipped\n", what, distinct, clipped, n);
    CHECK(distinct >= MIN_DISTINCT);
    CHECK(100 * (int64_t)clipped <= MAX_CLIPPED_PERCENT * (int64_t)n);
}

/* Checks the network's output and, when it ends in a softmax, the logits
 * (a 1000-class softmax of random logits is close to uniform, so its bytes
 * alone say little) and that the top logit gets the top probability. */
static void check_outputs(const char *file, const msf_graph *g, const msf_plan *plan, uint8_t *arena)
{
    const msf_model *m = &g->model;
    int softmax = m->ops[m->n_ops - 1].type == MSF_OP_SOFTMAX;
    int32_t producer = m->n_ops - 1 - softmax, out = m->outputs[0];
    int32_t checked = m->ops[producer].output;
    int relu = g->tfl.ops[producer].opt.activation != 0;
    const int8_t *x = msf_tensor_data(m, plan, arena, checked);
    check_informative(file, &m->tensors[checked], x, relu);
    if (softmax) {
        const int8_t *p = msf_tensor_data(m, plan, arena, out);
        int32_t top = 0, top_p = 0;
        for (int32_t i = 1; i < msf_elements(&m->tensors[out]); i++) {
            top = x[i] > x[top] ? i : top;
            top_p = p[i] > p[top_p] ? i : top_p;
        }
        CHECK_EQ_INT(p[top], p[top_p]);
        CHECK(p[top] > -128);
    }
}

static void run_spec(const char *file)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s%s", MODELS, file);
    msf_graph g;
    if (graph_load(path, &g, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    built_plan bp;
    if (plan_build_layers(&g, 0, &bp)) {
        CHECK(0);
        graph_free(&g);
        return;
    }
    const msf_model *m = &g.model;
    uint8_t *arena = malloc(bp.plan.arena_bytes);
    CHECK(arena != NULL);
    if (arena) {
        int32_t in = m->inputs[0];
        spec_lcg_fill(msf_tensor_data(m, &bp.plan, arena, in), m->tensors[in].bytes, INPUT_SEED);
        msf_tally ran = {0, 0, 0, 0};
        CHECK_EQ_INT(msf_run_plan_tallied(m, &bp.plan, arena, bp.plan.arena_bytes, NULL, NULL, NULL, &ran), MSF_OK);
        CHECK_EQ_INT(ran.macs, bp.macs);
        check_outputs(file, &g, &bp.plan, arena);
        printf("%s: %llu MACs run\n", file, (unsigned long long)ran.macs);
    }
    free(arena);
    built_plan_free(&bp);
    graph_free(&g);
}

int main(void)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        run_spec(specs[i]);
    return check_summary();
}
