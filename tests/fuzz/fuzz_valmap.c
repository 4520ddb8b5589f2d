/* Fuzzes the value maps: "1=K,2=A,3=C" set through rb_config_set on a coded
 * field's map (crashes.severity_map, crash_type_map, light_map, surface_map) or
 * the EPDO weights ("K=542,A=29.3"), then values looked up with rb_vocab_code
 * against the vocabulary's synonyms. Each input line is one setting: its first
 * byte picks the key, the rest is the value. Besides not crashing or leaking:
 * after a setting is taken, every value it maps is found with a code of its
 * field, any text looks up to -1 or a code of its field, and EPDO weights are
 * unset (NaN) or not negative. */
#include <math.h>
#include <stddef.h>

#include "io/io.h"
#include "fuzz.h"

static const struct {
    const char *key;
    size_t cfg_off;         /* the field's struct rb_coded_field in struct rb_config */
    size_t vocab_off;       /* its synonyms in struct rb_vocab */
    int (*parse)(const char *);
    int ncodes;
} maps[] = {
    { "crashes.severity_map", offsetof(struct rb_config, severity), offsetof(struct rb_vocab, severity),
      rb_severity_parse, RB_NSEV },
    { "crashes.crash_type_map", offsetof(struct rb_config, crash_type), offsetof(struct rb_vocab, crash_type),
      rb_crash_type_parse, RB_NCT },
    { "crashes.light_map", offsetof(struct rb_config, light), offsetof(struct rb_vocab, light),
      rb_light_parse, RB_NLIGHT },
    { "crashes.surface_map", offsetof(struct rb_config, surface), offsetof(struct rb_vocab, surface),
      rb_surface_parse, RB_NSURF },
};
#define NMAPS (sizeof maps / sizeof *maps)

static struct rb_vocab vocab;   /* read once: the synonyms do not change between inputs */

static void read_vocab(void)
{
    static int done;
    if (done)
        return;
    struct rb_err err;
    if (rb_vocab_read(NULL, &vocab, &err)) {
        fprintf(stderr, "fuzz_valmap: %s (set RUMBLE_DATA_DIR)\n", err.msg);
        abort();
    }
    done = 1;
}

/* Every LEFT of "LEFT=RIGHT,..." (as rb_config_set splits it) must be in the map. */
static void check_pairs(const char *value, size_t k, const struct rb_config *cfg)
{
    const struct rb_coded_field *cf = (const void *)((const char *)cfg + maps[k].cfg_off);
    const struct rb_valmap *syn = (const void *)((const char *)&vocab + maps[k].vocab_off);
    char *copy = fuzz_str((const uint8_t *)value, strlen(value));
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        FUZZ_CHECK(eq);               /* a pair without '=' is refused */
        *eq = 0;
        int code = rb_vocab_code(&cf->map, syn, maps[k].parse, tok);
        FUZZ_CHECK(code >= 0 && code < maps[k].ncodes);
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_vocab();
    struct rb_config cfg;
    rb_config_init(&cfg);
    char *in = fuzz_str(data, size);
    for (char *save = NULL, *line = strtok_r(in, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t k = (unsigned char)line[0] % (NMAPS + 1);
        const char *value = line + 1;
        struct rb_err err = { 0 };
        const char *key = k < NMAPS ? maps[k].key : "epdo_weights";
        int rc = rb_config_set(&cfg, key, value, &err);
        if (rc) {
            FUZZ_CHECK(err.msg[0]);   /* a refusal says why */
            continue;
        }
        if (k < NMAPS)
            check_pairs(value, k, &cfg);
    }
    /* any text looks up to a code of its field, or to nothing */
    for (size_t k = 0; k < NMAPS; k++) {
        const struct rb_coded_field *cf = (const void *)((const char *)&cfg + maps[k].cfg_off);
        const struct rb_valmap *syn = (const void *)((const char *)&vocab + maps[k].vocab_off);
        int code = rb_vocab_code(&cf->map, syn, maps[k].parse, (const char *)in);
        FUZZ_CHECK(code >= -1 && code < maps[k].ncodes);
    }
    for (int k = 0; k < 5; k++)
        FUZZ_CHECK(isnan(cfg.epdo_weight[k]) || cfg.epdo_weight[k] >= 0);
    rb_config_free(&cfg);
    free(in);
    return 0;
}
