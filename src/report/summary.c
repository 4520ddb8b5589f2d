/* report/summary: the JSON summary of a run (cJSON). */
#include "report/summary.h"
#include "report/tables.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Numbers are written rounded to what they mean, so the text is stable. */
static double round_to(double v, double unit)
{
    return round(v / unit) * unit;
}

/* The systemic programme: what it rolls out, its facility, the factors'
 * weights, what it chose and at what cost. */
static void add_systemic(cJSON *po, const struct rb_sys_summary *s)
{
    cJSON *so = cJSON_AddObjectToObject(po, "systemic");
    cJSON_AddStringToObject(so, "countermeasure", s->cm_id);
    cJSON_AddNumberToObject(so, "cmf", s->cmf);
    cJSON_AddStringToObject(so, "cmf_source", s->cm_source);
    cJSON_AddStringToObject(so, "method", "FHWA Systemic Safety Project Selection Tool (FHWA-SA-13-019): each risk "
                            "factor level's share of the focus crashes (one more, spread by length) over its share of "
                            "the length; a segment's score the product of its levels' ratios over the facility's "
                            "length-weighted mean (1: average risk)");
    cJSON_AddNumberToObject(so, "facility_segments", (double)s->n);
    cJSON_AddNumberToObject(so, "facility_km", round(s->facility_km * 1000) / 1000);
    cJSON_AddNumberToObject(so, "focus_crashes", s->focus_crashes);
    cJSON_AddNumberToObject(so, "chosen", (double)s->chosen);
    cJSON_AddNumberToObject(so, "chosen_without_focus_crash", (double)s->chosen_no_history);
    cJSON_AddNumberToObject(so, "km", round(s->km * 1000) / 1000);
    cJSON_AddNumberToObject(so, "sites", (double)s->sites);
    cJSON_AddNumberToObject(so, "laid_km", round(s->laid_km * 1000) / 1000);
    cJSON_AddNumberToObject(so, "cost", round(s->cost));
    if (s->budget == s->budget)
        cJSON_AddNumberToObject(so, "budget", s->budget);
    cJSON_AddNumberToObject(so, "crashes_avoided_per_yr", round(s->avoided_per_yr * 1e4) / 1e4);
    cJSON_AddNumberToObject(so, "in_the_plan", (double)s->in_plan);
    cJSON_AddNumberToObject(so, "over_budget", (double)s->over_budget);
    cJSON_AddNumberToObject(so, "below_average_risk", (double)s->below_average);
    cJSON_AddNumberToObject(so, "not_laid_out", (double)s->not_laid);
    cJSON_AddNumberToObject(so, "already_there", (double)s->present);
    cJSON *fa = cJSON_AddObjectToObject(so, "factors");
    for (int f = 0; f < RB_SYS_NF; f++) {
        if (!s->w->nlevels[f])
            continue;
        cJSON *lv = cJSON_AddArrayToObject(fa, rb_sys_factor_names[f]);
        for (int l = 0; l < RB_SYS_MAXLEVELS; l++) {
            const struct rb_sys_level *v = &s->w->lv[f][l];
            if (!(v->km > 0))
                continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "level", rb_sys_level_name(f, l));
            cJSON_AddNumberToObject(o, "km", round(v->km * 1000) / 1000);
            cJSON_AddNumberToObject(o, "focus_crashes", v->crashes);
            cJSON_AddNumberToObject(o, "length_share", round(v->length_share * 1e6) / 1e6);
            cJSON_AddNumberToObject(o, "crash_share", round(v->crash_share * 1e6) / 1e6);
            cJSON_AddNumberToObject(o, "ratio", round(v->ratio * 1e4) / 1e4);
            cJSON_AddItemToArray(lv, o);
        }
    }
}

/* share a / b, rounded; null when b is 0 */
static void add_share(cJSON *o, const char *key, double a, double b)
{
    if (b > 0)
        cJSON_AddNumberToObject(o, key, round(a / b * 1e4) / 1e4);
    else
        cJSON_AddNullToObject(o, key);
}

