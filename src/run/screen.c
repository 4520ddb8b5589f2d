/* run/screen: the screening stage — segments, sliding windows, homogeneous
 * sections, reference populations, intersections, and the hotspots of every
 * rule (crash concentration, sliding window, peak searching, risk profile). */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Keys per segment: the values of the comma-listed road fields (config key
 * what), each followed by a unit separator. */
static int field_keys(const char *list, const char *what, const struct rb_roads *roads, char ***out,
                      struct rb_err *err)
{
    long cols[16];
    size_t nc = 0, nitems = 0;
    for (const char *p = list; *p; nitems++) {
        char name[128];
        p = rb_run_list_item(p, name, sizeof name);
    }
    if (nitems > sizeof cols / sizeof *cols)
        return rb_err_set(err, RB_EINVAL, "%s: at most %zu fields", what, sizeof cols / sizeof *cols);
    for (const char *p = list; *p;) {
        char name[128];
        p = rb_run_list_item(p, name, sizeof name);
        if ((cols[nc++] = rb_table_find(&roads->attrs, name)) < 0)
            return rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s)", roads->path, name, what);
    }
    char **key = rb_calloc(roads->nsegs ? roads->nsegs : 1, sizeof *key);
    if (!key)
        return rb_err_nomem(err);
    for (size_t s = 0; s < roads->nsegs; s++) {
        char buf[1024] = "", v[256];
        for (size_t k = 0; k < nc; k++) {
            const char *t = rb_table_text(&roads->attrs, (size_t)cols[k], s, v, sizeof v);
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, "%s\x1f", t ? t : "");
        }
        if (!(key[s] = rb_strdup(buf))) {
            for (size_t j = 0; j < s; j++)
                rb_free(key[j]);
            rb_free(key);
            return rb_err_nomem(err);
        }
    }
    *out = key;
    return RB_OK;
}


/* a's variables: the built-in names (their values NaN, for the caller to
 * fill), then list's "var=FIELD" items (config key) read from t, a table of
 * nunits rows (NULL: the list must be empty). */
static int attrs_build(const char *const *builtin, size_t nb, const char *list, const char *key,
                       const struct rb_table *t, const char *path, size_t nunits, const struct rb_vocab *vocab,
                       struct rb_run_attrs *a, struct rb_err *err)
{
    long col[RB_RUN_MAXATTR];
    a->n = 0;
    for (size_t k = 0; k < nb; k++) {
        snprintf(a->name[a->n], sizeof a->name[0], "%s", builtin[k]);
        col[a->n++] = -1;
    }
    for (const char *p = list ? list : ""; *p;) {
        char item[192];
        p = rb_run_list_item(p, item, sizeof item);
        char *eq = strchr(item, '=');
        if (!eq || eq == item || !eq[1])
            return rb_err_set(err, RB_EUSAGE, "%s: '%s' is not var=FIELD", key, item);
        if (a->n == RB_RUN_MAXATTR)
            return rb_err_set(err, RB_EUSAGE, "%s: at most %d variables", key, RB_RUN_MAXATTR - (int)nb);
        *eq = 0;
        for (size_t k = 0; k < a->n; k++)
            if (!strcmp(a->name[k], item))
                return rb_err_set(err, RB_EUSAGE, "%s: '%s' is given twice%s", key, item,
                                  k < nb ? ", and rumble reads it itself (see doc/screen.md)" : "");
        if (!t)
            return rb_err_set(err, RB_EUSAGE, "%s: the intersections have no fields to read '%s' from: give them as "
                              "a point layer (intersections.path)", key, item);
        if ((col[a->n] = rb_table_find(t, eq + 1)) < 0)
            return rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s, for %s)", path, eq + 1, key, item);
        snprintf(a->name[a->n++], sizeof a->name[0], "%.63s", item);
    }
    for (size_t k = 0; k < a->n; k++)
        a->ptr[k] = a->name[k];
    rb_free(a->val);
    if (!(a->val = rb_mallocarray(rb_size_mul(nunits ? nunits : 1, a->n ? a->n : 1), sizeof *a->val)))
        return rb_err_nomem(err);
    /* a number, else a yes/no flag (1, 0) as the vocabulary reads it */
    for (size_t u = 0; u < nunits; u++)
        for (size_t k = 0; k < a->n; k++) {
            double v = col[k] >= 0 ? rb_table_number(t, (size_t)col[k], u) : NAN;
            if (v != v && col[k] >= 0) {
                char b[64];
                const char *txt = rb_table_text(t, (size_t)col[k], u, b, sizeof b);
                int f = txt ? rb_vocab_code(NULL, &vocab->flag, rb_flag_parse, txt) : -1;
                v = f >= 0 ? f : NAN;
            }
            a->val[u * a->n + k] = v;
        }
    return RB_OK;
}

/* Intersections from the point layer of intersections.path: ids from
 * intersections.id (else the feature ids), volumes from intersections.major_aadt
 * and .minor_aadt (unknown when not mapped). */
