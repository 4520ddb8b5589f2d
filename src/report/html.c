/* report/html: one self-contained HTML file from a run's GeoPackage — summary
 * figures, an SVG map, the ranked sites, and a card for each top site. */
#include "report/html.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text -------------------------------------------------------------------------- */

#define sb rb_sb
#define sb_add rb_sb_add
#define sb_printf rb_sb_printf

static void sb_puts(struct sb *b, const char *s)
{
    rb_sb_add(b, s, strlen(s));
}

/* text into HTML, escaped */
static void sb_esc(struct sb *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '&': sb_puts(b, "&amp;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        default: sb_add(b, s, 1);
        }
    }
}

/* ---- the locale ------------------------------------------------------------------- */

struct seg_pop {
    const char *id, *pop;
};

struct ctx {
    const struct rb_report_src *src;
    struct sb *b;
    char dec[8], thou[8];
    struct seg_pop *pops;   /* segments by id with their reference population, when they have one */
    size_t npops;
    /* the crash columns the cards read for every crash, found once */
    long cr_in, cr_route, cr_ch, cr_junc, cr_seg, cr_sev;
    /* each crash's hour (0-23), weekday (0 Monday .. 6) and month (0-11), -1 unknown;
     * year_only: every date is a year alone (1 July), no month or weekday */
    signed char *when[3];
    int year_only;
    struct site *cards;     /* the sites that get a card (--top of them, best first), for the map and the cards */
    size_t ncards;
};

static const char *loc_in(const struct ctx *c, const char *group, const char *key)
{
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(c->src->locale, group);
    const cJSON *v = g ? cJSON_GetObjectItemCaseSensitive(g, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* a label: the locale's, else the key itself */
static const char *L(const struct ctx *c, const char *key)
{
    const char *s = loc_in(c, "labels", key);
    return s ? s : key;
}

/* a code's name in the locale group (severity, crash_type, rule, countermeasure), else fallback, else the code */
static const char *code_name(const struct ctx *c, const char *group, const char *code, const char *fallback)
{
    const char *s = code ? loc_in(c, group, code) : NULL;
    return s ? s : fallback ? fallback : code ? code : "";
}

/* a number with the locale's separators, decimals after the point */
static void fmt_num(const struct ctx *c, double v, int decimals, char *out, size_t n)
{
    if (!(v == v)) {
        snprintf(out, n, "–");
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v) < 0.5 * pow(10, -decimals) ? 0.0 : v);
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
    const char *digits = raw;
    if (*digits == '-') {
        if (o + 1 < n)
            out[o++] = '-';
        digits++;
        ilen--;
    }
    for (size_t i = 0; i < ilen && o + 8 < n; i++) {
        if (i && (ilen - i) % 3 == 0)
            for (const char *t = c->thou; *t && o + 1 < n; t++)
                out[o++] = *t;
        out[o++] = digits[i];
    }
    if (dot)
        for (const char *t = c->dec; *t && o + 1 < n; t++)
            out[o++] = *t;
    for (const char *t = dot ? dot + 1 : ""; *t && o + 1 < n; t++)
        out[o++] = *t;
    out[o] = 0;
}

/* "km 46+392" in the locale's word for km */
static void fmt_km(const struct ctx *c, double m, char *out, size_t n)
{
    if (!(m == m)) {
        snprintf(out, n, "–");
        return;
    }
    long mm = lround(m);
    snprintf(out, n, "%s %ld+%03ld", L(c, "km"), mm / 1000, mm % 1000);
}

/* ---- layer access -------------------------------------------------------------------- */

static long col(const struct rb_shapes *s, const char *name)
{
    return s && s->present ? rb_table_find(&s->attrs, name) : -1;
}

static double num(const struct rb_shapes *s, long c, size_t i)
{
    return c >= 0 ? rb_table_number(&s->attrs, (size_t)c, i) : NAN;
}

/* a text cell, "" when null or no column */
/* a JSON object's number, NaN when it has none */
static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *txt(const struct rb_shapes *s, long c, size_t i, char *buf, size_t n)
{
    const char *t = c >= 0 ? rb_table_text(&s->attrs, (size_t)c, i, buf, n) : NULL;
    return t ? t : "";
}

static size_t rows(const struct rb_shapes *s)
{
    return s && s->present ? s->n : 0;
}

/* ---- the figures ----------------------------------------------------------------------- */

static const char *const sev_codes[] = { "K", "A", "B", "C", "O", "U" };
#define NSEV 6

static int sev_index(const char *code)
{
    for (int k = 0; k < NSEV; k++)
        if (!strcmp(code, sev_codes[k]))
            return k;
    return NSEV - 1;
}

/* a figure: a big number with its label; id and data-v for scripts and tests */
static void figure(struct ctx *c, const char *id, const char *label, double v, int decimals)
{
    char t[64];
    fmt_num(c, v, decimals, t, sizeof t);
    sb_printf(c->b, "<div class=\"fig\"><div class=\"v\" id=\"%s\" data-v=\"%.*f\">%s</div><div class=\"l\">", id,
              decimals, v == v ? v : 0, t);
    sb_esc(c->b, label);
    sb_puts(c->b, "</div></div>\n");
}

/* a table of counts with bars */
static void count_table(struct ctx *c, const char *id, const char *head, const char *const *names,
                        const size_t *counts, size_t n)
{
    size_t total = 0, max = 0;
    for (size_t k = 0; k < n; k++) {
        total += counts[k];
        if (counts[k] > max)
            max = counts[k];
    }
    sb_printf(c->b, "<table class=\"counts\" id=\"%s\"><thead><tr><th>", id);
    sb_esc(c->b, head);
    sb_printf(c->b, "</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>\n", L(c, "count"), L(c, "share"));
    for (size_t k = 0; k < n; k++) {
        char t[64], p[64];
        fmt_num(c, (double)counts[k], 0, t, sizeof t);
        fmt_num(c, total ? 100.0 * (double)counts[k] / (double)total : 0, 1, p, sizeof p);
        sb_puts(c->b, "<tr><td>");
        sb_esc(c->b, names[k]);
        sb_printf(c->b, "</td><td class=\"n\" data-v=\"%zu\">%s</td><td class=\"n\">%s %%</td>"
                        "<td class=\"bar\"><span style=\"width:%.1f%%\"></span></td></tr>\n",
                  counts[k], t, p, max ? 100.0 * (double)counts[k] / (double)max : 0);
    }
    sb_puts(c->b, "</tbody></table>\n");
}

/* The plan's money: its currency, the prices' year and file (an example
 * said so), the crash costs' year and whether they were brought to the
 * prices' (the summary's plan object). */
static void price_basis(struct ctx *c)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(c->src->summary, "plan");
    const cJSON *cur = p ? cJSON_GetObjectItemCaseSensitive(p, "currency") : NULL;
    if (!rows(c->src->plan) || !cJSON_IsString(cur))
        return;
    const cJSON *py = cJSON_GetObjectItemCaseSensitive(p, "price_year");
    const cJSON *cy = cJSON_GetObjectItemCaseSensitive(p, "crash_cost_year");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(p, "crash_cost_factor");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(p, "prices");
    sb_printf(c->b, "<p class=\"meta\" id=\"price-basis\">%s: <b>", L(c, "currency"));
    sb_esc(c->b, cur->valuestring);
    sb_puts(c->b, "</b>");
    if (cJSON_IsNumber(py))
        sb_printf(c->b, " · %s %d", L(c, "prices_of"), py->valueint);
    if (cJSON_IsString(file)) {
        sb_puts(c->b, " (");
        sb_esc(c->b, file->valuestring);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "prices_example")))
            sb_printf(c->b, ": <span class=\"flag\">%s</span>", L(c, "example_prices"));
        sb_puts(c->b, ")");
    }
    if (cJSON_IsNumber(cy)) {
        sb_printf(c->b, " · %s %d", L(c, "crash_costs_of"), cy->valueint);
        if (cJSON_IsNumber(py) && py->valueint != cy->valueint) {
            char t[32];
            fmt_num(c, cJSON_IsNumber(f) ? f->valuedouble : 1, 3, t, sizeof t);
            if (cJSON_IsNumber(f) && f->valuedouble != 1)
                sb_printf(c->b, ", %s%s", L(c, "brought_by"), t);
            else
                sb_printf(c->b, ", <span class=\"flag\">%s</span>", L(c, "not_indexed"));
        }
    }
    sb_puts(c->b, "</p>\n");
}

/* The run's findings from the summary (warnings with an "untrusted" flag): what
 * looked wrong in the data, the untrusting ones first, in a box the reader
 * cannot miss. */
static void findings(struct ctx *c)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(c->src->summary, "warnings");
    if (!cJSON_IsArray(w))
        return;
    int any = 0, bad = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, w) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "untrusted");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "accepted");
        any |= u != NULL;
        bad |= cJSON_IsTrue(u) && !cJSON_IsTrue(a);
    }
    if (!any)
        return;
    sb_printf(c->b, "<div id=\"findings\" class=\"findings%s\"><h3>", bad ? " untrusted" : "");
    sb_esc(c->b, L(c, "findings"));
    sb_puts(c->b, "</h3>\n");
    if (bad) {
        sb_puts(c->b, "<p><strong>");
        sb_esc(c->b, L(c, "untrusted"));
        sb_puts(c->b, "</strong></p>\n");
    }
    sb_puts(c->b, "<ul>\n");
    for (int pass = 0; pass < 2; pass++)
        cJSON_ArrayForEach(f, w) {
            const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "untrusted");
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "accepted");
            const cJSON *code = cJSON_GetObjectItemCaseSensitive(f, "code");
            const cJSON *msg = cJSON_GetObjectItemCaseSensitive(f, "message");
            if (!u || !cJSON_IsString(code) || !cJSON_IsString(msg) ||
                (cJSON_IsTrue(u) && !cJSON_IsTrue(a)) != (pass == 0))
                continue;
            sb_printf(c->b, "<li%s><code>", pass == 0 ? " class=\"bad\"" : "");
            sb_esc(c->b, code->valuestring);
            sb_puts(c->b, "</code> ");
            sb_esc(c->b, msg->valuestring);
            if (cJSON_IsTrue(a)) {
                sb_puts(c->b, " (");
                sb_esc(c->b, L(c, "accepted"));
                sb_puts(c->b, ")");
            }
            sb_puts(c->b, "</li>\n");
        }
    sb_puts(c->b, "</ul></div>\n");
}

