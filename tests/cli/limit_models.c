/* msf-limit-models: writes the models of scale_models.h for
 * run_limit_tests.sh.
 * usage: msf-limit-models chain N OUT.tflite | huge-arena OUT.tflite | busy OUT.tflite */
#include <stdio.h>
#include <string.h>

#include "file_io.h"
#include "scale_models.h"

int main(int argc, char **argv)
{
    size_t size;
    uint8_t *buf = NULL;
    const char *path = argv[argc - 1];
    if (argc == 4 && strcmp(argv[1], "chain") == 0)
        buf = scale_chain_model((int32_t)atoi(argv[2]), &size);
    else if (argc == 3 && strcmp(argv[1], "huge-arena") == 0)
        buf = scale_huge_arena_model(&size);
    else if (argc == 3 && strcmp(argv[1], "busy") == 0)
        buf = scale_busy_model(&size);
    else {
        fputs("usage: msf-limit-models chain N OUT.tflite | huge-arena OUT.tflite | busy OUT.tflite\n", stderr);
        return 2;
    }
    char err[512];
    if (!buf || write_file_atomic(path, buf, size, err, sizeof err)) {
        fprintf(stderr, "msf-limit-models: %s\n", buf ? err : "cannot build the model");
        free(buf);
        return 1;
    }
    free(buf);
    return 0;
}
