/* plan/placement: the tables work orders place things by (cJSON). */
#include "plan/placement.h"
#include "io/io.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static double num_or(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void text(const cJSON *o, const char *key, char *out, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    snprintf(out, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

/* rows of two numbers, the first increasing; a null first number (last row only) is infinity */
static int read_rows(const cJSON *tab, const char *name, const char *k0, const char *k1, double *a, double *b,
                     size_t *n, const char *path, struct rb_err *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(tab, "rows");
    *n = 0;
    if (!cJSON_IsArray(rows) || !cJSON_GetArraySize(rows))
        return rb_err_set(err, RB_EINVAL, "%s: '%s' needs 'rows': [{\"%s\": ..., \"%s\": ...}, ...]", path, name,
                          k0, k1);
    for (const cJSON *r = rows->child; r; r = r->next) {
        if (*n == RB_PLACE_MAX)
            return rb_err_set(err, RB_EINVAL, "%s: '%s' has more than %d rows", path, name, RB_PLACE_MAX);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(r, k0);
        double v0 = cJSON_IsNull(x) && !r->next ? INFINITY : num_or(r, k0, NAN), v1 = num_or(r, k1, NAN);
        if (!(v0 > 0) || !(v1 > 0) || (*n && !(v0 > a[*n - 1])))
            return rb_err_set(err, RB_EINVAL,
                              "%s: '%s' row %zu: '%s' and '%s' must be numbers above 0, '%s' increasing row "
                              "by row (null only in the last row)", path, name, *n + 1, k0, k1, k0);
        a[*n] = v0;
        b[(*n)++] = v1;
    }
    return RB_OK;
}

int rb_placement_read(const char *data_dir, const char *path, struct rb_placement *pl, struct rb_err *err)
{
    memset(pl, 0, sizeof *pl);
    char buf[4096];
    cJSON *root = rb_data_json(data_dir, "placement.json", path, buf, sizeof buf, &path, err);
    if (!root)
        return err->code;
    const cJSON *signs = cJSON_GetObjectItemCaseSensitive(root, "advance_signs");
    const cJSON *chev = cJSON_GetObjectItemCaseSensitive(root, "chevrons");
    const cJSON *gaps = cJSON_GetObjectItemCaseSensitive(root, "strip_gaps");
    text(signs, "source", pl->sign_source, sizeof pl->sign_source);
    text(chev, "source", pl->chevron_source, sizeof pl->chevron_source);
    int rc = read_rows(signs, "advance_signs", "speed_kmh", "distance_m", pl->sign_speed_kmh, pl->sign_distance_m,
                       &pl->nsign, path, err);
    if (!rc)
        rc = read_rows(chev, "chevrons", "max_radius_m", "spacing_m", pl->chev_radius_m, pl->chev_spacing_m,
                       &pl->nchev, path, err);
    if (!rc) {
        pl->chev_min = (int)num_or(chev, "min_per_curve", 3);
        pl->gap_junction_m = num_or(gaps, "junction_m", NAN);
        pl->gap_bridge_m = num_or(gaps, "bridge_m", NAN);
        pl->gap_settlement_m = num_or(gaps, "settlement_m", NAN);
        pl->default_speed_kmh = num_or(root, "default_speed_kmh", NAN);
        pl->device_offset_m = num_or(root, "device_offset_m", 0);
        if (!(pl->gap_junction_m >= 0) || !(pl->gap_bridge_m >= 0) || !(pl->gap_settlement_m >= 0) ||
            !(pl->default_speed_kmh > 0) || !(pl->device_offset_m >= 0) || pl->chev_min < 1)
            rc = rb_err_set(err, RB_EINVAL,
                            "%s: needs strip_gaps {junction_m, bridge_m, settlement_m} of 0 or more, "
                            "default_speed_kmh above 0, device_offset_m of 0 or more and chevrons.min_per_curve "
                            "of 1 or more", path);
    }
    cJSON_Delete(root);
    return rc;
}
