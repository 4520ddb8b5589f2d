/* plan/plan: the alternatives each site calls for, their ranking, and the
 * budget choice over them. */
#include "plan/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rb_plan_free(struct rb_plan *plan)
{
    if (!plan)
        return;
    rb_free(plan->alt);
    rb_free(plan->pres);
    memset(plan, 0, sizeof *plan);
}

/* Ranks the alternatives by one value each (best first; ties: the earlier),
 * into their rank (kabco 0) or rank_kabco (1). */
static int rank_by_value(struct rb_plan *plan, int kabco, const double *cost_sep, int by, struct rb_err *err)
{
    struct rb_ranked *m = rb_mallocarray(plan->n ? plan->n : 1, sizeof *m);
    if (!m)
        return rb_err_nomem(err);
    for (size_t i = 0; i < plan->n; i++) {
        const struct rb_appraisal *a = &plan->alt[i].a;
        double v;
        if (kabco) {
            double b = 0;
            for (int s = 0; s < 5; s++)
                b += a->pv_avoided_sev[s] * cost_sep[s];
            v = plan->alt[i].npv_kabco = b - a->pv_cost;
        } else {
            v = by == RB_RANK_BCR ? a->bcr : by == RB_RANK_CRASHES ? a->avoided_per_yr : a->npv;
        }
        m[i] = (struct rb_ranked){ v == v ? v : -INFINITY, i };
    }
    if (plan->n)
        qsort(m, plan->n, sizeof *m, rb_ranked_cmp);
    for (size_t r = 0; r < plan->n; r++)
        *(kabco ? &plan->alt[m[r].i].rank_kabco : &plan->alt[m[r].i].rank) = (int)r + 1;
    rb_free(m);
    return RB_OK;
}

int rb_plan_rank(struct rb_plan *plan, int by, struct rb_err *err)
{
    return rank_by_value(plan, 0, NULL, by, err);
}

double rb_plan_combine_costs(int how, const struct rb_plan_crash *ref, size_t nref, double cost[5])
{
    if (how >= 2)
        return NAN;
    int last = how == 0 ? RB_SEV_A : RB_SEV_B;
    double n[5] = { 0 }, num = 0, den = 0;
    for (size_t i = 0; i < nref; i++)
        if (ref[i].sev <= RB_SEV_O)
            n[ref[i].sev]++;
    for (int s = RB_SEV_K; s <= last; s++) {
        num += n[s] * cost[s];
        den += n[s];
    }
    if (!(den > 0))
        return NAN;
    for (int s = RB_SEV_K; s <= last; s++)
        cost[s] = num / den;
    return num / den;
}

int rb_plan_rank_kabco(struct rb_plan *plan, const double cost_sep[5], struct rb_err *err)
{
    return rank_by_value(plan, 1, cost_sep, RB_RANK_NPV, err);
}

int rb_plan_rank_incremental(struct rb_plan *plan, size_t nsites, struct rb_err *err)
{
    size_t n = plan->n;
    double *b = rb_mallocarray(n ? n : 1, sizeof *b), *c = rb_mallocarray(n ? n : 1, sizeof *c);
    int *rank = rb_mallocarray(n ? n : 1, sizeof *rank);
    size_t *top = rb_mallocarray(nsites ? nsites : 1, sizeof *top), ntop = 0;
    int rc = !b || !c || !rank || !top ? RB_ENOMEM : RB_OK;
    /* within each site (alternatives arrive grouped by site) */
    for (size_t i = 0; i < n && !rc;) {
        size_t j = i;
        while (j < n && plan->alt[j].site == plan->alt[i].site) {
            b[j - i] = plan->alt[j].a.pv_benefit;
            c[j - i] = plan->alt[j].a.pv_cost;
            j++;
        }
        if ((rc = rb_incremental_rank(b, c, j - i, rank)))
            break;
        for (size_t k = i; k < j; k++) {
            plan->alt[k].ibc_site_rank = rank[k - i];
            plan->alt[k].ibc_rank = 0;
            if (rank[k - i] == 1)
                top[ntop++] = k;
        }
        i = j;
    }
    /* the sites' preferred alternatives across the network */
    for (size_t t = 0; t < ntop && !rc; t++) {
        b[t] = plan->alt[top[t]].a.pv_benefit;
        c[t] = plan->alt[top[t]].a.pv_cost;
    }
    if (!rc && !(rc = rb_incremental_rank(b, c, ntop, rank)))
        for (size_t t = 0; t < ntop; t++)
            plan->alt[top[t]].ibc_rank = rank[t];
    rb_free(b);
    rb_free(c);
    rb_free(rank);
    rb_free(top);
    return rc ? rb_err_nomem(err) : RB_OK;
}

