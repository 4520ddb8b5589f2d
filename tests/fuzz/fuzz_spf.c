/* Fuzzes SPF files (those of data/spf and what fit-spf and calibrate write):
 * the input is the file's text, read by rb_spf_read. Besides not crashing or
 * leaking: a file that reads evaluates at a few sites (attributes given, none
 * given, no AADT) without crashing, its overdispersion for them computed; and
 * written back by rb_spf_write it reads again to the same model, with the
 * same base conditions, predicting the same at those sites (both NaN, or
 * equal to 1e-9). */
#include <math.h>
#include <unistd.h>

#include "screen/spf.h"
#include "fuzz.h"

/* Every variable a site gives: one value for all names (NaN: none given). */
static double any_attr(const char *name, void *ud)
{
    (void)name;
    return *(const double *)ud;
}

static int same(double a, double b)
{
    return (a != a && b != b) || a == b || fabs(a - b) <= 1e-9 * fmax(1, fmax(fabs(a), fabs(b)));
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[] = "/tmp/rumble_fuzz_spfXXXXXX", out[] = "/tmp/rumble_fuzz_spfoXXXXXX";
    int fd = mkstemp(in), fo = mkstemp(out);
    if (fd < 0 || fo < 0)
        abort();
    close(fd);
    close(fo);
    write_file(in, data, size);
    static struct rb_spf spf, back;     /* large: not on the stack */
    struct rb_err err;
    if (rb_spf_read(in, &spf, &err) == RB_OK) {
        double vals[3] = { 1.5, NAN, 0 }, aadt[3] = { 5000, 12000, 0 }, len[3] = { 1000, 250, 0 };
        struct rb_spf_pred a[3], b[3];
        for (int k = 0; k < 3; k++) {
            struct rb_spf_site site = { aadt[k], len[k], any_attr, &vals[k], NULL };
            rb_spf_eval(&spf, &site, &a[k]);
            (void)rb_spf_k_of(&spf, a[k].comp, len[k]);
        }
        FUZZ_CHECK(rb_spf_write(out, &spf, NULL, &err) == RB_OK);
        FUZZ_CHECK(rb_spf_read(out, &back, &err) == RB_OK);
        FUZZ_CHECK(back.ncomp == spf.ncomp && back.ncmf == spf.ncmf && back.nterms == spf.nterms);
        /* and the same base conditions: where it holds is part of the model */
        FUZZ_CHECK(back.base_area == spf.base_area && back.base_divided == spf.base_divided &&
                   back.base_legs == spf.base_legs && back.base_control == spf.base_control &&
                   same(back.base_lanes_min, spf.base_lanes_min) && same(back.base_lanes_max, spf.base_lanes_max));
        for (int k = 0; k < 3; k++) {
            struct rb_spf_site site = { aadt[k], len[k], any_attr, &vals[k], NULL };
            rb_spf_eval(&back, &site, &b[k]);
            FUZZ_CHECK(same(a[k].n, b[k].n) && same(a[k].fi, b[k].fi) && same(a[k].cmf, b[k].cmf));
            FUZZ_CHECK(a[k].cmf_base == b[k].cmf_base);
        }
    }
    remove(in);
    remove(out);
    return 0;
}
