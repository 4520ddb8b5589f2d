/* cli/print: what a run did, on stdout — read back from its output tables as
 * written, so the screen shows what the files hold. */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A number for a table, "-" when it has no value: a run never prints nan. */
static const char *num(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v))
        return "-";
    snprintf(buf, n, "%.*f", decimals, v);
    return buf;
}

/* The worst segments by rank, read back from the segments table as written. */
/* The rows of a ranked table in rank order, the first n of them (calloc'd; NULL
 * when memory runs out). */
static size_t *rank_order(const struct rb_table *t, long crank, size_t n)
{
    size_t *order = rb_calloc(n ? n : 1, sizeof *order);
    for (size_t r = 0; order && r < t->nrows; r++) {
        int64_t k = t->cols[crank].i[r];
        if (k >= 1 && (size_t)k <= n)
            order[k - 1] = r;
    }
    return order;
}

static void print_top_segments(const struct rb_out_layer *ls, const char *measure, size_t top)
{
    const struct rb_table *t = &ls->own;
    long crank = rb_table_find(t, "rank"), cid = rb_table_find(t, "segment_id"),
         croute = rb_table_find(t, "route_id"), clen = rb_table_find(t, "length_m"),
         cobs = rb_table_find(t, "n_obs"), ck = rb_table_find(t, "n_k"), ca = rb_table_find(t, "n_a"),
         cm = rb_table_find(t, measure);
    if (top == 0 || crank < 0 || cm < 0)
        return;
    size_t n = t->nrows < top ? t->nrows : top;
    size_t *order = rank_order(t, crank, n);
    if (!order)
        return;
    printf("top %zu segments by %s:\n", n, measure);
    printf("  %4s  %-16s %-10s %9s %6s %4s %4s %14s\n", "rank", "segment_id", "route", "length_m",
           "n_obs", "K", "A", measure);
    for (size_t k = 0; k < n; k++) {
        size_t r = order[k];
        const char *route = rb_table_str(t, (size_t)croute, r);
        char buf[40];
        const char *v = rb_table_text(t, (size_t)cm, r, buf, sizeof buf);
        double dv = v ? atof(v) : NAN;
        char b1[32], b2[32];
        printf("  %4zu  %-16s %-10s %9s %6lld %4lld %4lld %14s\n", k + 1,
               rb_table_str(t, (size_t)cid, r), route ? route : "-", num(t->cols[clen].d[r], 1, b1, sizeof b1),
               (long long)t->cols[cobs].i[r], (long long)t->cols[ck].i[r],
               (long long)t->cols[ca].i[r], num(dv, 3, b2, sizeof b2));
    }
    rb_free(order);
}

/* The worst windows, read back from the windows table as written. */
static void print_top_windows(const struct rb_out_layer *lw, const char *measure, const struct rb_hotspots *hot,
                              size_t top)
{
    const struct rb_table *t = &lw->own;
    long crank = rb_table_find(t, "rank"), croute = rb_table_find(t, "route_id"),
         cfrom = rb_table_find(t, "from_m"), cto = rb_table_find(t, "to_m"), cobs = rb_table_find(t, "n_obs"),
         cm = rb_table_find(t, measure);
    size_t n = t->nrows < top ? t->nrows : top;
    size_t *order = crank < 0 || cm < 0 ? NULL : rank_order(t, crank, n);
    if (!order)
        return;
    printf("top %zu windows by %s:\n", n, measure);
    printf("  %4s  %-12s %10s %10s %6s %14s\n", "rank", "route", "from_m", "to_m", "n_obs", measure);
    for (size_t k = 0; k < n; k++) {
        size_t r = order[k];
        char buf[40];
        const char *v = rb_table_text(t, (size_t)cm, r, buf, sizeof buf);
        char b1[32], b2[32], b3[32];
        printf("  %4zu  %-12s %10s %10s %6lld %14s\n", k + 1, rb_table_str(t, (size_t)croute, r),
               num(t->cols[cfrom].d[r], 0, b1, sizeof b1), num(t->cols[cto].d[r], 0, b2, sizeof b2),
               (long long)t->cols[cobs].i[r], num(v ? atof(v) : NAN, 3, b3, sizeof b3));
    }
    size_t by_rule[RB_NHS] = { 0 };
    for (size_t i = 0; i < hot->n; i++)
        by_rule[hot->rule[i]]++;
    printf("hotspots: %zu", hot->n);
    for (int r = 0; r < RB_NHS; r++)
        printf("%s%s %zu", r ? ", " : " (", rb_hotspot_rule_name(r), by_rule[r]);
    printf(")\n");
    rb_free(order);
}

