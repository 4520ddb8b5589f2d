/* run/check: every option, path and value checked before the first feature is
 * read, so that a typo costs a second, not a run; and no output may be one of
 * the inputs. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "run/internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The HSM's P for a confidence level of the critical rate (screen.confidence's
 * choices, in their order); NaN for another level. */
static double confidence_p(double level)
{
    static const double pv[] = { 1.036, 1.282, 1.645, 2.326, 2.576 };
    char v[32];
    snprintf(v, sizeof v, "%.17g", level);
    int k = rb_config_choice("screen.confidence", v);
    return k >= 0 && k < 5 ? pv[k] : NAN;
}

/* The hotspot rules named in a comma list (NULL: all of them) as bits. */
static int parse_rules(const char *list, unsigned *rules)
{
    *rules = 0;
    if (!list) {
        *rules = (1u << RB_NHS) - 1;
        return 0;
    }
    const char *p = list;
    while (*p) {
        char item[64];
        p = rb_run_list_item(p, item, sizeof item);
        int found = 0;
        for (int r = 0; r < RB_NHS; r++)
            if (!strcmp(item, rb_hotspot_rule_name(r))) {
                *rules |= 1u << r;
                found = 1;
            }
        if (!found)
            return -1;
    }
    return 0;
}

/* The screening's measures and rules. */
static int check_screen(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    run->screen_rank = cfg->rank_by ? cfg->rank_by : cfg->spf ? "excess_per_yr" : "epdo_per_yr";
    run->conf_p = confidence_p(cfg->confidence);
    if (!rb_sites_measure_known(run->screen_rank)) {
        size_t nm;
        const char *const *mn = rb_sites_measure_names(&nm);
        char list[1024] = "";
        for (size_t k = 0; k < nm; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", mn[k]);
        return rb_err_set(err, RB_EUSAGE, "screen: cannot rank by '%s'; the measures are: %s", run->screen_rank, list);
    }
    if (run->conf_p != run->conf_p)
        return rb_err_set(err, RB_EUSAGE, "screen: no critical-rate P for confidence %g", cfg->confidence);
    if (cfg->target_type) {
        char key[64];
        rb_key_normalise(cfg->target_type, key, sizeof key);
        run->target_type = !strcmp(key, "livestock") ? RB_CT_ANIMAL : rb_crash_type_parse(key);
        run->target_focus = rb_run_focus_parse(key);
        if (run->target_focus >= 0)
            run->target_type = RB_NCT;     /* the crashes the focus flags */
        if (run->target_type < 0 || run->target_type == RB_CT_UNKNOWN)
            return rb_err_set(err, RB_EUSAGE, "screen: screen.target_type '%s' is neither a crash type (run_off_road, "
                              "head_on, pedestrian, animal or livestock, ...) nor a focus group (night, wet_icy, rain, "
                              "snow, fog, wind, motorcycle, moped, e_scooter, heavy_vehicle)", cfg->target_type);
        if (run->target_focus >= RB_RUN_FOCUS_VEHICLE && !cfg->vehicle.field)
            return rb_err_set(err, RB_EUSAGE, "screen: screen.target_type '%s' counts the crashes involving such a "
                              "vehicle: name the crashes' vehicle type column (crashes.vehicle, --vehicle-field)",
                              cfg->target_type);
    }
    if (parse_rules(cfg->hotspot_rules, &run->rules))
        return rb_err_set(err, RB_EUSAGE, "screen: screen.hotspot_rules '%s': use crash_concentration, "
                          "sliding_window, peak_search and crp, separated by commas", cfg->hotspot_rules);
    /* peak searching needs a measure of the site alone, not of its population */
    static const char *const own[] = { "freq_per_yr", "epdo", "epdo_per_yr", "pred_per_yr", "excess_spf_per_yr",
                                       "eb_per_yr", "eb_epdo_per_yr", "excess_per_yr" };
    run->peak_measure = cfg->spf ? "excess_per_yr" : "epdo_per_yr";
    for (size_t k = 0; k < sizeof own / sizeof *own; k++)
        if (!strcmp(run->screen_rank, own[k]))
            run->peak_measure = own[k];
    if (!(cfg->window_m > 0) || !(cfg->step_m > 0) || !(cfg->crp_window_m > 0 || cfg->crp_window_m != cfg->crp_window_m))
        return rb_err_set(err, RB_EUSAGE, "screen: --window, --step and screen.crp_window_m must be positive");
    return RB_OK;
}

/* The names of the JSON files in a data subdirectory, comma separated. */
void rb_run_data_ids(const char *data_dir, const char *sub, char *list, size_t n)
{
    char dir[4096];
    rb_data_path(data_dir, sub, dir, sizeof dir);
    list[0] = 0;
    struct dirent **ent = NULL;
    int m = scandir(dir, &ent, NULL, alphasort);
    for (int i = 0; i < m; i++) {
        const char *nm = ent[i]->d_name;
        size_t l = strlen(nm);
        if (l > 5 && !strcmp(nm + l - 5, ".json"))
            snprintf(list + strlen(list), n - strlen(list), "%s%.*s", list[0] ? ", " : "", (int)(l - 5), nm);
        free(ent[i]);
    }
    free(ent);
}

/* An SPF (config key, its value), by id in data/spf (the error lists those
 * there) or as a file. */
static int check_spf(struct rb_run *run, const char *key, const char *spf)
{
    const struct rb_config *cfg = &run->cfg;
    if (!spf)
        return RB_OK;
    if (strchr(spf, '/') || strstr(spf, ".json")) {
        if (access(spf, R_OK) != 0)
            return rb_err_set(&run->err, RB_EUSAGE, "%s: cannot read '%s': %s", key, spf, strerror(errno));
        return RB_OK;
    }
    char name[512], path[4096];
    snprintf(name, sizeof name, "spf/%s.json", spf);
    rb_data_path(cfg->data_dir, name, path, sizeof path);
    if (access(path, R_OK) == 0)
        return RB_OK;
    char list[1024];
    rb_run_data_ids(cfg->data_dir, "spf", list, sizeof list);
    return rb_err_set(&run->err, RB_EUSAGE, "%s: no SPF '%s' (%s); the SPFs are: %s, or give a file from "
                      "rumble fit-spf", key, spf, path, list[0] ? list : "none");
}

/* The prices a plan will use: the file given, else the one the catalogue
 * names (relative to the catalogue), which must be there. */
static int check_prices(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    if (cfg->prices)
        return access(cfg->prices, R_OK) ? rb_err_set(&run->err, RB_EUSAGE, "plan.prices: cannot read '%s': %s",
                                                      cfg->prices, strerror(errno))
                                         : RB_OK;
    struct rb_catalogue *cat = rb_malloc(sizeof *cat);
    if (!cat)
        return rb_err_nomem(&run->err);
    int rc = rb_catalogue_read(cfg->data_dir, cfg->catalogue, cat, &run->err);
    if (!rc && cat->prices_path[0] && access(cat->prices_path, R_OK))
        rc = rb_err_set(&run->err, RB_EUSAGE, "%s names its prices '%s', which cannot be read (%s): give the "
                        "agency's prices with --prices (plan.prices)", cfg->catalogue ? cfg->catalogue
                        : "the catalogue", cat->prices_path, strerror(errno));
    rb_free(cat);
    return rc;
}

/* The domain data files the job reads. */
static int check_data(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    const char *dir = rb_data_dir(cfg->data_dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rb_err_set(&run->err, RB_EUSAGE, "data_dir: '%s' is not a directory (set --data-dir or "
                          "RUMBLE_DATA_DIR to rumble's data)", dir);
    int plan = run->opt.job == RB_JOB_RUN || run->opt.job == RB_JOB_PLAN;
    const char *files[4][2] = { { "vocabulary.json", NULL }, { "crash_costs.json", cfg->crash_costs },
                                { "countermeasures.json", plan ? cfg->catalogue : NULL },
                                { "placement.json", plan ? cfg->placement : NULL } };
    for (int k = 0; k < (plan ? 4 : 2); k++) {
        char path[4096];
        if (files[k][1])
            snprintf(path, sizeof path, "%s", files[k][1]);
        else
            rb_data_path(cfg->data_dir, files[k][0], path, sizeof path);
        if (access(path, R_OK) != 0)
            return rb_err_set(&run->err, RB_EUSAGE, "cannot read '%s': %s", path, strerror(errno));
    }
    if (plan && check_prices(run))
        return run->err.code;
    return check_spf(run, "screen.spf", cfg->spf) || check_spf(run, "screen.int_spf", cfg->int_spf) ? run->err.code
                                                                                                    : RB_OK;
}

/* 1 when a source name is a file path (not a GDAL connection string such as
 * PG:dbname=..., nor a /vsi path). */
static int is_file_path(const char *p)
{
    const char *colon = strchr(p, ':'), *slash = strchr(p, '/');
    return strncmp(p, "/vsi", 4) && (!colon || (slash && slash < colon));
}

/* The job's required inputs, and every input file there. */
static int check_inputs(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    enum rb_job job = run->opt.job;
    const char *cmd = job == RB_JOB_MATCH ? "match" : job == RB_JOB_SCREEN ? "screen" : job == RB_JOB_RUN ? "run"
                                                                                                           : "plan";
    if (job == RB_JOB_PLAN ? !run->opt.screen_path || !run->opt.output
                           : (!cfg->roads_path && !(job != RB_JOB_MATCH && cfg->int_path)) || !cfg->crashes_path ||
                                 !run->opt.output)
        return rb_err_set(err, RB_EUSAGE, job == RB_JOB_PLAN
                              ? "plan: needs --screen SCREEN.gpkg (or --roads and --crashes) and -o OUT; see "
                                "'rumble plan --help'"
                              : "%s: needs --roads%s, --crashes and -o OUT; see 'rumble %s --help'",
                          cmd, job == RB_JOB_MATCH ? "" : " (or --intersections)", cmd);
    if (job == RB_JOB_RUN && !cfg->roads_path)
        return rb_err_set(err, RB_EUSAGE, "run: planning needs --roads");
    const struct { const char *path, *what; } in[] = {
        { cfg->roads_path, "roads" }, { cfg->crashes_path, "crashes" }, { cfg->markers_path, "markers" },
        { cfg->overrides_path, "overrides" }, { cfg->settle_path, "settlements" },
        { cfg->int_path, "intersections" }, { run->opt.screen_path, "screening" }, { cfg->assets_path, "assets" },
    };
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
        struct stat st;
        if (in[k].path && is_file_path(in[k].path) && stat(in[k].path, &st) != 0)
            return rb_err_set(err, RB_EUSAGE, "cannot open %s '%s': %s", in[k].what, in[k].path,
                              errno == ENOENT ? "no such file" : strerror(errno));
    }
    return RB_OK;
}

/* plan.systemic names a countermeasure of the catalogue laid along the road:
 * said before any work. */
static int check_systemic(const struct rb_config *cfg, struct rb_err *err)
{
    if (!rb_run_systemic_on(cfg))
        return RB_OK;
    struct rb_catalogue *cat = rb_calloc(1, sizeof *cat);
    if (!cat)
        return rb_err_nomem(err);
    int rc = rb_catalogue_read(cfg->data_dir, cfg->catalogue, cat, err);
    int k = rc ? -1 : rb_catalogue_find(cat, cfg->systemic);
    if (!rc && k < 0) {
        char ids[1024] = "";
        for (size_t i = 0; i < cat->n; i++)
            if (cat->cm[i].site & RB_CM_SEGMENT)
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? ", " : "", cat->cm[i].id);
        rc = rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' is not in the catalogue (%s); those laid along the road"
                        " are: %s", cfg->systemic, cfg->catalogue ? cfg->catalogue : "data/countermeasures.json", ids);
    } else if (!rc && !(cat->cm[k].site & RB_CM_SEGMENT)) {
        rc = rb_err_set(err, RB_EUSAGE, "plan.systemic: '%s' is an intersection countermeasure: a systemic programme"
                        " lays one along the road (strips, chevrons, lighting)", cfg->systemic);
    }
    rb_free(cat);
    return rc;
}

