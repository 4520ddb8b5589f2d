/* plan: catalogue, diagnosis, appraisal and the exact budget choice. */
#include "tcheck.h"
#include "plan/plan.h"

#include <stdint.h>
#include <unistd.h>

static const char *data_dir(void)
{
    return getenv("RUMBLE_DATA_DIR") ? getenv("RUMBLE_DATA_DIR") : "data";
}

static struct rb_cm cm_make(const char *id, uint32_t types, double cmf, int unit, double unit_cost,
                            double upkeep, double life)
{
    struct rb_cm cm;
    memset(&cm, 0, sizeof cm);
    snprintf(cm.id, sizeof cm.id, "%s", id);
    cm.site = RB_CM_SEGMENT;
    cm.target = (struct rb_pattern){ types, 0x1f, 0xff, 0xff, 0xff };
    cm.trigger = cm.target;
    cm.cmf = cmf;
    cm.area = -1;
    cm.divided = -1;
    cm.min_speed_kmh = cm.max_speed_kmh = cm.min_aadt = cm.max_aadt = cm.min_shoulder_m = NAN;
    cm.unit = unit;
    cm.unit_cost = unit_cost;
    cm.upkeep_per_yr = upkeep;
    cm.life_yr = life;
    return cm;
}

#define ROR (1u << RB_CT_RUN_OFF_ROAD)

TEST(shipped_catalogue)
{
    struct rb_catalogue cat;
    struct rb_err err = { 0 };
    int rc = rb_catalogue_read(data_dir(), NULL, &cat, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    CHECK_INT(rc, 0);
    CHECK(cat.n >= 18);
    /* its prices in the file it names, an example in 2024 US dollars */
    CHECK(strstr(cat.prices_path, "prices/example_usd_2024.json") != NULL);
    CHECK_STR(cat.currency, "");
    CHECK(!cat.cm[0].priced);
    CHECK_INT(rb_catalogue_price(&cat, NULL, &err), 0);
    CHECK_STR(cat.currency, "USD");
    CHECK_INT(cat.price_year, 2024);
    CHECK(cat.prices_example);
    for (size_t k = 0; k < cat.n; k++)
        CHECK(cat.cm[k].priced && cat.cm[k].life_yr >= 1);
    static const char *const ids[] = {
        "shoulder_rumble_strips", "centreline_rumble_strips", "transverse_rumble_strips",
        "audio_tactile_edge_lines", "curve_chevrons", "advance_warning_signs", "post_delineators",
        "road_lighting", "strobe_warning_lights", "intersection_flashing_beacons", "fixed_speed_cameras",
        "section_speed_cameras", "livestock_fencing", "roadside_barrier", "median_barrier",
        "high_friction_surfacing", "pedestrian_crossing_upgrade", "speed_limit_signs"
    };
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
        int i = rb_catalogue_find(&cat, ids[k]);
        CHECK(i >= 0);
        if (i < 0)
            continue;
        /* every entry carries a source and a status */
        CHECK(strlen(cat.cm[i].source) > 20);
        CHECK(!strcmp(cat.cm[i].status, "checked") || !strcmp(cat.cm[i].status, "to_verify") ||
              !strcmp(cat.cm[i].status, "unrated"));
    }
    /* the evidence of a set is its weakest entry's (doc/evidence.md: strobes have no published CMF,
     * the roadside barrier's is to be checked, chevrons' is checked) */
    int ch = rb_catalogue_find(&cat, "curve_chevrons"), rb = rb_catalogue_find(&cat, "roadside_barrier");
    int st = rb_catalogue_find(&cat, "strobe_warning_lights");
    CHECK_STR(rb_catalogue_evidence(&cat, 1ull << ch), "checked");
    CHECK_STR(rb_catalogue_evidence(&cat, 1ull << ch | 1ull << rb), "to_verify");
    CHECK_STR(rb_catalogue_evidence(&cat, 1ull << rb | 1ull << st | 1ull << ch), "unrated");
    CHECK_STR(rb_catalogue_evidence(&cat, 1ull << st | 1ull << rb), "unrated");
    CHECK(rb_cm_checked(&cat.cm[ch]) && !rb_cm_checked(&cat.cm[rb]) && !rb_cm_checked(&cat.cm[st]));
    /* values read as the file states them (Srinivasan, Baek and Council 2010: KA crashes -39%) */
    int t = rb_catalogue_find(&cat, "transverse_rumble_strips");
    CHECK_NEAR(cat.cm[t].cmf, 0.61, 1e-12);
    CHECK_INT(cat.cm[t].target.sevs, 1u << RB_SEV_K | 1u << RB_SEV_A);
    CHECK_INT(cat.cm[t].site, RB_CM_INTERSECTION);
    int s = rb_catalogue_find(&cat, "shoulder_rumble_strips");
    CHECK_INT(cat.cm[s].target.types, (1u << RB_CT_RUN_OFF_ROAD) | (1u << RB_CT_FIXED_OBJECT) | (1u << RB_CT_ROLLOVER));
    CHECK_INT(cat.cm[s].area, 0);
    CHECK_NEAR(cat.cm[s].unit_m, 300, 0);
    int l = rb_catalogue_find(&cat, "road_lighting");
    CHECK_INT(cat.cm[l].target.lights, 1u << RB_LIGHT_DARK);
    CHECK_INT(cat.cm[l].target.sevs, 0x0f);   /* KABC */
    /* the camera's zone as Hoye (2015) measured it: 100 m before, 1 km past */
    int cam = rb_catalogue_find(&cat, "fixed_speed_cameras");
    CHECK(cat.cm[cam].zone_up_m == 100 && cat.cm[cam].zone_down_m == 1000 && strstr(cat.cm[cam].zone_source, "Hoye"));
    /* Clearinghouse ratings: study 79 (shoulder strips) 4 stars, study 441 (cameras) 3; a set's
     * stars are its weakest entry's; the beacons' study (Srinivasan et al. 2008) was not rated
     * where it was read, and 4920's rating and SE belong to another treatment (doc/evidence.md) */
    int fb = rb_catalogue_find(&cat, "intersection_flashing_beacons");
    CHECK(cat.cm[fb].stars == 0 && isnan(cat.cm[fb].cmf_se));
    CHECK_INT(rb_catalogue_stars(&cat, 1ull << s), 4);
    CHECK_INT(rb_catalogue_stars(&cat, 1ull << s | 1ull << cam), 3);
    CHECK_INT(rb_catalogue_stars(&cat, 1ull << s | 1ull << fb), 0);
    /* FHWA-HRT-09-045's curve-signing package: chevrons with advance warning signs, fatal and injury
     * crashes -18%, used for the two together; advance signs belong on curves, as studied */
    int aw = rb_catalogue_find(&cat, "advance_warning_signs");
    int pk = rb_catalogue_package(&cat, 1ull << ch | 1ull << aw);
    CHECK(pk >= 0 && fabs(cat.pk[pk].cmf - 0.82) < 1e-12 && cat.pk[pk].target.sevs == 0x0f);
    CHECK_STR(rb_catalogue_evidence(&cat, 1ull << ch | 1ull << aw), "checked");
    CHECK(cat.cm[aw].curve && cat.cm[ch].curve);
}

