/* io/points: point layers (an intersection inventory) read with their fields,
 * and the empty road set of a run that has no roads. */
#include "io/io.h"
#include "io/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void rb_points_free(struct rb_points *p)
{
    if (!p)
        return;
    rb_free(p->xy);
    rb_free(p->fid);
    rb_table_free(&p->attrs);
    rb_free(p->path);
    memset(p, 0, sizeof *p);
}

int rb_io_read_points(const char *path, const char *layer_name, const char *what, const char *work_srs_wkt,
                      struct rb_points *p, struct rb_log *log, struct rb_err *err)
{
    memset(p, 0, sizeof *p);
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRSpatialReferenceH src, work;
    OGRCoordinateTransformationH ct;
    size_t capxy = 0, capfid = 0;
    int rc = rb_open_layer_work(path, layer_name, what, work_srs_wkt, &ds, &layer, &src, &work, &ct, err);
    if (rc)
        goto done;
    if (!(p->path = rb_strdup(path)) || rb_table_from_defn(OGR_L_GetLayerDefn(layer), &p->attrs)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    rb_gdal_push();
    while (!rc && (f = OGR_L_GetNextFeature(layer))) {
        char label[64];
        long long fid = (long long)OGR_F_GetFID(f);
        snprintf(label, sizeof label, "feature %lld", fid);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType gt = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        /* a point, or the first point of a multipoint */
        OGRGeometryH pt = gt == wkbPoint ? g : gt == wkbMultiPoint && OGR_G_GetGeometryCount(g) > 0
                                                ? OGR_G_GetGeometryRef(g, 0) : NULL;
        if (!pt || OGR_G_IsEmpty(pt)) {
            rb_warn(log, RB_W_OTHER, "%s: %s: %s, not a point; it is left out of the %s", path, label,
                    g ? OGRGeometryTypeToName(gt) : "no geometry", what);
            OGR_F_Destroy(f);
            continue;
        }
        double x = OGR_G_GetX(pt, 0), y = OGR_G_GetY(pt, 0);
        size_t i = p->n;
        if (rb_grow((void **)&p->xy, &capxy, 2 * (i + 1), sizeof *p->xy) ||
            rb_grow((void **)&p->fid, &capfid, i + 1, sizeof *p->fid) || rb_table_add_row(&p->attrs) ||
            rb_table_fill_row(&p->attrs, i, f, NULL, path, label, log)) {
            rc = rb_err_nomem(err);
        } else if ((ct && !OCTTransform(ct, 1, &x, &y, NULL)) || !isfinite(x) || !isfinite(y)) {
            rc = rb_err_set(err, RB_EINVAL, "%s: %s: cannot transform to the working CRS", path, label);
        } else {
            p->xy[2 * i] = x;
            p->xy[2 * i + 1] = y;
            p->fid[i] = fid;
            p->n++;
        }
        OGR_F_Destroy(f);
    }
    rb_gdal_pop();
    if (!rc && !p->n)
        rc = rb_err_set(err, RB_EINVAL, "%s: the %s layer has no points", path, what);
done:
    rb_gdal_release(ds, ct, src, work);
    if (rc)
        rb_points_free(p);
    return rc;
}

int rb_io_roads_none(const char *path, const char *layer_name, const char *what, struct rb_roads *r,
                     struct rb_err *err)
{
    memset(r, 0, sizeof *r);
    r->col_id = r->col_route = r->col_name = r->col_aadt = r->col_speed = r->col_lanes = r->col_area = r->col_shoulder = r->col_bridge =
        r->col_divided = r->col_tunnel = r->col_layer = r->col_lit = -1;
    GDALDatasetH ds;
    OGRLayerH layer;
    int rc = rb_open_layer(path, layer_name, what, &ds, &layer, err);
    if (rc)
        return rc;
    OGRSpatialReferenceH src = rb_srs_clone(OGR_L_GetSpatialRef(layer)), work = NULL;
    r->part0 = rb_calloc(1, sizeof *r->part0);
    r->pt0 = rb_calloc(1, sizeof *r->pt0);
    r->xy = rb_malloc(2 * sizeof *r->xy);
    r->fid = rb_malloc(sizeof *r->fid);
    r->path = rb_strdup(path);
    if (!r->part0 || !r->pt0 || !r->xy || !r->fid || !r->path) {
        rc = rb_err_nomem(err);
        goto done;
    }
    if (!src) {
        rc = rb_err_set(err, RB_EINVAL, "%s: the %s layer has no CRS", path, what);
        goto done;
    }
    if (!(work = rb_choose_work_srs(src, layer, what, err))) {
        rc = err->code;
        goto done;
    }
    if ((rc = rb_roads_set_crs(r, src, work, what, err)))
        goto done;
    r->extent[0] = r->extent[1] = r->extent[2] = r->extent[3] = NAN;
done:
    rb_gdal_release(ds, NULL, src, work);
    if (rc)
        rb_roads_free(r);
    return rc;
}