static int junctions_from_layer(const struct rb_config *cfg, const struct rb_roads *roads, struct rb_junctions *j,
                                int8_t **ctl, uint32_t **legs_of, uint32_t **lanes_of, int8_t **area_of,
                                const struct rb_vocab *vocab, struct rb_run_attrs *attrs, struct rb_log *log,
                                struct rb_err *err)
{
    struct rb_points p;
    if (rb_io_read_points(cfg->int_path, cfg->int_layer, "intersections", roads->work_srs_wkt, &p, log, err))
        return err->code;
    static const char *const builtin[] = { "lanes_crossed" };
    if (attrs_build(builtin, 1, cfg->int_spf_fields, "intersections.spf_fields", &p.attrs, p.path, p.n, vocab, attrs,
                    err)) {
        rb_points_free(&p);
        return err->code;
    }
    const char *key[7] = { "intersections.id", "intersections.major_aadt", "intersections.minor_aadt",
                           "intersections.legs", "intersections.control", "intersections.major_lanes",
                           "intersections.area" };
    const char *name[7] = { cfg->int_id, cfg->int_major, cfg->int_minor, cfg->int_legs, cfg->int_control,
                            cfg->int_major_lanes, cfg->int_area };
    long col[7];
    for (int k = 0; k < 7; k++)
        if (name[k] && (col[k] = rb_table_find(&p.attrs, name[k])) < 0) {
            rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s)", p.path, name[k], key[k]);
            rb_points_free(&p);
            return err->code;
        } else if (!name[k]) {
            col[k] = -1;
        }
    size_t m = p.n ? p.n : 1;
    char (*buf)[64] = rb_malloc(m * sizeof *buf);
    const char **id = rb_malloc(m * sizeof *id);
    double *vol = rb_malloc(2 * m * sizeof *vol);
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
    /* legs and control where the layer gives them */
    if (!rc && ((col[4] >= 0 && !(*ctl = rb_mallocarray(m, sizeof **ctl))) ||
                (col[3] >= 0 && !(*legs_of = rb_calloc(m, sizeof **legs_of))) ||
                (col[5] >= 0 && !(*lanes_of = rb_calloc(m, sizeof **lanes_of))) ||
                (col[6] >= 0 && !(*area_of = rb_mallocarray(m, sizeof **area_of)))))
        rc = rb_err_nomem(err);
    for (size_t i = 0; i < p.n && !rc; i++) {
        double legs = col[3] >= 0 ? rb_table_number(&p.attrs, (size_t)col[3], i) : NAN;
        if (legs >= 3 && legs <= 8 && legs == floor(legs))
            (*legs_of)[i] = (uint32_t)legs;
        double lanes = col[5] >= 0 ? rb_table_number(&p.attrs, (size_t)col[5], i) : NAN;
        if (lanes >= 1 && lanes <= 16 && lanes == floor(lanes))
            (*lanes_of)[i] = (uint32_t)lanes;
        if (col[4] >= 0) {
            char b[64];
            const char *t = rb_table_text(&p.attrs, (size_t)col[4], i, b, sizeof b);
            (*ctl)[i] = (int8_t)(t ? rb_run_control(t) : -1);
        }
        if (col[6] >= 0) {
            char b[64];
            const char *t = rb_table_text(&p.attrs, (size_t)col[6], i, b, sizeof b);
            (*area_of)[i] = (int8_t)(t ? rb_vocab_code(NULL, &vocab->area, rb_area_parse, t) : -1);
        }
    }
    rb_free(buf);
    rb_free(id);
    rb_free(vol);
    rb_points_free(&p);
    return rc;
}


void rb_run_spf_path(const char *data_dir, const char *spf, char *path, size_t n)
{
    if (strchr(spf, '/') || strstr(spf, ".json")) {
        snprintf(path, n, "%s", spf);
    } else {
        char name[512];
        snprintf(name, sizeof name, "spf/%s.json", spf);
        rb_data_path(data_dir, name, path, n);
    }
}

/* Focus groups for the proportion measures (screen.target_type): night (dark
 * or dusk), wet_icy (a wet, snowy or icy road), the weathers rain, snow, fog,
 * wind, and the crashes involving a motorcycle, a moped, an e-scooter, or a
 * heavy vehicle (a truck or a bus; crashes.vehicle). */
static const char *const focus_names[] = { "night", "wet_icy", "rain", "snow", "fog", "wind", "motorcycle", "moped",
                                           "e_scooter", "heavy_vehicle" };

int rb_run_focus_parse(const char *key)
{
    for (int k = 0; k < (int)(sizeof focus_names / sizeof *focus_names); k++)
        if (!strcmp(key, focus_names[k]))
            return k;
    return -1;
}

