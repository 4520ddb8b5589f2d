/* io/read: the road and crash layers through OGR, into the working CRS. */
#include "io/internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const xy_names[RB_NXY] = {
    "ok", "no_coordinates", "invalid_coordinates", "zero_coordinates",
    "out_of_range", "swapped_coordinates", "transform_failed"
};

const char *rb_xy_status_name(int s)
{
    return s >= 0 && s < RB_NXY ? xy_names[s] : "unknown";
}

static int is_metre_projected(OGRSpatialReferenceH srs)
{
    return OSRIsProjected(srs) && fabs(OSRGetLinearUnits(srs, NULL) - 1.0) < 1e-12;
}

OGRSpatialReferenceH rb_choose_work_srs(OGRSpatialReferenceH src, OGRLayerH layer, const char *what,
                                        struct rb_err *err)
{
    if (is_metre_projected(src))
        return rb_srs_clone(src);
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, 1) != OGRERR_NONE) {
        /* some drivers (OpenStreetMap) only know it by reading every feature */
        int any = 0;
        OGRFeatureH f;
        OGR_L_ResetReading(layer);
        while ((f = OGR_L_GetNextFeature(layer))) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g && !OGR_G_IsEmpty(g)) {
                OGREnvelope e;
                OGR_G_GetEnvelope(g, &e);
                if (!any)
                    env = e;
                env.MinX = fmin(env.MinX, e.MinX);
                env.MinY = fmin(env.MinY, e.MinY);
                env.MaxX = fmax(env.MaxX, e.MaxX);
                env.MaxY = fmax(env.MaxY, e.MaxY);
                any = 1;
            }
            OGR_F_Destroy(f);
        }
        OGR_L_ResetReading(layer);
        if (!any) {
            rb_err_set(err, RB_EINVAL, "cannot compute the extent of the %s", what);
            return NULL;
        }
    }
    double cx = (env.MinX + env.MaxX) / 2, cy = (env.MinY + env.MaxY) / 2;
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, wgs);
    int ok = ct && OCTTransform(ct, 1, &cx, &cy, NULL);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs);
    if (!ok || !isfinite(cx) || !isfinite(cy)) {
        rb_err_set(err, RB_EINVAL, "cannot place the %s on the globe to choose a UTM zone", what);
        return NULL;
    }
    int zone = (int)floor((cx + 180.0) / 6.0) + 1;
    if (zone < 1) zone = 1;
    if (zone > 60) zone = 60;
    OGRSpatialReferenceH utm = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(utm, (cy >= 0 ? 32600 : 32700) + zone);
    OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
    return utm;
}

void rb_crs_name(OGRSpatialReferenceH srs, char *out, size_t n)
{
    const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
    if (!auth || !code) {
        OSRAutoIdentifyEPSG(srs);
        auth = OSRGetAuthorityName(srs, NULL);
        code = OSRGetAuthorityCode(srs, NULL);
    }
    if (auth && code)
        snprintf(out, n, "%s:%s", auth, code);
    else
        snprintf(out, n, "%s", OSRGetName(srs) ? OSRGetName(srs) : "unknown");
}



int rb_open_layer_work(const char *path, const char *layer_name, const char *what, const char *work_srs_wkt,
                       GDALDatasetH *ds, OGRLayerH *layer, OGRSpatialReferenceH *src, OGRSpatialReferenceH *work,
                       OGRCoordinateTransformationH *ct, struct rb_err *err)
{
    *src = *work = NULL;
    *ct = NULL;
    int rc = rb_open_layer(path, layer_name, what, ds, layer, err);
    if (rc) {
        *ds = NULL;
        return rc;
    }
    *src = rb_srs_clone(OGR_L_GetSpatialRef(*layer));
    *work = rb_srs_from_wkt(work_srs_wkt);
    if (!*src)
        return rb_err_set(err, RB_EINVAL, "%s: the %s layer has no CRS", path, what);
    if (!*work)
        return rb_err_set(err, RB_EINVAL, "%s: cannot read the working CRS", path);
    if (!OSRIsSame(*src, *work) && !(*ct = OCTNewCoordinateTransformation(*src, *work)))
        return rb_err_set(err, RB_EINVAL, "%s: cannot transform the %s to the working CRS", path, what);
    return RB_OK;
}

