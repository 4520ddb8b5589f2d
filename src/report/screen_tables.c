/* report/screen_tables: the windows and hotspots layers of rumble screen. */
#include "report/screen_tables.h"

#include <stdio.h>
#include <string.h>

/* Sites along routes as a layer (windows; sections with sec, which adds the
 * section's id and its segments). */
static int route_layer(const struct rb_match_run *run, const char *name, const struct rb_sites *w,
                       const struct rb_sections *sec, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    o->layer.name = name;
    o->layer.nrows = w->n;
    static const char *const names[] = {
        "route_id", "from_m", "to_m", "length_m", "aadt", "n_years", "n_obs", "n_k", "n_a", "n_b", "n_c",
        "n_o", "n_u", "freq_per_yr", "crashes_per_km_yr", "rate_per_mvkm", "epdo", "epdo_per_yr", "rank"
    };
    enum { N = sizeof names / sizeof *names };
    size_t col[N], mcol[RB_NSITE_FIELDS];
    for (size_t k = 0; k < N; k++) {
        int type = k == 0 ? RB_FT_STRING : (k >= 5 && k <= 12) || k == N - 1 ? RB_FT_INT : RB_FT_REAL;
        if (rb_report_own_col(o, names[k], type, &col[k]))
            goto nomem;
    }
    for (size_t k = 0; k < RB_NSITE_FIELDS; k++)
        if (rb_report_own_col(o, rb_site_fields[k], RB_FT_REAL, &mcol[k]))
            goto nomem;
    size_t scol[4];
    static const char *const snames[4] = { "section_id", "n_segments", "first_segment", "last_segment" };
    for (size_t k = 0; sec && k < 4; k++)
        if (rb_report_own_col(o, snames[k], k == 1 ? RB_FT_INT : RB_FT_STRING, &scol[k]))
            goto nomem;
    size_t pcol = 0;
    int with_pop = run->pop_names && w->pop;
    if (with_pop && rb_report_own_col(o, "population", RB_FT_STRING, &pcol))
        goto nomem;
    struct rb_table *t = &o->own;
    int nyears = run->period->from_year ? run->period->to_year - run->period->from_year + 1 : 0;
    for (size_t i = 0; i < w->n; i++) {
        if (with_pop && (rb_table_add_row(t) || rb_table_set_str(t, pcol, i, run->pop_names[w->pop[i]])))
            goto nomem;
        if ((!with_pop && rb_table_add_row(t)) || rb_table_set_str(t, col[0], i, run->routes->id[w->route[i]]))
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
        const double v[] = { w->freq_per_yr[i], w->freq_per_yr[i] / (w->length_m[i] / 1000),
                             w->rate_per_mvkm[i], w->epdo[i], w->epdo_per_yr[i] };
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            t->cols[col[13 + k]].d[i] = v[k];
        t->cols[col[N - 1]].i[i] = w->rank[i];
        double m[RB_NSITE_FIELDS];
        rb_report_site_values(w, i, m);
        for (size_t k = 0; k < RB_NSITE_FIELDS; k++)
            t->cols[mcol[k]].d[i] = m[k];
        if (sec) {
            char id[32];
            snprintf(id, sizeof id, "S%zu", i + 1);
            t->cols[scol[1]].i[i] = sec->n_segs[i];
            if (rb_table_set_str(t, scol[0], i, id) ||
                rb_table_set_str(t, scol[2], i, run->net->ids[sec->first_seg[i]]) ||
                rb_table_set_str(t, scol[3], i, run->net->ids[sec->last_seg[i]]))
                goto nomem;
        }
    }
    if (rb_report_route_geometry(run, o, w->n, w->route, w->from_m, w->to_m))
        goto nomem;
    return RB_OK;
nomem:
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}

int rb_report_windows(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    return route_layer(run, "windows", run->windows, NULL, o, err);
}

int rb_report_sections(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    return route_layer(run, "sections", &run->sections->s, run->sections, o, err);
}

