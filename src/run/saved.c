/* run/saved: `rumble plan --screen` — the segments, crashes, hotspots and
 * intersections of a saved `rumble screen` (or `rumble run`) GeoPackage, as
 * the analyst left them: hotspots deleted, added or redrawn in QGIS are
 * planned as they stand. */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a column the screening wrote, or an error naming the layer */
static long need_col(const struct rb_table *t, const char *name, const char *path, const char *layer,
                     struct rb_err *err)
{
    return rb_run_need_layer_col(t, name, path, layer, "rumble screen", err);
}

static int code_or(int code, int unknown)
{
    return code >= 0 ? code : unknown;
}

/* The screening's segments are the roads: their ids, routes and AADT as it
 * wrote them (rb_run_check points the roads at them). */
static int saved_network(struct rb_run *run)
{
    struct rb_config *cfg = &run->cfg;
    struct rb_roads *roads = &run->roads;
    struct rb_run_saved *sv = &run->saved;
    struct rb_err *err = &run->err;
    if (rb_vocab_read(cfg->data_dir, &run->vocab, err) || rb_costs_read(cfg->data_dir, cfg->crash_costs, &run->costs, err) ||
        rb_io_read_roads(cfg, roads, NULL, &run->log, err) ||
        (cfg->output_crs && rb_roads_output_crs(roads, cfg->output_crs, err)))
        return err->code;
    run->have_roads = 1;
    size_t n = roads->nsegs;
    sv->keys = rb_calloc(n, sizeof *sv->keys);
    sv->keybuf = rb_mallocarray(n, sizeof *sv->keybuf);
    sv->idbuf = rb_mallocarray(n, sizeof *sv->idbuf);
    sv->ids = rb_calloc(n, sizeof *sv->ids);
    if (!sv->keys || !sv->keybuf || !sv->idbuf || !sv->ids)
        return rb_err_nomem(err);
    for (size_t s = 0; s < n; s++)
        sv->ids[s] = rb_table_text(&roads->attrs, (size_t)roads->col_id, s, sv->idbuf[s], sizeof sv->idbuf[s]);
    struct rb_net_input nin = { n, roads->part0, roads->pt0, roads->xy, sv->ids, NULL, cfg->node_snap_m };
    return rb_net_build(&nin, &run->net, &run->log, run->opt.screen_path, err);
}

/* The segments' screening figures, and the routes as the screening chained them. */
static int saved_segments(struct rb_run *run)
{
    const struct rb_roads *roads = &run->roads;
    struct rb_run_saved *sv = &run->saved;
    struct rb_sites *seg = &run->seg_sites;
    struct rb_err *err = &run->err;
    size_t n = roads->nsegs;
    run->urban = rb_calloc(n, 1);
    seg->n = n;
    seg->aadt = rb_mallocarray(n, sizeof *seg->aadt);
    seg->freq_per_yr = rb_mallocarray(n, sizeof *seg->freq_per_yr);
    seg->eb_per_yr = rb_mallocarray(n, sizeof *seg->eb_per_yr);
    seg->pred_per_yr = rb_mallocarray(n, sizeof *seg->pred_per_yr);
    seg->k = rb_mallocarray(n, sizeof *seg->k);
    if (!run->urban || !seg->aadt || !seg->freq_per_yr || !seg->eb_per_yr || !seg->pred_per_yr || !seg->k)
        return rb_err_nomem(err);
    long c_freq = need_col(&roads->attrs, "freq_per_yr", run->opt.screen_path, "segments", err);
    if (c_freq < 0)
        return err->code;
    long c_eb = rb_table_find(&roads->attrs, "eb_per_yr"), c_pred = rb_table_find(&roads->attrs, "pred_per_yr");
    long c_years = rb_table_find(&roads->attrs, "n_years"), c_w = rb_table_find(&roads->attrs, "eb_weight");
    for (size_t s = 0; s < n; s++) {
        sv->keys[s] = (char *)rb_table_text(&roads->attrs, (size_t)roads->col_route, s, sv->keybuf[s],
                                            sizeof sv->keybuf[s]);
        seg->aadt[s] = rb_table_number(&roads->attrs, (size_t)roads->col_aadt, s);
        seg->freq_per_yr[s] = rb_table_number(&roads->attrs, (size_t)c_freq, s);
        seg->eb_per_yr[s] = c_eb >= 0 ? rb_table_number(&roads->attrs, (size_t)c_eb, s) : NAN;
        seg->pred_per_yr[s] = c_pred >= 0 ? rb_table_number(&roads->attrs, (size_t)c_pred, s) : NAN;
        double ny = c_years >= 0 ? rb_table_number(&roads->attrs, (size_t)c_years, s) : NAN;
        /* the overdispersion the screening used, back from its EB weight w = 1 / (1 + k years N_pred)
         * (an SPF of components has a k of its own at each site) */
        double w = c_w >= 0 ? rb_table_number(&roads->attrs, (size_t)c_w, s) : NAN;
        seg->k[s] = w > 0 && w <= 1 && seg->pred_per_yr[s] > 0 && ny >= 1 ? (1 / w - 1) / (ny * seg->pred_per_yr[s])
                                                                           : NAN;
        if (!sv->nyears && ny >= 1 && ny <= 100)
            sv->nyears = (int)ny;
        if (roads->col_area >= 0) {
            char b[40];
            run->urban[s] = (uint8_t)rb_run_is_urban(&run->vocab, rb_table_text(&roads->attrs, (size_t)roads->col_area,
                                                                                 s, b, sizeof b));
        }
    }
    if (c_eb < 0) {
        rb_free(seg->eb_per_yr);
        seg->eb_per_yr = NULL;
    }
    if (c_pred < 0) {
        rb_free(seg->pred_per_yr);
        seg->pred_per_yr = NULL;
    }
    if (rb_routes_build(&run->net, (const char *const *)sv->keys, &run->routes, err))
        return err->code;
    run->have_routes = 1;
    return RB_OK;
}