/* The worst intersections, read back from the intersections table as written. */
static void print_top_intersections(const struct rb_out_layer *li, const char *measure, size_t top)
{
    const struct rb_table *t = &li->own;
    long crank = rb_table_find(t, "rank"), cid = rb_table_find(t, "intersection_id"),
         cent = rb_table_find(t, "entering_aadt"), cobs = rb_table_find(t, "n_obs"), cm = rb_table_find(t, measure);
    size_t n = t->nrows < top ? t->nrows : top;
    size_t *order = crank < 0 || cm < 0 ? NULL : rank_order(t, crank, n);
    if (!order)
        return;
    printf("top %zu intersections by %s:\n", n, measure);
    printf("  %4s  %-16s %13s %6s %14s\n", "rank", "intersection_id", "entering_aadt", "n_obs", measure);
    for (size_t k = 0; k < n; k++) {
        size_t r = order[k];
        char buf[40];
        const char *v = rb_table_text(t, (size_t)cm, r, buf, sizeof buf);
        char b1[32], b2[32];
        printf("  %4zu  %-16s %13s %6lld %14s\n", k + 1, rb_table_str(t, (size_t)cid, r),
               num(t->cols[cent].d[r], 0, b1, sizeof b1), (long long)t->cols[cobs].i[r],
               num(v ? atof(v) : NAN, 3, b2, sizeof b2));
    }
    rb_free(order);
}

/* The plan, on stdout: what the budget buys. */
static const char *num_or_dash(double v, int decimals, char *buf, size_t n)
{
    return num(v > 0 ? v : NAN, decimals, buf, n);
}

