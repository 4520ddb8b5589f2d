/* screen/spf: safety performance functions (the JSON files in data/spf, read
 * and written with cJSON in screen/spf_file.c), the predicted crash frequency
 * they give, and the Empirical Bayes estimate that combines it with the
 * crashes observed. */
#ifndef RB_SPF_H
#define RB_SPF_H

#include <stddef.h>
#include "core/core.h"

#define RB_SPF_MAXTERMS 32

/* N_pred per year = calibration x scale x exp(sum coef_j x var_j), where var is
 * "const" (1), "ln_aadt", "ln_length" (length in length_unit), "aadt",
 * "length", or a site attribute of that name. Overdispersion k is constant, or
 * k / length (length_unit) for the HSM's segment SPFs (Chapter 11's
 * 1 / exp(c + ln L) is exp(-c) / L). */
struct rb_spf {
    char id[64];
    char name[160];
    char source[256];
    char site_type[32];       /* "segment" or "intersection" */
    char length_unit[8];      /* "m", "km" or "mi" */
    double scale;             /* multiplier in front of exp() (1 when none) */
    double calibration;       /* C, HSM Part C Appendix A (1 when not calibrated) */
    size_t nterms;
    char var[RB_SPF_MAXTERMS][64];
    double coef[RB_SPF_MAXTERMS];
    double se[RB_SPF_MAXTERMS];   /* NaN when not known */
    int k_per_length;         /* 1: k = k_value / L; 0: k = k_value */
    double k_value;
    double aadt_min, aadt_max;    /* validity range (0, INFINITY when none) */
    int base_rural;           /* base conditions: rural roads only (base_conditions.area "rural") */
    double base_lanes_max;    /* base conditions: at most this many lanes (INFINITY when not said) */
    double base_lanes_min;    /* ... at least this many (0 when not said) */
    int base_divided;         /* ... 1 divided roads only, 0 undivided only, -1 either */
    int base_legs;            /* intersections: this many legs (0 any) */
    int base_control;         /* intersections: 0 stop-controlled, 1 signalised, -1 any */
    double fi_share;          /* share of fatal and injury crashes in the prediction, NaN unknown */
};

int rb_spf_read(const char *path, struct rb_spf *spf, struct rb_err *err);

/* A set of SPFs, one for each site type: {"id", "name", "members": [ids of
 * the SPF files beside it, all of one site type], "fallback": one of them
 * (optional)}. A site takes the first member whose base conditions it meets,
 * else the fallback, else none. */
struct rb_spf_set {
    char id[64];
    int is_set;               /* 0: the file was one SPF (n 1) */
    size_t n, fallback;       /* fallback SIZE_MAX: none */
    struct rb_spf *spf;       /* n of them, owned (rb_free) */
};
/* Reads an SPF file as a set: a set's members, or the one SPF as a set of one. */
int rb_spf_set_read(const char *path, struct rb_spf_set *set, struct rb_err *err);
/* Writes an SPF file; extra (may be NULL) is a JSON object text merged in as "fit". */
int rb_spf_write(const char *path, const struct rb_spf *spf, const char *fit_json, struct rb_err *err);

/* A site as an SPF sees it. attr(name, ud) gives any other variable an SPF
 * names (NaN when the site has none). */
struct rb_spf_site {
    double aadt;
    double length_m;
    double (*attr)(const char *name, void *ud);
    void *ud;
};

/* Predicted crashes per year (calibration included); NaN when a variable is
 * missing or AADT/length is not positive where the SPF takes its log. */
double rb_spf_predict(const struct rb_spf *spf, const struct rb_spf_site *site);
/* The SPF's overdispersion for the site (k / L for per-length forms). */
double rb_spf_k(const struct rb_spf *spf, double length_m);
/* Metres in one length unit of the SPF ("mi": 1609.344, "km": 1000, "m": 1). */
double rb_spf_unit_m(const struct rb_spf *spf);

struct rb_eb {
    double w;                  /* weight of the prediction, 1 / (1 + k sum N_pred) */
    double expected_per_yr;    /* mean over the period of the yearly EB estimates */
    double expected_last_yr;   /* the estimate for the last year */
    double predicted_per_yr;   /* mean of N_pred over the period */
    double excess_per_yr;      /* expected_per_yr - predicted_per_yr */
    double var_per_yr;         /* (1 - w) x expected_per_yr (HSM) */
};

/* EB over n years with yearly predictions pred[y] and the total observed
 * count, by the HSM's multi-year form (Part B, Appendix 4A): C_y = N_pred,y /
 * N_pred,1; N_exp,1 = w N_pred,1 + (1 - w) N_obs / sum C_y; N_exp,y = N_exp,1 C_y. */
struct rb_eb rb_eb_estimate(const double *pred, int n, double n_obs, double k);

#endif