static void summary(struct ctx *c)
{
    const struct rb_report_src *r = c->src;
    const struct rb_shapes *cr = r->crashes, *sg = r->segments, *pl = r->plan;
    size_t n = rows(cr), matched = 0, sev[NSEV] = { 0 };
    long c_sev = col(cr, "severity"), c_st = col(cr, "match_status"), c_date = col(cr, "crash_date");
    long c_in = col(cr, "in_study");
    /* years: the study period's, else those the dates span */
    int y0 = 9999, y1 = 0;
    for (size_t i = 0; i < n; i++) {
        char b[64];
        const char *d = txt(cr, c_date, i, b, sizeof b);
        int y = atoi(d);
        if (y > 0 && y < y0)
            y0 = y;
        if (y > y1)
            y1 = y;
    }
    size_t ny = y1 >= y0 ? (size_t)(y1 - y0 + 1) : 0;
    size_t *by_year = rb_calloc(ny ? ny : 1, sizeof *by_year);
    if (!by_year) {
        c->b->nomem = 1;
        return;
    }
    /* both tables count the crashes the screening counts (in_study: on a road, in the period) */
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        char b[64];
        matched += !strcmp(txt(cr, c_st, i, b, sizeof b), "matched");
        if (c_in >= 0 && num(cr, c_in, i) != 1)
            continue;
        counted++;
        sev[sev_index(txt(cr, c_sev, i, b, sizeof b))]++;
        int y = atoi(txt(cr, c_date, i, b, sizeof b));
        if (y >= y0 && y <= y1)
            by_year[y - y0]++;
    }
    double km = 0;
    long c_len = col(sg, "length_m");
    for (size_t i = 0; i < rows(sg); i++) {
        double l = num(sg, c_len, i);
        km += l == l ? l / 1000 : 0;
    }
    sb_printf(c->b, "<section id=\"summary\"><h2>%s</h2>\n", L(c, "summary"));
    findings(c);
    sb_puts(c->b, "<div class=\"figs\">\n");
    figure(c, "n-crashes", L(c, "crashes"), (double)n, 0);
    figure(c, "n-matched", L(c, "matched"), (double)matched, 0);
    figure(c, "network-km", L(c, "network_km"), km, 1);
    figure(c, "n-hotspots", L(c, "sites_flagged"), (double)rows(r->hotspots), 0);
    if (rows(pl)) {
        long c_sel = col(pl, "selected"), c_ic = col(pl, "install_cost"), c_b = col(pl, "pv_benefit");
        long c_npv = col(pl, "npv"), c_av = col(pl, "crashes_avoided_per_yr");
        double nsel = 0, ic = 0, ben = 0, npv = 0, av = 0;
        for (size_t i = 0; i < rows(pl); i++) {
            if (num(pl, c_sel, i) != 1)
                continue;
            nsel++;
            ic += num(pl, c_ic, i);
            ben += num(pl, c_b, i);
            npv += num(pl, c_npv, i);
            av += num(pl, c_av, i);
        }
        figure(c, "n-treatments", L(c, "treatments"), nsel, 0);
        figure(c, "install-cost", L(c, "install_cost"), ic, 0);
        figure(c, "pv-benefit", L(c, "pv_benefit"), ben, 0);
        figure(c, "npv", L(c, "npv"), npv, 0);
        figure(c, "crashes-avoided", L(c, "crashes_avoided"), av, 1);
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r->summary, "plan");
        const cJSON *bud = p ? cJSON_GetObjectItemCaseSensitive(p, "budget") : NULL;
        if (cJSON_IsNumber(bud))
            figure(c, "budget", L(c, "budget"), bud->valuedouble, 0);
    }
    sb_puts(c->b, "</div>\n");
    price_basis(c);
    sb_puts(c->b, "<div class=\"two\">\n<div>\n");
    const char *names[NSEV];
    for (int k = 0; k < NSEV; k++)
        names[k] = code_name(c, "severity", sev_codes[k], NULL);
    sb_printf(c->b, "<h3>%s</h3>\n", L(c, "by_severity"));
    count_table(c, "by-severity", L(c, "severity_mix"), names, sev, NSEV);
    sb_printf(c->b, "</div>\n<div>\n<h3>%s</h3>\n", L(c, "by_year"));
    char (*yname)[16] = rb_mallocarray(ny ? ny : 1, sizeof *yname);
    const char **yn = rb_mallocarray(ny ? ny : 1, sizeof *yn);
    if (yname && yn) {
        for (size_t k = 0; k < ny; k++) {
            snprintf(yname[k], sizeof yname[k], "%d", y0 + (int)k);
            yn[k] = yname[k];
        }
        count_table(c, "by-year", L(c, "year"), yn, by_year, ny);
    } else {
        c->b->nomem = 1;
    }
    rb_free(yname);
    rb_free(yn);
    rb_free(by_year);
    char t0[64], t1[64];
    fmt_num(c, (double)counted, 0, t0, sizeof t0);
    fmt_num(c, (double)n, 0, t1, sizeof t1);
    sb_puts(c->b, "</div>\n</div>\n<p class=\"meta\" id=\"counted\">");
    sb_esc(c->b, L(c, "tables_count"));
    sb_printf(c->b, ": %s / %s</p>\n</section>\n", t0, t1);
}

/* ---- the map ------------------------------------------------------------------------------ */

struct view {
    double x0, y1, s;       /* pixel = (x - x0) * s, (y1 - y) * s */
    double w, h;
};

static int view_of(const struct rb_shapes *s, struct view *v)
{
    double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
    for (size_t k = 0; k < s->npts; k++) {
        double x = s->xy[2 * k], y = s->xy[2 * k + 1];
        if (!(x == x) || !(y == y))
            continue;
        b[0] = fmin(b[0], x);
        b[1] = fmin(b[1], y);
        b[2] = fmax(b[2], x);
        b[3] = fmax(b[3], y);
    }
    if (!(b[2] >= b[0]))
        return 0;
    double dx = fmax(b[2] - b[0], 1e-9), dy = fmax(b[3] - b[1], 1e-9), pad = 10;
    /* geographic: shrink x by cos(latitude) so the map is not stretched */
    v->s = fmin(940 / dx, 700 / dy);
    v->x0 = b[0];
    v->y1 = b[3];
    v->w = dx * v->s + 2 * pad;
    v->h = dy * v->s + 2 * pad;
    v->x0 -= pad / v->s;
    v->y1 += pad / v->s;
    return 1;
}

/* a pixel coordinate to a tenth, as "%.1f" would write it but without
 * printf's exact decimal conversion, which a national network's map would
 * spend most of its time in */
static void put_tenths(struct sb *b, double v)
{
    char buf[32], *e = buf + sizeof buf, *p = e;
    long t = lround(v * 10);
    unsigned long u = t < 0 ? (unsigned long)-t : (unsigned long)t;
    *--p = (char)('0' + u % 10);
    *--p = '.';
    u /= 10;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (t < 0)
        *--p = '-';
    sb_add(b, p, (size_t)(e - p));
}

/* the parts of feature i as an SVG path, points closer than half a pixel dropped */
static void path_of(struct sb *b, const struct rb_shapes *s, size_t i, const struct view *v, double gx)
{
    for (size_t p = s->part0[i]; p < s->part0[i + 1]; p++) {
        double lx = NAN, ly = NAN;
        size_t a = s->pt0[p], e = s->pt0[p + 1], kept = 0;
        for (size_t k = a; k < e; k++) {
            double x = (s->xy[2 * k] - v->x0) * v->s * gx, y = (v->y1 - s->xy[2 * k + 1]) * v->s;
            if (kept && k + 1 < e && fabs(x - lx) < 0.5 && fabs(y - ly) < 0.5)
                continue;
            sb_add(b, kept ? "L" : "M", 1);
            put_tenths(b, x);
            sb_add(b, " ", 1);
            put_tenths(b, y);
            lx = x;
            ly = y;
            kept++;
        }
    }
}

static void map_sites(struct ctx *c, const struct view *v, double gx);

/* a rank's class on the map: 0 the best 1 % of ranked (at least the first), 1 the best
 * 5 %, 2 the best 20 %, 3 the rest and the unranked */
static int rank_class(double rk, size_t ranked)
{
    return !(rk == rk) ? 3 : rk <= fmax(1, 0.01 * (double)ranked) ? 0 : rk <= 0.05 * (double)ranked ? 1
         : rk <= 0.2 * (double)ranked ? 2 : 3;
}

/* A scale bar at the bottom left: a round length (1, 2 or 5 times a power of
 * ten metres) near a fifth of the map's width. Geographic: a degree of
 * latitude taken as 111,320 m, and x already shrunk by the cosine of the
 * latitude (gx), so that a pixel is as many metres across as up. */
static void map_scale(struct ctx *c, const struct view *v, int geographic)
{
    double px_per_m = geographic ? v->s / 111320.0 : v->s;
    if (!(px_per_m > 0))
        return;
    double want_m = 0.2 * v->w / px_per_m, m = pow(10, floor(log10(want_m)));
    m = want_m >= 5 * m ? 5 * m : want_m >= 2 * m ? 2 * m : m;
    double len = m * px_per_m, x = 12, y = v->h - 10;
    char t[64];
    if (m >= 1000)
        fmt_num(c, m / 1000, 0, t, sizeof t);
    else
        fmt_num(c, m, 0, t, sizeof t);
    sb_printf(c->b, "<g class=\"scale\" data-m=\"%.0f\" data-px=\"%.2f\"><path d=\"M%.1f %.1fv-5h%.2fv5\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\">%s %s</text></g>",
              m, len, x, y, len, x + len + 4, y, t, m >= 1000 ? L(c, "km") : "m");
}

/* ---- the network as a picture ---------------------------------------------- */

/* Above src->map_points points (segment vertices and intersections) the map
 * draws the network's lower classes (segments and intersections outside the
 * best 5 %) as one paletted PNG at twice its resolution, under the vector
 * layers (the best 5 %, hotspots, work orders, sites): a national network's
 * millions of vertices are more than the map has pixels. */
#define PIC_SCALE 2
enum { PIC_NONE, PIC_C4, PIC_C3, PIC_IX3, PIC_NCOL };
static const uint8_t pic_rgba[PIC_NCOL][4] = { { 0, 0, 0, 0 }, { 0xbd, 0xbd, 0xbd, 255 }, { 0xfb, 0xc0, 0x2d, 255 },
                                               { 0xf9, 0xa8, 0x25, 255 } };
struct pic {
    uint8_t *px;
    int w, h;
};

/* a disc of radius r (picture pixels) at (x, y) */
static void pic_dot(struct pic *p, double x, double y, double r, uint8_t colour)
{
    if (!(x > -r && y > -r && x < p->w + r && y < p->h + r))   /* off the picture, or not a number */
        return;
    int x0 = (int)floor(x - r), x1 = (int)ceil(x + r), y0 = (int)floor(y - r), y1 = (int)ceil(y + r);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > p->w - 1) x1 = p->w - 1;
    if (y1 > p->h - 1) y1 = p->h - 1;
    for (int yy = y0; yy <= y1; yy++)
        for (int xx = x0; xx <= x1; xx++) {
            double dx = xx + 0.5 - x, dy = yy + 0.5 - y;
            if (dx * dx + dy * dy <= r * r)
                p->px[(size_t)yy * (size_t)p->w + (size_t)xx] = colour;
        }
}

/* point k of a layer in picture pixels (the map's pixels times PIC_SCALE) */
static void pic_xy(const struct rb_shapes *s, size_t k, const struct view *v, double gx, double *x, double *y)
{
    *x = (s->xy[2 * k] - v->x0) * v->s * gx * PIC_SCALE;
    *y = (v->y1 - s->xy[2 * k + 1]) * v->s * PIC_SCALE;
}

/* feature i's lines, r picture pixels either side */
static void pic_lines(struct pic *p, const struct rb_shapes *s, size_t i, const struct view *v, double gx, double r,
                      uint8_t colour)
{
    for (size_t q = s->part0[i]; q < s->part0[i + 1]; q++)
        for (size_t k = s->pt0[q]; k < s->pt0[q + 1]; k++) {
            double ax, ay, bx, by;
            pic_xy(s, k, v, gx, &bx, &by);
            if (k == s->pt0[q]) {
                pic_dot(p, bx, by, r, colour);
                continue;
            }
            pic_xy(s, k - 1, v, gx, &ax, &ay);
            int n = (int)ceil(hypot(bx - ax, by - ay) / 0.5);
            for (int j = 1; j <= n; j++)
                pic_dot(p, ax + (bx - ax) * j / n, ay + (by - ay) * j / n, r, colour);
        }
}

static void put_base64(struct sb *b, const unsigned char *d, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
        q[0] = a[v >> 18 & 63];
        q[1] = a[v >> 12 & 63];
        q[2] = i + 1 < n ? a[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? a[v & 63] : '=';
        sb_add(b, q, 4);
    }
}

/* The picture of the segments of rank class 2 and 3 (cls[i]) and of the
 * intersections of class 2 (icls[i]), as an SVG image; 0 when it cannot be
 * made (the map then draws them as vectors). */
