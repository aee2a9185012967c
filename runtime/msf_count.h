/* The counting pass (host builds: -DMSF_COUNT_MACS): the fused-block runner
 * runs a block as the executor would, without an arena, and tallies what it
 * would do and how far it reaches into each buffer. The planner's block
 * costs are this tally, so the bytes and MACs it plans are the ones the
 * runner uses by construction. Firmware has no counting pass. */
#ifndef MSF_COUNT_H
#define MSF_COUNT_H

#include <stdint.h>

#include "msf_plan.h"
#include "msf_runtime.h"

/* What running something costs, as the dispatcher sees it. */
typedef struct {
    uint64_t macs;        /* what the kernels would execute (op_macs.h) */
    uint64_t calls;       /* dispatcher calls (kernel calls on a window) */
    uint64_t pixels;      /* output pixels those calls compute */
    uint64_t bytes_moved; /* bytes shifted inside caches */
} msf_tally;

typedef struct {
    msf_tally total;
    /* The same by operator of the block (i: operator first_op + i), the
     * features a time model needs. */
    msf_tally op[MSF_MAX_FUSED];
    const msf_op *ops;    /* the block's first operator (how calls are filed) */
    /* Level j of the block (T_j, the output of its operator j - 1; T_0 is
     * the block input): the most rows and columns the runner holds of it
     * at once. The runner's cache j needs rows[j] x cols[j] pixels. */
    int32_t rows[MSF_MAX_FUSED + 1];
    int32_t cols[MSF_MAX_FUSED + 1];
    int32_t input_rows;   /* the most rows of T_0 one sweep row reads */
    int32_t ring_rows;    /* the most output rows waiting to be written over T_0 */
} msf_block_count;

#ifdef MSF_COUNT_MACS
/* Runs a plan as msf_run_plan_streams does (rows: NULL) or msf_run_plan_rows
 * (rows given, input NULL), adding the MACs and kernel calls it makes to
 * *ran: what a plan executes, measured on the host. */
msf_status msf_run_plan_tallied(const msf_model *m, const msf_plan *plan, uint8_t *arena, uint32_t arena_bytes,
                                const void *input, const msf_row_source *rows, void *output, msf_tally *ran);

/* Counts operators [first_op, last_op] of m run as one block of a swept
 * scheme (msf_scheme: a fused block, or one spatial operator reading its
 * input a row at a time when input_rows is set), tile_rows rows of the
 * swept map a step (msf_block.tile_rows); with ring, its output written over
 * its input through a ring of rows (msf_block.ring). */
void msf_count_block(const msf_model *m, int32_t first_op, int32_t last_op, int32_t scheme, int32_t tile_rows,
                     int input_rows, int ring, msf_block_count *c);
#endif

#endif
