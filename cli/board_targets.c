#include <string.h>

#include "board_targets.h"

/* RAM and flash as targets/ld enforces them (m7: the default MPU budget).
 * code: the demo model's firmware (targets/build_firmware.sh, -O2) less its
 * model tables, weights and input: the runtime, startup, HAL, main and the
 * libgcc routines they pull in. Every kernel is linked whatever the model
 * uses (the dispatcher calls each), so it does not depend on the model.
 * scripts/measure_code.sh measures it again after the runtime changes. */
/* Stacks: the firmware of targets.qemu (tests/targets: every kernel family,
 * the DSP and portable kernels, fused and whole) measured at most 1624 B
 * whole and 2724 B fused on every core (the kernels keep per-channel
 * requantization constants of 16 channels on the stack); targets/
 * build_firmware.sh notes about 2.7 KiB for the fused-block executor. The
 * figures leave room above both; targets.qemu fails any run past them. */
static const board_target targets[] = {
    {"m4", "Cortex-M4F, STM32F405 (netduinoplus2)", 192u * 1024, 1024u * 1024, 40276, 2048, 3584},
    {"m7", "Cortex-M7 (mps2-an500)", 512u * 1024, 2048u * 1024, 40076, 2048, 3584},
    {"rv32", "RV32IMAC, SiFive FE310 (sifive_e)", 16u * 1024, 4096u * 1024, 53566, 2048, 3584},
};

const board_target *board_target_find(const char *name)
{
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (strcmp(targets[i].name, name) == 0)
            return &targets[i];
    return NULL;
}

const char *board_target_names(void)
{
    return "m4, m7, rv32";
}
