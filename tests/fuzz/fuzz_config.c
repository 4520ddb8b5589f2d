/* Fuzzes the config reader: the input as a JSON config (rb_config_read_text,
 * the code path of rb_config_read), then as settings the way the command line
 * gives them: each line's first byte picks a key of the option table
 * (rb_config_keys), the rest is its value (rb_config_set). Besides not crashing
 * or leaking: a refusal says why, and whatever was taken is within the table's
 * rules: numbers unset (NaN) or not negative, counts from 1, years 0..9999, a
 * word with choices one of them. */
#include <math.h>

#include "io/io.h"
#include "fuzz.h"

static void check_config(const struct rb_config *cfg)
{
    size_t n;
    const struct rb_config_key *keys = rb_config_keys(&n);
    for (size_t i = 0; i < n; i++) {
        const void *field = (const char *)cfg + keys[i].off;
        switch (keys[i].type) {
        case RB_KEY_NUM: {
            double v = *(const double *)field;
            FUZZ_CHECK(isnan(v) || (isfinite(v) && v >= 0));
            break;
        }
        case RB_KEY_COUNT: {
            int v = *(const int *)field;
            FUZZ_CHECK(v == 0 || (v >= 1 && v <= 100000));   /* 0: unset, the code's default */
            break;
        }
        case RB_KEY_YEAR: {
            int v = *(const int *)field;
            FUZZ_CHECK(v >= 0 && v <= 9999);
            break;
        }
        case RB_KEY_STR: {
            const char *v = *(char *const *)field;
            if (v && keys[i].choices)
                FUZZ_CHECK(rb_config_choice(keys[i].key, v) >= 0);
            break;
        }
        default:
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rb_config cfg;
    struct rb_err err = { 0 };
    rb_config_init(&cfg);
    if (rb_config_read_text(&cfg, (const char *)data, size, "fuzz.json", &err))
        FUZZ_CHECK(err.msg[0]);
    else
        FUZZ_CHECK(cfg.config_path && !strcmp(cfg.config_path, "fuzz.json"));
    check_config(&cfg);
    rb_config_free(&cfg);

    size_t n;
    const struct rb_config_key *keys = rb_config_keys(&n);
    rb_config_init(&cfg);
    char *in = fuzz_str(data, size);
    for (char *save = NULL, *line = strtok_r(in, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        err.msg[0] = 0;
        if (rb_config_set(&cfg, keys[(unsigned char)line[0] % n].key, line + 1, &err))
            FUZZ_CHECK(err.msg[0]);
    }
    check_config(&cfg);
    rb_config_free(&cfg);
    free(in);
    return 0;
}
