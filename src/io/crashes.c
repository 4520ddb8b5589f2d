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
 * them silently, and a shifted row is how a police export hides a bad record.
 * A quote left open at the end of a line makes GDAL read on into the next lines
 * as one field: a record that spans lines that way and has the wrong number of
 * fields (or a quote still open at the end of the file) is an unbalanced quote,
 * and an error naming the row and line where it began, since every crash after
 * it would be lost or garbled. A quoted field with a line break in a record of
 * the right shape is a value with a line break, and fine. */
/* A file read a byte at a time through GDAL's virtual file system, so that
 * /vsizip/, /vsicurl/ and /vsimem/ paths are checked like plain files. */
struct vsi_in {
    VSILFILE *f;
    size_t n, i;
    unsigned char buf[65536];
};

static int vsi_getc(struct vsi_in *in)
{
    if (in->i == in->n) {
        in->n = VSIFReadL(in->buf, 1, sizeof in->buf, in->f);
        in->i = 0;
        if (in->n == 0)
            return EOF;
    }
    return in->buf[in->i++];
}

static void vsi_rewind(struct vsi_in *in)
{
    VSIFSeekL(in->f, 0, SEEK_SET);
    in->n = in->i = 0;
}

static int check_csv_rows(const char *path, struct rb_log *log, struct rb_err *err)
{
    struct vsi_in *in = rb_malloc(sizeof *in);
    if (!in)
        return rb_err_nomem(err);
    if (!(in->f = VSIFOpenL(path, "rb"))) {
        rb_free(in);
        return RB_OK;
    }
    in->n = in->i = 0;
    int sep = 0, c, inq = 0;
    long counts[4] = { 0 };
    /* the separator: the most frequent of , ; tab | on the header line, outside quotes */
    static const char seps[4] = { ',', ';', '\t', '|' };
    while ((c = vsi_getc(in)) != EOF && (c != '\n' || inq)) {
        if (c == '"') inq = !inq;
        else if (!inq)
            for (int k = 0; k < 4; k++)
                if (c == seps[k]) counts[k]++;
    }
    for (int k = 1; k < 4; k++)
        if (counts[k] > counts[sep]) sep = k;
    long header = counts[sep] + 1;
    vsi_rewind(in);
    long row = 1, fields = 1, line = 1, row_line = 1, lines_in_quotes = 0;
    int empty = 1, rc = RB_OK;
    inq = 0;
    while ((c = vsi_getc(in)) != EOF) {
        if (c == '"') { inq = !inq; empty = 0; continue; }
        if (c == '\n')
            line++;
        if (inq) {
            lines_in_quotes += c == '\n';
            continue;
        }
        if (c == seps[sep]) { fields++; empty = 0; continue; }
        if (c == '\r') continue;
        if (c == '\n') {
            if (row > 1 && !empty && fields != header && lines_in_quotes) {
                rc = rb_err_set(err, RB_EINVAL, "%s: row %ld (line %ld): a quote opened on this line is not"
                                " closed on it; the %ld lines after it merge into one record of %ld fields (the"
                                " header has %ld) and the crashes on them would be lost: close or remove the quote",
                                path, row, row_line, lines_in_quotes, fields, header);
                break;
            }
            if (row > 1 && !empty && fields != header)
                rb_warn(log, RB_W_ROW, "%s: row %ld has %ld fields, the header has %ld", path, row,
                        fields, header);
            row++;
            row_line = line;
            fields = 1;
            empty = 1;
            lines_in_quotes = 0;
            continue;
        }
        empty = 0;
    }
    if (!rc && inq)
        rc = rb_err_set(err, RB_EINVAL, "%s: row %ld (line %ld): a quote opened on this line is never closed;"
                        " the %ld lines after it would be read as one field and their crashes lost: close or"
                        " remove the quote", path, row, row_line, line - row_line);
    else if (!rc && row > 1 && !empty && fields != header)
        rb_warn(log, RB_W_ROW, "%s: row %ld has %ld fields, the header has %ld", path, row, fields,
                header);
    VSIFCloseL(in->f);
    rb_free(in);
    return rc;
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

/* One read of the crash layer: the open layer, the columns found in it, the
 * coordinate systems and the maps that group, deduplicate and warn once. */
struct reader {
    struct rb_crashes *cr;
    const struct rb_config *cfg;
    const struct rb_vocab *vocab;
    struct rb_log *log;
    const char *path;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureDefnH defn;
    long ix, iy, iid, idate, itime, igroup, iroad, isev, itype, ilight, isurf, iwx, iveh, imeas, idir, istl;
    int no_xy;            /* located by road and measure alone */
    int use_geom;         /* the layer's point geometry, not columns */
    double unit_m;        /* metres per unit of the measure column */
    OGRSpatialReferenceH csrs, work, out;
    struct xy_ctx xc;
    struct rb_strmap groups, ids, unmapped;
    char *hold;           /* field_text's recoded value */
};

static const char *text(struct reader *rd, OGRFeatureH f, long idx)
{
    return field_text(f, idx, rd->cfg->encoding, &rd->hold);
}

/* Finds the named columns (each must exist when named), the measure's unit and
 * where the coordinates are: named columns, the geometry, or well-known names. */
static int find_columns(struct reader *rd, struct rb_err *err)
{
    const struct rb_config *cfg = rd->cfg;
    OGRFeatureDefnH defn = rd->defn;
    const char *path = rd->path;
    int rc;
    rd->ix = rd->iy = -1;
    if ((rc = rb_field_need(defn, cfg->id_field, "crashes.id", path, &rd->iid, err)) ||
        (rc = rb_field_need(defn, cfg->date_field, "crashes.date", path, &rd->idate, err)) ||
        (rc = rb_field_need(defn, cfg->time_field, "crashes.time", path, &rd->itime, err)) ||
        (rc = rb_field_need(defn, cfg->group_by, "crashes.group_by", path, &rd->igroup, err)) ||
        (rc = rb_field_need(defn, cfg->road_field, "crashes.road", path, &rd->iroad, err)) ||
        (rc = rb_field_need(defn, cfg->severity.field, "crashes.severity", path, &rd->isev, err)) ||
        (rc = rb_field_need(defn, cfg->crash_type.field, "crashes.crash_type", path, &rd->itype, err)) ||
        (rc = rb_field_need(defn, cfg->light.field, "crashes.light", path, &rd->ilight, err)) ||
        /* street lighting: its own field, else the light field's values through its map (STATS19 codes both) */
        (rc = rb_field_need(defn, cfg->street_lit.field ? cfg->street_lit.field
                                  : cfg->street_lit.map.n ? cfg->light.field : NULL,
                            "crashes.street_lighting", path, &rd->istl, err)) ||
        (rc = rb_field_need(defn, cfg->surface.field, "crashes.surface", path, &rd->isurf, err)) ||
        (rc = rb_field_need(defn, cfg->weather.field, "crashes.weather", path, &rd->iwx, err)) ||
        (rc = rb_field_need(defn, cfg->vehicle.field, "crashes.vehicle", path, &rd->iveh, err)) ||
        (rc = rb_field_need(defn, cfg->measure_field, "crashes.measure", path, &rd->imeas, err)) ||
        (rc = rb_field_need(defn, cfg->direction_field, "crashes.direction", path, &rd->idir, err)))
        return rc;
    rd->unit_m = 1000;
    if (cfg->measure_unit && !strcmp(cfg->measure_unit, "mi"))
        rd->unit_m = 1609.344;
    else if (cfg->measure_unit && !strcmp(cfg->measure_unit, "m"))
        rd->unit_m = 1;
    else if (cfg->measure_unit && strcmp(cfg->measure_unit, "km"))
        return rb_err_set(err, RB_EUSAGE, "%s: crashes.measure_unit must be km, mi or m, not '%s'", path,
                          cfg->measure_unit);
    /* no id field named: a column called crash_id or id, else the row */
    if (rd->iid < 0 && !cfg->id_field) {
        rd->iid = rb_field_index(defn, "crash_id");
        if (rd->iid < 0)
            rd->iid = rb_field_index(defn, "id");
    }

    /* where the coordinates are */
    if (cfg->x_field || cfg->y_field) {
        if (!cfg->x_field || !cfg->y_field)
            return rb_err_set(err, RB_EUSAGE, "%s: give both --x-field and --y-field", path);
        if ((rc = rb_field_need(defn, cfg->x_field, "crashes.x", path, &rd->ix, err)) ||
            (rc = rb_field_need(defn, cfg->y_field, "crashes.y", path, &rd->iy, err)))
            return rc;
    } else if (OGR_L_GetGeomType(rd->layer) != wkbNone) {
        rd->use_geom = 1;
    } else {
        for (size_t k = 0; k < sizeof auto_xy / sizeof *auto_xy && rd->ix < 0; k++) {
            long a = rb_field_index(defn, auto_xy[k][0]), b = rb_field_index(defn, auto_xy[k][1]);
            if (a >= 0 && b >= 0) {
                rd->ix = a;
                rd->iy = b;
            }
        }
        if (rd->ix < 0 && rd->imeas >= 0)
            rd->no_xy = 1;
        else if (rd->ix < 0)
            return rb_err_set(err, RB_EINVAL, "%s: no point geometry and no coordinate columns;"
                              " name them with --x-field and --y-field", path);
    }
    return 0;
}

/* The crashes' CRS (declared, the layer's, or EPSG:4326 with a warning) and the
 * transforms to the working and output CRS; the network's extent, grown. */
static int set_up_crs(struct reader *rd, const struct rb_roads *roads, struct rb_err *err)
{
    const struct rb_config *cfg = rd->cfg;
    if (cfg->crashes_crs) {
        if (!(rd->csrs = rb_srs_from_user(cfg->crashes_crs, "crashes.crs", err)))
            return err->code;
    } else if (rd->use_geom && OGR_L_GetSpatialRef(rd->layer)) {
        rd->csrs = rb_srs_clone(OGR_L_GetSpatialRef(rd->layer));
    } else {
        rd->csrs = rb_srs_from_user("EPSG:4326", "crashes.crs", err);
        if (!rd->no_xy)
            rb_warn(rd->log, RB_W_CRS_DEFAULT, "%s: no CRS declared for the crashes; assuming EPSG:4326"
                    " (longitude, latitude). Declare it with --crashes-crs", rd->path);
    }
    rd->work = rb_srs_from_wkt(roads->work_srs_wkt);
    rd->out = rb_srs_from_wkt(roads->src_srs_wkt);
    if (!rd->csrs || !rd->work || !rd->out)
        return rb_err_set(err, RB_EINVAL, "%s: cannot set up the coordinate systems", rd->path);
    rd->xc.geographic = OSRIsGeographic(rd->csrs);
    if (rb_srs_wkt(rd->csrs, &rd->cr->srs_wkt) == RB_ENOMEM)
        return rb_err_nomem(err);
    rb_crs_name(rd->csrs, rd->cr->crs_name, sizeof rd->cr->crs_name);
    rd->cr->geographic = rd->xc.geographic;
    if (!OSRIsSame(rd->csrs, rd->work) &&
        !(rd->xc.to_work = OCTNewCoordinateTransformation(rd->csrs, rd->work)))
        return rb_err_set(err, RB_EINVAL, "%s: cannot transform the crashes' CRS to the roads'", rd->path);
    if (!OSRIsSame(rd->csrs, rd->out))
        rd->xc.to_out = OCTNewCoordinateTransformation(rd->csrs, rd->out);
    /* "near the network": its extent grown by a tenth of its size and at least 10 km */
    double grow = fmax(10000.0, 0.1 * fmax(roads->extent[2] - roads->extent[0],
                                           roads->extent[3] - roads->extent[1]));
    rd->xc.ext[0] = roads->extent[0] - grow;
    rd->xc.ext[1] = roads->extent[1] - grow;
    rd->xc.ext[2] = roads->extent[2] + grow;
    rd->xc.ext[3] = roads->extent[3] + grow;
    return 0;
}

/* The crash's id: the id field, else the group key, else the row; a repeat is
 * marked on both crashes and warned. */
static int read_id(struct reader *rd, struct rb_crashes *cr, OGRFeatureH f, size_t ci,
                   const char *label, struct rb_err *err)
{
    struct rb_crash *c = &cr->c[ci];
    char idbuf[32];
    const char *id = text(rd, f, rd->iid >= 0 ? rd->iid : rd->igroup);
    if (!*id) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)c->row);
        id = idbuf;
    }
    char *fixed = rb_utf8_invalid_at(id, strlen(id)) >= 0 ? rb_utf8_repair(id) : NULL;
    c->id = rb_pool_add(&cr->str, fixed ? fixed : id, strlen(fixed ? fixed : id));
    rb_free(fixed);
    if (c->id == RB_NOSTR)
        return rb_err_nomem(err);
    size_t first = ci;
    int got = rb_strmap_get(&rd->ids, cr->str.buf + c->id, &first, 1);
    if (got < 0)
        return rb_err_nomem(err);
    if (got == 1) {
        c->dup_id = 1;
        cr->c[first].dup_id = 1;
        rb_warn(rd->log, RB_W_DUP_ID, "%s: %s: crash id '%s' already used at row %lld%s", rd->path,
                label, cr->str.buf + c->id, (long long)cr->c[first].row,
                rd->igroup < 0 ? " (if the file has one row per casualty, set crashes.group_by)" : "");
    }
    return 0;
}

