/*
 * read.c - opening inputs and the buffered byte source under every reader.
 *
 * Pipeline position: first. casus_reader_open() resolves "-" to stdin,
 * rejects missing files and directories with a clear message, chooses the
 * format (option or file extension) and hands over to that format's
 * read_ops (read_text.c, read_jsonl.c, read_html.c, read_xml.c,
 * read_conllu.c).
 *
 * The byte source reads 64 KiB at a time. read_line() returns lines in place
 * when they lie inside the buffer and copies only lines that straddle a
 * refill, so a JSON Lines stream of any length is read with one buffer and
 * one line. A line over the document limit is skipped as it streams by,
 * never stored: a 100 MB line costs no more memory than a short one.
 */
#include "read_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "util/mem.h"

#define READ_CHUNK ((size_t)64 << 10)

static const struct {
    const char *name;
    casus_format format;
} format_names[] = {
    {"text", CASUS_FORMAT_TEXT},
    {"jsonl", CASUS_FORMAT_JSONL},
    {"html", CASUS_FORMAT_HTML},
    {"petrarch-xml", CASUS_FORMAT_PETRARCH_XML},
    {"conllu", CASUS_FORMAT_CONLLU},
};

casus_status casus_format_parse(const char *name, casus_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i].name) == 0) {
            *out = format_names[i].format;
            return CASUS_OK;
        }
    return CASUS_EINVAL;
}

const char *casus_format_name(casus_format f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (format_names[i].format == f)
            return format_names[i].name;
    return "auto";
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    if (m > n)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suf[i])
            return 0;
    }
    return 1;
}

casus_format casus_format_for_path(const char *path)
{
    if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson"))
        return CASUS_FORMAT_JSONL;
    if (has_suffix(path, ".html") || has_suffix(path, ".htm"))
        return CASUS_FORMAT_HTML;
    if (has_suffix(path, ".xml"))
        return CASUS_FORMAT_PETRARCH_XML;
    if (has_suffix(path, ".conllu"))
        return CASUS_FORMAT_CONLLU;
    return CASUS_FORMAT_TEXT;
}

static const read_ops *ops_for(casus_format f)
{
    switch (f) {
    case CASUS_FORMAT_JSONL: return &read_jsonl_ops;
    case CASUS_FORMAT_HTML: return &read_html_ops;
    case CASUS_FORMAT_PETRARCH_XML: return &read_xml_ops;
    case CASUS_FORMAT_CONLLU: return &read_conllu_ops;
    case CASUS_FORMAT_TEXT:
    case CASUS_FORMAT_AUTO:
    default: return &read_text_ops;
    }
}

casus_status casus_reader_open(casus_ctx *ctx, const char *path,
                               casus_format format, casus_date default_date,
                               casus_reader **out)
{
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    int fd = 0;
    if (!is_stdin) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return ctx_fail(ctx, CASUS_EIO, "%s: cannot open: %s", path,
                            strerror(errno));
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(fd);
            return ctx_fail(ctx, CASUS_EIO,
                            "%s: is a directory, not an input file", path);
        }
    }
    casus_reader *r = mem_alloc(ctx, sizeof *r);
    if (!r) {
        if (!is_stdin)
            close(fd);
        return CASUS_ENOMEM;
    }
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->fd = fd;
    r->own_fd = !is_stdin;
    r->default_date = default_date;
    r->name = mem_strndup(ctx, is_stdin ? "<stdin>" : path,
                          strlen(is_stdin ? "<stdin>" : path));
    r->format = format != CASUS_FORMAT_AUTO ? format
                : is_stdin                  ? CASUS_FORMAT_TEXT
                                            : casus_format_for_path(path);
    r->ops = ops_for(r->format);
    if (!r->name) {
        casus_reader_close(r);
        return CASUS_ENOMEM;
    }
    casus_status st = r->ops->open ? r->ops->open(r) : CASUS_OK;
    if (st != CASUS_OK) {
        casus_reader_close(r);
        return st;
    }
    *out = r;
    return CASUS_OK;
}

casus_status casus_reader_next(casus_reader *r, casus_doc *doc)
{
    doc_reset(doc);
    if (read_doc_begin(r, doc, r->line + 1) != CASUS_OK)
        return CASUS_ENOMEM;
    return r->ops->next(r, doc);
}

