/* activation_range_s8: the fused-activation clamps of SEMANTICS.md §6,
 * including the float32 division (a double division would round the other
 * way for scales 0.8 and 0.4 below). */
#include "kernels/kernel_ref.h"

static void check_range(msf_activation act, float scale, int32_t zp, int32_t lo, int32_t hi)
{
    int32_t got_lo, got_hi;
    activation_range_s8(act, scale, zp, &got_lo, &got_hi);
    CHECK_EQ_INT(got_lo, lo);
    CHECK_EQ_INT(got_hi, hi);
}

int main(void)
{
    check_range(MSF_ACT_NONE, 0.1f, -5, -128, 127);
    check_range(MSF_ACT_RELU, 0.1f, -5, -5, 127);
    check_range(MSF_ACT_RELU, 0.1f, -128, -128, 127);
    check_range(MSF_ACT_RELU, 0.1f, 127, 127, 127);
    check_range(MSF_ACT_RELU6, 0.1f, -5, -5, 55);
    check_range(MSF_ACT_RELU6, 0.0235294122f, -128, -128, 127);
    check_range(MSF_ACT_RELU6, 0.01f, 0, 0, 127);
    check_range(MSF_ACT_RELU6, 0.1f, 127, 127, 127);
    check_range(MSF_ACT_RELU_N1_TO_1, 0.01f, 0, -100, 100);
    check_range(MSF_ACT_RELU_N1_TO_1, 0.01f, 50, -50, 127);
    check_range(MSF_ACT_RELU_N1_TO_1, 0.004f, 0, -128, 127);
    /* 6.0f / 0.8f is exactly 7.5 in float (7.4999999 in double): 8, not 7 */
    check_range(MSF_ACT_RELU6, 0.8f, 0, 0, 8);
    /* 1.0f / 0.4f is exactly 2.5 in float: +-3, half away from zero */
    check_range(MSF_ACT_RELU_N1_TO_1, 0.4f, 0, -3, 3);
    return check_summary();
}
