/* io/write: output layers through OGR, written under temporary names and renamed
 * into place only when complete, so an interrupted run leaves no file that looks whole. */
#include "io/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void rb_io_init(void)
{
    GDALAllRegister();
    /* GeoPackages record when each table changed; pin it so the same input gives
     * the same bytes. */
    if (!CPLGetConfigOption("OGR_CURRENT_DATE", NULL))
        CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    /* A spreadsheet's first row is its header even when every cell is text, as
     * in police exports; GDAL would otherwise take such a row for data. Set
     * OGR_XLSX_HEADERS / OGR_ODS_HEADERS to DISABLE for a sheet without one. */
    if (!CPLGetConfigOption("OGR_XLSX_HEADERS", NULL))
        CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    if (!CPLGetConfigOption("OGR_ODS_HEADERS", NULL))
        CPLSetConfigOption("OGR_ODS_HEADERS", "FORCE");
}

void rb_io_cleanup(void)
{
    GDALDestroyDriverManager();
    OSRCleanup();
}

#define RB_MAX_OUT_FILES 32

struct rb_out {
    char *path;                 /* as given */
    char driver[32];
    int multi_layer;            /* one file holds every layer (GeoPackage) */
    int spatial_index;          /* enum rb_spatial_index */
    int last_indexed;           /* the last layer written got an R-tree */
    OGRSpatialReferenceH srs;
    GDALDatasetH ds;            /* multi_layer: the open dataset */
    size_t nfiles;
    char *tmp[RB_MAX_OUT_FILES];
    char *final[RB_MAX_OUT_FILES];
    uint8_t plain[RB_MAX_OUT_FILES];  /* a file of its own (a sidecar .qml), not a dataset's */
    OGRLayerH styles;           /* the GeoPackage's layer_styles, once made */
    char *domains[RB_MAX_OUT_FILES];  /* coded value domains added (GeoPackage) */
    size_t ndomains;
    const struct rb_progress *prog;   /* "writing LAYER", per feature; NULL none */
};

static const struct { const char *ext, *driver; int multi; } drivers[] = {
    { ".gpkg", "GPKG", 1 }, { ".sqlite", "SQLite", 1 }, { ".csv", "CSV", 0 },
    { ".shp", "ESRI Shapefile", 0 }, { ".geojson", "GeoJSON", 0 }, { ".json", "GeoJSON", 0 },
    { ".fgb", "FlatGeobuf", 0 },
};

/* Shapefiles are several files: .shp, .shx, .dbf, .prj, .cpg. */
static const char *const shp_exts[] = { ".shp", ".shx", ".dbf", ".prj", ".cpg" };

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot : "";
}

/* "dir/name.ext" → "dir/name<mid>.ext" */
static char *with_suffix(const char *path, const char *mid)
{
    const char *ext = ext_of(path);
    size_t base = (size_t)(ext - path);
    size_t n = strlen(path) + strlen(mid) + 1;
    char *s = rb_malloc(n);
    if (s)
        snprintf(s, n, "%.*s%s%s", (int)base, path, mid, ext);
    return s;
}

static int add_file(struct rb_out *o, const char *final, struct rb_err *err)
{
    if (o->nfiles == RB_MAX_OUT_FILES)
        return rb_err_set(err, RB_EUSAGE, "too many output layers");
    char mid[64];
    snprintf(mid, sizeof mid, ".tmp%ld", (long)getpid());
    o->final[o->nfiles] = rb_strdup(final);
    o->tmp[o->nfiles] = with_suffix(final, mid);
    if (!o->final[o->nfiles] || !o->tmp[o->nfiles]) {
        rb_free(o->final[o->nfiles]);
        rb_free(o->tmp[o->nfiles]);
        return rb_err_nomem(err);
    }
    o->nfiles++;
    unlink(o->tmp[o->nfiles - 1]);
    return RB_OK;
}

