/* report/tables: the crashes and segments output layers. */
#include "report/tables.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Output fields added to each input's own. An input field with one of these
 * names (any case) is written as src_<name> so ours stay a stable contract. */
const char *const rb_crash_fields[] = {
    "crash_id", "n_records", "severity", "crash_type", "light", "surface", "weather", "crash_date", "crash_time",
    "road_ref", "in_study", "segment_id", "offset_m", "measure_m", "side", "match_status",
    "unmatched_reason", "ambiguous", "alt_segment_id", "alt_offset_m", "grade_separated", "junction",
    "nearest_m", "duplicate_id", "date_invalid", NULL
};
const char *const rb_segment_fields[] = {
    "segment_id", "route_id", "length_m", "aadt", "n_years", "n_obs", "n_k", "n_a", "n_b",
    "n_c", "n_o", "n_u", "freq_per_yr", "crashes_per_km_yr", "rate_per_mvkm", "epdo",
    "epdo_per_yr", "rank", "geom_issue", NULL
};

const char *const rb_rank_measures[] = {
    "epdo_per_yr", "epdo", "freq_per_yr", "crashes_per_km_yr", "rate_per_mvkm", "n_obs", NULL
};

const char *rb_rank_measure(const char *name)
{
    if (!name)
        return rb_rank_measures[0];
    for (size_t i = 0; rb_rank_measures[i]; i++)
        if (!strcmp(name, rb_rank_measures[i]))
            return rb_rank_measures[i];
    return NULL;
}

/* The values of a ranking measure, per segment; n_obs is copied into tmp. */
const double *rb_rank_values(const struct rb_segstats *st, const char *measure, double *tmp)
{
    if (!strcmp(measure, "epdo_per_yr"))
        return st->nyears ? st->epdo_per_yr : st->epdo;   /* without a period, EPDO over all */
    if (!strcmp(measure, "epdo")) return st->epdo;
    if (!strcmp(measure, "freq_per_yr")) return st->freq_per_yr;
    if (!strcmp(measure, "crashes_per_km_yr")) return st->per_km_yr;
    if (!strcmp(measure, "rate_per_mvkm")) return st->rate_per_mvkm;
    for (size_t s = 0; s < st->nsegs; s++)
        tmp[s] = st->n_obs[s];
    return tmp;
}

static int reserved(const char *name, const char *const *ours, const char *const *extra)
{
    for (size_t i = 0; ours[i]; i++)
        if (strcasecmp(name, ours[i]) == 0)
            return 1;
    for (size_t i = 0; extra && extra[i]; i++)
        if (strcasecmp(name, extra[i]) == 0)
            return 1;
    /* fid is the GeoPackage's; the others a partition's (rumble match --partition, rumble merge) */
    static const char *const kept[] = { "fid", "partition", "crash_seq", "road_seq" };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (strcasecmp(name, kept[i]) == 0)
            return 1;
    return 0;
}

/* Adds the input's columns to the layer, renaming those that clash with ours. */
static int add_input_cols(struct rb_out_layer *o, const struct rb_table *in,
                          const char *const *ours, const char *const *extra)
{
    o->names = rb_calloc(in->ncols ? in->ncols : 1, sizeof *o->names);
    if (!o->names)
        return RB_ENOMEM;
    o->nnames = in->ncols;
    for (size_t k = 0; k < in->ncols; k++) {
        const char *name = in->cols[k].name;
        char buf[300];
        snprintf(buf, sizeof buf, "%s%s", reserved(name, ours, extra) ? "src_" : "", name);
        if (!(o->names[k] = rb_strdup(buf)) || rb_layer_add_col(&o->layer, o->names[k], in, k))
            return RB_ENOMEM;
    }
    return RB_OK;
}

