/* net: the road network as the matcher and screening need it — cleaned
 * polylines in metres with measures along each segment, and the nodes where
 * segment ends meet, with their degree. Built from io's plain road arrays. */
#ifndef RB_NET_H
#define RB_NET_H

#include <stdint.h>
#include "core/core.h"
#include "core/table.h"

#define RB_NONODE UINT32_MAX

enum rb_seg_flag {
    RB_SEG_NOGEOM = 1,      /* no usable line: nothing can match it */
    RB_SEG_ZERO = 2,        /* all its points coincide */
    RB_SEG_OVERLAP = 4,     /* it doubles back over itself */
    RB_SEG_DUP_ID = 8       /* another segment has the same id */
};

struct rb_seg {
    size_t part0, nparts;   /* its parts: [part0, part0 + nparts) */
    double length_m;        /* sum of its parts' lengths */
    double aadt;            /* vehicles per day, NaN when unknown */
    uint32_t node_from, node_to;  /* nodes at its first and last point, RB_NONODE if none */
    uint32_t flags;         /* enum rb_seg_flag */
};

struct rb_net {
    size_t nsegs, nparts, npts, nnodes;
    struct rb_seg *segs;
    size_t *pt0;            /* nparts + 1: first point of each part */
    double *xy;             /* 2 * npts, working CRS, consecutive duplicates removed */
    double *m;              /* npts: measure from the segment's start, metres */
    double *node_xy;        /* 2 * nnodes */
    uint32_t *node_deg;     /* segment ends meeting at each node */
    char **ids;             /* per segment: its id as text (the mapped id field, else the FID) */
};

/* The plain input net_build reads: what io's road reader makes. */
struct rb_net_input {
    size_t nsegs;
    const size_t *part0;        /* nsegs + 1 */
    const size_t *pt0;          /* nparts + 1 */
    const double *xy;
    const char *const *ids;     /* nsegs ids */
    const double *aadt;         /* nsegs, NaN unknown; may be NULL */
    double node_snap_m;         /* ends closer than this are one node */
};

/* Builds the network. Warnings name segments by id. Returns RB_OK or RB_ENOMEM. */
int rb_net_build(const struct rb_net_input *in, struct rb_net *net, struct rb_log *log,
                 const char *path, struct rb_err *err);
void rb_net_free(struct rb_net *net);

/* Closest point of segment s to (x, y): distance, measure from the segment start,
 * side (+1 left, -1 right of the digitised direction, 0 on the line) and the
 * point itself. Exposed for tests; the matcher uses the index instead of scanning. */
struct rb_proj {
    double dist_m, measure_m, px, py;
    int side;
};
void rb_net_project(const struct rb_net *net, size_t s, double x, double y, struct rb_proj *out);
/* The same over the edges of points [a, b) of one part. */
void rb_project_edges(const double *xy, const double *m, size_t a, size_t b, double x, double y,
                      struct rb_proj *best);

#endif