static int read_text(const char *json, struct rb_catalogue *cat, struct rb_err *err)
{
    char path[] = "/tmp/rb_cat_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(json, f);
    fclose(f);
    int rc = rb_catalogue_read(NULL, path, cat, err);
    unlink(path);
    return rc;
}

/* An agency's prices replace the catalogue's: currency, year and each
 * entry's price; an entry the file does not price is not priced (not
 * offered); an id the catalogue lacks, or a price without a life, is an
 * error naming the file and the id. */
TEST(prices_file)
{
    struct rb_catalogue cat;
    struct rb_err err = { 0 };
    const char *json = "{\"currency\":\"USD\",\"price_year\":2020,\"countermeasures\":["
                       "{\"id\":\"a\",\"targets\":{},\"cmf\":0.8,\"cost\":{\"unit\":\"km\",\"unit_cost\":1000,\"life_yr\":10},"
                       "\"layout\":{\"rule\":\"strip\"}},"
                       "{\"id\":\"b\",\"targets\":{},\"cmf\":0.9,\"cost\":{\"unit\":\"item\",\"unit_cost\":50,\"life_yr\":5},"
                       "\"layout\":{\"rule\":\"strip\"}}]}";
    CHECK_INT(read_text(json, &cat, &err), 0);
    CHECK(cat.cm[0].priced && cat.cm[1].priced && cat.prices_path[0] == 0);
    CHECK_INT(rb_catalogue_price(&cat, NULL, &err), 0);      /* none named, none given: its own */
    CHECK_STR(cat.currency, "USD");
    char path[] = "/tmp/rb_prices_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("{\"$comment\":\"KazAvtoZhol 2025\",\"currency\":\"KZT\",\"price_year\":2025,"
          "\"prices\":{\"a\":{\"unit_cost\":2100000,\"upkeep_per_yr\":15000,\"life_yr\":12}}}", f);
    fclose(f);
    CHECK_INT(rb_catalogue_price(&cat, path, &err), 0);
    CHECK_STR(cat.currency, "KZT");
    CHECK_INT(cat.price_year, 2025);
    CHECK_STR(cat.prices_comment, "KazAvtoZhol 2025");
    CHECK(!cat.prices_example);
    CHECK(cat.cm[0].priced && cat.cm[0].unit_cost == 2100000 && cat.cm[0].upkeep_per_yr == 15000 &&
          cat.cm[0].life_yr == 12);
    CHECK(!cat.cm[1].priced);                                  /* b has no price in it */
    f = fopen(path, "w");
    fputs("{\"currency\":\"KZT\",\"prices\":{\"zz\":{\"unit_cost\":1,\"life_yr\":1}}}", f);
    fclose(f);
    CHECK(rb_catalogue_price(&cat, path, &err) != 0);
    CHECK(strstr(err.msg, "prices 'zz', which the catalogue does not have") != NULL);
    f = fopen(path, "w");
    fputs("{\"currency\":\"KZT\",\"prices\":{\"a\":{\"unit_cost\":1}}}", f);
    fclose(f);
    CHECK(rb_catalogue_price(&cat, path, &err) != 0);
    CHECK(strstr(err.msg, "countermeasure 'a': its price needs unit_cost >= 0") != NULL && strstr(err.msg, path));
    unlink(path);
}

