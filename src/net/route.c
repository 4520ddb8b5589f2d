/* net/route: chaining segments into routes with chainage. */
#include "net/route.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct keyed {
    const char *key;
    uint32_t seg;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *p = a, *q = b;
    int c = strcmp(p->key, q->key);
    if (c)
        return c;
    return p->seg < q->seg ? -1 : p->seg > q->seg;
}

/* End point and the direction leaving it, of segment s at its first (end = 0) or last point. */
static void seg_end(const struct rb_net *net, size_t s, int end, double *x, double *y, double *hx, double *hy)
{
    const struct rb_seg *g = &net->segs[s];
    size_t a, b;
    if (end == 0) {
        a = net->pt0[g->part0];
        b = a + 1;
    } else {
        a = net->pt0[g->part0 + g->nparts] - 1;
        b = a - 1;
    }
    *x = net->xy[2 * a];
    *y = net->xy[2 * a + 1];
    *hx = net->xy[2 * b] - *x;
    *hy = net->xy[2 * b + 1] - *y;
}

/* The point of the placed segments order[k0 .. k1) nearest to (x, y): its distance
 * and chainage. */
static void nearest_placed(const struct rb_routes *r, const struct rb_net *net, size_t k0, size_t k1,
                           double x, double y, double *dist, double *ch)
{
    *dist = INFINITY;
    *ch = 0;
    for (size_t k = k0; k < k1; k++) {
        struct rb_proj pr;
        size_t s = r->order[k];
        rb_net_project(net, s, x, y, &pr);
        if (pr.dist_m < *dist) {
            *dist = pr.dist_m;
            *ch = rb_routes_chainage(r, net, s, pr.measure_m);
        }
    }
}

/* The state of one build: segments sorted by route key, which are placed, and
 * where the route being built stands. Segments ks[g0 .. g1) are its own. */
struct builder {
    const struct rb_net *net;
    struct rb_routes *r;
    struct keyed *ks;
    uint8_t *seen;
    size_t g0, g1;
    size_t pos;          /* next free slot of r->order */
    size_t route_pos0;   /* the route's first slot */
    double route_end;    /* the route's greatest chainage so far */
    double split_gap_m;  /* a chain farther than this from its key's route starts a new one (0 never) */
};

static int placeable(const struct builder *b, size_t s)
{
    return !b->seen[s] && !(b->net->segs[s].flags & RB_SEG_NOGEOM);
}

/* Where the next chain starts: a terminal end (no other unplaced segment of the
 * route meets it) of the lowest unplaced segment; else, only loops left, the
 * first end of the first unplaced one. SIZE_MAX when none is left. */
static size_t chain_start(const struct builder *b, int *start_end)
{
    const struct rb_net *net = b->net;
    for (size_t i = b->g0; i < b->g1; i++) {
        size_t s = b->ks[i].seg;
        if (!placeable(b, s))
            continue;
        for (int e = 0; e < 2; e++) {
            uint32_t nd = e ? net->segs[s].node_to : net->segs[s].node_from;
            int others = 0;
            for (size_t j = b->g0; j < b->g1; j++) {
                size_t t = b->ks[j].seg;
                if (t != s && !b->seen[t] && (net->segs[t].node_from == nd || net->segs[t].node_to == nd))
                    others++;
            }
            if (others == 0) {
                *start_end = e;
                return s;
            }
        }
    }
    *start_end = 0;
    for (size_t i = b->g0; i < b->g1; i++)
        if (placeable(b, b->ks[i].seg))
            return b->ks[i].seg;
    return SIZE_MAX;
}

/* The segment a chain goes on to from the far end of s (entered at from_end):
 * the straightest unplaced one meeting it there; SIZE_MAX at a chain's end. */
