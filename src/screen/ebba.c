/* screen/ebba: the Empirical Bayes before-after evaluation (see ebba.h). */
#include "screen/ebba.h"

#include <math.h>
#include <string.h>

int rb_ebba(struct rb_ebba_site *s, size_t n, struct rb_ebba *out, struct rb_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        struct rb_ebba_site *t = &s[i];
        if (!(t->pred_before > 0) || !(t->pred_after > 0) || !(t->k >= 0) || !(t->obs_before >= 0) ||
            !(t->obs_after >= 0) || isinf(t->pred_before) || isinf(t->pred_after) || isinf(t->k) ||
            isinf(t->obs_before) || isinf(t->obs_after) || floor(t->obs_before) != t->obs_before ||
            floor(t->obs_after) != t->obs_after)
            return rb_err_set(err, RB_EINVAL,
                              "treated site %zu: predicted %g before and %g after, k %g, observed %g and %g: the"
                              " SPF must predict crashes in both periods and the counts be whole and not negative",
                              i + 1, t->pred_before, t->pred_after, t->k, t->obs_before, t->obs_after);
        t->w = 1 / (1 + t->k * t->pred_before);
        t->exp_before = t->w * t->pred_before + (1 - t->w) * t->obs_before;
        t->r = t->pred_after / t->pred_before;
        t->exp_after = t->r * t->exp_before;
        t->var_after = t->r * t->r * t->exp_before * (1 - t->w);
        out->obs_before += t->obs_before;
        out->obs_after += t->obs_after;
        out->pred_before += t->pred_before;
        out->pred_after += t->pred_after;
        out->exp_before += t->exp_before;
        out->exp_after += t->exp_after;
        out->var_after += t->var_after;
    }
    return rb_or_estimate(out, err);
}

int rb_or_estimate(struct rb_ebba *out, struct rb_err *err)
{
    if (!(out->exp_after > 0))
        return rb_err_set(err, RB_EINVAL, "no crash was expected after the treatment (%zu sites): nothing to"
                          " measure its effect against", out->n);
    if (!(out->obs_after > 0))
        return rb_err_set(err, RB_EINVAL, "no crash was observed after the treatment (%zu sites, %.1f"
                          " expected without it): the index of effectiveness and its error cannot be estimated"
                          " from zero; wait for more years after", out->n, out->exp_after);
    double v = out->var_after / (out->exp_after * out->exp_after);
    out->or_naive = out->obs_after / out->exp_after;
    out->theta = out->or_naive / (1 + v);
    out->var_theta = out->theta * out->theta * (1 / out->obs_after + v) / ((1 + v) * (1 + v));
    out->se_theta = sqrt(out->var_theta);
    out->ci_low = out->theta - 1.959963984540054 * out->se_theta;
    out->ci_high = out->theta + 1.959963984540054 * out->se_theta;
    out->effect_pct = 100 * (1 - out->theta);
    out->se_effect_pct = 100 * out->se_theta;
    out->z = out->effect_pct / out->se_effect_pct;
    return RB_OK;
}
