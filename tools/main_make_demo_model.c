/* msf-demo-model: writes the bundled demo model (and its demo input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_model.h"
#include "file_io.h"

static const char usage[] =
    "usage: msf-demo-model OUT.tflite [OUT_INPUT.bin]\n"
    "\n"
    "Writes msf's demo model, a small MobileNetV2-like int8 CNN with\n"
    "pseudo-random weights (input 1x48x48x3, 10 classes), and optionally a\n"
    "deterministic pseudo-random input for it. Each file is written whole or\n"
    "not at all.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage.\n";

/* Builds one file with make and writes it; returns 0 or 1. */
static int write_made(const char *path, uint8_t *(*make)(size_t *))
{
    size_t size;
    uint8_t *data = make(&size);
    char err[512];
    if (!data) {
        fprintf(stderr, "msf-demo-model: %s: out of memory\n", path);
        return 1;
    }
    int rc = write_file_atomic(path, data, size, err, sizeof err);
    free(data);
    if (rc) {
        fprintf(stderr, "msf-demo-model: %s\n", err);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (argv[i][0] == '-') {
            fputs(usage, stderr);
            fprintf(stderr, "msf-demo-model: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (argc < 2 || argc > 3) {
        fputs(usage, stderr);
        return 2;
    }
    if (write_made(argv[1], demo_model_build))
        return 1;
    return argc == 3 ? write_made(argv[2], demo_model_input) : 0;
}
