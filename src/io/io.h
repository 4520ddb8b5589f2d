/* io: the only code that talks to GDAL (and to the disk for data files). Reads
 * the JSON config and the domain data (cJSON), the road and crash layers
 * (OGR), chooses the metric working CRS and transforms into it (OSR), and
 * writes output layers atomically. */
#ifndef RB_IO_H
#define RB_IO_H

#include <stdint.h>
#include "core/core.h"
#include "core/table.h"

/* ---- configuration -------------------------------------------------------- */

/* A mapped value list: user value (as written, and normalised) → canonical code. */
struct rb_valmap {
    size_t n;
    char **from;      /* normalised with rb_key_normalise */
    int *to;          /* severity / crash type / light code */
};

/* A crash attribute that maps onto the vocabulary: a field, and optionally a value map. */
struct rb_coded_field {
    char *field;
    struct rb_valmap map;
};

struct rb_config {
    /* roads */
    char *roads_path, *roads_layer, *roads_crs;
    char *road_id, *road_route, *road_name, *road_aadt, *road_speed, *road_lanes, *road_area;
    char *road_shoulder, *road_bridge, *road_divided;   /* shoulder width (m), bridge and divided flags */
    char *road_lit;            /* lighting flag field (yes/no): coverage, systemic risk, no new lighting where lit */
    char *road_tunnel, *road_layer;   /* tunnel flag, grade level (OSM's layer: 1 above, -1 below) */
    char *settle_path, *settle_layer;   /* settlement polygons (crash concentration's urban limit) */
    char *road_aadt_year;      /* AADT field by year: a name with {year}, e.g. "aadt_{year}" */
    /* crashes */
    char *crashes_path, *crashes_layer, *crashes_crs, *encoding;
    char *crashes_where;       /* an OGR SQL filter on the crash rows (-where) */
    char *accept;              /* finding codes the user accepts, a comma list */
    char *units;               /* posts in the outputs: "metric" (NULL) or "us" */
    char *output_crs;          /* outputs in this CRS, not the roads' (-t_srs) */
    char *x_field, *y_field, *id_field, *date_field, *date_format, *time_field;
    char *group_by, *road_field;
    char *direction_field;     /* direction of travel (degrees, N/NE/..., NB/SB, С/Ю...) */
    char *measure_field;       /* linear referencing: the crash's measure along its road (km, "123+450") */
    char *measure_unit;        /* "km" (default), "mi" or "m" */
    char *markers_path, *markers_layer, *markers_route, *markers_value;   /* km posts */
    double lr_check_m;         /* coordinates and measure further apart than this are flagged (250) */
    char *overrides_path;      /* the analyst's fixes: crash_id → segment_id (CSV) */
    char *osm_highways;        /* OpenStreetMap: highway values read as roads (comma list; NULL: the default) */
    struct rb_coded_field severity, crash_type, light, surface, weather, vehicle;
    struct rb_coded_field street_lit;   /* street lighting at the crash, yes, no or unknown (STATS19's light codes) */
    /* match */
    double tolerance_m;        /* nearest road must lie within this (default 30) */
    double ambiguous_margin_m; /* another road within best + margin is a doubt (default 5) */
    double grade_margin_m;     /* ... or within best + this one at another grade (default 15) */
    double junction_radius_m;  /* match within this of a node of degree >= 3 (default 20) */
    double node_snap_m;        /* segment ends closer than this meet at one node (default 0.5) */
    /* study period; 0 = from the data */
    int year_from, year_to;
    /* EPDO weights K A B C O; NaN = from the crash cost table */
    double epdo_weight[5];
    char *rank_by;             /* segments' ranking measure (NULL: epdo_per_yr) */
    /* screening */
    double window_m, step_m;   /* sliding windows (300, 100) */
    char *spf;                 /* SPF id in data/spf, or a path; NULL: none */
    double calibration;        /* multiplies the SPF (NaN: the file's) */
    double confidence;         /* critical rate confidence level (0.95) */
    double ccs_max_len_m, ccs_max_len_urban_m;   /* crash concentration stretch (1000, 200) */
    int ccs_days, ccs_same_type, ccs_any_type;   /* 365, 3, 5 */
    char *target_type;         /* crash type for the proportion measures; NULL: none */
    double peak_cv;            /* peak searching's coefficient-of-variation limit (0.25) */
    char *hotspot_rules;       /* comma list of rules that make hotspots (NULL: all) */
    int hotspot_top;           /* sites each ranking rule flags (20) */
    char *sections_by;         /* road fields whose equal values merge segments into sections */
    char *population_by;       /* road fields whose values split the reference populations */
    double crp_window_m;       /* continuous risk profile's moving average (NaN: the window) */
    int crp_min_crashes;       /* crashes a profile run needs to be a hotspot (2) */
    /* intersections: network nodes of degree >= 3, or a point layer */
    char *int_path, *int_layer, *int_id, *int_major, *int_minor;
    char *int_legs, *int_control;  /* a point layer's legs and traffic control fields (control: stop, signal) */
    char *int_major_lanes;     /* a point layer's field: the major road's lanes (both directions) */
    char *int_area;            /* a point layer's field: urban or rural, as roads.area */
    char *int_spf;             /* intersection SPF (or set of them) in data/spf or a file; NULL: none */
    char *spf_fields;          /* SPF variables from road fields: "var=FIELD, ..." (screen.spf_fields) */
    char *int_spf_fields;      /* ... from the intersections layer's fields (intersections.spf_fields) */
    double int_radius_m;       /* crashes this close belong to the intersection (76.2 = 250 ft) */
    char *entering;            /* entering volume of a node: "half" the legs' AADT sum, or "sum" */
    /* plan */
    char *catalogue;           /* countermeasure catalogue path; NULL: data/countermeasures.json */
    double budget;             /* money for building, in the catalogue's currency (NaN: none given) */
    char *systemic;            /* a countermeasure rolled out systemically on the roads at risk (NULL: none) */
    char *assets_path, *assets_layer;   /* existing assets: points or lines (NULL: none) */
    char *assets_crs;          /* their CRS when the source declares none */
    char *assets_cm, *assets_dir, *assets_id;   /* their fields: countermeasure id, bearing of the traffic a device
                                                   faces, id */
    double systemic_budget;    /* money for it (NaN: every segment above the average risk) */
    char *budgets;             /* several yearly budgets, "800000,600000,600000" (NULL: one budget) */
    char *carry_over;          /* "yes": money a year leaves unspent goes to the next */
    char *allow_unrated;       /* "yes": entries whose CMF is not checked may be chosen */
    char *price_index;         /* "YEAR=INDEX,...": brings crash costs to the prices' year */
    double discount_rate;      /* a year (0.04) */
    double analysis_period_yr; /* alternatives compared over this many years (20; 0: each over its longest life) */
    char *objective;           /* "npv" (default) or "crashes" */
    double alpha;              /* diagnosis: over-represented at p <= alpha (0.05) */
    int min_pattern;           /* ... with at least this many crashes (2) */
    char *combine;             /* "multiply" (default) or "best" */
    char *plan_rank_by;        /* the plan layer's rank: "npv" (default), "bcr" or "crashes" */
    char *severity_costs;      /* "ka" (default): K and A crashes at one combined cost, "kab", or "kabco" */
    double curve_radius_m;     /* a curve: radius below this (600) */
    /* work orders */
    char *placement;           /* placement tables path; NULL: data/placement.json */
    double gap_junction_m;     /* strips stop this far either side of a junction (NaN: the tables') */
    double gap_bridge_m;       /* ... of a bridge deck */
    double gap_settlement_m;   /* ... of a settlement (dwellings: noise) */
    double default_speed_kmh;  /* approach speed where the road has none (NaN: the tables') */
    char *drive_side;          /* "right" (default) or "left": where signs stand */
    double device_offset_m;    /* points drawn this far off the centreline, on their side (NaN: the tables') */
    char *data_dir;            /* where vocabulary.json and crash_costs.json live */
    char *crash_costs;         /* the crash costs file (NULL: data_dir's crash_costs.json) */
    char *prices;              /* the countermeasures' prices (NULL: the one the catalogue names) */
    char *config_path;         /* for messages */
    char *preset;              /* the crash schema preset read first, as named ("stats19" or a path) */
    /* what set it, in order, as given: each rb_config_set's key and value
     * (value NULL: unset) and each config text read (key "@config", the
     * text); a screening saves it so that a plan from it uses the same */
    char **trail;              /* key, value, key, value, ... */
    size_t ntrail, captrail;   /* pairs */
};

