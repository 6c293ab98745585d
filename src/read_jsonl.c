/*
 * read_jsonl.c - JSON Lines input: one JSON object per line, one document
 * per object. Pipeline position: a reader (see read.c), first stage.
 *
 * Record fields (docs/FORMATS.md):
 *   "text"   string, required; the document text (doc->raw)
 *   "id"     string or number; default "<file>:<line>"
 *   "date"   string, ISO 8601 ("2024-03-01", "2024-03-01T10:00:00Z") or
 *            compact "20240301"; default: the reader's default date
 *   "url", "title"  strings
 * Other fields are validated as JSON and ignored. null counts as absent for
 * the optional fields.
 *
 * Each line comes from read_line() (in place, no copy when it lies inside the
 * input buffer) and is parsed by util/json.c straight into the document's
 * buffers, so a record costs no allocation once the buffers have grown.
 * A record is all or nothing: it is parsed to its end before any diagnostic
 * about its fields is given, and a syntax error anywhere skips it with one
 * ERROR diagnostic. Field problems that leave a usable document (wrong type
 * of an optional field, bad date, lone surrogate escapes, duplicate fields)
 * are WARNINGs and the document is returned. Every diagnostic carries the
 * file name and the line of the record; the next call goes on with the next
 * line, whatever happened to this one.
 */
#include <string.h>

#include "ctx.h"
#include "read_int.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/utf8.h"

enum field { F_OTHER = -1, F_TEXT, F_ID, F_DATE, F_URL, F_TITLE, F_COUNT };

static const char *const field_names[F_COUNT] = {"text", "id", "date", "url",
                                                 "title"};

typedef struct jsonl_state {
    buf scratch;            /* the date string of the current record */
    buf clean;              /* a metadata field being repaired */
    size_t nonblank;        /* non-blank lines seen */
    int done;
} jsonl_state;

/* Per-record findings, reported only once the record parsed. */
typedef struct record_info {
    unsigned seen, dup;              /* bit per field */
    json_type bad_type[F_COUNT];     /* JSON_INVALID when the type was fine */
    int have_text, have_date;
} record_info;

static enum field field_of(casus_slice k)
{
    switch (k.n) {
    case 2: if (memcmp(k.p, "id", 2) == 0) return F_ID; break;
    case 3: if (memcmp(k.p, "url", 3) == 0) return F_URL; break;
    case 4:
        if (memcmp(k.p, "text", 4) == 0) return F_TEXT;
        if (memcmp(k.p, "date", 4) == 0) return F_DATE;
        break;
    case 5: if (memcmp(k.p, "title", 5) == 0) return F_TITLE; break;
    default: break;
    }
    return F_OTHER;
}

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* A printable excerpt of s[0..n) for a message (at most 40 bytes). */
static void excerpt(const char *s, size_t n, char out[48])
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (n > 40) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Whether s looks like an ISO 8601 or compact date, so that a parse failure
 * means an impossible date rather than a wrong format. */
static int date_shaped(const char *s, size_t n)
{
    static const char iso[] = "dddd-dd-dd", compact[] = "dddddddd";
    const char *pat = n >= 10 && s[4] == '-' ? iso : compact;
    size_t k = strlen(pat);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    }
    return n == k || s[k] == 'T' || s[k] == 't' || s[k] == ' ';
}

/*
 * Metadata (id, url, title) is used as C strings and written into JSON
 * output, but unlike the text it does not pass through norm.c: a NUL or
 * invalid UTF-8 there is replaced by U+FFFD here. Returns CASUS_OK and sets
 * *changed when something was replaced.
 */
static casus_status clean_field(casus_ctx *ctx, buf *b, buf *tmp,
                                int *changed)
{
    *changed = 0;
    if (b->n == 0 || (!memchr(b->p, '\0', b->n) && utf8_valid(b->p, b->n)))
        return CASUS_OK;
    buf_reset(tmp);
    for (size_t i = 0; i < b->n;) {
        int32_t cp;
        size_t len = utf8_decode((const unsigned char *)b->p + i, b->n - i,
                                 &cp);
        casus_status st = cp > 0 ? buf_append(ctx, tmp, b->p + i, len)
                                 : buf_append(ctx, tmp, "\xEF\xBF\xBD", 3);
        if (st != CASUS_OK)
            return st;
        i += len ? len : 1;
    }
    buf_reset(b);
    *changed = 1;
    return buf_append(ctx, b, tmp->p, tmp->n);
}

