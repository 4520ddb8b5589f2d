/* Population measures of network screening: incomplete beta against brute
 * force, method of moments, LOSS and the beta model by hand, peak searching
 * against the HSM's published example. */
#include "tcheck.h"
#include "screen/measures.h"

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

RUN_TESTS(T(betainc_against_binomial_sums), T(method_of_moments_by_hand), T(loss_boundaries_by_hand),
          T(beta_model_by_hand), T(peak_searching_hsm_segment_b))
