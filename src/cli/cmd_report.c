/* rumble report: a run's GeoPackage into one self-contained HTML report. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { R_INPUT = 1, R_OUT, R_LANG, R_TOP, R_MAPBY, R_SUMMARY, R_DATA, R_CAT, R_QUIET, R_HELP, R_MAPPOINTS, R_EVAL };

static const struct rb_opt report_opts[] = {
    { "input", RB_OPT_BARE, "RUN.gpkg", NULL, R_INPUT, "the output of rumble run, screen or plan" },
    { "output", 'o', "FILE", NULL, R_OUT, "the report (.html)" },
    { "lang", 0, "LANG", NULL, R_LANG, "labels: en (default), ru or kk (data/locale/LANG.json)" },
    { "top", 0, "N", NULL, R_TOP, "site cards for the N best-ranked sites (10)" },
    { "map-by", 0, "WHAT", NULL, R_MAPBY, "colour the map's segments by rank (default) or excess" },
    { "map-points", 0, "N", NULL, R_MAPPOINTS, "above N points (vertices and intersections) the map draws all but the"
      " best 5 % as a picture at its resolution (200000)" },
    { "summary", 0, "FILE", NULL, R_SUMMARY, "the run's JSON summary (default: RUN.summary.json when there)" },
    { "data-dir", 0, "DIR", NULL, R_DATA, "where locale/ and countermeasures.json are" },
    { "evaluation", 0, "EVAL.gpkg", NULL, R_EVAL, "a before-after evaluation (rumble evaluate) for a section of its"
      " own" },
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
    const char *in, *out, *lang, *map_by, *summary, *data_dir, *catalogue, *evaluation;
    long top, map_points;
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
    case R_MAPPOINTS:
        a->map_points = strtol(v, &end, 10);
        if (*end || a->map_points < 1) {
            rb_cli_error("report: --map-points needs a whole number of 1 or more, not '%s'", v);
            return RB_EXIT_USAGE;
        }
        break;
    case R_SUMMARY: a->summary = v; break;
    case R_DATA: a->data_dir = v; break;
    case R_CAT: a->catalogue = v; break;
    case R_EVAL: a->evaluation = v; break;
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
    struct rb_run_report_opt o = { .in = a.in, .out = a.out, .lang = a.lang, .map_by = a.map_by,
                                   .summary = a.summary, .data_dir = a.data_dir, .catalogue = a.catalogue,
                                   .top = (size_t)a.top, .map_points = (size_t)a.map_points,
                                   .evaluation = a.evaluation };
    struct rb_run_report r = { 0 };
    rb_io_init();
    if (rb_run_report_check(&r, &o) || rb_run_report_make(&r, &o)) {
        rc = rb_cli_fail(&r.err);
    } else if (!a.cli.quiet) {
        printf("wrote %s (%zu sites flagged, %zu crashes, labels %s)\n", a.out, r.sh[1].present ? r.sh[1].n : 0,
               r.sh[5].present ? r.sh[5].n : 0, a.lang);
    }
    rb_cli_warnings(&a.cli, &r.log);
    rb_run_report_free(&r);
    rb_io_cleanup();
    return rc;
}
