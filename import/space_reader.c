/* The space text format (described in space_reader.h): lines to settings
 * and layers, every number range-checked here. */
#include "space_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "quant_params.h"
#include "text_words.h"

#define MAX_SPACE_BYTES (64 << 10)
#define MAX_C 2048
#define MAX_K 7
#define MAX_DEPTH 12
#define MAX_EXPAND 8
#define MAX_DIVISOR 64
#define MAX_IN_CHANNELS 16
#define MIN_RESOLUTION 8
#define MAX_RESOLUTION 512
#define MAX_WIDTH 400 /* hundredths */

typedef struct {
    const char *source;
    int line;
    char *err;
    size_t err_size;
    msf_space *s;
} parser;

/* Keys a layer line may give, and which each type takes or needs. */
enum { KEY_K, KEY_S, KEY_C, KEY_ACT, KEY_SCALE, KEY_DEPTH, KEY_E, N_KEYS };
static const char *const key_names[N_KEYS] = {"k", "s", "c", "act", "scale", "depth", "e"};
#define BIT(k) (1u << (k))

typedef struct {
    const char *word;
    space_kind kind;
    unsigned allowed, required;
} layer_type;

static const layer_type layer_types[] = {
    {"conv", SPACE_CONV, BIT(KEY_K) | BIT(KEY_S) | BIT(KEY_C) | BIT(KEY_ACT) | BIT(KEY_SCALE), BIT(KEY_K) | BIT(KEY_C)},
    {"pw", SPACE_PW, BIT(KEY_C) | BIT(KEY_ACT) | BIT(KEY_SCALE), BIT(KEY_C)},
    {"dw", SPACE_DW, BIT(KEY_K) | BIT(KEY_S) | BIT(KEY_ACT), BIT(KEY_K)},
    {"stage", SPACE_STAGE, BIT(KEY_C) | BIT(KEY_S) | BIT(KEY_DEPTH) | BIT(KEY_K) | BIT(KEY_E) | BIT(KEY_ACT),
     BIT(KEY_C) | BIT(KEY_S) | BIT(KEY_DEPTH) | BIT(KEY_K) | BIT(KEY_E)},
    {"gap", SPACE_GAP, 0, 0},
    {"fc", SPACE_FC, BIT(KEY_C) | BIT(KEY_ACT) | BIT(KEY_SCALE), BIT(KEY_C)},
    {"softmax", SPACE_SOFTMAX, 0, 0},
};
#define N_TYPES ((int)(sizeof layer_types / sizeof layer_types[0]))

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(parser *p, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!p->err || p->err_size == 0)
        return -1;
    if (p->line == 0)
        snprintf(p->err, p->err_size, "%s: %s", p->source ? p->source : "space", msg);
    else
        snprintf(p->err, p->err_size, "%s%s%d: %s", p->source ? p->source : "line ", p->source ? ":" : "",
                 p->line, msg);
    return -1;
}

/* A decimal integer in [lo, hi]. */
static int number(parser *p, const char *what, token t, int32_t lo, int32_t hi, int32_t *v)
{
    char msg[SHOWN_CHARS + 64];
    return token_number(t, lo, hi, v, msg, sizeof msg) ? fail(p, "%s: %s", what, msg) : 0;
}

/* A width: digits, optionally '.' and one or two digits, as hundredths. */
static int width_value(parser *p, token t, int32_t *v)
{
    char buf[SHOWN_CHARS + 4];
    const char *dot = memchr(t.p, '.', t.n);
    size_t whole = dot ? (size_t)(dot - t.p) : t.n, frac = dot ? t.n - whole - 1 : 0;
    int32_t a = 0, b = 0;
    if (whole == 0 || whole > 1 || frac > 2 || (dot && frac == 0))
        return fail(p, "width: '%s' is not a multiplier such as 0.5 or 1.25 (0.01..4)", token_show(t, buf));
    if (number(p, "width", (token){t.p, whole}, 0, 9, &a) ||
        (frac && number(p, "width", (token){dot + 1, frac}, 0, 99, &b)))
        return -1;
    *v = 100 * a + (frac == 1 ? 10 * b : b);
    if (*v < 1 || *v > MAX_WIDTH)
        return fail(p, "width: '%s' out of range (0.01..4)", token_show(t, buf));
    return 0;
}

