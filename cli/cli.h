/* The msf command: one binary, a subcommand per job. Exit codes: 0 ok,
 * 1 runtime failure, 2 bad usage or bad input, 3 no plan fits
 * (EXIT_INFEASIBLE, infeasible.h). */
#ifndef MSF_CLI_H
#define MSF_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msf_model.h"

#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_BAD_INPUT 2

int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_space(int argc, char **argv);

/* Prints "msf: <message>" to stderr, bytes outside printable ASCII escaped
 * (\xNN), and returns code. */
int cli_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Text from a model or a file name, bytes outside printable ASCII shown
 * as \xNN (so no escape sequence reaches a terminal). */
void cli_put_printable(const char *s, FILE *f);

/* s as a JSON string literal: quotes and backslashes escaped, every byte
 * outside printable ASCII as \u00XX. */
void cli_put_json_string(const char *s, FILE *f);

/* Reads the bytes of the model's input(s) from path, which must hold exactly
 * that many; returns an exit code (message printed). */
int cli_read_input(const char *path, const msf_model *m, uint8_t **input);

/* Writes an output file (whole or not at all; a device or FIFO in place),
 * refusing a path that names one of the inputs (NULL entries skipped).
 * Returns an exit code, message printed. */
int cli_write_output(const char *path, const void *data, size_t size, const char *const *inputs, int n_inputs);

/* Creates the folder path and any missing parents (as mkdir -p), so that
 * an output folder need not exist. Returns an exit code, message printed:
 * 2 when a part of the path is a file, 1 when the system refuses. */
int cli_make_dirs(const char *path);

/* After a usage error's message: one line pointing at the command's help
 * (command NULL: msf's own). Returns EXIT_BAD_INPUT. */
int cli_usage_hint(const char *command);

/* True when arg is "-h" or "--help". */
int cli_is_help(const char *arg);

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past a separate
 * value. Returns 1 on a match (value in *value), 0 if arg is another option,
 * -1 when the value is missing (message printed). */
int cli_option_value(int argc, char **argv, int *i, const char *name, const char **value);

#endif