void casus_reader_close(casus_reader *r)
{
    if (!r)
        return;
    casus_ctx *ctx = r->ctx;
    if (r->ops && r->ops->close)
        r->ops->close(r);
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    mem_free(ctx, r->ibuf);
    buf_free(ctx, &r->lbuf);
    mem_free(ctx, r->name);
    mem_free(ctx, r);
}

casus_status read_doc_begin(casus_reader *r, casus_doc *doc,
                            unsigned long line)
{
    buf_reset(&doc->file);
    if (buf_puts(r->ctx, &doc->file, r->name) != CASUS_OK)
        return CASUS_ENOMEM;
    doc->line = line;
    doc->date = r->default_date;
    return CASUS_OK;
}

/* Refills the input buffer after consuming everything before ipos; sets
 * r->eof at the end of input. CASUS_OK, CASUS_ENOMEM or CASUS_EIO. */
static casus_status refill(casus_reader *r)
{
    if (r->eof)
        return CASUS_OK;
    if (!r->ibuf) {
        r->ibuf = mem_alloc(r->ctx, READ_CHUNK);
        if (!r->ibuf)
            return CASUS_ENOMEM;
        r->icap = READ_CHUNK;
    }
    if (r->ipos > 0) {
        memmove(r->ibuf, r->ibuf + r->ipos, r->ilen - r->ipos);
        r->ilen -= r->ipos;
        r->ipos = 0;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->ibuf + r->ilen, r->icap - r->ilen);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return ctx_fail(r->ctx, CASUS_EIO, "%s: read error: %s", r->name,
                            strerror(errno));
        if (k == 0)
            r->eof = 1;
        r->ilen += (size_t)k;
        return CASUS_OK;
    }
}

casus_status read_line(casus_reader *r, const char **p, size_t *n)
{
    casus_ctx *ctx = r->ctx;
    size_t limit = ctx->max_doc_bytes;
    int spilled = 0, skipping = 0;
    size_t total = 0;
    buf_reset(&r->lbuf);
    for (;;) {
        const char *s = r->ibuf ? r->ibuf + r->ipos : NULL;
        size_t avail = r->ilen - r->ipos;
        const char *nl = avail ? memchr(s, '\n', avail) : NULL;
        size_t take = nl ? (size_t)(nl - s) : avail;
        if (nl || (r->eof && (spilled || skipping || avail))) {
            /* The line ends here (or at end of input). */
            total += take;
            r->ipos += take + (nl ? 1 : 0);
            r->line++;
            r->line_unterminated = !nl;
            if (skipping || total > limit) {
                *n = total;
                buf_reset(&r->lbuf);
                return CASUS_ETOOBIG;
            }
            if (!spilled) {
                *p = s;
                *n = take;
            } else {
                if (buf_append(ctx, &r->lbuf, s, take) != CASUS_OK)
                    return CASUS_ENOMEM;
                *p = r->lbuf.p;
                *n = r->lbuf.n;
            }
            if (*n && (*p)[*n - 1] == '\r')
                (*n)--;
            return CASUS_OK;
        }
        if (r->eof)
            return CASUS_DONE;
        /* No newline in the buffer: keep what we have and read more. */
        if (avail) {
            total += avail;
            if (skipping || total > limit) {
                skipping = 1;
                buf_reset(&r->lbuf);
            } else {
                if (buf_append(ctx, &r->lbuf, s, avail) != CASUS_OK)
                    return CASUS_ENOMEM;
                spilled = 1;
            }
            r->ipos = r->ilen;
        }
        casus_status st = refill(r);
        if (st != CASUS_OK)
            return st;
    }
}

casus_status read_all(casus_reader *r, buf *out)
{
    casus_ctx *ctx = r->ctx;
    size_t limit = ctx->max_doc_bytes;
    int skipping = 0;
    for (;;) {
        size_t avail = r->ilen - r->ipos;
        if (avail) {
            if (!skipping && out->n + avail > limit) {
                skipping = 1;
                buf_reset(out);
            }
            if (!skipping) {
                const char *q = r->ibuf + r->ipos, *e = q + avail;
                while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
                    r->line++;
                    q++;
                }
                if (buf_append(ctx, out, r->ibuf + r->ipos, avail) != CASUS_OK)
                    return CASUS_ENOMEM;
            }
            r->ipos = r->ilen;
        }
        if (r->eof)
            return skipping ? CASUS_ETOOBIG : CASUS_OK;
        casus_status st = refill(r);
        if (st != CASUS_OK)
            return st;
    }
}
