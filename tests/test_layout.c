/* plan/layout: work orders on routes built by hand — strips in whole units
 * between the gaps, advance signs at the table's distance, chevrons around a
 * bend of known radius, spaced and single devices. Every expected value is
 * worked out in the comments from the geometry and data/placement.json. */
#include "tcheck.h"
#include "plan/plan.h"
#include "tnet.h"

#include <stdlib.h>
#include <unistd.h>

#define PI 3.14159265358979323846

static const char *data_dir(void)
{
    return getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data";
}

static struct rb_cm cm_layout(int rule, int unit, double unit_m, double spacing_m, int per_direction)
{
    struct rb_cm cm;
    memset(&cm, 0, sizeof cm);
    snprintf(cm.id, sizeof cm.id, "t");
    cm.site = RB_CM_SEGMENT;
    cm.cmf = 0.8;
    cm.area = -1;
    cm.divided = -1;
    cm.min_speed_kmh = cm.max_speed_kmh = cm.min_aadt = cm.max_aadt = cm.min_shoulder_m = NAN;
    cm.unit = unit;
    cm.unit_cost = 1;
    cm.life_yr = 10;
    cm.layout = rule;
    cm.unit_m = unit_m;
    cm.spacing_m = spacing_m;
    cm.per_direction = per_direction;
    cm.gaps = 1;
    return cm;
}

static struct rb_plan_road road(double speed)
{
    return (struct rb_plan_road){ .area = 0, .speed_kmh = speed, .aadt = 5000, .shoulder_m = NAN, .lanes = 2,
                                  .divided = -1, .curve = -1 };
}

struct world {
    struct tnet f;
    struct rb_net net;
    struct rb_routes r;
    struct rb_placement pl;
    struct rb_plan_road seg[64];
    struct rb_gap *gap;
    size_t ngap;
    struct rb_layout_ctx ctx;
};

static int world_build(struct world *w, const uint8_t *bridge, const uint8_t *urban,
                       const struct rb_polyindex *settle)
{
    struct rb_log log = { 0 };
    struct rb_err err = { 0 };
    int rc = tnet_build(&w->f, &w->net, &log) || rb_routes_build(&w->net, w->f.keys, &w->r, &err) ||
             rb_placement_read(data_dir(), NULL, &w->pl, &err) ||
             rb_layout_gaps(&w->net, &w->r, NULL, bridge, urban, settle, &w->gap, &w->ngap, &err);
    rb_log_free(&log);
    if (rc) {
        fprintf(stderr, "world: %s\n", err.msg);
        return rc;
    }
    w->ctx = (struct rb_layout_ctx){ &w->net, &w->r, w->seg, w->gap, w->ngap, &w->pl, { 50, 15, 200 }, 90, 4,
                                     600, 0, NULL };
    return RB_OK;
}

static void world_free(struct world *w)
{
    rb_free(w->gap);
    rb_routes_free(&w->r);
    rb_net_free(&w->net);
}

static struct rb_plan_site site_at(uint32_t route, double a, double b, struct rb_plan_road rd)
{
    struct rb_plan_site s = { 0 };
    s.route = route;
    s.from_m = a;
    s.to_m = b;
    s.road = rd;
    s.junction = -1;           /* a stretch */
    return s;
}

TEST(placement_tables)
{
    struct rb_placement pl;
    struct rb_err err = { 0 };
    CHECK_INT(rb_placement_read(data_dir(), NULL, &pl, &err), RB_OK);
    /* MUTCD Table 2C-4 condition A: 55 mph (88.5 km/h) 990 ft = 301.8 m; 90 km/h
     * is above 55 mph, so the 60 mph row: 1,100 ft = 335.3 m */
    CHECK_NEAR(rb_sign_distance_m(&pl, 88.5), 302, 0);
    CHECK_NEAR(rb_sign_distance_m(&pl, 90), 335, 0);
    CHECK_NEAR(rb_sign_distance_m(&pl, 50), 172, 0);      /* 50 km/h = 31 mph: the 35 mph row, 565 ft */
    CHECK_NEAR(rb_sign_distance_m(&pl, 140), 411, 0);     /* above the table: its last row */
    /* Table 2C-5: radius below 200 ft (61 m) 40 ft; 100 m is in 200-400 ft: 80 ft = 24 m */
    CHECK_NEAR(rb_chevron_spacing_m(&pl, 50), 12, 0);
    CHECK_NEAR(rb_chevron_spacing_m(&pl, 100), 24, 0);
    CHECK_NEAR(rb_chevron_spacing_m(&pl, 5000), 61, 0);
    CHECK_INT(pl.chev_min, 3);
    /* a broken table names the file and row */
    char path[] = "/tmp/rumble_place_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    fputs("{\"advance_signs\": {\"rows\": [{\"speed_kmh\": 50, \"distance_m\": 100}, {\"speed_kmh\": 40, "
          "\"distance_m\": 50}]}, \"chevrons\": {\"rows\": [{\"max_radius_m\": null, \"spacing_m\": 20}]}}",
          fp);
    fclose(fp);
    CHECK_INT(rb_placement_read(NULL, path, &pl, &err), RB_EINVAL);
    CHECK(strstr(err.msg, path) && strstr(err.msg, "row 2") && strstr(err.msg, "speed_kmh"));
    unlink(path);
}

