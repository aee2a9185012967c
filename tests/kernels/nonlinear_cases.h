/* The single-input elementwise cases of ../shared/reference/ops (SOFTMAX,
 * LOGISTIC, HARD_SWISH): one row of INDEX.tsv parsed into scales, zero
 * points, shape and beta, and the seed files read back. */
#ifndef MSF_TESTS_NONLINEAR_CASES_H
#define MSF_TESTS_NONLINEAR_CASES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPS_DIR MSF_SHARED_DIR "/reference/ops"
#define CASE_MAX_BYTES 4096

typedef struct {
    char name[128];
    float in_scale, out_scale;
    int32_t in_zp, out_zp;
    int32_t dims[4];
    int32_t rank;
    int32_t elements;
    float beta; /* SOFTMAX only; 1 when absent */
} op_case;

/* "name:1x8x8x4:int8(s=0.04,zp=0)": shape, scale and zero point. */
static int parse_tensor(const char *field, op_case *c, int is_input)
{
    const char *p = strchr(field, ':');
    if (!p)
        return 0;
    p++;
    if (is_input) {
        c->rank = 0;
        c->elements = 1;
        while (c->rank < 4) {
            char *end;
            long d = strtol(p, &end, 10);
            c->dims[c->rank++] = (int32_t)d;
            c->elements *= (int32_t)d;
            p = end;
            if (*p != 'x')
                break;
            p++;
        }
    }
    const char *s = strstr(p, "(s=");
    const char *zp = strstr(p, ",zp=");
    if (!s || !zp)
        return 0;
    float scale = strtof(s + 3, NULL);
    int32_t zero_point = (int32_t)strtol(zp + 4, NULL, 10);
    if (is_input) {
        c->in_scale = scale;
        c->in_zp = zero_point;
    } else {
        c->out_scale = scale;
        c->out_zp = zero_point;
    }
    return 1;
}

/* Splits a tab-separated line in place; returns the number of fields. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        fields[n++] = line;
        char *tab = strchr(line, '\t');
        if (!tab)
            break;
        *tab = '\0';
        line = tab + 1;
    }
    return n;
}

/* Reads INDEX.tsv rows until the next one of operator `op`. */
static int next_case(FILE *index, const char *op, op_case *c)
{
    char line[2048];
    while (fgets(line, sizeof line, index)) {
        char *f[7];
        if (split_tabs(line, f, 7) < 5 || strcmp(f[1], op) != 0)
            continue;
        memset(c, 0, sizeof *c);
        size_t len = strlen(f[0]);
        memcpy(c->name, f[0], len < sizeof c->name ? len : sizeof c->name - 1);
        if (!parse_tensor(f[2], c, 1) || !parse_tensor(f[3], c, 0)) {
            fprintf(stderr, "%s: cannot parse INDEX.tsv row\n", c->name);
            continue;
        }
        const char *beta = strstr(f[4], "beta=");
        c->beta = beta ? strtof(beta + 5, NULL) : 1.0f;
        return 1;
    }
    return 0;
}

/* Reads <case>/seed<seed>.<kind>.bin; returns its size, or -1. */
static long read_seed_file(const op_case *c, int seed, const char *kind, int8_t *buf)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/seed%d.%s.bin", OPS_DIR, c->name, seed, kind);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = (long)fread(buf, 1, CASE_MAX_BYTES, f);
    fclose(f);
    return n;
}

typedef void (*run_case_fn)(const op_case *c, const int8_t *in, int8_t *out);

/* Runs every case of `op` on both seeds and compares bytes; returns the
 * number of cases whose seeds all matched, or -1 if INDEX.tsv is absent. */
static int run_op_cases(const char *op, run_case_fn run, int *n_cases)
{
    FILE *index = fopen(OPS_DIR "/INDEX.tsv", "r");
    if (!index)
        return -1;
    op_case c;
    int passed = 0;
    *n_cases = 0;
    while (next_case(index, op, &c)) {
        int ok = 1;
        (*n_cases)++;
        for (int seed = 1; seed <= 2; seed++) {
            static int8_t in[CASE_MAX_BYTES], want[CASE_MAX_BYTES], got[CASE_MAX_BYTES];
            long n_in = read_seed_file(&c, seed, "in", in);
            long n_out = read_seed_file(&c, seed, "out", want);
            if (n_in != c.elements || n_out != c.elements) {
                fprintf(stderr, "%s seed%d: expected %d bytes in and out, found %ld and %ld\n",
                        c.name, seed, c.elements, n_in, n_out);
                check_failed++;
                ok = 0;
                continue;
            }
            run(&c, in, got);
            char what[160];
            snprintf(what, sizeof what, "%s seed%d", c.name, seed);
            ok &= check_bytes_equal(what, got, want, (size_t)c.elements);
        }
        passed += ok;
    }
    fclose(index);
    return passed;
}

#endif
