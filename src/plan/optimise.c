/* plan/optimise: the exact budget choice — at most one alternative per site,
 * the greatest total value within the budget (a multiple-choice knapsack).
 *
 * Method, in the order it runs:
 *  1. The LP relaxation: each site's alternatives reduced to the upper convex
 *     hull of (cost, value) from (0, 0); the hull's increments sorted by value
 *     per unit of cost and taken until the budget runs out. The increment that
 *     does not fit gives the multiplier λ (value per unit of money at the margin).
 *  2. A feasible start (the incumbent): the LP solution rounded down, then
 *     upgraded greedily where money is left.
 *  3. Reduced-cost fixing with the Lagrangian bound: with r = value − λ·cost,
 *     any choice's total value is at most UB − Σ (best r of its site − r of the
 *     option it took), where UB = λ·budget + Σ max(0, best r). An option whose
 *     loss alone brings the bound to the incumbent cannot be in a better
 *     solution and is dropped; most sites are left with one option.
 *  4. The sites still open are solved exactly by dynamic programming over
 *     Pareto-optimal (cost, value) states (Nemhauser–Ullmann), each state kept
 *     only while its own bound beats the incumbent: first a narrow pass (the
 *     few thousand states of best bound a layer) to find a choice near the
 *     best, then the exact pass, which that choice lets prune far more.
 * Costs are compared in whole hundredths of the currency, so "fits the budget"
 * is exact arithmetic; values are summed in a fixed order. */
