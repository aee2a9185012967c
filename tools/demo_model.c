/* The demo network as an architecture spec (spec_reader.h): a small
 * MobileNetV2-like int8 CNN, 48x48x3 image, 10 classes, with one residual
 * add. Output shapes: 24x24x16, 24x24x16, 24x24x8; an inverted residual
 * block (24x24x48, 24x24x48, 24x24x8, add); a stride-2 block (24x24x48,
 * 12x12x48, 12x12x16); 12x12x64, global pool 1x1x64, flatten 64, 10, 10. */
#include "demo_model.h"

#include <stdlib.h>

#include "spec_reader.h"

#define IN_BYTES (48 * 48 * 3)
#define INPUT_SEED 1

static const char demo_spec[] =
    "input 48x48x3\n"
    "conv k=3 s=2 c=16 act=relu6\n"
    "dw k=3 act=relu6\n"
    "pw c=8 name=block0\n"
    "pw c=48 act=relu6\n"
    "dw k=3 act=relu6\n"
    "pw c=8\n"
    "add from=block0\n"
    "pw c=48 act=relu6\n"
    "dw k=3 s=2 act=relu6\n"
    "pw c=16\n"
    "pw c=64 act=relu6\n"
    "gap\n"
    "fc c=10\n"
    "softmax\n";

uint8_t *demo_model_build(size_t *size)
{
    uint8_t *file;
    char err[256];
    if (spec_to_tflite(demo_spec, sizeof demo_spec - 1, &file, size, err, sizeof err))
        return NULL;
    return file;
}

uint8_t *demo_model_input(size_t *size)
{
    uint8_t *bytes = malloc(IN_BYTES);
    *size = bytes ? IN_BYTES : 0;
    if (bytes)
        spec_lcg_fill(bytes, IN_BYTES, INPUT_SEED);
    return bytes;
}