/* a share of length, to six places (a short stretch's share of a network) */
static void add_share6(cJSON *o, const char *key, double a, double b)
{
    if (b > 0)
        cJSON_AddNumberToObject(o, key, round(a / b * 1e6) / 1e6);
    else
        cJSON_AddNullToObject(o, key);
}

/* What the network already has: each kind's km and crashes covered. */
static void add_coverage(cJSON *root, const struct rb_cov_summary *c)
{
    cJSON *co = cJSON_AddObjectToObject(root, "coverage");
    if (c->assets_path)
        cJSON_AddStringToObject(co, "assets", c->assets_path);
    cJSON *ks = cJSON_AddArrayToObject(co, "kinds");
    for (size_t k = 0; k < c->nkinds; k++) {
        const struct rb_cov_kind *kd = &c->kind[k];
        const struct rb_cov_fig *f = &kd->net;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", kd->id);
        if (kd->cm < 0)
            cJSON_AddStringToObject(o, "source", kd->police ? "the police records of street lighting at night crashes:"
                                    " a segment lit where more of its night crashes say lit than not; night crashes by"
                                    " their own record" : "the roads' lighting flag (roads.lit)");
        if (kd->cm >= 0) {
            cJSON_AddNumberToObject(o, "assets", (double)kd->assets);
            cJSON_AddNumberToObject(o, "assets_off_road", (double)kd->unmatched);
        }
        cJSON_AddNumberToObject(o, "km", round(f->km * 1000) / 1000);
        cJSON_AddNumberToObject(o, "km_known", round(f->km_known * 1000) / 1000);
        cJSON_AddNumberToObject(o, "km_covered", round(f->km_covered * 1000) / 1000);
        add_share6(o, "km_share", f->km_covered, f->km_known);
        cJSON_AddNumberToObject(o, "crashes", (double)f->crashes);
        cJSON_AddNumberToObject(o, "crashes_in", (double)f->crashes_in);
        add_share(o, "crashes_share", (double)f->crashes_in, (double)f->crashes);
        cJSON_AddNumberToObject(o, "ksi", (double)f->ksi);
        cJSON_AddNumberToObject(o, "ksi_in", (double)f->ksi_in);
        add_share(o, "ksi_share", (double)f->ksi_in, (double)f->ksi);
        cJSON_AddNumberToObject(o, "night", (double)f->night);
        cJSON_AddNumberToObject(o, "night_in", (double)f->night_in);
        cJSON_AddNumberToObject(o, "night_out", (double)f->night_out);
        add_share(o, "night_out_share", (double)f->night_out, (double)f->night);
        cJSON_AddItemToArray(ks, o);
    }
}

