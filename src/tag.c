/*
 * tag.c - the part-of-speech tagger (see tag.h): feature extraction shared
 * with the trainer, model loading, and greedy left-to-right decoding.
 *
 * Pipeline position: after sentence.c, before lemma.c and parse.c; driven
 * per sentence by models.c.
 *
 * The model holds three open-addressing hash tables, all mapped straight
 * from the file (nothing is built at load time):
 *   features  key -> a run of (label, int16 weight) entries: the averaged
 *             perceptron weights in units of one quantum, zeros dropped, so
 *             a rare feature costs a few 4-byte entries; a feature with
 *             weights for many labels has a dense float row instead, added
 *             with vector instructions. Slots are 8 bytes (a 32-bit check
 *             of the key and a packed offset/count) so the hot table stays
 *             small: the tagger is bound by these lookups' cache misses;
 *   tagdict   exact form -> label for frequent words that (almost) always
 *             take one label; these skip scoring altogether;
 *   clusters  the lexicon: lowercased form -> word cluster and
 *             capitalisation class learned from unlabelled text
 *             (tools/train_clusters.c) and the word's ambiguity class (the
 *             set of labels it took in training), all used as features;
 *             the ambiguity classes of the next two words stand in for
 *             their labels, which greedy left-to-right decoding lacks.
 * A word costs one table probe per feature and an add per entry.
 */
#include "tag.h"

#include <string.h>

#include "ctx.h"
#include "model.h"
#include "ud.h"
#include "util/mem.h"

/* AVX code is compiled for x86-64 with GCC or Clang and used only when the
 * CPU has it (checked once on load), so the build needs no -march. */
#if defined(__x86_64__) && defined(__GNUC__)
#define TAG_AVX 1
#include <immintrin.h>
#else
#define TAG_AVX 0
#endif

struct tagger {
    model_file mf;
    unsigned n_labels;
    uint8_t upos[256], xpos[256];   /* label -> ud.h ids */
    const tag_slot *feat;
    uint64_t feat_mask;
    const tag_entry *ent;
    uint64_t n_ent;
    const float *dense;         /* rows of n_labels weights */
    uint64_t n_dense;
    const tag_dslot *dict;
    uint64_t dict_mask;
    const tag_dslot *clus;
    uint64_t clus_mask;
    int avx;                    /* the CPU has AVX: dense rows 8 a step */
};

/* ------------------------------------------------------------ hashing */

static inline uint64_t mix64(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    return h;
}

uint64_t tag_hash(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    h = mix64(h);
    return h ? h : 1;
}

static inline uint64_t feat(unsigned tmpl, uint64_t v)
{
    uint64_t h = mix64(v + (uint64_t)(tmpl + 1) * 0x9E3779B97F4A7C15ull);
    return h ? h : 1;
}

static inline uint64_t feat2(unsigned tmpl, uint64_t a, uint64_t b)
{
    return feat(tmpl, a * 0xff51afd7ed558ccdull + (b ^ (b >> 29)));
}

uint64_t tag_cluster_key(uint64_t lower)
{
    return feat(200, lower);
}

static char lower_byte(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c + 32);
    if (c >= '0' && c <= '9')
        return '0';
    return c;
}

void tag_word_init(tag_word *w, const char *p, size_t n, int first)
{
    char low[64], shape[32];
    size_t ln = n < sizeof low ? n : sizeof low;
    size_t sn = 0;
    uint32_t fl = first ? TAGW_FIRST : 0;
    unsigned letters = 0, uppers = 0;
    char last = 0;
    int run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        unsigned char u = (unsigned char)c;
        char s;
        if (c >= 'A' && c <= 'Z') {
            s = 'X';
            uppers++;
            letters++;
        } else if (c >= 'a' && c <= 'z') {
            s = 'x';
            letters++;
        } else if (c >= '0' && c <= '9') {
            s = 'd';
            fl |= TAGW_DIGIT;
        } else if (u >= 0x80) {
            s = 'u';
            fl |= TAGW_NONASCII;
        } else {
            s = c;
            if (c == '-')
                fl |= TAGW_HYPHEN;
            else if (c == '.')
                fl |= TAGW_PERIOD;
        }
        if (s == last) {
            run++;
        } else {
            run = 1;
            last = s;
        }
        if (run <= 2 && sn < sizeof shape && !(u >= 0x80 && u < 0xC0))
            shape[sn++] = s;
        if (i < ln)
            low[i] = lower_byte(c);
    }
    if (uppers)
        fl |= TAGW_UPPER;
    if (uppers >= 2 && uppers == letters)
        fl |= TAGW_ALLUP;
    if (n && p[0] >= 'A' && p[0] <= 'Z')
        fl |= TAGW_INITUP;
    w->flags = fl;
    w->form = tag_hash(p, n);
    w->lower = n <= sizeof low ? tag_hash(low, ln) : tag_hash(p, n);
    w->shape = tag_hash(shape, sn);
    for (size_t k = 0; k < 5; k++)
        w->suf[k] = k < ln ? tag_hash(low + ln - k - 1, k + 1) : w->lower;
    for (size_t k = 0; k < 3; k++)
        w->pre[k] = k < ln ? tag_hash(low, k + 1) : w->lower;
    w->cluster = 0;
    w->amb = TAG_AMB_UNKNOWN;
    w->capc = 0;
}

