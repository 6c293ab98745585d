/*
 * parse.c - the dependency parser: a greedy arc-eager transition parser with
 * linear models over hashed features (see parse_int.h for the transition
 * system and the state). It is the stage after tagging: it reads the words
 * of one sentence with their forms and tags and sets head and deprel.
 *
 * Two models, both averaged perceptrons trained with a dynamic oracle by
 * tools/train_parser.c:
 *   action model  4 scores (SHIFT, REDUCE, LEFT, RIGHT) per state, from the
 *                 rich non-local feature set of Zhang & Nivre (2011):
 *                 words and tags of the stack top, the buffer front and its
 *                 neighbours, their heads and outermost dependents, arc
 *                 distance, valency and the label sets of dependents;
 *                 plus word clusters and suffixes of these words, which
 *                 stay right when the tagger is wrong;
 *   label model   one score per relation for each arc made, from the head,
 *                 the dependent, their context and existing dependents.
 * Deciding the move first and the label after keeps the work per word small:
 * a state reads one 8-byte row per feature, a label one row per feature, so
 * the weights of the action model (2.5 MiB) stay in the last-level cache.
 * Features that read one word only (its form, tags or cluster in one role:
 * stack top, buffer front, head of the stack top, ...) are scored once per
 * word and role and cached for the sentence, so a state reads the table
 * only for the features that combine several words, tags or labels.
 *
 * The parser is trained on jackknifed tags (tools/train_parser.c), so it
 * expects the tagger's kind of errors; with gold tags it does a little
 * worse than a parser trained on gold tags, with predicted ones better.
 *
 * Model file (kind "parser", container in model.h, see docs/FORMATS.md):
 *   meta    u32[8]: feature-set version, action table bits (large part),
 *           label table bits (large part), label classes, label row
 *           stride, action table bits (small part), label table bits
 *           (small part), cluster table bits
 *   labels  names of label classes 1.. (class 0 is "none"), NUL-terminated
 *   lmask   u64[2]: label classes allowed for a dependent left / right of
 *           its head
 *   act     i16[2^small + 2^big][4] action weights
 *   lab     i16[2^small + 2^big][stride] label weights
 *   clusters u64[2^bits] word cluster table (see pclust in parse_int.h)
 * Label names are mapped to ud.h ids on load, so a model cannot shift a
 * label silently. The feature set in meta (PARSER_FEATSET_MIN ..
 * PARSER_FEATSET, see parse_int.h) travels to the feature functions inside
 * the packed table bits; a model for another feature set is refused.
 *
 * Invariants: parser_run always returns a tree. Every word is shifted once
 * and leaves the stack only by LEFT (which gives it a head) or REDUCE
 * (allowed only when it has one); arc-eager arcs never close a cycle. When
 * several words end up attached to the root, the leftmost stays the root
 * and the others are attached to it.
 */
#include "parse.h"
#include "parse_int.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
/* AVX2 code is compiled for x86-64 with GCC or Clang and used only when the
 * CPU has it (checked once on load), so the build needs no -march. */
#if defined(__x86_64__) && defined(__GNUC__)
#define PARSE_AVX2 1
#include <immintrin.h>
#else
#define PARSE_AVX2 0
#endif

#include "ctx.h"
#include "model.h"
#include "ud.h"
#include "util/mem.h"

/* ------------------------------------------------------------ state */

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

size_t pstate_bytes(size_t n)
{
    size_t m = n + 2;
    return align8(m * 4) * 6 + align8(m) * 3 + m * 8 * 2;
}

void pstate_init(pstate *st, void *mem, int n)
{
    size_t m = (size_t)n + 2;
    char *p = mem;
    /* u64 arrays first so that they stay aligned */
    st->ls = (uint64_t *)(void *)p; p += m * 8;
    st->rs = (uint64_t *)(void *)p; p += m * 8;
    st->stack = (int32_t *)(void *)p; p += align8(m * 4);
    st->head = (int32_t *)(void *)p; p += align8(m * 4);
    st->l1 = (int32_t *)(void *)p; p += align8(m * 4);
    st->l2 = (int32_t *)(void *)p; p += align8(m * 4);
    st->r1 = (int32_t *)(void *)p; p += align8(m * 4);
    st->r2 = (int32_t *)(void *)p; p += align8(m * 4);
    st->label = (uint8_t *)p; p += align8(m);
    st->nl = (uint8_t *)p; p += align8(m);
    st->nr = (uint8_t *)p;
    memset(mem, 0, pstate_bytes(m - 2));
    for (size_t i = 0; i < m; i++)
        st->head[i] = -1;
    st->n = n;
    st->b = 1;
    st->sp = 0;
}

unsigned pstate_legal(const pstate *st)
{
    unsigned m = 0;
    int buf_word = st->b <= st->n;
    if (buf_word)
        m |= 1u << P_SHIFT;
    if (st->sp > 0) {
        int s0 = st->stack[st->sp - 1];
        if (st->head[s0] >= 0)
            m |= 1u << P_REDUCE;
        else
            m |= 1u << P_LEFT;
        if (buf_word)
            m |= 1u << P_RIGHT;
    }
    return m;
}

void pstate_arc(const pstate *st, int a, int *dep, int *hd)
{
    int s0 = st->sp > 0 ? st->stack[st->sp - 1] : 0;
    if (a == P_LEFT) {
        *dep = s0;
        *hd = st->b;
    } else {
        *dep = st->b;
        *hd = s0;
    }
}

