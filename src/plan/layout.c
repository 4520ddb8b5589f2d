/* plan/layout: work orders — where each chosen countermeasure goes along the
 * route, in chainage and as geometry. Strips in whole units between the gaps
 * (junctions, bridges, settlements) and only where their conditions hold;
 * signs at the advance distance for the approach speed, one per direction;
 * chevrons around each bend at a spacing by its radius; devices at a spacing,
 * at the site, or at both ends of a section. */
#include "plan/layout.h"
#include "plan/curve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rb_works_free(struct rb_works *w)
{
    if (!w)
        return;
    rb_free(w->w);
    memset(w, 0, sizeof *w);
}

double rb_sign_distance_m(const struct rb_placement *pl, double speed_kmh)
{
    for (size_t i = 0; i < pl->nsign; i++)
        if (speed_kmh <= pl->sign_speed_kmh[i] + 1e-9)
            return pl->sign_distance_m[i];
    return pl->sign_distance_m[pl->nsign - 1];
}

double rb_chevron_spacing_m(const struct rb_placement *pl, double radius_m)
{
    for (size_t i = 0; i < pl->nchev; i++)
        if (radius_m <= pl->chev_radius_m[i])
            return pl->chev_spacing_m[i];
    return pl->chev_spacing_m[pl->nchev - 1];
}

/* ---- gaps ----------------------------------------------------------------------- */

static int gap_cmp(const void *a, const void *b)
{
    const struct rb_gap *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    if (x->to_m != y->to_m)
        return x->to_m < y->to_m ? -1 : 1;
    return (x->why > y->why) - (x->why < y->why);
}

static int gap_push(struct rb_gap **g, size_t *n, size_t *cap, uint32_t route, int why, double a, double b)
{
    if (rb_grow((void **)g, cap, *n + 1, sizeof **g))
        return RB_ENOMEM;
    (*g)[(*n)++] = (struct rb_gap){ route, (uint8_t)why, a, b };
    return RB_OK;
}

int rb_layout_gaps(const struct rb_net *net, const struct rb_routes *routes, const uint8_t *want,
                   const uint8_t *bridge, const uint8_t *urban, const struct rb_polyindex *settle,
                   struct rb_gap **gaps, size_t *ngaps, struct rb_err *err)
{
    struct rb_gap *g = NULL;
    size_t n = 0, cap = 0;
    struct rb_polyline pl = { 0 };
    *gaps = NULL;
    *ngaps = 0;
    for (size_t r = 0; r < routes->nroutes; r++) {
        if (want && !want[r])
            continue;
        for (size_t k = routes->seg0[r]; k < routes->seg0[r + 1]; k++) {
            size_t s = routes->order[k];
            const struct rb_seg *sg = &net->segs[s];
            /* the segment's first node is at from_m when it runs with the chainage */
            uint32_t nodes[2] = { sg->node_from, sg->node_to };
            double at[2] = { routes->dir[s] > 0 ? routes->from_m[s] : routes->to_m[s],
                             routes->dir[s] > 0 ? routes->to_m[s] : routes->from_m[s] };
            for (int e = 0; e < 2; e++)
                if (nodes[e] != RB_NONODE && net->node_deg[nodes[e]] >= 3 &&
                    gap_push(&g, &n, &cap, (uint32_t)r, RB_GAP_JUNCTION, at[e], at[e]))
                    goto nomem;
            if (bridge && bridge[s] &&
                gap_push(&g, &n, &cap, (uint32_t)r, RB_GAP_BRIDGE, routes->from_m[s], routes->to_m[s]))
                goto nomem;
            if (urban && urban[s] &&
                gap_push(&g, &n, &cap, (uint32_t)r, RB_GAP_SETTLEMENT, routes->from_m[s], routes->to_m[s]))
                goto nomem;
        }
        if (!settle)
            continue;
        /* polygons: sample the route every 10 m; each run of samples inside is a gap */
        if (rb_routes_polyline(routes, net, r, 0, routes->length_m[r], &pl))
            goto nomem;
        double open = NAN, last_in = NAN;
        for (size_t i = 0; i + 1 < pl.n; i++) {
            double c0 = pl.ch[i], c1 = pl.ch[i + 1];
            double len = hypot(pl.xy[2 * i + 2] - pl.xy[2 * i], pl.xy[2 * i + 3] - pl.xy[2 * i + 1]);
            size_t steps = len > 0 ? (size_t)ceil(len / 10) : 1;
            for (size_t j = 0; j <= steps; j++) {
                if (j == steps && i + 2 < pl.n)
                    continue;               /* the next edge's first sample */
                double t = (double)j / (double)steps;
                double x = pl.xy[2 * i] + t * (pl.xy[2 * i + 2] - pl.xy[2 * i]);
                double y = pl.xy[2 * i + 1] + t * (pl.xy[2 * i + 3] - pl.xy[2 * i + 1]);
                double c = c0 + t * (c1 - c0);
                int in = rb_polyindex_find(settle, x, y) >= 0;
                if (in && open != open)
                    open = c;
                if (in)
                    last_in = c;
                if (!in && open == open) {
                    if (gap_push(&g, &n, &cap, (uint32_t)r, RB_GAP_SETTLEMENT, open, last_in))
                        goto nomem;
                    open = NAN;
                }
            }
        }
        if (open == open && gap_push(&g, &n, &cap, (uint32_t)r, RB_GAP_SETTLEMENT, open, last_in))
            goto nomem;
    }
    rb_polyline_free(&pl);
    if (n)
        qsort(g, n, sizeof *g, gap_cmp);
    /* a junction where two segments of the route meet is found from both: once is enough */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || gap_cmp(&g[m - 1], &g[i]))
            g[m++] = g[i];
    *gaps = g;
    *ngaps = m;
    return RB_OK;