static size_t next_segment(const struct builder *b, size_t s, int from_end, int *next_end)
{
    const struct rb_net *net = b->net;
    uint32_t nd = from_end == 0 ? net->segs[s].node_to : net->segs[s].node_from;
    double ex, ey, dx, dy;
    seg_end(net, s, from_end == 0 ? 1 : 0, &ex, &ey, &dx, &dy);
    double best = INFINITY;
    size_t next = SIZE_MAX;
    *next_end = 0;
    for (size_t j = b->g0; j < b->g1 && nd != RB_NONODE; j++) {
        size_t t = b->ks[j].seg;
        if (!placeable(b, t))
            continue;
        for (int e = 0; e < 2; e++) {
            if ((e ? net->segs[t].node_to : net->segs[t].node_from) != nd)
                continue;
            double x, y, ux, uy;
            seg_end(net, t, e, &x, &y, &ux, &uy);
            /* dx, dy points back into s; the straightest next leaves opposite it */
            double cosang = -(dx * ux + dy * uy) / (hypot(dx, dy) * hypot(ux, uy) + 1e-300);
            if (-cosang < best) {
                best = -cosang;
                next = t;
                *next_end = e;
            }
        }
    }
    return next;
}

/* A chain laid alongside an earlier one (the other carriageway of a divided
 * road) may run the other way: if its far end lies near a lower chainage than
 * its start, turn order[chain0 .. pos) round about ch0. */
static void turn_if_reversed(struct builder *b, size_t chain0, double ch0)
{
    struct rb_routes *r = b->r;
    size_t last = r->order[b->pos - 1];
    double lx, ly, lhx, lhy, best, best_ch;
    seg_end(b->net, last, r->dir[last] > 0 ? 1 : 0, &lx, &ly, &lhx, &lhy);
    nearest_placed(r, b->net, b->route_pos0, chain0, lx, ly, &best, &best_ch);
    if (best > RB_ROUTE_JOIN_M || best_ch >= ch0)
        return;
    for (size_t k = chain0; k < b->pos; k++) {
        size_t t = r->order[k];
        double f = r->from_m[t], e = r->to_m[t];
        r->from_m[t] = 2 * ch0 - e;
        r->to_m[t] = 2 * ch0 - f;
        r->dir[t] = (int8_t)-r->dir[t];
    }
    b->route_end = 0;
    for (size_t k = b->route_pos0; k < b->pos; k++)
        if (r->to_m[r->order[k]] > b->route_end)
            b->route_end = r->to_m[r->order[k]];
}

/* How far the chain starting at segment start (entered at start_end) lies
 * from the route's placed chains, and the chainage of the nearest point
 * (INFINITY and 0 when none is placed). */
static double gap_to_route(const struct builder *b, size_t start, int start_end, double *near_ch)
{
    *near_ch = 0;
    if (b->pos == b->route_pos0)
        return INFINITY;
    double sx, sy, hx, hy, best;
    seg_end(b->net, start, start_end, &sx, &sy, &hx, &hy);
    nearest_placed(b->r, b->net, b->route_pos0, b->pos, sx, sy, &best, near_ch);
    return best;
}

/* Places one chain of route `route` from segment start, entered at start_end:
 * order[*chain0 .. pos), its chainage from *ch0; gap and gap_ch are
 * gap_to_route's for its start. Returns 1 when the chain
 * starts alongside the route but its far end lies more than split_gap_m from
 * it: a branch that leaves the road (another road of a key that is a class),
 * which the caller makes a route of its own. */
static int lay_chain(struct builder *b, size_t route, size_t start, int start_end, double gap, double gap_ch,
                     size_t *chain0_out, double *ch0_out)
{
    struct rb_routes *r = b->r;
    const struct rb_net *net = b->net;
    /* where this chain begins on the route: near an earlier chain, a carriageway
     * or branch alongside; else after a gap */
    double ch0 = 0;
    if (b->pos > b->route_pos0)
        ch0 = gap <= RB_ROUTE_JOIN_M ? gap_ch : b->route_end + gap;
    r->nchains++;
    size_t chain0 = b->pos;    /* this chain is order[chain0 .. pos) */
    size_t s = start;
    int from_end = start_end;
    double ch = ch0;
    while (s != SIZE_MAX) {
        b->seen[s] = 1;
        r->order[b->pos++] = (uint32_t)s;
        r->route_of[s] = (uint32_t)route;
        r->dir[s] = from_end == 0 ? 1 : -1;
        r->from_m[s] = ch;
        ch += net->segs[s].length_m;
        r->to_m[s] = ch;
        if (ch > b->route_end)
            b->route_end = ch;
        int next_end;
        s = next_segment(b, s, from_end, &next_end);
        from_end = next_end;
    }
    *chain0_out = chain0;
    *ch0_out = ch0;
    if (chain0 == b->route_pos0)
        return 0;
    if (b->split_gap_m > 0) {
        size_t last = r->order[b->pos - 1];
        double lx, ly, lhx, lhy, far, far_ch;
        seg_end(net, last, r->dir[last] > 0 ? 1 : 0, &lx, &ly, &lhx, &lhy);
        nearest_placed(r, net, b->route_pos0, chain0, lx, ly, &far, &far_ch);
        if (far > b->split_gap_m)
            return 1;
    }
    turn_if_reversed(b, chain0, ch0);
    return 0;
}

