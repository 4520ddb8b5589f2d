/* run: the pipeline as a library. One struct rb_run owns every stage's
 * input, options and output; the stage calls compose the job:
 *
 *   rb_run_init → (rb_config_set / rb_config_read on run->cfg) → rb_run_check
 *   → rb_run_read → rb_run_match → rb_run_screen → rb_run_plan → rb_run_write
 *   → rb_run_free
 *
 * rb_run_check validates every option, path and value before the first feature
 * is read, and refuses any output that would overwrite an input. Each stage
 * returns RB_OK or an error code with run->err filled; none prints. A stage
 * that does not apply to the job (screening in `match`) returns RB_OK at once.
 * `rumble plan --screen` takes its network, crashes and hotspots from a saved
 * screening instead: rb_run_read_screening stands for read, match and screen.
 * rb_run_free frees whatever was built, whichever stage failed. */
#ifndef RB_RUN_H
#define RB_RUN_H

#include "core/core.h"
#include "io/io.h"
#include "net/net.h"
#include "net/route.h"
#include "index/index.h"
#include "match/match.h"
#include "match/lref.h"
#include "screen/screen.h"
#include "screen/sites.h"
#include "screen/junctions.h"
#include "plan/plan.h"
#include "report/report.h"
#include "screen/nb2.h"
#include "screen/spf.h"
#include "screen/ebba.h"
#include "plan/systemic.h"
#include "plan/coverage.h"

enum rb_job {
    RB_JOB_MATCH,     /* crashes onto roads, counts per segment */
    RB_JOB_SCREEN,    /* + routes, windows, SPFs, EB, hotspots, intersections */
    RB_JOB_RUN,       /* + diagnosis, countermeasures, budget choice, work orders */
    RB_JOB_PLAN       /* the plan from a saved screening (opt.screen_path) */
};

/* What a command asks of the run besides the config (cfg). */
struct rb_run_opt {
    enum rb_job job;
    const char *output;            /* the dataset written (-o) */
    const char *summary;           /* the JSON summary (NULL: OUTPUT-without-ext.summary.json) */
    int csv;                       /* also the tables as OUT_crashes.csv and OUT_segments.csv */
    int no_timings;                /* timings left out of the summary */
    int spatial_index;             /* enum rb_spatial_index */
    const char *screen_path;       /* RB_JOB_PLAN: a screen or run GeoPackage */
    const char *hot_layer;         /* RB_JOB_PLAN: its layer of stretches (NULL: hotspots) */
    struct rb_progress progress;   /* fn NULL: none */
    const char *configs[8];        /* the config files read (inputs the outputs must not overwrite) */
    size_t nconfigs;
    const char *partition;         /* RB_JOB_MATCH: "KEY=VALUE", one region (run/partition.c); NULL: all */
    size_t keep_top;               /* the ranked layers' rows kept after writing: ranks 1..keep_top (to print) */
};

/* A partition's crashes: matched on its own segments, on another region's,
 * unmatched near its own, unmatched elsewhere (run/partition.c). */
enum rb_part_status { RB_PART_OWN, RB_PART_HALO, RB_PART_IN, RB_PART_OUT };
extern const char *const rb_part_status_names[];

/* --partition: what the run kept and what it writes. */
struct rb_run_part {
    size_t roads_read, owned, halo;  /* segments of the layer; the region's; kept around it */
    size_t *seg_seq;               /* per kept segment: its place in the layer, from 1 */
    uint8_t *seg_owned;            /* per kept segment: 1 when the region's */
    double box_in[4];              /* the owned segments' box grown by the halo */
    uint8_t *crash;                /* per crash: enum rb_part_status */
    size_t counts[4];
    size_t *crash_rows, ncrash_rows;   /* the crashes written (all but halo) */
    size_t *seg_rows, nseg_rows;       /* the segments written (owned) */
};
int rb_run_partition_check(const char *spec, struct rb_err *err);

/* rumble merge (run/merge.c): the outputs of rumble match --partition, one per
 * region, into the whole run's output (and its summary beside it). */
