/* Systemic safety: the risk factors' levels from values, and their weights
 * and the segments' scores worked by hand. */
#include "tcheck.h"
#include "plan/systemic.h"
#include "plan/coverage.h"

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
 * in all, 8 km), by hand; a level's crash share is (crashes + its length
 * share) / (10 + 1), one crash more spread by length:
 *   curve levels 3, 3, 0, 0: level 3 has 2 km (0.25) and 8 crashes,
 *     (8 + 0.25) / 11 = 0.75, ratio 3; level 0 6 km (0.75) and 2 crashes,
 *     (2 + 0.75) / 11 = 0.25, ratio 1/3;
 *   AADT levels 1, 2, 1, 2: level 1 3 km (0.375) and 7 crashes: (7.375 / 11)
 *     / 0.375 = 59/33 = 1.787879; level 2 5 km (0.625) and 3: (3.625 / 11)
 *     / 0.625 = 29/55 = 0.527273;
 *   shoulder known on the first two alone (levels 0 and 2), their 2 km and 8
 *     crashes: (6 + 0.5) / 9 / 0.5 = 13/9, (2 + 0.5) / 9 / 0.5 = 5/9;
 *   scores: 3 x 59/33 x 13/9 = 7.747475, 3 x 29/55 x 5/9 = 0.878788,
 *     1/3 x 59/33 = 0.595960, 1/3 x 29/55 = 0.175758; their length-weighted
 *     mean (7.747475 + 0.878788 + 2 x 0.595960 + 4 x 0.175758) / 8 = 1.315152,
 *     so normalised 5.890937, 0.668203, 0.453149, 0.133641. */
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
    CHECK_NEAR(w.lv[RB_SYS_AADT][1].ratio, 59.0 / 33, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_AADT][2].ratio, 29.0 / 55, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_SHOULDER][0].ratio, 13.0 / 9, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_SHOULDER][2].ratio, 5.0 / 9, 1e-12);
    double sc[4];
    for (int i = 0; i < 4; i++)
        sc[i] = rb_sys_score(&w, &s[i]);
    CHECK_NEAR(sc[0], 7.747475, 1e-6);
    CHECK_NEAR(sc[1], 0.878788, 1e-6);
    CHECK_NEAR(sc[2], 0.595960, 1e-6);
    CHECK_NEAR(sc[3], 0.175758, 1e-6);
    rb_sys_normalise(s, sc, 4, NULL);
    CHECK_NEAR(sc[0], 5.890937, 1e-6);
    CHECK_NEAR(sc[1], 0.668203, 1e-6);
    CHECK_NEAR(sc[2], 0.453149, 1e-6);
    CHECK_NEAR(sc[3], 0.133641, 1e-6);
    /* over the last three alone: their mean (0.668203 x 1 + 0.453149 x 2 + 0.133641 x 4) / 7 = 0.301295 */
    const uint8_t use[4] = { 0, 1, 1, 1 };
    rb_sys_normalise(s, sc, 4, use);
    CHECK_NEAR(sc[1], 0.668203 / 0.301295, 1e-5);
    CHECK_NEAR(sc[0], 5.890937 / 0.301295, 1e-4);
    /* no crashes at all: no level has evidence, every ratio is 1 */
    for (int i = 0; i < 4; i++)
        s[i].focus = 0;
    rb_sys_weigh(s, 4, &w);
    CHECK_NEAR(w.lv[RB_SYS_CURVE][3].ratio, 1, 1e-12);
    CHECK_NEAR(w.lv[RB_SYS_AADT][2].ratio, 1, 1e-12);
}

/* Stretches of chainage by hand: merged, their cover of a span, a point in
 * them, a device's zone each way. */
TEST(coverage_stretches_by_hand)
{
    struct rb_cov_iv iv[] = { { 1, 500, 700 }, { 0, 100, 300 }, { 0, 250, 400 }, { 0, 400, 450 }, { 0, 600, 600 },
                              { 1, 0, 100 } };
    size_t n = rb_cov_merge(iv, 6);
    CHECK_INT(n, 3);                                /* route 0: 100-450 (touching joins); route 1: 0-100, 500-700 */
    CHECK_NEAR(iv[0].from_m, 100, 0);
    CHECK_NEAR(iv[0].to_m, 450, 0);
    CHECK_INT(iv[1].route, 1);
    CHECK_NEAR(iv[2].from_m, 500, 0);
    CHECK_NEAR(rb_cov_covered(iv, n, 0, 0, 1000), 350, 1e-12);
    CHECK_NEAR(rb_cov_covered(iv, n, 0, 200, 300), 100, 1e-12);
    CHECK_NEAR(rb_cov_covered(iv, n, 1, 50, 600), 50 + 100, 1e-12);
    CHECK_NEAR(rb_cov_covered(iv, n, 2, 0, 1000), 0, 0);
    CHECK_INT(rb_cov_holds(iv, n, 0, 100), 1);
    CHECK_INT(rb_cov_holds(iv, n, 0, 450), 1);      /* the very end counts */
    CHECK_INT(rb_cov_holds(iv, n, 0, 451), 0);
    CHECK_INT(rb_cov_holds(iv, n, 1, 300), 0);
    CHECK_INT(rb_cov_holds(iv, n, 1, 700), 1);
    double a, b;
    struct rb_cov_iv at[] = { { 1, 50, 50 }, { 0, 700, 700 }, { 0, 200, 200 } };
    rb_cov_sort(at, 3);
    CHECK(at[0].route == 0 && at[0].from_m == 200 && at[2].route == 1);
    CHECK_INT(rb_cov_any_in(at, 3, 0, 100, 300), 1);
    CHECK_INT(rb_cov_any_in(at, 3, 0, 201, 699), 0);
    CHECK_INT(rb_cov_any_in(at, 3, 0, 700, 800), 1);   /* the ends count */
    CHECK_INT(rb_cov_any_in(at, 3, 1, 0, 49), 0);
    CHECK_INT(rb_cov_any_in(at, 3, 2, 0, 1e9), 0);
    rb_cov_zone(1000, 100, 1000, 1, &a, &b);         /* a camera facing traffic along the chainage */
    CHECK_NEAR(a, 900, 0);
    CHECK_NEAR(b, 2000, 0);
    rb_cov_zone(1000, 100, 1000, -1, &a, &b);        /* ... against it */
    CHECK_NEAR(a, 0, 0);
    CHECK_NEAR(b, 1100, 0);
    rb_cov_zone(1000, 100, 1000, 0, &a, &b);         /* both ways */
    CHECK_NEAR(a, 0, 0);
    CHECK_NEAR(b, 2000, 0);
}

RUN_TESTS(T(levels_from_values), T(weights_and_scores_by_hand), T(coverage_stretches_by_hand))