int rb_run_focus_has(int focus, const struct rb_crash *c)
{
    switch (focus) {
    case 0: return c->light == RB_LIGHT_DARK || c->light == RB_LIGHT_DUSK;
    case 1: return c->surface == RB_SURF_WET || c->surface == RB_SURF_SNOW_ICE;
    case 2: return c->weather == RB_WX_RAIN;
    case 3: return c->weather == RB_WX_SNOW_ICE;
    case 4: return c->weather == RB_WX_FOG;
    case 5: return c->weather == RB_WX_WIND;
    case 6: return c->vehicles >> RB_VEH_MOTORCYCLE & 1;
    case 7: return c->vehicles >> RB_VEH_MOPED & 1;
    case 8: return c->vehicles >> RB_VEH_E_SCOOTER & 1;
    case 9: return (c->vehicles >> RB_VEH_TRUCK | c->vehicles >> RB_VEH_BUS) & 1;
    default: return 0;
    }
}

/* A traffic control word: 1 signal(ised), 0 stop or yield (or none on the
 * minor road), -1 not known. */
int rb_run_control(const char *t)
{
    char k[64];
    rb_key_normalise(t, k, sizeof k);
    static const char *const sig[] = { "signal", "signalized", "signalised", "signals", "traffic_signal",
                                       "traffic_signals", "светофор", "светофорное", "регулируемый", "бағдаршам" };
    static const char *const stop[] = { "stop", "yield", "give_way", "stop_controlled", "minor_stop", "two_way_stop",
                                        "all_way_stop", "uncontrolled", "знак", "нерегулируемый", "stop_sign" };
    for (size_t i = 0; i < sizeof sig / sizeof *sig; i++)
        if (!strcmp(k, sig[i]))
            return 1;
    for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
        if (!strcmp(k, stop[i]))
            return 0;
    return -1;
}

/* The busiest leg of junction k (its segment), SIZE_MAX none. */
static size_t busiest_leg(const struct rb_run *run, size_t k)
{
    const struct rb_junctions *j = &run->juncs;
    double best = -1;
    size_t g = SIZE_MAX;
    for (uint32_t l = j->leg0[k]; l < j->leg0[k] + j->n_legs[k]; l++)
        if (run->net.segs[j->leg_seg[l]].aadt > best) {
            best = run->net.segs[j->leg_seg[l]].aadt;
            g = j->leg_seg[l];
        }
    return g;
}

/* The major road's lanes at junction k: the point layer's, else the busiest
 * leg's (roads.lanes); NaN not known. */
static double major_lanes(const struct rb_run *run, size_t k)
{
    if (run->jlanes)
        return run->jlanes[k] ? (double)run->jlanes[k] : NAN;
    size_t g = busiest_leg(run, k);
    return run->roads.col_lanes < 0 || g == SIZE_MAX ? NAN
           : rb_table_number(&run->roads.attrs, (size_t)run->roads.col_lanes, g);
}

/* Junction k's area: the point layer's, else the busiest leg's; -1 not known. */
static int junction_area(const struct rb_run *run, size_t k)
{
    if (run->jarea)
        return run->jarea[k];
    size_t g = busiest_leg(run, k);
    return g == SIZE_MAX ? -1 : rb_run_road_area(run, g);
}

/* Each junction's intersection model: the first member of screen.int_spf
 * whose legs and control it meets (its legs must be known; control not
 * known is taken as stop, counted), else none (UINT32_MAX). */
