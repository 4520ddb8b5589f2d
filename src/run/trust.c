/* run/trust: the checks a careful analyst makes before believing a run. Do the
 * crashes lie on the roads, and if not, which reading of their coordinates
 * would put them there (axes exchanged, metres taken for degrees, another
 * CRS)? Do they have dates, does the study period hold any, do they carry the
 * fields the chosen measures need, does the ranking measure exist anywhere?
 * Each finding goes to run->log (rb_find) with its numbers and its fix; the
 * command decides the exit code from them. The checks read what the stages
 * made and change none of it. */
#include "run/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SAMPLE_MAX 2000   /* crashes re-matched to test a reading: enough to tell 7 % from 46 % */

/* A position to match: the layout rb_match_points reads with one stride. */
struct pt {
    double x, y;
    uint8_t st;
};

/* Coordinates that are a place as read, whatever their CRS (not missing, not
 * 0,0, numbers). */
static int has_place(const struct rb_crash *c)
{
    return c->xy_status != RB_XY_MISSING && c->xy_status != RB_XY_INVALID && c->xy_status != RB_XY_ZERO &&
           isfinite(c->src_x) && isfinite(c->src_y);
}

/* Up to SAMPLE_MAX crashes with coordinates (as read), evenly spread over the
 * file so that a file sorted by region is sampled across it. */
static size_t sample(const struct rb_crashes *cr, size_t *idx)
{
    size_t have = 0;
    for (size_t i = 0; i < cr->n; i++)
        have += has_place(&cr->c[i]);
    size_t step = have > SAMPLE_MAX ? (have + SAMPLE_MAX - 1) / SAMPLE_MAX : 1, n = 0, k = 0;
    for (size_t i = 0; i < cr->n && n < SAMPLE_MAX; i++)
        if (has_place(&cr->c[i]) && k++ % step == 0)
            idx[n++] = i;
    return n;
}

/* A coordinate for a message: whole metres when large, else six digits. */
static void coord_text(double v, char *out, size_t n)
{
    snprintf(out, n, fabs(v) >= 1000 ? "%.0f" : "%.6g", v);
}

/* How many of n positions (working CRS; NaN unusable) lie within tol_m of a
 * road; with offs, the distance of each matched one (NaN when none). */
static size_t count_on_road(struct rb_run *run, struct pt *p, size_t n, double tol_m, double *offs)
{
    struct rb_match *m = rb_mallocarray(n ? n : 1, sizeof *m);
    if (!m)
        return 0;
    for (size_t i = 0; i < n; i++)
        p[i].st = isfinite(p[i].x) && isfinite(p[i].y) ? RB_XY_OK : RB_XY_INVALID;
    struct rb_match_opt o = { tol_m, run->cfg.ambiguous_margin_m, run->cfg.junction_radius_m, 0, NULL };
    struct rb_err err = { 0 };
    size_t on = 0;
    if (!rb_match_points(&run->net, &run->ix, &o, &p[0].x, &p[0].y, &p[0].st, sizeof *p, n, m, NULL, &err))
        for (size_t i = 0; i < n; i++) {
            on += m[i].seg >= 0;
            if (offs)
                offs[i] = m[i].seg >= 0 ? m[i].offset_m : NAN;
        }
    rb_free(m);
    return on;
}

/* A reading of the coordinates: in CRS crs, with x and y exchanged or not. */
struct reading {
    const char *crs;      /* a WKT or "EPSG:4326" */
    int swap;
    char name[64];        /* the CRS's short name */
    size_t on;            /* sample crashes on a road so read */
};

static void try_reading(struct rb_run *run, const size_t *idx, size_t n, struct pt *p, struct reading *r)
{
    double *x = rb_mallocarray(n ? n : 1, sizeof *x), *y = rb_mallocarray(n ? n : 1, sizeof *y);
    r->on = 0;
    if (x && y) {
        for (size_t k = 0; k < n; k++) {
            const struct rb_crash *c = &run->crashes.c[idx[k]];
            x[k] = r->swap ? c->src_y : c->src_x;
            y[k] = r->swap ? c->src_x : c->src_y;
        }
        struct rb_err err = { 0 };
        if (!rb_io_transform_xy(r->crs, run->roads.work_srs_wkt, n, x, y, r->name, sizeof r->name, &err)) {
            for (size_t k = 0; k < n; k++)
                p[k] = (struct pt){ x[k], y[k], 0 };
            r->on = count_on_road(run, p, n, run->cfg.tolerance_m, NULL);
        }
    }
    rb_free(x);
    rb_free(y);
}