static GDALDatasetH create_ds(const char *driver, const char *path, struct rb_err *err)
{
    GDALDriverH d = GDALGetDriverByName(driver);
    if (!d) {
        rb_err_set(err, RB_EIO, "GDAL has no %s driver", driver);
        return NULL;
    }
    rb_gdal_push();
    GDALDatasetH ds = GDALCreate(d, path, 0, 0, 0, GDT_Unknown, (char **)rb_gdal_dsco);
    rb_gdal_pop();
    if (!ds)
        rb_err_set(err, RB_EIO, "cannot create '%s': %s", path, rb_gdal_last());
    return ds;
}

/* The driver row for path (by -f, else by its extension), or -1 with err set. */
static int driver_of(const char *path, struct rb_err *err)
{
    const char *ext = ext_of(path);
    int k = -1;
    for (size_t i = 0; i < sizeof drivers / sizeof *drivers; i++)
        if (rb_gdal_format ? strcasecmp(rb_gdal_format, drivers[i].driver) == 0 : strcasecmp(ext, drivers[i].ext) == 0)
            k = (int)i;
    if (k < 0 && rb_gdal_format)
        rb_err_set(err, RB_EUSAGE, "-f %s: rumble writes GPKG, SQLite, CSV, \"ESRI Shapefile\", GeoJSON or "
                   "FlatGeobuf", rb_gdal_format);
    else if (k < 0)
        rb_err_set(err, RB_EUSAGE, "cannot tell the output format of '%s' (use .gpkg, .csv, "
                   ".shp, .geojson or .fgb, or -f FORMAT)", path);
    return k;
}