/* Values that only make sense together. */
static int check_values(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    if (cfg->year_from && cfg->year_to && cfg->year_from > cfg->year_to)
        return rb_err_set(err, RB_EUSAGE, "study period: from_year %d is after to_year %d", cfg->year_from,
                          cfg->year_to);
    if (!(cfg->tolerance_m > 0))
        return rb_err_set(err, RB_EUSAGE, "match.tolerance_m must be more than 0");
    if (cfg->accept && rb_log_accept(&run->log, cfg->accept, err))
        return err->code;
    if (run->opt.job == RB_JOB_MATCH && !rb_rank_measure(cfg->rank_by))
        return rb_err_set(err, RB_EUSAGE, "match: cannot rank by '%s'; see 'rumble match --help'", cfg->rank_by);
    if ((run->opt.job == RB_JOB_SCREEN || run->opt.job == RB_JOB_RUN) && check_screen(run))
        return err->code;
    if ((run->opt.job == RB_JOB_RUN || run->opt.job == RB_JOB_PLAN) && check_systemic(cfg, err))
        return err->code;
    if ((run->opt.job == RB_JOB_RUN || run->opt.job == RB_JOB_PLAN) && rb_run_plan_check(cfg, err))
        return err->code;
    return RB_OK;
}

/* `rumble plan --screen`: the screening's segments are the roads, with their
 * ids, routes and AADT as it wrote them. */
