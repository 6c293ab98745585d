/*
 * train_clusters.c - learns word clusters from unlabelled text for the
 * tagger's features (written to data/models/clusters.txt, then built into
 * tagger.bin by train_tagger --clusters).
 *
 *   build/tools/train_clusters --out clusters.txt [--k K] FILE...
 *
 * FILEs are any casus input: CoNLL-U files contribute their gold word
 * forms (and nothing else: no tags), other formats are tokenized by casus.
 * Words are lowercased with digits folded to 0 (as tag.c's `lower` hash).
 *
 * Method (distributional clustering, cheap and deterministic): each word
 * seen at least MIN_COUNT times is described by the distribution of its
 * left and right neighbours over the CONTEXTS most frequent words (plus
 * "other" and the sentence boundary), square-rooted (Hellinger) and
 * L2-normalised; spherical k-means groups them into K fine clusters,
 * started from the K most frequent words, ITERATIONS rounds; the fine
 * centroids are grouped again into COARSE clusters. Output lines are
 * "word<TAB>fine + 1024 * coarse<TAB>capitalisation class" (cap_class()),
 * most frequent word first.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"

#define MIN_COUNT 3
#define CONTEXTS 600
#define ITERATIONS 12
#define COARSE 48

typedef struct word {
    char *s;
    size_t count;
    size_t mid, cap;   /* not sentence-initial; of those, capitalised */
    uint32_t id;
} word;

static word *voc;
static size_t n_voc, cap_voc;
static uint32_t *slot;     /* open addressing: index+1 into voc */
static size_t slot_mask;
static uint32_t *stream;   /* word ids; UINT32_MAX = sentence boundary */
static size_t n_stream, cap_stream;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "train_clusters: out of memory\n");
        exit(3);
    }
    return q;
}

