/* io/config: the JSON project config and the domain data files (cJSON). */
#include "io/internal.h"

#include <cjson/cJSON.h>
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

void rb_config_init(struct rb_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->tolerance_m = 30;
    cfg->ambiguous_margin_m = 5;
    cfg->grade_margin_m = 15;
    cfg->junction_radius_m = 20;
    cfg->node_snap_m = 0.5;
    for (int k = 0; k < 5; k++)
        cfg->epdo_weight[k] = NAN;
    cfg->window_m = 300;
    cfg->step_m = 100;
    cfg->calibration = NAN;
    cfg->confidence = 0.95;
    cfg->ccs_max_len_m = 1000;
    cfg->ccs_max_len_urban_m = 200;
    cfg->ccs_days = 365;
    cfg->ccs_same_type = 3;
    cfg->ccs_any_type = 5;
    cfg->peak_cv = 0.25;
    cfg->hotspot_top = 20;
    cfg->budget = NAN;
    cfg->discount_rate = 0.04;
    cfg->alpha = 0.05;
    cfg->min_pattern = 2;
    cfg->curve_radius_m = 600;
    cfg->gap_junction_m = cfg->gap_bridge_m = cfg->gap_settlement_m = NAN;
    cfg->default_speed_kmh = cfg->device_offset_m = NAN;
    cfg->crp_window_m = NAN;
    cfg->crp_min_crashes = 2;
    cfg->int_radius_m = 76.2;
    cfg->lr_check_m = 250;
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
        &cfg->road_shoulder, &cfg->road_bridge, &cfg->road_divided, &cfg->road_tunnel, &cfg->road_layer, &cfg->placement, &cfg->drive_side,
        &cfg->road_aadt_year, &cfg->settle_path, &cfg->settle_layer, &cfg->sections_by, &cfg->population_by, &cfg->crashes_path, &cfg->crashes_layer, &cfg->crashes_crs, &cfg->encoding, &cfg->crashes_where, &cfg->output_crs,
        &cfg->x_field, &cfg->y_field, &cfg->id_field, &cfg->date_field, &cfg->date_format,
        &cfg->time_field, &cfg->group_by, &cfg->road_field, &cfg->surface.field,
        &cfg->weather_field, &cfg->severity.field, &cfg->crash_type.field, &cfg->light.field,
        &cfg->rank_by, &cfg->spf, &cfg->data_dir, &cfg->config_path, &cfg->target_type,
        &cfg->hotspot_rules, &cfg->int_path, &cfg->int_layer, &cfg->int_id, &cfg->int_major,
        &cfg->int_minor, &cfg->entering, &cfg->catalogue, &cfg->objective, &cfg->combine, &cfg->plan_rank_by, &cfg->budgets, &cfg->carry_over,
        &cfg->measure_field, &cfg->measure_unit, &cfg->markers_path, &cfg->markers_layer, &cfg->markers_route,
        &cfg->markers_value, &cfg->overrides_path, &cfg->direction_field, &cfg->osm_highways
    };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        rb_free(*strs[i]);
        *strs[i] = NULL;
    }
    valmap_free(&cfg->severity.map);
    valmap_free(&cfg->crash_type.map);
    valmap_free(&cfg->light.map);
    valmap_free(&cfg->surface.map);
}

/* ---- the option table: one row per settable key, used by the file and the flags ---- */

enum opt_kind { OPT_STR, OPT_NUM, OPT_INT, OPT_COUNT, OPT_MAP };

struct opt {
    const char *key;
    enum opt_kind kind;
    size_t off;                  /* offset of the field in struct rb_config */
    int (*canonical)(const char *);  /* OPT_MAP: canonical-name parser */
};

