/* gen_demo: the bundled demo data, made by rumble's own code.
 *
 * A republican two-lane road, KAZ-R1, about 240 km across the steppe of a
 * region like Almaty's (UTM zone 43N), with villages, curves and AADT varying
 * by section, and a branch road KAZ-R2 meeting it at a T junction at km 75.
 * Crashes over 2020-2024 in the form a police export has: one row per
 * casualty, Russian words for severity, type and light, lon/lat from a GPS
 * with a few metres of error, a road number and a "km+m" post, and a few dirty
 * rows (no coordinates, lat/lon swapped, 0,0).
 *
 * Background crashes follow a rate per million vehicle-km; five hazards are
 * planted on top, each with the crash pattern its treatment answers:
 *   km 46.3-47.2  a sharp curve (R 220 m): run-off-road at night
 *                 -> curve chevrons, shoulder rumble strips
 *   km 120-125    a long straight: head-on crashes when overtaking
 *                 -> centreline rumble strips
 *   km 157.5-160  pasture by the road: livestock hit at night
 *                 -> livestock fencing
 *   km 87.5-88.3  the through-road of Zhanatalap: pedestrians hit in the dark
 *                 -> lighting, pedestrian crossing
 *   km 74.85-75.15 the junction with KAZ-R2: angle crashes
 *                 -> intersection flashing beacons
 * They are written to hazards.csv with the treatment each calls for.
 * A 60 m bridge at km 122.40-122.46 on the head-on straight (roads field
 * bridge = yes) shows the work orders' gaps: strips stop 15 m short of it.
 *
 * usage: gen_demo OUTDIR [SEED]   (deterministic for a seed; default 2024) */
#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rumble.h"

#define CRS "EPSG:32643"
#define YEAR0 2020
#define NYEARS 5

/* ---- random numbers: xorshift64*, seeded ---- */
static uint64_t rng = 2024;
static double urand(void)
{
    return rb_rand01(&rng);
}
static double nrand(void)   /* standard normal, Box-Muller */
{
    double u = urand(), v = urand();
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}
static int poisson(double lambda)
{
    double l = exp(-lambda), p = 1;
    int k = 0;
    do {
        k++;
        p *= urand();
    } while (p > l);
    return k - 1;
}
static int pick(const double *p, int n)
{
    double u = urand(), c = 0;
    for (int i = 0; i < n; i++)
        if (u < (c += p[i]))
            return i;
    return n - 1;
}

/* ---- a route: a polyline with chainage ---- */
struct route {
    const char *name;
    double *xy, *ch;
    size_t n, cap;
    double x, y, heading;   /* the pen */
};

static void put(struct route *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->xy = realloc(r->xy, 2 * r->cap * sizeof *r->xy);
        r->ch = realloc(r->ch, r->cap * sizeof *r->ch);
    }
    r->xy[2 * r->n] = r->x;
    r->xy[2 * r->n + 1] = r->y;
    r->ch[r->n] = r->n ? r->ch[r->n - 1] + hypot(r->x - r->xy[2 * r->n - 2], r->y - r->xy[2 * r->n - 1]) : 0;
    r->n++;
}

static void straight(struct route *r, double len)
{
    int k = (int)ceil(len / 100);
    for (int i = 0; i < k; i++) {
        r->x += len / k * cos(r->heading);
        r->y += len / k * sin(r->heading);
        put(r);
    }
}

/* an arc of radius R turning by angle (radians, + left), as chords of <= 20 m */
static void arc(struct route *r, double R, double angle)
{
    double len = R * fabs(angle);
    int k = (int)ceil(len / 20);
    double step = angle / k;
    for (int i = 0; i < k; i++) {
        double chord = 2 * R * sin(fabs(step) / 2);
        r->heading += step / 2;
        r->x += chord * cos(r->heading);
        r->y += chord * sin(r->heading);
        r->heading += step / 2;
        put(r);
    }
}

/* point and heading at chainage c */
static void at(const struct route *r, double c, double *x, double *y, double *h)
{
    size_t i = 1;
    while (i < r->n - 1 && r->ch[i] < c)
        i++;
    double t = (c - r->ch[i - 1]) / (r->ch[i] - r->ch[i - 1]);
    double dx = r->xy[2 * i] - r->xy[2 * i - 2], dy = r->xy[2 * i + 1] - r->xy[2 * i - 1];
    *x = r->xy[2 * i - 2] + t * dx;
    *y = r->xy[2 * i - 1] + t * dy;
    *h = atan2(dy, dx);
}

/* ---- the network ---- */
struct village { double from_km, to_km; const char *name; };
static const struct village villages[] = {
    { 0.0, 3.0, "Aksu" }, { 28.0, 30.5, "Kokterek" }, { 86.5, 89.5, "Zhanatalap" },
    { 140.0, 142.0, "Karabulak" }, { 161.5, 163.5, "Saryozek" }, { 205.0, 208.0, "Taldybulak" },
    { 236.0, 240.0, "Kapal" },
};
#define NVILLAGES (sizeof villages / sizeof *villages)
#define JUNCTION_KM 75.0
#define BRIDGE_FROM_KM 122.40
#define BRIDGE_TO_KM 122.46

struct seg {
    const struct route *r;
    double from_m, to_m;
    char id[16];
    const char *village;
    int aadt, speed_kmh;
    double shoulder_m;
    int bridge;
};

static const char *village_at(double km)
{
    for (size_t v = 0; v < NVILLAGES; v++)
        if (km >= villages[v].from_km && km < villages[v].to_km)
            return villages[v].name;
    return NULL;
}

/* AADT along KAZ-R1: heavy near the regional city at km 0, light in the middle,
 * rising towards the far end; less traffic beyond the junction. */