/* Route A along the x axis, 3,000 m: s0 0-1,000, s1 1,000-2,000 (a bridge),
 * s2 2,000-2,500, s3 2,500-3,000 (60 km/h); a side road (s4, route B) meets it
 * at x = 2,500, so a junction there. */
TEST(strips_in_whole_units_between_gaps)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 1000, 0, 2000, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 2000, 0, 2500, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 2500, 0, 3000, 0 }, 2);
    tnet_add(&w.f, "B", 500, (double[]){ 2500, 0, 2500, 500 }, 2);
    uint8_t bridge[5] = { 0, 1, 0, 0, 0 };
    for (int s = 0; s < 5; s++)
        w.seg[s] = road(s == 3 ? 60 : 90);
    if (world_build(&w, bridge, NULL, NULL))
        return;
    /* gaps of route A: the junction at 2,500 and the bridge 1,000-2,000 */
    size_t nj = 0, nb = 0;
    for (size_t i = 0; i < w.ngap; i++) {
        if (w.gap[i].route != w.r.route_of[0])
            continue;
        if (w.gap[i].why == RB_GAP_JUNCTION) {
            nj++;
            CHECK_NEAR(w.gap[i].from_m, 2500, 1e-9);
        } else if (w.gap[i].why == RB_GAP_BRIDGE) {
            nb++;
            CHECK_NEAR(w.gap[i].from_m, 1000, 1e-9);
            CHECK_NEAR(w.gap[i].to_m, 2000, 1e-9);
        }
    }
    CHECK_INT(nj, 1);
    CHECK_INT(nb, 1);
    struct rb_cm cm = cm_layout(RB_LAYOUT_STRIP, RB_CM_PER_KM, 300, 0, 0);
    cm.min_speed_kmh = 80;
    struct rb_plan_site s = site_at(w.r.route_of[0], 100, 2900, road(90));
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty = 0, cover = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    /* free: s0..s2 have 90 km/h (s3 fails 80 km/h) = 0-2,500, less the bridge
     * 985-2,015 (15 m either side) and the junction 2,450-2,550 (50 m):
     * 0-985 and 2,015-2,450.
     * 0-985 meets the site at 100-985 (885 m): ceil(885/300) = 3 units, 900 m,
     *   room (985 m); centred on 542.5 they would start at 92.5, but must end
     *   by 985: 85-985.
     * 2,015-2,450 meets it at 2,015-2,450 (435 m): 2 units want 600 m, the room
     *   is 435: 1 unit, centred: 2,082.5-2,382.5. */
    CHECK_INT(out.n, 2);
    if (out.n == 2) {
        CHECK_NEAR(out.w[0].from_m, 85, 1e-6);
        CHECK_NEAR(out.w[0].to_m, 985, 1e-6);
        CHECK_NEAR(out.w[0].units, 3, 0);
        CHECK_NEAR(out.w[1].from_m, 2082.5, 1e-6);
        CHECK_NEAR(out.w[1].to_m, 2382.5, 1e-6);
        CHECK_NEAR(out.w[1].units, 1, 0);
        CHECK_INT(out.w[0].is_line, 1);
        CHECK_INT(out.w[0].role, RB_ROLE_STRIP);
    }
    CHECK_NEAR(qty, 1.2, 1e-9);                          /* 1,200 m laid, priced per km */
    CHECK_NEAR(cover, (885.0 + 300.0) / 2800.0, 1e-9);    /* of the 2,800 m site */
    /* it acts where it is laid: crashes at 500 and 2,100 are on a strip, at
     * 1,500 (the bridge), 2,400 (past the second strip) and 2,600 (the 60 km/h
     * stretch) are not; a crash of unknown chainage counts with the cover */
    struct rb_plan_crash cr[6];
    double at[6] = { 500, 1500, 2100, 2400, 2600, NAN }, sh[6];
    for (int i = 0; i < 6; i++)
        cr[i] = (struct rb_plan_crash){ RB_CT_RUN_OFF_ROAD, RB_SEV_B, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, at[i] };
    w.ctx.crash = cr;
    s.nc = 6;
    rb_layout_shares(&w.ctx, &cm, &s, out.w, out.n, cover, sh);
    double want[6] = { 1, 0, 1, 0, 0, (885.0 + 300.0) / 2800.0 };
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(sh[i], want[i], 1e-12);
    w.ctx.crash = NULL;
    s.nc = 0;
    /* surfacing goes through the gaps: only the 60 km/h segment stops it,
     * 100-2,500 is 2,400 m, 8 whole units */
    cm.gaps = 0;
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 1);
    if (out.n == 1) {
        CHECK_NEAR(out.w[0].from_m, 100, 1e-6);
        CHECK_NEAR(out.w[0].to_m, 2500, 1e-6);
        CHECK_NEAR(out.w[0].units, 8, 0);
    }
    cm.gaps = 1;
    /* no room at all: a site on the bridge alone cannot have a strip */
    out.n = 0;
    s = site_at(w.r.route_of[0], 1200, 1800, road(90));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 0);
    CHECK_NEAR(qty, 0, 0);
    /* without a unit length the strip covers its free stretch exactly */
    cm.unit_m = 0;
    out.n = 0;
    s = site_at(w.r.route_of[0], 100, 900, road(90));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 1);
    if (out.n == 1) {
        CHECK_NEAR(out.w[0].from_m, 100, 1e-9);
        CHECK_NEAR(out.w[0].to_m, 900, 1e-9);
    }
    CHECK_NEAR(cover, 1, 1e-12);
    rb_works_free(&out);
    world_free(&w);
}

