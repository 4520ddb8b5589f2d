/* cli/locate_stage: after matching by coordinates — crashes placed or checked
 * by road and measure (with kilometre posts), the analyst's overrides, and
 * each crash's grade. */
#ifndef RB_CLI_LOCATE_STAGE_H
#define RB_CLI_LOCATE_STAGE_H

#include "cli/cli.h"
#include "match/lref.h"

struct overrides {
    size_t rows, applied, stale;     /* rows read; applied; no longer applying (crash or segment gone) */
};

/* Fills loc (allocated, one per crash): moves crashes to the road their
 * record names (cfg->road_field) when it lies within tolerance; places by road and measure when
 * lr_on (routes built), applies cfg->overrides_path, grades every crash.
 * Crashes placed here get their output point (out_x, out_y) moved to it. */
/* Each segment's grade for rb_match_opt.grade (allocated; NULL when the roads
 * have no layer, bridge or tunnel field, or memory ran out — check the fields
 * to tell which). */
int8_t *seg_grades(const struct rb_roads *roads, const struct rb_vocab *vocab);

int locate_crashes(const struct rb_config *cfg, const struct rb_roads *roads, const struct rb_net *net,
                   const struct rb_netindex *ix, const struct rb_match_opt *mopt, const struct rb_routes *routes, struct rb_crashes *crashes, struct rb_match *match, int lr_on,
                   struct rb_locate **loc, struct rb_lref *lref, struct overrides *ovr, struct rb_log *log,
                   struct rb_err *err);

#endif
