/* msf-time-calibrate: the host half of the time model's calibration
 * (targets/calibrate.sh runs it around the QEMU measurements).
 *
 *   msf-time-calibrate features MODEL PLAN.json
 *       one line per block of the plan: its time-model features
 *       (plan/time_model.h), space-separated
 *   msf-time-calibrate fit SAMPLES -o TABLE.c [--exclude TEXT] [--command TEXT]
 *       fits each target's coefficients to the measured blocks of SAMPLES and
 *       writes them as C (plan/time_table.c); prints, per plan, the
 *       predicted and measured instructions of a whole inference. Plans
 *       whose id contains TEXT are left out of the fit (held out) and still
 *       reported. SAMPLES lines:
 *         block TARGET PLAN_ID INSTRUCTIONS F0 ... F(n-1)
 *         invoke TARGET PLAN_ID INSTRUCTIONS
 *
 * The fit: non-negative least squares, each block's squared error divided
 * by its measured instructions (the variance of a count): large blocks
 * weigh more, as they do in a plan's total, but small ones still count
 * (the planner compares small blocks too). Of the weightings tried on the
 * calibration set (1, 1/sqrt(n), 1/n^0.75, 1/n per residual) it gave the
 * least mean error of whole plans. A coefficient is never negative because
 * no feature makes a kernel faster; it also keeps the predictions of blocks
 * unlike any measured one from going below zero. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_file.h"
#include "time_model.h"

#define MAX_SAMPLES 200000
#define MAX_PLANS 4096

typedef struct {
    int target;
    char plan[128];
    double measured;
    double f[TIME_FEATURES];
} sample;

typedef struct {
    int target;
    char plan[128];
    double invoke;        /* the whole NAME_invoke measured, or 0 */
    double blocks;        /* its blocks measured one by one */
    double predicted;
} plan_total;

static int usage(void)
{
    fprintf(stderr, "usage: msf-time-calibrate features MODEL PLAN.json\n"
                    "       msf-time-calibrate fit SAMPLES -o TABLE.c [--exclude TEXT] [--command TEXT]\n");
    return 2;
}

static int features(const char *model, const char *plan_path)
{
    msf_graph g;
    built_plan bp;
    char err[2048];
    if (graph_load(model, &g, err, sizeof err)) {
        fprintf(stderr, "msf-time-calibrate: %s\n", err);
        return 2;
    }
    if (plan_file_load(plan_path, &g, &bp, err, sizeof err) != PLAN_FILE_OK) {
        fprintf(stderr, "msf-time-calibrate: %s\n", err);
        graph_free(&g);
        return 2;
    }
    for (int32_t i = 0; i < bp.plan.n_blocks; i++) {
        double f[TIME_FEATURES];
        time_block_features(&g, &bp.costs[i], f);
        for (int32_t k = 0; k < TIME_FEATURES; k++)
            printf("%s%.17g", k ? " " : "", f[k]);
        printf("\n");
    }
    built_plan_free(&bp);
    graph_free(&g);
    return 0;
}

static plan_total *find_plan(plan_total *plans, int *n, int target, const char *id)
{
    for (int i = 0; i < *n; i++)
        if (plans[i].target == target && strcmp(plans[i].plan, id) == 0)
            return &plans[i];
    if (*n == MAX_PLANS)
        return NULL;
    plan_total *p = &plans[(*n)++];
    memset(p, 0, sizeof *p);
    p->target = target;
    snprintf(p->plan, sizeof p->plan, "%s", id);
    return p;
}

/* One line of SAMPLES into *s (a block) or the plan's invoke figure; 0 ok,
 * -1 malformed. */
static int read_line(char *line, sample *s, int *is_block, plan_total *plans, int *n_plans)
{
    char *kind = strtok(line, " \t\n"), *target = strtok(NULL, " \t\n"), *id = strtok(NULL, " \t\n");
    char *value = strtok(NULL, " \t\n"), *end;
    if (!kind || !target || !id || !value || strlen(id) >= sizeof s->plan)
        return -1;
    int t = time_target_named(target);
    double v = strtod(value, &end);
    if (t < 0 || *end || !(v > 0))
        return -1;
    plan_total *p = find_plan(plans, n_plans, t, id);
    if (!p)
        return -1;
    *is_block = strcmp(kind, "block") == 0;
    if (!*is_block) {
        p->invoke = v;
        return strcmp(kind, "invoke") == 0 && !strtok(NULL, " \t\n") ? 0 : -1;
    }
    s->target = t;
    snprintf(s->plan, sizeof s->plan, "%s", id);
    s->measured = v;
    p->blocks += v;
    for (int k = 0; k < TIME_FEATURES; k++) {
        char *word = strtok(NULL, " \t\n");
        if (!word)
            return -1;
        s->f[k] = strtod(word, &end);
        if (*end || !(s->f[k] >= 0))
            return -1;
    }
    return strtok(NULL, " \t\n") ? -1 : 0;
}