#include "plan/optimise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rb_ranked_cmp(const void *a, const void *b)
{
    const struct rb_ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

struct inc {                  /* one step along a site's hull */
    double slope, dc, dv;
    size_t group, item;       /* the hull item this step reaches */
};

static int inc_cmp(const void *a, const void *b)
{
    const struct inc *x = a, *y = b;
    if (x->slope != y->slope)
        return x->slope > y->slope ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static int64_t cents(double money)
{
    return (int64_t)llround(money * 100.0);
}

/* candidates of a group: items worth something that fit the budget */
static int usable(const struct rb_mckp *p, size_t i, int64_t budget_c)
{
    return p->value[i] > 0 && p->cost[i] >= 0 && cents(p->cost[i]) <= budget_c;
}

/* The upper hull of one group's usable items from (0,0), as increments. */
static size_t group_hull(const struct rb_mckp *p, size_t g, int64_t budget_c, size_t *buf, struct inc *out)
{
    size_t m = 0;
    for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
        if (usable(p, i, budget_c))
            buf[m++] = i;
    /* sort by cost, then value descending (insertion: groups are small) */
    for (size_t a = 1; a < m; a++) {
        size_t v = buf[a], b = a;
        while (b > 0 && (p->cost[buf[b - 1]] > p->cost[v] ||
                         (p->cost[buf[b - 1]] == p->cost[v] && p->value[buf[b - 1]] < p->value[v]))) {
            buf[b] = buf[b - 1];
            b--;
        }
        buf[b] = v;
    }
    /* hull from the origin: each step's slope below the one before */
    size_t h = 0;
    double c0 = 0, v0 = 0;
    size_t stack[RB_MCKP_MAX_ITEMS + 1];
    for (size_t a = 0; a < m; a++) {
        size_t i = buf[a];
        if (h && p->value[i] <= p->value[stack[h - 1]])
            continue;                                  /* dominated: costs more, worth no more */
        while (h) {
            double pc = h > 1 ? p->cost[stack[h - 2]] : c0, pv = h > 1 ? p->value[stack[h - 2]] : v0;
            double s1 = (p->value[stack[h - 1]] - pv) / fmax(p->cost[stack[h - 1]] - pc, 1e-300);
            double s2 = (p->value[i] - p->value[stack[h - 1]]) /
                        fmax(p->cost[i] - p->cost[stack[h - 1]], 1e-300);
            if (s2 >= s1)
                h--;
            else
                break;
        }
        stack[h++] = i;
    }
    for (size_t k = 0; k < h; k++) {
        double pc = k ? p->cost[stack[k - 1]] : 0, pv = k ? p->value[stack[k - 1]] : 0;
        double dc = p->cost[stack[k]] - pc, dv = p->value[stack[k]] - pv;
        out[k] = (struct inc){ dc > 0 ? dv / dc : INFINITY, dc, dv, g, stack[k] };
    }
    return h;
}

static const struct rb_mckp *g_ratio_p;   /* qsort has no context argument */

static int ratio_cmp(const void *a, const void *b)
{
    size_t u = *(const size_t *)a, v = *(const size_t *)b;
    const struct rb_mckp *p = g_ratio_p;
    double ru = p->value[u] / fmax(p->cost[u], 1e-300), rv = p->value[v] / fmax(p->cost[v], 1e-300);
    if (ru != rv)
        return ru > rv ? -1 : 1;
    return (u > v) - (u < v);
}

int rb_mckp_greedy(const struct rb_mckp *p, double budget, long *choice, struct rb_mckp_result *res,
                   struct rb_err *err)
{
    size_t n = p->first[p->ngroups];
    size_t *ord = rb_mallocarray(n ? n : 1, sizeof *ord);
    size_t *grp = rb_mallocarray(n ? n : 1, sizeof *grp);
    if (!ord || !grp) {
        rb_free(ord);
        rb_free(grp);
        return rb_err_nomem(err);
    }
    for (size_t g = 0; g < p->ngroups; g++) {
        choice[g] = -1;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
            grp[i] = g;
    }
    int64_t budget_c = cents(budget);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (usable(p, i, budget_c))
            ord[m++] = i;
    /* by value per unit cost (ties: the lower index) */
    g_ratio_p = p;
    qsort(ord, m, sizeof *ord, ratio_cmp);
    int64_t used = 0;
    double val = 0;
    for (size_t a = 0; a < m; a++) {
        size_t i = ord[a];
        if (choice[grp[i]] >= 0 || used + cents(p->cost[i]) > budget_c)
            continue;
        choice[grp[i]] = (long)i;
        used += cents(p->cost[i]);
    }
    for (size_t g = 0; g < p->ngroups; g++)
        if (choice[g] >= 0)
            val += p->value[choice[g]];
    res->value = val;
    res->cost = (double)used / 100.0;
    rb_free(ord);
    rb_free(grp);
    return RB_OK;
}

/* The LP of a set of sites as hull steps sorted by slope, with the running
 * cost and value after the first i steps at cdc[2i], cdc[2i + 1]. */
#define RB_MCKP_LP_CORE_MAX 1500
struct lp_list {
    size_t n;
    double *dc;      /* 3n: slope, cost, value of each step, by slope */
    double *cdc;     /* 2(n+1): running cost, running value */
};

static size_t opts_hull(const struct rb_mckp *p, const long *opt, size_t nopt, struct inc *out)
{
    /* the options' items, as a group of their own, through group_hull */
    size_t first[2] = { 0, 0 };
    double cost[RB_MCKP_MAX_ITEMS + 1], value[RB_MCKP_MAX_ITEMS + 1];
    for (size_t o = 0; o < nopt; o++)
        if (opt[o] >= 0) {
            cost[first[1]] = p->cost[opt[o]];
            value[first[1]++] = p->value[opt[o]];
        }
    struct rb_mckp q = { 1, first, cost, value };
    size_t buf[RB_MCKP_MAX_ITEMS];
    return group_hull(&q, 0, INT64_MAX / 4, buf, out);
}

static int lp_merge(struct lp_list *dst, const struct lp_list *src, const struct inc *h, size_t nh)
{
    size_t n = src->n + nh;
    dst->n = n;
    dst->dc = rb_mallocarray(rb_size_mul(n ? n : 1, 3), sizeof *dst->dc);
    dst->cdc = rb_mallocarray(rb_size_mul(n + 1, 2), sizeof *dst->cdc);
    if (!dst->dc || !dst->cdc)
        return RB_ENOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < src->n || j < nh) {
        int from_src = j == nh || (i < src->n && src->dc[3 * i] >= h[j].slope);
        if (from_src) {
            memcpy(dst->dc + 3 * k, src->dc + 3 * i, 3 * sizeof *dst->dc);
            i++;
        } else {
            dst->dc[3 * k] = h[j].slope;
            dst->dc[3 * k + 1] = h[j].dc;
            dst->dc[3 * k + 2] = h[j].dv;
            j++;
        }
        k++;
    }
    dst->cdc[0] = dst->cdc[1] = 0;
    for (k = 0; k < n; k++) {
        dst->cdc[2 * (k + 1)] = dst->cdc[2 * k] + dst->dc[3 * k + 1];
        dst->cdc[2 * (k + 1) + 1] = dst->cdc[2 * k + 1] + dst->dc[3 * k + 2];
    }
    return RB_OK;
}

/* frees lists l[0..n] */
static void lp_lists_free(struct lp_list *l, size_t n)
{
    for (size_t k = 0; l && k <= n; k++) {
        rb_free(l[k].dc);
        rb_free(l[k].cdc);
    }
    rb_free(l);
}

/* what a choice costs, counted in cents */
static double choice_cost(const struct rb_mckp *p, const long *choice)
{
    int64_t c = 0;
    for (size_t g = 0; g < p->ngroups; g++)
        if (choice[g] >= 0)
            c += cents(p->cost[choice[g]]);
    return (double)c / 100.0;
}

/* the LP value of the list with money m */
static double lp_value(const struct lp_list *l, double m)
{
    if (!l->n || m <= 0)
        return 0;
    size_t lo = 0, hi = l->n;          /* the last i with cdc[i] <= m */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (l->cdc[2 * mid] <= m)
            lo = mid;
        else
            hi = mid - 1;
    }
    double v = l->cdc[2 * lo + 1];
    if (lo < l->n)
        v += l->dc[3 * lo + 2] * (m - l->cdc[2 * lo]) / l->dc[3 * lo + 1];
    return v;
}

/* a Pareto state of the dynamic programme */
struct st {
    int64_t c;
    double v;
    uint32_t parent;
    uint8_t opt;
};

static int st_cmp(const void *a, const void *b)
{
    const struct st *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->parent < y->parent ? -1 : x->parent > y->parent ? 1 : (x->opt > y->opt) - (x->opt < y->opt);
}

/* The open sites' programme: states (cost, value) layer by layer, each kept
 * while it is Pareto-optimal and its bound beats inc_v; with beam > 0 only the
 * beam states of best bound go on (a heuristic pass). *found is 1 when the best
 * final state beats inc_v: its value in *best_v, its options in core_choice. */
#define RB_MCKP_BEAM 4096
struct dp {
    const struct rb_mckp *p;
    size_t ncore;
    const size_t *core;
    const long (*opts)[RB_MCKP_MAX_ITEMS + 1];
    const uint8_t *nopts;
    const double *suffix;
    const struct lp_list *lpl;      /* NULL when too many sites are open */
    double lambda, B;
    int64_t budget_c, fixed_c;
    double fixed_v;
};

