/* report/styles: QGIS-ready outputs — each layer's QML style and the coded
 * value domains of its columns. */
#ifndef RB_REPORT_STYLES_H
#define RB_REPORT_STYLES_H

#include "core/core.h"
#include "core/table.h"
#include "plan/catalogue.h"

/* QGIS-ready outputs: each layer's default style (QML: crashes by severity,
 * segments, windows, sections and intersections graduated by rank, hotspots by
 * rule, the plan by chosen or not, work orders) and the coded value domains of
 * its coded columns (severity, crash type, match status and reason, match
 * quality, located by, rule, countermeasure with the catalogue's names).
 * rb_report_styles sets each layer's qml and its columns' domain (owned by
 * st); the caller adds st's domains to the output (rb_out_add_domain) before
 * writing the layers. */
#define RB_STYLES_MAX 16
#define RB_STYLES_NDOMS 16   /* at least the coded columns styles.c knows */
struct rb_domain_def {
    const char *name, *desc;
    size_t n;
    char **codes, **labels;
};
struct rb_styles {
    char *qml[RB_STYLES_MAX];
    size_t nqml;
    struct rb_domain_def dom[RB_STYLES_NDOMS];
    size_t ndom;
};
int rb_report_styles(struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat, struct rb_styles *st,
                     struct rb_err *err);
/* The same for layers written a few at a time: the next layers' styles, and
 * the domains their columns use that st does not hold yet, appended to
 * st->dom (the caller adds those to the output before writing the layers).
 * st starts zeroed; rb_styles_free frees it whatever happened. */
int rb_report_styles_add(struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat,
                         struct rb_styles *st, struct rb_err *err);
void rb_styles_free(struct rb_styles *st);

#endif