static void add_arc(pstate *st, int h, int d, int lab)
{
    st->head[d] = h;
    st->label[d] = (uint8_t)lab;
    if (h > st->n)
        return;
    if (d < h) {
        if (st->l1[h] == 0 || d < st->l1[h]) {
            st->l2[h] = st->l1[h];
            st->l1[h] = d;
        } else if (st->l2[h] == 0 || d < st->l2[h]) {
            st->l2[h] = d;
        }
        if (st->nl[h] < 255)
            st->nl[h]++;
        st->ls[h] |= 1ull << (lab & 63);
    } else {
        if (d > st->r1[h]) {
            st->r2[h] = st->r1[h];
            st->r1[h] = d;
        } else if (d > st->r2[h]) {
            st->r2[h] = d;
        }
        if (st->nr[h] < 255)
            st->nr[h]++;
        st->rs[h] |= 1ull << (lab & 63);
    }
}

void pstate_apply(pstate *st, int a, int lab)
{
    switch (a) {
    case P_SHIFT:
        st->stack[st->sp++] = st->b++;
        break;
    case P_REDUCE:
        st->sp--;
        break;
    case P_LEFT:
        add_arc(st, st->b, st->stack[st->sp - 1], lab);
        st->sp--;
        break;
    default: /* P_RIGHT */
        add_arc(st, st->stack[st->sp - 1], st->b, lab);
        st->stack[st->sp++] = st->b++;
        break;
    }
}

/* ------------------------------------------------------------ words */

static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static uint64_t str_hash(const unsigned char *s, size_t n, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return fmix(h ^ n);
}

#define P_TAG_NONE 254u
#define P_TAG_ROOT 255u

/* The normalised form (lowercase, digits 0; at most 64 bytes) and its
 * shape (runs of a class cut at two). */
static void normalise(const unsigned char *f, size_t len, unsigned char *norm,
                      size_t *kn, unsigned char *shape, size_t *kshape)
{
    size_t k = 0, ks = 0;
    for (size_t j = 0; j < len && k < 64; j++) {
        unsigned char c = f[j];
        unsigned char sc;
        if (c >= 'A' && c <= 'Z') {
            sc = 'X';
            c = (unsigned char)(c + 32);
        } else if (c >= 'a' && c <= 'z') {
            sc = 'x';
        } else if (c >= '0' && c <= '9') {
            sc = 'd';
            c = '0';
        } else {
            sc = c;
        }
        norm[k++] = c;
        if (ks < 32 && !(ks >= 2 && shape[ks - 1] == sc && shape[ks - 2] == sc))
            shape[ks++] = sc;
    }
    *kn = k;
    *kshape = ks;
}

uint64_t pword_key(const char *form, size_t n)
{
    unsigned char norm[64], shape[32];
    size_t k, ks;
    normalise((const unsigned char *)form, form ? n : 0, norm, &k, shape, &ks);
    return str_hash(norm, k, 1);
}

unsigned pclust_get(const pclust *cl, uint64_t key)
{
    if (!cl || !cl->slot)
        return 0;
    uint64_t want = key & ~(uint64_t)0xFFFF;
    if (!want)
        want = 0x10000;
    size_t mask = ((size_t)1 << cl->bits) - 1;
    for (size_t i = (size_t)(key >> (64 - cl->bits)) & mask;; i = (i + 1) & mask) {
        uint64_t v = cl->slot[i];
        if (!v)
            return 0;
        if ((v & ~(uint64_t)0xFFFF) == want)
            return (unsigned)(v & 0xFFFF);
    }
}

void pword_fill(pword *W, const casus_token *words, int n, const pclust *cl)
{
    unsigned char norm[64], shape[32];
    memset(&W[0], 0, sizeof W[0]);
    W[0].w = 0x6e6f6e65ull;
    W[0].p = P_TAG_NONE;
    W[0].up = P_TAG_NONE;
    for (int i = 1; i <= n + 1; i++) {
        pword *x = &W[i];
        if (i == n + 1) {
            x->w = 0x726f6f74ull;
            x->p = P_TAG_ROOT;
            x->up = P_TAG_ROOT;
            x->sfx = x->shape = x->w;
            x->wp = fmix(x->w ^ x->p);
            x->c = x->cc = 0xFFFF;
            break;
        }
        const casus_token *t = &words[i - 1];
        const unsigned char *f = (const unsigned char *)t->form.p;
        size_t k, ks;
        normalise(f, f ? t->form.n : 0, norm, &k, shape, &ks);
        x->w = str_hash(norm, k, 1);
        unsigned cv = pclust_get(cl, x->w);
        x->c = cv ? ((cv - 1) & 0xFF) + 2 : 1;
        x->cc = cv ? ((cv - 1) >> 8) + 2 : 1;
        x->sfx = str_hash(norm + (k > 3 ? k - 3 : 0), k > 3 ? 3 : k, 2);
        x->shape = str_hash(shape, ks, 3);
        x->p = t->xpos;
        x->up = t->upos;
        x->wp = fmix(x->w ^ ((uint64_t)x->p << 56 | 0x5a));
    }
}

/* ------------------------------------------------------------ features */

/* Folds a value into a feature key. */
static inline uint64_t fv(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static inline uint64_t ffin(uint64_t h)
{
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 27);
}

/* Templates over words (many values) index the large part of a table,
 * rows [2^small, 2^small + 2^big); templates over tags, labels and counts
 * only (few values, read in every state) the small part, rows [0, 2^small),
 * which stays in the core's cache. */
static inline uint32_t fbig(uint64_t h, unsigned bits)
{
    unsigned small = bits >> 8 & 0xFF, big = bits & 0xFF;
    return (1u << small) + (uint32_t)(ffin(h) >> (64 - big));
}