static void add_plan(cJSON *root, const struct rb_match_run *run)
{
    const struct rb_plan *pl = run->plan;
    cJSON *po = cJSON_AddObjectToObject(root, "plan");
    cJSON_AddStringToObject(po, "currency", run->catalogue->currency);
    /* whose prices: the file's name (not its path: the summary stays the same wherever it is) */
    const char *pf = run->catalogue->prices_path, *base = strrchr(pf, '/');
    if (*pf)
        cJSON_AddStringToObject(po, "prices", base ? base + 1 : pf);
    cJSON_AddBoolToObject(po, "prices_example", run->catalogue->prices_example);
    if (pl->price_year)
        cJSON_AddNumberToObject(po, "price_year", pl->price_year);
    if (pl->cost_year)
        cJSON_AddNumberToObject(po, "crash_cost_year", pl->cost_year);
    cJSON_AddNumberToObject(po, "crash_cost_factor", pl->cost_factor);
    static const char *const sev_costs[] = { "ka", "kab", "kabco" };
    cJSON_AddStringToObject(po, "severity_costs", sev_costs[pl->severity_costs >= 0 && pl->severity_costs < 3
                                                                ? pl->severity_costs : 0]);
    if (isfinite(pl->cost_combined))
        cJSON_AddNumberToObject(po, "cost_combined", round(pl->cost_combined));
    else
        cJSON_AddNullToObject(po, "cost_combined");
    /* how the ranking changes with each severity at its own cost: of the ten
     * best by NPV, how many are among the ten best by npv_kabco */
    size_t top = 0, same = 0;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->alt[i].rank >= 1 && pl->alt[i].rank <= 10) {
            top++;
            same += pl->alt[i].rank_kabco >= 1 && pl->alt[i].rank_kabco <= 10;
        }
    cJSON_AddNumberToObject(po, "top10", (double)top);
    cJSON_AddNumberToObject(po, "top10_also_by_kabco", (double)same);
    cJSON_AddStringToObject(po, "objective", run->cfg->objective ? run->cfg->objective : "npv");
    cJSON_AddNumberToObject(po, "discount_rate", run->cfg->discount_rate);
    cJSON_AddNumberToObject(po, "analysis_period_yr", run->cfg->analysis_period_yr);
    if (isfinite(pl->budget))
        cJSON_AddNumberToObject(po, "budget", pl->budget);
    else
        cJSON_AddNullToObject(po, "budget");
    if (pl->nyears) {
        cJSON *bs = cJSON_AddArrayToObject(po, "budgets");
        cJSON *sp = cJSON_AddArrayToObject(po, "spent_by_year");
        for (size_t t = 0; t < pl->nyears; t++) {
            double spent = 0;
            for (size_t i = 0; i < pl->n; i++)
                if (pl->alt[i].selected && pl->alt[i].year == (int)t + 1)
                    spent += pl->alt[i].a.install_cost;
            cJSON_AddItemToArray(bs, cJSON_CreateNumber(pl->budgets[t]));
            cJSON_AddItemToArray(sp, cJSON_CreateNumber(round(spent)));
        }
        cJSON_AddBoolToObject(po, "carry_over", pl->carry);
    }
    cJSON_AddNumberToObject(po, "sites", (double)run->plan_sites);
    cJSON_AddNumberToObject(po, "alternatives", (double)pl->n);
    struct rb_plan_totals tot;
    rb_plan_totals(pl, &tot);
    cJSON_AddNumberToObject(po, "selected", (double)tot.selected);
    cJSON_AddNumberToObject(po, "install_cost", round(tot.install_cost));
    cJSON_AddNumberToObject(po, "pv_benefit", round(tot.pv_benefit));
    cJSON_AddNumberToObject(po, "pv_cost", round(tot.pv_cost));
    cJSON_AddNumberToObject(po, "npv", round(tot.npv));
    cJSON_AddNumberToObject(po, "crashes_avoided_per_yr", tot.avoided_per_yr);
    cJSON_AddNumberToObject(po, "ksi_avoided_per_yr", tot.ksi_avoided_per_yr);
    cJSON_AddNumberToObject(po, "objective_value", pl->exact.value);
    cJSON_AddNumberToObject(po, "lp_bound", pl->exact.lp_bound);
    cJSON_AddNumberToObject(po, "greedy_value", pl->greedy.value);
    cJSON_AddNumberToObject(po, "greedy_shortfall", pl->exact.value - pl->greedy.value);
    cJSON_AddNumberToObject(po, "unlaid", (double)pl->unlaid);
    cJSON_AddNumberToObject(po, "unrated_left_out", (double)pl->unrated);
    cJSON_AddNumberToObject(po, "unpriced_left_out", (double)pl->unpriced);
    if (run->works) {
        size_t lines = 0, nw = run->systemic ? run->systemic->works0 : run->works->n;   /* the plan's own */
        double laid_m = 0;
        for (size_t i = 0; i < nw; i++)
            if (run->works->w[i].is_line) {
                lines++;
                laid_m += run->works->w[i].to_m - run->works->w[i].from_m;
            }
        cJSON_AddNumberToObject(po, "work_lines", (double)lines);
        cJSON_AddNumberToObject(po, "work_points", (double)(nw - lines));
        cJSON_AddNumberToObject(po, "strip_km", round(laid_m) / 1000);
    }
    if (run->systemic)
        add_systemic(po, run->systemic);
    if (run->coverage) {
        cJSON_AddNumberToObject(po, "present_left_out", (double)pl->present);
        cJSON *at = cJSON_AddArrayToObject(po, "already_there");
        for (size_t i = 0; run->sites && run->routes && i < pl->present; i++) {
            const struct rb_plan_site *s = &run->sites[pl->pres[i].site];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "site", (double)pl->pres[i].site + 1);
            cJSON_AddStringToObject(o, "route_id", run->routes->id[s->route]);
            cJSON_AddNumberToObject(o, "from_m", round(s->from_m * 1000) / 1000);
            cJSON_AddNumberToObject(o, "to_m", round(s->to_m * 1000) / 1000);
            cJSON_AddStringToObject(o, "countermeasure", run->catalogue->cm[pl->pres[i].cm].id);
            cJSON_AddItemToArray(at, o);
        }
        add_coverage(root, run->coverage);
    }
}

