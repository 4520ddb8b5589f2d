/* cli/opts: option parsing, messages, progress. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rb_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rumble: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int rb_cli_fail(const struct rb_err *err)
{
    rb_cli_error("%s", err->msg);
    switch (err->code) {
    case RB_ENOMEM: return RB_EXIT_NOMEM;
    case RB_EUSAGE: return RB_EXIT_USAGE;
    default: return RB_EXIT_DATA;
    }
}

void rb_cli_warnings(const struct rb_cli *cli, const struct rb_log *log)
{
    if (cli->quiet)
        return;
    size_t shown = 0, limit = 20;
    for (size_t i = 0; i < log->nmsgs && shown < limit; i++, shown++)
        fprintf(stderr, "rumble: warning: %s\n", log->msgs[i]);
    size_t total = rb_log_total(log);
    if (total > shown)
        fprintf(stderr, "rumble: %zu more warnings; their counts are in the summary\n", total - shown);
}

void rb_cli_findings(const struct rb_cli *cli, const struct rb_log *log)
{
    for (size_t i = 0; i < log->nfinds; i++) {
        const struct rb_finding *f = &log->finds[i];
        if (f->untrusted && !f->accepted)
            fprintf(stderr, "rumble: error [%s]: %s\n", f->code, f->msg);
        else if (!cli->quiet)
            fprintf(stderr, "rumble: warning [%s]: %s%s\n", f->code, f->msg, f->accepted ? " (accepted)" : "");
    }
}

int rb_cli_untrusted(const struct rb_cli *cli, const struct rb_log *log)
{
    if (!rb_log_untrusted(log))
        return RB_EXIT_OK;
    char codes[512] = "";
    for (size_t i = 0; i < log->nfinds; i++) {
        const struct rb_finding *f = &log->finds[i];
        if (f->untrusted && !f->accepted && !strstr(codes, f->code))
            snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", *codes ? "," : "", f->code);
    }
    fprintf(stderr, "rumble: the result cannot be trusted (%s): the output is written to be looked at, not"
            " used. Fix the input; if it is meant as it is, rerun with --accept %s\n", codes, codes);
    return RB_EXIT_UNTRUSTED;
}

/* Progress into a log (stderr not a terminal): nothing for a run's first
 * RB_CLI_LOG_QUIET_S seconds (RUMBLE_PROGRESS_AFTER_S, when set), so a short
 * run's log holds only what matters;
 * then a plain line when a step begins, at a new tenth of a counted step when
 * RB_CLI_LOG_MIN_S have passed since the last line, and at least every
 * RB_CLI_LOG_EVERY_S seconds. */
#define RB_CLI_LOG_QUIET_S 3.0
#define RB_CLI_LOG_MIN_S 2.0
#define RB_CLI_LOG_EVERY_S 10.0
static struct {
    double t0, t_last, quiet_s;
    char what[96];
    int tenth;
} logp;

static void progress_line(const struct rb_cli *cli, const char *what, size_t done, size_t total)
{
    double now = rb_now_s();
    if (logp.t0 == 0) {
        logp.t0 = now;
        const char *q = getenv("RUMBLE_PROGRESS_AFTER_S");   /* tests see a short run's lines */
        logp.quiet_s = q && *q ? atof(q) : RB_CLI_LOG_QUIET_S;
    }
    int tenth = total ? (int)(10 * done / total) : -1;
    int step = strcmp(what, logp.what) != 0;
    if (step) {
        snprintf(logp.what, sizeof logp.what, "%s", what);
        logp.tenth = -1;
    }
    if (now - logp.t0 < logp.quiet_s ||
        (!step && !(tenth > logp.tenth && now - logp.t_last >= RB_CLI_LOG_MIN_S) &&
         now - logp.t_last < RB_CLI_LOG_EVERY_S))
        return;
    logp.tenth = tenth;
    logp.t_last = now;
    if (total)
        fprintf(stderr, "rumble %s: %s %.0f%% (%zu/%zu) at %.0f s\n", cli->cmd, what, 100.0 * done / total, done,
                total, now - logp.t0);
    else if (done)
        fprintf(stderr, "rumble %s: %s %zu at %.0f s\n", cli->cmd, what, done, now - logp.t0);
    else
        fprintf(stderr, "rumble %s: %s at %.0f s\n", cli->cmd, what, now - logp.t0);
}

