/* report/summary: the JSON summary of a run (cJSON). */
#ifndef RB_REPORT_SUMMARY_H
#define RB_REPORT_SUMMARY_H

#include "report/layer.h"

/* The JSON summary. timings (name/seconds pairs, n of them) may be NULL to leave
 * them out, which makes the summary reproducible byte for byte. outputs lists
 * the files written. Returns a string to rb_free, or NULL when memory runs out. */
char *rb_report_summary(const struct rb_match_run *run, const char *const *outputs, size_t noutputs,
                        const char *const *timing_names, const double *timing_s, size_t ntimings);

/* The summary of `rumble plan --screen`: its inputs and the plan object. */
char *rb_report_plan_summary(const struct rb_match_run *run, const char *screen_path, const char *hotspots_layer,
                             const char *const *outputs, size_t noutputs);

#endif
