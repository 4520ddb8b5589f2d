/* screen/spf: SPF prediction and Empirical Bayes. */
#include "screen/spf.h"

#include <math.h>
#include <string.h>

double rb_spf_unit_m(const struct rb_spf *spf)
{
    if (!strcmp(spf->length_unit, "mi"))
        return 1609.344;
    if (!strcmp(spf->length_unit, "m"))
        return 1;
    return 1000;
}

/* A variable's value at the site: the built-in ones, an attribute, or "ln_"
 * and an attribute (its log); dflt (NaN: none) where the site has none,
 * counted in *defaults. */
static double var_value(const char *v, const struct rb_spf_site *site, double len, double dflt, int *defaults)
{
    if (!strcmp(v, "const")) return 1;
    if (!strcmp(v, "ln_aadt")) return site->aadt > 0 ? log(site->aadt) : NAN;
    if (!strcmp(v, "ln_length")) return len > 0 ? log(len) : NAN;
    if (!strcmp(v, "aadt")) return site->aadt;
    if (!strcmp(v, "length")) return len;
    int ln = !strncmp(v, "ln_", 3);
    double x = site->attr ? site->attr(v, site->ud) : NAN;
    if (x != x && ln && site->attr) {
        x = site->attr(v + 3, site->ud);
        x = x > 0 ? log(x) : x == x ? NAN : x;
    }
    if (x != x && dflt == dflt) {
        x = ln ? log(dflt) : dflt;
        ++*defaults;
    }
    return x;
}

/* sum coef_j x var_j (a NaN coefficient: no term); dflt NULL: no defaults */
static double linear(const char (*var)[64], const double *coef, size_t n, const double *dflt,
                     const struct rb_spf_site *site, double len, int *defaults)
{
    double eta = 0;
    for (size_t j = 0; j < n; j++)
        if (coef[j] == coef[j])
            eta += coef[j] * var_value(var[j], site, len, dflt ? dflt[j] : NAN, defaults);
    return eta;
}

/* One component's crashes and fatal-and-injury part; base is the sum of the
 * TERMS and DRIVEWAYS components before it (for a FACTOR). */
static void comp_eval(const struct rb_spf_comp *c, const struct rb_spf_site *site, double len, double base,
                      double *n, double *fi, int *defaults)
{
    *fi = NAN;
    if (c->kind == RB_COMP_TERMS) {
        *n = exp(linear(c->var, c->coef, c->nterms, c->dflt, site, len, defaults));
        if (c->fi_share == c->fi_share) {
            *fi = *n * c->fi_share;
        } else if (c->fi[0] == c->fi[0]) {
            /* the HSM's split (Chapter 12): N_FI = N x N'_FI / (N'_FI + N'_PDO) */
            int d = 0;
            double f = exp(linear(c->var, c->fi, c->nterms, c->dflt, site, len, &d));
            double o = exp(linear(c->var, c->pdo, c->nterms, c->dflt, site, len, &d));
            *fi = *n * f / (f + o);
        }
    } else if (c->kind == RB_COMP_DRIVEWAYS) {
        double sum = 0;
        for (size_t j = 0; j < c->nterms; j++)
            sum += c->coef[j] * var_value(c->var[j], site, len, c->dflt[j], defaults);
        /* the driveways are counts of the segment the site takes them from: a window has its share */
        double share = site->attr ? site->attr("unit_length_share", site->ud) : NAN;
        if (share == share)
            sum *= share;
        *n = site->aadt > 0 ? sum * pow(site->aadt / c->aadt_ref, c->t) : NAN;
        *fi = *n * c->fi_share;
    } else {
        double f = c->low;
        if (c->speed_max_kmh == c->speed_max_kmh) {
            double v = site->attr ? site->attr("speed_limit_kmh", site->ud) : NAN;
            if (v != v)
                ++*defaults;
            f = v == v ? (v <= c->speed_max_kmh ? c->low : c->high) : c->assume_high ? c->high : c->low;
        }
        *n = base * f;
        *fi = *n * c->fi_share;
    }
}

void rb_spf_resolve(struct rb_spf *spf, const char *const *names, size_t n)
{
    for (size_t j = 0; j < spf->ncmf; j++) {
        struct rb_spf_cmf *m = &spf->cmf[j];
        const char *var[3] = { m->var, m->var2, m->var3 };
        for (int v = 0; v < 3; v++) {
            m->ix[v] = -1;
            for (size_t k = 0; k < n; k++)
                if (!strcmp(var[v], names[k]))
                    m->ix[v] = (int)k;
        }
    }
}

