/* plan/econ: where a countermeasure applies, how much of it a stretch takes,
 * and what it is worth (HSM Part B, Chapter 7: crashes avoided from a CMF,
 * monetised by severity, present values over the service life). */
#include "plan/econ.h"

#include <math.h>
#include <string.h>

double rb_pv_annuity(double rate, double years)
{
    if (rate == 0)
        return years;
    return (1 - pow(1 + rate, -years)) / rate;
}

double rb_cm_quantity(const struct rb_cm *cm, double length_m, double curve_length_m)
{
    double dirs = cm->per_direction ? 2 : 1;
    switch (cm->unit) {
    case RB_CM_PER_KM: {
        double len = length_m;
        if (cm->unit_m > 0)
            len = ceil(length_m / cm->unit_m - 1e-9) * cm->unit_m;   /* whole units covering the stretch */
        return len / 1000.0;
    }
    case RB_CM_PER_SITE:
        return 1;
    default:
        break;
    }
    double spacing = cm->spacing_m > 0 ? cm->spacing_m : 40;
    switch (cm->layout) {
    case RB_LAYOUT_SPACED:
        return dirs * (floor(length_m / spacing + 1e-9) + 1);
    case RB_LAYOUT_CURVE: {
        double n = floor(curve_length_m / spacing + 1e-9) + 1;
        return dirs * (n < 3 ? 3 : n);             /* at least two in view: three on the curve */
    }
    default:
        return dirs;                                /* signs, devices: one per direction or one */
    }
}

int rb_cm_applies(const struct rb_cm *cm, const struct rb_plan_road *r, int *unknown)
{
    int unk = 0;
    if (!(cm->site & (r->is_intersection ? RB_CM_INTERSECTION : RB_CM_SEGMENT)))
        return 0;
    if (cm->area >= 0) {
        if (r->area < 0)
            unk = 1;
        else if (r->area != cm->area)
            return 0;
    }
    const struct { double lo, hi, v; } num[] = {
        { cm->min_speed_kmh, cm->max_speed_kmh, r->speed_kmh },
        { cm->min_aadt, cm->max_aadt, r->aadt },
        { cm->min_shoulder_m, NAN, r->shoulder_m },
    };
    for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
        if (num[k].lo != num[k].lo && num[k].hi != num[k].hi)
            continue;
        if (num[k].v != num[k].v) {
            unk = 1;
            continue;
        }
        if ((num[k].lo == num[k].lo && num[k].v < num[k].lo) || (num[k].hi == num[k].hi && num[k].v > num[k].hi))
            return 0;
    }
    if (cm->min_lanes > 0 || cm->max_lanes > 0) {
        if (r->lanes <= 0)
            unk = 1;
        else if ((cm->min_lanes > 0 && r->lanes < cm->min_lanes) || (cm->max_lanes > 0 && r->lanes > cm->max_lanes))
            return 0;
    }
    if (cm->divided >= 0) {
        if (r->divided < 0)
            unk = 1;
        else if (r->divided != cm->divided)
            return 0;
    }
    if (cm->curve && r->curve != 1)
        return 0;
    if (unknown)
        *unknown = unk;
    return 1;
}

/* rb_appraise with the CMFs cmf[0..ncm) (NULL: the countermeasures' own) */
static void appraise(const struct rb_cm *const *cms, const double *cmf_of, const double *qty,
                     const double *const *share, size_t ncm, const struct rb_plan_crash *c, size_t n,
                     double expected_per_yr, const struct rb_econ *e, struct rb_appraisal *out)
{
    memset(out, 0, sizeof *out);
    out->avoided_low_per_yr = out->avoided_high_per_yr = out->bcr_low = out->bcr_high = NAN;
    out->expected_per_yr = expected_per_yr;
    double life = 0, T = e->period_yr;
    for (size_t k = 0; k < ncm; k++)
        life = fmax(life, cms[k]->life_yr);
    if (!(T > 0))
        T = life;
    for (size_t k = 0; k < ncm; k++) {
        double q = qty[k], c0 = cms[k]->unit_cost * q, L = cms[k]->life_yr;
        out->install_cost += c0;
        if (!(e->period_yr > 0)) {         /* each over its own life */
            out->pv_cost += c0 + cms[k]->upkeep_per_yr * q * rb_pv_annuity(e->discount_rate, L);
            continue;
        }
        /* over the analysis period: renewed at the end of each life, upkeep
         * every year, the unexpired part of the last one (straight line) back
         * at the period's end */
        double t0 = 0;
        for (; t0 < T; t0 += L)
            out->pv_cost += c0 * pow(1 + e->discount_rate, -t0);
        out->pv_cost += cms[k]->upkeep_per_yr * q * rb_pv_annuity(e->discount_rate, T);
        out->pv_cost -= c0 * (t0 - T) / L * pow(1 + e->discount_rate, -T);
    }
    out->life_yr = life;
    out->period_yr = T;
    double w = n && expected_per_yr > 0 ? expected_per_yr / (double)n : 0;
    double ksi_life = 0;
    for (int t = 1; t <= (int)T; t++) {
        double disc = pow(1 + e->discount_rate, -t), benefit = 0;
        for (size_t i = 0; i < n; i++) {
            double cmf = 1;
            int hit = 0;
            for (size_t k = 0; k < ncm; k++) {
                double in = share && share[k] ? share[k][i] : 1;
                if ((!(e->period_yr > 0) && cms[k]->life_yr < t) || !(in > 0) || !rb_pattern_has(&cms[k]->target, &c[i]))
                    continue;
                double f = 1 - in * (1 - (cmf_of ? cmf_of[k] : cms[k]->cmf));
                cmf = e->best_only ? (hit ? fmin(cmf, f) : f) : cmf * f;
                hit = 1;
            }
            if (!hit)
                continue;
            double avoided = w * (1 - cmf);
            benefit += avoided * e->cost_per_crash[c[i].sev];
            out->pv_avoided_sev[c[i].sev] += avoided * disc;
            if (c[i].sev <= RB_SEV_A)
                ksi_life += avoided;
            if (t == 1) {
                out->target_per_yr += w;
                out->avoided_per_yr += avoided;
                out->avoided_sev_per_yr[c[i].sev] += avoided;
            }
        }
        if (t == 1)
            out->benefit_per_yr = benefit;
        out->pv_benefit += benefit * disc;
    }
    out->ksi_avoided_per_yr = out->avoided_sev_per_yr[RB_SEV_K] + out->avoided_sev_per_yr[RB_SEV_A];
    out->cmf = out->target_per_yr > 0 ? 1 - out->avoided_per_yr / out->target_per_yr : 1;
    out->npv = out->pv_benefit - out->pv_cost;
    out->bcr = out->pv_cost > 0 ? out->pv_benefit / out->pv_cost : NAN;
    out->cost_per_ksi = ksi_life > 0 ? out->pv_cost / ksi_life : NAN;
}

