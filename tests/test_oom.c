/* Out of memory in every module: a small world (two routes crossing, 48
 * crashes) is taken through the whole library once — network, index,
 * matching, screening, hotspots, intersections, the plan and its work
 * orders, the output layers, the summary, the styles and the HTML report —
 * and then each stage's calls are run again with the k-th allocation failing
 * for k = 1, 2, ... until they succeed (tests/toom.h). Every failing run must
 * return RB_ENOMEM and leak nothing (the sanitizer build checks), and the run
 * that succeeds must give what the plain run gave, compared value by value. */
#include "tcheck.h"
#include "rumble.h"
#include "report/html.h"
#include "screen/nb2.h"
#include "tnet.h"
#include "toom.h"

#include <cjson/cJSON.h>

#define NCR 48
#define MAXK 100000   /* failure points any one call may have */

static const char *data_dir(void)
{
    return getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data";
}

enum { L_CRASHES, L_SEGMENTS, L_WINDOWS, L_SECTIONS, L_HOTSPOTS, L_INTERSECTIONS, L_PLAN, L_WLINES, L_WPOINTS,
       L_WLIST, NL };

/* Everything the plain run made; each test reruns one stage against it. */
struct world {
    struct tnet f;
    struct rb_net_input in;
    struct rb_net net;
    struct rb_routes r;
    struct rb_netindex ix;
    struct rb_match_opt mopt;
    double cx[NCR], cy[NCR];
    uint8_t cst[NCR];
    struct rb_match m[NCR];
    struct rb_crash_fact fact[NCR];
    struct rb_period period;
    struct rb_costs costs;
    double w[5], rsi[RB_NCT];
    struct rb_segstats st;
    struct rb_route_crash rc[NCR], jrc[NCR];
    double chain[NCR];
    struct rb_screen_opt sopt;
    struct rb_sites segs, win, jsites;
    struct rb_sections sec;
    struct rb_ccs_opt ccs;
    struct rb_hotspots hot;
    struct rb_junctions J;
    int64_t cj[NCR];
    uint8_t usable[NCR];
    /* the plan */
    struct rb_catalogue cat;
    struct rb_placement pl;
    struct rb_plan_road road[64];
    struct rb_gap *gap;
    size_t ngap;
    struct rb_layout_ctx ctx;
    struct rb_plan_crash pc_all[NCR];
    int64_t cseg[NCR];
    uint8_t counted[NCR];
    struct rb_plan_input pin;
    struct rb_plan_site *sites;
    size_t nsites, nref;
    struct rb_plan_crash *pcr, *ref;
    struct rb_plan_ref refc;
    struct rb_plan_opt popt;
    struct rb_plan plan;
    struct rb_works works;
    struct rb_works rworks;     /* the plan's, and advance signs at the first site: lines and points */
    /* the report */
    struct rb_config cfg;
    int64_t fid[64];
    struct rb_roads roads;
    struct rb_crash crash[NCR];
    struct rb_crashes crashes;
    struct rb_log log;
    struct rb_match_run run;
    struct rb_out_layer L[NL];
    size_t *order;
    char *summary;
    struct rb_styles styles;
    struct rb_shapes sh[7];
    cJSON *locale, *summary_json;
    char *html;
};

static struct world W;

static void *hook_malloc(size_t n)
{
    return rb_malloc(n);
}
static int world_ok;

/* ---- the world ------------------------------------------------------------------------ */

/* Route A along the x axis, 0-3,000 m in three segments; route B crosses it
 * at x = 1,000 (a junction of four legs). */
static void world_roads(struct world *w)
{
    tnet_add(&w->f, "A", 6000, (double[]){ 0, 0, 1000, 0 }, 2);
    tnet_add(&w->f, "A", 6000, (double[]){ 1000, 0, 1800, 0, 2000, 0 }, 3);
    tnet_add(&w->f, "A", 6000, (double[]){ 2000, 0, 3000, 0 }, 2);
    tnet_add(&w->f, "B", 1500, (double[]){ 1000, -800, 1000, 0 }, 2);
    tnet_add(&w->f, "B", 1500, (double[]){ 1000, 0, 1000, 800 }, 2);
    w->in = (struct rb_net_input){ w->f.nsegs, w->f.part0, w->f.pt0, w->f.xy, w->f.ids, w->f.aadt, 0.5 };
}

/* 16 dark, wet run-off-road injury crashes 1,400-1,600 m along A in 2020
 * (a crash concentration and the plan's site); 24 rear-end and angle
 * property-damage crashes in daylight spread over both routes 2019-2021; 6
 * angle injury crashes at the junction in 2021 (another crash concentration);
 * one far from any road; one without coordinates. */
static void world_crashes(struct world *w)
{
    for (int i = 0; i < NCR; i++) {
        struct rb_crash *c = &w->crash[i];
        memset(c, 0, sizeof *c);
        c->time_min = -1;
        c->measure_m = c->dir_deg = NAN;
        c->road = RB_NOSTR;
        c->row = i + 2;
        c->nrecords = 1;
        c->light = RB_LIGHT_DAY;
        c->surface = RB_SURF_DRY;
        double x, y;
        if (i < 16) {
            x = 1400 + 12.5 * i;
            y = i % 2 ? 4 : -4;
            c->crash_type = RB_CT_RUN_OFF_ROAD;
            c->severity = (uint8_t)(i == 3 ? RB_SEV_K : RB_SEV_A + i % 3);
            c->light = RB_LIGHT_DARK;
            c->surface = RB_SURF_WET;
            c->date_days = rb_days_from_ymd(2020, 3, 1) + 10 * i;
        } else if (i < 40) {
            int k = i - 16;
            x = k % 3 == 2 ? 1000 + (k % 2 ? 6 : -6) : 120.0 * k + 35;
            y = k % 3 == 2 ? -700 + 60.0 * k : (k % 2 ? 7 : -7);
            c->crash_type = (uint8_t)(k % 2 ? RB_CT_REAR_END : RB_CT_ANGLE);
            c->severity = RB_SEV_O;
            c->date_days = rb_days_from_ymd(2019, 1, 10) + 45 * k;
        } else if (i < 46) {
            x = 1000 + (i % 2 ? 8 : -8);
            y = i % 3 ? 5 : -9;
            c->crash_type = RB_CT_ANGLE;
            c->severity = RB_SEV_B;
            c->date_days = rb_days_from_ymd(2021, 5, 1) + 20 * (i - 40);
        } else {
            x = i == 46 ? 5000 : NAN;
            y = i == 46 ? 5000 : NAN;
            c->crash_type = RB_CT_OTHER;
            c->severity = RB_SEV_O;
            c->date_days = rb_days_from_ymd(2020, 6, 1);
        }
        w->cst[i] = (uint8_t)(i == 47 ? RB_XY_MISSING : RB_XY_OK);
        c->xy_status = w->cst[i];
        c->x = c->out_x = w->cx[i] = x;
        c->y = c->out_y = w->cy[i] = y;
        char id[16];
        snprintf(id, sizeof id, "c%02d", i);
        c->id = rb_pool_add(&w->crashes.str, id, strlen(id));
    }
    w->crashes.n = w->crashes.cap = NCR;
    w->crashes.c = w->crash;
    w->crashes.nrecords = NCR;
    w->crashes.is_table = 1;
    w->crashes.path = "crashes.csv";
}

