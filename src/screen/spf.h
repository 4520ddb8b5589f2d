/* screen/spf: safety performance functions (the JSON files in data/spf, read
 * and written with cJSON in screen/spf_file.c), the predicted crash frequency
 * they give, and the Empirical Bayes estimate that combines it with the
 * crashes observed. */
#ifndef RB_SPF_H
#define RB_SPF_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"

#define RB_SPF_MAXTERMS 32
#define RB_SPF_MAXCOMP 8
#define RB_SPF_COMPTERMS 8

/* One component of an SPF that sums several (the HSM's Chapter 12 models:
 * multiple-vehicle non-driveway, single-vehicle, driveway-related, pedestrian
 * and bicycle crashes, each its own function of the site). */
enum rb_spf_comp_kind {
    RB_COMP_TERMS,          /* exp(sum coef_j x var_j), as a plain SPF */
    RB_COMP_DRIVEWAYS,      /* sum_j n_j x coef_j x (AADT / aadt_ref)^t, n_j the site's driveways of type var_j
                               (the attribute unit_length_share, when the site gives it, times its unit's) */
    RB_COMP_FACTOR          /* a share of the TERMS and DRIVEWAYS components' sum: low where the speed
                               limit is at most speed_max_kmh, else high */
};
struct rb_spf_comp {
    char id[32];
    int kind;
    size_t nterms;
    char var[RB_SPF_COMPTERMS][64];
    double coef[RB_SPF_COMPTERMS];
    double fi[RB_SPF_COMPTERMS], pdo[RB_SPF_COMPTERMS];   /* TERMS: the FI and PDO SPFs that split it (NaN none) */
    double dflt[RB_SPF_COMPTERMS];  /* a variable's value where the site has none (NaN: none, no prediction) */
    double t, aadt_ref;             /* DRIVEWAYS */
    double k;                       /* overdispersion, constant (NaN: none, a FACTOR) */
    double fi_share;                /* a constant share of fatal and injury crashes (NaN: from fi/pdo, else none) */
    double speed_max_kmh, low, high;    /* FACTOR; speed_max_kmh NaN: low everywhere */
    int assume_high;                /* FACTOR: where the speed limit is not known, take high */
    int own_cmfs_only;              /* 1: the site's CMFs do not apply to it, only its own (the HSM's
                                       signalised pedestrian model) */
};

/* N_pred per year = calibration x scale x exp(sum coef_j x var_j), where var is
 * "const" (1), "ln_aadt", "ln_length" (length in length_unit), "aadt",
 * "length", a site attribute of that name, or "ln_" and one (its log).
 * Overdispersion k is constant, or k / length (length_unit) for the HSM's
 * segment SPFs (Chapter 11's 1 / exp(c + ln L) is exp(-c) / L).
 * An SPF with components (ncomp > 0) is instead the sum of them, times
 * calibration and scale; its k for a site is the one of the sum (rb_spf_eval).
 * Either is then multiplied by its CMFs and its calibration function. */
/* A crash modification factor for actual conditions (the HSM's Part C
 * CMFs): the prediction at base conditions times each CMF of the site's
 * attributes. x is the attribute var (metres and the like) divided by
 * unit (to the book's feet, miles ...), its absolute value when abs. A site
 * that does not give var is at base conditions: CMF 1, counted. */
