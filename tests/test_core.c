/* core: dates, times, text, numbers, string map, vocabulary. */
#define _DEFAULT_SOURCE
#include "tcheck.h"
#include "core/core.h"
#include <time.h>

TEST(days_against_timegm)
{
    /* Oracle: libc's timegm over every day from 1900 to 2100 (brute force). */
    int bad = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
                time_t t = timegm(&tm);
                int real = tm.tm_mday == d && tm.tm_mon == m - 1;   /* timegm normalises 31 Apr */
                int32_t days = rb_days_from_ymd(y, m, d);
                if (real) {
                    if (days != (int32_t)((t - 12 * 3600) / 86400)) bad++;
                    int yy, mm, dd;
                    rb_ymd_from_days(days, &yy, &mm, &dd);
                    if (yy != y || mm != m || dd != d) bad++;
                } else if (days != RB_NODATE) {
                    bad++;
                }
            }
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(rb_days_from_ymd(1970, 1, 1), 0);
    /* 2000-03-01: 30 years of 365 days + 7 leap days (72..96) + 31 + 29 = 11017 */
    CHECK_INT(rb_days_from_ymd(2000, 3, 1), 30 * 365 + 7 + 31 + 29);
    CHECK_INT(rb_days_from_ymd(2019, 2, 29), RB_NODATE);
    CHECK(rb_days_from_ymd(2020, 2, 29) != RB_NODATE);
    CHECK_INT(rb_days_from_ymd(1900, 2, 29), RB_NODATE);   /* not a leap year */
}

TEST(parse_datetime_formats)
{
    int32_t days;
    int min;
    CHECK(rb_parse_datetime("15/08/2019", "%d/%m/%Y", &days, &min));
    CHECK_INT(days, rb_days_from_ymd(2019, 8, 15));
    CHECK_INT(min, -1);
    CHECK(rb_parse_datetime("2016/05/03", "%Y/%m/%d", &days, &min));
    CHECK_INT(days, rb_days_from_ymd(2016, 5, 3));
    CHECK(rb_parse_datetime(" 2019-08-15 18:12:30 ", "%Y-%m-%d %H:%M:%S", &days, &min));
    CHECK_INT(min, 18 * 60 + 12);
    CHECK(rb_parse_datetime("3 Feb 21", "%d %b %y", &days, &min));
    CHECK_INT(days, rb_days_from_ymd(2021, 2, 3));
    CHECK(rb_parse_datetime("2018", "%Y", &days, &min));   /* a year alone: 1 July */
    CHECK_INT(days, rb_days_from_ymd(2018, 7, 1));
    /* invalid dates and mismatches */
    CHECK(!rb_parse_datetime("31/02/2019", "%d/%m/%Y", &days, &min));
    CHECK(!rb_parse_datetime("2019-13-01", "%Y-%m-%d", &days, &min));
    CHECK(!rb_parse_datetime("15/08/2019x", "%d/%m/%Y", &days, &min));
    CHECK(!rb_parse_datetime("", "%d/%m/%Y", &days, &min));
    CHECK(!rb_parse_datetime("15-08-2019", "%d/%m/%Y", &days, &min));
    CHECK(!rb_parse_datetime("19/8/15", "%Y/%m/%d", &days, &min));
}

TEST(parse_time)
{
    CHECK_INT(rb_parse_time("1812"), 18 * 60 + 12);
    CHECK_INT(rb_parse_time("0929"), 9 * 60 + 29);
    CHECK_INT(rb_parse_time("929"), 9 * 60 + 29);
    CHECK_INT(rb_parse_time("18:12"), 18 * 60 + 12);
    CHECK_INT(rb_parse_time("6:05:59"), 6 * 60 + 5);
    CHECK_INT(rb_parse_time("7"), 7 * 60);
    CHECK_INT(rb_parse_time("2460"), -1);
    CHECK_INT(rb_parse_time("25:00"), -1);
    CHECK_INT(rb_parse_time("noon"), -1);
}