static int dp_run(const struct dp *d, double inc_v, double tol, size_t beam, double *best_v, long *core_choice,
                  size_t *states, int *found)
{
    const struct rb_mckp *p = d->p;
    size_t ncore = d->ncore;
    struct st *cur = NULL, *next = NULL;
    struct rb_ranked *rk = NULL;
    size_t ncur = 1, capcur = 0, capnext = 0, caprk = 0;
    uint32_t **back_parent = rb_calloc(ncore ? ncore : 1, sizeof *back_parent);
    uint8_t **back_opt = rb_calloc(ncore ? ncore : 1, sizeof *back_opt);
    int rc = RB_OK;
    *found = 0;
    if (!back_parent || !back_opt || rb_grow((void **)&cur, &capcur, 1, sizeof *cur)) {
        rc = RB_ENOMEM;
        goto done;
    }
    cur[0] = (struct st){ d->fixed_c, d->fixed_v, 0, 0 };
    for (size_t k = 0; k < ncore && ncur; k++) {
        size_t g = d->core[k], m = 0;
        if (rb_grow((void **)&next, &capnext, ncur * d->nopts[g], sizeof *next)) {
            rc = RB_ENOMEM;
            goto done;
        }
        for (uint32_t s = 0; s < ncur; s++)
            for (uint8_t o = 0; o < d->nopts[g]; o++) {
                long i = d->opts[g][o];
                int64_t c = cur[s].c + (i >= 0 ? cents(p->cost[i]) : 0);
                double v = cur[s].v + (i >= 0 ? p->value[i] : 0);
                if (c > d->budget_c)
                    continue;
                if (v - d->lambda * ((double)c / 100.0) + d->lambda * d->B + d->suffix[k + 1] <= inc_v + tol)
                    continue;    /* cannot beat what we have */
                if (d->lpl && v + lp_value(&d->lpl[k + 1], (double)(d->budget_c - c) / 100.0) <= inc_v + tol)
                    continue;
                next[m++] = (struct st){ c, v, s, o };
            }
        qsort(next, m, sizeof *next, st_cmp);
        /* Pareto filter: by cost, keep a state only when worth more than every cheaper one */
        size_t kept = 0;
        for (size_t a = 0; a < m; a++)
            if (!kept || next[a].v > next[kept - 1].v)
                next[kept++] = next[a];
        if (beam && kept > beam) {
            /* the narrow pass: the states with the best bound */
            if (rb_grow((void **)&rk, &caprk, kept, sizeof *rk)) {
                rc = RB_ENOMEM;
                goto done;
            }
            for (size_t a = 0; a < kept; a++) {
                double left = (double)(d->budget_c - next[a].c) / 100.0;
                double rest = d->lpl ? lp_value(&d->lpl[k + 1], left) : d->lambda * left + d->suffix[k + 1];
                rk[a] = (struct rb_ranked){ next[a].v + rest, a };
            }
            qsort(rk, kept, sizeof *rk, rb_ranked_cmp);
            /* keep them in cost order: mark, then compact */
            for (size_t a = 0; a < beam; a++)
                next[rk[a].i].opt |= 0x80;
            size_t w = 0;
            for (size_t a = 0; a < kept; a++)
                if (next[a].opt & 0x80) {
                    next[w] = next[a];
                    next[w++].opt &= 0x7f;
                }
            kept = w;
        }
        back_parent[k] = rb_mallocarray(kept ? kept : 1, sizeof **back_parent);
        back_opt[k] = rb_malloc(kept ? kept : 1);
        if (!back_parent[k] || !back_opt[k]) {
            rc = RB_ENOMEM;
            goto done;
        }
        for (size_t a = 0; a < kept; a++) {
            back_parent[k][a] = next[a].parent;
            back_opt[k][a] = next[a].opt;
        }
        *states += kept;
        struct st *t = cur;
        size_t tc = capcur;
        cur = next;
        capcur = capnext;
        next = t;
        capnext = tc;
        ncur = kept;
    }
    if (ncur) {
        size_t bi = 0;
        for (size_t a = 1; a < ncur; a++)
            if (cur[a].v > cur[bi].v)
                bi = a;
        if (cur[bi].v > inc_v + tol) {
            *found = 1;
            *best_v = cur[bi].v;
            size_t s = bi;
            for (size_t k = ncore; k-- > 0;) {
                core_choice[k] = d->opts[d->core[k]][back_opt[k][s]];
                s = back_parent[k][s];
            }
        }
    }
done:
    if (back_parent)
        for (size_t k = 0; k < ncore; k++)
            rb_free(back_parent[k]);
    if (back_opt)
        for (size_t k = 0; k < ncore; k++)
            rb_free(back_opt[k]);
    rb_free(back_parent);
    rb_free(back_opt);
    rb_free(cur);
    rb_free(next);
    rb_free(rk);
    return rc;
}

/* The working arrays of rb_mckp_solve, by group (site) unless said. */
struct solve_ws {
    struct inc *incs;                        /* every group's hull steps (by item) */
    long *inc_choice;                        /* the incumbent: an item, or -1 */
    double *best_r;                          /* best reduced value, 0 for none */
    size_t *core, ncore;                     /* the groups left open by reduced-cost fixing */
    long (*opts)[RB_MCKP_MAX_ITEMS + 1];     /* kept options: item index, or -1 for none */
    uint8_t *nopts;
    double *suffix;                          /* by core layer: the best reduced values after it */
    struct lp_list *lpl;                     /* by core layer: the LP of the sites from it on */
};