static const tag_word *word_at(const tag_word *ws, size_t n, size_t i,
                               long d)
{
    static const tag_word start = {2, 2, 2, {2, 2, 2, 2, 2}, {2, 2, 2}, 2, 2, 0, 0};
    static const tag_word end = {3, 3, 3, {3, 3, 3, 3, 3}, {3, 3, 3}, 3, 3, 0, 0};
    long j = (long)i + d;
    if (j < 0)
        return &start;
    if ((size_t)j >= n)
        return &end;
    return &ws[j];
}

size_t tag_features_static(const tag_word *ws, size_t n, size_t i,
                           uint64_t *out)
{
    const tag_word *w = &ws[i];
    const tag_word *m1 = word_at(ws, n, i, -1), *m2 = word_at(ws, n, i, -2);
    const tag_word *n1 = word_at(ws, n, i, 1), *n2 = word_at(ws, n, i, 2);
    size_t k = 0;
    out[k++] = feat(0, 0);
    out[k++] = feat(1, w->form);
    out[k++] = feat(2, w->lower);
    for (unsigned s = 0; s < 5; s++)
        out[k++] = feat(3 + s, w->suf[s]);
    for (unsigned s = 0; s < 3; s++)
        out[k++] = feat(8 + s, w->pre[s]);
    out[k++] = feat(11, w->shape);
    out[k++] = feat(12, w->flags);
    out[k++] = feat(17, m1->lower);
    out[k++] = feat(18, m2->lower);
    out[k++] = feat(19, n1->lower);
    out[k++] = feat(20, n2->lower);
    out[k++] = feat(21, m1->suf[2]);
    out[k++] = feat(22, n1->suf[2]);
    out[k++] = feat2(23, m1->lower, w->lower);
    out[k++] = feat2(24, w->lower, n1->lower);
    out[k++] = feat(25, n1->shape);
    out[k++] = feat(26, m1->shape);
    out[k++] = feat2(28, n1->lower, n2->lower);
    out[k++] = feat(29, n1->suf[0]);
    if (w->cluster) {
        out[k++] = feat(30, w->cluster);
        out[k++] = feat(31, w->cluster >> 10);
    }
    if (n1->cluster)
        out[k++] = feat(33, n1->cluster);
    if (m1->cluster)
        out[k++] = feat(34, m1->cluster);
    if (n2->cluster)
        out[k++] = feat(35, n2->cluster);
    /* Ambiguity classes: what the next words can be, a cheap stand-in for
     * their (not yet predicted) labels. */
    out[k++] = feat(36, w->amb);
    out[k++] = feat(37, n1->amb);
    out[k++] = feat(38, n2->amb);
    out[k++] = feat2(39, n1->amb, n2->amb);
    out[k++] = feat2(40, w->amb, n1->amb);
    out[k++] = feat2(41, w->lower, n1->amb);
    /* Capitalisation: as written here, against how the word is usually
     * written in running text (proper noun or not). */
    out[k++] = feat2(44, w->capc, w->flags & (TAGW_INITUP | TAGW_ALLUP | TAGW_FIRST));
    return k;
}

