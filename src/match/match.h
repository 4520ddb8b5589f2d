/* match: every crash to its road. The nearest segment within a tolerance, found
 * through a packed R-tree over short runs of segment edges, with distance,
 * measure, side, and the doubts an analyst must see: another road almost as
 * near (parallel roads, overpasses) and a junction close by. */
#ifndef RB_MATCH_H
#define RB_MATCH_H

#include <stdint.h>
#include "core/core.h"
#include "net/net.h"
#include "index/index.h"

#define RB_MATCH_THREADS RB_THREADS
#define RB_MATCH_RUN 8     /* edges per index item: short enough for tight boxes,
                              long enough to keep the tree a tenth of the edge count */

/* Why a crash is unmatched; RB_UNM_NONE when it is matched. Values 1..6 are the
 * coordinate problems found on reading (enum rb_xy_status), in the same order. */
enum rb_unmatched {
    RB_UNM_NONE = 0,
    RB_UNM_NO_COORDINATES, RB_UNM_INVALID_COORDINATES, RB_UNM_ZERO_COORDINATES,
    RB_UNM_OUT_OF_RANGE, RB_UNM_SWAPPED_COORDINATES, RB_UNM_TRANSFORM_FAILED,
    RB_UNM_BEYOND_TOLERANCE,
    RB_UNM_NO_ROADS,        /* the run has no road layer (screening intersections alone) */
    RB_NUNM
};
const char *rb_unmatched_name(int reason);

struct rb_match_opt {
    double tolerance_m;
    double ambiguous_margin_m;
    double junction_radius_m;
    /* Grade separation: a road at another grade within offset + grade_margin_m
     * (and tolerance), not joined to the match, makes it ambiguous with that
     * road as the other (grade_sep): a crash by a bridge may be on it or on the
     * road beneath. Another grade is a different grade[] (per segment: OSM's
     * layer, or 1 bridge, -1 tunnel, 0 ground; RB_GRADE_UNKNOWN; grade may be
     * NULL) or, whatever the grades say, a road crossing the match near the
     * crash with no node between them. 0 turns this off. */
    double grade_margin_m;
    const int8_t *grade;
};
#define RB_GRADE_UNKNOWN INT8_MIN

struct rb_match {
    int64_t seg;            /* matched segment, -1 when unmatched */
    double offset_m;        /* distance from the crash to the road */
    double measure_m;       /* along the segment from its first point */
    double px, py;          /* the matched point on the road, working CRS */
    int8_t side;            /* +1 left, -1 right of the digitised direction, 0 on it */
    uint8_t reason;         /* enum rb_unmatched */
    uint8_t ambiguous;      /* another, unconnected road within offset + margin */
    uint8_t junction;       /* within the junction radius of a node of degree >= 3 */
    uint8_t grade_sep;      /* the other road is at another grade */
    int64_t alt_seg;        /* the other road when ambiguous, else -1 */
    double alt_offset_m;    /* its distance, NaN when none */
    double nearest_m;       /* unmatched beyond tolerance: distance to the nearest road
                               if one lies within tolerance + margin, else NaN */
};

/* The index of a network: items are runs of up to RB_MATCH_RUN edges of one part. */
struct rb_netindex {
    struct rb_rtree *tree;
    size_t nitems;
    uint32_t *item_seg;     /* segment of each item */
    size_t *item_pt;        /* first point of each item */
    uint8_t *item_npts;     /* points in the item (edges + 1) */
};

int rb_netindex_build(const struct rb_net *net, struct rb_netindex *ix, struct rb_err *err);
void rb_netindex_free(struct rb_netindex *ix);

/* Matches n points (x[i], y[i] in the working CRS); status[i] is non-zero for a
 * point whose coordinates were unusable (its rb_xy_status), which is then
 * unmatched with that reason. out has n entries. */
int rb_match_points(const struct rb_net *net, const struct rb_netindex *ix,
                    const struct rb_match_opt *opt, const double *x, const double *y,
                    const uint8_t *status, size_t stride, size_t n, struct rb_match *out,
                    const struct rb_progress *prog, struct rb_err *err);

/* The road the record names (hint[i], a key made with rb_road_key; NULL or
 * "" none), against the segments' route and name keys (either may be NULL):
 * AGREES when the match is on it; MOVED when another road was nearer but a
 * segment of the named one lies within tolerance — the crash goes there, the
 * nearer road kept as alt_seg, no longer ambiguous (an overpass, a frontage
 * road); DISAGREES when none does; UNKNOWN_ROAD when no segment has that key. */
enum rb_hint { RB_HINT_NONE, RB_HINT_AGREES, RB_HINT_MOVED, RB_HINT_DISAGREES, RB_HINT_UNKNOWN_ROAD };
int rb_match_hints(const struct rb_net *net, const struct rb_netindex *ix, const struct rb_match_opt *opt,
                   const char *const *route_key, const char *const *name_key, const char *const *hint,
                   const double *x, const double *y, size_t stride, size_t n, struct rb_match *m, uint8_t *out,
                   struct rb_err *err);
const char *rb_hint_name(int h);

/* The direction of travel (dir_deg[i], compass degrees; NaN unknown) against
 * the way segments are digitised — the carriageways of a divided road are
 * digitised the way their traffic runs: AGREES when the match runs within
 * RB_DIR_MAX_DEG of it; MOVED when a segment within tolerance that does takes
 * the crash (the other carriageway kept as alt_seg); NO_FIT when none does
 * (a two-way road digitised the other way: the match stands). */
#define RB_DIR_MAX_DEG 60.0
enum rb_direction { RB_DIR_NONE, RB_DIR_AGREES, RB_DIR_MOVED, RB_DIR_NO_FIT };
int rb_match_direction(const struct rb_net *net, const struct rb_netindex *ix, const struct rb_match_opt *opt,
                       const double *dir_deg, const double *x, const double *y, size_t stride, size_t n,
                       struct rb_match *m, uint8_t *out, struct rb_err *err);
const char *rb_direction_name(int d);

#endif
