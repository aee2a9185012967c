/* Target-independent parts of the HAL, and the four memory functions GCC
 * requires of a freestanding environment (it calls them for struct copies
 * and for loops it recognises). */
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "stack_paint.h"

/* Linker symbols: the stack region [__stack_bottom, __stack_top). */
extern uint32_t __stack_bottom[], __stack_top[];

uint32_t hal_stack_high_water(void)
{
    const volatile uint32_t *p = __stack_bottom;
    while (p < __stack_top && *p == STACK_PAINT)
        p++;
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

void hal_put_dec(uint64_t v)
{
    char buf[21];
    char *p = buf + sizeof buf;
    *--p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    hal_puts(p);
}

void hal_put_hex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++)
        buf[2 + i] = digits[(v >> (28 - 4 * i)) & 0xF];
    buf[10] = '\0';
    hal_puts(buf);
}

/* noinline and different bodies: the plugin needs two distinct addresses,
 * and identical functions would be merged by -fipa-icf. */
static volatile uint32_t insn_marker;

__attribute__((noinline)) void hal_insn_begin(void)
{
    insn_marker = 1;
}

__attribute__((noinline)) void hal_insn_end(void)
{
    insn_marker = 2;
}

/* Loop-pattern recognition would turn these loops into calls to themselves. */
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALLS void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}
