/* report/screen_tables: the windows and hotspots layers of rumble screen. */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

/* Geometry of sites along routes: each row the route between its chainages. */
static int route_geometry(const struct rb_match_run *run, struct rb_out_layer *o, size_t n,
                          const uint32_t *route, const double *from_m, const double *to_m)
{
    size_t capxy = 0, cappt = 0, npts = 0, nparts = 0;
    o->part_off = rb_malloc((n + 1) * sizeof *o->part_off);
    if (!o->part_off)
        return RB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        o->part_off[i] = nparts;
        if (rb_routes_substring(run->routes, run->net, route[i], from_m[i], to_m[i], &o->xy, &capxy, &npts,
                                &o->pt_off, &cappt, &nparts))
            return RB_ENOMEM;
    }
    o->part_off[n] = nparts;
    if (rb_grow((void **)&o->pt_off, &cappt, nparts + 1, sizeof *o->pt_off))
        return RB_ENOMEM;
    o->pt_off[nparts] = npts;
    if (!o->xy && !(o->xy = rb_malloc(2 * sizeof *o->xy)))
        return RB_ENOMEM;
    o->layer.geom = RB_GEOM_LINE;
    o->layer.part_off = o->part_off;
    o->layer.pt_off = o->pt_off;
    o->layer.xy = o->xy;
    return RB_OK;
}

int rb_report_windows(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_sites *w = run->windows;
    o->layer.name = "windows";
    o->layer.nrows = w->n;
    static const char *const names[] = {
        "route_id", "from_m", "to_m", "length_m", "aadt", "n_years", "n_obs", "n_k", "n_a", "n_b", "n_c",
        "n_o", "n_u", "freq_per_yr", "rate_per_mvkm", "crit_rate_per_mvkm", "rate_ratio", "epdo",
        "epdo_per_yr", "pred_per_yr", "eb_weight", "eb_per_yr", "excess_per_yr", "rank"
    };
    enum { N = sizeof names / sizeof *names };
    size_t col[N];
    for (size_t k = 0; k < N; k++) {
        int type = k == 0 ? RB_FT_STRING : (k >= 5 && k <= 12) || k == N - 1 ? RB_FT_INT : RB_FT_REAL;
        if (rb_report_own_col(o, names[k], type, &col[k]))
            goto nomem;
    }
    struct rb_table *t = &o->own;
    int nyears = run->period->from_year ? run->period->to_year - run->period->from_year + 1 : 0;
    for (size_t i = 0; i < w->n; i++) {
        if (rb_table_add_row(t) || rb_table_set_str(t, col[0], i, run->routes->id[w->route[i]]))
            goto nomem;
        t->cols[col[1]].d[i] = rb_report_mm(w->from_m[i]);
        t->cols[col[2]].d[i] = rb_report_mm(w->to_m[i]);
        t->cols[col[3]].d[i] = rb_report_mm(w->length_m[i]);
        t->cols[col[4]].d[i] = w->aadt[i];
        if (nyears)
            t->cols[col[5]].i[i] = nyears;
        t->cols[col[6]].i[i] = w->n_obs[i];
        for (int k = 0; k < RB_NSEV; k++)
            t->cols[col[7 + k]].i[i] = w->n_sev[i * RB_NSEV + (size_t)k];
        const double v[] = { w->freq_per_yr[i], w->rate_per_mvkm[i], w->crit_rate_per_mvkm[i], w->rate_ratio[i],
                             w->epdo[i], w->epdo_per_yr[i], w->pred_per_yr[i], w->eb_weight[i], w->eb_per_yr[i],
                             w->excess_per_yr[i] };
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            t->cols[col[13 + k]].d[i] = v[k];
        t->cols[col[N - 1]].i[i] = w->rank[i];
    }
    if (route_geometry(run, o, w->n, w->route, w->from_m, w->to_m))
        goto nomem;
    return RB_OK;
nomem:
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}

int rb_report_hotspots(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_hotspots *h = run->hotspots;
    o->layer.name = "hotspots";
    o->layer.nrows = h->n;
    static const char *const names[] = { "rule", "route_id", "from_m", "to_m", "length_m", "n_obs",
                                         "n_qualifying", "crash_type", "period_start", "period_end", "rank" };
    static const int types[] = { RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_INT,
                                 RB_FT_INT, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_INT };
    enum { N = sizeof names / sizeof *names };
    size_t col[N];
    double *key = NULL, *tie = NULL;
    uint32_t *rank = NULL;
    for (size_t k = 0; k < N; k++)
        if (rb_report_own_col(o, names[k], types[k], &col[k]))
            goto nomem;
    key = rb_malloc((h->n ? h->n : 1) * sizeof *key);
    tie = rb_malloc((h->n ? h->n : 1) * sizeof *tie);
    rank = rb_malloc((h->n ? h->n : 1) * sizeof *rank);
    if (!key || !tie || !rank)
        goto nomem;
    for (size_t i = 0; i < h->n; i++) {
        key[i] = h->n_qualifying[i];
        tie[i] = h->n_crashes[i];
    }
    if (rb_rank_desc(key, tie, h->n, rank, err))
        goto fail;
    struct rb_table *t = &o->own;
    for (size_t i = 0; i < h->n; i++) {
        char d0[16], d1[16];
        int y, m, d;
        rb_ymd_from_days(h->period_start[i], &y, &m, &d);
        snprintf(d0, sizeof d0, "%04d-%02d-%02d", y, m, d);
        rb_ymd_from_days(h->period_end[i], &y, &m, &d);
        snprintf(d1, sizeof d1, "%04d-%02d-%02d", y, m, d);
        if (rb_table_add_row(t) || rb_table_set_str(t, col[0], i, "crash_concentration") ||
            rb_table_set_str(t, col[1], i, run->routes->id[h->route[i]]) ||
            rb_table_set_str(t, col[7], i, h->by_type[i] ? rb_crash_type_name(h->crash_type[i]) : NULL) ||
            rb_table_set_str(t, col[8], i, d0) || rb_table_set_str(t, col[9], i, d1))
            goto nomem;
        t->cols[col[2]].d[i] = rb_report_mm(h->from_m[i]);
        t->cols[col[3]].d[i] = rb_report_mm(h->to_m[i]);
        t->cols[col[4]].d[i] = rb_report_mm(h->to_m[i] - h->from_m[i]);
        t->cols[col[5]].i[i] = h->n_crashes[i];
        t->cols[col[6]].i[i] = h->n_qualifying[i];
        t->cols[col[10]].i[i] = rank[i];
    }
    /* a stretch of one crash's length has no extent: draw at least 10 m around it */
    double *a = rb_malloc((h->n ? h->n : 1) * sizeof *a), *b = rb_malloc((h->n ? h->n : 1) * sizeof *b);
    if (!a || !b) {
        rb_free(a);
        rb_free(b);
        goto nomem;
    }
    for (size_t i = 0; i < h->n; i++) {
        a[i] = h->to_m[i] - h->from_m[i] < 10 ? h->from_m[i] - 5 : h->from_m[i];
        b[i] = h->to_m[i] - h->from_m[i] < 10 ? h->to_m[i] + 5 : h->to_m[i];
    }
    int grc = route_geometry(run, o, h->n, h->route, a, b);
    rb_free(a);
    rb_free(b);
    if (grc)
        goto nomem;
    rb_free(key);
    rb_free(tie);
    rb_free(rank);
    return RB_OK;
nomem:
    rb_err_nomem(err);
fail:
    rb_free(key);
    rb_free(tie);
    rb_free(rank);
    rb_out_layer_free(o);
    return err->code;
}
