/* rumble fit-spf: a local safety performance function by NB2 regression. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { F_SITES = 1, F_LAYER, F_COUNT, F_COV, F_AADT, F_LENGTH, F_UNIT, F_YEARS, F_ID, F_NAME,
       F_OUT, F_CURE, F_QUIET, F_HELP };

static const struct rb_opt fit_opts[] = {
    { "sites", 0, "FILE", NULL, F_SITES, "sites table: CSV, XLSX, ODS or any OGR layer" },
    { "layer", 0, "NAME", NULL, F_LAYER, "layer or sheet of the sites source" },
    { "count", 0, "FIELD", NULL, F_COUNT, "crash count per site (the response)" },
    { "covariates", 0, "A,B", NULL, F_COV, "columns entering the model as they are" },
    { "aadt", 0, "FIELD", NULL, F_AADT, "AADT column: adds ln(AADT) as term ln_aadt" },
    { "length", 0, "FIELD", NULL, F_LENGTH, "length column: adds ln(length) as term ln_length" },
    { "length-unit", 0, "UNIT", NULL, F_UNIT, "unit of the length column: m, km (default) or mi" },
    { "years", 0, "FIELD", NULL, F_YEARS, "years each count covers: ln(years) as an offset" },
    { "id", 0, "ID", NULL, F_ID, "id of the SPF (default: local)" },
    { "name", 0, "TEXT", NULL, F_NAME, "description of the SPF" },
    { "output", 'o', "FILE", NULL, F_OUT, "SPF file to write (.json)" },
    { "cure", 0, "FILE", NULL, F_CURE, "CURE plot table (default: OUT with _cure.csv)" },
    { "quiet", 'q', NULL, NULL, F_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, F_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char fit_examples[] =
    "  rumble fit-spf --sites build/demo/run_segments.csv --count n_obs --aadt aadt \\\n"
    "                 --length length_m --length-unit m --years n_years -o spf.json\n"
    "  rumble fit-spf --sites build/demo/run_segments.csv --count n_obs --aadt aadt \\\n"
    "                 --length length_m --length-unit m --covariates speed_kmh -o spf_speed.json\n";

struct fit_args {
    struct rb_cli cli;
    const char *sites, *layer, *count, *cov, *aadt, *length, *unit, *years, *id, *name, *out, *cure;
    int help;
};

static int on_fit_opt(int id, const char *v, void *ud)
{
    struct fit_args *a = ud;
    switch (id) {
    case F_SITES: a->sites = v; break;
    case F_LAYER: a->layer = v; break;
    case F_COUNT: a->count = v; break;
    case F_COV: a->cov = v; break;
    case F_AADT: a->aadt = v; break;
    case F_LENGTH: a->length = v; break;
    case F_UNIT: a->unit = v; break;
    case F_YEARS: a->years = v; break;
    case F_ID: a->id = v; break;
    case F_NAME: a->name = v; break;
    case F_OUT: a->out = v; break;
    case F_CURE: a->cure = v; break;
    case F_QUIET: a->cli.quiet = 1; break;
    case F_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_fit_spf(int argc, char **argv)
{
    struct fit_args a = { .cli = { .cmd = "fit-spf" }, .unit = "km", .id = "local" };
    struct rb_config cfg;
    rb_config_init(&cfg);
    int rc = rb_cli_parse(&a.cli, argc, argv, fit_opts, NULL, &cfg, on_fit_opt, &a);
    rb_config_free(&cfg);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "fit-spf", "--sites FILE --count FIELD [--covariates A,B] -o SPF.json", fit_opts,
                         NULL, fit_examples);
        return rc;
    }
    struct rb_fit_opt o = { .sites = a.sites, .layer = a.layer, .count = a.count, .cov = a.cov, .aadt = a.aadt,
                            .length = a.length, .unit = a.unit, .years = a.years, .id = a.id, .name = a.name,
                            .out = a.out, .cure = a.cure };
    struct rb_fit f = { 0 };
    rb_io_init();
    if (rb_fit_check(&f, &o) || rb_fit_run(&f, &o)) {
        rb_cli_warnings(&a.cli, &f.log);
        rc = rb_cli_fail(&f.err);
    } else {
        rb_cli_warnings(&a.cli, &f.log);
        if (!a.cli.quiet)
            rb_cli_print_fit(&f, &o);
    }
    rb_fit_free(&f);
    rb_io_cleanup();
    return rc;
}