void rb_cli_progress(void *ud, const char *what, size_t done, size_t total)
{
    const struct rb_cli *cli = ud;
    if (cli->quiet)
        return;
    if (!cli->progress) {
        progress_line(cli, what, done, total);
        return;
    }
    if (total)
        fprintf(stderr, "\r\033[K%s: %s %3.0f%% (%zu/%zu)", cli->cmd, what, 100.0 * done / total,
                done, total);
    else if (done)
        fprintf(stderr, "\r\033[K%s: %s %zu", cli->cmd, what, done);
    else
        fprintf(stderr, "\r\033[K%s: %s", cli->cmd, what);
}

void rb_cli_progress_done(const struct rb_cli *cli)
{
    if (cli->progress)
        fprintf(stderr, "\r\033[K");
}

enum { G_FORMAT = 9001, G_LCO, G_DSCO, G_OO };

const struct rb_opt rb_gdal_opts[] = {
    { "format", 'f', "FORMAT", NULL, G_FORMAT, "output driver by GDAL name: GPKG, SQLite, CSV, \"ESRI Shapefile\", GeoJSON, FlatGeobuf (default: from the extension)" },
    { "lco", 0, "NAME=VALUE", NULL, G_LCO, "layer creation option of the outputs, repeatable (-lco GEOMETRY_NAME=geometry)" },
    { "dsco", 0, "NAME=VALUE", NULL, G_DSCO, "dataset creation option of the outputs, repeatable" },
    { "oo", 0, "NAME=VALUE", NULL, G_OO, "open option of every input, repeatable (-oo AUTODETECT_TYPE=YES)" },
    RB_KEYOPT("output.crs"),
    RB_KEYOPT("crashes.where"),
    { NULL, 0, NULL, NULL, 0, NULL }
};

#define RB_GDAL_MAXOPTS 64
static const char *g_lco[RB_GDAL_MAXOPTS + 1], *g_dsco[RB_GDAL_MAXOPTS + 1], *g_oo[RB_GDAL_MAXOPTS + 1];
static const char *g_format;

/* a GDAL-style option: kept for io (argv outlives the run) */
static int gdal_opt(const struct rb_cli *cli, int id, const char *v)
{
    const char **l = id == G_LCO ? g_lco : id == G_DSCO ? g_dsco : id == G_OO ? g_oo : NULL;
    if (!l) {
        g_format = v;
    } else {
        size_t n = 0;
        while (l[n])
            n++;
        if (!strchr(v, '=') || n == RB_GDAL_MAXOPTS) {
            rb_cli_error("%s: -%s needs NAME=VALUE, not '%s'", cli->cmd,
                         id == G_LCO ? "lco" : id == G_DSCO ? "dsco" : "oo", v);
            return RB_EXIT_USAGE;
        }
        l[n] = v;
    }
    rb_io_set_gdal_options(g_oo[0] ? g_oo : NULL, g_dsco[0] ? g_dsco : NULL, g_lco[0] ? g_lco : NULL, g_format);
    return RB_EXIT_OK;
}

/* A table with its keyed rows (RB_KEYOPT) filled from the option table: flag,
 * argument, and help with the allowed values and the default. Resolved once
 * per table and kept for the program's life. */