/* The crash's position from the geometry (a non-point's centroid) or the
 * coordinate columns, checked and placed. */
static void read_position(struct reader *rd, OGRFeatureH f, struct rb_crash *c)
{
    double sx = NAN, sy = NAN;
    int st;
    if (rd->no_xy) {
        st = RB_XY_MISSING;
    } else if (rd->use_geom) {
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
        int sx_st = coord_value(f, rd->ix, &sx), sy_st = coord_value(f, rd->iy, &sy);
        st = sx_st == RB_XY_INVALID || sy_st == RB_XY_INVALID ? RB_XY_INVALID
           : sx_st == RB_XY_MISSING || sy_st == RB_XY_MISSING ? RB_XY_MISSING : RB_XY_OK;
    }
    c->src_x = sx;
    c->src_y = sy;
    if (st == RB_XY_OK)
        st = place(&rd->xc, sx, sy, c);
    c->xy_status = (uint8_t)st;
}

/* Date (a date field, the format given, or the unambiguous formats) and time of day. */
static void read_when(struct reader *rd, OGRFeatureH f, struct rb_crash *c, const char *label)
{
    const struct rb_config *cfg = rd->cfg;
    long idate = rd->idate;
    if (idate >= 0 && OGR_F_IsFieldSetAndNotNull(f, (int)idate)) {
        OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, (int)idate));
        int y, mo, d, h, mi, tz;
        float sec;
        int32_t days = RB_NODATE;
        int min = -1, ok = 0;
        const char *txt = text(rd, f, idate);
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
            rb_warn(rd->log, RB_W_DATE, "%s: %s, field '%s': '%s' is not a date%s%s%s", rd->path, label,
                    cfg->date_field, txt, cfg->date_format ? " in the format '" : "",
                    cfg->date_format ? cfg->date_format : " (set crashes.date_format)",
                    cfg->date_format ? "'" : "");
        }
    }
    if (rd->itime >= 0) {
        const char *txt = text(rd, f, rd->itime);
        int m = rb_parse_time(txt);
        if (m >= 0)
            c->time_min = (int16_t)m;
        else if (*txt)
            rb_warn(rd->log, RB_W_DATE, "%s: %s, field '%s': '%s' is not a time of day", rd->path,
                    label, cfg->time_field, txt);
    }
}

