/*
 * mem.h - every allocation of libcasus goes through the context's hook.
 *
 * The hook is one Lua-style function (see casus_alloc_fn). Funnelling all
 * allocation through it lets the tests fail the Nth allocation and count
 * leaks. On failure these helpers record CASUS_ENOMEM in the context message
 * and return NULL / CASUS_ENOMEM; sizes are checked for overflow.
 */
#ifndef CASUS_MEM_H
#define CASUS_MEM_H

#include "casus.h"

void *mem_alloc(casus_ctx *ctx, size_t n);
void *mem_realloc(casus_ctx *ctx, void *p, size_t n);
void mem_free(casus_ctx *ctx, void *p);
/* Copy of s[0..n) with a NUL after it. */
char *mem_strndup(casus_ctx *ctx, const char *s, size_t n);

/*
 * Makes *vec (an array of elem-sized items with capacity *cap) hold at least
 * need items, growing geometrically. CASUS_OK or CASUS_ENOMEM (vec unchanged).
 */
casus_status mem_grow(casus_ctx *ctx, void **vec, size_t *cap, size_t need,
                      size_t elem);

#endif
