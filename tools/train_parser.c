/*
 * train_parser.c - trains the dependency parser model (data/models/parser.bin).
 *
 *   build/tools/train_parser --train TRAIN.conllu --dev DEV.conllu
 *       --out data/models/parser.bin [--epochs N] [--seed S]
 *       [--act-bits B] [--lab-bits B] [--act-small B] [--lab-small B]
 *       [--explore-from E] [--explore-p P]
 *       [--tag-noise R] [--tag-confusions TAGGER.bin] [--clusters FILE]
 *       [--tagger TAGGER.bin] [--jackknife K --train-tagger CMD [--jobs J]]
 *       [--write-tags FILE] [--version V] [--runs R] [--featset F] [--quiet]
 *
 * Method: the arc-eager transition system, features and model layout of
 * src/parse.c (shared through parse_int.h, so training and parsing compute
 * the very same features). Both models are averaged perceptrons. The action
 * model learns from a dynamic oracle (Goldberg & Nivre 2012): in every state
 * the cost of each move is the number of gold arcs it makes unreachable;
 * when the predicted move costs more than the best one, the weights move
 * toward the best-scoring zero-cost move and away from the prediction. From
 * epoch --explore-from on, a wrong prediction is followed with probability
 * --explore-p, so the model learns to recover from its own errors. The label
 * model is trained on every arc the parser makes whose head is correct.
 *
 * The parser sees predicted tags at run time, so it should learn from such
 * tags. --jackknife K (what `make models` does, K = 10) deals the training
 * sentences into K folds; for each, the tagger trainer (--train-tagger, the
 * command `make models` trains tagger.bin with) is run on the other K - 1
 * folds, --jobs at a time, and the resulting tagger tags the held-out fold.
 * The parser then trains on these tags only. --tagger gives the pipeline's
 * tagger: the dev set is tagged with it and the epoch is chosen on those
 * tags (dev scores with gold tags are printed too). --write-tags FILE saves
 * the jackknifed treebank, which --train then takes as it is.
 *
 * --clusters FILE (word<TAB>fine + 1024 * coarse, tools/train_clusters.c)
 * is stored in the model as the cluster table parse.c reads features from.
 *
 * Cheaper stand-ins for jackknifing: --tag-noise R replaces a
 * fraction R of the training XPOS/UPOS tags (fresh draws every epoch) by
 * another tag of the same word class seen in training, a cheap stand-in for
 * a tagger's errors. With --tag-confusions TAGGER.bin the replacement
 * follows that tagger's confusions on the dev set instead (gold tag pair ->
 * predicted pair), and R = 1 reproduces its error rate.
 *
 * --featset F writes a model with feature set F (parse_int.h; default the
 * newest, PARSER_FEATSET; `make models` asks for 3, the shipped parser's).
 * --runs R trains R times in a row (the generator goes on, so each run sees
 * another sentence order and exploration) and writes the mean of the R
 * runs' best averaged weights: the model costs nothing more to run and
 * varies less with the seed (dev +0.4 UAS / +0.5 LAS over one run's mean).
 *
 * Deterministic: sentence order and every random choice come from one
 * xorshift generator seeded with --seed. After each epoch the averaged
 * weights are scored on the dev set; the best epoch is kept, quantised to
 * 16-bit integers and written as a "parser" model (model.h container).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "casus.h"
#include "doc.h"
#include "model.h"
#include "parse.h"
#include "parse_int.h"
#include "ud.h"

#if defined(__has_include)
#if __has_include("tag.h")
#include "tag.h"
#define HAVE_TAGGER 1
#endif
#endif

typedef struct sent {
    int n;
    casus_token *tok;
    uint8_t *gold_xpos, *gold_upos;
    int32_t *gh;      /* gold head, 1..n, n+1 for the root */
    uint8_t *gl;      /* gold label class */
    int32_t *gdeprel; /* gold ud deprel id */
    uint8_t *pred_xpos, *pred_upos; /* dev: the pipeline tagger's tags */
} sent;

typedef struct corpus {
    sent *s;
    size_t n, cap;
} corpus;

typedef struct model {
    unsigned act_bits, lab_bits, n_cls, stride;
    float *aw, *lw;        /* current weights */
    double *au, *lu;       /* sums of count * update, for averaging */
    double ac, lc;         /* instance counters */
    float *aavg, *lavg;    /* averaged weights */
} model;

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static double rng_unit(void)
{
    return (double)(rng() >> 11) / 9007199254740992.0;
}

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "train_parser: out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    return d;
}

/* ------------------------------------------------------------ reading */

static int deprel_cls[256];     /* ud deprel id -> class, 0 none */
static int cls_deprel[P_MAX_LABELS];
static int n_cls = 1;