struct rb_merge_result {
    size_t parts, crashes, matched, segments, rejected;
    size_t from[4];                /* crashes taken as own, -, in, out */
    int untrusted;                 /* a partition was untrusted, or under a fifth of the crashes lie on a road */
    char why[512];                 /* why, or a warning (under half on a road); "" none */
};
int rb_run_merge(const char *const *paths, size_t n, const char *output, const struct rb_progress *prog,
                 struct rb_merge_result *res, struct rb_log *log, struct rb_err *err);

#define RB_RUN_NTIMINGS 6

/* Reference populations from screen.population_by: each segment's
 * population among the distinct keys (sorted), and their names. */
struct rb_run_pops {
    uint32_t *seg_pop;
    char **name;
    size_t n;
};

/* The planning stage's state: catalogue, sites, alternatives, work orders. */
struct rb_run_plan {
    struct rb_catalogue cat;
    struct rb_plan plan;
    struct rb_plan_site *sites;
    size_t nsites;
    struct rb_plan_crash *crash, *ref;
    size_t nref;
    struct rb_placement place;
    struct rb_plan_road *seg_road;
    struct rb_gap *gaps;
    size_t ngaps;
    struct rb_layout_ctx lay;
    struct rb_works works;         /* the selected alternatives' work orders, then the systemic programme's */
    struct rb_run_systemic {       /* plan.systemic: one countermeasure rolled out on the roads at risk */
        int on;
        size_t cm;                 /* its catalogue entry */
        struct rb_sys_weights w;   /* the risk factors' levels weighted by the focus crashes */
        size_t n;                  /* segments where it applies (the focus facility), best score first: */
        uint32_t *seg;             /* network index */
        struct rb_sys_seg *fs;     /* levels, length, focus crashes */
        double *score;
        double *min_radius_m;      /* the sharpest bend (INFINITY none) */
        double *cost, *quantity;   /* the chosen: first cost, quantity in the countermeasure's unit */
        double *avoided_per_yr;    /* the chosen: target crashes avoided a year (EB or observed x target
                                      share x (1 - CMF)), NaN not known */
        uint8_t *status;           /* enum rb_sys_status */
        uint32_t *site;            /* the chosen: its site number in the work orders (after the plan's) */
        size_t nchosen, nchosen_no_history;   /* chosen; of them, with no focus crash */
        size_t nsites;             /* the chosen laid out as stretches (neighbours joined) */
        double km, cost_total, avoided_total_per_yr, budget;
        size_t works0;             /* its work orders: works.w[works0 ..) */
        struct rb_sys_summary sum; /* for the summary and the report */
    } sys;
    struct rb_run_coverage {       /* what the network already has: lit road, assets (plan/coverage.h) */
        int on;
        struct rb_cov_kind *kind;
        size_t nkinds;
        struct rb_cov_summary sum;
    } cov;
};
enum rb_sys_status { RB_SYS_CHOSEN, RB_SYS_REACTIVE, RB_SYS_OVER_BUDGET, RB_SYS_BELOW_AVERAGE, RB_SYS_NOT_LAID,
                     RB_SYS_PRESENT };

/* What a saved screening gives the plan (RB_JOB_PLAN). */
struct rb_run_saved {
    struct rb_table crashes, hotspots, intersections;
    const char **ids;              /* segment ids, into idbuf */
    char (*idbuf)[128];
    char **keys, (*keybuf)[128];   /* route keys */
    struct rb_plan_crash *pc;      /* per crash: its facts, segment, chainage, counted */
    int64_t *seg;
    double *chainage;
    uint8_t *counted;
    uint32_t *jrank, *jobs;        /* the intersections as the screening ranked them */
    double *jfreq, *jaadt;
    char **jid;
    size_t njid;
    int64_t *cjunc;
    int have_juncs;
    int nyears;                    /* the screening's study years (its segments' n_years; 0: not known) */
};

/* The output layers and files. */
/* The output layers. Written one (or, for the plan's, a few) at a time: each
 * is built, written and given back, keeping of the ranked layers (segments,
 * windows, intersections) only the rows ranked up to opt.keep_top, and of
 * every layer its name. */
