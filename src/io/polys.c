/* io/polys: polygon layers (settlements) read into plain rings. */
#include "io/io.h"
#include "io/internal.h"

#include <string.h>

void rb_polys_free(struct rb_polys *p)
{
    if (!p)
        return;
    rb_free(p->ring0);
    rb_free(p->pt0);
    rb_free(p->xy);
    memset(p, 0, sizeof *p);
}

/* Appends a ring's points (transformed by ct when given). */
static int add_ring(struct rb_polys *p, OGRGeometryH ring, OGRCoordinateTransformationH ct, size_t *cap_pt0,
                    size_t *cap_xy)
{
    int n = OGR_G_GetPointCount(ring);
    if (n < 3)
        return RB_OK;
    if (rb_grow((void **)&p->pt0, cap_pt0, p->nrings + 2, sizeof *p->pt0) ||
        rb_grow((void **)&p->xy, cap_xy, 2 * (p->npts + (size_t)n), sizeof *p->xy))
        return RB_ENOMEM;
    double *x = p->xy + 2 * p->npts;
    OGR_G_GetPoints(ring, x, 2 * sizeof(double), x + 1, 2 * sizeof(double), NULL, 0);
    /* interleaved x, y: transform point by point */
    for (int i = 0; ct && i < n; i++)
        if (!OCTTransform(ct, 1, x + 2 * i, x + 2 * i + 1, NULL))
            return RB_EINVAL;
    p->pt0[p->nrings++] = p->npts;
    p->npts += (size_t)n;
    return RB_OK;
}

int rb_io_read_polys(const char *path, const char *layer_name, const char *what, const char *work_srs_wkt,
                     struct rb_polys *p, struct rb_err *err)
{
    memset(p, 0, sizeof *p);
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRSpatialReferenceH src, work;
    OGRCoordinateTransformationH ct;
    size_t cap_ring0 = 0, cap_pt0 = 0, cap_xy = 0;
    int rc = rb_open_layer_work(path, layer_name, what, work_srs_wkt, &ds, &layer, &src, &work, &ct, err);
    if (rc)
        goto done;
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    rb_gdal_push();
    while (!rc && (f = OGR_L_GetNextFeature(layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType gt = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        int nsub = gt == wkbPolygon ? 1 : gt == wkbMultiPolygon ? OGR_G_GetGeometryCount(g) : 0;
        for (int k = 0; k < nsub && !rc; k++) {
            OGRGeometryH poly = gt == wkbPolygon ? g : OGR_G_GetGeometryRef(g, k);
            if (rb_grow((void **)&p->ring0, &cap_ring0, p->npolys + 2, sizeof *p->ring0)) {
                rc = RB_ENOMEM;
                break;
            }
            size_t first = p->nrings;
            for (int r = 0; r < OGR_G_GetGeometryCount(poly) && !rc; r++)
                rc = add_ring(p, OGR_G_GetGeometryRef(poly, r), ct, &cap_pt0, &cap_xy);
            if (!rc && p->nrings > first)
                p->ring0[p->npolys++] = first;
        }
        long long fid = (long long)OGR_F_GetFID(f);
        OGR_F_Destroy(f);
        if (rc == RB_ENOMEM)
            rb_err_nomem(err);
        else if (rc)
            rb_err_set(err, rc, "%s: feature %lld: cannot transform to the working CRS", path, fid);
    }
    rb_gdal_pop();
    if (!rc && (rb_grow((void **)&p->ring0, &cap_ring0, p->npolys + 1, sizeof *p->ring0) ||
                rb_grow((void **)&p->pt0, &cap_pt0, p->nrings + 1, sizeof *p->pt0)))
        rc = rb_err_nomem(err);
    if (!rc) {
        p->ring0[p->npolys] = p->nrings;
        p->pt0[p->nrings] = p->npts;
        if (!p->npolys)
            rc = rb_err_set(err, RB_EINVAL, "%s: the %s layer has no polygons", path, what);
    }
done:
    rb_gdal_release(ds, ct, src, work);
    if (rc)
        rb_polys_free(p);
    return rc;
}
