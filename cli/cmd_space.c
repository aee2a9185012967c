#define _POSIX_C_SOURCE 200809L /* open_memstream */
/* msf space: MCUNet's TinyNAS stage one with exact RAM. For each (W, R)
 * configuration of a search space, sample networks and see which fit the
 * board under three memory models: layer by layer, the MCUNetV2 heuristic
 * and msf's planner. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_units.h"
#include "gnuplot.h"
#include "plan_options.h"
#include "plan_pareto.h"
#include "space_report.h"
#include "space_run.h"

#define MAX_SAMPLES 10000
#define MAX_JOBS 64
#define MAX_NETWORK_INDEX 1000000000u

static const char space_usage[] =
    "usage: msf space SPACE --ram SIZE --flash SIZE [--max-overhead F] [--samples N] [--seed S]\n"
    "                 [--min-fit P] [--jobs N] [-o CSV] [--plot FILE.svg|FILE.png]\n"
    "       msf space SPACE --emit-spec FILE --network wW-rR:I [--max-overhead F] [--seed S]\n"
    "\n"
    "For each width x resolution configuration of a search space (a .space file),\n"
    "samples networks and plans each three ways: layer by layer, the MCUNetV2\n"
    "heuristic and msf's planner (least peak RAM with MACs <= F x layer by layer).\n"
    "Prints, per memory model, the configuration whose fitting networks have the\n"
    "largest mean MACs (MCUNet's TinyNAS criterion) and a W x R table of mean MACs.\n"
    "RAM is the arena msf plan reports, input and output held; flash the weights.\n"
    "\n"
    "  --ram SIZE, --flash SIZE  the board: bytes, kB (x1000) or KiB (x1024)\n"
    "  --max-overhead F          msf's planner: MACs <= F x layer by layer (default inf)\n"
    "  --samples N               networks per configuration (default 1000, at most 10000)\n"
    "  --min-fit P               only configurations where at least P% of the networks\n"
    "                            fit compete for best (default 0: any that fit, MCUNet's rule)\n"
    "  --seed S                  which networks (default 1); network i of every\n"
    "                            configuration makes the same choices\n"
    "  --jobs N                  worker processes (default 1, at most 64); same figures\n"
    "  -o CSV                    one row per configuration and memory model\n"
    "  --plot FILE.svg|FILE.png  the CDF of the fitting networks' MACs (gnuplot)\n"
    "  --emit-spec FILE          write network I of configuration wW-rR (--network,\n"
    "                            as the labels read, e.g. w0.5-r144:17) as a .spec and\n"
    "                            print its figures; msf plan FILE --min-ram\n"
    "                            --max-overhead F reports the same RAM\n";

typedef struct {
    const char *space, *csv, *plot, *emit, *network;
    uint64_t ram, flash, seed;
    int have_ram, have_flash;
    double max_overhead;
    int32_t samples, min_fit;
    int jobs;
} space_args;

/* A decimal number in [lo, hi]; -1 if malformed. */
static int parse_number(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

/* One option at argv[*i]: 1 consumed, 0 not an option of msf space, -1 bad. */
static int parse_option(int argc, char **argv, int *i, space_args *a)
{
    const char *v;
    int r;
    uint64_t n = 0;
    const struct {
        const char *flag;
        const char **value;
    } paths[] = {{"-o", &a->csv}, {"--plot", &a->plot}, {"--emit-spec", &a->emit}, {"--network", &a->network}};
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
        if ((r = cli_option_value(argc, argv, i, paths[k].flag, paths[k].value)) != 0)
            return r;
    const struct {
        const char *flag;
        uint64_t *bytes;
        int *given;
    } sizes[] = {{"--ram", &a->ram, &a->have_ram}, {"--flash", &a->flash, &a->have_flash}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        if ((r = cli_option_value(argc, argv, i, sizes[k].flag, &v)) == 0)
            continue;
        if (r > 0 && parse_size(v, sizes[k].bytes))
            return cli_error(-1, "%s takes bytes, kB or KiB (e.g. 65536, 64kB, 64KiB), not '%s'", sizes[k].flag, v);
        *sizes[k].given = 1;
        return r;
    }
    if ((r = cli_option_value(argc, argv, i, "--max-overhead", &v)) != 0) {
        if (r > 0 && parse_overhead(v, &a->max_overhead))
            return cli_error(-1, "--max-overhead takes a number >= 1 or inf, not '%s'", v);
        return r;
    }
    if ((r = cli_option_value(argc, argv, i, "--samples", &v)) != 0) {
        if (r > 0 && parse_number(v, 1, MAX_SAMPLES, &n))
            return cli_error(-1, "--samples takes 1..%d, not '%s'", MAX_SAMPLES, v);
        a->samples = r > 0 ? (int32_t)n : a->samples;
        return r;
    }
    if ((r = cli_option_value(argc, argv, i, "--min-fit", &v)) != 0) {
        if (r > 0 && parse_number(v, 0, 100, &n))
            return cli_error(-1, "--min-fit takes a percentage 0..100, not '%s'", v);
        a->min_fit = r > 0 ? (int32_t)n : a->min_fit;
        return r;
    }
    if ((r = cli_option_value(argc, argv, i, "--jobs", &v)) != 0) {
        if (r > 0 && parse_number(v, 1, MAX_JOBS, &n))
            return cli_error(-1, "--jobs takes 1..%d, not '%s'", MAX_JOBS, v);
        a->jobs = r > 0 ? (int)n : a->jobs;
        return r;
    }
    if ((r = cli_option_value(argc, argv, i, "--seed", &v)) != 0) {
        if (r > 0 && parse_number(v, 0, UINT64_MAX, &a->seed))
            return cli_error(-1, "--seed takes a number 0..%llu, not '%s'", (unsigned long long)UINT64_MAX, v);
        return r;
    }
    return 0;
}

static int parse_args(int argc, char **argv, space_args *a)
{
    *a = (space_args){.max_overhead = INFINITY, .samples = 1000, .jobs = 1, .seed = 1};
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(space_usage, stdout);
            exit(EXIT_OK);
        }
        int r = parse_option(argc, argv, &i, a);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (argv[i][0] == '-' || a->space)
            return cli_error(-1, "unexpected argument '%s'", argv[i]);
        a->space = argv[i];
    }
    if (!a->space)
        return cli_error(-1, "no SPACE given");
    if (!a->emit != !a->network)
        return cli_error(-1, "--emit-spec FILE and --network wW-rR:I go together");
    if (a->emit && (a->csv || a->plot))
        return cli_error(-1, "-o and --plot report a whole run, not --emit-spec");
    if (!a->emit && (!a->have_ram || !a->have_flash))
        return cli_error(-1, "--ram SIZE and --flash SIZE are required");
    if (a->plot && !pareto_plot_terminal(a->plot))
        return cli_error(-1, "--plot takes FILE.png or FILE.svg, not '%s'", a->plot);
    return 0;
}

