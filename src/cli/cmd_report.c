/* rumble report: a run's GeoPackage into one self-contained HTML report. */
#include "cli/cli.h"
#include "report/html.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { R_INPUT = 1, R_OUT, R_LANG, R_TOP, R_MAPBY, R_SUMMARY, R_DATA, R_CAT, R_QUIET, R_HELP };

static const struct rb_opt report_opts[] = {
    { "input", RB_OPT_BARE, "RUN.gpkg", NULL, R_INPUT, "the output of rumble run, screen or plan" },
    { "output", 'o', "FILE", NULL, R_OUT, "the report (.html)" },
    { "lang", 0, "LANG", NULL, R_LANG, "labels: en (default), ru or kk (data/locale/LANG.json)" },
    { "top", 0, "N", NULL, R_TOP, "site cards for the N best-ranked sites (10)" },
    { "map-by", 0, "WHAT", NULL, R_MAPBY, "colour the map's segments by rank (default) or excess" },
    { "summary", 0, "FILE", NULL, R_SUMMARY, "the run's JSON summary (default: RUN.summary.json when there)" },
    { "data-dir", 0, "DIR", NULL, R_DATA, "where locale/ and countermeasures.json are" },
    { "catalogue", 0, "FILE", NULL, R_CAT, "countermeasure catalogue, for their names (default: the data's)" },
    { "quiet", 'q', NULL, NULL, R_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, R_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char report_examples[] =
    "  rumble report build/demo/run.gpkg -o report.html\n"
    "  rumble report build/demo/run.gpkg -o report_ru.html --lang ru --top 5 --map-by excess\n";

struct report_args {
    struct rb_cli cli;
    const char *in, *out, *lang, *map_by, *summary, *data_dir, *catalogue;
    long top;
    int help;
};

static int on_report_opt(int id, const char *v, void *ud)
{
    struct report_args *a = ud;
    char *end;
    switch (id) {
    case R_INPUT:
        if (a->in) {
            rb_cli_error("report: one input, not '%s' and '%s'", a->in, v);
            return RB_EXIT_USAGE;
        }
        a->in = v;
        break;
    case R_OUT: a->out = v; break;
    case R_LANG: a->lang = v; break;
    case R_TOP:
        a->top = strtol(v, &end, 10);
        if (*end || a->top < 1) {
            rb_cli_error("report: --top needs a whole number of 1 or more, not '%s'", v);
            return RB_EXIT_USAGE;
        }
        break;
    case R_MAPBY:
        if (strcmp(v, "rank") && strcmp(v, "excess")) {
            rb_cli_error("report: --map-by is rank or excess, not '%s'", v);
            return RB_EXIT_USAGE;
        }
        a->map_by = v;
        break;
    case R_SUMMARY: a->summary = v; break;
    case R_DATA: a->data_dir = v; break;
    case R_CAT: a->catalogue = v; break;
    case R_QUIET: a->cli.quiet = 1; break;
    case R_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    struct report_args a = { .cli = { .cmd = "report" }, .lang = "en", .top = 10 };
    struct rb_config cfg;
    rb_config_init(&cfg);
    int rc = rb_cli_parse(&a.cli, argc, argv, report_opts, NULL, &cfg, on_report_opt, &a);
    rb_config_free(&cfg);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "report", "RUN.gpkg -o REPORT.html [--lang en|ru|kk] [--top N]", report_opts, NULL,
                         report_examples);
        return a.help ? RB_EXIT_OK : rc;
    }
    if (!a.in || !a.out) {
        rb_cli_error("report: needs a run's GeoPackage and -o REPORT.html; see 'rumble report --help'");
        return RB_EXIT_USAGE;
    }
    const char *dot = strrchr(a.out, '.');
    if (!dot || (strcmp(dot, ".html") && strcmp(dot, ".htm"))) {
        rb_cli_error("report: the report is HTML: name it .html, not '%s'", a.out);
        return RB_EXIT_USAGE;
    }
    rb_io_init();
    struct rb_err err = { 0 };
    struct rb_log log = { 0 };
    /* the fields the report reads; the rest stay on disk */
    static const char *const seg_f[] = { "segment_id", "route_id", "from_m", "to_m", "length_m", "rank",
                                         "excess_per_yr", "pred_per_yr", "n_years", "population", NULL };
    static const char *const cr_f[] = { "severity", "crash_type", "match_status", "crash_date", "in_study",
                                        "route_id", "chainage_m", "intersection_id", "segment_id", NULL };
    static const struct rb_shapes_req req[] = {
        { "segments", seg_f, 1 }, { "hotspots", NULL, 1 }, { "plan", NULL, 1 }, { "work_lines", NULL, 1 },
        { "work_points", NULL, 1 }, { "crashes", cr_f, 0 },
    };
    struct rb_shapes sh[6];
    cJSON *locale = NULL, *summary = NULL;
    char *summary_path = NULL, *html = NULL;
    struct rb_catalogue *cat = NULL;
    const char **cm_ids = NULL, **cm_names = NULL;
    int have_shapes = 0;
    rc = RB_EXIT_OK;
    if (!(locale = rb_locale_read(a.data_dir, a.lang, &err)))
        goto fail;
    if (rb_io_read_shapes(a.in, req, 6, sh, &log, &err))
        goto fail;
    have_shapes = 1;
    if (!sh[0].present && !sh[5].present) {
        rb_err_set(&err, RB_EINVAL, "%s: no segments or crashes layer: not the output of rumble match, screen, run "
                   "or plan", a.in);
        goto fail;
    }
    /* the run's summary beside it, when there */
    if (!a.summary) {
        summary_path = rb_run_swap_ext(a.in, ".summary.json");
        if (summary_path && access(summary_path, R_OK) == 0)
            a.summary = summary_path;
    }
    if (a.summary && !(summary = rb_io_read_json(a.summary, &err)))
        goto fail;
    /* the countermeasures' names; a catalogue that cannot be read leaves their ids */
    cat = malloc(sizeof *cat);
    struct rb_err cerr = { 0 };
    size_t ncm = 0;
    if (cat && rb_catalogue_read(a.data_dir, a.catalogue, cat, &cerr) == RB_OK) {
        cm_ids = malloc((cat->n ? cat->n : 1) * sizeof *cm_ids);
        cm_names = malloc((cat->n ? cat->n : 1) * sizeof *cm_names);
        for (size_t k = 0; cm_ids && cm_names && k < cat->n; k++) {
            cm_ids[k] = cat->cm[k].id;
            cm_names[k] = cat->cm[k].name;
        }
        ncm = cm_ids && cm_names ? cat->n : 0;
    } else if (a.catalogue) {
        err = cerr;
        goto fail;
    }
    struct rb_report_src src = { a.in, &sh[0], &sh[1], &sh[2], &sh[3], &sh[4], &sh[5], summary, locale,
                                 cm_ids, cm_names, ncm, (size_t)a.top, a.map_by };
    if (rb_report_html(&src, &html, &err) || rb_io_write_text(a.out, html, &err))
        goto fail;
    if (!a.cli.quiet)
        printf("wrote %s (%zu sites flagged, %zu crashes, labels %s)\n", a.out, sh[1].present ? sh[1].n : 0,
               sh[5].present ? sh[5].n : 0, a.lang);
    goto done;
fail:
    rc = rb_cli_fail(&err);
done:
    rb_cli_warnings(&a.cli, &log);
    rb_free(html);
    free(cm_ids);
    free(cm_names);
    free(cat);
    rb_free(summary_path);
    cJSON_Delete(summary);
    cJSON_Delete(locale);
    for (int k = 0; have_shapes && k < 6; k++)
        rb_shapes_free(&sh[k]);
    rb_log_free(&log);
    rb_io_cleanup();
    return rc;
}
