/* run/calibrate: `rumble calibrate` — an SPF's calibration factor C to the
 * agency's own sites (HSM Part C, Appendix A): the sum of the crashes
 * observed over the sum the uncalibrated SPF predicts, with the HSM's
 * sample guidance checked, or a calibration function of AADT fitted, and the
 * calibrated SPF judged by its likelihood and CURE plot beside another SPF
 * (a local one from fit-spf). */
#include "run/internal.h"
#include "screen/nb2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rb_cal_free(struct rb_cal *c)
{
    rb_table_free(&c->t);
    rb_free(c->cure_path);
    rb_log_free(&c->log);
    memset(c, 0, sizeof *c);
}

int rb_cal_check(struct rb_cal *c, const struct rb_cal_opt *o)
{
    struct rb_err *err = &c->err;
    if (!o->sites || !o->spf || !o->count || !o->aadt || !o->length || !o->out)
        return rb_err_set(err, RB_EUSAGE, "calibrate: needs --sites, --spf, --count, --aadt, --length and "
                          "-o SPF.json; see 'rumble calibrate --help'");
    if (strcmp(o->unit, "m") && strcmp(o->unit, "km") && strcmp(o->unit, "mi"))
        return rb_err_set(err, RB_EUSAGE, "calibrate: --length-unit wants m, km or mi, not '%s'", o->unit);
    c->cure_path = o->cure ? rb_strdup(o->cure) : rb_run_swap_ext(o->out, "_cure.csv");
    if (!c->cure_path)
        return rb_err_nomem(err);
    if (rb_io_check_writable(o->out, err) || rb_io_check_writable(c->cure_path, err))
        return err->code;
    const char *in[] = { o->sites, o->compare };
    const char *out[] = { o->out, c->cure_path };
    return rb_paths_check(in, o->compare ? 2 : 1, out, 2, err);
}

int rb_run_segment_spf(const char *cmd, const char *name, const char *data_dir, struct rb_spf *spf,
                       struct rb_err *err)
{
    char path[4096];
    rb_run_spf_path(data_dir, name, path, sizeof path);
    struct rb_spf_set set;
    if (rb_spf_set_read(path, &set, err))
        return err->code;
    int is_set = set.is_set;
    *spf = set.spf[0];
    rb_free(set.spf);
    if (is_set)
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' is a set of SPFs: %s each member on its own kind of site (e.g. --spf"
                          " hsm_rural_2lane)", cmd, name, cmd);
    if (strcmp(spf->site_type, "segment"))
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' is not a segment SPF", cmd, name);
    return RB_OK;
}

static long need_col(struct rb_cal *c, const char *name, const char *what, const char *path)
{
    return rb_run_need_col(&c->t, name, what, "calibrate", path, &c->err);
}

double rb_run_row_attr(const char *name, void *ud)
{
    const struct rb_run_row *a = ud;
    long k = rb_table_find(a->t, name);
    return k < 0 ? NAN : rb_table_number(a->t, (size_t)k, a->row);
}

/* Each row's prediction over its years by spf (its calibration as it is)
 * and the SPF's k there (k / L for the per-length forms, the components'
 * for an SPF of several). */
static double predict(const struct rb_spf *spf, const struct rb_table *t, size_t row, double aadt, double length_m,
                      double years, double *k)
{
    struct rb_run_row a = { t, row };
    struct rb_spf_site site = { aadt, length_m, rb_run_row_attr, &a, NULL };
    struct rb_spf_pred p;
    rb_spf_eval(spf, &site, &p);
    *k = rb_spf_k_of(spf, p.comp, length_m);
    return years * p.n;
}

/* The NB2 log-likelihood of the rows with each row's own k, its AIC with
 * nparam parameters, and its CURE plot. */
static int judge(struct rb_cal *c, struct rb_cal_model *m, const size_t *rows, const double *y, const double *mu,
                 const double *k, char **cure)
{
    m->loglik = 0;
    for (size_t i = 0; i < c->n; i++)
        m->loglik += rb_nb2_loglik(&y[i], &mu[i], 1, k[i]);
    m->aic = -2 * m->loglik + 2 * m->nparam;
    char *text = rb_run_cure_text(rows, y, mu, c->n, &m->outside, &m->max_dev, &c->err);
    if (!text)
        return c->err.code;
    if (cure)
        *cure = text;
    else
        rb_free(text);
    return RB_OK;
}

