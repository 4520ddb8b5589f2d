/* run/merge: `rumble merge` — the outputs of `rumble match --partition`, one
 * per region, made into the output the whole network's run writes.
 *
 * Each crash is taken from the partition that owns it (matched on its
 * segments); a crash no partition matched from one that had it near its roads
 * (in), else from any (out: no road near it anywhere); run/partition.c says
 * why these are the whole run's rows. Segments are each partition's own.
 * Crashes and segments go back into input order (crash_seq, road_seq), the
 * segments' rank is made again over the whole network (the measure the
 * partitions ranked by, then crashes, then input order, as rumble match
 * ranks), and the partitions' own columns are dropped. Nothing is lost: the
 * merge refuses partitions that do not cover every crash and every segment
 * exactly once, or that disagree. */
#include "run/internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { L_CRASHES, L_SEGMENTS, L_REJECTED, NL };

struct part {
    const char *path;
    struct rb_shapes sh[NL];
    long c_status, c_seq, s_seq;
    size_t roads_read, crashes_total;
    char key_value[256], rank_by[64];
    char *fingerprint;      /* the summary's inputs, match options, EPDO weights and study years */
    int trusted;
    size_t crash_rows, seg_rows;   /* its layers' rows, kept when the layers are given back */
};

struct pick {
    size_t seq;
    uint32_t part, st;
    size_t row;
};

static int pick_cmp(const void *a, const void *b)
{
    const struct pick *p = a, *q = b;
    if (p->seq != q->seq)
        return p->seq < q->seq ? -1 : 1;
    return (p->part > q->part) - (p->part < q->part);
}

/* The partition's summary: the road layer's size, the crashes read, its key and ranking. */
static int read_summary(struct part *p, struct rb_err *err)
{
    char *path = rb_run_swap_ext(p->path, ".summary.json");
    if (!path)
        return rb_err_nomem(err);
    cJSON *root = rb_io_read_json(path, err);
    int rc = root ? RB_OK : err->code;
    const cJSON *pt = root ? cJSON_GetObjectItemCaseSensitive(root, "partition") : NULL;
    const cJSON *cr = root ? cJSON_GetObjectItemCaseSensitive(root, "crashes") : NULL;
    const cJSON *rr = cJSON_GetObjectItemCaseSensitive(pt, "roads_read");
    const cJSON *kv = cJSON_GetObjectItemCaseSensitive(pt, "key_value");
    const cJSON *rb = cJSON_GetObjectItemCaseSensitive(pt, "rank_by");
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(cr, "total");
    if (!root) {
        char why[sizeof err->msg];   /* the reader's message, copied: rb_err_set writes over err->msg */
        snprintf(why, sizeof why, "%s", err->msg);
        rc = rb_err_set(err, RB_EINVAL, "%s: %s (rumble match --partition writes it beside its GeoPackage; keep the"
                        " two together)", p->path, why);
    }
    if (!rc && (!cJSON_IsNumber(rr) || !cJSON_IsString(kv) || !cJSON_IsString(rb) || !cJSON_IsNumber(tot)))
        rc = rb_err_set(err, RB_EINVAL, "%s: no partition in this summary: is '%s' a rumble match --partition output?",
                        path, p->path);
    if (!rc) {
        /* what the partitions of one run share: read the same inputs with the same options */
        static const char *const same[] = { "inputs", "match", "epdo_weights", "epdo_weights_source" };
        struct rb_sb fp = { 0 };
        for (size_t k = 0; k < sizeof same / sizeof *same; k++) {
            char *t = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(root, same[k]));
            rb_sb_printf(&fp, "%s=%s;", same[k], t ? t : "null");
            cJSON_free(t);
        }
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(root, "study_period");
        const cJSON *y0 = cJSON_GetObjectItemCaseSensitive(sp, "from_year");
        const cJSON *y1 = cJSON_GetObjectItemCaseSensitive(sp, "to_year");
        rb_sb_printf(&fp, "study=%g-%g", cJSON_IsNumber(y0) ? y0->valuedouble : 0,
                     cJSON_IsNumber(y1) ? y1->valuedouble : 0);
        if (fp.nomem || !(p->fingerprint = rb_strdup(fp.s ? fp.s : "")))
            rc = rb_err_nomem(err);
        rb_free(fp.s);
        p->trusted = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "trusted"));
    }
    if (!rc) {
        p->roads_read = (size_t)rr->valuedouble;
        p->crashes_total = (size_t)tot->valuedouble;
        snprintf(p->key_value, sizeof p->key_value, "%s", kv->valuestring);
        snprintf(p->rank_by, sizeof p->rank_by, "%s", rb->valuestring);
    }
    cJSON_Delete(root);
    rb_free(path);
    return rc;
}

