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
                                            "could not be laid out" };

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

/* The bends of every route (radius under 1000 m, as the scan of the plan's
 * curves finds them: 30 m either side, every 10 m), each the segment's that
 * holds its middle; for each segment, its bends, the sharpest one's radius
 * and that bend's predecessor's (INFINITY after 1 km of straight or at the
 * route's start). */
#define SYS_BEND_M 1000.0
static int bends(const struct rb_run *run, double *min_r, double *prev_r, double *count)
{
    const struct rb_routes *R = &run->routes;
    size_t nseg = run->roads.nsegs;
    for (size_t s = 0; s < nseg; s++) {
        min_r[s] = prev_r[s] = INFINITY;
        count[s] = 0;
    }
    struct rb_polyline pl = { 0 };
    int rc = RB_OK;
    for (size_t r = 0; r < R->nroutes && !rc; r++) {
        if (!(R->length_m[r] > 0) || rb_routes_polyline(R, &run->net, r, 0, R->length_m[r], &pl)) {
            rc = R->length_m[r] > 0 ? RB_ENOMEM : RB_OK;
            continue;
        }
        if (pl.n < 3)
            continue;
        struct rb_curve_run *runs = rb_mallocarray(pl.n, sizeof *runs);
        double *cum = rb_mallocarray(pl.n, sizeof *cum), *c0 = rb_mallocarray(pl.n, sizeof *c0);
        double *c1 = rb_mallocarray(pl.n, sizeof *c1);
        if (!runs || !cum || !c0 || !c1) {
            rb_free(runs);
            rb_free(cum);
            rb_free(c0);
            rb_free(c1);
            rc = RB_ENOMEM;
            break;
        }
        double rmin, clen;
        size_t nr = rb_curve_runs(pl.xy, pl.n, 30, 10, SYS_BEND_M, runs, pl.n, &rmin, &clen);
        nr = nr < pl.n ? nr : pl.n;
        cum[0] = 0;
        for (size_t i = 1; i < pl.n; i++)
            cum[i] = cum[i - 1] + hypot(pl.xy[2 * i] - pl.xy[2 * i - 2], pl.xy[2 * i + 1] - pl.xy[2 * i - 1]);
        for (size_t k = 0; k < nr; k++) {
            c0[k] = rb_polyline_ch_at(&pl, cum, runs[k].from_m);
            c1[k] = rb_polyline_ch_at(&pl, cum, runs[k].to_m);
        }
        size_t first = 0;
        for (size_t q = R->seg0[r]; q < R->seg0[r + 1]; q++) {
            uint32_t s = R->order[q];
            double a = R->from_m[s], b = R->to_m[s];
            while (first < nr && c1[first] < a)
                first++;
            for (size_t k = first; k < nr && c0[k] <= b; k++) {
                double mid = (c0[k] + c1[k]) / 2;
                if (!(mid >= a && (mid < b || (mid == b && q + 1 == R->seg0[r + 1]))))
                    continue;
                count[s]++;
                if (runs[k].min_radius_m < min_r[s]) {
                    min_r[s] = runs[k].min_radius_m;
                    prev_r[s] = k == 0 || c0[k] - c1[k - 1] >= 1000 ? INFINITY : runs[k - 1].min_radius_m;
                }
            }
        }
        rb_free(runs);
        rb_free(cum);
        rb_free(c0);
        rb_free(c1);
    }
    rb_polyline_free(&pl);
    return rc;
}