static char *finish(cJSON *root, const char *const *outputs, size_t noutputs, const char *const *timing_names,
                     const double *timing_s, size_t ntimings)
{
    cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
    for (size_t i = 0; i < noutputs; i++)
        cJSON_AddItemToArray(outs, cJSON_CreateString(outputs[i]));
    if (timing_names) {
        cJSON *tm = cJSON_AddObjectToObject(root, "timings_s");
        for (size_t i = 0; i < ntimings; i++)
            cJSON_AddNumberToObject(tm, timing_names[i], round_to(timing_s[i], 0.001));
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *out = rb_malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = 0;
    }
    cJSON_free(text);
    return out;
}

/* The config file and the crash schema preset read under it, when there were. */
static void add_config(cJSON *in, const struct rb_config *cfg)
{
    if (cfg->config_path)
        cJSON_AddStringToObject(in, "config", cfg->config_path);
    if (cfg->preset)
        cJSON_AddStringToObject(in, "preset", cfg->preset);
}

static void add_inputs(cJSON *root, const struct rb_match_run *run)
{
    cJSON *in = cJSON_AddObjectToObject(root, "inputs");
    cJSON_AddStringToObject(in, "roads", run->roads->path);
    cJSON_AddStringToObject(in, "crashes", run->crashes->path);
    add_config(in, run->cfg);
    cJSON_AddStringToObject(in, "roads_crs", run->roads->src_crs_name);
    cJSON_AddStringToObject(in, "working_crs", run->roads->work_crs_name);
    cJSON_AddNumberToObject(in, "crash_records", (double)run->crashes->nrecords);
}

/* The crashes' counts: matched, unmatched by reason, by severity. Returns the
 * object, which the locating counts (add_locate) join. */
static cJSON *add_crashes(cJSON *root, const struct rb_match_run *run)
{
    const struct rb_crashes *cr = run->crashes;
    size_t reasons[RB_NUNM] = { 0 }, matched = 0, amb = 0, grade = 0, junc = 0, sev[RB_NSEV] = { 0 };
    size_t dup = 0, datebad = 0;
    for (size_t i = 0; i < cr->n; i++) {
        const struct rb_match *m = &run->match[i];
        if (m->seg >= 0) {
            matched++;
            amb += m->ambiguous;
            grade += m->grade_sep;
            junc += m->junction;
        } else {
            reasons[m->reason]++;
        }
        sev[cr->c[i].severity < RB_NSEV ? cr->c[i].severity : RB_SEV_UNKNOWN]++;
        dup += cr->c[i].dup_id;
        datebad += cr->c[i].date_bad;
    }
    cJSON *cnt = cJSON_AddObjectToObject(root, "crashes");
    cJSON_AddNumberToObject(cnt, "total", (double)cr->n);
    /* every row read is a record of a crash or a rejected row */
    cJSON_AddNumberToObject(cnt, "rows_read", (double)cr->nrecords);
    cJSON_AddNumberToObject(cnt, "records", (double)(cr->nrecords - cr->nrej));
    cJSON_AddNumberToObject(cnt, "rows_rejected", (double)cr->nrej);
    cJSON_AddNumberToObject(cnt, "matched", (double)matched);
    cJSON_AddNumberToObject(cnt, "unmatched", (double)(cr->n - matched));
    cJSON_AddNumberToObject(cnt, "ambiguous", (double)amb);
    cJSON_AddNumberToObject(cnt, "grade_separated", (double)grade);
    cJSON_AddNumberToObject(cnt, "junction", (double)junc);
    cJSON_AddNumberToObject(cnt, "duplicate_id", (double)dup);
    cJSON_AddNumberToObject(cnt, "date_invalid", (double)datebad);
    cJSON *ur = cJSON_AddObjectToObject(cnt, "unmatched_by_reason");
    for (int r = 1; r < RB_NUNM; r++)
        if (reasons[r])
            cJSON_AddNumberToObject(ur, rb_unmatched_name(r), (double)reasons[r]);
    cJSON *bs = cJSON_AddObjectToObject(cnt, "by_severity");
    for (int k = 0; k < RB_NSEV; k++)
        cJSON_AddNumberToObject(bs, rb_severity_code(k), (double)sev[k]);
    return cnt;
}

