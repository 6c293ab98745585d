/*
 * train_tagger.c - trains the part-of-speech tagger (src/tag.c) on a
 * CoNLL-U treebank and writes data/models/tagger.bin.
 *
 *   build/tools/train_tagger --train TRAIN.conllu [--dev DEV.conllu]
 *       [--clusters CLUSTERS.txt] [--epochs N] [--seed S] [--min-feat N]
 *       [--amb-min N] [--amb-frac X] [--runs R] --out tagger.bin
 *
 * An averaged perceptron over combined "UPOS XPOS" labels, trained greedily
 * left to right on its own predicted history (as it runs), in sentence
 * order shuffled per epoch by a fixed-seed generator, so a run is
 * deterministic. Features come from tag_features(), the run-time code.
 *
 * Steps: (1) read the treebank; (2) labels: every "UPOS XPOS" pair seen at
 * least MIN_LABEL times (rarer pairs are mapped to the most frequent label
 * with the same XPOS); (3) tag dictionary: forms seen at least DICT_MIN
 * times with one label in at least DICT_RATIO of them; (4) the lexicon: the
 * clusters file (cluster, capitalisation class) plus every lowercased
 * training form's ambiguity class (the labels it took in at least amb_frac
 * of at least amb_min occurrences); training words get classes jackknifed
 * over AMB_FOLDS folds of sentences, so a rare word looks in training as it
 * will at run time instead of always carrying its own gold label (without
 * that the class features overfit and gain nothing); (5) features seen at
 * least min_feat (2) times with gold history; (6) epochs of perceptron
 * updates, dev accuracy printed after each; (7) the averaged weights
 * quantized to int16 (one quantum = largest magnitude / 32000), zeros
 * dropped, written as the tables tag.c maps.
 *
 * --runs R trains R times (the shuffling generator goes on) and writes the
 * mean of the R averaged weight sets; not used by `make models`: dev +0.10
 * label / +0.07 UPOS for R = 3, but 40% more non-zero weights to read.
 *
 * Tried on dev and left out (no gain): a second, right-to-left-informed
 * pass that re-decides words using the first pass's labels of the next two
 * words (trained on its own first-pass labels, which are too good on
 * training data: -0.05); capitalisation classes of the neighbours; more
 * neighbour conjunctions; 10+ epochs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "model.h"
#include "tag.h"

#define MIN_LABEL 3
#define DICT_MIN 10
#define DICT_RATIO 0.98
static unsigned min_feat = 2;
#define MAX_LABELS 128
#define DENSE_MIN 24      /* features with this many weights get a dense row */

/* Ambiguity classes: words seen at least amb_min times get the set of
 * labels they took in at least amb_frac of their occurrences. */
static unsigned amb_min = 1;
static double amb_frac = 0.01;
#define AMB_FOLDS 10

typedef struct corpus {
    tag_word *w;
    uint8_t *gold;        /* label per word */
    char **form;          /* for the tag dictionary */
    size_t n, cap;
    size_t *sent;         /* start of each sentence; sent[n_sent] = n */
    size_t n_sent, cap_sent;
} corpus;

static char label_name[MAX_LABELS][32];
static unsigned n_labels;

/* Raw pair -> count, before the label set is fixed. */
static char pair_name[512][32];
static size_t pair_count[512];
static unsigned n_pairs;
static int pair_label[512];

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "train_tagger: out of memory\n");
        exit(3);
    }
    return q;
}

static unsigned pair_id(const char *name)
{
    for (unsigned i = 0; i < n_pairs; i++)
        if (!strcmp(pair_name[i], name))
            return i;
    if (n_pairs == 512) {
        fprintf(stderr, "train_tagger: too many label pairs\n");
        exit(3);
    }
    snprintf(pair_name[n_pairs], sizeof pair_name[0], "%s", name);
    return n_pairs++;
}

/* Lexicon table built from a "word<TAB>cluster<TAB>capitalisation" file
 * (a missing third column reads as class 0). */
typedef struct ctab {
    tag_dslot *s;
    uint64_t mask;
    uint32_t bits;
} ctab;

