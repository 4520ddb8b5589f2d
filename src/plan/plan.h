/* plan: what to build where. Diagnosis of a site's crash pattern against its
 * reference population, the countermeasures the pattern and the road call for,
 * their economic appraisal (HSM Part B, Chapters 6–8), and the exact choice
 * under a budget. Reads plain arrays; no GDAL, no JSON here. */
#ifndef RB_PLAN_H
#define RB_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "io/io.h"
#include "net/net.h"
#include "net/route.h"
#include "screen/sites.h"
#include "index/index.h"
#include "screen/junctions.h"

/* ---- crashes as diagnosis and appraisal see them --------------------------- */

struct rb_plan_crash {
    uint8_t type, sev, light, surface;   /* enum rb_crash_type, rb_severity, rb_light, rb_surface */
    uint32_t pop;                        /* the reference population of its segment (0: the one) */
};

/* 1 when the crash falls in the pattern's every set. */
static inline int rb_pattern_has(const struct rb_pattern *p, const struct rb_plan_crash *c)
{
    return c->sev <= RB_SEV_O && (p->types >> c->type & 1u) && (p->sevs >> c->sev & 1u) &&
           (p->lights >> c->light & 1u) && (p->surfaces >> c->surface & 1u);
}

/* ---- diagnosis ------------------------------------------------------------------ */

/* The exact binomial upper tail P(X >= x) for X ~ Binomial(n, p). */
double rb_binom_upper(unsigned x, unsigned n, double p);

struct rb_diag {
    unsigned n_site, x_site;     /* the site's crashes, and those in the pattern */
    unsigned n_ref, x_ref;       /* the same in the reference population */
    double share, ref_share;     /* x/n of each */
    double p_value;              /* P(X >= x_site) with X ~ Bin(n_site, ref_share); 1 when x_site is 0 */
};

/* Compares a site's share of the pattern with the reference population's. */
void rb_diagnose(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site,
                 const struct rb_plan_crash *ref, size_t n_ref, struct rb_diag *out);

/* The crashes of known severity in c[0..n) (*of) and those in the pattern (*x). */
void rb_pattern_count(const struct rb_pattern *pat, const struct rb_plan_crash *c, size_t n, unsigned *x,
                      unsigned *of);
/* The same test against reference counts already made (x_ref of n_ref in the pattern). */
void rb_diagnose_vs(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site, unsigned x_ref,
                    unsigned n_ref, struct rb_diag *out);

/* ---- the site as the catalogue's conditions see it ---------------------------- */

struct rb_plan_road {
    int is_intersection;
    int area;                    /* -1 unknown, 0 rural, 1 urban */
    double speed_kmh, aadt;      /* NaN unknown */
    double shoulder_m;           /* paved shoulder width, NaN unknown */
    int lanes;                   /* 0 unknown */
    int divided;                 /* -1 unknown */
    int curve;                   /* -1 unknown, 0 no, 1 yes */
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
};

/* Present value of 1 a year at the end of each of n years: (1 − (1 + i)^−n) / i (n when i is 0). */
double rb_pv_annuity(double rate, double years);

/* Quantity of a countermeasure at a stretch of length_m (km for per-km units,
 * items for per-item units, 1 per site), with the layout's whole units. */
double rb_cm_quantity(const struct rb_cm *cm, double length_m, double curve_length_m);

struct rb_appraisal {
    double cmf;                      /* combined, over the crashes it acts on (1 when none) */
    double expected_per_yr;          /* the site's expected crashes a year it started from */
    double target_per_yr;            /* of them, those some countermeasure acts on */
    double avoided_per_yr;           /* in the first year (every countermeasure in service) */
    double avoided_sev_per_yr[5];    /* K A B C O */
    double ksi_avoided_per_yr;       /* K + A */
    double benefit_per_yr;           /* money, first year */
    double pv_benefit, pv_cost, npv, bcr;
    double cost_per_ksi;             /* pv_cost / KSI avoided over the life; NaN when none */
    double install_cost;             /* first cost alone */
    double life_yr;                  /* the longest service life in the set */
};

