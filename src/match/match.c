/* match: crash to road. */
#include "match/match.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const unm_names[RB_NUNM] = {
    "", "no_coordinates", "invalid_coordinates", "zero_coordinates", "out_of_range",
    "swapped_coordinates", "transform_failed", "beyond_tolerance", "no_roads"
};

const char *rb_unmatched_name(int reason)
{
    return reason >= 0 && reason < RB_NUNM ? unm_names[reason] : "unknown";
}

int rb_netindex_build(const struct rb_net *net, struct rb_netindex *ix, struct rb_err *err)
{
    memset(ix, 0, sizeof *ix);
    size_t n = 0;
    for (size_t p = 0; p < net->nparts; p++) {
        size_t edges = net->pt0[p + 1] - net->pt0[p] - 1;
        n += (edges + RB_MATCH_RUN - 1) / RB_MATCH_RUN;
    }
    double *boxes = rb_malloc((n ? n : 1) * 4 * sizeof *boxes);
    ix->item_seg = rb_malloc((n ? n : 1) * sizeof *ix->item_seg);
    ix->item_pt = rb_malloc((n ? n : 1) * sizeof *ix->item_pt);
    ix->item_npts = rb_malloc(n ? n : 1);
    if (!boxes || !ix->item_seg || !ix->item_pt || !ix->item_npts) {
        rb_free(boxes);
        rb_netindex_free(ix);
        return rb_err_nomem(err);
    }
    size_t k = 0;
    for (size_t s = 0; s < net->nsegs; s++) {
        const struct rb_seg *g = &net->segs[s];
        for (size_t p = g->part0; p < g->part0 + g->nparts; p++) {
            size_t a = net->pt0[p], b = net->pt0[p + 1];
            for (size_t i = a; i + 1 < b; i += RB_MATCH_RUN) {
                size_t e = i + RB_MATCH_RUN + 1 < b ? i + RB_MATCH_RUN + 1 : b;
                double *bx = boxes + 4 * k;
                bx[0] = bx[1] = INFINITY;
                bx[2] = bx[3] = -INFINITY;
                for (size_t j = i; j < e; j++) {
                    double x = net->xy[2 * j], y = net->xy[2 * j + 1];
                    if (x < bx[0]) bx[0] = x;
                    if (y < bx[1]) bx[1] = y;
                    if (x > bx[2]) bx[2] = x;
                    if (y > bx[3]) bx[3] = y;
                }
                ix->item_seg[k] = (uint32_t)s;
                ix->item_pt[k] = i;
                ix->item_npts[k] = (uint8_t)(e - i);
                k++;
            }
        }
    }
    ix->nitems = k;
    int rc = rb_rtree_build(boxes, k, &ix->tree);
    rb_free(boxes);
    if (rc) {
        rb_netindex_free(ix);
        return rb_err_nomem(err);
    }
    return RB_OK;
}

void rb_netindex_free(struct rb_netindex *ix)
{
    if (!ix)
        return;
    rb_rtree_free(ix->tree);
    rb_free(ix->item_seg);
    rb_free(ix->item_pt);
    rb_free(ix->item_npts);
    memset(ix, 0, sizeof *ix);
}

/* Candidates of one query: the best projection per segment met. */
struct cand {
    uint32_t seg;
    struct rb_proj pr;
};

struct query {
    const struct rb_net *net;
    const struct rb_netindex *ix;
    double x, y;
    struct cand *c;
    size_t n, cap;
    int nomem;
};

static int visit(size_t item, void *ud)
{
    struct query *q = ud;
    uint32_t s = q->ix->item_seg[item];
    size_t a = q->ix->item_pt[item];
    struct rb_proj pr = { INFINITY, NAN, NAN, NAN, 0 };
    rb_project_edges(q->net->xy, q->net->m, a, a + q->ix->item_npts[item], q->x, q->y, &pr);
    for (size_t i = 0; i < q->n; i++) {
        if (q->c[i].seg == s) {
            /* same segment from another run: keep the closer; on a tie, the
             * smaller measure, so the answer does not depend on visit order */
            if (pr.dist_m < q->c[i].pr.dist_m ||
                (pr.dist_m == q->c[i].pr.dist_m && pr.measure_m < q->c[i].pr.measure_m))
                q->c[i].pr = pr;
            return 0;
        }
    }
    if (rb_grow((void **)&q->c, &q->cap, q->n + 1, sizeof *q->c)) {
        q->nomem = 1;
        return 1;
    }
    q->c[q->n++] = (struct cand){ s, pr };
    return 0;
}

