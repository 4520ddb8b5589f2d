/* io/gdal: GDAL error capture, spatial references, opening layers, copying fields. */
#include "io/internal.h"

#include <math.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

static char gdal_msg[1024];

static void CPL_STDCALL capture(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    if (cls >= CE_Warning)
        snprintf(gdal_msg, sizeof gdal_msg, "%s", msg ? msg : "");
}

const char *const *rb_gdal_oo, *const *rb_gdal_dsco, *const *rb_gdal_lco;
const char *rb_gdal_format;

void rb_io_set_gdal_options(const char *const *oo, const char *const *dsco, const char *const *lco,
                            const char *format)
{
    rb_gdal_oo = oo;
    rb_gdal_dsco = dsco;
    rb_gdal_lco = lco;
    rb_gdal_format = format;
}

char **rb_open_options(const char *const *own)
{
    char **l = NULL;
    for (size_t k = 0; own && own[k]; k++)
        l = CSLAddString(l, own[k]);
    for (size_t k = 0; rb_gdal_oo && rb_gdal_oo[k]; k++)
        l = CSLAddString(l, rb_gdal_oo[k]);
    return l;
}

void rb_gdal_push(void)
{
    gdal_msg[0] = 0;
    CPLPushErrorHandler(capture);
}

void rb_gdal_pop(void)
{
    CPLPopErrorHandler();
}

const char *rb_gdal_last(void)
{
    return gdal_msg;
}

static void set_traditional(OGRSpatialReferenceH srs)
{
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
}

OGRSpatialReferenceH rb_srs_from_user(const char *text, const char *what, struct rb_err *err)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    rb_gdal_push();
    OGRErr e = OSRSetFromUserInput(srs, text);
    rb_gdal_pop();
    if (e != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        rb_err_set(err, RB_EUSAGE, "%s: cannot understand CRS '%s'", what, text);
        return NULL;
    }
    set_traditional(srs);
    return srs;
}

OGRSpatialReferenceH rb_srs_from_wkt(const char *wkt)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *w = (char *)wkt;
    if (OSRImportFromWkt(srs, &w) != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        return NULL;
    }
    set_traditional(srs);
    return srs;
}

OGRSpatialReferenceH rb_srs_clone(OGRSpatialReferenceH srs)
{
    if (!srs)
        return NULL;
    OGRSpatialReferenceH c = OSRClone(srs);
    set_traditional(c);
    return c;
}

int rb_srs_wkt(OGRSpatialReferenceH srs, char **out)
{
    char *w = NULL;
    const char *opts[] = { "FORMAT=WKT2_2018", NULL };
    *out = NULL;
    if (OSRExportToWktEx(srs, &w, opts) != OGRERR_NONE || !w) {
        CPLFree(w);
        return RB_EINVAL;
    }
    *out = rb_strdup(w);
    CPLFree(w);
    return *out ? RB_OK : RB_ENOMEM;
}

int rb_io_transform_xy(const char *from, const char *to, size_t n, double *x, double *y, char *name,
                       size_t name_n, struct rb_err *err)
{
    OGRSpatialReferenceH a = rb_srs_from_user(from, "CRS", err), b = a ? rb_srs_from_user(to, "CRS", err) : NULL;
    OGRCoordinateTransformationH ct = b ? OCTNewCoordinateTransformation(a, b) : NULL;
    if (name && a)
        rb_crs_name(a, name, name_n);
    int rc = !a || !b ? err->code : !ct ? rb_err_set(err, RB_EINVAL, "cannot transform between the CRSs") : RB_OK;
    if (ct) {
        int *ok = rb_mallocarray(n ? n : 1, sizeof *ok);
        if (!ok) {
            rc = rb_err_nomem(err);
        } else {
            rb_gdal_push();
            if (n && !OCTTransformEx(ct, (int)n, x, y, NULL, ok))
                for (size_t i = 0; i < n; i++)
                    ok[i] = 0;
            rb_gdal_pop();
            for (size_t i = 0; i < n; i++)
                if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i]))
                    x[i] = y[i] = NAN;
            rb_free(ok);
        }
        OCTDestroyCoordinateTransformation(ct);
    }
    if (a) OSRDestroySpatialReference(a);
    if (b) OSRDestroySpatialReference(b);
    return rc;
}

