/* plan/catalogue: the countermeasure catalogue (cJSON), checked entry by entry. */
#include "plan/catalogue.h"
#include "io/io.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int snake_case(const char *s)
{
    if (!*s || !islower((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* "all" / absent → every bit below n; a list of names → their bits */
static int name_set(const cJSON *v, int (*parse)(const char *), int n, uint32_t *out, const char *what,
                    const char *path, const char *id, struct rb_err *err)
{
    *out = 0;
    if (!v || (cJSON_IsString(v) && (!strcmp(v->valuestring, "all") || !strcmp(v->valuestring, "any")))) {
        *out = n >= 32 ? UINT32_MAX : (1u << n) - 1;
        return RB_OK;
    }
    if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': '%s' must be \"all\" or a list of names",
                          path, id, what);
    for (const cJSON *e = v->child; e; e = e->next) {
        int k = cJSON_IsString(e) ? parse(e->valuestring) : -1;
        if (k < 0)
            return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': unknown %s '%s'", path, id, what,
                              cJSON_IsString(e) ? e->valuestring : "(not a string)");
        *out |= 1u << k;
    }
    return RB_OK;
}

static int sev_letters(const cJSON *v, uint8_t *out, const char *path, const char *id, struct rb_err *err)
{
    *out = 0;
    const char *s = cJSON_IsString(v) ? v->valuestring : v ? NULL : "KABCO";
    if (!s)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': severities must be letters such as \"KABC\"",
                          path, id);
    for (; *s; s++) {
        int k = rb_severity_parse((char[]){ *s, 0 });
        if (k < 0 || k > RB_SEV_O)
            return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': unknown severity '%c' (use K A B C O)",
                              path, id, *s);
        *out |= (uint8_t)(1u << k);
    }
    return RB_OK;
}

static int read_pattern(const cJSON *o, struct rb_pattern *p, const char *what, const char *path, const char *id,
                        struct rb_err *err)
{
    if (!cJSON_IsObject(o))
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s' needs '%s': {\"crash_types\": ...}", path, id,
                          what);
    uint32_t l = 0, s = 0, w = 0;
    int rc = name_set(cJSON_GetObjectItemCaseSensitive(o, "crash_types"), rb_crash_type_parse, RB_NCT, &p->types,
                      "crash type", path, id, err);
    if (!rc)
        rc = sev_letters(cJSON_GetObjectItemCaseSensitive(o, "severities"), &p->sevs, path, id, err);
    if (!rc)
        rc = name_set(cJSON_GetObjectItemCaseSensitive(o, "light"), rb_light_parse, RB_NLIGHT, &l, "light", path,
                      id, err);
    if (!rc)
        rc = name_set(cJSON_GetObjectItemCaseSensitive(o, "surface"), rb_surface_parse, RB_NSURF, &s, "surface",
                      path, id, err);
    if (!rc)
        rc = name_set(cJSON_GetObjectItemCaseSensitive(o, "weather"), rb_weather_parse, RB_NWX, &w, "weather",
                      path, id, err);
    p->lights = (uint8_t)l;
    p->surfaces = (uint8_t)s;
    p->weathers = (uint8_t)w;
    return rc;
}

static double num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int pick(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* What an entry or a package does and the evidence for it: the crashes that
 * call for it (triggers, default its targets) and those its CMF acts on, the
 * CMF with its standard error and star rating, source and status. */
struct effect {
    struct rb_pattern *trigger, *target;
    double *cmf, *cmf_se;
    int *stars;
    char *source;
    size_t nsource;
    char *status;
    size_t nstatus;
};

static int read_effect(const cJSON *e, const char *id, const struct effect *ef, const char *path, struct rb_err *err)
{
    const char *source = str(e, "source") ? str(e, "source") : "";
    if (strlen(source) >= ef->nsource)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'source' is longer than %zu bytes: cite it "
                          "shorter (the id or the reference) and keep the detail in the catalogue's notes",
                          path, id, ef->nsource - 1);
    snprintf(ef->source, ef->nsource, "%s", source);
    static const char *const evidence[] = { "checked", "to_verify", "unrated" };
    if (pick(str(e, "status") ? str(e, "status") : "to_verify", evidence, 3) < 0)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'status' must be checked, to_verify or unrated",
                          path, id);
    snprintf(ef->status, ef->nstatus, "%s", str(e, "status") ? str(e, "status") : "to_verify");
    int rc = read_pattern(cJSON_GetObjectItemCaseSensitive(e, "targets"), ef->target, "targets", path, id, err);
    if (!rc) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "triggers");
        rc = t ? read_pattern(t, ef->trigger, "triggers", path, id, err) : (*ef->trigger = *ef->target, RB_OK);
    }
    if (rc)
        return rc;
    *ef->cmf = num(e, "cmf", NAN);
    *ef->cmf_se = num(e, "cmf_se", NAN);
    if (!(*ef->cmf > 0) || *ef->cmf > 10)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'cmf' must be a number above 0", path, id);
    double stars = num(e, "stars", 0);
    if (!(stars >= 0 && stars <= 5 && stars == floor(stars)) || !(*ef->cmf_se != *ef->cmf_se || *ef->cmf_se >= 0))
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'stars' is the CMF Clearinghouse's rating, 1 to 5 "
                          "(0 or none: not rated), and 'cmf_se' a standard error, not negative", path, id);
    *ef->stars = (int)stars;
    return RB_OK;
}

