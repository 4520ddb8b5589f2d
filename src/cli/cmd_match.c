/* rumble match: read, match, count, write. */
#include "cli/cli.h"
#include "cli/plan_stage.h"
#include "cli/locate_stage.h"

#include <math.h>
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
    { "summary", 0, "FILE", NULL, O_SUMMARY, "JSON summary (default: OUT with .json)" },
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

/* The worst segments by rank, read back from the segments table as written. */
/* The rows of a ranked table in rank order, the first n of them (calloc'd; NULL
 * when memory runs out). */
static size_t *rank_order(const struct rb_table *t, long crank, size_t n)
{
    size_t *order = calloc(n ? n : 1, sizeof *order);
    for (size_t r = 0; order && r < t->nrows; r++) {
        int64_t k = t->cols[crank].i[r];
        if (k >= 1 && (size_t)k <= n)
            order[k - 1] = r;
    }
    return order;
}

static void print_top(const struct rb_out_layer *ls, const char *measure, size_t top)
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
        printf("  %4zu  %-16s %-10s %9.1f %6lld %4lld %4lld %14.3f\n", k + 1,
               rb_table_str(t, (size_t)cid, r), route ? route : "-", t->cols[clen].d[r],
               (long long)t->cols[cobs].i[r], (long long)t->cols[ck].i[r],
               (long long)t->cols[ca].i[r], dv);
    }
    free(order);
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
        printf("  %4zu  %-12s %10.0f %10.0f %6lld %14.3f\n", k + 1, rb_table_str(t, (size_t)croute, r),
               t->cols[cfrom].d[r], t->cols[cto].d[r], (long long)t->cols[cobs].i[r], v ? atof(v) : NAN);
    }
    size_t by_rule[RB_NHS] = { 0 };
    for (size_t i = 0; i < hot->n; i++)
        by_rule[hot->rule[i]]++;
    printf("hotspots: %zu", hot->n);
    for (int r = 0; r < RB_NHS; r++)
        printf("%s%s %zu", r ? ", " : " (", rb_hotspot_rule_name(r), by_rule[r]);
    printf(")\n");
    free(order);
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
        printf("  %4zu  %-16s %13.0f %6lld %14.3f\n", k + 1, rb_table_str(t, (size_t)cid, r), t->cols[cent].d[r],
               (long long)t->cols[cobs].i[r], v ? atof(v) : NAN);
    }
    free(order);
}

#define NTIMINGS 6

/* The HSM's P for a confidence level of the critical rate. */
static double confidence_p(double level)
{
    static const double lv[] = { 0.85, 0.90, 0.95, 0.99, 0.995 }, pv[] = { 1.036, 1.282, 1.645, 2.326, 2.576 };
    for (int i = 0; i < 5; i++)
        if (fabs(level - lv[i]) < 1e-9)
            return pv[i];
    return NAN;
}

/* The next item of a comma list, trimmed of spaces, into buf; returns where
 * the item after it starts. */
static const char *list_item(const char *p, char *buf, size_t bufsz)
{
    size_t n = strcspn(p, ","), a = 0, b = n;
    while (a < b && p[a] == ' ') a++;
    while (b > a && p[b - 1] == ' ') b--;
    snprintf(buf, bufsz, "%.*s", (int)(b - a), p + a);
    return p + n + (p[n] == ',');
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
        p = list_item(p, item, sizeof item);
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
    long *col = malloc(ny * sizeof *col);
    double *v = malloc((net->nsegs ? net->nsegs : 1) * ny * sizeof *v);
    if (!col || !v) {
        free(col);
        free(v);
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
        free(col);
        free(v);
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
    free(col);
    *out = v;
    *ny_out = ny;
    return RB_OK;
}

/* Keys per segment: the values of the comma-listed road fields (config key
 * what), each followed by a unit separator. */
static int field_keys(const char *list, const char *what, const struct rb_roads *roads, char ***out,
                      struct rb_err *err)
{
    long cols[16];
    size_t nc = 0, nitems = 0;
    for (const char *p = list; *p; nitems++) {
        char name[128];
        p = list_item(p, name, sizeof name);
    }
    if (nitems > sizeof cols / sizeof *cols)
        return rb_err_set(err, RB_EINVAL, "%s: at most %zu fields", what, sizeof cols / sizeof *cols);
    for (const char *p = list; *p;) {
        char name[128];
        p = list_item(p, name, sizeof name);
        if ((cols[nc++] = rb_table_find(&roads->attrs, name)) < 0)
            return rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s)", roads->path, name, what);
    }
    char **key = calloc(roads->nsegs ? roads->nsegs : 1, sizeof *key);
    if (!key)
        return rb_err_nomem(err);
    for (size_t s = 0; s < roads->nsegs; s++) {
        char buf[1024] = "", v[256];
        for (size_t k = 0; k < nc; k++) {
            const char *t = rb_table_text(&roads->attrs, (size_t)cols[k], s, v, sizeof v);
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, "%s\x1f", t ? t : "");
        }
        if (!(key[s] = strdup(buf))) {
            for (size_t j = 0; j < s; j++)
                free(key[j]);
            free(key);
            return rb_err_nomem(err);
        }
    }
    *out = key;
    return RB_OK;
}

/* Intersections from the point layer of intersections.path: ids from
 * intersections.id (else the feature ids), volumes from intersections.major_aadt
 * and .minor_aadt (unknown when not mapped). */
