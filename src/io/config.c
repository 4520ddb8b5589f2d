/* io/config: the JSON project config and the domain data files (cJSON). */
#include "io/internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RB_DATADIR
#define RB_DATADIR "data"
#endif

/* A number's row default into cfg: its value, NaN (none given) for a default
 * in words; counts and years without one are 0. */
static void number_default(struct rb_config *cfg, const struct rb_config_key *k)
{
    void *field = (char *)cfg + k->off;
    double v = NAN;
    if (k->dflt && !rb_parse_double(k->dflt, &v))
        v = NAN;                         /* a default in words: the code's own when unset */
    if (k->type == RB_KEY_NUM)
        *(double *)field = v;            /* NaN: none given */
    else if (k->type == RB_KEY_COUNT || k->type == RB_KEY_YEAR)
        *(int *)field = v == v ? (int)v : 0;
}

void rb_config_init(struct rb_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    size_t n;
    const struct rb_config_key *k = rb_config_keys(&n);
    for (size_t i = 0; i < n; i++)
        number_default(cfg, &k[i]);
}

static void valmap_free(struct rb_valmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        rb_free(m->from[i]);
    rb_free(m->from);
    rb_free(m->to);
    memset(m, 0, sizeof *m);
}

static int valmap_add(struct rb_valmap *m, const char *from, int to)
{
    char key[256];
    rb_key_normalise(from, key, sizeof key);
    char *k = rb_strdup(key);
    char **nf = k ? rb_realloc(m->from, (m->n + 1) * sizeof *nf) : NULL;
    if (!nf) {
        rb_free(k);
        return RB_ENOMEM;
    }
    m->from = nf;
    int *nt = rb_realloc(m->to, (m->n + 1) * sizeof *nt);
    if (!nt) {
        rb_free(k);
        return RB_ENOMEM;
    }
    m->to = nt;
    m->from[m->n] = k;
    m->to[m->n++] = to;
    return RB_OK;
}

static int valmap_get(const struct rb_valmap *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->from[i], key) == 0)
            return m->to[i];
    return -1;
}

/* Sets from → to, replacing an earlier code of the same value: a config's map
 * entry wins over its preset's, a flag's over both. */
static int valmap_set(struct rb_valmap *m, const char *from, int to)
{
    char key[256];
    rb_key_normalise(from, key, sizeof key);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->from[i], key) == 0) {
            m->to[i] = to;
            return RB_OK;
        }
    return valmap_add(m, from, to);
}

int rb_vocab_code(const struct rb_valmap *field_map, const struct rb_valmap *synonyms,
                  int (*canonical)(const char *), const char *raw)
{
    char key[256];
    rb_key_normalise(raw, key, sizeof key);
    int c = field_map ? valmap_get(field_map, key) : -1;
    if (c < 0)
        c = canonical(key);
    if (c < 0 && synonyms)
        c = valmap_get(synonyms, key);
    return c;
}

void rb_config_free(struct rb_config *cfg)
{
    if (!cfg)
        return;
    char **strs[] = {
        &cfg->roads_path, &cfg->roads_layer, &cfg->roads_crs, &cfg->road_id, &cfg->road_route,
        &cfg->road_name, &cfg->road_aadt, &cfg->road_speed, &cfg->road_lanes, &cfg->road_area,
        &cfg->road_shoulder, &cfg->road_bridge, &cfg->road_divided, &cfg->road_lit, &cfg->systemic, &cfg->assets_path, &cfg->assets_layer, &cfg->assets_crs, &cfg->assets_cm, &cfg->assets_dir, &cfg->assets_id, &cfg->road_tunnel, &cfg->road_layer, &cfg->placement, &cfg->drive_side,
        &cfg->road_aadt_year, &cfg->settle_path, &cfg->settle_layer, &cfg->sections_by, &cfg->population_by, &cfg->crashes_path, &cfg->crashes_layer, &cfg->crashes_crs, &cfg->encoding, &cfg->crashes_where, &cfg->output_crs,
        &cfg->x_field, &cfg->y_field, &cfg->id_field, &cfg->date_field, &cfg->date_format,
        &cfg->time_field, &cfg->group_by, &cfg->road_field, &cfg->surface.field,
        &cfg->weather.field, &cfg->vehicle.field, &cfg->severity.field, &cfg->crash_type.field, &cfg->light.field, &cfg->street_lit.field,
        &cfg->rank_by, &cfg->accept, &cfg->units, &cfg->spf, &cfg->data_dir, &cfg->config_path, &cfg->target_type,
        &cfg->hotspot_rules, &cfg->int_path, &cfg->int_layer, &cfg->int_id, &cfg->int_major,
        &cfg->int_minor, &cfg->int_legs, &cfg->int_control, &cfg->int_major_lanes, &cfg->int_area, &cfg->int_spf, &cfg->spf_fields, &cfg->int_spf_fields, &cfg->entering, &cfg->catalogue, &cfg->objective, &cfg->combine, &cfg->plan_rank_by, &cfg->severity_costs, &cfg->budgets, &cfg->carry_over, &cfg->allow_unrated, &cfg->price_index, &cfg->crash_costs, &cfg->prices,
        &cfg->measure_field, &cfg->measure_unit, &cfg->markers_path, &cfg->markers_layer, &cfg->markers_route,
        &cfg->markers_value, &cfg->overrides_path, &cfg->direction_field, &cfg->osm_highways,
        &cfg->preset
    };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        rb_free(*strs[i]);
        *strs[i] = NULL;
    }
    valmap_free(&cfg->severity.map);
    valmap_free(&cfg->crash_type.map);
    valmap_free(&cfg->light.map);
    valmap_free(&cfg->street_lit.map);
    valmap_free(&cfg->surface.map);
    valmap_free(&cfg->weather.map);
    valmap_free(&cfg->vehicle.map);
    for (size_t i = 0; i < 2 * cfg->ntrail; i++)
        rb_free(cfg->trail[i]);
    rb_free(cfg->trail);
    cfg->trail = NULL;
    cfg->ntrail = cfg->captrail = 0;
}

/* Appends key = value (copied; value NULL stays NULL) to the trail. */
static int trail_add(struct rb_config *cfg, const char *key, const char *value, struct rb_err *err)
{
    if (rb_grow((void **)&cfg->trail, &cfg->captrail, 2 * (cfg->ntrail + 1), sizeof *cfg->trail))
        return rb_err_nomem(err);
    char *k = rb_strdup(key), *v = value ? rb_strdup(value) : NULL;
    if (!k || (value && !v)) {
        rb_free(k);
        rb_free(v);
        return rb_err_nomem(err);
    }
    cfg->trail[2 * cfg->ntrail] = k;
    cfg->trail[2 * cfg->ntrail + 1] = v;
    cfg->ntrail++;
    return RB_OK;
}

/* ---- the option table: one row per setting, from which the config file,
 * the command line's flags, --help and the checks of allowed values all
 * come. A number's default is set from its row by rb_config_init; a string's
 * default is what the code takes when it is unset, shown in --help. ---- */

