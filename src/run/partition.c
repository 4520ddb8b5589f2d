/* run/partition: one region of a network too large for one job
 * (`rumble match --partition KEY=VALUE`), written so that `rumble merge` makes
 * the partitions' outputs into the whole run's.
 *
 * A segment belongs to the region its route's first segment (in input order)
 * names in field KEY, so a route is never split between regions (a segment
 * without a route: its own value). The run keeps the region's segments (owned)
 * and every other segment whose bounding box comes within twice the halo H of
 * the owned segments' box (H = tolerance + the larger of the ambiguity margin
 * and the junction radius + the node snapping distance; a chain of road ends
 * each within snapping distance of the next, longer than H, is not covered).
 * Every crash is read and matched against the kept roads. A crash within H of
 * the owned box has every road within H of it in the kept set, so its match (the nearest road with ties to the earlier
 * segment, the other road of an ambiguous match, the junction flag) is the one
 * the whole network gives:
 *
 *   own   matched to an owned segment: this partition's row;
 *   halo  matched to a kept segment of another region: that partition's row
 *         (not written here);
 *   in    unmatched within H of the owned box: unmatched in the whole run too;
 *   out   farther: the whole run's row only when every partition says out
 *         (then no road lies within H of it anywhere).
 *
 * The crashes layer carries `partition` and `crash_seq` (the crash's place in
 * the input), the segments layer `road_seq`, so the merge can choose and sort;
 * the study period and the crash checks see every crash, as the whole run's do. */
#include "run/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const rb_part_status_names[] = { "own", "halo", "in", "out" };

int rb_run_partition_check(const char *spec, struct rb_err *err)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec)
        return rb_err_set(err, RB_EUSAGE, "--partition wants FIELD=VALUE (a road field and one of its values; FIELD="
                          " for the roads without one), not '%s'", spec ? spec : "");
    return RB_OK;
}

/* Road ids must be unique across the whole layer: the merge joins crashes to
 * segments by id, and a duplicate's flag would depend on the partition. */
static int unique_ids(struct rb_run *run)
{
    const struct rb_roads *r = &run->roads;
    size_t n = r->nsegs;
    char (*buf)[24] = rb_mallocarray(n ? n : 1, sizeof *buf);
    const char **ids = rb_mallocarray(n ? n : 1, sizeof *ids);
    struct rb_id_ix *v = NULL;
    int rc = !buf || !ids ? rb_err_nomem(&run->err) : RB_OK;
    for (size_t s = 0; !rc && s < n; s++)
        ids[s] = rb_run_road_id(r, s, buf[s], sizeof buf[s]);
    if (!rc && !(v = rb_id_index(ids, n)))
        rc = rb_err_nomem(&run->err);
    for (size_t k = 1; !rc && k < n; k++)
        if (!strcmp(v[k].id, v[k - 1].id))
            rc = rb_err_set(&run->err, RB_EINVAL,
                            "%s: road id '%s' is on features %lld and %lld: a partitioned run needs unique road"
                            " ids (fix them, or run the whole network at once)",
                            r->path, v[k].id, (long long)r->fid[v[k - 1].i], (long long)r->fid[v[k].i]);
    rb_free(v);
    rb_free(ids);
    rb_free(buf);
    return rc;
}

/* Each segment's route head: the route's first segment in input order (a
 * segment without a route, itself), whose value of the key is the region's. */
static int route_heads(const struct rb_roads *r, size_t *head)
{
    struct rb_strmap first = { 0 };
    int rc = RB_OK;
    for (size_t s = 0; s < r->nsegs && !rc; s++) {
        char rbuf[256];
        head[s] = s;
        const char *route =
            r->col_route >= 0 ? rb_table_text(&r->attrs, (size_t)r->col_route, s, rbuf, sizeof rbuf) : NULL;
        if (route && *route && rb_strmap_get(&first, route, &head[s], 1) < 0)
            rc = RB_ENOMEM;
    }
    rb_strmap_free(&first);
    return rc;
}

/* Segment s's value of the key ("" when it has none). */
static const char *key_of(const struct rb_roads *r, long col, size_t s, char *buf, size_t n)
{
    const char *v = rb_table_text(&r->attrs, (size_t)col, s, buf, n);
    return v ? v : "";
}

static void seg_box(const struct rb_roads *r, size_t s, double *b)
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (size_t i = r->pt0[r->part0[s]]; i < r->pt0[r->part0[s + 1]]; i++) {
        b[0] = fmin(b[0], r->xy[2 * i]);
        b[1] = fmin(b[1], r->xy[2 * i + 1]);
        b[2] = fmax(b[2], r->xy[2 * i]);
        b[3] = fmax(b[3], r->xy[2 * i + 1]);
    }
}

/* No route belongs to the region: the message lists the values that own
 * routes (a route's region is its first segment's), the jobs to run. */