#define RB_MAX_TABLES 8
#define RB_MAX_ROWS 160
static const struct rb_opt *resolve(const struct rb_opt *in)
{
    static const struct rb_opt *from[RB_MAX_TABLES];
    static struct rb_opt to[RB_MAX_TABLES][RB_MAX_ROWS];
    static char help[RB_MAX_TABLES][RB_MAX_ROWS][400];
    if (!in)
        return NULL;
    size_t t = 0;
    while (t < RB_MAX_TABLES && from[t] && from[t] != in)
        t++;
    if (t == RB_MAX_TABLES)
        return in;
    if (from[t])
        return to[t];
    size_t r = 0;
    for (; (in[r].name || in[r].key) && r + 1 < RB_MAX_ROWS; r++) {
        to[t][r] = in[r];
        const struct rb_config_key *k = in[r].name ? NULL : rb_config_key(in[r].key);
        if (!k)
            continue;
        char extra[256] = "", list[200];
        if (k->choices) {
            rb_config_choices_text(k->choices, list, sizeof list);
            snprintf(extra, sizeof extra, " (%s%s%s)", list, k->dflt ? "; default: " : "", k->dflt ? k->dflt : "");
        } else if (k->dflt) {
            snprintf(extra, sizeof extra, " (default: %s)", k->dflt);
        }
        snprintf(help[t][r], sizeof help[t][r], "%s%s", k->help, extra);
        to[t][r].name = k->flag;
        to[t][r].arg = k->arg;
        to[t][r].help = help[t][r];
    }
    memset(&to[t][r], 0, sizeof to[t][r]);
    from[t] = in;
    return to[t];
}

static const struct rb_opt *find_opt(const struct rb_opt *opts, const char *arg)
{
    for (const struct rb_opt *o = opts; o->name; o++) {
        if (arg[0] == '-' && arg[1] == '-' && !strcmp(arg + 2, o->name))
            return o;
        /* GDAL's way: a long name after one dash (-lco, -t_srs, -where) */
        if (arg[0] == '-' && arg[1] != '-' && arg[1] && arg[2] && !strcmp(arg + 1, o->name))
            return o;
        if (arg[0] == '-' && o->short_name && o->short_name != RB_OPT_BARE && arg[1] == o->short_name && !arg[2])
            return o;
        if (arg[0] != '-' && o->short_name == RB_OPT_BARE)
            return o;
    }
    return NULL;
}