/* Same columns, in the same order and of the same types, as the first partition's. */
static int same_cols(const struct rb_table *a, const struct rb_table *b, const char *path, const char *layer,
                     struct rb_err *err)
{
    int same = a->ncols == b->ncols;
    for (size_t k = 0; same && k < a->ncols; k++)
        same = !strcmp(a->cols[k].name, b->cols[k].name) && a->cols[k].type == b->cols[k].type;
    return same ? RB_OK
                : rb_err_set(err, RB_EINVAL, "%s: layer '%s' has other fields than the first partition's: were the"
                             " partitions run with the same inputs and options?", path, layer);
}

static int read_part(struct part *p, const struct part *first, struct rb_log *log, struct rb_err *err)
{
    static const struct rb_shapes_req req[NL] = { { "crashes", NULL, 1 }, { "segments", NULL, 1 },
                                                  { "rejected", NULL, 0 } };
    if (read_summary(p, err) || rb_io_read_shapes(p->path, req, NL, p->sh, log, err))
        return err->code;
    if (!p->sh[L_CRASHES].present || !p->sh[L_SEGMENTS].present)
        return rb_err_set(err, RB_EINVAL,
                          "%s: no crashes and segments layers: is it a rumble match --partition output?", p->path);
    static const char what[] = "rumble match --partition";
    const struct rb_table *ct = &p->sh[L_CRASHES].attrs, *st = &p->sh[L_SEGMENTS].attrs;
    if ((p->c_status = rb_run_need_layer_col(ct, "partition", p->path, "crashes", what, err)) < 0 ||
        (p->c_seq = rb_run_need_layer_col(ct, "crash_seq", p->path, "crashes", what, err)) < 0 ||
        (p->s_seq = rb_run_need_layer_col(st, "road_seq", p->path, "segments", what, err)) < 0)
        return err->code;
    if (!first)
        return RB_OK;
    if (p->roads_read != first->roads_read || p->crashes_total != first->crashes_total ||
        strcmp(p->rank_by, first->rank_by))
        return rb_err_set(err, RB_EINVAL, "%s: read %zu roads and %zu crashes ranked by %s, %s %zu, %zu and %s: the"
                          " partitions of one run read the same inputs with the same options", p->path, p->roads_read,
                          p->crashes_total, p->rank_by, first->path, first->roads_read, first->crashes_total,
                          first->rank_by);
    if (strcmp(p->fingerprint, first->fingerprint)) {
        /* the first block that differs, by name */
        const char *a = first->fingerprint, *b = p->fingerprint;
        while (*a && *a == *b) {
            a++;
            b++;
        }
        const char *start = a;
        while (start > first->fingerprint && start[-1] != ';')
            start--;
        int len = (int)strcspn(start, "=");
        return rb_err_set(err, RB_EINVAL, "%s and %s were not made from the same inputs with the same options (their"
                          " summaries' '%.*s' differ): run every partition of one network with one command line but"
                          " --partition", first->path, p->path, len, start);
    }
    for (int l = 0; l < L_REJECTED; l++) {
        const char *a = first->sh[l].crs_wkt, *b = p->sh[l].crs_wkt;
        if ((a || b) && (!a || !b || strcmp(a, b)))
            return rb_err_set(err, RB_EINVAL, "%s and %s: layer '%s' is in %s and %s: the partitions of one run are"
                              " written in one CRS", first->path, p->path, l == L_CRASHES ? "crashes" : "segments",
                              first->sh[l].crs_name[0] ? first->sh[l].crs_name : "no CRS",
                              p->sh[l].crs_name[0] ? p->sh[l].crs_name : "no CRS");
    }
    if (!strcmp(p->key_value, first->key_value))
        return rb_err_set(err, RB_EINVAL, "%s and %s are both the partition %s", first->path, p->path, p->key_value);
    if (same_cols(&first->sh[L_CRASHES].attrs, &p->sh[L_CRASHES].attrs, p->path, "crashes", err) ||
        same_cols(&first->sh[L_SEGMENTS].attrs, &p->sh[L_SEGMENTS].attrs, p->path, "segments", err))
        return err->code;
    if (p->sh[L_REJECTED].n != first->sh[L_REJECTED].n)
        return rb_err_set(err, RB_EINVAL, "%s set aside %zu rows, %s %zu: the partitions read different crash files",
                          p->path, p->sh[L_REJECTED].n, first->path, first->sh[L_REJECTED].n);
    return RB_OK;
}