int rb_report_hotspots(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_hotspots *h = run->hotspots;
    o->layer.name = "hotspots";
    o->layer.nrows = h->n;
    static const char *const names[] = { "rule", "route_id", "from_m", "to_m", "length_m", "n_obs",
                                         "n_qualifying", "crash_type", "period_start", "period_end", "measure",
                                         "value", "rank" };
    static const int types[] = { RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_INT,
                                 RB_FT_INT, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_REAL,
                                 RB_FT_INT };
    enum { N = sizeof names / sizeof *names };
    size_t col[N];
    double *key = NULL, *tie = NULL;
    uint32_t *rank = NULL;
    for (size_t k = 0; k < N; k++)
        if (rb_report_own_col(o, names[k], types[k], &col[k]))
            goto nomem;
    key = rb_mallocarray(h->n ? h->n : 1, sizeof *key);
    tie = rb_mallocarray(h->n ? h->n : 1, sizeof *tie);
    rank = rb_mallocarray(h->n ? h->n : 1, sizeof *rank);
    if (!key || !tie || !rank)
        goto nomem;
    /* ranked within each rule: by the value that flagged it, then by crashes */
    for (size_t i = 0; i < h->n; i++) {
        key[i] = h->value[i] - 1e12 * h->rule[i];
        tie[i] = h->n_crashes[i];
    }
    if (rb_rank_desc(key, tie, h->n, rank, err))
        goto fail;
    uint32_t before[RB_NHS + 1] = { 0 };
    for (size_t i = 0; i < h->n; i++)
        before[h->rule[i] + 1]++;
    for (int r = 1; r <= RB_NHS; r++)
        before[r] += before[r - 1];
    struct rb_table *t = &o->own;
    for (size_t i = 0; i < h->n; i++) {
        char d0[16] = "", d1[16] = "";
        int y, m, d;
        if (h->period_start[i] != RB_NODATE) {
            rb_ymd_from_days(h->period_start[i], &y, &m, &d);
            snprintf(d0, sizeof d0, "%04d-%02d-%02d", y, m, d);
            rb_ymd_from_days(h->period_end[i], &y, &m, &d);
            snprintf(d1, sizeof d1, "%04d-%02d-%02d", y, m, d);
        }
        const char *measure = h->rule[i] == RB_HS_CCS ? "n_qualifying"
                            : h->rule[i] == RB_HS_PEAK ? run->peak_measure
                            : h->rule[i] == RB_HS_CRP ? "crp_excess_per_yr" : run->rank_by;
        if (rb_table_add_row(t) || rb_table_set_str(t, col[0], i, rb_hotspot_rule_name(h->rule[i])) ||
            rb_table_set_str(t, col[1], i, run->routes->id[h->route[i]]) ||
            rb_table_set_str(t, col[7], i, h->by_type[i] ? rb_crash_type_name(h->crash_type[i]) : NULL) ||
            rb_table_set_str(t, col[8], i, d0[0] ? d0 : NULL) || rb_table_set_str(t, col[9], i, d1[0] ? d1 : NULL) ||
            rb_table_set_str(t, col[10], i, measure))
            goto nomem;
        t->cols[col[2]].d[i] = rb_report_mm(h->from_m[i]);
        t->cols[col[3]].d[i] = rb_report_mm(h->to_m[i]);
        t->cols[col[4]].d[i] = rb_report_mm(h->to_m[i] - h->from_m[i]);
        t->cols[col[5]].i[i] = h->n_crashes[i];
        t->cols[col[6]].i[i] = h->n_qualifying[i];
        t->cols[col[11]].d[i] = h->value[i];
        t->cols[col[12]].i[i] = rank[i] - before[h->rule[i]];
    }
    /* a stretch of one crash's length has no extent: draw at least 10 m around it */
    double *a = rb_mallocarray(h->n ? h->n : 1, sizeof *a), *b = rb_mallocarray(h->n ? h->n : 1, sizeof *b);
    if (!a || !b) {
        rb_free(a);
        rb_free(b);
        goto nomem;
    }
    for (size_t i = 0; i < h->n; i++) {
        a[i] = h->to_m[i] - h->from_m[i] < 10 ? h->from_m[i] - 5 : h->from_m[i];
        b[i] = h->to_m[i] - h->from_m[i] < 10 ? h->to_m[i] + 5 : h->to_m[i];
    }
    int grc = rb_report_route_geometry(run, o, h->n, h->route, a, b);
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

int rb_report_intersections(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_junctions *j = run->junctions;
    const struct rb_sites *s = run->int_sites;
    o->layer.name = "intersections";
    o->layer.nrows = j->n;
    static const char *const names[] = {
        "intersection_id", "segment_ids", "n_legs", "aadt_major", "aadt_minor", "entering_aadt", "n_years",
        "n_obs", "n_k", "n_a", "n_b", "n_c", "n_o", "n_u", "freq_per_yr", "rate_per_mev", "crit_rate_per_mev",
        "rate_ratio", "epdo", "epdo_per_yr", "rsi", "rsi_excess", "mom_excess_per_yr", "p_target", "p_exceed",
        "excess_prop", "rank"
    };
    enum { N = sizeof names / sizeof *names };
    size_t col[N];
    for (size_t k = 0; k < N; k++) {
        int type = k < 2 ? RB_FT_STRING : k == 2 || (k >= 6 && k <= 13) || k == N - 1 ? RB_FT_INT : RB_FT_REAL;
        if (rb_report_own_col(o, names[k], type, &col[k]))
            goto nomem;
    }
    struct rb_table *t = &o->own;
    int nyears = run->period->from_year ? run->period->to_year - run->period->from_year + 1 : 0;
    char *ids = NULL;
    size_t capids = 0;
    for (size_t i = 0; i < j->n; i++) {
        char id[128];
        rb_report_junction_id(j, i, id, sizeof id);
        /* the legs' segment ids, "a;b;c" */
        size_t len = 0;
        for (uint32_t l = j->leg0[i]; l < j->leg0[i] + j->n_legs[i]; l++) {
            const char *sid = run->net->ids[j->leg_seg[l]];
            size_t sl = strlen(sid);
            if (rb_grow((void **)&ids, &capids, len + sl + 2, 1)) {
                rb_free(ids);
                goto nomem;
            }
            if (len)
                ids[len++] = ';';
            memcpy(ids + len, sid, sl);
            len += sl;
            ids[len] = 0;
        }
        if (rb_table_add_row(t) || rb_table_set_str(t, col[0], i, id) ||
            rb_table_set_str(t, col[1], i, len ? ids : NULL)) {
            rb_free(ids);
            goto nomem;
        }
        t->cols[col[2]].i[i] = j->n_legs[i];
        t->cols[col[3]].d[i] = j->aadt_major[i];
        t->cols[col[4]].d[i] = j->aadt_minor[i];
        t->cols[col[5]].d[i] = j->entering[i];
        if (nyears)
            t->cols[col[6]].i[i] = nyears;
        t->cols[col[7]].i[i] = s->n_obs[i];
        for (int k = 0; k < RB_NSEV; k++)
            t->cols[col[8 + k]].i[i] = s->n_sev[i * RB_NSEV + (size_t)k];
        const double v[] = { s->freq_per_yr[i], s->rate_per_mvkm[i], s->crit_rate_per_mvkm[i], s->rate_ratio[i],
                             s->epdo[i], s->epdo_per_yr[i], s->rsi[i], s->rsi_excess[i], s->mom_excess_per_yr[i],
                             s->p_target[i], s->p_exceed[i], s->excess_prop[i] };
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            t->cols[col[14 + k]].d[i] = v[k];
        t->cols[col[N - 1]].i[i] = s->rank[i];
    }
    rb_free(ids);
    /* with intersection models: each one's model and its predicted, EB and excess crashes */
    if (run->int_spf) {
        static const char *const en[] = { "spf", "pred_per_yr", "eb_per_yr", "excess_per_yr" };
        size_t ec[4];
        for (size_t k = 0; k < 4; k++)
            if (rb_report_own_col(o, en[k], k ? RB_FT_REAL : RB_FT_STRING, &ec[k]))
                goto nomem;
        for (size_t i = 0; i < j->n; i++) {
            uint32_t m = s->spf_ix ? s->spf_ix[i] : UINT32_MAX;
            if (m != UINT32_MAX && rb_table_set_str(t, ec[0], i, run->int_spf->spf[m].id))
                goto nomem;
            t->cols[ec[1]].d[i] = s->pred_per_yr[i];
            t->cols[ec[2]].d[i] = s->eb_per_yr[i];
            t->cols[ec[3]].d[i] = s->excess_per_yr[i];
        }
    }
    if (rb_report_points(o, j->n, j->x, j->y, sizeof *j->x))
        goto nomem;
    return RB_OK;
nomem:
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}
