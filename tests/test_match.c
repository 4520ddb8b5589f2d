/* net and match: projection, nodes, flags, and the matcher against brute force. */
#include "tcheck.h"
#include "net/net.h"
#include "match/match.h"
#include "tnet.h"

#define fixture tnet

static void fx_add(struct tnet *f, const double *pts, size_t n)
{
    tnet_add(f, NULL, NAN, pts, n);
}

static int fx_build(struct tnet *f, struct rb_net *net, struct rb_log *log)
{
    return tnet_build(f, net, log);
}

TEST(projection_by_hand)
{
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 100, 0, 100, 100 }, 3);
    struct rb_net net;
    struct rb_log log = { 0 };
    CHECK_INT(fx_build(&f, &net, &log), RB_OK);
    struct rb_proj p;
    /* (50, 10) drops onto the first edge at (50, 0): 10 m away, 50 m along; north
     * of an eastbound edge is its left */
    rb_net_project(&net, 0, 50, 10, &p);
    CHECK_NEAR(p.dist_m, 10, 1e-12);
    CHECK_NEAR(p.measure_m, 50, 1e-12);
    CHECK_INT(p.side, 1);
    /* (110, 50) drops onto the northbound edge at (100, 50): 100 + 50 m along, east is right */
    rb_net_project(&net, 0, 110, 50, &p);
    CHECK_NEAR(p.dist_m, 10, 1e-12);
    CHECK_NEAR(p.measure_m, 150, 1e-12);
    CHECK_INT(p.side, -1);
    /* (120, -20) is nearest the corner: sqrt(20^2 + 20^2) = 28.2843 m, measure 100 */
    rb_net_project(&net, 0, 120, -20, &p);
    CHECK_NEAR(p.dist_m, sqrt(800), 1e-12);
    CHECK_NEAR(p.measure_m, 100, 1e-12);
    /* before the start: clamped to measure 0 */
    rb_net_project(&net, 0, -30, -40, &p);
    CHECK_NEAR(p.dist_m, 50, 1e-12);
    CHECK_NEAR(p.measure_m, 0, 1e-12);
    CHECK_NEAR(net.segs[0].length_m, 200, 1e-12);
    rb_net_free(&net);
    rb_log_free(&log);
}

TEST(nodes_and_geometry_issues)
{
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 100, 0 }, 2);                 /* s0 */
    fx_add(&f, (double[]){ 100, 0.2, 200, 0 }, 2);             /* s1: starts 0.2 m off, snaps */
    fx_add(&f, (double[]){ 100, 0, 100, 100 }, 2);             /* s2 */
    fx_add(&f, (double[]){ 5, 5, 5, 5, 5, 5 }, 3);             /* s3: zero length */
    fx_add(&f, (double[]){ 300, 0, 310, 0, 305, 0 }, 3);       /* s4: doubles back */
    fx_add(&f, (double[]){ 400, 0, 400, 0, 410, 0 }, 3);       /* s5: repeated vertex, fine */
    struct rb_net net;
    struct rb_log log = { 0 };
    CHECK_INT(fx_build(&f, &net, &log), RB_OK);
    /* nodes: (0,0) (100,0) (200,0) (100,100) (300,0) (305,0) (400,0) (410,0) */
    CHECK_INT(net.nnodes, 8);
    CHECK_INT(net.segs[0].node_to, net.segs[1].node_from);
    CHECK_INT(net.segs[0].node_to, net.segs[2].node_from);
    CHECK_INT(net.node_deg[net.segs[0].node_to], 3);
    CHECK_INT(net.node_deg[net.segs[0].node_from], 1);
    CHECK(net.segs[3].flags & RB_SEG_ZERO);
    CHECK(net.segs[3].flags & RB_SEG_NOGEOM);
    CHECK_INT(net.segs[3].node_from, RB_NONODE);
    CHECK(net.segs[4].flags & RB_SEG_OVERLAP);
    CHECK_NEAR(net.segs[4].length_m, 15, 1e-12);
    CHECK_INT(net.segs[5].flags, 0);
    CHECK_NEAR(net.segs[5].length_m, 10, 1e-12);
    CHECK_INT(log.count[RB_W_SEGMENT], 2);
    rb_net_free(&net);
    rb_log_free(&log);
}

