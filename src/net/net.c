/* net: cleaning, measures and nodes. */
#include "net/net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- projection onto polylines ----------------------------------------------- */

void rb_project_edges(const double *xy, const double *m, size_t a, size_t b, double x, double y,
                      struct rb_proj *best)
{
    for (size_t i = a; i + 1 < b; i++) {
        double x0 = xy[2 * i], y0 = xy[2 * i + 1];
        double dx = xy[2 * i + 2] - x0, dy = xy[2 * i + 3] - y0;
        double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / len2 : 0;
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        double px = x0 + t * dx, py = y0 + t * dy;
        double d = hypot(x - px, y - py);
        /* strictly closer wins; ties keep the earlier edge, so the result does
         * not depend on how the caller splits the polyline */
        if (d < best->dist_m) {
            double cross = dx * (y - y0) - dy * (x - x0);
            best->dist_m = d;
            best->measure_m = m[i] + t * (m[i + 1] - m[i]);
            best->px = px;
            best->py = py;
            best->side = d == 0 ? 0 : cross > 0 ? 1 : cross < 0 ? -1 : 0;
        }
    }
}

void rb_net_project(const struct rb_net *net, size_t s, double x, double y, struct rb_proj *out)
{
    out->dist_m = INFINITY;
    out->measure_m = out->px = out->py = NAN;
    out->side = 0;
    const struct rb_seg *g = &net->segs[s];
    for (size_t p = g->part0; p < g->part0 + g->nparts; p++)
        rb_project_edges(net->xy, net->m, net->pt0[p], net->pt0[p + 1], x, y, out);
}

/* ---- nodes: segment ends within node_snap_m of each other, by a grid ---------- */

struct end {
    int64_t cx, cy;     /* grid cell */
    uint32_t idx;       /* which end: 2 * segment + (0 first, 1 last) */
};