#define O(f) offsetof(struct rb_config, f)
#define STR RB_KEY_STR
#define NUM RB_KEY_NUM
static const struct rb_config_key keys[] = {
    /* the crash schema preset, read before the rest */
    { "preset", RB_KEY_PRESET, O(preset), NULL, "preset", "NAME", NULL, NULL, "crash schema preset read before the config: field names and value maps of a national export (stats19, mmucc, kz_police, iowa in data/presets) or a JSON file" },
    /* roads */
    { "roads.path", STR, O(roads_path), NULL, "roads", "FILE", NULL, NULL, "road network: any OGR source with lines" },
    { "roads.layer", STR, O(roads_layer), NULL, "roads-layer", "NAME", NULL, NULL, "layer of the roads source" },
    { "roads.crs", STR, O(roads_crs), NULL, "roads-crs", "CRS", NULL, NULL, "CRS of the roads when the source has none" },
    { "roads.id", STR, O(road_id), NULL, "road-id", "FIELD", "the feature id", NULL, "segment id field" },
    { "roads.route", STR, O(road_route), NULL, "route-field", "FIELD", NULL, NULL, "route id / road number field" },
    { "roads.name", STR, O(road_name), NULL, "road-name-field", "FIELD", NULL, NULL, "road name field" },
    { "roads.aadt", STR, O(road_aadt), NULL, "aadt-field", "FIELD", NULL, NULL, "AADT field (vehicles/day)" },
    { "roads.aadt_by_year", STR, O(road_aadt_year), NULL, NULL, NULL, NULL, NULL, "AADT field by study year, a name with {year} in it (aadt_{year})" },
    { "roads.speed_limit", STR, O(road_speed), NULL, "speed-field", "FIELD", NULL, NULL, "speed limit field" },
    { "roads.lanes", STR, O(road_lanes), NULL, "lanes-field", "FIELD", NULL, NULL, "number of lanes field" },
    { "roads.area", STR, O(road_area), NULL, "area-field", "FIELD", NULL, NULL, "urban/rural field" },
    { "roads.shoulder_m", STR, O(road_shoulder), NULL, "shoulder-field", "FIELD", NULL, NULL, "paved shoulder width field (m)" },
    { "roads.bridge", STR, O(road_bridge), NULL, "bridge-field", "FIELD", NULL, NULL, "bridge flag field (yes/no): strips stop short of bridges" },
    { "roads.divided", STR, O(road_divided), NULL, "divided-field", "FIELD", NULL, NULL, "divided carriageway flag field (yes/no)" },
    { "roads.lit", STR, O(road_lit), NULL, "lit-field", "FIELD", "OpenStreetMap: lit", NULL, "street lighting flag field (yes/no): coverage figures, a systemic risk factor, and no new lighting planned where the road is lit" },
    { "roads.tunnel", STR, O(road_tunnel), NULL, "tunnel-field", "FIELD", NULL, NULL, "tunnel flag field (yes/no)" },
    { "roads.grade_layer", STR, O(road_layer), NULL, "layer-field", "FIELD", "OpenStreetMap's layer", NULL, "grade level field (1 over, -1 under)" },
    { "osm.highways", STR, O(osm_highways), NULL, NULL, NULL, "motorway, trunk, primary, secondary, tertiary, unclassified, residential, their links, living_street, service, road", NULL, "OpenStreetMap highway values read as roads, a comma list" },
    { "settlements.path", STR, O(settle_path), NULL, "settlements", "FILE", NULL, NULL, "settlement polygons: crash concentration takes the urban length inside them, strips keep away from them" },
    { "settlements.layer", STR, O(settle_layer), NULL, NULL, NULL, NULL, NULL, "layer of the settlements source" },
    /* crashes */
    { "crashes.path", STR, O(crashes_path), NULL, "crashes", "FILE", NULL, NULL, "crashes: OGR points, or a CSV/XLSX/ODS table" },
    { "crashes.layer", STR, O(crashes_layer), NULL, "crashes-layer", "NAME", NULL, NULL, "layer or sheet of the crashes source" },
    { "crashes.crs", STR, O(crashes_crs), NULL, "crashes-crs", "CRS", "EPSG:4326", NULL, "CRS of the crash coordinates" },
    { "crashes.encoding", STR, O(encoding), NULL, "encoding", "ENC", NULL, NULL, "text encoding of the sources, e.g. CP1251" },
    { "crashes.where", STR, O(crashes_where), NULL, "where", "EXPR", NULL, NULL, "read only the crash rows this OGR SQL filter keeps (-where \"year >= 2020\")" },
    { "crashes.x", STR, O(x_field), NULL, "x-field", "FIELD", NULL, NULL, "x / longitude / easting column" },
    { "crashes.y", STR, O(y_field), NULL, "y-field", "FIELD", NULL, NULL, "y / latitude / northing column" },
    { "crashes.id", STR, O(id_field), NULL, "id-field", "FIELD", NULL, NULL, "crash id column" },
    { "crashes.date", STR, O(date_field), NULL, "date-field", "FIELD", NULL, NULL, "crash date column" },
    { "crashes.date_format", STR, O(date_format), NULL, "date-format", "FMT", NULL, NULL, "date format, e.g. %d/%m/%Y" },
    { "crashes.time", STR, O(time_field), NULL, "time-field", "FIELD", NULL, NULL, "time of day column (1812, 18:12)" },
    { "crashes.group_by", STR, O(group_by), NULL, "group-by", "FIELD", NULL, NULL, "key of files with one row per casualty" },
    { "crashes.severity", RB_KEY_FIELD_MAP, O(severity), rb_severity_parse, "severity-field", "FIELD", NULL, NULL, "severity column" },
    { "crashes.severity_map", RB_KEY_MAP_VALUES, O(severity), rb_severity_parse, "severity-map", "MAP", NULL, NULL, "severity values onto KABCO: 1=K,2=A,3=C" },
    { "crashes.crash_type", RB_KEY_FIELD_MAP, O(crash_type), rb_crash_type_parse, "crash-type-field", "FIELD", NULL, NULL, "crash type column" },
    { "crashes.crash_type_map", RB_KEY_MAP_VALUES, O(crash_type), rb_crash_type_parse, "crash-type-map", "MAP", NULL, NULL, "crash type values: 5=head_on,..." },
    { "crashes.light", RB_KEY_FIELD_MAP, O(light), rb_light_parse, "light-field", "FIELD", NULL, NULL, "light condition column" },
    { "crashes.light_map", RB_KEY_MAP_VALUES, O(light), rb_light_parse, "light-map", "MAP", NULL, NULL, "light values: 1=day,4=dark,..." },
    { "crashes.street_lighting", RB_KEY_FIELD_MAP, O(street_lit), rb_street_lit_parse, "street-lighting-field", "FIELD", NULL, NULL, "street lighting at the crash as the police recorded it (yes, no, unknown; STATS19's light codes 4 lit, 5 and 6 not): the lighting coverage where the roads do not say (roads.lit); with a map and no field, the light field's values" },
    { "crashes.street_lighting_map", RB_KEY_MAP_VALUES, O(street_lit), rb_street_lit_parse, "street-lighting-map", "MAP", NULL, NULL, "street lighting values: 4=yes,5=no,6=no,..." },
    { "crashes.surface", RB_KEY_FIELD_MAP, O(surface), rb_surface_parse, "surface-field", "FIELD", NULL, NULL, "road surface condition column (dry, wet, snow_ice)" },
    { "crashes.surface_map", RB_KEY_MAP_VALUES, O(surface), rb_surface_parse, "surface-map", "MAP", NULL, NULL, "surface values: 1=dry,2=wet,4=snow_ice,..." },
    { "crashes.weather", RB_KEY_FIELD_MAP, O(weather), rb_weather_parse, "weather-field", "FIELD", NULL, NULL, "weather column (clear, rain, snow_ice, fog, wind)" },
    { "crashes.weather_map", RB_KEY_MAP_VALUES, O(weather), rb_weather_parse, "weather-map", "MAP", NULL, NULL, "weather values: 1=clear,2=rain,3=snow_ice,7=fog,..." },
    { "crashes.vehicle", RB_KEY_FIELD_MAP, O(vehicle), rb_vehicle_parse, "vehicle-field", "FIELD", NULL, NULL, "vehicle type column, a row's vehicle (car, motorcycle, moped, e_scooter, bicycle, truck, bus)" },
    { "crashes.vehicle_map", RB_KEY_MAP_VALUES, O(vehicle), rb_vehicle_parse, "vehicle-map", "MAP", NULL, NULL, "vehicle values: 1=car,5=moped,..." },
    { "crashes.road", STR, O(road_field), NULL, "road-field", "FIELD", NULL, NULL, "road number/name in the crash record" },
    { "crashes.direction", STR, O(direction_field), NULL, "direction-field", "FIELD", NULL, NULL, "direction of travel: degrees, N/NE/.../NB/SB; picks the carriageway" },
    { "crashes.measure", STR, O(measure_field), NULL, "measure-field", "FIELD", NULL, NULL, "measure along that road: km (123.45) or km+m (123+450)" },
    { "crashes.measure_unit", STR, O(measure_unit), NULL, "measure-unit", "UNIT", "km", "km|mi|m", "unit of the measure" },
    /* kilometre posts and the analyst's fixes */
    { "markers.path", STR, O(markers_path), NULL, "markers", "FILE", NULL, NULL, "kilometre posts (points) that calibrate measures" },
    { "markers.layer", STR, O(markers_layer), NULL, "markers-layer", "NAME", NULL, NULL, "layer of the markers source" },
    { "markers.route", STR, O(markers_route), NULL, "marker-road-field", "FIELD", "the roads' route field", NULL, "a post's road" },
    { "markers.value", STR, O(markers_value), NULL, "marker-value-field", "FIELD", "km", NULL, "a post's stated value" },
    { "overrides.path", STR, O(overrides_path), NULL, "overrides", "FILE", NULL, NULL, "analyst's fixes: CSV of crash_id,segment_id applied on every run" },
    /* matching */
    { "match.tolerance_m", NUM, O(tolerance_m), NULL, "tolerance", "M", "30", NULL, "farthest a crash may be from its road" },
    { "match.ambiguous_margin_m", NUM, O(ambiguous_margin_m), NULL, "ambiguous-margin", "M", "5", NULL, "another road this much farther is a doubt" },
    { "match.grade_margin_m", NUM, O(grade_margin_m), NULL, "grade-margin", "M", "15", NULL, "a road at another grade this much farther is a doubt; 0 turns it off" },
    { "match.junction_radius_m", NUM, O(junction_radius_m), NULL, "junction-radius", "M", "20", NULL, "junction flag radius" },
    { "match.node_snap_m", NUM, O(node_snap_m), NULL, "node-snap", "M", "0.5", NULL, "segment ends this close meet" },
    { "match.lr_check_m", NUM, O(lr_check_m), NULL, "lr-check", "M", "250", NULL, "coordinates and measure further apart are flagged" },
    /* counting */
    { "study.from_year", RB_KEY_YEAR, O(year_from), NULL, "from-year", "YEAR", "the crashes' first", NULL, "first year of the study period" },
    { "study.to_year", RB_KEY_YEAR, O(year_to), NULL, "to-year", "YEAR", "the crashes' last", NULL, "last year of the study period" },
    { "epdo_weights", RB_KEY_WEIGHTS, 0, NULL, "epdo-weights", "W", "from the crash costs", NULL, "EPDO weights, e.g. K=542,A=29.3,B=10.7,C=6.1,O=1" },
    { "epdo_weights.K", NUM, O(epdo_weight[0]), NULL, NULL, NULL, NULL, NULL, "EPDO weight of a fatal crash" },
    { "epdo_weights.A", NUM, O(epdo_weight[1]), NULL, NULL, NULL, NULL, NULL, "EPDO weight of a serious injury crash" },
    { "epdo_weights.B", NUM, O(epdo_weight[2]), NULL, NULL, NULL, NULL, NULL, "EPDO weight of a minor injury crash" },
    { "epdo_weights.C", NUM, O(epdo_weight[3]), NULL, NULL, NULL, NULL, NULL, "EPDO weight of a possible injury crash" },
    { "epdo_weights.O", NUM, O(epdo_weight[4]), NULL, NULL, NULL, NULL, NULL, "EPDO weight of a property-damage-only crash" },
    { "units", STR, O(units), NULL, "units", "SYSTEM", "metric", "metric|us", "posts in the outputs: metric (km 12+345, columns from_km, to_km) or us (mileposts MP 7.67, columns from_mp, to_mp)" },
    { "accept", STR, O(accept), NULL, "accept", "CODES", NULL, NULL, "findings meant as they are, a comma list of codes (no_match, low_match, ...; doc/findings.md): the run trusts its result despite them" },
    { "rank_by", STR, O(rank_by), NULL, "rank-by", "MEASURE", "epdo_per_yr; excess_per_yr with an SPF", NULL, "rank by this measure: match ranks segments by epdo_per_yr, epdo, freq_per_yr, crashes_per_km_yr, rate_per_mvkm or n_obs; screen ranks sites by any of their measures" },
    { "data_dir", STR, O(data_dir), NULL, "data-dir", "DIR", "rumble's data", NULL, "where vocabulary.json, crash_costs.json, spf/ and locale/ are" },
    { "crash_costs", STR, O(crash_costs), NULL, "crash-costs", "FILE", "data/crash_costs.json", NULL, "the cost of a crash by severity, with its currency and year" },
    /* screening */
    { "screen.window_m", NUM, O(window_m), NULL, "window", "M", "300", NULL, "sliding window length" },
    { "screen.step_m", NUM, O(step_m), NULL, "step", "M", "100", NULL, "sliding window step" },
    { "screen.spf", STR, O(spf), NULL, "spf", "SPF", NULL, NULL, "SPF id in data/spf (hsm_rural_2lane) or a file from fit-spf" },
    { "screen.int_spf", STR, O(int_spf), NULL, "int-spf", "SPF", NULL, NULL, "intersection SPF id in data/spf (hsm_int: one for each kind) or a file" },
    { "screen.spf_fields", STR, O(spf_fields), NULL, NULL, NULL, NULL, NULL, "SPF variables from road fields: var=FIELD, ... (driveways_major_commercial=DW_MC)" },
    { "screen.calibration", NUM, O(calibration), NULL, "calibration", "C", "the SPF file's", NULL, "calibration factor for the SPF" },
    { "screen.confidence", NUM, O(confidence), NULL, "confidence", "LEVEL", "0.95", "0.85|0.90|0.95|0.99|0.995", "critical rate confidence" },
    { "screen.rank_by", STR, O(rank_by), NULL, NULL, NULL, NULL, NULL, "the same as rank_by" },
    { "screen.target_type", STR, O(target_type), NULL, NULL, NULL, NULL, NULL, "crash type (run_off_road, head_on, pedestrian, animal or livestock, ...) or focus group (night, wet_icy, rain, snow, fog, wind, motorcycle, moped, e_scooter, heavy_vehicle) for the proportion measures" },
    { "screen.peak_cv", NUM, O(peak_cv), NULL, NULL, NULL, "0.25", NULL, "peak searching's coefficient-of-variation limit" },
    { "screen.hotspot_rules", STR, O(hotspot_rules), NULL, NULL, NULL, "all", NULL, "rules that make hotspots: crash_concentration, sliding_window, peak_search, crp (comma list)" },
    { "screen.hotspot_top", RB_KEY_COUNT, O(hotspot_top), NULL, NULL, NULL, "20", NULL, "sites each ranking rule flags" },
    { "screen.crp_window_m", NUM, O(crp_window_m), NULL, NULL, NULL, "the window", NULL, "continuous risk profile's moving average" },
    { "screen.crp_min_crashes", RB_KEY_COUNT, O(crp_min_crashes), NULL, NULL, NULL, "2", NULL, "crashes a profile run needs to be a hotspot" },
    { "screen.sections_by", STR, O(sections_by), NULL, NULL, NULL, NULL, NULL, "road fields whose equal values merge segments into homogeneous sections" },
    { "screen.population_by", STR, O(population_by), NULL, NULL, NULL, NULL, NULL, "road fields whose values split the reference populations" },
    { "screen.entering", STR, O(entering), NULL, NULL, NULL, "half", "half|sum", "an intersection's entering volume: half the legs' AADT sum, or the sum" },
    { "ccs.max_length_m", NUM, O(ccs_max_len_m), NULL, "ccs-length", "M", "1000", NULL, "crash concentration stretch outside settlements" },
    { "ccs.max_length_urban_m", NUM, O(ccs_max_len_urban_m), NULL, "ccs-length-urban", "M", "200", NULL, "the same inside settlements" },
    { "ccs.days", RB_KEY_COUNT, O(ccs_days), NULL, "ccs-days", "N", "365", NULL, "crash concentration period in days" },
    { "ccs.same_type", RB_KEY_COUNT, O(ccs_same_type), NULL, "ccs-same-type", "N", "3", NULL, "injury crashes of one type that make a site" },
    { "ccs.any_type", RB_KEY_COUNT, O(ccs_any_type), NULL, "ccs-any-type", "N", "5", NULL, "injury crashes of any type that make a site" },
    { "intersections.path", STR, O(int_path), NULL, "intersections", "FILE", NULL, NULL, "intersection points (intersections.major_aadt, .minor_aadt) instead of the network's nodes; enough without --roads" },
    { "intersections.layer", STR, O(int_layer), NULL, NULL, NULL, NULL, NULL, "layer of the intersections source" },
    { "intersections.id", STR, O(int_id), NULL, NULL, NULL, "the feature id", NULL, "intersection id field" },
    { "intersections.major_aadt", STR, O(int_major), NULL, NULL, NULL, NULL, NULL, "major road AADT field" },
    { "intersections.minor_aadt", STR, O(int_minor), NULL, NULL, NULL, NULL, NULL, "minor road AADT field" },
    { "intersections.radius_m", NUM, O(int_radius_m), NULL, NULL, NULL, "76.2", NULL, "crashes this close belong to the intersection (250 ft)" },
    { "intersections.legs", STR, O(int_legs), NULL, NULL, NULL, NULL, NULL, "number of legs field (a point layer; network nodes count theirs)" },
    { "intersections.major_lanes", STR, O(int_major_lanes), NULL, NULL, NULL, NULL, NULL, "the major road's lanes field (a point layer; network nodes: the busiest leg's)" },
    { "intersections.area", STR, O(int_area), NULL, NULL, NULL, NULL, NULL, "urban or rural field, as roads.area (a point layer; network nodes: the busiest leg's)" },
    { "intersections.control", STR, O(int_control), NULL, NULL, NULL, NULL, NULL, "traffic control field: stop (minor road stop or yield) or signal" },
    { "intersections.spf_fields", STR, O(int_spf_fields), NULL, NULL, NULL, NULL, NULL, "SPF variables from the layer's fields: var=FIELD, ... (ped_volume=PEDS)" },
    /* planning */
    { "plan.budget", NUM, O(budget), NULL, "budget", "MONEY", "no limit", NULL, "money for building, in the catalogue's currency" },
    { "assets.path", STR, O(assets_path), NULL, "assets", "FILE", NULL, NULL, "existing assets (cameras, beacons, strips, lighting): points or lines with the countermeasure each is; coverage figures, and what is there is not proposed again (doc/coverage.md)" },
    { "assets.layer", STR, O(assets_layer), NULL, NULL, NULL, NULL, NULL, "layer of the assets source" },
    { "assets.crs", STR, O(assets_crs), NULL, "assets-crs", "CRS", "the source's; else EPSG:4326 when its coordinates are longitudes and latitudes, else the roads'", NULL, "CRS of the assets when the source declares none (a CSV)" },
    { "assets.countermeasure", STR, O(assets_cm), NULL, NULL, NULL, "countermeasure", NULL, "the field with each asset's countermeasure (a catalogue id)" },
    { "assets.direction", STR, O(assets_dir), NULL, NULL, NULL, NULL, NULL, "the field with the bearing (degrees from north) of the traffic a device faces; empty: both ways" },
    { "assets.id", STR, O(assets_id), NULL, NULL, NULL, "the feature id", NULL, "the field naming each asset in messages" },
    { "plan.systemic", STR, O(systemic), NULL, "systemic", "ID", NULL, NULL, "a countermeasure (catalogue id) rolled out systemically: on the segments where it applies whose risk factors for its target crashes score highest, whatever their own crash record (doc/systemic.md)" },
    { "plan.systemic_budget", NUM, O(systemic_budget), NULL, "systemic-budget", "MONEY", "every segment of above-average risk", NULL, "money for the systemic programme, apart from the plan's budget" },
    { "plan.budgets", STR, O(budgets), NULL, "budgets", "B1,B2,..", NULL, NULL, "yearly budgets: each chosen treatment gets the year it is built in" },
    { "plan.carry_over", STR, O(carry_over), NULL, "carry-over", "YES|NO", "no", "yes|no|true|false", "with --budgets: money a year leaves unspent goes to the next" },
    { "plan.price_index", STR, O(price_index), NULL, "price-index", "Y=I,..", NULL, NULL, "a price index by year (e.g. a consumer price index: 2001=177.1,2024=313.7): crash costs of their year are brought to the catalogue's price year by the ratio; without it, different years are a warning (price_years)" },
    { "plan.allow_unrated", STR, O(allow_unrated), NULL, "allow-unrated", "YES|NO", "no", "yes|no|true|false", "also choose countermeasures whose CMF is not checked against a published source (status to_verify or unrated in the catalogue); they are flagged in the plan and the report" },
    { "plan.catalogue", STR, O(catalogue), NULL, "catalogue", "FILE", "data/countermeasures.json", NULL, "countermeasure catalogue" },
    { "plan.prices", STR, O(prices), NULL, "prices", "FILE", "the catalogue's", NULL, "the agency's prices of the countermeasures, with their currency and year (data/prices/ has an example)" },
    { "plan.discount_rate", NUM, O(discount_rate), NULL, "discount-rate", "RATE", "0.04", NULL, "a year, for present values" },
    { "plan.analysis_period_yr", NUM, O(analysis_period_yr), NULL, "analysis-period", "YEARS", "20", NULL, "every alternative over these years, each countermeasure renewed at the end of its life and the unexpired part counted back (0: each over its own longest life)" },
    { "plan.objective", STR, O(objective), NULL, "objective", "WHAT", "npv", "npv|crashes", "what the budget choice maximises" },
    { "plan.alpha", NUM, O(alpha), NULL, "alpha", "P", "0.05", NULL, "a crash pattern is over-represented at p <= P" },
    { "plan.min_pattern", RB_KEY_COUNT, O(min_pattern), NULL, NULL, NULL, "2", NULL, "crashes an over-represented pattern needs at least" },
    { "plan.combine", STR, O(combine), NULL, "combine", "HOW", "multiply", "multiply|best", "several measures on the same crashes" },
    { "plan.rank_by", STR, O(plan_rank_by), NULL, "plan-rank-by", "WHAT", "npv", "npv|bcr|crashes", "the plan layer's rank" },
    { "plan.severity_costs", STR, O(severity_costs), NULL, "severity-costs", "HOW", "ka", "ka|kab|kabco", "price fatal and serious crashes at one cost (their network mix), so that one fatal crash does not decide a site; kabco: each its own" },
    { "plan.curve_radius_m", NUM, O(curve_radius_m), NULL, NULL, NULL, "600", NULL, "a curve: radius below this" },
    { "plan.placement", STR, O(placement), NULL, "placement", "FILE", "data/placement.json", NULL, "work-order placement tables" },
    { "plan.gap_junction_m", NUM, O(gap_junction_m), NULL, NULL, NULL, "the placement tables'", NULL, "strips stop this far either side of a junction" },
    { "plan.gap_bridge_m", NUM, O(gap_bridge_m), NULL, NULL, NULL, "the placement tables'", NULL, "... of a bridge deck" },
    { "plan.gap_settlement_m", NUM, O(gap_settlement_m), NULL, NULL, NULL, "the placement tables'", NULL, "... of a settlement" },
    { "plan.default_speed_kmh", NUM, O(default_speed_kmh), NULL, NULL, NULL, "the placement tables'", NULL, "approach speed where the road has none" },
    { "plan.drive_side", STR, O(drive_side), NULL, "drive-side", "SIDE", "right", "right|left", "the side traffic keeps to, where signs stand" },
    { "plan.device_offset_m", NUM, O(device_offset_m), NULL, NULL, NULL, "the placement tables'", NULL, "points drawn this far off the centreline, on their side" },
    /* output */
    { "output.crs", STR, O(output_crs), NULL, "t_srs", "CRS", "the roads'", NULL, "write the outputs in this CRS" },
};
#undef STR
#undef NUM
#undef O