nomem:
    rb_polyline_free(&pl);
    rb_free(g);
    return rb_err_nomem(err);
}

/* the first gap of route r (gaps are sorted by route) */
static size_t gap_first(const struct rb_layout_ctx *ctx, uint32_t r)
{
    size_t lo = 0, hi = ctx->ngap;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ctx->gap[mid].route < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- intervals ------------------------------------------------------------------ */

struct ivl {
    double a, b;
};

static int ivl_cmp(const void *x, const void *y)
{
    const struct ivl *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* sorts and merges touching intervals in place; returns the new count */
static size_t ivl_merge(struct ivl *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, ivl_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && v[i].a <= v[m - 1].b)
            v[m - 1].b = fmax(v[m - 1].b, v[i].b);
        else
            v[m++] = v[i];
    }
    return m;
}

/* ---- placing items ---------------------------------------------------------------- */

static int push(struct rb_works *out, const struct rb_work *w)
{
    if (rb_grow((void **)&out->w, &out->cap, out->n + 1, sizeof *out->w))
        return RB_ENOMEM;
    out->w[out->n++] = *w;
    return RB_OK;
}

/* a point at chainage ch (kept on the route), drawn offset to one side of the
 * direction dir (+1 along the chainage; 0 draws it as +1 does) */
static int place_point(const struct rb_layout_ctx *ctx, struct rb_works *out, struct rb_work w, double ch,
                       int physical_right)
{
    double L = ctx->routes->length_m[w.route];
    if (ch < 0 || ch > L) {
        w.note |= RB_WORK_CLIPPED;
        ch = ch < 0 ? 0 : L;
    }
    double x, y, tx, ty;
    if (!rb_routes_point(ctx->routes, ctx->net, w.route, ch, &x, &y, &tx, &ty))
        return RB_OK;               /* a gap in the route: nowhere to stand */
    w.from_m = w.to_m = ch;
    /* right of the chainage direction is (ty, -tx) */
    double off = w.side == RB_SIDE_CENTRE ? 0 : physical_right ? ctx->offset_m : -ctx->offset_m;
    w.x = x + off * ty;
    w.y = y - off * tx;
    return push(out, &w);
}

/* the side of the road traffic keeps to, as seen by traffic in direction dir:
 * whether it is right of the chainage direction */
static int keep_side_is_right(const struct rb_layout_ctx *ctx, int dir)
{
    int right = !ctx->drive_left;
    return dir >= 0 ? right : !right;
}

static int place_keep_side(const struct rb_layout_ctx *ctx, struct rb_works *out, struct rb_work w, int dir,
                           double ch)
{
    w.dir = (int8_t)dir;
    w.side = ctx->drive_left ? RB_SIDE_LEFT : RB_SIDE_RIGHT;
    return place_point(ctx, out, w, ch, keep_side_is_right(ctx, dir));
}

