/* rumble plan: plans from a saved screening — the segments, crashes and
 * hotspots layers of a `rumble screen` (or `rumble run`) GeoPackage, as the
 * analyst left them: hotspots deleted, added or redrawn in QGIS are planned as
 * they stand. Without --screen it runs the whole job, as `rumble run` does. */
#include "cli/cli.h"
#include "cli/plan_stage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P_SCREEN = 1, P_HOT, P_OUT, P_QUIET, P_HELP, P_ROADS };

static const struct rb_opt plan_own_opts[] = {
    { "config", 'c', "FILE", NULL, 0, "JSON project config (the screening's: its road field names apply)" },
    { "screen", 0, "FILE", NULL, P_SCREEN, "a rumble screen or run GeoPackage (segments, crashes, hotspots)" },
    { "hotspots-layer", 0, "NAME", NULL, P_HOT, "the layer of stretches to plan (default hotspots)" },
    { "roads", 0, "FILE", NULL, P_ROADS, "without --screen: screen these roads first (all of rumble run's options)" },
    { "speed-field", 0, "FIELD", "roads.speed_limit", 0, "speed limit field" },
    { "lanes-field", 0, "FIELD", "roads.lanes", 0, "number of lanes field" },
    { "area-field", 0, "FIELD", "roads.area", 0, "urban/rural field" },
    { "shoulder-field", 0, "FIELD", "roads.shoulder_m", 0, "paved shoulder width field (m)" },
    { "bridge-field", 0, "FIELD", "roads.bridge", 0, "bridge flag field (yes/no)" },
    { "divided-field", 0, "FIELD", "roads.divided", 0, "divided carriageway flag field (yes/no)" },
    { "settlements", 0, "FILE", "settlements.path", 0, "settlement polygons: strips keep away from them" },
    { "data-dir", 0, "DIR", "data_dir", 0, "where the data files are" },
    { "output", 'o', "FILE", NULL, P_OUT, "output GeoPackage: plan, work_lines, work_points" },
    { "quiet", 'q', NULL, NULL, P_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, P_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char plan_examples[] =
    "  rumble screen --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "                --crashes build/demo/crashes.csv -o screen.gpkg\n"
    "  rumble plan --config data/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg\n";

struct plan_args {
    struct rb_cli cli;
    const char *screen, *hot, *out;
    int help, roads;
};

static int on_plan_opt(int id, const char *v, void *ud)
{
    struct plan_args *a = ud;
    switch (id) {
    case P_SCREEN: a->screen = v; break;
    case P_HOT: a->hot = v; break;
    case P_OUT: a->out = v; break;
    case P_QUIET: a->cli.quiet = 1; break;
    case P_HELP: a->help = 1; break;
    case P_ROADS: a->roads = 1; break;
    }
    return RB_EXIT_OK;
}

/* a column the screening wrote, or an error naming the layer */
static long need_col(const struct rb_table *t, const char *name, const char *path, const char *layer,
                     struct rb_err *err)
{
    long c = rb_table_find(t, name);
    if (c < 0)
        rb_err_set(err, RB_EINVAL, "%s: layer '%s' has no field '%s': is it a rumble screen output?", path, layer,
                   name);
    return c;
}

static int code_or(int code, int unknown)
{
    return code >= 0 ? code : unknown;
}

int cmd_plan(int argc, char **argv)
{
    struct plan_args a = { .cli = { .cmd = "plan", .gdal = 1 }, .hot = "hotspots" };
    struct rb_config cfg;
    struct rb_err err = { 0 };
    struct rb_log log = { 0 };
    struct rb_vocab vocab = { 0 };
    struct rb_costs costs;
    struct rb_roads roads = { 0 };
    struct rb_net net = { 0 };
    struct rb_routes routes = { 0 };
    struct rb_sites seg = { 0 };
    struct rb_hotspots hot = { 0 };
    struct rb_table ct = { 0 }, ht = { 0 }, it = { 0 };
    struct rb_junctions juncs = { 0 };
    struct rb_sites isites = { 0 };
    struct rb_err ierr = { 0 };
    int have_juncs = 0;
    uint32_t *jrank = NULL, *jobs = NULL;
    double *jfreq = NULL, *jaadt = NULL;
    char **jid = NULL;
    int64_t *cjunc = NULL;
    struct rb_id_ix *junc_ix = NULL;
    struct plan_stage ps;
    struct plan_out po = { 0 };
    struct rb_polys polys;
    struct rb_polyindex pix;
    int have_polys = 0, have_pix = 0;
    struct rb_out *out = NULL, *work_csv = NULL;
    struct rb_styles styles = { 0 };
    const char **ids = NULL;
    char (*idbuf)[128] = NULL;
    char **keys = NULL, (*keybuf)[128] = NULL, *work_path = NULL, *summary_path = NULL, *summary = NULL;
    uint8_t *urban = NULL, *counted = NULL;
    struct rb_plan_crash *pc = NULL;
    int64_t *pseg = NULL;
    double *chainage = NULL;
    struct rb_id_ix *seg_ix = NULL, *route_ix = NULL;
    int rc;
    memset(&ps, 0, sizeof ps);

    /* without --screen this is rumble run, options and all */
    int has_screen = 0;
    for (int i = 1; i < argc; i++)
        has_screen |= !strcmp(argv[i], "--screen") || !strncmp(argv[i], "--screen=", 9);
    if (!has_screen) {
        for (int i = 1; i < argc; i++)
            if (!strcmp(argv[i], "--roads") || !strncmp(argv[i], "--roads=", 8))
                return cmd_run(argc, argv);
    }

    rb_config_init(&cfg);
    const struct rb_opt *extra = rb_plan_opts;
    rc = rb_cli_parse(&a.cli, argc, argv, plan_own_opts, extra, &cfg, on_plan_opt, &a);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "plan", "--screen SCREEN.gpkg [--budget MONEY] -o PLAN.gpkg", plan_own_opts, extra,
                         plan_examples);
        goto done;
    }
    if (!a.screen || !a.out) {
        rb_cli_error("plan: needs --screen SCREEN.gpkg (or --roads and --crashes) and -o OUT; see 'rumble plan --help'");
        rc = RB_EXIT_USAGE;
        goto done;
    }
    rb_io_init();
    /* the screening's segments are the roads: their ids, routes and AADT as it wrote them */
    const char *forced[][2] = { { "roads.path", a.screen }, { "roads.layer", "segments" },
                                { "roads.id", "segment_id" }, { "roads.route", "route_id" }, { "roads.aadt", "aadt" } };
    for (size_t k = 0; k < sizeof forced / sizeof *forced; k++)
        if (rb_config_set(&cfg, forced[k][0], forced[k][1], &err))
            goto fail;
    rb_free(cfg.roads_crs);
    cfg.roads_crs = NULL;
    rb_free(cfg.road_aadt_year);
    cfg.road_aadt_year = NULL;
    if (rb_vocab_read(cfg.data_dir, &vocab, &err) || rb_costs_read(cfg.data_dir, &costs, &err) ||
        rb_io_read_roads(&cfg, &roads, NULL, &log, &err) ||
        (cfg.output_crs && rb_roads_output_crs(&roads, cfg.output_crs, &err)))
        goto fail;
    keys = calloc(roads.nsegs ? roads.nsegs : 1, sizeof *keys);
    keybuf = malloc((roads.nsegs ? roads.nsegs : 1) * sizeof *keybuf);
    idbuf = malloc((roads.nsegs ? roads.nsegs : 1) * sizeof *idbuf);
    ids = calloc(roads.nsegs ? roads.nsegs : 1, sizeof *ids);
    if (!keys || !keybuf || !idbuf || !ids) {
        rb_err_nomem(&err);
        goto fail;
    }
    for (size_t s = 0; s < roads.nsegs; s++)
        ids[s] = rb_table_text(&roads.attrs, (size_t)roads.col_id, s, idbuf[s], sizeof idbuf[s]);
    struct rb_net_input nin = { roads.nsegs, roads.part0, roads.pt0, roads.xy, ids, NULL, cfg.node_snap_m };
    if (rb_net_build(&nin, &net, &log, a.screen, &err))
        goto fail;
    /* routes from route_id, as the screening chained them */
    urban = calloc(roads.nsegs ? roads.nsegs : 1, 1);
    seg.n = roads.nsegs;
    seg.aadt = rb_malloc((seg.n ? seg.n : 1) * sizeof *seg.aadt);
    seg.freq_per_yr = rb_malloc((seg.n ? seg.n : 1) * sizeof *seg.freq_per_yr);
    seg.eb_per_yr = rb_malloc((seg.n ? seg.n : 1) * sizeof *seg.eb_per_yr);
    if (!urban || !seg.aadt || !seg.freq_per_yr || !seg.eb_per_yr) {
        rb_err_nomem(&err);
        goto fail;
    }
    long c_freq = need_col(&roads.attrs, "freq_per_yr", a.screen, "segments", &err);
    if (c_freq < 0)
        goto fail;
    long c_eb = rb_table_find(&roads.attrs, "eb_per_yr");
    for (size_t s = 0; s < roads.nsegs; s++) {
        keys[s] = (char *)rb_table_text(&roads.attrs, (size_t)roads.col_route, s, keybuf[s], sizeof keybuf[s]);
        seg.aadt[s] = rb_table_number(&roads.attrs, (size_t)roads.col_aadt, s);
        seg.freq_per_yr[s] = rb_table_number(&roads.attrs, (size_t)c_freq, s);
        seg.eb_per_yr[s] = c_eb >= 0 ? rb_table_number(&roads.attrs, (size_t)c_eb, s) : NAN;
        if (roads.col_area >= 0) {
            char b[40];
            urban[s] = (uint8_t)rb_cli_is_urban(&vocab, rb_table_text(&roads.attrs, (size_t)roads.col_area, s, b,
                                                                      sizeof b));
        }
    }
    if (c_eb < 0) {
        rb_free(seg.eb_per_yr);
        seg.eb_per_yr = NULL;
    }
    if (rb_routes_build(&net, (const char *const *)keys, &routes, &err))
        goto fail;
    if (!(seg_ix = rb_cli_id_index((const char *const *)net.ids, net.nsegs)) || !(route_ix = rb_cli_id_index((const char *const *)routes.id, routes.nroutes))) {
        rb_err_nomem(&err);
        goto fail;
    }
    /* the crashes as matched: facts, segment, chainage, whether counted */
    if (rb_io_read_table(a.screen, "crashes", &ct, &log, &err))
        goto fail;
    long cc[7];
    static const char *const cnames[7] = { "severity", "crash_type", "light", "surface", "segment_id", "chainage_m",
                                           "in_study" };
    for (int k = 0; k < 7; k++)
        if ((cc[k] = need_col(&ct, cnames[k], a.screen, "crashes", &err)) < 0)
            goto fail;
    size_t nc = ct.nrows;
    pc = rb_malloc((nc ? nc : 1) * sizeof *pc);
    pseg = rb_malloc((nc ? nc : 1) * sizeof *pseg);
    chainage = rb_malloc((nc ? nc : 1) * sizeof *chainage);
    counted = rb_malloc(nc ? nc : 1);
    if (!pc || !pseg || !chainage || !counted) {
        rb_err_nomem(&err);
        goto fail;
    }
    for (size_t i = 0; i < nc; i++) {
        char b[4][64], sid[128];
        const char *v[4];
        for (int k = 0; k < 4; k++)
            v[k] = rb_table_text(&ct, (size_t)cc[k], i, b[k], sizeof b[k]);
        pc[i] = (struct rb_plan_crash){ (uint8_t)code_or(v[1] ? rb_crash_type_parse(v[1]) : -1, RB_CT_UNKNOWN),
                                        (uint8_t)code_or(v[0] ? rb_severity_parse(v[0]) : -1, RB_SEV_UNKNOWN),
                                        (uint8_t)code_or(v[2] ? rb_light_parse(v[2]) : -1, RB_LIGHT_UNKNOWN),
                                        (uint8_t)code_or(v[3] ? rb_surface_parse(v[3]) : -1, RB_SURF_UNKNOWN), 0 };
        const char *s = rb_table_text(&ct, (size_t)cc[4], i, sid, sizeof sid);
        pseg[i] = s ? rb_cli_id_find(seg_ix, net.nsegs, s) : -1;
        chainage[i] = rb_table_number(&ct, (size_t)cc[5], i);
        double in = rb_table_number(&ct, (size_t)cc[6], i);
        counted[i] = pseg[i] >= 0 && in == in && in != 0;
    }
    /* the stretches to plan */
    if (rb_io_read_table(a.screen, a.hot, &ht, &log, &err))
        goto fail;
    long hc[3];
    static const char *const hnames[3] = { "route_id", "from_m", "to_m" };
    for (int k = 0; k < 3; k++)
        if ((hc[k] = need_col(&ht, hnames[k], a.screen, a.hot, &err)) < 0)
            goto fail;
    hot.route = rb_malloc((ht.nrows ? ht.nrows : 1) * sizeof *hot.route);
    hot.from_m = rb_malloc((ht.nrows ? ht.nrows : 1) * sizeof *hot.from_m);
    hot.to_m = rb_malloc((ht.nrows ? ht.nrows : 1) * sizeof *hot.to_m);
    if (!hot.route || !hot.from_m || !hot.to_m) {
        rb_err_nomem(&err);
        goto fail;
    }
    for (size_t i = 0; i < ht.nrows; i++) {
        char rid[128];
        const char *r = rb_table_text(&ht, (size_t)hc[0], i, rid, sizeof rid);
        long route = r ? rb_cli_id_find(route_ix, routes.nroutes, r) : -1;
        double f = rb_table_number(&ht, (size_t)hc[1], i), t = rb_table_number(&ht, (size_t)hc[2], i);
        if (route < 0 || !(f == f) || !(t == t) || t < f) {
            rb_err_set(&err, RB_EINVAL, "%s: layer '%s', feature %zu: route '%s' from %g to %g is not a stretch of "
                       "a route in the segments layer", a.screen, a.hot, i + 1, r ? r : "", f, t);
            goto fail;
        }
        hot.route[hot.n] = (uint32_t)route;
        hot.from_m[hot.n] = fmax(0, f);
        hot.to_m[hot.n++] = fmin(t, routes.length_m[route]);
    }
    /* intersections the screening ranked (network nodes; a point inventory is not re-read here) */
    if (!cfg.int_path && rb_io_read_table(a.screen, "intersections", &it, &log, &ierr) == RB_OK) {
        long ic[5];
        static const char *const inames[5] = { "intersection_id", "rank", "n_obs", "freq_per_yr", "entering_aadt" };
        int ok = 1;
        for (int k = 0; k < 5 && ok; k++)
            ok = (ic[k] = rb_table_find(&it, inames[k])) >= 0;
        long c_junc = rb_table_find(&ct, "intersection_id");
        if (ok && c_junc >= 0) {
            if (rb_junctions_from_net(&net, &routes, cfg.entering && !strcmp(cfg.entering, "sum"), &juncs, &err))
                goto fail;
            have_juncs = 1;
            size_t nj = juncs.n;
            jrank = rb_calloc(nj ? nj : 1, sizeof *jrank);
            jobs = rb_calloc(nj ? nj : 1, sizeof *jobs);
            jfreq = rb_malloc((nj ? nj : 1) * sizeof *jfreq);
            jaadt = rb_malloc((nj ? nj : 1) * sizeof *jaadt);
            jid = calloc(nj ? nj : 1, sizeof *jid);
            cjunc = rb_malloc((nc ? nc : 1) * sizeof *cjunc);
            if (!jrank || !jobs || !jfreq || !jaadt || !jid || !cjunc) {
                rb_err_nomem(&err);
                goto fail;
            }
            for (size_t j = 0; j < nj; j++) {
                char b[64];
                jfreq[j] = jaadt[j] = NAN;
                if (!(jid[j] = strdup(rb_report_junction_id(&juncs, j, b, sizeof b)))) {
                    rb_err_nomem(&err);
                    goto fail;
                }
            }
            if (!(junc_ix = rb_cli_id_index((const char *const *)jid, nj))) {
                rb_err_nomem(&err);
                goto fail;
            }
            for (size_t r = 0; r < it.nrows; r++) {
                char b[64];
                const char *id = rb_table_text(&it, (size_t)ic[0], r, b, sizeof b);
                long j = id ? rb_cli_id_find(junc_ix, nj, id) : -1;
                if (j < 0)
                    continue;
                double rk = rb_table_number(&it, (size_t)ic[1], r), no = rb_table_number(&it, (size_t)ic[2], r);
                jrank[j] = rk == rk && rk > 0 ? (uint32_t)rk : 0;
                jobs[j] = no == no && no > 0 ? (uint32_t)no : 0;
                jfreq[j] = rb_table_number(&it, (size_t)ic[3], r);
                jaadt[j] = rb_table_number(&it, (size_t)ic[4], r);
            }
            for (size_t i = 0; i < nc; i++) {
                char b[64];
                const char *id = rb_table_text(&ct, (size_t)c_junc, i, b, sizeof b);
                cjunc[i] = id ? rb_cli_id_find(junc_ix, nj, id) : -1;
            }
            isites.n = nj;
            isites.rank = jrank;
            isites.n_obs = jobs;
            isites.freq_per_yr = jfreq;
            isites.aadt = jaadt;
        }
    }
    if (cfg.settle_path) {
        if (rb_io_read_polys(cfg.settle_path, cfg.settle_layer, "settlements", roads.work_srs_wkt, &polys, &err))
            goto fail;
        have_polys = 1;
        if (rb_polyindex_build(polys.npolys, polys.ring0, polys.pt0, polys.xy, &pix)) {
            rb_err_nomem(&err);
            goto fail;
        }
        have_pix = 1;
    }
    struct plan_stage_in pin = { &cfg, &costs, &roads, &net, &routes, &seg, &hot, nc, pc, pseg, chainage, counted,
                                 roads.col_area >= 0 ? urban : NULL, &vocab, have_pix ? &pix : NULL,
                                 have_juncs ? &juncs : NULL, have_juncs ? &isites : NULL, have_juncs ? cjunc : NULL };
    if (plan_stage_run(&ps, &pin, &err))
        goto fail;

    struct rb_match_run run = { .cfg = &cfg, .roads = &roads, .net = &net, .costs = &costs, .log = &log,
                                .junctions = have_juncs ? &juncs : NULL,
                                .routes = &routes, .plan = &ps.plan, .catalogue = &ps.cat, .plan_sites = ps.nsites,
                                .works = &ps.works };
    if (plan_out_build(&po, &ps, &run, &roads, &err))
        goto fail;
    work_path = rb_cli_swap_ext(a.out, "_work.csv");
    summary_path = rb_cli_swap_ext(a.out, ".json");
    if (!work_path || !summary_path) {
        rb_err_nomem(&err);
        goto fail;
    }
    if (rb_out_open(a.out, roads.src_srs_wkt, &out, &err))
        goto fail;
    if (rb_cli_write_layers(out, po.layers, 3, &ps.cat, &styles, NULL, &err))
        goto fail;
    if (rb_out_open(work_path, NULL, &work_csv, &err) || rb_out_write(work_csv, &po.list.layer, &err))
        goto fail;
    int c1 = rb_out_commit(out, &err);
    out = NULL;
    if (c1)
        goto fail;
    int c2 = rb_out_commit(work_csv, &err);
    work_csv = NULL;
    if (c2)
        goto fail;
    const char *outputs[3] = { a.out, work_path, summary_path };
    summary = rb_report_plan_summary(&run, a.screen, a.hot, outputs, 3);
    if (!summary) {
        rb_err_nomem(&err);
        goto fail;
    }
    if (rb_io_write_text(summary_path, summary, &err))
        goto fail;
    rb_cli_warnings(&a.cli, &log);
    if (!a.cli.quiet) {
        printf("screening: %s (%zu segments on %zu routes, %zu crashes, %zu stretches in '%s')\n", a.screen,
               net.nsegs, routes.nroutes, nc, hot.n, a.hot);
        plan_stage_print(&ps, &routes);
        printf("wrote %s (layers plan, work_lines, work_points), %s, %s\n", a.out, work_path, summary_path);
    }
    rc = RB_EXIT_OK;
    goto done;
fail:
    rc = rb_cli_fail(&err);
done:
    rb_out_abort(out);
    rb_out_abort(work_csv);
    plan_out_free(&po);
    plan_stage_free(&ps);
    if (have_pix)
        rb_polyindex_free(&pix);
    if (have_polys)
        rb_polys_free(&polys);
    rb_free(seg_ix);
    rb_free(route_ix);
    rb_free(pc);
    rb_free(pseg);
    rb_free(chainage);
    rb_free(counted);
    rb_free(summary);
    free(work_path);
    free(summary_path);
    free(keys);
    free(keybuf);
    free(ids);
    free(idbuf);
    free(urban);
    rb_free(hot.route);
    rb_free(hot.from_m);
    rb_free(hot.to_m);
    rb_free(seg.aadt);
    rb_free(seg.freq_per_yr);
    rb_free(seg.eb_per_yr);
    rb_table_free(&ct);
    rb_table_free(&ht);
    rb_table_free(&it);
    for (size_t j = 0; jid && j < juncs.n; j++)
        free(jid[j]);
    free(jid);
    rb_free(jrank);
    rb_free(jobs);
    rb_free(jfreq);
    rb_free(jaadt);
    rb_free(cjunc);
    rb_free(junc_ix);
    rb_junctions_free(&juncs);
    rb_routes_free(&routes);
    rb_net_free(&net);
    rb_roads_free(&roads);
    rb_vocab_free(&vocab);
    rb_log_free(&log);
    rb_styles_free(&styles);
    rb_config_free(&cfg);
    rb_io_cleanup();
    return rc;
}
