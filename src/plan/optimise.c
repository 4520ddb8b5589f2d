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
#include "plan/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    size_t *ord = rb_malloc((n ? n : 1) * sizeof *ord);
    size_t *grp = rb_malloc((n ? n : 1) * sizeof *grp);
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
    dst->dc = rb_malloc((n ? n : 1) * 3 * sizeof *dst->dc);
    dst->cdc = rb_malloc((n + 1) * 2 * sizeof *dst->cdc);
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

struct ranked {
    double bound;
    uint32_t i;
};

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->bound != y->bound)
        return x->bound > y->bound ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int dp_run(const struct dp *d, double inc_v, double tol, size_t beam, double *best_v, long *core_choice,
                  size_t *states, int *found)
{
    const struct rb_mckp *p = d->p;
    size_t ncore = d->ncore;
    struct st *cur = NULL, *next = NULL;
    struct ranked *rk = NULL;
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
                rk[a] = (struct ranked){ next[a].v + rest, (uint32_t)a };
            }
            qsort(rk, kept, sizeof *rk, ranked_cmp);
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
        back_parent[k] = rb_malloc((kept ? kept : 1) * sizeof **back_parent);
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

int rb_mckp_solve(const struct rb_mckp *p, double budget, long *choice, struct rb_mckp_result *res,
                  struct rb_err *err)
{
    size_t G = p->ngroups, n = p->first[G];
    int64_t budget_c = budget > 0 ? (int64_t)floor(budget * 100.0 + 1e-6) : 0;
    double B = (double)budget_c / 100.0;
    memset(res, 0, sizeof *res);
    for (size_t g = 0; g < G; g++)
        if (p->first[g + 1] - p->first[g] > RB_MCKP_MAX_ITEMS)
            return rb_err_set(err, RB_EUSAGE, "budget choice: a site has more than %d alternatives",
                              RB_MCKP_MAX_ITEMS);
    struct inc *incs = rb_malloc((n ? n : 1) * sizeof *incs);
    long *inc_choice = rb_malloc((G ? G : 1) * sizeof *inc_choice);
    double *best_r = rb_malloc((G ? G : 1) * sizeof *best_r);
    size_t *core = rb_malloc((G ? G : 1) * sizeof *core);
    /* per core group: kept options (item index, or -1 for none) */
    long (*opts)[RB_MCKP_MAX_ITEMS + 1] = rb_malloc((G ? G : 1) * sizeof *opts);
    uint8_t *nopts = rb_malloc(G ? G : 1);
    double *suffix = rb_malloc((G + 1) * sizeof *suffix);
    struct lp_list *lpl = NULL;
    int rc = RB_OK;
    if (!incs || !inc_choice || !best_r || !core || !opts || !nopts || !suffix) {
        rc = rb_err_nomem(err);
        goto done;
    }
    /* 1. LP relaxation → λ */
    size_t ninc = 0, buf[RB_MCKP_MAX_ITEMS];
    for (size_t g = 0; g < G; g++)
        ninc += group_hull(p, g, budget_c, buf, incs + ninc);
    qsort(incs, ninc, sizeof *incs, inc_cmp);
    double lambda = 0, room = B, lp = 0;
    for (size_t g = 0; g < G; g++)
        inc_choice[g] = -1;
    size_t split = ninc;
    for (size_t k = 0; k < ninc; k++) {
        if (incs[k].dc <= room) {
            room -= incs[k].dc;
            lp += incs[k].dv;
            inc_choice[incs[k].group] = (long)incs[k].item;
        } else {
            lambda = incs[k].slope;
            lp += incs[k].dv * room / incs[k].dc;
            split = k;
            break;
        }
    }
    res->lp_bound = lp;
    /* 2. incumbent: the LP's whole steps (a hull prefix per group), then
     * upgrades in slope order wherever they still fit */
    int64_t used = 0;
    for (size_t g = 0; g < G; g++)
        if (inc_choice[g] >= 0)
            used += cents(p->cost[inc_choice[g]]);
    for (size_t k = split; k < ninc; k++) {
        size_t g = incs[k].group;
        int64_t was = inc_choice[g] >= 0 ? cents(p->cost[inc_choice[g]]) : 0;
        int64_t now = cents(p->cost[incs[k].item]);
        double vwas = inc_choice[g] >= 0 ? p->value[inc_choice[g]] : 0;
        if (p->value[incs[k].item] > vwas && used - was + now <= budget_c) {
            used += now - was;
            inc_choice[g] = (long)incs[k].item;
        }
    }
    double inc_v = 0;
    for (size_t g = 0; g < G; g++)
        if (inc_choice[g] >= 0)
            inc_v += p->value[inc_choice[g]];
    /* 3. Lagrangian bound and reduced-cost fixing */
    double ub = lambda * B;
    for (size_t g = 0; g < G; g++) {
        best_r[g] = 0;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
            if (usable(p, i, budget_c))
                best_r[g] = fmax(best_r[g], p->value[i] - lambda * p->cost[i]);
        ub += best_r[g];
    }
    double tol = 1e-9 * fmax(1.0, fabs(inc_v));
    size_t ncore = 0;
    int64_t fixed_c = 0;
    double fixed_v = 0;
    int none_left = 0;
    for (size_t g = 0; g < G && !none_left; g++) {
        uint8_t k = 0;
        if (ub - best_r[g] > inc_v + tol)
            opts[g][k++] = -1;
        for (size_t i = p->first[g]; i < p->first[g + 1]; i++)
            if (usable(p, i, budget_c) && ub - (best_r[g] - (p->value[i] - lambda * p->cost[i])) > inc_v + tol)
                opts[g][k++] = (long)i;
        nopts[g] = k;
        if (k == 0)
            none_left = 1;       /* no option of this site leads anywhere better */
        else if (k == 1) {
            if (opts[g][0] >= 0) {
                fixed_c += cents(p->cost[opts[g][0]]);
                fixed_v += p->value[opts[g][0]];
            }
        } else {
            core[ncore++] = g;
        }
    }
    res->core = none_left ? 0 : ncore;
    for (size_t g = 0; g < G; g++)
        choice[g] = inc_choice[g];
    res->value = inc_v;
    if (none_left || fixed_c > budget_c)
        goto finish;
    /* 4. Pareto dynamic programme over the open sites */
    suffix[ncore] = 0;
    for (size_t k = ncore; k-- > 0;) {
        double b = -INFINITY;
        size_t g = core[k];
        for (uint8_t o = 0; o < nopts[g]; o++)
            b = fmax(b, opts[g][o] < 0 ? 0 : p->value[opts[g][o]] - lambda * p->cost[opts[g][o]]);
        suffix[k] = suffix[k + 1] + b;
    }
    /* the LP over the sites after each layer: their options' hull steps
     * (with "none" allowed, which can only raise the bound), by slope, with
     * running sums, so a state's bound is its value plus the LP of what its
     * money can still buy. Built while the open sites are few. */
    if (ncore <= RB_MCKP_LP_CORE_MAX) {
        lpl = rb_calloc(ncore + 1, sizeof *lpl);
        if (!lpl) {
            rc = rb_err_nomem(err);
            goto done;
        }
        for (size_t k = ncore; k-- > 0;) {
            size_t g = core[k];
            struct inc h[RB_MCKP_MAX_ITEMS + 1];
            size_t nh = opts_hull(p, opts[g], nopts[g], h);
            struct lp_list *nx = &lpl[k + 1];
            /* lpl[k]: the sites from layer k on, so lpl[k + 1] bounds a state of layer k */
            if (k + 1 <= ncore && lp_merge(&lpl[k], nx, h, nh)) {
                rc = rb_err_nomem(err);
                goto done;
            }
        }
    }
    struct dp d = { p, ncore, core, opts, nopts, suffix, lpl, lambda, B, budget_c, fixed_c, fixed_v };
    long *core_choice = rb_malloc((ncore ? ncore : 1) * sizeof *core_choice);
    if (!core_choice) {
        rc = rb_err_nomem(err);
        goto done;
    }
    /* a narrow pass first (the best states by bound, a few thousand a layer)
     * finds a choice near the best, so the exact pass prunes far more */
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
            choice[g] = nopts[g] == 1 ? opts[g][0] : -1;
        for (size_t k = 0; k < ncore; k++)
            choice[core[k]] = core_choice[k];
        res->value = 0;
        for (size_t g = 0; g < G; g++)
            if (choice[g] >= 0)
                res->value += p->value[choice[g]];
    }
    rb_free(core_choice);
    if (rc) {
        rb_err_nomem(err);
        goto done;
    }
finish:
    {
        int64_t c = 0;
        for (size_t g = 0; g < G; g++)
            if (choice[g] >= 0)
                c += cents(p->cost[choice[g]]);
        res->cost = (double)c / 100.0;
    }
done:
    for (size_t k = 0; lpl && k <= ncore; k++) {
        rb_free(lpl[k].dc);
        rb_free(lpl[k].cdc);
    }
    rb_free(lpl);
    rb_free(incs);
    rb_free(inc_choice);
    rb_free(best_r);
    rb_free(core);
    rb_free(opts);
    rb_free(nopts);
    rb_free(suffix);
    return rc;
}
