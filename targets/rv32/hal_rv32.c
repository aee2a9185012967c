/* RV32 HAL (sifive_e): semihosting console and exit, the trap report. */
#include <stdint.h>

#include "hal.h"

/* Semihosting operations. */
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023

uint32_t rv32_semihost(uint32_t op, const void *arg); /* startup.S */

extern uint8_t __stack_bottom[];

void hal_puts(const char *s)
{
    rv32_semihost(SYS_WRITE0, s);
}

void hal_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    rv32_semihost(SYS_EXIT_EXTENDED, block);
    /* Only reached where SYS_EXIT_EXTENDED is missing: plain SYS_EXIT can
     * still tell success (status 0) from failure (status 1). */
    rv32_semihost(SYS_EXIT, (const void *)(uintptr_t)(code == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                                : ADP_STOPPED_RUN_TIME_ERROR));
    for (;;)
        ;
}

static const char *cause_name(uint32_t mcause)
{
    switch (mcause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault (outside RAM or flash)";
    case 6: return "store address misaligned";
    case 7: return "store access fault (outside RAM)";
    default: return "unexpected trap";
    }
}

static void put_field(const char *name, uint32_t value)
{
    hal_puts(name);
    hal_puts(" ");
    hal_put_hex(value);
    hal_puts("\n");
}

/* Entered from trap_entry (startup.S) on a fresh stack. */
__attribute__((noreturn)) void rv32_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t sp)
{
    hal_puts("msf: fault: ");
    hal_puts(cause_name(mcause));
    hal_puts("\n");
    put_field("msf: fault: mcause", mcause);
    put_field("msf: fault: mepc", mepc);
    put_field("msf: fault: mtval", mtval);
    put_field("msf: fault: sp", sp);
    if (sp < (uint32_t)(uintptr_t)__stack_bottom) {
        hal_puts("msf: fault: stack overflow by ");
        hal_put_dec((uint32_t)(uintptr_t)__stack_bottom - sp);
        hal_puts(" bytes\n");
    }
    hal_exit(100 + (int)(mcause & 0x1F));
}