/* The largest chainage of order[k0 .. k1). */
static double chainage_end(const struct rb_routes *r, size_t k0, size_t k1)
{
    double end = 0;
    for (size_t k = k0; k < k1; k++)
        if (r->to_m[r->order[k]] > end)
            end = r->to_m[r->order[k]];
    return end;
}

/* Opens route number nroutes for key (piece 1: the key itself, else
 * "key#piece"), its segments from order[pos0]. */
static int open_route(struct builder *b, const char *key, int piece, size_t pos0)
{
    struct rb_routes *r = b->r;
    size_t route = r->nroutes;
    char id[160];
    if (piece > 1)
        snprintf(id, sizeof id, "%s#%d", key, piece);
    else
        snprintf(id, sizeof id, "%s", key);
    if (!(r->id[route] = rb_strdup(id)))
        return -1;
    r->nroutes++;
    r->seg0[route] = pos0;
    b->route_pos0 = pos0;
    b->route_end = 0;
    return 0;
}

/* Ends the route being built at order[pos0] and opens the key's next piece
 * from there; gap is how far apart they lie, for the record. */
static int next_piece(struct builder *b, const char *key, int *piece, size_t pos0, double gap)
{
    struct rb_routes *r = b->r;
    r->length_m[r->nroutes - 1] = chainage_end(r, b->route_pos0, pos0);
    if (open_route(b, key, ++*piece, pos0))
        return -1;
    r->nsplit_pieces += *piece == 2 ? 2 : 1;
    r->nsplit_keys += *piece == 2;
    if (gap > r->max_gap_m) {
        r->max_gap_m = gap;
        snprintf(r->max_gap_key, sizeof r->max_gap_key, "%s", key);
    }
    return 0;
}

/* One key's routes from segments ks[g0 .. g1): its chains (a new route where
 * one lies farther than split_gap_m from the rest), then the segments without
 * geometry at the end of the last. */
static int build_route(struct builder *b, size_t g0, size_t g1)
{
    struct rb_routes *r = b->r;
    const char *key = b->ks[g0].key;
    b->g0 = g0;
    b->g1 = g1;
    int piece = 1;
    if (open_route(b, key, piece, b->pos))
        return -1;
    int start_end;
    size_t start;
    while ((start = chain_start(b, &start_end)) != SIZE_MAX) {
        double gap_ch, gap = gap_to_route(b, start, start_end, &gap_ch);
        if (b->split_gap_m > 0 && b->pos > b->route_pos0 && gap > b->split_gap_m) {
            if (next_piece(b, key, &piece, b->pos, gap))
                return -1;
            gap = INFINITY;       /* the chain starts the new piece */
        }
        size_t chain0;
        double ch0;
        if (lay_chain(b, r->nroutes - 1, start, start_end, gap, gap_ch, &chain0, &ch0)) {
            /* a branch that leaves the road: its own route, chainage from 0 */
            if (next_piece(b, key, &piece, chain0, 0))
                return -1;
            for (size_t k = chain0; k < b->pos; k++) {
                size_t t = r->order[k];
                r->route_of[t] = (uint32_t)(r->nroutes - 1);
                r->from_m[t] -= ch0;
                r->to_m[t] -= ch0;
            }
            b->route_end = chainage_end(r, chain0, b->pos);
        }
    }
    size_t route = r->nroutes - 1;
    for (size_t i = g0; i < g1; i++) {
        size_t s = b->ks[i].seg;
        if (b->seen[s])
            continue;
        b->seen[s] = 1;
        r->order[b->pos++] = (uint32_t)s;
        r->route_of[s] = (uint32_t)route;
        r->dir[s] = 1;
        r->from_m[s] = r->to_m[s] = b->route_end;
    }
    r->length_m[route] = b->route_end;
    return 0;
}

