#include "flash_estimate.h"

/* sizeof of the runtime's tables on the 32-bit targets (arm-none-eabi-gcc
 * and riscv64-unknown-elf-gcc -mabi=ilp32 agree): msf_tensor, msf_op,
 * msf_block, msf_node, msf_buffer, and the model and plan structs. */
enum { TENSOR_BYTES = 40, OP_BYTES = 104, BLOCK_BYTES = 32, NODE_BYTES = 16, BUFFER_BYTES = 36, MODEL_BYTES = 32,
       PLAN_BYTES = 36 };

/* Multipliers and shifts: one int32 of each per output channel (conv,
 * depthwise, per-channel fully connected), one for a per-tensor FC. */
static uint64_t op_params(const msf_graph *g, const msf_op *op)
{
    const msf_tensor *out = &g->tensors[op->output];
    int32_t channels = out->rank ? out->dims[out->rank - 1] : 1;
    if (op->type == MSF_OP_CONV2D || op->type == MSF_OP_DEPTHWISE_CONV2D)
        return 8u * (uint64_t)channels;
    if (op->type == MSF_OP_FULLY_CONNECTED)
        return op->p.fc.per_channel ? 8u * (uint64_t)op->p.fc.units : 8u;
    return 0;
}

flash_estimate flash_estimate_of(const msf_graph *g, const msf_plan *plan, const board_target *target)
{
    const msf_model *m = &g->model;
    flash_estimate f = {0, 0, 0, target->code, 0};
    for (int32_t t = 0; t < m->n_tensors; t++)
        if (m->tensors[t].data)
            f.constants += m->tensors[t].bytes;
    for (int32_t o = 0; o < m->n_ops; o++)
        f.params += op_params(g, &m->ops[o]);
    /* Without a plan, layer by layer: a block and a node an operator, a
     * buffer a tensor that is not constant. */
    int32_t buffers = 0;
    for (int32_t t = 0; !plan && t < m->n_tensors; t++)
        buffers += !m->tensors[t].data;
    int32_t blocks = plan ? plan->n_blocks : m->n_ops, nodes = plan ? plan->n_nodes : m->n_ops;
    buffers = plan ? plan->n_buffers : buffers;
    f.tables = (uint64_t)m->n_tensors * (TENSOR_BYTES + 4) + (uint64_t)m->n_ops * OP_BYTES +
               (uint64_t)blocks * BLOCK_BYTES + (uint64_t)nodes * NODE_BYTES + (uint64_t)buffers * BUFFER_BYTES +
               4u * (uint64_t)(m->n_inputs + m->n_outputs) + MODEL_BYTES + PLAN_BYTES;
    f.total = f.constants + f.params + f.tables + f.code;
    return f;
}
