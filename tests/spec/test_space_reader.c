/* Search spaces (import/space_reader.h): the bundled space reads as its
 * sources say; every bad line is refused with its line number; channels
 * follow make_divisible; network i of a seed is always the same text and
 * a valid spec; and the zero-weight image msf space plans from equals the
 * real one in everything but the weights. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "graph.h"
#include "space_reader.h"
#include "spec_net.h"
#include "spec_reader.h"

#define BUNDLED MSF_SOURCE_DIR "/models/mcunet-mobile.space"

typedef struct {
    const char *text;
    const char *says; /* the whole message, "line N: ..." */
} bad_space;

#define HEAD "width 0.5\nresolution 64\n"

static const bad_space bad_spaces[] = {
    {"", "space: no width line"},
    {"width 0.5\npw c=8\n", "space: no resolution line"},
    {HEAD, "space: no layers"},
    {HEAD "convv k=3\n", "line 3: unknown line type 'convv'"},
    {"width 0.5 0.5\n", "line 1: width: values must ascend, each once"},
    {"width 5\n", "line 1: width: '5' out of range (0.01..4)"},
    {"width 0.125\n", "line 1: width: '0.125' is not a multiplier such as 0.5 or 1.25 (0.01..4)"},
    {"width 0.00\n", "line 1: width: '0.00' out of range (0.01..4)"},
    {"width .5\n", "line 1: width: '.5' is not a multiplier such as 0.5 or 1.25 (0.01..4)"},
    {"width 1.\n", "line 1: width: '1.' is not a multiplier such as 0.5 or 1.25 (0.01..4)"},
    {"width\n", "line 1: width needs at least one value"},
    {"width 0.5\nwidth 0.6\n", "line 2: width given twice"},
    {"resolution 4\n", "line 1: resolution: '4' out of range (8..512)"},
    {"resolution 1000000000000\n", "line 1: resolution: '1000000000000' out of range (8..512)"},
    {"resolution 64 x\n", "line 1: resolution: 'x' is not a number"},
    {"divisor 0\n", "line 1: divisor: '0' out of range (1..64)"},
    {"divisor 8 8\n", "line 1: divisor takes one value"},
    {"input 3\n", "line 1: input takes c=CHANNELS"},
    {"input c=17\n", "line 1: input c: '17' out of range (1..16)"},
    {HEAD "pw c=8\nwidth 0.6\n", "line 4: width must come before the first layer"},
    {HEAD "pw\n", "line 3: pw needs c="},
    {HEAD "pw c=8 k=3\n", "line 3: pw does not take 'k'"},
    {HEAD "pw c=8 c=8\n", "line 3: c given twice"},
    {HEAD "pw c=4096\n", "line 3: c: '4096' out of range (1..2048)"},
    {HEAD "pw c=8 act=gelu\n", "line 3: act: 'gelu' is not none, relu or relu6"},
    {HEAD "pw c=8 scale=yes\n", "line 3: scale: 'yes' is not w or no"},
    {HEAD "conv c=8 s=2\n", "line 3: conv needs k="},
    {HEAD "dw k=9\n", "line 3: k: '9' out of range (1..7)"},
    {HEAD "stage c=8 s=2 k=3 e=3\n", "line 3: stage needs depth="},
    {HEAD "stage c=8 s=2 depth=2,3 k=3,3 e=3\n", "line 3: k: values must ascend, each once"},
    {HEAD "stage c=8 s=2 depth=13 k=3 e=3\n", "line 3: depth: '13' out of range (1..12)"},
    {HEAD "stage c=8 s=2 depth=2, k=3 e=3\n", "line 3: depth: a number is missing"},
    {HEAD "stage c=8 s=2 depth=1,2,3,4,5,6,7,8,9,10,11,12 k=3 e=3,4,5,6,7,8,9\n",
     "line 3: e: '9' out of range (1..8)"},
    {HEAD "pw c=8 name=x\n", "line 3: pw does not take 'name'"},
    {HEAD "pw c=8 junk\n", "line 3: 'junk' is not key=value"},
    {HEAD "pw c=8\n\0pw c=8\n", "line 4: a NUL byte"},
};

static void check_bad_spaces(void)
{
    for (size_t i = 0; i < sizeof bad_spaces / sizeof bad_spaces[0]; i++) {
        const bad_space *b = &bad_spaces[i];
        size_t len = strlen(b->text);
        if (strstr(b->says, "NUL"))
            len = strlen(b->text) + 1 + strlen(b->text + strlen(b->text) + 1);
        msf_space s;
        char err[512] = "";
        int rc = space_read(NULL, b->text, len, &s, err, sizeof err);
        CHECK(rc == -1);
        if (strcmp(err, b->says) != 0)
            fprintf(stderr, "bad space %zu: got '%s', expected '%s'\n", i, err, b->says);
        CHECK(strcmp(err, b->says) == 0);
    }
}

/* Too many layers, and a space whose largest network no spec can hold. */
static void check_limits(void)
{
    char text[4096] = HEAD, err[512];
    msf_space s;
    for (int i = 0; i < SPACE_MAX_LAYERS + 1; i++)
        strcat(text, "gap\n");
    CHECK(space_read(NULL, text, strlen(text), &s, err, sizeof err) == -1);
    CHECK(strcmp(err, "line 67: more than 64 layers") == 0);
    const char *wide = "width 4\nresolution 512\nstage c=2048 s=1 depth=12 k=7 e=8\n";
    CHECK(space_read("wide.space", wide, strlen(wide), &s, err, sizeof err) == 0);
    CHECK(space_check(&s, err, sizeof err) == -1);
    CHECK(strstr(err, "the largest network of the space") != NULL);
}

