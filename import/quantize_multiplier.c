#include <math.h>

#include "quant_params.h"

/* tensorflow/lite/kernels/internal/quantization_util.cc, QuantizeMultiplier:
 * frexp, then round half away from zero to Q31. */
void quantize_multiplier(double d, int32_t *multiplier, int32_t *shift)
{
    if (!(d > 0.0 && d < 1e300)) { /* zero, and what only a broken file gives: NaN, inf, negative */
        *multiplier = 0;
        *shift = 0;
        return;
    }
    int exponent;
    double q = frexp(d, &exponent);
    long long q_fixed = llround(q * (double)(1LL << 31));
    if (q_fixed == (1LL << 31)) {
        q_fixed /= 2;
        exponent++;
    }
    if (exponent < -31) {
        exponent = 0;
        q_fixed = 0;
    }
    *multiplier = (int32_t)q_fixed;
    *shift = exponent;
}
