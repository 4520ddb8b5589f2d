/* screen: study period, per-segment statistics and ranking, checked by hand. */
#include "tcheck.h"
#include "screen/screen.h"

static struct rb_net two_segments(double len0_m, double aadt0, double len1_m)
{
    /* only lengths and AADT matter to the statistics */
    static struct rb_seg segs[2];
    memset(segs, 0, sizeof segs);
    segs[0].length_m = len0_m;
    segs[0].aadt = aadt0;
    segs[1].length_m = len1_m;
    segs[1].aadt = NAN;
    struct rb_net net = { 0 };
    net.nsegs = 2;
    net.segs = segs;
    return net;
}

static int32_t day(int y, int m, int d) { return rb_days_from_ymd(y, m, d); }

TEST(period_from_data_and_config)
{
    struct rb_crash_fact f[] = {
        { 0, day(2017, 3, 1), RB_SEV_O }, { 0, day(2019, 12, 31), RB_SEV_O },
        { -1, day(2015, 1, 1), RB_SEV_O }, { 0, RB_NODATE, RB_SEV_O },
    };
    /* from the data: every dated crash, matched or not: 2015..2019 */
    struct rb_period p = rb_study_period(0, 0, f, 4);
    CHECK_INT(p.from_year, 2015);
    CHECK_INT(p.to_year, 2019);
    CHECK_INT(p.from_data, 1);
    p = rb_study_period(2017, 2018, f, 4);
    CHECK_INT(p.from_year, 2017);
    CHECK_INT(p.from_data, 0);
    CHECK(rb_in_period(&p, day(2017, 1, 1)));
    CHECK(rb_in_period(&p, day(2018, 12, 31)));
    CHECK(!rb_in_period(&p, day(2019, 1, 1)));
    CHECK(!rb_in_period(&p, RB_NODATE));        /* undated: cannot be placed in the period */
    struct rb_period none = rb_study_period(0, 0, f + 3, 1);
    CHECK_INT(none.from_year, 0);
    CHECK(rb_in_period(&none, RB_NODATE));      /* no period: every crash counts */
}

TEST(segment_statistics_by_hand)
{
    /* Segment 0: 2 km, AADT 5,000, study period 2016-2018 (3 years), 6 crashes in
     * the period (1 K, 1 A, 1 B, 3 O), one in 2015 (outside), one unmatched.
     *   frequency  = 6 / 3 = 2 crashes/yr
     *   density    = 2 / 2 km = 1 crash/km/yr
     *   exposure   = 5,000 veh/day x 365 x 3 yr x 2 km / 1e6 = 10.95 million veh-km
     *   rate       = 6 / 10.95 = 0.547945... per million veh-km
     *   EPDO (HSM 2001 costs: K 4,008,900, A 216,600, B 79,000, O 7,400)
     *              = 4,008,900/7,400 + 216,600/7,400 + 79,000/7,400 + 3
     *              = 541.743243 + 29.270270 + 10.675676 + 3 = 584.689189
     * Segment 1: 500 m, AADT unknown, one crash of unknown severity in 2017:
     *   rate unknown (NaN), EPDO 0 (unknown severity carries no weight). */
    struct rb_net net = two_segments(2000, 5000, 500);
    struct rb_crash_fact f[] = {
        { 0, day(2016, 1, 5), RB_SEV_K }, { 0, day(2016, 7, 5), RB_SEV_A },
        { 0, day(2017, 2, 5), RB_SEV_B }, { 0, day(2017, 3, 5), RB_SEV_O },
        { 0, day(2018, 4, 5), RB_SEV_O }, { 0, day(2018, 12, 31), RB_SEV_O },
        { 0, day(2015, 6, 1), RB_SEV_K }, { -1, day(2017, 1, 1), RB_SEV_K },
        { 1, day(2017, 8, 8), RB_SEV_UNKNOWN },
    };
    double cost[5] = { 4008900, 216600, 79000, 44900, 7400 }, w[5];
    rb_epdo_weights(cost, w);
    CHECK_NEAR(w[0], 541.743243, 1e-6);
    CHECK_NEAR(w[4], 1, 0);
    struct rb_period p = { 2016, 2018, 0 };
    struct rb_segstats st;
    struct rb_err err;
    CHECK_INT(rb_segstats_compute(&net, f, 9, &p, w, &st, &err), RB_OK);
    CHECK_INT(st.nyears, 3);
    CHECK_INT(st.n_obs[0], 6);
    CHECK_INT(st.n_sev[0 * RB_NSEV + RB_SEV_K], 1);
    CHECK_INT(st.n_sev[0 * RB_NSEV + RB_SEV_O], 3);
    CHECK_INT(st.n_year[0 * 3 + 0], 2);
    CHECK_INT(st.n_year[0 * 3 + 1], 2);
    CHECK_INT(st.n_year[0 * 3 + 2], 2);
    CHECK_NEAR(st.freq_per_yr[0], 2, 1e-12);
    CHECK_NEAR(st.per_km_yr[0], 1, 1e-12);
    CHECK_NEAR(st.rate_per_mvkm[0], 6 / 10.95, 1e-12);
    CHECK_NEAR(st.epdo[0], 584.689189, 1e-6);
    CHECK_NEAR(st.epdo_per_yr[0], 584.689189 / 3, 1e-6);
    CHECK_INT(st.n_obs[1], 1);
    CHECK_INT(st.n_sev[1 * RB_NSEV + RB_SEV_UNKNOWN], 1);
    CHECK(isnan(st.rate_per_mvkm[1]));
    CHECK_NEAR(st.epdo[1], 0, 0);
    CHECK_NEAR(st.per_km_yr[1], (1.0 / 3) / 0.5, 1e-12);
    CHECK_INT(st.counted, 7);
    CHECK_INT(st.outside_period, 1);
    CHECK_INT(st.unmatched, 1);
    rb_segstats_free(&st);
}

TEST(ranks_are_a_stable_permutation)
{
    /* keys 5, NaN, 9, 5, 9 with tiebreak 1, 0, 2, 3, 2:
     * 9(t2, idx2) -> 1, 9(t2, idx4) -> 2, 5(t3, idx3) -> 3, 5(t1, idx0) -> 4, NaN -> 5 */
    double key[] = { 5, NAN, 9, 5, 9 }, tie[] = { 1, 0, 2, 3, 2 };
    uint32_t rank[5];
    struct rb_err err;
    CHECK_INT(rb_rank_desc(key, tie, 5, rank, &err), RB_OK);
    CHECK_INT(rank[2], 1);
    CHECK_INT(rank[4], 2);
    CHECK_INT(rank[3], 3);
    CHECK_INT(rank[0], 4);
    CHECK_INT(rank[1], 5);
    /* random keys: ranks are a permutation of 1..n and ordered by key */
    enum { N = 1000 };
    static double k2[N];
    static uint32_t r2[N], seen[N + 1];
    for (int i = 0; i < N; i++)
        k2[i] = floor(t_rand() * 50);          /* many ties */
    rb_rank_desc(k2, NULL, N, r2, &err);
    int bad = 0;
    for (int i = 0; i < N; i++) {
        if (r2[i] < 1 || r2[i] > N || seen[r2[i]]++) bad++;
        for (int j = 0; j < N; j++)
            if (k2[i] > k2[j] && r2[i] > r2[j]) bad++;
            else if (k2[i] == k2[j] && i < j && r2[i] > r2[j]) bad++;
    }
    CHECK_INT(bad, 0);
}

RUN_TESTS(T(period_from_data_and_config), T(segment_statistics_by_hand), T(ranks_are_a_stable_permutation))
