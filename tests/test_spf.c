/* SPFs and Empirical Bayes, checked by hand. */
#include "tcheck.h"
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "screen/spf.h"

static struct rb_spf shipped(const char *id)
{
    struct rb_spf spf;
    struct rb_err err;
    char path[512];
    snprintf(path, sizeof path, "%s/spf/%s.json", getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data", id);
    if (rb_spf_read(path, &spf, &err))
        fprintf(stderr, "%s\n", err.msg);
    return spf;
}

static struct rb_spf hsm_rural_2lane(void)
{
    return shipped("hsm_rural_2lane");
}

TEST(hsm_rural_two_lane_prediction)
{
    /* HSM eq. 10-6: N = AADT x L x 365e-6 x e^-0.312, L in miles.
     * AADT 5,000, L = 1.5 mi (2,414.016 m):
     *   5,000 x 1.5 x 0.000365 = 2.7375; e^-0.312 = 0.7319815;
     *   N = 2.7375 x 0.7319815 = 2.0037994 crashes/yr
     * k = 0.236 / 1.5 = 0.1573333 (eq. 10-7). */
    struct rb_spf spf = hsm_rural_2lane();
    CHECK_STR(spf.id, "hsm_rural_2lane");
    struct rb_spf_site site = { 5000, 1.5 * 1609.344, NULL, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&spf, &site), 2.0037994, 1e-6);
    CHECK_NEAR(rb_spf_k(&spf, 1.5 * 1609.344), 0.1573333, 1e-6);
    /* twice the length, twice the crashes; calibration scales */
    site.length_m *= 2;
    CHECK_NEAR(rb_spf_predict(&spf, &site), 2 * 2.0037994, 2e-6);
    spf.calibration = 1.2;
    CHECK_NEAR(rb_spf_predict(&spf, &site), 1.2 * 2 * 2.0037994, 3e-6);
    /* a missing AADT gives no prediction rather than a wrong one */
    site.aadt = 0;
    CHECK(isnan(rb_spf_predict(&spf, &site)));
}

TEST(eb_single_aadt_by_hand)
{
    /* The segment above over 3 years with 9 crashes observed:
     *   sum N_pred = 3 x 2.0037994 = 6.0113983
     *   w = 1 / (1 + 0.1573333 x 6.0113983) = 1 / 1.9457933 = 0.5139292
     *   N_exp = 0.5139292 x 2.0037994 + 0.4860708 x 9 / 3 = 1.0298110 + 1.4582124 = 2.4880234
     *   excess = 2.4880234 - 2.0037994 = 0.4842240; Var = 0.4860708 x 2.4880234 = 1.2093556 */
    double pred[3] = { 2.0037994335, 2.0037994335, 2.0037994335 };
    struct rb_eb e = rb_eb_estimate(pred, 3, 9, 0.236 / 1.5);
    CHECK_NEAR(e.w, 0.5139292, 1e-6);
    CHECK_NEAR(e.expected_per_yr, 2.4880234, 1e-6);
    CHECK_NEAR(e.expected_last_yr, 2.4880234, 1e-6);
    CHECK_NEAR(e.excess_per_yr, 0.4842240, 1e-6);
    CHECK_NEAR(e.var_per_yr, 1.2093556, 1e-6);
    /* EB lies between the prediction and the observation */
    CHECK(e.expected_per_yr > 2.0037994 && e.expected_per_yr < 3);
    /* no overdispersion: the SPF is trusted whole; huge k: the count */
    CHECK_NEAR(rb_eb_estimate(pred, 3, 9, 0).expected_per_yr, 2.0037994, 1e-6);
    CHECK_NEAR(rb_eb_estimate(pred, 3, 9, 1e9).expected_per_yr, 3, 1e-6);
}

TEST(eb_multi_year_by_hand)
{
    /* AADT 4,000, 5,000, 6,000 over three years, 9 crashes:
     *   N_pred = 1.6030395, 2.0037994, 2.4045593 (sum 6.0113983, as before)
     *   C_y = 1, 1.25, 1.5 (sum 3.75); w = 0.5139292
     *   N_exp,1 = 0.5139292 x 1.6030395 + 0.4860708 x 9 / 3.75
     *           = 0.8238488 + 1.1665700 = 1.9904188
     *   N_exp,3 = 1.9904188 x 1.5 = 2.9856281
     *   mean over the period = 1.9904188 x 3.75 / 3 = 2.4880234 */
    double pred[3] = { 1.60303954682, 2.00379943353, 2.40455932023 };
    struct rb_eb e = rb_eb_estimate(pred, 3, 9, 0.236 / 1.5);
    CHECK_NEAR(e.w, 0.5139292, 1e-6);
    CHECK_NEAR(e.expected_last_yr, 2.9856281, 1e-6);
    CHECK_NEAR(e.expected_per_yr, 2.4880234, 1e-6);
    CHECK_NEAR(e.predicted_per_yr, 2.0037994, 1e-6);
}

static double lookup(const char *name, void *ud)
{
    return !strcmp(name, "speed50") ? *(double *)ud : NAN;
}

TEST(fitted_spf_with_covariates)
{
    /* An SPF with a site attribute: ln N = -9.0947 + 1.0967 ln AADT + 0.7677 ln L(mi)
     * - 0.4226 speed50. AADT 7,819, L = 0.43 mi, speed50 = 1:
     *   ln AADT = 8.9643119; ln 0.43 = -0.8439701
     *   1.0967 x 8.9643119 = 9.8311609; 0.7677 x -0.8439701 = -0.6479158
     *   eta = -9.0947 + 9.8311609 - 0.6479158 - 0.4226 = -0.3340549; N = e^eta = 0.7160145 */
    struct rb_spf spf = { .scale = 1, .calibration = 1, .nterms = 4, .length_unit = "mi" };
    const char *vars[4] = { "const", "ln_aadt", "ln_length", "speed50" };
    double coef[4] = { -9.0947, 1.0967, 0.7677, -0.4226 };
    for (int j = 0; j < 4; j++) {
        snprintf(spf.var[j], sizeof spf.var[j], "%s", vars[j]);
        spf.coef[j] = coef[j];
    }
    double speed50 = 1;
    struct rb_spf_site site = { 7819, 0.43 * 1609.344, lookup, &speed50, NULL };
    CHECK_NEAR(rb_spf_predict(&spf, &site), 0.7160145, 1e-6);
    speed50 = NAN;
    CHECK(isnan(rb_spf_predict(&spf, &site)));
}