static int read_corpus(const char *path, corpus *c, int add_labels)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d0 = {0, 0, 0};
    if (!ctx || !doc ||
        casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d0, &r) != CASUS_OK) {
        fprintf(stderr, "train_parser: %s\n", ctx ? casus_ctx_message(ctx) : "no memory");
        return -1;
    }
    casus_status rc;
    while ((rc = casus_reader_next(r, doc)) == CASUS_OK) {
        for (size_t si = 0; si < doc->n_gold_sent; si++) {
            const gold_sentence *gs = &doc->gold_sent[si];
            int n = (int)gs->n_tokens, ok = n > 0;
            const gold_token *g = doc->gold_tok + gs->first_token;
            for (int i = 0; i < n && ok; i++)
                ok = g[i].head >= 0 && g[i].deprel > 0;
            if (!ok)
                continue;
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 4096;
                c->s = realloc(c->s, c->cap * sizeof *c->s);
                if (!c->s)
                    return -1;
            }
            sent *s = &c->s[c->n++];
            s->n = n;
            s->tok = xmalloc((size_t)n * sizeof *s->tok);
            s->gold_xpos = xmalloc((size_t)n);
            s->gold_upos = xmalloc((size_t)n);
            s->gh = xmalloc((size_t)(n + 2) * sizeof *s->gh);
            s->gl = xmalloc((size_t)(n + 2));
            s->gdeprel = xmalloc((size_t)(n + 2) * sizeof *s->gdeprel);
            s->pred_xpos = s->pred_upos = NULL;
            for (int i = 0; i < n; i++) {
                casus_token *t = &s->tok[i];
                t->form.p = xstrndup(doc->gold_strings.p + g[i].form_off, g[i].form_n);
                t->form.n = g[i].form_n;
                t->upos = s->gold_upos[i] = g[i].upos;
                t->xpos = s->gold_xpos[i] = g[i].xpos;
                t->head = -1;
                int dr = g[i].deprel;
                if (add_labels && !deprel_cls[dr] && n_cls < P_MAX_LABELS) {
                    deprel_cls[dr] = n_cls;
                    cls_deprel[n_cls++] = dr;
                }
                s->gh[i + 1] = g[i].head == 0 ? n + 1 : g[i].head;
                s->gl[i + 1] = (uint8_t)deprel_cls[dr];
                s->gdeprel[i + 1] = dr;
            }
        }
    }
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return rc == CASUS_DONE ? 0 : -1;
}

static void free_corpus(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        sent *s = &c->s[i];
        for (int j = 0; j < s->n; j++)
            free((void *)s->tok[j].form.p);
        free(s->tok);
        free(s->gold_xpos);
        free(s->gold_upos);
        free(s->gh);
        free(s->gl);
        free(s->gdeprel);
        free(s->pred_xpos);
        free(s->pred_upos);
    }
    free(c->s);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ oracle */

static int on_stack(const pstate *st, int k)
{
    for (int i = 0; i < st->sp; i++)
        if (st->stack[i] == k)
            return 1;
    return 0;
}

/* headless stack words whose gold head is k */
static int stack_deps(const pstate *st, const int32_t *gh, int k)
{
    int c = 0;
    for (int i = 0; i < st->sp; i++) {
        int w = st->stack[i];
        c += st->head[w] < 0 && gh[w] == k;
    }
    return c;
}

/* buffer words whose gold head is k */
static int buffer_deps(const pstate *st, const int32_t *gh, int k)
{
    int c = 0;
    for (int w = st->b; w <= st->n; w++)
        c += gh[w] == k;
    return c;
}

static void costs(const pstate *st, const int32_t *gh, unsigned legal, int *cost)
{
    int b = st->b, s0 = st->sp > 0 ? st->stack[st->sp - 1] : 0;
    for (int a = 0; a < P_NACT; a++)
        cost[a] = 1 << 20;
    if (legal & (1u << P_SHIFT))
        cost[P_SHIFT] = on_stack(st, gh[b]) + stack_deps(st, gh, b);
    if (legal & (1u << P_RIGHT))
        cost[P_RIGHT] = (gh[b] != s0 && (gh[b] > b || on_stack(st, gh[b]))) +
                        stack_deps(st, gh, b);
    if (legal & (1u << P_LEFT))
        cost[P_LEFT] = (gh[s0] > b) + buffer_deps(st, gh, s0);
    if (legal & (1u << P_REDUCE))
        cost[P_REDUCE] = buffer_deps(st, gh, s0);
}

/* ------------------------------------------------------------ training */

typedef struct counts {
    long words, uas, las;
} counts;

static int label_scores(const model *m, const float *w, const pstate *st,
                        const pword *W, int dep, int hd, uint32_t *f,
                        uint64_t mask)
{
    int nf = pfeat_label(st, W, dep, hd, m->lab_bits, f);
    float sc[P_MAX_LABELS];
    memset(sc, 0, sizeof sc);
    for (int i = 0; i < nf; i++) {
        const float *row = w + (size_t)f[i] * m->stride;
        for (unsigned c = 0; c < m->stride; c++)
            sc[c] += row[c];
    }
    int best = -1;
    for (unsigned c = 1; c < m->n_cls; c++)
        if ((mask >> c & 1) && (best < 0 || sc[c] > sc[best]))
            best = (int)c;
    return best;
}

static uint64_t lmask[2];
static int root_cls;

/* ------------------------------------------------------------ clusters */

static uint64_t *clus_slot;
static unsigned clus_bits = 4;
static pclust clus;

/* Reads word<TAB>fine + 1024 * coarse lines (tools/train_clusters.c) into
 * the table parse.c looks words up in; the first line of a key wins. */
