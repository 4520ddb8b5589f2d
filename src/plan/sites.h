/* plan/sites: the sites a plan treats — the stretches screening flagged,
 * merged per route, and the best-ranked intersections — with their road,
 * expected crashes, curvature and crashes. */
#ifndef RB_PLAN_SITES_H
#define RB_PLAN_SITES_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "net/net.h"
#include "net/route.h"
#include "screen/sites.h"
#include "screen/hotspots.h"
#include "screen/junctions.h"
#include "screen/spf.h"
#include "plan/diag.h"
#include "plan/econ.h"

struct rb_plan_site {
    uint32_t route;
    double from_m, to_m;
    struct rb_plan_road road;
    double expected_per_yr;          /* the site's own: EB where there is an SPF, else observed */
    int eb;                          /* 1 when expected_per_yr is EB */
    double curve_len_m, min_radius_m;
    size_t c0, nc;                   /* its crashes: crash[c0 .. c0 + nc) */
    uint32_t pop;                    /* its reference population (its main segment's) */
    long junction;                   /* an intersection site: its junction; -1 a stretch */
};

/* ---- sites from screening ---------------------------------------------------------- */

struct rb_plan_input {
    const struct rb_net *net;
    const struct rb_routes *routes;
    const struct rb_hotspots *hot;       /* the stretches screening flagged */
    const struct rb_sites *seg_sites;    /* per segment (network order): eb_per_yr, freq_per_yr, aadt */
    const struct rb_plan_road *seg_road; /* per segment: area, speed, AADT, lanes, shoulder, divided */
    size_t ncrash;
    const struct rb_plan_crash *crash;   /* per crash */
    const int64_t *crash_seg;            /* per crash: matched segment, -1 none */
    const double *chainage_m;            /* per crash */
    const uint8_t *counted;              /* per crash: 1 when in the study (matched, in the period) */
    double curve_radius_m;
    /* intersections (all NULL / 0 for none): the best-ranked become sites of their own */
    const struct rb_junctions *junc;
    const struct rb_sites *int_sites;    /* per junction: rank, freq_per_yr */
    const int64_t *crash_junction;       /* per crash: its junction, -1 none */
    size_t int_top;                      /* junctions ranked up to this are sites */
    double int_radius_m;                 /* an intersection site spans this either side of it */
    /* a stretch site's own expected crashes: the SPF (NULL: none; an array
     * when seg_sites->spf_ix gives each segment's) and the segments'
     * predictions (seg_sites->pred_per_yr), over the study's years (0: not
     * known) */
    const struct rb_spf *spf;
    int nyears;
};

/* Merges overlapping hotspots of a route into plan sites (by route, then
 * chainage) and gathers each site's counted crashes (crash_out, site by site)
 * and the reference population (every counted crash on the network). A site's
 * road is the segment covering most of it; its expected crashes a year the
 * overlapping segments' EB (else observed) frequencies, pro rata to length;
 * its curvature from the route's geometry.
 * Then the intersections ranked up to int_top with a crash, outside every
 * stretch site (whose plan already holds their crashes), follow as sites of
 * their own: placed on their busiest leg's route, int_radius_m either side,
 * with the crashes screening gave them and their observed frequency. */
int rb_plan_sites(const struct rb_plan_input *in, struct rb_plan_site **sites, size_t *nsites,
                  struct rb_plan_crash **crash_out, struct rb_plan_crash **ref, size_t *nref, struct rb_err *err);

#endif