/* Appraises countermeasures cms[0..ncm) (with quantities qty) together at a
 * site whose crashes are c[0..n) and whose expected crashes a year (EB where
 * available, else observed) is expected_per_yr. Each crash stands for
 * expected_per_yr / n crashes a year of its kind. Year by year over the
 * longest life, each crash's CMF is the product (or the smallest) over the
 * countermeasures still in service that target it. cover[k] (NULL: all 1) is
 * the share of the site countermeasure k covers: its CMF acts as
 * 1 − cover·(1 − CMF), the expectation for crashes spread along the site. */
void rb_appraise(const struct rb_cm *const *cms, const double *qty, const double *cover, size_t ncm,
                 const struct rb_plan_crash *c, size_t n, double expected_per_yr, const struct rb_econ *e,
                 struct rb_appraisal *out);

/* The HSM's incremental benefit-cost ranking (Part B, Chapter 8): the
 * projects whose BCR exceeds 1, by cost; the cheapest meets the next dearer,
 * which wins when (B2 − B1) / (C2 − C1) > 1; the winner meets the next, and
 * the last winner is ranked first; the rest are ranked again without it.
 * rank[i] is 1, 2, ... for those ranked and 0 for the rest (BCR <= 1). */
int rb_incremental_rank(const double *benefit, const double *cost, size_t n, int *rank);

/* A value and its index, and qsort's order for them: value descending, then
 * index ascending (a fixed order for ties). */
struct rb_ranked {
    double key;
    size_t i;
};
int rb_ranked_cmp(const void *a, const void *b);

/* ---- the budget choice (multiple-choice knapsack) ---------------------------------- */

#define RB_MCKP_MAX_ITEMS 32
#define RB_MCKP_MAX_YEARS 10

struct rb_mckp {
    size_t ngroups;              /* sites */
    const size_t *first;         /* group g's items: first[g] .. first[g+1]-1 (alternatives) */
    const double *cost, *value;  /* by item; value > 0 to be worth choosing */
};

struct rb_mckp_result {
    double value, cost;          /* of the choice */
    double lp_bound;             /* the LP relaxation: no choice is worth more */
    size_t core;                 /* sites left open after reduced-cost fixing */
    size_t states;               /* Pareto states the dynamic programme kept */
};

/* The exact choice: at most one item per group (choice[g] = item index, or −1),
 * total cost within budget (compared in hundredths), total value greatest. */
int rb_mckp_solve(const struct rb_mckp *p, double budget, long *choice, struct rb_mckp_result *res,
                  struct rb_err *err);
/* The usual greedy choice, for comparison: items by value per unit of cost,
 * each taken if its group has none yet and it still fits. */
int rb_mckp_greedy(const struct rb_mckp *p, double budget, long *choice, struct rb_mckp_result *res,
                   struct rb_err *err);

/* Several yearly budgets: each group takes at most one (item, year); built in
 * year t (1-based) an item costs its price out of that year's budget (carry:
 * out of the budgets so far less what was spent before) and is worth its
 * value × (1 + rate)^−(t−1). Exact; year[g] is 1.. for the chosen, 0 none.
 * greedy gets what options by value per cost, each where it fits, would get. */
int rb_mckp_solve_years(const struct rb_mckp *p, const double *budget, size_t ny, double rate, int carry,
                        long *choice, int *year, struct rb_mckp_result *res, struct rb_mckp_result *greedy,
                        struct rb_err *err);

/* ---- curves from geometry ------------------------------------------------------------ */

/* Scans a polyline (metric coordinates) for curvature: at every step_m along
 * it, the radius of the circle through the points half_m before and after.
 * Gives the smallest radius (INFINITY on a straight) and the length along
 * which the radius is below max_radius_m. */
void rb_curve_scan(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                   double *min_radius_m, double *curve_len_m);