int rb_routes_build(const struct rb_net *net, const char *const *key, struct rb_routes *r,
                    struct rb_err *err)
{
    return rb_routes_build_split(net, key, 0, r, err);
}

int rb_routes_build_split(const struct rb_net *net, const char *const *key, double split_gap_m,
                          struct rb_routes *r, struct rb_err *err)
{
    memset(r, 0, sizeof *r);
    size_t n = net->nsegs, m = n ? n : 1;
    struct builder b = { .net = net, .r = r, .split_gap_m = split_gap_m };
    b.ks = rb_calloc(m, sizeof *b.ks);
    b.seen = rb_calloc(m, 1);
    r->id = rb_calloc(m, sizeof *r->id);
    r->seg0 = rb_calloc(n + 1, sizeof *r->seg0);
    r->order = rb_calloc(m, sizeof *r->order);
    r->length_m = rb_calloc(m, sizeof *r->length_m);
    r->route_of = rb_calloc(m, sizeof *r->route_of);
    r->from_m = rb_calloc(m, sizeof *r->from_m);
    r->to_m = rb_calloc(m, sizeof *r->to_m);
    r->dir = rb_calloc(m, 1);
    if (!b.ks || !b.seen || !r->id || !r->seg0 || !r->order || !r->length_m || !r->route_of ||
        !r->from_m || !r->to_m || !r->dir)
        goto nomem;
    /* keyless segments sort after all keys as routes of their own, keyed by their id */
    size_t nkeyed = 0;
    for (size_t s = 0; s < n; s++)
        if (key && key[s] && key[s][0])
            b.ks[nkeyed++] = (struct keyed){ key[s], (uint32_t)s };
    qsort(b.ks, nkeyed, sizeof *b.ks, keyed_cmp);
    for (size_t g0 = 0, g1; g0 < nkeyed; g0 = g1) {
        for (g1 = g0; g1 < nkeyed && !strcmp(b.ks[g1].key, b.ks[g0].key); g1++)
            ;
        if (build_route(&b, g0, g1))
            goto nomem;
    }
    /* keyless segments: one route each, in input order */
    for (size_t s = 0; s < n; s++) {
        if (key && key[s] && key[s][0])
            continue;
        size_t route = r->nroutes++;
        if (!(r->id[route] = rb_strdup(net->ids[s])))
            goto nomem;
        r->seg0[route] = b.pos;
        r->order[b.pos++] = (uint32_t)s;
        r->route_of[s] = (uint32_t)route;
        r->dir[s] = 1;
        r->from_m[s] = 0;
        r->to_m[s] = net->segs[s].length_m;
        r->length_m[route] = net->segs[s].length_m;
        r->nchains++;
    }
    r->seg0[r->nroutes] = b.pos;
    rb_free(b.ks);
    rb_free(b.seen);
    return RB_OK;
nomem:
    rb_free(b.ks);
    rb_free(b.seen);
    rb_routes_free(r);
    return rb_err_nomem(err);
}

void rb_routes_free(struct rb_routes *r)
{
    if (!r)
        return;
    if (r->id)
        for (size_t i = 0; i < r->nroutes; i++)
            rb_free(r->id[i]);
    rb_free(r->id);
    rb_free(r->seg0);
    rb_free(r->order);
    rb_free(r->length_m);
    rb_free(r->route_of);
    rb_free(r->from_m);
    rb_free(r->to_m);
    rb_free(r->dir);
    memset(r, 0, sizeof *r);
}

double rb_routes_chainage(const struct rb_routes *r, const struct rb_net *net, size_t s, double measure_m)
{
    return r->dir[s] > 0 ? r->from_m[s] + measure_m : r->from_m[s] + (net->segs[s].length_m - measure_m);
}

