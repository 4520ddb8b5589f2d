/* screen/spf_file: safety performance function files (cJSON). */
#include "screen/spf.h"
#include "io/io.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_str(char *dst, size_t n, const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    snprintf(dst, n, "%s", cJSON_IsString(v) ? v->valuestring : dflt);
}

static double get_num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* The names of the component kinds, in enum rb_spf_comp_kind's order. */
static const char *const comp_kinds[] = { "terms", "driveways", "factor" };

/* The components of an SPF that sums several: [{"id", "kind": "terms",
 * "driveways" or "factor", ...}] as screen/spf.h describes them. */
static int read_components(const char *path, const cJSON *arr, struct rb_spf *spf, struct rb_err *err)
{
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1 || n > RB_SPF_MAXCOMP)
        return rb_err_set(err, RB_EINVAL, "%s: 'components' must be a list of 1 to %d components", path,
                          RB_SPF_MAXCOMP);
    for (const cJSON *o = arr->child; o; o = o->next) {
        struct rb_spf_comp *c = &spf->comp[spf->ncomp++];
        copy_str(c->id, sizeof c->id, o, "id", "");
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
        c->kind = -1;
        for (int k = 0; k < (int)(sizeof comp_kinds / sizeof *comp_kinds); k++)
            if (cJSON_IsString(kind) && !strcmp(kind->valuestring, comp_kinds[k]))
                c->kind = k;
        if (c->kind < 0)
            return rb_err_set(err, RB_EINVAL, "%s: component '%s': kind must be terms, driveways or factor", path, c->id);
        c->k = get_num(o, "k", NAN);
        c->fi_share = get_num(o, "fi_share", NAN);
        c->t = get_num(o, "t", 1);
        c->aadt_ref = get_num(o, "aadt_ref", NAN);
        c->speed_max_kmh = get_num(o, "speed_max_kmh", NAN);
        c->low = get_num(o, "low", get_num(o, "value", NAN));
        c->high = get_num(o, "high", c->low);
        const cJSON *as = cJSON_GetObjectItemCaseSensitive(o, "assume");
        c->assume_high = cJSON_IsString(as) && !strcmp(as->valuestring, "high");
        c->own_cmfs_only = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "site_cmfs"));
        if (c->fi_share == c->fi_share && !(c->fi_share >= 0 && c->fi_share <= 1))
            return rb_err_set(err, RB_EINVAL, "%s: component '%s': fi_share must lie between 0 and 1", path, c->id);
        if (c->kind == RB_COMP_FACTOR) {
            if (!(c->low >= 0) || !(c->high >= 0))
                return rb_err_set(err, RB_EINVAL, "%s: component '%s': a factor needs 'value', or 'low' and 'high' "
                                  "with 'speed_max_kmh'", path, c->id);
            c->k = NAN;     /* a share of the others: no dispersion of its own */
            continue;
        }
        if (c->kind == RB_COMP_DRIVEWAYS && !(c->aadt_ref > 0))
            return rb_err_set(err, RB_EINVAL, "%s: component '%s': driveways need 'aadt_ref' and 't'", path, c->id);
        if (!(c->k >= 0))
            return rb_err_set(err, RB_EINVAL, "%s: component '%s' needs its overdispersion 'k'", path, c->id);
        const cJSON *terms = cJSON_GetObjectItemCaseSensitive(o, "terms");
        int nt = cJSON_GetArraySize(terms), split = 0;
        if (!cJSON_IsArray(terms) || nt < 1 || nt > RB_SPF_COMPTERMS)
            return rb_err_set(err, RB_EINVAL, "%s: component '%s': 'terms' must be a list of 1 to %d "
                              "{\"var\", \"coef\"}", path, c->id, RB_SPF_COMPTERMS);
        for (const cJSON *t = terms->child; t; t = t->next) {
            size_t j = c->nterms++;
            const cJSON *var = cJSON_GetObjectItemCaseSensitive(t, "var");
            if (!cJSON_IsString(var) || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "coef")))
                return rb_err_set(err, RB_EINVAL, "%s: component '%s': each term needs a string 'var' and a number "
                                  "'coef'", path, c->id);
            snprintf(c->var[j], sizeof c->var[j], "%s", var->valuestring);
            c->coef[j] = get_num(t, "coef", NAN);
            c->fi[j] = get_num(t, "fi", NAN);
            c->pdo[j] = get_num(t, "pdo", NAN);
            c->dflt[j] = get_num(t, "default", NAN);
            split += (c->fi[j] == c->fi[j]) + (c->pdo[j] == c->pdo[j]);
        }
        if (split && split != 2 * nt)
            return rb_err_set(err, RB_EINVAL, "%s: component '%s': give every term both 'fi' and 'pdo', or none",
                              path, c->id);
    }
    return RB_OK;
}

