/*
 * fuzz_reader.h - the body shared by the reader harnesses (fuzz_text.c,
 * fuzz_jsonl.c, fuzz_html.c, fuzz_xml.c): writes the input to a temporary
 * file (one per process, rewritten for each input), opens it with
 * casus_reader_open in the harness's format, reads every document and runs
 * casus_doc_analyze on each. Checks that documents and diagnostics are well
 * formed: every diagnostic names the file, every token and sentence lies
 * inside the raw text, and a finished reader stays finished.
 */
#ifndef CASUS_FUZZ_READER_H
#define CASUS_FUZZ_READER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"

static char path[64];

static void check_diag(void *ud, const casus_diag *d)
{
    (void)ud;
    if (!d->file || strcmp(d->file, path) != 0 || !d->message)
        abort();
    if (d->severity < CASUS_NOTE || d->severity > CASUS_ERROR)
        abort();
}

static void check_doc(const casus_doc *doc)
{
    casus_slice raw = casus_doc_raw(doc);
    if (!raw.p || !casus_doc_id(doc) || !*casus_doc_id(doc))
        abort();
    if (strcmp(casus_doc_file(doc), path) != 0 || casus_doc_line(doc) == 0)
        abort();
    size_t n;
    const casus_token *t = casus_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (t[i].start > t[i].end || t[i].end > raw.n)
            abort();
    const casus_sentence *s = casus_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (s[i].start > s[i].end || s[i].end > raw.n)
            abort();
}

static int fuzz_reader(const uint8_t *data, size_t size, casus_format format,
                       const char *suffix)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz-reader-XXXXXX%s", suffix);
        int fd = mkstemps(path, (int)strlen(suffix));
        if (fd < 0)
            abort();
        close(fd);
    }
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (size && fwrite(data, 1, size, fp) != size)
        abort();
    fclose(fp);

    casus_ctx *ctx = casus_ctx_new();
    if (!ctx)
        return 0;
    casus_ctx_set_diag(ctx, check_diag, NULL);
    /* Small enough that long inputs exercise the size limit too. */
    casus_ctx_set_max_doc_bytes(ctx, 32768);
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d = {2000, 1, 1};
    if (doc && casus_reader_open(ctx, path, format, d, &r) == CASUS_OK) {
        while (casus_reader_next(r, doc) == CASUS_OK) {
            if (casus_doc_analyze(doc) != CASUS_OK)
                abort();
            check_doc(doc);
        }
        /* Once done, the reader stays done. */
        if (casus_reader_next(r, doc) == CASUS_OK)
            abort();
    }
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return 0;
}

#endif