static inline uint32_t fsmall(uint64_t h, unsigned bits)
{
    return (uint32_t)(ffin(h) >> (64 - (bits >> 8 & 0xFF)));
}

static int dist_bucket(int d)
{
    if (d < 0)
        d = -d;
    if (d <= 4)
        return d;
    if (d <= 6)
        return 5;
    if (d <= 9)
        return 6;
    return 7;
}

static int cap(int v, int c)
{
    return v > c ? c : v;
}

#define T(id) ((uint64_t)(id) * 0x2545F4914F6CDD1Dull + 0x1234567ull)
/* F*: templates with a word value; G*: without */
#define F1(id, a) out[k++] = fbig(fv(T(id), (a)), bits)
#define F2(id, a, b) out[k++] = fbig(fv(fv(T(id), (a)), (b)), bits)
#define F3(id, a, b, c) \
    out[k++] = fbig(fv(fv(fv(T(id), (a)), (b)), (c)), bits)
#define F4(id, a, b, c, d) \
    out[k++] = fbig(fv(fv(fv(fv(T(id), (a)), (b)), (c)), (d)), bits)
#define G1(id, a) out[k++] = fsmall(fv(T(id), (a)), bits)
#define G2(id, a, b) out[k++] = fsmall(fv(fv(T(id), (a)), (b)), bits)
#define G3(id, a, b, c) \
    out[k++] = fsmall(fv(fv(fv(T(id), (a)), (b)), (c)), bits)
#define G4(id, a, b, c, d) \
    out[k++] = fsmall(fv(fv(fv(fv(T(id), (a)), (b)), (c)), (d)), bits)

int pfeat_role(const pword *x, int role, unsigned bits, uint32_t *out)
{
    int k = 0;
    switch (role) {
    case PR_S0:
        F1(1, x->w);
        G1(2, x->p);
        F1(3, x->wp);
        G1(79, x->c);
        F1(95, x->sfx);
        break;
    case PR_N0:
        F1(4, x->w);
        G1(5, x->p);
        F1(6, x->wp);
        G1(80, x->c);
        F1(94, x->sfx);
        break;
    case PR_N1:
        F1(7, x->w);
        G1(8, x->p);
        F1(9, x->wp);
        G1(81, x->c);
        break;
    case PR_N2:
        F1(10, x->w);
        G1(11, x->p);
        F1(12, x->wp);
        break;
    case PR_S1:
        G1(82, x->c);
        break;
    case PR_S0H:
        F1(39, x->w);
        G1(40, x->p);
        break;
    case PR_S0L:
        F1(42, x->w);
        G1(43, x->p);
        break;
    case PR_S0R:
        F1(45, x->w);
        G1(46, x->p);
        break;
    case PR_N0L:
        F1(48, x->w);
        G1(49, x->p);
        break;
    case PR_S0H2:
        F1(51, x->w);
        G1(52, x->p);
        break;
    case PR_S0L2:
        F1(54, x->w);
        G1(55, x->p);
        break;
    case PR_S0R2:
        F1(57, x->w);
        G1(58, x->p);
        break;
    case PR_N0L2:
        F1(60, x->w);
        G1(61, x->p);
        break;
    default:
        break;
    }
    return k;
}

void pstate_roles(const pstate *st, int *who)
{
    int n = st->n;
    int s0 = st->sp > 0 ? st->stack[st->sp - 1] : 0;
    int n0 = st->b;
    int s0h = s0 && st->head[s0] > 0 && st->head[s0] <= n ? st->head[s0] : 0;
    who[PR_S0] = s0;
    who[PR_N0] = n0;
    who[PR_N1] = n0 + 1 <= n + 1 ? n0 + 1 : 0;
    who[PR_N2] = n0 + 2 <= n + 1 ? n0 + 2 : 0;
    who[PR_S1] = st->sp > 1 ? st->stack[st->sp - 2] : 0;
    who[PR_S0H] = s0h;
    who[PR_S0H2] = s0h && st->head[s0h] > 0 && st->head[s0h] <= n ? st->head[s0h] : 0;
    who[PR_S0L] = s0 ? st->l1[s0] : 0;
    who[PR_S0L2] = s0 ? st->l2[s0] : 0;
    who[PR_S0R] = s0 ? st->r1[s0] : 0;
    who[PR_S0R2] = s0 ? st->r2[s0] : 0;
    who[PR_N0L] = n0 <= n ? st->l1[n0] : 0;
    who[PR_N0L2] = n0 <= n ? st->l2[n0] : 0;
}

int pfeat_action(const pstate *st, const pword *W, unsigned bits,
                 uint32_t *out)
{
    int who[P_NROLES], k = 0;
    pstate_roles(st, who);
    for (int r = 0; r < P_NROLES; r++)
        k += pfeat_role(&W[who[r]], r, bits, out + k);
    return k + pfeat_state(st, W, bits, out + k);
}

