/* run/locate: after matching by coordinates — the carriageway by the direction
 * of travel, the road the record names, placement by road and measure with
 * kilometre posts, the analyst's overrides, and each crash's grade. */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct overrides {
    size_t rows, applied, stale;     /* rows read; applied; no longer applying (crash or segment gone) */
};

/* kilometre posts: the marker layer, its road and value fields */
static int read_markers(const struct rb_config *cfg, const struct rb_roads *roads, const struct rb_routes *routes,
                        const struct rb_net *net, struct rb_lref *lref, struct rb_log *log, struct rb_err *err)
{
    if (!cfg->markers_path)
        return rb_lref_build(routes, net, NULL, lref, log, err);
    struct rb_points pts;
    if (rb_io_read_points(cfg->markers_path, cfg->markers_layer, "markers", roads->work_srs_wkt, &pts, log, err))
        return err->code;
    const char *rf = cfg->markers_route ? cfg->markers_route : cfg->road_route ? cfg->road_route : "route";
    const char *vf = cfg->markers_value ? cfg->markers_value : "km";
    long cr = rb_table_find(&pts.attrs, rf), cv = rb_table_find(&pts.attrs, vf);
    int rc = RB_OK;
    if (cr < 0 || cv < 0) {
        rc = rb_err_set(err, RB_EUSAGE, "%s: markers need a road field '%s' (markers.route) and a value field '%s' "
                        "(markers.value)", cfg->markers_path, rf, vf);
        rb_points_free(&pts);
        return rc;
    }
    double unit_m = cfg->measure_unit && !strcmp(cfg->measure_unit, "mi") ? 1609.344
                  : cfg->measure_unit && !strcmp(cfg->measure_unit, "m") ? 1 : 1000;
    size_t n = pts.n ? pts.n : 1;
    double *x = rb_malloc(n * sizeof *x), *y = rb_malloc(n * sizeof *y), *v = rb_malloc(n * sizeof *v);
    const char **road = rb_calloc(n, sizeof *road);
    char (*buf)[96] = rb_malloc(n * sizeof *buf);
    if (!x || !y || !v || !road || !buf) {
        rc = rb_err_nomem(err);
    } else {
        for (size_t i = 0; i < pts.n; i++) {
            char vb[64];
            x[i] = pts.xy[2 * i];
            y[i] = pts.xy[2 * i + 1];
            road[i] = rb_table_text(&pts.attrs, (size_t)cr, i, buf[i], sizeof buf[i]);
            const char *t = rb_table_text(&pts.attrs, (size_t)cv, i, vb, sizeof vb);
            double km;
            v[i] = t && rb_parse_kmpost(t, &km) ? km * unit_m : NAN;
        }
        struct rb_lref_markers mk = { pts.n, x, y, road, v, cfg->markers_path };
        rc = rb_lref_build(routes, net, &mk, lref, log, err);
    }
    rb_free(x);
    rb_free(y);
    rb_free(v);
    rb_free(road);
    rb_free(buf);
    rb_points_free(&pts);
    return rc;
}

/* The analyst's fixes, "crash_id,segment_id" rows: the crash goes onto that
 * segment (its nearest point there, or the segment's middle without
 * coordinates), whatever the matcher chose. */