int rb_io_check_writable(const char *path, struct rb_err *err)
{
    if (!*path)
        return rb_err_set(err, RB_EUSAGE, "an output name is empty");
    const char *slash = strrchr(path, '/');
    if (slash && !slash[1])
        return rb_err_set(err, RB_EUSAGE, "'%s' is a directory; name the output file (e.g. %sout.gpkg)", path, path);
    char dir[4096];
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rb_err_set(err, RB_EUSAGE, "cannot write '%s': the directory '%s' does not exist", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return rb_err_set(err, RB_EUSAGE, "cannot write '%s': the directory '%s' is not writable", path, dir);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return rb_err_set(err, RB_EUSAGE, "'%s' is a directory; name the output file", path);
    return RB_OK;
}

int rb_out_check(const char *path, struct rb_err *err)
{
    int k = driver_of(path, err);
    if (k < 0 || rb_io_check_writable(path, err))
        return err->code;
    if (GDALGetDriverCount() && !GDALGetDriverByName(drivers[k].driver))
        return rb_err_set(err, RB_EUSAGE, "cannot write '%s': this GDAL has no %s driver", path, drivers[k].driver);
    return RB_OK;
}

/* Appends a copy of s to the list. */
static int list_add(char ***files, size_t *n, const char *s, struct rb_err *err)
{
    char **l = rb_realloc(*files, (*n + 1) * sizeof *l);
    if (!l)
        return rb_err_nomem(err);
    *files = l;
    if (!(l[*n] = rb_strdup(s)))
        return rb_err_nomem(err);
    (*n)++;
    return RB_OK;
}

/* A file and its temporary name ("dir/name.tmpPID.ext"); a shapefile's
 * siblings too. */
static int list_add_file(char ***files, size_t *n, const char *final, int shp, struct rb_err *err)
{
    char mid[64];
    snprintf(mid, sizeof mid, ".tmp%ld", (long)getpid());
    char *tmp = with_suffix(final, mid);
    if (!tmp)
        return rb_err_nomem(err);
    int rc = RB_OK;
    for (size_t e = 0; e < (shp ? 5u : 1u) && !rc; e++) {
        for (int t = 0; t < 2 && !rc; t++) {
            char *p = rb_strdup(t ? tmp : final);
            if (!p) {
                rc = rb_err_nomem(err);
                break;
            }
            char *dot = strrchr(p, '.');
            if (shp && dot && strlen(dot) == 4)
                memcpy(dot, shp_exts[e], 4);
            rc = list_add(files, n, p, err);
            rb_free(p);
        }
    }
    rb_free(tmp);
    return rc;
}

int rb_out_files(const char *path, const char *const *layers, size_t nlayers, char ***files, size_t *nfiles,
                 struct rb_err *err)
{
    if (!layers)
        return list_add_file(files, nfiles, path, 0, err);
    int k = driver_of(path, err);
    if (k < 0)
        return err->code;
    if (drivers[k].multi)
        return list_add_file(files, nfiles, path, 0, err);
    int shp = !strcmp(drivers[k].driver, "ESRI Shapefile"), csv = !strcmp(drivers[k].driver, "CSV");
    const char *ext = ext_of(path), *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    for (size_t i = 0; i < nlayers; i++) {
        char mid[128];
        size_t nl = strlen(layers[i]);
        int named = (size_t)(ext - base) >= nl && strncmp(ext - nl, layers[i], nl) == 0;
        snprintf(mid, sizeof mid, "%s%s", named ? "" : "_", named ? "" : layers[i]);
        char *final = with_suffix(path, mid);
        if (!final)
            return rb_err_nomem(err);
        int rc = list_add_file(files, nfiles, final, shp, err);
        if (!rc && !csv) {   /* the QGIS style beside it */
            size_t stem = (size_t)(ext_of(final) - final);
            char side[4096];
            snprintf(side, sizeof side, "%.*s.qml", (int)stem, final);
            rc = list_add_file(files, nfiles, side, 0, err);
        }
        rb_free(final);
        if (rc)
            return rc;
    }
    return RB_OK;
}

int rb_out_open(const char *path, const char *crs, struct rb_out **out, struct rb_err *err)
{
    *out = NULL;
    int k = driver_of(path, err);
    if (k < 0)
        return err->code;
    struct rb_out *o = rb_calloc(1, sizeof *o);
    if (!o || !(o->path = rb_strdup(path))) {
        rb_free(o);
        return rb_err_nomem(err);
    }
    snprintf(o->driver, sizeof o->driver, "%s", drivers[k].driver);
    o->multi_layer = drivers[k].multi;
    if (crs && !(o->srs = rb_srs_from_user(crs, path, err))) {
        rb_free(o->path);
        rb_free(o);
        return err->code;
    }
    if (o->multi_layer) {
        int rc = add_file(o, path, err);
        if (rc || !(o->ds = create_ds(o->driver, o->tmp[0], err))) {
            rb_out_abort(o);
            return rc ? rc : err->code;
        }
    }
    *out = o;
    return RB_OK;
}

/* A layer's QGIS style as its default, in the GeoPackage's layer_styles table
 * (QGIS's own columns; catalog and schema empty as QGIS writes them for
 * GeoPackages; no time stamp, so reruns stay byte-identical). */
static int add_style(struct rb_out *o, const char *layer, const char *geom_col, const char *qml, struct rb_err *err)
{
    /* QGIS's columns, in its order; widths as QGIS declares them */
    static const struct { const char *name; OGRFieldType type; int width; } cols[] = {
        { "f_table_catalog", OFTString, 256 }, { "f_table_schema", OFTString, 256 },
        { "f_table_name", OFTString, 256 }, { "f_geometry_column", OFTString, 256 }, { "styleName", OFTString, 0 },
        { "styleQML", OFTString, 0 }, { "styleSLD", OFTString, 0 }, { "useAsDefault", OFTInteger, 0 },
        { "description", OFTString, 0 }, { "owner", OFTString, 30 }, { "ui", OFTString, 30 },
        { "update_time", OFTDateTime, 0 },
    };
    rb_gdal_push();
    if (!o->styles) {
        char **lco = CSLSetNameValue(NULL, "FID", "id");
        o->styles = GDALDatasetCreateLayer(o->ds, "layer_styles", NULL, wkbNone, lco);
        CSLDestroy(lco);
        for (size_t k = 0; o->styles && k < sizeof cols / sizeof *cols; k++) {
            OGRFieldDefnH fd = OGR_Fld_Create(cols[k].name, cols[k].type);
            OGR_Fld_SetWidth(fd, cols[k].width);
            if (cols[k].type == OFTInteger)
                OGR_Fld_SetSubType(fd, OFSTBoolean);
            OGR_L_CreateField(o->styles, fd, TRUE);
            OGR_Fld_Destroy(fd);
        }
    }
    int rc = RB_OK;
    if (!o->styles) {
        rc = rb_err_set(err, RB_EIO, "cannot add layer_styles to '%s': %s", o->path, rb_gdal_last());
    } else {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(o->styles));
        OGR_F_SetFieldString(f, 0, "");
        OGR_F_SetFieldString(f, 1, "");
        OGR_F_SetFieldString(f, 2, layer);
        OGR_F_SetFieldString(f, 3, geom_col);
        OGR_F_SetFieldString(f, 4, layer);
        OGR_F_SetFieldString(f, 5, qml);
        OGR_F_SetFieldString(f, 6, "");
        OGR_F_SetFieldInteger(f, 7, 1);
        OGR_F_SetFieldString(f, 8, "rumble");
        OGR_F_SetFieldString(f, 9, "");
        if (OGR_L_CreateFeature(o->styles, f) != OGRERR_NONE)
            rc = rb_err_set(err, RB_EIO, "cannot write the style of '%s' to '%s': %s", layer, o->path,
                            rb_gdal_last());
        OGR_F_Destroy(f);
    }
    rb_gdal_pop();
    return rc;
}