int rb_roads_set_crs(struct rb_roads *r, OGRSpatialReferenceH src, OGRSpatialReferenceH work, const char *what,
                     struct rb_err *err)
{
    r->work_is_src = OSRIsSame(src, work);
    rb_crs_name(src, r->src_crs_name, sizeof r->src_crs_name);
    rb_crs_name(work, r->work_crs_name, sizeof r->work_crs_name);
    int rc = rb_srs_wkt(src, &r->src_srs_wkt);
    if (!rc)
        rc = rb_srs_wkt(work, &r->work_srs_wkt);
    if (rc == RB_ENOMEM)
        return rb_err_nomem(err);
    if (rc)
        return rb_err_set(err, rc, "%s: cannot express the %s' CRS as WKT", r->path ? r->path : "", what);
    return RB_OK;
}

/* ---- roads ------------------------------------------------------------------ */

const char rb_osm_highways[] = "motorway,trunk,primary,secondary,tertiary,unclassified,residential,motorway_link,"
                               "trunk_link,primary_link,secondary_link,tertiary_link,living_street,service,road";

struct vtx {
    double x, y;
    size_t seg;
};

static int vtx_cmp(const void *a, const void *b)
{
    const struct vtx *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->seg > q->seg) - (p->seg < q->seg);
}

static int vtx_find(const struct vtx *v, size_t n, double x, double y)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].x < x || (v[mid].x == x && v[mid].y < y))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].x == x && v[lo].y == y;
}

