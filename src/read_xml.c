/*
 * read_xml.c - PETRARCH validation XML input, streamed with libxml2's
 * xmlTextReader: each <Sentence date="YYYYMMDD" id="..."> is one document.
 *
 * Pipeline position: a reader (see read.c), first stage. Per Sentence:
 *   id    the id attribute; "<file>:<line>" when missing or empty
 *   date  the date attribute (compact or ISO, casus_date_parse); a bad one
 *         is a WARNING and the reader's default date is used
 *   line  the line of the <Sentence> start tag
 *   text  the content of <Text> with leading and trailing whitespace
 *         trimmed (inner line breaks kept); several <Text> elements are
 *         joined with "\n\n". <Parse>, <EventCoding> and everything else
 *         are ignored. A Sentence without <Text> is skipped with an ERROR,
 *         one whose <Text> is blank with a WARNING (PETRARCH files have
 *         such placeholders).
 *
 * The file is never held whole: libxml2 pulls it through xml_io_read() a
 * line at a time and frees each node once passed, so memory stays flat.
 * libxml2 never prints: its errors come to xml_error() (set per reader, no
 * global handler), non-fatal ones become WARNING diagnostics and the first
 * fatal one ends the input with one ERROR diagnostic naming file and line;
 * the documents read before it have been returned already, and next()
 * returns CASUS_DONE (bad data is not a failure of the run).
 *
 * Safety: no network (XML_PARSE_NONET), no DTD loading, no entity
 * substitution (no XML_PARSE_NOENT), so external entities are neither
 * fetched nor expanded; entity references are dropped from the text.
 * libxml2 allocates with its own allocator (setting it is process-global),
 * so only casus's own allocations go through the context's hook.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "ctx.h"
#include "read_int.h"
#include "util/mem.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
                     XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | \
                     XML_PARSE_NOCDATA)
/* Non-fatal libxml2 messages reported per file before going quiet. */
#define MAX_XML_WARNINGS 10

#define XML_CHUNK ((size_t)64 << 10)

typedef struct xml_state {
    casus_reader *r;
    xmlTextReaderPtr xr;
    char *in;                 /* input chunk, handed to libxml2 by lines */
    size_t in_pos, in_len;
    size_t bytes;             /* read from the input so far */
    int io_errno;             /* a failed read(), 0 if none */
    int done;
    char fatal[256];          /* first fatal libxml2 error */
    unsigned long fatal_line;
    int have_fatal;
    size_t n_warnings;
    int at_eof;               /* the whole file has been handed to libxml2 */
} xml_state;

/*
 * libxml2 pulls its input through here. We hand it at most one line per
 * call: the reader parses what it is given before asking for more, so a
 * fatal error later in the file cannot swallow the complete sentences
 * before it (xmlTextReader drops the rest of a chunk that fails).
 */
static int xml_io_read(void *ud, char *buffer, int len)
{
    casus_reader *r = ud;
    xml_state *xs = r->state;
    if (len <= 0)
        return 0;
    if (xs->in_pos == xs->in_len) {
        ssize_t k;
        do
            k = read(r->fd, xs->in, XML_CHUNK);
        while (k < 0 && errno == EINTR);
        if (k < 0) {
            xs->io_errno = errno;
            return -1;
        }
        xs->in_pos = 0;
        xs->in_len = (size_t)k;
        xs->bytes += (size_t)k;
        if (k == 0) {
            xs->at_eof = 1;
            return 0;
        }
    }
    size_t avail = xs->in_len - xs->in_pos, n = avail;
    const char *nl = memchr(xs->in + xs->in_pos, '\n', avail);
    if (nl)
        n = (size_t)(nl - (xs->in + xs->in_pos)) + 1;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buffer, xs->in + xs->in_pos, n);
    xs->in_pos += n;
    return (int)n;
}

static int xml_io_close(void *ud)
{
    (void)ud; /* read.c closes the file */
    return 0;
}

/* Copies a libxml2 message on one line, without its trailing newline. */
static void copy_message(char *dst, size_t cap, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = msg[i] == '\n' || msg[i] == '\r' ? ' ' : msg[i];
    dst[n] = '\0';
}