/* The span of the coordinates as read, for a message: "x 431,200 to 445,800, y ...". */
static void span_text(const struct rb_crashes *cr, char *out, size_t n)
{
    double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
    for (size_t i = 0; i < cr->n; i++) {
        const struct rb_crash *c = &cr->c[i];
        if (!has_place(c))
            continue;
        b[0] = fmin(b[0], c->src_x);
        b[1] = fmin(b[1], c->src_y);
        b[2] = fmax(b[2], c->src_x);
        b[3] = fmax(b[3], c->src_y);
    }
    char t[4][32];
    for (int k = 0; k < 4; k++)
        coord_text(b[k], t[k], sizeof t[k]);
    if (b[0] > b[2])
        snprintf(out, n, "no coordinates");
    else
        snprintf(out, n, "x %s to %s, y %s to %s", t[0], t[2], t[1], t[3]);
}

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0;
}

/* When few crashes lie on a road: is there a reading of their coordinates that
 * puts many more there? Tried on a sample: x and y exchanged; the roads' CRS
 * (with and without the exchange); longitude/latitude. Returns 1 when a finding
 * explains the low match. */
static int diagnose_coordinates(struct rb_run *run, size_t matched)
{
    const struct rb_crashes *cr = &run->crashes;
    size_t *idx = rb_mallocarray(SAMPLE_MAX, sizeof *idx);
    struct pt *p = rb_mallocarray(SAMPLE_MAX, sizeof *p);
    int found = 0;
    size_t n = idx && p ? sample(cr, idx) : 0;
    if (n == 0 || !cr->srs_wkt)
        goto done;
    size_t base = 0, out_of_range = 0;
    for (size_t k = 0; k < n; k++) {
        base += run->match[idx[k]].seg >= 0;
        out_of_range += cr->c[idx[k]].xy_status == RB_XY_OUT_OF_RANGE;
    }
    struct reading r[5];
    size_t nr = 0;
    r[nr++] = (struct reading){ .crs = cr->srs_wkt, .swap = 1 };
    if (strcmp(cr->crs_name, run->roads.src_crs_name)) {
        r[nr++] = (struct reading){ .crs = run->roads.src_srs_wkt, .swap = 0 };
        r[nr++] = (struct reading){ .crs = run->roads.src_srs_wkt, .swap = 1 };
    }
    if (strcmp(cr->crs_name, "EPSG:4326")) {
        r[nr++] = (struct reading){ .crs = "EPSG:4326", .swap = 0 };
        r[nr++] = (struct reading){ .crs = "EPSG:4326", .swap = 1 };
    }
    size_t best = 0;
    for (size_t k = 0; k < nr; k++) {
        try_reading(run, idx, n, p, &r[k]);
        if (r[k].on > r[best].on)
            best = k;
    }
    /* a reading is the answer when it puts at least twice as many, and a tenth
     * of the sample more, on a road */
    const struct reading *b = &r[best];
    int better = b->on >= 2 * base && b->on >= base + n / 10 && b->on > 0;
    char span[160];
    span_text(cr, span, sizeof span);
    size_t total = cr->n;
    if (better && b->swap && b->crs == cr->srs_wkt) {
        rb_find(&run->log, "axes_swapped", 1, total - matched,
                "x and y look exchanged: read as (y, x), %.0f%% of a sample of %zu crashes lie on a road,"
                " against %.0f%% as given; exchange the columns (--x-field, --y-field)",
                pct(b->on, n), n, pct(base, n));
        found = 1;
    } else if (cr->geographic && out_of_range * 2 > n) {
        if (better)
            rb_find(&run->log, "coords_look_projected", 1, total - matched,
                    "%zu of a sample of %zu crashes have coordinates outside longitude/latitude range (%s):"
                    " they look like metres; read in %s%s, %.0f%% lie on a road: declare it with --crashes-crs %s%s",
                    out_of_range, n, span, b->name, b->swap ? " with x and y exchanged" : "", pct(b->on, n), b->name,
                    b->swap ? " and exchange --x-field and --y-field" : "");
        else
            rb_find(&run->log, "coords_look_projected", 1, total - matched,
                    "%zu of a sample of %zu crashes have coordinates outside longitude/latitude range (%s):"
                    " they look like metres in a projected CRS; declare it with --crashes-crs (the roads' is %s)",
                    out_of_range, n, span, run->roads.src_crs_name);
        found = 1;
    } else if (better) {
        rb_find(&run->log, "crs_mismatch", 1, total - matched,
                "the crashes lie away from the roads as read in %s (%s); read in %s%s, %.0f%% of a sample of %zu"
                " lie on a road against %.0f%%: declare --crashes-crs %s%s",
                cr->crs_name, span, b->name, b->swap ? " with x and y exchanged" : "", pct(b->on, n), n,
                pct(base, n), b->name, b->swap ? " and exchange --x-field and --y-field" : "");
        found = 1;
    }
done:
    rb_free(idx);
    rb_free(p);
    return found;
}

