/* Host-side derivation of the kernels' integer parameters from the model's
 * float scales, exactly as TFLite Micro's Prepare functions do it (in double
 * where TFLite uses double, float where it uses float). */
#ifndef MSF_QUANT_PARAMS_H
#define MSF_QUANT_PARAMS_H

#include <stdint.h>

#include "../runtime/msf_model.h"

typedef enum {
    MSF_ACT_NONE = 0,
    MSF_ACT_RELU = 1,
    MSF_ACT_RELU_N1_TO_1 = 2,
    MSF_ACT_RELU6 = 3
} msf_activation;

/* TFLite QuantizeMultiplier: d = multiplier * 2^(shift - 31). */
void quantize_multiplier(double d, int32_t *multiplier, int32_t *shift);

/* Output clamp of a fused activation for an int8 tensor (scale, zero point). */
void activation_range_s8(msf_activation act, float scale, int32_t zero_point,
                         int32_t *act_min, int32_t *act_max);

void derive_add_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out,
                       msf_activation act, msf_add_params *p);
void derive_mul_params(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out,
                       msf_activation act, msf_mul_params *p);
void derive_mean_params(float s_in, int32_t zp_in, float s_out, int32_t zp_out, msf_mean_params *p);
void derive_softmax_params(float beta, float s_in, msf_softmax_params *p);
void derive_logistic_params(float s_in, int32_t zp_in, msf_logistic_params *p);
void derive_hard_swish_params(float s_in, int32_t zp_in, float s_out, int32_t zp_out,
                              msf_hard_swish_params *p);

#endif
