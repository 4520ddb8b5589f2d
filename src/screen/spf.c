/* screen/spf: SPF prediction and Empirical Bayes. */
#include "screen/spf.h"

#include <math.h>
#include <string.h>

double rb_spf_unit_m(const struct rb_spf *spf)
{
    if (!strcmp(spf->length_unit, "mi"))
        return 1609.344;
    if (!strcmp(spf->length_unit, "m"))
        return 1;
    return 1000;
}

double rb_spf_predict(const struct rb_spf *spf, const struct rb_spf_site *site)
{
    double len = site->length_m / rb_spf_unit_m(spf);
    double eta = 0;
    for (size_t j = 0; j < spf->nterms; j++) {
        const char *v = spf->var[j];
        double x;
        if (!strcmp(v, "const")) x = 1;
        else if (!strcmp(v, "ln_aadt")) x = site->aadt > 0 ? log(site->aadt) : NAN;
        else if (!strcmp(v, "ln_length")) x = len > 0 ? log(len) : NAN;
        else if (!strcmp(v, "aadt")) x = site->aadt;
        else if (!strcmp(v, "length")) x = len;
        else x = site->attr ? site->attr(v, site->ud) : NAN;
        eta += spf->coef[j] * x;
    }
    return spf->calibration * spf->scale * exp(eta);
}

double rb_spf_k(const struct rb_spf *spf, double length_m)
{
    if (!spf->k_per_length)
        return spf->k_value;
    double len = length_m / rb_spf_unit_m(spf);
    return len > 0 ? spf->k_value / len : NAN;
}

struct rb_eb rb_eb_estimate(const double *pred, int n, double n_obs, double k)
{
    struct rb_eb e = { NAN, NAN, NAN, NAN, NAN, NAN };
    if (n <= 0 || !(pred[0] > 0) || !(k >= 0))
        return e;
    double sum_pred = 0, sum_c = 0;
    for (int y = 0; y < n; y++) {
        sum_pred += pred[y];
        sum_c += pred[y] / pred[0];
    }
    /* EB weight over the whole study period (HSM Part B, Appendix 4A):
     * a long record of many crashes trusts its own count; a short, quiet one the SPF */
    e.w = 1 / (1 + k * sum_pred);
    double first = e.w * pred[0] + (1 - e.w) * n_obs / sum_c;
    e.expected_last_yr = first * pred[n - 1] / pred[0];
    e.expected_per_yr = first * sum_c / n;
    e.predicted_per_yr = sum_pred / n;
    e.excess_per_yr = e.expected_per_yr - e.predicted_per_yr;
    e.var_per_yr = (1 - e.w) * e.expected_per_yr;
    return e;
}
