/*
 * tag_eval.c - quality of the linguistic core (tagger, lemmatizer, parser)
 * against a CoNLL-U treebank, CoNLL 2018 shared task style.
 *
 *   build/bench/tag_eval FILE.conllu [--models DIR] [--min-upos X]
 *       [--min-xpos X] [--min-lemma X] [--min-uas X] [--min-las X]
 *
 * Two runs over the same file:
 *   gold tokens   the treebank's own words (casus_doc_use_gold_tokens), so
 *                 every measure is an accuracy over all words, punctuation
 *                 included;
 *   casus tokens  casus's tokenizer and splitter on the rebuilt text; system
 *                 words are aligned to gold words by byte span (words of a
 *                 multiword token whose parts do not spell it share its span
 *                 and are paired in order), and each measure is the F1 of
 *                 words that align and agree (as CoNLL 2018 reports).
 * UAS counts a word whose head is the word aligned to its gold head (or both
 * root); LAS also needs the relation, compared without subtypes as in CoNLL
 * 2018. The --min-* bars apply to the gold-token figures (exit status 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "doc.h"

enum { M_UPOS, M_XPOS, M_LEMMA, M_UAS, M_LAS, M_N };
static const char *const mname[M_N] = {"UPOS", "XPOS", "LEMMA", "UAS", "LAS"};

typedef struct tally {
    size_t gold, sys, aligned;
    size_t ok[M_N];
    double seconds;
} tally;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t base_len(const char *s)
{
    const char *c = strchr(s, ':');
    return c ? (size_t)(c - s) : strlen(s);
}

static int same_rel(unsigned a, unsigned b)
{
    const char *x = casus_deprel_name(a), *y = casus_deprel_name(b);
    size_t n = base_len(x);
    return n == base_len(y) && !memcmp(x, y, n);
}

/* Sentence-relative head -> global index of the head word, or -1 (root),
 * -2 (unparsed). */
static long head_global(long first, int32_t head)
{
    return head < 0 ? -2 : head == 0 ? -1 : first + head - 1;
}

static int *xgrow(int *p, size_t n)
{
    int *q = realloc(p, (n ? n : 1) * sizeof *q);
    if (!q) {
        fprintf(stderr, "tag_eval: out of memory\n");
        exit(2);
    }
    return q;
}

/* Compares the document's words (after casus_doc_parse) with its gold
 * words; align[i] is the gold word of system word i or -1. */
static void score_doc(const casus_doc *doc, tally *t, int **al, int **gfirst,
                      int **sfirst, size_t *cap)
{
    size_t ns, nsent;
    const casus_token *w = casus_doc_tokens(doc, &ns);
    const casus_sentence *se = casus_doc_sentences(doc, &nsent);
    size_t ng = doc->n_gold_tok;
    size_t need = ns > ng ? ns : ng;
    if (need > *cap) {
        *cap = need;
        *al = xgrow(*al, need);
        *gfirst = xgrow(*gfirst, need);
        *sfirst = xgrow(*sfirst, need);
    }
    int *align = *al, *gf = *gfirst, *sf = *sfirst;
    int *galign = xgrow(NULL, ng);
    for (size_t s = 0; s < doc->n_gold_sent; s++)
        for (size_t k = 0; k < doc->gold_sent[s].n_tokens; k++)
            gf[doc->gold_sent[s].first_token + k] = (int)doc->gold_sent[s].first_token;
    for (size_t s = 0; s < nsent; s++)
        for (size_t k = 0; k < se[s].n_tokens; k++)
            sf[se[s].first_token + k] = (int)se[s].first_token;
    for (size_t i = 0; i < ng; i++)
        galign[i] = -1;
    size_t i = 0, j = 0;
    while (i < ns && j < ng) {
        const gold_token *g = &doc->gold_tok[j];
        if (w[i].start == g->start && w[i].end == g->end) {
            align[i] = (int)j;
            galign[j] = (int)i;
            i++;
            j++;
        } else if (w[i].start < g->start ||
                   (w[i].start == g->start && w[i].end < g->end)) {
            align[i++] = -1;
        } else {
            j++;
        }
    }
    while (i < ns)
        align[i++] = -1;
    t->gold += ng;
    t->sys += ns;
    const char *strs = doc->gold_strings.p;
    for (i = 0; i < ns; i++) {
        if (align[i] < 0)
            continue;
        const gold_token *g = &doc->gold_tok[align[i]];
        t->aligned++;
        t->ok[M_UPOS] += w[i].upos == g->upos;
        t->ok[M_XPOS] += w[i].xpos == g->xpos;
        t->ok[M_LEMMA] += w[i].lemma.n == g->lemma_n &&
                          !memcmp(w[i].lemma.p, strs + g->lemma_off, g->lemma_n);
        long sh = head_global(sf[i], w[i].head);
        long gh = head_global(gf[align[i]], g->head);
        int head_ok = sh >= -1 && ((gh == -1 && sh == -1) ||
                                   (gh >= 0 && sh >= 0 && galign[gh] == sh));
        t->ok[M_UAS] += head_ok;
        t->ok[M_LAS] += head_ok && same_rel(w[i].deprel, g->deprel);
    }
    free(galign);
}