static int map_picture(struct ctx *c, const struct view *v, double gx, const uint8_t *cls, const uint8_t *icls)
{
    const struct rb_shapes *sg = c->src->segments, *ix = c->src->intersections;
    if (!(v->w > 0 && v->h > 0 && v->w * PIC_SCALE < 20000 && v->h * PIC_SCALE < 20000))
        return 0;
    struct pic p = { NULL, (int)ceil(v->w * PIC_SCALE), (int)ceil(v->h * PIC_SCALE) };
    if (p.w < 1 || p.h < 1 || !(p.px = rb_calloc((size_t)p.w * (size_t)p.h, 1)))
        return 0;
    /* lowest first, as the vector map draws them: the rest, the best 20 %, then intersections */
    for (size_t i = 0; i < rows(sg); i++)
        if (cls[i] == 3)
            pic_lines(&p, sg, i, v, gx, 0.5 * PIC_SCALE, PIC_C4);
    for (size_t i = 0; i < rows(sg); i++)
        if (cls[i] == 2)
            pic_lines(&p, sg, i, v, gx, 0.8 * PIC_SCALE, PIC_C3);
    /* intersections in the best 20 % as dots a map pixel across (the rest: the roads through them) */
    for (size_t i = 0; i < rows(ix); i++) {
        if (icls[i] != 2 || ix->part0[i + 1] == ix->part0[i])
            continue;
        double x, y;
        pic_xy(ix, ix->pt0[ix->part0[i]], v, gx, &x, &y);
        pic_dot(&p, x, y, PIC_SCALE, PIC_IX3);
    }
    unsigned char *png = NULL;
    size_t n = 0;
    struct rb_err err = { 0 };
    int ok = rb_io_png(p.px, p.w, p.h, pic_rgba, PIC_NCOL, &png, &n, &err) == RB_OK;
    rb_free(p.px);
    if (ok) {
        sb_printf(c->b, "<image class=\"net\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" "
                        "preserveAspectRatio=\"none\" href=\"data:image/png;base64,", v->w, v->h);
        put_base64(c->b, png, n);
        sb_puts(c->b, "\"/>\n");
    }
    rb_free(png);
    return ok;
}

static void map(struct ctx *c)
{
    const struct rb_report_src *r = c->src;
    const struct rb_shapes *sg = r->segments, *ix = r->intersections;
    struct view v;
    /* the segments' extent; intersections screened alone, theirs */
    if (!(rows(sg) ? view_of(sg, &v) : rows(ix) && view_of(ix, &v)))
        return;
    /* lon/lat: a degree of longitude is cos(latitude) of a degree of latitude */
    double gx = 1;
    if (sg->geographic) {
        gx = cos((v.y1 - v.h / v.s / 2) * 3.14159265358979323846 / 180);
        v.w = (v.w - 20) * gx + 20;
    }
    int by_excess = r->map_by && !strcmp(r->map_by, "excess");
    long c_rank = col(sg, "rank"), c_ex = col(sg, "excess_per_yr");
    if (by_excess && c_ex < 0)
        by_excess = 0;
    size_t n = rows(sg), ranked = 0;
    double exmax = 0;
    for (size_t i = 0; i < n; i++) {
        ranked += num(sg, c_rank, i) == num(sg, c_rank, i);
        double e = num(sg, c_ex, i);
        if (e == e && e > exmax)
            exmax = e;
    }
    sb_printf(c->b, "<section id=\"map\"><h2>%s</h2><p class=\"note\">%s</p>\n", L(c, "map"),
              L(c, by_excess ? "map_by_excess" : "map_by_rank"));
    sb_printf(c->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                    "height=\"%.0f\" role=\"img\">\n", v.w, v.h, v.w, v.h);
    /* each segment's and intersection's class: 0 the worst ... 3 the rest */
    long i_rank = col(ix, "rank");
    size_t iranked = 0, nix = rows(ix);
    for (size_t i = 0; i < nix; i++)
        iranked += num(ix, i_rank, i) == num(ix, i_rank, i);
    uint8_t *q = rb_malloc((n ? n : 1) + (nix ? nix : 1));
    if (!q) {
        sb_puts(c->b, "</svg></section>\n");
        return;
    }
    uint8_t *iq = q + (n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        if (by_excess) {
            double e = num(sg, c_ex, i);
            q[i] = !(e > 0) ? 3 : e > 0.5 * exmax ? 0 : e > 0.2 * exmax ? 1 : 2;
        } else {
            q[i] = (uint8_t)rank_class(num(sg, c_rank, i), ranked);
        }
    }
    for (size_t i = 0; i < nix; i++)
        iq[i] = (uint8_t)rank_class(num(ix, i_rank, i), iranked);
    size_t limit = r->map_points ? r->map_points : 200000;
    int picture = (rows(sg) ? sg->npts : 0) + nix > limit && map_picture(c, &v, gx, q, iq);
    /* classes drawn lowest first, so the worst lie on top */
    static const char *const cls[] = { "c4", "c3", "c2", "c1" };
    for (int k = picture ? 2 : 0; k < 4; k++) {
        sb_printf(c->b, "<path class=\"%s\" d=\"", cls[k]);
        for (size_t i = 0; i < n; i++)
            if (3 - q[i] == k)
                path_of(c->b, sg, i, &v, gx);
        sb_puts(c->b, "\"/>\n");
    }
    const struct rb_shapes *hot = r->hotspots, *wl = r->work_lines, *wp = r->work_points;
    if (rows(hot)) {
        sb_puts(c->b, "<path class=\"hot\" d=\"");
        for (size_t i = 0; i < rows(hot); i++)
            path_of(c->b, hot, i, &v, gx);
        sb_puts(c->b, "\"/>\n");
    }
    if (rows(wl)) {
        sb_puts(c->b, "<path class=\"wl\" d=\"");
        for (size_t i = 0; i < rows(wl); i++)
            path_of(c->b, wl, i, &v, gx);
        sb_puts(c->b, "\"/>\n");
    }
    /* ranked intersections: the same four classes as segments, the worst drawn last */
    for (int k = picture ? 1 : 3; k >= 0; k--)
        for (size_t i = 0; i < nix; i++) {
            if (iq[i] != k || ix->part0[i + 1] == ix->part0[i])
                continue;
            size_t p = ix->pt0[ix->part0[i]];
            sb_printf(c->b, "<circle class=\"ix k%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>", k + 1,
                      (ix->xy[2 * p] - v.x0) * v.s * gx, (v.y1 - ix->xy[2 * p + 1]) * v.s, k < 3 ? "4.5" : "2.5");
        }
    rb_free(q);
    for (size_t i = 0; i < rows(wp) && i < 5000; i++)
        for (size_t p = wp->part0[i]; p < wp->part0[i + 1]; p++) {
            size_t k = wp->pt0[p];
            sb_printf(c->b, "<circle class=\"wp\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>",
                      (wp->xy[2 * k] - v.x0) * v.s * gx, (v.y1 - wp->xy[2 * k + 1]) * v.s);
        }
    map_sites(c, &v, gx);
    map_scale(c, &v, rows(sg) ? sg->geographic : ix->geographic);
    sb_puts(c->b, "\n</svg>\n<div class=\"legend\">");
    static const char *const leg[] = { "top_1", "top_5", "top_20", "other" };
    for (int k = 0; k < 4; k++)
        sb_printf(c->b, "<span><i class=\"k%d\"></i>%s</span>", k + 1, by_excess && k < 3 ? "" : L(c, leg[k]));
    if (rows(ix))
        sb_printf(c->b, "<span><i class=\"kix\"></i>%s</span>", L(c, "intersection_sym"));
    sb_printf(c->b, "<span><i class=\"khot\"></i>%s</span><span><i class=\"kwl\"></i>%s</span>"
                    "<span><i class=\"kwp\"></i>%s</span></div>\n</section>\n",
              L(c, "hotspot"), L(c, "work_line"), L(c, "work_point"));
}

/* ---- the ranked list ------------------------------------------------------------------------ */

static int by_rank_cmp(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* rows of s by their rank (unranked last), ties in input order; malloc'd */
static size_t *rank_order(const struct rb_shapes *s)
{
    size_t n = rows(s);
    double *k = rb_mallocarray(rb_size_mul(n ? n : 1, 2), sizeof *k);
    size_t *o = rb_mallocarray(n ? n : 1, sizeof *o);
    if (!k || !o) {
        rb_free(k);
        rb_free(o);
        return NULL;
    }
    long c = col(s, "rank");
    for (size_t i = 0; i < n; i++) {
        double r = num(s, c, i);
        k[2 * i] = r == r ? r : INFINITY;
        k[2 * i + 1] = (double)i;
    }
    qsort(k, n, 2 * sizeof *k, by_rank_cmp);
    for (size_t i = 0; i < n; i++)
        o[i] = (size_t)k[2 * i + 1];
    rb_free(k);
    return o;
}

/* a table's opening and its heading row: spec is label keys separated by
 * commas, each ":n" when its column holds numbers */
static void table_head(struct ctx *c, const char *open, const char *spec)
{
    sb_puts(c->b, open);
    sb_puts(c->b, "<thead><tr>");
    for (const char *p = spec; *p;) {
        size_t n = strcspn(p, ",");
        char key[48];
        snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), p);
        char *num_col = strstr(key, ":n");
        if (num_col)
            *num_col = 0;
        sb_printf(c->b, "<th data-t=\"%s\">", num_col ? "n" : "s");
        sb_esc(c->b, L(c, key));
        sb_puts(c->b, "</th>");
        p += n + (p[n] == ',');
    }
    sb_puts(c->b, "</tr></thead><tbody>\n");
}

/* a cell: numbers carry their raw value for sorting */
static void td_num(struct ctx *c, double v, int decimals)
{
    char t[64];
    fmt_num(c, v, decimals, t, sizeof t);
    if (v == v)
        sb_printf(c->b, "<td class=\"n\" data-v=\"%.6g\">%s</td>", v, t);
    else
        sb_printf(c->b, "<td class=\"n\" data-v=\"\">%s</td>", t);
}

static void td_txt(struct ctx *c, const char *s)
{
    sb_puts(c->b, "<td>");
    sb_esc(c->b, s);
    sb_puts(c->b, "</td>");
}

/* rows by a key: a site number (then row), or a route (then from_m) */
struct keyed {
    long id;
    const char *route;
    double from_m;
    size_t row;
};