/* Crash type, light, surface and weather through the vocabulary; an unknown value is
 * warned once and read as other/unknown. */
static void read_coded(struct reader *rd, OGRFeatureH f, struct rb_crash *c)
{
    const struct rb_config *cfg = rd->cfg;
    const struct coded {
        long i;
        const struct rb_coded_field *f;
        const struct rb_valmap *vocab;
        int (*parse)(const char *);
        const char *what;
        int fallback;
        uint8_t *out;
    } coded[] = {
        { rd->itype, &cfg->crash_type, &rd->vocab->crash_type, rb_crash_type_parse, "crash_type",
          RB_CT_OTHER, &c->crash_type },
        { rd->ilight, &cfg->light, &rd->vocab->light, rb_light_parse, "light", RB_LIGHT_UNKNOWN,
          &c->light },
        { rd->istl, &cfg->street_lit, NULL, rb_street_lit_parse, "street lighting", 0, &c->street_lit },
        { rd->isurf, &cfg->surface, &rd->vocab->surface, rb_surface_parse, "surface", RB_SURF_UNKNOWN,
          &c->surface },
        { rd->iwx, &cfg->weather, &rd->vocab->weather, rb_weather_parse, "weather", RB_WX_UNKNOWN,
          &c->weather },
    };
    for (size_t k = 0; k < sizeof coded / sizeof *coded; k++) {
        if (coded[k].i < 0)
            continue;
        const char *txt = text(rd, f, coded[k].i);
        if (!*txt)
            continue;
        int code = rb_vocab_code(&coded[k].f->map, coded[k].vocab, coded[k].parse, txt);
        if (code < 0) {
            warn_unmapped(&rd->unmapped, rd->log, rd->path,
                          coded[k].f->field ? coded[k].f->field : cfg->light.field,   /* street lighting from light's */
                          coded[k].what, txt,
                          c->row, coded[k].parse == rb_crash_type_parse ? "other" : "unknown");
            code = coded[k].fallback;
        }
        *coded[k].out = (uint8_t)code;
    }
}