const struct rb_config_key *rb_config_keys(size_t *n)
{
    *n = sizeof keys / sizeof *keys;
    return keys;
}

const struct rb_config_key *rb_config_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof keys / sizeof *keys; i++)
        if (strcmp(keys[i].key, key) == 0)
            return &keys[i];
    return NULL;
}

/* 1 when item is the next choice of list (at *p), moving *p past it. */
static int choice_is(const char **p, const char *item, int numeric)
{
    size_t n = strcspn(*p, "|");
    int same;
    if (numeric) {
        char buf[32];
        double a, b;
        snprintf(buf, sizeof buf, "%.*s", (int)n, *p);
        same = rb_parse_double(buf, &a) && rb_parse_double(item, &b) && fabs(a - b) < 1e-9;
    } else {
        same = strlen(item) == n && strncmp(*p, item, n) == 0;
    }
    *p += n + ((*p)[n] == '|');
    return same;
}

int rb_config_choice(const char *key, const char *value)
{
    const struct rb_config_key *k = rb_config_key(key);
    if (!k || !k->choices || !value)
        return -1;
    const char *p = k->choices;
    for (int i = 0; *p; i++)
        if (choice_is(&p, value, k->type == RB_KEY_NUM))
            return i;
    return -1;
}

/* "a, b or c" from "a|b|c" */
void rb_config_choices_text(const char *choices, char *out, size_t n)
{
    out[0] = 0;
    size_t items = 1;
    for (const char *c = choices; *c; c++)
        items += *c == '|';
    const char *p = choices;
    for (size_t i = 0; i < items; i++) {
        size_t len = strcspn(p, "|"), l = strlen(out);
        snprintf(out + l, n - l, "%s%.*s", i == 0 ? "" : i + 1 == items ? " or " : ", ", (int)len, p);
        p += len + (p[len] == '|');
    }
}