static int world_match_and_screen(struct world *w, struct rb_err *err)
{
    struct rb_log log = { 0 };
    w->mopt = (struct rb_match_opt){ 30, 5, 20, 15, NULL };
    int rc = rb_net_build(&w->in, &w->net, &log, "t", err) || rb_routes_build(&w->net, w->f.keys, &w->r, err) ||
             rb_netindex_build(&w->net, &w->ix, err) ||
             rb_match_points(&w->net, &w->ix, &w->mopt, &w->crash[0].x, &w->crash[0].y, &w->crash[0].xy_status,
                             sizeof(struct rb_crash), NCR, w->m, NULL, err);
    rb_log_free(&log);
    if (rc)
        return rc;
    w->period = (struct rb_period){ 2019, 2021, 0 };
    if ((rc = rb_costs_read(data_dir(), NULL, &w->costs, err)))
        return rc;
    rb_epdo_weights(w->costs.cost, w->w);
    for (int i = 0; i < NCR; i++) {
        const struct rb_match *m = &w->m[i];
        w->fact[i] = (struct rb_crash_fact){ m->seg, w->crash[i].date_days, w->crash[i].severity };
        w->chain[i] = m->seg >= 0 ? rb_routes_chainage(&w->r, &w->net, (size_t)m->seg, m->measure_m) : NAN;
        w->rc[i] = (struct rb_route_crash){ m->seg >= 0 ? (int64_t)w->r.route_of[m->seg] : -1, w->chain[i], m->seg,
                                            w->crash[i].date_days, w->crash[i].severity, w->crash[i].crash_type, 0 };
        w->usable[i] = w->cst[i] == RB_XY_OK;
    }
    rb_rsi_costs(w->rc, NCR, &w->period, w->costs.cost, w->rsi);
    w->sopt = (struct rb_screen_opt){ 300, 100, 1.645, NULL, w->w, &w->period, w->rsi, RB_CT_RUN_OFF_ROAD, NULL, 0, NULL, NULL, 0, NULL, NULL };
    w->ccs = (struct rb_ccs_opt){ 1000, 200, 365, 3, 5, NULL, NULL };
    rc = rb_segstats_compute(&w->net, w->fact, NCR, &w->period, w->w, &w->st, err) ||
         rb_sites_segments(&w->r, &w->net, &w->segs, err) ||
         rb_sites_count(&w->segs, w->rc, NCR, &w->sopt, RB_BY_SEGMENT, err) ||
         rb_sites_measures(&w->segs, &w->sopt, "epdo_per_yr", err) ||
         rb_sites_windows(&w->r, &w->net, &w->sopt, &w->win, err) ||
         rb_sites_count(&w->win, w->rc, NCR, &w->sopt, RB_BY_CHAINAGE, err) ||
         rb_sites_measures(&w->win, &w->sopt, "epdo_per_yr", err) ||
         rb_sections_build(&w->r, &w->net, w->f.keys, NULL, 0, &w->sec, err) ||
         rb_sites_count(&w->sec.s, w->rc, NCR, &w->sopt, RB_BY_CHAINAGE, err) ||
         rb_sites_measures(&w->sec.s, &w->sopt, "epdo_per_yr", err) ||
         rb_crash_concentration(&w->r, w->rc, NCR, &w->ccs, &w->hot, err) ||
         rb_hotspots_top(&w->hot, RB_HS_SLIDING, 5, w->win.n, w->win.route, w->win.from_m, w->win.to_m,
                         w->win.epdo_per_yr, w->win.n_obs, err) ||
         rb_junctions_from_net(&w->net, &w->r, 0, &w->J, err) ||
         rb_junctions_assign(&w->J, w->cx, w->cy, w->usable, NCR, 76.2, w->cj, err) ||
         rb_sites_points(w->J.n, w->J.entering, &w->jsites, err);
    if (rc)
        return rc;
    /* intersections count the crashes given to them, by junction */
    for (int i = 0; i < NCR; i++) {
        w->jrc[i] = w->rc[i];
        w->jrc[i].seg = w->cj[i];
    }
    return rb_sites_count(&w->jsites, w->jrc, NCR, &w->sopt, RB_BY_SEGMENT, err) ||
           rb_sites_measures(&w->jsites, &w->sopt, "epdo_per_yr", err);
}

static int world_plan(struct world *w, struct rb_err *err)
{
    for (size_t s = 0; s < w->f.nsegs; s++)
        w->road[s] = (struct rb_plan_road){ .area = 0, .speed_kmh = 90, .aadt = w->f.aadt[s], .shoulder_m = NAN,
                                            .lanes = 2, .divided = -1, .curve = -1 };
    int rc = rb_catalogue_read(data_dir(), NULL, &w->cat, err) || rb_catalogue_price(&w->cat, NULL, err) ||
             rb_placement_read(data_dir(), NULL, &w->pl, err) ||
             rb_layout_gaps(&w->net, &w->r, NULL, NULL, NULL, NULL, &w->gap, &w->ngap, err);
    if (rc)
        return rc;
    w->ctx = (struct rb_layout_ctx){ &w->net, &w->r, w->road, w->gap, w->ngap, &w->pl, { 50, 15, 200 }, 90, 4, 600,
                                     0, NULL };
    for (int i = 0; i < NCR; i++) {
        const struct rb_crash *c = &w->crash[i];
        w->pc_all[i] = (struct rb_plan_crash){ c->crash_type, c->severity, c->light, c->surface, c->weather, 0, NAN };
        w->cseg[i] = w->m[i].seg;
        w->counted[i] = w->m[i].seg >= 0 && rb_in_period(&w->period, c->date_days);
    }
    w->pin = (struct rb_plan_input){ &w->net, &w->r, &w->hot, &w->segs, w->road, NCR, w->pc_all, w->cseg, w->chain,
                                     w->counted, 600, &w->J, &w->jsites, w->cj, 20, 76.2, NULL, 0 };
    w->popt = (struct rb_plan_opt){ 0.05, 2, { 0.04, { 0 }, 0, 20 }, RB_OBJ_NPV, &w->ctx,
                                    1 /* every entry: the world plans with unchecked ones too */ };
    memcpy(w->popt.econ.cost_per_crash, w->costs.cost, sizeof w->costs.cost);
    rc = rb_plan_sites(&w->pin, &w->sites, &w->nsites, &w->pcr, &w->ref, &w->nref, err) ||
         rb_plan_ref_counts(&w->cat, w->ref, w->nref, 1, &w->refc, err);
    w->ctx.crash = w->pcr;   /* point devices placed by the sites' crashes, benefits by their zones */
    for (size_t s = 0; s < w->nsites && !rc; s++)
        rc = rb_plan_site_alternatives(&w->cat, &w->sites[s], s, w->pcr, &w->refc, &w->popt, &w->plan, err);
    rc = rc || rb_plan_rank(&w->plan, RB_RANK_NPV, err) || rb_plan_rank_incremental(&w->plan, w->nsites, err) ||
         rb_plan_choose(&w->plan, w->nsites, 2000000, RB_OBJ_NPV, err) ||
         rb_plan_works(&w->plan, &w->cat, w->sites, &w->ctx, &w->works, err);
    if (rc || !w->works.n)
        return rc ? rc : RB_EINVAL;
    /* the report's work orders: the plan's, and advance signs where its first work is */
    w->rworks.w = rb_mallocarray(w->works.n, sizeof *w->rworks.w);
    if (!w->rworks.w)
        return RB_ENOMEM;
    memcpy(w->rworks.w, w->works.w, w->works.n * sizeof *w->works.w);
    w->rworks.n = w->rworks.cap = w->works.n;
    int k = rb_catalogue_find(&w->cat, "advance_warning_signs");
    double q, c;
    size_t n0 = w->rworks.n, site = w->works.w[0].site;
    rc = rb_layout(&w->ctx, &w->cat.cm[k], (size_t)k, &w->sites[site], site, &w->rworks, &q, &c, err);
    for (size_t i = n0; i < w->rworks.n; i++)
        w->rworks.w[i].alt = w->works.w[0].alt;
    return rc;
}

/* A built layer as the report reads one back (rb_shapes): its cells copied
 * into attrs, its geometry borrowed. */
