/* screen/sites: sites along routes and at points, their measures, peak searching. */
#include "screen/sites.h"
#include "screen/measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sites_alloc(struct rb_sites *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    size_t m = n ? n : 1;
    s->route = rb_calloc(m, sizeof *s->route);
    s->from_m = rb_calloc(m, sizeof(double));
    s->to_m = rb_calloc(m, sizeof(double));
    s->length_m = rb_calloc(m, sizeof(double));
    s->aadt = rb_calloc(m, sizeof(double));
    s->n_obs = rb_calloc(m, sizeof *s->n_obs);
    s->n_sev = rb_calloc(rb_size_mul(m, RB_NSEV), sizeof *s->n_sev);
    double **d[] = { &s->mvkm, &s->freq_per_yr, &s->rate_per_mvkm, &s->crit_rate_per_mvkm, &s->rate_ratio,
                     &s->epdo, &s->epdo_per_yr, &s->pred_per_yr, &s->k, &s->eb_weight, &s->eb_per_yr,
                     &s->excess_per_yr, &s->rsi_sum, &s->rsi, &s->rsi_excess, &s->mom_excess_per_yr,
                     &s->excess_spf_per_yr, &s->loss, &s->p_target, &s->p_exceed, &s->excess_prop,
                     &s->eb_epdo_per_yr, &s->pred_fi_share, &s->cmf };
    int ok = s->route && s->from_m && s->to_m && s->length_m && s->aadt && s->n_obs && s->n_sev;
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        ok &= (*d[i] = rb_calloc(m, sizeof(double))) != NULL;
    s->rank = rb_calloc(m, sizeof *s->rank);
    s->n_target = rb_calloc(m, sizeof *s->n_target);
    s->spf_defaults = rb_calloc(m, 1);
    s->cmf_base = rb_calloc(m, sizeof *s->cmf_base);
    if (!ok || !s->rank || !s->n_target || !s->spf_defaults || !s->cmf_base) {
        rb_sites_free(s);
        return RB_ENOMEM;
    }
    return RB_OK;
}

void rb_sites_free(struct rb_sites *s)
{
    if (!s)
        return;
    void *p[] = { s->route, s->from_m, s->to_m, s->length_m, s->aadt, s->n_obs, s->n_sev, s->mvkm,
                  s->freq_per_yr, s->rate_per_mvkm, s->crit_rate_per_mvkm, s->rate_ratio, s->epdo,
                  s->epdo_per_yr, s->pred_per_yr, s->k, s->eb_weight, s->eb_per_yr, s->excess_per_yr,
                  s->rank, s->rsi_sum, s->n_target, s->rsi, s->rsi_excess, s->mom_excess_per_yr,
                  s->excess_spf_per_yr, s->loss, s->p_target, s->p_exceed, s->excess_prop, s->eb_epdo_per_yr,
                  s->aadt_yr, s->pop, s->spf_ix, s->unit, s->pred_fi_share, s->spf_defaults, s->cmf,
                  s->cmf_base };
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        rb_free(p[i]);
    memset(s, 0, sizeof *s);
}

int rb_sites_segments(const struct rb_routes *r, const struct rb_net *net, struct rb_sites *s,
                      struct rb_err *err)
{
    if (sites_alloc(s, net->nsegs))
        return rb_err_nomem(err);
    for (size_t i = 0; i < net->nsegs; i++) {
        s->route[i] = r->route_of[i];
        s->from_m[i] = r->from_m[i];
        s->to_m[i] = r->to_m[i];
        s->length_m[i] = net->segs[i].length_m;
        s->aadt[i] = net->segs[i].aadt;
    }
    return RB_OK;
}

void rb_sections_free(struct rb_sections *sec)
{
    if (!sec)
        return;
    rb_sites_free(&sec->s);
    rb_free(sec->sec_of); rb_free(sec->first_seg); rb_free(sec->last_seg); rb_free(sec->n_segs);
    memset(sec, 0, sizeof *sec);
}

/* Whether segment b continues segment a's section: same key, and the two meet
 * at a node (a chain can carry on past a gap, with chainage to match). */
static int continues(const struct rb_net *net, const char *const *key, uint32_t a, uint32_t b)
{
    if (a == UINT32_MAX || strcmp(key[a] ? key[a] : "", key[b] ? key[b] : ""))
        return 0;
    const struct rb_seg *p = &net->segs[a], *q = &net->segs[b];
    return p->node_to != RB_NONODE && (p->node_to == q->node_from || p->node_to == q->node_to ||
                                       p->node_from == q->node_from || p->node_from == q->node_to);
}