size_t tag_features_dynamic(const tag_word *ws, size_t n, size_t i,
                            unsigned p1, unsigned p2, uint64_t *out)
{
    const tag_word *w = &ws[i];
    (void)n;
    size_t k = 0;
    out[k++] = feat(13, p1);
    out[k++] = feat(14, p2);
    out[k++] = feat(15, (uint64_t)p1 << 8 | p2);
    out[k++] = feat2(16, p1, w->lower);
    out[k++] = feat2(27, p1, w->suf[2]);
    if (w->cluster)
        out[k++] = feat2(32, p1, w->cluster);
    out[k++] = feat2(42, p1, w->amb);
    out[k++] = feat2(43, (uint64_t)p1 << 8 | p2, w->amb);
    return k;
}

size_t tag_features(const tag_word *ws, size_t n, size_t i, unsigned p1,
                    unsigned p2, uint64_t *out)
{
    size_t k = tag_features_static(ws, n, i, out);
    return k + tag_features_dynamic(ws, n, i, p1, p2, out + k);
}

/* ------------------------------------------------------------ the model */

static int pow2_table(uint64_t bytes, size_t slot, uint32_t bits)
{
    return bits < 32 && bytes == ((uint64_t)1 << bits) * slot;
}

casus_status tag_load(casus_ctx *ctx, const char *path, tagger **out)
{
    *out = NULL;
    tagger *t = mem_alloc(ctx, sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, sizeof *t);
    casus_status st = model_open(ctx, path, "tagger", &t->mf);
    if (st != CASUS_OK) {
        mem_free(ctx, t);
        return st;
    }
    if ((st = model_make_hot(ctx, &t->mf)) != CASUS_OK)
        goto fail;
    const model_section *par, *lab, *fs, *es, *ds, *cs, *dn;
    if ((st = model_need(ctx, &t->mf, path, "params", 4, &par)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "labels", 1, &lab)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "features", sizeof(tag_slot), &fs)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "weights", sizeof(tag_entry), &es)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "tagdict", sizeof(tag_dslot), &ds)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "clusters", sizeof(tag_dslot), &cs)) != CASUS_OK ||
        (st = model_need(ctx, &t->mf, path, "dense", sizeof(float), &dn)) != CASUS_OK)
        goto fail;
    st = CASUS_EFORMAT;
    if (par->size < TAG_PARAMS * 4) {
        ctx_fail(ctx, st, "%s: tagger parameters too short", path);
        goto fail;
    }
    uint32_t prm[TAG_PARAMS];
    memcpy(prm, par->data, sizeof prm);
    if (prm[TAGP_FEATURE_SET] != TAG_FEATURE_SET) {
        ctx_fail(ctx, st, "%s: tagger feature set %u is not the one this casus "
                          "uses (%u); rebuild with `make models`", path,
                 prm[TAGP_FEATURE_SET], TAG_FEATURE_SET);
        goto fail;
    }
    if (prm[TAGP_NLABELS] == 0 || prm[TAGP_NLABELS] >= TAG_START1 ||
        !pow2_table(fs->size, sizeof(tag_slot), prm[TAGP_FEAT_BITS]) ||
        !pow2_table(ds->size, sizeof(tag_dslot), prm[TAGP_DICT_BITS]) ||
        !pow2_table(cs->size, sizeof(tag_dslot), prm[TAGP_CLUSTER_BITS])) {
        ctx_fail(ctx, st, "%s: corrupted tagger (bad table sizes)", path);
        goto fail;
    }
    t->n_labels = prm[TAGP_NLABELS];
#if TAG_AVX
    t->avx = __builtin_cpu_supports("avx") != 0;
