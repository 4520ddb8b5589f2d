/* screen/stats: per-segment crash statistics. */
#include "screen/screen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int year_of(int32_t days)
{
    int y, m, d;
    rb_ymd_from_days(days, &y, &m, &d);
    return y;
}

struct rb_period rb_study_period(int cfg_from, int cfg_to, const struct rb_crash_fact *f, size_t n)
{
    struct rb_period p = { 0, 0, 0 };
    int lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].date_days == RB_NODATE)
            continue;
        int y = year_of(f[i].date_days);
        if (!lo || y < lo) lo = y;
        if (!hi || y > hi) hi = y;
    }
    p.from_year = cfg_from ? cfg_from : lo;
    p.to_year = cfg_to ? cfg_to : hi;
    p.from_data = !cfg_from || !cfg_to;
    if (!p.from_year || !p.to_year || p.to_year < p.from_year)
        p.from_year = p.to_year = 0;
    return p;
}

int rb_in_period(const struct rb_period *p, int32_t date_days)
{
    if (!p->from_year)
        return 1;
    if (date_days == RB_NODATE)
        return 0;
    int y = year_of(date_days);
    return y >= p->from_year && y <= p->to_year;
}

void rb_epdo_weights(const double cost[5], double weight[5])
{
    for (int k = 0; k < 5; k++)
        weight[k] = cost[k] / cost[4];
}

int rb_segstats_compute(const struct rb_net *net, const struct rb_crash_fact *f, size_t n,
                        const struct rb_period *period, const double weight[5],
                        struct rb_segstats *st, struct rb_err *err)
{
    memset(st, 0, sizeof *st);
    size_t ns = net->nsegs;
    st->nsegs = ns;
    st->nyears = period->from_year ? period->to_year - period->from_year + 1 : 0;
    st->first_year = period->from_year;
    size_t one = ns ? ns : 1;
    st->n_obs = rb_calloc(one, sizeof *st->n_obs);
    st->n_sev = rb_calloc(rb_size_mul(one, RB_NSEV), sizeof *st->n_sev);
    st->n_year = rb_calloc(rb_size_mul(one, (size_t)(st->nyears ? st->nyears : 1)), sizeof *st->n_year);
    st->freq_per_yr = rb_mallocarray(one, sizeof(double));
    st->per_km_yr = rb_mallocarray(one, sizeof(double));
    st->rate_per_mvkm = rb_mallocarray(one, sizeof(double));
    st->epdo = rb_calloc(one, sizeof(double));
    st->epdo_per_yr = rb_mallocarray(one, sizeof(double));
    if (!st->n_obs || !st->n_sev || !st->n_year || !st->freq_per_yr || !st->per_km_yr ||
        !st->rate_per_mvkm || !st->epdo || !st->epdo_per_yr) {
        rb_segstats_free(st);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (f[i].seg < 0) {
            st->unmatched++;
            continue;
        }
        if (!rb_in_period(period, f[i].date_days)) {
            st->outside_period++;
            continue;
        }
        size_t s = (size_t)f[i].seg;
        st->counted++;
        st->n_obs[s]++;
        int sev = f[i].severity < RB_NSEV ? f[i].severity : RB_SEV_UNKNOWN;
        st->n_sev[s * RB_NSEV + (size_t)sev]++;
        if (sev < 5)
            st->epdo[s] += weight[sev];
        if (st->nyears)
            st->n_year[s * (size_t)st->nyears + (size_t)(year_of(f[i].date_days) - st->first_year)]++;
    }
    for (size_t s = 0; s < ns; s++) {
        double years = st->nyears ? st->nyears : NAN;
        double km = net->segs[s].length_m / 1000.0;
        double aadt = net->segs[s].aadt;
        st->freq_per_yr[s] = st->n_obs[s] / years;
        st->per_km_yr[s] = km > 0 ? st->freq_per_yr[s] / km : NAN;
        /* exposure in million vehicle-km over the period (HSM crash rate, 365 days a year) */
        double mvkm = aadt * 365.0 * years * km / 1e6;
        st->rate_per_mvkm[s] = aadt > 0 && km > 0 ? st->n_obs[s] / mvkm : NAN;
        st->epdo_per_yr[s] = st->epdo[s] / years;
    }
    return RB_OK;
}

void rb_segstats_free(struct rb_segstats *st)
{
    if (!st)
        return;
    rb_free(st->n_obs);
    rb_free(st->n_sev);
    rb_free(st->n_year);
    rb_free(st->freq_per_yr);
    rb_free(st->per_km_yr);
    rb_free(st->rate_per_mvkm);
    rb_free(st->epdo);
    rb_free(st->epdo_per_yr);
    memset(st, 0, sizeof *st);
}

/* ---- ranking ------------------------------------------------------------------ */

struct rank_item {
    double key, tie;
    size_t idx;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct rank_item *p = a, *q = b;
    int pn = p->key != p->key, qn = q->key != q->key;
    if (pn != qn)
        return pn - qn;
    if (!pn && p->key != q->key)
        return p->key > q->key ? -1 : 1;
    int tn = p->tie != p->tie, un = q->tie != q->tie;
    if (tn != un)
        return tn - un;
    if (!tn && p->tie != q->tie)
        return p->tie > q->tie ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

int rb_rank_desc(const double *key, const double *tiebreak, size_t n, uint32_t *rank,
                 struct rb_err *err)
{
    struct rank_item *it = rb_mallocarray(n ? n : 1, sizeof *it);
    if (!it)
        return rb_err_nomem(err);
    for (size_t i = 0; i < n; i++)
        it[i] = (struct rank_item){ key[i], tiebreak ? tiebreak[i] : 0, i };
    qsort(it, n, sizeof *it, rank_cmp);
    for (size_t r = 0; r < n; r++)
        rank[it[r].idx] = (uint32_t)(r + 1);
    rb_free(it);
    return RB_OK;
}