static int load_clusters(const char *path)
{
    size_t lines = 0;
    char line[1024];
    FILE *f = NULL;
    if (path) {
        f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "train_parser: cannot read %s\n", path);
            return -1;
        }
        while (fgets(line, sizeof line, f))
            lines++;
        rewind(f);
    }
    while (((size_t)1 << clus_bits) < lines + lines / 2 + 1)
        clus_bits++;
    size_t mask = ((size_t)1 << clus_bits) - 1;
    clus_slot = xmalloc((mask + 1) * sizeof *clus_slot);
    clus.slot = clus_slot;
    clus.bits = clus_bits;
    while (f && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        unsigned long v = strtoul(tab + 1, NULL, 10);
        unsigned fine = (unsigned)(v % 1024), coarse = (unsigned)(v / 1024);
        if (fine > 255 || coarse > 254)
            continue;
        uint64_t key = pword_key(line, (size_t)(tab - line));
        if (pclust_get(&clus, key))
            continue;
        uint64_t want = key & ~(uint64_t)0xFFFF;
        if (!want)
            want = 0x10000;
        size_t i = (size_t)(key >> (64 - clus_bits)) & mask;
        while (clus_slot[i])
            i = (i + 1) & mask;
        clus_slot[i] = want | (1u + fine + 256u * coarse);
    }
    if (f)
        fclose(f);
    return 0;
}

/* Parses s; trains when train is set (epoch numbering from 0). */
static void run_sentence(model *m, sent *s, int train, int explore,
                         double explore_p, counts *cnt)
{
    int n = s->n;
    pword *W = xmalloc((size_t)(n + 2) * sizeof *W);
    void *mem = xmalloc(pstate_bytes((size_t)n));
    pstate st;
    pstate_init(&st, mem, n);
    pword_fill(W, s->tok, n, &clus);
    const float *aw = train ? m->aw : m->aavg;
    const float *lw = train ? m->lw : m->lavg;
    uint32_t f[P_ACT_TEMPLATES], lf[P_LAB_TEMPLATES];
    while (!pstate_done(&st)) {
        unsigned legal = pstate_legal(&st);
        int a;
        if ((legal & (legal - 1)) == 0) {
            for (a = 0; !(legal >> a & 1); a++)
                ;
        } else {
            int nf = pfeat_action(&st, W, m->act_bits, f);
            float sc[P_NACT] = {0, 0, 0, 0};
            for (int i = 0; i < nf; i++) {
                const float *row = aw + (size_t)f[i] * P_NACT;
                for (int c = 0; c < P_NACT; c++)
                    sc[c] += row[c];
            }
            int pred = -1;
            for (int c = 0; c < P_NACT; c++)
                if ((legal >> c & 1) && (pred < 0 || sc[c] > sc[pred]))
                    pred = c;
            a = pred;
            if (train) {
                int cost[P_NACT], minc = 1 << 20;
                costs(&st, s->gh, legal, cost);
                for (int c = 0; c < P_NACT; c++)
                    if (cost[c] < minc)
                        minc = cost[c];
                m->ac += 1;
                if (cost[pred] > minc) {
                    int best = -1;
                    for (int c = 0; c < P_NACT; c++)
                        if (cost[c] == minc && (best < 0 || sc[c] > sc[best]))
                            best = c;
                    for (int i = 0; i < nf; i++) {
                        size_t r = (size_t)f[i] * P_NACT;
                        m->aw[r + best] += 1;
                        m->au[r + best] += m->ac;
                        m->aw[r + pred] -= 1;
                        m->au[r + pred] -= m->ac;
                    }
                    if (!(explore && rng_unit() < explore_p))
                        a = best;
                }
            }
        }
        int lab = 0;
        if (a == P_LEFT || a == P_RIGHT) {
            int dep, hd;
            pstate_arc(&st, a, &dep, &hd);
            if (hd > n) {
                lab = root_cls;
            } else {
                lab = label_scores(m, lw, &st, W, dep, hd, lf,
                                   lmask[dep < hd ? 0 : 1]);
                if (train && s->gh[dep] == hd) {
                    m->lc += 1;
                    int g = s->gl[dep];
                    if (lab != g) {
                        int nf = pfeat_label(&st, W, dep, hd, m->lab_bits, lf);
                        for (int i = 0; i < nf; i++) {
                            size_t r = (size_t)lf[i] * m->stride;
                            m->lw[r + g] += 1;
                            m->lu[r + g] += m->lc;
                            m->lw[r + lab] -= 1;
                            m->lu[r + lab] -= m->lc;
                        }
                    }
                }
            }
        }
        pstate_apply(&st, a, lab);
    }
    if (cnt) {
        int root = 0;
        for (int i = 1; i <= n; i++) {
            if (st.head[i] != n + 1)
                continue;
            if (!root) {
                root = i;
                continue;
            }
            st.head[i] = root;
            st.label[i] = (uint8_t)label_scores(m, lw, &st, W, i, root, lf,
                                                lmask[i < root ? 0 : 1]);
        }
        for (int i = 1; i <= n; i++) {
            cnt->words++;
            if (st.head[i] == s->gh[i]) {
                cnt->uas++;
                cnt->las += st.label[i] == s->gl[i];
            }
        }
    }
    free(W);
    free(mem);
}

static void average(model *m)
{
    size_t na = P_NACT * pbits_rows(m->act_bits);
    size_t nl = m->stride * pbits_rows(m->lab_bits);
    for (size_t i = 0; i < na; i++)
        m->aavg[i] = (float)(m->aw[i] - m->au[i] / (m->ac + 1));
    for (size_t i = 0; i < nl; i++)
        m->lavg[i] = (float)(m->lw[i] - m->lu[i] / (m->lc + 1));
}

