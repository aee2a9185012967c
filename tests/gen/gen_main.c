/* Host harness for the code msf gen writes: one inference through
 * NAME_invoke, the output bytes to a file, and the arena high-water mark
 * (two paint patterns) checked against NAME_ARENA_BYTES; the generated
 * tables run once more by measured_run (plan/measured_run.c), whose
 * executed MACs, high-water mark and output bytes must equal NAME_MACS,
 * NAME_ARENA_BYTES and the invoke's. Built with -DGEN_NAME=name
 * -DGEN_UPPER=NAME -DGEN_HEADER='"name.h"' and the counting runtime;
 * -DGEN_EMBEDDED_INPUT runs NAME_input instead of an input file.
 * usage: gen_main IN.bin OUT.bin (IN.bin is ignored with the embedded input) */
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "measured_run.h"
#include GEN_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SYM(suffix) CAT(GEN_NAME, suffix)
#define MACRO(suffix) CAT(GEN_UPPER, suffix)

#ifndef GEN_EMBEDDED_INPUT
static int read_input(const char *path, uint8_t *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t got = fread(buf, 1, MACRO(_INPUT_BYTES), f);
    int extra = fgetc(f) != EOF;
    fclose(f);
    return got == MACRO(_INPUT_BYTES) && !extra ? 0 : -1;
}
#endif

/* One run with the arena painted; returns the invoke status. */
static int run(const void *input, uint8_t *output, uint8_t pattern, uint32_t *high_water)
{
    msf_arena_paint(SYM(_arena)(), MACRO(_ARENA_BYTES), pattern);
    int s = SYM(_invoke)(input, output);
    *high_water = msf_arena_high_water(SYM(_arena)(), MACRO(_ARENA_BYTES), pattern);
    return s;
}

int main(int argc, char **argv)
{
    static uint8_t output[MACRO(_OUTPUT_BYTES)];
    if (argc != 3) {
        fprintf(stderr, "usage: gen_main IN.bin OUT.bin\n");
        return 2;
    }
#ifdef GEN_EMBEDDED_INPUT
    const void *input = SYM(_input);
#else
    /* Words: a streamed float input is read in place as floats. */
    static uint32_t input[(MACRO(_INPUT_BYTES) + 3) / 4];
    if (read_input(argv[1], (uint8_t *)input)) {
        fprintf(stderr, "%s: cannot read %u bytes\n", argv[1], (unsigned)MACRO(_INPUT_BYTES));
        return 2;
    }
#endif
    static uint8_t again[MACRO(_OUTPUT_BYTES)];
    uint32_t hw_a, hw_b;
    int s = run(input, output, 0xA5, &hw_a);
    if (s == 0)
        s = run(input, output, 0x5A, &hw_b);
    run_measure r;
    if (s == 0)
        s = measured_run(SYM(_model)(), SYM(_plan)(), (const uint8_t *)input, again, &r);
    if (s != 0) {
        fprintf(stderr, "run returned %d\n", s);
        return 1;
    }
    uint32_t hw = hw_a > hw_b ? hw_a : hw_b;
    if (hw != MACRO(_ARENA_BYTES) || r.arena_high_water != hw || r.macs != MACRO(_MACS) ||
        memcmp(again, output, sizeof output) != 0) {
        fprintf(stderr, "arena high-water %u bytes (header: %u, tables: %u), %llu MACs (header: %llu)%s\n",
                (unsigned)hw, (unsigned)MACRO(_ARENA_BYTES), (unsigned)r.arena_high_water,
                (unsigned long long)r.macs, (unsigned long long)MACRO(_MACS),
                memcmp(again, output, sizeof output) ? ", outputs differ" : "");
        return 1;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(output, 1, sizeof output, f) != sizeof output || fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write\n", argv[2]);
        return 1;
    }
    return 0;
}
