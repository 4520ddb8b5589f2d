/* report/plan_tables: the `plan` layer and the work orders (`work_lines`,
 * `work_points`, the `work` list). */
#ifndef RB_REPORT_PLAN_TABLES_H
#define RB_REPORT_PLAN_TABLES_H

#include "report/layer.h"

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

#endif
