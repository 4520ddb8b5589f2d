/* run/plan: the planning stage — from screening's arrays (fresh, or a saved
 * screening's) to the plan's sites, alternatives, budget choice and work orders. */
#include "run/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The plan's options as values. */
struct plan_params {
    int objective;                 /* enum rb_objective */
    int rank_by;                   /* enum rb_rank_by */
    double budgets[RB_MCKP_MAX_YEARS];
    size_t nyears;                 /* yearly budgets; 0: one budget */
    int carry;
    int allow_unrated;             /* entries whose CMF is not checked may be chosen */
    size_t nindex;                 /* plan.price_index: index[k] of year[k] */
    int index_year[64];
    double index[64];
};

static int plan_params(const struct rb_config *cfg, struct plan_params *p, struct rb_err *err)
{
    memset(p, 0, sizeof *p);
    /* the words were checked against the option table's choices when set */
    p->objective = rb_config_choice("plan.objective", cfg->objective) == 1 ? RB_OBJ_CRASHES : RB_OBJ_NPV;
    if (!(cfg->discount_rate >= 0 && cfg->discount_rate < 1))
        return rb_err_set(err, RB_EUSAGE, "plan: discount rate must lie in [0, 1), e.g. 0.04");
    double T = cfg->analysis_period_yr;
    if (!(T >= 0 && T <= 100 && T == floor(T)))
        return rb_err_set(err, RB_EUSAGE, "plan: the analysis period must be whole years from 1 to 100 (0: each "
                          "alternative over its longest service life), not %g", T);
    if (cfg->budget == cfg->budget && !(cfg->budget >= 0))
        return rb_err_set(err, RB_EUSAGE, "plan: budget must be a sum of money of 0 or more");
    static const int rank[] = { RB_RANK_NPV, RB_RANK_BCR, RB_RANK_CRASHES };   /* plan.rank_by's choices */
    int r = rb_config_choice("plan.rank_by", cfg->plan_rank_by);
    p->rank_by = r >= 0 ? rank[r] : RB_RANK_NPV;
    if (!(cfg->alpha > 0 && cfg->alpha <= 1))
        return rb_err_set(err, RB_EUSAGE, "plan: alpha must lie in (0, 1]");
    /* several yearly budgets: "800000,600000,600000" */
    for (const char *q = cfg->budgets; q && *q;) {
        char *end;
        double v = strtod(q, &end);
        if (end == q || !(v >= 0) || p->nyears == RB_MCKP_MAX_YEARS || (*end && *end != ','))
            return rb_err_set(err, RB_EUSAGE, "plan: budgets must be 1 to %d sums of money 0 or more, comma "
                              "separated, e.g. 800000,600000,600000 (not '%s')", RB_MCKP_MAX_YEARS, cfg->budgets);
        p->budgets[p->nyears++] = v;
        q = *end ? end + 1 : end;
    }
    if (cfg->budgets && !p->nyears)
        return rb_err_set(err, RB_EUSAGE, "plan: budgets is empty");
    if (p->nyears && cfg->budget == cfg->budget)
        return rb_err_set(err, RB_EUSAGE, "plan: give one budget (--budget) or yearly budgets (--budgets), not both");
    int carry = rb_config_choice("plan.carry_over", cfg->carry_over);   /* yes, no, true, false */
    p->carry = carry == 0 || carry == 2;
    if (cfg->systemic_budget == cfg->systemic_budget && !rb_run_systemic_on(cfg))
        return rb_err_set(err, RB_EUSAGE, "plan.systemic_budget (--systemic-budget) without plan.systemic: name the"
                          " countermeasure to roll out with --systemic ID");
    if (cfg->systemic_budget == cfg->systemic_budget && !(cfg->systemic_budget >= 0))
        return rb_err_set(err, RB_EUSAGE, "plan.systemic_budget: a sum of money of 0 or more");
    int unrated = rb_config_choice("plan.allow_unrated", cfg->allow_unrated);
    p->allow_unrated = unrated == 0 || unrated == 2;
    /* plan.price_index: YEAR=INDEX pairs, each year once, each index above 0 */
    for (const char *q = cfg->price_index; q && *q;) {
        char *end;
        long y = strtol(q, &end, 10);
        double v = *end == '=' ? strtod(end + 1, &end) : NAN;
        if (end == q || !(v > 0) || !isfinite(v) || y < 1 || y > 9999 || (*end && *end != ',') ||
            p->nindex >= sizeof p->index / sizeof *p->index)
            return rb_err_set(err, RB_EUSAGE, "plan.price_index (--price-index) is YEAR=INDEX pairs, e.g. "
                              "2001=177.1,2024=313.7, not '%s'", cfg->price_index);
        for (size_t k = 0; k < p->nindex; k++)
            if (p->index_year[k] == (int)y)
                return rb_err_set(err, RB_EUSAGE, "plan.price_index gives %ld twice", y);
        p->index_year[p->nindex] = (int)y;
        p->index[p->nindex++] = v;
        q = *end ? end + 1 : end;
    }
    return RB_OK;
}

