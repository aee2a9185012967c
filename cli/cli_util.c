#define _POSIX_C_SOURCE 200809L /* strdup */
/* The helpers every command uses: messages, options, reading the input
 * bytes, writing an output. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "file_io.h"
#include "measured_run.h"

/* Inputs larger than this are refused before reading them. */
#define MAX_INPUT_BYTES (1u << 28)

/* Text that came from a model or a file name may hold escape sequences and
 * newlines: every byte outside printable ASCII is shown as \xNN, so that what
 * reaches the terminal is only what msf means to print. */
void cli_put_printable(const char *s, FILE *f)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f && c != '\\')
            fputc(c, f);
        else if (c == '\\')
            fputs("\\\\", f);
        else
            fprintf(f, "\\x%02x", c);
    }
}

void cli_put_json_string(const char *s, FILE *f)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        /* Bytes of any encoding come out as \u00XX: the document stays
         * valid JSON (valid UTF-8) whatever the model's names hold. */
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, f);
        else
            fprintf(f, "\\u%04x", c);
    }
    fputc('"', f);
}

int cli_error(int code, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("msf: ", stderr);
    cli_put_printable(msg, stderr);
    fputc('\n', stderr);
    return code;
}

int cli_read_input(const char *path, const msf_model *m, uint8_t **input)
{
    char err[512];
    size_t size;
    uint32_t want = io_bytes(m, m->inputs, m->n_inputs);
    if (read_whole_file(path, MAX_INPUT_BYTES, input, &size, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    if (size != want)
        return cli_error(EXIT_BAD_INPUT, "%s: %zu bytes, the model's input needs %u", path, size, want);
    return EXIT_OK;
}

int cli_write_output(const char *path, const void *data, size_t size, const char *const *inputs, int n_inputs)
{
    for (int i = 0; i < n_inputs; i++)
        if (same_file(path, inputs[i]))
            return cli_error(EXIT_BAD_INPUT, "%s is also an input (%s): will not write over it", path, inputs[i]);
    char err[512];
    int rc = write_file_atomic(path, data, size, err, sizeof err);
    if (rc == 0)
        return EXIT_OK;
    return cli_error(rc == FILE_WRITE_REFUSED ? EXIT_BAD_INPUT : EXIT_RUNTIME, "%s", err);
}

/* One folder of the path: made, or already a folder. */
static int make_dir(const char *path, const char *whole)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return EXIT_OK;
    int err = errno;
    if (err == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return EXIT_OK;
    if (err == EEXIST || err == ENOTDIR)
        return cli_error(EXIT_BAD_INPUT, "cannot create the folder %s: %s is not a folder", whole, path);
    return cli_error(EXIT_RUNTIME, "cannot create the folder %s: %s: %s", whole, path, strerror(err));
}

int cli_make_dirs(const char *path)
{
    if (!*path)
        return cli_error(EXIT_BAD_INPUT, "an empty folder name");
    char *copy = strdup(path);
    if (!copy)
        return cli_error(EXIT_RUNTIME, "out of memory");
    int rc = EXIT_OK;
    /* Each prefix ending before a '/', then the whole path. */
    for (char *p = copy + 1; rc == EXIT_OK && *p; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        rc = make_dir(copy, path);
        *p = '/';
    }
    if (rc == EXIT_OK)
        rc = make_dir(copy, path);
    free(copy);
    return rc;
}

int cli_usage_hint(const char *command)
{
    /* The full help is for --help: after a mistake it would bury the message. */
    fprintf(stderr, "Run 'msf %s%s--help' for usage.\n", command ? command : "", command ? " " : "");
    return EXIT_BAD_INPUT;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_error(EXIT_BAD_INPUT, "%s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}
