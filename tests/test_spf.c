/* SPFs and Empirical Bayes, checked by hand. */
#include "tcheck.h"
#include <string.h>
#include <stdint.h>
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
    struct rb_spf_site site = { 5000, 1.5 * 1609.344, NULL, NULL };
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
    struct rb_spf_site site = { 7819, 0.43 * 1609.344, lookup, &speed50 };
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
    struct rb_spf_site site = { 10000, 1609.344, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&u, &site), 3.2490423, 1e-6);
    CHECK_NEAR(rb_spf_k(&u, 1609.344), 0.1873082, 1e-7);
    site.length_m = 2 * 1609.344;
    CHECK_NEAR(rb_spf_predict(&u, &site), 6.4980846, 2e-6);
    CHECK_NEAR(rb_spf_k(&u, 2 * 1609.344), 0.0936541, 1e-7);
    site = (struct rb_spf_site){ 30000, 0.5 * 1609.344, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&d, &site), 2.9920063, 1e-6);
    CHECK_NEAR(rb_spf_k(&d, 0.5 * 1609.344), 0.4249207, 1e-7);
    /* their base conditions: rural, four lanes, undivided or divided; the AADT each was fitted on */
    CHECK(u.base_rural && u.base_lanes_min == 4 && u.base_lanes_max == 4 && u.base_divided == 0 && u.aadt_max == 33200);
    CHECK(d.base_rural && d.base_divided == 1 && d.aadt_max == 89300);
    /* the fatal-and-injury models: 4U KABC (a -9.410, b 1.094, c 1.796) at AADT 10,000, 1 mi:
     * exp(-9.410 + 1.094 x 9.2103404) = e^0.6661124 = 1.9466547; k = e^-1.796 = 0.1659614 */
    struct rb_spf fi = shipped("hsm_rural_4u_kabc");
    site = (struct rb_spf_site){ 10000, 1609.344, NULL, NULL };
    CHECK_NEAR(rb_spf_predict(&fi, &site), 1.9466547, 1e-6);
    CHECK_NEAR(rb_spf_k(&fi, 1609.344), 0.1659614, 1e-7);
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
    struct rb_spf_site site = { NAN, 0, jattr, v3 };
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
    CHECK(set.is_set && set.n == 6 && set.fallback == SIZE_MAX);
    rb_free(set.spf);
}

RUN_TESTS(T(hsm_rural_two_lane_prediction), T(hsm_rural_two_lane_intersections), T(hsm_rural_multilane_segments), T(eb_single_aadt_by_hand), T(eb_multi_year_by_hand),
          T(fitted_spf_with_covariates))
