/* run/report: `rumble report` — a run's GeoPackage (and its summary beside
 * it) into one self-contained HTML page. */
#include "run/internal.h"
#include "report/html.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int rb_run_report_check(struct rb_run_report *r, const struct rb_run_report_opt *o)
{
    struct rb_err *err = &r->err;
    if (!o->in || !o->out)
        return rb_err_set(err, RB_EUSAGE, "report: needs a run's GeoPackage and -o REPORT.html; see 'rumble report "
                          "--help'");
    const char *dot = strrchr(o->out, '.');
    if (!dot || (strcmp(dot, ".html") && strcmp(dot, ".htm")))
        return rb_err_set(err, RB_EUSAGE, "report: the report is HTML: name it .html, not '%s'", o->out);
    if (access(o->in, R_OK) != 0)
        return rb_err_set(err, RB_EUSAGE, "report: cannot open '%s': %s", o->in, strerror(errno));
    char name[96], path[4096];
    snprintf(name, sizeof name, "locale/%.60s.json", o->lang);
    rb_data_path(o->data_dir, name, path, sizeof path);
    if (access(path, R_OK) != 0) {
        char list[512];
        rb_run_data_ids(o->data_dir, "locale", list, sizeof list);
        return rb_err_set(err, RB_EUSAGE, "report: no language '%s' (%s); the languages are: %s", o->lang, path,
                          list[0] ? list : "none");
    }
    /* the run's summary beside it, when there */
    if (!o->summary) {
        r->summary_path = rb_run_swap_ext(o->in, ".summary.json");
        if (!r->summary_path)
            return rb_err_nomem(err);
    }
    const char *summary = o->summary ? o->summary : r->summary_path;
    if (rb_io_check_writable(o->out, err))
        return err->code;
    if (o->evaluation && access(o->evaluation, R_OK) != 0)
        return rb_err_set(err, RB_EUSAGE, "report: cannot open the evaluation '%s': %s", o->evaluation, strerror(errno));
    const char *in[] = { o->in, summary, o->catalogue, path, o->evaluation };
    const char *out[] = { o->out };
    return rb_paths_check(in, o->evaluation ? 5 : 4, out, 1, err);
}

/* The countermeasures' names; a catalogue that cannot be read leaves their
 * ids, unless it was named. */
static int catalogue_names(struct rb_run_report *r, const struct rb_run_report_opt *o)
{
    struct rb_err cerr = { 0 };
    if (!(r->cat = rb_calloc(1, sizeof *r->cat)))
        return rb_err_nomem(&r->err);
    if (rb_catalogue_read(o->data_dir, o->catalogue, r->cat, &cerr) != RB_OK) {
        if (o->catalogue)
            r->err = cerr;
        return o->catalogue ? r->err.code : RB_OK;
    }
    r->cm_ids = rb_mallocarray(r->cat->n ? r->cat->n : 1, sizeof *r->cm_ids);
    r->cm_names = rb_mallocarray(r->cat->n ? r->cat->n : 1, sizeof *r->cm_names);
    if (!r->cm_ids || !r->cm_names)
        return rb_err_nomem(&r->err);
    for (size_t k = 0; k < r->cat->n; k++) {
        r->cm_ids[k] = r->cat->cm[k].id;
        r->cm_names[k] = r->cat->cm[k].name;
    }
    r->ncm = r->cat->n;
    return RB_OK;
}

int rb_run_report_make(struct rb_run_report *r, const struct rb_run_report_opt *o)
{
    struct rb_err *err = &r->err;
    /* the fields the report reads; the rest stay on disk */
    static const char *const seg_f[] = { "segment_id", "route_id", "from_m", "to_m", "length_m", "rank",
                                         "excess_per_yr", "pred_per_yr", "n_years", "population", NULL };
    static const char *const cr_f[] = { "severity", "crash_type", "light", "surface", "weather", "match_status",
                                        "crash_date", "crash_time", "in_study", "route_id", "chainage_m",
                                        "intersection_id", "segment_id", NULL };
    static const char *const int_f[] = { "intersection_id", "n_legs", "entering_aadt", "n_obs", "n_k", "n_a",
                                         "freq_per_yr", "epdo", "mom_excess_per_yr", "rank", NULL };
    static const struct rb_shapes_req req[RB_RUN_REPORT_NSHAPES] = {
        { "segments", seg_f, 1 }, { "hotspots", NULL, 1 }, { "plan", NULL, 1 }, { "work_lines", NULL, 1 },
        { "work_points", NULL, 1 }, { "crashes", cr_f, 0 }, { "intersections", int_f, 1 },
    };
    if (!(r->locale = rb_locale_read(o->data_dir, o->lang, err)))
        return err->code;
    if (rb_io_read_shapes(o->in, req, RB_RUN_REPORT_NSHAPES, r->sh, &r->log, err))
        return err->code;
    r->have_shapes = 1;
    if (!r->sh[0].present && !r->sh[5].present && !r->sh[6].present)
        return rb_err_set(err, RB_EINVAL, "%s: no segments or crashes layer: not the output of rumble match, screen, "
                          "run or plan", o->in);
    const char *summary = o->summary;
    if (!summary && access(r->summary_path, R_OK) == 0)
        summary = r->summary_path;
    if (summary && !(r->summary = rb_io_read_json(summary, err)))
        return err->code;
    if (catalogue_names(r, o))
        return err->code;
    if (o->evaluation) {
        const struct rb_shapes_req ereq = { "evaluation_pooled", NULL, 0 };
        if (rb_io_read_shapes(o->evaluation, &ereq, 1, &r->eval, &r->log, err))
            return err->code;
        r->have_eval = 1;
        if (!r->eval.present)
            return rb_err_set(err, RB_EINVAL, "%s: no evaluation_pooled layer: not the output of rumble evaluate",
                              o->evaluation);
    }
    struct rb_report_src src = { o->in, &r->sh[0], &r->sh[1], &r->sh[2], &r->sh[3], &r->sh[4], &r->sh[5], r->summary,
                                 r->locale, r->cm_ids, r->cm_names, r->ncm, o->top, o->map_by, &r->sh[6],
                                 o->map_points, r->have_eval ? &r->eval : NULL };
    if (rb_report_html(&src, &r->html, err) || rb_io_write_text(o->out, r->html, err))
        return err->code;
    return RB_OK;
}

void rb_run_report_free(struct rb_run_report *r)
{
    rb_free(r->html);
    rb_free(r->cm_ids);
    rb_free(r->cm_names);
    rb_free(r->cat);
    rb_free(r->summary_path);
    cJSON_Delete(r->summary);
    cJSON_Delete(r->locale);
    for (int k = 0; r->have_shapes && k < RB_RUN_REPORT_NSHAPES; k++)
        rb_shapes_free(&r->sh[k]);
    if (r->have_eval)
        rb_shapes_free(&r->eval);
    rb_log_free(&r->log);
    memset(r, 0, sizeof *r);
}