/* HSM (2010) Chapter 11, Equation 11-7: N = exp(a + b ln AADT + ln L), L in
 * miles, k = 1 / exp(c + ln L); coefficients of Tables 11-3 and 11-5 as
 * cross-checked in the shared reference (three implementations agree).
 * 4U total (a -9.653, b 1.176, c 1.675), AADT 10,000, L 1 mi:
 *   ln 10,000 = 9.2103404; -9.653 + 1.176 x 9.2103404 = 1.1783603;
 *   N = e^1.1783603 = 3.2490423; k = e^-1.675 = 0.1873082;
 *   L 2 mi: N 6.4980846, k = 1 / e^(1.675 + ln 2) = 0.0936541.
 * 4D total (a -9.025, b 1.049, c 1.549), AADT 30,000, L 0.5 mi:
 *   N = exp(-9.025 + 1.049 ln 30,000 + ln 0.5) = 2.9920063; k = 1 / exp(1.549 + ln 0.5) = 0.4249207. */
TEST(hsm_rural_multilane_segments)
{
    struct rb_spf u = shipped("hsm_rural_4u"), d = shipped("hsm_rural_4d");
    CHECK_STR(u.id, "hsm_rural_4u");
    struct rb_spf_site site = { 10000, 1609.344, NULL, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&u, &site), 3.2490423, 1e-6);
    CHECK_NEAR(rb_spf_k(&u, 1609.344), 0.1873082, 1e-7);
    site.length_m = 2 * 1609.344;
    CHECK_NEAR(rb_spf_predict(&u, &site), 6.4980846, 2e-6);
    CHECK_NEAR(rb_spf_k(&u, 2 * 1609.344), 0.0936541, 1e-7);
    site = (struct rb_spf_site){ 30000, 0.5 * 1609.344, NULL, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&d, &site), 2.9920063, 1e-6);
    CHECK_NEAR(rb_spf_k(&d, 0.5 * 1609.344), 0.4249207, 1e-7);
    /* their base conditions: rural, four lanes, undivided or divided; the AADT each was fitted on */
    CHECK(u.base_area == 0 && u.base_lanes_min == 4 && u.base_lanes_max == 4 && u.base_divided == 0 && u.aadt_max == 33200);
    CHECK(d.base_area == 0 && d.base_divided == 1 && d.aadt_max == 89300);
    /* the fatal-and-injury models: 4U KABC (a -9.410, b 1.094, c 1.796) at AADT 10,000, 1 mi:
     * exp(-9.410 + 1.094 x 9.2103404) = e^0.6661124 = 1.9466547; k = e^-1.796 = 0.1659614 */
    struct rb_spf fi = shipped("hsm_rural_4u_kabc");
    site = (struct rb_spf_site){ 10000, 1609.344, NULL, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&fi, &site), 1.9466547, 1e-6);
    CHECK_NEAR(rb_spf_k(&fi, 1609.344), 0.1659614, 1e-7);
    /* the total model splits its prediction by that KABC model: FI 1.9466547 of 3.2490423 */
    struct rb_spf_pred p;
    rb_spf_eval(&u, &site, &p);
    CHECK_NEAR(p.n, 3.2490423, 1e-6);
    CHECK_NEAR(p.fi, 1.9466547, 1e-6);
    /* Chapter 10 splits by Table 10-3's shares: FI 1 - 0.679 = 0.321 of the total */
    struct rb_spf r2 = shipped("hsm_rural_2lane");
    rb_spf_eval(&r2, &site, &p);
    CHECK_NEAR(p.fi, 0.321 * p.n, 1e-12);
}

/* HSM (2010) Chapter 10, eq. 10-8 (3ST) and 10-10 (4SG): N = exp(a + b ln
 * AADTmaj + c ln AADTmin), k constant.
 *   3ST (a -9.86, b 0.79, c 0.49, k 0.54), AADT 8,000 / 800:
 *     -9.86 + 0.79 x 8.9871968 + 0.49 x 6.6846117 = 0.5153452; N = e^0.5153452 = 1.6742164
 *   4SG (a -5.13, b 0.60, c 0.20, k 0.11), 8,000 / 1,500:
 *     -5.13 + 0.60 x 8.9871968 + 0.20 x 7.3132204 = 1.7249622; N = 5.6123087 */
static double jattr(const char *name, void *ud)
{
    const double *v = ud;
    return !strcmp(name, "ln_aadt_major") ? log(v[0]) : !strcmp(name, "ln_aadt_minor") ? log(v[1]) : NAN;
}