static int no_region(struct rb_run *run, long col, const size_t *head, const char *spec)
{
    const struct rb_roads *r = &run->roads;
    struct rb_strmap seen = { 0 };
    struct rb_sb list = { 0 };
    size_t nvals = 0;
    for (size_t s = 0; s < r->nsegs; s++) {
        char vbuf[256];
        if (head[s] != s)
            continue;   /* not its route's first segment */
        const char *v = key_of(r, col, s, vbuf, sizeof vbuf);
        size_t one = 1;
        if (rb_strmap_get(&seen, v, &one, 1) == 0 && nvals++ < 12)
            rb_sb_printf(&list, "%s'%s'", nvals > 1 ? ", " : "", v);
    }
    int rc = rb_err_set(&run->err, RB_EINVAL, "%s: no route belongs to %s (a route belongs to the value its first"
                        " segment has; case counts): the %zu values that own routes are %s%s", r->path, spec, nvals,
                        list.s ? list.s : "", nvals > 12 ? ", ..." : "");
    rb_strmap_free(&seen);
    rb_free(list.s);
    return rc;
}

int rb_run_partition_roads(struct rb_run *run)
{
    struct rb_run_part *p = &run->part;
    const char *spec = run->opt.partition;
    if (!spec || !run->have_roads)
        return RB_OK;
    struct rb_roads *r = &run->roads;
    struct rb_err *err = &run->err;
    const char *eq = strchr(spec, '=');
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)(eq - spec), spec);
    long col = rb_table_find(&r->attrs, key);
    if (col < 0)
        return rb_err_set(err, RB_EUSAGE, "%s: no field '%s' to partition by (--partition %s)", r->path, key, spec);
    if (unique_ids(run))
        return err->code;
    size_t n = r->nsegs;
    unsigned char *owned = rb_calloc(n ? n : 1, 1), *keep = rb_calloc(n ? n : 1, 1);
    size_t *head = rb_mallocarray(n ? n : 1, sizeof *head);
    p->seg_seq = rb_mallocarray(n ? n : 1, sizeof *p->seg_seq);
    p->seg_owned = rb_calloc(n ? n : 1, 1);
    int rc = !owned || !keep || !head || !p->seg_seq || !p->seg_owned || route_heads(r, head) ? rb_err_nomem(err)
                                                                                                  : RB_OK;
    for (size_t s = 0; !rc && s < n; s++) {   /* KEY= : the roads with no value */
        char vbuf[256];
        owned[s] = !strcmp(key_of(r, col, head[s], vbuf, sizeof vbuf), eq + 1);
    }
    double box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, b[4];
    for (size_t s = 0; !rc && s < n; s++) {
        if (!owned[s])
            continue;
        p->owned++;
        seg_box(r, s, b);
        box[0] = fmin(box[0], b[0]);
        box[1] = fmin(box[1], b[1]);
        box[2] = fmax(box[2], b[2]);
        box[3] = fmax(box[3], b[3]);
    }
    if (!rc && p->owned == 0)
        rc = no_region(run, col, head, spec);
    const struct rb_config *cfg = &run->cfg;
    double h = cfg->tolerance_m + fmax(cfg->ambiguous_margin_m, cfg->junction_radius_m) + cfg->node_snap_m;
    for (size_t s = 0; !rc && s < n; s++) {
        if (owned[s]) {
            keep[s] = 1;
            continue;
        }
        seg_box(r, s, b);
        keep[s] = b[0] <= box[2] + 2 * h && b[2] >= box[0] - 2 * h && b[1] <= box[3] + 2 * h && b[3] >= box[1] - 2 * h;
    }
    if (!rc) {
        size_t k = 0;
        for (size_t s = 0; s < n; s++)
            if (keep[s]) {
                p->seg_seq[k] = s + 1;
                p->seg_owned[k++] = owned[s];
            }
        p->roads_read = n;
        p->halo = k - p->owned;
        for (int i = 0; i < 4; i++)
            p->box_in[i] = box[i] + (i < 2 ? -h : h);
        rb_roads_keep(r, keep);
    }
    rb_free(owned);
    rb_free(keep);
    rb_free(head);
    return rc;
}

int rb_run_partition_crashes(struct rb_run *run)
{
    struct rb_run_part *p = &run->part;
    if (!p->seg_seq)
        return RB_OK;
    size_t n = run->crashes.n, ns = run->net.nsegs;
    p->crash = rb_mallocarray(n ? n : 1, sizeof *p->crash);
    p->crash_rows = rb_mallocarray(n ? n : 1, sizeof *p->crash_rows);
    p->seg_rows = rb_mallocarray(ns ? ns : 1, sizeof *p->seg_rows);
    if (!p->crash || !p->crash_rows || !p->seg_rows)
        return rb_err_nomem(&run->err);
    const double *in = p->box_in;
    for (size_t i = 0; i < n; i++) {
        const struct rb_match *m = &run->match[i];
        const struct rb_crash *c = &run->crashes.c[i];
        int st = m->seg >= 0 ? (p->seg_owned[m->seg] ? RB_PART_OWN : RB_PART_HALO)
               : c->x >= in[0] && c->x <= in[2] && c->y >= in[1] && c->y <= in[3] ? RB_PART_IN : RB_PART_OUT;
        p->crash[i] = (uint8_t)st;
        p->counts[st]++;
        if (st != RB_PART_HALO)
            p->crash_rows[p->ncrash_rows++] = i;
    }
    for (size_t s = 0; s < ns; s++)
        if (p->seg_owned[s])
            p->seg_rows[p->nseg_rows++] = s;
    return RB_OK;
}

void rb_run_partition_free(struct rb_run_part *p)
{
    rb_free(p->seg_seq);
    rb_free(p->seg_owned);
    rb_free(p->crash);
    rb_free(p->crash_rows);
    rb_free(p->seg_rows);
    memset(p, 0, sizeof *p);
}
