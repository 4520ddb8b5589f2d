/* match/lref: kilometre posts parsed, road keys, measures calibrated between
 * posts, crashes placed and checked by road and measure, and their grades.
 * Expected values are worked out in the comments. */
#include "tcheck.h"
#include "match/lref.h"
#include "tnet.h"

TEST(kilometre_posts_parse)
{
    double v = -1;
    CHECK(rb_parse_kmpost("123+450", &v));
    CHECK_NEAR(v, 123.45, 1e-12);
    CHECK(rb_parse_kmpost("km 12+005", &v));
    CHECK_NEAR(v, 12.005, 1e-12);
    CHECK(rb_parse_kmpost("\xd0\xba\xd0\xbc 7+100", &v));      /* "км 7+100" */
    CHECK_NEAR(v, 7.1, 1e-12);
    CHECK(rb_parse_kmpost("12,5", &v));
    CHECK_NEAR(v, 12.5, 1e-12);
    CHECK(rb_parse_kmpost(" 2.07833 ", &v));
    CHECK_NEAR(v, 2.07833, 1e-12);
    CHECK(!rb_parse_kmpost("12+abc", &v));
    CHECK(!rb_parse_kmpost("+5", &v));
    CHECK(!rb_parse_kmpost("1.5+200", &v));                    /* the km part is whole */
    CHECK(!rb_parse_kmpost("", &v));
    CHECK(!rb_parse_kmpost("near the bridge", &v));
}

TEST(road_keys_ignore_case_spaces_and_look_alikes)
{
    char a[64], b[64];
    rb_road_key("KAZ 19", a, sizeof a);
    CHECK_STR(a, "KAZ19");
    rb_road_key("\xd0\xba\xd0\x90z-19", b, sizeof b);           /* "кАz-19": Cyrillic к and А */
    CHECK_STR(b, "KAZ19");
    rb_road_key("a6120", a, sizeof a);
    CHECK_STR(a, "A6120");
    rb_road_key("\xd0\x9c-32", a, sizeof a);                    /* "М-32", Cyrillic М */
    CHECK_STR(a, "M32");
    /* a Cyrillic letter with no Latin twin stays itself, capital */
    rb_road_key("\xd0\xb4\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb3\xd0\xb0", a, sizeof a);   /* "дорога" */
    rb_road_key("\xd0\x94\xd0\x9e\xd0\xa0\xd0\x9e\xd0\x93\xd0\x90", b, sizeof b);   /* "ДОРОГА" */
    CHECK_STR(a, b);
}

/* Route A along the x axis from 0 to 3,000 m; posts at x = 0 (10.000 km),
 * x = 1,000 (11.100 km: 1,100 m of measure for 1,000 m of road) and x = 3,000
 * (13.100 km); a post of an unknown road, one 300 m off the road, and one out
 * of order (at x = 2,000 saying 10.5 km) are left out. */
TEST(measures_calibrated_between_posts)
{
    struct tnet f = { 0 };
    tnet_add(&f, "A", 5000, (double[]){ 0, 0, 1500, 0 }, 2);
    tnet_add(&f, "A", 5000, (double[]){ 1500, 0, 3000, 0 }, 2);
    struct rb_net net;
    struct rb_routes r;
    struct rb_log log = { 0 };
    struct rb_err err = { 0 };
    CHECK_INT(tnet_build(&f, &net, &log), RB_OK);
    CHECK_INT(rb_routes_build(&net, f.keys, &r, &err), RB_OK);
    double x[] = { 0, 1000, 3000, 500, 1200, 2000 }, y[] = { 2, -3, 1, 0, 300, 0 };
    const char *road[] = { "a", "A", " a ", "B", "A", "A" };
    double val[] = { 10000, 11100, 13100, 10500, 11200, 10500 };
    struct rb_lref_markers mk = { 6, x, y, road, val, "posts" };
    struct rb_lref lr;
    CHECK_INT(rb_lref_build(&r, &net, &mk, &lr, &log, &err), RB_OK);
    CHECK_INT(lr.nmarkers, 3);
    CHECK_INT(log.count[RB_W_LOCATION], 3);
    CHECK_INT(rb_lref_route(&lr, "a"), 0);
    CHECK_INT(rb_lref_route(&lr, "B"), -1);
    /* 10.550 km: 550 m of measure past the first post, at 1,000/1,100 m a metre: 500 m */
    CHECK_NEAR(rb_lref_chainage(&lr, 0, 10550), 500, 1e-9);
    /* 12.100 km: 1,000 m past the second post, 2,000 m of road for 2,000 m of measure */
    CHECK_NEAR(rb_lref_chainage(&lr, 0, 12100), 2000, 1e-9);
    /* before the first post and after the last, metre for metre */
    CHECK_NEAR(rb_lref_chainage(&lr, 0, 9900), -100, 1e-9);
    CHECK_NEAR(rb_lref_chainage(&lr, 0, 13000), 2900, 1e-9);
    struct rb_match m;
    CHECK_INT(rb_lref_place(&lr, 0, 2000, &m), 1);
    CHECK_INT(m.seg, 1);
    CHECK_NEAR(m.measure_m, 500, 1e-9);
    CHECK_NEAR(m.px, 2000, 1e-9);
    CHECK_INT(rb_lref_place(&lr, 0, -100, &m), 0);
    CHECK_INT(rb_lref_place(&lr, 0, 3100, &m), 0);
    /* crashes: one without coordinates (placed), one matched 10 m from where
     * its measure puts it, one whose road is unknown, one beyond the road */
    struct rb_match mm[4];
    for (int i = 0; i < 4; i++)
        mm[i] = (struct rb_match){ .seg = -1, .offset_m = NAN, .measure_m = NAN, .px = NAN, .py = NAN, .reason = RB_UNM_NO_COORDINATES, .alt_seg = -1, .alt_offset_m = NAN, .nearest_m = NAN };
    mm[1] = (struct rb_match){ .seg = 0, .offset_m = 6, .measure_m = 506, .px = 506, .py = 6, .side = 1, .alt_seg = -1, .alt_offset_m = NAN, .nearest_m = NAN };
    const char *croad[] = { "A", "A", "KAZ19", "A" };
    double cm[] = { 10550, 10550, 5000, 20000 };
    struct rb_locate loc[4] = { { 0 } };
    rb_locate_measures(&lr, croad, cm, 4, 250, mm, loc);
    CHECK_INT(loc[0].by, RB_LOC_MEASURE);
    CHECK_INT(mm[0].seg, 0);
    CHECK_NEAR(mm[0].px, 500, 1e-9);
    CHECK_INT(mm[0].reason, RB_UNM_NONE);
    CHECK_INT(loc[1].by, RB_LOC_XY);
    CHECK_NEAR(loc[1].lr_dist_m, hypot(6, 6), 1e-9);      /* (506, 6) against (500, 0) */
    CHECK_INT(loc[1].lr, RB_LR_OK);
    CHECK_INT(loc[2].lr, RB_LR_ROUTE_UNKNOWN);
    CHECK_INT(loc[3].lr, RB_LR_BEYOND_ROUTE);
    CHECK_INT(mm[3].seg, -1);
    /* a tighter check flags the matched one */
    mm[0] = (struct rb_match){ .seg = -1, .offset_m = NAN, .measure_m = NAN, .px = NAN, .py = NAN, .reason = RB_UNM_NO_COORDINATES, .alt_seg = -1, .alt_offset_m = NAN, .nearest_m = NAN };
    mm[1] = (struct rb_match){ .seg = 0, .offset_m = 6, .measure_m = 506, .px = 506, .py = 6, .side = 1, .alt_seg = -1, .alt_offset_m = NAN, .nearest_m = NAN };
    rb_locate_measures(&lr, croad, cm, 2, 5, mm, loc);
    CHECK_INT(loc[1].lr, RB_LR_DISAGREE);
    /* grades: placed by a calibrated measure good; coordinates contradicted fair */
    rb_locate_grade(&lr, &r, mm, loc, 2);
    CHECK_INT(loc[0].quality, RB_Q_GOOD);
    CHECK_INT(loc[1].quality, RB_Q_FAIR);
    rb_lref_free(&lr);
    rb_routes_free(&r);
    rb_net_free(&net);
    rb_log_free(&log);
}

