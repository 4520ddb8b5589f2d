/* cli/job: a run's stages in order, with progress, warnings, --strict and
 * what happened on stdout — shared by match, screen, run and plan. */
#include "cli/cli.h"

#include <string.h>

static size_t unaccepted(const struct rb_log *log)
{
    size_t n = 0;
    for (size_t i = 0; i < log->nfinds; i++)
        n += !log->finds[i].accepted;
    return n;
}

int rb_cli_job(struct rb_cli *cli, struct rb_run *run, int strict, size_t top)
{
    for (size_t k = 0; k < cli->nconfigs && k < sizeof run->opt.configs / sizeof *run->opt.configs; k++)
        run->opt.configs[run->opt.nconfigs++] = cli->configs[k];
    run->opt.progress = (struct rb_progress){ rb_cli_progress, cli };
    run->opt.keep_top = cli->quiet ? 0 : top;
    rb_io_init();
    int rc = RB_EXIT_OK;
    if (rb_run_check(run))
        goto fail;
    if (run->opt.job == RB_JOB_PLAN ? rb_run_read_screening(run) : rb_run_read(run) || rb_run_match(run))
        goto fail;
    if (rb_run_screen(run) || rb_run_plan(run))
        goto fail;
    rb_cli_progress_done(cli);
    rb_cli_warnings(cli, &run->log);
    rb_cli_findings(cli, &run->log);
    size_t nwarn = rb_log_total(&run->log) + unaccepted(&run->log);
    if (strict && nwarn) {
        rb_cli_error("%s: %zu warnings and --strict: no output written", cli->cmd, nwarn);
        rc = RB_EXIT_STRICT;
        goto done;
    }
    if (rb_run_write(run))
        goto fail;
    rb_cli_progress_done(cli);
    if (run->out.unindexed && run->opt.spatial_index == RB_SPATIAL_INDEX_AUTO && !cli->quiet &&
        strstr(run->opt.output, ".gpkg"))
        fprintf(stderr, "rumble: note: layers over %d features were written without a spatial index"
                " (fast to write); add one with --spatial-index yes or in QGIS\n", RB_SPATIAL_INDEX_AUTO_MAX);
    if (!cli->quiet && run->opt.job == RB_JOB_PLAN) {
        printf("screening: %s (%zu segments on %zu routes, %zu crashes, %zu stretches in '%s')\n",
               run->opt.screen_path, run->net.nsegs, run->routes.nroutes, run->saved.crashes.nrows, run->hot.n,
               run->opt.hot_layer);
        rb_cli_print_plan(&run->cfg, &run->ps, &run->routes);
        rb_cli_print_written(run);
    } else if (!cli->quiet) {
        rb_cli_print_run(run, top);
    }
    rc = rb_cli_untrusted(cli, &run->log);
    goto done;
fail:
    rb_cli_progress_done(cli);
    rc = rb_cli_fail(&run->err);
done:
    rb_io_cleanup();
    return rc;
}
