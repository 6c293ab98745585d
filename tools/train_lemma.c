/*
 * train_lemma.c - trains the lemmatizer (src/lemma.c) on a CoNLL-U
 * treebank and writes data/models/lemma.bin.
 *
 *   build/tools/train_lemma --train TRAIN.conllu [--dev DEV.conllu]
 *                           [--irregular VERBS.txt] --out F
 *
 * Dictionary: for every (form, XPOS) and (lowercased form, XPOS) seen, its
 * most frequent lemma (ties: the smaller string). Rules: every (form, XPOS)
 * type contributes its edit script (lowercase or not, strip N bytes, append
 * a string; the cheaper of the two bases) to the keys (XPOS, case class,
 * last k lowercased bytes) for k = 0..LEMMA_MAX_SUFFIX; each key keeps its
 * most frequent script. Deterministic: everything is sorted before use.
 * With --dev, prints lemma accuracy on dev given gold XPOS.
 *
 * --irregular reads lines "base past participle" ('/' between variants,
 * '#' comments; data/lemma/irregular-verbs.txt) and adds each past form as
 * a VBD and each participle as a VBN of the lowercased dictionary, where
 * the treebank has not that form with that tag: no suffix script turns
 * "fled" into "flee" or "risen" into "rise".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"
#include "lemma.h"
#include "model.h"
#include "ud.h"

typedef struct item {
    char *form, *lemma;
    unsigned xpos;
} item;

typedef struct items {
    item *v;
    size_t n, cap;
} items;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "train_lemma: out of memory\n");
        exit(3);
    }
    return q;
}

static char *xstrndup(const char *p, size_t n)
{
    char *s = xrealloc(NULL, n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void push_item(items *it, char *form, char *lemma, unsigned xpos)
{
    if (it->n == it->cap) {
        it->cap = it->cap ? 2 * it->cap : 65536;
        it->v = xrealloc(it->v, it->cap * sizeof *it->v);
    }
    it->v[it->n++] = (item){form, lemma, xpos};
}

static void read_items(const char *path, items *it)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r;
    casus_date nodate = {0, 0, 0};
    if (!doc || casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, nodate, &r) != CASUS_OK) {
        fprintf(stderr, "train_lemma: %s\n", casus_ctx_message(ctx));
        exit(2);
    }
    while (casus_reader_next(r, doc) == CASUS_OK) {
        for (size_t i = 0; i < doc->n_gold_tok; i++) {
            const gold_token *g = &doc->gold_tok[i];
            if (!g->lemma_n || !g->xpos)
                continue;
            push_item(it, xstrndup(doc->gold_strings.p + g->form_off, g->form_n),
                      xstrndup(doc->gold_strings.p + g->lemma_off, g->lemma_n), g->xpos);
        }
    }
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

static void lower_str(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->form, y->form);
    if (c)
        return c;
    if (x->xpos != y->xpos)
        return x->xpos < y->xpos ? -1 : 1;
    return strcmp(x->lemma, y->lemma);
}

/* Sorted items -> one item per (form, xpos) with its most frequent lemma. */
static size_t majority(item *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_item);
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, best = i, best_n = 0;
        while (j < n && !strcmp(v[j].form, v[i].form) && v[j].xpos == v[i].xpos) {
            size_t k = j;
            while (k < n && !strcmp(v[k].form, v[j].form) && v[k].xpos == v[j].xpos &&
                   !strcmp(v[k].lemma, v[j].lemma))
                k++;
            if (k - j > best_n) {
                best_n = k - j;
                best = j;
            }
            j = k;
        }
        v[out++] = v[best];
        i = j;
    }
    return out;
}

/* ------------------------------------------------------------ output */

/* The irregular verb file: VBD and VBN items (lowercase), appended to v.
 * A malformed line is an error naming the file and line. */
