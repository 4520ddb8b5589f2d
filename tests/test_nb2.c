/* NB2 regression against R's MASS::glm.nb, and the CURE plot. */
#include "tcheck.h"
#include "screen/nb2.h"

/* Washington HSIS rural segments 2016-2018 (../shared/data/washington): 1,501
 * site-years. Columns used: Total_crashes (4), lnaadt (5), lnlength (6),
 * speed50 (7), ShouldWidth04 (8), counted from 0. */
static size_t read_washington(double **cols, size_t ncols_max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/washington/segments_2016_2018.csv", t_shared());
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    size_t n = 0, cap = 2048;
    for (size_t c = 0; c < ncols_max; c++)
        cols[c] = malloc(cap * sizeof(double));
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return 0;
    }
    while (fgets(line, sizeof line, f) && n < cap) {
        char *save = NULL, *tok = strtok_r(line, ",", &save);
        for (size_t c = 0; tok && c < ncols_max; c++, tok = strtok_r(NULL, ",", &save))
            cols[c][n] = atof(tok[0] == '"' ? tok + 1 : tok);
        n++;
    }
    fclose(f);
    return n;
}

TEST(matches_mass_glm_nb_on_washington)
{
    double *cols[13];
    size_t n = read_washington(cols, 13);
    CHECK_INT(n, 1501);
    if (n != 1501)
        return;
    /* Model 1: Total_crashes ~ lnaadt + lnlength. Reference: R 4.2.2, MASS 7.3-58
     * (Debian 12 r-base-core, r-cran-mass), run once on this file:
     *   m <- glm.nb(Total_crashes ~ lnaadt + lnlength, data = d)
     *   coefficients  -9.212501282466 (0.4507976324965)  1.115947149741 (0.0536343838441)
     *                  0.744079079545 (0.0697032369426)
     *   theta 2.49985619816 (SE 0.579246644336), logLik -1097.96004284, AIC 2203.92008568 */
    double *X = malloc(n * 3 * sizeof *X);
    for (size_t i = 0; i < n; i++) {
        X[3 * i] = 1;
        X[3 * i + 1] = cols[5][i];
        X[3 * i + 2] = cols[6][i];
    }
    struct rb_nb2_fit fit;
    struct rb_err err;
    CHECK_INT(rb_nb2_fit(X, cols[4], NULL, n, 3, &fit, &err), RB_OK);
    CHECK(fit.converged);
    CHECK_NEAR(fit.beta[0], -9.212501282466, 1e-6);
    CHECK_NEAR(fit.beta[1], 1.115947149741, 1e-7);
    CHECK_NEAR(fit.beta[2], 0.744079079545, 1e-7);
    CHECK_NEAR(fit.se[0], 0.4507976324965, 1e-6);
    CHECK_NEAR(fit.se[1], 0.0536343838441, 1e-7);
    CHECK_NEAR(fit.se[2], 0.0697032369426, 1e-7);
    CHECK_NEAR(fit.theta, 2.49985619816, 1e-5);
    CHECK_NEAR(fit.k, 0.400023009618, 1e-6);
    /* MASS takes theta's information one Newton step before its last theta
     * (theta.ml returns sqrt(1/i) from the previous iterate); rumble takes it at
     * the MLE itself: they agree to 4e-5 relative */
    CHECK_NEAR(fit.se_theta, 0.579246644336, 0.579246644336 * 1e-4);
    CHECK_NEAR(fit.loglik, -1097.96004284, 1e-6);
    CHECK_NEAR(fit.aic, 2203.92008568, 1e-5);
    CHECK(fit.loglik > fit.loglik_poisson);    /* overdispersion improves the fit */
    rb_nb2_free(&fit);
    free(X);

    /* Model 2 adds speed50 and ShouldWidth04. Reference (same R run):
     *   -9.094674267106 (0.4474256518346)  1.096676056336 (0.0518525372967)
     *    0.767667558882 (0.0685404590675) -0.422607571952 (0.1102502509852)
     *    0.371934940288 (0.0905270778767)
     *   theta 3.33363882666 (SE 0.911389194789), logLik -1076.64232949, AIC 2165.28465899 */
    X = malloc(n * 5 * sizeof *X);
    for (size_t i = 0; i < n; i++) {
        X[5 * i] = 1;
        X[5 * i + 1] = cols[5][i];
        X[5 * i + 2] = cols[6][i];
        X[5 * i + 3] = cols[7][i];
        X[5 * i + 4] = cols[8][i];
    }
    CHECK_INT(rb_nb2_fit(X, cols[4], NULL, n, 5, &fit, &err), RB_OK);
    static const double want[5] = { -9.094674267106, 1.096676056336, 0.767667558882,
                                    -0.422607571952, 0.371934940288 };
    static const double want_se[5] = { 0.4474256518346, 0.0518525372967, 0.0685404590675,
                                       0.1102502509852, 0.0905270778767 };
    for (int j = 0; j < 5; j++) {
        CHECK_NEAR(fit.beta[j], want[j], 1e-6);
        CHECK_NEAR(fit.se[j], want_se[j], 1e-6);
    }
    CHECK_NEAR(fit.theta, 3.33363882666, 1e-5);
    CHECK_NEAR(fit.se_theta, 0.911389194789, 0.911389194789 * 1e-4);
    CHECK_NEAR(fit.loglik, -1076.64232949, 1e-6);
    CHECK_NEAR(fit.aic, 2165.28465899, 1e-5);
    rb_nb2_free(&fit);
    free(X);
    for (int c = 0; c < 13; c++)
        free(cols[c]);
}

