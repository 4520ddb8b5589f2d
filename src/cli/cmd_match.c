/* rumble match, screen and run: their options, then the run's stages
 * (src/run) in order. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_OUTPUT = 1, O_CSV, O_SUMMARY, O_NOTIMINGS, O_QUIET, O_STRICT, O_TOP, O_NOINDEX, O_HELP };

static const struct rb_opt match_opts[] = {
    { "config", 'c', "FILE", NULL, 0, "JSON project config (see README)" },
    { "roads", 0, "FILE", "roads.path", 0, "road network: any OGR source with lines" },
    { "roads-layer", 0, "NAME", "roads.layer", 0, "layer of the roads source" },
    { "roads-crs", 0, "CRS", "roads.crs", 0, "CRS of the roads when the source has none" },
    { "road-id", 0, "FIELD", "roads.id", 0, "segment id field (default: the feature id)" },
    { "route-field", 0, "FIELD", "roads.route", 0, "route id / road number field" },
    { "road-name-field", 0, "FIELD", "roads.name", 0, "road name field" },
    { "aadt-field", 0, "FIELD", "roads.aadt", 0, "AADT field (vehicles/day)" },
    { "speed-field", 0, "FIELD", "roads.speed_limit", 0, "speed limit field" },
    { "lanes-field", 0, "FIELD", "roads.lanes", 0, "number of lanes field" },
    { "area-field", 0, "FIELD", "roads.area", 0, "urban/rural field" },
    { "shoulder-field", 0, "FIELD", "roads.shoulder_m", 0, "paved shoulder width field (m)" },
    { "bridge-field", 0, "FIELD", "roads.bridge", 0, "bridge flag field (yes/no): strips stop short of bridges" },
    { "divided-field", 0, "FIELD", "roads.divided", 0, "divided carriageway flag field (yes/no)" },
    { "tunnel-field", 0, "FIELD", "roads.tunnel", 0, "tunnel flag field (yes/no)" },
    { "layer-field", 0, "FIELD", "roads.layer", 0, "grade level field (OSM layer: 1 over, -1 under)" },
    { "crashes", 0, "FILE", "crashes.path", 0, "crashes: OGR points, or a CSV/XLSX/ODS table" },
    { "crashes-layer", 0, "NAME", "crashes.layer", 0, "layer or sheet of the crashes source" },
    { "crashes-crs", 0, "CRS", "crashes.crs", 0, "CRS of the crash coordinates (default EPSG:4326)" },
    { "x-field", 0, "FIELD", "crashes.x", 0, "x / longitude / easting column" },
    { "y-field", 0, "FIELD", "crashes.y", 0, "y / latitude / northing column" },
    { "id-field", 0, "FIELD", "crashes.id", 0, "crash id column" },
    { "date-field", 0, "FIELD", "crashes.date", 0, "crash date column" },
    { "date-format", 0, "FMT", "crashes.date_format", 0, "date format, e.g. %d/%m/%Y" },
    { "time-field", 0, "FIELD", "crashes.time", 0, "time of day column (1812, 18:12)" },
    { "group-by", 0, "FIELD", "crashes.group_by", 0, "key of files with one row per casualty" },
    { "severity-field", 0, "FIELD", "crashes.severity", 0, "severity column" },
    { "severity-map", 0, "MAP", "crashes.severity_map", 0, "severity values onto KABCO: 1=K,2=A,3=C" },
    { "crash-type-field", 0, "FIELD", "crashes.crash_type", 0, "crash type column" },
    { "crash-type-map", 0, "MAP", "crashes.crash_type_map", 0, "crash type values: 5=head_on,..." },
    { "light-field", 0, "FIELD", "crashes.light", 0, "light condition column" },
    { "light-map", 0, "MAP", "crashes.light_map", 0, "light values: 1=day,4=dark,..." },
    { "surface-map", 0, "MAP", "crashes.surface_map", 0, "surface values: 1=dry,2=wet,4=snow_ice,..." },
    { "road-field", 0, "FIELD", "crashes.road", 0, "road number/name in the crash record" },
    { "direction-field", 0, "FIELD", "crashes.direction", 0, "direction of travel: degrees, N/NE/.../NB/SB; picks the carriageway" },
    { "measure-field", 0, "FIELD", "crashes.measure", 0, "measure along that road: km (123.45) or km+m (123+450)" },
    { "measure-unit", 0, "UNIT", "crashes.measure_unit", 0, "unit of the measure: km (default), mi or m" },
    { "markers", 0, "FILE", "markers.path", 0, "kilometre posts (points) that calibrate measures" },
    { "markers-layer", 0, "NAME", "markers.layer", 0, "layer of the markers source" },
    { "marker-road-field", 0, "FIELD", "markers.route", 0, "a post's road (default: the roads' route field)" },
    { "marker-value-field", 0, "FIELD", "markers.value", 0, "a post's stated value (default km)" },
    { "lr-check", 0, "M", "match.lr_check_m", 0, "coordinates and measure further apart are flagged (250)" },
    { "overrides", 0, "FILE", "overrides.path", 0, "analyst's fixes: CSV of crash_id,segment_id applied on every run" },
    { "surface-field", 0, "FIELD", "crashes.surface", 0, "road surface condition column (dry, wet, snow_ice)" },
    { "weather-field", 0, "FIELD", "crashes.weather", 0, "weather column" },
    { "encoding", 0, "ENC", "crashes.encoding", 0, "text encoding of the sources, e.g. CP1251" },
    { "tolerance", 0, "M", "match.tolerance_m", 0, "farthest a crash may be from its road (30)" },
    { "ambiguous-margin", 0, "M", "match.ambiguous_margin_m", 0, "another road this much farther is a doubt (5)" },
    { "grade-margin", 0, "M", "match.grade_margin_m", 0, "a road at another grade this much farther is a doubt (15; 0 off)" },
    { "junction-radius", 0, "M", "match.junction_radius_m", 0, "junction flag radius (20)" },
    { "node-snap", 0, "M", "match.node_snap_m", 0, "segment ends this close meet (0.5)" },
    { "from-year", 0, "YEAR", "study.from_year", 0, "first year of the study period" },
    { "to-year", 0, "YEAR", "study.to_year", 0, "last year of the study period" },
    { "epdo-weights", 0, "W", "epdo_weights", 0, "EPDO weights, e.g. K=542,A=29.3,B=10.7,C=6.1,O=1" },
    { "rank-by", 0, "MEASURE", "rank_by", 0, "rank segments by epdo_per_yr (default), epdo, freq_per_yr, crashes_per_km_yr, rate_per_mvkm or n_obs" },
    { "data-dir", 0, "DIR", "data_dir", 0, "where vocabulary.json and crash_costs.json are" },
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

static const struct rb_opt screen_opts[] = {
    { "window", 0, "M", "screen.window_m", 0, "sliding window length (300 m, the HSM's 0.3 mi)" },
    { "step", 0, "M", "screen.step_m", 0, "sliding window step (100 m)" },
    { "spf", 0, "SPF", "screen.spf", 0, "SPF id in data/spf (hsm_rural_2lane) or a file from fit-spf" },
    { "calibration", 0, "C", "screen.calibration", 0, "calibration factor for the SPF" },
    { "confidence", 0, "LEVEL", "screen.confidence", 0, "critical rate confidence: 0.85, 0.90, 0.95 (default), 0.99, 0.995" },
    { "ccs-length", 0, "M", "ccs.max_length_m", 0, "crash concentration stretch outside settlements (1000)" },
    { "ccs-length-urban", 0, "M", "ccs.max_length_urban_m", 0, "the same inside settlements (200)" },
    { "ccs-days", 0, "N", "ccs.days", 0, "crash concentration period in days (365)" },
    { "ccs-same-type", 0, "N", "ccs.same_type", 0, "injury crashes of one type that make a site (3)" },
    { "ccs-any-type", 0, "N", "ccs.any_type", 0, "injury crashes of any type that make a site (5)" },
    { "settlements", 0, "FILE", "settlements.path", 0, "settlement polygons: crashes inside use the urban length" },
    { "intersections", 0, "FILE", "intersections.path", 0, "intersection points (intersections.major_aadt, .minor_aadt) instead of the network's nodes; enough without --roads" },
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
    const char *output, *summary;
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

static int run_job(int argc, char **argv, enum rb_job job);

int cmd_match(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_MATCH);
}

int cmd_screen(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_SCREEN);
}

int cmd_run(int argc, char **argv)
{
    return run_job(argc, argv, RB_JOB_RUN);
}

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
        for (size_t k = 0; screen_opts[k].name && n < 120; k++)
            all[n++] = screen_opts[k];
        for (size_t k = 0; rb_plan_opts[k].name && n < 127; k++)
            all[n++] = rb_plan_opts[k];
    }
    return all;
}

static int run_job(int argc, char **argv, enum rb_job job)
{
    int screen = job != RB_JOB_MATCH, planning = job == RB_JOB_RUN;
    struct match_args a = { .cli = { .cmd = planning ? "run" : screen ? "screen" : "match", .gdal = 1 }, .top = 5,
                            .spatial_index = RB_SPATIAL_INDEX_AUTO };
    struct rb_run *run = rb_malloc(sizeof *run);
    if (!run) {
        rb_cli_error("out of memory");
        return RB_EXIT_NOMEM;
    }
    rb_run_init(run, job);
    const struct rb_opt *opts2 = planning ? run_opts() : screen ? screen_opts : NULL;
    int rc = rb_cli_parse(&a.cli, argc, argv, match_opts, opts2, &run->cfg, on_opt, &a);
    if (rc == RB_EXIT_OK && a.help)
        rb_cli_usage(stdout, a.cli.cmd, "--roads FILE --crashes FILE [options] -o OUT.gpkg", match_opts, opts2,
                     planning ? run_examples : screen ? screen_examples : match_examples);
    if (rc == RB_EXIT_OK && !a.help) {
        run->opt.output = a.output;
        run->opt.summary = a.summary;
        run->opt.csv = a.csv;
        run->opt.no_timings = a.no_timings;
        run->opt.spatial_index = a.spatial_index;
        rc = rb_cli_job(&a.cli, run, a.strict, (size_t)a.top);
    }
    rb_run_free(run);
    rb_free(run);
    return rc;
}