static void match_with(struct fixture *f, const struct rb_match_opt *opt, const double *pts, size_t n,
                       struct rb_match *out)
{
    struct rb_net net;
    struct rb_netindex ix;
    struct rb_log log = { 0 };
    struct rb_err err;
    fx_build(f, &net, &log);
    rb_netindex_build(&net, &ix, &err);
    uint8_t st[16] = { 0 };
    double x[16], y[16];
    for (size_t i = 0; i < n; i++) {
        x[i] = pts[2 * i];
        y[i] = pts[2 * i + 1];
    }
    /* separate arrays of x, y and status: one call per point, stride unused */
    for (size_t i = 0; i < n; i++)
        rb_match_points(&net, &ix, opt, &x[i], &y[i], &st[i], 0, 1, &out[i], NULL, &err);
    rb_netindex_free(&ix);
    rb_net_free(&net);
    rb_log_free(&log);
}

static void match_fixture(struct fixture *f, const double *pts, size_t n, struct rb_match *out)
{
    struct rb_match_opt opt = { 30, 5, 20, 0, NULL };
    match_with(f, &opt, pts, n, out);
}

TEST(grade_separation)
{
    /* s0 runs east along y = 0; s1, a bridge, runs north along x = 100 over it
     * with no node between them; s2 runs east along y = 40 from x = 300, s3
     * along y = 52 from x = 300 (12 m apart, not crossing). */
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 200, 0 }, 2);
    fx_add(&f, (double[]){ 100, -100, 100, 100 }, 2);
    fx_add(&f, (double[]){ 300, 40, 500, 40 }, 2);
    fx_add(&f, (double[]){ 300, 52, 500, 52 }, 2);
    const double pts[] = { 103, 8, 112, 2, 120, 2, 400, 42, 100, 0 };
    struct rb_match m[5];
    /* no grades known: only the crossing tells */
    struct rb_match_opt opt = { 30, 5, 20, 15, NULL };
    match_with(&f, &opt, pts, 5, m);
    /* (103, 8): 3 m from the bridge, 8 m from the road beneath <= 3 + 15, and
     * they cross within 30 m: either may be right */
    CHECK_INT(m[0].seg, 1);
    CHECK_INT(m[0].ambiguous, 1);
    CHECK_INT(m[0].grade_sep, 1);
    CHECK_INT(m[0].alt_seg, 0);
    CHECK_NEAR(m[0].alt_offset_m, 8, 1e-12);
    /* (112, 2): 2 m from the road, 12 m from the bridge <= 2 + 15 */
    CHECK_INT(m[1].seg, 0);
    CHECK_INT(m[1].grade_sep, 1);
    CHECK_INT(m[1].alt_seg, 1);
    CHECK_NEAR(m[1].alt_offset_m, 12, 1e-12);
    /* (120, 2): the bridge is 20 m off > 2 + 15: clear */
    CHECK_INT(m[2].seg, 0);
    CHECK_INT(m[2].ambiguous, 0);
    CHECK_INT(m[2].grade_sep, 0);
    /* (400, 42): 2 m and 10 m from two roads that do not cross, > 2 + 5: clear */
    CHECK_INT(m[3].seg, 2);
    CHECK_INT(m[3].ambiguous, 0);
    /* (100, 0), right at the crossing: 0 m from both; the lower index wins, the
     * bridge is the doubt */
    CHECK_INT(m[4].seg, 0);
    CHECK_INT(m[4].grade_sep, 1);
    CHECK_INT(m[4].alt_seg, 1);
    /* grades known: s3 is a viaduct (layer 1) over s2: 10 m <= 2 + 15 and
     * another grade makes (400, 42) a doubt though they never cross */
    int8_t grade[4] = { 0, 1, 0, 1 };
    opt.grade = grade;
    match_with(&f, &opt, pts, 5, m);
    CHECK_INT(m[3].seg, 2);
    CHECK_INT(m[3].ambiguous, 1);
    CHECK_INT(m[3].grade_sep, 1);
    CHECK_INT(m[3].alt_seg, 3);
    CHECK_NEAR(m[3].alt_offset_m, 10, 1e-12);
    CHECK_INT(m[0].alt_seg, 0);
    /* the same level both, but crossing with no node: still a doubt (a
     * missing layer tag) */
    grade[1] = grade[3] = 0;
    match_with(&f, &opt, pts, 5, m);
    CHECK_INT(m[0].grade_sep, 1);
    CHECK_INT(m[3].ambiguous, 0);
    /* off: the grade margin 0 leaves the 5 m rule alone; (103, 8) is 5 m past */
    opt.grade_margin_m = 0;
    match_with(&f, &opt, pts, 5, m);
    CHECK_INT(m[0].ambiguous, 1);
    CHECK_INT(m[0].grade_sep, 0);
    CHECK_INT(m[1].ambiguous, 0);
    /* a bridge that starts at the road's end joins it at a node: no doubt */
    struct fixture g = { 0 };
    fx_add(&g, (double[]){ 0, 0, 100, 0 }, 2);
    fx_add(&g, (double[]){ 100, 0, 100, 100 }, 2);
    opt.grade_margin_m = 15;
    int8_t g2[2] = { 0, 1 };
    opt.grade = g2;
    match_with(&g, &opt, (double[]){ 95, 3 }, 1, m);
    CHECK_INT(m[0].seg, 0);
    CHECK_INT(m[0].ambiguous, 0);
    CHECK_INT(m[0].grade_sep, 0);
}

