/*
 * lemma.h - the lemmatizer: the dictionary form of a word given its form
 * and Penn Treebank tag ("attacked" VBD -> "attack", "militants" NNS ->
 * "militant", "n't" RB -> "not").
 *
 * Seen words are looked up in a dictionary learned from the treebank (exact
 * form and tag, then lowercased form and tag, then the lowercased form with
 * the twin verb tag: VBD as VBN and back, VB as VBP and back, so "shot" VBD
 * is "shoot" though the treebank has it as a participle only); unseen words
 * get the edit script (lowercase or not, strip N bytes, append a string)
 * that the longest matching suffix of words with the same tag and
 * capitalisation took in training (outside verbs, a suffix of two or more
 * letters counts only when two or more training types had it); when that
 * script strips an 'e' ("claimed" -> "claim" applied to "blamed") and only
 * the stem with the 'e' is a known base form (the form of a VB, NN, JJ, ...
 * in the dictionary), the 'e' stays; for verbs the converse too: a script's
 * 'e' ("combating" -> "combate", "raided" -> "raide") goes when only the
 * stem without it is a known VB. Trained by tools/train_lemma.c; the model
 * (data/models/lemma.bin, kind "lemma") is mmap'd and immutable.
 */
#ifndef CASUS_LEMMA_H
#define CASUS_LEMMA_H

#include "casus.h"

typedef struct lemmatizer lemmatizer;

casus_status lemma_load(casus_ctx *ctx, const char *path, lemmatizer **out);
void lemma_free(casus_ctx *ctx, lemmatizer *l);

/*
 * How to spell a lemma. Either lit is set (a string borrowed from the
 * model), or the lemma is form[0 .. n - strip) (lowercased when lower is
 * set) followed by append[0..append_n) (borrowed from the model).
 */
typedef struct lemma_result {
    const char *lit;
    size_t lit_n;
    int lower;
    size_t strip;
    const char *append;
    size_t append_n;
} lemma_result;

/* Starts reading the dictionary slots lemma_find(l, form, n, xpos) will
 * probe first; changes nothing. */
void lemma_prefetch(const lemmatizer *l, const char *form, size_t n, unsigned xpos);
void lemma_find(const lemmatizer *l, const char *form, size_t n,
                unsigned xpos, lemma_result *out);

/* Model layout shared with the trainer. */
typedef struct lemma_slot {     /* key 0 = empty */
    uint64_t key;
    uint32_t a, b;              /* dict: string offset, length; rules: script */
} lemma_slot;

typedef struct lemma_script {
    uint8_t lower, strip;
    uint16_t append_n;
    uint32_t append_off;
} lemma_script;

enum { LEMP_DICT_BITS, LEMP_RULE_BITS, LEMP_MAX_SUFFIX, LEM_PARAMS };
#define LEMMA_MAX_SUFFIX 8

/* Keys, shared with the trainer. */
uint64_t lemma_dict_key(const char *p, size_t n, unsigned xpos, int lowered);
uint64_t lemma_rule_key(const char *lower_suffix, size_t k, unsigned xpos,
                        unsigned case_class);
/* 0 no uppercase, 1 initial only, 2 all letters (two or more), 3 mixed. */
unsigned lemma_case_class(const char *p, size_t n);

#endif
