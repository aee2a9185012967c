/* The plan document: JSON that `msf plan --json` prints and `-o` writes, and
 * that `msf run --plan` reads back (checked like any untrusted input). It
 * records a hash of the model so a plan is refused for another model. */
#ifndef MSF_PLAN_FILE_H
#define MSF_PLAN_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "plan_build.h"
#include "time_model.h"

/* The format this msf writes and reads ("msf_plan": 1). */
#define PLAN_FILE_VERSION 1

enum { PLAN_FILE_OK = 0, PLAN_FILE_BAD = 1, PLAN_FILE_NO_MEMORY = 2 };

/* FNV-1a (64-bit) of the model's .tflite image. */
uint64_t model_hash(const msf_graph *g);

/* Writes the plan document; with a target, the instructions the time
 * model predicts on it (the total, layer by layer's and each block's);
 * `baselines` (a JSON object text) is added when not NULL. */
void plan_json_write(FILE *f, const msf_graph *g, const built_plan *bp, uint64_t vanilla_macs,
                     const time_target *target, const char *baselines);

/* Reads a plan document for g from text[0..size) and builds it. Returns
 * PLAN_FILE_OK, or PLAN_FILE_BAD / PLAN_FILE_NO_MEMORY with a message in
 * err. */
int plan_file_parse(const char *text, size_t size, msf_graph *g, built_plan *out, char *err, size_t err_size);

/* The same from a file; err names the file. */
int plan_file_load(const char *path, msf_graph *g, built_plan *out, char *err, size_t err_size);

#endif