static int shapes_of(const struct rb_layer *l, struct rb_shapes *s)
{
    memset(s, 0, sizeof *s);
    s->present = 1;
    s->geom = l->geom;
    s->n = l->nrows;
    if (l->geom != RB_GEOM_NONE) {
        s->part0 = (size_t *)l->part_off;
        s->pt0 = (size_t *)l->pt_off;
        s->xy = (double *)l->xy;
        s->nparts = l->part_off[l->nrows];
        s->npts = l->pt_off[s->nparts];
    }
    snprintf(s->crs_name, sizeof s->crs_name, "EPSG:32630");
    for (size_t k = 0; k < l->ncols; k++) {
        const struct rb_column *c = &l->cols[k].tab->cols[l->cols[k].col];
        if (rb_table_add_col(&s->attrs, l->cols[k].name, c->type))
            return RB_ENOMEM;
    }
    for (size_t i = 0; i < l->nrows; i++) {
        if (rb_table_add_row(&s->attrs))
            return RB_ENOMEM;
        for (size_t k = 0; k < l->ncols; k++) {
            const struct rb_table *t = l->cols[k].tab;
            const struct rb_column *c = &t->cols[l->cols[k].col];
            if (c->i)
                s->attrs.cols[k].i[i] = c->i[i];
            else if (c->d)
                s->attrs.cols[k].d[i] = c->d[i];
            else if (rb_table_set_str(&s->attrs, k, i, rb_table_str(t, l->cols[k].col, i)))
                return RB_ENOMEM;
        }
    }
    return RB_OK;
}

static int world_report(struct world *w, struct rb_err *err)
{
    rb_config_init(&w->cfg);
    for (size_t s = 0; s < w->f.nsegs; s++)
        w->fid[s] = (int64_t)s + 1;
    struct rb_roads *rd = &w->roads;
    rd->nsegs = w->f.nsegs;
    rd->nparts = w->f.nsegs;
    rd->npts = w->f.npts;
    rd->part0 = w->f.part0;
    rd->pt0 = w->f.pt0;
    rd->xy = w->f.xy;
    rd->fid = w->fid;
    rd->col_id = rd->col_route = rd->col_name = rd->col_aadt = rd->col_speed = rd->col_lanes = rd->col_area = -1;
    rd->col_shoulder = rd->col_bridge = rd->col_divided = rd->col_tunnel = rd->col_layer = rd->col_lit = -1;
    rd->work_is_src = 1;
    snprintf(rd->src_crs_name, sizeof rd->src_crs_name, "EPSG:32630");
    snprintf(rd->work_crs_name, sizeof rd->work_crs_name, "EPSG:32630");
    rd->path = "roads.gpkg";
    static const char *const pops[] = { "all" };
    w->run = (struct rb_match_run){ &w->cfg, rd, &w->net, &w->crashes, w->m, &w->period, &w->st, w->w, &w->costs,
                                    &w->log, &w->r, w->chain, &w->segs, &w->win, &w->hot, NULL, "epdo_per_yr",
                                    "epdo_per_yr", &w->J, &w->jsites, &w->sec, w->cj, pops, 1, &w->plan, &w->cat,
                                    w->nsites, &w->rworks, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL };
    const struct rb_match_run *run = &w->run;
    int rc = rb_report_crashes(run, &w->L[L_CRASHES], err) || rb_report_segments(run, &w->L[L_SEGMENTS], err) ||
             rb_report_windows(run, &w->L[L_WINDOWS], err) || rb_report_sections(run, &w->L[L_SECTIONS], err) ||
             rb_report_hotspots(run, &w->L[L_HOTSPOTS], err) ||
             rb_report_intersections(run, &w->L[L_INTERSECTIONS], err) ||
             rb_report_plan(run, &w->cat, w->sites, &w->plan, w->cat.currency, &w->L[L_PLAN], err) ||
             rb_report_work_order(&w->rworks, &w->r, &w->cat, &w->order, err) ||
             rb_report_work_lines(run, w->order, &w->L[L_WLINES], err) ||
             rb_report_work_points(run, w->order, &w->L[L_WPOINTS], err) ||
             rb_report_work_list(run, w->order, &w->L[L_WLIST], err);
    if (rc)
        return rc;
    static const char *const outs[] = { "out.gpkg", "out.summary.json" };
    if (!(w->summary = rb_report_summary(run, outs, 2, NULL, NULL, 0)))
        return RB_ENOMEM;
    struct rb_layer *layers[NL];
    for (int k = 0; k < NL; k++)
        layers[k] = &w->L[k].layer;
    if ((rc = rb_report_styles(layers, NL, &w->cat, &w->styles, err)))
        return rc;
    /* the HTML report reads the layers back */
    static const int as[7] = { L_SEGMENTS, L_HOTSPOTS, L_PLAN, L_WLINES, L_WPOINTS, L_CRASHES, L_INTERSECTIONS };
    for (int k = 0; k < 7; k++)
        if ((rc = shapes_of(&w->L[as[k]].layer, &w->sh[k])))
            return rc;
    if (!(w->locale = rb_locale_read(data_dir(), "en", err)) || !(w->summary_json = cJSON_Parse(w->summary)))
        return RB_EIO;
    return RB_OK;
}

static const char *cm_ids[RB_CM_MAX], *cm_names[RB_CM_MAX];

static struct rb_report_src html_src(struct world *w)
{
    for (size_t k = 0; k < w->cat.n; k++) {
        cm_ids[k] = w->cat.cm[k].id;
        cm_names[k] = w->cat.cm[k].name;
    }
    return (struct rb_report_src){ "out.gpkg", &w->sh[0], &w->sh[1], &w->sh[2], &w->sh[3], &w->sh[4], &w->sh[5],
                                   w->summary_json, w->locale, cm_ids, cm_names, w->cat.n, 0, "rank", &w->sh[6] };
}

static int world_build(struct world *w)
{
    struct rb_err err = { 0 };
    world_roads(w);
    world_crashes(w);
    int rc = world_match_and_screen(w, &err);
    if (!rc)
        rc = world_plan(w, &err);
    if (!rc)
        rc = world_report(w, &err);
    if (!rc) {
        struct rb_report_src src = html_src(w);
        rc = rb_report_html(&src, &w->html, &err);
    }
    if (rc)
        fprintf(stderr, "world: %s\n", err.msg);
    return rc;
}

static void world_free(struct world *w)
{
    rb_free(w->html);
    cJSON_Delete(w->summary_json);
    cJSON_Delete(w->locale);
    for (int k = 0; k < 7; k++)
        rb_table_free(&w->sh[k].attrs);
    rb_styles_free(&w->styles);
    rb_free(w->summary);
    rb_free(w->order);
    for (int k = 0; k < NL; k++)
        rb_out_layer_free(&w->L[k]);
    rb_config_free(&w->cfg);
    rb_pool_free(&w->crashes.str);
    rb_works_free(&w->works);
    rb_works_free(&w->rworks);
    rb_plan_free(&w->plan);
    rb_plan_ref_free(&w->refc);
    rb_free(w->sites);
    rb_free(w->pcr);
    rb_free(w->ref);
    rb_free(w->gap);
    rb_sites_free(&w->jsites);
    rb_junctions_free(&w->J);
    rb_hotspots_free(&w->hot);
    rb_sections_free(&w->sec);
    rb_sites_free(&w->win);
    rb_sites_free(&w->segs);
    rb_segstats_free(&w->st);
    rb_netindex_free(&w->ix);
    rb_routes_free(&w->r);
    rb_net_free(&w->net);
    rb_log_free(&w->log);
}

/* ---- comparing results -------------------------------------------------------------- */

/* a and b hold the same n doubles (NaN equal to NaN) */
static int same_d(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i] || (a[i] != a[i] && b[i] != b[i])))
            return 0;
    return 1;
}

static int same_u32(const uint32_t *a, const uint32_t *b, size_t n)
{
    return n == 0 || !memcmp(a, b, n * sizeof *a);
}

/* the sites' counts, measures and ranks */
static int same_sites(const struct rb_sites *a, const struct rb_sites *b)
{
    size_t n = a->n;
    return a->n == b->n && same_u32(a->route, b->route, n) && same_d(a->from_m, b->from_m, n) &&
           same_d(a->to_m, b->to_m, n) && same_d(a->aadt, b->aadt, n) && same_u32(a->n_obs, b->n_obs, n) &&
           same_u32(a->n_sev, b->n_sev, n * RB_NSEV) && same_d(a->freq_per_yr, b->freq_per_yr, n) &&
           same_d(a->epdo_per_yr, b->epdo_per_yr, n) && same_d(a->crit_rate_per_mvkm, b->crit_rate_per_mvkm, n) &&
           same_d(a->rsi, b->rsi, n) && same_d(a->p_exceed, b->p_exceed, n) && same_u32(a->rank, b->rank, n);
}

