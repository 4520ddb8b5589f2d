/* run/evaluate: `rumble evaluate` — did a treatment work? Each treated
 * segment's crashes before and after its works, from a run's GeoPackage (the
 * crashes matched to the segments), against what the SPF and the site's own
 * record say it would have had without the works: the Empirical Bayes
 * before-after method (HSM Part B, Chapter 9, Appendix 9A.1), the
 * comparison-group method when comparison sites are given (Appendix 9A.2) and
 * the naive before-after comparison, its bias stated (Hauer 1997, Chapter 7).
 * Pooled by countermeasure, for all crashes, the fatal and injury ones and the
 * countermeasure's target crashes (its catalogue pattern). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "run/internal.h"
#include "plan/diag.h"
#include "screen/ebba.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const rb_eval_group_names[RB_EVAL_NGROUPS] = { "all", "fatal_injury", "target" };
const char *const rb_eval_method_names[RB_EVAL_NMETHODS] = { "eb", "comparison_group", "naive" };

void rb_eval_free(struct rb_eval *e)
{
    for (int k = 0; e->have_shapes && k < 2; k++)
        rb_shapes_free(&e->sh[k]);
    rb_table_free(&e->tr);
    rb_table_free(&e->out);
    rb_table_free(&e->pooled);
    rb_free(e->site);
    rb_free(e->pool);
    rb_free(e->cat);
    rb_free(e->summary_path);
    cJSON_Delete(e->run_summary);
    rb_free(e->part_off);
    rb_free(e->pt_off);
    rb_free(e->xy);
    rb_log_free(&e->log);
    memset(e, 0, sizeof *e);
}

static void day_text(int32_t d, char *b, size_t n)
{
    int y, m, dd;
    if (d == RB_NODATE) {
        b[0] = 0;
        return;
    }
    rb_ymd_from_days(d, &y, &m, &dd);
    snprintf(b, n, "%04d-%02d-%02d", y, m, dd);
}

/* A date: YYYY-MM-DD (or YYYY/MM/DD, as OGR gives a date field); RB_NODATE when not one. */
static int32_t parse_day(const char *s)
{
    int32_t d;
    int min;
    if (s && (rb_parse_datetime(s, "%Y-%m-%d", &d, &min) || rb_parse_datetime(s, "%Y/%m/%d", &d, &min) ||
              rb_parse_datetime(s, "%Y-%m-%d %H:%M:%S", &d, &min) || rb_parse_datetime(s, "%Y/%m/%d %H:%M:%S", &d, &min)))
        return d;
    return RB_NODATE;
}

int rb_eval_check(struct rb_eval *e, const struct rb_eval_opt *o)
{
    struct rb_err *err = &e->err;
    if (!o->in || !o->treatments || !o->out)
        return rb_err_set(err, RB_EUSAGE, "evaluate: needs a run's GeoPackage, --treatments FILE and -o EVAL.gpkg; see"
                          " 'rumble evaluate --help'");
    if (access(o->in, R_OK) != 0)
        return rb_err_set(err, RB_EUSAGE, "evaluate: cannot open '%s'", o->in);
    if (!(o->before_yr >= 0) || !(o->after_yr >= 0) || (o->before_yr > 0 && o->before_yr * 365.25 < 1) ||
        (o->after_yr > 0 && o->after_yr * 365.25 < 1))
        return rb_err_set(err, RB_EUSAGE, "evaluate: --before-years and --after-years want a number of years, a day"
                          " (0.0028) or more");
    if ((o->from && parse_day(o->from) == RB_NODATE) || (o->to && parse_day(o->to) == RB_NODATE))
        return rb_err_set(err, RB_EUSAGE, "evaluate: --from and --to want dates as YYYY-MM-DD, not '%s'",
                          o->from && parse_day(o->from) == RB_NODATE ? o->from : o->to);
    if (o->from && o->to && parse_day(o->to) < parse_day(o->from))
        return rb_err_set(err, RB_EUSAGE, "evaluate: --to %s is before --from %s", o->to, o->from);
    if (!(e->summary_path = rb_run_swap_ext(o->out, ".summary.json")))
        return rb_err_nomem(err);
    if (rb_out_check(o->out, err) || rb_io_check_writable(e->summary_path, err) ||
        (o->catalogue_out && rb_io_check_writable(o->catalogue_out, err)))
        return err->code;
    const char *in[] = { o->in, o->treatments, o->catalogue };
    const char *out[] = { o->out, e->summary_path, o->catalogue_out };
    return rb_paths_check(in, o->catalogue ? 3 : 2, out, o->catalogue_out ? 3 : 2, err);
}

/* ---- reading ------------------------------------------------------------- */

static long need(struct rb_eval *e, const struct rb_table *t, const char *name, const char *path, const char *layer)
{
    return rb_run_need_layer_col(t, name, path, layer, "rumble match, screen or run", &e->err);
}

/* The run's study period, from its summary beside it (study_period), unless
 * --from/--to say; else the crashes' own dates, whole years. */
static int data_period(struct rb_eval *e, const struct rb_eval_opt *o, long c_date, const cJSON *summary)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    const struct rb_table *ct = &e->sh[1].attrs;
    for (size_t i = 0; i < ct->nrows; i++) {
        char b[64];
        int32_t d = parse_day(rb_table_text(ct, (size_t)c_date, i, b, sizeof b));
        if (d == RB_NODATE)
            continue;
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    e->period_source = "the crashes' dates (whole years)";
    if (lo <= hi) {
        int y, m, d;
        rb_ymd_from_days(lo, &y, &m, &d);
        e->data_from = rb_days_from_ymd(y, 1, 1);
        rb_ymd_from_days(hi, &y, &m, &d);
        e->data_to = rb_days_from_ymd(y, 12, 31);
    } else {
        e->data_from = e->data_to = RB_NODATE;
    }
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(summary, "study_period");
    const cJSON *fy = cJSON_GetObjectItemCaseSensitive(p, "from_year"), *ty = cJSON_GetObjectItemCaseSensitive(p, "to_year");
    if (cJSON_IsNumber(fy) && cJSON_IsNumber(ty)) {
        e->data_from = rb_days_from_ymd(fy->valueint, 1, 1);
        e->data_to = rb_days_from_ymd(ty->valueint, 12, 31);
        e->period_source = "the run's study period (its summary)";
    }
    if (o->from || o->to)
        e->period_source = "--from and --to";
    if (o->from)
        e->data_from = parse_day(o->from);
    if (o->to)
        e->data_to = parse_day(o->to);
    if (e->data_from == RB_NODATE || e->data_to == RB_NODATE)
        return rb_err_set(&e->err, RB_EINVAL, "evaluate: %s: no crash has a date and no study period is known: give the"
                          " period the crash data covers with --from and --to", o->in);
    if (e->data_to < e->data_from)
        return rb_err_set(&e->err, RB_EUSAGE, "evaluate: the period ends before it begins (%s): give --from and --to",
                          e->period_source);
    if (!strcmp(e->period_source, "the crashes' dates (whole years)"))
        rb_warn(&e->log, RB_W_PERIOD, "evaluate: %s has no study period in a summary beside it: the crash data are taken"
                " to cover whole years from the first crash's to the last's; if they end within a year, give --from and"
                " --to, or the after period's expectation is too high", o->in);
    return RB_OK;
}

/* The run's SPF when --spf is not given: its summary's screening.spf. */
static const char *run_spf(const cJSON *summary)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(summary, "screening"), "spf");
    return cJSON_IsString(s) && s->valuestring[0] ? s->valuestring : NULL;
}

/* The run's summary beside its GeoPackage (RUN.summary.json), NULL when there
 * is none or it cannot be read: its study period and SPF are defaults only. */
static cJSON *run_summary(const struct rb_eval_opt *o)
{
    char *sp = rb_run_swap_ext(o->in, ".summary.json");
    cJSON *js = NULL;
    if (sp && access(sp, R_OK) == 0) {
        struct rb_err jerr = { 0 };
        js = rb_io_read_json(sp, &jerr);
    }
    rb_free(sp);
    return js;
}

/* ---- the SPF's prediction over a period ---------------------------------- */