/* The bends of the same scan: stretches (positions along the polyline) where
 * the radius stays below max_radius_m turning one way (turn +1 left, -1 right
 * of the polyline's direction), each with its smallest radius. Writes up to
 * cap runs and returns how many there are. */
struct rb_curve_run {
    double from_m, to_m, min_radius_m;
    int turn;
};
size_t rb_curve_runs(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                     struct rb_curve_run *runs, size_t cap, double *min_radius_m, double *curve_len_m);

/* ---- sites, alternatives and the plan ---------------------------------------------- */

struct rb_plan_site {
    uint32_t route;
    double from_m, to_m;
    struct rb_plan_road road;
    double expected_per_yr;          /* EB where there is an SPF, else observed */
    int eb;                          /* 1 when expected_per_yr is EB */
    double curve_len_m, min_radius_m;
    size_t c0, nc;                   /* its crashes: crash[c0 .. c0 + nc) */
    uint32_t pop;                    /* its reference population (its main segment's) */
    long junction;                   /* an intersection site: its junction; -1 a stretch */
};

enum rb_objective { RB_OBJ_NPV, RB_OBJ_CRASHES };

struct rb_layout_ctx;

struct rb_plan_opt {
    double alpha;                    /* a pattern is over-represented when p <= alpha (0.05) ... */
    unsigned min_pattern;            /* ... and at least this many crashes show it (2) */
    struct rb_econ econ;
    int objective;                   /* what the budget choice maximises */
    const struct rb_layout_ctx *layout;  /* quantities from the work-order layout (NULL: from the length) */
};

struct rb_plan_alt {
    size_t site;
    uint64_t cms;                    /* bit k: catalogue entry k */
    struct rb_appraisal a;
    struct rb_diag diag;             /* the trigger diagnosis (of the strongest, for a bundle) */
    int unknown;                     /* some condition could not be checked (attribute missing) */
    int selected;
    int ibc_site_rank;               /* incremental B/C among its site's alternatives (1 preferred; 0 BCR <= 1) */
    int ibc_rank;                    /* the sites' preferred alternatives ranked across the network; 0 others */
    int rank;                        /* by the chosen measure over every alternative (rb_plan_rank) */
    int year;                        /* selected: the year it is built in (1 with one budget); else 0 */
};

struct rb_plan {
    struct rb_plan_alt *alt;
    size_t n, cap;
    struct rb_mckp_result exact, greedy;
    double budget;                   /* one budget (NaN: none given); with several, their sum */
    size_t nyears;                   /* 0 or 1: one budget; else yearly budgets[0..nyears) */
    double budgets[RB_MCKP_MAX_YEARS];
    int carry;                       /* unspent money goes on to the next year */
    size_t unlaid;                   /* countermeasures called for that could not be laid out at their site */
};

/* Each reference population's count of each catalogue entry's trigger
 * pattern (x[pop * RB_CM_MAX + k] of n[pop]), made once for every site's
 * diagnosis: a site is compared with the crashes of similar sites (its
 * population: screening's population_by), else with the whole network. */
struct rb_plan_ref {
    size_t npop;
    unsigned *x, *n;
};
int rb_plan_ref_counts(const struct rb_catalogue *cat, const struct rb_plan_crash *ref, size_t nref, size_t npop,
                       struct rb_plan_ref *out, struct rb_err *err);
void rb_plan_ref_free(struct rb_plan_ref *r);

/* Adds the alternatives for one site: each countermeasure whose trigger
 * pattern is over-represented at the site (against ref) and whose conditions
 * hold, alone; and, when there are several, bundles of the best two and
 * best three compatible ones (by benefit-cost ratio, skipping any another excludes). */
int rb_plan_site_alternatives(const struct rb_catalogue *cat, const struct rb_plan_site *site, size_t site_index,
                              const struct rb_plan_crash *crash, const struct rb_plan_ref *ref,
                              const struct rb_plan_opt *opt, struct rb_plan *plan, struct rb_err *err);
