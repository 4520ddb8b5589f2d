/* match/lref: crashes located by road and measure ("KAZ19, km 123+450"). The
 * road is found by its key (rb_road_key: case, spaces and Cyrillic look-alikes
 * do not matter); the measure becomes a chainage along the route, straight or
 * calibrated piecewise between kilometre posts where they drift from the
 * geometric length; the chainage becomes a point on the route. */
#include "match/lref.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int key_cmp(const void *a, const void *b)
{
    const struct rb_lref_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->route > y->route) - (x->route < y->route);
}

struct mk {
    uint32_t route;
    double value_m, ch;
};

static int mk_cmp(const void *a, const void *b)
{
    const struct mk *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    if (x->value_m != y->value_m)
        return x->value_m < y->value_m ? -1 : 1;
    return (x->ch > y->ch) - (x->ch < y->ch);
}

void rb_lref_free(struct rb_lref *lr)
{
    if (!lr)
        return;
    rb_free(lr->ix);
    rb_free(lr->m0);
    rb_free(lr->value_m);
    rb_free(lr->ch);
    memset(lr, 0, sizeof *lr);
}

long rb_lref_route(const struct rb_lref *lr, const char *road)
{
    if (!road || !*road)
        return -1;
    char key[96];
    rb_road_key(road, key, sizeof key);
    size_t lo = 0, hi = lr->nix;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(lr->ix[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lr->nix && !strcmp(lr->ix[lo].key, key) ? (long)lr->ix[lo].route : -1;
}

/* the route's nearest point to (x, y): chainage and distance */
static double route_project(const struct rb_routes *r, const struct rb_net *net, size_t route, double x, double y,
                            double *ch)
{
    double best = INFINITY;
    for (size_t k = r->seg0[route]; k < r->seg0[route + 1]; k++) {
        size_t s = r->order[k];
        struct rb_proj pr;
        rb_net_project(net, s, x, y, &pr);
        if (pr.dist_m < best) {
            best = pr.dist_m;
            *ch = rb_routes_chainage(r, net, s, pr.measure_m);
        }
    }
    return best;
}

int rb_lref_build(const struct rb_routes *routes, const struct rb_net *net, const struct rb_lref_markers *mk_in,
                  struct rb_lref *lr, struct rb_log *log, struct rb_err *err)
{
    memset(lr, 0, sizeof *lr);
    lr->routes = routes;
    lr->net = net;
    size_t nr = routes->nroutes, nm = mk_in ? mk_in->n : 0;
    lr->ix = rb_malloc((nr ? nr : 1) * sizeof *lr->ix);
    lr->m0 = rb_calloc(nr + 1, sizeof *lr->m0);
    struct mk *m = rb_malloc((nm ? nm : 1) * sizeof *m);
    if (!lr->ix || !lr->m0 || !m) {
        rb_free(m);
        rb_lref_free(lr);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < nr; i++) {
        rb_road_key(routes->id[i], lr->ix[i].key, sizeof lr->ix[i].key);
        lr->ix[i].route = (uint32_t)i;
    }
    lr->nix = nr;
    qsort(lr->ix, nr, sizeof *lr->ix, key_cmp);
    /* markers: each projected onto its own route */
    size_t k = 0;
    for (size_t i = 0; i < nm; i++) {
        long r = rb_lref_route(lr, mk_in->route[i]);
        if (r < 0) {
            rb_warn(log, RB_W_LOCATION, "%s: marker %zu: road '%s' is not a route of the network; left out",
                    mk_in->path, i + 1, mk_in->route[i] ? mk_in->route[i] : "");
            continue;
        }
        if (!(mk_in->value_m[i] == mk_in->value_m[i])) {
            rb_warn(log, RB_W_MEASURE, "%s: marker %zu: no value; left out", mk_in->path, i + 1);
            continue;
        }
        double ch = 0, d = route_project(routes, net, (size_t)r, mk_in->x[i], mk_in->y[i], &ch);
        if (!(d <= RB_LREF_MARKER_MAX_M)) {
            rb_warn(log, RB_W_LOCATION, "%s: marker %zu (%s %.3f km) lies %.0f m from its road; left out",
                    mk_in->path, i + 1, mk_in->route[i], mk_in->value_m[i] / 1000, d);
            continue;
        }
        m[k++] = (struct mk){ (uint32_t)r, mk_in->value_m[i], ch };
    }
    qsort(m, k, sizeof *m, mk_cmp);
    /* keep, route by route, the most posts whose chainage grows with their
     * value (the longest increasing run, O(n log n)); the rest are out of
     * order with their neighbours and are left out */
    size_t kept = 0;
    size_t *tail = rb_malloc((k ? k : 1) * sizeof *tail), *prev = rb_malloc((k ? k : 1) * sizeof *prev);
    uint8_t *keep = rb_calloc(k ? k : 1, 1);
    if (!tail || !prev || !keep) {
        rb_free(tail);
        rb_free(prev);
        rb_free(keep);
        rb_free(m);
        rb_lref_free(lr);
        return rb_err_nomem(err);
    }
    for (size_t a = 0; a < k;) {
        size_t b = a;
        while (b < k && m[b].route == m[a].route)
            b++;
        size_t len = 0;
        for (size_t i = a; i < b; i++) {
            /* the first tail whose chainage is not below this one's (values are distinct-increasing
             * only when strictly greater: equal values cannot both stay) */
            size_t lo = 0, hi = len;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (m[tail[mid]].ch < m[i].ch && m[tail[mid]].value_m < m[i].value_m)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            prev[i] = lo ? tail[lo - 1] : SIZE_MAX;
            tail[lo] = i;
            if (lo == len)
                len++;
        }
        for (size_t i = len ? tail[len - 1] : SIZE_MAX; i != SIZE_MAX; i = prev[i])
            keep[i] = 1;
        for (size_t i = a; i < b; i++)
            if (!keep[i])
                rb_warn(log, RB_W_LOCATION, "%s: marker at %s %.3f km is out of order with its neighbours; left out",
                        mk_in->path, routes->id[m[i].route], m[i].value_m / 1000);
        a = b;
    }
    for (size_t i = 0; i < k; i++)
        if (keep[i])
            m[kept++] = m[i];
    rb_free(tail);
    rb_free(prev);
    rb_free(keep);
    lr->value_m = rb_malloc((kept ? kept : 1) * sizeof *lr->value_m);
    lr->ch = rb_malloc((kept ? kept : 1) * sizeof *lr->ch);
    if (!lr->value_m || !lr->ch) {
        rb_free(m);
        rb_lref_free(lr);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < kept; i++) {
        lr->value_m[i] = m[i].value_m;
        lr->ch[i] = m[i].ch;
        lr->m0[m[i].route + 1]++;
    }
    for (size_t r = 0; r < nr; r++)
        lr->m0[r + 1] += lr->m0[r];
    lr->nmarkers = kept;
    rb_free(m);
    return RB_OK;
}

double rb_lref_chainage(const struct rb_lref *lr, size_t route, double measure_m)
{
    size_t a = lr->m0[route], b = lr->m0[route + 1];
    if (a == b)
        return measure_m;                          /* no posts: the measure is the chainage */
    const double *v = lr->value_m, *c = lr->ch;
    if (measure_m <= v[a])
        return c[a] + (measure_m - v[a]);          /* before the first post: metre for metre */
    if (measure_m >= v[b - 1])
        return c[b - 1] + (measure_m - v[b - 1]);  /* after the last */
    size_t lo = a, hi = b - 1;                     /* v[lo] <= measure < v[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] <= measure_m)
            lo = mid;
        else
            hi = mid;
    }
    return c[lo] + (measure_m - v[lo]) * (c[hi] - c[lo]) / (v[hi] - v[lo]);
}

int rb_lref_place(const struct rb_lref *lr, size_t route, double ch, struct rb_match *m)
{
    const struct rb_routes *r = lr->routes;
    if (!(ch >= 0 && ch <= r->length_m[route]))
        return 0;
    for (size_t k = r->seg0[route]; k < r->seg0[route + 1]; k++) {
        size_t s = r->order[k];
        if (ch < r->from_m[s] || ch > r->to_m[s])
            continue;
        double x, y, tx, ty;
        if (!rb_routes_point(r, lr->net, route, ch, &x, &y, &tx, &ty))
            return 0;
        double len = lr->net->segs[s].length_m;
        m->seg = (int64_t)s;
        m->measure_m = r->dir[s] > 0 ? ch - r->from_m[s] : len - (ch - r->from_m[s]);
        m->px = x;
        m->py = y;
        m->offset_m = 0;
        m->side = 0;
        m->reason = RB_UNM_NONE;
        m->ambiguous = m->grade_sep = 0;
        m->alt_seg = -1;
        m->alt_offset_m = m->nearest_m = NAN;
        return 1;
    }
    return 0;                                      /* a gap in the route */
}

const char *rb_located_by_name(int by)
{
    static const char *const names[] = { "none", "coordinates", "route_measure", "override" };
    return by >= 0 && by <= RB_LOC_OVERRIDE ? names[by] : "none";
}

const char *rb_lr_status_name(int st)
{
    static const char *const names[] = { "", "ok", "route_unknown", "beyond_route", "disagree" };
    return st >= 0 && st <= RB_LR_DISAGREE ? names[st] : "";
}

const char *rb_quality_name(int q)
{
    static const char *const names[] = { "exact", "good", "fair", "ambiguous", "unmatched" };
    return q >= 0 && q < RB_NQ ? names[q] : "unmatched";
}

void rb_locate_measures(const struct rb_lref *lr, const char *const *road, const double *measure_m, size_t n,
                        double check_m, struct rb_match *m, struct rb_locate *loc)
{
    for (size_t i = 0; i < n; i++) {
        loc[i].by = m[i].seg >= 0 ? RB_LOC_XY : RB_LOC_NONE;
        loc[i].lr = RB_LR_NONE;
        loc[i].quality = RB_Q_UNMATCHED;
        loc[i].lr_dist_m = NAN;
        if (!lr || !road || !road[i] || !*road[i] || !(measure_m[i] == measure_m[i]))
            continue;
        long r = rb_lref_route(lr, road[i]);
        if (r < 0) {
            loc[i].lr = RB_LR_ROUTE_UNKNOWN;
            continue;
        }
        struct rb_match t;
        if (!rb_lref_place(lr, (size_t)r, rb_lref_chainage(lr, (size_t)r, measure_m[i]), &t)) {
            loc[i].lr = RB_LR_BEYOND_ROUTE;
            continue;
        }
        t.junction = 0;
        if (m[i].seg < 0) {
            m[i] = t;
            loc[i].by = RB_LOC_MEASURE;
            loc[i].lr = RB_LR_OK;
            continue;
        }
        loc[i].lr_dist_m = hypot(m[i].px - t.px, m[i].py - t.py);
        loc[i].lr = loc[i].lr_dist_m > check_m ? RB_LR_DISAGREE : RB_LR_OK;
    }
}

void rb_locate_grade(const struct rb_lref *lr, const struct rb_routes *routes, const struct rb_match *m,
                     struct rb_locate *loc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int q;
        if (m[i].seg < 0)
            q = RB_Q_UNMATCHED;
        else if (loc[i].by == RB_LOC_OVERRIDE)
            q = RB_Q_EXACT;
        else if (m[i].ambiguous)
            q = RB_Q_AMBIGUOUS;
        else if (loc[i].by == RB_LOC_MEASURE) {
            size_t r = routes ? routes->route_of[m[i].seg] : 0;
            q = lr && routes && lr->m0[r + 1] > lr->m0[r] ? RB_Q_GOOD : RB_Q_FAIR;
        } else if (loc[i].lr == RB_LR_DISAGREE || loc[i].hint == RB_HINT_DISAGREES)
            q = RB_Q_FAIR;
        else
            q = m[i].offset_m <= 5 ? RB_Q_EXACT : m[i].offset_m <= 15 ? RB_Q_GOOD : RB_Q_FAIR;
        loc[i].quality = (uint8_t)q;
    }
}
