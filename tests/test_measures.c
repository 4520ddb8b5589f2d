/* Population measures of network screening: incomplete beta against brute
 * force, method of moments, LOSS and the beta model by hand, peak searching
 * against the HSM's published example. */
#include "tcheck.h"
#include "screen/measures.h"
#include "screen/ebba.h"

/* I_x(a, b) for integer a, b: the chance of at least a successes in a + b - 1
 * Bernoulli(x) trials (a textbook identity, summed term by term here). */
static double betainc_binomial(int a, int b, double x)
{
    int n = a + b - 1;
    double sum = 0;
    for (int j = a; j <= n; j++) {
        double c = 1;
        for (int i = 0; i < j; i++)
            c = c * (n - i) / (i + 1);
        sum += c * pow(x, j) * pow(1 - x, n - j);
    }
    return sum;
}

/* The beta density integrated by Simpson's rule on n intervals. */
static double beta_simpson(double a, double b, double lo, double hi, int n)
{
    double h = (hi - lo) / n, s = 0;
    for (int i = 0; i <= n; i++) {
        double x = lo + i * h;
        double f = (x <= 0 || x >= 1) ? 0 : pow(x, a - 1) * pow(1 - x, b - 1);
        s += f * (i == 0 || i == n ? 1 : i % 2 ? 4 : 2);
    }
    return s * h / 3;
}

TEST(betainc_against_binomial_sums)
{
    int as[] = { 1, 2, 3, 7, 15 }, bs[] = { 1, 2, 5, 9, 30 };
    double xs[] = { 0.01, 0.2, 0.5, 0.73, 0.99 };
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            for (int k = 0; k < 5; k++)
                CHECK_NEAR(rb_betainc(as[i], bs[j], xs[k]), betainc_binomial(as[i], bs[j], xs[k]), 1e-12);
    /* I_x(1/2, 1/2) = (2 / pi) asin(sqrt(x)) (the arcsine distribution) */
    for (int k = 0; k < 5; k++)
        CHECK_NEAR(rb_betainc(0.5, 0.5, xs[k]), 2 / acos(-1.0) * asin(sqrt(xs[k])), 1e-12);
    CHECK_NEAR(rb_betainc(2, 3, 0), 0, 0);
    CHECK_NEAR(rb_betainc(2, 3, 1), 1, 0);
    CHECK(isnan(rb_betainc(0, 3, 0.5)));
    CHECK(isnan(rb_betainc(2, 3, 1.5)));
}

TEST(method_of_moments_by_hand)
{
    /* frequencies 1, 2, 3, 6: mean 3; var = (4 + 1 + 0 + 9) / 3 = 14/3.
     * Site 6: adjusted = 6 + (3 / (14/3)) (3 - 6) = 6 - 27/14 = 4.0714286;
     * the measure 4.0714286 - 3 = 1.0714286. Site 1: 1 + (9/14)(2) = 2.2857143. */
    double obs[] = { 1, 2, 3, 6, NAN };
    struct rb_mom m = rb_mom_population(obs, 5);
    CHECK_NEAR(m.mean, 3, 1e-12);
    CHECK_NEAR(m.var, 14.0 / 3, 1e-12);
    CHECK_NEAR(rb_mom_adjusted(&m, 6), 4.0714285714, 1e-9);
    CHECK_NEAR(rb_mom_adjusted(&m, 6) - m.mean, 1.0714285714, 1e-9);
    CHECK_NEAR(rb_mom_adjusted(&m, 1), 2.2857142857, 1e-9);
    /* adjusting pulls every site toward the mean, never past it when var > mean */
    for (int i = 0; i < 4; i++) {
        double a = rb_mom_adjusted(&m, obs[i]);
        CHECK(fabs(a - m.mean) <= fabs(obs[i] - m.mean) + 1e-12);
    }
    /* one site: no variance, no measure */
    struct rb_mom one = rb_mom_population(obs, 1);
    CHECK(isnan(rb_mom_adjusted(&one, 1)));
}

