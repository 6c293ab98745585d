/*
 * read_conllu.c - CoNLL-U input (Universal Dependencies treebanks).
 *
 * Pipeline position: a reader (read.c picks it for .conllu). Each
 * "# newdoc" comment starts a document; a file without them is one document
 * whose id is the file name. The reader rebuilds the document's raw text from
 * the sentences: each sentence's "# text" (or, without one, its surface forms
 * joined by the SpaceAfter=No rules), a single space between sentences of a
 * paragraph and "\n\n" before each "# newpar". Alongside, it records the gold
 * tokenization (doc->gold_tok, doc->gold_sent) with offsets into that text,
 * which bench/ewt_eval.c compares with what token.c and sentence.c produce.
 *
 * Structures: one sentence is collected at a time in conllu_state (its
 * comments, and an entry per word or range line with the form stored in one
 * byte buffer); at its blank line (or end of input) it is checked against its
 * "# text" and appended to the document. Only the document being built and
 * that one sentence are ever held, so memory is flat over any file.
 *
 * Bad data: a line with the wrong number of columns, a bad ID (not a number,
 * not the next one, a bad range), a HEAD that is not a number, or forms that
 * do not spell the sentence's "# text" make the sentence be skipped with an
 * error diagnostic naming file and line; the rest of the file is still read.
 */
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "read_int.h"
#include "ud.h"
#include "util/mem.h"

typedef struct cl_entry {
    unsigned long lo, hi;   /* word ID, or range lo-hi (hi > lo) */
    size_t form_off, form_n; /* into conllu_state.forms */
    size_t lemma_off, lemma_n; /* likewise */
    unsigned long line;
    int no_space;           /* SpaceAfter=No */
    long head;              /* -1 for "_" */
    uint8_t upos, xpos, deprel;
} cl_entry;

typedef struct conllu_state {
    /* The sentence being collected. */
    cl_entry *ent;
    size_t n_ent, cap_ent;
    buf forms;
    buf text;                /* its "# text" */
    long *heads;             /* scratch for check_tree */
    size_t cap_heads;
    int has_text;
    int newpar;
    int bad;                 /* a diagnostic was given; skip it */
    unsigned long next_id;   /* the word ID expected next */
    unsigned long range_hi;  /* last word ID covered by an open range */
    unsigned long first_line;

    /* Documents. */
    buf pending_id;          /* id from a "# newdoc" that ends a document */
    int have_pending;
    unsigned long pending_line;
    unsigned long n_docs;
    int doc_has_sent;
} conllu_state;

static void sent_clear(conllu_state *s)
{
    s->n_ent = 0;
    buf_reset(&s->forms);
    buf_reset(&s->text);
    s->has_text = 0;
    s->newpar = 0;
    s->bad = 0;
    s->next_id = 1;
    s->range_hi = 0;
    s->first_line = 0;
}

static casus_status cl_open(casus_reader *r)
{
    conllu_state *s = mem_alloc(r->ctx, sizeof *s);
    if (!s)
        return CASUS_ENOMEM;
    memset(s, 0, sizeof *s);
    sent_clear(s);
    r->state = s;
    return CASUS_OK;
}

static void cl_close(casus_reader *r)
{
    conllu_state *s = r->state;
    if (!s)
        return;
    mem_free(r->ctx, s->ent);
    mem_free(r->ctx, s->heads);
    buf_free(r->ctx, &s->forms);
    buf_free(r->ctx, &s->text);
    buf_free(r->ctx, &s->pending_id);
    mem_free(r->ctx, s);
    r->state = NULL;
}

static void bad_line(casus_reader *r, casus_doc *doc, unsigned long line,
                     const char *what)
{
    conllu_state *s = r->state;
    if (!s->bad)
        ctx_diag(r->ctx, CASUS_ERROR, r->name, line, buf_cstr(&doc->id), -1,
                 "%s; sentence skipped", what);
    s->bad = 1;
}

/* Parses a decimal number filling all of p[0..n); 0 on failure. */
static int parse_num(const char *p, size_t n, unsigned long *out)
{
    unsigned long v = 0;
    if (n == 0 || n > 9)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    *out = v;
    return 1;
}

