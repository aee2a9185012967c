/* The H-cache runner (MSF_SCHEME_HCACHE): a fused block as msf-CNN runs it,
 * or one window operator reading its input a row at a time. Operators
 * op_0 .. op_{n-1} map T_j to T_{j+1}; T_0 is the block input (whole, in the
 * arena or streamed), T_n the block output (whole), and each intermediate
 * T_1 .. T_{n-1} lives only as a cache: for the current output row, the rows
 * of T_j that row needs (msf_input_span), and a window of columns. Output
 * pixels are produced left to right; a column of T_j is computed when the
 * window of T_{j+1}'s next column first needs it, so along a row every
 * column is computed once, and the next output row recomputes its rows.
 *
 * With a ring (msf_block.ring), the block output is made over the block
 * input's first bytes (the planner lays T_n inside T_0 when it is no
 * larger): a step's output rows wait in the ring, and a row is written
 * over T_0 only once no byte of it lies on a row of T_0 that this step or
 * a later one still reads (the sweep reads T_0's rows in order). Then T_n
 * moves to its place (the end of T_0's bytes, where the layout keeps the
 * top of the arena free; or where it was made). */
#include "exec.h"
#include "op_macs.h"

typedef struct {
    uint32_t offset;      /* arena offset of the cache */
    int32_t lo, hi;       /* rows held for the current output row */
    int32_t col0, ncols;  /* columns held: [col0, col0 + ncols) */
    int32_t row_stride;
    int32_t next, end;    /* columns still to compute for the pending request */
    int32_t ready;        /* the window under column `next` is in the cache below */
} col_cache;

/* The ring of output rows waiting to be written over T_0: rows [first, y0)
 * of T_n at slots 0.. . Byte positions in the arena: T_n is made at out_at
 * (T_0's start) and moved to place (counting mode: all at 0). */
typedef struct {
    int on;
    uint32_t ring;
    int32_t cap, first;
    int64_t out_at, in_at, place;
    int32_t out_row, in_row, in_h;
} out_ring;

typedef struct {
    exec_block k;
    col_cache cache[MSF_MAX_FUSED + 1]; /* cache[j] holds T_j, 1 <= j <= last + 1 */
    int32_t tile;                       /* rows of the swept map a step makes */
    int32_t y0, y1;                     /* the step's rows */
    int32_t in_lo;                      /* the first row of T_0 the step reads */
    out_ring ring;
} block_run;

/* T_j as an operand's window. */
static exec_window window_of_t(const void *run, int32_t j)
{
    const block_run *r = run;
    if (j == 0)
        return exec_block_input(&r->k);
    const col_cache *c = &r->cache[j];
    exec_window w = {{-1, c->offset}, exec_op(&r->k, j - 1)->output, c->lo, c->col0, c->row_stride};
    return w;
}

/* Computes the rectangle `out` of T_{j+1} with op_j. */
static void compute_rect(const block_run *r, int32_t j, exec_rect out)
{
    exec_node_op(&r->k, j, window_of_t, r, out);
}

/* Level j is about to hold its rows and cols columns: measured in counting
 * mode, checked in a run (0: the plan's buffer is too small, stop). */
static int holds(block_run *r, int32_t j, int32_t cols)
{
    const col_cache *cc = &r->cache[j];
    return exec_level_holds(&r->k, j, cc->hi - cc->lo + 1, cols);
}

/* Drops the cached columns left of `a` by moving the rest to the front. */
static void drop_columns_before(const block_run *r, const msf_op *op, col_cache *cc, int32_t a, int32_t channels)
{
    if (cc->ncols == 0)
        return; /* nothing held: col0 means nothing yet */
    int32_t d = a - cc->col0;
    if (d <= 0)
        return;
    if (d >= cc->ncols) {
        cc->ncols = 0;
        return;
    }
    int32_t keep = (cc->ncols - d) * channels, rows = cc->hi - cc->lo + 1;
    exec_move(r->k.x, op, cc->offset, cc->offset + (uint32_t)(d * channels), (uint32_t)keep, rows,
              (uint32_t)cc->row_stride);
    cc->col0 = a;
    cc->ncols -= d;
}

