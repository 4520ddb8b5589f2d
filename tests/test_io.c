/* io: the config, the vocabulary, and the readers (also when memory runs out). */
#include "tcheck.h"
#include "io/io.h"
#include <sys/stat.h>
#include <unistd.h>

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/rumble_test_%ld_%s", (long)getpid(), name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *bad(const char *name)
{
    static char path[512];
    const char *root = getenv("RUMBLE_ROOT");
    snprintf(path, sizeof path, "%s/tests/bad/%s", root ? root : ".", name);
    return path;
}

TEST(config_reads_sections_and_maps)
{
    struct rb_config c;
    struct rb_err err = { 0 };
    rb_config_init(&c);
    CHECK_NEAR(c.tolerance_m, 30, 0);
    const char *p = write_tmp("ok.json",
        "{ \"roads\": { \"id\": \"seg_id\", \"aadt\": \"aadt\" },\n"
        "  \"crashes\": { \"x\": \"x\", \"y\": \"y\", \"crs\": \"EPSG:32642\", \"group_by\": \"Reference Number\",\n"
        "    \"severity\": { \"field\": \"Casualty Severity\", \"map\": { \"1\": \"K\", \"2\": \"A\", \"3\": \"c\" } },\n"
        "    \"crash_type\": \"crash_type\" },\n"
        "  \"match\": { \"tolerance_m\": 25 }, \"study\": { \"from_year\": 2018 },\n"
        "  \"epdo_weights\": { \"K\": 100 } }\n");
    CHECK_INT(rb_config_read(&c, p, &err), RB_OK);
    CHECK_STR(c.road_id, "seg_id");
    CHECK_STR(c.group_by, "Reference Number");
    CHECK_STR(c.severity.field, "Casualty Severity");
    CHECK_INT(c.severity.map.n, 3);
    CHECK_INT(c.severity.map.to[2], RB_SEV_C);
    CHECK_STR(c.crash_type.field, "crash_type");
    CHECK_NEAR(c.tolerance_m, 25, 0);
    CHECK_INT(c.year_from, 2018);
    CHECK_NEAR(c.epdo_weight[0], 100, 0);
    CHECK(isnan(c.epdo_weight[1]));
    /* the command line overrides the file */
    CHECK_INT(rb_config_set(&c, "match.tolerance_m", "12.5", &err), RB_OK);
    CHECK_NEAR(c.tolerance_m, 12.5, 0);
    CHECK_INT(rb_config_set(&c, "crashes.light_map", "1=day,4=dark", &err), RB_OK);
    CHECK_INT(c.light.map.n, 2);
    CHECK_INT(rb_config_set(&c, "crashes.light_map", "1", &err), RB_EUSAGE);
    CHECK_INT(rb_config_set(&c, "match.tolerance_m", "-1", &err), RB_EUSAGE);
    CHECK_INT(rb_config_set(&c, "nope", "1", &err), RB_EUSAGE);
    rb_config_free(&c);
    unlink(p);
}

TEST(config_errors_say_where)
{
    struct rb_config c;
    struct rb_err err = { 0 };
    rb_config_init(&c);
    const char *p = write_tmp("broken.json", "{\n  \"match\": {\n    \"tolerance_m\": 30,\n  }\n}\n");
    CHECK_INT(rb_config_read(&c, p, &err), RB_EUSAGE);
    /* the trailing comma breaks the object closed on line 4 (cJSON points just past the '}') */
    CHECK(strstr(err.msg, "broken.json:4:") != NULL);
    p = write_tmp("typo.json", "{ \"match\": { \"tolerence_m\": 30 } }");
    CHECK_INT(rb_config_read(&c, p, &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "unknown key 'match.tolerence_m'") != NULL);
    p = write_tmp("type.json", "{ \"match\": { \"tolerance_m\": \"30\" } }");
    CHECK_INT(rb_config_read(&c, p, &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "must be a number") != NULL);
    CHECK_INT(rb_config_read(&c, "/nonexistent/x.json", &err), RB_EIO);
    rb_config_free(&c);
    unlink(p);
}