/* A price: unit_cost, upkeep_per_yr (default 0) and life_yr, in o. */
static int read_price(const cJSON *o, struct rb_cm *cm, const char *path, struct rb_err *err)
{
    cm->unit_cost = num(o, "unit_cost", NAN);
    cm->upkeep_per_yr = num(o, "upkeep_per_yr", 0);
    cm->life_yr = num(o, "life_yr", NAN);
    if (!(cm->unit_cost >= 0) || !(cm->upkeep_per_yr >= 0) || !(cm->life_yr >= 1) || cm->life_yr > 100 ||
        cm->life_yr != floor(cm->life_yr))
        return rb_err_set(err, RB_EINVAL,
                          "%s: countermeasure '%s': its price needs unit_cost >= 0, upkeep_per_yr >= 0 and life_yr, "
                          "whole years from 1 to 100", path, cm->id);
    cm->priced = 1;
    return RB_OK;
}

static int read_entry(const cJSON *e, struct rb_cm *cm, const char *path, size_t at, int elsewhere,
                      struct rb_err *err)
{
    memset(cm, 0, sizeof *cm);
    const char *id = str(e, "id");
    if (!id || !snake_case(id) || strlen(id) >= sizeof cm->id)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure %zu needs an 'id' in snake_case (under %zu characters)",
                          path, at + 1, sizeof cm->id);
    snprintf(cm->id, sizeof cm->id, "%s", id);
    snprintf(cm->name, sizeof cm->name, "%s", str(e, "name") ? str(e, "name") : id);
    static const char *const sites[] = { "segment", "intersection", "both" };
    int site = pick(str(e, "site") ? str(e, "site") : "segment", sites, 3);
    if (site < 0)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'site' must be segment, intersection or both",
                          path, id);
    cm->site = site == 0 ? RB_CM_SEGMENT : site == 1 ? RB_CM_INTERSECTION : RB_CM_SEGMENT | RB_CM_INTERSECTION;
    struct effect ef = { &cm->trigger, &cm->target, &cm->cmf, &cm->cmf_se, &cm->stars, cm->source, sizeof cm->source,
                         cm->status, sizeof cm->status };
    int rc = read_effect(e, id, &ef, path, err);
    if (rc)
        return rc;
    const cJSON *ap = cJSON_GetObjectItemCaseSensitive(e, "applies");
    static const char *const areas[] = { "rural", "urban", "any" };
    int area = pick(str(ap, "area") ? str(ap, "area") : "any", areas, 3);
    if (area < 0)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'applies.area' must be rural, urban or any",
                          path, id);
    cm->area = area == 2 ? -1 : area;
    cm->min_speed_kmh = num(ap, "min_speed_kmh", NAN);
    cm->max_speed_kmh = num(ap, "max_speed_kmh", NAN);
    cm->min_aadt = num(ap, "min_aadt", NAN);
    cm->max_aadt = num(ap, "max_aadt", NAN);
    cm->min_lanes = (int)num(ap, "min_lanes", 0);
    cm->max_lanes = (int)num(ap, "max_lanes", 0);
    cm->min_shoulder_m = num(ap, "min_shoulder_m", NAN);
    const cJSON *curve = cJSON_GetObjectItemCaseSensitive(ap, "curve");
    cm->curve = cJSON_IsTrue(curve);
    const cJSON *div = cJSON_GetObjectItemCaseSensitive(ap, "divided");
    cm->divided = cJSON_IsBool(div) ? cJSON_IsTrue(div) : -1;
    /* a road attribute that says it is already there (road lighting: roads.lit) */
    const char *pw = str(e, "present_where");
    if (pw && strcmp(pw, "lit"))
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'present_where' is lit (the roads' lighting flag),"
                          " not '%s'", path, id, pw);
    cm->present_lit = pw != NULL;
    const cJSON *cost = cJSON_GetObjectItemCaseSensitive(e, "cost");
    static const char *const units[] = { "km", "site", "item" };
    cm->unit = pick(str(cost, "unit"), units, 3);
    if (cm->unit < 0)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'cost' needs unit (km, site or item)", path, id);
    /* its price here, or in the prices file the catalogue names */
    if (!(elsewhere && !cJSON_GetObjectItemCaseSensitive(cost, "unit_cost")) && (rc = read_price(cost, cm, path, err)))
        return rc;
    const cJSON *lay = cJSON_GetObjectItemCaseSensitive(e, "layout");
    static const char *const rules[] = { "strip", "signs", "curve", "spaced", "point", "section" };
    cm->layout = pick(str(lay, "rule"), rules, 6);
    cm->unit_m = num(lay, "unit_m", 0);
    cm->spacing_m = num(lay, "spacing_m", 0);
    cm->per_direction = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lay, "per_direction"));
    cm->gaps = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(lay, "gaps"));
    if (cm->layout < 0 || cm->unit_m < 0 || cm->spacing_m < 0 ||
        (cm->layout == RB_LAYOUT_SPACED && !(cm->spacing_m > 0)))
        return rb_err_set(err, RB_EINVAL,
                          "%s: countermeasure '%s': 'layout.rule' must be strip, signs, curve, spaced, point or "
                          "section "
                          "(spaced needs spacing_m > 0)", path, id);
    /* a point device acts over the zone its CMF was measured in: it must say which */
    const cJSON *zone = cJSON_GetObjectItemCaseSensitive(lay, "zone");
    double radius = num(zone, "radius_m", NAN);
    cm->zone_up_m = num(zone, "upstream_m", radius);
    cm->zone_down_m = num(zone, "downstream_m", radius);
    const char *zsrc = str(zone, "source");
    if (zsrc && strlen(zsrc) >= sizeof cm->zone_source)
        return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'layout.zone.source' is longer than %zu bytes",
                          path, id, sizeof cm->zone_source - 1);
    snprintf(cm->zone_source, sizeof cm->zone_source, "%s", zsrc ? zsrc : "");
    const char *where = str(lay, "at");
    cm->at_junction = where && !strcmp(where, "junction");
    if (cm->layout == RB_LAYOUT_POINT &&
        (!(cm->zone_up_m >= 0) || !(cm->zone_down_m >= 0) || cm->zone_up_m + cm->zone_down_m <= 0 || !zsrc ||
         !*zsrc || (where && strcmp(where, "junction") && strcmp(where, "crashes"))))
        return rb_err_set(err, RB_EINVAL,
                          "%s: countermeasure '%s': a point device needs 'layout.zone', the stretch its CMF "
                          "was measured over: radius_m, or upstream_m and downstream_m of the traffic it faces "
                          "(metres, not negative), with its source; 'layout.at' is junction or crashes",
                          path, id);
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(e, "excludes");
    for (const cJSON *x = cJSON_IsArray(ex) ? ex->child : NULL; x; x = x->next) {
        if (!cJSON_IsString(x) || cm->nexcludes == RB_CM_MAX_EXCLUDES)
            return rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s': 'excludes' must be at most %d ids", path,
                              id, RB_CM_MAX_EXCLUDES);
        snprintf(cm->excludes[cm->nexcludes++], sizeof cm->excludes[0], "%s", x->valuestring);
    }
    return RB_OK;
}

