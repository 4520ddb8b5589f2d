/* screen/sites: sites along routes (segments as given, sliding windows,
 * homogeneous sections, bins) and points (intersections) with the HSM's
 * performance measures, peak searching, and the continuous risk profile.
 * The hotspots these flag are in screen/hotspots.h, included here for the
 * code that has always found them through this header. */
#ifndef RB_SITES_H
#define RB_SITES_H

#include <stdint.h>
#include "core/core.h"
#include "net/route.h"
#include "screen/screen.h"
#include "screen/spf.h"
#include "screen/hotspots.h"

struct rb_sites {
    size_t n;
    uint32_t *route;        /* route index */
    double *from_m, *to_m, *length_m, *aadt;
    uint32_t *n_obs, *n_sev;        /* n_sev: n x RB_NSEV */
    double *mvkm;                   /* million vehicle-km over the period */
    double *freq_per_yr, *rate_per_mvkm, *crit_rate_per_mvkm, *rate_ratio;
    double *epdo, *epdo_per_yr;
    double *pred_per_yr, *k, *eb_weight, *eb_per_yr, *excess_per_yr;
    double *rsi_sum;                /* RSI costs of its crashes, summed */
    uint32_t *n_target;             /* crashes of the target type */
    /* the population measures (HSM Part B, Chapter 4; see screen/measures.h) */
    double *rsi, *rsi_excess;       /* average RSI cost per crash; minus the population's */
    double *mom_excess_per_yr;      /* method of moments: adjusted frequency minus the mean */
    double *excess_spf_per_yr;      /* observed minus SPF-predicted frequency */
    double *loss;                   /* level of service of safety 1..4, NaN without an SPF */
    double *p_target;               /* observed proportion of the target type */
    double *p_exceed;               /* P(long-term proportion > the population's), beta model */
    double *excess_prop;            /* p_target minus the population's proportion */
    double *eb_epdo_per_yr;         /* EB-adjusted EPDO frequency */
    uint32_t *rank;
    double *aadt_yr;                /* n x ny AADT by study year (NULL: aadt every year) */
    size_t ny;
    uint32_t *pop;                  /* reference population of each site, < npop (NULL: all one) */
    size_t npop;
    uint32_t *spf_ix;               /* each site's SPF in opt->spf[] (a set's member, UINT32_MAX none;
                                       NULL: the one) */
    const double *aadt_major, *aadt_minor;   /* intersections: each site's major and minor road AADT
                                                (borrowed; the SPF variables aadt_major, aadt_minor,
                                                aadt_total and aadt_ratio, minor over major) */
    uint32_t *unit;                 /* the segment (or intersection) whose attributes the site's SPF reads
                                       (opt->unit_attr; UINT32_MAX none; NULL: site i is unit i) */
    double *pred_fi_share;          /* the SPF's fatal-and-injury share of its prediction (NaN: it has none) */
    uint8_t *spf_defaults;          /* SPF variables the site did not give, taken at the SPF's defaults */
    double *cmf;                    /* the product of its SPF's CMFs for actual conditions (1: base) */
    uint32_t *cmf_base;             /* bit j: the SPF's CMF j at base conditions, its attribute not given */
};

struct rb_screen_opt {
    double window_m, step_m;        /* sliding windows (HSM: 0.3 mi / 0.1 mi) */
    double confidence_p;            /* critical rate's P (1.645 for 95 %) */
    const struct rb_spf *spf;       /* NULL: no predicted or EB measures; with sites' spf_ix, an
                                       array (a set of SPFs, one for each site type) */
    const double *epdo_weight;      /* K A B C O */
    const struct rb_period *period;
    const double *rsi_cost;         /* RB_NCT costs by crash type, NULL: no RSI */
    int target_type;                /* enum rb_crash_type for the proportion measures, -1 none; RB_NCT:
                                       the crashes flagged target (a focus group of conditions) */
    const double *seg_aadt_yr;      /* nsegs x ny AADT by study year, NULL: the one AADT */
    size_t ny;
    const uint32_t *seg_spf;        /* per segment, its SPF in spf[] (a set); NULL: the one */
    const char *const *attr_name;   /* the SPF variables the units (segments, or intersections) give: */
    size_t nattr;                   /* nattr names, ...                                                */
    const double *unit_attr;        /* ... units x nattr values (NaN not known); see rb_sites.unit     */
    const double *unit_length_m;    /* each unit's length (NULL none): a site takes its unit's counts
                                       (driveways) pro rata, as unit_length_share */
};