static int junction_types(struct rb_run *run, uint32_t **type)
{
    const struct rb_config *cfg = &run->cfg;
    char path[4096];
    rb_run_spf_path(cfg->data_dir, cfg->int_spf, path, sizeof path);
    struct rb_spf_set *set = &run->int_spf;
    if (rb_spf_set_read(path, set, &run->err))
        return run->err.code;
    if (strcmp(set->spf[0].site_type, "intersection"))
        return rb_err_set(&run->err, RB_EUSAGE, "screen.int_spf: '%s' is not an intersection SPF", cfg->int_spf);
    for (size_t m = 0; m < set->n; m++) {
        if (cfg->calibration == cfg->calibration)
            set->spf[m].calibration = cfg->calibration;
        rb_spf_resolve(&set->spf[m], run->int_attrs.ptr, run->int_attrs.n);
    }
    size_t n = run->juncs.n;
    *type = rb_mallocarray(n ? n : 1, sizeof **type);
    run->int_spf_count = rb_calloc(set->n, sizeof *run->int_spf_count);
    if (!*type || !run->int_spf_count)
        return rb_err_nomem(&run->err);
    for (size_t k = 0; k < n; k++) {
        uint32_t legs = run->jlegs ? run->jlegs[k] : run->juncs.n_legs[k];   /* the layer's, else the node's */
        int ctl = run->jctl ? run->jctl[k] : -1;
        double lanes = major_lanes(run, k);
        int area = junction_area(run, k);
        run->int_attrs.val[k * run->int_attrs.n] = lanes;   /* lanes_crossed, the first built-in */
        size_t m = 0;
        for (; m < set->n; m++) {
            const struct rb_spf *s = &set->spf[m];
            if ((s->base_legs == 0 || (uint32_t)s->base_legs == legs) &&
                (s->base_area < 0 || area < 0 || s->base_area == area) &&
                (s->base_control < 0 || s->base_control == (ctl < 0 ? 0 : ctl)) &&
                !(lanes > s->base_lanes_max || lanes < s->base_lanes_min))
                break;
        }
        if (m == set->n && set->fallback != SIZE_MAX)
            m = set->fallback;
        if (m == set->n) {
            (*type)[k] = UINT32_MAX;
            run->int_no_model++;
            continue;
        }
        (*type)[k] = (uint32_t)m;
        run->int_spf_count[m]++;
        run->int_assumed_stop += ctl < 0 && set->spf[m].base_control == 0;
    }
    return RB_OK;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void rb_run_pops_free(struct rb_run_pops *p)
{
    for (size_t k = 0; p->name && k < p->n; k++)
        rb_free(p->name[k]);
    rb_free(p->name);
    rb_free(p->seg_pop);
    memset(p, 0, sizeof *p);
}

static int populations_build(const char *list, const struct rb_roads *roads, struct rb_run_pops *p,
                             struct rb_err *err)
{
    memset(p, 0, sizeof *p);
    char **key = NULL;
    if (field_keys(list, "screen.population_by", roads, &key, err))
        return err->code;
    size_t n = roads->nsegs, m = n ? n : 1;
    char **sorted = rb_malloc(m * sizeof *sorted);
    p->seg_pop = rb_malloc(m * sizeof *p->seg_pop);
    p->name = rb_calloc(m, sizeof *p->name);
    int rc = !sorted || !p->seg_pop || !p->name ? rb_err_nomem(err) : RB_OK;
    if (!rc) {
        memcpy(sorted, key, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, key_cmp);
        for (size_t i = 0; i < n && !rc; i++) {
            if (p->n && !strcmp(sorted[i], p->name[p->n - 1]))
                continue;
            if (!(p->name[p->n++] = rb_strdup(sorted[i])))
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
        char *nm = rb_malloc(2 * strlen(p->name[k]) + 1), *o = nm;
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
        rb_free(p->name[k]);
        p->name[k] = nm;
    }
    rb_free(sorted);
    for (size_t i = 0; i < n; i++)
        rb_free(key[i]);
    rb_free(key);
    if (rc)
        rb_run_pops_free(p);
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



int rb_run_road_area(const struct rb_run *run, size_t s)
{
    const struct rb_roads *roads = &run->roads;
    if (roads->col_area < 0)
        return -1;
    char b[40];
    const char *t = rb_table_text(&roads->attrs, (size_t)roads->col_area, s, b, sizeof b);
    return t ? rb_vocab_code(NULL, &run->vocab.area, rb_area_parse, t) : -1;
}

unsigned rb_run_spf_off(const struct rb_run *run, const struct rb_spf *spf, size_t s, int area)
{
    const struct rb_roads *roads = &run->roads;
    unsigned off = 0;
    if (spf->base_area >= 0 && area >= 0 && area != spf->base_area)
        off |= RB_SPF_OFF_AREA;
    if ((spf->base_lanes_max < INFINITY || spf->base_lanes_min > 0) && roads->col_lanes >= 0) {
        double l = rb_table_number(&roads->attrs, (size_t)roads->col_lanes, s);
        if (isfinite(l) && (l > spf->base_lanes_max || l < spf->base_lanes_min))
            off |= RB_SPF_OFF_LANES;
    }
    if (spf->base_divided >= 0 && roads->col_divided >= 0) {
        int d = rb_run_road_flag(roads, &run->vocab, roads->col_divided, s);
        if (d >= 0 && d != spf->base_divided)
            off |= RB_SPF_OFF_DIVIDED;
    }
    return off;
}

/* Each segment's member of the set: the first it fits, else the fallback. */
static int spf_types(struct rb_run *run)
{
    size_t n = run->roads.nsegs;
    run->seg_spf = rb_mallocarray(n ? n : 1, sizeof *run->seg_spf);
    run->spf_count = rb_calloc(run->nspf, sizeof *run->spf_count);
    if (!run->seg_spf || !run->spf_count)
        return rb_err_nomem(&run->err);
    for (size_t s = 0; s < n; s++) {
        size_t m = 0;
        int area = rb_run_road_area(run, s);
        while (m < run->nspf && rb_run_spf_off(run, &run->spfs[m], s, area))
            m++;
        if (m == run->nspf) {
            m = run->spf_fallback_ix;
            run->spf_fallback++;
        }
        run->seg_spf[s] = (uint32_t)m;
        run->spf_count[m]++;
    }
    return RB_OK;
}

/* The variables segments give their SPF: the speed limit in km/h
 * (roads.speed_limit), the paved shoulder width (roads.shoulder_m), then
 * screen.spf_fields'. */
static int seg_attributes(struct rb_run *run)
{
    const struct rb_roads *roads = &run->roads;
    static const char *const builtin[] = { "speed_limit_kmh", "shoulder_width_m" };
    struct rb_run_attrs *a = &run->seg_attrs;
    if (attrs_build(builtin, 2, run->cfg.spf_fields, "screen.spf_fields", &roads->attrs, roads->path, roads->nsegs,
                    &run->vocab, a, &run->err))
        return run->err.code;
    for (size_t g = 0; g < roads->nsegs; g++) {
        char b[64];
        if (roads->col_speed >= 0)
            a->val[g * a->n] = rb_parse_speed_kmh(rb_table_text(&roads->attrs, (size_t)roads->col_speed, g, b,
                                                                sizeof b));
        if (roads->col_shoulder >= 0)
            a->val[g * a->n + 1] = rb_table_number(&roads->attrs, (size_t)roads->col_shoulder, g);
    }
    return RB_OK;
}

const struct rb_spf *rb_run_spf_array(const struct rb_run *run)
{
    return run->nspf ? run->spfs : run->have_spf ? &run->spf : NULL;
}

int rb_run_spf(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    if (!cfg->spf)
        return RB_OK;
    char path[4096];
    rb_run_spf_path(cfg->data_dir, cfg->spf, path, sizeof path);
    struct rb_spf_set set;
    if (rb_spf_set_read(path, &set, &run->err))
        return run->err.code;
    int segment = !strcmp(set.spf[0].site_type, "segment");
    if (!segment || (set.is_set && set.fallback == SIZE_MAX)) {
        rb_free(set.spf);
        return rb_err_set(&run->err, RB_EUSAGE, "screen.spf: '%s' is %s; give intersection models with --int-spf",
                          cfg->spf, segment ? "a set of segment SPFs without a fallback" : "not a segment SPF");
    }
    for (size_t k = 0; k < set.n && cfg->calibration == cfg->calibration; k++)
        set.spf[k].calibration = cfg->calibration;
    if (seg_attributes(run)) {
        rb_free(set.spf);
        return run->err.code;
    }
    for (size_t k = 0; k < set.n; k++)   /* the CMFs read the segments' attributes by place */
        rb_spf_resolve(&set.spf[k], run->seg_attrs.ptr, run->seg_attrs.n);
    run->spf = set.spf[0];
    run->have_spf = 1;
    if (!set.is_set) {
        rb_free(set.spf);
        return RB_OK;
    }
    run->spfs = set.spf;
    run->nspf = set.n;
    run->spf_fallback_ix = set.fallback;
    snprintf(run->spf_set, sizeof run->spf_set, "%s", set.id);
    return spf_types(run);
}

/* Each crash's chainage and its facts along the routes, sorted once by route
 * and chainage for every count along them. */
static int screen_chainage(struct rb_run *run)
{
    size_t n = run->crashes.n;
    run->rc_facts = rb_mallocarray(n, sizeof *run->rc_facts);
    run->chainage = rb_mallocarray(n, sizeof *run->chainage);
    if (!run->rc_facts || !run->chainage)
        return rb_err_nomem(&run->err);
    for (size_t i = 0; i < n; i++) {
        const struct rb_crash *c = &run->crashes.c[i];
        int64_t sg = run->match[i].seg;
        run->chainage[i] = sg >= 0 ? rb_routes_chainage(&run->routes, &run->net, (size_t)sg, run->match[i].measure_m)
                                   : NAN;
        run->rc_facts[i] = (struct rb_route_crash){ sg >= 0 ? (int64_t)run->routes.route_of[sg] : -1, run->chainage[i],
                                                    sg, c->date_days, c->severity, c->crash_type,
                                                    (uint8_t)rb_run_focus_has(run->target_focus, c) };
    }
    return rb_route_crash_sort(run->rc_facts, n, &run->rc_sorted, &run->err);
}

/* Segments and sliding windows as sites: populations, yearly AADT, counts, measures. */
static int screen_segments_windows(struct rb_run *run, struct rb_screen_opt *sopt)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    size_t n = run->crashes.n;
    if (rb_sites_segments(&run->routes, &run->net, &run->seg_sites, err))
        return err->code;
    sopt->unit_length_m = run->seg_sites.length_m;   /* the units of every site along a route: the segments */
    if (cfg->population_by &&
        (populations_build(cfg->population_by, &run->roads, &run->pops, err) ||
         rb_sites_populations(&run->seg_sites, &run->routes, run->pops.seg_pop, run->pops.n, RB_BY_SEGMENT, err)))
        return err->code;
    if ((sopt->seg_spf &&
         rb_sites_spf_types(&run->seg_sites, &run->routes, sopt->seg_spf, RB_BY_SEGMENT, err)) ||
        (run->aadt_yr &&
         rb_sites_aadt_years(&run->seg_sites, &run->routes, run->aadt_yr, run->n_aadt_yr, RB_BY_SEGMENT, err)) ||
        rb_sites_count(&run->seg_sites, run->rc_facts, n, sopt, RB_BY_SEGMENT, err) ||
        rb_sites_measures(&run->seg_sites, sopt, run->screen_rank, err) ||
        rb_sites_windows(&run->routes, &run->net, sopt, &run->windows, err))
        return err->code;
    if (((sopt->seg_spf || sopt->nattr) &&
         rb_sites_spf_types(&run->windows, &run->routes, sopt->seg_spf, RB_BY_CHAINAGE, err)) ||
        (run->aadt_yr &&
         rb_sites_aadt_years(&run->windows, &run->routes, run->aadt_yr, run->n_aadt_yr, RB_BY_CHAINAGE, err)) ||
        (run->pops.n &&
         rb_sites_populations(&run->windows, &run->routes, run->pops.seg_pop, run->pops.n, RB_BY_CHAINAGE, err)) ||
        rb_sites_count(&run->windows, run->rc_sorted, n, sopt, RB_BY_CHAINAGE, err) ||
        rb_sites_measures(&run->windows, sopt, run->screen_rank, err))
        return err->code;
    return RB_OK;
}

int rb_run_settlements(struct rb_run *run)
{
    const struct rb_config *cfg = &run->cfg;
    if (!cfg->settle_path)
        return RB_OK;
    if (rb_io_read_polys(cfg->settle_path, cfg->settle_layer, "settlements", run->roads.work_srs_wkt, &run->polys,
                         &run->err))
        return run->err.code;
    if (rb_polyindex_build(run->polys.npolys, run->polys.ring0, run->polys.pt0, run->polys.xy, &run->pix))
        return rb_err_nomem(&run->err);
    run->have_pix = 1;
    return RB_OK;
}

/* Settlements from polygons: a crash is inside by its point on the road. */
static int screen_settlements(struct rb_run *run)
{
    if (!run->cfg.settle_path)
        return RB_OK;
    if (rb_run_settlements(run))
        return run->err.code;
    run->crash_urban = rb_calloc(run->crashes.n, 1);
    if (!run->crash_urban)
        return rb_err_nomem(&run->err);
    for (size_t i = 0; i < run->crashes.n; i++)
        if (run->match[i].seg >= 0)
            run->crash_urban[i] = rb_polyindex_find(&run->pix, run->match[i].px, run->match[i].py) >= 0;
    return RB_OK;
}

/* Homogeneous sections: their crashes are their segments'; a section never
 * straddles two reference populations. */
static int screen_sections(struct rb_run *run, const struct rb_screen_opt *sopt)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    size_t n = run->crashes.n;
    if (!cfg->sections_by)
        return RB_OK;
    struct rb_route_crash *sc = rb_mallocarray(n, sizeof *sc);
    int src = !sc ? rb_err_nomem(err) : field_keys(cfg->sections_by, "screen.sections_by", &run->roads,
                                                   &run->sec_keys, err);
    for (size_t s = 0; s < run->roads.nsegs && run->pops.n && !src; s++) {
        char *k2 = rb_malloc(strlen(run->sec_keys[s]) + 16);
        if (!k2) {
            src = rb_err_nomem(err);
            break;
        }
        sprintf(k2, "%s\x1e%u", run->sec_keys[s], run->pops.seg_pop[s]);
        rb_free(run->sec_keys[s]);
        run->sec_keys[s] = k2;
    }
    if (!src)
        src = rb_sections_build(&run->routes, &run->net, (const char *const *)run->sec_keys, run->aadt_yr,
                                run->n_aadt_yr, &run->sections, err);
    for (size_t i = 0; i < n && !src; i++) {
        sc[i] = run->rc_facts[i];
        sc[i].seg = sc[i].seg >= 0 ? (int64_t)run->sections.sec_of[sc[i].seg] : -1;
    }
    if (!src && run->pops.n) {
        uint32_t *sp = rb_mallocarray(run->sections.s.n, sizeof *sp);
        for (size_t k = 0; sp && k < run->sections.s.n; k++)
            sp[k] = run->pops.seg_pop[run->sections.first_seg[k]];
        src = !sp ? rb_err_nomem(err)
                  : rb_sites_populations(&run->sections.s, &run->routes, sp, run->pops.n, RB_BY_SEGMENT, err);
        rb_free(sp);
    }
    if (!src && sopt->seg_spf) {   /* a section's SPF: its first segment's, as its population */
        uint32_t *ss = rb_mallocarray(run->sections.s.n ? run->sections.s.n : 1, sizeof *ss);
        for (size_t k = 0; ss && k < run->sections.s.n; k++)
            ss[k] = sopt->seg_spf[run->sections.first_seg[k]];
        src = !ss ? rb_err_nomem(err)
                  : rb_sites_spf_types(&run->sections.s, &run->routes, ss, RB_BY_SEGMENT, err);
        rb_free(ss);
    }
    if (!src && sopt->nattr) {     /* ... and its attributes */
        struct rb_sites *ss = &run->sections.s;
        if (!(ss->unit = rb_mallocarray(ss->n ? ss->n : 1, sizeof *ss->unit)))
            src = rb_err_nomem(err);
        for (size_t k = 0; !src && k < ss->n; k++)
            ss->unit[k] = run->sections.first_seg[k];
    }
    if (!src && !(src = rb_sites_count(&run->sections.s, sc, n, sopt, RB_BY_SEGMENT, err)))
        src = rb_sites_measures(&run->sections.s, sopt, run->screen_rank, err);
    rb_free(sc);
    return src;
}

/* For each SPF (nspf of them) and CMF, the sites with a prediction whose
 * attribute for that CMF was given, and those at base conditions for want
 * of it (RB_SPF_MAXCMF a SPF). */
static int cmf_tally(const struct rb_sites *s, const struct rb_spf *spf, size_t nspf, size_t **given, size_t **base)
{
    *given = rb_calloc(nspf * RB_SPF_MAXCMF, sizeof **given);
    *base = rb_calloc(nspf * RB_SPF_MAXCMF, sizeof **base);
    if (!*given || !*base)
        return RB_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        uint32_t m = s->spf_ix ? s->spf_ix[i] : 0;
        if (m == UINT32_MAX || !(s->pred_per_yr[i] == s->pred_per_yr[i]))
            continue;
        for (size_t j = 0; j < spf[m].ncmf; j++)
            (s->cmf_base[i] >> j & 1 ? *base : *given)[m * RB_SPF_MAXCMF + j]++;
    }
    return RB_OK;
}

