/* Whole-file reads with a size cap, and writes that leave either the whole
 * new file or the old state (a temp file created exclusively in the same
 * folder, then renamed over the target). */
#ifndef MSF_FILE_IO_H
#define MSF_FILE_IO_H

#include <stddef.h>
#include <stdint.h>

/* Reads a regular file of at most max_bytes. FIFOs and devices are refused
 * without blocking on them, and the size is checked before reading.
 * Returns 0 with a malloc'ed buffer, or -1 with a message naming the file. */
int read_whole_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *size, char *err,
                    size_t err_size);

#define FILE_WRITE_FAILED (-1)  /* the system refused: no space, no permission... */
#define FILE_WRITE_REFUSED (-2) /* the path is no place for an output: a directory, a socket */

/* Writes data to path. A regular file (or a new one) is replaced whole; a
 * character device or a FIFO with a reader is written directly, never
 * replaced. Returns 0, or FILE_WRITE_FAILED / FILE_WRITE_REFUSED with a
 * message naming the file. */
int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t err_size);

/* 1 when path and other name one existing file (same device and inode). */
int same_file(const char *path, const char *other);

#endif