int rb_sections_build(const struct rb_routes *r, const struct rb_net *net, const char *const *key,
                      const double *seg_aadt_yr, size_t ny, struct rb_sections *sec, struct rb_err *err)
{
    memset(sec, 0, sizeof *sec);
    size_t ns = net->nsegs, m = ns ? ns : 1;
    /* count first: a new section wherever the chain, the key or contiguity breaks */
    size_t n = 0;
    for (size_t k = 0; k < r->nroutes; k++)
        for (size_t j = r->seg0[k]; j < r->seg0[k + 1]; j++) {
            uint32_t a = j > r->seg0[k] ? r->order[j - 1] : UINT32_MAX, b = r->order[j];
            n += !continues(net, key, a, b);
        }
    if (sites_alloc(&sec->s, n))
        return rb_err_nomem(err);
    sec->sec_of = rb_mallocarray(m, sizeof *sec->sec_of);
    sec->first_seg = rb_mallocarray(n ? n : 1, sizeof *sec->first_seg);
    sec->last_seg = rb_mallocarray(n ? n : 1, sizeof *sec->last_seg);
    sec->n_segs = rb_calloc(n ? n : 1, sizeof *sec->n_segs);
    double *alen = rb_calloc(n ? n : 1, sizeof *alen);
    if (!sec->sec_of || !sec->first_seg || !sec->last_seg || !sec->n_segs || !alen) {
        rb_free(alen);
        rb_sections_free(sec);
        return rb_err_nomem(err);
    }
    struct rb_sites *s = &sec->s;
    size_t q = 0;
    for (size_t k = 0; k < r->nroutes; k++)
        for (size_t j = r->seg0[k]; j < r->seg0[k + 1]; j++) {
            uint32_t a = j > r->seg0[k] ? r->order[j - 1] : UINT32_MAX, b = r->order[j];
            if (!continues(net, key, a, b)) {
                q++;
                s->route[q - 1] = (uint32_t)k;
                s->from_m[q - 1] = r->from_m[b];
                s->to_m[q - 1] = r->to_m[b];
                sec->first_seg[q - 1] = b;
            }
            size_t i = q - 1;
            sec->sec_of[b] = (uint32_t)i;
            sec->last_seg[i] = b;
            sec->n_segs[i]++;
            s->from_m[i] = fmin(s->from_m[i], r->from_m[b]);
            s->to_m[i] = fmax(s->to_m[i], r->to_m[b]);
            s->length_m[i] += net->segs[b].length_m;
            if (net->segs[b].aadt == net->segs[b].aadt) {
                s->aadt[i] += net->segs[b].aadt * net->segs[b].length_m;
                alen[i] += net->segs[b].length_m;
            }
        }
    for (size_t i = 0; i < n; i++)
        s->aadt[i] = alen[i] > 0 ? s->aadt[i] / alen[i] : NAN;
    rb_free(alen);
    if (seg_aadt_yr) {
        double *ylen = rb_calloc(rb_size_mul(n ? n : 1, ny), sizeof *ylen);
        s->ny = ny;
        if (!ylen || !(s->aadt_yr = rb_calloc(rb_size_mul(n ? n : 1, ny), sizeof(double)))) {
            rb_free(ylen);
            rb_sections_free(sec);
            return rb_err_nomem(err);
        }
        for (size_t b = 0; b < ns; b++)
            for (size_t y = 0; y < ny; y++) {
                double v = seg_aadt_yr[b * ny + y], len = net->segs[b].length_m;
                if (v == v) {
                    s->aadt_yr[sec->sec_of[b] * ny + y] += v * len;
                    ylen[sec->sec_of[b] * ny + y] += len;
                }
            }
        for (size_t k = 0; k < n * ny; k++)
            s->aadt_yr[k] = ylen[k] > 0 ? s->aadt_yr[k] / ylen[k] : NAN;
        rb_free(ylen);
    }
    return RB_OK;
}

int rb_sites_points(size_t n, const double *entering, struct rb_sites *s, struct rb_err *err)
{
    if (sites_alloc(s, n))
        return rb_err_nomem(err);
    for (size_t i = 0; i < n; i++) {
        s->length_m[i] = 1000;
        s->aadt[i] = entering[i];
    }
    return RB_OK;
}

/* Window starts along a stretch of length L: from 0 by step S while a whole
 * window W fits, and a last one shifted back to end at L (the HSM's rule); a
 * stretch no longer than W is one window. Returns the count; fills start if
 * not NULL. */
static size_t window_starts(double L, double W, double S, double *start)
{
    if (!(L > 0))
        return 0;
    if (L <= W) {
        if (start)
            start[0] = 0;
        return 1;
    }
    size_t m = (size_t)floor((L - W) / S + 1e-9) + 1;
    if (start)
        for (size_t q = 0; q < m; q++)
            start[q] = (double)q * S;
    if ((double)(m - 1) * S + W < L - 1e-6) {
        if (start)
            start[m] = L - W;
        m++;
    }
    return m;
}

/* Segments of one route sorted by from_m, for the overlap sweeps. */
/* The overlap-weighted mean over [a, b] of val(seg) of route's segments (NaN
 * values left out; NaN when nothing with a value overlaps). */
static double span_mean(const struct rb_routes *r, const struct rb_routes_ix *ix, size_t route, double a, double b,
                        double (*val)(const void *, size_t), const void *ud)
{
    double sum = 0, len = 0;
    for (size_t j = rb_routes_ix_first(r, ix, route, a), end = r->seg0[route + 1]; j < end; j++) {
        size_t sg = r->order[ix->by_from[j]];
        if (r->from_m[sg] >= b)
            break;
        double ov = fmin(b, r->to_m[sg]) - fmax(a, r->from_m[sg]);
        double v = ov > 0 ? val(ud, sg) : NAN;
        if (v == v) {
            sum += v * ov;
            len += ov;
        }
    }
    return len > 0 ? sum / len : NAN;
}

static double seg_aadt(const void *ud, size_t seg)
{
    return ((const struct rb_net *)ud)->segs[seg].aadt;
}

/* Sites along every route, laid out by starts(L, W, S, start) with length W
 * (cut at the route's end), their AADT length-weighted over the segments each
 * one covers. */