/* Relative severity index costs by crash type: the mean crash cost (by KABCO
 * cost) of the period's matched crashes of each type with a known severity;
 * a type without such crashes gets the mean over all types. */
void rb_rsi_costs(const struct rb_route_crash *c, size_t n, const struct rb_period *period,
                  const double cost[5], double out[RB_NCT]);

/* Sliding windows along every route: from 0 by step while a whole window fits,
 * and a last window shifted back to end at the route's end (the HSM's rule);
 * a route shorter than a window is one window. AADT is length-weighted over
 * the segments each window covers. */
int rb_sites_windows(const struct rb_routes *r, const struct rb_net *net, const struct rb_screen_opt *opt,
                     struct rb_sites *w, struct rb_err *err);
/* Segments as sites, with their route chainage. */
int rb_sites_segments(const struct rb_routes *r, const struct rb_net *net, struct rb_sites *s,
                      struct rb_err *err);
/* Homogeneous sections: consecutive segments along each route's chains that
 * meet at a node and have equal keys (key[seg], NULL counting as "") merge
 * into one section. Its AADT is the length-weighted
 * mean of its segments' known AADT, and so is each year's when seg_aadt_yr
 * (nsegs x ny) is given. sec_of maps each segment to its section;
 * first_seg and last_seg are a section's first and last segments along the
 * chain, n_segs how many it holds. */
struct rb_sections {
    struct rb_sites s;
    uint32_t *sec_of;               /* per segment */
    uint32_t *first_seg, *last_seg, *n_segs;    /* per section */
};
int rb_sections_build(const struct rb_routes *r, const struct rb_net *net, const char *const *key,
                      const double *seg_aadt_yr, size_t ny, struct rb_sections *sec, struct rb_err *err);
void rb_sections_free(struct rb_sections *sec);
/* Point sites (intersections) with their entering vehicles per day: exposure is
 * million entering vehicles, which the measures get by treating each as 1 km
 * long with AADT = entering volume (so mvkm is MEV and rate_per_mvkm is per MEV). */
int rb_sites_points(size_t n, const double *entering, struct rb_sites *s, struct rb_err *err);
/* Route bins of bin_m from each route's start, the last one shorter where
 * bin_m does not divide the route; AADT length-weighted as for windows. */
int rb_sites_bins(const struct rb_routes *r, const struct rb_net *net, double bin_m, struct rb_sites *b,
                  struct rb_err *err);
/* Sets the sites' AADT by study year from the segments' (nsegs x ny, NaN
 * unknown): a segment's own, or for sites along routes (by RB_BY_CHAINAGE or
 * RB_BY_BIN) length-weighted over the segments they cover, year by year. The
 * sites' aadt should be the mean over the years, which gives the exposure. */
int rb_sites_aadt_years(struct rb_sites *s, const struct rb_routes *r, const double *seg_aadt_yr, size_t ny,
                        int by, struct rb_err *err);
/* Sets the sites' reference populations from the segments' (seg_pop, values
 * below npop): a segment's own (RB_BY_SEGMENT: site i is segment i), or for
 * sites along routes (RB_BY_CHAINAGE) the population of the segment that
 * covers most of the site (the lower segment index on a tie). The population
 * measures (critical rate, RSI, method of moments, the beta model, EB-EPDO's
 * fallback mix) then compare each site with its own population only. */
int rb_sites_populations(struct rb_sites *s, const struct rb_routes *r, const uint32_t *seg_pop, size_t npop,
                         int by, struct rb_err *err);
/* Sets the sites' SPF (spf_ix) from the segments' (seg_spf, indexes into a
 * set of SPFs) the same way: a segment's own, or the SPF of the segment that
 * covers most of the site; for sites along routes, that segment is also the
 * unit whose attributes the SPF reads (seg_spf NULL: the unit alone). */