/* signs ahead of a site, one per direction, on the side traffic keeps to */
TEST(advance_signs_each_way)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 3000, 0 }, 2);
    w.seg[0] = road(90);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_cm cm = cm_layout(RB_LAYOUT_SIGNS, RB_CM_PER_ITEM, 0, 0, 1);
    struct rb_plan_site s = site_at(0, 1000, 1500, road(90));
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty, cover;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    /* 90 km/h: 335 m ahead. Along the chainage (+x) at 665, right of +x is -y,
     * 4 m off; against it at 1,835, on its right: +y. */
    CHECK_INT(out.n, 2);
    CHECK_NEAR(qty, 2, 0);
    if (out.n == 2) {
        CHECK_INT(out.w[0].dir, 1);
        CHECK_NEAR(out.w[0].from_m, 665, 1e-9);
        CHECK_NEAR(out.w[0].x, 665, 1e-9);
        CHECK_NEAR(out.w[0].y, -4, 1e-9);
        CHECK_INT(out.w[0].side, RB_SIDE_RIGHT);
        CHECK_INT(out.w[1].dir, -1);
        CHECK_NEAR(out.w[1].from_m, 1835, 1e-9);
        CHECK_NEAR(out.w[1].x, 1835, 1e-9);
        CHECK_NEAR(out.w[1].y, 4, 1e-9);
        CHECK_NEAR(out.w[1].speed_kmh, 90, 0);
        CHECK_INT(out.w[1].note, 0);
    }
    /* left-hand traffic: the same places, other sides */
    w.ctx.drive_left = 1;
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    if (out.n == 2) {
        CHECK_NEAR(out.w[0].y, 4, 1e-9);
        CHECK_NEAR(out.w[1].y, -4, 1e-9);
        CHECK_INT(out.w[0].side, RB_SIDE_LEFT);
    }
    w.ctx.drive_left = 0;
    /* no speed: the default (90), noted; near the route's start the sign is
     * kept on the route (at 0) and noted */
    out.n = 0;
    s = site_at(0, 100, 500, road(NAN));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    if (out.n == 2) {
        CHECK_NEAR(out.w[0].from_m, 0, 0);
        CHECK_INT(out.w[0].note, RB_WORK_SPEED_ASSUMED | RB_WORK_CLIPPED);
        CHECK_NEAR(out.w[1].from_m, 835, 1e-9);
        CHECK_INT(out.w[1].note, RB_WORK_SPEED_ASSUMED);
    }
    /* 60 km/h (37 mph): the 40 mph row, 670 ft = 204 m */
    out.n = 0;
    s = site_at(0, 1000, 1500, road(60));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    if (out.n == 2)
        CHECK_NEAR(out.w[0].from_m, 796, 1e-9);
    rb_works_free(&out);
    world_free(&w);
}

/* A bend of radius 100 m: 500 m straight east, a quarter circle turning left
 * (centre (500, 100)), 500 m straight north. */
TEST(chevrons_around_a_bend)
{
    struct world w = { 0 };
    double pts[2 * 40];
    size_t n = 0;
    pts[n++] = 0;
    pts[n++] = 0;
    for (int i = 0; i <= 30; i++) {
        double t = -PI / 2 + (PI / 2) * i / 30.0;
        pts[n++] = 500 + 100 * cos(t);
        pts[n++] = 100 + 100 * sin(t);
    }
    pts[n++] = 600;
    pts[n++] = 600;
    tnet_add(&w.f, "A", 5000, pts, n / 2);
    w.seg[0] = road(90);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_cm cm = cm_layout(RB_LAYOUT_CURVE, RB_CM_PER_ITEM, 0, 0, 1);
    /* the arc runs from chainage 500 to 500 + 100·π/2 ≈ 656.7 (the chords are a hair shorter) */
    struct rb_plan_site s = site_at(0, 450, 700, road(90));
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty, cover;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    size_t nplus = 0, nminus = 0, nsign = 0;
    double prev = -1;
    for (size_t i = 0; i < out.n; i++) {
        const struct rb_work *x = &out.w[i];
        if (x->role == RB_ROLE_SIGN) {
            nsign++;
            continue;
        }
        CHECK_INT(x->role, RB_ROLE_CHEVRON);
        /* the smallest radius is the arc's, within the chords' error */
        CHECK(fabs(x->radius_m - 100) < 1);
        /* on the outside of a left bend: right of traffic along the chainage, left of traffic against */
        CHECK_INT(x->side, x->dir > 0 ? RB_SIDE_RIGHT : RB_SIDE_LEFT);
        /* 100 m is in 200-400 ft: 24 m apart */
        if (x->dir > 0) {
            if (prev >= 0)
                CHECK_NEAR(x->from_m - prev, 24, 1e-9);
            prev = x->from_m;
            nplus++;
            /* on the arc itself a chevron stands 4 m outside it: 104 m from the centre */
            if (x->from_m > 510 && x->from_m < 645)
                CHECK_NEAR(hypot(x->x - 500, x->y - 100), 104, 0.2);
        } else {
            nminus++;
        }
        /* within the bend as the scan sees it: the arc and up to 30 m either side */
        CHECK(x->from_m > 470 && x->from_m < 687);
    }
    /* the run of radii below 600 m covers the arc (157 m) and at most 30 m each side:
     * floor(157/24) + 1 = 7 to floor(217/24) + 1 = 10 a direction */
    CHECK(nplus >= 7 && nplus <= 10);
    CHECK_INT(nminus, nplus);
    CHECK_INT(nsign, 2);                                   /* the curve warning sign, each way */
    CHECK_NEAR(qty, (double)out.n, 0);
    /* they act on the bend: each chevron half a spacing (12 m) either way. The
     * run found here is 491-659 (8 a direction, 24 m apart, centred on the
     * run of small radii), so 479-671: a crash mid-arc (578) and one at the
     * arc's start (500) are on it; one on the straight at 460 and one at 700
     * are not. */
    struct rb_plan_crash cr[4];
    double at[4] = { 578, 500, 460, 700 }, sh[4];
    for (int i = 0; i < 4; i++)
        cr[i] = (struct rb_plan_crash){ RB_CT_RUN_OFF_ROAD, RB_SEV_B, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, at[i] };
    w.ctx.crash = cr;
    s.nc = 4;
    rb_layout_shares(&w.ctx, &cm, &s, out.w, out.n, cover, sh);
    CHECK(sh[0] == 1 && sh[1] == 1 && sh[2] == 0 && sh[3] == 0);
    w.ctx.crash = NULL;
    /* a site on the straight has no bend, so no chevrons */
    out.n = 0;
    s = site_at(0, 50, 300, road(90));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 0);
    CHECK_NEAR(qty, 0, 0);
    rb_works_free(&out);
    world_free(&w);
}

