/* report/layer: what the table builders share — the borrowed view of a run
 * they read (struct rb_match_run), the output layer they build, and the
 * helpers every builder uses (owned columns, point and route geometry,
 * rounding, chainages, the screening sites' measure columns, junction ids). */
#ifndef RB_REPORT_LAYER_H
#define RB_REPORT_LAYER_H

#include "plan/systemic.h"
#include "plan/coverage.h"
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
    /* a set of SPFs (screen.spf a set): its id, members, each segment's and how many of each */
    const char *spf_set;                /* NULL: one SPF or none */
    const struct rb_spf *spfs;
    size_t nspf;
    const uint32_t *seg_spf;            /* per segment, its member */
    const size_t *spf_count;            /* segments of each member */
    size_t spf_fallback, spf_fallback_ix;   /* segments that fit no member; the member they fell back to */
    /* intersection models (screen.int_spf), NULL: none */
    const struct rb_spf_set *int_spf;
    const size_t *int_spf_count;
    size_t int_no_model, int_assumed_stop;
    /* sites whose SPF took a default for a variable they do not give (a
     * speed limit, driveways, pedestrian volume) */
    size_t spf_defaults_segments, spf_defaults_intersections;
    /* per SPF x RB_SPF_MAXCMF: sites whose attribute for the CMF was given, and
     * those at base conditions (NULL: none); the segments' SPFs are spfs (a
     * set) or spf, the intersections' int_spf */
    const size_t *seg_cmf_given, *seg_cmf_base, *int_cmf_given, *int_cmf_base;
    /* a partition (rumble match --partition): its KEY=VALUE, the road layer's
     * segments, the region's, those kept around it, and its crashes by status
     * (own, halo, in, out); NULL: a whole run */
    const char *partition;
    size_t part_roads, part_owned, part_halo;
    const size_t *part_crashes;
    /* a systemic programme (plan.systemic), NULL none */
    const struct rb_sys_summary *systemic;
    /* what the network already has (roads.lit, assets.path), NULL none */
    const struct rb_cov_summary *coverage;
    const struct rb_plan_site *sites;   /* the plan's sites (plan_sites of them), NULL none */
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
/* The post of a chainage in the run's units (config units): "km 123+450", or
 * with units "us" the milepost "MP 76.71". */
int rb_report_us(const struct rb_config *cfg);
const char *rb_report_post(const struct rb_config *cfg, double m, char *buf, size_t n);
/* A post column's name in the run's units: from_km, to_km become from_mp, to_mp. */
const char *rb_report_post_col(const struct rb_config *cfg, const char *name);

/* Point geometry of n rows from x[i], y[i] (stride bytes apart); NaN rows get none. */
int rb_report_points(struct rb_out_layer *o, size_t n, const double *x, const double *y, size_t stride);

/* The measure columns of every screening site layer (segments of rumble screen,
 * windows, intersections), NULL-terminated, and one site's values in that order. */
#define RB_NSITE_FIELDS 15
extern const char *const rb_site_fields[];
void rb_report_site_values(const struct rb_sites *s, size_t i, double v[RB_NSITE_FIELDS]);

/* A junction's intersection_id: the point layer's id, else N and the node number. */
const char *rb_report_junction_id(const struct rb_junctions *j, size_t i, char *buf, size_t n);

#endif