/* Of the crashes beyond the tolerance, how many lie within 2x and 5x of it: a
 * tight tolerance, or a network without the roads they happened on. */
static void tolerance_hint(struct rb_run *run, char *out, size_t n)
{
    const struct rb_crashes *cr = &run->crashes;
    struct pt *p = rb_mallocarray(SAMPLE_MAX, sizeof *p);
    double *off = rb_mallocarray(SAMPLE_MAX, sizeof *off);
    size_t beyond = 0, m = 0;
    *out = 0;
    for (size_t i = 0; i < cr->n; i++)
        beyond += run->match[i].reason == RB_UNM_BEYOND_TOLERANCE;
    size_t step = beyond > SAMPLE_MAX ? (beyond + SAMPLE_MAX - 1) / SAMPLE_MAX : 1, k = 0;
    for (size_t i = 0; p && off && i < cr->n && m < SAMPLE_MAX; i++)
        if (run->match[i].reason == RB_UNM_BEYOND_TOLERANCE && k++ % step == 0)
            p[m++] = (struct pt){ cr->c[i].x, cr->c[i].y, 0 };
    double tol = run->cfg.tolerance_m;
    if (m && count_on_road(run, p, m, 5 * tol, off)) {
        size_t in2 = 0, in5 = 0;
        for (size_t i = 0; i < m; i++) {
            in2 += off[i] <= 2 * tol;
            in5 += off[i] <= 5 * tol;
        }
        snprintf(out, n, "; of those beyond %g m, %.0f%% lie within %g m and %.0f%% within %g m", tol,
                 pct(in2, m), 2 * tol, pct(in5, m), 5 * tol);
        if (in5 * 2 > m)
            snprintf(out + strlen(out), n - strlen(out), ": a wider --tolerance would place them (check a few in QGIS first)");
        else
            snprintf(out + strlen(out), n - strlen(out), ": the network may lack the roads they happened on");
    }
    rb_free(p);
    rb_free(off);
}

/* The crashes on the roads: none, few, and why. */
static void check_matched(struct rb_run *run)
{
    size_t n = run->crashes.n;
    if (!run->have_roads || n == 0)
        return;
    const size_t *pc = run->part.counts;
    if (run->part.crash) {   /* a partition judges the crashes near its roads; the merge judges them all */
        size_t near = pc[RB_PART_OWN] + pc[RB_PART_HALO] + pc[RB_PART_IN], hit = near - pc[RB_PART_IN];
        if (hit * 2 < near)
            rb_find(&run->log, "low_match", hit * 5 < near, near - hit,
                    "only %zu of the %zu crashes near the partition's roads lie within %g m of one", hit, near,
                    run->cfg.tolerance_m);
        return;
    }
    struct rb_run_counts c;
    rb_run_counts(run, &c);
    if (c.matched * 2 >= n)
        return;
    int explained = diagnose_coordinates(run, c.matched);
    char reasons[256] = "", hint[320] = "";
    for (int r = 1; r < RB_NUNM; r++)
        if (c.reasons[r])
            snprintf(reasons + strlen(reasons), sizeof reasons - strlen(reasons), "%s%s %zu",
                     *reasons ? ", " : "", rb_unmatched_name(r), c.reasons[r]);
    if (c.reasons[RB_UNM_BEYOND_TOLERANCE] && !explained)
        tolerance_hint(run, hint, sizeof hint);
    if (c.matched == 0)
        rb_find(&run->log, "no_match", 1, n, "none of the %zu crashes lies within %g m of a road (%s)%s", n,
                run->cfg.tolerance_m, reasons, hint);
    else
        rb_find(&run->log, "low_match", c.matched * 5 < n, n - c.matched,
                "only %zu of %zu crashes (%.0f%%) lie within %g m of a road (unmatched: %s)%s", c.matched, n,
                pct(c.matched, n), run->cfg.tolerance_m, reasons, hint);
}