static void dput(tag_dslot *tab, uint64_t mask, uint64_t key, uint32_t v)
{
    uint64_t i = (key >> 20) & mask;
    while (tab[i].key && tab[i].key != key)
        i = (i + 1) & mask;
    tab[i].key = key;
    tab[i].value = v;
}

static const tag_dslot *dget(const tag_dslot *tab, uint64_t mask, uint64_t key)
{
    uint64_t i = (key >> 20) & mask;
    while (tab[i].key) {
        if (tab[i].key == key)
            return &tab[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

static uint32_t bits_for(size_t n)
{
    uint32_t b = 0;
    while (((size_t)1 << b) < 2 * n)
        b++;
    return b;
}

static void load_clusters(const char *path, ctab *c)
{
    c->bits = 0;
    c->mask = 0;
    c->s = xrealloc(NULL, sizeof *c->s);
    memset(c->s, 0, sizeof *c->s);
    if (!path)
        return;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "train_tagger: %s: cannot open\n", path);
        exit(2);
    }
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f))
        n++;
    rewind(f);
    c->bits = bits_for(n);
    c->mask = ((uint64_t)1 << c->bits) - 1;
    c->s = xrealloc(c->s, ((size_t)1 << c->bits) * sizeof *c->s);
    memset(c->s, 0, ((size_t)1 << c->bits) * sizeof *c->s);
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        tag_word w;
        tag_word_init(&w, line, (size_t)(tab - line), 0);
        char *end;
        uint32_t cid = (uint32_t)strtoul(tab + 1, &end, 10) + 1;
        uint32_t cap = *end == '\t' ? (uint32_t)strtoul(end + 1, NULL, 10) : 0;
        dput(c->s, c->mask, tag_cluster_key(w.lower), cid | cap << TAG_CAP_SHIFT);
    }
    fclose(f);
}

static void read_corpus(const char *path, corpus *c, const ctab *cl, int count_pairs)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r;
    casus_date nodate = {0, 0, 0};
    if (!doc || casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, nodate, &r) != CASUS_OK) {
        fprintf(stderr, "train_tagger: %s\n", casus_ctx_message(ctx));
        exit(2);
    }
    while (casus_reader_next(r, doc) == CASUS_OK) {
        for (size_t s = 0; s < doc->n_gold_sent; s++) {
            const gold_sentence *gs = &doc->gold_sent[s];
            if (c->n_sent + 2 > c->cap_sent) {
                c->cap_sent = c->cap_sent ? 2 * c->cap_sent : 4096;
                c->sent = xrealloc(c->sent, c->cap_sent * sizeof *c->sent);
            }
            c->sent[c->n_sent++] = c->n;
            for (size_t i = 0; i < gs->n_tokens; i++) {
                const gold_token *g = &doc->gold_tok[gs->first_token + i];
                if (c->n == c->cap) {
                    c->cap = c->cap ? 2 * c->cap : 65536;
                    c->w = xrealloc(c->w, c->cap * sizeof *c->w);
                    c->gold = xrealloc(c->gold, c->cap);
                    c->form = xrealloc(c->form, c->cap * sizeof *c->form);
                }
                const char *fp = doc->gold_strings.p + g->form_off;
                tag_word_init(&c->w[c->n], fp, g->form_n, i == 0);
                const tag_dslot *d = dget(cl->s, cl->mask,
                                          tag_cluster_key(c->w[c->n].lower));
                if (d) {
                    c->w[c->n].cluster = d->value & TAG_CLUSTER_MASK;
                    c->w[c->n].capc = d->value >> TAG_CAP_SHIFT;
                }
                char name[32];
                snprintf(name, sizeof name, "%s %s", casus_upos_name(g->upos),
                         casus_xpos_name(g->xpos));
                unsigned pid = pair_id(name);
                if (count_pairs)
                    pair_count[pid]++;
                c->gold[c->n] = (uint8_t)pid;   /* remapped to labels later */
                c->form[c->n] = xrealloc(NULL, g->form_n + 1);
                memcpy(c->form[c->n], fp, g->form_n);
                c->form[c->n][g->form_n] = '\0';
                c->n++;
            }
        }
    }
    c->sent[c->n_sent] = c->n;
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

