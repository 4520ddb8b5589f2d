/* rumble evaluate: did a treatment work? (HSM Part B, Chapter 9) */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { E_INPUT = 1, E_TREAT, E_LAYER, E_SPF, E_FROM, E_TO, E_BEFORE, E_AFTER, E_OUT, E_CATOUT, E_DATA, E_CAT, E_QUIET, E_AADTY,
       E_HELP };

static const struct rb_opt eval_opts[] = {
    { "input", RB_OPT_BARE, "RUN.gpkg", NULL, E_INPUT, "the output of rumble match, screen or run: its segments and"
      " crashes over the years before and after the works" },
    { "treatments", 0, "FILE", NULL, E_TREAT, "what was installed where: CSV, XLSX or any OGR layer with segment_id,"
      " countermeasure, work_start, work_end (YYYY-MM-DD); role comparison for comparison sites" },
    { "layer", 0, "NAME", NULL, E_LAYER, "layer or sheet of the treatments" },
    { "spf", 0, "SPF", NULL, E_SPF, "the treated sites' SPF: an id in data/spf or a file (default: the run's)" },
    { "from", 0, "DATE", NULL, E_FROM, "first day the crash data cover (default: the run's study period)" },
    { "to", 0, "DATE", NULL, E_TO, "last day the crash data cover" },
    { "before-years", 0, "N", NULL, E_BEFORE, "at most N years before the works (default: all the data give)" },
    { "after-years", 0, "N", NULL, E_AFTER, "at most N years after the works" },
    { "aadt-by-year", 0, "PATTERN", NULL, E_AADTY, "the segments' AADT columns by year, {year} in the name (default:"
      " the run's roads.aadt_by_year, else aadt_{year})" },
    { "output", 'o', "FILE", NULL, E_OUT, "the evaluation: layers evaluation and evaluation_pooled (.gpkg, .csv ...);"
      " its summary is OUT.summary.json" },
    { "catalogue-out", 0, "FILE", NULL, E_CATOUT, "a copy of the catalogue with each evaluated countermeasure's CMF"
      " (its target crashes, EB) and standard error, for plan --catalogue" },
    { "data-dir", 0, "DIR", NULL, E_DATA, "rumble's data (default: $RUMBLE_DATA_DIR, else the installed)" },
    { "catalogue", 0, "FILE", NULL, E_CAT, "countermeasure catalogue: the target crashes (default: the data's)" },
    { "quiet", 'q', NULL, NULL, E_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, E_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char eval_examples[] =
    "  rumble match --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "               --crashes build/demo/history.csv --from-year 2015 --to-year 2024 -o history.gpkg\n"
    "  rumble evaluate history.gpkg --treatments build/demo/treatments.csv --spf hsm_rural_2lane \\\n"
    "                  -o evaluation.gpkg --catalogue-out evaluated_catalogue.json\n";

struct eval_args {
    struct rb_cli cli;
    struct rb_eval_opt o;
    int help;
};

static int years_opt(const char *name, const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    if (*end || !(*out > 0) || *out > 100) {
        rb_cli_error("evaluate: --%s needs a number of years above 0, not '%s'", name, v);
        return RB_EXIT_USAGE;
    }
    return RB_EXIT_OK;
}

static int on_eval_opt(int id, const char *v, void *ud)
{
    struct eval_args *a = ud;
    switch (id) {
    case E_INPUT:
        if (a->o.in) {
            rb_cli_error("evaluate: one run, not '%s' and '%s'", a->o.in, v);
            return RB_EXIT_USAGE;
        }
        a->o.in = v;
        break;
    case E_TREAT: a->o.treatments = v; break;
    case E_LAYER: a->o.layer = v; break;
    case E_SPF: a->o.spf = v; break;
    case E_FROM: a->o.from = v; break;
    case E_TO: a->o.to = v; break;
    case E_BEFORE: return years_opt("before-years", v, &a->o.before_yr);
    case E_AFTER: return years_opt("after-years", v, &a->o.after_yr);
    case E_OUT: a->o.out = v; break;
    case E_AADTY: a->o.aadt_by_year = v; break;
    case E_CATOUT: a->o.catalogue_out = v; break;
    case E_DATA: a->o.data_dir = v; break;
    case E_CAT: a->o.catalogue = v; break;
    case E_QUIET: a->cli.quiet = 1; break;
    case E_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_evaluate(int argc, char **argv)
{
    struct eval_args a = { .cli = { .cmd = "evaluate" } };
    struct rb_config cfg;
    rb_config_init(&cfg);
    int rc = rb_cli_parse(&a.cli, argc, argv, eval_opts, NULL, &cfg, on_eval_opt, &a);
    rb_config_free(&cfg);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "evaluate", "RUN.gpkg --treatments FILE [--spf SPF] -o EVAL.gpkg", eval_opts, NULL,
                         eval_examples);
        return a.help ? RB_EXIT_OK : rc;
    }
    struct rb_eval e = { 0 };
    rb_io_init();
    if (rb_eval_check(&e, &a.o) || rb_eval_run(&e, &a.o)) {
        rb_cli_warnings(&a.cli, &e.log);
        rc = rb_cli_fail(&e.err);
    } else {
        rb_cli_warnings(&a.cli, &e.log);
        if (!a.cli.quiet)
            rb_cli_print_eval(&e, &a.o);
    }
    rb_eval_free(&e);
    rb_io_cleanup();
    return rc;
}
