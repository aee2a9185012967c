/* Networks the fuzzers found (tests/fuzz), written as specs and run under
 * every P1 / P2 plan and each way of streaming (fused_check.h). Their bugs
 * were undefined behaviour: this test fails in the sanitizer build. */
#include "plan/fused_check.h"
#include "spec_reader.h"

typedef struct {
    const char *name;
    const char *text;
} finding;

static const finding findings[] = {
    /* fuzz_pipeline: the one data row lands on a row the stride-2 depthwise
     * skips, so the fused block never fetches an input row; with the input
     * a row at a time (no pointer) the dispatcher still formed the input
     * window's base as NULL + 0 (UBSan: applying zero offset to null
     * pointer, runtime/window_dispatch.c). */
    {"input never read, rows streamed",
     "input 1x7x2\n"
     "conv k=3 c=4 act=relu\n"
     "zeropad t=4 b=1 l=5 r=0\n"
     "conv k=1 pad=valid c=4 act=relu6\n"
     "zeropad t=3 b=3 l=1 r=4\n"
     "dw k=1 s=2 pad=valid act=relu\n"
     "pw c=3\n"},
};

int main(void)
{
    fused_check_every_block = 1;
    for (size_t i = 0; i < sizeof findings / sizeof *findings; i++) {
        uint8_t *file;
        size_t size;
        char err[512];
        msf_graph g;
        if (spec_to_tflite(findings[i].text, strlen(findings[i].text), &file, &size, err, sizeof err) != 0 ||
            graph_from_tflite(file, size, &g, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", findings[i].name, err);
            CHECK(0);
            continue;
        }
        run_model(findings[i].name, &g);
        graph_free(&g);
    }
    return check_summary();
}