/* Junctions (three legs or more) at a segment's ends. */
static double junction_ends(const struct rb_net *net, size_t s)
{
    const struct rb_seg *g = &net->segs[s];
    double n = 0;
    if (g->node_from != RB_NONODE && net->node_deg[g->node_from] >= 3)
        n++;
    if (g->node_to != RB_NONODE && g->node_to != g->node_from && net->node_deg[g->node_to] >= 3)
        n++;
    return n;
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
static int in_plan(const struct rb_run_plan *ps, size_t k, uint32_t route, double a, double b)
{
    for (size_t i = 0; i < ps->plan.n; i++) {
        const struct rb_plan_alt *al = &ps->plan.alt[i];
        if (!al->selected || !(al->cms >> k & 1))
            continue;
        const struct rb_plan_site *st = &ps->sites[al->site];
        if (st->route == route && st->from_m < b && st->to_m > a)
            return 1;
    }
    return 0;
}

int rb_run_systemic(struct rb_run *run, const struct rb_run_plan_in *in)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    struct rb_run_systemic *sy = &ps->sys;
    struct rb_err *err = &run->err;
    const struct rb_roads *roads = &run->roads;
    size_t nseg = roads->nsegs;
    int k = rb_catalogue_find(&ps->cat, cfg->systemic);
    if (k < 0)
        return rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' is not in the catalogue (%s)", cfg->systemic,
                          cfg->catalogue ? cfg->catalogue : "data/countermeasures.json");
    const struct rb_cm *cm = &ps->cat.cm[k];
    if (cm->site != RB_CM_SEGMENT)
        return rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' is an intersection countermeasure: a systemic programme"
                          " lays one along the road (strips, chevrons, lighting)", cm->id);
    if (!cm->priced)
        return rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' has no price in %s: give it one to cost the programme",
                          cm->id, ps->cat.prices_path[0] ? ps->cat.prices_path : "the catalogue");
    if (cfg->systemic_budget == cfg->systemic_budget && !(cfg->systemic_budget >= 0))
        return rb_err_set(err, RB_EUSAGE, "plan.systemic_budget: a sum of money of 0 or more");
    sy->on = 1;
    sy->cm = (size_t)k;
    sy->budget = cfg->systemic_budget;
    double *min_r = rb_mallocarray(nseg ? nseg : 1, sizeof *min_r), *prev_r = rb_mallocarray(nseg ? nseg : 1, sizeof *prev_r);
    double *nb = rb_mallocarray(nseg ? nseg : 1, sizeof *nb);
    uint32_t *focus = rb_calloc(nseg ? nseg : 1, sizeof *focus), *all = rb_calloc(nseg ? nseg : 1, sizeof *all);
    struct ranked *rk = NULL;
    int rc = !min_r || !prev_r || !nb || !focus || !all ? rb_err_nomem(err) : RB_OK;
    if (!rc && bends(run, min_r, prev_r, nb))
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
        f->level[RB_SYS_CURVE_DENSITY] = (int8_t)rb_sys_per_km_level(nb[s], f->length_m);
        f->level[RB_SYS_SHOULDER] = (int8_t)rb_sys_shoulder_level(road.shoulder_m);
        f->level[RB_SYS_AADT] = (int8_t)rb_sys_aadt_level(road.aadt);
        f->level[RB_SYS_SPEED] = (int8_t)rb_sys_speed_level(road.speed_kmh);
        f->level[RB_SYS_JUNCTIONS] = (int8_t)rb_sys_per_km_level(junction_ends(&run->net, s), f->length_m);
        f->level[RB_SYS_LIGHTING] = (int8_t)rb_sys_lit_level(rb_run_road_flag(roads, &run->vocab, roads->col_lit, s));
        sy->seg[n++] = (uint32_t)s;
    }
    sy->n = n;
    if (!rc && !n)
        rb_find(&run->log, "systemic_none", 0, 0, "plan.systemic: '%s' applies on no segment (its conditions: %s); no"
                " systemic programme", cm->id, "area, speed, shoulder, lanes as the catalogue gives them");
    if (!rc && n) {
        rb_sys_weigh(sy->fs, n, &sy->w);
        if (sy->w.crashes < 20)
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
    /* best score first; the arrays put in that order */
    for (size_t i = 0; i < n && !rc; i++)
        rk[i] = (struct ranked){ rb_sys_score(&sy->w, &sy->fs[i]), sy->fs[i].focus, i };
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
    /* the choice: best score first, above the average risk, until the budget is spent */
    sy->works0 = ps->works.n;
    double left = sy->budget == sy->budget ? sy->budget : INFINITY;
    for (size_t j = 0; j < n && !rc; j++) {
        uint32_t s = sy->seg[j];
        uint32_t route = run->routes.route_of[s];
        double a = run->routes.from_m[s], b = run->routes.to_m[s];
        sy->cost[j] = sy->quantity[j] = sy->avoided_per_yr[j] = NAN;
        if (!(sy->score[j] > 1)) {
            sy->status[j] = RB_SYS_BELOW_AVERAGE;
            continue;
        }
        if (in_plan(ps, sy->cm, route, a, b)) {
            sy->status[j] = RB_SYS_REACTIVE;
            continue;
        }
        struct rb_plan_site site = { route, a, b, ps->seg_road[s], NAN, 0, 0, INFINITY, 0, 0, 0, -1 };
        site.road.curve = min_r[s] < cfg->curve_radius_m;
        site.min_radius_m = min_r[s];
        size_t site_no = ps->nsites + sy->nchosen;
        size_t n0 = ps->works.n;
        double q = 0, cover = 0;
        if ((rc = rb_layout(&ps->lay, cm, sy->cm, &site, site_no, &ps->works, &q, &cover, err)))
            break;
        double cost = q * cm->unit_cost;
        if (!(q > 0)) {
            ps->works.n = n0;
            sy->status[j] = RB_SYS_NOT_LAID;
            continue;
        }
        if (cost > left) {
            ps->works.n = n0;
            sy->status[j] = RB_SYS_OVER_BUDGET;
            continue;
        }
        for (size_t w = n0; w < ps->works.n; w++)
            ps->works.w[w].alt = SIZE_MAX;
        left -= cost;
        sy->status[j] = RB_SYS_CHOSEN;
        sy->site[j] = (uint32_t)site_no + 1;
        sy->quantity[j] = q;
        sy->cost[j] = cost;
        double expected = in->seg_sites->eb_per_yr && isfinite(in->seg_sites->eb_per_yr[s]) ? in->seg_sites->eb_per_yr[s]
                          : in->seg_sites->freq_per_yr ? in->seg_sites->freq_per_yr[s] : NAN;
        sy->avoided_per_yr[j] = expected * share * (1 - cm->cmf);
        sy->nchosen++;
        sy->nchosen_no_history += sy->fs[j].focus == 0;
        sy->km += sy->fs[j].length_m / 1000;
        sy->cost_total += cost;
        if (isfinite(sy->avoided_per_yr[j]))
            sy->avoided_total_per_yr += sy->avoided_per_yr[j];
    }
    struct rb_sys_summary *u = &sy->sum;
    *u = (struct rb_sys_summary){ cm->id, cm->source, cm->cmf, n, sy->w.km, sy->w.crashes, sy->nchosen,
                                  sy->nchosen_no_history, 0, 0, 0, 0, sy->km, sy->cost_total, sy->budget,
                                  sy->avoided_total_per_yr, &sy->w };
    for (size_t j = 0; j < n && !rc; j++) {
        u->in_plan += sy->status[j] == RB_SYS_REACTIVE;
        u->over_budget += sy->status[j] == RB_SYS_OVER_BUDGET;
        u->below_average += sy->status[j] == RB_SYS_BELOW_AVERAGE;
        u->not_laid += sy->status[j] == RB_SYS_NOT_LAID;
    }
    rb_free(min_r);
    rb_free(prev_r);
    rb_free(nb);
    rb_free(focus);
    rb_free(all);
    rb_free(rk);
    return rc;
}
