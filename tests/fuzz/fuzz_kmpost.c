/* Fuzzes the number parsers of a record's fields: kilometre posts and measures
 * (rb_parse_kmpost), directions (rb_parse_bearing), plain numbers
 * (rb_parse_double) and speed limits (rb_parse_speed_kmh). The input is the field's
 * text. Besides not crashing: what parses is finite, a bearing is in [0, 360),
 * a "km+m" post is not negative, and a number printed and read back is the same. */
#include <math.h>

#include "core/core.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_str(data, size);
    double v = NAN;
    if (rb_parse_kmpost(s, &v)) {
        FUZZ_CHECK(isfinite(v));
        if (strchr(s, '+'))
            FUZZ_CHECK(v >= 0);
    }
    if (rb_parse_bearing(s, &v))
        FUZZ_CHECK(v >= 0 && v < 360);
    if (rb_parse_double(s, &v)) {
        FUZZ_CHECK(isfinite(v));
        char buf[64];
        double back = NAN;
        snprintf(buf, sizeof buf, "%.17g", v);
        FUZZ_CHECK(rb_parse_double(buf, &back) && back == v);
    }
    double kmh = rb_parse_speed_kmh(s);
    FUZZ_CHECK(isnan(kmh) || isfinite(kmh));
    free(s);
    return 0;
}