static uint64_t hstr(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

static void rehash(void)
{
    slot_mask = slot_mask ? slot_mask * 2 + 1 : 65535;
    slot = xrealloc(slot, (slot_mask + 1) * sizeof *slot);
    memset(slot, 0, (slot_mask + 1) * sizeof *slot);
    for (size_t i = 0; i < n_voc; i++) {
        size_t j = hstr(voc[i].s, strlen(voc[i].s)) & slot_mask;
        while (slot[j])
            j = (j + 1) & slot_mask;
        slot[j] = (uint32_t)i + 1;
    }
}

static uint32_t intern(const char *p, size_t n)
{
    char low[128];
    if (n >= sizeof low)
        n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        low[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c >= '0' && c <= '9' ? '0' : c;
    }
    low[n] = '\0';
    if (2 * (n_voc + 1) > slot_mask)
        rehash();
    size_t j = hstr(low, n) & slot_mask;
    while (slot[j]) {
        if (!strcmp(voc[slot[j] - 1].s, low))
            return slot[j] - 1;
        j = (j + 1) & slot_mask;
    }
    if (n_voc == cap_voc) {
        cap_voc = cap_voc ? 2 * cap_voc : 65536;
        voc = xrealloc(voc, cap_voc * sizeof *voc);
    }
    voc[n_voc].s = xrealloc(NULL, n + 1);
    memcpy(voc[n_voc].s, low, n + 1);
    voc[n_voc].count = 0;
    voc[n_voc].mid = voc[n_voc].cap = 0;
    voc[n_voc].id = (uint32_t)n_voc;
    slot[j] = (uint32_t)++n_voc;
    return (uint32_t)n_voc - 1;
}

static void emit(uint32_t id)
{
    if (n_stream == cap_stream) {
        cap_stream = cap_stream ? 2 * cap_stream : 1 << 20;
        stream = xrealloc(stream, cap_stream * sizeof *stream);
    }
    stream[n_stream++] = id;
    if (id != UINT32_MAX)
        voc[id].count++;
}

static void read_file(const char *path)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r;
    casus_date nodate = {0, 0, 0};
    if (!doc || casus_reader_open(ctx, path, CASUS_FORMAT_AUTO, nodate, &r) != CASUS_OK) {
        fprintf(stderr, "train_clusters: %s\n", casus_ctx_message(ctx));
        exit(2);
    }
    int conllu = casus_format_for_path(path) == CASUS_FORMAT_CONLLU;
    while (casus_reader_next(r, doc) == CASUS_OK) {
        if (casus_doc_analyze(doc) != CASUS_OK ||
            (conllu && casus_doc_use_gold_tokens(doc) != CASUS_OK)) {
            fprintf(stderr, "train_clusters: %s\n", casus_ctx_message(ctx));
            exit(3);
        }
        size_t ns, nt;
        const casus_sentence *se = casus_doc_sentences(doc, &ns);
        const casus_token *t = casus_doc_tokens(doc, &nt);
        for (size_t s = 0; s < ns; s++) {
            emit(UINT32_MAX);
            for (size_t i = 0; i < se[s].n_tokens; i++) {
                const casus_token *w = &t[se[s].first_token + i];
                uint32_t id = intern(w->form.p, w->form.n);
                emit(id);
                if (i > 0) {
                    voc[id].mid++;
                    voc[id].cap += w->form.n && w->form.p[0] >= 'A' && w->form.p[0] <= 'Z';
                }
            }
        }
    }
    emit(UINT32_MAX);
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

/* How often the word is capitalised inside a sentence: 0 unknown (seen
 * there fewer than twice), then 1 under 1%, 2 under 10%, 3 under 50%,
 * 4 under 90%, 5 under 99%, 6 at least 99%. */
static unsigned cap_class(const word *w)
{
    if (w->mid < 2)
        return 0;
    double r = (double)w->cap / (double)w->mid;
    return r < 0.01 ? 1 : r < 0.1 ? 2 : r < 0.5 ? 3 : r < 0.9 ? 4 : r < 0.99 ? 5 : 6;
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int by_count(const void *a, const void *b)
{
    const word *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->s, y->s);
}

/* Sparse vector: (dim, value) pairs. */
typedef struct sv {
    uint32_t *dim;
    float *val;
    size_t n;
} sv;

/* Spherical k-means of vectors (sparse xs or dense xd, dimension D) into K
 * clusters; returns the assignment. */
static uint32_t *kmeans(const sv *xs, const float *xd, size_t n, size_t D,
                        size_t K, float *cent)
{
    uint32_t *as = xrealloc(NULL, n * sizeof *as);
    /* Start: the first K points (the most frequent words). */
    memset(cent, 0, K * D * sizeof *cent);
    for (size_t k = 0; k < K; k++) {
        if (xs)
            for (size_t j = 0; j < xs[k].n; j++)
                cent[k * D + xs[k].dim[j]] = xs[k].val[j];
        else
            memcpy(cent + k * D, xd + k * D, D * sizeof *cent);
    }
    float *sc = xrealloc(NULL, K * sizeof *sc);
    for (int it = 0; it < ITERATIONS; it++) {
        for (size_t i = 0; i < n; i++) {
            for (size_t k = 0; k < K; k++) {
                float s = 0;
                const float *c = cent + k * D;
                if (xs)
                    for (size_t j = 0; j < xs[i].n; j++)
                        s += c[xs[i].dim[j]] * xs[i].val[j];
                else
                    for (size_t j = 0; j < D; j++)
                        s += c[j] * xd[i * D + j];
                sc[k] = s;
            }
            size_t best = 0;
            for (size_t k = 1; k < K; k++)
                if (sc[k] > sc[best])
                    best = k;
            as[i] = (uint32_t)best;
        }
        memset(cent, 0, K * D * sizeof *cent);
        for (size_t i = 0; i < n; i++) {
            float *c = cent + (size_t)as[i] * D;
            if (xs)
                for (size_t j = 0; j < xs[i].n; j++)
                    c[xs[i].dim[j]] += xs[i].val[j];
            else
                for (size_t j = 0; j < D; j++)
                    c[j] += xd[i * D + j];
        }
        for (size_t k = 0; k < K; k++) {
            double nn = 0;
            for (size_t j = 0; j < D; j++)
                nn += (double)cent[k * D + j] * cent[k * D + j];
            float inv = nn > 0 ? (float)(1 / sqrt(nn)) : 0;
            for (size_t j = 0; j < D; j++)
                cent[k * D + j] *= inv;
        }
    }
    free(sc);
    return as;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    size_t K = 256;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--k") && i + 1 < argc)
            K = (size_t)atoi(argv[++i]);
        else
            argv[nfiles++ + 1] = argv[i];
    }
    if (!out || !nfiles || K < COARSE || K > 1000) {
        fprintf(stderr, "usage: train_clusters --out F [--k K (48..1000)] FILE...\n");
        return 2;
    }
    for (int i = 0; i < nfiles; i++)
        read_file(argv[i + 1]);
    /* Rank words by frequency; rank = new id. */
    word *sorted = xrealloc(NULL, n_voc * sizeof *sorted);
    memcpy(sorted, voc, n_voc * sizeof *sorted);
    qsort(sorted, n_voc, sizeof *sorted, by_count);
    uint32_t *rank = xrealloc(NULL, n_voc * sizeof *rank);
    size_t n_words = 0;
    for (size_t i = 0; i < n_voc; i++) {
        rank[sorted[i].id] = (uint32_t)i;
        if (sorted[i].count >= MIN_COUNT)
            n_words = i + 1;
    }
    if (n_words < K) {
        fprintf(stderr, "train_clusters: only %zu words, fewer than %zu clusters\n",
                n_words, K);
        return 2;
    }
    /* Context dims: left 0..CONTEXTS+1, right CONTEXTS+2.. ; CONTEXTS =
     * other, CONTEXTS+1 = boundary. */
    size_t half = CONTEXTS + 2, D = 2 * half;
    float *dense = xrealloc(NULL, D * sizeof *dense);
    sv *xs = xrealloc(NULL, n_words * sizeof *xs);
    /* Count contexts per word: one pass per word would be slow; collect
     * (word, dim) pairs, sort, run-length. */
    size_t np = 0;
    uint64_t *pairs = xrealloc(NULL, 2 * n_stream * sizeof *pairs);
    for (size_t i = 0; i < n_stream; i++) {
        if (stream[i] == UINT32_MAX)
            continue;
        uint32_t w = rank[stream[i]];
        if (w >= n_words)
            continue;
        for (int side = 0; side < 2; side++) {
            size_t j = side ? i + 1 : i - 1;   /* stream starts with a boundary */
            uint32_t c = j < n_stream ? stream[j] : UINT32_MAX;
            size_t d = c == UINT32_MAX ? CONTEXTS + 1
                       : rank[c] < CONTEXTS ? rank[c] : CONTEXTS;
            pairs[np++] = (uint64_t)w << 32 | (uint64_t)(d + (size_t)side * half);
        }
    }
    /* Radix-free: qsort on u64 is fine at this size. */
    qsort(pairs, np, sizeof *pairs, cmp64);
    size_t p = 0;
    for (size_t w = 0; w < n_words; w++) {
        memset(dense, 0, D * sizeof *dense);
        double tot = 0;
        while (p < np && (pairs[p] >> 32) == w) {
            dense[pairs[p] & 0xffffffffu] += 1;
            tot += 1;
            p++;
        }
        size_t nz = 0;
        for (size_t d = 0; d < D; d++)
            nz += dense[d] > 0;
        xs[w].dim = xrealloc(NULL, nz * sizeof *xs[w].dim);
        xs[w].val = xrealloc(NULL, nz * sizeof *xs[w].val);
        xs[w].n = 0;
        double nn = 0;
        for (size_t d = 0; d < D; d++)
            if (dense[d] > 0) {
                float v = (float)sqrt(dense[d] / (tot > 0 ? tot : 1));
                xs[w].dim[xs[w].n] = (uint32_t)d;
                xs[w].val[xs[w].n++] = v;
                nn += (double)v * v;
            }
        for (size_t j = 0; j < xs[w].n; j++)
            xs[w].val[j] /= (float)sqrt(nn > 0 ? nn : 1);
    }
    float *cent = xrealloc(NULL, K * D * sizeof *cent);
    uint32_t *fine = kmeans(xs, NULL, n_words, D, K, cent);
    float *cent2 = xrealloc(NULL, COARSE * D * sizeof *cent2);
    uint32_t *coarse = kmeans(NULL, cent, K, D, COARSE, cent2);
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "train_clusters: %s: cannot create\n", out);
        return 3;
    }
    for (size_t w = 0; w < n_words; w++)
        fprintf(f, "%s\t%u\t%u\n", sorted[w].s, fine[w] + 1024u * coarse[fine[w]],
                cap_class(&sorted[w]));
    if (fclose(f) != 0) {
        fprintf(stderr, "train_clusters: %s: cannot write\n", out);
        return 3;
    }
    printf("clusters: %zu tokens, %zu words (of %zu types) in %zu clusters\n",
           n_stream, n_words, n_voc, K);
    return 0;
}

