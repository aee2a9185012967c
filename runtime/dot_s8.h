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

#include "requantize.h"

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

/* The loops below written out in inline assembly (GCC, short of registers
 * there, spills) need 13 or 14 registers, which clang's allocator does not
 * find: clang builds take the same loops in intrinsics. */
#if defined(__clang__)
#define MSF_DOT_ASM 0
#else
#define MSF_DOT_ASM 1
#endif

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

/* Two output channels (weights w0 and w0 + w1_offset) of one or two pixels
 * (inputs x0 and x0 + x1_offset), over rows kernel rows of len contiguous
 * bytes: s[0] += w0.x0, s[1] += w1.x0 and, for two pixels, s[2] += w0.x1,
 * s[3] += w1.x1. Each loaded word of input serves two channels and each
 * word of weights two pixels: 8 SMLADs for 4 loads and 8 extensions, where
 * one pixel and one channel at a time take 2 SMLADs for 2 loads and 4
 * extensions. pixels is a constant where it is inlined. */
static inline __attribute__((always_inline)) void dot_2ch(int pixels, const int8_t *x0, int32_t x1_offset,
                                                          int32_t x_row_stride, const int8_t *w0,
                                                          int32_t w1_offset, int32_t w_row_stride, int32_t rows,
                                                          int32_t len, int32_t input_offset, int32_t s[4])
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    int32_t words = len >> 2;
    /* The two-pixel loop needs 14 registers: 4 sums, 6 extended halves,
     * the offsets, two pointers and the count. Left to itself GCC spills
     * the sums; written out, only the two constant displacements are read
     * from the stack (relative to the pointers after their increment). */
    int32_t x1_disp = x1_offset - 4, w1_disp = w1_offset - 4;
