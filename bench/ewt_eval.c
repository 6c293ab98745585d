/*
 * ewt_eval.c - tokenization and sentence-splitting quality against a
 * CoNLL-U treebank (UD English EWT).
 *
 *   build/bench/ewt_eval FILE.conllu [--min-token-f1 X] [--min-sentence-f1 Y]
 *                        [--errors N]
 *
 * Reads FILE with the CoNLL-U reader (which rebuilds each document's raw
 * text and keeps the gold tokenization), runs casus_doc_analyze() on it and
 * compares spans by byte offsets:
 *   tokens     surface tokens (a multiword token is one span), as the
 *              CoNLL 2018 shared task "Tokens" metric;
 *   words      UD words, multiword parts included;
 *   sentences  sentence spans (first word start .. last word end).
 * Prints precision, recall and F1 for each; with --min-* exits 1 when a
 * figure is below its bar. --errors N prints up to N token and sentence
 * mismatches with context, for tuning on the dev set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"

typedef struct span {
    size_t a, b;
} span;

typedef struct spans {
    span *v;
    size_t n, cap;
} spans;

typedef struct counts {
    size_t gold, sys, match;
} counts;

static int push(spans *s, size_t a, size_t b)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        span *v = realloc(s->v, nc * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = nc;
    }
    s->v[s->n].a = a;
    s->v[s->n].b = b;
    s->n++;
    return 0;
}

static int span_lt(span x, span y)
{
    return x.a < y.a || (x.a == y.a && x.b < y.b);
}

/* Both lists are in text order; counts exact matches (with multiplicity). */
static size_t match(const spans *g, const spans *s, const char *raw,
                    const char *what, long *errors)
{
    size_t i = 0, j = 0, m = 0;
    while (i < g->n && j < s->n) {
        if (g->v[i].a == s->v[j].a && g->v[i].b == s->v[j].b) {
            m++;
            i++;
            j++;
        } else {
            if (*errors > 0 && raw) {
                (*errors)--;
                size_t ga = g->v[i].a, gb = g->v[i].b;
                size_t sa = s->v[j].a, sb = s->v[j].b;
                printf("%s: gold [%.*s] sys [%.*s]\n", what,
                       (int)(gb - ga > 200 ? 200 : gb - ga), raw + ga,
                       (int)(sb - sa > 200 ? 200 : sb - sa), raw + sa);
            }
            if (span_lt(g->v[i], s->v[j]))
                i++;
            else
                j++;
        }
    }
    return m;
}

static void report(const char *name, counts c)
{
    double p = c.sys ? 100.0 * (double)c.match / (double)c.sys : 0;
    double r = c.gold ? 100.0 * (double)c.match / (double)c.gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-10s P %6.2f  R %6.2f  F1 %6.2f  (gold %zu, system %zu, match %zu)\n",
           name, p, r, f, c.gold, c.sys, c.match);
}

static double f1(counts c)
{
    double d = (double)c.gold + (double)c.sys;
    return d > 0 ? 200.0 * (double)c.match / d : 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    double min_tok = -1, min_sent = -1;
    long errors = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--min-token-f1") == 0 && i + 1 < argc)
            min_tok = atof(argv[++i]);
        else if (strcmp(argv[i], "--min-sentence-f1") == 0 && i + 1 < argc)
            min_sent = atof(argv[++i]);
        else if (strcmp(argv[i], "--errors") == 0 && i + 1 < argc)
            errors = atol(argv[++i]);
        else if (!path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: ewt_eval FILE.conllu [--min-token-f1 X] "
                            "[--min-sentence-f1 Y] [--errors N]\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: ewt_eval FILE.conllu [--min-token-f1 X] "
                        "[--min-sentence-f1 Y] [--errors N]\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = ctx ? casus_doc_new(ctx) : NULL;
    casus_reader *r = NULL;
    casus_date nodate = {0, 0, 0};
    if (!doc || casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, nodate, &r) != CASUS_OK) {
        fprintf(stderr, "ewt_eval: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        casus_doc_free(doc);
        casus_ctx_free(ctx);
        return 2;
    }
    spans g = {0}, s = {0};
    counts ct = {0}, cw = {0}, cs = {0};
    size_t docs = 0;
    int rc = 0;
    casus_status st;
    while ((st = casus_reader_next(r, doc)) == CASUS_OK) {
        if (casus_doc_analyze(doc) != CASUS_OK) {
            fprintf(stderr, "ewt_eval: %s\n", casus_ctx_message(ctx));
            rc = 2;
            break;
        }
        docs++;
        const char *raw = casus_doc_raw(doc).p;
        size_t nt;
        const casus_token *t = casus_doc_tokens(doc, &nt);
        int ok = 0;
        /* Surface tokens. */
        g.n = s.n = 0;
        for (size_t i = 0; i < doc->n_gold_tok; i++) {
            size_t a = doc->gold_tok[i].start;
            while (doc->gold_tok[i].flags & CASUS_TOK_JOIN_NEXT && i + 1 < doc->n_gold_tok)
                i++;
            ok |= push(&g, a, doc->gold_tok[i].end);
        }
        for (size_t i = 0; i < nt; i++) {
            size_t a = t[i].start;
            while (t[i].flags & CASUS_TOK_JOIN_NEXT && i + 1 < nt)
                i++;
            ok |= push(&s, a, t[i].end);
        }
        ct.gold += g.n;
        ct.sys += s.n;
        ct.match += match(&g, &s, raw, "token", &errors);
        /* Words. */
        g.n = s.n = 0;
        for (size_t i = 0; i < doc->n_gold_tok; i++)
            ok |= push(&g, doc->gold_tok[i].start, doc->gold_tok[i].end);
        for (size_t i = 0; i < nt; i++)
            ok |= push(&s, t[i].start, t[i].end);
        cw.gold += g.n;
        cw.sys += s.n;
        long no = 0;
        cw.match += match(&g, &s, NULL, "word", &no);
        /* Sentences. */
        size_t ns;
        const casus_sentence *se = casus_doc_sentences(doc, &ns);
        g.n = s.n = 0;
        for (size_t i = 0; i < doc->n_gold_sent; i++)
            ok |= push(&g, doc->gold_sent[i].start, doc->gold_sent[i].end);
        for (size_t i = 0; i < ns; i++)
            ok |= push(&s, se[i].start, se[i].end);
        cs.gold += g.n;
        cs.sys += s.n;
        cs.match += match(&g, &s, raw, "sentence", &errors);
        if (ok) {
            fprintf(stderr, "ewt_eval: out of memory\n");
            rc = 2;
            break;
        }
    }
    if (st < 0 && rc == 0) {
        fprintf(stderr, "ewt_eval: %s\n", casus_ctx_message(ctx));
        rc = 2;
    }
    if (rc == 0) {
        printf("%s: %zu documents, %zu diagnostics\n", path, docs,
               casus_ctx_diag_count(ctx, CASUS_NOTE));
        report("tokens", ct);
        report("words", cw);
        report("sentences", cs);
        if (min_tok >= 0 && f1(ct) < min_tok) {
            printf("FAIL: token F1 %.2f below %.2f\n", f1(ct), min_tok);
            rc = 1;
        }
        if (min_sent >= 0 && f1(cs) < min_sent) {
            printf("FAIL: sentence F1 %.2f below %.2f\n", f1(cs), min_sent);
            rc = 1;
        }
    }
    free(g.v);
    free(s.v);
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return rc;
}
