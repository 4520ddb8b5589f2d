/* report/tables: the `crashes` and `segments` layers of every run, and the
 * measures segments are ranked by. */
#ifndef RB_REPORT_TABLES_H
#define RB_REPORT_TABLES_H

#include "report/layer.h"

/* The `crashes` layer: every crash once, at its place, with its attributes and match. */
int rb_report_crashes(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The rows of the crash file set aside as not crash records (no geometry):
 * row, reason, text (the row's first value). */
int rb_report_rejected(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `segments` layer: the road geometry with its statistics and rank. Geometry is
 * in the working CRS; the caller transforms it (io) before writing. */
int rb_report_segments(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The measures segments can be ranked by, NULL-terminated; the first is the default. */
extern const char *const rb_rank_measures[];
/* The measure's name when known (NULL gives the default), else NULL. */
const char *rb_rank_measure(const char *name);
/* The values of ranking measure `measure` per segment (n_obs copied into tmp,
 * nsegs long, and tmp returned). */
const double *rb_rank_values(const struct rb_segstats *st, const char *measure, double *tmp);

/* The field names of the contract, for the README and the tests. */
extern const char *const rb_crash_fields[];
extern const char *const rb_segment_fields[];

#endif