#define O(f) offsetof(struct rb_config, f)
static const struct opt opts[] = {
    { "roads.path", OPT_STR, O(roads_path), NULL },
    { "roads.layer", OPT_STR, O(roads_layer), NULL },
    { "roads.crs", OPT_STR, O(roads_crs), NULL },
    { "roads.id", OPT_STR, O(road_id), NULL },
    { "roads.route", OPT_STR, O(road_route), NULL },
    { "roads.name", OPT_STR, O(road_name), NULL },
    { "roads.aadt", OPT_STR, O(road_aadt), NULL },
    { "roads.aadt_by_year", OPT_STR, O(road_aadt_year), NULL },
    { "settlements.path", OPT_STR, O(settle_path), NULL },
    { "settlements.layer", OPT_STR, O(settle_layer), NULL },
    { "roads.speed_limit", OPT_STR, O(road_speed), NULL },
    { "roads.lanes", OPT_STR, O(road_lanes), NULL },
    { "roads.area", OPT_STR, O(road_area), NULL },
    { "roads.shoulder_m", OPT_STR, O(road_shoulder), NULL },
    { "roads.bridge", OPT_STR, O(road_bridge), NULL },
    { "roads.divided", OPT_STR, O(road_divided), NULL },
    { "roads.tunnel", OPT_STR, O(road_tunnel), NULL },
    { "roads.layer", OPT_STR, O(road_layer), NULL },
    { "crashes.path", OPT_STR, O(crashes_path), NULL },
    { "crashes.layer", OPT_STR, O(crashes_layer), NULL },
    { "crashes.crs", OPT_STR, O(crashes_crs), NULL },
    { "crashes.encoding", OPT_STR, O(encoding), NULL },
    { "crashes.where", OPT_STR, O(crashes_where), NULL },
    { "output.crs", OPT_STR, O(output_crs), NULL },
    { "crashes.x", OPT_STR, O(x_field), NULL },
    { "crashes.y", OPT_STR, O(y_field), NULL },
    { "crashes.id", OPT_STR, O(id_field), NULL },
    { "crashes.date", OPT_STR, O(date_field), NULL },
    { "crashes.date_format", OPT_STR, O(date_format), NULL },
    { "crashes.time", OPT_STR, O(time_field), NULL },
    { "crashes.group_by", OPT_STR, O(group_by), NULL },
    { "crashes.road", OPT_STR, O(road_field), NULL },
    { "crashes.measure", OPT_STR, O(measure_field), NULL },
    { "crashes.direction", OPT_STR, O(direction_field), NULL },
    { "crashes.measure_unit", OPT_STR, O(measure_unit), NULL },
    { "markers.path", OPT_STR, O(markers_path), NULL },
    { "markers.layer", OPT_STR, O(markers_layer), NULL },
    { "markers.route", OPT_STR, O(markers_route), NULL },
    { "markers.value", OPT_STR, O(markers_value), NULL },
    { "match.lr_check_m", OPT_NUM, O(lr_check_m), NULL },
    { "overrides.path", OPT_STR, O(overrides_path), NULL },
    { "osm.highways", OPT_STR, O(osm_highways), NULL },
    { "crashes.surface", OPT_MAP, O(surface), rb_surface_parse },
    { "crashes.weather", OPT_STR, O(weather_field), NULL },
    { "crashes.severity", OPT_MAP, O(severity), rb_severity_parse },
    { "crashes.crash_type", OPT_MAP, O(crash_type), rb_crash_type_parse },
    { "crashes.light", OPT_MAP, O(light), rb_light_parse },
    { "match.tolerance_m", OPT_NUM, O(tolerance_m), NULL },
    { "match.ambiguous_margin_m", OPT_NUM, O(ambiguous_margin_m), NULL },
    { "match.grade_margin_m", OPT_NUM, O(grade_margin_m), NULL },
    { "match.junction_radius_m", OPT_NUM, O(junction_radius_m), NULL },
    { "match.node_snap_m", OPT_NUM, O(node_snap_m), NULL },
    { "study.from_year", OPT_INT, O(year_from), NULL },
    { "study.to_year", OPT_INT, O(year_to), NULL },
    { "epdo_weights.K", OPT_NUM, O(epdo_weight[0]), NULL },
    { "epdo_weights.A", OPT_NUM, O(epdo_weight[1]), NULL },
    { "epdo_weights.B", OPT_NUM, O(epdo_weight[2]), NULL },
    { "epdo_weights.C", OPT_NUM, O(epdo_weight[3]), NULL },
    { "epdo_weights.O", OPT_NUM, O(epdo_weight[4]), NULL },
    { "rank_by", OPT_STR, O(rank_by), NULL },
    { "screen.window_m", OPT_NUM, O(window_m), NULL },
    { "screen.step_m", OPT_NUM, O(step_m), NULL },
    { "screen.spf", OPT_STR, O(spf), NULL },
    { "screen.calibration", OPT_NUM, O(calibration), NULL },
    { "screen.confidence", OPT_NUM, O(confidence), NULL },
    { "screen.rank_by", OPT_STR, O(rank_by), NULL },
    { "screen.target_type", OPT_STR, O(target_type), NULL },
    { "screen.peak_cv", OPT_NUM, O(peak_cv), NULL },
    { "screen.hotspot_rules", OPT_STR, O(hotspot_rules), NULL },
    { "screen.hotspot_top", OPT_COUNT, O(hotspot_top), NULL },
    { "screen.crp_window_m", OPT_NUM, O(crp_window_m), NULL },
    { "screen.sections_by", OPT_STR, O(sections_by), NULL },
    { "screen.population_by", OPT_STR, O(population_by), NULL },
    { "screen.crp_min_crashes", OPT_COUNT, O(crp_min_crashes), NULL },
    { "screen.entering", OPT_STR, O(entering), NULL },
    { "plan.catalogue", OPT_STR, O(catalogue), NULL },
    { "plan.budget", OPT_NUM, O(budget), NULL },
    { "plan.discount_rate", OPT_NUM, O(discount_rate), NULL },
    { "plan.objective", OPT_STR, O(objective), NULL },
    { "plan.alpha", OPT_NUM, O(alpha), NULL },
    { "plan.min_pattern", OPT_COUNT, O(min_pattern), NULL },
    { "plan.combine", OPT_STR, O(combine), NULL },
    { "plan.rank_by", OPT_STR, O(plan_rank_by), NULL },
    { "plan.budgets", OPT_STR, O(budgets), NULL },
    { "plan.carry_over", OPT_STR, O(carry_over), NULL },
    { "plan.curve_radius_m", OPT_NUM, O(curve_radius_m), NULL },
    { "plan.placement", OPT_STR, O(placement), NULL },
    { "plan.gap_junction_m", OPT_NUM, O(gap_junction_m), NULL },
    { "plan.gap_bridge_m", OPT_NUM, O(gap_bridge_m), NULL },
    { "plan.gap_settlement_m", OPT_NUM, O(gap_settlement_m), NULL },
    { "plan.default_speed_kmh", OPT_NUM, O(default_speed_kmh), NULL },
    { "plan.drive_side", OPT_STR, O(drive_side), NULL },
    { "plan.device_offset_m", OPT_NUM, O(device_offset_m), NULL },
    { "intersections.path", OPT_STR, O(int_path), NULL },
    { "intersections.layer", OPT_STR, O(int_layer), NULL },
    { "intersections.id", OPT_STR, O(int_id), NULL },
    { "intersections.major_aadt", OPT_STR, O(int_major), NULL },
    { "intersections.minor_aadt", OPT_STR, O(int_minor), NULL },
    { "intersections.radius_m", OPT_NUM, O(int_radius_m), NULL },
    { "ccs.max_length_m", OPT_NUM, O(ccs_max_len_m), NULL },
    { "ccs.max_length_urban_m", OPT_NUM, O(ccs_max_len_urban_m), NULL },
    { "ccs.days", OPT_COUNT, O(ccs_days), NULL },
    { "ccs.same_type", OPT_COUNT, O(ccs_same_type), NULL },
    { "ccs.any_type", OPT_COUNT, O(ccs_any_type), NULL },
    { "data_dir", OPT_STR, O(data_dir), NULL },
};
#undef O

