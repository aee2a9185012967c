#include "msf_runtime.h"

void msf_arena_paint(uint8_t *arena, uint32_t bytes, uint8_t pattern)
{
    for (uint32_t i = 0; i < bytes; i++)
        arena[i] = pattern;
}

uint32_t msf_arena_high_water(const uint8_t *arena, uint32_t bytes, uint8_t pattern)
{
    uint32_t top = bytes;
    while (top > 0 && arena[top - 1] == pattern)
        top--;
    return top;
}