/* Adds one "value → code" pair to a coded field's map. */
static int map_add_pair(const struct rb_config_key *o, struct rb_coded_field *cf, const char *from,
                        const char *to, const char *where, struct rb_err *err)
{
    char key[64];
    rb_key_normalise(to, key, sizeof key);
    int code = o->canonical(key);
    if (code < 0)
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' maps '%s' to '%s', which is not a %s code",
                          where, o->key, from, to, o->key + strlen("crashes."));
    if (valmap_set(&cf->map, from, code))
        return rb_err_nomem(err);
    return RB_OK;
}

static int set_string(char **dst, const char *value, struct rb_err *err)
{
    char *v = rb_strdup(value);
    if (!v)
        return rb_err_nomem(err);
    rb_free(*dst);
    *dst = v;
    return RB_OK;
}

static int set_number(const struct rb_config_key *o, void *field, const char *value, const char *where,
                      struct rb_err *err)
{
    double v;
    if (!rb_parse_double(value, &v))
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' wants a number, not '%s'", where, o->key, value);
    if (o->type == RB_KEY_YEAR) {
        if (v != floor(v) || v < 0 || v > 9999)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' wants a year, not '%s'", where, o->key, value);
        *(int *)field = (int)v;
    } else if (o->type == RB_KEY_COUNT) {
        if (v != floor(v) || v < 1 || v > 100000)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' wants a whole number from 1, not '%s'", where, o->key, value);
        *(int *)field = (int)v;
    } else {
        if (v < 0)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' cannot be negative", where, o->key);
        *(double *)field = v;
    }
    return RB_OK;
}