/* Distinct values of a column over the rows used. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static size_t distinct(const struct rb_table *t, long col, const size_t *rows, size_t n, struct rb_err *err)
{
    char **v = rb_calloc(n ? n : 1, sizeof *v);
    size_t d = 0;
    if (!v) {
        rb_err_nomem(err);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char b[128];
        const char *s = rb_table_text(t, (size_t)col, rows[i], b, sizeof b);
        if (!(v[i] = rb_strdup(s ? s : ""))) {
            rb_err_nomem(err);
            goto done;
        }
    }
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        d += i == 0 || strcmp(v[i], v[i - 1]);
done:
    for (size_t i = 0; i < n; i++)
        rb_free(v[i]);
    rb_free(v);
    return d;
}

static int write_spf(struct rb_cal *c, const struct rb_cal_opt *o)
{
    struct rb_spf spf = c->have_fn ? c->fn.spf : c->cal.spf;
    char name[sizeof spf.name];
    snprintf(name, sizeof name, "%s", spf.name);
    if (c->have_fn)
        snprintf(spf.name, sizeof spf.name, "%.100s, calibrated (C(AADT) = exp(%.4f + %.4f ln AADT))", name, c->fn_a,
                 c->fn_b);
    else
        snprintf(spf.name, sizeof spf.name, "%.100s, calibrated (C = %.4f)", name, c->c);
    char func[1024] = "null";
    if (c->have_fn)
        snprintf(func, sizeof func,
                 "{ \"form\": \"C(AADT) = exp(a + b ln AADT), fitted by NB2 maximum likelihood with the uncalibrated"
                 " prediction as an offset\", \"a\": %.10g, \"b\": %.10g, \"se_a\": %.6g, \"se_b\": %.6g,"
                 " \"k_fit\": %.10g, \"parameters\": 2, \"loglik\": %.10g, \"aic\": %.10g, \"cure_outside_band\": %zu,"
                 " \"cure_max_abs\": %.6g }",
                 c->fn_a, c->fn_b, c->fn_se_a, c->fn_se_b, c->fn_k, c->fn.loglik, c->fn.aic, c->fn.outside, c->fn.max_dev);
    char cmp[1024] = "null";
    if (c->have_cmp)
        snprintf(cmp, sizeof cmp,
                 "{ \"spf\": \"%s\", \"parameters\": %d, \"loglik\": %.10g, \"aic\": %.10g,"
                 " \"cure_outside_band\": %zu, \"cure_max_abs\": %.6g }",
                 c->cmp.spf.id, c->cmp.nparam, c->cmp.loglik, c->cmp.aic, c->cmp.outside, c->cmp.max_dev);
    char fit[6144];
    snprintf(fit, sizeof fit,
             "{ \"method\": \"HSM (2010) Part C, Appendix A: C = sum of crashes observed / sum predicted\","
             " \"sites_file\": \"%s\", \"rows\": %zu, \"rows_left_out\": %zu, \"sites\": %zu, \"years\": %zu,"
             " \"observed\": %.10g, \"predicted_uncalibrated\": %.10g, \"c\": %.10g, \"crashes_per_yr\": %.10g,"
             " \"sample_guidance_met\": %s, \"guidance\": \"HSM Part C Appendix A: 30 to 50 sites or more, with at"
             " least 100 crashes a year in all\", \"loglik\": %.10g, \"aic\": %.10g, \"cure_file\": \"%s\","
             " \"cure_outside_band\": %zu, \"cure_max_abs\": %.6g, \"compared\": %s, \"function\": %s }",
             o->sites, c->n, c->skipped, c->nsites, c->nyears, c->observed, c->predicted, c->c, c->crashes_per_yr,
             c->sample_ok ? "true" : "false", c->cal.loglik, c->cal.aic, c->cure_path, c->cal.outside,
             c->cal.max_dev, cmp, func);
    return rb_spf_write(o->out, &spf, fit, &c->err);
}

/* A calibration function C(AADT) = exp(a + b ln AADT): NB2 maximum
 * likelihood of the counts y with the uncalibrated predictions mu0 as an
 * offset (a power form in AADT, our choice among the calibration functions
 * FHWA's SPF decision guide discusses), then the SPF with it judged on the
 * rows with the SPF's own k, as C is; its CURE table is the one written. */