static int share_node(const struct rb_seg *a, const struct rb_seg *b)
{
    return (a->node_from != RB_NONODE && (a->node_from == b->node_from || a->node_from == b->node_to)) ||
           (a->node_to != RB_NONODE && (a->node_to == b->node_from || a->node_to == b->node_to));
}

static int near_junction(const struct rb_net *net, uint32_t node, double x, double y, double r)
{
    if (node == RB_NONODE || net->node_deg[node] < 3)
        return 0;
    return hypot(net->node_xy[2 * node] - x, net->node_xy[2 * node + 1] - y) <= r;
}

/* ---- grade separation: a bridge over the road, a tunnel under it ------------------- */

static int orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    double v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return (v > 0) - (v < 0);
}

static int edge_in(const double *p, const double *box)
{
    return fmax(p[0], p[2]) >= box[0] && fmin(p[0], p[2]) <= box[2] && fmax(p[1], p[3]) >= box[1] &&
           fmin(p[1], p[3]) <= box[3];
}

/* Do segments a and b cross within box (strictly: each edge's ends on
 * opposite sides of the other)? Roads that cross with no node between them
 * pass over one another. */
static int cross_in(const struct rb_net *net, size_t a, size_t b, const double *box)
{
    const struct rb_seg *ga = &net->segs[a], *gb = &net->segs[b];
    for (size_t pa = ga->part0; pa < ga->part0 + ga->nparts; pa++)
        for (size_t i = net->pt0[pa]; i + 1 < net->pt0[pa + 1]; i++) {
            const double *e = net->xy + 2 * i;
            if (!edge_in(e, box))
                continue;
            for (size_t pb = gb->part0; pb < gb->part0 + gb->nparts; pb++)
                for (size_t k = net->pt0[pb]; k + 1 < net->pt0[pb + 1]; k++) {
                    const double *f = net->xy + 2 * k;
                    if (edge_in(f, box) &&
                        orient(e[0], e[1], e[2], e[3], f[0], f[1]) * orient(e[0], e[1], e[2], e[3], f[2], f[3]) < 0 &&
                        orient(f[0], f[1], f[2], f[3], e[0], e[1]) * orient(f[0], f[1], f[2], f[3], e[2], e[3]) < 0)
                        return 1;
                }
        }
    return 0;
}

/* Is candidate c at another grade than segment seg: different grades, or
 * crossing it within box with no node between them? */
static int other_grade(const struct rb_net *net, const int8_t *grade, size_t seg, size_t c, const double *box)
{
    if (grade && grade[c] != RB_GRADE_UNKNOWN && grade[seg] != RB_GRADE_UNKNOWN && grade[c] != grade[seg])
        return 1;
    return cross_in(net, seg, c, box);
}