static int apply_overrides(const struct rb_config *cfg, const struct rb_net *net, const struct rb_lref *lref,
                           struct rb_crashes *crashes, struct rb_match *match, struct rb_locate *loc,
                           struct overrides *ovr, struct rb_log *log, struct rb_err *err)
{
    struct rb_table t;
    if (rb_io_read_table(cfg->overrides_path, NULL, &t, log, err))
        return err->code;
    long cc = rb_table_find(&t, "crash_id"), cs = rb_table_find(&t, "segment_id");
    long croad = rb_table_find(&t, "road"), cmeas = rb_table_find(&t, "measure");
    int rc = RB_OK;
    struct rb_id_ix *cix = NULL, *six = NULL;
    const char **cids = NULL;
    if (cc < 0 || (cs < 0 && (croad < 0 || cmeas < 0))) {
        rc = rb_err_set(err, RB_EINVAL, "%s: overrides need columns crash_id and segment_id, or crash_id, road and "
                        "measure", cfg->overrides_path);
        goto done;
    }
    double unit_m = cfg->measure_unit && !strcmp(cfg->measure_unit, "mi") ? 1609.344
                  : cfg->measure_unit && !strcmp(cfg->measure_unit, "m") ? 1 : 1000;
    cids = rb_malloc((crashes->n ? crashes->n : 1) * sizeof *cids);
    if (cids)
        for (size_t i = 0; i < crashes->n; i++)
            cids[i] = crashes->str.buf + crashes->c[i].id;
    if (!cids || !(cix = rb_id_index(cids, crashes->n)) ||
        !(six = rb_id_index((const char *const *)net->ids, net->nsegs))) {
        rc = rb_err_nomem(err);
        goto done;
    }
    ovr->rows = t.nrows;
    for (size_t r = 0; r < t.nrows; r++) {
        char b1[128], b2[128], b3[128], b4[64];
        const char *cid = rb_table_text(&t, (size_t)cc, r, b1, sizeof b1);
        const char *sid = cs >= 0 ? rb_table_text(&t, (size_t)cs, r, b2, sizeof b2) : NULL;
        long i = cid ? rb_id_find(cix, crashes->n, cid) : -1;
        if ((!sid || !*sid) && croad >= 0 && cmeas >= 0 && i >= 0) {
            /* by road and measure: the analyst's km post */
            const char *road = rb_table_text(&t, (size_t)croad, r, b3, sizeof b3);
            const char *mt = rb_table_text(&t, (size_t)cmeas, r, b4, sizeof b4);
            double km;
            long route = lref && road ? rb_lref_route(lref, road) : -1;
            struct rb_match pm;
            if (route < 0 || !mt || !rb_parse_kmpost(mt, &km) ||
                !rb_lref_place(lref, (size_t)route, rb_lref_chainage(lref, (size_t)route, km * unit_m), &pm)) {
                ovr->stale++;
                rb_warn(log, RB_W_OVERRIDE, "%s: row %zu: %s; the override no longer applies", cfg->overrides_path,
                        r + 2, !lref ? "an override by road and measure needs the routes (--route-field)"
                                     : "its road and measure are not on the network");
                continue;
            }
            const struct rb_crash *c = &crashes->c[i];
            pm.offset_m = c->xy_status == RB_XY_OK ? hypot(c->x - pm.px, c->y - pm.py) : 0;
            pm.junction = match[i].junction;
            match[i] = pm;
            loc[i].by = RB_LOC_OVERRIDE;
            ovr->applied++;
            continue;
        }
        long s = sid ? rb_id_find(six, net->nsegs, sid) : -1;
        if (i < 0 || s < 0) {
            ovr->stale++;
            rb_warn(log, RB_W_OVERRIDE, "%s: row %zu: %s '%s' is not in this run; the override no longer applies",
                    cfg->overrides_path, r + 2, i < 0 ? "crash" : "segment", i < 0 ? (cid ? cid : "") : sid);
            continue;
        }
        struct rb_match *m = &match[i];
        const struct rb_crash *c = &crashes->c[i];
        struct rb_proj pr;
        if (c->xy_status == RB_XY_OK) {
            rb_net_project(net, (size_t)s, c->x, c->y, &pr);
        } else {
            /* no coordinates: the middle of the segment */
            double half = net->segs[s].length_m / 2;
            rb_net_project(net, (size_t)s, net->xy[2 * net->pt0[net->segs[s].part0]],
                           net->xy[2 * net->pt0[net->segs[s].part0] + 1], &pr);
            for (size_t p = net->segs[s].part0; p < net->segs[s].part0 + net->segs[s].nparts; p++)
                for (size_t k = net->pt0[p]; k + 1 < net->pt0[p + 1]; k++)
                    if (net->m[k] <= half && net->m[k + 1] >= half && net->m[k + 1] > net->m[k]) {
                        double f = (half - net->m[k]) / (net->m[k + 1] - net->m[k]);
                        pr.px = net->xy[2 * k] + f * (net->xy[2 * k + 2] - net->xy[2 * k]);
                        pr.py = net->xy[2 * k + 1] + f * (net->xy[2 * k + 3] - net->xy[2 * k + 1]);
                        pr.measure_m = half;
                    }
            pr.dist_m = 0;
            pr.side = 0;
        }
        *m = (struct rb_match){ .seg = s, .offset_m = pr.dist_m, .measure_m = pr.measure_m, .px = pr.px,
                                .py = pr.py, .side = (int8_t)pr.side, .junction = m->junction, .alt_seg = -1,
                                .alt_offset_m = NAN, .nearest_m = NAN };
        loc[i].by = RB_LOC_OVERRIDE;
        ovr->applied++;
    }
done:
    rb_free(cids);
    rb_free(cix);
    rb_free(six);
    rb_table_free(&t);
    return rc;
}

