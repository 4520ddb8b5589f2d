/* Fuzzes the CSV-row mapping: a crash table read by rb_io_read_crashes (GDAL's
 * CSV driver) against a small road network, so rows are grouped, mapped
 * through the value maps and the vocabulary, dated, timed and placed. The
 * first input byte picks the setting: bit 0 the harness writes the header
 * (id,lon,lat,date,...) and the rest of the input is the rows, else the input
 * is the whole file with only the coordinates found by name; bit 1 a date
 * format is given; bit 2 rows are grouped by crash (casualty files); bit 3 the
 * crashes' CRS is declared. Besides not crashing or leaking: every row read is
 * in one crash or set aside (the records add up), every code is one of its field's, a date
 * goes back to itself, a time is within the day, a placed crash has a finite
 * position, a measure and a direction are finite. */
#include <math.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include "io/io.h"
#include "fuzz.h"

/* two road segments near Almaty, as in tests/bad/roads.geojson */
static const char roads_json[] =
    "{ \"type\": \"FeatureCollection\","
    " \"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } },"
    " \"features\": ["
    " { \"type\": \"Feature\", \"properties\": { \"seg\": \"A1\", \"road\": \"KAZ19\" },"
    "   \"geometry\": { \"type\": \"LineString\", \"coordinates\": [[76.90, 43.20], [76.95, 43.20]] } },"
    " { \"type\": \"Feature\", \"properties\": { \"seg\": \"A2\", \"road\": \"KAZ19\" },"
    "   \"geometry\": { \"type\": \"LineString\", \"coordinates\": [[76.95, 43.20], [76.95, 43.25]] } } ] }";

static const char header[] = "id,lon,lat,date,time,grp,road,sev,type,light,surf,km,dir,weather\n";

static struct rb_vocab vocab;
static struct rb_roads roads;
static const char csv_path[] = "/vsimem/fuzz_crashes.csv";   /* GDAL's memory: no disk */

static void cleanup(void)
{
    rb_roads_free(&roads);
    rb_vocab_free(&vocab);
}

/* GDAL, the vocabulary and the roads once: they do not change between inputs. */
static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler);
    struct rb_err err;
    if (rb_vocab_read(NULL, &vocab, &err)) {
        fprintf(stderr, "fuzz_csv: %s (set RUMBLE_DATA_DIR)\n", err.msg);
        abort();
    }
    VSILFILE *f = VSIFileFromMemBuffer("/vsimem/fuzz_roads.geojson", (GByte *)roads_json,
                                       sizeof roads_json - 1, FALSE);
    VSIFCloseL(f);
    struct rb_config cfg;
    struct rb_log log = { 0 };
    rb_config_init(&cfg);
    if (rb_config_set(&cfg, "roads.path", "/vsimem/fuzz_roads.geojson", &err) ||
        rb_config_set(&cfg, "roads.id", "seg", &err) ||
        rb_io_read_roads(&cfg, &roads, NULL, &log, &err)) {
        fprintf(stderr, "fuzz_csv: %s\n", err.msg);
        abort();
    }
    rb_config_free(&cfg);
    rb_log_free(&log);
    atexit(cleanup);
}

static void set(struct rb_config *cfg, const char *key, const char *value)
{
    struct rb_err err;
    if (rb_config_set(cfg, key, value, &err)) {
        fprintf(stderr, "fuzz_csv: %s\n", err.msg);
        abort();
    }
}

static void check_crashes(const struct rb_crashes *cr)
{
    FUZZ_CHECK(cr->n >= 1 && cr->n <= cr->nrecords);
    FUZZ_CHECK(cr->attrs.nrows == cr->n);
    size_t records = 0;
    for (size_t i = 0; i < cr->n; i++) {
        const struct rb_crash *c = &cr->c[i];
        records += c->nrecords;
        FUZZ_CHECK(c->nrecords >= 1);
        FUZZ_CHECK(rb_pool_str(&cr->str, c->id));
        FUZZ_CHECK(c->severity < RB_NSEV && c->crash_type < RB_NCT && c->light < RB_NLIGHT &&
                   c->surface < RB_NSURF && c->xy_status < RB_NXY);
        if (c->xy_status == RB_XY_OK)
            FUZZ_CHECK(isfinite(c->x) && isfinite(c->y));
        if (c->date_days != RB_NODATE) {
            int y, m, d;
            rb_ymd_from_days(c->date_days, &y, &m, &d);
            FUZZ_CHECK(rb_days_from_ymd(y, m, d) == c->date_days);
        }
        FUZZ_CHECK(c->time_min >= -1 && c->time_min < 24 * 60);
        FUZZ_CHECK(isnan(c->measure_m) || isfinite(c->measure_m));
        FUZZ_CHECK(isnan(c->dir_deg) || (c->dir_deg >= 0 && c->dir_deg < 360));
    }
    for (size_t i = 0; i < cr->nrej; i++)
        FUZZ_CHECK(cr->rej[i].reason && rb_pool_str(&cr->str, cr->rej[i].text));
    FUZZ_CHECK(records + cr->nrej == cr->nrecords);   /* every row read is in one crash, or set aside */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    setup();
    unsigned flags = data[0];
    data++;
    size--;
    size_t hlen = flags & 1 ? sizeof header - 1 : 0;
    GByte *buf = CPLMalloc(hlen + size + 1);
    memcpy(buf, header, hlen);
    if (size)
        memcpy(buf + hlen, data, size);
    VSIFCloseL(VSIFileFromMemBuffer(csv_path, buf, hlen + size, TRUE));   /* GDAL frees buf */

    struct rb_config cfg;
    rb_config_init(&cfg);
    set(&cfg, "crashes.path", csv_path);
    if (flags & 1) {
        set(&cfg, "crashes.id", "id");
        set(&cfg, "crashes.x", "lon");
        set(&cfg, "crashes.y", "lat");
        set(&cfg, "crashes.date", "date");
        set(&cfg, "crashes.time", "time");
        set(&cfg, "crashes.road", "road");
        set(&cfg, "crashes.severity", "sev");
        set(&cfg, "crashes.severity_map", "1=K,2=A,3=B,4=C,5=O");
        set(&cfg, "crashes.crash_type", "type");
        set(&cfg, "crashes.crash_type_map", "1=head_on,2=rear_end,3=pedestrian");
        set(&cfg, "crashes.light", "light");
        set(&cfg, "crashes.surface", "surf");
        set(&cfg, "crashes.measure", "km");
        set(&cfg, "crashes.direction", "dir");
        set(&cfg, "crashes.weather", "weather");
        if (flags & 4)
            set(&cfg, "crashes.group_by", "grp");
    }
    if (flags & 2)
        set(&cfg, "crashes.date_format", "%d.%m.%Y");
    if (flags & 8)
        set(&cfg, "crashes.crs", "EPSG:4326");

    struct rb_crashes cr;
    struct rb_log log = { 0 };
    struct rb_err err = { 0 };
    if (rb_io_read_crashes(&cfg, &vocab, &roads, &cr, NULL, &log, &err) == RB_OK) {
        check_crashes(&cr);
        rb_crashes_free(&cr);
    } else {
        FUZZ_CHECK(err.msg[0]);
    }
    rb_log_free(&log);
    rb_config_free(&cfg);
    VSIUnlink(csv_path);
    return 0;
}
