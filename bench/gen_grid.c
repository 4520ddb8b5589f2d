/* gen_grid: a seeded synthetic network for the matching benchmark.
 *
 * A square street grid with 100 m blocks in UTM zone 43N (EPSG:32643): each
 * block edge is a segment of 5 vertices with a little wiggle (so a segment is
 * not a bare 2-point line), AADT per segment, and a route per grid line (street
 * "X<row>" along x, "Y<column>" along y) for screening's chainage. Crashes are uniform over the
 * grid's extent, so about 84 % lie within 30 m of a street (1 - 0.4^2) and the
 * rest in block interiors are unmatched, as in real data. Every fifth grid
 * line has four lanes and every tenth is divided; every third is urban (60
 * km/h), the rest rural (90 km/h); shoulders alternate 1 and 2 m (fields
 * lanes, divided, area, speed_kmh, shoulder_m: the HSM site types and CMFs).
 *
 * usage: gen_grid OUTDIR N_CRASHES M_SEGMENTS [SEED]
 * writes OUTDIR/roads.gpkg (layer roads) and OUTDIR/crashes.gpkg (layer crashes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rumble.h"

static uint64_t rng = 1;
static double urand(void)
{
    return rb_rand01(&rng);
}

static void die(const struct rb_err *err)
{
    fprintf(stderr, "gen_grid: %s\n", err->msg);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen_grid OUTDIR N_CRASHES M_SEGMENTS [SEED]\n");
        return 2;
    }
    size_t n = strtoull(argv[2], NULL, 10), m = strtoull(argv[3], NULL, 10);
    rng = argc > 4 ? strtoull(argv[4], NULL, 10) : 42;
    if (!rng)
        rng = 42;
    rb_io_init();
    struct rb_err err = { 0 };
    const double block = 100, x0 = 300000, y0 = 4700000;
    /* k x k nodes give 2 k (k - 1) edges */
    size_t k = 2;
    while (2 * k * (k - 1) < m)
        k++;
    size_t nseg = 0;
    const int vpe = 5;   /* vertices per segment */
    struct rb_table rt = { 0 };
    if (rb_table_add_col(&rt, "seg_id", RB_FT_INT) || rb_table_add_col(&rt, "aadt", RB_FT_INT) ||
        rb_table_add_col(&rt, "route", RB_FT_STRING) || rb_table_add_col(&rt, "lanes", RB_FT_INT) ||
        rb_table_add_col(&rt, "divided", RB_FT_STRING) || rb_table_add_col(&rt, "area", RB_FT_STRING) ||
        rb_table_add_col(&rt, "speed_kmh", RB_FT_INT) || rb_table_add_col(&rt, "shoulder_m", RB_FT_REAL) ||
        rb_table_add_col(&rt, "region", RB_FT_STRING))
        return 3;
    size_t *part_off = malloc((m + 1) * sizeof *part_off), *pt_off = malloc((m + 1) * sizeof *pt_off);
    double *xy = malloc(m * vpe * 2 * sizeof *xy);
    if (!part_off || !pt_off || !xy)
        return 3;
    for (size_t dir = 0; dir < 2 && nseg < m; dir++) {
        for (size_t i = 0; i < k && nseg < m; i++) {
            for (size_t j = 0; j + 1 < k && nseg < m; j++) {
                /* dir 0: along x on row i; dir 1: along y on column i */
                double ax = dir ? x0 + i * block : x0 + j * block;
                double ay = dir ? y0 + j * block : y0 + i * block;
                double bx = dir ? ax : ax + block, by = dir ? ay + block : ay;
                if (rb_table_add_row(&rt))
                    return 3;
                rt.cols[0].i[nseg] = (int64_t)nseg + 1;
                rt.cols[1].i[nseg] = 1000 + (int64_t)(urand() * 19000);
                char route[24];
                snprintf(route, sizeof route, "%c%zu", dir ? 'Y' : 'X', i);
                if (rb_table_set_str(&rt, 2, nseg, route))
                    return 3;
                /* every fifth grid line four lanes, every tenth divided (no draw: the
                 * crashes stay as they were) */
                rt.cols[3].i[nseg] = i % 5 == 0 ? 4 : 2;
                if (rb_table_set_str(&rt, 4, nseg, i % 10 == 0 ? "yes" : "no"))
                    return 3;
                /* every third grid line urban (60 km/h), the rest rural (90 km/h); shoulders 1 or 2 m */
                if (rb_table_set_str(&rt, 5, nseg, i % 3 == 1 ? "urban" : "rural"))
                    return 3;
                rt.cols[6].i[nseg] = i % 3 == 1 ? 60 : 90;
                rt.cols[7].d[nseg] = j % 2 ? 1.0 : 2.0;
                /* the quadrant of the grid its middle lies in: NE, NW, SE, SW (bench/partition.sh) */
                double mid = (double)(k - 1) * block / 2;
                char region[3] = { (ay + by) / 2 - y0 >= mid ? 'N' : 'S', (ax + bx) / 2 - x0 >= mid ? 'E' : 'W', 0 };
                if (rb_table_set_str(&rt, 8, nseg, region))
                    return 3;
                part_off[nseg] = nseg;
                pt_off[nseg] = nseg * vpe;
                for (int v = 0; v < vpe; v++) {
                    double t = (double)v / (vpe - 1);
                    double wig = (v == 0 || v == vpe - 1) ? 0 : (urand() - 0.5) * 2;
                    xy[2 * (nseg * vpe + v)] = ax + t * (bx - ax) + (dir ? wig : 0);
                    xy[2 * (nseg * vpe + v) + 1] = ay + t * (by - ay) + (dir ? 0 : wig);
                }
                nseg++;
            }
        }
    }
    part_off[nseg] = nseg;
    pt_off[nseg] = nseg * vpe;
    struct rb_layer rl = { .name = "roads", .geom = RB_GEOM_LINE, .nrows = nseg,
                           .part_off = part_off, .pt_off = pt_off, .xy = xy };
    rb_layer_add_col(&rl, "seg_id", &rt, 0);
    rb_layer_add_col(&rl, "aadt", &rt, 1);
    rb_layer_add_col(&rl, "route", &rt, 2);
    rb_layer_add_col(&rl, "lanes", &rt, 3);
    rb_layer_add_col(&rl, "divided", &rt, 4);
    rb_layer_add_col(&rl, "area", &rt, 5);
    rb_layer_add_col(&rl, "speed_kmh", &rt, 6);
    rb_layer_add_col(&rl, "shoulder_m", &rt, 7);
    rb_layer_add_col(&rl, "region", &rt, 8);
    char path[4096];
    struct rb_out *out;
    snprintf(path, sizeof path, "%s/roads.gpkg", argv[1]);
    if (rb_out_open(path, "EPSG:32643", &out, &err) || rb_out_write(out, &rl, &err) ||
        rb_out_commit(out, &err))
        die(&err);

    /* crashes: uniform over the grid */
    double span = (k - 1) * block;
    struct rb_table ct = { 0 };
    if (rb_table_add_col(&ct, "crash_id", RB_FT_STRING) || rb_table_add_col(&ct, "crash_date", RB_FT_STRING) ||
        rb_table_add_col(&ct, "severity", RB_FT_STRING) || rb_table_add_col(&ct, "crash_type", RB_FT_STRING) ||
        rb_table_add_col(&ct, "light", RB_FT_STRING))
        return 3;
    /* crash type and light from a second stream, so the places and dates stay
     * as they were before these fields existed */
    static const char *const types[] = { "run_off_road", "run_off_road", "rear_end", "rear_end", "angle",
                                         "head_on", "pedestrian", "animal", "sideswipe", "other" };
    static const char *const lights[] = { "day", "day", "day", "dark", "dusk" };
    uint64_t rng2 = 7;
    size_t *cpo = malloc((n + 1) * sizeof *cpo), *cpt = malloc((n + 1) * sizeof *cpt);
    double *cxy = malloc((n ? n : 1) * 2 * sizeof *cxy);
    if (!cpo || !cpt || !cxy)
        return 3;
    static const char *const sev[] = { "K", "A", "B", "C", "O", "O", "O", "O", "C", "B" };
    for (size_t i = 0; i < n; i++) {
        char id[32], date[48];
        snprintf(id, sizeof id, "C%09zu", i + 1);
        int y = 2019 + (int)(urand() * 5), mo = 1 + (int)(urand() * 12), d = 1 + (int)(urand() * 28);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
        if (rb_table_add_row(&ct) || rb_table_set_str(&ct, 0, i, id) || rb_table_set_str(&ct, 1, i, date) ||
            rb_table_set_str(&ct, 2, i, sev[(int)(urand() * 10)]))
            return 3;
        rng2 = rng2 * 6364136223846793005ull + 1442695040888963407ull;
        if (rb_table_set_str(&ct, 3, i, types[(rng2 >> 33) % 10]) || rb_table_set_str(&ct, 4, i, lights[(rng2 >> 45) % 5]))
            return 3;
        cpo[i] = i;
        cpt[i] = i;
        cxy[2 * i] = x0 + urand() * span;
        cxy[2 * i + 1] = y0 + urand() * span;
    }
    cpo[n] = n;
    cpt[n] = n;
    struct rb_layer cl = { .name = "crashes", .geom = RB_GEOM_POINT, .nrows = n,
                           .part_off = cpo, .pt_off = cpt, .xy = cxy };
    for (size_t c = 0; c < ct.ncols; c++)
        rb_layer_add_col(&cl, ct.cols[c].name, &ct, c);
    snprintf(path, sizeof path, "%s/crashes.gpkg", argv[1]);
    if (rb_out_open(path, "EPSG:32643", &out, &err) || rb_out_write(out, &cl, &err) ||
        rb_out_commit(out, &err))
        die(&err);
    printf("gen_grid: %zu segments (%zu x %zu nodes, %.0f km of street), %zu crashes\n", nseg, k, k,
           nseg * block / 1000, n);
    rb_layer_free_cols(&rl);
    rb_layer_free_cols(&cl);
    rb_table_free(&rt);
    rb_table_free(&ct);
    free(part_off); free(pt_off); free(xy); free(cpo); free(cpt); free(cxy);
    rb_io_cleanup();
    return 0;
}
