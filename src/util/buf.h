/*
 * buf.h - a growable byte buffer, always NUL-terminated when non-empty.
 *
 * Buffers are reused across documents (buf_reset keeps the memory), which is
 * what keeps memory flat over a long stream.
 */
#ifndef CASUS_BUF_H
#define CASUS_BUF_H

#include "casus.h"

typedef struct buf {
    char *p;       /* NULL until the first append */
    size_t n;      /* bytes used, not counting the NUL */
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

/* Ensures room for n more bytes plus a NUL. */
casus_status buf_reserve(casus_ctx *ctx, buf *b, size_t more);
casus_status buf_append(casus_ctx *ctx, buf *b, const void *p, size_t n);
casus_status buf_putc(casus_ctx *ctx, buf *b, char c);
casus_status buf_puts(casus_ctx *ctx, buf *b, const char *s);
casus_status buf_printf(casus_ctx *ctx, buf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends s as the body of a JSON string (quotes not included). s may hold
 * any bytes: control characters are escaped and invalid UTF-8 becomes
 * \ufffd, so the result is always valid JSON. */
casus_status buf_json_escape(casus_ctx *ctx, buf *b, const char *s, size_t n);
/* Empties the buffer, keeping its memory. */
void buf_reset(buf *b);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(const buf *b);
void buf_free(casus_ctx *ctx, buf *b);

#endif