TEST(hsm_rural_two_lane_intersections)
{
    struct rb_spf t3 = shipped("hsm_rural_2lane_3st"), s4 = shipped("hsm_rural_2lane_4sg");
    double v3[2] = { 8000, 800 }, v4[2] = { 8000, 1500 };
    struct rb_spf_site site = { NAN, 0, jattr, v3, NULL };
    CHECK_NEAR(rb_spf_predict(&t3, &site), 1.6742164, 1e-6);
    CHECK_NEAR(rb_spf_k(&t3, 0), 0.54, 0);
    site.ud = v4;
    CHECK_NEAR(rb_spf_predict(&s4, &site), 5.6123087, 1e-6);
    CHECK_NEAR(rb_spf_k(&s4, 0), 0.11, 0);
    CHECK(!strcmp(t3.site_type, "intersection") && t3.base_legs == 3 && t3.base_control == 0);
    CHECK(s4.base_legs == 4 && s4.base_control == 1);
    /* Chapter 11, Table 11-7, 3ST (a -12.526, b 1.204, c 0.236, k 0.460) at 20,000 / 2,000:
     * -12.526 + 1.204 x 9.9034876 + 0.236 x 7.6009025 = 1.1916120; N = 3.2923842; for four-lane majors */
    struct rb_spf m3 = shipped("hsm_rural_multilane_3st");
    double vm[2] = { 20000, 2000 };
    site.ud = vm;
    CHECK_NEAR(rb_spf_predict(&m3, &site), 3.2923842, 1e-6);
    CHECK_NEAR(rb_spf_k(&m3, 0), 0.460, 0);
    CHECK(m3.base_lanes_min == 4 && t3.base_lanes_max == 2);
    /* the set: its six members, no fallback (an intersection of no kind gets no prediction) */
    struct rb_spf_set set;
    struct rb_err err;
    char path[512];
    snprintf(path, sizeof path, "%s/spf/hsm_int.json", getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data");
    CHECK_INT(rb_spf_set_read(path, &set, &err), 0);
    CHECK(set.is_set && set.n == 10 && set.fallback == SIZE_MAX);
    CHECK_STR(set.spf[6].id, "hsm_urban_3st");
    CHECK(set.spf[0].base_area == 0 && set.spf[9].base_area == 1 && set.spf[9].base_control == 1);
    rb_free(set.spf);
}

/* A site's variables by name, for the Chapter 12 models. */
struct vars {
    const char *name[12];
    double v[12];
};
static double vattr(const char *name, void *ud)
{
    const struct vars *a = ud;
    for (int k = 0; k < 12 && a->name[k]; k++)
        if (!strcmp(name, a->name[k]))
            return a->v[k];
    return NAN;
}

/* HSM (2010) Chapter 12, an urban two-lane undivided arterial (2U), AADT
 * 12,000, L = 1.5 mi, posted 30 mph (48 km/h), one major commercial and four
 * minor residential driveways; coefficients of Tables 12-3, 12-5, 12-7,
 * 12-8, 12-9 as cross-checked in the shared reference. ln 12,000 = 9.3926619.
 *   multiple-vehicle non-driveway: exp(-15.22 + 1.68 x 9.3926619) x 1.5
 *     = e^0.5596720 x 1.5 = 1.7500984 x 1.5 = 2.6251477
 *     FI' = exp(-16.22 + 1.66 lnA) x 1.5 = 0.8003420, PDO' = exp(-15.62 + 1.69 lnA) x 1.5 = 1.9329818,
 *     FI = 2.6251477 x 0.8003420 / 2.7333238 = 0.7686671
 *   single-vehicle: exp(-5.47 + 0.56 lnA) x 1.5 = 1.2157435; FI' 0.2480258, PDO' 0.9109828, FI 0.2601669
 *   driveway-related: (1 x 0.158 + 4 x 0.016) x (12,000 / 15,000)^1.0 = 0.222 x 0.8 = 0.1776; FI 0.323 x it = 0.0573648
 *   N_br = 2.6251477 + 1.2157435 + 0.1776 = 4.0184911
 *   pedestrian 0.036 x N_br = 0.1446657, bicycle 0.018 x N_br = 0.0723328 (30 mph or less; all FI)
 *   N = 4.2354896; FI = 0.7686671 + 0.2601669 + 0.0573648 + 0.1446657 + 0.0723328 = 1.3031973
 *   k of the sum: sum k_i (1.054 mu_i)^2 / (1.054 N_br)^2 (the factors scale each alike)
 *     = (0.84 x 2.6251477^2 + 0.81 x 1.2157435^2 + 0.81 x 0.1776^2) / 4.0184911^2 = 0.4341970
 *   A speed limit not given: the over-30-mph factors, 0.005 and 0.004: N = 4.0184911 x 1.009 = 4.0546575,
 *   and the speed counted as a default each time a factor wants it; the driveways not given: none, counted. */
TEST(hsm_urban_arterial_segment_components)
{
    struct rb_spf u = shipped("hsm_urban_2u");
    CHECK_INT((int)u.ncomp, 5);
    struct vars v = { { "speed_limit_kmh", "driveways_major_commercial", "driveways_minor_residential" },
                      { 48, 1, 4 } };
    struct rb_spf_site site = { 12000, 1.5 * 1609.344, vattr, &v, NULL };
    struct rb_spf_pred p;
    rb_spf_eval(&u, &site, &p);
    CHECK_NEAR(p.comp[0], 2.6251477, 1e-6);
    CHECK_NEAR(p.comp[1], 1.2157435, 1e-6);
    CHECK_NEAR(p.comp[2], 0.1776, 1e-9);
    CHECK_NEAR(p.comp[3], 0.1446657, 1e-6);
    CHECK_NEAR(p.comp[4], 0.0723328, 1e-6);
    CHECK_NEAR(p.n, 4.2354896, 1e-6);
    CHECK_NEAR(p.fi, 1.3031973, 1e-6);
    CHECK_INT(p.defaults, 5);    /* the five driveway types it does not name, taken as none */
    CHECK_NEAR(rb_spf_k_of(&u, p.comp, site.length_m), 0.4341970, 1e-6);
    CHECK(isnan(rb_spf_k(&u, site.length_m)));   /* a plain k has no meaning for a sum */
    v.v[0] = 30 * 1.609344;   /* "30 mph": the lower row, as 48 km/h */
    rb_spf_eval(&u, &site, &p);
    CHECK_NEAR(p.n, 4.2354896, 1e-6);
    v.v[0] = NAN;
    rb_spf_eval(&u, &site, &p);
    CHECK_NEAR(p.n, 4.0546575, 1e-6);
    CHECK_INT(p.defaults, 7);    /* and the speed limit, for each of the two factors */
    /* base conditions: urban, two lanes or one, undivided */
    CHECK(u.base_area == 1 && u.base_lanes_max == 2 && u.base_divided == 0 && u.aadt_max == 32600);
    /* the set: rural models first, then the five urban arterial types */
    struct rb_spf_set set;
    struct rb_err err;
    char path[512];
    snprintf(path, sizeof path, "%s/spf/hsm.json", getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data");
    CHECK_INT(rb_spf_set_read(path, &set, &err), 0);
    CHECK(set.n == 8 && set.fallback == 0);
    CHECK_STR(set.spf[7].id, "hsm_urban_5t");
    CHECK(set.spf[4].base_lanes_min == 3 && set.spf[7].base_lanes_min == 5 && set.spf[6].base_divided == 1);
    rb_free(set.spf);
}

/* HSM (2010) Chapter 12, a four-leg signalised intersection (4SG), AADT
 * 15,000 major and 3,000 minor, 1,500 pedestrians crossing a day, four lanes
 * crossed (Tables 12-10, 12-12, the signalised pedestrian SPF and f_bikei):
 *   ln 15,000 = 9.6158055, ln 3,000 = 8.0063676
 *   multiple-vehicle: exp(-10.99 + 1.07 x 9.6158055 + 0.23 x 8.0063676) = 3.1279455
 *     FI = 3.1279455 x FI'/(FI' + PDO') = 1.0092463
 *   single-vehicle: exp(-10.21 + 0.68 lnMaj + 0.27 lnMin) = 0.2210132; FI 0.0614029
 *   bicycle: 0.015 x (3.1279455 + 0.2210132) = 0.0502344
 *   pedestrian: exp(-9.53 + 0.40 ln 18,000 + 0.26 ln(3,000/15,000) + 0.45 ln 1,500 + 0.04 x 4)
 *     = exp(-9.53 + 0.40 x 9.7981270 + 0.26 x -1.6094379 + 0.45 x 7.3132204 + 0.16) = 0.0759064
 *   N = 3.4750995; FI = 1.0092463 + 0.0614029 + 0.0502344 + 0.0759064 = 1.1967901
 *   k = (0.39 (1.015 x 3.1279455)^2 + 0.36 (1.015 x 0.2210132)^2 + 0.24 x 0.0759064^2) / 3.4750995^2 = 0.3271368
 *   Pedestrian volume not given: 700 a day (the 'medium' level): pedestrian 0.0538681, N = 3.4530612. */
TEST(hsm_urban_intersection_components)
{
    struct rb_spf s4 = shipped("hsm_urban_4sg");
    struct vars v = { { "aadt_major", "aadt_minor", "aadt_total", "aadt_ratio", "ped_volume", "lanes_crossed" },
                      { 15000, 3000, 18000, 0.2, 1500, 4 } };
    struct rb_spf_site site = { NAN, 0, vattr, &v, NULL };
    struct rb_spf_pred p;
    rb_spf_eval(&s4, &site, &p);
    CHECK_STR(s4.comp[3].id, "pedestrian");
    CHECK_NEAR(p.comp[0], 3.1279455, 1e-6);
    CHECK_NEAR(p.comp[1], 0.2210132, 1e-6);
    CHECK_NEAR(p.comp[2], 0.0502344, 1e-6);
    CHECK_NEAR(p.comp[3], 0.0759064, 1e-6);
    CHECK_NEAR(p.n, 3.4750995, 1e-6);
    CHECK_NEAR(p.fi, 1.1967901, 1e-6);
    CHECK_INT(p.defaults, 0);
    CHECK_NEAR(rb_spf_k_of(&s4, p.comp, 0), 0.3271368, 1e-6);
    v.v[4] = NAN;
    rb_spf_eval(&s4, &site, &p);
    CHECK_NEAR(p.comp[3], 0.0538681, 1e-6);
    CHECK_NEAR(p.n, 3.4530612, 1e-6);
    CHECK_INT(p.defaults, 1);
    CHECK(s4.base_area == 1 && s4.base_legs == 4 && s4.base_control == 1);
    /* stop-controlled: single-vehicle FI a fixed share (3ST: 0.31) */
    struct rb_spf t3 = shipped("hsm_urban_3st");
    CHECK_NEAR(t3.comp[1].fi_share, 0.31, 0);
}

/* An SPF of components written (rumble calibrate) and read back is the same model. */
TEST(spf_components_round_trip)
{
    struct rb_spf u = shipped("hsm_urban_4d"), back;
    struct rb_err err;
    u.calibration = 1.3;
    char path[] = "/tmp/rumble_spf_rtXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK_INT(rb_spf_write(path, &u, NULL, &err), 0);
    CHECK_INT(rb_spf_read(path, &back, &err), 0);
    remove(path);
    CHECK_INT((int)back.ncomp, 5);
    struct vars v = { { "speed_limit_kmh", "driveways_minor_commercial" }, { 60, 3 } };
    struct rb_spf_site site = { 25000, 800, vattr, &v, NULL };
    struct rb_spf_pred a, b;
    rb_spf_eval(&u, &site, &a);
    rb_spf_eval(&back, &site, &b);
    CHECK_NEAR(b.n, a.n, 1e-12);
    CHECK_NEAR(b.fi, a.fi, 1e-12);
    CHECK_NEAR(rb_spf_k_of(&back, b.comp, 800), rb_spf_k_of(&u, a.comp, 800), 1e-12);
    CHECK(back.base_area == 1 && back.base_divided == 1);
    /* and one with CMFs for actual conditions: every kind, each giving the same at a site */
    struct rb_spf r2 = shipped("hsm_rural_2lane");
    char path2[] = "/tmp/rumble_spf_rtXXXXXX";
    fd = mkstemp(path2);
    CHECK(fd >= 0);
    close(fd);
    CHECK_INT(rb_spf_write(path2, &r2, NULL, &err), 0);
    CHECK_INT(rb_spf_read(path2, &back, &err), 0);
    remove(path2);
    CHECK_INT((int)back.ncmf, 12);
    struct vars w = { { "lane_width_m", "shoulder_width_m", "curve_length_m", "curve_radius_m", "superelevation_variance",
                        "driveways_per_km", "twltl", "lit" }, { 3.2, 1.1, 400, 250, 0.018, 9, 1, 1 } };
    site = (struct rb_spf_site){ 1500, 2000, vattr, &w, NULL };
    rb_spf_eval(&r2, &site, &a);
    rb_spf_eval(&back, &site, &b);
    CHECK(a.cmf > 1.5);
    CHECK_NEAR(b.n, a.n, 1e-12);
    CHECK_INT((int)b.cmf_base, (int)a.cmf_base);
}

/* The shipped CMF of that id at a site of the given attributes. */
static double cmf_at(const struct rb_spf *spf, const char *id, struct vars *v, double aadt, int *base)
{
    struct rb_spf_site site = { aadt, 1000, vattr, v, NULL };
    for (size_t j = 0; j < spf->ncmf; j++)
        if (!strcmp(spf->cmf[j].id, id))
            return rb_spf_cmf_value(&spf->cmf[j], &site, base);
    return NAN;
}
#define FT(x) ((x) * 0.3048)
#define PER_MI(x) ((x) / 1.609344)

/* The HSM Chapter 10 CMFs for rural two-lane segments against values
 * worked by hand from the cross-checked tables (doc/notes/hsm_part_c_cmfs.md,
 * section 4):
 *   lane width 9 ft, AADT 1,000: CMF_ra = 1.05 + 2.81e-4 x 600 = 1.2186; (0.2186 x 0.574) + 1 = 1.1254764
 *   10 ft, 1,000: 1.02 + 1.75e-4 x 600 = 1.125 -> 1.07175; 11 ft: 1.01 + 2.5e-5 x 600 = 1.025 -> 1.01435;
 *   10 ft, AADT 3,000: 1.30 -> 1.17220; 12 ft (3.6576 m): 1.00
 *   shoulder 8 ft paved, 1,000: 0.98 - 6.875e-5 x 600 = 0.93875 -> (-0.06125 x 0.574) + 1 = 0.964843;
 *   0 ft, AADT 3,000: 1.50 -> 1.287
 *   curve Lc 0.1 mi, R 1,000 ft: (0.155 + 0.0802) / 0.155 = 1.517419; with spirals at both ends
 *   (0.155 + 0.0802 - 0.012) / 0.155 = 1.44
 *   superelevation variance 0.015: 1 + 6 x 0.005 = 1.03; 0.03: 1.06 + 3 x 0.01 = 1.09
 *   grade -4 %: 1.10; 7 %: 1.16; 3 %: 1.00
 *   driveways 20 a mile, AADT 5,000: g = 0.05 - 0.005 ln 5,000 = 0.0074140; (0.322 + 20 g) / (0.322 + 5 g)
 *     = 0.4702807 / 0.3590702 = 1.3097180
 *   TWLTL at 10, 15, 20 driveways a mile: 1 - 0.35 p_dwy, p_dwy = (0.047 + 0.24) / (1.199 + 0.287) = 0.1931359
 *     -> 0.9324024; 15: 0.6105 / 1.8095 = 0.3373860 -> 0.8819149; 20: 1.054 / 2.253 = 0.4678207 -> 0.8362628
 *     (the TransCAD code's 0.932, 0.882, 0.836)
 *   roadside hazard 1: e^(0.0668 x -2) = 0.8749400; 7: e^(0.0668 x 4) = 1.3063017
 *   lighting: 1 - (1 - 0.72 x 0.382 - 0.83 x 0.618) x 0.370 = 1 - 0.21202 x 0.370 = 0.9215526 */
TEST(hsm_rural_two_lane_cmfs)
{
    struct rb_spf r2 = shipped("hsm_rural_2lane");
    struct vars v = { { "lane_width_m" }, { FT(9) } };
    int base;
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 1000, &base), 1.1254764, 1e-9);
    CHECK(!base);
    v.v[0] = FT(10);
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 1000, &base), 1.07175, 1e-9);
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 3000, &base), 1.17220, 1e-9);
    v.v[0] = FT(11);
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 1000, &base), 1.01435, 1e-9);
    v.v[0] = 3.6576;
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 1000, &base), 1, 0);
    v.v[0] = NAN;      /* not given: base conditions, counted */
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 1000, &base), 1, 0);
    CHECK(base);
    v = (struct vars){ { "shoulder_width_m" }, { FT(8) } };
    CHECK_NEAR(cmf_at(&r2, "shoulder_width", &v, 1000, &base), 0.96484250, 1e-8);
    v.v[0] = 0;
    CHECK_NEAR(cmf_at(&r2, "shoulder_width", &v, 3000, &base), 1.287, 1e-9);
    v = (struct vars){ { "curve_length_m", "curve_radius_m" }, { 0.1 * 1609.344, FT(1000) } };
    CHECK_NEAR(cmf_at(&r2, "horizontal_curve", &v, 1000, &base), 1.5174194, 1e-7);
    v = (struct vars){ { "curve_length_m", "curve_radius_m", "spiral" }, { 0.1 * 1609.344, FT(1000), 1 } };
    CHECK_NEAR(cmf_at(&r2, "horizontal_curve", &v, 1000, &base), 1.44, 1e-9);
    v = (struct vars){ { "curve_length_m", "curve_radius_m" }, { 0.1 * 1609.344, 0 } };   /* a tangent */
    CHECK_NEAR(cmf_at(&r2, "horizontal_curve", &v, 1000, &base), 1, 0);
    v = (struct vars){ { "superelevation_variance" }, { 0.015 } };
    CHECK_NEAR(cmf_at(&r2, "superelevation", &v, 1000, &base), 1.03, 1e-12);
    v.v[0] = 0.03;
    CHECK_NEAR(cmf_at(&r2, "superelevation", &v, 1000, &base), 1.09, 1e-12);
    v = (struct vars){ { "grade_pct" }, { -4 } };
    CHECK_NEAR(cmf_at(&r2, "grade", &v, 1000, &base), 1.10, 0);
    v.v[0] = 7;
    CHECK_NEAR(cmf_at(&r2, "grade", &v, 1000, &base), 1.16, 0);
    v.v[0] = 3;
    CHECK_NEAR(cmf_at(&r2, "grade", &v, 1000, &base), 1.00, 0);
    v = (struct vars){ { "driveways_per_km" }, { PER_MI(20) } };
    CHECK_NEAR(cmf_at(&r2, "driveway_density", &v, 5000, &base), 1.3097180, 1e-7);
    v = (struct vars){ { "twltl", "driveways_per_km" }, { 1, PER_MI(10) } };
    CHECK_NEAR(cmf_at(&r2, "twltl", &v, 5000, &base), 0.9324024, 1e-7);
    v.v[1] = PER_MI(15);
    CHECK_NEAR(cmf_at(&r2, "twltl", &v, 5000, &base), 0.8819149, 1e-7);
    v.v[1] = PER_MI(20);
    CHECK_NEAR(cmf_at(&r2, "twltl", &v, 5000, &base), 0.8362628, 1e-7);
    v.v[0] = 0;
    CHECK_NEAR(cmf_at(&r2, "twltl", &v, 5000, &base), 1, 0);
    /* past AADT 22,026 the driveway form would turn below 1 and then negative: 1.00 there (at 60,000 and
     * 40 a mile the raw form is (0.322 + 40 g) / (0.322 + 5 g), g = 0.05 - 0.005 ln 60,000 = -0.0050, below 0) */
    v = (struct vars){ { "driveways_per_km" }, { PER_MI(40) } };
    CHECK_NEAR(cmf_at(&r2, "driveway_density", &v, 60000, &base), 1, 0);
    /* metric widths to the nominal foot: a 3.65 m lane (11.975 ft) is 12 ft, a 1.8 m shoulder (5.9 ft) 6 ft */
    v = (struct vars){ { "lane_width_m", "shoulder_width_m" }, { 3.65, 1.8 } };
    CHECK_NEAR(cmf_at(&r2, "lane_width", &v, 5000, &base), 1, 0);
    CHECK_NEAR(cmf_at(&r2, "shoulder_width", &v, 5000, &base), 1, 0);
    v = (struct vars){ { "roadside_hazard" }, { 1 } };
    CHECK_NEAR(cmf_at(&r2, "roadside_hazard", &v, 5000, &base), 0.8749400, 1e-7);
    v.v[0] = 7;
    CHECK_NEAR(cmf_at(&r2, "roadside_hazard", &v, 5000, &base), 1.3063017, 1e-7);
    v = (struct vars){ { "lit", "centreline_rumble", "speed_cameras", "passing_lane" }, { 1, 1, 1, 2 } };
    CHECK_NEAR(cmf_at(&r2, "lighting", &v, 5000, &base), 0.9215526, 1e-9);
    CHECK_NEAR(cmf_at(&r2, "centreline_rumble", &v, 5000, &base), 0.94, 0);
    CHECK_NEAR(cmf_at(&r2, "speed_cameras", &v, 5000, &base), 0.93, 0);
    CHECK_NEAR(cmf_at(&r2, "passing_lane", &v, 5000, &base), 0.65, 0);
    /* the prediction: eq. 10-6 at AADT 5,000, 1.5 mi (2.0037994) times the CMFs given, the rest at
     * base with their bits set: lane 9 ft at AADT 5,000 (over 2,000: 1.50), (1.50 - 1) x 0.574 + 1 = 1.287;
     * lit 0.9215526; CMF 1.287 x 0.9215526 = 1.1860382; N = 2.0037994 x 1.1860382 = 2.3765827 */
    struct vars w = { { "lane_width_m", "lit" }, { FT(9), 1 } };
    struct rb_spf_site site = { 5000, 1.5 * 1609.344, vattr, &w, NULL };
    struct rb_spf_pred p;
    rb_spf_eval(&r2, &site, &p);
    CHECK_NEAR(p.cmf, 1.1860382, 1e-7);
    CHECK_NEAR(p.n, 2.3765827, 1e-6);
    CHECK_INT((int)r2.ncmf, 12);
    CHECK_INT((int)p.cmf_base, 0xfff & ~(1u << 0) & ~(1u << 10));
    /* resolved to a row of attributes (as screening does), the same without asking by name */
    static const char *const names[] = { "speed_limit_kmh", "lit", "lane_width_m" };
    rb_spf_resolve(&r2, names, 3);
    const double row[3] = { 90, 1, FT(9) };
    struct rb_spf_site byrow = { 5000, 1.5 * 1609.344, NULL, NULL, row };
    struct rb_spf_pred q;
    rb_spf_eval(&r2, &byrow, &q);
    CHECK_NEAR(q.n, p.n, 1e-12);
    CHECK_INT((int)q.cmf_base, (int)p.cmf_base);
    CHECK(r2.cmf[0].ix[0] == 2 && r2.cmf[1].ix[0] == -1);
}

