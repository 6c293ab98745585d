/*
 * tagspeed.c - speed of the linguistic core on one core.
 *
 *   build/bench/tagspeed NEWS.jsonl [--models DIR] [--rounds N]
 *
 * Reads and analyses (tokenizes, splits) every document first, keeping all
 * of them in memory, then times only the stages under test, best of N
 * rounds: tagging alone (tag.c), tagging + lemmatising, and the whole
 * casus_doc_parse() (tag, lemmatise, parse). Also times casus_models_load()
 * (cold: first load in this process) and reports the size of the mapped
 * model files. Times are the thread's CPU time, so other processes on the
 * machine do not inflate them (figures are per core).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "lemma.h"
#include "tag.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long fsize(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *dir = NULL;
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: tagspeed FILE [--models DIR] [--rounds N]\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: tagspeed FILE [--models DIR] [--rounds N]\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_models *m = NULL;
    double t0 = now();
    if (!ctx || casus_models_load(ctx, dir, &m) != CASUS_OK) {
        fprintf(stderr, "tagspeed: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    double load_ms = (now() - t0) * 1000;
    const char *mdir = casus_models_dir(m);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s/tagger.bin", mdir);
    tagger *tg = NULL;
    if (tag_load(ctx, tp, &tg) != CASUS_OK) {
        fprintf(stderr, "tagspeed: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    casus_doc **docs = NULL;
    size_t n_docs = 0, words = 0;
    casus_reader *r;
    casus_date nodate = {0, 0, 0};
    if (casus_reader_open(ctx, path, CASUS_FORMAT_AUTO, nodate, &r) != CASUS_OK) {
        fprintf(stderr, "tagspeed: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    for (;;) {
        casus_doc *d = casus_doc_new(ctx);
        if (!d || casus_reader_next(r, d) != CASUS_OK) {
            casus_doc_free(d);
            break;
        }
        if (casus_doc_analyze(d) != CASUS_OK)
            return 2;
        docs = realloc(docs, (n_docs + 1) * sizeof *docs);
        if (!docs)
            return 2;
        docs[n_docs++] = d;
        words += d->tok.n;
    }
    casus_reader_close(r);
    double best_tag = 1e30, best_all = 1e30;
    tag_work wk = {0};
    for (int k = 0; k < rounds; k++) {
        double a = now();
        for (size_t i = 0; i < n_docs; i++) {
            casus_doc *d = docs[i];
            for (size_t s = 0; s < d->sent.n; s++)
                if (tag_run(ctx, tg, &wk, d->tok.v + d->sent.v[s].first_token,
                            d->sent.v[s].n_tokens) != CASUS_OK)
                    return 2;
        }
        double b = now();
        for (size_t i = 0; i < n_docs; i++)
            if (casus_doc_parse(docs[i], m) != CASUS_OK)
                return 2;
        double c = now();
        if (b - a < best_tag)
            best_tag = b - a;
        if (c - b < best_all)
            best_all = c - b;
    }
    printf("%s: %zu documents, %zu words; models %s\n", path, n_docs, words, mdir);
    printf("model load: %.1f ms; mapped files: tagger %.1f MB, lemma %.1f MB, parser %.1f MB\n",
           load_ms, (double)fsize(mdir, "tagger.bin") / 1e6,
           (double)fsize(mdir, "lemma.bin") / 1e6,
           casus_models_have_parser(m) ? (double)fsize(mdir, "parser.bin") / 1e6 : 0.0);
    printf("tag only:             %.3f s  %10.0f words/s (best of %d)\n", best_tag,
           (double)words / best_tag, rounds);
    printf("tag + lemma%s: %.3f s  %10.0f words/s (best of %d)\n",
           casus_models_have_parser(m) ? " + parse" : "        ", best_all,
           (double)words / best_all, rounds);
    tag_work_free(ctx, &wk);
    for (size_t i = 0; i < n_docs; i++)
        casus_doc_free(docs[i]);
    free(docs);
    tag_free(ctx, tg);
    casus_models_free(m);
    casus_ctx_free(ctx);
    return 0;
}
