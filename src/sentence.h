/*
 * sentence.h - the sentence splitter.
 *
 * Groups the words from token.c into sentences: at sentence-final
 * punctuation (with closing quotes and brackets), not after abbreviations or
 * initials unless the next word starts a sentence, and at paragraph breaks
 * (a blank line); a single newline is only whitespace unless the lines look
 * like headlines or list items.
 */
#ifndef CASUS_SENTENCE_H
#define CASUS_SENTENCE_H

#include "casus.h"

typedef struct sentence_vec {
    casus_sentence *v;
    size_t n, cap;
} sentence_vec;

/*
 * Appends the sentences of text[0..n) to out, given its words tok[0..ntok)
 * (offsets into text, as token_run makes them). Each sentence's start/end
 * are offsets into text and text slices it. CASUS_OK or CASUS_ENOMEM.
 */
casus_status sentence_run(casus_ctx *ctx, const char *text, size_t n,
                          const casus_token *tok, size_t ntok,
                          sentence_vec *out);

#endif
