/* io/table: a whole attribute table through OGR. */
#include "io/internal.h"

#include <stdio.h>
#include <string.h>

int rb_io_read_table(const char *path, const char *layer_name, struct rb_table *t, struct rb_log *log,
                     struct rb_err *err)
{
    memset(t, 0, sizeof *t);
    GDALDatasetH ds = NULL;
    OGRLayerH layer;
    /* numbers in a CSV should be numbers here: ask GDAL to guess types */
    const char *oo[] = { "AUTODETECT_TYPE=YES", NULL };
    const char *dot = strrchr(path, '.');
    int rc;
    if (dot && !strcmp(dot, ".csv")) {
        char **opts = rb_open_options(oo);
        rb_gdal_push();
        ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, rb_io_drivers_for(path),
                        (const char *const *)opts, NULL);
        rb_gdal_pop();
        CSLDestroy(opts);
        if (!ds) {
            FILE *f = fopen(path, "rb");
            if (f)
                fclose(f);
            return rb_err_set(err, RB_EIO, "cannot open sites '%s'%s", path,
                              f ? ": not a table GDAL reads" : ": no such file");
        }
        layer = layer_name ? GDALDatasetGetLayerByName(ds, layer_name) : GDALDatasetGetLayer(ds, 0);
        if (!layer) {
            GDALClose(ds);
            return rb_err_set(err, RB_EINVAL, "%s: no layer '%s'", path, layer_name ? layer_name : "");
        }
    } else if ((rc = rb_open_layer(path, layer_name, "sites", &ds, &layer, err))) {
        return rc;
    }
    rc = RB_OK;
    if (rb_table_from_defn(OGR_L_GetLayerDefn(layer), t)) {
        rc = rb_err_nomem(err);
    } else {
        OGRFeatureH f;
        size_t row = 0;
        while (!rc && (f = OGR_L_GetNextFeature(layer))) {
            char label[64];
            snprintf(label, sizeof label, "row %zu", row + 2);
            if (rb_table_add_row(t) || rb_table_fill_row(t, row, f, NULL, path, label, log))
                rc = rb_err_nomem(err);
            row++;
            OGR_F_Destroy(f);
        }
        if (!rc && row == 0)
            rc = rb_err_set(err, RB_EINVAL, "%s: no rows", path);
    }
    GDALClose(ds);
    if (rc)
        rb_table_free(t);
    return rc;
}
