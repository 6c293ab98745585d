/*
 * read_html.c - HTML input: one document per file, parsed with gumbo (an
 * HTML5 parser that, like a browser, recovers from any input).
 *
 * Pipeline position: a reader (see read.c), first stage. The file is read
 * whole (read_all, up to ctx->max_doc_bytes), parsed into a gumbo tree, and
 * the article text is extracted into doc->raw:
 *   - content root: the <article> with the most text when there is one
 *     (nested articles count with their outer one), else the first <main>,
 *     else the whole page;
 *   - dropped subtrees: head, script, style, noscript, template, nav,
 *     header, footer, aside, form and its controls, iframe, object, embed,
 *     svg, math, canvas, and elements marked hidden or aria-hidden="true";
 *   - block elements (p, div, h1-h6, li, br, article, section, blockquote,
 *     tr, table, ...) separate paragraphs with "\n\n"; table cells are
 *     separated by a space; inside a block any run of HTML whitespace
 *     becomes one space; leading and trailing whitespace is dropped;
 *   - character references are decoded by gumbo; invalid UTF-8 and NUL in
 *     the input come back from gumbo as U+FFFD.
 * The title is the text of <title>, else of the first <h1>; the id is the
 * file name without directories ("stdin" for standard input); the line is 1.
 *
 * The tree walk is iterative (parent pointers and sibling indexes), so a
 * deeply nested page cannot exhaust the stack. gumbo allocates with malloc:
 * it does not handle allocation failure, so it is not routed through the
 * context's hook (whose failures it could not survive).
 */
#include <string.h>

#include <gumbo.h>

#include "ctx.h"
#include "read_int.h"
#include "util/mem.h"

typedef struct html_state {
    buf in;       /* the whole file */
    int done;
} html_state;

/* Text collector with pending separators, so that whitespace collapses and
 * nothing leads or trails. */
typedef struct emitter {
    casus_ctx *ctx;
    buf *out;
    int space, brk;          /* pending separators */
    int flat;                /* breaks become spaces (titles) */
    size_t count;            /* non-space bytes seen (when out is NULL) */
    casus_status st;
} emitter;

static int is_html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void emit_text(emitter *e, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && e->st == CASUS_OK) {
        if (is_html_space(s[i])) {
            e->space = 1;
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_html_space(s[j]))
            j++;
        if (!e->out) {
            e->count += j - i;
        } else {
            if (e->out->n) {
                if (e->brk && !e->flat)
                    e->st = buf_append(e->ctx, e->out, "\n\n", 2);
                else if (e->brk || e->space)
                    e->st = buf_putc(e->ctx, e->out, ' ');
            }
            if (e->st == CASUS_OK)
                e->st = buf_append(e->ctx, e->out, s + i, j - i);
        }
        e->space = e->brk = 0;
        i = j;
    }
}

static int is_skipped_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_LABEL:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_DATALIST: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_APPLET: case GUMBO_TAG_MENU:
        return 1;
    default:
        return 0;
    }
}

static int is_block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_SECTION: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_P: case GUMBO_TAG_HR: case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_OL: case GUMBO_TAG_UL:
    case GUMBO_TAG_LI: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR: case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DIR: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_TITLE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM: case GUMBO_TAG_MENU: case GUMBO_TAG_HEAD:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose subtree is dropped from the text. */
static int is_dropped(const GumboNode *n)
{
    const GumboElement *el = &n->v.element;
    if (is_skipped_tag(el->tag))
        return 1;
    if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
        return 1;
    if (gumbo_get_attribute(&el->attributes, "hidden"))
        return 1;
    const GumboAttribute *a = gumbo_get_attribute(&el->attributes,
                                                  "aria-hidden");
    return a && strcmp(a->value, "true") == 0;
}

/* ------------------------------------------------------------ tree walk */

/* enter returns 0 to skip the node's subtree; leave (optional) is called for
 * every node entered, after its subtree. */