static const char *const cmf_kinds[] = { "table", "exp", "ratio", "flag", "power", "curve", "driveway_density",
                                         "twltl", "fixed_objects", "parking" };

static double lighting_value(const cJSON *l)
{
    if (cJSON_GetObjectItemCaseSensitive(l, "p_ni"))    /* intersections: 1 - r p_ni */
        return 1 - get_num(l, "r", NAN) * get_num(l, "p_ni", NAN);
    return 1 - (1 - get_num(l, "inr", NAN) * get_num(l, "p_inr", NAN) - get_num(l, "pnr", NAN) *
                get_num(l, "p_pnr", NAN)) * get_num(l, "p_nr", NAN);
}

/* A TABLE's rows: each a number, or {"pieces": [{"from", "value", "slope"}]}. */
static int read_rows(const char *path, const cJSON *o, struct rb_spf_cmf *m, struct rb_err *err)
{
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(o, "at_most");
    m->at_most = bins != NULL;
    if (!bins)
        bins = cJSON_GetObjectItemCaseSensitive(o, "below");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(o, "rows");
    int nb = bins ? cJSON_GetArraySize(bins) : 0, nr = cJSON_GetArraySize(rows);
    int parking = m->kind == RB_CMF_PARKING;     /* four rows a pair of flags picks, no bounds */
    if (!cJSON_IsArray(rows) || nr != (parking ? 4 : nb + 1) || (parking && nb) || nr > RB_CMF_MAXROWS)
        return rb_err_set(err, RB_EINVAL, "%s: CMF '%s': a table needs 'rows', one more than its 'below' or "
                          "'at_most' bounds (at most %d)", path, m->id, RB_CMF_MAXROWS);
    m->nbins = parking ? 3 : (size_t)nb;
    for (int i = 0; i < nb; i++) {
        const cJSON *b = cJSON_GetArrayItem(bins, i);
        if (!cJSON_IsNumber(b) || (i && b->valuedouble <= m->bound[i - 1]))
            return rb_err_set(err, RB_EINVAL, "%s: CMF '%s': the bounds must be numbers in ascending order", path,
                              m->id);
        m->bound[i] = b->valuedouble;
    }
    size_t r = 0;
    for (const cJSON *row = rows->child; row; row = row->next, r++) {
        if (cJSON_IsNumber(row)) {
            m->piece[r][0] = (struct rb_cmf_piece){ -INFINITY, row->valuedouble, 0 };
            m->npieces[r] = 1;
            continue;
        }
        const cJSON *pc = cJSON_GetObjectItemCaseSensitive(row, "pieces");
        int np = cJSON_GetArraySize(pc);
        if (!cJSON_IsArray(pc) || np < 1 || np > RB_CMF_MAXPIECES)
            return rb_err_set(err, RB_EINVAL, "%s: CMF '%s': a row is a number or {\"pieces\": [1 to %d "
                              "{\"from\", \"value\", \"slope\"}]}", path, m->id, RB_CMF_MAXPIECES);
        for (const cJSON *q = pc->child; q; q = q->next) {
            struct rb_cmf_piece x = { get_num(q, "from", -INFINITY), get_num(q, "value", NAN), get_num(q, "slope", 0) };
            size_t k = m->npieces[r]++;
            if (!(x.value >= 0) || (k && !(x.from > m->piece[r][k - 1].from)) || (!k && x.slope != 0))
                return rb_err_set(err, RB_EINVAL, "%s: CMF '%s': each piece needs a 'value', those after the first "
                                  "a 'from' above the one before; the first has no slope", path, m->id);
            m->piece[r][k] = x;
        }
    }
    return RB_OK;
}

