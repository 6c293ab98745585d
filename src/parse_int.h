/*
 * parse_int.h - parser internals shared by the run-time parser (parse.c) and
 * the trainer (tools/train_parser.c): the transition system, the parser
 * state, the feature templates and the model layout. Keeping one copy of
 * the feature code for both is what guarantees that training and parsing
 * see the same features.
 *
 * Transition system: arc-eager (Nivre 2003) with the artificial root at the
 * END of the buffer (Ballesteros & Nivre 2013). Words are 1..n, the root is
 * n+1 and index 0 stands for "no word" in features. The buffer is always
 * the contiguous range b..n+1, so "k is in the buffer" is k >= b.
 *
 *   SHIFT   push b                          (b <= n)
 *   REDUCE  pop s0                          (s0 has a head)
 *   LEFT    arc b -> s0, pop s0             (s0 has no head)
 *   RIGHT   arc s0 -> b, push b             (b <= n)
 *
 * The action model scores these four moves; when a move makes an arc, a
 * separate label model picks its relation from features of the head and the
 * dependent. An arc to the root is always "root". The parse is complete
 * when only the root is left in the buffer and the stack is empty.
 *
 * Features are hashed (no feature dictionary): each template combines
 * precomputed per-word values into a 64-bit key whose top bits index a flat
 * weight table, one row of weights per bucket.
 */
#ifndef CASUS_PARSE_INT_H
#define CASUS_PARSE_INT_H

#include <stdint.h>

#include "casus.h"

/* Bumped whenever the features or the model layout change: a model built
 * for another feature set is refused on load. Sets PARSER_FEATSET_MIN ..
 * PARSER_FEATSET are read; the model's meta says which one its features
 * are (pbits_featset below), and the trainer writes either (--featset).
 *   3  Zhang & Nivre (2011) plus clusters and suffixes (parser ewt-3)
 *   4  3 plus coarse-tag (UPOS) conjunctions in the action model and
 *      sibling, grandparent and neighbour features in the label model
 *      (parser ewt-4, BENCHMARKS.md) */
#define PARSER_FEATSET 4u
#define PARSER_FEATSET_MIN 3u

enum { P_SHIFT = 0, P_REDUCE = 1, P_LEFT = 2, P_RIGHT = 3, P_NACT = 4 };

#define P_ACT_TEMPLATES 128   /* upper bound on action features */
#define P_LAB_TEMPLATES 48    /* upper bound on label features */
#define P_MAX_LABELS 64       /* label classes (row stride of the label model) */

/* Per-word values that features combine, computed once per sentence.
 * Index 0 is "no word", n+1 the root. */
typedef struct pword {
    uint64_t w;      /* hash of the normalised form */
    uint64_t wp;     /* hash of (form, tag) */
    uint64_t sfx;    /* hash of the last three characters */
    uint64_t shape;  /* hash of the word shape (Xxx, dd, ...) */
    uint32_t p;      /* XPOS id; 254 none, 255 root */
    uint32_t up;     /* UPOS id */
    uint32_t c, cc;  /* word cluster, fine and coarse: 0 no word, 1 not in
                        the cluster table, 2.. a cluster; 0xFFFF the root */
} pword;

/*
 * Word clusters (tools/train_clusters.c, learned from unannotated text):
 * features that do not depend on the tagger being right. An open-addressed
 * table of 2^bits u64 slots, each (key & ~0xFFFF) | value, 0 empty; key is
 * pword_key() of the form, value 1 + fine + 256 * coarse.
 */
typedef struct pclust {
    const uint64_t *slot;
    unsigned bits;
} pclust;

/* The hash of a form as words are looked up in the cluster table
 * (lowercased, digits folded to 0). */
uint64_t pword_key(const char *form, size_t n);
/* Table value for key (see pclust), 0 when absent. */
unsigned pclust_get(const pclust *cl, uint64_t key);

/* The parser configuration. All arrays have n+2 entries. */
typedef struct pstate {
    int n;
    int b;                 /* buffer front, 1..n+1 */
    int sp;                /* stack size */
    int32_t *stack;
    int32_t *head;         /* -1: none yet; n+1: the root */
    uint8_t *label;        /* label class of the arc to the head; 0 none */
    int32_t *l1, *l2;      /* leftmost and second leftmost dependent, 0 none */
    int32_t *r1, *r2;      /* rightmost and second rightmost */
    uint8_t *nl, *nr;      /* number of left and right dependents */
    uint64_t *ls, *rs;     /* label classes of the left / right dependents */
} pstate;

/* Bytes of scratch memory pstate_init needs for n words. */
size_t pstate_bytes(size_t n);
/* Lays the state out in mem (pstate_bytes(n), 8-aligned) and empties it. */
void pstate_init(pstate *st, void *mem, int n);
/* Whether each move is allowed now (mask bit per action). */
unsigned pstate_legal(const pstate *st);
/* Applies move a; for LEFT and RIGHT the arc gets label class lab. */
void pstate_apply(pstate *st, int a, int lab);
/* The dependent and head of the arc that move a would make. */
void pstate_arc(const pstate *st, int a, int *dep, int *hd);
static inline int pstate_done(const pstate *st)
{
    return st->sp == 0 && st->b > st->n;
}

/* Fills W[0..n+1] from the words (form, xpos, upos) and the clusters. */
void pword_fill(pword *W, const casus_token *words, int n, const pclust *cl);

/* Table sizes and the feature set, packed into one unsigned that every
 * feature function takes: big | small << 8 | featset << 16; a table has
 * 2^small + 2^big rows (see parse.c). */
#define PBITS(big, small, fs) \
    ((unsigned)(big) | (unsigned)(small) << 8 | (unsigned)(fs) << 16)
static inline size_t pbits_rows(unsigned bits)
{
    return ((size_t)1 << (bits & 0xFF)) + ((size_t)1 << (bits >> 8 & 0xFF));
}
static inline unsigned pbits_featset(unsigned bits)
{
    return bits >> 16 & 0xFF;
}

/* Action features of the current state: writes the row indices and
 * returns how many. They are the features of the words in each role
 * (pfeat_role, which read one word only) and those of the state
 * (pfeat_state, which combine words, tags, labels and counts). */
int pfeat_action(const pstate *st, const pword *W, unsigned bits,
                 uint32_t *out);

/* Word roles: the positions of the configuration whose features read one
 * word and nothing else. parse.c scores a word in a role once per
 * sentence, not once per state. */
enum {
    PR_S0, PR_N0, PR_N1, PR_N2, PR_S1, PR_S0H, PR_S0L, PR_S0R, PR_N0L,
    PR_S0H2, PR_S0L2, PR_S0R2, PR_N0L2, P_NROLES
};
#define P_ROLE_FEATS 8        /* upper bound on the features of one role */

/* The word in each role now (0: none). */
void pstate_roles(const pstate *st, int *who);
/* The features of word x in role. */
int pfeat_role(const pword *x, int role, unsigned bits, uint32_t *out);
/* The rest: features of the state. */
int pfeat_state(const pstate *st, const pword *W, unsigned bits,
                uint32_t *out);
/* Label features of the arc hd -> dep in the current state. */
int pfeat_label(const pstate *st, const pword *W, int dep, int hd,
                unsigned bits, uint32_t *out);

#endif
