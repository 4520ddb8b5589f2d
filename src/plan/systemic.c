/* plan/systemic: risk factors and their weights (see systemic.h). */
#include "plan/systemic.h"

#include <math.h>
#include <string.h>

const char *const rb_sys_factor_names[RB_SYS_NF] = { "curve", "curve_change", "curve_density", "shoulder", "aadt",
                                                     "speed", "junctions", "lighting" };

static const char *const level_names[RB_SYS_NF][RB_SYS_MAXLEVELS] = {
    { "no bend", "600-1000 m", "300-600 m", "under 300 m" },
    { "no bend", "like the one before", "1.5 times sharper or more", NULL },
    { "none", "up to 1 a km", "over 1 a km", NULL },
    { "2 m or more", "1-2 m", "under 1 m", NULL },
    { "under 2000", "2000-4999", "5000-9999", "10000 or more" },
    { "60 km/h or less", "61-90 km/h", "over 90 km/h", NULL },
    { "none", "up to 1 a km", "over 1 a km", NULL },
    { "lit", "not lit", NULL, NULL },
};

const char *rb_sys_level_name(int factor, int level)
{
    if (factor < 0 || factor >= RB_SYS_NF || level < 0 || level >= RB_SYS_MAXLEVELS)
        return NULL;
    return level_names[factor][level];
}

int rb_sys_curve_level(double r)
{
    return !(r == r) ? -1 : r < 300 ? 3 : r < 600 ? 2 : r < 1000 ? 1 : 0;
}

int rb_sys_change_level(double r, double prev)
{
    if (!(r == r))
        return -1;
    if (!(r < 1000))
        return 0;
    return prev / r >= 1.5 ? 2 : 1;
}

int rb_sys_per_km_level(double count, double length_m)
{
    if (!(length_m > 0) || !(count >= 0))
        return -1;
    double per_km = count / (length_m / 1000);
    return count == 0 ? 0 : per_km <= 1 ? 1 : 2;
}

int rb_sys_shoulder_level(double w)
{
    return !(w >= 0) ? -1 : w >= 2 ? 0 : w >= 1 ? 1 : 2;
}

int rb_sys_aadt_level(double a)
{
    return !(a >= 0) ? -1 : a < 2000 ? 0 : a < 5000 ? 1 : a < 10000 ? 2 : 3;
}

int rb_sys_speed_level(double v)
{
    return !(v > 0) ? -1 : v <= 60 ? 0 : v <= 90 ? 1 : 2;
}

int rb_sys_lit_level(int lit)
{
    return lit < 0 ? -1 : lit ? 0 : 1;
}

void rb_sys_weigh(const struct rb_sys_seg *s, size_t n, struct rb_sys_weights *w)
{
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        w->km += s[i].length_m / 1000;
        w->crashes += s[i].focus;
    }
    for (int f = 0; f < RB_SYS_NF; f++) {
        /* the factor's shares over the segments whose level is known */
        double km = 0;
        uint32_t cr = 0;
        for (size_t i = 0; i < n; i++) {
            int l = s[i].level[f];
            if (l < 0 || l >= RB_SYS_MAXLEVELS)
                continue;
            w->lv[f][l].km += s[i].length_m / 1000;
            w->lv[f][l].crashes += s[i].focus;
            km += s[i].length_m / 1000;
            cr += s[i].focus;
        }
        for (int l = 0; l < RB_SYS_MAXLEVELS; l++)
            w->nlevels[f] += w->lv[f][l].km > 0;
        for (int l = 0; l < RB_SYS_MAXLEVELS; l++) {
            struct rb_sys_level *v = &w->lv[f][l];
            v->ratio = 1;
            if (!(v->km > 0) || !(km > 0))
                continue;
            v->length_share = v->km / km;
            /* one crash more, spread by length: a level without evidence stays at 1 */
            v->crash_share = (v->crashes + v->length_share) / (cr + 1.0);
            v->ratio = v->crash_share / v->length_share;
        }
    }
}

double rb_sys_score(const struct rb_sys_weights *w, const struct rb_sys_seg *s)
{
    double p = 1;
    for (int f = 0; f < RB_SYS_NF; f++)
        if (s->level[f] >= 0 && s->level[f] < RB_SYS_MAXLEVELS)
            p *= w->lv[f][s->level[f]].ratio;
    return p;
}

void rb_sys_normalise(const struct rb_sys_seg *s, double *score, size_t n, const uint8_t *use)
{
    double sum = 0, len = 0;
    for (size_t i = 0; i < n; i++) {
        if (use && !use[i])
            continue;
        sum += score[i] * s[i].length_m;
        len += s[i].length_m;
    }
    double mean = len > 0 ? sum / len : 0;
    for (size_t i = 0; mean > 0 && i < n; i++)
        score[i] /= mean;
}