/* The data directory (vocabulary.json, crash_costs.json, spf/, locale/ ...):
 * data_dir when given and not empty, else $RUMBLE_DATA_DIR when set and not
 * empty, else the source tree's data/ built in when it exists, else
 * share/rumble beside the installed program (<bindir>/../share/rumble). */
const char *rb_data_dir(const char *data_dir);
/* rb_data_dir(data_dir)/name into out. */
void rb_data_path(const char *data_dir, const char *name, char *out, size_t outsz);

/* The option table: one row per setting. The config file's keys, the command
 * line's flags, --help and the checks of allowed values all come from it. */
enum rb_key_type {
    RB_KEY_STR,          /* text (a field name, a path, a word) */
    RB_KEY_NUM,          /* a number of 0 or more */
    RB_KEY_YEAR,         /* a year */
    RB_KEY_COUNT,        /* a whole number from 1 */
    RB_KEY_FIELD_MAP,    /* a coded field: its column (the map in JSON under "map") */
    RB_KEY_MAP_VALUES,   /* the same field's values onto codes: "1=K,2=A,3=C" */
    RB_KEY_WEIGHTS,      /* EPDO weights: "K=542,A=29.3,..." */
    RB_KEY_PRESET        /* a crash schema preset: read as a config file, there and then */
};
struct rb_config_key {
    const char *key;              /* "match.tolerance_m" */
    enum rb_key_type type;
    size_t off;                   /* of the field in struct rb_config */
    int (*canonical)(const char *);   /* coded fields: the code parser */
    const char *flag;             /* the long option ("tolerance"), NULL: config file only */
    const char *arg;              /* the flag's argument ("M") */
    const char *dflt;             /* the default: a number's is set by rb_config_init; words say
                                   * what the code takes when unset. NULL: none */
    const char *choices;          /* the values allowed, "a|b|c" (numbers compared as numbers); NULL: any */
    const char *help;
};
const struct rb_config_key *rb_config_keys(size_t *n);
/* The row of a key, NULL when there is none. */
const struct rb_config_key *rb_config_key(const char *key);
/* The position of value among key's choices (0 the first), -1 when it is not
 * one of them (or value is NULL). */