static long aadt_col(const struct rb_eval *e, int y);

/* The AADT columns by year: --aadt-by-year, else the run's settings'
 * roads.aadt_by_year (a screening keeps them), else aadt_{year}; whether the
 * segments carry one for some year of the data. */
static int aadt_years(struct rb_eval *e, const struct rb_eval_opt *o)
{
    snprintf(e->aadt_pattern, sizeof e->aadt_pattern, "%s", o->aadt_by_year ? o->aadt_by_year : "aadt_{year}");
    if (!o->aadt_by_year) {
        struct rb_shapes st = { 0 };
        const struct rb_shapes_req req = { "settings", NULL, 0 };
        struct rb_err serr = { 0 };
        if (rb_io_read_shapes(o->in, &req, 1, &st, &e->log, &serr) == RB_OK && st.present) {
            long ck = rb_table_find(&st.attrs, "key"), cv = rb_table_find(&st.attrs, "value");
            for (size_t i = 0; ck >= 0 && cv >= 0 && i < st.attrs.nrows; i++) {
                char b[160], v[160];
                const char *k = rb_table_text(&st.attrs, (size_t)ck, i, b, sizeof b);
                const char *val = rb_table_text(&st.attrs, (size_t)cv, i, v, sizeof v);
                if (k && val && !strcmp(k, "roads.aadt_by_year"))
                    snprintf(e->aadt_pattern, sizeof e->aadt_pattern, "%s", val);
            }
            rb_shapes_free(&st);
        }
    }
    if (!strstr(e->aadt_pattern, "{year}"))
        return rb_err_set(&e->err, RB_EUSAGE, "evaluate: --aadt-by-year '%s' has no {year} in it (aadt_{year})",
                          e->aadt_pattern);
    int y0, y1, m, d;
    rb_ymd_from_days(e->data_from, &y0, &m, &d);
    rb_ymd_from_days(e->data_to, &y1, &m, &d);
    for (int y = y0; y <= y1 && !e->have_aadt_years; y++)
        e->have_aadt_years = aadt_col(e, y) >= 0;
    return RB_OK;
}

/* The column of year y's AADT: the pattern's {year} replaced ("aadt_{year}"
 * unless the run's settings name roads.aadt_by_year), -1 none. */
static long aadt_col(const struct rb_eval *e, int y)
{
    char name[160];
    const char *p = e->aadt_pattern, *at = strstr(p, "{year}");
    if (!at)
        return -1;
    snprintf(name, sizeof name, "%.*s%d%.60s", (int)(at - p < 80 ? at - p : 80), p, y, at + 6);
    return rb_table_find(&e->sh[0].attrs, name);
}

/* Segment s's AADT in year y: its year's column when the run's segments
 * carry one (the inventory's counts, copied through), else fallback, counted
 * (*missing) when the segments carry some year's but not this one's. */
static double aadt_in(const struct rb_eval *e, size_t s, int y, double fallback, size_t *missing)
{
    long k = aadt_col(e, y);
    double v = k < 0 ? NAN : rb_table_number(&e->sh[0].attrs, (size_t)k, s);
    if (v > 0)
        return v;
    *missing += e->have_aadt_years;
    return fallback;
}

/* Predicted crashes (all, and fatal and injury: NaN when the SPF does not
 * split them) over days [from, to], each calendar year's at that year's
 * AADT and for the share of the year in the period; the SPF's k at the site;
 * the period's mean AADT. The site's CMFs are the screening's (the
 * segments' spf_cmf), else the SPF's base conditions. */
static void predict(struct rb_eval *e, size_t s, double aadt0, double aadt_override, int32_t from, int32_t to,
                    double *n, double *fi, double *k, double *aadt_mean)
{
    const struct rb_table *t = &e->sh[0].attrs;
    double len = rb_table_number(t, (size_t)e->c_len, s);
    double cmf = e->c_cmf >= 0 ? rb_table_number(t, (size_t)e->c_cmf, s) : NAN;
    if (!(cmf > 0))
        cmf = 1;
    struct rb_run_row a = { t, s };
    *n = *fi = *aadt_mean = 0;
    *k = NAN;
    double wsum = 0;
    int y0, y1, m, d;
    rb_ymd_from_days(from, &y0, &m, &d);
    rb_ymd_from_days(to, &y1, &m, &d);
    for (int y = y0; y <= y1; y++) {
        int32_t ys = rb_days_from_ymd(y, 1, 1), ye = rb_days_from_ymd(y, 12, 31);
        int32_t lo = from > ys ? from : ys, hi = to < ye ? to : ye;
        double share = (double)(hi - lo + 1) / (double)(ye - ys + 1);
        double aadt = aadt_override > 0 ? aadt_override : aadt_in(e, s, y, aadt0, &e->aadt_missing);
        struct rb_spf_site site = { aadt, len, rb_run_row_attr, &a, NULL };
        struct rb_spf_pred p;
        rb_spf_eval(&e->base, &site, &p);
        *n += share * p.n * cmf;
        *fi += share * p.fi * cmf;
        *aadt_mean += share * aadt;
        wsum += share;
        *k = rb_spf_k_of(&e->base, p.comp, len);
    }
    if (wsum > 0)
        *aadt_mean /= wsum;
}

/* ---- the treatments ------------------------------------------------------ */

static const char *txt(const struct rb_table *t, long c, size_t r, char *b, size_t n)
{
    const char *s = c >= 0 ? rb_table_text(t, (size_t)c, r, b, n) : NULL;
    return s ? s : "";
}

/* The day n years from d: whole calendar years (29 February to 28 February),
 * then the fraction's days. */
static int32_t shift_years(int32_t d, double n)
{
    int y, m, dd;
    rb_ymd_from_days(d, &y, &m, &dd);
    double whole = n < 0 ? ceil(n) : floor(n);
    int ny = y + (int)whole;
    int32_t r = rb_days_from_ymd(ny, m, dd);
    if (r == RB_NODATE)
        r = rb_days_from_ymd(ny, m, dd - 1);
    return r + (int32_t)lround((n - whole) * 365.25);
}

/* Reads the treatments: a row a segment (segment_id), its countermeasure and
 * works (work_start, work_end), or a comparison site (role comparison). Each
 * treated row's before and after periods: the data's period up to the works
 * and from the day after they ended, at most --before-years / --after-years
 * long. */