static void solve_ws_free(struct solve_ws *w)
{
    lp_lists_free(w->lpl, w->ncore);
    rb_free(w->incs);
    rb_free(w->inc_choice);
    rb_free(w->best_r);
    rb_free(w->core);
    rb_free(w->opts);
    rb_free(w->nopts);
    rb_free(w->suffix);
}

/* 1. The LP relaxation: the groups' hull steps by slope while the money lasts;
 * the step it stops in gives λ (*lambda) and its index (*split). Sets the
 * whole steps taken in w->inc_choice and returns the LP bound. */
static double lp_relax(const struct rb_mckp *p, int64_t budget_c, struct solve_ws *w, double *lambda,
                       size_t *split, size_t *ninc)
{
    size_t G = p->ngroups, buf[RB_MCKP_MAX_ITEMS];
    double room = (double)budget_c / 100.0, lp = 0;
    *ninc = 0;
    for (size_t g = 0; g < G; g++)
        *ninc += group_hull(p, g, budget_c, buf, w->incs + *ninc);
    qsort(w->incs, *ninc, sizeof *w->incs, inc_cmp);
    *lambda = 0;
    for (size_t g = 0; g < G; g++)
        w->inc_choice[g] = -1;
    *split = *ninc;
    for (size_t k = 0; k < *ninc; k++) {
        const struct inc *in = &w->incs[k];
        if (in->dc <= room) {
            room -= in->dc;
            lp += in->dv;
            w->inc_choice[in->group] = (long)in->item;
        } else {
            *lambda = in->slope;
            lp += in->dv * room / in->dc;
            *split = k;
            break;
        }
    }
    return lp;
}

/* 2. The incumbent: the LP's whole steps (a hull prefix per group), then
 * upgrades in slope order wherever they still fit. Returns its value. */
static double incumbent(const struct rb_mckp *p, int64_t budget_c, struct solve_ws *w, size_t split, size_t ninc)
{
    size_t G = p->ngroups;
    int64_t used = 0;
    for (size_t g = 0; g < G; g++)
        if (w->inc_choice[g] >= 0)
            used += cents(p->cost[w->inc_choice[g]]);
    for (size_t k = split; k < ninc; k++) {
        size_t g = w->incs[k].group;
        int64_t was = w->inc_choice[g] >= 0 ? cents(p->cost[w->inc_choice[g]]) : 0;
        int64_t now = cents(p->cost[w->incs[k].item]);
        double vwas = w->inc_choice[g] >= 0 ? p->value[w->inc_choice[g]] : 0;
        if (p->value[w->incs[k].item] > vwas && used - was + now <= budget_c) {
            used += now - was;
            w->inc_choice[g] = (long)w->incs[k].item;
        }
    }
    double inc_v = 0;
    for (size_t g = 0; g < G; g++)
        if (w->inc_choice[g] >= 0)
            inc_v += p->value[w->inc_choice[g]];
    return inc_v;
}

/* 3. The Lagrangian bound and reduced-cost fixing: each group keeps the
 * options (none included) whose bound still beats inc_v; a group left with
 * one is fixed (its cost and value in *fixed_c, *fixed_v), one with several
 * is open (w->core). Returns 1 when some group has no option left (nothing
 * beats the incumbent). */
static int fix_by_reduced_cost(const struct rb_mckp *p, int64_t budget_c, double lambda, double inc_v, double tol,
                               struct solve_ws *w, int64_t *fixed_c, double *fixed_v)
{
    size_t G = p->ngroups;
    double ub = lambda * ((double)budget_c / 100.0);
    for (size_t g = 0; g < G; g++) {
        w->best_r[g] = 0;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
            if (usable(p, i, budget_c))
                w->best_r[g] = fmax(w->best_r[g], p->value[i] - lambda * p->cost[i]);
        ub += w->best_r[g];
    }
    *fixed_c = 0;
    *fixed_v = 0;
    for (size_t g = 0; g < G; g++) {
        uint8_t k = 0;
        if (ub - w->best_r[g] > inc_v + tol)
            w->opts[g][k++] = -1;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
            if (usable(p, i, budget_c) && ub - (w->best_r[g] - (p->value[i] - lambda * p->cost[i])) > inc_v + tol)
                w->opts[g][k++] = (long)i;
        w->nopts[g] = k;
        if (k == 0)
            return 1;       /* no option of this site leads anywhere better */
        if (k > 1) {
            w->core[w->ncore++] = g;
        } else if (w->opts[g][0] >= 0) {
            *fixed_c += cents(p->cost[w->opts[g][0]]);
            *fixed_v += p->value[w->opts[g][0]];
        }
    }
    return 0;
}

/* 4a. What the dynamic programme's bounds need: by core layer, the best
 * reduced values of the layers after it (w->suffix) and, while the open
 * sites are few, the LP of the sites from it on (w->lpl): their options' hull
 * steps (with "none" allowed, which can only raise the bound), by slope, with
 * running sums, so a state's bound is its value plus the LP of what its money
 * can still buy. */