struct rb_run_out {
    struct rb_out_layer crashes, rejected, segments, windows, hotspots, intersections, sections;
    struct rb_out_layer plan, lines, points, list;   /* the plan and its work orders */
    struct rb_out_layer systemic;  /* the systemic programme's segments (plan.systemic) */
    struct rb_out_layer coverage, coverage_routes;   /* what the network already has, and by route */
    struct rb_out_layer settings;  /* a screening's settings (its config's trail), for rumble plan --screen */
    size_t *work_order;            /* works in route and chainage order */
    struct rb_layer *layers[16];
    size_t nlayers;
    size_t unindexed;              /* layers written without a spatial index */
    struct rb_styles styles;
    char *summary_path, *work_path, *csv_crashes, *csv_segments;
    const char *files[6];          /* every file written, the summary last */
    size_t nfiles;
    char *summary;                 /* the summary's text */
};

/* SPF variables of units (segments or intersections): n names, a units x n
 * table of values (NaN not known). */
#define RB_RUN_MAXATTR 16
struct rb_run_attrs {
    size_t n;
    char name[RB_RUN_MAXATTR][64];
    const char *ptr[RB_RUN_MAXATTR];   /* name[k], as rb_screen_opt.attr_name wants them */
    double *val;
};

struct rb_run {
    struct rb_config cfg;          /* the options: defaults, config file, flags */
    struct rb_run_opt opt;
    struct rb_err err;
    struct rb_log log;
    /* domain data */
    struct rb_vocab vocab;
    struct rb_costs costs;
    double weight[5];              /* EPDO weights K A B C O */
    struct rb_spf spf;             /* the SPF; with a set, its first member */
    int have_spf;
    /* a set of SPFs (screen.spf naming a file with "members"): one for each
     * site type, each segment's the first whose base conditions its road
     * meets, else the set's fallback */
    struct rb_spf *spfs;
    size_t nspf;                   /* 0: one SPF, no set */
    char spf_set[64];              /* the set's id */
    uint32_t *seg_spf;             /* per segment: its member */
    size_t *spf_count;             /* segments of each member */
    size_t spf_fallback;           /* segments that fit no member, on the fallback */
    size_t spf_fallback_ix;
    /* the SPF variables segments and intersections give (built-in ones, then
     * screen.spf_fields' and intersections.spf_fields'), and the sites whose
     * SPF took a default for a variable they did not give */
    struct rb_run_attrs seg_attrs, int_attrs;
    size_t spf_defaults_segments, spf_defaults_intersections;
    /* per SPF (a set's members, or the one) x RB_SPF_MAXCMF: the sites whose attribute for
     * that CMF was given, and those at base conditions for want of it */
    size_t *seg_cmf_given, *seg_cmf_base, *int_cmf_given, *int_cmf_base;
    /* intersection models (screen.int_spf): a set, or one as a set of one */
    struct rb_spf_set int_spf;
    int8_t *jctl;                  /* per junction: 0 stop, 1 signal, -1 not known */
    uint32_t *jlegs;               /* per junction: legs a point layer gives (0 not known), NULL none */
    uint32_t *jlanes;              /* per junction: the major road's lanes a point layer gives (0 not known) */
    int8_t *jarea;                 /* per junction: 1 urban, 0 rural, -1 not known, as a point layer gives */
    size_t *int_spf_count;         /* junctions of each model */
    size_t int_no_model;           /* junctions that fit none (their legs unknown, five legs ...) */
    size_t int_assumed_stop;       /* typed with their control unknown, taken as stop-controlled */
    /* settled by rb_run_check */
    const char *screen_rank;       /* the screening measure ranked by */
    const char *peak_measure;      /* the measure peak searching uses */
    const char *junction_rank;     /* the intersections' */
    double conf_p;                 /* the critical rate's P */
    int target_type;               /* -1: none; RB_NCT: a focus group of conditions (target_focus) */
    int target_focus;              /* -1: none */
    unsigned rules;                /* hotspot rules, as bits */
    /* read */
    struct rb_roads roads;
    int have_roads;
    struct rb_net net;
    struct rb_netindex ix;
    const char **seg_ids;
    char (*seg_idbuf)[24];
    double *seg_aadt;
    struct rb_crashes crashes;
    struct rb_run_part part;       /* --partition */
    /* matched and located */
    struct rb_match *match;
    int8_t *grade;
    struct rb_routes routes;
    int have_routes;
    const char **route_keys;
    char (*route_buf)[40];
    uint8_t *urban;                /* per segment: inside a settlement (roads.area) */
    struct rb_locate *locate;
    struct rb_lref lref;
    size_t overrides_rows, overrides_applied, overrides_stale;
    /* counted */
    struct rb_crash_fact *facts;
    struct rb_period period;
    struct rb_segstats stats;
    double *aadt_yr;
    size_t n_aadt_yr;
    /* screened */
    struct rb_route_crash *rc_facts, *rc_sorted;
    double *chainage;              /* per crash; NaN when unmatched */
    struct rb_sites seg_sites, windows, int_sites;
    struct rb_run_pops pops;
    struct rb_sections sections;
    char **sec_keys;
    struct rb_polys polys;         /* settlements */
    struct rb_polyindex pix;
    int have_pix;
    uint8_t *crash_urban;
    struct rb_hotspots hot;
    struct rb_peaks peaks;
    struct rb_crp crp;
    struct rb_junctions juncs;
    struct rb_route_crash *jc;
    int64_t *jof;                  /* per crash: its intersection, -1 none */
    /* planned */
    struct rb_run_plan ps;
    int have_plan;
    struct rb_run_saved saved;
    struct rb_match_run view;      /* what the report's builders read */
    /* written */
    struct rb_run_out out;
    double t[RB_RUN_NTIMINGS];     /* seconds by stage (rb_run_timing_names) */
};