/* ---- the rules ------------------------------------------------------------------- */

static int lay_strip(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                     struct rb_work base, struct rb_works *out, double *laid_m, double *covered_m)
{
    const struct rb_routes *R = ctx->routes;
    size_t r = site->route;
    double u = cm->unit_m;
    double lo = fmax(0, site->from_m - u - 1), hi = fmin(R->length_m[r], site->to_m + u + 1);
    size_t nseg = R->seg0[r + 1] - R->seg0[r];
    struct ivl *ok = rb_mallocarray(nseg ? nseg : 1, sizeof *ok), *bad = NULL;
    size_t nok = 0, nbad = 0, capbad = 0;
    if (!ok)
        return RB_ENOMEM;
    /* where its conditions hold, segment by segment */
    for (size_t k = R->seg0[r]; k < R->seg0[r + 1]; k++) {
        size_t s = R->order[k];
        double a = fmax(lo, R->from_m[s]), b = fmin(hi, R->to_m[s]);
        if (b <= a)
            continue;
        struct rb_plan_road road = ctx->seg_road ? ctx->seg_road[s] : site->road;
        road.curve = site->road.curve;
        if (rb_cm_applies(cm, &road, NULL))
            ok[nok++] = (struct ivl){ a, b };
    }
    nok = ivl_merge(ok, nok);
    /* the gaps, buffered (unless it goes through them, as surfacing does) */
    for (size_t i = gap_first(ctx, (uint32_t)r); cm->gaps && i < ctx->ngap && ctx->gap[i].route == r; i++) {
        const struct rb_gap *g = &ctx->gap[i];
        double buf = ctx->gap_m[g->why];
        double a = g->from_m - buf, b = g->to_m + buf;
        if (b < lo || a > hi)
            continue;
        if (rb_grow((void **)&bad, &capbad, nbad + 1, sizeof *bad)) {
            rb_free(ok);
            return RB_ENOMEM;
        }
        bad[nbad++] = (struct ivl){ a, b };
    }
    nbad = ivl_merge(bad, nbad);
    /* free stretches: where it may go, less the gaps; each piece that meets the
     * site gets the whole units that cover its part of the site, as far as the
     * free stretch has room, centred on that part */
    int rc = RB_OK;
    for (size_t i = 0, j = 0; i < nok && !rc; i++) {
        double a = ok[i].a;
        while (a < ok[i].b && !rc) {
            while (j < nbad && bad[j].b <= a)
                j++;
            double b = ok[i].b;
            if (j < nbad && bad[j].a <= a) {        /* inside a gap: skip past it */
                a = bad[j].b;
                continue;
            }
            if (j < nbad && bad[j].a < b)
                b = bad[j].a;
            double p = fmax(a, site->from_m), q = fmin(b, site->to_m);
            if (q - p > 1e-6) {
                double n = 1, len = q - p, start = p;
                if (u > 0) {
                    n = ceil(len / u - 1e-9);
                    if (n * u > b - a + 1e-9)
                        n = floor((b - a) / u + 1e-9);
                    len = n * u;
                    start = fmin(fmax((p + q) / 2 - len / 2, a), b - len);
                }
                if (n >= 1) {
                    struct rb_work w = base;
                    w.is_line = 1;
                    w.role = RB_ROLE_STRIP;
                    w.from_m = start;
                    w.to_m = start + len;
                    w.units = u > 0 ? n : len;
                    w.x = w.y = NAN;
                    *laid_m += len;
                    *covered_m += fmax(0, fmin(w.to_m, site->to_m) - fmax(w.from_m, site->from_m));
                    rc = push(out, &w);
                }
            }
            a = b;
        }
    }
    rb_free(ok);
    rb_free(bad);
    return rc;
}

/* approach speed: the site's, else the default (noted) */
static double approach_speed(const struct rb_layout_ctx *ctx, const struct rb_plan_site *site, uint8_t *note)
{
    if (site->road.speed_kmh == site->road.speed_kmh && site->road.speed_kmh > 0)
        return site->road.speed_kmh;
    *note |= RB_WORK_SPEED_ASSUMED;
    return ctx->default_speed_kmh;
}

/* signs ahead of the stretch [a, b]: for traffic along the chainage before a,
 * against it after b */
