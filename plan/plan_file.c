#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "file_io.h"
#include "plan_file.h"

/* A plan is a few numbers a block: a file far larger than the model's
 * operators call for is refused before it is parsed (bounded work). */
#define PLAN_FILE_BASE_BYTES 65536u
#define PLAN_FILE_BYTES_PER_OP 256u
/* The objects of a plan have a dozen members; more is not a plan. */
#define MAX_MEMBERS 32

uint64_t model_hash(const msf_graph *g)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < g->file_size; i++)
        h = (h ^ g->file[i]) * 1099511628211ull;
    return h;
}

/* The predicted instructions on a target: the total, layer by layer's and
 * each block's. */
static void instructions_write(FILE *f, const msf_graph *g, const built_plan *bp, time_target t)
{
    fprintf(f, ",\"target\":\"%s\",\"instructions\":%llu,\"vanilla_instructions\":%llu,\"block_instructions\":[",
            time_target_name(t), (unsigned long long)time_blocks(t, g, bp->costs, bp->plan.n_blocks),
            (unsigned long long)time_layers(t, g, bp->plan.streamed));
    for (int32_t i = 0; i < bp->plan.n_blocks; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)time_block(t, g, &bp->costs[i]));
    fprintf(f, "]");
}

void plan_json_write(FILE *f, const msf_graph *g, const built_plan *bp, uint64_t vanilla_macs,
                     const time_target *target, const char *baselines)
{
    const msf_plan *p = &bp->plan;
    fprintf(f, "{\"msf_plan\":%d,\"model_hash\":\"%016llx\",\"streamed_input\":%s,\"input_rows\":%s,"
            "\"streamed_output\":%s,",
            PLAN_FILE_VERSION, (unsigned long long)model_hash(g), (p->streamed & MSF_STREAM_INPUT) ? "true" : "false",
            (p->streamed & MSF_STREAM_INPUT_ROWS) ? "true" : "false", (p->streamed & MSF_STREAM_OUTPUT) ? "true" : "false");
    fprintf(f, "\"peak_ram\":%u,\"macs\":%llu,\"vanilla_macs\":%llu,\"overhead\":%.6f,\"blocks\":[",
            p->arena_bytes, (unsigned long long)bp->macs, (unsigned long long)vanilla_macs,
            vanilla_macs ? (double)bp->macs / (double)vanilla_macs : 1.0);
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s[%d,%d]", i ? "," : "", bp->costs[i].first_op, bp->costs[i].last_op);
    fprintf(f, "],\"schemes\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s\"%s\"", i ? "," : "", block_scheme_name(p->blocks[i].scheme));
    fprintf(f, "],\"tiles\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%d", i ? "," : "", p->blocks[i].tile_rows);
    fprintf(f, "],\"over_input\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%s", i ? "," : "", bp->costs[i].over_input ? "true" : "false");
    fprintf(f, "],\"block_ram\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)bp->costs[i].ram);
    fprintf(f, "],\"block_macs\":[");
    for (int32_t i = 0; i < p->n_blocks; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)bp->costs[i].macs);
    fprintf(f, "]");
    if (target)
        instructions_write(f, g, bp, *target);
    fprintf(f, "%s%s}\n", baselines ? ",\"baselines\":" : "", baselines ? baselines : "");
}


/* What a plan document says: the blocks and how the ends are streamed. */
typedef struct {
    int32_t *ranges; /* first, last pairs */
    int32_t *schemes;
    int32_t *tiles;
    int32_t *over_input;
    int32_t n_ranges;
    int streamed;
} plan_doc;

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return PLAN_FILE_BAD;
}

static int no_memory(char *err, size_t err_size)
{
    snprintf(err, err_size, "out of memory");
    return PLAN_FILE_NO_MEMORY;
}

/* Every object in the document: at most MAX_MEMBERS members, none twice
 * (JSON leaves duplicates to the reader; a plan has no use for them). */