int rb_plan_works(const struct rb_plan *plan, const struct rb_catalogue *cat, const struct rb_plan_site *sites,
                  const struct rb_layout_ctx *ctx, struct rb_works *out, struct rb_err *err)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct rb_plan_alt *al = &plan->alt[i];
        if (!al->selected)
            continue;
        for (size_t k = 0; k < cat->n; k++) {
            if (!(al->cms >> k & 1))
                continue;
            size_t n0 = out->n;
            double q, c;
            if (rb_layout(ctx, &cat->cm[k], k, &sites[al->site], al->site, out, &q, &c, err))
                return err->code;
            for (size_t j = n0; j < out->n; j++)
                out->w[j].alt = i;
        }
    }
    return RB_OK;
}

void rb_plan_totals(const struct rb_plan *plan, struct rb_plan_totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < plan->n; i++) {
        const struct rb_appraisal *a = &plan->alt[i].a;
        if (!plan->alt[i].selected)
            continue;
        t->selected++;
        t->install_cost += a->install_cost;
        t->pv_benefit += a->pv_benefit;
        t->pv_cost += a->pv_cost;
        t->npv += a->npv;
        t->avoided_per_yr += a->avoided_per_yr;
        t->ksi_avoided_per_yr += a->ksi_avoided_per_yr;
    }
}

static int push(struct rb_plan *plan, size_t site, uint64_t cms, const struct rb_appraisal *a, const struct rb_diag *d,
                int unknown, struct rb_err *err)
{
    if (rb_grow((void **)&plan->alt, &plan->cap, plan->n + 1, sizeof *plan->alt))
        return rb_err_nomem(err);
    plan->alt[plan->n++] = (struct rb_plan_alt){ .site = site, .cms = cms, .a = *a, .diag = *d, .unknown = unknown };
    return RB_OK;
}

static void appraise_set(const struct rb_catalogue *cat, const size_t *k, size_t n, const struct rb_plan_site *s,
                         const struct rb_plan_crash *crash, const double *qty_by_cm, double *const *share_by_cm,
                         const struct rb_econ *e, struct rb_appraisal *a)
{
    const struct rb_cm *cms[RB_CM_MAX];
    double qty[RB_CM_MAX];
    const double *share[RB_CM_MAX];
    for (size_t i = 0; i < n; i++) {
        cms[i] = &cat->cm[k[i]];
        qty[i] = qty_by_cm[k[i]];
        share[i] = share_by_cm[k[i]];
    }
    rb_appraise(cms, qty, share, n, crash + s->c0, s->nc, s->expected_per_yr, e, a);
    rb_appraise_range(cms, qty, share, n, crash + s->c0, s->nc, s->expected_per_yr, e, a);
}

/* a or b names the other in its excludes */
static int excludes(const struct rb_catalogue *cat, size_t a, size_t b)
{
    for (size_t x = 0; x < cat->cm[a].nexcludes; x++)
        if (!strcmp(cat->cm[a].excludes[x], cat->cm[b].id))
            return 1;
    for (size_t x = 0; x < cat->cm[b].nexcludes; x++)
        if (!strcmp(cat->cm[b].excludes[x], cat->cm[a].id))
            return 1;
    return 0;
}