TEST(config_read_from_memory)
{
    /* the text needs no NUL: only len bytes are read, and the name stands for the file */
    static const char text[] = "{ \"match\": { \"tolerance_m\": 12 } }garbage";
    struct rb_config c;
    struct rb_err err = { 0 };
    rb_config_init(&c);
    CHECK_INT(rb_config_read_text(&c, text, strlen(text) - strlen("garbage"), "mem.json", &err), RB_OK);
    CHECK_NEAR(c.tolerance_m, 12, 0);
    CHECK_STR(c.config_path, "mem.json");
    CHECK_INT(rb_config_read_text(&c, "{\n  \"x\": 1,\n}", 14, "mem.json", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "mem.json:3:") != NULL);
    CHECK_INT(rb_config_read_text(&c, "[1]", 3, "mem.json", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "must be a JSON object") != NULL);
    rb_config_free(&c);
}

/* What set a config, in order, replayed into another gives the same settings:
 * how a saved screening's plan gets its run's config (rumble plan --screen). */
TEST(config_trail_replayed)
{
    static const char text[] = "{ \"match\": { \"tolerance_m\": 12 }, \"crashes\": { \"severity\": \"sev\", "
                               "\"severity_map\": \"1=K,2=A\" }, \"plan\": { \"discount_rate\": 0.07 } }";
    struct rb_config a, b;
    struct rb_err err = { 0 };
    rb_config_init(&a);
    rb_config_init(&b);
    CHECK_INT(rb_config_read_text(&a, text, strlen(text), "p.json", &err), RB_OK);
    CHECK_INT(rb_config_set(&a, "match.tolerance_m", "25", &err), RB_OK);   /* a flag over the file */
    CHECK_INT(rb_config_set(&a, "screen.spf", "hsm_rural_2lane", &err), RB_OK);
    CHECK_INT(rb_config_set(&a, "match.tolerance_m", "-1", &err), RB_EUSAGE);   /* refused: not recorded */
    CHECK_INT(a.ntrail, 3);
    if (a.ntrail == 3) {
        CHECK_STR(a.trail[0], "@config");
        CHECK_STR(a.trail[1], text);
        CHECK_STR(a.trail[2], "match.tolerance_m");
        CHECK_STR(a.trail[3], "25");
        CHECK_STR(a.trail[4], "screen.spf");
    }
    CHECK_INT(rb_config_replay(&b, (const char *const *)a.trail, a.ntrail, "s.gpkg", &err), RB_OK);
    CHECK_NEAR(b.tolerance_m, 25, 0);                        /* the flag's, applied after the file */
    CHECK_NEAR(b.discount_rate, 0.07, 0);
    CHECK_STR(b.spf, "hsm_rural_2lane");
    CHECK_STR(b.severity.field, "sev");
    CHECK_INT(rb_vocab_code(&b.severity.map, NULL, rb_severity_parse, "2"), RB_SEV_A);
    /* a saved setting this rumble does not know says which file and what to do */
    const char *old[] = { "screen.window_size", "300" };
    CHECK_INT(rb_config_replay(&b, old, 1, "s.gpkg", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "s.gpkg: a setting saved with it no longer applies") && strstr(err.msg, "window_size") &&
          strstr(err.msg, "--config"));
    rb_config_free(&a);
    rb_config_free(&b);
}