static int same_hotspots(const struct rb_hotspots *a, const struct rb_hotspots *b)
{
    size_t n = a->n;
    return a->n == b->n && !memcmp(a->rule, b->rule, n) && same_u32(a->route, b->route, n) &&
           same_d(a->from_m, b->from_m, n) && same_d(a->to_m, b->to_m, n) && same_d(a->value, b->value, n) &&
           same_u32(a->n_crashes, b->n_crashes, n) && same_u32(a->n_qualifying, b->n_qualifying, n);
}

/* two layers with the same columns, cells (as text) and geometry */
static int same_layer(const struct rb_layer *a, const struct rb_layer *b)
{
    if (strcmp(a->name, b->name) || a->geom != b->geom || a->nrows != b->nrows || a->ncols != b->ncols)
        return 0;
    for (size_t k = 0; k < a->ncols; k++) {
        if (strcmp(a->cols[k].name, b->cols[k].name))
            return 0;
        for (size_t i = 0; i < a->nrows; i++) {
            char x[256], y[256];
            const char *p = rb_table_text(a->cols[k].tab, a->cols[k].col, i, x, sizeof x);
            const char *q = rb_table_text(b->cols[k].tab, b->cols[k].col, i, y, sizeof y);
            if ((p == NULL) != (q == NULL) || (p && strcmp(p, q)))
                return 0;
        }
    }
    if (a->geom == RB_GEOM_NONE)
        return 1;
    size_t nparts = a->part_off[a->nrows], npts = a->pt_off[nparts];
    return !memcmp(a->part_off, b->part_off, (a->nrows + 1) * sizeof *a->part_off) &&
           !memcmp(a->pt_off, b->pt_off, (nparts + 1) * sizeof *a->pt_off) && same_d(a->xy, b->xy, 2 * npts);
}

/* ---- net, index, match ----------------------------------------------------------- */

struct job {
    struct rb_err err;
    struct rb_log log;
    struct rb_net net;
    struct rb_routes r;
    struct rb_netindex ix;
    struct rb_rtree *tree;
    struct rb_polyindex pix;
    struct rb_match m[NCR];
    struct rb_sites s;
    struct rb_sections sec;
    struct rb_hotspots h;
    struct rb_peaks pk;
    struct rb_crp crp;
    struct rb_junctions J;
    int64_t cj[NCR];
    struct rb_segstats st;
    struct rb_nb2_fit fit;
    struct rb_route_crash *sorted;
    const char *what;           /* which call of a stage */
    /* the plan */
    struct rb_gap *gap;
    size_t ngap, nsites, nref;
    struct rb_plan_site *sites;
    struct rb_plan_crash *pcr, *ref;
    struct rb_plan_ref refc;
    struct rb_plan plan;
    struct rb_works works;
    long choice[64];
    int year[64];
    struct rb_mckp_result res, greedy;
    int rank[64];
    double qty, cover;
    /* the report */
    struct rb_out_layer o;
    size_t *order;
    char *text;
    struct rb_styles styles;
};

static struct job J;

static int call_net(void *ud)
{
    struct job *j = ud;
    int rc = rb_net_build(&W.in, &j->net, &j->log, "t", &j->err);
    rb_log_free(&j->log);
    return rc;
}

static int call_routes(void *ud)
{
    struct job *j = ud;
    return rb_routes_build(&W.net, W.f.keys, &j->r, &j->err);
}

TEST(net_and_routes)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("net: rb_net_build", call_net, NULL, &J, MAXK);
    CHECK_INT(J.net.nsegs, W.net.nsegs);
    CHECK_INT(J.net.nnodes, W.net.nnodes);
    CHECK_INT(J.net.npts, W.net.npts);
    CHECK(same_d(J.net.xy, W.net.xy, 2 * W.net.npts) && same_d(J.net.m, W.net.m, W.net.npts));
    CHECK(same_u32(J.net.node_deg, W.net.node_deg, W.net.nnodes));
    for (size_t s = 0; s < W.net.nsegs; s++)
        CHECK_STR(J.net.ids[s], W.net.ids[s]);
    rb_net_free(&J.net);
    t_oom("net: rb_routes_build", call_routes, NULL, &J, MAXK);
    CHECK_INT(J.r.nroutes, W.r.nroutes);
    CHECK_INT(J.r.nchains, W.r.nchains);
    CHECK(same_u32(J.r.route_of, W.r.route_of, W.net.nsegs) && same_d(J.r.from_m, W.r.from_m, W.net.nsegs) &&
          same_d(J.r.to_m, W.r.to_m, W.net.nsegs));
    rb_routes_free(&J.r);
}

static double boxes[4 * 300];

static int call_rtree(void *ud)
{
    struct job *j = ud;
    return rb_rtree_build(boxes, 300, &j->tree);
}

/* two squares and a triangle */
static const size_t ring0[4] = { 0, 1, 2, 3 }, pt0[4] = { 0, 4, 8, 11 };
static const double pxy[2 * 11] = { 0, 0, 10, 0, 10, 10, 0, 10, 20, 0, 30, 0, 30, 10, 20, 10, 0, 20, 10, 20, 5, 30 };

static int call_polyindex(void *ud)
{
    struct job *j = ud;
    return rb_polyindex_build(3, ring0, pt0, pxy, &j->pix);
}

static int call_netindex(void *ud)
{
    struct job *j = ud;
    return rb_netindex_build(&W.net, &j->ix, &j->err);
}

static int count_hit(size_t item, void *ud)
{
    (void)item;
    ++*(size_t *)ud;
    return 0;
}

TEST(index)
{
    if (!world_ok)
        return;
    uint64_t seed = 11;
    for (int i = 0; i < 300; i++) {
        boxes[4 * i] = 100 * rb_rand01(&seed);
        boxes[4 * i + 1] = 100 * rb_rand01(&seed);
        boxes[4 * i + 2] = boxes[4 * i] + 2;
        boxes[4 * i + 3] = boxes[4 * i + 1] + 2;
    }
    memset(&J, 0, sizeof J);
    t_oom("index: rb_rtree_build", call_rtree, NULL, &J, MAXK);
    /* every box found by a query of its own centre point, as by brute force */
    int bad = 0;
    for (int i = 0; i < 300; i++) {
        double q[4] = { boxes[4 * i] + 1, boxes[4 * i + 1] + 1, boxes[4 * i] + 1, boxes[4 * i + 1] + 1 };
        size_t nh = 0, brute = 0;
        rb_rtree_search(J.tree, q, count_hit, &nh);
        for (int k = 0; k < 300; k++)
            brute += boxes[4 * k] <= q[0] && boxes[4 * k + 2] >= q[0] && boxes[4 * k + 1] <= q[1] &&
                     boxes[4 * k + 3] >= q[1];
        bad += nh != brute;
    }
    CHECK_INT(bad, 0);
    rb_rtree_free(J.tree);
    t_oom("index: rb_polyindex_build", call_polyindex, NULL, &J, MAXK);
    CHECK_INT(rb_polyindex_find(&J.pix, 5, 5), 0);
    CHECK_INT(rb_polyindex_find(&J.pix, 25, 5), 1);
    CHECK_INT(rb_polyindex_find(&J.pix, 5, 25), 2);
    CHECK_INT(rb_polyindex_find(&J.pix, 15, 5), -1);
    rb_polyindex_free(&J.pix);
    t_oom("match: rb_netindex_build", call_netindex, NULL, &J, MAXK);
    CHECK_INT(J.ix.nitems, W.ix.nitems);
    rb_netindex_free(&J.ix);
}

