/* plan/diag: is a crash pattern over-represented at a site? The site's count
 * against a binomial with the reference population's share (the exact upper
 * tail), as in the HSM's diagnosis step (Part B, Chapter 5) comparing a site's
 * crash types with those of similar sites. */
#include "plan/diag.h"

#include <math.h>

double rb_binom_upper(unsigned x, unsigned n, double p)
{
    if (x == 0)
        return 1;
    if (x > n || p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    /* sum the smaller tail in log space */
    double lp = log(p), lq = log1p(-p), lnf = lgamma((double)n + 1);
    double lower = 0, upper = 0;
    int upper_smaller = x > n * p;
    for (unsigned k = upper_smaller ? x : 0; k <= (upper_smaller ? n : x - 1); k++) {
        double t = exp(lnf - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) + k * lp + (n - k) * lq);
        if (upper_smaller)
            upper += t;
        else
            lower += t;
    }
    double r = upper_smaller ? upper : 1 - lower;
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

void rb_pattern_count(const struct rb_pattern *pat, const struct rb_plan_crash *c, size_t n, unsigned *x,
                      unsigned *of)
{
    *x = *of = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].sev <= RB_SEV_O) {
            (*of)++;
            *x += (unsigned)rb_pattern_has(pat, &c[i]);
        }
}

void rb_diagnose_vs(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site, unsigned x_ref,
                    unsigned n_ref, struct rb_diag *out)
{
    rb_pattern_count(pat, site, n_site, &out->x_site, &out->n_site);
    out->x_ref = x_ref;
    out->n_ref = n_ref;
    out->share = out->n_site ? (double)out->x_site / out->n_site : 0;
    out->ref_share = out->n_ref ? (double)out->x_ref / out->n_ref : 0;
    out->p_value = rb_binom_upper(out->x_site, out->n_site, out->ref_share);
}

void rb_diagnose(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site,
                 const struct rb_plan_crash *ref, size_t n_ref, struct rb_diag *out)
{
    unsigned x, n;
    rb_pattern_count(pat, ref, n_ref, &x, &n);
    rb_diagnose_vs(pat, site, n_site, x, n, out);
}