/* Intersections: a point layer's, or the nodes of three or more legs; the
 * crashes within the radius; their measures (the SPF-free ones: a segment
 * SPF does not apply to them). */
static int screen_junctions(struct rb_run *run, const struct rb_screen_opt *sopt)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    size_t n = run->crashes.n;
    static const char *const builtin[] = { "lanes_crossed" };
    if (cfg->int_path ? junctions_from_layer(cfg, &run->roads, &run->juncs, &run->jctl, &run->jlegs, &run->jlanes,
                                             &run->jarea, &run->vocab, &run->int_attrs, &run->log, err)
                      : rb_junctions_from_net(&run->net, &run->routes, rb_config_choice("screen.entering", cfg->entering) == 1,
                                              &run->juncs, err) ||
                        attrs_build(builtin, 1, cfg->int_spf_fields, "intersections.spf_fields", NULL, NULL,
                                    run->juncs.n, &run->vocab, &run->int_attrs, err))
        return err->code;
    run->jc = rb_mallocarray(n, sizeof *run->jc);
    double *jx = rb_mallocarray(n, 2 * sizeof *jx);
    uint8_t *jok = rb_mallocarray(n, 1);
    run->jof = rb_mallocarray(n, sizeof *run->jof);
    int jrc = !run->jc || !jx || !jok || !run->jof ? rb_err_nomem(err) : RB_OK;
    for (size_t i = 0; i < n && !jrc; i++) {
        jx[i] = run->crashes.c[i].x;
        jx[n + i] = run->crashes.c[i].y;
        jok[i] = run->crashes.c[i].xy_status == RB_XY_OK;
    }
    if (!jrc)
        jrc = rb_junctions_assign(&run->juncs, jx, jx + n, jok, n, cfg->int_radius_m, run->jof, err);
    for (size_t i = 0; i < n && !jrc; i++) {
        run->jc[i] = run->rc_facts[i];
        run->jc[i].seg = run->jof[i];
    }
    rb_free(jx);
    rb_free(jok);
    if (jrc)
        return jrc;
    /* the segments' SPF does not apply to intersections: theirs (screen.int_spf), or none */
    struct rb_screen_opt jopt = *sopt;
    jopt.spf = NULL;
    jopt.seg_spf = NULL;
    jopt.unit_length_m = NULL;     /* an intersection's unit is itself, with no length */
    uint32_t *type = NULL;
    if (cfg->int_spf && junction_types(run, &type)) {
        rb_free(type);
        return err->code;
    }
    const struct rb_sites *ss = &run->seg_sites;
    const double *probe = rb_sites_measure(ss, run->screen_rank);
    run->junction_rank = run->screen_rank;
    if (!cfg->int_spf && (probe == ss->pred_per_yr || probe == ss->eb_per_yr || probe == ss->excess_per_yr ||
                          probe == ss->excess_spf_per_yr || probe == ss->loss || probe == ss->eb_epdo_per_yr))
        run->junction_rank = "epdo_per_yr";
    else if (cfg->int_spf && !cfg->rank_by)
        run->junction_rank = "excess_per_yr";   /* with their own models, by EB excess as the HSM ranks */
    if (rb_sites_points(run->juncs.n, run->juncs.entering, &run->int_sites, err)) {
        rb_free(type);
        return err->code;
    }
    if (type) {
        jopt.spf = run->int_spf.spf;
        run->int_sites.spf_ix = type;   /* the sites own it now */
        run->int_sites.aadt_major = run->juncs.aadt_major;
        run->int_sites.aadt_minor = run->juncs.aadt_minor;
        jopt.attr_name = run->int_attrs.ptr;
        jopt.nattr = run->int_attrs.n;
        jopt.unit_attr = run->int_attrs.val;
    }
    if (rb_sites_count(&run->int_sites, run->jc, n, &jopt, RB_BY_SEGMENT, err) ||
        rb_sites_measures(&run->int_sites, &jopt, run->junction_rank, err))
        return err->code;
    for (size_t k = 0; type && k < run->int_sites.n; k++)
        run->spf_defaults_intersections += run->int_sites.spf_defaults[k] > 0;
    if (type && cmf_tally(&run->int_sites, run->int_spf.spf, run->int_spf.n, &run->int_cmf_given,
                          &run->int_cmf_base))
        return rb_err_nomem(err);
    return RB_OK;
}