TEST(grades_by_distance_and_doubt)
{
    struct rb_match m[6];
    struct rb_locate loc[6];
    double off[6] = { 3, 10, 20, 3, 3, NAN };
    for (int i = 0; i < 6; i++) {
        m[i] = (struct rb_match){ .seg = i == 5 ? -1 : 0, .offset_m = off[i], .alt_seg = -1, .alt_offset_m = NAN, .nearest_m = NAN };
        loc[i] = (struct rb_locate){ i == 5 ? RB_LOC_NONE : RB_LOC_XY, RB_LR_NONE, 0, RB_HINT_NONE, RB_DIR_NONE, NAN };
    }
    m[3].ambiguous = 1;
    loc[4].by = RB_LOC_OVERRIDE;
    m[4].ambiguous = 1;                         /* an override is exact whatever the doubt */
    rb_locate_grade(NULL, NULL, m, loc, 6);
    CHECK_INT(loc[0].quality, RB_Q_EXACT);      /* 3 m */
    CHECK_INT(loc[1].quality, RB_Q_GOOD);       /* 10 m */
    CHECK_INT(loc[2].quality, RB_Q_FAIR);       /* 20 m */
    CHECK_INT(loc[3].quality, RB_Q_AMBIGUOUS);
    CHECK_INT(loc[4].quality, RB_Q_EXACT);
    CHECK_INT(loc[5].quality, RB_Q_UNMATCHED);
    CHECK_STR(rb_quality_name(RB_Q_GOOD), "good");
    CHECK_STR(rb_located_by_name(RB_LOC_MEASURE), "route_measure");
}

TEST(speeds_parse)
{
    CHECK_NEAR(rb_parse_speed_kmh("90"), 90, 0);
    CHECK_NEAR(rb_parse_speed_kmh("30 mph"), 30 * 1.609344, 1e-12);
    CHECK_NEAR(rb_parse_speed_kmh("50 km/h"), 50, 0);
    CHECK(isnan(rb_parse_speed_kmh("RU:urban")));
    CHECK(isnan(rb_parse_speed_kmh("none")));
    CHECK(isnan(rb_parse_speed_kmh(NULL)));
}

TEST(directions_parse)
{
    double v = -1;
    CHECK(rb_parse_bearing("90", &v));
    CHECK_NEAR(v, 90, 0);
    CHECK(rb_parse_bearing("360", &v));
    CHECK_NEAR(v, 0, 0);
    CHECK(rb_parse_bearing("SW", &v));
    CHECK_NEAR(v, 225, 0);
    CHECK(rb_parse_bearing("Westbound", &v));
    CHECK_NEAR(v, 270, 0);
    CHECK(rb_parse_bearing("\xd0\xae\xd0\x92", &v));          /* "ЮВ": south-east */
    CHECK_NEAR(v, 135, 0);
    CHECK(!rb_parse_bearing("up", &v));
    CHECK(!rb_parse_bearing("400", &v));
}

RUN_TESTS(T(kilometre_posts_parse), T(speeds_parse), T(directions_parse), T(road_keys_ignore_case_spaces_and_look_alikes),
          T(measures_calibrated_between_posts), T(grades_by_distance_and_doubt))
