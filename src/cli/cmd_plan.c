/* rumble plan: plans from a saved screening — the segments, crashes and
 * hotspots layers of a `rumble screen` (or `rumble run`) GeoPackage, as the
 * analyst left them: hotspots deleted, added or redrawn in QGIS are planned as
 * they stand. Without --screen it runs the whole job, as `rumble run` does. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

enum { P_SCREEN = 1, P_HOT, P_OUT, P_QUIET, P_HELP, P_ROADS };

/* The plan's options, taken by rumble run too. */
const struct rb_opt rb_plan_opts[] = {
    RB_KEYOPT("plan.budget"),
    RB_KEYOPT("plan.catalogue"),
    RB_KEYOPT("plan.prices"),
    RB_KEYOPT("plan.discount_rate"),
    RB_KEYOPT("plan.analysis_period_yr"),
    RB_KEYOPT("plan.objective"),
    RB_KEYOPT("plan.alpha"),
    RB_KEYOPT("plan.combine"),
    RB_KEYOPT("assets.path"),
    RB_KEYOPT("assets.crs"),
    RB_KEYOPT("plan.systemic"),
    RB_KEYOPT("plan.systemic_budget"),
    RB_KEYOPT("plan.budgets"),
    RB_KEYOPT("plan.carry_over"),
    RB_KEYOPT("plan.allow_unrated"),
    RB_KEYOPT("plan.price_index"),
    RB_KEYOPT("plan.rank_by"),
    RB_KEYOPT("plan.severity_costs"),
    RB_KEYOPT("plan.placement"),
    RB_KEYOPT("plan.drive_side"),
    RB_KEYOPT("units"),
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const struct rb_opt plan_own_opts[] = {
    { "config", 'c', "FILE", NULL, 0, "JSON project config (the screening's: its road field names apply)" },
    RB_KEYOPT("preset"),
    { "screen", 0, "FILE", NULL, P_SCREEN, "a rumble screen or run GeoPackage (segments, crashes, hotspots)" },
    { "hotspots-layer", 0, "NAME", NULL, P_HOT, "the layer of stretches to plan (default hotspots)" },
    { "roads", 0, "FILE", NULL, P_ROADS, "without --screen: screen these roads first (all of rumble run's options)" },
    RB_PLAN_ROAD_OPTS,
    RB_KEYOPT("settlements.path"),
    RB_KEYOPT("accept"),
    RB_KEYOPT("crash_costs"),
    RB_KEYOPT("data_dir"),
    { "output", 'o', "FILE", NULL, P_OUT, "output GeoPackage: plan, work_lines, work_points" },
    { "quiet", 'q', NULL, NULL, P_QUIET, "print nothing but errors" },
    { "help", 'h', NULL, NULL, P_HELP, "this help" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const char plan_examples[] =
    "  rumble screen --config data/demo/project.json --roads build/demo/roads.gpkg \\\n"
    "                --crashes build/demo/crashes.csv -o screen.gpkg\n"
    "  rumble plan --config data/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg\n";

struct plan_args {
    struct rb_cli cli;
    const char *screen, *hot, *out;
    int help, roads;
};

static int on_plan_opt(int id, const char *v, void *ud)
{
    struct plan_args *a = ud;
    switch (id) {
    case P_SCREEN: a->screen = v; break;
    case P_HOT: a->hot = v; break;
    case P_OUT: a->out = v; break;
    case P_QUIET: a->cli.quiet = 1; break;
    case P_HELP: a->help = 1; break;
    case P_ROADS: a->roads = 1; break;
    }
    return RB_EXIT_OK;
}

int cmd_plan(int argc, char **argv)
{
    /* without --screen this is rumble run, options and all */
    int has_screen = 0, has_config = 0;
    const char *screen = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--screen=", 9))
            screen = argv[i] + 9;
        else if (!strcmp(argv[i], "--screen") && i + 1 < argc)
            screen = argv[i + 1];
        has_screen |= !strcmp(argv[i], "--screen") || !strncmp(argv[i], "--screen=", 9);
        has_config |= !strcmp(argv[i], "--config") || !strcmp(argv[i], "-c") || !strncmp(argv[i], "--config=", 9);
    }
    if (!has_screen) {
        for (int i = 1; i < argc; i++)
            if (!strcmp(argv[i], "--roads") || !strncmp(argv[i], "--roads=", 8))
                return cmd_run(argc, argv);
    }
    struct plan_args a = { .cli = { .cmd = "plan", .gdal = 1 }, .hot = "hotspots" };
    struct rb_run *run = rb_malloc(sizeof *run);
    if (!run) {
        rb_cli_error("out of memory");
        return RB_EXIT_NOMEM;
    }
    rb_run_init(run, RB_JOB_PLAN);
    /* the screening's own settings first; the command line's config and flags over them */
    int rc = RB_EXIT_OK;
    if (screen)
        rb_io_init();
    if (screen && rb_run_saved_settings(run, screen, !has_config))
        rc = rb_cli_fail(&run->err);
    if (rc == RB_EXIT_OK)
        rc = rb_cli_parse(&a.cli, argc, argv, plan_own_opts, rb_plan_opts, &run->cfg, on_plan_opt, &a);
    if (rc == RB_EXIT_OK && a.help)
        rb_cli_usage(stdout, "plan", "--screen SCREEN.gpkg [--budget MONEY] -o PLAN.gpkg", plan_own_opts,
                     rb_plan_opts, plan_examples);
    if (rc == RB_EXIT_OK && !a.help) {
        run->opt.output = a.out;
        run->opt.screen_path = a.screen;
        run->opt.hot_layer = a.hot;
        rc = rb_cli_job(&a.cli, run, 0, 0);
    }
    rb_run_free(run);
    rb_free(run);
    return rc;
}