static int cmp_pair(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    if (pair_count[x] != pair_count[y])
        return pair_count[x] > pair_count[y] ? -1 : 1;
    return strcmp(pair_name[x], pair_name[y]);
}

static void make_labels(void)
{
    unsigned order[512];
    for (unsigned i = 0; i < n_pairs; i++)
        order[i] = i;
    qsort(order, n_pairs, sizeof order[0], cmp_pair);
    for (unsigned k = 0; k < n_pairs; k++) {
        unsigned i = order[k];
        pair_label[i] = -1;
        if (pair_count[i] >= MIN_LABEL && n_labels < MAX_LABELS &&
            strcmp(pair_name[i], "_ _") != 0) {
            snprintf(label_name[n_labels], sizeof label_name[0], "%s", pair_name[i]);
            pair_label[i] = (int)n_labels++;
        }
    }
    /* Rare pairs (and pairs first met in the dev set): the most frequent
     * label with the same XPOS, else label 0. */
    for (unsigned i = 0; i < n_pairs; i++) {
        if (pair_label[i] >= 0)
            continue;
        const char *x = strchr(pair_name[i], ' ');
        pair_label[i] = 0;
        for (unsigned l = 0; l < n_labels; l++)
            if (!strcmp(strchr(label_name[l], ' '), x)) {
                pair_label[i] = (int)l;
                break;
            }
    }
}

static void remap(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        c->gold[i] = (uint8_t)pair_label[c->gold[i]];
}

/* ------------------------------------------------------- feature index */

typedef struct fmap {
    uint64_t *key;
    uint32_t *val;    /* row, or a count while counting */
    uint64_t mask;
    size_t n;
} fmap;

static void fmap_init(fmap *m, uint32_t bits)
{
    m->mask = ((uint64_t)1 << bits) - 1;
    m->key = xrealloc(NULL, (m->mask + 1) * sizeof *m->key);
    m->val = xrealloc(NULL, (m->mask + 1) * sizeof *m->val);
    memset(m->key, 0, (m->mask + 1) * sizeof *m->key);
    m->n = 0;
}

static uint32_t *fmap_slot(fmap *m, uint64_t key, int insert)
{
    uint64_t i = (key >> 20) & m->mask;
    while (m->key[i]) {
        if (m->key[i] == key)
            return &m->val[i];
        i = (i + 1) & m->mask;
    }
    if (!insert)
        return NULL;
    if (2 * (m->n + 1) > m->mask + 1) {
        /* Grow and reinsert. */
        fmap old = *m;
        fmap_init(m, 0);
        free(m->key);
        free(m->val);
        m->mask = old.mask * 2 + 1;
        m->key = xrealloc(NULL, (m->mask + 1) * sizeof *m->key);
        m->val = xrealloc(NULL, (m->mask + 1) * sizeof *m->val);
        memset(m->key, 0, (m->mask + 1) * sizeof *m->key);
        for (uint64_t j = 0; j <= old.mask; j++)
            if (old.key[j]) {
                uint64_t k = (old.key[j] >> 20) & m->mask;
                while (m->key[k])
                    k = (k + 1) & m->mask;
                m->key[k] = old.key[j];
                m->val[k] = old.val[j];
            }
        m->n = old.n;
        free(old.key);
        free(old.val);
        return fmap_slot(m, key, 1);
    }
    m->key[i] = key;
    m->val[i] = 0;
    m->n++;
    return &m->val[i];
}

/* ------------------------------------------------------- tag dictionary */

typedef struct dict_entry {
    uint64_t key;
    uint32_t count[MAX_LABELS];
} dict_entry;

static tag_dslot *dict;
static uint64_t dict_mask;
static uint32_t dict_bits;