int rb_config_choice(const char *key, const char *value);
/* "a, b or c" from "a|b|c". */
void rb_config_choices_text(const char *choices, char *out, size_t n);

/* Fills cfg with the table's defaults. */
void rb_config_init(struct rb_config *cfg);
/* Reads a JSON config file into cfg (over what is set). Unknown keys are errors:
 * a typo in a version-controlled config must not pass silently. Its "data_dir"
 * and "preset" are applied before its other keys, so the file extends the
 * preset; the preset is skipped when one was read already (--preset wins). A
 * key set to null is unset (a preset's field dropped). */
int rb_config_read(struct rb_config *cfg, const char *path, struct rb_err *err);
/* Reads the crash schema preset name into cfg, through rb_config_read's own
 * reader: a path to a JSON file (it has a '/' or ends in .json), else
 * data_dir/presets/NAME.json (cfg->data_dir as set so far). A preset may name
 * another preset (iowa extends mmucc). An unknown name is RB_EUSAGE listing
 * the presets there. Sets cfg->preset. rb_config_set(cfg, "preset", name) is
 * the same. */
int rb_config_preset(struct rb_config *cfg, const char *name, struct rb_err *err);
/* The presets in data_dir/presets, as "a, b, c" (sorted) into out. */
void rb_config_presets(const char *data_dir, char *out, size_t n);
/* The same from JSON text in memory (len bytes, no NUL needed); name stands for
 * the file in messages and in cfg->config_path. */
int rb_config_read_text(struct rb_config *cfg, const char *text, size_t len, const char *name,
                        struct rb_err *err);
/* Sets one option by its dotted key, as the config file and the command line
 * both do: "crashes.x", "match.tolerance_m", "crashes.severity" (the field),
 * "crashes.severity_map" ("1=K,2=A,3=C"). */
int rb_config_set(struct rb_config *cfg, const char *key, const char *value, struct rb_err *err);
/* Applies a trail saved from another config (cfg->trail's pairs, npairs of
 * them): config texts read again, settings set again, in order; name (the
 * file it was saved in) names it in messages. */
int rb_config_replay(struct rb_config *cfg, const char *const *trail, size_t npairs, const char *name,
                     struct rb_err *err);
void rb_config_free(struct rb_config *cfg);

/* ---- domain data ---------------------------------------------------------- */