#endif
    /* Labels: n_labels NUL-terminated "UPOS XPOS" strings. */
    const char *lp = (const char *)lab->data, *le = lp + lab->size;
    for (unsigned i = 0; i < t->n_labels; i++) {
        const char *nul = memchr(lp, '\0', (size_t)(le - lp));
        const char *sp = nul ? memchr(lp, ' ', (size_t)(nul - lp)) : NULL;
        int u = sp ? ud_upos_id(lp, (size_t)(sp - lp)) : -1;
        int x = sp ? ud_xpos_id(sp + 1, (size_t)(nul - sp - 1)) : -1;
        if (u < 0 || x < 0) {
            ctx_fail(ctx, st, "%s: tagger label %u is not a known UPOS XPOS "
                              "pair", path, i);
            goto fail;
        }
        t->upos[i] = (uint8_t)u;
        t->xpos[i] = (uint8_t)x;
        lp = nul + 1;
    }
    t->feat = (const tag_slot *)(const void *)fs->data;
    t->feat_mask = ((uint64_t)1 << prm[TAGP_FEAT_BITS]) - 1;
    t->ent = (const tag_entry *)(const void *)es->data;
    t->n_ent = es->size / sizeof(tag_entry);
    t->dense = (const float *)(const void *)dn->data;
    t->n_dense = dn->size / sizeof(float) / t->n_labels;
    t->dict = (const tag_dslot *)(const void *)ds->data;
    t->dict_mask = ((uint64_t)1 << prm[TAGP_DICT_BITS]) - 1;
    t->clus = (const tag_dslot *)(const void *)cs->data;
    t->clus_mask = ((uint64_t)1 << prm[TAGP_CLUSTER_BITS]) - 1;
    /* Every run must lie inside the weights and name a real label; checked
     * once here so decoding needs no bounds checks. */
    for (uint64_t i = 0; i <= t->feat_mask; i++) {
        const tag_slot *s = &t->feat[i];
        uint32_t off = s->offn >> 8, n = s->offn & 255;
        if (!s->check)
            continue;
        if (n == TAG_DENSE ? off >= t->n_dense
                           : off > t->n_ent || n > t->n_ent - off) {
            ctx_fail(ctx, st, "%s: corrupted tagger (weights out of bounds)",
                     path);
            goto fail;
        }
    }
    for (uint64_t i = 0; i < t->n_ent; i++)
        if (t->ent[i].label >= t->n_labels) {
            ctx_fail(ctx, st, "%s: corrupted tagger (bad label)", path);
            goto fail;
        }
    for (uint64_t i = 0; i <= t->dict_mask; i++)
        if (t->dict[i].key && t->dict[i].value >= t->n_labels) {
            ctx_fail(ctx, st, "%s: corrupted tagger (bad tag dictionary)", path);
            goto fail;
        }
    *out = t;
    return CASUS_OK;
fail:
    model_close(ctx, &t->mf);
    mem_free(ctx, t);
    return st;
}

void tag_free(casus_ctx *ctx, tagger *t)
{
    if (!t)
        return;
    model_close(ctx, &t->mf);
    mem_free(ctx, t);
}

const char *tag_version(const tagger *t)
{
    return t->mf.version;
}

void tag_work_free(casus_ctx *ctx, tag_work *wk)
{
    mem_free(ctx, wk->w);
    mem_free(ctx, wk->score);
    mem_free(ctx, wk->slot);
    mem_free(ctx, wk->nslot);
    memset(wk, 0, sizeof *wk);
}

/* Probe an open-addressing table; NULL when absent. Tables are never full
 * (the trainer keeps them at most half full), but a corrupt one might be:
 * the probe stops after visiting every slot. */
static const tag_slot *find_feat(const tagger *t, uint64_t key)
{
    uint64_t m = t->feat_mask, i = (key >> 20) & m;
    uint32_t c = tag_check(key);
    for (uint64_t step = 0; step <= m; step++, i = (i + 1) & m) {
        const tag_slot *s = &t->feat[i];
        if (s->check == c)
            return s;
        if (!s->check)
            return NULL;
    }
    return NULL;
}

static const tag_dslot *find_d(const tag_dslot *tab, uint64_t m, uint64_t key)
{
    uint64_t i = (key >> 20) & m;
    for (uint64_t step = 0; step <= m; step++, i = (i + 1) & m) {
        if (tab[i].key == key)
            return &tab[i];
        if (!tab[i].key)
            return NULL;
    }
    return NULL;
}

/* score += row, L floats, four at a time with GCC/Clang vector types where
 * available (a scalar loop here was a third of the tagger's time, and -O2
 * does not vectorize it); memcpy makes the loads and stores unaligned-safe
 * and compiles to single vector moves. */
