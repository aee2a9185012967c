/* The part of NAME.h that says how to feed the model and read its answer:
 * per input and output its shape, element type, scale and zero point as
 * macros, quantize/dequantize helpers for int8 tensors, and class names. */
#ifndef MSF_EMIT_IO_H
#define MSF_EMIT_IO_H

#include <stdint.h>
#include <stdio.h>

#include "msf_model.h"

/* NAME_N_INPUTS, NAME_INPUTi_* and NAME_OUTPUTi_* macros, and for int8
 * tensors static inline NAME_inputi_quantize / _dequantize (and outputs'). */
void emit_io_macros(FILE *h, const msf_model *m, const char *name, const char *upper);

/* NAME_N_LABELS and static inline NAME_label(i): the class names, each
 * escaped into a C string literal (any bytes may come from the user's file). */
void emit_labels(FILE *h, const char *const *labels, int32_t n, const char *name, const char *upper);

/* The element type of the NAME_input array: the input's own type when the
 * model has one input, else int8 (the inputs' bytes, concatenated). */
msf_dtype emit_input_type(const msf_model *m);

#endif
