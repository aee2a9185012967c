/* Spec text is untrusted input. Every bad line is refused with a message
 * that names its line; sizes, channels, kernels and strides are
 * range-checked so that a spec cannot ask for absurd memory; and random
 * text, truncations and byte flips of valid specs never crash: each either
 * fails with a message or gives a model the importer accepts whole. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "file_io.h"
#include "spec/spec_round_trip.h"

#define MODELS MSF_SOURCE_DIR "/models/"
#define TMP_SPEC "test_spec_errors_tmp.spec"
#define FUZZ_SEED 7
#define FUZZ_CASES 20000
#define FLIPS 3000

typedef struct {
    const char *text;
    int line;                      /* 0: a message about the whole text */
    const char *says;
} bad_spec;

#define IN "input 8x8x3\n"

static const bad_spec bad_specs[] = {
    {"", 0, "no 'input HxWxC' line"},
    {"# nothing\n\n   \n", 0, "no 'input HxWxC' line"},
    {IN, 0, "no layers after the input"},
    {"conv k=3 c=8\n", 1, "expected 'input HxWxC' first, got 'conv'"},
    {"input\n", 1, "the shape HxWxC is missing"},
    {"input 8x8\n", 1, "expected HxWxC, got '8x8'"},
    {"input 8x8x3x1\n", 1, "expected HxWxC"},
    {"input 8x8x0\n", 1, "input channels: '0' out of range (1..4096)"},
    {"input 4097x8x3\n", 1, "input height: '4097' out of range"},
    {"input 8xx3\n", 1, "input width: a number is missing"},
    {"input 8x8x3 c=4\n", 1, "input: c= does not apply"},
    {"input 4096x4096x4096\n", 1, "larger than 64 MiB"},
    {IN "input 8x8x3\n", 2, "a second input line (the first is line 1)"},
    {IN "\n# comment\nconvv k=3\n", 4, "unknown layer type 'convv'"},
    {IN "conv k=3\n", 2, "conv: c= is missing"},
    {IN "conv c=8\n", 2, "conv: k= is missing"},
    {IN "add\n", 2, "add: from= is missing"},
    {IN "fc\n", 2, "fc: c= is missing"},
    {IN "conv k=12 c=8\n", 2, "k: '12' out of range (1..11)"},
    {IN "conv k=0 c=8\n", 2, "k: '0' out of range"},
    {IN "conv k=3x3x3 c=8\n", 2, "k: '3x3x3' is neither N nor HxW"},
    {IN "conv k=3x c=8\n", 2, "k: a number is missing"},
    {IN "conv k=3 s=0 c=8\n", 2, "s: '0' out of range"},
    {IN "conv k=3 c=8 k=3\n", 2, "conv: k= is given twice"},
    {IN "conv k=3 c=8 foo=1\n", 2, "conv: unknown key 'foo'"},
    {IN "conv k=3 c=8 from=x\n", 2, "conv: from= does not apply"},
    {IN "pw k=3 c=8\n", 2, "pw: k= does not apply"},
    {IN "gap act=relu\n", 2, "gap: act= does not apply"},
    {IN "conv k=3 c=8 junk\n", 2, "conv: expected key=value, got 'junk'"},
    {IN "conv k=3 c=-8\n", 2, "c: '-8' is not a number"},
    {IN "conv k=3 c=+8\n", 2, "c: '+8' is not a number"},
    {IN "conv k=3 c=99999999999999999999999\n", 2, "c: '99999999999999999999999' out of range"},
    {IN "conv k=3 c=4097\n", 2, "c: '4097' out of range (1..4096)"},
    {IN "conv k=3 c=8 pad=2\n", 2, "pad=2 with k=3x3"},
    {IN "conv k=3x5 c=8 pad=1\n", 2, "pad=1 with k=3x5"},
    {IN "conv k=3 c=8 pad=middle\n", 2, "'middle' is not a number"},
    {IN "conv k=3 c=8 act=gelu\n", 2, "act: 'gelu' is not none, relu, relu6, hardswish, logistic or hardsigmoid"},
    {IN "conv k=3 c=8 act=RELU6\n", 2, "act: 'RELU6'"},
    {IN "conv k=3 c=8 name=a!b\n", 2, "name: 'a!b' is not a name"},
    {IN "conv k=3 c=8 name=\n", 2, "name: '' is not a name"},
    {IN "conv k=3 c=8 name=abcdefghijklmnopqrstuvwxyz0123456\n", 2, "is not a name"},
    {IN "conv k=3 c=8 name=a\npw c=8 name=a\n", 3, "name 'a' is already used on line 2"},
    {"input 8x8x3 name=x\nconv k=3 c=3 name=x\n", 2, "name 'x' is already used on line 1"},
    {IN "add from=zz\n", 2, "add: no earlier layer is named 'zz'"},
    {IN "pw c=8 in=zz\n", 2, "pw: in: no earlier layer is named 'zz'"},
    {IN "fc c=4 in=x\n", 2, "fc: in= does not apply"},
    {IN "concat\n", 2, "concat: from= is missing"},
    {IN "concat from=zz\n", 2, "concat: no earlier layer is named 'zz'"},
    {IN "pw c=8 act=relu6 name=a\npw c=4 s=2 act=relu6\nconcat from=a\n", 4,
     "concat: 'a' is 8x8x8, the current tensor 4x4x4 (maps of one height and width)"},
    {IN "pw c=8 act=relu name=a\npw c=4 act=relu6\nconcat from=a\n", 4,
     "'a' and the current tensor must both come from act=relu6 layers"},
    {IN "fc c=8 name=a\nconcat from=a\n", 3, "concat: 'a' is flat (8 values), the current tensor flat (8 values)"},
    {IN "pw c=8\nadd from=later\npw c=8 name=later\n", 3, "no earlier layer is named 'later'"},
    {IN "conv k=3 s=2 c=8 name=a\nconv k=3 s=2 c=8\nadd from=a\n", 4,
     "add: 'a' is 4x4x8, the current tensor 2x2x8"},
    {IN "conv k=3 c=8 name=a\nconv k=3 c=4\nadd from=a\n", 4, "'a' is 8x8x8, the current tensor 8x8x4"},
    {IN "maxpool k=9 pad=valid\n", 2, "maxpool: a valid window of 9 does not fit the input's 8"},
    {IN "avgpool k=3x9 pad=0\n", 2, "avgpool: a valid window of 9 does not fit"},
    {IN "fc c=10\nconv k=1 c=3\n", 3, "conv needs an HxWxC input, the tensor is flat (10 values)"},
    {IN "fc c=10\ngap\n", 3, "gap needs an HxWxC input"},
    {IN "fc c=10\ndw k=3\n", 3, "dw needs an HxWxC input"},
    {IN "fc c=10\nmaxpool k=2\n", 3, "maxpool needs an HxWxC input"},
    {IN "dw k=3 c=5\n", 2, "dw: c=5 is not a multiple of the input's 3 channels"},
    {IN "fc c=10\nadd from=nope\n", 3, "no earlier layer is named 'nope'"},
    {"input 64x64x4096\nconv k=5 c=8\n", 2, "each output sums 102400 inputs, more than 65536"},
    {"input 256x256x3\nfc c=10\n", 2, "fc: each output sums 196608 inputs"},
    {"input 8x8x4096\nconv k=3 c=4096\n", 2, "the weights exceed 64 MiB"},
    {"input 4096x4096x3\nconv k=1 c=8\n", 2, "conv: the output 4096x4096x8 is larger than 64 MiB"},
    {IN "mul\n", 2, "mul: from= is missing"},
    {IN "gap\nmul from=zz\n", 3, "mul: no earlier layer is named 'zz'"},
    {IN "pw c=8 name=a\ngap\nmul from=a act=relu\n", 4, "mul: act= does not apply"},
    {IN "pw c=8 name=a\npw c=4\nmul from=a\n", 4,
     "mul: the current tensor is 8x8x4, not a per-channel vector (1x1xC or flat)"},
    {IN "pw c=8 name=a\ngap\npw c=4 act=logistic\nmul from=a\n", 5,
     "mul: 'a' has 8 channels, the current vector 4"},
    {IN "pw c=8 name=a\ngap\nfc c=4 act=hardsigmoid\nmul from=a\n", 5,
     "mul: 'a' has 8 channels, the current vector 4"},
    {IN "fc c=8 name=a\nfc c=8 act=logistic\nmul from=a\n", 4, "mul: 'a' is flat (8 values), not an HxWxC map"},
    {IN "pw c=8 name=a\ngap\nmul from=a\nmul from=a\n", 5, "mul: the current tensor is 8x8x8, not a per-channel"},
    {IN "pw c=8 name=a\ngap\nadd from=a act=hardswish\n", 4, "add: act=hardswish applies only to conv, pw, dw and fc"},
    {IN "pw c=8 act=hardsigmoid act=relu\n", 2, "pw: act= is given twice"},
    {IN "conv k=3 c=8 act=HardSwish\n", 2, "act: 'HardSwish' is not none"},
    {IN "co\001nv k=3\n", 2, "unknown layer type 'co?nv'"},
    {IN "conv k=3 c=8 name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 2,
     "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a name"},
};

