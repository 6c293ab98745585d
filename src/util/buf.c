/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "util/mem.h"
#include "util/utf8.h"

casus_status buf_reserve(casus_ctx *ctx, buf *b, size_t more)
{
    if (more > SIZE_MAX - b->n - 1)
        return ctx_fail(ctx, CASUS_ENOMEM, "buffer too large");
    size_t need = b->n + more + 1;
    if (need <= b->cap)
        return CASUS_OK;
    size_t cap = b->cap;
    if (mem_grow(ctx, (void **)&b->p, &cap, need, 1) != CASUS_OK)
        return CASUS_ENOMEM;
    b->cap = cap;
    return CASUS_OK;
}

casus_status buf_append(casus_ctx *ctx, buf *b, const void *p, size_t n)
{
    if (buf_reserve(ctx, b, n) != CASUS_OK)
        return CASUS_ENOMEM;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
    return CASUS_OK;
}

casus_status buf_putc(casus_ctx *ctx, buf *b, char c)
{
    if (b->n + 1 < b->cap) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
        return CASUS_OK;
    }
    return buf_append(ctx, b, &c, 1);
}

casus_status buf_puts(casus_ctx *ctx, buf *b, const char *s)
{
    return buf_append(ctx, b, s, strlen(s));
}

casus_status buf_printf(casus_ctx *ctx, buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0)
        return ctx_fail(ctx, CASUS_EINVAL, "bad format string");
    if ((size_t)len < sizeof small)
        return buf_append(ctx, b, small, (size_t)len);
    if (buf_reserve(ctx, b, (size_t)len) != CASUS_OK)
        return CASUS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
    return CASUS_OK;
}

casus_status buf_json_escape(casus_ctx *ctx, buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* Worst case every byte becomes \u00XX. */
    if (n > (SIZE_MAX - 1) / 6 || buf_reserve(ctx, b, n * 6) != CASUS_OK)
        return ctx_fail(ctx, CASUS_ENOMEM, "buffer too large");
    char *o = b->p + b->n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            /* Copy valid sequences; replace invalid ones so that the
             * output is always valid UTF-8. */
            int32_t cp;
            size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (cp < 0) {
                memcpy(o, "\\ufffd", 6);
                o += 6;
            } else {
                memcpy(o, s + i, len);
                o += len;
            }
            i += len - 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    b->n = (size_t)(o - b->p);
    b->p[b->n] = '\0';
    return CASUS_OK;
}

void buf_reset(buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

const char *buf_cstr(const buf *b)
{
    return b->p ? b->p : "";
}

void buf_free(casus_ctx *ctx, buf *b)
{
    mem_free(ctx, b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