/* The road each record names, against the segments' route and name keys. */
static int road_hints(const struct rb_config *cfg, const struct rb_roads *roads, const struct rb_net *net,
                      const struct rb_netindex *ix, const struct rb_match_opt *mopt, struct rb_crashes *crashes,
                      struct rb_match *match, struct rb_locate *loc, struct rb_err *err)
{
    size_t ns = net->nsegs, n = crashes->n;
    char (*kbuf)[96] = rb_malloc((2 * ns + n + 1) * sizeof *kbuf);
    const char **rk = rb_calloc(ns ? ns : 1, sizeof *rk), **nk = rb_calloc(ns ? ns : 1, sizeof *nk);
    const char **hk = rb_calloc(n ? n : 1, sizeof *hk);
    uint8_t *h = rb_malloc(n ? n : 1);
    int rc = !kbuf || !rk || !nk || !hk || !h ? rb_err_nomem(err) : RB_OK;
    for (size_t s = 0; s < ns && !rc; s++) {
        char b[256];
        const char *t;
        if (roads->col_route >= 0 && (t = rb_table_text(&roads->attrs, (size_t)roads->col_route, s, b, sizeof b))) {
            rb_road_key(t, kbuf[s], sizeof kbuf[s]);
            rk[s] = kbuf[s];
        }
        if (roads->col_name >= 0 && (t = rb_table_text(&roads->attrs, (size_t)roads->col_name, s, b, sizeof b))) {
            rb_road_key(t, kbuf[ns + s], sizeof kbuf[ns + s]);
            nk[s] = kbuf[ns + s];
        }
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (crashes->c[i].road != RB_NOSTR) {
            rb_road_key(crashes->str.buf + crashes->c[i].road, kbuf[2 * ns + i], sizeof kbuf[2 * ns + i]);
            hk[i] = kbuf[2 * ns + i];
        }
    if (!rc)
        rc = rb_match_hints(net, ix, mopt, rk, nk, hk, &crashes->c[0].x, &crashes->c[0].y, sizeof *crashes->c, n,
                            match, h, err);
    for (size_t i = 0; i < n && !rc; i++)
        loc[i].hint = h[i];
    rb_free(kbuf);
    rb_free(rk);
    rb_free(nk);
    rb_free(hk);
    rb_free(h);
    return rc;
}

int8_t *rb_run_seg_grades(const struct rb_roads *roads, const struct rb_vocab *vocab)
{
    if (roads->col_layer < 0 && roads->col_bridge < 0 && roads->col_tunnel < 0)
        return NULL;
    int8_t *g = rb_malloc(roads->nsegs ? roads->nsegs : 1);
    for (size_t s = 0; g && s < roads->nsegs; s++) {
        double l = roads->col_layer >= 0 ? rb_table_number(&roads->attrs, (size_t)roads->col_layer, s) : NAN;
        int br = rb_run_road_flag(roads, vocab, roads->col_bridge, s);
        int tu = rb_run_road_flag(roads, vocab, roads->col_tunnel, s);
        /* the layer when given (OSM: 1 a bridge, -1 a tunnel), else the flags;
         * with none of them known, the grade is unknown */
        g[s] = l == l && fabs(l) <= 10 ? (int8_t)lround(l)
             : br == 1 ? 1 : tu == 1 ? -1 : br == 0 || tu == 0 || roads->col_layer >= 0 ? 0 : RB_GRADE_UNKNOWN;
    }
    return g;
}

static int locate_crashes(const struct rb_config *cfg, const struct rb_roads *roads, const struct rb_net *net,
                   const struct rb_netindex *ix, const struct rb_match_opt *mopt, const struct rb_routes *routes, struct rb_crashes *crashes, struct rb_match *match, int lr_on,
                   struct rb_locate **loc, struct rb_lref *lref, struct overrides *ovr, struct rb_log *log,
                   struct rb_err *err)
{
    size_t n = crashes->n;
    *loc = rb_mallocarray(n, sizeof **loc);
    const char **road = lr_on ? rb_calloc(n ? n : 1, sizeof *road) : NULL;
    double *meas = lr_on ? rb_malloc((n ? n : 1) * sizeof *meas) : NULL;
    int rc = RB_OK;
    if (!*loc || (lr_on && (!road || !meas))) {
        rc = rb_err_nomem(err);
        goto done;
    }
    for (size_t i = 0; lr_on && i < n; i++) {
        const struct rb_crash *c = &crashes->c[i];
        road[i] = c->road != RB_NOSTR ? crashes->str.buf + c->road : NULL;
        meas[i] = c->measure_m;
    }
    memset(*loc, 0, (n ? n : 1) * sizeof **loc);
    /* the carriageway by the direction of travel, then the road by its name */
    if (cfg->direction_field && net->nsegs) {
        double *dir = rb_malloc((n ? n : 1) * sizeof *dir);
        uint8_t *d = rb_malloc(n ? n : 1);
        if (!dir || !d) {
            rb_free(dir);
            rb_free(d);
            rc = rb_err_nomem(err);
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            dir[i] = crashes->c[i].dir_deg;
        rc = rb_match_direction(net, ix, mopt, dir, &crashes->c[0].x, &crashes->c[0].y, sizeof *crashes->c, n, match,
                                d, err);
        for (size_t i = 0; i < n && !rc; i++)
            (*loc)[i].dir = d[i];
        rb_free(dir);
        rb_free(d);
        if (rc)
            goto done;
    }
    /* the road the record names, where a match by coordinates could be wrong
     * (crashes known by road and measure alone have none to correct) */
    size_t to_check = 0;
    for (size_t i = 0; i < n && cfg->road_field; i++)
        to_check += match[i].seg >= 0 && crashes->c[i].road != RB_NOSTR;
    if (to_check && (roads->col_route >= 0 || roads->col_name >= 0) && net->nsegs &&
        (rc = road_hints(cfg, roads, net, ix, mopt, crashes, match, *loc, err)))
        goto done;
    if (lr_on && (rc = read_markers(cfg, roads, routes, net, lref, log, err)))
        goto done;
    rb_locate_measures(lr_on ? lref : NULL, road, meas, n, cfg->lr_check_m, match, *loc);
    for (size_t i = 0; i < n; i++)
        if ((*loc)[i].lr == RB_LR_ROUTE_UNKNOWN || (*loc)[i].lr == RB_LR_BEYOND_ROUTE ||
            (*loc)[i].lr == RB_LR_DISAGREE)
            rb_warn(log, RB_W_LOCATION, "%s: crash '%s': %s", crashes->path, crashes->str.buf + crashes->c[i].id,
                    (*loc)[i].lr == RB_LR_ROUTE_UNKNOWN ? "its road is not a route of the network"
                    : (*loc)[i].lr == RB_LR_BEYOND_ROUTE ? "its measure lies beyond its road's ends"
                                                          : "its coordinates and its road and measure disagree");
    /* overrides by road and measure need the routes indexed even without --measure-field */
    int lref_ok = lr_on;
    if (cfg->overrides_path && !lr_on && routes) {
        if ((rc = rb_lref_build(routes, net, NULL, lref, log, err)))
            goto done;
        lref_ok = 1;
    }
    if (cfg->overrides_path &&
        (rc = apply_overrides(cfg, net, lref_ok ? lref : NULL, crashes, match, *loc, ovr, log, err)))
        goto done;
    rb_locate_grade(lr_on ? lref : NULL, routes, match, *loc, n);
    /* crashes placed by road and measure (or put by an override without
     * coordinates) are drawn where they were placed */
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        np += match[i].seg >= 0 && crashes->c[i].xy_status != RB_XY_OK;
    if (np) {
        double *xy = rb_malloc(2 * np * sizeof *xy);
        if (!xy) {
            rc = rb_err_nomem(err);
            goto done;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (match[i].seg >= 0 && crashes->c[i].xy_status != RB_XY_OK) {
                xy[2 * k] = match[i].px;
                xy[2 * k + 1] = match[i].py;
                k++;
            }
        rc = rb_io_to_output_crs(roads, xy, np, err);
        k = 0;
        for (size_t i = 0; i < n && !rc; i++)
            if (match[i].seg >= 0 && crashes->c[i].xy_status != RB_XY_OK) {
                crashes->c[i].out_x = xy[2 * k];
                crashes->c[i].out_y = xy[2 * k + 1];
                k++;
            }
        rb_free(xy);
    }
done:
    rb_free(road);
    rb_free(meas);
    return rc;
}

int rb_run_locate(struct rb_run *run, const struct rb_match_opt *mopt, int lr_on)
{
    struct overrides ovr = { 0 };
    int rc = locate_crashes(&run->cfg, &run->roads, &run->net, &run->ix, mopt, run->have_routes ? &run->routes : NULL,
                            &run->crashes, run->match, lr_on, &run->locate, &run->lref, &ovr, &run->log, &run->err);
    run->overrides_rows = ovr.rows;
    run->overrides_applied = ovr.applied;
    run->overrides_stale = ovr.stale;
    return rc;
}