/* Intersections and Chapter 11 (doc/notes/hsm_part_c_cmfs.md section 4):
 *   Ch. 10 skew 30 degrees, 3ST: e^0.12 = 1.127497; 4ST: e^0.162 = 1.1758602
 *   Ch. 10 lighting 3ST 1 - 0.38 x 0.26 = 0.9012; 4ST 1 - 0.38 x 0.244 = 0.90728
 *   Ch. 10 left-turn lanes, 4ST, two approaches 0.72^2 = 0.5184 (three: still two); 4SG three: 0.82^3 = 0.551368
 *   Ch. 11 skew 30, 3ST: 0.48 / (0.98 + 0.48) + 1 = 1.328767; 4ST: 1.59 / (1.43 + 1.59) + 1 = 1.526490
 *   Ch. 11 segment lighting 4U: 1 - (1 - 0.72 x 0.361 - 0.83 x 0.639) x 0.255 = 1 - 0.20971 x 0.255 = 0.94652395;
 *   4D: 1 - (1 - 0.72 x 0.323 - 0.83 x 0.677) x 0.426 = 1 - 0.20553 x 0.426 = 0.91244422
 *   Ch. 11 4D median 45 ft: the 40-ft row, 0.99; 4U lane 10 ft at AADT 1,000: 1.02 + 1.31e-4 x 600 = 1.0986,
 *   (0.0986 x 0.27) + 1 = 1.026622 */
