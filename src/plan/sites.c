/* plan/sites: the sites a plan treats, made from what screening flagged. */
#include "plan/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct span {
    uint32_t route;
    double from_m, to_m;
};

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    return (x->to_m > y->to_m) - (x->to_m < y->to_m);
}

struct at {
    uint32_t route;
    double ch;
    size_t i;
};

static int at_cmp(const void *a, const void *b)
{
    const struct at *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    if (x->ch != y->ch)
        return x->ch < y->ch ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* the route's curvature over the site and 60 m either side, so a curve at
 * the stretch's end is seen whole */
static int site_curve(const struct rb_plan_input *in, struct rb_plan_site *s, struct rb_polyline *pl)
{
    s->min_radius_m = INFINITY;
    s->curve_len_m = 0;
    double a = fmax(0, s->from_m - 60), b = fmin(in->routes->length_m[s->route], s->to_m + 60);
    if (b > a && rb_routes_polyline(in->routes, in->net, s->route, a, b, pl))
        return RB_ENOMEM;
    if (b > a)
        rb_curve_scan(pl->xy, pl->n, 30, 10, in->curve_radius_m, &s->min_radius_m, &s->curve_len_m);
    s->road.curve = s->curve_len_m > 0;
    return RB_OK;
}

int rb_plan_sites(const struct rb_plan_input *in, struct rb_plan_site **sites_out, size_t *nsites,
                  struct rb_plan_crash **crash_out, struct rb_plan_crash **ref_out, size_t *nref,
                  struct rb_err *err)
{
    *sites_out = NULL;
    *crash_out = *ref_out = NULL;
    *nsites = *nref = 0;
    const struct rb_hotspots *h = in->hot;
    const struct rb_routes *r = in->routes;
    size_t nh = h ? h->n : 0;
    struct span *sp = rb_malloc((nh ? nh : 1) * sizeof *sp);
    struct at *at = rb_malloc((in->ncrash ? in->ncrash : 1) * sizeof *at);
    struct rb_plan_site *sites = rb_calloc(nh ? nh : 1, sizeof *sites);
    struct rb_plan_crash *ref = rb_malloc((in->ncrash ? in->ncrash : 1) * sizeof *ref);
    struct rb_plan_crash *cr = NULL;
    struct rb_polyline pl = { 0 };
    if (!sp || !at || !sites || !ref)
        goto nomem;
    for (size_t k = 0; k < nh; k++)
        sp[k] = (struct span){ h->route[k], h->from_m[k], h->to_m[k] };
    qsort(sp, nh, sizeof *sp, span_cmp);
    size_t ns = 0;
    for (size_t k = 0; k < nh; k++) {
        if (ns && sites[ns - 1].route == sp[k].route && sp[k].from_m <= sites[ns - 1].to_m) {
            sites[ns - 1].to_m = fmax(sites[ns - 1].to_m, sp[k].to_m);
            continue;
        }
        sites[ns++] = (struct rb_plan_site){ .route = sp[k].route, .from_m = sp[k].from_m, .to_m = sp[k].to_m };
    }
    /* counted crashes along the routes */
    size_t na = 0;
    for (size_t i = 0; i < in->ncrash; i++) {
        if (!in->counted[i] || in->crash_seg[i] < 0 || in->chainage_m[i] != in->chainage_m[i])
            continue;
        ref[(*nref)++] = in->crash[i];
        at[na++] = (struct at){ r->route_of[in->crash_seg[i]], in->chainage_m[i], i };
    }
    qsort(at, na, sizeof *at, at_cmp);
    /* sites are in route / chainage order and do not overlap: one sweep gives
     * each its crashes, at most na in all */
    cr = rb_malloc((na ? na : 1) * sizeof *cr);
    if (!cr)
        goto nomem;
    for (size_t s = 0, lo = 0, o = 0; s < ns; s++) {
        while (lo < na && (at[lo].route < sites[s].route ||
                           (at[lo].route == sites[s].route && at[lo].ch < sites[s].from_m)))
            lo++;
        sites[s].c0 = o;
        for (size_t q = lo; q < na && at[q].route == sites[s].route && at[q].ch <= sites[s].to_m; q++)
            cr[o++] = in->crash[at[q].i];
        sites[s].nc = o - sites[s].c0;
    }
    /* road, expected crashes and curvature */
    for (size_t s = 0; s < ns; s++) {
        struct rb_plan_site *st = &sites[s];
        double best = -1, exp_sum = 0;
        int all_eb = 1, any = 0;
        size_t bseg = 0;
        for (size_t q = r->seg0[st->route]; q < r->seg0[st->route + 1]; q++) {
            size_t g = r->order[q];
            double ov = fmin(r->to_m[g], st->to_m) - fmax(r->from_m[g], st->from_m);
            double len = r->to_m[g] - r->from_m[g];
            if (ov <= 0 || len <= 0)
                continue;
            double eb = in->seg_sites->eb_per_yr ? in->seg_sites->eb_per_yr[g] : NAN;
            double f = eb == eb ? eb : in->seg_sites->freq_per_yr[g];
            all_eb &= eb == eb;
            any = 1;
            if (f == f)
                exp_sum += f * ov / len;
            if (ov > best) {
                best = ov;
                bseg = g;
            }
        }
        st->expected_per_yr = exp_sum;
        st->eb = any && all_eb;
        st->road = in->seg_road[bseg];
        st->road.is_intersection = 0;
        if (site_curve(in, st, &pl))
            goto nomem;
    }
    rb_polyline_free(&pl);
    rb_free(sp);
    rb_free(at);
    *sites_out = sites;
    *nsites = ns;
    *crash_out = cr;
    *ref_out = ref;
    return RB_OK;
nomem:
    rb_polyline_free(&pl);
    rb_free(sp);
    rb_free(at);
    rb_free(sites);
    rb_free(ref);
    rb_free(cr);
    *nref = 0;
    return rb_err_nomem(err);
}
