/* cli/plan_stage: the planning step run after screening by `rumble run`. */
#ifndef RB_CLI_PLAN_STAGE_H
#define RB_CLI_PLAN_STAGE_H

#include "cli/cli.h"
#include "plan/plan.h"
#include "match/match.h"
#include "screen/screen.h"
#include "report/report.h"

extern const struct rb_opt rb_plan_opts[];

struct plan_stage_in {
    const struct rb_config *cfg;
    const struct rb_costs *costs;
    const struct rb_roads *roads;
    const struct rb_net *net;
    const struct rb_routes *routes;
    const struct rb_sites *seg_sites;
    const struct rb_hotspots *hot;
    size_t ncrash;                 /* every crash: */
    const struct rb_plan_crash *crash;   /* type, severity, light, surface */
    const int64_t *crash_seg;      /* matched segment, -1 none */
    const double *chainage_m;
    const uint8_t *counted;        /* 1 when in the study (matched, in the period) */
    const uint8_t *urban;          /* per segment, when roads.area is mapped */
    const struct rb_vocab *vocab;  /* yes/no words of the bridge and divided fields */
    const struct rb_polyindex *settle;   /* settlement polygons, NULL when none */
    const struct rb_junctions *junc;     /* intersections and their screening (NULL: none) */
    const struct rb_sites *int_sites;
    const int64_t *crash_junction;       /* per crash: its junction, -1 none */
};

struct plan_stage {
    struct rb_catalogue cat;
    struct rb_plan plan;
    struct rb_plan_site *sites;
    size_t nsites;
    struct rb_plan_crash *crash, *ref;
    size_t nref;
    struct rb_placement place;
    struct rb_plan_road *seg_road;
    struct rb_gap *gaps;
    size_t ngaps;
    struct rb_layout_ctx lay;
    struct rb_works works;         /* the selected alternatives' work orders */
};

/* The plan's view of the crashes of a match: facts, segment and whether counted. */
int plan_stage_crashes(const struct rb_crashes *crashes, const struct rb_match *match, const struct rb_period *period,
                       struct rb_plan_crash **crash, int64_t **seg, uint8_t **counted);
/* Prints the plan and its work orders (stdout). */
void plan_stage_print(const struct plan_stage *ps, const struct rb_routes *routes);

/* The output layers of a plan: plan, work_lines, work_points (in the output
 * CRS, layers[0..3)) and the work list (no geometry). */
struct rb_match_run;
struct plan_out {
    struct rb_out_layer plan, lines, points, list;
    struct rb_layer *layers[3];
    size_t *order;
    int built;
};
int plan_out_build(struct plan_out *po, const struct plan_stage *ps, const struct rb_match_run *run,
                   const struct rb_roads *roads, struct rb_err *err);
void plan_out_free(struct plan_out *po);

int plan_stage_run(struct plan_stage *ps, const struct plan_stage_in *in, struct rb_err *err);
void plan_stage_free(struct plan_stage *ps);

#endif
