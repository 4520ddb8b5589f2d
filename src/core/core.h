/* core: what every stage shares — status codes, errors, warnings, memory with a
 * failure hook for tests, a string pool, UTF-8 checks, dates and the crash
 * vocabulary (KABCO severity, crash types, light). No GDAL, no cJSON here. */
#ifndef RB_CORE_H
#define RB_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define RB_VERSION "0.1.0"

/* Status codes. Every library function that can fail returns one of these and
 * fills a struct rb_err; none prints or exits. */
enum {
    RB_OK = 0,
    RB_ENOMEM,   /* an allocation failed */
    RB_EIO,      /* a file could not be opened, read or written */
    RB_EINVAL,   /* the input is wrong in a way the run cannot get past */
    RB_EUSAGE    /* the options contradict each other or name nothing */
};

struct rb_err {
    int code;          /* RB_OK or the failing status */
    char msg[1024];    /* lower case, no final full stop, names file/row/field */
};

int rb_err_set(struct rb_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rb_err_nomem(struct rb_err *err);

/* ---- warnings: problems the run gets past, kept for the summary and stderr ---- */
enum rb_warn_kind {
    RB_W_CRS_DEFAULT,     /* no CRS declared for a table, EPSG:4326 assumed */
    RB_W_DATE,            /* a date or time that does not parse */
    RB_W_DUP_ID,          /* two records share an id */
    RB_W_UTF8,            /* invalid UTF-8 replaced by U+FFFD */
    RB_W_ROW,             /* a row with too many or too few fields */
    RB_W_VALUE,           /* a value missing from a value map */
    RB_W_SEGMENT,         /* a road segment that is empty, zero-length or overlaps itself */
    RB_W_PERIOD,          /* study period problems */
    RB_W_MEASURE,         /* a measure along a road that does not parse */
    RB_W_LOCATION,        /* a road the network lacks, or coordinates and measure that disagree */
    RB_W_OVERRIDE,        /* an analyst's fix that no longer applies */
    RB_W_OTHER,
    RB_W_NKINDS
};

#define RB_WARN_KEEP 200   /* messages kept per kind; the rest are only counted */

/* A finding: input that is well formed but looks wrong as a whole (nothing
 * matched, coordinates that look like metres, no dates, a ranking measure no
 * site has). code is stable (rb_finding_codes), msg one line with the numbers
 * and the fix. An untrusting finding means the result cannot be trusted: the
 * run says so and exits non-zero unless the user accepts the code. */
struct rb_finding {
    const char *code;
    char *msg;
    size_t count;          /* the records, segments or sites it concerns */
    uint8_t untrusted;     /* the result cannot be trusted as it stands */
    uint8_t accepted;      /* the user said it is intended (--accept CODE) */
};

struct rb_log {
    size_t count[RB_W_NKINDS];     /* all warnings, by kind */
    char **msgs;                   /* the first RB_WARN_KEEP of each kind, in order */
    uint8_t *kinds;                /* each message's kind */
    size_t nmsgs, capmsgs, capkinds;
    size_t first[RB_W_NKINDS];     /* 1 + the index in msgs of each kind's first message, 0 none */
    struct rb_finding *finds;      /* in the order found */
    size_t nfinds, capfinds;
    uint64_t accepted;             /* bit i: rb_finding_codes()[i] is accepted */
};

void rb_warn(struct rb_log *log, enum rb_warn_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *rb_warn_kind_name(enum rb_warn_kind kind);
size_t rb_log_total(const struct rb_log *log);
void rb_log_free(struct rb_log *log);
/* src's warnings and findings after dst's, as if src's work had logged into
 * dst after dst's (the first RB_WARN_KEEP of each kind kept); src is freed. A
 * stage run on another thread logs into a log of its own, merged when it is
 * joined. */
void rb_log_merge(struct rb_log *dst, struct rb_log *src);

/* The codes a finding can have, with what each means, in the order documented;
 * a code not among them is a programming error (the finding is not kept). */
struct rb_finding_code {
    const char *code;
    const char *means;
};
const struct rb_finding_code *rb_finding_codes(size_t *n);
/* Records a finding; accepted when its code is in log's accepted list. A
 * finding that cannot be stored for want of memory is lost, not fatal. */
void rb_find(struct rb_log *log, const char *code, int untrusted, size_t count, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The findings that make the result untrustworthy and are not accepted. */
size_t rb_log_untrusted(const struct rb_log *log);
/* Marks the codes in a comma list as accepted, for findings made before and
 * after. An unknown code is RB_EUSAGE naming it and listing the codes. */
int rb_log_accept(struct rb_log *log, const char *codes, struct rb_err *err);

/* ---- memory: every allocation of the library goes through these, so tests can
 * make the Nth one fail and check that each path frees what it holds. ---- */
void *rb_malloc(size_t n);
void *rb_calloc(size_t n, size_t size);
void *rb_realloc(void *p, size_t n);
void rb_free(void *p);
char *rb_strdup(const char *s);
/* Arrays of n elements of size bytes: NULL, with nothing allocated (and no
 * allocation counted), when n x size does not fit in a size_t, as OpenBSD's
 * reallocarray does; otherwise as rb_malloc / rb_realloc (on failure the old
 * block of rb_reallocarray is left as it was). */
void *rb_mallocarray(size_t n, size_t size);
void *rb_reallocarray(void *p, size_t n, size_t size);
/* a x b, or SIZE_MAX when it overflows: a count of elements made of two
 * counts (sites x years), which rb_mallocarray then refuses. */
static inline size_t rb_size_mul(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}
/* Grows *p (holding *cap elements of size elem) to hold at least need. */
int rb_grow(void **p, size_t *cap, size_t need, size_t elem);

/* Text built piece by piece (the report's HTML, QML). After a failed
 * allocation nomem is set and later pieces are dropped; s is NUL-terminated
 * (or NULL when nothing was added) and freed with rb_free. */
struct rb_sb {
    char *s;
    size_t n, cap;
    int nomem;
};
void rb_sb_add(struct rb_sb *b, const char *s, size_t n);
void rb_sb_printf(struct rb_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Test hook: the nth allocation from now fails (0 turns failure off). */
void rb_alloc_fail_after(long n);
long rb_alloc_count(void);

/* ---- string pool: many short strings in one buffer, referred to by offset ---- */
#define RB_NOSTR ((size_t)-1)
struct rb_pool {
    char *buf;
    size_t len, cap;
};
/* Appends s (n bytes, NUL added) and returns its offset, or RB_NOSTR when memory runs out. */
size_t rb_pool_add(struct rb_pool *pool, const char *s, size_t n);
static inline const char *rb_pool_str(const struct rb_pool *pool, size_t off)
{
    return off == RB_NOSTR ? NULL : pool->buf + off;
}
void rb_pool_free(struct rb_pool *pool);

/* ---- string map: string -> size_t, open addressing, for ids and group keys ---- */
struct rb_strmap {
    size_t n, cap;        /* cap is a power of two (0 when empty) */
    size_t *key;          /* offsets into pool (RB_NOSTR = empty slot) */
    size_t *val;
    uint64_t *hash;
    struct rb_pool pool;
};
/* Looks s up; when absent and insert is set, adds it with value *val. Returns 1
 * when found (writing its value to *val), 0 when added or absent, -1 when memory ran out. */
int rb_strmap_get(struct rb_strmap *m, const char *s, size_t *val, int insert);
void rb_strmap_free(struct rb_strmap *m);

/* ---- text ---- */
/* Returns the byte offset of the first invalid UTF-8 sequence, or -1 when valid. */
long rb_utf8_invalid_at(const char *s, size_t n);
/* Copies s into a new string with every invalid sequence replaced by U+FFFD. */
char *rb_utf8_repair(const char *s);
/* Lower-cases ASCII and Cyrillic (Russian, Kazakh), trims, and folds spaces, hyphens and slashes to
 * '_' (for vocabulary keys); a leading minus before a digit is kept: -1 is not 1. */
void rb_key_normalise(const char *in, char *out, size_t outsz);
/* Parses a finite double from the whole of s (spaces around allowed, decimal comma
 * accepted). Returns 1 on success. */
int rb_parse_double(const char *s, double *out);
/* A kilometre post: "123+450" (km + m), "123.45", "123,45", with an optional
 * "km" / "км" before it; *out in the post's unit (km for "+" forms). 1 when it parses. */
int rb_parse_kmpost(const char *s, double *out);
/* A speed limit in km/h: "90", "90 km/h", "30 mph" (OpenStreetMap's maxspeed);
 * NaN for anything else ("none", "RU:urban"). */
double rb_parse_speed_kmh(const char *s);
/* A direction of travel as a compass bearing (0 north, clockwise): degrees
 * (0-360), N NE E SE S SW W NW, NB SB EB WB, northbound..., or the Russian
 * С СВ В ЮВ Ю ЮЗ З СЗ. 1 when it parses. */
int rb_parse_bearing(const char *s, double *out);
/* A road number or name as a key: letters upper-case, spaces, hyphens, dots
 * and underscores dropped, Cyrillic letters that look Latin made Latin
 * ("кАz-19" and "KAZ 19" are both "KAZ19"). */
void rb_road_key(const char *in, char *out, size_t outsz);

/* ---- dates ---- */
#define RB_NODATE INT32_MIN
/* Days since 1970-01-01 of a proleptic Gregorian date, or RB_NODATE when invalid. */
int32_t rb_days_from_ymd(int y, int m, int d);
void rb_ymd_from_days(int32_t days, int *y, int *m, int *d);
/* Parses s by a strptime-like format: %Y %y %m %d %H %M %S %b (English month
 * abbreviations) %% and literal characters; leading/trailing spaces ignored.
 * Fills days (RB_NODATE if the format has no date part) and minutes of day (-1
 * if no time part). Returns 1 when s matches the format and is a real date. */
int rb_parse_datetime(const char *s, const char *fmt, int32_t *days, int *min_of_day);
/* Parses a time of day: "1812", "18:12", "18:12:30", "6:05". Returns minutes or -1. */
int rb_parse_time(const char *s);

/* ---- vocabulary: the one set of codes every later stage keys on ---- */
enum rb_severity { RB_SEV_K, RB_SEV_A, RB_SEV_B, RB_SEV_C, RB_SEV_O, RB_SEV_UNKNOWN, RB_NSEV };
enum rb_crash_type {
    RB_CT_RUN_OFF_ROAD, RB_CT_HEAD_ON, RB_CT_REAR_END, RB_CT_ANGLE, RB_CT_SIDESWIPE,
    RB_CT_PEDESTRIAN, RB_CT_BICYCLE, RB_CT_ANIMAL, RB_CT_FIXED_OBJECT, RB_CT_ROLLOVER,
    RB_CT_OTHER, RB_CT_UNKNOWN, RB_NCT
};
enum rb_light { RB_LIGHT_DAY, RB_LIGHT_DARK, RB_LIGHT_DUSK, RB_LIGHT_UNKNOWN, RB_NLIGHT };
enum rb_surface { RB_SURF_DRY, RB_SURF_WET, RB_SURF_SNOW_ICE, RB_SURF_UNKNOWN, RB_NSURF };
/* weather at the crash: clear (fine, cloudy), rain, snow_ice (snow, sleet,
 * hail, freezing rain), fog (mist, smoke, dust), wind (high wind, storm),
 * other, unknown */
enum rb_weather { RB_WX_CLEAR, RB_WX_RAIN, RB_WX_SNOW_ICE, RB_WX_FOG, RB_WX_WIND, RB_WX_OTHER, RB_WX_UNKNOWN, RB_NWX };
/* a vehicle involved (a crash holds a set of them, one bit each): car (and
 * van), motorcycle, moped (and motor scooter), e_scooter (electric kick
 * scooter and other personal mobility), bicycle, truck, bus, other, unknown */
enum rb_vehicle { RB_VEH_CAR, RB_VEH_MOTORCYCLE, RB_VEH_MOPED, RB_VEH_E_SCOOTER, RB_VEH_BICYCLE, RB_VEH_TRUCK,
                  RB_VEH_BUS, RB_VEH_OTHER, RB_VEH_UNKNOWN, RB_NVEH };

const char *rb_severity_code(int sev);   /* "K".."O", "U" */
const char *rb_crash_type_name(int ct);  /* "run_off_road", ..., "unknown" */
const char *rb_light_name(int light);    /* "day", "dark", "dusk", "unknown" */
const char *rb_surface_name(int surface);  /* "dry", "wet", "snow_ice", "unknown" */
const char *rb_weather_name(int weather);  /* "clear", "rain", "snow_ice", "fog", "wind", "other", "unknown" */
const char *rb_vehicle_name(int vehicle);  /* "car", "motorcycle", "moped", "e_scooter", ..., "unknown" */
/* Canonical names only (after rb_key_normalise); -1 when not one. */
int rb_severity_parse(const char *s);
int rb_crash_type_parse(const char *s);
int rb_light_parse(const char *s);
int rb_surface_parse(const char *s);
int rb_weather_parse(const char *s);
int rb_vehicle_parse(const char *s);

/* Progress of long reads and loops, for the command line's display. The library
 * calls fn every few thousand items; total is 0 when not known. */
struct rb_progress {
    void (*fn)(void *ud, const char *what, size_t done, size_t total);
    void *ud;
};
static inline void rb_progress_report(const struct rb_progress *p, const char *what,
                                      size_t done, size_t total)
{
    if (p && p->fn && (done % 8192 == 0 || done == total))
        p->fn(p->ud, what, done, total);
}

/* A seeded pseudo-random generator (xorshift64*), for generated data and
 * simulation: the same seed gives the same sequence on every machine. */
static inline double rb_rand01(uint64_t *state)
{
    uint64_t x = *state ? *state : 88172645463325252ULL;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (double)((x * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Monotonic seconds, for the timings in the summary. */
double rb_now_s(void);

/* The machines this targets have two cores. */
#define RB_THREADS 2
/* Runs fn(from, to, part, ud) over [0, n) cut into nparts contiguous parts
 * (at most RB_THREADS): part 0 on the calling thread, the others on threads of
 * their own (or here, when no thread can be had). fn must only read what the
 * parts share and write its own part's results, so the result is the same for
 * any nparts. */
void rb_parallel_for(size_t n, size_t nparts, void (*fn)(size_t from, size_t to, size_t part, void *ud), void *ud);

#endif