static int plan_roads_from_screening(struct rb_run *run)
{
    struct rb_config *cfg = &run->cfg;
    const char *forced[][2] = { { "roads.path", run->opt.screen_path }, { "roads.layer", "segments" },
                                { "roads.id", "segment_id" }, { "roads.route", "route_id" }, { "roads.aadt", "aadt" } };
    for (size_t k = 0; k < sizeof forced / sizeof *forced; k++)
        if (rb_config_set(cfg, forced[k][0], forced[k][1], &run->err))
            return run->err.code;
    rb_free(cfg->roads_crs);
    cfg->roads_crs = NULL;
    rb_free(cfg->road_aadt_year);
    cfg->road_aadt_year = NULL;
    return RB_OK;
}

/* --partition: one region of a coordinate match into a GeoPackage; what
 * depends on the whole network (a road named by the record, routes for km
 * posts and overrides, OpenStreetMap ways split where others cross) is refused. */
static int check_partition(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    const char *spec = run->opt.partition;
    if (!spec)
        return RB_OK;
    if (rb_run_partition_check(spec, err))
        return err->code;
    const char *why = run->opt.job != RB_JOB_MATCH ? "screening, which ranks every site against the whole network"
                    : !cfg->roads_path ? "a run without roads"
                    : rb_io_is_osm(cfg->roads_path) ? "OpenStreetMap roads (ways are split where other ways cross)"
                    : cfg->measure_field ? "placing crashes by road and measure (crashes.measure)"
                    : cfg->overrides_path ? "overrides"
                    : cfg->road_field ? "the road a record names (crashes.road)"
                    : NULL;
    if (why)
        return rb_err_set(err, RB_EUSAGE, "--partition does not work with %s: run it on the whole network%s", why,
                          cfg->road_field && run->opt.job == RB_JOB_MATCH
                              ? ", or take crashes.road out of the config for the partitioned match" : "");
    if (run->opt.summary)
        return rb_err_set(err, RB_EUSAGE, "--partition keeps its summary beside its output, where rumble merge reads"
                          " it: leave out --summary");
    const char *dot = run->opt.output ? strrchr(run->opt.output, '.') : NULL;
    if (!dot || strcasecmp(dot, ".gpkg"))
        return rb_err_set(err, RB_EUSAGE, "--partition writes a GeoPackage for rumble merge: name the output .gpkg");
    return RB_OK;
}