/* Calls fn(left, right) for each "LEFT=RIGHT" of a comma-separated list. */
static int for_each_pair(const char *value, const char *key, const char *what, const char *where,
                         int (*fn)(const char *l, const char *r, void *ud), void *ud,
                         struct rb_err *err)
{
    char *copy = rb_strdup(value);
    if (!copy)
        return rb_err_nomem(err);
    int rc = RB_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && !rc;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            rc = rb_err_set(err, RB_EUSAGE, "%s: '%s' wants %s pairs, not '%s'", where, key, what, tok);
            break;
        }
        *eq = 0;
        rc = fn(tok, eq + 1, ud);
    }
    rb_free(copy);
    return rc;
}

struct pair_ctx {
    struct rb_config *cfg;
    const struct rb_config_key *o;
    struct rb_coded_field *cf;
    const char *where;
    struct rb_err *err;
};

static int config_set_where(struct rb_config *cfg, const char *key, const char *value,
                            const char *where, struct rb_err *err);

static int map_pair(const char *l, const char *r, void *ud)
{
    struct pair_ctx *c = ud;
    return map_add_pair(c->o, c->cf, l, r, c->where, c->err);
}

static int weight_pair(const char *l, const char *r, void *ud)
{
    struct pair_ctx *c = ud;
    char sub[64];
    snprintf(sub, sizeof sub, "epdo_weights.%s", l);
    return config_set_where(c->cfg, sub, r, c->where, c->err);
}

