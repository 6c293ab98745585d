/*
 * test_parse.c - the dependency parser (parse.c) and its trainer: a parser
 * trained on a small hand-made treebank reproduces its trees; the output is
 * always a tree on random input; damaged model files fail with a clear
 * message; out of memory fails cleanly without leaks; and, when
 * ../shared/data is present, UAS/LAS on UD English EWT test, with gold tags
 * and with the tagger's tags as the pipeline runs, stay above a floor.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "model.h"
#include "parse.h"
#include "parse_int.h"
#include "tag.h"
#include "ud.h"

#define MODEL "data/models/parser.bin"
#define TAGGER "data/models/tagger.bin"

/* A tiny treebank: a few sentence patterns, each sentence once. */
#define WD(id, form, upos, xpos, head, rel) \
    id "\t" form "\t_\t" upos "\t" xpos "\t_\t" head "\t" rel "\t_\t_\n"
static const char tiny[] =
    "# text = Rebels attacked the town .\n"
    WD("1", "Rebels", "NOUN", "NNS", "2", "nsubj")
    WD("2", "attacked", "VERB", "VBD", "0", "root")
    WD("3", "the", "DET", "DT", "4", "det")
    WD("4", "town", "NOUN", "NN", "2", "obj")
    WD("5", ".", "PUNCT", ".", "2", "punct")
    "\n"
    "# text = Police killed two militants in Karachi .\n"
    WD("1", "Police", "NOUN", "NN", "2", "nsubj")
    WD("2", "killed", "VERB", "VBD", "0", "root")
    WD("3", "two", "NUM", "CD", "4", "nummod")
    WD("4", "militants", "NOUN", "NNS", "2", "obj")
    WD("5", "in", "ADP", "IN", "6", "case")
    WD("6", "Karachi", "PROPN", "NNP", "2", "obl")
    WD("7", ".", "PUNCT", ".", "2", "punct")
    "\n"
    "# text = A bomb exploded near the market on Monday .\n"
    WD("1", "A", "DET", "DT", "2", "det")
    WD("2", "bomb", "NOUN", "NN", "3", "nsubj")
    WD("3", "exploded", "VERB", "VBD", "0", "root")
    WD("4", "near", "ADP", "IN", "6", "case")
    WD("5", "the", "DET", "DT", "6", "det")
    WD("6", "market", "NOUN", "NN", "3", "obl")
    WD("7", "on", "ADP", "IN", "8", "case")
    WD("8", "Monday", "PROPN", "NNP", "3", "obl")
    WD("9", ".", "PUNCT", ".", "3", "punct")
    "\n"
    "# text = The army said it had arrested five suspects .\n"
    WD("1", "The", "DET", "DT", "2", "det")
    WD("2", "army", "NOUN", "NN", "3", "nsubj")
    WD("3", "said", "VERB", "VBD", "0", "root")
    WD("4", "it", "PRON", "PRP", "6", "nsubj")
    WD("5", "had", "AUX", "VBD", "6", "aux")
    WD("6", "arrested", "VERB", "VBN", "3", "ccomp")
    WD("7", "five", "NUM", "CD", "8", "nummod")
    WD("8", "suspects", "NOUN", "NNS", "6", "obj")
    WD("9", ".", "PUNCT", ".", "3", "punct")
    "\n"
    "# text = Protesters marched and chanted slogans .\n"
    WD("1", "Protesters", "NOUN", "NNS", "2", "nsubj")
    WD("2", "marched", "VERB", "VBD", "0", "root")
    WD("3", "and", "CCONJ", "CC", "4", "cc")
    WD("4", "chanted", "VERB", "VBD", "2", "conj")
    WD("5", "slogans", "NOUN", "NNS", "4", "obj")
    WD("6", ".", "PUNCT", ".", "2", "punct")
    "\n"
    "# text = Two soldiers were wounded .\n"
    WD("1", "Two", "NUM", "CD", "2", "nummod")
    WD("2", "soldiers", "NOUN", "NNS", "4", "nsubj:pass")
    WD("3", "were", "AUX", "VBD", "4", "aux:pass")
    WD("4", "wounded", "VERB", "VBN", "0", "root")
    WD("5", ".", "PUNCT", ".", "4", "punct")
    "\n"
    "# text = Gunmen who fled the scene were caught .\n"
    WD("1", "Gunmen", "NOUN", "NNS", "7", "nsubj:pass")
    WD("2", "who", "PRON", "WP", "3", "nsubj")
    WD("3", "fled", "VERB", "VBD", "1", "acl:relcl")
    WD("4", "the", "DET", "DT", "5", "det")
    WD("5", "scene", "NOUN", "NN", "3", "obj")
    WD("6", "were", "AUX", "VBD", "7", "aux:pass")
    WD("7", "caught", "VERB", "VBN", "0", "root")
    WD("8", ".", "PUNCT", ".", "7", "punct")
    "\n";