/* The CMFs for actual conditions: [{"id", "kind", "var", ...}] as screen/spf.h describes them. */
static int read_cmfs(const char *path, const cJSON *arr, struct rb_spf *spf, struct rb_err *err)
{
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n > RB_SPF_MAXCMF)
        return rb_err_set(err, RB_EINVAL, "%s: 'cmfs' must be a list of at most %d CMFs", path, RB_SPF_MAXCMF);
    for (const cJSON *o = arr->child; o; o = o->next) {
        struct rb_spf_cmf *m = &spf->cmf[spf->ncmf++];
        m->ix[0] = m->ix[1] = m->ix[2] = -2;
        m->comp = -1;
        copy_str(m->comp_id, sizeof m->comp_id, o, "component", "");
        copy_str(m->id, sizeof m->id, o, "id", "");
        copy_str(m->var, sizeof m->var, o, "var", "");
        copy_str(m->var2, sizeof m->var2, o, "var2", "");
        copy_str(m->var3, sizeof m->var3, o, "var3", "");
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
        m->kind = -1;
        for (int k = 0; k < (int)(sizeof cmf_kinds / sizeof *cmf_kinds); k++)
            if (cJSON_IsString(kind) && !strcmp(kind->valuestring, cmf_kinds[k]))
                m->kind = k;
        if (m->kind < 0 || !*m->var)
            return rb_err_set(err, RB_EINVAL, "%s: CMF '%s' needs a 'var' and a kind: table, exp, ratio, flag, power, "
                              "curve, driveway_density, twltl, fixed_objects or parking", path, m->id);
        m->unit = get_num(o, "unit", 1);
        m->unit2 = get_num(o, "unit2", 1);
        m->abs = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "abs"));
        m->of_x = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "of_x"));
        m->share = get_num(o, "share", NAN);
        double *num[] = { &m->a, &m->b, &m->c, &m->d, &m->base, &m->r, &m->p_lt, &m->value, &m->max_n,
                          &m->min_length, &m->min_radius, &m->round };
        static const char *const key[] = { "a", "b", "c", "d", "base", "r", "p_lt", "value", "max_n", "min_length",
                                           "min_radius", "round" };
        for (size_t k = 0; k < sizeof key / sizeof *key; k++)
            *num[k] = get_num(o, key[k], NAN);
        const cJSON *light = cJSON_GetObjectItemCaseSensitive(o, "lighting");
        if (light)
            m->value = lighting_value(light);
        if (!(m->unit > 0) || !(m->unit2 > 0))
            return rb_err_set(err, RB_EINVAL, "%s: CMF '%s': 'unit' must be positive", path, m->id);
        int rc = RB_OK;
        switch (m->kind) {
        case RB_CMF_TABLE: rc = read_rows(path, o, m, err); break;
        case RB_CMF_EXP: rc = m->c == m->c && m->base == m->base ? RB_OK : -1; break;
        case RB_CMF_RATIO: rc = m->c == m->c && m->d == m->d ? RB_OK : -1; break;
        case RB_CMF_FLAG: rc = m->value > 0 ? RB_OK : -1; break;
        case RB_CMF_POWER: rc = m->value > 0 && m->max_n >= 0 ? RB_OK : -1; break;
        case RB_CMF_CURVE:
            rc = *m->var2 && m->a > 0 && m->b == m->b && m->c == m->c ? RB_OK : -1;
            m->min_length = m->min_length == m->min_length ? m->min_length : 0;
            m->min_radius = m->min_radius == m->min_radius ? m->min_radius : 0;
            break;
        case RB_CMF_DRIVEWAYS: rc = m->a == m->a && m->b == m->b && m->c == m->c && m->base == m->base ? RB_OK : -1;
            break;
        case RB_CMF_TWLTL:
            rc = *m->var2 && m->a == m->a && m->b == m->b && m->c == m->c && m->base == m->base && m->r == m->r &&
                 m->p_lt == m->p_lt ? RB_OK : -1;
            break;
        case RB_CMF_PARKING:
            rc = *m->var2 ? read_rows(path, o, m, err) : -1;
            for (size_t r = 0; !rc && r < 4; r++)
                if (m->npieces[r] != 1)
                    rc = rb_err_set(err, RB_EINVAL, "%s: CMF '%s': parking's four rows (parallel, parallel "
                                    "commercial, angle, angle commercial) are numbers", path, m->id);
            break;
        case RB_CMF_FIXED_OBJECTS:
            rc = *m->var2 && m->a >= 0 && m->a <= 1 ? read_rows(path, o, m, err) : -1;
            if (!rc && m->nbins)
                rc = rb_err_set(err, RB_EINVAL, "%s: CMF '%s': fixed_objects takes one row, its pieces over the "
                                "offset", path, m->id);
            break;
        }
        if (rc < 0)
            return rb_err_set(err, RB_EINVAL, "%s: CMF '%s' lacks a coefficient its kind '%s' needs (see "
                              "doc/screen.md)", path, m->id, cmf_kinds[m->kind]);
        if (rc)
            return rc;
    }
    return RB_OK;
}

