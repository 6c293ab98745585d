/*
 * write.c - output formatting: CoNLL-U and JSON Lines records.
 *
 * Pipeline position: last. The library never prints; each function formats
 * one document (or one diagnostic) into a scratch buffer and hands it to the
 * caller's sink in a single write, so a sink that fails leaves no partial
 * record behind in the formatting code.
 *
 * Offsets written are always byte offsets into the document as read
 * (casus_doc_raw); texts written are the normalised (valid UTF-8) ones.
 */
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "doc.h"
#include "util/buf.h"
#include "util/utf8.h"

static casus_status flush(casus_ctx *ctx, buf *b, casus_sink *out)
{
    casus_status st = CASUS_OK;
    if (b->n && out->write(out->ud, b->p, b->n) != 0)
        st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
    buf_free(ctx, b);
    return st;
}

static casus_status put_uint(casus_ctx *ctx, buf *b, size_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return buf_append(ctx, b, tmp + i, sizeof tmp - i);
}

/* CoNLL-U fields and comments may not hold tabs or line breaks. */
static casus_status put_field(casus_ctx *ctx, buf *b, const char *s, size_t n)
{
    if (buf_reserve(ctx, b, n) != CASUS_OK)
        return CASUS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        b->p[b->n++] = c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
    }
    b->p[b->n] = '\0';
    return CASUS_OK;
}

static casus_status put_json_str(casus_ctx *ctx, buf *b, const char *s,
                                 size_t n)
{
    if (buf_putc(ctx, b, '"') != CASUS_OK ||
        buf_json_escape(ctx, b, s, n) != CASUS_OK)
        return CASUS_ENOMEM;
    return buf_putc(ctx, b, '"');
}

/* The MISC column of a surface token or word spanning [start, end). */
static casus_status put_misc(casus_ctx *ctx, buf *b, size_t start, size_t end,
                             int space_after)
{
    casus_status st = CASUS_OK;
    if (!space_after)
        st = buf_puts(ctx, b, "SpaceAfter=No|");
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, "TokenRange=");
    if (st == CASUS_OK)
        st = put_uint(ctx, b, start);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ':');
    if (st == CASUS_OK)
        st = put_uint(ctx, b, end);
    return st;
}

/* Whether text follows the token ending at normalised offset `end` without
 * intervening space (the end of a sentence counts as space). */
static int space_after(const casus_doc *doc, const casus_sentence *s,
                       size_t i_last)
{
    size_t n;
    const casus_token *tok = casus_doc_tokens(doc, &n);
    if (i_last + 1 >= s->first_token + s->n_tokens)
        return 1;
    return tok[i_last + 1].start > tok[i_last].end;
}

/* Columns LEMMA to DEPS of a word: what the tagger, lemmatizer and parser
 * filled in, "_" for what they did not. */
static casus_status put_annotation(casus_ctx *ctx, buf *b, const casus_token *t)
{
    casus_status st = buf_putc(ctx, b, '\t');
    if (st == CASUS_OK)
        st = t->lemma.n ? put_field(ctx, b, t->lemma.p, t->lemma.n)
                        : buf_putc(ctx, b, '_');
    if (st == CASUS_OK)
        st = buf_printf(ctx, b, "\t%s\t%s\t_\t", casus_upos_name(t->upos),
                        casus_xpos_name(t->xpos));
    /* A parsed word always has a relation ("root" for the root). */
    int parsed = t->deprel != 0 && t->head >= 0;
    if (st == CASUS_OK)
        st = parsed ? put_uint(ctx, b, (size_t)t->head) : buf_putc(ctx, b, '_');
    if (st == CASUS_OK)
        st = buf_printf(ctx, b, "\t%s\t_\t",
                        parsed ? casus_deprel_name(t->deprel) : "_");
    return st;
}

static casus_status conllu_sentence(casus_ctx *ctx, buf *b,
                                    const casus_doc *doc, size_t si)
{
    size_t ntok;
    const casus_token *tok = casus_doc_tokens(doc, &ntok);
    const casus_sentence *s = &doc->sent.v[si];
    static const char empty_cols[] = "\t_\t_\t_\t_\t_\t_\t_\t";
    casus_status st = buf_puts(ctx, b, "# sent_id = ");
    if (st == CASUS_OK)
        st = put_field(ctx, b, doc->id.p ? doc->id.p : "", doc->id.n);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ':');
    if (st == CASUS_OK)
        st = put_uint(ctx, b, si);
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, "\n# text = ");
    if (st == CASUS_OK)
        st = put_field(ctx, b, s->text.p, s->text.n);
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '\n');
    size_t id = 1;
    for (size_t i = s->first_token; st == CASUS_OK && i < s->first_token + s->n_tokens;) {
        /* A surface token: words i..j joined by CASUS_TOK_JOIN_NEXT. */
        size_t j = i;
        while ((tok[j].flags & CASUS_TOK_JOIN_NEXT) &&
               j + 1 < s->first_token + s->n_tokens)
            j++;
        int sp = space_after(doc, s, j);
        if (j > i) {
            /* Gold words (casus_doc_use_gold_tokens) need not spell the
             * surface token; the text between their offsets does. */
            const char *a = doc->gold_words ? doc->raw.p + tok[i].start : tok[i].form.p;
            const char *z = doc->gold_words ? doc->raw.p + tok[j].end
                                            : tok[j].form.p + tok[j].form.n;
            st = put_uint(ctx, b, id);
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, '-');
            if (st == CASUS_OK)
                st = put_uint(ctx, b, id + (j - i));
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, '\t');
            if (st == CASUS_OK)
                st = put_field(ctx, b, a, (size_t)(z - a));
            if (st == CASUS_OK)
                st = buf_puts(ctx, b, empty_cols);
            if (st == CASUS_OK)
                st = put_misc(ctx, b, tok[i].start, tok[j].end, sp);
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, '\n');
        }
        for (size_t k = i; st == CASUS_OK && k <= j; k++, id++) {
            st = put_uint(ctx, b, id);
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, '\t');
            if (st == CASUS_OK)
                st = put_field(ctx, b, tok[k].form.p, tok[k].form.n);
            if (st == CASUS_OK)
                st = put_annotation(ctx, b, &tok[k]);
            /* SpaceAfter belongs on the range line of a multiword token. */
            if (st == CASUS_OK)
                st = put_misc(ctx, b, tok[k].start, tok[k].end, j > i || sp);
            if (st == CASUS_OK)
                st = buf_putc(ctx, b, '\n');
        }
        i = j + 1;
    }
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '\n');
    return st;
}

