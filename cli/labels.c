#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file_io.h"
#include "labels.h"

/* Checks one line (NUL-terminated, without its newline); an exit code. */
static int check_line(const char *path, int32_t line, const char *s, size_t len)
{
    if (len == 0)
        return cli_error(EXIT_BAD_INPUT, "%s:%d: empty label", path, line);
    if (len > LABEL_MAX_BYTES)
        return cli_error(EXIT_BAD_INPUT, "%s:%d: label of %zu bytes (at most %d)", path, line, len,
                         LABEL_MAX_BYTES);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return cli_error(EXIT_BAD_INPUT, "%s:%d: control character 0x%02x in a label", path, line,
                             (unsigned char)s[i]);
    return EXIT_OK;
}

/* Splits text (size bytes, NUL added after) into lines in place. */
static int split(const char *path, char *text, size_t size, label_list *out)
{
    int32_t cap = 0;
    for (size_t i = 0; i < size; i++)
        cap += text[i] == '\n';
    out->names = malloc(((size_t)cap + 1) * sizeof *out->names);
    if (!out->names)
        return cli_error(EXIT_RUNTIME, "out of memory");
    char *p = text, *end = text + size;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        if (stop > p && stop[-1] == '\r')
            stop--;
        *stop = '\0';
        /* A NUL inside the line ends it early: check the bytes, not strlen. */
        size_t len = (size_t)(stop - p);
        int rc = memchr(p, '\0', len) ? cli_error(EXIT_BAD_INPUT, "%s:%d: NUL byte in a label", path, out->n + 1)
                                      : check_line(path, out->n + 1, p, len);
        if (rc != EXIT_OK)
            return rc;
        out->names[out->n++] = p;
        p = nl ? nl + 1 : end;
    }
    return EXIT_OK;
}

int labels_read(const char *path, int32_t want, label_list *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *buf;
    size_t size;
    char err[512];
    if (read_whole_file(path, LABELS_MAX_FILE, &buf, &size, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    out->text = malloc(size + 1);
    int rc = out->text ? EXIT_OK : cli_error(EXIT_RUNTIME, "out of memory");
    if (rc == EXIT_OK) {
        if (size)
            memcpy(out->text, buf, size);
        out->text[size] = '\0';
        rc = split(path, out->text, size, out);
    }
    free(buf);
    if (rc == EXIT_OK && out->n != want)
        rc = cli_error(EXIT_BAD_INPUT, "%s: %d labels, the model's output has %d classes", path, out->n, want);
    if (rc != EXIT_OK)
        labels_free(out);
    return rc;
}

void labels_free(label_list *l)
{
    free(l->names);
    free(l->text);
    memset(l, 0, sizeof *l);
}
