/* A parsed architecture spec: the layers with every size known and
 * checked. spec_reader.c fills it from text; spec_build.c turns it into a
 * .tflite image with pseudo-random weights. */
#ifndef MSF_SPEC_NET_H
#define MSF_SPEC_NET_H

#include <stddef.h>
#include <stdint.h>

#define SPEC_NAME_MAX 32

typedef enum {
    SPEC_INPUT,
    SPEC_CONV,
    SPEC_DEPTHWISE,
    SPEC_AVGPOOL,
    SPEC_MAXPOOL,
    SPEC_ADD,
    SPEC_GLOBAL_POOL,
    SPEC_FC,
    SPEC_SOFTMAX,
    SPEC_ZEROPAD,
    SPEC_CONCAT,
    SPEC_MUL
} spec_kind;

/* How a global pool is written: AVERAGE_POOL_2D over the map, MEAN over H
 * and W, or TRANSPOSE to NCHW then MEAN over W and MEAN over H (or H then
 * W, the first keeping its dimension, then a RESHAPE to [1, C]). The
 * transposed forms end flat, [1, C]. */
enum { SPEC_GAP_AVGPOOL, SPEC_GAP_MEAN, SPEC_GAP_NCHW_WH, SPEC_GAP_NCHW_HW };

/* A nonlinearity TFLite cannot fuse into the layer, written as operators
 * after its linear output: HARD_SWISH; LOGISTIC; or hard-sigmoid as
 * exporters write relu6(x + 3) / 6, an ADD of a constant 3 with a fused
 * RELU6 and a MUL by a constant 1/6. */
enum { SPEC_POST_NONE, SPEC_POST_HARD_SWISH, SPEC_POST_LOGISTIC, SPEC_POST_HARD_SIGMOID };

/* An activation's shape: [1, h, w, c], or [1, c] when h is 0. */
typedef struct {
    int32_t h, w, c;
} spec_shape;

typedef struct {
    spec_kind kind;
    int line;
    int32_t kh, kw, sh, sw;   /* window and stride of convs and pools */
    int32_t padding;          /* TFL_PADDING_SAME or TFL_PADDING_VALID */
    int32_t act;              /* MSF_ACT_NONE, MSF_ACT_RELU or MSF_ACT_RELU6 */
    int32_t post_act;         /* conv, dw, fc: SPEC_POST_*, after a linear output (act none) */
    int32_t input;            /* index of the layer whose output it reads: the previous one, or in= */
    int32_t from;             /* add, concat: index of the layer whose output joins;
                                 mul: of the map the current per-channel vector scales */
    int32_t pads[4];          /* zeropad: top, bottom, left, right */
    int32_t gap_form;         /* gap: SPEC_GAP_* */
    int32_t float_io;         /* input: float32 input and output around the int8 network */
    int32_t nchw;             /* input: the graph input 1xCxHxW, a TRANSPOSE to NHWC first */
    spec_shape out;
    char name[SPEC_NAME_MAX + 1];  /* "" when the spec gives none */
} spec_layer;

/* layers[0] is the input; layer i reads layers[i].input's output (layer
 * i - 1's unless the spec says in=). */
typedef struct {
    spec_layer *layers;
    int32_t n;
} spec_net;

/* Reads spec text into net (layers malloc'ed; the caller frees them), as
 * spec_to_tflite does before writing: for tests that check what the
 * importer makes of a spec against the layers the reader derived. Returns
 * 0, or -1 with "line N: message" and net empty. */
int spec_read(const char *text, size_t len, spec_net *net, char *err, size_t err_size);

/* Returns the malloc'ed .tflite image of net (its size in *size), or NULL
 * when out of memory. */
uint8_t *spec_write_tflite(const spec_net *net, size_t *size);

/* The same image with every weight 0 and all else (biases, scales, zero
 * points) as spec_write_tflite makes it: what planning needs (shapes and
 * quantization, never weight values), without drawing a random number per
 * weight (msf space plans thousands of networks). */
uint8_t *spec_write_tflite_zero_weights(const spec_net *net, size_t *size);

/* The C library's classic LCG: x = (1103515245 * x + 12345) mod 2^31;
 * returns bits 16..30 of the new x. */
uint32_t spec_lcg_next(uint32_t *x);

#endif
