/* RV32 startup (sifive_e): _start, trap entry, the semihosting call. */
#include "stack_paint.h"

/* Linked first in flash: the mask ROM jumps to the start of the XIP flash. */
    .section .text.init, "ax"
    .global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, trap_entry
    csrw mtvec, t0
    la t0, __data_start
    la t1, __data_end
    la t2, __data_load
1:  bgeu t0, t1, 2f
    lw t3, 0(t2)
    sw t3, 0(t0)
    addi t0, t0, 4
    addi t2, t2, 4
    j 1b
2:  la t0, __bss_start
    la t1, __bss_end
3:  bgeu t0, t1, 4f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 3b
    /* Paint the whole stack below sp for hal_stack_high_water. */
4:  la t0, __stack_bottom
    li t2, STACK_PAINT
5:  bgeu t0, sp, 6f
    sw t2, 0(t0)
    addi t0, t0, 4
    j 5b
6:  call main
    call hal_exit

/* Every trap is a failure. The stack may be what broke (an overflow leaves
 * RAM), so report from a fresh stack. mtvec direct mode: 4-byte aligned. */
    .text
    .balign 4
trap_entry:
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    mv a3, sp
    la sp, __stack_top
    call rv32_trap

/* uint32_t rv32_semihost(uint32_t op, const void *arg). QEMU recognises
 * the three instructions only uncompressed and within one page: the 16-byte
 * alignment keeps them in one. */
    .balign 16
    .global rv32_semihost
rv32_semihost:
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    ret
