/* Small random networks through every check of test_fused_exact: odd sizes
 * (3..17, 1x1 maps after strides), kernels 1..7 (not square, larger than
 * the map with SAME padding), strides 1..3 (larger than kernels), SAME and
 * VALID, explicit zero pads (wider than the map), depthwise multipliers,
 * residual adds, pools, and a global pool (each way it is written) or a
 * flatten into a classifier; float I/O and NCHW inputs; from seed
 * BRANCH_SEEDS on, branches too: residual stages whose skip is the fork
 * itself or a 1x1 / 3x3 convolution or a pool on it (in=), joined by an
 * ADD, and two branches joined by a CONCATENATION along channels; from
 * seed SE_SEEDS on, squeeze-excite stages too (a map, its mean, a gate of
 * each activation exporters write, the MUL of the map by it) and HARD_SWISH
 * after layers, which fused blocks run pixel by pixel. Every
 * P1 / P2 plan, and every fusible block on its own, with the input held,
 * streamed, a row at a time, and the output streamed: bytes equal to
 * layer-by-layer, high-water = planned arena,
 * counted MACs = planned MACs; plans with in-place steps (residual ADDs,
 * convolutions, depthwise convolutions and pools of stride 1 through a ring
 * of rows) must be among them. The generator is a fixed LCG, so a failure
 * names a seed and prints its spec. */
#include <stdarg.h>

#include "fused_check.h"
#include "spec_reader.h"

#define MODELS 240
#define BRANCH_SEEDS 10001u
#define BRANCH_MODELS 120
#define SE_SEEDS 20001u
#define SE_MODELS 60
#define MAX_LAYERS 16

typedef struct {
    uint32_t x;
} lcg;

static uint32_t draw(lcg *r, uint32_t n)
{
    r->x = (1103515245u * r->x + 12345u) & 0x7fffffffu;
    return (r->x >> 16) % n;
}

typedef struct {
    char text[4096];
    size_t len;
    int32_t h[MAX_LAYERS + 8], w[MAX_LAYERS + 8], c[MAX_LAYERS + 8]; /* h = 0: flat */
    int32_t n;                                                       /* layers L0 .. L(n-1) */
} spec_text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void line(spec_text *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(s->text + s->len, sizeof s->text - s->len, fmt, ap);
    va_end(ap);
    if (k > 0 && s->len + (size_t)k < sizeof s->text)
        s->len += (size_t)k;
    k = snprintf(s->text + s->len, sizeof s->text - s->len, " name=L%d\n", s->n);
    if (k > 0 && s->len + (size_t)k < sizeof s->text)
        s->len += (size_t)k;
}

static int32_t out_size(int32_t in, int32_t k, int32_t st, int valid)
{
    return valid ? (in - k) / st + 1 : (in + st - 1) / st;
}

static const char *act_name(lcg *r)
{
    static const char *acts[] = {"none", "relu", "relu6"};
    return acts[draw(r, 3)];
}

/* One window layer (conv, dw, pools) on the current map. */
static void window_layer(lcg *r, spec_text *s, const char *type, int pool)
{
    int32_t i = s->n - 1, h = s->h[i], w = s->w[i], c = s->c[i];
    int32_t kh = 1 + (int32_t)draw(r, pool ? 4 : 7), kw = draw(r, 3) ? kh : 1 + (int32_t)draw(r, pool ? 4 : 7);
    int32_t sh = 1 + (int32_t)draw(r, 3), sw = draw(r, 3) ? sh : 1 + (int32_t)draw(r, 3);
    int valid = kh <= h && kw <= w && draw(r, 3) == 0;
    int32_t oc = c;
    char extra[32] = "";
    if (strcmp(type, "conv") == 0) {
        oc = 1 + (int32_t)draw(r, 8);
        snprintf(extra, sizeof extra, " c=%d act=%s", oc, act_name(r));
    } else if (strcmp(type, "dw") == 0) {
        oc = c * (draw(r, 3) == 0 ? 2 : 1);
        snprintf(extra, sizeof extra, " c=%d act=%s", oc, act_name(r));
    }
    line(s, "%s k=%dx%d s=%dx%d pad=%s%s", type, kh, kw, sh, sw, valid ? "valid" : "same", extra);
    s->h[s->n] = out_size(h, kh, sh, valid);
    s->w[s->n] = out_size(w, kw, sw, valid);
    s->c[s->n++] = oc;
}

