/* From a chosen path of blocks to the schedule tables the runtime runs
 * (msf_plan.h): every block's nodes, every buffer (whole tensors, block
 * caches and rows, sums, input rows) placed in one arena, and the planned
 * peak RAM and MACs. */
#ifndef MSF_PLAN_BUILD_H
#define MSF_PLAN_BUILD_H

#include <stdint.h>

#include "block_cost.h"
#include "msf_plan.h"

typedef struct {
    msf_plan plan;            /* points at the tables below */
    msf_block *blocks;
    msf_node *nodes;
    msf_buffer *buffers;
    int32_t *tensor_buffers;  /* every tensor's buffer, or -1 */
    block_cost *costs;        /* the blocks' own figures, in order */
    uint64_t macs;            /* what the kernels will count */
    uint64_t largest_step;    /* most bytes alive at one step: the search's figure */
} built_plan;

/* Lays out blocks[0..n) (consecutive, covering every operator) and records
 * where every buffer goes, the tensors' places among them, in the plan. streamed: STREAM_* flags
 * (arena_layout.h). Returns 0 (LAYOUT_OK), or the layout's failure:
 * LAYOUT_NO_MEMORY (-1), LAYOUT_TOO_LARGE (an arena over 4 GiB) or
 * LAYOUT_TOO_BUSY (too many buffers alive together). */
int plan_build(msf_graph *g, const block_cost *blocks, int32_t n, int streamed, built_plan *out);

/* The layer-by-layer plan (every block one operator); returns as
 * plan_build. */
int plan_build_layers(msf_graph *g, int streamed, built_plan *out);

void built_plan_free(built_plan *p);

#endif
