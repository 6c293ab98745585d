/*
 * ctx.h - the context: allocator, last error message, diagnostics, limits.
 *
 * All mutable library state lives here or in per-document objects; there are
 * no mutable globals, so one context per thread is safe.
 */
#ifndef CASUS_CTX_H
#define CASUS_CTX_H

#include "casus.h"

struct casus_ctx {
    casus_alloc_fn alloc;
    void *alloc_ud;
    char msg[1024];             /* last failure, "file:line: cause" */
    casus_diag_fn diag;
    void *diag_ud;
    size_t diag_counts[3];      /* by severity */
    size_t max_doc_bytes;
};

/* Whether the context allocates with the system allocator (casus_ctx_new),
 * which any thread may call: the store then writes its batches on a thread
 * of its own (store.c, "Pipelined writes"). */
int ctx_alloc_is_system(const casus_ctx *ctx);

/* Records a failure message and returns st, so callers can write
 * `return ctx_fail(ctx, CASUS_EIO, "%s: %s", path, strerror(errno));` */
casus_status ctx_fail(casus_ctx *ctx, casus_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a diagnostic about the input (never fails; truncates long text). */
void ctx_diag(casus_ctx *ctx, casus_severity sev, const char *file,
              unsigned long line, const char *doc_id, int64_t offset,
              const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
