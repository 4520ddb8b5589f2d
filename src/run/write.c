/* run/write: the output layers built from what the stages made, written
 * QGIS-ready (styles and coded domains first), each file under a temporary
 * name and renamed when complete; the summary that describes them last. */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the report's builders read: borrowed from the run. */
static void make_view(struct rb_run *run)
{
    int screen = run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN;
    int plan_only = run->opt.job == RB_JOB_PLAN;
    const struct rb_config *cfg = &run->cfg;
    if (plan_only) {
        run->view = (struct rb_match_run){ .cfg = cfg, .roads = &run->roads, .net = &run->net, .costs = &run->costs,
                                           .log = &run->log,
                                           .junctions = run->saved.have_juncs ? &run->juncs : NULL,
                                           .routes = &run->routes, .plan = &run->ps.plan, .catalogue = &run->ps.cat,
                                           .plan_sites = run->ps.nsites, .works = &run->ps.works,
                                           .systemic = run->ps.sys.on ? &run->ps.sys.sum : NULL,
                                           .coverage = run->ps.cov.on ? &run->ps.cov.sum : NULL,
                                           .sites = run->ps.sites };
        return;
    }
    run->view = (struct rb_match_run){
        cfg, &run->roads, &run->net, &run->crashes, run->match, &run->period, &run->stats, run->weight,
        &run->costs, &run->log, screen ? &run->routes : NULL, run->chainage, screen ? &run->seg_sites : NULL,
        screen ? &run->windows : NULL, screen ? &run->hot : NULL, run->have_spf ? &run->spf : NULL,
        run->screen_rank, run->peak_measure, screen ? &run->juncs : NULL, screen ? &run->int_sites : NULL,
        cfg->sections_by && screen ? &run->sections : NULL, screen ? run->jof : NULL,
        run->pops.n ? (const char *const *)run->pops.name : NULL, run->pops.n,
        run->have_plan ? &run->ps.plan : NULL, run->have_plan ? &run->ps.cat : NULL, run->ps.nsites,
        run->have_plan ? &run->ps.works : NULL, run->locate, cfg->measure_field ? &run->lref : NULL,
        cfg->overrides_path ? run->overrides_applied : 0, cfg->overrides_path ? run->overrides_stale : 0,
        NULL, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL
    };
    if (run->int_spf.n && screen) {
        run->view.int_spf = &run->int_spf;
        run->view.int_spf_count = run->int_spf_count;
        run->view.int_no_model = run->int_no_model;
        run->view.int_assumed_stop = run->int_assumed_stop;
        run->view.spf_defaults_intersections = run->spf_defaults_intersections;
        run->view.int_cmf_given = run->int_cmf_given;
        run->view.int_cmf_base = run->int_cmf_base;
    }
    if (run->part.seg_seq) {
        run->view.partition = run->opt.partition;
        run->view.part_roads = run->part.roads_read;
        run->view.part_owned = run->part.owned;
        run->view.part_halo = run->part.halo;
        run->view.part_crashes = run->part.counts;
    }
    run->view.systemic = run->have_plan && run->ps.sys.on ? &run->ps.sys.sum : NULL;
    run->view.coverage = run->have_plan && run->ps.cov.on ? &run->ps.cov.sum : NULL;
    run->view.sites = run->have_plan ? run->ps.sites : NULL;
    run->view.spf_defaults_segments = screen ? run->spf_defaults_segments : 0;
    run->view.seg_cmf_given = screen ? run->seg_cmf_given : NULL;
    run->view.seg_cmf_base = screen ? run->seg_cmf_base : NULL;
    if (run->nspf && screen) {
        run->view.spf_set = run->spf_set;
        run->view.spfs = run->spfs;
        run->view.nspf = run->nspf;
        run->view.seg_spf = run->seg_spf;
        run->view.spf_count = run->spf_count;
        run->view.spf_fallback = run->spf_fallback;
        run->view.spf_fallback_ix = run->spf_fallback_ix;
    }
}

/* A layer's geometry from the working CRS into the output's. */
static int to_output(struct rb_run *run, struct rb_out_layer *o, int points)
{
    size_t n = points ? o->layer.nrows : o->pt_off[o->part_off[o->layer.nrows]];
    return rb_io_to_output_crs(&run->roads, o->xy, n, &run->err);
}

