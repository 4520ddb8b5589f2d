/* index: a static packed Hilbert R-tree over axis-aligned boxes.
 *
 * Built once from all boxes (sorted along a Hilbert curve of their centres and
 * packed bottom-up, RB_RTREE_NODE children per node), then queried read-only.
 * Static packing gives full nodes and tight, little-overlapping boxes, which is
 * what a read-many road network wants; it is the layout of flatbush and of
 * GeoPackage-style packed trees, written here for this job. */
#ifndef RB_INDEX_H
#define RB_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"

#define RB_RTREE_NODE 16   /* children per node: one or two cache lines of boxes */

struct rb_rtree {
    size_t nitems;        /* leaves */
    size_t nboxes;        /* leaves + internal nodes */
    double *boxes;        /* 4 per box: minx, miny, maxx, maxy; leaves first, root last */
    uint32_t *ref;        /* per box: the item (leaf) or the first child's box index */
    size_t *level_end;    /* end index of each level's boxes */
    size_t nlevels;
};

/* Builds the tree over n boxes (4 doubles each, minx miny maxx maxy). Items are
 * referred to by their position in boxes. n may be 0. Returns RB_OK or RB_ENOMEM. */
int rb_rtree_build(const double *boxes, size_t n, struct rb_rtree **out);
void rb_rtree_free(struct rb_rtree *t);

/* Calls fn(item, ud) for every item whose box intersects q (4 doubles); stops
 * early when fn returns non-zero. Returns the number of items visited. */
size_t rb_rtree_search(const struct rb_rtree *t, const double q[4],
                       int (*fn)(size_t item, void *ud), void *ud);

/* Point-in-polygon over plain rings (polygon i has rings [ring0[i],
 * ring0[i+1]), ring r points [pt0[r], pt0[r+1]); the arrays are borrowed): an
 * R-tree of the polygons' boxes, then the even-odd rule over all of a
 * polygon's rings, so holes are outside. */
struct rb_polyindex {
    size_t npolys;
    const size_t *ring0, *pt0;
    const double *xy;
    struct rb_rtree *tree;
};
int rb_polyindex_build(size_t npolys, const size_t *ring0, const size_t *pt0, const double *xy,
                       struct rb_polyindex *ix);
/* The lowest-numbered polygon containing (x, y), or -1. */
long rb_polyindex_find(const struct rb_polyindex *ix, double x, double y);
void rb_polyindex_free(struct rb_polyindex *ix);

/* Hilbert index of (x, y) on a 2^16 x 2^16 grid (exposed for tests). */
uint32_t rb_hilbert(uint32_t x, uint32_t y);

#endif
