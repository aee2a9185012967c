/* Whole-file reads with a size cap, and writes that leave either the whole
 * new file or the old state (temp file in the same folder, then rename). */
#ifndef MSF_FILE_IO_H
#define MSF_FILE_IO_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 with a malloc'ed buffer, or -1 with a message naming the file. */
int read_whole_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *size, char *err,
                    size_t err_size);

int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t err_size);

#endif