#define DOT_2CH_WORD                                                                           \
    "ldr %[t0], [%[x]], #4\n\t"                                                                  \
    "ldr %[t2], [%[w]], #4\n\t"                                                                  \
    "ldr %[t4], %[w1]\n\t"                                                                       \
    "ldr %[t4], [%[w], %[t4]]\n\t"                                                               \
    "sxtab16 %[t1], %[off], %[t0]\n\t"                                                           \
    "sxtab16 %[t0], %[off], %[t0], ror #8\n\t"                                                   \
    "sxtb16 %[t3], %[t2]\n\t"                                                                    \
    "sxtb16 %[t2], %[t2], ror #8\n\t"                                                            \
    "sxtb16 %[t5], %[t4]\n\t"                                                                    \
    "sxtb16 %[t4], %[t4], ror #8\n\t"                                                            \
    "smlad %[s0], %[t3], %[t1], %[s0]\n\t"                                                       \
    "smlad %[s0], %[t2], %[t0], %[s0]\n\t"                                                       \
    "smlad %[s1], %[t5], %[t1], %[s1]\n\t"                                                       \
    "smlad %[s1], %[t4], %[t0], %[s1]\n\t"                                                       \
    "ldr %[t0], %[x1]\n\t"                                                                       \
    "ldr %[t0], [%[x], %[t0]]\n\t"                                                               \
    "sxtab16 %[t1], %[off], %[t0]\n\t"                                                           \
    "sxtab16 %[t0], %[off], %[t0], ror #8\n\t"                                                   \
    "smlad %[s2], %[t3], %[t1], %[s2]\n\t"                                                       \
    "smlad %[s2], %[t2], %[t0], %[s2]\n\t"                                                       \
    "smlad %[s3], %[t5], %[t1], %[s3]\n\t"                                                       \
    "smlad %[s3], %[t4], %[t0], %[s3]\n\t"
    if (MSF_DOT_ASM && pixels == 2 && words > 0 && (len & 3) == 0 && rows > 1) {
        /* Kernel rows of whole words: the loop over rows written out too
         * (9 instructions a row; GCC's took about 20). */
        const int8_t *x = x0, *w = w0;
        int32_t n, t0, t1, t2, t3, t4, t5, rows_left = rows;
        int32_t x_advance = x_row_stride - len, w_advance = w_row_stride - len;
        __asm__ volatile("2:\n\t"
                         "ldr %[n], %[words]\n\t"
                         "1:\n\t" DOT_2CH_WORD "subs %[n], %[n], #1\n\t"
                         "bne 1b\n\t"
                         "ldr %[t0], %[xa]\n\t"
                         "add %[x], %[x], %[t0]\n\t"
                         "ldr %[t0], %[wa]\n\t"
                         "add %[w], %[w], %[t0]\n\t"
                         "ldr %[t0], %[rows]\n\t"
                         "subs %[t0], %[t0], #1\n\t"
                         "str %[t0], %[rows]\n\t"
                         "bne 2b"
                         : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x), [w] "+r"(w),
                           [n] "=&r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
                           [t4] "=&r"(t4), [t5] "=&r"(t5), [rows] "+m"(rows_left)
                         : [off] "r"(offsets), [x1] "m"(x1_disp), [w1] "m"(w1_disp), [words] "m"(words),
                           [xa] "m"(x_advance), [wa] "m"(w_advance)
                         : "cc", "memory");
        rows = 0;
    }
    for (int32_t r = 0; r < rows; r++, x0 += x_row_stride, w0 += w_row_stride) {
        const int8_t *x = x0, *w = w0;
        if (!MSF_DOT_ASM) {
            for (int32_t i = 0; i < words; i++, x += 4, w += 4) {
                uint32_t xa = load_4x8(x), wa = load_4x8(w), wb = load_4x8(w + w1_offset);
                int16x2_t a02 = __sxtab16(offsets, xa), a13 = sxtab16_ror8(offsets, xa);
                int16x2_t u02 = __sxtb16(wa), u13 = sxtb16_ror8(wa), v02 = __sxtb16(wb), v13 = sxtb16_ror8(wb);
                s0 = __smlad(u02, a02, __smlad(u13, a13, s0));
                s1 = __smlad(v02, a02, __smlad(v13, a13, s1));
                if (pixels == 2) {
                    uint32_t xb = load_4x8(x + x1_offset);
                    int16x2_t b02 = __sxtab16(offsets, xb), b13 = sxtab16_ror8(offsets, xb);
                    s2 = __smlad(u02, b02, __smlad(u13, b13, s2));
                    s3 = __smlad(v02, b02, __smlad(v13, b13, s3));
                }
            }
        } else if (pixels == 2 && words > 0) {
            int32_t n = words, t0, t1, t2, t3, t4, t5;
            __asm__ volatile("1:\n\t" DOT_2CH_WORD "subs %[n], %[n], #1\n\t"
                             "bne 1b"
                             : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x), [w] "+r"(w),
                               [n] "+r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
                               [t4] "=&r"(t4), [t5] "=&r"(t5)
                             : [off] "r"(offsets), [x1] "m"(x1_disp), [w1] "m"(w1_disp)
                             : "cc", "memory");
        } else if (words > 0) {
            /* One pixel: 15 instructions a word in 13 registers (GCC: 17). */
            int32_t n = words, t0, t1, t2, t3, t4, t5;
            __asm__ volatile("1:\n\t"
                             "ldr %[t0], [%[x]], #4\n\t"
                             "ldr %[t2], [%[w]], #4\n\t"
                             "ldr %[t4], [%[w], %[w1]]\n\t"
                             "sxtab16 %[t1], %[off], %[t0]\n\t"
                             "sxtab16 %[t0], %[off], %[t0], ror #8\n\t"
                             "sxtb16 %[t3], %[t2]\n\t"
                             "sxtb16 %[t2], %[t2], ror #8\n\t"
                             "sxtb16 %[t5], %[t4]\n\t"
                             "sxtb16 %[t4], %[t4], ror #8\n\t"
                             "smlad %[s0], %[t3], %[t1], %[s0]\n\t"
                             "smlad %[s0], %[t2], %[t0], %[s0]\n\t"
                             "smlad %[s1], %[t5], %[t1], %[s1]\n\t"
                             "smlad %[s1], %[t4], %[t0], %[s1]\n\t"
                             "subs %[n], %[n], #1\n\t"
                             "bne 1b"
                             : [s0] "+r"(s0), [s1] "+r"(s1), [x] "+r"(x), [w] "+r"(w), [n] "+r"(n), [t0] "=&r"(t0),
                               [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5)
                             : [off] "r"(offsets), [w1] "r"(w1_disp)
                             : "cc", "memory");
        }
        for (int32_t i = words << 2; i < len; i++) {
            int32_t a = x0[i] + input_offset, u = w0[i], v = w0[i + w1_offset];
            s0 += u * a;
            s1 += v * a;
            if (pixels == 2) {
                int32_t b = x0[i + x1_offset] + input_offset;
                s2 += u * b;
                s3 += v * b;
            }
        }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}


