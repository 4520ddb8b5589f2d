/* rumble match, screen and run: their options, then the run's stages
 * (src/run) in order. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_OUTPUT = 1, O_CSV, O_SUMMARY, O_NOTIMINGS, O_QUIET, O_STRICT, O_TOP, O_NOINDEX, O_HELP, O_PARTITION };

static const struct rb_opt match_opts[] = {
    { "config", 'c', "FILE", NULL, 0, "JSON project config (its keys: doc/config.md)" },
    RB_KEYOPT("preset"),
    RB_KEYOPT("roads.path"),
    RB_KEYOPT("roads.layer"),
    RB_KEYOPT("roads.crs"),
    RB_KEYOPT("roads.id"),
    RB_KEYOPT("roads.route"),
    RB_KEYOPT("roads.name"),
    RB_KEYOPT("roads.aadt"),
    RB_PLAN_ROAD_OPTS,
    RB_KEYOPT("roads.tunnel"),
    RB_KEYOPT("roads.grade_layer"),
    RB_KEYOPT("crashes.path"),
    RB_KEYOPT("crashes.layer"),
    RB_KEYOPT("crashes.crs"),
    RB_KEYOPT("crashes.x"),
    RB_KEYOPT("crashes.y"),
    RB_KEYOPT("crashes.id"),
    RB_KEYOPT("crashes.date"),
    RB_KEYOPT("crashes.date_format"),
    RB_KEYOPT("crashes.time"),
    RB_KEYOPT("crashes.group_by"),
    RB_KEYOPT("crashes.severity"),
    RB_KEYOPT("crashes.severity_map"),
    RB_KEYOPT("crashes.crash_type"),
    RB_KEYOPT("crashes.crash_type_map"),
    RB_KEYOPT("crashes.light"),
    RB_KEYOPT("crashes.light_map"),
    RB_KEYOPT("crashes.surface_map"),
    RB_KEYOPT("crashes.road"),
    RB_KEYOPT("crashes.direction"),
    RB_KEYOPT("crashes.measure"),
    RB_KEYOPT("crashes.measure_unit"),
    RB_KEYOPT("markers.path"),
    RB_KEYOPT("markers.layer"),
    RB_KEYOPT("markers.route"),
    RB_KEYOPT("markers.value"),
    RB_KEYOPT("match.lr_check_m"),
    RB_KEYOPT("overrides.path"),
    RB_KEYOPT("crashes.surface"),
    RB_KEYOPT("crashes.weather"),
    RB_KEYOPT("crashes.weather_map"),
    RB_KEYOPT("crashes.vehicle"),
    RB_KEYOPT("crashes.vehicle_map"),
    RB_KEYOPT("crashes.encoding"),
    RB_KEYOPT("match.tolerance_m"),
    RB_KEYOPT("match.ambiguous_margin_m"),
    RB_KEYOPT("match.grade_margin_m"),
    RB_KEYOPT("match.junction_radius_m"),
    RB_KEYOPT("match.node_snap_m"),
    RB_KEYOPT("study.from_year"),
    RB_KEYOPT("study.to_year"),
    RB_KEYOPT("epdo_weights"),
    RB_KEYOPT("rank_by"),
    RB_KEYOPT("accept"),
    RB_KEYOPT("crash_costs"),
    RB_KEYOPT("data_dir"),
    { "output", 'o', "FILE", NULL, O_OUTPUT, "output: .gpkg (default format), .csv, .shp, .geojson, .fgb" },
    { "csv", 0, NULL, NULL, O_CSV, "also write the tables as OUT_crashes.csv and OUT_segments.csv" },
    { "summary", 0, "FILE", NULL, O_SUMMARY, "JSON summary (default: OUT.summary.json, beside the output)" },
    { "spatial-index", 0, "WHEN", NULL, O_NOINDEX, "GeoPackage R-tree: auto (layers up to 250,000 features), yes, no" },
    { "no-timings", 0, NULL, NULL, O_NOTIMINGS, "leave timings out of the summary (byte-identical reruns)" },
    { "strict", 0, NULL, NULL, O_STRICT, "treat any warning as an error" },
    { "top", 0, "N", NULL, O_TOP, "print the N worst segments (default 5, 0 for none)" },
    { "quiet", 'q', NULL, NULL, O_QUIET, "no progress or warnings on stderr" },
    { "help", 'h', NULL, NULL, O_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

/* match alone: one region of a network too large for one job */
static const struct rb_opt part_opts[] = {
    { "partition", 0, "KEY=VALUE", NULL, O_PARTITION,
      "one region: the routes whose first segment has road field KEY = VALUE, with a halo of the tolerance"
      " (a .gpkg for rumble merge)" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const struct rb_opt screen_opts[] = {
    RB_KEYOPT("screen.window_m"),
    RB_KEYOPT("screen.step_m"),
    RB_KEYOPT("screen.spf"),
    RB_KEYOPT("screen.int_spf"),
    RB_KEYOPT("screen.calibration"),
    RB_KEYOPT("screen.confidence"),
    RB_KEYOPT("ccs.max_length_m"),
    RB_KEYOPT("ccs.max_length_urban_m"),
    RB_KEYOPT("ccs.days"),
    RB_KEYOPT("ccs.same_type"),
    RB_KEYOPT("ccs.any_type"),
    RB_KEYOPT("settlements.path"),
    RB_KEYOPT("intersections.path"),
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char screen_examples[] =
    "  rumble screen --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "                --crashes build/demo/crashes.csv --window 300 --step 100 --spf hsm_rural_2lane -o screen.gpkg\n"
    "  rumble screen --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "                --crashes build/demo/crashes.csv -where \"crash_type = 'наезд на животное'\" -o animals.gpkg\n";

static const char match_examples[] =
    "  rumble match --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "               --crashes build/demo/crashes.csv -o match.gpkg\n"
    "  rumble match --roads build/demo/roads.gpkg --crashes build/demo/crashes.csv --x-field lon --y-field lat \\\n"
    "               --crashes-crs EPSG:4326 --tolerance 25 -o match.shp\n"
    "  rumble match --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "               --crashes build/demo/crashes.csv --road-field road --measure-field km -o located.gpkg\n";

struct match_args {
    struct rb_cli cli;
    const char *output, *summary, *partition;
    int csv, no_timings, strict, help, spatial_index;
    long top;
};

static int on_opt(int id, const char *v, void *ud)
{
    struct match_args *a = ud;
    switch (id) {
    case O_OUTPUT: a->output = v; break;
    case O_CSV: a->csv = 1; break;
    case O_SUMMARY: a->summary = v; break;
    case O_NOTIMINGS: a->no_timings = 1; break;
    case O_STRICT: a->strict = 1; break;
    case O_NOINDEX:
        if (!strcmp(v, "auto")) a->spatial_index = RB_SPATIAL_INDEX_AUTO;
        else if (!strcmp(v, "yes")) a->spatial_index = RB_SPATIAL_INDEX_YES;
        else if (!strcmp(v, "no")) a->spatial_index = RB_SPATIAL_INDEX_NO;
        else {
            rb_cli_error("match: --spatial-index wants auto, yes or no, not '%s'", v);
            return RB_EXIT_USAGE;
        }
        break;
    case O_QUIET: a->cli.quiet = 1; break;
    case O_HELP: a->help = 1; break;
    case O_PARTITION: a->partition = v; break;
    case O_TOP: {
        char *end;
        a->top = strtol(v, &end, 10);
        if (*end || a->top < 0) {
            rb_cli_error("match: --top wants a whole number, not '%s'", v);
            return RB_EXIT_USAGE;
        }
        break;
    }
    }
    return RB_EXIT_OK;
}

static int run_job(int argc, char **argv, enum rb_job job, int systemic);

int cmd_match(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_MATCH, 0);
}

int cmd_screen(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_SCREEN, 0);
}

int cmd_run(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_RUN, 0);
}