static int by_id(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static int by_route(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int r = strcmp(x->route, y->route);
    if (r)
        return r;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* The ranked list: one row per place, hotspots that overlap on a route
 * together, with the rules that flagged it and each rule's rank; its crashes
 * are those counted in the study (in_study) on the whole stretch. */
struct place {
    const char *route;
    double from_m, to_m, best;
    size_t first, n;        /* its hotspots: hs[first .. first + n) */
};

static int place_rank_cmp(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    if (x->best != y->best)
        return x->best < y->best ? -1 : 1;
    int r = strcmp(x->route, y->route);
    return r ? r : (x->from_m > y->from_m) - (x->from_m < y->from_m);
}

/* crashes counted in the study on route between from_m and to_m: cr sorted by route, chainage */
static size_t count_on(const struct keyed *cr, size_t ncr, const char *route, double from_m, double to_m)
{
    size_t lo = 0, hi = ncr;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(cr[mid].route, route);
        if (r < 0 || (r == 0 && cr[mid].from_m < from_m))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t q = lo; q < ncr && !strcmp(cr[q].route, route) && cr[q].from_m <= to_m; q++)
        n++;
    return n;
}

/* each rule that flagged a place once, with its ranks there ("sliding window 2, 4"),
 * the rule with the best rank first (ties: by name); m: the place's hotspots */
static void rules_cell(struct ctx *c, const struct rb_shapes *h, long c_rule, long c_rank, const struct keyed *m,
                       size_t n)
{
    enum { MAXH = 256 };
    char rule[MAXH][64];
    double rank[MAXH];
    uint8_t done[MAXH] = { 0 };
    n = n < MAXH ? n : MAXH;
    for (size_t k = 0; k < n; k++) {
        char b[64];
        snprintf(rule[k], sizeof rule[k], "%s", txt(h, c_rule, m[k].row, b, sizeof b));
        double r = num(h, c_rank, m[k].row);
        rank[k] = r == r ? r : INFINITY;
    }
    for (int written = 0;; written++) {
        size_t pick = n;                 /* the rule not yet written with the best rank */
        for (size_t k = 0; k < n; k++)
            if (!done[k] && (pick == n || rank[k] < rank[pick] ||
                             (rank[k] == rank[pick] && strcmp(rule[k], rule[pick]) < 0)))
                pick = k;
        if (pick == n)
            return;
        if (written)
            sb_puts(c->b, " · ");
        sb_esc(c->b, code_name(c, "rule", rule[pick], NULL));
        for (int sep = 0;;) {            /* its ranks, lowest first */
            size_t q = n;
            for (size_t k = 0; k < n; k++)
                if (!done[k] && !strcmp(rule[k], rule[pick]) && (q == n || rank[k] < rank[q]))
                    q = k;
            if (q == n)
                break;
            done[q] = 1;
            if (rank[q] < INFINITY)
                sb_printf(c->b, "%s%.0f", sep++ ? ", " : " ", rank[q]);
        }
    }
}

static void ranked_list(struct ctx *c)
{
    const struct rb_shapes *h = c->src->hotspots, *cr = c->src->crashes;
    size_t nh = rows(h), ncr = 0, np = 0;
    if (!nh)
        return;
    long c_rank = col(h, "rank"), c_rule = col(h, "rule"), c_route = col(h, "route_id"), c_from = col(h, "from_m");
    long c_to = col(h, "to_m");
    struct keyed *hs = rb_mallocarray(nh, sizeof *hs), *cs = rb_mallocarray(rows(cr) ? rows(cr) : 1, sizeof *cs);
    struct place *pl = rb_mallocarray(nh, sizeof *pl);
    if (!hs || !cs || !pl) {
        rb_free(hs);
        rb_free(cs);
        rb_free(pl);
        c->b->nomem = 1;
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < nh; i++) {
        const char *r = c_route >= 0 ? rb_table_str(&h->attrs, (size_t)c_route, i) : NULL;
        if (r)
            hs[m++] = (struct keyed){ 0, r, num(h, c_from, i), i };
    }
    qsort(hs, m, sizeof *hs, by_route);
    for (size_t i = 0; i < rows(cr); i++) {
        const char *r = c->cr_route >= 0 ? rb_table_str(&cr->attrs, (size_t)c->cr_route, i) : NULL;
        double ch = num(cr, c->cr_ch, i);
        if (r && ch == ch && (c->cr_in < 0 || num(cr, c->cr_in, i) == 1))
            cs[ncr++] = (struct keyed){ 0, r, ch, i };
    }
    qsort(cs, ncr, sizeof *cs, by_route);
    for (size_t q = 0; q < m; q++) {
        double f = hs[q].from_m, t = num(h, c_to, hs[q].row), rk = num(h, c_rank, hs[q].row);
        struct place *last = np ? &pl[np - 1] : NULL;
        if (last && !strcmp(last->route, hs[q].route) && f < last->to_m) {
            last->to_m = fmax(last->to_m, t);
            last->best = rk == rk ? fmin(last->best, rk) : last->best;
            last->n++;
            continue;
        }
        pl[np++] = (struct place){ hs[q].route, f, t, rk == rk ? rk : INFINITY, q, 1 };
    }
    qsort(pl, np, sizeof *pl, place_rank_cmp);
    sb_printf(c->b, "<section id=\"ranked\"><h2>%s</h2><p class=\"note\">%s %s</p>\n", L(c, "ranked_list"),
              L(c, "ranked_note"), L(c, "sort_hint"));
    table_head(c, "<table class=\"sortable\" id=\"ranked-table\">", "rank:n,route,from:n,to:n,length_m:n,n_obs:n,rules");
    for (size_t j = 0; j < np; j++) {
        const struct place *p = &pl[j];
        char km[64];
        sb_printf(c->b, "<tr data-route=\"");
        sb_esc(c->b, p->route);
        sb_printf(c->b, "\" data-from=\"%.3f\" data-to=\"%.3f\">", p->from_m, p->to_m);
        td_num(c, p->best < INFINITY ? p->best : NAN, 0);
        td_txt(c, p->route);
        fmt_km(c, p->from_m, km, sizeof km);
        sb_printf(c->b, "<td class=\"n\" data-v=\"%.3f\">%s</td>", p->from_m, km);
        fmt_km(c, p->to_m, km, sizeof km);
        sb_printf(c->b, "<td class=\"n\" data-v=\"%.3f\">%s</td>", p->to_m, km);
        td_num(c, p->to_m - p->from_m, 0);
        td_num(c, (double)count_on(cs, ncr, p->route, p->from_m, p->to_m), 0);
        sb_puts(c->b, "<td>");
        rules_cell(c, h, c_rule, c_rank, hs + p->first, p->n);
        sb_puts(c->b, "</td></tr>\n");
    }
    sb_puts(c->b, "</tbody></table>\n</section>\n");
    rb_free(hs);
    rb_free(cs);
    rb_free(pl);
}

/* The ranked intersections (rank <= 50 here; all of them in the layer), sortable. */
static void ranked_intersections(struct ctx *c)
{
    const struct rb_shapes *x = c->src->intersections;
    size_t *o = rows(x) ? rank_order(x) : NULL;
    if (!o) {
        c->b->nomem |= rows(x) > 0;
        return;
    }
    long c_rank = col(x, "rank"), c_id = col(x, "intersection_id"), c_legs = col(x, "n_legs");
    long c_ent = col(x, "entering_aadt"), c_n = col(x, "n_obs"), c_k = col(x, "n_k"), c_a = col(x, "n_a");
    long c_f = col(x, "freq_per_yr"), c_e = col(x, "epdo"), c_ex = col(x, "mom_excess_per_yr");
    sb_printf(c->b, "<section id=\"ranked-intersections\"><h2>%s</h2><p class=\"note\">%s</p>\n",
              L(c, "ranked_intersections"), L(c, "ranked_intersections_note"));
    table_head(c, "<table class=\"sortable\" id=\"intersections-table\">",
               "rank:n,intersection,legs:n,entering_aadt:n,n_obs:n,ka:n,per_yr:n,epdo:n,excess_mom:n");
    for (size_t j = 0; j < rows(x); j++) {
        size_t i = o[j];
        double rk = num(x, c_rank, i);
        if (!(rk == rk) || rk > 50)
            break;
        char b[128];
        sb_puts(c->b, "<tr>");
        td_num(c, rk, 0);
        td_txt(c, txt(x, c_id, i, b, sizeof b));
        td_num(c, num(x, c_legs, i), 0);
        td_num(c, num(x, c_ent, i), 0);
        td_num(c, num(x, c_n, i), 0);
        td_num(c, num(x, c_k, i) + num(x, c_a, i), 0);
        td_num(c, num(x, c_f, i), 2);
        td_num(c, num(x, c_e, i), 1);
        td_num(c, num(x, c_ex, i), 2);
        sb_puts(c->b, "</tr>\n");
    }
    sb_puts(c->b, "</tbody></table>\n</section>\n");
    rb_free(o);
}

/* ---- site cards --------------------------------------------------------------------------------- */

struct site {
    long id;                /* the plan's site number; without one, -1 (a hotspot, no plan) or, with a
                               plan, -2: hotspots no alternative of the plan covers (nothing fits) */
    char population[128];   /* its reference population (screen.population_by), "" the network */
    char route[128];
    char junction[64];      /* an intersection site's id, "" for a stretch */
    double from_m, to_m;
    double best_rank;       /* the best rank of a hotspot on it */
};

static int site_cmp(const void *a, const void *b)
{
    const struct site *x = a, *y = b;
    if (x->best_rank != y->best_rank)
        return x->best_rank < y->best_rank ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* the sites: the plan's (each site number once), else the hotspots; best first */
static struct site *sites_of(struct ctx *c, size_t *nout)
{
    const struct rb_shapes *pl = c->src->plan, *h = c->src->hotspots;
    const struct rb_shapes *s = rows(pl) ? pl : h;
    size_t n = rows(s), nh = rows(h), k = 0;
    struct site *out = rb_calloc(n + nh ? n + nh : 1, sizeof *out);
    struct keyed *ids = rb_mallocarray(n ? n : 1, sizeof *ids), *hs = rb_mallocarray(nh ? nh : 1, sizeof *hs);
    if (!out || !ids || !hs) {
        rb_free(out);
        rb_free(ids);
        rb_free(hs);
        return NULL;
    }
    long c_site = col(s, "site"), c_route = col(s, "route_id"), c_from = col(s, "from_m"), c_to = col(s, "to_m");
    long c_j = col(s, "intersection_id"), c_pop = col(s, "population");
    /* each site once, from its first row */
    for (size_t i = 0; i < n; i++)
        ids[i] = (struct keyed){ s == pl ? (long)num(s, c_site, i) : (long)i, NULL, 0, i };
    qsort(ids, n, sizeof *ids, by_id);
    for (size_t q = 0; q < n; q++) {
        if (q && ids[q].id == ids[q - 1].id)
            continue;
        size_t i = ids[q].row;
        struct site *t = &out[k++];
        t->id = ids[q].id;
        snprintf(t->route, sizeof t->route, "%s", txt(s, c_route, i, t->route, sizeof t->route));
        snprintf(t->junction, sizeof t->junction, "%s", txt(s, c_j, i, t->junction, sizeof t->junction));
        snprintf(t->population, sizeof t->population, "%s", txt(s, c_pop, i, t->population, sizeof t->population));
        t->from_m = num(s, c_from, i);
        t->to_m = num(s, c_to, i);
        t->best_rank = INFINITY;
    }
    /* the best rank of a hotspot overlapping each site: the hotspots by route */
    long h_route = col(h, "route_id"), h_from = col(h, "from_m"), h_to = col(h, "to_m"), h_rank = col(h, "rank");
    size_t m = 0;
    for (size_t i = 0; i < nh; i++) {
        const char *r = h_route >= 0 ? rb_table_str(&h->attrs, (size_t)h_route, i) : NULL;
        if (r)
            hs[m++] = (struct keyed){ 0, r, num(h, h_from, i), i };
    }
    qsort(hs, m, sizeof *hs, by_route);
    for (size_t j = 0; j < k; j++) {
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(hs[mid].route, out[j].route) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t q = lo; q < m && !strcmp(hs[q].route, out[j].route) && hs[q].from_m < out[j].to_m; q++) {
            double r = num(h, h_rank, hs[q].row);
            if (r == r && r < out[j].best_rank && num(h, h_to, hs[q].row) > out[j].from_m)
                out[j].best_rank = r;
        }
    }
    /* with a plan: hotspots that no site with an alternative covers get a card too
     * (overlapping ones on a route together), so that every flagged site is shown */
    if (s == pl) {
        size_t nplan = k;
        for (size_t q = 0; q < m; q++) {
            double f = hs[q].from_m, t = num(h, h_to, hs[q].row), r = num(h, h_rank, hs[q].row);
            int covered = 0;
            for (size_t j = 0; j < nplan && !covered; j++)
                covered = !strcmp(out[j].route, hs[q].route) && out[j].from_m < t && out[j].to_m > f;
            if (covered)
                continue;
            struct site *last = k > nplan ? &out[k - 1] : NULL;
            if (last && !strcmp(last->route, hs[q].route) && f < last->to_m) {
                last->to_m = fmax(last->to_m, t);
                last->best_rank = r == r ? fmin(last->best_rank, r) : last->best_rank;
                continue;
            }
            struct site *e = &out[k++];
            *e = (struct site){ .id = -2, .from_m = f, .to_m = t, .best_rank = r == r ? r : INFINITY };
            snprintf(e->route, sizeof e->route, "%s", hs[q].route);
        }
    }
    rb_free(ids);
    rb_free(hs);
    qsort(out, k, sizeof *out, site_cmp);
    *nout = k;
    return out;
}

/* the sites that get a card (--top of them, best first), into c->cards */
static void card_sites(struct ctx *c)
{
    size_t ns = 0, top = c->src->top ? c->src->top : 10;
    if (!(c->cards = sites_of(c, &ns)))
        c->b->nomem = 1;
    c->ncards = ns < top ? ns : top;
}

/* The numbers of the sites that get a card, on the map at the middle of each
 * one's stretch (the geometry of its first row in the plan) */
static void map_sites(struct ctx *c, const struct view *v, double gx)
{
    const struct rb_shapes *pl = c->src->plan;
    const struct site *s = c->cards;
    if (!s || !rows(pl))
        return;
    long c_site = col(pl, "site");
    for (size_t j = 0; j < c->ncards; j++)
        for (size_t i = 0; s[j].id >= 0 && i < rows(pl); i++) {
            if ((long)num(pl, c_site, i) != s[j].id || pl->part0[i + 1] == pl->part0[i])
                continue;
            size_t p = pl->part0[i], k = pl->pt0[p] + (pl->pt0[p + 1] - pl->pt0[p]) / 2;
            sb_printf(c->b, "<text class=\"site\" x=\"%.1f\" y=\"%.1f\">%ld</text>",
                      (pl->xy[2 * k] - v->x0) * v->s * gx, (v->y1 - pl->xy[2 * k + 1]) * v->s - 6, s[j].id);
            break;
        }
}

/* is crash i one of the site's? */
static int on_site(const struct ctx *c, const struct site *s, size_t i)
{
    const struct rb_shapes *cr = c->src->crashes;
    char b[128];
    if (c->cr_in >= 0 && num(cr, c->cr_in, i) != 1)
        return 0;
    if (s->junction[0])
        return !strcmp(txt(cr, c->cr_junc, i, b, sizeof b), s->junction);
    double ch = num(cr, c->cr_ch, i);
    return ch >= s->from_m && ch <= s->to_m && !strcmp(txt(cr, c->cr_route, i, b, sizeof b), s->route);
}

/* the study's length in years: the summary's period, else the segments' n_years */
static double study_years(const struct ctx *c)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(c->src->summary, "study_period");
    const cJSON *y = p ? cJSON_GetObjectItemCaseSensitive(p, "n_years") : NULL;
    if (cJSON_IsNumber(y) && y->valuedouble > 0)
        return y->valuedouble;
    const struct rb_shapes *sg = c->src->segments;
    double v = rows(sg) ? num(sg, col(sg, "n_years"), 0) : NAN;
    return v > 0 ? v : 1;
}