static int fit_function(struct rb_cal *c, const double *y, const double *mu0, const double *lna, const double *k,
                        const size_t *rows, char **cure)
{
    size_t n = c->n;
    double *X = rb_mallocarray(rb_size_mul(n ? n : 1, 2), sizeof *X), *off = rb_mallocarray(n ? n : 1, sizeof *off);
    double *mu = rb_mallocarray(n ? n : 1, sizeof *mu);
    struct rb_nb2_fit fit = { 0 };
    int rc = !X || !off || !mu ? rb_err_nomem(&c->err) : RB_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = lna[i];
        off[i] = log(mu0[i]);
    }
    if (!rc && (rc = rb_nb2_fit(X, y, off, n, 2, &fit, &c->err))) {
        /* no function (no overdispersion, one AADT for all): C stands, and the run says why */
        char why[sizeof c->err.msg];
        snprintf(why, sizeof why, "%s", c->err.msg);
        rb_warn(&c->log, RB_W_VALUE, "calibrate --function: no calibration function could be fitted (%s); the file "
                "carries C alone", why);
        rc = rc == RB_ENOMEM ? rc : RB_OK;
        memset(&c->err, 0, sizeof c->err);
        rb_nb2_free(&fit);
        rb_free(X);
        rb_free(off);
        rb_free(mu);
        return rc;
    }
    if (!fit.converged)
        rb_warn(&c->log, RB_W_VALUE, "calibrate --function: the NB2 fit did not converge in %d iterations; a and b "
                "are the last", fit.iterations);
    if (!rc) {
        c->fn_a = fit.beta[0];
        c->fn_b = fit.beta[1];
        c->fn_se_a = fit.se[0];
        c->fn_se_b = fit.se[1];
        c->fn_k = fit.k;
        c->fn.spf = c->cal.spf;
        c->fn.spf.calibration = 1;
        c->fn.spf.ncal = 2;
        snprintf(c->fn.spf.cal_var[0], sizeof c->fn.spf.cal_var[0], "const");
        snprintf(c->fn.spf.cal_var[1], sizeof c->fn.spf.cal_var[1], "ln_aadt");
        c->fn.spf.cal_coef[0] = c->fn_a;
        c->fn.spf.cal_coef[1] = c->fn_b;
        c->fn.nparam = 2;
        for (size_t i = 0; i < n; i++)
            mu[i] = mu0[i] * exp(c->fn_a + c->fn_b * lna[i]);
        rc = judge(c, &c->fn, rows, y, mu, k, cure);
        c->have_fn = !rc;
    }
    rb_nb2_free(&fit);
    rb_free(X);
    rb_free(off);
    rb_free(mu);
    return rc;
}

