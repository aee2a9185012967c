/* msf space: the figures of one network, planned in-process exactly as
 * `msf plan NETWORK.spec --min-ram --max-overhead F` plans it. */
#ifndef MSF_SPACE_EVAL_H
#define MSF_SPACE_EVAL_H

#include <stddef.h>
#include <stdint.h>

/* The memory models msf space compares. */
enum { MEM_LAYERS, MEM_MCUNETV2, MEM_MSF, N_MEM };

typedef struct {
    uint64_t macs;          /* layer by layer: the network's own MACs */
    uint64_t weight_bytes;  /* constants: weights and biases (flash) */
    uint32_t ram[N_MEM];    /* least peak RAM (laid-out arena, input and output held) */
} space_figures;

/* The names of the memory models, for reports: "layers", "mcunetv2", "msf". */
extern const char *const space_mem_names[N_MEM];

/* Plans the spec text three ways: layer by layer; the MCUNetV2 heuristic
 * (fusion only in blocks that start at the network input, least peak RAM,
 * as msf plan's baseline); msf's planner, P1 with MACs at most max_overhead
 * x layer by layer. Returns 0, or -1 with a message. */
int space_evaluate(const char *spec, size_t len, double max_overhead, space_figures *f, char *err, size_t err_size);

#endif