/* Sets defaults: cfg's and opt's. */
void rb_run_init(struct rb_run *run, enum rb_job job);
/* Every option, path and value, before any data is read: required inputs,
 * enumerations and ranges, the study period's order, the SPF and data files,
 * the output's format and directory, and no output path that is an input. */
int rb_run_check(struct rb_run *run);
/* The domain data, the roads and their network, the crashes. */
int rb_run_read(struct rb_run *run);
/* Crashes onto the roads: by coordinates, by road and measure, the analyst's
 * overrides; routes; the study period and per-segment statistics. */
int rb_run_match(struct rb_run *run);
/* Screening: segments, windows, sections, intersections, hotspots. */
int rb_run_screen(struct rb_run *run);
/* `rumble plan --screen`: the network, crashes, hotspots and intersections of
 * a saved screening, as the analyst left them. */
int rb_run_read_screening(struct rb_run *run);
/* `rumble plan --screen PATH`, before the command line's own config and flags:
 * the settings the screening was made with (its "settings" table) applied to
 * run->cfg, so that the plan reads its road fields and plans as its run would;
 * what the command line gives then overrides them. A screening without them
 * (an older one) is a finding, screen_settings, when no_config. A path that
 * cannot be read is left for the plan to report. */
int rb_run_saved_settings(struct rb_run *run, const char *path, int no_config);
/* Diagnosis, countermeasures, budget choice, work orders. */
int rb_run_plan(struct rb_run *run);
/* Builds the output layers and writes them, then the summary: every file
 * under a temporary name, renamed when complete. */
int rb_run_write(struct rb_run *run);
void rb_run_free(struct rb_run *run);

const char *const *rb_run_timing_names(void);
/* Writes layers to out with their QGIS styles and coded domains (into st,
 * which the caller frees after the commit); counts into *unindexed (may be
 * NULL) the layers written without a spatial index. */
int rb_run_write_layers(struct rb_out *out, struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat,
                        struct rb_styles *st, size_t *unindexed, struct rb_err *err);
/* "out.gpkg" → "out<suffix>" (rb_malloc'd; NULL when memory runs out). */
char *rb_run_swap_ext(const char *path, const char *suffix);

