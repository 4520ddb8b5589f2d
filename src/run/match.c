/* run/match: reading the domain data, the roads and the crashes; the network;
 * crashes onto the roads; routes; the study period and per-segment counts. */
#include "run/internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const char *rb_run_road_id(const struct rb_roads *roads, size_t s, char *buf, size_t n)
{
    const char *id = roads->col_id >= 0 ? rb_table_text(&roads->attrs, (size_t)roads->col_id, s, buf, n) : NULL;
    if (!id) {
        snprintf(buf, n, "%lld", (long long)roads->fid[s]);
        id = buf;
    }
    return id;
}

/* The network's plain input: ids (the mapped field, else the feature id) and
 * AADT from the mapped field. */
static int read_network(struct rb_run *run)
{
    struct rb_roads *roads = &run->roads;
    size_t n = roads->nsegs;
    run->seg_ids = rb_calloc(n, sizeof *run->seg_ids);
    run->seg_aadt = rb_mallocarray(n, sizeof *run->seg_aadt);
    run->seg_idbuf = rb_mallocarray(n, sizeof *run->seg_idbuf);
    if (!run->seg_ids || !run->seg_aadt || !run->seg_idbuf)
        return rb_err_nomem(&run->err);
    for (size_t s = 0; s < n; s++) {
        run->seg_ids[s] = rb_run_road_id(roads, s, run->seg_idbuf[s], sizeof run->seg_idbuf[s]);
        run->seg_aadt[s] = roads->col_aadt >= 0 ? rb_table_number(&roads->attrs, (size_t)roads->col_aadt, s) : NAN;
    }
    struct rb_net_input nin = { n, roads->part0, roads->pt0, roads->xy, run->seg_ids, run->seg_aadt,
                                run->cfg.node_snap_m };
    if (rb_net_build(&nin, &run->net, &run->log, roads->path, &run->err) ||
        rb_netindex_build(&run->net, &run->ix, &run->err))
        return run->err.code;
    return RB_OK;
}

/* The crashes, read on a thread of their own while the network is built (it
 * needs only the roads as read: their CRS and extent): into a log and an
 * error of its own, merged when it is joined. */
struct crash_job {
    struct rb_run *run;
    const struct rb_progress *prog;
    struct rb_log log;
    struct rb_err err;
    int rc;
    double t;
};

static void *read_crashes(void *p)
{
    struct crash_job *j = p;
    double t0 = rb_now_s();
    j->rc = rb_io_read_crashes(&j->run->cfg, &j->run->vocab, &j->run->roads, &j->run->crashes, j->prog, &j->log,
                               &j->err);
    j->t = rb_now_s() - t0;
    return NULL;
}

int rb_run_read(struct rb_run *run)
{
    struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    const struct rb_progress *prog = run->opt.progress.fn ? &run->opt.progress : NULL;
    if (rb_vocab_read(cfg->data_dir, &run->vocab, err) || rb_costs_read(cfg->data_dir, cfg->crash_costs, &run->costs, err))
        return err->code;
    rb_epdo_weights(run->costs.cost, run->weight);
    for (int k = 0; k < 5; k++)
        if (cfg->epdo_weight[k] == cfg->epdo_weight[k])
            run->weight[k] = cfg->epdo_weight[k];
    double t0 = rb_now_s();
    /* without roads (screening an intersection layer alone) the CRSs come from the intersections */
    if (cfg->roads_path ? rb_io_read_roads(cfg, &run->roads, prog, &run->log, err)
                        : rb_io_roads_none(cfg->int_path, cfg->int_layer, "intersections", &run->roads, err))
        return err->code;
    run->have_roads = cfg->roads_path != NULL;
    if (cfg->output_crs && rb_roads_output_crs(&run->roads, cfg->output_crs, err))
        return err->code;
    if (rb_run_partition_roads(run))
        return err->code;
    run->t[0] = rb_now_s() - t0;
    t0 = rb_now_s();
    rb_run_step(run, "building the network");
    struct crash_job job = { .run = run, .prog = prog };
    job.log.accepted = run->log.accepted;   /* --accept holds on the thread too */
    pthread_t tid;
    int threaded = pthread_create(&tid, NULL, read_crashes, &job) == 0;
    int rc = read_network(run);
    run->t[1] = rb_now_s() - t0;
    if (threaded)
        pthread_join(tid, NULL);
    else if (!rc)
        read_crashes(&job);
    rb_log_merge(&run->log, &job.log);
    if (rc)
        return rc;
    run->t[2] = job.t;
    if (job.rc) {
        *err = job.err;
        return job.rc;
    }
    return RB_OK;
}

