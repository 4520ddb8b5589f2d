/* screen/ebba: did a treatment work? The Empirical Bayes before-after
 * evaluation (HSM Part B, Chapter 9, Appendix 9A.1; Hauer, Observational
 * Before-After Studies in Road Safety, 1997, Chapter 6): each treated site's
 * crashes expected after without the treatment, from its SPF prediction and
 * its own crash record before, against the crashes observed after. */
#ifndef RB_EBBA_H
#define RB_EBBA_H

#include <stddef.h>
#include "core/core.h"

/* One treated site. The caller gives its SPF predictions summed over the
 * before and the after years (each year at that year's AADT, so a change of
 * traffic is the SPF's to account for), the SPF's overdispersion k at the
 * site, and the crashes observed in each period (construction excluded). */
struct rb_ebba_site {
    double pred_before, pred_after;
    double k;
    double obs_before, obs_after;
    /* computed */
    double w;               /* EB weight 1 / (1 + k pred_before) */
    double exp_before;      /* w pred_before + (1 - w) obs_before */
    double r;               /* pred_after / pred_before */
    double exp_after;       /* r exp_before: expected after without the treatment */
    double var_after;       /* r^2 exp_before (1 - w): its variance */
};

/* The sites pooled. */
struct rb_ebba {
    size_t n;
    double obs_before, obs_after, pred_before, pred_after, exp_before, exp_after, var_after;   /* sums */
    double or_naive;        /* OR' = obs_after / exp_after */
    double theta;           /* OR = OR' / (1 + var_after / exp_after^2), the index of
                               effectiveness with the bias corrected */
    double var_theta;       /* Hauer's: theta^2 (1/obs_after + var_after/exp_after^2) /
                               (1 + var_after/exp_after^2)^2, the observed count Poisson */
    double se_theta;
    double ci_low, ci_high; /* 95 %: theta -+ 1.96 se_theta */
    double effect_pct;      /* 100 (1 - theta): the crashes the treatment saved, % */
    double se_effect_pct;   /* 100 se_theta */
    double z;               /* effect_pct / se_effect_pct: |z| >= 1.96 significant at 95 % */
};

/* Fills each site's computed fields and the pooled estimate. RB_EINVAL with
 * err saying why when a site's figures cannot be used (a prediction not
 * positive, k negative, counts negative) or when nothing was observed or
 * expected after (theta cannot be estimated). */
int rb_ebba(struct rb_ebba_site *s, size_t n, struct rb_ebba *out, struct rb_err *err);

/* The index of effectiveness from out's sums of crashes observed after
 * (obs_after), expected after without the treatment (exp_after) and that
 * expectation's variance (var_after), whatever method estimated them (EB,
 * naive, comparison group): fills or_naive to z, as rb_ebba does. */
int rb_or_estimate(struct rb_ebba *out, struct rb_err *err);

#endif