TEST(catalogue_errors_name_the_entry)
{
    struct rb_catalogue cat;
    struct rb_err err = { 0 };
    const char *head = "{\"currency\":\"KZT\",\"countermeasures\":[";
    const char *ok = "{\"id\":\"a_b\",\"targets\":{\"crash_types\":[\"animal\"]},\"cmf\":0.5,"
                     "\"cost\":{\"unit\":\"km\",\"unit_cost\":1,\"life_yr\":10},\"layout\":{\"rule\":\"strip\"}}";
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s]}", head, ok);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK_INT(cat.n, 1);
    CHECK_STR(cat.currency, "KZT");
    snprintf(buf, sizeof buf, "%s%s,%s]}", head, ok, ok);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "'a_b' appears twice") != NULL);
    snprintf(buf, sizeof buf, "%s{\"id\":\"x\",\"targets\":{\"crash_types\":[\"cow\"]},\"cmf\":0.5}]}", head);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "countermeasure 'x': unknown crash type 'cow'") != NULL);
    snprintf(buf, sizeof buf, "%s{\"id\":\"Bad Id\"}]}", head);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "snake_case") != NULL);
    snprintf(buf, sizeof buf, "%s{\"id\":\"x\",\"targets\":{},\"cmf\":0}]}", head);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "'cmf' must be a number above 0") != NULL);
    snprintf(buf, sizeof buf, "{\"countermeasures\":[%s]}", ok);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "needs 'currency'") != NULL);
    /* the evidence is one of three words; without one, the figure is to be checked */
    snprintf(buf, sizeof buf, "%s{\"id\":\"x\",\"status\":\"proven\",\"targets\":{},\"cmf\":0.5}]}", head);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "countermeasure 'x': 'status' must be checked, to_verify or unrated") != NULL);
    snprintf(buf, sizeof buf, "%s%s]}", head, ok);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK_STR(cat.cm[0].status, "to_verify");
    /* stars are the Clearinghouse's 1-5 (0: not rated), a standard error not negative */
    static const char *const badq[] = { "\"stars\":6", "\"stars\":2.5", "\"stars\":-1", "\"cmf_se\":-0.1" };
    for (size_t k = 0; k < sizeof badq / sizeof *badq; k++) {
        snprintf(buf, sizeof buf, "%s{\"id\":\"q\",%s,\"targets\":{},\"cmf\":0.5}]}", head, badq[k]);
        CHECK(read_text(buf, &cat, &err) != 0);
        CHECK(strstr(err.msg, "countermeasure 'q': 'stars' is the CMF Clearinghouse's rating") != NULL);
    }
    /* a point device must say over what stretch its CMF was measured, and where that comes from */
    const char *pt = "{\"id\":\"cam\",\"targets\":{},\"cmf\":0.8,"
                     "\"cost\":{\"unit\":\"item\",\"unit_cost\":1,\"life_yr\":10},\"layout\":{\"rule\":\"point\"%s}}";
    const char *zones[] = { "", ",\"zone\":{\"radius_m\":50}", ",\"zone\":{\"upstream_m\":-1,\"downstream_m\":9,\"source\":\"s\"}",
                            ",\"zone\":{\"radius_m\":50,\"source\":\"s\"},\"at\":\"kerb\"" };
    for (size_t k = 0; k < sizeof zones / sizeof *zones; k++) {
        char e[512];
        snprintf(e, sizeof e, pt, zones[k]);
        snprintf(buf, sizeof buf, "%s%s]}", head, e);
        CHECK(read_text(buf, &cat, &err) != 0);
        CHECK(strstr(err.msg, "countermeasure 'cam': a point device needs 'layout.zone'") != NULL);
    }
    char e[512];
    snprintf(e, sizeof e, pt, ",\"zone\":{\"upstream_m\":100,\"downstream_m\":1000,\"source\":\"Hoye 2015\"}");
    snprintf(buf, sizeof buf, "%s%s]}", head, e);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK(cat.cm[0].zone_up_m == 100 && cat.cm[0].zone_down_m == 1000 && !cat.cm[0].at_junction);
    CHECK_STR(cat.cm[0].zone_source, "Hoye 2015");
    snprintf(e, sizeof e, pt, ",\"zone\":{\"radius_m\":76.2,\"source\":\"HSM\"},\"at\":\"junction\"");
    snprintf(buf, sizeof buf, "%s%s]}", head, e);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK(cat.cm[0].zone_up_m == 76.2 && cat.cm[0].zone_down_m == 76.2 && cat.cm[0].at_junction);
    /* weather in a pattern: the named ones; none named, every weather (7 codes) */
    snprintf(buf, sizeof buf, "%s{\"id\":\"w\",\"targets\":{\"crash_types\":\"all\",\"weather\":[\"fog\",\"rain\"]},"
             "\"cmf\":0.5,\"cost\":{\"unit\":\"km\",\"unit_cost\":1,\"life_yr\":10},\"layout\":{\"rule\":\"strip\"}}]}", head);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK_INT(cat.cm[0].target.weathers, 1u << RB_WX_FOG | 1u << RB_WX_RAIN);
    CHECK_INT(cat.cm[0].trigger.weathers, 1u << RB_WX_FOG | 1u << RB_WX_RAIN);   /* the trigger is the target */
    struct rb_plan_crash fog = { RB_CT_ANGLE, RB_SEV_C, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_FOG, 0, NAN };
    struct rb_plan_crash clear = fog;
    clear.weather = RB_WX_CLEAR;
    CHECK(rb_pattern_has(&cat.cm[0].target, &fog) && !rb_pattern_has(&cat.cm[0].target, &clear));
    snprintf(buf, sizeof buf, "%s%s]}", head, ok);
    CHECK_INT(read_text(buf, &cat, &err), 0);
    CHECK_INT(cat.cm[0].target.weathers, 0x7f);
    snprintf(buf, sizeof buf, "%s{\"id\":\"w\",\"targets\":{\"weather\":[\"hail\"]},\"cmf\":0.5}]}", head);
    CHECK(read_text(buf, &cat, &err) != 0);
    CHECK(strstr(err.msg, "countermeasure 'w': unknown weather 'hail'") != NULL);
    /* a source too long for the plan is refused, not cut short */
    char longsrc[1100];
    memset(longsrc, 'a', sizeof longsrc - 1);
    longsrc[sizeof longsrc - 1] = 0;
    char big[4096];
    snprintf(big, sizeof big, "%s{\"id\":\"l\",\"source\":\"%s\",\"targets\":{},\"cmf\":0.5}]}", head, longsrc);
    CHECK(read_text(big, &cat, &err) != 0);
    CHECK(strstr(err.msg, "countermeasure 'l': 'source' is longer than 1023 bytes") != NULL);
}

TEST(annuity_by_hand)
{
    /* (1 - 1.04^-10) / 0.04: 1.04^10 = 1.4802443, 1/that = 0.6755642, (1 - 0.6755642)/0.04 = 8.110896 */
    CHECK_NEAR(rb_pv_annuity(0.04, 10), 8.110896, 1e-6);
    CHECK_NEAR(rb_pv_annuity(0.04, 5), 4.451822, 1e-6);
    CHECK_NEAR(rb_pv_annuity(0, 7), 7, 0);
}

TEST(quantities_by_layout)
{
    struct rb_cm strip = cm_make("s", ROR, 0.87, RB_CM_PER_KM, 4000, 0, 10);
    strip.layout = RB_LAYOUT_STRIP;
    strip.unit_m = 300;
    CHECK_NEAR(rb_cm_quantity(&strip, 700, 0), 0.9, 1e-12);     /* three 300 m units cover 700 m */
    CHECK_NEAR(rb_cm_quantity(&strip, 600, 0), 0.6, 1e-12);     /* exactly two */
    strip.unit_m = 0;
    CHECK_NEAR(rb_cm_quantity(&strip, 700, 0), 0.7, 1e-12);
    struct rb_cm spaced = cm_make("d", ROR, 0.9, RB_CM_PER_ITEM, 40, 0, 8);
    spaced.layout = RB_LAYOUT_SPACED;
    spaced.spacing_m = 50;
    spaced.per_direction = 1;
    CHECK_NEAR(rb_cm_quantity(&spaced, 420, 0), 18, 0);         /* posts at 0, 50, ..., 400: 9 a side */
    struct rb_cm signs = cm_make("w", ROR, 0.9, RB_CM_PER_ITEM, 800, 0, 10);
    signs.layout = RB_LAYOUT_SIGNS;
    signs.per_direction = 1;
    CHECK_NEAR(rb_cm_quantity(&signs, 1000, 0), 2, 0);
    struct rb_cm chev = cm_make("c", ROR, 0.84, RB_CM_PER_ITEM, 350, 0, 10);
    chev.layout = RB_LAYOUT_CURVE;
    chev.spacing_m = 40;
    chev.per_direction = 1;
    CHECK_NEAR(rb_cm_quantity(&chev, 1000, 130), 8, 0);         /* 0, 40, 80, 120: 4 a side */
    CHECK_NEAR(rb_cm_quantity(&chev, 1000, 30), 6, 0);          /* never fewer than 3 a side */
    struct rb_cm site = cm_make("b", ROR, 0.75, RB_CM_PER_SITE, 15000, 0, 10);
    CHECK_NEAR(rb_cm_quantity(&site, 1234, 0), 1, 0);
}