int rb_roads_split_shared(struct rb_roads *r)
{
    /* the coordinates two or more segments share */
    struct vtx *v = rb_malloc((r->npts ? r->npts : 1) * sizeof *v);
    if (!v)
        return RB_ENOMEM;
    size_t nv = 0;
    for (size_t s = 0; s < r->nsegs; s++)
        for (size_t p = r->part0[s]; p < r->part0[s + 1]; p++)
            for (size_t i = r->pt0[p]; i < r->pt0[p + 1]; i++)
                v[nv++] = (struct vtx){ r->xy[2 * i], r->xy[2 * i + 1], s };
    qsort(v, nv, sizeof *v, vtx_cmp);
    size_t ns = 0;
    for (size_t a = 0; a < nv;) {
        size_t b = a + 1, segs = 1;
        while (b < nv && v[b].x == v[a].x && v[b].y == v[a].y) {
            segs += v[b].seg != v[b - 1].seg;
            b++;
        }
        if (segs >= 2)
            v[ns++] = v[a];
        a = b;
    }
    /* the new layout: each part cut at its interior shared vertices, each piece a segment of its own */
    size_t cap_part0 = 0, cap_pt0 = 0, cap_fid = 0, nsegs = 0, nparts = 0;
    size_t *part0 = NULL, *pt0 = NULL, *src = NULL, cap_src = 0;
    int64_t *fid = NULL;
    int rc = RB_OK;
    for (size_t s = 0; s < r->nsegs && !rc; s++) {
        for (size_t p = r->part0[s]; p < r->part0[s + 1] && !rc; p++) {
            size_t a = r->pt0[p], e = r->pt0[p + 1];
            for (size_t i = a; i < e && !rc; i++) {
                int cut = i > a && i + 1 < e && vtx_find(v, ns, r->xy[2 * i], r->xy[2 * i + 1]);
                if (i != a && !cut)
                    continue;
                /* a piece starts at i: from the part's start, or at a shared vertex */
                if (rb_grow((void **)&part0, &cap_part0, nsegs + 2, sizeof *part0) ||
                    rb_grow((void **)&pt0, &cap_pt0, nparts + 2, sizeof *pt0) ||
                    rb_grow((void **)&fid, &cap_fid, nsegs + 1, sizeof *fid) ||
                    rb_grow((void **)&src, &cap_src, nsegs + 1, sizeof *src)) {
                    rc = RB_ENOMEM;
                    break;
                }
                part0[nsegs] = nparts;
                pt0[nparts++] = i;
                fid[nsegs] = r->fid[s];
                src[nsegs++] = s;
            }
        }
    }
    if (!rc) {
        /* pieces overlap by one point: rebuild the points with the shared vertex repeated */
        double *xy = rb_malloc(2 * (r->npts + nparts) * sizeof *xy);
        size_t *npt0 = rb_malloc((nparts + 1) * sizeof *npt0);
        struct rb_table attrs = { 0 };
        rc = !xy || !npt0 ? RB_ENOMEM : rb_table_copy_cols(&attrs, &r->attrs);
        size_t o = 0;
        for (size_t k = 0; k < nparts && !rc; k++) {
            size_t a = pt0[k];
            /* the original part holding a: its end */
            size_t s = src[k], end = 0;
            for (size_t p = r->part0[s]; p < r->part0[s + 1]; p++)
                if (a >= r->pt0[p] && a < r->pt0[p + 1])
                    end = r->pt0[p + 1];
            size_t b = k + 1 < nparts && pt0[k + 1] > a && pt0[k + 1] < end ? pt0[k + 1] + 1 : end;
            npt0[k] = o;
            for (size_t i = a; i < b; i++) {
                xy[2 * o] = r->xy[2 * i];
                xy[2 * o + 1] = r->xy[2 * i + 1];
                o++;
            }
        }
        for (size_t k = 0; k < nsegs && !rc; k++)
            rc = rb_table_copy_row(&attrs, &r->attrs, src[k]);
        /* pieces of one way get the way's id with :1, :2, ... */
        for (size_t k = 0; k < nsegs && !rc && r->col_id >= 0; k++) {
            int first = k == 0 || src[k - 1] != src[k], last = k + 1 == nsegs || src[k + 1] != src[k];
            if (first && last)
                continue;
            size_t piece = 1;
            for (size_t j = k; j > 0 && src[j - 1] == src[k]; j--)
                piece++;
            char buf[128], id[160];
            const char *t = rb_table_text(&r->attrs, (size_t)r->col_id, src[k], buf, sizeof buf);
            snprintf(id, sizeof id, "%s:%zu", t ? t : "", piece);
            if (attrs.cols[r->col_id].type != RB_FT_STRING) {
                /* a numeric id column cannot hold the suffix: make it text */
                rc = rb_table_col_to_text(&attrs, (size_t)r->col_id);
            }
            if (!rc)
                rc = rb_table_set_str(&attrs, (size_t)r->col_id, k, id);
        }
        if (!rc) {
            part0[nsegs] = nparts;
            npt0[nparts] = o;
            rb_free(r->part0);
            rb_free(r->pt0);
            rb_free(r->xy);
            rb_free(r->fid);
            rb_table_free(&r->attrs);
            r->part0 = part0;
            r->pt0 = npt0;
            r->xy = xy;
            r->fid = fid;
            r->attrs = attrs;
            r->nsegs = nsegs;
            r->nparts = nparts;
            r->npts = o;
            part0 = NULL;
            fid = NULL;
            npt0 = NULL;
            xy = NULL;
        } else {
            rb_table_free(&attrs);
        }
        rb_free(xy);
        rb_free(npt0);
    }
    rb_free(part0);
    rb_free(pt0);
    rb_free(fid);
    rb_free(src);
    rb_free(v);
    return rc;
}

/* OpenStreetMap: only the highway values listed (osm.highways, else the default list). */
static int osm_filter(const struct rb_config *cfg, OGRLayerH layer, struct rb_err *err)
{
    char filter[1024];
    snprintf(filter, sizeof filter, "highway IN (");
    const char *list = cfg->osm_highways ? cfg->osm_highways : rb_osm_highways;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(filter + strlen(filter), sizeof filter - strlen(filter), "%s'%.*s'",
                 p == list ? "" : ",", (int)n, p);
        p += n + (p[n] == ',');
    }
    strcat(filter, ")");
    rb_gdal_push();
    OGRErr fe = OGR_L_SetAttributeFilter(layer, filter);
    rb_gdal_pop();
    if (fe != OGRERR_NONE)
        return rb_err_set(err, RB_EUSAGE, "%s: osm.highways '%s' is not a list of highway values",
                          cfg->roads_path, list);
    return 0;
}

/* The road columns named in the config (each must exist); an OpenStreetMap
 * file's tags stand in for those not named. */
