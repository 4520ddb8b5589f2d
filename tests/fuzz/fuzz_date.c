/* Fuzzes the date and time parsers. The input is "FORMAT\nTEXT": TEXT is parsed
 * by FORMAT (rb_parse_datetime), by each format the crash reader tries when none
 * is given, and as a time of day (rb_parse_time); without a newline the whole
 * input is the text. The first 12 bytes, as three ints, also go through
 * rb_days_from_ymd. Besides not crashing: a parsed date is a real day of years
 * 1..9999 that goes back to itself through rb_ymd_from_days, and a time of day
 * is within the day. */
#include "core/core.h"
#include "fuzz.h"

/* the crash reader's formats (src/io/crashes.c, auto_date_formats) */
static const char *const auto_formats[] = {
    "%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M", "%Y",
};

static void check_days(int32_t days)
{
    int y, m, d;
    rb_ymd_from_days(days, &y, &m, &d);
    FUZZ_CHECK(y >= 1 && y <= 9999);
    FUZZ_CHECK(rb_days_from_ymd(y, m, d) == days);
}

static void check_parse(const char *s, const char *fmt)
{
    int32_t days;
    int min;
    if (rb_parse_datetime(s, fmt, &days, &min)) {
        if (days != RB_NODATE)
            check_days(days);
        FUZZ_CHECK(min >= -1 && min < 24 * 60);
    } else {
        FUZZ_CHECK(days == RB_NODATE && min == -1);   /* a failed parse leaves nothing behind */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 12) {
        int32_t ymd[3];
        memcpy(ymd, data, sizeof ymd);
        int32_t days = rb_days_from_ymd(ymd[0], ymd[1], ymd[2]);
        if (days != RB_NODATE) {
            int y, m, d;
            rb_ymd_from_days(days, &y, &m, &d);
            FUZZ_CHECK(y == ymd[0] && m == ymd[1] && d == ymd[2]);
        }
    }
    char *in = fuzz_str(data, size);
    char *nl = strchr(in, '\n');
    const char *text = in;
    if (nl) {
        *nl = 0;
        text = nl + 1;
        check_parse(text, in);
    }
    for (size_t k = 0; k < sizeof auto_formats / sizeof *auto_formats; k++)
        check_parse(text, auto_formats[k]);
    int t = rb_parse_time(text);
    FUZZ_CHECK(t >= -1 && t < 24 * 60);
    free(in);
    return 0;
}
