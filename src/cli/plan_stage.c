/* cli/plan_stage: the planning step of `rumble run` — from screening's arrays
 * to the plan's sites, alternatives and budget choice. */
#include "cli/plan_stage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const struct rb_opt rb_plan_opts[] = {
    { "budget", 0, "MONEY", "plan.budget", 0, "money for building, in the catalogue's currency (default: no limit)" },
    { "catalogue", 0, "FILE", "plan.catalogue", 0, "countermeasure catalogue (default data/countermeasures.json)" },
    { "discount-rate", 0, "RATE", "plan.discount_rate", 0, "a year, for present values (0.04)" },
    { "objective", 0, "WHAT", "plan.objective", 0, "what the budget choice maximises: npv (default) or crashes" },
    { "alpha", 0, "P", "plan.alpha", 0, "a crash pattern is over-represented at p <= P (0.05)" },
    { "combine", 0, "HOW", "plan.combine", 0, "several measures on the same crashes: multiply (default) or best" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

void plan_stage_free(struct plan_stage *ps)
{
    rb_plan_free(&ps->plan);
    rb_free(ps->sites);
    rb_free(ps->crash);
    rb_free(ps->ref);
    memset(ps, 0, sizeof *ps);
}

int plan_stage_run(struct plan_stage *ps, const struct plan_stage_in *in, struct rb_err *err)
{
    const struct rb_config *cfg = in->cfg;
    const struct rb_roads *roads = in->roads;
    size_t nseg = roads->nsegs, nc = in->crashes->n;
    memset(ps, 0, sizeof *ps);
    int objective = RB_OBJ_NPV;
    if (cfg->objective && !strcmp(cfg->objective, "crashes"))
        objective = RB_OBJ_CRASHES;
    else if (cfg->objective && strcmp(cfg->objective, "npv"))
        return rb_err_set(err, RB_EUSAGE, "plan: objective must be npv or crashes, not '%s'", cfg->objective);
    if (cfg->combine && strcmp(cfg->combine, "multiply") && strcmp(cfg->combine, "best"))
        return rb_err_set(err, RB_EUSAGE, "plan: combine must be multiply or best, not '%s'", cfg->combine);
    if (!(cfg->discount_rate >= 0 && cfg->discount_rate < 1))
        return rb_err_set(err, RB_EUSAGE, "plan: discount rate must lie in [0, 1), e.g. 0.04");
    if (cfg->budget == cfg->budget && !(cfg->budget >= 0))
        return rb_err_set(err, RB_EUSAGE, "plan: budget must be a sum of money of 0 or more");
    if (!(cfg->alpha > 0 && cfg->alpha <= 1))
        return rb_err_set(err, RB_EUSAGE, "plan: alpha must lie in (0, 1]");
    if (rb_catalogue_read(cfg->data_dir, cfg->catalogue, &ps->cat, err))
        return err->code;
    if (strcmp(ps->cat.currency, in->costs->currency))
        return rb_err_set(err, RB_EUSAGE,
                          "plan: the catalogue's prices are in %s but the crash costs in %s; give both in one currency",
                          ps->cat.currency, in->costs->currency);
    double *speed = rb_malloc((nseg ? nseg : 1) * sizeof *speed);
    int *lanes = rb_malloc((nseg ? nseg : 1) * sizeof *lanes);
    int8_t *area = rb_malloc(nseg ? nseg : 1);
    struct rb_plan_crash *all = rb_malloc((nc ? nc : 1) * sizeof *all);
    int64_t *seg = rb_malloc((nc ? nc : 1) * sizeof *seg);
    uint8_t *counted = rb_malloc(nc ? nc : 1);
    int rc = RB_OK;
    if (!speed || !lanes || !area || !all || !seg || !counted) {
        rc = rb_err_nomem(err);
        goto done;
    }
    for (size_t s = 0; s < nseg; s++) {
        speed[s] = roads->col_speed >= 0 ? rb_table_number(&roads->attrs, (size_t)roads->col_speed, s) : NAN;
        double l = roads->col_lanes >= 0 ? rb_table_number(&roads->attrs, (size_t)roads->col_lanes, s) : NAN;
        lanes[s] = l == l && l > 0 ? (int)lround(l) : 0;
        area[s] = roads->col_area >= 0 && in->urban ? (int8_t)in->urban[s] : -1;
    }
    for (size_t i = 0; i < nc; i++) {
        const struct rb_crash *c = &in->crashes->c[i];
        all[i] = (struct rb_plan_crash){ c->crash_type, c->severity, c->light, c->surface };
        seg[i] = in->match[i].seg;
        counted[i] = in->match[i].seg >= 0 && rb_in_period(in->period, c->date_days);
    }
    struct rb_plan_input pin = { in->net, in->routes, in->hot, in->seg_sites, speed, lanes, area, nc, all, seg,
                                 in->chainage_m, counted, cfg->curve_radius_m };
    if ((rc = rb_plan_sites(&pin, &ps->sites, &ps->nsites, &ps->crash, &ps->ref, &ps->nref, err)))
        goto done;
    struct rb_plan_opt opt = { cfg->alpha, (unsigned)cfg->min_pattern, { cfg->discount_rate, { 0 }, 0 }, objective };
    for (int k = 0; k < 5; k++)
        opt.econ.cost_per_crash[k] = in->costs->cost[k];
    opt.econ.best_only = cfg->combine && !strcmp(cfg->combine, "best");
    for (size_t s = 0; s < ps->nsites && !rc; s++)
        rc = rb_plan_site_alternatives(&ps->cat, &ps->sites[s], s, ps->crash, ps->ref, ps->nref, &opt, &ps->plan, err);
    if (!rc) {
        double budget = cfg->budget;
        if (budget != budget) {          /* no budget: everything worth doing */
            budget = 0;
            for (size_t i = 0; i < ps->plan.n; i++)
                budget += ps->plan.alt[i].a.install_cost;
        }
        rc = rb_plan_choose(&ps->plan, ps->nsites, budget, objective, err);
        ps->plan.budget = cfg->budget;   /* reported as given: NaN when there was none */
    }
done:
    rb_free(speed);
    rb_free(lanes);
    rb_free(area);
    rb_free(all);
    rb_free(seg);
    rb_free(counted);
    return rc;
}
