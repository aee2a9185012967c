#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: msf COMMAND [ARGS]\n"
    "\n"
    "msf fits int8 TFLite CNNs into microcontroller RAM.\n"
    "\n"
    "commands:\n"
    "  info MODEL [--json] [--target NAME]         analysis: I/O, per-layer MACs, flash, live RAM\n"
    "  plan MODEL (--min-ram [--max-overhead F|N%] | --min-macs --max-ram SIZE | --pareto\n"
    "             | --layers | --target NAME | --ram-total SIZE)\n"
    "                                              choose fused blocks; peak RAM, MACs, baselines\n"
    "  run MODEL --input IN.bin [--output OUT.bin] [--dump DIR] [--plan PLAN.json | planning options]\n"
    "                                              run, measure the arena and the MACs\n"
    "  gen MODEL -o DIR [--name NAME] [--input IN.bin] [--plan PLAN.json | planning options]\n"
    "                                              write C for firmware: NAME.c, NAME.h\n"
    "  report MODEL -o REPORT.html [planning options]\n"
    "                                              one HTML page: fit, plan, figures, layers\n"
    "  export SPEC -o OUT.tflite                   write an architecture spec's .tflite\n"
    "  space SPACE --ram SIZE --flash SIZE         which networks of a search space fit (TinyNAS)\n"
    "\n"
    "MODEL is a .tflite file or an architecture spec (a .spec file).\n"
    "Run 'msf COMMAND --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input, 3 no plan fits.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_error(EXIT_BAD_INPUT, "no command given");
        return cli_usage_hint(NULL);
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
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(argc - 1, argv + 1);
    if (strcmp(cmd, "space") == 0)
        return cmd_space(argc - 1, argv + 1);
    cli_error(EXIT_BAD_INPUT, "unknown command '%s' (info, plan, run, gen, report, export, space)", cmd);
    return cli_usage_hint(NULL);
}