static int16_t *quantise(const float *w, size_t n)
{
    float mx = 0;
    for (size_t i = 0; i < n; i++)
        if (fabsf(w[i]) > mx)
            mx = fabsf(w[i]);
    float scale = mx > 0 ? 32767.0f / mx : 1.0f;
    int16_t *q = xmalloc(n * sizeof *q);
    for (size_t i = 0; i < n; i++) {
        long v = lrintf(w[i] * scale);
        q[i] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
    }
    return q;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

static int save(const model *m, const float *aavg, const float *lavg,
                const char *path, const char *version)
{
    casus_ctx *ctx = casus_ctx_new();
    model_writer w;
    model_writer_init(&w, "parser", version);
    unsigned char meta[32] = {0};
    put32(meta, pbits_featset(m->act_bits));
    put32(meta + 4, m->act_bits & 0xFF);
    put32(meta + 8, m->lab_bits & 0xFF);
    put32(meta + 12, m->n_cls);
    put32(meta + 16, m->stride);
    put32(meta + 20, m->act_bits >> 8 & 0xFF);
    put32(meta + 24, m->lab_bits >> 8 & 0xFF);
    put32(meta + 28, clus_bits);
    char names[P_MAX_LABELS * 24];
    size_t nn = 0;
    for (unsigned c = 1; c < m->n_cls; c++) {
        const char *s = casus_deprel_name((unsigned)cls_deprel[c]);
        size_t l = strlen(s) + 1;
        memcpy(names + nn, s, l);
        nn += l;
    }
    unsigned char mk[16];
    put64(mk, lmask[0]);
    put64(mk + 8, lmask[1]);
    size_t na = P_NACT * pbits_rows(m->act_bits);
    size_t nl = m->stride * pbits_rows(m->lab_bits);
    int16_t *qa = quantise(aavg, na), *ql = quantise(lavg, nl);
    int bad = model_writer_add(ctx, &w, "meta", meta, sizeof meta) != CASUS_OK ||
              model_writer_add(ctx, &w, "labels", names, nn) != CASUS_OK ||
              model_writer_add(ctx, &w, "lmask", mk, sizeof mk) != CASUS_OK ||
              model_writer_add(ctx, &w, "act", qa, na * 2) != CASUS_OK ||
              model_writer_add(ctx, &w, "lab", ql, nl * 2) != CASUS_OK ||
              model_writer_add(ctx, &w, "clusters", clus_slot,
                               ((size_t)8 << clus_bits)) != CASUS_OK ||
              model_writer_save(ctx, &w, path) != CASUS_OK;
    if (bad)
        fprintf(stderr, "train_parser: %s\n", casus_ctx_message(ctx));
    model_writer_free(ctx, &w);
    casus_ctx_free(ctx);
    free(qa);
    free(ql);
    return bad ? -1 : 0;
}

/* Tag noise: per UPOS, the XPOS tags seen with it, for plausible swaps. */
typedef struct tagpair {
    uint8_t upos, xpos;
} tagpair;

static tagpair pairs[1024];
static int n_pairs;

static void collect_pairs(const corpus *c)
{
    static unsigned char seen[256][256];
    for (size_t i = 0; i < c->n; i++)
        for (int j = 0; j < c->s[i].n; j++) {
            uint8_t u = c->s[i].gold_upos[j], x = c->s[i].gold_xpos[j];
            if (!seen[u][x] && n_pairs < 1024) {
                seen[u][x] = 1;
                pairs[n_pairs].upos = u;
                pairs[n_pairs++].xpos = x;
            }
        }
}

/* Confusions of a real tagger: for each gold (UPOS, XPOS) pair, the
 * predicted pairs and how often (from --confusions-from), so the noise
 * follows the tagger's actual errors instead of random swaps. */
static uint32_t conf_n[1024][1024];
static uint32_t conf_tot[1024];
static int have_conf;

static int pair_id(uint8_t u, uint8_t x)
{
    for (int i = 0; i < n_pairs; i++)
        if (pairs[i].upos == u && pairs[i].xpos == x)
            return i;
    if (n_pairs < 1024) {
        pairs[n_pairs].upos = u;
        pairs[n_pairs].xpos = x;
        return n_pairs++;
    }
    return -1;
}

static int learn_confusions(const char *tagger_path, corpus *c)
{
#ifdef HAVE_TAGGER
    casus_ctx *ctx = casus_ctx_new();
    tagger *tg = NULL;
    tag_work wk;
    memset(&wk, 0, sizeof wk);
    if (!ctx || tag_load(ctx, tagger_path, &tg) != CASUS_OK) {
        fprintf(stderr, "train_parser: %s\n", ctx ? casus_ctx_message(ctx) : "no memory");
        return -1;
    }
    long err = 0, tot = 0;
    for (size_t i = 0; i < c->n; i++) {
        sent *s = &c->s[i];
        if (tag_run(ctx, tg, &wk, s->tok, (size_t)s->n) != CASUS_OK)
            return -1;
        for (int j = 0; j < s->n; j++) {
            int g = pair_id(s->gold_upos[j], s->gold_xpos[j]);
            int p = pair_id(s->tok[j].upos, s->tok[j].xpos);
            if (g < 0 || p < 0)
                continue;
            conf_n[g][p]++;
            conf_tot[g]++;
            err += g != p;
            tot++;
            s->tok[j].upos = s->gold_upos[j];
            s->tok[j].xpos = s->gold_xpos[j];
        }
    }
    fprintf(stderr, "train_parser: tagger confusions from %ld words, %.2f%% wrong\n",
            tot, 100.0 * (double)err / (double)(tot ? tot : 1));
    have_conf = 1;
    tag_work_free(ctx, &wk);
    tag_free(ctx, tg);
    casus_ctx_free(ctx);
    return 0;
#else
    (void)tagger_path;
    (void)c;
    fprintf(stderr, "train_parser: this casus has no tagger\n");
    return -1;
#endif
}

/* ------------------------------------------------------------ jackknifing */

/* Writes the sentences of c whose index modulo k is not `fold` (all of
 * them when fold < 0) as CoNLL-U, with the tags now in tok[]. */
static int write_conllu(const corpus *c, int k, int fold, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "train_parser: cannot write %s\n", path);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (fold >= 0 && (int)(i % (size_t)k) == fold)
            continue;
        const sent *s = &c->s[i];
        for (int j = 0; j < s->n; j++) {
            const casus_token *t = &s->tok[j];
            int h = s->gh[j + 1] > s->n ? 0 : s->gh[j + 1];
            fprintf(f, "%d\t%.*s\t_\t%s\t%s\t_\t%d\t%s\t_\t_\n", j + 1,
                    (int)t->form.n, t->form.p, casus_upos_name(t->upos),
                    casus_xpos_name(t->xpos), h,
                    casus_deprel_name((unsigned)s->gdeprel[j + 1]));
        }
        fputc('\n', f);
    }
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad)
        fprintf(stderr, "train_parser: cannot write %s\n", path);
    return bad ? -1 : 0;
}

