/*
 * doc.c - the document object and casus_doc_analyze(), which runs the text
 * stages in order: norm.c -> token.c -> sentence.c.
 *
 * Tokens and sentences come back from their stages with offsets into the
 * normalised text; this file maps them to offsets into the raw text (the
 * document as read), which is what every casus output reports.
 */
#include "doc.h"
#include "match.h"

#include <string.h>

#include "ctx.h"
#include "util/mem.h"

casus_doc *casus_doc_new(casus_ctx *ctx)
{
    casus_doc *doc = mem_alloc(ctx, sizeof *doc);
    if (!doc)
        return NULL;
    memset(doc, 0, sizeof *doc);
    doc->ctx = ctx;
    return doc;
}

void casus_doc_free(casus_doc *doc)
{
    if (!doc)
        return;
    casus_ctx *ctx = doc->ctx;
    buf_free(ctx, &doc->id);
    buf_free(ctx, &doc->url);
    buf_free(ctx, &doc->title);
    buf_free(ctx, &doc->file);
    buf_free(ctx, &doc->raw);
    norm_free(ctx, &doc->norm);
    mem_free(ctx, doc->tok.v);
    mem_free(ctx, doc->sent.v);
    mem_free(ctx, doc->gold_tok);
    mem_free(ctx, doc->gold_sent);
    buf_free(ctx, &doc->gold_strings);
    buf_free(ctx, &doc->lemma_buf);
    match_doc_free(doc);
    mem_free(ctx, doc);
}

void doc_reset(casus_doc *doc)
{
    buf_reset(&doc->id);
    buf_reset(&doc->url);
    buf_reset(&doc->title);
    buf_reset(&doc->file);
    buf_reset(&doc->raw);
    doc->line = 0;
    memset(&doc->date, 0, sizeof doc->date);
    doc->norm.text = NULL;
    doc->norm.n = 0;
    doc->norm.n_anchors = 0;
    doc->tok.n = 0;
    doc->sent.n = 0;
    doc->n_gold_tok = 0;
    doc->n_gold_sent = 0;
    buf_reset(&doc->gold_strings);
    buf_reset(&doc->lemma_buf);
    doc->gold_words = 0;
    doc_tokens_changed(doc);
}

casus_status doc_add_gold_token(casus_doc *doc, const gold_token *t)
{
    if (mem_grow(doc->ctx, (void **)&doc->gold_tok, &doc->cap_gold_tok,
                 doc->n_gold_tok + 1, sizeof *doc->gold_tok) != CASUS_OK)
        return CASUS_ENOMEM;
    doc->gold_tok[doc->n_gold_tok++] = *t;
    return CASUS_OK;
}

casus_status doc_add_gold_sentence(casus_doc *doc, size_t first, size_t n,
                                   size_t start, size_t end)
{
    if (mem_grow(doc->ctx, (void **)&doc->gold_sent, &doc->cap_gold_sent,
                 doc->n_gold_sent + 1, sizeof *doc->gold_sent) != CASUS_OK)
        return CASUS_ENOMEM;
    gold_sentence *s = &doc->gold_sent[doc->n_gold_sent++];
    s->first_token = first;
    s->n_tokens = n;
    s->start = start;
    s->end = end;
    return CASUS_OK;
}

const char *casus_doc_id(const casus_doc *doc) { return buf_cstr(&doc->id); }
const char *casus_doc_url(const casus_doc *doc) { return buf_cstr(&doc->url); }
const char *casus_doc_title(const casus_doc *doc) { return buf_cstr(&doc->title); }
casus_date casus_doc_date(const casus_doc *doc) { return doc->date; }
const char *casus_doc_file(const casus_doc *doc) { return buf_cstr(&doc->file); }
unsigned long casus_doc_line(const casus_doc *doc) { return doc->line; }

casus_slice casus_doc_raw(const casus_doc *doc)
{
    casus_slice s = {buf_cstr(&doc->raw), doc->raw.n};
    return s;
}

casus_slice casus_doc_text(const casus_doc *doc)
{
    casus_slice s = {doc->norm.text ? doc->norm.text : "", doc->norm.n};
    return s;
}

size_t casus_doc_raw_offset(const casus_doc *doc, size_t norm_offset)
{
    return norm_raw_offset(&doc->norm, norm_offset);
}

const casus_token *casus_doc_tokens(const casus_doc *doc, size_t *n)
{
    *n = doc->tok.n;
    return doc->tok.v;
}

const casus_sentence *casus_doc_sentences(const casus_doc *doc, size_t *n)
{
    *n = doc->sent.n;
    return doc->sent.v;
}

casus_status casus_doc_analyze(casus_doc *doc)
{
    casus_ctx *ctx = doc->ctx;
    casus_status st;
    doc_tokens_changed(doc);
    doc->tok.n = 0;
    doc->sent.n = 0;
    doc->gold_words = 0;
    buf_reset(&doc->lemma_buf);
    st = norm_run(ctx, buf_cstr(&doc->raw), doc->raw.n, buf_cstr(&doc->file),
                  doc->line, buf_cstr(&doc->id), &doc->norm);
    if (st != CASUS_OK)
        return st;
    const char *text = doc->norm.text;
    size_t n = doc->norm.n;
    st = token_run(ctx, text, n, &doc->tok);
    if (st != CASUS_OK)
        return st;
    st = sentence_run(ctx, text, n, doc->tok.v, doc->tok.n, &doc->sent);
    if (st != CASUS_OK)
        return st;
    if (doc->norm.n_anchors) {
        for (size_t i = 0; i < doc->tok.n; i++) {
            casus_token *t = &doc->tok.v[i];
            t->start = norm_raw_offset(&doc->norm, t->start);
            t->end = norm_raw_offset(&doc->norm, t->end);
        }
        for (size_t i = 0; i < doc->sent.n; i++) {
            casus_sentence *s = &doc->sent.v[i];
            s->start = norm_raw_offset(&doc->norm, s->start);
            s->end = norm_raw_offset(&doc->norm, s->end);
        }
    }
    return CASUS_OK;
}
