/* report/screen_tables: the layers of rumble screen — windows, sections,
 * hotspots and intersections. */
#ifndef RB_REPORT_SCREEN_TABLES_H
#define RB_REPORT_SCREEN_TABLES_H

#include "report/layer.h"

/* The `windows` and `hotspots` layers of rumble screen, geometry in the working CRS. */
int rb_report_windows(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `sections` layer: as windows, with section_id, n_segments, first_segment, last_segment. */
int rb_report_sections(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
int rb_report_hotspots(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);
/* The `intersections` layer: one point per junction with its legs, entering
 * volume and measures (rates per million entering vehicles). */
int rb_report_intersections(const struct rb_match_run *run, struct rb_out_layer *out, struct rb_err *err);

#endif