static void add_period(cJSON *root, const struct rb_match_run *run)
{
    cJSON *per = cJSON_AddObjectToObject(root, "study_period");
    if (run->period->from_year) {
        cJSON_AddNumberToObject(per, "from_year", run->period->from_year);
        cJSON_AddNumberToObject(per, "to_year", run->period->to_year);
        cJSON_AddNumberToObject(per, "n_years", run->period->to_year - run->period->from_year + 1);
    } else {
        cJSON_AddNullToObject(per, "from_year");
        cJSON_AddNullToObject(per, "to_year");
        cJSON_AddNullToObject(per, "n_years");
    }
    cJSON_AddStringToObject(per, "source", run->period->from_year ?
                            (run->period->from_data ? "crash dates" : "config") : "none");
    cJSON_AddNumberToObject(per, "crashes_counted", (double)run->stats->counted);
    cJSON_AddNumberToObject(per, "crashes_outside", (double)run->stats->outside_period);
}

static void add_segments(cJSON *root, const struct rb_match_run *run)
{
    const struct rb_net *net = run->net;
    double len = 0;
    size_t with = 0, nogeom = 0;
    for (size_t s = 0; s < net->nsegs; s++) {
        len += net->segs[s].length_m;
        with += run->stats->n_obs[s] > 0;
        nogeom += (net->segs[s].flags & RB_SEG_NOGEOM) != 0;
    }
    cJSON *sg = cJSON_AddObjectToObject(root, "segments");
    cJSON_AddNumberToObject(sg, "total", (double)net->nsegs);
    cJSON_AddNumberToObject(sg, "length_km", round_to(len / 1000.0, 0.001));
    cJSON_AddNumberToObject(sg, "with_crashes", (double)with);
    cJSON_AddNumberToObject(sg, "without_geometry", (double)nogeom);
    cJSON_AddNumberToObject(sg, "nodes", (double)net->nnodes);
}

/* A partition's share of the network and of the crashes (run/partition.c). */
static void add_partition(cJSON *root, const struct rb_match_run *run)
{
    static const char *const names[] = { "own", "halo", "in", "out" };
    cJSON *p = cJSON_AddObjectToObject(root, "partition");
    cJSON_AddStringToObject(p, "key_value", run->partition);
    cJSON_AddNumberToObject(p, "roads_read", (double)run->part_roads);
    cJSON_AddNumberToObject(p, "segments_owned", (double)run->part_owned);
    cJSON_AddNumberToObject(p, "segments_halo", (double)run->part_halo);
    const char *m = rb_rank_measure(run->cfg->rank_by);
    cJSON_AddStringToObject(p, "rank_by", m ? m : rb_rank_measures[0]);
    cJSON *c = cJSON_AddObjectToObject(p, "crashes");
    for (int k = 0; k < 4; k++)
        cJSON_AddNumberToObject(c, names[k], (double)run->part_crashes[k]);
}

/* The CMFs for actual conditions of each SPF some site used: per CMF, the
 * sites that gave its attribute and those left at base conditions. */
