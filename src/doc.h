/*
 * doc.h - the document object that flows through the pipeline.
 *
 * A reader fills the identity, metadata and raw text; casus_doc_analyze()
 * then derives the normalised text, the words and the sentences. Every array
 * is kept between documents and only reset, so reading a stream of any length
 * into one casus_doc keeps memory flat.
 *
 * Offsets: the tokenizer works on the normalised text and produces offsets
 * into it; doc.c maps them back to the raw text through the anchor list that
 * normalisation leaves (empty when the raw text was already valid NFC).
 */
#ifndef CASUS_DOC_H
#define CASUS_DOC_H

#include "casus.h"
#include "util/buf.h"
#include "norm.h"
#include "token.h"
#include "sentence.h"

/* A word of a gold-standard (CoNLL-U) tokenization, kept for evaluation and
 * for `parse --gold-tokens`. Offsets are into the raw text. */
typedef struct gold_token {
    size_t start, end;
    uint32_t flags;          /* CASUS_TOK_JOIN_NEXT as for casus_token */
} gold_token;

typedef struct gold_sentence {
    size_t first_token, n_tokens;
    size_t start, end;
} gold_sentence;

struct casus_doc {
    casus_ctx *ctx;
    buf id, url, title;
    buf file;                 /* input display name */
    unsigned long line;       /* 1-based line where the document starts */
    casus_date date;
    buf raw;                  /* text as read */

    norm_result norm;         /* normalised text and offset anchors */

    token_vec tok;            /* words, offsets mapped to the raw text */
    sentence_vec sent;

    /* Gold tokenization from a CoNLL-U input (empty for other formats). */
    gold_token *gold_tok;
    size_t n_gold_tok, cap_gold_tok;
    gold_sentence *gold_sent;
    size_t n_gold_sent, cap_gold_sent;
};

/* Empties the document for the next record, keeping its memory. */
void doc_reset(casus_doc *doc);
casus_status doc_add_gold_token(casus_doc *doc, size_t start, size_t end,
                                uint32_t flags);
casus_status doc_add_gold_sentence(casus_doc *doc, size_t first, size_t n,
                                   size_t start, size_t end);

#endif