static int route_sites(const struct rb_routes *r, const struct rb_net *net, double W, double S,
                       size_t (*starts)(double, double, double, double *), struct rb_sites *w,
                       struct rb_err *err)
{
    /* count first */
    size_t n = 0;
    for (size_t k = 0; k < r->nroutes; k++)
        n += starts(r->length_m[k], W, S, NULL);
    if (sites_alloc(w, n))
        return rb_err_nomem(err);
    struct rb_routes_ix ix;
    if (rb_routes_ix_build(r, &ix)) {
        rb_sites_free(w);
        return rb_err_nomem(err);
    }
    size_t i = 0;
    for (size_t k = 0; k < r->nroutes; k++) {
        double L = r->length_m[k];
        if (!(L > 0))
            continue;
        size_t first = i;
        size_t nw = starts(L, W, S, w->from_m + i);
        for (size_t q = 0; q < nw; q++, i++)
            w->to_m[i] = fmin(w->from_m[i] + W, L);
        for (size_t q = first; q < i; q++) {
            w->route[q] = (uint32_t)k;
            w->length_m[q] = w->to_m[q] - w->from_m[q];
            w->aadt[q] = span_mean(r, &ix, k, w->from_m[q], w->to_m[q], seg_aadt, net);
        }
    }
    rb_routes_ix_free(&ix);
    return RB_OK;
}

struct year_val {
    const double *aadt_yr;
    size_t ny, y;
};

static double seg_year(const void *ud, size_t seg)
{
    const struct year_val *v = ud;
    return v->aadt_yr[seg * v->ny + v->y];
}

/* The segment of route covering most of [a, b] (the lower index on a tie), SIZE_MAX when none does. */
static size_t span_major(const struct rb_routes *r, const struct rb_routes_ix *ix, size_t route, double a, double b)
{
    size_t best = SIZE_MAX;
    double best_ov = 0;
    for (size_t j = rb_routes_ix_first(r, ix, route, a), end = r->seg0[route + 1]; j < end; j++) {
        size_t sg = r->order[ix->by_from[j]];
        if (r->from_m[sg] >= b)
            break;
        double ov = fmin(b, r->to_m[sg]) - fmax(a, r->from_m[sg]);
        if (ov > best_ov || (ov == best_ov && ov > 0 && sg < best)) {
            best_ov = ov;
            best = sg;
        }
    }
    return best;
}

/* Calls fn on each route's run of sites [f, e) (sites come route by route)
 * with the routes' index. RB_ENOMEM when memory runs out. */
typedef void (*route_fn)(struct rb_sites *s, size_t f, size_t e, const struct rb_routes *r,
                         const struct rb_routes_ix *ix, const void *ud);
static int by_route(struct rb_sites *s, const struct rb_routes *r, route_fn fn, const void *ud)
{
    struct rb_routes_ix ix;
    if (rb_routes_ix_build(r, &ix))
        return RB_ENOMEM;
    for (size_t f = 0, e; f < s->n; f = e) {
        for (e = f + 1; e < s->n && s->route[e] == s->route[f]; e++)
            ;
        fn(s, f, e, r, &ix, ud);
    }
    rb_routes_ix_free(&ix);
    return RB_OK;
}

/* Each year's AADT, length-weighted over the segments a site covers. */
static void years_of(struct rb_sites *s, size_t f, size_t e, const struct rb_routes *r,
                     const struct rb_routes_ix *ix, const void *ud)
{
    struct year_val v = *(const struct year_val *)ud;
    for (v.y = 0; v.y < v.ny; v.y++)
        for (size_t q = f; q < e; q++)
            s->aadt_yr[q * v.ny + v.y] = span_mean(r, ix, s->route[f], s->from_m[q], s->to_m[q], seg_year, &v);
}

/* A value of the segment covering most of a site: its population, its SPF
 * (and then, unit non-NULL, that segment). */
struct major_val {
    const uint32_t *seg_val;
    uint32_t *out, *unit;
};
static void major_of(struct rb_sites *s, size_t f, size_t e, const struct rb_routes *r,
                     const struct rb_routes_ix *ix, const void *ud)
{
    const struct major_val *v = ud;
    for (size_t q = f; q < e; q++) {
        size_t g = span_major(r, ix, s->route[f], s->from_m[q], s->to_m[q]);
        /* a site on no segment (a zero-length route) takes the first value */
        if (v->seg_val)
            v->out[q] = g == SIZE_MAX ? 0 : v->seg_val[g];
        if (v->unit)
            v->unit[q] = g == SIZE_MAX ? UINT32_MAX : (uint32_t)g;
    }
}

/* out[i] (n of them, allocated) from the segments' values: a segment's own,
 * or that of the segment covering most of the site, and then (unit non-NULL)
 * that segment in *unit. seg_val NULL: the unit alone. */
static int by_segment_value(struct rb_sites *s, const struct rb_routes *r, const uint32_t *seg_val, int by,
                            uint32_t **out, uint32_t **unit, struct rb_err *err)
{
    rb_free(*out);
    *out = NULL;
    if (seg_val && !(*out = rb_mallocarray(s->n ? s->n : 1, sizeof **out)))
        return rb_err_nomem(err);
    if (by == RB_BY_SEGMENT) {
        if (seg_val)
            memcpy(*out, seg_val, s->n * sizeof **out);
        return RB_OK;
    }
    if (unit) {
        rb_free(*unit);
        if (!(*unit = rb_mallocarray(s->n ? s->n : 1, sizeof **unit)))
            return rb_err_nomem(err);
    }
    struct major_val v = { seg_val, *out, unit ? *unit : NULL };
    return by_route(s, r, major_of, &v) ? rb_err_nomem(err) : RB_OK;
}

