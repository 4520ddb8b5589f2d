/* screen: statistics of the sites — this far, per road segment: crashes by
 * severity and year over a study period, frequency, density, rate per million
 * vehicle-km and EPDO. */
#ifndef RB_SCREEN_H
#define RB_SCREEN_H

#include <stdint.h>
#include "core/core.h"
#include "net/net.h"
#include "match/match.h"

/* What statistics need of a crash: plain values, whatever the source. */
struct rb_crash_fact {
    int64_t seg;            /* matched segment, -1 none */
    int32_t date_days;      /* RB_NODATE unknown */
    uint8_t severity;       /* enum rb_severity */
};

/* A crash placed on a route: what screening needs of it. */
struct rb_route_crash {
    int64_t route;          /* -1 when unmatched */
    double chainage_m;
    int64_t seg;            /* matched segment */
    int32_t date_days;
    uint8_t severity;       /* enum rb_severity */
    uint8_t crash_type;     /* enum rb_crash_type */
    uint8_t target;         /* 1: in the focus group (screen.target_type a condition: night, wet_icy ...) */
};

struct rb_period {
    int from_year, to_year;     /* inclusive; 0 when no period could be set */
    int from_data;              /* 1 when taken from the crash dates */
};

/* The study period: the configured years, else the span of the crash dates.
 * Returns a period with from_year 0 when neither exists. */
struct rb_period rb_study_period(int cfg_from, int cfg_to, const struct rb_crash_fact *f, size_t n);
/* 1 when the crash counts in the period (its year in it; any crash when no period). */
int rb_in_period(const struct rb_period *p, int32_t date_days);

struct rb_segstats {
    size_t nsegs;
    int nyears;                 /* to - from + 1, 0 when no period */
    int first_year;
    uint32_t *n_obs;            /* crashes counted, per segment */
    uint32_t *n_sev;            /* nsegs * RB_NSEV: by severity K A B C O U */
    uint32_t *n_year;           /* nsegs * nyears */
    double *freq_per_yr;        /* n_obs / nyears (NaN without a period) */
    double *per_km_yr;          /* freq_per_yr / length_km */
    double *rate_per_mvkm;      /* n_obs / (AADT * 365 * nyears * L_km / 1e6) */
    double *epdo;               /* sum of severity weights of its crashes (unknown severity: 0) */
    double *epdo_per_yr;
    size_t counted, outside_period, unmatched;   /* crashes by how they were used */
};

/* Computes per-segment statistics. weight holds the EPDO weights of K A B C O. */
int rb_segstats_compute(const struct rb_net *net, const struct rb_crash_fact *f, size_t n,
                        const struct rb_period *period, const double weight[5],
                        struct rb_segstats *st, struct rb_err *err);
void rb_segstats_free(struct rb_segstats *st);

/* EPDO weights from costs: f_y = cost_y / cost_O (HSM Part B, Chapter 4). */
void rb_epdo_weights(const double cost[5], double weight[5]);

/* Ranks n sites by key, largest first (1 = worst); ties go to the larger
 * tiebreak, then to the lower index, so ranks are a permutation of 1..n that is
 * the same on every run. NaN keys rank last. */
int rb_rank_desc(const double *key, const double *tiebreak, size_t n, uint32_t *rank,
                 struct rb_err *err);

#endif