TEST(hsm_intersection_and_multilane_cmfs)
{
    struct rb_spf t3 = shipped("hsm_rural_2lane_3st"), f4 = shipped("hsm_rural_2lane_4st");
    struct rb_spf s4 = shipped("hsm_rural_2lane_4sg"), m3 = shipped("hsm_rural_multilane_3st");
    struct rb_spf m4 = shipped("hsm_rural_multilane_4st"), u = shipped("hsm_rural_4u"), d = shipped("hsm_rural_4d");
    struct vars v = { { "skew_deg", "lit", "left_turn_lanes" }, { 30, 1, 3 } };
    int base;
    CHECK_NEAR(cmf_at(&t3, "skew", &v, 0, &base), 1.127497, 1e-6);
    CHECK_NEAR(cmf_at(&f4, "skew", &v, 0, &base), 1.1758602, 1e-7);
    CHECK_NEAR(cmf_at(&t3, "lighting", &v, 0, &base), 0.9012, 1e-12);
    CHECK_NEAR(cmf_at(&f4, "lighting", &v, 0, &base), 0.90728, 1e-12);
    CHECK_NEAR(cmf_at(&f4, "left_turn_lanes", &v, 0, &base), 0.5184, 1e-12);
    CHECK_NEAR(cmf_at(&s4, "left_turn_lanes", &v, 0, &base), 0.551368, 1e-12);
    CHECK_NEAR(cmf_at(&m3, "skew", &v, 0, &base), 1.328767, 1e-6);
    CHECK_NEAR(cmf_at(&m4, "skew", &v, 0, &base), 1.526490, 1e-6);
    CHECK_NEAR(cmf_at(&u, "lighting", &v, 0, &base), 0.94652395, 1e-9);
    CHECK_NEAR(cmf_at(&d, "lighting", &v, 0, &base), 0.91244422, 1e-9);
    v = (struct vars){ { "median_width_m", "lane_width_m" }, { FT(45), FT(10) } };
    CHECK_NEAR(cmf_at(&d, "median_width", &v, 1000, &base), 0.99, 0);
    CHECK_NEAR(cmf_at(&u, "lane_width", &v, 1000, &base), 1.026622, 1e-9);
}