/* The crash profile along the site and around it: crashes per km a year in
 * 300 m moving windows every 50 m, against the SPF's prediction per km a year
 * of the segments there. */
static void profile(struct ctx *c, const struct site *s)
{
    const struct rb_shapes *cr = c->src->crashes, *sg = c->src->segments;
    double pad = fmax(500, (s->to_m - s->from_m) / 2), a = fmax(0, s->from_m - pad), e = s->to_m + pad;
    long g_route = col(sg, "route_id"), g_from = col(sg, "from_m"), g_to = col(sg, "to_m");
    long g_pred = col(sg, "pred_per_yr"), g_len = col(sg, "length_m");
    /* the route's segments, found once */
    size_t nrs = 0, *rs = rb_mallocarray(rows(sg) ? rows(sg) : 1, sizeof *rs);
    if (!rs) {
        c->b->nomem = 1;
        return;
    }
    double route_end = 0;
    for (size_t i = 0; i < rows(sg); i++) {
        const char *r = g_route >= 0 ? rb_table_str(&sg->attrs, (size_t)g_route, i) : NULL;
        if (r && !strcmp(r, s->route)) {
            rs[nrs++] = i;
            route_end = fmax(route_end, num(sg, g_to, i));
        }
    }
    if (route_end > 0)
        e = fmin(e, route_end);
    if (!(e > a)) {
        rb_free(rs);
        return;
    }
    const double step = 50, win = 300;
    size_t nb = (size_t)ceil((e - a) / step) + 1;
    double *obs = nb <= 4000 ? rb_calloc(nb, sizeof *obs) : NULL, *pred = nb <= 4000 ? rb_mallocarray(nb, sizeof *pred) : NULL;
    if (!obs || !pred) {
        rb_free(obs);
        rb_free(pred);
        rb_free(rs);
        c->b->nomem = nb <= 4000;
        return;
    }
    double years = study_years(c);
    long c_route = c->cr_route, c_ch = c->cr_ch, c_in = c->cr_in;
    for (size_t i = 0; i < rows(cr); i++) {
        char b[128];
        double ch = num(cr, c_ch, i);
        if (!(ch == ch) || ch < a - win || ch > e + win || (c_in >= 0 && num(cr, c_in, i) != 1) ||
            strcmp(txt(cr, c_route, i, b, sizeof b), s->route))
            continue;
        for (size_t k = 0; k < nb; k++) {
            double mid = fmin(a + step * (double)k, e);
            if (fabs(ch - mid) <= win / 2)
                obs[k] += 1;
        }
    }
    double ymax = 0;
    int any_pred = 0;
    for (size_t k = 0; k < nb; k++) {
        double mid = fmin(a + step * (double)k, e);
        double lo = fmax(0, mid - win / 2), hi = route_end > 0 ? fmin(route_end, mid + win / 2) : mid + win / 2;
        obs[k] = obs[k] / fmax((hi - lo) / 1000, 1e-9) / years;
        pred[k] = NAN;
        for (size_t q = 0; q < nrs && g_pred >= 0; q++) {
            size_t i = rs[q];
            if (num(sg, g_from, i) <= mid && num(sg, g_to, i) >= mid) {
                double p = num(sg, g_pred, i), l = num(sg, g_len, i);
                if (p == p && l > 0) {
                    pred[k] = p / (l / 1000);
                    any_pred = 1;
                }
                break;
            }
        }
        ymax = fmax(ymax, fmax(obs[k], pred[k] == pred[k] ? pred[k] : 0));
    }
    if (ymax <= 0)
        ymax = 1;
    const double W = 560, H = 160, L0 = 40, B0 = 20;
    double sx = (W - L0 - 10) / (e - a), sy = (H - B0 - 10) / ymax;
    char t0[64], t1[64], ym[64];
    fmt_km(c, a, t0, sizeof t0);
    fmt_km(c, e, t1, sizeof t1);
    fmt_num(c, ymax, 1, ym, sizeof ym);
    sb_printf(c->b, "<h4>%s</h4>\n<svg class=\"crp\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">"
                    "<rect class=\"site\" x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%.1f\"/>",
              L(c, "crash_profile"), W, H, W, H, L0 + (s->from_m - a) * sx, fmax(1, (s->to_m - s->from_m) * sx),
              H - B0 - 10);
    sb_printf(c->b, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
                    "<line class=\"axis\" x1=\"%.0f\" y1=\"10\" x2=\"%.0f\" y2=\"%.0f\"/>",
              L0, H - B0, W - 10, H - B0, L0, L0, H - B0);
    sb_printf(c->b, "<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>"
                    "<text x=\"%.0f\" y=\"18\" text-anchor=\"end\">%s</text>",
              L0, H - 4, t0, W - 10, H - 4, t1, L0 - 4, ym);
    sb_puts(c->b, "<polyline class=\"obs\" points=\"");
    for (size_t k = 0; k < nb; k++)
        sb_printf(c->b, "%.1f,%.1f ", L0 + (fmin(a + step * (double)k, e) - a) * sx, H - B0 - obs[k] * sy);
    sb_puts(c->b, "\"/>");
    if (any_pred) {
        sb_puts(c->b, "<polyline class=\"pred\" points=\"");
        for (size_t k = 0; k < nb; k++)
            if (pred[k] == pred[k])
                sb_printf(c->b, "%.1f,%.1f ", L0 + (fmin(a + step * (double)k, e) - a) * sx, H - B0 - pred[k] * sy);
        sb_puts(c->b, "\"/>");
    }
    sb_printf(c->b, "</svg>\n<p class=\"note\">%s</p>\n", L(c, "profile_note"));
    rb_free(obs);
    rb_free(pred);
    rb_free(rs);
}

static int seg_pop_cmp(const void *a, const void *b)
{
    return strcmp(((const struct seg_pop *)a)->id, ((const struct seg_pop *)b)->id);
}

/* the reference population of the segment a crash is on, NULL when unknown */
static const char *crash_pop(struct ctx *c, size_t i)
{
    const struct rb_shapes *sg = c->src->segments, *cr = c->src->crashes;
    long c_id = col(sg, "segment_id"), c_pop = col(sg, "population");
    if (c_id < 0 || c_pop < 0)
        return NULL;
    if (!c->pops) {
        c->pops = rb_mallocarray(rows(sg) ? rows(sg) : 1, sizeof *c->pops);
        if (!c->pops) {
            c->b->nomem = 1;
            return NULL;
        }
        for (size_t s = 0; s < rows(sg); s++) {
            const char *id = rb_table_str(&sg->attrs, (size_t)c_id, s), *pop = rb_table_str(&sg->attrs, (size_t)c_pop, s);
            if (id && pop)
                c->pops[c->npops++] = (struct seg_pop){ id, pop };
        }
        qsort(c->pops, c->npops, sizeof *c->pops, seg_pop_cmp);
    }
    struct seg_pop key = { c->cr_seg >= 0 ? rb_table_str(&cr->attrs, (size_t)c->cr_seg, i) : NULL, NULL };
    if (!key.id)
        return NULL;
    const struct seg_pop *hit = bsearch(&key, c->pops, c->npops, sizeof *c->pops, seg_pop_cmp);
    return hit ? hit->pop : NULL;
}

/* Each crash's hour, weekday and month, from crash_date (YYYY-MM-DD) and
 * crash_time (HH:MM), once for every card. A file whose dates are all 1 July
 * (a year alone is read as 1 July) gives no weekday or month. */
