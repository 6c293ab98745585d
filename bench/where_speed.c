/*
 * where_speed.c - place lookup throughput.
 *
 *   build/bench/where_speed [FILE.jsonl] [--gazetteer F] [--rounds N]
 *
 * Reads every document of a JSON Lines file (default
 * ../shared/data/bench-news/news.jsonl), runs casus_doc_analyze() on it
 * (not timed), then times where_doc() over all documents, N rounds
 * (default 3, best round reported). Prints sentences per second on one core,
 * the share of the analysis time (normalise, tokenize, split) that place
 * lookup adds, places found per document, and the index load time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "where.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *gaz = NULL;
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--gazetteer") && i + 1 < argc)
            gaz = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: where_speed [FILE.jsonl] [--gazetteer F] [--rounds N]\n");
            return 2;
        }
    }
    static char def[512];
    if (!path) {
        const char *sh = getenv("SHARED");
        snprintf(def, sizeof def, "%s/data/bench-news/news.jsonl", sh ? sh : "../shared");
        path = def;
    }
    casus_ctx *ctx = casus_ctx_new();
    where_index *ix = NULL;
    double t0 = now();
    if (!ctx || where_index_open(ctx, gaz, &ix) != CASUS_OK) {
        fprintf(stderr, "where_speed: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    double load_ms = (now() - t0) * 1000;
    casus_reader *r = NULL;
    casus_date nodate = {0, 0, 0};
    if (casus_reader_open(ctx, path, CASUS_FORMAT_JSONL, nodate, &r) != CASUS_OK) {
        printf("where_speed: skipped: %s\n", casus_ctx_message(ctx));
        where_index_close(ix);
        casus_ctx_free(ctx);
        return 0;
    }
    /* keep every analysed document, so only lookup is timed */
    casus_doc **docs = NULL;
    size_t n = 0, cap = 0, sentences = 0;
    double t_analyze = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            docs = realloc(docs, cap * sizeof *docs);
            if (!docs)
                return 2;
        }
        docs[n] = casus_doc_new(ctx);
        if (!docs[n] || casus_reader_next(r, docs[n]) != CASUS_OK) {
            casus_doc_free(docs[n]);
            break;
        }
        double a = now();
        if (casus_doc_analyze(docs[n]) != CASUS_OK)
            return 2;
        t_analyze += now() - a;
        size_t ns;
        casus_doc_sentences(docs[n], &ns);
        sentences += ns;
        n++;
    }
    casus_reader_close(r);
    where_vec v = {0};
    double best = 1e30;
    size_t found = 0;
    for (int k = 0; k < rounds; k++) {
        found = 0;
        double a = now();
        for (size_t i = 0; i < n; i++) {
            if (where_doc(ix, docs[i], 0, &v) != CASUS_OK)
                return 2;
            found += v.n;
        }
        double t = now() - a;
        if (t < best)
            best = t;
    }
    printf("%s: %zu documents, %zu sentences; gazetteer load %.1f ms\n", path, n,
           sentences, load_ms);
    printf("place lookup: best of %d %.3f s = %.0f sentences/s, %.1f places per document; "
           "%.1f%% of the analysis time (%.3f s)\n",
           rounds, best, best > 0 ? (double)sentences / best : 0,
           n ? (double)found / (double)n : 0, t_analyze > 0 ? 100 * best / t_analyze : 0,
           t_analyze);
    where_vec_free(ctx, &v);
    for (size_t i = 0; i < n; i++)
        casus_doc_free(docs[i]);
    free(docs);
    where_index_close(ix);
    casus_ctx_free(ctx);
    return 0;
}
