/* io internals shared by the readers and the writer: GDAL error capture and
 * spatial references. Not part of the public API. */
#ifndef RB_IO_INTERNAL_H
#define RB_IO_INTERNAL_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include "io/io.h"

/* GDAL errors are captured, never printed: push before a GDAL call sequence,
 * read the last message, pop after. */
void rb_gdal_push(void);
void rb_gdal_pop(void);
const char *rb_gdal_last(void);   /* "" when GDAL said nothing */

/* A spatial reference from user text (EPSG:xxxx, WKT, PROJ), in traditional GIS
 * (x = easting/longitude) axis order. NULL with err set when it does not parse. */
OGRSpatialReferenceH rb_srs_from_user(const char *text, const char *what, struct rb_err *err);
OGRSpatialReferenceH rb_srs_from_wkt(const char *wkt);
/* A copy of a layer's CRS in traditional order, or NULL when it has none. */
/* Destroys whichever of a transform, two CRSs and a dataset are not NULL. */
void rb_gdal_release(GDALDatasetH ds, OGRCoordinateTransformationH ct, OGRSpatialReferenceH a,
                     OGRSpatialReferenceH b);
OGRSpatialReferenceH rb_srs_clone(OGRSpatialReferenceH srs);
/* The CRS as WKT2 in *out (rb_free it). RB_EINVAL when it cannot be written. */
int rb_srs_wkt(OGRSpatialReferenceH srs, char **out);

/* The working CRS: src itself when it is projected in metres, else the UTM
 * zone of the layer's centre (WGS 84), so lengths and distances are in metres
 * with a scale error below 0.1 % within the zone. what names the layer in
 * messages. NULL with err set when it cannot be chosen. */
OGRSpatialReferenceH rb_choose_work_srs(OGRSpatialReferenceH src, OGRLayerH layer, const char *what,
                                        struct rb_err *err);
/* "AUTHORITY:CODE" when the CRS has one, else its name. */
void rb_crs_name(OGRSpatialReferenceH srs, char *out, size_t n);

/* Opens a layer (rb_open_layer) and makes the transform from its CRS to the
 * working CRS given as WKT, in *ct (NULL when they are the same). *ds, *src,
 * *work and *ct are set for rb_gdal_release whatever happens. */
int rb_open_layer_work(const char *path, const char *layer_name, const char *what, const char *work_srs_wkt,
                       GDALDatasetH *ds, OGRLayerH *layer, OGRSpatialReferenceH *src, OGRSpatialReferenceH *work,
                       OGRCoordinateTransformationH *ct, struct rb_err *err);
/* Fills the roads' CRS fields (names, WKT, work_is_src) from src and work. */
int rb_roads_set_crs(struct rb_roads *r, OGRSpatialReferenceH src, OGRSpatialReferenceH work, const char *what,
                     struct rb_err *err);

/* The drivers a path may be opened with: the CSV driver alone for .csv and
 * .tsv, else NULL (any). */
const char *const *rb_io_drivers_for(const char *path);

/* Opens path read-only as a vector dataset and picks the layer (by name, or the
 * only one). what is "roads" or "crashes" for messages. */
int rb_open_layer(const char *path, const char *layer_name, const char *what,
                  GDALDatasetH *ds, OGRLayerH *layer, struct rb_err *err);

/* The -oo, -dsco, -lco lists and -f driver of rb_io_set_gdal_options (NULL: none). */
extern const char *const *rb_gdal_oo, *const *rb_gdal_dsco, *const *rb_gdal_lco;
extern const char *rb_gdal_format;
/* Open options: the list given plus the user's -oo (a CSL list to CSLDestroy). */
char **rb_open_options(const char *const *own);

/* Index of a field by name (exact, then ASCII case-insensitive), or -1. */
long rb_field_index(OGRFeatureDefnH defn, const char *name);
/* Resolves a mapped field (name may be NULL: *out = -1). A name the layer lacks is
 * an error naming the config key and listing the fields there are. */
int rb_field_need(OGRFeatureDefnH defn, const char *name, const char *key, const char *path,
                  long *out, struct rb_err *err);

/* Copies a feature's fields into row of t, whose columns were made by rb_table_from_defn.
 * Strings are recoded from encoding (if any) and repaired when not UTF-8, with a warning
 * naming path, rowlabel and the field. */
int rb_table_from_defn(OGRFeatureDefnH defn, struct rb_table *t);
int rb_table_fill_row(struct rb_table *t, size_t row, OGRFeatureH f, const char *encoding,
                      const char *path, const char *rowlabel, struct rb_log *log);
/* The same for some of the fields (fields NULL-terminated; NULL all): column k
 * of t is field map[k] (map holds one int per field). */
int rb_table_from_defn_some(OGRFeatureDefnH defn, const char *const *fields, struct rb_table *t, int *map);
int rb_table_fill_row_map(struct rb_table *t, size_t row, OGRFeatureH f, const int *map, const char *encoding,
                          const char *path, const char *rowlabel, struct rb_log *log);

/* A whole JSON file parsed, an error naming its line and column. */
struct cJSON;
struct cJSON *rb_json_read(const char *path, struct rb_err *err);
/* rb_data_json, which reads a domain data file through them, is in io.h. */

#endif