int rb_run_plan_check(const struct rb_config *cfg, struct rb_err *err)
{
    struct plan_params p;
    return plan_params(cfg, &p, err);
}

void rb_run_plan_free(struct rb_run_plan *ps)
{
    rb_plan_free(&ps->plan);
    rb_free(ps->sites);
    rb_free(ps->crash);
    rb_free(ps->ref);
    rb_free(ps->seg_road);
    rb_free(ps->gaps);
    rb_works_free(&ps->works);
    rb_run_systemic_free(&ps->sys);
    rb_run_coverage_free(&ps->cov);
    memset(ps, 0, sizeof *ps);
}

/* Each segment's road as the plan sees it, and its bridge flag. */
static void plan_roads(const struct rb_run *run, const struct rb_run_plan_in *in, struct rb_plan_road *road,
                       uint8_t *bridge)
{
    const struct rb_roads *roads = &run->roads;
    const struct rb_table *t = &roads->attrs;
    for (size_t s = 0; s < roads->nsegs; s++) {
        double l = roads->col_lanes >= 0 ? rb_table_number(t, (size_t)roads->col_lanes, s) : NAN;
        char b[64];
        int div = rb_run_road_flag(roads, &run->vocab, roads->col_divided, s);
        road[s] = (struct rb_plan_road){
            .is_intersection = 0,
            .area = roads->col_area >= 0 && in->urban ? (int8_t)in->urban[s] : -1,
            .speed_kmh = roads->col_speed >= 0 ? rb_parse_speed_kmh(rb_table_text(t, (size_t)roads->col_speed, s, b,
                                                                                   sizeof b))
                                               : NAN,
            .aadt = in->seg_sites->aadt[s],
            .shoulder_m = roads->col_shoulder >= 0 ? rb_table_number(t, (size_t)roads->col_shoulder, s) : NAN,
            .lanes = l == l && l > 0 ? (int)lround(l) : 0,
            .divided = div,
            .curve = -1,
        };
        bridge[s] = rb_run_road_flag(roads, &run->vocab, roads->col_bridge, s) == 1;
    }
}

/* The work-order layout's rules: the config's where given, else the tables'. */
static void layout_ctx(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    const struct rb_placement *pl = &ps->place;
    ps->lay = (struct rb_layout_ctx){
        &run->net, &run->routes, ps->seg_road, ps->gaps, ps->ngaps, pl,
        { cfg->gap_junction_m == cfg->gap_junction_m ? cfg->gap_junction_m : pl->gap_junction_m,
          cfg->gap_bridge_m == cfg->gap_bridge_m ? cfg->gap_bridge_m : pl->gap_bridge_m,
          cfg->gap_settlement_m == cfg->gap_settlement_m ? cfg->gap_settlement_m : pl->gap_settlement_m },
        cfg->default_speed_kmh == cfg->default_speed_kmh ? cfg->default_speed_kmh : pl->default_speed_kmh,
        cfg->device_offset_m == cfg->device_offset_m ? cfg->device_offset_m : pl->device_offset_m,
        cfg->curve_radius_m, rb_config_choice("plan.drive_side", cfg->drive_side) == 1, ps->crash
    };
}