/* Ranks every alternative by NPV, BCR or crashes avoided a year, best first
 * (ties: the earlier alternative). */
enum rb_rank_by { RB_RANK_NPV, RB_RANK_BCR, RB_RANK_CRASHES };
int rb_plan_rank(struct rb_plan *plan, int by, struct rb_err *err);
/* Ranks the alternatives by incremental benefit-cost: within each site, then
 * each site's preferred one across the network (ibc_site_rank, ibc_rank). */
int rb_plan_rank_incremental(struct rb_plan *plan, size_t nsites, struct rb_err *err);
/* Chooses at most one alternative per site within the budget (exact), marks
 * them selected, and records what greedy by benefit-cost ratio would have got. */
int rb_plan_choose(struct rb_plan *plan, size_t nsites, double budget, int objective, struct rb_err *err);
/* The same over several yearly budgets (rb_mckp_solve_years): each selected
 * alternative gets its year; values are discounted to the first year at rate. */
int rb_plan_choose_years(struct rb_plan *plan, size_t nsites, const double *budgets, size_t nyears, int carry,
                         double rate, int objective, struct rb_err *err);
void rb_plan_free(struct rb_plan *plan);
/* What the selected alternatives add up to. */
struct rb_plan_totals {
    size_t selected;
    double install_cost, pv_benefit, pv_cost, npv, avoided_per_yr, ksi_avoided_per_yr;
};
void rb_plan_totals(const struct rb_plan *plan, struct rb_plan_totals *t);

/* ---- work orders: where each countermeasure goes ----------------------------------- */

/* What strips keep away from: the stretch itself (a junction is a point), buffered at layout. */
enum rb_gap_why { RB_GAP_JUNCTION, RB_GAP_BRIDGE, RB_GAP_SETTLEMENT, RB_NGAP };
struct rb_gap {
    uint32_t route;
    uint8_t why;
    double from_m, to_m;
};

/* The gaps of the routes marked in want (NULL: all): junctions (nodes of
 * degree 3 or more a route passes), bridge segments (bridge[s] 1), segments
 * in settlements (urban[s] 1) and, with settle, the route's stretches inside
 * its polygons (sampled every 10 m). Sorted by route, then chainage. */
int rb_layout_gaps(const struct rb_net *net, const struct rb_routes *routes, const uint8_t *want,
                   const uint8_t *bridge, const uint8_t *urban, const struct rb_polyindex *settle,
                   struct rb_gap **gaps, size_t *ngaps, struct rb_err *err);

struct rb_layout_ctx {
    const struct rb_net *net;
    const struct rb_routes *routes;
    const struct rb_plan_road *seg_road;     /* per segment: the conditions along a strip */
    const struct rb_gap *gap;                /* by route, then chainage */
    size_t ngap;
    const struct rb_placement *place;
    double gap_m[RB_NGAP];                   /* strips keep this far from each kind of gap */
    double default_speed_kmh;                /* approach speed where the road has none */
    double offset_m;                         /* points drawn this far off the centreline */
    double curve_radius_m;                   /* a bend: radius below this */
    int drive_left;                          /* traffic keeps left: signs stand on the left */
};

enum rb_work_role { RB_ROLE_STRIP, RB_ROLE_SIGN, RB_ROLE_CHEVRON, RB_ROLE_DEVICE, RB_ROLE_ENTRY, RB_ROLE_EXIT };
enum rb_work_side { RB_SIDE_CENTRE, RB_SIDE_RIGHT, RB_SIDE_LEFT };
enum rb_work_note { RB_WORK_SPEED_ASSUMED = 1, RB_WORK_CLIPPED = 2 };