enum { C_ID, C_NREC, C_SEV, C_TYPE, C_LIGHT, C_SURF, C_WX, C_DATE, C_TIME, C_ROAD, C_INSTUDY, C_SEG, C_OFF,
       C_MEAS, C_SIDE, C_STATUS, C_REASON, C_AMB, C_ALTSEG, C_ALTOFF, C_GRADE, C_JUNC, C_NEAR, C_DUP,
       C_DATEBAD, C_N };

int rb_report_crashes(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_crashes *cr = run->crashes;
    size_t n = cr->n;
    o->layer.name = "crashes";
    o->layer.nrows = n;
    static const int types[C_N] = {
        RB_FT_STRING, RB_FT_INT, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING,
        RB_FT_STRING, RB_FT_STRING, RB_FT_INT, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL,
        RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_INT, RB_FT_STRING, RB_FT_REAL, RB_FT_INT,
        RB_FT_INT, RB_FT_REAL, RB_FT_INT, RB_FT_INT
    };
    size_t col[C_N];
    /* our fields first, so they lead the attribute table in QGIS */
    for (int k = 0; k < C_N; k++)
        if (rb_report_own_col(o, rb_crash_fields[k], types[k], &col[k]))
            goto nomem;
    size_t c_route = 0, c_chain = 0, c_junc = 0;
    if (run->routes && (rb_report_own_col(o, "route_id", RB_FT_STRING, &c_route) ||
                        rb_report_own_col(o, "chainage_m", RB_FT_REAL, &c_chain)))
        goto nomem;
    if (run->crash_junction && rb_report_own_col(o, "intersection_id", RB_FT_STRING, &c_junc))
        goto nomem;
    /* the vehicles its records name (crashes.vehicle), ';'-separated */
    size_t c_veh = 0;
    int vehs = run->cfg->vehicle.field != NULL;
    if (vehs && rb_report_own_col(o, "vehicles", RB_FT_STRING, &c_veh))
        goto nomem;
    /* how it was located, and how well */
    size_t c_by = 0, c_q = 0, c_lr = 0, c_lrd = 0, c_hint = 0, c_dir = 0;
    int dirs = run->locate && run->cfg->direction_field;
    int hints = run->locate && run->cfg->road_field;
    if (run->locate && (rb_report_own_col(o, "located_by", RB_FT_STRING, &c_by) ||
                        rb_report_own_col(o, "match_quality", RB_FT_STRING, &c_q)))
        goto nomem;
    if (hints && rb_report_own_col(o, "road_hint", RB_FT_STRING, &c_hint))
        goto nomem;
    if (dirs && rb_report_own_col(o, "travel_direction", RB_FT_STRING, &c_dir))
        goto nomem;
    if (run->lref && (rb_report_own_col(o, "lr_status", RB_FT_STRING, &c_lr) ||
                      rb_report_own_col(o, "lr_distance_m", RB_FT_REAL, &c_lrd)))
        goto nomem;
    static const int flags[] = { C_INSTUDY, C_AMB, C_GRADE, C_JUNC, C_DUP, C_DATEBAD };
    for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
        o->own.cols[col[flags[k]]].boolean = 1;
    if (add_input_cols(o, &cr->attrs, rb_crash_fields, NULL))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        if (rb_table_add_row(&o->own))
            goto nomem;
    struct rb_table *t = &o->own;
    for (size_t i = 0; i < n; i++) {
        const struct rb_crash *c = &cr->c[i];
        const struct rb_match *m = &run->match[i];
        char buf[64];
        if (rb_table_set_str(t, col[C_ID], i, rb_pool_str(&cr->str, c->id)))
            goto nomem;
        t->cols[col[C_NREC]].i[i] = c->nrecords;
        if (rb_table_set_str(t, col[C_SEV], i, rb_severity_code(c->severity)) ||
            rb_table_set_str(t, col[C_TYPE], i, rb_crash_type_name(c->crash_type)) ||
            rb_table_set_str(t, col[C_LIGHT], i, rb_light_name(c->light)) ||
            rb_table_set_str(t, col[C_SURF], i, rb_surface_name(c->surface)) ||
            rb_table_set_str(t, col[C_WX], i, rb_weather_name(c->weather)))
            goto nomem;
        if (vehs && c->vehicles) {
            char v[128] = "";
            for (int k = 0; k < RB_NVEH; k++)
                if (c->vehicles >> k & 1)
                    snprintf(v + strlen(v), sizeof v - strlen(v), "%s%s", *v ? ";" : "", rb_vehicle_name(k));
            if (rb_table_set_str(t, c_veh, i, v))
                goto nomem;
        }
        if (c->date_days != RB_NODATE) {
            int y, mo, d;
            rb_ymd_from_days(c->date_days, &y, &mo, &d);
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
            if (rb_table_set_str(t, col[C_DATE], i, buf))
                goto nomem;
        }
        if (c->time_min >= 0) {
            snprintf(buf, sizeof buf, "%02d:%02d", c->time_min / 60, c->time_min % 60);
            if (rb_table_set_str(t, col[C_TIME], i, buf))
                goto nomem;
        }
        if (rb_table_set_str(t, col[C_ROAD], i, rb_pool_str(&cr->str, c->road)))
            goto nomem;
        /* counted: on a segment, or at an intersection, within the study period */
        int64_t jn = run->crash_junction ? run->crash_junction[i] : -1;
        t->cols[col[C_INSTUDY]].i[i] = (m->seg >= 0 || jn >= 0) && rb_in_period(run->period, c->date_days);
        if (jn >= 0 && rb_table_set_str(t, c_junc, i, rb_report_junction_id(run->junctions, (size_t)jn, buf,
                                                                                sizeof buf)))
            goto nomem;
        if (m->seg >= 0) {
            if (rb_table_set_str(t, col[C_SEG], i, run->net->ids[m->seg]) ||
                rb_table_set_str(t, col[C_SIDE], i, m->side > 0 ? "left" : m->side < 0 ? "right" : "on") ||
                rb_table_set_str(t, col[C_STATUS], i, "matched"))
                goto nomem;
            t->cols[col[C_OFF]].d[i] = rb_report_mm(m->offset_m);
            t->cols[col[C_MEAS]].d[i] = rb_report_mm(m->measure_m);
            t->cols[col[C_AMB]].i[i] = m->ambiguous;
            t->cols[col[C_GRADE]].i[i] = m->grade_sep;
            t->cols[col[C_JUNC]].i[i] = m->junction;
            if (m->alt_seg >= 0) {
                if (rb_table_set_str(t, col[C_ALTSEG], i, run->net->ids[m->alt_seg]))
                    goto nomem;
                t->cols[col[C_ALTOFF]].d[i] = rb_report_mm(m->alt_offset_m);
            }
            if (run->routes) {
                if (rb_table_set_str(t, c_route, i, run->routes->id[run->routes->route_of[m->seg]]))
                    goto nomem;
                t->cols[c_chain].d[i] = rb_report_mm(run->chainage_m[i]);
            }
        } else {
            if (rb_table_set_str(t, col[C_STATUS], i, "unmatched") ||
                rb_table_set_str(t, col[C_REASON], i, rb_unmatched_name(m->reason)))
                goto nomem;
            t->cols[col[C_NEAR]].d[i] = rb_report_mm(m->nearest_m);
        }
        t->cols[col[C_DUP]].i[i] = c->dup_id;
        t->cols[col[C_DATEBAD]].i[i] = c->date_bad;
        if (run->locate) {
            const struct rb_locate *l = &run->locate[i];
            if (rb_table_set_str(t, c_by, i, rb_located_by_name(l->by)) ||
                rb_table_set_str(t, c_q, i, rb_quality_name(l->quality)) ||
                (run->lref && rb_table_set_str(t, c_lr, i, rb_lr_status_name(l->lr))) ||
                (hints && rb_table_set_str(t, c_hint, i, rb_hint_name(l->hint))) ||
                (dirs && rb_table_set_str(t, c_dir, i, rb_direction_name(l->dir))))
                goto nomem;
            if (run->lref)
                t->cols[c_lrd].d[i] = rb_report_mm(l->lr_dist_m);
        }
    }
    if (rb_report_points(o, n, &cr->c[0].out_x, &cr->c[0].out_y, sizeof *cr->c))
        goto nomem;
    return RB_OK;
nomem:
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}