typedef int (*enter_fn)(GumboNode *n, void *ud);
typedef void (*leave_fn)(GumboNode *n, void *ud);

static GumboVector *children_of(GumboNode *n)
{
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
        return &n->v.element.children;
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    return NULL;
}

static size_t index_in(GumboVector *v, GumboNode *n)
{
    size_t i = n->index_within_parent;
    if (i < v->length && v->data[i] == n)
        return i;
    for (i = 0; i < v->length; i++) /* not expected: gumbo keeps the index */
        if (v->data[i] == n)
            return i;
    return v->length;
}

/* Depth-first walk without recursion, so that nesting depth costs nothing. */
static void walk(GumboNode *root, enter_fn enter, leave_fn leave, void *ud)
{
    GumboNode *n = root;
    int down = 1;
    for (;;) {
        if (down) {
            GumboVector *ch = children_of(n);
            if (enter(n, ud) && ch && ch->length) {
                n = ch->data[0];
                continue;
            }
        }
        if (leave)
            leave(n, ud);
        if (n == root || !n->parent)
            return;
        GumboNode *parent = n->parent;
        GumboVector *sib = children_of(parent);
        size_t i = sib ? index_in(sib, n) + 1 : 0;
        if (sib && i < sib->length) {
            n = sib->data[i];
            down = 1;
        } else {
            n = parent;
            down = 0;
        }
    }
}

/* ------------------------------------------------------------ extraction */

static int extract_enter(GumboNode *n, void *ud)
{
    emitter *e = ud;
    switch (n->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
        emit_text(e, n->v.text.text, strlen(n->v.text.text));
        return 0;
    case GUMBO_NODE_DOCUMENT:
        return 1;
    case GUMBO_NODE_ELEMENT: {
        GumboTag t = n->v.element.tag;
        if (is_block_tag(t))
            e->brk = 1;
        else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
            e->space = 1;
        return e->st == CASUS_OK && !is_dropped(n);
    }
    case GUMBO_NODE_COMMENT:
    case GUMBO_NODE_TEMPLATE:
    default:
        return 0;
    }
}

static void extract_leave(GumboNode *n, void *ud)
{
    emitter *e = ud;
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag t = n->v.element.tag;
    if (is_block_tag(t))
        e->brk = 1;
    else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
        e->space = 1;
}

/* The text of a subtree (content rules); without a buffer only counts. */
static casus_status extract(casus_ctx *ctx, GumboNode *root, buf *out,
                            int flat, size_t *count)
{
    emitter e;
    memset(&e, 0, sizeof e);
    e.ctx = ctx;
    e.out = out;
    e.flat = flat;
    e.st = CASUS_OK;
    walk(root, extract_enter, extract_leave, &e);
    if (count)
        *count = e.count;
    return e.st;
}

/* Finds the content root: the <article> with the most text, else <main>. */
typedef struct finder {
    casus_ctx *ctx;
    GumboTag tag;
    int light;               /* only script/style-like subtrees are skipped */
    GumboNode *best;
    size_t best_len;
    int first;               /* stop at the first match */
} finder;

static int find_enter(GumboNode *n, void *ud)
{
    finder *f = ud;
    if (f->first && f->best)
        return 0;
    if (n->type == GUMBO_NODE_DOCUMENT)
        return 1;
    if (n->type != GUMBO_NODE_ELEMENT)
        return 0;
    const GumboElement *el = &n->v.element;
    if (el->tag == f->tag && el->tag_namespace == GUMBO_NAMESPACE_HTML) {
        if (f->first) {
            f->best = n;
        } else {
            size_t len = 0;
            extract(f->ctx, n, NULL, 0, &len);
            if (len > f->best_len) {
                f->best = n;
                f->best_len = len;
            }
        }
        return 0;
    }
    if (f->light)
        return el->tag != GUMBO_TAG_SCRIPT && el->tag != GUMBO_TAG_STYLE &&
               el->tag != GUMBO_TAG_TEMPLATE && el->tag != GUMBO_TAG_NOSCRIPT &&
               el->tag_namespace == GUMBO_NAMESPACE_HTML;
    return !is_dropped(n);
}

