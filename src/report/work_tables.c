/* report/work_tables: the work orders — `work_lines` (strips), `work_points`
 * (signs, chevrons, devices) and the work list crews get, every item sorted by
 * route and chainage. */
#include "report/plan_tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rb_work_fields[] = {
    "work_id", "year", "site", "route_id", "countermeasure", "item", "from_m", "to_m", "from_km", "to_km", "length_m",
    "units", "direction", "side", "radius_m", "speed_kmh", "note", NULL
};
enum { W_ID, W_YEAR, W_SITE, W_ROUTE, W_CM, W_ITEM, W_FROM, W_TO, W_FROMKM, W_TOKM, W_LEN, W_UNITS, W_DIR, W_SIDE,
       W_RADIUS, W_SPEED, W_NOTE, W_N };

static const char *const role_names[] = { "strip", "sign", "chevron", "device", "entry", "exit" };
static const char *const side_names[] = { "centre", "right", "left" };

struct work_key {
    const char *route, *cm;
    double from_m, to_m;
    int dir;
    size_t i;
};

static int work_cmp(const void *a, const void *b)
{
    const struct work_key *x = a, *y = b;
    int c = strcmp(x->route, y->route);
    if (c)
        return c;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    if (x->to_m != y->to_m)
        return x->to_m < y->to_m ? -1 : 1;
    if ((c = strcmp(x->cm, y->cm)))
        return c;
    if (x->dir != y->dir)
        return x->dir > y->dir ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int rb_report_work_order(const struct rb_works *works, const struct rb_routes *routes, const struct rb_catalogue *cat,
                         size_t **order, struct rb_err *err)
{
    *order = rb_mallocarray(works->n ? works->n : 1, sizeof **order);
    struct work_key *k = rb_mallocarray(works->n ? works->n : 1, sizeof *k);
    if (!*order || !k) {
        rb_free(*order);
        rb_free(k);
        *order = NULL;
        return rb_err_nomem(err);
    }
    for (size_t i = 0; i < works->n; i++) {
        const struct rb_work *w = &works->w[i];
        k[i] = (struct work_key){ routes->id[w->route], cat->cm[w->cm].id, w->from_m, w->to_m, w->dir, i };
    }
    if (works->n)
        qsort(k, works->n, sizeof *k, work_cmp);
    for (size_t i = 0; i < works->n; i++)
        (*order)[i] = k[i].i;
    rb_free(k);
    return RB_OK;
}

/* which: 1 lines, 2 points, 3 both (the list, without geometry) */
static int work_layer(const struct rb_match_run *run, const char *name, int which, const size_t *order,
                      struct rb_out_layer *o, struct rb_err *err)
{
    const struct rb_works *ws = run->works;
    const struct rb_catalogue *cat = run->catalogue;
    memset(o, 0, sizeof *o);
    o->layer.name = name;
    static const int types[W_N] = { RB_FT_INT, RB_FT_INT, RB_FT_INT, RB_FT_STRING, RB_FT_STRING, RB_FT_STRING, RB_FT_REAL,
                                    RB_FT_REAL, RB_FT_STRING, RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_STRING,
                                    RB_FT_STRING, RB_FT_REAL, RB_FT_REAL, RB_FT_STRING };
    size_t col[W_N];
    uint32_t *route = NULL;
    double *a = NULL, *b = NULL, *px = NULL, *py = NULL;
    for (int k = 0; k < W_N; k++)
        if (rb_report_own_col(o, rb_report_post_col(run->cfg, rb_work_fields[k]), types[k], &col[k]))
            goto nomem;
    size_t n = ws->n ? ws->n : 1;
    route = rb_mallocarray(n, sizeof *route);
    a = rb_mallocarray(n, sizeof *a);
    b = rb_mallocarray(n, sizeof *b);
    px = rb_mallocarray(n, sizeof *px);
    py = rb_mallocarray(n, sizeof *py);
    if (!route || !a || !b || !px || !py)
        goto nomem;
    struct rb_table *t = &o->own;
    size_t row = 0;
    for (size_t q = 0; q < ws->n; q++) {
        const struct rb_work *w = &ws->w[order[q]];
        if (!((w->is_line ? 1 : 2) & which))
            continue;
        char k0[32], k1[32], note[64] = "";
        if (w->note & RB_WORK_SPEED_ASSUMED)
            snprintf(note, sizeof note, "speed assumed");
        if (w->note & RB_WORK_CLIPPED)
            snprintf(note + strlen(note), sizeof note - strlen(note), "%sat the route's end", note[0] ? "; " : "");
        const char *dir = w->dir > 0 ? "increasing" : w->dir < 0 ? "decreasing" : "both";
        if (rb_table_add_row(t) || rb_table_set_str(t, col[W_ROUTE], row, run->routes->id[w->route]) ||
            rb_table_set_str(t, col[W_CM], row, cat->cm[w->cm].id) ||
            rb_table_set_str(t, col[W_ITEM], row, role_names[w->role]) ||
            rb_table_set_str(t, col[W_FROMKM], row, rb_report_post(run->cfg, w->from_m, k0, sizeof k0)) ||
            rb_table_set_str(t, col[W_TOKM], row, rb_report_post(run->cfg, w->to_m, k1, sizeof k1)) ||
            rb_table_set_str(t, col[W_DIR], row, w->is_line ? "both" : dir) ||
            rb_table_set_str(t, col[W_SIDE], row, w->is_line ? "" : side_names[w->side]) ||
            rb_table_set_str(t, col[W_NOTE], row, note))
            goto nomem;
        t->cols[col[W_ID]].i[row] = (int64_t)q + 1;
        t->cols[col[W_SITE]].i[row] = (int64_t)w->site + 1;
        /* a systemic programme's works (alt SIZE_MAX) are in no year of the plan's */
        t->cols[col[W_YEAR]].i[row] = run->plan && w->alt < run->plan->n ? run->plan->alt[w->alt].year : 0;
        t->cols[col[W_FROM]].d[row] = rb_report_mm(w->from_m);
        t->cols[col[W_TO]].d[row] = rb_report_mm(w->to_m);
        t->cols[col[W_LEN]].d[row] = rb_report_mm(w->to_m - w->from_m);
        t->cols[col[W_UNITS]].d[row] = w->is_line ? w->units : 1;
        t->cols[col[W_RADIUS]].d[row] = isfinite(w->radius_m) ? round(w->radius_m) : NAN;
        t->cols[col[W_SPEED]].d[row] = w->speed_kmh;
        route[row] = w->route;
        a[row] = w->from_m;
        b[row] = w->to_m;
        px[row] = w->x;
        py[row] = w->y;
        row++;
    }
    o->layer.nrows = row;
    int rc = RB_OK;
    if (which == 1)
        rc = rb_report_route_geometry(run, o, row, route, a, b);
    else if (which == 2)
        rc = rb_report_points(o, row, px, py, sizeof *px);
    rb_free(route);
    rb_free(a);
    rb_free(b);
    rb_free(px);
    rb_free(py);
    if (rc) {
        rb_out_layer_free(o);
        return rb_err_nomem(err);
    }
    return RB_OK;
nomem:
    rb_free(route);
    rb_free(a);
    rb_free(b);
    rb_free(px);
    rb_free(py);
    rb_out_layer_free(o);
    return rb_err_nomem(err);
}

int rb_report_work_lines(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                         struct rb_err *err)
{
    return work_layer(run, "work_lines", 1, order, o, err);
}

int rb_report_work_points(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                          struct rb_err *err)
{
    return work_layer(run, "work_points", 2, order, o, err);
}

int rb_report_work_list(const struct rb_match_run *run, const size_t *order, struct rb_out_layer *o,
                        struct rb_err *err)
{
    return work_layer(run, "work", 3, order, o, err);
}