/* CMF m's variable v (0 var, 1 var2, 2 var3) in the book's unit (rounded to
 * 1e-9, so that 3.6576 m is 12 ft exactly); NaN not given. */
static double book_value(const struct rb_spf_cmf *m, int v, double unit, int absval, const struct rb_spf_site *site)
{
    const char *name = v == 0 ? m->var : v == 1 ? m->var2 : m->var3;
    double x = m->ix[v] >= 0 ? (site->row ? site->row[m->ix[v]] : NAN)
               : m->ix[v] == -1 || !site->attr ? NAN : site->attr(name, site->ud);
    if (x != x)
        return x;
    x = round(x / unit * 1e9) / 1e9;
    return absval ? fabs(x) : x;
}

static double pieces(const struct rb_cmf_piece *pc, size_t n, double t)
{
    size_t i = 0;
    while (i + 1 < n && t > pc[i + 1].from)
        i++;
    return i ? pc[i].value + pc[i].slope * (t - pc[i].from) : pc[0].value;
}

double rb_spf_cmf_value(const struct rb_spf_cmf *m, const struct rb_spf_site *site, int *base)
{
    double x = book_value(m, 0, m->unit, m->abs, site), c = 1;
    *base = x != x;
    if (*base)
        return 1;
    if (m->round > 0)      /* to the nominal width the book's rows name: 3.65 m is a 12-ft lane */
        x = round(x / m->round) * m->round;
    switch (m->kind) {
    case RB_CMF_TABLE: {
        size_t row = 0;
        while (row < m->nbins && (m->at_most ? x > m->bound[row] : x >= m->bound[row]))
            row++;
        c = pieces(m->piece[row], m->npieces[row], m->of_x ? x : site->aadt);
        break;
    }
    case RB_CMF_EXP:
        c = exp(m->c * (x - m->base));
        break;
    case RB_CMF_RATIO:
        c = m->c * x / (m->d + m->c * x) + 1;
        break;
    case RB_CMF_FLAG:
        c = x != 0 ? m->value : 1;
        break;
    case RB_CMF_POWER:
        c = pow(m->value, fmin(fmax(floor(x), 0), m->max_n));
        break;
    case RB_CMF_CURVE: {
        double r = book_value(m, 1, m->unit2, 0, site), sp = book_value(m, 2, 1, 0, site);
        if (!(r > 0) || !(x > 0))
            return 1;      /* a tangent: no curve */
        double lc = fmax(x, m->min_length);
        r = fmax(r, m->min_radius);
        c = fmax(1, (m->a * lc + m->b / r - m->c * (sp == sp ? sp : 0)) / (m->a * lc));
        break;
    }
    case RB_CMF_DRIVEWAYS: {
        /* past AADT e^(b / c) (22,026 for the HSM's) the form turns: more driveways would lower it,
         * then below zero; the model holds only to 17,800, and there it is 1 at most (hsmpy3 floors it) */
        double g = site->aadt > 0 ? m->b - m->c * log(site->aadt) : NAN;
        c = x < m->base || !(g > 0) ? 1 : (m->a + x * g) / (m->a + m->base * g);
        break;
    }
    case RB_CMF_FIXED_OBJECTS: {
        double off = book_value(m, 1, m->unit2, 0, site);
        if (off != off) {
            *base = 1;
            return 1;
        }
        c = x > 0 ? fmax(1, pieces(m->piece[0], m->npieces[0], off) * x * m->a + 1 - m->a) : 1;
        break;
    }
    case RB_CMF_PARKING: {
        double angle = book_value(m, 1, 1, 0, site), com = book_value(m, 2, 1, 0, site);
        size_t row = (angle == angle && angle != 0 ? 2 : 0) + (com == com && com != 0);
        c = 1 + (m->share == m->share ? m->share : 1) * fmin(fmax(x, 0), 1) * (m->piece[row][0].value - 1);
        return c;
    }
    case RB_CMF_TWLTL: {
        double dd = book_value(m, 1, m->unit2, 0, site);
        if (x == 0)
            return 1;
        if (dd != dd) {
            *base = 1;
            return 1;
        }
        double q = m->b * dd + m->c * dd * dd;
        c = dd < m->base ? 1 : 1 - m->r * m->p_lt * q / (m->a + q);
        break;
    }
    }
    return m->share == m->share ? (c - 1) * m->share + 1 : c;
}