/* Appends the piece of segment s between measures m0 < m1 as one part. */
static int append_piece(const struct rb_net *net, size_t s, double m0, double m1, double **xy, size_t *capxy,
                        size_t *npts, size_t **pt0, size_t *cappt0, size_t *nparts)
{
    const struct rb_seg *g = &net->segs[s];
    if (rb_grow((void **)pt0, cappt0, *nparts + 2, sizeof **pt0))
        return RB_ENOMEM;
    (*pt0)[(*nparts)++] = *npts;
    for (size_t p = g->part0; p < g->part0 + g->nparts; p++) {
        size_t a = net->pt0[p], b = net->pt0[p + 1];
        for (size_t i = a; i + 1 < b; i++) {
            double ma = net->m[i], mb = net->m[i + 1];
            if (mb < m0 || ma > m1 || mb == ma)
                continue;
            double t0 = ma < m0 ? (m0 - ma) / (mb - ma) : 0, t1 = mb > m1 ? (m1 - ma) / (mb - ma) : 1;
            double x0 = net->xy[2 * i], y0 = net->xy[2 * i + 1];
            double dx = net->xy[2 * i + 2] - x0, dy = net->xy[2 * i + 3] - y0;
            if (rb_grow((void **)xy, capxy, 2 * (*npts + 2), sizeof **xy))
                return RB_ENOMEM;
            if (*npts == (*pt0)[*nparts - 1] || (*xy)[2 * *npts - 2] != x0 + t0 * dx ||
                (*xy)[2 * *npts - 1] != y0 + t0 * dy) {
                (*xy)[2 * *npts] = x0 + t0 * dx;
                (*xy)[2 * *npts + 1] = y0 + t0 * dy;
                (*npts)++;
            }
            (*xy)[2 * *npts] = x0 + t1 * dx;
            (*xy)[2 * *npts + 1] = y0 + t1 * dy;
            (*npts)++;
        }
    }
    if (*npts - (*pt0)[*nparts - 1] < 2) {    /* nothing drawn: drop the part */
        *npts = (*pt0)[*nparts - 1];
        (*nparts)--;
    }
    return RB_OK;
}

/* the piece of segment s between chainages a and b, if it has one */
static int append_stretch(const struct rb_routes *r, const struct rb_net *net, size_t s, double a, double b,
                          double **xy, size_t *capxy, size_t *npts, size_t **pt0, size_t *cappt0, size_t *nparts)
{
    double lo = fmax(a, r->from_m[s]), hi = fmin(b, r->to_m[s]);
    if (hi <= lo)
        return RB_OK;
    double len = net->segs[s].length_m;
    double m0 = r->dir[s] > 0 ? lo - r->from_m[s] : len - (hi - r->from_m[s]);
    double m1 = r->dir[s] > 0 ? hi - r->from_m[s] : len - (lo - r->from_m[s]);
    return append_piece(net, s, m0, m1, xy, capxy, npts, pt0, cappt0, nparts) ? RB_ENOMEM : RB_OK;
}

int rb_routes_substring(const struct rb_routes *r, const struct rb_net *net, size_t route, double a,
                        double b, double **xy, size_t *capxy, size_t *npts, size_t **pt0,
                        size_t *cappt0, size_t *nparts)
{
    for (size_t k = r->seg0[route]; k < r->seg0[route + 1]; k++)
        if (append_stretch(r, net, r->order[k], a, b, xy, capxy, npts, pt0, cappt0, nparts))
            return RB_ENOMEM;
    return RB_OK;
}

struct from_pos {
    double from_m, to_m;
    uint32_t seg, pos;
};

static int from_pos_cmp(const void *pa, const void *pb)
{
    const struct from_pos *x = pa, *y = pb;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    if (x->to_m != y->to_m)
        return x->to_m < y->to_m ? -1 : 1;
    return (x->seg > y->seg) - (x->seg < y->seg);
}