static int preset_read(struct rb_config *cfg, const char *name, const char *where, int depth,
                       struct rb_err *err);

static int config_set_where(struct rb_config *cfg, const char *key, const char *value,
                            const char *where, struct rb_err *err)
{
    struct pair_ctx ctx = { cfg, NULL, NULL, where, err };
    const struct rb_config_key *o = rb_config_key(key);
    if (!o)
        return rb_err_set(err, RB_EUSAGE, "%s: unknown option '%s'", where, key);
    if (o->type == RB_KEY_PRESET)
        return preset_read(cfg, value, where, 0, err);
    if (o->type == RB_KEY_WEIGHTS)          /* "K=542,A=29.3" */
        return for_each_pair(value, key, "CODE=WEIGHT", where, weight_pair, &ctx, err);
    void *field = (char *)cfg + o->off;
    if (o->type == RB_KEY_MAP_VALUES) {     /* "1=K,2=A,3=C" */
        ctx.o = o;
        ctx.cf = field;
        return for_each_pair(value, key, "VALUE=CODE", where, map_pair, &ctx, err);
    }
    if (o->choices && rb_config_choice(key, value) < 0) {
        char list[256];
        rb_config_choices_text(o->choices, list, sizeof list);
        if (o->flag)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' (--%s) is %s, not '%s'", where, key, o->flag, list, value);
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' is %s, not '%s'", where, key, list, value);
    }
    switch (o->type) {
    case RB_KEY_STR: return set_string(field, value, err);
    case RB_KEY_FIELD_MAP: return set_string(&((struct rb_coded_field *)field)->field, value, err);
    default: return set_number(o, field, value, where, err);
    }
}

int rb_config_set(struct rb_config *cfg, const char *key, const char *value, struct rb_err *err)
{
    int rc = config_set_where(cfg, key, value, "command line", err);
    return rc ? rc : trail_add(cfg, key, value, err);
}

/* A key set to null: back to unset, or to its row's default (a preset's
 * field or map dropped by the config that extends it). */
static void config_unset(struct rb_config *cfg, const struct rb_config_key *o)
{
    void *field = (char *)cfg + o->off;
    switch (o->type) {
    case RB_KEY_STR:
        rb_free(*(char **)field);
        *(char **)field = NULL;
        break;
    case RB_KEY_FIELD_MAP:              /* the field, and its map with it */
        rb_free(((struct rb_coded_field *)field)->field);
        ((struct rb_coded_field *)field)->field = NULL;
        valmap_free(&((struct rb_coded_field *)field)->map);
        break;
    case RB_KEY_MAP_VALUES:
        valmap_free(&((struct rb_coded_field *)field)->map);
        break;
    case RB_KEY_WEIGHTS:
        for (const char *c = "KABCO"; *c; c++) {
            char sub[32];
            snprintf(sub, sizeof sub, "epdo_weights.%c", *c);
            config_unset(cfg, rb_config_key(sub));
        }
        break;
    case RB_KEY_PRESET:
        break;                          /* read already: nothing to take back */
    default:
        number_default(cfg, o);
    }
}

/* Applies one JSON member at dotted key. Objects recurse, except a coded field's
 * object, which is { "field": ..., "map": { value: code } }. In a preset
 * (in_preset) a map may come without its field: the config names the field. */
static int apply_json(struct rb_config *cfg, const char *prefix, const cJSON *item,
                      const char *path, int in_preset, struct rb_err *err)
{
    char key[256];
    if (prefix[0])
        snprintf(key, sizeof key, "%s.%s", prefix, item->string);
    else
        snprintf(key, sizeof key, "%s", item->string);

    const struct rb_config_key *o = rb_config_key(key);
    if (cJSON_IsObject(item) && (!o || o->type != RB_KEY_FIELD_MAP)) {
        if (prefix[0])
            return rb_err_set(err, RB_EUSAGE, "%s: unknown key '%s'", path, key);
        for (const cJSON *c = item->child; c; c = c->next) {
            int rc = apply_json(cfg, key, c, path, in_preset, err);
            if (rc)
                return rc;
        }
        return RB_OK;
    }
    if (!o)
        return rb_err_set(err, RB_EUSAGE, "%s: unknown key '%s'", path, key);
    if (cJSON_IsObject(item)) {
        struct rb_coded_field *cf = (void *)((char *)cfg + o->off);
        for (const cJSON *c = item->child; c; c = c->next) {
            if (strcmp(c->string, "field") == 0 && cJSON_IsString(c)) {
                if (set_string(&cf->field, c->valuestring, err))
                    return err->code;
            } else if (strcmp(c->string, "map") == 0 && cJSON_IsObject(c)) {
                for (const cJSON *m = c->child; m; m = m->next) {
                    if (!cJSON_IsString(m))
                        return rb_err_set(err, RB_EUSAGE, "%s: '%s.map.%s' must be a string code",
                                          path, key, m->string);
                    int rc = map_add_pair(o, cf, m->string, m->valuestring, path, err);
                    if (rc)
                        return rc;
                }
            } else {
                return rb_err_set(err, RB_EUSAGE, "%s: unknown key '%s.%s' (want 'field' and 'map')",
                                  path, key, c->string);
            }
        }
        if (!cf->field && !in_preset)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' has a map but no 'field'", path, key);
        return RB_OK;
    }
    char num[64], list[1024];
    const char *value;
    if (o->type == RB_KEY_STR && cJSON_IsArray(item)) {
        /* a list of numbers (yearly budgets) as the comma list the flag takes */
        list[0] = 0;
        for (const cJSON *c = item->child; c; c = c->next) {
            if (!cJSON_IsNumber(c))
                return rb_err_set(err, RB_EUSAGE, "%s: '%s' must list numbers", path, key);
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.17g", list[0] ? "," : "", c->valuedouble);
        }
        return config_set_where(cfg, key, list, path, err);
    }
    if (o->type == RB_KEY_STR && cJSON_IsBool(item))
        return config_set_where(cfg, key, cJSON_IsTrue(item) ? "yes" : "no", path, err);
    if (cJSON_IsString(item)) {
        value = item->valuestring;
    } else if (cJSON_IsNumber(item)) {
        snprintf(num, sizeof num, "%.17g", item->valuedouble);
        value = num;
    } else if (cJSON_IsNull(item)) {
        config_unset(cfg, o);
        return RB_OK;
    } else {
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' must be a string or a number", path, key);
    }
    if (o->type == RB_KEY_STR || o->type == RB_KEY_FIELD_MAP || o->type == RB_KEY_MAP_VALUES ||
        o->type == RB_KEY_WEIGHTS || o->type == RB_KEY_PRESET) {
        if (!cJSON_IsString(item))
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' must be a string (a field name)", path, key);
    } else if (!cJSON_IsNumber(item)) {
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' must be a number", path, key);
    }
    return config_set_where(cfg, key, value, path, err);
}