TEST(utf8)
{
    CHECK_INT(rb_utf8_invalid_at("plain", 5), -1);
    const char *cyr = "\xd0\x9a\xd0\xb0\xd0\xb7\xd0\xb0\xd1\x85\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd"; /* Казахстан */
    CHECK_INT(rb_utf8_invalid_at(cyr, strlen(cyr)), -1);
    CHECK_INT(rb_utf8_invalid_at("ab\xff" "c", 4), 2);
    CHECK_INT(rb_utf8_invalid_at("\xc0\xaf", 2), 0);           /* overlong '/' */
    CHECK_INT(rb_utf8_invalid_at("\xed\xa0\x80", 3), 0);       /* a surrogate */
    CHECK_INT(rb_utf8_invalid_at("x\xe2\x82", 3), 1);          /* cut short */
    char *r = rb_utf8_repair("ab\xff" "c");
    CHECK_STR(r, "ab\xef\xbf\xbd" "c");
    rb_free(r);
    /* CP1251 "Алматы" read as UTF-8 is invalid */
    CHECK(rb_utf8_invalid_at("\xc0\xeb\xec\xe0\xf2\xfb", 6) >= 0);
}

TEST(key_normalise_and_numbers)
{
    char k[64];
    rb_key_normalise("  Run-Off  Road ", k, sizeof k);
    CHECK_STR(k, "run_off_road");
    rb_key_normalise("Dark / not lighted", k, sizeof k);
    CHECK_STR(k, "dark_not_lighted");
    /* Cyrillic capitals (А-Я, Ё, І) and Kazakh's (Ә Ғ Қ Ң Ө Ұ Ү Һ) fold to their small letters */
    rb_key_normalise("Наезд На ПЕШЕХОДА", k, sizeof k);
    CHECK_STR(k, "наезд_на_пешехода");
    rb_key_normalise("ЁЖ ІЯ", k, sizeof k);
    CHECK_STR(k, "ёж_ія");
    rb_key_normalise("ӘҒҚҢӨҰҮҺ", k, sizeof k);
    CHECK_STR(k, "әғқңөұүһ");
    rb_key_normalise("Елді Мекен", k, sizeof k);
    CHECK_STR(k, "елді_мекен");
    double v;
    CHECK(rb_parse_double(" 51.5 ", &v));
    CHECK_NEAR(v, 51.5, 0);
    CHECK(rb_parse_double("43,25", &v));       /* decimal comma */
    CHECK_NEAR(v, 43.25, 0);
    CHECK(!rb_parse_double("NaN", &v));
    CHECK(!rb_parse_double("inf", &v));
    CHECK(!rb_parse_double("12a", &v));
    CHECK(!rb_parse_double("", &v));
    CHECK(!rb_parse_double("1e999", &v));
}

TEST(strmap_against_linear_scan)
{
    struct rb_strmap m = { 0 };
    char keys[2000][12];
    int bad = 0;
    for (int i = 0; i < 2000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", (int)(t_rand() * 500));   /* many repeats */
        size_t v = (size_t)i;
        int got = rb_strmap_get(&m, keys[i], &v, 1);
        /* oracle: the first earlier equal key, by linear scan */
        int first = -1;
        for (int j = 0; j < i && first < 0; j++)
            if (!strcmp(keys[j], keys[i])) first = j;
        if (first < 0 ? got != 0 : (got != 1 || v != (size_t)first)) bad++;
    }
    CHECK_INT(bad, 0);
    size_t v;
    CHECK_INT(rb_strmap_get(&m, "absent", &v, 0), 0);
    rb_strmap_free(&m);
}

TEST(vocabulary_codes)
{
    CHECK_INT(rb_severity_parse("k"), RB_SEV_K);
    CHECK_INT(rb_severity_parse("O"), RB_SEV_O);
    CHECK_INT(rb_severity_parse("fatal"), -1);   /* words go through the synonyms */
    CHECK_INT(rb_crash_type_parse("head_on"), RB_CT_HEAD_ON);
    CHECK_INT(rb_light_parse("dusk"), RB_LIGHT_DUSK);
    CHECK_STR(rb_crash_type_name(RB_CT_RUN_OFF_ROAD), "run_off_road");
    CHECK_STR(rb_severity_code(RB_SEV_UNKNOWN), "U");
}

TEST(alloc_failure_hook)
{
    rb_alloc_fail_after(2);
    void *a = rb_malloc(8);
    void *b = rb_malloc(8);
    rb_alloc_fail_after(0);
    CHECK(a != NULL);
    CHECK(b == NULL);
    rb_free(a);
}