TEST(loss_boundaries_by_hand)
{
    /* N_pred 2, k 0.25: sigma = sqrt(0.25 x 4) = 1; bounds 0.5, 2, 3.5 */
    CHECK_INT(rb_loss(0.4, 2, 0.25), 1);
    CHECK_INT(rb_loss(0.5, 2, 0.25), 2);
    CHECK_INT(rb_loss(1.99, 2, 0.25), 2);
    CHECK_INT(rb_loss(2.0, 2, 0.25), 3);
    CHECK_INT(rb_loss(3.49, 2, 0.25), 3);
    CHECK_INT(rb_loss(3.5, 2, 0.25), 4);
    CHECK_INT(rb_loss(1, NAN, 0.25), 0);
}

TEST(beta_model_by_hand)
{
    /* sites (target, total): (1,4) (3,4) (0,2) (2,2) (5,0 -> left out) (0,1 -> only in p)
     * p = (1+3+0+2+0) / (4+4+2+2+1) = 6/13 = 0.4615385
     * sums over the 4 sites with N >= 2:
     *   (nt^2 - nt)/(N^2 - N) = 0, 6/12, 0, 2/2 -> 1.5;  nt/N = .25, .75, 0, 1 -> 2.0
     *   s2 = (1.5 - 2.0^2/4) / 3 = 0.1666667
     * alpha = p^2/s2 - p^3/s2 - p = p (p (1 - p) / s2 - 1)
     *       = 0.4615385 x (0.4615385 x 0.5384615 / 0.1666667 - 1) = 0.2266728
     * beta = alpha / p - alpha = alpha (1 - p) / p = 0.2644516 */
    uint32_t nt[] = { 1, 3, 0, 2, 0, 0 }, N[] = { 4, 4, 2, 2, 0, 1 };
    struct rb_beta_pop bp = rb_beta_population(nt, N, 6);
    CHECK(bp.ok);
    CHECK_INT(bp.nsites, 4);
    CHECK_NEAR(bp.p, 6.0 / 13, 1e-12);
    CHECK_NEAR(bp.s2, 1.0 / 6, 1e-12);
    double p = 6.0 / 13, alpha = p * (p * (1 - p) * 6 - 1);
    CHECK_NEAR(bp.alpha, alpha, 1e-12);
    CHECK_NEAR(bp.alpha, 0.2266728, 1e-6);
    CHECK_NEAR(bp.beta, alpha * (1 - p) / p, 1e-12);
    CHECK_NEAR(bp.beta, 0.2644516, 1e-6);
    /* P(p_i > p) for site (3, 4): 1 - I_p(alpha + 3, beta + 1), the integral by Simpson */
    double a = bp.alpha + 3, b = bp.beta + 1;
    double want = 1 - beta_simpson(a, b, 0, p, 200000) / beta_simpson(a, b, 0, 1, 200000);
    CHECK_NEAR(rb_beta_exceed(&bp, 3, 4, p), want, 1e-7);   /* Simpson: (1 - x)^0.26 near 1 */
    /* more of the target type, higher probability; no crashes, no probability */
    CHECK(rb_beta_exceed(&bp, 4, 4, p) > rb_beta_exceed(&bp, 3, 4, p));
    CHECK(rb_beta_exceed(&bp, 3, 4, p) > rb_beta_exceed(&bp, 1, 4, p));
    CHECK(isnan(rb_beta_exceed(&bp, 0, 0, p)));
    /* all sites alike: no variance between them, no model */
    uint32_t same_t[] = { 1, 1, 1 }, same_n[] = { 2, 2, 2 };
    struct rb_beta_pop flat = rb_beta_population(same_t, same_n, 3);
    CHECK(!flat.ok);
}