static GumboNode *find(casus_ctx *ctx, GumboNode *root, GumboTag tag,
                       int light, int first)
{
    finder f;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    f.tag = tag;
    f.light = light;
    f.first = first;
    walk(root, find_enter, NULL, &f);
    return f.best;
}

static casus_status html_doc(casus_reader *r, casus_doc *doc, GumboOutput *g)
{
    casus_ctx *ctx = r->ctx;
    GumboNode *title = find(ctx, g->document, GUMBO_TAG_TITLE, 1, 1);
    if (title && extract(ctx, title, &doc->title, 1, NULL) != CASUS_OK)
        return CASUS_ENOMEM;
    if (doc->title.n == 0) {
        GumboNode *h1 = find(ctx, g->document, GUMBO_TAG_H1, 1, 1);
        if (h1 && extract(ctx, h1, &doc->title, 1, NULL) != CASUS_OK)
            return CASUS_ENOMEM;
    }
    GumboNode *root = find(ctx, g->document, GUMBO_TAG_ARTICLE, 0, 0);
    if (!root)
        root = find(ctx, g->document, GUMBO_TAG_MAIN, 0, 1);
    if (!root)
        root = g->document;
    return extract(ctx, root, &doc->raw, 0, NULL);
}

static casus_status html_open(casus_reader *r)
{
    html_state *hs = mem_alloc(r->ctx, sizeof *hs);
    if (!hs)
        return CASUS_ENOMEM;
    memset(hs, 0, sizeof *hs);
    r->state = hs;
    return CASUS_OK;
}

static casus_status html_next(casus_reader *r, casus_doc *doc)
{
    casus_ctx *ctx = r->ctx;
    html_state *hs = r->state;
    if (hs->done)
        return CASUS_DONE;
    hs->done = 1;
    const char *base = strcmp(r->name, "<stdin>") == 0 ? "stdin" : r->name;
    const char *slash = strrchr(base, '/');
    if (slash && slash[1])
        base = slash + 1;
    if (buf_puts(ctx, &doc->id, base) != CASUS_OK)
        return CASUS_ENOMEM;
    doc->line = 1;
    casus_status st = read_all(r, &hs->in);
    if (st == CASUS_ETOOBIG) {
        ctx_diag(ctx, CASUS_ERROR, r->name, 1, base, -1,
                 "document is larger than the limit of %zu bytes; skipped",
                 ctx->max_doc_bytes);
        return CASUS_DONE;
    }
    if (st != CASUS_OK)
        goto done;
    if (hs->in.n == 0) {
        ctx_diag(ctx, CASUS_WARNING, r->name, 0, base, -1,
                 "empty input: no text to read");
        st = CASUS_DONE;
        goto done;
    }
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 0; /* we report nothing about markup errors */
    GumboOutput *g = gumbo_parse_with_options(&opts, hs->in.p, hs->in.n);
    if (!g) {
        st = ctx_fail(ctx, CASUS_ENOMEM, "%s: out of memory parsing HTML",
                      r->name);
        goto done;
    }
    st = html_doc(r, doc, g);
    gumbo_destroy_output(&opts, g);
    if (st == CASUS_OK && doc->raw.n == 0) {
        ctx_diag(ctx, CASUS_WARNING, r->name, 1, base, -1,
                 "no text found in the HTML; skipped");
        st = CASUS_DONE;
    }
done:
    buf_free(ctx, &hs->in);
    return st;
}

static void html_close(casus_reader *r)
{
    html_state *hs = r->state;
    if (!hs)
        return;
    buf_free(r->ctx, &hs->in);
    mem_free(r->ctx, hs);
    r->state = NULL;
}

const read_ops read_html_ops = {html_open, html_next, html_close};