static int read_treatments(struct rb_eval *e, const struct rb_eval_opt *o, const struct rb_id_ix *seg_ix, size_t nseg)
{
    struct rb_err *err = &e->err;
    const struct rb_table *t = &e->tr;
    long c_seg = rb_run_need_col(t, "segment_id", "the treated segment", "evaluate", o->treatments, err);
    if (c_seg < 0)
        return err->code;
    long c_cm = rb_table_find(t, "countermeasure"), c_ws = rb_table_find(t, "work_start");
    long c_we = rb_table_find(t, "work_end"), c_role = rb_table_find(t, "role");
    long c_ab = rb_table_find(t, "aadt_before"), c_aa = rb_table_find(t, "aadt_after");
    e->traffic_known = e->have_aadt_years || (c_ab >= 0 && c_aa >= 0);
    if (!e->traffic_known)
        rb_warn(&e->log, RB_W_VALUE, "evaluate: the segments have no AADT by year (%s) and %s no aadt_before and"
                " aadt_after: every year is predicted at one AADT, so a change of traffic between the periods is"
                " not accounted for", e->aadt_pattern, o->treatments);
    if (!(e->site = rb_calloc(t->nrows ? t->nrows : 1, sizeof *e->site)))
        return rb_err_nomem(err);
    e->nsites = t->nrows;
    for (size_t r = 0; r < t->nrows; r++) {
        struct rb_eval_site *s = &e->site[r];
        char b[256];
        s->row = r;
        s->cm = -1;
        const char *role = txt(t, c_role, r, b, sizeof b);
        s->comparison = !strcmp(role, "comparison");
        if (role[0] && !s->comparison && strcmp(role, "treated"))
            return rb_err_set(err, RB_EINVAL, "%s: row %zu: role '%s': treated or comparison", o->treatments, r + 2, role);
        if (!s->comparison)
            snprintf(s->cm_id, sizeof s->cm_id, "%s", txt(t, c_cm, r, b, sizeof b));
        const char *sid = txt(t, c_seg, r, b, sizeof b);
        s->seg = rb_id_find(seg_ix, nseg, sid);
        if (s->seg < 0) {
            s->why = "segment not in the run";
            rb_warn(&e->log, RB_W_LOCATION, "%s: row %zu: segment '%s' is not in %s's segments; left out",
                    o->treatments, r + 2, sid, o->in);
            continue;
        }
        if (s->comparison) {
            e->ncomparison++;
            continue;
        }
        e->ntreated++;
        const char *cm = txt(t, c_cm, r, b, sizeof b);
        if (!cm[0])
            return rb_err_set(err, RB_EINVAL, "%s: row %zu, field countermeasure: empty; name the countermeasure installed"
                              " (a catalogue id such as shoulder_rumble_strips)", o->treatments, r + 2);
        s->cm = rb_catalogue_find(e->cat, cm);
        snprintf(s->cm_id, sizeof s->cm_id, "%s", cm);
        if (s->cm < 0)
            rb_warn(&e->log, RB_W_VALUE, "%s: row %zu: countermeasure '%s' is not in the catalogue: its target crashes"
                    " are not known, only all and fatal-and-injury crashes are evaluated", o->treatments, r + 2, cm);
        char b2[64], b3[64];
        const char *ws = txt(t, c_ws, r, b2, sizeof b2), *we = txt(t, c_we, r, b3, sizeof b3);
        s->work_start = parse_day(ws);
        if (s->work_start == RB_NODATE)
            return rb_err_set(err, RB_EINVAL, "%s: row %zu, field work_start: '%s' (as read) is not a real date"
                              " (YYYY-MM-DD): the day the works began", o->treatments, r + 2, ws);
        s->work_end = we[0] ? parse_day(we) : s->work_start;
        if (s->work_end == RB_NODATE)
            return rb_err_set(err, RB_EINVAL, "%s: row %zu, field work_end: '%s' (as read) is not a real date"
                              " (YYYY-MM-DD): the day the works ended", o->treatments, r + 2, we);
        if (s->work_end < s->work_start)
            return rb_err_set(err, RB_EINVAL, "%s: row %zu, field work_end: %s is before work_start %s",
                              o->treatments, r + 2, we, ws);
        s->aadt_before = c_ab >= 0 ? rb_table_number(t, (size_t)c_ab, r) : NAN;
        s->aadt_after = c_aa >= 0 ? rb_table_number(t, (size_t)c_aa, r) : NAN;
        /* periods: construction (work_start to work_end) in neither; at most N calendar years
         * (and the fraction's days) either side */
        s->b_to = s->work_start - 1;
        s->b_from = e->data_from;
        if (o->before_yr > 0) {
            int32_t lim = shift_years(s->work_start, -o->before_yr);
            s->b_from = lim > s->b_from ? lim : s->b_from;
        }
        s->a_from = s->work_end + 1;
        s->a_to = e->data_to;
        if (o->after_yr > 0) {
            int32_t lim = shift_years(s->a_from, o->after_yr) - 1;
            s->a_to = lim < s->a_to ? lim : s->a_to;
        }
    }
    /* one segment: treated and comparison, the same works twice, or works in another's periods */
    for (size_t i = 0; i < e->nsites; i++)
        for (size_t j = i + 1; j < e->nsites; j++) {
            struct rb_eval_site *x = &e->site[i], *y = &e->site[j];
            if (x->seg < 0 || x->seg != y->seg)
                continue;
            if (x->comparison != y->comparison)
                return rb_err_set(err, RB_EINVAL, "%s: rows %zu and %zu: one segment both treated and a comparison site:"
                                  " a comparison site must be untreated", o->treatments, x->row + 2, y->row + 2);
            if (x->comparison || (x->work_start == y->work_start && x->work_end == y->work_end && !strcmp(x->cm_id, y->cm_id)))
                return rb_err_set(err, RB_EINVAL, "%s: rows %zu and %zu are the same %s twice: give each once",
                                  o->treatments, x->row + 2, y->row + 2, x->comparison ? "comparison site" : "works");
            struct rb_eval_site *first = x->work_start <= y->work_start ? x : y, *later = first == x ? y : x;
            if (later->work_start <= first->work_end)
                return rb_err_set(err, RB_EINVAL, "%s: rows %zu and %zu: works on one segment that overlap in time:"
                                  " give them as one row", o->treatments, first->row + 2, later->row + 2);
            /* each evaluated between the other's works: the earlier's after period ends before the later's
             * works, the later's before period starts after the earlier's */
            if (first->a_to >= later->work_start)
                first->a_to = later->work_start - 1;
            if (later->b_from <= first->work_end)
                later->b_from = first->work_end + 1;
            rb_warn(&e->log, RB_W_PERIOD, "%s: rows %zu and %zu treat one segment at different times: each row's periods"
                    " stop at the other's works", o->treatments, first->row + 2, later->row + 2);
        }
    for (size_t i = 0; i < e->nsites; i++) {
        struct rb_eval_site *s = &e->site[i];
        if (s->why || s->comparison)
            continue;
        if (s->b_to < s->b_from || s->a_to < s->a_from) {
            char b[16];
            s->why = s->b_to < s->b_from ? "no crash data before the works" : "no crash data after the works";
            day_text(s->work_start, b, sizeof b);
            rb_warn(&e->log, RB_W_PERIOD, "%s: row %zu: works from %s: %s (the data cover %s); left out",
                    o->treatments, s->row + 2, b, s->why, e->period_text);
            continue;
        }
        s->years_before = (double)(s->b_to - s->b_from + 1) / 365.25;
        s->years_after = (double)(s->a_to - s->a_from + 1) / 365.25;
    }
    return RB_OK;
}

/* ---- counting ------------------------------------------------------------ */

/* Each matched, dated crash to the sites of its segment: treated sites count
 * it in their before or after period (not during the works); the comparison
 * group's crashes are counted for every treated site's periods. */