enum { S_ID, S_ROUTE, S_LEN, S_AADT, S_NYEARS, S_NOBS, S_NK, S_NA, S_NB, S_NC, S_NO, S_NU,
       S_FREQ, S_PERKM, S_RATE, S_EPDO, S_EPDOY, S_RANK, S_ISSUE, S_N };

/* Input fields named like our per-year fields (n_2019, ...) also get the
 * src_ prefix. */
static int prefix_year_clashes(struct rb_out_layer *o, size_t ycol0, int nyears)
{
    for (size_t k = 0; k < o->nnames; k++) {
        for (int y = 0; y < nyears; y++) {
            if (strcasecmp(o->names[k], o->own.cols[ycol0 + (size_t)y].name) == 0) {
                char buf[300];
                snprintf(buf, sizeof buf, "src_%s", o->names[k]);
                char *nn = rb_strdup(buf);
                if (!nn)
                    return RB_ENOMEM;
                rb_free(o->names[k]);
                o->names[k] = nn;
                o->layer.cols[o->own.ncols + k].name = nn;
            }
        }
    }
    return RB_OK;
}

/* The segments' ranks (to rb_free) by the chosen measure, then by crash
 * count, then by input order. */
static int segment_ranks(const struct rb_match_run *run, uint32_t **rank, struct rb_err *err)
{
    const struct rb_segstats *st = run->stats;
    size_t n = run->net->nsegs;
    *rank = rb_mallocarray(n ? n : 1, sizeof **rank);
    double *tie = rb_mallocarray(n ? n : 1, sizeof *tie);
    double *tmp = rb_mallocarray(n ? n : 1, sizeof *tmp);
    int rc = !*rank || !tie || !tmp ? rb_err_nomem(err) : RB_OK;
    if (!rc) {
        for (size_t s = 0; s < n; s++)
            tie[s] = st->n_obs[s];
        const char *measure = rb_rank_measure(run->cfg->rank_by);
        rc = rb_rank_desc(rb_rank_values(st, measure ? measure : rb_rank_measures[0], tmp), tie, n, *rank, err);
    }
    rb_free(tmp);
    rb_free(tie);
    if (rc) {
        rb_free(*rank);
        *rank = NULL;
    }
    return rc;
}