/* Non-negative least squares by cyclic coordinate descent on the normal
 * equations G x = h (G positive semi-definite): each coordinate in turn
 * minimises exactly, clamped at 0. A coordinate whose column is all zero
 * (a feature no sample has) stays 0. */
static void nnls(const double G[TIME_FEATURES][TIME_FEATURES], const double h[TIME_FEATURES], double x[TIME_FEATURES])
{
    memset(x, 0, TIME_FEATURES * sizeof *x);
    for (int sweep = 0; sweep < 200000; sweep++) {
        double moved = 0.0;
        for (int j = 0; j < TIME_FEATURES; j++) {
            if (G[j][j] <= 0.0)
                continue;
            double grad = -h[j];
            for (int k = 0; k < TIME_FEATURES; k++)
                grad += G[j][k] * x[k];
            double next = fmax(0.0, x[j] - grad / G[j][j]);
            moved = fmax(moved, fabs(next - x[j]) * sqrt(G[j][j]));
            x[j] = next;
        }
        if (moved < 1e-13)
            break;
    }
}

/* The coefficients of target t from its samples (not held out), in the
 * units of the features; returns how many samples it used. */
static int fit_target(const sample *s, int n, int t, const char *exclude, double coef[TIME_FEATURES])
{
    static double G[TIME_FEATURES][TIME_FEATURES];
    double h[TIME_FEATURES] = {0}, scale[TIME_FEATURES] = {0}, x[TIME_FEATURES];
    memset(G, 0, sizeof G);
    int used = 0;
    for (int i = 0; i < n; i++) {
        if (s[i].target != t || (exclude && strstr(s[i].plan, exclude)))
            continue;
        used++;
        double w = 1.0 / sqrt(s[i].measured); /* per residual: its square is 1/n */
        for (int j = 0; j < TIME_FEATURES; j++) {
            double a = s[i].f[j] * w;
            h[j] += a * s[i].measured * w;
            for (int k = 0; k < TIME_FEATURES; k++)
                G[j][k] += a * s[i].f[k] * w;
        }
    }
    /* Columns scaled to unit diagonal: MACs run to millions, schemes are 0 or 1. */
    for (int j = 0; j < TIME_FEATURES; j++)
        scale[j] = G[j][j] > 0.0 ? 1.0 / sqrt(G[j][j]) : 0.0;
    for (int j = 0; j < TIME_FEATURES; j++) {
        h[j] *= scale[j];
        for (int k = 0; k < TIME_FEATURES; k++)
            G[j][k] *= scale[j] * scale[k];
    }
    nnls((const double(*)[TIME_FEATURES])G, h, x);
    for (int j = 0; j < TIME_FEATURES; j++)
        coef[j] = x[j] * scale[j];
    return used;
}

static double predict(const double coef[TIME_FEATURES], const double f[TIME_FEATURES])
{
    double sum = 0.0;
    for (int j = 0; j < TIME_FEATURES; j++)
        sum += coef[j] * f[j];
    return sum;
}

static int write_table(const char *path, const double coef[TIME_TARGET_COUNT][TIME_FEATURES],
                       const int used[TIME_TARGET_COUNT], const char *command)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "msf-time-calibrate: cannot write %s\n", path);
        return 1;
    }
    fprintf(f, "/* The time model's coefficients (plan/time_model.h): instructions per unit\n"
               " * of each feature, fitted to blocks measured under QEMU. Written by\n"
               " * `%s`; do not edit. */\n#include \"time_model.h\"\n\n"
               "const double time_table[TIME_TARGET_COUNT][TIME_FEATURES] = {\n",
            command);
    for (int t = 0; t < TIME_TARGET_COUNT; t++) {
        fprintf(f, "    /* %s: %d blocks */\n    {\n", time_target_name((time_target)t), used[t]);
        for (int j = 0; j < TIME_FEATURES; j++) {
            char name[64];
            time_feature_name(j, name, sizeof name);
            fprintf(f, "        %.9g, /* %s */\n", coef[t][j], name);
        }
        fprintf(f, "    },\n");
    }
    fprintf(f, "};\n");
    return fclose(f) == 0 ? 0 : 1;
}

