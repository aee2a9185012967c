/* Multi-byte values at any byte offset of the arena or the caller's
 * buffers: a block consumer's int32 sums and float32 graph inputs and
 * outputs. The planner packs every buffer without alignment padding, so the
 * arena it plans is the bytes alive, never more; the runtime reads and
 * writes these values a byte at a time, in little-endian order (compilers
 * merge the bytes into one load or store where the target allows unaligned
 * access, as Cortex-M3 and up do for LDR and STR). */
#ifndef MSF_UNALIGNED_H
#define MSF_UNALIGNED_H

#include <stdint.h>

static inline int32_t load_s32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static inline void store_s32(uint8_t *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
    p[2] = (uint8_t)(u >> 16);
    p[3] = (uint8_t)(u >> 24);
}

/* The float with the bits of p's four bytes (a union, as C99 allows). */
static inline float load_f32(const uint8_t *p)
{
    union {
        int32_t i;
        float f;
    } u = {load_s32(p)};
    return u.f;
}

static inline void store_f32(uint8_t *p, float v)
{
    union {
        float f;
        int32_t i;
    } u = {v};
    store_s32(p, u.i);
}

/* Sum i of a consumer's int32 sums. */
static inline int32_t sums_get(const uint8_t *sums, int32_t i)
{
    return load_s32(sums + 4 * i);
}

static inline void sums_set(uint8_t *sums, int32_t i, int32_t v)
{
    store_s32(sums + 4 * i, v);
}

#endif
