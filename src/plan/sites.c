/* plan/sites: the sites a plan treats, made from what screening flagged. */
#include "plan/sites.h"
#include "plan/curve.h"

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
    size_t i, k;    /* the crash, and its place in the reference list */
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

/* the junction's place on the route of its busiest leg (*leg) */
static int junction_place(const struct rb_plan_input *in, size_t j, uint32_t *route, double *ch, uint32_t *leg)
{
    const struct rb_junctions *J = in->junc;
    if (!J->n_legs[j])
        return 0;
    uint32_t best = J->leg_seg[J->leg0[j]];
    for (uint32_t l = J->leg0[j]; l < J->leg0[j] + J->n_legs[j]; l++)
        if (in->net->segs[J->leg_seg[l]].aadt > in->net->segs[best].aadt)
            best = J->leg_seg[l];
    struct rb_proj pr;
    rb_net_project(in->net, best, J->x[j], J->y[j], &pr);
    *route = in->routes->route_of[best];
    *ch = rb_routes_chainage(in->routes, in->net, best, pr.measure_m);
    *leg = best;
    return 1;
}

static int junction_rank_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

static int add_junctions(const struct rb_plan_input *in, struct rb_plan_site *sites, size_t *ns, size_t nstretch,
                         struct rb_plan_crash **cr, size_t na)
{
    const struct rb_junctions *J = in->junc;
    const struct rb_sites *S = in->int_sites;
    /* junctions by rank (then index), the first int_top with a crash */
    uint64_t *ord = rb_mallocarray(J->n ? J->n : 1, sizeof *ord);
    if (!ord)
        return RB_ENOMEM;
    size_t no = 0;
    for (size_t j = 0; j < J->n; j++)
        if (S->rank[j] >= 1 && S->rank[j] <= in->int_top && S->n_obs[j] > 0)
            ord[no++] = (uint64_t)S->rank[j] << 32 | j;
    qsort(ord, no, sizeof *ord, junction_rank_cmp);
    size_t first = *ns;
    for (size_t k = 0; k < no; k++) {
        size_t j = (size_t)(ord[k] & UINT32_MAX);
        uint32_t route, best;
        double ch;
        if (!junction_place(in, j, &route, &ch, &best))
            continue;
        int inside = 0;
        for (size_t s = 0; s < nstretch && !inside; s++)
            inside = sites[s].route == route && ch >= sites[s].from_m && ch <= sites[s].to_m;
        if (inside)
            continue;
        double L = in->routes->length_m[route];
        struct rb_plan_site *st = &sites[(*ns)++];
        *st = (struct rb_plan_site){ .route = route, .from_m = fmax(0, ch - in->int_radius_m),
                                     .to_m = fmin(L, ch + in->int_radius_m), .junction = (long)j,
                                     .expected_per_yr = S->freq_per_yr[j], .eb = 0,
                                     .min_radius_m = INFINITY };
        st->road = in->seg_road[best];
        st->pop = in->seg_sites->pop ? in->seg_sites->pop[best] : 0;
        st->road.is_intersection = 1;
        st->road.curve = 0;
        st->road.aadt = S->aadt ? S->aadt[j] : st->road.aadt;
    }
    /* their crashes, after the stretches' */
    size_t extra = 0;
    for (size_t i = 0; i < in->ncrash; i++)
        extra += in->counted[i] && in->crash_junction[i] >= 0;
    struct rb_plan_crash *grown = rb_reallocarray(*cr, na + extra ? na + extra : 1, sizeof *grown);
    if (!grown) {
        rb_free(ord);
        return RB_ENOMEM;
    }
    *cr = grown;
    /* one pass: each crash to its junction's site, then site by site */
    long *site_of = rb_mallocarray(J->n ? J->n : 1, sizeof *site_of);
    size_t *cnt = rb_calloc(*ns - first + 1, sizeof *cnt);
    if (!site_of || !cnt) {
        rb_free(site_of);
        rb_free(cnt);
        rb_free(ord);
        return RB_ENOMEM;
    }
    for (size_t j = 0; j < J->n; j++)
        site_of[j] = -1;
    for (size_t s = first; s < *ns; s++)
        site_of[sites[s].junction] = (long)(s - first);
    for (size_t i = 0; i < in->ncrash; i++)
        if (in->counted[i] && in->crash_junction[i] >= 0 && site_of[in->crash_junction[i]] >= 0)
            cnt[site_of[in->crash_junction[i]] + 1]++;
    size_t o = first ? sites[first - 1].c0 + sites[first - 1].nc : 0;
    for (size_t s = first; s < *ns; s++) {
        cnt[s - first + 1] += cnt[s - first];
        sites[s].c0 = o + cnt[s - first];
        sites[s].nc = 0;
    }
    for (size_t i = 0; i < in->ncrash; i++) {
        if (!in->counted[i] || in->crash_junction[i] < 0 || site_of[in->crash_junction[i]] < 0)
            continue;
        struct rb_plan_site *st = &sites[first + (size_t)site_of[in->crash_junction[i]]];
        struct rb_plan_crash c = in->crash[i];
        c.pop = in->seg_sites->pop && in->crash_seg[i] >= 0 ? in->seg_sites->pop[in->crash_seg[i]] : 0;
        c.at_m = NAN;               /* a junction's crashes lie on several legs */
        grown[st->c0 + st->nc++] = c;
    }
    rb_free(site_of);
    rb_free(cnt);
    rb_free(ord);
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
    struct span *sp = rb_mallocarray(nh ? nh : 1, sizeof *sp);
    struct at *at = rb_mallocarray(in->ncrash ? in->ncrash : 1, sizeof *at);
    size_t nj = in->junc && in->int_sites ? in->junc->n : 0;
    struct rb_plan_site *sites = rb_calloc(nh + nj ? nh + nj : 1, sizeof *sites);
    struct rb_plan_crash *ref = rb_mallocarray(in->ncrash ? in->ncrash : 1, sizeof *ref);
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
        sites[ns++] = (struct rb_plan_site){ .route = sp[k].route, .from_m = sp[k].from_m, .to_m = sp[k].to_m,
                                             .junction = -1 };
    }
    /* counted crashes along the routes */
    size_t na = 0;
    for (size_t i = 0; i < in->ncrash; i++) {
        if (!in->counted[i] || in->crash_seg[i] < 0 || in->chainage_m[i] != in->chainage_m[i])
            continue;
        ref[*nref] = in->crash[i];
        ref[*nref].pop = in->seg_sites->pop ? in->seg_sites->pop[in->crash_seg[i]] : 0;
        ref[(*nref)++].at_m = NAN;
        at[na] = (struct at){ r->route_of[in->crash_seg[i]], in->chainage_m[i], i, na };
        na++;
    }
    qsort(at, na, sizeof *at, at_cmp);
    /* sites are in route / chainage order and do not overlap: one sweep gives
     * each its crashes, at most na in all */
    cr = rb_mallocarray(na ? na : 1, sizeof *cr);
    if (!cr)
        goto nomem;
    for (size_t s = 0, lo = 0, o = 0; s < ns; s++) {
        while (lo < na && (at[lo].route < sites[s].route ||
                           (at[lo].route == sites[s].route && at[lo].ch < sites[s].from_m)))
            lo++;
        sites[s].c0 = o;
        for (size_t q = lo; q < na && at[q].route == sites[s].route && at[q].ch <= sites[s].to_m; q++) {
            cr[o] = ref[at[q].k];
            cr[o++].at_m = at[q].ch;
        }
        sites[s].nc = o - sites[s].c0;
    }
    /* road, expected crashes and curvature */
    for (size_t s = 0; s < ns; s++) {
        struct rb_plan_site *st = &sites[s];
        double best = -1, exp_sum = 0, pred = 0;
        int all_eb = 1, any = 0, have_pred = in->spf && in->nyears > 0 && in->seg_sites->pred_per_yr;
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
            double p = have_pred ? in->seg_sites->pred_per_yr[g] : NAN;
            if (p >= 0)
                pred += p * ov / len;
            else
                have_pred = 0;
            if (ov > best) {
                best = ov;
                bseg = g;
            }
        }
        st->expected_per_yr = NAN;
        if (have_pred && any && pred > 0) {
            /* the site's own EB: its prediction every year, its observed count */
            double py[64];
            int ny = in->nyears < 64 ? in->nyears : 64;
            for (int y = 0; y < ny; y++)
                py[y] = pred;
            /* k of the SPF of the segment covering most of the site (its type's, in a set);
             * an SPF of components: that segment's own, which its components' mix sets */
            const struct rb_spf *spf = in->seg_sites->spf_ix ? &in->spf[in->seg_sites->spf_ix[bseg]] : in->spf;
            double k = !spf->ncomp ? rb_spf_k(spf, st->to_m - st->from_m)
                       : in->seg_sites->k ? in->seg_sites->k[bseg] : NAN;
            st->expected_per_yr = rb_eb_estimate(py, ny, (double)st->nc * ny / in->nyears, k).expected_per_yr;
            st->eb = 1;
        }
        if (!(st->expected_per_yr == st->expected_per_yr)) {   /* no SPF: observed at the site */
            st->expected_per_yr = in->nyears > 0 ? (double)st->nc / in->nyears : exp_sum;
            st->eb = in->nyears > 0 ? 0 : any && all_eb;
        }
        st->road = in->seg_road[bseg];
        st->pop = in->seg_sites->pop ? in->seg_sites->pop[bseg] : 0;
        st->road.is_intersection = 0;
        if (site_curve(in, st, &pl))
            goto nomem;
    }
    rb_polyline_free(&pl);
    size_t nstretch = ns;
    if (nj && add_junctions(in, sites, &ns, nstretch, &cr, na))
        goto nomem;
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