/* The merged layer's rows and geometry, copied from the picks in order. */
struct merged {
    struct rb_table t;
    size_t *part_off, *pt_off;
    double *xy;
    size_t nparts, npts, cap_rows, cap_parts, cap_pts;
};

static int take(struct merged *m, const struct rb_shapes *s, size_t row)
{
    if (rb_table_copy_row(&m->t, &s->attrs, row))
        return RB_ENOMEM;
    size_t r = m->t.nrows - 1;
    size_t p0 = s->part0[row], p1 = s->part0[row + 1];
    if (rb_grow((void **)&m->pt_off, &m->cap_parts, m->nparts + (p1 - p0) + 1, sizeof *m->pt_off) ||
        rb_grow((void **)&m->part_off, &m->cap_rows, m->t.nrows + 1, sizeof *m->part_off))
        return RB_ENOMEM;
    m->part_off[r] = m->nparts;
    for (size_t p = p0; p < p1; p++) {
        size_t a = s->pt0[p], b = s->pt0[p + 1];
        if (rb_grow((void **)&m->xy, &m->cap_pts, 2 * (m->npts + b - a), sizeof *m->xy))
            return RB_ENOMEM;
        memcpy(m->xy + 2 * m->npts, s->xy + 2 * a, (b - a) * 2 * sizeof *m->xy);
        m->pt_off[m->nparts++] = m->npts;
        m->npts += b - a;
    }
    m->part_off[r + 1] = m->nparts;
    m->pt_off[m->nparts] = m->npts;
    return RB_OK;
}

static void merged_free(struct merged *m)
{
    rb_table_free(&m->t);
    rb_free(m->part_off);
    rb_free(m->pt_off);
    rb_free(m->xy);
    memset(m, 0, sizeof *m);
}

/* The crashes: each crash_seq once, from its owner, else a partition that had it near. */
static int merge_crashes(struct part *ps, size_t n, struct merged *m, struct rb_merge_result *res, struct rb_err *err)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += ps[k].sh[L_CRASHES].n;
    struct pick *pk = rb_mallocarray(total ? total : 1, sizeof *pk);
    if (!pk)
        return rb_err_nomem(err);
    size_t np = 0;
    int rc = RB_OK;
    for (size_t k = 0; k < n && !rc; k++) {
        const struct rb_shapes *s = &ps[k].sh[L_CRASHES];
        for (size_t r = 0; r < s->n && !rc; r++) {
            const char *st = rb_table_str(&s->attrs, (size_t)ps[k].c_status, r);
            int64_t seq = s->attrs.cols[ps[k].c_seq].i ? s->attrs.cols[ps[k].c_seq].i[r] : RB_NULL_INT;
            int code = !st ? -1 : !strcmp(st, "own") ? RB_PART_OWN : !strcmp(st, "in") ? RB_PART_IN
                              : !strcmp(st, "out") ? RB_PART_OUT : -1;
            if (code < 0 || seq < 1 || (size_t)seq > ps[k].crashes_total)
                rc = rb_err_set(err, RB_EINVAL, "%s: crashes row %zu: partition '%s', crash_seq %lld: not a rumble"
                                " match --partition output", ps[k].path, r + 1, st ? st : "", (long long)seq);
            else
                pk[np++] = (struct pick){ (size_t)seq, (uint32_t)k, (uint32_t)code, r };
        }
    }
    if (!rc)
        qsort(pk, np, sizeof *pk, pick_cmp);
    size_t want = 1;
    for (size_t a = 0; a < np && !rc;) {
        size_t b = a, own = SIZE_MAX, in = SIZE_MAX;
        for (; b < np && pk[b].seq == pk[a].seq; b++) {
            if (pk[b].st == RB_PART_OWN && own != SIZE_MAX)
                rc = rb_err_set(err, RB_EINVAL, "crash %zu (in input order) is matched in both %s and %s: were the"
                                " partitions cut by one key?", pk[a].seq, ps[pk[own].part].path, ps[pk[b].part].path);
            if (pk[b].st == RB_PART_OWN)
                own = b;
            if (pk[b].st == RB_PART_IN && in == SIZE_MAX)
                in = b;
        }
        if (!rc && pk[a].seq != want)
            rc = rb_err_set(err, RB_EINVAL, "crash %zu (in input order) is in no partition given: it is matched on"
                            " a region whose output is missing", want);
        if (!rc && own != SIZE_MAX && in != SIZE_MAX)
            rc = rb_err_set(err, RB_EINVAL, "crash %zu (in input order) is matched in %s but not in %s, which has"
                            " its roads: were the partitions run with the same options?", pk[a].seq,
                            ps[pk[own].part].path, ps[pk[in].part].path);
        if (!rc) {
            const struct pick *c = &pk[own != SIZE_MAX ? own : in != SIZE_MAX ? in : a];
            res->from[c->st]++;
            if (take(m, &ps[c->part].sh[L_CRASHES], c->row))
                rc = rb_err_nomem(err);
        }
        want = pk[a].seq + 1;
        a = b;
    }
    if (!rc && want != ps[0].crashes_total + 1)
        rc = rb_err_set(err, RB_EINVAL, "crash %zu (in input order) is in no partition given: it is matched on a"
                        " region whose output is missing", want);
    rb_free(pk);
    return rc;
}