static void add_cmfs(cJSON *sc, const char *key, const struct rb_spf *spf, size_t nspf, const size_t *given,
                     const size_t *base)
{
    cJSON *o = NULL;
    for (size_t m = 0; given && m < nspf; m++) {
        size_t used = 0;
        for (size_t j = 0; j < spf[m].ncmf; j++)
            used += given[m * RB_SPF_MAXCMF + j] + base[m * RB_SPF_MAXCMF + j];
        if (!used)
            continue;
        if (!o)
            o = cJSON_AddObjectToObject(sc, key);
        cJSON *sp = cJSON_AddObjectToObject(o, spf[m].id);
        for (size_t j = 0; j < spf[m].ncmf; j++) {
            cJSON *c = cJSON_AddObjectToObject(sp, spf[m].cmf[j].id);
            cJSON_AddNumberToObject(c, "given", (double)given[m * RB_SPF_MAXCMF + j]);
            cJSON_AddNumberToObject(c, "base", (double)base[m * RB_SPF_MAXCMF + j]);
        }
    }
}

static void add_screening(cJSON *root, const struct rb_match_run *run)
{
    cJSON *sc = cJSON_AddObjectToObject(root, "screening");
    cJSON_AddNumberToObject(sc, "routes", (double)run->routes->nroutes);
    cJSON_AddNumberToObject(sc, "chains", (double)run->routes->nchains);
    cJSON_AddNumberToObject(sc, "windows", (double)run->windows->n);
    cJSON_AddNumberToObject(sc, "window_m", run->cfg->window_m);
    cJSON_AddNumberToObject(sc, "step_m", run->cfg->step_m);
    cJSON_AddStringToObject(sc, "rank_by", run->rank_by);
    if (run->spf) {
        cJSON_AddStringToObject(sc, "spf", run->spf_set ? run->spf_set : run->spf->id);
        cJSON_AddNumberToObject(sc, "calibration", run->spf->calibration);
    }
    if (run->spf_set) {   /* how many segments each member of the set took, and how many fell back */
        cJSON *types = cJSON_AddObjectToObject(sc, "spf_segments");
        for (size_t k = 0; k < run->nspf; k++)
            cJSON_AddNumberToObject(types, run->spfs[k].id, (double)run->spf_count[k]);
        cJSON_AddNumberToObject(sc, "spf_fallback_segments", (double)run->spf_fallback);
        cJSON_AddStringToObject(sc, "spf_fallback", run->spfs[run->spf_fallback_ix].id);
    }
    if (run->spf_defaults_segments)   /* segments whose SPF took a default (speed limit, driveways) */
        cJSON_AddNumberToObject(sc, "spf_defaults_segments", (double)run->spf_defaults_segments);
    if (run->spf)
        add_cmfs(sc, "cmf_segments", run->spf_set ? run->spfs : run->spf, run->spf_set ? run->nspf : 1,
                 run->seg_cmf_given, run->seg_cmf_base);
    if (run->int_spf) {   /* intersections: each model's, none, and those whose control was taken as stop */
        cJSON_AddStringToObject(sc, "int_spf", run->int_spf->id);
        cJSON *types = cJSON_AddObjectToObject(sc, "int_spf_intersections");
        for (size_t k = 0; k < run->int_spf->n; k++)
            cJSON_AddNumberToObject(types, run->int_spf->spf[k].id, (double)run->int_spf_count[k]);
        cJSON_AddNumberToObject(sc, "int_no_model", (double)run->int_no_model);
        cJSON_AddNumberToObject(sc, "int_control_assumed_stop", (double)run->int_assumed_stop);
        cJSON_AddNumberToObject(sc, "int_spf_defaults", (double)run->spf_defaults_intersections);
        add_cmfs(sc, "cmf_intersections", run->int_spf->spf, run->int_spf->n, run->int_cmf_given, run->int_cmf_base);
    }
    cJSON_AddNumberToObject(sc, "confidence", run->cfg->confidence);
    size_t by_rule[RB_NHS] = { 0 };
    for (size_t i = 0; i < run->hotspots->n; i++)
        by_rule[run->hotspots->rule[i]]++;
    cJSON_AddNumberToObject(sc, "crash_concentration_sites", (double)by_rule[RB_HS_CCS]);
    cJSON *hr = cJSON_AddObjectToObject(sc, "hotspots");
    for (int r = 0; r < RB_NHS; r++)
        cJSON_AddNumberToObject(hr, rb_hotspot_rule_name(r), (double)by_rule[r]);
    if (run->pop_names) {
        cJSON *pa = cJSON_AddArrayToObject(sc, "populations");
        for (size_t k = 0; k < run->npop; k++)
            cJSON_AddItemToArray(pa, cJSON_CreateString(run->pop_names[k]));
    }
    if (run->peak_measure)
        cJSON_AddStringToObject(sc, "peak_measure", run->peak_measure);
    if (run->cfg->target_type)
        cJSON_AddStringToObject(sc, "target_type", run->cfg->target_type);
    if (run->junctions) {
        size_t at = 0;
        for (size_t i = 0; run->crash_junction && i < run->crashes->n; i++)
            at += run->crash_junction[i] >= 0 && rb_in_period(run->period, run->crashes->c[i].date_days);
        cJSON_AddNumberToObject(sc, "intersections", (double)run->junctions->n);
        cJSON_AddStringToObject(sc, "intersections_from", run->junctions->label ? "layer" : "network");
        cJSON_AddNumberToObject(sc, "intersection_crashes", (double)at);
    }
}