TEST(vocabulary_precedence)
{
    struct rb_vocab v;
    struct rb_err err = { 0 };
    CHECK_INT(rb_vocab_read(getenv("RUMBLE_DATA_DIR"), &v, &err), RB_OK);
    CHECK_INT(rb_vocab_code(NULL, &v.severity, rb_severity_parse, "Fatal"), RB_SEV_K);
    CHECK_INT(rb_vocab_code(NULL, &v.severity, rb_severity_parse, "  Suspected Serious Injury "), RB_SEV_A);
    CHECK_INT(rb_vocab_code(NULL, &v.crash_type, rb_crash_type_parse, "Head-On"), RB_CT_HEAD_ON);
    CHECK_INT(rb_vocab_code(NULL, &v.crash_type, rb_crash_type_parse,
                            "\xd0\xbd\xd0\xb0\xd0\xb5\xd0\xb7\xd0\xb4 \xd0\xbd\xd0\xb0 \xd0\xb6\xd0\xb8\xd0\xb2\xd0\xbe\xd1\x82\xd0\xbd\xd0\xbe\xd0\xb5"),
              RB_CT_ANIMAL);                                   /* "наезд на животное" */
    CHECK_INT(rb_vocab_code(NULL, &v.light, rb_light_parse, "Dark - not lighted"), RB_LIGHT_DARK);
    /* vehicles, in the police exports' words: Russian and Kazakh as well */
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "Мопед"), RB_VEH_MOPED);
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "электросамокат"), RB_VEH_E_SCOOTER);
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "Грузовой автомобиль"), RB_VEH_TRUCK);
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "жүк көлігі"), RB_VEH_TRUCK);
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "Motorcycle"), RB_VEH_MOTORCYCLE);
    CHECK_INT(rb_vocab_code(NULL, &v.vehicle, rb_vehicle_parse, "e_scooter"), RB_VEH_E_SCOOTER);
    CHECK_INT(rb_vocab_code(NULL, &v.severity, rb_severity_parse, "3"), -1);   /* codes need a map */
    /* the field's own map comes first */
    struct rb_config c;
    rb_config_init(&c);
    rb_config_set(&c, "crashes.severity_map", "fatal=O", &err);
    CHECK_INT(rb_vocab_code(&c.severity.map, &v.severity, rb_severity_parse, "FATAL"), RB_SEV_O);
    rb_config_free(&c);
    struct rb_costs costs;
    CHECK_INT(rb_costs_read(getenv("RUMBLE_DATA_DIR"), NULL, &costs, &err), RB_OK);
    CHECK_NEAR(costs.cost[0], 4008900, 0);   /* HSM Table 4-7 as in DOMAIN.md */
    CHECK_NEAR(costs.cost[4], 7400, 0);
    rb_vocab_free(&v);
}

static struct rb_err read_err;

static int read_both(struct rb_config *cfg, struct rb_vocab *v, size_t *ncrashes)
{
    struct rb_roads roads;
    struct rb_crashes cr;
    struct rb_log log = { 0 };
    struct rb_err *err = &read_err;
    int rc = rb_io_read_roads(cfg, &roads, NULL, &log, err);
    if (!rc) {
        rc = rb_io_read_crashes(cfg, v, &roads, &cr, NULL, &log, err);
        if (!rc) {
            *ncrashes = cr.n;
            rb_crashes_free(&cr);
        }
        rb_roads_free(&roads);
    }
    rb_log_free(&log);
    return rc;
}

TEST(readers_survive_allocation_failure)
{
    rb_io_init();
    struct rb_vocab v;
    struct rb_err err;
    rb_vocab_read(getenv("RUMBLE_DATA_DIR"), &v, &err);
    struct rb_config cfg;
    rb_config_init(&cfg);
    rb_config_set(&cfg, "roads.path", bad("roads_broken.geojson"), &err);
    rb_config_set(&cfg, "crashes.path", bad("dup_ids.csv"), &err);
    rb_config_set(&cfg, "crashes.date", "date", &err);
    int nomem = 0, ok = 0;
    size_t n = 0;
    for (long k = 1; k < 2000 && !ok; k++) {
        rb_alloc_fail_after(k);
        int rc = read_both(&cfg, &v, &n);
        rb_alloc_fail_after(0);
        if (rc == RB_ENOMEM) nomem++;
        else if (rc == RB_OK) ok = 1;
        else {
            fprintf(stderr, "allocation %ld: %s\n", k, read_err.msg);
            break;
        }
    }
    CHECK(nomem > 20);
    CHECK_INT(ok, 1);
    CHECK_INT(n, 3);
    rb_config_free(&cfg);
    rb_vocab_free(&v);
}