/* Three Chapter 10 CMFs against worked examples as published (printed to two
 * decimals): the HSM 2nd edition draft (NCHRP Web-Only Document 297), as a
 * public implementation's tests quote them (hussein449/panel_v1 @ aa8d14b5,
 * tests/test_published_equations.py; one source, a later edition whose
 * Chapter 10 equations are the same: doc/notes/hsm_sample_problems.md, F1):
 *   roadside hazard rating 4: 1.07; 6 driveways a mile at AADT 10,000: 1.01;
 *   a 0.1 mi curve of radius 1,200 ft, no spiral: 1.43. */
TEST(hsm_published_cmf_examples)
{
    struct rb_spf r2 = shipped("hsm_rural_2lane");
    int base;
    struct vars v = { { "roadside_hazard", "driveways_per_km", "curve_length_m", "curve_radius_m" },
                      { 4, PER_MI(6), 0.1 * 1609.344, FT(1200) } };
    CHECK_NEAR(cmf_at(&r2, "roadside_hazard", &v, 10000, &base), 1.07, 0.005);
    CHECK_NEAR(cmf_at(&r2, "driveway_density", &v, 10000, &base), 1.01, 0.005);
    CHECK_NEAR(cmf_at(&r2, "horizontal_curve", &v, 10000, &base), 1.43, 0.005);
}