void rb_cli_print_plan(const struct rb_config *cfg, const struct rb_run_plan *ps, const struct rb_routes *routes)
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
    size_t lines = 0, nw = ps->sys.on ? ps->sys.works0 : ps->works.n;
    double laid_m = 0;
    for (size_t i = 0; i < nw; i++)
        if (ps->works.w[i].is_line) {
            lines++;
            laid_m += ps->works.w[i].to_m - ps->works.w[i].from_m;
        }
    printf("work orders: %zu stretches (%.1f km) and %zu signs, chevrons and devices\n", lines, laid_m / 1000,
           nw - lines);
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
               rb_report_post(cfg, s->from_m, k0, sizeof k0), rb_report_post(cfg, s->to_m, k1, sizeof k1), ids,
               pl->alt[i].a.bcr, pl->alt[i].a.install_cost);
    }
    for (size_t k = 0; ps->cov.on && k < ps->cov.nkinds; k++) {
        const struct rb_cov_kind *kd = &ps->cov.kind[k];
        const struct rb_cov_fig *f = &kd->net;
        char b[4][32];
        if (kd->cm < 0)
            printf("coverage: lit road%s %.1f of the %.1f km whose lighting is known (%s %%; the network %.1f km), %zu of"
                   " the %zu crashes there; %s %% of the %zu night crashes on unlit road\n",
                   kd->police ? " (by the police records of night crashes)" : "", f->km_covered, f->km_known,
                   num(f->km_known > 0 ? 100 * f->km_covered / f->km_known : NAN, 1, b[0], sizeof b[0]), f->km,
                   f->crashes_in, f->crashes, num(f->night > 0 ? 100.0 * (double)f->night_out / (double)f->night : NAN, 1, b[1],
                                   sizeof b[1]), f->night);
        else
            printf("coverage: %s: assets %zu (off the roads %zu), %.1f km (%s %%) covered, %zu crashes (%s %%) and %zu"
                   " KSI (%s %%) on it\n", kd->id, kd->assets, kd->unmatched, f->km_covered,
                   num(f->km > 0 ? 100 * f->km_covered / f->km : NAN, 2, b[0], sizeof b[0]), f->crashes_in,
                   num(f->crashes ? 100.0 * (double)f->crashes_in / (double)f->crashes : NAN, 1, b[1], sizeof b[1]),
                   f->ksi_in, num(f->ksi ? 100.0 * (double)f->ksi_in / (double)f->ksi : NAN, 1, b[2], sizeof b[2]));
    }
    for (size_t i = 0; ps->cov.on && i < pl->present; i++) {
        const struct rb_plan_site *s = &ps->sites[pl->pres[i].site];
        char k0[32], k1[32];
        if (i == 5) {
            printf("coverage: and %zu more (summary: plan.already_there)\n", pl->present - 5);
            break;
        }
        printf("coverage: not proposed, already there or not combinable with what is: %s %s - %s %s\n",
               routes->id[s->route], rb_report_post(cfg, s->from_m, k0, sizeof k0),
               rb_report_post(cfg, s->to_m, k1, sizeof k1), ps->cat.cm[pl->pres[i].cm].id);
    }
    if (ps->sys.on) {
        const struct rb_sys_summary *u = &ps->sys.sum;
        char b[32];
        printf("systemic: %s on %zu of the %zu segments where it applies (%.1f of %.1f km), %zu of them without a"
               " focus crash on record; %.0f %s", u->cm_id, u->chosen, u->n, u->km, u->facility_km, u->chosen_no_history,
               u->cost, ps->cat.currency);
        if (u->budget == u->budget)
            printf(" of %.0f", u->budget);
        printf("; %s target crashes avoided a year; %zu already in the plan, %zu already there, %zu over budget, %zu below"
               " average risk, %zu could not be laid out (layer systemic)\n", num_or_dash(u->avoided_per_yr, 2, b,
               sizeof b), u->in_plan, u->present, u->over_budget, u->below_average, u->not_laid);
    }
}

/* What the run did, on stdout: matches, the study period, the worst sites,
 * the plan, and the files written. */
void rb_cli_print_run(const struct rb_run *run, size_t top)
{
    const struct rb_crashes *cr = &run->crashes;
    struct rb_run_counts c;
    rb_run_counts(run, &c);
    int screen = run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN;
    printf("crashes: %zu from %zu records", cr->n, cr->nrecords - cr->nrej);
    if (cr->nrej)
        printf(" (%zu more rows set aside as not crash records: layer rejected)", cr->nrej);
    printf("; matched %zu (%.1f%%; %zu ambiguous, %zu at junctions)", c.matched,
           cr->n ? 100.0 * c.matched / cr->n : 0.0, c.ambiguous, c.junction);
    printf("; unmatched %zu", cr->n - c.matched);
    const char *sep = " (";
    for (int r = 1; r < RB_NUNM; r++) {
        if (c.reasons[r]) {
            printf("%s%s %zu", sep, rb_unmatched_name(r), c.reasons[r]);
            sep = ", ";
        }
    }
    printf("%s\n", cr->n - c.matched ? ")" : "");
    if (run->part.crash) {   /* a partition: what is its own (the line above counts every crash it read) */
        const struct rb_run_part *p = &run->part;
        printf("partition %s: %zu of the %zu segments its own, %zu kept around them; crashes: %zu on its roads, %zu"
               " on another region's, %zu unmatched near its roads, %zu elsewhere (for rumble merge)\n",
               run->opt.partition, p->owned, p->roads_read, p->halo, p->counts[RB_PART_OWN],
               p->counts[RB_PART_HALO], p->counts[RB_PART_IN], p->counts[RB_PART_OUT]);
    }
    if (run->period.from_year && run->have_roads)
        printf("study period: %d-%d, %zu crashes counted on %zu segments\n", run->period.from_year,
               run->period.to_year, run->stats.counted, run->net.nsegs);
    else if (run->period.from_year)
        printf("study period: %d-%d\n", run->period.from_year, run->period.to_year);
    if (screen && run->have_roads)
        print_top_windows(&run->out.windows, run->screen_rank, &run->hot, top);
    else if (screen)
        print_top_intersections(&run->out.intersections, run->junction_rank, top);
    else
        print_top_segments(&run->out.segments, rb_rank_measure(run->cfg.rank_by), top);
    if (run->have_plan)
        rb_cli_print_plan(&run->cfg, &run->ps, &run->routes);
    rb_cli_print_written(run);
}