/* The segments: each road_seq once, then ranked over the whole network. */
static int merge_segments(struct part *ps, size_t n, struct merged *m, struct rb_err *err)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += ps[k].sh[L_SEGMENTS].n;
    struct pick *pk = rb_mallocarray(total ? total : 1, sizeof *pk);
    if (!pk)
        return rb_err_nomem(err);
    size_t np = 0;
    for (size_t k = 0; k < n; k++) {
        const struct rb_shapes *s = &ps[k].sh[L_SEGMENTS];
        const int64_t *seq = s->attrs.cols[ps[k].s_seq].i;
        for (size_t r = 0; r < s->n; r++)
            pk[np++] = (struct pick){ seq && seq[r] > 0 ? (size_t)seq[r] : 0, (uint32_t)k, 0, r };
    }
    qsort(pk, np, sizeof *pk, pick_cmp);
    int rc = RB_OK;
    for (size_t i = 0; i < np && !rc; i++) {
        if (pk[i].seq != i + 1)
            rc = pk[i].seq == i ? rb_err_set(err, RB_EINVAL, "segment %zu of the road layer is in both %s and %s",
                                             pk[i].seq, ps[pk[i - 1].part].path, ps[pk[i].part].path)
                                : rb_err_set(err, RB_EINVAL, "segment %zu of the road layer is in no partition"
                                             " given: give every region's output", i + 1);
        else if (take(m, &ps[pk[i].part].sh[L_SEGMENTS], pk[i].row))
            rc = rb_err_nomem(err);
    }
    if (!rc && np != ps[0].roads_read)
        rc = rb_err_set(err, RB_EINVAL, "%zu of the road layer's %zu segments are in the partitions given: give every"
                        " region's output", np, ps[0].roads_read);
    rb_free(pk);
    if (rc)
        return rc;
    /* rank as rumble match does: the measure, then crashes, then input order */
    long cr = rb_table_find(&m->t, "rank"), cn = rb_table_find(&m->t, "n_obs");
    long cm = rb_table_find(&m->t, ps[0].rank_by);
    long cy = rb_table_find(&m->t, "n_years"), ce = rb_table_find(&m->t, "epdo");
    if (cr < 0 || cn < 0 || cm < 0)
        return rb_err_set(err, RB_EINVAL, "%s: the segments have no rank, n_obs or %s field", ps[0].path,
                          ps[0].rank_by);
    if (!strcmp(ps[0].rank_by, "epdo_per_yr") && cy >= 0 && ce >= 0 && np && m->t.cols[cy].i &&
        m->t.cols[cy].i[0] == RB_NULL_INT)
        cm = ce;   /* without a study period rumble match ranks by EPDO over all */
    double *key = rb_mallocarray(np ? np : 1, sizeof *key), *tie = rb_mallocarray(np ? np : 1, sizeof *tie);
    uint32_t *rank = rb_mallocarray(np ? np : 1, sizeof *rank);
    rc = !key || !tie || !rank ? rb_err_nomem(err) : RB_OK;
    for (size_t i = 0; !rc && i < np; i++) {
        key[i] = rb_table_number(&m->t, (size_t)cm, i);
        tie[i] = rb_table_number(&m->t, (size_t)cn, i);
    }
    if (!rc && !(rc = rb_rank_desc(key, tie, np, rank, err)) && m->t.cols[cr].i)
        for (size_t i = 0; i < np; i++)
            m->t.cols[cr].i[i] = rank[i];
    rb_free(key);
    rb_free(tie);
    rb_free(rank);
    return rc;
}