/* Dates read, and a study period that holds crashes. */
static void check_dates(struct rb_run *run)
{
    const struct rb_crashes *cr = &run->crashes;
    size_t dated = 0, bad = 0;
    int y0 = 9999, y1 = 0;
    for (size_t i = 0; i < cr->n; i++) {
        const struct rb_crash *c = &cr->c[i];
        bad += c->date_bad;
        if (c->date_days == RB_NODATE)
            continue;
        dated++;
        int y, m, d;
        rb_ymd_from_days(c->date_days, &y, &m, &d);
        y0 = y < y0 ? y : y0;
        y1 = y > y1 ? y : y1;
    }
    const char *fmt = run->cfg.date_format;
    if (cr->n && dated == 0) {
        if (bad)
            rb_find(&run->log, "no_dates", 1, cr->n, "none of the %zu crashes has a date that could be read: %zu"
                    " dates in '%s' do not parse%s%s%s", cr->n, bad, run->cfg.date_field,
                    fmt ? " in the format '" : " in any unambiguous format", fmt ? fmt : "",
                    fmt ? "' (set crashes.date_format to the file's)" : " (set crashes.date_format)");
        else
            rb_find(&run->log, "no_dates", 0, cr->n, "none of the %zu crashes has a date%s: there is no study"
                    " period and no yearly figure; name the date field with --date-field", cr->n,
                    run->cfg.date_field ? " (the date field is empty)" : " (no date field is named)");
        return;
    }
    if (bad && bad * 20 > dated + bad)
        rb_find(&run->log, "dates_unparsed", bad * 2 > dated + bad, bad, "%zu of %zu dates (%.0f%%) could not be"
                " read%s%s%s; those crashes count in no year", bad, dated + bad, pct(bad, dated + bad),
                fmt ? " in the format '" : "", fmt ? fmt : "", fmt ? "'" : " (set crashes.date_format)");
    size_t in_period = 0;
    for (size_t i = 0; i < cr->n && run->period.from_year; i++)
        in_period += cr->c[i].date_days != RB_NODATE && rb_in_period(&run->period, cr->c[i].date_days);
    if (run->period.from_year && dated && in_period == 0)
        rb_find(&run->log, "period_empty", 1, dated, "no crash falls in the study period %d-%d; the crashes'"
                " dates run from %d to %d (set study.from_year and study.to_year)", run->period.from_year,
                run->period.to_year, y0, y1);
}

static int uses_severity(const char *measure)
{
    return measure && (strstr(measure, "epdo") || strstr(measure, "rsi"));
}