/* "wrote OUT (layers a, b), other files" */
void rb_cli_print_written(const struct rb_run *run)
{
    const struct rb_run_out *out = &run->out;
    printf("wrote %s (layers ", run->opt.output);
    for (size_t k = 0; k < out->nlayers; k++)
        printf("%s%s", k ? ", " : "", out->layers[k]->name);
    printf(")");
    for (size_t k = 1; k < out->nfiles; k++)
        printf(", %s", out->files[k]);
    printf("\n");
}

/* The fitted SPF: its terms with z and p, overdispersion, fit and CURE. */
void rb_cli_print_fit(const struct rb_fit *f, const struct rb_fit_opt *o)
{
    const struct rb_nb2_fit *fit = &f->fit;
    printf("NB2 fit of %s on %zu sites (%zu left out), %d iterations\n", o->count, f->n, f->skipped, fit->iterations);
    printf("  %-16s %14s %12s %9s %10s\n", "term", "coef", "se", "z", "p");
    for (size_t j = 0; j < f->nterms; j++) {
        double z = fit->beta[j] / fit->se[j];
        char b[4][32];
        snprintf(b[3], sizeof b[3], "%.3g", erfc(fabs(z) / sqrt(2)));
        printf("  %-16s %14s %12s %9s %10s\n", f->term[j].var, num(fit->beta[j], 6, b[0], sizeof b[0]),
               num(fit->se[j], 6, b[1], sizeof b[1]), num(z, 3, b[2], sizeof b[2]), isfinite(z) ? b[3] : "-");
    }
    char b[4][32];
    printf("  k (overdispersion) %s (se %s); theta %s (se %s)\n", num(fit->k, 6, b[0], sizeof b[0]),
           num(fit->se_k, 6, b[1], sizeof b[1]), num(fit->theta, 6, b[2], sizeof b[2]),
           num(fit->se_theta, 6, b[3], sizeof b[3]));
    printf("  log-likelihood %.4f, AIC %.4f; Poisson log-likelihood %.4f\n", fit->loglik, fit->aic,
           fit->loglik_poisson);
    printf("  CURE: %zu of %zu points outside the two-sigma band\n", f->outside, f->n);
    printf("wrote %s, %s\n", o->out, f->cure_path);
}