static int excluded(const struct rb_catalogue *cat, size_t a, size_t b)
{
    for (size_t p = 0; p < cat->npk; p++)   /* a package's members act together only as the package */
        if (cat->pk[p].members >> a & 1 && cat->pk[p].members >> b & 1)
            return 1;
    return excludes(cat, a, b);
}

/* k is already there at the site, or cannot be combined with what is */
static int present_or_excluded(const struct rb_catalogue *cat, size_t k, uint64_t present)
{
    if (present >> k & 1)
        return 1;
    for (size_t j = 0; present && j < cat->n; j++)
        if (present >> j & 1 && excludes(cat, j, k))
            return 1;
    return 0;
}

int rb_plan_ref_counts(const struct rb_catalogue *cat, const struct rb_plan_crash *ref, size_t nref, size_t npop,
                       struct rb_plan_ref *out, struct rb_err *err)
{
    npop = npop ? npop : 1;
    out->npop = npop;
    out->x = rb_calloc(rb_size_mul(npop, RB_REF_W), sizeof *out->x);
    out->n = rb_calloc(npop, sizeof *out->n);
    if (!out->x || !out->n) {
        rb_plan_ref_free(out);
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < nref; i++) {
        if (ref[i].sev > RB_SEV_O)
            continue;
        size_t p = ref[i].pop < npop ? ref[i].pop : 0;
        out->n[p]++;
        for (size_t k = 0; k < cat->n; k++)
            out->x[p * RB_REF_W + k] += (unsigned)rb_pattern_has(&cat->cm[k].trigger, &ref[i]);
        for (size_t k = 0; k < cat->npk; k++)
            out->x[p * RB_REF_W + RB_CM_MAX + k] += (unsigned)rb_pattern_has(&cat->pk[k].trigger, &ref[i]);
    }
    return RB_OK;
}

void rb_plan_ref_free(struct rb_plan_ref *r)
{
    rb_free(r->x);
    rb_free(r->n);
    memset(r, 0, sizeof *r);
}

static uint64_t priced_mask(const struct rb_catalogue *cat)
{
    uint64_t m = 0;
    for (size_t k = 0; k < cat->n; k++)
        m |= (uint64_t)(cat->cm[k].priced != 0) << k;
    return m;
}

/* Entry k laid out at site s (opt->layout) or measured along it: its quantity
 * in qty[k] and, laid out, its zone over the site's crashes in share[k] (a row
 * of shares); *laid says it was done. */
static int lay_out(const struct rb_catalogue *cat, size_t k, const struct rb_plan_site *s, size_t site_index,
                   const struct rb_plan_opt *opt, struct rb_works *scratch, double *qty, double **share,
                   double *shares, int *laid, struct rb_err *err)
{
    laid[k] = 1;
    if (!opt->layout) {
        qty[k] = rb_cm_quantity(&cat->cm[k], s->to_m - s->from_m, s->curve_len_m);
        return RB_OK;
    }
    double cover;
    scratch->n = 0;
    int rc = rb_layout(opt->layout, &cat->cm[k], k, s, site_index, scratch, &qty[k], &cover, err);
    if (rc || !(qty[k] > 0))
        return rc;
    share[k] = shares + k * (s->nc ? s->nc : 1);
    rb_layout_shares(opt->layout, &cat->cm[k], s, scratch->w, scratch->n, cover, share[k]);
    return RB_OK;
}

/* Package p at a site: its members, laid out, cost what they cost and act
 * on nothing themselves; the package's CMF acts on its target crashes where
 * every member acts (the smallest of their shares: the package was measured
 * where all of it stood), for the shortest member's life. */