/* The message must start with "line N: " (or name no line) and say what
 * the table says. */
static void check_bad(const bad_spec *b, size_t len)
{
    uint8_t *file = (uint8_t *)"unchanged";
    size_t size = 1;
    char err[512] = "", prefix[32];
    int rc = spec_to_tflite(b->text, len, &file, &size, err, sizeof err);
    snprintf(prefix, sizeof prefix, "line %d: ", b->line);
    int where = b->line ? strncmp(err, prefix, strlen(prefix)) == 0 : strncmp(err, "line ", 5) != 0;
    if (rc != -1 || !where || !strstr(err, b->says))
        fprintf(stderr, "spec \"%s\": got rc %d, '%s'; expected line %d, '%s'\n", b->text, rc, err,
                b->line, b->says);
    CHECK(rc == -1 && where && strstr(err, b->says));
    CHECK(file == NULL && size == 0);
}

static void test_bad_lines(void)
{
    for (size_t i = 0; i < sizeof bad_specs / sizeof bad_specs[0]; i++)
        check_bad(&bad_specs[i], strlen(bad_specs[i].text));
    static const bad_spec nul = {IN "co\0nv k=3\n", 2, "unknown layer type 'co?nv'"};
    check_bad(&nul, sizeof IN - 1 + 10);
}