static int has_space_after_no(const char *misc, size_t n)
{
    static const char key[] = "SpaceAfter=No";
    size_t k = sizeof key - 1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && misc[j] != '|')
            j++;
        if (j - i == k && memcmp(misc + i, key, k) == 0)
            return 1;
        i = j + 1;
    }
    return 0;
}

/*
 * The id of a UPOS/XPOS/DEPREL label; "_" is 0. A relation subtype casus
 * does not know falls back to its base relation ("obl:foo" -> obl); any other
 * unknown label is a warning and is kept as 0 (unannotated).
 */
static uint8_t label(casus_reader *r, casus_doc *doc, const char *what,
                     int (*lookup)(const char *, size_t), const char *p,
                     size_t n)
{
    if (n == 1 && p[0] == '_')
        return 0;
    int id = lookup(p, n);
    if (id < 0) {
        const char *colon = memchr(p, ':', n);
        if (colon)
            id = lookup(p, (size_t)(colon - p));
    }
    if (id < 0) {
        ctx_diag(r->ctx, CASUS_WARNING, r->name, r->line, buf_cstr(&doc->id),
                 -1, "unknown %s '%.*s' read as '_'", what, (int)(n > 40 ? 40 : n), p);
        return 0;
    }
    return (uint8_t)id;
}

/* One word or range line of the sentence being collected. */
static casus_status token_line(casus_reader *r, casus_doc *doc,
                               const char *p, size_t n)
{
    conllu_state *s = r->state;
    const char *col[10];
    size_t len[10];
    size_t nc = 0, a = 0;
    if (!s->first_line)
        s->first_line = r->line;
    if (s->bad)
        return CASUS_OK;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || p[i] == '\t') {
            if (nc < 10) {
                col[nc] = p + a;
                len[nc] = i - a;
            }
            nc++;
            a = i + 1;
        }
    }
    if (nc != 10) {
        char msg[80];
        snprintf(msg, sizeof msg, "expected 10 tab-separated columns, found %zu",
                 nc);
        bad_line(r, doc, r->line, msg);
        return CASUS_OK;
    }
    const char *id = col[0];
    size_t idn = len[0];
    long head = -1;
    uint8_t upos = 0, xpos = 0, deprel = 0;
    if (memchr(id, '.', idn)) {
        /* An empty node (8.1): no surface form, nothing to check here. */
        return CASUS_OK;
    }
    unsigned long lo, hi;
    const char *dash = memchr(id, '-', idn);
    if (dash) {
        if (!parse_num(id, (size_t)(dash - id), &lo)
            || !parse_num(dash + 1, idn - (size_t)(dash - id) - 1, &hi)
            || hi <= lo || lo != s->next_id || s->range_hi >= lo) {
            bad_line(r, doc, r->line, "bad multiword range ID");
            return CASUS_OK;
        }
        s->range_hi = hi;
    } else {
        if (!parse_num(id, idn, &lo)) {
            bad_line(r, doc, r->line, "ID is not a number");
            return CASUS_OK;
        }
        if (lo != s->next_id) {
            bad_line(r, doc, r->line, "ID out of sequence");
            return CASUS_OK;
        }
        hi = lo;
        s->next_id = lo + 1;
        unsigned long h = 0;
        if (!(len[6] == 1 && col[6][0] == '_') && !parse_num(col[6], len[6], &h)) {
            bad_line(r, doc, r->line, "HEAD is not a number");
            return CASUS_OK;
        }
        head = len[6] == 1 && col[6][0] == '_' ? -1 : (long)h;
        upos = label(r, doc, "UPOS", ud_upos_id, col[3], len[3]);
        xpos = label(r, doc, "XPOS", ud_xpos_id, col[4], len[4]);
        deprel = label(r, doc, "DEPREL", ud_deprel_id, col[7], len[7]);
    }
    if (len[1] == 0) {
        bad_line(r, doc, r->line, "empty FORM");
        return CASUS_OK;
    }
    if (mem_grow(r->ctx, (void **)&s->ent, &s->cap_ent, s->n_ent + 1,
                 sizeof *s->ent) != CASUS_OK)
        return CASUS_ENOMEM;
    cl_entry *e = &s->ent[s->n_ent++];
    e->lo = lo;
    e->hi = hi;
    e->form_off = s->forms.n;
    e->form_n = len[1];
    e->line = r->line;
    e->no_space = has_space_after_no(col[9], len[9]);
    e->head = head;
    e->upos = upos;
    e->xpos = xpos;
    e->deprel = deprel;
    int no_lemma = len[2] == 1 && col[2][0] == '_' && !(len[1] == 1 && col[1][0] == '_');
    e->lemma_off = s->forms.n + len[1];
    e->lemma_n = no_lemma ? 0 : len[2];
    if (buf_append(r->ctx, &s->forms, col[1], len[1]) != CASUS_OK)
        return CASUS_ENOMEM;
    return buf_append(r->ctx, &s->forms, col[2], e->lemma_n);
}