/* The fields the chosen measures and stages need. */
static void check_fields(struct rb_run *run)
{
    const struct rb_crashes *cr = &run->crashes;
    enum rb_job job = run->opt.job;
    size_t sev = 0, typed = 0, lit = 0, surf = 0;
    for (size_t i = 0; i < cr->n; i++) {
        sev += cr->c[i].severity != RB_SEV_UNKNOWN;
        typed += cr->c[i].crash_type != RB_CT_UNKNOWN;
        lit += cr->c[i].light != RB_LIGHT_UNKNOWN;
        surf += cr->c[i].surface != RB_SURF_UNKNOWN;
    }
    const char *measure = job == RB_JOB_MATCH ? rb_rank_measure(run->cfg.rank_by) : run->screen_rank;
    /* match's product is the crashes on the roads; screening's is the ranking */
    int ranked_by_severity = job != RB_JOB_MATCH && uses_severity(measure);
    if (cr->n && sev == 0)
        rb_find(&run->log, "no_severity", ranked_by_severity, cr->n, "no crash has a severity%s: EPDO"
                " counts nothing%s; name the severity field (--severity-field, with --severity-map for codes)",
                run->cfg.severity.field ? " (none of the field's values is mapped)" : " (no severity field is named)",
                ranked_by_severity ? " and the ranking by it is arbitrary" : "");
    if (job == RB_JOB_RUN && cr->n && typed == 0)
        rb_find(&run->log, "no_crash_type", 0, cr->n, "no crash has a crash type%s: the diagnosis finds no"
                " pattern and the countermeasures that answer one are never proposed; name it with"
                " --crash-type-field", run->cfg.crash_type.field ? " (none of the field's values is mapped)" : "");
    if (job == RB_JOB_RUN && cr->n && (lit == 0 || surf == 0))
        rb_find(&run->log, "no_conditions", 0, cr->n, "no crash has %s: the diagnosis cannot find %s, so %s"
                " never proposed; name %s", lit == 0 && surf == 0 ? "light or road surface conditions"
                : lit == 0 ? "light conditions" : "road surface conditions",
                lit == 0 && surf == 0 ? "night-time or wet-road patterns" : lit == 0 ? "night-time patterns"
                : "wet-road patterns", lit == 0 && surf == 0 ? "lighting and skid-resistance treatments are"
                : lit == 0 ? "lighting is" : "skid-resistance treatments are",
                lit == 0 && surf == 0 ? "--light-field and --surface-field" : lit == 0 ? "--light-field"
                : "--surface-field");
    if ((job == RB_JOB_SCREEN || job == RB_JOB_RUN) && run->have_roads && run->roads.col_route < 0 &&
        !rb_io_is_osm(run->roads.path) && run->net.nsegs > 1)
        rb_find(&run->log, "no_route", 0, run->net.nsegs, "no route field: each of the %zu segments is a route"
                " of its own, so windows and sites stop at every segment end; name the road number field"
                " with --route-field", run->net.nsegs);
    const struct rb_routes *r = &run->routes;
    if (run->have_routes && r->nsplit_keys)
        rb_find(&run->log, "route_gaps", 0, r->nsplit_keys, "%zu route keys chain segments that lie apart (the"
                " widest gap %.1f km, on '%s'): each is split into routes where a gap exceeds %g m, %zu routes"
                " in all (KEY#2, KEY#3, ...); if the key is not a road number (a road class), name the right"
                " field with --route-field", r->nsplit_keys, r->max_gap_m / 1000, r->max_gap_key,
                fmax(run->cfg.window_m, RB_ROUTE_JOIN_M), r->nsplit_pieces);
}


/* What a ranking measure needs that the run lacks, for the message. */
static void measure_needs(const struct rb_run *run, const char *measure, char *out, size_t n)
{
    int aadt = 0;
    for (size_t s = 0; s < run->net.nsegs && !aadt; s++)
        aadt = isfinite(run->net.segs[s].aadt) && run->net.segs[s].aadt > 0;
    *out = 0;
    if (!aadt && (strstr(measure, "rate") || strstr(measure, "excess") || strstr(measure, "pred") ||
                  strstr(measure, "eb") || strstr(measure, "mvkm") || strstr(measure, "loss")))
        snprintf(out, n, ": it needs AADT, and %s", run->cfg.road_aadt ? "the AADT field has no value"
                                                                       : "no AADT field is named (--aadt-field)");
    else if (!run->have_spf && (strstr(measure, "excess") || strstr(measure, "pred") || strstr(measure, "eb")))
        snprintf(out, n, ": it needs an SPF (--spf)");
    else if (!run->period.from_year && strstr(measure, "per_yr"))
        snprintf(out, n, ": it needs a study period (dates, or study.from_year and study.to_year)");
}

/* Segments screened with an SPF outside the AADT range it was fitted on, or
 * that the roads' attributes put outside its base conditions (the SPF file's
 * base_conditions: urban roads, more lanes): its prediction there is an
 * extrapolation. */