static void check_bundled(void)
{
    msf_space s;
    char err[512];
    CHECK(space_read_file(BUNDLED, &s, err, sizeof err) == 0);
    CHECK_EQ_INT(s.n_widths, 9);
    CHECK_EQ_INT(s.n_resolutions, 12);
    CHECK_EQ_INT(s.widths[0], 20);
    CHECK_EQ_INT(s.resolutions[11], 224);
    CHECK_EQ_INT(s.n_layers, 12);
    CHECK_EQ_INT(s.layers[3].kind, SPACE_STAGE);
    CHECK_EQ_INT(s.layers[3].depth.n, 3);
    CHECK_EQ_INT(s.layers[8].depth.n, 1);
    CHECK_EQ_INT(s.layers[9].scaled, 0);
    CHECK(space_check(&s, err, sizeof err) == 0);
}

/* make_divisible as the reference implementations compute it. */
static void check_channels(void)
{
    CHECK_EQ_INT(space_channels(32, 20, 8), 8);    /* 6.4 -> 8 (at least the divisor) */
    CHECK_EQ_INT(space_channels(16, 20, 8), 8);    /* 3.2 -> 8 */
    CHECK_EQ_INT(space_channels(24, 50, 8), 16);   /* 12 -> 16 (half rounds up) */
    CHECK_EQ_INT(space_channels(40, 50, 8), 24);   /* 20 -> 24 */
    CHECK_EQ_INT(space_channels(96, 35, 8), 32);   /* 33.6 -> 32 */
    CHECK_EQ_INT(space_channels(320, 100, 8), 320);
    CHECK_EQ_INT(space_channels(80, 30, 8), 24);   /* 24 */
    CHECK_EQ_INT(space_channels(100, 9, 16), 16);  /* 9 -> 16 */
    CHECK_EQ_INT(space_channels(190, 10, 16), 32); /* 19 -> 16, below 90% of 19: 32 */
}

/* Same seed and index: same text; another index or seed: another network
 * (the bundled space has 3.3e22 of them). Every one is a valid spec. */
static void check_sampling(void)
{
    msf_space s;
    char err[512];
    CHECK(space_read_file(BUNDLED, &s, err, sizeof err) == 0);
    size_t la, lb, lc, ld;
    char *a = space_network_spec(&s, 50, 144, 1, 17, NULL, &la);
    char *b = space_network_spec(&s, 50, 144, 1, 17, NULL, &lb);
    char *c = space_network_spec(&s, 50, 144, 1, 18, NULL, &lc);
    char *d = space_network_spec(&s, 50, 144, 2, 17, NULL, &ld);
    CHECK(a && b && c && d);
    CHECK(la == lb && memcmp(a, b, la) == 0);
    CHECK(la != lc || memcmp(a, c, la) != 0);
    CHECK(la != ld || memcmp(a, d, la) != 0);
    for (uint64_t i = 0; i < 50; i++) {
        size_t len;
        char *t = space_network_spec(&s, s.widths[i % 9], s.resolutions[i % 12], 3, i, "# header\n", &len);
        spec_net net;
        CHECK(t && strncmp(t, "# header\ninput ", 15) == 0);
        CHECK(t && spec_read(t, len, &net, err, sizeof err) == 0);
        if (t)
            free(net.layers);
        free(t);
    }
    free(a), free(b), free(c), free(d);
}

static int load(const char *text, size_t len, int zero_weights, msf_graph *g)
{
    spec_net net;
    size_t size;
    char err[512];
    if (spec_read(text, len, &net, err, sizeof err))
        return -1;
    uint8_t *file = zero_weights ? spec_write_tflite_zero_weights(&net, &size) : spec_write_tflite(&net, &size);
    free(net.layers);
    return file ? graph_from_tflite(file, size, g, err, sizeof err) : -1;
}

/* Everything but the weight values: quantization, biases, parameters. */
static void check_zero_weights(void)
{
    msf_space s;
    char err[512];
    CHECK(space_read_file(BUNDLED, &s, err, sizeof err) == 0);
    size_t len;
    char *text = space_network_spec(&s, 30, 96, 1, 5, NULL, &len);
    msf_graph real, zero;
    CHECK(text && load(text, len, 0, &real) == 0 && load(text, len, 1, &zero) == 0);
    free(text);
    CHECK_EQ_INT(zero.model.n_tensors, real.model.n_tensors);
    int32_t weights_seen = 0;
    for (int32_t t = 0; t < real.model.n_tensors; t++) {
        const msf_tensor *a = &real.tensors[t], *b = &zero.tensors[t];
        CHECK(a->scale == b->scale && a->zero_point == b->zero_point && a->bytes == b->bytes);
        if (a->data && a->dtype == MSF_INT32)
            check_bytes_equal("bias", b->data, a->data, a->bytes);
        weights_seen += a->data && a->dtype == MSF_INT8;
    }
    CHECK(weights_seen > 10);
    for (int32_t i = 0; i < real.model.n_ops; i++) {
        CHECK(real.op_macs[i] == zero.op_macs[i] && real.op_weight_bytes[i] == zero.op_weight_bytes[i]);
        if (real.ops[i].type == MSF_OP_CONV2D || real.ops[i].type == MSF_OP_DEPTHWISE_CONV2D) {
            const msf_conv_params *a = &real.ops[i].p.conv, *b = &zero.ops[i].p.conv;
            int32_t n = real.tensors[real.ops[i].output].dims[3];
            check_bytes_equal("multipliers", b->multiplier, a->multiplier, (size_t)n * 4);
            check_bytes_equal("shifts", b->shift, a->shift, (size_t)n * 4);
        }
    }
    graph_free(&real);
    graph_free(&zero);
}

int main(void)
{
    check_bad_spaces();
    check_limits();
    check_bundled();
    check_channels();
    check_sampling();
    check_zero_weights();
    return check_summary();
}
