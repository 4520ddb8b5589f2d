/* screen/sites: windows, exposure, counts, critical rate and crash concentration sites. */
#include "tcheck.h"
#include "screen/sites.h"
#include "screen/junctions.h"
#include "tnet.h"

#define fixture tnet

static void add(struct tnet *f, const char *key, double x0, double x1, double aadt)
{
    tnet_add(f, key, aadt, (double[]){ x0, 0, x1, 0 }, 2);
}

static void build(struct tnet *f, struct rb_net *net, struct rb_routes *r)
{
    struct rb_log log = { 0 };
    struct rb_err err;
    tnet_build(f, net, &log);
    rb_routes_build(net, f->keys, r, &err);
    rb_log_free(&log);
}

static const double w_hsm[5] = { 541.743243, 29.27027, 10.675676, 6.067568, 1 };

TEST(windows_follow_the_hsm_rule)
{
    struct fixture f = { 0 };
    add(&f, "A", 0, 500, 1000);        /* route A: 1,000 m */
    add(&f, "A", 500, 1000, 3000);
    add(&f, "B", 0, 1050, 2000);       /* route B: 1,050 m */
    add(&f, "C", 5000, 5200, 2000);    /* route C: 200 m */
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_period p = { 2020, 2020, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    struct rb_sites w;
    struct rb_err err;
    CHECK_INT(rb_sites_windows(&r, &net, &opt, &w, &err), RB_OK);
    /* A: starts 0..700 (8 windows, the last ends at 1,000 exactly);
     * B: starts 0..700 (8) and a last one shifted back to [750, 1050];
     * C: shorter than a window: one window [0, 200] */
    CHECK_INT(w.n, 8 + 9 + 1);
    CHECK_NEAR(w.from_m[7], 700, 1e-9);
    CHECK_NEAR(w.to_m[7], 1000, 1e-9);
    CHECK_NEAR(w.from_m[16], 750, 1e-9);
    CHECK_NEAR(w.to_m[16], 1050, 1e-9);
    CHECK_NEAR(w.length_m[17], 200, 1e-9);
    /* window [400, 700] of A: 100 m at 1,000 and 200 m at 3,000: 700,000 / 300 = 2,333.33 */
    CHECK_NEAR(w.aadt[4], 700000.0 / 300, 1e-9);
    /* crashes at 450 and 650 fall in [400, 700]; one at 1,000 in [700, 1000] only */
    struct rb_route_crash c[3] = {
        { r.route_of[0], 450, 0, rb_days_from_ymd(2020, 3, 1), RB_SEV_O, RB_CT_OTHER, 0 },
        { r.route_of[0], 650, 1, rb_days_from_ymd(2020, 4, 1), RB_SEV_K, RB_CT_OTHER, 0 },
        { r.route_of[0], 1000, 1, rb_days_from_ymd(2020, 5, 1), RB_SEV_O, RB_CT_OTHER, 0 },
    };
    CHECK_INT(rb_sites_count(&w, c, 3, &opt, RB_BY_CHAINAGE, &err), RB_OK);
    CHECK_INT(w.n_obs[4], 2);
    CHECK_INT(w.n_obs[7], 1);
    CHECK_INT(w.n_obs[3], 1);            /* [300, 600] holds 450 */
    CHECK_NEAR(w.epdo[4], 1 + 541.743243, 1e-9);
    rb_sites_free(&w);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(critical_rate_by_hand)
{
    /* Two sites over one year: A 1 km at AADT 2,000 (0.73 Mveh-km) with 3 crashes,
     * B 2 km at AADT 4,000 (2.92 Mveh-km) with 1 crash.
     * R_a = 4 / 3.65 = 1.0958904 per Mveh-km.
     * A: rate 3 / 0.73 = 4.1095890; sqrt(1.0958904 / 0.73) = 1.2252427;
     *    R_c = 1.0958904 + 1.645 x 1.2252427 + 1 / 1.46 = 1.0958904 + 2.0155243 + 0.6849315
     *        = 3.7963462; ratio 1.0825117
     * B: sqrt(1.0958904 / 2.92) = 0.6126214; R_c = 1.0958904 + 1.0077622 + 0.1712329 = 2.2748855 */
    struct rb_sites s;
    struct rb_err err;
    struct rb_period p = { 2020, 2020, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 2000);
    add(&f, "B", 0, 2000, 4000);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    CHECK_INT(rb_sites_segments(&r, &net, &s, &err), RB_OK);
    struct rb_route_crash c[4] = {
        { 0, 1, 0, rb_days_from_ymd(2020, 1, 2), RB_SEV_O, 0, 0 }, { 0, 2, 0, rb_days_from_ymd(2020, 1, 3), RB_SEV_O, 0, 0 },
        { 0, 3, 0, rb_days_from_ymd(2020, 1, 4), RB_SEV_O, 0, 0 }, { 1, 3, 1, rb_days_from_ymd(2020, 1, 5), RB_SEV_O, 0, 0 },
    };
    CHECK_INT(rb_sites_count(&s, c, 4, &opt, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "rate_ratio", &err), RB_OK);
    CHECK_NEAR(s.mvkm[0], 0.73, 1e-12);
    CHECK_NEAR(s.rate_per_mvkm[0], 4.1095890, 1e-6);
    CHECK_NEAR(s.crit_rate_per_mvkm[0], 3.7963462, 1e-6);
    CHECK_NEAR(s.rate_ratio[0], 1.0825117, 1e-6);
    CHECK_NEAR(s.crit_rate_per_mvkm[1], 2.2748855, 1e-6);
    CHECK_INT(s.rank[0], 1);
    CHECK_INT(rb_sites_measures(&s, &opt, "no_such_measure", &err), RB_EUSAGE);
    rb_sites_free(&s);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(crash_concentration_rule)
{
    struct fixture f = { 0 };
    add(&f, "R", 0, 20000, 5000);      /* rural */
    add(&f, "R", 20000, 21000, 5000);  /* a village: urban */
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    uint8_t urban[2] = { 0, 1 };
    struct rb_ccs_opt opt = { 1000, 200, 365, 3, 5, urban, NULL };
    int32_t d0 = rb_days_from_ymd(2021, 1, 1);
    struct rb_route_crash c[32];
    size_t n = 0;
    /* (1) 5 injury crashes of mixed types within 800 m and 200 days: a site */
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 1000 + i * 200, 0, d0 + i * 50, RB_SEV_B, (uint8_t)i, 0 };
    /* (2) 3 animal crashes within 900 m and 300 days: a site by type */
    for (int i = 0; i < 3; i++)
        c[n++] = (struct rb_route_crash){ 0, 5000 + i * 450, 0, d0 + i * 150, RB_SEV_C, RB_CT_ANIMAL, 0 };
    /* (3) 4 injury crashes within 1,000 m spread over 2 years, types differ: none */
    for (int i = 0; i < 4; i++)
        c[n++] = (struct rb_route_crash){ 0, 9000 + i * 300, 0, d0 + i * 240, RB_SEV_A, (uint8_t)i, 0 };
    /* (4) 6 PDO crashes within 100 m in a month: PDO does not count */
    for (int i = 0; i < 6; i++)
        c[n++] = (struct rb_route_crash){ 0, 12000 + i * 20, 0, d0 + i * 5, RB_SEV_O, RB_CT_REAR_END, 0 };
    /* (5) in the village: 5 injury crashes over 300 m (beyond 200 m): none;
     *     (6) then 5 more within 150 m: a site */
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 20100 + i * 75, 1, d0 + i * 10, RB_SEV_B, (uint8_t)i, 0 };
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 20700 + i * 30, 1, d0 + i * 10, RB_SEV_B, (uint8_t)i, 0 };
    struct rb_hotspots h;
    struct rb_err err;
    CHECK_INT(rb_crash_concentration(&r, c, n, &opt, &h, &err), RB_OK);
    CHECK_INT(h.n, 3);
    CHECK_NEAR(h.from_m[0], 1000, 1e-9);
    CHECK_NEAR(h.to_m[0], 1800, 1e-9);
    CHECK_INT(h.n_qualifying[0], 5);
    CHECK_INT(h.by_type[0], 0);
    CHECK_NEAR(h.from_m[1], 5000, 1e-9);
    CHECK_NEAR(h.to_m[1], 5900, 1e-9);
    CHECK_INT(h.by_type[1], 1);
    CHECK_INT(h.crash_type[1], RB_CT_ANIMAL);
    CHECK_INT(h.period_start[1], d0);
    CHECK_INT(h.period_end[1], d0 + 300);
    CHECK_NEAR(h.from_m[2], 20700, 1e-9);
    CHECK_NEAR(h.to_m[2], 20820, 1e-9);
    CHECK_INT(h.n_crashes[2], 5);
    rb_hotspots_free(&h);
    rb_routes_free(&r);
    rb_net_free(&net);
}