static int junctions_from_layer(const struct rb_config *cfg, const struct rb_roads *roads, struct rb_junctions *j,
                                struct rb_log *log, struct rb_err *err)
{
    struct rb_points p;
    if (rb_io_read_points(cfg->int_path, cfg->int_layer, "intersections", roads->work_srs_wkt, &p, log, err))
        return err->code;
    const char *key[3] = { "intersections.id", "intersections.major_aadt", "intersections.minor_aadt" };
    const char *name[3] = { cfg->int_id, cfg->int_major, cfg->int_minor };
    long col[3];
    for (int k = 0; k < 3; k++)
        if (name[k] && (col[k] = rb_table_find(&p.attrs, name[k])) < 0) {
            rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s)", p.path, name[k], key[k]);
            rb_points_free(&p);
            return err->code;
        } else if (!name[k]) {
            col[k] = -1;
        }
    size_t m = p.n ? p.n : 1;
    char (*buf)[64] = malloc(m * sizeof *buf);
    const char **id = malloc(m * sizeof *id);
    double *vol = malloc(2 * m * sizeof *vol);
    int rc = !buf || !id || !vol ? rb_err_nomem(err) : RB_OK;
    for (size_t i = 0; i < p.n && !rc; i++) {
        id[i] = col[0] >= 0 ? rb_table_text(&p.attrs, (size_t)col[0], i, buf[i], sizeof buf[i]) : NULL;
        if (!id[i]) {
            snprintf(buf[i], sizeof buf[i], "%lld", (long long)p.fid[i]);
            id[i] = buf[i];
        }
        vol[i] = col[1] >= 0 ? rb_table_number(&p.attrs, (size_t)col[1], i) : NAN;
        vol[m + i] = col[2] >= 0 ? rb_table_number(&p.attrs, (size_t)col[2], i) : NAN;
    }
    if (!rc)
        rc = rb_junctions_from_points(p.n, p.xy, id, vol, vol + m, j, err);
    free(buf);
    free(id);
    free(vol);
    rb_points_free(&p);
    return rc;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reference populations from screen.population_by: each segment's population
 * (seg_pop) among the distinct keys in sorted order, and their names (the
 * values joined by ", "). */
struct populations {
    uint32_t *seg_pop;
    char **name;
    size_t n;
};

static void populations_free(struct populations *p)
{
    for (size_t k = 0; p->name && k < p->n; k++)
        free(p->name[k]);
    free(p->name);
    free(p->seg_pop);
    memset(p, 0, sizeof *p);
}

static int populations_build(const char *list, const struct rb_roads *roads, struct populations *p,
                             struct rb_err *err)
{
    memset(p, 0, sizeof *p);
    char **key = NULL;
    if (field_keys(list, "screen.population_by", roads, &key, err))
        return err->code;
    size_t n = roads->nsegs, m = n ? n : 1;
    char **sorted = malloc(m * sizeof *sorted);
    p->seg_pop = malloc(m * sizeof *p->seg_pop);
    p->name = calloc(m, sizeof *p->name);
    int rc = !sorted || !p->seg_pop || !p->name ? rb_err_nomem(err) : RB_OK;
    if (!rc) {
        memcpy(sorted, key, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, key_cmp);
        for (size_t i = 0; i < n && !rc; i++) {
            if (p->n && !strcmp(sorted[i], p->name[p->n - 1]))
                continue;
            if (!(p->name[p->n++] = strdup(sorted[i])))
                rc = rb_err_nomem(err);
        }
    }
    for (size_t i = 0; i < n && !rc; i++) {
        /* the population of a key: binary search among the distinct keys */
        size_t lo = 0, hi = p->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(p->name[mid], key[i]) < 0) lo = mid + 1; else hi = mid;
        }
        p->seg_pop[i] = (uint32_t)lo;
    }
    /* names: "rural, 2" from "rural\x1f2\x1f" */
    for (size_t k = 0; k < p->n && !rc; k++) {
        char *nm = malloc(2 * strlen(p->name[k]) + 1), *o = nm;
        if (!nm) {
            rc = rb_err_nomem(err);
            break;
        }
        for (const char *c = p->name[k]; *c; c++) {
            if (*c != '\x1f') {
                *o++ = *c;
            } else if (c[1]) {
                *o++ = ',';
                *o++ = ' ';
            }
        }
        *o = 0;
        free(p->name[k]);
        p->name[k] = nm;
    }
    free(sorted);
    for (size_t i = 0; i < n; i++)
        free(key[i]);
    free(key);
    if (rc)
        populations_free(p);
    return rc;
}

/* HSM peak searching (on base: the sections, else the segments) and the
 * continuous risk profile read the same crashes and write their own results. */
struct searches {
    const struct rb_sites *base;
    const struct rb_routes *routes;
    const struct rb_net *net;
    const struct rb_route_crash *c;
    size_t n;
    const struct rb_screen_opt *opt;
    const char *peak_measure;
    double peak_cv;
    struct rb_crp_opt crp_opt;
    int run[2];                 /* peak searching, risk profile */
    struct rb_peaks *peaks;
    struct rb_crp *crp;
    int rc[2];
    struct rb_err err[2];
};

static void run_searches(size_t from, size_t to, size_t part, void *ud)
{
    struct searches *s = ud;
    for (size_t k = from; k < to; k++) {
        if (k == 0 && s->run[0])
            s->rc[0] = rb_peak_search(s->base, s->c, s->n, s->opt, s->peak_measure, s->peak_cv, s->peaks, &s->err[0]);
        if (k == 1 && s->run[1])
            s->rc[1] = rb_crp(s->routes, s->net, s->c, s->n, s->opt, &s->crp_opt, s->crp, &s->err[1]);
    }
}

enum { JOB_MATCH, JOB_SCREEN, JOB_RUN };
static int run_job(int argc, char **argv, int job);

int cmd_match(int argc, char **argv)
{
    return run_job(argc, argv, JOB_MATCH);
}

int cmd_screen(int argc, char **argv)
{
    return run_job(argc, argv, JOB_SCREEN);
}

