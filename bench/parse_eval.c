/*
 * parse_eval.c - dependency parsing quality on a CoNLL-U treebank, with gold
 * tokenization.
 *
 *   build/bench/parse_eval FILE.conllu [--model data/models/parser.bin]
 *       [--tagger data/models/tagger.bin] [--min-uas X] [--min-las Y]
 *
 * Parses every sentence of FILE twice: with the gold UPOS/XPOS of the file,
 * and (when the tagger is built into this casus and its model loads) with
 * the tags casus_tag predicts. Prints, for each, UAS and LAS over all words,
 * punctuation included. LAS is counted as the CoNLL 2018 evaluation counts
 * it: relation subtypes are ignored ("nmod:poss" = "nmod"); "exact" LAS
 * compares the full labels. With --min-uas / --min-las exits 1 when a figure
 * is below its bar: the predicted-tag figures when there are any, else the
 * gold-tag ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "parse.h"

#if defined(__has_include)
#if __has_include("tag.h")
#include "tag.h"
#define HAVE_TAGGER 1
#endif
#endif

typedef struct score {
    long words, uas, las, las_exact, upos, xpos;
    double seconds;
} score;

static size_t base_len(const char *s)
{
    const char *c = strchr(s, ':');
    return c ? (size_t)(c - s) : strlen(s);
}

static int same_base(unsigned a, unsigned b)
{
    const char *x = casus_deprel_name(a), *y = casus_deprel_name(b);
    size_t n = base_len(x);
    return n == base_len(y) && memcmp(x, y, n) == 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void count(score *sc, const casus_token *w, const gold_token *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sc->words++;
        sc->upos += w[i].upos == g[i].upos;
        sc->xpos += w[i].xpos == g[i].xpos;
        if (w[i].head != g[i].head)
            continue;
        sc->uas++;
        sc->las += same_base(w[i].deprel, g[i].deprel);
        sc->las_exact += w[i].deprel == g[i].deprel;
    }
}

static void report(const char *what, const score *s)
{
    double n = s->words ? (double)s->words : 1;
    printf("%-15s UAS %.2f  LAS %.2f  (exact labels %.2f)", what,
           100.0 * (double)s->uas / n, 100.0 * (double)s->las / n,
           100.0 * (double)s->las_exact / n);
    if (s->upos < s->words)
        printf("  tags: UPOS %.2f XPOS %.2f", 100.0 * (double)s->upos / n,
               100.0 * (double)s->xpos / n);
    printf("  %.0f words/s\n", (double)s->words / (s->seconds > 0 ? s->seconds : 1e-9));
}

int main(int argc, char **argv)
{
    const char *path = NULL, *model = "data/models/parser.bin";
    const char *tagger_path = "data/models/tagger.bin";
    double min_uas = -1, min_las = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--tagger") == 0 && i + 1 < argc)
            tagger_path = argv[++i];
        else if (strcmp(argv[i], "--min-uas") == 0 && i + 1 < argc)
            min_uas = atof(argv[++i]);
        else if (strcmp(argv[i], "--min-las") == 0 && i + 1 < argc)
            min_las = atof(argv[++i]);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "parse_eval: unknown option %s\n", argv[i]);
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: parse_eval FILE.conllu [--model PATH] [--tagger PATH] "
                        "[--min-uas X] [--min-las Y]\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    parser *p = NULL;
    if (!ctx || !doc)
        return 2;
    if (parser_load(ctx, model, &p) != CASUS_OK) {
        fprintf(stderr, "parse_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
#ifdef HAVE_TAGGER
    tagger *tg = NULL;
    tag_work wk;
    memset(&wk, 0, sizeof wk);
    if (tag_load(ctx, tagger_path, &tg) != CASUS_OK) {
        printf("parse_eval: no predicted tags: %s\n", casus_ctx_message(ctx));
        tg = NULL;
    }
#else
    (void)tagger_path;
    printf("parse_eval: no predicted tags: this casus has no tagger\n");
#endif
    casus_reader *r = NULL;
    casus_date d0 = {0, 0, 0};
    if (casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d0, &r) != CASUS_OK) {
        fprintf(stderr, "parse_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    score gold = {0}, pred = {0};
    casus_token *w = NULL;
    size_t cap = 0, sentences = 0;
    casus_status rc;
    while ((rc = casus_reader_next(r, doc)) == CASUS_OK) {
        for (size_t si = 0; si < doc->n_gold_sent; si++) {
            const gold_sentence *gs = &doc->gold_sent[si];
            const gold_token *g = doc->gold_tok + gs->first_token;
            size_t n = gs->n_tokens;
            if (n > cap) {
                cap = n * 2;
                w = realloc(w, cap * sizeof *w);
                if (!w)
                    return 2;
            }
            sentences++;
            memset(w, 0, n * sizeof *w);
            for (size_t i = 0; i < n; i++) {
                w[i].form.p = doc->gold_strings.p + g[i].form_off;
                w[i].form.n = g[i].form_n;
                w[i].upos = g[i].upos;
                w[i].xpos = g[i].xpos;
                w[i].head = -1;
            }
            double t0 = now();
            if (parser_run(ctx, p, w, n) != CASUS_OK) {
                fprintf(stderr, "parse_eval: %s\n", casus_ctx_message(ctx));
                return 2;
            }
            gold.seconds += now() - t0;
            count(&gold, w, g, n);
#ifdef HAVE_TAGGER
            if (tg) {
                for (size_t i = 0; i < n; i++) {
                    w[i].upos = w[i].xpos = w[i].deprel = 0;
                    w[i].head = -1;
                }
                t0 = now();
                if (tag_run(ctx, tg, &wk, w, n) != CASUS_OK ||
                    parser_run(ctx, p, w, n) != CASUS_OK) {
                    fprintf(stderr, "parse_eval: %s\n", casus_ctx_message(ctx));
                    return 2;
                }
                pred.seconds += now() - t0;
                count(&pred, w, g, n);
            }
#endif
        }
    }
    if (rc != CASUS_DONE) {
        fprintf(stderr, "parse_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    printf("parse_eval: %s: %zu sentences, %ld words\n", path, sentences, gold.words);
    report("gold tags:", &gold);
    if (pred.words)
        report("predicted tags:", &pred);
    const score *bar = pred.words ? &pred : &gold;
    double n = bar->words ? (double)bar->words : 1;
    int fail = 0;
    if (min_uas >= 0 && 100.0 * (double)bar->uas / n < min_uas) {
        printf("FAIL: UAS below %.2f\n", min_uas);
        fail = 1;
    }
    if (min_las >= 0 && 100.0 * (double)bar->las / n < min_las) {
        printf("FAIL: LAS below %.2f\n", min_las);
        fail = 1;
    }
#ifdef HAVE_TAGGER
    tag_work_free(ctx, &wk);
    tag_free(ctx, tg);
#endif
    free(w);
    casus_reader_close(r);
    parser_free(ctx, p);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return fail;
}