TEST(ambiguous_parallel_roads)
{
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 1000, 0 }, 2);     /* a road */
    fx_add(&f, (double[]){ 0, 8, 1000, 8 }, 2);     /* a frontage road 8 m away, not joined */
    struct rb_match m[3];
    match_fixture(&f, (double[]){ 500, 3, 500, -1, 500, 50 }, 3, m);
    /* (500, 3): 3 m from s0, 5 m from s1 <= 3 + 5: a doubt */
    CHECK_INT(m[0].seg, 0);
    CHECK_INT(m[0].ambiguous, 1);
    CHECK_INT(m[0].alt_seg, 1);
    CHECK_NEAR(m[0].alt_offset_m, 5, 1e-12);
    /* (500, -1): 1 m and 9 m > 1 + 5: clear */
    CHECK_INT(m[1].seg, 0);
    CHECK_INT(m[1].ambiguous, 0);
    CHECK_INT(m[1].alt_seg, -1);
    /* (500, 50): 42 m from the nearest road, beyond 30 m, but within 30 + 5? no: 42 > 35 */
    CHECK_INT(m[2].seg, -1);
    CHECK_INT(m[2].reason, RB_UNM_BEYOND_TOLERANCE);
    CHECK(isnan(m[2].nearest_m));
}

TEST(junction_and_connected_segments)
{
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 100, 0 }, 2);
    fx_add(&f, (double[]){ 100, 0, 200, 0 }, 2);
    fx_add(&f, (double[]){ 100, 0, 100, 100 }, 2);
    struct rb_match m[3];
    match_fixture(&f, (double[]){ 100, -3, 50, -3, 85, 2 }, 3, m);
    /* (100, -3): 3 m from s0 and s1 alike (their shared end), and 3 m from s2's
     * end: the lowest index wins; joined segments are no doubt; a node of degree 3
     * lies 0 m from the matched point: a junction */
    CHECK_INT(m[0].seg, 0);
    CHECK_NEAR(m[0].measure_m, 100, 1e-12);
    CHECK_INT(m[0].ambiguous, 0);
    CHECK_INT(m[0].junction, 1);
    /* (50, -3): 50 m from the node: no junction */
    CHECK_INT(m[1].seg, 0);
    CHECK_INT(m[1].junction, 0);
    CHECK_INT(m[1].side, -1);
    /* (85, 2): matched point (85, 0) is 15 m from the node, within 20 */
    CHECK_INT(m[2].junction, 1);
    CHECK_NEAR(m[2].offset_m, 2, 1e-12);
}