static void build_dict(const corpus *c)
{
    fmap idx;
    fmap_init(&idx, 16);
    dict_entry *de = NULL;
    size_t nde = 0, cap = 0;
    for (size_t i = 0; i < c->n; i++) {
        uint32_t *v = fmap_slot(&idx, c->w[i].form, 1);
        if (*v == 0) {
            if (nde == cap) {
                cap = cap ? 2 * cap : 4096;
                de = xrealloc(de, cap * sizeof *de);
            }
            memset(&de[nde], 0, sizeof de[nde]);
            de[nde].key = c->w[i].form;
            *v = (uint32_t)++nde;
        }
        de[*v - 1].count[c->gold[i]]++;
    }
    size_t keep = 0;
    for (size_t k = 0; k < nde; k++) {
        uint32_t tot = 0, best = 0;
        for (unsigned l = 0; l < n_labels; l++) {
            tot += de[k].count[l];
            if (de[k].count[l] > de[k].count[best])
                best = l;
        }
        if (tot >= DICT_MIN && de[k].count[best] >= DICT_RATIO * tot)
            de[keep++] = (dict_entry){de[k].key, {best}};
    }
    dict_bits = bits_for(keep ? keep : 1);
    dict_mask = ((uint64_t)1 << dict_bits) - 1;
    dict = xrealloc(NULL, (dict_mask + 1) * sizeof *dict);
    memset(dict, 0, (dict_mask + 1) * sizeof *dict);
    for (size_t k = 0; k < keep; k++)
        dput(dict, dict_mask, de[k].key, de[k].count[0]);
    printf("tag dictionary: %zu of %zu forms\n", keep, nde);
    free(de);
    free(idx.key);
    free(idx.val);
}

/* ------------------------------------------------------- lexicon */

typedef struct amb_class {
    uint64_t bits[2];
} amb_class;

static amb_class *classes;
static size_t n_classes;

static uint32_t class_id(const amb_class *c)
{
    for (size_t i = 0; i < n_classes; i++)
        if (!memcmp(&classes[i], c, sizeof *c))
            return (uint32_t)i + 2;
    classes = xrealloc(classes, (n_classes + 1) * sizeof *classes);
    classes[n_classes++] = *c;
    return (uint32_t)n_classes + 1;
}

/*
 * The lexicon: the cluster table extended with the ambiguity class of every
 * lowercased form seen at least amb_min times in training. Replaces cl and
 * fills in the classes of the words of the given corpora.
 */
static void build_lexicon(ctab *cl, corpus *tr, corpus *dv)
{
    fmap idx;
    fmap_init(&idx, 16);
    dict_entry *de = NULL;
    size_t nde = 0, cap = 0;
    for (size_t i = 0; i < tr->n; i++) {
        uint64_t key = tag_cluster_key(tr->w[i].lower);
        uint32_t *v = fmap_slot(&idx, key, 1);
        if (*v == 0) {
            if (nde == cap) {
                cap = cap ? 2 * cap : 4096;
                de = xrealloc(de, cap * sizeof *de);
            }
            memset(&de[nde], 0, sizeof de[nde]);
            de[nde].key = key;
            *v = (uint32_t)++nde;
        }
        de[*v - 1].count[tr->gold[i]]++;
    }
    size_t n_old = 0;
    for (uint64_t j = 0; j <= cl->mask; j++)
        n_old += cl->s[j].key != 0;
    uint32_t bits = bits_for(n_old + nde + 1);
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    tag_dslot *t = xrealloc(NULL, (mask + 1) * sizeof *t);
    memset(t, 0, (mask + 1) * sizeof *t);
    for (uint64_t j = 0; j <= cl->mask; j++)
        if (cl->s[j].key)
            dput(t, mask, cl->s[j].key, cl->s[j].value);
    size_t n_amb = 0;
    for (size_t k = 0; k < nde; k++) {
        uint32_t tot = 0;
        for (unsigned l = 0; l < n_labels; l++)
            tot += de[k].count[l];
        if (tot < amb_min)
            continue;
        amb_class c = {{0, 0}};
        for (unsigned l = 0; l < n_labels; l++)
            if (de[k].count[l] && de[k].count[l] >= amb_frac * tot)
                c.bits[l >> 6] |= (uint64_t)1 << (l & 63);
        uint32_t id = class_id(&c);
        const tag_dslot *d = dget(t, mask, de[k].key);
        if (!d)
            dput(t, mask, de[k].key, 0);
        tag_dslot *s = (tag_dslot *)dget(t, mask, de[k].key);
        s->amb = id;
        n_amb++;
    }
    printf("lexicon: %zu cluster words, %zu with an ambiguity class (%zu classes)\n",
           n_old, n_amb, n_classes);
    free(cl->s);
    cl->s = t;
    cl->mask = mask;
    cl->bits = bits;
    for (size_t i = 0; i < dv->n; i++) {
        const tag_dslot *d = dget(t, mask, tag_cluster_key(dv->w[i].lower));
        if (d && d->amb)
            dv->w[i].amb = d->amb;
    }
    /* Training words get their classes jackknifed: from the counts of the
     * other AMB_FOLDS - 1 folds of sentences, so that rare words look as
     * they will at run time (often unknown) rather than always carrying
     * their own gold label in their class. */
    uint32_t *cnt = xrealloc(NULL, nde * n_labels * sizeof *cnt);
    for (unsigned f = 0; f < AMB_FOLDS; f++) {
        memset(cnt, 0, nde * n_labels * sizeof *cnt);
        for (size_t s = 0; s < tr->n_sent; s++) {
            if (s % AMB_FOLDS == f)
                continue;
            for (size_t i = tr->sent[s]; i < tr->sent[s + 1]; i++)
                cnt[(size_t)(*fmap_slot(&idx, tag_cluster_key(tr->w[i].lower), 0) - 1) *
                    n_labels + tr->gold[i]]++;
        }
        for (size_t s = f; s < tr->n_sent; s += AMB_FOLDS)
            for (size_t i = tr->sent[s]; i < tr->sent[s + 1]; i++) {
                const uint32_t *c = cnt + (size_t)(*fmap_slot(&idx,
                                         tag_cluster_key(tr->w[i].lower), 0) - 1) * n_labels;
                uint32_t tot = 0;
                for (unsigned l = 0; l < n_labels; l++)
                    tot += c[l];
                tr->w[i].amb = TAG_AMB_UNKNOWN;
                if (tot < amb_min)
                    continue;
                amb_class ac = {{0, 0}};
                for (unsigned l = 0; l < n_labels; l++)
                    if (c[l] && c[l] >= amb_frac * tot)
                        ac.bits[l >> 6] |= (uint64_t)1 << (l & 63);
                tr->w[i].amb = class_id(&ac);
            }
    }
    free(cnt);
    free(de);
    free(idx.key);
    free(idx.val);
}