/* Reads a whole file. Returns NULL with err set. */
static char *slurp(const char *path, size_t *len, struct rb_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rb_err_set(err, RB_EIO, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (rb_grow((void **)&buf, &cap, n + 65536 + 1, 1)) {
            fclose(f);
            rb_free(buf);
            rb_err_nomem(err);
            return NULL;
        }
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got < 65536)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        rb_free(buf);
        rb_err_set(err, RB_EIO, "cannot read '%s'", path);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Parses JSON text (len bytes; name for messages); on error names the line and
 * column where it broke. */
static cJSON *json_parse(const char *text, size_t len, const char *name, struct rb_err *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        int line = 1, col = 1;
        for (size_t i = 0; i < at && i < len; i++) {
            if (text[i] == '\n') { line++; col = 1; } else col++;
        }
        rb_err_set(err, RB_EUSAGE, "%s:%d:%d: invalid JSON", name, line, col);
    }
    return root;
}

/* Parses a JSON file; on error names the line and column where it broke. */
cJSON *rb_json_read(const char *path, struct rb_err *err)
{
    size_t len;
    char *text = slurp(path, &len, err);
    if (!text)
        return NULL;
    cJSON *root = json_parse(text, len, path, err);
    rb_free(text);
    return root;
}

/* Presets extending presets: deeper than this is a loop. */
#define RB_PRESET_DEPTH 4

/* Applies a parsed config, or a preset (depth > 0), to cfg; path names it in
 * messages: its data_dir first (where its preset is looked for), then its
 * preset unless one was read already, then the other keys. */
static int config_apply(struct rb_config *cfg, const cJSON *root, const char *path, int depth, struct rb_err *err)
{
    int rc = RB_OK;
    if (!cJSON_IsObject(root))
        rc = rb_err_set(err, RB_EUSAGE, "%s: the %s must be a JSON object", path, depth ? "preset" : "config");
    const cJSON *dir = rc ? NULL : cJSON_GetObjectItemCaseSensitive(root, "data_dir");
    const cJSON *pre = rc ? NULL : cJSON_GetObjectItemCaseSensitive(root, "preset");
    if (dir)
        rc = apply_json(cfg, "", dir, path, depth > 0, err);
    if (!rc && pre && !cJSON_IsString(pre) && !cJSON_IsNull(pre))
        rc = rb_err_set(err, RB_EUSAGE, "%s: 'preset' must be a string (a preset's name or a file)", path);
    if (!rc && cJSON_IsString(pre) && !cfg->preset)
        rc = preset_read(cfg, pre->valuestring, path, depth + 1, err);
    for (const cJSON *c = rc ? NULL : root->child; c && !rc; c = c->next) {
        if (c == dir || c == pre || !strcmp(c->string, "$comment") || !strcmp(c->string, "$source") ||
            !strcmp(c->string, "comment"))
            continue;
        rc = apply_json(cfg, "", c, path, depth > 0, err);
    }
    if (!rc && depth == 0)
        rc = set_string(&cfg->config_path, path, err);
    return rc;
}

/* Reads a config file, or a preset (depth > 0), into cfg. */
static int config_read(struct rb_config *cfg, const char *path, int depth, struct rb_err *err)
{
    cJSON *root = rb_json_read(path, err);
    if (!root)
        return err->code;
    int rc = config_apply(cfg, root, path, depth, err);
    cJSON_Delete(root);
    return rc;
}

int rb_config_read_text(struct rb_config *cfg, const char *text, size_t len, const char *name,
                        struct rb_err *err)
{
    cJSON *root = json_parse(text, len, name, err);
    if (!root)
        return err->code;
    int rc = config_apply(cfg, root, name, 0, err);
    cJSON_Delete(root);
    if (!rc) {
        char *copy = rb_malloc(len + 1);
        if (!copy)
            return rb_err_nomem(err);
        memcpy(copy, text, len);
        copy[len] = 0;
        rc = trail_add(cfg, "@config", copy, err);
        rb_free(copy);
    }
    return rc;
}

int rb_config_read(struct rb_config *cfg, const char *path, struct rb_err *err)
{
    size_t len;
    char *text = slurp(path, &len, err);
    if (!text)
        return err->code;
    int rc = rb_config_read_text(cfg, text, len, path, err);
    rb_free(text);
    return rc;
}

int rb_config_replay(struct rb_config *cfg, const char *const *trail, size_t npairs, const char *name,
                     struct rb_err *err)
{
    int rc = RB_OK;
    for (size_t i = 0; i < npairs && !rc; i++) {
        const char *k = trail[2 * i], *v = trail[2 * i + 1];
        if (!strcmp(k, "@config")) {
            char where[1100];
            snprintf(where, sizeof where, "%s (its saved config)", name);
            rc = rb_config_read_text(cfg, v ? v : "{}", v ? strlen(v) : 2, where, err);
        } else {
            rc = rb_config_set(cfg, k, v, err);
        }
    }
    if (rc && rc != RB_ENOMEM) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rb_err_set(err, rc, "%s: a setting saved with it no longer applies (%s); give the settings again with --config", name, msg);
    }
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void rb_config_presets(const char *data_dir, char *out, size_t n)
{
    char dir[4096];
    rb_data_path(data_dir, "presets", dir, sizeof dir);
    out[0] = 0;
    DIR *d = opendir(dir);
    if (!d)
        return;
    char names[64][64];
    char *sorted[64];
    size_t k = 0;
    for (struct dirent *e; (e = readdir(d)) && k < 64;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len - 5 < sizeof names[k] && !strcmp(e->d_name + len - 5, ".json")) {
            snprintf(names[k], sizeof names[k], "%.*s", (int)(len - 5), e->d_name);
            sorted[k] = names[k];
            k++;
        }
    }
    closedir(d);
    qsort(sorted, k, sizeof *sorted, by_name);
    for (size_t i = 0; i < k; i++) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", i ? ", " : "", sorted[i]);
    }
}