static int lay_signs(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                     struct rb_work w, double a, double b, struct rb_works *out)
{
    w.speed_kmh = approach_speed(ctx, site, &w.note);
    double d = rb_sign_distance_m(ctx->place, w.speed_kmh);
    w.role = RB_ROLE_SIGN;
    int rc = place_keep_side(ctx, out, w, +1, a - d);
    if (!rc && cm->per_direction)
        rc = place_keep_side(ctx, out, w, -1, b + d);
    return rc;
}

static int lay_curve(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                     struct rb_work base, struct rb_works *out)
{
    const struct rb_routes *R = ctx->routes;
    struct rb_polyline pl = { 0 };
    double a = fmax(0, site->from_m - 60), b = fmin(R->length_m[site->route], site->to_m + 60);
    if (rb_routes_polyline(R, ctx->net, site->route, a, b, &pl))
        return RB_ENOMEM;
    struct rb_curve_run runs[64];
    double rmin, clen, *cum = rb_mallocarray(pl.n ? pl.n : 1, sizeof *cum);
    int rc = cum ? RB_OK : RB_ENOMEM;
    size_t nr = 0;
    if (!rc && pl.n >= 2) {
        nr = rb_curve_runs(pl.xy, pl.n, 30, 10, ctx->curve_radius_m, runs, 64, &rmin, &clen);
        nr = nr < 64 ? nr : 64;
        cum[0] = 0;
        for (size_t i = 1; i < pl.n; i++)
            cum[i] = cum[i - 1] + hypot(pl.xy[2 * i] - pl.xy[2 * i - 2], pl.xy[2 * i + 1] - pl.xy[2 * i - 1]);
    }
    for (size_t k = 0; k < nr && !rc; k++) {
        double c0 = rb_polyline_ch_at(&pl, cum, runs[k].from_m), c1 = rb_polyline_ch_at(&pl, cum, runs[k].to_m);
        if (c1 < site->from_m || c0 > site->to_m)
            continue;           /* a bend beyond the site, seen only for its ends */
        struct rb_work w = base;
        w.radius_m = runs[k].min_radius_m;
        double sp = rb_chevron_spacing_m(ctx->place, w.radius_m);
        double n = floor((c1 - c0) / sp + 1e-9) + 1;
        if (n < ctx->place->chev_min)
            n = ctx->place->chev_min;
        double first = (c0 + c1) / 2 - (n - 1) * sp / 2;
        /* chevrons stand on the outside of the bend, facing each direction's traffic:
         * a bend to the left (along the chainage) has its outside on the right */
        int outside_right = runs[k].turn > 0;
        w.role = RB_ROLE_CHEVRON;
        for (int dir = 1; dir >= -1 && !rc; dir -= 2) {
            if (dir < 0 && !cm->per_direction)
                break;
            w.dir = (int8_t)dir;
            w.side = (dir > 0) == outside_right ? RB_SIDE_RIGHT : RB_SIDE_LEFT;
            for (double i = 0; i < n && !rc; i++)
                rc = place_point(ctx, out, w, first + i * sp, outside_right);
        }
        /* and the curve warning sign ahead of it, each way */
        if (!rc)
            rc = lay_signs(ctx, cm, site, w, fmin(c0, first), fmax(c1, first + (n - 1) * sp), out);
    }
    rb_free(cum);
    rb_polyline_free(&pl);
    return rc;
}

static int lay_spaced(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                      struct rb_work w, struct rb_works *out)
{
    double len = site->to_m - site->from_m;
    double n = fmax(1, ceil(len / cm->spacing_m - 1e-9)) + 1, sp = len / (n - 1);
    w.role = RB_ROLE_DEVICE;
    int rc = RB_OK;
    for (int dir = 1; dir >= -1 && !rc; dir -= 2) {
        if (dir < 0 && !cm->per_direction)
            break;
        for (double i = 0; i < n && !rc; i++)
            rc = place_keep_side(ctx, out, w, cm->per_direction ? dir : 0, site->from_m + i * sp);
    }
    return rc;
}

/* how much of a crash at x a device at p acts on: half the crashes at a place
 * are of each direction's traffic, each acted on from zone_up_m before the
 * device to zone_down_m past it in its direction */