static int end_cmp(const void *a, const void *b)
{
    const struct end *p = a, *q = b;
    if (p->cx != q->cx) return p->cx < q->cx ? -1 : 1;
    if (p->cy != q->cy) return p->cy < q->cy ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

static uint32_t uf_find(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static int build_nodes(struct rb_net *net, double snap, struct rb_err *err)
{
    size_t nends = 2 * net->nsegs;
    struct end *ends = rb_malloc(nends * sizeof *ends);
    uint32_t *parent = rb_malloc(nends * sizeof *parent);
    double *exy = rb_malloc(2 * nends * sizeof *exy);
    uint32_t *node_of = rb_malloc(nends * sizeof *node_of);
    int rc = RB_OK;
    if (!ends || !parent || !exy || !node_of) {
        rc = rb_err_nomem(err);
        goto done;
    }
    double cell = snap > 0 ? snap : 1e-9;
    size_t ne = 0;
    for (size_t s = 0; s < net->nsegs; s++) {
        const struct rb_seg *g = &net->segs[s];
        for (int k = 0; k < 2; k++) {
            uint32_t idx = (uint32_t)(2 * s + (size_t)k);
            parent[idx] = idx;
            exy[2 * idx] = exy[2 * idx + 1] = NAN;
            if (g->flags & RB_SEG_NOGEOM)
                continue;
            size_t p = k == 0 ? net->pt0[g->part0] : net->pt0[g->part0 + g->nparts] - 1;
            double x = net->xy[2 * p], y = net->xy[2 * p + 1];
            exy[2 * idx] = x;
            exy[2 * idx + 1] = y;
            ends[ne++] = (struct end){ (int64_t)floor(x / cell), (int64_t)floor(y / cell), idx };
        }
    }
    qsort(ends, ne, sizeof *ends, end_cmp);
    /* union ends that lie within snap of each other, looking in the 3 x 3 cells around */
    for (size_t i = 0; i < ne; i++) {
        const struct end *e = &ends[i];
        for (int64_t dx = -1; dx <= 1; dx++) {
            for (int64_t dy = -1; dy <= 1; dy++) {
                struct end key = { e->cx + dx, e->cy + dy, 0 };
                /* lower bound of the cell */
                size_t lo = 0, hi = ne;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (end_cmp(&ends[mid], &key) < 0) lo = mid + 1; else hi = mid;
                }
                for (size_t j = lo; j < ne && ends[j].cx == key.cx && ends[j].cy == key.cy; j++) {
                    if (ends[j].idx <= e->idx)
                        continue;
                    double ddx = exy[2 * e->idx] - exy[2 * ends[j].idx];
                    double ddy = exy[2 * e->idx + 1] - exy[2 * ends[j].idx + 1];
                    if (ddx * ddx + ddy * ddy <= snap * snap) {
                        uint32_t a = uf_find(parent, e->idx), b = uf_find(parent, ends[j].idx);
                        if (a != b)
                            parent[a > b ? a : b] = a < b ? a : b;
                    }
                }
            }
        }
    }
    /* number nodes in order of their smallest end, so numbering is stable */
    net->nnodes = 0;
    for (size_t i = 0; i < nends; i++)
        node_of[i] = RB_NONODE;
    for (size_t i = 0; i < nends; i++) {
        if (exy[2 * i] != exy[2 * i])
            continue;
        uint32_t r = uf_find(parent, (uint32_t)i);
        if (node_of[r] == RB_NONODE)
            node_of[r] = (uint32_t)net->nnodes++;
        node_of[i] = node_of[r];
    }
    net->node_xy = rb_malloc((net->nnodes ? net->nnodes : 1) * 2 * sizeof *net->node_xy);
    net->node_deg = rb_calloc(net->nnodes ? net->nnodes : 1, sizeof *net->node_deg);
    if (!net->node_xy || !net->node_deg) {
        rc = rb_err_nomem(err);
        goto done;
    }
    for (size_t i = 0; i < nends; i++) {
        uint32_t nd = node_of[i];
        if (nd == RB_NONODE)
            continue;
        if (net->node_deg[nd]++ == 0) {     /* the node sits at its first end */
            net->node_xy[2 * nd] = exy[2 * i];
            net->node_xy[2 * nd + 1] = exy[2 * i + 1];
        }
        if (i % 2 == 0)
            net->segs[i / 2].node_from = nd;
        else
            net->segs[i / 2].node_to = nd;
    }
done:
    rb_free(ends);
    rb_free(parent);
    rb_free(exy);
    rb_free(node_of);
    return rc;
}

/* ---- build ------------------------------------------------------------------- */

int rb_net_build(const struct rb_net_input *in, struct rb_net *net, struct rb_log *log,
                 const char *path, struct rb_err *err)
{
    memset(net, 0, sizeof *net);
    size_t nsegs = in->nsegs, nparts = in->part0[nsegs], npts = in->pt0[nparts];
    if (nsegs >= RB_NONODE / 2)
        return rb_err_set(err, RB_EINVAL, "%s: more than 2 billion segments", path);
    net->segs = rb_calloc(nsegs ? nsegs : 1, sizeof *net->segs);
    net->pt0 = rb_malloc((nparts + 1) * sizeof *net->pt0);
    net->xy = rb_malloc((npts ? npts : 1) * 2 * sizeof *net->xy);
    net->m = rb_malloc((npts ? npts : 1) * sizeof *net->m);
    net->ids = rb_calloc(nsegs ? nsegs : 1, sizeof *net->ids);
    if (!net->segs || !net->pt0 || !net->xy || !net->m || !net->ids)
        goto nomem;
    net->nsegs = nsegs;
    for (size_t s = 0; s < nsegs; s++)
        if (!(net->ids[s] = rb_strdup(in->ids[s])))
            goto nomem;

    size_t np = 0, nq = 0;      /* parts and points kept */
    for (size_t s = 0; s < nsegs; s++) {
        struct rb_seg *g = &net->segs[s];
        g->part0 = np;
        g->aadt = in->aadt ? in->aadt[s] : NAN;
        g->node_from = g->node_to = RB_NONODE;
        double m = 0;
        int had_points = 0, overlap = 0;
        for (size_t p = in->part0[s]; p < in->part0[s + 1]; p++) {
            size_t first = nq;
            for (size_t i = in->pt0[p]; i < in->pt0[p + 1]; i++) {
                double x = in->xy[2 * i], y = in->xy[2 * i + 1];
                had_points = 1;
                if (nq > first && x == net->xy[2 * nq - 2] && y == net->xy[2 * nq - 1])
                    continue;       /* a repeated vertex adds nothing */
                if (nq > first) {
                    double dx = x - net->xy[2 * nq - 2], dy = y - net->xy[2 * nq - 1];
                    /* doubling back: this edge runs against the last one, within half a
                     * degree (a projection bends what was straight in lon/lat) */
                    if (nq > first + 1) {
                        double ex = net->xy[2 * nq - 2] - net->xy[2 * nq - 4];
                        double ey = net->xy[2 * nq - 1] - net->xy[2 * nq - 3];
                        double dot = dx * ex + dy * ey, cr = dx * ey - dy * ex;
                        if (dot < 0 && fabs(cr) <= 0.0087 * hypot(dx, dy) * hypot(ex, ey))
                            overlap = 1;
                    }
                    m += hypot(dx, dy);
                }
                net->xy[2 * nq] = x;
                net->xy[2 * nq + 1] = y;
                net->m[nq] = m;
                nq++;
            }
            if (nq - first >= 2) {
                net->pt0[np++] = first;
            } else {
                nq = first;     /* a part of one point is no line */
            }
        }
        g->nparts = np - g->part0;
        g->length_m = m;
        if (g->nparts == 0) {
            g->flags |= RB_SEG_NOGEOM;
            if (had_points) {
                g->flags |= RB_SEG_ZERO;
                rb_warn(log, RB_W_SEGMENT, "%s: segment '%s' has zero length; nothing can match it",
                        path, net->ids[s]);
            }
        }
        if (overlap) {
            g->flags |= RB_SEG_OVERLAP;
            rb_warn(log, RB_W_SEGMENT, "%s: segment '%s' doubles back over itself; measures along it"
                    " are ambiguous", path, net->ids[s]);
        }
    }
    net->pt0[np] = nq;
    net->nparts = np;
    net->npts = nq;

    /* duplicate ids: a segment id is how analysts refer to a road piece */
    struct rb_strmap seen = { 0 };
    for (size_t s = 0; s < nsegs; s++) {
        size_t first = s;
        int got = rb_strmap_get(&seen, net->ids[s], &first, 1);
        if (got < 0) {
            rb_strmap_free(&seen);
            goto nomem;
        }
        if (got == 1) {
            net->segs[s].flags |= RB_SEG_DUP_ID;
            net->segs[first].flags |= RB_SEG_DUP_ID;
            rb_warn(log, RB_W_DUP_ID, "%s: segment id '%s' is used more than once", path, net->ids[s]);
        }
    }
    rb_strmap_free(&seen);

    int rc = build_nodes(net, in->node_snap_m, err);
    if (rc) {
        rb_net_free(net);
        return rc;
    }
    return RB_OK;
nomem:
    rb_net_free(net);
    return rb_err_nomem(err);
}

void rb_net_free(struct rb_net *net)
{
    if (!net)
        return;
    if (net->ids)
        for (size_t s = 0; s < net->nsegs; s++)
            rb_free(net->ids[s]);
    rb_free(net->ids);
    rb_free(net->segs);
    rb_free(net->pt0);
    rb_free(net->xy);
    rb_free(net->m);
    rb_free(net->node_xy);
    rb_free(net->node_deg);
    memset(net, 0, sizeof *net);
}