TEST(conditions)
{
    struct rb_cm cm = cm_make("s", ROR, 0.87, RB_CM_PER_KM, 4000, 0, 10);
    cm.area = 0;
    cm.min_speed_kmh = 80;
    cm.max_lanes = 2;
    struct rb_plan_road r = { .area = 0, .speed_kmh = 90, .aadt = 5000, .shoulder_m = NAN, .lanes = 2,
                              .divided = -1, .curve = -1 };
    int unk = 9;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 1);
    CHECK_INT(unk, 0);
    cm.min_shoulder_m = 1.5;                /* a shoulder: unknown passes and says so, too narrow fails */
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 1);
    CHECK_INT(unk, 1);
    r.shoulder_m = 1.0;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.shoulder_m = 2.5;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 1);
    CHECK_INT(unk, 0);
    r.speed_kmh = 60;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.speed_kmh = NAN;                      /* unknown passes, and says so */
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 1);
    CHECK_INT(unk, 1);
    r.speed_kmh = 90;
    r.area = 1;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.area = 0;
    r.lanes = 4;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.lanes = 2;
    r.is_intersection = 1;                  /* a segment measure at an intersection */
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.is_intersection = 0;
    cm.curve = 1;                           /* curves must be known */
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 0);
    r.curve = 1;
    CHECK_INT(rb_cm_applies(&cm, &r, &unk), 1);
}

TEST(binomial_tail_against_r)
{
    /* R: pbinom(x - 1, n, p, lower.tail = FALSE) */
    CHECK_NEAR(rb_binom_upper(5, 10, 0.2), 0.0327934976, 1e-10);
    CHECK_NEAR(rb_binom_upper(6, 20, 0.1), 0.0112531341645, 1e-12);
    CHECK_NEAR(rb_binom_upper(1, 50, 0.3), 0.999999982015, 1e-11);
    CHECK_NEAR(rb_binom_upper(30, 40, 0.5), 0.00111071688661, 1e-13);
    CHECK_NEAR(rb_binom_upper(0, 10, 0.2), 1, 0);
    CHECK_NEAR(rb_binom_upper(3, 10, 0), 0, 0);
}

