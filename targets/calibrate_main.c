/* The instructions of each block of a generated model's plan, for the time
 * model's calibration (targets/calibrate.sh). Compiled as firmware_main.c
 * is (-DMSF_MODEL=name, -DMSF_MODEL_UPPER=NAME, -DMSF_MODEL_HEADER), for a
 * plan with the input and the one output held in the arena.
 *
 * Instruction-count regions (targets/qemu/insncount.c), in order: an empty
 * one (the markers' own cost), one per block of the plan (each run alone,
 * in order, as the executor would run it), then one whole NAME_invoke.
 * Lines printed: "msf: blocks N". Exit status: 0 ok, 1 a block or the
 * invoke failed, 2 a plan this program does not measure. */
#include <stdint.h>

#include "hal.h"
#include "msf_runtime.h"
#include MSF_MODEL_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SYM(suffix) CAT(MSF_MODEL, suffix)
#define MACRO(suffix) CAT(MSF_MODEL_UPPER, suffix)

/* The graph inputs into their arena places, as NAME_invoke copies them. */
static void place_inputs(const msf_model *m, const msf_plan *plan, uint8_t *arena)
{
    const uint8_t *in = (const uint8_t *)SYM(_input);
    for (int32_t i = 0; i < m->n_inputs; i++) {
        uint8_t *dst = (uint8_t *)msf_tensor_data(m, plan, arena, m->inputs[i]);
        for (uint32_t k = 0; k < m->tensors[m->inputs[i]].bytes; k++)
            dst[k] = in[k];
        in += m->tensors[m->inputs[i]].bytes;
    }
}

static int measure_blocks(const msf_model *m, const msf_plan *plan, uint8_t *arena)
{
    for (int32_t i = 0; i < plan->n_blocks; i++) {
        msf_plan one = *plan;
        one.blocks = &plan->blocks[i];
        one.n_blocks = 1;
        hal_insn_begin();
        msf_status s = msf_run_plan(m, &one, arena, MACRO(_ARENA_BYTES), 0);
        hal_insn_end();
        if (s != MSF_OK)
            return 1;
    }
    return 0;
}

int main(void)
{
    hal_insn_begin();
    hal_insn_end();
    const msf_model *m = SYM(_model)();
    const msf_plan *plan = SYM(_plan)();
    uint8_t *arena = SYM(_arena)();
    if (plan->streamed != 0 || m->n_outputs != 1) {
        hal_puts("msf: error: calibration takes plans with the input and one output held in the arena\n");
        return 2;
    }
    hal_puts("msf: blocks ");
    hal_put_dec((uint64_t)plan->n_blocks);
    hal_puts("\n");
    place_inputs(m, plan, arena);
    if (measure_blocks(m, plan, arena) != 0) {
        hal_puts("msf: error: a block failed\n");
        return 1;
    }
    void *output = msf_tensor_data(m, plan, arena, m->outputs[0]);
    hal_insn_begin();
    int status = SYM(_invoke)(SYM(_input), output);
    hal_insn_end();
    if (status != 0) {
        hal_puts("msf: error: the model failed\n");
        return 1;
    }
    return 0;
}
