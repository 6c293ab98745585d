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

/* A word of a gold-standard (CoNLL-U) annotation, kept for evaluation, for
 * training and for `parse --gold-tokens`. Offsets are into the raw text;
 * FORM and LEMMA strings are in doc->gold_strings (a word of a multiword
 * token need not spell a substring of the text: "wo" + "n't"). */
typedef struct gold_token {
    size_t start, end;
    uint32_t flags;          /* CASUS_TOK_JOIN_NEXT as for casus_token */
    uint8_t upos, xpos, deprel;   /* ud.h ids; 0 for "_" or an unknown label */
    int32_t head;            /* 1-based in the sentence, 0 root, -1 for "_" */
    size_t form_off, form_n;
    size_t lemma_off, lemma_n;
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
    buf gold_strings;         /* FORM and LEMMA of the gold words */

    /* Set by casus_doc_use_gold_tokens(): tok and sent are the gold words
     * (forms in gold_strings, sentence texts in raw), not token.c's. */
    int gold_words;
    /* Lemmas that are not a slice of the form or of a model (models.c). */
    buf lemma_buf;

    /* The sentences prepared for dictionary matching (match.c's
     * match_doc_sentence), made by the first stage that asks (the coder)
     * and shared with the next (the incident stage), for the dictionaries
     * mseq_dicts; mseq[i] holds sentence i when its gen is mseq_gen. A cache
     * filled through const pointers (a document belongs to one thread);
     * doc_tokens_changed() empties it. */
    const casus_dicts *mseq_dicts;
    const uint32_t *mseq_vocab;   /* mseq_dicts' vocabulary hash, as a check */
    struct doc_mseq *mseq;        /* match.c's; freed by match_doc_free() */
    size_t cap_mseq;
    unsigned long mseq_gen;
};

/* Empties the document for the next record, keeping its memory. */
void doc_reset(casus_doc *doc);
/* To call whenever the words change: the prepared sentences are stale. */
static inline void doc_tokens_changed(casus_doc *doc)
{
    doc->mseq_dicts = NULL;
}
/* Appends a copy of *t. */
casus_status doc_add_gold_token(casus_doc *doc, const gold_token *t);
casus_status doc_add_gold_sentence(casus_doc *doc, size_t first, size_t n,
                                   size_t start, size_t end);

#endif
