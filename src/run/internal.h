/* run/internal: what the run's files share and nothing outside run/ needs. */
#ifndef RB_RUN_INTERNAL_H
#define RB_RUN_INTERNAL_H

#include "run/run.h"

#include <stdio.h>

/* The next item of a comma list, trimmed of spaces, into buf; returns where
 * the item after it starts. */
const char *rb_run_list_item(const char *p, char *buf, size_t bufsz);

/* run.c: gives back what only the stages before writing use (the crashes
 * sorted by route and junction, the counting facts, peaks, the risk profile,
 * the spatial index), so the output layers are built in their room. */
void rb_run_release(struct rb_run *run);

/* run.c: the column a layer of a rumble output must have, or an error naming
 * the file, layer and field and asking whether it is a WHAT output. */
long rb_run_need_layer_col(const struct rb_table *t, const char *name, const char *path, const char *layer,
                           const char *what, struct rb_err *err);

/* match.c: segment s's id: the mapped field's text (into buf when a number),
 * else its feature id. */
const char *rb_run_road_id(const struct rb_roads *roads, size_t s, char *buf, size_t n);

/* partition.c: the region's roads and halo kept (after reading the roads);
 * each crash's status and the rows written (after matching). */
int rb_run_partition_roads(struct rb_run *run);
int rb_run_partition_crashes(struct rb_run *run);
void rb_run_partition_free(struct rb_run_part *p);

/* locate.c: the road the record names, direction of travel, placement by
 * road and measure with kilometre posts, the analyst's overrides, grades. */
int8_t *rb_run_seg_grades(const struct rb_roads *roads, const struct rb_vocab *vocab);
int rb_run_locate(struct rb_run *run, const struct rb_match_opt *mopt, int lr_on);
/* Tells the progress display that a step of a stage begins (no count). */
static inline void rb_run_step(const struct rb_run *run, const char *what)
{
    if (run->opt.progress.fn)
        run->opt.progress.fn(run->opt.progress.ud, what, 0, 0);
}
/* The findings (rb_find) after matching: crashes on the roads (and which
 * reading of their coordinates would put more there), dates and the study
 * period, the fields the measures need, routes split at gaps. */
int rb_run_trust_match(struct rb_run *run);
/* After screening (or counting, for match): the ranking measure has a value somewhere. */
int rb_run_trust_screen(struct rb_run *run);

/* plan.c: the planning stage on the arrays of a screening, fresh or saved. */
struct rb_run_plan_in {
    const struct rb_sites *seg_sites;
    const struct rb_hotspots *hot;
    size_t ncrash;                       /* every crash: */
    const struct rb_plan_crash *crash;   /* type, severity, light, surface */
    const int64_t *crash_seg;            /* matched segment, -1 none */
    const double *chainage_m;
    const uint8_t *counted;              /* 1 when in the study (matched, in the period) */
    const uint8_t *urban;                /* per segment, when roads.area is mapped */
    const struct rb_polyindex *settle;   /* settlement polygons, NULL when none */
    const struct rb_junctions *junc;     /* intersections and their screening (NULL: none) */
    const struct rb_sites *int_sites;
    const int64_t *crash_junction;       /* per crash: its junction, -1 none */
    const struct rb_spf *spf;            /* the screening's SPF, for the sites' own EB (NULL: none; a set's
                                            members when the segment sites have spf_ix) */
    int nyears;                          /* the study's years (0: not known) */
};
int rb_run_plan_stage(struct rb_run *run, const struct rb_run_plan_in *in);
/* systemic.c: the systemic programme (plan.systemic) after the plan's choice
 * and work orders: risk factors, weights, scores, the budget's choice, its
 * work orders appended to the plan's. */
int rb_run_systemic(struct rb_run *run, const struct rb_run_plan_in *in);
void rb_run_systemic_free(struct rb_run_systemic *s);
/* coverage.c: lit road (roads.lit) and existing assets (assets.path) as
 * stretches of the routes, their figures, and each segment's present
 * countermeasures (seg_road[].present), before the plan's sites are made. */