static int appraise_package(const struct rb_catalogue *cat, size_t p, const struct rb_plan_site *s,
                            const struct rb_plan_crash *crash, const double *qty_by_cm, double *const *share_by_cm,
                            const struct rb_econ *e, struct rb_appraisal *a, struct rb_err *err)
{
    const struct rb_cm_package *pk = &cat->pk[p];
    struct rb_cm *m = rb_calloc(RB_CM_MAX + 1, sizeof *m);
    double *zone = rb_mallocarray(s->nc ? s->nc : 1, sizeof *zone);
    const struct rb_cm *cms[RB_CM_MAX + 1];
    double qty[RB_CM_MAX + 1];
    const double *share[RB_CM_MAX + 1];
    if (!m || !zone) {
        rb_free(m);
        rb_free(zone);
        return rb_err_nomem(err);
    }
    size_t n = 0;
    struct rb_cm *pc = &m[RB_CM_MAX];
    pc->target = pk->target;
    pc->cmf = pk->cmf;
    pc->cmf_se = pk->cmf_se;
    pc->life_yr = INFINITY;
    for (size_t i = 0; i < s->nc; i++)
        zone[i] = 1;
    for (size_t k = 0; k < cat->n; k++) {
        if (!(pk->members >> k & 1))
            continue;
        m[n] = cat->cm[k];
        m[n].cmf = 1;                          /* its cost; the package acts for it */
        m[n].cmf_se = 0;
        memset(&m[n].target, 0, sizeof m[n].target);
        pc->life_yr = fmin(pc->life_yr, cat->cm[k].life_yr);
        for (size_t i = 0; i < s->nc; i++)
            zone[i] = fmin(zone[i], share_by_cm[k] ? share_by_cm[k][i] : 1);
        cms[n] = &m[n];
        qty[n] = qty_by_cm[k];
        share[n++] = NULL;
    }
    cms[n] = pc;
    qty[n] = 0;
    share[n++] = zone;
    rb_appraise(cms, qty, share, n, crash + s->c0, s->nc, s->expected_per_yr, e, a);
    rb_appraise_range(cms, qty, share, n, crash + s->c0, s->nc, s->expected_per_yr, e, a);
    rb_free(m);
    rb_free(zone);
    return RB_OK;
}