int rb_sites_spf_types(struct rb_sites *s, const struct rb_routes *r, const uint32_t *seg_spf, int by,
                       struct rb_err *err)
{
    return by_segment_value(s, r, seg_spf, by, &s->spf_ix, &s->unit, err);
}

int rb_sites_aadt_years(struct rb_sites *s, const struct rb_routes *r, const double *seg_aadt_yr, size_t ny,
                        int by, struct rb_err *err)
{
    rb_free(s->aadt_yr);
    s->ny = ny;
    if (!(s->aadt_yr = rb_mallocarray(rb_size_mul(s->n ? s->n : 1, ny ? ny : 1), sizeof(double))))
        return rb_err_nomem(err);
    if (by == RB_BY_SEGMENT) {
        memcpy(s->aadt_yr, seg_aadt_yr, s->n * ny * sizeof(double));
        return RB_OK;
    }
    struct year_val v = { seg_aadt_yr, ny, 0 };
    return by_route(s, r, years_of, &v) ? rb_err_nomem(err) : RB_OK;
}

int rb_sites_populations(struct rb_sites *s, const struct rb_routes *r, const uint32_t *seg_pop, size_t npop,
                         int by, struct rb_err *err)
{
    s->npop = npop;
    return by_segment_value(s, r, seg_pop, by, &s->pop, NULL, err);
}

int rb_sites_windows(const struct rb_routes *r, const struct rb_net *net, const struct rb_screen_opt *opt,
                     struct rb_sites *w, struct rb_err *err)
{
    if (!(opt->window_m > 0) || !(opt->step_m > 0))
        return rb_err_set(err, RB_EUSAGE, "window and step must be positive");
    return route_sites(r, net, opt->window_m, opt->step_m, window_starts, w, err);
}

/* Bin starts along a stretch of length L: 0, W, 2W, ... the last bin shorter
 * when W does not divide L. */
static size_t bin_starts(double L, double W, double S, double *start)
{
    (void)S;
    if (!(L > 0))
        return 0;
    size_t m = (size_t)ceil(L / W - 1e-9);
    if (!m)
        m = 1;
    if (start)
        for (size_t q = 0; q < m; q++)
            start[q] = (double)q * W;
    return m;
}

int rb_sites_bins(const struct rb_routes *r, const struct rb_net *net, double bin_m, struct rb_sites *b,
                  struct rb_err *err)
{
    if (!(bin_m > 0))
        return rb_err_set(err, RB_EUSAGE, "bin length must be positive");
    return route_sites(r, net, bin_m, bin_m, bin_starts, b, err);
}

struct crash_ref {
    int64_t route;
    double ch;
    size_t idx;
};

static int cref_cmp(const void *a, const void *b)
{
    const struct crash_ref *p = a, *q = b;
    if (p->route != q->route) return p->route < q->route ? -1 : 1;
    if (p->ch != q->ch) return p->ch < q->ch ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

static void add_crash(struct rb_sites *s, size_t site, const struct rb_route_crash *c,
                      const struct rb_screen_opt *opt)
{
    s->n_obs[site]++;
    int sev = c->severity < RB_NSEV ? c->severity : RB_SEV_UNKNOWN;
    s->n_sev[site * RB_NSEV + (size_t)sev]++;
    if (sev < 5)
        s->epdo[site] += opt->epdo_weight[sev];
    int type = c->crash_type < RB_NCT ? c->crash_type : RB_CT_UNKNOWN;
    if (opt->rsi_cost)
        s->rsi_sum[site] += opt->rsi_cost[type];
    s->n_target[site] += type == opt->target_type || (opt->target_type == RB_NCT && c->target);
}

void rb_rsi_costs(const struct rb_route_crash *c, size_t n, const struct rb_period *period,
                  const double cost[5], double out[RB_NCT])
{
    double sum[RB_NCT] = { 0 }, all = 0;
    size_t cnt[RB_NCT] = { 0 }, nall = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].route < 0 || c[i].severity > RB_SEV_O || !rb_in_period(period, c[i].date_days))
            continue;
        int type = c[i].crash_type < RB_NCT ? c[i].crash_type : RB_CT_UNKNOWN;
        sum[type] += cost[c[i].severity];
        cnt[type]++;
        all += cost[c[i].severity];
        nall++;
    }
    for (int t = 0; t < RB_NCT; t++)
        out[t] = cnt[t] ? sum[t] / cnt[t] : nall ? all / nall : NAN;
}

struct count_job {
    struct rb_sites *s;
    const struct rb_route_crash *c;
    const struct rb_screen_opt *opt;
    const struct crash_ref *cr;     /* the period's crashes in route and chainage order */
    size_t m;
    int by;
};

static void count_range(size_t from, size_t to, size_t part, void *ud)
{
    const struct count_job *j = ud;
    struct rb_sites *s = j->s;
    const struct crash_ref *cr = j->cr;
    size_t m = j->m;
    for (size_t q = from; q < to; q++) {
        int64_t route = s->route[q];
        double a = s->from_m[q], b = s->to_m[q];
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cr[mid].route < route || (cr[mid].route == route && cr[mid].ch < a)) lo = mid + 1; else hi = mid;
        }
        /* bins are half-open but for a route's last, so that each crash counts once */
        int closed = j->by != RB_BY_BIN || q + 1 == s->n || s->route[q + 1] != s->route[q];
        for (size_t k = lo; k < m && cr[k].route == route && (cr[k].ch < b || (closed && cr[k].ch == b)); k++)
            add_crash(s, q, &j->c[cr[k].idx], j->opt);
    }
}

