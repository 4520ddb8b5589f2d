/* screen/hotspots: crash concentration sites and the top sites of a ranking rule. */
#include "screen/hotspots.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- crash concentration sites ------------------------------------------------ */

struct inj {
    int64_t route;
    double ch;
    int32_t day;
    uint8_t type;
    uint8_t urban;
};

static int inj_cmp(const void *a, const void *b)
{
    const struct inj *p = a, *q = b;
    if (p->route != q->route) return p->route < q->route ? -1 : 1;
    if (p->ch != q->ch) return p->ch < q->ch ? -1 : 1;
    return p->day < q->day ? -1 : p->day > q->day;
}

static int day_cmp(const void *a, const void *b)
{
    const struct inj *p = a, *q = b;
    return p->day < q->day ? -1 : p->day > q->day;
}

void rb_hotspots_free(struct rb_hotspots *h)
{
    if (!h)
        return;
    rb_free(h->route); rb_free(h->from_m); rb_free(h->to_m); rb_free(h->n_crashes);
    rb_free(h->n_qualifying); rb_free(h->period_start); rb_free(h->period_end); rb_free(h->by_type);
    rb_free(h->crash_type); rb_free(h->rule); rb_free(h->value);
    memset(h, 0, sizeof *h);
}

static int hs_push(struct rb_hotspots *h, int rule, uint32_t route, double a, double b, uint32_t nq,
                   int32_t d0, int32_t d1, int by_type, int type, double value)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 64;
        void **arrs[] = { (void **)&h->route, (void **)&h->from_m, (void **)&h->to_m, (void **)&h->n_crashes,
                          (void **)&h->n_qualifying, (void **)&h->period_start, (void **)&h->period_end,
                          (void **)&h->by_type, (void **)&h->crash_type, (void **)&h->rule,
                          (void **)&h->value };
        size_t sz[] = { 4, 8, 8, 4, 4, 4, 4, 1, 1, 1, 8 };
        for (size_t i = 0; i < sizeof sz / sizeof *sz; i++) {
            void *np = rb_reallocarray(*arrs[i], nc, sz[i]);
            if (!np)
                return RB_ENOMEM;
            *arrs[i] = np;
        }
        h->cap = nc;
    }
    size_t i = h->n++;
    h->rule[i] = (uint8_t)rule;
    h->value[i] = value;
    h->route[i] = route;
    h->from_m[i] = a;
    h->to_m[i] = b;
    h->n_crashes[i] = 0;
    h->n_qualifying[i] = nq;
    h->period_start[i] = d0;
    h->period_end[i] = d1;
    h->by_type[i] = (uint8_t)by_type;
    h->crash_type[i] = (uint8_t)type;
    return RB_OK;
}

const char *rb_hotspot_rule_name(int rule)
{
    static const char *const names[] = { "crash_concentration", "sliding_window", "peak_search", "crp" };
    return rule >= 0 && rule < RB_NHS ? names[rule] : "?";
}