/* A new crash from its first record: every attribute but severity. */
static int new_crash(struct reader *rd, struct rb_crashes *cr, OGRFeatureH f, int64_t row,
                     const char *label, struct rb_err *err)
{
    const struct rb_config *cfg = rd->cfg;
    size_t ci = cr->n;
    if (rb_grow((void **)&cr->c, &cr->cap, cr->n + 1, sizeof *cr->c) ||
        rb_table_add_row(&cr->attrs) ||
        rb_table_fill_row(&cr->attrs, ci, f, cfg->encoding, rd->path, label, rd->log))
        return rb_err_nomem(err);
    struct rb_crash *c = &cr->c[cr->n++];
    memset(c, 0, sizeof *c);
    c->row = row;
    c->road = RB_NOSTR;
    c->date_days = RB_NODATE;
    c->time_min = -1;
    c->severity = RB_SEV_UNKNOWN;
    c->crash_type = RB_CT_UNKNOWN;
    c->light = RB_LIGHT_UNKNOWN;
    c->street_lit = 0;
    c->surface = RB_SURF_UNKNOWN;
    c->weather = RB_WX_UNKNOWN;
    c->x = c->y = c->out_x = c->out_y = c->src_x = c->src_y = c->measure_m = c->dir_deg = NAN;
    if (rd->idir >= 0) {
        const char *txt = text(rd, f, rd->idir);
        if (*txt && !rb_parse_bearing(txt, &c->dir_deg))
            rb_warn(rd->log, RB_W_VALUE, "%s: %s, field '%s': '%s' is not a direction (degrees, N, NE, ..., NB, SB)",
                    rd->path, label, cfg->direction_field, txt);
    }
    if (rd->imeas >= 0) {
        const char *txt = text(rd, f, rd->imeas);
        double km;
        if (rb_parse_kmpost(txt, &km))
            c->measure_m = km * rd->unit_m;
        else if (*txt)
            rb_warn(rd->log, RB_W_MEASURE, "%s: %s, field '%s': '%s' is not a measure (123.45 or 123+450)",
                    rd->path, label, cfg->measure_field, txt);
    }
    int rc = read_id(rd, cr, f, ci, label, err);
    if (rc)
        return rc;
    read_position(rd, f, c);
    read_when(rd, f, c, label);
    if (rd->iroad >= 0) {
        const char *txt = text(rd, f, rd->iroad);
        if (*txt && (c->road = rb_pool_add(&cr->str, txt, strlen(txt))) == RB_NOSTR)
            return rb_err_nomem(err);
    }
    read_coded(rd, f, c);
    return 0;
}