/* ------------------------------------------------------- perceptron */

static fmap fidx;        /* feature key -> row */
static float *W, *U;     /* weights and averaging accumulators, row * L */
static size_t n_rows;

static unsigned predict(const float *w, const uint64_t *f, size_t nf,
                        uint32_t *rows, size_t *nrows)
{
    float score[MAX_LABELS];
    memset(score, 0, sizeof score);
    size_t nr = 0;
    for (size_t k = 0; k < nf; k++) {
        uint32_t *r = fmap_slot(&fidx, f[k], 0);
        if (!r)
            continue;
        rows[nr++] = *r;
        const float *row = w + (size_t)*r * n_labels;
        for (unsigned l = 0; l < n_labels; l++)
            score[l] += row[l];
    }
    *nrows = nr;
    unsigned best = 0;
    for (unsigned l = 1; l < n_labels; l++)
        if (score[l] > score[best])
            best = l;
    return best;
}

static double cstep = 1;

/* Perceptron update: the features in rows[] towards gold g, away from y. */
static void update(float *w, float *u, const uint32_t *rows, size_t nr,
                   unsigned g, unsigned y)
{
    float cs = (float)cstep;
    for (size_t k = 0; k < nr; k++) {
        size_t base = (size_t)rows[k] * n_labels;
        w[base + g] += 1;
        w[base + y] -= 1;
        u[base + g] += cs;
        u[base + y] -= cs;
    }
}

/*
 * Tags sentence [a, a + n) of c with weights w as tag_run() does into
 * y[a .. a + n);
 * with u (training), updates w and u on every error and counts errors and
 * decisions in *errs and *seen.
 */