/* A layer of the merged table's columns but the partitions' own. */
static int merged_layer(struct rb_layer *l, const char *name, int geom, struct merged *m)
{
    static const char *const drop[] = { "partition", "crash_seq", "road_seq" };
    memset(l, 0, sizeof *l);
    l->name = name;
    l->geom = geom;
    l->nrows = m->t.nrows;
    for (size_t k = 0; k < m->t.ncols; k++) {
        int keep = 1;
        for (size_t d = 0; d < sizeof drop / sizeof *drop; d++)
            keep &= strcmp(m->t.cols[k].name, drop[d]) != 0;
        if (keep && rb_layer_add_col(l, m->t.cols[k].name, &m->t, k))
            return RB_ENOMEM;
    }
    if (geom != RB_GEOM_NONE) {
        l->part_off = m->part_off;
        l->pt_off = m->pt_off;
        l->xy = m->xy;
    }
    return RB_OK;
}

static char *summary_text(struct part *ps, size_t n, const char *output, const char *summary,
                          const struct rb_merge_result *res)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "tool", "rumble");
    cJSON_AddStringToObject(root, "version", RB_VERSION);
    cJSON_AddStringToObject(root, "command", "merge");
    cJSON *in = cJSON_AddArrayToObject(root, "partitions");
    for (size_t k = 0; k < n; k++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "path", ps[k].path);
        cJSON_AddStringToObject(p, "key_value", ps[k].key_value);
        cJSON_AddNumberToObject(p, "crashes_rows", (double)ps[k].crash_rows);
        cJSON_AddNumberToObject(p, "segments", (double)ps[k].seg_rows);
        cJSON_AddItemToArray(in, p);
    }
    cJSON *c = cJSON_AddObjectToObject(root, "crashes");
    cJSON_AddNumberToObject(c, "total", (double)res->crashes);
    cJSON_AddNumberToObject(c, "matched", (double)res->matched);
    cJSON_AddNumberToObject(c, "unmatched_near_roads", (double)res->from[RB_PART_IN]);
    cJSON_AddNumberToObject(c, "unmatched_far", (double)res->from[RB_PART_OUT]);
    cJSON_AddNumberToObject(c, "rows_rejected", (double)res->rejected);
    cJSON *s = cJSON_AddObjectToObject(root, "segments");
    cJSON_AddNumberToObject(s, "total", (double)res->segments);
    cJSON_AddBoolToObject(root, "trusted", !res->untrusted);
    cJSON *wn = cJSON_AddArrayToObject(root, "warnings");
    if (res->why[0])
        cJSON_AddItemToArray(wn, cJSON_CreateString(res->why));
    cJSON *o = cJSON_AddArrayToObject(root, "outputs");
    cJSON_AddItemToArray(o, cJSON_CreateString(output));
    cJSON_AddItemToArray(o, cJSON_CreateString(summary));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

