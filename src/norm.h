/*
 * norm.h - normalisation: the first stage after a reader.
 *
 * Makes the raw text valid UTF-8 (each maximal invalid subpart becomes
 * U+FFFD, with a warning diagnostic) and NFC (with libutf8proc). ASCII and
 * the common precomposed ranges are passed through without calling utf8proc,
 * so normalisation costs nearly nothing on ordinary news text.
 */
#ifndef CASUS_NORM_H
#define CASUS_NORM_H

#include "casus.h"
#include "util/buf.h"

/* norm offset -> raw offset: from norm_off on, offsets advance together
 * from raw_off (until the next anchor). */
typedef struct norm_anchor {
    size_t norm_off, raw_off;
} norm_anchor;

typedef struct norm_result {
    const char *text;     /* raw text itself when unchanged, else out.p */
    size_t n;
    buf out;              /* owns the normalised text when it differs */
    norm_anchor *anchors; /* empty when unchanged */
    size_t n_anchors, cap_anchors;
    size_t raw_n;         /* length of the raw text */
    size_t n_invalid;     /* invalid sequences replaced */
} norm_result;

/*
 * Normalises raw[0..n). Diagnostics (invalid UTF-8, NUL bytes) name file,
 * the line within the input (line0 plus newlines before the fault) and
 * doc_id. Fails only with CASUS_ENOMEM.
 */
casus_status norm_run(casus_ctx *ctx, const char *raw, size_t n,
                      const char *file, unsigned long line0,
                      const char *doc_id, norm_result *res);
/* Maps a normalised-text offset to a raw-text offset. */
size_t norm_raw_offset(const norm_result *res, size_t norm_off);
void norm_free(casus_ctx *ctx, norm_result *res);

#endif
