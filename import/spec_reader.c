/* The spec text format (described in spec_reader.h): lines to layers, every
 * size derived and range-checked here so that the writer only sees sane
 * networks. */
#include "spec_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "quant_params.h"
#include "spec_net.h"
#include "text_words.h"
#include "tflite_reader.h"

#define MAX_DIM 4096
#define MAX_KERNEL 11
#define MAX_LAYERS 1024
#define MAX_ACTIVATION_BYTES (64 << 20)
#define MAX_WEIGHT_BYTES (64 << 20)
#define MAX_FAN_IN 65536            /* 65536 * 127 * 255 still fits int32 */
#define MAX_SPEC_BYTES (1 << 20)

enum { KEY_K, KEY_S, KEY_C, KEY_PAD, KEY_ACT, KEY_NAME, KEY_FROM, KEY_T, KEY_B, KEY_L, KEY_R, KEY_AS, KEY_IO, KEY_LAYOUT,
       KEY_IN, N_KEYS };
static const char *const key_names[N_KEYS] = {"k", "s", "c", "pad", "act", "name", "from", "t", "b", "l", "r", "as",
                                              "io", "layout", "in"};
#define BIT(k) (1u << (k))
/* in=NAME: the layer reads NAME's output, not the previous layer's (a
 * branch: a projection on a residual's skip, say). */
#define WINDOW_KEYS (BIT(KEY_K) | BIT(KEY_S) | BIT(KEY_PAD) | BIT(KEY_NAME) | BIT(KEY_IN))

typedef struct {
    const char *word;
    spec_kind kind;
    unsigned allowed, required;
} layer_type;

static const layer_type input_type = {"input", SPEC_INPUT, BIT(KEY_NAME) | BIT(KEY_IO) | BIT(KEY_LAYOUT), 0};

static const layer_type layer_types[] = {
    {"conv", SPEC_CONV, WINDOW_KEYS | BIT(KEY_C) | BIT(KEY_ACT), BIT(KEY_K) | BIT(KEY_C)},
    {"pw", SPEC_CONV, BIT(KEY_S) | BIT(KEY_C) | BIT(KEY_ACT) | BIT(KEY_NAME) | BIT(KEY_IN), BIT(KEY_C)},
    {"dw", SPEC_DEPTHWISE, WINDOW_KEYS | BIT(KEY_C) | BIT(KEY_ACT), BIT(KEY_K)},
    {"avgpool", SPEC_AVGPOOL, WINDOW_KEYS, BIT(KEY_K)},
    {"maxpool", SPEC_MAXPOOL, WINDOW_KEYS, BIT(KEY_K)},
    {"add", SPEC_ADD, BIT(KEY_FROM) | BIT(KEY_ACT) | BIT(KEY_NAME), BIT(KEY_FROM)},
    {"concat", SPEC_CONCAT, BIT(KEY_FROM) | BIT(KEY_NAME), BIT(KEY_FROM)},
    {"mul", SPEC_MUL, BIT(KEY_FROM) | BIT(KEY_NAME), BIT(KEY_FROM)},
    {"gap", SPEC_GLOBAL_POOL, BIT(KEY_NAME) | BIT(KEY_AS), 0},
    {"fc", SPEC_FC, BIT(KEY_C) | BIT(KEY_ACT) | BIT(KEY_NAME), BIT(KEY_C)},
    {"softmax", SPEC_SOFTMAX, BIT(KEY_NAME), 0},
    {"zeropad", SPEC_ZEROPAD, BIT(KEY_T) | BIT(KEY_B) | BIT(KEY_L) | BIT(KEY_R) | BIT(KEY_NAME), 0},
};

enum { PAD_SAME = -1, PAD_VALID = -2 };  /* other values: a PyTorch padding */

/* One line's keys as written, before sizes are derived. */
typedef struct {
    unsigned seen;
    int32_t k[2], s[2], c, pad, act, post_act;
    int32_t pads[4];                /* t, b, l, r */
    int32_t gap_form;               /* SPEC_GAP_* */
    int32_t float_io;               /* input io=float */
    int32_t nchw;                   /* input layout=nchw */
    token name, from, in;
} layer_keys;

