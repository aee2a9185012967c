/* The line-buffer runner (MSF_SCHEME_LINEBUF, DeFiNES's "fully cached"): a
 * fused block whose intermediates T_1 .. T_last each keep the whole rows,
 * across the full width, that the rows of the next level still need. The
 * swept map is produced a row at a time; for each of its rows, level 1, 2,
 * ... computes only the rows it does not hold yet, so every element of every
 * level is computed once and the block's MACs are its operators' MACs. A
 * level's rows stay contiguous: the rows no longer needed are dropped by
 * moving the rest to the front of its buffer. */
#include "exec.h"

typedef struct {
    uint32_t offset;     /* arena offset of the rows buffer */
    int32_t lo, next;    /* rows [lo, next) are held */
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

/* What level j holds now (whole rows): measured in counting mode, checked
 * in a run. */
static void note_extent(line_run *r, int32_t j)
{
    exec_level_holds(&r->k, j, r->level[j].next - r->level[j].lo, exec_level_shape(&r->k, j).w);
}

/* Level j keeps rows [lo, ...): the rows before lo go, the rest move to the
 * front of its buffer. */
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
              (uint32_t)((held - d) * l->row_stride));
    l->lo = lo;
}

/* Rows [lo, hi] of T_j, computed where not held yet (hi < lo: none). */
static void ensure_rows(line_run *r, int32_t j, int32_t lo, int32_t hi)
{
    line_rows *l = &r->level[j];
    drop_rows_before(r, j, lo);
    if (l->next < lo)
        l->lo = l->next = lo;
    if (hi >= l->next) {
        exec_rect out = {{-1, l->offset + (uint32_t)((l->next - l->lo) * l->row_stride)}, l->next, 0,
                         hi - l->next + 1, exec_level_shape(&r->k, j).w, l->row_stride};
        compute(r, j - 1, out);
        l->next = hi + 1;
    }
    note_extent(r, j);
}

/* Row y of the swept map T_{last+1}: the levels below bring in the rows it
 * needs, lowest first (each level's rows need only rows the level below
 * already holds), then the row is computed into the block output or, for a
 * consumer, into a one-row buffer whose pixels it takes. */
static void sweep_row(line_run *r, const exec_sink *sink, int32_t out_tensor, int32_t y)
{
    int32_t lo[MSF_MAX_FUSED + 1], hi[MSF_MAX_FUSED + 1];
    exec_block_rows(&r->k, y, lo, hi);
    for (int32_t j = 1; j <= r->k.last; j++)
        ensure_rows(r, j, lo[j], hi[j]);
    msf_hwc os = exec_level_shape(&r->k, r->k.last + 1);
    exec_ref dst = sink->kind == MSF_SINK_TENSOR ? (exec_ref){out_tensor, (uint32_t)(y * os.w * os.c)}
                                                 : (exec_ref){-1, r->level[r->k.last + 1].offset};
    exec_rect out = {dst, y, 0, 1, os.w, os.w * os.c};
    compute(r, r->k.last, out);
    if (sink->kind == MSF_SINK_TENSOR)
        return;
    r->level[r->k.last + 1].lo = y;
    r->level[r->k.last + 1].next = y + 1;
    note_extent(r, r->k.last + 1);
    for (int32_t px = 0; px < os.w; px++) {
        exec_ref pixel = {-1, dst.offset + (uint32_t)(px * os.c)};
        exec_sink_pixel(r->k.x, sink, os, y, px, pixel);
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
        r->level[j] = (line_rows){c ? c->offset : 0, 0, 0, shape.w * shape.c};
    }
    return s != MSF_OK ? s : r->k.fault;
}

static void sweep(line_run *r, const exec_sink *sink, int32_t out_tensor)
{
    for (int32_t y = 0; y < exec_level_shape(&r->k, r->k.last + 1).h; y++)
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
