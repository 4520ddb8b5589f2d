/* core: errors, warnings, memory, pool, text, dates, vocabulary. */
#include "core/core.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rb_err_set(struct rb_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

int rb_err_nomem(struct rb_err *err)
{
    return rb_err_set(err, RB_ENOMEM, "out of memory");
}

/* ---- memory ------------------------------------------------------------------ */

static long alloc_fail_at;   /* 0: never; else the allocation number that fails */
static _Atomic long alloc_calls;   /* atomic: stages run on threads allocate too */

void rb_alloc_fail_after(long n)
{
    alloc_calls = 0;
    alloc_fail_at = n;
}

long rb_alloc_count(void)
{
    return alloc_calls;
}

static int alloc_should_fail(void)
{
    alloc_calls++;
    return alloc_fail_at > 0 && alloc_calls >= alloc_fail_at;
}

void *rb_malloc(size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *rb_calloc(size_t n, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *rb_realloc(void *p, size_t n)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

/* 1 when n x size overflows a size_t. */
static int mul_overflows(size_t n, size_t size)
{
    return size && n > SIZE_MAX / size;
}

void *rb_mallocarray(size_t n, size_t size)
{
    return mul_overflows(n, size) ? NULL : rb_malloc(n * size);
}

void *rb_reallocarray(void *p, size_t n, size_t size)
{
    return mul_overflows(n, size) ? NULL : rb_realloc(p, n * size);
}

void rb_free(void *p)
{
    free(p);
}

char *rb_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = rb_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int rb_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return RB_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;   /* doubling would wrap: just what is needed */
    void *np = rb_reallocarray(*p, ncap, elem);
    if (!np)
        return RB_ENOMEM;
    *p = np;
    *cap = ncap;
    return RB_OK;
}

/* ---- warnings ---------------------------------------------------------------- */

static const char *const warn_names[RB_W_NKINDS] = {
    "crs_default", "date", "duplicate_id", "utf8", "row_fields", "value_unmapped",
    "segment", "period", "measure", "location", "override", "other"
};

const char *rb_warn_kind_name(enum rb_warn_kind kind)
{
    return warn_names[kind];
}

/* A message formatted into a string of its own (NULL when memory runs out);
 * messages are one line, cut at 1,023 bytes. */
static char *dup_vformat(const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    return rb_strdup(buf);
}

/* Stores message m (owned from then on) as the log's next of its kind; -1
 * when it cannot be stored. A warning that cannot be stored is still counted:
 * losing its text is better than failing the run over a warning. */
static int keep_msg(struct rb_log *log, int kind, char *m)
{
    if (rb_grow((void **)&log->msgs, &log->capmsgs, log->nmsgs + 1, sizeof *log->msgs) ||
        rb_grow((void **)&log->kinds, &log->capkinds, log->nmsgs + 1, sizeof *log->kinds))
        return -1;
    if (!log->first[kind])
        log->first[kind] = log->nmsgs + 1;
    log->kinds[log->nmsgs] = (uint8_t)kind;
    log->msgs[log->nmsgs++] = m;
    return 0;
}

void rb_warn(struct rb_log *log, enum rb_warn_kind kind, const char *fmt, ...)
{
    if (!log)
        return;
    log->count[kind]++;
    if (log->count[kind] > RB_WARN_KEEP)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *m = dup_vformat(fmt, ap);
    va_end(ap);
    if (m && keep_msg(log, kind, m))
        rb_free(m);
}

/* ---- findings ----------------------------------------------------------------- */

static const struct rb_finding_code finding_codes[] = {
    { "no_match", "no crash could be placed on a road" },
    { "low_match", "under half of the crashes are on a road (under a fifth: untrusted)" },
    { "coords_look_projected", "the coordinates are outside longitude/latitude range: they look like metres" },
    { "crs_mismatch", "the crashes lie away from the roads: another CRS would place them on the network" },
    { "axes_swapped", "x and y look exchanged: swapped, many more crashes lie on a road" },
    { "no_dates", "no crash has a date that could be read" },
    { "dates_unparsed", "many dates could not be read (over half: untrusted)" },
    { "period_empty", "no crash falls in the study period" },
    { "no_severity", "no crash has a severity: EPDO and KA measures count nothing" },
    { "no_crash_type", "no crash has a crash type: the diagnosis cannot find patterns" },
    { "no_conditions", "no crash has light or surface conditions: night and wet-road patterns cannot be found" },
    { "no_route", "no route field: windows and sites stop at every segment end" },
    { "route_gaps", "a route's segments lie far apart: it is split where they do" },
    { "measure_empty", "the ranking measure has no value at any site" },
    { "spf_conditions", "roads outside the SPF's base conditions are screened with it" },
    { "rows_rejected", "input rows that are not crash records were set aside" },
    { "price_years", "the prices and the crash costs are of different years, with no index to bring them to one" },
    { "unpriced", "countermeasures a site called for have no price in the prices file in use and were left out" },
    { "screen_settings", "a plan from a saved screening that holds none of its settings, and no config given" },
    { "systemic_none", "the systemic countermeasure applies on no segment: no systemic programme" },
    { "systemic_few", "the systemic programme's risk factors are weighted on fewer than 30 segments or 20 focus crashes" },
};
#define NCODES (sizeof finding_codes / sizeof *finding_codes)

const struct rb_finding_code *rb_finding_codes(size_t *n)
{
    *n = NCODES;
    return finding_codes;
}

static int finding_index(const char *code, size_t len)
{
    for (size_t i = 0; i < NCODES; i++)
        if (strlen(finding_codes[i].code) == len && !strncmp(finding_codes[i].code, code, len))
            return (int)i;
    return -1;
}

void rb_find(struct rb_log *log, const char *code, int untrusted, size_t count, const char *fmt, ...)
{
    int k = finding_index(code, strlen(code));
    if (!log || k < 0 || rb_grow((void **)&log->finds, &log->capfinds, log->nfinds + 1, sizeof *log->finds))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *m = dup_vformat(fmt, ap);
    va_end(ap);
    if (!m)
        return;
    log->finds[log->nfinds++] = (struct rb_finding){
        .code = finding_codes[k].code, .msg = m, .count = count, .untrusted = untrusted != 0,
        .accepted = (log->accepted >> k) & 1,
    };
}

size_t rb_log_untrusted(const struct rb_log *log)
{
    size_t n = 0;
    for (size_t i = 0; i < log->nfinds; i++)
        n += log->finds[i].untrusted && !log->finds[i].accepted;
    return n;
}

int rb_log_accept(struct rb_log *log, const char *codes, struct rb_err *err)
{
    for (const char *p = codes; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (!len)
            break;
        int k = finding_index(p, len);
        if (k < 0) {
            char list[1024] = "";
            for (size_t i = 0; i < NCODES; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         finding_codes[i].code);
            return rb_err_set(err, RB_EUSAGE, "accept: '%.*s' is not a finding's code; the codes are %s",
                              (int)len, p, list);
        }
        log->accepted |= (uint64_t)1 << k;
        p += len;
    }
    for (size_t i = 0; i < log->nfinds; i++)
        log->finds[i].accepted = (log->accepted >> finding_index(log->finds[i].code,
                                                                 strlen(log->finds[i].code))) & 1;
    return RB_OK;
}

size_t rb_log_total(const struct rb_log *log)
{
    size_t t = 0;
    for (int k = 0; k < RB_W_NKINDS; k++)
        t += log->count[k];
    return t;
}

void rb_log_merge(struct rb_log *dst, struct rb_log *src)
{
    size_t kept[RB_W_NKINDS];
    for (int k = 0; k < RB_W_NKINDS; k++)
        kept[k] = dst->count[k] < RB_WARN_KEEP ? dst->count[k] : RB_WARN_KEEP;
    for (size_t i = 0; i < src->nmsgs; i++) {
        int k = src->kinds[i];
        if (kept[k] >= RB_WARN_KEEP || keep_msg(dst, k, src->msgs[i]))
            continue;   /* counted, its text not kept: as rb_warn does (src frees it) */
        kept[k]++;
        src->msgs[i] = NULL;
    }
    for (int k = 0; k < RB_W_NKINDS; k++)
        dst->count[k] += src->count[k];
    for (size_t i = 0; i < src->nfinds; i++) {
        if (rb_grow((void **)&dst->finds, &dst->capfinds, dst->nfinds + 1, sizeof *dst->finds))
            break;
        dst->finds[dst->nfinds++] = src->finds[i];
        src->finds[i].msg = NULL;
    }
    rb_log_free(src);
}

void rb_log_free(struct rb_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->nmsgs; i++)
        rb_free(log->msgs[i]);
    rb_free(log->msgs);
    rb_free(log->kinds);
    for (size_t i = 0; i < log->nfinds; i++)
        rb_free(log->finds[i].msg);
    rb_free(log->finds);
    memset(log, 0, sizeof *log);
}

