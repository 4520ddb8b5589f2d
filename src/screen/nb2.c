/* screen/nb2: NB2 regression by maximum likelihood, and CURE plots. */
#include "screen/nb2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Digamma and trigamma: recurrence up to x >= 10, then the asymptotic series
 * (Abramowitz and Stegun 6.3.18 and 6.4.12); error below 1e-13 there. */
static double digamma_approx(double x)
{
    double r = 0;
    while (x < 10) {
        r -= 1 / x;
        x += 1;
    }
    double x2 = 1 / (x * x);
    return r + log(x) - 0.5 / x -
           x2 * (1.0 / 12 - x2 * (1.0 / 120 - x2 * (1.0 / 252 - x2 * (1.0 / 240 - x2 * (1.0 / 132)))));
}

static double trigamma_approx(double x)
{
    double r = 0;
    while (x < 10) {
        r += 1 / (x * x);
        x += 1;
    }
    double x2 = 1 / (x * x);
    return r + 1 / x + x2 / 2 +
           x2 / x * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 * (1.0 / 30 - x2 * 5.0 / 66))));
}

double rb_nb2_loglik(const double *y, const double *mu, size_t n, double k)
{
    double ll = 0;
    if (k <= 0) {
        for (size_t i = 0; i < n; i++)
            ll += y[i] * log(mu[i]) - mu[i] - lgamma(y[i] + 1);
        return ll;
    }
    double th = 1 / k;
    for (size_t i = 0; i < n; i++)
        ll += lgamma(th + y[i]) - lgamma(th) - lgamma(y[i] + 1) + th * log(th / (th + mu[i])) +
              (y[i] > 0 ? y[i] * log(mu[i] / (th + mu[i])) : 0);
    return ll;
}

/* With the Cholesky factor L in the lower triangle of A, solves L L' x = b in place. */
static void chol_subst(const double *A, size_t p, double *b)
{
    for (size_t i = 0; i < p; i++) {
        double t = b[i];
        for (size_t k = 0; k < i; k++)
            t -= A[i * p + k] * b[k];
        b[i] = t / A[i * p + i];
    }
    for (size_t i = p; i-- > 0;) {
        double t = b[i];
        for (size_t k = i + 1; k < p; k++)
            t -= A[k * p + i] * b[k];
        b[i] = t / A[i * p + i];
    }
}

/* Solves the p x p symmetric positive definite system A x = b by Cholesky, and
 * optionally returns the inverse of A in inv. Returns 0 when A is not positive definite. */
static int chol_solve(double *A, double *b, size_t p, double *inv)
{
    for (size_t j = 0; j < p; j++) {
        double s = A[j * p + j];
        for (size_t k = 0; k < j; k++)
            s -= A[j * p + k] * A[j * p + k];
        if (!(s > 1e-300))
            return 0;
        A[j * p + j] = sqrt(s);
        for (size_t i = j + 1; i < p; i++) {
            double t = A[i * p + j];
            for (size_t k = 0; k < j; k++)
                t -= A[i * p + k] * A[j * p + k];
            A[i * p + j] = t / A[j * p + j];
        }
    }
    chol_subst(A, p, b);
    if (inv) {
        for (size_t c = 0; c < p; c++) {
            double *col = inv + c * p;   /* column c of the inverse, stored as row c (symmetric) */
            for (size_t i = 0; i < p; i++)
                col[i] = i == c;
            chol_subst(A, p, col);
        }
    }
    return 1;
}

/* One IRLS fit of beta at fixed theta (theta = INFINITY: Poisson), from beta's
 * current value; updates mu. inv receives (X' W X)^-1. Returns 0 when singular. */