static void when_codes(struct ctx *c)
{
    const struct rb_shapes *cr = c->src->crashes;
    size_t n = rows(cr);
    long c_date = col(cr, "crash_date"), c_time = col(cr, "crash_time");
    for (int k = 0; k < 3; k++)
        if (!(c->when[k] = rb_mallocarray(n ? n : 1, 1))) {
            c->b->nomem = 1;
            return;
        }
    size_t dated = 0, first_july = 0;
    for (size_t i = 0; i < n; i++) {
        char b[64];
        int y, mo, d, h, mi;
        c->when[0][i] = c->when[1][i] = c->when[2][i] = -1;
        if (c_time >= 0 && sscanf(txt(cr, c_time, i, b, sizeof b), "%d:%d", &h, &mi) == 2 && h >= 0 && h < 24)
            c->when[0][i] = (signed char)h;
        if (c_date >= 0 && sscanf(txt(cr, c_date, i, b, sizeof b), "%d-%d-%d", &y, &mo, &d) == 3 && mo >= 1 &&
            mo <= 12 && d >= 1 && d <= 31) {
            int32_t days = rb_days_from_ymd(y, mo, d);
            c->when[1][i] = (signed char)(((days % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
            c->when[2][i] = (signed char)(mo - 1);
            dated++;
            first_july += mo == 7 && d == 1;
        }
    }
    c->year_only = dated >= 10 && first_july == dated;
    if (c->year_only)
        for (size_t i = 0; i < n; i++)
            c->when[1][i] = c->when[2][i] = -1;
}

/* whether crash i is in site s's reference: the network's counted crashes, or
 * its population's (by_pop) */
static int in_reference(struct ctx *c, const struct site *s, size_t i, int by_pop)
{
    if (!by_pop)
        return 1;
    const char *p = crash_pop(c, i);
    return p && !strcmp(p, s->population);
}

/* shares of each value of a crash field: on the site, and in its reference
 * population (the segments of its population_by values), else the whole network */
static void mix(struct ctx *c, const struct site *s, const char *field, const char *group, const char *title,
                const char *const *codes, size_t ncodes)
{
    const struct rb_shapes *cr = c->src->crashes;
    long f = col(cr, field), c_in = c->cr_in;
    if (f < 0)
        return;
    size_t *site = rb_calloc(rb_size_mul(2, ncodes), sizeof *site), ns = 0, nr = 0;
    if (!site) {
        c->b->nomem = 1;
        return;
    }
    size_t *ref = site + ncodes;
    int by_pop = s->population[0] && col(c->src->segments, "population") >= 0;
    for (size_t i = 0; i < rows(cr); i++) {
        char b[64];
        if (c_in >= 0 && num(cr, c_in, i) != 1)
            continue;
        const char *v = txt(cr, f, i, b, sizeof b);
        size_t k = 0;
        while (k + 1 < ncodes && strcmp(codes[k], v))
            k++;
        if (in_reference(c, s, i, by_pop)) {
            ref[k]++;
            nr++;
        }
        if (on_site(c, s, i)) {
            site[k]++;
            ns++;
        }
    }
    if (ref[ncodes - 1] == nr && site[ncodes - 1] == ns) {   /* the last code, unknown, for every crash: not given */
        rb_free(site);
        return;
    }
    sb_printf(c->b, "<h4>%s</h4>\n<table class=\"mix\"><thead><tr><th></th><th>%s</th><th>", title, L(c, "this_site"));
    if (by_pop) {
        sb_esc(c->b, L(c, "population"));
        sb_puts(c->b, " (");
        sb_esc(c->b, s->population);
        sb_printf(c->b, ")</th></tr></thead><tbody data-reference=\"%zu\">", nr);
    } else {
        sb_printf(c->b, "%s</th></tr></thead><tbody data-reference=\"%zu\">", L(c, "reference"), nr);
    }
    for (size_t k = 0; k < ncodes; k++) {
        if (!site[k] && !ref[k])
            continue;
        char p1[32], p2[32];
        double a = ns ? 100.0 * (double)site[k] / (double)ns : 0, b = nr ? 100.0 * (double)ref[k] / (double)nr : 0;
        fmt_num(c, a, 0, p1, sizeof p1);
        fmt_num(c, b, 0, p2, sizeof p2);
        sb_puts(c->b, "<tr><td>");
        sb_esc(c->b, code_name(c, group, codes[k], NULL));
        sb_printf(c->b, "</td><td class=\"bar2\" data-n=\"%zu\"><span class=\"s\" style=\"width:%.0f%%\"></span>%s %%</td>"
                        "<td class=\"bar2\"><span class=\"r\" style=\"width:%.0f%%\"></span>%s %%</td></tr>",
                  site[k], a, p1, b, p2);
    }
    sb_puts(c->b, "</tbody></table>\n");
    rb_free(site);
}

/* When a site's crashes happened: bars of its crashes by hour of day, weekday
 * and month, each with a mark where as many crashes spread as its reference's
 * would stand. Each bar carries its count (data-n) for a program to read. */
static void card_when(struct ctx *c, const struct site *s)
{
    static const int nbins[3] = { 24, 7, 12 };
    static const char *const titles[3] = { "hour_of_day", "day_of_week", "month" };
    static const char *const kinds[3] = { "hour", "weekday", "month" };
    const struct rb_shapes *cr = c->src->crashes;
    if (!c->when[0] || !c->when[1] || !c->when[2])
        return;
    int by_pop = s->population[0] && col(c->src->segments, "population") >= 0;
    size_t site[3][24] = { { 0 } }, ref[3][24] = { { 0 } }, ns[3] = { 0 }, nr[3] = { 0 };
    for (size_t i = 0; i < rows(cr); i++) {
        if (c->cr_in >= 0 && num(cr, c->cr_in, i) != 1)
            continue;
        int on = on_site(c, s, i), in = in_reference(c, s, i, by_pop);
        for (int k = 0; k < 3; k++) {
            int v = c->when[k][i];
            if (v < 0)
                continue;
            if (on) {
                site[k][v]++;
                ns[k]++;
            }
            if (in) {
                ref[k][v]++;
                nr[k]++;
            }
        }
    }
    if (!ns[0] && !ns[1] && !ns[2] && !c->year_only)
        return;
    sb_printf(c->b, "<h4>%s</h4>\n<div class=\"when\">\n", L(c, "when_title"));
    for (int k = 0; k < 3; k++) {
        if (!ns[k])
            continue;
        const double W = 216, H = 44, top = 4, base = 34, bw = W / nbins[k];
        double max = 0;
        for (int v = 0; v < nbins[k]; v++)
            max = fmax(max, fmax((double)site[k][v], nr[k] ? (double)ns[k] * (double)ref[k][v] / (double)nr[k] : 0));
        sb_printf(c->b, "<figure><figcaption>%s</figcaption><svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                  "data-when=\"%s\" data-n=\"%zu\">", L(c, titles[k]), W, H, W, H, kinds[k], ns[k]);
        for (int v = 0; v < nbins[k]; v++) {
            double h = max > 0 ? (base - top) * (double)site[k][v] / max : 0;
            sb_printf(c->b, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" data-k=\"%d\" data-n=\"%zu\">"
                      "<title>%zu</title></rect>", v * bw + 1, base - h, bw - 2, h, v, site[k][v], site[k][v]);
            if (nr[k] && max > 0) {
                double e = (double)ns[k] * (double)ref[k][v] / (double)nr[k], y = base - (base - top) * e / max;
                sb_printf(c->b, "<line class=\"m\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", v * bw + 1,
                          (v + 1) * bw - 1, y, y);
            }
            /* labels: every sixth hour, each weekday and month */
            if (k == 0 && v % 6)
                continue;
            char code[8];
            snprintf(code, sizeof code, "%d", k == 0 ? v : v + 1);
            sb_printf(c->b, "<text x=\"%.1f\" y=\"%.0f\">", v * bw + (k == 0 ? 1 : bw / 2 - 3), H - 1);
            sb_esc(c->b, k == 0 ? code : code_name(c, k == 1 ? "weekday" : "month", code, NULL));
            sb_puts(c->b, "</text>");
        }
        sb_puts(c->b, "</svg></figure>\n");
    }
    sb_puts(c->b, "</div>\n");
    if (c->year_only)
        sb_printf(c->b, "<p class=\"note\">%s</p>\n", L(c, "year_only"));
    sb_printf(c->b, "<p class=\"note\">%s</p>\n", L(c, "when_note"));
}

/* a countermeasure, or a combination "a+b", by name: the locale's, else the catalogue's, else its id */
static void cm_names(struct ctx *c, const char *ids)
{
    for (const char *p = ids; *p;) {
        char id[64];
        size_t n = strcspn(p, "+");
        snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), p);
        const char *fallback = NULL;
        for (size_t k = 0; k < c->src->ncm_names; k++)
            if (!strcmp(c->src->cm_ids[k], id))
                fallback = c->src->cm_names[k];
        if (p != ids)
            sb_puts(c->b, " + ");
        sb_esc(c->b, code_name(c, "countermeasure", id, fallback));
        p += n + (p[n] == '+');
    }
}

static void td_cm(struct ctx *c, const char *ids)
{
    sb_puts(c->b, "<td>");
    cm_names(c, ids);
    sb_puts(c->b, "</td>");
}

/* the CMF's evidence (plan's cmf_status, cmf_source, cmf_stars, cmf_se,
 * bcr_low, bcr_high): checked, or flagged; the CMF Clearinghouse's stars, the
 * standard error and the BCR's 95 % range where the catalogue has them */
static void card_evidence(struct ctx *c, const char *status, const struct rb_shapes *pl, long c_src, size_t i)
{
    char key[32], src[8192];
    snprintf(key, sizeof key, "ev_%s", status);
    sb_printf(c->b, "<td class=\"ev%s\">", *status && strcmp(status, "checked") ? " flag" : "");
    if (*status)
        sb_esc(c->b, L(c, key));
    double stars = num(pl, col(pl, "cmf_stars"), i), se = num(pl, col(pl, "cmf_se"), i);
    if (stars >= 1 && stars <= 5) {
        sb_printf(c->b, " <span class=\"stars\" title=\"%s\">", L(c, "stars"));
        for (int k = 1; k <= 5; k++)
            sb_puts(c->b, k <= stars ? "\u2605" : "\u2606");
        sb_puts(c->b, "</span>");
    }
    if (isfinite(se)) {
        char t[32];
        fmt_num(c, se, 3, t, sizeof t);
        sb_printf(c->b, " <span class=\"se\">%s %s</span>", L(c, "cmf_se"), t);
    }
    double lo = num(pl, col(pl, "bcr_low"), i), hi = num(pl, col(pl, "bcr_high"), i);
    if (isfinite(lo) && isfinite(hi)) {
        char a[32], b[32];
        fmt_num(c, lo, 1, a, sizeof a);
        fmt_num(c, hi, 1, b, sizeof b);
        sb_printf(c->b, " <span class=\"range\">%s %s\u2013%s</span>", L(c, "bcr_range"), a, b);
    }
    const char *s = txt(pl, c_src, i, src, sizeof src);
    if (*s) {
        sb_puts(c->b, "<br><span class=\"src\">");
        sb_esc(c->b, s);
        sb_puts(c->b, "</span>");
    }
    sb_puts(c->b, "</td>");
}

/* The HSM's incremental test for the chosen alternative (Part B, Chapter 8):
 * against the next cheaper alternative at its site worth its cost (BCR
 * above 1), the extra benefit over the extra cost (present values). */
static void card_increment(struct ctx *c, const struct site *s, size_t chosen)
{
    const struct rb_shapes *pl = c->src->plan;
    long c_site = col(pl, "site"), c_cm = col(pl, "countermeasure"), c_b = col(pl, "pv_benefit");
    long c_c = col(pl, "pv_cost"), c_bcr = col(pl, "bcr");
    double b1 = num(pl, c_b, chosen), c1 = num(pl, c_c, chosen);
    long next = -1;
    for (size_t i = 0; i < rows(pl); i++) {
        double ci = num(pl, c_c, i);
        if ((long)num(pl, c_site, i) != s->id || i == chosen || !(num(pl, c_bcr, i) > 1) || !(ci < c1))
            continue;
        if (next < 0 || ci > num(pl, c_c, (size_t)next))
            next = (long)i;
    }
    if (next < 0)
        return;
    double db = b1 - num(pl, c_b, (size_t)next), dc = c1 - num(pl, c_c, (size_t)next);
    char b[160], r[32];
    fmt_num(c, db / dc, 1, r, sizeof r);
    const char *ids = txt(pl, c_cm, (size_t)next, b, sizeof b);
    sb_printf(c->b, "<p class=\"why ibc\" data-against=\"");
    sb_esc(c->b, ids);
    sb_printf(c->b, "\" data-ibc=\"%.6g\">%s <span class=\"cm\">", db / dc, L(c, "ibc_against"));
    cm_names(c, ids);
    sb_printf(c->b, "</span>, %s <b>%s</b> %s</p>\n", L(c, "ibc_returns"), r, L(c, "ibc_source"));
}

/* Why the budget choice took what it took at a site, by the plan's objective
 * (the summary's plan.objective: NPV, or crashes avoided a year): the best
 * alternative here; another, though one here is worth more (the budget does
 * more with the difference elsewhere); or nothing, none being worth its cost
 * or the budget doing more elsewhere. */
static void card_why(struct ctx *c, const struct site *s)
{
    const struct rb_shapes *pl = c->src->plan;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(c->src->summary, "plan");
    const cJSON *o = p ? cJSON_GetObjectItemCaseSensitive(p, "objective") : NULL;
    int crashes = cJSON_IsString(o) && !strcmp(o->valuestring, "crashes");
    long c_site = col(pl, "site"), c_sel = col(pl, "selected"), c_cm = col(pl, "countermeasure");
    long c_v = col(pl, crashes ? "crashes_avoided_per_yr" : "npv");
    long best = -1, chosen = -1;
    for (size_t i = 0; i < rows(pl); i++) {
        if ((long)num(pl, c_site, i) != s->id)
            continue;
        double v = num(pl, c_v, i);
        if (v == v && (best < 0 || v > num(pl, c_v, (size_t)best)))
            best = (long)i;
        if (num(pl, c_sel, i) == 1)
            chosen = (long)i;
    }
    if (best < 0)
        return;
    const char *why = chosen == best || (chosen >= 0 && num(pl, c_v, (size_t)chosen) >= num(pl, c_v, (size_t)best))
                          ? "best"
                      : chosen >= 0                       ? "budget"
                      : !(num(pl, c_v, (size_t)best) > 0) ? "none_value"
                                                          : "none_budget";
    char key[32], b[160];
    snprintf(key, sizeof key, "why_%s", why);
    sb_printf(c->b, "<p class=\"why %s\">", why);
    sb_esc(c->b, L(c, key));
    if (!strcmp(why, "budget")) {
        const char *ids = txt(pl, c_cm, (size_t)best, b, sizeof b);
        sb_printf(c->b, " <span class=\"cm\" data-cm=\"");
        sb_esc(c->b, ids);
        sb_puts(c->b, "\">");
        cm_names(c, ids);
        sb_puts(c->b, "</span>");
    }
    sb_puts(c->b, "</p>\n");
    if (chosen >= 0)
        card_increment(c, s, (size_t)chosen);
}

/* The countermeasures its crash pattern called for that are already there
 * (the summary's plan.already_there, by road and stretch); 1 when any. */
static int card_present(struct ctx *c, const struct site *s)
{
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c->src->summary, "plan"),
                                                      "already_there"), *e;
    int n = 0;
    cJSON_ArrayForEach(e, at) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "route_id"), *cm = cJSON_GetObjectItemCaseSensitive(e,
                                                                                                          "countermeasure");
        if (!cJSON_IsString(r) || !cJSON_IsString(cm) || strcmp(r->valuestring, s->route) ||
            !(jnum(e, "from_m") < s->to_m && jnum(e, "to_m") > s->from_m))
            continue;
        sb_printf(c->b, "%s", n++ ? ", " : "<p class=\"present\">");
        if (n == 1) {
            sb_esc(c->b, L(c, "already_there"));
            sb_puts(c->b, " ");
        }
        cm_names(c, cm->valuestring);
    }
    if (n)
        sb_puts(c->b, "</p>\n");
    return n > 0;
}

