/*
 * testutil.c - shared helpers for the cmocka unit tests.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *test_alloc_fn(void *ud, void *p, size_t n)
{
    test_alloc *a = ud;
    if (n == 0) {
        if (p)
            a->live--;
        free(p);
        return NULL;
    }
    a->count++;
    if (a->fail_at && a->count == a->fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        a->live++;
    return q;
}

void test_diag_fn(void *ud, const casus_diag *d)
{
    test_diags *t = ud;
    if (t->n >= 64)
        return;
    t->sev[t->n] = d->severity;
    t->line[t->n] = d->line;
    snprintf(t->msg[t->n], sizeof t->msg[0], "%s", d->message);
    snprintf(t->file[t->n], sizeof t->file[0], "%s", d->file);
    t->n++;
}

int test_diags_find(const test_diags *d, const char *s)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->msg[i], s))
            return (int)i;
    return -1;
}

const char *test_tmpfile(const char *suffix, const char *data, size_t n)
{
    static char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/casus-test-XXXXXX%s", dir ? dir : "/tmp",
             suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return NULL;
    size_t off = 0;
    while (off < n) {
        ssize_t k = write(fd, data + off, n - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    close(fd);
    return path;
}

const char *test_shared(const char *rel)
{
    static char path[512];
    const char *root = getenv("SHARED");
    snprintf(path, sizeof path, "%s/data/%s", root ? root : "../shared", rel);
    return access(path, R_OK) == 0 ? path : NULL;
}