struct rb_vocab {
    struct rb_valmap severity, crash_type, light, surface, weather, vehicle;   /* synonyms → codes */
    struct rb_valmap area;                          /* road area words → 1 urban, 0 rural */
    struct rb_valmap flag;                          /* yes/no words → 1, 0 (bridge, divided) */
};

struct rb_costs {
    char currency[16];
    int year;
    double cost[5];        /* K A B C O per crash */
    char source[256];
};

int rb_vocab_read(const char *data_dir, struct rb_vocab *v, struct rb_err *err);
void rb_vocab_free(struct rb_vocab *v);
/* Reads the crash costs: path, or data_dir's crash_costs.json when path is NULL. */
int rb_costs_read(const char *data_dir, const char *path, struct rb_costs *c, struct rb_err *err);
/* Looks a raw value up: the field's own map, then canonical names, then the
 * synonyms. Returns the code, or -1 when the value is in none of them. */
int rb_vocab_code(const struct rb_valmap *field_map, const struct rb_valmap *synonyms,
                  int (*canonical)(const char *), const char *raw);
/* "urban" 1, "rural" 0, else -1: the canonical road areas. */
int rb_area_parse(const char *key);
/* "yes" 1, "no" 0, else -1: the canonical flag values. */
int rb_flag_parse(const char *key);
/* Street lighting at a crash: "yes" 1, "no" 2, "unknown" 0; -1 none of them. */
int rb_street_lit_parse(const char *key);

/* A domain data file parsed (cJSON_Delete it): path when given, else
 * data_dir/name (written into buf; data_dir NULL: $RUMBLE_DATA_DIR, else the
 * installed data); *used is the file read, for messages. NULL with err set,
 * naming the line and column where the JSON broke. The countermeasure
 * catalogue (plan/catalogue.h), the placement tables (plan/placement.h) and
 * the SPF files (screen/spf.h) are read through it by their own modules. */
struct cJSON;
struct cJSON *rb_data_json(const char *data_dir, const char *name, const char *path, char *buf, size_t bufsz,
                           const char **used, struct rb_err *err);

/* ---- roads ---------------------------------------------------------------- */

/* Road polylines as read, in the working CRS (metres). Segment i has parts
 * [part0[i], part0[i+1]); part p has points [pt0[p], pt0[p+1]). */
struct rb_roads {
    size_t nsegs, nparts, npts;
    size_t *part0;        /* nsegs + 1 */
    size_t *pt0;          /* nparts + 1 */
    double *xy;           /* 2 * npts, working CRS */
    int64_t *fid;         /* per segment: the source's feature id (default segment id) */
    struct rb_table attrs;    /* the source's fields, row i = segment i */
    /* mapped fields as columns of attrs, -1 when not mapped */
    long col_id, col_route, col_name, col_aadt, col_speed, col_lanes, col_area;
    long col_shoulder, col_bridge, col_divided, col_tunnel, col_layer, col_lit;
    char *src_srs_wkt;    /* the roads' CRS (outputs are written in it) */
    char *work_srs_wkt;   /* the metric working CRS */
    int work_is_src;      /* 1 when no transform is needed */
    char src_crs_name[64];    /* "EPSG:27700", or the CRS's name */
    char work_crs_name[64];
    double extent[4];     /* working CRS */
    char *path;           /* for messages */
};

/* 1 when path is OpenStreetMap (.osm, .osm.pbf): read through GDAL's OSM
 * driver with data/osmconf.ini, its "lines" layer filtered to roads
 * (osm.highways) and each way split where it shares a node with another. */
int rb_io_is_osm(const char *path);
/* The highway values read as roads by default. */
extern const char rb_osm_highways[];
int rb_io_read_roads(const struct rb_config *cfg, struct rb_roads *roads,
                     const struct rb_progress *prog, struct rb_log *log, struct rb_err *err);
void rb_roads_free(struct rb_roads *roads);
/* Splits every part at the interior vertices it shares (same coordinates)
 * with another segment, each piece a segment of its own with the way's
 * attributes and its id suffixed ":1", ":2", ... (OpenStreetMap ways cross at
 * shared nodes, not at their ends). */
int rb_roads_split_shared(struct rb_roads *roads);
/* Keeps the segments whose keep[] is nonzero, in order, with their lines and
 * attributes; the extent stays the whole layer's (crash coordinates are
 * judged against it, the same in every partition of a layer). */
void rb_roads_keep(struct rb_roads *roads, const unsigned char *keep);