static void xml_error(void *ud, xmlErrorPtr e)
{
    xml_state *xs = ud;
    if (!e)
        return;
    if (e->level == XML_ERR_FATAL) {
        if (!xs->have_fatal) {
            copy_message(xs->fatal, sizeof xs->fatal, e->message);
            xs->fatal_line = e->line > 0 ? (unsigned long)e->line : 0;
            xs->have_fatal = 1;
        }
        return;
    }
    if (xs->n_warnings++ < MAX_XML_WARNINGS) {
        char msg[256];
        copy_message(msg, sizeof msg, e->message);
        ctx_diag(xs->r->ctx, CASUS_WARNING, xs->r->name,
                 e->line > 0 ? (unsigned long)e->line : 0, NULL, -1,
                 "XML: %s", msg);
    }
}

static casus_status xml_open(casus_reader *r)
{
    xml_state *xs = mem_alloc(r->ctx, sizeof *xs);
    if (!xs)
        return CASUS_ENOMEM;
    memset(xs, 0, sizeof *xs);
    xs->r = r;
    r->state = xs;
    xs->in = mem_alloc(r->ctx, XML_CHUNK);
    if (!xs->in)
        return CASUS_ENOMEM;
    xs->xr = xmlReaderForIO(xml_io_read, xml_io_close, r, NULL, NULL,
                            XML_OPTIONS);
    if (!xs->xr) {
        if (xs->io_errno)
            return ctx_fail(r->ctx, CASUS_EIO, "%s: read error: %s", r->name,
                            strerror(xs->io_errno));
        if (xs->bytes == 0) {
            xs->done = 1; /* empty: next() reports it */
            return CASUS_OK;
        }
        return ctx_fail(r->ctx, CASUS_ENOMEM,
                        "%s: cannot create an XML parser", r->name);
    }
    xmlTextReaderSetStructuredErrorHandler(xs->xr, xml_error, xs);
    return CASUS_OK;
}

static int name_is(xmlTextReaderPtr xr, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(xr);
    return n && strcmp((const char *)n, name) == 0;
}

/* The value of an attribute of the current element, or NULL (borrowed
 * until the next read). */
