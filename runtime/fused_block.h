/* Internal to the runtime: what the executor and the fused-block runner
 * share. */
#ifndef MSF_FUSED_BLOCK_H
#define MSF_FUSED_BLOCK_H

#include "msf_plan.h"

typedef struct {
    const msf_model *m;
    uint8_t *arena;
    int32_t streamed_tensor; /* -1: none */
    const void *streamed;
    int32_t streamed_out_tensor; /* -1: none */
    void *streamed_out;
    const msf_row_source *rows;  /* MSF_INPUT_ROWS: streamed_tensor comes from here */
} exec_ctx;

/* A tensor's bytes: constant data, a streamed input or output, or its arena
 * place. */
void *exec_tensor_data(const exec_ctx *x, int32_t tensor);

/* A fused block, or (input rows) the one-operator block reading the input
 * when it can take it a row at a time. */
void msf_run_fused_block(const exec_ctx *x, const msf_plan *plan, const msf_block *b);

/* Copies rows [lo, hi] of the graph input into buf. */
void exec_fetch_rows(const exec_ctx *x, int8_t *buf, int32_t lo, int32_t hi);

#endif
