/* index/polys: which polygon holds a point. */
#include "index/index.h"

#include <math.h>
#include <string.h>

int rb_polyindex_build(size_t npolys, const size_t *ring0, const size_t *pt0, const double *xy,
                       struct rb_polyindex *ix)
{
    memset(ix, 0, sizeof *ix);
    double *box = rb_malloc((npolys ? npolys : 1) * 4 * sizeof *box);
    if (!box)
        return RB_ENOMEM;
    for (size_t i = 0; i < npolys; i++) {
        double *b = box + 4 * i;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        /* the outer ring bounds the polygon */
        for (size_t k = pt0[ring0[i]]; k < pt0[ring0[i] + 1]; k++) {
            b[0] = fmin(b[0], xy[2 * k]);
            b[1] = fmin(b[1], xy[2 * k + 1]);
            b[2] = fmax(b[2], xy[2 * k]);
            b[3] = fmax(b[3], xy[2 * k + 1]);
        }
    }
    int rc = rb_rtree_build(box, npolys, &ix->tree);
    rb_free(box);
    if (rc)
        return rc;
    ix->npolys = npolys;
    ix->ring0 = ring0;
    ix->pt0 = pt0;
    ix->xy = xy;
    return RB_OK;
}

void rb_polyindex_free(struct rb_polyindex *ix)
{
    if (!ix)
        return;
    rb_rtree_free(ix->tree);
    memset(ix, 0, sizeof *ix);
}

/* Even-odd crossing test over every ring of polygon i: a horizontal ray to +x
 * crosses edges whose ends straddle y (half-open in y, so a vertex is counted
 * once). */
static int inside(const struct rb_polyindex *ix, size_t i, double x, double y)
{
    int in = 0;
    for (size_t r = ix->ring0[i]; r < ix->ring0[i + 1]; r++) {
        size_t a = ix->pt0[r], b = ix->pt0[r + 1];
        for (size_t k = a, j = b - 1; k < b; j = k++) {
            double xk = ix->xy[2 * k], yk = ix->xy[2 * k + 1], xj = ix->xy[2 * j], yj = ix->xy[2 * j + 1];
            if ((yk > y) != (yj > y) && x < (xj - xk) * (y - yk) / (yj - yk) + xk)
                in = !in;
        }
    }
    return in;
}

struct find_ctx {
    const struct rb_polyindex *ix;
    double x, y;
    long best;
};

static int on_poly(size_t item, void *ud)
{
    struct find_ctx *c = ud;
    if ((c->best < 0 || (long)item < c->best) && inside(c->ix, item, c->x, c->y))
        c->best = (long)item;
    return 0;
}

long rb_polyindex_find(const struct rb_polyindex *ix, double x, double y)
{
    if (!ix->tree)
        return -1;
    struct find_ctx c = { ix, x, y, -1 };
    double q[4] = { x, y, x, y };
    rb_rtree_search(ix->tree, q, on_poly, &c);
    return c.best;
}
