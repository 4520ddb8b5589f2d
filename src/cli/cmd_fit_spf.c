/* rumble fit-spf: a local safety performance function by NB2 regression. */
#include "cli/cli.h"
#include "screen/nb2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { F_SITES = 1, F_LAYER, F_COUNT, F_COV, F_AADT, F_LENGTH, F_UNIT, F_YEARS, F_ID, F_NAME,
       F_OUT, F_CURE, F_QUIET, F_HELP };

static const struct rb_opt fit_opts[] = {
    { "sites", 0, "FILE", NULL, F_SITES, "sites table: CSV, XLSX, ODS or any OGR layer" },
    { "layer", 0, "NAME", NULL, F_LAYER, "layer or sheet of the sites source" },
    { "count", 0, "FIELD", NULL, F_COUNT, "crash count per site (the response)" },
    { "covariates", 0, "A,B", NULL, F_COV, "columns entering the model as they are" },
    { "aadt", 0, "FIELD", NULL, F_AADT, "AADT column: adds ln(AADT) as term ln_aadt" },
    { "length", 0, "FIELD", NULL, F_LENGTH, "length column: adds ln(length) as term ln_length" },
    { "length-unit", 0, "UNIT", NULL, F_UNIT, "unit of the length column: m, km (default) or mi" },
    { "years", 0, "FIELD", NULL, F_YEARS, "years each count covers: ln(years) as an offset" },
    { "id", 0, "ID", NULL, F_ID, "id of the SPF (default: local)" },
    { "name", 0, "TEXT", NULL, F_NAME, "description of the SPF" },
    { "output", 'o', "FILE", NULL, F_OUT, "SPF file to write (.json)" },
    { "cure", 0, "FILE", NULL, F_CURE, "CURE plot table (default: OUT with _cure.csv)" },
    { "quiet", 'q', NULL, NULL, F_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, F_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char fit_examples[] =
    "  rumble fit-spf --sites build/demo/run_segments.csv --count n_obs --aadt aadt \\\n"
    "                 --length length_m --length-unit m --years n_years -o spf.json\n"
    "  rumble fit-spf --sites build/demo/run_segments.csv --count n_obs --aadt aadt \\\n"
    "                 --length length_m --length-unit m --covariates speed_kmh -o spf_speed.json\n";

struct fit_args {
    struct rb_cli cli;
    const char *sites, *layer, *count, *cov, *aadt, *length, *unit, *years, *id, *name, *out, *cure;
    int help;
};

static int on_fit_opt(int id, const char *v, void *ud)
{
    struct fit_args *a = ud;
    switch (id) {
    case F_SITES: a->sites = v; break;
    case F_LAYER: a->layer = v; break;
    case F_COUNT: a->count = v; break;
    case F_COV: a->cov = v; break;
    case F_AADT: a->aadt = v; break;
    case F_LENGTH: a->length = v; break;
    case F_UNIT: a->unit = v; break;
    case F_YEARS: a->years = v; break;
    case F_ID: a->id = v; break;
    case F_NAME: a->name = v; break;
    case F_OUT: a->out = v; break;
    case F_CURE: a->cure = v; break;
    case F_QUIET: a->cli.quiet = 1; break;
    case F_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

/* A term of the model: a column, transformed by log or not. */
struct term {
    char var[64];       /* name in the SPF file */
    long col;           /* -1: the constant */
    int take_log;
};

static int find_col(const struct rb_table *t, const char *name, const char *what, const char *path)
{
    long c = rb_table_find(t, name);
    if (c < 0) {
        char list[600] = "";
        for (size_t k = 0; k < t->ncols && strlen(list) < 500; k++) {
            if (k) strcat(list, ", ");
            strncat(list, t->cols[k].name, 60);
        }
        rb_cli_error("fit-spf: %s: no column '%s' (%s); columns are: %s", path, name, what, list);
    }
    return (int)c;
}

int cmd_fit_spf(int argc, char **argv)
{
    struct fit_args a = { .cli = { .cmd = "fit-spf" }, .unit = "km", .id = "local" };
    struct rb_config cfg;
    struct rb_err err = { 0 };
    struct rb_log wlog = { 0 };
    struct rb_table t = { 0 };
    struct rb_nb2_fit fit = { 0 };
    struct term terms[RB_SPF_MAXTERMS];
    size_t nterms = 0;
    double *X = NULL, *y = NULL, *off = NULL, *key = NULL, *cum = NULL, *band = NULL;
    size_t *rows = NULL, *order = NULL;
    char *cure_path = NULL, *cure_text = NULL;
    int rc;

    rb_config_init(&cfg);
    rc = rb_cli_parse(&a.cli, argc, argv, fit_opts, NULL, &cfg, on_fit_opt, &a);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "fit-spf", "--sites FILE --count FIELD [--covariates A,B] -o SPF.json",
                         fit_opts, NULL, fit_examples);
        goto done;
    }
    if (!a.sites || !a.count || !a.out) {
        rb_cli_error("fit-spf: needs --sites, --count and -o SPF.json; see 'rumble fit-spf --help'");
        rc = RB_EXIT_USAGE;
        goto done;
    }
    if (strcmp(a.unit, "m") && strcmp(a.unit, "km") && strcmp(a.unit, "mi")) {
        rb_cli_error("fit-spf: --length-unit wants m, km or mi, not '%s'", a.unit);
        rc = RB_EXIT_USAGE;
        goto done;
    }
    rb_io_init();
    if (rb_io_read_table(a.sites, a.layer, &t, &wlog, &err)) {
        rc = rb_cli_fail(&err);
        goto done;
    }
    int ccount = find_col(&t, a.count, "--count", a.sites);
    int cyears = a.years ? find_col(&t, a.years, "--years", a.sites) : -2;
    if (ccount < 0 || cyears == -1) {
        rc = RB_EXIT_DATA;
        goto done;
    }
    /* the model's terms: constant, ln AADT, ln length, covariates */
    terms[nterms++] = (struct term){ "const", -1, 0 };
    if (a.aadt) {
        int c = find_col(&t, a.aadt, "--aadt", a.sites);
        if (c < 0) { rc = RB_EXIT_DATA; goto done; }
        terms[nterms++] = (struct term){ "ln_aadt", c, 1 };
    }
    if (a.length) {
        int c = find_col(&t, a.length, "--length", a.sites);
        if (c < 0) { rc = RB_EXIT_DATA; goto done; }
        terms[nterms++] = (struct term){ "ln_length", c, 1 };
    }
    if (a.cov) {
        char *copy = strdup(a.cov), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            int c = find_col(&t, tok, "--covariates", a.sites);
            if (c < 0 || nterms == RB_SPF_MAXTERMS) {
                if (c >= 0)
                    rb_cli_error("fit-spf: more than %d terms", RB_SPF_MAXTERMS);
                free(copy);
                rc = RB_EXIT_DATA;
                goto done;
            }
            terms[nterms] = (struct term){ "", c, 0 };
            snprintf(terms[nterms].var, sizeof terms[nterms].var, "%s", t.cols[c].name);
            nterms++;
        }
        free(copy);
    }
    /* rows with every value present; the others are named and left out */
    size_t n = 0, p = nterms;
    X = malloc((t.nrows ? t.nrows : 1) * p * sizeof *X);
    y = malloc((t.nrows ? t.nrows : 1) * sizeof *y);
    off = malloc((t.nrows ? t.nrows : 1) * sizeof *off);
    rows = malloc((t.nrows ? t.nrows : 1) * sizeof *rows);
    if (!X || !y || !off || !rows) {
        rc = rb_cli_fail(&(struct rb_err){ RB_ENOMEM, "out of memory" });
        goto done;
    }
    size_t skipped = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        double cnt = rb_table_number(&t, (size_t)ccount, r);
        int ok = cnt == cnt;
        double *x = X + n * p;
        for (size_t j = 0; j < p && ok; j++) {
            if (terms[j].col < 0) {
                x[j] = 1;
                continue;
            }
            double v = rb_table_number(&t, (size_t)terms[j].col, r);
            if (terms[j].take_log)
                v = v > 0 ? log(v) : NAN;
            x[j] = v;
            ok = v == v;
        }
        double yrs = cyears >= 0 ? rb_table_number(&t, (size_t)cyears, r) : 1;
        ok = ok && yrs > 0;
        if (!ok) {
            if (skipped++ < 10 && !a.cli.quiet)
                fprintf(stderr, "rumble: warning: %s: row %zu has a missing or invalid value; left out\n",
                        a.sites, r + 2);
            continue;
        }
        y[n] = cnt;
        off[n] = log(yrs);
        rows[n] = r;
        n++;
    }
    if (skipped > 10 && !a.cli.quiet)
        fprintf(stderr, "rumble: warning: %zu rows left out in all\n", skipped);
    if (rb_nb2_fit(X, y, cyears >= 0 ? off : NULL, n, p, &fit, &err)) {
        if (err.code == RB_EINVAL)
            rb_cli_error("fit-spf: %s: %s", a.sites, err.msg);
        rc = err.code == RB_EINVAL ? RB_EXIT_DATA : rb_cli_fail(&err);
        goto done;
    }

    /* CURE plot by fitted value */
    key = malloc(n * sizeof *key);
    cum = malloc(n * sizeof *cum);
    band = malloc(n * sizeof *band);
    order = malloc(n * sizeof *order);
    if (!key || !cum || !band || !order) {
        rc = rb_cli_fail(&(struct rb_err){ RB_ENOMEM, "out of memory" });
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        key[i] = fit.mu[i];
    if (rb_cure(key, y, fit.mu, n, order, cum, band, &err)) {
        rc = rb_cli_fail(&err);
        goto done;
    }
    size_t outside = 0;
    double max_dev = 0;
    size_t cap = 64 + n * 96, len = 0;
    cure_text = malloc(cap);
    if (!cure_text) {
        rc = rb_cli_fail(&(struct rb_err){ RB_ENOMEM, "out of memory" });
        goto done;
    }
    len += (size_t)snprintf(cure_text + len, cap - len, "row,fitted,observed,residual,cum_residual,band\n");
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        outside += fabs(cum[i]) > band[i];
        max_dev = fmax(max_dev, fabs(cum[i]));
        len += (size_t)snprintf(cure_text + len, cap - len, "%zu,%.6f,%.0f,%.6f,%.6f,%.6f\n", rows[j] + 2,
                                fit.mu[j], y[j], y[j] - fit.mu[j], cum[i], band[i]);
    }
    if (a.cure) {
        cure_path = strdup(a.cure);
    } else {
        const char *dot = strrchr(a.out, '.');
        size_t base = dot ? (size_t)(dot - a.out) : strlen(a.out);
        cure_path = malloc(base + 16);
        if (cure_path)
            snprintf(cure_path, base + 16, "%.*s_cure.csv", (int)base, a.out);
    }

    /* the SPF file */
    struct rb_spf spf = { .scale = 1, .calibration = 1, .k_per_length = 0, .k_value = fit.k,
                          .aadt_min = 0, .aadt_max = INFINITY, .fi_share = NAN };
    snprintf(spf.id, sizeof spf.id, "%.63s", a.id);
    snprintf(spf.name, sizeof spf.name, "%.159s", a.name ? a.name : "locally fitted SPF");
    snprintf(spf.source, sizeof spf.source, "rumble fit-spf %s: NB2 maximum likelihood on %zu sites of %s",
             RB_VERSION, n, a.sites);
    snprintf(spf.site_type, sizeof spf.site_type, "segment");
    snprintf(spf.length_unit, sizeof spf.length_unit, "%s", a.unit);
    spf.nterms = p;
    for (size_t j = 0; j < p; j++) {
        snprintf(spf.var[j], sizeof spf.var[j], "%.63s", terms[j].var);
        spf.coef[j] = fit.beta[j];
        spf.se[j] = fit.se[j];
    }
    char fit_json[8192];
    snprintf(fit_json, sizeof fit_json,
             "{ \"sites\": %zu, \"sites_left_out\": %zu, \"count\": \"%s\", \"offset\": %s%s%s,"
             " \"k\": %.10g, \"se_k\": %.10g, \"theta\": %.10g, \"se_theta\": %.10g,"
             " \"loglik\": %.10g, \"aic\": %.10g, \"loglik_poisson\": %.10g,"
             " \"lr_test_k\": %.10g, \"iterations\": %d, \"cure_file\": \"%s\","
             " \"cure_outside_band\": %zu, \"cure_max_abs\": %.6g }",
             n, skipped, a.count, a.years ? "\"ln(" : "null", a.years ? a.years : "", a.years ? ")\"" : "",
             fit.k, fit.se_k, fit.theta, fit.se_theta, fit.loglik, fit.aic, fit.loglik_poisson,
             2 * (fit.loglik - fit.loglik_poisson), fit.iterations, cure_path ? cure_path : "",
             outside, max_dev);
    if (!cure_path || rb_io_write_text(cure_path, cure_text, &err) ||
        rb_spf_write(a.out, &spf, fit_json, &err)) {
        rc = rb_cli_fail(cure_path ? &err : &(struct rb_err){ RB_ENOMEM, "out of memory" });
        goto done;
    }
    if (!a.cli.quiet) {
        printf("NB2 fit of %s on %zu sites (%zu left out), %d iterations\n", a.count, n, skipped,
               fit.iterations);
        printf("  %-16s %14s %12s %9s %10s\n", "term", "coef", "se", "z", "p");
        for (size_t j = 0; j < p; j++) {
            double z = fit.beta[j] / fit.se[j];
            printf("  %-16s %14.6f %12.6f %9.3f %10.3g\n", terms[j].var, fit.beta[j], fit.se[j], z,
                   erfc(fabs(z) / sqrt(2)));
        }
        printf("  k (overdispersion) %.6f (se %.6f); theta %.6f (se %.6f)\n", fit.k, fit.se_k, fit.theta,
               fit.se_theta);
        printf("  log-likelihood %.4f, AIC %.4f; Poisson log-likelihood %.4f\n", fit.loglik, fit.aic,
               fit.loglik_poisson);
        printf("  CURE: %zu of %zu points outside the two-sigma band\n", outside, n);
        printf("wrote %s, %s\n", a.out, cure_path);
    }
    rc = RB_EXIT_OK;
done:
    free(X); free(y); free(off); free(rows); free(key); free(cum); free(band); free(order);
    free(cure_path);
    free(cure_text);
    rb_nb2_free(&fit);
    rb_table_free(&t);
    rb_log_free(&wlog);
    rb_config_free(&cfg);
    rb_io_cleanup();
    return rc;
}
