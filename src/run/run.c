/* run: the run object — defaults, freeing, and the small helpers its stages share. */
#include "run/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rb_run_init(struct rb_run *run, enum rb_job job)
{
    memset(run, 0, sizeof *run);
    rb_config_init(&run->cfg);
    run->opt = (struct rb_run_opt){ .job = job, .spatial_index = RB_SPATIAL_INDEX_AUTO };
    run->target_type = -1;
    run->target_focus = -1;
}

static void saved_free(struct rb_run_saved *sv)
{
    rb_table_free(&sv->crashes);
    rb_table_free(&sv->hotspots);
    rb_table_free(&sv->intersections);
    rb_free(sv->ids);
    rb_free(sv->idbuf);
    rb_free(sv->keys);
    rb_free(sv->keybuf);
    rb_free(sv->pc);
    rb_free(sv->seg);
    rb_free(sv->chainage);
    rb_free(sv->counted);
    /* jrank, jobs, jfreq and jaadt belong to the run's int_sites */
    for (size_t j = 0; sv->jid && j < sv->njid; j++)
        rb_free(sv->jid[j]);
    rb_free(sv->jid);
    rb_free(sv->cjunc);
    memset(sv, 0, sizeof *sv);
}

static void out_free(struct rb_run_out *out)
{
    struct rb_out_layer *o[] = { &out->crashes, &out->rejected, &out->segments, &out->windows, &out->hotspots, &out->intersections,
                                 &out->sections, &out->plan, &out->lines, &out->points, &out->list, &out->systemic, &out->coverage, &out->coverage_routes,
                                 &out->settings };
    for (size_t k = 0; k < sizeof o / sizeof *o; k++)
        rb_out_layer_free(o[k]);
    rb_free(out->work_order);
    rb_styles_free(&out->styles);
    rb_free(out->summary_path);
    rb_free(out->work_path);
    rb_free(out->csv_crashes);
    rb_free(out->csv_segments);
    rb_free(out->summary);
    memset(out, 0, sizeof *out);
}

void rb_run_release(struct rb_run *run)
{
    rb_free(run->jc);
    run->jc = NULL;
    rb_free(run->rc_facts);
    run->rc_facts = NULL;
    rb_free(run->rc_sorted);
    run->rc_sorted = NULL;
    rb_free(run->facts);
    run->facts = NULL;
    rb_peaks_free(&run->peaks);
    rb_crp_free(&run->crp);
    rb_netindex_free(&run->ix);
}

void rb_run_free(struct rb_run *run)
{
    if (!run)
        return;
    out_free(&run->out);
    saved_free(&run->saved);
    rb_run_partition_free(&run->part);
    rb_run_plan_free(&run->ps);
    rb_junctions_free(&run->juncs);
    rb_sites_free(&run->int_sites);
    rb_free(run->jc);
    rb_free(run->jof);
    rb_run_pops_free(&run->pops);
    rb_routes_free(&run->routes);
    rb_lref_free(&run->lref);
    rb_free(run->locate);
    rb_sites_free(&run->seg_sites);
    rb_sites_free(&run->windows);
    rb_hotspots_free(&run->hot);
    rb_peaks_free(&run->peaks);
    rb_crp_free(&run->crp);
    rb_sections_free(&run->sections);
    for (size_t k = 0; run->sec_keys && k < run->roads.nsegs; k++)
        rb_free(run->sec_keys[k]);
    rb_free(run->sec_keys);
    rb_free(run->aadt_yr);
    rb_free(run->rc_facts);
    rb_free(run->rc_sorted);
    rb_free(run->chainage);
    rb_free(run->urban);
    rb_free(run->spfs);
    rb_free(run->seg_spf);
    rb_free(run->seg_attrs.val);
    rb_free(run->seg_cmf_given);
    rb_free(run->seg_cmf_base);
    rb_free(run->int_cmf_given);
    rb_free(run->int_cmf_base);
    rb_free(run->int_attrs.val);
    rb_free(run->spf_count);
    rb_free(run->int_spf.spf);
    rb_free(run->jctl);
    rb_free(run->jarea);
    rb_free(run->jlegs);
    rb_free(run->jlanes);
    rb_free(run->int_spf_count);
    rb_free(run->crash_urban);
    rb_polyindex_free(&run->pix);
    rb_polys_free(&run->polys);
    rb_free(run->route_keys);
    rb_free(run->route_buf);
    rb_free(run->seg_ids);
    rb_free(run->seg_idbuf);
    rb_free(run->seg_aadt);
    rb_free(run->match);
    rb_free(run->facts);
    rb_free(run->grade);
    rb_segstats_free(&run->stats);
    rb_crashes_free(&run->crashes);
    rb_netindex_free(&run->ix);
    rb_net_free(&run->net);
    rb_roads_free(&run->roads);
    rb_vocab_free(&run->vocab);
    rb_log_free(&run->log);
    rb_config_free(&run->cfg);
}

const char *const *rb_run_timing_names(void)
{
    static const char *const names[RB_RUN_NTIMINGS] = { "read_roads", "build_network", "read_crashes", "match",
                                                        "statistics", "write" };
    return names;
}

char *rb_run_swap_ext(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t base = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    size_t n = base + strlen(suffix) + 1;
    char *s = rb_malloc(n);
    if (s)
        snprintf(s, n, "%.*s%s", (int)base, path, suffix);
    return s;
}

const char *rb_run_list_item(const char *p, char *buf, size_t bufsz)
{
    size_t n = strcspn(p, ","), a = 0, b = n;
    while (a < b && p[a] == ' ')
        a++;
    while (b > a && p[b - 1] == ' ')
        b--;
    snprintf(buf, bufsz, "%.*s", (int)(b - a), p + a);
    return p + n + (p[n] == ',');
}

int rb_run_is_urban(const struct rb_vocab *vocab, const char *v)
{
    return v && rb_vocab_code(NULL, &vocab->area, rb_area_parse, v) == 1;
}

int rb_run_road_flag(const struct rb_roads *roads, const struct rb_vocab *vocab, long col, size_t s)
{
    char b[64];
    const char *t = col >= 0 ? rb_table_text(&roads->attrs, (size_t)col, s, b, sizeof b) : NULL;
    return t ? rb_vocab_code(NULL, &vocab->flag, rb_flag_parse, t) : -1;
}

long rb_run_need_layer_col(const struct rb_table *t, const char *name, const char *path, const char *layer,
                           const char *what, struct rb_err *err)
{
    long c = rb_table_find(t, name);
    if (c < 0)
        rb_err_set(err, RB_EINVAL, "%s: layer '%s' has no field '%s': is it a %s output?", path, layer, name, what);
    return c;
}

static int id_ix_cmp(const void *a, const void *b)
{
    const struct rb_id_ix *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

struct rb_id_ix *rb_id_index(const char *const *ids, size_t n)
{
    struct rb_id_ix *ix = rb_mallocarray(n, sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ix[i] = (struct rb_id_ix){ ids[i] ? ids[i] : "", i };
    qsort(ix, n, sizeof *ix, id_ix_cmp);
    return ix;
}

long rb_id_find(const struct rb_id_ix *ix, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(ix[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(ix[lo].id, id) ? (long)ix[lo].i : -1;
}
