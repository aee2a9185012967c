/* Argument parsing shared by msf plan, run and gen, and the loading of
 * MODEL within msf's limits (README, Limits). */
#ifndef MSF_CLI_ARGS_H
#define MSF_CLI_ARGS_H

#include "cli.h"
#include "plan_options.h"

/* A valued option ("--input FILE") and where its value goes; lists end with
 * a NULL flag. */
typedef struct {
    const char *flag;
    const char **value;
} cli_value_option;

/* Reads MODEL, the planning options, the valued options and, when json is
 * not NULL, --json; --help prints usage and exits 0. Remembers --max-macs
 * for cli_load_model. Returns 0, or -1 with a message printed. */
int cli_parse_args(int argc, char **argv, const char *usage, const cli_value_option *values, const char **model,
                   int *json, plan_options *plan);

/* Loads MODEL (a .tflite or a spec) and refuses, with exit code 2, a model
 * of more MACs per inference than --max-macs (operators without MACs
 * counted one per output element), or one whose layer-by-layer arena would
 * exceed 4 GiB even with its input and output streamed. Returns an exit
 * code, message printed; g is left empty unless 0. */
int cli_load_model(const char *path, msf_graph *g);

#endif
