/* index: the packed R-tree against a linear scan. */
#include "tcheck.h"
#include "index/index.h"

struct hits {
    size_t *items;
    size_t n;
};

static int collect(size_t item, void *ud)
{
    struct hits *h = ud;
    h->items[h->n++] = item;
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Every query on n random boxes returns exactly the boxes a linear scan finds. */
static int search_equals_scan(size_t n, size_t nq, double spread)
{
    double *boxes = calloc((n ? n : 1) * 4, sizeof *boxes);
    for (size_t i = 0; i < n; i++) {
        double x = t_rand() * spread, y = t_rand() * spread;
        double w = t_rand() * 50, h = t_rand() * 50;
        boxes[4 * i] = x; boxes[4 * i + 1] = y; boxes[4 * i + 2] = x + w; boxes[4 * i + 3] = y + h;
    }
    struct rb_rtree *t;
    if (rb_rtree_build(boxes, n, &t) != RB_OK)
        return -1;
    struct hits h = { malloc((n ? n : 1) * sizeof(size_t)), 0 };
    size_t *want = malloc((n ? n : 1) * sizeof *want);
    int bad = 0;
    for (size_t q = 0; q < nq; q++) {
        double x = t_rand() * spread, y = t_rand() * spread, r = t_rand() * 200;
        double qb[4] = { x - r, y - r, x + r, y + r };
        h.n = 0;
        rb_rtree_search(t, qb, collect, &h);
        size_t nw = 0;
        for (size_t i = 0; i < n; i++) {
            const double *b = boxes + 4 * i;
            if (!(b[2] < qb[0] || b[3] < qb[1] || b[0] > qb[2] || b[1] > qb[3]))
                want[nw++] = i;
        }
        qsort(h.items, h.n, sizeof *h.items, cmp_size);
        if (h.n != nw || (nw && memcmp(h.items, want, nw * sizeof *want)))
            bad++;
    }
    rb_rtree_free(t);
    free(h.items);
    free(want);
    free(boxes);
    return bad;
}

TEST(search_matches_brute_force)
{
    CHECK_INT(search_equals_scan(5000, 2000, 10000), 0);
    CHECK_INT(search_equals_scan(17, 500, 300), 0);      /* one partial node */
    CHECK_INT(search_equals_scan(1, 100, 100), 0);
    CHECK_INT(search_equals_scan(16 * 16 + 1, 500, 1000), 0);   /* a level boundary */
    CHECK_INT(search_equals_scan(0, 10, 100), 0);
}

TEST(identical_boxes)
{
    /* all boxes at one point: the Hilbert keys tie, the tree must still hold all */
    double boxes[4 * 100];
    for (int i = 0; i < 100; i++) {
        boxes[4 * i] = boxes[4 * i + 2] = 5;
        boxes[4 * i + 1] = boxes[4 * i + 3] = 7;
    }
    struct rb_rtree *t;
    CHECK_INT(rb_rtree_build(boxes, 100, &t), RB_OK);
    size_t items[100];
    struct hits h = { items, 0 };
    double q[4] = { 4, 6, 6, 8 };
    CHECK_INT(rb_rtree_search(t, q, collect, &h), 100);
    double miss[4] = { 6, 8, 9, 9 };
    h.n = 0;
    CHECK_INT(rb_rtree_search(t, miss, collect, &h), 0);
    rb_rtree_free(t);
}

static int stop_first(size_t item, void *ud)
{
    (void)item;
    ++*(int *)ud;
    return 1;
}

TEST(early_stop)
{
    double boxes[4 * 50];
    for (int i = 0; i < 50; i++) {
        boxes[4 * i] = i; boxes[4 * i + 1] = 0; boxes[4 * i + 2] = i + 1; boxes[4 * i + 3] = 1;
    }
    struct rb_rtree *t;
    rb_rtree_build(boxes, 50, &t);
    int calls = 0;
    double q[4] = { -1, -1, 100, 100 };
    rb_rtree_search(t, q, stop_first, &calls);
    CHECK_INT(calls, 1);
    rb_rtree_free(t);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

TEST(hilbert_is_a_bijection_on_a_block)
{
    /* The curve visits each cell once: on the 256 x 256 corner block the values
     * are distinct (checked by sorting), and consecutive values of the curve are
     * neighbouring cells, which is what makes it cluster boxes well. */
    size_t n = 256 * 256;
    uint32_t *v = malloc(n * sizeof *v);
    for (uint32_t x = 0; x < 256; x++)
        for (uint32_t y = 0; y < 256; y++)
            v[x * 256 + y] = rb_hilbert(x, y);
    qsort(v, n, sizeof *v, cmp_u32);
    int dup = 0;
    for (size_t i = 1; i < n; i++)
        dup += v[i] == v[i - 1];
    CHECK_INT(dup, 0);
    free(v);
    /* on the full grid, the cells of values h and h+1 touch (checked on a sample) */
    int far = 0;
    uint32_t cells[4][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    uint32_t hv[4];
    for (int i = 0; i < 4; i++)
        hv[i] = rb_hilbert(cells[i][0], cells[i][1]);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            if (hv[j] == hv[i] + 1 &&
                abs((int)cells[i][0] - (int)cells[j][0]) + abs((int)cells[i][1] - (int)cells[j][1]) != 1)
                far++;
    CHECK_INT(far, 0);
}

TEST(build_survives_allocation_failure)
{
    double boxes[4 * 300];
    for (int i = 0; i < 300; i++) {
        boxes[4 * i] = t_rand() * 100; boxes[4 * i + 1] = t_rand() * 100;
        boxes[4 * i + 2] = boxes[4 * i] + 1; boxes[4 * i + 3] = boxes[4 * i + 1] + 1;
    }
    int failures = 0, successes = 0;
    for (long k = 1; k < 50; k++) {
        struct rb_rtree *t = NULL;
        rb_alloc_fail_after(k);
        int rc = rb_rtree_build(boxes, 300, &t);
        rb_alloc_fail_after(0);
        if (rc == RB_ENOMEM && t == NULL) failures++;
        else if (rc == RB_OK && t) successes++;
        rb_rtree_free(t);   /* ASan reports any leak of the failed paths */
    }
    CHECK(failures > 0);
    CHECK_INT(failures + successes, 49);
}

TEST(points_in_polygons_against_geometry)
{
    /* Polygon 0: the square [0, 10]^2 with the hole [4, 6]^2. Polygon 1: a
     * regular 720-gon of radius 5 about (20, 5), clockwise. Polygon 2: the
     * square [8, 12] x [0, 2], overlapping polygon 0 (the lower index wins).
     * Random points are checked against the shapes' own definitions, away
     * from the edges where the 720-gon and the circle differ. */
    size_t ring0[4] = { 0, 2, 3, 4 };
    size_t pt0[5];
    double xy[2 * (4 + 4 + 720 + 4)];
    size_t n = 0;
    const double sq[4][2] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 } }, hole[4][2] = { { 4, 4 }, { 4, 6 }, { 6, 6 }, { 6, 4 } },
                 sq2[4][2] = { { 8, 0 }, { 12, 0 }, { 12, 2 }, { 8, 2 } };
    pt0[0] = n;
    for (int i = 0; i < 4; i++, n++) { xy[2 * n] = sq[i][0]; xy[2 * n + 1] = sq[i][1]; }
    pt0[1] = n;
    for (int i = 0; i < 4; i++, n++) { xy[2 * n] = hole[i][0]; xy[2 * n + 1] = hole[i][1]; }
    pt0[2] = n;
    for (int i = 0; i < 720; i++, n++) {
        double a = -2 * 3.14159265358979323846 * i / 720;
        xy[2 * n] = 20 + 5 * cos(a);
        xy[2 * n + 1] = 5 + 5 * sin(a);
    }
    pt0[3] = n;
    for (int i = 0; i < 4; i++, n++) { xy[2 * n] = sq2[i][0]; xy[2 * n + 1] = sq2[i][1]; }
    pt0[4] = n;
    struct rb_polyindex ix;
    CHECK_INT(rb_polyindex_build(3, ring0, pt0, xy, &ix), RB_OK);
    uint64_t seed = 7;
    int wrong = 0, tested = 0;
    for (int k = 0; k < 20000; k++) {
        double x = -2 + 29 * rb_rand01(&seed), y = -2 + 14 * rb_rand01(&seed);
        double r = hypot(x - 20, y - 5);
        if (fabs(r - 5) < 0.01)
            continue;
        long want = -1;
        if (x > 0 && x < 10 && y > 0 && y < 10 && !(x > 4 && x < 6 && y > 4 && y < 6)) want = 0;
        else if (r < 5) want = 1;
        else if (x > 8 && x < 12 && y > 0 && y < 2) want = 2;
        wrong += rb_polyindex_find(&ix, x, y) != want;
        tested++;
    }
    CHECK_INT(wrong, 0);
    CHECK(tested > 19000);
    CHECK_INT(rb_polyindex_find(&ix, 5, 5), -1);      /* in the hole */
    CHECK_INT(rb_polyindex_find(&ix, 9, 1), 0);       /* in 0 and 2 */
    CHECK_INT(rb_polyindex_find(&ix, 11, 1), 2);
    rb_polyindex_free(&ix);
}

RUN_TESTS(T(search_matches_brute_force), T(identical_boxes), T(early_stop),
          T(hilbert_is_a_bijection_on_a_block), T(build_survives_allocation_failure),
          T(points_in_polygons_against_geometry))
