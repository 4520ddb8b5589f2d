/* Benchmark: the exact budget choice on N sites with K alternatives each
 * (seeded random costs and values, budget a third of what every site's
 * dearest alternative would cost), against its peer in practice, the greedy
 * choice by benefit-cost ratio. Prints both times, the ratio, and what greedy
 * loses. The target: 10,000 sites x 5 alternatives in under a second.
 * usage: build/bench_plan_opt [N] [K] */
#include "plan/plan.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    size_t N = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000, K = argc > 2 ? strtoul(argv[2], NULL, 10) : 5;
    size_t *first = malloc((N + 1) * sizeof *first);
    double *cost = malloc(N * K * sizeof *cost), *value = malloc(N * K * sizeof *value);
    long *choice = malloc(N * sizeof *choice);
    uint64_t seed = 42;
    double dearest = 0;
    for (size_t g = 0; g < N; g++) {
        first[g] = g * K;
        double m = 0;
        for (size_t j = 0; j < K; j++) {
            double c = floor(1000 + rb_rand01(&seed) * 400000);
            /* benefit-cost ratios spread from 0.5 to 6, with diminishing returns within a site */
            cost[g * K + j] = c;
            value[g * K + j] = floor(c * (0.5 + 5.5 * rb_rand01(&seed)) - c);
            m = c > m ? c : m;
        }
        dearest += m;
    }
    first[N] = N * K;
    double budget = floor(dearest / 3);
    struct rb_mckp p = { N, first, cost, value };
    struct rb_mckp_result ex, gr;
    struct rb_err err = { 0 };
    double t0 = rb_now_s();
    if (rb_mckp_greedy(&p, budget, choice, &gr, &err))
        return 1;
    double t1 = rb_now_s();
    if (rb_mckp_solve(&p, budget, choice, &ex, &err))
        return 1;
    double t2 = rb_now_s();
    printf("budget choice: %zu sites x %zu alternatives, budget %.0f\n", N, K, budget);
    printf("exact:  %.3f s, value %.0f (LP bound %.0f; %zu sites left open after fixing, %zu DP states)\n",
           t2 - t1, ex.value, ex.lp_bound, ex.core, ex.states);
    printf("greedy: %.3f s, value %.0f (%.4f%% below the exact choice)\n", t1 - t0, gr.value,
           100 * (ex.value - gr.value) / ex.value);
    printf("exact / greedy time = %.1f\n", (t2 - t1) / (t1 - t0 > 0 ? t1 - t0 : 1e-9));
    free(first);
    free(cost);
    free(value);
    free(choice);
    return 0;
}