#if defined(__GNUC__)
typedef float tag_v4 __attribute__((vector_size(16)));
static inline void add_row(float *score, const float *row, unsigned L)
{
    unsigned l = 0;
    for (; l + 8 <= L; l += 8) {
        tag_v4 a, b, c, d;
        memcpy(&a, score + l, sizeof a);
        memcpy(&b, row + l, sizeof b);
        memcpy(&c, score + l + 4, sizeof c);
        memcpy(&d, row + l + 4, sizeof d);
        a += b;
        c += d;
        memcpy(score + l, &a, sizeof a);
        memcpy(score + l + 4, &c, sizeof c);
    }
    for (; l < L; l++)
        score[l] += row[l];
}
#else
static inline void add_row(float *score, const float *row, unsigned L)
{
    for (unsigned l = 0; l < L; l++)
        score[l] += row[l];
}
#endif

#if TAG_AVX
/* score += rows[0], then rows[1], ...: each score gets the same additions
 * in the same order as when the rows are added one by one, so the sums are the same
 * floats, but a chunk of scores stays in a register across the rows
 * instead of going through memory between them. */
__attribute__((target("avx")))
static void add_rows_avx(float *score, const float *const *rows, size_t nr,
                         unsigned L)
{
    unsigned l = 0;
    for (; l + 16 <= L; l += 16) {
        __m256 a = _mm256_loadu_ps(score + l), b = _mm256_loadu_ps(score + l + 8);
        for (size_t r = 0; r < nr; r++) {
            a = _mm256_add_ps(a, _mm256_loadu_ps(rows[r] + l));
            b = _mm256_add_ps(b, _mm256_loadu_ps(rows[r] + l + 8));
        }
        _mm256_storeu_ps(score + l, a);
        _mm256_storeu_ps(score + l + 8, b);
    }
    for (; l + 8 <= L; l += 8) {
        __m256 a = _mm256_loadu_ps(score + l);
        for (size_t r = 0; r < nr; r++)
            a = _mm256_add_ps(a, _mm256_loadu_ps(rows[r] + l));
        _mm256_storeu_ps(score + l, a);
    }
    for (; l < L; l++)
        for (size_t r = 0; r < nr; r++)
            score[l] += rows[r][l];
}
#endif

/* Adds the weights of the n feature slots sl, in order, to score. */
static void add_feats(const tagger *t, const tag_slot *const *sl, size_t n,
                      float *score)
{
    const unsigned L = t->n_labels;
    for (size_t k = 0; k < n;) {
        const tag_slot *s = sl[k];
        uint32_t off = s->offn >> 8, m = s->offn & 255;
        if (m != TAG_DENSE) {
            const tag_entry *e = t->ent + off;
            for (uint32_t j = 0; j < m; j++)
                score[e[j].label] += (float)e[j].w;
            k++;
            continue;
        }
#if TAG_AVX
        if (t->avx) {
            /* a run of dense rows in one pass */
            const float *rows[TAG_MAX_FEATS];
            size_t nr = 0;
            while (k < n && (sl[k]->offn & 255) == TAG_DENSE)
                rows[nr++] = t->dense + (size_t)(sl[k++]->offn >> 8) * L;
            add_rows_avx(score, rows, nr, L);
            continue;
        }
#endif
        add_row(score, t->dense + (size_t)off * L, L);
        k++;
    }
}

static inline uint64_t slot_of(uint64_t key, uint64_t mask)
{
    return (key >> 20) & mask;
}

/* Every per-word array holds at least wk->cap words; each grows by
 * mem_grow (doubling) from the same capacity, so they stay in step, and a
 * failure leaves wk->cap at what all of them hold. */
static casus_status work_reserve(casus_ctx *ctx, const tagger *t,
                                 tag_work *wk, size_t n)
{
    if (n <= wk->cap)
        return CASUS_OK;
    size_t c[2] = {wk->cap, wk->cap};
    if (mem_grow(ctx, (void **)&wk->w, &c[0], n, sizeof *wk->w) != CASUS_OK ||
        mem_grow(ctx, (void **)&wk->nslot, &c[1], n, 1) != CASUS_OK ||
        mem_grow(ctx, (void **)&wk->score, &wk->cap_score, c[0] * t->n_labels,
                 sizeof *wk->score) != CASUS_OK ||
        mem_grow(ctx, (void **)&wk->slot, &wk->cap_slot, c[0] * TAG_MAX_STATIC,
                 sizeof *wk->slot) != CASUS_OK)
        return CASUS_ENOMEM;
    wk->cap = c[0];
    return CASUS_OK;
}