void rb_cli_print_cal(const struct rb_cal *c, const struct rb_cal_opt *o)
{
    printf("calibration of %s to %s: %zu rows (%zu left out), %zu sites", c->cal.spf.id, o->sites, c->n, c->skipped,
           c->nsites);
    if (c->nyears)
        printf(", %zu years", c->nyears);
    printf("\n  observed %.0f, predicted %.4f: C = %.4f (HSM Part C, Appendix A)\n", c->observed, c->predicted, c->c);
    printf("  %.1f crashes a year: the HSM's sample guidance (30 sites or more, 100 crashes a year) %s\n",
           c->crashes_per_yr, c->sample_ok ? "met" : "NOT met");
    if (c->have_fn)
        printf("  calibration function C(AADT) = exp(a + b ln AADT): a = %.4f (se %.4f), b = %.4f (se %.4f)\n",
               c->fn_a, c->fn_se_a, c->fn_b, c->fn_se_b);
    printf("  %-32s %8s %14s %12s %18s\n", "model", "params", "log-likelihood", "AIC", "CURE outside band");
    const struct rb_cal_model *m[3] = { &c->cal, &c->fn, &c->cmp };
    const char *what[3] = { "C", "function", "compared" };
    int show[3] = { 1, c->have_fn, c->have_cmp }, best = -1;
    for (int k = 0; k < 3; k++) {
        if (!show[k])
            continue;
        char label[64];
        snprintf(label, sizeof label, "%.40s (%s)", m[k]->spf.id, what[k]);
        printf("  %-32.32s %8d %14.4f %12.4f %11zu of %zu\n", label, m[k]->nparam, m[k]->loglik, m[k]->aic,
               m[k]->outside, c->n);
        if (best < 0 || m[k]->aic < m[best]->aic)
            best = k;
    }
    if (c->have_cmp || c->have_fn)
        printf("  lower AIC: %s (%s)\n", m[best]->spf.id, what[best]);
    printf("wrote %s, %s\n", o->out, c->cure_path);
}

void rb_cli_print_eval(const struct rb_eval *e, const struct rb_eval_opt *o)
{
    printf("before-after evaluation of %s with %s: treated sites %zu (%zu evaluated), comparison sites %zu; crash data"
           " %s (%s)", o->treatments, e->spf.id, e->ntreated, e->nevaluated, e->ncomparison, e->period_text,
           e->period_source);
    if (o->before_yr > 0 || o->after_yr > 0) {
        char b0[32] = "all", b1[32] = "all";
        if (o->before_yr > 0)
            snprintf(b0, sizeof b0, "%g years", o->before_yr);
        if (o->after_yr > 0)
            snprintf(b1, sizeof b1, "%g years", o->after_yr);
        printf("; at most %s before and %s after the works", b0, b1);
    }
    printf("\n");
    printf("  %-30s %-12s %-16s %5s %7s %7s %9s %7s %7s %17s %8s\n", "countermeasure", "crashes", "method", "sites",
           "before", "after", "expected", "theta", "se", "95 % interval", "effect");
    for (size_t j = 0; j < e->npool; j++) {
        const struct rb_eval_pooled *p = &e->pool[j];
        const struct rb_ebba *r = &p->est;
        char b[6][32];
        if (!p->ok) {
            printf("  %-30.30s %-12s %-16s %5zu  not estimated: %s\n", p->cm_id, rb_eval_group_names[p->group],
                   rb_eval_method_names[p->method], r->n, p->why);
            continue;
        }
        char ci[72];
        snprintf(ci, sizeof ci, "%s-%s", num(r->ci_low, 3, b[3], sizeof b[3]), num(r->ci_high, 3, b[4], sizeof b[4]));
        printf("  %-30.30s %-12s %-16s %5zu %7.0f %7.0f %9s %7s %7s %17s %7s%%%s\n", p->cm_id,
               rb_eval_group_names[p->group], rb_eval_method_names[p->method], r->n, r->obs_before, r->obs_after,
               num(r->exp_after, 1, b[0], sizeof b[0]), num(r->theta, 3, b[1], sizeof b[1]),
               num(r->se_theta, 3, b[2], sizeof b[2]), ci, num(r->effect_pct, 1, b[5], sizeof b[5]),
               r->ci_high < 1 || r->ci_low > 1 ? " *" : "");
    }
    printf("  theta: crashes after / expected without the works (bias-corrected); * the 95 %% interval excludes 1;"
           " naive: biased (regression to the mean, traffic), for comparison only\n");
    printf("wrote %s (layers evaluation, evaluation_pooled), %s%s%s\n", o->out, e->summary_path,
           o->catalogue_out ? ", " : "", o->catalogue_out ? o->catalogue_out : "");
}