static void match_one(struct query *q, const struct rb_match_opt *opt, struct rb_match *out)
{
    const struct rb_net *net = q->net;
    double reach = opt->tolerance_m + opt->ambiguous_margin_m;
    double box[4] = { q->x - reach, q->y - reach, q->x + reach, q->y + reach };
    q->n = 0;
    rb_rtree_search(q->ix->tree, box, visit, q);
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < q->n; i++) {
        if (best == SIZE_MAX || q->c[i].pr.dist_m < q->c[best].pr.dist_m ||
            (q->c[i].pr.dist_m == q->c[best].pr.dist_m && q->c[i].seg < q->c[best].seg))
            best = i;
    }
    if (best == SIZE_MAX || q->c[best].pr.dist_m > opt->tolerance_m) {
        out->reason = net->nsegs ? RB_UNM_BEYOND_TOLERANCE : RB_UNM_NO_ROADS;
        if (best != SIZE_MAX && q->c[best].pr.dist_m <= reach)
            out->nearest_m = q->c[best].pr.dist_m;
        return;
    }
    const struct cand *b = &q->c[best];
    const struct rb_seg *bs = &net->segs[b->seg];
    out->seg = b->seg;
    out->offset_m = b->pr.dist_m;
    out->measure_m = b->pr.measure_m;
    out->px = b->pr.px;
    out->py = b->pr.py;
    out->side = (int8_t)b->pr.side;
    /* Another road almost as near and not joined to this one: a parallel road, a
     * frontage road or a bridge over it. Joined segments are the same road going
     * on, or a junction, which the junction flag reports. */
    size_t alt = SIZE_MAX;
    for (size_t i = 0; i < q->n; i++) {
        if (i == best || q->c[i].pr.dist_m > b->pr.dist_m + opt->ambiguous_margin_m ||
            q->c[i].pr.dist_m > reach || share_node(bs, &net->segs[q->c[i].seg]))
            continue;
        if (alt == SIZE_MAX || q->c[i].pr.dist_m < q->c[alt].pr.dist_m ||
            (q->c[i].pr.dist_m == q->c[alt].pr.dist_m && q->c[i].seg < q->c[alt].seg))
            alt = i;
    }
    /* A road at another grade (a bridge over this one, a tunnel under it) a
     * little farther still: the crash may be on either. It is the doubt kept. */
    if (opt->grade_margin_m > 0) {
        double lim = fmin(opt->tolerance_m, b->pr.dist_m + opt->grade_margin_m), r = opt->tolerance_m;
        double near_box[4] = { q->x - r, q->y - r, q->x + r, q->y + r };
        size_t g = SIZE_MAX;
        for (size_t i = 0; i < q->n; i++) {
            if (i == best || q->c[i].pr.dist_m > lim || share_node(bs, &net->segs[q->c[i].seg]))
                continue;
            if ((g == SIZE_MAX || q->c[i].pr.dist_m < q->c[g].pr.dist_m ||
                 (q->c[i].pr.dist_m == q->c[g].pr.dist_m && q->c[i].seg < q->c[g].seg)) &&
                other_grade(net, opt->grade, b->seg, q->c[i].seg, near_box))
                g = i;
        }
        if (g != SIZE_MAX) {
            alt = g;
            out->grade_sep = 1;
        }
    }
    if (alt != SIZE_MAX) {
        out->ambiguous = 1;
        out->alt_seg = q->c[alt].seg;
        out->alt_offset_m = q->c[alt].pr.dist_m;
    }
    for (size_t i = 0; i < q->n && !out->junction; i++) {
        const struct rb_seg *s = &net->segs[q->c[i].seg];
        out->junction = near_junction(net, s->node_from, b->pr.px, b->pr.py, opt->junction_radius_m) ||
                        near_junction(net, s->node_to, b->pr.px, b->pr.py, opt->junction_radius_m);
    }
}

struct job {
    const struct rb_net *net;
    const struct rb_netindex *ix;
    const struct rb_match_opt *opt;
    const char *x, *y, *status;
    size_t stride;
    struct rb_match *out;
    const struct rb_progress *prog;   /* only the first part reports, scaled to all n */
    size_t n;
    int nomem[RB_THREADS];
};

static void match_range(size_t from, size_t to, size_t part, void *arg)
{
    struct job *j = arg;
    struct query q = { .net = j->net, .ix = j->ix };
    for (size_t i = from; i < to; i++) {
        struct rb_match *m = &j->out[i];
        memset(m, 0, sizeof *m);
        m->seg = m->alt_seg = -1;
        m->offset_m = m->measure_m = m->px = m->py = m->alt_offset_m = m->nearest_m = NAN;
        uint8_t st = *(const uint8_t *)(j->status + i * j->stride);
        if (st) {
            m->reason = st;
        } else {
            q.x = *(const double *)(j->x + i * j->stride);
            q.y = *(const double *)(j->y + i * j->stride);
            match_one(&q, j->opt, m);
            if (q.nomem) {
                j->nomem[part] = 1;
                break;
            }
        }
        /* the first part stands for all: its share done, as a count of all n */
        size_t done = i + 1 - from;
        if (j->prog && j->prog->fn && part == 0 && (done % 8192 == 0 || i + 1 == to))
            j->prog->fn(j->prog->ud, "matching", i + 1 == to ? j->n : done * j->n / (to - from), j->n);
    }
    rb_free(q.c);
}