static int dp_bounds(const struct rb_mckp *p, double lambda, struct solve_ws *w)
{
    size_t ncore = w->ncore;
    w->suffix[ncore] = 0;
    for (size_t k = ncore; k-- > 0;) {
        double b = -INFINITY;
        size_t g = w->core[k];
        for (uint8_t o = 0; o < w->nopts[g]; o++)
            b = fmax(b, w->opts[g][o] < 0 ? 0 : p->value[w->opts[g][o]] - lambda * p->cost[w->opts[g][o]]);
        w->suffix[k] = w->suffix[k + 1] + b;
    }
    if (ncore > RB_MCKP_LP_CORE_MAX)
        return RB_OK;
    if (!(w->lpl = rb_calloc(ncore + 1, sizeof *w->lpl)))
        return RB_ENOMEM;
    for (size_t k = ncore; k-- > 0;) {
        size_t g = w->core[k];
        struct inc h[RB_MCKP_MAX_ITEMS + 1];
        size_t nh = opts_hull(p, w->opts[g], w->nopts[g], h);
        /* lpl[k]: the sites from layer k on, so lpl[k + 1] bounds a state of layer k */
        if (lp_merge(&w->lpl[k], &w->lpl[k + 1], h, nh))
            return RB_ENOMEM;
    }
    return RB_OK;
}

/* 4b. The Pareto dynamic programme over the open sites: a narrow pass first
 * (the best states by bound, a few thousand a layer) finds a choice near the
 * best, so the exact pass prunes far more. Each better choice found replaces
 * choice and res->value. */
static int dp_solve(const struct rb_mckp *p, int64_t budget_c, double lambda, double inc_v, double tol,
                    int64_t fixed_c, double fixed_v, const struct solve_ws *w, long *choice,
                    struct rb_mckp_result *res)
{
    size_t G = p->ngroups, ncore = w->ncore;
    struct dp d = { p, ncore, w->core, (const long (*)[RB_MCKP_MAX_ITEMS + 1])w->opts, w->nopts, w->suffix, w->lpl,
                    lambda, (double)budget_c / 100.0, budget_c, fixed_c, fixed_v };
    long *core_choice = rb_mallocarray(ncore ? ncore : 1, sizeof *core_choice);
    if (!core_choice)
        return RB_ENOMEM;
    int rc = RB_OK;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        double v;
        size_t states = 0;
        int found = 0;
        rc = dp_run(&d, inc_v, tol, pass ? 0 : RB_MCKP_BEAM, &v, core_choice, &states, &found);
        res->states += states;
        if (rc || !found)
            continue;
        /* a better choice: the fixed sites' options and the open ones' */
        inc_v = v;
        for (size_t g = 0; g < G; g++)
            choice[g] = w->nopts[g] == 1 ? w->opts[g][0] : -1;
        for (size_t k = 0; k < ncore; k++)
            choice[w->core[k]] = core_choice[k];
        res->value = 0;
        for (size_t g = 0; g < G; g++)
            if (choice[g] >= 0)
                res->value += p->value[choice[g]];
    }
    rb_free(core_choice);
    return rc;
}

int rb_mckp_solve(const struct rb_mckp *p, double budget, long *choice, struct rb_mckp_result *res,
                  struct rb_err *err)
{
    size_t G = p->ngroups, n = p->first[G];
    int64_t budget_c = budget > 0 ? (int64_t)floor(budget * 100.0 + 1e-6) : 0;
    memset(res, 0, sizeof *res);
    for (size_t g = 0; g < G; g++)
        if (p->first[g + 1] - p->first[g] > RB_MCKP_MAX_ITEMS)
            return rb_err_set(err, RB_EUSAGE, "budget choice: a site has more than %d alternatives",
                              RB_MCKP_MAX_ITEMS);
    struct solve_ws w = { 0 };
    w.incs = rb_mallocarray(n ? n : 1, sizeof *w.incs);
    w.inc_choice = rb_mallocarray(G ? G : 1, sizeof *w.inc_choice);
    w.best_r = rb_mallocarray(G ? G : 1, sizeof *w.best_r);
    w.core = rb_mallocarray(G ? G : 1, sizeof *w.core);
    w.opts = rb_mallocarray(G ? G : 1, sizeof *w.opts);
    w.nopts = rb_malloc(G ? G : 1);
    w.suffix = rb_mallocarray(G + 1, sizeof *w.suffix);
    if (!w.incs || !w.inc_choice || !w.best_r || !w.core || !w.opts || !w.nopts || !w.suffix) {
        solve_ws_free(&w);
        return rb_err_nomem(err);
    }
    double lambda;
    size_t split, ninc;
    res->lp_bound = lp_relax(p, budget_c, &w, &lambda, &split, &ninc);
    double inc_v = incumbent(p, budget_c, &w, split, ninc);
    double tol = 1e-9 * fmax(1.0, fabs(inc_v));
    int64_t fixed_c;
    double fixed_v;
    int none_left = fix_by_reduced_cost(p, budget_c, lambda, inc_v, tol, &w, &fixed_c, &fixed_v);
    res->core = none_left ? 0 : w.ncore;
    for (size_t g = 0; g < G; g++)
        choice[g] = w.inc_choice[g];
    res->value = inc_v;
    int rc = RB_OK;
    if (!none_left && fixed_c <= budget_c) {
        rc = dp_bounds(p, lambda, &w);
        if (!rc)
            rc = dp_solve(p, budget_c, lambda, inc_v, tol, fixed_c, fixed_v, &w, choice, res);
    }
    if (!rc)
        res->cost = choice_cost(p, choice);
    solve_ws_free(&w);
    return rc ? rb_err_nomem(err) : RB_OK;
}