static char tiny_model[320];

static const char *build_dir(void)
{
    const char *b = getenv("BUILD");
    return b ? b : "build";
}

/* Trains a parser on the tiny treebank with the real trainer. */
static int setup_tiny(void **state)
{
    (void)state;
    const char *tb = test_tmpfile(".conllu", tiny, sizeof tiny - 1);
    if (!tb)
        return -1;
    char tbpath[256], cmd[1024];
    snprintf(tbpath, sizeof tbpath, "%s", tb);
    snprintf(tiny_model, sizeof tiny_model, "%s.parser.bin", tbpath);
    snprintf(cmd, sizeof cmd,
             "%s/tools/train_parser --train %s --out %s --epochs 30 "
             "--act-bits 14 --lab-bits 10 --act-small 10 --lab-small 8 --quiet 2>/dev/null",
             build_dir(), tbpath, tiny_model);
    int rc = system(cmd);
    unlink(tbpath);
    return rc == 0 ? 0 : -1;
}

static int teardown_tiny(void **state)
{
    (void)state;
    unlink(tiny_model);
    return 0;
}

typedef struct gold_sent_copy {
    casus_token w[16];
    int head[16];
    unsigned deprel[16];
    char forms[16][32];
    size_t n;
} gold_sent_copy;

/* Reads the tiny treebank back with the CoNLL-U reader. */
static size_t read_tiny(gold_sent_copy *out, size_t max)
{
    const char *tb = test_tmpfile(".conllu", tiny, sizeof tiny - 1);
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d = {0, 0, 0};
    assert_int_equal(casus_reader_open(ctx, tb, CASUS_FORMAT_CONLLU, d, &r), CASUS_OK);
    size_t ns = 0;
    while (casus_reader_next(r, doc) == CASUS_OK) {
        for (size_t s = 0; s < doc->n_gold_sent && ns < max; s++, ns++) {
            const gold_sentence *gs = &doc->gold_sent[s];
            gold_sent_copy *c = &out[ns];
            memset(c, 0, sizeof *c);
            c->n = gs->n_tokens;
            for (size_t i = 0; i < c->n; i++) {
                const gold_token *g = &doc->gold_tok[gs->first_token + i];
                snprintf(c->forms[i], sizeof c->forms[i], "%.*s", (int)g->form_n,
                         doc->gold_strings.p + g->form_off);
                c->w[i].form.p = c->forms[i];
                c->w[i].form.n = strlen(c->forms[i]);
                c->w[i].upos = g->upos;
                c->w[i].xpos = g->xpos;
                c->w[i].head = -1;
                c->head[i] = g->head;
                c->deprel[i] = g->deprel;
            }
        }
    }
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    unlink(tb);
    return ns;
}

static void test_reproduces_training_trees(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    parser *p = NULL;
    assert_int_equal(parser_load(ctx, tiny_model, &p), CASUS_OK);
    static gold_sent_copy sents[16];
    size_t ns = read_tiny(sents, 16);
    assert_int_equal(ns, 7);
    for (size_t s = 0; s < ns; s++) {
        assert_int_equal(parser_run(ctx, p, sents[s].w, sents[s].n), CASUS_OK);
        for (size_t i = 0; i < sents[s].n; i++) {
            if (sents[s].w[i].head != sents[s].head[i] ||
                sents[s].w[i].deprel != sents[s].deprel[i])
                fail_msg("sentence %zu word %zu (%s): got %d %s, want %d %s", s + 1,
                         i + 1, sents[s].forms[i], sents[s].w[i].head,
                         casus_deprel_name(sents[s].w[i].deprel), sents[s].head[i],
                         casus_deprel_name(sents[s].deprel[i]));
        }
    }
    parser_free(ctx, p);
    casus_ctx_free(ctx);
}