static void card_plan(struct ctx *c, const struct site *s)
{
    const struct rb_shapes *pl = c->src->plan;
    long c_site = col(pl, "site"), c_cm = col(pl, "countermeasure"), c_bcr = col(pl, "bcr");
    long c_cost = col(pl, "install_cost"), c_sel = col(pl, "selected"), c_yr = col(pl, "year");
    long c_av = col(pl, "crashes_avoided_per_yr"), c_ev = col(pl, "cmf_status"), c_src = col(pl, "cmf_source");
    sb_printf(c->b, "<h4>%s</h4>\n", L(c, "countermeasures"));
    table_head(c, "<table class=\"cms\">", "countermeasure,bcr:n,cost:n,crashes_avoided:n,selected,year:n,evidence");
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < rows(pl); i++) {
            if ((long)num(pl, c_site, i) != s->id || (num(pl, c_sel, i) == 1) != pass)
                continue;
            char b[160];
            sb_printf(c->b, "<tr class=\"%s\">", pass ? "sel" : "alt");
            td_cm(c, txt(pl, c_cm, i, b, sizeof b));
            td_num(c, num(pl, c_bcr, i), 1);
            td_num(c, num(pl, c_cost, i), 0);
            td_num(c, num(pl, c_av, i), 2);
            td_txt(c, L(c, pass ? "yes" : "no"));
            td_num(c, pass ? num(pl, c_yr, i) : NAN, 0);
            card_evidence(c, txt(pl, c_ev, i, b, sizeof b), pl, c_src, i);
            sb_puts(c->b, "</tr>\n");
        }
    sb_puts(c->b, "</tbody></table>\n");
    card_why(c, s);
}

struct work_row {
    const struct rb_shapes *s;
    int kind;               /* 0 a line, 1 a point */
    size_t i;
    double from_m;
};

/* along the road; at one place lines first, then in the layer's order */
static int work_cmp(const void *a, const void *b)
{
    const struct work_row *x = a, *y = b;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return (x->i > y->i) - (x->i < y->i);
}

static void card_work(struct ctx *c, const struct site *s)
{
    const struct rb_shapes *ls[2] = { c->src->work_lines, c->src->work_points };
    size_t n = rows(ls[0]) + rows(ls[1]), k = 0;
    struct work_row *w = rb_mallocarray(n ? n : 1, sizeof *w);
    if (!w) {
        c->b->nomem = 1;
        return;
    }
    for (int j = 0; j < 2; j++)
        for (size_t i = 0; i < rows(ls[j]); i++)
            if ((long)num(ls[j], col(ls[j], "site"), i) == s->id)
                w[k++] = (struct work_row){ ls[j], j, i, num(ls[j], col(ls[j], "from_m"), i) };
    if (!k) {
        rb_free(w);
        return;
    }
    qsort(w, k, sizeof *w, work_cmp);
    sb_printf(c->b, "<h4>%s</h4>\n", L(c, "work_order"));
    table_head(c, "<table class=\"work\">", "countermeasure,item,from,to,units:n,side,direction");
    for (size_t j = 0; j < k; j++) {
        const struct rb_shapes *t = w[j].s;
        char b[160], km[64];
        sb_puts(c->b, "<tr>");
        td_cm(c, txt(t, col(t, "countermeasure"), w[j].i, b, sizeof b));
        td_txt(c, txt(t, col(t, "item"), w[j].i, b, sizeof b));
        fmt_km(c, num(t, col(t, "from_m"), w[j].i), km, sizeof km);
        td_txt(c, km);
        double to = num(t, col(t, "to_m"), w[j].i);
        fmt_km(c, to, km, sizeof km);
        td_txt(c, to == to ? km : "");
        td_num(c, num(t, col(t, "units"), w[j].i), 1);
        td_txt(c, txt(t, col(t, "side"), w[j].i, b, sizeof b));
        td_txt(c, txt(t, col(t, "direction"), w[j].i, b, sizeof b));
        sb_puts(c->b, "</tr>\n");
    }
    sb_puts(c->b, "</tbody></table>\n");
    rb_free(w);
}

static void cards(struct ctx *c)
{
    const struct site *s = c->cards;
    size_t ns = c->ncards;
    if (!s)
        return;
    if (ns)
        sb_printf(c->b, "<section id=\"sites\"><h2>%s</h2>\n", L(c, "sites"));
    static const char *const types[] = { "run_off_road", "head_on", "rear_end", "angle", "sideswipe", "pedestrian",
                                         "bicycle", "animal", "fixed_object", "rollover", "other", "unknown" };
    static const char *const lights[] = { "day", "dark", "dusk", "unknown" };
    static const char *const surfaces[] = { "dry", "wet", "snow_ice", "unknown" };
    static const char *const weathers[] = { "clear", "rain", "snow_ice", "fog", "wind", "other", "unknown" };
    for (size_t j = 0; j < ns; j++) {
        const struct site *t = &s[j];
        size_t n = 0, sev[NSEV] = { 0 };
        for (size_t i = 0; i < rows(c->src->crashes); i++)
            if (on_site(c, t, i)) {
                char b[16];
                n++;
                sev[sev_index(txt(c->src->crashes, c->cr_sev, i, b, sizeof b))]++;
            }
        char k0[64], k1[64];
        fmt_km(c, t->from_m, k0, sizeof k0);
        fmt_km(c, t->to_m, k1, sizeof k1);
        /* where it is, for a program reading the page: route and chainage in metres */
        sb_printf(c->b, "<article class=\"card%s\" id=\"site-%s%ld\" data-crashes=\"%zu\" data-route=\"",
                  t->id == -2 ? " nofit" : "", t->id == -2 ? "h" : "", t->id == -2 ? (long)j + 1 : t->id, n);
        sb_esc(c->b, t->route);
        sb_printf(c->b, "\" data-from=\"%.3f\" data-to=\"%.3f\"><h3>", t->from_m, t->to_m);
        if (t->id == -2)
            sb_printf(c->b, "%s · ", L(c, "flagged_site"));
        else
            sb_printf(c->b, "%s %ld · ", L(c, "site"), t->id);
        sb_esc(c->b, t->route);
        if (t->junction[0]) {
            sb_puts(c->b, " · ");
            sb_esc(c->b, t->junction);
        } else {
            sb_printf(c->b, " · %s – %s", k0, k1);
        }
        sb_printf(c->b, "</h3>\n<p class=\"facts\">%s: <b>%zu</b>", L(c, "crashes"), n);
        for (int k = 0; k < NSEV - 1; k++)
            if (sev[k])
                sb_printf(c->b, " · %s: %zu", code_name(c, "severity", sev_codes[k], NULL), sev[k]);
        if (t->best_rank < INFINITY)
            sb_printf(c->b, " · %s %.0f", L(c, "rank"), t->best_rank);
        sb_puts(c->b, "</p>\n<div class=\"two\"><div>\n");
        if (!t->junction[0])
            profile(c, t);
        card_when(c, t);
        sb_puts(c->b, "</div><div>\n");
        mix(c, t, "severity", "severity", L(c, "severity_mix"), sev_codes, NSEV);
        mix(c, t, "crash_type", "crash_type", L(c, "type_mix"), types, sizeof types / sizeof *types);
        mix(c, t, "light", "light", L(c, "light_mix"), lights, sizeof lights / sizeof *lights);
        mix(c, t, "surface", "surface", L(c, "surface_mix"), surfaces, sizeof surfaces / sizeof *surfaces);
        mix(c, t, "weather", "weather", L(c, "weather_mix"), weathers, sizeof weathers / sizeof *weathers);
        sb_puts(c->b, "</div></div>\n");
        if (!card_present(c, t) && t->id == -2)
            sb_printf(c->b, "<p class=\"nofit\">%s</p>\n", L(c, "site_visit"));
        if (rows(c->src->plan) && t->id >= 0) {
            card_plan(c, t);
            card_work(c, t);
        }
        sb_puts(c->b, "</article>\n");
    }
    if (ns)
        sb_puts(c->b, "</section>\n");
}

/* ---- the page ----------------------------------------------------------------------------------- */

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#222;"
    "max-width:1000px;margin:0 auto;padding:16px 20px;background:#fff}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #c62828;padding-bottom:3px;"
    "margin-top:28px}h3{font-size:16px;margin:12px 0 6px}h4{font-size:14px;margin:10px 0 4px}"
    ".meta{color:#555;margin:0}.note{color:#666;font-size:12px;margin:2px 0 6px}"
    ".findings{border:1px solid #c9a227;background:#fff8e1;padding:6px 12px;margin:8px 0}.findings.untrusted{border-color:#b00020;background:#fdecea}.findings li.bad{color:#b00020}"
    ".figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}"
    ".fig{border:1px solid #ddd;border-radius:6px;padding:8px 10px;background:#fafafa}"
    ".fig .v{font-size:22px;font-weight:600;color:#b71c1c}.fig .l{font-size:12px;color:#555}"
    ".two{display:grid;grid-template-columns:1fr 1fr;gap:18px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 6px;border-bottom:1px solid #eee;"
    "text-align:left}td.n,th[data-t=n]{text-align:right}thead th{background:#f3f3f3}"
    "table.sortable th{cursor:pointer}table.sortable th:after{content:' \\2195';color:#aaa}"
    "td.bar{width:35%}td.bar span{display:block;height:10px;background:#e53935}"
    "td.bar2{position:relative;width:30%}td.bar2 span{position:absolute;left:0;top:4px;height:12px;opacity:.35}"
    "span.s{background:#e53935}span.r{background:#757575}"
    "svg{max-width:100%;height:auto;background:#fff}"
    "path.c4{stroke:#bdbdbd;stroke-width:1;fill:none}path.c3{stroke:#fbc02d;stroke-width:1.6;fill:none}"
    "path.c2{stroke:#fb8c00;stroke-width:2.2;fill:none}path.c1{stroke:#c62828;stroke-width:3;fill:none}"
    "path.hot{stroke:#8e24aa;stroke-width:7;stroke-opacity:.35;fill:none;stroke-linecap:round}"
    "path.wl{stroke:#1565c0;stroke-width:3;fill:none}circle.wp{fill:#1565c0;stroke:#fff;stroke-width:.8}"
    "g.scale path{stroke:#333;stroke-width:1.5;fill:none}g.scale text,text.site{font-size:11px;fill:#222}"
    "text.site{font-weight:700;paint-order:stroke;stroke:#fff;stroke-width:3px;text-anchor:middle}"
    "circle.ix{stroke:#fff;stroke-width:.8}circle.ix.k1{fill:#b71c1c}circle.ix.k2{fill:#e65100}"
    "circle.ix.k3{fill:#f9a825}circle.ix.k4{fill:#9e9e9e}"
    ".legend span{margin-right:14px;font-size:12px;white-space:nowrap}.legend i{display:inline-block;width:18px;"
    "height:6px;margin-right:4px;vertical-align:middle}.k1{background:#c62828}.k2{background:#fb8c00}"
    ".k3{background:#fbc02d}.k4{background:#bdbdbd}.khot{background:#8e24aa;opacity:.5;height:10px!important}"
    ".kwl{background:#1565c0}.kwp{background:#1565c0;border-radius:50%;width:8px!important;height:8px!important}"
    ".kix{background:#b71c1c;border-radius:50%;width:10px!important;height:10px!important}"
    ".card{border:1px solid #ddd;border-radius:8px;padding:6px 14px 12px;margin:14px 0;break-inside:avoid}"
    ".facts{margin:0 0 6px;color:#333}"
    "svg.crp .site{fill:#8e24aa;opacity:.12}svg.crp .axis{stroke:#999}svg.crp text{font-size:10px;fill:#555}"
    "svg.crp .obs{fill:none;stroke:#c62828;stroke-width:1.8}svg.crp .pred{fill:none;stroke:#333;"
    "stroke-dasharray:4 3}"
    "p.why{color:#333;font-style:italic;margin:4px 0}"
    ".when{display:flex;flex-wrap:wrap;gap:6px 12px}.when figure{margin:0}.when figcaption{font-size:11px;color:#555}"
    ".when rect.b{fill:#c0392b}.when line.m{stroke:#222;stroke-width:1.5}.when text{font-size:8px;fill:#555}"
    "tr.alt td{color:#888}p.nofit{color:#b71c1c;font-weight:600}"
    "td.ev .src{font-size:11px;color:#666}td.ev.flag{color:#b71c1c;font-weight:600}span.flag{color:#b71c1c}"
    "@media print{body{max-width:none;padding:0}h2{break-after:avoid}.card{page-break-inside:avoid}"
    "table.sortable th:after{content:''}}"
    "@media (max-width:700px){.two{grid-template-columns:1fr}}";