TEST(peak_searching_hsm_segment_b)
{
    /* HSM Part B, Chapter 4, peak searching example (as transcribed in R. Mohammed,
     * "Highway Safety, Chapter 4: Network Screening", slides on the HSM's worked
     * problem): Segment B, 0.47 mi, excess expected average crash frequency,
     * CV limit 0.25.
     * Iteration 1, 0.1 mi windows: 5.2, 7.8, 1.1, 6.5, 7.8; mean 5.7, var 7.7;
     * CVs 0.53, 0.36, 2.53, 0.43, 0.36 — none at or below 0.25.
     * Iteration 2, 0.2 mi windows (0-0.2, 0.1-0.3, 0.2-0.4, 0.27-0.47):
     * 6.50, 4.45, 3.80, 7.15 with CVs 0.25, 0.36, 0.42, 0.22; the segment is
     * ranked by 7.15, the window 0.27-0.47. */
    double it1[] = { 5.2, 7.8, 1.1, 6.5, 7.8 }, cv1[5];
    CHECK_INT(rb_peak_pick(it1, 5, 0.25, cv1), -1);
    double want1[] = { 0.53, 0.36, 2.53, 0.43, 0.36 };
    for (int i = 0; i < 5; i++)
        CHECK_NEAR(cv1[i], want1[i], 0.005);
    double it2[] = { 6.50, 4.45, 3.80, 7.15 }, cv2[4];
    CHECK_INT(rb_peak_pick(it2, 4, 0.25, cv2), 3);
    double want2[] = { 0.25, 0.36, 0.42, 0.22 };
    for (int i = 0; i < 4; i++)
        CHECK_NEAR(cv2[i], want2[i], 0.005);
    /* the limit is "at most": B1's CV (0.2467) qualifies as well, below B4 in value */
    CHECK(cv2[0] <= 0.25);
    double only_b1[] = { 6.50, 4.45, 3.80, 1.0 };
    CHECK_INT(rb_peak_pick(only_b1, 4, 0.6, NULL), 0);
    /* one window: no variance, no pick */
    CHECK_INT(rb_peak_pick(it2, 1, 10, NULL), -1);
}

/* The Empirical Bayes before-after evaluation on the HSM's sample problem
 * (Highway Safety Manual, 1st ed., 2010, Part B, Chapter 9, the EB before/after
 * sample: 13 rural two-lane segments, 5 years before and 2 after; its data as
 * the R package HSM has them, github.com/cn838/HSM, data/X9_10_seg.RData, whose
 * tests assert the book's sums: 122 crashes before, 30 after, the variance
 * terms summing to 11.161). The SPF per year is AADT L 365e-6 e^-0.312 (L in
 * miles; AADT constant within each period), k = 0.236 / L. Every figure below
 * was recomputed independently (Python, from the same data):
 *   site 1: predicted 5 x 2.6364 = 13.1821 before, 2 x 2.6287 after; k = 0.2118;
 *           w = 1 / (1 + 0.2118 x 13.1821) = 0.2637; expected before
 *           0.2637 x 13.1821 + 0.7363 x 16 = 15.2570; r = 0.3988; expected after
 *           6.0849, variance 0.3988^2 x 15.2570 x 0.7363 = 1.7869;
 *   sums: predicted 96.1899 before and 37.0623 after, expected 111.8066 before
 *         and 42.8810 after, variance 11.1616;
 *   OR' = 30 / 42.8810 = 0.699611; V/N^2 = 11.1616 / 42.8810^2 = 0.0060701;
 *   theta = 0.699611 / 1.0060701 = 0.695390: 30.46 % fewer crashes;
 *   Hauer's variance theta^2 (1/30 + 0.0060701) / 1.0060701^2 = 0.018825,
 *   se 0.137204 (13.72 %), z = 30.46 / 13.72 = 2.220, 95 % 0.42647 to 0.96431. */