TEST(peak_search_by_hand)
{
    /* one 500 m segment, one study year, measure freq_per_yr, CV limit 0.25.
     * crashes at the middle of each 100 m: 5, 8, 1, 6, 8.
     * Iteration 1, 100 m windows: mean 5.6, var (0.36+5.76+21.16+0.16+5.76)/4 = 8.3,
     * sd 2.881; CVs 0.576 0.360 2.881 0.480 0.360: none at or below 0.25.
     * Iteration 2, 200 m windows [0,200] [100,300] [200,400] [300,500]: 13, 9, 7, 14;
     * mean 10.75, var (5.0625+3.0625+14.0625+10.5625)/3 = 10.9167, sd 3.3040;
     * CVs 0.254 0.367 0.472 0.236: only [300,500] qualifies, value 14. */
    struct fixture f = { 0 };
    add(&f, "A", 0, 500, 1000);
    add(&f, "B", 0, 80, 1000);          /* shorter than a window: never ranked */
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_period p = { 2020, 2020, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    int per[5] = { 5, 8, 1, 6, 8 };
    struct rb_route_crash c[40];
    size_t n = 0;
    for (int k = 0; k < 5; k++)
        for (int j = 0; j < per[k]; j++)
            c[n++] = (struct rb_route_crash){ r.route_of[0], 100.0 * k + 50, 0, rb_days_from_ymd(2020, 6, 1),
                                              RB_SEV_C, RB_CT_OTHER, 0 };
    c[n++] = (struct rb_route_crash){ r.route_of[1], 40, 1, rb_days_from_ymd(2020, 6, 1), RB_SEV_C, RB_CT_OTHER, 0 };
    struct rb_peaks pk;
    struct rb_err err;
    struct rb_sites base;
    CHECK_INT(rb_sites_segments(&r, &net, &base, &err), RB_OK);
    CHECK_INT(rb_peak_search(&base, c, n, &opt, "freq_per_yr", 0.25, &pk, &err), RB_OK);
    CHECK_INT(pk.n, 2);
    CHECK_NEAR(pk.value[0], 14, 1e-12);
    CHECK_NEAR(pk.from_m[0], 300, 1e-9);
    CHECK_NEAR(pk.to_m[0], 500, 1e-9);
    CHECK_INT(pk.window_m[0], 200);
    CHECK_NEAR(pk.cv[0], sqrt(32.75 / 3) / 14, 1e-9);
    CHECK(isnan(pk.value[1]));
    CHECK_INT(pk.window_m[1], 0);
    /* iteration 3, 300 m windows: 14, 15, 15; mean 14.667, var 1/3, sd 0.5774; CVs 0.041,
     * 0.038, 0.038. At a limit of 0.05 they all qualify: 15, the first of the tie, [100,400] */
    struct rb_peaks pk3;
    CHECK_INT(rb_peak_search(&base, c, n, &opt, "freq_per_yr", 0.05, &pk3, &err), RB_OK);
    CHECK_NEAR(pk3.value[0], 15, 1e-12);
    CHECK_NEAR(pk3.from_m[0], 100, 1e-9);
    CHECK_INT(pk3.window_m[0], 300);
    /* at 0.01 none does, nor at 400 m (20, 23: CVs 0.106, 0.092); 500 m is the whole segment */
    struct rb_peaks pk2;
    CHECK_INT(rb_peak_search(&base, c, n, &opt, "freq_per_yr", 0.01, &pk2, &err), RB_OK);
    CHECK(isnan(pk2.value[0]));
    /* hotspots from the peaks: the top one, none from the unranked segment */
    struct rb_hotspots h = { 0 };
    CHECK_INT(rb_hotspots_top(&h, RB_HS_PEAK, 5, pk.n, r.route_of, pk.from_m, pk.to_m, pk.value, pk.n_obs, &err),
              RB_OK);
    CHECK_INT(h.n, 1);
    CHECK_INT(h.rule[0], RB_HS_PEAK);
    CHECK_INT(h.n_crashes[0], 14);
    rb_hotspots_free(&h);
    rb_peaks_free(&pk2);
    rb_peaks_free(&pk3);
    rb_sites_free(&base);
    rb_routes_free(&r);
    rb_net_free(&net);

    /* the same 500 m as two segments of 250 m with one key: one homogeneous
     * section, whose peak is the one above; on the segments alone the search
     * finds another (each half searched apart) */
    struct fixture g = { 0 };
    add(&g, "A", 0, 250, 1000);
    add(&g, "A", 250, 500, 1000);
    build(&g, &net, &r);
    for (size_t i = 0; i + 1 < n; i++)
        c[i].seg = c[i].chainage_m < 250 ? 0 : 1;
    const char *keys[2] = { "k", "k" };
    struct rb_sections sec;
    CHECK_INT(rb_sections_build(&r, &net, keys, NULL, 0, &sec, &err), RB_OK);
    CHECK_INT(sec.s.n, 1);
    struct rb_peaks ps;
    CHECK_INT(rb_peak_search(&sec.s, c, n - 1, &opt, "freq_per_yr", 0.25, &ps, &err), RB_OK);
    CHECK_INT(ps.n, 1);
    CHECK_NEAR(ps.value[0], pk.value[0], 0);
    CHECK_NEAR(ps.from_m[0], pk.from_m[0], 0);
    CHECK_NEAR(ps.cv[0], pk.cv[0], 1e-15);
    rb_peaks_free(&ps);
    rb_peaks_free(&pk);
    rb_sections_free(&sec);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(top_sites_do_not_overlap)
{
    /* windows on one route: [0,300] 5, [100,400] 7, [200,500] 6, [600,900] 2, [700,1000] 0.
     * Top 3: [100,400] first; [0,300] and [200,500] overlap it; then [600,900];
     * [700,1000] has no positive value. */
    uint32_t route[5] = { 0, 0, 0, 0, 0 }, nobs[5] = { 5, 7, 6, 2, 0 };
    double a[5] = { 0, 100, 200, 600, 700 }, b[5] = { 300, 400, 500, 900, 1000 }, v[5] = { 5, 7, 6, 2, 0 };
    struct rb_hotspots h = { 0 };
    struct rb_err err;
    CHECK_INT(rb_hotspots_top(&h, RB_HS_SLIDING, 3, 5, route, a, b, v, nobs, &err), RB_OK);
    CHECK_INT(h.n, 2);
    CHECK_NEAR(h.from_m[0], 100, 0);
    CHECK_NEAR(h.from_m[1], 600, 0);
    CHECK_NEAR(h.value[1], 2, 0);
    rb_hotspots_free(&h);
}

TEST(reference_populations_by_hand)
{
    /* Three sites over one year: A 1 km at AADT 2,000 (0.73 Mveh-km) with 3
     * crashes, B 2 km at 4,000 (2.92) with 1, C 1 km at 2,000 (0.73) with 1.
     * Populations {A, C} and {B}.
     * {A, C}: R_a = 4 / 1.46 = 2.7397260; A's critical rate
     *   2.7397260 + 1.645 sqrt(2.7397260 / 0.73) + 1 / 1.46 = 6.6114812.
     *   Method of moments on 3 and 1: mean 2, sample variance 2;
     *   A: 3 + (2 / 2)(2 - 3) - 2 = 0.
     * {B}: R_a = 1 / 2.92 = 0.3424658; critical rate
     *   0.3424658 + 1.645 sqrt(0.3424658 / 2.92) + 1 / 5.84 = 1.0770548; a
     *   population of one has no variance: MoM NaN.
     * One population (no pop): MoM on 3, 1, 1: mean 5/3, variance 4/3;
     *   A: 3 + (5/4)(5/3 - 3) - 5/3 = -1/3. */
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 2000);
    add(&f, "B", 0, 2000, 4000);
    add(&f, "C", 0, 1000, 2000);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_period p = { 2020, 2020, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    int32_t d = rb_days_from_ymd(2020, 3, 1);
    struct rb_route_crash c[5] = {
        { 0, 1, 0, d, RB_SEV_O, 0, 0 }, { 0, 2, 0, d, RB_SEV_O, 0, 0 }, { 0, 3, 0, d, RB_SEV_O, 0, 0 },
        { 1, 3, 1, d, RB_SEV_O, 0, 0 }, { 2, 3, 2, d, RB_SEV_O, 0, 0 },
    };
    struct rb_sites s;
    struct rb_err err;
    CHECK_INT(rb_sites_segments(&r, &net, &s, &err), RB_OK);
    CHECK_INT(rb_sites_count(&s, c, 5, &opt, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "mom_excess_per_yr", &err), RB_OK);
    CHECK_NEAR(s.mom_excess_per_yr[0], -1.0 / 3, 1e-12);
    uint32_t seg_pop[3] = { 0, 1, 0 };
    CHECK_INT(rb_sites_populations(&s, &r, seg_pop, 2, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "rate_ratio", &err), RB_OK);
    CHECK_NEAR(s.crit_rate_per_mvkm[0], 6.6114812, 1e-6);
    CHECK_NEAR(s.crit_rate_per_mvkm[1], 1.0770548, 1e-6);
    CHECK_NEAR(s.mom_excess_per_yr[0], 0, 1e-12);
    CHECK_NEAR(s.mom_excess_per_yr[2], 0, 1e-12);
    CHECK(isnan(s.mom_excess_per_yr[1]));
    rb_sites_free(&s);
    rb_routes_free(&r);
    rb_net_free(&net);

    /* windows take the population of the segment covering most of them: one
     * route, 0-1000 m in population 0 and 1000-2000 m in population 1; windows
     * of 300 m every 50 m. 900-1200: 100 m against 200 m, population 1;
     * 850-1150: 150 m each, the lower segment, population 0. */
    struct fixture g = { 0 };
    add(&g, "R", 0, 1000, 1000);
    add(&g, "R", 1000, 2000, 1000);
    build(&g, &net, &r);
    struct rb_screen_opt wopt = { 300, 50, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    struct rb_sites w;
    CHECK_INT(rb_sites_windows(&r, &net, &wopt, &w, &err), RB_OK);
    CHECK_NEAR(w.from_m[17], 850, 1e-9);
    uint32_t rpop[2] = { 0, 1 };
    CHECK_INT(rb_sites_populations(&w, &r, rpop, 2, RB_BY_CHAINAGE, &err), RB_OK);
    CHECK_INT(w.pop[0], 0);
    CHECK_INT(w.pop[17], 0);
    CHECK_INT(w.pop[18], 1);
    CHECK_INT(w.pop[w.n - 1], 1);
    rb_sites_free(&w);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(population_measures_on_sites)
{
    /* three 1 km segments, one year, no SPF; target type head_on.
     * crashes: seg 0: 4 (3 head_on, K A C O); seg 1: 2 (0 head_on, O O); seg 2: 0.
     * MoM on frequencies 4, 2, 0: mean 2, var 4; seg 0: 4 + (2/4)(2 - 4) = 3 -> excess 1.
     * RSI costs by type: head_on 300, other 10 (given); seg 0: (3 x 300 + 10)/4 = 227.5;
     * seg 1: 10; population (910 + 20) / 6 = 155; seg 0 excess 72.5.
     * Proportions: p = 3/6 = 0.5; seg 0 p_target 0.75, excess 0.25; seg 1 0, -0.5. */
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 1000);
    add(&f, "A", 1000, 2000, 1000);
    add(&f, "A", 2000, 3000, 1000);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_period p = { 2020, 2020, 0 };
    double cost[RB_NCT];
    for (int t = 0; t < RB_NCT; t++)
        cost[t] = 10;
    cost[RB_CT_HEAD_ON] = 300;
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, cost, RB_CT_HEAD_ON, NULL, 0, NULL, NULL, 0, NULL, NULL };
    int32_t d = rb_days_from_ymd(2020, 6, 1);
    struct rb_route_crash c[6] = {
        { 0, 100, 0, d, RB_SEV_K, RB_CT_HEAD_ON, 0 }, { 0, 200, 0, d, RB_SEV_A, RB_CT_HEAD_ON, 0 },
        { 0, 300, 0, d, RB_SEV_C, RB_CT_HEAD_ON, 0 }, { 0, 400, 0, d, RB_SEV_O, RB_CT_REAR_END, 0 },
        { 0, 1100, 1, d, RB_SEV_O, RB_CT_ANGLE, 0 }, { 0, 1200, 1, d, RB_SEV_O, RB_CT_ANGLE, 0 },
    };
    struct rb_sites s;
    struct rb_err err;
    CHECK_INT(rb_sites_segments(&r, &net, &s, &err), RB_OK);
    CHECK_INT(rb_sites_count(&s, c, 6, &opt, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "mom_excess_per_yr", &err), RB_OK);
    CHECK_NEAR(s.mom_excess_per_yr[0], 1, 1e-12);
    CHECK_NEAR(s.mom_excess_per_yr[2], -1, 1e-12);   /* 0 + (2/4)(2 - 0) - 2 */
    CHECK_INT(s.rank[0], 1);
    CHECK_NEAR(s.rsi[0], 227.5, 1e-9);
    CHECK_NEAR(s.rsi_excess[0], 72.5, 1e-9);
    CHECK(isnan(s.rsi[2]));
    CHECK_NEAR(s.p_target[0], 0.75, 1e-12);
    CHECK_NEAR(s.excess_prop[0], 0.25, 1e-12);
    CHECK_NEAR(s.excess_prop[1], -0.5, 1e-12);
    CHECK(isnan(s.p_target[2]));
    /* RSI costs from crashes: head_on crashes K, A, C -> mean of their costs */
    double kabco[5] = { 1000, 100, 50, 20, 2 }, rsi[RB_NCT];
    rb_rsi_costs(c, 6, &p, kabco, rsi);
    CHECK_NEAR(rsi[RB_CT_HEAD_ON], (1000 + 100 + 20) / 3.0, 1e-9);
    CHECK_NEAR(rsi[RB_CT_ANGLE], 2, 1e-12);
    CHECK_NEAR(rsi[RB_CT_PEDESTRIAN], (1000 + 100 + 20 + 2 + 2 + 2) / 6.0, 1e-9);   /* none: the mean */
    rb_sites_free(&s);
    rb_routes_free(&r);
    rb_net_free(&net);
}


TEST(junctions_by_hand)
{
    /* a cross at (0,0): main road M west and east (AADT 8,000 and 6,000), side road S
     * north and south (2,000 and 1,000); a T at (1000,0): M east (6,000 in), its
     * continuation (5,000) and a side road T south (500).
     * Cross: major 8,000; minor 2,000 (busiest leg on another route); entering
     * half the legs: (8,000 + 6,000 + 2,000 + 1,000) / 2 = 8,500; sum 17,000.
     * T: major 6,000; minor 500; entering (6,000 + 5,000 + 500) / 2 = 5,750. */
    struct fixture f = { 0 };
    tnet_add(&f, "M", 8000, (double[]){ -1000, 0, 0, 0 }, 2);
    tnet_add(&f, "M", 6000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&f, "S", 2000, (double[]){ 0, 1000, 0, 0 }, 2);
    tnet_add(&f, "S", 1000, (double[]){ 0, 0, 0, -1000 }, 2);
    tnet_add(&f, "M", 5000, (double[]){ 1000, 0, 2000, 0 }, 2);
    tnet_add(&f, "T", 500, (double[]){ 1000, 0, 1000, -800 }, 2);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_junctions j;
    struct rb_err err;
    CHECK_INT(rb_junctions_from_net(&net, &r, 0, &j, &err), RB_OK);
    CHECK_INT(j.n, 2);
    size_t cross = j.x[0] == 0 ? 0 : 1, tee = 1 - cross;
    CHECK_NEAR(j.x[tee], 1000, 1e-9);
    CHECK_INT(j.n_legs[cross], 4);
    CHECK_INT(j.n_legs[tee], 3);
    CHECK_NEAR(j.aadt_major[cross], 8000, 0);
    CHECK_NEAR(j.aadt_minor[cross], 2000, 0);
    CHECK_NEAR(j.entering[cross], 8500, 1e-9);
    CHECK_NEAR(j.aadt_major[tee], 6000, 0);
    CHECK_NEAR(j.aadt_minor[tee], 500, 0);
    CHECK_NEAR(j.entering[tee], 5750, 1e-9);
    struct rb_junctions js;
    CHECK_INT(rb_junctions_from_net(&net, &r, 1, &js, &err), RB_OK);
    CHECK_NEAR(js.entering[cross], 17000, 1e-9);
    /* crashes: 50 m from the cross; 80 m (outside 76.2); 30 m from the T; one with no
     * usable coordinates; one at 500 m, as near to either: no junction within reach */
    double x[5] = { 30, 0, 1000, 10, 500 }, y[5] = { 40, 80, -30, 10, 0 };
    uint8_t ok[5] = { 1, 1, 1, 0, 1 };
    int64_t of[5];
    CHECK_INT(rb_junctions_assign(&j, x, y, ok, 5, 76.2, of, &err), RB_OK);
    CHECK_INT(of[0], (int64_t)cross);
    CHECK_INT(of[1], -1);
    CHECK_INT(of[2], (int64_t)tee);
    CHECK_INT(of[3], -1);
    CHECK_INT(of[4], -1);
    /* with a 600 m radius the point at 500 m is equally near both: the lower index */
    CHECK_INT(rb_junctions_assign(&j, x, y, ok, 5, 600, of, &err), RB_OK);
    CHECK_INT(of[4], 0);
    CHECK_INT(of[1], (int64_t)cross);
    /* exposure: 5 crashes over 2 years at the cross: MEV = 8,500 x 365 x 2 / 1e6 = 6.205;
     * rate = 5 / 6.205 = 0.8058018 per million entering vehicles */
    struct rb_sites s;
    struct rb_period p = { 2020, 2021, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    CHECK_INT(rb_sites_points(j.n, j.entering, &s, &err), RB_OK);
    struct rb_route_crash c[5];
    for (int i = 0; i < 5; i++)
        c[i] = (struct rb_route_crash){ 0, 0, (int64_t)cross, rb_days_from_ymd(2021, 1, 1 + i), RB_SEV_O,
                                        RB_CT_ANGLE, 0 };
    CHECK_INT(rb_sites_count(&s, c, 5, &opt, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "rate_per_mvkm", &err), RB_OK);
    CHECK_NEAR(s.mvkm[cross], 6.205, 1e-12);
    CHECK_NEAR(s.rate_per_mvkm[cross], 5 / 6.205, 1e-12);
    CHECK_INT(s.rank[cross], 1);
    rb_sites_free(&s);
    rb_junctions_free(&j);
    rb_junctions_free(&js);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(junctions_from_points)
{
    /* An inventory of three points: volumes as given, entering = major + minor
     * (8,000 + 2,000 = 10,000; 3,000 + 400 = 3,400), unknown when a volume is;
     * ids copied, legs unknown. A crash 70 m from the first and 75 m from the
     * second belongs to the first. */
    double xy[6] = { 0, 0, 145, 0, 5000, 5000 };
    const char *id[3] = { "A-1", "B-2", "C-3" };
    double maj[3] = { 8000, 3000, NAN }, mn[3] = { 2000, 400, 100 };
    struct rb_junctions j;
    struct rb_err err;
    CHECK_INT(rb_junctions_from_points(3, xy, id, maj, mn, &j, &err), RB_OK);
    CHECK_INT(j.n, 3);
    CHECK_STR(j.label[1], "B-2");
    CHECK(j.label[1] != id[1]);
    CHECK_NEAR(j.entering[0], 10000, 0);
    CHECK_NEAR(j.entering[1], 3400, 0);
    CHECK(j.entering[2] != j.entering[2]);
    CHECK_INT(j.n_legs[0], 0);
    CHECK_NEAR(j.x[2], 5000, 0);
    double x[2] = { 70, 4990 }, y[2] = { 0, 4990 };
    uint8_t ok[2] = { 1, 1 };
    int64_t of[2];
    CHECK_INT(rb_junctions_assign(&j, x, y, ok, 2, 76.2, of, &err), RB_OK);
    CHECK_INT(of[0], 0);
    CHECK_INT(of[1], 2);
    rb_junctions_free(&j);
}

TEST(crp_by_hand)
{
    /* Route A: 1,000 m at AADT 10,000 (10 bins of 100 m); route B: 250 m at
     * AADT 10,000 (bins of 100, 100 and 50 m), no crashes. One year, five
     * crashes on A at 50, 400, 450, 499.9 and 1,000 m: bins 0, 4 (three: 400
     * opens bin 4, bins are half-open) and 9 (1,000 closes the route's last bin).
     * Without an SPF the baseline is the population's rate at each bin's
     * exposure: 5 crashes / 1.25 km / 1 yr at one AADT = 4 crashes per km-yr.
     * Profile (moving average over 300 m: a bin and one either side, two at
     * the ends), crashes per km-yr:
     *   bin 0: 1 / 0.2 = 5     bin 1: 1 / 0.3 = 3.33   bins 3, 4, 5: 3 / 0.3 = 10
     *   bin 8: 1 / 0.3 = 3.33  bin 9: 1 / 0.2 = 5      others 0
     * Runs above 4: {0} (1 crash, excess (5 - 4) x 0.1 = 0.1), {3..5} (3
     * crashes, 3 x (10 - 4) x 0.1 = 1.8 per year, 300-600 m), {9} (1 crash, 0.1). */
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 10000);
    add(&f, "B", 5000, 5250, 10000);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    struct rb_period p = { 2020, 2020, 0 };
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p, NULL, -1, NULL, 0, NULL, NULL, 0, NULL, NULL };
    int64_t ra = r.route_of[0];
    double ch[5] = { 50, 400, 450, 499.9, 1000 };
    struct rb_route_crash c[5];
    for (int i = 0; i < 5; i++)
        c[i] = (struct rb_route_crash){ ra, ch[i], 0, rb_days_from_ymd(2020, 2, 1 + i), RB_SEV_C, RB_CT_OTHER, 0 };
    struct rb_crp_opt copt = { 100, 300, 2 };
    struct rb_crp crp;
    struct rb_err err;
    CHECK_INT(rb_crp(&r, &net, c, 5, &opt, &copt, &crp, &err), RB_OK);
    CHECK_INT(crp.bins.n, 13);
    size_t a0 = crp.bins.route[0] == (uint32_t)ra ? 0 : 3;   /* routes in their own order */
    size_t b0 = a0 ? 0 : 10;
    CHECK_INT(crp.bins.n_obs[a0 + 3], 0);
    CHECK_INT(crp.bins.n_obs[a0 + 4], 3);
    CHECK_INT(crp.bins.n_obs[a0 + 9], 1);
    CHECK_NEAR(crp.bins.length_m[b0 + 2], 50, 1e-9);
    CHECK_NEAR(crp.baseline_per_km_yr[a0 + 4], 4, 1e-9);
    CHECK_NEAR(crp.baseline_per_km_yr[b0 + 2], 4, 1e-9);
    CHECK_NEAR(crp.profile_per_km_yr[a0 + 0], 5, 1e-9);
    CHECK_NEAR(crp.profile_per_km_yr[a0 + 1], 1 / 0.3, 1e-9);
    CHECK_NEAR(crp.profile_per_km_yr[a0 + 5], 10, 1e-9);
    CHECK_NEAR(crp.profile_per_km_yr[b0 + 1], 0, 1e-12);
    CHECK_INT(crp.nruns, 1);
    CHECK_NEAR(crp.run_from_m[0], 300, 1e-9);
    CHECK_NEAR(crp.run_to_m[0], 600, 1e-9);
    CHECK_INT(crp.run_n_obs[0], 3);
    CHECK_NEAR(crp.run_excess_per_yr[0], 1.8, 1e-9);
    rb_crp_free(&crp);
    copt.min_crashes = 1;
    CHECK_INT(rb_crp(&r, &net, c, 5, &opt, &copt, &crp, &err), RB_OK);
    CHECK_INT(crp.nruns, 3);
    CHECK_NEAR(crp.run_excess_per_yr[0], 0.1, 1e-9);
    CHECK_NEAR(crp.run_to_m[0], 100, 1e-9);
    CHECK_NEAR(crp.run_excess_per_yr[2], 0.1, 1e-9);
    CHECK_NEAR(crp.run_from_m[2], 900, 1e-9);
    rb_crp_free(&crp);
    /* With an SPF of 2 crashes per km-yr (e^ln2 x L_km) the baseline is 2:
     * runs {0, 1} (1 crash; (5 - 2 + 3.33 - 2) x 0.1 = 0.4333), {3..5} (3 x 8 x
     * 0.1 = 2.4) and {8, 9} (1 crash, 0.4333). */
    struct rb_spf spf = { .length_unit = "km", .scale = 1, .calibration = 1, .nterms = 2,
                          .var = { "const", "ln_length" }, .coef = { log(2), 1 }, .k_per_length = 1,
                          .k_value = 0.2, .aadt_max = INFINITY, .fi_share = NAN };
    opt.spf = &spf;
    CHECK_INT(rb_crp(&r, &net, c, 5, &opt, &copt, &crp, &err), RB_OK);
    CHECK_NEAR(crp.baseline_per_km_yr[b0 + 2], 2, 1e-9);
    CHECK_INT(crp.nruns, 3);
    CHECK_NEAR(crp.run_excess_per_yr[0], (3 + 1 / 0.3 - 2) * 0.1, 1e-9);
    CHECK_NEAR(crp.run_to_m[0], 200, 1e-9);
    CHECK_NEAR(crp.run_excess_per_yr[1], 2.4, 1e-9);
    CHECK_NEAR(crp.run_from_m[2], 800, 1e-9);
    CHECK_NEAR(crp.run_excess_per_yr[2], (3 + 1 / 0.3 - 2) * 0.1, 1e-9);
    rb_crp_free(&crp);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(aadt_by_year_feeds_the_yearly_eb)
{
    /* Segment A: 1 km, AADT 1,000 in 2020 and 3,000 in 2021, 6 crashes. SPF
     * N = 0.03 x AADT^0.5 x L_km, k = 0.5:
     *   N_pred = 0.03 x sqrt(1000) = 0.9486833 (2020), 0.03 x sqrt(3000) = 1.6431677 (2021)
     *   w = 1 / (1 + 0.5 x 2.5918510) = 0.4355542; C = 1, 1.7320508 (sum 2.7320508)
     *   N_exp,2020 = 0.4355542 x 0.9486833 + 0.5644458 x 6 / 2.7320508 = 1.6528120
     *   EB per year = 1.6528120 x 2.7320508 / 2 = 2.2577832; predicted 1.2959255;
     *   excess 0.9618577. (One AADT of 2,000 would predict 1.3416408 a year.)
     * Route B: 0-200 m (500, 700) and 200-300 m (800, 1,000): its one 300 m window
     * has (500 x 200 + 800 x 100) / 300 = 600 in 2020 and (700 x 200 + 1,000 x 100) / 300 = 800. */
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 2000);
    add(&f, "B", 5000, 5200, 600);
    add(&f, "B", 5200, 5300, 900);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    double yr[6] = { 1000, 3000, 500, 700, 800, 1000 };
    struct rb_period p = { 2020, 2021, 0 };
    struct rb_spf spf = { .length_unit = "km", .scale = 1, .calibration = 1, .nterms = 3,
                          .var = { "const", "ln_aadt", "ln_length" }, .coef = { log(0.03), 0.5, 1 },
                          .k_value = 0.5, .aadt_max = INFINITY, .fi_share = NAN };
    struct rb_screen_opt opt = { 300, 100, 1.645, &spf, w_hsm, &p, NULL, -1, yr, 2, NULL, NULL, 0, NULL, NULL };
    struct rb_sites s, w;
    struct rb_err err;
    struct rb_route_crash c[6];
    for (int i = 0; i < 6; i++)
        c[i] = (struct rb_route_crash){ r.route_of[0], 100.0 * i, 0, rb_days_from_ymd(2020 + i % 2, 3, 1), RB_SEV_O,
                                        RB_CT_OTHER, 0 };
    CHECK_INT(rb_sites_segments(&r, &net, &s, &err), RB_OK);
    CHECK_INT(rb_sites_aadt_years(&s, &r, yr, 2, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_count(&s, c, 6, &opt, RB_BY_SEGMENT, &err), RB_OK);
    CHECK_INT(rb_sites_measures(&s, &opt, "excess_per_yr", &err), RB_OK);
    CHECK_NEAR(s.pred_per_yr[0], 1.2959255, 1e-6);
    CHECK_NEAR(s.eb_weight[0], 0.4355542, 1e-6);
    CHECK_NEAR(s.eb_per_yr[0], 2.2577832, 1e-6);
    CHECK_NEAR(s.excess_per_yr[0], 0.9618577, 1e-6);
    CHECK_INT(rb_sites_windows(&r, &net, &opt, &w, &err), RB_OK);
    CHECK_INT(rb_sites_aadt_years(&w, &r, yr, 2, RB_BY_CHAINAGE, &err), RB_OK);
    size_t q = w.route[w.n - 1] == r.route_of[1] ? w.n - 1 : 0;
    CHECK_NEAR(w.aadt_yr[q * 2], 600, 1e-9);
    CHECK_NEAR(w.aadt_yr[q * 2 + 1], 800, 1e-9);
    rb_sites_free(&s);
    rb_sites_free(&w);
    rb_routes_free(&r);
    rb_net_free(&net);
}

TEST(sections_merge_by_key_and_contiguity)
{
    /* Route A: 0-100 (x, AADT 1,000), 100-300 (x, 2,000), 300-400 (y), 400-500 (x);
     * route C: 0-100 and, after a 100 m gap, 200-300, both x.
     * Sections: A [0, 300] of two segments, AADT (1,000 x 100 + 2,000 x 200) / 300
     * = 1,666.67; A [300, 400]; A [400, 500]; C's two segments: five. */
    struct fixture f = { 0 };
    add(&f, "A", 0, 100, 1000);
    add(&f, "A", 100, 300, 2000);
    add(&f, "A", 300, 400, 500);
    add(&f, "A", 400, 500, 500);
    add(&f, "C", 5000, 5100, 700);
    add(&f, "C", 5200, 5300, 700);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    const char *key[6] = { "x", "x", "y", "x", "x", "x" };
    double yr[12] = { 1000, 1100, 2000, 2600, 500, 500, 500, 500, 700, 700, 700, 700 };
    struct rb_sections sec;
    struct rb_err err;
    CHECK_INT(rb_sections_build(&r, &net, key, yr, 2, &sec, &err), RB_OK);
    CHECK_INT(sec.s.n, 5);
    size_t a = sec.sec_of[0];
    CHECK_INT(sec.sec_of[1], a);
    CHECK(sec.sec_of[2] != a && sec.sec_of[3] != sec.sec_of[2] && sec.sec_of[3] != a);
    CHECK(sec.sec_of[4] != sec.sec_of[5]);
    CHECK_INT(sec.n_segs[a], 2);
    CHECK_INT(sec.first_seg[a], 0);
    CHECK_INT(sec.last_seg[a], 1);
    CHECK_NEAR(sec.s.from_m[a], 0, 1e-9);
    CHECK_NEAR(sec.s.to_m[a], 300, 1e-9);
    CHECK_NEAR(sec.s.length_m[a], 300, 1e-9);
    CHECK_NEAR(sec.s.aadt[a], 500000.0 / 300, 1e-9);
    /* the second year: (1,100 x 100 + 2,600 x 200) / 300 = 2,100 */
    CHECK_NEAR(sec.s.aadt_yr[a * 2 + 1], 2100, 1e-9);
    /* C's second chain starts within 200 m of the first, so its chainage goes on
     * from the nearest point there (100): contiguous in chainage, yet no node
     * joins them, so they stay apart */
    CHECK_NEAR(sec.s.from_m[sec.sec_of[5]], 100, 1e-9);
    rb_sections_free(&sec);
    rb_routes_free(&r);
    rb_net_free(&net);
}

RUN_TESTS(T(windows_follow_the_hsm_rule), T(critical_rate_by_hand), T(crash_concentration_rule),
          T(peak_search_by_hand), T(top_sites_do_not_overlap), T(population_measures_on_sites),
          T(junctions_by_hand), T(junctions_from_points), T(reference_populations_by_hand), T(crp_by_hand), T(aadt_by_year_feeds_the_yearly_eb),
          T(sections_merge_by_key_and_contiguity))
