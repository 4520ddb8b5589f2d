/* report/styles: the output layers' QGIS styles (QML) and coded value domains,
 * so a GeoPackage opens in QGIS coloured and with codes shown by name. */
#include "report/styles.h"
#include "match/match.h"
#include "match/lref.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ------------------------------------------------------------------ */

#define text rb_sb
#define put rb_sb_printf

/* text for an XML attribute value */
static void put_attr(struct text *t, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': put(t, "&lt;"); break;
        case '>': put(t, "&gt;"); break;
        case '&': put(t, "&amp;"); break;
        case '"': put(t, "&quot;"); break;
        default: put(t, "%c", *s);
        }
    }
}

/* ---- symbols --------------------------------------------------------------------- */

struct sym {
    const char *color;       /* "r,g,b,a" */
    double size;             /* line width or marker size, mm */
    const char *shape;       /* marker: circle, triangle, square...; NULL for a line */
    const char *dash;        /* line: solid, dash */
};

/* QGIS draws these marker shapes with the outline alone (no fill): their
 * outline is the symbol's colour, and wide enough to show it */
static int unfilled(const char *shape)
{
    static const char *const open[] = { "cross", "cross2", "line", "arrowhead" };
    for (size_t k = 0; k < sizeof open / sizeof *open; k++)
        if (!strcmp(shape, open[k]))
            return 1;
    return 0;
}

static void put_symbol(struct text *t, int name, const struct sym *s)
{
    if (s->shape) {
        int open = unfilled(s->shape);
        put(t, "<symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
               "<layer class=\"SimpleMarker\" pass=\"0\" enabled=\"1\" locked=\"0\">"
               "<prop k=\"name\" v=\"%s\"/><prop k=\"color\" v=\"%s\"/>"
               "<prop k=\"outline_color\" v=\"%s\"/><prop k=\"outline_style\" v=\"solid\"/>"
               "<prop k=\"outline_width\" v=\"%s\"/><prop k=\"outline_width_unit\" v=\"MM\"/>"
               "<prop k=\"size\" v=\"%.1f\"/><prop k=\"size_unit\" v=\"MM\"/>"
               "</layer></symbol>\n",
            name, s->shape, s->color, open ? s->color : "35,35,35,255", open ? "0.4" : "0.2", s->size);
    } else {
        put(t, "<symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
               "<layer class=\"SimpleLine\" pass=\"0\" enabled=\"1\" locked=\"0\">"
               "<prop k=\"line_color\" v=\"%s\"/><prop k=\"line_width\" v=\"%.2f\"/>"
               "<prop k=\"line_width_unit\" v=\"MM\"/><prop k=\"line_style\" v=\"%s\"/>"
               "<prop k=\"capstyle\" v=\"round\"/><prop k=\"joinstyle\" v=\"round\"/>"
               "</layer></symbol>\n",
            name, s->color, s->size, s->dash ? s->dash : "solid");
    }
}