int rb_run_merge(const char *const *paths, size_t n, const char *output, const struct rb_progress *prog,
                 struct rb_merge_result *res, struct rb_log *log, struct rb_err *err)
{
    memset(res, 0, sizeof *res);
    if (n == 0)
        return rb_err_set(err, RB_EUSAGE, "merge: no partition outputs given");
    char *summary = rb_run_swap_ext(output, ".summary.json");
    struct part *ps = rb_calloc(n, sizeof *ps);
    struct merged mc = { 0 }, msg = { 0 }, mr = { 0 };
    struct rb_styles st = { 0 };
    struct rb_out *out = NULL;
    const char *outs[2] = { output, summary };
    int rc = !summary || !ps ? rb_err_nomem(err) : RB_OK;
    if (!rc && !(rc = rb_out_check(output, err)))
        rc = rb_paths_check(paths, n, outs, 2, err);
    for (size_t k = 0; k < n && !rc; k++) {
        ps[k].path = paths[k];
        rb_progress_report(prog, "reading partitions", k + 1, n);
        rc = read_part(&ps[k], k ? &ps[0] : NULL, log, err);
    }
    if (!rc && (rb_table_copy_cols(&mc.t, &ps[0].sh[L_CRASHES].attrs) ||
                rb_table_copy_cols(&msg.t, &ps[0].sh[L_SEGMENTS].attrs) ||
                (ps[0].sh[L_REJECTED].present && rb_table_copy_cols(&mr.t, &ps[0].sh[L_REJECTED].attrs))))
        rc = rb_err_nomem(err);
    /* each layer given back once merged: the partitions' crashes are gone before their segments are copied */
    char *crs = ps ? ps[0].sh[L_CRASHES].crs_wkt : NULL;
    if (ps)
        ps[0].sh[L_CRASHES].crs_wkt = NULL;
    for (size_t k = 0; ps && k < n; k++) {
        ps[k].crash_rows = ps[k].sh[L_CRASHES].n;
        ps[k].seg_rows = ps[k].sh[L_SEGMENTS].n;
    }
    if (!rc)
        rc = merge_crashes(ps, n, &mc, res, err);
    for (size_t k = 0; !rc && k < n; k++)
        rb_shapes_free(&ps[k].sh[L_CRASHES]);
    if (!rc)
        rc = merge_segments(ps, n, &msg, err);
    for (size_t k = 0; !rc && k < n; k++)
        rb_shapes_free(&ps[k].sh[L_SEGMENTS]);
    for (size_t r = 0; !rc && ps[0].sh[L_REJECTED].present && r < ps[0].sh[L_REJECTED].n; r++)
        if (take(&mr, &ps[0].sh[L_REJECTED], r))
            rc = rb_err_nomem(err);
    struct rb_layer lc = { 0 }, ls = { 0 }, lr = { 0 };
    struct rb_layer *layers[3];
    size_t nl = 0;
    if (!rc) {
        int with_rej = mr.t.nrows > 0;
        if (merged_layer(&lc, "crashes", RB_GEOM_POINT, &mc) || merged_layer(&ls, "segments", RB_GEOM_LINE, &msg) ||
            (with_rej && merged_layer(&lr, "rejected", RB_GEOM_NONE, &mr)))
            rc = rb_err_nomem(err);
        layers[nl++] = &lc;
        if (with_rej)
            layers[nl++] = &lr;
        layers[nl++] = &ls;
    }
    if (!rc) {
        long cm = rb_table_find(&mc.t, "match_status");
        for (size_t i = 0; cm >= 0 && i < mc.t.nrows; i++) {
            const char *v = rb_table_str(&mc.t, (size_t)cm, i);
            res->matched += v && !strcmp(v, "matched");
        }
        res->crashes = mc.t.nrows;
        res->segments = msg.t.nrows;
        res->rejected = mr.t.nrows;
        res->parts = n;
        /* the whole run's check of the crashes on the roads, which no partition can make alone */
        for (size_t k = 0; k < n && !res->why[0]; k++)
            if (!ps[k].trusted)
                snprintf(res->why, sizeof res->why, "%s: its summary says its result cannot be trusted (see its"
                         " warnings)", ps[k].path);
        if (!res->why[0] && res->crashes && res->matched * 5 < res->crashes)
            snprintf(res->why, sizeof res->why, "only %zu of the %zu crashes (%.0f%%) lie on a road: run rumble match"
                     " without --partition to have the coordinates diagnosed (axes exchanged, another CRS)",
                     res->matched, res->crashes, 100.0 * (double)res->matched / (double)res->crashes);
        res->untrusted = res->why[0] != 0;
        if (!res->untrusted && res->matched * 2 < res->crashes)
            snprintf(res->why, sizeof res->why, "only %zu of the %zu crashes (%.0f%%) lie on a road", res->matched,
                     res->crashes, 100.0 * (double)res->matched / (double)res->crashes);
    }
    if (!rc && !(rc = rb_out_open(output, crs, &out, err))) {
        rb_out_set_progress(out, prog);
        if (rb_run_write_layers(out, layers, nl, NULL, &st, NULL, err)) {
            rb_out_abort(out);
            rc = err->code;
        } else {
            rc = rb_out_commit(out, err);   /* frees out */
        }
        out = NULL;
    }
    if (!rc) {
        char *text = summary_text(ps, n, output, summary, res);
        rc = !text ? rb_err_nomem(err) : rb_io_write_text(summary, text, err);
        cJSON_free(text);
    }
    rb_layer_free_cols(&lc);
    rb_layer_free_cols(&ls);
    rb_layer_free_cols(&lr);
    rb_styles_free(&st);
    rb_free(crs);
    merged_free(&mc);
    merged_free(&msg);
    merged_free(&mr);
    for (size_t k = 0; ps && k < n; k++) {
        for (int l = 0; l < NL; l++)
            rb_shapes_free(&ps[k].sh[l]);
        rb_free(ps[k].fingerprint);
    }
    rb_free(ps);
    rb_free(summary);
    return rc;
}