int rb_run_coverage(struct rb_run *run, const struct rb_run_plan_in *in);
void rb_run_coverage_free(struct rb_run_coverage *c);
/* After the plan's sites are made: a site has an asset's countermeasure when
 * a device of it stands on the site or its stretches cover half the site or
 * more (the segments' own say stands for lit road). */
void rb_run_coverage_sites(struct rb_run *run);
/* The names of enum rb_sys_status. */
extern const char *const rb_sys_status_names[];
void rb_run_plan_free(struct rb_run_plan *ps);
/* The plan's option values, checked (rb_run_check calls it before any work). */
int rb_run_plan_check(const struct rb_config *cfg, struct rb_err *err);

/* screen.c */
void rb_run_pops_free(struct rb_run_pops *p);
/* The SPF named by screen.spf (an id in data/spf, or a file) read into
 * run->spf (have_spf); none named: nothing. */
int rb_run_spf(struct rb_run *run);
/* An SPF's file: the name itself when it is a path or a .json, else spf/NAME.json in the data directory. */
void rb_run_spf_path(const char *data_dir, const char *spf, char *path, size_t n);
/* A focus group by name (night, wet_icy, rain, snow, fog, wind; the vehicle
 * groups motorcycle, moped, e_scooter, heavy_vehicle, from RB_RUN_FOCUS_VEHICLE
 * on): its index, or -1; whether a crash is in it (focus -1: none is). */
#define RB_RUN_FOCUS_VEHICLE 6
int rb_run_focus_parse(const char *key);
int rb_run_focus_has(int focus, const struct rb_crash *c);
/* A traffic control word: 1 signal, 0 stop or yield, -1 not known. */
int rb_run_control(const char *t);
/* Segment s's area from roads.area: 1 urban, 0 rural, -1 not known. */
int rb_run_road_area(const struct rb_run *run, size_t s);
/* Why segment s's road lies outside an SPF's base conditions (its
 * base_conditions: area, lanes, divided), as RB_SPF_OFF_ bits; 0 it fits.
 * An attribute the roads do not give meets the condition. area: the road's,
 * rb_run_road_area. */
enum { RB_SPF_OFF_AREA = 1, RB_SPF_OFF_LANES = 2, RB_SPF_OFF_DIVIDED = 4 };
unsigned rb_run_spf_off(const struct rb_run *run, const struct rb_spf *spf, size_t s, int area);
/* A column of a command's table by name, or an error naming the columns there are. */
long rb_run_need_col(const struct rb_table *t, const char *name, const char *what, const char *cmd, const char *path,
                     struct rb_err *err);
/* The CURE plot by fitted value mu as a CSV text (rows[i]: site i's table row),
 * with the points outside the two-sigma band and the largest |cum|. */
char *rb_run_cure_text(const size_t *rows, const double *y, const double *mu, size_t n, size_t *outside,
                       double *max_dev, struct rb_err *err);
/* The SPFs the sites use: a set's members (indexed by the sites' spf_ix), the
 * one SPF, or NULL. */
const struct rb_spf *rb_run_spf_array(const struct rb_run *run);
/* settlements: polygons read and indexed (run->pix) */
int rb_run_settlements(struct rb_run *run);

/* calibrate.c: one segment SPF by id in data/spf or a file (a set, or an
 * intersection SPF, is RB_EUSAGE naming cmd); any other variable an SPF names
 * as a table row's column of that name (ud: a struct rb_run_row). */
int rb_run_segment_spf(const char *cmd, const char *name, const char *data_dir, struct rb_spf *spf,
                       struct rb_err *err);
struct rb_run_row {
    const struct rb_table *t;
    size_t row;
};
double rb_run_row_attr(const char *name, void *ud);

/* check.c: the names of the JSON files in a data subdirectory ("spf",
 * "locale"), comma separated, into list. */
void rb_run_data_ids(const char *data_dir, const char *sub, char *list, size_t n);
/* check.c: the files a run reads and writes, compared by their real paths. */
int rb_run_check_paths(struct rb_run *run);

#endif