int rb_route_crash_sort(const struct rb_route_crash *c, size_t n, struct rb_route_crash **out, struct rb_err *err)
{
    /* ties keep their input order through the index: qsort is not stable */
    struct crash_ref *cr = rb_mallocarray(n ? n : 1, sizeof *cr);
    struct rb_route_crash *o = rb_mallocarray(n ? n : 1, sizeof *o);
    if (!cr || !o) {
        rb_free(cr);
        rb_free(o);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        cr[i] = (struct crash_ref){ c[i].route, c[i].chainage_m, i };
    qsort(cr, n, sizeof *cr, cref_cmp);
    for (size_t i = 0; i < n; i++)
        o[i] = c[cr[i].idx];
    rb_free(cr);
    *out = o;
    return RB_OK;
}

int rb_sites_count(struct rb_sites *s, const struct rb_route_crash *c, size_t n, const struct rb_screen_opt *opt,
                   int by, struct rb_err *err)
{
    if (by == RB_BY_SEGMENT) {
        for (size_t i = 0; i < n; i++)
            if (c[i].seg >= 0 && (size_t)c[i].seg < s->n && rb_in_period(opt->period, c[i].date_days))
                add_crash(s, (size_t)c[i].seg, &c[i], opt);
        return RB_OK;
    }
    struct crash_ref *cr = rb_mallocarray(n ? n : 1, sizeof *cr);
    if (!cr)
        return rb_err_nomem(err);   /* never a silent count of zero */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].route >= 0 && rb_in_period(opt->period, c[i].date_days))
            cr[m++] = (struct crash_ref){ c[i].route, c[i].chainage_m, i };
    /* crashes handed over already in route and chainage order (rb_route_crash_sort)
     * need no sort: screening counts the same crashes into many site sets */
    size_t k = 1;
    while (k < m && cref_cmp(&cr[k - 1], &cr[k]) < 0)
        k++;
    if (k < m)
        qsort(cr, m, sizeof *cr, cref_cmp);
    /* each site counts into itself alone: the sites split across threads */
    struct count_job j = { s, c, opt, cr, m, by };
    rb_parallel_for(s->n, s->n >= 20000 ? RB_THREADS : 1, count_range, &j);
    rb_free(cr);
    return RB_OK;
}

/* The measures sites can be ranked by, with where each one lives. */
#define MEASURES(X) X(freq_per_yr) X(rate_per_mvkm) X(rate_ratio) X(epdo) X(epdo_per_yr) X(rsi) \
    X(mom_excess_per_yr) X(pred_per_yr) X(excess_spf_per_yr) X(loss) X(p_exceed) X(excess_prop) \
    X(eb_per_yr) X(eb_epdo_per_yr) X(excess_per_yr)
#define NAME(m) #m,
static const char *const measure_names[] = { MEASURES(NAME) };

int rb_sites_measure_known(const char *name)
{
    for (size_t i = 0; i < sizeof measure_names / sizeof *measure_names; i++)
        if (!strcmp(name, measure_names[i]))
            return 1;
    return 0;
}

const double *rb_sites_measure(const struct rb_sites *s, const char *name)
{
#define VAL(m) s->m,
    const double *vals[] = { MEASURES(VAL) };
#undef VAL
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        if (!strcmp(name, measure_names[i]))
            return vals[i];
    return NULL;
}

const char *const *rb_sites_measure_names(size_t *n)
{
    *n = sizeof measure_names / sizeof *measure_names;
    return measure_names;
}

/* The population measures: RSI, method of moments, the beta model of the
 * target type's proportion, and the EB-adjusted EPDO (which takes the fatal and
 * injury share of the EB estimate from the SPF when it has one, else from the
 * population's crashes, and weights it by the site's own fatal and injury mix,
 * else the population's). */
/* The population measures of one reference population, the sites idx[0..n):
 * the critical rate against the population's rate, RSI, the method of
 * moments, the beta model and EB-EPDO's fallback severity mix. fv, tv and ov
 * are scratch of n values. */