/* Every pair of channels of two pixels, for kernel rows of whole words and
 * right shifts only: for each pair, dot_2ch over rows rows of `words`
 * words, the sums starting from the pair's biases (bias), then
 * requantization with its q (shifts < 0; sat: the clamp is the int8 range)
 * to d0 (pixel 0) and d1 (pixel 1),
 * which advance by two bytes a pair; the next pair's weights are
 * w_pair_step bytes on. All in one piece of assembly in all 14 registers,
 * what persists across its phases kept on the stack: around separate
 * pieces GCC, short of registers, spilled and reloaded about as much as the
 * products of a pointwise layer cost. */
#if MSF_DOT_ASM
#define MSF_DOT_REQUANT_2X2 1

static inline __attribute__((always_inline)) void dot_requant_2x2(
    const int8_t *x, int32_t x1_offset, int32_t x_row_stride, const int8_t *w, int32_t w1_offset,
    int32_t w_row_stride, int32_t w_pair_step, int32_t pairs, int32_t rows, int32_t words, int32_t input_offset,
    const int32_t *bias, const msf_requant *q, int32_t output_offset, int32_t act_min, int32_t act_max, int sat,
    int8_t *d0, int8_t *d1)
{
    /* At most 30 operands: pairs of words read by one LDRD each. */
    int32_t x1_disp = x1_offset - 4, w1_disp = w1_offset - 4;
    int32_t words_offsets[2] = {words, offset_pair(input_offset)};
    int32_t advance[2] = {x_row_stride - 4 * words, w_row_stride - 4 * words}, clamp[2] = {act_min, act_max};
    const int8_t *x_end = x + rows * x_row_stride;
    uintptr_t wb[2] = {(uintptr_t)w, (uintptr_t)bias}, qo[2] = {(uintptr_t)q, (uintptr_t)(uint32_t)output_offset};
    uintptr_t d[2] = {(uintptr_t)d0, (uintptr_t)d1};
    int32_t s0, s1, s2, s3, n, t0, t1, t2, t3, t4, t5, off;
    const int8_t *xp, *wp;
    /* In the requantization: t0..t3 scratch, t4 = q, t5 = output offset,
     * n and off the clamp, xp and wp the two output pointers. */
#define DOT_REQUANT_2X2_ASM(CLAMP)                                                                            \
    __asm__ volatile("3:\n\t"                                                                                 \
                     "ldr %[x], %[x0]\n\t"                                                                    \
                     "ldrd %[w], %[t0], %[wb]\n\t"                                                            \
                     "ldrd %[s0], %[s1], [%[t0]]\n\t"                                                         \
                     "mov %[s2], %[s0]\n\t"                                                                   \
                     "mov %[s3], %[s1]\n\t"                                                                   \
                     "2:\n\t"                                                                                 \
                     "ldrd %[n], %[off], %[wo]\n\t"                                                           \
                     "1:\n\t" DOT_2CH_WORD "subs %[n], %[n], #1\n\t"                                          \
                     "bne 1b\n\t"                                                                             \
                     "ldrd %[t0], %[t1], %[adv]\n\t"                                                          \
                     "add %[x], %[x], %[t0]\n\t"                                                              \
                     "add %[w], %[w], %[t1]\n\t"                                                              \
                     "ldr %[t0], %[xend]\n\t"                                                                 \
                     "cmp %[x], %[t0]\n\t"                                                                    \
                     "bne 2b\n\t"                                                                             \
                     "ldrd %[t4], %[t5], %[qo]\n\t"                                                           \
                     "ldrd %[n], %[off], %[clamp]\n\t"                                                        \
                     "ldrd %[x], %[w], %[d]\n\t" MSF_RQ_STEP(CLAMP, s0, t4, 0, x, 0, t0, t1, t2, t3, t5, n, off) \
                         MSF_RQ_STEP(CLAMP, s1, t4, 12, x, 1, t0, t1, t2, t3, t5, n, off)                     \
                             MSF_RQ_STEP(CLAMP, s2, t4, 0, w, 0, t0, t1, t2, t3, t5, n, off)                  \
                                 MSF_RQ_STEP(CLAMP, s3, t4, 12, w, 1, t0, t1, t2, t3, t5, n, off)             \
                     "add %[x], %[x], #2\n\t"                                                                 \
                     "add %[w], %[w], #2\n\t"                                                                 \
                     "strd %[x], %[w], %[d]\n\t"                                                              \
                     "add %[t4], %[t4], #24\n\t"                                                              \
                     "str %[t4], %[qo]\n\t"                                                                   \
                     "ldrd %[t0], %[t1], %[wb]\n\t"                                                           \
                     "ldr %[t2], %[wstep]\n\t"                                                                \
                     "add %[t0], %[t0], %[t2]\n\t"                                                            \
                     "add %[t1], %[t1], #8\n\t"                                                               \
                     "strd %[t0], %[t1], %[wb]\n\t"                                                           \
                     "ldr %[t0], %[pairs]\n\t"                                                                \
                     "subs %[t0], %[t0], #1\n\t"                                                              \
                     "str %[t0], %[pairs]\n\t"                                                                \
                     "bne 3b"                                                                                 \
                     : [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3), [x] "=&r"(xp), [w] "=&r"(wp), \
                       [n] "=&r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),          \
                       [t4] "=&r"(t4), [t5] "=&r"(t5), [off] "=&r"(off), [wb] "+m"(wb), [qo] "+m"(qo), [d] "+m"(d), \
                       [pairs] "+m"(pairs)                                                                    \
                     : [x0] "m"(x), [xend] "m"(x_end), [x1] "m"(x1_disp), [w1] "m"(w1_disp),                  \
                       [wo] "m"(words_offsets), [adv] "m"(advance), [clamp] "m"(clamp), [wstep] "m"(w_pair_step) \
                     : "cc", "memory")
    if (sat)
        DOT_REQUANT_2X2_ASM(MSF_RQ_SAT);
    else
        DOT_REQUANT_2X2_ASM(MSF_RQ_CLAMP);
#undef DOT_REQUANT_2X2_ASM
}
#endif
#undef DOT_2CH_WORD

/* Depthwise with depth multiplier 1, four adjacent channels at once. A
 * channel's taps are strided, but four channels of one tap are a word: each
 * product goes to its own channel with SMLABB (bottom halves) or SMLATT
 * (top halves). The kernel runs over every pixel of a call, so its words
 * are sign-extended once (dw4_load) into the halves SMLAxy takes. */
#define DW4_MAX_TAPS 9

typedef struct {
    int16x2_t w[DW4_MAX_TAPS][2]; /* per tap: channels 0 and 2, 1 and 3 */
} dw4_weights;

/* The kernel's taps (kernel_h x kernel_w <= DW4_MAX_TAPS, pixels `pixel`
 * bytes apart) of the four channels from w. */
static inline void dw4_load(const int8_t *w, int32_t taps, int32_t pixel, dw4_weights *k)
{
    for (int32_t i = 0; i < taps; i++, w += pixel) {
        uint32_t v = load_4x8(w);
        k->w[i][0] = __sxtb16(v);
        k->w[i][1] = sxtb16_ror8(v);
    }
}

static inline __attribute__((always_inline)) void dw4_tap(const int8_t *x, const int16x2_t w[2],
                                                          int16x2_t offsets, int32_t *s0, int32_t *s1,
                                                          int32_t *s2, int32_t *s3)
{
    uint32_t xv = load_4x8(x);
    int16x2_t x02 = __sxtab16(offsets, xv), x13 = sxtab16_ror8(offsets, xv);
    *s0 = __smlabb(w[0], x02, *s0);
    *s2 = __smlatt(w[0], x02, *s2);
    *s1 = __smlabb(w[1], x13, *s1);
    *s3 = __smlatt(w[1], x13, *s3);
}

/* sums[c] += Σ w[c] * (x[c] + input_offset) over rows x cols taps of one
 * pixel, the first being tap `first` of a kernel kernel_w wide; input
 * pixels are x_pixel apart. Rows of three taps (3x3 kernels where the
 * written-out loops below are not built, clipped larger kernels) are
 * unrolled: the loop would cost a third of the arithmetic. */
static inline __attribute__((always_inline)) void dw4_dot(const int8_t *x, int32_t x_row_stride,
                                                          int32_t x_pixel, const dw4_weights *k, int32_t first,
                                                          int32_t kernel_w, int32_t rows, int32_t cols,
                                                          int32_t input_offset, int32_t sums[4])
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3];
    const int16x2_t(*w)[2] = &k->w[first];
    for (int32_t r = 0; r < rows; r++, x += x_row_stride, w += kernel_w) {
        if (cols == 3) {
            dw4_tap(x, w[0], offsets, &s0, &s1, &s2, &s3);
            dw4_tap(x + x_pixel, w[1], offsets, &s0, &s1, &s2, &s3);
            dw4_tap(x + 2 * x_pixel, w[2], offsets, &s0, &s1, &s2, &s3);
            continue;
        }
        const int8_t *xp = x;
        for (int32_t c = 0; c < cols; c++, xp += x_pixel)
            dw4_tap(xp, w[c], offsets, &s0, &s1, &s2, &s3);
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

#if MSF_DOT_ASM
#define MSF_DW4_WRITTEN_OUT
/* dw4_dot for kernels three taps wide, written out: 8 instructions a tap
 * in 13 or 14 registers (GCC spills and takes 11). One tap: the input word
 * at ADDR, the weights at byte W of w. */
#define DW4_TAP(ADDR, W)                                                                       \
    "ldr %[t0], " ADDR "\n\t"                                                                    \
    "sxtab16 %[t1], %[off], %[t0]\n\t"                                                           \
    "sxtab16 %[t0], %[off], %[t0], ror #8\n\t"                                                   \
    "ldrd %[t2], %[t3], [%[w], #" #W "]\n\t"                                                      \
    "smlabb %[s0], %[t2], %[t1], %[s0]\n\t"                                                      \
    "smlatt %[s2], %[t2], %[t1], %[s2]\n\t"                                                      \
    "smlabb %[s1], %[t3], %[t0], %[s1]\n\t"                                                      \
    "smlatt %[s3], %[t3], %[t0], %[s3]\n\t"
/* The taps of a kernel row from its weights at byte W (8 bytes a tap). */
#define DW4_ROW3(W) DW4_TAP("[%[x]]", W) DW4_TAP("[%[x], %[xp]]", W + 8) DW4_TAP("[%[x], %[xp], lsl #1]", W + 16)
#define DW4_ROW2(W) DW4_TAP("[%[x]]", W) DW4_TAP("[%[x], %[xp]]", W + 8)

/* A whole 3x3 window (no tap outside the map): its rows unrolled. */
static inline __attribute__((always_inline)) void dw4_dot3x3(const int8_t *x, int32_t x_row_stride,
                                                             int32_t x_pixel, const dw4_weights *k,
                                                             int32_t input_offset, int32_t sums[4])
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], t0, t1, t2, t3;
    const int16x2_t(*w)[2] = k->w;
    __asm__(DW4_ROW3(0) "add %[x], %[x], %[xr]\n\t" DW4_ROW3(24) "add %[x], %[x], %[xr]\n\t" DW4_ROW3(48)
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x), [t0] "=&r"(t0),
              [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
            : [off] "r"(offsets), [xp] "r"(x_pixel), [xr] "r"(x_row_stride), [w] "r"(w)
            : "memory");
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

