/* plan/layout: work orders — where each chosen countermeasure goes along the
 * route: the gaps strips keep, and the lines (strips) and points (signs,
 * chevrons, devices) of one countermeasure at one site. */
#ifndef RB_PLAN_LAYOUT_H
#define RB_PLAN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "net/net.h"
#include "net/route.h"
#include "index/index.h"
#include "plan/catalogue.h"
#include "plan/placement.h"
#include "plan/econ.h"
#include "plan/sites.h"

/* ---- work orders: where each countermeasure goes ----------------------------------- */

/* What strips keep away from: the stretch itself (a junction is a point), buffered at layout. */
enum rb_gap_why { RB_GAP_JUNCTION, RB_GAP_BRIDGE, RB_GAP_SETTLEMENT, RB_NGAP };
struct rb_gap {
    uint32_t route;
    uint8_t why;
    double from_m, to_m;
};

/* The gaps of the routes marked in want (NULL: all): junctions (nodes of
 * degree 3 or more a route passes), bridge segments (bridge[s] 1), segments
 * in settlements (urban[s] 1) and, with settle, the route's stretches inside
 * its polygons (sampled every 10 m). Sorted by route, then chainage. */
int rb_layout_gaps(const struct rb_net *net, const struct rb_routes *routes, const uint8_t *want,
                   const uint8_t *bridge, const uint8_t *urban, const struct rb_polyindex *settle,
                   struct rb_gap **gaps, size_t *ngaps, struct rb_err *err);

struct rb_layout_ctx {
    const struct rb_net *net;
    const struct rb_routes *routes;
    const struct rb_plan_road *seg_road;     /* per segment: the conditions along a strip */
    const struct rb_gap *gap;                /* by route, then chainage */
    size_t ngap;
    const struct rb_placement *place;
    double gap_m[RB_NGAP];                   /* strips keep this far from each kind of gap */
    double default_speed_kmh;                /* approach speed where the road has none */
    double offset_m;                         /* points drawn this far off the centreline */
    double curve_radius_m;                   /* a bend: radius below this */
    int drive_left;                          /* traffic keeps left: signs stand on the left */
    const struct rb_plan_crash *crash;       /* the sites' crashes (a site's from c0, nc of them, at_m
                                                their chainage); NULL: none known */
};

enum rb_work_role { RB_ROLE_STRIP, RB_ROLE_SIGN, RB_ROLE_CHEVRON, RB_ROLE_DEVICE, RB_ROLE_ENTRY, RB_ROLE_EXIT };
enum rb_work_side { RB_SIDE_CENTRE, RB_SIDE_RIGHT, RB_SIDE_LEFT };
enum rb_work_note { RB_WORK_SPEED_ASSUMED = 1, RB_WORK_CLIPPED = 2 };

/* One line (a stretch of strip) or point (a sign, chevron or device) of a work order. */
struct rb_work {
    size_t alt;                  /* the plan alternative it belongs to (set by the caller) */
    uint32_t site, cm;           /* site and catalogue entry */
    uint32_t route;
    double from_m, to_m;         /* a line's stretch; a point's chainage twice */
    double x, y;                 /* a point's place (working CRS), off the centreline on its side */
    double units;                /* strips: whole units laid */
    double radius_m;             /* on a bend: its smallest radius; else NaN */
    double speed_kmh;            /* signs: the approach speed their distance is for; else NaN */
    int8_t dir;                  /* +1 for traffic along the chainage, -1 against it, 0 both */
    uint8_t role, side, note;    /* enum rb_work_role; rb_work_side of its traffic; rb_work_note bits */
    uint8_t is_line;
};

struct rb_works {
    struct rb_work *w;
    size_t n, cap;
};

/* The advance distance for an approach speed (the first row at or above it,
 * else the last) and the chevron spacing for a radius. */
double rb_sign_distance_m(const struct rb_placement *pl, double speed_kmh);
double rb_chevron_spacing_m(const struct rb_placement *pl, double radius_m);

/* Lays out catalogue entry k at a site: appends its lines and points to out
 * and gives the quantity its cost is for (km laid, items, or 1 a site) and
 * the share of the site it covers. A quantity of 0 means it cannot be laid
 * there (a strip with no room between the gaps, chevrons with no bend).
 * A point device stands at the junction nearest the site's middle when the
 * entry says so (layout.at junction) or the site has no crashes known by
 * chainage, else where its zone holds the most of its target crashes (ties:
 * nearest the middle); at an intersection site, at the site's middle. */
int rb_layout(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, size_t k, const struct rb_plan_site *site,
              size_t site_index, struct rb_works *out, double *quantity, double *cover, struct rb_err *err);
/* The share of each of the site's crashes (share[0..site->nc)) that entry cm,
 * laid out as works w[0..nw), acts on: its zone of influence.
 * - strips: 1 on the laid stretches, 0 in the gaps;
 * - chevrons: 1 along the bend they line (each chevron half a spacing either
 *   way);
 * - a point device: its zone for each direction's traffic (zone_up_m before
 *   the device, zone_down_m past it), each direction half the crashes at a
 *   place, as a crash's direction is not known;
 * - signs, spaced devices, section cameras, and anything at an intersection
 *   site: the whole site (what the signs announce, the lit or enforced stretch,
 *   the junction's crashes);
 * a crash whose chainage is not known there counts with cover, the share of
 * the site the entry covers. */
void rb_layout_shares(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, const struct rb_plan_site *site,
                      const struct rb_work *w, size_t nw, double cover, double *share);
void rb_works_free(struct rb_works *w);

#endif