/* Routes: for screening, and to place crashes by road and measure. Each
 * segment's route key (OpenStreetMap: a street without a ref is chained by
 * its name) and whether it lies in a settlement. */
static int build_routes(struct rb_run *run, double split_gap_m)
{
    const struct rb_roads *roads = &run->roads;
    size_t n = roads->nsegs;
    run->route_keys = rb_calloc(n, sizeof *run->route_keys);
    run->route_buf = rb_mallocarray(n, sizeof *run->route_buf);
    run->urban = rb_calloc(n, 1);
    if (!run->route_keys || !run->route_buf || !run->urban)
        return rb_err_nomem(&run->err);
    int osm = rb_io_is_osm(roads->path);
    for (size_t s = 0; s < n; s++) {
        if (roads->col_route >= 0)
            run->route_keys[s] = rb_table_text(&roads->attrs, (size_t)roads->col_route, s, run->route_buf[s],
                                               sizeof run->route_buf[s]);
        if (osm && (!run->route_keys[s] || !*run->route_keys[s]) && roads->col_name >= 0)
            run->route_keys[s] = rb_table_text(&roads->attrs, (size_t)roads->col_name, s, run->route_buf[s],
                                               sizeof run->route_buf[s]);
        if (roads->col_area >= 0) {
            char b[40];
            run->urban[s] = (uint8_t)rb_run_is_urban(&run->vocab, rb_table_text(&roads->attrs, (size_t)roads->col_area,
                                                                                s, b, sizeof b));
        }
    }
    if (rb_routes_build_split(&run->net, run->route_keys, split_gap_m, &run->routes, &run->err))
        return run->err.code;
    run->have_routes = 1;
    return RB_OK;
}

/* AADT by study year from the fields cfg->road_aadt_year names ("{year}" stands
 * for the year): a year without its field takes the nearest year's field (the
 * earlier on a tie), and a segment without a value for a year takes its value
 * in the nearest year that has one, else its roads.aadt. Sets each segment's
 * AADT to the mean over the years, which gives its exposure. */
static int aadt_by_year(const struct rb_config *cfg, const struct rb_roads *roads, const struct rb_period *p,
                        struct rb_net *net, double **out, size_t *ny_out, struct rb_err *err)
{
    const char *pat = cfg->road_aadt_year, *at = strstr(pat, "{year}");
    if (!at)
        return rb_err_set(err, RB_EUSAGE, "roads.aadt_by_year '%s' has no {year} in it", pat);
    if (!p->from_year)
        return rb_err_set(err, RB_EUSAGE, "roads.aadt_by_year needs a study period (study.from_year, study.to_year)");
    size_t ny = (size_t)(p->to_year - p->from_year + 1);
    long *col = rb_malloc(ny * sizeof *col);
    double *v = rb_malloc((net->nsegs ? net->nsegs : 1) * ny * sizeof *v);
    if (!col || !v) {
        rb_free(col);
        rb_free(v);
        return rb_err_nomem(err);
    }
    int found = 0;
    for (size_t y = 0; y < ny; y++) {
        char name[256];
        snprintf(name, sizeof name, "%.*s%d%s", (int)(at - pat), pat, p->from_year + (int)y, at + 6);
        col[y] = rb_table_find(&roads->attrs, name);
        found |= col[y] >= 0;
    }
    if (!found) {
        rb_free(col);
        rb_free(v);
        return rb_err_set(err, RB_EINVAL, "%s: no field for roads.aadt_by_year '%s' in %d-%d", roads->path, pat,
                          p->from_year, p->to_year);
    }
    for (size_t s = 0; s < net->nsegs; s++) {
        double sum = 0;
        size_t n = 0;
        for (size_t y = 0; y < ny; y++) {
            double x = NAN;
            for (size_t d = 0; d < ny && x != x; d++) {     /* the nearest year with a value */
                if (y >= d && col[y - d] >= 0)
                    x = rb_table_number(&roads->attrs, (size_t)col[y - d], s);
                if (x != x && y + d < ny && col[y + d] >= 0)
                    x = rb_table_number(&roads->attrs, (size_t)col[y + d], s);
            }
            if (x != x)
                x = net->segs[s].aadt;
            v[s * ny + y] = x;
            if (x == x) {
                sum += x;
                n++;
            }
        }
        if (n)
            net->segs[s].aadt = sum / (double)n;
    }
    rb_free(col);
    *out = v;
    *ny_out = ny;
    return RB_OK;
}



