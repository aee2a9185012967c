/* Numbers as users type them: sizes with unit suffixes, counts with k/M/G,
 * overhead factors as "1.2" or "20%". One parser each, for every command. */
#ifndef MSF_CLI_UNITS_H
#define MSF_CLI_UNITS_H

#include <stdint.h>

/* Bytes from "123", "123B", "64K"/"64KiB"/"64KB" (x1024), "1M"/"1MiB"/"1MB"
 * (x1024^2), "64kB" (x1000), "1G"/"1GiB" (x1024^3). Boards state RAM in
 * binary units, papers in kB = 1000 B; "KB" is taken as boards mean it.
 * -1 if malformed or over 2^64. */
int parse_size(const char *s, uint64_t *bytes);

/* A count from "123", "10k", "200M" or "10G" (x1000 each); -1 if malformed. */
int parse_count(const char *s, uint64_t *count);

/* An overhead factor >= 1: "1.2", "20%" (= 1.2), "inf"; -1 if malformed. */
int parse_overhead(const char *s, double *f);

/* The help text's description of SIZE, for messages. */
#define SIZE_FORMS "bytes, or with K, M (x1024), KiB, MiB or kB (x1000), e.g. 65536, 64K, 64KiB, 64kB"

#endif
