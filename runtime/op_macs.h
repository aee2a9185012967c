/* The one MAC formula: the papers' convention, a multiply-accumulate per
 * output element per kernel tap (padding taps included), so that a fused
 * block that computes an element twice counts it twice. The tally of a run
 * (the dispatcher's, msf_run_plan_tallied), the importer's per-operator MACs
 * and the planner's counting pass all use these. */
#ifndef MSF_OP_MACS_H
#define MSF_OP_MACS_H

#include <stdint.h>

#include "msf_model.h"

/* A convolution (depthwise or not) computing `pixels` output pixels of
 * out_c channels from in_c input channels. */
static inline uint64_t msf_conv_macs(const msf_conv_params *p, int depthwise, int32_t in_c, int32_t out_c,
                                     uint64_t pixels)
{
    uint64_t taps = (uint64_t)p->kernel_h * (uint64_t)p->kernel_w * (uint64_t)(depthwise ? 1 : in_c);
    return pixels * (uint64_t)out_c * taps;
}

/* A fully connected layer taking n of its inputs, into every unit. */
static inline uint64_t msf_fc_macs(const msf_fc_params *p, uint64_t n)
{
    return (uint64_t)p->units * n;
}

#endif
