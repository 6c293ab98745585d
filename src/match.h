/*
 * match.h - the compiled dictionary matcher: actor, agent and discard
 * phrases over the tokens of a sentence, verb forms by word, synsets.
 *
 * Words are compared by a normalised key (match_key): case-folded, accents
 * stripped, apostrophes and hyphens inside a word removed; a token made only
 * of hyphens or dashes is transparent. So "al-Adl" (al - Adl), "Jaish ul-Adl"
 * and "Jaish-ul-Adl" give the same keys, as do "Jama'at" and "Jamaat".
 *
 * A sentence is prepared once (match_prepare: one hash probe per token gives
 * its word id; unknown words get id 0), then phrases are looked up at any
 * position by walking a trie whose edges live in one open-addressing hash
 * keyed by (node, word id). A phrase may require some of its words in
 * capitals ("IS", "US"), checked against the token. PETRARCH agents may
 * allow other words between two of their words (a blank, not '_').
 *
 * Threads: the tries are immutable once built; a match_seq belongs to the
 * caller.
 */
#ifndef CASUS_MATCH_H
#define CASUS_MATCH_H

#include "casus.h"
#include "dict.h"

#define MATCH_KEY_MAX 128
#define MATCH_MAX_GAP 3   /* words that may intervene at an agent's gap */

/* Writes the key of the word s[0..n) into out[MATCH_KEY_MAX] (truncating),
 * returns its length; 0 for a transparent token. */
size_t match_key(const char *s, size_t n, char *out);
/* True when the word has a letter and no lower-case letter ("IS", "U.S."). */
int match_is_upper(const char *s, size_t n);
/* True when the word may stand for an acronym of the dictionary: in capitals
 * ("CAR", "IS"), or with one initial capital when it has four letters or more
 * ("Nato", "Isis"), never in lower case ("car"). */
int match_is_caps(const char *s, size_t n);

/* A sentence prepared for matching: its non-transparent tokens. */
typedef struct match_seq {
    uint32_t *wid;          /* word id, 0 when no dictionary knows the word */
    uint32_t *tok;          /* index of the token in the caller's array */
    uint8_t *upper;         /* match_is_caps of the token */
    size_t n, cap;
} match_seq;

#define MATCH_SEQ_INIT {NULL, NULL, NULL, 0, 0}

/* Prepares tokens tok[0..n) (e.g. one sentence) against d. Reuses seq's
 * memory. CASUS_OK or CASUS_ENOMEM. */
casus_status match_prepare(casus_ctx *ctx, const casus_dicts *d,
                           const casus_token *tok, size_t n, match_seq *seq);
void match_seq_free(casus_ctx *ctx, match_seq *seq);

/* Sentence si of doc prepared against d as match_prepare prepares its
 * tokens, made once per document and dictionaries and shared by the stages
 * that match (the coder, then the incident stage, each of which used to
 * prepare it). *out is borrowed from the document until its words change
 * (casus_doc_analyze, casus_doc_use_gold_tokens, the next record read into
 * it) or it is freed; the memory is the document's (its context's).
 * CASUS_OK, CASUS_ENOMEM or CASUS_EINVAL (no sentence si). */
/* Frees the prepared sentences that doc keeps (casus_doc_free). */
void match_doc_free(casus_doc *doc);
casus_status match_doc_sentence(const casus_dicts *d, const casus_doc *doc, size_t si,
                                const match_seq **out);

typedef struct match_hit {
    size_t start, end;      /* seq positions [start, end) */
    uint32_t phrase;        /* index in d->phrases[kind] */
    uint32_t entry;         /* index in actors[], agents[] or discards[] */
} match_hit;

/* The longest phrase of kind (DICT_ACTORS, DICT_AGENTS, DICT_DISCARDS)
 * starting at seq position i. 1 and *hit when one matches, else 0. For
 * discards the last word may be a stem (see dict_discard.exact); tok is then
 * needed to read the token's text (may be NULL for other kinds). */
int match_at(const casus_dicts *d, dict_kind kind, const match_seq *seq,
             const casus_token *tok, size_t i, match_hit *hit);

/* The first discard phrase in the sentence: 0 none, 1 a sentence discard,
 * 2 a story discard ('+'); *hit tells which. */
int match_discard(const casus_dicts *d, const match_seq *seq,
                  const casus_token *tok, match_hit *hit);

/* The code of actor a on day (DICT_DAY_MIN: unknown date, default code):
 * the first date restriction that holds, else the default code. "" for a
 * null code. Borrowed from d. */
const char *match_actor_code(const casus_dicts *d, uint32_t a, dict_day day);

/* Actor code + agent: "IRN" + "~MIL" -> "IRNMIL", "USA" + "NGO~" ->
 * "NGOUSA"; an empty actor code gives the agent code alone. Writes a NUL-
 * terminated string into out[cap]; returns its length (truncated to fit). */
size_t match_combine(const casus_dicts *d, const char *actor_code,
                     uint32_t agent, char *out, size_t cap);

/* The verb forms whose verb word is wid (its lemma or a surface form);
 * multi-word forms come first. *n = 0 when none. Borrowed from d. */
const dict_verb_form *match_verb(const casus_dicts *d, uint32_t wid, size_t *n);
/* The verb forms of word s[0..n) (any case), via match_key. */
const dict_verb_form *match_verb_word(const casus_dicts *d, const char *s,
                                      size_t n, size_t *count);
/* Length (in seq positions) of the longest phrase of synset s starting at
 * seq position i, 0 when none. */
size_t match_synset_at(const casus_dicts *d, uint32_t s, const match_seq *seq,
                       size_t i);

/* Compiles the tries of d (called by dict_finish); warns about duplicate
 * phrases with file and line. */
casus_status match_build(casus_dicts *d);
void match_free(casus_dicts *d);

#endif
