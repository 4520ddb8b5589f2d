/* io/crashes: the crash layer — a point layer or a table with coordinate
 * columns — read into one record per crash, grouped, mapped and checked. */
#include "io/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Columns tried, in order, when the crash table names none and has no geometry. */
static const char *const auto_xy[][2] = {
    { "x", "y" }, { "lon", "lat" }, { "longitude", "latitude" }, { "lng", "lat" },
    { "long", "lat" }, { "easting", "northing" }, { "долгота", "широта" },
};

/* Date formats tried when none is given: only those that cannot be read two ways. */
static const char *const auto_date_formats[] = {
    "%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M", "%Y",
};

static int is_table_driver(GDALDatasetH ds)
{
    const char *d = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    return !strcmp(d, "CSV") || !strcmp(d, "XLSX") || !strcmp(d, "ODS") || !strcmp(d, "XLS");
}



/* Counts the fields of each record of a delimited text file (quotes respected)
 * and warns of rows with more or fewer fields than the header: GDAL pads or cuts
 * them silently, and a shifted row is how a police export hides a bad record. */
static void check_csv_rows(const char *path, struct rb_log *log)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    int sep = 0, c, inq = 0;
    long counts[4] = { 0 };
    /* the separator: the most frequent of , ; tab | on the header line, outside quotes */
    static const char seps[4] = { ',', ';', '\t', '|' };
    while ((c = fgetc(f)) != EOF && (c != '\n' || inq)) {
        if (c == '"') inq = !inq;
        else if (!inq)
            for (int k = 0; k < 4; k++)
                if (c == seps[k]) counts[k]++;
    }
    for (int k = 1; k < 4; k++)
        if (counts[k] > counts[sep]) sep = k;
    long header = counts[sep] + 1;
    rewind(f);
    long row = 1, fields = 1;
    int empty = 1;
    inq = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == '"') { inq = !inq; empty = 0; continue; }
        if (inq) continue;
        if (c == seps[sep]) { fields++; empty = 0; continue; }
        if (c == '\r') continue;
        if (c == '\n') {
            if (row > 1 && !empty && fields != header)
                rb_warn(log, RB_W_ROW, "%s: row %ld has %ld fields, the header has %ld", path, row,
                        fields, header);
            row++;
            fields = 1;
            empty = 1;
            continue;
        }
        empty = 0;
    }
    if (row > 1 && !empty && fields != header)
        rb_warn(log, RB_W_ROW, "%s: row %ld has %ld fields, the header has %ld", path, row, fields,
                header);
    fclose(f);
}

/* A value's text, recoded to UTF-8 when an encoding is named; "" when null.
 * The returned pointer lives until the next call. */
static const char *field_text(OGRFeatureH f, long idx, const char *encoding, char **hold)
{
    CPLFree(*hold);
    *hold = NULL;
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, (int)idx))
        return "";
    const char *s = OGR_F_GetFieldAsString(f, (int)idx);
    if (encoding) {
        *hold = CPLRecode(s, encoding, CPL_ENC_UTF8);
        s = *hold;
    }
    return s;
}

/* Reads a coordinate value: numbers as they are, text parsed (decimal comma accepted). */
static int coord_value(OGRFeatureH f, long idx, double *v)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, (int)idx))
        return RB_XY_MISSING;
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, (int)idx));
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        *v = OGR_F_GetFieldAsDouble(f, (int)idx);
        return isfinite(*v) ? RB_XY_OK : RB_XY_INVALID;
    }
    const char *s = OGR_F_GetFieldAsString(f, (int)idx);
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return RB_XY_MISSING;
    return rb_parse_double(s, v) ? RB_XY_OK : RB_XY_INVALID;
}

struct xy_ctx {
    int geographic;                       /* crash CRS is lon/lat */
    OGRCoordinateTransformationH to_work; /* NULL: same CRS */
    OGRCoordinateTransformationH to_out;  /* NULL: same CRS */
    double ext[4];                        /* roads' extent, working CRS, grown by a margin */
};

static int in_ext(const struct xy_ctx *x, double wx, double wy)
{
    return wx >= x->ext[0] && wy >= x->ext[1] && wx <= x->ext[2] && wy <= x->ext[3];
}

