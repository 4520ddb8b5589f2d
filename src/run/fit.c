/* run/fit: `rumble fit-spf` — a local safety performance function fitted by
 * NB2 regression to the agency's own sites, with its CURE plot table. */
#include "run/internal.h"
#include "screen/nb2.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void rb_fit_free(struct rb_fit *f)
{
    rb_table_free(&f->t);
    rb_nb2_free(&f->fit);
    rb_free(f->rows);
    rb_free(f->cure_path);
    rb_log_free(&f->log);
    memset(f, 0, sizeof *f);
}

int rb_fit_check(struct rb_fit *f, const struct rb_fit_opt *o)
{
    struct rb_err *err = &f->err;
    if (!o->sites || !o->count || !o->out)
        return rb_err_set(err, RB_EUSAGE, "fit-spf: needs --sites, --count and -o SPF.json; see 'rumble fit-spf --help'");
    if (strcmp(o->unit, "m") && strcmp(o->unit, "km") && strcmp(o->unit, "mi"))
        return rb_err_set(err, RB_EUSAGE, "fit-spf: --length-unit wants m, km or mi, not '%s'", o->unit);
    f->cure_path = o->cure ? rb_strdup(o->cure) : rb_run_swap_ext(o->out, "_cure.csv");
    if (!f->cure_path)
        return rb_err_nomem(err);
    if (rb_io_check_writable(o->out, err) || rb_io_check_writable(f->cure_path, err))
        return err->code;
    const char *in[] = { o->sites };
    const char *out[] = { o->out, f->cure_path };
    return rb_paths_check(in, 1, out, 2, err);
}