/* The same bend with its second half digitised the other way: the route runs
 * with the chainage all the same, so the chevrons are the same. */
TEST(chevrons_on_a_segment_digitised_backwards)
{
    double pts[2 * 40];
    size_t n = 0;
    for (int i = 0; i <= 30; i++) {
        double t = -PI / 2 + (PI / 2) * i / 30.0;
        pts[n++] = 500 + 100 * cos(t);
        pts[n++] = 100 + 100 * sin(t);
    }
    pts[n++] = 600;
    pts[n++] = 600;
    double rev[2 * 40];
    for (size_t i = 0; i < n / 2; i++) {
        rev[2 * i] = pts[n - 2 - 2 * i];
        rev[2 * i + 1] = pts[n - 1 - 2 * i];
    }
    size_t count[2] = { 0, 0 };
    double first[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        struct world w = { 0 };
        tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 500, 0 }, 2);
        tnet_add(&w.f, "A", 5000, k ? rev : pts, n / 2);
        w.seg[0] = w.seg[1] = road(90);
        if (world_build(&w, NULL, NULL, NULL))
            return;
        CHECK_INT(w.r.dir[1], k ? -1 : 1);
        struct rb_cm cm = cm_layout(RB_LAYOUT_CURVE, RB_CM_PER_ITEM, 0, 0, 1);
        struct rb_plan_site s = site_at(0, 450, 700, road(90));
        struct rb_works out = { 0 };
        struct rb_err err;
        double qty, cover;
        CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
        for (size_t i = 0; i < out.n; i++)
            if (out.w[i].role == RB_ROLE_CHEVRON && out.w[i].dir > 0) {
                if (!count[k]++)
                    first[k] = out.w[i].from_m;
                CHECK_INT(out.w[i].side, RB_SIDE_RIGHT);     /* still a left bend along the chainage */
            }
        rb_works_free(&out);
        world_free(&w);
    }
    CHECK(count[0] >= 7);
    CHECK_INT(count[1], count[0]);
    CHECK_NEAR(first[1], first[0], 1e-6);
}

