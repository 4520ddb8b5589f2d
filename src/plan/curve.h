/* plan/curve: curves from the geometry — the radius along a polyline and the
 * bends it makes, for the catalogue's curve conditions and chevron layout. */
#ifndef RB_PLAN_CURVE_H
#define RB_PLAN_CURVE_H

#include <stddef.h>

/* Scans a polyline (metric coordinates) for curvature: at every step_m along
 * it, the radius of the circle through the points half_m before and after.
 * Gives the smallest radius (INFINITY on a straight) and the length along
 * which the radius is below max_radius_m. */
void rb_curve_scan(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                   double *min_radius_m, double *curve_len_m);

/* The bends of the same scan: stretches (positions along the polyline) where
 * the radius stays below max_radius_m turning one way (turn +1 left, -1 right
 * of the polyline's direction), each with its smallest radius. Writes up to
 * cap runs and returns how many there are. */
struct rb_curve_run {
    double from_m, to_m, min_radius_m;
    int turn;
};
size_t rb_curve_runs(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                     struct rb_curve_run *runs, size_t cap, double *min_radius_m, double *curve_len_m);

#endif