static int r1_aadt(double km)
{
    double a = 4200 + 7000 * exp(-km / 35) + 2500 * exp(-(240 - km) / 40) - (km > JUNCTION_KM ? 900 : 0);
    return (int)(round(a / 100) * 100);
}

/* ---- crashes ---- */
static const char *const sev_ru[5] = { "погиб", "ранен тяжело", "ранен легко", "возможная травма",
                                       "без пострадавших" };
static const char *const type_ru[] = {
    "съезд с дороги", "встречное столкновение", "попутное столкновение", "боковое столкновение",
    "касательное столкновение", "наезд на пешехода", "наезд на велосипедиста", "наезд на животное",
    "наезд на препятствие", "опрокидывание", "иное"
};
static const char *const light_ru[3] = { "светлое время суток", "темное время суток", "сумерки" };

struct crash {
    const struct route *r;
    double ch;
    int type, sev, dark;   /* dark: 0 day, 1 dark, 2 dusk */
    int year;
};

static struct crash *crashes;
static size_t ncrashes, capcrashes;

static void add_crash(const struct route *r, double ch, int type, int sev, int dark, int year)
{
    if (ncrashes == capcrashes) {
        capcrashes = capcrashes ? 2 * capcrashes : 1024;
        crashes = realloc(crashes, capcrashes * sizeof *crashes);
    }
    crashes[ncrashes++] = (struct crash){ r, ch, type, sev, dark, year };
}

/* severity by crash type, K A B C O */
static int severity_for(int type)
{
    static const double dflt[5] = { .02, .08, .20, .20, .50 };
    static const double headon[5] = { .15, .30, .30, .15, .10 };
    static const double ped[5] = { .15, .35, .35, .10, .05 };
    static const double ror[5] = { .05, .15, .30, .20, .30 };
    static const double angle[5] = { .03, .12, .25, .25, .35 };
    switch (type) {
    case RB_CT_HEAD_ON: return pick(headon, 5);
    case RB_CT_PEDESTRIAN: case RB_CT_BICYCLE: return pick(ped, 5);
    case RB_CT_RUN_OFF_ROAD: case RB_CT_ROLLOVER: return pick(ror, 5);
    case RB_CT_ANGLE: return pick(angle, 5);
    default: return pick(dflt, 5);
    }
}

static int light_draw(double p_dark)
{
    double u = urand();
    return u < p_dark ? 1 : u < p_dark + 0.08 ? 2 : 0;
}

static void background(const struct seg *s)
{
    static const double rural[RB_CT_OTHER + 1] = { .24, .07, .20, .10, .10, .03, .02, .07, .08, .07, .02 };
    static const double urban[RB_CT_OTHER + 1] = { .06, .03, .30, .22, .10, .15, .06, .02, .03, .01, .02 };
    int is_urban = s->village != NULL;
    double rate_per_mvkm = is_urban ? 0.60 : 0.25;
    double mvkm = s->aadt * 365.0 * (s->to_m - s->from_m) / 1000.0 / 1e6;
    for (int y = 0; y < NYEARS; y++) {
        int n = poisson(rate_per_mvkm * mvkm);
        for (int k = 0; k < n; k++) {
            int type = pick(is_urban ? urban : rural, RB_CT_OTHER + 1);
            add_crash(s->r, s->from_m + urand() * (s->to_m - s->from_m), type, severity_for(type),
                      light_draw(0.28), YEAR0 + y);
        }
    }
}

static void plant(const struct route *r, double from_km, double to_km, int n, int type, double p_dark)
{
    for (int k = 0; k < n; k++)
        add_crash(r, (from_km + urand() * (to_km - from_km)) * 1000, type, severity_for(type),
                  light_draw(p_dark), YEAR0 + (int)(urand() * NYEARS));
}

/* ---- the history for rumble evaluate ---- */
/* a gamma variate of shape a, scale 1 (Marsaglia and Tsang 2000; a < 1 boosted) */
static double gamma_draw(double a)
{
    if (a < 1)
        return gamma_draw(a + 1) * pow(urand() + 1e-300, 1 / a);
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = nrand(), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = urand();
        if (log(u + 1e-300) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}
static double no_attr(const char *name, void *ud)
{
    (void)name;
    (void)ud;
    return NAN;
}

/* a crash's date, time, position and km post as the police export writes
 * them; its month into *month */
struct export_text {
    char date[16], tm[16], lon[32], lat[32], km[24];
};
static void export_text(int year, int doy, int minute, const double *lonlat, double ch, struct export_text *x,
                        int *month)
{
    int yy, dd;
    rb_ymd_from_days(rb_days_from_ymd(year, 1, 1) + doy, &yy, month, &dd);
    snprintf(x->date, sizeof x->date, "%02d.%02d.%04d", dd, *month, yy);
    snprintf(x->tm, sizeof x->tm, "%02d:%02d", minute / 60, minute % 60);
    snprintf(x->lon, sizeof x->lon, "%.6f", lonlat[0]);
    snprintf(x->lat, sizeof x->lat, "%.6f", lonlat[1]);
    long m = lround(ch);
    snprintf(x->km, sizeof x->km, "%ld+%03ld", m / 1000, m % 1000);
}

/* ---- output helpers ---- */
static size_t col(struct rb_table *t, const char *name, int type);

/* the police export's columns, in its order */
struct export_cols {
    size_t id, date, time, lon, lat, road, km, sev, type, light, surf, wx;
};
static void export_cols(struct rb_table *t, struct export_cols *k)
{
    k->id = col(t, "crash_id", RB_FT_STRING);
    k->date = col(t, "date", RB_FT_STRING);
    k->time = col(t, "time", RB_FT_STRING);
    k->lon = col(t, "lon", RB_FT_STRING);
    k->lat = col(t, "lat", RB_FT_STRING);
    k->road = col(t, "road", RB_FT_STRING);
    k->km = col(t, "km", RB_FT_STRING);
    k->sev = col(t, "severity", RB_FT_STRING);
    k->type = col(t, "crash_type", RB_FT_STRING);
    k->light = col(t, "light", RB_FT_STRING);
    k->surf = col(t, "surface", RB_FT_STRING);
    k->wx = col(t, "weather", RB_FT_STRING);
}
static void die(const struct rb_err *err)
{
    fprintf(stderr, "gen_demo: %s\n", err->msg);
    exit(1);
}

static size_t col(struct rb_table *t, const char *name, int type)
{
    if (rb_table_add_col(t, name, type))
        exit(3);
    return t->ncols - 1;
}

static void set(struct rb_table *t, size_t c, size_t row, const char *s)
{
    if (rb_table_set_str(t, c, row, s))
        exit(3);
}

static void layer_all(struct rb_layer *l, const struct rb_table *t)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (rb_layer_add_col(l, t->cols[k].name, t, k))
            exit(3);
}