TEST(spaced_point_and_section_devices)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 1000, 0, 2000, 0 }, 2);
    tnet_add(&w.f, "B", 500, (double[]){ 1000, 0, 1000, 400 }, 2);
    tnet_add(&w.f, "B", 500, (double[]){ 1000, 0, 1000, -400 }, 2);
    for (int i = 0; i < 4; i++)
        w.seg[i] = road(90);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty, cover;
    /* delineators at most 50 m apart over 420 m, each way: ceil(420/50) = 9
     * gaps of 420/9 = 46.67 m, 10 posts, 20 in all */
    struct rb_cm cm = cm_layout(RB_LAYOUT_SPACED, RB_CM_PER_ITEM, 0, 50, 1);
    struct rb_plan_site s = site_at(w.r.route_of[0], 300, 720, road(90));
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 20);
    CHECK_NEAR(qty, 20, 0);
    if (out.n == 20) {
        CHECK_NEAR(out.w[1].from_m - out.w[0].from_m, 420.0 / 9, 1e-9);
        CHECK_NEAR(out.w[9].from_m, 720, 1e-9);
    }
    /* lights priced per km: the lit length, 0.42 km */
    cm.unit = RB_CM_PER_KM;
    cm.per_direction = 0;
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 10);
    CHECK_NEAR(qty, 0.42, 1e-12);
    /* a beacon goes to the junction in the site (1,000), not its middle (1,100) */
    cm = cm_layout(RB_LAYOUT_POINT, RB_CM_PER_SITE, 0, 0, 0);
    s = site_at(w.r.route_of[0], 700, 1500, road(90));
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 1);
    CHECK_NEAR(qty, 1, 0);
    if (out.n == 1) {
        CHECK_NEAR(out.w[0].from_m, 1000, 1e-9);
        CHECK_NEAR(out.w[0].x, 1000, 1e-9);
        CHECK_NEAR(out.w[0].y, 0, 1e-9);                  /* a centre device: on the road */
    }
    /* section cameras: entry and exit each way */
    cm = cm_layout(RB_LAYOUT_SECTION, RB_CM_PER_SITE, 0, 0, 1);
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 4);
    if (out.n == 4) {
        CHECK(out.w[0].role == RB_ROLE_ENTRY && out.w[0].dir == 1 && out.w[0].from_m == 700);
        CHECK(out.w[1].role == RB_ROLE_EXIT && out.w[1].dir == 1 && out.w[1].from_m == 1500);
        CHECK(out.w[2].role == RB_ROLE_ENTRY && out.w[2].dir == -1 && out.w[2].from_m == 1500);
        CHECK(out.w[3].role == RB_ROLE_EXIT && out.w[3].dir == -1 && out.w[3].from_m == 700);
    }
    rb_works_free(&out);
    world_free(&w);
}

/* settlements from a polygon: the route's stretch inside it, to 10 m */
TEST(settlement_gaps_from_polygons)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 3000, 0 }, 2);
    w.seg[0] = road(90);
    /* a village over x 1,203-1,397 */
    static const double ring[] = { 1203, -300, 1397, -300, 1397, 300, 1203, 300, 1203, -300 };
    static const size_t ring0[] = { 0, 1 }, pt0[] = { 0, 5 };
    struct rb_polyindex pix;
    CHECK_INT(rb_polyindex_build(1, ring0, pt0, ring, &pix), RB_OK);
    uint8_t urban[1] = { 0 };
    if (world_build(&w, NULL, urban, &pix))
        return;
    size_t ns = 0;
    for (size_t i = 0; i < w.ngap; i++)
        if (w.gap[i].why == RB_GAP_SETTLEMENT) {
            ns++;
            /* samples every 10 m: the first inside is 1,210, the last 1,390 */
            CHECK_NEAR(w.gap[i].from_m, 1210, 1e-6);
            CHECK_NEAR(w.gap[i].to_m, 1390, 1e-6);
        }
    CHECK_INT(ns, 1);
    /* a strip over 800-1,800 keeps 200 m from it: free 0-1,010 and 1,590-3,000;
     * 800-1,010 (210 m) takes 1 unit of 300 m, room 1,010 m: centred on 905,
     * 755-1,055 would pass 1,010, so 710-1,010; 1,590-1,800 the same: 1,590-1,890 */
    struct rb_cm cm = cm_layout(RB_LAYOUT_STRIP, RB_CM_PER_KM, 300, 0, 0);
    struct rb_plan_site s = site_at(0, 800, 1800, road(90));
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty, cover;
    CHECK_INT(rb_layout(&w.ctx, &cm, 0, &s, 0, &out, &qty, &cover, &err), RB_OK);
    CHECK_INT(out.n, 2);
    if (out.n == 2) {
        CHECK_NEAR(out.w[0].from_m, 710, 1e-6);
        CHECK_NEAR(out.w[0].to_m, 1010, 1e-6);
        CHECK_NEAR(out.w[1].from_m, 1590, 1e-6);
        CHECK_NEAR(out.w[1].to_m, 1890, 1e-6);
    }
    CHECK_NEAR(cover, (210.0 + 210.0) / 1000.0, 1e-9);
    rb_works_free(&out);
    rb_polyindex_free(&pix);
    world_free(&w);
}

/* Intersections as sites: route A (x axis, 0-4,000) crossed by B at x = 1,000
 * and by C at x = 3,000. A hotspot over 2,500-3,500 holds the C junction, so
 * only the B junction becomes a site of its own: on A (its busiest leg) at
 * chainage 1,000, 76.2 m either side, with the crashes screening gave it. */
