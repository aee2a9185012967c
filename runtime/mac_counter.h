/* Counting build (-DMSF_COUNT_MACS): kernels add the multiply-accumulates
 * they perform. A MAC is counted per output element computed, times the
 * kernel volume (padding taps included): the papers' convention, so that a
 * fused block that recomputes an element counts it again. */
#ifndef MSF_MAC_COUNTER_H
#define MSF_MAC_COUNTER_H

#include <stdint.h>

#ifdef MSF_COUNT_MACS
extern uint64_t msf_mac_counter;
#define MSF_COUNT_MACS_ADD(n) (msf_mac_counter += (uint64_t)(n))
#else
#define MSF_COUNT_MACS_ADD(n) ((void)0)
#endif

#endif