static double device_share(const struct rb_cm *cm, double p, double x)
{
    double along = x >= p - cm->zone_up_m && x <= p + cm->zone_down_m;
    double against = x >= p - cm->zone_down_m && x <= p + cm->zone_up_m;
    return (along + against) / 2;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* crashes at v[0..n) (sorted) in [a, b] */
static size_t count_in(const double *v, size_t n, double a, double b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {                 /* first >= a */
        size_t m = (lo + hi) / 2;
        if (v[m] < a) lo = m + 1; else hi = m;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {                 /* first > b */
        size_t m = (lo + hi) / 2;
        if (v[m] <= b) lo = m + 1; else hi = m;
    }
    return lo - first;
}

/* the crashes at v[0..n) (sorted) a device at p acts on, counting each
 * direction's traffic once: twice device_share summed */
static double zone_count(const struct rb_cm *cm, const double *v, size_t n, double p)
{
    return (double)count_in(v, n, p - cm->zone_up_m, p + cm->zone_down_m) +
           (double)count_in(v, n, p - cm->zone_down_m, p + cm->zone_up_m);
}

/* where the device's zone holds the most of its target crashes, well inside
 * the stretch of places that do so (its middle, not an end where a crash sits
 * on the zone's edge); of several such stretches, the one nearest mid (ties:
 * the lower chainage); mid when no target crash is known by chainage */
static int best_point(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                      double mid, double *at)
{
    *at = mid;
    size_t nc = site->nc ? site->nc : 1;
    double *v = rb_mallocarray(nc, sizeof *v), *brk = rb_mallocarray(rb_size_mul(nc, 4) + 2, sizeof *brk);
    if (!v || !brk) {
        rb_free(v);
        rb_free(brk);
        return RB_ENOMEM;
    }
    size_t n = 0, nb = 0;
    for (size_t i = 0; i < site->nc; i++) {
        const struct rb_plan_crash *c = &ctx->crash[site->c0 + i];
        if (c->at_m == c->at_m && rb_pattern_has(&cm->target, c))
            v[n++] = c->at_m;
    }
    qsort(v, n, sizeof *v, dbl_cmp);
    /* the count changes only where a zone's end meets a crash: between two
     * such places it is the same */
    brk[nb++] = site->from_m;
    brk[nb++] = site->to_m;
    for (size_t i = 0; i < n; i++) {
        double off[4] = { cm->zone_up_m, -cm->zone_up_m, cm->zone_down_m, -cm->zone_down_m };
        for (int k = 0; k < 4; k++)
            if (v[i] + off[k] > site->from_m && v[i] + off[k] < site->to_m)
                brk[nb++] = v[i] + off[k];
    }
    qsort(brk, nb, sizeof *brk, dbl_cmp);
    size_t m = 0;
    for (size_t j = 0; j < nb; j++)
        if (!m || brk[j] > brk[m - 1])
            brk[m++] = brk[j];
    /* runs of pieces with one count: the best run's middle */
    double best = 0, run_a = brk[0], prev = -1;
    for (size_t j = 0; n && j < m; j++) {
        double val = j + 1 < m ? zone_count(cm, v, n, (brk[j] + brk[j + 1]) / 2) : -1;
        if (j > 0 && val != prev) {
            double c = (run_a + brk[j]) / 2;
            if (prev > best || (prev == best && prev > 0 && (fabs(c - mid) < fabs(*at - mid) ||
                                                             (fabs(c - mid) == fabs(*at - mid) && c < *at)))) {
                best = prev;
                *at = c;
            }
            run_a = brk[j];
        }
        prev = val;
    }
    rb_free(v);
    rb_free(brk);
    return RB_OK;
}

static int lay_point(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                     struct rb_work w, struct rb_works *out)
{
    double mid = (site->from_m + site->to_m) / 2, at = mid;
    if (site->junction < 0 && !cm->at_junction && ctx->crash) {
        if (best_point(ctx, cm, site, mid, &at))
            return RB_ENOMEM;
    } else if (site->junction < 0) {
        /* at the junction nearest the site's middle, when it has one; else the middle */
        for (size_t i = gap_first(ctx, site->route); i < ctx->ngap && ctx->gap[i].route == site->route; i++) {
            const struct rb_gap *g = &ctx->gap[i];
            if (g->why == RB_GAP_JUNCTION && g->from_m >= site->from_m &&
                g->from_m <= site->to_m && (at == mid || fabs(g->from_m - mid) < fabs(at - mid)))
                at = g->from_m;
        }
    }
    w.role = RB_ROLE_DEVICE;
    if (!cm->per_direction) {
        w.side = RB_SIDE_CENTRE;
        w.dir = 0;
        return place_point(ctx, out, w, at, 1);
    }
    int rc = place_keep_side(ctx, out, w, +1, at);
    return rc ? rc : place_keep_side(ctx, out, w, -1, at);
}

void rb_layout_shares(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                      const struct rb_work *w, size_t nw, double cover, double *share)
{
    for (size_t i = 0; i < site->nc; i++) {
        double x = ctx->crash ? ctx->crash[site->c0 + i].at_m : NAN, s = 0;
        if (site->junction >= 0) {
            share[i] = 1;
            continue;
        }
        if (x != x) {
            share[i] = cover;
            continue;
        }
        switch (cm->layout) {
        case RB_LAYOUT_STRIP:
            for (size_t j = 0; j < nw && !s; j++)
                s = w[j].is_line && x >= w[j].from_m && x <= w[j].to_m;
            break;
        case RB_LAYOUT_CURVE:
            for (size_t j = 0; j < nw && !s; j++) {
                double half = w[j].role == RB_ROLE_CHEVRON ? rb_chevron_spacing_m(ctx->place, w[j].radius_m) / 2 : -1;
                s = half >= 0 && x >= w[j].from_m - half && x <= w[j].from_m + half;
            }
            break;
        case RB_LAYOUT_POINT:
            /* the devices of one place (one each way, or one for both) act as one */
            for (size_t j = 0; j < nw && s == 0; j++)
                if (w[j].role == RB_ROLE_DEVICE)
                    s = device_share(cm, w[j].from_m, x);
            break;
        default:
            s = 1;
            break;
        }
        share[i] = s;
    }
}

static int lay_section(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                       struct rb_work w, struct rb_works *out)
{
    int rc = RB_OK;
    for (int dir = 1; dir >= -1 && !rc; dir -= 2) {
        if (dir < 0 && !cm->per_direction)
            break;
        w.role = RB_ROLE_ENTRY;
        rc = place_keep_side(ctx, out, w, cm->per_direction ? dir : 0, dir > 0 ? site->from_m : site->to_m);
        w.role = RB_ROLE_EXIT;
        if (!rc)
            rc = place_keep_side(ctx, out, w, cm->per_direction ? dir : 0, dir > 0 ? site->to_m : site->from_m);
    }
    return rc;
}

int rb_layout(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, size_t k, const struct rb_plan_site *site,
              size_t site_index, struct rb_works *out, double *quantity, double *cover, struct rb_err *err)
{
    size_t n0 = out->n;
    double len = site->to_m - site->from_m, laid_m = 0, covered_m = 0;
    struct rb_work base = { .site = (uint32_t)site_index, .cm = (uint32_t)k, .route = site->route, .radius_m = NAN,
                            .speed_kmh = NAN, .x = NAN, .y = NAN };
    int rc = RB_OK;
    switch (cm->layout) {
    case RB_LAYOUT_STRIP:
        rc = lay_strip(ctx, cm, site, base, out, &laid_m, &covered_m);
        break;
    case RB_LAYOUT_SIGNS:
        rc = lay_signs(ctx, cm, site, base, site->from_m, site->to_m, out);
        break;
    case RB_LAYOUT_CURVE:
        rc = lay_curve(ctx, cm, site, base, out);
        break;
    case RB_LAYOUT_SPACED:
        rc = lay_spaced(ctx, cm, site, base, out);
        break;
    case RB_LAYOUT_SECTION:
        rc = lay_section(ctx, cm, site, base, out);
        break;
    default:
        rc = lay_point(ctx, cm, site, base, out);
        break;
    }
    if (rc)
        return rb_err_nomem(err);
    size_t items = out->n - n0;
    *cover = 1;
    if (cm->layout == RB_LAYOUT_STRIP) {
        *cover = len > 0 ? fmin(1, covered_m / len) : 0;
        *quantity = cm->unit == RB_CM_PER_KM ? laid_m / 1000 : cm->unit == RB_CM_PER_SITE ? (items > 0) : items;
    } else if (cm->unit == RB_CM_PER_KM) {
        *quantity = items ? len / 1000 : 0;          /* a lit or delineated stretch: its length */
    } else {
        *quantity = cm->unit == RB_CM_PER_SITE ? (items > 0) : items;
    }
    return RB_OK;
}