int rb_out_add_domain(struct rb_out *o, const char *name, const char *desc, const char *const *codes,
                      const char *const *labels, size_t n, struct rb_err *err)
{
    if (!o->multi_layer || strcmp(o->driver, "GPKG"))
        return RB_OK;
    if (o->ndomains == RB_MAX_OUT_FILES)
        return rb_err_set(err, RB_EUSAGE, "too many field domains");
    OGRCodedValue *v = rb_calloc(n + 1, sizeof *v);
    char *copy = rb_strdup(name);
    if (!v || !copy) {
        rb_free(v);
        rb_free(copy);
        return rb_err_nomem(err);
    }
    for (size_t k = 0; k < n; k++) {
        v[k].pszCode = (char *)codes[k];
        v[k].pszValue = (char *)labels[k];
    }
    rb_gdal_push();
    OGRFieldDomainH d = OGR_CodedFldDomain_Create(name, desc, OFTString, OFSTNone, v);
    char *why = NULL;
    int ok = d && GDALDatasetAddFieldDomain(o->ds, d, &why);
    int rc = ok ? RB_OK : rb_err_set(err, RB_EIO, "cannot add the field domain '%s' to '%s': %s", name, o->path,
                                     why ? why : rb_gdal_last());
    CPLFree(why);
    if (d)
        OGR_FldDomain_Destroy(d);
    rb_gdal_pop();
    rb_free(v);
    if (rc)
        rb_free(copy);
    else
        o->domains[o->ndomains++] = copy;
    return rc;
}

/* Integers go out as 32-bit fields when every value fits: GDAL 3.6's GeoPackage
 * writer binds 64-bit integers as text, which costs a format and a parse per value. */
static int fits_int32(const struct rb_column *c, const struct rb_layer *l)
{
    for (size_t k = 0; k < l->nrows; k++) {
        size_t r = l->rows ? l->rows[k] : k;
        if (c->i[r] != RB_NULL_INT && (c->i[r] < INT32_MIN || c->i[r] > INT32_MAX))
            return 0;
    }
    return 1;
}

