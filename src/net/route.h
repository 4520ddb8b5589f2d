/* net/route: routes with continuous chainage. Segments sharing a route key are
 * chained through the nodes they share, in the direction of the route; a
 * segment without a key is a route of its own. */
#ifndef RB_ROUTE_H
#define RB_ROUTE_H

#include <stdint.h>
#include "net/net.h"

#define RB_ROUTE_JOIN_M 200.0   /* a chain starting this close to an earlier chain of its
                                   route (a second carriageway, a branch) takes its chainage */

struct rb_routes {
    size_t nroutes;
    char **id;              /* per route: the key (or the segment id for keyless segments) */
    size_t *seg0;           /* nroutes + 1: route r's segments are order[seg0[r] .. seg0[r+1]) */
    uint32_t *order;        /* segment indices, by chain then along it */
    double *length_m;       /* per route: the largest chainage reached */
    uint32_t *route_of;     /* per segment: its route */
    double *from_m, *to_m;  /* per segment: chainage where it starts and ends, from_m <= to_m */
    int8_t *dir;            /* per segment: +1 digitised along the chainage, -1 against it */
    size_t nchains;         /* connected runs; more than routes means gaps or carriageways */
    size_t nsplit_keys;     /* keys whose chains lay too far apart: split into pieces */
    size_t nsplit_pieces;   /* the routes those keys became */
    double max_gap_m;       /* the widest gap a key was split at (0 none) */
    char max_gap_key[64];   /* its key */
};

/* Builds routes from a key per segment (NULL or "" for none). */
int rb_routes_build(const struct rb_net *net, const char *const *key, struct rb_routes *out,
                    struct rb_err *err);
/* The same, but a chain starting more than split_gap_m from every chain of
 * its key placed before begins a new route, "KEY#2", "KEY#3", ...: a key that
 * is not one road (a road class, a name shared by streets across a city)
 * gives routes that are, and no window spans such a gap. 0: never split. */
int rb_routes_build_split(const struct rb_net *net, const char *const *key, double split_gap_m,
                          struct rb_routes *out, struct rb_err *err);
void rb_routes_free(struct rb_routes *r);

/* The segments of each route by their starting chainage, to find the ones a
 * stretch overlaps without walking the whole route (a route's chains may
 * overlap, a second carriageway, so order[] is not by chainage). */
struct rb_routes_ix {
    uint32_t *by_from;      /* positions into order[], each route's sorted by from_m, then to_m, then segment */
    double *max_len_m;      /* per route: its longest segment's to_m - from_m */
};
int rb_routes_ix_build(const struct rb_routes *r, struct rb_routes_ix *ix);
void rb_routes_ix_free(struct rb_routes_ix *ix);
/* The first place in by_from of a segment of route that may reach past
 * chainage a (from_m >= a - the route's longest segment); the segments
 * overlapping [a, b) follow it, up to the first with from_m >= b. */
size_t rb_routes_ix_first(const struct rb_routes *r, const struct rb_routes_ix *ix, size_t route, double a);

/* Chainage of a point at measure_m along segment s. */
double rb_routes_chainage(const struct rb_routes *r, const struct rb_net *net, size_t s, double measure_m);

/* The route's geometry between chainages a and b (a < b) as parts, one per
 * segment piece: appends points to *xy (2 per point) and part starts to *pt0.
 * Arrays grow with rb_grow; counts in *npts and *nparts. */
/* rb_routes_substring with the index: the same parts in the same order. */
int rb_routes_substring_ix(const struct rb_routes *r, const struct rb_routes_ix *ix, const struct rb_net *net,
                           size_t route, double a, double b, double **xy, size_t *capxy, size_t *npts, size_t **pt0,
                           size_t *cappt0, size_t *nparts);
int rb_routes_substring(const struct rb_routes *r, const struct rb_net *net, size_t route, double a,
                        double b, double **xy, size_t *capxy, size_t *npts, size_t **pt0,
                        size_t *cappt0, size_t *nparts);

/* One polyline along the route from chainage a to b, in chainage order (each
 * piece turned to run with the chainage), with each vertex's chainage; where
 * chains overlap (a second carriageway) the first drawn is kept. Buffers are
 * reused from call to call. */
struct rb_polyline {
    double *xy, *ch;
    size_t n, capxy, capch;
};
int rb_routes_polyline(const struct rb_routes *r, const struct rb_net *net, size_t route, double a, double b,
                       struct rb_polyline *pl);
void rb_polyline_free(struct rb_polyline *pl);
/* The chainage at distance s along the polyline, cum its vertices' cumulative
 * distances (cum[0] = 0). */
double rb_polyline_ch_at(const struct rb_polyline *pl, const double *cum, double s);

/* The point at chainage ch of the route, and the unit tangent in the
 * direction of increasing chainage. 0 when no segment of the route reaches ch. */
int rb_routes_point(const struct rb_routes *r, const struct rb_net *net, size_t route, double ch, double *x,
                    double *y, double *tx, double *ty);

/* Where distance s falls along a polyline with cumulative lengths cum[0..n)
 * (n >= 2): the vertex i before it and the fraction t of the edge i..i+1. */
size_t rb_cum_find(const double *cum, size_t n, double s, double *t);

#endif