static int count_crashes(struct rb_eval *e, const struct rb_eval_opt *o, const struct rb_id_ix *seg_ix, size_t nseg)
{
    struct rb_err *err = &e->err;
    const struct rb_table *ct = &e->sh[1].attrs;
    long c_seg = need(e, ct, "segment_id", o->in, "crashes"), c_date = c_seg < 0 ? -1 : need(e, ct, "crash_date", o->in, "crashes");
    long c_sev = c_date < 0 ? -1 : need(e, ct, "severity", o->in, "crashes");
    long c_type = c_sev < 0 ? -1 : need(e, ct, "crash_type", o->in, "crashes");
    if (c_type < 0)
        return err->code;
    long c_light = rb_table_find(ct, "light"), c_surf = rb_table_find(ct, "surface"), c_wx = rb_table_find(ct, "weather");
    /* the sites of each segment, chained */
    long *first = rb_mallocarray(nseg ? nseg : 1, sizeof *first), *next = rb_mallocarray(e->nsites ? e->nsites : 1, sizeof *next);
    uint8_t *treated_seg = rb_calloc(nseg ? nseg : 1, 1);
    if (!first || !next || !treated_seg) {
        rb_free(first);
        rb_free(next);
        rb_free(treated_seg);
        return rb_err_nomem(err);
    }
    for (size_t s = 0; s < nseg; s++)
        first[s] = -1;
    for (size_t i = e->nsites; i-- > 0;) {
        if (e->site[i].seg < 0 || e->site[i].why)
            continue;
        next[i] = first[e->site[i].seg];
        first[e->site[i].seg] = (long)i;
        if (!e->site[i].comparison)
            treated_seg[e->site[i].seg] = 1;
    }
    for (size_t i = 0; i < ct->nrows; i++) {
        char b[128], bd[64];
        const char *sid = rb_table_text(ct, (size_t)c_seg, i, b, sizeof b);
        long seg = sid && sid[0] ? rb_id_find(seg_ix, nseg, sid) : -1;
        if (seg < 0)
            continue;
        int32_t d = parse_day(rb_table_text(ct, (size_t)c_date, i, bd, sizeof bd));
        if (d == RB_NODATE || d < e->data_from || d > e->data_to) {
            e->crashes_undated += d == RB_NODATE;
            continue;
        }
        e->crashes_used++;
        char v[5][48];
        const long cc[5] = { c_sev, c_type, c_light, c_surf, c_wx };
        const char *vs[5];
        for (int k = 0; k < 5; k++)
            vs[k] = cc[k] >= 0 ? rb_table_text(ct, (size_t)cc[k], i, v[k], sizeof v[k]) : NULL;
        struct rb_plan_crash pc = {
            (uint8_t)(vs[1] && rb_crash_type_parse(vs[1]) >= 0 ? rb_crash_type_parse(vs[1]) : RB_CT_UNKNOWN),
            (uint8_t)(vs[0] && rb_severity_parse(vs[0]) >= 0 ? rb_severity_parse(vs[0]) : RB_SEV_UNKNOWN),
            (uint8_t)(vs[2] && rb_light_parse(vs[2]) >= 0 ? rb_light_parse(vs[2]) : RB_LIGHT_UNKNOWN),
            (uint8_t)(vs[3] && rb_surface_parse(vs[3]) >= 0 ? rb_surface_parse(vs[3]) : RB_SURF_UNKNOWN),
            (uint8_t)(vs[4] && rb_weather_parse(vs[4]) >= 0 ? rb_weather_parse(vs[4]) : RB_WX_UNKNOWN), 0, NAN };
        int fi = pc.sev <= RB_SEV_C;
        /* the reference population for the target shares: untreated segments */
        if (!treated_seg[seg]) {
            e->ref_all++;
            for (size_t k = 0; k < e->cat->n; k++)
                e->ref_target[k] += rb_pattern_has(&e->cat->cm[k].target, &pc);
            e->ref_fi += fi;
        }
        for (long j = first[seg]; j >= 0; j = next[j]) {
            const struct rb_eval_site *s = &e->site[j];
            int tg = s->cm >= 0 && rb_pattern_has(&e->cat->cm[s->cm].target, &pc);
            int in[RB_EVAL_NGROUPS] = { 1, fi, tg };
            if (s->comparison) {
                /* counted for every treated site whose periods hold it */
                for (size_t t = 0; t < e->nsites; t++) {
                    struct rb_eval_site *u = &e->site[t];
                    if (u->comparison || u->why)
                        continue;
                    int utg = u->cm >= 0 && rb_pattern_has(&e->cat->cm[u->cm].target, &pc);
                    int uin[RB_EVAL_NGROUPS] = { 1, fi, utg };
                    for (int g = 0; g < RB_EVAL_NGROUPS; g++) {
                        u->cg_before[g] += uin[g] && d >= u->b_from && d <= u->b_to;
                        u->cg_after[g] += uin[g] && d >= u->a_from && d <= u->a_to;
                    }
                }
                continue;
            }
            struct rb_eval_site *w = &e->site[j];
            for (int g = 0; g < RB_EVAL_NGROUPS; g++) {
                w->obs_before[g] += in[g] && d >= s->b_from && d <= s->b_to;
                w->obs_after[g] += in[g] && d >= s->a_from && d <= s->a_to;
            }
        }
    }
    rb_free(first);
    rb_free(next);
    rb_free(treated_seg);
    return RB_OK;
}

/* ---- estimating ---------------------------------------------------------- */

/* The SPF's prediction at each treated site over its periods (comparison
 * sites need none: the comparison-group method uses their counts alone). */
static int predict_sites(struct rb_eval *e, const struct rb_eval_opt *o)
{
    const struct rb_table *t = &e->sh[0].attrs;
    for (size_t i = 0; i < e->nsites; i++) {
        struct rb_eval_site *s = &e->site[i];
        if (s->why || s->comparison)
            continue;
        double aadt0 = rb_table_number(t, (size_t)e->c_aadt, (size_t)s->seg), kb, ka;
        double ab = s->aadt_before, aa = s->aadt_after;
        predict(e, (size_t)s->seg, aadt0, ab, s->b_from, s->b_to, &s->pred_before, &s->fi_before, &kb, &s->aadt_before);
        predict(e, (size_t)s->seg, aadt0, aa, s->a_from, s->a_to, &s->pred_after, &s->fi_after, &ka, &s->aadt_after);
        s->k = kb;
        if (!(s->pred_before > 0) || !(s->pred_after > 0) || !(s->k >= 0)) {
            s->why = "no SPF prediction (AADT or length missing)";
            rb_warn(&e->log, RB_W_VALUE, "%s: row %zu: the SPF '%s' predicts nothing on its segment (AADT %g, length"
                    " %g m): left out", o->treatments, s->row + 2, e->spf.id, aadt0,
                    rb_table_number(t, (size_t)e->c_len, (size_t)s->seg));
            continue;
        }
        e->nevaluated++;
    }
    return RB_OK;
}

/* The share of the SPF's prediction in a crash group at site s: 1 for all;
 * the SPF's own fatal-and-injury part, else the untreated segments' share;
 * the countermeasure's target pattern's share on untreated segments. */
static double group_share(const struct rb_eval *e, const struct rb_eval_site *s, int g)
{
    if (g == RB_EVAL_ALL)
        return 1;
    if (g == RB_EVAL_FI)
        return s->fi_before > 0 && s->pred_before > 0 ? s->fi_before / s->pred_before : e->fi_share;
    return s->cm >= 0 && e->ref_all ? (double)e->ref_target[s->cm] / (double)e->ref_all : NAN;
}

/* The sites of one countermeasure pooled for a group by a method. */
static void pool_one(struct rb_eval *e, struct rb_eval_pooled *p, const char *cm_id)
{
    size_t n = 0;
    struct rb_ebba_site *eb = rb_mallocarray(e->nsites ? e->nsites : 1, sizeof *eb);
    struct rb_ebba *r = &p->est;
    memset(r, 0, sizeof *r);
    if (!eb) {
        p->ok = 0;
        snprintf(p->why, sizeof p->why, "out of memory");
        return;
    }
    int g = p->group;
    double cg_var_k = 0, cg_sd = 0;   /* the treated counts' part of Var(pi); the comparison counts' (correlated) */
    int no_share = 0, no_cg = 0, not_in_cat = 0;
    double pall = 0;                  /* the pooled sites' prediction of all crashes, for the group's share */
    for (size_t i = 0; i < e->nsites; i++) {
        struct rb_eval_site *s = &e->site[i];
        if (s->why || s->comparison || strcmp(s->cm_id, cm_id))
            continue;
        double sh = group_share(e, s, g);
        if (!(sh > 0)) {
            no_share = 1;
            not_in_cat |= g == RB_EVAL_TARGET && s->cm < 0;
            continue;
        }
        if (p->method == RB_EVAL_EB) {
            eb[n] = (struct rb_ebba_site){ .pred_before = s->pred_before * sh, .pred_after = s->pred_after * sh,
                                           .k = s->k, .obs_before = s->obs_before[g], .obs_after = s->obs_after[g] };
            pall += s->pred_before;
            n++;
            continue;
        }
        double K = s->obs_before[g], pi, var;
        if (p->method == RB_EVAL_NAIVE) {
            /* Hauer (1997) Ch. 7: pi = r_d K, Var(pi) = r_d^2 K, r_d the durations' ratio */
            double rd = s->years_after / s->years_before;
            pi = rd * K;
            var = rd * rd * K;
            s->naive_exp[g] = pi;
        } else {
            /* Hauer (1997) Ch. 9; FHWA-SA-10-032: r_T = (N / M) / (1 + 1 / M), pi = r_T K,
             * Var(pi) = pi^2 (1/K + 1/M + 1/N + Var(omega)), Var(omega) taken as 0 */
            double M = s->cg_before[g], N = s->cg_after[g];
            if (!(M > 0) || !(N > 0)) {
                no_cg = 1;
                continue;
            }
            double rt = N / M / (1 + 1 / M);
            pi = rt * K;
            var = K > 0 ? pi * pi / K : 0;
            cg_sd += pi * sqrt(1 / M + 1 / N);
            s->cg_exp[g] = pi;
        }
        n++;
        r->n = n;
        r->obs_before += K;
        r->obs_after += s->obs_after[g];
        r->pred_before += s->pred_before * sh;
        r->pred_after += s->pred_after * sh;
        r->exp_after += pi;
        pall += s->pred_before;
        cg_var_k += var;
    }
    p->ok = 1;
    struct rb_err err = { 0 };
    if (n == 0) {
        p->ok = 0;
        const char *why = !no_share ? (no_cg ? "no comparison-site crashes of this group in the periods" : "no site")
                          : g != RB_EVAL_TARGET ? "no share of these crashes is known (the SPF does not split them and no"
                                                  " untreated segment has crashes)"
                          : not_in_cat ? "the countermeasure is not in the catalogue: its target crashes are not known"
                          : e->ref_all ? "none of its target crashes happened on untreated segments: their share of the"
                                         " prediction is not known"
                                       : "no untreated segment with crashes to take its target crashes' share of the"
                                         " prediction from";
        snprintf(p->why, sizeof p->why, "%s", why);
    } else if (p->method == RB_EVAL_EB) {
        if (rb_ebba(eb, n, r, &err))
            p->ok = 0;
        for (size_t i = 0, j = 0; i < e->nsites; i++) {   /* each site's figures, pooled or not */
            struct rb_eval_site *s = &e->site[i];
            if (s->why || s->comparison || strcmp(s->cm_id, cm_id) || !(group_share(e, s, g) > 0))
                continue;
            s->eb[g] = eb[j++];
        }
    } else if (p->method == RB_EVAL_NAIVE && !(r->obs_before > 0)) {
        p->ok = 0;
        snprintf(err.msg, sizeof err.msg, "no crash of this group before the works: the naive expectation after is 0");
    } else {
        /* comparison counts are the same crashes for every site: their parts add as standard deviations */
        r->var_after = cg_var_k + cg_sd * cg_sd;
        if (rb_or_estimate(r, &err))
            p->ok = 0;
    }
    p->share = pall > 0 ? r->pred_before / pall : NAN;
    if (n && !p->ok)
        snprintf(p->why, sizeof p->why, "%.300s", err.msg);
    rb_free(eb);
}