/* An earlier layer of the current shape (not the current one), or -1. */
static int32_t same_shape(lcg *r, const spec_text *s)
{
    int32_t i = s->n - 1, found[MAX_LAYERS + 8], n = 0;
    for (int32_t j = 0; j < i; j++)
        if (s->h[j] && s->h[j] == s->h[i] && s->w[j] == s->w[i] && s->c[j] == s->c[i])
            found[n++] = j;
    return n ? found[draw(r, (uint32_t)n)] : -1;
}

/* A residual stage on the current map (the fork): a main branch of one or
 * two window layers, a skip that is the fork itself when the main branch
 * keeps its shape, else a convolution or a pool reading the fork (in=) to
 * the main branch's shape, and the ADD joining them. */
static void branch_stage(lcg *r, spec_text *s)
{
    int32_t fork = s->n - 1, h = s->h[fork], w = s->w[fork];
    int32_t st = 1 + (int32_t)draw(r, 2), k = 1 + 2 * (int32_t)draw(r, 2), oc = 1 + (int32_t)draw(r, 8);
    line(s, "conv k=%d s=%d c=%d act=%s", k, st, oc, act_name(r));
    s->h[s->n] = out_size(h, k, st, 0), s->w[s->n] = out_size(w, k, st, 0), s->c[s->n++] = oc;
    if (draw(r, 2)) {
        line(s, "dw k=3 act=relu6");
        s->h[s->n] = s->h[s->n - 1], s->w[s->n] = s->w[s->n - 1], s->c[s->n] = oc, s->n++;
    }
    int32_t main_end = s->n - 1;
    int32_t skip = fork;
    if (st > 1 || oc != s->c[fork] || draw(r, 2)) {
        switch (draw(r, 3)) {
        case 0: line(s, "pw c=%d s=%d in=L%d", oc, st, fork); break;
        case 1: line(s, "conv k=3 s=%d c=%d in=L%d", st, oc, fork); break;
        default:
            if (oc != s->c[fork]) {
                line(s, "pw c=%d s=%d in=L%d", oc, st, fork);
                break;
            }
            line(s, "avgpool k=3 s=%d pad=same in=L%d", st, fork);
            break;
        }
        s->h[s->n] = s->h[main_end], s->w[s->n] = s->w[main_end], s->c[s->n++] = oc;
        skip = s->n - 1;
    }
    /* The ADD joins the current tensor and from=: the skip if it is the
     * current one, else the main branch (read from the fork's side). */
    line(s, "add from=L%d act=%s", skip == s->n - 1 ? main_end : skip, act_name(r));
    s->h[s->n] = s->h[main_end], s->w[s->n] = s->w[main_end], s->c[s->n++] = oc;
}

/* A squeeze-excite stage on the current map X: X's mean, a 1x1 reduction,
 * a 1x1 expansion gated by hard-sigmoid (as converters write it) or
 * LOGISTIC, then X times the gate, channel by channel (mul from=X). */
static void se_stage(lcg *r, spec_text *s)
{
    int32_t x = s->n - 1, c = s->c[x];
    line(s, "gap as=%s", draw(r, 2) ? "mean" : "avgpool");
    s->h[s->n] = 1, s->w[s->n] = 1, s->c[s->n++] = c;
    int32_t squeeze = c > 1 ? c / 2 : 1;
    line(s, "pw c=%d act=relu", squeeze);
    s->h[s->n] = 1, s->w[s->n] = 1, s->c[s->n++] = squeeze;
    line(s, "pw c=%d act=%s", c, draw(r, 2) ? "hardsigmoid" : "logistic");
    s->h[s->n] = 1, s->w[s->n] = 1, s->c[s->n++] = c;
    line(s, "mul from=L%d", x);
    s->h[s->n] = s->h[x], s->w[s->n] = s->w[x], s->c[s->n++] = c;
}

/* Two branches from one fork joined along channels: a convolution, and a
 * depthwise convolution or a max pool reading the fork (in=), each at
 * RELU6's quantization as the CONCATENATION needs. */