TEST(casualty_rows_grouped_to_worst_severity)
{
    /* Three casualty rows of crash R1 (slight, serious, slight) and one of R2:
     * two crashes, R1 serious (A) with 3 records. */
    const char *p = write_tmp("cas.csv",
        "ref,x,y,sev\nR1,76.92,43.2001,3\nR1,76.92,43.2001,2\nR2,76.93,43.2001,3\nR1,76.92,43.2001,3\n");
    struct rb_vocab v;
    struct rb_err err;
    struct rb_log log = { 0 };
    rb_vocab_read(getenv("RUMBLE_DATA_DIR"), &v, &err);
    struct rb_config cfg;
    rb_config_init(&cfg);
    rb_config_set(&cfg, "roads.path", bad("roads.geojson"), &err);
    rb_config_set(&cfg, "crashes.path", p, &err);
    rb_config_set(&cfg, "crashes.group_by", "ref", &err);
    rb_config_set(&cfg, "crashes.severity", "sev", &err);
    rb_config_set(&cfg, "crashes.severity_map", "1=K,2=A,3=C", &err);
    struct rb_roads roads;
    struct rb_crashes cr;
    CHECK_INT(rb_io_read_roads(&cfg, &roads, NULL, &log, &err), RB_OK);
    CHECK_INT(rb_io_read_crashes(&cfg, &v, &roads, &cr, NULL, &log, &err), RB_OK);
    CHECK_INT(cr.n, 2);
    CHECK_INT(cr.nrecords, 4);
    CHECK_STR(rb_pool_str(&cr.str, cr.c[0].id), "R1");
    CHECK_INT(cr.c[0].nrecords, 3);
    CHECK_INT(cr.c[0].severity, RB_SEV_A);
    CHECK_INT(cr.c[1].severity, RB_SEV_C);
    CHECK_INT(cr.c[0].row, 2);
    CHECK_INT(cr.c[1].row, 4);
    CHECK_INT(cr.attrs.nrows, 2);
    /* the roads' CRS is lon/lat: the working CRS is UTM zone 43N (72-78 E) */
    CHECK_STR(roads.work_crs_name, "EPSG:32643");
    CHECK_INT(cr.c[0].xy_status, RB_XY_OK);
    rb_crashes_free(&cr);
    rb_roads_free(&roads);
    rb_config_free(&cfg);
    rb_vocab_free(&v);
    rb_log_free(&log);
    unlink(p);
}

/* The option table: keys and flags unique (a repeated key once made
 * --layer-field set the roads' source layer), every number's default parses,
 * a default among its choices, the choices found by position, the defaults
 * in force after rb_config_init, and a value outside the choices refused
 * whether it comes from a flag or a file. */