TEST(diagnosis_by_hand)
{
    /* site: 10 crashes, 5 run-off-road; reference: 100 crashes, 20 run-off-road.
     * share 0.5 against 0.2; P(X >= 5 | 10, 0.2) = 0.0327935 (R, above). A
     * casualty-less unknown-severity crash counts in neither. */
    struct rb_plan_crash site[11], ref[100];
    for (int i = 0; i < 10; i++)
        site[i] = (struct rb_plan_crash){ i < 5 ? RB_CT_RUN_OFF_ROAD : RB_CT_ANGLE, RB_SEV_B, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    site[10] = (struct rb_plan_crash){ RB_CT_RUN_OFF_ROAD, RB_SEV_UNKNOWN, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    for (int i = 0; i < 100; i++)
        ref[i] = (struct rb_plan_crash){ i < 20 ? RB_CT_RUN_OFF_ROAD : RB_CT_REAR_END, RB_SEV_O, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    struct rb_pattern pat = { ROR, 0x1f, 0xff, 0xff, 0xff };
    struct rb_diag d;
    rb_diagnose(&pat, site, 11, ref, 100, &d);
    CHECK_INT(d.n_site, 10);
    CHECK_INT(d.x_site, 5);
    CHECK_INT(d.x_ref, 20);
    CHECK_NEAR(d.share, 0.5, 0);
    CHECK_NEAR(d.ref_share, 0.2, 0);
    CHECK_NEAR(d.p_value, 0.0327934976, 1e-10);
    /* a pattern on light: none of the site's crashes in the dark */
    pat.lights = 1u << RB_LIGHT_DARK;
    rb_diagnose(&pat, site, 11, ref, 100, &d);
    CHECK_INT(d.x_site, 0);
    CHECK_NEAR(d.p_value, 1, 0);
}

TEST(appraisal_by_hand)
{
    /* A 700 m site, EB expected 2.0 crashes a year, four crashes recorded:
     * run-off-road A, B and O, and an angle C. Each stands for 2.0 / 4 = 0.5 a year.
     * Shoulder strips (CMF 0.87 on run-off-road), 4,000 a km in 300 m units:
     * 0.9 km, 3,600; no upkeep; 10 years at 4%.
     *   avoided a year: 3 x 0.5 x 0.13 = 0.195 (0.065 each of A, B, O)
     *   money a year: 0.065 x (216,600 + 79,000 + 7,400) = 0.065 x 303,000 = 19,695
     *   PV: 19,695 x 8.110896 = 159,744.1; BCR 159,744.1 / 3,600 = 44.373
     *   KSI avoided 0.065 a year, 0.65 over life: 3,600 / 0.65 = 5,538.46 per KSI */
    struct rb_plan_crash c[4] = {
        { RB_CT_RUN_OFF_ROAD, RB_SEV_A, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN },
        { RB_CT_RUN_OFF_ROAD, RB_SEV_B, RB_LIGHT_DARK, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN },
        { RB_CT_RUN_OFF_ROAD, RB_SEV_O, RB_LIGHT_DAY, RB_SURF_WET, RB_WX_CLEAR, 0, NAN },
        { RB_CT_ANGLE, RB_SEV_C, RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN },
    };
    struct rb_econ e = { 0.04, { 4008900, 216600, 79000, 44900, 7400 }, 0, 0 };
    struct rb_cm strips = cm_make("shoulder_rumble_strips", ROR, 0.87, RB_CM_PER_KM, 4000, 0, 10);
    strips.unit_m = 300;
    const struct rb_cm *one[1] = { &strips };
    double q1[1] = { rb_cm_quantity(&strips, 700, 0) };
    struct rb_appraisal a;
    rb_appraise(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.avoided_per_yr, 0.195, 1e-12);
    CHECK_NEAR(a.avoided_sev_per_yr[RB_SEV_A], 0.065, 1e-12);
    CHECK_NEAR(a.avoided_sev_per_yr[RB_SEV_C], 0, 0);
    CHECK_NEAR(a.target_per_yr, 1.5, 1e-12);
    CHECK_NEAR(a.cmf, 0.87, 1e-12);
    CHECK_NEAR(a.benefit_per_yr, 19695, 1e-6);
    /* the discounted crashes avoided by severity, priced, are the PV benefit:
     * A 0.065 a year over 10 years at 4 % is 0.065 x 8.110896 = 0.527208 */
    CHECK_NEAR(a.pv_avoided_sev[RB_SEV_A], 0.065 * rb_pv_annuity(0.04, 10), 1e-12);
    CHECK_NEAR(a.pv_avoided_sev[RB_SEV_A] * e.cost_per_crash[RB_SEV_A] + a.pv_avoided_sev[RB_SEV_B] * e.cost_per_crash[RB_SEV_B] +
               a.pv_avoided_sev[RB_SEV_O] * e.cost_per_crash[RB_SEV_O], a.pv_benefit, 1e-6);
    CHECK_NEAR(a.pv_benefit, 19695 * 8.110896, 0.05);
    CHECK_NEAR(a.pv_cost, 3600, 1e-9);
    CHECK_NEAR(a.bcr, 19695 * 8.110896 / 3600, 1e-4);
    CHECK_NEAR(a.npv, 19695 * 8.110896 - 3600, 0.05);
    CHECK_NEAR(a.cost_per_ksi, 3600 / 0.65, 1e-6);
    /* no standard error: no range */
    strips.cmf_se = NAN;
    rb_appraise_range(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    CHECK(isnan(a.avoided_low_per_yr) && isnan(a.bcr_high));
    /* SE 0.05: the 95 % interval 0.87 ± 1.96 x 0.05 = [0.772, 0.968].
     *   low:  3 x 0.5 x 0.032 = 0.048 a year; BCR 0.016 x 303,000 x 8.110896 / 3,600 = 10.9230
     *   high: 3 x 0.5 x 0.228 = 0.342 a year; BCR 0.114 x 303,000 x 8.110896 / 3,600 = 77.8241 */
    strips.cmf_se = 0.05;
    rb_appraise(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    rb_appraise_range(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.avoided_per_yr, 0.195, 1e-12);
    CHECK_NEAR(a.avoided_low_per_yr, 0.048, 1e-12);
    CHECK_NEAR(a.avoided_high_per_yr, 0.342, 1e-12);
    CHECK_NEAR(a.bcr_low, 0.016 * 303000 * 8.110896 / 3600, 1e-4);
    CHECK_NEAR(a.bcr_high, 0.114 * 303000 * 8.110896 / 3600, 1e-4);
    /* an SE so wide the interval reaches below 0: the CMF stops at 0, every target crash avoided */
    strips.cmf_se = 0.5;
    rb_appraise_range(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.avoided_high_per_yr, 1.5, 1e-12);
    strips.cmf_se = NAN;

    /* With a second measure on the same crashes: CMF 0.8, 1,000 a site,
     * upkeep 100 a year, 5 years. Years 1-5: 0.87 x 0.8 = 0.696, money a year
     * 0.5 x 0.304 x 303,000 = 46,056; years 6-10 the strips alone, 19,695.
     *   PV = 46,056 x a(5) + 19,695 x (a(10) - a(5)), a(5) = 4.451822, a(10) = 8.110896
     *      = 205,031.9 + 72,066.7 = 277,098.6
     *   cost = 3,600 + 1,000 + 100 x 4.451822 = 5,045.18 */
    struct rb_cm second = cm_make("other", ROR, 0.8, RB_CM_PER_SITE, 1000, 100, 5);
    const struct rb_cm *two[2] = { &strips, &second };
    double q2[2] = { q1[0], 1 };
    rb_appraise(two, q2, NULL, 2, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.cmf, 0.696, 1e-12);
    CHECK_NEAR(a.benefit_per_yr, 46056, 1e-6);
    CHECK_NEAR(a.pv_benefit, 46056 * 4.451822 + 19695 * (8.110896 - 4.451822), 0.05);
    CHECK_NEAR(a.pv_cost, 4600 + 100 * 4.451822, 1e-4);
    CHECK_NEAR(a.install_cost, 4600, 1e-9);
    CHECK_NEAR(a.life_yr, 10, 0);
    /* Over a common analysis period of 12 years: each renewed at the end of
     * its life, its unexpired part counted back at year 12 (straight line),
     * d(t) = 1.04^-t: d(5) = 0.821927, d(10) = 0.675564, d(12) = 0.624597,
     * a(12) = 9.385074.
     *   strips (life 10): 3,600 (1 + d(10)) - 3,600 x 8/10 x d(12) = 4,233.19
     *   other (life 5):   1,000 (1 + d(5) + d(10)) + 100 a(12) - 1,000 x 3/5 x d(12) = 3,061.24
     *   PV cost 7,294.43; both act every year: 46,056 a(12) = 432,238.96 */
    e.period_yr = 12;
    rb_appraise(two, q2, NULL, 2, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.pv_cost, 7294.431927, 1e-5);
    CHECK_NEAR(a.pv_benefit, 432238.957114, 1e-5);
    CHECK_NEAR(a.install_cost, 4600, 1e-9);
    CHECK_NEAR(a.period_yr, 12, 0);
    CHECK_NEAR(a.life_yr, 10, 0);
    /* a period the lives divide: no residual (strips twice in 20 years: 3,600 (1 + d(10))) */
    e.period_yr = 20;
    rb_appraise(one, q1, NULL, 1, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.pv_cost, 3600 * (1 + 0.675564169), 1e-5);
    e.period_yr = 0;
    /* the documented alternative: only the most effective where effects overlap */
    e.best_only = 1;
    rb_appraise(two, q2, NULL, 2, c, 4, 2.0, &e, &a);
    CHECK_NEAR(a.cmf, 0.8, 1e-12);
    CHECK_NEAR(a.benefit_per_yr, 0.5 * 0.2 * 303000, 1e-6);
    /* no crashes: nothing avoided, the cost remains */
    rb_appraise(one, q1, NULL, 1, c, 0, 0, &e, &a);
    CHECK_NEAR(a.pv_benefit, 0, 0);
    CHECK_NEAR(a.npv, -3600, 1e-9);
}

/* A package (HSM Part D): entries a (CMF 0.8 on run-off-road, checked, 1,000 a
 * km) and b (0.9, to_verify, 500 a km) measured together as package ab, CMF
 * 0.7 on every KABC crash, checked. A 1,000 m site, 2.0 crashes a year
 * expected over its four crashes (run-off-road B, B, B and an angle C: 0.5 a
 * year each); the reference 10 run-off-road B and 90 rear-end O.
 * - a alone: 3 x 0.5 x 0.2 = 0.3 a year;
 * - b alone is not checked: left out (unrated 1) by default;
 * - the package, though b is not checked: its own evidence; its CMF on all
 *   four: 4 x 0.5 x 0.3 = 0.6 a year, target 2.0, cost 1,000 + 500 = 1,500,
 *   not a and b multiplied (3 x 0.5 x 0.28 = 0.42 on three);
 * - with unrated entries allowed: a, b (0.15) and the package, and no bundle
 *   a+b besides it. */
TEST(package_cmf_instead_of_members_multiplied)
{
    struct rb_catalogue cat;
    struct rb_err err = { 0 };
    const char *json =
        "{\"currency\":\"KZT\",\"countermeasures\":["
        "{\"id\":\"a\",\"status\":\"checked\",\"targets\":{\"crash_types\":[\"run_off_road\"]},\"cmf\":0.8,"
        "\"cost\":{\"unit\":\"km\",\"unit_cost\":1000,\"life_yr\":10},\"layout\":{\"rule\":\"strip\"}},"
        "{\"id\":\"b\",\"status\":\"to_verify\",\"targets\":{\"crash_types\":[\"run_off_road\"]},\"cmf\":0.9,"
        "\"cost\":{\"unit\":\"km\",\"unit_cost\":500,\"life_yr\":10},\"layout\":{\"rule\":\"strip\"}}],"
        "\"packages\":[{\"id\":\"ab\",\"of\":[\"a\",\"b\"],\"status\":\"checked\",\"source\":\"a study of both\","
        "\"targets\":{\"crash_types\":\"all\",\"severities\":\"KABC\"},\"cmf\":0.7}]}";
    CHECK_INT(read_text(json, &cat, &err), 0);
    CHECK_INT(cat.npk, 1);
    CHECK_INT(rb_catalogue_package(&cat, 3), 0);
    CHECK_INT(rb_catalogue_package(&cat, 1), -1);
    CHECK_STR(rb_catalogue_evidence(&cat, 3), "checked");   /* the package's, not b's */
    CHECK_STR(rb_catalogue_evidence(&cat, 2), "to_verify");
    struct rb_plan_crash c[4], ref[100];
    for (int i = 0; i < 4; i++)
        c[i] = (struct rb_plan_crash){ i < 3 ? RB_CT_RUN_OFF_ROAD : RB_CT_ANGLE, i < 3 ? RB_SEV_B : RB_SEV_C,
                                       RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    for (int i = 0; i < 100; i++)
        ref[i] = (struct rb_plan_crash){ i < 10 ? RB_CT_RUN_OFF_ROAD : RB_CT_REAR_END, i < 10 ? RB_SEV_B : RB_SEV_O,
                                         RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    struct rb_plan_ref rc = { 0 };
    CHECK_INT(rb_plan_ref_counts(&cat, ref, 100, 1, &rc, &err), 0);
    struct rb_plan_site site = { 0 };
    site.from_m = 0;
    site.to_m = 1000;
    site.road = (struct rb_plan_road){ 0, -1, NAN, NAN, NAN, 0, -1, -1 };
    site.expected_per_yr = 2.0;
    site.nc = 4;
    site.junction = -1;
    struct rb_plan_opt opt = { 0.05, 2, { 0.04, { 4008900, 216600, 79000, 44900, 7400 }, 0, 0 }, RB_OBJ_NPV, NULL, 0 };
    for (int allow = 0; allow < 2; allow++) {
        struct rb_plan plan = { 0 };
        opt.allow_unrated = allow;
        CHECK_INT(rb_plan_site_alternatives(&cat, &site, 0, c, &rc, &opt, &plan, &err), 0);
        CHECK_INT(plan.n, allow ? 3 : 2);
        CHECK_INT(plan.unrated, allow ? 0 : 1);
        int seen_ab = 0;
        for (size_t i = 0; i < plan.n; i++) {
            const struct rb_appraisal *a = &plan.alt[i].a;
            if (plan.alt[i].cms == 1) {
                CHECK_NEAR(a->avoided_per_yr, 0.3, 1e-12);
            } else if (plan.alt[i].cms == 2) {
                CHECK_NEAR(a->avoided_per_yr, 0.15, 1e-12);
            } else if (plan.alt[i].cms == 3) {
                seen_ab++;
                CHECK_NEAR(a->avoided_per_yr, 0.6, 1e-12);
                CHECK_NEAR(a->target_per_yr, 2.0, 1e-12);
                CHECK_NEAR(a->cmf, 0.7, 1e-12);
                CHECK_NEAR(a->install_cost, 1500, 1e-9);
            }
        }
        CHECK_INT(seen_ab, 1);
        rb_plan_free(&plan);
    }
    rb_plan_ref_free(&rc);
    /* errors name the package */
    const char *bad[] = { "{\"id\":\"ab\",\"of\":[\"a\"],\"cmf\":0.7,\"targets\":{}}",
                          "{\"id\":\"ab\",\"of\":[\"a\",\"zz\"],\"cmf\":0.7,\"targets\":{}}",
                          "{\"id\":\"a\",\"of\":[\"a\",\"b\"],\"cmf\":0.7,\"targets\":{}}" };
    const char *want[] = { "package 'ab' needs 'of'", "package 'ab': 'zz' is not a countermeasure",
                           "package 1 needs an 'id' in snake_case, not a countermeasure's" };
    for (int k = 0; k < 3; k++) {
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s%s]}", (int)(strstr(json, "{\"id\":\"ab\"") - json), json, bad[k]);
        CHECK(read_text(buf, &cat, &err) != 0);
        CHECK(strstr(err.msg, want[k]) != NULL);
    }
}

/* ---- the budget choice against brute force ---- */

static double brute(const struct rb_mckp *p, double budget, long *best_choice)
{
    size_t G = p->ngroups;
    long choice[16];
    double best = 0;
    for (size_t g = 0; g < G; g++)
        choice[g] = best_choice[g] = -1;
    int64_t budget_c = (int64_t)floor(budget * 100 + 1e-6);
    for (;;) {
        int64_t c = 0;
        double v = 0;
        for (size_t g = 0; g < G; g++)
            if (choice[g] >= 0) {
                c += llround(p->cost[choice[g]] * 100);
                v += p->value[choice[g]];
            }
        if (c <= budget_c && v > best + 1e-9) {
            best = v;
            memcpy(best_choice, choice, G * sizeof *choice);
        }
        size_t g = 0;
        while (g < G) {   /* next combination: odometer over none, first .. last */
            if (choice[g] < 0)
                choice[g] = (long)p->first[g];
            else
                choice[g]++;
            if ((size_t)choice[g] < p->first[g + 1])
                break;
            choice[g] = -1;
            g++;
        }
        if (g == G)
            break;
    }
    return best;
}

TEST(greedy_loses_exact_does_not)
{
    /* Budget 100. Site 1: A costs 10, worth 30 (ratio 3) or A' costs 100, worth
     * 200 (ratio 2). Site 2: B costs 95, worth 150 (1.58). Greedy by ratio takes A
     * (30) then cannot afford B or A': 30. Best: A' alone, 200. */
    size_t first[] = { 0, 2, 3 };
    double cost[] = { 10, 100, 95 }, value[] = { 30, 200, 150 };
    struct rb_mckp p = { 2, first, cost, value };
    long ch[2], gch[2];
    struct rb_mckp_result r, g;
    struct rb_err err = { 0 };
    CHECK_INT(rb_mckp_solve(&p, 100, ch, &r, &err), 0);
    CHECK_INT(rb_mckp_greedy(&p, 100, gch, &g, &err), 0);
    CHECK_NEAR(r.value, 200, 0);
    CHECK_INT(ch[0], 1);
    CHECK_INT(ch[1], -1);
    CHECK_NEAR(g.value, 30, 0);
    CHECK_INT(gch[0], 0);
    CHECK(r.lp_bound >= r.value);
    /* nothing fits: nothing chosen */
    CHECK_INT(rb_mckp_solve(&p, 5, ch, &r, &err), 0);
    CHECK_NEAR(r.value, 0, 0);
    CHECK_INT(ch[0], -1);
}

TEST(exact_equals_brute_force)
{
    uint64_t seed = 20261121;
    int agree = 0, trials = 400, greedy_worse = 0, searched = 0;
    double lost = 0;
    for (int t = 0; t < trials; t++) {
        size_t G = 1 + (size_t)(rb_rand01(&seed) * 6);     /* 1..6 sites */
        size_t first[8], n = 0;
        double cost[64], value[64];
        for (size_t g = 0; g < G; g++) {
            first[g] = n;
            size_t k = 1 + (size_t)(rb_rand01(&seed) * 4);  /* 1..4 alternatives */
            for (size_t j = 0; j < k; j++, n++) {
                /* whole money, sometimes equal costs or values, some not worth it */
                cost[n] = floor(1 + rb_rand01(&seed) * 50) * (t % 3 == 0 ? 1000 : 1);
                value[n] = floor(rb_rand01(&seed) * 80) - 10;
                if (t % 5 == 0)
                    value[n] = cost[n] * (t % 3 == 0 ? 0.002 : 2) + (j % 2);   /* near-ties of ratio */
            }
        }
        first[G] = n;
        double total = 0;
        for (size_t i = 0; i < n; i++)
            total += cost[i];
        double budget = floor(rb_rand01(&seed) * total * 0.6);
        struct rb_mckp p = { G, first, cost, value };
        long ch[8], bch[8], gch[8];
        struct rb_mckp_result r, g;
        struct rb_err err = { 0 };
        rb_mckp_solve(&p, budget, ch, &r, &err);
        rb_mckp_greedy(&p, budget, gch, &g, &err);
        double b = brute(&p, budget, bch);
        /* the choice is feasible, worth what it says, and worth the brute-force best */
        double v = 0, c = 0;
        for (size_t k = 0; k < G; k++)
            if (ch[k] >= 0) {
                v += value[ch[k]];
                c += cost[ch[k]];
            }
        int ok = fabs(v - b) <= 1e-9 * fmax(1, b) && fabs(r.value - v) <= 1e-9 * fmax(1, v) && c <= budget + 1e-9 &&
                 r.lp_bound >= b - 1e-9 && g.value <= b + 1e-9;
        if (!ok)
            fprintf(stderr, "trial %d: exact %g brute %g cost %g budget %g\n", t, v, b, c, budget);
        agree += ok;
        searched += r.core > 0;
        greedy_worse += g.value < b - 1e-9;
        lost += b - g.value;
    }
    CHECK_INT(agree, trials);
    /* greedy is not exact on these: it loses somewhere (printed for the README) */
    CHECK(greedy_worse > 0);
    /* and the search past the LP rounding ran, not only the starting choice */
    CHECK(searched > trials / 4);
    printf("exact = brute force on %d random instances (%d needed the search); greedy fell short on %d, "
           "losing %.0f in all\n", trials, searched, greedy_worse, lost);
}

/* The HSM's incremental benefit-cost ranking, worked by hand:
 * P0 (B 300, C 100, BCR 3), P1 (500, 250, 2), P2 (540, 300, 1.8), P3 (80, 100, 0.8: out).
 * By cost: P0, P1, P2. Round 1: P0 v P1, (500-300)/(250-100) = 1.33 > 1, P1;
 * P1 v P2, 40/50 = 0.8, P1 stays: P1 first. Round 2: P0 v P2, 240/200 = 1.2:
 * P2 second. P0 third; P3 unranked. Ranking by BCR alone would put P0 first. */
TEST(incremental_benefit_cost_by_hand)
{
    double b[] = { 300, 500, 540, 80 }, c[] = { 100, 250, 300, 100 };
    int rank[4];
    CHECK_INT(rb_incremental_rank(b, c, 4, rank), RB_OK);
    CHECK_INT(rank[0], 3);
    CHECK_INT(rank[1], 1);
    CHECK_INT(rank[2], 2);
    CHECK_INT(rank[3], 0);
    /* equal cost: the larger benefit wins; BCR exactly 1 is not ranked */
    double b2[] = { 400, 500, 100 }, c2[] = { 250, 250, 100 };
    CHECK_INT(rb_incremental_rank(b2, c2, 3, rank), RB_OK);
    CHECK_INT(rank[1], 1);
    CHECK_INT(rank[0], 2);
    CHECK_INT(rank[2], 0);
    /* against a brute-force reading of the rule on random projects: the first
     * ranked is the one no other beats pairwise along the cost order */
    uint64_t x = 12345;
    int errors = 0;
    for (int t = 0; t < 200; t++) {
        double bb[8], cc[8];
        int rk[8];
        for (int i = 0; i < 8; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            cc[i] = 10 + (double)(x >> 40) / (1 << 24) * 90;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            bb[i] = cc[i] * (0.5 + (double)(x >> 40) / (1 << 24) * 3);
        }
        rb_incremental_rank(bb, cc, 8, rk);
        /* every ranked project has BCR > 1, ranks are 1..m once each */
        int seen[9] = { 0 };
        for (int i = 0; i < 8; i++) {
            if (bb[i] / cc[i] > 1) {
                if (rk[i] < 1 || rk[i] > 8 || seen[rk[i]]++)
                    errors++;
            } else if (rk[i]) {
                errors++;
            }
        }
        /* the first: walk the cost order by hand */
        int ord[8], n = 0;
        for (int i = 0; i < 8; i++)
            if (bb[i] / cc[i] > 1)
                ord[n++] = i;
        for (int a = 0; a < n; a++)
            for (int q = a + 1; q < n; q++)
                if (cc[ord[q]] < cc[ord[a]]) {
                    int tmp = ord[a];
                    ord[a] = ord[q];
                    ord[q] = tmp;
                }
        int w = n ? ord[0] : -1;
        for (int a = 1; a < n; a++)
            if ((bb[ord[a]] - bb[w]) / (cc[ord[a]] - cc[w]) > 1)
                w = ord[a];
        if (n && rk[w] != 1)
            errors++;
    }
    CHECK_INT(errors, 0);
}

/* brute force over several years: every (item, year) or nothing per group */
static double years_brute(const struct rb_mckp *p, const double *budget, size_t ny, double rate, int carry)
{
    size_t G = p->ngroups, pick[8] = { 0 };
    double best = 0;
    for (;;) {
        double spent[RB_MCKP_MAX_YEARS] = { 0 }, v = 0;
        for (size_t g = 0; g < G; g++) {
            if (!pick[g])
                continue;
            size_t k = pick[g] - 1, i = p->first[g] + k / ny, t = k % ny;
            spent[t] += round(p->cost[i] * 100);
            v += p->value[i] * pow(1 + rate, -(double)t);
        }
        int ok = 1;
        double cs = 0, cb = 0;
        for (size_t t = 0; t < ny && ok; t++) {
            cs = carry ? cs + spent[t] : spent[t];
            cb = carry ? cb + round(budget[t] * 100) : round(budget[t] * 100);
            ok = cs <= cb;
        }
        if (ok && v > best)
            best = v;
        size_t g = 0;
        while (g < G && ++pick[g] > (p->first[g + 1] - p->first[g]) * ny)
            pick[g++] = 0;
        if (g == G)
            break;
    }
    return best;
}

TEST(several_years_exact_equals_brute_force)
{
    uint64_t x = 99;
    int bad = 0, better_than_greedy = 0;
    for (int t = 0; t < 300; t++) {
        size_t G = 5, first[6], n = 0;
        double cost[20], value[20];
        for (size_t g = 0; g < G; g++) {
            first[g] = n;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            size_t k = 1 + (x >> 40) % 3;
            for (size_t i = 0; i < k; i++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                cost[n] = 10 + (double)((x >> 33) % 90);
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                value[n] = cost[n] * (0.5 + (double)((x >> 33) % 300) / 100.0);
                n++;
            }
        }
        first[G] = n;
        size_t ny = 2 + (size_t)(t % 2);
        int carry = (t / 2) % 2;
        double budget[3] = { 60 + t % 50, 50 + t % 37, 40 + t % 23 };
        struct rb_mckp p = { G, first, cost, value };
        long choice[5];
        int year[5];
        struct rb_mckp_result r, gr;
        struct rb_err err;
        if (rb_mckp_solve_years(&p, budget, ny, 0.04, carry, choice, year, &r, &gr, &err)) {
            bad++;
            continue;
        }
        double want = years_brute(&p, budget, ny, 0.04, carry);
        /* the choice is what it says, and fits */
        double v = 0, spent[3] = { 0 };
        for (size_t g = 0; g < G; g++)
            if (choice[g] >= 0) {
                if (year[g] < 1 || year[g] > (int)ny || choice[g] < (long)first[g] || choice[g] >= (long)first[g + 1])
                    bad++;
                else {
                    v += value[choice[g]] * pow(1.04, -(double)(year[g] - 1));
                    spent[year[g] - 1] += cost[choice[g]];
                }
            }
        double cs = 0, cb = 0;
        for (size_t y = 0; y < ny; y++) {
            cs = carry ? cs + spent[y] : spent[y];
            cb = carry ? cb + budget[y] : budget[y];
            bad += cs > cb + 1e-9;
        }
        bad += fabs(v - want) > 1e-6 * fmax(1, want) || fabs(r.value - want) > 1e-6 * fmax(1, want);
        better_than_greedy += r.value > gr.value + 1e-9;
    }
    CHECK_INT(bad, 0);
    CHECK(better_than_greedy > 0);   /* instances where the search mattered */
    printf("several years: exact = brute force on 300 instances (2-3 years, with and without carry); "
           "greedy fell short on %d\n", better_than_greedy);
}

/* Fatal and serious crashes priced at one cost, their network mix
 * (plan.severity_costs). Reference: 1 K, 3 A, 2 B, 4 O and 1 of unknown
 * severity (left out). KA: (4,008,900 + 3 x 216,600) / 4 = 1,164,675;
 * KAB: (4,658,700 + 2 x 79,000) / 6 = 802,783.33; C and O keep theirs.
 * Then the NPV with each severity's own cost from the discounted crashes
 * avoided by severity: alternative 0 avoids 0.5 K and 1 O over its life
 * (4,008,900 x 0.5 + 7,400 = 2,011,850, less 100,000: 1,911,850); 1 avoids
 * 4 A (866,400 - 50,000 = 816,400): 0 ranks first by that, 1 second. */
TEST(severity_costs_combined_by_hand)
{
    struct rb_plan_crash ref[11];
    int sev[11] = { RB_SEV_K, RB_SEV_A, RB_SEV_A, RB_SEV_A, RB_SEV_B, RB_SEV_B, RB_SEV_O, RB_SEV_O, RB_SEV_O,
                    RB_SEV_O, RB_SEV_UNKNOWN };
    for (int i = 0; i < 11; i++)
        ref[i] = (struct rb_plan_crash){ RB_CT_ANGLE, (uint8_t)sev[i], RB_LIGHT_DAY, RB_SURF_DRY, RB_WX_CLEAR, 0, NAN };
    const double base[5] = { 4008900, 216600, 79000, 44900, 7400 };
    double c[5];
    memcpy(c, base, sizeof c);
    CHECK_NEAR(rb_plan_combine_costs(0, ref, 11, c), 1164675, 1e-6);
    CHECK(c[0] == 1164675 && c[1] == 1164675 && c[2] == 79000 && c[3] == 44900 && c[4] == 7400);
    memcpy(c, base, sizeof c);
    CHECK_NEAR(rb_plan_combine_costs(1, ref, 11, c), 4816700.0 / 6, 1e-6);
    CHECK(c[0] == c[2] && c[1] == c[2] && c[3] == 44900);
    memcpy(c, base, sizeof c);
    CHECK(isnan(rb_plan_combine_costs(2, ref, 11, c)) && c[0] == 4008900 && c[1] == 216600);
    CHECK(isnan(rb_plan_combine_costs(0, ref + 6, 5, c)) && c[0] == 4008900);   /* no K or A: as they were */
    struct rb_plan_alt alt[2];
    memset(alt, 0, sizeof alt);
    alt[0].a.pv_avoided_sev[RB_SEV_K] = 0.5;
    alt[0].a.pv_avoided_sev[RB_SEV_O] = 1;
    alt[0].a.pv_cost = 100000;
    alt[1].a.pv_avoided_sev[RB_SEV_A] = 4;
    alt[1].a.pv_cost = 50000;
    struct rb_plan plan = { .alt = alt, .n = 2 };
    struct rb_err err;
    CHECK_INT(rb_plan_rank_kabco(&plan, base, &err), RB_OK);
    CHECK_NEAR(alt[0].npv_kabco, 1911850, 1e-6);
    CHECK_NEAR(alt[1].npv_kabco, 816400, 1e-6);
    CHECK(alt[0].rank_kabco == 1 && alt[1].rank_kabco == 2);
}

RUN_TESTS(T(shipped_catalogue), T(prices_file), T(package_cmf_instead_of_members_multiplied), T(severity_costs_combined_by_hand), T(catalogue_errors_name_the_entry), T(annuity_by_hand), T(quantities_by_layout),
          T(conditions), T(binomial_tail_against_r), T(diagnosis_by_hand), T(appraisal_by_hand),
          T(greedy_loses_exact_does_not), T(exact_equals_brute_force),
          T(incremental_benefit_cost_by_hand), T(several_years_exact_equals_brute_force))
