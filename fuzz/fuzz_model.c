/*
 * fuzz_model.c - libFuzzer harness for the model loaders (model.c's
 * container checks, then tag.c's and lemma.c's own table checks): writes
 * the input to a temporary file and loads it as a tagger and as a
 * lemmatizer. Whatever loads must then run without reading out of bounds,
 * so a loaded tagger tags a sentence and a loaded lemmatizer looks words up.
 * Inputs whose last byte is odd get a correct size and checksum written
 * into their header first, so mutations also reach the section checks
 * behind the checksum. Seeds: tiny tagger and lemma models
 * (fuzz/seeds/fuzz_model).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"
#include "lemma.h"
#include "model.h"
#include "tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz-model-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        close(fd);
        unlink(path);
        return 0;
    }
    memcpy(copy, data, size);
    if (size >= 64 && (data[size - 1] & 1)) {
        uint32_t ns = (uint32_t)copy[12] | (uint32_t)copy[13] << 8 |
                      (uint32_t)copy[14] << 16 | (uint32_t)copy[15] << 24;
        uint64_t header = 64 + (uint64_t)ns * 32;
        if (header <= size) {
            uint64_t sum = model_checksum(copy + header, size - (size_t)header);
            for (int i = 0; i < 8; i++) {
                copy[16 + i] = (uint8_t)((uint64_t)size >> (8 * i));
                copy[24 + i] = (uint8_t)(sum >> (8 * i));
            }
        }
    }
    data = copy;
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    close(fd);
    casus_ctx *ctx = casus_ctx_new();
    if (!ctx) {
        unlink(path);
        free(copy);
        return 0;
    }
    static const char *const forms[] = {"Gunmen", "attacked", "the", "U.S.", "embassy",
                                        "in", "Kabul", "n't", "1,000", "."};
    tagger *t;
    if (tag_load(ctx, path, &t) == CASUS_OK) {
        casus_token w[10];
        memset(w, 0, sizeof w);
        for (int i = 0; i < 10; i++) {
            w[i].form.p = forms[i];
            w[i].form.n = strlen(forms[i]);
        }
        tag_work wk = {0};
        if (tag_run(ctx, t, &wk, w, 10) == CASUS_OK)
            for (int i = 0; i < 10; i++)
                if (w[i].upos >= CASUS_UPOS_COUNT || w[i].xpos >= casus_xpos_count())
                    abort();
        tag_work_free(ctx, &wk);
        tag_free(ctx, t);
    }
    lemmatizer *l;
    if (lemma_load(ctx, path, &l) == CASUS_OK) {
        for (int i = 0; i < 10; i++) {
            lemma_result r;
            lemma_find(l, forms[i], strlen(forms[i]), (unsigned)(i * 5), &r);
            if (!r.lit && r.strip > strlen(forms[i]))
                abort();
        }
        lemma_free(ctx, l);
    }
    casus_ctx_free(ctx);
    unlink(path);
    free(copy);
    return 0;
}
