/* rumble merge: the regions of a partitioned match made into the whole run's output. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { M_INPUT = 1, M_OUT, M_QUIET, M_HELP };

#define MAX_PARTS 4096

static const struct rb_opt merge_opts[] = {
    { "input", RB_OPT_BARE, "PART.gpkg...", NULL, M_INPUT, "the outputs of rumble match --partition, every region's" },
    { "output", 'o', "FILE", NULL, M_OUT, "the merged output (.gpkg), its summary beside it" },
    { "quiet", 'q', NULL, NULL, M_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, M_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char merge_examples[] =
    "  rumble match --roads build/demo/roads.gpkg --crashes build/demo/crashes.csv --x-field lon --y-field lat \\\n"
    "               --crashes-crs EPSG:4326 --road-id seg_id --route-field road --partition road=KAZ-R1 -o r1.gpkg\n"
    "  rumble match --roads build/demo/roads.gpkg --crashes build/demo/crashes.csv --x-field lon --y-field lat \\\n"
    "               --crashes-crs EPSG:4326 --road-id seg_id --route-field road --partition road=KAZ-R2 -o r2.gpkg\n"
    "  rumble merge r1.gpkg r2.gpkg -o merged.gpkg\n";

struct merge_args {
    struct rb_cli cli;
    const char *in[MAX_PARTS];
    size_t nin;
    const char *out;
    int help;
};

static int on_merge_opt(int id, const char *v, void *ud)
{
    struct merge_args *a = ud;
    switch (id) {
    case M_INPUT:
        if (a->nin == MAX_PARTS) {
            rb_cli_error("merge: at most %d partitions", MAX_PARTS);
            return RB_EXIT_USAGE;
        }
        a->in[a->nin++] = v;
        break;
    case M_OUT: a->out = v; break;
    case M_QUIET: a->cli.quiet = 1; break;
    case M_HELP: a->help = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_merge(int argc, char **argv)
{
    struct merge_args *a = rb_calloc(1, sizeof *a);
    if (!a) {
        rb_cli_error("out of memory");
        return RB_EXIT_NOMEM;
    }
    a->cli.cmd = "merge";
    struct rb_config cfg;
    rb_config_init(&cfg);
    int rc = rb_cli_parse(&a->cli, argc, argv, merge_opts, NULL, &cfg, on_merge_opt, a);
    rb_config_free(&cfg);
    if (rc == RB_EXIT_OK && a->help)
        rb_cli_usage(stdout, "merge", "PART.gpkg... -o MERGED.gpkg", merge_opts, NULL, merge_examples);
    if (rc == RB_EXIT_OK && !a->help && (!a->nin || !a->out)) {
        rb_cli_error("merge: give the partitions' outputs and -o MERGED.gpkg; see 'rumble merge --help'");
        rc = RB_EXIT_USAGE;
    }
    if (rc != RB_EXIT_OK || a->help) {
        rb_free(a);
        return rc;
    }
    struct rb_log log = { 0 };
    struct rb_err err = { 0 };
    struct rb_merge_result res;
    struct rb_progress prog = { rb_cli_progress, &a->cli };
    rb_io_init();
    int mrc = rb_run_merge(a->in, a->nin, a->out, a->cli.progress ? &prog : NULL, &res, &log, &err);
    rb_cli_progress_done(&a->cli);
    if (mrc) {
        rc = rb_cli_fail(&err);
    } else if (!a->cli.quiet) {
        printf("merged %zu partition%s: %zu crashes (%zu matched; unmatched %zu near a road, %zu far from all),"
               " %zu segments, %zu rejected rows\n", res.parts, res.parts == 1 ? "" : "s", res.crashes, res.matched,
               res.from[RB_PART_IN], res.from[RB_PART_OUT], res.segments, res.rejected);
        printf("wrote %s\n", a->out);
    }
    if (!mrc && res.why[0]) {
        fprintf(stderr, "rumble: %s: %s\n", res.untrusted ? "untrusted" : "warning", res.why);
        if (res.untrusted)
            rc = RB_EXIT_UNTRUSTED;
    }
    rb_cli_warnings(&a->cli, &log);
    rb_log_free(&log);
    rb_io_cleanup();
    rb_free(a);
    return rc;
}