#ifdef HAVE_TAGGER
/* Tags the sentences of c (i % k == fold, or all when k == 0) in place
 * with the tagger model at path; with keep, also stores the tags in
 * pred_upos/pred_xpos and puts the gold ones back. */
static int tag_with(const char *path, corpus *c, int k, int fold, int keep)
{
    casus_ctx *ctx = casus_ctx_new();
    tagger *tg = NULL;
    tag_work wk;
    memset(&wk, 0, sizeof wk);
    int rc = -1;
    if (!ctx || tag_load(ctx, path, &tg) != CASUS_OK) {
        fprintf(stderr, "train_parser: %s\n", ctx ? casus_ctx_message(ctx) : "no memory");
        goto done;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (k > 0 && (int)(i % (size_t)k) != fold)
            continue;
        sent *s = &c->s[i];
        if (tag_run(ctx, tg, &wk, s->tok, (size_t)s->n) != CASUS_OK)
            goto done;
        if (!keep)
            continue;
        s->pred_upos = xmalloc((size_t)s->n);
        s->pred_xpos = xmalloc((size_t)s->n);
        for (int j = 0; j < s->n; j++) {
            s->pred_upos[j] = s->tok[j].upos;
            s->pred_xpos[j] = s->tok[j].xpos;
            s->tok[j].upos = s->gold_upos[j];
            s->tok[j].xpos = s->gold_xpos[j];
        }
    }
    rc = 0;
done:
    tag_work_free(ctx, &wk);
    tag_free(ctx, tg);
    casus_ctx_free(ctx);
    return rc;
}

/*
 * Jackknifing: the training sentences get the tags a tagger predicts for
 * text it has not seen, as the parser will get at run time. The sentences
 * are dealt into k folds (index modulo k); for each fold a tagger is
 * trained on the other k - 1 by running `cmd --train FOLD.conllu --out
 * FOLD.bin` (the tagger trainer with its usual options), `jobs` at a time,
 * and tags the held-out fold. Tagger training is deterministic, so the
 * result is too.
 */
static int jackknife(corpus *c, int k, const char *cmd, int jobs, int quiet)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/train_parser.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "train_parser: cannot make a directory in %s\n",
                tmp && *tmp ? tmp : "/tmp");
        return -1;
    }
    int rc = -1;
    size_t cap = (strlen(cmd) + 2 * sizeof dir + 64) * (size_t)jobs + 16;
    char *script = xmalloc(cap);
    for (int f = 0; f < k; f++) {
        snprintf(path, sizeof path, "%s/fold%d.conllu", dir, f);
        if (write_conllu(c, k, f, path) != 0)
            goto done;
    }
    for (int f0 = 0; f0 < k; f0 += jobs) {
        size_t len = 0;
        for (int f = f0; f < k && f < f0 + jobs; f++)
            len += (size_t)snprintf(script + len, cap - len,
                                    "(%s --train %s/fold%d.conllu --out %s/fold%d.bin "
                                    ">%s/fold%d.log 2>&1) & ",
                                    cmd, dir, f, dir, f, dir, f);
        snprintf(script + len, cap - len, "wait");
        if (!quiet)
            fprintf(stderr, "train_parser: jackknife folds %d..%d of %d\n", f0 + 1,
                    f0 + jobs < k ? f0 + jobs : k, k);
        if (system(script) != 0)
            goto done;
    }
    for (int f = 0; f < k; f++) {
        snprintf(path, sizeof path, "%s/fold%d.bin", dir, f);
        if (tag_with(path, c, k, f, 0) != 0) {
            fprintf(stderr, "train_parser: fold %d: see %s/fold%d.log\n", f, dir, f);
            goto done;
        }
    }
    rc = 0;