static int to_work(const struct xy_ctx *x, double sx, double sy, double *wx, double *wy)
{
    *wx = sx;
    *wy = sy;
    if (!x->to_work)
        return 1;
    int ok = 1;
    rb_gdal_push();
    if (!OCTTransformEx(x->to_work, 1, wx, wy, NULL, &ok))
        ok = 0;
    rb_gdal_pop();
    return ok && isfinite(*wx) && isfinite(*wy);
}

/* Checks a source position and places it in the working and output CRS. */
static int place(const struct xy_ctx *x, double sx, double sy, struct rb_crash *c)
{
    c->out_x = c->out_y = NAN;
    if (sx == 0 && sy == 0)
        return RB_XY_ZERO;
    double wx, wy;
    if (x->geographic && (fabs(sx) > 180 || fabs(sy) > 90)) {
        /* impossible as lon/lat; swapped when the other way round lands on the network */
        if (fabs(sy) <= 180 && fabs(sx) <= 90 && to_work(x, sy, sx, &wx, &wy) && in_ext(x, wx, wy))
            return RB_XY_SWAPPED;
        return RB_XY_OUT_OF_RANGE;
    }
    if (!to_work(x, sx, sy, &wx, &wy)) {
        double swx, swy;
        if (to_work(x, sy, sx, &swx, &swy) && in_ext(x, swx, swy))
            return RB_XY_SWAPPED;
        return RB_XY_TRANSFORM;
    }
    /* Far outside the network, but inside it with x and y exchanged: swapped. */
    if (!in_ext(x, wx, wy)) {
        double swx, swy;
        if (to_work(x, sy, sx, &swx, &swy) && in_ext(x, swx, swy))
            return RB_XY_SWAPPED;
    }
    c->x = wx;
    c->y = wy;
    double ox = sx, oy = sy;
    if (x->to_out) {
        int ok = 1;
        rb_gdal_push();
        if (!OCTTransformEx(x->to_out, 1, &ox, &oy, NULL, &ok))
            ok = 0;
        rb_gdal_pop();
        if (!ok)
            ox = oy = NAN;
    }
    c->out_x = ox;
    c->out_y = oy;
    return RB_XY_OK;
}

/* Remembers each distinct unmapped value once, so a file of 100,000 rows with one
 * unknown code gives one warning, not 100,000. */
static void warn_unmapped(struct rb_strmap *seen, struct rb_log *log, const char *path,
                          const char *field, const char *key, const char *value, int64_t row,
                          const char *fallback)
{
    char k[512];
    snprintf(k, sizeof k, "%s\x1f%s", key, value);
    size_t v = 0;
    if (rb_strmap_get(seen, k, &v, 1) != 0)
        return;
    rb_warn(log, RB_W_VALUE, "%s: row %lld, field '%s': value '%s' is not in the %s map; read as %s",
            path, (long long)row, field, value, key, fallback);
}