TEST(array_allocator_overflow)
{
    /* products that fit: the memory is there and writable */
    long before = rb_alloc_count();
    uint32_t *a = rb_mallocarray(3, sizeof *a);
    CHECK(a != NULL);
    CHECK_INT(rb_alloc_count() - before, 1);
    a[0] = 1; a[1] = 2; a[2] = 3;
    uint32_t *b = rb_reallocarray(a, 1000, sizeof *b);
    CHECK(b != NULL);
    CHECK_INT(b[0] + b[1] + b[2], 6);      /* kept across the move */
    b[999] = 7;
    void *z = rb_mallocarray(0, 8), *z2 = rb_mallocarray(8, 0);   /* empty arrays are still blocks */
    CHECK(z != NULL && z2 != NULL);
    rb_free(z);
    rb_free(z2);
    /* products that overflow a size_t: NULL, no allocation attempted or counted */
    const size_t half = SIZE_MAX / 2 + 1;  /* 2^63 on a 64-bit machine */
    before = rb_alloc_count();
    CHECK(rb_mallocarray(SIZE_MAX, 2) == NULL);
    CHECK(rb_mallocarray(2, SIZE_MAX) == NULL);
    CHECK(rb_mallocarray(half, 2) == NULL);          /* exactly 2^64: one past the largest */
    CHECK(rb_mallocarray((size_t)1 << 32, ((size_t)1 << 32) + 1) == NULL);   /* 2^64 + 2^32 */
    CHECK(rb_mallocarray(SIZE_MAX / 24 + 1, 24) == NULL);   /* an array of structs one too many */
    CHECK(rb_reallocarray(b, half, 4) == NULL);
    CHECK_INT(rb_alloc_count() - before, 0);
    CHECK_INT(b[999], 7);                  /* the old block is untouched after a refused growth */
    rb_free(b);
    /* the saturating count product rb_mallocarray then refuses */
    CHECK_INT(rb_size_mul(1000, 365), 365000);
    CHECK_INT(rb_size_mul(0, SIZE_MAX), 0);
    CHECK(rb_size_mul(SIZE_MAX / 3 + 1, 3) == SIZE_MAX);
    CHECK(rb_size_mul((size_t)1 << 40, (size_t)1 << 30) == SIZE_MAX);
    CHECK(rb_mallocarray(rb_size_mul(half, 2), 8) == NULL);
    /* the failure hook reaches them like any allocation */
    rb_alloc_fail_after(1);
    void *f = rb_mallocarray(2, 4);
    rb_alloc_fail_after(0);
    CHECK(f == NULL);
    /* rb_grow: a need past what doubling reaches, and one that overflows */
    size_t *g = NULL, cap = 0;
    CHECK_INT(rb_grow((void **)&g, &cap, 100, sizeof *g), RB_OK);
    CHECK_INT(cap, 128);
    CHECK_INT(rb_grow((void **)&g, &cap, half, sizeof *g), RB_ENOMEM);
    CHECK_INT(cap, 128);
    rb_free(g);
}

TEST(string_builder)
{
    /* pieces of text and formatted numbers, longer than any fixed buffer */
    struct rb_sb b = { 0 };
    rb_sb_add(&b, "abc", 2);
    rb_sb_printf(&b, "-%d-%s", 42, "x");
    CHECK_STR(b.s, "ab-42-x");
    CHECK_INT(b.n, 7);
    for (int k = 0; k < 1000; k++)
        rb_sb_printf(&b, "%04d", k);
    CHECK_INT(b.n, 7 + 4000);
    CHECK_STR(b.s + b.n - 8, "09980999");
    CHECK_INT(b.nomem, 0);
    rb_free(b.s);
    /* an allocation that fails: nomem set, later pieces dropped, no crash */
    struct rb_sb c = { 0 };
    rb_alloc_fail_after(1);
    rb_sb_printf(&c, "%s", "lost");
    rb_alloc_fail_after(0);
    rb_sb_add(&c, "also lost", 9);
    CHECK_INT(c.nomem, 1);
    CHECK(c.s == NULL);
}

/* Findings: kept with their code and count; accepted by code, before or after
 * they are made; an unknown code is a usage error naming the codes; only
 * untrusting findings not accepted count against the run. */