/* The plan's layers: plan, work_lines, work_points (in the output CRS) and
 * the work list (no geometry). */
/* The systemic programme: every segment of its focus facility, best score
 * first, with its risk factors' levels, its focus crashes, its score and
 * what became of it. */
static int systemic_layer(struct rb_run *run)
{
    const struct rb_run_systemic *sy = &run->ps.sys;
    struct rb_out_layer *o = &run->out.systemic;
    struct rb_err *err = &run->err;
    o->layer.name = "systemic";
    enum { S_SEG, S_ROUTE, S_FROM, S_TO, S_LEN, S_RADIUS, S_FOCUS, S_SCORE, S_RANK, S_STATUS, S_SITE, S_QTY, S_COST,
           S_AVOID, S_N };
    static const char *const names[S_N] = { "segment_id", "route_id", "from_m", "to_m", "length_m", "min_radius_m",
                                            "focus_crashes", "score", "rank", "status", "site", "quantity", "cost",
                                            "avoided_per_yr" };
    static const int types[S_N] = { RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL,
                                    RB_FT_INT, RB_FT_REAL, RB_FT_INT, RB_FT_STRING, RB_FT_INT, RB_FT_REAL, RB_FT_REAL,
                                    RB_FT_REAL };
    size_t c[S_N], cf[RB_SYS_NF];
    for (int k = 0; k < S_N; k++)
        if (rb_report_own_col(o, names[k], types[k], &c[k]))
            return rb_err_nomem(err);
    for (int f = 0; f < RB_SYS_NF; f++)
        if (rb_report_own_col(o, rb_sys_factor_names[f], RB_FT_STRING, &cf[f]))
            return rb_err_nomem(err);
    uint32_t *route = rb_mallocarray(sy->n ? sy->n : 1, sizeof *route);
    double *a = rb_mallocarray(sy->n ? sy->n : 1, sizeof *a), *b = rb_mallocarray(sy->n ? sy->n : 1, sizeof *b);
    int rc = !route || !a || !b ? rb_err_nomem(err) : RB_OK;
    struct rb_table *t = &o->own;
    for (size_t j = 0; j < sy->n && !rc; j++) {
        uint32_t s = sy->seg[j];
        route[j] = run->routes.route_of[s];
        a[j] = run->routes.from_m[s];
        b[j] = run->routes.to_m[s];
        if (rb_table_add_row(t) || rb_table_set_str(t, c[S_SEG], j, run->net.ids[s]) ||
            rb_table_set_str(t, c[S_ROUTE], j, run->routes.id[route[j]]) ||
            rb_table_set_str(t, c[S_STATUS], j, rb_sys_status_names[sy->status[j]])) {
            rc = rb_err_nomem(err);
            break;
        }
        for (int f = 0; f < RB_SYS_NF && !rc; f++) {
            const char *lv = rb_sys_level_name(f, sy->fs[j].level[f]);
            if (lv && rb_table_set_str(t, cf[f], j, lv))
                rc = rb_err_nomem(err);
        }
        t->cols[c[S_FROM]].d[j] = rb_report_mm(a[j]);
        t->cols[c[S_TO]].d[j] = rb_report_mm(b[j]);
        t->cols[c[S_LEN]].d[j] = rb_report_mm(sy->fs[j].length_m);
        t->cols[c[S_RADIUS]].d[j] = isfinite(sy->min_radius_m[j]) ? round(sy->min_radius_m[j]) : NAN;
        t->cols[c[S_FOCUS]].i[j] = sy->fs[j].focus;
        t->cols[c[S_SCORE]].d[j] = round(sy->score[j] * 1e4) / 1e4;
        t->cols[c[S_RANK]].i[j] = (int64_t)j + 1;
        if (sy->site[j])
            t->cols[c[S_SITE]].i[j] = sy->site[j];
        t->cols[c[S_QTY]].d[j] = isfinite(sy->quantity[j]) ? round(sy->quantity[j] * 1e3) / 1e3 : NAN;
        t->cols[c[S_COST]].d[j] = isfinite(sy->cost[j]) ? round(sy->cost[j]) : NAN;
        t->cols[c[S_AVOID]].d[j] = isfinite(sy->avoided_per_yr[j]) ? round(sy->avoided_per_yr[j] * 1e4) / 1e4 : NAN;
    }
    o->layer.nrows = sy->n;
    if (!rc && rb_report_route_geometry(&run->view, o, sy->n, route, a, b))
        rc = rb_err_nomem(err);
    rb_free(route);
    rb_free(a);
    rb_free(b);
    return rc;
}

