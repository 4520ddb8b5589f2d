/* screen/sites: windows, exposure, counts, critical rate and crash concentration sites. */
#include "tcheck.h"
#include "screen/sites.h"
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
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p };
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
        { r.route_of[0], 450, 0, rb_days_from_ymd(2020, 3, 1), RB_SEV_O, RB_CT_OTHER },
        { r.route_of[0], 650, 1, rb_days_from_ymd(2020, 4, 1), RB_SEV_K, RB_CT_OTHER },
        { r.route_of[0], 1000, 1, rb_days_from_ymd(2020, 5, 1), RB_SEV_O, RB_CT_OTHER },
    };
    CHECK_INT(rb_sites_count(&w, c, 3, &opt, 0, &err), RB_OK);
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
    struct rb_screen_opt opt = { 300, 100, 1.645, NULL, w_hsm, &p };
    struct fixture f = { 0 };
    add(&f, "A", 0, 1000, 2000);
    add(&f, "B", 0, 2000, 4000);
    struct rb_net net;
    struct rb_routes r;
    build(&f, &net, &r);
    CHECK_INT(rb_sites_segments(&r, &net, &s, &err), RB_OK);
    struct rb_route_crash c[4] = {
        { 0, 1, 0, rb_days_from_ymd(2020, 1, 2), RB_SEV_O, 0 }, { 0, 2, 0, rb_days_from_ymd(2020, 1, 3), RB_SEV_O, 0 },
        { 0, 3, 0, rb_days_from_ymd(2020, 1, 4), RB_SEV_O, 0 }, { 1, 3, 1, rb_days_from_ymd(2020, 1, 5), RB_SEV_O, 0 },
    };
    CHECK_INT(rb_sites_count(&s, c, 4, &opt, 1, &err), RB_OK);
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
    struct rb_ccs_opt opt = { 1000, 200, 365, 3, 5, urban };
    int32_t d0 = rb_days_from_ymd(2021, 1, 1);
    struct rb_route_crash c[32];
    size_t n = 0;
    /* (1) 5 injury crashes of mixed types within 800 m and 200 days: a site */
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 1000 + i * 200, 0, d0 + i * 50, RB_SEV_B, (uint8_t)i };
    /* (2) 3 animal crashes within 900 m and 300 days: a site by type */
    for (int i = 0; i < 3; i++)
        c[n++] = (struct rb_route_crash){ 0, 5000 + i * 450, 0, d0 + i * 150, RB_SEV_C, RB_CT_ANIMAL };
    /* (3) 4 injury crashes within 1,000 m spread over 2 years, types differ: none */
    for (int i = 0; i < 4; i++)
        c[n++] = (struct rb_route_crash){ 0, 9000 + i * 300, 0, d0 + i * 240, RB_SEV_A, (uint8_t)i };
    /* (4) 6 PDO crashes within 100 m in a month: PDO does not count */
    for (int i = 0; i < 6; i++)
        c[n++] = (struct rb_route_crash){ 0, 12000 + i * 20, 0, d0 + i * 5, RB_SEV_O, RB_CT_REAR_END };
    /* (5) in the village: 5 injury crashes over 300 m (beyond 200 m): none;
     *     (6) then 5 more within 150 m: a site */
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 20100 + i * 75, 1, d0 + i * 10, RB_SEV_B, (uint8_t)i };
    for (int i = 0; i < 5; i++)
        c[n++] = (struct rb_route_crash){ 0, 20700 + i * 30, 1, d0 + i * 10, RB_SEV_B, (uint8_t)i };
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

RUN_TESTS(T(windows_follow_the_hsm_rule), T(critical_rate_by_hand), T(crash_concentration_rule))