int rb_cm_checked(const struct rb_cm *cm)
{
    return !strcmp(cm->status, "checked");
}

int rb_catalogue_package(const struct rb_catalogue *cat, uint64_t cms)
{
    for (size_t p = 0; p < cat->npk; p++)
        if (cat->pk[p].members == cms)
            return (int)p;
    return -1;
}

const char *rb_catalogue_evidence(const struct rb_catalogue *cat, uint64_t cms)
{
    int pk = rb_catalogue_package(cat, cms);
    if (pk >= 0)
        return cat->pk[pk].status;
    int worst = 0;                       /* 0 checked, 1 to_verify, 2 unrated */
    for (size_t k = 0; k < cat->n && k < 64; k++)
        if (cms >> k & 1 && !rb_cm_checked(&cat->cm[k]))
            worst = strcmp(cat->cm[k].status, "unrated") ? (worst > 1 ? worst : 1) : 2;
    return worst == 2 ? "unrated" : worst == 1 ? "to_verify" : "checked";
}

int rb_catalogue_stars(const struct rb_catalogue *cat, uint64_t cms)
{
    int pk = rb_catalogue_package(cat, cms);
    if (pk >= 0)
        return cat->pk[pk].stars;
    int least = 6;
    for (size_t k = 0; k < cat->n && k < 64; k++)
        if (cms >> k & 1 && cat->cm[k].stars < least)
            least = cat->cm[k].stars;
    return least == 6 ? 0 : least;
}