TEST(ebba_hsm_chapter9_sample)
{
    static const double L[] = { 1.114, 0.88, 0.479, 1.0, 0.459, 0.5, 0.987, 0.71, 0.88, 0.72, 0.78, 1.11, 0.92 };
    static const double aadt_b[] = { 8858, 11190, 11190, 6408, 6402, 6268, 6268, 5503, 5523, 5523, 5523, 5523, 5523 };
    static const double aadt_a[] = { 8832, 11156, 11156, 6388, 6382, 6250, 6250, 5061, 5024, 5024, 5024, 5024, 5024 };
    static const double ob[] = { 16, 6, 4, 16, 1, 5, 17, 12, 8, 3, 9, 9, 16 };
    static const double oa[] = { 2, 2, 2, 1, 1, 1, 9, 0, 0, 0, 5, 6, 1 };
    struct rb_ebba_site s[13];
    for (int i = 0; i < 13; i++) {
        double per_mile_yr = 365e-6 * exp(-0.312);
        s[i] = (struct rb_ebba_site){ .pred_before = 5 * aadt_b[i] * L[i] * per_mile_yr,
                                      .pred_after = 2 * aadt_a[i] * L[i] * per_mile_yr, .k = 0.236 / L[i],
                                      .obs_before = ob[i], .obs_after = oa[i] };
    }
    struct rb_ebba e;
    struct rb_err err = { 0 };
    CHECK_INT(rb_ebba(s, 13, &e, &err), RB_OK);
    CHECK_NEAR(s[0].pred_before, 13.1821, 1e-4);
    CHECK_NEAR(s[0].w, 0.2637, 1e-4);
    CHECK_NEAR(s[0].exp_before, 15.2570, 1e-4);
    CHECK_NEAR(s[0].r, 0.3988, 1e-4);
    CHECK_NEAR(s[0].exp_after, 6.0849, 1e-4);
    CHECK_NEAR(s[0].var_after, 1.7869, 1e-4);
    CHECK_NEAR(s[12].exp_before, 12.6393, 1e-4);    /* site 13: w 0.3648, r 0.3639 */
    CHECK_NEAR(s[12].var_after, 1.0629, 1e-4);
    CHECK_NEAR(e.obs_before, 122, 0);
    CHECK_NEAR(e.obs_after, 30, 0);
    CHECK_NEAR(e.var_after, 11.161, 1e-3);           /* the book's, as the R package asserts it */
    CHECK_NEAR(e.pred_before, 96.1899, 1e-4);
    CHECK_NEAR(e.exp_before, 111.8066, 1e-4);
    CHECK_NEAR(e.pred_after, 37.0623, 1e-4);
    CHECK_NEAR(e.exp_after, 42.8810, 1e-4);
    CHECK_NEAR(e.or_naive, 0.699611, 1e-6);
    CHECK_NEAR(e.theta, 0.695390, 1e-6);
    CHECK_NEAR(e.effect_pct, 30.461, 1e-3);
    CHECK_NEAR(e.var_theta, 0.018825, 1e-6);
    CHECK_NEAR(e.se_effect_pct, 13.720, 1e-3);
    CHECK_NEAR(e.z, 2.220, 1e-3);
    CHECK_NEAR(e.ci_low, 0.42647, 1e-5);
    CHECK_NEAR(e.ci_high, 0.96431, 1e-5);
    /* nothing observed after: no estimate, and the message says why */
    for (int i = 0; i < 13; i++)
        s[i].obs_after = 0;
    CHECK_INT(rb_ebba(s, 13, &e, &err), RB_EINVAL);
    CHECK(strstr(err.msg, "no crash was observed after the treatment (13 sites, 42.9 expected") != NULL);
    s[5].obs_before = 2.5;                           /* a count is whole */
    CHECK_INT(rb_ebba(s, 13, &e, &err), RB_EINVAL);
    CHECK(strstr(err.msg, "treated site 6:") != NULL);
    s[5].obs_before = 5;
    s[3].pred_before = 0;
    CHECK_INT(rb_ebba(s, 13, &e, &err), RB_EINVAL);
    CHECK(strstr(err.msg, "treated site 4: predicted 0 before") != NULL);
}

RUN_TESTS(T(betainc_against_binomial_sums), T(method_of_moments_by_hand), T(loss_boundaries_by_hand),
          T(beta_model_by_hand), T(peak_searching_hsm_segment_b), T(ebba_hsm_chapter9_sample))
