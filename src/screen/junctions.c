/* screen/junctions: intersections from the network's nodes. */
#include "screen/junctions.h"

#include <math.h>
#include <string.h>
#include "index/index.h"

void rb_junctions_free(struct rb_junctions *j)
{
    if (!j)
        return;
    for (size_t k = 0; j->label && k < j->n; k++)
        rb_free(j->label[k]);
    rb_free(j->label);
    rb_free(j->node); rb_free(j->x); rb_free(j->y); rb_free(j->n_legs); rb_free(j->leg0); rb_free(j->leg_seg);
    rb_free(j->aadt_major); rb_free(j->aadt_minor); rb_free(j->entering);
    memset(j, 0, sizeof *j);
}

int rb_junctions_from_net(const struct rb_net *net, const struct rb_routes *routes, int sum_legs,
                          struct rb_junctions *j, struct rb_err *err)
{
    memset(j, 0, sizeof *j);
    size_t n = 0, nlegs = 0;
    for (size_t v = 0; v < net->nnodes; v++)
        if (net->node_deg[v] >= 3) {
            n++;
            nlegs += net->node_deg[v];
        }
    size_t m = n ? n : 1;
    uint32_t *jof = rb_mallocarray(net->nnodes ? net->nnodes : 1, sizeof *jof);
    j->node = rb_mallocarray(m, sizeof *j->node);
    j->x = rb_mallocarray(m, sizeof(double));
    j->y = rb_mallocarray(m, sizeof(double));
    j->n_legs = rb_calloc(m, sizeof *j->n_legs);
    j->leg0 = rb_calloc(m + 1, sizeof *j->leg0);
    j->leg_seg = rb_mallocarray(nlegs ? nlegs : 1, sizeof *j->leg_seg);
    j->aadt_major = rb_mallocarray(m, sizeof(double));
    j->aadt_minor = rb_mallocarray(m, sizeof(double));
    j->entering = rb_mallocarray(m, sizeof(double));
    if (!jof || !j->node || !j->x || !j->y || !j->n_legs || !j->leg0 || !j->leg_seg || !j->aadt_major ||
        !j->aadt_minor || !j->entering) {
        rb_free(jof);
        rb_junctions_free(j);
        return rb_err_nomem(err);
    }
    j->n = n;
    size_t q = 0;
    for (size_t v = 0; v < net->nnodes; v++) {
        jof[v] = UINT32_MAX;
        if (net->node_deg[v] < 3)
            continue;
        jof[v] = (uint32_t)q;
        j->node[q] = (uint32_t)v;
        j->x[q] = net->node_xy[2 * v];
        j->y[q] = net->node_xy[2 * v + 1];
        j->leg0[q + 1] = j->leg0[q] + net->node_deg[v];
        q++;
    }
    /* legs in segment order: a loop segment with both ends at the node is two legs */
    for (size_t s = 0; s < net->nsegs; s++) {
        uint32_t ends[2] = { net->segs[s].node_from, net->segs[s].node_to };
        for (int e = 0; e < 2; e++) {
            if (ends[e] == RB_NONODE || jof[ends[e]] == UINT32_MAX)
                continue;
            uint32_t jj = jof[ends[e]];
            j->leg_seg[j->leg0[jj] + j->n_legs[jj]++] = (uint32_t)s;
        }
    }
    for (size_t k = 0; k < n; k++) {
        double sum = 0, major = -1, minor = -1;
        size_t imaj = 0;
        for (uint32_t l = j->leg0[k]; l < j->leg0[k] + j->n_legs[k]; l++) {
            double a = net->segs[j->leg_seg[l]].aadt;
            sum += a;       /* NaN spreads: an unknown leg leaves the volume unknown */
            if (a > major) {
                major = a;
                imaj = l;
            }
        }
        uint32_t rmaj = routes ? routes->route_of[j->leg_seg[imaj]] : UINT32_MAX;
        for (int pass = 0; pass < 2 && minor < 0; pass++)
            for (uint32_t l = j->leg0[k]; l < j->leg0[k] + j->n_legs[k]; l++) {
                if (l == imaj)
                    continue;
                double a = net->segs[j->leg_seg[l]].aadt;
                int other = routes && routes->route_of[j->leg_seg[l]] != rmaj;
                if ((pass == 1 || other) && a > minor)
                    minor = a;
            }
        j->aadt_major[k] = major >= 0 ? major : NAN;
        j->aadt_minor[k] = minor >= 0 ? minor : NAN;
        j->entering[k] = sum_legs ? sum : sum / 2;
    }
    rb_free(jof);
    return RB_OK;
}