static int call_match(void *ud)
{
    struct job *j = ud;
    return rb_match_points(&W.net, &W.ix, &W.mopt, &W.crash[0].x, &W.crash[0].y, &W.crash[0].xy_status, sizeof(struct rb_crash),
                           NCR, j->m, NULL, &j->err);
}

TEST(match)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("match: rb_match_points", call_match, NULL, &J, MAXK);
    int same = 1, matched = 0;
    for (int i = 0; i < NCR; i++) {
        same &= J.m[i].seg == W.m[i].seg && same_d(&J.m[i].offset_m, &W.m[i].offset_m, 1) &&
                same_d(&J.m[i].measure_m, &W.m[i].measure_m, 1) && J.m[i].reason == W.m[i].reason &&
                J.m[i].junction == W.m[i].junction && J.m[i].ambiguous == W.m[i].ambiguous;
        matched += W.m[i].seg >= 0;
    }
    CHECK(same);
    CHECK_INT(matched, NCR - 2);     /* all but the one far away and the one without coordinates */
}

/* ---- screening -------------------------------------------------------------------- */

static int call_segstats(void *ud)
{
    struct job *j = ud;
    return rb_segstats_compute(&W.net, W.fact, NCR, &W.period, W.w, &j->st, &j->err);
}

/* the windows from scratch: made, counted, measured and ranked */
static int call_windows(void *ud)
{
    struct job *j = ud;
    int rc = rb_sites_windows(&W.r, &W.net, &W.sopt, &j->s, &j->err);
    if (!rc)
        rc = rb_sites_count(&j->s, W.rc, NCR, &W.sopt, RB_BY_CHAINAGE, &j->err);
    if (!rc)
        rc = rb_sites_measures(&j->s, &W.sopt, "epdo_per_yr", &j->err);
    if (rc)
        rb_sites_free(&j->s);     /* the caller's: made by the first call */
    return rc;
}

static int call_segments(void *ud)
{
    struct job *j = ud;
    int rc = rb_sites_segments(&W.r, &W.net, &j->s, &j->err);
    if (!rc)
        rc = rb_sites_count(&j->s, W.rc, NCR, &W.sopt, RB_BY_SEGMENT, &j->err);
    if (!rc)
        rc = rb_sites_measures(&j->s, &W.sopt, "epdo_per_yr", &j->err);
    if (rc)
        rb_sites_free(&j->s);
    return rc;
}

static int call_sections(void *ud)
{
    struct job *j = ud;
    int rc = rb_sections_build(&W.r, &W.net, W.f.keys, NULL, 0, &j->sec, &j->err);
    if (!rc)
        rc = rb_sites_count(&j->sec.s, W.rc, NCR, &W.sopt, RB_BY_CHAINAGE, &j->err);
    if (!rc)
        rc = rb_sites_measures(&j->sec.s, &W.sopt, "epdo_per_yr", &j->err);
    if (rc)
        rb_sections_free(&j->sec);
    return rc;
}

static int call_sort(void *ud)
{
    struct job *j = ud;
    return rb_route_crash_sort(W.rc, NCR, &j->sorted, &j->err);
}

TEST(screen_sites_and_windows)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("screen: rb_segstats_compute", call_segstats, NULL, &J, MAXK);
    CHECK(same_u32(J.st.n_obs, W.st.n_obs, W.net.nsegs) && same_d(J.st.epdo, W.st.epdo, W.net.nsegs) &&
          same_u32(J.st.n_year, W.st.n_year, W.net.nsegs * 3));
    CHECK_INT(J.st.counted, W.st.counted);
    rb_segstats_free(&J.st);
    t_oom("screen: rb_sites_segments + count + measures", call_segments, NULL, &J, MAXK);
    CHECK(same_sites(&J.s, &W.segs));
    rb_sites_free(&J.s);
    t_oom("screen: rb_sites_windows + count + measures", call_windows, NULL, &J, MAXK);
    CHECK(same_sites(&J.s, &W.win));
    CHECK(W.win.n > 20);
    rb_sites_free(&J.s);
    t_oom("screen: rb_sections_build + count + measures", call_sections, NULL, &J, MAXK);
    CHECK(same_sites(&J.sec.s, &W.sec.s));
    CHECK_INT(W.sec.s.n, 2);        /* A and B, each one run of equal keys */
    rb_sections_free(&J.sec);
    t_oom("screen: rb_route_crash_sort", call_sort, NULL, &J, MAXK);
    int sorted = 1;
    for (int i = 1; i < NCR; i++)
        sorted &= J.sorted[i - 1].route < J.sorted[i].route ||
                  (J.sorted[i - 1].route == J.sorted[i].route && !(J.sorted[i - 1].chainage_m > J.sorted[i].chainage_m));
    CHECK(sorted);
    rb_free(J.sorted);
}

static int call_ccs(void *ud)
{
    struct job *j = ud;
    return rb_crash_concentration(&W.r, W.rc, NCR, &W.ccs, &j->h, &j->err);
}

static int call_top(void *ud)
{
    struct job *j = ud;
    struct rb_hotspots h = { 0 };
    int rc = rb_hotspots_top(&h, RB_HS_SLIDING, 5, W.win.n, W.win.route, W.win.from_m, W.win.to_m, W.win.epdo_per_yr,
                             W.win.n_obs, &j->err);
    if (rc)
        rb_hotspots_free(&h);   /* the caller's: rb_hotspots_top appends */
    else
        j->h = h;
    return rc;
}

static int call_peaks(void *ud)
{
    struct job *j = ud;
    return rb_peak_search(&W.segs, W.rc, NCR, &W.sopt, "epdo_per_yr", 0.25, &j->pk, &j->err);
}

static int call_crp(void *ud)
{
    struct job *j = ud;
    struct rb_crp_opt copt = { 100, 300, 2 };
    return rb_crp(&W.r, &W.net, W.rc, NCR, &W.sopt, &copt, &j->crp, &j->err);
}

TEST(screen_hotspots)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("hotspots: rb_crash_concentration", call_ccs, NULL, &J, MAXK);
    /* one: the run-off-road cluster, 1,400-1,587.5 m along A (16 qualifying in
     * 2020), merged with the four junction crashes on A at 992 and 1,008 m,
     * within 1,000 m of it and five injury crashes within a year of each other */
    CHECK_INT(J.h.n, 1);
    CHECK(J.h.n == 1 && J.h.rule[0] == RB_HS_CCS && J.h.from_m[0] == 992 && J.h.to_m[0] == 1587.5 &&
          J.h.n_crashes[0] == 20 && J.h.n_qualifying[0] == 16);
    struct rb_hotspots ccs_only = W.hot;   /* the world's list: its crash concentration sites first */
    ccs_only.n = J.h.n;
    CHECK(same_hotspots(&J.h, &ccs_only));
    size_t nccs = J.h.n;
    rb_hotspots_free(&J.h);
    t_oom("hotspots: rb_hotspots_top", call_top, NULL, &J, MAXK);
    CHECK(J.h.n > 0 && J.h.n <= 5);
    struct rb_hotspots tops = W.hot;   /* then the sliding windows' top */
    tops.n = J.h.n;
    tops.rule += nccs; tops.route += nccs; tops.from_m += nccs; tops.to_m += nccs; tops.value += nccs;
    tops.n_crashes += nccs; tops.n_qualifying += nccs;
    CHECK(W.hot.n == J.h.n + nccs && same_hotspots(&J.h, &tops));
    rb_hotspots_free(&J.h);
    t_oom("screen: rb_peak_search", call_peaks, NULL, &J, MAXK);
    struct rb_peaks ref = { 0 };
    struct rb_err err;
    CHECK_INT(rb_peak_search(&W.segs, W.rc, NCR, &W.sopt, "epdo_per_yr", 0.25, &ref, &err), RB_OK);
    CHECK(same_d(J.pk.value, ref.value, ref.n) && same_d(J.pk.from_m, ref.from_m, ref.n) &&
          same_u32(J.pk.window_m, ref.window_m, ref.n));
    CHECK(ref.value[1] == ref.value[1]);   /* A's middle segment, with the cluster, has a peak */
    rb_peaks_free(&ref);
    rb_peaks_free(&J.pk);
    t_oom("screen: rb_crp", call_crp, NULL, &J, MAXK);
    struct rb_crp cref = { 0 };
    struct rb_crp_opt copt = { 100, 300, 2 };
    CHECK_INT(rb_crp(&W.r, &W.net, W.rc, NCR, &W.sopt, &copt, &cref, &err), RB_OK);
    CHECK_INT(J.crp.nruns, cref.nruns);
    CHECK(cref.nruns > 0 && same_d(J.crp.run_from_m, cref.run_from_m, cref.nruns) &&
          same_d(J.crp.run_excess_per_yr, cref.run_excess_per_yr, cref.nruns) &&
          same_d(J.crp.profile_per_km_yr, cref.profile_per_km_yr, cref.bins.n));
    rb_crp_free(&cref);
    rb_crp_free(&J.crp);
}

