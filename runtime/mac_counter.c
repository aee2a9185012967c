#include "mac_counter.h"

#ifdef MSF_COUNT_MACS
uint64_t msf_mac_counter;
#else
/* Nothing to define without the counting build, but ISO C wants at least one
 * declaration in a translation unit; a typedef costs no memory. */
typedef uint64_t msf_mac_counter_absent;
#endif