static char *repeat_lines(const char *first, const char *line, int n, size_t *len)
{
    size_t a = strlen(first), b = strlen(line);
    char *s = malloc(a + (size_t)n * b + 1);
    if (!s)
        return NULL;
    memcpy(s, first, a);
    for (int i = 0; i < n; i++)
        memcpy(s + a + (size_t)i * b, line, b);
    *len = a + (size_t)n * b;
    s[*len] = '\0';
    return s;
}

/* 1024 layers are fine, a 1025th is refused on its line; more than 1 MiB
 * of text is refused whole. */
static void test_limits(void)
{
    size_t len;
    char *s = repeat_lines(IN, "pw c=3\n", 1025, &len);
    CHECK(s != NULL);
    if (s) {
        bad_spec b = {s, 1026, "more than 1024 layers"};
        check_bad(&b, len);
        uint8_t *file;
        size_t size;
        char err[256];
        CHECK(spec_to_tflite(s, len - strlen("pw c=3\n"), &file, &size, err, sizeof err) == 0);
        free(file);
        free(s);
    }
    s = repeat_lines(IN "pw c=3\n", "# padding the text past one mebibyte\n", 30000, &len);
    CHECK(s != NULL);
    if (s) {
        bad_spec b = {s, 0, "larger than 1048576 bytes"};
        check_bad(&b, len);
        free(s);
    }
}

/* Through a file: messages carry the path, and graph_load picks the spec
 * reader by the extension. */
static void test_files(void)
{
    static const char text[] = IN "pw c=4\n\nconvv k=3\n";
    char err[512];
    msf_graph g;
    CHECK(write_file_atomic(TMP_SPEC, text, sizeof text - 1, err, sizeof err) == 0);
    CHECK(graph_load(TMP_SPEC, &g, err, sizeof err) == -1);
    CHECK(strcmp(err, TMP_SPEC ":4: unknown layer type 'convv'") == 0);
    uint8_t *file;
    size_t size;
    CHECK(spec_file_to_tflite(TMP_SPEC, &file, &size, err, sizeof err) == -1 && file == NULL);
    CHECK(strstr(err, TMP_SPEC ":4: ") == err);
    remove(TMP_SPEC);
    CHECK(graph_load(TMP_SPEC, &g, err, sizeof err) == -1 && strstr(err, "cannot open"));
    static const char empty[] = "# nothing\n";
    CHECK(write_file_atomic(TMP_SPEC, empty, sizeof empty - 1, err, sizeof err) == 0);
    CHECK(graph_load_spec(TMP_SPEC, &g, err, sizeof err) == -1);
    CHECK(strcmp(err, TMP_SPEC ": no 'input HxWxC' line") == 0);
    remove(TMP_SPEC);
}

/* ---- Random text. */

static uint32_t fuzz_rng = FUZZ_SEED;