/* One root, heads in range, no cycles, labels set and consistent. */
static void assert_tree(const casus_token *w, size_t n)
{
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(w[i].head >= 0 && (size_t)w[i].head <= n);
        assert_true((size_t)w[i].head != i + 1);
        assert_true(w[i].deprel > 0);
        int is_root = strcmp(casus_deprel_name(w[i].deprel), "root") == 0;
        assert_int_equal(is_root, w[i].head == 0);
        roots += w[i].head == 0;
        size_t k = i + 1, steps = 0;
        while (k != 0) {
            k = (size_t)w[k - 1].head;
            assert_true(++steps <= n);
        }
    }
    assert_int_equal(roots, n ? 1 : 0);
}

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static void random_trees(const char *model)
{
    casus_ctx *ctx = casus_ctx_new();
    parser *p = NULL;
    assert_int_equal(parser_load(ctx, model, &p), CASUS_OK);
    static casus_token w[700];
    static char forms[700][8];
    static const char *vocab[] = {"the", "attack", "killed", "in", ",", ".", "and",
                                  "Kabul", "2019", "said", "é", "", "\xff\xfe"};
    for (int round = 0; round < 300; round++) {
        size_t n = round < 250 ? (size_t)(rnd() % 40) : 150 + (size_t)(rnd() % 550);
        for (size_t i = 0; i < n; i++) {
            memset(&w[i], 0, sizeof w[i]);
            if (rnd() % 2) {
                const char *v = vocab[rnd() % (sizeof vocab / sizeof *vocab)];
                w[i].form.p = v;
                w[i].form.n = strlen(v);
            } else {
                size_t len = 1 + rnd() % 7;
                for (size_t j = 0; j < len; j++)
                    forms[i][j] = (char)(1 + rnd() % 255);
                w[i].form.p = forms[i];
                w[i].form.n = len;
            }
            /* any tag, even ones no tagger gives */
            w[i].upos = (uint8_t)(rnd() % 4 ? rnd() % CASUS_UPOS_COUNT : rnd());
            w[i].xpos = (uint8_t)(rnd() % 4 ? rnd() % casus_xpos_count() : rnd());
            w[i].head = -1;
        }
        assert_int_equal(parser_run(ctx, p, w, n), CASUS_OK);
        assert_tree(w, n);
    }
    parser_free(ctx, p);
    casus_ctx_free(ctx);
}

static void test_always_a_tree(void **state)
{
    (void)state;
    random_trees(tiny_model);
    if (access(MODEL, R_OK) == 0)
        random_trees(MODEL);
}

/* ------------------------------------------------------------ damaged files */

static char dpath[256];

static void copy_model(void)
{
    FILE *in = fopen(tiny_model, "rb");
    assert_non_null(in);
    snprintf(dpath, sizeof dpath, "/tmp/casus-parser-%d.bin", (int)getpid());
    FILE *out = fopen(dpath, "wb");
    assert_non_null(out);
    char b[4096];
    size_t k;
    while ((k = fread(b, 1, sizeof b, in)) > 0)
        assert_int_equal(fwrite(b, 1, k, out), k);
    fclose(in);
    fclose(out);
}

static long fsize(const char *p)
{
    FILE *f = fopen(p, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void poke(long off, unsigned char v)
{
    FILE *f = fopen(dpath, "r+b");
    fseek(f, off, SEEK_SET);
    fputc(v, f);
    fclose(f);
}

static void expect_fail(casus_ctx *ctx, casus_status want, const char *msg)
{
    parser *p = (parser *)&p;
    assert_int_equal(parser_load(ctx, dpath, &p), want);
    assert_null(p);
    if (!strstr(casus_ctx_message(ctx), msg))
        fail_msg("message '%s' lacks '%s'", casus_ctx_message(ctx), msg);
    assert_non_null(strstr(casus_ctx_message(ctx), dpath));
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

static int custom_clusters_full;

/* Writes a well-formed container whose parser content is bad. */
static void write_custom(casus_ctx *ctx, const char *kind, uint32_t featset,
                         uint32_t bits, const char *labels, size_t labels_n,
                         size_t act_bytes)
{
    model_writer w;
    model_writer_init(&w, kind, "test");
    unsigned char meta[32] = {0};
    put32(meta, featset);
    put32(meta + 4, bits);
    put32(meta + 8, 4);
    put32(meta + 12, 3);
    put32(meta + 16, 8);
    put32(meta + 20, 4);
    put32(meta + 24, 4);
    put32(meta + 28, 4);
    static unsigned char zeros[1 << 14];
    uint64_t clusters[16];
    for (int i = 0; i < 16; i++)
        clusters[i] = custom_clusters_full ? (uint64_t)(i + 1) << 16 | 1 : 0;
    uint64_t mask[2] = {~0ull, ~0ull};
    assert_int_equal(model_writer_add(ctx, &w, "meta", meta, 32), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "labels", labels, labels_n), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "lmask", mask, 16), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "act", zeros, act_bytes), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "lab", zeros, 2 * 8 * 32), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "clusters", clusters, sizeof clusters),
                     CASUS_OK);
    assert_int_equal(model_writer_save(ctx, &w, dpath), CASUS_OK);
    model_writer_free(ctx, &w);
}

