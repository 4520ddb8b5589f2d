/* tcheck: a small test harness. Each test program defines TESTS(...) cases with
 * TEST(name) { ... } and ends with RUN_TESTS(); the last line it prints is
 * "N passed, N failed", counted per check. */
#ifndef TCHECK_H
#define TCHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed;
static const char *t_case;

#define CHECK(cond) do { \
    if (cond) t_passed++; \
    else { t_failed++; fprintf(stderr, "FAIL %s:%d [%s]: %s\n", __FILE__, __LINE__, t_case, #cond); } \
} while (0)

#define CHECK_NEAR(a, b, eps) do { \
    double t_a = (a), t_b = (b); \
    if (fabs(t_a - t_b) <= (eps)) t_passed++; \
    else { t_failed++; fprintf(stderr, "FAIL %s:%d [%s]: %s = %.12g, want %.12g (+-%g)\n", \
                               __FILE__, __LINE__, t_case, #a, t_a, t_b, (double)(eps)); } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *t_a = (a), *t_b = (b); \
    if (t_a && t_b && strcmp(t_a, t_b) == 0) t_passed++; \
    else { t_failed++; fprintf(stderr, "FAIL %s:%d [%s]: %s = '%s', want '%s'\n", __FILE__, __LINE__, \
                               t_case, #a, t_a ? t_a : "(null)", t_b ? t_b : "(null)"); } \
} while (0)

#define CHECK_INT(a, b) do { \
    long long t_a = (long long)(a), t_b = (long long)(b); \
    if (t_a == t_b) t_passed++; \
    else { t_failed++; fprintf(stderr, "FAIL %s:%d [%s]: %s = %lld, want %lld\n", __FILE__, __LINE__, \
                               t_case, #a, t_a, t_b); } \
} while (0)

typedef void (*t_fn)(void);
struct t_entry { const char *name; t_fn fn; };

#define TEST(name) static void name(void)

static int t_run(const struct t_entry *tests, size_t n, int argc, char **argv)
{
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
            continue;
        t_case = tests[i].name;
        int before = t_failed;
        tests[i].fn();
        if (getenv("TVERBOSE"))
            fprintf(stderr, "%s %s\n", t_failed == before ? "ok  " : "FAIL", tests[i].name);
    }
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}

#define RUN_TESTS(...) \
    int main(int argc, char **argv) { \
        static const struct t_entry t_all[] = { __VA_ARGS__ }; \
        return t_run(t_all, sizeof t_all / sizeof *t_all, argc, argv); \
    }
#define T(name) { #name, name }

/* Deterministic random numbers for brute-force comparisons (xorshift64*). */
static unsigned long long t_rng_state = 88172645463325252ULL;
static inline double t_rand(void)
{
    t_rng_state ^= t_rng_state >> 12;
    t_rng_state ^= t_rng_state << 25;
    t_rng_state ^= t_rng_state >> 27;
    return (double)((t_rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* The shared real data, read in place (never copied into the repository). */
static inline const char *t_shared(void)
{
    const char *d = getenv("RUMBLE_SHARED_DATA");
    return d ? d : "../shared/data";
}

#endif