static int objects_sound(const cJSON *item, char *err, size_t err_size)
{
    for (const cJSON *c = item->child; c; c = c->next)
        if (objects_sound(c, err, err_size))
            return PLAN_FILE_BAD;
    if (!cJSON_IsObject(item))
        return PLAN_FILE_OK;
    int n = 0;
    for (const cJSON *c = item->child; c; c = c->next, n++) {
        if (n == MAX_MEMBERS)
            return fail(err, err_size, "an object with more than %d members", MAX_MEMBERS);
        for (const cJSON *d = c->next; d; d = d->next)
            if (strcmp(c->string, d->string) == 0)
                return fail(err, err_size, "member \"%s\" given twice", c->string);
    }
    return PLAN_FILE_OK;
}

static int whole_number(const cJSON *v, double max, int64_t *out)
{
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= max) ||
        v->valuedouble != (double)(int64_t)v->valuedouble)
        return -1;
    *out = (int64_t)v->valuedouble;
    return 0;
}

typedef enum { KIND_VERSION, KIND_HASH, KIND_FLAG, KIND_COUNT, KIND_NUMBER, KIND_ARRAY, KIND_OBJECT, KIND_TARGET } member_kind;

/* The members a plan document may have; required ones first. */
static const struct {
    const char *key;
    member_kind kind;
    int stream_flag;
} members[] = {
    {"msf_plan", KIND_VERSION, 0},        {"model_hash", KIND_HASH, 0},
    {"streamed_input", KIND_FLAG, MSF_STREAM_INPUT}, {"input_rows", KIND_FLAG, MSF_STREAM_INPUT_ROWS},
    {"streamed_output", KIND_FLAG, MSF_STREAM_OUTPUT}, {"blocks", KIND_ARRAY, 0},
    {"peak_ram", KIND_COUNT, 0},          {"macs", KIND_COUNT, 0},
    {"vanilla_macs", KIND_COUNT, 0},      {"overhead", KIND_NUMBER, 0},
    {"block_ram", KIND_ARRAY, 0},         {"block_macs", KIND_ARRAY, 0},
    {"baselines", KIND_OBJECT, 0},        {"schemes", KIND_ARRAY, 0},
    {"tiles", KIND_ARRAY, 0},             {"target", KIND_TARGET, 0},
    {"instructions", KIND_COUNT, 0},      {"vanilla_instructions", KIND_COUNT, 0},
    {"block_instructions", KIND_ARRAY, 0}, {"over_input", KIND_ARRAY, 0},
};
#define N_REQUIRED 6

static int member_ok(const cJSON *v, member_kind kind)
{
    int64_t ignored;
    switch (kind) {
    case KIND_VERSION:
    case KIND_COUNT: return whole_number(v, 9e18, &ignored) == 0;
    case KIND_HASH: return cJSON_IsString(v);
    case KIND_FLAG: return cJSON_IsBool(v);
    case KIND_NUMBER: return cJSON_IsNumber(v);
    case KIND_ARRAY: return cJSON_IsArray(v);
    case KIND_TARGET: return cJSON_IsString(v) && time_target_named(v->valuestring) >= 0;
    default: return cJSON_IsObject(v);
    }
}

