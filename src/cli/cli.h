/* cli: argument parsing, progress, messages and exit codes — the only code that
 * prints. One file per subcommand; each declares its options as a table. */
#ifndef RB_CLI_H
#define RB_CLI_H

#include <stdio.h>
#include "rumble.h"
#include "run/run.h"

/* Exit codes, documented in `rumble --help`. */
enum {
    RB_EXIT_OK = 0,
    RB_EXIT_DATA = 1,     /* the input cannot be read or trusted; no output was left */
    RB_EXIT_USAGE = 2,    /* the command line or config is wrong */
    RB_EXIT_NOMEM = 3,    /* out of memory */
    RB_EXIT_STRICT = 4,   /* --strict and the input had warnings; no output was left */
    RB_EXIT_UNTRUSTED = 5 /* the run finished, but a finding says its result cannot be trusted */
};

/* One option of a subcommand. key is the config key it sets (NULL for options the
 * subcommand handles itself, by id). */
struct rb_opt {
    const char *name;     /* long name without "--" */
    char short_name;      /* 0 when none; RB_OPT_BARE: takes the arguments that are not options */
    const char *arg;      /* argument placeholder, NULL for a flag */
    const char *key;      /* config key, or NULL */
    int id;               /* for options without a key */
    const char *help;
};

/* A row that sets a config key: its flag, argument and help come from the
 * option table (rb_config_keys). */
#define RB_KEYOPT(k) { NULL, 0, NULL, k, 0, NULL }

/* The road fields the plan reads (speed, lanes, area, shoulder, bridge,
 * divided): rows of match/screen/run's table and of plan's. */
#define RB_PLAN_ROAD_OPTS RB_KEYOPT("roads.speed_limit"), RB_KEYOPT("roads.lanes"), RB_KEYOPT("roads.area"), \
    RB_KEYOPT("roads.shoulder_m"), RB_KEYOPT("roads.bridge"), RB_KEYOPT("roads.divided"), RB_KEYOPT("roads.lit")

#define RB_OPT_BARE '\001'

struct rb_cli {
    int quiet;
    int progress;         /* stderr is a terminal and not quiet */
    const char *cmd;      /* subcommand name for messages */
    int gdal;             /* takes the GDAL-style options (rb_gdal_opts) too */
    const char *configs[8];   /* the config files read, in order */
    size_t nconfigs;
};

/* The options GDAL users know, for the commands that read and write geodata:
 * -f FORMAT, -lco, -dsco, -oo NAME=VALUE (repeatable), -t_srs CRS, -where EXPR.
 * Any long option may also be given with one dash (-where as --where). */
extern const struct rb_opt rb_gdal_opts[];
/* The plan's options (budget, catalogue, ...), for plan and run. */
extern const struct rb_opt rb_plan_opts[];

/* Parses argv against opts. For keyed options, calls rb_config_set; for the
 * others, calls on_opt(id, value, ud). --config is applied before all else so
 * flags override the file. Returns an exit code (RB_EXIT_OK to go on). */
int rb_cli_parse(struct rb_cli *cli, int argc, char **argv, const struct rb_opt *opts,
                 const struct rb_opt *extra, struct rb_config *cfg,
                 int (*on_opt)(int id, const char *value, void *ud), void *ud);
void rb_cli_usage(FILE *f, const char *cmd, const char *synopsis, const struct rb_opt *opts,
                  const struct rb_opt *extra, const char *examples);

/* Messages: "rumble: ..." on stderr. */
void rb_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rb_cli_fail(const struct rb_err *err);   /* prints err and returns its exit code */
void rb_cli_warnings(const struct rb_cli *cli, const struct rb_log *log);
/* The findings on stderr: untrusting ones as errors (even when quiet), the
 * rest as warnings. */
void rb_cli_findings(const struct rb_cli *cli, const struct rb_log *log);
/* RB_EXIT_UNTRUSTED, with the line that says why and how to accept, when a
 * finding not accepted makes the result untrustworthy; else RB_EXIT_OK. */
int rb_cli_untrusted(const struct rb_cli *cli, const struct rb_log *log);
void rb_cli_progress(void *ud, const char *what, size_t done, size_t total);
void rb_cli_progress_done(const struct rb_cli *cli);

/* Checks, then runs the stages of run (its cfg and opt set), prints warnings
 * and what happened; --strict (strict) stops before writing when there were
 * warnings. Returns an exit code. */
int rb_cli_job(struct rb_cli *cli, struct rb_run *run, int strict, size_t top);

/* What a run did, on stdout (cli/print.c). */
void rb_cli_print_run(const struct rb_run *run, size_t top);
void rb_cli_print_plan(const struct rb_config *cfg, const struct rb_run_plan *ps, const struct rb_routes *routes);
void rb_cli_print_written(const struct rb_run *run);
void rb_cli_print_fit(const struct rb_fit *f, const struct rb_fit_opt *o);
void rb_cli_print_cal(const struct rb_cal *c, const struct rb_cal_opt *o);
void rb_cli_print_eval(const struct rb_eval *e, const struct rb_eval_opt *o);

int cmd_match(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_fit_spf(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_systemic(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