static void population_measures(struct rb_sites *s, const struct rb_screen_opt *opt, const size_t *idx, size_t n,
                                double *fv, uint32_t *tv, uint32_t *ov)
{
    double rsi_all = 0, fi_w = 0, obs_sum = 0, mvkm_sum = 0;
    size_t n_all = 0, fi_n = 0, known = 0;
    for (size_t q = 0; q < n; q++) {
        size_t i = idx[q];
        rsi_all += s->rsi_sum[i];
        n_all += s->n_obs[i];
        if (s->mvkm[i] > 0) {
            obs_sum += s->n_obs[i];
            mvkm_sum += s->mvkm[i];
        }
        for (int y = RB_SEV_K; y <= RB_SEV_O; y++) {
            uint32_t c = s->n_sev[i * RB_NSEV + (size_t)y];
            known += c;
            if (y < RB_SEV_O) {
                fi_w += opt->epdo_weight[y] * c;
                fi_n += c;
            }
        }
        fv[q] = s->freq_per_yr[i];
        tv[q] = s->n_target[i];
        ov[q] = s->n_obs[i];
    }
    /* critical rate (HSM Part B, Chapter 4): the reference population's average
     * rate R_a, weighted by exposure, plus P standard deviations of a Poisson
     * count at this site's exposure, plus a continuity correction */
    double ra = mvkm_sum > 0 ? obs_sum / mvkm_sum : NAN;
    double rsi_pop = opt->rsi_cost && n_all ? rsi_all / n_all : NAN;
    double pop_fi_weight = fi_n ? fi_w / fi_n : NAN;
    double pop_fi_share = known ? (double)fi_n / known : NAN;
    struct rb_mom mom = rb_mom_population(fv, n);
    struct rb_beta_pop bp = rb_beta_population(tv, ov, n);
    for (size_t q = 0; q < n; q++) {
        size_t i = idx[q];
        double e = s->mvkm[i];
        s->crit_rate_per_mvkm[i] = e > 0 ? ra + opt->confidence_p * sqrt(ra / e) + 1 / (2 * e) : NAN;
        s->rate_ratio[i] = s->rate_per_mvkm[i] / s->crit_rate_per_mvkm[i];
        s->rsi[i] = opt->rsi_cost && s->n_obs[i] ? s->rsi_sum[i] / s->n_obs[i] : NAN;
        s->rsi_excess[i] = s->rsi[i] - rsi_pop;
        s->mom_excess_per_yr[i] = rb_mom_adjusted(&mom, s->freq_per_yr[i]) - mom.mean;
        s->p_target[i] = s->p_exceed[i] = s->excess_prop[i] = NAN;
        if (opt->target_type >= 0 && s->n_obs[i]) {
            s->p_target[i] = (double)s->n_target[i] / s->n_obs[i];
            s->excess_prop[i] = s->p_target[i] - bp.p;
            s->p_exceed[i] = rb_beta_exceed(&bp, s->n_target[i], s->n_obs[i], bp.p);
        }
        s->eb_epdo_per_yr[i] = NAN;
        if (s->eb_per_yr[i] == s->eb_per_yr[i]) {
            double w = 0;
            size_t c = 0;
            for (int y = RB_SEV_K; y < RB_SEV_O; y++) {
                w += opt->epdo_weight[y] * s->n_sev[i * RB_NSEV + (size_t)y];
                c += s->n_sev[i * RB_NSEV + (size_t)y];
            }
            double share = s->pred_fi_share[i] == s->pred_fi_share[i] ? s->pred_fi_share[i] : pop_fi_share;
            double fw = c ? w / c : pop_fi_weight, fi = s->eb_per_yr[i] * share;
            s->eb_epdo_per_yr[i] = fw * fi + opt->epdo_weight[RB_SEV_O] * (s->eb_per_yr[i] - fi);
        }
    }
}

/* The population measures of every reference population (the sites grouped by
 * pop, in index order within each). */
static int populations(struct rb_sites *s, const struct rb_screen_opt *opt)
{
    size_t np = s->pop ? s->npop : 1, m = s->n ? s->n : 1;
    size_t *start = rb_calloc(np + 1, sizeof *start), *idx = rb_mallocarray(m, sizeof *idx);
    double *fv = rb_mallocarray(m, sizeof *fv);
    uint32_t *tv = rb_mallocarray(m, sizeof *tv), *ov = rb_mallocarray(m, sizeof *ov);
    int rc = !start || !idx || !fv || !tv || !ov ? RB_ENOMEM : RB_OK;
    if (!rc) {
        /* a counting sort by population keeps index order inside each */
        for (size_t i = 0; i < s->n; i++)
            start[(s->pop ? s->pop[i] : 0) + 1]++;
        for (size_t g = 0; g < np; g++)
            start[g + 1] += start[g];
        size_t *fill = rb_mallocarray(np ? np : 1, sizeof *fill);
        if (!fill) {
            rc = RB_ENOMEM;
        } else {
            memcpy(fill, start, np * sizeof *fill);
            for (size_t i = 0; i < s->n; i++)
                idx[fill[s->pop ? s->pop[i] : 0]++] = i;
            rb_free(fill);
            for (size_t g = 0; g < np; g++)
                population_measures(s, opt, idx + start[g], start[g + 1] - start[g], fv, tv, ov);
        }
    }
    rb_free(start);
    rb_free(idx);
    rb_free(fv);
    rb_free(tv);
    rb_free(ov);
    return rc;
}

struct measure_job {
    struct rb_sites *s;
    const struct rb_screen_opt *opt;
    int nyears;
};

/* A site's variables for its SPF: an intersection's major and minor road
 * AADT (and their sum and ratio), its unit's attributes. */
struct site_attr {
    const struct rb_sites *s;
    const struct rb_screen_opt *opt;
    size_t i;
};
static double site_attr(const char *name, void *ud)
{
    const struct site_attr *a = ud;
    const struct rb_sites *s = a->s;
    if (s->aadt_major && !strncmp(name, "aadt_", 5)) {
        double maj = s->aadt_major[a->i], min = s->aadt_minor[a->i];
        if (!strcmp(name, "aadt_major")) return maj;
        if (!strcmp(name, "aadt_minor")) return min;
        if (!strcmp(name, "aadt_total")) return maj + min;
        if (!strcmp(name, "aadt_ratio")) return maj > 0 ? min / maj : NAN;
    }
    const struct rb_screen_opt *o = a->opt;
    uint32_t u = s->unit ? s->unit[a->i] : (uint32_t)a->i;
    if (!strcmp(name, "unit_length_share"))   /* the share of its unit's counts a site has */
        return o->unit_length_m && u != UINT32_MAX && o->unit_length_m[u] > 0 ? s->length_m[a->i] / o->unit_length_m[u]
                                                                               : NAN;
    for (size_t k = 0; u != UINT32_MAX && k < o->nattr; k++)
        if (!strcmp(name, o->attr_name[k]))
            return o->unit_attr[(size_t)u * o->nattr + k];
    return NAN;
}

