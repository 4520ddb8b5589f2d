/* plan/curve: the radius along a polyline (the circle through three points
 * half_m apart), and the bends it makes. */
#include "plan/curve.h"
#include "core/core.h"
#include "net/route.h"

#include <math.h>

/* the point at distance s along the polyline */
static void point_at(const double *xy, const double *cum, size_t n, double s, double *x, double *y)
{
    double t;
    size_t i = rb_cum_find(cum, n, s, &t);
    size_t j = i + 1 < n ? i + 1 : i;
    *x = xy[2 * i] + t * (xy[2 * j] - xy[2 * i]);
    *y = xy[2 * i + 1] + t * (xy[2 * j + 1] - xy[2 * i + 1]);
}

size_t rb_curve_runs(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                     struct rb_curve_run *runs, size_t cap, double *min_radius_m, double *curve_len_m)
{
    *min_radius_m = INFINITY;
    *curve_len_m = 0;
    if (n < 2)
        return 0;
    double cum_small[64], *cum = n <= 64 ? cum_small : rb_mallocarray(n, sizeof *cum);
    if (!cum)
        return 0;
    cum[0] = 0;
    for (size_t i = 1; i < n; i++)
        cum[i] = cum[i - 1] + hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    double L = cum[n - 1];
    size_t nruns = 0;
    int open = 0, cur_turn = 0;
    for (double s = half_m; s <= L - half_m + 1e-9; s += step_m) {
        double x0, y0, x1, y1, x2, y2;
        point_at(xy, cum, n, s - half_m, &x0, &y0);
        point_at(xy, cum, n, s, &x1, &y1);
        point_at(xy, cum, n, s + half_m, &x2, &y2);
        double a = hypot(x1 - x0, y1 - y0), b = hypot(x2 - x1, y2 - y1), c = hypot(x2 - x0, y2 - y0);
        double cross = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
        double r = fabs(cross) > 1e-9 * a * b ? a * b * c / (2 * fabs(cross)) : INFINITY;   /* R = abc / (4 area) */
        int turn = cross > 0 ? 1 : -1;
        *min_radius_m = fmin(*min_radius_m, r);
        if (!(r < max_radius_m)) {
            open = 0;
            continue;
        }
        *curve_len_m += step_m;
        /* a run is one bend: a change of hand (an S) starts another */
        if (open && cur_turn == turn) {
            if (runs && nruns <= cap) {
                runs[nruns - 1].to_m = s + step_m / 2;
                runs[nruns - 1].min_radius_m = fmin(runs[nruns - 1].min_radius_m, r);
            }
            continue;
        }
        if (runs && nruns < cap)
            runs[nruns] = (struct rb_curve_run){ s - step_m / 2, s + step_m / 2, r, turn };
        nruns++;
        open = 1;
        cur_turn = turn;
    }
    if (cum != cum_small)
        rb_free(cum);
    return nruns;
}

void rb_curve_scan(const double *xy, size_t n, double half_m, double step_m, double max_radius_m,
                   double *min_radius_m, double *curve_len_m)
{
    rb_curve_runs(xy, n, half_m, step_m, max_radius_m, NULL, 0, min_radius_m, curve_len_m);
}