/* The crashes as matched: facts, segment, chainage, whether counted. */
static int saved_crashes(struct rb_run *run, const struct rb_id_ix *seg_ix)
{
    struct rb_run_saved *sv = &run->saved;
    const char *path = run->opt.screen_path;
    struct rb_err *err = &run->err;
    struct rb_table *ct = &sv->crashes;
    if (rb_io_read_table(path, "crashes", ct, &run->log, err))
        return err->code;
    long cc[7];
    static const char *const cnames[7] = { "severity", "crash_type", "light", "surface", "segment_id", "chainage_m",
                                           "in_study" };
    for (int k = 0; k < 7; k++)
        if ((cc[k] = need_col(ct, cnames[k], path, "crashes", err)) < 0)
            return err->code;
    long c_wx = rb_table_find(ct, "weather");   /* not in screenings saved before weather was read */
    size_t nc = ct->nrows;
    sv->pc = rb_mallocarray(nc, sizeof *sv->pc);
    sv->seg = rb_mallocarray(nc, sizeof *sv->seg);
    sv->chainage = rb_mallocarray(nc, sizeof *sv->chainage);
    sv->counted = rb_mallocarray(nc, 1);
    if (!sv->pc || !sv->seg || !sv->chainage || !sv->counted)
        return rb_err_nomem(err);
    for (size_t i = 0; i < nc; i++) {
        char b[5][64], sid[128];
        const char *v[5];
        for (int k = 0; k < 4; k++)
            v[k] = rb_table_text(ct, (size_t)cc[k], i, b[k], sizeof b[k]);
        v[4] = c_wx >= 0 ? rb_table_text(ct, (size_t)c_wx, i, b[4], sizeof b[4]) : NULL;
        sv->pc[i] = (struct rb_plan_crash){ (uint8_t)code_or(v[1] ? rb_crash_type_parse(v[1]) : -1, RB_CT_UNKNOWN),
                                            (uint8_t)code_or(v[0] ? rb_severity_parse(v[0]) : -1, RB_SEV_UNKNOWN),
                                            (uint8_t)code_or(v[2] ? rb_light_parse(v[2]) : -1, RB_LIGHT_UNKNOWN),
                                            (uint8_t)code_or(v[3] ? rb_surface_parse(v[3]) : -1, RB_SURF_UNKNOWN),
                                            (uint8_t)code_or(v[4] ? rb_weather_parse(v[4]) : -1, RB_WX_UNKNOWN),
                                            0, NAN };
        const char *s = rb_table_text(ct, (size_t)cc[4], i, sid, sizeof sid);
        sv->seg[i] = s ? rb_id_find(seg_ix, run->net.nsegs, s) : -1;
        sv->chainage[i] = rb_table_number(ct, (size_t)cc[5], i);
        double in = rb_table_number(ct, (size_t)cc[6], i);
        sv->counted[i] = sv->seg[i] >= 0 && in == in && in != 0;
    }
    return RB_OK;
}