/* ---- pool -------------------------------------------------------------------- */

size_t rb_pool_add(struct rb_pool *pool, const char *s, size_t n)
{
    if (rb_grow((void **)&pool->buf, &pool->cap, pool->len + n + 1, 1))
        return RB_NOSTR;
    size_t off = pool->len;
    memcpy(pool->buf + off, s, n);
    pool->buf[off + n] = 0;
    pool->len += n + 1;
    return off;
}

void rb_pool_free(struct rb_pool *pool)
{
    if (!pool)
        return;
    rb_free(pool->buf);
    memset(pool, 0, sizeof *pool);
}

/* ---- text -------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence starting at s (at most n bytes), 0 if invalid.
 * Rejects overlongs, surrogates and code points above U+10FFFF (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

long rb_utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return (long)i;
        i += k;
    }
    return -1;
}

char *rb_utf8_repair(const char *s)
{
    size_t n = strlen(s);
    char *out = rb_mallocarray(n + 1, 3);   /* each bad byte becomes 3 bytes at most */
    if (!out)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        size_t k = utf8_seq(u + i, n - i);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = 0;
    return out;
}

/* The lower case of a Cyrillic capital (Russian, and Kazakh's extra letters,
 * whose capitals sit just below their small letters); other code points as they are. */
