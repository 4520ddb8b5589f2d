/* cli/plan_stage: the planning step of `rumble run` — from screening's arrays
 * to the plan's sites, alternatives and budget choice. */
#include "cli/plan_stage.h"
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct rb_opt rb_plan_opts[] = {
    { "budget", 0, "MONEY", "plan.budget", 0, "money for building, in the catalogue's currency (default: no limit)" },
    { "catalogue", 0, "FILE", "plan.catalogue", 0, "countermeasure catalogue (default data/countermeasures.json)" },
    { "discount-rate", 0, "RATE", "plan.discount_rate", 0, "a year, for present values (0.04)" },
    { "objective", 0, "WHAT", "plan.objective", 0, "what the budget choice maximises: npv (default) or crashes" },
    { "alpha", 0, "P", "plan.alpha", 0, "a crash pattern is over-represented at p <= P (0.05)" },
    { "combine", 0, "HOW", "plan.combine", 0, "several measures on the same crashes: multiply (default) or best" },
    { "budgets", 0, "B1,B2,..", "plan.budgets", 0, "yearly budgets: each chosen treatment gets the year it is built in" },
    { "carry-over", 0, "YES|NO", "plan.carry_over", 0, "with --budgets: money a year leaves unspent goes to the next (no)" },
    { "plan-rank-by", 0, "WHAT", "plan.rank_by", 0, "the plan layer's rank: npv (default), bcr or crashes" },
    { "placement", 0, "FILE", "plan.placement", 0, "work-order placement tables (default data/placement.json)" },
    { "drive-side", 0, "SIDE", "plan.drive_side", 0, "the side traffic keeps to, where signs stand: right (default) or left" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

int plan_stage_crashes(const struct rb_crashes *crashes, const struct rb_match *match, const struct rb_period *period,
                       struct rb_plan_crash **crash, int64_t **seg, uint8_t **counted)
{
    size_t nc = crashes->n;
    *crash = rb_malloc((nc ? nc : 1) * sizeof **crash);
    *seg = rb_malloc((nc ? nc : 1) * sizeof **seg);
    *counted = rb_malloc(nc ? nc : 1);
    if (!*crash || !*seg || !*counted)
        return RB_ENOMEM;
    for (size_t i = 0; i < nc; i++) {
        const struct rb_crash *c = &crashes->c[i];
        (*crash)[i] = (struct rb_plan_crash){ c->crash_type, c->severity, c->light, c->surface, 0 };
        (*seg)[i] = match[i].seg;
        (*counted)[i] = match[i].seg >= 0 && rb_in_period(period, c->date_days);
    }
    return RB_OK;
}

void plan_stage_free(struct plan_stage *ps)
{
    rb_plan_free(&ps->plan);
    rb_free(ps->sites);
    rb_free(ps->crash);
    rb_free(ps->ref);
    rb_free(ps->seg_road);
    rb_free(ps->gaps);
    rb_works_free(&ps->works);
    memset(ps, 0, sizeof *ps);
}

int plan_stage_run(struct plan_stage *ps, const struct plan_stage_in *in, struct rb_err *err)
{
    const struct rb_config *cfg = in->cfg;
    const struct rb_roads *roads = in->roads;
    size_t nseg = roads->nsegs, nc = in->ncrash;
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
    int rank_by = RB_RANK_NPV;
    if (cfg->plan_rank_by && !strcmp(cfg->plan_rank_by, "bcr"))
        rank_by = RB_RANK_BCR;
    else if (cfg->plan_rank_by && !strcmp(cfg->plan_rank_by, "crashes"))
        rank_by = RB_RANK_CRASHES;
    else if (cfg->plan_rank_by && strcmp(cfg->plan_rank_by, "npv"))
        return rb_err_set(err, RB_EUSAGE, "plan: rank by npv, bcr or crashes, not '%s'", cfg->plan_rank_by);
    if (!(cfg->alpha > 0 && cfg->alpha <= 1))
        return rb_err_set(err, RB_EUSAGE, "plan: alpha must lie in (0, 1]");
    if (rb_catalogue_read(cfg->data_dir, cfg->catalogue, &ps->cat, err))
        return err->code;
    if (strcmp(ps->cat.currency, in->costs->currency))
        return rb_err_set(err, RB_EUSAGE,
                          "plan: the catalogue's prices are in %s but the crash costs in %s; give both in one currency",
                          ps->cat.currency, in->costs->currency);
    if (cfg->drive_side && strcmp(cfg->drive_side, "right") && strcmp(cfg->drive_side, "left"))
        return rb_err_set(err, RB_EUSAGE, "plan: drive side must be right or left, not '%s'", cfg->drive_side);
    if (rb_placement_read(cfg->data_dir, cfg->placement, &ps->place, err))
        return err->code;
    /* several yearly budgets: "800000,600000,600000" */
    double budgets[RB_MCKP_MAX_YEARS];
    size_t nyears = 0;
    for (const char *p = cfg->budgets; p && *p;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !(v >= 0) || nyears == RB_MCKP_MAX_YEARS || (*end && *end != ','))
            return rb_err_set(err, RB_EUSAGE, "plan: budgets must be 1 to %d sums of money 0 or more, comma "
                              "separated, e.g. 800000,600000,600000 (not '%s')", RB_MCKP_MAX_YEARS, cfg->budgets);
        budgets[nyears++] = v;
        p = *end ? end + 1 : end;
    }
    if (cfg->budgets && !nyears)
        return rb_err_set(err, RB_EUSAGE, "plan: budgets is empty");
    if (nyears && cfg->budget == cfg->budget)
        return rb_err_set(err, RB_EUSAGE, "plan: give one budget (--budget) or yearly budgets (--budgets), not both");
    int carry = cfg->carry_over && (!strcmp(cfg->carry_over, "yes") || !strcmp(cfg->carry_over, "true"));
    if (cfg->carry_over && !carry && strcmp(cfg->carry_over, "no") && strcmp(cfg->carry_over, "false"))
        return rb_err_set(err, RB_EUSAGE, "plan: carry_over must be yes or no, not '%s'", cfg->carry_over);
    ps->seg_road = rb_malloc((nseg ? nseg : 1) * sizeof *ps->seg_road);
    uint8_t *bridge = rb_calloc(nseg ? nseg : 1, 1);
    uint8_t *want = rb_calloc(in->routes->nroutes ? in->routes->nroutes : 1, 1);
    int rc = RB_OK;
    if (!ps->seg_road || !bridge || !want) {
        rc = rb_err_nomem(err);
        goto done;
    }
    for (size_t s = 0; s < nseg; s++) {
        const struct rb_table *t = &roads->attrs;
        double l = roads->col_lanes >= 0 ? rb_table_number(t, (size_t)roads->col_lanes, s) : NAN;
        char b[64];
        int div = rb_cli_road_flag(roads, in->vocab, roads->col_divided, s);
        ps->seg_road[s] = (struct rb_plan_road){
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
        bridge[s] = rb_cli_road_flag(roads, in->vocab, roads->col_bridge, s) == 1;
    }
    struct rb_plan_input pin = { in->net, in->routes, in->hot, in->seg_sites, ps->seg_road, nc, in->crash,
                                 in->crash_seg, in->chainage_m, in->counted, cfg->curve_radius_m,
                                 in->crash_junction ? in->junc : NULL, in->int_sites, in->crash_junction,
                                 (size_t)cfg->hotspot_top, cfg->int_radius_m };
    if ((rc = rb_plan_sites(&pin, &ps->sites, &ps->nsites, &ps->crash, &ps->ref, &ps->nref, err)))
        goto done;
    /* the work-order layout: the gaps of the routes with sites, and the placement rules */
    for (size_t k = 0; k < ps->nsites; k++)
        want[ps->sites[k].route] = 1;
    if ((rc = rb_layout_gaps(in->net, in->routes, want, roads->col_bridge >= 0 ? bridge : NULL,
                             roads->col_area >= 0 ? in->urban : NULL, in->settle, &ps->gaps, &ps->ngaps, err)))
        goto done;
    const struct rb_placement *pl = &ps->place;
    ps->lay = (struct rb_layout_ctx){
        in->net, in->routes, ps->seg_road, ps->gaps, ps->ngaps, pl,
        { cfg->gap_junction_m == cfg->gap_junction_m ? cfg->gap_junction_m : pl->gap_junction_m,
          cfg->gap_bridge_m == cfg->gap_bridge_m ? cfg->gap_bridge_m : pl->gap_bridge_m,
          cfg->gap_settlement_m == cfg->gap_settlement_m ? cfg->gap_settlement_m : pl->gap_settlement_m },
        cfg->default_speed_kmh == cfg->default_speed_kmh ? cfg->default_speed_kmh : pl->default_speed_kmh,
        cfg->device_offset_m == cfg->device_offset_m ? cfg->device_offset_m : pl->device_offset_m,
        cfg->curve_radius_m, cfg->drive_side && !strcmp(cfg->drive_side, "left")
    };
    struct rb_plan_opt opt = { cfg->alpha, (unsigned)cfg->min_pattern, { cfg->discount_rate, { 0 }, 0 }, objective,
                               &ps->lay };
    for (int k = 0; k < 5; k++)
        opt.econ.cost_per_crash[k] = in->costs->cost[k];
    opt.econ.best_only = cfg->combine && !strcmp(cfg->combine, "best");
    struct rb_plan_ref refc = { 0 };
    rc = rb_plan_ref_counts(&ps->cat, ps->ref, ps->nref, in->seg_sites->pop ? in->seg_sites->npop : 1, &refc, err);
    for (size_t s = 0; s < ps->nsites && !rc; s++)
        rc = rb_plan_site_alternatives(&ps->cat, &ps->sites[s], s, ps->crash, &refc, &opt, &ps->plan, err);
    rb_plan_ref_free(&refc);
    if (!rc)
        rc = rb_plan_rank(&ps->plan, rank_by, err);
    if (!rc)
        rc = rb_plan_rank_incremental(&ps->plan, ps->nsites, err);
    if (!rc && nyears) {
        rc = rb_plan_choose_years(&ps->plan, ps->nsites, budgets, nyears, carry, cfg->discount_rate, objective, err);
    } else if (!rc) {
        double budget = cfg->budget;
        if (budget != budget) {          /* no budget: everything worth doing */
            budget = 0;
            for (size_t i = 0; i < ps->plan.n; i++)
                budget += ps->plan.alt[i].a.install_cost;
        }
        rc = rb_plan_choose(&ps->plan, ps->nsites, budget, objective, err);
        ps->plan.budget = cfg->budget;   /* reported as given: NaN when there was none */
    }
    if (!rc)
        rc = rb_plan_works(&ps->plan, &ps->cat, ps->sites, &ps->lay, &ps->works, err);
done:
    rb_free(bridge);
    rb_free(want);
    return rc;
}



void plan_stage_print(const struct plan_stage *ps, const struct rb_routes *routes)
{
    const struct rb_plan *pl = &ps->plan;
    struct rb_plan_totals tot;
    rb_plan_totals(pl, &tot);
    printf("plan: %zu sites, %zu alternatives; chosen %zu for %.0f %s", ps->nsites, pl->n, tot.selected,
           tot.install_cost, ps->cat.currency);
    if (pl->nyears) {
        printf(" of");
        for (size_t t = 0; t < pl->nyears; t++)
            printf("%s%.0f", t ? " + " : " ", pl->budgets[t]);
        printf(" over %zu years%s", pl->nyears, pl->carry ? " (carried over)" : "");
    } else if (pl->budget == pl->budget) {
        printf(" of %.0f", pl->budget);
    }
    printf(": NPV %.0f, %.2f crashes avoided a year (greedy by BCR: %.0f less)\n", tot.npv, tot.avoided_per_yr,
           pl->exact.value - pl->greedy.value);
    size_t lines = 0;
    double laid_m = 0;
    for (size_t i = 0; i < ps->works.n; i++)
        if (ps->works.w[i].is_line) {
            lines++;
            laid_m += ps->works.w[i].to_m - ps->works.w[i].from_m;
        }
    printf("work orders: %zu stretches (%.1f km) and %zu signs, chevrons and devices\n", lines, laid_m / 1000,
           ps->works.n - lines);
    for (size_t i = 0; i < pl->n; i++) {
        if (!pl->alt[i].selected)
            continue;
        const struct rb_plan_site *s = &ps->sites[pl->alt[i].site];
        char k0[32], k1[32], ids[512] = "";
        for (size_t k = 0; k < ps->cat.n; k++)
            if (pl->alt[i].cms >> k & 1)
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? "+" : "", ps->cat.cm[k].id);
        char yr[16] = "";
        if (pl->nyears)
            snprintf(yr, sizeof yr, "year %d  ", pl->alt[i].year);
        printf("  %s%-10s %s - %s  %-50s BCR %6.1f  cost %9.0f\n", yr, routes->id[s->route],
               rb_report_km(s->from_m, k0, sizeof k0), rb_report_km(s->to_m, k1, sizeof k1), ids,
               pl->alt[i].a.bcr, pl->alt[i].a.install_cost);
    }
}

int plan_out_build(struct plan_out *po, const struct plan_stage *ps, const struct rb_match_run *run,
                   const struct rb_roads *roads, struct rb_err *err)
{
    struct rb_out_layer *o[4] = { &po->plan, &po->lines, &po->points, &po->list };
    if (rb_report_plan(run, &ps->cat, ps->sites, &ps->plan, ps->cat.currency, &po->plan, err))
        return err->code;
    po->built = 1;
    if (rb_report_work_order(&ps->works, run->routes, &ps->cat, &po->order, err) ||
        rb_report_work_lines(run, po->order, &po->lines, err))
        return err->code;
    po->built = 2;
    if (rb_report_work_points(run, po->order, &po->points, err))
        return err->code;
    po->built = 3;
    if (rb_report_work_list(run, po->order, &po->list, err))
        return err->code;
    po->built = 4;
    for (int k = 0; k < 3; k++) {
        if (rb_io_to_output_crs(roads, o[k]->xy, o[k]->pt_off[o[k]->part_off[o[k]->layer.nrows]], err))
            return err->code;
        po->layers[k] = &o[k]->layer;
    }
    return RB_OK;
}

void plan_out_free(struct plan_out *po)
{
    struct rb_out_layer *o[4] = { &po->plan, &po->lines, &po->points, &po->list };
    for (int k = 0; k < po->built; k++)
        rb_out_layer_free(o[k]);
    rb_free(po->order);
    memset(po, 0, sizeof *po);
}
