/* TFLite's fixed-point requantization (gemmlowp fixedpoint.h semantics):
 * doubling high multiply with round-to-nearest, then a rounding shift that
 * rounds half away from zero. Two rounding steps, not one: a single
 * (x*M + round) >> n differs by one LSB now and then. */
#ifndef MSF_REQUANTIZE_H
#define MSF_REQUANTIZE_H

#include <stdint.h>

static inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31));
}

static inline int32_t rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    int32_t mask = (int32_t)((1LL << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* shift > 0 multiplies by 2^shift before the high multiply; shift < 0
 * divides after it (TFLite's MultiplyByQuantizedMultiplier). */
static inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul((int32_t)((uint32_t)x << left), multiplier), right);
}

#if defined(__arm__)
/* The high word of x * m + (k_hi : k_lo). Thumb-2 has it in one SMLAL, but
 * GCC, sharing m's sign extension between neighbouring calls, may make a
 * 64 x 64-bit multiply of it; so the instruction is spelt out there (with
 * the DSP path: MSF_NO_DSP builds are all C). */
static inline int32_t mul_add_high(int32_t x, int32_t m, int32_t k_hi, uint32_t k_lo)
{
#if defined(__thumb2__) && !defined(MSF_NO_DSP)
    __asm__("smlal %0, %1, %2, %3" : "+r"(k_lo), "+r"(k_hi) : "r"(x), "r"(m));
    return k_hi;
#else
    uint64_t k = (uint64_t)(uint32_t)k_hi << 32 | k_lo;
    return (int32_t)(((int64_t)x * m + (int64_t)k) >> 32);
#endif
}
#endif

/* multiply_by_quantized_multiplier for a multiplier >= 0 (QuantizeMultiplier's
 * are in [0, 2^31), and the importer derives every conv, depthwise, fully
 * connected and add multiplier that way), in one 64-bit multiply-add
 * (mul_add_high) and one shift: the requantization of every output of
 * those kernels, where the two roundings above cost more than the products
 * of a small layer.
 *
 * shift >= 0 leaves only the high multiply, floor((x' m + 2^30) / 2^31) with
 * x' = x << shift (SRDHM's one saturating case needs a negative multiplier).
 * shift = -e < 0: with t = floor((x m + 2^30) / 2^31), the rounding shift is
 * floor((t + 2^(e-1) - [t < 0]) / 2^e), and nested floors merge:
 *   result = floor((x m + 2^30 + 2^31 (2^(e-1) - [t < 0])) / 2^(31+e)).
 * [t < 0] may be [x < 0]: they differ only when x m is in [-2^30, 0), where
 * t = 0 and both give 0. So with c = 2^(e-1) - [x < 0], the 64-bit constant
 * 2^30 + 2^31 c is (c >> 1 : c << 31 | 2^30), and as 31 + e >= 32 the result
 * is the high word shifted right by e - 1. requant_of derives the
 * per-channel constants once, where a channel is requantized at many
 * pixels; requant_apply applies them.
 *
 * Without Arm's carry flag (RV32, where a 64-bit addition takes a
 * compare for its carry; other non-Arm builds) the same result in 32-bit
 * steps: with P = x * 2m (2m < 2^32 unsigned: RV32's MULHSU gives P's high
 * word H), t = floor((x m + 2^30) / 2^31) = H + (bit 31 of P's low word)
 * (9 instructions on RV32 where the 64-bit constant took 12). The merged
 * floor above is
 * floor((t' + 2^(e-1)) / 2^e) with t' = t - [x < 0], which is
 * ((t' >> (e - 1)) + 1) >> 1: with t' = q 2^(e-1) + r, 0 <= r < 2^(e-1),
 * floor((q + 1) / 2 + r / 2^e) = floor((q + 1) / 2) since r / 2^e < 1/2.
 * Nothing overflows: m < 2^31 keeps t in [-2^31 + 1, 2^31 - 2]. */
typedef struct {
    int32_t multiplier;
    int32_t round; /* shift < 0: 2^(e-1); shift >= 0: the shift */
    int32_t e1;    /* shift < 0: e - 1 (>= 0); shift >= 0: -1 */
} msf_requant;

static inline msf_requant requant_of(int32_t multiplier, int32_t shift)
{
    msf_requant q = {multiplier, shift < 0 ? (int32_t)(1u << (-shift - 1)) : shift, shift < 0 ? -shift - 1 : -1};
    return q;
}

/* requant_apply for a shift < 0 (q.e1 >= 0). */
static inline int32_t requant_apply_right(int32_t x, msf_requant q)
{
#if defined(__arm__)
    int32_t c = q.round + (x >> 31);
    return mul_add_high(x, q.multiplier, c >> 1, (uint32_t)c << 31 | 0x40000000u) >> q.e1;
#else
    int64_t p = (int64_t)x * (int64_t)(uint64_t)((uint32_t)q.multiplier << 1);
    int32_t t = (int32_t)(p >> 32) + (int32_t)((uint32_t)p >> 31) + (x >> 31);
    return ((t >> q.e1) + 1) >> 1;
#endif
}

static inline int32_t requant_apply(int32_t x, msf_requant q)
{
    if (q.e1 < 0) {
        int64_t ab = (int64_t)(int32_t)((uint32_t)x << q.round) * q.multiplier;
        return (int32_t)((ab + (1 << 30)) >> 31);
    }
    return requant_apply_right(x, q);
}

static inline int32_t multiply_by_quantized_multiplier_nonneg(int32_t x, int32_t multiplier, int32_t shift)
{
    return requant_apply(x, requant_of(multiplier, shift));
}

/* requant_apply written out for Arm (Thumb-2) inline assembly: acc (a
 * register operand's name) with the constants at q + qo bytes (an
 * msf_requant whose shift is < 0), plus the output offset oo, clamped by
 * CLAMP (MSF_RQ_CLAMP: to [mn, mx], 6 instructions; MSF_RQ_SAT: to
 * [-128, 127], the usual range, one SSAT), stored to byte off of d; m, c, e
 * and lo are scratch registers. 16 or 11 instructions: where GCC is short
 * of registers in a kernel's loop it reloads every constant per output and
 * takes 22. */
#define MSF_RQ_CLAMP(c, mn, mx)                                                                \
    "cmp %[" #c "], %[" #mn "]\n\t"                                                              \
    "it lt\n\t"                                                                                  \
    "movlt %[" #c "], %[" #mn "]\n\t"                                                            \
    "cmp %[" #c "], %[" #mx "]\n\t"                                                              \
    "it gt\n\t"                                                                                  \
    "movgt %[" #c "], %[" #mx "]\n\t"
#define MSF_RQ_SAT(c, mn, mx) "ssat %[" #c "], #8, %[" #c "]\n\t"
#define MSF_RQ_STEP(CLAMP, acc, q, qo, d, off, m, c, e, lo, oo, mn, mx)                       \
    "ldrd %[" #m "], %[" #c "], [%[" #q "], #" #qo "]\n\t"                                       \
    "ldr %[" #e "], [%[" #q "], #" #qo " + 8]\n\t"                                               \
    "add %[" #c "], %[" #c "], %[" #acc "], asr #31\n\t"                                         \
    "lsl %[" #lo "], %[" #c "], #31\n\t"                                                         \
    "orr %[" #lo "], %[" #lo "], #0x40000000\n\t"                                                \
    "asr %[" #c "], %[" #c "], #1\n\t"                                                           \
    "smlal %[" #lo "], %[" #c "], %[" #acc "], %[" #m "]\n\t"                                    \
    "asr %[" #c "], %[" #c "], %[" #e "]\n\t"                                                    \
    "add %[" #c "], %[" #c "], %[" #oo "]\n\t" CLAMP(c, mn, mx)                                 \
    "strb %[" #c "], [%[" #d "], #" #off "]\n\t"

/* How a kernel may requantize a set of channels: in C (some shift >= 0),
 * or written out with the clamp, or with SSAT when the clamp is the int8
 * range. */
enum { MSF_RQ_BY_C, MSF_RQ_BY_CLAMP, MSF_RQ_BY_SAT };

static inline int requant_mode(const msf_requant *q, int32_t n, int32_t act_min, int32_t act_max)
{
    for (int32_t i = 0; i < n; i++)
        if (q[i].e1 < 0)
            return MSF_RQ_BY_C;
    return act_min == INT8_MIN && act_max == INT8_MAX ? MSF_RQ_BY_SAT : MSF_RQ_BY_CLAMP;
}

static inline int32_t clamp_s32(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

#endif
