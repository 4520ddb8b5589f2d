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
    { "budget", 0, "MONEY", "plan.budget", 0, "money for building, in the catalogue's currency (default: no limit)" },
    { "catalogue", 0, "FILE", "plan.catalogue", 0, "countermeasure catalogue (default data/countermeasures.json)" },
    { "discount-rate", 0, "RATE", "plan.discount_rate", 0, "a year, for present values (0.04)" },
    { "objective", 0, "WHAT", "plan.objective", 0, "what the budget choice maximises: npv (default) or crashes" },
    { "alpha", 0, "P", "plan.alpha", 0, "a crash pattern is over-represented at p <= P (0.05)" },
    { "combine", 0, "HOW", "plan.combine", 0, "several measures on the same crashes: multiply (default) or best" },
    { "budgets", 0, "B1,B2,..", "plan.budgets", 0, "yearly budgets: each chosen treatment gets the year it is built in" },
    { "carry-over", 0, "YES|NO", "plan.carry_over", 0, "with --budgets: money a year leaves unspent goes to the next (no)" },
    { "plan-rank-by", 0, "WHAT", "plan.rank_by", 0, "the plan layer's rank: npv (default), bcr or crashes" },
    { "placement", 0, "FILE", "plan.placement", 0, "work-order placement tables (default data/placement.json)" },
    { "drive-side", 0, "SIDE", "plan.drive_side", 0, "the side traffic keeps to, where signs stand: right (default) or left" },
    { NULL, 0, NULL, NULL, 0, NULL }
};

static const struct rb_opt plan_own_opts[] = {
    { "config", 'c', "FILE", NULL, 0, "JSON project config (the screening's: its road field names apply)" },
    { "screen", 0, "FILE", NULL, P_SCREEN, "a rumble screen or run GeoPackage (segments, crashes, hotspots)" },
    { "hotspots-layer", 0, "NAME", NULL, P_HOT, "the layer of stretches to plan (default hotspots)" },
    { "roads", 0, "FILE", NULL, P_ROADS, "without --screen: screen these roads first (all of rumble run's options)" },
    { "speed-field", 0, "FIELD", "roads.speed_limit", 0, "speed limit field" },
    { "lanes-field", 0, "FIELD", "roads.lanes", 0, "number of lanes field" },
    { "area-field", 0, "FIELD", "roads.area", 0, "urban/rural field" },
    { "shoulder-field", 0, "FIELD", "roads.shoulder_m", 0, "paved shoulder width field (m)" },
    { "bridge-field", 0, "FIELD", "roads.bridge", 0, "bridge flag field (yes/no)" },
    { "divided-field", 0, "FIELD", "roads.divided", 0, "divided carriageway flag field (yes/no)" },
    { "settlements", 0, "FILE", "settlements.path", 0, "settlement polygons: strips keep away from them" },
    { "data-dir", 0, "DIR", "data_dir", 0, "where the data files are" },
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
    int has_screen = 0;
    for (int i = 1; i < argc; i++)
        has_screen |= !strcmp(argv[i], "--screen") || !strncmp(argv[i], "--screen=", 9);
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
    int rc = rb_cli_parse(&a.cli, argc, argv, plan_own_opts, rb_plan_opts, &run->cfg, on_plan_opt, &a);
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