/* What the network already has: each kind's covered stretches (lines), and
 * each route's figures by kind (a table). */
static int coverage_layers(struct rb_run *run)
{
    const struct rb_run_coverage *cv = &run->ps.cov;
    struct rb_out_layer *o = &run->out.coverage, *t = &run->out.coverage_routes;
    struct rb_err *err = &run->err;
    o->layer.name = "coverage";
    t->layer.name = "coverage_routes";
    t->layer.geom = RB_GEOM_NONE;
    size_t ck, cr, cf, ct, cl;
    if (rb_report_own_col(o, "kind", RB_FT_STRING, &ck) || rb_report_own_col(o, "route_id", RB_FT_STRING, &cr) ||
        rb_report_own_col(o, "from_m", RB_FT_REAL, &cf) || rb_report_own_col(o, "to_m", RB_FT_REAL, &ct) ||
        rb_report_own_col(o, "length_m", RB_FT_REAL, &cl))
        return rb_err_nomem(err);
    size_t n = 0;
    for (size_t k = 0; k < cv->nkinds; k++)
        n += cv->kind[k].niv;
    uint32_t *route = rb_mallocarray(n ? n : 1, sizeof *route);
    double *a = rb_mallocarray(n ? n : 1, sizeof *a), *b = rb_mallocarray(n ? n : 1, sizeof *b);
    int rc = !route || !a || !b ? rb_err_nomem(err) : RB_OK;
    size_t row = 0;
    for (size_t k = 0; k < cv->nkinds && !rc; k++)
        for (size_t i = 0; i < cv->kind[k].niv && !rc; i++, row++) {
            const struct rb_cov_iv *v = &cv->kind[k].iv[i];
            route[row] = v->route;
            a[row] = v->from_m;
            b[row] = v->to_m;
            if (rb_table_add_row(&o->own) || rb_table_set_str(&o->own, ck, row, cv->kind[k].id) ||
                rb_table_set_str(&o->own, cr, row, run->routes.id[v->route])) {
                rc = rb_err_nomem(err);
                break;
            }
            o->own.cols[cf].d[row] = rb_report_mm(v->from_m);
            o->own.cols[ct].d[row] = rb_report_mm(v->to_m);
            o->own.cols[cl].d[row] = rb_report_mm(v->to_m - v->from_m);
        }
    o->layer.nrows = row;
    if (!rc && rb_report_route_geometry(&run->view, o, row, route, a, b))
        rc = rb_err_nomem(err);
    rb_free(route);
    rb_free(a);
    rb_free(b);
    /* by route: each kind's km and crashes */
    static const char *const names[] = { "route_id", "kind", "km", "km_known", "km_covered", "crashes", "crashes_in",
                                         "ksi", "ksi_in", "night", "night_in", "night_out" };
    size_t c[12];
    for (int j = 0; j < 12 && !rc; j++)
        if (rb_report_own_col(t, names[j], j < 2 ? RB_FT_STRING : j < 5 ? RB_FT_REAL : RB_FT_INT, &c[j]))
            rc = rb_err_nomem(err);
    row = 0;
    for (size_t r = 0; r < run->routes.nroutes && !rc; r++)
        for (size_t k = 0; k < cv->nkinds && !rc; k++, row++) {
            const struct rb_cov_fig *f = &cv->kind[k].route[r];
            if (rb_table_add_row(&t->own) || rb_table_set_str(&t->own, c[0], row, run->routes.id[r]) ||
                rb_table_set_str(&t->own, c[1], row, cv->kind[k].id)) {
                rc = rb_err_nomem(err);
                break;
            }
            t->own.cols[c[2]].d[row] = round(f->km * 1e6) / 1e6;
            t->own.cols[c[3]].d[row] = round(f->km_known * 1e6) / 1e6;
            t->own.cols[c[4]].d[row] = round(f->km_covered * 1e6) / 1e6;
            const size_t v[7] = { f->crashes, f->crashes_in, f->ksi, f->ksi_in, f->night, f->night_in, f->night_out };
            for (int j = 0; j < 7; j++)
                t->own.cols[c[5 + j]].i[row] = (int64_t)v[j];
        }
    t->layer.nrows = row;
    return rc;
}

