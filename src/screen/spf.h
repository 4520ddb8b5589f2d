/* screen/spf: predicted crash frequency from a safety performance function, and
 * the Empirical Bayes estimate that combines it with the crashes observed. */
#ifndef RB_SPF_H
#define RB_SPF_H

#include "core/core.h"
#include "io/io.h"

/* A site as an SPF sees it. attr(name, ud) gives any other variable an SPF
 * names (NaN when the site has none). */
struct rb_spf_site {
    double aadt;
    double length_m;
    double (*attr)(const char *name, void *ud);
    void *ud;
};

/* Predicted crashes per year (calibration included); NaN when a variable is
 * missing or AADT/length is not positive where the SPF takes its log. */
double rb_spf_predict(const struct rb_spf *spf, const struct rb_spf_site *site);
/* The SPF's overdispersion for the site (k / L for per-length forms). */
double rb_spf_k(const struct rb_spf *spf, double length_m);
/* Metres in one length unit of the SPF ("mi": 1609.344, "km": 1000, "m": 1). */
double rb_spf_unit_m(const struct rb_spf *spf);

struct rb_eb {
    double w;                  /* weight of the prediction, 1 / (1 + k sum N_pred) */
    double expected_per_yr;    /* mean over the period of the yearly EB estimates */
    double expected_last_yr;   /* the estimate for the last year */
    double predicted_per_yr;   /* mean of N_pred over the period */
    double excess_per_yr;      /* expected_per_yr - predicted_per_yr */
    double var_per_yr;         /* (1 - w) x expected_per_yr (HSM) */
};

/* EB over n years with yearly predictions pred[y] and the total observed
 * count, by the HSM's multi-year form (Part B, Appendix 4A): C_y = N_pred,y /
 * N_pred,1; N_exp,1 = w N_pred,1 + (1 - w) N_obs / sum C_y; N_exp,y = N_exp,1 C_y. */
struct rb_eb rb_eb_estimate(const double *pred, int n, double n_obs, double k);

#endif
