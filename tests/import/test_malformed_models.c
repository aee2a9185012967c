/* Malformed models: every variant of tflite_mutations.h built from the
 * reference models (when ../shared is present) and from the demo model must
 * be refused with a one-line message, or, where refusal is not required,
 * read into a model whose indices and data pointers are all sound and then
 * refused by the graph builder with a message or built and laid out. Run
 * under the sanitizers, this also checks that nothing reads outside the
 * (exactly sized) variant. */
#define _POSIX_C_SOURCE 200809L /* opendir */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_build.h"
#include "check.h"
#include "demo_model.h"
#include "file_io.h"
#include "graph.h"
#include "import/tflite_mutations.h"
#include "tflite_reader.h"

typedef struct {
    const char *base;
    long refused, accepted, wrong;
} tally;

static void report(tally *t, const char *what, const char *problem)
{
    if (t->wrong++ < 10)
        fprintf(stderr, "%s: %s: %s\n", t->base, what, problem);
}

/* What the reader accepts goes on to the graph builder, which refuses it
 * with a one-line message or builds a graph that lays out in an arena. */
static const char *graph_problem(const uint8_t *img, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return "out of memory";
    memcpy(copy, img, size);
    msf_graph g;
    char err[512];
    memset(err, 'x', sizeof err);
    if (graph_from_tflite(copy, size, &g, err, sizeof err) != 0)
        return !memchr(err, '\0', sizeof err) || err[0] == '\0' || strchr(err, '\n')
                   ? "graph refused without a one-line message"
                   : NULL;
    built_plan bp;
    const char *problem = plan_build_layers(&g, 0, &bp) ? "arena layout failed" : NULL;
    if (!problem)
        built_plan_free(&bp);
    graph_free(&g);
    return problem;
}

static void check_variant(const uint8_t *img, size_t size, const char *what, int must_fail,
                          void *ctx)
{
    tally *t = ctx;
    tfl_model m;
    char err[256];
    const char *problem;
    memset(err, 'x', sizeof err);
    if (tflite_read(img, size, &m, err, sizeof err) != 0) {
        t->refused++;
        if (!memchr(err, '\0', sizeof err) || err[0] == '\0' || strchr(err, '\n'))
            report(t, what, "refused without a one-line message");
        return;
    }
    t->accepted++;
    if (must_fail)
        report(t, what, "accepted");
    else if ((problem = tflite_model_unsound(&m, img, size)))
        report(t, what, problem);
    tflite_free(&m);
    if ((problem = graph_problem(img, size)))
        report(t, what, problem);
}

static void run_base(const char *name, const uint8_t *base, size_t size)
{
    tally t = {name, 0, 0, 0};
    long n = tflite_mutations(base, size, check_variant, &t);
    CHECK(n > 0);
    CHECK_EQ_INT(t.wrong, 0);
    printf("%s: %ld variants, %ld refused, %ld accepted\n", name, n, t.refused, t.accepted);
}

static int run_file(const char *path)
{
    size_t size;
    uint8_t *buf;
    char err[256];
    if (read_whole_file(path, 64u << 20, &buf, &size, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return 0;
    }
    run_base(path, buf, size);
    free(buf);
    return 1;
}

/* Every .tflite in models/ and every ops/CASE/model.tflite; returns how many. */
static int run_shared(const char *ref)
{
    char path[1024];
    struct dirent *e;
    int n = 0;
    DIR *d;
    snprintf(path, sizeof path, "%s/models", ref);
    if ((d = opendir(path))) {
        while ((e = readdir(d)))
            if (strstr(e->d_name, ".tflite")) {
                snprintf(path, sizeof path, "%s/models/%s", ref, e->d_name);
                n += run_file(path);
            }
        closedir(d);
    }
    snprintf(path, sizeof path, "%s/ops", ref);
    if ((d = opendir(path))) {
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                snprintf(path, sizeof path, "%s/ops/%s/model.tflite", ref, e->d_name);
                FILE *f = fopen(path, "rb");
                if (f) {
                    fclose(f);
                    n += run_file(path);
                }
            }
        closedir(d);
    }
    return n;
}

int main(void)
{
    size_t size;
    uint8_t *demo = demo_model_build(&size);
    int bases = run_shared(MSF_SHARED_DIR "/reference");
    if (bases == 0)
        printf("../shared/reference not found (%s): only the demo model is mutated\n",
               MSF_SHARED_DIR "/reference");
    if (demo) {
        run_base("demo model", demo, size);
        free(demo);
        bases++;
    }
    if (bases == 0) {
        printf("skipped: ../shared/reference not found and demo_model_build() gave no model\n");
        return 77;
    }
    return check_summary();
}