static void check_spf(struct rb_run *run)
{
    if (!run->have_spf || strcmp(run->spf.site_type, "segment"))
        return;
    const struct rb_spf *spf = &run->spf;
    size_t out_aadt = 0, urban = 0, rural = 0, lanes = 0, divided = 0, n = run->net.nsegs;
    double km = 0;
    for (size_t s = 0; s < n; s++) {
        spf = run->nspf ? &run->spfs[run->seg_spf[s]] : &run->spf;   /* a set: the segment's own */
        double a = run->net.segs[s].aadt;
        int off = 0;
        if (isfinite(a) && (a < spf->aadt_min || a > spf->aadt_max))
            out_aadt++, off = 1;
        unsigned why = rb_run_spf_off(run, spf, s, spf->base_area >= 0 ? rb_run_road_area(run, s) : -1);
        if (why & RB_SPF_OFF_AREA)
            *(spf->base_area ? &rural : &urban) += 1, off = 1;
        if (why & RB_SPF_OFF_LANES)
            lanes++, off = 1;
        if (why & RB_SPF_OFF_DIVIDED)
            divided++, off = 1;
        km += off ? run->net.segs[s].length_m / 1000 : 0;
    }
    if (out_aadt + urban + rural + lanes + divided == 0)
        return;
    char what[256] = "";
    if (out_aadt)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%zu with AADT outside %g-%g", out_aadt,
                 spf->aadt_min, spf->aadt_max);
    if (urban)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%s%zu urban", *what ? ", " : "", urban);
    if (rural)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%s%zu rural", *what ? ", " : "", rural);
    if (lanes && spf->base_lanes_min > 0)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%s%zu with other than %g-%g lanes",
                 *what ? ", " : "", lanes, spf->base_lanes_min, spf->base_lanes_max);
    else if (lanes)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%s%zu with more than %g lanes",
                 *what ? ", " : "", lanes, spf->base_lanes_max);
    if (divided)
        snprintf(what + strlen(what), sizeof what - strlen(what), "%s%zu %s", *what ? ", " : "", divided,
                 spf->base_divided ? "undivided" : "divided");
    if (run->nspf)
        rb_find(&run->log, "spf_conditions", 0, out_aadt + urban + rural + lanes + divided, "the SPF set '%s' has no member"
                " for some segments, which fell back to '%s', or they lie outside their SPF's AADT range (%s; %.1f km):"
                " their predictions and EB estimates are extrapolations; add an SPF for their kind of road to the set,"
                " or calibrate one (rumble fit-spf)", run->spf_set, run->spfs[run->spf_fallback_ix].id, what, km);
    else
        rb_find(&run->log, "spf_conditions", 0, out_aadt + urban + rural + lanes + divided, "the SPF '%s' (%s) is applied to"
                " segments outside its base conditions (%s; %.1f km): its predictions and EB estimates there are"
                " extrapolations; screen them with an SPF for their kind of road, or calibrate one (rumble fit-spf)",
                spf->id, spf->name, what, km);
}

int rb_run_trust_screen(struct rb_run *run)
{
    if (run->opt.job != RB_JOB_MATCH)
        check_spf(run);
    const double *v = NULL;
    size_t n = 0;
    double *tmp = NULL;
    const char *measure = run->opt.job == RB_JOB_MATCH ? rb_rank_measure(run->cfg.rank_by) : run->screen_rank;
    if (run->opt.job == RB_JOB_MATCH) {
        n = run->stats.nsegs;
        tmp = rb_mallocarray(n ? n : 1, sizeof *tmp);
        v = tmp ? rb_rank_values(&run->stats, measure, tmp) : NULL;
    } else if (run->seg_sites.n) {
        n = run->seg_sites.n;
        v = rb_sites_measure(&run->seg_sites, measure);
    }
    size_t have = 0;
    for (size_t i = 0; v && i < n; i++)
        have += isfinite(v[i]);
    if (v && n && have == 0) {
        char needs[160];
        measure_needs(run, measure, needs, sizeof needs);
        rb_find(&run->log, "measure_empty", 1, n, "the ranking measure '%s' has no value at any of the %zu"
                " segments%s; the ranking is arbitrary", measure, n, needs);
    }
    rb_free(tmp);
    return RB_OK;
}

int rb_run_trust_match(struct rb_run *run)
{
    const struct rb_crashes *cr = &run->crashes;
    if (cr->nrej)
        rb_find(&run->log, "rows_rejected", 0, cr->nrej, "%zu of the %zu rows read are not crash records (the"
                " first: row %lld, %s) and were set aside: they are in the output's layer 'rejected'", cr->nrej,
                cr->nrecords, (long long)cr->rej[0].row, cr->rej[0].reason);
    check_matched(run);
    check_dates(run);
    check_fields(run);
    if (run->opt.job == RB_JOB_MATCH)
        rb_run_trust_screen(run);
    return RB_OK;
}