/* The top-level members: known, of the right kind, the required ones there. */
static int read_members(const cJSON *root, const msf_graph *g, plan_doc *doc, char *err, size_t err_size)
{
    int n_members = (int)(sizeof members / sizeof members[0]);
    for (const cJSON *c = root->child; c; c = c->next) {
        int k = 0;
        while (k < n_members && strcmp(members[k].key, c->string) != 0)
            k++;
        if (k == n_members)
            return fail(err, err_size, "unknown member \"%s\"", c->string);
        if (!member_ok(c, members[k].kind))
            return fail(err, err_size, "\"%s\" is not %s", c->string,
                        members[k].kind == KIND_FLAG    ? "true or false"
                        : members[k].kind == KIND_HASH  ? "a string"
                        : members[k].kind == KIND_ARRAY ? "an array"
                        : members[k].kind == KIND_OBJECT ? "an object"
                        : members[k].kind == KIND_TARGET ? "a target with a time model (m4, m7, rv32)"
                                                        : "a whole number >= 0");
        if (members[k].kind == KIND_FLAG && cJSON_IsTrue(c))
            doc->streamed |= members[k].stream_flag;
    }
    for (int k = 0; k < N_REQUIRED; k++)
        if (!cJSON_GetObjectItemCaseSensitive(root, members[k].key))
            return fail(err, err_size, "not an msf plan (no \"%s\")", members[k].key);
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "msf_plan");
    if (version->valuedouble != PLAN_FILE_VERSION)
        return fail(err, err_size, "plan format %.0f; this msf reads format %d", version->valuedouble,
                    PLAN_FILE_VERSION);
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)model_hash(g));
    const char *hash = cJSON_GetObjectItemCaseSensitive(root, "model_hash")->valuestring;
    if (strcmp(hash, want) != 0)
        return fail(err, err_size, "made for another model (hash %.16s, this model %s)", hash, want);
    return PLAN_FILE_OK;
}

/* "blocks": [[first_layer, last_layer], ...]. */
static int read_blocks(const cJSON *blocks, const msf_graph *g, plan_doc *doc, char *err, size_t err_size)
{
    int n = cJSON_GetArraySize(blocks);
    if (n > g->model.n_ops)
        return fail(err, err_size, "%d blocks for %d layers", n, g->model.n_ops);
    doc->ranges = malloc((size_t)(n ? n : 1) * 2 * sizeof *doc->ranges);
    doc->schemes = malloc((size_t)(n ? n : 1) * sizeof *doc->schemes);
    doc->tiles = malloc((size_t)(n ? n : 1) * sizeof *doc->tiles);
    doc->over_input = calloc((size_t)(n ? n : 1), sizeof *doc->over_input);
    if (!doc->ranges || !doc->schemes || !doc->tiles || !doc->over_input)
        return no_memory(err, err_size);
    for (const cJSON *b = blocks->child; b; b = b->next, doc->n_ranges++) {
        int64_t first, last;
        if (!cJSON_IsArray(b) || cJSON_GetArraySize(b) != 2 || whole_number(b->child, INT32_MAX, &first) ||
            whole_number(b->child->next, INT32_MAX, &last) || last < first)
            return fail(err, err_size, "block %d is not [first_layer, last_layer]", doc->n_ranges);
        doc->ranges[2 * doc->n_ranges] = (int32_t)first;
        doc->ranges[2 * doc->n_ranges + 1] = (int32_t)last;
    }
    return PLAN_FILE_OK;
}

/* Blocks must cover the operators in order, and every longer block must be
 * one the executor can fuse. */
static int check_blocks(const plan_doc *doc, const msf_graph *g, char *err, size_t err_size)
{
    if (!streaming_possible(g, doc->streamed))
        return fail(err, err_size, "the plan's streaming does not fit this model");
    int32_t next = 0;
    for (int32_t i = 0; i < doc->n_ranges; i++) {
        int32_t a = doc->ranges[2 * i], b = doc->ranges[2 * i + 1];
        if (a != next || b >= g->model.n_ops)
            return fail(err, err_size, "block %d [%d,%d] does not continue at layer %d", i, a, b, next);
        if ((b > a && !block_fusible(g, a, b)) || ((doc->streamed & MSF_STREAM_INPUT_ROWS) && !input_rows_block(g, a, b)))
            return fail(err, err_size, "block %d [%d,%d] cannot run fused", i, a, b);
        next = b + 1;
    }
    if (next != g->model.n_ops)
        return fail(err, err_size, "blocks end at layer %d, the model has %d", next - 1, g->model.n_ops);
    return PLAN_FILE_OK;
}

