/* report/layer: what every table builder shares — an output layer's owned
 * columns and geometry, rounding, chainages as crews write them, the
 * screening sites' measure columns and the junctions' ids. */
#include "report/layer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double rb_report_mm(double v)
{
    return v == v ? round(v * 1000.0) / 1000.0 : v;
}

const char *rb_report_km(double m, char *buf, size_t n)
{
    long whole = lround(m);
    snprintf(buf, n, "km %ld+%03ld", whole / 1000, whole % 1000);
    return buf;
}

int rb_report_us(const struct rb_config *cfg)
{
    return cfg && cfg->units && !strcmp(cfg->units, "us");
}

const char *rb_report_post(const struct rb_config *cfg, double m, char *buf, size_t n)
{
    if (!rb_report_us(cfg))
        return rb_report_km(m, buf, n);
    snprintf(buf, n, "MP %.2f", m / 1609.344);    /* the international mile */
    return buf;
}

const char *rb_report_post_col(const struct rb_config *cfg, const char *name)
{
    if (!rb_report_us(cfg))
        return name;
    return !strcmp(name, "from_km") ? "from_mp" : !strcmp(name, "to_km") ? "to_mp" : name;
}

/* Adds an owned column and exposes it in the layer under its own name. */
int rb_report_own_col(struct rb_out_layer *o, const char *name, int type, size_t *col)
{
    if (rb_table_add_col(&o->own, name, type))
        return RB_ENOMEM;
    *col = o->own.ncols - 1;
    return rb_layer_add_col(&o->layer, o->own.cols[*col].name, &o->own, *col);
}

int rb_report_points(struct rb_out_layer *o, size_t n, const double *x, const double *y, size_t stride)
{
    o->part_off = rb_mallocarray(n + 1, sizeof *o->part_off);
    o->pt_off = rb_mallocarray(n + 1, sizeof *o->pt_off);
    o->xy = rb_mallocarray(rb_size_mul(n ? n : 1, 2), sizeof *o->xy);
    if (!o->part_off || !o->pt_off || !o->xy)
        return RB_ENOMEM;
    size_t parts = 0;
    for (size_t i = 0; i < n; i++) {
        o->part_off[i] = parts;
        double px = *(const double *)((const char *)x + i * stride);
        double py = *(const double *)((const char *)y + i * stride);
        if (px == px && py == py) {
            o->pt_off[parts] = parts;
            o->xy[2 * parts] = px;
            o->xy[2 * parts + 1] = py;
            parts++;
        }
    }
    o->part_off[n] = parts;
    o->pt_off[parts] = parts;
    o->layer.geom = RB_GEOM_POINT;
    o->layer.part_off = o->part_off;
    o->layer.pt_off = o->pt_off;
    o->layer.xy = o->xy;
    return RB_OK;
}

/* Geometry of sites along routes: each row the route between its chainages. */
int rb_report_route_geometry(const struct rb_match_run *run, struct rb_out_layer *o, size_t n,
                          const uint32_t *route, const double *from_m, const double *to_m)
{
    size_t capxy = 0, cappt = 0, npts = 0, nparts = 0;
    struct rb_routes_ix ix;
    o->part_off = rb_mallocarray(n + 1, sizeof *o->part_off);
    if (!o->part_off || rb_routes_ix_build(run->routes, &ix))
        return RB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        o->part_off[i] = nparts;
        if (rb_routes_substring_ix(run->routes, &ix, run->net, route[i], from_m[i], to_m[i], &o->xy, &capxy, &npts,
                                   &o->pt_off, &cappt, &nparts)) {
            rb_routes_ix_free(&ix);
            return RB_ENOMEM;
        }
    }
    rb_routes_ix_free(&ix);
    o->part_off[n] = nparts;
    if (rb_grow((void **)&o->pt_off, &cappt, nparts + 1, sizeof *o->pt_off))
        return RB_ENOMEM;
    o->pt_off[nparts] = npts;
    if (!o->xy && !(o->xy = rb_mallocarray(2, sizeof *o->xy)))
        return RB_ENOMEM;
    o->layer.geom = RB_GEOM_MULTILINE;
    o->layer.part_off = o->part_off;
    o->layer.pt_off = o->pt_off;
    o->layer.xy = o->xy;
    return RB_OK;
}

void rb_out_layer_free(struct rb_out_layer *o)
{
    if (!o)
        return;
    rb_layer_free_cols(&o->layer);
    rb_table_free(&o->own);
    for (size_t k = 0; k < o->nnames; k++)
        rb_free(o->names[k]);
    rb_free(o->names);
    rb_free(o->part_off);
    rb_free(o->pt_off);
    rb_free(o->xy);
    memset(o, 0, sizeof *o);
}

const char *const rb_site_fields[] = { "crit_rate_per_mvkm", "rate_ratio", "rsi", "rsi_excess",
                                       "mom_excess_per_yr", "pred_per_yr", "excess_spf_per_yr", "loss",
                                       "eb_weight", "eb_per_yr", "eb_epdo_per_yr", "excess_per_yr", "p_target",
                                       "p_exceed", "excess_prop", NULL };

void rb_report_site_values(const struct rb_sites *s, size_t i, double v[RB_NSITE_FIELDS])
{
    const double x[RB_NSITE_FIELDS] = { s->crit_rate_per_mvkm[i], s->rate_ratio[i], s->rsi[i], s->rsi_excess[i],
                                        s->mom_excess_per_yr[i], s->pred_per_yr[i], s->excess_spf_per_yr[i],
                                        s->loss[i], s->eb_weight[i], s->eb_per_yr[i], s->eb_epdo_per_yr[i],
                                        s->excess_per_yr[i], s->p_target[i], s->p_exceed[i], s->excess_prop[i] };
    memcpy(v, x, sizeof x);
}

const char *rb_report_junction_id(const struct rb_junctions *j, size_t i, char *buf, size_t n)
{
    if (j->label)
        snprintf(buf, n, "%s", j->label[i]);
    else
        snprintf(buf, n, "N%u", j->node[i] + 1);
    return buf;
}
