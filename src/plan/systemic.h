/* plan/systemic: systemic safety — where the next focus crashes (run-off-road,
 * head-on, ...) are likely, from the road's risk factors rather than its own
 * crash record, which on rural roads is too sparse to point at most of them
 * (FHWA, Systemic Safety Project Selection Tool, FHWA-SA-13-019, 2013). Each
 * factor's levels are weighted by the agency's own focus crashes: the level's
 * share of them over its share of the facility's length, the tool's
 * comparison of crash and length proportions. A segment's score is the
 * product of its levels' ratios: its risk relative to the facility's average,
 * the factors taken as independent. */
#ifndef RB_PLAN_SYSTEMIC_H
#define RB_PLAN_SYSTEMIC_H

#include <stddef.h>
#include <stdint.h>

enum rb_sys_factor {
    RB_SYS_CURVE,           /* the sharpest bend's radius: none, 600-1000 m, 300-600 m, under 300 m */
    RB_SYS_CURVE_CHANGE,    /* the sharpest bend against the one before: no bend, like it, 1.5 times sharper
                               or more (a bend after 1 km of straight counts as sharper) */
    RB_SYS_CURVE_DENSITY,   /* bends (radius under 1000 m) a km: none, up to 1, more */
    RB_SYS_SHOULDER,        /* paved shoulder: 2 m or more, 1-2 m, under 1 m */
    RB_SYS_AADT,            /* under 2000, 2000-4999, 5000-9999, 10000 or more */
    RB_SYS_SPEED,           /* speed limit: 60 km/h or less, 61-90, over 90 */
    RB_SYS_JUNCTIONS,       /* junctions (three legs or more) at its ends a km: none, up to 1, more */
    RB_SYS_LIGHTING,        /* lit, not lit */
    RB_SYS_NF
};
#define RB_SYS_MAXLEVELS 4

/* "curve", "curve_change", ...; a level's label ("under 300 m"); NULL out of range */
extern const char *const rb_sys_factor_names[RB_SYS_NF];
const char *rb_sys_level_name(int factor, int level);

/* Levels from values (-1: not known, the factor left out for the segment). */
int rb_sys_curve_level(double min_radius_m);               /* INFINITY: no bend */
int rb_sys_change_level(double radius_m, double prev_radius_m);   /* radius INFINITY: no bend */
int rb_sys_per_km_level(double count, double length_m);
int rb_sys_shoulder_level(double shoulder_m);
int rb_sys_aadt_level(double aadt);
int rb_sys_speed_level(double speed_kmh);
int rb_sys_lit_level(int lit);                              /* 1 lit, 0 not, -1 not known */

struct rb_sys_seg {
    double length_m;
    int8_t level[RB_SYS_NF];
    uint32_t focus;            /* its focus crashes */
};

struct rb_sys_level {
    double km;
    uint32_t crashes;
    double crash_share, length_share;
    double ratio;              /* crash share over length share, the crash share with one crash more
                                  spread by length ((crashes + length share) / (focus crashes + 1)), so
                                  that a level without evidence stays near 1; 1 for a level with no
                                  length */
};
struct rb_sys_weights {
    struct rb_sys_level lv[RB_SYS_NF][RB_SYS_MAXLEVELS];
    int nlevels[RB_SYS_NF];    /* levels with some length */
    double km;
    uint32_t crashes;
};

/* A systemic programme as the summary and the report tell it. */
struct rb_sys_summary {
    const char *cm_id, *cm_source;
    double cmf;
    size_t n;                  /* segments of the focus facility (where it applies) */
    double facility_km;
    uint32_t focus_crashes;    /* on them */
    size_t chosen, chosen_no_history, in_plan, over_budget, below_average, not_laid;
    size_t present;            /* already there (existing assets) */
    size_t sites;              /* the chosen laid out as this many stretches (neighbours joined) */
    double laid_km;            /* strips and lines laid */
    size_t works0;             /* its work orders follow the plan's: works[works0 ..) */
    double km, cost, budget;   /* budget NaN: none */
    double avoided_per_yr;     /* target crashes avoided a year by the chosen (0: not known) */
    const struct rb_sys_weights *w;
};

/* The levels' weights over the facility's segments. */
void rb_sys_weigh(const struct rb_sys_seg *s, size_t n, struct rb_sys_weights *w);
/* A segment's score: the product of its known levels' ratios. */
double rb_sys_score(const struct rb_sys_weights *w, const struct rb_sys_seg *s);
/* The scores divided by their length-weighted mean over the segments (those
 * with use[i] nonzero; use NULL: all), so that 1 is their average risk (in
 * place, every score). */
void rb_sys_normalise(const struct rb_sys_seg *s, double *score, size_t n, const uint8_t *use);

#endif