/* The stretches to plan. */
static int saved_hotspots(struct rb_run *run, const struct rb_id_ix *route_ix)
{
    struct rb_table *ht = &run->saved.hotspots;
    struct rb_hotspots *hot = &run->hot;
    const char *path = run->opt.screen_path, *layer = run->opt.hot_layer;
    struct rb_err *err = &run->err;
    if (rb_io_read_table(path, layer, ht, &run->log, err))
        return err->code;
    long hc[3];
    static const char *const hnames[3] = { "route_id", "from_m", "to_m" };
    for (int k = 0; k < 3; k++)
        if ((hc[k] = need_col(ht, hnames[k], path, layer, err)) < 0)
            return err->code;
    hot->route = rb_mallocarray(ht->nrows, sizeof *hot->route);
    hot->from_m = rb_mallocarray(ht->nrows, sizeof *hot->from_m);
    hot->to_m = rb_mallocarray(ht->nrows, sizeof *hot->to_m);
    if (!hot->route || !hot->from_m || !hot->to_m)
        return rb_err_nomem(err);
    for (size_t i = 0; i < ht->nrows; i++) {
        char rid[128];
        const char *r = rb_table_text(ht, (size_t)hc[0], i, rid, sizeof rid);
        long route = r ? rb_id_find(route_ix, run->routes.nroutes, r) : -1;
        double f = rb_table_number(ht, (size_t)hc[1], i), t = rb_table_number(ht, (size_t)hc[2], i);
        if (route < 0 || !(f == f) || !(t == t) || t < f)
            return rb_err_set(err, RB_EINVAL, "%s: layer '%s', feature %zu: route '%s' from %g to %g is not a "
                              "stretch of a route in the segments layer", path, layer, i + 1, r ? r : "", f, t);
        hot->route[hot->n] = (uint32_t)route;
        hot->from_m[hot->n] = fmax(0, f);
        hot->to_m[hot->n++] = fmin(t, run->routes.length_m[route]);
    }
    return RB_OK;
}

/* The intersections' screening figures, by their ids in the layer. */
static void saved_junction_figures(struct rb_run *run, const struct rb_id_ix *junc_ix, const long *ic, long c_junc)
{
    struct rb_run_saved *sv = &run->saved;
    const struct rb_table *it = &sv->intersections;
    size_t nj = run->juncs.n;
    for (size_t r = 0; r < it->nrows; r++) {
        char b[64];
        const char *id = rb_table_text(it, (size_t)ic[0], r, b, sizeof b);
        long j = id ? rb_id_find(junc_ix, nj, id) : -1;
        if (j < 0)
            continue;
        double rk = rb_table_number(it, (size_t)ic[1], r), no = rb_table_number(it, (size_t)ic[2], r);
        sv->jrank[j] = rk == rk && rk > 0 ? (uint32_t)rk : 0;
        sv->jobs[j] = no == no && no > 0 ? (uint32_t)no : 0;
        sv->jfreq[j] = rb_table_number(it, (size_t)ic[3], r);
        sv->jaadt[j] = rb_table_number(it, (size_t)ic[4], r);
    }
    for (size_t i = 0; i < sv->crashes.nrows; i++) {
        char b[64];
        const char *id = rb_table_text(&sv->crashes, (size_t)c_junc, i, b, sizeof b);
        sv->cjunc[i] = id ? rb_id_find(junc_ix, nj, id) : -1;
    }
    run->int_sites.n = nj;
    run->int_sites.rank = sv->jrank;
    run->int_sites.n_obs = sv->jobs;
    run->int_sites.freq_per_yr = sv->jfreq;
    run->int_sites.aadt = sv->jaadt;
}

/* Intersections the screening ranked (network nodes; a point inventory is not
 * re-read here); none when the layer or its fields are not there. */
static int saved_intersections(struct rb_run *run)
{
    struct rb_run_saved *sv = &run->saved;
    struct rb_err *err = &run->err, ierr = { 0 };
    if (run->cfg.int_path || rb_io_read_table(run->opt.screen_path, "intersections", &sv->intersections, &run->log,
                                              &ierr) != RB_OK)
        return RB_OK;
    long ic[5];
    static const char *const inames[5] = { "intersection_id", "rank", "n_obs", "freq_per_yr", "entering_aadt" };
    for (int k = 0; k < 5; k++)
        if ((ic[k] = rb_table_find(&sv->intersections, inames[k])) < 0)
            return RB_OK;
    long c_junc = rb_table_find(&sv->crashes, "intersection_id");
    if (c_junc < 0)
        return RB_OK;
    const struct rb_config *cfg = &run->cfg;
    if (rb_junctions_from_net(&run->net, &run->routes, rb_config_choice("screen.entering", cfg->entering) == 1, &run->juncs,
                              err))
        return err->code;
    sv->have_juncs = 1;
    size_t nj = run->juncs.n, nc = sv->crashes.nrows;
    sv->jrank = rb_calloc(nj, sizeof *sv->jrank);
    sv->jobs = rb_calloc(nj, sizeof *sv->jobs);
    sv->jfreq = rb_mallocarray(nj, sizeof *sv->jfreq);
    sv->jaadt = rb_mallocarray(nj, sizeof *sv->jaadt);
    sv->jid = rb_calloc(nj, sizeof *sv->jid);
    sv->njid = sv->jid ? nj : 0;
    sv->cjunc = rb_mallocarray(nc, sizeof *sv->cjunc);
    if (!sv->jrank || !sv->jobs || !sv->jfreq || !sv->jaadt || !sv->jid || !sv->cjunc)
        return rb_err_nomem(err);
    for (size_t j = 0; j < nj; j++) {
        char b[64];
        sv->jfreq[j] = sv->jaadt[j] = NAN;
        if (!(sv->jid[j] = rb_strdup(rb_report_junction_id(&run->juncs, j, b, sizeof b))))
            return rb_err_nomem(err);
    }
    struct rb_id_ix *junc_ix = rb_id_index((const char *const *)sv->jid, nj);
    if (!junc_ix)
        return rb_err_nomem(err);
    saved_junction_figures(run, junc_ix, ic, c_junc);
    rb_free(junc_ix);
    return RB_OK;
}