static int find_road_columns(const struct rb_config *cfg, OGRFeatureDefnH defn, int osm,
                             struct rb_roads *r, struct rb_err *err)
{
    const char *path = cfg->roads_path;
    const char *f_id = cfg->road_id ? cfg->road_id : osm ? "osm_id" : NULL;
    const char *f_route = cfg->road_route ? cfg->road_route : osm ? "ref" : NULL;
    const char *f_name = cfg->road_name ? cfg->road_name : osm ? "name" : NULL;
    const char *f_speed = cfg->road_speed ? cfg->road_speed : osm ? "maxspeed" : NULL;
    const char *f_lanes = cfg->road_lanes ? cfg->road_lanes : osm ? "lanes" : NULL;
    const char *f_bridge = cfg->road_bridge ? cfg->road_bridge : osm ? "bridge" : NULL;
    const char *f_lit = cfg->road_lit ? cfg->road_lit : osm ? "lit" : NULL;
    const char *f_tunnel = cfg->road_tunnel ? cfg->road_tunnel : osm ? "tunnel" : NULL;
    const char *f_layer = cfg->road_layer ? cfg->road_layer : osm ? "layer" : NULL;
    int rc;
    if ((rc = rb_field_need(defn, f_id, "roads.id", path, &r->col_id, err)) ||
        (rc = rb_field_need(defn, f_route, "roads.route", path, &r->col_route, err)) ||
        (rc = rb_field_need(defn, f_name, "roads.name", path, &r->col_name, err)) ||
        (rc = rb_field_need(defn, cfg->road_aadt, "roads.aadt", path, &r->col_aadt, err)) ||
        (rc = rb_field_need(defn, f_speed, "roads.speed_limit", path, &r->col_speed, err)) ||
        (rc = rb_field_need(defn, f_lanes, "roads.lanes", path, &r->col_lanes, err)) ||
        (rc = rb_field_need(defn, cfg->road_area, "roads.area", path, &r->col_area, err)) ||
        (rc = rb_field_need(defn, cfg->road_shoulder, "roads.shoulder_m", path, &r->col_shoulder, err)) ||
        (rc = rb_field_need(defn, f_bridge, "roads.bridge", path, &r->col_bridge, err)) ||
        (rc = rb_field_need(defn, cfg->road_divided, "roads.divided", path, &r->col_divided, err)) ||
        (rc = rb_field_need(defn, f_lit, "roads.lit", path, &r->col_lit, err)) ||
        (rc = rb_field_need(defn, f_tunnel, "roads.tunnel", path, &r->col_tunnel, err)) ||
        (rc = rb_field_need(defn, f_layer, "roads.grade_layer", path, &r->col_layer, err)))
        return rc;
    return 0;
}

/* The roads' CRS (declared, else the layer's), the working CRS in metres and the
 * transform between them (NULL when the same). */
static int road_crs(const struct rb_config *cfg, OGRLayerH layer, struct rb_roads *r,
                    OGRSpatialReferenceH *src, OGRSpatialReferenceH *work,
                    OGRCoordinateTransformationH *ct, struct rb_err *err)
{
    if (cfg->roads_crs) {
        if (!(*src = rb_srs_from_user(cfg->roads_crs, "roads.crs", err)))
            return err->code;
    } else if (!(*src = rb_srs_clone(OGR_L_GetSpatialRef(layer)))) {
        return rb_err_set(err, RB_EINVAL, "%s: the roads have no CRS; declare one with --roads-crs",
                          cfg->roads_path);
    }
    if (!(*work = rb_choose_work_srs(*src, layer, "roads", err)))
        return err->code;
    int rc = rb_roads_set_crs(r, *src, *work, "roads", err);
    if (rc)
        return rc;
    if (!r->work_is_src && !(*ct = OCTNewCoordinateTransformation(*src, *work)))
        return rb_err_set(err, RB_EINVAL, "%s: cannot transform the roads' CRS to metres", cfg->roads_path);
    return 0;
}

/* Growing buffers of one read of the roads. */
struct road_bufs {
    OGRCoordinateTransformationH ct;
    double *px, *py;
    size_t cappx, capparts, cappts, capsegs, capfid;
};

/* Appends the lines of road feature f (a line or multi-line, in the working CRS)
 * as parts of the segment being read; warns of a feature with no line. */