static OGRFieldType ogr_type(int t)
{
    switch (t) {
    case RB_FT_INT: return OFTInteger64;
    case RB_FT_REAL: return OFTReal;
    case RB_FT_DATE: return OFTDate;
    case RB_FT_TIME: return OFTTime;
    case RB_FT_DATETIME: return OFTDateTime;
    default: return OFTString;
    }
}

static int write_layer(struct rb_out *o, GDALDatasetH ds, const struct rb_layer *l, struct rb_err *err)
{
    int multi = l->geom == RB_GEOM_MULTILINE;
    if (l->geom == RB_GEOM_LINE)
        for (size_t k = 0; k < l->nrows && !multi; k++) {
            size_t r = l->rows ? l->rows[k] : k;
            multi = l->part_off[r + 1] - l->part_off[r] > 1;
        }
    OGRwkbGeometryType gt = l->geom == RB_GEOM_POINT ? wkbPoint
                          : l->geom != RB_GEOM_NONE ? (multi ? wkbMultiLineString : wkbLineString)
                          : wkbNone;
    char **lco = NULL;
    if (!strcmp(o->driver, "CSV"))
        lco = CSLSetNameValue(lco, "GEOMETRY", l->geom == RB_GEOM_POINT ? "AS_XY" : "AS_WKT");
    if (!strcmp(o->driver, "GPKG"))
        lco = CSLSetNameValue(lco, "FID", "fid");
    o->last_indexed = 0;
    if (!strcmp(o->driver, "GPKG") && gt != wkbNone) {
        o->last_indexed = o->spatial_index == RB_SPATIAL_INDEX_YES ||
                          (o->spatial_index == RB_SPATIAL_INDEX_AUTO && l->nrows <= RB_SPATIAL_INDEX_AUTO_MAX);
        lco = CSLSetNameValue(lco, "SPATIAL_INDEX", o->last_indexed ? "YES" : "NO");
    }
    /* the user's -lco NAME=VALUE win */
    for (size_t k = 0; rb_gdal_lco && rb_gdal_lco[k]; k++) {
        char *key = NULL;
        const char *val = CPLParseNameValue(rb_gdal_lco[k], &key);
        if (key && val)
            lco = CSLSetNameValue(lco, key, val);
        CPLFree(key);
    }
    rb_gdal_push();
    OGRLayerH ol = GDALDatasetCreateLayer(ds, l->name, gt == wkbNone ? NULL : o->srs, gt, lco);
    CSLDestroy(lco);
    if (!ol) {
        rb_gdal_pop();
        return rb_err_set(err, RB_EIO, "cannot create layer '%s' in '%s': %s", l->name, o->path,
                          rb_gdal_last());
    }
    for (size_t k = 0; k < l->ncols; k++) {
        const struct rb_column *c = &l->cols[k].tab->cols[l->cols[k].col];
        OGRFieldType ft = ogr_type(c->type);
        if (ft == OFTInteger64 && fits_int32(c, l))
            ft = OFTInteger;
        OGRFieldDefnH fd = OGR_Fld_Create(l->cols[k].name, ft);
        if (c->type == RB_FT_STRING && c->width > 0)
            OGR_Fld_SetWidth(fd, c->width);
        if (c->boolean && ft == OFTInteger)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        for (size_t d = 0; l->cols[k].domain && d < o->ndomains; d++)
            if (!strcmp(o->domains[d], l->cols[k].domain))
                OGR_Fld_SetDomainName(fd, l->cols[k].domain);
        OGRErr e = OGR_L_CreateField(ol, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            rb_gdal_pop();
            return rb_err_set(err, RB_EIO, "cannot create field '%s' in '%s': %s", l->cols[k].name,
                              o->path, rb_gdal_last());
        }
    }
    int rc = RB_OK;
    int txn = GDALDatasetTestCapability(ds, ODsCTransactions) &&
              GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(ol);
    double *px = NULL, *py = NULL;
    size_t cap = 0;
    char what[80];
    snprintf(what, sizeof what, "writing %s", l->name);
    for (size_t w = 0; w < l->nrows && !rc; w++) {
        size_t r = l->rows ? l->rows[w] : w;
        rb_progress_report(o->prog, what, w + 1, l->nrows);
        OGRFeatureH f = OGR_F_Create(defn);
        for (size_t k = 0; k < l->ncols; k++) {
            const struct rb_table *t = l->cols[k].tab;
            const struct rb_column *c = &t->cols[l->cols[k].col];
            int i = (int)k;
            if (c->i) {
                if (c->i[r] != RB_NULL_INT)
                    OGR_F_SetFieldInteger64(f, i, c->i[r]);   /* narrowed by OGR when 32-bit */
                else
                    OGR_F_SetFieldNull(f, i);
            } else if (c->d) {
                if (c->d[r] == c->d[r])
                    OGR_F_SetFieldDouble(f, i, c->d[r]);
                else
                    OGR_F_SetFieldNull(f, i);
            } else {
                const char *s = rb_pool_str(&t->pool, c->s[r]);
                if (s)
                    OGR_F_SetFieldString(f, i, s);
                else
                    OGR_F_SetFieldNull(f, i);
            }
        }
        if (l->geom != RB_GEOM_NONE && l->part_off[r + 1] > l->part_off[r]) {
            OGRGeometryH g = NULL;
            if (l->geom == RB_GEOM_POINT) {
                size_t p = l->pt_off[l->part_off[r]];
                g = OGR_G_CreateGeometry(wkbPoint);
                OGR_G_SetPoint_2D(g, 0, l->xy[2 * p], l->xy[2 * p + 1]);
            } else {
                g = multi ? OGR_G_CreateGeometry(wkbMultiLineString) : NULL;
                for (size_t p = l->part_off[r]; p < l->part_off[r + 1]; p++) {
                    size_t a = l->pt_off[p], n = l->pt_off[p + 1] - a;
                    size_t capy = cap;
                    if (rb_grow((void **)&px, &cap, n, sizeof *px) ||
                        rb_grow((void **)&py, &capy, cap, sizeof *py)) {
                        rc = rb_err_nomem(err);
                        break;
                    }
                    for (size_t j = 0; j < n; j++) {
                        px[j] = l->xy[2 * (a + j)];
                        py[j] = l->xy[2 * (a + j) + 1];
                    }
                    OGRGeometryH ls = OGR_G_CreateGeometry(wkbLineString);
                    OGR_G_SetPoints(ls, (int)n, px, sizeof(double), py, sizeof(double), NULL, 0);
                    if (g)
                        OGR_G_AddGeometryDirectly(g, ls);
                    else
                        g = ls;
                }
            }
            if (g)
                OGR_F_SetGeometryDirectly(f, g);
        }
        if (!rc && OGR_L_CreateFeature(ol, f) != OGRERR_NONE)
            rc = rb_err_set(err, RB_EIO, "cannot write row %zu of layer '%s' to '%s': %s", w + 1,
                            l->name, o->path, rb_gdal_last());
        OGR_F_Destroy(f);
    }
    rb_free(px);
    rb_free(py);
    if (txn && GDALDatasetCommitTransaction(ds) != OGRERR_NONE && !rc)
        rc = rb_err_set(err, RB_EIO, "cannot write layer '%s' to '%s': %s", l->name, o->path,
                        rb_gdal_last());
    rb_gdal_pop();
    if (!rc && l->qml && o->multi_layer && !strcmp(o->driver, "GPKG"))
        rc = add_style(o, l->name, gt == wkbNone ? "" : OGR_L_GetGeometryColumn(ol), l->qml, err);
    return rc;
}