static int estimate(struct rb_eval *e)
{
    /* the countermeasures in the order the treatments name them */
    size_t ncm = 0;
    const char **cms = rb_mallocarray(e->nsites ? e->nsites : 1, sizeof *cms);
    if (!cms)
        return rb_err_nomem(&e->err);
    for (size_t i = 0; i < e->nsites; i++) {
        const struct rb_eval_site *s = &e->site[i];
        if (s->why || s->comparison)
            continue;
        size_t j = 0;
        while (j < ncm && strcmp(cms[j], s->cm_id))
            j++;
        if (j == ncm)
            cms[ncm++] = s->cm_id;
    }
    int nm = e->ncomparison ? RB_EVAL_NMETHODS : RB_EVAL_NMETHODS - 1;
    e->pool = rb_calloc(ncm * RB_EVAL_NGROUPS * (size_t)RB_EVAL_NMETHODS + 1, sizeof *e->pool);
    if (!e->pool) {
        rb_free(cms);
        return rb_err_nomem(&e->err);
    }
    for (size_t j = 0; j < ncm; j++)
        for (int g = 0; g < RB_EVAL_NGROUPS; g++)
            for (int m = 0; m < RB_EVAL_NMETHODS; m++) {
                if (m == RB_EVAL_CG && nm < RB_EVAL_NMETHODS)
                    continue;
                struct rb_eval_pooled *p = &e->pool[e->npool++];
                snprintf(p->cm_id, sizeof p->cm_id, "%s", cms[j]);
                p->cm = rb_catalogue_find(e->cat, cms[j]);
                p->group = g;
                p->method = m;
                pool_one(e, p, cms[j]);
            }
    rb_free(cms);
    return RB_OK;
}

/* ---- writing ------------------------------------------------------------- */

/* columns of a table being built: one call adds them all, in order */
struct colspec {
    const char *name;
    int type;
};
static int add_cols(struct rb_table *t, const struct colspec *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rb_table_add_col(t, c[i].name, c[i].type))
            return RB_ENOMEM;
    return RB_OK;
}
static void set_d(struct rb_table *t, size_t c, size_t r, double v)
{
    t->cols[c].d[r] = isfinite(v) ? v : NAN;
}