static const struct opt *opt_find(const char *key, int *is_map_values)
{
    *is_map_values = 0;
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        if (strcmp(opts[i].key, key) == 0)
            return &opts[i];
        size_t n = strlen(opts[i].key);
        if (opts[i].kind == OPT_MAP && strncmp(opts[i].key, key, n) == 0 &&
            strcmp(key + n, "_map") == 0) {
            *is_map_values = 1;
            return &opts[i];
        }
    }
    return NULL;
}

/* Adds one "value → code" pair to a coded field's map. */
static int map_add_pair(const struct opt *o, struct rb_coded_field *cf, const char *from,
                        const char *to, const char *where, struct rb_err *err)
{
    char key[64];
    rb_key_normalise(to, key, sizeof key);
    int code = o->canonical(key);
    if (code < 0)
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' maps '%s' to '%s', which is not a %s code",
                          where, o->key, from, to, o->key + strlen("crashes."));
    if (valmap_add(&cf->map, from, code))
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

static int set_number(const struct opt *o, void *field, const char *value, const char *where,
                      struct rb_err *err)
{
    double v;
    if (!rb_parse_double(value, &v))
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' wants a number, not '%s'", where, o->key, value);
    if (o->kind == OPT_INT) {
        if (v != floor(v) || v < 0 || v > 9999)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' wants a year, not '%s'", where, o->key, value);
        *(int *)field = (int)v;
    } else if (o->kind == OPT_COUNT) {
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
    const struct opt *o;
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

static int config_set_where(struct rb_config *cfg, const char *key, const char *value,
                            const char *where, struct rb_err *err)
{
    struct pair_ctx ctx = { cfg, NULL, NULL, where, err };
    if (strcmp(key, "epdo_weights") == 0)   /* "K=542,A=29.3" */
        return for_each_pair(value, key, "CODE=WEIGHT", where, weight_pair, &ctx, err);
    int map_values;
    const struct opt *o = opt_find(key, &map_values);
    if (!o)
        return rb_err_set(err, RB_EUSAGE, "%s: unknown option '%s'", where, key);
    void *field = (char *)cfg + o->off;
    if (map_values) {                       /* "1=K,2=A,3=C" */
        ctx.o = o;
        ctx.cf = field;
        return for_each_pair(value, key, "VALUE=CODE", where, map_pair, &ctx, err);
    }
    switch (o->kind) {
    case OPT_STR: return set_string(field, value, err);
    case OPT_MAP: return set_string(&((struct rb_coded_field *)field)->field, value, err);
    default: return set_number(o, field, value, where, err);
    }
}

int rb_config_set(struct rb_config *cfg, const char *key, const char *value, struct rb_err *err)
{
    return config_set_where(cfg, key, value, "command line", err);
}

/* Applies one JSON member at dotted key. Objects recurse, except a coded field's
 * object, which is { "field": ..., "map": { value: code } }. */
static int apply_json(struct rb_config *cfg, const char *prefix, const cJSON *item,
                      const char *path, struct rb_err *err)
{
    char key[256];
    if (prefix[0])
        snprintf(key, sizeof key, "%s.%s", prefix, item->string);
    else
        snprintf(key, sizeof key, "%s", item->string);

    int map_values;
    const struct opt *o = opt_find(key, &map_values);
    if (cJSON_IsObject(item) && (!o || o->kind != OPT_MAP)) {
        if (prefix[0])
            return rb_err_set(err, RB_EUSAGE, "%s: unknown key '%s'", path, key);
        for (const cJSON *c = item->child; c; c = c->next) {
            int rc = apply_json(cfg, key, c, path, err);
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
        if (!cf->field)
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' has a map but no 'field'", path, key);
        return RB_OK;
    }
    char num[64], list[1024];
    const char *value;
    if (o->kind == OPT_STR && cJSON_IsArray(item)) {
        /* a list of numbers (yearly budgets) as the comma list the flag takes */
        list[0] = 0;
        for (const cJSON *c = item->child; c; c = c->next) {
            if (!cJSON_IsNumber(c))
                return rb_err_set(err, RB_EUSAGE, "%s: '%s' must list numbers", path, key);
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.17g", list[0] ? "," : "", c->valuedouble);
        }
        return config_set_where(cfg, key, list, path, err);
    }
    if (o->kind == OPT_STR && cJSON_IsBool(item))
        return config_set_where(cfg, key, cJSON_IsTrue(item) ? "yes" : "no", path, err);
    if (cJSON_IsString(item)) {
        value = item->valuestring;
    } else if (cJSON_IsNumber(item)) {
        snprintf(num, sizeof num, "%.17g", item->valuedouble);
        value = num;
    } else if (cJSON_IsNull(item)) {
        return RB_OK;
    } else {
        return rb_err_set(err, RB_EUSAGE, "%s: '%s' must be a string or a number", path, key);
    }
    if (o->kind == OPT_STR || o->kind == OPT_MAP) {
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

/* Parses JSON text; on error names the line and column where it broke. */
cJSON *rb_json_read(const char *path, struct rb_err *err)
{
    size_t len;
    char *text = slurp(path, &len, err);
    if (!text)
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        int line = 1, col = 1;
        for (size_t i = 0; i < at && i < len; i++) {
            if (text[i] == '\n') { line++; col = 1; } else col++;
        }
        rb_err_set(err, RB_EUSAGE, "%s:%d:%d: invalid JSON", path, line, col);
    }
    rb_free(text);
    return root;
}

int rb_config_read(struct rb_config *cfg, const char *path, struct rb_err *err)
{
    cJSON *root = rb_json_read(path, err);
    if (!root)
        return err->code;
    int rc = RB_OK;
    if (!cJSON_IsObject(root))
        rc = rb_err_set(err, RB_EUSAGE, "%s: the config must be a JSON object", path);
    for (const cJSON *c = root->child; c && !rc; c = c->next) {
        if (strcmp(c->string, "$comment") == 0 || strcmp(c->string, "comment") == 0)
            continue;
        rc = apply_json(cfg, "", c, path, err);
    }
    cJSON_Delete(root);
    if (!rc)
        rc = set_string(&cfg->config_path, path, err);
    return rc;
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

int rb_costs_read(const char *data_dir, struct rb_costs *c, struct rb_err *err)
{
    memset(c, 0, sizeof *c);
    char buf[4096];
    const char *path;
    cJSON *root = rb_data_json(data_dir, "crash_costs.json", NULL, buf, sizeof buf, &path, err);
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
