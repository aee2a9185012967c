/* Writes a .tflite whose tensor name holds terminal escape sequences and a
 * newline, and whose shape is refused, so that the refusal prints the name:
 * msf must show it escaped, not pass it to the terminal.
 * usage: msf-hostile-model OUT.tflite */
#include <stdio.h>
#include <stdlib.h>

#include "file_io.h"
#include "tflite_writer.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: msf-hostile-model OUT.tflite\n", stderr);
        return 2;
    }
    static const float scale = 0.5f;
    static const int64_t zero = 0;
    tfw_tensor t[2] = {
        {.name = "\x1b]2;owned\x07\x1b[2J\x1b[31mred\nfake: line", .type = 9, .rank = 4, .shape = {1, 0, 4, 1},
         .n_quant = 1, .scales = &scale, .zero_points = &zero},
        {.name = "out", .type = 9, .rank = 4, .shape = {1, 4, 4, 1}, .n_quant = 1, .scales = &scale,
         .zero_points = &zero},
    };
    int32_t in = 0, out = 1;
    tfw_operator op = {.opcode = 17 /* MAX_POOL_2D */, .version = 1, .n_inputs = 1, .inputs = &in,
                       .n_outputs = 1, .outputs = &out,
                       .options = {.type = 5, .stride_w = 1, .stride_h = 1, .filter_w = 1, .filter_h = 1}};
    tfw_model m = {.n_tensors = 2, .tensors = t, .n_ops = 1, .ops = &op, .n_inputs = 1, .inputs = &in,
                   .n_outputs = 1, .outputs = &out};
    size_t size;
    uint8_t *buf = tflite_write(&m, &size);
    char err[512];
    int rc = buf && write_file_atomic(argv[1], buf, size, err, sizeof err) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "msf-hostile-model: cannot write %s\n", argv[1]);
    free(buf);
    return rc;
}