int rb_routes_ix_build(const struct rb_routes *r, struct rb_routes_ix *ix)
{
    size_t n = r->seg0[r->nroutes];
    struct from_pos *fp = rb_malloc((n ? n : 1) * sizeof *fp);
    ix->by_from = rb_malloc((n ? n : 1) * sizeof *ix->by_from);
    ix->max_len_m = rb_calloc(r->nroutes ? r->nroutes : 1, sizeof *ix->max_len_m);
    if (!fp || !ix->by_from || !ix->max_len_m) {
        rb_free(fp);
        rb_routes_ix_free(ix);
        return RB_ENOMEM;
    }
    for (size_t route = 0; route < r->nroutes; route++) {
        size_t k0 = r->seg0[route], k1 = r->seg0[route + 1];
        for (size_t k = k0; k < k1; k++) {
            size_t s = r->order[k];
            fp[k] = (struct from_pos){ r->from_m[s], r->to_m[s], (uint32_t)s, (uint32_t)k };
            ix->max_len_m[route] = fmax(ix->max_len_m[route], r->to_m[s] - r->from_m[s]);
        }
        qsort(fp + k0, k1 - k0, sizeof *fp, from_pos_cmp);
        for (size_t k = k0; k < k1; k++)
            ix->by_from[k] = fp[k].pos;
    }
    rb_free(fp);
    return RB_OK;
}

void rb_routes_ix_free(struct rb_routes_ix *ix)
{
    rb_free(ix->by_from);
    rb_free(ix->max_len_m);
    ix->by_from = NULL;
    ix->max_len_m = NULL;
}

