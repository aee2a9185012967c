/* Host harness for the code msf gen writes: one inference through
 * NAME_invoke, the output bytes to a file, and the arena high-water mark
 * (two paint patterns) and the MACs the kernels counted checked against
 * NAME_ARENA_BYTES and NAME_MACS. Built with -DGEN_NAME=name
 * -DGEN_UPPER=NAME -DGEN_HEADER='"name.h"' and the counting runtime;
 * -DGEN_EMBEDDED_INPUT runs NAME_input instead of an input file.
 * usage: gen_main IN.bin OUT.bin (IN.bin is ignored with the embedded input) */
#include <stdio.h>
#include <stdlib.h>

#include "mac_counter.h"
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
    uint32_t hw_a, hw_b;
    msf_mac_counter = 0;
    int s = run(input, output, 0xA5, &hw_a);
    uint64_t macs = msf_mac_counter;
    if (s == 0)
        s = run(input, output, 0x5A, &hw_b);
    if (s != 0) {
        fprintf(stderr, "invoke returned %d\n", s);
        return 1;
    }
    uint32_t hw = hw_a > hw_b ? hw_a : hw_b;
    if (hw != MACRO(_ARENA_BYTES) || macs != MACRO(_MACS)) {
        fprintf(stderr, "arena high-water %u bytes (header: %u), %llu MACs (header: %llu)\n", (unsigned)hw,
                (unsigned)MACRO(_ARENA_BYTES), (unsigned long long)macs, (unsigned long long)MACRO(_MACS));
        return 1;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(output, 1, sizeof output, f) != sizeof output || fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write\n", argv[2]);
        return 1;
    }
    return 0;
}