/* Adds the words of the surface token ent[i] (a range or a plain word)
 * spanning text [start, end); returns the index after its words. */
static casus_status add_word(casus_ctx *ctx, casus_doc *doc,
                             const conllu_state *s, const cl_entry *e,
                             size_t start, size_t end, uint32_t flags)
{
    gold_token t;
    memset(&t, 0, sizeof t);
    t.start = start;
    t.end = end;
    t.flags = flags;
    t.upos = e->upos;
    t.xpos = e->xpos;
    t.deprel = e->deprel;
    t.head = (int32_t)e->head;
    t.form_off = doc->gold_strings.n;
    t.form_n = e->form_n;
    t.lemma_off = t.form_off + e->form_n;
    t.lemma_n = e->lemma_n;
    if (buf_append(ctx, &doc->gold_strings, s->forms.p + e->form_off,
                   e->form_n + e->lemma_n) != CASUS_OK)
        return CASUS_ENOMEM;
    return doc_add_gold_token(doc, &t);
}

static casus_status add_surface(casus_ctx *ctx, casus_doc *doc,
                                const conllu_state *s, size_t i, size_t start,
                                size_t end, size_t *next)
{
    const cl_entry *e = &s->ent[i];
    if (e->hi == e->lo) {
        *next = i + 1;
        return add_word(ctx, doc, s, e, start, end, 0);
    }
    size_t j = i + 1, k = j, total = 0;
    while (k < s->n_ent && s->ent[k].hi == s->ent[k].lo && s->ent[k].lo <= e->hi) {
        total += s->ent[k].form_n;
        k++;
    }
    /* Sub-spans only when the words spell the surface form exactly. */
    int sub = total == e->form_n;
    if (sub) {
        size_t off = 0;
        for (size_t m = j; m < k && sub; m++) {
            if (memcmp(s->forms.p + e->form_off + off,
                       s->forms.p + s->ent[m].form_off, s->ent[m].form_n) != 0)
                sub = 0;
            off += s->ent[m].form_n;
        }
    }
    size_t off = start;
    for (size_t m = j; m < k; m++) {
        uint32_t fl = m + 1 < k ? CASUS_TOK_JOIN_NEXT : 0;
        size_t a = sub ? off : start, b = sub ? off + s->ent[m].form_n : end;
        if (add_word(ctx, doc, s, &s->ent[m], a, b, fl) != CASUS_OK)
            return CASUS_ENOMEM;
        off += s->ent[m].form_n;
    }
    *next = k;
    return CASUS_OK;
}

/* Length of the whitespace character at t[i] (ASCII blanks, no-break and
 * other Unicode spaces, which "# text" lines sometimes hold), or 0. */