/* ---- several yearly budgets --------------------------------------------------------
 * Each site takes at most one (alternative, year): built in year t (0-based)
 * it costs its price out of that year's budget (or, with carry, out of the
 * budgets so far less what was spent) and is worth its value discounted t
 * years. Exact by dynamic programming over the sites, with states (money
 * spent in each year, value) kept while no other state is worth as much for
 * no more money in every year, and while their bound — the LP of the rest
 * with one budget, all the money still unspent, every alternative at its
 * first-year value — beats the best choice known (greedy, then a narrow pass). */

struct yopt {
    long item;
    uint8_t year;
    double v;
    int64_t c;
};

struct ystate {
    double v;
    uint32_t parent;
    uint16_t opt;
};

struct yprob {
    const struct rb_mckp *p;
    size_t ny;
    int64_t cap[RB_MCKP_MAX_YEARS];      /* per year, or cumulative with carry */
    int carry;
    size_t ngroups;
    const size_t *gopt0;                 /* group g's options: opt[gopt0[g] .. gopt0[g+1]) */
    const struct yopt *opt;
    const struct lp_list *lpl;           /* lpl[k]: the LP of groups k.. (NULL: the plain sum bound) */
    const double *best_rest;             /* best_rest[k]: the sum of groups k..'s best values */
    int64_t total_c;
};

/* whether spending c more in year t keeps every constraint */
static int y_fits(const struct yprob *y, const int64_t *spent, size_t t, int64_t c)
{
    if (!y->carry)
        return spent[t] + c <= y->cap[t];
    int64_t cum = 0;
    for (size_t s = 0; s < y->ny; s++) {
        cum += spent[s] + (s == t ? c : 0);
        if (s >= t && cum > y->cap[s])
            return 0;
    }
    return 1;
}

static double y_bound(const struct yprob *y, size_t k, const int64_t *spent, double v)
{
    int64_t left = 0;
    if (y->carry) {
        int64_t cum = 0;
        for (size_t s = 0; s < y->ny; s++)
            cum += spent[s];
        left = y->cap[y->ny - 1] - cum;
    } else {
        for (size_t s = 0; s < y->ny; s++)
            left += y->cap[s] - spent[s];
    }
    if (y->lpl)
        return v + lp_value(&y->lpl[k], (double)left / 100.0);
    return v + y->best_rest[k];
}

/* A state's money as dominance compares it: spent per year, or with carry
 * spent up to each year. One state dominates another when it is worth at least
 * as much and each of its figures is no larger (y_le). */
static void y_key(const struct yprob *y, const int64_t *spent, int64_t *key)
{
    int64_t sum = 0;
    for (size_t s = 0; s < y->ny; s++)
        key[s] = y->carry ? (sum += spent[s]) : spent[s];
}

static int y_le(const int64_t *a, const int64_t *b, size_t ny)
{
    for (size_t s = 0; s < ny; s++)
        if (a[s] > b[s])
            return 0;
    return 1;
}

struct ycand {
    double v, bound;
    size_t i;
};

