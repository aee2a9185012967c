/* The little a firmware needs from its board: a console, an exit status for
 * the QEMU process, the stack's high-water mark, and instruction-count
 * markers. One implementation per target (arm/, rv32/) plus hal_common.c. */
#ifndef MSF_HAL_H
#define MSF_HAL_H

#include <stdint.h>

/* Writes a NUL-terminated string to the console (semihosting: QEMU's stdout). */
void hal_puts(const char *s);

/* Writes a number: decimal, or hex as 0x%08x. */
void hal_put_dec(uint64_t v);
void hal_put_hex(uint32_t v);

/* Ends the run: QEMU exits with this status (semihosting SYS_EXIT_EXTENDED). */
void hal_exit(int code) __attribute__((noreturn));

/* Deepest stack use so far in bytes, from the paint the startup code left in
 * the stack region: exact to the word. */
uint32_t hal_stack_high_water(void);

/* Instruction-count markers. The QEMU plugin (targets/qemu/insncount.c)
 * counts the instructions executed from entering hal_insn_begin to entering
 * hal_insn_end. A region that brackets nothing measures the markers' own
 * overhead, which the caller subtracts. */
void hal_insn_begin(void);
void hal_insn_end(void);

#endif