/* Refuses outputs that are inputs: an output file that exists and is one of
 * the inputs (the same file, however named: symlinks, ./ and ../, hard
 * links), or two outputs that are the same file. RB_EUSAGE naming both. */
int rb_paths_check(const char *const *inputs, size_t nin, const char *const *outputs, size_t nout,
                   struct rb_err *err);

/* Crash counts by how they were matched, for messages. */
struct rb_run_counts {
    size_t matched, ambiguous, junction, reasons[RB_NUNM];
};
void rb_run_counts(const struct rb_run *run, struct rb_run_counts *c);

/* 1 when a road's area value means inside a settlement (the vocabulary's urban words). */
int rb_run_is_urban(const struct rb_vocab *vocab, const char *v);
/* A yes/no road field (col, -1 when not mapped) of segment s: 1, 0, or -1
 * when unknown (no field, an empty cell, another word). */
int rb_run_road_flag(const struct rb_roads *roads, const struct rb_vocab *vocab, long col, size_t s);

/* Ids to their positions: an index sorted by id (NULL ids as ""), searched
 * by binary search (-1 when absent). The ids are borrowed. */
struct rb_id_ix {
    const char *id;
    size_t i;
};
struct rb_id_ix *rb_id_index(const char *const *ids, size_t n);
long rb_id_find(const struct rb_id_ix *ix, size_t n, const char *id);

/* ---- rumble report: a run's GeoPackage as one HTML page ---- */
struct rb_run_report_opt {
    const char *in, *out;          /* the run's GeoPackage, the report (.html) */
    const char *lang;              /* data/locale/LANG.json */
    const char *map_by;            /* "rank" or "excess" */
    const char *summary;           /* NULL: IN.summary.json when there */
    const char *data_dir, *catalogue;
    size_t top;                    /* site cards */
    size_t map_points;             /* the most points the map draws as vectors (0: 200,000) */
    const char *evaluation;        /* rumble evaluate's output, for its section (NULL: none) */
};
#define RB_RUN_REPORT_NSHAPES 7
struct rb_run_report {
    struct rb_shapes sh[RB_RUN_REPORT_NSHAPES];   /* segments, hotspots, plan, work lines, work points, crashes,
                                                     intersections */
    int have_shapes;
    struct rb_shapes eval;         /* the evaluation's pooled layer (--evaluation) */
    int have_eval;
    struct cJSON *locale, *summary;
    char *summary_path, *html;
    struct rb_catalogue *cat;
    const char **cm_ids, **cm_names;
    size_t ncm;
    struct rb_log log;
    struct rb_err err;
};
/* Options and paths before any reading: an .html output, the input there,
 * the language known (the error lists those there), no output an input. */
int rb_run_report_check(struct rb_run_report *r, const struct rb_run_report_opt *o);
int rb_run_report_make(struct rb_run_report *r, const struct rb_run_report_opt *o);
void rb_run_report_free(struct rb_run_report *r);

/* ---- rumble fit-spf: a local SPF by NB2 regression ---- */
struct rb_fit_opt {
    const char *sites, *layer;     /* the sites table */
    const char *count;             /* crash count per site (the response) */
    const char *cov;               /* columns entering as they are, comma list */
    const char *aadt, *length;     /* columns entering as ln_aadt, ln_length */
    const char *unit;              /* the length's: m, km or mi */
    const char *years;             /* years each count covers: ln(years) as an offset */
    const char *id, *name;         /* the SPF's */
    const char *out, *cure;        /* the SPF file; the CURE table (NULL: OUT_cure.csv) */
};
struct rb_fit_term {
    char var[64];                  /* name in the SPF file */
    long col;                      /* -1: the constant */
    int take_log;
};
struct rb_fit {
    struct rb_table t;
    struct rb_fit_term term[RB_SPF_MAXTERMS];
    size_t nterms;
    size_t n, skipped;             /* sites fitted, rows left out */
    size_t *rows;                  /* each site's row */
    struct rb_nb2_fit fit;
    size_t outside;                /* CURE points outside the two-sigma band */
    double max_dev;
    char *cure_path;
    struct rb_log log;
    struct rb_err err;
};
/* Options and paths, before any reading; no output may be the sites table. */
int rb_fit_check(struct rb_fit *f, const struct rb_fit_opt *o);
/* Reads, fits, writes the CURE table and the SPF file. */
int rb_fit_run(struct rb_fit *f, const struct rb_fit_opt *o);
void rb_fit_free(struct rb_fit *f);

