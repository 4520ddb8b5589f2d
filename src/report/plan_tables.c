/* report/plan_tables: the plan layer. */
#include "report/plan_tables.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double finite_or_nan(double v)
{
    return isfinite(v) ? v : NAN;
}

int rb_report_plan(const struct rb_match_run *run, const struct rb_catalogue *cat, const struct rb_plan_site *sites,
                   const struct rb_plan *plan, const char *currency, struct rb_out_layer *o, struct rb_err *err)
{
    memset(o, 0, sizeof *o);
    o->layer.name = "plan";
    o->layer.nrows = plan->n;
    enum { SITE, ROUTE, FROM, TO, FROMKM, TOKM, LEN, CM, STATUS, SOURCE, CMF, EXPECTED, EB, TARGET, AVOIDED, KSI, PVB,
           PVC, INSTALL, BCR, NPV, CPK, LIFE, SHARE, REFSHARE, PVAL, CURVE, UNKNOWN, SELECTED, YEAR, RANK, IBC_SITE, IBC, JUNC, POP, CUR, NPVK, RANKK, STARS, SE, AVLO, AVHI, BCRLO, BCRHI, PKG, N };
    static const char *const names[N] = {
        "site", "route_id", "from_m", "to_m", "from_km", "to_km", "length_m", "countermeasure", "cmf_status",
        "cmf_source", "cmf", "expected_per_yr", "expected_is_eb", "target_per_yr", "crashes_avoided_per_yr",
        "ksi_avoided_per_yr", "pv_benefit", "pv_cost", "install_cost", "bcr", "npv", "cost_per_ksi_avoided",
        "life_yr", "pattern_share", "reference_share", "pattern_p_value", "min_radius_m", "conditions_unknown",
        "selected", "year", "rank", "ibc_site_rank", "ibc_rank", "intersection_id", "population", "currency",
        "npv_kabco", "rank_kabco", "cmf_stars", "cmf_se", "crashes_avoided_low_per_yr",
        "crashes_avoided_high_per_yr", "bcr_low", "bcr_high", "package"
    };
    static const int types[N] = {
        RB_FT_INT, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_STRING,
        RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_INT, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL,
        RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_INT, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL,
        RB_FT_REAL, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_STRING, RB_FT_STRING,
        RB_FT_STRING, RB_FT_REAL, RB_FT_INT, RB_FT_INT, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_REAL, RB_FT_STRING
    };
    size_t col[N];
    uint32_t *route = NULL;
    double *a = NULL, *b = NULL;
    for (int k = 0; k < N; k++)
        if (rb_report_own_col(o, rb_report_post_col(run->cfg, names[k]), types[k], &col[k]))
            goto nomem;
    o->own.cols[col[EB]].boolean = o->own.cols[col[UNKNOWN]].boolean = o->own.cols[col[SELECTED]].boolean = 1;
    route = rb_mallocarray(plan->n ? plan->n : 1, sizeof *route);
    a = rb_mallocarray(plan->n ? plan->n : 1, sizeof *a);
    b = rb_mallocarray(plan->n ? plan->n : 1, sizeof *b);
    if (!route || !a || !b)
        goto nomem;
    struct rb_table *t = &o->own;
    for (size_t i = 0; i < plan->n; i++) {
        const struct rb_plan_alt *al = &plan->alt[i];
        const struct rb_plan_site *s = &sites[al->site];
        char ids[1024] = "", src[8192] = "", k0[32], k1[32], jid[64];
        int pk = rb_catalogue_package(cat, al->cms);   /* a package's evidence is its own */
        for (size_t k = 0; k < cat->n; k++)
            if (al->cms >> k & 1) {
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? "+" : "", cat->cm[k].id);
                if (pk < 0)
                    snprintf(src + strlen(src), sizeof src - strlen(src), "%s%s", src[0] ? " | " : "",
                             cat->cm[k].source);
            }
        if (pk >= 0)
            snprintf(src, sizeof src, "%s", cat->pk[pk].source);
        if (rb_table_add_row(t) || rb_table_set_str(t, col[ROUTE], i, run->routes->id[s->route]) ||
            rb_table_set_str(t, col[FROMKM], i, rb_report_post(run->cfg, s->from_m, k0, sizeof k0)) ||
            rb_table_set_str(t, col[TOKM], i, rb_report_post(run->cfg, s->to_m, k1, sizeof k1)) ||
            rb_table_set_str(t, col[CM], i, ids) ||
            rb_table_set_str(t, col[STATUS], i, rb_catalogue_evidence(cat, al->cms)) ||
            rb_table_set_str(t, col[SOURCE], i, src) ||
            rb_table_set_str(t, col[CUR], i, currency) ||
            (pk >= 0 && rb_table_set_str(t, col[PKG], i, cat->pk[pk].id)) ||
            (run->pop_names && s->pop < run->npop && rb_table_set_str(t, col[POP], i, run->pop_names[s->pop])) ||
            (s->junction >= 0 && run->junctions &&
             rb_table_set_str(t, col[JUNC], i, rb_report_junction_id(run->junctions, (size_t)s->junction, jid,
                                                                     sizeof jid))))
            goto nomem;
        t->cols[col[SITE]].i[i] = (int64_t)al->site + 1;
        t->cols[col[FROM]].d[i] = rb_report_mm(s->from_m);
        t->cols[col[TO]].d[i] = rb_report_mm(s->to_m);
        t->cols[col[LEN]].d[i] = rb_report_mm(s->to_m - s->from_m);
        t->cols[col[CMF]].d[i] = al->a.cmf;
        t->cols[col[EXPECTED]].d[i] = al->a.expected_per_yr;
        t->cols[col[EB]].i[i] = s->eb;
        t->cols[col[TARGET]].d[i] = al->a.target_per_yr;
        t->cols[col[AVOIDED]].d[i] = al->a.avoided_per_yr;
        t->cols[col[KSI]].d[i] = al->a.ksi_avoided_per_yr;
        t->cols[col[PVB]].d[i] = round(al->a.pv_benefit);
        t->cols[col[PVC]].d[i] = round(al->a.pv_cost);
        t->cols[col[INSTALL]].d[i] = round(al->a.install_cost);
        t->cols[col[BCR]].d[i] = finite_or_nan(al->a.bcr);
        t->cols[col[NPV]].d[i] = round(al->a.npv);
        t->cols[col[CPK]].d[i] = finite_or_nan(round(al->a.cost_per_ksi));
        t->cols[col[LIFE]].i[i] = (int64_t)al->a.life_yr;
        t->cols[col[SHARE]].d[i] = al->diag.share;
        t->cols[col[REFSHARE]].d[i] = al->diag.ref_share;
        t->cols[col[PVAL]].d[i] = al->diag.p_value;
        t->cols[col[CURVE]].d[i] = finite_or_nan(round(s->min_radius_m));
        t->cols[col[UNKNOWN]].i[i] = al->unknown;
        t->cols[col[SELECTED]].i[i] = al->selected;
        t->cols[col[YEAR]].i[i] = al->year;
        t->cols[col[RANK]].i[i] = al->rank;
        t->cols[col[IBC_SITE]].i[i] = al->ibc_site_rank;
        t->cols[col[IBC]].i[i] = al->ibc_rank;
        t->cols[col[NPVK]].d[i] = round(al->npv_kabco);
        t->cols[col[RANKK]].i[i] = al->rank_kabco;
        /* the weakest entry's rating; a standard error for one entry alone */
        int stars = rb_catalogue_stars(cat, al->cms);
        t->cols[col[STARS]].i[i] = stars ? stars : RB_NULL_INT;
        int one = -1;
        for (size_t k = 0; k < cat->n; k++)
            if (al->cms >> k & 1)
                one = one == -1 ? (int)k : -2;
        t->cols[col[SE]].d[i] = pk >= 0 ? cat->pk[pk].cmf_se : one >= 0 ? cat->cm[one].cmf_se : NAN;
        t->cols[col[AVLO]].d[i] = al->a.avoided_low_per_yr;
        t->cols[col[AVHI]].d[i] = al->a.avoided_high_per_yr;
        t->cols[col[BCRLO]].d[i] = finite_or_nan(al->a.bcr_low);
        t->cols[col[BCRHI]].d[i] = finite_or_nan(al->a.bcr_high);
        route[i] = s->route;
        a[i] = s->from_m;
        b[i] = s->to_m;
    }
    int rc = rb_report_route_geometry(run, o, plan->n, route, a, b);
    rb_free(route);
    rb_free(a);
    rb_free(b);
    if (rc) {
        rb_out_layer_free(o);
        return rb_err_nomem(err);
    }
    return RB_OK;
nomem:
    rb_free(route);
    rb_free(a);
    rb_free(b);
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}