static unsigned cyr_lower(unsigned cp)
{
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp == 0x492 || cp == 0x49A || cp == 0x4A2 || cp == 0x4AE || cp == 0x4B0 || cp == 0x4BA || cp == 0x4D8 ||
        cp == 0x4E8)
        return cp + 1;
    return cp;
}

void rb_key_normalise(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    while (*in && isspace((unsigned char)*in))
        in++;
    int pending_sep = 0;
    for (; *in && o + 1 < outsz; in++) {
        unsigned char c = (unsigned char)*in;
        /* a leading minus before a digit is a sign, not a separator: STATS19's
         * -1 (data missing) must not read as its 1 (fatal, daylight) */
        if (c == '-' && o == 0 && isdigit((unsigned char)in[1])) {
            out[o++] = '-';
            continue;
        }
        if (c == ' ' || c == '\t' || c == '-' || c == '/' || c == '_') {
            pending_sep = o > 0;
            continue;
        }
        if (pending_sep && o + 2 < outsz)
            out[o++] = '_';
        pending_sep = 0;
        unsigned char d = (unsigned char)in[1];
        if ((c == 0xD0 || c == 0xD2 || c == 0xD3) && (d & 0xC0) == 0x80) {
            /* two-byte Cyrillic: lower-case Russian and Kazakh capitals */
            unsigned cp = cyr_lower(((unsigned)(c & 0x1F) << 6) | (d & 0x3F));
            if (o + 2 >= outsz)
                break;
            out[o++] = (char)(0xC0 | (cp >> 6));
            out[o++] = (char)(0x80 | (cp & 0x3F));
            in++;
            continue;
        }
        out[o++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[o] = 0;
}

int rb_parse_double(const char *s, double *out)
{
    if (!s)
        return 0;
    char buf[64];
    size_t n = 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    for (; *s && n + 1 < sizeof buf; s++)
        buf[n++] = *s == ',' ? '.' : *s;
    buf[n] = 0;
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = 0;
    if (n == 0 || *s)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* ---- dates ------------------------------------------------------------------- */

/* Days from civil, after Howard Hinnant's public-domain algorithm: exact for the
 * proleptic Gregorian calendar over the whole int range used here. */
int32_t rb_days_from_ymd(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return RB_NODATE;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return RB_NODATE;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rb_ymd_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Reads 1..maxd digits; returns digits read. */
static int read_int(const char **s, int maxd, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && isdigit((unsigned char)**s)) {
        x = x * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    *v = x;
    return n;
}

int rb_parse_datetime(const char *s, const char *fmt, int32_t *days, int *min_of_day)
{
    int y = -1, mo = -1, d = -1, h = -1, mi = -1, se = 0;
    static const char *const mon[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec" };
    *days = RB_NODATE;
    *min_of_day = -1;
    if (!s || !fmt)
        return 0;
    while (isspace((unsigned char)*s))
        s++;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (*f == ' ') {
                while (isspace((unsigned char)*s))
                    s++;
                continue;
            }
            if (*s != *f)
                return 0;
            s++;
            continue;
        }
        f++;
        int v, n;
        switch (*f) {
        case 'Y': n = read_int(&s, 4, &v); if (n != 4) return 0; y = v; break;
        case 'y': n = read_int(&s, 2, &v); if (n != 2) return 0; y = v < 70 ? 2000 + v : 1900 + v; break;
        case 'm': n = read_int(&s, 2, &v); if (!n) return 0; mo = v; break;
        case 'd': n = read_int(&s, 2, &v); if (!n) return 0; d = v; break;
        case 'H': n = read_int(&s, 2, &v); if (!n || v > 23) return 0; h = v; break;
        case 'M': n = read_int(&s, 2, &v); if (!n || v > 59) return 0; mi = v; break;
        case 'S': n = read_int(&s, 2, &v); if (!n || v > 60) return 0; se = v; break;
        case 'b': {
            int found = -1;
            for (int k = 0; k < 12; k++)
                if (tolower((unsigned char)s[0]) == mon[k][0] &&
                    tolower((unsigned char)s[1]) == mon[k][1] &&
                    tolower((unsigned char)s[2]) == mon[k][2])
                    found = k;
            if (found < 0)
                return 0;
            mo = found + 1;
            s += 3;
            break;
        }
        case '%': if (*s != '%') return 0; s++; break;
        default: return 0;
        }
    }
    (void)se;
    while (isspace((unsigned char)*s))
        s++;
    if (*s)
        return 0;
    if (y >= 0 || mo >= 0 || d >= 0) {
        /* A year alone is a valid date for yearly statistics: it stands for 1 July. */
        if (y >= 0 && mo < 0 && d < 0) {
            mo = 7;
            d = 1;
        }
        if (y < 0 || mo < 0 || d < 0)
            return 0;
        *days = rb_days_from_ymd(y, mo, d);
        if (*days == RB_NODATE)
            return 0;
    }
    if (h >= 0)
        *min_of_day = h * 60 + (mi >= 0 ? mi : 0);
    return 1;
}

int rb_parse_time(const char *s)
{
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    int h, m, n;
    const char *p = s;
    n = read_int(&p, 4, &h);
    if (n == 0)
        return -1;
    if (*p == ':' || *p == '.') {
        if (n > 2)
            return -1;
        p++;
        if (read_int(&p, 2, &m) != 2)
            return -1;
        if (*p == ':') {
            int sec;
            p++;
            if (read_int(&p, 2, &sec) != 2)
                return -1;
        }
    } else if (n >= 3) {          /* hhmm or hmm */
        m = h % 100;
        h /= 100;
    } else {
        m = 0;                     /* an hour alone */
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p || h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

/* ---- vocabulary -------------------------------------------------------------- */

static const char *const sev_codes[RB_NSEV] = { "K", "A", "B", "C", "O", "U" };
static const char *const ct_names[RB_NCT] = {
    "run_off_road", "head_on", "rear_end", "angle", "sideswipe", "pedestrian",
    "bicycle", "animal", "fixed_object", "rollover", "other", "unknown"
};
static const char *const light_names[RB_NLIGHT] = { "day", "dark", "dusk", "unknown" };
static const char *const surface_names[RB_NSURF] = { "dry", "wet", "snow_ice", "unknown" };
static const char *const weather_names[RB_NWX] = { "clear", "rain", "snow_ice", "fog", "wind", "other", "unknown" };
static const char *const vehicle_names[RB_NVEH] = { "car", "motorcycle", "moped", "e_scooter", "bicycle", "truck",
                                                    "bus", "other", "unknown" };

const char *rb_severity_code(int sev) { return sev >= 0 && sev < RB_NSEV ? sev_codes[sev] : "U"; }
const char *rb_crash_type_name(int ct) { return ct >= 0 && ct < RB_NCT ? ct_names[ct] : "unknown"; }
const char *rb_light_name(int l) { return l >= 0 && l < RB_NLIGHT ? light_names[l] : "unknown"; }
const char *rb_surface_name(int s) { return s >= 0 && s < RB_NSURF ? surface_names[s] : "unknown"; }
const char *rb_weather_name(int w) { return w >= 0 && w < RB_NWX ? weather_names[w] : "unknown"; }
const char *rb_vehicle_name(int v) { return v >= 0 && v < RB_NVEH ? vehicle_names[v] : "unknown"; }

static int find_name(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int rb_severity_parse(const char *s)
{
    if (s[0] && !s[1]) {
        int k = find_name((char[]){ (char)toupper((unsigned char)s[0]), 0 }, sev_codes, RB_NSEV);
        return k;
    }
    return -1;
}

int rb_crash_type_parse(const char *s) { return find_name(s, ct_names, RB_NCT); }
int rb_light_parse(const char *s) { return find_name(s, light_names, RB_NLIGHT); }
int rb_surface_parse(const char *s) { return find_name(s, surface_names, RB_NSURF); }
int rb_weather_parse(const char *s) { return find_name(s, weather_names, RB_NWX); }
int rb_vehicle_parse(const char *s) { return find_name(s, vehicle_names, RB_NVEH); }

double rb_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- string map -------------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int strmap_rehash(struct rb_strmap *m, size_t ncap)
{
    size_t *nk = rb_mallocarray(ncap, sizeof *nk);
    size_t *nv = rb_mallocarray(ncap, sizeof *nv);
    uint64_t *nh = rb_mallocarray(ncap, sizeof *nh);
    if (!nk || !nv || !nh) {
        rb_free(nk); rb_free(nv); rb_free(nh);
        return RB_ENOMEM;
    }
    for (size_t i = 0; i < ncap; i++)
        nk[i] = RB_NOSTR;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->key[i] == RB_NOSTR)
            continue;
        size_t j = m->hash[i] & (ncap - 1);
        while (nk[j] != RB_NOSTR)
            j = (j + 1) & (ncap - 1);
        nk[j] = m->key[i];
        nv[j] = m->val[i];
        nh[j] = m->hash[i];
    }
    rb_free(m->key); rb_free(m->val); rb_free(m->hash);
    m->key = nk; m->val = nv; m->hash = nh;
    m->cap = ncap;
    return RB_OK;
}

int rb_strmap_get(struct rb_strmap *m, const char *s, size_t *val, int insert)
{
    uint64_t h = fnv1a(s);
    if (m->cap) {
        size_t j = h & (m->cap - 1);
        while (m->key[j] != RB_NOSTR) {
            if (m->hash[j] == h && strcmp(m->pool.buf + m->key[j], s) == 0) {
                *val = m->val[j];
                return 1;
            }
            j = (j + 1) & (m->cap - 1);
        }
    }
    if (!insert)
        return 0;
    if ((m->n + 1) * 2 > m->cap && strmap_rehash(m, m->cap ? m->cap * 2 : 64))
        return -1;
    size_t off = rb_pool_add(&m->pool, s, strlen(s));
    if (off == RB_NOSTR)
        return -1;
    size_t j = h & (m->cap - 1);
    while (m->key[j] != RB_NOSTR)
        j = (j + 1) & (m->cap - 1);
    m->key[j] = off;
    m->val[j] = *val;
    m->hash[j] = h;
    m->n++;
    return 0;
}

void rb_strmap_free(struct rb_strmap *m)
{
    if (!m)
        return;
    rb_free(m->key);
    rb_free(m->val);
    rb_free(m->hash);
    rb_pool_free(&m->pool);
    memset(m, 0, sizeof *m);
}

struct part {
    void (*fn)(size_t, size_t, size_t, void *);
    void *ud;
    size_t from, to, part;
};

static void *run_part(void *arg)
{
    struct part *p = arg;
    p->fn(p->from, p->to, p->part, p->ud);
    return NULL;
}

void rb_parallel_for(size_t n, size_t nparts, void (*fn)(size_t from, size_t to, size_t part, void *ud), void *ud)
{
    struct part parts[RB_THREADS];
    pthread_t tid[RB_THREADS];
    int started[RB_THREADS] = { 0 };
    if (nparts < 1)
        nparts = 1;
    if (nparts > RB_THREADS)
        nparts = RB_THREADS;
    for (size_t k = 0; k < nparts; k++) {
        parts[k] = (struct part){ fn, ud, n * k / nparts, n * (k + 1) / nparts, k };
        if (k > 0)
            started[k] = pthread_create(&tid[k], NULL, run_part, &parts[k]) == 0;
    }
    run_part(&parts[0]);
    for (size_t k = 1; k < nparts; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            run_part(&parts[k]);
    }
}

int rb_parse_kmpost(const char *s, double *out)
{
    if (!s)
        return 0;
    while (*s == ' ')
        s++;
    /* an optional "km" or "км" (UTF-8 d0 ba d0 bc) */
    if ((s[0] == 'k' || s[0] == 'K') && (s[1] == 'm' || s[1] == 'M'))
        s += 2;
    else if ((unsigned char)s[0] == 0xd0 && (unsigned char)s[1] == 0xba && (unsigned char)s[2] == 0xd0 &&
             (unsigned char)s[3] == 0xbc)
        s += 4;
    while (*s == ' ' || *s == '.')
        s++;
    char buf[64];
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (!n || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *plus = strchr(buf, '+');
    if (plus) {
        *plus = 0;
        double km, m;
        if (!rb_parse_double(buf, &km) || !rb_parse_double(plus + 1, &m) || km < 0 || m < 0 || km != floor(km))
            return 0;
        *out = km + m / 1000.0;
        return 1;
    }
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
    return rb_parse_double(buf, out);
}

void rb_road_key(const char *in, char *out, size_t outsz)
{
    /* Cyrillic capitals and smalls (UTF-8, second byte) that look like Latin letters */
    static const struct { unsigned char b0, b1; char to; } look[] = {
        { 0xd0, 0x90, 'A' }, { 0xd0, 0x92, 'B' }, { 0xd0, 0x95, 'E' }, { 0xd0, 0x9a, 'K' }, { 0xd0, 0x9c, 'M' },
        { 0xd0, 0x9d, 'H' }, { 0xd0, 0x9e, 'O' }, { 0xd0, 0xa0, 'P' }, { 0xd0, 0xa1, 'C' }, { 0xd0, 0xa2, 'T' },
        { 0xd0, 0xa5, 'X' }, { 0xd0, 0xa3, 'Y' }, { 0xd0, 0xb0, 'A' }, { 0xd0, 0xb2, 'B' }, { 0xd0, 0xb5, 'E' },
        { 0xd0, 0xba, 'K' }, { 0xd0, 0xbc, 'M' }, { 0xd0, 0xbd, 'H' }, { 0xd0, 0xbe, 'O' }, { 0xd1, 0x80, 'P' },
        { 0xd1, 0x81, 'C' }, { 0xd1, 0x82, 'T' }, { 0xd1, 0x85, 'X' }, { 0xd1, 0x83, 'Y' },
    };
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 4 < outsz;) {
        if (*p == ' ' || *p == '-' || *p == '.' || *p == '_' || *p == '\t') {
            p++;
            continue;
        }
        if (*p < 0x80) {
            out[o++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            p++;
            continue;
        }
        int done = 0;
        for (size_t k = 0; k < sizeof look / sizeof *look && !done; k++)
            if (p[0] == look[k].b0 && p[1] == look[k].b1) {
                out[o++] = look[k].to;
                p += 2;
                done = 1;
            }
        if (done)
            continue;
        /* other UTF-8: copied whole (a Cyrillic small letter made capital where it is one) */
        size_t len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
        if (len == 2 && p[0] == 0xd0 && p[1] >= 0xb0 && p[1] <= 0xbf) {
            out[o++] = (char)0xd0;
            out[o++] = (char)(p[1] - 0x20);
            p += 2;
            continue;
        }
        if (len == 2 && p[0] == 0xd1 && p[1] >= 0x80 && p[1] <= 0x8f) {
            out[o++] = (char)0xd0;
            out[o++] = (char)(p[1] + 0x20);
            p += 2;
            continue;
        }
        for (size_t k = 0; k < len && p[k]; k++)
            out[o++] = (char)p[k];
        p += len;
    }
    out[o] = 0;
}

int rb_parse_bearing(const char *s, double *out)
{
    if (!s)
        return 0;
    double v;
    if (rb_parse_double(s, &v)) {
        if (!(v >= 0 && v <= 360))
            return 0;
        *out = v == 360 ? 0 : v;
        return 1;
    }
    char key[64];
    rb_key_normalise(s, key, sizeof key);
    static const struct { const char *name; double deg; } words[] = {
        { "n", 0 }, { "ne", 45 }, { "e", 90 }, { "se", 135 }, { "s", 180 }, { "sw", 225 }, { "w", 270 },
        { "nw", 315 }, { "nb", 0 }, { "eb", 90 }, { "sb", 180 }, { "wb", 270 }, { "north", 0 }, { "east", 90 },
        { "south", 180 }, { "west", 270 }, { "northbound", 0 }, { "eastbound", 90 }, { "southbound", 180 },
        { "westbound", 270 },
        /* Russian: с, св, в, юв, ю, юз, з, сз (lower case after normalising) */
        { "\xd1\x81", 0 }, { "\xd1\x81\xd0\xb2", 45 }, { "\xd0\xb2", 90 }, { "\xd1\x8e\xd0\xb2", 135 },
        { "\xd1\x8e", 180 }, { "\xd1\x8e\xd0\xb7", 225 }, { "\xd0\xb7", 270 }, { "\xd1\x81\xd0\xb7", 315 },
    };
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (!strcmp(key, words[k].name)) {
            *out = words[k].deg;
            return 1;
        }
    return 0;
}

double rb_parse_speed_kmh(const char *s)
{
    if (!s)
        return NAN;
    double v;
    if (rb_parse_double(s, &v))
        return v;
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return NAN;
    memcpy(buf, s, n + 1);
    double f = 1;
    char *u = strstr(buf, "mph");
    if (u) {
        f = 1.609344;
        *u = 0;
    } else if ((u = strstr(buf, "km/h")) || (u = strstr(buf, "kmh")) || (u = strstr(buf, "kph"))) {
        *u = 0;
    } else {
        return NAN;
    }
    return rb_parse_double(buf, &v) ? v * f : NAN;
}

void rb_sb_add(struct rb_sb *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (rb_grow((void **)&b->s, &b->cap, b->n + n + 1, 1)) {
        b->nomem = 1;
        return;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

void rb_sb_printf(struct rb_sb *b, const char *fmt, ...)
{
    if (b->nomem)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || rb_grow((void **)&b->s, &b->cap, b->n + (size_t)n + 1, 1)) {
        b->nomem = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}