#define RB_SPF_MAXCMF 16
#define RB_CMF_MAXROWS 12
#define RB_CMF_MAXPIECES 8
enum rb_cmf_kind {
    RB_CMF_TABLE,           /* a row by bins of x (x < below[i], or x <= at_most[i]), each row
                               piecewise linear in AADT or in x: v + slope (t - from) on t > from */
    RB_CMF_EXP,             /* exp(c (x - base)) */
    RB_CMF_RATIO,           /* c x / (d + c x) + 1 */
    RB_CMF_FLAG,            /* value where x is true (not 0) */
    RB_CMF_POWER,           /* value ^ min(x, max_n) */
    RB_CMF_CURVE,           /* max(1, (a Lc + b / R - c S) / (a Lc)), Lc = x at least min_length, R = var2
                               (unit2) at least min_radius, S = var3 (0, 0.5, 1; not given 0) */
    RB_CMF_DRIVEWAYS,       /* (a + x (b - c ln AADT)) / (a + base (b - c ln AADT)); 1 where x < base */
    RB_CMF_TWLTL,           /* where x is true and the driveway density var2 (unit2) is at least
                               base: 1 - r p_lt p_dwy, p_dwy = (b D + c D^2) / (a + b D + c D^2) */
    RB_CMF_FIXED_OBJECTS,   /* max(1, f(offset) x D x a + 1 - a): D = x fixed objects a length, the
                               offset var2 (unit2), f its one row's pieces over the offset, a = p_fo */
    RB_CMF_PARKING          /* 1 + share x x (f - 1): x the share of the curb with parking, f the row
                               (parallel, parallel commercial, angle, angle commercial) that var2
                               (angle parking, yes/no) and var3 (commercial land use, yes/no; not
                               given: no) pick, share the HSM's 0.5 */
};
struct rb_cmf_piece {
    double from, value, slope;      /* from -INFINITY: the first piece */
};
struct rb_spf_cmf {
    char id[32];
    int kind;
    char var[64], var2[64], var3[64];
    double unit, unit2;
    int abs, at_most, of_x;         /* TABLE: bins by at_most, pieces in x (else AADT) */
    double share;                   /* CMF = (c - 1) share + 1 (the HSM's p_ra); NaN: c */
    size_t nbins;
    double bound[RB_CMF_MAXROWS - 1];
    size_t npieces[RB_CMF_MAXROWS];
    struct rb_cmf_piece piece[RB_CMF_MAXROWS][RB_CMF_MAXPIECES];
    double a, b, c, d, base, r, p_lt, value, max_n, min_length, min_radius;
    double round;                   /* x rounded to a multiple of this (the book's unit) first, NaN not */
    int ix[3];                      /* var, var2, var3 in a site's row (rb_spf_resolve): -1 never
                                       given, -2 not resolved (asked of attr by name) */
    int comp;                       /* -1: the site's CMF, on every component that takes them;
                                       else only on that component (the HSM's pedestrian CMFs) */
    char comp_id[32];               /* that component's id, as the file names it ("" none) */
};

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
    int base_area;            /* base conditions: 0 rural roads only, 1 urban only, -1 either
                                 (base_conditions.area "rural", "urban") */
    double base_lanes_max;    /* base conditions: at most this many lanes (INFINITY when not said) */
    double base_lanes_min;    /* ... at least this many (0 when not said) */
    int base_divided;         /* ... 1 divided roads only, 0 undivided only, -1 either */
    int base_legs;            /* intersections: this many legs (0 any) */
    int base_control;         /* intersections: 0 stop-controlled, 1 signalised, -1 any */
    double fi_share;          /* share of fatal and injury crashes in the prediction, NaN unknown */
    size_t ncomp;
    struct rb_spf_comp comp[RB_SPF_MAXCOMP];
    size_t ncmf;              /* CMFs for actual conditions, multiplying the whole prediction */
    struct rb_spf_cmf cmf[RB_SPF_MAXCMF];
    /* a plain SPF's fatal-and-injury model (Chapter 11's KABC SPFs): FI =
     * exp(sum fi_coef_j x fi_var_j) with the SPF's scale, calibration and
     * CMFs, at most the total; nfi 0: fi_share, else none */
    size_t nfi;
    char fi_var[4][64];
    double fi_coef[4];
    /* a calibration function (HSM Part C, Appendix A's alternative to one C):
     * the prediction times exp(sum cal_coef_j x cal_var_j), e.g. e^a AADT^b */
    size_t ncal;
    char cal_var[4][64];
    double cal_coef[4];
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
    const double *row;        /* the site's attribute values in the order rb_spf_resolve was given
                                 them (NULL: none), for the CMFs resolved to them */
};
/* Resolves the SPF's CMF variables to their places among the n names a
 * site's row will give (not among them: never given, base conditions),
 * so that a CMF reads site->row rather than asking attr by name. */
void rb_spf_resolve(struct rb_spf *spf, const char *const *names, size_t n);

/* Predicted crashes per year (calibration included); NaN when a variable is
 * missing or AADT/length is not positive where the SPF takes its log. */
double rb_spf_predict(const struct rb_spf *spf, const struct rb_spf_site *site);

/* A prediction in full: the total (rb_spf_predict's), its fatal-and-injury
 * part (NaN when the SPF does not split it), each component's crashes (a
 * component SPF's, calibration included), and how many times a variable
 * the site does not give was taken at the SPF's default for it. */
struct rb_spf_pred {
    double n, fi;
    double comp[RB_SPF_MAXCOMP];
    int defaults;
    double cmf;                 /* the product of the site's CMFs (1 at base conditions) */
    uint32_t cmf_base;          /* bit i: CMF i's attribute not given, taken at base conditions */
};
/* One CMF at the site (1 with *base set when its attribute is not given). */
double rb_spf_cmf_value(const struct rb_spf_cmf *m, const struct rb_spf_site *site, int *base);
void rb_spf_eval(const struct rb_spf *spf, const struct rb_spf_site *site, struct rb_spf_pred *p);
/* The SPF's overdispersion for the site (k / L for per-length forms). For an
 * SPF of components, comp holds each component's predicted crashes (summed
 * over the years of a period, or one year's): the sum of independent
 * gamma-distributed means, each with its own k, has variance sum k_i mu_i^2,
 * so its k is sum k_i mu_i'^2 / (sum of all components)^2, where mu_i' is
 * component i with the FACTORs after it that scale it (a FACTOR has no
 * dispersion of its own: it moves with what it scales). NULL comp: a plain
 * SPF's. */
double rb_spf_k_of(const struct rb_spf *spf, const double *comp, double length_m);
/* rb_spf_k_of without components: NaN for an SPF of components. */
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
