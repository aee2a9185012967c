/* Cortex-M startup (M4F and M7): vector table, reset, fault entry. */
#include "stack_paint.h"

    .syntax unified
    .thumb

/* Only the 16 system vectors: the firmware enables no interrupt. */
    .section .vectors, "a"
    .align 2
    .global vectors
vectors:
    .word __stack_top
    .word Reset_Handler
    .rept 14
    .word Fault_Handler
    .endr

    .section .text.Reset_Handler, "ax"
    .thumb_func
    .global Reset_Handler
Reset_Handler:
    /* The core loads MSP from the vector table, a debugger may not. */
    ldr r0, =__stack_top
    msr msp, r0
#ifdef __ARM_FP
    /* CPACR: full access to CP10/CP11, or the first FPU instruction faults. */
    ldr r0, =0xE000ED88
    ldr r1, [r0]
    orr r1, r1, #(0xF << 20)
    str r1, [r0]
    dsb
    isb
#endif
    ldr r0, =__data_start
    ldr r1, =__data_end
    ldr r2, =__data_load
1:  cmp r0, r1
    bhs 2f
    ldr r3, [r2], #4
    str r3, [r0], #4
    b 1b
2:  ldr r0, =__bss_start
    ldr r1, =__bss_end
    movs r2, #0
3:  cmp r0, r1
    bhs 4f
    str r2, [r0], #4
    b 3b
    /* Paint the whole stack below sp for hal_stack_high_water. */
4:  ldr r0, =__stack_bottom
    mov r1, sp
    ldr r2, =STACK_PAINT
5:  cmp r0, r1
    bhs 6f
    str r2, [r0], #4
    b 5b
6:  bl arm_init
    bl main
    bl hal_exit

/* Every exception is a failure. The stack may be what broke (an overflow
 * leaves RAM), so report from a fresh stack; arm_fault reads the exception
 * frame only where it lies inside RAM. */
    .section .text.Fault_Handler, "ax"
    .thumb_func
    .global Fault_Handler
Fault_Handler:
    mrs r0, msp
    mrs r1, ipsr
    ldr r2, =__stack_top
    mov sp, r2
    b arm_fault