TEST(intersections_outside_stretches_are_sites)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 8000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&w.f, "A", 8000, (double[]){ 1000, 0, 3000, 0 }, 2);
    tnet_add(&w.f, "A", 8000, (double[]){ 3000, 0, 4000, 0 }, 2);
    tnet_add(&w.f, "B", 900, (double[]){ 1000, -500, 1000, 0 }, 2);
    tnet_add(&w.f, "B", 900, (double[]){ 1000, 0, 1000, 500 }, 2);
    tnet_add(&w.f, "C", 700, (double[]){ 3000, 0, 3000, 500 }, 2);
    for (int i = 0; i < 6; i++)
        w.seg[i] = road(i < 3 ? 90 : 60);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_junctions J;
    struct rb_err err = { 0 };
    CHECK_INT(rb_junctions_from_net(&w.net, &w.r, 0, &J, &err), RB_OK);
    CHECK_INT(J.n, 2);
    /* which junction is which: by x */
    size_t jb = J.x[0] < 2000 ? 0 : 1, jc = 1 - jb;
    uint32_t rank[2], nobs[2] = { 3, 5 };
    double freq[2], aadt[2] = { 4000, 3000 };
    rank[jb] = 2;
    rank[jc] = 1;
    freq[jb] = 0.6;
    freq[jc] = 1.0;
    struct rb_sites S = { 0 };
    S.n = 2;
    S.rank = rank;
    S.n_obs = nobs;
    S.freq_per_yr = freq;
    S.aadt = aadt;
    /* 6 crashes: 3 at B's junction, 2 at C's, 1 on a plain stretch */
    struct rb_plan_crash cr[6];
    int64_t seg[6] = { 0, 1, 1, 1, 2, 0 }, junc[6];
    double ch[6] = { 995, 1005, 1010, 2995, 3005, 400 };
    uint8_t counted[6] = { 1, 1, 1, 1, 1, 1 };
    for (int i = 0; i < 6; i++) {
        cr[i] = (struct rb_plan_crash){ RB_CT_ANGLE, RB_SEV_C, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
        junc[i] = i < 3 ? (int64_t)jb : i < 5 ? (int64_t)jc : -1;
    }
    cr[1].sev = RB_SEV_A;
    uint32_t hr = w.r.route_of[0];
    double hf = 2500, ht = 3500;
    struct rb_hotspots hot = { 0 };
    hot.n = 1;
    hot.route = &hr;
    hot.from_m = &hf;
    hot.to_m = &ht;
    double seg_freq[6] = { 0.2, 0.3, 0.4, 0, 0, 0 }, seg_aadt[6] = { 8000, 8000, 8000, 900, 900, 700 };
    struct rb_sites segs = { 0 };
    segs.n = 6;
    segs.freq_per_yr = seg_freq;
    segs.aadt = seg_aadt;
    struct rb_plan_input in = { &w.net, &w.r, &hot, &segs, w.seg, 6, cr, seg, ch, counted, 600, &J, &S, junc, 20,
                                76.2, NULL, 0 };
    struct rb_plan_site *sites;
    struct rb_plan_crash *pc, *ref;
    size_t ns, nref;
    CHECK_INT(rb_plan_sites(&in, &sites, &ns, &pc, &ref, &nref, &err), RB_OK);
    CHECK_INT(ns, 2);
    CHECK_INT(nref, 6);
    if (ns == 2) {
        CHECK_INT(sites[0].junction, -1);                 /* the stretch: its two C crashes */
        CHECK_INT(sites[0].nc, 2);
        if (sites[0].nc == 2) {                           /* its crashes' chainage, for the zones */
            CHECK_NEAR(pc[sites[0].c0].at_m, 2995, 1e-9);
            CHECK_NEAR(pc[sites[0].c0 + 1].at_m, 3005, 1e-9);
        }
        CHECK(pc[sites[1].c0].at_m != pc[sites[1].c0].at_m);   /* a junction's: on several legs */
        CHECK_INT(sites[1].junction, (long)jb);
        CHECK_INT(sites[1].route, hr);
        CHECK_NEAR(sites[1].from_m, 1000 - 76.2, 1e-9);
        CHECK_NEAR(sites[1].to_m, 1000 + 76.2, 1e-9);
        CHECK_INT(sites[1].nc, 3);
        CHECK_INT(sites[1].road.is_intersection, 1);
        CHECK_NEAR(sites[1].road.speed_kmh, 90, 0);        /* the busiest leg: A's */
        CHECK_NEAR(sites[1].expected_per_yr, 0.6, 0);      /* observed, no intersection SPF */
        CHECK_NEAR(sites[1].road.aadt, 4000, 0);
        int sev_a = 0;
        for (size_t i = sites[1].c0; i < sites[1].c0 + sites[1].nc; i++)
            sev_a += pc[i].sev == RB_SEV_A;
        CHECK_INT(sev_a, 1);
        /* a beacon goes to the junction itself */
        struct rb_cm cm = cm_layout(RB_LAYOUT_POINT, RB_CM_PER_SITE, 0, 0, 0);
        cm.site = RB_CM_INTERSECTION;
        struct rb_works out = { 0 };
        double qty, cover;
        CHECK_INT(rb_layout(&w.ctx, &cm, 0, &sites[1], 1, &out, &qty, &cover, &err), RB_OK);
        CHECK_INT(out.n, 1);
        if (out.n == 1)
            CHECK_NEAR(out.w[0].from_m, 1000, 1e-9);
        rb_works_free(&out);
    }
    rb_free(sites);
    rb_free(pc);
    rb_free(ref);
    rb_junctions_free(&J);
    world_free(&w);
}