/* Why a row is not a crash record (NULL when it is one): none of the crash
 * fields named or found (position, measure, date, time, road, severity, crash
 * type, light, surface, weather, vehicle) has a value, and the row is empty or reads as markup:
 * a line of an HTML error page pasted into the file. A row with other values
 * is kept: a crash whose details are missing is still a crash. */
static const char *not_a_record(struct reader *rd, OGRFeatureH f)
{
    if (rd->use_geom) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && !OGR_G_IsEmpty(g))
            return NULL;
    }
    const long cols[] = { rd->ix, rd->iy, rd->imeas, rd->idate, rd->itime, rd->iroad, rd->isev, rd->itype,
                          rd->ilight, rd->isurf, rd->iwx, rd->iveh };
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++)
        if (cols[k] >= 0 && *text(rd, f, cols[k]))
            return NULL;
    /* the first field's text says what the row is, when it is markup; a row
     * with an id and nothing else is a crash whose details are missing */
    int nf = OGR_F_GetFieldCount(f);
    for (int k = 0; k < nf; k++) {
        const char *t = text(rd, f, k);
        if (!*t)
            continue;
        while (*t == ' ')
            t++;
        return *t == '<' ? "markup, not a record (an HTML or XML page pasted into the file?)" : NULL;
    }
    return "an empty row";
}