/* The evaluation layer: a row a treatments row, on its segment's line. */
static int site_table(struct rb_eval *e)
{
    static const struct colspec cols[] = {
        { "site_row", RB_FT_INT }, { "segment_id", RB_FT_STRING }, { "role", RB_FT_STRING },
        { "countermeasure", RB_FT_STRING }, { "status", RB_FT_STRING }, { "work_start", RB_FT_STRING },
        { "work_end", RB_FT_STRING }, { "before_from", RB_FT_STRING }, { "before_to", RB_FT_STRING },
        { "after_from", RB_FT_STRING }, { "after_to", RB_FT_STRING }, { "years_before", RB_FT_REAL },
        { "years_after", RB_FT_REAL }, { "aadt_before", RB_FT_REAL }, { "aadt_after", RB_FT_REAL },
        { "pred_before", RB_FT_REAL }, { "pred_after", RB_FT_REAL }, { "k", RB_FT_REAL }, { "eb_weight", RB_FT_REAL },
        { "obs_before", RB_FT_INT }, { "obs_after", RB_FT_INT }, { "exp_before", RB_FT_REAL },
        { "exp_after", RB_FT_REAL }, { "var_after", RB_FT_REAL }, { "ratio", RB_FT_REAL },
        { "fi_obs_before", RB_FT_INT }, { "fi_obs_after", RB_FT_INT }, { "fi_exp_after", RB_FT_REAL },
        { "target_obs_before", RB_FT_INT }, { "target_obs_after", RB_FT_INT }, { "target_exp_after", RB_FT_REAL },
        { "naive_exp_after", RB_FT_REAL }, { "cg_obs_before", RB_FT_INT }, { "cg_obs_after", RB_FT_INT },
        { "cg_exp_after", RB_FT_REAL },
    };
    enum { C_ROW, C_SEG, C_ROLE, C_CM, C_STATUS, C_WS, C_WE, C_BF, C_BT, C_AF, C_AT, C_YB, C_YA, C_AB, C_AA, C_PB, C_PA,
           C_K, C_W, C_OB, C_OA, C_EB, C_EA, C_VA, C_RATIO, C_FOB, C_FOA, C_FEA, C_TOB, C_TOA, C_TEA, C_NEA, C_COB,
           C_COA, C_CEA };
    struct rb_table *t = &e->out;
    if (add_cols(t, cols, sizeof cols / sizeof *cols))
        return rb_err_nomem(&e->err);
    const struct rb_shapes *sg = &e->sh[0];
    size_t nparts = 0, npts = 0;
    for (size_t i = 0; i < e->nsites; i++) {
        long s = e->site[i].seg;
        if (s < 0)
            continue;
        nparts += sg->part0[s + 1] - sg->part0[s];
        npts += sg->pt0[sg->part0[s + 1]] - sg->pt0[sg->part0[s]];
    }
    e->part_off = rb_mallocarray(e->nsites + 1, sizeof *e->part_off);
    e->pt_off = rb_mallocarray(nparts + 1, sizeof *e->pt_off);
    e->xy = rb_mallocarray(npts ? 2 * npts : 1, sizeof *e->xy);
    if (!e->part_off || !e->pt_off || !e->xy)
        return rb_err_nomem(&e->err);
    size_t np = 0, nq = 0;
    for (size_t i = 0; i < e->nsites; i++) {
        const struct rb_eval_site *s = &e->site[i];
        if (rb_table_add_row(t))
            return rb_err_nomem(&e->err);
        e->part_off[i] = np;
        if (s->seg >= 0)
            for (size_t p = sg->part0[s->seg]; p < sg->part0[s->seg + 1]; p++) {
                e->pt_off[np++] = nq;
                size_t a = sg->pt0[p], b = sg->pt0[p + 1];
                memcpy(e->xy + 2 * nq, sg->xy + 2 * a, 2 * (b - a) * sizeof *e->xy);
                nq += b - a;
            }
        char b[256];
        t->cols[C_ROW].i[i] = (int64_t)s->row + 2;
        const char *sid = rb_table_text(&e->tr, (size_t)rb_table_find(&e->tr, "segment_id"), s->row, b, sizeof b);
        if (rb_table_set_str(t, C_SEG, i, sid ? sid : "") ||
            rb_table_set_str(t, C_ROLE, i, s->comparison ? "comparison" : "treated") ||
            rb_table_set_str(t, C_CM, i, s->comparison ? "" : s->cm_id) ||
            rb_table_set_str(t, C_STATUS, i, s->why ? s->why : s->comparison ? "comparison" : "evaluated"))
            return rb_err_nomem(&e->err);
        if (s->comparison || s->seg < 0)
            continue;
        const int32_t days[6] = { s->work_start, s->work_end, s->b_from, s->b_to, s->a_from, s->a_to };
        for (int k = 0; k < 6; k++) {
            day_text(days[k], b, sizeof b);
            if (days[k] != RB_NODATE && (s->why == NULL || k < 2) && rb_table_set_str(t, (size_t)C_WS + (size_t)k, i, b))
                return rb_err_nomem(&e->err);
        }
        if (s->why)
            continue;
        const struct rb_ebba_site *x = &s->eb[RB_EVAL_ALL];
        set_d(t, C_YB, i, s->years_before);
        set_d(t, C_YA, i, s->years_after);
        set_d(t, C_AB, i, s->aadt_before);
        set_d(t, C_AA, i, s->aadt_after);
        set_d(t, C_PB, i, s->pred_before);
        set_d(t, C_PA, i, s->pred_after);
        set_d(t, C_K, i, s->k);
        set_d(t, C_W, i, x->w);
        t->cols[C_OB].i[i] = (int64_t)s->obs_before[RB_EVAL_ALL];
        t->cols[C_OA].i[i] = (int64_t)s->obs_after[RB_EVAL_ALL];
        set_d(t, C_EB, i, x->exp_before);
        set_d(t, C_EA, i, x->exp_after);
        set_d(t, C_VA, i, x->var_after);
        set_d(t, C_RATIO, i, x->exp_after > 0 ? s->obs_after[RB_EVAL_ALL] / x->exp_after : NAN);
        t->cols[C_FOB].i[i] = (int64_t)s->obs_before[RB_EVAL_FI];
        t->cols[C_FOA].i[i] = (int64_t)s->obs_after[RB_EVAL_FI];
        set_d(t, C_FEA, i, s->eb[RB_EVAL_FI].pred_before > 0 ? s->eb[RB_EVAL_FI].exp_after : NAN);
        if (s->cm >= 0) {
            t->cols[C_TOB].i[i] = (int64_t)s->obs_before[RB_EVAL_TARGET];
            t->cols[C_TOA].i[i] = (int64_t)s->obs_after[RB_EVAL_TARGET];
            set_d(t, C_TEA, i, s->eb[RB_EVAL_TARGET].pred_before > 0 ? s->eb[RB_EVAL_TARGET].exp_after : NAN);
        }
        set_d(t, C_NEA, i, s->naive_exp[RB_EVAL_ALL]);
        if (e->ncomparison) {
            t->cols[C_COB].i[i] = (int64_t)s->cg_before[RB_EVAL_ALL];
            t->cols[C_COA].i[i] = (int64_t)s->cg_after[RB_EVAL_ALL];
            set_d(t, C_CEA, i, s->cg_after[RB_EVAL_ALL] > 0 ? s->cg_exp[RB_EVAL_ALL] : NAN);
        }
    }
    e->part_off[e->nsites] = np;
    e->pt_off[np] = nq;
    return RB_OK;
}

static const char *method_note(const struct rb_eval *e, int m)
{
    if (m == RB_EVAL_EB && !e->traffic_known)
        return "Empirical Bayes (HSM Part B Ch. 9 App. 9A.1): regression to the mean accounted for by the SPF; a"
               " change of traffic not: one AADT for every year (no AADT by year)";
    return m == RB_EVAL_EB ? "Empirical Bayes (HSM Part B Ch. 9 App. 9A.1): regression to the mean and traffic change"
                             " accounted for by the SPF"
         : m == RB_EVAL_CG ? "comparison group (Hauer 1997 Ch. 9): the comparison sites' trend, not the SPF; Var(omega)"
                             " taken as 0, so the error is a lower bound; regression to the mean not accounted for"
                           : "naive (Hauer 1997 Ch. 7): biased; regression to the mean and traffic change not accounted"
                             " for: for comparison only";
}

/* The pooled layer: a row a countermeasure, crash group and method. */
static int pooled_table(struct rb_eval *e)
{
    static const struct colspec cols[] = {
        { "countermeasure", RB_FT_STRING }, { "crash_group", RB_FT_STRING }, { "method", RB_FT_STRING },
        { "n_sites", RB_FT_INT }, { "share", RB_FT_REAL }, { "obs_before", RB_FT_INT }, { "obs_after", RB_FT_INT },
        { "pred_before", RB_FT_REAL }, { "pred_after", RB_FT_REAL }, { "exp_after", RB_FT_REAL },
        { "var_exp_after", RB_FT_REAL }, { "theta", RB_FT_REAL }, { "se_theta", RB_FT_REAL }, { "ci_low", RB_FT_REAL },
        { "ci_high", RB_FT_REAL }, { "effect_pct", RB_FT_REAL }, { "se_effect_pct", RB_FT_REAL },
        { "significant", RB_FT_INT }, { "note", RB_FT_STRING }, { "spf", RB_FT_STRING },
        { "data_from", RB_FT_STRING }, { "data_to", RB_FT_STRING },
    };
    struct rb_table *t = &e->pooled;
    if (add_cols(t, cols, sizeof cols / sizeof *cols))
        return rb_err_nomem(&e->err);
    t->cols[17].boolean = 1;
    for (size_t j = 0; j < e->npool; j++) {
        const struct rb_eval_pooled *p = &e->pool[j];
        const struct rb_ebba *r = &p->est;
        if (rb_table_add_row(t) || rb_table_set_str(t, 0, j, p->cm_id) ||
            rb_table_set_str(t, 1, j, rb_eval_group_names[p->group]) ||
            rb_table_set_str(t, 2, j, rb_eval_method_names[p->method]) ||
            rb_table_set_str(t, 18, j, p->ok ? method_note(e, p->method) : p->why) ||
            rb_table_set_str(t, 19, j, e->spf.id))
            return rb_err_nomem(&e->err);
        char d0[16], d1[16];
        day_text(e->data_from, d0, sizeof d0);
        day_text(e->data_to, d1, sizeof d1);
        if (rb_table_set_str(t, 20, j, d0) || rb_table_set_str(t, 21, j, d1))
            return rb_err_nomem(&e->err);
        t->cols[3].i[j] = (int64_t)r->n;
        set_d(t, 4, j, p->share);
        if (!r->n)
            continue;
        t->cols[5].i[j] = (int64_t)r->obs_before;
        t->cols[6].i[j] = (int64_t)r->obs_after;
        set_d(t, 7, j, r->pred_before);
        set_d(t, 8, j, r->pred_after);
        set_d(t, 9, j, r->exp_after);
        set_d(t, 10, j, r->var_after);
        if (!p->ok)
            continue;
        const double v[6] = { r->theta, r->se_theta, r->ci_low, r->ci_high, r->effect_pct, r->se_effect_pct };
        for (int k = 0; k < 6; k++)
            set_d(t, (size_t)11 + (size_t)k, j, v[k]);
        t->cols[17].i[j] = fabs(r->z) >= 1.959963984540054;
    }
    return RB_OK;
}

static void layer_all(struct rb_layer *l, const struct rb_table *t, struct rb_err *err, int *rc)
{
    for (size_t c = 0; c < t->ncols && !*rc; c++)
        if (rb_layer_add_col(l, t->cols[c].name, t, c))
            *rc = rb_err_nomem(err);
}