/* The hotspots of the rules asked for, in rule order: crash concentration,
 * sliding window, then peak searching and the risk profile side by side. */
static int screen_hotspots(struct rb_run *run, const struct rb_screen_opt *sopt)
{
    const struct rb_config *cfg = &run->cfg;
    struct rb_err *err = &run->err;
    unsigned rules = run->rules;
    struct rb_ccs_opt copt = { cfg->ccs_max_len_m, cfg->ccs_max_len_urban_m, cfg->ccs_days, cfg->ccs_same_type,
                               cfg->ccs_any_type, run->urban, run->crash_urban };
    if (rb_crash_concentration(&run->routes, run->rc_facts, run->crashes.n, &copt, &run->hot, err))
        return err->code;
    if (!(rules & 1 << RB_HS_CCS))
        run->hot.n = 0;
    const struct rb_sites *w = &run->windows;
    if ((rules & 1 << RB_HS_SLIDING) &&
        rb_hotspots_top(&run->hot, RB_HS_SLIDING, (size_t)cfg->hotspot_top, w->n, w->route, w->from_m, w->to_m,
                        rb_sites_measure(w, run->screen_rank), w->n_obs, err))
        return err->code;
    struct searches se = { cfg->sections_by ? &run->sections.s : &run->seg_sites, &run->routes, &run->net,
                           run->rc_sorted, run->crashes.n, sopt, run->peak_measure, cfg->peak_cv,
                           { cfg->step_m, cfg->crp_window_m == cfg->crp_window_m ? cfg->crp_window_m : cfg->window_m,
                             (unsigned)cfg->crp_min_crashes },
                           { (rules & 1 << RB_HS_PEAK) != 0, (rules & 1 << RB_HS_CRP) != 0 }, &run->peaks, &run->crp,
                           { RB_OK, RB_OK }, { { 0 }, { 0 } } };
    rb_parallel_for(2, 2, run_searches, &se);
    for (int k = 0; k < 2; k++)
        if (se.rc[k]) {
            *err = se.err[k];
            return err->code;
        }
    const struct rb_peaks *pk = &run->peaks;
    const struct rb_crp *crp = &run->crp;
    if ((se.run[0] && rb_hotspots_top(&run->hot, RB_HS_PEAK, (size_t)cfg->hotspot_top, pk->n, se.base->route,
                                      pk->from_m, pk->to_m, pk->value, pk->n_obs, err)) ||
        (se.run[1] && rb_hotspots_top(&run->hot, RB_HS_CRP, (size_t)cfg->hotspot_top, crp->nruns, crp->run_route,
                                      crp->run_from_m, crp->run_to_m, crp->run_excess_per_yr, crp->run_n_obs, err)))
        return err->code;
    return RB_OK;
}