TEST(unusable_coordinates_keep_their_reason)
{
    struct fixture f = { 0 };
    fx_add(&f, (double[]){ 0, 0, 100, 0 }, 2);
    struct rb_net net;
    struct rb_netindex ix;
    struct rb_log log = { 0 };
    struct rb_err err;
    fx_build(&f, &net, &log);
    rb_netindex_build(&net, &ix, &err);
    struct pt { double x, y; uint8_t st; } pts[2] = { { 10, 1, 5 }, { 10, 1, 0 } };
    struct rb_match m[2];
    struct rb_match_opt opt = { 30, 5, 20, 0, NULL };
    CHECK_INT(rb_match_points(&net, &ix, &opt, &pts[0].x, &pts[0].y, &pts[0].st, sizeof *pts, 2, m,
                              NULL, &err), RB_OK);
    CHECK_INT(m[0].seg, -1);
    CHECK_INT(m[0].reason, RB_UNM_SWAPPED_COORDINATES);
    CHECK_STR(rb_unmatched_name(m[0].reason), "swapped_coordinates");
    CHECK_INT(m[1].seg, 0);
    rb_netindex_free(&ix);
    rb_net_free(&net);
    rb_log_free(&log);
}

/* Independent oracle: the distance from (x, y) to segment (a, b), written apart
 * from the library's projection. */
static double seg_dist(double x, double y, double ax, double ay, double bx, double by)
{
    double vx = bx - ax, vy = by - ay, wx = x - ax, wy = y - ay;
    double c1 = vx * wx + vy * wy, c2 = vx * vx + vy * vy;
    if (c1 <= 0) return sqrt(wx * wx + wy * wy);
    if (c2 <= c1) return sqrt((x - bx) * (x - bx) + (y - by) * (y - by));
    double t = c1 / c2, px = ax + t * vx, py = ay + t * vy;
    return sqrt((x - px) * (x - px) + (y - py) * (y - py));
}

TEST(nearest_equals_brute_force)
{
    /* 3,000 random polylines of 2 to 30 vertices (long ones span several index
     * items) in a 5 km square, 5,000 random points; tolerance 30 m. */
    size_t nsegs = 3000;
    size_t *part0 = malloc((nsegs + 1) * sizeof *part0), *pt0 = malloc((nsegs + 1) * sizeof *pt0);
    double *xy = malloc(nsegs * 30 * 2 * sizeof *xy);
    const char **ids = malloc(nsegs * sizeof *ids);
    size_t np = 0;
    for (size_t s = 0; s < nsegs; s++) {
        part0[s] = s;
        pt0[s] = np;
        ids[s] = "x";
        size_t n = 2 + (size_t)(t_rand() * 29);
        double x = t_rand() * 5000, y = t_rand() * 5000;
        for (size_t i = 0; i < n; i++) {
            xy[2 * np] = x;
            xy[2 * np + 1] = y;
            np++;
            x += (t_rand() - 0.5) * 80;
            y += (t_rand() - 0.5) * 80;
        }
    }
    part0[nsegs] = nsegs;
    pt0[nsegs] = np;
    struct rb_net_input in = { nsegs, part0, pt0, xy, ids, NULL, 0.5 };
    struct rb_net net;
    struct rb_netindex ix;
    struct rb_log log = { 0 };
    struct rb_err err;
    CHECK_INT(rb_net_build(&in, &net, &log, "random", &err), RB_OK);
    CHECK_INT(rb_netindex_build(&net, &ix, &err), RB_OK);
    struct rb_match_opt opt = { 30, 5, 20, 0, NULL };
    int wrong_seg = 0, wrong_dist = 0, wrong_status = 0, matched = 0;
    for (int q = 0; q < 5000; q++) {
        double x = t_rand() * 5000, y = t_rand() * 5000;
        uint8_t st = 0;
        struct rb_match m;
        rb_match_points(&net, &ix, &opt, &x, &y, &st, 0, 1, &m, NULL, &err);
        double best = INFINITY;
        int64_t arg = -1;
        for (size_t s = 0; s < nsegs; s++) {
            double d = INFINITY;
            for (size_t i = pt0[s]; i + 1 < pt0[s + 1]; i++)
                d = fmin(d, seg_dist(x, y, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]));
            if (d < best) { best = d; arg = (int64_t)s; }
        }
        if (best <= 30) {
            matched++;
            if (m.seg < 0) wrong_status++;
            else {
                if (fabs(m.offset_m - best) > 1e-9) wrong_dist++;
                /* a different segment only when it is exactly as near */
                if (m.seg != arg) {
                    double d = INFINITY;
                    size_t s = (size_t)m.seg;
                    for (size_t i = pt0[s]; i + 1 < pt0[s + 1]; i++)
                        d = fmin(d, seg_dist(x, y, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]));
                    if (fabs(d - best) > 1e-9) wrong_seg++;
                }
            }
        } else if (m.seg >= 0 || m.reason != RB_UNM_BEYOND_TOLERANCE) {
            wrong_status++;
        }
    }
    CHECK(matched > 1000);     /* the test means something only if many match */
    /* one call over 30,000 points runs on two threads: the same answers as one at a time */
    {
        enum { NQ = 30000 };
        struct pt { double x, y; uint8_t st; } *pts = malloc(NQ * sizeof *pts);
        struct rb_match *all = malloc(NQ * sizeof *all);
        for (int i = 0; i < NQ; i++)
            pts[i] = (struct pt){ t_rand() * 5000, t_rand() * 5000, (uint8_t)(i % 50 == 0 ? 2 : 0) };
        CHECK_INT(rb_match_points(&net, &ix, &opt, &pts[0].x, &pts[0].y, &pts[0].st, sizeof *pts, NQ,
                                  all, NULL, &err), RB_OK);
        int differ = 0;
        for (int i = 0; i < NQ; i++) {
            struct rb_match one;
            rb_match_points(&net, &ix, &opt, &pts[i].x, &pts[i].y, &pts[i].st, 0, 1, &one, NULL, &err);
            if (one.seg != all[i].seg || one.reason != all[i].reason ||
                (one.seg >= 0 && (one.offset_m != all[i].offset_m || one.measure_m != all[i].measure_m)))
                differ++;
        }
        CHECK_INT(differ, 0);
        free(pts);
        free(all);
    }
    CHECK_INT(wrong_seg, 0);
    CHECK_INT(wrong_dist, 0);
    CHECK_INT(wrong_status, 0);
    rb_netindex_free(&ix);
    rb_net_free(&net);
    rb_log_free(&log);
    free(part0); free(pt0); free(xy); free(ids);
}

