/* The int8 dot products of conv, fully connected and depthwise:
 * Σ w * (x + input_offset) in int32. Each has two bodies, chosen at compile
 * time: Cortex-M4/M7 DSP instructions (SMLAD: two 16-bit products added to
 * the sum in one instruction) when the compiler targets them
 * (__ARM_FEATURE_DSP, little-endian) and MSF_NO_DSP is not defined,
 * portable C otherwise.
 * The sums are equal: the importer refuses weights that could take any
 * partial sum out of int32, so both add up the same products exactly, in
 * whatever order (SMLAD and SMLAxy never saturate or set the Q flag).
 * Internal to the runtime. */
#ifndef MSF_DOT_S8_H
#define MSF_DOT_S8_H

#include <stdint.h>

/* Little-endian only: depthwise maps byte k of a word to channel k. */
#if defined(__ARM_FEATURE_DSP) && !defined(__ARM_BIG_ENDIAN) && !defined(MSF_NO_DSP)
#include <arm_acle.h>

/* Four bytes at any address: a 4-byte memcpy compiles to one LDR, which
 * Cortex-M4/M7 allow unaligned (unless firmware sets CCR.UNALIGN_TRP).
 * GCC does not merge such loads into LDRD or LDM, which need alignment. */
static inline uint32_t load_4x8(const int8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

/* x + input_offset lies in [-255, 255], an int16: SXTAB16 adds it to two
 * sign-extended bytes of x at once. The offset in both halfwords: */
static inline int16x2_t offset_pair(int32_t input_offset)
{
    return (int16x2_t)((uint32_t)(uint16_t)input_offset * 0x00010001u);
}

/* SXTB16 and SXTAB16 of v rotated right by 8, that is of bytes 1 and 3: one
 * instruction each, but GCC 12's <arm_acle.h> has no __ror and GCC does not
 * fold a rotate into their operand (it would cost a MOV each). */
static inline int16x2_t sxtb16_ror8(uint32_t v)
{
    int16x2_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

static inline int16x2_t sxtab16_ror8(int16x2_t a, uint32_t v)
{
    int16x2_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
    return r;
}

/* acc plus the sum over n contiguous bytes (conv's kernel row, fully
 * connected's inputs); taking acc saves an addition per kernel row. The
 * order of the products does not matter: bytes 0 and 2 of four go in one
 * SMLAD, bytes 1 and 3 in the other. */
static inline int32_t dot_s8_offset(int32_t acc, const int8_t *w, const int8_t *x, int32_t n,
                                    int32_t input_offset)
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t wv = load_4x8(w + i), xv = load_4x8(x + i);
        acc = __smlad(__sxtb16(wv), __sxtab16(offsets, xv), acc);
        acc = __smlad(sxtb16_ror8(wv), sxtab16_ror8(offsets, xv), acc);
    }
    for (; i < n; i++)
        acc += w[i] * (x[i] + input_offset);
    return acc;
}

/* Depthwise with depth multiplier 1, four adjacent channels at once:
 * sums[k] = Σ w[k] * (x[k] + input_offset) over a rows x cols block of taps;
 * pixels are x_pixel (input) and w_pixel (weights) apart. A channel's taps
 * are strided, but four channels of one tap are a word: each product goes
 * to its own channel with SMLABB (bottom halves) or SMLATT (top halves). */
static inline void dot_taps_4ch(const int8_t *x, int32_t x_row_stride, int32_t x_pixel, const int8_t *w,
                                int32_t w_row_stride, int32_t w_pixel, int32_t rows, int32_t cols,
                                int32_t input_offset, int32_t sums[4])
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *xp = x, *wp = w;
        for (int32_t c = 0; c < cols; c++, xp += x_pixel, wp += w_pixel) {
            uint32_t wv = load_4x8(wp), xv = load_4x8(xp);
            int16x2_t w02 = __sxtb16(wv), x02 = __sxtab16(offsets, xv);
            int16x2_t w13 = sxtb16_ror8(wv), x13 = sxtab16_ror8(offsets, xv);
            s0 = __smlabb(w02, x02, s0);
            s2 = __smlatt(w02, x02, s2);
            s1 = __smlabb(w13, x13, s1);
            s3 = __smlatt(w13, x13, s3);
        }
        x += x_row_stride;
        w += w_row_stride;
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

#else

/* Portable C: the same sums, a product at a time. */
static inline int32_t dot_s8_offset(int32_t acc, const int8_t *w, const int8_t *x, int32_t n,
                                    int32_t input_offset)
{
    for (int32_t i = 0; i < n; i++)
        acc += w[i] * (x[i] + input_offset);
    return acc;
}

static inline void dot_taps_4ch(const int8_t *x, int32_t x_row_stride, int32_t x_pixel, const int8_t *w,
                                int32_t w_row_stride, int32_t w_pixel, int32_t rows, int32_t cols,
                                int32_t input_offset, int32_t sums[4])
{
    /* Four named sums stay in registers; GCC keeps an array's in memory. */
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *xp = x, *wp = w;
        for (int32_t c = 0; c < cols; c++, xp += x_pixel, wp += w_pixel) {
            s0 += wp[0] * (xp[0] + input_offset);
            s1 += wp[1] * (xp[1] + input_offset);
            s2 += wp[2] * (xp[2] + input_offset);
            s3 += wp[3] * (xp[3] + input_offset);
        }
        x += x_row_stride;
        w += w_row_stride;
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

#endif

#endif
