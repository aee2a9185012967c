/* Every plan of the P1 sweep (F = 1.0, 1.1, 1.2, 1.3, 1.5, 2, Inf) and of
 * the P2 sweep (8 .. 512 kB where feasible), with the input held, the input
 * streamed (by pointer, and a row at a time), and both input and output
 * streamed, run on the host runtime: output bytes equal to layer-by-layer
 * execution, arena high-water mark equal to the planned arena, counted MACs
 * equal to the planned MACs, and the planned arena at the search's bound.
 * Models: the demo model, specs (explicit PADs, a
 * residual and a global pool; a flattened map into a classifier; the global
 * pool as MEAN and as TRANSPOSE + two MEANs, both orders; zero padding
 * wider than the kernels inside blocks; a pool over the whole map that is
 * no global pool; float I/O ending at a map and at a classifier; an NCHW
 * input; a residual stage with a projection on the skip), and the
 * reference models when ../shared is present. */
#define _POSIX_C_SOURCE 200809L /* opendir */

#include <dirent.h>

#include "demo_model.h"
#include "fused_check.h"

/* Without arguments: the demo model and the reference models (the test
 * suite's fast subset). With arguments: those models too (make bench runs
 * the bundled specs this way). */
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        run_file(argv[i]);
    size_t size;
    uint8_t *demo = demo_model_build(&size);
    msf_graph g;
    char err[512];
    CHECK(demo != NULL);
    if (demo && graph_from_tflite(demo, size, &g, err, sizeof err) == 0) {
        run_model("demo", &g);
        graph_free(&g);
    } else {
        fprintf(stderr, "demo: %s\n", err);
        CHECK(0);
    }
    run_file(MSF_SOURCE_DIR "/tests/plan/exporter_style.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/flatten_classifier.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/float_map.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/float_classifier.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/nchw_input.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/gap_mean.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/gap_nchw_wh.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/gap_nchw_hw.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/padded_block.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/window_pool.spec");
    run_file(MSF_SOURCE_DIR "/tests/plan/branch_block.spec");
    const char *models = MSF_SHARED_DIR "/reference/models";
    DIR *d = opendir(models);
    if (!d) {
        printf("reference models skipped: %s not found\n", models);
    } else {
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n > 7 && strcmp(e->d_name + n - 7, ".tflite") == 0) {
                char path[1024];
                snprintf(path, sizeof path, "%s/%s", models, e->d_name);
                run_file(path);
            }
        }
        closedir(d);
    }
    return check_summary();
}
