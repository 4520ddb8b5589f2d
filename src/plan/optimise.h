/* plan/optimise: the budget choice — a multiple-choice knapsack (at most one
 * alternative per site) solved exactly (LP bound, reduced-cost fixing, a
 * dynamic programme over Pareto states), over one budget or several yearly
 * ones, with the greedy choice for comparison. Plain arrays; nothing here
 * knows what a site or a countermeasure is. */
#ifndef RB_PLAN_OPTIMISE_H
#define RB_PLAN_OPTIMISE_H

#include <stddef.h>
#include "core/core.h"

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

#endif