/* A preset by name (data_dir/presets/NAME.json) or by path, read as a config
 * file is; where names what asked for it, for messages. */
static int preset_read(struct rb_config *cfg, const char *name, const char *where, int depth,
                       struct rb_err *err)
{
    if (depth > RB_PRESET_DEPTH)
        return rb_err_set(err, RB_EUSAGE, "%s: presets extend each other more than %d deep at '%s' (a loop?)",
                          where, RB_PRESET_DEPTH, name);
    size_t len = strlen(name);
    char path[4096];
    if (strchr(name, '/') || (len > 5 && !strcmp(name + len - 5, ".json"))) {
        snprintf(path, sizeof path, "%s", name);
    } else {
        char file[300];
        snprintf(file, sizeof file, "presets/%s.json", name);
        rb_data_path(cfg->data_dir, file, path, sizeof path);
        int plain = len > 0 && len < 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
        if (!plain || access(path, R_OK) != 0) {
            char list[1024];
            rb_config_presets(cfg->data_dir, list, sizeof list);
            return rb_err_set(err, RB_EUSAGE, "%s: unknown preset '%s'; the presets are %s, or give a JSON file's path",
                              where, name, list[0] ? list : "none (no presets directory in the data)");
        }
    }
    int rc = config_read(cfg, path, depth > 0 ? depth : 1, err);
    if (!rc)
        rc = set_string(&cfg->preset, name, err);
    return rc;
}

int rb_config_preset(struct rb_config *cfg, const char *name, struct rb_err *err)
{
    return rb_config_set(cfg, "preset", name, err);
}

/* ---- domain data ------------------------------------------------------------ */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* share/rumble beside the installed program: <dir of the executable>/../share/rumble */
static const char *installed_data_dir(void)
{
    static char dir[4096];
    char exe[4000];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    snprintf(dir, sizeof dir, "%s/../share/rumble", exe);
    return is_dir(dir) ? dir : NULL;
}

const char *rb_data_dir(const char *data_dir)
{
    if (data_dir && *data_dir)
        return data_dir;
    const char *env = getenv("RUMBLE_DATA_DIR");
    if (env && *env)
        return env;
    if (is_dir(RB_DATADIR))
        return RB_DATADIR;
    const char *inst = installed_data_dir();
    return inst ? inst : RB_DATADIR;
}

void rb_data_path(const char *data_dir, const char *name, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s/%s", rb_data_dir(data_dir), name);
}

cJSON *rb_data_json(const char *data_dir, const char *name, const char *path, char *buf, size_t bufsz,
                    const char **used, struct rb_err *err)
{
    if (!path) {
        rb_data_path(data_dir, name, buf, bufsz);
        path = buf;
    }
    *used = path;
    return rb_json_read(path, err);
}

/* Reads { "CODE": ["synonym", ...], ... } into a value map. */
static int read_synonyms(const cJSON *obj, int (*canonical)(const char *), struct rb_valmap *m,
                         const char *path, struct rb_err *err)
{
    for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next) {
        char key[64];
        rb_key_normalise(c->string, key, sizeof key);
        int code = canonical(key);
        if (code < 0 || !cJSON_IsArray(c))
            return rb_err_set(err, RB_EINVAL, "%s: '%s' is not a known code with a list of synonyms",
                              path, c->string);
        for (const cJSON *s = c->child; s; s = s->next) {
            if (!cJSON_IsString(s))
                return rb_err_set(err, RB_EINVAL, "%s: synonyms of '%s' must be strings", path, c->string);
            if (valmap_add(m, s->valuestring, code))
                return rb_err_nomem(err);
        }
    }
    return RB_OK;
}

int rb_vocab_read(const char *data_dir, struct rb_vocab *v, struct rb_err *err)
{
    memset(v, 0, sizeof *v);
    char buf[4096];
    const char *path;
    cJSON *root = rb_data_json(data_dir, "vocabulary.json", NULL, buf, sizeof buf, &path, err);
    if (!root)
        return err->code;
    int rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "severity"), rb_severity_parse,
                           &v->severity, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "crash_type"), rb_crash_type_parse,
                           &v->crash_type, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "light"), rb_light_parse,
                           &v->light, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "surface"), rb_surface_parse,
                           &v->surface, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "weather"), rb_weather_parse,
                           &v->weather, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "vehicle"), rb_vehicle_parse, &v->vehicle, path,
                           err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "area"), rb_area_parse, &v->area, path, err);
    if (!rc)
        rc = read_synonyms(cJSON_GetObjectItemCaseSensitive(root, "flag"), rb_flag_parse, &v->flag, path, err);
    cJSON_Delete(root);
    if (rc)
        rb_vocab_free(v);
    return rc;
}

void rb_vocab_free(struct rb_vocab *v)
{
    if (!v)
        return;
    valmap_free(&v->severity);
    valmap_free(&v->crash_type);
    valmap_free(&v->light);
    valmap_free(&v->surface);
    valmap_free(&v->weather);
    valmap_free(&v->vehicle);
    valmap_free(&v->area);
    valmap_free(&v->flag);
}

int rb_area_parse(const char *key)
{
    return !strcmp(key, "urban") ? 1 : !strcmp(key, "rural") ? 0 : -1;
}

int rb_flag_parse(const char *key)
{
    return !strcmp(key, "yes") ? 1 : !strcmp(key, "no") ? 0 : -1;
}

int rb_street_lit_parse(const char *key)
{
    return !strcmp(key, "yes") ? 1 : !strcmp(key, "no") ? 2 : !strcmp(key, "unknown") ? 0 : -1;
}

int rb_costs_read(const char *data_dir, const char *path, struct rb_costs *c, struct rb_err *err)
{
    memset(c, 0, sizeof *c);
    char buf[4096];
    cJSON *root = rb_data_json(data_dir, "crash_costs.json", path, buf, sizeof buf, &path, err);
    if (!root)
        return err->code;
    int rc = RB_OK;
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(root, "currency");
    const cJSON *yr = cJSON_GetObjectItemCaseSensitive(root, "year");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "source");
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(root, "cost_per_crash");
    if (cJSON_IsString(cur))
        snprintf(c->currency, sizeof c->currency, "%s", cur->valuestring);
    if (cJSON_IsNumber(yr))
        c->year = yr->valueint;
    if (cJSON_IsString(src))
        snprintf(c->source, sizeof c->source, "%s", src->valuestring);
    for (int k = 0; k < 5 && !rc; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(costs, rb_severity_code(k));
        if (!cJSON_IsNumber(v) || v->valuedouble <= 0)
            rc = rb_err_set(err, RB_EINVAL, "%s: 'cost_per_crash.%s' must be a positive number",
                            path, rb_severity_code(k));
        else
            c->cost[k] = v->valuedouble;
    }
    cJSON_Delete(root);
    return rc;
}
