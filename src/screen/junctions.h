/* screen/junctions: intersections as screening sites — network nodes where three
 * or more segment ends meet — with their legs' traffic and the crashes near them. */
#ifndef RB_JUNCTIONS_H
#define RB_JUNCTIONS_H

#include <stdint.h>
#include "core/core.h"
#include "net/net.h"
#include "net/route.h"

struct rb_junctions {
    size_t n;
    char **label;               /* ids from a point layer; NULL for network nodes */
    uint32_t *node;             /* network node (UINT32_MAX for a point layer's) */
    double *x, *y;              /* working CRS */
    uint32_t *n_legs;
    uint32_t *leg0;             /* n + 1: legs of junction j are leg_seg[leg0[j] .. leg0[j+1]) */
    uint32_t *leg_seg;
    double *aadt_major;         /* the busiest leg */
    double *aadt_minor;         /* the busiest leg on another route (else the second busiest) */
    double *entering;           /* total entering vehicles per day (NaN when a leg lacks AADT) */
};

/* Junctions from the network's nodes of degree >= 3. Entering vehicles are half
 * the sum of the legs' two-way AADT (each leg carries half its traffic towards
 * the node), or the whole sum when sum_legs is set. routes may be NULL. */
int rb_junctions_from_net(const struct rb_net *net, const struct rb_routes *routes, int sum_legs,
                          struct rb_junctions *j, struct rb_err *err);
/* Junctions from a point inventory: n points (xy in the working CRS), each with
 * its id (copied), the major and minor road's two-way AADT (NaN unknown). Legs
 * are unknown (n_legs 0); entering vehicles are major + minor, the HSM's
 * AADT_maj + AADT_min (NaN when either is unknown). */
int rb_junctions_from_points(size_t n, const double *xy, const char *const *id, const double *major,
                             const double *minor, struct rb_junctions *j, struct rb_err *err);
void rb_junctions_free(struct rb_junctions *j);

/* For each of n points (x[i], y[i]; ok[i] non-zero where the point is usable)
 * the nearest junction within radius_m (ties to the lower index), or -1. */
int rb_junctions_assign(const struct rb_junctions *j, const double *x, const double *y, const uint8_t *ok,
                        size_t n, double radius_m, int64_t *out, struct rb_err *err);

#endif