TEST(offset_equals_fixed_coefficient)
{
    /* With ln(length) as an offset the fit is the model whose length coefficient
     * is fixed at 1: moving ln L from X to the offset must not change the other
     * coefficients' meaning. Check on generated data with known parameters:
     * mu = exp(-7 + 0.9 ln AADT) * L, k = 0.5; 4,000 sites recover them. */
    size_t n = 4000;
    double *X = malloc(n * 2 * sizeof *X), *y = malloc(n * sizeof *y), *off = malloc(n * sizeof *off);
    for (size_t i = 0; i < n; i++) {
        double aadt = 500 + t_rand() * 20000, len = 0.2 + t_rand() * 3;
        double mu = exp(-7 + 0.9 * log(aadt)) * len;
        /* NB2 draw: Poisson with a gamma(1/k, k) multiplier; gamma by sum of exponentials
         * (shape 2 = 1/k, scale 0.5) */
        double g = (-log(t_rand() + 1e-300) - log(t_rand() + 1e-300)) * 0.5;
        double lam = mu * g, L = exp(-lam), pr = 1;
        int k = 0;
        do { k++; pr *= t_rand(); } while (pr > L);
        y[i] = k - 1;
        X[2 * i] = 1;
        X[2 * i + 1] = log(aadt);
        off[i] = log(len);
    }
    struct rb_nb2_fit fit;
    struct rb_err err;
    CHECK_INT(rb_nb2_fit(X, y, off, n, 2, &fit, &err), RB_OK);
    CHECK_NEAR(fit.beta[1], 0.9, 3 * fit.se[1] + 0.01);
    CHECK_NEAR(fit.beta[0], -7, 3 * fit.se[0] + 0.05);
    CHECK_NEAR(fit.k, 0.5, 4 * fit.se_k);
    rb_nb2_free(&fit);
    free(X); free(y); free(off);
}

TEST(rejects_bad_input)
{
    double X[8] = { 1, 0, 1, 1, 1, 2, 1, 3 }, y[4] = { 0, 1, 2.5, 0 };
    struct rb_nb2_fit fit;
    struct rb_err err;
    CHECK_INT(rb_nb2_fit(X, y, NULL, 4, 2, &fit, &err), RB_EINVAL);   /* 2.5 crashes */
    double z[4] = { 0, 0, 0, 0 };
    CHECK_INT(rb_nb2_fit(X, z, NULL, 4, 2, &fit, &err), RB_EINVAL);   /* nothing to fit */
    double Xs[8] = { 1, 2, 1, 2, 1, 2, 1, 2 }, ys[4] = { 1, 0, 3, 1 };
    CHECK_INT(rb_nb2_fit(Xs, ys, NULL, 4, 2, &fit, &err), RB_EINVAL); /* collinear */
}

TEST(cure_by_hand)
{
    /* keys 3 1 2, y 2 0 5, mu 1 1 2: order 1 2 0; residuals -1, 3, 1;
     * cum -1, 2, 3; s2 1, 10, 11; band 2 sqrt(s2 (1 - s2 / 11)):
     * 2 sqrt(10/11) = 1.906925, 2 sqrt(10/11) = 1.906925, 0 */
    double key[3] = { 3, 1, 2 }, y[3] = { 2, 0, 5 }, mu[3] = { 1, 1, 2 }, cum[3], band[3];
    size_t order[3];
    struct rb_err err;
    CHECK_INT(rb_cure(key, y, mu, 3, order, cum, band, &err), RB_OK);
    CHECK_INT(order[0], 1);
    CHECK_INT(order[2], 0);
    CHECK_NEAR(cum[0], -1, 0);
    CHECK_NEAR(cum[2], 3, 0);
    CHECK_NEAR(band[0], 2 * sqrt(10.0 / 11), 1e-12);
    CHECK_NEAR(band[1], 2 * sqrt(10.0 / 11), 1e-12);
    CHECK_NEAR(band[2], 0, 1e-12);
}

RUN_TESTS(T(matches_mass_glm_nb_on_washington), T(offset_equals_fixed_coefficient), T(rejects_bad_input),
          T(cure_by_hand))
