/*
 * fuzz_conllu.c - libFuzzer harness for the CoNLL-U reader (read_conllu.c)
 * and the text stages after it: writes the input to a temporary file, reads
 * every document and analyses it. Checks that gold offsets lie inside the
 * rebuilt raw text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "casus.h"
#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz-conllu-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    close(fd);
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = ctx ? casus_doc_new(ctx) : NULL;
    casus_reader *r = NULL;
    casus_date d = {0, 0, 0};
    if (doc && casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d, &r) == CASUS_OK) {
        while (casus_reader_next(r, doc) == CASUS_OK) {
            size_t n = casus_doc_raw(doc).n;
            for (size_t i = 0; i < doc->n_gold_tok; i++)
                if (doc->gold_tok[i].start > doc->gold_tok[i].end || doc->gold_tok[i].end > n)
                    abort();
            for (size_t i = 0; i < doc->n_gold_sent; i++)
                if (doc->gold_sent[i].first_token + doc->gold_sent[i].n_tokens > doc->n_gold_tok)
                    abort();
            if (casus_doc_analyze(doc) != CASUS_OK)
                break;
        }
    }
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    unlink(path);
    return 0;
}