void rb_out_set_spatial_index(struct rb_out *o, int when)
{
    o->spatial_index = when;
}

void rb_out_set_progress(struct rb_out *o, const struct rb_progress *prog)
{
    o->prog = prog && prog->fn ? prog : NULL;
}

int rb_out_last_indexed(const struct rb_out *o)
{
    return o->last_indexed;
}

int rb_out_is_gpkg(const struct rb_out *o)
{
    return o && !strcmp(o->driver, "GPKG");
}

int rb_out_write(struct rb_out *o, const struct rb_layer *l, struct rb_err *err)
{
    if (o->multi_layer)
        return write_layer(o, o->ds, l, err);
    /* one file per layer: out.csv → out_crashes.csv, out_segments.csv; a file
     * already named after its layer (crashes.csv) keeps its name */
    char mid[128];
    const char *ext = ext_of(o->path), *slash = strrchr(o->path, '/');
    const char *base = slash ? slash + 1 : o->path;
    size_t nl = strlen(l->name);
    int named = (size_t)(ext - base) >= nl && strncmp(ext - nl, l->name, nl) == 0;
    snprintf(mid, sizeof mid, "%s%s", named ? "" : "_", named ? "" : l->name);
    char *final = with_suffix(o->path, mid);
    if (!final)
        return rb_err_nomem(err);
    int rc = add_file(o, final, err);
    rb_free(final);
    if (rc)
        return rc;
    GDALDatasetH ds = create_ds(o->driver, o->tmp[o->nfiles - 1], err);
    if (!ds)
        return err->code;
    rc = write_layer(o, ds, l, err);
    rb_gdal_push();
    GDALClose(ds);
    rb_gdal_pop();
    /* its style beside it: QGIS opens name.shp with name.qml (tables, CSV, have none) */
    if (!rc && l->qml && strcmp(o->driver, "CSV")) {
        const char *fin = o->final[o->nfiles - 1];
        size_t stem = (size_t)(ext_of(fin) - fin);
        char *side = rb_malloc(stem + 5);
        if (!side)
            return rb_err_nomem(err);
        snprintf(side, stem + 5, "%.*s.qml", (int)stem, fin);
        rc = add_file(o, side, err);
        rb_free(side);
        if (!rc) {
            o->plain[o->nfiles - 1] = 1;
            FILE *f = fopen(o->tmp[o->nfiles - 1], "wb");
            if (!f || fputs(l->qml, f) < 0 || fclose(f) != 0)
                rc = rb_err_set(err, RB_EIO, "cannot write '%s': %s", o->tmp[o->nfiles - 1], strerror(errno));
        }
    }
    return rc;
}