int rb_sites_spf_types(struct rb_sites *s, const struct rb_routes *r, const uint32_t *seg_spf, int by,
                       struct rb_err *err);
/* How rb_sites_count places a crash: by chainage inside [from_m, to_m] (windows,
 * which overlap), by matched segment, or by chainage in [from_m, to_m) (bins,
 * which tile a route; its last bin is closed). */
enum rb_count_by { RB_BY_CHAINAGE, RB_BY_SEGMENT, RB_BY_BIN };
/* A copy of the crashes in route and chainage order (ties in input order):
 * counting by chainage then needs no sort of its own, however many site sets
 * it fills. The counts are the same as from the crashes in any order. */
int rb_route_crash_sort(const struct rb_route_crash *c, size_t n, struct rb_route_crash **out, struct rb_err *err);
/* Counts the study period's crashes into sites. Returns RB_OK or RB_ENOMEM. */
int rb_sites_count(struct rb_sites *s, const struct rb_route_crash *c, size_t n, const struct rb_screen_opt *opt,
                    int by, struct rb_err *err);
/* The measures and ranks (by rank_by: a measure name, see rb_sites_measure; NULL
 * computes the measures and leaves the ranks alone). */
int rb_sites_measures(struct rb_sites *s, const struct rb_screen_opt *opt, const char *rank_by,
                      struct rb_err *err);
/* The values of a measure by name, NULL when unknown. */
const double *rb_sites_measure(const struct rb_sites *s, const char *name);
int rb_sites_measure_known(const char *name);
/* All the measure names, n of them. */
const char *const *rb_sites_measure_names(size_t *n);
void rb_sites_free(struct rb_sites *s);

/* HSM peak searching on each base site (the road segments, or homogeneous
 * sections): windows of step_m, then 2 x step_m and so on (each iteration's
 * windows step_m apart, the last one shifted back to end at the site's end),
 * each window's measure computed as for any site with the base site's AADT
 * (by year too, when it has them); in the first iteration where some window's
 * coefficient of variation is at most cv_limit, the site takes the largest
 * such value. A site where no iteration qualifies before the window reaches
 * its length keeps NaN. */
struct rb_peaks {
    size_t n;                       /* = base sites */
    double *value, *from_m, *to_m, *cv;
    uint32_t *window_m;             /* length of the qualifying windows, 0 none */
    uint32_t *n_obs;
};
int rb_peak_search(const struct rb_sites *base, const struct rb_route_crash *c, size_t n,
                   const struct rb_screen_opt *opt, const char *measure, double cv_limit, struct rb_peaks *pk,
                   struct rb_err *err);
void rb_peaks_free(struct rb_peaks *pk);

/* Continuous risk profile (Caltrans and UC Berkeley SafeTREC, report
 * CA12-2192): crashes counted in bins of bin_m along each route and smoothed by
 * a centred moving average over window_m (bins within half a window either
 * side, fewer at a route's ends), as crashes per km per year; the baseline is
 * the SPF's prediction smoothed the same way, or without an SPF the
 * population's crash rate at each bin's exposure. A run of bins where the
 * profile lies above the baseline is a candidate; its excess is the area
 * between the two (crashes per year), and runs with fewer than min_crashes
 * crashes are dropped. */
struct rb_crp_opt {
    double bin_m, window_m;
    unsigned min_crashes;
};
struct rb_crp {
    struct rb_sites bins;
    double *profile_per_km_yr, *baseline_per_km_yr;   /* per bin, smoothed */
    size_t nruns;                   /* the candidate runs */
    uint32_t *run_route, *run_n_obs;
    double *run_from_m, *run_to_m, *run_excess_per_yr;
};
int rb_crp(const struct rb_routes *r, const struct rb_net *net, const struct rb_route_crash *c, size_t n,
           const struct rb_screen_opt *opt, const struct rb_crp_opt *copt, struct rb_crp *out, struct rb_err *err);
void rb_crp_free(struct rb_crp *p);

#endif
