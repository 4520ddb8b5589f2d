/* cli/output: the output layers written QGIS-ready — styles and domains first. */
#include "cli/cli.h"

int rb_cli_write_layers(struct rb_out *out, struct rb_layer *const *layers, size_t n, const struct rb_catalogue *cat,
                        struct rb_styles *st, size_t *unindexed, struct rb_err *err)
{
    if (rb_report_styles(layers, n, cat, st, err))
        return err->code;
    for (size_t k = 0; k < st->ndom; k++) {
        const struct rb_domain_def *d = &st->dom[k];
        if (rb_out_add_domain(out, d->name, d->desc, (const char *const *)d->codes, (const char *const *)d->labels,
                              d->n, err))
            return err->code;
    }
    for (size_t k = 0; k < n; k++) {
        if (rb_out_write(out, layers[k], err))
            return err->code;
        if (unindexed)
            *unindexed += !rb_out_last_indexed(out);
    }
    return RB_OK;
}