int rb_catalogue_find(const struct rb_catalogue *cat, const char *id)
{
    for (size_t i = 0; i < cat->n; i++)
        if (!strcmp(cat->cm[i].id, id))
            return (int)i;
    return -1;
}

/* A package: its id (unique among entries and packages), its members (two or
 * more entries), and its effect. */
static int read_package(const cJSON *e, struct rb_catalogue *cat, const char *path, struct rb_err *err)
{
    struct rb_cm_package *pk = &cat->pk[cat->npk];
    memset(pk, 0, sizeof *pk);
    const char *id = str(e, "id");
    if (!id || !snake_case(id) || strlen(id) >= sizeof pk->id || rb_catalogue_find(cat, id) >= 0)
        return rb_err_set(err, RB_EINVAL, "%s: package %zu needs an 'id' in snake_case, not a countermeasure's",
                          path, cat->npk + 1);
    for (size_t p = 0; p < cat->npk; p++)
        if (!strcmp(cat->pk[p].id, id))
            return rb_err_set(err, RB_EINVAL, "%s: package id '%s' appears twice", path, id);
    snprintf(pk->id, sizeof pk->id, "%s", id);
    snprintf(pk->name, sizeof pk->name, "%s", str(e, "name") ? str(e, "name") : id);
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(e, "of");
    int nof = 0;
    for (const cJSON *m = cJSON_IsArray(of) ? of->child : NULL; m; m = m->next, nof++) {
        int k = cJSON_IsString(m) ? rb_catalogue_find(cat, m->valuestring) : -1;
        if (k < 0 || pk->members >> k & 1)
            return rb_err_set(err, RB_EINVAL, "%s: package '%s': '%s' is not a countermeasure of the catalogue (or "
                              "is named twice)", path, id, cJSON_IsString(m) ? m->valuestring : "(not a string)");
        pk->members |= 1ull << k;
    }
    if (nof < 2)
        return rb_err_set(err, RB_EINVAL, "%s: package '%s' needs 'of': the ids of two or more countermeasures",
                          path, id);
    if (rb_catalogue_package(cat, pk->members) >= 0)
        return rb_err_set(err, RB_EINVAL, "%s: package '%s' has the same countermeasures as another", path, id);
    struct effect ef = { &pk->trigger, &pk->target, &pk->cmf, &pk->cmf_se, &pk->stars, pk->source, sizeof pk->source,
                         pk->status, sizeof pk->status };
    return read_effect(e, id, &ef, path, err);
}

