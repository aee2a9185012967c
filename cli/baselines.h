/* The settings a plan is shown against: layer by layer, MCUNetV2's
 * heuristic (fusion only in the block at the network input) and msf-CNN's
 * own space (blocks of one operator or H-cache blocks, least peak RAM). */
#ifndef MSF_BASELINES_H
#define MSF_BASELINES_H

#include <stdint.h>

#include "graph.h"

typedef struct {
    uint32_t peak_ram; /* the laid-out arena */
    uint64_t macs;
} setting;

typedef struct {
    setting vanilla, mcunetv2, hcache;
} baseline_set;

/* The three under streaming flags `streamed`. Returns LAYOUT_OK, or the
 * layout's failure (LAYOUT_NO_MEMORY for any other). */
int baselines_of(msf_graph *g, int streamed, baseline_set *b);

#endif