static void remove_tmp(struct rb_out *o, size_t i)
{
    if (!strcmp(o->driver, "ESRI Shapefile") && !o->plain[i]) {
        for (size_t e = 0; e < 5; e++) {
            char *p = rb_strdup(o->tmp[i]);
            if (!p)
                continue;
            char *dot = strrchr(p, '.');
            if (dot && strlen(dot) == 4)
                memcpy(dot, shp_exts[e], 4);
            unlink(p);
            rb_free(p);
        }
    } else {
        unlink(o->tmp[i]);
    }
}

static void out_free(struct rb_out *o)
{
    for (size_t i = 0; i < o->ndomains; i++)
        rb_free(o->domains[i]);
    for (size_t i = 0; i < o->nfiles; i++) {
        rb_free(o->tmp[i]);
        rb_free(o->final[i]);
    }
    if (o->srs)
        OSRDestroySpatialReference(o->srs);
    rb_free(o->path);
    rb_free(o);
}

int rb_out_commit(struct rb_out *o, struct rb_err *err)
{
    int rc = RB_OK;
    if (o->ds) {
        rb_gdal_push();
        CPLErrorReset();
        GDALClose(o->ds);
        if (CPLGetLastErrorType() >= CE_Failure)
            rc = rb_err_set(err, RB_EIO, "cannot finish '%s': %s", o->path, rb_gdal_last());
        rb_gdal_pop();
        o->ds = NULL;
    }
    for (size_t i = 0; i < o->nfiles && !rc; i++) {
        if (!strcmp(o->driver, "ESRI Shapefile") && !o->plain[i]) {
            for (size_t e = 0; e < 5 && !rc; e++) {
                char *a = rb_strdup(o->tmp[i]), *b = rb_strdup(o->final[i]);
                if (a && b) {
                    memcpy(strrchr(a, '.'), shp_exts[e], 4);
                    memcpy(strrchr(b, '.'), shp_exts[e], 4);
                    if (rename(a, b) != 0 && errno != ENOENT)
                        rc = rb_err_set(err, RB_EIO, "cannot rename '%s' to '%s': %s", a, b,
                                        strerror(errno));
                }
                rb_free(a);
                rb_free(b);
            }
        } else if (rename(o->tmp[i], o->final[i]) != 0) {
            rc = rb_err_set(err, RB_EIO, "cannot rename '%s' to '%s': %s", o->tmp[i], o->final[i],
                            strerror(errno));
        }
    }
    if (rc)
        for (size_t i = 0; i < o->nfiles; i++)
            remove_tmp(o, i);
    out_free(o);
    return rc;
}