/* The segments as a road inventory: seg_id, road, settlement, aadt, speed,
 * lanes, area, shoulder, from_km, bridge (and lit: the villages' streets
 * are, the open road is not); lines along their routes. */
static void write_roads(const char *path, const struct seg *segs, int ns, int with_lit)
{
    struct rb_err err = { 0 };
    struct rb_table rt = { 0 };
    size_t c_id = col(&rt, "seg_id", RB_FT_STRING), c_road = col(&rt, "road", RB_FT_STRING),
           c_name = col(&rt, "settlement", RB_FT_STRING), c_aadt = col(&rt, "aadt", RB_FT_INT),
           c_speed = col(&rt, "speed_kmh", RB_FT_INT), c_lanes = col(&rt, "lanes", RB_FT_INT),
           c_area = col(&rt, "area", RB_FT_STRING), c_sh = col(&rt, "shoulder_m", RB_FT_REAL),
           c_from = col(&rt, "from_km", RB_FT_REAL), c_bridge = col(&rt, "bridge", RB_FT_STRING);
    size_t c_lit = with_lit ? col(&rt, "lit", RB_FT_STRING) : 0;
    size_t cap = 0;
    for (int i = 0; i < ns; i++)
        cap += segs[i].r->n + 2;
    size_t *part_off = malloc((ns + 1) * sizeof *part_off), *pt_off = malloc((ns + 1) * sizeof *pt_off);
    double *gxy = malloc(cap * 2 * sizeof *gxy);
    size_t npt = 0;
    for (int i = 0; i < ns; i++) {
        const struct seg *s = &segs[i];
        if (rb_table_add_row(&rt))
            exit(3);
        set(&rt, c_id, i, s->id);
        set(&rt, c_road, i, s->r->name);
        set(&rt, c_name, i, s->village);
        rt.cols[c_aadt].i[i] = s->aadt;
        rt.cols[c_speed].i[i] = s->speed_kmh;
        rt.cols[c_lanes].i[i] = 2;
        set(&rt, c_area, i, s->village ? "urban" : "rural");
        rt.cols[c_sh].d[i] = s->shoulder_m;
        set(&rt, c_bridge, i, s->bridge ? "yes" : "no");
        if (with_lit)
            set(&rt, c_lit, i, s->village ? "yes" : "no");
        rt.cols[c_from].d[i] = round(s->from_m) / 1000;
        part_off[i] = i;
        pt_off[i] = npt;
        double x, y, h;
        at(s->r, s->from_m, &x, &y, &h);
        gxy[2 * npt] = x; gxy[2 * npt + 1] = y; npt++;
        for (size_t k = 0; k < s->r->n; k++) {
            if (s->r->ch[k] > s->from_m + 1e-6 && s->r->ch[k] < s->to_m - 1e-6) {
                gxy[2 * npt] = s->r->xy[2 * k];
                gxy[2 * npt + 1] = s->r->xy[2 * k + 1];
                npt++;
            }
        }
        at(s->r, s->to_m, &x, &y, &h);
        gxy[2 * npt] = x; gxy[2 * npt + 1] = y; npt++;
    }
    part_off[ns] = ns;
    pt_off[ns] = npt;
    struct rb_layer rl = { .name = "roads", .geom = RB_GEOM_LINE, .nrows = (size_t)ns,
                           .part_off = part_off, .pt_off = pt_off, .xy = gxy };
    layer_all(&rl, &rt);
    struct rb_out *out;
    if (rb_out_open(path, CRS, &out, &err) || rb_out_write(out, &rl, &err) || rb_out_commit(out, &err))
        die(&err);
    rb_layer_free_cols(&rl);
    rb_table_free(&rt);
    free(part_off);
    free(pt_off);
    free(gxy);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_demo OUTDIR [SEED]\n");
        return 2;
    }
    const char *dir = argv[1];
    if (argc > 2)
        rng = strtoull(argv[2], NULL, 10);
    if (!rng)
        rng = 2024;
    rb_io_init();
    struct rb_err err = { 0 };

    /* KAZ-R1: tangents and gentle curves, with the planted sharp curve at km 46.6 */
    struct route r1 = { .name = "KAZ-R1", .x = 500000, .y = 4800000, .heading = 0.15 };
    put(&r1);
    int planted_curve = 0;
    while (r1.ch[r1.n - 1] < 240000) {
        double c = r1.ch[r1.n - 1];
        if (!planted_curve && c > 40000) {
            straight(&r1, 46600 - c);
            arc(&r1, 220, 75 * M_PI / 180);   /* the hazard: 288 m at R 220 */
            planted_curve = 1;
            continue;
        }
        double len = 3000 + urand() * 6000;
        if (c < 120000 && c + len > 118000)   /* km 118-127: the long straight */
            len = 127000 - c;
        if (c + len > 240000)
            len = 240000 - c;
        straight(&r1, len);
        if (r1.ch[r1.n - 1] >= 240000)
            break;
        double R = 600 + urand() * 1900, ang = (8 + urand() * 22) * M_PI / 180;
        arc(&r1, R, (urand() < 0.5 ? -1 : 1) * ang - 0.02 * (r1.heading - 0.15));
    }
    /* KAZ-R2 leaves R1 at km 75 to the north */
    struct route r2 = { .name = "KAZ-R2" };
    double hx, hy, hh;
    at(&r1, JUNCTION_KM * 1000, &hx, &hy, &hh);
    r2.x = hx;
    r2.y = hy;
    r2.heading = hh + M_PI / 2;
    put(&r2);
    straight(&r2, 9000);
    arc(&r2, 1200, -0.3);
    straight(&r2, 14000);
    arc(&r2, 900, 0.25);
    straight(&r2, 12000);
    double r2_len = r2.ch[r2.n - 1];

    /* R1 needs a vertex exactly at the junction so that both segments end there */
    {
        size_t i = 1;
        while (r1.ch[i] < JUNCTION_KM * 1000)
            i++;
        if (fabs(r1.ch[i] - JUNCTION_KM * 1000) > 1e-6) {
            put(&r1);   /* grow by one, then shift */
            memmove(r1.xy + 2 * i + 2, r1.xy + 2 * i, 2 * (r1.n - 1 - i) * sizeof *r1.xy);
            memmove(r1.ch + i + 1, r1.ch + i, (r1.n - 1 - i) * sizeof *r1.ch);
            r1.xy[2 * i] = hx;
            r1.xy[2 * i + 1] = hy;
            r1.ch[i] = JUNCTION_KM * 1000;
        }
    }
    double r1_len = r1.ch[r1.n - 1];

    /* segments: breaks at village edges and the junction, the rest in ~3 km pieces */
    double breaks[128];
    int nb = 0;
    breaks[nb++] = 0;
    for (size_t v = 0; v < NVILLAGES; v++) {
        breaks[nb++] = villages[v].from_km * 1000;
        breaks[nb++] = villages[v].to_km * 1000;
    }
    breaks[nb++] = JUNCTION_KM * 1000;
    breaks[nb++] = r1_len;
    for (int i = 1; i < nb; i++)   /* sort (small) */
        for (int j = i; j > 0 && breaks[j] < breaks[j - 1]; j--) {
            double t = breaks[j]; breaks[j] = breaks[j - 1]; breaks[j - 1] = t;
        }
    struct seg segs[256];
    int ns = 0;
    for (int i = 0; i + 1 < nb; i++) {
        double a = breaks[i], b = fmin(breaks[i + 1], r1_len);
        if (b - a < 1)
            continue;
        int pieces = (int)ceil((b - a) / 3500);
        for (int k = 0; k < pieces; k++) {
            struct seg *s = &segs[ns];
            s->r = &r1;
            s->from_m = a + (b - a) * k / pieces;
            s->to_m = a + (b - a) * (k + 1) / pieces;
            double mid_km = (s->from_m + s->to_m) / 2000;
            s->village = village_at(mid_km);
            s->aadt = r1_aadt(mid_km);
            s->speed_kmh = s->village ? 60 : 100;
            s->shoulder_m = s->village ? 0.5 : (mid_km > 110 && mid_km < 130 ? 2.5 : 1.5);
            s->bridge = 0;
            snprintf(s->id, sizeof s->id, "R1-%03d", ns + 1);
            ns++;
        }
    }
    int n_r1 = ns;
    for (int k = 0; k < 9; k++) {
        struct seg *s = &segs[ns];
        s->r = &r2;
        s->from_m = r2_len * k / 9;
        s->to_m = r2_len * (k + 1) / 9;
        s->village = NULL;
        s->aadt = 2400 - 100 * k;
        s->speed_kmh = 90;
        s->shoulder_m = 1.0;
        s->bridge = 0;
        snprintf(s->id, sizeof s->id, "R2-%03d", k + 1);
        ns++;
    }

    /* crashes */
    for (int i = 0; i < ns; i++)
        background(&segs[i]);
    /* a bridge on the head-on straight (strips stop short of it), cut out of its
     * segment after the crashes are drawn, so the crashes stay as they were */
    for (int i = 0; i < n_r1; i++) {
        if (!(segs[i].from_m < BRIDGE_FROM_KM * 1000 && segs[i].to_m > BRIDGE_TO_KM * 1000))
            continue;
        memmove(&segs[i + 3], &segs[i + 1], (size_t)(ns - i - 1) * sizeof *segs);
        segs[i + 1] = segs[i + 2] = segs[i];
        segs[i].to_m = segs[i + 1].from_m = BRIDGE_FROM_KM * 1000;
        segs[i + 1].to_m = segs[i + 2].from_m = BRIDGE_TO_KM * 1000;
        segs[i + 1].bridge = 1;
        strcat(segs[i + 1].id, "b");        /* the others keep their ids */
        strcat(segs[i + 2].id, "c");
        ns += 2;
        n_r1 += 2;
        break;
    }
    plant(&r1, 46.3, 47.2, 22, RB_CT_RUN_OFF_ROAD, 0.7);
    plant(&r1, 120.0, 125.0, 16, RB_CT_HEAD_ON, 0.3);
    plant(&r1, 157.5, 160.0, 24, RB_CT_ANIMAL, 0.8);
    plant(&r1, 87.5, 88.3, 14, RB_CT_PEDESTRIAN, 0.7);
    plant(&r1, JUNCTION_KM - 0.15, JUNCTION_KM + 0.15, 18, RB_CT_ANGLE, 0.25);

    /* ---- roads.gpkg ---- */
    char path[4096];
    struct rb_out *out;
    snprintf(path, sizeof path, "%s/roads.gpkg", dir);
    write_roads(path, segs, ns, 0);

    /* ---- crashes.csv: one row per casualty ---- */
    struct rb_table ct = { 0 };
    struct export_cols ek;
    export_cols(&ct, &ek);
    size_t k_victim = col(&ct, "victim_no", RB_FT_INT);
    /* order crashes by date for a realistic export; positions in lon/lat */
    double *ll = malloc(ncrashes * 2 * sizeof *ll);
    int *doy = malloc(ncrashes * sizeof *doy), *minute = malloc(ncrashes * sizeof *minute);
    for (size_t i = 0; i < ncrashes; i++) {
        double x, y, h;
        at(crashes[i].r, crashes[i].ch, &x, &y, &h);
        double lateral = (urand() < 0.5 ? -1 : 1) * (1.5 + fabs(nrand()) * 2.5);
        if (crashes[i].type == RB_CT_RUN_OFF_ROAD || crashes[i].type == RB_CT_ROLLOVER)
            lateral *= 2.5;   /* off the carriageway */
        ll[2 * i] = x - sin(h) * lateral + nrand() * 4;
        ll[2 * i + 1] = y + cos(h) * lateral + nrand() * 4;
        doy[i] = (int)(urand() * 365);
        int hour = crashes[i].dark == 1 ? (urand() < 0.5 ? 20 + (int)(urand() * 4) : (int)(urand() * 6))
                 : crashes[i].dark == 2 ? (urand() < 0.5 ? 6 : 19)
                 : 7 + (int)(urand() * 12);
        minute[i] = hour * 60 + (int)(urand() * 60);
    }
    if (rb_io_transform(CRS, "EPSG:4326", ll, ncrashes, &err))
        die(&err);
    size_t row = 0;
    int seq[NYEARS] = { 0 };
    for (int y = 0; y < NYEARS; y++) {
        for (int d = 0; d < 365; d++) {
            for (size_t i = 0; i < ncrashes; i++) {
                const struct crash *c = &crashes[i];
                if (c->year != YEAR0 + y || doy[i] != d)
                    continue;
                char id[32];
                snprintf(id, sizeof id, "%d-%05d", c->year, ++seq[y]);
                int mo;
                struct export_text x;
                export_text(c->year, d, minute[i], &ll[2 * i], c->ch, &x, &mo);
                char *date = x.date, *tm = x.tm, *lon = x.lon, *lat = x.lat, *km = x.km;
                /* dirty rows, as police exports have them */
                int dirt = seq[y] % 97 == 13 ? 1 : seq[y] % 151 == 77 ? 2 : seq[y] % 211 == 101 ? 3 : 0;
                if (dirt == 1) { lon[0] = 0; lat[0] = 0; }                           /* no GPS fix */
                if (dirt == 2) { char t[32]; strcpy(t, lon); strcpy(lon, lat); strcpy(lat, t); } /* swapped */
                if (dirt == 3) { strcpy(lon, "0"); strcpy(lat, "0"); }               /* default 0,0 */
                int casualties = c->sev == 4 ? 1 : 1 + poisson(0.5);
                for (int v = 0; v < casualties; v++) {
                    if (rb_table_add_row(&ct))
                        return 3;
                    set(&ct, ek.id, row, id);
                    set(&ct, ek.date, row, date);
                    set(&ct, ek.time, row, tm);
                    set(&ct, ek.lon, row, lon);
                    set(&ct, ek.lat, row, lat);
                    set(&ct, ek.road, row, c->r->name);
                    set(&ct, ek.km, row, km);
                    /* the first casualty carries the crash's severity, others are lighter */
                    int sev = v == 0 ? c->sev : c->sev + 1 + (int)(urand() * 2);
                    if (sev > 3 && c->sev < 4) sev = 3;
                    set(&ct, ek.sev, row, sev_ru[sev]);
                    set(&ct, ek.type, row, type_ru[c->type]);
                    set(&ct, ek.light, row, light_ru[c->dark]);
                    const char *surf = urand() < 0.2 ? "мокрое" : urand() < 0.1 ? "снег" : "сухое";
                    set(&ct, ek.surf, row, surf);
                    /* the weather follows from the surface and the season, with no draw
                     * of its own: rain on a wet road, snowfall on snow, fog on dry
                     * autumn and spring mornings (5-8 h), else clear */
                    int hour = minute[i] / 60;
                    set(&ct, ek.wx, row, !strcmp(surf, "мокрое") ? "дождь"
                                        : !strcmp(surf, "снег")                         ? "снегопад"
                                        : (mo == 3 || mo == 10 || mo == 11) && hour >= 5 && hour < 8 ? "туман"
                                                                                         : "ясно");
                    ct.cols[k_victim].i[row] = v + 1;
                    row++;
                }
            }
        }
    }
    struct rb_layer cl = { .name = "crashes", .geom = RB_GEOM_NONE, .nrows = row };
    layer_all(&cl, &ct);
    snprintf(path, sizeof path, "%s/crashes.csv", dir);
    if (rb_out_open(path, NULL, &out, &err) || rb_out_write(out, &cl, &err) || rb_out_commit(out, &err))
        die(&err);

    /* ---- hazards.csv: the truth the demo and its tests check against ---- */
    snprintf(path, sizeof path, "%s/hazards.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "road,from_km,to_km,pattern,treatment\n"
               "KAZ-R1,46.3,47.2,run_off_road at night on a sharp curve,curve_chevrons;shoulder_rumble_strips\n"
               "KAZ-R1,120.0,125.0,head_on on a long straight,centreline_rumble_strips\n"
               "KAZ-R1,157.5,160.0,animal at night,livestock_fencing\n"
               "KAZ-R1,87.5,88.3,pedestrian in the dark in a village,road_lighting;pedestrian_crossing_upgrade\n"
               "KAZ-R1,74.85,75.15,angle at the junction with KAZ-R2,intersection_flashing_beacons\n");
    fclose(f);

    /* ---- history.csv and treatments.csv: a before-after study to evaluate ----
     * Ten years of crashes (2015-2024) on the same roads, drawn from the SPF
     * that rumble evaluate uses (HSM rural two-lane, data/spf/hsm_rural_2lane.json,
     * base conditions): each segment's own mean is the SPF's prediction times a
     * gamma draw of mean 1 and variance k (k = 0.236 / L, the SPF's), its yearly
     * crashes Poisson. Types as the background's rural mix, severities with
     * the SPF's fatal-and-injury share (0.321). Shoulder rumble strips were laid
     * between 2019-04-01 and 2019-06-30 on the 20 rural KAZ-R1 segments (speed
     * 100, shoulder >= 1.5 m) that had the most run-off-road, fixed-object and
     * rollover crashes in 2015-2018 (chosen as a road authority chooses:
     * regression to the mean is planted too); 30 other such segments are the
     * comparison group. The planted effect: from 2019-07-01 each target crash
     * on a treated segment happens with probability 0.6 (theta 0.6 on the
     * target crashes), the others as before. */
    {
        char spf_path[4096];
        struct rb_spf spf;
        rb_data_path(NULL, "spf/hsm_rural_2lane.json", spf_path, sizeof spf_path);
        if (rb_spf_read(spf_path, &spf, &err))
            die(&err);
        enum { HY0 = 2015, HNY = 10, NTREAT = 20, NCOMP = 30 };
        static const double rural[RB_CT_OTHER + 1] = { .24, .07, .20, .10, .10, .03, .02, .07, .08, .07, .02 };
        static const double sev_p[5] = { .02, .05, .10, .151, .679 };
        double *mean = calloc(ns, sizeof *mean);
        int *cand = calloc(ns, sizeof *cand), *before = calloc(ns, sizeof *before), ncand = 0;
        /* the candidates: rural KAZ-R1 segments where shoulder rumble strips apply */
        for (int i = 0; i < n_r1; i++)
            if (!segs[i].village && !segs[i].bridge && segs[i].speed_kmh >= 80 && segs[i].shoulder_m >= 1.5)
                cand[ncand++] = i;
        /* each segment's yearly crashes: the draws, year by year, kept */
        struct hcrash { int seg, year, doy, minute, type, sev, dark; double ch; };
        struct hcrash *hc = NULL;
        size_t nhc = 0, caphc = 0;
        for (int i = 0; i < ns; i++) {
            const struct seg *sg = &segs[i];
            double len = sg->to_m - sg->from_m;
            struct rb_spf_site site = { sg->aadt, len, no_attr, NULL, NULL };
            double k = rb_spf_k(&spf, len);
            mean[i] = rb_spf_predict(&spf, &site) * gamma_draw(1 / k) * k;
            for (int y = 0; y < HNY; y++) {
                int n = poisson(mean[i]);
                for (int c = 0; c < n; c++) {
                    if (nhc == caphc) {
                        caphc = caphc ? 2 * caphc : 4096;
                        hc = realloc(hc, caphc * sizeof *hc);
                    }
                    int type = pick(rural, RB_CT_OTHER + 1), dark = light_draw(0.28);
                    int hdoy = (int)(urand() * 365);
                    int hour = dark == 1 ? (urand() < 0.5 ? 20 + (int)(urand() * 4) : (int)(urand() * 6))
                             : dark == 2 ? (urand() < 0.5 ? 6 : 19) : 7 + (int)(urand() * 12);
                    hc[nhc++] = (struct hcrash){ i, HY0 + y, hdoy, hour * 60 + (int)(urand() * 60), type,
                                                 pick(sev_p, 5), dark, sg->from_m + urand() * len };
                    int tg = type == RB_CT_RUN_OFF_ROAD || type == RB_CT_FIXED_OBJECT || type == RB_CT_ROLLOVER;
                    if (tg && HY0 + y < 2019)
                        before[i]++;
                }
            }
        }
        /* the treated: the candidates with the most target crashes before (ties by order) */
        for (int a = 1; a < ncand; a++)
            for (int b = a; b > 0 && before[cand[b]] > before[cand[b - 1]]; b--) {
                int t = cand[b]; cand[b] = cand[b - 1]; cand[b - 1] = t;
            }
        uint8_t *treated = calloc(ns, 1);
        for (int a = 0; a < NTREAT && a < ncand; a++)
            treated[cand[a]] = 1;
        int32_t works_end = rb_days_from_ymd(2019, 6, 30);
        /* the planted effect: target crashes after the works thinned to 0.6 */
        size_t kept = 0;
        for (size_t c = 0; c < nhc; c++) {
            const struct hcrash *x = &hc[c];
            int tg = x->type == RB_CT_RUN_OFF_ROAD || x->type == RB_CT_FIXED_OBJECT || x->type == RB_CT_ROLLOVER;
            int32_t day = rb_days_from_ymd(x->year, 1, 1) + x->doy;
            double u = urand();
            if (treated[x->seg] && tg && day > works_end && u >= 0.6)
                continue;
            hc[kept++] = *x;
        }
        nhc = kept;
        /* in date order, as an export */
        for (size_t a = 1; a < nhc; a++) {
            struct hcrash t = hc[a];
            size_t b = a;
            while (b > 0 && (hc[b - 1].year > t.year || (hc[b - 1].year == t.year && hc[b - 1].doy > t.doy))) {
                hc[b] = hc[b - 1];
                b--;
            }
            hc[b] = t;
        }
        double *hll = malloc((nhc ? nhc : 1) * 2 * sizeof *hll);
        for (size_t c = 0; c < nhc; c++) {
            double x, y, h;
            at(segs[hc[c].seg].r, hc[c].ch, &x, &y, &h);
            double lateral = (urand() < 0.5 ? -1 : 1) * (1.5 + fabs(nrand()) * 2.5);
            hll[2 * c] = x - sin(h) * lateral + nrand() * 4;
            hll[2 * c + 1] = y + cos(h) * lateral + nrand() * 4;
        }
        if (nhc && rb_io_transform(CRS, "EPSG:4326", hll, nhc, &err))
            die(&err);
        struct rb_table ht = { 0 };
        struct export_cols h;
        export_cols(&ht, &h);
        int hseq[HNY] = { 0 };
        for (size_t c = 0; c < nhc; c++) {
            const struct hcrash *x = &hc[c];
            char id[32];
            int mo;
            struct export_text xt;
            snprintf(id, sizeof id, "H%d-%05d", x->year, ++hseq[x->year - HY0]);
            export_text(x->year, x->doy, x->minute, &hll[2 * c], x->ch, &xt, &mo);
            const char *date = xt.date, *tm = xt.tm, *lon = xt.lon, *lat = xt.lat, *km = xt.km;
            if (rb_table_add_row(&ht))
                return 3;
            set(&ht, h.id, c, id);
            set(&ht, h.date, c, date);
            set(&ht, h.time, c, tm);
            set(&ht, h.lon, c, lon);
            set(&ht, h.lat, c, lat);
            set(&ht, h.road, c, segs[x->seg].r->name);
            set(&ht, h.km, c, km);
            set(&ht, h.sev, c, sev_ru[x->sev]);
            set(&ht, h.type, c, type_ru[x->type]);
            set(&ht, h.light, c, light_ru[x->dark]);
            set(&ht, h.surf, c, "сухое");
            set(&ht, h.wx, c, "ясно");
        }
        struct rb_layer hl = { .name = "history", .geom = RB_GEOM_NONE, .nrows = nhc };
        layer_all(&hl, &ht);
        snprintf(path, sizeof path, "%s/history.csv", dir);
        if (rb_out_open(path, NULL, &out, &err) || rb_out_write(out, &hl, &err) || rb_out_commit(out, &err))
            die(&err);
        rb_layer_free_cols(&hl);
        rb_table_free(&ht);
        snprintf(path, sizeof path, "%s/treatments.csv", dir);
        FILE *tf = fopen(path, "w");
        if (!tf) {
            perror(path);
            return 1;
        }
        fprintf(tf, "segment_id,countermeasure,work_start,work_end,role\n");
        for (int a = 0; a < ncand && a < NTREAT + NCOMP; a++)
            fprintf(tf, "%s,%s,%s,%s,%s\n", segs[cand[a]].id, a < NTREAT ? "shoulder_rumble_strips" : "",
                    a < NTREAT ? "2019-04-01" : "", a < NTREAT ? "2019-06-30" : "", a < NTREAT ? "treated" : "comparison");
        fclose(tf);
        printf("gen_demo: history 2015-2024: %zu crashes; shoulder rumble strips on %d segments in 2019 (planted theta"
               " 0.6 on their target crashes), %d comparison segments\n", nhc, NTREAT < ncand ? NTREAT : ncand,
               ncand - NTREAT < NCOMP ? ncand - NTREAT : NCOMP);
        free(mean); free(cand); free(before); free(treated); free(hc); free(hll);
    }

    printf("gen_demo: %d segments (%d on KAZ-R1, %.1f km; %d on KAZ-R2, %.1f km), %zu crashes in %zu rows\n",
           ns, n_r1, r1_len / 1000, ns - n_r1, r2_len / 1000, ncrashes, row);

    /* ---- region.gpkg and region_crashes.csv: the region's roads for rumble systemic ----
     * KAZ-R1 and KAZ-R2 and a mountain road, KAZ-R3 (AADT 4200, 100 km/h,
     * 1.5 m shoulders, as KAZ-R1's rural sections), starting 500 m east of KAZ-R2's end: ten sharp bends
     * (radius 160-280 m) between tangents, each bend a segment of its own. Its
     * crashes over 2020-2024 are the background's (no planted hazard, no
     * effect of the bends): the bends are short, and most have no crash on
     * record. The crashes are crashes.csv's rows and KAZ-R3's after
     * them. A systemic programme of shoulder rumble strips for run-off-road
     * crashes should find its bends from the risk the planted curve on KAZ-R1
     * (km 46.6, radius 220 m) shows. */
    {
        static struct route r3 = { .name = "KAZ-R3" };
        double ex = r2.xy[2 * (r2.n - 1)], ey = r2.xy[2 * (r2.n - 1) + 1];
        r3.x = ex + 500;
        r3.y = ey;
        r3.heading = 0;
        put(&r3);
        double cuts[64];
        int ncut = 0;
        straight(&r3, 3000);
        for (int b = 0; b < 10; b++) {
            cuts[ncut++] = r3.ch[r3.n - 1];
            double R = 160 + urand() * 120, ang = (50 + urand() * 40) * M_PI / 180;
            arc(&r3, R, (b % 2 ? -1 : 1) * ang);
            cuts[ncut++] = r3.ch[r3.n - 1];
            straight(&r3, 1500 + urand() * 2500);
        }
        double r3_len = r3.ch[r3.n - 1];
        cuts[ncut++] = r3_len;
        int n3 = 0;
        double a = 0;
        for (int c = 0; c < ncut; c++) {
            double b = cuts[c];
            int pieces = (int)ceil((b - a) / 3500);
            for (int k = 0; k < pieces && b - a > 1; k++) {
                struct seg *g = &segs[ns + n3];
                g->r = &r3;
                g->from_m = a + (b - a) * k / pieces;
                g->to_m = a + (b - a) * (k + 1) / pieces;
                g->village = NULL;
                g->aadt = 4200;
                g->speed_kmh = 100;
                g->shoulder_m = 1.5;
                g->bridge = 0;
                snprintf(g->id, sizeof g->id, "R3-%03d", n3 + 1);
                n3++;
            }
            a = b;
        }
        snprintf(path, sizeof path, "%s/region.gpkg", dir);
        write_roads(path, segs, ns + n3, 1);
        /* KAZ-R3's background crashes, as background() draws them */
        size_t c0 = ncrashes;
        for (int i = ns; i < ns + n3; i++)
            background(&segs[i]);
        size_t n3c = ncrashes - c0;
        double *ll3 = malloc((n3c ? n3c : 1) * 2 * sizeof *ll3);
        int *doy3 = malloc((n3c ? n3c : 1) * sizeof *doy3), *min3 = malloc((n3c ? n3c : 1) * sizeof *min3);
        for (size_t i = 0; i < n3c; i++) {
            const struct crash *c = &crashes[c0 + i];
            double x, y, h;
            at(c->r, c->ch, &x, &y, &h);
            double lateral = (urand() < 0.5 ? -1 : 1) * (1.5 + fabs(nrand()) * 2.5);
            ll3[2 * i] = x - sin(h) * lateral + nrand() * 4;
            ll3[2 * i + 1] = y + cos(h) * lateral + nrand() * 4;
            doy3[i] = (int)(urand() * 365);
            int hour = c->dark == 1 ? (urand() < 0.5 ? 20 + (int)(urand() * 4) : (int)(urand() * 6))
                     : c->dark == 2 ? (urand() < 0.5 ? 6 : 19) : 7 + (int)(urand() * 12);
            min3[i] = hour * 60 + (int)(urand() * 60);
        }
        if (n3c && rb_io_transform(CRS, "EPSG:4326", ll3, n3c, &err))
            die(&err);
        /* crashes.csv as written, then KAZ-R3's rows in the same form */
        char src[4096];
        snprintf(src, sizeof src, "%s/crashes.csv", dir);
        snprintf(path, sizeof path, "%s/region_crashes.csv", dir);
        FILE *in = fopen(src, "rb"), *rf = fopen(path, "wb");
        if (!in || !rf) {
            perror(path);
            return 1;
        }
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, got, rf);
        fclose(in);
        for (size_t i = 0; i < n3c; i++) {
            const struct crash *c = &crashes[c0 + i];
            struct export_text x;
            int mo;
            export_text(c->year, doy3[i], min3[i], &ll3[2 * i], c->ch, &x, &mo);
            fprintf(rf, "%d-R3%03zu,%s,%s,\"%s\",\"%s\",KAZ-R3,%s,%s,%s,%s,сухое,ясно,\"1\"\n", c->year, i + 1, x.date,
                    x.tm, x.lon, x.lat, x.km, sev_ru[c->sev], type_ru[c->type], light_ru[c->dark]);
        }
        fclose(rf);
        /* assets.geojson: what the region already has: a speed camera facing the traffic along KAZ-R1 at
         * km 191.4 (where the plan would put one), flashing beacons at the junction with KAZ-R2 (its
         * planted angle crashes), shoulder rumble strips along KAZ-R1 from km 100 to 110 */
        snprintf(path, sizeof path, "%s/assets.geojson", dir);
        FILE *af = fopen(path, "w");
        if (!af) {
            perror(path);
            return 1;
        }
        double cx, cy, chh, jx, jy, jh;
        at(&r1, 191400, &cx, &cy, &chh);
        at(&r1, JUNCTION_KM * 1000, &jx, &jy, &jh);
        double bearing = fmod(450 - chh * 180 / M_PI, 360);
        fprintf(af, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                    "\"urn:ogc:def:crs:EPSG::32643\"}},\"features\":[\n"
                    "{\"type\":\"Feature\",\"properties\":{\"id\":\"CAM-1\",\"countermeasure\":\"fixed_speed_cameras\","
                    "\"bearing\":%.1f},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.2f,%.2f]}},\n"
                    "{\"type\":\"Feature\",\"properties\":{\"id\":\"BCN-1\",\"countermeasure\":"
                    "\"intersection_flashing_beacons\",\"bearing\":null},\"geometry\":{\"type\":\"Point\","
                    "\"coordinates\":[%.2f,%.2f]}},\n"
                    "{\"type\":\"Feature\",\"properties\":{\"id\":\"SRS-1\",\"countermeasure\":"
                    "\"shoulder_rumble_strips\",\"bearing\":null},\"geometry\":{\"type\":\"LineString\","
                    "\"coordinates\":[", bearing, cx, cy, jx, jy);
        for (int k = 0; k <= 20; k++) {
            double x, y, h;
            at(&r1, 100000 + 500.0 * k, &x, &y, &h);
            fprintf(af, "%s[%.2f,%.2f]", k ? "," : "", x, y);
        }
        fprintf(af, "]}}\n]}\n");
        fclose(af);
        printf("gen_demo: region: KAZ-R3 %.1f km in %d segments (10 sharp bends), %zu crashes on it; 3 assets\n",
               r3_len / 1000, n3, n3c);
        free(ll3); free(doy3); free(min3); free(r3.xy); free(r3.ch);
    }
    rb_layer_free_cols(&cl);
    rb_table_free(&ct);
    free(ll); free(doy); free(minute);
    free(crashes); free(r1.xy); free(r1.ch); free(r2.xy); free(r2.ch);
    rb_io_cleanup();
    return 0;
}