/* Chapter 12's CMFs (doc/notes/hsm_part_c_cmfs_ch12.md, sections 1 to 3):
 *   segment lighting, 2U: 1 - 0.316 (1 - 0.72 x 0.424 - 0.83 x 0.576) = 1 - 0.316 x 0.21664 = 0.93154176;
 *   4U: 1 - 0.365 (1 - 0.72 x 0.517 - 0.83 x 0.483) = 1 - 0.365 x 0.22687 = 0.91719245
 *   fixed objects, 2U, 50 a mile at 5 ft: 0.133 x 50 x 0.059 + 0.941 = 1.33335; at 3.5 ft, f between the 2-
 *   and 5-ft rows, 0.232 - 0.033 x 1.5 = 0.1825: 0.1825 x 50 x 0.059 + 0.941 = 1.4793750; 5 a mile at 30 ft:
 *   0.044 x 5 x 0.059 + 0.941 = 0.95398, floored at 1.00; 4D, 100 a mile at 10 ft: 0.087 x 100 x 0.036 + 0.964 = 1.2772
 *   median width, 4D: 10 ft 1.01, 15 ft 1.00, 25 ft 0.99, 100 ft 0.92, none 1.00
 *   intersection lighting, 3ST: 1 - 0.38 x 0.238 = 0.90956; left-turn lanes 3ST on two approaches: one counts, 0.67;
 *   4SG, four: 0.90^4 = 0.6561; phasing, two protected and two protected/permissive: 0.94^2 x 0.99^2 = 0.86601636;
 *   right turn on red prohibited on four approaches: 0.98^4 = 0.92236816
 *   4SG pedestrian CMFs: two bus stops, a school, ten alcohol outlets: 2.78 x 1.35 x 1.56 = 5.85468, on the
 *   pedestrian crashes alone, which the lighting CMF (0.9107) does not touch */