static int call_junctions(void *ud)
{
    struct job *j = ud;
    return rb_junctions_from_net(&W.net, &W.r, 0, &j->J, &j->err);
}

static int call_assign(void *ud)
{
    struct job *j = ud;
    return rb_junctions_assign(&W.J, W.cx, W.cy, W.usable, NCR, 76.2, j->cj, &j->err);
}

static int call_points(void *ud)
{
    struct job *j = ud;
    int rc = rb_sites_points(W.J.n, W.J.entering, &j->s, &j->err);
    if (!rc)
        rc = rb_sites_count(&j->s, W.jrc, NCR, &W.sopt, RB_BY_SEGMENT, &j->err);
    if (!rc)
        rc = rb_sites_measures(&j->s, &W.sopt, "epdo_per_yr", &j->err);
    if (rc)
        rb_sites_free(&j->s);
    return rc;
}

TEST(screen_junctions)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("junctions: rb_junctions_from_net", call_junctions, NULL, &J, MAXK);
    CHECK_INT(J.J.n, 1);
    CHECK(J.J.n == 1 && J.J.n_legs[0] == 4 && J.J.x[0] == 1000 && J.J.y[0] == 0);
    CHECK(same_d(J.J.entering, W.J.entering, W.J.n));
    rb_junctions_free(&J.J);
    t_oom("junctions: rb_junctions_assign", call_assign, NULL, &J, MAXK);
    CHECK(!memcmp(J.cj, W.cj, sizeof J.cj));
    int at = 0;
    for (int i = 0; i < NCR; i++)
        at += W.cj[i] == 0;
    CHECK(at >= 6);                 /* the six at the junction, and those of B's within 76.2 m */
    t_oom("junctions: rb_sites_points + count + measures", call_points, NULL, &J, MAXK);
    CHECK(same_sites(&J.s, &W.jsites));
    rb_sites_free(&J.s);
}

/* y ~ NB2 (k = 1) with mean exp(-1 + 0.5 ln aadt_k) over 80 sites, drawn from a fixed seed */
static double nb_X[80 * 2], nb_y[80], nb_off[80];

static int call_nb2(void *ud)
{
    struct job *j = ud;
    return rb_nb2_fit(nb_X, nb_y, nb_off, 80, 2, &j->fit, &j->err);
}

TEST(screen_nb2)
{
    uint64_t seed = 5;
    for (int i = 0; i < 80; i++) {
        double aadt_k = 1 + 9 * rb_rand01(&seed), mu = exp(-1 + 0.5 * log(aadt_k));
        /* a Poisson draw by inversion, its mean mixed by an exponential (gamma, k = 1) */
        double m = mu * -log(1 - rb_rand01(&seed)), u = rb_rand01(&seed), p = exp(-m), cdf = p;
        int k = 0;
        while (u > cdf && k < 100) {
            p *= m / ++k;
            cdf += p;
        }
        nb_X[2 * i] = 1;
        nb_X[2 * i + 1] = log(aadt_k);
        nb_y[i] = k;
        nb_off[i] = 0;
    }
    struct rb_nb2_fit ref = { 0 };
    struct rb_err err;
    CHECK_INT(rb_nb2_fit(nb_X, nb_y, nb_off, 80, 2, &ref, &err), RB_OK);
    memset(&J, 0, sizeof J);
    t_oom("screen: rb_nb2_fit", call_nb2, NULL, &J, MAXK);
    CHECK(same_d(J.fit.beta, ref.beta, 2) && same_d(J.fit.se, ref.se, 2) && J.fit.k == ref.k &&
          J.fit.loglik == ref.loglik && same_d(J.fit.mu, ref.mu, 80));
    rb_nb2_free(&J.fit);
    rb_nb2_free(&ref);
}

/* ---- the plan ------------------------------------------------------------------------ */

static int call_plan_sites(void *ud)
{
    struct job *j = ud;
    return rb_plan_sites(&W.pin, &j->sites, &j->nsites, &j->pcr, &j->ref, &j->nref, &j->err);
}

static int call_ref_counts(void *ud)
{
    struct job *j = ud;
    return rb_plan_ref_counts(&W.cat, W.ref, W.nref, 1, &j->refc, &j->err);
}

/* diagnosis and appraisal of every site's alternatives, into a plan of the caller's */
static int call_alternatives(void *ud)
{
    struct job *j = ud;
    int rc = RB_OK;
    for (size_t s = 0; s < W.nsites && !rc; s++)
        rc = rb_plan_site_alternatives(&W.cat, &W.sites[s], s, W.pcr, &W.refc, &W.popt, &j->plan, &j->err);
    return rc;
}

static void undo_plan(void *ud)
{
    rb_plan_free(&((struct job *)ud)->plan);
}

/* a copy of the world's plan, ranked and chosen again */
static int call_rank_and_choose(void *ud)
{
    struct job *j = ud;
    j->plan = W.plan;
    j->plan.alt = rb_mallocarray(W.plan.cap, sizeof *j->plan.alt);
    if (!j->plan.alt)
        return RB_ENOMEM;
    memcpy(j->plan.alt, W.plan.alt, W.plan.n * sizeof *j->plan.alt);
    for (size_t i = 0; i < j->plan.n; i++)
        j->plan.alt[i].rank = j->plan.alt[i].ibc_rank = j->plan.alt[i].ibc_site_rank = j->plan.alt[i].selected = 0;
    int rc = rb_plan_rank(&j->plan, RB_RANK_NPV, &j->err);
    if (!rc)
        rc = rb_plan_rank_incremental(&j->plan, W.nsites, &j->err);
    if (!rc)
        rc = rb_plan_choose(&j->plan, W.nsites, 2000000, RB_OBJ_NPV, &j->err);
    if (rc)
        rb_plan_free(&j->plan);
    return rc;
}

static int same_alts(const struct rb_plan *a, const struct rb_plan *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct rb_plan_alt *x = &a->alt[i], *y = &b->alt[i];
        if (x->site != y->site || x->cms != y->cms || x->a.npv != y->a.npv || x->a.bcr != y->a.bcr ||
            x->diag.p_value != y->diag.p_value || x->rank != y->rank || x->ibc_rank != y->ibc_rank ||
            x->ibc_site_rank != y->ibc_site_rank || x->selected != y->selected)
            return 0;
    }
    return 1;
}

