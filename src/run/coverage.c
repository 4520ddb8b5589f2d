/* run/coverage: what the network already has (plan/coverage.h) — lit road
 * from the roads' lighting flag (roads.lit), and existing assets from a
 * layer of points and lines (assets.path), each placed on its road: a
 * device's zone of effect (its catalogue zone, for the traffic it faces), a
 * line its extent. Figures for the network and each route; each segment's
 * present countermeasures for the plan, which does not propose them again. */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rb_run_coverage_free(struct rb_run_coverage *c)
{
    for (size_t k = 0; k < c->nkinds; k++) {
        rb_free(c->kind[k].iv);
        rb_free(c->kind[k].at);
        rb_free(c->kind[k].route);
    }
    rb_free(c->kind);
    memset(c, 0, sizeof *c);
}

/* The kind of a countermeasure's assets, added when new; NULL for want of memory. */
static struct rb_cov_kind *kind_of(struct rb_run_coverage *c, const char *id, int cm, size_t nroutes)
{
    for (size_t k = 0; k < c->nkinds; k++)
        if (c->kind[k].cm == cm)
            return &c->kind[k];
    struct rb_cov_kind *n = rb_realloc(c->kind, (c->nkinds + 1) * sizeof *n);
    if (!n)
        return NULL;
    c->kind = n;
    struct rb_cov_kind *k = &c->kind[c->nkinds];
    memset(k, 0, sizeof *k);
    snprintf(k->id, sizeof k->id, "%s", id);
    k->cm = cm;
    if (!(k->route = rb_calloc(nroutes ? nroutes : 1, sizeof *k->route)))
        return NULL;
    c->nkinds++;
    return k;
}

static int add_iv(struct rb_cov_kind *k, size_t *cap, uint32_t route, double a, double b)
{
    if (k->niv == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        struct rb_cov_iv *n = rb_realloc(k->iv, nc * sizeof *n);
        if (!n)
            return RB_ENOMEM;
        k->iv = n;
        *cap = nc;
    }
    k->iv[k->niv++] = (struct rb_cov_iv){ route, a, b };
    return RB_OK;
}

/* The bearing (degrees from north, clockwise) of segment s's digitised
 * direction at measure m. */
static double seg_bearing(const struct rb_net *net, size_t s, double m)
{
    const struct rb_seg *g = &net->segs[s];
    for (size_t p = g->part0; p < g->part0 + g->nparts; p++)
        for (size_t i = net->pt0[p]; i + 1 < net->pt0[p + 1]; i++)
            if (net->m[i + 1] >= m || (p + 1 == g->part0 + g->nparts && i + 2 == net->pt0[p + 1])) {
                double dx = net->xy[2 * i + 2] - net->xy[2 * i], dy = net->xy[2 * i + 3] - net->xy[2 * i + 1];
                double b = atan2(dx, dy) * 57.29577951308232;
                return b < 0 ? b + 360 : b;
            }
    return NAN;
}