static void concat_stage(lcg *r, spec_text *s)
{
    int32_t fork = s->n, h = s->h[fork - 1], w = s->w[fork - 1], c = 1 + (int32_t)draw(r, 6);
    line(s, "pw c=%d act=relu6", c);
    s->h[s->n] = h, s->w[s->n] = w, s->c[s->n++] = c;
    int32_t oc = 1 + (int32_t)draw(r, 6), k = 1 + 2 * (int32_t)draw(r, 2);
    line(s, "conv k=%d c=%d act=relu6", k, oc);
    s->h[s->n] = h, s->w[s->n] = w, s->c[s->n++] = oc;
    int32_t first = s->n - 1;
    if (draw(r, 2))
        line(s, "dw k=3 act=relu6 in=L%d", fork);
    else
        line(s, "maxpool k=3 s=1 pad=same in=L%d", fork);
    s->h[s->n] = h, s->w[s->n] = w, s->c[s->n++] = c;
    line(s, "concat from=L%d", first);
    s->h[s->n] = h, s->w[s->n] = w, s->c[s->n++] = oc + c;
}

static void generate(uint32_t seed, spec_text *s)
{
    lcg r = {seed};
    memset(s, 0, sizeof *s);
    int32_t h = 1 + (int32_t)draw(&r, 17), w = draw(&r, 4) ? 1 + (int32_t)draw(&r, 17) : h;
    int32_t c = 1 + (int32_t)draw(&r, 4);
    /* Every fourth model has float I/O (a QUANTIZE first, a DEQUANTIZE last),
     * every third an NCHW input (a TRANSPOSE to NHWC first), chosen without
     * a draw so that the others stay as they were. */
    line(s, "input %dx%dx%d%s%s", h, w, c, seed % 4 == 0 ? " io=float" : "", seed % 3 == 0 ? " layout=nchw" : "");
    s->h[0] = h, s->w[0] = w, s->c[0] = c, s->n = 1;
    int32_t layers = 2 + (int32_t)draw(&r, 9);
    int branches = seed >= BRANCH_SEEDS, se = seed >= SE_SEEDS;
    while (s->n < layers) {
        int32_t i = s->n - 1;
        switch (draw(&r, se ? 17 : branches ? 15 : 12)) {
        case 0:
        case 1: window_layer(&r, s, "conv", 0); break;
        case 2:
            s->c[s->n] = 1 + (int32_t)draw(&r, 8);
            line(s, "pw c=%d act=%s", s->c[s->n], act_name(&r));
            s->h[s->n] = s->h[i], s->w[s->n++] = s->w[i];
            break;
        case 3:
        case 4: window_layer(&r, s, "dw", 0); break;
        case 5: window_layer(&r, s, "avgpool", 1); break;
        case 6: window_layer(&r, s, "maxpool", 1); break;
        case 7: {
            int32_t t = (int32_t)draw(&r, 5), b = (int32_t)draw(&r, 3), l = (int32_t)draw(&r, 5),
                    rt = (int32_t)draw(&r, 3);
            if (s->h[i] + t + b > 24 || s->w[i] + l + rt > 24)
                break;
            line(s, "zeropad t=%d b=%d l=%d r=%d", t, b, l, rt);
            s->h[s->n] = s->h[i] + t + b, s->w[s->n] = s->w[i] + l + rt, s->c[s->n++] = s->c[i];
            break;
        }
        case 8: {
            /* A residual: shape-keeping layers, then the add. */
            int32_t from = i;
            line(s, "dw k=%d act=relu6", 1 + 2 * (int32_t)draw(&r, 3));
            s->h[s->n] = s->h[i], s->w[s->n] = s->w[i], s->c[s->n++] = s->c[i];
            if (draw(&r, 2)) {
                line(s, "pw c=%d", s->c[i]);
                s->h[s->n] = s->h[i], s->w[s->n] = s->w[i], s->c[s->n++] = s->c[i];
            }
            line(s, "add from=L%d act=%s", from, act_name(&r));
            s->h[s->n] = s->h[i], s->w[s->n] = s->w[i], s->c[s->n++] = s->c[i];
            break;
        }
        case 12:
        case 13:
            if (s->h[i] && s->n + 4 < MAX_LAYERS)
                branch_stage(&r, s);
            break;
        case 14:
            if (s->h[i] && s->n + 4 < MAX_LAYERS)
                concat_stage(&r, s);
            break;
        case 15:
            if (s->h[i] && s->n + 4 < MAX_LAYERS)
                se_stage(&r, s);
            break;
        case 16:
            s->c[s->n] = 1 + (int32_t)draw(&r, 8);
            line(s, "%s c=%d act=hardswish", draw(&r, 2) ? "pw" : "conv k=3", s->c[s->n]);
            s->h[s->n] = s->h[i], s->w[s->n++] = s->w[i];
            break;
        default: {
            int32_t from = same_shape(&r, s);
            if (from < 0)
                break;
            line(s, "add from=L%d", from);
            s->h[s->n] = s->h[i], s->w[s->n] = s->w[i], s->c[s->n++] = s->c[i];
            break;
        }
        }
    }
    static const char *gap_as[] = {"avgpool", "mean", "nchw_wh", "nchw_hw"};
    switch (draw(&r, 4)) {
    case 0: break;
    case 1: line(s, "gap as=%s", gap_as[draw(&r, 4)]), s->n++; break;
    case 2:
        line(s, "gap as=%s", gap_as[draw(&r, 4)]), s->n++;
        line(s, "fc c=%d", 1 + (int32_t)draw(&r, 6)), s->n++;
        line(s, "softmax"), s->n++;
        break;
    default:
        line(s, "fc c=%d act=%s", 1 + (int32_t)draw(&r, 6), act_name(&r)), s->n++;
        if (draw(&r, 2))
            line(s, "fc c=%d", 1 + (int32_t)draw(&r, 6)), s->n++;
        break;
    }
}