/* The measures of a site alone, sites [from, to). */
static void own_measures(size_t from, size_t to, size_t part, void *ud)
{
    const struct measure_job *j = ud;
    struct rb_sites *s = j->s;
    const struct rb_screen_opt *opt = j->opt;
    int nyears = j->nyears;
    double years = nyears ? nyears : NAN;
    for (size_t i = from; i < to; i++) {
        double km = s->length_m[i] / 1000;
        s->mvkm[i] = s->aadt[i] > 0 && km > 0 ? s->aadt[i] * 365.0 * years * km / 1e6 : NAN;
        s->freq_per_yr[i] = s->n_obs[i] / years;
        s->rate_per_mvkm[i] = s->n_obs[i] / s->mvkm[i];
        s->epdo_per_yr[i] = s->epdo[i] / years;
        s->pred_per_yr[i] = s->k[i] = s->eb_weight[i] = s->eb_per_yr[i] = s->excess_per_yr[i] = NAN;
        s->excess_spf_per_yr[i] = s->loss[i] = NAN;
        /* the site's own SPF (its type's, in a set: none when it fits none), else the one */
        const struct rb_spf *spf = !opt->spf || !s->spf_ix ? opt->spf
                                   : s->spf_ix[i] == UINT32_MAX ? NULL : &opt->spf[s->spf_ix[i]];
        struct site_attr sa = { s, opt, i };
        uint32_t u = s->unit ? s->unit[i] : (uint32_t)i;
        const double *row = opt->unit_attr && u != UINT32_MAX ? opt->unit_attr + (size_t)u * opt->nattr : NULL;
        s->pred_fi_share[i] = s->cmf[i] = NAN;
        s->spf_defaults[i] = 0;
        s->cmf_base[i] = 0;
        if (spf && nyears > 0) {
            /* a prediction per year from that year's AADT when the sites have
             * them (the multi-year EB form weighs the years), else the one AADT */
            double py[64], pred = 0, fi = 0, comp[RB_SPF_MAXCOMP] = { 0 };
            int ny = nyears < 64 ? nyears : 64, yearly = s->aadt_yr && s->ny == (size_t)nyears;
            struct rb_spf_pred p;
            for (int y = 0; y < ny; y++) {
                struct rb_spf_site site = { yearly ? s->aadt_yr[i * s->ny + (size_t)y] : s->aadt[i], s->length_m[i],
                                            site_attr, &sa, row };
                if (!y || yearly)
                    rb_spf_eval(spf, &site, &p);
                py[y] = p.n;
                pred += py[y] / ny;
                fi += p.fi / ny;
                for (size_t c = 0; c < spf->ncomp; c++)
                    comp[c] += p.comp[c];
            }
            s->spf_defaults[i] = pred == pred ? (uint8_t)(p.defaults < 255 ? p.defaults : 255) : 0;
            s->cmf[i] = p.cmf;
            s->cmf_base[i] = p.cmf_base;
            s->pred_fi_share[i] = pred > 0 ? fi / pred : NAN;
            double k = rb_spf_k_of(spf, comp, s->length_m[i]);
            s->pred_per_yr[i] = pred;
            s->k[i] = k;
            s->excess_spf_per_yr[i] = s->freq_per_yr[i] - pred;
            int los = rb_loss(s->freq_per_yr[i], pred, k);
            s->loss[i] = los ? los : NAN;
            if (pred > 0 && k >= 0) {
                struct rb_eb eb = rb_eb_estimate(py, ny, s->n_obs[i] * (double)ny / nyears, k);
                s->eb_weight[i] = eb.w;
                s->eb_per_yr[i] = eb.expected_per_yr;
                s->excess_per_yr[i] = eb.excess_per_yr;
            }
        }
    }
}

/* The site's own measures, then (with_population) those against its population. */
static int measures(struct rb_sites *s, const struct rb_screen_opt *opt, int with_population)
{
    const struct rb_period *p = opt->period;
    struct measure_job j = { s, opt, p->from_year ? p->to_year - p->from_year + 1 : 0 };
    /* each site's own measures depend on it alone: the sites split across threads */
    rb_parallel_for(s->n, s->n >= 20000 ? RB_THREADS : 1, own_measures, &j);
    return with_population ? populations(s, opt) : RB_OK;
}

int rb_sites_measures(struct rb_sites *s, const struct rb_screen_opt *opt, const char *rank_by,
                      struct rb_err *err)
{
    if (measures(s, opt, 1))
        return rb_err_nomem(err);
    if (!rank_by)
        return RB_OK;
    const double *key = rb_sites_measure(s, rank_by);
    if (!key)
        return rb_err_set(err, RB_EUSAGE, "cannot rank by '%s'", rank_by);
    double *tie = rb_mallocarray(s->n ? s->n : 1, sizeof *tie);
    if (!tie)
        return rb_err_nomem(err);
    for (size_t i = 0; i < s->n; i++)
        tie[i] = s->n_obs[i];
    int rc = rb_rank_desc(key, tie, s->n, s->rank, err);
    rb_free(tie);
    return rc;
}

/* ---- peak searching -------------------------------------------------------------- */

void rb_peaks_free(struct rb_peaks *pk)
{
    if (!pk)
        return;
    rb_free(pk->value); rb_free(pk->from_m); rb_free(pk->to_m); rb_free(pk->cv); rb_free(pk->window_m);
    rb_free(pk->n_obs);
    memset(pk, 0, sizeof *pk);
}