int pfeat_state(const pstate *st, const pword *W, unsigned bits,
                uint32_t *out)
{
    int k = 0, n = st->n;
    int s0 = st->sp > 0 ? st->stack[st->sp - 1] : 0;
    int s1 = st->sp > 1 ? st->stack[st->sp - 2] : 0;
    int n0 = st->b;
    int n1 = n0 + 1 <= n + 1 ? n0 + 1 : 0;
    int n2 = n0 + 2 <= n + 1 ? n0 + 2 : 0;
    int s0h = s0 && st->head[s0] > 0 && st->head[s0] <= n ? st->head[s0] : 0;
    int s0h2 = s0h && st->head[s0h] > 0 && st->head[s0h] <= n ? st->head[s0h] : 0;
    int s0l = s0 ? st->l1[s0] : 0, s0l2 = s0 ? st->l2[s0] : 0;
    int s0r = s0 ? st->r1[s0] : 0, s0r2 = s0 ? st->r2[s0] : 0;
    int n0l = n0 <= n ? st->l1[n0] : 0, n0l2 = n0 <= n ? st->l2[n0] : 0;
    const pword *S0 = &W[s0], *N0 = &W[n0], *N1 = &W[n1], *N2 = &W[n2];
    uint64_t s0lab = s0 ? st->label[s0] : 0;
    uint64_t hashead = s0 ? (st->head[s0] >= 0) + 1u : 0;

    F2(13, S0->wp, N0->wp);
    F2(14, S0->wp, N0->w);
    F2(15, S0->w, N0->wp);
    F2(16, S0->wp, N0->p);
    F2(17, S0->p, N0->wp);
    F2(18, S0->w, N0->w);
    G2(19, S0->p, N0->p);
    G2(20, N0->p, N1->p);
    G3(21, N0->p, N1->p, N2->p);
    G3(22, S0->p, N0->p, N1->p);
    G3(23, W[s0h].p, S0->p, N0->p);
    G3(24, S0->p, W[s0l].p, N0->p);
    G3(25, S0->p, W[s0r].p, N0->p);
    G3(26, S0->p, N0->p, W[n0l].p);
    uint64_t d = s0 ? (uint64_t)dist_bucket(n0 - s0) : 0;
    F2(27, S0->w, d);
    G2(28, S0->p, d);
    F2(29, N0->w, d);
    G2(30, N0->p, d);
    F3(31, S0->w, N0->w, d);
    G3(32, S0->p, N0->p, d);
    uint64_t s0vr = s0 ? (uint64_t)cap(st->nr[s0], 6) : 0;
    uint64_t s0vl = s0 ? (uint64_t)cap(st->nl[s0], 6) : 0;
    uint64_t n0vl = n0 <= n ? (uint64_t)cap(st->nl[n0], 6) : 0;
    F2(33, S0->w, s0vr);
    G2(34, S0->p, s0vr);
    F2(35, S0->w, s0vl);
    G2(36, S0->p, s0vl);
    F2(37, N0->w, n0vl);
    G2(38, N0->p, n0vl);
    G2(41, s0lab, hashead);
    G1(44, s0l ? st->label[s0l] : 0);
    G1(47, s0r ? st->label[s0r] : 0);
    G1(50, n0l ? st->label[n0l] : 0);
    G1(53, s0h ? st->label[s0h] : 0);
    G1(56, s0l2 ? st->label[s0l2] : 0);
    G1(59, s0r2 ? st->label[s0r2] : 0);
    G1(62, n0l2 ? st->label[n0l2] : 0);
    G3(63, S0->p, W[s0l].p, W[s0l2].p);
    G3(64, S0->p, W[s0r].p, W[s0r2].p);
    G3(65, S0->p, W[s0h].p, W[s0h2].p);
    G3(66, N0->p, W[n0l].p, W[n0l2].p);
    uint64_t s0rs = s0 ? st->rs[s0] : 0, s0ls = s0 ? st->ls[s0] : 0;
    uint64_t n0ls = n0 <= n ? st->ls[n0] : 0;
    F2(67, S0->w, s0rs);
    G2(68, S0->p, s0rs);
    F2(69, S0->w, s0ls);
    G2(70, S0->p, s0ls);
    F2(71, N0->w, n0ls);
    G2(72, N0->p, n0ls);
    /* beyond Zhang & Nivre: the second stack item, whether s0 has a head,
     * and word shapes for unknown words */
    G3(73, W[s1].p, S0->p, N0->p);
    F2(74, W[s1].wp, N0->p);
    G3(75, S0->p, N0->p, hashead);
    G3(76, W[s1].p, S0->p, hashead);
    F2(77, N0->shape, N0->p);
    F2(78, S0->shape, N0->shape);
    /* word clusters and suffixes: evidence that does not depend on the
     * tags being right (clusters have few values: mostly small table) */
    const pword *S1 = &W[s1];
    F2(83, S0->c, N0->c);
    F2(84, S0->c, N0->p);
    F2(85, S0->p, N0->c);
    F3(86, S0->cc, N0->cc, N1->cc);
    F2(87, N0->c, N1->c);
    F3(88, S0->c, N0->c, d);
    F2(89, S0->c, W[s0l].c);
    F2(90, N0->c, W[n0l].c);
    F2(91, S0->c, W[s0r].c);
    F2(92, W[s0h].c, S0->c);
    F2(93, S1->c, S0->c);
    if (pbits_featset(bits) >= 4) {
        /* coarse tags: most of the tagger's errors stay within a coarse
         * class (NN/NNP, VBD/VBN), which these conjunctions do not see */
        G2(100, S0->up, N0->up);
        G3(101, S0->up, N0->up, N1->up);
        F2(102, S0->w, N0->up);
        F2(103, S0->up, N0->w);
        G3(104, S1->up, S0->up, N0->up);
        G3(105, W[s0h].up, S0->up, N0->up);
        G3(118, S0->up, W[s0l].up, N0->up);
        G3(119, S0->up, W[s0r].up, N0->up);
        G3(120, S0->up, N0->up, W[n0l].up);
        G4(121, S0->up, N0->up, N1->up, N2->up);
    }
    return k;
}