static int write_layers(struct rb_eval *e, const struct rb_eval_opt *o)
{
    struct rb_layer sl = { .name = "evaluation", .geom = RB_GEOM_LINE, .nrows = e->nsites, .part_off = e->part_off,
                           .pt_off = e->pt_off, .xy = e->xy };
    struct rb_layer pl = { .name = "evaluation_pooled", .geom = RB_GEOM_NONE, .nrows = e->npool };
    int rc = RB_OK;
    layer_all(&sl, &e->out, &e->err, &rc);
    layer_all(&pl, &e->pooled, &e->err, &rc);
    struct rb_out *out = NULL;
    if (!rc && !(rc = rb_out_open(o->out, e->sh[0].crs_wkt, &out, &e->err)) &&
        !(rc = rb_out_write(out, &sl, &e->err)) && !(rc = rb_out_write(out, &pl, &e->err)))
        rc = rb_out_commit(out, &e->err);
    else
        rb_out_abort(out);
    rb_layer_free_cols(&sl);
    rb_layer_free_cols(&pl);
    return rc;
}

static void add_est(const struct rb_eval *e, cJSON *o, const struct rb_eval_pooled *p)
{
    const struct rb_ebba *r = &p->est;
    cJSON_AddStringToObject(o, "countermeasure", p->cm_id);
    cJSON_AddStringToObject(o, "crash_group", rb_eval_group_names[p->group]);
    cJSON_AddStringToObject(o, "method", rb_eval_method_names[p->method]);
    cJSON_AddNumberToObject(o, "n_sites", (double)r->n);
    if (isfinite(p->share))
        cJSON_AddNumberToObject(o, "share", p->share);
    if (r->n) {
        cJSON_AddNumberToObject(o, "obs_before", r->obs_before);
        cJSON_AddNumberToObject(o, "obs_after", r->obs_after);
        cJSON_AddNumberToObject(o, "exp_after", r->exp_after);
        cJSON_AddNumberToObject(o, "var_exp_after", r->var_after);
    }
    if (p->ok) {
        cJSON_AddNumberToObject(o, "theta", r->theta);
        cJSON_AddNumberToObject(o, "se_theta", r->se_theta);
        cJSON_AddNumberToObject(o, "ci_low", r->ci_low);
        cJSON_AddNumberToObject(o, "ci_high", r->ci_high);
        cJSON_AddNumberToObject(o, "effect_pct", r->effect_pct);
        cJSON_AddNumberToObject(o, "se_effect_pct", r->se_effect_pct);
        cJSON_AddBoolToObject(o, "significant", fabs(r->z) >= 1.959963984540054);
    }
    cJSON_AddStringToObject(o, "note", p->ok ? method_note(e, p->method) : p->why);
}

static int write_summary(struct rb_eval *e, const struct rb_eval_opt *o)
{
    cJSON *js = cJSON_CreateObject(), *in = cJSON_AddObjectToObject(js, "inputs");
    cJSON_AddStringToObject(js, "tool", "rumble");
    cJSON_AddStringToObject(js, "version", RB_VERSION);
    cJSON_AddStringToObject(js, "command", "evaluate");
    cJSON_AddStringToObject(in, "run", o->in);
    cJSON_AddStringToObject(in, "treatments", o->treatments);
    cJSON_AddStringToObject(in, "spf", e->spf.id);
    cJSON_AddStringToObject(in, "spf_source", e->spf.source);
    cJSON *pe = cJSON_AddObjectToObject(js, "period");
    char b[32];
    day_text(e->data_from, b, sizeof b);
    cJSON_AddStringToObject(pe, "from", b);
    day_text(e->data_to, b, sizeof b);
    cJSON_AddStringToObject(pe, "to", b);
    cJSON_AddStringToObject(pe, "source", e->period_source);
    if (o->before_yr > 0)
        cJSON_AddNumberToObject(pe, "before_years_max", o->before_yr);
    if (o->after_yr > 0)
        cJSON_AddNumberToObject(pe, "after_years_max", o->after_yr);
    cJSON *si = cJSON_AddObjectToObject(js, "sites");
    cJSON_AddNumberToObject(si, "rows", (double)e->nsites);
    cJSON_AddNumberToObject(si, "treated", (double)e->ntreated);
    cJSON_AddNumberToObject(si, "comparison", (double)e->ncomparison);
    cJSON_AddNumberToObject(si, "evaluated", (double)e->nevaluated);
    cJSON *cr = cJSON_AddObjectToObject(js, "crashes");
    cJSON_AddNumberToObject(cr, "matched_in_period", (double)e->crashes_used);
    cJSON_AddNumberToObject(cr, "matched_undated", (double)e->crashes_undated);
    cJSON_AddNumberToObject(cr, "untreated_reference", (double)e->ref_all);
    cJSON *sh = cJSON_AddObjectToObject(js, "shares");
    if (isfinite(e->fi_share))
        cJSON_AddNumberToObject(sh, "fatal_injury", e->fi_share);
    cJSON_AddStringToObject(sh, "fatal_injury_source", e->fi_source);
    cJSON_AddStringToObject(sh, "target_source", "the countermeasure's target crashes (its catalogue pattern) among the"
                            " matched crashes of the period on untreated segments");
    cJSON *pl = cJSON_AddArrayToObject(js, "pooled");
    for (size_t j = 0; j < e->npool; j++) {
        cJSON *x = cJSON_CreateObject();
        add_est(e, x, &e->pool[j]);
        cJSON_AddItemToArray(pl, x);
    }
    cJSON *w = cJSON_AddArrayToObject(js, "warnings");
    for (size_t i = 0; i < e->log.nmsgs; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(e->log.msgs[i]));
    cJSON_AddNumberToObject(js, "warnings_total", (double)rb_log_total(&e->log));
    char *text = cJSON_Print(js);
    cJSON_Delete(js);
    if (!text)
        return rb_err_nomem(&e->err);
    int rc = rb_io_write_text(e->summary_path, text, &e->err);
    cJSON_free(text);
    return rc;
}

/* The catalogue with each countermeasure whose EB estimate on its target
 * crashes shows a reduction (the 95 % interval below 1) given that estimate
 * as its CMF and standard error, its source saying so (and what it
 * replaces), its CMF Clearinghouse stars 0; the prices file named by its full
 * path. The others as they were, and a warning naming them. Into *text. */