/* Per plan: the whole inference measured, the sum of its blocks predicted,
 * and the error; then each target's worst and mean error. */
static void report(const sample *s, int n, plan_total *plans, int n_plans, const double coef[TIME_TARGET_COUNT][TIME_FEATURES],
                   const char *exclude)
{
    for (int i = 0; i < n; i++)
        find_plan(plans, &n_plans, s[i].target, s[i].plan)->predicted += predict(coef[s[i].target], s[i].f);
    printf("%-6s %-48s %14s %14s %8s\n", "target", "plan", "measured", "predicted", "error");
    for (int t = 0; t < TIME_TARGET_COUNT; t++) {
        double worst = 0.0, sum = 0.0;
        int k = 0;
        for (int i = 0; i < n_plans; i++) {
            const plan_total *p = &plans[i];
            if (p->target != t || p->invoke <= 0)
                continue;
            double err = (p->predicted - p->invoke) / p->invoke;
            printf("%-6s %-48s %14.0f %14.0f %+7.2f%%%s\n", time_target_name((time_target)t), p->plan, p->invoke,
                   p->predicted, 100.0 * err, exclude && strstr(p->plan, exclude) ? " (held out)" : "");
            worst = fmax(worst, fabs(err));
            sum += fabs(err);
            k++;
        }
        if (k)
            printf("%s: %d plans, mean |error| %.2f%%, worst %.2f%%\n", time_target_name((time_target)t), k,
                   100.0 * sum / k, 100.0 * worst);
    }
}

static int fit(const char *samples_path, const char *out, const char *exclude, const char *command)
{
    FILE *f = fopen(samples_path, "r");
    if (!f) {
        fprintf(stderr, "msf-time-calibrate: cannot read %s\n", samples_path);
        return 2;
    }
    sample *s = malloc(MAX_SAMPLES * sizeof *s);
    plan_total *plans = malloc(MAX_PLANS * sizeof *plans);
    int n = 0, n_plans = 0, rc = 0, line_no = 0;
    char line[8192];
    while (s && plans && rc == 0 && fgets(line, sizeof line, f)) {
        int is_block = 0;
        line_no++;
        if (n == MAX_SAMPLES || read_line(line, &s[n], &is_block, plans, &n_plans)) {
            fprintf(stderr, "msf-time-calibrate: %s:%d: not a sample line (or too many)\n", samples_path, line_no);
            rc = 2;
        }
        n += is_block;
    }
    fclose(f);
    if (!s || !plans) {
        fprintf(stderr, "msf-time-calibrate: out of memory\n");
        rc = 1;
    }
    if (rc == 0) {
        static double coef[TIME_TARGET_COUNT][TIME_FEATURES];
        int used[TIME_TARGET_COUNT];
        for (int t = 0; t < TIME_TARGET_COUNT; t++)
            used[t] = fit_target(s, n, t, exclude, coef[t]);
        rc = write_table(out, (const double(*)[TIME_FEATURES])coef, used, command);
        if (rc == 0)
            report(s, n, plans, n_plans, (const double(*)[TIME_FEATURES])coef, exclude);
    }
    free(s);
    free(plans);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "features") == 0)
        return features(argv[2], argv[3]);
    if (argc < 3 || strcmp(argv[1], "fit") != 0)
        return usage();
    const char *out = NULL, *exclude = NULL, *command = "targets/calibrate.sh";
    for (int i = 3; i < argc; i += 2) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "-o") == 0)
            out = argv[i + 1];
        else if (strcmp(argv[i], "--exclude") == 0)
            exclude = argv[i + 1];
        else if (strcmp(argv[i], "--command") == 0)
            command = argv[i + 1];
        else
            return usage();
    }
    return out ? fit(argv[2], out, exclude, command) : usage();
}