int rb_run_check(struct rb_run *run)
{
    struct rb_err *err = &run->err;
    if (run->opt.job == RB_JOB_PLAN && run->opt.screen_path && plan_roads_from_screening(run))
        return err->code;
    if (check_inputs(run) || check_values(run) || check_data(run) || check_partition(run))
        return err->code;
    if (rb_out_check(run->opt.output, err))
        return err->code;
    if (run->opt.summary && rb_io_check_writable(run->opt.summary, err))
        return err->code;
    return rb_run_check_paths(run);
}

/* An output's name with its directory's real path (the file may not exist yet). */
static int canonical_out(const char *path, char *out, size_t n)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (!realpath(dir, real))
        return -1;
    snprintf(out, n, "%s/%s", real, slash ? slash + 1 : path);
    return 0;
}

int rb_paths_check(const char *const *inputs, size_t nin, const char *const *outputs, size_t nout,
                   struct rb_err *err)
{
    for (size_t o = 0; o < nout; o++) {
        struct stat so, si;
        if (stat(outputs[o], &so) == 0)
            for (size_t i = 0; i < nin; i++)
                if (inputs[i] && stat(inputs[i], &si) == 0 && so.st_dev == si.st_dev && so.st_ino == si.st_ino)
                    return rb_err_set(err, RB_EUSAGE, "the output '%s' is the input '%s': rumble never overwrites "
                                      "an input; name the output otherwise", outputs[o], inputs[i]);
        char co[2 * PATH_MAX], cp[2 * PATH_MAX];
        if (canonical_out(outputs[o], co, sizeof co))
            continue;
        for (size_t p = 0; p < o; p++)
            if (!canonical_out(outputs[p], cp, sizeof cp) && !strcmp(co, cp))
                return rb_err_set(err, RB_EUSAGE, "two outputs are the same file: '%s' and '%s'", outputs[p],
                                  outputs[o]);
    }
    return RB_OK;
}

/* The input files of a run: sources (a shapefile with its siblings), configs,
 * data files. */
