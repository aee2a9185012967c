/* The word the startup code fills the stack with before main; shared by the
 * startup assembly and hal_stack_high_water. */
#ifndef MSF_STACK_PAINT_H
#define MSF_STACK_PAINT_H
#define STACK_PAINT 0xA5A5A5A5
#endif
