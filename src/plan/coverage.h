/* plan/coverage: what the network already has — lit road, cameras, beacons,
 * strips — as stretches of route chainage, how much of the network and of
 * its crashes they cover, and which segments have them (so that the plan
 * does not propose them again). */
#ifndef RB_PLAN_COVERAGE_H
#define RB_PLAN_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

/* A stretch of a route's chainage. */
struct rb_cov_iv {
    uint32_t route;
    double from_m, to_m;
};

/* Sorts by route and start and merges overlapping or touching stretches;
 * returns how many remain (in place). Stretches with to_m <= from_m go. */
size_t rb_cov_merge(struct rb_cov_iv *iv, size_t n);
/* Sorts by route and start, nothing merged (devices' places, from_m = to_m). */
void rb_cov_sort(struct rb_cov_iv *iv, size_t n);
/* In sorted iv[0..n): 1 when one of route r starts within [a, b]. */
int rb_cov_any_in(const struct rb_cov_iv *iv, size_t n, uint32_t r, double a, double b);
/* Length of [a, b] on route r that merged stretches iv[0..n) cover. */
double rb_cov_covered(const struct rb_cov_iv *iv, size_t n, uint32_t r, double a, double b);
/* 1 when chainage c of route r lies in one of the merged stretches. */
int rb_cov_holds(const struct rb_cov_iv *iv, size_t n, uint32_t r, double c);
/* The stretch a device at chainage c covers: up_m before it and down_m past
 * it for the traffic it faces, dir +1 (traffic along the chainage), -1
 * (against it), 0 both ways (the union of the two). */
void rb_cov_zone(double c, double up_m, double down_m, int dir, double *from_m, double *to_m);

/* Figures of one kind of asset over the network or a route. */
struct rb_cov_fig {
    double km, km_known, km_covered;     /* length; of it with the attribute known (lighting); covered */
    size_t crashes, crashes_in;          /* crashes matched there (in the study), and those on covered road */
    size_t ksi, ksi_in;                  /* fatal and serious (K, A) */
    size_t night, night_in, night_out;   /* in the dark: all, on covered road, on road known not covered */
};
/* A kind: lighting (cm -1: the roads' lit flag) or a countermeasure's assets. */
struct rb_cov_kind {
    char id[48];                 /* "lighting" or the countermeasure id */
    int cm;                      /* catalogue entry, -1 lighting */
    int police;                  /* lighting from the police records of street lighting at night crashes: a
                                    segment lit where more of its night crashes say lit than not; the night
                                    crashes in and out by their own record */
    size_t assets, unmatched;    /* assets read and those not on any road (tolerance) */
    struct rb_cov_iv *iv;        /* merged stretches */
    size_t niv;
    struct rb_cov_iv *at;        /* devices (points): where each stands (from_m = to_m), by route and chainage */
    size_t nat;
    struct rb_cov_fig net;       /* the network's */
    struct rb_cov_fig *route;    /* each route's (nroutes) */
};
struct rb_cov_summary {
    size_t nkinds;
    const struct rb_cov_kind *kind;
    size_t nroutes;
    const char *const *route_id;
    const char *assets_path;     /* NULL: none */
};

#endif
