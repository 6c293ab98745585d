/*
 * norm.c - normalisation: valid UTF-8, NFC, and an offset map back to the
 * text as read. Pipeline position: after the reader, before the tokenizer.
 *
 * The text is scanned as runs of ASCII (always valid and NFC, and never
 * composing with what follows them) and runs of non-ASCII bytes. A non-ASCII
 * run made only of code points that are NFC-stable on their own (Latin-1 and
 * Latin Extended letters, general punctuation, currency signs) is left as it
 * is. Any other run, together with the ASCII character before it (which may
 * be the base of a combining mark), is decoded with invalid sequences
 * replaced by U+FFFD and normalised with utf8proc; only if that changes the
 * bytes does the output diverge from the input.
 *
 * The output is built lazily: until the first change, res->text points at
 * the raw text and nothing is copied. After a change, each replaced segment
 * leaves two anchors (start and end) so that norm_raw_offset() maps any
 * offset in the normalised text to the raw text: exactly outside replaced
 * segments, proportionally (clipped) inside them.
 */
#include "norm.h"

#include <string.h>
#include <utf8proc.h>

#include "ctx.h"
#include "util/mem.h"
#include "util/utf8.h"

/* Diagnostics per document before they are summarised. */
#define MAX_DIAGS 10

typedef struct norm_state {
    casus_ctx *ctx;
    const char *raw;
    size_t n;
    norm_result *res;
    size_t copied;       /* raw bytes before this are in res->out */
    int changed;
    const char *file;
    unsigned long line0;
    const char *doc_id;
    size_t line_pos;     /* raw offset up to which lines are counted */
    unsigned long line;
    size_t n_diags;
    int32_t *cps;        /* scratch for utf8proc */
    size_t cap_cps;
} norm_state;

static int stable_alone(int32_t cp)
{
    return (cp >= 0xA0 && cp <= 0x2FF) || (cp >= 0x2002 && cp <= 0x206F) ||
           (cp >= 0x20A0 && cp <= 0x20CF);
}

static unsigned long line_at(norm_state *s, size_t pos)
{
    while (s->line_pos < pos) {
        const char *nl = memchr(s->raw + s->line_pos, '\n', pos - s->line_pos);
        if (!nl) {
            s->line_pos = pos;
            break;
        }
        s->line++;
        s->line_pos = (size_t)(nl - s->raw) + 1;
    }
    return s->line;
}

static void bad_bytes(norm_state *s, size_t pos, size_t len, int is_nul)
{
    s->res->n_invalid++;
    if (++s->n_diags > MAX_DIAGS)
        return;
    unsigned long line = s->line0 ? line_at(s, pos) : 0;
    if (is_nul)
        ctx_diag(s->ctx, CASUS_WARNING, s->file, line, s->doc_id, (int64_t)pos,
                 "NUL byte at byte %zu replaced by U+FFFD", pos);
    else
        ctx_diag(s->ctx, CASUS_WARNING, s->file, line, s->doc_id, (int64_t)pos,
                 "invalid UTF-8 (%zu byte%s, first 0x%02X) at byte %zu "
                 "replaced by U+FFFD",
                 len, len == 1 ? "" : "s", (unsigned char)s->raw[pos], pos);
}

static casus_status add_anchor(norm_state *s, size_t norm_off, size_t raw_off)
{
    norm_result *r = s->res;
    if (mem_grow(s->ctx, (void **)&r->anchors, &r->cap_anchors,
                 r->n_anchors + 1, sizeof *r->anchors) != CASUS_OK)
        return CASUS_ENOMEM;
    r->anchors[r->n_anchors].norm_off = norm_off;
    r->anchors[r->n_anchors].raw_off = raw_off;
    r->n_anchors++;
    return CASUS_OK;
}

/* Replaces raw[a..b) by rep[0..k) in the output. */
static casus_status replace(norm_state *s, size_t a, size_t b,
                            const char *rep, size_t k)
{
    casus_ctx *ctx = s->ctx;
    buf *out = &s->res->out;
    if (!s->changed) {
        s->changed = 1;
        buf_reset(out);
    }
    if (buf_append(ctx, out, s->raw + s->copied, a - s->copied) != CASUS_OK ||
        add_anchor(s, out->n, a) != CASUS_OK ||
        buf_append(ctx, out, rep, k) != CASUS_OK ||
        add_anchor(s, out->n, b) != CASUS_OK)
        return CASUS_ENOMEM;
    s->copied = b;
    return CASUS_OK;
}