TEST(hsm_urban_cmfs)
{
    struct rb_spf u2 = shipped("hsm_urban_2u"), u4 = shipped("hsm_urban_4u"), d4 = shipped("hsm_urban_4d");
    int base;
    struct vars v = { { "lit", "fixed_objects_per_km", "fixed_object_offset_m", "median_width_m" },
                      { 1, PER_MI(50), FT(5), FT(10) } };
    CHECK_NEAR(cmf_at(&u2, "lighting", &v, 10000, &base), 0.93154176, 1e-9);
    CHECK_NEAR(cmf_at(&u4, "lighting", &v, 10000, &base), 0.91719245, 1e-9);
    CHECK_NEAR(cmf_at(&u2, "fixed_objects", &v, 10000, &base), 1.33335, 1e-9);
    v.v[2] = FT(3.5);
    CHECK_NEAR(cmf_at(&u2, "fixed_objects", &v, 10000, &base), 1.479375, 1e-9);
    v.v[1] = PER_MI(5);
    v.v[2] = FT(30);
    CHECK_NEAR(cmf_at(&u2, "fixed_objects", &v, 10000, &base), 1.0, 0);
    v.v[1] = PER_MI(100);
    v.v[2] = FT(10);
    CHECK_NEAR(cmf_at(&d4, "fixed_objects", &v, 10000, &base), 1.2772, 1e-9);
    CHECK_NEAR(cmf_at(&d4, "median_width", &v, 10000, &base), 1.01, 0);
    double widths[] = { 15, 25, 100, 0 }, want[] = { 1.00, 0.99, 0.92, 1.00 };
    for (int k = 0; k < 4; k++) {
        v.v[3] = FT(widths[k]);
        CHECK_NEAR(cmf_at(&d4, "median_width", &v, 10000, &base), want[k], 0);
    }
    /* on-street parking (Eq. 12-32, Table 12-19): the whole curb parked, angle, commercial, 2U:
     * 1 + 0.5 x 1 x (4.853 - 1) = 2.9265; half the curb, parallel, residential: 1 + 0.25 x 0.465 = 1.11625;
     * 4D, all the curb parallel in commercial land use: 1 + 0.5 x 0.709 = 1.3545 */
    struct vars pk = { { "parking_share", "parking_angle", "land_use_commercial" }, { 1, 1, 1 } };
    CHECK_NEAR(cmf_at(&u2, "on_street_parking", &pk, 10000, &base), 2.9265, 1e-12);
    pk.v[0] = 0.5;
    pk.v[1] = 0;
    pk.v[2] = NAN;    /* land use not given: not commercial */
    CHECK_NEAR(cmf_at(&u2, "on_street_parking", &pk, 10000, &base), 1.11625, 1e-12);
    pk.v[0] = 1;
    pk.v[2] = 1;
    CHECK_NEAR(cmf_at(&d4, "on_street_parking", &pk, 10000, &base), 1.3545, 1e-12);
    v.v[2] = NAN;     /* density without an offset: base conditions, counted */
    CHECK_NEAR(cmf_at(&d4, "fixed_objects", &v, 10000, &base), 1, 0);
    CHECK(base);

    struct rb_spf t3 = shipped("hsm_urban_3st"), s4 = shipped("hsm_urban_4sg");
    struct vars w = { { "lit", "left_turn_lanes", "left_turn_protected", "left_turn_protected_permissive",
                        "rtor_prohibited" }, { 1, 2, 2, 2, 4 } };
    CHECK_NEAR(cmf_at(&t3, "lighting", &w, 0, &base), 0.90956, 1e-12);
    CHECK_NEAR(cmf_at(&t3, "left_turn_lanes", &w, 0, &base), 0.67, 1e-12);
    w.v[1] = 4;
    CHECK_NEAR(cmf_at(&s4, "left_turn_lanes", &w, 0, &base), 0.6561, 1e-12);
    CHECK_NEAR(cmf_at(&s4, "left_turn_protected", &w, 0, &base) *
               cmf_at(&s4, "left_turn_protected_permissive", &w, 0, &base), 0.86601636, 1e-12);
    CHECK_NEAR(cmf_at(&s4, "right_turn_on_red", &w, 0, &base), 0.92236816, 1e-12);
    /* the pedestrian CMFs on the pedestrian model alone, the site's on the others (the 4SG site of
     * hsm_urban_intersection_components: MV 3.1279455, SV 0.2210132, bicycles 0.0502344, pedestrians 0.0759064) */
    struct vars x = { { "aadt_major", "aadt_minor", "aadt_total", "aadt_ratio", "ped_volume", "lanes_crossed", "lit",
                        "bus_stops" }, { 15000, 3000, 18000, 0.2, 1500, 4, 1, 2 } };
    struct rb_spf_site site = { NAN, 0, vattr, &x, NULL };
    struct rb_spf_pred p;
    rb_spf_eval(&s4, &site, &p);
    double l = 1 - 0.38 * 0.235;
    CHECK_NEAR(p.cmf, l, 1e-12);
    CHECK_NEAR(p.comp[0], 3.1279455 * l, 1e-6);
    CHECK_NEAR(p.comp[2], 0.0502344 * l, 1e-6);
    CHECK_NEAR(p.comp[3], 0.0759064 * 2.78, 1e-6);
    /* the school and the outlets too: 2.78 x 1.35 x 1.56 */
    x.name[8] = "schools";
    x.v[8] = 1;
    x.name[9] = "alcohol_outlets";
    x.v[9] = 10;
    rb_spf_eval(&s4, &site, &p);
    CHECK_NEAR(p.comp[3], 0.0759064 * 5.85468, 1e-6);
}

RUN_TESTS(T(hsm_rural_two_lane_prediction), T(hsm_rural_two_lane_intersections), T(hsm_rural_multilane_segments), T(eb_single_aadt_by_hand), T(eb_multi_year_by_hand),
          T(fitted_spf_with_covariates), T(hsm_urban_arterial_segment_components), T(hsm_urban_intersection_components),
          T(spf_components_round_trip), T(hsm_rural_two_lane_cmfs), T(hsm_intersection_and_multilane_cmfs),
          T(hsm_published_cmf_examples), T(hsm_urban_cmfs))