casus_status casus_write_conllu(const casus_doc *doc, casus_sink *out)
{
    casus_ctx *ctx = doc->ctx;
    buf b = BUF_INIT;
    casus_status st = buf_puts(ctx, &b, "# newdoc id = ");
    if (st == CASUS_OK)
        st = put_field(ctx, &b, doc->id.p ? doc->id.p : "", doc->id.n);
    if (st == CASUS_OK)
        st = buf_putc(ctx, &b, '\n');
    for (size_t i = 0; st == CASUS_OK && i < doc->sent.n; i++)
        st = conllu_sentence(ctx, &b, doc, i);
    if (st != CASUS_OK) {
        buf_free(ctx, &b);
        return st;
    }
    return flush(ctx, &b, out);
}

casus_status casus_write_sentences(const casus_doc *doc, casus_sink *out)
{
    casus_ctx *ctx = doc->ctx;
    buf b = BUF_INIT;
    casus_status st = CASUS_OK;
    for (size_t i = 0; st == CASUS_OK && i < doc->sent.n; i++) {
        const casus_sentence *s = &doc->sent.v[i];
        st = buf_puts(ctx, &b, "{\"type\":\"sentence\",\"doc_id\":");
        if (st == CASUS_OK)
            st = put_json_str(ctx, &b, buf_cstr(&doc->id), doc->id.n);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"sentence_index\":");
        if (st == CASUS_OK)
            st = put_uint(ctx, &b, i);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"char_start\":");
        if (st == CASUS_OK)
            st = put_uint(ctx, &b, s->start);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"char_end\":");
        if (st == CASUS_OK)
            st = put_uint(ctx, &b, s->end);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"text\":");
        if (st == CASUS_OK)
            st = put_json_str(ctx, &b, s->text.p, s->text.n);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "}\n");
    }
    if (st != CASUS_OK) {
        buf_free(ctx, &b);
        return st;
    }
    return flush(ctx, &b, out);
}

casus_status casus_write_diag(const casus_diag *d, casus_sink *out)
{
    static const char *const sev[] = {"note", "warning", "error"};
    char line[1400];
    /* Stack formatting: a diagnostic must be writable even when memory is
     * exhausted. Strings are escaped by hand into the fixed buffer. */
    size_t k = 0;
    const char *parts[4] = {d->file, d->doc_id, d->message, NULL};
    k += (size_t)snprintf(line, sizeof line,
                          "{\"type\":\"diagnostic\",\"severity\":\"%s\",\"line\":%lu,"
                          "\"offset\":%lld",
                          sev[d->severity <= CASUS_ERROR ? d->severity : 2],
                          d->line, (long long)d->offset);
    static const char *const keys[3] = {",\"file\":", ",\"doc_id\":",
                                        ",\"message\":"};
    for (int i = 0; i < 3; i++) {
        const char *s = parts[i];
        size_t kl = strlen(keys[i]);
        if (k + kl + 8 >= sizeof line)
            break;
        memcpy(line + k, keys[i], kl);
        k += kl;
        if (!s) {
            memcpy(line + k, "null", 4);
            k += 4;
            continue;
        }
        line[k++] = '"';
        for (; *s && k + 8 < sizeof line; s++) {
            unsigned char c = (unsigned char)*s;
            if (c == '"' || c == '\\') {
                line[k++] = '\\';
                line[k++] = (char)c;
            } else if (c < 0x20) {
                k += (size_t)snprintf(line + k, 7, "\\u%04x", c);
            } else if (c >= 0x80) {
                int32_t cp;
                size_t len = utf8_decode((const unsigned char *)s, strlen(s), &cp);
                if (cp < 0) {
                    memcpy(line + k, "\\ufffd", 6);
                    k += 6;
                } else {
                    memcpy(line + k, s, len);
                    k += len;
                }
                s += len - 1;
            } else {
                line[k++] = (char)c;
            }
        }
        line[k++] = '"';
    }
    line[k++] = '}';
    line[k++] = '\n';
    return out->write(out->ud, line, k) == 0 ? CASUS_OK : CASUS_EIO;
}
