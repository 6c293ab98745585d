/*
 * models.c - the linguistic core behind the public API: loading the model
 * set (tag.c, lemma.c, parse.c) and running it over a document, sentence
 * by sentence: tag -> lemmatise -> parse.
 *
 * Pipeline position: after sentence.c (casus_doc_analyze) and before the
 * event stages, which read the annotated casus_token array.
 *
 * Lemma storage: most lemmas are the form itself or a prefix of it (a slice
 * of the document text) or a dictionary string (a slice of the mapped
 * model). The rest (lowercased, or with an ending appended) are spelled
 * into doc->lemma_buf; since that buffer may move while it grows, their
 * slices are filled in only after the whole document is done.
 *
 * The parser (src/parse.c) is optional at build time (CASUS_HAVE_PARSER,
 * set by the Makefile when src/parse.c exists) and at run time (parser.bin
 * absent: no parsing).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "doc.h"
#include "lemma.h"
#include "tag.h"
#include "util/mem.h"
#ifdef CASUS_HAVE_PARSER
#include "parse.h"
#endif

#ifndef CASUS_MODELS_DIR
#define CASUS_MODELS_DIR "/usr/local/share/casus/models"
#endif

struct casus_models {
    casus_ctx *ctx;
    char *dir;
    tagger *tag;
    lemmatizer *lem;
#ifdef CASUS_HAVE_PARSER
    parser *par;
#endif
};

static int has_tagger(const char *dir)
{
    char p[PATH_MAX];
    int n = snprintf(p, sizeof p, "%s/tagger.bin", dir);
    return n > 0 && (size_t)n < sizeof p && access(p, R_OK) == 0;
}

/* The default directory (see casus.h) into out; 0 when none is found. */
static int default_dir(char *out, size_t cap)
{
    const char *env = getenv("CASUS_MODELS");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return 1;   /* explicit: used even when empty, to name it in errors */
    }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int n = snprintf(out, cap, "%s/../data/models", exe);
            if (n > 0 && (size_t)n < cap && has_tagger(out))
                return 1;
        }
    }
    snprintf(out, cap, "%s", CASUS_MODELS_DIR);
    return has_tagger(out);
}

void casus_models_free(casus_models *m)
{
    if (!m)
        return;
    casus_ctx *ctx = m->ctx;
    tag_free(ctx, m->tag);
    lemma_free(ctx, m->lem);
#ifdef CASUS_HAVE_PARSER
    parser_free(ctx, m->par);
#endif
    mem_free(ctx, m->dir);
    mem_free(ctx, m);
}

/* dir/name into path; a path that does not fit is an error, not a
 * silently truncated name. */
static casus_status model_path(casus_ctx *ctx, char *path, size_t cap,
                               const char *dir, const char *name)
{
    int k = snprintf(path, cap, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= cap)
        return ctx_fail(ctx, CASUS_EINVAL, "%s: model directory path too long",
                        dir);
    return CASUS_OK;
}

casus_status casus_models_load(casus_ctx *ctx, const char *dir,
                               casus_models **out)
{
    *out = NULL;
    char found[PATH_MAX], path[PATH_MAX];
    if (!dir) {
        if (!default_dir(found, sizeof found))
            return ctx_fail(ctx, CASUS_EIO,
                            "no models found: set CASUS_MODELS or --models, "
                            "or install them in %s", CASUS_MODELS_DIR);
        dir = found;
    }
    casus_models *m = mem_alloc(ctx, sizeof *m);
    if (!m)
        return CASUS_ENOMEM;
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
    casus_status st = CASUS_ENOMEM;
    if (!(m->dir = mem_strndup(ctx, dir, strlen(dir))))
        goto fail;
    if ((st = model_path(ctx, path, sizeof path, dir, "tagger.bin")) != CASUS_OK)
        goto fail;
    if ((st = tag_load(ctx, path, &m->tag)) != CASUS_OK)
        goto fail;
    if ((st = model_path(ctx, path, sizeof path, dir, "lemma.bin")) != CASUS_OK)
        goto fail;
    if ((st = lemma_load(ctx, path, &m->lem)) != CASUS_OK)
        goto fail;
#ifdef CASUS_HAVE_PARSER
    if ((st = model_path(ctx, path, sizeof path, dir, "parser.bin")) != CASUS_OK)
        goto fail;
    if (access(path, F_OK) == 0 &&
        (st = parser_load(ctx, path, &m->par)) != CASUS_OK)
        goto fail;
#endif
    *out = m;
    return CASUS_OK;
fail:
    casus_models_free(m);
    return st;
}

const char *casus_models_dir(const casus_models *m)
{
    return m->dir;
}

int casus_models_have_parser(const casus_models *m)
{
#ifdef CASUS_HAVE_PARSER
    return m->par != NULL;
#else
    (void)m;
    return 0;
#endif
}

/* A lemma spelled into doc->lemma_buf, placed once the buffer is final. */
typedef struct pending {
    size_t tok, off, n;
} pending;