/* The assets: read, in the working CRS, each on its road. */
static int read_assets(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_coverage *cv = &run->ps.cov;
    struct rb_err *err = &run->err;
    const struct rb_routes *R = &run->routes;
    const char *f_cm = cfg->assets_cm ? cfg->assets_cm : "countermeasure";
    struct rb_shapes sh = { 0 };
    const struct rb_shapes_req req = { cfg->assets_layer, NULL, 1 };   /* every field: an inventory is small */
    if (rb_io_read_shapes(cfg->assets_path, &req, 1, &sh, &run->log, err))
        return err->code;
    int rc = RB_OK;
    /* the direction: the field named, else one called bearing; the id: the field named, else id */
    long c_cm = rb_table_find(&sh.attrs, f_cm);
    int dir_named = cfg->assets_dir && *cfg->assets_dir;
    long c_dir = rb_table_find(&sh.attrs, dir_named ? cfg->assets_dir : "bearing");
    long c_id = rb_table_find(&sh.attrs, cfg->assets_id ? cfg->assets_id : "id");
    if (!sh.present)
        rc = rb_err_set(err, RB_EINVAL, "%s: no layer%s%s", cfg->assets_path, cfg->assets_layer ? " " : "",
                        cfg->assets_layer ? cfg->assets_layer : "");
    else if (!sh.n)
        rb_warn(&run->log, RB_W_VALUE, "%s: no assets in it", cfg->assets_path);
    else if (c_cm < 0 || (dir_named && c_dir < 0) || (cfg->assets_id && c_id < 0))
        rc = rb_err_set(err, RB_EINVAL, "%s: no field '%s' (assets.%s)", cfg->assets_path,
                        c_cm < 0 ? f_cm : c_dir < 0 && dir_named ? cfg->assets_dir : cfg->assets_id,
                        c_cm < 0 ? "countermeasure" : c_dir < 0 && dir_named ? "direction" : "id");
    /* every vertex to the working CRS, then onto its road; a source without a CRS (a CSV) in
     * assets.crs, else longitudes and latitudes when they can be, else the roads' */
    const char *crs = sh.crs_wkt;
    if (!rc && !crs) {
        int lonlat = sh.npts > 0;
        for (size_t i = 0; i < sh.npts && lonlat; i++)
            lonlat = fabs(sh.xy[2 * i]) <= 180 && fabs(sh.xy[2 * i + 1]) <= 90;
        crs = cfg->assets_crs ? cfg->assets_crs : lonlat ? "EPSG:4326" : run->roads.src_srs_wkt;
        if (!cfg->assets_crs && sh.npts)
            rb_warn(&run->log, RB_W_CRS_DEFAULT, "%s: no CRS declared: taken as %s; give assets.crs (--assets-crs) if"
                    " not", cfg->assets_path, lonlat ? "EPSG:4326 (longitude, latitude)" : run->roads.src_crs_name);
    }
    if (!rc && sh.npts && crs && run->roads.work_srs_wkt && rb_io_transform(crs, run->roads.work_srs_wkt, sh.xy, sh.npts, err))
        rc = err->code;
    if (!rc && !run->ix.tree && rb_netindex_build(&run->net, &run->ix, err))
        rc = err->code;
    struct rb_match *m = !rc ? rb_mallocarray(sh.npts ? sh.npts : 1, sizeof *m) : NULL;
    struct pt {
        double x, y;
        uint8_t st;
    } *pt = !rc ? rb_mallocarray(sh.npts ? sh.npts : 1, sizeof *pt) : NULL;
    if (!rc && (!m || !pt))
        rc = rb_err_nomem(err);
    for (size_t i = 0; i < sh.npts && !rc; i++)
        pt[i] = (struct pt){ sh.xy[2 * i], sh.xy[2 * i + 1], (uint8_t)(isfinite(sh.xy[2 * i]) && isfinite(sh.xy[2 * i + 1])
                                                                         ? 0 : RB_UNM_INVALID_COORDINATES) };
    struct rb_match_opt mo = { cfg->tolerance_m, cfg->ambiguous_margin_m, cfg->junction_radius_m, 0, NULL };
    if (!rc && sh.npts && rb_match_points(&run->net, &run->ix, &mo, &pt[0].x, &pt[0].y, &pt[0].st, sizeof *pt,
                                          sh.npts, m, NULL, err))
        rc = err->code;
    rb_free(pt);
    size_t *cap = rc ? NULL : rb_calloc(RB_CM_MAX, sizeof *cap);
    if (!rc && !cap)
        rc = rb_err_nomem(err);
    size_t unknown = 0;
    for (size_t i = 0; i < sh.n && !rc; i++) {
        char b[128], bi[64];
        const char *id = rb_table_text(&sh.attrs, (size_t)c_cm, i, b, sizeof b);
        const char *name = c_id >= 0 ? rb_table_text(&sh.attrs, (size_t)c_id, i, bi, sizeof bi) : NULL;
        char fid[32];
        if (!name) {
            snprintf(fid, sizeof fid, "feature %zu", i + 1);
            name = fid;
        }
        int k = id ? rb_catalogue_find(&run->ps.cat, id) : -1;
        if (k < 0) {
            if (unknown++ < 5)
                rb_warn(&run->log, RB_W_VALUE, "%s: asset %s: countermeasure '%s' is not in the catalogue; left out",
                        cfg->assets_path, name, id ? id : "");
            continue;
        }
        const struct rb_cm *cm = &run->ps.cat.cm[k];
        struct rb_cov_kind *kd = kind_of(cv, cm->id, k, R->nroutes);
        if (!kd) {
            rc = rb_err_nomem(err);
            break;
        }
        kd->assets++;
        /* each part: a point is a device, over its zone for the traffic it faces (a bearing), else both
         * ways; a line covers its extent along each route it follows */
        int placed = 0;
        double bearing = NAN;
        if (c_dir >= 0) {
            char bb[64];
            const char *bt = rb_table_text(&sh.attrs, (size_t)c_dir, i, bb, sizeof bb);
            bearing = rb_table_number(&sh.attrs, (size_t)c_dir, i);
            if (bt && *bt && !(bearing == bearing))
                rb_warn(&run->log, RB_W_VALUE, "%s: asset %s, field %s: '%s' is not a bearing in degrees; both ways",
                        cfg->assets_path, name, cfg->assets_dir ? cfg->assets_dir : "bearing", bt);
        }
        for (size_t part = sh.part0[i]; part < sh.part0[i + 1] && !rc; part++) {
            size_t p0 = sh.pt0[part], p1 = sh.pt0[part + 1];
            if (p1 - p0 == 1) {
                const struct rb_match *q = &m[p0];
                if (q->seg < 0)
                    continue;
                uint32_t route = R->route_of[q->seg];
                double c = rb_routes_chainage(R, &run->net, (size_t)q->seg, q->measure_m);
                int dir = 0;
                if (bearing == bearing) {
                    double sb = seg_bearing(&run->net, (size_t)q->seg, q->measure_m);
                    double d = fmod(fabs(bearing - sb), 360);
                    d = d > 180 ? 360 - d : d;              /* 0: along the digitised direction, 180: against */
                    if (d > 60 && d < 120)
                        rb_warn(&run->log, RB_W_VALUE, "%s: asset %s: its bearing %g is across the road (%.0f degrees"
                                " off it): taken as both ways", cfg->assets_path, name, bearing, d);
                    else
                        dir = (d <= 60 ? 1 : -1) * R->dir[q->seg];
                }
                double up = cm->zone_up_m == cm->zone_up_m ? cm->zone_up_m : 0;
                double down = cm->zone_down_m == cm->zone_down_m ? cm->zone_down_m : 0;
                double a, bb;
                rb_cov_zone(c, up, down, dir, &a, &bb);
                if (bb - a <= 0)   /* a device with no zone: a metre either side, to be counted */
                    rb_cov_zone(c, 1, 1, 0, &a, &bb);
                a = a > 0 ? a : 0;
                bb = bb < R->length_m[route] ? bb : R->length_m[route];
                struct rb_cov_iv *n = rb_realloc(kd->at, (kd->nat + 1) * sizeof *n);
                if (!n || add_iv(kd, &cap[k], route, a, bb)) {
                    if (n)
                        kd->at = n;
                    rc = rb_err_nomem(err);
                    break;
                }
                kd->at = n;
                kd->at[kd->nat++] = (struct rb_cov_iv){ route, c, c };
                placed = 1;
                continue;
            }
            for (size_t v = p0; v < p1 && !rc; v++) {
                if (m[v].seg < 0)
                    continue;
                uint32_t route = R->route_of[m[v].seg];
                double c = rb_routes_chainage(R, &run->net, (size_t)m[v].seg, m[v].measure_m);
                double lo = c, hi = c;
                size_t w = v + 1;
                for (; w < p1 && m[w].seg >= 0 && R->route_of[m[w].seg] == route; w++) {
                    double cw = rb_routes_chainage(R, &run->net, (size_t)m[w].seg, m[w].measure_m);
                    lo = cw < lo ? cw : lo;
                    hi = cw > hi ? cw : hi;
                }
                if (hi > lo) {
                    if (add_iv(kd, &cap[k], route, lo, hi))
                        rc = rb_err_nomem(err);
                    placed = 1;
                }
                v = w - 1;
            }
        }
        if (!placed) {
            kd->unmatched++;
            if (kd->unmatched <= 5)
                rb_warn(&run->log, RB_W_LOCATION, "%s: asset %s (%s) lies on no road within %g m; left out",
                        cfg->assets_path, name, cm->id, cfg->tolerance_m);
        }
    }
    if (unknown > 5)
        rb_warn(&run->log, RB_W_VALUE, "%s: %zu assets in all name a countermeasure the catalogue lacks",
                cfg->assets_path, unknown);
    rb_free(cap);
    rb_free(m);
    rb_shapes_free(&sh);
    return rc;
}