/* The segments' geometry as read (not cleaned), still in the working CRS. */
static int segment_geometry(const struct rb_roads *rd, size_t n, struct rb_out_layer *o)
{
    size_t nparts = rd->part0[n], npts = rd->pt0[nparts];
    o->part_off = rb_mallocarray(n + 1, sizeof *o->part_off);
    o->pt_off = rb_mallocarray(nparts + 1, sizeof *o->pt_off);
    o->xy = rb_mallocarray(rb_size_mul(npts ? npts : 1, 2), sizeof *o->xy);
    if (!o->part_off || !o->pt_off || !o->xy)
        return RB_ENOMEM;
    memcpy(o->part_off, rd->part0, (n + 1) * sizeof *o->part_off);
    memcpy(o->pt_off, rd->pt0, (nparts + 1) * sizeof *o->pt_off);
    memcpy(o->xy, rd->xy, npts * 2 * sizeof *o->xy);
    o->layer.geom = RB_GEOM_LINE;
    o->layer.part_off = o->part_off;
    o->layer.pt_off = o->pt_off;
    o->layer.xy = o->xy;
    return RB_OK;
}

int rb_report_segments(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    const struct rb_net *net = run->net;
    const struct rb_roads *rd = run->roads;
    const struct rb_segstats *st = run->stats;
    size_t n = net->nsegs;
    uint32_t *rank = NULL;
    o->layer.name = "segments";
    o->layer.nrows = n;
    static const int types[S_N] = {
        RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_INT, RB_FT_INT, RB_FT_INT,
        RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_REAL, RB_FT_REAL,
        RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_INT, RB_FT_STRING
    };
    size_t col[S_N];
    for (int k = 0; k < S_N; k++)
        if (rb_report_own_col(o, rb_segment_fields[k], types[k], &col[k]))
            goto nomem;
    /* crashes per study year: n_2016, n_2017, ... */
    size_t ycol0 = o->own.ncols;
    for (int y = 0; y < st->nyears; y++) {
        char name[16];
        snprintf(name, sizeof name, "n_%d", st->first_year + y);
        size_t c;
        if (rb_report_own_col(o, name, RB_FT_INT, &c))
            goto nomem;
    }
    /* rumble screen adds the chainage and the site measures */
    const char *scr_names[2 + RB_NSITE_FIELDS + 4] = { "from_m", "to_m" };
    for (size_t k = 0; k < RB_NSITE_FIELDS; k++)
        scr_names[2 + k] = rb_site_fields[k];
    scr_names[2 + RB_NSITE_FIELDS] = "population";   /* and these, when they are written */
    scr_names[3 + RB_NSITE_FIELDS] = "spf";
    scr_names[4 + RB_NSITE_FIELDS] = "spf_cmf";
    scr_names[5 + RB_NSITE_FIELDS] = NULL;
    size_t scr_col[2 + RB_NSITE_FIELDS];
    size_t nscr = run->seg_sites ? 2 + RB_NSITE_FIELDS : 0;
    for (size_t k = 0; k < nscr; k++)
        if (rb_report_own_col(o, scr_names[k], RB_FT_REAL, &scr_col[k]))
            goto nomem;
    size_t pcol = 0;
    int with_pop = run->seg_sites && run->pop_names && run->seg_sites->pop;
    if (with_pop && rb_report_own_col(o, "population", RB_FT_STRING, &pcol))
        goto nomem;
    /* a set of SPFs: the member each segment took */
    size_t spfcol = 0;
    int with_spf = run->seg_sites && run->spf_set && run->seg_spf;
    if (with_spf && rb_report_own_col(o, "spf", RB_FT_STRING, &spfcol))
        goto nomem;
    /* SPFs with CMFs for actual conditions: each segment's product of them */
    size_t cmfcol = 0;
    int with_cmf = 0;
    for (size_t m = 0; run->seg_sites && run->spf && m < (run->spf_set ? run->nspf : 1); m++)
        with_cmf |= (run->spf_set ? run->spfs : run->spf)[m].ncmf > 0;
    if (with_cmf && rb_report_own_col(o, "spf_cmf", RB_FT_REAL, &cmfcol))
        goto nomem;
    if (add_input_cols(o, &rd->attrs, rb_segment_fields, scr_names))
        goto nomem;
    if (prefix_year_clashes(o, ycol0, st->nyears))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        if (rb_table_add_row(&o->own))
            goto nomem;
    int rrc = segment_ranks(run, &rank, err);
    if (rrc) {
        rb_out_layer_free(o);
        return rrc;
    }
    struct rb_table *t = &o->own;
    for (size_t s = 0; s < n; s++) {
        const struct rb_seg *g = &net->segs[s];
        if (rb_table_set_str(t, col[S_ID], s, net->ids[s]))
            goto nomem;
        if (rd->col_route >= 0) {
            char buf[40];
            if (rb_table_set_str(t, col[S_ROUTE], s,
                                 rb_table_text(&rd->attrs, (size_t)rd->col_route, s, buf, sizeof buf)))
                goto nomem;
        }
        t->cols[col[S_LEN]].d[s] = rb_report_mm(g->length_m);
        t->cols[col[S_AADT]].d[s] = g->aadt;
        if (st->nyears)
            t->cols[col[S_NYEARS]].i[s] = st->nyears;
        t->cols[col[S_NOBS]].i[s] = st->n_obs[s];
        for (int k = 0; k < RB_NSEV; k++)
            t->cols[col[S_NK + k]].i[s] = st->n_sev[s * RB_NSEV + (size_t)k];
        t->cols[col[S_FREQ]].d[s] = st->freq_per_yr[s];
        t->cols[col[S_PERKM]].d[s] = st->per_km_yr[s];
        t->cols[col[S_RATE]].d[s] = st->rate_per_mvkm[s];
        t->cols[col[S_EPDO]].d[s] = st->epdo[s];
        t->cols[col[S_EPDOY]].d[s] = st->epdo_per_yr[s];
        t->cols[col[S_RANK]].i[s] = run->seg_sites ? run->seg_sites->rank[s] : rank[s];
        if (run->seg_sites) {
            const struct rb_sites *ss = run->seg_sites;
            double v[RB_NSITE_FIELDS];
            t->cols[scr_col[0]].d[s] = rb_report_mm(ss->from_m[s]);
            t->cols[scr_col[1]].d[s] = rb_report_mm(ss->to_m[s]);
            rb_report_site_values(ss, s, v);
            for (size_t k = 0; k < RB_NSITE_FIELDS; k++)
                t->cols[scr_col[2 + k]].d[s] = v[k];
            if (with_cmf)
                t->cols[cmfcol].d[s] = ss->cmf[s];
            if (rb_table_set_str(t, col[S_ROUTE], s, run->routes->id[run->routes->route_of[s]]) ||
                (with_pop && rb_table_set_str(t, pcol, s, run->pop_names[ss->pop[s]])) ||
                (with_spf && rb_table_set_str(t, spfcol, s, run->spfs[run->seg_spf[s]].id)))
                goto nomem;
        }
        const char *issue = g->flags & RB_SEG_ZERO ? "zero_length"
                          : g->flags & RB_SEG_NOGEOM ? "no_geometry"
                          : g->flags & RB_SEG_OVERLAP ? "overlaps_itself"
                          : g->flags & RB_SEG_DUP_ID ? "duplicate_id" : NULL;
        if (rb_table_set_str(t, col[S_ISSUE], s, issue))
            goto nomem;
        for (int y = 0; y < st->nyears; y++)
            t->cols[ycol0 + (size_t)y].i[s] = st->n_year[s * (size_t)st->nyears + (size_t)y];
    }
    rb_free(rank);
    rank = NULL;
    if (segment_geometry(rd, n, o))
        goto nomem;
    return RB_OK;
nomem:
    rb_free(rank);
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}


int rb_report_rejected(const struct rb_match_run *run, struct rb_out_layer *o, struct rb_err *err)
{
    const struct rb_crashes *cr = run->crashes;
    memset(o, 0, sizeof *o);
    o->layer.name = "rejected";
    o->layer.geom = RB_GEOM_NONE;
    size_t c_row, c_reason, c_text;
    if (rb_report_own_col(o, "row", RB_FT_INT, &c_row) || rb_report_own_col(o, "reason", RB_FT_STRING, &c_reason) ||
        rb_report_own_col(o, "text", RB_FT_STRING, &c_text))
        return rb_err_nomem(err);
    struct rb_table *t = &o->own;
    for (size_t i = 0; i < cr->nrej; i++) {
        const struct rb_rejected *r = &cr->rej[i];
        if (rb_table_add_row(t) || rb_table_set_str(t, c_reason, i, r->reason) ||
            rb_table_set_str(t, c_text, i, cr->str.buf + r->text))
            return rb_err_nomem(err);
        t->cols[c_row].i[i] = r->row;
    }
    o->layer.nrows = t->nrows;
    return RB_OK;
}
