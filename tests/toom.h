/* toom: out-of-memory loops. The library's allocations all go through
 * core's rb_malloc family, whose test hook makes the k-th allocation from
 * now fail (and every one after it). t_oom runs a call with k = 1, 2, ...
 * until it succeeds: every run before must fail cleanly with RB_ENOMEM and
 * free what it made (the sanitizer build's LeakSanitizer reports anything
 * left at exit); the caller then checks that the run that succeeded gives
 * the result a plain run gives. Include after tcheck.h and core/core.h. */
#ifndef TOOM_H
#define TOOM_H

#include <stdio.h>
#include <stdlib.h>

/* Runs call(ud) with allocation k failing, k = 1 .. max, until it returns
 * RB_OK; a run that returns anything but RB_OK or RB_ENOMEM is a failure.
 * undo(ud) (may be NULL) frees, after each failed run, what the caller owns
 * by the call's contract (an accumulating plan, say). Checks that some run
 * succeeded and that there was at least one failure point, and returns the
 * number of failure points (the runs that failed); with TOOM set in the
 * environment, prints it with what. */
static long t_oom(const char *what, int (*call)(void *ud), void (*undo)(void *ud), void *ud, long max)
{
    long k, failures = 0;
    int ok = 0, wrong = 0;
    for (k = 1; k <= max; k++) {
        rb_alloc_fail_after(k);
        int rc = call(ud);
        rb_alloc_fail_after(0);
        if (rc == RB_OK) {
            ok = 1;
            break;
        }
        if (rc != RB_ENOMEM) {
            fprintf(stderr, "FAIL [%s] %s: allocation %ld failing gave status %d, not RB_ENOMEM\n", t_case, what,
                    k, rc);
            wrong = 1;
            break;
        }
        failures++;
        if (undo)
            undo(ud);
    }
    CHECK(!wrong);
    CHECK(ok);
    CHECK(failures > 0);
    if (!ok && !wrong)
        fprintf(stderr, "FAIL [%s] %s: still failing after %ld failure points\n", t_case, what, max);
    if (getenv("TOOM"))
        fprintf(stderr, "oom: %s: %ld failure points\n", what, failures);
    return failures;
}

#endif