static int screen_stage(struct rb_run *run)
{
    if (run->opt.job != RB_JOB_SCREEN && run->opt.job != RB_JOB_RUN)
        return RB_OK;
    const struct rb_config *cfg = &run->cfg;
    if (rb_run_spf(run) || screen_chainage(run))
        return run->err.code;
    double rsi_cost[RB_NCT];
    rb_rsi_costs(run->rc_facts, run->crashes.n, &run->period, run->costs.cost, rsi_cost);
    struct rb_screen_opt sopt = { cfg->window_m, cfg->step_m, run->conf_p,
                                  rb_run_spf_array(run),
                                  run->weight, &run->period, rsi_cost, run->target_type, run->aadt_yr,
                                  run->n_aadt_yr, run->nspf ? run->seg_spf : NULL, run->seg_attrs.ptr,
                                  run->seg_attrs.n, run->seg_attrs.val, NULL };
    rb_run_step(run, "screening segments and windows");
    if (screen_segments_windows(run, &sopt) || screen_settlements(run) || screen_sections(run, &sopt))
        return run->err.code;
    for (size_t k = 0; run->have_spf && k < run->seg_sites.n; k++)
        run->spf_defaults_segments += run->seg_sites.spf_defaults[k] > 0;
    if (run->have_spf && cmf_tally(&run->seg_sites, rb_run_spf_array(run), run->nspf ? run->nspf : 1,
                                   &run->seg_cmf_given, &run->seg_cmf_base))
        return rb_err_nomem(&run->err);
    rb_run_step(run, "screening intersections");
    if (screen_junctions(run, &sopt))
        return run->err.code;
    rb_run_step(run, "finding hotspots");
    if (screen_hotspots(run, &sopt))
        return run->err.code;
    return rb_run_trust_screen(run);
}

/* Its time goes to the statistics stage, which matching began. */
int rb_run_screen(struct rb_run *run)
{
    double t0 = rb_now_s();
    int rc = screen_stage(run);
    run->t[4] += rb_now_s() - t0;
    return rc;
}