static void test_damaged_models(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    snprintf(dpath, sizeof dpath, "/tmp/casus-parser-missing-%d", (int)getpid());
    expect_fail(ctx, CASUS_EIO, "cannot open model");

    copy_model();
    long n = fsize(dpath);
    poke(0, 'X');
    expect_fail(ctx, CASUS_EFORMAT, "bad magic");

    copy_model();
    poke(8, 7);
    expect_fail(ctx, CASUS_EFORMAT, "version 7 is not supported");

    copy_model();
    assert_int_equal(truncate(dpath, n / 2), 0);
    expect_fail(ctx, CASUS_EFORMAT, "truncated");

    copy_model();
    assert_int_equal(truncate(dpath, 20), 0);
    expect_fail(ctx, CASUS_EFORMAT, "too short");

    copy_model();
    poke(n - 5, 0xA5);
    poke(n - 6, 0x5A);
    expect_fail(ctx, CASUS_EFORMAT, "checksum");

    static const char names[] = "root\0nsubj";
    write_custom(ctx, "tagger", PARSER_FEATSET, 8, names, sizeof names, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "expected 'parser'");
    write_custom(ctx, "parser", PARSER_FEATSET + 100, 8, names, sizeof names, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "feature set");
    write_custom(ctx, "parser", PARSER_FEATSET_MIN - 1, 8, names, sizeof names, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "feature set");
    write_custom(ctx, "parser", PARSER_FEATSET, 9, names, sizeof names, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "bad table sizes");
    write_custom(ctx, "parser", PARSER_FEATSET, 8, "root\0nsubj", 10, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "label table");
    write_custom(ctx, "parser", PARSER_FEATSET, 8, "root\0bogus", 11, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "unknown relation 'bogus'");
    write_custom(ctx, "parser", PARSER_FEATSET, 8, "obj\0nsubj", 10, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "lacks the 'root' relation");
    custom_clusters_full = 1;
    write_custom(ctx, "parser", PARSER_FEATSET, 8, names, sizeof names, 8 * 272);
    expect_fail(ctx, CASUS_EFORMAT, "cluster table full");
    custom_clusters_full = 0;
    write_custom(ctx, "parser", PARSER_FEATSET, 8, names, sizeof names, 8 * 272);
    parser *p = NULL;
    assert_int_equal(parser_load(ctx, dpath, &p), CASUS_OK);
    parser_free(ctx, p);
    /* the oldest feature set still read (the shipped parser's) */
    write_custom(ctx, "parser", PARSER_FEATSET_MIN, 8, names, sizeof names, 8 * 272);
    assert_int_equal(parser_load(ctx, dpath, &p), CASUS_OK);
    parser_free(ctx, p);
    parser_free(ctx, NULL);

    unlink(dpath);
    casus_ctx_free(ctx);
}

/* ------------------------------------------------------------ out of memory */

static void test_out_of_memory(void **state)
{
    (void)state;
    static casus_token w[400];
    for (size_t i = 0; i < 400; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].form.p = i % 7 ? "word" : ",";
        w[i].form.n = strlen(w[i].form.p);
        w[i].xpos = (uint8_t)(1 + i % 20);
        w[i].upos = (uint8_t)(1 + i % 16);
    }
    int ok = 0;
    for (long k = 1; k < 200 && !ok; k++) {
        test_alloc a = {k, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        parser *p = NULL;
        casus_status st = parser_load(ctx, tiny_model, &p);
        if (st == CASUS_OK) {
            st = parser_run(ctx, p, w, 400);
            if (st == CASUS_OK) {
                assert_tree(w, 400);
                ok = 1;
            }
            parser_free(ctx, p);
        }
        if (st != CASUS_OK) {
            assert_int_equal(st, CASUS_ENOMEM);
            assert_non_null(strstr(casus_ctx_message(ctx), "out of memory"));
        }
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(ok);
}

/* ------------------------------------------------------------ EWT */

/* CoNLL 2018 LAS ignores relation subtypes ("nmod:poss" = "nmod"). */
static int same_base(unsigned a, unsigned b)
{
    const char *x = casus_deprel_name(a), *y = casus_deprel_name(b);
    size_t nx = strcspn(x, ":"), ny = strcspn(y, ":");
    return nx == ny && memcmp(x, y, nx) == 0;
}

typedef struct ewt_score {
    long words, uas, las, las_base;
} ewt_score;

static void ewt_count(ewt_score *sc, const casus_token *w, const gold_token *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sc->words++;
        if (w[i].head != g[i].head)
            continue;
        sc->uas++;
        sc->las += w[i].deprel == g[i].deprel;
        sc->las_base += same_base(w[i].deprel, g[i].deprel);
    }
}