TEST(findings_and_accept)
{
    struct rb_log log = { 0 };
    struct rb_err err = { 0 };
    rb_find(&log, "low_match", 0, 12, "only %d of %d", 3, 15);
    rb_find(&log, "no_match", 1, 15, "none of %d", 15);
    rb_find(&log, "not_a_code", 1, 1, "dropped");          /* not kept: a programming error */
    CHECK_INT(log.nfinds, 2);
    CHECK_STR(log.finds[0].code, "low_match");
    CHECK_STR(log.finds[0].msg, "only 3 of 15");
    CHECK_INT(log.finds[1].count, 15);
    CHECK_INT(rb_log_untrusted(&log), 1);                   /* no_match only: low_match is a warning here */
    CHECK_INT(rb_log_accept(&log, "no_matches", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "'no_matches' is not a finding's code") != NULL);
    CHECK(strstr(err.msg, "no_match, low_match") != NULL);
    CHECK_INT(rb_log_accept(&log, " no_match , period_empty", &err), RB_OK);
    CHECK_INT(log.finds[1].accepted, 1);
    CHECK_INT(log.finds[0].accepted, 0);
    CHECK_INT(rb_log_untrusted(&log), 0);
    rb_find(&log, "period_empty", 1, 4, "later");            /* accepted before it was made */
    CHECK_INT(log.finds[2].accepted, 1);
    CHECK_INT(rb_log_untrusted(&log), 0);
    rb_find(&log, "no_dates", 1, 4, "not accepted");
    CHECK_INT(rb_log_untrusted(&log), 1);
    size_t n;
    const struct rb_finding_code *codes = rb_finding_codes(&n);
    CHECK(n >= 15 && n <= 64);                              /* the accepted set is a 64-bit mask */
    for (size_t k = 0; k < n; k++)
        CHECK(codes[k].means && *codes[k].means);
    /* the first message of each kind of row warning, for the summary */
    rb_warn(&log, RB_W_DATE, "first date");
    rb_warn(&log, RB_W_ROW, "a row");
    rb_warn(&log, RB_W_DATE, "second date");
    CHECK_STR(log.msgs[log.first[RB_W_DATE] - 1], "first date");
    CHECK_STR(log.msgs[log.first[RB_W_ROW] - 1], "a row");
    CHECK_INT(log.first[RB_W_DUP_ID], 0);
    rb_log_free(&log);
}

/* Two logs merged: the second's warnings after the first's, as if logged
 * there in turn. By hand: dst holds RB_WARN_KEEP - 1 date warnings and one
 * segment warning; src 3 date warnings (only the first of them fits under the
 * cap) and 2 row warnings. Merged: date count RB_WARN_KEEP + 2, RB_WARN_KEEP
 * date texts, the row warnings after the others, their first in place. */
TEST(logs_merged_in_order)
{
    struct rb_log dst = { 0 }, src = { 0 };
    for (int i = 0; i < RB_WARN_KEEP - 1; i++)
        rb_warn(&dst, RB_W_DATE, "d%d", i);
    rb_warn(&dst, RB_W_SEGMENT, "seg");
    rb_warn(&src, RB_W_DATE, "src date a");
    rb_warn(&src, RB_W_ROW, "row 1");
    rb_warn(&src, RB_W_DATE, "src date b");
    rb_warn(&src, RB_W_ROW, "row 2");
    rb_warn(&src, RB_W_DATE, "src date c");
    rb_find(&src, "no_dates", 1, 7, "found on the thread");
    rb_log_merge(&dst, &src);
    CHECK_INT(dst.count[RB_W_DATE], RB_WARN_KEEP + 2);
    CHECK_INT(dst.count[RB_W_ROW], 2);
    CHECK_INT(dst.count[RB_W_SEGMENT], 1);
    CHECK_INT(dst.nmsgs, RB_WARN_KEEP + 3);            /* 200 dates, seg, 2 rows */
    CHECK_STR(dst.msgs[RB_WARN_KEEP], "src date a");
    CHECK_STR(dst.msgs[RB_WARN_KEEP + 1], "row 1");
    CHECK_STR(dst.msgs[RB_WARN_KEEP + 2], "row 2");
    CHECK_INT(dst.first[RB_W_ROW], RB_WARN_KEEP + 2);  /* 1 + its index */
    CHECK_STR(dst.msgs[dst.first[RB_W_SEGMENT] - 1], "seg");
    CHECK_INT(dst.nfinds, 1);
    CHECK_STR(dst.finds[0].msg, "found on the thread");
    CHECK_INT(src.nmsgs, 0);
    rb_warn(&dst, RB_W_ROW, "row 3");                  /* the merged log goes on */
    CHECK_INT(dst.count[RB_W_ROW], 3);
    CHECK_STR(dst.msgs[dst.nmsgs - 1], "row 3");
    rb_log_free(&dst);
}

RUN_TESTS(T(days_against_timegm), T(string_builder), T(parse_datetime_formats), T(parse_time), T(utf8),
          T(key_normalise_and_numbers), T(strmap_against_linear_scan), T(vocabulary_codes),
          T(alloc_failure_hook), T(array_allocator_overflow), T(findings_and_accept),
          T(logs_merged_in_order))
