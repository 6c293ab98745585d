/*
 * token.h - the tokenizer for English news text.
 *
 * Splits normalised text into Universal Dependencies words following the
 * UD English EWT conventions: clitics become separate words of one surface
 * token ("don't" -> do + n't, "Iran's" -> Iran + 's, joined by
 * CASUS_TOK_JOIN_NEXT), punctuation is split off, abbreviations and initials
 * keep their period ("U.S.", "Gen.", "J."), numbers stay whole ("1,000",
 * "3.5", "9/11"), hyphenated compounds are split at the hyphen except after
 * known prefixes ("e-mail", "non-state"), apostrophised names stay whole
 * ("Qur'an", "O'Brien").
 */
#ifndef CASUS_TOKEN_H
#define CASUS_TOKEN_H

#include "casus.h"

typedef struct token_vec {
    casus_token *v;
    size_t n, cap;
} token_vec;

/*
 * Appends the words of text[0..n) (valid UTF-8) to out. form points into
 * text; start/end are offsets into text. CASUS_OK or CASUS_ENOMEM.
 */
casus_status token_run(casus_ctx *ctx, const char *text, size_t n,
                       token_vec *out);

#endif