/* Sets a row aside with its reason and its first non-empty field's text. */
static int reject(struct reader *rd, struct rb_crashes *cr, OGRFeatureH f, int64_t row, const char *why,
                  struct rb_err *err)
{
    if (rb_grow((void **)&cr->rej, &cr->caprej, cr->nrej + 1, sizeof *cr->rej))
        return rb_err_nomem(err);
    const char *t = "";
    for (int k = 0; k < OGR_F_GetFieldCount(f) && !*t; k++)
        t = text(rd, f, k);
    size_t len = strlen(t) > 200 ? 200 : strlen(t);
    while (len && ((unsigned char)t[len] & 0xC0) == 0x80)   /* not inside a UTF-8 character */
        len--;
    char *fixed = rb_utf8_invalid_at(t, len) >= 0 ? rb_utf8_repair(t) : NULL;
    size_t off = rb_pool_add(&cr->str, fixed ? fixed : t, fixed ? strlen(fixed) : len);
    rb_free(fixed);
    if (off == RB_NOSTR)
        return rb_err_nomem(err);
    cr->rej[cr->nrej++] = (struct rb_rejected){ row, why, off };
    rb_warn(rd->log, RB_W_ROW, "%s: %s %lld set aside: %s", rd->path, cr->is_table ? "row" : "feature",
            (long long)row, why);
    return RB_OK;
}

/* One record: a new crash, or another casualty of one already read (same group
 * key); every record counts and the crash takes the worst severity. */
static int read_record(struct reader *rd, struct rb_crashes *cr, OGRFeatureH f, size_t nread,
                       struct rb_err *err)
{
    const struct rb_config *cfg = rd->cfg;
    /* a table's row as a spreadsheet numbers it (header row 1); filtered, from its feature id */
    int64_t row = !cr->is_table ? OGR_F_GetFID(f) : cfg->crashes_where ? OGR_F_GetFID(f) + 1 : (int64_t)nread + 1;
    char label[64];
    snprintf(label, sizeof label, cr->is_table ? "row %lld" : "feature %lld", (long long)row);

    size_t ci = cr->n;
    int is_new = 1, rc;
    const char *why = not_a_record(rd, f);
    if (why)
        return reject(rd, cr, f, row, why, err);
    if (rd->igroup >= 0) {
        const char *key = text(rd, f, rd->igroup);
        if (*key) {
            size_t v = cr->n;
            int got = rb_strmap_get(&rd->groups, key, &v, 1);
            if (got < 0)
                return rb_err_nomem(err);
            if (got == 1) {
                ci = v;
                is_new = 0;
            }
        }
    }
    if (is_new && (rc = new_crash(rd, cr, f, row, label, err)))
        return rc;
    struct rb_crash *c = &cr->c[ci];
    c->nrecords = is_new ? 1 : c->nrecords + 1;
    if (rd->isev >= 0) {
        const char *txt = text(rd, f, rd->isev);
        if (*txt) {
            int code = rb_vocab_code(&cfg->severity.map, &rd->vocab->severity, rb_severity_parse, txt);
            if (code < 0) {
                warn_unmapped(&rd->unmapped, rd->log, rd->path, cfg->severity.field, "severity", txt,
                              row, "unknown (U)");
                code = RB_SEV_UNKNOWN;
            }
            if (code < c->severity)
                c->severity = (uint8_t)code;
        }
    }
    /* every record's vehicle: a crash involves each of them */
    if (rd->iveh >= 0) {
        const char *txt = text(rd, f, rd->iveh);
        if (*txt) {
            int code = rb_vocab_code(&cfg->vehicle.map, &rd->vocab->vehicle, rb_vehicle_parse, txt);
            if (code < 0) {
                warn_unmapped(&rd->unmapped, rd->log, rd->path, cfg->vehicle.field, "vehicle", txt, row, "unknown");
                code = RB_VEH_UNKNOWN;
            }
            c->vehicles |= (uint16_t)(1u << code);
        }
    }
    return 0;
}