static int make_catalogue(struct rb_eval *e, const struct rb_eval_opt *o, char **text)
{
    char path[4096];
    if (o->catalogue)
        snprintf(path, sizeof path, "%s", o->catalogue);
    else
        rb_data_path(o->data_dir, "countermeasures.json", path, sizeof path);
    cJSON *js = rb_io_read_json(path, &e->err);
    if (!js)
        return e->err.code;
    char *prices = e->cat->prices_path[0] ? realpath(e->cat->prices_path, NULL) : NULL;
    if (prices)
        cJSON_ReplaceItemInObjectCaseSensitive(js, "prices", cJSON_CreateString(prices));
    free(prices);
    cJSON *list = cJSON_GetObjectItemCaseSensitive(js, "countermeasures"), *it;
    size_t changed = 0;
    cJSON_ArrayForEach(it, list) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        for (size_t j = 0; cJSON_IsString(id) && j < e->npool; j++) {
            const struct rb_eval_pooled *p = &e->pool[j];
            if (p->group != RB_EVAL_TARGET || p->method != RB_EVAL_EB || !p->ok || strcmp(p->cm_id, id->valuestring))
                continue;
            if (!(p->est.ci_high < 1)) {
                rb_warn(&e->log, RB_W_VALUE, "evaluate --catalogue-out: %s: theta %.3f on its target crashes, 95 %% "
                        "interval %.3f to %.3f, holds 1 or lies above it: its catalogue entry is left as it was",
                        p->cm_id, p->est.theta, p->est.ci_low, p->est.ci_high);
                continue;
            }
            const cJSON *old = cJSON_GetObjectItemCaseSensitive(it, "cmf");
            const cJSON *osrc = cJSON_GetObjectItemCaseSensitive(it, "source");
            char src[1024], pf[16], pt[16], was[48] = "";
            day_text(e->data_from, pf, sizeof pf);
            day_text(e->data_to, pt, sizeof pt);
            if (cJSON_IsNumber(old))
                snprintf(was, sizeof was, "%g, ", old->valuedouble);
            /* the catalogue keeps sources of up to 1023 bytes: the old one shortened to fit, and said */
            int m = snprintf(src, sizeof src, "Local Empirical Bayes before-after evaluation (HSM Part B Ch. 9 App. "
                             "9A.1; rumble evaluate, SPF %s): %zu sites, crash data %s to %s, %g target crashes after "
                             "against %.1f expected without it: theta %.3f (se %.3f, 95 %% %.3f to %.3f). Before: %s",
                             e->spf.id, p->est.n, pf, pt, p->est.obs_after, p->est.exp_after, p->est.theta,
                             p->est.se_theta, p->est.ci_low, p->est.ci_high, was);
            const char *old_src = cJSON_IsString(osrc) ? osrc->valuestring : "";
            int room = 1000 - m;
            if (room > 0 && (int)strlen(old_src) <= room)
                snprintf(src + m, sizeof src - (size_t)m, "%s", old_src);
            else if (room > 4)
                snprintf(src + m, sizeof src - (size_t)m, "%.*s ...", room - 4, old_src);
            cJSON_ReplaceItemInObjectCaseSensitive(it, "cmf", cJSON_CreateNumber(p->est.theta));
            if (cJSON_GetObjectItemCaseSensitive(it, "cmf_se"))
                cJSON_ReplaceItemInObjectCaseSensitive(it, "cmf_se", cJSON_CreateNumber(p->est.se_theta));
            else
                cJSON_AddNumberToObject(it, "cmf_se", p->est.se_theta);
            cJSON_ReplaceItemInObjectCaseSensitive(it, "source", cJSON_CreateString(src));
            cJSON_ReplaceItemInObjectCaseSensitive(it, "stars", cJSON_CreateNumber(0));
            changed++;
        }
    }
    *text = changed ? cJSON_Print(js) : NULL;
    cJSON_Delete(js);
    if (!changed)
        return rb_err_set(&e->err, RB_EINVAL, "evaluate --catalogue-out: no countermeasure's EB estimate on its target"
                          " crashes shows a reduction (a 95 %% interval below 1): nothing to write back; run without"
                          " --catalogue-out to see the estimates");
    return *text ? RB_OK : rb_err_nomem(&e->err);
}

int rb_eval_run(struct rb_eval *e, const struct rb_eval_opt *o)
{
    struct rb_err *err = &e->err;
    e->run_summary = run_summary(o);
    const char *spf = o->spf ? o->spf : run_spf(e->run_summary);
    if (!spf)
        return rb_err_set(err, RB_EUSAGE, "evaluate: %s was screened without an SPF (or its summary is not beside it):"
                          " name the treated sites' SPF with --spf (e.g. hsm_rural_2lane)", o->in);
    if (rb_run_segment_spf("evaluate", spf, o->data_dir, &e->spf, err))
        return err->code;
    e->base = e->spf;
    e->base.ncmf = 0;
    if (!(e->cat = rb_calloc(1, sizeof *e->cat)))
        return rb_err_nomem(err);
    if (rb_catalogue_read(o->data_dir, o->catalogue, e->cat, err))
        return err->code;
    static const char *const cr_f[] = { "segment_id", "crash_date", "severity", "crash_type", "light", "surface",
                                        "weather", NULL };
    const struct rb_shapes_req req[2] = { { "segments", NULL, 1 }, { "crashes", cr_f, 0 } };
    if (rb_io_read_shapes(o->in, req, 2, e->sh, &e->log, err))
        return err->code;
    e->have_shapes = 1;
    if (!e->sh[0].present || !e->sh[1].present)
        return rb_err_set(err, RB_EINVAL, "evaluate: %s has no %s layer: give the GeoPackage of rumble match, screen or"
                          " run", o->in, e->sh[0].present ? "crashes" : "segments");
    const struct rb_table *st = &e->sh[0].attrs;
    long c_id = need(e, st, "segment_id", o->in, "segments");
    e->c_len = c_id < 0 ? -1 : need(e, st, "length_m", o->in, "segments");
    e->c_aadt = e->c_len < 0 ? -1 : need(e, st, "aadt", o->in, "segments");
    if (e->c_aadt < 0)
        return err->code;
    e->c_cmf = rb_table_find(st, "spf_cmf");
    long c_date = rb_table_find(&e->sh[1].attrs, "crash_date");
    if (c_date < 0)
        return need(e, &e->sh[1].attrs, "crash_date", o->in, "crashes"), err->code;
    if (data_period(e, o, c_date, e->run_summary) || aadt_years(e, o))
        return err->code;
    {
        char a[16], b[16];
        day_text(e->data_from, a, sizeof a);
        day_text(e->data_to, b, sizeof b);
        snprintf(e->period_text, sizeof e->period_text, "%s to %s", a, b);
    }
    if (rb_io_read_table(o->treatments, o->layer, &e->tr, &e->log, err))
        return err->code;
    size_t nseg = e->sh[0].n;
    const char **ids = rb_mallocarray(nseg ? nseg : 1, sizeof *ids);
    char (*idbuf)[64] = rb_mallocarray(nseg ? nseg : 1, sizeof *idbuf);
    struct rb_id_ix *ix = NULL;
    int rc = !ids || !idbuf ? rb_err_nomem(err) : RB_OK;
    for (size_t s = 0; s < nseg && !rc; s++) {
        const char *v = rb_table_text(st, (size_t)c_id, s, idbuf[s], sizeof idbuf[s]);
        ids[s] = v ? v : "";
    }
    if (!rc && !(ix = rb_id_index(ids, nseg)))
        rc = rb_err_nomem(err);
    if (!rc)
        rc = read_treatments(e, o, ix, nseg);
    if (!rc && !e->ntreated)
        rc = rb_err_set(err, RB_EINVAL, "evaluate: %s: no treated site on the run's segments (%zu rows): nothing to"
                        " evaluate", o->treatments, e->nsites);
    if (!rc)
        rc = count_crashes(e, o, ix, nseg);
    rb_free(ix);
    rb_free(ids);
    rb_free(idbuf);
    if (rc || predict_sites(e, o))
        return err->code;
    if (!e->nevaluated)
        return rb_err_set(err, RB_EINVAL, "evaluate: %s: none of the %zu treated sites could be evaluated (see the"
                          " warnings: periods, segments, SPF)", o->treatments, e->ntreated);
    if (e->aadt_missing)
        rb_warn(&e->log, RB_W_VALUE, "evaluate: %zu site-years have no AADT column of their own (%s): predicted at the"
                " segment's aadt, so a change of traffic in them is not accounted for", e->aadt_missing,
                e->aadt_pattern);
    e->fi_share = isfinite(e->spf.fi_share) ? e->spf.fi_share : e->ref_all ? (double)e->ref_fi / (double)e->ref_all : NAN;
    e->fi_source = isfinite(e->spf.fi_share) || e->spf.nfi ? "the SPF's own fatal-and-injury prediction"
                   : "the share of fatal and injury crashes on untreated segments";
    if (estimate(e))
        return err->code;
    const struct rb_eval_pooled *all = NULL;
    for (size_t j = 0; j < e->npool; j++)
        if (e->pool[j].group == RB_EVAL_ALL && e->pool[j].method == RB_EVAL_EB && (!all || !all->ok))
            all = &e->pool[j];
    if (!all || !all->ok)
        return rb_err_set(err, RB_EINVAL, "evaluate: no Empirical Bayes estimate for all crashes could be made%s%s",
                          all ? ": " : "", all ? all->why : "");
    /* everything that can fail is done before the first file is written */
    char *cat = NULL;
    rc = o->catalogue_out ? make_catalogue(e, o, &cat) : RB_OK;
    if (!rc && (site_table(e) || pooled_table(e) || write_layers(e, o) || write_summary(e, o) ||
                (cat && rb_io_write_text(o->catalogue_out, cat, err))))
        rc = err->code;
    cJSON_free(cat);
    return rc;
}