/* click a heading to sort by it; numbers by their data-v */
static const char script[] =
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "t.querySelectorAll('th').forEach(function(h,i){var asc=true;h.addEventListener('click',function(){"
    "var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),n=h.getAttribute('data-t')==='n';"
    "r.sort(function(x,y){var a=x.cells[i],c=y.cells[i],p=n?parseFloat(a.getAttribute('data-v')):a.textContent,"
    "q=n?parseFloat(c.getAttribute('data-v')):c.textContent;if(n){if(isNaN(p))p=Infinity;if(isNaN(q))q=Infinity;}"
    "return (p<q?-1:p>q?1:0)*(asc?1:-1);});r.forEach(function(x){b.appendChild(x);});asc=!asc;});});});";

/* ---- the systemic programme (plan.systemic), from the summary ----------------------------------- */


static void systemic(struct ctx *c)
{
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c->src->summary, "plan"),
                                                       "systemic");
    const cJSON *cm = cJSON_GetObjectItemCaseSensitive(so, "countermeasure");
    if (!cJSON_IsString(cm))
        return;
    sb_printf(c->b, "<section id=\"systemic\"><h2>%s</h2><p class=\"note\">%s</p>\n<p>", L(c, "systemic"),
              L(c, "systemic_note"));
    cm_names(c, cm->valuestring);
    sb_puts(c->b, "</p>\n<div class=\"figs\">\n");
    figure(c, "sys-km", L(c, "systemic_km"), jnum(so, "km"), 1);
    figure(c, "sys-segments", L(c, "systemic_segments"), jnum(so, "chosen"), 0);
    figure(c, "sys-no-history", L(c, "systemic_no_history"), jnum(so, "chosen_without_focus_crash"), 0);
    figure(c, "sys-cost", L(c, "systemic_cost"), jnum(so, "cost"), 0);
    if (jnum(so, "budget") == jnum(so, "budget"))
        figure(c, "sys-budget", L(c, "budget"), jnum(so, "budget"), 0);
    figure(c, "sys-avoided", L(c, "crashes_avoided"), jnum(so, "crashes_avoided_per_yr"), 2);
    sb_puts(c->b, "</div>\n");
    const cJSON *fa = cJSON_GetObjectItemCaseSensitive(so, "factors"), *f;
    if (!cJSON_GetArraySize(fa)) {
        sb_puts(c->b, "</section>\n");
        return;
    }
    table_head(c, "<table id=\"systemic-factors\">", "risk_factor,level,km:n,focus_crashes:n,length_share:n,"
               "crash_share:n,ratio:n");
    cJSON_ArrayForEach(f, fa) {
        const cJSON *lv;
        char key[64];
        snprintf(key, sizeof key, "factor_%s", f->string);
        cJSON_ArrayForEach(lv, f) {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(lv, "level");
            sb_puts(c->b, "<tr>");
            td_txt(c, L(c, key));
            td_txt(c, cJSON_IsString(name) ? code_name(c, "systemic_level", name->valuestring, NULL) : "");
            td_num(c, jnum(lv, "km"), 1);
            td_num(c, jnum(lv, "focus_crashes"), 0);
            td_num(c, 100 * jnum(lv, "length_share"), 1);
            td_num(c, 100 * jnum(lv, "crash_share"), 1);
            td_num(c, jnum(lv, "ratio"), 2);
            sb_puts(c->b, "</tr>\n");
        }
    }
    sb_puts(c->b, "</tbody></table>\n</section>\n");
}

/* ---- what the network already has (coverage), from the summary ---------------------------------- */

static void coverage(struct ctx *c)
{
    const cJSON *ks = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c->src->summary, "coverage"),
                                                       "kinds");
    if (!cJSON_GetArraySize(ks))
        return;
    sb_printf(c->b, "<section id=\"coverage\"><h2>%s</h2><p class=\"note\">%s</p>\n", L(c, "coverage"),
              L(c, "coverage_note"));
    table_head(c, "<table id=\"coverage-table\">", "asset,assets:n,km_covered:n,km_share_pct:n,crashes_in:n,"
               "crashes_share_pct:n,ksi_in:n,ksi_share_pct:n,night_unlit_pct:n");
    const cJSON *k;
    cJSON_ArrayForEach(k, ks) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(k, "kind");
        int lighting = cJSON_IsString(id) && !strcmp(id->valuestring, "lighting");
        sb_puts(c->b, "<tr><td>");
        if (lighting)
            sb_esc(c->b, L(c, "lit_road"));
        else if (cJSON_IsString(id))
            cm_names(c, id->valuestring);
        sb_puts(c->b, "</td>");
        td_num(c, lighting ? NAN : jnum(k, "assets"), 0);
        td_num(c, jnum(k, "km_covered"), 1);
        td_num(c, 100 * jnum(k, "km_share"), 1);
        td_num(c, jnum(k, "crashes_in"), 0);
        td_num(c, 100 * jnum(k, "crashes_share"), 1);
        td_num(c, jnum(k, "ksi_in"), 0);
        td_num(c, 100 * jnum(k, "ksi_share"), 1);
        td_num(c, lighting ? 100 * jnum(k, "night_out_share") : NAN, 1);
        sb_puts(c->b, "</tr>\n");
    }
    sb_puts(c->b, "</tbody></table>\n</section>\n");
}

/* ---- before-after evaluation (rumble evaluate) --------------------------------------------------- */

static void evaluation(struct ctx *c)
{
    const struct rb_shapes *x = c->src->evaluation;
    if (!x || !rows(x))
        return;
    long c_cm = col(x, "countermeasure"), c_g = col(x, "crash_group"), c_m = col(x, "method");
    long c_n = col(x, "n_sites"), c_ob = col(x, "obs_before"), c_oa = col(x, "obs_after");
    long c_ea = col(x, "exp_after"), c_t = col(x, "theta"), c_se = col(x, "se_theta"), c_lo = col(x, "ci_low");
    long c_hi = col(x, "ci_high"), c_ef = col(x, "effect_pct"), c_note = col(x, "note");
    sb_printf(c->b, "<section id=\"evaluation\"><h2>%s</h2><p class=\"note\">%s</p>\n", L(c, "evaluation"),
              L(c, "evaluation_note"));
    {   /* its SPF and the period of its crash data, which need not be the report's */
        char s1[96], s2[32], s3[32];
        const char *spf = txt(x, col(x, "spf"), 0, s1, sizeof s1), *d0 = txt(x, col(x, "data_from"), 0, s2, sizeof s2);
        const char *d1 = txt(x, col(x, "data_to"), 0, s3, sizeof s3);
        if (*spf && *d0 && *d1) {
            sb_printf(c->b, "<p id=\"evaluation-basis\">%s: ", L(c, "evaluation_basis"));
            sb_esc(c->b, spf);
            sb_printf(c->b, " · %s ", L(c, "study_period"));
            sb_esc(c->b, d0);
            sb_puts(c->b, " – ");
            sb_esc(c->b, d1);
            sb_puts(c->b, "</p>\n");
        }
    }
    table_head(c, "<table class=\"sortable\" id=\"evaluation-table\">",
               "countermeasure,crash_group,method,eval_sites:n,before:n,after:n,expected_without:n,theta:n,se:n,"
               "ci_low:n,ci_high:n,effect_pct:n,note");
    for (size_t i = 0; i < rows(x); i++) {
        char b[512], g[64], m[64];
        sb_puts(c->b, "<tr><td>");
        cm_names(c, txt(x, c_cm, i, b, sizeof b));
        sb_puts(c->b, "</td>");
        const char *gk = txt(x, c_g, i, g, sizeof g), *mk = txt(x, c_m, i, m, sizeof m);
        char key[96];
        snprintf(key, sizeof key, "group_%s", gk);
        td_txt(c, L(c, key));
        snprintf(key, sizeof key, "method_%s", mk);
        td_txt(c, L(c, key));
        td_num(c, num(x, c_n, i), 0);
        td_num(c, num(x, c_ob, i), 0);
        td_num(c, num(x, c_oa, i), 0);
        td_num(c, num(x, c_ea, i), 1);
        td_num(c, num(x, c_t, i), 3);
        td_num(c, num(x, c_se, i), 3);
        td_num(c, num(x, c_lo, i), 3);
        td_num(c, num(x, c_hi, i), 3);
        td_num(c, num(x, c_ef, i), 1);
        td_txt(c, txt(x, c_note, i, b, sizeof b));
        sb_puts(c->b, "</tr>\n");
    }
    sb_puts(c->b, "</tbody></table>\n</section>\n");
}

int rb_report_html(const struct rb_report_src *src, char **out, struct rb_err *err)
{
    struct sb b = { 0 };
    struct ctx c = { src, &b, ".", ",", NULL, 0, -1, -1, -1, -1, -1, -1, { NULL, NULL, NULL }, 0, NULL, 0 };
    c.cr_in = col(src->crashes, "in_study");
    c.cr_route = col(src->crashes, "route_id");
    c.cr_ch = col(src->crashes, "chainage_m");
    c.cr_junc = col(src->crashes, "intersection_id");
    c.cr_seg = col(src->crashes, "segment_id");
    c.cr_sev = col(src->crashes, "severity");
    when_codes(&c);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(src->locale, "decimal");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(src->locale, "thousands");
    if (cJSON_IsString(d))
        snprintf(c.dec, sizeof c.dec, "%s", d->valuestring);
    if (cJSON_IsString(t))
        snprintf(c.thou, sizeof c.thou, "%s", !strcmp(t->valuestring, " ") ? "\u00a0" : t->valuestring);
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(src->locale, "lang");
    sb_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>",
              cJSON_IsString(lang) ? lang->valuestring : "en");
    sb_esc(&b, L(&c, "title"));
    sb_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>", style);
    sb_esc(&b, L(&c, "title"));
    sb_printf(&b, "</h1>\n<p class=\"meta\">%s: ", L(&c, "source"));
    const char *base = strrchr(src->path, '/');
    sb_esc(&b, base ? base + 1 : src->path);
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(src->summary, "study_period");
    const cJSON *f = sp ? cJSON_GetObjectItemCaseSensitive(sp, "from_year") : NULL;
    const cJSON *to = sp ? cJSON_GetObjectItemCaseSensitive(sp, "to_year") : NULL;
    if (cJSON_IsNumber(f) && cJSON_IsNumber(to))
        sb_printf(&b, " · %s: <span id=\"period\">%d–%d</span>", L(&c, "study_period"), f->valueint, to->valueint);
    if (rows(src->segments) && src->segments->crs_name[0]) {
        sb_printf(&b, " · %s: ", L(&c, "crs"));
        sb_esc(&b, src->segments->crs_name);
    }
    sb_puts(&b, "</p></header>\n");
    summary(&c);
    card_sites(&c);
    map(&c);
    ranked_list(&c);
    ranked_intersections(&c);
    coverage(&c);
    systemic(&c);
    evaluation(&c);
    cards(&c);
    sb_printf(&b, "<script>%s</script>\n</body>\n</html>\n", script);
    rb_free(c.pops);
    rb_free(c.cards);
    for (int k = 0; k < 3; k++)
        rb_free(c.when[k]);
    if (b.nomem) {
        rb_free(b.s);
        return rb_err_nomem(err);
    }
    *out = b.s;
    return RB_OK;
}
