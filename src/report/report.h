/* report: the output tables and the JSON summary, built from what the stages
 * made. The tables are handed to io to write; nothing here touches GDAL. */
#ifndef RB_REPORT_H
#define RB_REPORT_H

#include "core/core.h"
#include "core/table.h"
#include "io/io.h"
#include "net/net.h"
#include "match/match.h"
#include "screen/screen.h"
#include "screen/sites.h"
#include "net/route.h"
#include "screen/junctions.h"
#include "plan/plan.h"
#include "match/lref.h"

/* Everything one `rumble match` run produced, borrowed. */
struct rb_match_run {
    const struct rb_config *cfg;
    const struct rb_roads *roads;
    const struct rb_net *net;
    const struct rb_crashes *crashes;
    const struct rb_match *match;       /* per crash */
    const struct rb_period *period;
    const struct rb_segstats *stats;
    const double *epdo_weight;          /* K A B C O */
    const struct rb_costs *costs;
    const struct rb_log *log;
    /* screening (rumble screen); all NULL for rumble match */
    const struct rb_routes *routes;
    const double *chainage_m;           /* per crash, NaN when unmatched */
    const struct rb_sites *seg_sites;   /* segments as sites, same order as the network */
    const struct rb_sites *windows;
    const struct rb_hotspots *hotspots;
    const struct rb_spf *spf;
    const char *rank_by;                /* the screening measure ranked by */
    const char *peak_measure;           /* the measure peak searching used */
    const struct rb_junctions *junctions;
    const struct rb_sites *int_sites;   /* the junctions as sites, same order */
    const struct rb_sections *sections; /* homogeneous sections, NULL when not asked for */
    const int64_t *crash_junction;      /* per crash: the junction it belongs to, -1 none */
    const char *const *pop_names;       /* the reference populations' names (sites' pop), NULL: one */
    size_t npop;
    /* planning (rumble run); NULL otherwise */
    const struct rb_plan *plan;
    const struct rb_catalogue *catalogue;
    size_t plan_sites;
    const struct rb_works *works;       /* the selected alternatives' work orders */
    /* how each crash was located (NULL: by coordinates alone) */
    const struct rb_locate *locate;
    const struct rb_lref *lref;         /* road-and-measure placement, NULL when off */
    size_t overrides_applied, overrides_stale;
};

/* A built output layer with the columns and geometry it owns. Its layer points
 * into the struct itself: build it where it will stay, never copy it. */
struct rb_out_layer {
    struct rb_layer layer;      /* what io writes */
    struct rb_table own;        /* computed columns */
    char **names;               /* output names of borrowed input columns */
    size_t nnames;
    size_t *part_off, *pt_off;
    double *xy;                 /* output CRS */
};

/* The `crashes` layer: every crash once, at its place, with its attributes and match. */
int rb_report_crashes(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `segments` layer: the road geometry with its statistics and rank. Geometry is
 * in the working CRS; the caller transforms it (io) before writing. */
int rb_report_segments(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
void rb_out_layer_free(struct rb_out_layer *o);

/* Shared by the table builders: metres rounded to the millimetre; an owned
 * column added to a layer under its name. */
double rb_report_mm(double v);
int rb_report_own_col(struct rb_out_layer *o, const char *name, int type, size_t *col);
/* Line geometry of n stretches along the routes, in the working CRS. */
int rb_report_route_geometry(const struct rb_match_run *run, struct rb_out_layer *o, size_t n,
                             const uint32_t *route, const double *from_m, const double *to_m);
/* "km 123+450": a chainage in metres as crews write it. */
const char *rb_report_km(double m, char *buf, size_t n);

/* The `plan` layer: one row per site and alternative considered, with its
 * appraisal and whether the budget choice selected it. */
int rb_report_plan(const struct rb_match_run *run, const struct rb_catalogue *cat, const struct rb_plan_site *sites,
                   const struct rb_plan *plan, const char *currency, struct rb_out_layer *o, struct rb_err *err);
/* Work orders: the order of works by route id, chainage, countermeasure and
 * direction (to rb_free); the `work_lines` layer (strips, line geometry),
 * the `work_points` layer (signs, chevrons, devices) and the `work` list of
 * both without geometry, each in that order with work_id its place in it. */
extern const char *const rb_work_fields[];
int rb_report_work_order(const struct rb_works *works, const struct rb_routes *routes, const struct rb_catalogue *cat,
                         size_t **order, struct rb_err *err);
int rb_report_work_lines(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                         struct rb_err *err);
int rb_report_work_points(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                          struct rb_err *err);
int rb_report_work_list(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                        struct rb_err *err);
/* Point geometry of n rows from x[i], y[i] (stride bytes apart); NaN rows get none. */
int rb_report_points(struct rb_out_layer *o, size_t n, const double *x, const double *y, size_t stride);

/* The measure columns of every screening site layer (segments of rumble screen,
 * windows, intersections), NULL-terminated, and one site's values in that order. */
#define RB_NSITE_FIELDS 15
extern const char *const rb_site_fields[];
void rb_report_site_values(const struct rb_sites *s, size_t i, double v[RB_NSITE_FIELDS]);

/* The `windows` and `hotspots` layers of rumble screen, geometry in the working CRS. */
int rb_report_windows(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `sections` layer: as windows, with section_id, n_segments, first_segment, last_segment. */
int rb_report_sections(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
int rb_report_hotspots(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `intersections` layer: one point per junction with its legs, entering
 * volume and measures (rates per million entering vehicles). */
int rb_report_intersections(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* A junction's intersection_id: the point layer's id, else N and the node number. */
const char *rb_report_junction_id(const struct rb_junctions *j, size_t i, char *buf, size_t n);

/* The JSON summary. timings (name/seconds pairs, n of them) may be NULL to leave
 * them out, which makes the summary reproducible byte for byte. outputs lists
 * the files written. Returns a string to rb_free, or NULL when memory runs out. */
char *rb_report_summary(const struct rb_match_run *run, const char *const *outputs, size_t noutputs,
                        const char *const *timing_names, const double *timing_s, size_t ntimings);

/* The summary of `rumble plan --screen`: its inputs and the plan object. */
char *rb_report_plan_summary(const struct rb_match_run *run, const char *screen_path, const char *hotspots_layer,
                             const char *const *outputs, size_t noutputs);

/* The measures segments can be ranked by, NULL-terminated; the first is the default. */
extern const char *const rb_rank_measures[];
/* The measure's name when known (NULL gives the default), else NULL. */
const char *rb_rank_measure(const char *name);

/* The field names of the contract, for the README and the tests. */
extern const char *const rb_crash_fields[];
extern const char *const rb_segment_fields[];

/* QGIS-ready outputs: each layer's default style (QML: crashes by severity,
 * segments, windows, sections and intersections graduated by rank, hotspots by
 * rule, the plan by chosen or not, work orders) and the coded value domains of
 * its coded columns (severity, crash type, match status and reason, match
 * quality, located by, rule, countermeasure with the catalogue's names).
 * rb_report_styles sets each layer's qml and its columns' domain (owned by
 * st); the caller adds st's domains to the output (rb_out_add_domain) before
 * writing the layers. */
#define RB_STYLES_MAX 16
struct rb_domain_def {
    const char *name, *desc;
    size_t n;
    char **codes, **labels;
};
struct rb_styles {
    char *qml[RB_STYLES_MAX];
    size_t nqml;
    struct rb_domain_def dom[8];
    size_t ndom;
};
int rb_report_styles(struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat, struct rb_styles *st,
                     struct rb_err *err);
void rb_styles_free(struct rb_styles *st);

#endif