int pfeat_label(const pstate *st, const pword *W, int dep, int hd,
                unsigned bits, uint32_t *out)
{
    int k = 0, n = st->n;
    const pword *D = &W[dep], *H = &W[hd];
    uint64_t dir = dep < hd ? 1 : 2;
    uint64_t dist = (uint64_t)dist_bucket(hd - dep);
    int dm1 = dep - 1, dp1 = dep + 1 <= n ? dep + 1 : 0;
    int hm1 = hd - 1, hp1 = hd + 1 <= n ? hd + 1 : 0;
    int gh = st->head[hd] > 0 && st->head[hd] <= n ? st->head[hd] : 0;
    uint64_t hlab = st->label[hd];
    uint64_t hset = dep < hd ? st->ls[hd] : st->rs[hd];
    int dl = st->l1[dep], dr = st->r1[dep];

    G2(1, dir, D->p);
    G2(2, dir, H->p);
    F2(3, dir, D->w);
    F2(4, dir, H->w);
    F2(5, dir, D->wp);
    F2(6, dir, H->wp);
    G3(7, dir, H->p, D->p);
    F3(8, dir, H->w, D->p);
    F3(9, dir, H->p, D->w);
    F3(10, dir, H->w, D->w);
    G4(11, dir, H->p, D->p, dist);
    G3(12, dir, D->p, st->ls[dep]);
    G3(13, dir, D->p, dl ? st->label[dl] : 0);
    G3(14, dir, H->p, hset);
    G4(15, dir, H->p, D->p, hlab);
    G4(16, dir, D->p, W[dm1].p, W[dp1].p);
    G4(17, dir, H->p, W[hm1].p, W[hp1].p);
    G3(18, dir, D->p, st->rs[dep]);
    F3(19, dir, D->sfx, D->p);
    G4(20, dir, H->p, D->p, cap(st->nl[dep], 3));
    G3(21, dir, D->p, W[dl].p);
    G4(22, dir, H->p, D->p, W[gh].p);
    F3(23, dir, D->shape, H->p);
    G4(24, dir, H->p, D->p, W[dr].p);
    F4(25, dir, D->w, H->p, dist);
    G3(26, dir, D->up, H->up);
    G4(27, dir, H->p, D->p, hset);
    F3(28, dir, D->c, H->c);
    F3(29, dir, D->c, H->p);
    F3(30, dir, D->p, H->c);
    G3(31, dir, D->cc, H->cc);
    F3(32, dir, H->sfx, D->p);
    if (pbits_featset(bits) >= 4) {
        /* coarse tags of the pair, of the grandparent and in context;
         * the closest sibling on the same side (its label and tag) and
         * how many there are; the dependent's neighbouring words */
        int sib = dep < hd ? st->l1[hd] : st->r1[hd];
        G3(33, dir, D->up, W[gh].up);
        F4(34, dir, D->w, H->up, W[dp1].p);
        F3(35, dir, D->c, W[dm1].p);
        G4(36, dir, D->up, H->up, dist);
        F3(37, dir, H->w, D->up);
        F3(38, dir, D->w, H->c);
        G4(39, dir, H->p, D->p, sib ? st->label[sib] : 0);
        G4(40, dir, D->p, W[sib].p, sib ? st->label[sib] : 0);
        G4(41, dir, H->p, D->p, cap(dep < hd ? st->nl[hd] : st->nr[hd], 3));
        F3(42, dir, D->wp, W[dp1].w);
        F3(43, dir, W[dm1].w, D->p);
    }
    return k;
}

/* ------------------------------------------------------------ model */

struct parser {
    model_file mf;
    unsigned act_bits, lab_bits;   /* packed: PBITS(big, small, featset) */
    unsigned n_cls, stride;
    const int16_t *act, *lab;
    uint8_t cls_deprel[P_MAX_LABELS];
    uint64_t lmask[2];
    int root_cls;
    pclust cl;
    int avx2;              /* the CPU has AVX2: label sums 8 classes a step */
    int32_t lmaskv[2][P_MAX_LABELS];   /* lmask as lanes: -1 allowed, 0 not */
};

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

