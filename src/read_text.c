/*
 * read_text.c - plain text input: the whole file is one document whose id is
 * the file name (without its directories); "stdin" for standard input.
 */
#include <string.h>

#include "ctx.h"
#include "read_int.h"


static casus_status text_open(casus_reader *r)
{
    r->state = NULL;
    return CASUS_OK;
}

static casus_status text_next(casus_reader *r, casus_doc *doc)
{
    /* One document per input: the state pointer doubles as a done flag. */
    if (r->state)
        return CASUS_DONE;
    r->state = r;
    const char *base = strcmp(r->name, "<stdin>") == 0 ? "stdin" : r->name;
    const char *slash = strrchr(base, '/');
    if (slash && slash[1])
        base = slash + 1;
    if (buf_puts(r->ctx, &doc->id, base) != CASUS_OK)
        return CASUS_ENOMEM;
    casus_status st = read_all(r, &doc->raw);
    if (st == CASUS_ETOOBIG) {
        ctx_diag(r->ctx, CASUS_ERROR, r->name, 1, base, -1,
                 "document is larger than the limit of %zu bytes; skipped",
                 r->ctx->max_doc_bytes);
        return CASUS_DONE;
    }
    if (st != CASUS_OK)
        return st;
    if (doc->raw.n == 0) {
        ctx_diag(r->ctx, CASUS_WARNING, r->name, 0, base, -1,
                 "empty input: no text to read");
        return CASUS_DONE;
    }
    return CASUS_OK;
}

static void text_close(casus_reader *r)
{
    r->state = NULL;
}

const read_ops read_text_ops = {text_open, text_next, text_close};