/* --network wW-rR:I: the configuration (by its label) and the index. */
static int find_network(const msf_space *s, const char *text, int32_t *config, uint64_t *index)
{
    const char *colon = strrchr(text, ':');
    if (colon) {
        for (int32_t c = 0; c < space_n_configs(s); c++) {
            char label[32];
            space_config_label(s, c, label, sizeof label);
            if (strlen(label) == (size_t)(colon - text) && memcmp(label, text, strlen(label)) == 0 &&
                parse_number(colon + 1, 0, MAX_NETWORK_INDEX, index) == 0) {
                *config = c;
                return 0;
            }
        }
    }
    return cli_error(-1, "--network takes a configuration of the space and an index, as w0.5-r144:17, not '%s'", text);
}

/* The emitted spec's first lines: where it comes from and what msf space
 * computed for it. */
static void emit_header(char *buf, size_t size, const char *label, uint64_t index, const space_args *a,
                        const space_figures *f)
{
    snprintf(buf, size,
             "# network %llu of configuration %s of a search space (msf space, seed %llu)\n"
             "# MACs %llu, weights %llu bytes; peak RAM (input and output held) layer by layer %u,\n"
             "# MCUNetV2 heuristic %u, msf planner %u (msf plan --min-ram --max-overhead %g)\n",
             (unsigned long long)index, label, (unsigned long long)a->seed, (unsigned long long)f->macs,
             (unsigned long long)f->weight_bytes, f->ram[MEM_LAYERS], f->ram[MEM_MCUNETV2], f->ram[MEM_MSF],
             a->max_overhead);
}