/* How the crashes were located (match quality, by what, direction, road
 * named, road and measure, overrides), into the crashes' object. */
static void add_locate(cJSON *cnt, const struct rb_match_run *run)
{
    const struct rb_crashes *cr = run->crashes;
    size_t q[RB_NQ] = { 0 }, by[RB_LOC_OVERRIDE + 1] = { 0 }, lr[RB_LR_DISAGREE + 1] = { 0 };
    size_t hint[RB_HINT_UNKNOWN_ROAD + 1] = { 0 }, dir[RB_DIR_NO_FIT + 1] = { 0 };
    for (size_t i = 0; i < cr->n; i++) {
        hint[run->locate[i].hint]++;
        dir[run->locate[i].dir]++;
        q[run->locate[i].quality]++;
        by[run->locate[i].by]++;
        lr[run->locate[i].lr]++;
    }
    cJSON *qo = cJSON_AddObjectToObject(cnt, "match_quality");
    for (int k = 0; k < RB_NQ; k++)
        cJSON_AddNumberToObject(qo, rb_quality_name(k), (double)q[k]);
    cJSON *bo = cJSON_AddObjectToObject(cnt, "located_by");
    for (int k = 0; k <= RB_LOC_OVERRIDE; k++)
        cJSON_AddNumberToObject(bo, rb_located_by_name(k), (double)by[k]);
    if (run->cfg->direction_field) {
        cJSON *dob = cJSON_AddObjectToObject(cnt, "travel_direction");
        for (int k = RB_DIR_AGREES; k <= RB_DIR_NO_FIT; k++)
            cJSON_AddNumberToObject(dob, rb_direction_name(k), (double)dir[k]);
    }
    if (run->cfg->road_field) {
        cJSON *ho = cJSON_AddObjectToObject(cnt, "road_named");
        for (int k = RB_HINT_AGREES; k <= RB_HINT_UNKNOWN_ROAD; k++)
            cJSON_AddNumberToObject(ho, rb_hint_name(k), (double)hint[k]);
    }
    if (run->lref) {
        cJSON *lo = cJSON_AddObjectToObject(cnt, "road_and_measure");
        cJSON_AddNumberToObject(lo, "markers", (double)run->lref->nmarkers);
        for (int k = RB_LR_OK; k <= RB_LR_DISAGREE; k++)
            cJSON_AddNumberToObject(lo, rb_lr_status_name(k), (double)lr[k]);
        cJSON_AddNumberToObject(lo, "check_m", run->cfg->lr_check_m);
    }
    if (run->cfg->overrides_path) {
        cJSON *oo = cJSON_AddObjectToObject(cnt, "overrides");
        cJSON_AddNumberToObject(oo, "applied", (double)run->overrides_applied);
        cJSON_AddNumberToObject(oo, "no_longer_apply", (double)run->overrides_stale);
    }
}