/* Point devices on a long site credited only inside their zones. Route A
 * runs straight along the x axis, 3,000 m, no junction; the site is
 * 100-2,900. Six target crashes at 300, 1,000, 1,050, 1,100, 1,140 and 2,500;
 * expected 12 a year, so each stands for 12 / 6 = 2 crashes a year.
 *
 * A crossing (radius 76.2 m, CMF 0.68): the most crashes a 152.4 m zone holds
 * is 4 (1,000-1,140, 140 m apart), for a device anywhere in
 * [1,140 - 76.2, 1,000 + 76.2] = [1,063.8, 1,076.2]; it stands in the middle
 * of that, 1,070, not on an end where a crash would sit on its zone's edge.
 * In its zone: the 4. Avoided: 2 x 4 x 0.32 = 2.56 a year
 * (the whole-site credit was 2 x 6 x 0.32 = 3.84).
 *
 * A camera each way (100 m before it, 1,000 m past it, CMF 0.78): at p, the
 * along-traffic zone is [p - 100, p + 1,000] and the against-traffic zone
 * [p - 1,000, p + 100], each for half the crashes at a place. At 1,100: along
 * [1,000, 2,100] holds 1,000-1,140 (4), against [100, 1,200] holds 300 and
 * the 4 (5): 9 halves. At 1,040-1,100 the same 9; at 1,140: 3 + 5 = 8; at
 * 1,000: 4 + 4 = 8; reaching 2,500 (p >= 1,500) gives 1 + 4 = 5. The middle
 * of [1,040, 1,100]: 1,070 (along [970, 2,070], against [70, 1,170]).
 * Shares: 300 half (against only), the 4 whole, 2,500 none. Avoided: 2 x (0.5 x 0.22 + 4 x 0.22) = 1.98 a year;
 * target (in a zone) 2 x 5 = 10.
 *
 * Both: 300 only in the camera's half zone: 1 - (1 - 0.5 x 0.22) = 0.11;
 * the 4 in both: 1 - 0.78 x 0.68 = 0.4696 each, 1.8784; 2,500 in neither.
 * Avoided: 2 x (0.11 + 1.8784) = 3.9768 a year. */
TEST(point_devices_credited_inside_their_zones)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 1000, 0, 2000, 0 }, 2);
    tnet_add(&w.f, "A", 5000, (double[]){ 2000, 0, 3000, 0 }, 2);
    for (int s = 0; s < 3; s++)
        w.seg[s] = road(90);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_plan_crash cr[6];
    double at[6] = { 300, 1000, 1050, 1100, 1140, 2500 };
    for (int i = 0; i < 6; i++)
        cr[i] = (struct rb_plan_crash){ RB_CT_PEDESTRIAN, RB_SEV_B, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, at[i] };
    w.ctx.crash = cr;
    struct rb_plan_site s = site_at(w.r.route_of[0], 100, 2900, road(90));
    s.c0 = 0;
    s.nc = 6;
    s.expected_per_yr = 12;
    struct rb_cm cross = cm_layout(RB_LAYOUT_POINT, RB_CM_PER_SITE, 0, 0, 0);
    cross.zone_up_m = cross.zone_down_m = 76.2;
    cross.cmf = 0.68;
    struct rb_cm cam = cm_layout(RB_LAYOUT_POINT, RB_CM_PER_ITEM, 0, 0, 1);
    cam.zone_up_m = 100;
    cam.zone_down_m = 1000;
    cam.cmf = 0.78;
    for (int k = 0; k < 2; k++) {
        struct rb_pattern *t = k ? &cam.target : &cross.target;
        t->types = 1u << RB_CT_PEDESTRIAN;
        t->sevs = 0x1f;
        t->lights = t->surfaces = t->weathers = 0xff;
    }
    struct rb_works out = { 0 };
    struct rb_err err;
    double qty[2], cover, sh_cross[6], sh_cam[6];
    CHECK_INT(rb_layout(&w.ctx, &cross, 0, &s, 0, &out, &qty[0], &cover, &err), RB_OK);
    CHECK_INT(out.n, 1);
    if (out.n == 1)
        CHECK_NEAR(out.w[0].from_m, 1070, 1e-9);
    rb_layout_shares(&w.ctx, &cross, &s, out.w, out.n, cover, sh_cross);
    double want_cross[6] = { 0, 1, 1, 1, 1, 0 };
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(sh_cross[i], want_cross[i], 0);
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cam, 1, &s, 0, &out, &qty[1], &cover, &err), RB_OK);
    CHECK_INT(out.n, 2);
    CHECK_NEAR(qty[1], 2, 0);
    if (out.n == 2)
        CHECK(fabs(out.w[0].from_m - 1070) < 1e-9 && out.w[1].from_m == out.w[0].from_m && out.w[0].dir == 1 &&
              out.w[1].dir == -1);
    rb_layout_shares(&w.ctx, &cam, &s, out.w, out.n, cover, sh_cam);
    double want_cam[6] = { 0.5, 1, 1, 1, 1, 0 };
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(sh_cam[i], want_cam[i], 0);
    struct rb_econ e = { 0.04, { 1, 1, 1, 1, 1 }, 0, 0 };
    struct rb_appraisal a;
    const struct rb_cm *one[1] = { &cross }, *two[2] = { &cross, &cam };
    const double *share1[1] = { sh_cross }, *share2[2] = { sh_cross, sh_cam };
    rb_appraise(one, qty, share1, 1, cr, 6, 12, &e, &a);
    CHECK_NEAR(a.avoided_per_yr, 2.56, 1e-12);
    CHECK_NEAR(a.target_per_yr, 8, 1e-12);
    rb_appraise(one, qty, NULL, 1, cr, 6, 12, &e, &a);      /* the old whole-site credit */
    CHECK_NEAR(a.avoided_per_yr, 3.84, 1e-12);
    rb_appraise(two + 1, qty + 1, share2 + 1, 1, cr, 6, 12, &e, &a);
    CHECK_NEAR(a.avoided_per_yr, 1.98, 1e-12);
    CHECK_NEAR(a.target_per_yr, 10, 1e-12);
    rb_appraise(two, qty, share2, 2, cr, 6, 12, &e, &a);
    CHECK_NEAR(a.avoided_per_yr, 3.9768, 1e-12);
    CHECK_NEAR(a.target_per_yr, 10, 1e-12);
    /* a beacon that belongs at a junction (layout.at junction) ignores the
     * crashes: no junction on this site, so its middle, 1,500 */
    cross.at_junction = 1;
    out.n = 0;
    CHECK_INT(rb_layout(&w.ctx, &cross, 0, &s, 0, &out, &qty[0], &cover, &err), RB_OK);
    if (out.n == 1)
        CHECK_NEAR(out.w[0].from_m, 1500, 1e-9);
    rb_layout_shares(&w.ctx, &cross, &s, out.w, out.n, cover, sh_cross);
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(sh_cross[i], 0, 0);                   /* none within 76.2 m of 1,500 */
    rb_works_free(&out);
    world_free(&w);
}

