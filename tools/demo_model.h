/* The demo model msf ships without third-party files: a small int8 CNN
 * written as an architecture spec and turned into a .tflite by the spec
 * reader, with deterministic pseudo-random weights. */
#ifndef MSF_DEMO_MODEL_H
#define MSF_DEMO_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Returns a malloc'ed .tflite image (size in *size), or NULL when out of memory. */
uint8_t *demo_model_build(size_t *size);

/* Writes the demo input tensor's bytes (deterministic) into a malloc'ed
 * buffer; returns it with its size in *size. */
uint8_t *demo_model_input(size_t *size);

#endif
