#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "file_io.h"
#include "measured_run.h"

/* Inputs larger than this are refused before reading them whole. */
#define MAX_INPUT_BYTES (1u << 28)

static const char usage[] =
    "usage: msf COMMAND [ARGS]\n"
    "\n"
    "msf fits int8 TFLite CNNs into microcontroller RAM.\n"
    "\n"
    "commands:\n"
    "  info MODEL [--json]                         per-layer table: shapes, MACs, weights, live RAM\n"
    "  plan MODEL (--min-ram [--max-overhead F] | --min-macs --max-ram SIZE | --pareto)\n"
    "                                              choose fused blocks; peak RAM, MACs, baselines\n"
    "  run MODEL --input IN.bin [--output OUT.bin] [--plan PLAN.json | planning options]\n"
    "                                              run, measure the arena and the MACs\n"
    "  gen MODEL -o DIR [--name NAME] [--input IN.bin] [--plan PLAN.json | planning options]\n"
    "                                              write C for firmware: NAME.c, NAME.h\n"
    "  export SPEC -o OUT.tflite                   write an architecture spec's .tflite\n"
    "\n"
    "MODEL is a .tflite file or an architecture spec (a .spec file).\n"
    "Run 'msf COMMAND --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.\n";

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("msf: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (cli_is_help(cmd)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "info") == 0)
        return cmd_info(argc - 1, argv + 1);
    if (strcmp(cmd, "plan") == 0)
        return cmd_plan(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "gen") == 0)
        return cmd_gen(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(argc - 1, argv + 1);
    fputs(usage, stderr);
    return cli_error(EXIT_BAD_INPUT, "unknown command '%s'", cmd);
}