static int input_files(struct rb_run *run, char ***files, size_t *n)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    const char *src[] = { cfg->roads_path, cfg->crashes_path, cfg->markers_path, cfg->overrides_path,
                          cfg->settle_path, cfg->int_path, run->opt.screen_path, cfg->catalogue, cfg->placement,
                          cfg->assets_path,
                          cfg->crash_costs, cfg->prices,
                          cfg->spf && (strchr(cfg->spf, '/') || strstr(cfg->spf, ".json")) ? cfg->spf : NULL,
                          cfg->int_spf && (strchr(cfg->int_spf, '/') || strstr(cfg->int_spf, ".json")) ? cfg->int_spf
                                                                                                        : NULL };
    static const char *const sib[] = { ".shx", ".dbf", ".prj", ".cpg" };
    for (size_t k = 0; k < sizeof src / sizeof *src; k++) {
        if (!src[k] || !is_file_path(src[k]))
            continue;
        if (rb_out_files(src[k], NULL, 0, files, n, err))
            return err->code;
        size_t l = strlen(src[k]);
        for (size_t e = 0; l > 4 && !strcmp(src[k] + l - 4, ".shp") && e < 4; e++) {
            char *p = rb_run_swap_ext(src[k], sib[e]);
            int rc = !p ? rb_err_nomem(err) : rb_out_files(p, NULL, 0, files, n, err);
            rb_free(p);
            if (rc)
                return rc;
        }
    }
    for (size_t k = 0; k < run->opt.nconfigs; k++)
        if (rb_out_files(run->opt.configs[k], NULL, 0, files, n, err))
            return err->code;
    static const char *const data[] = { "vocabulary.json", "crash_costs.json" };
    for (size_t k = 0; k < 2; k++) {
        char path[4096];
        rb_data_path(cfg->data_dir, data[k], path, sizeof path);
        if (rb_out_files(path, NULL, 0, files, n, err))
            return err->code;
    }
    return RB_OK;
}

/* Every file the run may write: the dataset's, the CSV tables', the work
 * list's, the summary's; each with its temporary name. */
static int output_files(struct rb_run *run, char ***files, size_t *n)
{
    struct rb_err *err = &run->err;
    enum rb_job job = run->opt.job;
    static const char *const layers[] = { "crashes", "segments", "windows", "hotspots", "intersections",
                                          "sections", "plan", "work_lines", "work_points", "systemic", "coverage",
                                          "coverage_routes" };
    const char *const *l = job == RB_JOB_PLAN ? layers + 6 : layers;
    size_t nl = job == RB_JOB_MATCH ? 2 : job == RB_JOB_SCREEN ? 6 : job == RB_JOB_RUN ? 9 : 3;
    nl += job == RB_JOB_RUN || job == RB_JOB_PLAN ? 3 : 0;   /* layers a run may write: systemic, coverage */
    const char *output = run->opt.output;
    if (rb_out_files(output, l, nl, files, n, err))
        return err->code;
    char *csv = run->opt.csv ? rb_run_swap_ext(output, ".csv") : NULL;
    char *work = job == RB_JOB_RUN || job == RB_JOB_PLAN ? rb_run_swap_ext(output, "_work.csv") : NULL;
    char *summary = run->opt.summary ? rb_strdup(run->opt.summary) : rb_run_swap_ext(output, ".summary.json");
    static const char *const work_layer[] = { "work" };
    int rc = (run->opt.csv && !csv) || ((job == RB_JOB_RUN || job == RB_JOB_PLAN) && !work) || !summary
                 ? rb_err_nomem(err) : RB_OK;
    if (!rc && csv)
        rc = rb_out_files(csv, layers, 2, files, n, err);
    if (!rc && work)
        rc = rb_out_files(work, work_layer, 1, files, n, err);
    if (!rc)
        rc = rb_out_files(summary, NULL, 0, files, n, err);
    rb_free(csv);
    rb_free(work);
    rb_free(summary);
    return rc;
}

int rb_run_check_paths(struct rb_run *run)
{
    char **in = NULL, **out = NULL;
    size_t nin = 0, nout = 0;
    int rc = input_files(run, &in, &nin);
    if (!rc)
        rc = output_files(run, &out, &nout);
    if (!rc)
        rc = rb_paths_check((const char *const *)in, nin, (const char *const *)out, nout, &run->err);
    for (size_t k = 0; k < nin; k++)
        rb_free(in[k]);
    for (size_t k = 0; k < nout; k++)
        rb_free(out[k]);
    rb_free(in);
    rb_free(out);
    return rc;
}