#if TAG_AVX
/* The first label with the highest score, as the scalar loop in decide
 * finds it: the maximum, then the first score equal to it. Scores are
 * finite sums from +0, so never NaN or -0. */
__attribute__((target("avx")))
static unsigned argmax_avx(const float *score, unsigned L)
{
    float best = score[0];
    unsigned l = 0;
    if (L >= 8) {
        __m256 m = _mm256_loadu_ps(score);
        for (l = 8; l + 8 <= L; l += 8)
            m = _mm256_max_ps(m, _mm256_loadu_ps(score + l));
        m = _mm256_max_ps(m, _mm256_permute2f128_ps(m, m, 1));
        m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0x4E));
        m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0xB1));
        best = _mm256_cvtss_f32(m);
    }
    for (; l < L; l++)
        if (score[l] > best)
            best = score[l];
    const __m256 b = _mm256_set1_ps(best);
    for (l = 0; l + 8 <= L; l += 8) {
        int bits = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(score + l), b, _CMP_EQ_OQ));
        if (bits)
            return l + (unsigned)__builtin_ctz((unsigned)bits);
    }
    for (; l < L && score[l] != best; l++)
        ;
    return l;
}
#endif

/* The best label of word i (not in the tag dictionary): its static scores
 * plus the features of the two labels before it. */
static unsigned decide(const tagger *t, tag_work *wk, size_t n, size_t i,
                       unsigned p1, unsigned p2)
{
    const unsigned L = t->n_labels;
    uint64_t f[TAG_MAX_FEATS];
    float *score = wk->score + i * L;
    size_t nf = tag_features_dynamic(wk->w, n, i, p1, p2, f);
    for (size_t k = 0; k < nf; k++)
        __builtin_prefetch(&t->feat[slot_of(f[k], t->feat_mask)]);
    /* every slot first, so that the weights' reads overlap */
    const tag_slot *sl[TAG_MAX_FEATS];
    size_t ns = 0;
    for (size_t k = 0; k < nf; k++) {
        const tag_slot *s = find_feat(t, f[k]);
        if (s) {
            if ((s->offn & 255) != TAG_DENSE)
                __builtin_prefetch(t->ent + (s->offn >> 8));
            sl[ns++] = s;
        }
    }
    add_feats(t, sl, ns, score);
#if TAG_AVX
    if (t->avx)
        return argmax_avx(score, L);
#endif
    unsigned best = 0;
    for (unsigned l = 1; l < L; l++)
        if (score[l] > score[best])
            best = l;
    return best;
}

/*
 * Decoding is greedy, left to right, in three passes so that the table
 * lookups of a sentence overlap instead of waiting on each other: (1) the
 * hashes of every word, their lexicon and tag dictionary slots prefetched,
 * then probed; (2) the static feature keys of every word not in the
 * dictionary, pipelined: the next such word's slots are prefetched before
 * this word's are probed (and their weights prefetched); (3) the static
 * scores summed, and per word in order the few features that depend on the
 * previous two labels added before taking the best label.
 */