void rb_out_abort(struct rb_out *o)
{
    if (!o)
        return;
    if (o->ds) {
        rb_gdal_push();
        GDALClose(o->ds);
        rb_gdal_pop();
    }
    for (size_t i = 0; i < o->nfiles; i++)
        remove_tmp(o, i);
    out_free(o);
}

int rb_io_write_text(const char *path, const char *text, struct rb_err *err)
{
    char mid[64];
    snprintf(mid, sizeof mid, ".tmp%ld", (long)getpid());
    char *tmp = with_suffix(path, mid);
    if (!tmp)
        return rb_err_nomem(err);
    FILE *f = fopen(tmp, "wb");
    int rc = RB_OK;
    if (!f) {
        rc = rb_err_set(err, RB_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    } else {
        size_t n = strlen(text);
        int bad = fwrite(text, 1, n, f) != n;
        bad |= fclose(f) != 0;
        if (bad)
            rc = rb_err_set(err, RB_EIO, "cannot write '%s': %s", tmp, strerror(errno));
        else if (rename(tmp, path) != 0)
            rc = rb_err_set(err, RB_EIO, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
        if (rc)
            unlink(tmp);
    }
    rb_free(tmp);
    return rc;
}

int rb_io_transform(const char *from_crs, const char *to_crs, double *xy, size_t n, struct rb_err *err)
{
    if (n == 0)
        return RB_OK;
    OGRSpatialReferenceH a = rb_srs_from_user(from_crs, "CRS", err);
    OGRSpatialReferenceH b = a ? rb_srs_from_user(to_crs, "CRS", err) : NULL;
    if (!a || !b) {
        if (a) OSRDestroySpatialReference(a);
        return err->code;
    }
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(a, b);
    int rc = RB_OK;
    double *px = rb_malloc(n * sizeof *px), *py = rb_malloc(n * sizeof *py);
    if (!px || !py) {
        rc = rb_err_nomem(err);
    } else if (!ct) {
        rc = rb_err_set(err, RB_EINVAL, "cannot transform between the coordinate systems");
    } else {
        for (size_t i = 0; i < n; i++) {
            px[i] = xy[2 * i];
            py[i] = xy[2 * i + 1];
        }
        rb_gdal_push();
        if (!OCTTransform(ct, (int)n, px, py, NULL))
            rc = rb_err_set(err, RB_EINVAL, "cannot transform between the coordinate systems");
        rb_gdal_pop();
        for (size_t i = 0; i < n && !rc; i++) {
            xy[2 * i] = px[i];
            xy[2 * i + 1] = py[i];
        }
    }
    rb_free(px);
    rb_free(py);
    if (ct) OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(a);
    OSRDestroySpatialReference(b);
    return rc;
}

int rb_io_to_output_crs(const struct rb_roads *roads, double *xy, size_t n, struct rb_err *err)
{
    if (roads->work_is_src)
        return RB_OK;
    return rb_io_transform(roads->work_srs_wkt, roads->src_srs_wkt, xy, n, err);
}
