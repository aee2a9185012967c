/* The plan document: JSON that `msf plan --json` prints and `-o` writes, and
 * that `msf run --plan` reads back (checked like any untrusted input). It
 * records a hash of the model so a plan is refused for another model. */
#ifndef MSF_PLAN_FILE_H
#define MSF_PLAN_FILE_H

#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "plan_build.h"

/* FNV-1a (64-bit) of the model's .tflite image. */
uint64_t model_hash(const msf_graph *g);

/* Writes the plan document; `baselines` (a JSON object text) is added when
 * not NULL. */
void plan_json_write(FILE *f, const msf_graph *g, const built_plan *bp, uint64_t vanilla_macs,
                     const char *baselines);

/* Reads a plan document for g and builds it. Returns an exit code: 0, or 2
 * with a message naming the problem. */
int plan_file_load(const char *path, msf_graph *g, built_plan *out);

#endif