int main(int argc, char **argv)
{
    /* With arguments: those seeds only, with their specs printed. */
    uint32_t first = 1, count = MODELS;
    if (argc > 1) {
        first = (uint32_t)strtoul(argv[1], NULL, 0);
        count = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 1;
    }
    fused_check_every_block = 1;
    fused_check_quiet = argc <= 1;
    fused_check_layout_slack = 1;
    int models = 0, refused = 0, chain_over_bound = 0;
    /* Without arguments, the branched models follow the others, then those
     * with squeeze-excite. */
    uint32_t total = argc > 1 ? count : count + BRANCH_MODELS + SE_MODELS;
    for (uint32_t i = 0; i < total; i++) {
        uint32_t seed = i < count                   ? first + i
                        : i < count + BRANCH_MODELS ? BRANCH_SEEDS + (i - count)
                                                    : SE_SEEDS + (i - count - BRANCH_MODELS);
        spec_text s;
        generate(seed, &s);
        uint8_t *tflite;
        size_t size;
        char err[512], name[32];
        if (spec_to_tflite(s.text, s.len, &tflite, &size, err, sizeof err) != 0) {
            refused++; /* e.g. a classifier over too many inputs */
            if (argc > 1) fprintf(stderr, "seed %u refused: %s\n%s", seed, err, s.text);
            continue;
        }
        msf_graph g;
        if (graph_from_tflite(tflite, size, &g, err, sizeof err) != 0) {
            fprintf(stderr, "seed %u: %s\n%s", seed, err, s.text);
            CHECK(0);
            continue;
        }
        snprintf(name, sizeof name, "seed %u", seed);
        int failed = check_failed;
        /* The layout reaches the search's bound on networks without
         * branches, so there the solvers' plans must be the best laid out
         * of all paths. With a skip branch's tensors alive across several
         * steps the layout's heuristics can miss it (counted, printed). */
        fused_check_brute_force = seed < BRANCH_SEEDS;
        int over_bound = fused_check_over_bound;
        if (argc > 1)
            printf("%s:\n%s", name, s.text);
        run_model(name, &g);
        if (seed < BRANCH_SEEDS)
            chain_over_bound += fused_check_over_bound - over_bound;
        if (check_failed != failed)
            fprintf(stderr, "seed %u failed; its spec:\n%s\n", seed, s.text);
        graph_free(&g);
        models++;
    }
    printf("%d random models checked (%d specs refused); solver plans laid out above the search's bound: %d without "
           "branches, %d with; %d graphs (model and streaming) checked against every path laid out; %d plans with "
           "in-place steps, %d of them window operators through a ring; %d plans with a block writing its output "
           "over its input; %d with a pixel operator fused\n",
           models, refused, chain_over_bound, fused_check_over_bound - chain_over_bound, fused_check_brute_forced,
           fused_check_inplace_plans, fused_check_ring_plans, fused_check_over_input_plans, fused_check_pixel_plans);
    CHECK(models >= (int)total * 9 / 10);
    CHECK(argc > 1 ||
          (fused_check_inplace_plans > 0 && fused_check_ring_plans > 0 && fused_check_over_input_plans > 0 &&
           fused_check_pixel_plans > 0));
    return check_summary();
}
