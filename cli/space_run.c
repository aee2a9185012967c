/* Evaluating a whole space (space_run.h). Workers are processes, not
 * threads: each plans its share of the networks and sends the figures back
 * through a pipe, so no library code has to be thread-safe. */
#define _POSIX_C_SOURCE 200809L /* fork, poll, clock_gettime */
#include "space_run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define MSG_BYTES 400

/* What a worker sends for each network; msg only when status is not 0.
 * Smaller than PIPE_BUF, so each write arrives whole. */
typedef struct {
    uint32_t item;
    int32_t status;
    space_figures f;
    char msg[MSG_BYTES];
} record;

int32_t space_n_configs(const msf_space *s)
{
    return s->n_widths * s->n_resolutions;
}

int32_t space_config_width(const msf_space *s, int32_t c)
{
    return s->widths[c / s->n_resolutions];
}

int32_t space_config_resolution(const msf_space *s, int32_t c)
{
    return s->resolutions[c % s->n_resolutions];
}

void space_config_label(const msf_space *s, int32_t c, char *buf, size_t size)
{
    int32_t w = space_config_width(s, c);
    if (w % 10 == 0)
        snprintf(buf, size, "w%d.%d-r%d", w / 100, w / 10 % 10, space_config_resolution(s, c));
    else
        snprintf(buf, size, "w%d.%02d-r%d", w / 100, w % 100, space_config_resolution(s, c));
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Network `item` (configuration item / samples, index item % samples). */
static void evaluate(const space_run_args *a, uint32_t item, record *r)
{
    int32_t c = (int32_t)(item / (uint32_t)a->samples);
    size_t len;
    memset(r, 0, sizeof *r);
    r->item = item;
    char *spec = space_network_spec(a->space, space_config_width(a->space, c), space_config_resolution(a->space, c),
                                    a->seed, item % (uint32_t)a->samples, NULL, &len);
    if (!spec) {
        r->status = -1;
        snprintf(r->msg, sizeof r->msg, "out of memory");
        return;
    }
    r->status = space_evaluate(spec, len, a->max_overhead, &r->f, r->msg, sizeof r->msg);
    free(spec);
}

/* The progress line, at most twice a second; at the end, the rate. */
typedef struct {
    double start, shown;
    uint32_t done, total;
    int jobs;
} progress;

static void show_progress(progress *p, int last)
{
    double t = now(), elapsed = t - p->start > 1e-9 ? t - p->start : 1e-9, rate = p->done / elapsed;
    if (!last && t - p->shown < 0.5)
        return;
    p->shown = t;
    if (last)
        fprintf(stderr, "\rmsf space: %u networks in %.1f s, %.0f networks/s (%d job%s)\n", p->done, elapsed, rate,
                p->jobs, p->jobs > 1 ? "s" : "");
    else
        fprintf(stderr, "\rmsf space: %u/%u networks, %.0f networks/s, %.0f s left ", p->done, p->total, rate,
                rate > 0 ? (p->total - p->done) / rate : 0.0);
    fflush(stderr);
}

/* Stores a record; -1 with the message when its network failed. */
static int take(const space_run_args *a, const record *r, space_figures *figures, progress *p, char *err,
                size_t err_size)
{
    if (r->status != 0) {
        char label[32];
        space_config_label(a->space, (int32_t)(r->item / (uint32_t)a->samples), label, sizeof label);
        snprintf(err, err_size, "network %s:%u: %s", label, r->item % (uint32_t)a->samples, r->msg);
        return -1;
    }
    figures[r->item] = r->f;
    p->done++;
    show_progress(p, 0);
    return 0;
}

static int run_here(const space_run_args *a, space_figures *figures, progress *p, char *err, size_t err_size)
{
    record r;
    for (uint32_t item = 0; item < p->total; item++) {
        evaluate(a, item, &r);
        if (take(a, &r, figures, p, err, err_size))
            return -1;
    }
    return 0;
}

/* Worker j of n: items j, j + n, ... to fd; exits. */
static void worker(const space_run_args *a, int j, int n, uint32_t total, int fd)
{
    record r;
    for (uint32_t item = (uint32_t)j; item < total; item += (uint32_t)n) {
        evaluate(a, item, &r);
        size_t size = r.status ? sizeof r : offsetof(record, msg);
        if (write(fd, &r, size) != (ssize_t)size || r.status)
            _exit(1);
    }
    _exit(0);
}

/* Reads one whole record from fd: 1, 0 at the end, -1 on a broken one. */
static int read_record(int fd, record *r)
{
    size_t got = 0, want = offsetof(record, msg);
    while (got < want) {
        ssize_t n = read(fd, (char *)r + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return got == 0 && n == 0 ? 0 : -1;
        got += (size_t)n;
        if (got == offsetof(record, msg) && r->status != 0)
            want = sizeof *r;
    }
    return 1;
}

/* Collects every worker's records until all pipes close. */
static int collect(const space_run_args *a, struct pollfd *fds, int n, space_figures *figures, progress *p, char *err,
                   size_t err_size)
{
    int open = n, rc = 0;
    while (open > 0 && rc == 0) {
        if (poll(fds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, err_size, "poll: %s", strerror(errno));
            return -1;
        }
        for (int j = 0; j < n && rc == 0; j++) {
            if (fds[j].fd < 0 || !(fds[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            record r;
            int got = read_record(fds[j].fd, &r);
            if (got == 1) {
                rc = take(a, &r, figures, p, err, err_size);
            } else {
                close(fds[j].fd);
                fds[j].fd = -1;
                open--;
            }
        }
    }
    return rc;
}

static int run_workers(const space_run_args *a, space_figures *figures, progress *p, char *err, size_t err_size)
{
    int n = a->jobs;
    pid_t pids[MAX_JOBS];
    struct pollfd fds[MAX_JOBS];
    int started = 0, rc = 0;
    fflush(NULL); /* nothing buffered may be written twice */
    for (; started < n; started++) {
        int fd[2];
        if (pipe(fd) != 0)
            break;
        pids[started] = fork();
        if (pids[started] == 0) {
            for (int j = 0; j < started; j++)
                close(fds[j].fd);
            close(fd[0]);
            worker(a, started, n, p->total, fd[1]);
        }
        close(fd[1]);
        if (pids[started] < 0) {
            close(fd[0]);
            break;
        }
        fds[started] = (struct pollfd){fd[0], POLLIN, 0};
    }
    if (started < n) {
        snprintf(err, err_size, "cannot start worker %d: %s", started + 1, strerror(errno));
        rc = -1;
    } else {
        rc = collect(a, fds, n, figures, p, err, err_size);
    }
    for (int j = 0; j < started; j++) {
        int status;
        if (rc != 0)
            kill(pids[j], SIGTERM);
        if (fds[j].fd >= 0)
            close(fds[j].fd);
        if ((waitpid(pids[j], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) && rc == 0) {
            snprintf(err, err_size, "worker %d failed", j + 1);
            rc = -1;
        }
    }
    if (rc == 0 && p->done != p->total) {
        snprintf(err, err_size, "the workers returned %u of %u networks", p->done, p->total);
        rc = -1;
    }
    return rc;
}

int space_run(const space_run_args *a, space_figures *figures, char *err, size_t err_size)
{
    progress p = {now(), 0, 0, (uint32_t)space_n_configs(a->space) * (uint32_t)a->samples, a->jobs};
    p.shown = p.start;
    int rc = a->jobs <= 1 ? run_here(a, figures, &p, err, err_size) : run_workers(a, figures, &p, err, err_size);
    show_progress(&p, 1);
    return rc;
}