TEST(option_table)
{
    size_t n;
    const struct rb_config_key *k = rb_config_keys(&n);
    CHECK(n > 100);
    size_t dup_key = 0, dup_flag = 0, bad_default = 0, bad_choice = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            dup_key += !strcmp(k[i].key, k[j].key);
            dup_flag += k[i].flag && k[j].flag && !strcmp(k[i].flag, k[j].flag);
        }
        double v;
        if ((k[i].type == RB_KEY_COUNT || (k[i].type == RB_KEY_NUM && k[i].choices)) && k[i].dflt)
            bad_default += !rb_parse_double(k[i].dflt, &v);
        if (k[i].choices && k[i].dflt)
            bad_choice += rb_config_choice(k[i].key, k[i].dflt) < 0;
        CHECK(k[i].help && *k[i].help);
    }
    CHECK_INT(dup_key, 0);
    CHECK_INT(dup_flag, 0);
    CHECK_INT(bad_default, 0);
    CHECK_INT(bad_choice, 0);
    CHECK_INT(rb_config_choice("plan.rank_by", "crashes"), 2);
    CHECK_INT(rb_config_choice("plan.rank_by", "npv"), 0);
    CHECK_INT(rb_config_choice("plan.rank_by", "worst"), -1);
    CHECK_INT(rb_config_choice("screen.confidence", "0.9"), 1);     /* 0.90 as a number */
    CHECK_INT(rb_config_choice("screen.confidence", "0.5"), -1);
    CHECK_INT(rb_config_choice("plan.rank_by", NULL), -1);
    char text[64];
    rb_config_choices_text("npv|bcr|crashes", text, sizeof text);
    CHECK_STR(text, "npv, bcr or crashes");
    rb_config_choices_text("right|left", text, sizeof text);
    CHECK_STR(text, "right or left");
    /* the defaults the table gives, as the code had them before it */
    struct rb_config cfg;
    rb_config_init(&cfg);
    CHECK_NEAR(cfg.tolerance_m, 30, 0);
    CHECK_NEAR(cfg.node_snap_m, 0.5, 0);
    CHECK_NEAR(cfg.int_radius_m, 76.2, 0);
    CHECK_NEAR(cfg.confidence, 0.95, 0);
    CHECK_INT(cfg.ccs_days, 365);
    CHECK_INT(cfg.hotspot_top, 20);
    CHECK_INT(cfg.year_from, 0);
    CHECK(cfg.budget != cfg.budget);          /* no budget: NaN */
    CHECK(cfg.epdo_weight[0] != cfg.epdo_weight[0]);
    CHECK(cfg.objective == NULL);
    struct rb_err err = { 0 };
    CHECK_INT(rb_config_set(&cfg, "plan.drive_side", "middle", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "is right or left, not 'middle'") != NULL);
    CHECK_INT(rb_config_set(&cfg, "plan.drive_side", "left", &err), RB_OK);
    CHECK_STR(cfg.drive_side, "left");
    CHECK_INT(rb_config_set(&cfg, "roads.grade_layer", "level", &err), RB_OK);
    CHECK_STR(cfg.road_layer, "level");
    CHECK(cfg.roads_layer == NULL);
    CHECK_INT(rb_config_set(&cfg, "epdo_weights", "K=100,O=1", &err), RB_OK);
    CHECK_NEAR(cfg.epdo_weight[0], 100, 0);
    CHECK_NEAR(cfg.epdo_weight[4], 1, 0);
    rb_config_free(&cfg);
}