static int irls(const double *X, const double *y, const double *off, size_t n, size_t p,
                double theta, double *beta, double *mu, double *A, double *b, double *inv)
{
    for (int it = 0; it < 100; it++) {
        memset(A, 0, p * p * sizeof *A);
        memset(b, 0, p * sizeof *b);
        for (size_t i = 0; i < n; i++) {
            const double *x = X + i * p;
            double eta = log(mu[i]);
            /* log link: d mu / d eta = mu; Var = mu + mu^2 / theta */
            double w = isinf(theta) ? mu[i] : mu[i] / (1 + mu[i] / theta);
            double z = eta - (off ? off[i] : 0) + (y[i] - mu[i]) / mu[i];
            for (size_t r = 0; r < p; r++) {
                b[r] += w * x[r] * z;
                for (size_t c = 0; c <= r; c++)
                    A[r * p + c] += w * x[r] * x[c];
            }
        }
        for (size_t r = 0; r < p; r++)
            for (size_t c = r + 1; c < p; c++)
                A[r * p + c] = A[c * p + r];
        double *nb = b;
        if (!chol_solve(A, nb, p, inv))
            return 0;
        double change = 0;
        for (size_t r = 0; r < p; r++) {
            change = fmax(change, fabs(nb[r] - beta[r]) / (fabs(beta[r]) + 0.1));
            beta[r] = nb[r];
        }
        for (size_t i = 0; i < n; i++) {
            double eta = (off ? off[i] : 0);
            for (size_t r = 0; r < p; r++)
                eta += X[i * p + r] * beta[r];
            mu[i] = exp(eta);
        }
        if (change < 1e-12)
            break;
    }
    return 1;
}

/* theta by Newton's method at fixed mu (MASS::theta.ml), starting from th. */
static double theta_ml(const double *y, const double *mu, size_t n, double th, double *info)
{
    for (int it = 0; it < 100; it++) {
        double score = 0, inf = 0;
        for (size_t i = 0; i < n; i++) {
            score += digamma_approx(th + y[i]) - digamma_approx(th) + log(th) + 1 - log(th + mu[i]) -
                     (y[i] + th) / (mu[i] + th);
            inf += -trigamma_approx(th + y[i]) + trigamma_approx(th) - 1 / th + 2 / (mu[i] + th) -
                   (y[i] + th) / ((mu[i] + th) * (mu[i] + th));
        }
        double step = score / inf;
        double nth = th + step;
        if (nth <= 0)
            nth = th / 2;
        int done = fabs(nth - th) < 1e-12 * (1 + th);
        th = nth;
        *info = inf;
        if (done)
            break;
    }
    return th;
}