done:
    if (rc == 0) {
        static const char *ext[] = {"conllu", "bin", "log"};
        for (int f = 0; f < k; f++)
            for (int e = 0; e < 3; e++) {
                snprintf(path, sizeof path, "%s/fold%d.%s", dir, f, ext[e]);
                unlink(path);
            }
        rmdir(dir);
    }
    free(script);
    return rc;
}
#endif

/* Moves the tags now in tok[] to pred_upos/pred_xpos and puts the gold
 * ones back. */
static void keep_predicted(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        sent *s = &c->s[i];
        s->pred_upos = xmalloc((size_t)s->n);
        s->pred_xpos = xmalloc((size_t)s->n);
        for (int j = 0; j < s->n; j++) {
            s->pred_upos[j] = s->tok[j].upos;
            s->pred_xpos[j] = s->tok[j].xpos;
            s->tok[j].upos = s->gold_upos[j];
            s->tok[j].xpos = s->gold_xpos[j];
        }
    }
}

/* Takes the tags of the same treebank from another file (as written by
 * --write-tags) as the predicted tags. */
static int tags_from(const char *path, corpus *c)
{
    corpus t = {0};
    int rc = -1;
    if (read_corpus(path, &t, 0) != 0 || t.n != c->n) {
        fprintf(stderr, "train_parser: %s: not the training sentences\n", path);
        goto done;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (t.s[i].n != c->s[i].n) {
            fprintf(stderr, "train_parser: %s: not the training sentences\n", path);
            goto done;
        }
        for (int j = 0; j < c->s[i].n; j++) {
            c->s[i].tok[j].upos = t.s[i].tok[j].upos;
            c->s[i].tok[j].xpos = t.s[i].tok[j].xpos;
        }
    }
    keep_predicted(c);
    rc = 0;
done:
    free_corpus(&t);
    return rc;
}

static void add_noise(sent *s, double rate)
{
    if (have_conf) {
        for (int j = 0; j < s->n; j++) {
            s->tok[j].upos = s->gold_upos[j];
            s->tok[j].xpos = s->gold_xpos[j];
            int g = pair_id(s->gold_upos[j], s->gold_xpos[j]);
            if (g < 0 || conf_tot[g] == 0 || rng_unit() >= rate)
                continue;
            /* draw from the confusion row, scaled so that rate 1 gives the
             * tagger's own error rate */
            uint32_t r = (uint32_t)(rng() % conf_tot[g]);
            for (int p = 0; p < n_pairs; p++) {
                if (r < conf_n[g][p]) {
                    s->tok[j].upos = pairs[p].upos;
                    s->tok[j].xpos = pairs[p].xpos;
                    break;
                }
                r -= conf_n[g][p];
            }
        }
        return;
    }
    for (int j = 0; j < s->n; j++) {
        s->tok[j].upos = s->gold_upos[j];
        s->tok[j].xpos = s->gold_xpos[j];
        if (rate > 0 && rng_unit() < rate) {
            /* a tag of a neighbouring class: pick any seen pair sharing the
             * UPOS, or else any pair */
            tagpair t = pairs[rng() % (uint64_t)n_pairs];
            for (int tries = 0; tries < 8 && t.upos != s->gold_upos[j]; tries++)
                t = pairs[rng() % (uint64_t)n_pairs];
            if (t.xpos == s->gold_xpos[j])
                t = pairs[rng() % (uint64_t)n_pairs];
            s->tok[j].upos = t.upos;
            s->tok[j].xpos = t.xpos;
        }
    }
}

