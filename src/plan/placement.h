/* plan/placement: the tables work orders place things by (data/placement.json):
 * advance-sign distances by approach speed, chevron spacing by curve radius,
 * the gaps strips keep. Read with cJSON (plan/placement.c); no GDAL here. */
#ifndef RB_PLAN_PLACEMENT_H
#define RB_PLAN_PLACEMENT_H

#include <stddef.h>
#include "core/core.h"

#define RB_PLACE_MAX 32
struct rb_placement {
    char sign_source[512], chevron_source[512];
    size_t nsign;                     /* advance signs: at speed_kmh or below, distance_m ahead */
    double sign_speed_kmh[RB_PLACE_MAX], sign_distance_m[RB_PLACE_MAX];
    size_t nchev;                     /* chevrons: on a curve of radius up to radius_m, spacing_m apart */
    double chev_radius_m[RB_PLACE_MAX], chev_spacing_m[RB_PLACE_MAX];   /* last radius may be INFINITY */
    int chev_min;                     /* at least this many on a curve */
    double gap_junction_m, gap_bridge_m, gap_settlement_m;   /* strips stop this far from each */
    double default_speed_kmh;         /* approach speed where the road has none */
    double device_offset_m;           /* points drawn this far off the centreline */
};

/* Reads the placement tables: path, or data_dir/placement.json when NULL. */
int rb_placement_read(const char *data_dir, const char *path, struct rb_placement *pl, struct rb_err *err);

#endif