int rb_io_read_crashes(const struct rb_config *cfg, const struct rb_vocab *vocab,
                       const struct rb_roads *roads, struct rb_crashes *cr,
                       const struct rb_progress *prog, struct rb_log *log, struct rb_err *err)
{
    memset(cr, 0, sizeof *cr);
    GDALDatasetH ds;
    OGRLayerH layer;
    int rc = rb_open_layer(cfg->crashes_path, cfg->crashes_layer, "crashes", &ds, &layer, err);
    if (rc)
        return rc;
    const char *path = cfg->crashes_path;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    OGRSpatialReferenceH csrs = NULL, work = NULL, out = NULL;
    struct xy_ctx xc = { 0 };
    struct rb_strmap groups = { 0 }, ids = { 0 }, unmapped = { 0 };
    char *hold = NULL;
    long ix = -1, iy = -1, iid, idate, itime, igroup, iroad, isev, itype, ilight, isurf, imeas, idir;
    int no_xy = 0;
    int use_geom = 0;

    cr->is_table = is_table_driver(ds);
    if (!(cr->path = rb_strdup(path)) || rb_table_from_defn(defn, &cr->attrs)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    if ((rc = rb_field_need(defn, cfg->id_field, "crashes.id", path, &iid, err)) ||
        (rc = rb_field_need(defn, cfg->date_field, "crashes.date", path, &idate, err)) ||
        (rc = rb_field_need(defn, cfg->time_field, "crashes.time", path, &itime, err)) ||
        (rc = rb_field_need(defn, cfg->group_by, "crashes.group_by", path, &igroup, err)) ||
        (rc = rb_field_need(defn, cfg->road_field, "crashes.road", path, &iroad, err)) ||
        (rc = rb_field_need(defn, cfg->severity.field, "crashes.severity", path, &isev, err)) ||
        (rc = rb_field_need(defn, cfg->crash_type.field, "crashes.crash_type", path, &itype, err)) ||
        (rc = rb_field_need(defn, cfg->light.field, "crashes.light", path, &ilight, err)) ||
        (rc = rb_field_need(defn, cfg->surface.field, "crashes.surface", path, &isurf, err)) ||
        (rc = rb_field_need(defn, cfg->measure_field, "crashes.measure", path, &imeas, err)) ||
        (rc = rb_field_need(defn, cfg->direction_field, "crashes.direction", path, &idir, err)))
        goto done;
    double unit_m = 1000;
    if (cfg->measure_unit && !strcmp(cfg->measure_unit, "mi"))
        unit_m = 1609.344;
    else if (cfg->measure_unit && !strcmp(cfg->measure_unit, "m"))
        unit_m = 1;
    else if (cfg->measure_unit && strcmp(cfg->measure_unit, "km")) {
        rc = rb_err_set(err, RB_EUSAGE, "%s: crashes.measure_unit must be km, mi or m, not '%s'", path,
                        cfg->measure_unit);
        goto done;
    }
    /* no id field named: a column called crash_id or id, else the row */
    if (iid < 0 && !cfg->id_field) {
        iid = rb_field_index(defn, "crash_id");
        if (iid < 0)
            iid = rb_field_index(defn, "id");
    }
    long dummy;
    if ((rc = rb_field_need(defn, cfg->weather_field, "crashes.weather", path, &dummy, err)))
        goto done;

    /* where the coordinates are */
    if (cfg->x_field || cfg->y_field) {
        if (!cfg->x_field || !cfg->y_field) {
            rc = rb_err_set(err, RB_EUSAGE, "%s: give both --x-field and --y-field", path);
            goto done;
        }
        if ((rc = rb_field_need(defn, cfg->x_field, "crashes.x", path, &ix, err)) ||
            (rc = rb_field_need(defn, cfg->y_field, "crashes.y", path, &iy, err)))
            goto done;
    } else if (OGR_L_GetGeomType(layer) != wkbNone) {
        use_geom = 1;
    } else {
        for (size_t k = 0; k < sizeof auto_xy / sizeof *auto_xy && ix < 0; k++) {
            long a = rb_field_index(defn, auto_xy[k][0]), b = rb_field_index(defn, auto_xy[k][1]);
            if (a >= 0 && b >= 0) {
                ix = a;
                iy = b;
            }
        }
        if (ix < 0 && imeas >= 0) {
            no_xy = 1;          /* located by road and measure alone */
        } else if (ix < 0) {
            rc = rb_err_set(err, RB_EINVAL, "%s: no point geometry and no coordinate columns;"
                            " name them with --x-field and --y-field", path);
            goto done;
        }
    }

    /* the crashes' CRS */
    if (cfg->crashes_crs) {
        if (!(csrs = rb_srs_from_user(cfg->crashes_crs, "crashes.crs", err))) {
            rc = err->code;
            goto done;
        }
    } else if (use_geom && OGR_L_GetSpatialRef(layer)) {
        csrs = rb_srs_clone(OGR_L_GetSpatialRef(layer));
    } else if (no_xy) {
        csrs = rb_srs_from_user("EPSG:4326", "crashes.crs", err);
    } else {
        csrs = rb_srs_from_user("EPSG:4326", "crashes.crs", err);
        rb_warn(log, RB_W_CRS_DEFAULT, "%s: no CRS declared for the crashes; assuming EPSG:4326"
                " (longitude, latitude). Declare it with --crashes-crs", path);
    }
    work = rb_srs_from_wkt(roads->work_srs_wkt);
    out = rb_srs_from_wkt(roads->src_srs_wkt);
    if (!csrs || !work || !out) {
        rc = rb_err_set(err, RB_EINVAL, "%s: cannot set up the coordinate systems", path);
        goto done;
    }
    xc.geographic = OSRIsGeographic(csrs);
    if (!OSRIsSame(csrs, work) && !(xc.to_work = OCTNewCoordinateTransformation(csrs, work))) {
        rc = rb_err_set(err, RB_EINVAL, "%s: cannot transform the crashes' CRS to the roads'", path);
        goto done;
    }
    if (!OSRIsSame(csrs, out))
        xc.to_out = OCTNewCoordinateTransformation(csrs, out);
    /* "near the network": its extent grown by a tenth of its size and at least 10 km */
    double grow = fmax(10000.0, 0.1 * fmax(roads->extent[2] - roads->extent[0],
                                           roads->extent[3] - roads->extent[1]));
    xc.ext[0] = roads->extent[0] - grow;
    xc.ext[1] = roads->extent[1] - grow;
    xc.ext[2] = roads->extent[2] + grow;
    xc.ext[3] = roads->extent[3] + grow;

    if (cr->is_table && !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "CSV"))
        check_csv_rows(path, log);

    if (cfg->crashes_where) {
        rb_gdal_push();
        OGRErr fe = OGR_L_SetAttributeFilter(layer, cfg->crashes_where);
        rb_gdal_pop();
        if (fe != OGRERR_NONE) {
            rc = rb_err_set(err, RB_EUSAGE, "%s: -where '%s' is not a filter on its fields: %s", path,
                            cfg->crashes_where, rb_gdal_last());
            goto done;
        }
    }
    GIntBig total = OGR_L_GetFeatureCount(layer, 0);
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    size_t nread = 0;
    while ((f = OGR_L_GetNextFeature(layer))) {
        nread++;
        /* a table's row as a spreadsheet numbers it (header row 1); filtered, from its feature id */
        int64_t row = !cr->is_table ? OGR_F_GetFID(f) : cfg->crashes_where ? OGR_F_GetFID(f) + 1 : (int64_t)nread + 1;
        char label[64];
        snprintf(label, sizeof label, cr->is_table ? "row %lld" : "feature %lld", (long long)row);

        /* one crash per group key (casualty files), else one per row */
        size_t ci = cr->n;
        int is_new = 1;
        if (igroup >= 0) {
            const char *key = field_text(f, igroup, cfg->encoding, &hold);
            if (*key) {
                size_t v = cr->n;
                int got = rb_strmap_get(&groups, key, &v, 1);
                if (got < 0) {
                    OGR_F_Destroy(f);
                    rc = rb_err_nomem(err);
                    break;
                }
                if (got == 1) {
                    ci = v;
                    is_new = 0;
                }
            }
        }
        if (is_new) {
            if (rb_grow((void **)&cr->c, &cr->cap, cr->n + 1, sizeof *cr->c) ||
                rb_table_add_row(&cr->attrs) ||
                rb_table_fill_row(&cr->attrs, ci, f, cfg->encoding, path, label, log)) {
                OGR_F_Destroy(f);
                rc = rb_err_nomem(err);
                break;
            }
            struct rb_crash *c = &cr->c[cr->n++];
            memset(c, 0, sizeof *c);
            c->row = row;
            c->road = RB_NOSTR;
            c->date_days = RB_NODATE;
            c->time_min = -1;
            c->severity = RB_SEV_UNKNOWN;
            c->crash_type = RB_CT_UNKNOWN;
            c->light = RB_LIGHT_UNKNOWN;
            c->surface = RB_SURF_UNKNOWN;
            c->x = c->y = c->out_x = c->out_y = c->measure_m = c->dir_deg = NAN;
            if (idir >= 0) {
                const char *txt = field_text(f, idir, cfg->encoding, &hold);
                if (*txt && !rb_parse_bearing(txt, &c->dir_deg))
                    rb_warn(log, RB_W_VALUE, "%s: %s, field '%s': '%s' is not a direction (degrees, N, NE, ..., NB, SB)",
                            path, label, cfg->direction_field, txt);
            }
            if (imeas >= 0) {
                const char *txt = field_text(f, imeas, cfg->encoding, &hold);
                double km;
                if (rb_parse_kmpost(txt, &km))
                    c->measure_m = km * unit_m;
                else if (*txt)
                    rb_warn(log, RB_W_MEASURE, "%s: %s, field '%s': '%s' is not a measure (123.45 or 123+450)",
                            path, label, cfg->measure_field, txt);
            }

            /* id: the id field, else the group key, else the row */
            char idbuf[32];
            const char *id = field_text(f, iid >= 0 ? iid : igroup, cfg->encoding, &hold);
            if (!*id) {
                snprintf(idbuf, sizeof idbuf, "%lld", (long long)row);
                id = idbuf;
            }
            char *fixed = rb_utf8_invalid_at(id, strlen(id)) >= 0 ? rb_utf8_repair(id) : NULL;
            c->id = rb_pool_add(&cr->str, fixed ? fixed : id, strlen(fixed ? fixed : id));
            rb_free(fixed);
            if (c->id == RB_NOSTR) {
                OGR_F_Destroy(f);
                rc = rb_err_nomem(err);
                break;
            }
            size_t first = ci;
            int got = rb_strmap_get(&ids, cr->str.buf + c->id, &first, 1);
            if (got < 0) {
                OGR_F_Destroy(f);
                rc = rb_err_nomem(err);
                break;
            }
            if (got == 1) {
                c->dup_id = 1;
                cr->c[first].dup_id = 1;
                rb_warn(log, RB_W_DUP_ID, "%s: %s: crash id '%s' already used at row %lld%s", path,
                        label, cr->str.buf + c->id, (long long)cr->c[first].row,
                        igroup < 0 ? " (if the file has one row per casualty, set crashes.group_by)" : "");
            }

            /* position */
            double sx = NAN, sy = NAN;
            int st;
            if (no_xy) {
                st = RB_XY_MISSING;
            } else if (use_geom) {
                OGRGeometryH g = OGR_F_GetGeometryRef(f);
                if (!g || OGR_G_IsEmpty(g)) {
                    st = RB_XY_MISSING;
                } else if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
                    OGRGeometryH cen = OGR_G_CreateGeometry(wkbPoint);
                    st = OGR_G_Centroid(g, cen) == OGRERR_NONE ? RB_XY_OK : RB_XY_INVALID;
                    sx = OGR_G_GetX(cen, 0);
                    sy = OGR_G_GetY(cen, 0);
                    OGR_G_DestroyGeometry(cen);
                } else {
                    sx = OGR_G_GetX(g, 0);
                    sy = OGR_G_GetY(g, 0);
                    st = isfinite(sx) && isfinite(sy) ? RB_XY_OK : RB_XY_INVALID;
                }
            } else {
                int sx_st = coord_value(f, ix, &sx), sy_st = coord_value(f, iy, &sy);
                st = sx_st == RB_XY_INVALID || sy_st == RB_XY_INVALID ? RB_XY_INVALID
                   : sx_st == RB_XY_MISSING || sy_st == RB_XY_MISSING ? RB_XY_MISSING : RB_XY_OK;
            }
            if (st == RB_XY_OK)
                st = place(&xc, sx, sy, c);
            c->xy_status = (uint8_t)st;

            /* date and time */
            if (idate >= 0 && OGR_F_IsFieldSetAndNotNull(f, (int)idate)) {
                OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, (int)idate));
                int y, mo, d, h, mi, tz;
                float sec;
                int32_t days = RB_NODATE;
                int min = -1, ok = 0;
                const char *txt = field_text(f, idate, cfg->encoding, &hold);
                if ((t == OFTDate || t == OFTDateTime) &&
                    OGR_F_GetFieldAsDateTimeEx(f, (int)idate, &y, &mo, &d, &h, &mi, &sec, &tz)) {
                    days = rb_days_from_ymd(y, mo, d);
                    ok = days != RB_NODATE;
                    if (t == OFTDateTime)
                        min = h * 60 + mi;
                } else if (cfg->date_format) {
                    ok = rb_parse_datetime(txt, cfg->date_format, &days, &min) && days != RB_NODATE;
                } else {
                    for (size_t k = 0; !ok && k < sizeof auto_date_formats / sizeof *auto_date_formats; k++)
                        ok = rb_parse_datetime(txt, auto_date_formats[k], &days, &min) && days != RB_NODATE;
                }
                if (ok) {
                    c->date_days = days;
                    if (min >= 0)
                        c->time_min = (int16_t)min;
                } else if (*txt) {
                    c->date_bad = 1;
                    rb_warn(log, RB_W_DATE, "%s: %s, field '%s': '%s' is not a date%s%s%s", path, label,
                            cfg->date_field, txt, cfg->date_format ? " in the format '" : "",
                            cfg->date_format ? cfg->date_format : " (set crashes.date_format)",
                            cfg->date_format ? "'" : "");
                }
            }
            if (itime >= 0) {
                const char *txt = field_text(f, itime, cfg->encoding, &hold);
                int m = rb_parse_time(txt);
                if (m >= 0)
                    c->time_min = (int16_t)m;
                else if (*txt)
                    rb_warn(log, RB_W_DATE, "%s: %s, field '%s': '%s' is not a time of day", path,
                            label, cfg->time_field, txt);
            }
            if (iroad >= 0) {
                const char *txt = field_text(f, iroad, cfg->encoding, &hold);
                if (*txt && (c->road = rb_pool_add(&cr->str, txt, strlen(txt))) == RB_NOSTR) {
                    OGR_F_Destroy(f);
                    rc = rb_err_nomem(err);
                    break;
                }
            }
            const struct coded {
                long i;
                const struct rb_coded_field *f;
                const struct rb_valmap *vocab;
                int (*parse)(const char *);
                const char *what;
                int fallback;
                uint8_t *out;
            } coded[] = {
                { itype, &cfg->crash_type, &vocab->crash_type, rb_crash_type_parse, "crash_type", RB_CT_OTHER,
                  &c->crash_type },
                { ilight, &cfg->light, &vocab->light, rb_light_parse, "light", RB_LIGHT_UNKNOWN, &c->light },
                { isurf, &cfg->surface, &vocab->surface, rb_surface_parse, "surface", RB_SURF_UNKNOWN,
                  &c->surface },
            };
            for (size_t k = 0; k < sizeof coded / sizeof *coded; k++) {
                if (coded[k].i < 0)
                    continue;
                const char *txt = field_text(f, coded[k].i, cfg->encoding, &hold);
                if (!*txt)
                    continue;
                int code = rb_vocab_code(&coded[k].f->map, coded[k].vocab, coded[k].parse, txt);
                if (code < 0) {
                    warn_unmapped(&unmapped, log, path, coded[k].f->field, coded[k].what, txt, row,
                                  coded[k].parse == rb_crash_type_parse ? "other" : "unknown");
                    code = coded[k].fallback;
                }
                *coded[k].out = (uint8_t)code;
            }
        }

        /* severity: every record counts; the crash takes the worst */
        struct rb_crash *c = &cr->c[ci];
        if (!is_new)
            c->nrecords++;
        else
            c->nrecords = 1;
        if (isev >= 0) {
            const char *txt = field_text(f, isev, cfg->encoding, &hold);
            if (*txt) {
                int code = rb_vocab_code(&cfg->severity.map, &vocab->severity, rb_severity_parse, txt);
                if (code < 0) {
                    warn_unmapped(&unmapped, log, path, cfg->severity.field, "severity", txt, row,
                                  "unknown (U)");
                    code = RB_SEV_UNKNOWN;
                }
                if (code < c->severity)
                    c->severity = (uint8_t)code;
            }
        }
        OGR_F_Destroy(f);
        rb_progress_report(prog, "reading crashes", nread, total > 0 ? (size_t)total : 0);
    }
    if (rc)
        goto done;
    cr->nrecords = nread;
    if (nread == 0)
        rc = rb_err_set(err, RB_EINVAL, "%s: no crash records", path);
done:
    CPLFree(hold);
    rb_strmap_free(&groups);
    rb_strmap_free(&ids);
    rb_strmap_free(&unmapped);
    if (xc.to_work)
        OCTDestroyCoordinateTransformation(xc.to_work);
    if (xc.to_out)
        OCTDestroyCoordinateTransformation(xc.to_out);
    if (csrs) OSRDestroySpatialReference(csrs);
    if (work) OSRDestroySpatialReference(work);
    if (out) OSRDestroySpatialReference(out);
    GDALClose(ds);
    if (rc)
        rb_crashes_free(cr);
    return rc;
}

void rb_crashes_free(struct rb_crashes *cr)
{
    if (!cr)
        return;
    rb_free(cr->c);
    rb_pool_free(&cr->str);
    rb_table_free(&cr->attrs);
    rb_free(cr->path);
    memset(cr, 0, sizeof *cr);
}