static uint32_t draw(uint32_t n)
{
    fuzz_rng = fuzz_rng * 1664525u + 1013904223u;
    return (fuzz_rng >> 8) % n;
}

/* Whatever happens, no crash; a success must be a model the importer
 * accepts as the network the reader derived (the reader's checks must
 * leave nothing for the graph builder to refuse), a failure a message. */
static void check_any(const char *text, size_t len)
{
    char msg[512] = "";
    int rc = spec_round_trip(text, len, NULL, msg, sizeof msg);
    if (rc == SPEC_BROKEN)
        fprintf(stderr, "%s:\n%.*s\n", msg, (int)len, text);
    CHECK(rc != SPEC_BROKEN);
}

/* Words that make up specs, so that random lines often get far. */
static const char *const words[] = {
    "input", "conv", "pw", "dw", "avgpool", "maxpool", "add", "concat", "gap", "fc", "softmax", "zeropad",
    "k=", "s=", "c=", "pad=", "act=", "name=", "from=", "in=", "t=", "b=", "l=", "r=", "same", "valid",
    "none", "relu", "relu6", "as=", "mean", "nchw_wh", "nchw_hw",
    "a", "b", "0", "1", "2", "3", "5", "7", "8", "11", "12", "16", "33", "4096", "99999",
    "x", "=", " ", " ", " ", "\n", "\n", "#", "\t", "\r", "-", "\0",
};

static void test_random_text(void)
{
    char text[256];
    for (int n = 0; n < FUZZ_CASES; n++) {
        size_t len = 0;
        memcpy(text, "input 9x7x3\n", 12);
        len = draw(4) ? 12 : 0;
        while (len < sizeof text - 8) {
            const char *w = words[draw(sizeof words / sizeof words[0])];
            size_t wl = w[0] ? strlen(w) : 1;
            if (draw(16) == 0)
                text[len++] = (char)draw(256);
            else
                memcpy(text + len, w, wl), len += wl;
            if (draw(24) == 0)
                break;
        }
        check_any(text, len);
    }
}

/* Every layer type and key, small enough to build in a moment: cut at
 * every byte and changed at random bytes. */
static const char all_features[] =
    "# every layer type\n"
    "input 12x10x3 name=img\n"
    "conv k=3 s=2 c=8 act=relu6 name=a  # comment\n"
    "pw c=8 act=relu\n"
    "zeropad t=1 b=0 l=2 r=1\n"
    "dw k=5x3 s=1x2 pad=valid c=16\n"
    "dw k=3 pad=1 act=relu6\n"
    "pw c=8 name=b\n"
    "maxpool k=2 s=1 pad=same\n"
    "add from=b act=relu\n"
    "dw k=3 act=hardswish name=m\n"
    "gap as=mean\n"
    "pw c=4 act=relu\n"
    "pw c=8 act=hardsigmoid\n"
    "mul from=m\n"
    "avgpool k=2x1 pad=0\n"
    "gap\n"
    "fc c=6 act=relu6\n"
    "fc c=4 act=logistic\n"
    "softmax name=probabilities\n";

static void mutate(const char *text, size_t len, size_t cut_step, int flips)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        CHECK(0);
        return;
    }
    memcpy(copy, text, len);
    for (size_t cut = 0; cut <= len; cut++)
        if (cut == len || text[cut] == '\n' || cut % cut_step == 0)
            check_any(text, cut);
    for (int n = 0; n < flips; n++) {
        size_t at = draw((uint32_t)len);
        copy[at] = (char)draw(256);
        check_any(copy, len);
        copy[at] = text[at];
    }
    free(copy);
}

/* The bundled specs cut after every line (each prefix is a network). */
static void test_mutations(void)
{
    static const char *const files[] = {"mbv2-w035-r144.spec", "mn2-vww5-r80.spec",
                                        "mn2-320k-r176.spec", "mobilenetv2-w035-r144.spec",
                                        "mobilenetv3-small-r224.spec"};
    mutate(all_features, sizeof all_features - 1, 1, FLIPS);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512], err[512];
        uint8_t *text;
        size_t len;
        snprintf(path, sizeof path, "%s%s", MODELS, files[i]);
        if (read_whole_file(path, 1 << 20, &text, &len, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            CHECK(0);
            continue;
        }
        mutate((const char *)text, len, len + 1, 0);
        free(text);
    }
}

int main(void)
{
    test_bad_lines();
    test_limits();
    test_files();
    test_random_text();
    test_mutations();
    return check_summary();
}