static casus_status lemmatise(casus_doc *doc, const lemmatizer *lem,
                              size_t i, pending **pv, size_t *np, size_t *cap)
{
    casus_ctx *ctx = doc->ctx;
    casus_token *t = &doc->tok.v[i];
    lemma_result r;
    lemma_find(lem, t->form.p, t->form.n, t->xpos, &r);
    if (r.lit) {
        t->lemma.p = r.lit;
        t->lemma.n = r.lit_n;
        return CASUS_OK;
    }
    size_t keep = t->form.n - r.strip;
    int lowers = 0;
    for (size_t k = 0; r.lower && k < keep && !lowers; k++)
        lowers = t->form.p[k] >= 'A' && t->form.p[k] <= 'Z';
    if (!lowers && r.append_n == 0) {
        t->lemma.p = t->form.p;
        t->lemma.n = keep;
        return CASUS_OK;
    }
    buf *b = &doc->lemma_buf;
    size_t off = b->n;
    if (buf_reserve(ctx, b, keep + r.append_n) != CASUS_OK)
        return CASUS_ENOMEM;
    for (size_t k = 0; k < keep; k++) {
        char c = t->form.p[k];
        b->p[b->n++] = r.lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    memcpy(b->p + b->n, r.append, r.append_n);
    b->n += r.append_n;
    b->p[b->n] = '\0';
    if (mem_grow(ctx, (void **)pv, cap, *np + 1, sizeof **pv) != CASUS_OK)
        return CASUS_ENOMEM;
    (*pv)[(*np)++] = (pending){i, off, b->n - off};
    t->lemma.p = NULL;
    t->lemma.n = 0;
    return CASUS_OK;
}

#define LEMMA_AHEAD 4

casus_status casus_doc_parse(casus_doc *doc, const casus_models *m)
{
    casus_ctx *ctx = doc->ctx;
    tag_work wk = {0};
    pending *pv = NULL;
    size_t np = 0, cap = 0;
    casus_status st = CASUS_OK;
    buf_reset(&doc->lemma_buf);
    for (size_t s = 0; s < doc->sent.n && st == CASUS_OK; s++) {
        const casus_sentence *se = &doc->sent.v[s];
        casus_token *w = doc->tok.v + se->first_token;
        if ((st = tag_run(ctx, m->tag, &wk, w, se->n_tokens)) != CASUS_OK)
            break;
        tag_fix(w, se->n_tokens);
        /* the dictionary probes of word i + LEMMA_AHEAD start while word
         * i is looked up */
        for (size_t i = 0; i < se->n_tokens && i < LEMMA_AHEAD; i++)
            lemma_prefetch(m->lem, w[i].form.p, w[i].form.n, w[i].xpos);
        for (size_t i = 0; i < se->n_tokens && st == CASUS_OK; i++) {
            if (i + LEMMA_AHEAD < se->n_tokens)
                lemma_prefetch(m->lem, w[i + LEMMA_AHEAD].form.p, w[i + LEMMA_AHEAD].form.n,
                               w[i + LEMMA_AHEAD].xpos);
            st = lemmatise(doc, m->lem, se->first_token + i, &pv, &np, &cap);
        }
#ifdef CASUS_HAVE_PARSER
        if (st == CASUS_OK && m->par)
            st = parser_run(ctx, m->par, w, se->n_tokens);
#endif
    }
    for (size_t k = 0; k < np && st == CASUS_OK; k++) {
        casus_token *t = &doc->tok.v[pv[k].tok];
        t->lemma.p = doc->lemma_buf.p + pv[k].off;
        t->lemma.n = pv[k].n;
    }
    mem_free(ctx, pv);
    tag_work_free(ctx, &wk);
    return st;
}

casus_status casus_doc_use_gold_tokens(casus_doc *doc)
{
    casus_ctx *ctx = doc->ctx;
    if (!doc->n_gold_tok)
        return ctx_fail(ctx, CASUS_EINVAL,
                        "%s: document %s has no gold tokenization (gold "
                        "tokens need CoNLL-U input)",
                        buf_cstr(&doc->file), buf_cstr(&doc->id));
    if (mem_grow(ctx, (void **)&doc->tok.v, &doc->tok.cap, doc->n_gold_tok,
                 sizeof *doc->tok.v) != CASUS_OK ||
        mem_grow(ctx, (void **)&doc->sent.v, &doc->sent.cap, doc->n_gold_sent,
                 sizeof *doc->sent.v) != CASUS_OK)
        return CASUS_ENOMEM;
    doc_tokens_changed(doc);
    const char *strs = buf_cstr(&doc->gold_strings), *raw = buf_cstr(&doc->raw);
    for (size_t i = 0; i < doc->n_gold_tok; i++) {
        const gold_token *g = &doc->gold_tok[i];
        casus_token *t = &doc->tok.v[i];
        memset(t, 0, sizeof *t);
        t->form.p = strs + g->form_off;
        t->form.n = g->form_n;
        t->start = g->start;
        t->end = g->end;
        t->flags = g->flags;
        t->head = -1;
    }
    for (size_t i = 0; i < doc->n_gold_sent; i++) {
        const gold_sentence *g = &doc->gold_sent[i];
        casus_sentence *s = &doc->sent.v[i];
        s->first_token = g->first_token;
        s->n_tokens = g->n_tokens;
        s->start = g->start;
        s->end = g->end;
        s->text.p = raw + g->start;
        s->text.n = g->end - g->start;
    }
    doc->tok.n = doc->n_gold_tok;
    doc->sent.n = doc->n_gold_sent;
    doc->gold_words = 1;
    buf_reset(&doc->lemma_buf);
    return CASUS_OK;
}