/* Alternatives for every site, ranked, then the budget choice. */
static int appraise_and_choose(struct rb_run *run, const struct plan_params *pp, const struct rb_run_plan_in *in)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    struct rb_err *err = &run->err;
    struct rb_plan_opt opt = { cfg->alpha, (unsigned)cfg->min_pattern, { cfg->discount_rate, { 0 }, 0, cfg->analysis_period_yr }, pp->objective,
                               &ps->lay, pp->allow_unrated };
    double sep[5];
    for (int k = 0; k < 5; k++)
        sep[k] = opt.econ.cost_per_crash[k] = run->costs.cost[k] * ps->plan.cost_factor;
    ps->plan.severity_costs = rb_config_choice("plan.severity_costs", cfg->severity_costs);
    ps->plan.severity_costs = ps->plan.severity_costs < 0 ? 0 : ps->plan.severity_costs;
    ps->plan.cost_combined = rb_plan_combine_costs(ps->plan.severity_costs, ps->ref, ps->nref,
                                                   opt.econ.cost_per_crash);
    opt.econ.best_only = rb_config_choice("plan.combine", cfg->combine) == 1;
    struct rb_plan_ref refc = { 0 };
    int rc = rb_plan_ref_counts(&ps->cat, ps->ref, ps->nref, in->seg_sites->pop ? in->seg_sites->npop : 1, &refc, err);
    for (size_t s = 0; s < ps->nsites && !rc; s++)
        rc = rb_plan_site_alternatives(&ps->cat, &ps->sites[s], s, ps->crash, &refc, &opt, &ps->plan, err);
    rb_plan_ref_free(&refc);
    if (!rc && ps->plan.unpriced)
        rb_find(&run->log, "unpriced", 0, 1,
                "%zu times a site called for a countermeasure the prices in use (%s) do not price: it was left "
                "out; give it a price in that file (unit_cost, upkeep_per_yr, life_yr) to plan it",
                ps->plan.unpriced, ps->cat.prices_path[0] ? ps->cat.prices_path : "the catalogue's");
    if (!rc)
        rc = rb_plan_rank(&ps->plan, pp->rank_by, err);
    if (!rc)
        rc = rb_plan_rank_kabco(&ps->plan, sep, err);
    if (!rc)
        rc = rb_plan_rank_incremental(&ps->plan, ps->nsites, err);
    if (!rc && pp->nyears) {
        rc = rb_plan_choose_years(&ps->plan, ps->nsites, pp->budgets, pp->nyears, pp->carry, cfg->discount_rate,
                                  pp->objective, err);
    } else if (!rc) {
        double budget = cfg->budget;
        if (budget != budget) {          /* no budget: everything worth doing */
            budget = 0;
            for (size_t i = 0; i < ps->plan.n; i++)
                budget += ps->plan.alt[i].a.install_cost;
        }
        rc = rb_plan_choose(&ps->plan, ps->nsites, budget, pp->objective, err);
        ps->plan.budget = cfg->budget;   /* reported as given: NaN when there was none */
    }
    return rc;
}

/* The crash costs brought to the catalogue's price year by the index, when
 * their years differ; without an index for both years, as they are and a
 * finding (price_years). */
static int price_basis(struct rb_run *run, const struct plan_params *pp)
{
    struct rb_plan *pl = &run->ps.plan;
    int py = run->ps.cat.price_year, cy = run->costs.year;
    pl->price_year = py;
    pl->cost_year = cy;
    pl->cost_factor = 1;
    if (!py || !cy || py == cy)
        return RB_OK;
    double ip = NAN, ic = NAN;
    for (size_t k = 0; k < pp->nindex; k++) {
        if (pp->index_year[k] == py)
            ip = pp->index[k];
        if (pp->index_year[k] == cy)
            ic = pp->index[k];
    }
    if (pp->nindex && (!(ip == ip) || !(ic == ic)))
        return rb_err_set(&run->err, RB_EUSAGE, "plan.price_index has no index for %d (the %s's year)",
                          !(ip == ip) ? py : cy, !(ip == ip) ? "catalogue's prices" : "crash costs");
    if (!pp->nindex) {
        rb_find(&run->log, "price_years", 0, 1,
                "the catalogue's prices are of %d but the crash costs of %d: benefits in %d money are set against "
                "%d costs; give plan.price_index (--price-index) with both years to bring the crash costs to %d",
                py, cy, cy, py, py);
        return RB_OK;
    }
    pl->cost_factor = ip / ic;
    return RB_OK;
}