typedef struct {
    const char *source;             /* file name for messages, or NULL */
    int line;                       /* 0: the message is about the whole text */
    char *err;
    size_t err_size;
    spec_net net;
    int32_t cap;
    int64_t weight_bytes;
} parser;

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
        snprintf(p->err, p->err_size, "%s%s%s", p->source ? p->source : "", p->source ? ": " : "", msg);
    else if (p->source)
        snprintf(p->err, p->err_size, "%s:%d: %s", p->source, p->line, msg);
    else
        snprintf(p->err, p->err_size, "line %d: %s", p->line, msg);
    return -1;
}

static void shape_str(spec_shape s, char *buf, size_t n)
{
    if (s.h)
        snprintf(buf, n, "%dx%dx%d", s.h, s.w, s.c);
    else
        snprintf(buf, n, "flat (%d values)", s.c);
}

/* ---- Values. */

/* A decimal integer in [lo, hi]. */
static int number(parser *p, const char *what, token t, int32_t lo, int32_t hi, int32_t *v)
{
    char msg[SHOWN_CHARS + 64];
    return token_number(t, lo, hi, v, msg, sizeof msg) ? fail(p, "%s: %s", what, msg) : 0;
}

/* Splits t at each 'x' into at most max parts; returns the count, or
 * max + 1 when there are more. */
static int split_x(token t, token *parts, int max)
{
    int n = 0;
    const char *s = t.p, *end = t.p + t.n;
    for (;;) {
        const char *x = memchr(s, 'x', (size_t)(end - s));
        const char *stop = x ? x : end;
        if (n == max)
            return max + 1;
        parts[n++] = (token){s, (size_t)(stop - s)};
        if (!x)
            return n;
        s = x + 1;
    }
}

/* k= or s=: N, or HxW. */
static int window_value(parser *p, const char *what, token t, int32_t v[2])
{
    char buf[SHOWN_CHARS + 4];
    token parts[2];
    int n = split_x(t, parts, 2);
    if (n > 2)
        return fail(p, "%s: '%s' is neither N nor HxW", what, token_show(t, buf));
    if (number(p, what, parts[0], 1, MAX_KERNEL, &v[0]) ||
        number(p, what, parts[n - 1], 1, MAX_KERNEL, &v[1]))
        return -1;
    return 0;
}

static int padding_value(parser *p, token t, int32_t *pad)
{
    if (token_is(t, "same")) {
        *pad = PAD_SAME;
        return 0;
    }
    if (token_is(t, "valid")) {
        *pad = PAD_VALID;
        return 0;
    }
    return number(p, "pad (same, valid or a number)", t, 0, MAX_KERNEL, pad);
}

/* act=: a fused activation, or one written as operators after a linear
 * output (conv, pw, dw and fc only: the layers whose output TFLite
 * requantizes freely). */
static int activation_value(parser *p, const layer_type *type, token t, layer_keys *k)
{
    /* In the order of SPEC_POST_HARD_SWISH and after. */
    static const char *const post_words[] = {"hardswish", "logistic", "hardsigmoid"};
    char buf[SHOWN_CHARS + 4], msg[SHOWN_CHARS + 64];
    for (int32_t i = 0; i < 3; i++) {
        if (!token_is(t, post_words[i]))
            continue;
        if (type->kind != SPEC_CONV && type->kind != SPEC_DEPTHWISE && type->kind != SPEC_FC)
            return fail(p, "%s: act=%s applies only to conv, pw, dw and fc", type->word, post_words[i]);
        k->post_act = SPEC_POST_HARD_SWISH + i;
        return 0;
    }
    if (token_activation(t, &k->act, msg, sizeof msg) == 0)
        return 0;
    return fail(p, "act: '%s' is not none, relu, relu6, hardswish, logistic or hardsigmoid", token_show(t, buf));
}