/* Asks cache j for columns [a, b] of T_j: the ones it lacks become pending. */
static void request_columns(block_run *r, int32_t j, int32_t a, int32_t b)
{
    col_cache *cc = &r->cache[j];
    drop_columns_before(r, exec_op(&r->k, j - 1), cc, a, exec_level_shape(&r->k, j).c);
    cc->next = cc->ncols == 0 || cc->col0 + cc->ncols < a ? a : cc->col0 + cc->ncols;
    cc->end = b;
    cc->ready = 0;
}

/* Makes cache top hold columns [a, b] of T_top for the current rows. A new
 * column of T_j first needs the window of T_{j-1} columns under it, and so
 * on down; that recursion runs as a loop over the levels, each level's
 * pending columns kept in its cache, so the stack does not grow with the
 * block's length (it matters on a 16 KiB part). */
static void ensure_columns(block_run *r, int32_t top, int32_t a, int32_t b)
{
    request_columns(r, top, a, b);
    for (int32_t j = top;;) {
        col_cache *cc = &r->cache[j];
        if (cc->next > cc->end) {
            if (j == top)
                return;
            r->cache[++j].ready = 1;
            continue;
        }
        if (j > 1 && !cc->ready) {
            int32_t lo, hi;
            msf_op_window w = msf_window_of(exec_op(&r->k, j - 1));
            msf_input_span(cc->next, cc->next, w.kw, w.sw, w.pad_left, exec_level_shape(&r->k, j - 1).w, &lo, &hi);
            request_columns(r, --j, lo, hi);
            continue;
        }
        if (cc->ncols == 0)
            cc->col0 = cc->next;
        if (!holds(r, j, cc->ncols + 1))
            return;
        exec_rect out = {{-1, cc->offset + (uint32_t)(cc->ncols * exec_level_shape(&r->k, j).c)}, cc->lo, cc->next,
                         cc->hi - cc->lo + 1, 1, cc->row_stride};
        compute_rect(r, j - 1, out);
        cc->ncols++;
        cc->next++;
        cc->ready = 0;
    }
}

/* Rows of every intermediate tensor that the step's rows of the sweep
 * need, and, with the input coming a row at a time, the input rows they
 * need, fetched. */
static void set_rows(block_run *r)
{
    int32_t lo[MSF_MAX_FUSED + 1], hi[MSF_MAX_FUSED + 1];
    exec_block_rows(&r->k, r->y0, r->y1, lo, hi);
    /* T_0's readers: the first operator, and a join taking it pixel by
     * pixel (the rows of its output). */
    r->in_lo = lo[0];
    for (int32_t j = 1; j <= r->k.last; j++)
        for (int32_t i = 0; i < exec_map_operands(r->k.x->m, exec_op(&r->k, j)); i++)
            if (exec_operand_level(&r->k, j, i) == 0 && lo[j + 1] < r->in_lo)
                r->in_lo = lo[j + 1];
    for (int32_t j = 1; j <= r->k.last; j++) {
        r->cache[j].lo = lo[j];
        r->cache[j].hi = hi[j];
        r->cache[j].ncols = 0;
        holds(r, j, 0);
    }
}

/* One step of the sweep: rows [y0, y1] of T_{last+1}, a column of them at
 * a time, left to right. A consumer takes the column's pixels from a cache
 * of one column. */
