/* plan: what to build where. Diagnosis of a site's crash pattern against its
 * reference population, the countermeasures the pattern and the road call for,
 * their economic appraisal (HSM Part B, Chapters 6–8), and the exact choice
 * under a budget. Reads plain arrays; no GDAL here.
 *
 * The module's headers, one per concern, each including only those below it:
 *   catalogue.h, placement.h  the countermeasures and placement tables (cJSON readers)
 *   diag.h                    diagnosis: over-represented crash patterns
 *   econ.h                    conditions and economic appraisal
 *   optimise.h                the budget choice (multiple-choice knapsack)
 *   curve.h                   curves from the geometry
 *   sites.h                   the sites a plan treats, from screening
 *   layout.h                  work orders: where each countermeasure goes
 *   plan.h                    (this one) the alternatives, their ranking and the choice;
 *                             includes all the others, for the modules that use the plan */
#ifndef RB_PLAN_H
#define RB_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "io/io.h"
#include "index/index.h"
#include "plan/catalogue.h"
#include "plan/placement.h"
#include "plan/diag.h"
#include "plan/econ.h"
#include "plan/optimise.h"
#include "plan/curve.h"
#include "plan/sites.h"
#include "plan/layout.h"

/* ---- the alternatives, their ranking and the budget choice -------------------------- */

enum rb_objective { RB_OBJ_NPV, RB_OBJ_CRASHES };

struct rb_plan_opt {
    double alpha;                    /* a pattern is over-represented when p <= alpha (0.05) ... */
    unsigned min_pattern;            /* ... and at least this many crashes show it (2) */
    struct rb_econ econ;
    int objective;                   /* what the budget choice maximises */
    const struct rb_layout_ctx *layout;  /* quantities from the work-order layout (NULL: from the length) */
    int allow_unrated;               /* also entries whose CMF is not checked (rb_cm_checked) */
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
    double npv_kabco;                /* the NPV with each severity at its own crash cost */
    int rank_kabco;                  /* by npv_kabco over every alternative (1 best) */
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
    size_t unrated;                  /* ... left out because their CMF is not checked (allow_unrated off) */
    size_t unpriced;                 /* ... left out because the prices in use do not price them */
    size_t present;                  /* ... not proposed because they are already there (road.present) */
    struct rb_plan_present {         /* each of them: the site, the countermeasure */
        size_t site;
        uint32_t cm;
    } *pres;
    size_t cappres;
    int price_year, cost_year;       /* the catalogue's prices' year, the crash costs' (0: not given) */
    double cost_factor;              /* crash costs times this: brought to the price year (1: as given) */
    int severity_costs;              /* 0 K and A at one cost, 1 K, A and B at one cost, 2 each its own */
    double cost_combined;            /* the one cost of those combined (NaN: none) */
};

/* Severities priced together (plan.severity_costs): K and A (0), K, A and B
 * (1), or each at its own cost (2). The combined crashes' cost is their costs
 * weighted by how many of each the reference population holds (the network's
 * own mix, as the HSM's combined fatal-and-injury costs weigh theirs): one
 * fatal crash at a site then counts as much as any serious one, and the site
 * is not chosen for a death that could have been a serious injury. Sets
 * cost[] (K..O, in and out) and returns the combined cost (NaN when none of
 * those severities is in ref, and cost[] is left as it was). */
double rb_plan_combine_costs(int how, const struct rb_plan_crash *ref, size_t nref, double cost[5]);
/* Each alternative's NPV with the costs cost_sep[] (each severity its own)
 * from its discounted crashes avoided by severity, and its rank by that. */
int rb_plan_rank_kabco(struct rb_plan *plan, const double cost_sep[5], struct rb_err *err);

/* Each reference population's count of each catalogue entry's trigger
 * pattern (x[pop * RB_REF_W + k] of n[pop]; package p's at RB_CM_MAX + p),
 * made once for every site's
 * diagnosis: a site is compared with the crashes of similar sites (its
 * population: screening's population_by), else with the whole network. */
#define RB_REF_W (RB_CM_MAX + RB_PK_MAX)
struct rb_plan_ref {
    size_t npop;
    unsigned *x, *n;
};
int rb_plan_ref_counts(const struct rb_catalogue *cat, const struct rb_plan_crash *ref, size_t nref, size_t npop,
                       struct rb_plan_ref *out, struct rb_err *err);
void rb_plan_ref_free(struct rb_plan_ref *r);

/* Adds the alternatives for one site: each countermeasure whose trigger
 * pattern is over-represented at the site (against ref) and whose conditions
 * hold, alone; each package whose trigger is over-represented and whose
 * members' conditions all hold, with the package's CMF; and, when there are
 * several, bundles of the best two and best three compatible ones (by
 * benefit-cost ratio, skipping any another excludes and members of one
 * package). */
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

/* The work orders of the selected alternatives, alternative by alternative
 * (each work's alt set), in catalogue order within one. */
int rb_plan_works(const struct rb_plan *plan, const struct rb_catalogue *cat, const struct rb_plan_site *sites,
                  const struct rb_layout_ctx *ctx, struct rb_works *out, struct rb_err *err);


#endif