/* The study period, and the crashes counted on each segment. */
static int count_crashes(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    size_t n = run->crashes.n;
    run->facts = rb_mallocarray(n, sizeof *run->facts);
    if (!run->facts)
        return rb_err_nomem(&run->err);
    for (size_t i = 0; i < n; i++)
        run->facts[i] = (struct rb_crash_fact){ run->match[i].seg, run->crashes.c[i].date_days,
                                                run->crashes.c[i].severity };
    run->period = rb_study_period(cfg->year_from, cfg->year_to, run->facts, n);
    if (!run->period.from_year)
        rb_warn(&run->log, RB_W_PERIOD, "no study period: no crash has a date and none is configured;"
                " per-year figures are left empty (set study.from_year and study.to_year)");
    if (cfg->road_aadt_year &&
        aadt_by_year(cfg, &run->roads, &run->period, &run->net, &run->aadt_yr, &run->n_aadt_yr, &run->err))
        return run->err.code;
    return rb_segstats_compute(&run->net, run->facts, n, &run->period, run->weight, &run->stats, &run->err);
}

int rb_run_match(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    const struct rb_progress *prog = run->opt.progress.fn ? &run->opt.progress : NULL;
    int screen = run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN;
    double t0 = rb_now_s();
    run->match = rb_mallocarray(run->crashes.n, sizeof *run->match);
    if (!run->match)
        return rb_err_nomem(err);
    run->grade = rb_run_seg_grades(&run->roads, &run->vocab);
    if (!run->grade && (run->roads.col_layer >= 0 || run->roads.col_bridge >= 0 || run->roads.col_tunnel >= 0))
        return rb_err_nomem(err);
    struct rb_match_opt mopt = { cfg->tolerance_m, cfg->ambiguous_margin_m, cfg->junction_radius_m,
                                 cfg->grade_margin_m, run->grade };
    struct rb_crash *c0 = run->crashes.c;
    if (rb_match_points(&run->net, &run->ix, &mopt, &c0[0].x, &c0[0].y, &c0[0].xy_status, sizeof *c0, run->crashes.n,
                        run->match, prog, err))
        return err->code;
    int lr_on = cfg->measure_field != NULL && run->have_roads;
    /* Screening splits a route key where its chains lie farther apart than a
     * window, so no window spans the gap; placing by road and measure needs each
     * road whole (its km posts run on across gaps). */
    double split_gap_m = screen && !lr_on ? fmax(cfg->window_m, RB_ROUTE_JOIN_M) : 0;
    if (screen || lr_on || cfg->overrides_path)
        rb_run_step(run, "building routes");
    if ((screen || lr_on || cfg->overrides_path) && build_routes(run, split_gap_m))
        return err->code;
    if (rb_run_locate(run, &mopt, lr_on) || rb_run_partition_crashes(run))
        return err->code;
    run->t[3] = rb_now_s() - t0;
    t0 = rb_now_s();
    rb_run_step(run, "counting crashes");
    if (count_crashes(run))
        return err->code;
    run->t[4] = rb_now_s() - t0;   /* the statistics stage goes on in screen and plan */
    return rb_run_trust_match(run);
}

void rb_run_counts(const struct rb_run *run, struct rb_run_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < run->crashes.n; i++) {
        const struct rb_match *m = &run->match[i];
        if (m->seg >= 0) {
            c->matched++;
            c->ambiguous += m->ambiguous;
            c->junction += m->junction;
        } else {
            c->reasons[m->reason]++;
        }
    }
}