static double pct(long a, long n)
{
    return 100.0 * (double)a / (double)(n ? n : 1);
}

static void test_ewt_floor(void **state)
{
    (void)state;
    const char *path = test_shared("ud-english-ewt/en_ewt-ud-test.conllu");
    if (!path) {
        print_message("skip: ../shared/data/ud-english-ewt is absent\n");
        skip();
    }
    if (access(MODEL, R_OK) != 0 || access(TAGGER, R_OK) != 0) {
        print_message("skip: " MODEL " or " TAGGER " is absent (make models)\n");
        skip();
    }
    casus_ctx *ctx = casus_ctx_new();
    parser *p = NULL;
    tagger *tg = NULL;
    tag_work wk;
    memset(&wk, 0, sizeof wk);
    assert_int_equal(parser_load(ctx, MODEL, &p), CASUS_OK);
    assert_int_equal(tag_load(ctx, TAGGER, &tg), CASUS_OK);
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d = {0, 0, 0};
    assert_int_equal(casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d, &r), CASUS_OK);
    static casus_token w[1024];
    ewt_score gold = {0, 0, 0, 0}, pred = {0, 0, 0, 0};
    casus_status st;
    while ((st = casus_reader_next(r, doc)) == CASUS_OK) {
        for (size_t s = 0; s < doc->n_gold_sent; s++) {
            const gold_sentence *gs = &doc->gold_sent[s];
            const gold_token *g = doc->gold_tok + gs->first_token;
            assert_true(gs->n_tokens <= 1024);
            memset(w, 0, gs->n_tokens * sizeof *w);
            for (size_t i = 0; i < gs->n_tokens; i++) {
                w[i].form.p = doc->gold_strings.p + g[i].form_off;
                w[i].form.n = g[i].form_n;
                w[i].upos = g[i].upos;
                w[i].xpos = g[i].xpos;
            }
            assert_int_equal(parser_run(ctx, p, w, gs->n_tokens), CASUS_OK);
            ewt_count(&gold, w, g, gs->n_tokens);
            assert_int_equal(tag_run(ctx, tg, &wk, w, gs->n_tokens), CASUS_OK);
            assert_int_equal(parser_run(ctx, p, w, gs->n_tokens), CASUS_OK);
            ewt_count(&pred, w, g, gs->n_tokens);
        }
    }
    assert_int_equal(st, CASUS_DONE);
    print_message("EWT test, gold tags: UAS %.2f, LAS %.2f (exact labels %.2f)\n",
                  pct(gold.uas, gold.words), pct(gold.las_base, gold.words),
                  pct(gold.las, gold.words));
    print_message("EWT test, predicted tags: UAS %.2f, LAS %.2f (exact labels %.2f)\n",
                  pct(pred.uas, pred.words), pct(pred.las_base, pred.words),
                  pct(pred.las, pred.words));
    assert_true(gold.words > 20000);
    /* floors just under the figures of the committed models (BENCHMARKS.md);
     * the bars, 87 and 84 with predicted tags, are not reached yet */
    assert_true(pct(gold.uas, gold.words) >= 86.0);
    assert_true(pct(gold.las, gold.words) >= 83.3);
    assert_true(pct(pred.uas, pred.words) >= 84.5);
    assert_true(pct(pred.las_base, pred.words) >= 80.8);
    casus_reader_close(r);
    casus_doc_free(doc);
    tag_work_free(ctx, &wk);
    tag_free(ctx, tg);
    parser_free(ctx, p);
    casus_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproduces_training_trees),
        cmocka_unit_test(test_always_a_tree),
        cmocka_unit_test(test_damaged_models),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_ewt_floor),
    };
    return cmocka_run_group_tests(tests, setup_tiny, teardown_tiny);
}