/* A file at dir/name with text, for the preset tests' own data directory. */
static void write_at(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static int code_of(const struct rb_coded_field *cf, int (*canonical)(const char *), const char *raw)
{
    return rb_vocab_code(&cf->map, NULL, canonical, raw);
}

/* Preset, then config, then flag: each layer overrides the one before, key by
 * key and map entry by map entry; null drops a preset's key; the config's own
 * data_dir is where its preset is looked for. */
TEST(preset_config_flag_layers)
{
    char dir[] = "/tmp/rumble_presets_XXXXXX", sub[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(sub, sizeof sub, "%s/presets", dir);
    CHECK_INT(mkdir(sub, 0700), 0);
    write_at(sub, "base.json",
        "{ \"$comment\": \"a national schema\", \"$source\": \"a data guide\",\n"
        "  \"crashes\": { \"crs\": \"EPSG:27700\", \"date_format\": \"%d/%m/%Y\", \"weather\": \"weather_conditions\",\n"
        "    \"severity\": { \"field\": \"sev\", \"map\": { \"1\": \"K\", \"2\": \"A\", \"3\": \"C\" } },\n"
        "    \"light\": { \"map\": { \"1\": \"day\", \"4\": \"dark\" } } },\n"
        "  \"match\": { \"tolerance_m\": 40 } }\n");
    write_at(sub, "extra.json", "{ \"preset\": \"base\", \"crashes\": { \"time\": \"hhmm\" } }\n");
    char cfgpath[128];
    snprintf(cfgpath, sizeof cfgpath, "%s/project.json", dir);
    char text[512];
    snprintf(text, sizeof text,
        "{ \"crashes\": { \"crs\": \"EPSG:32642\", \"weather\": null, \"severity\": { \"map\": { \"3\": \"B\" } },\n"
        "    \"light\": \"Lighting\" },\n"
        "  \"match\": { \"tolerance_m\": 25 }, \"preset\": \"extra\", \"data_dir\": \"%s\" }\n", dir);
    write_at(dir, "project.json", text);

    struct rb_config c;
    struct rb_err err = { 0 };
    rb_config_init(&c);
    CHECK_INT(rb_config_read(&c, cfgpath, &err), RB_OK);
    CHECK_STR(c.preset, "extra");                    /* extra, which extends base */
    CHECK_STR(c.time_field, "hhmm");                 /* extra's own */
    CHECK_STR(c.date_format, "%d/%m/%Y");            /* base's, untouched */
    CHECK_STR(c.crashes_crs, "EPSG:32642");          /* the config's over base's EPSG:27700 */
    CHECK(c.weather.field == NULL);                  /* null dropped base's */
    CHECK_NEAR(c.tolerance_m, 25, 0);                /* the config's over base's 40 */
    CHECK_STR(c.severity.field, "sev");              /* a map alone keeps the preset's field */
    CHECK_INT(code_of(&c.severity, rb_severity_parse, "1"), RB_SEV_K);
    CHECK_INT(code_of(&c.severity, rb_severity_parse, "3"), RB_SEV_B);   /* the config's entry */
    CHECK_STR(c.light.field, "Lighting");            /* a field alone keeps the preset's map */
    CHECK_INT(code_of(&c.light, rb_light_parse, "4"), RB_LIGHT_DARK);
    CHECK_STR(c.config_path, cfgpath);               /* the config, not a preset, for messages */
    /* the flags over both */
    CHECK_INT(rb_config_set(&c, "crashes.severity_map", "3=A", &err), RB_OK);
    CHECK_INT(rb_config_set(&c, "match.tolerance_m", "12", &err), RB_OK);
    CHECK_INT(code_of(&c.severity, rb_severity_parse, "3"), RB_SEV_A);
    CHECK_INT(code_of(&c.severity, rb_severity_parse, "2"), RB_SEV_A);   /* base's, untouched */
    CHECK_NEAR(c.tolerance_m, 12, 0);
    rb_config_free(&c);

    /* --preset first: the config's own preset is not read over it */
    rb_config_init(&c);
    CHECK_INT(rb_config_set(&c, "data_dir", dir, &err), RB_OK);
    CHECK_INT(rb_config_set(&c, "preset", "base", &err), RB_OK);
    CHECK_INT(rb_config_read(&c, cfgpath, &err), RB_OK);
    CHECK_STR(c.preset, "base");
    CHECK(c.time_field == NULL);                     /* extra was not read */
    CHECK_STR(c.crashes_crs, "EPSG:32642");
    rb_config_free(&c);

    /* an unknown name: usage, listing the presets there */
    rb_config_init(&c);
    CHECK_INT(rb_config_set(&c, "data_dir", dir, &err), RB_OK);
    CHECK_INT(rb_config_set(&c, "preset", "stat19", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "unknown preset 'stat19'; the presets are base, extra") != NULL);
    CHECK_INT(rb_config_set(&c, "preset", "../base", &err), RB_EIO);   /* a path: read as given */
    /* a preset by its path; presets naming each other in a loop stop */
    char path[128];
    snprintf(path, sizeof path, "%s/presets/base.json", dir);
    CHECK_INT(rb_config_set(&c, "preset", path, &err), RB_OK);
    CHECK_STR(c.severity.field, "sev");
    write_at(sub, "loop_a.json", "{ \"preset\": \"loop_b\" }");
    write_at(sub, "loop_b.json", "{ \"preset\": \"loop_a\" }");
    rb_free(c.preset);
    c.preset = NULL;
    CHECK_INT(rb_config_set(&c, "preset", "loop_a", &err), RB_EUSAGE);
    CHECK(strstr(err.msg, "a loop?") != NULL);
    rb_config_free(&c);
    const char *names[] = { "presets/base.json", "presets/extra.json", "presets/loop_a.json", "presets/loop_b.json",
                            "project.json", "presets" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        remove(p);
    }
    rmdir(dir);
}

/* The shipped presets give the codes of their sources (quoted in each file's
 * $source): one row a value, looked up in the preset's map for that field. */
TEST(presets_match_their_sources)
{
    enum { SEV, TYPE, LIGHT, SURF };
    static const struct { const char *preset; int what; const char *raw; int code; } rows[] = {
        /* STATS19 (DfT Road Safety Open Data guide): collision_severity 1 Fatal, 2 Serious,
         * 3 Slight, -1 data missing (not 1); light_conditions 1 Daylight, 7 Darkness -
         * lighting unknown; road_surface_conditions 4 Frost or ice, 5 Flood over 3cm. deep */
        { "stats19", SEV, "1", RB_SEV_K }, { "stats19", SEV, "2", RB_SEV_A },
        { "stats19", SEV, "3", RB_SEV_C }, { "stats19", SEV, "-1", RB_SEV_UNKNOWN },
        { "stats19", LIGHT, "1", RB_LIGHT_DAY }, { "stats19", LIGHT, "7", RB_LIGHT_DARK },
        { "stats19", SURF, "4", RB_SURF_SNOW_ICE }, { "stats19", SURF, "5", RB_SURF_WET },
        /* Iowa DOT CSEVERITY 1 K ... 5 O, and MMUCC 5th ed.'s words from the preset it
         * extends: P5/C19 Suspected Minor Injury (B), C9 Front-to-Rear and Sideswipe,
         * Opposite Direction, C12 Dark-Not Lighted, C13 Ice/Frost */
        { "iowa", SEV, "1", RB_SEV_K }, { "iowa", SEV, "4", RB_SEV_C }, { "iowa", SEV, "5", RB_SEV_O },
        { "iowa", SEV, "Suspected Minor Injury (B)", RB_SEV_B },
        { "iowa", TYPE, "Front-to-Rear", RB_CT_REAR_END },
        { "iowa", TYPE, "Sideswipe, Opposite Direction", RB_CT_SIDESWIPE },
        { "iowa", LIGHT, "Dark-Not Lighted", RB_LIGHT_DARK }, { "iowa", SURF, "Ice/Frost", RB_SURF_SNOW_ICE },
        /* the police card: "Сумерки" (dusk), "наезд на пешехода" (hit a pedestrian) */
        { "kz_police", LIGHT, "\xd0\xa1\xd1\x83\xd0\xbc\xd0\xb5\xd1\x80\xd0\xba\xd0\xb8", RB_LIGHT_DUSK },
        { "kz_police", TYPE, "\xd0\xbd\xd0\xb0\xd0\xb5\xd0\xb7\xd0\xb4 \xd0\xbd\xd0\xb0 "
                             "\xd0\xbf\xd0\xb5\xd1\x88\xd0\xb5\xd1\x85\xd0\xbe\xd0\xb4\xd0\xb0", RB_CT_PEDESTRIAN },
    };
    struct rb_err err = { 0 };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct rb_config c;
        rb_config_init(&c);
        CHECK_INT(rb_config_set(&c, "preset", rows[i].preset, &err), RB_OK);
        const struct rb_coded_field *cf[] = { &c.severity, &c.crash_type, &c.light, &c.surface };
        int (*parse[])(const char *) = { rb_severity_parse, rb_crash_type_parse, rb_light_parse, rb_surface_parse };
        CHECK_INT(code_of(cf[rows[i].what], parse[rows[i].what], rows[i].raw), rows[i].code);
        rb_config_free(&c);
    }
    /* what else each sets: the schema's fields, CRS and date format */
    struct rb_config c;
    rb_config_init(&c);
    CHECK_INT(rb_config_set(&c, "preset", "stats19", &err), RB_OK);
    CHECK_STR(c.severity.field, "collision_severity");
    CHECK_STR(c.crashes_crs, "EPSG:27700");
    CHECK_STR(c.date_format, "%d/%m/%Y");
    rb_config_free(&c);
    rb_config_init(&c);
    CHECK_INT(rb_config_set(&c, "preset", "iowa", &err), RB_OK);
    CHECK_STR(c.preset, "iowa");
    CHECK_STR(c.severity.field, "CSEVERITY");
    CHECK(c.crash_type.field == NULL);               /* MMUCC names no columns */
    rb_config_free(&c);
    rb_config_init(&c);
    CHECK_INT(rb_config_set(&c, "preset", "kz_police", &err), RB_OK);
    CHECK_STR(c.date_format, "%d.%m.%Y");
    rb_config_free(&c);
}

/* A partition keeps some segments of the layer read: their lines, ids and
 * attributes in order, the rest gone; the extent stays the layer's. Three
 * segments by hand: s0 one part of 2 points, s1 two parts (2 + 3 points), s2
 * one part of 2; keeping s1 and s2 leaves 3 parts and 7 points. */
TEST(roads_keep_segments_in_order)
{
    struct rb_roads r = { 0 };
    r.nsegs = 3;
    r.nparts = 4;
    r.npts = 9;
    size_t part0[] = { 0, 1, 3, 4 }, pt0[] = { 0, 2, 4, 7, 9 };
    double xy[18];
    for (int i = 0; i < 18; i++)
        xy[i] = i;
    int64_t fid[] = { 10, 11, 12 };
    r.part0 = rb_mallocarray(4, sizeof *r.part0);
    r.pt0 = rb_mallocarray(5, sizeof *r.pt0);
    r.xy = rb_mallocarray(18, sizeof *r.xy);
    r.fid = rb_mallocarray(3, sizeof *r.fid);
    memcpy(r.part0, part0, sizeof part0);
    memcpy(r.pt0, pt0, sizeof pt0);
    memcpy(r.xy, xy, sizeof xy);
    memcpy(r.fid, fid, sizeof fid);
    r.extent[0] = -1;
    CHECK(!rb_table_add_col(&r.attrs, "id", RB_FT_STRING) && !rb_table_add_col(&r.attrs, "aadt", RB_FT_REAL));
    const char *ids[] = { "a", "b", "c" };
    for (size_t s = 0; s < 3; s++) {
        CHECK(!rb_table_add_row(&r.attrs) && !rb_table_set_str(&r.attrs, 0, s, ids[s]));
        r.attrs.cols[1].d[s] = 1000.0 * (double)(s + 1);
    }
    const unsigned char keep[] = { 0, 1, 1 };
    rb_roads_keep(&r, keep);
    CHECK_INT(r.nsegs, 2);
    CHECK_INT(r.nparts, 3);
    CHECK_INT(r.npts, 7);
    CHECK_INT(r.fid[0], 11);
    CHECK_INT(r.fid[1], 12);
    CHECK_INT(r.part0[0], 0);
    CHECK_INT(r.part0[1], 2);
    CHECK_INT(r.part0[2], 3);
    CHECK_INT(r.pt0[1], 2);
    CHECK_INT(r.pt0[2], 5);
    CHECK_INT(r.pt0[3], 7);
    /* s1's first point was point 2 (x = 4, y = 5); s2's last point 8 (x = 16, y = 17) */
    CHECK_NEAR(r.xy[0], 4, 0);
    CHECK_NEAR(r.xy[1], 5, 0);
    CHECK_NEAR(r.xy[12], 16, 0);
    CHECK_NEAR(r.xy[13], 17, 0);
    CHECK_INT(r.attrs.nrows, 2);
    CHECK_STR(rb_table_str(&r.attrs, 0, 0), "b");
    CHECK_STR(rb_table_str(&r.attrs, 0, 1), "c");
    CHECK_NEAR(r.attrs.cols[1].d[1], 3000, 0);
    CHECK_NEAR(r.extent[0], -1, 0);
    rb_roads_free(&r);
}

RUN_TESTS(T(roads_keep_segments_in_order), T(config_reads_sections_and_maps), T(config_errors_say_where), T(config_read_from_memory),
          T(config_trail_replayed),
          T(vocabulary_precedence),
          T(readers_survive_allocation_failure), T(casualty_rows_grouped_to_worst_severity),
          T(option_table), T(preset_config_flag_layers), T(presets_match_their_sources))