int rb_open_layer(const char *path, const char *layer_name, const char *what,
                  GDALDatasetH *ds, OGRLayerH *layer, struct rb_err *err)
{
    *ds = NULL;
    *layer = NULL;
    if (!path)
        return rb_err_set(err, RB_EUSAGE, "no %s given (--%s FILE)", what, what);
    /* OpenStreetMap: the road tags as fields, by rumble's osmconf.ini */
    char conf[4200];
    const char *oo[2] = { NULL, NULL };
    if (rb_io_is_osm(path)) {
        char ini[4096];
        rb_data_path(NULL, "osmconf.ini", ini, sizeof ini);
        snprintf(conf, sizeof conf, "CONFIG_FILE=%s", ini);
        oo[0] = conf;
        if (!layer_name)
            layer_name = "lines";
    }
    char **opts = rb_open_options(oo);
    rb_gdal_push();
    GDALDatasetH d = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, rb_io_drivers_for(path),
                                (const char *const *)opts, NULL);
    rb_gdal_pop();
    CSLDestroy(opts);
    if (!d) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return rb_err_set(err, RB_EIO, "cannot open %s '%s': no such file or not readable",
                              what, path);
        fclose(f);
        return rb_err_set(err, RB_EIO, "cannot open %s '%s': not a vector format GDAL reads%s%s",
                          what, path, rb_gdal_last()[0] ? ": " : "", rb_gdal_last());
    }
    int n = GDALDatasetGetLayerCount(d);
    OGRLayerH l = NULL;
    if (layer_name) {
        l = GDALDatasetGetLayerByName(d, layer_name);
        if (!l) {
            char names[512] = "";
            for (int i = 0; i < n && strlen(names) < 400; i++) {
                if (i) strcat(names, ", ");
                strncat(names, OGR_L_GetName(GDALDatasetGetLayer(d, i)), 100);
            }
            GDALClose(d);
            return rb_err_set(err, RB_EINVAL, "%s: no layer '%s' (layers: %s)", path, layer_name,
                              n ? names : "none");
        }
    } else if (n == 1) {
        l = GDALDatasetGetLayer(d, 0);
    } else {
        char names[512] = "";
        for (int i = 0; i < n && strlen(names) < 400; i++) {
            if (i) strcat(names, ", ");
            strncat(names, OGR_L_GetName(GDALDatasetGetLayer(d, i)), 100);
        }
        GDALClose(d);
        if (n == 0)
            return rb_err_set(err, RB_EINVAL, "%s: no layers", path);
        return rb_err_set(err, RB_EUSAGE, "%s: %d layers, name one with --%s-layer (layers: %s)",
                          path, n, what, names);
    }
    *ds = d;
    *layer = l;
    return RB_OK;
}

long rb_field_index(OGRFeatureDefnH defn, const char *name)
{
    int i = OGR_FD_GetFieldIndex(defn, name);
    if (i >= 0)
        return i;
    for (int k = 0; k < OGR_FD_GetFieldCount(defn); k++)
        if (strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)), name) == 0)
            return k;
    return -1;
}

int rb_field_need(OGRFeatureDefnH defn, const char *name, const char *key, const char *path,
                  long *out, struct rb_err *err)
{
    *out = -1;
    if (!name)
        return RB_OK;
    if ((*out = rb_field_index(defn, name)) >= 0)
        return RB_OK;
    char list[600] = "";
    for (int k = 0; k < OGR_FD_GetFieldCount(defn) && strlen(list) < 500; k++) {
        if (k) strcat(list, ", ");
        strncat(list, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)), 60);
    }
    return rb_err_set(err, RB_EINVAL, "%s: no field '%s' (%s); fields are: %s", path, name, key,
                      list[0] ? list : "none");
}

static int ftype_from_ogr(OGRFieldType t)
{
    switch (t) {
    case OFTInteger: case OFTInteger64: return RB_FT_INT;
    case OFTReal: return RB_FT_REAL;
    case OFTDate: return RB_FT_DATE;
    case OFTTime: return RB_FT_TIME;
    case OFTDateTime: return RB_FT_DATETIME;
    default: return RB_FT_STRING;
    }
}

