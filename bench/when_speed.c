/*
 * when_speed.c - date finder (when.c) throughput.
 *
 *   build/bench/when_speed [FILE.jsonl] [--rounds N]
 *
 * Reads every document of a JSON Lines file (default
 * ../shared/data/bench-news/news.jsonl) with the library's reader, runs
 * casus_doc_analyze() (normalise, tokenize, split), then times only
 * when_find() over every sentence, N rounds (default 5, best round kept).
 * Documents without a date get 2024-01-10 so relative dates are resolved,
 * as in `casus code --date`. For scale it also prints the time of
 * casus_doc_analyze() itself and how many dates of each precision it found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "when.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = "../shared/data/bench-news/news.jsonl";
    int rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (rounds < 1)
        rounds = 1;
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    if (!ctx || !doc) {
        fprintf(stderr, "when_speed: out of memory\n");
        return 3;
    }
    casus_date def = {2024, 1, 10};
    double best_find = 0, best_analyze = 0;
    size_t n_sent = 0, n_dates = 0, n_words = 0, by_prec[8] = {0};
    for (int r = 0; r < rounds; r++) {
        casus_reader *rd;
        if (casus_reader_open(ctx, path, CASUS_FORMAT_JSONL, def, &rd) != CASUS_OK) {
            fprintf(stderr, "when_speed: %s\n", casus_ctx_message(ctx));
            return 1;
        }
        double t_find = 0, t_an = 0;
        n_sent = n_dates = n_words = 0;
        memset(by_prec, 0, sizeof by_prec);
        casus_status st;
        while ((st = casus_reader_next(rd, doc)) == CASUS_OK) {
            double t0 = now();
            if (casus_doc_analyze(doc) != CASUS_OK) {
                fprintf(stderr, "when_speed: %s\n", casus_ctx_message(ctx));
                return 3;
            }
            double t1 = now();
            size_t ns, nt;
            const casus_sentence *s = casus_doc_sentences(doc, &ns);
            const casus_token *w = casus_doc_tokens(doc, &nt);
            when_env env = when_env_for_doc(doc, (casus_date){0, 0, 0});
            when_date out[32];
            for (size_t i = 0; i < ns; i++) {
                size_t k = when_find(&env, w + s[i].first_token, s[i].n_tokens, out, 32);
                n_dates += k;
                for (size_t j = 0; j < k; j++)
                    by_prec[out[j].precision & 7]++;
                n_words += s[i].n_tokens;
            }
            double t2 = now();
            n_sent += ns;
            t_an += t1 - t0;
            t_find += t2 - t1;
        }
        casus_reader_close(rd);
        if (st != CASUS_DONE) {
            fprintf(stderr, "when_speed: %s\n", casus_ctx_message(ctx));
            return 1;
        }
        if (r == 0 || t_find < best_find)
            best_find = t_find;
        if (r == 0 || t_an < best_analyze)
            best_analyze = t_an;
    }
    printf("when_find: %zu sentences, %zu words, %zu dates in %.4fs (best of %d): "
           "%.0f sentences/s, %.1f M words/s\n",
           n_sent, n_words, n_dates, best_find, rounds,
           best_find > 0 ? (double)n_sent / best_find : 0.0,
           best_find > 0 ? (double)n_words / best_find / 1e6 : 0.0);
    printf("casus_doc_analyze (normalise+tokenize+split): %.4fs; date finding adds %.1f%% "
           "to it\n", best_analyze, best_analyze > 0 ? 100.0 * best_find / best_analyze : 0.0);
    printf("by precision:");
    for (unsigned p = 1; p <= WHEN_PREC_DECADE; p++)
        printf(" %s %zu", when_precision_name(p), by_prec[p]);
    printf("\n");
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return 0;
}