int cmd_run(int argc, char **argv)
{
    return run_job(argc, argv, JOB_RUN);
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

/* The plan, on stdout: what the budget buys. */
static int run_job(int argc, char **argv, int job)
{
    int screen = job != JOB_MATCH, planning = job == JOB_RUN;
    struct match_args a = { .cli = { .cmd = job == JOB_RUN ? "run" : screen ? "screen" : "match", .gdal = 1 }, .top = 5 };
    struct plan_stage ps;
    int have_plan = 0, have_routes = 0;
    struct rb_locate *locate = NULL;
    struct rb_lref lref = { 0 };
    struct overrides ovr = { 0 };
    struct plan_out po = { 0 };
    struct rb_out *work_csv = NULL;
    char *work_path = NULL;
    memset(&ps, 0, sizeof ps);
    struct rb_routes routes = { 0 };
    struct rb_sites seg_sites = { 0 }, windows = { 0 };
    struct rb_hotspots hot = { 0 };
    struct rb_peaks peaks = { 0 };
    struct rb_crp crp = { 0 };
    struct rb_sections sections = { 0 };
    struct rb_out_layer lsec;
    int built_sec = 0;
    char **sec_keys = NULL;
    double *aadt_yr = NULL;
    size_t n_aadt_yr = 0;
    struct rb_junctions juncs = { 0 };
    struct rb_sites int_sites = { 0 };
    struct rb_route_crash *jc = NULL;
    int64_t *jof = NULL;
    struct populations pops = { 0 };
    struct rb_out_layer li;
    int built_i = 0;
    struct rb_route_crash *rc_facts = NULL, *rc_sorted = NULL;
    double *chainage = NULL;
    uint8_t *urban = NULL, *crash_urban = NULL;
    int8_t *grade = NULL;
    struct rb_polys polys;
    struct rb_polyindex pix;
    int have_polys = 0, have_pix = 0;
    const char **route_keys = NULL;
    char (*route_buf)[40] = NULL;
    struct rb_spf spf;
    int have_spf = 0;
    struct rb_out_layer lw, lh;
    int built_w = 0, built_h = 0;
    struct rb_config cfg;
    struct rb_err err = { 0 };
    struct rb_log log = { 0 };
    struct rb_vocab vocab = { 0 };
    struct rb_costs costs = { 0 };
    struct rb_roads roads = { 0 };
    struct rb_net net = { 0 };
    struct rb_netindex ix = { 0 };
    struct rb_crashes crashes = { 0 };
    struct rb_match *match = NULL;
    struct rb_crash_fact *facts = NULL;
    struct rb_segstats stats = { 0 };
    struct rb_out_layer lc, ls;
    struct rb_out *out = NULL, *csv = NULL;
    struct rb_styles styles = { 0 };
    const char **ids = NULL;
    double *aadt = NULL;
    char *summary_path = NULL, *summary = NULL, *csv_path = NULL, *csv_c = NULL, *csv_s = NULL;
    int built_c = 0, built_s = 0;
    int rc = RB_EXIT_OK;
    const char *tnames[NTIMINGS] = { "read_roads", "build_network", "read_crashes", "match",
                                     "statistics", "write" };
    double t[NTIMINGS] = { 0 };

    rb_config_init(&cfg);
    const struct rb_opt *opts2 = planning ? run_opts() : screen ? screen_opts : NULL;
    rc = rb_cli_parse(&a.cli, argc, argv, match_opts, opts2, &cfg, on_opt, &a);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, a.cli.cmd, "--roads FILE --crashes FILE [options] -o OUT.gpkg",
                         match_opts, opts2, planning ? run_examples : screen ? screen_examples : match_examples);
        goto done;
    }
    if ((!cfg.roads_path && !(screen && cfg.int_path)) || !cfg.crashes_path || !a.output) {
        rb_cli_error("%s: needs --roads%s, --crashes and -o OUT; see 'rumble %s --help'", a.cli.cmd,
                     screen ? " (or --intersections)" : "", a.cli.cmd);
        rc = RB_EXIT_USAGE;
        goto done;
    }
    const char *screen_rank = NULL, *peak_measure = NULL, *jrank = NULL;
    int have_roads = cfg.roads_path != NULL;
    double conf_p = NAN;
    int target_type = -1;
    unsigned rules = 0;
    if (screen) {
        screen_rank = cfg.rank_by ? cfg.rank_by : cfg.spf ? "excess_per_yr" : "epdo_per_yr";
        conf_p = confidence_p(cfg.confidence);
        if (!rb_sites_measure_known(screen_rank)) {
            size_t nm;
            const char *const *mn = rb_sites_measure_names(&nm);
            rb_cli_error("screen: cannot rank by '%s'; the measures are:", screen_rank);
            for (size_t k = 0; k < nm; k++)
                fprintf(stderr, "  %s\n", mn[k]);
            rc = RB_EXIT_USAGE;
            goto done;
        }
        if (conf_p != conf_p) {
            rb_cli_error("screen: --confidence wants 0.85, 0.90, 0.95, 0.99 or 0.995");
            rc = RB_EXIT_USAGE;
            goto done;
        }
        if (cfg.target_type) {
            char key[64];
            rb_key_normalise(cfg.target_type, key, sizeof key);
            target_type = rb_crash_type_parse(key);
            if (target_type < 0 || target_type == RB_CT_UNKNOWN) {
                rb_cli_error("screen: screen.target_type '%s' is not a crash type (run_off_road, head_on, ...)",
                             cfg.target_type);
                rc = RB_EXIT_USAGE;
                goto done;
            }
        }
        if (cfg.entering && strcmp(cfg.entering, "half") && strcmp(cfg.entering, "sum")) {
            rb_cli_error("screen: screen.entering is 'half' (half the legs' AADT, the default) or 'sum'");
            rc = RB_EXIT_USAGE;
            goto done;
        }
        if (parse_rules(cfg.hotspot_rules, &rules)) {
            rb_cli_error("screen: screen.hotspot_rules '%s': use crash_concentration, sliding_window,"
                         " peak_search and crp, separated by commas", cfg.hotspot_rules);
            rc = RB_EXIT_USAGE;
            goto done;
        }
        /* peak searching needs a measure of the site alone, not of its population */
        static const char *const own[] = { "freq_per_yr", "epdo", "epdo_per_yr", "pred_per_yr",
                                           "excess_spf_per_yr", "eb_per_yr", "eb_epdo_per_yr", "excess_per_yr" };
        peak_measure = cfg.spf ? "excess_per_yr" : "epdo_per_yr";
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            if (!strcmp(screen_rank, own[k]))
                peak_measure = own[k];
        if (!(cfg.window_m > 0) || !(cfg.step_m > 0) || !(cfg.crp_window_m > 0 || cfg.crp_window_m != cfg.crp_window_m)) {
            rb_cli_error("screen: --window, --step and screen.crp_window_m must be positive");
            rc = RB_EXIT_USAGE;
            goto done;
        }
    } else if (!rb_rank_measure(cfg.rank_by)) {
        rb_cli_error("match: cannot rank by '%s'; see 'rumble match --help'", cfg.rank_by);
        rc = RB_EXIT_USAGE;
        goto done;
    }
    struct rb_progress prog = { rb_cli_progress, &a.cli };
    rb_io_init();

    if (rb_vocab_read(cfg.data_dir, &vocab, &err) || rb_costs_read(cfg.data_dir, &costs, &err)) {
        rc = rb_cli_fail(&err);
        goto done;
    }
    double weight[5];
    rb_epdo_weights(costs.cost, weight);
    for (int k = 0; k < 5; k++)
        if (cfg.epdo_weight[k] == cfg.epdo_weight[k])
            weight[k] = cfg.epdo_weight[k];

    double t0 = rb_now_s();
    /* without roads (screening an intersection layer alone) the CRSs come from the intersections */
    if (cfg.roads_path ? rb_io_read_roads(&cfg, &roads, &prog, &log, &err)
                       : rb_io_roads_none(cfg.int_path, cfg.int_layer, "intersections", &roads, &err))
        goto fail;
    if (cfg.output_crs && rb_roads_output_crs(&roads, cfg.output_crs, &err))
        goto fail;
    t[0] = rb_now_s() - t0;

    /* the network's plain input: ids and AADT from the mapped fields */
    t0 = rb_now_s();
    size_t nseg1 = roads.nsegs ? roads.nsegs : 1;
    ids = calloc(nseg1, sizeof *ids);
    aadt = malloc(nseg1 * sizeof *aadt);
    char (*fidbuf)[24] = malloc(nseg1 * sizeof *fidbuf);
    if (!ids || !aadt || !fidbuf) {
        free(fidbuf);
        rb_err_nomem(&err);
        goto fail;
    }
    for (size_t s = 0; s < roads.nsegs; s++) {
        const char *id = NULL;
        if (roads.col_id >= 0)
            id = rb_table_text(&roads.attrs, (size_t)roads.col_id, s, fidbuf[s], sizeof fidbuf[s]);
        if (!id) {
            snprintf(fidbuf[s], sizeof fidbuf[s], "%lld", (long long)roads.fid[s]);
            id = fidbuf[s];
        }
        ids[s] = id;
        aadt[s] = roads.col_aadt >= 0 ? rb_table_number(&roads.attrs, (size_t)roads.col_aadt, s) : NAN;
    }
    struct rb_net_input nin = { roads.nsegs, roads.part0, roads.pt0, roads.xy, ids, aadt,
                                cfg.node_snap_m };
    int brc = rb_net_build(&nin, &net, &log, roads.path, &err);
    free(fidbuf);
    if (brc || rb_netindex_build(&net, &ix, &err))
        goto fail;
    t[1] = rb_now_s() - t0;

    t0 = rb_now_s();
    if (rb_io_read_crashes(&cfg, &vocab, &roads, &crashes, &prog, &log, &err))
        goto fail;
    t[2] = rb_now_s() - t0;

    t0 = rb_now_s();
    match = malloc((crashes.n ? crashes.n : 1) * sizeof *match);
    if (!match) {
        rb_err_nomem(&err);
        goto fail;
    }
    grade = seg_grades(&roads, &vocab);
    if (!grade && (roads.col_layer >= 0 || roads.col_bridge >= 0 || roads.col_tunnel >= 0)) {
        rb_err_nomem(&err);
        goto fail;
    }
    struct rb_match_opt mopt = { cfg.tolerance_m, cfg.ambiguous_margin_m, cfg.junction_radius_m, cfg.grade_margin_m,
                                 grade };
    if (rb_match_points(&net, &ix, &mopt, &crashes.c[0].x, &crashes.c[0].y, &crashes.c[0].xy_status,
                        sizeof *crashes.c, crashes.n, match, &prog, &err))
        goto fail;
    /* routes: for screening, and to place crashes by road and measure */
    int lr_on = cfg.measure_field != NULL && have_roads;
    if (screen || lr_on || cfg.overrides_path) {
        route_keys = calloc(roads.nsegs ? roads.nsegs : 1, sizeof *route_keys);
        route_buf = malloc((roads.nsegs ? roads.nsegs : 1) * sizeof *route_buf);
        urban = calloc(roads.nsegs ? roads.nsegs : 1, 1);
        if (!route_keys || !route_buf || !urban) {
            rb_err_nomem(&err);
            goto fail;
        }
        int osm = rb_io_is_osm(roads.path);
        for (size_t s2 = 0; s2 < roads.nsegs; s2++) {
            if (roads.col_route >= 0)
                route_keys[s2] = rb_table_text(&roads.attrs, (size_t)roads.col_route, s2, route_buf[s2],
                                               sizeof route_buf[s2]);
            /* OpenStreetMap: a street without a ref is chained by its name */
            if (osm && (!route_keys[s2] || !*route_keys[s2]) && roads.col_name >= 0)
                route_keys[s2] = rb_table_text(&roads.attrs, (size_t)roads.col_name, s2, route_buf[s2],
                                               sizeof route_buf[s2]);
            if (roads.col_area >= 0) {
                char b2[40];
                urban[s2] = (uint8_t)rb_cli_is_urban(&vocab, rb_table_text(&roads.attrs, (size_t)roads.col_area, s2, b2, sizeof b2));
            }
        }
        if (rb_routes_build(&net, route_keys, &routes, &err))
            goto fail;
        have_routes = 1;
    }
    if (locate_crashes(&cfg, &roads, &net, &ix, &mopt, have_routes ? &routes : NULL, &crashes, match, lr_on, &locate, &lref,
                       &ovr, &log, &err))
        goto fail;
    t[3] = rb_now_s() - t0;
    rb_cli_progress_done(&a.cli);

    t0 = rb_now_s();
    facts = malloc((crashes.n ? crashes.n : 1) * sizeof *facts);
    if (!facts) {
        rb_err_nomem(&err);
        goto fail;
    }
    for (size_t i = 0; i < crashes.n; i++)
        facts[i] = (struct rb_crash_fact){ match[i].seg, crashes.c[i].date_days, crashes.c[i].severity };
    struct rb_period period = rb_study_period(cfg.year_from, cfg.year_to, facts, crashes.n);
    if (!period.from_year)
        rb_warn(&log, RB_W_PERIOD, "no study period: no crash has a date and none is configured;"
                " per-year figures are left empty (set study.from_year and study.to_year)");
    if (cfg.road_aadt_year && aadt_by_year(&cfg, &roads, &period, &net, &aadt_yr, &n_aadt_yr, &err))
        goto fail;
    if (rb_segstats_compute(&net, facts, crashes.n, &period, weight, &stats, &err))
        goto fail;
    if (screen) {
        /* the SPF: an id in data/spf, or a file */
        if (cfg.spf) {
            char path[4096];
            if (strchr(cfg.spf, '/') || strstr(cfg.spf, ".json"))
                snprintf(path, sizeof path, "%s", cfg.spf);
            else
                snprintf(path, sizeof path, "%s/spf/%s.json",
                         cfg.data_dir ? cfg.data_dir : getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR")
                                                                                 : RB_DATADIR_CLI, cfg.spf);
            if (rb_spf_read(path, &spf, &err))
                goto fail;
            if (cfg.calibration == cfg.calibration)
                spf.calibration = cfg.calibration;
            have_spf = 1;
        }
        rc_facts = malloc((crashes.n ? crashes.n : 1) * sizeof *rc_facts);
        chainage = malloc((crashes.n ? crashes.n : 1) * sizeof *chainage);
        if (!rc_facts || !chainage) {
            rb_err_nomem(&err);
            goto fail;
        }
        for (size_t i = 0; i < crashes.n; i++) {
            int64_t sg = match[i].seg;
            chainage[i] = sg >= 0 ? rb_routes_chainage(&routes, &net, (size_t)sg, match[i].measure_m) : NAN;
            rc_facts[i] = (struct rb_route_crash){ sg >= 0 ? (int64_t)routes.route_of[sg] : -1, chainage[i], sg,
                                                   crashes.c[i].date_days, crashes.c[i].severity,
                                                   crashes.c[i].crash_type };
        }
        /* one sort by route and chainage serves every count along the routes */
        if (rb_route_crash_sort(rc_facts, crashes.n, &rc_sorted, &err))
            goto fail;
        double rsi_cost[RB_NCT];
        rb_rsi_costs(rc_facts, crashes.n, &period, costs.cost, rsi_cost);
        struct rb_screen_opt sopt = { cfg.window_m, cfg.step_m, conf_p, have_spf ? &spf : NULL, weight, &period,
                                      rsi_cost, target_type, aadt_yr, n_aadt_yr };
        if (rb_sites_segments(&routes, &net, &seg_sites, &err))
            goto fail;
        if (cfg.population_by &&
            (populations_build(cfg.population_by, &roads, &pops, &err) ||
             rb_sites_populations(&seg_sites, &routes, pops.seg_pop, pops.n, RB_BY_SEGMENT, &err)))
            goto fail;
        if ((aadt_yr && rb_sites_aadt_years(&seg_sites, &routes, aadt_yr, n_aadt_yr, RB_BY_SEGMENT, &err)) ||
            rb_sites_count(&seg_sites, rc_facts, crashes.n, &sopt, RB_BY_SEGMENT, &err) ||
            rb_sites_measures(&seg_sites, &sopt, screen_rank, &err) ||
            rb_sites_windows(&routes, &net, &sopt, &windows, &err))
            goto fail;
        if ((aadt_yr && rb_sites_aadt_years(&windows, &routes, aadt_yr, n_aadt_yr, RB_BY_CHAINAGE, &err)) ||
            (pops.n && rb_sites_populations(&windows, &routes, pops.seg_pop, pops.n, RB_BY_CHAINAGE, &err)) ||
            rb_sites_count(&windows, rc_sorted, crashes.n, &sopt, RB_BY_CHAINAGE, &err) ||
            rb_sites_measures(&windows, &sopt, screen_rank, &err))
            goto fail;
        /* settlements from polygons: a crash is inside by its point on the road */
        if (cfg.settle_path) {
            if (rb_io_read_polys(cfg.settle_path, cfg.settle_layer, "settlements", roads.work_srs_wkt, &polys, &err))
                goto fail;
            have_polys = 1;
            crash_urban = calloc(crashes.n ? crashes.n : 1, 1);
            if (!crash_urban || rb_polyindex_build(polys.npolys, polys.ring0, polys.pt0, polys.xy, &pix)) {
                rb_err_nomem(&err);
                goto fail;
            }
            have_pix = 1;
            for (size_t i = 0; i < crashes.n; i++)
                if (match[i].seg >= 0)
                    crash_urban[i] = rb_polyindex_find(&pix, match[i].px, match[i].py) >= 0;
        }
        if (cfg.sections_by) {
            /* homogeneous sections: their crashes are their segments' */
            struct rb_route_crash *sc = malloc((crashes.n ? crashes.n : 1) * sizeof *sc);
            int src = !sc ? rb_err_nomem(&err)
                          : field_keys(cfg.sections_by, "screen.sections_by", &roads, &sec_keys, &err);
            /* a section never straddles two reference populations */
            for (size_t s2 = 0; s2 < roads.nsegs && pops.n && !src; s2++) {
                char *k2 = malloc(strlen(sec_keys[s2]) + 16);
                if (!k2) {
                    src = rb_err_nomem(&err);
                    break;
                }
                sprintf(k2, "%s\x1e%u", sec_keys[s2], pops.seg_pop[s2]);
                free(sec_keys[s2]);
                sec_keys[s2] = k2;
            }
            if (!src)
                src = rb_sections_build(&routes, &net, (const char *const *)sec_keys, aadt_yr, n_aadt_yr, &sections,
                                        &err);
            for (size_t i = 0; i < crashes.n && !src; i++) {
                sc[i] = rc_facts[i];
                sc[i].seg = sc[i].seg >= 0 ? (int64_t)sections.sec_of[sc[i].seg] : -1;
            }
            if (!src && pops.n) {
                uint32_t *sp = malloc((sections.s.n ? sections.s.n : 1) * sizeof *sp);
                for (size_t k = 0; sp && k < sections.s.n; k++)
                    sp[k] = pops.seg_pop[sections.first_seg[k]];
                src = !sp ? rb_err_nomem(&err)
                          : rb_sites_populations(&sections.s, &routes, sp, pops.n, RB_BY_SEGMENT, &err);
                free(sp);
            }
            if (!src && !(src = rb_sites_count(&sections.s, sc, crashes.n, &sopt, RB_BY_SEGMENT, &err)))
                src = rb_sites_measures(&sections.s, &sopt, screen_rank, &err);
            free(sc);
            if (src)
                goto fail;
        }
        struct rb_ccs_opt copt = { cfg.ccs_max_len_m, cfg.ccs_max_len_urban_m, cfg.ccs_days, cfg.ccs_same_type,
                                   cfg.ccs_any_type, urban, crash_urban };
        if (rb_crash_concentration(&routes, rc_facts, crashes.n, &copt, &hot, &err))
            goto fail;
        if (!(rules & 1 << RB_HS_CCS))
            hot.n = 0;
        /* intersections: a point layer's, or the nodes of three or more legs; and the crashes within
         * the radius */
        if (cfg.int_path ? junctions_from_layer(&cfg, &roads, &juncs, &log, &err)
                         : rb_junctions_from_net(&net, &routes, cfg.entering && !strcmp(cfg.entering, "sum"), &juncs,
                                                 &err))
            goto fail;
        jc = malloc((crashes.n ? crashes.n : 1) * sizeof *jc);
        double *jx = malloc((crashes.n ? crashes.n : 1) * 2 * sizeof *jx);
        uint8_t *jok = malloc(crashes.n ? crashes.n : 1);
        jof = malloc((crashes.n ? crashes.n : 1) * sizeof *jof);
        int jrc = !jc || !jx || !jok || !jof ? rb_err_nomem(&err) : RB_OK;
        for (size_t i = 0; i < crashes.n && !jrc; i++) {
            jx[i] = crashes.c[i].x;
            jx[crashes.n + i] = crashes.c[i].y;
            jok[i] = crashes.c[i].xy_status == RB_XY_OK;
        }
        if (!jrc)
            jrc = rb_junctions_assign(&juncs, jx, jx + crashes.n, jok, crashes.n, cfg.int_radius_m, jof, &err);
        for (size_t i = 0; i < crashes.n && !jrc; i++) {
            jc[i] = rc_facts[i];
            jc[i].seg = jof[i];
        }
        free(jx);
        free(jok);
        if (jrc)
            goto fail;
        /* segment SPFs do not apply to intersections: their measures are the SPF-free ones */
        struct rb_screen_opt jopt = sopt;
        jopt.spf = NULL;
        const double *probe = rb_sites_measure(&seg_sites, screen_rank);
        jrank = screen_rank;
        if (probe == seg_sites.pred_per_yr || probe == seg_sites.eb_per_yr || probe == seg_sites.excess_per_yr ||
            probe == seg_sites.excess_spf_per_yr || probe == seg_sites.loss || probe == seg_sites.eb_epdo_per_yr)
            jrank = "epdo_per_yr";
        if (rb_sites_points(juncs.n, juncs.entering, &int_sites, &err) ||
            rb_sites_count(&int_sites, jc, crashes.n, &jopt, RB_BY_SEGMENT, &err) ||
            rb_sites_measures(&int_sites, &jopt, jrank, &err))
            goto fail;
        if ((rules & 1 << RB_HS_SLIDING) &&
            rb_hotspots_top(&hot, RB_HS_SLIDING, (size_t)cfg.hotspot_top, windows.n, windows.route, windows.from_m,
                            windows.to_m, rb_sites_measure(&windows, screen_rank), windows.n_obs, &err))
            goto fail;
        /* peak searching and the risk profile run side by side; their hotspots follow in rule order */
        struct searches se = { cfg.sections_by ? &sections.s : &seg_sites, &routes, &net, rc_sorted, crashes.n,
                               &sopt, peak_measure, cfg.peak_cv,
                               { cfg.step_m, cfg.crp_window_m == cfg.crp_window_m ? cfg.crp_window_m : cfg.window_m,
                                 (unsigned)cfg.crp_min_crashes },
                               { (rules & 1 << RB_HS_PEAK) != 0, (rules & 1 << RB_HS_CRP) != 0 }, &peaks, &crp,
                               { RB_OK, RB_OK }, { { 0 }, { 0 } } };
        rb_parallel_for(2, 2, run_searches, &se);
        for (int k = 0; k < 2; k++)
            if (se.rc[k]) {
                err = se.err[k];
                goto fail;
            }
        if ((se.run[0] && rb_hotspots_top(&hot, RB_HS_PEAK, (size_t)cfg.hotspot_top, peaks.n, se.base->route,
                                          peaks.from_m, peaks.to_m, peaks.value, peaks.n_obs, &err)) ||
            (se.run[1] && rb_hotspots_top(&hot, RB_HS_CRP, (size_t)cfg.hotspot_top, crp.nruns, crp.run_route,
                                          crp.run_from_m, crp.run_to_m, crp.run_excess_per_yr, crp.run_n_obs, &err)))
            goto fail;
    }
    if (planning) {
        if (!have_roads) {
            rb_err_set(&err, RB_EUSAGE, "run: planning needs --roads");
            goto fail;
        }
        struct rb_plan_crash *pc = NULL;
        int64_t *pseg = NULL;
        uint8_t *pcounted = NULL;
        int prc = plan_stage_crashes(&crashes, match, &period, &pc, &pseg, &pcounted) ? rb_err_nomem(&err) : RB_OK;
        if (!prc) {
            struct plan_stage_in pin = { &cfg, &costs, &roads, &net, &routes, &seg_sites, &hot, crashes.n, pc, pseg,
                                         chainage, pcounted, roads.col_area >= 0 ? urban : NULL, &vocab,
                                         have_pix ? &pix : NULL, &juncs, &int_sites, jof };
            prc = plan_stage_run(&ps, &pin, &err);
        }
        rb_free(pc);
        rb_free(pseg);
        rb_free(pcounted);
        if (prc)
            goto fail;
        have_plan = 1;
    }
    t[4] = rb_now_s() - t0;

    rb_cli_warnings(&a.cli, &log);
    if (a.strict && rb_log_total(&log)) {
        rb_cli_error("match: %zu warnings and --strict: no output written", rb_log_total(&log));
        rc = RB_EXIT_STRICT;
        goto done;
    }

    t0 = rb_now_s();
    struct rb_match_run run = { &cfg, &roads, &net, &crashes, match, &period, &stats, weight,
                                &costs, &log, screen ? &routes : NULL, chainage, screen ? &seg_sites : NULL,
                                screen ? &windows : NULL, screen ? &hot : NULL, have_spf ? &spf : NULL,
                                screen_rank, peak_measure, screen ? &juncs : NULL, screen ? &int_sites : NULL,
                                cfg.sections_by && screen ? &sections : NULL, screen ? jof : NULL,
                                pops.n ? (const char *const *)pops.name : NULL, pops.n,
                                have_plan ? &ps.plan : NULL, have_plan ? &ps.cat : NULL, ps.nsites,
                                have_plan ? &ps.works : NULL, locate, cfg.measure_field ? &lref : NULL,
                                cfg.overrides_path ? ovr.applied : 0, cfg.overrides_path ? ovr.stale : 0 };
    if (rb_report_crashes(&run, &lc, &err))
        goto fail;
    built_c = 1;
    /* without roads there are only crashes and intersections to write */
    struct rb_layer *layers[10];
    size_t nlayers = 0;
    layers[nlayers++] = &lc.layer;
    if (have_roads) {
        if (rb_report_segments(&run, &ls, &err))
            goto fail;
        built_s = 1;
        layers[nlayers++] = &ls.layer;
        if (rb_io_to_output_crs(&roads, ls.xy, ls.pt_off[ls.part_off[ls.layer.nrows]], &err))
            goto fail;
    }
    if (screen) {
        if (rb_report_windows(&run, &lw, &err))
            goto fail;
        built_w = 1;
        if (rb_report_hotspots(&run, &lh, &err))
            goto fail;
        built_h = 1;
        if (rb_report_intersections(&run, &li, &err))
            goto fail;
        built_i = 1;
        if (rb_io_to_output_crs(&roads, li.xy, li.layer.nrows, &err))
            goto fail;
        if (run.sections) {
            if (rb_report_sections(&run, &lsec, &err))
                goto fail;
            built_sec = 1;
            if (rb_io_to_output_crs(&roads, lsec.xy, lsec.pt_off[lsec.part_off[lsec.layer.nrows]], &err))
                goto fail;
        }
        if (rb_io_to_output_crs(&roads, lw.xy, lw.pt_off[lw.part_off[lw.layer.nrows]], &err) ||
            rb_io_to_output_crs(&roads, lh.xy, lh.pt_off[lh.part_off[lh.layer.nrows]], &err))
            goto fail;
        if (have_roads) {
            layers[nlayers++] = &lw.layer;
            layers[nlayers++] = &lh.layer;
        }
        if (have_plan) {
            if (plan_out_build(&po, &ps, &run, &roads, &err))
                goto fail;
            for (int k = 0; k < 3; k++)
                layers[nlayers++] = po.layers[k];
        }
        layers[nlayers++] = &li.layer;
        if (built_sec)
            layers[nlayers++] = &lsec.layer;
    }
    char layer_list[160] = "";
    for (size_t k = 0; k < nlayers; k++)
        snprintf(layer_list + strlen(layer_list), sizeof layer_list - strlen(layer_list), "%s%s", k ? ", " : "",
                 layers[k]->name);
    if (rb_out_open(a.output, roads.src_srs_wkt, &out, &err))
        goto fail;
    rb_out_set_spatial_index(out, a.spatial_index);
    size_t unindexed = 0;
    if (rb_cli_write_layers(out, layers, nlayers, have_plan ? &ps.cat : NULL, &styles, &unindexed, &err))
        goto fail;
    if (unindexed && a.spatial_index == RB_SPATIAL_INDEX_AUTO && !a.cli.quiet && strstr(a.output, ".gpkg"))
        fprintf(stderr, "rumble: note: layers over %d features were written without a spatial index"
                " (fast to write); add one with --spatial-index yes or in QGIS\n", RB_SPATIAL_INDEX_AUTO_MAX);
    if (a.csv) {
        csv_path = rb_cli_swap_ext(a.output, ".csv");
        if (!csv_path) {
            rb_err_nomem(&err);
            goto fail;
        }
        if (rb_out_open(csv_path, roads.src_srs_wkt, &csv, &err) ||
            rb_out_write(csv, &lc.layer, &err) || (have_roads && rb_out_write(csv, &ls.layer, &err)))
            goto fail;
    }
    if (have_plan) {   /* the crews' list, sorted by route and chainage */
        work_path = rb_cli_swap_ext(a.output, "_work.csv");
        if (!work_path) {
            rb_err_nomem(&err);
            goto fail;
        }
        if (rb_out_open(work_path, NULL, &work_csv, &err) || rb_out_write(work_csv, &po.list.layer, &err))
            goto fail;
    }
    summary_path = a.summary ? strdup(a.summary) : rb_cli_swap_ext(a.output, ".json");
    if (!summary_path) {
        rb_err_nomem(&err);
        goto fail;
    }
    /* commit in order: the data first, the summary that describes it last */
    int c1 = rb_out_commit(out, &err);
    out = NULL;
    if (c1)
        goto fail;
    if (csv) {
        int c2 = rb_out_commit(csv, &err);
        csv = NULL;
        if (c2)
            goto fail;
    }
    if (work_csv) {
        int c3 = rb_out_commit(work_csv, &err);
        work_csv = NULL;
        if (c3)
            goto fail;
    }
    t[5] = rb_now_s() - t0;
    const char *outputs[5];
    size_t nout = 0;
    outputs[nout++] = a.output;
    if (a.csv) {
        csv_c = rb_cli_swap_ext(a.output, "_crashes.csv");
        outputs[nout++] = csv_c ? csv_c : "";
        if (have_roads) {
            csv_s = rb_cli_swap_ext(a.output, "_segments.csv");
            outputs[nout++] = csv_s ? csv_s : "";
        }
    }
    if (work_path)
        outputs[nout++] = work_path;
    outputs[nout++] = summary_path;
    summary = rb_report_summary(&run, outputs, nout, a.no_timings ? NULL : tnames, t, NTIMINGS);
    if (!summary) {
        rb_err_nomem(&err);
        goto fail;
    }
    if (rb_io_write_text(summary_path, summary, &err))
        goto fail;

    /* what happened, on stdout */
    size_t matched = 0, amb = 0, junc = 0, reasons[RB_NUNM] = { 0 };
    for (size_t i = 0; i < crashes.n; i++) {
        if (match[i].seg >= 0) {
            matched++;
            amb += match[i].ambiguous;
            junc += match[i].junction;
        } else {
            reasons[match[i].reason]++;
        }
    }
    if (!a.cli.quiet) {
        printf("crashes: %zu from %zu records; matched %zu (%.1f%%; %zu ambiguous, %zu at junctions)",
               crashes.n, crashes.nrecords, matched, crashes.n ? 100.0 * matched / crashes.n : 0.0,
               amb, junc);
        printf("; unmatched %zu", crashes.n - matched);
        const char *sep = " (";
        for (int r = 1; r < RB_NUNM; r++) {
            if (reasons[r]) {
                printf("%s%s %zu", sep, rb_unmatched_name(r), reasons[r]);
                sep = ", ";
            }
        }
        printf("%s\n", crashes.n - matched ? ")" : "");
        if (period.from_year && have_roads)
            printf("study period: %d-%d, %zu crashes counted on %zu segments\n", period.from_year,
                   period.to_year, stats.counted, net.nsegs);
        else if (period.from_year)
            printf("study period: %d-%d\n", period.from_year, period.to_year);
        if (screen && have_roads)
            print_top_windows(&lw, screen_rank, &hot, (size_t)a.top);
        else if (screen)
            print_top_intersections(&li, jrank, (size_t)a.top);
        else
            print_top(&ls, rb_rank_measure(cfg.rank_by), (size_t)a.top);
        if (have_plan)
            plan_stage_print(&ps, &routes);
        printf("wrote %s (layers %s)", a.output, layer_list);
        for (size_t k = 1; k < nout; k++)
            printf(", %s", outputs[k]);
        printf("\n");
    }
    goto done;