TEST(survives_allocation_failure)
{
    /* Every allocation of net build, index build and matching made to fail in
     * turn: each failure returns RB_ENOMEM and frees what it held (ASan checks). */
    struct fixture f = { 0 };
    for (int s = 0; s < 20; s++)
        fx_add(&f, (double[]){ s * 10.0, 0, s * 10.0 + 10, 5, s * 10.0 + 10, 10 }, 3);
    int nomem = 0, ok = 0;
    for (long k = 1; k < 400 && !ok; k++) {
        struct rb_net net = { 0 };
        struct rb_netindex ix = { 0 };
        struct rb_log log = { 0 };
        struct rb_err err;
        struct rb_net_input in = { f.nsegs, f.part0, f.pt0, f.xy, f.ids, f.aadt, 0.5 };
        double x = 55, y = 3;
        uint8_t st = 0;
        struct rb_match m;
        struct rb_match_opt opt = { 30, 5, 20, 0, NULL };
        rb_alloc_fail_after(k);
        int rc = rb_net_build(&in, &net, &log, "t", &err);
        if (!rc) {
            rc = rb_netindex_build(&net, &ix, &err);
            if (!rc)
                rc = rb_match_points(&net, &ix, &opt, &x, &y, &st, 0, 1, &m, NULL, &err);
        }
        rb_alloc_fail_after(0);
        if (rc == RB_ENOMEM) nomem++;
        else if (rc == RB_OK) ok = 1;
        rb_netindex_free(&ix);
        rb_net_free(&net);
        rb_log_free(&log);
    }
    CHECK(nomem > 10);
    CHECK_INT(ok, 1);
}

RUN_TESTS(T(projection_by_hand), T(nodes_and_geometry_issues), T(ambiguous_parallel_roads), T(grade_separation),
          T(junction_and_connected_segments), T(unusable_coordinates_keep_their_reason),
          T(nearest_equals_brute_force), T(survives_allocation_failure))
