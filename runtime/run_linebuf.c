/* The line-buffer runner (MSF_SCHEME_LINEBUF, DeFiNES's "fully cached"): a
 * fused block whose intermediates T_1 .. T_last each keep whole rows,
 * across the full width: the rows its readers' next windows span. The
 * block may branch: a level read by several nodes (a fork, a residual's
 * skip) keeps what the lowest of their windows needs, and a join (ADD,
 * CONCATENATION) reads two levels. The swept map is produced a row at a time, each level computing
 * a row when a reader first needs it, so every element of every level is
 * computed at most once and the block's MACs are at most its operators'
 * (rows no window reads are never computed). A level's rows stay
 * contiguous: the rows no reader needs any more are dropped by moving the
 * rest to the front of its buffer. */
#include "exec.h"

typedef struct {
    uint32_t offset;     /* arena offset of the rows buffer */
    int32_t lo, next;    /* rows [lo, next) are held */
    int32_t want;        /* the last row a reader needs now */
    int32_t row_stride;  /* the full width's bytes */
    uint32_t readers;    /* bit j: op_j reads this level */
} line_rows;

typedef struct {
    exec_block k;
    line_rows level[MSF_MAX_FUSED + 1]; /* level[j] holds rows of T_j, 1 <= j <= last + 1 */
} line_run;

static exec_window window_of(const void *run, int32_t j)
{
    const line_run *r = run;
    if (j == 0)
        return exec_block_input(&r->k);
    exec_window w = {{-1, r->level[j].offset}, exec_op(&r->k, j - 1)->output, r->level[j].lo, 0, r->level[j].row_stride};
    return w;
}

/* Level j is about to hold `rows` whole rows: measured in counting mode,
 * checked in a run (0: the plan's buffer is too small, stop). */
static int holds(line_run *r, int32_t j, int32_t rows)
{
    return exec_level_holds(&r->k, j, rows, exec_level_shape(&r->k, j).w);
}

/* The rows [a, b] of op_j's operand at level p that row `row` of T_{j+1}
 * needs (a join's window is the pixel itself). */
static void operand_rows(const line_run *r, int32_t j, int32_t row, int32_t p, int32_t *a, int32_t *b)
{
    msf_op_window w = msf_window_of(exec_op(&r->k, j));
    msf_input_span(row, row, w.kh, w.sh, w.pad_top, exec_level_shape(&r->k, p).h, a, b);
}

/* The first row of level p any reader still needs: the lowest row the
 * window of each reader's next row spans (past all of them when no reader
 * needs more, so rows nobody reads are never computed). */
static int32_t first_row_needed(const line_run *r, int32_t p)
{
    int32_t keep = INT32_MAX;
    for (int32_t j = 0; j <= r->k.last; j++) {
        int32_t row = r->level[j + 1].next, a, b;
        if (!(r->level[p].readers >> j & 1u) || row >= exec_level_shape(&r->k, j + 1).h)
            continue;
        operand_rows(r, j, row, p, &a, &b);
        keep = a < keep ? a : keep;
    }
    return keep == INT32_MAX ? r->level[p].next : keep;
}

/* Level j keeps rows [lo, ...): the rows before lo go, the rest move to the
 * front of its buffer; a level that never held a row of those starts at lo. */
static void drop_rows_before(line_run *r, int32_t j, int32_t lo)
{
    line_rows *l = &r->level[j];
    int32_t d = lo - l->lo, held = l->next - l->lo;
    if (d <= 0)
        return;
    if (d >= held) {
        l->lo = l->next = lo;
        return;
    }
    exec_move(r->k.x, exec_op(&r->k, j - 1), l->offset, l->offset + (uint32_t)(d * l->row_stride),
              (uint32_t)((held - d) * l->row_stride), 1, 0);
    l->lo = lo;
}

/* The operand level of op_{j-1} that lacks rows its row `row` needs (rows
 * no reader needs dropped first), asked for them; 0: every operand holds
 * them (T_0 always does: whole, or fetched when read). A join asks first
 * for the operand made later in the block: as exporters order a residual
 * stage, that is the short branch (the projection), whose rows then
 * release the fork's rows before the long branch reaches further down it. */
static int32_t operand_lacking(line_run *r, int32_t j, int32_t row)
{
    int32_t l0 = exec_operand_level(&r->k, j - 1, 0);
    int32_t l1 = exec_map_operands(r->k.x->m, exec_op(&r->k, j - 1)) == 2 ? exec_operand_level(&r->k, j - 1, 1) : 0;
    int32_t order[2] = {l0 > l1 ? l0 : l1, l0 > l1 ? l1 : l0};
    for (int32_t i = 0; i < 2; i++) {
        int32_t p = order[i], a, b;
        if (p == 0)
            continue;
        operand_rows(r, j - 1, row, p, &a, &b);
        if (b < a)
            continue;
        drop_rows_before(r, p, first_row_needed(r, p));
        if (r->level[p].next <= b) {
            r->level[p].want = b;
            return p;
        }
    }
    return 0;
}

/* With the input coming a row at a time, the rows of T_0 that row `row` of
 * T_j needs, fetched (only op_0 reads T_0 then). */
static void fetch_input(line_run *r, int32_t j, int32_t row)
{
    int32_t a, b;
    if (exec_operand_level(&r->k, j - 1, 0) != 0)
        return;
    operand_rows(r, j - 1, row, 0, &a, &b);
    exec_block_fetch(&r->k, a, b);
}