casus_status parser_load(casus_ctx *ctx, const char *path, parser **out)
{
    *out = NULL;
    parser *p = mem_alloc(ctx, sizeof *p);
    if (!p)
        return CASUS_ENOMEM;
    memset(p, 0, sizeof *p);
    casus_status rc = model_open(ctx, path, "parser", &p->mf);
    if (rc != CASUS_OK)
        goto fail;
    /* the weight tables are read at random, a few hundred rows per
     * sentence: huge pages spare most of the TLB misses (model.h) */
    if ((rc = model_make_hot(ctx, &p->mf)) != CASUS_OK)
        goto fail;
    const model_section *meta, *labels, *lmask, *act, *lab, *clus;
    if ((rc = model_need(ctx, &p->mf, path, "meta", 32, &meta)) != CASUS_OK ||
        (rc = model_need(ctx, &p->mf, path, "labels", 1, &labels)) != CASUS_OK ||
        (rc = model_need(ctx, &p->mf, path, "lmask", 16, &lmask)) != CASUS_OK ||
        (rc = model_need(ctx, &p->mf, path, "act", 8, &act)) != CASUS_OK ||
        (rc = model_need(ctx, &p->mf, path, "lab", 2, &lab)) != CASUS_OK ||
        (rc = model_need(ctx, &p->mf, path, "clusters", 8, &clus)) != CASUS_OK)
        goto fail;
    rc = CASUS_EFORMAT;
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1) {
        ctx_fail(ctx, rc, "%s: parser models need a little-endian machine",
                 path);
        goto fail;
    }
    uint32_t featset = rd32(meta->data);
    uint32_t ab = rd32(meta->data + 4), lb = rd32(meta->data + 8);
    uint32_t as = rd32(meta->data + 20), ls = rd32(meta->data + 24);
    uint32_t cb = rd32(meta->data + 28);
    p->n_cls = rd32(meta->data + 12);
    p->stride = rd32(meta->data + 16);
    if (featset < PARSER_FEATSET_MIN || featset > PARSER_FEATSET) {
        ctx_fail(ctx, rc, "%s: parser model for feature set %u, this casus "
                          "reads %u to %u; rebuild with `make models`",
                 path, featset, PARSER_FEATSET_MIN, PARSER_FEATSET);
        goto fail;
    }
    if (ab < 4 || ab > 28 || lb < 4 || lb > 28 || as < 4 || as > 28 ||
        ls < 4 || ls > 28 || cb < 1 || cb > 24 || p->n_cls < 2 || p->n_cls > P_MAX_LABELS ||
        p->stride < p->n_cls || p->stride > P_MAX_LABELS || (p->stride & 7) ||
        act->size != (uint64_t)8 * ((1ull << ab) + (1ull << as)) ||
        lab->size != (uint64_t)2 * p->stride * ((1ull << lb) + (1ull << ls)) ||
        clus->size != (uint64_t)8 << cb) {
        ctx_fail(ctx, rc, "%s: corrupted parser model (bad table sizes)", path);
        goto fail;
    }
    p->act_bits = PBITS(ab, as, featset);
    p->cl.slot = (const uint64_t *)(const void *)clus->data;
    p->cl.bits = cb;
    /* a full table would make a lookup of an absent word loop forever */
    size_t used = 0;
    for (size_t i = 0; i < ((size_t)1 << cb); i++)
        used += p->cl.slot[i] != 0;
    if (used == (size_t)1 << cb) {
        ctx_fail(ctx, rc, "%s: corrupted parser model (cluster table full)", path);
        goto fail;
    }
    p->lab_bits = PBITS(lb, ls, featset);
    /* label names: classes 1..n_cls-1 */
    const char *s = (const char *)labels->data, *end = s + labels->size;
    p->root_cls = -1;
    for (unsigned c = 1; c < p->n_cls; c++) {
        const char *z = memchr(s, '\0', (size_t)(end - s));
        if (!z) {
            ctx_fail(ctx, rc, "%s: corrupted parser model (label table)", path);
            goto fail;
        }
        int id = ud_deprel_id(s, (size_t)(z - s));
        if (id <= 0) {
            ctx_fail(ctx, rc, "%s: parser model uses unknown relation '%.*s'",
                     path, (int)(z - s), s);
            goto fail;
        }
        p->cls_deprel[c] = (uint8_t)id;
        if (strcmp(s, "root") == 0)
            p->root_cls = (int)c;
        s = z + 1;
    }
    if (p->root_cls < 0) {
        ctx_fail(ctx, rc, "%s: parser model lacks the 'root' relation", path);
        goto fail;
    }
    uint64_t all = p->n_cls >= 64 ? ~0ull : (1ull << p->n_cls) - 1;
    p->lmask[0] = rd64(lmask->data) & all & ~(1ull << p->root_cls) & ~1ull;
    p->lmask[1] = rd64(lmask->data + 8) & all & ~(1ull << p->root_cls) & ~1ull;
#if PARSE_AVX2
    p->avx2 = __builtin_cpu_supports("avx2") != 0;
#endif
    if (!p->lmask[0] || !p->lmask[1]) {
        ctx_fail(ctx, rc, "%s: corrupted parser model (label masks)", path);
        goto fail;
    }
    for (unsigned d = 0; d < 2; d++)
        for (unsigned c = 0; c < P_MAX_LABELS; c++)
            p->lmaskv[d][c] = (p->lmask[d] >> c & 1) ? -1 : 0;
    p->act = (const int16_t *)(const void *)act->data;
    p->lab = (const int16_t *)(const void *)lab->data;
    *out = p;
    return CASUS_OK;
fail:
    model_close(ctx, &p->mf);
    mem_free(ctx, p);
    return rc;
}

void parser_free(casus_ctx *ctx, parser *p)
{
    if (!p)
        return;
    model_close(ctx, &p->mf);
    mem_free(ctx, p);
}

#if PARSE_AVX2
/* The label scores sc[0..8 nch) = sum of the nf rows f[] of lab (rows of
 * 8 nch weights, nch 7 or 8), with AVX2: row by row with the sums in
 * registers, one instruction sign-extending 8 weights (the SSE2 loop below
 * needs five); the sums are the same integers. Written out because -O2
 * would keep an array of sums in memory. */
__attribute__((target("avx2"), always_inline))
static inline void label_sums_n(const int16_t *lab, const uint32_t *f, int nf,
                                unsigned nch, int32_t *sc)
{
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
            a5 = a0, a6 = a0, a7 = a0;
#define LSUM(c) \
    a##c = _mm256_add_epi32(a##c, _mm256_cvtepi16_epi32(_mm_loadu_si128( \
                                      (const __m128i *)(const void *)(row + 8 * (c)))))
    for (int i = 0; i < nf; i++) {
        const int16_t *row = lab + (size_t)f[i] * nch * 8;
        LSUM(0);
        LSUM(1);
        LSUM(2);
        LSUM(3);
        LSUM(4);
        LSUM(5);
        LSUM(6);
        if (nch == 8)
            LSUM(7);
    }
#undef LSUM
    __m256i *out = (__m256i *)(void *)sc;
    _mm256_storeu_si256(out, a0);
    _mm256_storeu_si256(out + 1, a1);
    _mm256_storeu_si256(out + 2, a2);
    _mm256_storeu_si256(out + 3, a3);
    _mm256_storeu_si256(out + 4, a4);
    _mm256_storeu_si256(out + 5, a5);
    _mm256_storeu_si256(out + 6, a6);
    if (nch == 8)
        _mm256_storeu_si256(out + 7, a7);
}

