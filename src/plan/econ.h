/* plan/econ: whether a countermeasure's conditions hold for a road, and the
 * economic appraisal of countermeasures at a site (HSM Part B, Chapters 6–8):
 * crashes avoided year by year, present values, benefit-cost ratio, and the
 * HSM's incremental benefit-cost ranking. */
#ifndef RB_PLAN_ECON_H
#define RB_PLAN_ECON_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "plan/catalogue.h"
#include "plan/diag.h"

/* ---- the site as the catalogue's conditions see it ---------------------------- */

struct rb_plan_road {
    int is_intersection;
    int area;                    /* -1 unknown, 0 rural, 1 urban */
    double speed_kmh, aadt;      /* NaN unknown */
    double shoulder_m;           /* paved shoulder width, NaN unknown */
    int lanes;                   /* 0 unknown */
    int divided;                 /* -1 unknown */
    int curve;                   /* -1 unknown, 0 no, 1 yes */
    uint64_t present;            /* bit k: catalogue entry k is already there (existing assets, lit road) */
};

/* 1 when the countermeasure's conditions hold for the road, 0 when one fails;
 * an unknown attribute passes its condition (and *unknown is set so the
 * plan can say so), except a curve, which must be known. */
int rb_cm_applies(const struct rb_cm *cm, const struct rb_plan_road *road, int *unknown);

/* ---- economic appraisal ----------------------------------------------------------- */

struct rb_econ {
    double discount_rate;            /* a year, e.g. 0.04 */
    double cost_per_crash[5];        /* K A B C O, in the catalogue's currency */
    int best_only;                   /* overlapping effects: 0 multiply CMFs, 1 the smallest CMF alone */
    double period_yr;                /* the analysis period every alternative is compared over, each
                                        countermeasure renewed at the end of its life and its unexpired
                                        part counted back (0: each set over its longest life, none renewed) */
};

/* Present value of 1 a year at the end of each of n years: (1 − (1 + i)^−n) / i (n when i is 0). */
double rb_pv_annuity(double rate, double years);

/* Quantity of a countermeasure at a stretch of length_m (km for per-km units,
 * items for per-item units, 1 per site), with the layout's whole units. */
double rb_cm_quantity(const struct rb_cm *cm, double length_m, double curve_length_m);

struct rb_appraisal {
    double cmf;                      /* combined, over the crashes it acts on (1 when none) */
    double expected_per_yr;          /* the site's expected crashes a year it started from */
    double target_per_yr;            /* of them, those some countermeasure acts on, in its zone */
    double avoided_per_yr;           /* in the first year (every countermeasure in service) */
    double avoided_sev_per_yr[5];    /* K A B C O */
    double ksi_avoided_per_yr;       /* K + A */
    double benefit_per_yr;           /* money, first year */
    double pv_benefit, pv_cost, npv, bcr;
    double cost_per_ksi;             /* pv_cost / KSI avoided over the life; NaN when none */
    double install_cost;             /* first cost alone */
    double life_yr;                  /* the longest service life in the set */
    double period_yr;                /* the years counted: the analysis period, else life_yr */
    double pv_avoided_sev[5];        /* crashes avoided over the life by severity K..O, discounted:
                                        pv_benefit is their sum priced by severity */
    /* the 95 % range from the CMFs' standard errors (each CMF at CMF ± 1.96 SE,
     * all at the same end): NaN when some CMF has no published SE */
    double avoided_low_per_yr, avoided_high_per_yr, bcr_low, bcr_high;
};

/* Appraises countermeasures cms[0..ncm) (with quantities qty) together at a
 * site whose crashes are c[0..n) and whose expected crashes a year (EB where
 * available, else observed) is expected_per_yr. Each crash stands for
 * expected_per_yr / n crashes a year of its kind. Year by year over the
 * longest life, each crash's CMF is the product (or the smallest) over the
 * countermeasures still in service that target it and act where it happened:
 * share[k][i] (share NULL, or share[k] NULL: all 1) is the part of crash i in
 * countermeasure k's zone of influence (rb_layout_shares), and its CMF acts
 * there as 1 − share·(1 − CMF). */
void rb_appraise(const struct rb_cm *const *cms, const double *qty, const double *const *share, size_t ncm,
                 const struct rb_plan_crash *c, size_t n, double expected_per_yr, const struct rb_econ *e,
                 struct rb_appraisal *out);

/* The 95 % range of a's crashes avoided and BCR when every countermeasure's
 * CMF has a standard error (rb_cm.cmf_se): the appraisal again with every CMF
 * at CMF + 1.96 SE (low) and at CMF − 1.96 SE, not below 0 (high). Else the
 * range is NaN. */
void rb_appraise_range(const struct rb_cm *const *cms, const double *qty, const double *const *share, size_t ncm,
                       const struct rb_plan_crash *c, size_t n, double expected_per_yr, const struct rb_econ *e,
                       struct rb_appraisal *a);

/* The HSM's incremental benefit-cost ranking (Part B, Chapter 8): the
 * projects whose BCR exceeds 1, by cost; the cheapest meets the next dearer,
 * which wins when (B2 − B1) / (C2 − C1) > 1; the winner meets the next, and
 * the last winner is ranked first; the rest are ranked again without it.
 * rank[i] is 1, 2, ... for those ranked and 0 for the rest (BCR <= 1). */
int rb_incremental_rank(const double *benefit, const double *cost, size_t n, int *rank);

#endif
