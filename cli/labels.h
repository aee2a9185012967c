/* Class names for msf gen --labels: one a line, read from a file the user
 * gives (and may have downloaded), so every limit is checked. */
#ifndef MSF_LABELS_H
#define MSF_LABELS_H

#include <stdint.h>

/* The most bytes a label may have, and the largest labels file. */
#define LABEL_MAX_BYTES 256
#define LABELS_MAX_FILE (1u << 20)

typedef struct {
    char **names; /* n strings, NUL-terminated, pointing into text */
    int32_t n;
    char *text;
} label_list;

/* Reads path: one label a line ('\n' or "\r\n"; a last line without a
 * newline counts), each 1 to LABEL_MAX_BYTES bytes with no control
 * character, exactly want of them (the classes of the model's output).
 * Returns an exit code, message printed; on 0 free with labels_free. */
int labels_read(const char *path, int32_t want, label_list *out);
void labels_free(label_list *l);

#endif