/* The first class with the highest score among the allowed ones (lanes of
 * lm -1), as the scalar loop in label_pick finds it: the maximum of the
 * allowed scores, then the first allowed lane equal to it. Scores are sums
 * of at most P_LAB_TEMPLATES 16-bit weights, never INT32_MIN, and one
 * class at least is allowed. */
__attribute__((target("avx2")))
static int label_best_avx2(const int32_t *sc, const int32_t *lm, unsigned stride)
{
    const __m256i none = _mm256_set1_epi32(INT32_MIN);
    __m256i v[P_MAX_LABELS / 8], mx = none;
    for (unsigned c = 0; c < stride / 8; c++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(sc + 8 * c));
        __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)(lm + 8 * c));
        v[c] = _mm256_blendv_epi8(none, x, m);
        mx = _mm256_max_epi32(mx, v[c]);
    }
    mx = _mm256_max_epi32(mx, _mm256_permute2x128_si256(mx, mx, 1));
    mx = _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0x4E));
    mx = _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0xB1));
    for (unsigned c = 0; c < stride / 8; c++) {
        int bits = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v[c], mx)));
        if (bits)
            return (int)(8 * c) + __builtin_ctz((unsigned)bits);
    }
    return -1;
}

__attribute__((target("avx2")))
static void label_sums_avx2(const int16_t *lab, const uint32_t *f, int nf,
                            unsigned stride, int32_t *sc)
{
    switch (stride / 8) {
    case 7:     /* the shipped models: 52 classes */
        label_sums_n(lab, f, nf, 7, sc);
        break;
    case 8:
        label_sums_n(lab, f, nf, 8, sc);
        break;
    default:
        for (unsigned c = 0; c < stride; c += 8) {
            __m256i acc = _mm256_setzero_si256();
            for (int i = 0; i < nf; i++) {
                const int16_t *row = lab + (size_t)f[i] * stride + c;
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)row);
                acc = _mm256_add_epi32(acc, _mm256_cvtepi16_epi32(x));
            }
            _mm256_storeu_si256((__m256i *)(void *)(sc + c), acc);
        }
        break;
    }
}
#endif

/* The best label class among mask for arc hd -> dep. */
static int best_label(const parser *p, const pstate *st, const pword *W,
                      int dep, int hd)
{
    uint32_t f[P_LAB_TEMPLATES];
    int nf = pfeat_label(st, W, dep, hd, p->lab_bits, f);
    int32_t sc[P_MAX_LABELS];
    unsigned stride = p->stride;
    memset(sc, 0, sizeof sc);
    /* rows are 2-3 cache lines (the middle one too: a row of 112 bytes
     * spans three when it starts past byte 16 of a line): start every read
     * before the first sum; the
     * stride is a multiple of 8, so the sums go 8 classes at a time */
    for (int i = 0; i < nf; i++) {
        const int16_t *row = p->lab + (size_t)f[i] * stride;
        __builtin_prefetch(row);
        __builtin_prefetch(row + stride / 2);
        __builtin_prefetch(row + stride - 1);
    }
#if PARSE_AVX2
    if (p->avx2) {
        label_sums_avx2(p->lab, f, nf, stride, sc);
        return label_best_avx2(sc, p->lmaskv[dep < hd ? 0 : 1], stride);
    }
#endif
#if defined(__SSE2__)
    __m128i acc[P_MAX_LABELS / 4];
    for (unsigned c = 0; c < stride / 4; c++)
        acc[c] = _mm_setzero_si128();
    for (int i = 0; i < nf; i++) {
        const int16_t *row = p->lab + (size_t)f[i] * stride;
        for (unsigned c = 0; c < stride; c += 8) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(row + c));
            /* sign-extend 8 x i16 to two 4 x i32 */
            __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 16);
            __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(x, x), 16);
            acc[c / 4] = _mm_add_epi32(acc[c / 4], lo);
            acc[c / 4 + 1] = _mm_add_epi32(acc[c / 4 + 1], hi);
        }
    }
    for (unsigned c = 0; c < stride / 4; c++)
        _mm_storeu_si128((__m128i *)(void *)(sc + 4 * c), acc[c]);
#else
    for (int i = 0; i < nf; i++) {
        const int16_t *row = p->lab + (size_t)f[i] * stride;
        for (unsigned c = 0; c < stride; c++)
            sc[c] += row[c];
    }
#endif
    uint64_t mask = p->lmask[dep < hd ? 0 : 1];
    int best = -1;
    for (unsigned c = 1; c < p->n_cls; c++)
        if ((mask >> c & 1) && (best < 0 || sc[c] > sc[best]))
            best = (int)c;
    return best;
}

#define SMALL_N 128
#define ROLE_BYTES ((size_t)P_NROLES * P_NACT * 4)

/* The action scores of word x in role r: cached, or, when its features
 * are in f (nf of them, their reads started earlier), summed now. */
static inline const int32_t *role_scores(const parser *p, int32_t *rsc,
                                         uint16_t *done, int x, int r,
                                         const uint32_t *f, int nf)
{
    int32_t *v = rsc + ((size_t)x * P_NROLES + (size_t)r) * P_NACT;
    if (!(done[x] >> r & 1)) {
        v[0] = v[1] = v[2] = v[3] = 0;
        for (int i = 0; i < nf; i++) {
            const int16_t *row = p->act + (size_t)f[i] * P_NACT;
            v[0] += row[0];
            v[1] += row[1];
            v[2] += row[2];
            v[3] += row[3];
        }
        done[x] = (uint16_t)(done[x] | 1u << r);
    }
    return v;
}