/* A stretch site's own expected crashes, not its segment's shared out by
 * length. One straight 8,000 m segment (route A), SPF prediction 0.5 crashes
 * a year, five study years; a hotspot at 3,000-3,600 holds all 20 of its
 * crashes (4.0 a year).
 * - With the HSM rural two-lane SPF (k = 0.236 / L, L in miles): the site's
 *   prediction 0.5 x 600 / 8,000 = 0.0375 a year; L = 600 / 1,609.344 =
 *   0.372823 mi, k = 0.633009; w = 1 / (1 + k x 5 x 0.0375) = 0.893903;
 *   EB = 0.893903 x 0.0375 + 0.106097 x 20 / 5 = 0.457908 a year.
 *   (The segment's EB, 0.893903 x 0.5 + 0.106097 x 4 = 0.871340, shared out
 *   by length would give 0.065351.)
 * - Without an SPF: its observed 20 / 5 = 4.0 a year.
 * - Without the study's years: the segment's frequency by length, 4.0 x
 *   600 / 8,000 = 0.3. */
TEST(site_expected_crashes_its_own)
{
    struct world w = { 0 };
    tnet_add(&w.f, "A", 5000, (double[]){ 0, 0, 8000, 0 }, 2);
    w.seg[0] = road(90);
    if (world_build(&w, NULL, NULL, NULL))
        return;
    struct rb_spf spf;
    struct rb_err err = { 0 };
    char path[1024];
    snprintf(path, sizeof path, "%s/spf/hsm_rural_2lane.json", data_dir());
    CHECK_INT(rb_spf_read(path, &spf, &err), RB_OK);
    struct rb_plan_crash cr[20];
    int64_t seg[20];
    double ch[20];
    uint8_t counted[20];
    for (int i = 0; i < 20; i++) {
        cr[i] = (struct rb_plan_crash){ RB_CT_ANGLE, RB_SEV_C, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
        seg[i] = 0;
        ch[i] = 3000 + 30 * i;
        counted[i] = 1;
    }
    uint32_t hr = w.r.route_of[0];
    double hf = 3000, ht = 3600, freq = 4.0, pred = 0.5, aadt = 5000;
    struct rb_hotspots hot = { 0 };
    hot.n = 1;
    hot.route = &hr;
    hot.from_m = &hf;
    hot.to_m = &ht;
    struct rb_sites segs = { 0 };
    segs.n = 1;
    segs.freq_per_yr = &freq;
    segs.pred_per_yr = &pred;
    segs.aadt = &aadt;
    struct rb_plan_input in = { &w.net, &w.r, &hot, &segs, w.seg, 20, cr, seg, ch, counted, 600, NULL, NULL, NULL, 0,
                                76.2, &spf, 5 };
    double want[3] = { 0.457908, 4.0, 0.3 };
    int want_eb[3] = { 1, 0, 0 };
    for (int k = 0; k < 3; k++) {
        in.spf = k == 0 ? &spf : NULL;
        in.nyears = k == 2 ? 0 : 5;
        struct rb_plan_site *sites;
        struct rb_plan_crash *pc, *ref;
        size_t ns, nref;
        CHECK_INT(rb_plan_sites(&in, &sites, &ns, &pc, &ref, &nref, &err), RB_OK);
        CHECK_INT(ns, 1);
        if (ns == 1) {
            CHECK_INT(sites[0].nc, 20);
            CHECK_NEAR(sites[0].expected_per_yr, want[k], 1e-6);
            CHECK_INT(sites[0].eb, want_eb[k]);
        }
        rb_free(sites);
        rb_free(pc);
        rb_free(ref);
    }
    world_free(&w);
}

RUN_TESTS(T(placement_tables), T(site_expected_crashes_its_own), T(point_devices_credited_inside_their_zones), T(strips_in_whole_units_between_gaps), T(advance_signs_each_way),
          T(chevrons_around_a_bend), T(chevrons_on_a_segment_digitised_backwards),
          T(spaced_point_and_section_devices), T(settlement_gaps_from_polygons),
          T(intersections_outside_stretches_are_sites))
