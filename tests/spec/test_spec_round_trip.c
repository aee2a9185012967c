/* A spec the reader accepts is a .tflite the importer accepts, as the same
 * network (spec_round_trip.h): every spec file of the project, and every
 * form of the global pool before each layer that can follow it.
 *
 * Reproducer: gap as=nchw_hw ended in a [1, C, 1] tensor (its first MEAN
 * keeps H) where the reader had [1, C]; a softmax or an add after it was
 * accepted by the reader and refused by the importer ("output shape is
 * 1x4, expected 1x4x1"), in `msf info SPEC` and in `msf info` of the file
 * `msf export SPEC` wrote.
 *
 * Squeeze-excite (mul from=, act=hardswish, logistic, hardsigmoid): each
 * layer's operators after its linear output are counted as the layer's. */
#include <dirent.h>
#include <string.h>

#include "check.h"
#include "file_io.h"
#include "spec/spec_round_trip.h"

static void check_text(const char *what, const char *text, size_t len)
{
    char msg[512] = "";
    int rc = spec_round_trip(text, len, NULL, msg, sizeof msg);
    if (rc != SPEC_ROUND_TRIP)
        fprintf(stderr, "%s: %s\n", what, msg);
    CHECK_EQ_INT(rc, SPEC_ROUND_TRIP);
}

static void check_folder(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int files = 0;
    CHECK(d != NULL);
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".spec") != 0)
            continue;
        char path[1024], err[512];
        uint8_t *text;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (read_whole_file(path, 1 << 20, &text, &len, err, sizeof err) == 0) {
            check_text(path, (const char *)text, len);
            free(text);
            files++;
        } else {
            fprintf(stderr, "%s\n", err);
            CHECK(0);
        }
    }
    if (d)
        closedir(d);
    CHECK(files > 0);
}

/* Each global pool form, then layers that take its output: a 1x1xC map
 * (avgpool, mean) or a flat [1, C] (the transposed forms). */
static void test_gap_forms(void)
{
    static const char *const forms[] = {"avgpool", "mean", "nchw_wh", "nchw_hw"};
    static const struct {
        const char *lines;
        int flat_only;             /* adds a flat fc output to the pool's */
    } tails[] = {
        {"softmax\n", 0},
        {"softmax\nsoftmax\n", 0},
        {"add from=g\n", 0},
        {"fc c=4\nsoftmax\n", 0},
        {"fc c=4 act=relu\nadd from=g act=relu6\nsoftmax\n", 1},
    };
    for (int32_t f = 0; f < 4; f++) {
        for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
            if (tails[t].flat_only && f < SPEC_GAP_NCHW_WH)
                continue;
            char text[256];
            int n = snprintf(text, sizeof text, "input 6x5x3\nconv k=3 c=4 act=relu6\ngap as=%s name=g\n%s",
                             forms[f], tails[t].lines);
            check_text(text, text, (size_t)n);
        }
    }
}

/* Reproducer (fuzz_spec): a layer with in= reading a map of other channels
 * than the line before it was counted from the line before (720 MACs where
 * the importer found 1,920). */
static void test_in_reads_earlier_layer(void)
{
    static const char text[] = "input 6x5x3\nconv k=3 c=8 act=relu6 name=a\npw c=3 act=relu6\n"
                               "conv k=3 c=4 act=relu6 in=a\nconv k=3 s=2 c=2 in=a\n";
    check_text("in=a", text, sizeof text - 1);
}

/* Squeeze-excite: each gating activation after each layer that takes it,
 * gates from every global pool form (1x1xC, or flat after an fc), and a
 * MUL whose map is RELU6-quantized joining a concat; the layers with
 * operators after their linear output count them (HARD_SWISH, LOGISTIC,
 * hard-sigmoid's ADD and MUL). */
static void test_squeeze_excite(void)
{
    static const char *const acts[] = {"hardswish", "logistic", "hardsigmoid"};
    static const char *const gates[] = {
        "gap as=%s\npw c=4 act=relu\npw c=8 act=%s\n",
        "gap as=%s\nfc c=4 act=relu\nfc c=8 act=%s\n",
        "gap as=%s\ndw k=1 act=%s\n",
    };
    static const char *const forms[] = {"avgpool", "mean", "nchw_wh", "nchw_hw"};
    for (int32_t a = 0; a < 3; a++) {
        for (int32_t g = 0; g < 3; g++) {
            for (int32_t f = 0; f < 4; f++) {
                if (g != 1 && f >= SPEC_GAP_NCHW_WH)
                    continue; /* pw and dw need the 1x1xC map */
                char gate[128], text[512];
                snprintf(gate, sizeof gate, gates[g], forms[f], acts[a]);
                int n = snprintf(text, sizeof text,
                                 "input 7x6x3\nconv k=3 s=2 c=8 act=%s\ndw k=3 act=relu6 name=x\n%s"
                                 "mul from=x name=y\npw c=8 act=relu6\nconcat from=y\nfc c=5 act=%s\n",
                                 acts[a], gate, acts[a]);
                check_text(text, text, (size_t)n);
            }
        }
    }
}

int main(void)
{
    test_gap_forms();
    test_in_reads_earlier_layer();
    test_squeeze_excite();
    check_folder(MSF_SOURCE_DIR "/models");
    check_folder(MSF_SOURCE_DIR "/tests/plan");
    return check_summary();
}