static void reader_close(struct reader *rd)
{
    CPLFree(rd->hold);
    rb_strmap_free(&rd->groups);
    rb_strmap_free(&rd->ids);
    rb_strmap_free(&rd->unmapped);
    if (rd->xc.to_work)
        OCTDestroyCoordinateTransformation(rd->xc.to_work);
    if (rd->xc.to_out)
        OCTDestroyCoordinateTransformation(rd->xc.to_out);
    if (rd->csrs) OSRDestroySpatialReference(rd->csrs);
    if (rd->work) OSRDestroySpatialReference(rd->work);
    if (rd->out) OSRDestroySpatialReference(rd->out);
    GDALClose(rd->ds);
}

int rb_io_read_crashes(const struct rb_config *cfg, const struct rb_vocab *vocab,
                       const struct rb_roads *roads, struct rb_crashes *cr,
                       const struct rb_progress *prog, struct rb_log *log, struct rb_err *err)
{
    memset(cr, 0, sizeof *cr);
    struct reader rd = { .cr = cr, .cfg = cfg, .vocab = vocab, .log = log, .path = cfg->crashes_path };
    int rc = rb_open_layer(cfg->crashes_path, cfg->crashes_layer, "crashes", &rd.ds, &rd.layer, err);
    if (rc)
        return rc;
    rd.defn = OGR_L_GetLayerDefn(rd.layer);
    cr->is_table = is_table_driver(rd.ds);
    if (!(cr->path = rb_strdup(rd.path)) || rb_table_from_defn(rd.defn, &cr->attrs)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    if ((rc = find_columns(&rd, err)) || (rc = set_up_crs(&rd, roads, err)))
        goto done;
    if (cr->is_table && !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(rd.ds)), "CSV") &&
        (rc = check_csv_rows(rd.path, log, err)))
        goto done;
    if (cfg->crashes_where) {
        rb_gdal_push();
        OGRErr fe = OGR_L_SetAttributeFilter(rd.layer, cfg->crashes_where);
        rb_gdal_pop();
        if (fe != OGRERR_NONE) {
            rc = rb_err_set(err, RB_EUSAGE, "%s: -where '%s' is not a filter on its fields: %s", rd.path,
                            cfg->crashes_where, rb_gdal_last());
            goto done;
        }
    }
    GIntBig total = OGR_L_GetFeatureCount(rd.layer, 0);
    OGR_L_ResetReading(rd.layer);
    OGRFeatureH f;
    size_t nread = 0;
    while (!rc && (f = OGR_L_GetNextFeature(rd.layer))) {
        nread++;
        rc = read_record(&rd, cr, f, nread, err);
        OGR_F_Destroy(f);
        if (!rc)
            rb_progress_report(prog, "reading crashes", nread, total > 0 ? (size_t)total : 0);
    }
    if (rc)
        goto done;
    cr->nrecords = nread;
    if (nread == 0 || cr->n == 0)
        rc = rb_err_set(err, RB_EINVAL, "%s: no crash records%s", rd.path,
                        nread ? " (every row was set aside: see the warnings)" : "");
done:
    reader_close(&rd);
    if (rc)
        rb_crashes_free(cr);
    return rc;
}

void rb_crashes_free(struct rb_crashes *cr)
{
    if (!cr)
        return;
    rb_free(cr->c);
    rb_free(cr->rej);
    rb_pool_free(&cr->str);
    rb_table_free(&cr->attrs);
    rb_free(cr->path);
    rb_free(cr->srs_wkt);
    memset(cr, 0, sizeof *cr);
}
