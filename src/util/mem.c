/*
 * mem.c - allocation through the context's hook (see mem.h).
 */
#include "util/mem.h"

#include <string.h>

#include "ctx.h"

void *mem_alloc(casus_ctx *ctx, size_t n)
{
    void *p = ctx->alloc(ctx->alloc_ud, NULL, n ? n : 1);
    if (!p)
        ctx_fail(ctx, CASUS_ENOMEM, "out of memory (%zu bytes)", n);
    return p;
}

void *mem_realloc(casus_ctx *ctx, void *p, size_t n)
{
    void *q = ctx->alloc(ctx->alloc_ud, p, n ? n : 1);
    if (!q)
        ctx_fail(ctx, CASUS_ENOMEM, "out of memory (%zu bytes)", n);
    return q;
}

void mem_free(casus_ctx *ctx, void *p)
{
    if (p)
        ctx->alloc(ctx->alloc_ud, p, 0);
}

char *mem_strndup(casus_ctx *ctx, const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        ctx_fail(ctx, CASUS_ENOMEM, "string too long");
        return NULL;
    }
    char *d = mem_alloc(ctx, n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

casus_status mem_grow(casus_ctx *ctx, void **vec, size_t *cap, size_t need,
                      size_t elem)
{
    if (need <= *cap)
        return CASUS_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return ctx_fail(ctx, CASUS_ENOMEM, "array too large");
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return ctx_fail(ctx, CASUS_ENOMEM, "array too large");
    void *p = mem_realloc(ctx, *vec, ncap * elem);
    if (!p)
        return CASUS_ENOMEM;
    *vec = p;
    *cap = ncap;
    return CASUS_OK;
}
