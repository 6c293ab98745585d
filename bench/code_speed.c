/*
 * code_speed.c - the whole pipeline from raw text to events, on one core:
 * read (JSON Lines), normalise, tokenize, split, tag, lemmatise, parse and
 * code the events with the default dictionaries. Prints sentences per second
 * of all stages together and of the coder alone (its share of the time), in
 * process CPU time, so that the load of a shared machine does not count.
 *
 * Usage (from the project root):
 *   build/bench/code_speed [FILE.jsonl] [--models DIR] [--dictionaries DIR]
 *                          [--min RATE] [--incidents]
 * FILE defaults to ../shared/data/bench-news/news.jsonl. With --min, the
 * exit status is 1 when the all-stages rate is below RATE sentences/s.
 * With --incidents, every document also goes through the incident stage
 * (casus_incidents_add into one set, as `casus code` does), and its time is
 * reported as a share of the time of the rest (issue 5's bar: at most 30%).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *path = "../shared/data/bench-news/news.jsonl", *models = "data/models",
               *dicts = "data/dictionaries";
    double min = 0;
    int incidents = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--dictionaries") && i + 1 < argc)
            dicts = argv[++i];
        else if (!strcmp(argv[i], "--min") && i + 1 < argc)
            min = atof(argv[++i]);
        else if (!strcmp(argv[i], "--incidents"))
            incidents = 1;
        else if (argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: code_speed [FILE.jsonl] [--models DIR] "
                            "[--dictionaries DIR] [--min RATE] [--incidents]\n");
            return 2;
        }
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_models *m = NULL;
    casus_dicts *d = NULL;
    casus_coder *coder = NULL;
    casus_incidents *set = NULL;
    casus_reader *r = NULL;
    casus_doc *doc = casus_doc_new(ctx);
    if (casus_reader_open(ctx, path, CASUS_FORMAT_JSONL, (casus_date){2024, 1, 25}, &r) !=
        CASUS_OK) {
        fprintf(stderr, "code_speed: skipped: %s\n", casus_ctx_message(ctx));
        return 0;
    }
    if (casus_models_load(ctx, models, &m) != CASUS_OK ||
        casus_dicts_load(ctx, dicts, &d) != CASUS_OK ||
        casus_coder_new(ctx, d, 0, &coder) != CASUS_OK ||
        (incidents && casus_incidents_new(ctx, d, NULL, &set) != CASUS_OK)) {
        fprintf(stderr, "code_speed: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    size_t docs = 0, sents = 0, events = 0, bytes = 0;
    double t0 = now(), coding = 0, inc = 0;
    while (casus_reader_next(r, doc) == CASUS_OK) {
        const casus_event *ev;
        size_t n, ns;
        if (casus_doc_analyze(doc) != CASUS_OK || casus_doc_parse(doc, m) != CASUS_OK) {
            fprintf(stderr, "code_speed: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        double c0 = now();
        if (casus_coder_run(coder, doc, &ev, &n) != CASUS_OK) {
            fprintf(stderr, "code_speed: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        coding += now() - c0;
        if (set) {
            double i0 = now();
            if (casus_incidents_add(set, doc) != CASUS_OK) {
                fprintf(stderr, "code_speed: %s\n", casus_ctx_message(ctx));
                return 2;
            }
            inc += now() - i0;
        }
        casus_doc_sentences(doc, &ns);
        docs++;
        sents += ns;
        events += n;
        bytes += casus_doc_raw(doc).n;
    }
    double t = now() - t0 - inc;
    double rate = (double)sents / t;
    printf("code_speed: %zu documents, %zu sentences, %.1f MB, %zu events in %.2f s: "
           "%.0f sentences/s all stages (bar 10000), coder alone %.0f sentences/s "
           "(%.0f%% of the time)\n",
           docs, sents, (double)bytes / 1e6, events, t, rate,
           coding > 0 ? (double)sents / coding : 0, 100.0 * coding / t);
    if (set)
        printf("code_speed: incident stage %.2f s for %zu records: +%.1f%% on the rest "
               "(bar 30%%)\n",
               inc, casus_incidents_count(set), 100.0 * inc / t);
    casus_incidents_free(set);
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_coder_free(coder);
    casus_dicts_free(d);
    casus_models_free(m);
    casus_ctx_free(ctx);
    return min > 0 && rate < min ? 1 : 0;
}