int rb_run_coverage(struct rb_run *run, const struct rb_run_plan_in *in)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    struct rb_run_coverage *cv = &ps->cov;
    struct rb_err *err = &run->err;
    const struct rb_roads *roads = &run->roads;
    const struct rb_routes *R = &run->routes;
    size_t nseg = roads->nsegs;
    int lit_on = roads->col_lit >= 0;
    /* without the roads' flag, the police records of street lighting (a fresh run's crashes) */
    const struct rb_crash *pc = run->opt.job == RB_JOB_RUN && run->crashes.n == in->ncrash ? run->crashes.c : NULL;
    int police = 0;
    for (size_t i = 0; !lit_on && pc && i < in->ncrash && !police; i++)
        police = pc[i].street_lit != 0;
    if (!lit_on && !police && !cfg->assets_path)
        return RB_OK;
    cv->on = 1;
    int8_t *lit = rb_mallocarray(nseg ? nseg : 1, 1);
    int32_t *vote = police ? rb_calloc(nseg ? nseg : 1, sizeof *vote) : NULL;
    if (!lit || (police && !vote)) {
        rb_free(lit);
        rb_free(vote);
        return rb_err_nomem(err);
    }
    struct rb_cov_kind *lk = NULL;
    if ((lit_on || police) && !(lk = kind_of(cv, "lighting", -1, R->nroutes))) {
        rb_free(lit);
        rb_free(vote);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; police && i < in->ncrash; i++)
        if (in->crash_seg[i] >= 0 && in->counted[i] && pc[i].light == RB_LIGHT_DARK && pc[i].street_lit)
            vote[in->crash_seg[i]] += pc[i].street_lit == 1 ? 1 : -1;
    for (size_t s = 0; s < nseg; s++)
        lit[s] = (int8_t)(lit_on ? rb_run_road_flag(roads, &run->vocab, roads->col_lit, s)
                          : police ? (vote[s] > 0 ? 1 : vote[s] < 0 ? 0 : -1) : -1);
    rb_free(vote);
    if (lk)
        lk->police = police;
    int rc = RB_OK;
    if (lk) {
        size_t cap = 0;
        for (size_t s = 0; s < nseg && !rc; s++)
            if (lit[s] == 1)
                rc = add_iv(lk, &cap, R->route_of[s], R->from_m[s], R->to_m[s]);
        if (rc)
            rb_err_nomem(err);
    }
    if (!rc && cfg->assets_path)
        rc = read_assets(run);
    for (size_t k = 0; k < cv->nkinds && !rc; k++) {
        struct rb_cov_kind *kd = &cv->kind[k];
        kd->niv = rb_cov_merge(kd->iv, kd->niv);
        rb_cov_sort(kd->at, kd->nat);
        /* lengths: each segment's, known (lighting), covered */
        for (size_t s = 0; s < nseg; s++) {
            uint32_t r = R->route_of[s];
            double len = run->net.segs[s].length_m / 1000;
            double cov = kd->cm < 0 ? (lit[s] == 1 ? len : 0)
                                    : rb_cov_covered(kd->iv, kd->niv, r, R->from_m[s], R->to_m[s]) / 1000;
            int known = kd->cm >= 0 || lit[s] >= 0;
            struct rb_cov_fig *f[2] = { &kd->net, &kd->route[r] };
            for (int j = 0; j < 2; j++) {
                f[j]->km += len;
                f[j]->km_known += known ? len : 0;
                f[j]->km_covered += cov;
            }
            /* present on the segment: lit, or half its length or more covered */
            double seg_len = R->to_m[s] - R->from_m[s];
            if (kd->cm >= 0 && seg_len > 0 && cov * 1000 >= 0.5 * seg_len)
                ps->seg_road[s].present |= 1ull << kd->cm;
        }
        /* the crashes: on covered road, or known not covered (lighting: an unlit segment) */
        for (size_t i = 0; i < in->ncrash; i++) {
            int64_t s = in->crash_seg[i];
            if (s < 0 || !in->counted[i])
                continue;
            uint32_t r = R->route_of[s];
            if (kd->cm < 0 && lit[s] < 0)
                continue;          /* lighting: crashes on road whose lighting is known */
            int on = kd->cm < 0 ? lit[s] == 1 : rb_cov_holds(kd->iv, kd->niv, r, in->chainage_m[i]);
            int off = kd->cm < 0 ? lit[s] == 0 : !on;
            int ksi = in->crash[i].sev <= RB_SEV_A, night = in->crash[i].light == RB_LIGHT_DARK;
            int n_on = on, n_off = off;
            if (kd->police) {   /* a night crash by its own record */
                n_on = pc[i].street_lit == 1;
                n_off = pc[i].street_lit == 2;
            }
            struct rb_cov_fig *f[2] = { &kd->net, &kd->route[r] };
            for (int j = 0; j < 2; j++) {
                f[j]->crashes++;
                f[j]->crashes_in += on;
                f[j]->ksi += ksi;
                f[j]->ksi_in += ksi && on;
                f[j]->night += night;
                f[j]->night_in += night && n_on;
                f[j]->night_out += night && n_off;
            }
        }
    }
    /* lit road: the countermeasures the catalogue says are there where it is lit */
    for (size_t s = 0; s < nseg && !rc; s++)
        for (size_t k = 0; lit[s] == 1 && k < ps->cat.n; k++)
            if (ps->cat.cm[k].present_lit)
                ps->seg_road[s].present |= 1ull << k;
    rb_free(lit);
    cv->sum = (struct rb_cov_summary){ cv->nkinds, cv->kind, R->nroutes, (const char *const *)R->id, cfg->assets_path };
    return rc;
}

void rb_run_coverage_sites(struct rb_run *run)
{
    const struct rb_run_coverage *cv = &run->ps.cov;
    for (size_t i = 0; cv->on && i < run->ps.nsites; i++) {
        struct rb_plan_site *s = &run->ps.sites[i];
        double len = s->to_m - s->from_m;
        for (size_t k = 0; k < cv->nkinds; k++) {
            const struct rb_cov_kind *kd = &cv->kind[k];
            if (kd->cm < 0)
                continue;
            uint64_t bit = 1ull << kd->cm;
            s->road.present &= ~bit;
            if (len > 0 && rb_cov_covered(kd->iv, kd->niv, s->route, s->from_m, s->to_m) >= 0.5 * len)
                s->road.present |= bit;
            /* a device (priced by the item or the site, not by the km) standing on it */
            if (run->ps.cat.cm[kd->cm].unit != 0 && rb_cov_any_in(kd->at, kd->nat, s->route, s->from_m, s->to_m))
                s->road.present |= bit;
        }
    }
}