/* A short list of terms, [{"var", "coef"}] (at most 4): the fatal-and-injury
 * model, the calibration function. */
static int read_short_terms(const char *path, const cJSON *root, const char *key, char (*var)[64], double *coef,
                            size_t *n, struct rb_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, key);
    for (const cJSON *t = list ? list->child : NULL; t; t = t->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "var");
        if (!cJSON_IsString(v) || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "coef")) || *n == 4)
            return rb_err_set(err, RB_EINVAL, "%s: '%s' is a list of at most 4 {\"var\", \"coef\"}", path, key);
        snprintf(var[*n], 64, "%s", v->valuestring);
        coef[(*n)++] = get_num(t, "coef", NAN);
    }
    return RB_OK;
}

static void write_short_terms(cJSON *root, const char *key, const char (*var)[64], const double *coef, size_t n)
{
    cJSON *list = n ? cJSON_AddArrayToObject(root, key) : NULL;
    for (size_t j = 0; j < n; j++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "var", var[j]);
        cJSON_AddNumberToObject(t, "coef", coef[j]);
        cJSON_AddItemToArray(list, t);
    }
}

int rb_spf_read(const char *path, struct rb_spf *spf, struct rb_err *err)
{
    memset(spf, 0, sizeof *spf);
    cJSON *root = rb_io_read_json(path, err);
    if (!root)
        return err->code;
    int rc = RB_OK;
    copy_str(spf->id, sizeof spf->id, root, "id", "");
    copy_str(spf->name, sizeof spf->name, root, "name", "");
    copy_str(spf->source, sizeof spf->source, root, "source", "");
    copy_str(spf->site_type, sizeof spf->site_type, root, "site_type", "segment");
    copy_str(spf->length_unit, sizeof spf->length_unit, root, "length_unit", "km");
    spf->scale = get_num(root, "scale", 1);
    spf->calibration = get_num(root, "calibration", 1);
    spf->fi_share = get_num(root, "fi_share", NAN);
    if (spf->fi_share == spf->fi_share && !(spf->fi_share > 0 && spf->fi_share < 1)) {
        cJSON_Delete(root);
        return rb_err_set(err, RB_EINVAL, "%s: fi_share must lie between 0 and 1", path);
    }
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(root, "aadt_range");
    spf->aadt_min = cJSON_IsArray(range) && cJSON_IsNumber(cJSON_GetArrayItem(range, 0))
                        ? cJSON_GetArrayItem(range, 0)->valuedouble : 0;
    spf->aadt_max = cJSON_IsArray(range) && cJSON_IsNumber(cJSON_GetArrayItem(range, 1))
                        ? cJSON_GetArrayItem(range, 1)->valuedouble : INFINITY;
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(root, "base_conditions");
    const cJSON *area = cJSON_GetObjectItemCaseSensitive(base, "area");
    spf->base_area = !cJSON_IsString(area) ? -1 : !strcmp(area->valuestring, "rural") ? 0
                     : !strcmp(area->valuestring, "urban") ? 1 : -2;
    spf->base_lanes_max = get_num(base, "lanes_max", INFINITY);
    spf->base_lanes_min = get_num(base, "lanes_min", 0);
    const cJSON *div = cJSON_GetObjectItemCaseSensitive(base, "divided");
    spf->base_divided = cJSON_IsBool(div) ? cJSON_IsTrue(div) : -1;
    spf->base_legs = (int)get_num(base, "legs", 0);
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(base, "control");
    spf->base_control = !cJSON_IsString(ctl) ? -1 : !strcmp(ctl->valuestring, "signal") ? 1
                        : !strcmp(ctl->valuestring, "stop") ? 0 : -2;
    if (spf->base_control == -2 || spf->base_legs < 0 || spf->base_area == -2) {
        cJSON_Delete(root);
        return rb_err_set(err, RB_EINVAL, "%s: base_conditions.control must be stop or signal, legs a count, area "
                          "rural or urban", path);
    }
    if ((rc = read_short_terms(path, root, "fi_terms", spf->fi_var, spf->fi_coef, &spf->nfi, err)) ||
        (rc = read_short_terms(path, root, "calibration_function", spf->cal_var, spf->cal_coef, &spf->ncal, err))) {
        cJSON_Delete(root);
        return rc;
    }
    const cJSON *cmfs = cJSON_GetObjectItemCaseSensitive(root, "cmfs");
    if (cmfs && (rc = read_cmfs(path, cmfs, spf, err))) {
        cJSON_Delete(root);
        return rc;
    }
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(root, "components");
    if (comps) {
        rc = read_components(path, comps, spf, err);
        for (size_t j = 0; !rc && j < spf->ncmf; j++) {   /* a component's own CMFs */
            struct rb_spf_cmf *m = &spf->cmf[j];
            for (size_t c = 0; *m->comp_id && c < spf->ncomp; c++)
                if (!strcmp(m->comp_id, spf->comp[c].id))
                    m->comp = (int)c;
            if (*m->comp_id && m->comp < 0)
                rc = rb_err_set(err, RB_EINVAL, "%s: CMF '%s' names component '%s', which is not one", path, m->id,
                                m->comp_id);
        }
        if (!rc && strcmp(spf->length_unit, "m") && strcmp(spf->length_unit, "km") && strcmp(spf->length_unit, "mi"))
            rc = rb_err_set(err, RB_EINVAL, "%s: length_unit must be m, km or mi", path);
        cJSON_Delete(root);
        return rc;
    }
    if (strcmp(spf->length_unit, "m") && strcmp(spf->length_unit, "km") && strcmp(spf->length_unit, "mi"))
        rc = rb_err_set(err, RB_EINVAL, "%s: length_unit must be m, km or mi", path);
    const cJSON *terms = cJSON_GetObjectItemCaseSensitive(root, "terms");
    if (!rc && (!cJSON_IsArray(terms) || cJSON_GetArraySize(terms) == 0))
        rc = rb_err_set(err, RB_EINVAL, "%s: 'terms' must be a list of {\"var\", \"coef\"}", path);
    for (const cJSON *t = terms ? terms->child : NULL; t && !rc; t = t->next) {
        const cJSON *var = cJSON_GetObjectItemCaseSensitive(t, "var");
        const cJSON *coef = cJSON_GetObjectItemCaseSensitive(t, "coef");
        if (!cJSON_IsString(var) || !cJSON_IsNumber(coef)) {
            rc = rb_err_set(err, RB_EINVAL, "%s: each term needs a string 'var' and a number 'coef'", path);
        } else if (spf->nterms == RB_SPF_MAXTERMS) {
            rc = rb_err_set(err, RB_EINVAL, "%s: more than %d terms", path, RB_SPF_MAXTERMS);
        } else {
            snprintf(spf->var[spf->nterms], sizeof spf->var[0], "%s", var->valuestring);
            spf->coef[spf->nterms] = coef->valuedouble;
            spf->se[spf->nterms] = get_num(t, "se", NAN);
            spf->nterms++;
        }
    }
    /* k constant, k / L, or, as the HSM's Chapter 11 writes it, 1 / exp(c + ln L) = exp(-c) / L */
    const cJSON *od = cJSON_GetObjectItemCaseSensitive(root, "overdispersion");
    const cJSON *form = cJSON_GetObjectItemCaseSensitive(od, "form");
    int exp_form = cJSON_IsString(form) && !strcmp(form->valuestring, "per_length_exp");
    if (!rc && (!cJSON_IsObject(od) || !cJSON_IsString(form) ||
                !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(od, exp_form ? "c" : "k"))))
        rc = rb_err_set(err, RB_EINVAL, "%s: 'overdispersion' must be {\"form\": \"constant\" or \"per_length\", "
                        "\"k\": number} or {\"form\": \"per_length_exp\", \"c\": number}", path);
    if (!rc) {
        spf->k_per_length = exp_form || !strcmp(form->valuestring, "per_length");
        if (!spf->k_per_length && strcmp(form->valuestring, "constant"))
            rc = rb_err_set(err, RB_EINVAL, "%s: overdispersion form '%s' is not constant, per_length or "
                            "per_length_exp", path, form->valuestring);
        spf->k_value = exp_form ? exp(-get_num(od, "c", NAN)) : get_num(od, "k", NAN);
    }
    for (size_t j = 0; !rc && j < spf->ncmf; j++)
        if (*spf->cmf[j].comp_id)
            rc = rb_err_set(err, RB_EINVAL, "%s: CMF '%s' names a component, and the SPF has none", path,
                            spf->cmf[j].id);
    cJSON_Delete(root);
    return rc;
}

