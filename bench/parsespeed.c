/*
 * parsespeed.c - tagging and parsing throughput on one core.
 *
 *   build/bench/parsespeed [FILE.jsonl | FILE.conllu] [--model PATH]
 *       [--tagger PATH] [--rounds N]
 *
 * Reads the input once (default ../shared/data/bench-news/news.jsonl),
 * runs casus_doc_analyze() on every document (tokens and sentences; not
 * timed) and keeps the sentences in memory. Then, N rounds (default 3),
 * times tagging (when the tagger is built in and its model loads) and
 * parsing of every sentence, and prints the best round's words per second
 * for tagging, parsing and both. For a .conllu input the gold sentences and,
 * without a tagger, their gold tags are used. Also prints the parser model
 * load time (wall, best of 5). Tagging and parsing times are thread CPU
 * time.
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

typedef struct sent {
    casus_token *w;
    size_t n;
} sent;

/* Thread CPU time: the figure is per core, and on a shared machine wall
 * time would also count the time other processes held the core. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static sent *sents;
static size_t n_sents, cap_sents, n_words;

static int add_sentence(const casus_token *src, size_t n, const char *strings)
{
    if (n_sents == cap_sents) {
        cap_sents = cap_sents ? cap_sents * 2 : 4096;
        sents = realloc(sents, cap_sents * sizeof *sents);
        if (!sents)
            return -1;
    }
    sent *s = &sents[n_sents++];
    s->n = n;
    s->w = malloc((n ? n : 1) * sizeof *s->w);
    if (!s->w)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s->w[i] = src[i];
        char *f = malloc(src[i].form.n + 1);
        if (!f)
            return -1;
        memcpy(f, strings ? strings + (size_t)src[i].form.p : src[i].form.p,
               src[i].form.n);
        f[src[i].form.n] = '\0';
        s->w[i].form.p = f;
    }
    n_words += n;
    return 0;
}

static int load_input(casus_ctx *ctx, const char *path)
{
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d0 = {0, 0, 0};
    casus_format fmt = casus_format_for_path(path);
    if (!doc || casus_reader_open(ctx, path, fmt, d0, &r) != CASUS_OK)
        return -1;
    casus_status rc;
    casus_token *tmp = NULL;
    size_t cap = 0;
    while ((rc = casus_reader_next(r, doc)) == CASUS_OK) {
        if (fmt == CASUS_FORMAT_CONLLU) {
            for (size_t si = 0; si < doc->n_gold_sent; si++) {
                const gold_sentence *gs = &doc->gold_sent[si];
                const gold_token *g = doc->gold_tok + gs->first_token;
                if (gs->n_tokens > cap) {
                    cap = gs->n_tokens * 2;
                    tmp = realloc(tmp, cap * sizeof *tmp);
                    if (!tmp)
                        return -1;
                }
                memset(tmp, 0, gs->n_tokens * sizeof *tmp);
                for (size_t i = 0; i < gs->n_tokens; i++) {
                    tmp[i].form.p = (const char *)(size_t)g[i].form_off;
                    tmp[i].form.n = g[i].form_n;
                    tmp[i].upos = g[i].upos;
                    tmp[i].xpos = g[i].xpos;
                    tmp[i].head = -1;
                }
                if (add_sentence(tmp, gs->n_tokens, doc->gold_strings.p) != 0)
                    return -1;
            }
            continue;
        }
        if (casus_doc_analyze(doc) != CASUS_OK)
            return -1;
        size_t nt, ns;
        const casus_token *t = casus_doc_tokens(doc, &nt);
        const casus_sentence *s = casus_doc_sentences(doc, &ns);
        for (size_t i = 0; i < ns; i++)
            if (add_sentence(t + s[i].first_token, s[i].n_tokens, NULL) != 0)
                return -1;
    }
    free(tmp);
    casus_reader_close(r);
    casus_doc_free(doc);
    return rc == CASUS_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *model = "data/models/parser.bin";
    const char *tagger_path = "data/models/tagger.bin";
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--tagger") == 0 && i + 1 < argc)
            tagger_path = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            path = argv[i];
    }
    static char def[512];
    if (!path) {
        const char *sh = getenv("SHARED");
        snprintf(def, sizeof def, "%s/data/bench-news/news.jsonl", sh ? sh : "../shared");
        path = def;
    }
    casus_ctx *ctx = casus_ctx_new();
    if (!ctx || load_input(ctx, path) != 0) {
        fprintf(stderr, "parsespeed: cannot read %s: %s\n", path,
                ctx ? casus_ctx_message(ctx) : "");
        return 2;
    }
    parser *p = NULL;
    double load_best = 1e9;
    for (int i = 0; i < 5; i++) {
        parser_free(ctx, p);
        double t0 = wall();
        if (parser_load(ctx, model, &p) != CASUS_OK) {
            fprintf(stderr, "parsespeed: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        double t = wall() - t0;
        if (t < load_best)
            load_best = t;
    }
    int tagged = 0;
#ifdef HAVE_TAGGER
    tagger *tg = NULL;
    tag_work wk;
    memset(&wk, 0, sizeof wk);
    if (tag_load(ctx, tagger_path, &tg) == CASUS_OK)
        tagged = 1;
    else
        printf("parsespeed: no tagger: %s\n", casus_ctx_message(ctx));
#else
    (void)tagger_path;
#endif
    if (!tagged && casus_format_for_path(path) != CASUS_FORMAT_CONLLU)
        printf("parsespeed: parsing untagged words (no tagger): not representative\n");
    double best_tag = 1e9, best_parse = 1e9;
    for (int r = 0; r < rounds; r++) {
        double tt = 0, tp = 0;
        for (size_t i = 0; i < n_sents; i++) {
            sent *s = &sents[i];
            double t0 = now();
#ifdef HAVE_TAGGER
            if (tagged && tag_run(ctx, tg, &wk, s->w, s->n) != CASUS_OK)
                return 2;
#endif
            double t1 = now();
            if (parser_run(ctx, p, s->w, s->n) != CASUS_OK)
                return 2;
            double t2 = now();
            tt += t1 - t0;
            tp += t2 - t1;
        }
        if (tt < best_tag)
            best_tag = tt;
        if (tp < best_parse)
            best_parse = tp;
    }
    printf("parsespeed: %s: %zu sentences, %zu words, best of %d rounds\n", path,
           n_sents, n_words, rounds);
    printf("parser load: %.1f ms\n", load_best * 1e3);
    if (tagged)
        printf("tagging:           %9.0f words/s\n", (double)n_words / best_tag);
    printf("parsing:           %9.0f words/s\n", (double)n_words / best_parse);
    if (tagged)
        printf("tagging + parsing: %9.0f words/s\n",
               (double)n_words / (best_tag + best_parse));
#ifdef HAVE_TAGGER
    tag_work_free(ctx, &wk);
    tag_free(ctx, tg);
#endif
    parser_free(ctx, p);
    casus_ctx_free(ctx);
    for (size_t i = 0; i < n_sents; i++) {
        for (size_t j = 0; j < sents[i].n; j++)
            free((void *)sents[i].w[j].form.p);
        free(sents[i].w);
    }
    free(sents);
    return 0;
}