casus_status parser_run(casus_ctx *ctx, const parser *p, casus_token *words,
                        size_t n)
{
    if (n == 0)
        return CASUS_OK;
    if (n > (size_t)INT32_MAX / 2 - 4)
        return ctx_fail(ctx, CASUS_ENOMEM, "sentence too long to parse (%zu "
                                           "words)", n);
    /* most sentences fit in this stack buffer: no allocation per sentence */
    uint64_t small[((SMALL_N + 2) * (sizeof(pword) + ROLE_BYTES + 2 + 48) + 64) / 8];
    size_t m = n + 2;
    size_t need = m * sizeof(pword) + m * ROLE_BYTES + align8(m * 2) + pstate_bytes(n);
    void *mem = small;
    if (need > sizeof small) {
        mem = mem_alloc(ctx, need);
        if (!mem)
            return CASUS_ENOMEM;
    }
    pword *W = mem;
    /* scores of words in roles, computed when first needed */
    int32_t *rsc = (int32_t *)(void *)((char *)mem + m * sizeof(pword));
    uint16_t *done = (uint16_t *)(void *)((char *)rsc + m * ROLE_BYTES);
    memset(done, 0, m * 2);
    pstate st;
    pstate_init(&st, (char *)done + align8(m * 2), (int)n);
    pword_fill(W, words, (int)n, &p->cl);

    uint32_t f[P_ACT_TEMPLATES];
    while (!pstate_done(&st)) {
        unsigned legal = pstate_legal(&st);
        int a;
        if ((legal & (legal - 1)) == 0) {
            a = legal == (1u << P_SHIFT) ? P_SHIFT
                : legal == (1u << P_REDUCE) ? P_REDUCE
                : legal == (1u << P_LEFT) ? P_LEFT : P_RIGHT;
        } else {
            /* the state's rows are mostly in the large part of the table,
             * out of the core's caches: every read is started before the
             * first sum (and the cached role scores are added meanwhile),
             * so the misses overlap instead of filling the reorder window
             * a few at a time */
            int nf = pfeat_state(&st, W, p->act_bits, f);
            for (int i = 0; i < nf; i++)
                __builtin_prefetch(p->act + (size_t)f[i] * P_NACT);
            int who[P_NROLES];
            pstate_roles(&st, who);
            /* and the rows of words in roles not scored yet */
            uint32_t rf[P_NROLES][P_ROLE_FEATS];
            int rn[P_NROLES];
            for (int r = 0; r < P_NROLES; r++) {
                rn[r] = 0;
                if (done[who[r]] >> r & 1)
                    continue;
                rn[r] = pfeat_role(&W[who[r]], r, p->act_bits, rf[r]);
                for (int i = 0; i < rn[r]; i++)
                    __builtin_prefetch(p->act + (size_t)rf[r][i] * P_NACT);
            }
            int32_t sc[P_NACT] = {0, 0, 0, 0};
#if defined(__SSE2__)
            /* the four scores in one register: a row is one 8-byte load
             * widened to 4 x i32 (the same integer sums) */
            __m128i acc = _mm_setzero_si128();
            for (int r = 0; r < P_NROLES; r++) {
                const int32_t *v = role_scores(p, rsc, done, who[r], r, rf[r], rn[r]);
                acc = _mm_add_epi32(acc, _mm_loadu_si128((const __m128i *)(const void *)v));
            }
            for (int i = 0; i < nf; i++) {
                __m128i x = _mm_loadl_epi64(
                    (const __m128i *)(const void *)(p->act + (size_t)f[i] * P_NACT));
                acc = _mm_add_epi32(acc, _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 16));
            }
            _mm_storeu_si128((__m128i *)(void *)sc, acc);
#else
            for (int r = 0; r < P_NROLES; r++) {
                const int32_t *v = role_scores(p, rsc, done, who[r], r, rf[r], rn[r]);
                sc[0] += v[0];
                sc[1] += v[1];
                sc[2] += v[2];
                sc[3] += v[3];
            }
            for (int i = 0; i < nf; i++) {
                const int16_t *row = p->act + (size_t)f[i] * P_NACT;
                sc[0] += row[0];
                sc[1] += row[1];
                sc[2] += row[2];
                sc[3] += row[3];
            }
#endif
            a = -1;
            for (int c = 0; c < P_NACT; c++)
                if ((legal >> c & 1) && (a < 0 || sc[c] > sc[a]))
                    a = c;
        }
        int lab = 0;
        if (a == P_LEFT || a == P_RIGHT) {
            int dep, hd;
            pstate_arc(&st, a, &dep, &hd);
            lab = hd > (int)n ? p->root_cls : best_label(p, &st, W, dep, hd);
        }
        pstate_apply(&st, a, lab);
    }
    /* one root: the leftmost word attached to the root keeps it */
    int root = 0;
    for (int i = 1; i <= (int)n; i++) {
        if (st.head[i] != (int)n + 1)
            continue;
        if (!root) {
            root = i;
            continue;
        }
        st.head[i] = root;
        st.label[i] = (uint8_t)best_label(p, &st, W, i, root);
    }
    for (size_t i = 0; i < n; i++) {
        int h = st.head[i + 1];
        words[i].head = h > (int)n ? 0 : h;
        words[i].deprel = p->cls_deprel[st.label[i + 1]];
    }
    if (mem != small)
        mem_free(ctx, mem);
    return CASUS_OK;
}