/* "schemes" names how each block runs; without it a block runs as it does
 * by default (block_default_scheme). A scheme that cannot run its block is
 * refused. Called once the blocks are checked. */
static int read_schemes(const cJSON *schemes, const msf_graph *g, plan_doc *doc, char *err, size_t err_size)
{
    if (schemes && cJSON_GetArraySize(schemes) != doc->n_ranges)
        return fail(err, err_size, "%d schemes for %d blocks", cJSON_GetArraySize(schemes), doc->n_ranges);
    const cJSON *s = schemes ? schemes->child : NULL;
    for (int32_t i = 0; i < doc->n_ranges; i++, s = s ? s->next : NULL) {
        int32_t a = doc->ranges[2 * i], b = doc->ranges[2 * i + 1];
        int32_t scheme = !s ? block_default_scheme(g, a, b, doc->streamed)
                         : cJSON_IsString(s) ? block_scheme_named(s->valuestring)
                                             : -1;
        if (s && scheme < 0)
            return fail(err, err_size, "block %d: no scheme %s%s%s", i, cJSON_IsString(s) ? "\"" : "",
                        cJSON_IsString(s) ? s->valuestring : "(not a string)", cJSON_IsString(s) ? "\"" : "");
        if (!block_scheme_runs(g, a, b, scheme, doc->streamed))
            return fail(err, err_size, "block %d [%d,%d] cannot run as %s", i, a, b, block_scheme_name(scheme));
        doc->schemes[i] = scheme;
    }
    return PLAN_FILE_OK;
}

/* "tiles" gives each block's tile height; without it every block steps a
 * row at a time. A height its scheme does not offer for the block
 * (block_tiles) is refused. Called once the schemes are read. */
static int read_tiles(const cJSON *tiles, const msf_graph *g, plan_doc *doc, char *err, size_t err_size)
{
    if (tiles && cJSON_GetArraySize(tiles) != doc->n_ranges)
        return fail(err, err_size, "%d tiles for %d blocks", cJSON_GetArraySize(tiles), doc->n_ranges);
    const cJSON *t = tiles ? tiles->child : NULL;
    for (int32_t i = 0; i < doc->n_ranges; i++, t = t ? t->next : NULL) {
        int64_t tile = 1;
        if (t && whole_number(t, INT32_MAX, &tile))
            return fail(err, err_size, "tile %d is not a whole number", i);
        int32_t offered[BLOCK_MAX_TILES], n = block_tiles(g, doc->ranges[2 * i], doc->ranges[2 * i + 1],
                                                           doc->schemes[i], offered), k = 0;
        while (k < n && offered[k] != tile)
            k++;
        if (k == n)
            return fail(err, err_size, "block %d cannot run %s in tiles of %lld rows", i,
                        block_scheme_name(doc->schemes[i]), (long long)tile);
        doc->tiles[i] = (int32_t)tile;
    }
    return PLAN_FILE_OK;
}

/* "over_input" says of each block whether its output lies over its input
 * (block_over_input); without it none does. A block that cannot is
 * refused. */
static int read_over_input(const cJSON *over, const msf_graph *g, plan_doc *doc, char *err, size_t err_size)
{
    if (over && cJSON_GetArraySize(over) != doc->n_ranges)
        return fail(err, err_size, "%d over_input flags for %d blocks", cJSON_GetArraySize(over), doc->n_ranges);
    const cJSON *v = over ? over->child : NULL;
    for (int32_t i = 0; v; i++, v = v->next) {
        if (!cJSON_IsBool(v))
            return fail(err, err_size, "over_input %d is not true or false", i);
        doc->over_input[i] = cJSON_IsTrue(v);
        if (doc->over_input[i] &&
            !block_over_input(g, doc->ranges[2 * i], doc->ranges[2 * i + 1], doc->schemes[i], doc->streamed))
            return fail(err, err_size, "block %d cannot write its output over its input", i);
    }
    return PLAN_FILE_OK;
}

