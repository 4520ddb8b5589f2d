/* run/systemic: the systemic programme (plan.systemic) — one countermeasure
 * rolled out on the segments where it applies whose risk factors for its
 * target crashes score highest (plan/systemic.h), whatever their own crash
 * record; under its own budget, after the plan's choice, a segment the plan
 * already treats with it not paid for twice; laid out with the plan's work
 * orders. */
#include "run/internal.h"
#include "plan/curve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const rb_sys_status_names[] = { "chosen", "in the plan", "over budget", "below average risk",
                                            "could not be laid out", "already there" };

int rb_run_systemic_on(const struct rb_config *cfg)
{
    return cfg->systemic && *cfg->systemic && strcmp(cfg->systemic, "none");
}

void rb_run_systemic_free(struct rb_run_systemic *s)
{
    rb_free(s->seg);
    rb_free(s->fs);
    rb_free(s->score);
    rb_free(s->min_radius_m);
    rb_free(s->cost);
    rb_free(s->quantity);
    rb_free(s->avoided_per_yr);
    rb_free(s->status);
    rb_free(s->site);
    memset(s, 0, sizeof *s);
}

/* The first of n ascending values that is >= a (binary search). */
static size_t lower_bound(const double *v, size_t n, double a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Per route: the bends (radius under 1000 m, as the scan of the plan's
 * curves finds them: 30 m either side, every 10 m) and the junctions (a node
 * of three legs or more at a segment's end). For each segment: the sharpest
 * bend whose middle lies on it, and that bend's predecessor's radius
 * (INFINITY after 1 km of straight or at the route's start); the bends and
 * junctions on it, or within 500 m of its middle when it is shorter than
 * 1 km, per km of that stretch (so that a short segment is not dense for one
 * bend). */
#define SYS_BEND_M 1000.0
#define SYS_WINDOW_M 500.0
static int bends(const struct rb_run *run, double *min_r, double *prev_r, double *bends_km, double *junc_km)
{
    const struct rb_routes *R = &run->routes;
    const struct rb_net *net = &run->net;
    size_t nseg = run->roads.nsegs;
    for (size_t s = 0; s < nseg; s++) {
        min_r[s] = prev_r[s] = INFINITY;
        bends_km[s] = junc_km[s] = 0;
    }
    struct rb_polyline pl = { 0 };
    int rc = RB_OK;
    for (size_t r = 0; r < R->nroutes && !rc; r++) {
        size_t nsr = R->seg0[r + 1] - R->seg0[r], nr = 0, nj = 0;
        if (rb_routes_polyline(R, net, r, 0, R->length_m[r], &pl)) {
            rc = RB_ENOMEM;
            break;
        }
        size_t cap = pl.n > 2 ? pl.n : 2;
        struct rb_curve_run *runs = rb_mallocarray(cap, sizeof *runs);
        double *cum = rb_mallocarray(cap, sizeof *cum), *c0 = rb_mallocarray(cap, sizeof *c0);
        double *c1 = rb_mallocarray(cap, sizeof *c1), *mid = rb_mallocarray(cap, sizeof *mid);
        double *jc = rb_mallocarray(2 * nsr + 1, sizeof *jc);
        if (!runs || !cum || !c0 || !c1 || !mid || !jc) {
            rc = RB_ENOMEM;
        } else if (pl.n >= 3 && R->length_m[r] > 0) {
            double rmin, clen;
            nr = rb_curve_runs(pl.xy, pl.n, 30, 10, SYS_BEND_M, runs, cap, &rmin, &clen);
            nr = nr < cap ? nr : cap;
            cum[0] = 0;
            for (size_t i = 1; i < pl.n; i++)
                cum[i] = cum[i - 1] + hypot(pl.xy[2 * i] - pl.xy[2 * i - 2], pl.xy[2 * i + 1] - pl.xy[2 * i - 1]);
            for (size_t k = 0; k < nr; k++) {
                c0[k] = rb_polyline_ch_at(&pl, cum, runs[k].from_m);
                c1[k] = rb_polyline_ch_at(&pl, cum, runs[k].to_m);
                mid[k] = (c0[k] + c1[k]) / 2;
            }
        }
        /* junctions: the segment ends at nodes of three legs or more, once each */
        for (size_t q = R->seg0[r]; q < R->seg0[r + 1] && !rc; q++) {
            uint32_t s = R->order[q];
            const struct rb_seg *g = &net->segs[s];
            uint32_t nd[2] = { g->node_from, g->node_to };
            for (int e = 0; e < 2; e++)
                if (nd[e] != RB_NONODE && net->node_deg[nd[e]] >= 3)
                    jc[nj++] = (e == 0) == (R->dir[s] > 0) ? R->from_m[s] : R->to_m[s];
        }
        if (!rc && nj > 1) {
            for (size_t a = 1; a < nj; a++)   /* sort (a route has few) */
                for (size_t b = a; b > 0 && jc[b] < jc[b - 1]; b--) {
                    double t = jc[b];
                    jc[b] = jc[b - 1];
                    jc[b - 1] = t;
                }
            size_t u = 1;
            for (size_t a = 1; a < nj; a++)
                if (jc[a] - jc[u - 1] > 1)
                    jc[u++] = jc[a];
            nj = u;
        }
        /* bend middles ascend with the position along the polyline, and chainage with it */
        for (size_t q = R->seg0[r]; q < R->seg0[r + 1] && !rc; q++) {
            uint32_t s = R->order[q];
            double a = R->from_m[s], b = R->to_m[s], m = (a + b) / 2;
            int last = b >= R->length_m[r];
            for (size_t k = lower_bound(mid, nr, a); k < nr && (mid[k] < b || (last && mid[k] == b)); k++)
                if (runs[k].min_radius_m < min_r[s]) {
                    min_r[s] = runs[k].min_radius_m;
                    prev_r[s] = k == 0 || c0[k] - c1[k - 1] >= 1000 ? INFINITY : runs[k - 1].min_radius_m;
                }
            double w0 = m - SYS_WINDOW_M < a ? m - SYS_WINDOW_M : a, w1 = m + SYS_WINDOW_M > b ? m + SYS_WINDOW_M : b;
            w0 = w0 > 0 ? w0 : 0;
            w1 = w1 < R->length_m[r] ? w1 : R->length_m[r];
            double wkm = (w1 - w0) / 1000;
            if (wkm > 0) {
                bends_km[s] = (double)(lower_bound(mid, nr, w1 + 1e-9) - lower_bound(mid, nr, w0)) / wkm;
                junc_km[s] = (double)(lower_bound(jc, nj, w1 + 1e-9) - lower_bound(jc, nj, w0)) / wkm;
            }
        }
        rb_free(runs);
        rb_free(cum);
        rb_free(c0);
        rb_free(c1);
        rb_free(mid);
        rb_free(jc);
    }
    rb_polyline_free(&pl);
    return rc;
}

struct ranked {
    double score;
    uint32_t focus;
    size_t i;
};
static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->focus != y->focus)
        return x->focus > y->focus ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* 1 when the plan's chosen alternatives put countermeasure k on segment s. */
/* 1 when the plan's chosen alternatives put countermeasure k on half of
 * [a, b] of the route or more. */
static int in_plan(const struct rb_run_plan *ps, size_t k, uint32_t route, double a, double b)
{
    double on = 0;
    for (size_t i = 0; i < ps->plan.n; i++) {
        const struct rb_plan_alt *al = &ps->plan.alt[i];
        if (!al->selected || !(al->cms >> k & 1))
            continue;
        const struct rb_plan_site *st = &ps->sites[al->site];
        double lo = st->from_m > a ? st->from_m : a, hi = st->to_m < b ? st->to_m : b;
        if (st->route == route && hi > lo)
            on += hi - lo;
    }
    return on >= 0.5 * (b - a);
}

/* A stretch laid out as one site: its road the longest segment's, its bends the sharpest. */
static void stretch_site(const struct rb_run *run, const uint32_t *segs, size_t n, double curve_radius_m,
                         const double *min_r, struct rb_plan_site *site)
{
    const struct rb_routes *R = &run->routes;
    size_t best = 0;
    double rmin = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (R->to_m[segs[i]] - R->from_m[segs[i]] > R->to_m[segs[best]] - R->from_m[segs[best]])
            best = i;
        rmin = min_r[segs[i]] < rmin ? min_r[segs[i]] : rmin;
    }
    *site = (struct rb_plan_site){ R->route_of[segs[0]], R->from_m[segs[0]], R->to_m[segs[n - 1]],
                                   run->ps.seg_road[segs[best]], NAN, 0, 0, rmin, 0, 0, 0, -1 };
    site->road.curve = rmin < curve_radius_m;
}

struct chosen {
    uint32_t route;
    double from_m;
    size_t j;          /* its place in the ranked arrays */
};
static int chosen_cmp(const void *a, const void *b)
{
    const struct chosen *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    return (x->from_m > y->from_m) - (x->from_m < y->from_m);
}

/* The chosen segments laid out as stretches: neighbours on a route (one
 * ending where the next begins) one site, so that strips laid in whole units
 * are not laid twice where they meet; each segment's share of its stretch's
 * quantity and cost by length. */
static int lay_chosen(struct rb_run *run, const double *min_r)
{
    struct rb_run_plan *ps = &run->ps;
    struct rb_run_systemic *sy = &ps->sys;
    const struct rb_routes *R = &run->routes;
    const struct rb_cm *cm = &ps->cat.cm[sy->cm];
    struct chosen *c = rb_mallocarray(sy->nchosen ? sy->nchosen : 1, sizeof *c);
    uint32_t *segs = rb_mallocarray(sy->nchosen ? sy->nchosen : 1, sizeof *segs);
    if (!c || !segs) {
        rb_free(c);
        rb_free(segs);
        return rb_err_nomem(&run->err);
    }
    size_t nc = 0;
    for (size_t j = 0; j < sy->n; j++)
        if (sy->status[j] == RB_SYS_CHOSEN)
            c[nc++] = (struct chosen){ R->route_of[sy->seg[j]], R->from_m[sy->seg[j]], j };
    qsort(c, nc, sizeof *c, chosen_cmp);
    int rc = RB_OK;
    sy->cost_total = 0;
    sy->nsites = 0;
    for (size_t i = 0; i < nc && !rc;) {
        size_t e = i + 1;
        while (e < nc && c[e].route == c[i].route && R->from_m[sy->seg[c[e].j]] - R->to_m[sy->seg[c[e - 1].j]] <= 1)
            e++;
        double len = 0;
        for (size_t t = i; t < e; t++) {
            segs[t - i] = sy->seg[c[t].j];
            len += R->to_m[segs[t - i]] - R->from_m[segs[t - i]];
        }
        struct rb_plan_site site;
        stretch_site(run, segs, e - i, run->cfg.curve_radius_m, min_r, &site);
        size_t site_no = ps->nsites + sy->nsites, n0 = ps->works.n;
        double q = 0, cover = 0;
        if ((rc = rb_layout(&ps->lay, cm, sy->cm, &site, site_no, &ps->works, &q, &cover, &run->err)))
            break;
        for (size_t w = n0; w < ps->works.n; w++)
            ps->works.w[w].alt = SIZE_MAX;
        sy->nsites++;
        sy->cost_total += q * cm->unit_cost;
        for (size_t t = i; t < e; t++) {
            size_t j = c[t].j;
            double f = len > 0 ? (R->to_m[sy->seg[j]] - R->from_m[sy->seg[j]]) / len : 0;
            sy->site[j] = (uint32_t)site_no + 1;
            sy->quantity[j] = q * f;
            sy->cost[j] = q * cm->unit_cost * f;
        }
        i = e;
    }
    rb_free(c);
    rb_free(segs);
    return rc;
}

int rb_run_systemic(struct rb_run *run, const struct rb_run_plan_in *in)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    struct rb_run_systemic *sy = &ps->sys;
    struct rb_err *err = &run->err;
    const struct rb_roads *roads = &run->roads;
    size_t nseg = roads->nsegs;
    /* the entry and its kind were checked before any work (check.c); its price is known now */
    int k = rb_catalogue_find(&ps->cat, cfg->systemic);
    if (k < 0)
        return rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' is not in the catalogue", cfg->systemic);
    const struct rb_cm *cm = &ps->cat.cm[k];
    if (!cm->priced)
        return rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' has no price in %s: give it one to cost the programme",
                          cm->id, ps->cat.prices_path[0] ? ps->cat.prices_path : "the catalogue");
    sy->on = 1;
    sy->cm = (size_t)k;
    sy->budget = cfg->systemic_budget;
    double *min_r = rb_mallocarray(nseg ? nseg : 1, sizeof *min_r), *prev_r = rb_mallocarray(nseg ? nseg : 1, sizeof *prev_r);
    double *nb = rb_mallocarray(nseg ? nseg : 1, sizeof *nb), *nj = rb_mallocarray(nseg ? nseg : 1, sizeof *nj);
    uint32_t *focus = rb_calloc(nseg ? nseg : 1, sizeof *focus), *all = rb_calloc(nseg ? nseg : 1, sizeof *all);
    struct ranked *rk = NULL;
    int rc = !min_r || !prev_r || !nb || !nj || !focus || !all ? rb_err_nomem(err) : RB_OK;
    if (!rc && bends(run, min_r, prev_r, nb, nj))
        rc = rb_err_nomem(err);
    /* the focus crashes: the countermeasure's target pattern, counted, on their segment */
    for (size_t i = 0; i < in->ncrash && !rc; i++) {
        int64_t s = in->crash_seg[i];
        if (s < 0 || !in->counted[i])
            continue;
        all[s]++;
        focus[s] += rb_pattern_has(&cm->target, &in->crash[i]);
    }
    /* the focus facility: the segments where it applies */
    size_t n = 0;
    if (!rc) {
        sy->seg = rb_mallocarray(nseg ? nseg : 1, sizeof *sy->seg);
        sy->fs = rb_mallocarray(nseg ? nseg : 1, sizeof *sy->fs);
        if (!sy->seg || !sy->fs)
            rc = rb_err_nomem(err);
    }
    for (size_t s = 0; s < nseg && !rc; s++) {
        struct rb_plan_road road = ps->seg_road[s];
        road.curve = min_r[s] < cfg->curve_radius_m;
        int u = 0;
        if (!rb_cm_applies(cm, &road, &u))
            continue;
        struct rb_sys_seg *f = &sy->fs[n];
        f->length_m = run->net.segs[s].length_m;
        f->focus = focus[s];
        f->level[RB_SYS_CURVE] = (int8_t)rb_sys_curve_level(min_r[s]);
        f->level[RB_SYS_CURVE_CHANGE] = (int8_t)rb_sys_change_level(min_r[s], prev_r[s]);
        f->level[RB_SYS_CURVE_DENSITY] = (int8_t)rb_sys_per_km_level(nb[s], 1000);
        f->level[RB_SYS_SHOULDER] = (int8_t)rb_sys_shoulder_level(road.shoulder_m);
        f->level[RB_SYS_AADT] = (int8_t)rb_sys_aadt_level(road.aadt);
        f->level[RB_SYS_SPEED] = (int8_t)rb_sys_speed_level(road.speed_kmh);
        f->level[RB_SYS_JUNCTIONS] = (int8_t)rb_sys_per_km_level(nj[s], 1000);
        f->level[RB_SYS_LIGHTING] = (int8_t)rb_sys_lit_level(rb_run_road_flag(roads, &run->vocab, roads->col_lit, s));
        sy->seg[n++] = (uint32_t)s;
    }
    sy->n = n;
    if (!rc && !n)
        rb_find(&run->log, "systemic_none", 0, 0, "plan.systemic: '%s' applies on no segment (its conditions: area %s,"
                " speed %g-%g km/h, paved shoulder %g m or more, lanes %d-%d%s); no systemic programme", cm->id,
                cm->area < 0 ? "any" : cm->area ? "urban" : "rural", cm->min_speed_kmh == cm->min_speed_kmh ?
                cm->min_speed_kmh : 0.0, cm->max_speed_kmh == cm->max_speed_kmh ? cm->max_speed_kmh : 999.0,
                cm->min_shoulder_m == cm->min_shoulder_m ? cm->min_shoulder_m : 0.0, cm->min_lanes ? cm->min_lanes : 1,
                cm->max_lanes ? cm->max_lanes : 99, cm->curve ? ", on curves" : "");
    if (!rc && n) {
        rb_sys_weigh(sy->fs, n, &sy->w);
        if (n < 30)
            rb_find(&run->log, "systemic_few", 0, n, "plan.systemic: '%s' applies on %zu segments only: the risk factors'"
                    " weights rest on few segments, and one of them can outweigh the rest", cm->id, n);
        else if (sy->w.crashes < 20)
            rb_find(&run->log, "systemic_few", 0, sy->w.crashes, "plan.systemic: %u focus crashes (the target crashes "
                    "of '%s') on the %zu segments where it applies: the risk factors' weights rest on few crashes and"
                    " may mislead", sy->w.crashes, cm->id, n);
        sy->score = rb_mallocarray(n, sizeof *sy->score);
        sy->min_radius_m = rb_mallocarray(n, sizeof *sy->min_radius_m);
        sy->cost = rb_mallocarray(n, sizeof *sy->cost);
        sy->quantity = rb_mallocarray(n, sizeof *sy->quantity);
        sy->avoided_per_yr = rb_mallocarray(n, sizeof *sy->avoided_per_yr);
        sy->status = rb_mallocarray(n, 1);
        sy->site = rb_calloc(n, sizeof *sy->site);
        rk = rb_mallocarray(n, sizeof *rk);
        if (!sy->score || !sy->min_radius_m || !sy->cost || !sy->quantity || !sy->avoided_per_yr || !sy->status ||
            !sy->site || !rk)
            rc = rb_err_nomem(err);
    }
    /* scores relative to the facility's length-weighted mean (1: average risk), best first */
    /* the mean over the segments where it could go: where it is already there is not a candidate */
    uint8_t *cand = rc ? NULL : rb_mallocarray(n ? n : 1, 1);
    if (!rc && !cand)
        rc = rb_err_nomem(err);
    for (size_t i = 0; i < n && !rc; i++) {
        sy->score[i] = rb_sys_score(&sy->w, &sy->fs[i]);
        cand[i] = !(ps->seg_road[sy->seg[i]].present >> sy->cm & 1);
    }
    if (!rc)
        rb_sys_normalise(sy->fs, sy->score, n, cand);
    rb_free(cand);
    for (size_t i = 0; i < n && !rc; i++)
        rk[i] = (struct ranked){ sy->score[i], sy->fs[i].focus, i };
    if (!rc && n) {
        qsort(rk, n, sizeof *rk, ranked_cmp);
        uint32_t *seg = rb_mallocarray(n, sizeof *seg);
        struct rb_sys_seg *fs = rb_mallocarray(n, sizeof *fs);
        if (!seg || !fs) {
            rb_free(seg);
            rb_free(fs);
            rc = rb_err_nomem(err);
        } else {
            for (size_t j = 0; j < n; j++) {
                seg[j] = sy->seg[rk[j].i];
                fs[j] = sy->fs[rk[j].i];
                sy->score[j] = rk[j].score;
                sy->min_radius_m[j] = min_r[seg[j]];
            }
            rb_free(sy->seg);
            rb_free(sy->fs);
            sy->seg = seg;
            sy->fs = fs;
        }
    }
    /* the target share of the facility's crashes, for the crashes avoided */
    double tall = 0, tfocus = 0;
    for (size_t j = 0; j < n; j++) {
        tall += all[sy->seg[j]];
        tfocus += focus[sy->seg[j]];
    }
    double share = tall > 0 ? tfocus / tall : NAN;
    /* the choice: best score first, above the average risk, until the budget is spent (each
     * segment's cost as it would be laid alone, an upper bound of its share of a stretch) */
    sy->works0 = ps->works.n;
    double left = sy->budget == sy->budget ? sy->budget : INFINITY;
    struct rb_works scratch = { 0 };
    for (size_t j = 0; j < n && !rc; j++) {
        uint32_t s = sy->seg[j];
        uint32_t route = run->routes.route_of[s];
        double a = run->routes.from_m[s], b = run->routes.to_m[s];
        sy->cost[j] = sy->quantity[j] = sy->avoided_per_yr[j] = NAN;
        if (ps->seg_road[s].present >> sy->cm & 1) {
            sy->status[j] = RB_SYS_PRESENT;
            continue;
        }
        if (in_plan(ps, sy->cm, route, a, b)) {
            sy->status[j] = RB_SYS_REACTIVE;
            continue;
        }
        if (!(sy->score[j] > 1)) {
            sy->status[j] = RB_SYS_BELOW_AVERAGE;
            continue;
        }
        struct rb_plan_site site;
        stretch_site(run, &s, 1, cfg->curve_radius_m, min_r, &site);
        double q = 0, cover = 0;
        scratch.n = 0;
        if ((rc = rb_layout(&ps->lay, cm, sy->cm, &site, 0, &scratch, &q, &cover, err)))
            break;
        double cost = q * cm->unit_cost;
        if (!(q > 0)) {
            sy->status[j] = RB_SYS_NOT_LAID;
            continue;
        }
        if (cost > left) {
            sy->status[j] = RB_SYS_OVER_BUDGET;
            continue;
        }
        left -= cost;
        sy->status[j] = RB_SYS_CHOSEN;
        double expected = in->seg_sites->eb_per_yr && isfinite(in->seg_sites->eb_per_yr[s]) ? in->seg_sites->eb_per_yr[s]
                          : in->seg_sites->freq_per_yr ? in->seg_sites->freq_per_yr[s] : NAN;
        sy->avoided_per_yr[j] = expected * share * (1 - cm->cmf);
        sy->nchosen++;
        sy->nchosen_no_history += sy->fs[j].focus == 0;
        sy->km += sy->fs[j].length_m / 1000;
        if (isfinite(sy->avoided_per_yr[j]))
            sy->avoided_total_per_yr += sy->avoided_per_yr[j];
    }
    rb_works_free(&scratch);
    if (!rc)
        rc = lay_chosen(run, min_r);
    double laid_m = 0;
    for (size_t w = sy->works0; w < ps->works.n; w++)
        if (ps->works.w[w].is_line)
            laid_m += ps->works.w[w].to_m - ps->works.w[w].from_m;
    struct rb_sys_summary *u = &sy->sum;
    *u = (struct rb_sys_summary){ .cm_id = cm->id, .cm_source = cm->source, .cmf = cm->cmf, .n = n,
                                  .facility_km = sy->w.km, .focus_crashes = sy->w.crashes, .chosen = sy->nchosen,
                                  .chosen_no_history = sy->nchosen_no_history, .km = sy->km, .cost = sy->cost_total,
                                  .budget = sy->budget, .avoided_per_yr = sy->avoided_total_per_yr, .w = &sy->w,
                                  .sites = sy->nsites, .laid_km = laid_m / 1000, .works0 = sy->works0 };
    for (size_t j = 0; j < n && !rc; j++) {
        u->in_plan += sy->status[j] == RB_SYS_REACTIVE;
        u->over_budget += sy->status[j] == RB_SYS_OVER_BUDGET;
        u->below_average += sy->status[j] == RB_SYS_BELOW_AVERAGE;
        u->not_laid += sy->status[j] == RB_SYS_NOT_LAID;
        u->present += sy->status[j] == RB_SYS_PRESENT;
    }
    rb_free(min_r);
    rb_free(prev_r);
    rb_free(nb);
    rb_free(nj);
    rb_free(focus);
    rb_free(all);
    rb_free(rk);
    return rc;
}