static int plan_layers(struct rb_run *run)
{
    struct rb_run_out *out = &run->out;
    const struct rb_run_plan *ps = &run->ps;
    struct rb_err *err = &run->err;
    if (rb_report_plan(&run->view, &ps->cat, ps->sites, &ps->plan, ps->cat.currency, &out->plan, err) ||
        rb_report_work_order(&ps->works, run->view.routes, &ps->cat, &out->work_order, err) ||
        rb_report_work_lines(&run->view, out->work_order, &out->lines, err) ||
        rb_report_work_points(&run->view, out->work_order, &out->points, err) ||
        rb_report_work_list(&run->view, out->work_order, &out->list, err))
        return err->code;
    if ((ps->sys.on && systemic_layer(run)) || (ps->cov.on && coverage_layers(run)))
        return err->code;
    struct rb_out_layer *o[5] = { &out->plan, &out->lines, &out->points, &out->systemic, &out->coverage };
    for (int k = 0; k < 5; k++)
        if ((k < 3 || (k == 3 && ps->sys.on) || (k == 4 && ps->cov.on)) && to_output(run, o[k], 0))
            return err->code;
    return RB_OK;
}

/* A partition's crashes (all but those another partition owns) with their
 * status and place in the input; its own segments with theirs. */
static int partition_crash_cols(struct rb_run *run)
{
    struct rb_out_layer *o = &run->out.crashes;
    const struct rb_run_part *p = &run->part;
    size_t cs, cq;
    if (rb_report_own_col(o, "partition", RB_FT_STRING, &cs) || rb_report_own_col(o, "crash_seq", RB_FT_INT, &cq))
        return rb_err_nomem(&run->err);
    for (size_t i = 0; i < run->crashes.n; i++) {
        if (rb_table_set_str(&o->own, cs, i, rb_part_status_names[p->crash[i]]))
            return rb_err_nomem(&run->err);
        o->own.cols[cq].i[i] = (int64_t)i + 1;
    }
    o->layer.rows = p->crash_rows;
    o->layer.nrows = p->ncrash_rows;
    return RB_OK;
}

static int partition_seg_cols(struct rb_run *run)
{
    struct rb_out_layer *o = &run->out.segments;
    const struct rb_run_part *p = &run->part;
    size_t rq;
    if (rb_report_own_col(o, "road_seq", RB_FT_INT, &rq))
        return rb_err_nomem(&run->err);
    for (size_t s = 0; s < run->net.nsegs; s++)
        o->own.cols[rq].i[s] = (int64_t)p->seg_seq[s];
    /* ranks among the region's own segments, in the order the whole network's give them */
    long cr = rb_table_find(&o->own, "rank");
    if (cr >= 0 && o->own.cols[cr].i) {
        int64_t *rank = o->own.cols[cr].i;
        size_t n = run->net.nsegs;
        size_t *at = rb_calloc(n ? n : 1, sizeof *at);   /* at[rank - 1]: 1 + the owned segment with it */
        if (!at)
            return rb_err_nomem(&run->err);
        for (size_t s = 0; s < n; s++)
            if (p->seg_owned[s] && rank[s] >= 1 && (uint64_t)rank[s] <= n)
                at[rank[s] - 1] = s + 1;
        int64_t next = 1;
        for (size_t k = 0; k < n; k++)
            if (at[k])
                rank[at[k] - 1] = next++;
        for (size_t s = 0; s < n; s++)
            if (!p->seg_owned[s])
                rank[s] = RB_NULL_INT;
        rb_free(at);
    }
    o->layer.rows = p->seg_rows;
    o->layer.nrows = p->nseg_rows;
    return RB_OK;
}