static void add_num(cJSON *o, const char *key, double v)
{
    if (v == v)
        cJSON_AddNumberToObject(o, key, v);
}

/* The components as read_components reads them. */
static void write_components(cJSON *root, const struct rb_spf *spf)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "components");
    for (size_t i = 0; i < spf->ncomp; i++) {
        const struct rb_spf_comp *c = &spf->comp[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "kind", comp_kinds[c->kind]);
        if (c->own_cmfs_only)
            cJSON_AddBoolToObject(o, "site_cmfs", 0);
        if (c->kind == RB_COMP_FACTOR) {
            add_num(o, "speed_max_kmh", c->speed_max_kmh);
            add_num(o, "low", c->low);
            add_num(o, "high", c->high);
            if (c->assume_high)
                cJSON_AddStringToObject(o, "assume", "high");
        } else {
            cJSON *terms = cJSON_AddArrayToObject(o, "terms");
            for (size_t j = 0; j < c->nterms; j++) {
                cJSON *t = cJSON_CreateObject();
                cJSON_AddStringToObject(t, "var", c->var[j]);
                cJSON_AddNumberToObject(t, "coef", c->coef[j]);
                add_num(t, "fi", c->fi[j]);
                add_num(t, "pdo", c->pdo[j]);
                add_num(t, "default", c->dflt[j]);
                cJSON_AddItemToArray(terms, t);
            }
            if (c->kind == RB_COMP_DRIVEWAYS) {
                add_num(o, "t", c->t);
                add_num(o, "aadt_ref", c->aadt_ref);
            }
            add_num(o, "k", c->k);
        }
        add_num(o, "fi_share", c->fi_share);
    }
}

