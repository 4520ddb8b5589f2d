/* screen/measures: population measures of the HSM's network screening. */
#include "screen/measures.h"

#include <math.h>

/* The continued fraction of I_x(a, b), evaluated by the modified Lentz method;
 * converges fast for x < (a + 1) / (a + b + 2). */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps)
            break;
    }
    return h;
}

double rb_betainc(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
        return NAN;
    if (x == 0 || x == 1)
        return x;
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lfront) * betacf(a, b, x) / a;
    return 1 - exp(lfront) * betacf(b, a, 1 - x) / b;
}

struct rb_mom rb_mom_population(const double *obs, size_t n)
{
    struct rb_mom m = { NAN, NAN };
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (obs[i] == obs[i]) {
            sum += obs[i];
            k++;
        }
    if (!k)
        return m;
    m.mean = sum / k;
    if (k < 2)
        return m;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (obs[i] == obs[i])
            ss += (obs[i] - m.mean) * (obs[i] - m.mean);
    m.var = ss / (k - 1);
    return m;
}

double rb_mom_adjusted(const struct rb_mom *m, double obs)
{
    if (!(m->var > 0) || obs != obs)
        return NAN;
    return obs + m->mean / m->var * (m->mean - obs);
}

int rb_loss(double obs, double pred, double k)
{
    if (!(pred > 0) || !(k >= 0) || obs != obs)
        return 0;
    double sigma = sqrt(k * pred * pred);
    if (obs < pred - 1.5 * sigma)
        return 1;
    if (obs < pred)
        return 2;
    if (obs < pred + 1.5 * sigma)
        return 3;
    return 4;
}

struct rb_beta_pop rb_beta_population(const uint32_t *n_type, const uint32_t *n_total, size_t n)
{
    struct rb_beta_pop bp = { NAN, NAN, NAN, NAN, 0, 0 };
    double st = 0, sn = 0, sq = 0, sp = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        st += n_type[i];
        sn += n_total[i];
        if (n_total[i] >= 2) {
            double nt = n_type[i], N = n_total[i];
            sq += (nt * nt - nt) / (N * N - N);
            sp += nt / N;
            m++;
        }
    }
    bp.nsites = m;
    if (!(sn > 0) || m < 2)
        return bp;
    bp.p = st / sn;
    bp.s2 = (sq - sp * sp / (double)m) / (double)(m - 1);
    if (!(bp.s2 > 0) || !(bp.p > 0) || !(bp.p < 1))
        return bp;
    double p = bp.p;
    bp.alpha = p * p / bp.s2 - p * p * p / bp.s2 - p;
    bp.beta = bp.alpha / p - bp.alpha;
    bp.ok = bp.alpha > 0 && bp.beta > 0;
    return bp;
}

double rb_beta_exceed(const struct rb_beta_pop *bp, uint32_t nt, uint32_t ntotal, double limit)
{
    if (!bp->ok || ntotal == 0 || nt > ntotal)
        return NAN;
    return 1 - rb_betainc(bp->alpha + nt, bp->beta + (ntotal - nt), limit);
}

long rb_peak_pick(const double *value, size_t n, double limit, double *cv)
{
    double sum = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (value[i] == value[i]) {
            sum += value[i];
            k++;
        }
    double mean = k ? sum / k : NAN;
    for (size_t i = 0; i < n; i++)
        if (value[i] == value[i])
            ss += (value[i] - mean) * (value[i] - mean);
    double sd = k >= 2 ? sqrt(ss / (k - 1)) : NAN;
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        /* a window with no positive value has no meaningful precision */
        double c = value[i] > 0 ? sd / value[i] : NAN;
        if (cv)
            cv[i] = c;
        if (c <= limit && (best < 0 || value[i] > value[best]))
            best = (long)i;
    }
    return best;
}