/* One line (a stretch of strip) or point (a sign, chevron or device) of a work order. */
struct rb_work {
    size_t alt;                  /* the plan alternative it belongs to (set by the caller) */
    uint32_t site, cm;           /* site and catalogue entry */
    uint32_t route;
    double from_m, to_m;         /* a line's stretch; a point's chainage twice */
    double x, y;                 /* a point's place (working CRS), off the centreline on its side */
    double units;                /* strips: whole units laid */
    double radius_m;             /* on a bend: its smallest radius; else NaN */
    double speed_kmh;            /* signs: the approach speed their distance is for; else NaN */
    int8_t dir;                  /* +1 for traffic along the chainage, -1 against it, 0 both */
    uint8_t role, side, note;    /* enum rb_work_role; rb_work_side of its traffic; rb_work_note bits */
    uint8_t is_line;
};

struct rb_works {
    struct rb_work *w;
    size_t n, cap;
};

/* The advance distance for an approach speed (the first row at or above it,
 * else the last) and the chevron spacing for a radius. */
double rb_sign_distance_m(const struct rb_placement *pl, double speed_kmh);
double rb_chevron_spacing_m(const struct rb_placement *pl, double radius_m);

/* Lays out catalogue entry k at a site: appends its lines and points to out
 * and gives the quantity its cost is for (km laid, items, or 1 a site) and
 * the share of the site it covers. A quantity of 0 means it cannot be laid
 * there (a strip with no room between the gaps, chevrons with no bend). */
int rb_layout(const struct rb_layout_ctx *ctx, const struct rb_cm *cm, size_t k, const struct rb_plan_site *site,
              size_t site_index, struct rb_works *out, double *quantity, double *cover, struct rb_err *err);
void rb_works_free(struct rb_works *w);

/* The work orders of the selected alternatives, alternative by alternative
 * (each work's alt set), in catalogue order within one. */
int rb_plan_works(const struct rb_plan *plan, const struct rb_catalogue *cat, const struct rb_plan_site *sites,
                  const struct rb_layout_ctx *ctx, struct rb_works *out, struct rb_err *err);


/* ---- sites from screening ---------------------------------------------------------- */

struct rb_plan_input {
    const struct rb_net *net;
    const struct rb_routes *routes;
    const struct rb_hotspots *hot;       /* the stretches screening flagged */
    const struct rb_sites *seg_sites;    /* per segment (network order): eb_per_yr, freq_per_yr, aadt */
    const struct rb_plan_road *seg_road; /* per segment: area, speed, AADT, lanes, shoulder, divided */
    size_t ncrash;
    const struct rb_plan_crash *crash;   /* per crash */
    const int64_t *crash_seg;            /* per crash: matched segment, -1 none */
    const double *chainage_m;            /* per crash */
    const uint8_t *counted;              /* per crash: 1 when in the study (matched, in the period) */
    double curve_radius_m;
    /* intersections (all NULL / 0 for none): the best-ranked become sites of their own */
    const struct rb_junctions *junc;
    const struct rb_sites *int_sites;    /* per junction: rank, freq_per_yr */
    const int64_t *crash_junction;       /* per crash: its junction, -1 none */
    size_t int_top;                      /* junctions ranked up to this are sites */
    double int_radius_m;                 /* an intersection site spans this either side of it */
};

/* Merges overlapping hotspots of a route into plan sites (by route, then
 * chainage) and gathers each site's counted crashes (crash_out, site by site)
 * and the reference population (every counted crash on the network). A site's
 * road is the segment covering most of it; its expected crashes a year the
 * overlapping segments' EB (else observed) frequencies, pro rata to length;
 * its curvature from the route's geometry.
 * Then the intersections ranked up to int_top with a crash, outside every
 * stretch site (whose plan already holds their crashes), follow as sites of
 * their own: placed on their busiest leg's route, int_radius_m either side,
 * with the crashes screening gave them and their observed frequency. */
int rb_plan_sites(const struct rb_plan_input *in, struct rb_plan_site **sites, size_t *nsites,
                  struct rb_plan_crash **crash_out, struct rb_plan_crash **ref, size_t *nref, struct rb_err *err);

#endif
