/*
 * tag.h - the part-of-speech tagger: Universal POS (UPOS) and Penn Treebank
 * (XPOS) tags for the words of a sentence, predicted jointly as one combined
 * label ("PROPN NNP") by an averaged perceptron, greedily left to right.
 *
 * Every feature is a 64-bit key: a template number mixed with hashes that
 * are computed once per word (tag_word_init, plus the word's lexicon entry:
 * cluster, capitalisation class, ambiguity class), so extracting the ~45
 * features of a word costs a few multiplications and no allocation. The same functions
 * build the features in the trainer (tools/train_tagger.c) and at run time,
 * which is what keeps the two in step.
 *
 * The model (data/models/tagger.bin, kind "tagger"; docs/FORMATS.md) is
 * loaded with mmap and is immutable, so threads may share it.
 */
#ifndef CASUS_TAG_H
#define CASUS_TAG_H

#include "casus.h"

/* Hashes of one word and of the strings derived from it. */
typedef struct tag_word {
    uint64_t form;      /* exact form */
    uint64_t lower;     /* lowercased, digits folded to 0 */
    uint64_t shape;     /* Xx d patterns, runs cut at two ("Xxx", "dd.dd") */
    uint64_t suf[5];    /* last 1..5 bytes of the lowercased form */
    uint64_t pre[3];    /* first 1..3 bytes */
    uint64_t cluster;   /* word cluster (0 when none) */
    uint64_t amb;       /* ambiguity class: 1 + id of the set of labels the
                           word took in training (TAG_AMB_UNKNOWN when
                           rare or unseen) */
    uint32_t flags;     /* TAGW_* */
    uint32_t capc;      /* how often capitalised mid-sentence in text
                           (0 unknown, 1..6: rarely .. always) */
} tag_word;

#define TAGW_UPPER 0x1u     /* has an uppercase ASCII letter */
#define TAGW_ALLUP 0x2u     /* all letters uppercase (at least two) */
#define TAGW_INITUP 0x4u    /* starts with an uppercase letter */
#define TAGW_DIGIT 0x8u
#define TAGW_HYPHEN 0x10u
#define TAGW_PERIOD 0x20u
#define TAGW_NONASCII 0x40u
#define TAGW_FIRST 0x80u    /* first word of the sentence */

/* The most features tag_features() makes for one word. */
#define TAG_MAX_FEATS 56

/* The label ids given to the positions before the first word. */
#define TAG_START1 250
#define TAG_START2 251

/* 64-bit hash of a byte string (never 0). */
uint64_t tag_hash(const char *p, size_t n);

/* Fills w with the hashes of the word p[0..n). `first`: first in sentence. */
void tag_word_init(tag_word *w, const char *p, size_t n, int first);

/*
 * The features of word i of the n words ws[], given the labels predicted
 * for the two words before it (TAG_START1/2 at the start). Writes at most
 * TAG_MAX_FEATS keys to out and returns how many. They are the static
 * features (which do not depend on the predicted labels: at most
 * TAG_MAX_STATIC) followed by the dynamic ones; the run-time tagger scores
 * the static features of a whole sentence before decoding, so their table
 * lookups can overlap.
 */
size_t tag_features(const tag_word *ws, size_t n, size_t i, unsigned p1,
                    unsigned p2, uint64_t *out);
size_t tag_features_static(const tag_word *ws, size_t n, size_t i,
                           uint64_t *out);
size_t tag_features_dynamic(const tag_word *ws, size_t n, size_t i,
                            unsigned p1, unsigned p2, uint64_t *out);
#define TAG_MAX_STATIC 44

/* Cluster-table lookup key for a lowercased-form hash (see tagger clusters). */
uint64_t tag_cluster_key(uint64_t lower);

/* ------------------------------------------------------------ the model */

typedef struct tagger tagger;

/* Loads a tagger model. CASUS_EIO / CASUS_EFORMAT with a message naming the
 * file; CASUS_ENOMEM. */
casus_status tag_load(casus_ctx *ctx, const char *path, tagger **out);
void tag_free(casus_ctx *ctx, tagger *t);
/* The model's version string (e.g. "ewt-2"). */
const char *tag_version(const tagger *t);

/*
 * A feature table slot, 8 bytes: the top 32 bits of the feature key (0 =
 * empty; a key's home slot comes from bits 20 and up, so the check and the
 * slot together stand for 32 + table-bits bits of the key) and the weights:
 * entries [off, off + n) with off = offn >> 8, n = offn & 255, or, when n is
 * TAG_DENSE, dense row off.
 */
typedef struct tag_slot {
    uint32_t check, offn;
} tag_slot;
#define TAG_DENSE 255u
#define TAG_MAX_OFF 0xFFFFFFu
static inline uint32_t tag_check(uint64_t key)
{
    uint32_t c = (uint32_t)(key >> 32);
    return c ? c : 1;
}

/* Scratch space for tag_run, reused across sentences and documents. */
typedef struct tag_work {
    tag_word *w;
    float *score;                 /* static scores, n_labels per word */
    const tag_slot **slot;        /* TAG_MAX_STATIC per word */
    uint8_t *nslot;               /* per word; 255: in the tag dictionary */
    size_t cap, cap_score, cap_slot;
} tag_work;

void tag_work_free(casus_ctx *ctx, tag_work *wk);

/*
 * Tags the n words of one sentence in place (upos, xpos). Allocates only
 * to grow wk. CASUS_OK or CASUS_ENOMEM.
 */
casus_status tag_run(casus_ctx *ctx, const tagger *t, tag_work *wk,
                     casus_token *words, size_t n);

/*
 * Corrections the tagger's left-to-right view cannot make, applied to the n
 * tagged words of one sentence: an all-capital word of two or more letters
 * right after an article ("the IS", "the US") is a name, never a verb,
 * auxiliary or pronoun (the model knows "is" and "us" by their lowercase
 * form and so reads the acronym as one).
 */
void tag_fix(casus_token *words, size_t n);

/* Serialised model layout shared with the trainer. */
typedef struct tag_entry {      /* one weight of a feature, in units of
                                   the model's quantum (see train_tagger) */
    uint8_t label, pad;
    int16_t w;
} tag_entry;

typedef struct tag_dslot {      /* tag dictionary / lexicon slot; key 0 = empty */
    uint64_t key;
    uint32_t value, amb;        /* tagdict: label, 0; lexicon: cluster (0
                                   none), ambiguity class (0 none) */
} tag_dslot;
#define TAG_AMB_UNKNOWN 1u
/* A lexicon value: cluster in the low bits, capitalisation class above. */
#define TAG_CLUSTER_MASK 0xFFFFFu
#define TAG_CAP_SHIFT 20

/* Section "params": TAG_PARAMS u32 values in this order. */
enum {
    TAGP_NLABELS, TAGP_FEAT_BITS, TAGP_DICT_BITS, TAGP_CLUSTER_BITS,
    TAGP_FEATURE_SET, TAG_PARAMS
};
#define TAG_FEATURE_SET 5u  /* the feature templates of this casus */

#endif