int rb_cli_parse(struct rb_cli *cli, int argc, char **argv, const struct rb_opt *opts,
                 const struct rb_opt *extra, struct rb_config *cfg,
                 int (*on_opt)(int id, const char *value, void *ud), void *ud)
{
    struct rb_err err = { 0 };
    opts = resolve(opts);
    extra = resolve(extra);
    const struct rb_opt *gdal_opts = resolve(rb_gdal_opts);
    /* first the preset (with the data directory it is looked for in), then the
     * config files, so that each extends the one before and flags override all */
    const char *preset = NULL, *data_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *file = NULL;
        if (!strncmp(argv[i], "--config=", 9)) {
            file = argv[i] + 9;
        } else if (!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) {
            if (i + 1 >= argc) {
                rb_cli_error("%s: option '--config' needs FILE", cli->cmd);
                return RB_EXIT_USAGE;
            }
            file = argv[++i];
        } else {
            /* skip the value of an option that takes one, so a value is never
             * mistaken for --config */
            const char *a = argv[i];
            const struct rb_opt *o = find_opt(opts, a);
            if (!o && extra)
                o = find_opt(extra, a);
            if (!o && cli->gdal)
                o = find_opt(gdal_opts, a);
            const char *val = o && o->arg && o->short_name != RB_OPT_BARE && i + 1 < argc ? argv[i + 1] : NULL;
            if (!strncmp(a, "--preset=", 9))
                preset = a + 9;
            else if (!strncmp(a, "--data-dir=", 11))
                data_dir = a + 11;
            else if (o && o->key && !strcmp(o->key, "preset"))
                preset = val;
            else if (o && o->key && !strcmp(o->key, "data_dir"))
                data_dir = val;
            if (o && o->arg && o->short_name != RB_OPT_BARE)
                i++;
            continue;
        }
        if (cli->nconfigs == sizeof cli->configs / sizeof *cli->configs) {
            rb_cli_error("%s: at most %zu config files", cli->cmd, sizeof cli->configs / sizeof *cli->configs);
            return RB_EXIT_USAGE;
        }
        cli->configs[cli->nconfigs++] = file;
    }
    if ((data_dir && rb_config_set(cfg, "data_dir", data_dir, &err)) ||
        (preset && rb_config_set(cfg, "preset", preset, &err)))
        return rb_cli_fail(&err);
    for (size_t k = 0; k < cli->nconfigs; k++)
        if (rb_config_read(cfg, cli->configs[k], &err))
            return rb_cli_fail(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *eq = NULL;
        char namebuf[128];
        /* --name=value */
        if (a[0] == '-' && a[1] == '-' && (eq = strchr(a, '=')) && (size_t)(eq - a) < sizeof namebuf) {
            snprintf(namebuf, sizeof namebuf, "%.*s", (int)(eq - a), a);
            a = namebuf;
        }
        if (!strcmp(a, "--config") || !strcmp(a, "-c")) {
            if (!eq)
                i++;
            continue;
        }
        const struct rb_opt *o = find_opt(opts, a);
        if (!o && extra)
            o = find_opt(extra, a);
        if (!o && cli->gdal)
            o = find_opt(gdal_opts, a);
        if (!o) {
            rb_cli_error("%s: unknown option '%s'; see 'rumble %s --help'", cli->cmd, argv[i], cli->cmd);
            return RB_EXIT_USAGE;
        }
        const char *val = NULL;
        if (o->short_name == RB_OPT_BARE) {
            val = argv[i];
        } else if (o->arg) {
            if (eq) {
                val = eq + 1;
            } else {
                if (i + 1 >= argc) {
                    rb_cli_error("%s: option '--%s' needs %s", cli->cmd, o->name, o->arg);
                    return RB_EXIT_USAGE;
                }
                val = argv[++i];
            }
        } else if (eq) {
            rb_cli_error("%s: option '--%s' takes no value", cli->cmd, o->name);
            return RB_EXIT_USAGE;
        }
        if (o->key && !strcmp(o->key, "preset")) {
            continue;                   /* read before the config files */
        } else if (o->key) {
            if (rb_config_set(cfg, o->key, val, &err))
                return rb_cli_fail(&err);
        } else if (o->id >= G_FORMAT && o->id <= G_OO) {
            int rc = gdal_opt(cli, o->id, val);
            if (rc != RB_EXIT_OK)
                return rc;
        } else {
            int rc = on_opt(o->id, val, ud);
            if (rc != RB_EXIT_OK)
                return rc;
        }
    }
    cli->progress = !cli->quiet && isatty(2);
    return RB_EXIT_OK;
}

static void usage_rows(FILE *f, const struct rb_opt *opts)
{
    for (const struct rb_opt *o = opts; o && o->name; o++) {
        char left[64];
        if (o->short_name == RB_OPT_BARE)
            snprintf(left, sizeof left, "%s", o->arg);
        else if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-32s %s", left, o->help);
        if (o->key)
            fprintf(f, " [%s]", o->key);
        fputc('\n', f);
    }
}

void rb_cli_usage(FILE *f, const char *cmd, const char *synopsis, const struct rb_opt *opts,
                  const struct rb_opt *extra, const char *examples)
{
    opts = resolve(opts);
    extra = resolve(extra);
    fprintf(f, "usage: rumble %s %s\n\n", cmd, synopsis);
    fprintf(f, "Options (each with a config key where shown; flags override the config):\n");
    usage_rows(f, opts);
    if (extra) {
        fprintf(f, "\n%s:\n", !strcmp(cmd, "match") ? "Partitioned runs" : "Screening");
        usage_rows(f, extra);
    }
    /* the commands that read and write geodata take GDAL's options */
    if (!strcmp(cmd, "match") || !strcmp(cmd, "screen") || !strcmp(cmd, "run") || !strcmp(cmd, "plan")) {
        fprintf(f, "\nGDAL-style (one dash or two):\n");
        usage_rows(f, resolve(rb_gdal_opts));
    }
    if (examples)
        fprintf(f, "\nExamples (in the source tree, after make demo):\n%s", examples);
}
