#include <stdlib.h>
#include <string.h>

#include "measured_run.h"
#include "msf_count.h"

uint32_t io_bytes(const msf_model *m, const int32_t *list, int32_t n)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += m->tensors[list[i]].bytes;
    return sum;
}

/* Rows of the input bytes, for plans that take the input a row at a time. */
typedef struct {
    const msf_tensor *tensor;
    const uint8_t *bytes;
} row_reader;

static const int8_t *input_row(void *ctx, int32_t y)
{
    const row_reader *r = ctx;
    return (const int8_t *)r->bytes + (size_t)y * (size_t)(r->tensor->bytes / (uint32_t)r->tensor->dims[1]);
}

static msf_status infer(const msf_model *m, const msf_plan *plan, uint8_t *arena, const uint8_t *input,
                        uint8_t *output, uint8_t pattern, uint32_t *high_water, msf_tally *ran)
{
    msf_arena_paint(arena, plan->arena_bytes, pattern);
    const uint8_t *in = input;
    for (int32_t i = 0; i < m->n_inputs; i++) {
        uint32_t n = m->tensors[m->inputs[i]].bytes;
        if (!(plan->streamed & MSF_STREAM_ANY_INPUT))
            memcpy(msf_tensor_data(m, plan, arena, m->inputs[i]), in, n);
        in += n;
    }
    row_reader reader = {&m->tensors[m->inputs[0]], input};
    msf_row_source rows = {input_row, &reader};
    int by_rows = (plan->streamed & MSF_STREAM_INPUT_ROWS) != 0;
    msf_status s = msf_run_plan_tallied(m, plan, arena, plan->arena_bytes, by_rows ? NULL : input,
                                        by_rows ? &rows : NULL, output, ran);
    *high_water = msf_arena_high_water(arena, plan->arena_bytes, pattern);
    return s;
}

int measured_run(const msf_model *m, const msf_plan *plan, const uint8_t *input, uint8_t *output,
                 run_measure *r)
{
    uint8_t *arena = malloc(plan->arena_bytes ? plan->arena_bytes : 1);
    if (!arena)
        return -1;
    uint32_t hw_a = 0, hw_b = 0;
    msf_tally ran = {0, 0, 0, 0};
    msf_status s = infer(m, plan, arena, input, output, 0xA5, &hw_a, &ran);
    r->macs = ran.macs;
    if (s == MSF_OK)
        s = infer(m, plan, arena, input, output, 0x5A, &hw_b, NULL);
    r->arena_high_water = hw_a > hw_b ? hw_a : hw_b;
    /* A streamed output is already where it belongs. */
    for (int32_t i = 0; s == MSF_OK && !(plan->streamed & MSF_STREAM_OUTPUT) && i < m->n_outputs; i++) {
        uint32_t n = m->tensors[m->outputs[i]].bytes;
        memcpy(output, msf_tensor_data(m, plan, arena, m->outputs[i]), n);
        output += n;
    }
    free(arena);
    return (int)s;
}