TEST(plan_sites_diagnosis_and_appraisal)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("plan: rb_plan_sites", call_plan_sites, NULL, &J, MAXK);
    CHECK_INT(J.nsites, W.nsites);
    CHECK(W.nsites >= 2);           /* the cluster's stretch and the junction */
    int same = J.nsites == W.nsites && J.nref == W.nref;
    for (size_t s = 0; same && s < W.nsites; s++)
        same = J.sites[s].route == W.sites[s].route && J.sites[s].from_m == W.sites[s].from_m &&
               J.sites[s].to_m == W.sites[s].to_m && J.sites[s].nc == W.sites[s].nc &&
               J.sites[s].expected_per_yr == W.sites[s].expected_per_yr && J.sites[s].junction == W.sites[s].junction;
    CHECK(same);
    rb_free(J.sites);
    rb_free(J.pcr);
    rb_free(J.ref);
    t_oom("plan/diag: rb_plan_ref_counts", call_ref_counts, NULL, &J, MAXK);
    CHECK(!memcmp(J.refc.x, W.refc.x, RB_CM_MAX * sizeof *J.refc.x) && J.refc.n[0] == W.refc.n[0]);
    rb_plan_ref_free(&J.refc);
    /* diagnosis, conditions, layout quantities and appraisal of every site */
    t_oom("plan/diag+econ+layout: rb_plan_site_alternatives", call_alternatives, undo_plan, &J, MAXK);
    CHECK(W.plan.n >= 3);
    struct rb_plan fresh = W.plan;  /* before ranking and choice: compare what the appraisal made */
    int ok = J.plan.n == W.plan.n;
    for (size_t i = 0; ok && i < W.plan.n; i++)
        ok = J.plan.alt[i].site == fresh.alt[i].site && J.plan.alt[i].cms == fresh.alt[i].cms &&
             J.plan.alt[i].a.npv == fresh.alt[i].a.npv && J.plan.alt[i].a.pv_cost == fresh.alt[i].a.pv_cost &&
             J.plan.alt[i].diag.p_value == fresh.alt[i].diag.p_value;
    CHECK(ok);
    rb_plan_free(&J.plan);
    t_oom("plan: rb_plan_rank + rank_incremental + choose", call_rank_and_choose, NULL, &J, MAXK);
    CHECK(same_alts(&J.plan, &W.plan));
    CHECK(J.plan.exact.value == W.plan.exact.value && J.plan.greedy.value == W.plan.greedy.value);
    rb_plan_free(&J.plan);
}

/* a knapsack of 12 sites with 1 to 4 alternatives each */
static size_t kp_first[13];
static double kp_cost[40], kp_value[40];
static const double kp_budgets[3] = { 3000, 2000, 2500 };

static int call_mckp(void *ud)
{
    struct job *j = ud;
    struct rb_mckp p = { 12, kp_first, kp_cost, kp_value };
    return rb_mckp_solve(&p, 5000, j->choice, &j->res, &j->err);
}

static int call_greedy(void *ud)
{
    struct job *j = ud;
    struct rb_mckp p = { 12, kp_first, kp_cost, kp_value };
    return rb_mckp_greedy(&p, 5000, j->choice, &j->res, &j->err);
}

static int call_years(void *ud)
{
    struct job *j = ud;
    struct rb_mckp p = { 12, kp_first, kp_cost, kp_value };
    return rb_mckp_solve_years(&p, kp_budgets, 3, 0.04, 1, j->choice, j->year, &j->res, &j->greedy, &j->err);
}

static int call_incremental(void *ud)
{
    struct job *j = ud;
    return rb_incremental_rank(kp_value, kp_cost, 40, j->rank);
}

TEST(plan_optimise)
{
    uint64_t seed = 3;
    size_t n = 0;
    for (size_t g = 0; g < 12; g++) {
        kp_first[g] = n;
        size_t k = 1 + (size_t)(4 * rb_rand01(&seed));
        for (size_t i = 0; i < k && n < 40; i++, n++) {
            kp_cost[n] = floor(200 + 1800 * rb_rand01(&seed));
            kp_value[n] = floor(kp_cost[n] * (0.5 + 2 * rb_rand01(&seed)));
        }
    }
    kp_first[12] = n;
    struct rb_mckp p = { 12, kp_first, kp_cost, kp_value };
    long ref_choice[12];
    int ref_year[12];
    struct rb_mckp_result ref, refg;
    struct rb_err err;
    memset(&J, 0, sizeof J);
    CHECK_INT(rb_mckp_solve(&p, 5000, ref_choice, &ref, &err), RB_OK);
    t_oom("plan/optimise: rb_mckp_solve", call_mckp, NULL, &J, MAXK);
    CHECK(!memcmp(J.choice, ref_choice, sizeof ref_choice) && J.res.value == ref.value && J.res.cost == ref.cost);
    CHECK(ref.value > 0 && ref.cost <= 5000);
    CHECK_INT(rb_mckp_greedy(&p, 5000, ref_choice, &ref, &err), RB_OK);
    t_oom("plan/optimise: rb_mckp_greedy", call_greedy, NULL, &J, MAXK);
    CHECK(!memcmp(J.choice, ref_choice, sizeof ref_choice) && J.res.value == ref.value);
    CHECK_INT(rb_mckp_solve_years(&p, kp_budgets, 3, 0.04, 1, ref_choice, ref_year, &ref, &refg, &err), RB_OK);
    t_oom("plan/optimise: rb_mckp_solve_years", call_years, NULL, &J, MAXK);
    CHECK(!memcmp(J.choice, ref_choice, sizeof ref_choice) && !memcmp(J.year, ref_year, sizeof ref_year) &&
          J.res.value == ref.value && J.greedy.value == refg.value);
    int ref_rank[40];
    CHECK_INT(rb_incremental_rank(kp_value, kp_cost, n, ref_rank), RB_OK);
    t_oom("plan/econ: rb_incremental_rank", call_incremental, NULL, &J, MAXK);
    CHECK(!memcmp(J.rank, ref_rank, n * sizeof *ref_rank));
}

static int call_gaps(void *ud)
{
    struct job *j = ud;
    return rb_layout_gaps(&W.net, &W.r, NULL, NULL, NULL, NULL, &j->gap, &j->ngap, &j->err);
}

/* one strip countermeasure laid at the cluster's site, into works of the caller's */
static size_t strip_k;

static int call_layout(void *ud)
{
    struct job *j = ud;
    return rb_layout(&W.ctx, &W.cat.cm[strip_k], strip_k, &W.sites[0], 0, &j->works, &j->qty, &j->cover, &j->err);
}

static void undo_works(void *ud)
{
    rb_works_free(&((struct job *)ud)->works);
}

static int call_works(void *ud)
{
    struct job *j = ud;
    return rb_plan_works(&W.plan, &W.cat, W.sites, &W.ctx, &j->works, &j->err);
}

static int same_works(const struct rb_works *a, const struct rb_works *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct rb_work *x = &a->w[i], *y = &b->w[i];
        if (x->alt != y->alt || x->cm != y->cm || x->from_m != y->from_m || x->to_m != y->to_m ||
            x->units != y->units || x->role != y->role || x->side != y->side || x->dir != y->dir)
            return 0;
    }
    return 1;
}

TEST(plan_layout)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    t_oom("plan/layout: rb_layout_gaps", call_gaps, NULL, &J, MAXK);
    CHECK_INT(J.ngap, W.ngap);
    int same = J.ngap == W.ngap;
    for (size_t i = 0; same && i < W.ngap; i++)
        same = J.gap[i].route == W.gap[i].route && J.gap[i].why == W.gap[i].why &&
               J.gap[i].from_m == W.gap[i].from_m && J.gap[i].to_m == W.gap[i].to_m;
    CHECK(same);
    rb_free(J.gap);
    strip_k = (size_t)rb_catalogue_find(&W.cat, "shoulder_rumble_strips");
    CHECK(W.cat.cm[strip_k].layout == RB_LAYOUT_STRIP);
    struct rb_works ref = { 0 };
    double q, c;
    struct rb_err err;
    CHECK_INT(rb_layout(&W.ctx, &W.cat.cm[strip_k], strip_k, &W.sites[0], 0, &ref, &q, &c, &err), RB_OK);
    t_oom("plan/layout: rb_layout (a strip)", call_layout, undo_works, &J, MAXK);
    CHECK(same_works(&J.works, &ref) && J.qty == q && J.cover == c);
    CHECK(q > 0 && ref.n > 0);
    rb_works_free(&ref);
    rb_works_free(&J.works);
    t_oom("plan/layout: rb_plan_works", call_works, undo_works, &J, MAXK);
    CHECK(same_works(&J.works, &W.works));
    CHECK(W.works.n > 0);
    rb_works_free(&J.works);
}

