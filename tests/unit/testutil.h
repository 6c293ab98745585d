/*
 * testutil.h - shared helpers for the cmocka unit tests.
 */
#ifndef CASUS_TESTUTIL_H
#define CASUS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "casus.h"

/* An allocator that counts live blocks and can fail the Nth allocation. */
typedef struct test_alloc {
    long fail_at;       /* 1-based allocation number to fail; 0 = never */
    long count;         /* allocations (and growing reallocs) so far */
    long live;          /* blocks not yet freed */
} test_alloc;

void *test_alloc_fn(void *ud, void *p, size_t n);

/* Diagnostics captured from a context. */
typedef struct test_diags {
    size_t n;
    casus_severity sev[64];
    unsigned long line[64];
    char msg[64][512];
    char file[64][256];
} test_diags;

void test_diag_fn(void *ud, const casus_diag *d);
/* Index of the first diagnostic whose message contains s, or -1. */
int test_diags_find(const test_diags *d, const char *s);

/* Opens a test's pipeline with the test file's own run_open(r), or closes
 * it (run_close(r)) and reports the test skipped when the trained models
 * are absent. */
#define OPEN_OR_SKIP(r)                                                       \
    do {                                                                      \
        if (!run_open(r)) {                                                   \
            run_close(r);                                                     \
            skip();                                                           \
        }                                                                     \
    } while (0)

/* Writes data to a fresh temporary file with the given suffix; returns the
 * path in a static buffer that the next call overwrites. */
const char *test_tmpfile(const char *suffix, const char *data, size_t n);

/* Path to ../shared/data/<rel> when present, else NULL (the caller skips). */
const char *test_shared(const char *rel);

#endif