static int add_lines(struct rb_roads *r, struct road_bufs *b, OGRFeatureH f, const char *label,
                     struct rb_log *log, struct rb_err *err)
{
    const char *path = r->path;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    OGRwkbGeometryType gt = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
    int nsub = gt == wkbLineString ? 1 : gt == wkbMultiLineString ? OGR_G_GetGeometryCount(g) : 0;
    if (!g || OGR_G_IsEmpty(g))
        rb_warn(log, RB_W_SEGMENT, "%s: %s: no geometry; the segment is kept but nothing can match it",
                path, label);
    else if (gt != wkbLineString && gt != wkbMultiLineString)
        rb_warn(log, RB_W_SEGMENT, "%s: %s: a %s, not a line; nothing can match it", path, label,
                OGRGeometryTypeToName(gt));
    for (int k = 0; k < nsub; k++) {
        OGRGeometryH line = gt == wkbLineString ? g : OGR_G_GetGeometryRef(g, k);
        int n = OGR_G_GetPointCount(line);
        if (n <= 0)
            continue;
        size_t cappy = b->cappx;
        if (rb_grow((void **)&b->px, &b->cappx, (size_t)n, sizeof *b->px) ||
            rb_grow((void **)&b->py, &cappy, b->cappx, sizeof *b->py) ||
            rb_grow((void **)&r->pt0, &b->capparts, r->nparts + 2, sizeof *r->pt0) ||
            rb_grow((void **)&r->xy, &b->cappts, 2 * (r->npts + (size_t)n), sizeof *r->xy))
            return rb_err_nomem(err);
        OGR_G_GetPoints(line, b->px, sizeof(double), b->py, sizeof(double), NULL, 0);
        if (b->ct && !OCTTransform(b->ct, n, b->px, b->py, NULL))
            return rb_err_set(err, RB_EINVAL, "%s: %s: cannot transform to the working CRS", path, label);
        r->pt0[r->nparts++] = r->npts;
        for (int i = 0; i < n; i++) {
            double x = b->px[i], y = b->py[i];
            r->xy[2 * r->npts] = x;
            r->xy[2 * r->npts + 1] = y;
            r->npts++;
            if (x < r->extent[0]) r->extent[0] = x;
            if (y < r->extent[1]) r->extent[1] = y;
            if (x > r->extent[2]) r->extent[2] = x;
            if (y > r->extent[3]) r->extent[3] = y;
        }
    }
    return 0;
}

/* One road feature: a segment with its attributes and lines. */
static int add_road(struct rb_roads *r, struct road_bufs *b, OGRFeatureH f, struct rb_log *log,
                    struct rb_err *err)
{
    size_t s = r->nsegs;
    char label[64];
    snprintf(label, sizeof label, "feature %lld", (long long)OGR_F_GetFID(f));
    if (rb_grow((void **)&r->part0, &b->capsegs, s + 2, sizeof *r->part0) ||
        rb_grow((void **)&r->fid, &b->capfid, s + 1, sizeof *r->fid) ||
        rb_table_add_row(&r->attrs))
        return rb_err_nomem(err);
    r->fid[s] = OGR_F_GetFID(f);
    r->part0[s] = r->nparts;
    /* GDAL recodes road sources itself (a Shapefile's .cpg); crashes.encoding
     * is for crash tables only */
    if (rb_table_fill_row(&r->attrs, s, f, NULL, r->path, label, log))
        return rb_err_nomem(err);
    int rc = add_lines(r, b, f, label, log, err);
    if (!rc)
        r->nsegs++;
    return rc;
}

