/* net/route: chaining, chainage, carriageways, gaps and substrings, by hand. */
#include "tcheck.h"
#include "net/route.h"
#include "tnet.h"

#define fixture tnet

static void add(struct tnet *f, const char *key, const double *pts, size_t n)
{
    tnet_add(f, key, NAN, pts, n);
}

TEST(chains_directions_gaps_and_carriageways)
{
    struct fixture f = { 0 };
    add(&f, "A", (double[]){ 0, 0, 100, 0 }, 2);                 /* s0 */
    add(&f, "A", (double[]){ 200, 0, 100, 0 }, 2);               /* s1: digitised backwards */
    add(&f, "A", (double[]){ 200, 0, 300, 0 }, 2);               /* s2 */
    add(&f, "B", (double[]){ 1000, 0, 1100, 0 }, 2);             /* s3 */
    add(&f, "B", (double[]){ 1600, 0, 1700, 0 }, 2);             /* s4: 500 m gap */
    add(&f, "C", (double[]){ 0, 1000, 1000, 1000 }, 2);          /* s5: eastbound carriageway */
    add(&f, "C", (double[]){ 1000, 1020, 0, 1020 }, 2);          /* s6: westbound, 20 m north */
    add(&f, NULL, (double[]){ 5000, 5000, 5000, 5050 }, 2);      /* s7: no key */
    struct rb_net_input in = { f.nsegs, f.part0, f.pt0, f.xy, f.ids, NULL, 0.5 };
    struct rb_net net;
    struct rb_log log = { 0 };
    struct rb_err err;
    CHECK_INT(rb_net_build(&in, &net, &log, "t", &err), RB_OK);
    struct rb_routes r;
    CHECK_INT(rb_routes_build(&net, f.keys, &r, &err), RB_OK);
    CHECK_INT(r.nroutes, 4);
    /* A: s0 east 0-100, s1 against its digitising 100-200, s2 200-300 */
    CHECK_STR(r.id[r.route_of[0]], "A");
    CHECK_INT(r.dir[0], 1);
    CHECK_INT(r.dir[1], -1);
    CHECK_INT(r.dir[2], 1);
    CHECK_NEAR(r.from_m[1], 100, 1e-9);
    CHECK_NEAR(r.to_m[2], 300, 1e-9);
    CHECK_NEAR(r.length_m[r.route_of[0]], 300, 1e-9);
    /* a crash 30 m along s1 from its first point (200, 0) lies at (170, 0): chainage 170 */
    CHECK_NEAR(rb_routes_chainage(&r, &net, 1, 30), 170, 1e-9);
    /* B: the gap of 500 m is kept in the chainage, so posts stay where they were */
    CHECK_NEAR(r.from_m[4], 100 + 500, 1e-9);
    CHECK_NEAR(r.length_m[r.route_of[3]], 700, 1e-9);
    /* C: the westbound carriageway takes the eastbound's chainage, running down */
    CHECK_NEAR(r.from_m[6], 0, 1e-9);
    CHECK_NEAR(r.to_m[6], 1000, 1e-9);
    CHECK_INT(r.dir[6], -1);
    CHECK_NEAR(rb_routes_chainage(&r, &net, 6, 250), 750, 1e-9);   /* (750, 1020) */
    CHECK_NEAR(r.length_m[r.route_of[5]], 1000, 1e-9);
    /* a keyless segment is its own route, named by its id */
    CHECK_STR(r.id[r.route_of[7]], "s7");
    CHECK_INT(r.nchains, 6);
    /* the geometry of A between 50 and 250: (50,0)-(100,0), then s1 whole, then (200,0)-(250,0) */
    double *xy = NULL;
    size_t *pt0 = NULL, capxy = 0, cappt = 0, npts = 0, nparts = 0;
    CHECK_INT(rb_routes_substring(&r, &net, r.route_of[0], 50, 250, &xy, &capxy, &npts, &pt0, &cappt, &nparts), RB_OK);
    CHECK_INT(nparts, 3);
    double len = 0;
    for (size_t p = 0; p < nparts; p++) {
        size_t e = p + 1 < nparts ? pt0[p + 1] : npts;
        for (size_t i = pt0[p]; i + 1 < e; i++)
            len += hypot(xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
    }
    CHECK_NEAR(len, 200, 1e-9);
    CHECK_NEAR(xy[0], 50, 1e-9);
    rb_free(xy);
    rb_free(pt0);
    rb_routes_free(&r);
    rb_net_free(&net);
    rb_log_free(&log);
}

TEST(branches_take_the_straightest_way)
{
    /* route D: a straight line through a node where a branch of the same route
     * leaves at a right angle; the straight continuation comes first. */
    struct fixture f = { 0 };
    add(&f, "D", (double[]){ 0, 0, 100, 0 }, 2);      /* s0 */
    add(&f, "D", (double[]){ 100, 0, 100, 80 }, 2);   /* s1: branch north */
    add(&f, "D", (double[]){ 100, 0, 200, 0 }, 2);    /* s2: straight on */
    struct rb_net_input in = { f.nsegs, f.part0, f.pt0, f.xy, f.ids, NULL, 0.5 };
    struct rb_net net;
    struct rb_log log = { 0 };
    struct rb_err err;
    rb_net_build(&in, &net, &log, "t", &err);
    struct rb_routes r;
    CHECK_INT(rb_routes_build(&net, f.keys, &r, &err), RB_OK);
    CHECK_NEAR(r.from_m[2], 100, 1e-9);
    CHECK_NEAR(r.to_m[2], 200, 1e-9);
    /* the branch starts 0 m from the main line at chainage 100 */
    CHECK_NEAR(r.from_m[1], 100, 1e-9);
    CHECK_NEAR(r.to_m[1], 180, 1e-9);
    CHECK_INT(r.nchains, 2);
    rb_routes_free(&r);
    rb_net_free(&net);
    rb_log_free(&log);
}

/* the indexed substring against the walk over the whole route: same parts,
 * same points, in the same order, for stretches all over routes with gaps,
 * backward segments, two carriageways and segments of very different lengths */
TEST(indexed_substring_equals_the_walk)
{
    struct fixture f = { 0 };
    add(&f, "A", (double[]){ 0, 0, 100, 0 }, 2);
    add(&f, "A", (double[]){ 200, 0, 100, 0 }, 2);
    add(&f, "A", (double[]){ 200, 0, 300, 0, 400, 50, 2400, 50 }, 4);     /* a long one */
    add(&f, "B", (double[]){ 1000, 0, 1100, 0 }, 2);
    add(&f, "B", (double[]){ 1600, 0, 1700, 0 }, 2);                        /* after a gap */
    add(&f, "C", (double[]){ 0, 1000, 500, 1000, 1000, 1000 }, 3);
    add(&f, "C", (double[]){ 1000, 1000, 1300, 1000 }, 2);
    add(&f, "C", (double[]){ 1300, 1020, 1000, 1020, 0, 1020 }, 3);         /* the other carriageway */
    struct rb_net_input in = { f.nsegs, f.part0, f.pt0, f.xy, f.ids, NULL, 0.5 };
    struct rb_net net;
    struct rb_log log = { 0 };
    struct rb_err err;
    CHECK_INT(rb_net_build(&in, &net, &log, "t", &err), RB_OK);
    struct rb_routes r;
    CHECK_INT(rb_routes_build(&net, f.keys, &r, &err), RB_OK);
    struct rb_routes_ix ix;
    CHECK_INT(rb_routes_ix_build(&r, &ix), RB_OK);
    uint64_t seed = 7;
    size_t cases = 0, same = 0, nonempty = 0;
    for (size_t route = 0; route < r.nroutes; route++)
        for (int t = 0; t < 300; t++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double a = (double)(seed >> 33) / (double)(1ULL << 31) * (r.length_m[route] + 200) - 100;
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double b = a + 1 + (double)(seed >> 33) / (double)(1ULL << 31) * 900;
            double *x1 = NULL, *x2 = NULL;
            size_t *p1 = NULL, *p2 = NULL, c1 = 0, c2 = 0, d1 = 0, d2 = 0, n1 = 0, n2 = 0, q1 = 0, q2 = 0;
            rb_routes_substring(&r, &net, route, a, b, &x1, &c1, &n1, &p1, &d1, &q1);
            rb_routes_substring_ix(&r, &ix, &net, route, a, b, &x2, &c2, &n2, &p2, &d2, &q2);
            cases++;
            nonempty += q1 > 0;
            same += n1 == n2 && q1 == q2 && (!n1 || !memcmp(x1, x2, 2 * n1 * sizeof *x1)) &&
                    (!q1 || !memcmp(p1, p2, q1 * sizeof *p1));
            rb_free(x1);
            rb_free(x2);
            rb_free(p1);
            rb_free(p2);
        }
    CHECK_INT(same, cases);
    CHECK(nonempty > cases / 2);
    rb_routes_ix_free(&ix);
    rb_routes_free(&r);
    rb_net_free(&net);
    rb_log_free(&log);
}

RUN_TESTS(T(chains_directions_gaps_and_carriageways), T(branches_take_the_straightest_way),
          T(indexed_substring_equals_the_walk))