static void sweep_row(block_run *r, const exec_sink *sink, exec_ref out, int32_t row0)
{
    msf_hwc os = exec_level_shape(&r->k, r->k.last + 1);
    int32_t pixel = exec_level_pixel_bytes(&r->k, r->k.last + 1);
    msf_op_window w = msf_window_of(exec_op(&r->k, r->k.last));
    int32_t rows = r->y1 - r->y0 + 1;
    col_cache *top = &r->cache[r->k.last + 1];
    for (int32_t px = 0; px < os.w; px++) {
        if (r->k.last >= 1) {
            int32_t lo, hi;
            msf_input_span(px, px, w.kw, w.sw, w.pad_left, exec_level_shape(&r->k, r->k.last).w, &lo, &hi);
            ensure_columns(r, r->k.last, lo, hi);
        }
        top->lo = r->y0;
        top->hi = r->y1;
        if (r->k.fault != MSF_OK || (sink->kind != MSF_SINK_TENSOR && !holds(r, r->k.last + 1, 1)))
            return;
        exec_rect rect = {out, r->y0, px, rows, 1, os.w * pixel};
        if (sink->kind == MSF_SINK_TENSOR)
            rect.at.offset += (uint32_t)(((r->y0 - row0) * os.w + px) * pixel);
        else
            rect = (exec_rect){{-1, top->offset}, r->y0, px, rows, 1, top->row_stride};
        compute_rect(r, r->k.last, rect);
        if (sink->kind == MSF_SINK_TENSOR)
            continue;
        for (int32_t y = r->y0; y <= r->y1; y++)
            exec_sink_pixel(r->k.x, sink, os, y, px,
                            (exec_ref){-1, top->offset + (uint32_t)((y - r->y0) * top->row_stride)});
    }
}

/* The sweep's steps: tile rows each, the last one what remains. */
static int next_step(block_run *r)
{
    int32_t h = exec_level_shape(&r->k, r->k.last + 1).h;
    r->y0 = r->y1 + 1;
    r->y1 = r->y0 + r->tile - 1 < h ? r->y0 + r->tile - 1 : h - 1;
    return r->y0 < h;
}

/* Whether output row y may be written over T_0 while its rows from lo on
 * are still to be read: no byte in common. */
static int row_free(const out_ring *o, int32_t y, int32_t lo)
{
    int64_t a = o->out_at + (int64_t)y * o->out_row, b = a + o->out_row;
    return b <= o->in_at + (int64_t)lo * o->in_row || a >= o->in_at + (int64_t)o->in_h * o->in_row;
}

/* Before a step reading T_0 from row lo (the sweep's end: lo = T_0's
 * height): writes the waiting rows that are free to T_n, in order, moves
 * the rest to the ring's front, and makes room for the step's rows. 0: the
 * ring is too small (a run stops; counting mode records the most rows). */
static int ring_step(block_run *r, int32_t lo)
{
    out_ring *o = &r->ring;
    const msf_op *op = exec_op(&r->k, r->k.last);
    uint32_t row = (uint32_t)o->out_row, tensor = (uint32_t)o->out_at;
    /* T_n's rows are written in order, each from its slot. */
    int32_t y = o->first;
    for (; y < r->y0 && row_free(o, y, lo); y++)
        exec_move(r->k.x, op, tensor + (uint32_t)y * row, o->ring + (uint32_t)(y - o->first) * row, row, 1, 0);
    if (y > o->first && y < r->y0)
        exec_move(r->k.x, op, o->ring, o->ring + (uint32_t)(y - o->first) * row, (uint32_t)(r->y0 - y) * row, 1, 0);
    o->first = y;
    int32_t need = r->y1 - o->first + 1;
    if (exec_counting(r->k.x)) {
        msf_block_count *c = r->k.x->count;
        c->ring_rows = need > c->ring_rows ? need : c->ring_rows;
        return 1;
    }
    if (need > o->cap)
        r->k.fault = MSF_ERR_BAD_PLAN;
    return r->k.fault == MSF_OK;
}

/* T_n, made, to its place. */
static void ring_place(block_run *r)
{
    const out_ring *o = &r->ring;
    int32_t h = exec_level_shape(&r->k, r->k.last + 1).h;
    exec_move(r->k.x, exec_op(&r->k, r->k.last), (uint32_t)o->place, (uint32_t)o->out_at, (uint32_t)(o->out_row * h), 1,
              0);
}