static void decode(const corpus *c, size_t a, size_t n, float *w, float *u,
                   uint8_t *y, size_t *errs, size_t *seen)
{
    uint64_t f[TAG_MAX_FEATS];
    uint32_t rows[TAG_MAX_FEATS];
    unsigned p1 = TAG_START1, p2 = TAG_START2;
    for (size_t i = 0; i < n; i++) {
        const tag_dslot *d = dget(dict, dict_mask, c->w[a + i].form);
        unsigned yy;
        if (d) {
            yy = d->value;
        } else {
            size_t nf = tag_features(c->w + a, n, i, p1, p2, f), nr;
            yy = predict(w, f, nf, rows, &nr);
            if (u) {
                unsigned g = c->gold[a + i];
                (*seen)++;
                if (yy != g) {
                    (*errs)++;
                    update(w, u, rows, nr, g, yy);
                }
                cstep++;
            }
        }
        y[a + i] = (uint8_t)yy;
        p2 = p1;
        p1 = yy;
    }
}

static double evaluate(const corpus *c, float *w, double *upos_acc)
{
    uint8_t *y = xrealloc(NULL, c->n);
    size_t good = 0, good_u = 0;
    for (size_t s = 0; s < c->n_sent; s++) {
        size_t a = c->sent[s], n = c->sent[s + 1] - a;
        decode(c, a, n, w, NULL, y, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            unsigned g = c->gold[a + i], yy = y[a + i];
            good += yy == g;
            good_u += yy == g || !strncmp(label_name[yy], label_name[g],
                                          (size_t)(strchr(label_name[g], ' ') - label_name[g] + 1));
        }
    }
    free(y);
    *upos_acc = 100.0 * (double)good_u / (double)c->n;
    return 100.0 * (double)good / (double)c->n;
}

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(int argc, char **argv)
{
    const char *train = NULL, *dev = NULL, *out = NULL, *clusters = NULL;
    int epochs = 8, runs = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--train") && i + 1 < argc)
            train = argv[++i];
        else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
            dev = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--clusters") && i + 1 < argc)
            clusters = argv[++i];
        else if (!strcmp(argv[i], "--epochs") && i + 1 < argc)
            epochs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--min-feat") && i + 1 < argc)
            min_feat = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--amb-min") && i + 1 < argc)
            amb_min = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--amb-frac") && i + 1 < argc)
            amb_frac = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) | 1;
        else {
            fprintf(stderr, "usage: train_tagger --train F [--dev F] [--clusters F] "
                            "[--epochs N] [--seed S] [--min-feat N] [--amb-min N] "
                            "[--amb-frac X] --out F\n");
            return 2;
        }
    }
    if (!train || !out) {
        fprintf(stderr, "train_tagger: --train and --out are required\n");
        return 2;
    }
    clock_t t0 = clock();
    ctab cl;
    load_clusters(clusters, &cl);
    corpus tr = {0}, dv = {0};
    read_corpus(train, &tr, &cl, 1);
    make_labels();
    remap(&tr);
    if (dev) {
        read_corpus(dev, &dv, &cl, 0);
        for (unsigned i = 0; i < n_pairs; i++)
            if (pair_label[i] == 0 && pair_count[i] == 0) {
                const char *x = strchr(pair_name[i], ' ');
                for (unsigned l = 0; l < n_labels; l++)
                    if (!strcmp(strchr(label_name[l], ' '), x)) {
                        pair_label[i] = (int)l;
                        break;
                    }
            }
        remap(&dv);
    }
    printf("train: %zu sentences, %zu words, %u labels\n", tr.n_sent, tr.n, n_labels);
    build_dict(&tr);
    build_lexicon(&cl, &tr, &dv);

    /* Features seen with gold history. */
    uint64_t f[TAG_MAX_FEATS];
    fmap cnt;
    fmap_init(&cnt, 20);
    for (size_t s = 0; s < tr.n_sent; s++) {
        size_t a = tr.sent[s], n = tr.sent[s + 1] - a;
        for (size_t i = 0; i < n; i++) {
            unsigned p1 = i >= 1 ? tr.gold[a + i - 1] : TAG_START1;
            unsigned p2 = i >= 2 ? tr.gold[a + i - 2] : i == 1 ? TAG_START1 : TAG_START2;
            size_t nf = tag_features(tr.w + a, n, i, p1, p2, f);
            for (size_t k = 0; k < nf; k++)
                (*fmap_slot(&cnt, f[k], 1))++;
        }
    }
    fmap_init(&fidx, 20);
    for (uint64_t j = 0; j <= cnt.mask; j++)
        if (cnt.key[j] && cnt.val[j] >= min_feat)
            *fmap_slot(&fidx, cnt.key[j], 1) = (uint32_t)n_rows++;
    free(cnt.key);
    free(cnt.val);
    printf("features: %zu\n", n_rows);
    W = xrealloc(NULL, n_rows * n_labels * sizeof *W);
    U = xrealloc(NULL, n_rows * n_labels * sizeof *U);
    memset(W, 0, n_rows * n_labels * sizeof *W);
    memset(U, 0, n_rows * n_labels * sizeof *U);
    float *avg = xrealloc(NULL, n_rows * n_labels * sizeof *avg);

    size_t *order = xrealloc(NULL, tr.n_sent * sizeof *order);
    for (size_t s = 0; s < tr.n_sent; s++)
        order[s] = s;
    uint8_t *ytr = xrealloc(NULL, tr.n);
    size_t nw = n_rows * n_labels;
    float *sum = runs > 1 ? xrealloc(NULL, nw * sizeof *sum) : NULL;
    if (sum)
        memset(sum, 0, nw * sizeof *sum);
    for (int run = 0; run < runs; run++) {
    if (run > 0) {
        memset(W, 0, nw * sizeof *W);
        memset(U, 0, nw * sizeof *U);
        cstep = 1;
    }
    for (int ep = 1; ep <= epochs; ep++) {
        for (size_t s = tr.n_sent; s > 1; s--) {
            size_t j = (size_t)(next_rand() % s);
            size_t t = order[s - 1];
            order[s - 1] = order[j];
            order[j] = t;
        }
        size_t errs = 0, seen = 0;
        for (size_t si = 0; si < tr.n_sent; si++) {
            size_t s = order[si];
            size_t a = tr.sent[s], n = tr.sent[s + 1] - a;
            decode(&tr, a, n, W, U, ytr, &errs, &seen);
        }
        for (size_t k = 0; k < n_rows * n_labels; k++)
            avg[k] = W[k] - U[k] / (float)cstep;
        printf("epoch %d: train error %.2f%%", ep, 100.0 * (double)errs / (double)(seen ? seen : 1));
        if (dev) {
            double upos, acc = evaluate(&dv, avg, &upos);
            printf(", dev label %.2f UPOS %.2f", acc, upos);
        }
        printf(" (%.0fs)\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
        fflush(stdout);
    }
    if (sum)
        for (size_t k = 0; k < nw; k++)
            sum[k] += avg[k] / (float)runs;
    }
    if (sum) {
        memcpy(avg, sum, nw * sizeof *avg);
        free(sum);
        if (dev) {
            double upos, acc = evaluate(&dv, avg, &upos);
            printf("averaged %d runs: dev label %.2f UPOS %.2f\n", runs, acc, upos);
        }
    }

    /* Write the averaged weights, zeros dropped. */
    size_t n_live = 0;
    for (uint64_t j = 0; j <= fidx.mask; j++) {
        if (!fidx.key[j])
            continue;
        const float *row = avg + (size_t)fidx.val[j] * n_labels;
        for (unsigned l = 0; l < n_labels; l++)
            if (row[l] != 0) {
                n_live++;
                break;
            }
    }
    /* Weights are stored as int16 multiples of one quantum (the largest
     * magnitude / 32000), dense rows as floats in the same unit; the scale
     * does not change which label wins. */
    float big = 0;
    for (size_t k = 0; k < n_rows * n_labels; k++)
        if (fabsf(avg[k]) > big)
            big = fabsf(avg[k]);
    float quantum = big > 0 ? big / 32000.0f : 1.0f;
    uint32_t fbits = bits_for(n_live);
    size_t fslots = (size_t)1 << fbits;
    tag_slot *slots = xrealloc(NULL, fslots * sizeof *slots);
    memset(slots, 0, fslots * sizeof *slots);
    tag_entry *ent = NULL;
    size_t n_ent = 0, cap_ent = 0, n_feat = 0, n_clash = 0;
    float *dense = NULL;
    size_t n_dense = 0;
    uint64_t fm = fslots - 1;
    /* Go through features in table order (deterministic). */
    for (uint64_t j = 0; j <= fidx.mask; j++) {
        if (!fidx.key[j])
            continue;
        const float *row = avg + (size_t)fidx.val[j] * n_labels;
        size_t start = n_ent;
        for (unsigned l = 0; l < n_labels; l++) {
            long q = lrintf(row[l] / quantum);
            if (q == 0)
                continue;
            if (n_ent == cap_ent) {
                cap_ent = cap_ent ? 2 * cap_ent : 1 << 20;
                ent = xrealloc(ent, cap_ent * sizeof *ent);
            }
            ent[n_ent].label = (uint8_t)l;
            ent[n_ent].pad = 0;
            ent[n_ent].w = (int16_t)q;
            n_ent++;
        }
        if (n_ent == start)
            continue;
        uint64_t key = fidx.key[j], i = (key >> 20) & fm;
        uint32_t check = tag_check(key);
        int clash = 0;
        while (slots[i].check) {
            clash |= slots[i].check == check;
            i = (i + 1) & fm;
        }
        if (clash) {
            /* Another feature on this probe path has the same check: a
             * lookup would stop there. Rare (about one in 2^32); dropped. */
            n_ent = start;
            n_clash++;
            continue;
        }
        slots[i].check = check;
        if (n_ent - start >= DENSE_MIN) {
            /* Many labels: a dense row is smaller and faster to add. */
            dense = xrealloc(dense, (n_dense + 1) * n_labels * sizeof *dense);
            for (unsigned l = 0; l < n_labels; l++)
                dense[n_dense * n_labels + l] = row[l] / quantum;
            slots[i].offn = (uint32_t)n_dense++ << 8 | TAG_DENSE;
            n_ent = start;
        } else {
            slots[i].offn = (uint32_t)start << 8 | (uint32_t)(n_ent - start);
        }
        if (n_dense > TAG_MAX_OFF || start > TAG_MAX_OFF) {
            fprintf(stderr, "train_tagger: too many weights for the table format\n");
            return 3;
        }
        n_feat++;
    }
    uint32_t prm[TAG_PARAMS];
    prm[TAGP_NLABELS] = n_labels;
    prm[TAGP_FEAT_BITS] = fbits;
    prm[TAGP_DICT_BITS] = dict_bits;
    prm[TAGP_CLUSTER_BITS] = cl.bits;
    prm[TAGP_FEATURE_SET] = TAG_FEATURE_SET;
    char *labels = NULL;
    size_t lab_n = 0;
    for (unsigned l = 0; l < n_labels; l++) {
        size_t k = strlen(label_name[l]) + 1;
        labels = xrealloc(labels, lab_n + k);
        memcpy(labels + lab_n, label_name[l], k);
        lab_n += k;
    }
    casus_ctx *ctx = casus_ctx_new();
    model_writer mw;
    model_writer_init(&mw, "tagger", "ewt-2");
    int bad = model_writer_add(ctx, &mw, "params", prm, sizeof prm) ||
              model_writer_add(ctx, &mw, "labels", labels, lab_n) ||
              model_writer_add(ctx, &mw, "features", slots, fslots * sizeof *slots) ||
              model_writer_add(ctx, &mw, "weights", ent, n_ent * sizeof *ent) ||
              model_writer_add(ctx, &mw, "tagdict", dict, (dict_mask + 1) * sizeof *dict) ||
              model_writer_add(ctx, &mw, "clusters", cl.s, ((size_t)1 << cl.bits) * sizeof *cl.s) ||
              model_writer_add(ctx, &mw, "dense", dense, n_dense * n_labels * sizeof *dense) ||
              model_writer_save(ctx, &mw, out);
    if (bad) {
        fprintf(stderr, "train_tagger: %s\n", casus_ctx_message(ctx));
        return 3;
    }
    printf("wrote %s: %zu features (%zu dense, %zu dropped on a check clash), "
           "%zu sparse weights, %.1f MB, %.0fs CPU\n",
           out, n_feat, n_dense, n_clash, n_ent,
           (double)(fslots * sizeof *slots + n_ent * sizeof *ent +
                    n_dense * n_labels * sizeof *dense) / 1e6,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    model_writer_free(ctx, &mw);
    casus_ctx_free(ctx);
    return 0;
}