static int build_from_ranges(const plan_doc *doc, msf_graph *g, built_plan *out, char *err, size_t err_size)
{
    tensor_lifetime *life = tensor_lifetimes(g);
    block_cost *costs = malloc((size_t)(doc->n_ranges ? doc->n_ranges : 1) * sizeof *costs);
    int rc = !life || !costs;
    for (int32_t i = 0; !rc && i < doc->n_ranges; i++)
        rc = block_cost_exact(g, life, doc->ranges[2 * i], doc->ranges[2 * i + 1], doc->schemes[i], doc->tiles[i],
                              doc->over_input[i], doc->streamed, &costs[i]);
    if (!rc)
        rc = plan_build(g, costs, doc->n_ranges, doc->streamed, out);
    free(life);
    free(costs);
    if (rc == LAYOUT_TOO_LARGE)
        return fail(err, err_size, "the plan's arena would exceed 4 GiB (msf's limit: arena offsets are 32-bit)");
    if (rc == LAYOUT_TOO_BUSY)
        return fail(err, err_size, "more than %u pairs of buffers alive at the same steps (msf's limit on the "
                    "layout's work)", LAYOUT_MAX_PAIRS);
    return rc ? no_memory(err, err_size) : PLAN_FILE_OK;
}

/* The figures a plan file records are re-derived on load: one that differs
 * (a plan made by another msf, or edited) is refused rather than run with
 * RAM or MACs other than the ones it promises. */
static int recorded_matches(const cJSON *root, const char *key, uint64_t value, char *err, size_t err_size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    int64_t n;
    if (!v || (whole_number(v, 9e18, &n) == 0 && (uint64_t)n == value))
        return PLAN_FILE_OK;
    return fail(err, err_size, "\"%s\" is %.0f but the plan's blocks give %llu here (made by another msf, or "
                "edited): plan again", key, v->valuedouble, (unsigned long long)value);
}

/* What a plan records of each block: its RAM, MACs, or the instructions
 * predicted on a target. */
typedef enum { FIGURE_RAM, FIGURE_MACS, FIGURE_INSTRUCTIONS } block_figure;

static uint64_t figure_of(const msf_graph *g, const block_cost *c, block_figure which, time_target t)
{
    return which == FIGURE_RAM ? c->ram : which == FIGURE_MACS ? c->macs : time_block(t, g, c);
}

static int recorded_array_matches(const cJSON *root, const char *key, const msf_graph *g, const built_plan *bp,
                                  block_figure which, time_target t, char *err, size_t err_size)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!a)
        return PLAN_FILE_OK;
    if (cJSON_GetArraySize(a) != bp->plan.n_blocks)
        return fail(err, err_size, "%d entries in \"%s\" for %d blocks", cJSON_GetArraySize(a), key,
                    bp->plan.n_blocks);
    int32_t i = 0;
    for (const cJSON *v = a->child; v; v = v->next, i++) {
        uint64_t want = figure_of(g, &bp->costs[i], which, t);
        int64_t n;
        if (whole_number(v, 9e18, &n) != 0 || (uint64_t)n != want)
            return fail(err, err_size, "\"%s\" of block %d is not %llu, what its block gives here (made by another "
                        "msf, or edited): plan again", key, i, (unsigned long long)want);
    }
    return PLAN_FILE_OK;
}

/* The predicted instructions, when recorded, are the target's model's for
 * these blocks (a plan made with another calibration is planned again);
 * they need the target they were predicted on. */