/* A window of a 3-wide kernel clipped by the map: rows >= 1 rows of cols
 * (2 or 3) taps, the first being tap `first` of the kernel. */
static inline __attribute__((always_inline)) void dw4_dot3_rows(int cols, const int8_t *x, int32_t x_row_stride,
                                                                int32_t x_pixel, const dw4_weights *k,
                                                                int32_t first, int32_t rows, int32_t input_offset,
                                                                int32_t sums[4])
{
    int16x2_t offsets = offset_pair(input_offset);
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], t0, t1, t2, t3;
    const int16x2_t(*w)[2] = &k->w[first];
#define DW4_ROWS(ROW)                                                                          \
    __asm__("1:\n\t" ROW(0) "add %[x], %[x], %[xr]\n\t"                                          \
            "add %[w], %[w], #24\n\t"                                                             \
            "subs %[r], %[r], #1\n\t"                                                             \
            "bne 1b"                                                                           \
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x), [w] "+r"(w), \
              [r] "+r"(rows), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)   \
            : [off] "r"(offsets), [xp] "r"(x_pixel), [xr] "r"(x_row_stride)                    \
            : "cc", "memory")
    if (cols == 3)
        DW4_ROWS(DW4_ROW3);
    else
        DW4_ROWS(DW4_ROW2);