/* How the global pool is written, as exporters differ. */
static int gap_form_value(parser *p, token t, int32_t *form)
{
    static const char *const words[] = {"avgpool", "mean", "nchw_wh", "nchw_hw"};
    char buf[SHOWN_CHARS + 4];
    for (int32_t i = 0; i < 4; i++) {
        if (token_is(t, words[i])) {
            *form = i;
            return 0;
        }
    }
    return fail(p, "as: '%s' is not avgpool, mean, nchw_wh or nchw_hw", token_show(t, buf));
}

/* The model's input and output type: int8, or float (QUANTIZE first,
 * DEQUANTIZE last, as converters write when asked for float I/O). */
static int io_value(parser *p, token t, int32_t *float_io)
{
    char buf[SHOWN_CHARS + 4];
    if (token_is(t, "int8") || token_is(t, "float")) {
        *float_io = token_is(t, "float");
        return 0;
    }
    return fail(p, "io: '%s' is not int8 or float", token_show(t, buf));
}

/* The graph input's layout: NHWC, or NCHW read through a TRANSPOSE to NHWC
 * (as PyTorch exports write it). */
static int layout_value(parser *p, token t, int32_t *nchw)
{
    char buf[SHOWN_CHARS + 4];
    if (token_is(t, "nhwc") || token_is(t, "nchw")) {
        *nchw = token_is(t, "nchw");
        return 0;
    }
    return fail(p, "layout: '%s' is not nhwc or nchw", token_show(t, buf));
}

