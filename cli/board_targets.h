/* The boards msf knows by name (--target NAME): their RAM and flash, and
 * what msf's own firmware costs on them, measured with
 * targets/build_firmware.sh. One table: a time model per target belongs
 * here too. */
#ifndef MSF_BOARD_TARGETS_H
#define MSF_BOARD_TARGETS_H

#include <stdint.h>

typedef struct {
    const char *name;
    const char *board;   /* what it stands for */
    uint32_t ram, flash; /* bytes the firmware may use */
    uint32_t code;       /* .text (and code-owned .rodata) of the runtime with a minimal main */
    /* The stack the runtime needs on this core, running every block whole
     * (layer by layer) or with fused blocks (the runners keep per-operator
     * state on the stack): above the most the targets' firmware measured,
     * with room to spare; targets.qemu checks every run stays within it. */
    uint32_t stack_whole, stack_fused;
} board_target;

/* The target called name, or NULL. */
const board_target *board_target_find(const char *name);

/* The names, for messages: "m4, m7, rv32". */
const char *board_target_names(void);

/* The target msf info estimates code flash for when none is named. */
#define DEFAULT_TARGET "m4"

#endif