static int check_instructions(const cJSON *root, const msf_graph *g, const built_plan *bp, char *err, size_t err_size)
{
    static const char *const keys[] = {"instructions", "vanilla_instructions", "block_instructions"};
    const cJSON *target = cJSON_GetObjectItemCaseSensitive(root, "target");
    for (size_t k = 0; !target && k < sizeof keys / sizeof keys[0]; k++)
        if (cJSON_GetObjectItemCaseSensitive(root, keys[k]))
            return fail(err, err_size, "\"%s\" without the \"target\" it was predicted on", keys[k]);
    if (!target)
        return PLAN_FILE_OK;
    time_target t = (time_target)time_target_named(target->valuestring);
    int rc = recorded_matches(root, "instructions", time_blocks(t, g, bp->costs, bp->plan.n_blocks), err, err_size);
    return rc == PLAN_FILE_OK ? recorded_array_matches(root, "block_instructions", g, bp, FIGURE_INSTRUCTIONS, t, err,
                                                       err_size)
                              : rc;
}

static int check_recorded(const cJSON *root, const msf_graph *g, const built_plan *bp, char *err, size_t err_size)
{
    int rc = recorded_matches(root, "peak_ram", bp->plan.arena_bytes, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = recorded_matches(root, "macs", bp->macs, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = recorded_array_matches(root, "block_ram", g, bp, FIGURE_RAM, TIME_M4, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = recorded_array_matches(root, "block_macs", g, bp, FIGURE_MACS, TIME_M4, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = check_instructions(root, g, bp, err, err_size);
    return rc;
}

int plan_file_parse(const char *text, size_t size, msf_graph *g, built_plan *out, char *err, size_t err_size)
{
    if (size > PLAN_FILE_BASE_BYTES + (size_t)PLAN_FILE_BYTES_PER_OP * (size_t)g->model.n_ops)
        return fail(err, err_size, "%zu bytes: too large for a plan of %d layers", size, g->model.n_ops);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, size, &end, 0);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        long where = at && at >= text && at <= text + size ? (long)(at - text) : 0;
        return fail(err, err_size, "malformed JSON near byte %ld", where);
    }
    while (end < text + size && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    plan_doc doc = {NULL, NULL, NULL, NULL, 0, 0};
    int rc = PLAN_FILE_OK;
    if (end != text + size)
        rc = fail(err, err_size, "text after the JSON object, at byte %ld", (long)(end - text));
    else if (!cJSON_IsObject(root))
        rc = fail(err, err_size, "not an msf plan (not a JSON object)");
    if (rc == PLAN_FILE_OK)
        rc = objects_sound(root, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = read_members(root, g, &doc, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = read_blocks(cJSON_GetObjectItemCaseSensitive(root, "blocks"), g, &doc, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = check_blocks(&doc, g, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = read_schemes(cJSON_GetObjectItemCaseSensitive(root, "schemes"), g, &doc, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = read_tiles(cJSON_GetObjectItemCaseSensitive(root, "tiles"), g, &doc, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = read_over_input(cJSON_GetObjectItemCaseSensitive(root, "over_input"), g, &doc, err, err_size);
    if (rc == PLAN_FILE_OK)
        rc = build_from_ranges(&doc, g, out, err, err_size);
    if (rc == PLAN_FILE_OK && (rc = check_recorded(root, g, out, err, err_size)) != PLAN_FILE_OK)
        built_plan_free(out);
    free(doc.ranges);
    free(doc.schemes);
    free(doc.tiles);
    free(doc.over_input);
    cJSON_Delete(root);
    return rc;
}

int plan_file_load(const char *path, msf_graph *g, built_plan *out, char *err, size_t err_size)
{
    uint8_t *text;
    size_t size;
    size_t limit = PLAN_FILE_BASE_BYTES + (size_t)PLAN_FILE_BYTES_PER_OP * (size_t)g->model.n_ops;
    if (read_whole_file(path, limit, &text, &size, err, err_size))
        return PLAN_FILE_BAD;
    char why[400];
    int rc = plan_file_parse((const char *)text, size, g, out, why, sizeof why);
    if (rc != PLAN_FILE_OK)
        snprintf(err, err_size, "%s: %s", path, why);
    free(text);
    return rc;
}
