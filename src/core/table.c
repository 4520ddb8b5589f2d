/* core/table: typed columns and output layers. */
#include "core/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int rb_table_add_col(struct rb_table *t, const char *name, int type)
{
    struct rb_column *nc = rb_reallocarray(t->cols, t->ncols + 1, sizeof *nc);
    if (!nc)
        return RB_ENOMEM;
    t->cols = nc;
    struct rb_column *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->name = rb_strdup(name);
    if (!c->name)
        return RB_ENOMEM;
    c->type = type;
    size_t cap = t->caprows ? t->caprows : 1;
    switch (type) {
    case RB_FT_INT: c->i = rb_mallocarray(cap, sizeof *c->i); break;
    case RB_FT_REAL: c->d = rb_mallocarray(cap, sizeof *c->d); break;
    default: c->s = rb_mallocarray(cap, sizeof *c->s); break;
    }
    if (!c->i && !c->d && !c->s) {
        rb_free(c->name);
        return RB_ENOMEM;
    }
    t->ncols++;
    /* a column added after rows exist starts null on all of them */
    for (size_t r = 0; r < t->nrows; r++) {
        if (c->i) c->i[r] = RB_NULL_INT;
        else if (c->d) c->d[r] = NAN;
        else c->s[r] = RB_NOSTR;
    }
    return RB_OK;
}

void rb_table_keep_rows(struct rb_table *t, const unsigned char *keep)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!keep[r])
            continue;
        for (size_t k = 0; k < t->ncols; k++) {
            struct rb_column *c = &t->cols[k];
            if (c->i) c->i[n] = c->i[r];
            else if (c->d) c->d[n] = c->d[r];
            else c->s[n] = c->s[r];
        }
        n++;
    }
    t->nrows = n;
}

int rb_table_add_row(struct rb_table *t)
{
    if (t->nrows == t->caprows) {
        size_t ncap = t->caprows ? t->caprows * 2 : 64;
        for (size_t k = 0; k < t->ncols; k++) {
            struct rb_column *c = &t->cols[k];
            void **p = c->i ? (void **)&c->i : c->d ? (void **)&c->d : (void **)&c->s;
            size_t elem = c->i ? sizeof *c->i : c->d ? sizeof *c->d : sizeof *c->s;
            void *np = rb_reallocarray(*p, ncap, elem);
            if (!np)
                return RB_ENOMEM;
            *p = np;
        }
        t->caprows = ncap;
    }
    size_t r = t->nrows++;
    for (size_t k = 0; k < t->ncols; k++) {
        struct rb_column *c = &t->cols[k];
        if (c->i) c->i[r] = RB_NULL_INT;
        else if (c->d) c->d[r] = NAN;
        else c->s[r] = RB_NOSTR;
    }
    return RB_OK;
}

int rb_table_set_str(struct rb_table *t, size_t col, size_t row, const char *s)
{
    size_t off = RB_NOSTR;
    if (s) {
        off = rb_pool_add(&t->pool, s, strlen(s));
        if (off == RB_NOSTR)
            return RB_ENOMEM;
    }
    t->cols[col].s[row] = off;
    return RB_OK;
}

const char *rb_table_str(const struct rb_table *t, size_t col, size_t row)
{
    return rb_pool_str(&t->pool, t->cols[col].s[row]);
}

const char *rb_table_text(const struct rb_table *t, size_t col, size_t row, char *buf, size_t n)
{
    const struct rb_column *c = &t->cols[col];
    if (c->i) {
        if (c->i[row] == RB_NULL_INT)
            return NULL;
        snprintf(buf, n, "%lld", (long long)c->i[row]);
        return buf;
    }
    if (c->d) {
        if (c->d[row] != c->d[row])
            return NULL;
        snprintf(buf, n, "%.17g", c->d[row]);
        /* shortest form that reads back the same */
        for (int p = 1; p < 17; p++) {
            char tmp[40];
            snprintf(tmp, sizeof tmp, "%.*g", p, c->d[row]);
            if (strtod(tmp, NULL) == c->d[row]) {
                snprintf(buf, n, "%s", tmp);
                break;
            }
        }
        return buf;
    }
    return rb_pool_str(&t->pool, c->s[row]);
}