/* Polygons (settlements) in the working CRS: polygon i has rings [ring0[i],
 * ring0[i+1]) (the outer ring, then holes), ring r has points [pt0[r], pt0[r+1]). */
struct rb_polys {
    size_t npolys, nrings, npts;
    size_t *ring0, *pt0;
    double *xy;
};
/* Reads a polygon layer (what names it in messages) into the working CRS
 * given as WKT. A layer with no polygons is an error. */
int rb_io_read_polys(const char *path, const char *layer, const char *what, const char *work_srs_wkt,
                     struct rb_polys *p, struct rb_err *err);
void rb_polys_free(struct rb_polys *p);

/* A point layer (an intersection inventory) in the working CRS, with its
 * fields: row i of attrs is point i. */
struct rb_points {
    size_t n;
    double *xy;           /* 2 * n, working CRS */
    int64_t *fid;         /* the source's feature ids */
    struct rb_table attrs;
    char *path;
};
/* Reads a point layer (what names it in messages) into the working CRS given
 * as WKT. A feature that is not a point (nor a multipoint, whose first point is
 * taken) is left out with a warning; a layer with no points is an error. */
int rb_io_read_points(const char *path, const char *layer, const char *what, const char *work_srs_wkt,
                      struct rb_points *p, struct rb_log *log, struct rb_err *err);
void rb_points_free(struct rb_points *p);
/* An empty road set for a run without roads: no segments, and the CRSs chosen
 * from the layer at path as they would be from roads (its own CRS for output,
 * a metric working CRS), so crashes and other layers can be read against it. */
int rb_io_roads_none(const char *path, const char *layer, const char *what, struct rb_roads *r,
                     struct rb_err *err);

/* ---- crashes -------------------------------------------------------------- */

/* Why a crash's coordinates cannot be used (RB_XY_OK when they can). */
enum rb_xy_status {
    RB_XY_OK,
    RB_XY_MISSING,       /* no coordinates in the record */
    RB_XY_INVALID,       /* not a number, NaN or infinite */
    RB_XY_ZERO,          /* 0,0: a default value, not a place */
    RB_XY_OUT_OF_RANGE,  /* outside the valid range of the CRS */
    RB_XY_SWAPPED,       /* x and y (lon and lat) exchanged */
    RB_XY_TRANSFORM,     /* could not be transformed to the working CRS */
    RB_NXY
};
const char *rb_xy_status_name(int s);

struct rb_crash {
    size_t id;              /* pool offset of the crash id */
    int64_t row;            /* its first record: spreadsheet row (header = 1) for tables, else FID */
    uint32_t nrecords;      /* rows grouped into it (casualties) */
    uint8_t xy_status;      /* enum rb_xy_status */
    uint8_t severity;       /* enum rb_severity, the worst of its records */
    uint8_t crash_type;     /* enum rb_crash_type */
    uint8_t light;          /* enum rb_light */
    uint8_t street_lit;     /* street lighting as the police recorded it: 1 lit, 2 none or not lit, 0 not known */
    uint8_t surface;        /* enum rb_surface */
    uint8_t weather;        /* enum rb_weather */
    uint16_t vehicles;      /* the vehicles its records name, a bit for each enum rb_vehicle (0: none named) */
    uint8_t dup_id;         /* another crash has the same id */
    uint8_t date_bad;       /* a date was given but did not parse */
    int16_t time_min;       /* minutes after midnight, -1 unknown */
    int32_t date_days;      /* days since 1970-01-01, RB_NODATE unknown */
    double x, y;            /* working CRS (valid when xy_status is RB_XY_OK) */
    double src_x, src_y;    /* as read, in the crashes' CRS (NaN when none) */
    double out_x, out_y;    /* in the roads' CRS, for output (NaN when none) */
    size_t road;            /* pool offset of the road number/name in the record */
    double measure_m;       /* its measure along that road, metres (NaN: none) */
    double dir_deg;         /* direction of travel, compass degrees (NaN: none) */
};

/* An input row that is not a crash record: set aside, never lost. */
struct rb_rejected {
    int64_t row;            /* as rb_crash.row numbers rows */
    const char *reason;     /* a static text */
    size_t text;            /* pool offset of the row's first field, as read (cut at 200 bytes) */
};