long rb_run_need_col(const struct rb_table *t, const char *name, const char *what, const char *cmd, const char *path,
                     struct rb_err *err)
{
    long c = rb_table_find(t, name);
    if (c < 0) {
        char list[600] = "";
        for (size_t k = 0; k < t->ncols && strlen(list) < 500; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.60s", k ? ", " : "", t->cols[k].name);
        rb_err_set(err, RB_EINVAL, "%s: %s: no column '%s' (%s); columns are: %s", cmd, path, name, what, list);
    }
    return c;
}

static long need_col(struct rb_fit *f, const char *name, const char *what, const char *path)
{
    return rb_run_need_col(&f->t, name, what, "fit-spf", path, &f->err);
}

/* The model's terms: constant, ln AADT, ln length, covariates as they are. */
static int model_terms(struct rb_fit *f, const struct rb_fit_opt *o)
{
    f->term[f->nterms++] = (struct rb_fit_term){ "const", -1, 0 };
    const char *named[2] = { o->aadt, o->length }, *var[2] = { "ln_aadt", "ln_length" };
    const char *flag[2] = { "--aadt", "--length" };
    for (int k = 0; k < 2; k++) {
        if (!named[k])
            continue;
        long c = need_col(f, named[k], flag[k], o->sites);
        if (c < 0)
            return f->err.code;
        f->term[f->nterms] = (struct rb_fit_term){ "", c, 1 };
        snprintf(f->term[f->nterms++].var, sizeof f->term[0].var, "%s", var[k]);
    }
    for (const char *p = o->cov; p && *p;) {
        char name[128];
        p = rb_run_list_item(p, name, sizeof name);
        long c = need_col(f, name, "--covariates", o->sites);
        if (c < 0)
            return f->err.code;
        if (f->nterms == RB_SPF_MAXTERMS)
            return rb_err_set(&f->err, RB_EUSAGE, "fit-spf: more than %d terms", RB_SPF_MAXTERMS);
        f->term[f->nterms] = (struct rb_fit_term){ "", c, 0 };
        snprintf(f->term[f->nterms++].var, sizeof f->term[0].var, "%s", f->t.cols[c].name);
    }
    return RB_OK;
}

/* The rows with every value present (the others are named and left out):
 * the design matrix X, the counts y and the offsets ln(years). */
static int model_rows(struct rb_fit *f, const struct rb_fit_opt *o, long ccount, long cyears, double *X, double *y,
                      double *off)
{
    size_t p = f->nterms;
    for (size_t r = 0; r < f->t.nrows; r++) {
        double cnt = rb_table_number(&f->t, (size_t)ccount, r);
        int ok = cnt == cnt;
        double *x = X + f->n * p;
        for (size_t j = 0; j < p && ok; j++) {
            if (f->term[j].col < 0) {
                x[j] = 1;
                continue;
            }
            double v = rb_table_number(&f->t, (size_t)f->term[j].col, r);
            if (f->term[j].take_log)
                v = v > 0 ? log(v) : NAN;
            x[j] = v;
            ok = v == v;
        }
        double yrs = cyears >= 0 ? rb_table_number(&f->t, (size_t)cyears, r) : 1;
        if (!(ok && yrs > 0)) {
            f->skipped++;
            rb_warn(&f->log, RB_W_VALUE, "%s: row %zu has a missing or invalid value; left out", o->sites, r + 2);
            continue;
        }
        y[f->n] = cnt;
        off[f->n] = log(yrs);
        f->rows[f->n++] = r;
    }
    return RB_OK;
}

/* The CURE plot by fitted value: its table's text (rows[i] the sites' table
 * rows), how many points stray outside the band and the largest |cum|. */
char *rb_run_cure_text(const size_t *rows, const double *y, const double *mu, size_t n, size_t *outside,
                       double *max_dev, struct rb_err *err)
{
    double *key = rb_mallocarray(n ? n : 1, sizeof *key), *cum = rb_mallocarray(n ? n : 1, sizeof *cum);
    double *band = rb_mallocarray(n ? n : 1, sizeof *band);
    size_t *order = rb_mallocarray(n ? n : 1, sizeof *order);
    char *text = NULL;
    *outside = 0;
    *max_dev = 0;
    if (!key || !cum || !band || !order) {
        rb_err_nomem(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        key[i] = mu[i];
    if (rb_cure(key, y, mu, n, order, cum, band, err))
        goto done;
    size_t cap = 64 + n * 96, len = 0;
    if (!(text = rb_malloc(cap))) {
        rb_err_nomem(err);
        goto done;
    }
    len += (size_t)snprintf(text + len, cap - len, "row,fitted,observed,residual,cum_residual,band\n");
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        *outside += fabs(cum[i]) > band[i];
        *max_dev = fmax(*max_dev, fabs(cum[i]));
        len += (size_t)snprintf(text + len, cap - len, "%zu,%.6f,%.0f,%.6f,%.6f,%.6f\n", rows[j] + 2, mu[j], y[j],
                                y[j] - mu[j], cum[i], band[i]);
    }
done:
    rb_free(key);
    rb_free(cum);
    rb_free(band);
    rb_free(order);
    return text;
}

/* The SPF file, with the fit's figures under "fit". */
static int write_spf(struct rb_fit *f, const struct rb_fit_opt *o)
{
    const struct rb_nb2_fit *fit = &f->fit;
    struct rb_spf spf = { .scale = 1, .calibration = 1, .k_per_length = 0, .k_value = fit->k,
                          .aadt_min = 0, .aadt_max = INFINITY, .fi_share = NAN, .base_lanes_max = INFINITY,
                          .base_divided = -1, .base_area = -1, .base_control = -1 };
    snprintf(spf.id, sizeof spf.id, "%.63s", o->id);
    snprintf(spf.name, sizeof spf.name, "%.159s", o->name ? o->name : "locally fitted SPF");
    snprintf(spf.source, sizeof spf.source, "rumble fit-spf %s: NB2 maximum likelihood on %zu sites of %s",
             RB_VERSION, f->n, o->sites);
    snprintf(spf.site_type, sizeof spf.site_type, "segment");
    snprintf(spf.length_unit, sizeof spf.length_unit, "%s", o->unit);
    spf.nterms = f->nterms;
    for (size_t j = 0; j < f->nterms; j++) {
        snprintf(spf.var[j], sizeof spf.var[j], "%.63s", f->term[j].var);
        spf.coef[j] = fit->beta[j];
        spf.se[j] = fit->se[j];
    }
    char fit_json[8192];
    snprintf(fit_json, sizeof fit_json,
             "{ \"sites\": %zu, \"sites_left_out\": %zu, \"count\": \"%s\", \"offset\": %s%s%s,"
             " \"k\": %.10g, \"se_k\": %.10g, \"theta\": %.10g, \"se_theta\": %.10g,"
             " \"loglik\": %.10g, \"aic\": %.10g, \"loglik_poisson\": %.10g,"
             " \"lr_test_k\": %.10g, \"iterations\": %d, \"cure_file\": \"%s\","
             " \"cure_outside_band\": %zu, \"cure_max_abs\": %.6g }",
             f->n, f->skipped, o->count, o->years ? "\"ln(" : "null", o->years ? o->years : "",
             o->years ? ")\"" : "", fit->k, fit->se_k, fit->theta, fit->se_theta, fit->loglik, fit->aic,
             fit->loglik_poisson, 2 * (fit->loglik - fit->loglik_poisson), fit->iterations, f->cure_path, f->outside,
             f->max_dev);
    return rb_spf_write(o->out, &spf, fit_json, &f->err);
}

int rb_fit_run(struct rb_fit *f, const struct rb_fit_opt *o)
{
    struct rb_err *err = &f->err;
    if (rb_io_read_table(o->sites, o->layer, &f->t, &f->log, err))
        return err->code;
    long ccount = need_col(f, o->count, "--count", o->sites);
    long cyears = o->years ? need_col(f, o->years, "--years", o->sites) : -1;
    if (ccount < 0 || (o->years && cyears < 0) || model_terms(f, o))
        return err->code;
    size_t m = f->t.nrows ? f->t.nrows : 1;
    double *X = rb_mallocarray(rb_size_mul(m, f->nterms), sizeof *X), *y = rb_mallocarray(m, sizeof *y);
    double *off = rb_mallocarray(m, sizeof *off);
    f->rows = rb_mallocarray(m, sizeof *f->rows);
    char *cure = NULL;
    int rc = !X || !y || !off || !f->rows ? rb_err_nomem(err) : RB_OK;
    if (!rc)
        rc = model_rows(f, o, ccount, cyears, X, y, off);
    if (!rc && (rc = rb_nb2_fit(X, y, cyears >= 0 ? off : NULL, f->n, f->nterms, &f->fit, err)) == RB_EINVAL) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rb_err_set(err, RB_EINVAL, "fit-spf: %s: %s", o->sites, msg);
    }
    if (!rc && !(cure = rb_run_cure_text(f->rows, y, f->fit.mu, f->n, &f->outside, &f->max_dev, err)))
        rc = err->code;
    if (!rc)
        rc = rb_io_write_text(f->cure_path, cure, err);
    if (!rc)
        rc = write_spf(f, o);
    rb_free(cure);
    rb_free(X);
    rb_free(y);
    rb_free(off);
    return rc;
}
