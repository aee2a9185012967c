/* Cortex-M HAL: semihosting console and exit, the MPU that enforces the RAM
 * and flash limits, and the fault report. */
#include <stdint.h>

#include "hal.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define SCB_VTOR REG(0xE000ED08)
#define SCB_SHCSR REG(0xE000ED24)
#define SCB_CFSR REG(0xE000ED28)
#define SCB_HFSR REG(0xE000ED2C)
#define SCB_MMFAR REG(0xE000ED34)
#define SCB_BFAR REG(0xE000ED38)
#define MPU_CTRL REG(0xE000ED94)
#define MPU_RNR REG(0xE000ED98)
#define MPU_RBAR REG(0xE000ED9C)
#define MPU_RASR REG(0xE000EDA0)
/* MPU_RASR fields: execute-never, access permissions, memory type. */
#define RASR_XN (1u << 28)
#define RASR_AP_RW (3u << 24)
#define RASR_AP_RO (6u << 24)
#define RASR_NORMAL_WB (1u << 17 | 1u << 16) /* TEX=0 C=1 B=1 */
#define RASR_NORMAL_WT (1u << 17)            /* TEX=0 C=1 B=0 */

/* Semihosting operations. */
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023

extern uint32_t vectors[];
extern uint8_t __flash_start[], __flash_end[], __ram_start[], __ram_end[], __stack_bottom[];

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void hal_puts(const char *s)
{
    semihost(SYS_WRITE0, s);
}

void hal_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    semihost(SYS_EXIT_EXTENDED, block);
    /* Only reached where SYS_EXIT_EXTENDED is missing: plain SYS_EXIT can
     * still tell success (status 0) from failure (status 1). */
    semihost(SYS_EXIT, (const void *)(uintptr_t)(code == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                           : ADP_STOPPED_RUN_TIME_ERROR));
    for (;;)
        ;
}

static void put_field(const char *name, uint32_t value)
{
    hal_puts(name);
    hal_puts(" ");
    hal_put_hex(value);
    hal_puts("\n");
}

/* One PMSAv7 region for [base, base + size): the smallest power of two that
 * holds size (at least 256 bytes, for subregions), with the eighths past
 * size disabled. Returns 0 if the MPU cannot express the range exactly. */
static int mpu_region(uint32_t index, uint32_t base, uint32_t size, uint32_t attributes)
{
    uint32_t pow2 = 256;
    while (pow2 < size)
        pow2 <<= 1;
    uint32_t eighth = pow2 / 8;
    if (size == 0 || base % pow2 != 0 || size % eighth != 0)
        return 0;
    uint32_t disabled = (0xFFu << (size / eighth)) & 0xFFu;
    uint32_t size_field = (uint32_t)(31 - __builtin_clz(pow2)) - 1;
    MPU_RNR = index;
    MPU_RBAR = base;
    MPU_RASR = attributes | disabled << 8 | size_field << 1 | 1u;
    return 1;
}

/* Called by the startup code before main. The MPU allows only the flash
 * (read-only) and the RAM budget (read-write, not executable), with the
 * default memory map off: on mps2-an500, whose RAM is larger than the part
 * it stands for and whose holes read as zero, an access past the budget then
 * faults (MemManage), as does a write to flash on either board. The System
 * Control Space stays reachable, as the MPU never covers it. */
void arm_init(void)
{
    SCB_VTOR = (uint32_t)(uintptr_t)vectors;
    /* MemManage, BusFault and UsageFault report as themselves, not as an
     * escalated HardFault. */
    SCB_SHCSR |= 7u << 16;
    uint32_t flash = (uint32_t)(uintptr_t)__flash_start, ram = (uint32_t)(uintptr_t)__ram_start;
    uint32_t flash_size = (uint32_t)(__flash_end - __flash_start);
    uint32_t ram_size = (uint32_t)(__ram_end - __ram_start);
    if (!mpu_region(0, flash, flash_size, RASR_AP_RO | RASR_NORMAL_WT) ||
        !mpu_region(1, ram, ram_size, RASR_AP_RW | RASR_XN | RASR_NORMAL_WB)) {
        hal_puts("msf: error: the MPU cannot enforce a flash or RAM size exactly: use multiples of an eighth "
                 "of the next power of two (e.g. 192K, 320K, 512K, 1M)\n");
        hal_exit(2);
    }
    /* ENABLE only: no background region, and the MPU is off in HardFault. */
    MPU_CTRL = 1;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static const char *exception_name(uint32_t n)
{
    switch (n) {
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage (MPU: access outside the RAM budget or a write to flash)";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    default: return "unexpected exception";
    }
}

/* Entered from Fault_Handler on a fresh stack with the faulting MSP. */
__attribute__((noreturn)) void arm_fault(uint32_t msp, uint32_t ipsr)
{
    uint32_t n = ipsr & 0x1FF;
    hal_puts("msf: fault: ");
    hal_puts(exception_name(n));
    hal_puts("\n");
    put_field("msf: fault: exception", n);
    put_field("msf: fault: sp", msp);
    /* The frame (r0-r3, r12, lr, pc, xpsr) was stacked only if it fits in RAM. */
    uint32_t ram = (uint32_t)(uintptr_t)__ram_start, ram_end = (uint32_t)(uintptr_t)__ram_end;
    if (msp >= ram && msp <= ram_end - 32) {
        const uint32_t *frame = (const uint32_t *)(uintptr_t)msp;
        put_field("msf: fault: pc", frame[6]);
        put_field("msf: fault: lr", frame[5]);
    }
    if (msp < (uint32_t)(uintptr_t)__stack_bottom) {
        hal_puts("msf: fault: stack overflow by ");
        hal_put_dec((uint32_t)(uintptr_t)__stack_bottom - msp);
        hal_puts(" bytes\n");
    }
    put_field("msf: fault: CFSR", SCB_CFSR);
    put_field("msf: fault: HFSR", SCB_HFSR);
    put_field("msf: fault: MMFAR", SCB_MMFAR);
    put_field("msf: fault: BFAR", SCB_BFAR);
    hal_exit(100 + (int)n);
}
