/* The line-buffer runner (MSF_SCHEME_LINEBUF, DeFiNES's "fully cached"): a
 * fused block whose intermediates T_1 .. T_last each keep whole rows,
 * across the full width: the rows the window of the next level's next row
 * spans. The swept map is produced a row at a time, each level computing a
 * row when the level above first needs it, so every element of every level
 * is computed at most once and the block's MACs are at most its operators'
 * (rows no window reads are never computed). A level's rows stay
 * contiguous: the rows no longer needed are dropped by moving the rest to
 * the front of its buffer. */
#include "exec.h"

typedef struct {
    uint32_t offset;     /* arena offset of the rows buffer */
    int32_t lo, next;    /* rows [lo, next) are held */
    int32_t want;        /* the last row the level above needs now */
    int32_t row_stride;  /* the full width's bytes */
} line_rows;

typedef struct {
    exec_block k;
    line_rows level[MSF_MAX_FUSED + 1]; /* level[j] holds rows of T_j, 1 <= j <= last + 1 */
} line_run;

static exec_window window_of(const line_run *r, int32_t j)
{
    if (j == 0)
        return exec_block_input(&r->k);
    exec_window w = {{-1, r->level[j].offset}, exec_op(&r->k, j - 1)->output, r->level[j].lo, 0, r->level[j].row_stride};
    return w;
}

/* Computes `out` of T_{j+1} with op_j (an ADD adds the block input). */
static void compute(const line_run *r, int32_t j, exec_rect out)
{
    exec_window in = window_of(r, j);
    exec_window_op(r->k.x, exec_op(&r->k, j), exec_level_shape(&r->k, j), &in, &r->k, exec_level_shape(&r->k, j + 1),
                   out);
}

/* Level j is about to hold `rows` whole rows: measured in counting mode,
 * checked in a run (0: the plan's buffer is too small, stop). */
static int holds(line_run *r, int32_t j, int32_t rows)
{
    return exec_level_holds(&r->k, j, rows, exec_level_shape(&r->k, j).w);
}

/* Level j keeps rows [lo, ...): the rows before lo go, the rest move to the
 * front of its buffer; a level that never held a row of those starts at lo
 * (rows no later row needs, under a stride larger than the kernel, are
 * never computed). */
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

/* The rows [a, b] of T_{j-1} that row `row` of T_j needs. */
static void rows_below(const line_run *r, int32_t j, int32_t row, int32_t *a, int32_t *b)
{
    msf_op_window w = msf_window_of(exec_op(&r->k, j - 1));
    msf_input_span(row, row, w.kh, w.sh, w.pad_top, exec_level_shape(&r->k, j - 1).h, a, b);
}

/* With the input coming a row at a time, the rows [a, b] of T_0 that the
 * rows of T_1 computed next need. */
static void fetch_input(line_run *r, int32_t j, int32_t a, int32_t b)
{
    if (j == 1)
        exec_block_fetch(&r->k, a, b);
}

/* Computes the next row of T_j (j <= last) into its level's buffer, from
 * the rows [a, b] of T_{j-1} held now. */
static void compute_next_row(line_run *r, int32_t j, int32_t a, int32_t b)
{
    line_rows *l = &r->level[j];
    fetch_input(r, j, a, b);
    if (!holds(r, j, l->next - l->lo + 1))
        return;
    exec_rect out = {{-1, l->offset + (uint32_t)((l->next - l->lo) * l->row_stride)}, l->next, 0, 1,
                     exec_level_shape(&r->k, j).w, l->row_stride};
    compute(r, j - 1, out);
    l->next++;
}

/* Makes the levels below the swept map T_top (top = last + 1) hold what
 * its row y needs; [*a, *b]: those rows of T_last. A row of T_j first needs
 * the rows of T_{j-1} under its window, and so on down, each level
 * computing its rows in order and dropping the ones no later row needs
 * before it computes more: a level holds no more rows than its consumer's
 * window spans. That recursion runs as a loop over the levels, each level's
 * target row kept in `want`, so the stack does not grow with the block's
 * length. */
static void bring_rows_below(line_run *r, int32_t y, int32_t *a, int32_t *b)
{
    int32_t top = r->k.last + 1;
    r->level[top].next = r->level[top].want = y;
    for (int32_t j = top;;) {
        line_rows *l = &r->level[j];
        if (l->next > l->want) {
            j++;
            continue;
        }
        rows_below(r, j, l->next, a, b);
        if (j > 1 && *b >= *a) {
            drop_rows_before(r, j - 1, *a);
            if (r->level[j - 1].next <= *b) {
                r->level[j - 1].want = *b;
                j--;
                continue;
            }
        }
        if (j == top || r->k.fault != MSF_OK)
            return;
        compute_next_row(r, j, *a, *b);
    }
}

/* Row y of the swept map: into the block output as one row or, for a
 * consumer, a pixel at a time into a one-pixel buffer whose pixel it takes
 * (the consumer needs no more). */
static void sweep_row(line_run *r, const exec_sink *sink, int32_t out_tensor, int32_t y)
{
    int32_t top = r->k.last + 1, a, b;
    msf_hwc os = exec_level_shape(&r->k, top);
    bring_rows_below(r, y, &a, &b);
    fetch_input(r, top, a, b);
    /* A consumer's pixel buffer holds one pixel. */
    if (r->k.fault != MSF_OK || (sink->kind != MSF_SINK_TENSOR && !exec_level_holds(&r->k, top, 1, 1)))
        return;
    if (sink->kind == MSF_SINK_TENSOR) {
        int32_t stride = os.w * exec_level_pixel_bytes(&r->k, top);
        exec_rect row = {{out_tensor, (uint32_t)(y * stride)}, y, 0, 1, os.w, stride};
        compute(r, r->k.last, row);
        return;
    }
    for (int32_t px = 0; px < os.w; px++) {
        exec_rect pixel = {{-1, r->level[top].offset}, y, px, 1, 1, os.c};
        compute(r, r->k.last, pixel);
        exec_sink_pixel(r->k.x, sink, os, y, px, pixel.at);
    }
}

/* Levels in the plan's buffers (none in counting mode: the sweep then
 * measures what they need), empty. */
static msf_status start_block(line_run *r, const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    msf_status s = exec_block_start(&r->k, x, b, sink);
    for (int32_t j = 1; s == MSF_OK && j <= r->k.last + 1 && j < r->k.n; j++) {
        const msf_buffer *c = exec_level_buffer(&r->k, j, MSF_BUF_ROWS);
        msf_hwc shape = exec_level_shape(&r->k, j);
        r->level[j] = (line_rows){c ? c->offset : 0, 0, 0, -1, shape.w * shape.c};
    }
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
