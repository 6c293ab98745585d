/*
 * read_int.h - private to the readers (read.c and read_*.c).
 *
 * read.c opens the input (file or stdin), picks the format and owns a
 * buffered byte source with line counting; each read_<format>.c supplies a
 * read_ops table that turns that source into documents.
 */
#ifndef CASUS_READ_INT_H
#define CASUS_READ_INT_H

#include "read.h"
#include "doc.h"
#include "util/buf.h"

typedef struct read_ops {
    /* Called once after the input is open; may read ahead. */
    casus_status (*open)(casus_reader *r);
    /* Fills doc (already reset, file and date set) with the next document.
     * CASUS_OK, CASUS_DONE, or a failure that ends the input. Bad records:
     * diagnostic via ctx_diag(), then go on to the next record. */
    casus_status (*next)(casus_reader *r, casus_doc *doc);
    /* Releases r->state. */
    void (*close)(casus_reader *r);
} read_ops;

extern const read_ops read_text_ops;
extern const read_ops read_jsonl_ops;
extern const read_ops read_html_ops;
extern const read_ops read_xml_ops;
extern const read_ops read_conllu_ops;

struct casus_reader {
    casus_ctx *ctx;
    char *name;               /* display name: the path, or "<stdin>" */
    int fd;                   /* -1 once closed */
    int own_fd;               /* 0 for stdin */
    casus_format format;
    casus_date default_date;
    const read_ops *ops;
    void *state;              /* the format's own */

    /* Buffered input. */
    char *ibuf;
    size_t ipos, ilen, icap;
    int eof;
    unsigned long line;       /* lines consumed so far (1-based number of
                                 the line last returned by read_line) */
    buf lbuf;                 /* holds a line that spans buffer refills */
    int line_unterminated;    /* the last line returned had no "\n": it
                                 was the end of the input */
};

/*
 * Returns the next line without its "\n" (a "\r\n" loses the "\r" too) in
 * *p, *n: valid until the next read call. CASUS_DONE at end of input.
 * A line longer than ctx->max_doc_bytes is consumed without being stored and
 * CASUS_ETOOBIG is returned with *n set to a lower bound of its length; the
 * caller reports it and goes on. CASUS_EIO on a read error (message set).
 * r->line is the number of the returned line.
 */
casus_status read_line(casus_reader *r, const char **p, size_t *n);

/*
 * Appends the rest of the input to out. CASUS_ETOOBIG (input consumed, out
 * emptied) when it exceeds ctx->max_doc_bytes; CASUS_EIO on a read error.
 */
casus_status read_all(casus_reader *r, buf *out);

/* Sets the document's file name, line and default date (used by ops->next
 * implementations that produce several documents per input). */
casus_status read_doc_begin(casus_reader *r, casus_doc *doc,
                            unsigned long line);

#endif