int rb_match_points(const struct rb_net *net, const struct rb_netindex *ix,
                    const struct rb_match_opt *opt, const double *x, const double *y,
                    const uint8_t *status, size_t stride, size_t n, struct rb_match *out,
                    const struct rb_progress *prog, struct rb_err *err)
{
    /* The index and network are read-only, so crashes split across threads
     * give the same results as one thread, in the same order. */
    struct job j = { net, ix, opt, (const char *)x, (const char *)y, (const char *)status, stride, out, prog, n,
                     { 0 } };
    rb_parallel_for(n, n >= 20000 ? RB_MATCH_THREADS : 1, match_range, &j);
    for (size_t k = 0; k < RB_THREADS; k++)
        if (j.nomem[k])
            return rb_err_nomem(err);
    return RB_OK;
}

/* ---- second looks: the nearest candidate that fits a rule ---------------------------- */

/* The nearest segment within tolerance of (x, y) that ok() accepts (ties: the
 * lower segment), or NULL; *nomem when memory ran out. */
static const struct cand *nearest_where(struct query *q, const struct rb_match_opt *opt, double x, double y,
                                        int (*ok)(const struct cand *c, const void *ud), const void *ud)
{
    q->x = x;
    q->y = y;
    double box[4] = { x - opt->tolerance_m, y - opt->tolerance_m, x + opt->tolerance_m, y + opt->tolerance_m };
    q->n = 0;
    rb_rtree_search(q->ix->tree, box, visit, q);
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < q->n && !q->nomem; k++)
        if (q->c[k].pr.dist_m <= opt->tolerance_m && ok(&q->c[k], ud) &&
            (best == SIZE_MAX || q->c[k].pr.dist_m < q->c[best].pr.dist_m ||
             (q->c[k].pr.dist_m == q->c[best].pr.dist_m && q->c[k].seg < q->c[best].seg)))
            best = k;
    return best == SIZE_MAX || q->nomem ? NULL : &q->c[best];
}

/* the crash goes to candidate b; the road it leaves stays on record as the other */
static void move_to(struct rb_match *m, const struct cand *b)
{
    /* to the other grade's road: the one it leaves is of another grade too */
    m->grade_sep = m->grade_sep && m->alt_seg == (int64_t)b->seg;
    m->alt_seg = m->seg;
    m->alt_offset_m = m->offset_m;
    m->seg = b->seg;
    m->offset_m = b->pr.dist_m;
    m->measure_m = b->pr.measure_m;
    m->px = b->pr.px;
    m->py = b->pr.py;
    m->side = (int8_t)b->pr.side;
    m->ambiguous = 0;
}

/* ---- the road the record names --------------------------------------------------- */

