/* The int32 sums a block's consumer keeps in the arena (a global pool's per
 * channel, a fully connected layer's per unit). They sit at any byte offset:
 * the planner packs them among int8 buffers without alignment padding, so
 * the arena it plans is the bytes alive, never more. Every access goes
 * through these, byte by byte in little-endian order; compilers merge the
 * bytes into one load or store where the target allows unaligned access
 * (Cortex-M3 and up). */
#ifndef MSF_SUMS_S32_H
#define MSF_SUMS_S32_H

#include <stdint.h>

static inline int32_t sums_get(const uint8_t *sums, int32_t i)
{
    const uint8_t *p = sums + 4 * i;
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static inline void sums_set(uint8_t *sums, int32_t i, int32_t v)
{
    uint8_t *p = sums + 4 * i;
    uint32_t u = (uint32_t)v;
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
    p[2] = (uint8_t)(u >> 16);
    p[3] = (uint8_t)(u >> 24);
}

#endif
