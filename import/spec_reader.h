/* Architecture specs: a network as text, without weights. A spec becomes a
 * .tflite image with deterministic pseudo-random int8 weights, which then
 * goes through graph_from_tflite like any model, so a network from a paper
 * can be planned, run and measured without a trained model.
 *
 * Format: one layer per line; '#' starts a comment; blank lines are
 * ignored; words are separated by spaces or tabs. The first line is
 *     input HxWxC [io= layout= name=]
 * (io=float: float32 input and output, a QUANTIZE first and a DEQUANTIZE
 * last, as converters write float I/O; layout=nchw: the graph input is
 * 1xCxHxW and a TRANSPOSE to NHWC reads it, as PyTorch exports write it)
 * and every other line is a layer type followed by key=value pairs:
 *     conv    k= c= [s= pad= act= name=]   CONV_2D, c output channels
 *     pw      c= [s= act= name=]           CONV_2D 1x1 (pointwise)
 *     dw      k= [c= s= pad= act= name=]   DEPTHWISE_CONV_2D; c defaults to
 *                                          the input's channels, or is a
 *                                          multiple of them
 *     avgpool k= [s= pad= name=]           AVERAGE_POOL_2D
 *     maxpool k= [s= pad= name=]           MAX_POOL_2D
 *     add     from=X [act= name=]          ADD of tensor X and the current
 *                                          tensor (same shape)
 *     mul     from=X [name=]               MUL of the map X by the current
 *                                          tensor, one value per channel of X
 *                                          (1x1xC, or flat), broadcast: the end
 *                                          of a squeeze-excite block
 *     concat  from=X [name=]               CONCATENATION of X and the current
 *                                          tensor along channels (same H and
 *                                          W; both from act=relu6 layers, so
 *                                          of one quantization)
 *     gap     [as=] [name=]                AVERAGE_POOL_2D over the whole map; as=mean: MEAN
 *                                          over H and W; as=nchw_wh / nchw_hw: TRANSPOSE to
 *                                          NCHW, then MEAN over W and H (or H keeping its
 *                                          dimension, then W, then RESHAPE), ending flat
 *     fc      c= [act= name=]              FULLY_CONNECTED; after an HxWxC
 *                                          tensor a RESHAPE to [1, H*W*C]
 *                                          comes first, as exporters write it
 *     softmax [name=]                      SOFTMAX (beta 1)
 *     zeropad [t= b= l= r=] [name=]        PAD of H and W (top, bottom, left, right) with
 *                                          the zero point, as exporters put before VALID convs
 * k= and s= are one number or HxW (k=10x4). s defaults to 1, and to k for
 * the pools (as Keras and PyTorch). act= is none (default), relu or relu6,
 * fused into the layer; conv, pw, dw and fc also take hardswish (HARD_SWISH),
 * logistic (LOGISTIC) and hardsigmoid (as converters write relu6(x + 3) / 6:
 * ADD of a constant 3 with a fused RELU6, MUL by a constant 1/6), operators
 * after the layer's linear output.
 * name=X labels the layer's output for a later add/concat from=X or in=X.
 * in=X (conv, pw, dw, the pools) makes the layer read X's output instead
 * of the current tensor: a branch, such as a projection on a residual's
 * skip (pw c= s=2 in=X, then add from= the projection).
 *
 * Padding: pad=same (the default) or pad=valid, TFLite's two modes. Layer
 * lists written PyTorch style give a number: pad=0 means VALID, and
 * pad=(k-1)/2 means SAME, which keeps the same output size, ceil(in/s).
 * Other numbers are refused. The sizes agree; where SAME's total padding
 * is odd (stride 2 on an even input) TFLite puts the extra pixel at the
 * end, PyTorch on both sides, so the values near the edges differ.
 *
 * Limits, so that any text is safe to read: H, W, C and units 1..4096,
 * kernel and stride 1..11, at most 1024 layers, 64 MiB per activation,
 * 64 MiB of weights, at most 65536 inputs per output value (the int32
 * accumulator). Every error names the line.
 *
 * Weights: int8 symmetric, per output channel for conv and dw (quantized
 * dimension 0 and 3), per tensor for fc; int32 biases at s_in * s_w; all
 * drawn from one LCG with a fixed seed, so the same text gives the same
 * bytes. Activations: the input is int8 at 1/255, zero point -128 (a [0, 1]
 * image); each weight scale is set from a rough estimate of its layer's
 * input RMS so that pre-activations have a chosen spread and nothing
 * saturates; RELU6 outputs at 6/255 and -128; pools keep their input's
 * quantization (TFLite requires it); softmax and LOGISTIC outputs at 1/256
 * and -128; HARD_SWISH outputs over the range the input's range maps to;
 * hard-sigmoid's constants 3 and 1/6 at v/255 and -128 (v itself exact),
 * its ADD at 6/255 and its output at 1/255, both -128; a mul keeps its
 * map's quantization (gates lie in [0, 1]). */
#ifndef MSF_SPEC_READER_H
#define MSF_SPEC_READER_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

/* Writes the .tflite image of the spec text[0..len) into a malloc'ed
 * buffer (*tflite, *size). Returns 0, or -1 with "line N: message" (or a
 * message without a line for the whole text, or when out of memory). */
int spec_to_tflite(const char *text, size_t len, uint8_t **tflite, size_t *size, char *err,
                   size_t err_size);

/* The same for a spec file (at most 1 MiB); messages read "PATH:N: ...". */
int spec_file_to_tflite(const char *path, uint8_t **tflite, size_t *size, char *err,
                        size_t err_size);

/* Reads a spec file and builds its graph. */
int graph_load_spec(const char *path, msf_graph *g, char *err, size_t err_size);

/* n pseudo-random bytes from the C library's classic LCG started at seed
 * (the low byte of each draw); seed 1 gives the reference vectors' inputs. */
void spec_lcg_fill(uint8_t *bytes, size_t n, uint32_t seed);

#endif
