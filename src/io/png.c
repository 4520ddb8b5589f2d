/* io/png: a paletted picture as PNG bytes, through GDAL's PNG driver (the
 * report draws a national network at its map's resolution). */
#include "io/internal.h"

#include <stdio.h>
#include <string.h>

int rb_io_png(const uint8_t *px, int w, int h, const uint8_t (*rgba)[4], int ncolors, unsigned char **out,
              size_t *outn, struct rb_err *err)
{
    *out = NULL;
    *outn = 0;
    char path[96];   /* a name of its own: two pictures at once do not meet */
    snprintf(path, sizeof path, "/vsimem/rumble_map_%p_%p.png", (const void *)px, (void *)out);
    GDALDriverH mem = GDALGetDriverByName("MEM"), png = GDALGetDriverByName("PNG");
    if (!mem || !png)
        return rb_err_set(err, RB_EIO, "GDAL has no %s driver: cannot draw the map's picture", mem ? "PNG" : "MEM");
    rb_gdal_push();
    int rc = RB_OK;
    GDALDatasetH ds = GDALCreate(mem, "", w, h, 1, GDT_Byte, NULL), copy = NULL;
    GDALColorTableH ct = GDALCreateColorTable(GPI_RGB);
    if (!ds || !ct) {
        rc = rb_err_set(err, RB_ENOMEM, "cannot make the map's picture (%d x %d): %s", w, h, rb_gdal_last());
    } else {
        GDALRasterBandH b = GDALGetRasterBand(ds, 1);
        for (int k = 0; k < ncolors; k++) {
            GDALColorEntry e = { rgba[k][0], rgba[k][1], rgba[k][2], rgba[k][3] };
            GDALSetColorEntry(ct, k, &e);
        }
        if (GDALSetRasterColorTable(b, ct) != CE_None ||
            GDALRasterIO(b, GF_Write, 0, 0, w, h, (void *)px, w, h, GDT_Byte, 0, 0) != CE_None)
            rc = rb_err_set(err, RB_EIO, "cannot make the map's picture: %s", rb_gdal_last());
    }
    /* no .aux.xml beside a picture in memory; the thread's own setting put back after */
    const char *pam0 = CPLGetThreadLocalConfigOption("GDAL_PAM_ENABLED", NULL);
    char *pam = pam0 ? CPLStrdup(pam0) : NULL;
    CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO");
    if (!rc && !(copy = GDALCreateCopy(png, path, ds, FALSE, NULL, NULL, NULL)))
        rc = rb_err_set(err, RB_EIO, "cannot encode the map's picture as PNG: %s", rb_gdal_last());
    if (copy)
        GDALClose(copy);
    CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", pam);
    CPLFree(pam);
    if (ds)
        GDALClose(ds);
    if (ct)
        GDALDestroyColorTable(ct);
    vsi_l_offset len = 0;
    GByte *buf = rc ? NULL : VSIGetMemFileBuffer(path, &len, TRUE);
    if (!rc && !buf)
        rc = rb_err_set(err, RB_EIO, "cannot encode the map's picture as PNG");
    if (buf) {
        *out = rb_malloc(len ? (size_t)len : 1);
        if (*out) {
            memcpy(*out, buf, (size_t)len);
            *outn = (size_t)len;
        } else {
            rc = rb_err_nomem(err);
        }
        CPLFree(buf);
    }
    VSIUnlink(path);
    rb_gdal_pop();
    return rc;
}