/* A written layer's memory given back: of a ranked layer the rows ranked
 * 1..keep (the run's summary on stdout prints them), of any its name. */
static int keep_top(struct rb_out_layer *o, size_t keep)
{
    const char *name = o->layer.name;
    struct rb_table small = { 0 };
    long cr = rb_table_find(&o->own, "rank");
    int rc = RB_OK;
    if (keep && cr >= 0 && o->own.cols[cr].i) {
        rc = rb_table_copy_cols(&small, &o->own);
        for (size_t r = 0; !rc && r < o->own.nrows; r++) {
            int64_t k = o->own.cols[cr].i[r];
            if (k >= 1 && (uint64_t)k <= keep)
                rc = rb_table_copy_row(&small, &o->own, r);
        }
    }
    rb_out_layer_free(o);
    o->own = small;
    o->layer.name = name;
    return rc;
}

/* Layers written as a group: their styles, the domains they bring, then each
 * layer (to the CSV tables too when csv is given). */
static int write_group(struct rb_run *run, struct rb_out *o, struct rb_out *csv, struct rb_layer *const *ls, size_t n)
{
    struct rb_run_out *out = &run->out;
    struct rb_err *err = &run->err;
    size_t d0 = out->styles.ndom;
    if (rb_report_styles_add(ls, n, run->have_plan ? &run->ps.cat : NULL, &out->styles, err))
        return err->code;
    for (size_t k = d0; k < out->styles.ndom; k++) {
        const struct rb_domain_def *d = &out->styles.dom[k];
        if (rb_out_add_domain(o, d->name, d->desc, (const char *const *)d->codes, (const char *const *)d->labels,
                              d->n, err))
            return err->code;
    }
    for (size_t k = 0; k < n; k++) {
        if (rb_out_write(o, ls[k], err))
            return err->code;
        if (ls[k]->geom != RB_GEOM_NONE)
            out->unindexed += !rb_out_last_indexed(o);
        if (csv && rb_out_write(csv, ls[k], err))
            return err->code;
        out->layers[out->nlayers++] = ls[k];
    }
    return RB_OK;
}

static int write_one(struct rb_run *run, struct rb_out *o, struct rb_out *csv, struct rb_out_layer *l, size_t keep)
{
    struct rb_layer *ls[1] = { &l->layer };
    if (write_group(run, o, csv, ls, 1))
        return run->err.code;
    return keep_top(l, keep) ? rb_err_nomem(&run->err) : RB_OK;
}

/* match, screen and run: each layer built, written and given back in turn,
 * so that no more than one large layer is held at a time. */
static int stream_layers(struct rb_run *run, struct rb_out *o, struct rb_out *csv)
{
    struct rb_run_out *out = &run->out;
    struct rb_err *err = &run->err;
    int screen = run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN;
    size_t top = run->opt.keep_top;
    make_view(run);
    if (rb_report_crashes(&run->view, &out->crashes, err) || (run->part.crash && partition_crash_cols(run)) ||
        write_one(run, o, csv, &out->crashes, 0))
        return err->code;
    if (run->crashes.nrej &&
        (rb_report_rejected(&run->view, &out->rejected, err) || write_one(run, o, NULL, &out->rejected, 0)))
        return err->code;
    if (run->have_roads &&
        (rb_report_segments(&run->view, &out->segments, err) || to_output(run, &out->segments, 0) ||
         (run->part.crash && partition_seg_cols(run)) || write_one(run, o, csv, &out->segments, screen ? 0 : top)))
        return err->code;
    if (!screen)
        return RB_OK;
    if (run->have_roads) {
        if (rb_report_windows(&run->view, &out->windows, err) || to_output(run, &out->windows, 0) ||
            write_one(run, o, NULL, &out->windows, top) || rb_report_hotspots(&run->view, &out->hotspots, err) ||
            to_output(run, &out->hotspots, 0) || write_one(run, o, NULL, &out->hotspots, 0))
            return err->code;
    }
    struct rb_layer *pl[6] = { &out->plan.layer, &out->lines.layer, &out->points.layer };
    size_t npl = 3;
    if (run->ps.sys.on)
        pl[npl++] = &out->systemic.layer;
    if (run->ps.cov.on) {
        pl[npl++] = &out->coverage.layer;
        pl[npl++] = &out->coverage_routes.layer;
    }
    if (run->have_plan && (plan_layers(run) || write_group(run, o, NULL, pl, npl)))
        return err->code;
    if (rb_report_intersections(&run->view, &out->intersections, err) || to_output(run, &out->intersections, 1) ||
        write_one(run, o, NULL, &out->intersections, run->have_roads ? 0 : top))
        return err->code;
    if (run->view.sections && (rb_report_sections(&run->view, &out->sections, err) ||
                               to_output(run, &out->sections, 0) || write_one(run, o, NULL, &out->sections, 0)))
        return err->code;
    return RB_OK;
}