static int key_in(const char *const *sorted, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(sorted[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(sorted[lo], key);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int seg_named(const char *const *route_key, const char *const *name_key, size_t s, const char *hint)
{
    return (route_key && route_key[s] && !strcmp(route_key[s], hint)) ||
           (name_key && name_key[s] && !strcmp(name_key[s], hint));
}

struct named {
    const char *const *route_key, *const *name_key;
    const char *hint;
};

static int is_named(const struct cand *c, const void *ud)
{
    const struct named *n = ud;
    return seg_named(n->route_key, n->name_key, c->seg, n->hint);
}

int rb_match_hints(const struct rb_net *net, const struct rb_netindex *ix, const struct rb_match_opt *opt,
                   const char *const *route_key, const char *const *name_key, const char *const *hint,
                   const double *x, const double *y, size_t stride, size_t n, struct rb_match *m, uint8_t *out,
                   struct rb_err *err)
{
    /* every key some segment has, to tell a road the network lacks from one that is just not near */
    size_t nk = 0;
    const char **keys = rb_malloc((2 * net->nsegs + 1) * sizeof *keys);
    if (!keys)
        return rb_err_nomem(err);
    for (size_t s = 0; s < net->nsegs; s++) {
        if (route_key && route_key[s] && *route_key[s])
            keys[nk++] = route_key[s];
        if (name_key && name_key[s] && *name_key[s])
            keys[nk++] = name_key[s];
    }
    qsort(keys, nk, sizeof *keys, str_cmp);
    struct query q = { net, ix, 0, 0, NULL, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        out[i] = RB_HINT_NONE;
        const char *h = hint[i];
        if (!h || !*h)
            continue;
        if (!key_in(keys, nk, h)) {
            out[i] = RB_HINT_UNKNOWN_ROAD;
            continue;
        }
        if (m[i].seg < 0)
            continue;
        if (seg_named(route_key, name_key, (size_t)m[i].seg, h)) {
            /* the record settles a doubt between this road and another one */
            if (m[i].ambiguous && m[i].alt_seg >= 0 && !seg_named(route_key, name_key, (size_t)m[i].alt_seg, h))
                m[i].ambiguous = 0;
            out[i] = RB_HINT_AGREES;
            continue;
        }
        /* the nearest segment of the named road within tolerance */
        struct named ud = { route_key, name_key, h };
        const struct cand *b = nearest_where(&q, opt, *(const double *)((const char *)x + i * stride),
                                             *(const double *)((const char *)y + i * stride), is_named, &ud);
        if (q.nomem) {
            rb_free(q.c);
            rb_free(keys);
            return rb_err_nomem(err);
        }
        if (!b) {
            out[i] = RB_HINT_DISAGREES;
            continue;
        }
        move_to(&m[i], b);
        out[i] = RB_HINT_MOVED;
    }
    rb_free(q.c);
    rb_free(keys);
    return RB_OK;
}

const char *rb_hint_name(int h)
{
    static const char *const names[] = { "", "agrees", "moved", "disagrees", "unknown_road" };
    return h >= 0 && h <= RB_HINT_UNKNOWN_ROAD ? names[h] : "";
}

/* ---- the direction of travel: which carriageway ----------------------------------- */

/* the compass bearing (0 north, clockwise) of segment s, as digitised, at measure mm */
static double seg_bearing(const struct rb_net *net, size_t s, double mm)
{
    const struct rb_seg *g = &net->segs[s];
    for (size_t p = g->part0; p < g->part0 + g->nparts; p++)
        for (size_t k = net->pt0[p]; k + 1 < net->pt0[p + 1]; k++)
            if (net->m[k] <= mm && net->m[k + 1] >= mm && net->m[k + 1] > net->m[k]) {
                double dx = net->xy[2 * k + 2] - net->xy[2 * k], dy = net->xy[2 * k + 3] - net->xy[2 * k + 1];
                double b = atan2(dx, dy) * 180.0 / 3.14159265358979323846;
                return b < 0 ? b + 360 : b;
            }
    return NAN;
}

static double angle_between(double a, double b)
{
    double d = fabs(fmod(a - b, 360.0));
    return d > 180 ? 360 - d : d;
}

struct heading {
    const struct rb_net *net;
    double deg;
};

static int runs_along(const struct cand *c, const void *ud)
{
    const struct heading *h = ud;
    return angle_between(seg_bearing(h->net, c->seg, c->pr.measure_m), h->deg) <= RB_DIR_MAX_DEG;
}

int rb_match_direction(const struct rb_net *net, const struct rb_netindex *ix, const struct rb_match_opt *opt,
                       const double *dir_deg, const double *x, const double *y, size_t stride, size_t n,
                       struct rb_match *m, uint8_t *out, struct rb_err *err)
{
    struct query q = { net, ix, 0, 0, NULL, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        out[i] = RB_DIR_NONE;
        if (m[i].seg < 0 || !(dir_deg[i] == dir_deg[i]))
            continue;
        double here = seg_bearing(net, (size_t)m[i].seg, m[i].measure_m);
        if (angle_between(here, dir_deg[i]) <= RB_DIR_MAX_DEG) {
            out[i] = RB_DIR_AGREES;
            continue;
        }
        /* the nearest segment within tolerance that runs the way the vehicle went */
        struct heading ud = { net, dir_deg[i] };
        const struct cand *b = nearest_where(&q, opt, *(const double *)((const char *)x + i * stride),
                                             *(const double *)((const char *)y + i * stride), runs_along, &ud);
        if (q.nomem) {
            rb_free(q.c);
            return rb_err_nomem(err);
        }
        if (!b) {
            out[i] = RB_DIR_NO_FIT;
            continue;
        }
        move_to(&m[i], b);
        out[i] = RB_DIR_MOVED;
    }
    rb_free(q.c);
    return RB_OK;
}

const char *rb_direction_name(int d)
{
    static const char *const names[] = { "", "agrees", "moved", "no_fit" };
    return d >= 0 && d <= RB_DIR_NO_FIT ? names[d] : "";
}
