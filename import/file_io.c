#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_io.h"

int read_whole_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *size, char *err,
                    size_t err_size)
{
    *buf = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *data = NULL;
    size_t used = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (used == cap) {
            size_t grown_cap = cap ? cap * 2 : 65536;
            uint8_t *grown = cap < max_bytes + 1 ? realloc(data, grown_cap) : NULL;
            if (!grown) {
                snprintf(err, err_size, "%s: larger than %zu bytes, or out of memory", path, max_bytes);
                rc = -1;
                break;
            }
            data = grown;
            cap = grown_cap;
        }
        size_t got = fread(data + used, 1, cap - used, f);
        used += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, err_size, "%s: read error", path);
                rc = -1;
            }
            break;
        }
    }
    fclose(f);
    if (rc == 0 && used > max_bytes) {
        snprintf(err, err_size, "%s: larger than %zu bytes", path, max_bytes);
        rc = -1;
    }
    if (rc) {
        free(data);
        return -1;
    }
    *buf = data;
    *size = used;
    return 0;
}

int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t err_size)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(data, 1, size, f) == size;
    if (f)
        ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
    remove(tmp);
    free(tmp);
    return -1;
}