double rb_table_number(const struct rb_table *t, size_t col, size_t row)
{
    const struct rb_column *c = &t->cols[col];
    if (c->i)
        return c->i[row] == RB_NULL_INT ? NAN : (double)c->i[row];
    if (c->d)
        return c->d[row];
    double v;
    const char *s = rb_pool_str(&t->pool, c->s[row]);
    return s && rb_parse_double(s, &v) ? v : NAN;
}

long rb_table_find(const struct rb_table *t, const char *name)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (strcmp(t->cols[k].name, name) == 0)
            return (long)k;
    for (size_t k = 0; k < t->ncols; k++)
        if (strcasecmp(t->cols[k].name, name) == 0)
            return (long)k;
    return -1;
}

void rb_table_free(struct rb_table *t)
{
    if (!t)
        return;
    for (size_t k = 0; k < t->ncols; k++) {
        rb_free(t->cols[k].name);
        rb_free(t->cols[k].s);
        rb_free(t->cols[k].i);
        rb_free(t->cols[k].d);
    }
    rb_free(t->cols);
    rb_pool_free(&t->pool);
    memset(t, 0, sizeof *t);
}

int rb_layer_add_col(struct rb_layer *l, const char *name, const struct rb_table *tab, size_t col)
{
    if (rb_grow((void **)&l->cols, &l->capcols, l->ncols + 1, sizeof *l->cols))
        return RB_ENOMEM;
    l->cols[l->ncols++] = (struct rb_layer_col){ name, tab, col, NULL };
    return RB_OK;
}

void rb_layer_free_cols(struct rb_layer *l)
{
    rb_free(l->cols);
    l->cols = NULL;
    l->ncols = l->capcols = 0;
}

int rb_table_copy_cols(struct rb_table *dst, const struct rb_table *src)
{
    for (size_t k = 0; k < src->ncols; k++) {
        if (rb_table_add_col(dst, src->cols[k].name, src->cols[k].type))
            return RB_ENOMEM;
        dst->cols[k].width = src->cols[k].width;
        dst->cols[k].boolean = src->cols[k].boolean;
    }
    return RB_OK;
}

int rb_table_copy_row(struct rb_table *dst, const struct rb_table *src, size_t row)
{
    if (rb_table_add_row(dst))
        return RB_ENOMEM;
    size_t r = dst->nrows - 1;
    for (size_t k = 0; k < src->ncols && k < dst->ncols; k++) {
        const struct rb_column *c = &src->cols[k];
        if (c->i)
            dst->cols[k].i[r] = c->i[row];
        else if (c->d)
            dst->cols[k].d[r] = c->d[row];
        else if (c->s[row] != RB_NOSTR && rb_table_set_str(dst, k, r, src->pool.buf + c->s[row]))
            return RB_ENOMEM;
    }
    return RB_OK;
}

int rb_table_col_to_text(struct rb_table *t, size_t col)
{
    struct rb_column *c = &t->cols[col];
    if (!c->i && !c->d)
        return RB_OK;
    size_t *s = rb_mallocarray(t->caprows ? t->caprows : 1, sizeof *s);
    if (!s)
        return RB_ENOMEM;
    for (size_t r = 0; r < t->nrows; r++) {
        char buf[64];
        const char *txt = rb_table_text(t, col, r, buf, sizeof buf);
        s[r] = RB_NOSTR;
        if (txt && (s[r] = rb_pool_add(&t->pool, txt, strlen(txt))) == RB_NOSTR) {
            rb_free(s);
            return RB_ENOMEM;
        }
    }
    rb_free(c->i);
    rb_free(c->d);
    c->i = NULL;
    c->d = NULL;
    c->s = s;
    c->type = RB_FT_STRING;
    c->boolean = 0;
    return RB_OK;
}
