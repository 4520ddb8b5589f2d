/* core/table: typed columns and output layers — the plain form in which every
 * stage hands rows to the next, and in which io reads and writes attributes. */
#ifndef RB_TABLE_H
#define RB_TABLE_H

#include "core/core.h"

enum rb_ftype {
    RB_FT_STRING,    /* text, in the table's pool */
    RB_FT_INT,       /* int64; RB_NULL_INT is null */
    RB_FT_REAL,      /* double; NaN is null */
    RB_FT_DATE,      /* text "YYYY/MM/DD" as OGR gives it */
    RB_FT_TIME,      /* text "HH:MM:SS" */
    RB_FT_DATETIME   /* text "YYYY/MM/DD HH:MM:SS" */
};

#define RB_NULL_INT INT64_MIN

struct rb_column {
    char *name;
    int type;          /* enum rb_ftype */
    int width;         /* declared width for strings (0 = none) */
    int boolean;       /* RB_FT_INT holding 0/1: written as a boolean field */
    size_t *s;         /* text types: pool offsets, RB_NOSTR = null */
    int64_t *i;        /* RB_FT_INT */
    double *d;         /* RB_FT_REAL */
};

struct rb_table {
    size_t ncols;
    struct rb_column *cols;
    size_t nrows, caprows;
    struct rb_pool pool;   /* text of every text cell */
};

int rb_table_add_col(struct rb_table *t, const char *name, int type);
/* Appends one row of nulls to every column. */
int rb_table_add_row(struct rb_table *t);
int rb_table_set_str(struct rb_table *t, size_t col, size_t row, const char *s);
const char *rb_table_str(const struct rb_table *t, size_t col, size_t row);
/* Index of the column named name (exact match first, then ASCII case-insensitive), or -1. */
/* A cell as text whatever its type (numbers in shortest round-trip form), or
 * NULL when null. buf holds the text of number cells. */
const char *rb_table_text(const struct rb_table *t, size_t col, size_t row, char *buf, size_t n);
/* A cell as a number: numbers as they are, text parsed; NaN when null or not a number. */
double rb_table_number(const struct rb_table *t, size_t col, size_t row);
long rb_table_find(const struct rb_table *t, const char *name);
void rb_table_free(struct rb_table *t);
/* Adds src's columns (names, types) to an empty dst; appends a copy of src's row to dst;
 * turns a number column into text (its values as rb_table_text gives them). */
int rb_table_copy_cols(struct rb_table *dst, const struct rb_table *src);
int rb_table_copy_row(struct rb_table *dst, const struct rb_table *src, size_t row);
int rb_table_col_to_text(struct rb_table *t, size_t col);
/* Keeps the rows whose keep[] is nonzero, in order (their text stays in the pool). */
void rb_table_keep_rows(struct rb_table *t, const unsigned char *keep);

/* ---- output layers ---- */
/* RB_GEOM_MULTILINE: stretches along routes, whose rows may have several pieces:
 * declared MultiLineString whatever the rows, so that a layer has the same
 * geometry type in every run (a QGIS project keeps it) */
enum rb_geom { RB_GEOM_NONE, RB_GEOM_POINT, RB_GEOM_LINE, RB_GEOM_MULTILINE };

struct rb_layer_col {
    const char *name;              /* output field name */
    const struct rb_table *tab;    /* borrowed */
    size_t col;                    /* column in tab */
    const char *domain;            /* a coded value domain of the output (rb_out_add_domain), or NULL */
};

/* A layer to write: columns borrowed from tables whose rows are the layer's rows,
 * and geometry in the output CRS. Row r's parts are [part_off[r], part_off[r+1]);
 * part p's points are [pt_off[p], pt_off[p+1]) in xy. A row with no parts has a
 * null geometry. */
struct rb_layer {
    const char *name;
    int geom;                      /* enum rb_geom */
    size_t nrows;
    struct rb_layer_col *cols;
    size_t ncols, capcols;
    const size_t *part_off;        /* nrows + 1; NULL with RB_GEOM_NONE */
    const size_t *pt_off;
    const double *xy;
    const char *qml;               /* its QGIS style (a GeoPackage's layer_styles, else a sidecar .qml), or NULL */
    const size_t *rows;            /* NULL: rows 0..nrows-1; else the nrows table (and geometry) rows written, in order */
};

int rb_layer_add_col(struct rb_layer *l, const char *name, const struct rb_table *tab, size_t col);
void rb_layer_free_cols(struct rb_layer *l);

#endif
