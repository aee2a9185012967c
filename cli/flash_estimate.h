/* The flash a model takes as msf gen writes it (NAME.c) and the runtime
 * links it: constants, derived quantization parameters, the model and plan
 * tables, and code. The sizes of the runtime's structs are those of the
 * 32-bit targets, not the host's. */
#ifndef MSF_FLASH_ESTIMATE_H
#define MSF_FLASH_ESTIMATE_H

#include <stdint.h>

#include "board_targets.h"
#include "graph.h"
#include "msf_plan.h"

typedef struct {
    uint64_t constants; /* weights, biases and every other constant tensor */
    uint64_t params;    /* per-channel multipliers and shifts */
    uint64_t tables;    /* tensors, operators, blocks, caches, offsets */
    uint64_t code;      /* the target's code (board_targets.h) */
    uint64_t total;
} flash_estimate;

/* The estimate for g run under plan (NULL: layer by layer) on target. */
flash_estimate flash_estimate_of(const msf_graph *g, const msf_plan *plan, const board_target *target);

#endif
