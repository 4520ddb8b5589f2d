/* screen/hotspots: the stretches screening flags — crash concentration sites
 * (очаги аварийности) found from the crashes themselves, and the top sites of
 * a ranking rule (sliding windows, peak searching, the continuous risk
 * profile) — as one list with the rule that flagged each. */
#ifndef RB_HOTSPOTS_H
#define RB_HOTSPOTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "net/route.h"
#include "screen/screen.h"

/* Crash concentration sites (очаги аварийности): a stretch of at most
 * max_len_m (rural) or max_len_urban_m (in settlements) where, within
 * window_days, at least same_type injury crashes of one type or any_type injury
 * crashes of any type occurred; property-damage-only crashes do not count.
 * Overlapping stretches merge. */
struct rb_ccs_opt {
    double max_len_m, max_len_urban_m;
    int window_days, same_type, any_type;
    const uint8_t *urban;           /* per segment: 1 inside a settlement (may be NULL) */
    const uint8_t *crash_urban;     /* per crash, ahead of urban: 1 inside a settlement (may be NULL) */
};

enum rb_hotspot_rule { RB_HS_CCS, RB_HS_SLIDING, RB_HS_PEAK, RB_HS_CRP, RB_NHS };
const char *rb_hotspot_rule_name(int rule);     /* "crash_concentration", "sliding_window", ... */

struct rb_hotspots {
    size_t n, cap;
    uint8_t *rule;                  /* enum rb_hotspot_rule */
    double *value;                  /* the measure that flagged it (crash concentration: n_qualifying) */
    uint32_t *route;
    double *from_m, *to_m;
    uint32_t *n_crashes;            /* injury crashes in the stretch over the whole period */
    uint32_t *n_qualifying;         /* in the qualifying 12 months */
    int32_t *period_start, *period_end;   /* days since 1970 */
    uint8_t *by_type;               /* 1: the same-type test qualified it (type in crash_type) */
    uint8_t *crash_type;
};

int rb_crash_concentration(const struct rb_routes *r, const struct rb_route_crash *c, size_t n,
                           const struct rb_ccs_opt *opt, struct rb_hotspots *h, struct rb_err *err);
void rb_hotspots_free(struct rb_hotspots *h);

/* Hotspots of a ranking rule: the top sites by key (NaN and values <= 0 never),
 * skipping any that overlaps one already taken on its route. Appends to h. */
int rb_hotspots_top(struct rb_hotspots *h, int rule, size_t top, size_t nsites, const uint32_t *route,
                    const double *from_m, const double *to_m, const double *key, const uint32_t *n_obs,
                    struct rb_err *err);

#endif
