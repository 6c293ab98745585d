/*
 * dictspeed.c - dictionary load time and matcher throughput.
 *
 * Usage: dictspeed [SHARED]   (default ../shared)
 *
 * Loads the full Phoenix actor dictionaries (Countries, International,
 * MilNonState) and casus's defaults (data/dictionaries), timing each load,
 * then tokenizes bench-news and times matching alone: for every sentence,
 * match_prepare and the longest actor and agent phrase at every position.
 * Prints tokens per second of matching (both dictionaries).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "match.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Matches every sentence of every document; returns tokens matched. */
static size_t match_all(casus_ctx *ctx, const casus_dicts *d, casus_doc **docs, size_t n,
                        size_t *hits, double *secs)
{
    match_seq seq = MATCH_SEQ_INIT;
    size_t tokens = 0;
    *hits = 0;
    double t0 = now();
    for (size_t k = 0; k < n; k++) {
        size_t nt, ns;
        const casus_token *tok = casus_doc_tokens(docs[k], &nt);
        const casus_sentence *s = casus_doc_sentences(docs[k], &ns);
        for (size_t i = 0; i < ns; i++) {
            const casus_token *st = tok + s[i].first_token;
            if (match_prepare(ctx, d, st, s[i].n_tokens, &seq) != CASUS_OK)
                break;
            tokens += s[i].n_tokens;
            for (size_t p = 0; p < seq.n; p++) {
                match_hit h;
                if (match_at(d, DICT_ACTORS, &seq, st, p, &h))
                    (*hits)++;
                if (match_at(d, DICT_AGENTS, &seq, st, p, &h))
                    (*hits)++;
            }
        }
    }
    *secs = now() - t0;
    match_seq_free(ctx, &seq);
    return tokens;
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char p[3][512], news[512];
    const char *names[] = {"Countries", "International", "MilNonState"};
    const char *paths[3];
    for (int i = 0; i < 3; i++) {
        snprintf(p[i], sizeof p[i], "%s/data/petrarch2/dictionaries/Phoenix.%s.actors.txt",
                 shared, names[i]);
        paths[i] = p[i];
    }
    snprintf(news, sizeof news, "%s/data/bench-news/news.jsonl", shared);
    casus_ctx *ctx = casus_ctx_new();
    casus_dicts *phoenix = NULL, *defaults = NULL;
    double t0 = now();
    if (casus_dicts_load_files(ctx, paths, 3, &phoenix) != CASUS_OK) {
        fprintf(stderr, "dictspeed: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    double t1 = now();
    if (casus_dicts_load(ctx, "data/dictionaries", &defaults) != CASUS_OK) {
        fprintf(stderr, "dictspeed: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    double t2 = now();
    printf("load Phoenix actors (3 files, %zu actors): %.1f ms\n",
           casus_dicts_count(phoenix, CASUS_DICT_ACTORS), (t1 - t0) * 1e3);
    printf("load casus defaults (%zu actors, %zu agents, %zu verb forms): %.1f ms\n",
           casus_dicts_count(defaults, CASUS_DICT_ACTORS),
           casus_dicts_count(defaults, CASUS_DICT_AGENTS),
           casus_dicts_count(defaults, CASUS_DICT_VERBS), (t2 - t1) * 1e3);

    casus_reader *r = NULL;
    casus_date none = {0, 0, 0};
    if (casus_reader_open(ctx, news, CASUS_FORMAT_JSONL, none, &r) != CASUS_OK) {
        printf("bench-news not found: matcher throughput skipped\n");
        return 0;
    }
    static casus_doc *docs[4096];
    size_t n = 0;
    while (n < 4096) {
        docs[n] = casus_doc_new(ctx);
        if (casus_reader_next(r, docs[n]) != CASUS_OK || casus_doc_analyze(docs[n]) != CASUS_OK) {
            casus_doc_free(docs[n]);
            break;
        }
        n++;
    }
    casus_reader_close(r);
    const casus_dicts *ds[2] = {defaults, phoenix};
    const char *dn[2] = {"casus defaults", "Phoenix actors"};
    for (int k = 0; k < 2; k++) {
        size_t hits, tokens = 0;
        double secs = 0;
        for (int rep = 0; rep < 3; rep++)   /* best of 3 */ {
            double s;
            tokens = match_all(ctx, ds[k], docs, n, &hits, &s);
            if (rep == 0 || s < secs)
                secs = s;
        }
        printf("match %s: %zu tokens, %zu phrase hits, %.1f ms, %.1f M tokens/s\n", dn[k],
               tokens, hits, secs * 1e3, (double)tokens / secs / 1e6);
    }
    for (size_t i = 0; i < n; i++)
        casus_doc_free(docs[i]);
    casus_dicts_free(phoenix);
    casus_dicts_free(defaults);
    casus_ctx_free(ctx);
    return 0;
}