/* The CMFs as read_cmfs reads them (a lighting CMF as its value). */
static void write_cmfs(cJSON *root, const struct rb_spf *spf)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "cmfs");
    for (size_t i = 0; i < spf->ncmf; i++) {
        const struct rb_spf_cmf *m = &spf->cmf[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", m->id);
        cJSON_AddStringToObject(o, "kind", cmf_kinds[m->kind]);
        cJSON_AddStringToObject(o, "var", m->var);
        if (*m->comp_id)
            cJSON_AddStringToObject(o, "component", m->comp_id);
        if (*m->var2)
            cJSON_AddStringToObject(o, "var2", m->var2);
        if (*m->var3)
            cJSON_AddStringToObject(o, "var3", m->var3);
        add_num(o, "unit", m->unit);
        add_num(o, "unit2", m->unit2);
        if (m->abs)
            cJSON_AddBoolToObject(o, "abs", 1);
        if (m->of_x)
            cJSON_AddBoolToObject(o, "of_x", 1);
        add_num(o, "share", m->share);
        const double num[] = { m->a, m->b, m->c, m->d, m->base, m->r, m->p_lt, m->value, m->max_n, m->min_length,
                               m->min_radius, m->round };
        static const char *const key[] = { "a", "b", "c", "d", "base", "r", "p_lt", "value", "max_n", "min_length",
                                           "min_radius", "round" };
        for (size_t k = 0; k < sizeof key / sizeof *key; k++)
            add_num(o, key[k], num[k]);
        if (m->kind != RB_CMF_TABLE && m->kind != RB_CMF_FIXED_OBJECTS && m->kind != RB_CMF_PARKING)
            continue;
        cJSON *b = m->kind == RB_CMF_PARKING ? NULL : cJSON_AddArrayToObject(o, m->at_most ? "at_most" : "below");
        for (size_t k = 0; b && k < m->nbins; k++)
            cJSON_AddItemToArray(b, cJSON_CreateNumber(m->bound[k]));
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (size_t r = 0; r <= m->nbins; r++) {
            cJSON *row = cJSON_CreateObject(), *pcs = cJSON_AddArrayToObject(row, "pieces");
            cJSON_AddItemToArray(rows, row);
            for (size_t q = 0; q < m->npieces[r]; q++) {
                cJSON *pc = cJSON_CreateObject();
                cJSON_AddItemToArray(pcs, pc);
                if (isfinite(m->piece[r][q].from))
                    cJSON_AddNumberToObject(pc, "from", m->piece[r][q].from);
                cJSON_AddNumberToObject(pc, "value", m->piece[r][q].value);
                if (m->piece[r][q].slope != 0)
                    cJSON_AddNumberToObject(pc, "slope", m->piece[r][q].slope);
            }
        }
    }
}

