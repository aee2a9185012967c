/* One inference of a generated model on a target, with its measurements.
 * build_firmware.sh compiles it with -DMSF_MODEL=name, -DMSF_MODEL_UPPER=NAME
 * and -DMSF_MODEL_HEADER='"name.h"' next to the generated name.c (msf gen
 * spells the functions with the name as given and the macros upper-case).
 *
 * Lines printed (run_qemu.sh and the tests parse them):
 *   msf: output <hex bytes>
 *   msf: output_bytes N, macs N
 *   msf: arena_bytes N (planned), arena_high_water N
 *   msf: stack_bytes N (reserved), stack_high_water N
 *   msf: static_ram N (.data + .bss: the arena, a streamed output's buffer,
 *        a few words)
 * Exit status: 0 ok, 1 the model failed, 2 a held output of several tensors
 * without -DMSF_OUTPUT_BUFFER, 3 the two runs disagree. */
#include <stdint.h>

#include "hal.h"
#include "msf_runtime.h"
#include MSF_MODEL_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SYM(suffix) CAT(MSF_MODEL, suffix)
#define MACRO(suffix) CAT(MSF_MODEL_UPPER, suffix)

extern uint8_t __stack_bottom[], __stack_top[], __data_start[], __bss_end[];

/* Where the output is read. A streamed output is written by NAME_invoke
 * straight into a buffer outside the arena. A held output is read where the
 * plan left it in the arena, so the firmware holds no second copy (NAME_invoke
 * then copies it onto itself); a model with several outputs needs a buffer
 * for them concatenated: -DMSF_OUTPUT_BUFFER. */
#if MACRO(_STREAMED_OUTPUT) || defined(MSF_OUTPUT_BUFFER)
static uint8_t output_buffer[MACRO(_OUTPUT_BYTES)];
#define OUTPUT_IN_ARENA 0
#else
#define OUTPUT_IN_ARENA 1
#endif
static uint8_t *output;

/* Two runs, over an arena painted with complementary patterns: a byte the
 * model writes with the pattern's own value is missed by one scan only, and
 * an arena byte read before it is written would make the outputs differ.
 * The first output is kept as a hash, so the firmware holds one output. */

static int run(uint8_t pattern, uint32_t *high_water, int counted)
{
    uint8_t *arena = SYM(_arena)();
    msf_arena_paint(arena, MACRO(_ARENA_BYTES), pattern);
    if (counted)
        hal_insn_begin();
    int status = SYM(_invoke)(SYM(_input), output);
    if (counted)
        hal_insn_end();
    *high_water = msf_arena_high_water(arena, MACRO(_ARENA_BYTES), pattern);
    return status;
}

/* FNV-1a. */
static uint32_t output_hash(void)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < MACRO(_OUTPUT_BYTES); i++)
        h = (h ^ output[i]) * 16777619u;
    return h;
}

static void put_line(const char *name, uint64_t value)
{
    hal_puts("msf: ");
    hal_puts(name);
    hal_puts(" ");
    hal_put_dec(value);
    hal_puts("\n");
}

static void put_output(const uint8_t *bytes, uint32_t n)
{
    static const char digits[] = "0123456789abcdef";
    char buf[129];
    uint32_t k = 0;
    hal_puts("msf: output ");
    for (uint32_t i = 0; i < n; i++) {
        buf[k++] = digits[bytes[i] >> 4];
        buf[k++] = digits[bytes[i] & 0xF];
        if (k == sizeof buf - 1 || i == n - 1) {
            buf[k] = '\0';
            hal_puts(buf);
            k = 0;
        }
    }
    hal_puts("\n");
}

int main(void)
{
    /* An empty region first: the markers' own cost, which run_qemu.sh
     * subtracts from the counted run. */
    hal_insn_begin();
    hal_insn_end();

#if OUTPUT_IN_ARENA
    const msf_model *model = SYM(_model)();
    if (model->n_outputs != 1) {
        hal_puts("msf: error: several outputs held in the arena: build with -DMSF_OUTPUT_BUFFER\n");
        return 2;
    }
    output = (uint8_t *)msf_tensor_data(model, SYM(_plan)(), SYM(_arena)(), model->outputs[0]);
#else
    output = output_buffer;
#endif
    uint32_t high_water[2], first = 0;
    int status = run(0xA5, &high_water[0], 1);
    if (status == 0) {
        first = output_hash();
        status = run(0x5A, &high_water[1], 0);
    }
    uint32_t stack = hal_stack_high_water();
    if (status != 0) {
        hal_puts("msf: error: the model returned ");
        hal_put_dec((uint64_t)status);
        hal_puts("\n");
        return 1;
    }
    if (output_hash() != first) {
        hal_puts("msf: error: two runs gave different outputs (an arena byte read before written?)\n");
        return 3;
    }
    put_output(output, MACRO(_OUTPUT_BYTES));
    put_line("output_bytes", MACRO(_OUTPUT_BYTES));
    put_line("macs", MACRO(_MACS));
    put_line("arena_bytes", MACRO(_ARENA_BYTES));
    put_line("arena_high_water", high_water[0] > high_water[1] ? high_water[0] : high_water[1]);
    put_line("stack_bytes", (uint64_t)(__stack_top - __stack_bottom));
    put_line("stack_high_water", stack);
    put_line("static_ram", (uint64_t)(__bss_end - __data_start));
    return 0;
}
