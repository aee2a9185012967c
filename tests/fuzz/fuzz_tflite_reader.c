/* libFuzzer entry: tflite_read must refuse or accept any bytes without
 * touching memory outside them, and what it accepts must keep the reader's
 * promises (indices in range, constant data inside the input). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "import/tflite_mutations.h"
#include "tflite_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl_model m;
    char err[256];
    const char *problem;
    if (tflite_read(data, size, &m, err, sizeof err) != 0)
        return 0;
    if ((problem = tflite_model_unsound(&m, data, size))) {
        fprintf(stderr, "accepted model is unsound: %s\n", problem);
        abort();
    }
    tflite_free(&m);
    return 0;
}
