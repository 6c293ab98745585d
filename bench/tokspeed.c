/*
 * tokspeed.c - tokenizer + sentence splitter throughput.
 *
 *   build/bench/tokspeed [FILE.jsonl] [--rounds N]
 *
 * Reads the "text" value of every line of a JSON Lines file (default
 * ../shared/data/bench-news/news.jsonl), unescaping it with a minimal JSON
 * string decoder, then times token_run() + sentence_run() over all texts,
 * N rounds (default 5), reusing the output vectors as casus_doc_analyze()
 * does. Prints MB/s of input text on one core. Parsing is not timed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "sentence.h"
#include "token.h"
#include "util/mem.h"
#include "util/utf8.h"

typedef struct text {
    char *p;
    size_t n;
} text;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the JSON string starting after the quote at s; returns its length
 * in out (which has room for the input length). */
static size_t unescape(const char *s, const char *end, char *out)
{
    size_t o = 0;
    while (s < end && *s != '"') {
        if (*s != '\\') {
            out[o++] = *s++;
            continue;
        }
        s++;
        if (s >= end)
            break;
        char c = *s++;
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'u': {
            int32_t cp = 0;
            for (int i = 0; i < 4 && s < end; i++, s++) {
                int h = hexval(*s);
                cp = cp * 16 + (h < 0 ? 0 : h);
            }
            if (cp >= 0xD800 && cp < 0xDC00 && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                int32_t lo = 0;
                for (int i = 2; i < 6; i++)
                    lo = lo * 16 + (hexval(s[i]) < 0 ? 0 : hexval(s[i]));
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    s += 6;
                }
            }
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD;
            o += utf8_encode(cp, out + o);
            break;
        }
        default: out[o++] = c; break;
        }
    }
    return o;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path) {
        const char *sh = getenv("SHARED");
        static char def[512];
        snprintf(def, sizeof def, "%s/data/bench-news/news.jsonl", sh ? sh : "../shared");
        path = def;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tokspeed: cannot open %s\n", path);
        return 2;
    }
    text *texts = NULL;
    size_t nt = 0, cap = 0, bytes = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        const char *k = strstr(line, "\"text\"");
        if (!k)
            continue;
        k += 6;
        while (*k == ' ' || *k == ':')
            k++;
        if (*k != '"')
            continue;
        k++;
        char *out = malloc((size_t)len + 1);
        if (!out)
            return 2;
        size_t n = unescape(k, line + len, out);
        if (nt == cap) {
            cap = cap ? cap * 2 : 1024;
            texts = realloc(texts, cap * sizeof *texts);
            if (!texts)
                return 2;
        }
        texts[nt].p = out;
        texts[nt].n = n;
        nt++;
        bytes += n;
    }
    free(line);
    fclose(f);
    casus_ctx *ctx = casus_ctx_new();
    token_vec tv = {0};
    sentence_vec sv = {0};
    size_t ntok = 0, nsent = 0;
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ntok = nsent = 0;
        for (size_t i = 0; i < nt; i++) {
            tv.n = 0;
            sv.n = 0;
            if (token_run(ctx, texts[i].p, texts[i].n, &tv) != CASUS_OK
                || sentence_run(ctx, texts[i].p, texts[i].n, tv.v, tv.n, &sv) != CASUS_OK) {
                fprintf(stderr, "tokspeed: out of memory\n");
                return 2;
            }
            ntok += tv.n;
            nsent += sv.n;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        double mbs = (double)bytes / 1e6 / s;
        if (mbs > best)
            best = mbs;
    }
    printf("tokspeed: %zu texts, %.1f MB, %zu words, %zu sentences; "
           "best of %d rounds: %.1f MB/s\n",
           nt, (double)bytes / 1e6, ntok, nsent, rounds, best);
    mem_free(ctx, tv.v);
    mem_free(ctx, sv.v);
    casus_ctx_free(ctx);
    for (size_t i = 0; i < nt; i++)
        free(texts[i].p);
    free(texts);
    return 0;
}