/* ---- rumble calibrate: an SPF's calibration factor C (HSM Part C, Appendix A) ---- */
struct rb_cal_opt {
    const char *sites, *layer;     /* the sites table: a row a site, or a site a year */
    const char *spf;               /* the SPF: an id in data/spf or a file */
    const char *data_dir;
    const char *count, *aadt, *length, *unit;   /* columns; the length's unit: m, km or mi */
    const char *years;             /* years each row's count covers (NULL: 1) */
    const char *site, *year;       /* the site id and calendar year columns (NULL: a row a site; not known) */
    const char *compare;           /* another SPF (say fit-spf's) judged on the same rows, or NULL */
    const char *out, *cure;        /* the calibrated SPF; the CURE table (NULL: OUT_cure.csv) */
    int function;                  /* 1: a calibration function C(AADT) = e^a AADT^b rather than one C */
};
struct rb_cal_model {              /* an SPF judged on the rows */
    struct rb_spf spf;
    double loglik, aic;            /* NB2 with the SPF's own k, its parameters counted */
    int nparam;
    size_t outside;                /* CURE points outside the two-sigma band */
    double max_dev;
};
struct rb_cal {
    struct rb_table t;
    size_t n, skipped;             /* rows used, rows left out */
    size_t nsites, nyears;         /* distinct sites (rows without --site), calendar years (0: not known) */
    double observed, predicted;    /* sums over the rows, the prediction uncalibrated */
    double c;                      /* observed / predicted */
    double crashes_per_yr;         /* observed over the study's years */
    int sample_ok;                 /* the HSM's guidance: 30 sites or more, 100 crashes a year or more */
    struct rb_cal_model cal, cmp;  /* the calibrated SPF; the one compared (have_cmp) */
    int have_cmp;
    /* with a calibration function: the SPF calibrated by it, its NB2 fit (a, b with standard
     * errors; the SPF's own k kept for the likelihood, as for C) */
    struct rb_cal_model fn;
    int have_fn;
    double fn_a, fn_b, fn_se_a, fn_se_b, fn_k;   /* fn_k: the fit's own overdispersion */
    char *cure_path;
    struct rb_log log;
    struct rb_err err;
};
int rb_cal_check(struct rb_cal *c, const struct rb_cal_opt *o);
/* Reads the sites, predicts each row, C = sum observed / sum predicted,
 * judges the calibrated SPF (and --compare's), writes the CURE table and
 * the calibrated SPF file. */
int rb_cal_run(struct rb_cal *c, const struct rb_cal_opt *o);
void rb_cal_free(struct rb_cal *c);