casus_status tag_run(casus_ctx *ctx, const tagger *t, tag_work *wk,
                     casus_token *words, size_t n)
{
    if (work_reserve(ctx, t, wk, n) != CASUS_OK)
        return CASUS_ENOMEM;
    const unsigned L = t->n_labels;
    for (size_t i = 0; i < n; i++) {
        tag_word *w = &wk->w[i];
        tag_word_init(w, words[i].form.p, words[i].form.n, i == 0);
        __builtin_prefetch(&t->clus[slot_of(tag_cluster_key(w->lower), t->clus_mask)]);
        __builtin_prefetch(&t->dict[slot_of(w->form, t->dict_mask)]);
    }
    for (size_t i = 0; i < n; i++) {
        tag_word *w = &wk->w[i];
        const tag_dslot *c = find_d(t->clus, t->clus_mask,
                                    tag_cluster_key(w->lower));
        if (c) {
            w->cluster = c->value & TAG_CLUSTER_MASK;
            w->capc = c->value >> TAG_CAP_SHIFT;
            if (c->amb)
                w->amb = c->amb;
        }
        const tag_dslot *d = find_d(t->dict, t->dict_mask, w->form);
        /* nslot 255 marks a dictionary word; its label goes in score[0]. */
        wk->nslot[i] = d ? 255 : 0;
        if (d)
            wk->score[i * L] = (float)d->value;
    }
    /* Software pipeline: the keys of the next word to score are computed
     * and their slots prefetched before this word's slots are probed. */
    uint64_t fa[TAG_MAX_FEATS], fb[TAG_MAX_FEATS];
    uint64_t *cur = fa, *nxt = fb;
    size_t ncur = 0, at = 0;
    while (at < n && wk->nslot[at] == 255)
        at++;
    if (at < n) {
        ncur = tag_features_static(wk->w, n, at, cur);
        for (size_t k = 0; k < ncur; k++)
            __builtin_prefetch(&t->feat[slot_of(cur[k], t->feat_mask)]);
    }
    while (at < n) {
        size_t j = at + 1, nnxt = 0;
        while (j < n && wk->nslot[j] == 255)
            j++;
        if (j < n) {
            nnxt = tag_features_static(wk->w, n, j, nxt);
            for (size_t k = 0; k < nnxt; k++)
                __builtin_prefetch(&t->feat[slot_of(nxt[k], t->feat_mask)]);
        }
        const tag_slot **sl = wk->slot + at * TAG_MAX_STATIC;
        size_t ns = 0;
        for (size_t k = 0; k < ncur; k++) {
            const tag_slot *s = find_feat(t, cur[k]);
            if (s) {
                if ((s->offn & 255) != TAG_DENSE) {
                    __builtin_prefetch(t->ent + (s->offn >> 8));
                } else {
                    /* a dense row spans several cache lines */
                    const char *row = (const char *)(t->dense + (size_t)(s->offn >> 8) * L);
                    for (size_t b = 0; b < L * sizeof(float); b += 64)
                        __builtin_prefetch(row + b);
                    __builtin_prefetch(row + L * sizeof(float) - 1);
                }
                sl[ns++] = s;
            }
        }
        wk->nslot[at] = (uint8_t)ns;
        uint64_t *tmp = cur;
        cur = nxt;
        nxt = tmp;
        ncur = nnxt;
        at = j;
    }
    for (size_t i = 0; i < n; i++) {
        if (wk->nslot[i] == 255)
            continue;
        float *score = wk->score + i * L;
        memset(score, 0, L * sizeof *score);
        add_feats(t, wk->slot + i * TAG_MAX_STATIC, wk->nslot[i], score);
    }
    unsigned p1 = TAG_START1, p2 = TAG_START2;
    for (size_t i = 0; i < n; i++) {
        unsigned best = wk->nslot[i] == 255 ? (unsigned)wk->score[i * L]
                                            : decide(t, wk, n, i, p1, p2);
        words[i].upos = t->upos[best];
        words[i].xpos = t->xpos[best];
        p2 = p1;
        p1 = best;
    }
    return CASUS_OK;
}

static int is_article(casus_slice f)
{
    static const char *const art[] = {"the", "a", "an"};
    for (size_t k = 0; k < sizeof art / sizeof *art; k++) {
        size_t m = strlen(art[k]);
        if (f.n != m)
            continue;
        size_t j = 0;
        while (j < m && (f.p[j] | 0x20) == art[k][j])
            j++;
        if (j == m)
            return 1;
    }
    return 0;
}

static int is_acronym(casus_slice f)
{
    if (f.n < 2)
        return 0;
    for (size_t j = 0; j < f.n; j++)
        if (f.p[j] < 'A' || f.p[j] > 'Z')
            return 0;
    return 1;
}

void tag_fix(casus_token *words, size_t n)
{
    int nnp = ud_xpos_id("NNP", 3);
    if (nnp < 0)
        return;
    for (size_t i = 1; i < n; i++) {
        casus_token *w = &words[i];
        if ((w->upos != CASUS_UPOS_AUX && w->upos != CASUS_UPOS_VERB &&
             w->upos != CASUS_UPOS_PRON) ||
            !is_acronym(w->form) || !is_article(words[i - 1].form))
            continue;
        /* "THE US IS ..." in an all-capital headline: the article is
         * capitalised too, and the acronym test would be meaningless. */
        if (is_acronym(words[i - 1].form))
            continue;
        w->upos = CASUS_UPOS_PROPN;
        w->xpos = (uint8_t)nnp;
    }
}