/* Parses one record into doc. CASUS_OK: a document; CASUS_EFORMAT: skipped
 * (diagnostic given); CASUS_ENOMEM. */
static casus_status parse_record(casus_reader *r, casus_doc *doc,
                                 const char *p, size_t n, size_t col0,
                                 int unterminated)
{
    casus_ctx *ctx = r->ctx;
    jsonl_state *js = r->state;
    unsigned long line = r->line;
    record_info ri;
    memset(&ri, 0, sizeof ri);
    json_parser jp;
    json_init(&jp, p, n);
    casus_status st = json_object_open(&jp);
    while (st == CASUS_OK) {
        casus_slice key;
        json_type type;
        st = json_object_next(&jp, &key, &type);
        if (st != CASUS_OK)
            break;
        enum field f = field_of(key);
        if (f == F_OTHER) {
            st = json_skip(&jp);
            continue;
        }
        if (ri.seen & (1u << f))
            ri.dup |= 1u << f;
        ri.seen |= 1u << f;
        ri.bad_type[f] = JSON_INVALID;
        buf *dst = f == F_TEXT ? &doc->raw
                 : f == F_ID   ? &doc->id
                 : f == F_URL  ? &doc->url
                 : f == F_TITLE ? &doc->title
                                : &js->scratch;
        buf_reset(dst);
        if (f == F_TEXT)
            ri.have_text = 0;
        if (f == F_DATE)
            ri.have_date = 0;
        if (type == JSON_STRING) {
            st = json_string_decode(&jp, ctx, dst);
            if (f == F_TEXT)
                ri.have_text = 1;
            if (f == F_DATE)
                ri.have_date = 1;
        } else if (type == JSON_NUMBER && f == F_ID) {
            casus_slice num;
            st = json_number(&jp, &num);
            if (st == CASUS_OK)
                st = buf_append(ctx, dst, num.p, num.n);
        } else {
            if (type != JSON_NULL || f == F_TEXT)
                ri.bad_type[f] = type;
            st = json_skip(&jp);
        }
    }
    if (st == CASUS_DONE)
        st = json_end(&jp);
    if (st == CASUS_ENOMEM)
        return st;
    if (st != CASUS_OK) {
        ctx_diag(ctx, CASUS_ERROR, r->name, line, NULL, -1,
                 "malformed JSON at column %zu: %s%s; record skipped",
                 jp.err_pos + col0 + 1, jp.err,
                 unterminated ? " (last line, no final newline)" : "");
        return CASUS_EFORMAT;
    }

    static const enum field meta[] = {F_ID, F_URL, F_TITLE};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        buf *b = meta[i] == F_ID ? &doc->id
               : meta[i] == F_URL ? &doc->url : &doc->title;
        int changed;
        if (clean_field(ctx, b, &js->clean, &changed) != CASUS_OK)
            return CASUS_ENOMEM;
        if (changed)
            ctx_diag(ctx, CASUS_WARNING, r->name, line, NULL, -1,
                     "field \"%s\" holds NUL or invalid UTF-8, replaced by "
                     "U+FFFD", field_names[meta[i]]);
    }
    if (doc->id.n == 0) {
        buf_reset(&doc->id);
        if (buf_printf(ctx, &doc->id, "%s:%lu", r->name, line) != CASUS_OK)
            return CASUS_ENOMEM;
    }
    const char *id = buf_cstr(&doc->id);
    if (!ri.have_text) {
        if (ri.bad_type[F_TEXT] != JSON_INVALID)
            ctx_diag(ctx, CASUS_ERROR, r->name, line, id, -1,
                     "field \"text\" is %s, not a string; record skipped",
                     json_type_name(ri.bad_type[F_TEXT]));
        else
            ctx_diag(ctx, CASUS_ERROR, r->name, line, id, -1,
                     "record has no \"text\" field; skipped");
        return CASUS_EFORMAT;
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (ri.bad_type[f] != JSON_INVALID)
            ctx_diag(ctx, CASUS_WARNING, r->name, line, id, -1,
                     "field \"%s\" is %s, not a string%s; ignored",
                     field_names[f], json_type_name(ri.bad_type[f]),
                     f == F_ID ? " or number" : "");
        if (ri.dup & (1u << f))
            ctx_diag(ctx, CASUS_WARNING, r->name, line, id, -1,
                     "field \"%s\" appears more than once; the last one is "
                     "used", field_names[f]);
    }
    if (ri.have_date && js->scratch.n) {
        casus_date d;
        if (casus_date_parse(js->scratch.p, js->scratch.n, &d) == CASUS_OK) {
            doc->date = d;
        } else {
            char ex[48];
            excerpt(js->scratch.p, js->scratch.n, ex);
            ctx_diag(ctx, CASUS_WARNING, r->name, line, id, -1,
                     "field \"date\": \"%s\" is %s; the default date is used",
                     ex, date_shaped(js->scratch.p, js->scratch.n)
                             ? "an impossible date"
                             : "not an ISO 8601 date");
        }
    }
    if (jp.lone_surrogates)
        ctx_diag(ctx, CASUS_WARNING, r->name, line, id, -1,
                 "%zu lone surrogate escape%s replaced by U+FFFD",
                 jp.lone_surrogates, jp.lone_surrogates == 1 ? "" : "s");
    if (unterminated)
        ctx_diag(ctx, CASUS_NOTE, r->name, line, id, -1,
                 "no newline at the end of the input");
    return CASUS_OK;
}