/* ---- rumble evaluate: did a treatment work? (HSM Part B, Chapter 9) ---- */
struct rb_eval_opt {
    const char *in;                /* a run's GeoPackage (match, screen, run): its segments and crashes */
    const char *treatments, *layer;    /* what was installed where and when, or comparison sites */
    const char *spf;               /* an id in data/spf or a file (NULL: the run's, from its summary) */
    const char *data_dir, *catalogue;
    const char *from, *to;         /* the period the crash data cover (NULL: the run's study period) */
    double before_yr, after_yr;    /* the longest before and after periods (0: all the data give) */
    const char *aadt_by_year;      /* the segments' AADT columns by year, with {year} (NULL: the run's
                                      roads.aadt_by_year, else aadt_{year}) */
    const char *out;               /* the evaluation (EVAL.gpkg; its summary EVAL.summary.json beside it) */
    const char *catalogue_out;     /* the catalogue with the evaluated CMFs, or NULL */
};
enum { RB_EVAL_ALL, RB_EVAL_FI, RB_EVAL_TARGET, RB_EVAL_NGROUPS };
enum { RB_EVAL_EB, RB_EVAL_CG, RB_EVAL_NAIVE, RB_EVAL_NMETHODS };
extern const char *const rb_eval_group_names[RB_EVAL_NGROUPS];     /* all, fatal_injury, target */
extern const char *const rb_eval_method_names[RB_EVAL_NMETHODS];   /* eb, comparison_group, naive */
struct rb_eval_site {              /* a row of the treatments */
    size_t row;
    long seg;                      /* the segment (feature of the run's segments), -1 not there */
    int comparison;                /* 1: a comparison site */
    int cm;                        /* the catalogue's entry, -1 not in it */
    char cm_id[48];
    const char *why;               /* NULL: evaluated; else why not */
    int32_t work_start, work_end;  /* days since 1970 */
    int32_t b_from, b_to, a_from, a_to;    /* the before and after periods, days inclusive */
    double years_before, years_after;
    double aadt_before, aadt_after;        /* the treatments' own (NaN: the run's), then the periods' means */
    double pred_before, pred_after, fi_before, fi_after, k;   /* the SPF's, all and fatal-and-injury crashes */
    double obs_before[RB_EVAL_NGROUPS], obs_after[RB_EVAL_NGROUPS];
    double cg_before[RB_EVAL_NGROUPS], cg_after[RB_EVAL_NGROUPS];   /* the comparison sites' in its periods */
    struct rb_ebba_site eb[RB_EVAL_NGROUPS];
    double naive_exp[RB_EVAL_NGROUPS], cg_exp[RB_EVAL_NGROUPS];
};
struct rb_eval_pooled {            /* a countermeasure's sites pooled, for a crash group by a method */
    char cm_id[48];
    int cm, group, method;
    double share;                  /* the group's share of the SPF's prediction */
    int ok;                        /* 0: not estimated (why) */
    char why[320];
    struct rb_ebba est;
};
struct rb_eval {
    struct rb_shapes sh[2];        /* the run's segments and crashes */
    int have_shapes;
    struct rb_table tr;            /* the treatments */
    struct rb_spf spf, base;       /* the SPF; the same without its CMFs (the screening's spf_cmf instead) */
    struct rb_catalogue *cat;
    long c_len, c_aadt, c_cmf;     /* columns of the segments */
    struct rb_eval_site *site;
    size_t nsites, ntreated, ncomparison, nevaluated;
    struct rb_eval_pooled *pool;
    size_t npool;
    int32_t data_from, data_to;
    const char *period_source;
    char period_text[64];
    size_t crashes_used, crashes_undated;
    char aadt_pattern[128];        /* the AADT columns by year */
    int have_aadt_years;           /* the segments have one for some year of the period */
    int traffic_known;             /* AADT by year, or the treatments' aadt_before and aadt_after */
    size_t aadt_missing;           /* site-years predicted at the segment's aadt for want of their own */
    size_t ref_all, ref_fi, ref_target[RB_CM_MAX];   /* crashes on untreated segments: the target shares */
    double fi_share;               /* of the prediction (the SPF's, else ref_fi / ref_all) */
    const char *fi_source;
    struct rb_table out;           /* the evaluation layer's rows, then the pooled */
    struct rb_table pooled;
    size_t *part_off, *pt_off;
    double *xy;
    struct cJSON *run_summary;     /* the run's summary beside it, NULL none: its period and SPF */
    char *summary_path;
    struct rb_log log;
    struct rb_err err;
};
/* plan.systemic names a countermeasure ("none" or empty: off, as a saved
 * screening's setting can be turned off). */
int rb_run_systemic_on(const struct rb_config *cfg);

int rb_eval_check(struct rb_eval *e, const struct rb_eval_opt *o);
/* Reads the run and the treatments, counts each site's crashes in its
 * periods, estimates, and writes the layers evaluation and evaluation_pooled,
 * the summary and (catalogue_out) the catalogue with the evaluated CMFs. */
int rb_eval_run(struct rb_eval *e, const struct rb_eval_opt *o);
void rb_eval_free(struct rb_eval *e);

#endif