int rb_cal_run(struct rb_cal *c, const struct rb_cal_opt *o)
{
    struct rb_err *err = &c->err;
    if (rb_run_segment_spf("calibrate", o->spf, o->data_dir, &c->cal.spf, err) ||
        (o->compare && rb_run_segment_spf("calibrate", o->compare, o->data_dir, &c->cmp.spf, err)))
        return err->code;
    c->have_cmp = o->compare != NULL;
    c->cal.spf.calibration = 1;     /* the book's SPF as it is: a calibration it had is replaced */
    c->cal.spf.ncal = 0;
    if (rb_io_read_table(o->sites, o->layer, &c->t, &c->log, err))
        return err->code;
    long ccount = need_col(c, o->count, "--count", o->sites);
    long caadt = ccount < 0 ? -1 : need_col(c, o->aadt, "--aadt", o->sites);
    long clen = caadt < 0 ? -1 : need_col(c, o->length, "--length", o->sites);
    long cyrs = clen < 0 || !o->years ? -1 : need_col(c, o->years, "--years", o->sites);
    long csite = clen < 0 || !o->site ? -1 : need_col(c, o->site, "--site", o->sites);
    long cyear = clen < 0 || !o->year ? -1 : need_col(c, o->year, "--year", o->sites);
    if (ccount < 0 || caadt < 0 || clen < 0 || (o->years && cyrs < 0) || (o->site && csite < 0) ||
        (o->year && cyear < 0))
        return err->code;
    double unit = !strcmp(o->unit, "mi") ? 1609.344 : !strcmp(o->unit, "km") ? 1000 : 1;
    size_t m = c->t.nrows ? c->t.nrows : 1;
    double *y = rb_mallocarray(m, sizeof *y), *mu = rb_mallocarray(m, sizeof *mu);
    double *mu2 = rb_mallocarray(m, sizeof *mu2), *k1 = rb_mallocarray(m, sizeof *k1);
    double *k2 = rb_mallocarray(m, sizeof *k2);
    double *lna = rb_mallocarray(m, sizeof *lna);
    size_t *rows = rb_mallocarray(m, sizeof *rows);
    char *cure = NULL;
    int rc = !y || !mu || !mu2 || !k1 || !k2 || !lna || !rows ? rb_err_nomem(err) : RB_OK;
    double years_sum = 0;
    for (size_t r = 0; r < c->t.nrows && !rc; r++) {
        double cnt = rb_table_number(&c->t, (size_t)ccount, r), aadt = rb_table_number(&c->t, (size_t)caadt, r);
        double l = rb_table_number(&c->t, (size_t)clen, r) * unit;
        double yrs = cyrs >= 0 ? rb_table_number(&c->t, (size_t)cyrs, r) : 1;
        double ka, kb = NAN;
        double p = predict(&c->cal.spf, &c->t, r, aadt, l, yrs, &ka);
        double q = c->have_cmp ? predict(&c->cmp.spf, &c->t, r, aadt, l, yrs, &kb) : 1;
        if (!(cnt >= 0 && cnt == floor(cnt) && p > 0 && q > 0 && yrs > 0)) {
            c->skipped++;
            rb_warn(&c->log, RB_W_VALUE, "%s: row %zu has a missing or invalid count, AADT, length or years, or no "
                    "prediction there; left out", o->sites, r + 2);
            continue;
        }
        y[c->n] = cnt;
        mu[c->n] = p;
        mu2[c->n] = q;
        k1[c->n] = ka;
        k2[c->n] = kb;
        lna[c->n] = log(aadt);
        rows[c->n++] = r;
        c->observed += cnt;
        c->predicted += p;
        years_sum += yrs;
    }
    if (!rc && !(c->n && c->predicted > 0 && c->observed > 0))
        rc = rb_err_set(err, RB_EINVAL, "calibrate: %s: no rows with a count and a prediction (%zu left out), or no "
                        "crash in them: C cannot be computed", o->sites, c->skipped);
    if (!rc) {
        c->c = c->observed / c->predicted;
        c->nsites = csite >= 0 ? distinct(&c->t, csite, rows, c->n, err) : c->n;
        c->nyears = cyear >= 0 ? distinct(&c->t, cyear, rows, c->n, err) : 0;
        /* the study's years: the calendar years named, else the years a site's counts cover */
        double study_yr = c->nyears ? (double)c->nyears : years_sum / (double)c->nsites;
        c->crashes_per_yr = c->observed / study_yr;
        c->sample_ok = c->nsites >= 30 && c->crashes_per_yr >= 100;
        if (!c->sample_ok)
            rb_warn(&c->log, RB_W_VALUE, "calibrate: %zu sites with %.1f crashes a year: the HSM (Part C, Appendix A)"
                    " wants 30 to 50 sites or more and at least 100 crashes a year for a calibration factor; C = %.4f "
                    "is uncertain", c->nsites, c->crashes_per_yr, c->c);
        if (o->function)
            rc = fit_function(c, y, mu, lna, k1, rows, &cure);
        for (size_t i = 0; i < c->n; i++)
            mu[i] *= c->c;
        c->cal.spf.calibration = c->c;
        c->cal.nparam = 1;           /* C; the SPF's coefficients and k are the book's */
        c->cmp.nparam = c->cmp.spf.ncomp ? 0 : (int)c->cmp.spf.nterms + 1;   /* every coefficient and k */
        for (size_t j = 0; j < c->cmp.spf.ncomp; j++)  /* one of components: each one's terms and k */
            c->cmp.nparam += (int)c->cmp.spf.comp[j].nterms + (c->cmp.spf.comp[j].k == c->cmp.spf.comp[j].k);
        if (!rc)
            rc = judge(c, &c->cal, rows, y, mu, k1, c->have_fn ? NULL : &cure);
        if (!rc && c->have_cmp)
            rc = judge(c, &c->cmp, rows, y, mu2, k2, NULL);
    }
    if (!rc)
        rc = rb_io_write_text(c->cure_path, cure, err);
    if (!rc)
        rc = write_spf(c, o);
    rb_free(cure);
    rb_free(y);
    rb_free(mu);
    rb_free(mu2);
    rb_free(k1);
    rb_free(k2);
    rb_free(lna);
    rb_free(rows);
    return rc;
}