static int have_tagger(void)
{
#ifdef HAVE_TAGGER
    return 1;
#else
    return 0;
#endif
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *train_path = NULL, *dev_path = NULL, *out = NULL;
    const char *version = "ewt-3";
    int epochs = 20, explore_from = 1, quiet = 0;
    double explore_p = 0.2, noise = 0;
    const char *conf_tagger = NULL, *dev_tagger = NULL, *tagger_cmd = NULL;
    const char *write_tags = NULL, *clusters = NULL, *tags_file = NULL;
    double gold_mix = 0;
    int folds = 0, jobs = 2, runs = 1;
    unsigned featset = PARSER_FEATSET;
    unsigned act_bits = 18, lab_bits = 14, act_small = 16, lab_small = 12;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "train_parser: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--train") == 0) train_path = v;
        else if (strcmp(a, "--dev") == 0) dev_path = v;
        else if (strcmp(a, "--out") == 0) out = v;
        else if (strcmp(a, "--version") == 0) version = v;
        else if (strcmp(a, "--epochs") == 0) epochs = atoi(v);
        else if (strcmp(a, "--seed") == 0) seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--act-bits") == 0) act_bits = (unsigned)atoi(v);
        else if (strcmp(a, "--lab-bits") == 0) lab_bits = (unsigned)atoi(v);
        else if (strcmp(a, "--act-small") == 0) act_small = (unsigned)atoi(v);
        else if (strcmp(a, "--lab-small") == 0) lab_small = (unsigned)atoi(v);
        else if (strcmp(a, "--explore-from") == 0) explore_from = atoi(v);
        else if (strcmp(a, "--explore-p") == 0) explore_p = atof(v);
        else if (strcmp(a, "--tag-noise") == 0) noise = atof(v);
        else if (strcmp(a, "--tag-confusions") == 0) conf_tagger = v;
        else if (strcmp(a, "--tagger") == 0) dev_tagger = v;
        else if (strcmp(a, "--jackknife") == 0) folds = atoi(v);
        else if (strcmp(a, "--train-tagger") == 0) tagger_cmd = v;
        else if (strcmp(a, "--jobs") == 0) jobs = atoi(v);
        else if (strcmp(a, "--write-tags") == 0) write_tags = v;
        else if (strcmp(a, "--clusters") == 0) clusters = v;
        else if (strcmp(a, "--tags-from") == 0) tags_file = v;
        else if (strcmp(a, "--gold-mix") == 0) gold_mix = atof(v);
        else if (strcmp(a, "--runs") == 0) runs = atoi(v);
        else if (strcmp(a, "--featset") == 0) featset = (unsigned)atoi(v);
        else {
            fprintf(stderr, "train_parser: unknown option %s\n", a);
            return 2;
        }
    }
    if (!train_path || !out || act_bits < 4 || act_bits > 28 || lab_bits < 4 ||
        lab_bits > 28 || act_small < 4 || act_small > 28 || lab_small < 4 ||
        lab_small > 28 || epochs < 1 || folds < 0 || folds == 1 || folds > 100 ||
        jobs < 1 || jobs > 16 || (folds && !tagger_cmd) || runs < 1 || runs > 16 ||
        featset < PARSER_FEATSET_MIN || featset > PARSER_FEATSET) {
        fprintf(stderr, "usage: train_parser --train FILE [--dev FILE] --out FILE "
                        "[--epochs N] [--seed S] [--act-bits B] [--lab-bits B] "
                        "[--act-small B] [--lab-small B] [--explore-from E] [--explore-p P] [--tag-noise R] "
                        "[--tag-confusions TAGGER] [--tagger TAGGER] [--jackknife K "
                        "--train-tagger CMD [--jobs J]] [--write-tags FILE] [--clusters FILE] "
                        "[--runs R] [--featset F]\n");
        return 2;
    }
    rng_state ^= seed * 0x9E3779B97F4A7C15ull;
    if (!rng_state)
        rng_state = 1;
    double t0 = now();
    corpus train = {0}, dev = {0};
    if (load_clusters(clusters) != 0)
        return 1;
    if (read_corpus(train_path, &train, 1) != 0 ||
        (dev_path && read_corpus(dev_path, &dev, 0) != 0)) {
        fprintf(stderr, "train_parser: cannot read the treebanks\n");
        return 1;
    }
    collect_pairs(&train);
    if (conf_tagger && (!dev.n || learn_confusions(conf_tagger, &dev) != 0)) {
        fprintf(stderr, "train_parser: --tag-confusions needs --dev and a tagger\n");
        return 1;
    }
    if ((folds || dev_tagger) && !have_tagger()) {
        fprintf(stderr, "train_parser: this casus has no tagger\n");
        return 1;
    }
#ifdef HAVE_TAGGER
    if (folds && jackknife(&train, folds, tagger_cmd, jobs, quiet) != 0) {
        fprintf(stderr, "train_parser: jackknifing failed\n");
        return 1;
    }
    if (dev_tagger && dev.n && tag_with(dev_tagger, &dev, 0, 0, 1) != 0)
        return 1;