int rb_nb2_fit(const double *X, const double *y, const double *off, size_t n, size_t p,
               struct rb_nb2_fit *fit, struct rb_err *err)
{
    memset(fit, 0, sizeof *fit);
    if (n <= p + 1)
        return rb_err_set(err, RB_EINVAL, "%zu sites are too few to fit %zu coefficients and k", n, p);
    double ysum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(y[i] >= 0) || y[i] != floor(y[i]))
            return rb_err_set(err, RB_EINVAL, "site %zu: the count %g is not a whole number >= 0", i + 1, y[i]);
        ysum += y[i];
    }
    if (ysum == 0)
        return rb_err_set(err, RB_EINVAL, "no site has a crash: nothing to fit");
    fit->p = p;
    fit->beta = rb_calloc(p, sizeof *fit->beta);
    fit->se = rb_calloc(p, sizeof *fit->se);
    fit->mu = rb_mallocarray(n, sizeof *fit->mu);
    double *A = rb_mallocarray(rb_size_mul(p, p), sizeof *A), *b = rb_mallocarray(p, sizeof *b),
           *inv = rb_mallocarray(rb_size_mul(p, p), sizeof *inv);
    if (!fit->beta || !fit->se || !fit->mu || !A || !b || !inv) {
        rb_free(A); rb_free(b); rb_free(inv);
        rb_nb2_free(fit);
        return rb_err_nomem(err);
    }
    int rc = RB_OK;
    /* start: mu = y + 1/6 (R's glm start for Poisson), then the Poisson fit */
    for (size_t i = 0; i < n; i++)
        fit->mu[i] = y[i] + 1.0 / 6;
    /* a first beta from least squares on log(mu) is implicit in IRLS from mu */
    if (!irls(X, y, off, n, p, INFINITY, fit->beta, fit->mu, A, b, inv)) {
        rc = rb_err_set(err, RB_EINVAL, "the covariates are collinear (X'WX is singular)");
        goto done;
    }
    fit->loglik_poisson = rb_nb2_loglik(y, fit->mu, n, 0);
    /* theta's start: the method of moments, as MASS::theta.mm */
    double mm = 0;
    for (size_t i = 0; i < n; i++)
        mm += (y[i] - fit->mu[i]) * (y[i] - fit->mu[i]) / fit->mu[i] - 1;
    /* E[(y - mu)^2 / mu - 1] = mu / theta: theta ~ sum(mu) / sum((y - mu)^2 / mu - 1) */
    double musum = 0;
    for (size_t i = 0; i < n; i++)
        musum += fit->mu[i];
    double th = mm > 0 ? musum / mm : 1e4;
    double info = 0, ll = -INFINITY;
    th = theta_ml(y, fit->mu, n, th > 0 && isfinite(th) ? th : 1, &info);
    for (int it = 1; it <= 100; it++) {
        if (!irls(X, y, off, n, p, th, fit->beta, fit->mu, A, b, inv)) {
            rc = rb_err_set(err, RB_EINVAL, "the covariates are collinear (X'WX is singular)");
            goto done;
        }
        th = theta_ml(y, fit->mu, n, th, &info);
        double nll = rb_nb2_loglik(y, fit->mu, n, 1 / th);
        fit->iterations = it;
        if (fabs(nll - ll) < 1e-10 * (1 + fabs(nll))) {
            fit->converged = 1;
            ll = nll;
            break;
        }
        ll = nll;
    }
    if (!isfinite(th) || th > 1e8) {
        rc = rb_err_set(err, RB_EINVAL, "the counts show no overdispersion (k = 0): a Poisson model fits");
        goto done;
    }
    /* the final IRLS pass leaves (X' W X)^-1 at the MLE in inv; theta's
     * information is taken at the same point */
    irls(X, y, off, n, p, th, fit->beta, fit->mu, A, b, inv);
    info = 0;
    for (size_t i = 0; i < n; i++)
        info += -trigamma_approx(th + y[i]) + trigamma_approx(th) - 1 / th + 2 / (fit->mu[i] + th) -
                (y[i] + th) / ((fit->mu[i] + th) * (fit->mu[i] + th));
    for (size_t r = 0; r < p; r++)
        fit->se[r] = sqrt(inv[r * p + r]);
    fit->theta = th;
    fit->k = 1 / th;
    fit->se_theta = info > 0 ? 1 / sqrt(info) : NAN;
    fit->se_k = fit->se_theta / (th * th);
    fit->loglik = rb_nb2_loglik(y, fit->mu, n, fit->k);
    fit->aic = -2 * fit->loglik + 2 * (double)(p + 1);
done:
    rb_free(A);
    rb_free(b);
    rb_free(inv);
    if (rc)
        rb_nb2_free(fit);
    return rc;
}

void rb_nb2_free(struct rb_nb2_fit *fit)
{
    if (!fit)
        return;
    rb_free(fit->beta);
    rb_free(fit->se);
    rb_free(fit->mu);
    memset(fit, 0, sizeof *fit);
}

struct cure_item {
    double key;
    size_t idx;
};

static int cure_cmp(const void *a, const void *b)
{
    const struct cure_item *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

int rb_cure(const double *key, const double *y, const double *mu, size_t n, size_t *order,
            double *cum, double *band, struct rb_err *err)
{
    struct cure_item *it = rb_mallocarray(n ? n : 1, sizeof *it);
    if (!it)
        return rb_err_nomem(err);
    for (size_t i = 0; i < n; i++)
        it[i] = (struct cure_item){ key[i], i };
    qsort(it, n, sizeof *it, cure_cmp);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += (y[i] - mu[i]) * (y[i] - mu[i]);
    /* s2 (1 - s2 / total) = s2 x rest / total, with rest the squares still to
     * come, summed from the end so that the band closes at exactly zero */
    double rest = 0;
    for (size_t i = n; i-- > 0;) {
        size_t j = it[i].idx;
        band[i] = rest;       /* squares after position i */
        rest += (y[j] - mu[j]) * (y[j] - mu[j]);
    }
    double c = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = it[i].idx;
        double r = y[j] - mu[j];
        order[i] = j;
        c += r;
        s2 += r * r;
        cum[i] = c;
        double v = total > 0 ? s2 * band[i] / total : 0;
        band[i] = 2 * sqrt(v);
    }
    rb_free(it);
    return RB_OK;
}