/* rumble plan: the plan's layers, built together and written as a group. */
static int build_layers(struct rb_run *run)
{
    struct rb_run_out *out = &run->out;
    make_view(run);
    if (plan_layers(run))
        return run->err.code;
    out->layers[out->nlayers++] = &out->plan.layer;
    out->layers[out->nlayers++] = &out->lines.layer;
    out->layers[out->nlayers++] = &out->points.layer;
    if (run->ps.sys.on)
        out->layers[out->nlayers++] = &out->systemic.layer;
    if (run->ps.cov.on) {
        out->layers[out->nlayers++] = &out->coverage.layer;
        out->layers[out->nlayers++] = &out->coverage_routes.layer;
    }
    return RB_OK;
}

/* The settings the run was made with, in the order given (the config texts
 * and the flags: rb_config's trail), a table in the GeoPackage of a screening
 * so that `rumble plan --screen` plans with them. */
static int settings_layer(struct rb_run *run, struct rb_out_layer *o)
{
    const struct rb_config *cfg = &run->cfg;
    size_t ck, cv;
    o->layer.name = "settings";
    o->layer.geom = RB_GEOM_NONE;
    if (rb_report_own_col(o, "key", RB_FT_STRING, &ck) || rb_report_own_col(o, "value", RB_FT_STRING, &cv))
        return rb_err_nomem(&run->err);
    for (size_t i = 0; i < cfg->ntrail; i++) {
        const char *v = cfg->trail[2 * i + 1];
        if (rb_table_add_row(&o->own) || rb_table_set_str(&o->own, ck, i, cfg->trail[2 * i]) ||
            (v && rb_table_set_str(&o->own, cv, i, v)))
            return rb_err_nomem(&run->err);
    }
    o->layer.nrows = cfg->ntrail;
    return RB_OK;
}

/* Commits in order, each file renamed into place; a failure aborts the rest. */
static int commit_all(struct rb_out **o, size_t n, struct rb_err *err)
{
    int rc = RB_OK;
    for (size_t k = 0; k < n; k++) {
        if (!o[k])
            continue;
        if (!rc)
            rc = rb_out_commit(o[k], err);
        else
            rb_out_abort(o[k]);
        o[k] = NULL;
    }
    return rc;
}