fail:
    rb_cli_progress_done(&a.cli);
    rc = rb_cli_fail(&err);
done:
    rb_out_abort(out);
    rb_out_abort(csv);
    if (built_c)
        rb_out_layer_free(&lc);
    if (built_s)
        rb_out_layer_free(&ls);
    if (built_w)
        rb_out_layer_free(&lw);
    if (built_h)
        rb_out_layer_free(&lh);
    plan_out_free(&po);
    rb_out_abort(work_csv);
    free(work_path);
    plan_stage_free(&ps);
    if (built_i)
        rb_out_layer_free(&li);
    rb_junctions_free(&juncs);
    rb_sites_free(&int_sites);
    free(jc);
    free(jof);
    populations_free(&pops);
    rb_routes_free(&routes);
    rb_lref_free(&lref);
    free(locate);
    rb_sites_free(&seg_sites);
    rb_sites_free(&windows);
    rb_hotspots_free(&hot);
    rb_peaks_free(&peaks);
    rb_crp_free(&crp);
    rb_sections_free(&sections);
    if (built_sec)
        rb_out_layer_free(&lsec);
    for (size_t k = 0; sec_keys && k < roads.nsegs; k++)
        free(sec_keys[k]);
    free(sec_keys);
    free(aadt_yr);
    free(rc_facts);
    rb_free(rc_sorted);
    free(chainage);
    free(urban);
    free(crash_urban);
    if (have_pix)
        rb_polyindex_free(&pix);
    if (have_polys)
        rb_polys_free(&polys);
    free(route_keys);
    free(route_buf);
    free(summary_path);
    free(csv_path);
    free(csv_c);
    free(csv_s);
    rb_free(summary);
    free(ids);
    free(aadt);
    free(match);
    free(facts);
    rb_segstats_free(&stats);
    rb_crashes_free(&crashes);
    rb_netindex_free(&ix);
    rb_net_free(&net);
    rb_roads_free(&roads);
    rb_vocab_free(&vocab);
    rb_free(grade);
    rb_styles_free(&styles);
    rb_log_free(&log);
    rb_config_free(&cfg);
    rb_io_cleanup();
    return rc;
}
