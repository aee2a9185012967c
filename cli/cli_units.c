#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_units.h"

/* The unit a size suffix names; 0 for none known. */
static uint64_t size_unit(const char *suffix)
{
    static const struct {
        const char *suffix;
        uint64_t unit;
    } units[] = {{"", 1},           {"B", 1},          {"K", 1024},       {"KiB", 1024},
                 {"KB", 1024},      {"kB", 1000},      {"M", 1u << 20},   {"MiB", 1u << 20},
                 {"MB", 1000000},   {"G", 1u << 30},   {"GiB", 1u << 30}, {"GB", 1000000000}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(suffix, units[i].suffix) == 0)
            return units[i].unit;
    return 0;
}

int parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t unit = size_unit(end);
    if (errno || unit == 0 || v > UINT64_MAX / unit)
        return -1;
    *bytes = (uint64_t)v * unit;
    return 0;
}

int parse_count(const char *s, uint64_t *count)
{
    static const char units[] = "kMG";
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    const char *unit = *end ? strchr(units, *end) : NULL;
    if (errno || (*end && (!unit || end[1] != '\0')))
        return -1;
    for (const char *u = units; unit && u <= unit; u++) {
        if (v > UINT64_MAX / 1000)
            return -1;
        v *= 1000;
    }
    *count = (uint64_t)v;
    return 0;
}

int parse_overhead(const char *s, double *f)
{
    char *end;
    if (strcmp(s, "inf") == 0 || strcmp(s, "Inf") == 0) {
        *f = INFINITY;
        return 0;
    }
    if (!(*s >= '0' && *s <= '9') && *s != '.')
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    /* "20%": MACs at most 20 % above layer by layer. */
    if (strcmp(end, "%") == 0)
        v = 1.0 + v / 100.0, end++;
    if (errno || *end != '\0' || !(v >= 1.0) || isinf(v))
        return -1;
    *f = v;
    return 0;
}