static int emit_spec(const space_args *a, const msf_space *s)
{
    int32_t c = 0;
    uint64_t index = 0;
    if (find_network(s, a->network, &c, &index))
        return EXIT_BAD_INPUT;
    int32_t w = space_config_width(s, c), r = space_config_resolution(s, c);
    size_t len;
    char *spec = space_network_spec(s, w, r, a->seed, index, NULL, &len), err[512], header[512], label[32];
    space_figures f;
    if (!spec)
        return cli_error(EXIT_RUNTIME, "out of memory");
    int rc = space_evaluate(spec, len, a->max_overhead, &f, err, sizeof err);
    free(spec);
    if (rc)
        return cli_error(EXIT_RUNTIME, "%s: %s", a->network, err);
    space_config_label(s, c, label, sizeof label);
    emit_header(header, sizeof header, label, index, a, &f);
    if (!(spec = space_network_spec(s, w, r, a->seed, index, header, &len)))
        return cli_error(EXIT_RUNTIME, "out of memory");
    rc = cli_write_output(a->emit, spec, len, &a->space, 1);
    free(spec);
    if (rc == EXIT_OK)
        printf("%s:%llu: MACs %llu, weights %llu bytes, peak RAM: layers %u, mcunetv2 %u, msf %u\n", label,
               (unsigned long long)index, (unsigned long long)f.macs, (unsigned long long)f.weight_bytes,
               f.ram[MEM_LAYERS], f.ram[MEM_MCUNETV2], f.ram[MEM_MSF]);
    return rc;
}

/* The CSV or the plot's script as a string (malloc'ed), or NULL. */
static char *to_text(const space_args *a, const msf_space *s, const space_stat *stats, int plot, size_t *size)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, size);
    if (!f)
        return NULL;
    if (plot)
        space_plot_script(f, pareto_plot_terminal(a->plot), s, stats);
    else
        space_write_csv(f, s, stats, a->samples);
    fclose(f);
    return text;
}

static int write_outputs(const space_args *a, const msf_space *s, const space_stat *stats)
{
    int rc = EXIT_OK;
    size_t size;
    if (a->csv) {
        char *csv = to_text(a, s, stats, 0, &size);
        rc = csv ? cli_write_output(a->csv, csv, size, &a->space, 1) : cli_error(EXIT_RUNTIME, "out of memory");
        free(csv);
    }
    if (rc == EXIT_OK && a->plot) {
        char *script = to_text(a, s, stats, 1, &size), *image = NULL;
        rc = script ? gnuplot_run(script, &image, &size) : cli_error(EXIT_RUNTIME, "out of memory");
        if (rc == EXIT_OK)
            rc = cli_write_output(a->plot, image, size, &a->space, 1);
        free(script);
        free(image);
    }
    return rc;
}

static int explore(const space_args *a, const msf_space *s)
{
    int32_t n_configs = space_n_configs(s);
    space_figures *figures = malloc((size_t)n_configs * (size_t)a->samples * sizeof *figures);
    space_stat *stats = malloc((size_t)n_configs * N_MEM * sizeof *stats);
    char err[768];
    int rc = EXIT_OK;
    space_run_args run = {s, a->seed, a->samples, a->max_overhead, a->jobs};
    if (!figures || !stats)
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    else if (space_run(&run, figures, err, sizeof err))
        rc = cli_error(EXIT_RUNTIME, "%s", err);
    else if (space_stats(figures, n_configs, a->samples, a->ram, a->flash, a->min_fit, stats))
        rc = cli_error(EXIT_RUNTIME, "out of memory");
    if (rc == EXIT_OK) {
        printf("%d configurations x %d networks (seed %llu); RAM %llu B, flash %llu B; msf planner at F = %g\n",
               n_configs, a->samples, (unsigned long long)a->seed, (unsigned long long)a->ram,
               (unsigned long long)a->flash, a->max_overhead);
        if (a->min_fit)
            printf("best: among configurations where at least %d%% of the networks fit\n", a->min_fit);
        printf("\n");
        space_print_summary(stdout, s, stats, a->samples);
        fflush(stdout);
        rc = write_outputs(a, s, stats);
        space_stats_free(stats, n_configs);
    }
    free(figures);
    free(stats);
    return rc;
}

int cmd_space(int argc, char **argv)
{
    space_args a;
    if (parse_args(argc, argv, &a)) {
        fputs(space_usage, stderr);
        return EXIT_BAD_INPUT;
    }
    msf_space *s = malloc(sizeof *s);
    char err[768];
    if (!s)
        return cli_error(EXIT_RUNTIME, "out of memory");
    int rc = EXIT_OK;
    if (space_read_file(a.space, s, err, sizeof err))
        rc = cli_error(EXIT_BAD_INPUT, "%s", err);
    else if (space_check(s, err, sizeof err))
        rc = cli_error(EXIT_BAD_INPUT, "%s: %s", a.space, err);
    else
        rc = a.emit ? emit_spec(&a, s) : explore(&a, s);
    free(s);
    return rc;
}
