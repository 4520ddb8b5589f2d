/* fuzz: what the libFuzzer harnesses (tests/fuzz/fuzz_*.c) share. Each harness
 * defines LLVMFuzzerTestOneInput; `make fuzz` links it with libFuzzer (clang),
 * and tests/fuzz/replay.c with a main() that feeds it the files of its corpus
 * (gcc, for `make check`). A broken property aborts, so both drivers report it. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold whatever the input: abort, which libFuzzer and
 * the replay both report as a crash with the input that caused it. */
#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* The input as a C string (malloc'd, NUL added; a NUL inside ends it early, as
 * it would in any string the library is given). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