static int name_value(parser *p, const char *what, token t, token *name)
{
    char buf[SHOWN_CHARS + 4];
    int ok = t.n > 0 && t.n <= SPEC_NAME_MAX;
    for (size_t i = 0; ok && i < t.n; i++) {
        char ch = t.p[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '-' || ch == '.';
    }
    if (!ok)
        return fail(p, "%s: '%s' is not a name (1 to %d of A-Z a-z 0-9 _ - .)", what, token_show(t, buf),
                    SPEC_NAME_MAX);
    *name = t;
    return 0;
}

static int parse_key(parser *p, const layer_type *type, token t, layer_keys *k)
{
    char buf[SHOWN_CHARS + 4];
    const char *eq = memchr(t.p, '=', t.n);
    if (!eq)
        return fail(p, "%s: expected key=value, got '%s'", type->word, token_show(t, buf));
    token key = {t.p, (size_t)(eq - t.p)}, value = {eq + 1, t.n - key.n - 1};
    int id = 0;
    while (id < N_KEYS && !token_is(key, key_names[id]))
        id++;
    if (id == N_KEYS)
        return fail(p, "%s: unknown key '%s'", type->word, token_show(key, buf));
    if (!(type->allowed & BIT(id)))
        return fail(p, "%s: %s= does not apply to this layer type", type->word, key_names[id]);
    if (k->seen & BIT(id))
        return fail(p, "%s: %s= is given twice", type->word, key_names[id]);
    k->seen |= BIT(id);
    switch (id) {
    case KEY_K: return window_value(p, "k", value, k->k);
    case KEY_S: return window_value(p, "s", value, k->s);
    case KEY_C: return number(p, "c", value, 1, MAX_DIM, &k->c);
    case KEY_PAD: return padding_value(p, value, &k->pad);
    case KEY_ACT: return activation_value(p, type, value, k);
    case KEY_NAME: return name_value(p, "name", value, &k->name);
    case KEY_FROM: return name_value(p, "from", value, &k->from);
    case KEY_AS: return gap_form_value(p, value, &k->gap_form);
    case KEY_IO: return io_value(p, value, &k->float_io);
    case KEY_LAYOUT: return layout_value(p, value, &k->nchw);
    case KEY_IN: return name_value(p, "in", value, &k->in);
    default: return number(p, key_names[id], value, 0, MAX_KERNEL, &k->pads[id - KEY_T]);
    }
}

/* ---- Sizes. */

static const spec_layer *find_name(const parser *p, token name)
{
    for (int32_t i = 0; i < p->net.n; i++)
        if (token_is(name, p->net.layers[i].name))
            return &p->net.layers[i];
    return NULL;
}

static int resolve_padding(parser *p, const layer_type *type, const layer_keys *k, int32_t *padding)
{
    if (k->pad == PAD_SAME || (k->pad > 0 && 2 * k->pad == k->k[0] - 1 && 2 * k->pad == k->k[1] - 1))
        *padding = TFL_PADDING_SAME;
    else if (k->pad == PAD_VALID || k->pad == 0)
        *padding = TFL_PADDING_VALID;
    else
        return fail(p, "%s: pad=%d with k=%dx%d: TFLite pads only by 0 (valid) or (k-1)/2 (same)",
                    type->word, k->pad, k->k[0], k->k[1]);
    return 0;
}

static int window_out(parser *p, const layer_type *type, int32_t in, int32_t k, int32_t s,
                      int32_t padding, int32_t *out)
{
    if (padding == TFL_PADDING_SAME) {
        *out = (in + s - 1) / s;
        return 0;
    }
    if (in < k)
        return fail(p, "%s: a valid window of %d does not fit the input's %d", type->word, k, in);
    *out = (in - k) / s + 1;
    return 0;
}

/* Weights (and int32 biases) of a layer, counted against the model's cap;
 * fan_in is the number of inputs each output value sums. */
static int count_weights(parser *p, const layer_type *type, int64_t fan_in, int64_t weights,
                         int32_t biases)
{
    if (fan_in > MAX_FAN_IN)
        return fail(p, "%s: each output sums %lld inputs, more than %d (the int32 accumulator could "
                    "overflow)", type->word, (long long)fan_in, MAX_FAN_IN);
    p->weight_bytes += weights + 4 * (int64_t)biases;
    if (p->weight_bytes > MAX_WEIGHT_BYTES)
        return fail(p, "the weights exceed %d MiB", MAX_WEIGHT_BYTES >> 20);
    return 0;
}

static int spatial_input(parser *p, const layer_type *type, spec_shape in)
{
    char buf[48];
    if (in.h)
        return 0;
    shape_str(in, buf, sizeof buf);
    return fail(p, "%s needs an HxWxC input, the tensor is %s", type->word, buf);
}

/* conv, pw, dw and the pools. */
static int window_layer(parser *p, const layer_type *type, const layer_keys *k, spec_shape in,
                        spec_layer *l)
{
    int pool = l->kind == SPEC_AVGPOOL || l->kind == SPEC_MAXPOOL;
    l->kh = k->k[0], l->kw = k->k[1];
    l->sh = k->seen & BIT(KEY_S) ? k->s[0] : pool ? l->kh : 1;
    l->sw = k->seen & BIT(KEY_S) ? k->s[1] : pool ? l->kw : 1;
    if (spatial_input(p, type, in) || resolve_padding(p, type, k, &l->padding) ||
        window_out(p, type, in.h, l->kh, l->sh, l->padding, &l->out.h) ||
        window_out(p, type, in.w, l->kw, l->sw, l->padding, &l->out.w))
        return -1;
    int64_t taps = (int64_t)l->kh * l->kw;
    switch (l->kind) {
    case SPEC_CONV:
        l->out.c = k->c;
        return count_weights(p, type, taps * in.c, taps * in.c * k->c, k->c);
    case SPEC_DEPTHWISE:
        l->out.c = k->seen & BIT(KEY_C) ? k->c : in.c;
        if (l->out.c % in.c)
            return fail(p, "dw: c=%d is not a multiple of the input's %d channels", l->out.c, in.c);
        return count_weights(p, type, taps, taps * l->out.c, l->out.c);
    default:
        l->out.c = in.c;
        return 0;
    }
}

/* Whether layer l's output is quantized as a RELU6's (6/255, -128, as the
 * builder writes every act=relu6 output; pools and pads keep their input's,
 * a concat its inputs'). */
static int relu6_quantized(const parser *p, const spec_layer *l)
{
    switch (l->kind) {
    case SPEC_CONV:
    case SPEC_DEPTHWISE:
    case SPEC_ADD: return l->act == MSF_ACT_RELU6;
    case SPEC_AVGPOOL:
    case SPEC_MAXPOOL:
    case SPEC_ZEROPAD: return relu6_quantized(p, &p->net.layers[l->input]);
    case SPEC_CONCAT: return 1;
    case SPEC_MUL: return relu6_quantized(p, &p->net.layers[l->from]);
    default: return 0;
    }
}

/* mul from=X: the map X times the current tensor, a vector of one value
 * per channel of X (1x1xC, or flat as after an fc), broadcast over X's
 * rows and columns: the MUL that ends a squeeze-excite block. */
static int mul_sizes(parser *p, const layer_keys *k, spec_shape in, spec_layer *l)
{
    char buf[SHOWN_CHARS + 4], a[48];
    const spec_layer *from = find_name(p, k->from);
    if (!from)
        return fail(p, "mul: no earlier layer is named '%s'", token_show(k->from, buf));
    if (!from->out.h) {
        shape_str(from->out, a, sizeof a);
        return fail(p, "mul: '%s' is %s, not an HxWxC map", from->name, a);
    }
    if (in.h > 1 || in.w > 1) {
        shape_str(in, a, sizeof a);
        return fail(p, "mul: the current tensor is %s, not a per-channel vector (1x1xC or flat)", a);
    }
    if (in.c != from->out.c)
        return fail(p, "mul: '%s' has %d channels, the current vector %d", from->name, from->out.c, in.c);
    l->from = (int32_t)(from - p->net.layers);
    l->out = from->out;
    return 0;
}

static int add_layer_sizes(parser *p, const layer_type *type, const layer_keys *k, spec_layer *l)
{
    char buf[SHOWN_CHARS + 4], a[48], b[48];
    spec_shape in = p->net.layers[l->input].out;
    switch (l->kind) {
    case SPEC_ADD: {
        const spec_layer *from = find_name(p, k->from);
        if (!from)
            return fail(p, "add: no earlier layer is named '%s'", token_show(k->from, buf));
        if (from->out.h != in.h || from->out.w != in.w || from->out.c != in.c) {
            shape_str(from->out, a, sizeof a);
            shape_str(in, b, sizeof b);
            return fail(p, "add: '%s' is %s, the current tensor %s", from->name, a, b);
        }
        l->from = (int32_t)(from - p->net.layers);
        l->out = in;
        return 0;
    }
    case SPEC_CONCAT: {
        const spec_layer *from = find_name(p, k->from);
        if (!from)
            return fail(p, "concat: no earlier layer is named '%s'", token_show(k->from, buf));
        if (!from->out.h || !in.h || from->out.h != in.h || from->out.w != in.w) {
            shape_str(from->out, a, sizeof a);
            shape_str(in, b, sizeof b);
            return fail(p, "concat: '%s' is %s, the current tensor %s (maps of one height and width)", from->name, a,
                        b);
        }
        if (!relu6_quantized(p, from) || !relu6_quantized(p, &p->net.layers[l->input]))
            return fail(p, "concat: '%s' and the current tensor must both come from act=relu6 layers (TFLite's "
                           "CONCATENATION needs one quantization; RELU6 outputs share 6/255)", from->name);
        if (from->out.c + in.c > MAX_DIM)
            return fail(p, "concat: %d channels, more than %d", from->out.c + in.c, MAX_DIM);
        l->from = (int32_t)(from - p->net.layers);
        l->out = (spec_shape){in.h, in.w, from->out.c + in.c};
        return 0;
    }
    case SPEC_MUL:
        return mul_sizes(p, k, in, l);
    case SPEC_GLOBAL_POOL:
        l->kh = l->sh = in.h, l->kw = l->sw = in.w;
        l->padding = TFL_PADDING_VALID;
        l->gap_form = k->gap_form;
        /* The transposed forms end flat: [1, C]. */
        l->out = k->gap_form >= SPEC_GAP_NCHW_WH ? (spec_shape){0, 0, in.c} : (spec_shape){1, 1, in.c};
        return spatial_input(p, type, in);
    case SPEC_FC: {
        int64_t fan_in = (int64_t)(in.h ? in.h * in.w : 1) * in.c;
        l->out = (spec_shape){0, 0, k->c};
        return count_weights(p, type, fan_in, fan_in * k->c, k->c);
    }
    case SPEC_SOFTMAX:
        l->out = in;
        return 0;
    case SPEC_ZEROPAD:
        memcpy(l->pads, k->pads, sizeof l->pads);
        l->out = (spec_shape){in.h + k->pads[0] + k->pads[1], in.w + k->pads[2] + k->pads[3], in.c};
        return spatial_input(p, type, in);
    default:
        return window_layer(p, type, k, in, l);
    }
}

static int input_sizes(parser *p, token shape, spec_layer *l)
{
    char buf[SHOWN_CHARS + 4];
    token parts[3];
    if (split_x(shape, parts, 3) != 3)
        return fail(p, "input: expected HxWxC, got '%s'", token_show(shape, buf));
    if (number(p, "input height", parts[0], 1, MAX_DIM, &l->out.h) ||
        number(p, "input width", parts[1], 1, MAX_DIM, &l->out.w) ||
        number(p, "input channels", parts[2], 1, MAX_DIM, &l->out.c))
        return -1;
    return 0;
}

/* Appends the layer of one line, its sizes derived and checked. */
static int add_layer(parser *p, const layer_type *type, token shape, const layer_keys *k)
{
    char buf[SHOWN_CHARS + 4];
    if (p->net.n > MAX_LAYERS)
        return fail(p, "more than %d layers", MAX_LAYERS);
    if (p->net.n == p->cap) {
        int32_t cap = p->cap ? 2 * p->cap : 64;
        spec_layer *grown = realloc(p->net.layers, (size_t)cap * sizeof *grown);
        if (!grown)
            return fail(p, "out of memory");
        p->net.layers = grown;
        p->cap = cap;
    }
    spec_layer *l = &p->net.layers[p->net.n];
    memset(l, 0, sizeof *l);
    l->kind = type->kind;
    l->line = p->line;
    l->act = k->act;
    l->post_act = k->post_act;
    l->float_io = k->float_io;
    l->nchw = k->nchw;
    if (k->seen & BIT(KEY_NAME)) {
        const spec_layer *same = find_name(p, k->name);
        if (same)
            return fail(p, "name '%s' is already used on line %d", same->name, same->line);
        memcpy(l->name, k->name.p, k->name.n);
    }
    l->input = p->net.n - 1;
    if (k->seen & BIT(KEY_IN)) {
        const spec_layer *in = find_name(p, k->in);
        if (!in)
            return fail(p, "%s: in: no earlier layer is named '%s'", type->word, token_show(k->in, buf));
        l->input = (int32_t)(in - p->net.layers);
    }
    if (type->kind == SPEC_INPUT ? input_sizes(p, shape, l) : add_layer_sizes(p, type, k, l))
        return -1;
    int64_t bytes = (int64_t)(l->out.h ? l->out.h * (int64_t)l->out.w : 1) * l->out.c;
    if (bytes > MAX_ACTIVATION_BYTES) {
        shape_str(l->out, buf, sizeof buf);
        return fail(p, "%s: the output %s is larger than %d MiB", type->word, buf,
                    MAX_ACTIVATION_BYTES >> 20);
    }
    p->net.n++;
    return 0;
}

static const layer_type *find_type(parser *p, token word)
{
    char buf[SHOWN_CHARS + 4];
    if (token_is(word, "input")) {
        if (p->net.n == 0)
            return &input_type;
        fail(p, "a second input line (the first is line %d)", p->net.layers[0].line);
        return NULL;
    }
    if (p->net.n == 0) {
        fail(p, "expected 'input HxWxC' first, got '%s'", token_show(word, buf));
        return NULL;
    }
    for (size_t i = 0; i < sizeof layer_types / sizeof layer_types[0]; i++)
        if (token_is(word, layer_types[i].word))
            return &layer_types[i];
    fail(p, "unknown layer type '%s'", token_show(word, buf));
    return NULL;
}

static int parse_line(parser *p, const char *s, const char *end)
{
    token word, shape = {NULL, 0}, t;
    if (!next_token(&s, end, &word))
        return 0;
    const layer_type *type = find_type(p, word);
    if (!type)
        return -1;
    if (type->kind == SPEC_INPUT && !next_token(&s, end, &shape))
        return fail(p, "input: the shape HxWxC is missing");
    layer_keys k = {.pad = PAD_SAME, .act = MSF_ACT_NONE, .k = {1, 1}};
    while (next_token(&s, end, &t))
        if (parse_key(p, type, t, &k))
            return -1;
    for (int id = 0; id < N_KEYS; id++)
        if ((type->required & BIT(id)) && !(k.seen & BIT(id)))
            return fail(p, "%s: %s= is missing", type->word, key_names[id]);
    return add_layer(p, type, shape, &k);
}

static int parse(parser *p, const char *text, size_t len)
{
    if (len > MAX_SPEC_BYTES)
        return fail(p, "larger than %d bytes", MAX_SPEC_BYTES);
    const char *s = text, *end = text + len;
    while (s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        const char *stop = eol ? eol : end;
        const char *hash = memchr(s, '#', (size_t)(stop - s));
        p->line++;
        if (parse_line(p, s, hash ? hash : stop))
            return -1;
        s = eol ? eol + 1 : end;
    }
    p->line = 0;
    if (p->net.n == 0)
        return fail(p, "no 'input HxWxC' line");
    if (p->net.n == 1)
        return fail(p, "no layers after the input");
    return 0;
}

static int spec_build(const char *source, const char *text, size_t len, uint8_t **tflite,
                      size_t *size, char *err, size_t err_size)
{
    parser p = {.source = source, .err = err, .err_size = err_size};
    *tflite = NULL;
    *size = 0;
    int rc = parse(&p, text, len);
    if (rc == 0) {
        *tflite = spec_write_tflite(&p.net, size);
        rc = *tflite ? 0 : fail(&p, "out of memory");
    }
    free(p.net.layers);
    return rc;
}

int spec_read(const char *text, size_t len, spec_net *net, char *err, size_t err_size)
{
    parser p = {.err = err, .err_size = err_size};
    int rc = parse(&p, text, len);
    if (rc != 0) {
        free(p.net.layers);
        p.net = (spec_net){NULL, 0};
    }
    *net = p.net;
    return rc;
}

int spec_to_tflite(const char *text, size_t len, uint8_t **tflite, size_t *size, char *err,
                   size_t err_size)
{
    return spec_build(NULL, text, len, tflite, size, err, err_size);
}

int spec_file_to_tflite(const char *path, uint8_t **tflite, size_t *size, char *err,
                        size_t err_size)
{
    uint8_t *text;
    size_t len;
    *tflite = NULL;
    *size = 0;
    if (read_whole_file(path, MAX_SPEC_BYTES, &text, &len, err, err_size))
        return -1;
    int rc = spec_build(path, (const char *)text, len, tflite, size, err, err_size);
    free(text);
    return rc;
}

int graph_load_spec(const char *path, msf_graph *g, char *err, size_t err_size)
{
    memset(g, 0, sizeof *g);
    uint8_t *file;
    size_t size;
    if (spec_file_to_tflite(path, &file, &size, err, err_size))
        return -1;
    if (graph_from_tflite(file, size, g, err, err_size) == 0)
        return 0;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err);
    snprintf(err, err_size, "%s: %s", path, msg);
    return -1;
}

/* The one entry point for a MODEL argument: specs by their extension. */
int graph_load(const char *path, msf_graph *g, char *err, size_t err_size)
{
    size_t n = strlen(path);
    if (n > 5 && strcmp(path + n - 5, ".spec") == 0)
        return graph_load_spec(path, g, err, err_size);
    return graph_load_file(path, g, err, err_size);
}

void spec_lcg_fill(uint8_t *bytes, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        bytes[i] = (uint8_t)(spec_lcg_next(&seed) & 0xff);
}
