/* The instructions a block executes on a target, predicted by a linear
 * model: each operator of the block costs, by its kind, a coefficient per
 * feature of what the runner makes it do (MACs, input and output elements,
 * kernel calls, bytes shifted in caches: the counting pass's tally, or the
 * whole operator's figures), and each block a constant by scheme (the
 * executor's overhead). The coefficients are fitted by least squares to instructions
 * measured under QEMU (targets/calibrate.sh writes plan/time_table.c). */
#ifndef MSF_TIME_MODEL_H
#define MSF_TIME_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "block_cost.h"
#include "graph.h"

/* The targets the table has figures for (board_targets' names). */
typedef enum { TIME_M4 = 0, TIME_M7, TIME_RV32, TIME_TARGET_COUNT } time_target;

/* Operator kinds with their own coefficients: where the kernels take
 * different paths. A conv reads its kernel rows a word at a time when a
 * row (kernel width x input channels) is whole words, else a byte at a
 * time; depthwise runs four channels together for kernels of at most 9 taps
 * and a depth multiplier of 1, and the other channels one by one (an
 * operator's figures are split between the two by channels). */
typedef enum {
    TIME_CONV_1X1 = 0,
    TIME_CONV,
    TIME_CONV_BYTES,
    TIME_DEPTHWISE,
    TIME_DEPTHWISE_SLOW,
    TIME_FULLY_CONNECTED,
    TIME_POOL,
    TIME_ADD,
    TIME_OTHER,
    TIME_KIND_COUNT
} time_kind;

/* The features of an operator: its MACs, input elements it takes (what a
 * pool, an add or a sink consuming pixels works on), output elements,
 * kernel calls, calls x output channels (a call sets up each channel's bias
 * and requantization) and bytes shifted in caches. */
enum { TIME_MACS = 0, TIME_INPUTS, TIME_OUTPUTS, TIME_CALLS, TIME_CALL_CHANNELS, TIME_BYTES_MOVED, TIME_OP_FEATURES };

/* A block's features: kind-major operator features, then one column per
 * scheme that is 1 for the block's scheme. */
#define TIME_FEATURES (TIME_KIND_COUNT * TIME_OP_FEATURES + MSF_SCHEME_COUNT)

/* The fitted coefficients (instructions per unit of each feature), by
 * target: plan/time_table.c, written by targets/calibrate.sh. */
extern const double time_table[TIME_TARGET_COUNT][TIME_FEATURES];

/* "m4", "m7", "rv32"; the target of a name, or -1. */
const char *time_target_name(time_target t);
int time_target_named(const char *name);

/* The name of feature i ("conv1x1.macs", ..., "scheme.whole") into out:
 * the table's comments. */
void time_feature_name(int32_t i, char *out, size_t size);

/* The features of operators [first_op, last_op] of g run as one block by
 * a scheme, tile rows a step, over its input or not (block_cost_exact's
 * arguments), input_rows set when the block reads the input a row at a
 * time; and the same of a block's cost. */
void time_features(const msf_graph *g, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile, int over_input,
                   int input_rows, double f[TIME_FEATURES]);
void time_block_features(const msf_graph *g, const block_cost *c, double f[TIME_FEATURES]);

/* The instructions the features predict on t: at least 1 (a block runs
 * something, and the solvers' sums stay meaningful). */
uint64_t time_predict(time_target t, const double f[TIME_FEATURES]);

/* time_predict of a block's features. */
uint64_t time_block(time_target t, const msf_graph *g, const block_cost *c);

/* The sum of time_block over blocks[0..n). */
uint64_t time_blocks(time_target t, const msf_graph *g, const block_cost *blocks, int32_t n);

/* The instructions of layer-by-layer execution with that streaming
 * (STREAM_* flags): every operator alone, by its default scheme. */
uint64_t time_layers(time_target t, const msf_graph *g, int streamed);

#endif