#undef DW4_ROWS
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}
#undef DW4_TAP
#undef DW4_ROW3
#undef DW4_ROW2
#endif

#else

/* Portable C: the same sums, a product at a time. */
static inline int32_t dot_s8_offset(int32_t acc, const int8_t *w, const int8_t *x, int32_t n,
                                    int32_t input_offset)
{
    for (int32_t i = 0; i < n; i++)
        acc += w[i] * (x[i] + input_offset);
    return acc;
}

/* The same blocking as the DSP body: each input byte (offset added once)
 * serves two channels, each weight two pixels. */
static inline __attribute__((always_inline)) void dot_2ch(int pixels, const int8_t *x0, int32_t x1_offset,
                                                          int32_t x_row_stride, const int8_t *w0,
                                                          int32_t w1_offset, int32_t w_row_stride, int32_t rows,
                                                          int32_t len, int32_t input_offset, int32_t s[4])
{
    int32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (int32_t r = 0; r < rows; r++, x0 += x_row_stride, w0 += w_row_stride) {
        const int8_t *x = x0, *w = w0, *end = w0 + len;
        for (; w < end; x++, w++) {
            int32_t a = *x + input_offset, u = *w, v = w[w1_offset];
            s0 += u * a;
            s1 += v * a;
            if (pixels == 2) {
                int32_t b = x[x1_offset] + input_offset;
                s2 += u * b;
                s3 += v * b;
            }
        }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

/* Four output channels (weights w0 + k * w_step, k < 4) of one or two
 * pixels, as dot_2ch: s[k] += w_k.x0 and, for two pixels, s[4 + k] +=
 * w_k.x1. Each input byte, its offset added once, serves four channels and
 * each weight byte two pixels: 8 products for 6 loads and 2 additions,
 * where dot_2ch takes 4 for 4 and 2. The 8 sums and 6 pointers fit the
 * registers of RV32 (which runs this body), not those of 32-bit Arm
 * without the DSP path (MSF_NO_DSP), which keeps dot_2ch: there they spill
 * (7 to 19% more instructions a conv layer on m7). Kernel rows go four
 * bytes a step: RV32 addresses only a register plus a constant, so each of
 * the six streams then advances once per four bytes instead of once per
 * byte. */
#if !defined(__arm__)
#define MSF_DOT_4CH 1
#define DOT_4CH_BYTE(k)                                                                        \
    do {                                                                                       \
        int32_t a = x[k] + input_offset, b = pixels == 2 ? xb[k] + input_offset : 0;          \
        int32_t v0 = u0[k], v1 = u1[k], v2 = u2[k], v3 = u3[k];                                \
        s0 += v0 * a;                                                                          \
        s1 += v1 * a;                                                                          \
        s2 += v2 * a;                                                                          \
        s3 += v3 * a;                                                                          \
        if (pixels == 2) {                                                                     \
            s4 += v0 * b;                                                                      \
            s5 += v1 * b;                                                                      \
            s6 += v2 * b;                                                                      \
            s7 += v3 * b;                                                                      \
        }                                                                                      \
        __asm__ volatile("" ::: "memory");                                                     \
    } while (0)

static inline __attribute__((always_inline)) void dot_4ch(int pixels, const int8_t *x0, int32_t x1_offset,
                                                          int32_t x_row_stride, const int8_t *w0, int32_t w_step,
                                                          int32_t w_row_stride, int32_t rows, int32_t len,
                                                          int32_t input_offset, int32_t s[8])
{
    int32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3], s4 = s[4], s5 = s[5], s6 = s[6], s7 = s[7];
    for (int32_t r = 0; r < rows; r++, x0 += x_row_stride, w0 += w_row_stride) {
        const int8_t *x = x0, *xb = x0 + x1_offset, *u0 = w0, *u1 = u0 + w_step, *u2 = u1 + w_step,
                     *u3 = u2 + w_step, *end = w0 + (len & ~3);
        for (; u0 < end; x += 4, xb += 4, u0 += 4, u1 += 4, u2 += 4, u3 += 4) {
            DOT_4CH_BYTE(0);
            DOT_4CH_BYTE(1);
            DOT_4CH_BYTE(2);
            DOT_4CH_BYTE(3);
        }
        for (end = w0 + len; u0 < end; x++, xb++, u0++, u1++, u2++, u3++)
            DOT_4CH_BYTE(0);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    s[4] = s4;
    s[5] = s5;
    s[6] = s6;
    s[7] = s7;
}
#undef DOT_4CH_BYTE
#endif

/* Depthwise, four channels: the kernel's weights of the four channels,
 * gathered once per call (as bytes: a byte load sign-extends for free, and
 * the stack is RAM). */
#define DW4_MAX_TAPS 9

typedef struct {
    int8_t w[DW4_MAX_TAPS][4];
} dw4_weights;

static inline void dw4_load(const int8_t *w, int32_t taps, int32_t pixel, dw4_weights *k)
{
    for (int32_t i = 0; i < taps; i++, w += pixel)
        for (int32_t c = 0; c < 4; c++)
            k->w[i][c] = w[c];
}

static inline __attribute__((always_inline)) void dw4_dot(const int8_t *x, int32_t x_row_stride,
                                                          int32_t x_pixel, const dw4_weights *k, int32_t first,
                                                          int32_t kernel_w, int32_t rows, int32_t cols,
                                                          int32_t input_offset, int32_t sums[4])
{
    /* Four named sums stay in registers; GCC keeps an array's in memory.
     * Rows of three taps (3x3 kernels) are written out, as in
     * dw4_pair3x3. */
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3];
    const int8_t(*w)[4] = &k->w[first];
#define DW4_TAP(xp, wc)                                                                        \
    do {                                                                                       \
        s0 += (wc)[0] * ((xp)[0] + input_offset);                                              \
        s1 += (wc)[1] * ((xp)[1] + input_offset);                                              \
        s2 += (wc)[2] * ((xp)[2] + input_offset);                                              \
        s3 += (wc)[3] * ((xp)[3] + input_offset);                                              \
        __asm__ volatile("" ::: "memory");                                                     \
    } while (0)
    for (int32_t r = 0; r < rows; r++, x += x_row_stride, w += kernel_w) {
        if (cols == 3) {
            const int8_t *x1 = x + x_pixel;
            DW4_TAP(x, w[0]);
            DW4_TAP(x1, w[1]);
            DW4_TAP(x1 + x_pixel, w[2]);
            continue;
        }
        const int8_t *xp = x;
        for (int32_t c = 0; c < cols; c++, xp += x_pixel)
            DW4_TAP(xp, w[c]);
    }
#undef DW4_TAP
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

/* Two whole 3x3 windows of the four channels, the second's x1_offset bytes
 * after the first's: sums[c] += Σ w[c] * x[c] and sums[4 + c] likewise,
 * without the input offset, which the caller folds into where the sums
 * start (the offset times the window's weights: whole windows only). Each
 * weight loaded serves both pixels: a tap of both costs 12 loads and 16
 * multiply-adds where one pixel at a time costs 16 loads, 8 additions of
 * the offset and 16 multiply-adds. */
#define MSF_DW4_PAIR 1
static inline __attribute__((always_inline)) void dw4_pair3x3(const int8_t *x, int32_t x_row_stride,
                                                              int32_t x_pixel, int32_t x1_offset,
                                                              const dw4_weights *k, int32_t sums[8])
{
    int32_t s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3], s4 = sums[4], s5 = sums[5], s6 = sums[6],
            s7 = sums[7];
    /* One tap of both pixels (input bytes at a and b, weights w). The
     * empty asm keeps GCC from loading every tap's bytes first, for which
     * it has no registers (RV32: 27 loads spilled). A row's three taps are
     * written out: as a loop, stepping its pointers cost 4 instructions a
     * tap. */
#define DW4_PAIR_TAP(a, b, w)                                                                  \
    do {                                                                                       \
        int32_t w0 = (w)[0], w1 = (w)[1], w2 = (w)[2], w3 = (w)[3];                            \
        s0 += w0 * (a)[0];                                                                     \
        s1 += w1 * (a)[1];                                                                     \
        s2 += w2 * (a)[2];                                                                     \
        s3 += w3 * (a)[3];                                                                     \
        s4 += w0 * (b)[0];                                                                     \
        s5 += w1 * (b)[1];                                                                     \
        s6 += w2 * (b)[2];                                                                     \
        s7 += w3 * (b)[3];                                                                     \
        __asm__ volatile("" ::: "memory");                                                     \
    } while (0)
    const int8_t(*w)[4] = k->w;
    for (int32_t r = 0; r < 3; r++, x += x_row_stride, w += 3) {
        const int8_t *a1 = x + x_pixel, *a2 = a1 + x_pixel, *b = x + x1_offset;
        DW4_PAIR_TAP(x, b, w[0]);
        DW4_PAIR_TAP(a1, b + x_pixel, w[1]);
        DW4_PAIR_TAP(a2, b + 2 * x_pixel, w[2]);
    }
#undef DW4_PAIR_TAP
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
    sums[4] = s4;
    sums[5] = s5;
    sums[6] = s6;
    sums[7] = s7;
}

#endif

/* 3x3 windows without written-out loops (portable, clang, no DSP): the
 * general four-channel dot product. */
#ifndef MSF_DW4_WRITTEN_OUT
static inline __attribute__((always_inline)) void dw4_dot3x3(const int8_t *x, int32_t x_row_stride,
                                                             int32_t x_pixel, const dw4_weights *k,
                                                             int32_t input_offset, int32_t sums[4])
{
    dw4_dot(x, x_row_stride, x_pixel, k, 0, 3, 3, 3, input_offset, sums);
}

static inline __attribute__((always_inline)) void dw4_dot3_rows(int cols, const int8_t *x, int32_t x_row_stride,
                                                                int32_t x_pixel, const dw4_weights *k,
                                                                int32_t first, int32_t rows, int32_t input_offset,
                                                                int32_t sums[4])
{
    dw4_dot(x, x_row_stride, x_pixel, k, first, 3, rows, cols, input_offset, sums);
}
#endif

#endif