/* rumble systemic: rumble run with a systemic programme, which it must name */
int cmd_systemic(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_RUN, 1);
}

static const char systemic_examples[] =
    "  rumble systemic --config data/demo/project.json --roads build/demo/region.gpkg \\\n"
    "                  --crashes build/demo/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 \\\n"
    "                  --systemic shoulder_rumble_strips --systemic-budget 300000 -o systemic.gpkg\n"
    "  rumble systemic --config data/demo/project.json --roads build/demo/region.gpkg \\\n"
    "                  --crashes build/demo/region_crashes.csv --systemic road_lighting --lit-field lit \\\n"
    "                  --assets build/demo/assets.geojson -o lighting.gpkg\n";

static const char run_examples[] =
    "  rumble run --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "             --crashes build/demo/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg\n"
    "  rumble run --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "             --crashes build/demo/crashes.csv --budgets 800000,800000,800000 -o years.gpkg\n";

/* rumble run takes screen's options and the plan's: one table of both */
static const struct rb_opt *run_opts(void)
{
    static struct rb_opt all[128];
    if (!all[0].name) {
        size_t n = 0;
        for (size_t k = 0; (screen_opts[k].name || screen_opts[k].key) && n < 120; k++)
            all[n++] = screen_opts[k];
        for (size_t k = 0; (rb_plan_opts[k].name || rb_plan_opts[k].key) && n < 127; k++)
            all[n++] = rb_plan_opts[k];
    }
    return all;
}

static int run_job(int argc, char **argv, enum rb_job job, int systemic)
{
    int screen = job != RB_JOB_MATCH, planning = job == RB_JOB_RUN;
    struct match_args a = { .cli = { .cmd = systemic ? "systemic" : planning ? "run" : screen ? "screen" : "match",
                                     .gdal = 1 }, .top = 5,
                            .spatial_index = RB_SPATIAL_INDEX_AUTO };
    struct rb_run *run = rb_malloc(sizeof *run);
    if (!run) {
        rb_cli_error("out of memory");
        return RB_EXIT_NOMEM;
    }
    rb_run_init(run, job);
    const struct rb_opt *opts2 = planning ? run_opts() : screen ? screen_opts : part_opts;
    int rc = rb_cli_parse(&a.cli, argc, argv, match_opts, opts2, &run->cfg, on_opt, &a);
    if (rc == RB_EXIT_OK && a.help)
        rb_cli_usage(stdout, a.cli.cmd, systemic ? "--roads FILE --crashes FILE --systemic ID [options] -o OUT.gpkg"
                                                 : "--roads FILE --crashes FILE [options] -o OUT.gpkg", match_opts, opts2,
                     systemic ? systemic_examples : planning ? run_examples : screen ? screen_examples : match_examples);
    if (rc == RB_EXIT_OK && !a.help && systemic && !rb_run_systemic_on(&run->cfg)) {
        rb_cli_error("systemic: name the countermeasure to roll out with --systemic ID (e.g. shoulder_rumble_strips);"
                     " see 'rumble systemic --help'");
        rc = RB_EXIT_USAGE;
    }
    if (rc == RB_EXIT_OK && !a.help) {
        run->opt.output = a.output;
        run->opt.summary = a.summary;
        run->opt.csv = a.csv;
        run->opt.no_timings = a.no_timings;
        run->opt.spatial_index = a.spatial_index;
        run->opt.partition = a.partition;
        rc = rb_cli_job(&a.cli, run, a.strict, (size_t)a.top);
    }
    rb_run_free(run);
    rb_free(run);
    return rc;
}
