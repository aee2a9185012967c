/* Networks of a space (space_reader.h) as spec text: the choices drawn
 * from (seed, index), the channels scaled by the configuration's width. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quant_params.h"
#include "space_reader.h"
#include "spec_net.h"
#include "spec_reader.h"

typedef struct {
    char *text;
    size_t len, cap;
    int failed;
} text_buf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(text_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (int pass = 0; pass < 2 && !b->failed; pass++) {
        va_start(ap, fmt);
        int n = vsnprintf(b->text ? b->text + b->len : NULL, b->text ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
        } else if (b->text && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        } else {
            size_t cap = 2 * (b->len + (size_t)n + 1) + 1024;
            char *t = realloc(b->text, cap);
            if (!t)
                b->failed = 1;
            else
                b->text = t, b->cap = cap;
        }
    }
}

/* splitmix64: a fixed, well-mixed sequence from any seed, the same on
 * every platform (rand() is not). */
static uint64_t next_random(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* One of the choices, uniformly; the largest when x is NULL. */
static int32_t pick(uint64_t *x, const space_choices *c)
{
    if (!x)
        return c->v[c->n - 1];
    return c->v[((next_random(x) >> 32) * (uint64_t)c->n) >> 32];
}

int32_t space_channels(int32_t c, int32_t width, int32_t divisor)
{
    int64_t v100 = (int64_t)c * width; /* 100 x c x W */
    int64_t d = divisor, n = (v100 + 50 * d) / (100 * d) * d;
    if (n < d)
        n = d;
    if (10 * 100 * n < 9 * v100) /* below 90% of c x W */
        n += d;
    return (int32_t)n;
}

static const char *act_word(int32_t act)
{
    return act == MSF_ACT_RELU6 ? "relu6" : act == MSF_ACT_RELU ? "relu" : "none";
}

/* The network being written: its text, the last layer's number (every
 * layer is named l<N>, for residual adds) and its channels. */
typedef struct {
    text_buf b;
    int32_t n, channels;
} writer;

/* A spec line for a layer, named l<N>; the channels it leaves. */
static void layer(writer *w, const char *type, int32_t k, int32_t s, int32_t c, int32_t act)
{
    put(&w->b, "%s", type);
    if (k)
        put(&w->b, " k=%d", k);
    if (s != 1)
        put(&w->b, " s=%d", s);
    if (c)
        put(&w->b, " c=%d", c);
    if (act != MSF_ACT_NONE)
        put(&w->b, " act=%s", act_word(act));
    put(&w->b, " name=l%d\n", ++w->n);
    if (c)
        w->channels = c;
}

/* One inverted-residual block of a stage. */
static void block(writer *w, int32_t k, int32_t e, int32_t s, int32_t c, int32_t act)
{
    int32_t in = w->n, in_c = w->channels;
    if (e > 1)
        layer(w, "pw", 0, 1, in_c * e, act);
    layer(w, "dw", k, s, 0, act);
    layer(w, "pw", 0, 1, c, MSF_ACT_NONE);
    if (s == 1 && in_c == c) {
        put(&w->b, "add from=l%d name=l%d\n", in, w->n + 1);
        w->n++;
    }
}

static void stage(writer *w, const space_layer *l, int32_t c, uint64_t *x)
{
    int32_t depth = pick(x, &l->depth);
    for (int32_t i = 0; i < depth; i++) {
        int32_t k = pick(x, &l->kernel), e = pick(x, &l->expand);
        block(w, k, e, i == 0 ? l->s : 1, c, l->act);
    }
}

static void body(writer *w, const msf_space *s, int32_t width, uint64_t *x)
{
    for (int32_t i = 0; i < s->n_layers; i++) {
        const space_layer *l = &s->layers[i];
        int32_t c = l->scaled ? space_channels(l->c, width, s->divisor) : l->c;
        switch (l->kind) {
        case SPACE_CONV:
            layer(w, "conv", l->k, l->s, c, l->act);
            break;
        case SPACE_PW:
            layer(w, "pw", 0, 1, c, l->act);
            break;
        case SPACE_DW:
            layer(w, "dw", l->k, l->s, 0, l->act);
            break;
        case SPACE_STAGE:
            stage(w, l, c, x);
            break;
        case SPACE_GAP:
            layer(w, "gap", 0, 1, 0, MSF_ACT_NONE);
            break;
        case SPACE_FC:
            layer(w, "fc", 0, 1, c, l->act);
            break;
        default:
            layer(w, "softmax", 0, 1, 0, MSF_ACT_NONE);
            break;
        }
    }
}

/* x NULL: every choice at its largest. */
static char *network(const msf_space *s, int32_t width, int32_t resolution, uint64_t *x, const char *header,
                     size_t *len)
{
    writer w = {{NULL, 0, 0, 0}, 0, s->in_channels};
    if (header)
        put(&w.b, "%s", header);
    put(&w.b, "input %dx%dx%d name=l0\n", resolution, resolution, s->in_channels);
    body(&w, s, width, x);
    if (w.b.failed) {
        free(w.b.text);
        return NULL;
    }
    *len = w.b.len;
    return w.b.text;
}

char *space_network_spec(const msf_space *s, int32_t width, int32_t resolution, uint64_t seed, uint64_t index,
                         const char *header, size_t *len)
{
    /* Two draws apart, so that neighbouring seeds and indices do not share
     * their streams. */
    uint64_t x = seed;
    x = next_random(&x) ^ index;
    next_random(&x);
    return network(s, width, resolution, &x, header, len);
}

char *space_largest_spec(const msf_space *s, size_t *len)
{
    return network(s, s->widths[s->n_widths - 1], s->resolutions[s->n_resolutions - 1], NULL, NULL, len);
}

/* The most layers a spec takes after its input (spec_reader.h, Limits). */
#define SPEC_MAX_LINES 1024

/* The most layers a network of the space can have after its input: a
 * block is at most four (expansion, depthwise, projection, add), whichever
 * adds it gets (a narrower network may get more: the largest one is no
 * bound here). */
static int32_t most_lines(const msf_space *s)
{
    int32_t n = 0;
    for (int32_t i = 0; i < s->n_layers; i++)
        n += s->layers[i].kind == SPACE_STAGE ? 4 * s->layers[i].depth.v[s->layers[i].depth.n - 1] : 1;
    return n;
}

int space_check(const msf_space *s, char *err, size_t err_size)
{
    if (most_lines(s) > SPEC_MAX_LINES) {
        snprintf(err, err_size, "a network of the space may have %d layers, more than a spec takes (%d)",
                 most_lines(s), SPEC_MAX_LINES);
        return -1;
    }
    size_t len;
    char *text = space_largest_spec(s, &len), msg[384];
    if (!text) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    spec_net net;
    int rc = spec_read(text, len, &net, msg, sizeof msg);
    free(text);
    if (rc) {
        snprintf(err, err_size, "the largest network of the space (every choice at its largest) is no valid spec: %s",
                 msg);
        return -1;
    }
    free(net.layers);
    return 0;
}
