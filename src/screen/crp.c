/* screen/crp: the continuous risk profile along each route. */
#include "screen/sites.h"

#include <math.h>
#include <string.h>

void rb_crp_free(struct rb_crp *p)
{
    if (!p)
        return;
    rb_sites_free(&p->bins);
    rb_free(p->profile_per_km_yr); rb_free(p->baseline_per_km_yr);
    rb_free(p->run_route); rb_free(p->run_n_obs); rb_free(p->run_from_m); rb_free(p->run_to_m);
    rb_free(p->run_excess_per_yr);
    memset(p, 0, sizeof *p);
}

/* Each bin's baseline crashes per year: the SPF's prediction, or the
 * population's rate (crashes per million vehicle-km over the bins with
 * exposure) times the bin's exposure, or where no bin has an AADT the
 * population's crashes per km per year times its length. */
static void baseline(const struct rb_sites *b, double years, double *base)
{
    double obs = 0, mvkm = 0, all_obs = 0, km = 0;
    for (size_t i = 0; i < b->n; i++) {
        all_obs += b->n_obs[i];
        km += b->length_m[i] / 1000;
        if (b->mvkm[i] > 0) {
            obs += b->n_obs[i];
            mvkm += b->mvkm[i];
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->pred_per_yr[i] == b->pred_per_yr[i])
            base[i] = b->pred_per_yr[i];
        else if (mvkm > 0)
            base[i] = b->mvkm[i] > 0 ? obs / mvkm * b->mvkm[i] / years : NAN;
        else
            base[i] = km > 0 ? all_obs / years / km * b->length_m[i] / 1000 : NAN;
    }
}

int rb_crp(const struct rb_routes *r, const struct rb_net *net, const struct rb_route_crash *c, size_t n,
           const struct rb_screen_opt *opt, const struct rb_crp_opt *copt, struct rb_crp *out, struct rb_err *err)
{
    memset(out, 0, sizeof *out);
    const struct rb_period *p = opt->period;
    double years = p->from_year ? p->to_year - p->from_year + 1 : NAN;
    int rc;
    if ((rc = rb_sites_bins(r, net, copt->bin_m, &out->bins, err)))
        return rc;
    struct rb_sites *b = &out->bins;
    if (((opt->seg_spf || opt->nattr) && (rc = rb_sites_spf_types(b, r, opt->seg_spf, RB_BY_BIN, err))) ||
        (opt->seg_aadt_yr && (rc = rb_sites_aadt_years(b, r, opt->seg_aadt_yr, opt->ny, RB_BY_BIN, err))) ||
        (rc = rb_sites_count(b, c, n, opt, RB_BY_BIN, err)) || (rc = rb_sites_measures(b, opt, NULL, err))) {
        rb_crp_free(out);
        return rc;
    }
    size_t m = b->n ? b->n : 1;
    double *base = rb_mallocarray(m, sizeof *base);
    out->profile_per_km_yr = rb_mallocarray(m, sizeof(double));
    out->baseline_per_km_yr = rb_mallocarray(m, sizeof(double));
    out->run_route = rb_mallocarray(m, sizeof *out->run_route);
    out->run_n_obs = rb_mallocarray(m, sizeof *out->run_n_obs);
    out->run_from_m = rb_mallocarray(m, sizeof(double));
    out->run_to_m = rb_mallocarray(m, sizeof(double));
    out->run_excess_per_yr = rb_mallocarray(m, sizeof(double));
    if (!base || !out->profile_per_km_yr || !out->baseline_per_km_yr || !out->run_route || !out->run_n_obs ||
        !out->run_from_m || !out->run_to_m || !out->run_excess_per_yr) {
        rb_free(base);
        rb_crp_free(out);
        return rb_err_nomem(err);
    }
    baseline(b, years, base);
    size_t h = (size_t)floor(copt->window_m / copt->bin_m / 2 + 1e-9);
    /* bins are laid out route by route: [f, e) is one route's */
    for (size_t f = 0, e; f < b->n; f = e) {
        for (e = f + 1; e < b->n && b->route[e] == b->route[f]; e++)
            ;
        for (size_t i = f; i < e; i++) {
            size_t j0 = i - f > h ? i - h : f, j1 = e - 1 - i > h ? i + h : e - 1;
            double obs = 0, km = 0, bsum = 0, bkm = 0;
            for (size_t j = j0; j <= j1; j++) {
                double jkm = b->length_m[j] / 1000;
                obs += b->n_obs[j];
                km += jkm;
                if (base[j] == base[j]) {
                    bsum += base[j];
                    bkm += jkm;
                }
            }
            out->profile_per_km_yr[i] = km > 0 ? obs / years / km : NAN;
            out->baseline_per_km_yr[i] = bkm > 0 ? bsum / bkm : NAN;
        }
        /* runs above the baseline */
        for (size_t i = f; i < e;) {
            if (!(out->profile_per_km_yr[i] > out->baseline_per_km_yr[i])) {
                i++;
                continue;
            }
            size_t k = out->nruns;
            double excess = 0;
            uint32_t nobs = 0;
            out->run_route[k] = b->route[i];
            out->run_from_m[k] = b->from_m[i];
            for (; i < e && out->profile_per_km_yr[i] > out->baseline_per_km_yr[i]; i++) {
                excess += (out->profile_per_km_yr[i] - out->baseline_per_km_yr[i]) * b->length_m[i] / 1000;
                nobs += b->n_obs[i];
                out->run_to_m[k] = b->to_m[i];
            }
            out->run_excess_per_yr[k] = excess;
            out->run_n_obs[k] = nobs;
            if (nobs >= copt->min_crashes)
                out->nruns++;
        }
    }
    rb_free(base);
    return RB_OK;
}