int rb_run_read_screening(struct rb_run *run)
{
    struct rb_err *err = &run->err;
    if (saved_network(run) || saved_segments(run))
        return err->code;
    struct rb_id_ix *seg_ix = rb_id_index((const char *const *)run->net.ids, run->net.nsegs);
    struct rb_id_ix *route_ix = rb_id_index((const char *const *)run->routes.id, run->routes.nroutes);
    int rc = !seg_ix || !route_ix ? rb_err_nomem(err) : RB_OK;
    if (!rc)
        rc = saved_crashes(run, seg_ix);
    if (!rc)
        rc = saved_hotspots(run, route_ix);
    rb_free(seg_ix);
    rb_free(route_ix);
    if (!rc)
        rc = saved_intersections(run);
    if (!rc)
        rc = rb_run_settlements(run);
    if (!rc)
        rc = rb_run_spf(run);      /* the screening's (saved with it), for the sites' own EB */
    if (!rc && run->nspf) {        /* a set: each segment's member, typed again from its road */
        run->seg_sites.spf_ix = rb_mallocarray(run->seg_sites.n ? run->seg_sites.n : 1, sizeof *run->seg_sites.spf_ix);
        if (!run->seg_sites.spf_ix)
            return rb_err_nomem(&run->err);
        memcpy(run->seg_sites.spf_ix, run->seg_spf, run->seg_sites.n * sizeof *run->seg_spf);
    }
    return rc;
}

int rb_run_saved_settings(struct rb_run *run, const char *path, int no_config)
{
    struct rb_table t;
    struct rb_log quiet = { 0 };
    struct rb_err err = { 0 };
    int rc = rb_io_read_table(path, "settings", &t, &quiet, &err);
    rb_log_free(&quiet);
    if (rc) {
        if (no_config && rc != RB_ENOMEM)
            rb_find(&run->log, "screen_settings", 0, 1,
                    "%s holds no settings of the screening (made by a rumble before they were saved, or not by "
                    "rumble): the plan reads road fields and plans with the defaults; give the screening's "
                    "config with --config", path);
        return rc == RB_ENOMEM ? rb_err_nomem(&run->err) : RB_OK;
    }
    long ck = rb_table_find(&t, "key"), cv = rb_table_find(&t, "value");
    const char **pairs = rb_mallocarray(rb_size_mul(t.nrows ? t.nrows : 1, 2), sizeof *pairs);
    rc = !pairs ? rb_err_nomem(&run->err) : RB_OK;
    if (!rc && (ck < 0 || cv < 0))
        rc = rb_err_set(&run->err, RB_EINVAL, "%s: layer 'settings' has no field 'key' or 'value': is it a rumble "
                        "screen output?", path);
    size_t n = 0;
    for (size_t i = 0; !rc && i < t.nrows; i++) {
        const char *k = rb_table_str(&t, (size_t)ck, i);
        if (!k)
            continue;
        pairs[2 * n] = k;
        pairs[2 * n + 1] = rb_table_str(&t, (size_t)cv, i);
        n++;
    }
    if (!rc)
        rc = rb_config_replay(&run->cfg, pairs, n, path, &run->err);
    /* the roads and crashes the screening read are in it now: not read again */
    char **read[] = { &run->cfg.roads_path, &run->cfg.roads_layer, &run->cfg.crashes_path, &run->cfg.crashes_layer };
    for (size_t k = 0; k < sizeof read / sizeof *read; k++) {
        rb_free(*read[k]);
        *read[k] = NULL;
    }
    rb_free(pairs);
    rb_table_free(&t);
    return rc;
}