#endif
    if (write_tags && write_conllu(&train, 1, -1, write_tags) != 0)
        return 1;
    if (folds)
        keep_predicted(&train);
    else if (tags_file && tags_from(tags_file, &train) != 0)
        return 1;
    if (!quiet && folds)
        fprintf(stderr, "train_parser: jackknifed tags after %.0fs\n", now() - t0);
    root_cls = deprel_cls[ud_deprel_id("root", 4)];
    for (size_t i = 0; i < train.n; i++)
        for (int j = 1; j <= train.s[i].n; j++) {
            const sent *s = &train.s[i];
            if (s->gh[j] <= s->n)
                lmask[j < s->gh[j] ? 0 : 1] |= 1ull << s->gl[j];
        }
    model m;
    memset(&m, 0, sizeof m);
    m.act_bits = PBITS(act_bits, act_small, featset);
    m.lab_bits = PBITS(lab_bits, lab_small, featset);
    m.n_cls = (unsigned)n_cls;
    m.stride = ((unsigned)n_cls + 7) & ~7u;
    size_t na = P_NACT * pbits_rows(m.act_bits), nl = m.stride * pbits_rows(m.lab_bits);
    m.aw = xmalloc(na * sizeof *m.aw);
    m.au = xmalloc(na * sizeof *m.au);
    m.aavg = xmalloc(na * sizeof *m.aavg);
    m.lw = xmalloc(nl * sizeof *m.lw);
    m.lu = xmalloc(nl * sizeof *m.lu);
    m.lavg = xmalloc(nl * sizeof *m.lavg);
    float *best_a = xmalloc(na * sizeof *best_a), *best_l = xmalloc(nl * sizeof *best_l);
    size_t *order = xmalloc(train.n * sizeof *order);
    for (size_t i = 0; i < train.n; i++)
        order[i] = i;
    if (!quiet)
        fprintf(stderr, "train_parser: %zu train sentences, %zu dev, %d labels, "
                        "read in %.1fs\n", train.n, dev.n, n_cls - 1, now() - t0);
    double best_las = -1;
    int best_epoch = 0;
    float *sum_a = runs > 1 ? xmalloc(na * sizeof *sum_a) : NULL;
    float *sum_l = runs > 1 ? xmalloc(nl * sizeof *sum_l) : NULL;
    for (int run = 0; run < runs; run++) {
    if (run > 0) {
        memset(m.aw, 0, na * sizeof *m.aw);
        memset(m.au, 0, na * sizeof *m.au);
        memset(m.lw, 0, nl * sizeof *m.lw);
        memset(m.lu, 0, nl * sizeof *m.lu);
        m.ac = m.lc = 0;
        best_las = -1;
    }
    for (int e = 0; e < epochs; e++) {
        for (size_t i = train.n; i > 1; i--) {
            size_t j = (size_t)(rng() % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        counts tc = {0, 0, 0};
        for (size_t i = 0; i < train.n; i++) {
            sent *s = &train.s[order[i]];
            if (s->pred_upos) {
                /* jackknifed tags, or now and then the gold ones */
                int g = gold_mix > 0 && rng_unit() < gold_mix;
                for (int j = 0; j < s->n; j++) {
                    s->tok[j].upos = g ? s->gold_upos[j] : s->pred_upos[j];
                    s->tok[j].xpos = g ? s->gold_xpos[j] : s->pred_xpos[j];
                }
            } else {
                add_noise(s, noise);
            }
            run_sentence(&m, s, 1, e >= explore_from, explore_p, NULL);
        }
        average(&m);
        if (dev.n) {
            /* the epoch is chosen on the tags the parser will see: the
             * pipeline tagger's when there is one */
            counts dc = {0, 0, 0}, pc = {0, 0, 0};
            for (size_t i = 0; i < dev.n; i++)
                run_sentence(&m, &dev.s[i], 0, 0, 0, &dc);
            double uas = 100.0 * (double)dc.uas / (double)dc.words;
            double las = 100.0 * (double)dc.las / (double)dc.words;
            if (!quiet)
                fprintf(stderr, "epoch %2d: dev UAS %.2f LAS %.2f", e + 1, uas, las);
            if (dev.s[0].pred_upos) {
                for (size_t i = 0; i < dev.n; i++) {
                    sent *s = &dev.s[i];
                    for (int j = 0; j < s->n; j++) {
                        s->tok[j].upos = s->pred_upos[j];
                        s->tok[j].xpos = s->pred_xpos[j];
                    }
                    run_sentence(&m, s, 0, 0, 0, &pc);
                    for (int j = 0; j < s->n; j++) {
                        s->tok[j].upos = s->gold_upos[j];
                        s->tok[j].xpos = s->gold_xpos[j];
                    }
                }
                uas = 100.0 * (double)pc.uas / (double)pc.words;
                las = 100.0 * (double)pc.las / (double)pc.words;
                if (!quiet)
                    fprintf(stderr, ", predicted tags UAS %.2f LAS %.2f", uas, las);
            }
            if (!quiet)
                fprintf(stderr, " (%.0fs)\n", now() - t0);
            if (las > best_las) {
                best_las = las;
                best_epoch = e + 1;
                memcpy(best_a, m.aavg, na * sizeof *best_a);
                memcpy(best_l, m.lavg, nl * sizeof *best_l);
            }
        } else {
            best_epoch = e + 1;
            memcpy(best_a, m.aavg, na * sizeof *best_a);
            memcpy(best_l, m.lavg, nl * sizeof *best_l);
        }
        (void)tc;
    }
    if (runs > 1) {
        for (size_t i = 0; i < na; i++)
            sum_a[i] += best_a[i] / (float)runs;
        for (size_t i = 0; i < nl; i++)
            sum_l[i] += best_l[i] / (float)runs;
        if (!quiet)
            fprintf(stderr, "run %d: epoch %d, dev LAS %.2f\n", run + 1, best_epoch, best_las);
    }
    }
    if (runs > 1) {
        memcpy(best_a, sum_a, na * sizeof *best_a);
        memcpy(best_l, sum_l, nl * sizeof *best_l);
        memcpy(m.aavg, sum_a, na * sizeof *m.aavg);
        memcpy(m.lavg, sum_l, nl * sizeof *m.lavg);
        counts pc = {0, 0, 0};
        for (size_t i = 0; i < dev.n; i++) {
            sent *s = &dev.s[i];
            if (s->pred_upos)
                for (int j = 0; j < s->n; j++) {
                    s->tok[j].upos = s->pred_upos[j];
                    s->tok[j].xpos = s->pred_xpos[j];
                }
            run_sentence(&m, s, 0, 0, 0, &pc);
        }
        best_las = pc.words ? 100.0 * (double)pc.las / (double)pc.words : 0;
        if (!quiet && pc.words)
            fprintf(stderr, "averaged %d runs: dev UAS %.2f LAS %.2f\n", runs,
                    100.0 * (double)pc.uas / (double)pc.words, best_las);
        free(sum_a);
        free(sum_l);
    }
    int rc = save(&m, best_a, best_l, out, version) != 0;
    if (!rc)
        fprintf(stderr, "train_parser: wrote %s (epoch %d, dev LAS %.2f) in %.0fs\n",
                out, best_epoch, best_las, now() - t0);
    free(m.aw);
    free(m.au);
    free(m.aavg);
    free(m.lw);
    free(m.lu);
    free(m.lavg);
    free(best_a);
    free(best_l);
    free(order);
    free(clus_slot);
    free_corpus(&train);
    free_corpus(&dev);
    return rc;
}
