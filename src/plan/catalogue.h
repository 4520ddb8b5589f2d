/* plan/catalogue: the countermeasures a plan chooses from (data/countermeasures.json):
 * each with the crash pattern that calls for it, the crashes its CMF acts on,
 * where it applies, its cost and how a work order lays it out. Read with cJSON
 * (plan/catalogue.c); no GDAL here. */
#ifndef RB_PLAN_CATALOGUE_H
#define RB_PLAN_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"

#define RB_CM_MAX 64
#define RB_CM_MAX_EXCLUDES 8
enum rb_cm_site { RB_CM_SEGMENT = 1, RB_CM_INTERSECTION = 2 };
enum rb_cm_unit { RB_CM_PER_KM, RB_CM_PER_SITE, RB_CM_PER_ITEM };
/* how a work order lays it out along the route */
enum rb_cm_layout {
    RB_LAYOUT_STRIP,     /* a line in whole units (rumble strips, barriers, fencing, lighting runs) */
    RB_LAYOUT_SIGNS,     /* one sign per direction at the advance distance */
    RB_LAYOUT_CURVE,     /* chevrons along the curve at a spacing by radius */
    RB_LAYOUT_SPACED,    /* points at a fixed spacing along the stretch (delineators, lights) */
    RB_LAYOUT_POINT,     /* one device at the site's centre (beacon, camera, crossing) */
    RB_LAYOUT_SECTION    /* a device at each end of the stretch (section speed cameras) */
};

struct rb_cm {
    char id[48];               /* stable snake_case id that outputs carry */
    char name[96];
    char source[1024];         /* the published source of the CMF */
    char status[16];           /* the CMF's evidence: "checked" against its published source,
                                  "to_verify" (a source, the figure not checked) or "unrated"
                                  (no published CMF: a placeholder) */
    int site;                  /* RB_CM_SEGMENT | RB_CM_INTERSECTION */
    struct rb_pattern {        /* a set of crashes: type, severity, light, surface and weather all in their sets */
        uint32_t types;        /* bit (1 << enum rb_crash_type) */
        uint8_t sevs;          /* bit (1 << enum rb_severity), K..O */
        uint8_t lights;        /* bit (1 << enum rb_light) */
        uint8_t surfaces;      /* bit (1 << enum rb_surface) */
        uint8_t weathers;      /* bit (1 << enum rb_weather) */
    } trigger, target;         /* the pattern that calls for it; the crashes its CMF applies to */
    double cmf, cmf_se;        /* cmf_se NaN when not published */
    int stars;                 /* the CMF Clearinghouse's quality rating, 1-5; 0 not rated there */
    /* where it applies: area -1 any, 0 rural, 1 urban; NaN / 0 bounds: none */
    int area;
    double min_speed_kmh, max_speed_kmh, min_aadt, max_aadt;
    int min_lanes, max_lanes;
    double min_shoulder_m;     /* paved shoulder width it needs (NaN: none) */
    int curve;                 /* 1: only on curves */
    int present_lit;           /* present_where "lit": already there where the roads' lighting flag says lit */
    int divided;               /* -1 any, 0 undivided only, 1 divided only */
    /* cost: unit_cost per unit (km of road, site or item), upkeep per year;
     * priced 0: no price for it (in the prices file in use): not offered */
    int unit, priced;
    double unit_cost, upkeep_per_yr, life_yr;
    int layout;
    double unit_m;             /* strips: laid in whole units of this length */
    double spacing_m;          /* spaced devices */
    int per_direction;         /* signs and devices: one for each direction */
    int gaps;                  /* strips: stop short of junctions, bridges, settlements (default 1) */
    /* point devices: the zone of influence its CMF was measured over, for the
     * traffic a device faces: zone_up_m before it and zone_down_m past it
     * (the same both ways for a device facing both directions), with the source */
    double zone_up_m, zone_down_m;
    char zone_source[400];
    int at_junction;           /* point devices: at the junction nearest the site's middle (else where
                                  its zone holds the most of its target crashes) */
    size_t nexcludes;          /* countermeasures it cannot be combined with */
    char excludes[RB_CM_MAX_EXCLUDES][48];
};

/* A package: entries installed together whose joint effect was measured as
 * one (HSM Part D: a package's CMF is used rather than its members'
 * multiplied). Its members are laid out and paid for as themselves; on the
 * crashes of its target the package's CMF acts instead of theirs, where
 * every member acts (the smallest of their zone shares), for as long as
 * every member is in service. Members of a package are not multiplied
 * together. */
#define RB_PK_MAX 8
struct rb_cm_package {
    char id[48];
    char name[96];
    uint64_t members;          /* bit k: catalogue entry k (two or more) */
    struct rb_pattern trigger, target;
    double cmf, cmf_se;        /* cmf_se NaN when not published */
    int stars;
    char source[1024];
    char status[16];           /* as an entry's: checked, to_verify, unrated */
};

struct rb_catalogue {
    char currency[16];
    int price_year;
    char comment[256];
    char prices_path[512];     /* the prices file the catalogue names, then the one in use ("" inline) */
    char prices_comment[320];  /* the prices file's $comment: whose prices they are */
    int prices_example;        /* the prices file says its prices are an example ("example": true) */
    size_t n;
    struct rb_cm cm[RB_CM_MAX];
    size_t npk;
    struct rb_cm_package pk[RB_PK_MAX];
};

/* Reads a catalogue: path, or data_dir/countermeasures.json when path is NULL.
 * Every entry is checked (ids unique and snake_case, 0 < cmf, known crash
 * types, severities, lights, surfaces, units and layouts), errors naming the
 * file and the entry. */
int rb_catalogue_read(const char *data_dir, const char *path, struct rb_catalogue *cat, struct rb_err *err);
/* Prices the catalogue from a prices file: path, else the one the catalogue
 * names (none: its own prices stand). The file gives its currency, its
 * price_year and, by countermeasure id, unit_cost, upkeep_per_yr and life_yr;
 * an id the catalogue lacks is an error, an entry the file does not price is
 * not priced (rb_cm.priced 0: not offered). */
int rb_catalogue_price(struct rb_catalogue *cat, const char *path, struct rb_err *err);
/* The package whose members are exactly cms, or -1. */
int rb_catalogue_package(const struct rb_catalogue *cat, uint64_t cms);
/* The weakest star rating among the entries in cms (0 when one has none); a
 * package's own when cms are its members. */
int rb_catalogue_stars(const struct rb_catalogue *cat, uint64_t cms);
/* Index of the entry with this id, or -1. */
int rb_catalogue_find(const struct rb_catalogue *cat, const char *id);
/* Whether the entry's CMF is checked against its published source: only such
 * entries are chosen unless the plan allows the others (plan.allow_unrated). */
int rb_cm_checked(const struct rb_cm *cm);
/* The weakest evidence among the entries in cms (bit k: entry k): "checked",
 * "to_verify" or "unrated"; a package's own when cms are its members. */
const char *rb_catalogue_evidence(const struct rb_catalogue *cat, uint64_t cms);

#endif