/* Repairs and NFC-normalises raw[a..b), replacing it if it changes. */
static casus_status normalise_segment(norm_state *s, size_t a, size_t b)
{
    casus_ctx *ctx = s->ctx;
    /* Pass 1: decode with repairs into UTF-32. */
    size_t need = b - a + 1;
    if (mem_grow(ctx, (void **)&s->cps, &s->cap_cps, need, sizeof *s->cps) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    size_t k = 0;
    int repaired = 0;
    for (size_t i = a; i < b;) {
        int32_t cp;
        size_t len = utf8_decode((const unsigned char *)s->raw + i, b - i, &cp);
        if (cp < 0 || cp == 0) {
            bad_bytes(s, i, len, cp == 0);
            cp = 0xFFFD;
            repaired = 1;
        }
        s->cps[k++] = cp;
        i += len;
    }
    /* Pass 2: re-encode, then decompose and compose with utf8proc. */
    char tmp[4];
    size_t bytes = 0;
    for (size_t i = 0; i < k; i++)
        bytes += utf8_encode(s->cps[i], tmp);
    buf u = BUF_INIT;
    casus_status st = CASUS_ENOMEM;
    if (buf_reserve(ctx, &u, bytes) != CASUS_OK)
        goto done;
    for (size_t i = 0; i < k; i++)
        u.n += utf8_encode(s->cps[i], u.p + u.n);
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)u.p,
                                            (utf8proc_ssize_t)u.n, NULL, 0, opt);
    if (m < 0) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "utf8proc: %s", utf8proc_errmsg(m));
        goto done;
    }
    /* reencode writes UTF-8 over the UTF-32 buffer: 4 bytes a code point
     * is always enough room. */
    if (mem_grow(ctx, (void **)&s->cps, &s->cap_cps, (size_t)m + 1,
                 sizeof *s->cps) != CASUS_OK)
        goto done;
    m = utf8proc_decompose((const utf8proc_uint8_t *)u.p, (utf8proc_ssize_t)u.n,
                           s->cps, m, opt);
    if (m >= 0)
        m = utf8proc_reencode(s->cps, m, opt);
    if (m < 0) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "utf8proc: %s", utf8proc_errmsg(m));
        goto done;
    }
    const char *nf = (const char *)s->cps;
    if (!repaired && (size_t)m == b - a && memcmp(nf, s->raw + a, b - a) == 0)
        st = CASUS_OK;
    else
        st = replace(s, a, b, nf, (size_t)m);
done:
    buf_free(ctx, &u);
    return st;
}

casus_status norm_run(casus_ctx *ctx, const char *raw, size_t n,
                      const char *file, unsigned long line0,
                      const char *doc_id, norm_result *res)
{
    norm_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.raw = raw;
    s.n = n;
    s.res = res;
    s.file = file;
    s.line0 = line0;
    s.line = line0;
    s.doc_id = doc_id;
    res->n_anchors = 0;
    res->n_invalid = 0;
    res->raw_n = n;
    casus_status st = CASUS_OK;
    size_t i = 0;
    while (i < n) {
        size_t asc = utf8_ascii_prefix(raw + i, n - i);
        const char *nul = asc ? memchr(raw + i, 0, asc) : NULL;
        if (nul) {
            size_t p = (size_t)(nul - raw);
            bad_bytes(&s, p, 1, 1);
            if ((st = replace(&s, p, p + 1, "\xEF\xBF\xBD", 3)) != CASUS_OK)
                goto done;
            i = p + 1;
            continue;
        }
        i += asc;
        if (i >= n)
            break;
        /* A non-ASCII run [a, b). */
        size_t a = i, b = i;
        int simple = 1;
        while (b < n && ((unsigned char)raw[b] & 0x80)) {
            int32_t cp;
            size_t len = utf8_decode((const unsigned char *)raw + b, n - b, &cp);
            if (cp < 0 || !stable_alone(cp))
                simple = 0;
            b += len;
        }
        if (!simple) {
            size_t a0 = a > s.copied && a > 0 && raw[a - 1] != 0 ? a - 1 : a;
            if ((st = normalise_segment(&s, a0, b)) != CASUS_OK)
                goto done;
        }
        i = b;
    }
    if (s.n_diags > MAX_DIAGS)
        ctx_diag(ctx, CASUS_WARNING, file, line0, doc_id, -1,
                 "%zu more invalid byte sequences in this document",
                 s.n_diags - MAX_DIAGS);
    if (s.changed) {
        if (buf_append(ctx, &res->out, raw + s.copied, n - s.copied) != CASUS_OK) {
            st = CASUS_ENOMEM;
            goto done;
        }
        res->text = res->out.p;
        res->n = res->out.n;
    } else {
        res->text = raw;
        res->n = n;
    }
done:
    mem_free(ctx, s.cps);
    if (st != CASUS_OK) {
        res->text = raw;
        res->n = n;
        res->n_anchors = 0;
    }
    return st;
}

size_t norm_raw_offset(const norm_result *res, size_t x)
{
    if (!res->n_anchors)
        return x;
    /* Last anchor with norm_off <= x. */
    size_t lo = 0, hi = res->n_anchors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (res->anchors[mid].norm_off <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return x;
    const norm_anchor *a = &res->anchors[lo - 1];
    size_t raw = a->raw_off + (x - a->norm_off);
    if (lo < res->n_anchors && raw > res->anchors[lo].raw_off)
        raw = res->anchors[lo].raw_off;
    if (raw > res->raw_n)
        raw = res->raw_n;
    return raw;
}

void norm_free(casus_ctx *ctx, norm_result *res)
{
    buf_free(ctx, &res->out);
    mem_free(ctx, res->anchors);
    memset(res, 0, sizeof *res);
}