int rb_spf_write(const char *path, const struct rb_spf *spf, const char *fit_json, struct rb_err *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return rb_err_nomem(err);
    cJSON_AddStringToObject(root, "id", spf->id);
    cJSON_AddStringToObject(root, "name", spf->name);
    cJSON_AddStringToObject(root, "source", spf->source);
    cJSON_AddStringToObject(root, "site_type", spf->site_type);
    cJSON_AddStringToObject(root, "length_unit", spf->length_unit);
    cJSON_AddNumberToObject(root, "scale", spf->scale);
    cJSON_AddNumberToObject(root, "calibration", spf->calibration);
    if (spf->fi_share == spf->fi_share)
        cJSON_AddNumberToObject(root, "fi_share", spf->fi_share);
    if (spf->ncomp)
        write_components(root, spf);
    if (spf->ncmf)
        write_cmfs(root, spf);
    write_short_terms(root, "fi_terms", spf->fi_var, spf->fi_coef, spf->nfi);
    write_short_terms(root, "calibration_function", spf->cal_var, spf->cal_coef, spf->ncal);
    cJSON *terms = spf->ncomp ? NULL : cJSON_AddArrayToObject(root, "terms");
    for (size_t j = 0; terms && j < spf->nterms; j++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "var", spf->var[j]);
        cJSON_AddNumberToObject(t, "coef", spf->coef[j]);
        if (spf->se[j] == spf->se[j])
            cJSON_AddNumberToObject(t, "se", spf->se[j]);
        cJSON_AddItemToArray(terms, t);
    }
    cJSON *od = spf->ncomp ? NULL : cJSON_AddObjectToObject(root, "overdispersion");
    if (od) {
        cJSON_AddStringToObject(od, "form", spf->k_per_length ? "per_length" : "constant");
        cJSON_AddNumberToObject(od, "k", spf->k_value);
    }
    if (spf->aadt_max < INFINITY || spf->aadt_min > 0) {
        cJSON *r = cJSON_AddArrayToObject(root, "aadt_range");
        cJSON_AddItemToArray(r, cJSON_CreateNumber(spf->aadt_min));
        cJSON_AddItemToArray(r, cJSON_CreateNumber(spf->aadt_max));
    }
    if (spf->base_area >= 0 || spf->base_lanes_max < INFINITY || spf->base_lanes_min != 0 || spf->base_divided >= 0 ||
        spf->base_legs > 0 || spf->base_control >= 0) {
        cJSON *b = cJSON_AddObjectToObject(root, "base_conditions");
        if (spf->base_area >= 0)
            cJSON_AddStringToObject(b, "area", spf->base_area ? "urban" : "rural");
        if (spf->base_lanes_min != 0)
            cJSON_AddNumberToObject(b, "lanes_min", spf->base_lanes_min);
        if (spf->base_lanes_max < INFINITY)
            cJSON_AddNumberToObject(b, "lanes_max", spf->base_lanes_max);
        if (spf->base_divided >= 0)
            cJSON_AddBoolToObject(b, "divided", spf->base_divided);
        if (spf->base_legs > 0)
            cJSON_AddNumberToObject(b, "legs", spf->base_legs);
        if (spf->base_control >= 0)
            cJSON_AddStringToObject(b, "control", spf->base_control ? "signal" : "stop");
    }
    if (fit_json) {
        cJSON *fit = cJSON_Parse(fit_json);
        if (fit)
            cJSON_AddItemToObject(root, "fit", fit);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return rb_err_nomem(err);
    size_t n = strlen(text);
    char *withnl = rb_malloc(n + 2);
    int rc;
    if (!withnl) {
        rc = rb_err_nomem(err);
    } else {
        memcpy(withnl, text, n);
        withnl[n] = '\n';
        withnl[n + 1] = 0;
        rc = rb_io_write_text(path, withnl, err);
        rb_free(withnl);
    }
    cJSON_free(text);
    return rc;
}

