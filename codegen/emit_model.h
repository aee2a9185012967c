/* C source for a model and its plan: NAME.c holds every constant the
 * runtime reads (weights, biases, per-channel multipliers and shifts) and
 * the model and plan tables, all const so that they stay in flash, plus one
 * static arena of exactly the planned size; NAME.h is the firmware's API.
 * The output is freestanding C99 that includes only the runtime headers. */
#ifndef MSF_EMIT_MODEL_H
#define MSF_EMIT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msf_plan.h"

/* Longest NAME: every symbol is NAME plus a short suffix. */
#define EMIT_MAX_NAME 64

typedef struct {
    const char *name;     /* a C identifier (emit_name_problem) prefixing every symbol */
    const char *about;    /* one line for both files' opening comment */
    uint64_t macs;        /* what the plan executes, for NAME_MACS */
    const uint8_t *input; /* NULL, or the input bytes to emit as NAME_input */
    const char *const *labels; /* n_labels class names for NAME_label(), or none */
    int32_t n_labels;
} emit_options;

/* NULL when name can prefix the generated symbols and files: a C
 * identifier of at most EMIT_MAX_NAME characters, a letter first (a leading
 * underscore is the implementation's), not msf or msf_* (the runtime's), and
 * NAME.h not the name of a runtime or C standard header. Else why not. */
const char *emit_name_problem(const char *name);

#define EMIT_UNREPRESENTABLE (-2)

/* Writes NAME.c to c and NAME.h to h for model m run under plan (the tensors'
 * arena offsets are the plan's). Returns 0; EMIT_UNREPRESENTABLE with a
 * message when the model holds a float C has no constant for (NaN, inf); -1
 * when memory or a write fails. */
int emit_model(FILE *c, FILE *h, const msf_model *m, const msf_plan *plan, const emit_options *o, char *err,
               size_t err_size);

#endif