/* Appends a value to an ascending list of distinct values. */
static int add_choice(parser *p, const char *what, int32_t *list, int32_t *n, int32_t max, int32_t v)
{
    if (*n == max)
        return fail(p, "%s: more than %d values", what, max);
    if (*n > 0 && v <= list[*n - 1])
        return fail(p, "%s: values must ascend, each once", what);
    list[(*n)++] = v;
    return 0;
}

/* depth=, k= or e=: comma-separated choices in [lo, hi]. */
static int choices_value(parser *p, const char *what, token t, int32_t lo, int32_t hi, space_choices *c)
{
    c->n = 0;
    const char *s = t.p, *end = t.p + t.n;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *stop = comma ? comma : end;
        int32_t v;
        if (number(p, what, (token){s, (size_t)(stop - s)}, lo, hi, &v) ||
            add_choice(p, what, c->v, &c->n, SPACE_MAX_CHOICES, v))
            return -1;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

static int activation_value(parser *p, token t, int32_t *act)
{
    char msg[SHOWN_CHARS + 64];
    return token_activation(t, act, msg, sizeof msg) ? fail(p, "%s", msg) : 0;
}

static int scale_value(parser *p, token t, int *scaled)
{
    char buf[SHOWN_CHARS + 4];
    if (!token_is(t, "w") && !token_is(t, "no"))
        return fail(p, "scale: '%s' is not w or no", token_show(t, buf));
    *scaled = token_is(t, "w");
    return 0;
}

/* One key=value of a layer line into l; *seen collects the keys given. */
static int parse_key(parser *p, const layer_type *type, token t, unsigned *seen, space_layer *l)
{
    char buf[SHOWN_CHARS + 4];
    const char *eq = memchr(t.p, '=', t.n);
    if (!eq)
        return fail(p, "'%s' is not key=value", token_show(t, buf));
    token key = {t.p, (size_t)(eq - t.p)}, value = {eq + 1, t.n - key.n - 1};
    int k = 0;
    while (k < N_KEYS && !token_is(key, key_names[k]))
        k++;
    if (k == N_KEYS || !(type->allowed & BIT(k)))
        return fail(p, "%s does not take '%s'", type->word, token_show(key, buf));
    if (*seen & BIT(k))
        return fail(p, "%s given twice", key_names[k]);
    *seen |= BIT(k);
    switch (k) {
    case KEY_K:
        return type->kind == SPACE_STAGE ? choices_value(p, "k", value, 1, MAX_K, &l->kernel)
                                         : number(p, "k", value, 1, MAX_K, &l->k);
    case KEY_S:
        return number(p, "s", value, 1, MAX_K, &l->s);
    case KEY_C:
        return number(p, "c", value, 1, MAX_C, &l->c);
    case KEY_ACT:
        return activation_value(p, value, &l->act);
    case KEY_SCALE:
        return scale_value(p, value, &l->scaled);
    case KEY_DEPTH:
        return choices_value(p, "depth", value, 1, MAX_DEPTH, &l->depth);
    default:
        return choices_value(p, "e", value, 1, MAX_EXPAND, &l->expand);
    }
}

static int parse_layer(parser *p, const layer_type *type, const char *s, const char *end)
{
    if (p->s->n_layers == SPACE_MAX_LAYERS)
        return fail(p, "more than %d layers", SPACE_MAX_LAYERS);
    space_layer *l = &p->s->layers[p->s->n_layers];
    *l = (space_layer){.kind = type->kind, .line = p->line, .s = 1, .act = MSF_ACT_NONE, .scaled = 1};
    unsigned seen = 0;
    token t;
    while (next_token(&s, end, &t))
        if (parse_key(p, type, t, &seen, l))
            return -1;
    for (int k = 0; k < N_KEYS; k++)
        if ((type->required & BIT(k)) && !(seen & BIT(k)))
            return fail(p, "%s needs %s=", type->word, key_names[k]);
    p->s->n_layers++;
    return 0;
}

/* width W... or resolution R...: an ascending list. */
static int parse_list(parser *p, int width, const char *s, const char *end)
{
    const char *what = width ? "width" : "resolution";
    int32_t *list = width ? p->s->widths : p->s->resolutions;
    int32_t *count = width ? &p->s->n_widths : &p->s->n_resolutions;
    if (*count > 0)
        return fail(p, "%s given twice", what);
    token t;
    while (next_token(&s, end, &t)) {
        int32_t v;
        if ((width ? width_value(p, t, &v) : number(p, what, t, MIN_RESOLUTION, MAX_RESOLUTION, &v)) ||
            add_choice(p, what, list, count, width ? SPACE_MAX_WIDTHS : SPACE_MAX_RESOLUTIONS, v))
            return -1;
    }
    return *count ? 0 : fail(p, "%s needs at least one value", what);
}

/* divisor D or input c=C: one value. */
static int parse_single(parser *p, int divisor, const char *s, const char *end)
{
    const char *what = divisor ? "divisor" : "input";
    token t, extra;
    if (!next_token(&s, end, &t))
        return fail(p, "%s needs a value", what);
    if (next_token(&s, end, &extra))
        return fail(p, "%s takes one value", what);
    if (divisor)
        return number(p, "divisor", t, 1, MAX_DIVISOR, &p->s->divisor);
    if (t.n < 2 || memcmp(t.p, "c=", 2) != 0)
        return fail(p, "input takes c=CHANNELS");
    return number(p, "input c", (token){t.p + 2, t.n - 2}, 1, MAX_IN_CHANNELS, &p->s->in_channels);
}

/* width, resolution, divisor or input: settings, before the first layer. */
static int parse_setting(parser *p, token word, const char *s, const char *end)
{
    if (p->s->n_layers > 0)
        return fail(p, "%.*s must come before the first layer", (int)word.n, word.p);
    if (token_is(word, "width") || token_is(word, "resolution"))
        return parse_list(p, token_is(word, "width"), s, end);
    return parse_single(p, token_is(word, "divisor"), s, end);
}

static int parse_line(parser *p, const char *s, const char *end)
{
    const char *hash = memchr(s, '#', (size_t)(end - s));
    if (hash)
        end = hash;
    token word;
    if (!next_token(&s, end, &word))
        return 0;
    if (token_is(word, "width") || token_is(word, "resolution") || token_is(word, "divisor") ||
        token_is(word, "input"))
        return parse_setting(p, word, s, end);
    for (int i = 0; i < N_TYPES; i++)
        if (token_is(word, layer_types[i].word))
            return parse_layer(p, &layer_types[i], s, end);
    char buf[SHOWN_CHARS + 4];
    return fail(p, "unknown line type '%s'", token_show(word, buf));
}

int space_read(const char *source, const char *text, size_t len, msf_space *s, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    s->divisor = 8;
    s->in_channels = 3;
    parser p = {source, 0, err, err_size, s};
    const char *end = text + len;
    if (memchr(text, '\0', len)) {
        for (const char *c = text; *c; c++)
            p.line += *c == '\n';
        p.line++;
        return fail(&p, "a NUL byte");
    }
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        p.line++;
        if (parse_line(&p, line, stop))
            return -1;
        line = nl ? nl + 1 : end;
    }
    p.line = 0;
    if (s->n_widths == 0)
        return fail(&p, "no width line");
    if (s->n_resolutions == 0)
        return fail(&p, "no resolution line");
    if (s->n_layers == 0)
        return fail(&p, "no layers");
    return 0;
}

int space_read_file(const char *path, msf_space *s, char *err, size_t err_size)
{
    uint8_t *buf;
    size_t size;
    if (read_whole_file(path, MAX_SPACE_BYTES, &buf, &size, err, err_size))
        return -1;
    int rc = space_read(path, (const char *)buf, size, s, err, err_size);
    free(buf);
    return rc;
}
