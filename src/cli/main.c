/* rumble: the command table. Adding a subcommand is adding a row and a file. */
#include "cli/cli.h"

#include <string.h>

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "match", cmd_match, "put every crash on the road network and count crashes per segment" },
    { "screen", cmd_screen, "screen the network: routes, sliding windows, SPFs, EB, crash concentration sites" },
    { "run", cmd_run, "the whole job: screening, diagnosis, countermeasures, budget choice, plan layer" },
    { "plan", cmd_plan, "plan from a saved screening (its hotspots as they stand), or the whole job" },
    { "merge", cmd_merge, "the regions of a partitioned match (match --partition) made into the whole run's output" },
    { "report", cmd_report, "a run's GeoPackage as one HTML report: figures, map, ranked sites, site cards" },
    { "fit-spf", cmd_fit_spf, "fit a local safety performance function (NB2) to your own sites" },
    { "calibrate", cmd_calibrate, "an HSM SPF's calibration factor C to your own sites (Part C, Appendix A)" },
    { "systemic", cmd_systemic, "rumble run with a systemic programme: one countermeasure on the roads whose risk factors score highest" },
    { "evaluate", cmd_evaluate, "did a treatment work? EB before-after, comparison group, naive (HSM Part B Ch. 9)" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: rumble [--version] [--help] <command> [<options>]\n\n"
               "Road-safety analysis: crashes onto roads, screening, countermeasures.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'rumble <command> --help' shows a command's options and examples; 'man rumble'\n"
               "(doc/rumble.1) has them all.\n\n"
               "Examples (in the source tree, after make demo):\n"
               "  rumble run --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
               "             --crashes build/demo/crashes.csv --budget 2000000 -o run.gpkg\n"
               "  rumble report run.gpkg -o report.html --lang ru\n\n"
               "Exit codes:\n"
               "  0  success\n"
               "  1  the input cannot be read or trusted (the message names file, row and\n"
               "     field); no output file is left behind\n"
               "  2  wrong command line or config\n"
               "  3  out of memory\n"
               "  4  --strict was given and the input had warnings; no output is left\n"
               "  5  the run finished but its result cannot be trusted: a finding (nothing\n"
               "     matched, coordinates that look like metres, no dates, ...) says why;\n"
               "     the output is written to be looked at; --accept CODE if it is meant\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RB_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return RB_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("rumble %s\n", RB_VERSION);
        return RB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    rb_cli_error("'%s' is not a rumble command; see 'rumble --help'", argv[1]);
    return RB_EXIT_USAGE;
}