static void sweep(block_run *r, const exec_sink *sink, exec_ref out)
{
    exec_ref ring = {-1, r->ring.ring};
    for (r->y1 = -1; r->k.fault == MSF_OK && next_step(r);) {
        set_rows(r);
        if (r->ring.on && !ring_step(r, r->in_lo))
            return;
        sweep_row(r, sink, r->ring.on ? ring : out, r->ring.on ? r->ring.first : 0);
    }
    if (r->ring.on && r->k.fault == MSF_OK && ring_step(r, r->ring.in_h))
        ring_place(r);
}

/* The ring, when the block has one: T_n and T_0 int8 maps in the arena,
 * T_n no larger (counting mode: at one place), the ring rows of T_n.
 * Without a ring, T_n must not share a byte with T_0. */
static msf_status start_ring(block_run *r, const msf_block *b, const exec_sink *sink)
{
    const exec_ctx *x = r->k.x;
    out_ring *o = &r->ring;
    *o = (out_ring){0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /* T_0's rows must be the map's rows: not an NCHW input's. */
    if (sink->kind != MSF_SINK_TENSOR || r->k.in_rows || r->k.view_quantize || msf_nchw_view(x->m, exec_op(&r->k, 0)))
        return b->ring < 0 ? MSF_OK : MSF_ERR_BAD_PLAN;
    const msf_tensor *in = &x->m->tensors[exec_op(&r->k, 0)->inputs[0]];
    const msf_tensor *out = &x->m->tensors[exec_op(&r->k, r->k.last)->output];
    msf_hwc os = exec_level_shape(&r->k, r->k.last + 1);
    int64_t in_at = 0, out_at = 0;
    if (!exec_counting(x)) {
        in_at = exec_arena_place(x, exec_op(&r->k, 0)->inputs[0]);
        out_at = exec_arena_place(x, exec_op(&r->k, r->k.last)->output);
        int apart = in_at < 0 || out_at < 0 || out_at + out->bytes <= in_at || in_at + in->bytes <= out_at;
        if (b->ring < 0)
            return apart ? MSF_OK : MSF_ERR_BAD_PLAN;
        const msf_buffer *ring = exec_sound_buffer(x->plan, b->ring, MSF_BUF_ROWS);
        if (!ring || in_at < 0 || out_at < 0 || out->bytes > in->bytes || ring->cols != os.w || ring->channels != os.c ||
            ring->elem_bytes != 1)
            return MSF_ERR_BAD_PLAN;
        o->ring = ring->offset;
        o->cap = ring->rows;
    } else if (b->ring < 0) {
        return MSF_OK;
    }
    if (in->dtype != MSF_INT8 || out->dtype != MSF_INT8 || in->rank != 4)
        return MSF_ERR_BAD_PLAN;
    o->on = 1;
    o->in_at = in_at;
    o->out_at = in_at;
    o->place = out_at;
    o->out_row = os.w * os.c;
    o->in_row = (int32_t)(in->bytes / (uint32_t)in->dims[1]);
    o->in_h = in->dims[1];
    return MSF_OK;
}

/* The block's state before its sweep: caches in the plan's buffers (none
 * in counting mode: the sweep then measures what they need). The caches
 * follow one chain of levels: a block with branches is not this runner's. */
static msf_status start_block(block_run *r, const exec_ctx *x, const msf_block *b, exec_sink *sink)
{
    msf_status s = exec_block_start(&r->k, x, b, sink);
    if (s == MSF_OK && !r->k.chain)
        return MSF_ERR_BAD_PLAN;
    r->tile = b->tile_rows;
    for (int32_t j = 1; s == MSF_OK && j <= r->k.last + 1 && j < r->k.n; j++) {
        const msf_buffer *c = exec_level_buffer(&r->k, j, MSF_BUF_COLUMNS);
        r->cache[j] = (col_cache){c ? c->offset : 0, 0, -1, 0, 0, c ? c->cols * c->channels : 0, 0, -1, 0};
    }
    if (s == MSF_OK)
        s = start_ring(r, b, sink);
    return s != MSF_OK ? s : r->k.fault;
}

msf_status exec_run_hcache(exec_ctx *x, const msf_block *b)
{
    block_run r;
    exec_sink sink;
    msf_status s = start_block(&r, x, b, &sink);
    if (s != MSF_OK)
        return s;
    int32_t out_tensor = exec_op(&r.k, r.k.n - 1)->output;
    sweep(&r, &sink, (exec_ref){out_tensor, 0});
    if (r.k.fault != MSF_OK)
        return r.k.fault;
    exec_sink_finish(x, &sink, exec_level_shape(&r.k, r.k.last + 1), out_tensor);
    return MSF_OK;
}

#ifdef MSF_COUNT_MACS
/* Counting mode, fast: every sweep row runs the same column steps (the
 * caches restart each row); only how many rows each operator writes changes
 * with the row, and a step's MACs, pixels and moved bytes are proportional
 * to it. So a row is run once for each operator's figures per row written,
 * and the rows after it add them up, unless one writes rows of an operator
 * not seen writing any yet: that row runs too. */
typedef struct {
    msf_tally unit[MSF_MAX_FUSED]; /* operator i: macs, pixels, bytes moved per row it writes */
    uint64_t calls[MSF_MAX_FUSED]; /* operator i: calls a sweep row */
    int known[MSF_MAX_FUSED];
    int ran;
} row_memo;

/* Rows operator i writes in the current step: its cache's rows, or the
 * step's rows for the operator the sweep produces and the consumer after it. */
static uint64_t rows_written(const block_run *r, int32_t i)
{
    return i < r->k.last ? (uint64_t)(r->cache[i + 1].hi - r->cache[i + 1].lo + 1) : (uint64_t)(r->y1 - r->y0 + 1);
}

static int row_known(const block_run *r, const row_memo *memo)
{
    for (int32_t i = 0; i < r->k.n; i++)
        if (rows_written(r, i) > 0 && !memo->known[i])
            return 0;
    return memo->ran;
}

static void count_row(block_run *r, const exec_sink *sink, exec_ref out, row_memo *memo)
{
    msf_block_count *c = r->k.x->count;
    if (row_known(r, memo)) {
        for (int32_t i = 0; i < r->k.n; i++) {
            uint64_t k = rows_written(r, i);
            msf_tally t = {memo->unit[i].macs * k, memo->calls[i], memo->unit[i].pixels * k,
                           memo->unit[i].bytes_moved * k};
            exec_tally(r->k.x, exec_op(&r->k, i), t);
        }
        return;
    }
    /* The tallies of operator i of the sweep (the block's first operator
     * may have run as the rows were fetched). */
    const msf_tally *op = &c->op[exec_op(&r->k, 0) - c->ops];
    msf_tally before[MSF_MAX_FUSED];
    for (int32_t i = 0; i < r->k.n; i++)
        before[i] = op[i];
    sweep_row(r, sink, out, 0);
    for (int32_t i = 0; i < r->k.n; i++) {
        uint64_t k = rows_written(r, i);
        memo->calls[i] = op[i].calls - before[i].calls;
        if (k == 0)
            continue;
        memo->unit[i] = (msf_tally){(op[i].macs - before[i].macs) / k, 0, (op[i].pixels - before[i].pixels) / k,
                                    (op[i].bytes_moved - before[i].bytes_moved) / k};
        memo->known[i] = 1;
    }
    memo->ran = 1;
}

static void count_sweep(block_run *r, const exec_sink *sink, exec_ref out)
{
    row_memo memo = {0};
    for (r->y1 = -1; next_step(r);) {
        set_rows(r);
        if (r->ring.on)
            ring_step(r, r->in_lo);
        count_row(r, sink, out, &memo);
    }
    if (r->ring.on && ring_step(r, r->ring.in_h))
        ring_place(r);
}

void exec_count_hcache(exec_ctx *x, const msf_block *b)
{
    block_run r;
    exec_sink sink;
    if (start_block(&r, x, b, &sink) == MSF_OK)
        count_sweep(&r, &sink, (exec_ref){exec_op(&r.k, r.k.n - 1)->output, 0});
}
#endif