static const char *attribute(xmlTextReaderPtr xr, const char *name)
{
    const char *v = NULL;
    if (xmlTextReaderMoveToAttribute(xr, (const xmlChar *)name) == 1)
        v = (const char *)xmlTextReaderConstValue(xr);
    xmlTextReaderMoveToElement(xr);
    return v;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void trim(buf *b)
{
    size_t i = 0, n = b->n;
    while (i < n && is_space(b->p[i]))
        i++;
    while (n > i && is_space(b->p[n - 1]))
        n--;
    if (i)
        memmove(b->p, b->p + i, n - i);
    b->n = n - i;
    if (b->p)
        b->p[b->n] = '\0';
}

/* Starts a document at the current <Sentence> element. */
static casus_status begin_sentence(casus_reader *r, casus_doc *doc,
                                   unsigned long line)
{
    xml_state *xs = r->state;
    casus_ctx *ctx = r->ctx;
    buf_reset(&doc->id);
    buf_reset(&doc->raw);
    if (read_doc_begin(r, doc, line) != CASUS_OK)
        return CASUS_ENOMEM;
    const char *id = attribute(xs->xr, "id");
    casus_status st = id && *id ? buf_puts(ctx, &doc->id, id)
                                : buf_printf(ctx, &doc->id, "%s:%lu", r->name,
                                             line);
    if (st != CASUS_OK)
        return CASUS_ENOMEM;
    const char *date = attribute(xs->xr, "date");
    if (date) {
        casus_date d;
        if (casus_date_parse(date, strlen(date), &d) == CASUS_OK)
            doc->date = d;
        else
            ctx_diag(ctx, CASUS_WARNING, r->name, line, buf_cstr(&doc->id), -1,
                     "date=\"%.40s\" is not a valid date; the default date "
                     "is used", date);
    }
    return CASUS_OK;
}

static casus_status xml_next(casus_reader *r, casus_doc *doc)
{
    casus_ctx *ctx = r->ctx;
    xml_state *xs = r->state;
    if (xs->done) {
        if (!xs->xr && xs->bytes == 0 && xs->done == 1) {
            xs->done = 2;
            ctx_diag(ctx, CASUS_WARNING, r->name, 0, NULL, -1,
                     "empty input: no text to read");
        }
        return CASUS_DONE;
    }
    int in_sentence = 0, in_text = 0, n_text = 0, too_big = 0;
    for (;;) {
        int ret = xmlTextReaderRead(xs->xr);
        if (ret != 1) {
            xs->done = 2;
            if (xs->io_errno)
                return ctx_fail(ctx, CASUS_EIO, "%s: read error: %s", r->name,
                                strerror(xs->io_errno));
            if (xs->bytes == 0)
                ctx_diag(ctx, CASUS_WARNING, r->name, 0, NULL, -1,
                         "empty input: no text to read");
            else if (ret < 0 && xs->at_eof)
                /* libxml2 words a cut-off file in several ways ("Extra
                 * content", "Premature end of data"); say what it is. */
                ctx_diag(ctx, CASUS_ERROR, r->name, xs->fatal_line, NULL, -1,
                         "XML error: the file ends before the document is "
                         "complete (truncated?) (libxml2: %s); reading of this "
                         "file stopped",
                         xs->have_fatal ? xs->fatal : "malformed XML");
            else if (ret < 0)
                ctx_diag(ctx, CASUS_ERROR, r->name, xs->fatal_line, NULL, -1,
                         "XML error: %s; reading of this file stopped",
                         xs->have_fatal ? xs->fatal : "malformed XML");
            return CASUS_DONE;
        }
        int type = xmlTextReaderNodeType(xs->xr);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(xs->xr) == 1;
            if (name_is(xs->xr, "Sentence")) {
                xmlNodePtr node = xmlTextReaderCurrentNode(xs->xr);
                long line = node ? xmlGetLineNo(node) : -1;
                if (line <= 0)
                    line = xmlTextReaderGetParserLineNumber(xs->xr);
                if (begin_sentence(r, doc, (unsigned long)line) != CASUS_OK)
                    return CASUS_ENOMEM;
                in_sentence = 1;
                in_text = n_text = too_big = 0;
                if (!empty)
                    continue;
                type = XML_READER_TYPE_END_ELEMENT; /* <Sentence/> */
            } else if (in_sentence && name_is(xs->xr, "Text")) {
                if (n_text++ && doc->raw.n &&
                    buf_append(ctx, &doc->raw, "\n\n", 2) != CASUS_OK)
                    return CASUS_ENOMEM;
                in_text = !empty;
                continue;
            } else {
                continue;
            }
        }
        switch (type) {
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            if (in_text && !too_big) {
                const char *v = (const char *)xmlTextReaderConstValue(xs->xr);
                size_t n = v ? strlen(v) : 0;
                if (doc->raw.n + n > ctx->max_doc_bytes) {
                    too_big = 1;
                    buf_reset(&doc->raw);
                } else if (buf_append(ctx, &doc->raw, v, n) != CASUS_OK) {
                    return CASUS_ENOMEM;
                }
            }
            break;
        case XML_READER_TYPE_END_ELEMENT:
            if (in_text && name_is(xs->xr, "Text")) {
                in_text = 0;
            } else if (in_sentence && (name_is(xs->xr, "Sentence"))) {
                in_sentence = in_text = 0;
                const char *id = buf_cstr(&doc->id);
                trim(&doc->raw);
                if (too_big) {
                    ctx_diag(ctx, CASUS_ERROR, r->name, doc->line, id, -1,
                             "text is larger than the limit of %zu bytes; "
                             "skipped", ctx->max_doc_bytes);
                } else if (doc->raw.n == 0) {
                    ctx_diag(ctx, n_text ? CASUS_WARNING : CASUS_ERROR,
                             r->name, doc->line, id, -1,
                             n_text ? "empty <Text>; sentence skipped"
                                    : "no <Text> element; sentence skipped");
                } else {
                    return CASUS_OK;
                }
            }
            break;
        default:
            break; /* comments, entity references, PIs: not text */
        }
    }
}

static void xml_close(casus_reader *r)
{
    xml_state *xs = r->state;
    if (!xs)
        return;
    if (xs->xr)
        xmlFreeTextReader(xs->xr);
    mem_free(r->ctx, xs->in);
    mem_free(r->ctx, xs);
    r->state = NULL;
}

const read_ops read_xml_ops = {xml_open, xml_next, xml_close};