int rb_plan_site_alternatives(const struct rb_catalogue *cat, const struct rb_plan_site *s, size_t site_index,
                              const struct rb_plan_crash *crash, const struct rb_plan_ref *ref,
                              const struct rb_plan_opt *opt, struct rb_plan *plan, struct rb_err *err)
{
    size_t cand[RB_CM_MAX], nc = 0;
    struct rb_diag diag[RB_CM_MAX];
    struct rb_appraisal single[RB_CM_MAX];
    double qty[RB_CM_MAX] = { 0 };
    double *share[RB_CM_MAX] = { 0 };    /* each candidate's zone over the site's crashes (NULL: all of them) */
    double *shares = rb_mallocarray(rb_size_mul(cat->n, s->nc ? s->nc : 1), sizeof *shares);
    int unk[RB_CM_MAX], laid[RB_CM_MAX] = { 0 };
    struct rb_works scratch = { 0 };
    size_t pop = s->pop < ref->npop ? s->pop : 0;
    int rc = shares ? RB_OK : rb_err_nomem(err);
    for (size_t k = 0; k < cat->n && !rc; k++) {
        int u = 0;
        if (!rb_cm_applies(&cat->cm[k], &s->road, &u))
            continue;
        if (present_or_excluded(cat, k, s->road.present)) {   /* already there: not proposed again */
            struct rb_diag d0;
            rb_diagnose_vs(&cat->cm[k].trigger, crash + s->c0, s->nc, ref->x[pop * RB_REF_W + k], ref->n[pop], &d0);
            if (d0.x_site >= opt->min_pattern && d0.p_value <= opt->alpha) {
                if (rb_grow((void **)&plan->pres, &plan->cappres, plan->present + 1, sizeof *plan->pres)) {
                    rc = rb_err_nomem(err);
                    break;
                }
                plan->pres[plan->present++] = (struct rb_plan_present){ site_index, (uint32_t)k };
            }
            continue;
        }
        struct rb_diag d;
        rb_diagnose_vs(&cat->cm[k].trigger, crash + s->c0, s->nc, ref->x[pop * RB_REF_W + k], ref->n[pop], &d);
        if (d.x_site < opt->min_pattern || d.p_value > opt->alpha)
            continue;
        if (!opt->allow_unrated && !rb_cm_checked(&cat->cm[k])) {
            plan->unrated++;
            continue;
        }
        if (!cat->cm[k].priced) {
            plan->unpriced++;
            continue;
        }
        if ((rc = lay_out(cat, k, s, site_index, opt, &scratch, qty, share, shares, laid, err)))
            break;
        if (!(qty[k] > 0)) {
            plan->unlaid++;
            continue;
        }
        diag[nc] = d;
        unk[nc] = u;
        appraise_set(cat, &k, 1, s, crash, qty, share, &opt->econ, &single[nc]);
        cand[nc++] = k;
        rc = push(plan, site_index, 1ull << k, &single[nc - 1], &d, u, err);
    }
    /* packages: their members' conditions must all hold, and its trigger be over-represented */
    for (size_t p = 0; p < cat->npk && !rc; p++) {
        const struct rb_cm_package *pk = &cat->pk[p];
        int u = 0, ok = 1;
        for (size_t k = 0; k < cat->n && ok; k++)
            ok = !(pk->members >> k & 1) ||
                 (rb_cm_applies(&cat->cm[k], &s->road, &u) && !present_or_excluded(cat, k, s->road.present));
        struct rb_diag d;
        rb_diagnose_vs(&pk->trigger, crash + s->c0, s->nc, ref->x[pop * RB_REF_W + RB_CM_MAX + p], ref->n[pop], &d);
        if (!ok || d.x_site < opt->min_pattern || d.p_value > opt->alpha)
            continue;
        if (!opt->allow_unrated && strcmp(pk->status, "checked")) {
            plan->unrated++;
            continue;
        }
        if ((pk->members & priced_mask(cat)) != pk->members) {
            plan->unpriced++;
            continue;
        }
        for (size_t k = 0; k < cat->n && ok && !rc; k++)
            if (pk->members >> k & 1) {
                if (!laid[k])
                    rc = lay_out(cat, k, s, site_index, opt, &scratch, qty, share, shares, laid, err);
                ok = qty[k] > 0;
            }
        if (!rc && !ok)
            plan->unlaid++;
        struct rb_appraisal a;
        if (!rc && ok && !(rc = appraise_package(cat, p, s, crash, qty, share, &opt->econ, &a, err)))
            rc = push(plan, site_index, pk->members, &a, &d, u, err);
    }
    rb_works_free(&scratch);
    if (rc || nc < 2) {
        rb_free(shares);
        return rc;
    }
    /* the bundle: by single benefit-cost ratio, best first (ties: catalogue order) */
    size_t ord[RB_CM_MAX];
    for (size_t i = 0; i < nc; i++) {
        size_t b = i;
        ord[i] = i;
        while (b > 0) {
            double x = single[ord[b - 1]].bcr, y = single[i].bcr;
            if (x > y || (x == y && ord[b - 1] < i) || y != y)
                break;
            ord[b] = ord[b - 1];
            b--;
        }
        ord[b] = i;
    }
    /* bundles: the best two compatible, then the best three (more rarely pay:
     * each extra CMF acts on crashes the others already cut) */
    size_t take[RB_CM_MAX], nt = 0;
    uint64_t mask = 0;
    int u = 0;
    size_t strongest = ord[0];
    for (size_t i = 0; i < nc && nt < 3; i++) {
        size_t k = cand[ord[i]];
        int clash = 0;
        for (size_t j = 0; j < nt && !clash; j++)
            clash = excluded(cat, take[j], k);
        if (clash)
            continue;
        take[nt++] = k;
        mask |= 1ull << k;
        u |= unk[ord[i]];
        if (diag[ord[i]].p_value < diag[strongest].p_value)
            strongest = ord[i];
        if (nt >= 2) {
            struct rb_appraisal a;
            appraise_set(cat, take, nt, s, crash, qty, share, &opt->econ, &a);
            if (push(plan, site_index, mask, &a, &diag[strongest], u, err)) {
                rb_free(shares);
                return err->code;
            }
        }
    }
    rb_free(shares);
    return RB_OK;
}