/* ---- the JSON readers of plan and screen ------------------------------------------------ */

static struct rb_catalogue rd_cat;
static struct rb_placement rd_pl;
static struct rb_spf rd_spf;

static int call_catalogue(void *ud)
{
    struct job *j = ud;
    return rb_catalogue_read(data_dir(), NULL, &rd_cat, &j->err) || rb_catalogue_price(&rd_cat, NULL, &j->err);
}

static int call_placement(void *ud)
{
    struct job *j = ud;
    return rb_placement_read(data_dir(), NULL, &rd_pl, &j->err);
}

static int call_spf(void *ud)
{
    struct job *j = ud;
    char path[4096];
    snprintf(path, sizeof path, "%s/spf/hsm_rural_2lane.json", data_dir());
    return rb_spf_read(path, &rd_spf, &j->err);
}

/* The readers' own allocation (the file's text, in io) fails cleanly. cJSON's
 * are left to the system here: io reads a parse that ran out of memory as
 * invalid JSON (cJSON cannot tell the two apart). */
TEST(plan_and_screen_readers)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    cJSON_InitHooks(NULL);
    t_oom("plan/catalogue: rb_catalogue_read and _price", call_catalogue, NULL, &J, MAXK);
    CHECK(!memcmp(&rd_cat, &W.cat, sizeof rd_cat));
    t_oom("plan/placement: rb_placement_read", call_placement, NULL, &J, MAXK);
    CHECK(!memcmp(&rd_pl, &W.pl, sizeof rd_pl));
    t_oom("screen/spf: rb_spf_read", call_spf, NULL, &J, MAXK);
    CHECK_STR(rd_spf.id, "hsm_rural_2lane");
    CHECK(rd_spf.nterms >= 2);
    cJSON_Hooks hooks = { hook_malloc, rb_free };
    cJSON_InitHooks(&hooks);
}

/* ---- the report --------------------------------------------------------------------------- */

static int which_layer;

static int call_layer(void *ud)
{
    struct job *j = ud;
    const struct rb_match_run *run = &W.run;
    switch (which_layer) {
    case L_CRASHES: return rb_report_crashes(run, &j->o, &j->err);
    case L_SEGMENTS: return rb_report_segments(run, &j->o, &j->err);
    case L_WINDOWS: return rb_report_windows(run, &j->o, &j->err);
    case L_SECTIONS: return rb_report_sections(run, &j->o, &j->err);
    case L_HOTSPOTS: return rb_report_hotspots(run, &j->o, &j->err);
    case L_INTERSECTIONS: return rb_report_intersections(run, &j->o, &j->err);
    case L_PLAN: return rb_report_plan(run, &W.cat, W.sites, &W.plan, W.cat.currency, &j->o, &j->err);
    case L_WLINES: return rb_report_work_lines(run, W.order, &j->o, &j->err);
    case L_WPOINTS: return rb_report_work_points(run, W.order, &j->o, &j->err);
    default: return rb_report_work_list(run, W.order, &j->o, &j->err);
    }
}

static int call_work_order(void *ud)
{
    struct job *j = ud;
    return rb_report_work_order(&W.rworks, &W.r, &W.cat, &j->order, &j->err);
}

TEST(report_layers)
{
    if (!world_ok)
        return;
    static const char *const what[NL] = {
        "report/layers: rb_report_crashes", "report/layers: rb_report_segments", "report/layers: rb_report_windows",
        "report/layers: rb_report_sections", "report/layers: rb_report_hotspots",
        "report/layers: rb_report_intersections", "report/layers: rb_report_plan",
        "report/layers: rb_report_work_lines", "report/layers: rb_report_work_points",
        "report/layers: rb_report_work_list"
    };
    memset(&J, 0, sizeof J);
    for (which_layer = 0; which_layer < NL; which_layer++) {
        t_oom(what[which_layer], call_layer, NULL, &J, MAXK);
        CHECK(same_layer(&J.o.layer, &W.L[which_layer].layer));
        CHECK(W.L[which_layer].layer.nrows > 0);
        rb_out_layer_free(&J.o);
    }
    t_oom("report/layers: rb_report_work_order", call_work_order, NULL, &J, MAXK);
    CHECK(!memcmp(J.order, W.order, W.rworks.n * sizeof *W.order));
    rb_free(J.order);
}

static int call_summary(void *ud)
{
    struct job *j = ud;
    static const char *const outs[] = { "out.gpkg", "out.summary.json" };
    j->text = rb_report_summary(&W.run, outs, 2, NULL, NULL, 0);
    return j->text ? RB_OK : RB_ENOMEM;
}

static int call_html(void *ud)
{
    struct job *j = ud;
    struct rb_report_src src = html_src(&W);
    return rb_report_html(&src, &j->text, &j->err);
}

static struct rb_layer *style_layers[NL];

static int call_styles(void *ud)
{
    struct job *j = ud;
    return rb_report_styles(style_layers, NL, &W.cat, &j->styles, &j->err);
}

TEST(report_summary_html_styles)
{
    if (!world_ok)
        return;
    memset(&J, 0, sizeof J);
    /* the summary is cJSON: its allocations go through the hook too (set in main) */
    t_oom("report/summary: rb_report_summary", call_summary, NULL, &J, MAXK);
    CHECK_STR(J.text, W.summary);
    CHECK(strstr(W.summary, "\"crash_concentration_sites\":\t1") != NULL);
    rb_free(J.text);
    t_oom("report/html: rb_report_html", call_html, NULL, &J, MAXK);
    CHECK_STR(J.text, W.html);
    CHECK(strstr(W.html, "id=\"site-") != NULL);     /* a card for a site */
    rb_free(J.text);
    /* styles on the world's layers; they then point into the new styles, freed last */
    for (int k = 0; k < NL; k++)
        style_layers[k] = &W.L[k].layer;
    t_oom("report/styles: rb_report_styles", call_styles, NULL, &J, MAXK);
    int same = J.styles.nqml == W.styles.nqml && J.styles.ndom == W.styles.ndom;
    for (size_t k = 0; same && k < W.styles.nqml; k++)
        same = (!J.styles.qml[k] && !W.styles.qml[k]) ||
               (J.styles.qml[k] && W.styles.qml[k] && !strcmp(J.styles.qml[k], W.styles.qml[k]));
    for (size_t d = 0; same && d < W.styles.ndom; d++) {
        const struct rb_domain_def *x = &J.styles.dom[d], *y = &W.styles.dom[d];
        same = !strcmp(x->name, y->name) && x->n == y->n;
        for (size_t i = 0; same && i < x->n; i++)
            same = !strcmp(x->codes[i], y->codes[i]) && !strcmp(x->labels[i], y->labels[i]);
    }
    CHECK(same);
    CHECK(W.styles.nqml >= NL - 1 && W.styles.ndom >= 3);
    for (int k = 0; k < NL; k++) {    /* nothing may point into what is freed now */
        W.L[k].layer.qml = NULL;
        for (size_t c = 0; c < W.L[k].layer.ncols; c++)
            W.L[k].layer.cols[c].domain = NULL;
    }
    rb_styles_free(&J.styles);
}


TEST(world_builds)
{
    /* cJSON's allocations (the summary's) through the library's hook */
    cJSON_Hooks hooks = { hook_malloc, rb_free };
    cJSON_InitHooks(&hooks);
    world_ok = world_build(&W) == RB_OK;
    CHECK(world_ok);
}

TEST(world_frees)
{
    world_free(&W);     /* the sanitizer build's leak check covers the world too */
}

RUN_TESTS(T(world_builds), T(net_and_routes), T(index), T(match), T(screen_sites_and_windows), T(screen_hotspots),
          T(screen_junctions), T(screen_nb2), T(plan_sites_diagnosis_and_appraisal), T(plan_optimise),
          T(plan_layout), T(plan_and_screen_readers), T(report_layers), T(report_summary_html_styles), T(world_frees))