int rb_junctions_from_points(size_t n, const double *xy, const char *const *id, const double *major,
                             const double *minor, struct rb_junctions *j, struct rb_err *err)
{
    memset(j, 0, sizeof *j);
    size_t m = n ? n : 1;
    j->label = rb_calloc(m, sizeof *j->label);
    j->node = rb_mallocarray(m, sizeof *j->node);
    j->x = rb_mallocarray(m, sizeof(double));
    j->y = rb_mallocarray(m, sizeof(double));
    j->n_legs = rb_calloc(m, sizeof *j->n_legs);
    j->leg0 = rb_calloc(m + 1, sizeof *j->leg0);
    j->leg_seg = rb_malloc(sizeof *j->leg_seg);
    j->aadt_major = rb_mallocarray(m, sizeof(double));
    j->aadt_minor = rb_mallocarray(m, sizeof(double));
    j->entering = rb_mallocarray(m, sizeof(double));
    j->n = n;
    int ok = j->label && j->node && j->x && j->y && j->n_legs && j->leg0 && j->leg_seg && j->aadt_major &&
             j->aadt_minor && j->entering;
    for (size_t k = 0; k < n && ok; k++) {
        ok = (j->label[k] = rb_strdup(id[k])) != NULL;
        j->node[k] = UINT32_MAX;
        j->x[k] = xy[2 * k];
        j->y[k] = xy[2 * k + 1];
        j->aadt_major[k] = major[k];
        j->aadt_minor[k] = minor[k];
        j->entering[k] = major[k] + minor[k];
    }
    if (!ok) {
        rb_junctions_free(j);
        return rb_err_nomem(err);
    }
    return RB_OK;
}

struct nearest {
    const struct rb_junctions *j;
    double x, y, best_d2;
    int64_t best;
};

static int visit(size_t item, void *ud)
{
    struct nearest *q = ud;
    double dx = q->j->x[item] - q->x, dy = q->j->y[item] - q->y, d2 = dx * dx + dy * dy;
    if (d2 < q->best_d2 || (d2 == q->best_d2 && (int64_t)item < q->best)) {
        q->best_d2 = d2;
        q->best = (int64_t)item;
    }
    return 0;
}

struct assign {
    const struct rb_junctions *j;
    const struct rb_rtree *t;
    const double *x, *y;
    const uint8_t *ok;
    double radius_m;
    int64_t *out;
};

static void assign_range(size_t from, size_t to, size_t part, void *ud)
{
    const struct assign *a = ud;
    double r = a->radius_m;
    for (size_t i = from; i < to; i++) {
        a->out[i] = -1;
        if (!a->ok[i])
            continue;
        struct nearest q = { a->j, a->x[i], a->y[i], r * r, -1 };
        const double box[4] = { q.x - r, q.y - r, q.x + r, q.y + r };
        rb_rtree_search(a->t, box, visit, &q);
        a->out[i] = q.best;
    }
}

int rb_junctions_assign(const struct rb_junctions *j, const double *x, const double *y, const uint8_t *ok,
                        size_t n, double radius_m, int64_t *out, struct rb_err *err)
{
    double *boxes = rb_mallocarray(rb_size_mul(j->n ? j->n : 1, 4), sizeof *boxes);
    if (!boxes)
        return rb_err_nomem(err);
    for (size_t k = 0; k < j->n; k++) {
        boxes[4 * k] = boxes[4 * k + 2] = j->x[k];
        boxes[4 * k + 1] = boxes[4 * k + 3] = j->y[k];
    }
    struct rb_rtree *t = NULL;
    int rc = rb_rtree_build(boxes, j->n, &t);
    rb_free(boxes);
    if (rc)
        return rb_err_nomem(err);
    /* the tree is read-only: the crashes split across threads */
    struct assign a = { j, t, x, y, ok, radius_m, out };
    rb_parallel_for(n, n >= 20000 ? RB_THREADS : 1, assign_range, &a);
    rb_rtree_free(t);
    return RB_OK;
}
