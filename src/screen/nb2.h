/* screen/nb2: negative binomial (NB2) regression by maximum likelihood — the
 * model of safety performance functions: y ~ NB(mu, k), Var = mu + k mu^2,
 * ln mu = X beta (+ offset). */
#ifndef RB_NB2_H
#define RB_NB2_H

#include <stddef.h>
#include "core/core.h"

struct rb_nb2_fit {
    size_t p;              /* coefficients (columns of X) */
    double *beta;          /* p */
    double *se;            /* p: standard errors, from the expected information at the MLE */
    double k;              /* overdispersion (alpha = 1 / theta) */
    double theta, se_theta;
    double se_k;           /* delta method: se_theta / theta^2 */
    double loglik, aic;    /* AIC = -2 loglik + 2 (p + 1) */
    double loglik_poisson; /* the Poisson fit's, for the likelihood-ratio test of k > 0 */
    int iterations, converged;
    double *mu;            /* n fitted values */
};

/* Fits y (n counts) on X (n x p, row-major; put a column of ones for the
 * intercept) with an optional offset (NULL for none). Alternates IRLS for beta
 * at fixed theta with Newton steps for theta at fixed beta until the
 * log-likelihood settles, as MASS::glm.nb does, so results agree with it.
 * Returns RB_OK, RB_ENOMEM, or RB_EINVAL with err saying why (singular X, no
 * overdispersion, negative or non-integer counts). */
int rb_nb2_fit(const double *X, const double *y, const double *offset, size_t n, size_t p,
               struct rb_nb2_fit *fit, struct rb_err *err);
void rb_nb2_free(struct rb_nb2_fit *fit);

/* NB2 log-likelihood of counts y at means mu with overdispersion k (k = 0: Poisson). */
double rb_nb2_loglik(const double *y, const double *mu, size_t n, double k);

/* CURE plot (cumulative residuals, Hauer and Bamfo 1997): sites ordered by key,
 * cum[i] = sum of (y - mu) over the first i + 1 sites, and the two-sigma band
 * +-2 sqrt(s2[i] (1 - s2[i] / s2[n-1])) with s2 the running sum of squared
 * residuals. order receives the site indices in key order. */
int rb_cure(const double *key, const double *y, const double *mu, size_t n, size_t *order,
            double *cum, double *band, struct rb_err *err);

#endif