int rb_table_from_defn(OGRFeatureDefnH defn, struct rb_table *t)
{
    return rb_table_from_defn_some(defn, NULL, t, NULL);
}

int rb_table_from_defn_some(OGRFeatureDefnH defn, const char *const *fields, struct rb_table *t, int *map)
{
    int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        int want = !fields;
        for (size_t j = 0; fields && fields[j] && !want; j++)
            want = !strcmp(fields[j], OGR_Fld_GetNameRef(fd));
        if (!want)
            continue;
        if (map)
            map[t->ncols] = i;
        if (rb_table_add_col(t, OGR_Fld_GetNameRef(fd), ftype_from_ogr(OGR_Fld_GetType(fd))))
            return RB_ENOMEM;
        t->cols[t->ncols - 1].width = OGR_Fld_GetType(fd) == OFTString ? OGR_Fld_GetWidth(fd) : 0;
        t->cols[t->ncols - 1].boolean = OGR_Fld_GetSubType(fd) == OFSTBoolean;
    }
    return RB_OK;
}

int rb_table_fill_row(struct rb_table *t, size_t row, OGRFeatureH f, const char *encoding,
                      const char *path, const char *rowlabel, struct rb_log *log)
{
    return rb_table_fill_row_map(t, row, f, NULL, encoding, path, rowlabel, log);
}

int rb_table_fill_row_map(struct rb_table *t, size_t row, OGRFeatureH f, const int *map, const char *encoding,
                          const char *path, const char *rowlabel, struct rb_log *log)
{
    for (size_t k = 0; k < t->ncols; k++) {
        struct rb_column *c = &t->cols[k];
        int i = map ? map[k] : (int)k;
        if (!OGR_F_IsFieldSetAndNotNull(f, i))
            continue;
        if (c->i) {
            c->i[row] = OGR_F_GetFieldAsInteger64(f, i);
        } else if (c->d) {
            c->d[row] = OGR_F_GetFieldAsDouble(f, i);
        } else {
            const char *s = OGR_F_GetFieldAsString(f, i);
            char *recoded = NULL, *repaired = NULL;
            if (encoding && c->type == RB_FT_STRING) {
                recoded = CPLRecode(s, encoding, CPL_ENC_UTF8);
                s = recoded;
            }
            if (rb_utf8_invalid_at(s, strlen(s)) >= 0) {
                repaired = rb_utf8_repair(s);
                if (!repaired) {
                    CPLFree(recoded);
                    return RB_ENOMEM;
                }
                rb_warn(log, RB_W_UTF8, "%s: %s, field '%s': invalid UTF-8 replaced by U+FFFD"
                        " (set crashes.encoding if the file is not UTF-8)", path, rowlabel, c->name);
                s = repaired;
            }
            int rc = rb_table_set_str(t, k, row, s);
            CPLFree(recoded);
            rb_free(repaired);
            if (rc)
                return rc;
        }
    }
    return RB_OK;
}

void rb_gdal_release(GDALDatasetH ds, OGRCoordinateTransformationH ct, OGRSpatialReferenceH a,
                     OGRSpatialReferenceH b)
{
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (a)
        OSRDestroySpatialReference(a);
    if (b)
        OSRDestroySpatialReference(b);
    if (ds)
        GDALClose(ds);
}

const char *const *rb_io_drivers_for(const char *path)
{
    /* a table named .csv or .tsv is read as text by the CSV driver only: GDAL
     * would otherwise ask every driver whether it is theirs (a CSV that holds
     * JSON or a WFS capabilities document must not be read as one) */
    static const char *const csv[] = { "CSV", NULL };
    size_t n = path ? strlen(path) : 0;
    if (n >= 4 && (!strcasecmp(path + n - 4, ".csv") || !strcasecmp(path + n - 4, ".tsv")))
        return csv;
    return NULL;
}

int rb_io_is_osm(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return (n >= 4 && !strcmp(path + n - 4, ".osm")) || (n >= 4 && !strcmp(path + n - 4, ".pbf"));
}
