/* io/shapes: whole layers of an output GeoPackage read back, geometry as stored
 * (for the report, which draws in the output CRS). */
#include "io/internal.h"

#include <stdlib.h>
#include <string.h>

struct acc {
    struct rb_shapes *s;
    size_t cap_parts, cap_pts;
};

static int add_point(struct acc *a, double x, double y)
{
    struct rb_shapes *s = a->s;
    if (rb_grow((void **)&s->xy, &a->cap_pts, 2 * (s->npts + 1), sizeof *s->xy))
        return RB_ENOMEM;
    s->xy[2 * s->npts] = x;
    s->xy[2 * s->npts + 1] = y;
    s->npts++;
    return RB_OK;
}

/* one part: a point, a line or a ring */
static int add_part(struct acc *a, OGRGeometryH g)
{
    struct rb_shapes *s = a->s;
    int n = OGR_G_GetPointCount(g);
    if (n <= 0)
        return RB_OK;
    if (rb_grow((void **)&s->pt0, &a->cap_parts, s->nparts + 2, sizeof *s->pt0))
        return RB_ENOMEM;
    for (int i = 0; i < n; i++)
        if (add_point(a, OGR_G_GetX(g, i), OGR_G_GetY(g, i)))
            return RB_ENOMEM;
    s->nparts++;
    s->pt0[s->nparts] = s->npts;
    return RB_OK;
}

/* every part of g, multi-geometries and polygon rings flattened */
static int add_geom(struct acc *a, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint || t == wkbLineString || t == wkbLinearRing)
        return add_part(a, g);
    for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
        if (add_geom(a, OGR_G_GetGeometryRef(g, k)))
            return RB_ENOMEM;
    return RB_OK;
}

/* GDAL skips the fields not asked for, and the geometry when not wanted */
static int ignore_rest(OGRLayerH layer, const struct rb_shapes_req *req)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int n = OGR_FD_GetFieldCount(defn);
    const char **ign = rb_calloc((size_t)n + 2, sizeof *ign);
    if (!ign)
        return RB_ENOMEM;
    size_t k = 0;
    for (int f = 0; req->fields && f < n; f++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, f));
        int want = 0;
        for (size_t j = 0; req->fields[j] && !want; j++)
            want = !strcmp(req->fields[j], name);
        if (!want)
            ign[k++] = name;
    }
    if (!req->geometry)
        ign[k++] = "OGR_GEOMETRY";
    rb_gdal_push();
    OGR_L_SetIgnoredFields(layer, k ? ign : NULL);
    rb_gdal_pop();
    rb_free(ign);
    return RB_OK;
}

static int read_one(const char *path, OGRLayerH layer, const struct rb_shapes_req *req, struct rb_shapes *s,
                    struct rb_log *log)
{
    struct acc a = { s, 0, 0 };
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int *map = rb_malloc(((size_t)OGR_FD_GetFieldCount(defn) + 1) * sizeof *map);
    if (!map)
        return RB_ENOMEM;
    OGRwkbGeometryType gt = wkbFlatten(OGR_FD_GetGeomType(defn));
    s->geom = gt == wkbPoint || gt == wkbMultiPoint ? RB_GEOM_POINT : gt == wkbNone ? RB_GEOM_NONE : RB_GEOM_LINE;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (srs) {
        rb_crs_name(srs, s->crs_name, sizeof s->crs_name);
        s->geographic = OSRIsGeographic(srs);
        if (rb_srs_wkt(srs, &s->crs_wkt) == RB_ENOMEM) {
            rb_free(map);
            return RB_ENOMEM;
        }
    }
    if (rb_table_from_defn_some(defn, req->fields, &s->attrs, map) || !(s->part0 = rb_malloc(sizeof *s->part0)) ||
        !(s->pt0 = rb_malloc(sizeof *s->pt0))) {
        rb_free(map);
        return RB_ENOMEM;
    }
    a.cap_parts = 1;
    s->part0[0] = s->pt0[0] = 0;
    size_t cap_rows = 1;
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer))) {
        char label[64];
        snprintf(label, sizeof label, "feature %lld", (long long)OGR_F_GetFID(f));
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        int rc = rb_table_add_row(&s->attrs) ||
                 rb_table_fill_row_map(&s->attrs, s->n, f, map, NULL, path, label, log) ||
                 (g && !OGR_G_IsEmpty(g) && add_geom(&a, g)) ||
                 rb_grow((void **)&s->part0, &cap_rows, s->n + 2, sizeof *s->part0);
        OGR_F_Destroy(f);
        if (rc) {
            rb_free(map);
            return RB_ENOMEM;
        }
        s->n++;
        s->part0[s->n] = s->nparts;
    }
    rb_free(map);
    return RB_OK;
}

int rb_io_read_shapes(const char *path, const struct rb_shapes_req *req, size_t n, struct rb_shapes *out,
                      struct rb_log *log, struct rb_err *err)
{
    memset(out, 0, n * sizeof *out);
    rb_gdal_push();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    rb_gdal_pop();
    if (!ds) {
        FILE *f = fopen(path, "rb");
        if (f)
            fclose(f);
        return rb_err_set(err, RB_EIO, "cannot open '%s': %s", path,
                          f ? "not a vector format GDAL reads" : "no such file or not readable");
    }
    int rc = RB_OK;
    for (size_t k = 0; k < n && !rc; k++) {
        /* no name: the only (or first) layer */
        OGRLayerH layer = req[k].layer ? GDALDatasetGetLayerByName(ds, req[k].layer) : GDALDatasetGetLayer(ds, 0);
        if (!layer)
            continue;
        out[k].present = 1;
        if (ignore_rest(layer, &req[k]) || read_one(path, layer, &req[k], &out[k], log))
            rc = rb_err_nomem(err);
    }
    GDALClose(ds);
    if (rc)
        for (size_t k = 0; k < n; k++)
            rb_shapes_free(&out[k]);
    return rc;
}

void rb_shapes_free(struct rb_shapes *s)
{
    if (!s)
        return;
    rb_free(s->part0);
    rb_free(s->pt0);
    rb_free(s->xy);
    rb_table_free(&s->attrs);
    rb_free(s->crs_wkt);
    memset(s, 0, sizeof *s);
}

struct cJSON *rb_io_read_json(const char *path, struct rb_err *err)
{
    return rb_json_read(path, err);
}

struct cJSON *rb_locale_read(const char *data_dir, const char *lang, struct rb_err *err)
{
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '-'))
            return rb_err_set(err, RB_EUSAGE, "--lang '%s' is not a language code (en, ru, kk)", lang), NULL;
    char name[64], buf[4096];
    const char *used;
    snprintf(name, sizeof name, "locale/%s.json", lang);
    return rb_data_json(data_dir, name, NULL, buf, sizeof buf, &used, err);
}