static void read_irregular(const char *path, items *it)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    int vbd = ud_xpos_id("VBD", 3), vbn = ud_xpos_id("VBN", 3);
    char line[512];
    for (size_t ln = 1; fgets(line, sizeof line, f); ln++) {
        size_t n = strlen(line);
        if (n && line[n - 1] != '\n' && !feof(f)) {
            fprintf(stderr, "%s:%zu: line too long\n", path, ln);
            exit(1);
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *tok[4];
        size_t nt = 0;
        for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
            if (nt == 3) {
                nt = 4;
                break;
            }
            tok[nt++] = w;
        }
        if (nt == 0)
            continue;
        if (nt != 3) {
            fprintf(stderr, "%s:%zu: want 'base past participle'\n", path, ln);
            exit(1);
        }
        for (size_t t = 0; t < 3; t++)
            for (const char *c = tok[t]; *c; c++)
                if ((*c < 'a' || *c > 'z') && *c != '/' && *c != '-') {
                    fprintf(stderr, "%s:%zu: '%s' is not a lowercase word\n", path, ln,
                            tok[t]);
                    exit(1);
                }
        for (size_t t = 1; t < 3; t++) {
            for (char *w = strtok(tok[t], "/"); w; w = strtok(NULL, "/"))
                push_item(it, xstrndup(w, strlen(w)), xstrndup(tok[0], strlen(tok[0])),
                          (unsigned)(t == 1 ? vbd : vbn));
        }
    }
    fclose(f);
}

static char *pool;
static size_t pool_n, pool_cap;

static uint32_t pool_add(const char *s, size_t n)
{
    if (pool_n + n > pool_cap) {
        pool_cap = (pool_n + n) * 2 + 4096;
        pool = xrealloc(pool, pool_cap);
    }
    memcpy(pool + pool_n, s, n);
    pool_n += n;
    return (uint32_t)(pool_n - n);
}

static uint32_t bits_for(size_t n)
{
    uint32_t b = 0;
    while (((size_t)1 << b) < 2 * n)
        b++;
    return b;
}

