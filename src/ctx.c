/*
 * ctx.c - the context: allocator hook, last failure message, diagnostics.
 *
 * Everything that would otherwise be global lives in a casus_ctx, so each
 * thread can own one. The context carries no document state.
 */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#define DEFAULT_MAX_DOC_BYTES ((size_t)64 << 20)

static void *system_alloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (n == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, n);
}

casus_ctx *casus_ctx_new_with_alloc(casus_alloc_fn fn, void *ud)
{
    if (!fn)
        return NULL;
    /* libxml2 must be initialised once before threads use it; it is
     * idempotent, and a program creates its first context before it starts
     * threads (documented in casus.h). */
    xmlInitParser();
    casus_ctx *ctx = fn(ud, NULL, sizeof *ctx);
    if (!ctx)
        return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = fn;
    ctx->alloc_ud = ud;
    ctx->max_doc_bytes = DEFAULT_MAX_DOC_BYTES;
    return ctx;
}

casus_ctx *casus_ctx_new(void)
{
    return casus_ctx_new_with_alloc(system_alloc, NULL);
}

int ctx_alloc_is_system(const casus_ctx *ctx)
{
    return ctx->alloc == system_alloc;
}

void casus_ctx_free(casus_ctx *ctx)
{
    if (ctx)
        ctx->alloc(ctx->alloc_ud, ctx, 0);
}

const char *casus_ctx_message(const casus_ctx *ctx)
{
    return ctx->msg;
}

void casus_ctx_set_diag(casus_ctx *ctx, casus_diag_fn fn, void *ud)
{
    ctx->diag = fn;
    ctx->diag_ud = ud;
}

size_t casus_ctx_diag_count(const casus_ctx *ctx, casus_severity min)
{
    size_t n = 0;
    for (int s = (int)min; s <= (int)CASUS_ERROR; s++)
        if (s >= 0)
            n += ctx->diag_counts[s];
    return n;
}

void casus_ctx_set_max_doc_bytes(casus_ctx *ctx, size_t n)
{
    ctx->max_doc_bytes = n ? n : DEFAULT_MAX_DOC_BYTES;
}

casus_status ctx_fail(casus_ctx *ctx, casus_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return st;
}

void ctx_diag(casus_ctx *ctx, casus_severity sev, const char *file,
              unsigned long line, const char *doc_id, int64_t offset,
              const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if ((int)sev < 0 || sev > CASUS_ERROR)
        sev = CASUS_ERROR;
    ctx->diag_counts[sev]++;
    if (ctx->diag) {
        casus_diag d = {sev, file ? file : "", line,
                        doc_id && *doc_id ? doc_id : NULL, offset, msg};
        ctx->diag(ctx->diag_ud, &d);
    }
}