static casus_status jsonl_open(casus_reader *r)
{
    jsonl_state *js = mem_alloc(r->ctx, sizeof *js);
    if (!js)
        return CASUS_ENOMEM;
    memset(js, 0, sizeof *js);
    r->state = js;
    return CASUS_OK;
}

static casus_status jsonl_next(casus_reader *r, casus_doc *doc)
{
    casus_ctx *ctx = r->ctx;
    jsonl_state *js = r->state;
    if (js->done)
        return CASUS_DONE;
    for (;;) {
        const char *p = NULL;
        size_t n = 0;
        casus_status st = read_line(r, &p, &n);
        if (st == CASUS_DONE) {
            js->done = 1;
            if (js->nonblank == 0)
                ctx_diag(ctx, CASUS_WARNING, r->name, 0, NULL, -1,
                         r->line ? "empty input: no records, only blank lines"
                                 : "empty input: no records");
            return CASUS_DONE;
        }
        if (st == CASUS_ETOOBIG) {
            js->nonblank++;
            ctx_diag(ctx, CASUS_ERROR, r->name, r->line, NULL, -1,
                     "record of at least %zu bytes exceeds the limit of %zu "
                     "bytes; skipped", n, ctx->max_doc_bytes);
            continue;
        }
        if (st != CASUS_OK)
            return st;
        size_t col0 = 0;
        if (r->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3; /* a byte order mark */
            n -= 3;
            col0 = 3;
        }
        if (is_blank(p, n))
            continue;
        js->nonblank++;
        buf_reset(&doc->id);
        buf_reset(&doc->url);
        buf_reset(&doc->title);
        buf_reset(&doc->raw);
        if (read_doc_begin(r, doc, r->line) != CASUS_OK)
            return CASUS_ENOMEM;
        st = parse_record(r, doc, p, n, col0, r->line_unterminated);
        if (st != CASUS_EFORMAT)
            return st;
    }
}

static void jsonl_close(casus_reader *r)
{
    jsonl_state *js = r->state;
    if (!js)
        return;
    buf_free(r->ctx, &js->scratch);
    buf_free(r->ctx, &js->clean);
    mem_free(r->ctx, js);
    r->state = NULL;
}

const read_ops read_jsonl_ops = {jsonl_open, jsonl_next, jsonl_close};