int rb_catalogue_price(struct rb_catalogue *cat, const char *path, struct rb_err *err)
{
    if (!path && !cat->prices_path[0])
        return RB_OK;
    char used[sizeof cat->prices_path];
    snprintf(used, sizeof used, "%s", path ? path : cat->prices_path);
    char buf[8];
    const char *p;
    cJSON *root = rb_data_json(NULL, "prices.json", used, buf, sizeof buf, &p, err);
    if (!root)
        return err->code;
    const char *cur = str(root, "currency");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "prices");
    int rc = RB_OK;
    if (!cur || !*cur || strlen(cur) >= sizeof cat->currency || !cJSON_IsObject(list))
        rc = rb_err_set(err, RB_EINVAL, "%s: a prices file needs 'currency' and 'prices': {\"countermeasure id\": "
                        "{\"unit_cost\": ..., \"upkeep_per_yr\": ..., \"life_yr\": ...}}", used);
    for (size_t k = 0; k < cat->n; k++)
        cat->cm[k].priced = 0;
    for (const cJSON *e = rc ? NULL : list->child; e && !rc; e = e->next) {
        int k = rb_catalogue_find(cat, e->string);
        if (k < 0)
            rc = rb_err_set(err, RB_EINVAL, "%s: prices '%s', which the catalogue does not have", used, e->string);
        else
            rc = read_price(e, &cat->cm[k], used, err);
    }
    if (!rc) {
        snprintf(cat->currency, sizeof cat->currency, "%s", cur);
        cat->price_year = (int)num(root, "price_year", 0);
        snprintf(cat->prices_path, sizeof cat->prices_path, "%s", used);
        const char *c = str(root, "$comment");
        snprintf(cat->prices_comment, sizeof cat->prices_comment, "%s", c ? c : "");
        cat->prices_example = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "example"));
    }
    cJSON_Delete(root);
    return rc;
}

int rb_catalogue_read(const char *data_dir, const char *path, struct rb_catalogue *cat, struct rb_err *err)
{
    memset(cat, 0, sizeof *cat);
    char buf[4096];
    cJSON *root = rb_data_json(data_dir, "countermeasures.json", path, buf, sizeof buf, &path, err);
    if (!root)
        return err->code;
    int rc = RB_OK;
    const char *cur = str(root, "currency");
    snprintf(cat->currency, sizeof cat->currency, "%s", cur ? cur : "");
    cat->price_year = (int)num(root, "price_year", 0);
    /* the prices file it names: relative to the catalogue's own directory */
    const char *prices = str(root, "prices");
    if (prices) {
        const char *slash = strrchr(path, '/');
        int dir = prices[0] != '/' && slash ? (int)(slash - path + 1) : 0;
        if (snprintf(cat->prices_path, sizeof cat->prices_path, "%.*s%s", dir, path, prices) >=
            (int)sizeof cat->prices_path)
            rc = rb_err_set(err, RB_EINVAL, "%s: 'prices' is too long a path", path);
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "countermeasures");
    if (!rc && (!cur || !*cur) && !prices)
        rc = rb_err_set(err, RB_EINVAL, "%s: needs 'currency' (the unit of every cost in it) or 'prices' (a "
                        "prices file with its own)", path);
    else if (rc)
        ;
    else if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
        rc = rb_err_set(err, RB_EINVAL, "%s: needs a non-empty list 'countermeasures'", path);
    else if (cJSON_GetArraySize(list) > RB_CM_MAX)
        rc = rb_err_set(err, RB_EINVAL, "%s: more than %d countermeasures", path, RB_CM_MAX);
    for (const cJSON *e = list ? list->child : NULL; e && !rc; e = e->next) {
        rc = read_entry(e, &cat->cm[cat->n], path, cat->n, cat->prices_path[0] != 0, err);
        if (!rc && rb_catalogue_find(cat, cat->cm[cat->n].id) >= 0)
            rc = rb_err_set(err, RB_EINVAL, "%s: countermeasure id '%s' appears twice", path, cat->cm[cat->n].id);
        if (!rc)
            cat->n++;
    }
    const cJSON *pks = cJSON_GetObjectItemCaseSensitive(root, "packages");
    if (!rc && pks && (!cJSON_IsArray(pks) || cJSON_GetArraySize(pks) > RB_PK_MAX))
        rc = rb_err_set(err, RB_EINVAL, "%s: 'packages' must be a list of at most %d", path, RB_PK_MAX);
    for (const cJSON *e = pks ? pks->child : NULL; e && !rc; e = e->next)
        if (!(rc = read_package(e, cat, path, err)))
            cat->npk++;
    for (size_t i = 0; i < cat->n && !rc; i++)
        for (size_t k = 0; k < cat->cm[i].nexcludes && !rc; k++)
            if (rb_catalogue_find(cat, cat->cm[i].excludes[k]) < 0)
                rc = rb_err_set(err, RB_EINVAL, "%s: countermeasure '%s' excludes unknown '%s'", path, cat->cm[i].id,
                                cat->cm[i].excludes[k]);
    cJSON_Delete(root);
    return rc;
}
