/* msf run --dump DIR: every activation tensor of one inference, for finding
 * the first layer where msf and another implementation (TFLite) differ. */
#ifndef MSF_TENSOR_DUMP_H
#define MSF_TENSOR_DUMP_H

#include <stdint.h>

#include "graph.h"

/* Runs g on input layer by layer with every activation tensor in a place
 * of its own (nothing shares arena bytes, so each is intact at the end: no
 * change to the runtime), checks the outputs equal `expected` (the bytes
 * of the run the user asked for), and writes DIR/tIDX.bin (raw bytes) and
 * DIR/index.txt (idx, type, bytes, shape, name, producer op, op type,
 * scale, zero point: the layout of the reference vectors' seed1.tensors).
 * inputs: files no output may replace. Returns an exit code, message
 * printed. */
int tensor_dump(msf_graph *g, const uint8_t *input, const uint8_t *expected, const char *dir,
                const char *const *inputs, int n_inputs);

#endif