struct rb_crashes {
    size_t n, cap;
    struct rb_crash *c;
    struct rb_rejected *rej;    /* rows set aside, in file order */
    size_t nrej, caprej;
    struct rb_pool str;
    struct rb_table attrs;  /* the source's fields, row i = crash i */
    size_t nrecords;        /* input rows read: the crashes' records plus the rejected rows */
    int is_table;           /* a CSV/XLSX/ODS table: rows are counted with the header as row 1 */
    char *path;
    char *srs_wkt;          /* the crashes' CRS, as declared or assumed */
    char crs_name[64];      /* "EPSG:4326", or the CRS's name */
    int geographic;         /* the crashes' CRS is longitude/latitude */
};

/* Reads the crash layer, groups casualty rows, maps the vocabulary, transforms
 * to the roads' working CRS. Rows it can keep are kept, with what is wrong
 * recorded; only what makes the whole file unusable is an error. */
int rb_io_read_crashes(const struct rb_config *cfg, const struct rb_vocab *vocab,
                       const struct rb_roads *roads, struct rb_crashes *crashes,
                       const struct rb_progress *prog, struct rb_log *log, struct rb_err *err);
void rb_crashes_free(struct rb_crashes *crashes);

/* Transforms n points in place from CRS `from` to CRS `to` (each a WKT or
 * anything GDAL takes as a CRS: "EPSG:27700"), in the traditional GIS order
 * (x = easting or longitude); a point that cannot be transformed becomes NaN.
 * name, when not NULL, receives from's short name ("EPSG:27700"). */
int rb_io_transform_xy(const char *from, const char *to, size_t n, double *x, double *y, char *name,
                       size_t name_n, struct rb_err *err);

/* ---- plain tables (site lists for SPF fitting) ------------------------------ */

/* Reads every row of a table (CSV, XLSX, ODS, or any OGR layer's attributes)
 * into t; row i is the i-th feature. CSV columns are read with GDAL's type
 * guessing, so numbers come as numbers. */
int rb_io_read_table(const char *path, const char *layer, struct rb_table *t, struct rb_log *log,
                     struct rb_err *err);

/* A JSON file parsed (cJSON_Delete it), an error naming its line and column. */
struct cJSON *rb_io_read_json(const char *path, struct rb_err *err);
/* The report's labels: data_dir/locale/LANG.json (LANG en, ru, kk, ...). */
struct cJSON *rb_locale_read(const char *data_dir, const char *lang, struct rb_err *err);

/* ---- layers read back whole (the report) --------------------------------- */

/* A layer's features as stored: feature i has parts [part0[i], part0[i+1]),
 * part p points [pt0[p], pt0[p+1]) in xy, in the layer's own CRS (points are
 * one-point parts; multi-geometries and polygon rings are flattened). */
struct rb_shapes {
    int present;          /* 0: the source has no such layer */
    int geom;             /* enum rb_geom of the layer's declared type */
    size_t n, nparts, npts;
    size_t *part0, *pt0;
    double *xy;
    struct rb_table attrs;    /* row i = feature i */
    char crs_name[64];    /* "EPSG:32642", or the CRS's name; "" none */
    char *crs_wkt;        /* the layer's CRS as WKT, NULL none */
    int geographic;       /* 1 when x, y are longitude, latitude */
};
/* What to read of a layer: its name, the fields wanted (NULL-terminated; NULL
 * all of them) and whether its geometry is. */
struct rb_shapes_req {
    const char *layer;          /* NULL: the source's first layer */
    const char *const *fields;
    int geometry;
};
/* Reads the layers asked for (each may be missing: present 0) from one
 * source; fields not asked for are not read (GDAL skips them), so a column
 * the layer lacks is simply absent from attrs. */
int rb_io_read_shapes(const char *path, const struct rb_shapes_req *req, size_t n, struct rb_shapes *out,
                      struct rb_log *log, struct rb_err *err);
void rb_shapes_free(struct rb_shapes *s);

/* ---- output --------------------------------------------------------------- */

/* A paletted picture as PNG bytes (*out rb_malloc'd, *outn of them): w x h
 * colour indices, row by row from the top, and ncolors RGBA colours (alpha 0:
 * transparent). */
int rb_io_png(const uint8_t *px, int w, int h, const uint8_t (*rgba)[4], int ncolors, unsigned char **out,
              size_t *outn, struct rb_err *err);

/* Transforms n points (2 doubles each, in place) between two CRSs given as user
 * text or WKT (EPSG:4326 is longitude, latitude). */
