#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file_io.h"
#include "plan_file.h"

#define MAX_PLAN_FILE (16u << 20)
#define MAX_DEPTH 8

uint64_t model_hash(const msf_graph *g)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < g->file_size; i++)
        h = (h ^ g->file[i]) * 1099511628211ull;
    return h;
}

void plan_json_write(FILE *f, const msf_graph *g, const built_plan *bp, uint64_t vanilla_macs,
                     const char *baselines)
{
    const msf_plan *p = &bp->plan;
    fprintf(f, "{\"msf_plan\":1,\"model_hash\":\"%016llx\",\"streamed_input\":%s,\"input_rows\":%s,"
            "\"streamed_output\":%s,",
            (unsigned long long)model_hash(g), p->streamed_input == MSF_INPUT_POINTER ? "true" : "false",
            p->streamed_input == MSF_INPUT_ROWS ? "true" : "false", p->streamed_output ? "true" : "false");
    fprintf(f, "\"peak_ram\":%u,\"macs\":%llu,\"vanilla_macs\":%llu,\"overhead\":%.6f,\"blocks\":[",
            p->arena_bytes, (unsigned long long)bp->macs, (unsigned long long)vanilla_macs,
            vanilla_macs ? (double)bp->macs / (double)vanilla_macs : 1.0);
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s[%d,%d]", i ? "," : "", p->blocks[i].first_op, p->blocks[i].last_op);
    fprintf(f, "],\"block_ram\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)bp->costs[i].ram);
    fprintf(f, "],\"block_macs\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)bp->costs[i].macs);
    fprintf(f, "]%s%s}\n", baselines ? ",\"baselines\":" : "", baselines ? baselines : "");
}

/* A small strict JSON reader, enough for the plan document: it checks the
 * whole syntax and picks out model_hash, streamed_input, input_rows,
 * streamed_output and blocks. */
typedef struct {
    const char *s, *end;
    const char *err;
    char hash[17];
    int streamed, have_hash, have_blocks;
    int32_t *ranges; /* first, last pairs */
    int32_t n_ranges, cap;
} reader;

static void skip_ws(reader *r)
{
    while (r->s < r->end && (*r->s == ' ' || *r->s == '\n' || *r->s == '\t' || *r->s == '\r'))
        r->s++;
}

static int expect(reader *r, char c)
{
    skip_ws(r);
    if (r->s >= r->end || *r->s != c) {
        r->err = "malformed JSON";
        return -1;
    }
    r->s++;
    return 0;
}

/* A string without escapes (the plan document has none); copied into buf. */
static int string(reader *r, char *buf, size_t size)
{
    if (expect(r, '"'))
        return -1;
    size_t n = 0;
    while (r->s < r->end && *r->s != '"') {
        if (*r->s == '\\' || (unsigned char)*r->s < 0x20 || n + 1 >= size) {
            r->err = "unexpected string";
            return -1;
        }
        buf[n++] = *r->s++;
    }
    buf[n] = '\0';
    return expect(r, '"');
}

static int integer(reader *r, int64_t *v)
{
    skip_ws(r);
    const char *start = r->s;
    int neg = r->s < r->end && *r->s == '-';
    if (neg)
        r->s++;
    *v = 0;
    while (r->s < r->end && *r->s >= '0' && *r->s <= '9' && r->s - start < 18)
        *v = *v * 10 + (*r->s++ - '0');
    if (r->s == start + neg) {
        r->err = "expected a number";
        return -1;
    }
    *v = neg ? -*v : *v;
    return 0;
}

static int value(reader *r, int depth);

/* A number as JSON writes it: integer part, optional fraction and exponent. */
static int number(reader *r)
{
    int64_t ignored;
    if (integer(r, &ignored))
        return -1;
    if (r->s < r->end && *r->s == '.' && (r->s++, integer(r, &ignored)))
        return -1;
    if (r->s < r->end && (*r->s == 'e' || *r->s == 'E')) {
        r->s++;
        if (r->s < r->end && *r->s == '+')
            r->s++;
        return integer(r, &ignored);
    }
    return 0;
}

static int word(reader *r, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(r->end - r->s) < n || memcmp(r->s, w, n) != 0) {
        r->err = "malformed JSON";
        return -1;
    }
    r->s += n;
    return 0;
}

/* [a, b, ...] with each element parsed by value(). */
static int array(reader *r, int depth)
{
    if (expect(r, '['))
        return -1;
    skip_ws(r);
    if (r->s < r->end && *r->s == ']')
        return r->s++, 0;
    do {
        if (value(r, depth + 1))
            return -1;
        skip_ws(r);
    } while (r->s < r->end && *r->s == ',' && r->s++);
    return expect(r, ']');
}

static int object(reader *r, int depth, int top);

static int value(reader *r, int depth)
{
    if (depth > MAX_DEPTH) {
        r->err = "nested too deeply";
        return -1;
    }
    skip_ws(r);
    if (r->s >= r->end) {
        r->err = "truncated";
        return -1;
    }
    char buf[64];
    switch (*r->s) {
    case '{': return object(r, depth, 0);
    case '[': return array(r, depth);
    case '"': return string(r, buf, sizeof buf);
    case 't': return word(r, "true");
    case 'f': return word(r, "false");
    case 'n': return word(r, "null");
    default: return number(r);
    }
}

static int block_range(reader *r)
{
    int64_t a, b;
    if (expect(r, '[') || integer(r, &a) || expect(r, ',') || integer(r, &b) || expect(r, ']'))
        return -1;
    if (a < 0 || b < a || b > INT32_MAX) {
        r->err = "a block is not [first_layer, last_layer]";
        return -1;
    }
    if (r->n_ranges == r->cap) {
        int32_t cap = r->cap ? r->cap * 2 : 64;
        int32_t *grown = realloc(r->ranges, (size_t)cap * 2 * sizeof *grown);
        if (!grown) {
            r->err = "out of memory";
            return -1;
        }
        r->ranges = grown;
        r->cap = cap;
    }
    r->ranges[2 * r->n_ranges] = (int32_t)a;
    r->ranges[2 * r->n_ranges + 1] = (int32_t)b;
    r->n_ranges++;
    return 0;
}

static int blocks(reader *r)
{
    if (expect(r, '['))
        return -1;
    r->have_blocks = 1;
    do {
        if (block_range(r))
            return -1;
        skip_ws(r);
    } while (r->s < r->end && *r->s == ',' && r->s++);
    return expect(r, ']');
}

static int member(reader *r, int depth, int top)
{
    char key[64];
    if (string(r, key, sizeof key) || expect(r, ':'))
        return -1;
    if (top && strcmp(key, "blocks") == 0)
        return blocks(r);
    if (top && strcmp(key, "model_hash") == 0) {
        r->have_hash = 1;
        return string(r, r->hash, sizeof r->hash);
    }
    int flag = strcmp(key, "streamed_input") == 0    ? STREAM_INPUT
               : strcmp(key, "input_rows") == 0      ? STREAM_INPUT_ROWS
               : strcmp(key, "streamed_output") == 0 ? STREAM_OUTPUT
                                                     : 0;
    if (top && flag) {
        skip_ws(r);
        int on = r->s < r->end && *r->s == 't';
        r->streamed |= on ? flag : 0;
        return word(r, on ? "true" : "false");
    }
    return value(r, depth + 1);
}

static int object(reader *r, int depth, int top)
{
    if (expect(r, '{'))
        return -1;
    skip_ws(r);
    if (r->s < r->end && *r->s == '}')
        return r->s++, 0;
    do {
        if (member(r, depth, top))
            return -1;
        skip_ws(r);
    } while (r->s < r->end && *r->s == ',' && r->s++);
    return expect(r, '}');
}

/* Blocks must cover the operators in order, and every longer block must be
 * one the executor can fuse. */
static int check_blocks(const reader *r, const msf_graph *g, const char *path)
{
    int32_t next = 0;
    for (int32_t i = 0; i < r->n_ranges; i++) {
        int32_t a = r->ranges[2 * i], b = r->ranges[2 * i + 1];
        if (a != next || b >= g->model.n_ops)
            return cli_error(EXIT_BAD_INPUT, "%s: block %d [%d,%d] does not continue at layer %d", path, i, a, b,
                             next);
        if ((b > a && !block_fusible(g, a, b)) || ((r->streamed & STREAM_INPUT_ROWS) && !input_rows_block(g, a, b)))
            return cli_error(EXIT_BAD_INPUT, "%s: block %d [%d,%d] cannot run fused", path, i, a, b);
        next = b + 1;
    }
    if (next != g->model.n_ops)
        return cli_error(EXIT_BAD_INPUT, "%s: blocks end at layer %d, the model has %d", path, next - 1,
                         g->model.n_ops);
    return 0;
}

static int build_from_ranges(const reader *r, msf_graph *g, built_plan *out)
{
    tensor_lifetime *life = tensor_lifetimes(g);
    block_cost *costs = malloc((size_t)r->n_ranges * sizeof *costs);
    int rc = !life || !costs;
    for (int32_t i = 0; !rc && i < r->n_ranges; i++)
        rc = block_cost_exact(g, life, r->ranges[2 * i], r->ranges[2 * i + 1], r->streamed, &costs[i]);
    if (!rc)
        rc = plan_build(g, costs, r->n_ranges, r->streamed, out);
    free(life);
    free(costs);
    return rc ? cli_error(EXIT_RUNTIME, "out of memory") : EXIT_OK;
}

int plan_file_load(const char *path, msf_graph *g, built_plan *out)
{
    uint8_t *text;
    size_t size;
    char err[512], want[17];
    if (read_whole_file(path, MAX_PLAN_FILE, &text, &size, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    reader r = {(const char *)text, (const char *)text + size, NULL, "", 0, 0, 0, NULL, 0, 0};
    int rc = EXIT_OK;
    if (object(&r, 0, 1) == 0) {
        skip_ws(&r);
        if (r.s != r.end)
            r.err = "text after the JSON object";
    }
    snprintf(want, sizeof want, "%016llx", (unsigned long long)model_hash(g));
    if (r.err)
        rc = cli_error(EXIT_BAD_INPUT, "%s: %s near byte %ld", path, r.err, (long)(r.s - (const char *)text));
    else if (!r.have_hash || !r.have_blocks)
        rc = cli_error(EXIT_BAD_INPUT, "%s: not an msf plan (no model_hash or blocks)", path);
    else if (strcmp(r.hash, want) != 0)
        rc = cli_error(EXIT_BAD_INPUT, "%s: made for another model (hash %s, this model %s)", path, r.hash, want);
    else if (!streaming_possible(g, r.streamed))
        rc = cli_error(EXIT_BAD_INPUT, "%s: the plan's streaming does not fit this model", path);
    else
        rc = check_blocks(&r, g, path);
    if (rc == EXIT_OK)
        rc = build_from_ranges(&r, g, out);
    free(r.ranges);
    free(text);
    return rc;
}
