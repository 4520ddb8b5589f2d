/* rumble calibrate: an SPF's calibration factor to the agency's own sites. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { C_SITES = 1, C_LAYER, C_SPF, C_COUNT, C_AADT, C_LENGTH, C_UNIT, C_YEARS, C_SITE, C_YEAR, C_COMPARE,
       C_OUT, C_CURE, C_DATA, C_FUNCTION, C_QUIET, C_HELP };

static const struct rb_opt cal_opts[] = {
    { "sites", 0, "FILE", NULL, C_SITES, "sites table: CSV, XLSX, ODS or any OGR layer; a row a site, or a site a year" },
    { "layer", 0, "NAME", NULL, C_LAYER, "layer or sheet of the sites source" },
    { "spf", 0, "SPF", NULL, C_SPF, "the SPF to calibrate: an id in data/spf (hsm_rural_2lane) or a file" },
    { "count", 0, "FIELD", NULL, C_COUNT, "crashes observed in each row" },
    { "aadt", 0, "FIELD", NULL, C_AADT, "AADT column" },
    { "length", 0, "FIELD", NULL, C_LENGTH, "length column" },
    { "length-unit", 0, "UNIT", NULL, C_UNIT, "unit of the length column: m, km (default) or mi" },
    { "years", 0, "FIELD", NULL, C_YEARS, "years each row's count covers (default: 1)" },
    { "site", 0, "FIELD", NULL, C_SITE, "site id column, when a site has a row a year" },
    { "year", 0, "FIELD", NULL, C_YEAR, "calendar year column (for the crashes a year)" },
    { "compare", 0, "SPF", NULL, C_COMPARE, "another SPF judged on the same rows: a local one from fit-spf" },
    { "function", 0, NULL, NULL, C_FUNCTION, "a calibration function C(AADT) = e^a AADT^b, fitted, rather than one C" },
    { "output", 'o', "FILE", NULL, C_OUT, "the calibrated SPF to write (.json), for screen --spf" },
    { "cure", 0, "FILE", NULL, C_CURE, "CURE plot table (default: OUT with _cure.csv)" },
    { "data-dir", 0, "DIR", NULL, C_DATA, "rumble's data (default: $RUMBLE_DATA_DIR, else the installed)" },
    { "quiet", 'q', NULL, NULL, C_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, C_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char cal_examples[] =
    "  rumble calibrate --sites build/demo/run_segments.csv --spf hsm_rural_2lane --count n_obs \\\n"
    "                   --aadt aadt --length length_m --length-unit m --years n_years -o hsm_calibrated.json\n";

struct cal_args {
    struct rb_cli cli;
    struct rb_cal_opt o;
    int help;
};

static int on_cal_opt(int id, const char *v, void *ud)
{
    struct cal_args *a = ud;
    switch (id) {
    case C_SITES: a->o.sites = v; break;
    case C_LAYER: a->o.layer = v; break;
    case C_SPF: a->o.spf = v; break;
    case C_COUNT: a->o.count = v; break;
    case C_AADT: a->o.aadt = v; break;
    case C_LENGTH: a->o.length = v; break;
    case C_UNIT: a->o.unit = v; break;
    case C_YEARS: a->o.years = v; break;
    case C_SITE: a->o.site = v; break;
    case C_YEAR: a->o.year = v; break;
    case C_COMPARE: a->o.compare = v; break;
    case C_OUT: a->o.out = v; break;
    case C_CURE: a->o.cure = v; break;
    case C_DATA: a->o.data_dir = v; break;
    case C_FUNCTION: a->o.function = 1; break;
    case C_QUIET: a->cli.quiet = 1; break;
    case C_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_calibrate(int argc, char **argv)
{
    struct cal_args a = { .cli = { .cmd = "calibrate" }, .o = { .unit = "km" } };
    struct rb_config cfg;
    rb_config_init(&cfg);
    int rc = rb_cli_parse(&a.cli, argc, argv, cal_opts, NULL, &cfg, on_cal_opt, &a);
    rb_config_free(&cfg);
    if (rc != RB_EXIT_OK || a.help) {
        if (a.help)
            rb_cli_usage(stdout, "calibrate", "--sites FILE --spf SPF --count F --aadt F --length F -o SPF.json",
                         cal_opts, NULL, cal_examples);
        return rc;
    }
    struct rb_cal c = { 0 };
    rb_io_init();
    if (rb_cal_check(&c, &a.o) || rb_cal_run(&c, &a.o)) {
        rb_cli_warnings(&a.cli, &c.log);
        rc = rb_cli_fail(&c.err);
    } else {
        rb_cli_warnings(&a.cli, &c.log);
        if (!a.cli.quiet)
            rb_cli_print_cal(&c, &a.o);
    }
    rb_cal_free(&c);
    rb_io_cleanup();
    return rc;
}