static double f1(const tally *t, size_t ok)
{
    double d = (double)t->gold + (double)t->sys;
    return d > 0 ? 200.0 * (double)ok / d : 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *dir = NULL;
    double bar[M_N] = {-1, -1, -1, -1, -1};
    static const char *const opt[M_N] = {"--min-upos", "--min-xpos", "--min-lemma",
                                         "--min-uas", "--min-las"};
    for (int i = 1; i < argc; i++) {
        int used = 0;
        for (int m = 0; m < M_N; m++)
            if (!strcmp(argv[i], opt[m]) && i + 1 < argc) {
                bar[m] = atof(argv[++i]);
                used = 1;
            }
        if (used)
            continue;
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            dir = argv[++i];
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: tag_eval FILE.conllu [--models DIR] [--min-upos X] "
                            "[--min-xpos X] [--min-lemma X] [--min-uas X] [--min-las X]\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: tag_eval FILE.conllu [--models DIR] [--min-* X]\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_models *models = NULL;
    double t0 = now();
    if (!ctx || casus_models_load(ctx, dir, &models) != CASUS_OK) {
        fprintf(stderr, "tag_eval: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    double load_ms = (now() - t0) * 1000;
    int have_parser = casus_models_have_parser(models);
    tally tg = {0}, tc = {0};
    int *al = NULL, *gf = NULL, *sf = NULL;
    size_t cap = 0;
    for (int mode = 0; mode < 2; mode++) {
        casus_doc *doc = casus_doc_new(ctx);
        casus_reader *r = NULL;
        casus_date nodate = {0, 0, 0};
        if (!doc || casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, nodate, &r) != CASUS_OK) {
            fprintf(stderr, "tag_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        tally *t = mode == 0 ? &tg : &tc;
        while (casus_reader_next(r, doc) == CASUS_OK) {
            if (casus_doc_analyze(doc) != CASUS_OK ||
                (mode == 0 && casus_doc_use_gold_tokens(doc) != CASUS_OK)) {
                fprintf(stderr, "tag_eval: %s\n", casus_ctx_message(ctx));
                return 2;
            }
            double a = now();
            if (casus_doc_parse(doc, models) != CASUS_OK) {
                fprintf(stderr, "tag_eval: %s\n", casus_ctx_message(ctx));
                return 2;
            }
            t->seconds += now() - a;
            score_doc(doc, t, &al, &gf, &sf, &cap);
        }
        casus_reader_close(r);
        casus_doc_free(doc);
    }
    printf("%s: %zu gold words; models %s (load %.1f ms)%s\n", path, tg.gold,
           casus_models_dir(models), load_ms, have_parser ? "" : ", no parser");
    printf("gold tokens  ");
    for (int m = 0; m < M_N; m++)
        if (m < M_UAS || have_parser)
            printf("  %s %6.2f", mname[m], 100.0 * (double)tg.ok[m] / (double)(tg.gold ? tg.gold : 1));
    printf("   (%.0f words/s)\n", (double)tg.gold / (tg.seconds > 0 ? tg.seconds : 1));
    printf("casus tokens   Words F1 %6.2f", f1(&tc, tc.aligned));
    for (int m = 0; m < M_N; m++)
        if (m < M_UAS || have_parser)
            printf("  %s %6.2f", mname[m], f1(&tc, tc.ok[m]));
    printf("   (F1; %zu system words)\n", tc.sys);
    int rc = 0;
    for (int m = 0; m < M_N; m++) {
        double v = 100.0 * (double)tg.ok[m] / (double)(tg.gold ? tg.gold : 1);
        if (bar[m] >= 0 && (m < M_UAS || have_parser) && v < bar[m]) {
            printf("FAIL: %s %.2f below %.2f\n", mname[m], v, bar[m]);
            rc = 1;
        }
    }
    free(al);
    free(gf);
    free(sf);
    casus_models_free(models);
    casus_ctx_free(ctx);
    return rc;
}