/* The dataset, the tables as CSV when asked, and the crews' work list. */
static int write_files(struct rb_run *run)
{
    struct rb_run_out *out = &run->out;
    struct rb_err *err = &run->err;
    const char *output = run->opt.output;
    struct rb_out *o[3] = { NULL, NULL, NULL };
    int rc = rb_out_open(output, run->roads.src_srs_wkt, &o[0], err);
    const struct rb_progress *prog = run->opt.progress.fn ? &run->opt.progress : NULL;
    int plan_only = run->opt.job == RB_JOB_PLAN;
    if (!rc) {
        rb_out_set_progress(o[0], prog);
        rb_out_set_spatial_index(o[0], run->opt.spatial_index);
    }
    if (!rc && run->opt.csv && !plan_only) {
        char *csv_path = rb_run_swap_ext(output, ".csv");
        rc = !csv_path ? rb_err_nomem(err) : rb_out_open(csv_path, run->roads.src_srs_wkt, &o[1], err);
        rb_free(csv_path);
        if (!rc)
            rb_out_set_progress(o[1], prog);
    }
    if (!rc)
        rc = plan_only ? (build_layers(run) || rb_run_write_layers(o[0], out->layers, out->nlayers, &run->ps.cat,
                                                                   &out->styles, &out->unindexed, err)
                              ? err->code : RB_OK)
                       : stream_layers(run, o[0], o[1]);
    if (!rc && rb_out_is_gpkg(o[0]) && (run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN))
        rc = settings_layer(run, &out->settings) || rb_out_write(o[0], &out->settings.layer, err) ? err->code : RB_OK;
    if (!rc && run->have_plan) {   /* the crews' list, sorted by route and chainage */
        if (rb_out_open(out->work_path, NULL, &o[2], err) || rb_out_write(o[2], &out->list.layer, err))
            rc = err->code;
    }
    if (rc) {
        for (int k = 0; k < 3; k++)
            rb_out_abort(o[k]);
        return rc;
    }
    /* commit in order: the data first, the summary that describes it last */
    return commit_all(o, 3, err);
}

/* The names of every file written, the summary last. */
static int file_names(struct rb_run *run)
{
    struct rb_run_out *out = &run->out;
    const char *output = run->opt.output;
    out->summary_path = run->opt.summary ? rb_strdup(run->opt.summary) : rb_run_swap_ext(output, ".summary.json");
    if (!out->summary_path)
        return rb_err_nomem(&run->err);
    out->files[out->nfiles++] = output;
    if (run->opt.csv) {
        out->csv_crashes = rb_run_swap_ext(output, "_crashes.csv");
        out->csv_segments = run->have_roads ? rb_run_swap_ext(output, "_segments.csv") : NULL;
        if (!out->csv_crashes || (run->have_roads && !out->csv_segments))
            return rb_err_nomem(&run->err);
        out->files[out->nfiles++] = out->csv_crashes;
        if (run->have_roads)
            out->files[out->nfiles++] = out->csv_segments;
    }
    if (run->have_plan) {
        if (!(out->work_path = rb_run_swap_ext(output, "_work.csv")))
            return rb_err_nomem(&run->err);
        out->files[out->nfiles++] = out->work_path;
    }
    out->files[out->nfiles++] = out->summary_path;
    return RB_OK;
}

int rb_run_write(struct rb_run *run)
{
    struct rb_run_out *out = &run->out;
    struct rb_err *err = &run->err;
    double t0 = rb_now_s();
    rb_run_step(run, "building the output layers");
    rb_run_release(run);
    if (file_names(run) || write_files(run))
        return err->code;
    run->t[5] = rb_now_s() - t0;
    if (run->opt.job == RB_JOB_PLAN)
        out->summary = rb_report_plan_summary(&run->view, run->opt.screen_path,
                                              run->opt.hot_layer ? run->opt.hot_layer : "hotspots", out->files,
                                              out->nfiles);
    else
        out->summary = rb_report_summary(&run->view, out->files, out->nfiles,
                                         run->opt.no_timings ? NULL : rb_run_timing_names(), run->t,
                                         RB_RUN_NTIMINGS);
    if (!out->summary)
        return rb_err_nomem(err);
    return rb_io_write_text(out->summary_path, out->summary, err);
}

int rb_run_write_layers(struct rb_out *out, struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat,
                        struct rb_styles *st, size_t *unindexed, struct rb_err *err)
{
    if (rb_report_styles(layers, n, cat, st, err))
        return err->code;
    for (size_t k = 0; k < st->ndom; k++) {
        const struct rb_domain_def *d = &st->dom[k];
        if (rb_out_add_domain(out, d->name, d->desc, (const char *const *)d->codes, (const char *const *)d->labels,
                              d->n, err))
            return err->code;
    }
    for (size_t k = 0; k < n; k++) {
        if (rb_out_write(out, layers[k], err))
            return err->code;
        if (unindexed && layers[k]->geom != RB_GEOM_NONE)   /* a table has nothing to index */
            *unindexed += !rb_out_last_indexed(out);
    }
    return RB_OK;
}
