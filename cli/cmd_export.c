/* msf export: the .tflite of an architecture spec, so that the network msf
 * plans and runs (same weights, same quantization) can be run in TFLite
 * Micro or any other interpreter for comparison. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "spec_reader.h"

static const char export_usage[] =
    "usage: msf export SPEC -o OUT.tflite\n"
    "\n"
    "Writes the .tflite model of an architecture spec: the network msf plans and\n"
    "runs for SPEC, with the same pseudo-random weights and quantization. The file\n"
    "is written whole or not at all.\n"
    "\n"
    "  -o, --output FILE   where to write the model (required)\n";

int cmd_export(int argc, char **argv)
{
    const char *spec = NULL, *output = NULL;
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(export_usage, stdout);
            return EXIT_OK;
        } else if ((r = cli_option_value(argc, argv, &i, "-o", &output)) != 0 ||
                   (r = cli_option_value(argc, argv, &i, "--output", &output)) != 0) {
            if (r < 0)
                return cli_usage_hint("export");
        } else if (argv[i][0] == '-' || spec) {
            cli_error(EXIT_BAD_INPUT, "unexpected argument '%s'", argv[i]);
            return cli_usage_hint("export");
        } else {
            spec = argv[i];
        }
    }
    if (!spec || !output) {
        cli_error(EXIT_BAD_INPUT, "%s", spec ? "-o OUT.tflite is required" : "no SPEC given");
        return cli_usage_hint("export");
    }
    uint8_t *file;
    size_t size;
    char err[512];
    if (spec_file_to_tflite(spec, &file, &size, err, sizeof err))
        return cli_error(EXIT_BAD_INPUT, "%s", err);
    int rc = cli_write_output(output, file, size, &spec, 1);
    free(file);
    return rc;
}