int rb_spf_set_read(const char *path, struct rb_spf_set *set, struct rb_err *err)
{
    memset(set, 0, sizeof *set);
    cJSON *root = rb_io_read_json(path, err);
    if (!root)
        return err->code;
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(root, "members");
    if (!members) {
        cJSON_Delete(root);
        if (!(set->spf = rb_calloc(1, sizeof *set->spf)))
            return rb_err_nomem(err);
        set->n = 1;
        int rc = rb_spf_read(path, set->spf, err);
        snprintf(set->id, sizeof set->id, "%s", set->spf->id);
        if (rc) {
            rb_free(set->spf);
            set->spf = NULL;
        }
        return rc;
    }
    const cJSON *fb = cJSON_GetObjectItemCaseSensitive(root, "fallback");
    int n = cJSON_GetArraySize(members), rc = RB_OK;
    set->is_set = 1;
    copy_str(set->id, sizeof set->id, root, "id", "");
    if (!cJSON_IsArray(members) || n < 1 || n > 32 || (fb && !cJSON_IsString(fb)))
        rc = rb_err_set(err, RB_EINVAL, "%s: an SPF set needs 'members' (1 to 32 SPF ids) and may name a "
                        "'fallback' (one of them)", path);
    else if (!(set->spf = rb_calloc((size_t)n, sizeof *set->spf)))
        rc = rb_err_nomem(err);
    set->fallback = SIZE_MAX;
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    for (const cJSON *m = rc ? NULL : members->child; m && !rc; m = m->next, set->n++) {
        char mp[4096];
        if (!cJSON_IsString(m) || strchr(m->valuestring, '/')) {
            rc = rb_err_set(err, RB_EINVAL, "%s: 'members' are the ids of SPF files beside it", path);
            break;
        }
        snprintf(mp, sizeof mp, "%.*s%s.json", dir, path, m->valuestring);
        if ((rc = rb_spf_read(mp, &set->spf[set->n], err)))
            break;
        if (strcmp(set->spf[set->n].site_type, set->spf[0].site_type))
            rc = rb_err_set(err, RB_EINVAL, "%s: member '%s' is not a %s SPF as the first is", path, m->valuestring,
                            set->spf[0].site_type);
        if (fb && !strcmp(m->valuestring, fb->valuestring))
            set->fallback = set->n;
    }
    if (!rc && fb && set->fallback == SIZE_MAX)
        rc = rb_err_set(err, RB_EINVAL, "%s: fallback '%s' is not one of its members", path, fb->valuestring);
    cJSON_Delete(root);
    if (rc) {
        rb_free(set->spf);
        memset(set, 0, sizeof *set);
    }
    return rc;
}