static size_t blank_len(const char *t, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)t + i;
    if (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n')
        return 1;
    if (u[0] == 0xC2 && i + 1 < n && u[1] == 0xA0)
        return 2;
    if (u[0] == 0xE2 && i + 2 < n && u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xAF))
        return 3;
    if (u[0] == 0xE3 && i + 2 < n && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

/*
 * Checks the sentence's HEAD column: every head names a word of the sentence
 * (or 0), and following heads from any word reaches the root (no cycles).
 * Sentences without heads ("_" everywhere) pass. Returns 0 when fine, -1
 * after a diagnostic, CASUS_ENOMEM as a negative status below -1.
 */
static int check_tree(casus_reader *r, casus_doc *doc)
{
    conllu_state *s = r->state;
    size_t nw = 0;
    for (size_t i = 0; i < s->n_ent; i++)
        if (s->ent[i].hi == s->ent[i].lo)
            nw++;
    /* heads[k] = head of word k (1-based); -1 for "_". */
    if (mem_grow(r->ctx, (void **)&s->heads, &s->cap_heads, nw + 1,
                 sizeof *s->heads) != CASUS_OK)
        return -2;
    for (size_t i = 0, k = 1; i < s->n_ent; i++) {
        const cl_entry *e = &s->ent[i];
        if (e->hi != e->lo)
            continue;
        if (e->head > (long)nw) {
            bad_line(r, doc, e->line, "HEAD points past the last word");
            return -1;
        }
        s->heads[k++] = e->head;
    }
    for (size_t i = 0, k = 1; i < s->n_ent; i++) {
        const cl_entry *e = &s->ent[i];
        if (e->hi != e->lo)
            continue;
        long h = s->heads[k++];
        size_t steps = 0;
        while (h > 0 && steps <= nw) {
            h = s->heads[h];
            steps++;
        }
        if (steps > nw) {
            bad_line(r, doc, e->line, "HEAD column forms a cycle");
            return -1;
        }
    }
    return 0;
}

/* Appends the collected sentence to the document (or drops it when bad). */
static casus_status flush_sentence(casus_reader *r, casus_doc *doc)
{
    conllu_state *s = r->state;
    casus_status st = CASUS_OK;
    if (s->n_ent == 0 || s->bad)
        goto done;
    if (s->range_hi >= s->next_id) {
        bad_line(r, doc, s->ent[s->n_ent - 1].line,
                 "multiword range extends past the sentence");
        goto done;
    }
    int tree = check_tree(r, doc);
    if (tree < -1) {
        st = CASUS_ENOMEM;
        goto done;
    }
    if (tree != 0)
        goto done;
    size_t raw0 = doc->raw.n, tok0 = doc->n_gold_tok;
    size_t str0 = doc->gold_strings.n;
    if (doc->raw.n) {
        st = s->newpar ? buf_append(r->ctx, &doc->raw, "\n\n", 2)
                       : buf_putc(r->ctx, &doc->raw, ' ');
        if (st != CASUS_OK)
            goto done;
    }
    size_t base = doc->raw.n;
    if (!s->has_text) {
        /* No "# text": spell it from the surface forms. */
        for (size_t i = 0; i < s->n_ent;) {
            const cl_entry *e = &s->ent[i];
            size_t k = i + 1;
            if (e->hi > e->lo)
                while (k < s->n_ent && s->ent[k].lo <= e->hi && s->ent[k].lo == s->ent[k].hi)
                    k++;
            const cl_entry *last = &s->ent[k - 1];
            if ((st = buf_append(r->ctx, &s->text, s->forms.p + e->form_off,
                                 e->form_n)) != CASUS_OK)
                goto done;
            if (k < s->n_ent && !e->no_space && !last->no_space
                && (st = buf_putc(r->ctx, &s->text, ' ')) != CASUS_OK)
                goto done;
            i = k;
        }
    }
    const char *t = buf_cstr(&s->text);
    size_t tn = s->text.n, pos = 0;
    size_t first_start = 0, last_end = 0;
    for (size_t i = 0; i < s->n_ent;) {
        const cl_entry *e = &s->ent[i];
        for (size_t b; pos < tn && (b = blank_len(t, tn, pos)) > 0;)
            pos += b;
        if (e->form_n > tn - pos
            || memcmp(t + pos, s->forms.p + e->form_off, e->form_n) != 0) {
            bad_line(r, doc, e->line, "FORM does not match the sentence's # text");
            goto undo;
        }
        if (i == 0)
            first_start = base + pos;
        last_end = base + pos + e->form_n;
        if ((st = add_surface(r->ctx, doc, s, i, base + pos, last_end, &i)) != CASUS_OK)
            goto done;
        pos += e->form_n;
    }
    for (size_t b; pos < tn && (b = blank_len(t, tn, pos)) > 0;)
        pos += b;
    if (pos < tn) {
        bad_line(r, doc, s->ent[s->n_ent - 1].line,
                 "# text goes on after the last FORM");
        goto undo;
    }
    if ((st = buf_append(r->ctx, &doc->raw, t, tn)) != CASUS_OK)
        goto done;
    st = doc_add_gold_sentence(doc, tok0, doc->n_gold_tok - tok0, first_start,
                               last_end);
    s->doc_has_sent = 1;
    goto done;
undo:
    doc->raw.n = raw0;
    if (doc->raw.p)
        doc->raw.p[raw0] = '\0';
    doc->n_gold_tok = tok0;
    doc->gold_strings.n = str0;
done:
    sent_clear(s);
    return st;
}

static int starts_with(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

/* The value after "key =" in a comment "# key = value" (trimmed). */
static void comment_value(const char *p, size_t n, size_t keylen,
                          const char **v, size_t *vn)
{
    size_t i = keylen;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i < n && p[i] == '=')
        i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t j = n;
    while (j > i && (p[j - 1] == ' ' || p[j - 1] == '\t'))
        j--;
    *v = p + i;
    *vn = j - i;
}

static casus_status set_default_id(casus_reader *r, casus_doc *doc)
{
    conllu_state *s = r->state;
    const char *base = strcmp(r->name, "<stdin>") == 0 ? "stdin" : r->name;
    const char *slash = strrchr(base, '/');
    if (slash && slash[1])
        base = slash + 1;
    buf_reset(&doc->id);
    if (s->n_docs <= 1)
        return buf_puts(r->ctx, &doc->id, base);
    return buf_printf(r->ctx, &doc->id, "%s#%lu", base, s->n_docs);
}

static casus_status cl_next(casus_reader *r, casus_doc *doc)
{
    conllu_state *s = r->state;
    casus_status st;
    s->doc_has_sent = 0;
    s->n_docs++;
    if (s->have_pending) {
        s->have_pending = 0;
        if (read_doc_begin(r, doc, s->pending_line) != CASUS_OK)
            return CASUS_ENOMEM;
        if (s->pending_id.n
                ? buf_append(r->ctx, &doc->id, s->pending_id.p, s->pending_id.n)
                : set_default_id(r, doc))
            return CASUS_ENOMEM;
    } else if (set_default_id(r, doc) != CASUS_OK) {
        return CASUS_ENOMEM;
    }
    for (;;) {
        const char *p;
        size_t n;
        st = read_line(r, &p, &n);
        if (st == CASUS_DONE) {
            if ((st = flush_sentence(r, doc)) != CASUS_OK)
                return st;
            return s->doc_has_sent ? CASUS_OK : CASUS_DONE;
        }
        if (st == CASUS_ETOOBIG) {
            if (!s->first_line)
                s->first_line = r->line;
            bad_line(r, doc, r->line, "line longer than the document limit");
            continue;
        }
        if (st != CASUS_OK)
            return st;
        size_t k = 0;
        while (k < n && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k == n) {
            if ((st = flush_sentence(r, doc)) != CASUS_OK)
                return st;
            continue;
        }
        if (p[0] != '#') {
            if ((st = token_line(r, doc, p, n)) != CASUS_OK)
                return st;
            continue;
        }
        /* A comment after words (no blank line) starts a new sentence. */
        if (s->n_ent && (st = flush_sentence(r, doc)) != CASUS_OK)
            return st;
        const char *v;
        size_t vn;
        if (starts_with(p, n, "# newdoc")) {
            comment_value(p, n, 8, &v, &vn);
            if (starts_with(v, vn, "id"))
                comment_value(v, vn, 2, &v, &vn);
            else
                vn = 0;
            if (s->doc_has_sent) {
                /* This document is complete; the next one starts here. */
                buf_reset(&s->pending_id);
                if (vn && buf_append(r->ctx, &s->pending_id, v, vn) != CASUS_OK)
                    return CASUS_ENOMEM;
                s->have_pending = 1;
                s->pending_line = r->line;
                s->newpar = 0;
                return CASUS_OK;
            }
            if (read_doc_begin(r, doc, r->line) != CASUS_OK)
                return CASUS_ENOMEM;
            buf_reset(&doc->id);
            if ((vn ? buf_append(r->ctx, &doc->id, v, vn)
                    : set_default_id(r, doc)) != CASUS_OK)
                return CASUS_ENOMEM;
        } else if (starts_with(p, n, "# newpar")) {
            s->newpar = 1;
        } else if (starts_with(p, n, "# text =") || starts_with(p, n, "# text=")) {
            comment_value(p, n, 6, &v, &vn);
            buf_reset(&s->text);
            if (buf_append(r->ctx, &s->text, v, vn) != CASUS_OK)
                return CASUS_ENOMEM;
            s->has_text = 1;
        }
    }
}

const read_ops read_conllu_ops = {cl_open, cl_next, cl_close};