/* Computes the next row of T_j (j <= last) into its level's buffer from
 * its operands' rows, held now. */
static void compute_next_row(line_run *r, int32_t j)
{
    line_rows *l = &r->level[j];
    fetch_input(r, j, l->next);
    if (!holds(r, j, l->next - l->lo + 1))
        return;
    exec_rect out = {{-1, l->offset + (uint32_t)((l->next - l->lo) * l->row_stride)}, l->next, 0, 1,
                     exec_level_shape(&r->k, j).w, l->row_stride};
    exec_node_op(&r->k, j - 1, window_of, r, out);
    l->next++;
}

/* Makes the levels below the swept map T_top (top = last + 1) hold what
 * its row y needs. A row of T_j first needs its operands' rows under its
 * window, and so on down, each level computing its rows in order and
 * dropping the ones no reader needs before it computes more. That
 * recursion runs on a stack of levels, each one's target row kept in
 * `want`; a level's operands are earlier levels, so the stack holds each
 * level once at most and never more than the block's levels. */
static void bring_rows_below(line_run *r, int32_t y)
{
    int32_t top = r->k.last + 1, stack[MSF_MAX_FUSED + 1], depth = 0;
    r->level[top].next = r->level[top].want = y;
    stack[depth++] = top;
    while (depth > 0 && r->k.fault == MSF_OK) {
        int32_t j = stack[depth - 1], lacking;
        if (j != top && r->level[j].next > r->level[j].want) {
            depth--;
            continue;
        }
        lacking = operand_lacking(r, j, r->level[j].next);
        if (lacking > 0)
            stack[depth++] = lacking;
        else if (j == top)
            return;
        else
            compute_next_row(r, j);
    }
}

/* Row y of the swept map: into the block output as one row or, for a
 * consumer, a pixel at a time into a one-pixel buffer whose pixel it takes
 * (the consumer needs no more). */
static void sweep_row(line_run *r, const exec_sink *sink, int32_t out_tensor, int32_t y)
{
    int32_t top = r->k.last + 1;
    msf_hwc os = exec_level_shape(&r->k, top);
    bring_rows_below(r, y);
    fetch_input(r, top, y);
    /* A consumer's pixel buffer holds one pixel. */
    if (r->k.fault != MSF_OK || (sink->kind != MSF_SINK_TENSOR && !exec_level_holds(&r->k, top, 1, 1)))
        return;
    if (sink->kind == MSF_SINK_TENSOR) {
        int32_t stride = os.w * exec_level_pixel_bytes(&r->k, top);
        exec_rect row = {{out_tensor, (uint32_t)(y * stride)}, y, 0, 1, os.w, stride};
        exec_node_op(&r->k, r->k.last, window_of, r, row);
        return;
    }
    for (int32_t px = 0; px < os.w; px++) {
        exec_rect pixel = {{-1, r->level[top].offset}, y, px, 1, 1, os.c};
        exec_node_op(&r->k, r->k.last, window_of, r, pixel);
        exec_sink_pixel(r->k.x, sink, os, y, px, pixel.at);
    }
}

/* Levels in the plan's buffers (none in counting mode: the sweep then
 * measures what they need), empty, each knowing its readers. */
static msf_status start_block(line_run *r, const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    msf_status s = exec_block_start(&r->k, x, b, sink);
    for (int32_t j = 0; s == MSF_OK && j <= r->k.last + 1; j++) {
        const msf_buffer *c = j >= 1 && j < r->k.n ? exec_level_buffer(&r->k, j, MSF_BUF_ROWS) : 0;
        msf_hwc shape = exec_level_shape(&r->k, j);
        r->level[j] = (line_rows){c ? c->offset : 0, 0, 0, -1, shape.w * shape.c, 0};
    }
    for (int32_t j = 0; s == MSF_OK && j <= r->k.last; j++)
        for (int32_t i = 0; i < exec_map_operands(r->k.x->m, exec_op(&r->k, j)); i++)
            r->level[exec_operand_level(&r->k, j, i)].readers |= 1u << j;
    return s != MSF_OK ? s : r->k.fault;
}

static void sweep(line_run *r, const exec_sink *sink, int32_t out_tensor)
{
    for (int32_t y = 0; r->k.fault == MSF_OK && y < exec_level_shape(&r->k, r->k.last + 1).h; y++)
        sweep_row(r, sink, out_tensor, y);
}

msf_status exec_run_linebuf(exec_ctx *x, const msf_block *b)
{
    line_run r;
    exec_sink sink;
    msf_status s = start_block(&r, x, b, &sink);
    if (s != MSF_OK)
        return s;
    int32_t out_tensor = exec_op(&r.k, r.k.n - 1)->output;
    sweep(&r, &sink, out_tensor);
    if (r.k.fault != MSF_OK)
        return r.k.fault;
    exec_sink_finish(x, &sink, exec_level_shape(&r.k, r.k.last + 1), out_tensor);
    return MSF_OK;
}

#ifdef MSF_COUNT_MACS
void exec_count_linebuf(exec_ctx *x, const msf_block *b)
{
    line_run r;
    exec_sink sink;
    if (start_block(&r, x, b, &sink) == MSF_OK)
        sweep(&r, &sink, exec_op(&r.k, r.k.n - 1)->output);
}
#endif