/* "warnings": the findings about the run as a whole (code, message, count,
 * untrusted, accepted), then each kind of row warning (code, its first
 * message, count); "trusted": no finding stands against the result. */
static void add_warnings(cJSON *root, const struct rb_log *log)
{
    cJSON *w = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; i < log->nfinds; i++) {
        const struct rb_finding *f = &log->finds[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(w, o);
        cJSON_AddStringToObject(o, "code", f->code);
        cJSON_AddStringToObject(o, "message", f->msg);
        cJSON_AddNumberToObject(o, "count", (double)f->count);
        cJSON_AddBoolToObject(o, "untrusted", f->untrusted);
        cJSON_AddBoolToObject(o, "accepted", f->accepted);
    }
    for (int k = 0; k < RB_W_NKINDS; k++) {
        if (!log->count[k])
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(w, o);
        cJSON_AddStringToObject(o, "code", rb_warn_kind_name(k));
        cJSON_AddStringToObject(o, "message", log->first[k] ? log->msgs[log->first[k] - 1] : "");
        cJSON_AddNumberToObject(o, "count", (double)log->count[k]);
    }
    cJSON_AddBoolToObject(root, "trusted", rb_log_untrusted(log) == 0);
}

/* The matching options, the EPDO weights with their source, the warnings. */
static void add_settings(cJSON *root, const struct rb_match_run *run)
{
    cJSON *mo = cJSON_AddObjectToObject(root, "match");
    cJSON_AddNumberToObject(mo, "tolerance_m", run->cfg->tolerance_m);
    cJSON_AddNumberToObject(mo, "ambiguous_margin_m", run->cfg->ambiguous_margin_m);
    cJSON_AddNumberToObject(mo, "grade_margin_m", run->cfg->grade_margin_m);
    cJSON_AddNumberToObject(mo, "junction_radius_m", run->cfg->junction_radius_m);
    cJSON_AddNumberToObject(mo, "node_snap_m", run->cfg->node_snap_m);

    cJSON *ew = cJSON_AddObjectToObject(root, "epdo_weights");
    for (int k = 0; k < 5; k++)
        cJSON_AddNumberToObject(ew, rb_severity_code(k), round_to(run->epdo_weight[k], 1e-6));
    if (run->costs && run->costs->source[0])
        cJSON_AddStringToObject(root, "epdo_weights_source", run->costs->source);

    add_warnings(root, run->log);
}

char *rb_report_summary(const struct rb_match_run *run, const char *const *outputs, size_t noutputs,
                        const char *const *timing_names, const double *timing_s, size_t ntimings)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "tool", "rumble");
    cJSON_AddStringToObject(root, "version", RB_VERSION);
    cJSON_AddStringToObject(root, "command", run->plan ? "run" : run->routes ? "screen" : "match");
    add_inputs(root, run);
    cJSON *cnt = add_crashes(root, run);
    add_period(root, run);
    add_segments(root, run);
    if (run->partition)
        add_partition(root, run);
    if (run->routes)
        add_screening(root, run);
    if (run->plan)
        add_plan(root, run);
    if (run->locate)
        add_locate(cnt, run);
    add_settings(root, run);
    return finish(root, outputs, noutputs, timing_names, timing_s, ntimings);
}

char *rb_report_plan_summary(const struct rb_match_run *run, const char *screen_path, const char *hotspots_layer,
                             const char *const *outputs, size_t noutputs)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "tool", "rumble");
    cJSON_AddStringToObject(root, "version", RB_VERSION);
    cJSON_AddStringToObject(root, "command", "plan");
    cJSON *in = cJSON_AddObjectToObject(root, "inputs");
    cJSON_AddStringToObject(in, "screen", screen_path);
    cJSON_AddStringToObject(in, "hotspots_layer", hotspots_layer);
    add_config(in, run->cfg);
    cJSON_AddStringToObject(in, "roads_crs", run->roads->src_crs_name);
    cJSON_AddStringToObject(in, "working_crs", run->roads->work_crs_name);
    add_plan(root, run);
    if (run->log)
        add_warnings(root, run->log);
    return finish(root, outputs, noutputs, NULL, NULL, 0);
}