/* The slot holding key, or the empty one where it would go. */
static uint64_t slot_of(const lemma_slot *t, uint64_t mask, uint64_t key)
{
    uint64_t i = (key >> 20) & mask;
    while (t[i].key && t[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static void put(lemma_slot *t, uint64_t mask, uint64_t key, uint32_t a, uint32_t b)
{
    uint64_t i = slot_of(t, mask, key);
    if (t[i].key)
        return;   /* first wins (input is sorted) */
    t[i].key = key;
    t[i].a = a;
    t[i].b = b;
}

typedef struct script {
    int lower;
    size_t strip;
    const char *app;
    size_t app_n;
} script;

static script make_script(const char *form, const char *lemma)
{
    script best = {0, 0, NULL, 0};
    size_t best_cost = (size_t)-1, ln = strlen(lemma), fn = strlen(form);
    char *low = xstrndup(form, fn);
    lower_str(low);
    for (int lower = 0; lower <= 1; lower++) {
        const char *base = lower ? low : form;
        size_t p = 0;
        while (p < fn && p < ln && base[p] == lemma[p])
            p++;
        size_t cost = (fn - p) + (ln - p);
        if (cost < best_cost) {
            best_cost = cost;
            best.lower = lower;
            best.strip = fn - p;
            best.app = lemma + p;
            best.app_n = ln - p;
        }
    }
    free(low);
    return best;
}

typedef struct rule_rec {
    uint64_t key;
    uint32_t script;
} rule_rec;

static int cmp_rec(const void *a, const void *b)
{
    const rule_rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->script < y->script ? -1 : x->script > y->script;
}

static lemma_script *scripts;
static size_t n_scripts;
static char **script_app;

static uint32_t script_id(const script *s)
{
    for (size_t i = 0; i < n_scripts; i++)
        if (scripts[i].lower == s->lower && scripts[i].strip == s->strip &&
            scripts[i].append_n == s->app_n && !memcmp(script_app[i], s->app, s->app_n))
            return (uint32_t)i;
    scripts = xrealloc(scripts, (n_scripts + 1) * sizeof *scripts);
    script_app = xrealloc(script_app, (n_scripts + 1) * sizeof *script_app);
    scripts[n_scripts].lower = (uint8_t)s->lower;
    scripts[n_scripts].strip = (uint8_t)s->strip;
    scripts[n_scripts].append_n = (uint16_t)s->app_n;
    scripts[n_scripts].append_off = pool_add(s->app, s->app_n);
    script_app[n_scripts] = xstrndup(s->app, s->app_n);
    return (uint32_t)n_scripts++;
}

static void spell(const lemma_result *r, const char *form, char *out, size_t cap)
{
    size_t n = strlen(form), k = 0;
    if (r->lit) {
        snprintf(out, cap, "%.*s", (int)r->lit_n, r->lit);
        return;
    }
    for (size_t i = 0; i + r->strip < n && k + 1 < cap; i++)
        out[k++] = r->lower && form[i] >= 'A' && form[i] <= 'Z' ? (char)(form[i] + 32) : form[i];
    for (size_t i = 0; i < r->append_n && k + 1 < cap; i++)
        out[k++] = r->append[i];
    out[k] = '\0';
}

int main(int argc, char **argv)
{
    const char *train = NULL, *dev = NULL, *out = NULL, *irregular = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--train") && i + 1 < argc)
            train = argv[++i];
        else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
            dev = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--irregular") && i + 1 < argc)
            irregular = argv[++i];
        else {
            fprintf(stderr, "usage: train_lemma --train F [--dev F] [--irregular F] --out F\n");
            return 2;
        }
    }
    if (!train || !out) {
        fprintf(stderr, "train_lemma: --train and --out are required\n");
        return 2;
    }
    items tr = {0};
    read_items(train, &tr);
    if (tr.n == 0) {
        fprintf(stderr, "train_lemma: %s: no words to train on\n", train);
        return 1;
    }
    size_t n_tok = tr.n;
    /* Exact types. */
    item *exact = xrealloc(NULL, tr.n * sizeof *exact);
    memcpy(exact, tr.v, tr.n * sizeof *exact);
    size_t n_exact = majority(exact, tr.n);
    /* Lowercased types. */
    item *low = xrealloc(NULL, tr.n * sizeof *low);
    for (size_t i = 0; i < tr.n; i++) {
        low[i] = tr.v[i];
        low[i].form = xstrndup(tr.v[i].form, strlen(tr.v[i].form));
        lower_str(low[i].form);
    }
    size_t n_low = majority(low, tr.n);

    items irr = {0};
    if (irregular)
        read_irregular(irregular, &irr);
    uint32_t dbits = bits_for(n_exact + n_low + irr.n);
    size_t dslots = (size_t)1 << dbits;
    lemma_slot *dict = xrealloc(NULL, dslots * sizeof *dict);
    memset(dict, 0, dslots * sizeof *dict);
    for (int pass = 0; pass < 2; pass++) {
        item *v = pass ? low : exact;
        size_t n = pass ? n_low : n_exact;
        for (size_t i = 0; i < n; i++) {
            size_t ln = strlen(v[i].lemma);
            uint32_t off = pool_add(v[i].lemma, ln);
            put(dict, dslots - 1, lemma_dict_key(v[i].form, strlen(v[i].form), v[i].xpos, pass),
                off, (uint32_t)ln);
        }
    }
    /* Irregular verbs after the treebank's types: put() keeps the first. */
    for (size_t i = 0; i < irr.n; i++) {
        size_t ln = strlen(irr.v[i].lemma);
        uint64_t key = lemma_dict_key(irr.v[i].form, strlen(irr.v[i].form), irr.v[i].xpos, 1);
        if (!dict[slot_of(dict, dslots - 1, key)].key)
            put(dict, dslots - 1, key, pool_add(irr.v[i].lemma, ln), (uint32_t)ln);
    }
    /* Rules from the exact types. */
    rule_rec *rec = NULL;
    size_t n_rec = 0, cap_rec = 0;
    for (size_t i = 0; i < n_exact; i++) {
        const char *f = exact[i].form;
        size_t fn = strlen(f);
        script s = make_script(f, exact[i].lemma);
        if (s.strip > 255 || s.app_n > 64 || fn > 64)
            continue;
        uint32_t sid = script_id(&s);
        char lf[65];
        memcpy(lf, f, fn + 1);
        lower_str(lf);
        unsigned cc = lemma_case_class(f, fn);
        for (size_t k = 0; k <= fn && k <= LEMMA_MAX_SUFFIX; k++) {
            if (n_rec == cap_rec) {
                cap_rec = cap_rec ? 2 * cap_rec : 65536;
                rec = xrealloc(rec, cap_rec * sizeof *rec);
            }
            rec[n_rec].key = lemma_rule_key(lf + fn - k, k, exact[i].xpos, cc);
            rec[n_rec].script = sid;
            n_rec++;
        }
    }
    qsort(rec, n_rec, sizeof *rec, cmp_rec);
    size_t n_rules = 0;
    for (size_t i = 0; i < n_rec;) {
        size_t j = i;
        while (j < n_rec && rec[j].key == rec[i].key)
            j++;
        n_rules++;
        i = j;
    }
    uint32_t rbits = bits_for(n_rules);
    size_t rslots = (size_t)1 << rbits;
    lemma_slot *rules = xrealloc(NULL, rslots * sizeof *rules);
    memset(rules, 0, rslots * sizeof *rules);
    for (size_t i = 0; i < n_rec;) {
        size_t j = i, best = i, best_n = 0;
        while (j < n_rec && rec[j].key == rec[i].key) {
            size_t k = j;
            while (k < n_rec && rec[k].key == rec[j].key && rec[k].script == rec[j].script)
                k++;
            if (k - j > best_n) {
                best_n = k - j;
                best = j;
            }
            j = k;
        }
        put(rules, rslots - 1, rec[i].key, rec[best].script, (uint32_t)best_n);
        i = j;
    }
    uint32_t prm[LEM_PARAMS];
    prm[LEMP_DICT_BITS] = dbits;
    prm[LEMP_RULE_BITS] = rbits;
    prm[LEMP_MAX_SUFFIX] = LEMMA_MAX_SUFFIX;
    casus_ctx *ctx = casus_ctx_new();
    model_writer mw;
    model_writer_init(&mw, "lemma", "ewt-1");
    if (model_writer_add(ctx, &mw, "params", prm, sizeof prm) ||
        model_writer_add(ctx, &mw, "dict", dict, dslots * sizeof *dict) ||
        model_writer_add(ctx, &mw, "rules", rules, rslots * sizeof *rules) ||
        model_writer_add(ctx, &mw, "strings", pool, pool_n) ||
        model_writer_add(ctx, &mw, "scripts", scripts, n_scripts * sizeof *scripts) ||
        model_writer_save(ctx, &mw, out)) {
        fprintf(stderr, "train_lemma: %s\n", casus_ctx_message(ctx));
        return 3;
    }
    model_writer_free(ctx, &mw);
    printf("train: %zu words; dictionary %zu + %zu types, %zu rules, %zu scripts\n",
           n_tok, n_exact, n_low, n_rules, n_scripts);
    if (dev) {
        lemmatizer *lm;
        if (lemma_load(ctx, out, &lm) != CASUS_OK) {
            fprintf(stderr, "train_lemma: %s\n", casus_ctx_message(ctx));
            return 3;
        }
        items dv = {0};
        read_items(dev, &dv);
        size_t good = 0;
        for (size_t i = 0; i < dv.n; i++) {
            lemma_result r;
            char sb[256];
            lemma_find(lm, dv.v[i].form, strlen(dv.v[i].form), dv.v[i].xpos, &r);
            spell(&r, dv.v[i].form, sb, sizeof sb);
            good += !strcmp(sb, dv.v[i].lemma);
        }
        printf("dev lemma accuracy (gold XPOS): %.2f%% of %zu\n",
               100.0 * (double)good / (double)dv.n, dv.n);
        lemma_free(ctx, lm);
    }
    casus_ctx_free(ctx);
    return 0;
}
