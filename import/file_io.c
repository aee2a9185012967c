#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_io.h"

/* Reads exactly want bytes, or fewer when the file shrank; one byte more is
 * asked for so that a file that grew since fstat is seen. */
static int read_bounded(int fd, uint8_t *data, size_t cap, size_t *used)
{
    *used = 0;
    while (*used < cap) {
        ssize_t got = read(fd, data + *used, cap - *used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        *used += (size_t)got;
    }
    return 0;
}

int read_whole_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *size, char *err,
                    size_t err_size)
{
    *buf = NULL;
    *size = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    int bad = 1;
    if (fstat(fd, &st) != 0)
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        snprintf(err, err_size, "%s: a directory, not a file", path);
    else if (!S_ISREG(st.st_mode))
        snprintf(err, err_size, "%s: not a regular file (a FIFO or a device)", path);
    else if ((uint64_t)st.st_size > max_bytes)
        snprintf(err, err_size, "%s: %lld bytes, larger than the limit of %zu bytes", path, (long long)st.st_size,
                 max_bytes);
    else
        bad = 0;
    if (bad) {
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, used;
    uint8_t *data = malloc(cap);
    int rc = data ? read_bounded(fd, data, cap, &used) : -1;
    close(fd);
    if (rc || used > max_bytes || used == cap) {
        snprintf(err, err_size, "%s: %s", path,
                 !data ? "out of memory" : rc ? "read error" : "the file grew while being read");
        free(data);
        return -1;
    }
    *buf = data;
    *size = used;
    return 0;
}

static int write_all(int fd, const void *data, size_t size)
{
    const uint8_t *p = data;
    while (size > 0) {
        ssize_t put = write(fd, p, size);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return -1;
        p += put;
        size -= (size_t)put;
    }
    return 0;
}

/* Opening a FIFO for writing waits for a reader: wait a few seconds at most
 * (a reader started beside msf may come a moment later), not forever. */
#define FIFO_READER_WAIT_MS 5000

static int open_for_writing(const char *path)
{
    for (int waited = 0;; waited += 10) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0 || errno != ENXIO || waited >= FIFO_READER_WAIT_MS)
            return fd;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* A device or a FIFO: written in place, never replaced. */
static int write_in_place(const char *path, const void *data, size_t size, char *err, size_t err_size)
{
    int fd = open_for_writing(path);
    int ok = fd >= 0 && fcntl(fd, F_SETFL, 0) == 0 && write_all(fd, data, size) == 0;
    int saved = errno;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (ok)
        return 0;
    snprintf(err, err_size, "%s: cannot write: %s", path, saved == ENXIO ? "a FIFO with no reader (waited 5 s)" : strerror(saved));
    return FILE_WRITE_FAILED;
}

/* "DIR/.msf-XXXXXX" for path "DIR/NAME": a short name in the target's folder,
 * so that the rename stays on one file system and long names still fit. */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *t = malloc(dir + sizeof ".msf-XXXXXX");
    if (t) {
        memcpy(t, path, dir);
        memcpy(t + dir, ".msf-XXXXXX", sizeof ".msf-XXXXXX");
    }
    return t;
}

/* The mode a new file gets (0666 less the umask), or the replaced file's. */
static mode_t new_file_mode(const struct stat *old, int exists)
{
    if (exists)
        return old->st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t err_size)
{
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
        return write_in_place(path, data, size, err, err_size);
    if (exists && !S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s: not a regular file: will not replace it", path);
        return FILE_WRITE_REFUSED;
    }
    char *tmp = temp_template(path);
    int fd = tmp ? mkstemp(tmp) : -1;
    int ok = fd >= 0 && fchmod(fd, new_file_mode(&st, exists)) == 0 && write_all(fd, data, size) == 0;
    int saved = errno;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    saved = ok ? errno : saved;
    snprintf(err, err_size, "%s: cannot write: %s", path, tmp ? strerror(saved) : "out of memory");
    if (fd >= 0)
        unlink(tmp);
    free(tmp);
    return FILE_WRITE_FAILED;
}

int same_file(const char *path, const char *other)
{
    struct stat a, b;
    return path && other && stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}