size_t rb_routes_ix_first(const struct rb_routes *r, const struct rb_routes_ix *ix, size_t route, double a)
{
    size_t lo = r->seg0[route], hi = r->seg0[route + 1];
    double from = a - ix->max_len_m[route];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->from_m[r->order[ix->by_from[mid]]] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int pos_cmp(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    return (x > y) - (x < y);
}

int rb_routes_substring_ix(const struct rb_routes *r, const struct rb_routes_ix *ix, const struct rb_net *net,
                           size_t route, double a, double b, double **xy, size_t *capxy, size_t *npts, size_t **pt0,
                           size_t *cappt0, size_t *nparts)
{
    uint32_t local[64], *hits = local;
    size_t nh = 0, cap = 64, end = r->seg0[route + 1];
    for (size_t q = rb_routes_ix_first(r, ix, route, a); q < end && r->from_m[r->order[ix->by_from[q]]] < b; q++) {
        size_t s = r->order[ix->by_from[q]];
        if (fmin(b, r->to_m[s]) <= fmax(a, r->from_m[s]))
            continue;
        if (nh == cap) {
            uint32_t *more = rb_malloc(2 * cap * sizeof *more);
            if (!more) {
                if (hits != local)
                    rb_free(hits);
                return RB_ENOMEM;
            }
            memcpy(more, hits, nh * sizeof *more);
            if (hits != local)
                rb_free(hits);
            hits = more;
            cap *= 2;
        }
        hits[nh++] = ix->by_from[q];
    }
    /* the pieces in route order, as rb_routes_substring gives them */
    qsort(hits, nh, sizeof *hits, pos_cmp);
    int rc = RB_OK;
    for (size_t h = 0; h < nh && !rc; h++)
        rc = append_stretch(r, net, r->order[hits[h]], a, b, xy, capxy, npts, pt0, cappt0, nparts);
    if (hits != local)
        rb_free(hits);
    return rc;
}

int rb_routes_point(const struct rb_routes *r, const struct rb_net *net, size_t route, double ch, double *x,
                    double *y, double *tx, double *ty)
{
    for (size_t k = r->seg0[route]; k < r->seg0[route + 1]; k++) {
        size_t s = r->order[k];
        if (ch < r->from_m[s] || ch > r->to_m[s])
            continue;
        const struct rb_seg *g = &net->segs[s];
        double m = r->dir[s] > 0 ? ch - r->from_m[s] : g->length_m - (ch - r->from_m[s]);
        for (size_t p = g->part0; p < g->part0 + g->nparts; p++) {
            for (size_t i = net->pt0[p]; i + 1 < net->pt0[p + 1]; i++) {
                double ma = net->m[i], mb = net->m[i + 1];
                if (mb <= ma || m < ma || m > mb)
                    continue;
                double t = (m - ma) / (mb - ma), len = mb - ma;
                double dx = net->xy[2 * i + 2] - net->xy[2 * i], dy = net->xy[2 * i + 3] - net->xy[2 * i + 1];
                *x = net->xy[2 * i] + t * dx;
                *y = net->xy[2 * i + 1] + t * dy;
                *tx = r->dir[s] * dx / len;
                *ty = r->dir[s] * dy / len;
                return 1;
            }
        }
    }
    return 0;
}

int rb_routes_polyline(const struct rb_routes *r, const struct rb_net *net, size_t route, double a, double b,
                       struct rb_polyline *pl)
{
    pl->n = 0;
    double *pxy = NULL, covered = a;
    size_t *ppt = NULL, capxy = 0, cappt = 0;
    int rc = RB_OK;
    for (size_t k = r->seg0[route]; k < r->seg0[route + 1] && !rc; k++) {
        size_t s = r->order[k];
        double lo = fmax(covered, r->from_m[s]), hi = fmin(b, r->to_m[s]);
        if (hi <= lo)
            continue;     /* before a, after b, or already drawn by an earlier chain (a second carriageway) */
        double len = net->segs[s].length_m;
        double m0 = r->dir[s] > 0 ? lo - r->from_m[s] : len - (hi - r->from_m[s]);
        double m1 = r->dir[s] > 0 ? hi - r->from_m[s] : len - (lo - r->from_m[s]);
        size_t np = 0, nparts = 0;
        if (append_piece(net, s, m0, m1, &pxy, &capxy, &np, &ppt, &cappt, &nparts)) {
            rc = RB_ENOMEM;
            break;
        }
        if (!nparts)
            continue;
        if (r->dir[s] < 0)          /* into chainage order */
            for (size_t i = 0, j = np - 1; i < j; i++, j--) {
                double tx = pxy[2 * i], ty = pxy[2 * i + 1];
                pxy[2 * i] = pxy[2 * j];
                pxy[2 * i + 1] = pxy[2 * j + 1];
                pxy[2 * j] = tx;
                pxy[2 * j + 1] = ty;
            }
        if (rb_grow((void **)&pl->xy, &pl->capxy, 2 * (pl->n + np), sizeof *pl->xy) ||
            rb_grow((void **)&pl->ch, &pl->capch, pl->n + np, sizeof *pl->ch)) {
            rc = RB_ENOMEM;
            break;
        }
        double c = lo;
        for (size_t i = 0; i < np; i++) {
            if (i)
                c = fmin(hi, c + hypot(pxy[2 * i] - pxy[2 * i - 2], pxy[2 * i + 1] - pxy[2 * i - 1]));
            if (pl->n && pxy[2 * i] == pl->xy[2 * pl->n - 2] && pxy[2 * i + 1] == pl->xy[2 * pl->n - 1])
                continue;   /* the joint with the piece before */
            pl->xy[2 * pl->n] = pxy[2 * i];
            pl->xy[2 * pl->n + 1] = pxy[2 * i + 1];
            pl->ch[pl->n++] = c;
        }
        covered = hi;
    }
    rb_free(pxy);
    rb_free(ppt);
    return rc;
}

void rb_polyline_free(struct rb_polyline *pl)
{
    rb_free(pl->xy);
    rb_free(pl->ch);
    memset(pl, 0, sizeof *pl);
}

size_t rb_cum_find(const double *cum, size_t n, double s, double *t)
{
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] <= s)
            lo = mid;
        else
            hi = mid;
    }
    double seg = cum[hi] - cum[lo], f = seg > 0 ? (s - cum[lo]) / seg : 0;
    *t = f < 0 ? 0 : f > 1 ? 1 : f;
    return lo;
}

double rb_polyline_ch_at(const struct rb_polyline *pl, const double *cum, double s)
{
    double t;
    size_t i = rb_cum_find(cum, pl->n, s, &t);
    size_t j = i + 1 < pl->n ? i + 1 : i;
    return pl->ch[i] + t * (pl->ch[j] - pl->ch[i]);
}
