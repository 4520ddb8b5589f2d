/* plan/diag: diagnosis — whether a site's crash pattern (a catalogue entry's
 * trigger) is over-represented against its reference population (an exact
 * binomial test). The crashes as diagnosis and appraisal see them. */
#ifndef RB_PLAN_DIAG_H
#define RB_PLAN_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "plan/catalogue.h"

/* ---- crashes as diagnosis and appraisal see them --------------------------- */

struct rb_plan_crash {
    uint8_t type, sev, light, surface, weather;   /* enum rb_crash_type, rb_severity, rb_light, rb_surface,
                                                     rb_weather */
    uint32_t pop;                        /* the reference population of its segment (0: the one) */
    double at_m;                         /* its chainage on its plan site's route (rb_plan_sites);
                                            NaN where not known there (an intersection site's crash) */
};

/* 1 when the crash falls in the pattern's every set. */
static inline int rb_pattern_has(const struct rb_pattern *p, const struct rb_plan_crash *c)
{
    return c->sev <= RB_SEV_O && (p->types >> c->type & 1u) && (p->sevs >> c->sev & 1u) &&
           (p->lights >> c->light & 1u) && (p->surfaces >> c->surface & 1u) &&
           (p->weathers >> c->weather & 1u);
}

/* The exact binomial upper tail P(X >= x) for X ~ Binomial(n, p). */
double rb_binom_upper(unsigned x, unsigned n, double p);

struct rb_diag {
    unsigned n_site, x_site;     /* the site's crashes, and those in the pattern */
    unsigned n_ref, x_ref;       /* the same in the reference population */
    double share, ref_share;     /* x/n of each */
    double p_value;              /* P(X >= x_site) with X ~ Bin(n_site, ref_share); 1 when x_site is 0 */
};

/* Compares a site's share of the pattern with the reference population's. */
void rb_diagnose(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site,
                 const struct rb_plan_crash *ref, size_t n_ref, struct rb_diag *out);

/* The crashes of known severity in c[0..n) (*of) and those in the pattern (*x). */
void rb_pattern_count(const struct rb_pattern *pat, const struct rb_plan_crash *c, size_t n, unsigned *x,
                      unsigned *of);
/* The same test against reference counts already made (x_ref of n_ref in the pattern). */
void rb_diagnose_vs(const struct rb_pattern *pat, const struct rb_plan_crash *site, size_t n_site, unsigned x_ref,
                    unsigned n_ref, struct rb_diag *out);

#endif