int rb_run_plan_stage(struct rb_run *run, const struct rb_run_plan_in *in)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_run_plan *ps = &run->ps;
    struct rb_err *err = &run->err;
    size_t nseg = run->roads.nsegs;
    rb_run_step(run, "planning");
    struct plan_params pp;
    memset(ps, 0, sizeof *ps);
    if (plan_params(cfg, &pp, err))
        return err->code;
    if (rb_catalogue_read(cfg->data_dir, cfg->catalogue, &ps->cat, err) ||
        rb_catalogue_price(&ps->cat, cfg->prices, err))
        return err->code;
    if (strcmp(ps->cat.currency, run->costs.currency))
        return rb_err_set(err, RB_EUSAGE,
                          "plan: the catalogue's prices are in %s but the crash costs in %s; give both in one currency",
                          ps->cat.currency, run->costs.currency);
    if (price_basis(run, &pp))
        return err->code;
    if (rb_placement_read(cfg->data_dir, cfg->placement, &ps->place, err))
        return err->code;
    ps->seg_road = rb_mallocarray(nseg, sizeof *ps->seg_road);
    uint8_t *bridge = rb_calloc(nseg, 1);
    uint8_t *want = rb_calloc(run->routes.nroutes, 1);
    int rc = RB_OK;
    if (!ps->seg_road || !bridge || !want) {
        rc = rb_err_nomem(err);
        goto done;
    }
    plan_roads(run, in, ps->seg_road, bridge);
    if ((rc = rb_run_coverage(run, in)))
        goto done;
    struct rb_plan_input pin = { &run->net, &run->routes, in->hot, in->seg_sites, ps->seg_road, in->ncrash, in->crash,
                                 in->crash_seg, in->chainage_m, in->counted, cfg->curve_radius_m,
                                 in->crash_junction ? in->junc : NULL, in->int_sites, in->crash_junction,
                                 (size_t)cfg->hotspot_top, cfg->int_radius_m, in->spf, in->nyears };
    if ((rc = rb_plan_sites(&pin, &ps->sites, &ps->nsites, &ps->crash, &ps->ref, &ps->nref, err)))
        goto done;
    rb_run_coverage_sites(run);
    /* the work-order layout: the gaps of the routes with sites, and the placement rules */
    for (size_t k = 0; k < ps->nsites; k++)
        want[ps->sites[k].route] = 1;
    if (rb_run_systemic_on(cfg))   /* the systemic programme may lay out anywhere */
        memset(want, 1, run->routes.nroutes);
    if ((rc = rb_layout_gaps(&run->net, &run->routes, want, run->roads.col_bridge >= 0 ? bridge : NULL,
                             run->roads.col_area >= 0 ? in->urban : NULL, in->settle, &ps->gaps, &ps->ngaps, err)))
        goto done;
    layout_ctx(run);
    rc = appraise_and_choose(run, &pp, in);
    if (!rc)
        rc = rb_plan_works(&ps->plan, &ps->cat, ps->sites, &ps->lay, &ps->works, err);
    if (!rc && rb_run_systemic_on(cfg))
        rc = rb_run_systemic(run, in);
    if (!rc)
        run->have_plan = 1;
done:
    rb_free(bridge);
    rb_free(want);
    return rc;
}

/* The plan's view of the crashes of a match: facts, segment and whether counted. */
static int plan_crashes(const struct rb_run *run, struct rb_plan_crash **crash, int64_t **seg, uint8_t **counted)
{
    size_t nc = run->crashes.n;
    *crash = rb_mallocarray(nc, sizeof **crash);
    *seg = rb_mallocarray(nc, sizeof **seg);
    *counted = rb_mallocarray(nc, 1);
    if (!*crash || !*seg || !*counted)
        return RB_ENOMEM;
    for (size_t i = 0; i < nc; i++) {
        const struct rb_crash *c = &run->crashes.c[i];
        (*crash)[i] = (struct rb_plan_crash){ c->crash_type, c->severity, c->light, c->surface, c->weather, 0, NAN };
        (*seg)[i] = run->match[i].seg;
        (*counted)[i] = run->match[i].seg >= 0 && rb_in_period(&run->period, c->date_days);
    }
    return RB_OK;
}

static int plan_stage(struct rb_run *run)
{
    if (run->opt.job == RB_JOB_PLAN) {
        const struct rb_run_saved *sv = &run->saved;
        struct rb_run_plan_in in = { &run->seg_sites, &run->hot, run->saved.crashes.nrows, sv->pc, sv->seg,
                                     sv->chainage, sv->counted, run->roads.col_area >= 0 ? run->urban : NULL,
                                     run->have_pix ? &run->pix : NULL, sv->have_juncs ? &run->juncs : NULL,
                                     sv->have_juncs ? &run->int_sites : NULL, sv->have_juncs ? sv->cjunc : NULL,
                                     rb_run_spf_array(run), sv->nyears };
        return rb_run_plan_stage(run, &in);
    }
    if (run->opt.job != RB_JOB_RUN)
        return RB_OK;
    if (!run->have_roads)
        return rb_err_set(&run->err, RB_EUSAGE, "run: planning needs --roads");
    struct rb_plan_crash *pc = NULL;
    int64_t *pseg = NULL;
    uint8_t *pcounted = NULL;
    int rc = plan_crashes(run, &pc, &pseg, &pcounted) ? rb_err_nomem(&run->err) : RB_OK;
    if (!rc) {
        struct rb_run_plan_in in = { &run->seg_sites, &run->hot, run->crashes.n, pc, pseg, run->chainage, pcounted,
                                     run->roads.col_area >= 0 ? run->urban : NULL, run->have_pix ? &run->pix : NULL,
                                     &run->juncs, &run->int_sites, run->jof, rb_run_spf_array(run),
                                     run->period.from_year ? run->period.to_year - run->period.from_year + 1 : 0 };
        rc = rb_run_plan_stage(run, &in);
    }
    rb_free(pc);
    rb_free(pseg);
    rb_free(pcounted);
    return rc;
}

/* Its time goes to the statistics stage, which matching began. */
int rb_run_plan(struct rb_run *run)
{
    double t0 = rb_now_s();
    int rc = plan_stage(run);
    run->t[4] += rb_now_s() - t0;
    return rc;
}
