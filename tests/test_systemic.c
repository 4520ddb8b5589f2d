/* Systemic safety: the risk factors' levels from values, and their weights
 * and the segments' scores worked by hand. */
#include "tcheck.h"
#include "plan/systemic.h"

TEST(levels_from_values)
{
    CHECK_INT(rb_sys_curve_level(220), 3);
    CHECK_INT(rb_sys_curve_level(300), 2);       /* bounds: under 300, 300-600, 600-1000 */
    CHECK_INT(rb_sys_curve_level(599.9), 2);
    CHECK_INT(rb_sys_curve_level(800), 1);
    CHECK_INT(rb_sys_curve_level(INFINITY), 0);
    CHECK_INT(rb_sys_curve_level(NAN), -1);
    CHECK_INT(rb_sys_change_level(200, 400), 2);     /* twice as sharp as the one before */
    CHECK_INT(rb_sys_change_level(200, 300), 2);     /* 1.5: the bound counts */
    CHECK_INT(rb_sys_change_level(200, 250), 1);
    CHECK_INT(rb_sys_change_level(200, INFINITY), 2);   /* after a long straight */
    CHECK_INT(rb_sys_change_level(INFINITY, 300), 0);   /* no bend */
    CHECK_INT(rb_sys_per_km_level(0, 3000), 0);
    CHECK_INT(rb_sys_per_km_level(3, 3000), 1);      /* 1 a km */
    CHECK_INT(rb_sys_per_km_level(4, 3000), 2);
    CHECK_INT(rb_sys_per_km_level(1, 0), -1);
    CHECK_INT(rb_sys_shoulder_level(2.5), 0);
    CHECK_INT(rb_sys_shoulder_level(1.5), 1);
    CHECK_INT(rb_sys_shoulder_level(0.5), 2);
    CHECK_INT(rb_sys_shoulder_level(NAN), -1);
    CHECK_INT(rb_sys_aadt_level(1999), 0);
    CHECK_INT(rb_sys_aadt_level(2000), 1);
    CHECK_INT(rb_sys_aadt_level(9999), 2);
    CHECK_INT(rb_sys_aadt_level(10000), 3);
    CHECK_INT(rb_sys_speed_level(60), 0);
    CHECK_INT(rb_sys_speed_level(90), 1);
    CHECK_INT(rb_sys_speed_level(100), 2);
    CHECK_INT(rb_sys_lit_level(1), 0);
    CHECK_INT(rb_sys_lit_level(0), 1);
    CHECK_INT(rb_sys_lit_level(-1), -1);
    CHECK_STR(rb_sys_level_name(RB_SYS_CURVE, 3), "under 300 m");
    CHECK(rb_sys_level_name(RB_SYS_LIGHTING, 2) == NULL);
}

/* Four segments of 1, 1, 2 and 4 km with 6, 2, 1 and 1 focus crashes (10
 * in all, 8 km), by hand:
 *   curve levels 3, 3, 0, 0: level 3 has 2 km and 8 crashes, level 0 6 km
 *     and 2; two levels with length, so the add-one crash shares are
 *     (8 + 1) / (10 + 2) = 0.75 and (2 + 1) / 12 = 0.25, the length shares
 *     0.25 and 0.75: ratios 3 and 1/3;
 *   AADT levels 1, 2, 1, 2: level 1 3 km and 7 crashes, level 2 5 km and 3:
 *     8/12 over 3/8 = 16/9 = 1.7778, 4/12 over 5/8 = 8/15 = 0.5333;
 *   shoulder known for the first two alone (levels 0 and 2): its shares over
 *     those 2 km and 8 crashes: (6 + 1) / 10 over 0.5 = 1.4, (2 + 1) / 10
 *     over 0.5 = 0.6; the others leave it out (ratio 1);
 *   scores: 3 x 16/9 x 1.4 = 7.4667, 3 x 8/15 x 0.6 = 0.96,
 *           1/3 x 16/9 = 0.5926, 1/3 x 8/15 = 0.1778. */
TEST(weights_and_scores_by_hand)
{
    struct rb_sys_seg s[4];
    memset(s, 0, sizeof s);
    const double len[4] = { 1000, 1000, 2000, 4000 };
    const unsigned focus[4] = { 6, 2, 1, 1 };
    const int curve[4] = { 3, 3, 0, 0 }, aadt[4] = { 1, 2, 1, 2 }, shoulder[4] = { 0, 2, -1, -1 };
    for (int i = 0; i < 4; i++) {
        for (int f = 0; f < RB_SYS_NF; f++)
            s[i].level[f] = -1;
        s[i].length_m = len[i];
        s[i].focus = focus[i];
        s[i].level[RB_SYS_CURVE] = (int8_t)curve[i];
        s[i].level[RB_SYS_AADT] = (int8_t)aadt[i];
        s[i].level[RB_SYS_SHOULDER] = (int8_t)shoulder[i];
    }
    struct rb_sys_weights w;
    rb_sys_weigh(s, 4, &w);
    CHECK_NEAR(w.km, 8, 1e-12);
    CHECK_INT(w.crashes, 10);
    CHECK_INT(w.nlevels[RB_SYS_CURVE], 2);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][3].crash_share, 0.75, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][3].length_share, 0.25, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][3].ratio, 3, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][0].ratio, 1.0 / 3, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][1].ratio, 1, 0);      /* no length: no weight */
    CHECK_NEAR(w.lv[RB_SYS_AADT][1].ratio, 16.0 / 9, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_AADT][2].ratio, 8.0 / 15, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_SHOULDER][0].ratio, 1.4, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_SHOULDER][2].ratio, 0.6, 1e-12);
    CHECK_NEAR(rb_sys_score(&w, &s[0]), 7.4667, 1e-4);
    CHECK_NEAR(rb_sys_score(&w, &s[1]), 0.96, 1e-12);
    CHECK_NEAR(rb_sys_score(&w, &s[2]), 0.5926, 1e-4);
    CHECK_NEAR(rb_sys_score(&w, &s[3]), 0.1778, 1e-4);
    /* no crashes at all: every level's crash share is even, the ratio its length's inverse share */
    for (int i = 0; i < 4; i++)
        s[i].focus = 0;
    rb_sys_weigh(s, 4, &w);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][3].ratio, 0.5 / 0.25, 1e-12);
}

RUN_TESTS(T(levels_from_values), T(weights_and_scores_by_hand))