int rb_peak_search(const struct rb_sites *base, const struct rb_route_crash *c, size_t n,
                   const struct rb_screen_opt *opt, const char *measure, double cv_limit, struct rb_peaks *pk,
                   struct rb_err *err)
{
    size_t ns = base->n, m = ns ? ns : 1;
    double S = opt->step_m;
    /* measures of a window alone need no population: skip its work */
    static const char *const own_names[] = { "freq_per_yr", "rate_per_mvkm", "epdo", "epdo_per_yr", "pred_per_yr",
                                             "excess_spf_per_yr", "loss", "eb_per_yr", "excess_per_yr" };
    int own = 0;
    for (size_t k = 0; k < sizeof own_names / sizeof *own_names; k++)
        own |= !strcmp(measure, own_names[k]);
    memset(pk, 0, sizeof *pk);
    pk->n = ns;
    pk->value = rb_mallocarray(m, sizeof(double));
    pk->from_m = rb_mallocarray(m, sizeof(double));
    pk->to_m = rb_mallocarray(m, sizeof(double));
    pk->cv = rb_mallocarray(m, sizeof(double));
    pk->window_m = rb_calloc(m, sizeof *pk->window_m);
    pk->n_obs = rb_calloc(m, sizeof *pk->n_obs);
    uint8_t *open = rb_malloc(m);
    size_t *first = rb_mallocarray(m + 1, sizeof *first);
    double *cvs = NULL;
    size_t capv = 0;
    struct rb_sites w = { 0 };
    int rc = RB_OK;
    if (!pk->value || !pk->from_m || !pk->to_m || !pk->cv || !pk->window_m || !pk->n_obs || !open || !first)
        goto nomem;
    for (size_t s = 0; s < ns; s++) {
        pk->value[s] = pk->from_m[s] = pk->to_m[s] = pk->cv[s] = NAN;
        open[s] = base->to_m[s] - base->from_m[s] > S;    /* shorter: one window, no variance */
    }
    for (int it = 1;; it++) {
        double W = it * S;
        /* this iteration's windows on the segments still open */
        size_t nw = 0;
        for (size_t s = 0; s < ns; s++) {
            first[s] = nw;
            double L = base->to_m[s] - base->from_m[s];
            if (open[s] && L > W)
                nw += window_starts(L, W, S, NULL);
            else
                open[s] = 0;
        }
        first[ns] = nw;
        if (!nw)
            break;
        if (sites_alloc(&w, nw))
            goto nomem;
        for (size_t s = 0; s < ns; s++) {
            if (first[s + 1] == first[s])
                continue;
            double L = base->to_m[s] - base->from_m[s];
            size_t q0 = first[s], k = window_starts(L, W, S, w.from_m + q0);
            for (size_t q = q0; q < q0 + k; q++) {
                w.route[q] = base->route[s];
                w.from_m[q] += base->from_m[s];
                w.to_m[q] = w.from_m[q] + W;
                w.length_m[q] = W;
                w.aadt[q] = base->aadt[s];
            }
        }
        /* each window takes its base site's SPF and attributes (its segment's, or its section's) */
        if ((base->spf_ix && !(w.spf_ix = rb_mallocarray(nw, sizeof *w.spf_ix))) ||
            (opt->nattr && !(w.unit = rb_mallocarray(nw, sizeof *w.unit))))
            goto nomem;
        for (size_t s = 0; s < ns && (w.spf_ix || w.unit); s++)
            for (size_t q = first[s]; q < first[s + 1]; q++) {
                if (w.spf_ix)
                    w.spf_ix[q] = base->spf_ix[s];
                if (w.unit)
                    w.unit[q] = base->unit ? base->unit[s] : (uint32_t)s;
            }
        if (base->aadt_yr) {
            size_t ny = base->ny;
            if (!(w.aadt_yr = rb_mallocarray(rb_size_mul(nw, ny ? ny : 1), sizeof(double))))
                goto nomem;
            w.ny = ny;
            for (size_t s = 0; s < ns; s++)
                for (size_t q = first[s]; q < first[s + 1]; q++)
                    memcpy(w.aadt_yr + q * ny, base->aadt_yr + s * ny, ny * sizeof(double));
        }
        /* the windows are not ranked: only their values matter here */
        if ((rc = rb_sites_count(&w, c, n, opt, RB_BY_CHAINAGE, err)))
            goto fail;
        if (measures(&w, opt, !own))
            goto nomem;
        const double *v = rb_sites_measure(&w, measure);
        if (!v) {
            rc = rb_err_set(err, RB_EUSAGE, "peak searching: no measure '%s'", measure);
            goto fail;
        }
        for (size_t s = 0; s < ns; s++) {
            size_t q0 = first[s], k = first[s + 1] - q0;
            if (!k)
                continue;
            if (rb_grow((void **)&cvs, &capv, k, sizeof *cvs))
                goto nomem;
            long best = rb_peak_pick(v + q0, k, cv_limit, cvs);
            if (best < 0)
                continue;
            size_t q = q0 + (size_t)best;
            pk->value[s] = v[q];
            pk->from_m[s] = w.from_m[q];
            pk->to_m[s] = w.to_m[q];
            pk->cv[s] = cvs[best];
            pk->window_m[s] = (uint32_t)lround(W);
            pk->n_obs[s] = w.n_obs[q];
            open[s] = 0;
        }
        rb_sites_free(&w);
    }
    rb_free(open);
    rb_free(first);
    rb_free(cvs);
    return RB_OK;
nomem:
    rc = rb_err_nomem(err);
fail:
    rb_sites_free(&w);
    rb_free(open);
    rb_free(first);
    rb_free(cvs);
    rb_peaks_free(pk);
    return rc;
}