void rb_spf_eval(const struct rb_spf *spf, const struct rb_spf_site *site, struct rb_spf_pred *p)
{
    double len = site->length_m / rb_spf_unit_m(spf), m = spf->calibration * spf->scale;
    memset(p, 0, sizeof *p);
    /* the actual conditions: the site's CMFs, and a component's own */
    double own[RB_SPF_MAXCOMP];
    for (size_t c = 0; c < RB_SPF_MAXCOMP; c++)
        own[c] = 1;
    p->cmf = 1;
    for (size_t j = 0; j < spf->ncmf; j++) {
        int base;
        double v = rb_spf_cmf_value(&spf->cmf[j], site, &base);
        if (spf->cmf[j].comp < 0)
            p->cmf *= v;
        else
            own[spf->cmf[j].comp] *= v;
        p->cmf_base |= (uint32_t)base << j;
    }
    if (spf->ncal)     /* the calibration function */
        m *= exp(linear(spf->cal_var, spf->cal_coef, spf->ncal, NULL, site, len, &p->defaults));
    if (!spf->ncomp) {
        m *= p->cmf;
        p->n = m * exp(linear(spf->var, spf->coef, spf->nterms, NULL, site, len, &p->defaults));
        p->fi = spf->nfi ? fmin(p->n, m * exp(linear(spf->fi_var, spf->fi_coef, spf->nfi, NULL, site, len,
                                                      &p->defaults)))
                : spf->fi_share == spf->fi_share ? p->n * spf->fi_share : NAN;
        return;
    }
    double base = 0, fi = 0;
    for (size_t c = 0; c < spf->ncomp; c++) {
        double n, f;
        comp_eval(&spf->comp[c], site, len, base, &n, &f, &p->defaults);
        if (spf->comp[c].kind != RB_COMP_FACTOR)
            base += n;
        /* a FACTOR scales the others as they are at base; the site's CMFs then scale it with them */
        double mc = m * (spf->comp[c].own_cmfs_only ? 1 : p->cmf) * own[c];
        p->comp[c] = mc * n;
        p->n += mc * n;
        fi += mc * f;
    }
    p->fi = fi;
}

double rb_spf_predict(const struct rb_spf *spf, const struct rb_spf_site *site)
{
    struct rb_spf_pred p;
    rb_spf_eval(spf, site, &p);
    return p.n;
}

double rb_spf_k_of(const struct rb_spf *spf, const double *comp, double length_m)
{
    if (spf->ncomp) {
        if (!comp)
            return NAN;
        /* a FACTOR's ratio to the components before it, which it scales */
        double ratio[RB_SPF_MAXCOMP], base = 0, total = 0, v = 0;
        for (size_t c = 0; c < spf->ncomp; c++) {
            int factor = spf->comp[c].kind == RB_COMP_FACTOR;
            ratio[c] = factor && base > 0 ? comp[c] / base : 0;
            base += factor ? 0 : comp[c];
            total += comp[c];
        }
        for (size_t c = 0; c < spf->ncomp; c++) {
            if (spf->comp[c].kind == RB_COMP_FACTOR)
                continue;
            double mu = comp[c];
            for (size_t f = c + 1; f < spf->ncomp; f++)
                mu += comp[c] * ratio[f];
            v += spf->comp[c].k * mu * mu;
        }
        return total > 0 ? v / (total * total) : NAN;
    }
    if (!spf->k_per_length)
        return spf->k_value;
    double len = length_m / rb_spf_unit_m(spf);
    return len > 0 ? spf->k_value / len : NAN;
}

double rb_spf_k(const struct rb_spf *spf, double length_m)
{
    return rb_spf_k_of(spf, NULL, length_m);
}

struct rb_eb rb_eb_estimate(const double *pred, int n, double n_obs, double k)
{
    struct rb_eb e = { NAN, NAN, NAN, NAN, NAN, NAN };
    if (n <= 0 || !(pred[0] > 0) || !(k >= 0))
        return e;
    double sum_pred = 0, sum_c = 0;
    for (int y = 0; y < n; y++) {
        sum_pred += pred[y];
        sum_c += pred[y] / pred[0];
    }
    /* EB weight over the whole study period (HSM Part B, Appendix 4A):
     * a long record of many crashes trusts its own count; a short, quiet one the SPF */
    e.w = 1 / (1 + k * sum_pred);
    double first = e.w * pred[0] + (1 - e.w) * n_obs / sum_c;
    e.expected_last_yr = first * pred[n - 1] / pred[0];
    e.expected_per_yr = first * sum_c / n;
    e.predicted_per_yr = sum_pred / n;
    e.excess_per_yr = e.expected_per_yr - e.predicted_per_yr;
    e.var_per_yr = (1 - e.w) * e.expected_per_yr;
    return e;
}