int rb_io_read_roads(const struct rb_config *cfg, struct rb_roads *r,
                     const struct rb_progress *prog, struct rb_log *log, struct rb_err *err)
{
    memset(r, 0, sizeof *r);
    r->col_id = r->col_route = r->col_name = r->col_aadt = r->col_speed = r->col_lanes =
        r->col_area = r->col_shoulder = r->col_bridge = r->col_divided = r->col_tunnel = r->col_layer = r->col_lit = -1;
    GDALDatasetH ds;
    OGRLayerH layer;
    int rc = rb_open_layer(cfg->roads_path, cfg->roads_layer, "roads", &ds, &layer, err);
    if (rc)
        return rc;
    const char *path = cfg->roads_path;
    OGRSpatialReferenceH src = NULL, work = NULL;
    struct road_bufs b = { 0 };
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    r->path = rb_strdup(path);
    if (!r->path || rb_table_from_defn(defn, &r->attrs)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    /* OpenStreetMap: roads only, and the tags as the fields unless mapped otherwise */
    int osm = rb_io_is_osm(path);
    if ((osm && (rc = osm_filter(cfg, layer, err))) ||
        (rc = find_road_columns(cfg, defn, osm, r, err)) ||
        (rc = road_crs(cfg, layer, r, &src, &work, &b.ct, err)))
        goto done;

    r->extent[0] = r->extent[1] = INFINITY;
    r->extent[2] = r->extent[3] = -INFINITY;
    GIntBig total = OGR_L_GetFeatureCount(layer, 0);
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    rb_gdal_push();
    while (!rc && (f = OGR_L_GetNextFeature(layer))) {
        rc = add_road(r, &b, f, log, err);
        OGR_F_Destroy(f);
        if (!rc)
            rb_progress_report(prog, "reading roads", r->nsegs, total > 0 ? (size_t)total : 0);
    }
    rb_gdal_pop();
    if (rc)
        goto done;
    if (rb_grow((void **)&r->part0, &b.capsegs, r->nsegs + 1, sizeof *r->part0) ||
        rb_grow((void **)&r->pt0, &b.capparts, r->nparts + 1, sizeof *r->pt0)) {
        rc = rb_err_nomem(err);
        goto done;
    }
    r->part0[r->nsegs] = r->nparts;
    r->pt0[r->nparts] = r->npts;
    if (r->nsegs == 0)
        rc = rb_err_set(err, RB_EINVAL, "%s: the road layer is empty", path);
    else if (r->npts == 0)
        rc = rb_err_set(err, RB_EINVAL, "%s: no road has a line geometry", path);
    else if (osm && rb_roads_split_shared(r))
        rc = rb_err_nomem(err);
done:
    rb_free(b.px);
    rb_free(b.py);
    rb_gdal_release(ds, b.ct, src, work);
    if (rc)
        rb_roads_free(r);
    return rc;
}

void rb_roads_keep(struct rb_roads *r, const unsigned char *keep)
{
    size_t ns = 0, np = 0, nv = 0;
    for (size_t s = 0; s < r->nsegs; s++) {
        if (!keep[s])
            continue;
        size_t p0 = r->part0[s], p1 = r->part0[s + 1];
        r->fid[ns] = r->fid[s];
        r->part0[ns++] = np;
        for (size_t p = p0; p < p1; p++) {
            size_t a = r->pt0[p], b = r->pt0[p + 1];
            r->pt0[np++] = nv;
            memmove(r->xy + 2 * nv, r->xy + 2 * a, (b - a) * 2 * sizeof *r->xy);
            nv += b - a;
        }
    }
    r->part0[ns] = np;
    r->pt0[np] = nv;
    rb_table_keep_rows(&r->attrs, keep);
    r->nsegs = ns;
    r->nparts = np;
    r->npts = nv;
}

void rb_roads_free(struct rb_roads *r)
{
    if (!r)
        return;
    rb_free(r->part0);
    rb_free(r->pt0);
    rb_free(r->xy);
    rb_free(r->fid);
    rb_table_free(&r->attrs);
    rb_free(r->src_srs_wkt);
    rb_free(r->work_srs_wkt);
    rb_free(r->path);
    memset(r, 0, sizeof *r);
}

int rb_roads_output_crs(struct rb_roads *r, const char *crs, struct rb_err *err)
{
    OGRSpatialReferenceH out = rb_srs_from_user(crs, "-t_srs", err);
    if (!out)
        return err->code;
    OGRSpatialReferenceH work = rb_srs_from_wkt(r->work_srs_wkt);
    char *wkt = NULL;
    int rc = rb_srs_wkt(out, &wkt);
    if (rc) {
        rc = rb_err_set(err, RB_EUSAGE, "-t_srs '%s': cannot write the CRS", crs);
    } else {
        rb_free(r->src_srs_wkt);
        r->src_srs_wkt = wkt;
        r->work_is_src = work && OSRIsSame(out, work);
    }
    rb_gdal_release(NULL, NULL, out, work);
    return rc;
}