static void head(struct text *t)
{
    put(t, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n");
}

static void tail(struct text *t)
{
    put(t, "</qgis>\n");
}

/* categories: one symbol per value */
static void categorized(struct text *t, const char *attr, const char *const *values, const char *const *labels,
                        const struct sym *syms, size_t n)
{
    head(t);
    put(t, "<renderer-v2 type=\"categorizedSymbol\" attr=\"");
    put_attr(t, attr);
    put(t, "\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n<categories>\n");
    for (size_t k = 0; k < n; k++) {
        put(t, "<category value=\"");
        put_attr(t, values[k]);
        put(t, "\" symbol=\"%zu\" label=\"", k);
        put_attr(t, labels[k]);
        put(t, "\" render=\"true\"/>\n");
    }
    put(t, "</categories>\n<symbols>\n");
    for (size_t k = 0; k < n; k++)
        put_symbol(t, (int)k, &syms[k]);
    put(t, "</symbols>\n</renderer-v2>\n");
    tail(t);
}

/* ranks 1..n in four classes, the best 1 %, 5 %, 20 % and the rest */
static void by_rank(struct text *t, size_t n, int markers)
{
    double up[4];
    up[0] = fmax(1, ceil(0.01 * (double)n));
    up[1] = fmax(up[0], ceil(0.05 * (double)n));
    up[2] = fmax(up[1], ceil(0.2 * (double)n));
    up[3] = fmax(up[2], (double)n);
    static const char *const what[] = { "top 1 %", "top 5 %", "top 20 %", "other" };
    static const struct sym lines[] = { { "198,40,40,255", 1.2, NULL, NULL }, { "251,140,0,255", 0.9, NULL, NULL },
                                        { "251,192,45,255", 0.6, NULL, NULL }, { "189,189,189,255", 0.3, NULL, NULL } };
    /* intersections: diamonds, so they never look like crashes (circles) */
    static const struct sym marks[] = { { "198,40,40,255", 4.6, "diamond", NULL }, { "251,140,0,255", 3.8, "diamond", NULL },
                                        { "251,192,45,255", 3.2, "diamond", NULL }, { "189,189,189,255", 2.4, "diamond", NULL } };
    /* the classes that are not empty (a small layer has fewer), found once */
    int keep[4], nk = 0;
    double lo = 0;
    for (int k = 0; k < 4; k++)
        if (!k || up[k] > up[keep[nk - 1]])
            keep[nk++] = k;
    head(t);
    /* drawn in order of rank, the worst last (on top); the unranked first */
    put(t, "<renderer-v2 type=\"graduatedSymbol\" attr=\"rank\" graduatedMethod=\"GraduatedColor\" "
           "forceraster=\"0\" symbollevels=\"0\" enableorderby=\"1\">\n<ranges>\n");
    for (int j = 0; j < nk; j++) {
        int k = keep[j];
        put(t, "<range lower=\"%.0f\" upper=\"%.0f\" symbol=\"%d\" label=\"%s (rank %.0f-%.0f)\" render=\"true\"/>\n",
            lo, up[k], j, what[k], lo + 1, up[k]);
        lo = up[k];
    }
    put(t, "</ranges>\n<symbols>\n");
    for (int j = 0; j < nk; j++)
        put_symbol(t, j, markers ? &marks[keep[j]] : &lines[keep[j]]);
    put(t, "</symbols>\n<mode name=\"manual\"/>\n<orderby>\n<orderByClause asc=\"0\" nullsFirst=\"1\">\"rank\"</orderByClause>\n"
           "</orderby>\n</renderer-v2>\n");
    tail(t);
}

static void single(struct text *t, const struct sym *s)
{
    head(t);
    put(t, "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n<symbols>\n");
    put_symbol(t, 0, s);
    put(t, "</symbols>\n</renderer-v2>\n");
    tail(t);
}

/* the style of the layer named name with n features; NULL when it has none */
static char *style_of(const char *name, size_t n, struct rb_err *err, int *nomem)
{
    struct text t = { 0 };
    if (!strcmp(name, "crashes")) {
        /* by severity; a crash not on the network (not counted) small, grey and apart */
        static const char *const v[] = { "K", "A", "B", "C", "O", "U", "unmatched" };
        static const char *const l[] = { "K fatal", "A serious injury", "B minor injury", "C possible injury",
                                         "O property damage only", "U unknown", "not on the network (not counted)" };
        static const struct sym s[] = { { "183,28,28,255", 3.4, "circle", NULL }, { "239,108,0,255", 2.8, "circle", NULL },
                                        { "253,216,53,255", 2.2, "circle", NULL }, { "124,179,66,255", 1.8, "circle", NULL },
                                        { "158,158,158,255", 1.4, "circle", NULL }, { "255,255,255,255", 1.4, "circle", NULL },
                                        { "120,144,156,110", 1.2, "cross2", NULL } };
        categorized(&t, "CASE WHEN \"match_status\" = 'unmatched' THEN 'unmatched' ELSE \"severity\" END", v, l, s, 7);
    } else if (!strcmp(name, "segments") || !strcmp(name, "windows") || !strcmp(name, "sections")) {
        by_rank(&t, n, 0);
    } else if (!strcmp(name, "intersections")) {
        by_rank(&t, n, 1);
    } else if (!strcmp(name, "hotspots")) {
        static const char *const v[] = { "crash_concentration", "peak_search", "sliding_window", "crp" };
        static const char *const l[] = { "crash concentration site", "peak searching", "sliding window",
                                         "continuous risk profile" };
        /* four hues apart: purple, pink, blue, teal */
        static const struct sym s[] = { { "142,36,170,160", 3.0, NULL, NULL }, { "216,27,96,160", 2.4, NULL, NULL },
                                        { "30,136,229,160", 2.0, NULL, NULL }, { "0,137,123,160", 2.0, NULL, NULL } };
        categorized(&t, "rule", v, l, s, 4);
    } else if (!strcmp(name, "plan")) {
        /* by an expression: a boolean field reads as true/false in QGIS, not 1/0 */
        static const char *const v[] = { "chosen", "alternative" };
        static const char *const l[] = { "chosen", "alternative not chosen" };
        static const struct sym s[] = { { "46,125,50,255", 1.6, NULL, NULL }, { "117,117,117,200", 0.5, NULL, "dash" } };
        categorized(&t, "CASE WHEN \"selected\" THEN 'chosen' ELSE 'alternative' END", v, l, s, 2);
    } else if (!strcmp(name, "work_lines")) {
        static const struct sym s = { "21,101,192,255", 1.4, NULL, NULL };
        single(&t, &s);
    } else if (!strcmp(name, "work_points")) {
        /* every item a work point can be (report/work_tables.c role_names, less strips) */
        static const char *const v[] = { "sign", "chevron", "device", "entry", "exit" };
        static const char *const l[] = { "sign", "chevron", "device", "section start", "section end" };
        static const struct sym s[] = { { "21,101,192,255", 3.0, "triangle", NULL },
                                        { "21,101,192,255", 2.6, "arrowhead", NULL },
                                        { "21,101,192,255", 2.4, "square", NULL },
                                        { "21,101,192,255", 2.6, "diamond", NULL },
                                        { "21,101,192,255", 2.6, "diamond", NULL } };
        categorized(&t, "item", v, l, s, 5);
    } else {
        return NULL;
    }
    if (t.nomem) {
        rb_free(t.s);
        *nomem = 1;
        rb_err_nomem(err);
        return NULL;
    }
    return t.s;
}

/* ---- coded value domains ----------------------------------------------------------- */

/* "no_coordinates" → "no coordinates" */
static char *spaced(const char *code)
{
    char *s = rb_strdup(code);
    for (char *p = s; p && *p; p++)
        if (*p == '_')
            *p = ' ';
    return s;
}

static int dom_add(struct rb_domain_def *d, const char *code, const char *label)
{
    for (size_t k = 0; k < d->n; k++)
        if (!strcmp(d->codes[k], code))
            return RB_OK;
    size_t cap = d->n;
    if (rb_grow((void **)&d->codes, &cap, d->n + 1, sizeof *d->codes))
        return RB_ENOMEM;
    cap = d->n;
    if (rb_grow((void **)&d->labels, &cap, d->n + 1, sizeof *d->labels))
        return RB_ENOMEM;
    d->codes[d->n] = rb_strdup(code);
    d->labels[d->n] = label ? rb_strdup(label) : spaced(code);
    if (!d->codes[d->n] || !d->labels[d->n]) {
        rb_free(d->codes[d->n]);
        rb_free(d->labels[d->n]);
        return RB_ENOMEM;
    }
    d->n++;
    return RB_OK;
}

/* the columns a domain is for (in any layer, or in the one named: a road
 * layer may carry its own 'surface'), its name in the output, and, for a
 * vocabulary of rumble's, its codes name(first) .. name(end - 1) */
static const struct {
    const char *col, *domain, *desc, *layer;
    const char *(*name)(int);
    int first, end;
} doms[] = {
    { "severity", "rumble_severity", "KABCO injury severity", NULL, NULL, 0, 0 },
    { "crash_type", "rumble_crash_type", "crash type", NULL, rb_crash_type_name, 0, RB_NCT },
    { "match_status", "rumble_match_status", "matched to a road or not", NULL, NULL, 0, 0 },
    { "unmatched_reason", "rumble_unmatched_reason", "why a crash is not on a road", NULL, rb_unmatched_name, 1,
      RB_NUNM },
    { "match_quality", "rumble_match_quality", "how well a crash is located", NULL, rb_quality_name, 0, RB_NQ },
    { "located_by", "rumble_located_by", "how a crash was located", NULL, rb_located_by_name, 0,
      RB_LOC_OVERRIDE + 1 },
    { "rule", "rumble_rule", "the screening rule that flagged a hotspot", NULL, NULL, 0, 0 },
    { "countermeasure", "rumble_countermeasure", "countermeasure (catalogue id)", NULL, NULL, 0, 0 },
    { "light", "rumble_light", "light condition at the crash", "crashes", rb_light_name, 0, RB_NLIGHT },
    { "surface", "rumble_surface", "road surface condition at the crash", "crashes", rb_surface_name, 0, RB_NSURF },
    { "weather", "rumble_weather", "weather at the crash", "crashes", rb_weather_name, 0, RB_NWX },
};
#define NDOMS (sizeof doms / sizeof *doms)
_Static_assert(NDOMS <= RB_STYLES_NDOMS, "rb_styles holds every domain");

static int fill_domain(size_t k, struct rb_domain_def *d, struct rb_layer *const *layers, size_t nl,
                       const struct rb_catalogue *cat)
{
    static const char *const sev[] = { "K", "A", "B", "C", "O", "U" };
    static const char *const sevl[] = { "fatal", "serious injury", "minor injury", "possible injury",
                                        "property damage only", "unknown" };
    static const char *const rules[] = { "crash_concentration", "peak_search", "sliding_window", "crp" };
    static const char *const rulel[] = { "crash concentration site", "peak searching", "sliding window",
                                         "continuous risk profile" };
    int rc = RB_OK;
    if (doms[k].name) {
        for (int j = doms[k].first; j < doms[k].end && !rc; j++)
            rc = dom_add(d, doms[k].name(j), NULL);
        return rc;
    }
    switch (k) {
    case 0:
        for (int j = 0; j < 6 && !rc; j++)
            rc = dom_add(d, sev[j], sevl[j]);
        break;
    case 2:
        rc = dom_add(d, "matched", NULL) || dom_add(d, "unmatched", NULL);
        break;
    case 6:
        for (int j = 0; j < 4 && !rc; j++)
            rc = dom_add(d, rules[j], rulel[j]);
        break;
    case 7:
        /* the catalogue's entries, then the combinations the layers hold ("a+b": names joined) */
        for (size_t j = 0; cat && j < cat->n && !rc; j++)
            rc = dom_add(d, cat->cm[j].id, cat->cm[j].name);
        for (size_t l = 0; l < nl && !rc; l++)
            for (size_t c = 0; c < layers[l]->ncols && !rc; c++) {
                const struct rb_layer_col *lc = &layers[l]->cols[c];
                if (strcmp(lc->name, "countermeasure"))
                    continue;
                for (size_t r = 0; r < layers[l]->nrows && !rc; r++) {
                    const char *v = rb_table_str(lc->tab, lc->col, layers[l]->rows ? layers[l]->rows[r] : r);
                    if (!v || !strchr(v, '+'))
                        continue;
                    char label[512] = "";
                    for (const char *p = v; *p;) {
                        size_t m = strcspn(p, "+");
                        const char *name = NULL;
                        for (size_t j = 0; cat && j < cat->n; j++)
                            if (strlen(cat->cm[j].id) == m && !strncmp(cat->cm[j].id, p, m))
                                name = cat->cm[j].name;
                        snprintf(label + strlen(label), sizeof label - strlen(label), "%s%.*s", *label ? " + " : "",
                                 name ? (int)strlen(name) : (int)m, name ? name : p);
                        p += m + (p[m] == '+');
                    }
                    rc = dom_add(d, v, label);
                }
            }
        break;
    }
    return rc;
}

int rb_report_styles_add(struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat,
                         struct rb_styles *st, struct rb_err *err)
{
    for (size_t l = 0; l < n && st->nqml < RB_STYLES_MAX; l++) {
        int nomem = 0;
        st->qml[st->nqml] = style_of(layers[l]->name, layers[l]->nrows, err, &nomem);
        if (nomem)
            return RB_ENOMEM;
        layers[l]->qml = st->qml[st->nqml++];
    }
    /* a domain for each coded column these layers have, made the first time one does */
    for (size_t k = 0; k < NDOMS; k++) {
        int used = 0;
        for (size_t l = 0; l < n; l++)
            for (size_t c = 0; c < layers[l]->ncols; c++)
                if (!strcmp(layers[l]->cols[c].name, doms[k].col) &&
                    (!doms[k].layer || !strcmp(layers[l]->name, doms[k].layer))) {
                    layers[l]->cols[c].domain = doms[k].domain;
                    used = 1;
                }
        int have = 0;
        for (size_t d = 0; d < st->ndom && !have; d++)
            have = !strcmp(st->dom[d].name, doms[k].domain);
        if (!used || have)
            continue;
        struct rb_domain_def *d = &st->dom[st->ndom++];
        d->name = doms[k].domain;
        d->desc = doms[k].desc;
        if (fill_domain(k, d, layers, n, cat))
            return rb_err_nomem(err);
    }
    return RB_OK;
}

int rb_report_styles(struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat, struct rb_styles *st,
                     struct rb_err *err)
{
    memset(st, 0, sizeof *st);
    int rc = rb_report_styles_add(layers, n, cat, st, err);
    if (rc)
        rb_styles_free(st);
    return rc;
}

void rb_styles_free(struct rb_styles *st)
{
    for (size_t l = 0; l < RB_STYLES_MAX; l++)
        rb_free(st->qml[l]);
    for (size_t k = 0; k < st->ndom; k++) {
        for (size_t j = 0; j < st->dom[k].n; j++) {
            rb_free(st->dom[k].codes[j]);
            rb_free(st->dom[k].labels[j]);
        }
        rb_free(st->dom[k].codes);
        rb_free(st->dom[k].labels);
    }
    memset(st, 0, sizeof *st);
}