int rb_io_transform(const char *from_crs, const char *to_crs, double *xy, size_t n, struct rb_err *err);
/* Transforms n points (2 doubles each, in place) from the working CRS to the roads' CRS. */
int rb_io_to_output_crs(const struct rb_roads *roads, double *xy, size_t n, struct rb_err *err);

/* An output dataset written under a temporary name and renamed on commit. */
struct rb_out;
/* Opens path for writing in the CRS crs (WKT or user text such as EPSG:32643;
 * NULL for tables without geometry); the driver comes from the extension (.gpkg,
 * .csv, .shp, .geojson, .fgb). For one-layer formats, each layer becomes
 * PATH-without-ext_LAYER.ext unless the file is already named after the layer. */
int rb_out_open(const char *path, const char *crs, struct rb_out **out, struct rb_err *err);
/* Reports "writing LAYER" with its features written (prog NULL: none). */
void rb_out_set_progress(struct rb_out *o, const struct rb_progress *prog);
/* Before any work: a file can be written at path (its directory exists and
 * is writable; path is not a directory). */
int rb_io_check_writable(const char *path, struct rb_err *err);
/* The same for an output dataset, whose format must be known too (by -f or
 * the extension). */
int rb_out_check(const char *path, struct rb_err *err);
/* Appends to *files (rb_malloc'd strings, *nfiles of them) every file that
 * writing the layers named layers[] to path may create: the dataset or one
 * file per layer, a shapefile's siblings, QGIS sidecar styles, and their
 * temporary names. layers NULL: path is a plain file (rb_io_write_text). */
int rb_out_files(const char *path, const char *const *layers, size_t nlayers, char ***files, size_t *nfiles,
                 struct rb_err *err);
/* When GeoPackage layers get a spatial index (the R-tree QGIS draws with). With
 * GDAL 3.6 it costs about 18 us a feature at a million features, more than all
 * the rest of a run, so by default only layers up to RB_SPATIAL_INDEX_AUTO_MAX
 * features get one; QGIS adds one on request (Layer Properties > Source). */
enum rb_spatial_index { RB_SPATIAL_INDEX_AUTO, RB_SPATIAL_INDEX_YES, RB_SPATIAL_INDEX_NO };
#define RB_SPATIAL_INDEX_AUTO_MAX 250000
void rb_out_set_spatial_index(struct rb_out *out, int when);
/* 1 when the last layer written got a spatial index. */
int rb_out_last_indexed(const struct rb_out *out);
/* A coded value domain (code → label) that layer columns may name
 * (rb_layer_col.domain): a GeoPackage's field domain, which QGIS shows as a
 * value map. Other formats have none: a no-op. Add before the layers. */
int rb_out_add_domain(struct rb_out *out, const char *name, const char *desc, const char *const *codes,
                      const char *const *labels, size_t n, struct rb_err *err);
int rb_out_write(struct rb_out *out, const struct rb_layer *layer, struct rb_err *err);
/* 1 when out is a GeoPackage. */
int rb_out_is_gpkg(const struct rb_out *out);
/* Closes and renames into place. Frees out whatever happens. */
int rb_out_commit(struct rb_out *out, struct rb_err *err);
/* Closes and removes the temporary files. Frees out. rb_out_abort(NULL) is a no-op. */
void rb_out_abort(struct rb_out *out);

/* GDAL-style options from the command line, for the whole run: open options
 * for every input (-oo NAME=VALUE), dataset and layer creation options for every
 * output (-dsco, -lco; the user's win over rumble's own), and the output
 * driver by its GDAL name (-f: GPKG, SQLite, CSV, "ESRI Shapefile", GeoJSON,
 * FlatGeobuf), whatever the extension. Lists end with NULL; all borrowed and
 * kept until the next call (NULLs: none). */
void rb_io_set_gdal_options(const char *const *oo, const char *const *dsco, const char *const *lco,
                            const char *format);
/* Outputs in crs (user text: EPSG:3857, WKT…) instead of the roads' own CRS
 * (-t_srs); call before reading the crashes. */
int rb_roads_output_crs(struct rb_roads *roads, const char *crs, struct rb_err *err);

/* Writes text to path through a temporary file and a rename. */
int rb_io_write_text(const char *path, const char *text, struct rb_err *err);

/* Pins what GDAL would otherwise vary between runs (GeoPackage timestamps). Call once. */
void rb_io_init(void);
/* Releases GDAL's drivers and caches at the end of a program. */
void rb_io_cleanup(void);

#endif
