/* screen/measures: the HSM performance measures that need a reference
 * population (method of moments, the beta model of a crash type's proportion,
 * relative severity index) or a site's SPF prediction (level of service of
 * safety), and the peak-searching precision test. Plain arrays in, numbers out.
 *
 * Source of every formula: AASHTO Highway Safety Manual, 1st ed. (2010), Part B,
 * Chapter 4 (Network Screening) and its Appendix 4A. */
#ifndef RB_MEASURES_H
#define RB_MEASURES_H

#include <stddef.h>
#include <stdint.h>

/* Regularised incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1
 * (the beta distribution's CDF); NaN outside that domain. */
double rb_betainc(double a, double b, double x);

/* Method of moments over a reference population of n observed average
 * frequencies: the mean, and the sample variance sum (N_i - mean)^2 / (n - 1). */
struct rb_mom {
    double mean, var;
};
struct rb_mom rb_mom_population(const double *obs, size_t n);
/* The adjusted observed frequency N_i + (mean / var) (mean - N_i); the
 * measure is this minus the mean. NaN when the variance is not positive. */
double rb_mom_adjusted(const struct rb_mom *m, double obs);

/* Level of service of safety, 1 to 4, from the observed and predicted average
 * frequencies and the SPF's overdispersion k: sigma = sqrt(k N_pred^2);
 * I below N_pred - 1.5 sigma, II below N_pred, III below N_pred + 1.5 sigma,
 * IV above. 0 when the prediction is missing. */
int rb_loss(double obs, double pred, double k);

/* The beta model of a target crash type's proportion across the sites of a
 * reference population (n_type[i] of n_total[i] crashes at site i): the
 * threshold proportion p = sum n_type / sum n_total, the variance of the
 * proportions s2 = [sum (nt^2 - nt)/(N^2 - N) - (sum nt/N)^2 / m] / (m - 1)
 * over the m sites with N >= 2, and the beta parameters
 * alpha = p^2/s2 - p^3/s2 - p, beta = alpha/p - alpha. ok is 0 when they cannot
 * be estimated (too few sites, no variance, a proportion of 0 or 1). */
struct rb_beta_pop {
    double p, s2, alpha, beta;
    size_t nsites;
    int ok;
};
struct rb_beta_pop rb_beta_population(const uint32_t *n_type, const uint32_t *n_total, size_t n);
/* Probability that the site's long-term proportion exceeds limit:
 * 1 - I_limit(alpha + nt, beta + N - nt). NaN when the population is not ok or
 * the site has no crashes. */
double rb_beta_exceed(const struct rb_beta_pop *bp, uint32_t nt, uint32_t ntotal, double limit);

/* Peak searching's precision test over the values of one iteration's windows:
 * CV_i = sqrt(var) / value_i with var the sample variance over the windows. Of
 * the windows whose CV is at most limit, returns the index of the largest value
 * (the first on ties), or -1 when none qualifies or there are fewer than two
 * windows. cv may be NULL; otherwise it receives each window's CV. */
long rb_peak_pick(const double *value, size_t n, double limit, double *cv);

#endif