static int ycand_cmp(const void *a, const void *b)
{
    const struct ycand *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int ycand_bound_cmp(const void *a, const void *b)
{
    const struct ycand *x = a, *y = b;
    if (x->bound != y->bound)
        return x->bound > y->bound ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int ycand_index_cmp(const void *a, const void *b)
{
    const struct ycand *x = a, *y = b;
    return (x->i > y->i) - (x->i < y->i);
}

#define RB_MCKP_YEARS_MAX_STATES 2000000

/* One pass of the programme (beam > 0: only that many states of best bound a
 * layer). *found when its best beats inc_v: value and options (index into opt,
 * or -1) per group in pick. */
static int y_run(const struct yprob *y, double inc_v, double tol, size_t beam, double *best_v, long *pick,
                 size_t *states, int *found, struct rb_err *err)
{
    size_t ny = y->ny, G = y->ngroups;
    int64_t *cc = NULL, *nc = NULL;
    struct ystate *cur = NULL, *next = NULL;
    struct ycand *cand = NULL;
    int64_t *key = NULL;                 /* the kept states' y_key, by position */
    size_t *tryo = NULL, capkey = 0, captry = 0;
    uint32_t **bp = rb_calloc(G ? G : 1, sizeof *bp);
    uint16_t **bo = rb_calloc(G ? G : 1, sizeof *bo);
    size_t ncur = 1, capcc = 0, capnc = 0, capcur = 0, capnext = 0, capcand = 0;
    int rc = RB_OK;
    *found = 0;
    if (!bp || !bo || rb_grow((void **)&cur, &capcur, 1, sizeof *cur) ||
        rb_grow((void **)&cc, &capcc, ny, sizeof *cc)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    cur[0] = (struct ystate){ 0, 0, 0 };
    memset(cc, 0, ny * sizeof *cc);
    for (size_t g = 0; g < G && ncur; g++) {
        size_t no = y->gopt0[g + 1] - y->gopt0[g], m = 0;
        size_t want = ncur * (no + 1);
        if (rb_grow((void **)&next, &capnext, want, sizeof *next) ||
            rb_grow((void **)&nc, &capnc, want * ny, sizeof *nc) ||
            rb_grow((void **)&cand, &capcand, want, sizeof *cand)) {
            rc = rb_err_nomem(err);
            goto done;
        }
        for (uint32_t s = 0; s < ncur; s++)
            for (size_t o = 0; o <= no; o++) {        /* o == no: nothing at this site */
                const struct yopt *op = o < no ? &y->opt[y->gopt0[g] + o] : NULL;
                const int64_t *sp = cc + (size_t)s * ny;
                if (op && !y_fits(y, sp, op->year, op->c))
                    continue;
                int64_t *dst = nc + m * ny;
                memcpy(dst, sp, ny * sizeof *dst);
                double v = cur[s].v;
                if (op) {
                    dst[op->year] += op->c;
                    v += op->v;
                }
                double b = y_bound(y, g + 1, dst, v);
                if (b <= inc_v + tol)
                    continue;
                next[m] = (struct ystate){ v, s, (uint16_t)o };
                cand[m] = (struct ycand){ v, b, m };
                m++;
            }
        /* dominance: by value, best first; keep a state no kept one dominates.
         * The kept states are tried in the order of their last success (one
         * that dominated a state goes to the front): most of a layer's states
         * fall to a few, and the order changes which are kept not at all. */
        qsort(cand, m, sizeof *cand, ycand_cmp);
        if (rb_grow((void **)&key, &capkey, m * ny, sizeof *key) ||
            rb_grow((void **)&tryo, &captry, m, sizeof *tryo)) {
            rc = rb_err_nomem(err);
            goto done;
        }
        size_t kept = 0;
        for (size_t a = 0; a < m; a++) {
            int64_t *ka = key + kept * ny;
            y_key(y, nc + cand[a].i * ny, ka);
            int dom = 0;
            for (size_t j = 0; j < kept && !dom; j++) {
                size_t b = tryo[j];
                if (!y_le(key + b * ny, ka, ny) || cand[b].v < cand[a].v)
                    continue;
                dom = 1;
                memmove(tryo + 1, tryo, j * sizeof *tryo);
                tryo[0] = b;
            }
            if (!dom) {
                tryo[kept] = kept;
                cand[kept++] = cand[a];
            }
        }
        if (beam && kept > beam) {
            qsort(cand, kept, sizeof *cand, ycand_bound_cmp);
            kept = beam;
        }
        if (kept > RB_MCKP_YEARS_MAX_STATES) {
            rc = rb_err_set(err, RB_EUSAGE,
                            "budget choice over several years: more than %d states at site %zu; plan fewer sites "
                            "or fewer years at once", RB_MCKP_YEARS_MAX_STATES, g + 1);
            goto done;
        }
        /* the kept states, in a fixed order (their index among the children) */
        qsort(cand, kept, sizeof *cand, ycand_index_cmp);
        if (!(bp[g] = rb_mallocarray(kept ? kept : 1, sizeof **bp)) ||
            !(bo[g] = rb_mallocarray(kept ? kept : 1, sizeof **bo)) ||
            rb_grow((void **)&cur, &capcur, kept ? kept : 1, sizeof *cur) ||
            rb_grow((void **)&cc, &capcc, (kept ? kept : 1) * ny, sizeof *cc)) {
            rc = rb_err_nomem(err);
            goto done;
        }
        for (size_t a = 0; a < kept; a++) {
            size_t i = cand[a].i;
            bp[g][a] = next[i].parent;
            bo[g][a] = next[i].opt;
            cur[a] = next[i];
            memcpy(cc + a * ny, nc + i * ny, ny * sizeof *cc);
        }
        *states += kept;
        ncur = kept;
    }
    if (ncur && G) {
        size_t bi = 0;
        for (size_t a = 1; a < ncur; a++)
            if (cur[a].v > cur[bi].v)
                bi = a;
        if (cur[bi].v > inc_v + tol) {
            *found = 1;
            *best_v = cur[bi].v;
            size_t s = bi;
            for (size_t g = G; g-- > 0;) {
                size_t no = y->gopt0[g + 1] - y->gopt0[g];
                pick[g] = bo[g][s] < no ? (long)(y->gopt0[g] + bo[g][s]) : -1;
                s = bp[g][s];
            }
        }
    }
done:
    for (size_t g = 0; bp && g < G; g++)
        rb_free(bp[g]);
    for (size_t g = 0; bo && g < G; g++)
        rb_free(bo[g]);
    rb_free(bp);
    rb_free(bo);
    rb_free(cur);
    rb_free(next);
    rb_free(cc);
    rb_free(nc);
    rb_free(cand);
    rb_free(key);
    rb_free(tryo);
    return rc;
}

int rb_mckp_solve_years(const struct rb_mckp *p, const double *budget, size_t ny, double rate, int carry,
                        long *choice, int *year, struct rb_mckp_result *res, struct rb_mckp_result *greedy,
                        struct rb_err *err)
{
    size_t G = p->ngroups;
    memset(res, 0, sizeof *res);
    memset(greedy, 0, sizeof *greedy);
    if (ny < 1 || ny > RB_MCKP_MAX_YEARS)
        return rb_err_set(err, RB_EUSAGE, "budget choice: from 1 to %d yearly budgets", RB_MCKP_MAX_YEARS);
    struct yprob y = { .p = p, .ny = ny, .carry = carry, .ngroups = G };
    int64_t cum = 0, maxcap = 0;
    for (size_t t = 0; t < ny; t++) {
        int64_t b = budget[t] > 0 ? (int64_t)floor(budget[t] * 100.0 + 1e-6) : 0;
        cum += b;
        y.cap[t] = carry ? cum : b;
        maxcap = y.cap[t] > maxcap ? y.cap[t] : maxcap;
    }
    y.total_c = cum;
    size_t n = p->first[G];
    size_t *gopt0 = rb_mallocarray(G + 1, sizeof *gopt0);
    struct yopt *opt = rb_mallocarray(rb_size_mul(n ? n : 1, ny), sizeof *opt);
    double *best_rest = rb_calloc(G + 1, sizeof *best_rest);
    long *pick = rb_mallocarray(G ? G : 1, sizeof *pick);
    struct rb_ranked *ord = rb_mallocarray(rb_size_mul(n ? n : 1, ny), sizeof *ord);
    struct lp_list *lpl = NULL;
    int64_t spent[RB_MCKP_MAX_YEARS] = { 0 };
    int rc = !gopt0 || !opt || !best_rest || !pick || !ord ? rb_err_nomem(err) : RB_OK;
    if (rc)
        goto done;
    /* each site's options: every usable alternative in every year it can fit,
     * less those another of the same year beats on both value and cost */
    double disc[RB_MCKP_MAX_YEARS];
    for (size_t t = 0; t < ny; t++)
        disc[t] = pow(1 + rate, -(double)t);
    size_t no = 0;
    for (size_t g = 0; g < G; g++) {
        gopt0[g] = no;
        double best = 0;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++) {
            if (!usable(p, i, maxcap))
                continue;
            int64_t c = cents(p->cost[i]);
            for (size_t t = 0; t < ny; t++) {
                if (c > y.cap[t])
                    continue;
                double v = p->value[i] * disc[t];
                int dom = 0;
                for (size_t j = p->first[g]; j < p->first[g + 1] && !dom; j++)
                    dom = j != i && usable(p, j, maxcap) && cents(p->cost[j]) <= y.cap[t] &&
                          p->value[j] * disc[t] >= v && cents(p->cost[j]) <= c &&
                          (p->value[j] * disc[t] > v || cents(p->cost[j]) < c || j < i);
                if (dom)
                    continue;
                opt[no++] = (struct yopt){ (long)i, (uint8_t)t, v, c };
                best = fmax(best, v);
            }
        }
        best_rest[g] = best;
    }
    gopt0[G] = no;
    for (size_t g = G; g-- > 0;)
        best_rest[g] += best_rest[g + 1];
    y.gopt0 = gopt0;
    y.opt = opt;
    y.best_rest = best_rest;
    /* the LP bound of the rest: one budget, first-year values */
    if (G <= RB_MCKP_LP_CORE_MAX) {
        lpl = rb_calloc(G + 1, sizeof *lpl);
        if (!lpl) {
            rc = rb_err_nomem(err);
            goto done;
        }
        size_t buf[RB_MCKP_MAX_ITEMS];
        for (size_t k = G; k-- > 0;) {
            struct inc h[RB_MCKP_MAX_ITEMS + 1];
            size_t nh = group_hull(p, k, maxcap, buf, h);
            if (lp_merge(&lpl[k], &lpl[k + 1], h, nh)) {
                rc = rb_err_nomem(err);
                goto done;
            }
        }
        y.lpl = lpl;
        res->lp_bound = lp_value(&lpl[0], (double)(carry ? y.cap[ny - 1] : cum) / 100.0);
    } else {
        res->lp_bound = best_rest[0];
    }
    /* greedy: options by value per cost, each taken where its site has none and its year has room */
    for (size_t o = 0; o < no; o++)
        ord[o] = (struct rb_ranked){ opt[o].v / fmax((double)opt[o].c / 100.0, 1e-300), o };
    qsort(ord, no, sizeof *ord, rb_ranked_cmp);
    size_t *grp = rb_mallocarray(no ? no : 1, sizeof *grp);
    if (!grp) {
        rc = rb_err_nomem(err);
        goto done;
    }
    for (size_t g = 0; g < G; g++) {
        pick[g] = -1;
        for (size_t o = gopt0[g]; o < gopt0[g + 1]; o++)
            grp[o] = g;
    }
    for (size_t a = 0; a < no; a++) {
        const struct yopt *op = &opt[ord[a].i];
        size_t g = grp[ord[a].i];
        if (pick[g] >= 0 || !y_fits(&y, spent, op->year, op->c))
            continue;
        pick[g] = (long)ord[a].i;
        spent[op->year] += op->c;
    }
    rb_free(grp);
    double inc_v = 0;
    for (size_t g = 0; g < G; g++)
        inc_v += pick[g] >= 0 ? opt[pick[g]].v : 0;
    greedy->value = inc_v;
    for (size_t g = 0; g < G; g++) {
        choice[g] = pick[g] >= 0 ? opt[pick[g]].item : -1;
        year[g] = pick[g] >= 0 ? opt[pick[g]].year + 1 : 0;
    }
    res->value = inc_v;
    double tol = 1e-9 * fmax(1.0, fabs(inc_v));
    for (int pass = 0; pass < 2 && !rc; pass++) {
        double v;
        int found = 0;
        rc = y_run(&y, inc_v, tol, pass ? 0 : 512, &v, pick, &res->states, &found, err);
        if (rc || !found)
            continue;
        inc_v = v;
        tol = 1e-9 * fmax(1.0, fabs(inc_v));
        res->value = v;
        for (size_t g = 0; g < G; g++) {
            choice[g] = pick[g] >= 0 ? opt[pick[g]].item : -1;
            year[g] = pick[g] >= 0 ? opt[pick[g]].year + 1 : 0;
        }
    }
    res->core = G;
    res->cost = choice_cost(p, choice);
done:
    lp_lists_free(lpl, G);
    rb_free(gopt0);
    rb_free(opt);
    rb_free(best_rest);
    rb_free(pick);
    rb_free(ord);
    return rc;
}