void rb_appraise(const struct rb_cm *const *cms, const double *qty, const double *const *share, size_t ncm,
                 const struct rb_plan_crash *c, size_t n, double expected_per_yr, const struct rb_econ *e,
                 struct rb_appraisal *out)
{
    appraise(cms, NULL, qty, share, ncm, c, n, expected_per_yr, e, out);
}

/* The CMF Clearinghouse derives a CMF's standard error from its 95 %
 * confidence interval as (upper − lower) / (2 × 1.96), so CMF ± 1.96 SE gives
 * the interval back. */
void rb_appraise_range(const struct rb_cm *const *cms, const double *qty, const double *const *share, size_t ncm,
                       const struct rb_plan_crash *c, size_t n, double expected_per_yr, const struct rb_econ *e,
                       struct rb_appraisal *a)
{
    a->avoided_low_per_yr = a->avoided_high_per_yr = a->bcr_low = a->bcr_high = NAN;
    double cmf[2][RB_CM_MAX];
    if (!ncm || ncm > RB_CM_MAX)
        return;
    for (size_t k = 0; k < ncm; k++) {
        if (!isfinite(cms[k]->cmf_se))
            return;
        cmf[0][k] = cms[k]->cmf + 1.96 * cms[k]->cmf_se;
        cmf[1][k] = fmax(0, cms[k]->cmf - 1.96 * cms[k]->cmf_se);
    }
    struct rb_appraisal r[2];
    for (int end = 0; end < 2; end++)
        appraise(cms, cmf[end], qty, share, ncm, c, n, expected_per_yr, e, &r[end]);
    a->avoided_low_per_yr = r[0].avoided_per_yr;
    a->avoided_high_per_yr = r[1].avoided_per_yr;
    a->bcr_low = r[0].bcr;
    a->bcr_high = r[1].bcr;
}

int rb_incremental_rank(const double *benefit, const double *cost, size_t n, int *rank)
{
    size_t *ord = rb_mallocarray(n ? n : 1, sizeof *ord), m = 0;
    if (!ord)
        return RB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        rank[i] = 0;
        if (cost[i] > 0 && benefit[i] / cost[i] > 1)
            ord[m++] = i;
    }
    /* by cost, cheapest first (ties: the lower index); insertion sort keeps it stable */
    for (size_t a = 1; a < m; a++) {
        size_t v = ord[a], b = a;
        while (b > 0 && cost[ord[b - 1]] > cost[v]) {
            ord[b] = ord[b - 1];
            b--;
        }
        ord[b] = v;
    }
    /* each round: the cheapest project meets the next dearer one; the dearer
     * wins when its extra benefit pays its extra cost (incremental BCR > 1);
     * the winner meets the next; the last winner takes the next rank */
    for (int r = 1; m; r++) {
        size_t w = 0;
        for (size_t k = 1; k < m; k++) {
            double dc = cost[ord[k]] - cost[ord[w]], db = benefit[ord[k]] - benefit[ord[w]];
            if (dc > 0 ? db / dc > 1 : db > 0)
                w = k;
        }
        rank[ord[w]] = r;
        memmove(ord + w, ord + w + 1, (m - w - 1) * sizeof *ord);
        m--;
    }
    rb_free(ord);
    return RB_OK;
}
