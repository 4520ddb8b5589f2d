/* match/lref: linear referencing — crashes located by road and measure, with
 * optional kilometre posts that calibrate the measure piecewise. */
#ifndef RB_LREF_H
#define RB_LREF_H

#include "match/match.h"
#include "net/route.h"

#define RB_LREF_MARKER_MAX_M 100.0   /* a post further than this from its road is left out */

/* Kilometre posts: where each stands (working CRS), its road and its stated value. */
struct rb_lref_markers {
    size_t n;
    const double *x, *y;
    const char *const *route;
    const double *value_m;       /* metres (NaN: none) */
    const char *path;            /* for messages */
};

struct rb_lref {
    const struct rb_routes *routes;
    const struct rb_net *net;
    struct rb_lref_key {
        char key[96];
        uint32_t route;
    } *ix;                       /* routes by key (rb_road_key), sorted */
    size_t nix;
    size_t *m0;                  /* nroutes + 1: route r's posts are [m0[r], m0[r+1]), by value */
    double *value_m, *ch;        /* each post's stated value and its chainage on the route */
    size_t nmarkers;
};

/* Indexes the routes by key and places the posts (may be NULL) on their
 * routes. Posts whose road is unknown, that stand far from it or that are
 * out of order with the one before are left out with a warning. */
int rb_lref_build(const struct rb_routes *routes, const struct rb_net *net, const struct rb_lref_markers *mk,
                  struct rb_lref *lr, struct rb_log *log, struct rb_err *err);
void rb_lref_free(struct rb_lref *lr);
/* The route a road number or name names, or -1. */
long rb_lref_route(const struct rb_lref *lr, const char *road);
/* A measure as chainage: between posts by linear interpolation, beyond the
 * first and last metre for metre; without posts the measure itself. */
double rb_lref_chainage(const struct rb_lref *lr, size_t route, double measure_m);
/* The match of a point at chainage ch of the route (segment, measure, point);
 * 0 when the route does not reach ch. */
int rb_lref_place(const struct rb_lref *lr, size_t route, double ch, struct rb_match *m);

/* ---- how each crash was located, and how well ---------------------------------- */

enum rb_located_by { RB_LOC_NONE, RB_LOC_XY, RB_LOC_MEASURE, RB_LOC_OVERRIDE };
enum rb_lr_status { RB_LR_NONE, RB_LR_OK, RB_LR_ROUTE_UNKNOWN, RB_LR_BEYOND_ROUTE, RB_LR_DISAGREE };
enum rb_quality { RB_Q_EXACT, RB_Q_GOOD, RB_Q_FAIR, RB_Q_AMBIGUOUS, RB_Q_UNMATCHED, RB_NQ };

struct rb_locate {
    uint8_t by;                  /* enum rb_located_by */
    uint8_t lr;                  /* enum rb_lr_status: what road and measure said */
    uint8_t quality;             /* enum rb_quality */
    uint8_t hint;                /* enum rb_hint: the road the record names, against the match */
    uint8_t dir;                 /* enum rb_direction: the direction of travel, against the carriageway */
    double lr_dist_m;            /* coordinates and measure both given: how far apart their points are */
};

const char *rb_located_by_name(int by);
const char *rb_lr_status_name(int st);
const char *rb_quality_name(int q);

/* Every crash's location: by coordinates where they matched (by set to XY or
 * NONE from m), then by road and measure where given (lr may be NULL): a crash
 * without a match is placed there (m changed, by MEASURE); one matched by its
 * coordinates is checked against it, and flagged DISAGREE beyond check_m.
 * road[i] may be NULL, measure_m[i] NaN. */
void rb_locate_measures(const struct rb_lref *lr, const char *const *road, const double *measure_m, size_t n,
                        double check_m, struct rb_match *m, struct rb_locate *loc);
/* The grade: unmatched; ambiguous (another road almost as near); exact (an
 * analyst's override, or coordinates within 5 m with nothing to doubt); good
 * (coordinates within 15 m, or a measure calibrated by posts); fair (the rest:
 * further, a measure without posts, coordinates the measure contradicts). */
void rb_locate_grade(const struct rb_lref *lr, const struct rb_routes *routes, const struct rb_match *m,
                     struct rb_locate *loc, size_t n);

#endif