/* The choice over one budget (nyears 0) or several. */
static int choose(struct rb_plan *plan, size_t nsites, double budget, const double *budgets, size_t nyears,
                  int carry, double rate, int objective, struct rb_err *err)
{
    /* alternatives arrive grouped by site, in site order */
    size_t *first = rb_mallocarray(nsites + 1, sizeof *first);
    double *cost = rb_mallocarray(plan->n ? plan->n : 1, sizeof *cost);
    double *value = rb_mallocarray(plan->n ? plan->n : 1, sizeof *value);
    long *choice = rb_mallocarray(nsites ? nsites : 1, sizeof *choice);
    int *year = rb_mallocarray(nsites ? nsites : 1, sizeof *year);
    int rc = !first || !cost || !value || !choice || !year ? rb_err_nomem(err) : RB_OK;
    size_t i = 0;
    for (size_t g = 0; g < nsites && !rc; g++) {
        first[g] = i;
        while (i < plan->n && plan->alt[i].site == g)
            i++;
        if (i - first[g] > RB_MCKP_MAX_ITEMS)
            rc = rb_err_set(err, RB_EUSAGE, "plan: site %zu has more than %d alternatives", g, RB_MCKP_MAX_ITEMS);
    }
    if (!rc && i != plan->n)
        rc = rb_err_set(err, RB_EINVAL, "plan: alternatives out of site order");
    if (!rc) {
        first[nsites] = i;
        for (size_t k = 0; k < plan->n; k++) {
            cost[k] = plan->alt[k].a.install_cost;   /* the budget pays for building */
            value[k] = objective == RB_OBJ_CRASHES ? plan->alt[k].a.avoided_per_yr
                                                  : plan->alt[k].a.npv;
            plan->alt[k].selected = plan->alt[k].year = 0;
        }
        struct rb_mckp p = { nsites, first, cost, value };
        plan->budget = budget;
        plan->nyears = nyears;
        plan->carry = carry;
        if (nyears) {
            memcpy(plan->budgets, budgets, nyears * sizeof *budgets);
            rc = rb_mckp_solve_years(&p, budgets, nyears, rate, carry, choice, year, &plan->exact, &plan->greedy, err);
        } else {
            rc = rb_mckp_greedy(&p, budget, choice, &plan->greedy, err);
            if (!rc)
                rc = rb_mckp_solve(&p, budget, choice, &plan->exact, err);
            for (size_t g = 0; g < nsites; g++)
                year[g] = choice[g] >= 0;
        }
        for (size_t g = 0; g < nsites && !rc; g++)
            if (choice[g] >= 0) {
                plan->alt[choice[g]].selected = 1;
                plan->alt[choice[g]].year = year[g];
            }
    }
    rb_free(first);
    rb_free(cost);
    rb_free(value);
    rb_free(choice);
    rb_free(year);
    return rc;
}

int rb_plan_choose(struct rb_plan *plan, size_t nsites, double budget, int objective, struct rb_err *err)
{
    return choose(plan, nsites, budget, NULL, 0, 0, 0, objective, err);
}

int rb_plan_choose_years(struct rb_plan *plan, size_t nsites, const double *budgets, size_t nyears, int carry,
                         double rate, int objective, struct rb_err *err)
{
    double sum = 0;
    for (size_t t = 0; t < nyears; t++)
        sum += budgets[t];
    return choose(plan, nsites, sum, budgets, nyears, carry, rate, objective, err);
}