int rb_crash_concentration(const struct rb_routes *r, const struct rb_route_crash *c, size_t n,
                           const struct rb_ccs_opt *opt, struct rb_hotspots *h, struct rb_err *err)
{
    memset(h, 0, sizeof *h);
    (void)r;
    struct inj *v = rb_mallocarray(n ? n : 1, sizeof *v), *set = rb_mallocarray(n ? n : 1, sizeof *set);
    if (!v || !set) {
        rb_free(v);
        rb_free(set);
        return rb_err_nomem(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        /* injury crashes with a date, on a route; PDO (and unknown severity) do not count */
        if (c[i].route < 0 || c[i].severity > RB_SEV_C || c[i].date_days == RB_NODATE)
            continue;
        v[m++] = (struct inj){ c[i].route, c[i].chainage_m, c[i].date_days, c[i].crash_type,
                               (uint8_t)(opt->crash_urban ? opt->crash_urban[i]
                                         : opt->urban && c[i].seg >= 0 ? opt->urban[c[i].seg] : 0) };
    }
    qsort(v, m, sizeof *v, inj_cmp);
    int rc = RB_OK;
    for (size_t i = 0; i < m && !rc; i++) {
        double maxlen = v[i].urban ? opt->max_len_urban_m : opt->max_len_m;
        size_t ns = 0;
        for (size_t j = i; j < m && v[j].route == v[i].route && v[j].ch <= v[i].ch + maxlen; j++)
            set[ns++] = v[j];
        if ((int)ns < (opt->same_type < opt->any_type ? opt->same_type : opt->any_type))
            continue;
        qsort(set, ns, sizeof *set, day_cmp);
        /* the first window of window_days (counted from a crash's day) that qualifies */
        int found = 0;
        for (size_t a = 0; a < ns && !found; a++) {
            size_t b = a;
            while (b < ns && set[b].day - set[a].day < opt->window_days)
                b++;
            double hi = set[a].ch;
            int32_t last = set[a].day;
            for (size_t q = a; q < b; q++) {
                hi = fmax(hi, set[q].ch);
                last = set[q].day > last ? set[q].day : last;
            }
            if ((int)(b - a) >= opt->any_type) {
                rc = hs_push(h, RB_HS_CCS, (uint32_t)v[i].route, v[i].ch, hi, (uint32_t)(b - a), set[a].day, last, 0, 0,
                             (double)(b - a));
                found = 1;
                break;
            }
            int counts[RB_NCT] = { 0 };
            for (size_t q = a; q < b; q++)
                counts[set[q].type < RB_NCT ? set[q].type : RB_CT_UNKNOWN]++;
            for (int t = 0; t < RB_NCT && !found; t++) {
                if (t == RB_CT_UNKNOWN || counts[t] < opt->same_type)
                    continue;
                double thi = v[i].ch;
                int32_t tlast = set[a].day;
                for (size_t q = a; q < b; q++)
                    if (set[q].type == t) {
                        thi = fmax(thi, set[q].ch);
                        tlast = set[q].day > tlast ? set[q].day : tlast;
                    }
                int32_t tfirst = set[a].day;
                for (size_t q = a; q < b; q++)
                    if (set[q].type == t) {
                        tfirst = set[q].day;
                        break;
                    }
                rc = hs_push(h, RB_HS_CCS, (uint32_t)v[i].route, v[i].ch, thi, (uint32_t)counts[t], tfirst, tlast, 1, t,
                             counts[t]);
                found = 1;
            }
        }
    }
    /* merge overlapping stretches of a route; keep the strongest finding */
    size_t out = 0;
    for (size_t i = 0; i < h->n && !rc; i++) {
        if (out > 0 && h->route[out - 1] == h->route[i] && h->from_m[i] <= h->to_m[out - 1]) {
            h->to_m[out - 1] = fmax(h->to_m[out - 1], h->to_m[i]);
            if (h->n_qualifying[i] > h->n_qualifying[out - 1]) {
                h->n_qualifying[out - 1] = h->n_qualifying[i];
                h->period_start[out - 1] = h->period_start[i];
                h->period_end[out - 1] = h->period_end[i];
                h->by_type[out - 1] = h->by_type[i];
                h->crash_type[out - 1] = h->crash_type[i];
                h->value[out - 1] = h->value[i];
            }
            continue;
        }
        h->route[out] = h->route[i]; h->from_m[out] = h->from_m[i]; h->to_m[out] = h->to_m[i];
        h->n_qualifying[out] = h->n_qualifying[i]; h->period_start[out] = h->period_start[i];
        h->period_end[out] = h->period_end[i]; h->by_type[out] = h->by_type[i];
        h->crash_type[out] = h->crash_type[i];
        h->rule[out] = h->rule[i];
        h->value[out] = h->value[i];
        out++;
    }
    if (!rc) {
        h->n = out;
        /* all injury crashes inside each merged stretch, over the whole period */
        for (size_t k = 0, i = 0; k < h->n; k++) {
            while (i < m && (v[i].route < h->route[k] || (v[i].route == h->route[k] && v[i].ch < h->from_m[k])))
                i++;
            h->n_crashes[k] = 0;
            for (size_t j = i; j < m && v[j].route == h->route[k] && v[j].ch <= h->to_m[k]; j++)
                h->n_crashes[k]++;
        }
    }
    rb_free(v);
    rb_free(set);
    if (rc) {
        rb_hotspots_free(h);
        return rb_err_nomem(err);
    }
    return RB_OK;
}

/* ---- ranking-rule hotspots ------------------------------------------------------ */

int rb_hotspots_top(struct rb_hotspots *h, int rule, size_t top, size_t nsites, const uint32_t *route,
                    const double *from_m, const double *to_m, const double *key, const uint32_t *n_obs,
                    struct rb_err *err)
{
    /* only sites with a positive value can be flagged: rank those alone (their
     * order among themselves is the one a ranking of all sites gives) */
    size_t nc = 0;
    for (size_t i = 0; i < nsites; i++)
        nc += key[i] > 0;
    size_t m = nc ? nc : 1;
    uint32_t *rank = rb_mallocarray(m, sizeof *rank);
    size_t *site = rb_mallocarray(m, sizeof *site), *by_rank = rb_mallocarray(m, sizeof *by_rank);
    double *ckey = rb_mallocarray(m, sizeof *ckey), *tie = rb_mallocarray(m, sizeof *tie);
    int rc = !rank || !site || !by_rank || !ckey || !tie ? rb_err_nomem(err) : RB_OK;
    for (size_t i = 0, c = 0; i < nsites && !rc; i++)
        if (key[i] > 0) {
            site[c] = i;
            ckey[c] = key[i];
            tie[c++] = n_obs[i];
        }
    if (!rc)
        rc = rb_rank_desc(ckey, tie, nc, rank, err);
    for (size_t c = 0; c < nc && !rc; c++)
        by_rank[rank[c] - 1] = site[c];
    size_t first = h->n, taken = 0;
    for (size_t q = 0; q < nc && taken < top && !rc; q++) {
        size_t i = by_rank[q];
        int overlaps = 0;
        for (size_t j = first; j < h->n && !overlaps; j++)
            overlaps = h->route[j] == route[i] && from_m[i] < h->to_m[j] && to_m[i] > h->from_m[j];
        if (overlaps)
            continue;
        if (hs_push(h, rule, route[i], from_m[i], to_m[i], 0, RB_NODATE, RB_NODATE, 0, 0, key[i]))
            rc = rb_err_nomem(err);
        else
            h->n_crashes[h->n - 1] = n_obs[i];
        taken++;
    }
    rb_free(rank);
    rb_free(site);
    rb_free(by_rank);
    rb_free(ckey);
    rb_free(tie);
    return rc;
}
