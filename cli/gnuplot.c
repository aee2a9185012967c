/* gnuplot as a child process (gnuplot.h). */
#define _POSIX_C_SOURCE 200809L /* open_memstream, fork */
#include "gnuplot.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

int gnuplot_run(const char *script, char **image, size_t *size)
{
    int to_gp[2], from_gp[2];
    if (pipe(to_gp) != 0)
        return cli_error(EXIT_RUNTIME, "cannot start gnuplot: %s", strerror(errno));
    if (pipe(from_gp) != 0) {
        close(to_gp[0]);
        close(to_gp[1]);
        return cli_error(EXIT_RUNTIME, "cannot start gnuplot: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_gp[0], 0);
        dup2(from_gp[1], 1);
        close(to_gp[0]), close(to_gp[1]), close(from_gp[0]), close(from_gp[1]);
        execlp("gnuplot", "gnuplot", (char *)NULL);
        _exit(127);
    }
    close(to_gp[0]);
    close(from_gp[1]);
    /* A gnuplot that stops early must not kill msf with SIGPIPE. */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *gp = pid > 0 ? fdopen(to_gp[1], "w") : NULL;
    if (gp) {
        fputs(script, gp);
        fclose(gp);
    } else {
        close(to_gp[1]);
    }
    FILE *out = open_memstream(image, size);
    char buf[65536];
    ssize_t got;
    while ((got = read(from_gp[0], buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0 && out)
            fwrite(buf, 1, (size_t)got, out);
    close(from_gp[0]);
    if (out)
        fclose(out);
    signal(SIGPIPE, old);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !out)
        return cli_error(EXIT_RUNTIME, "cannot run gnuplot");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return cli_error(EXIT_RUNTIME, "gnuplot is not installed (apt-get install gnuplot-nox)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || *size == 0)
        return cli_error(EXIT_RUNTIME, "gnuplot failed");
    return EXIT_OK;
}
