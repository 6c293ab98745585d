/*
 * ingest.c - reads casus's own JSON Lines records back into the store:
 * {"type":"event",...} (what `casus export --format jsonl` writes and the
 * event coder prints) and {"type":"sentence",...} (what `casus sentences`
 * prints); {"type":"diagnostic"} and other record types are skipped.
 * Incident and response records (`casus incidents`, `casus code`) are
 * recognized but not stored: they belong to the documents whose text the
 * incident stage read, and `casus code --db` stores them with those
 * documents (counted in each document's rows hash); an incident record
 * alone cannot say which of its documents' rows it replaces. One note per
 * input says how many were skipped (before, a file of them was misread as
 * documents).
 *
 * Pipeline position: beside the readers, feeding the store. Records of one
 * document must be consecutive: each run of records with the same doc_id is
 * one casus_store_put_events() call, so the store's idempotency applies per
 * document (docs/FORMATS.md, "Event records").
 *
 * A bad record (malformed JSON, a missing doc_id, a wrong type) is an error
 * diagnostic naming the file and line; the record is skipped and the rest is
 * read. Memory holds one document's records at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "store.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

/* One pending record: an event, or a sentence (is_sentence). Strings are
 * offsets into the group's buffer. */
typedef struct rec {
    casus_event ev;
    int is_sentence;
    size_t src_text, src_n, tgt_text, tgt_n, sent_text, sent_n;
    int has_sent_text;
} rec;

typedef struct group {
    casus_ctx *ctx;
    buf id, url, title;
    casus_date date;
    rec *recs;
    size_t n, cap;
    buf str;
    /* Built at flush. */
    casus_event *events;
    const char **texts;
    size_t cap_out;
    /* Scratch. */
    buf tmp;
    buf doc;   /* doc_id of the record being parsed */
    buf r_url, r_title;   /* its document metadata, if it gives any */
    buf rstr;             /* its strings, until it joins the group */
    casus_date r_date;
} group;

static void group_free(group *g)
{
    casus_ctx *ctx = g->ctx;
    buf_free(ctx, &g->id);
    buf_free(ctx, &g->url);
    buf_free(ctx, &g->title);
    buf_free(ctx, &g->str);
    buf_free(ctx, &g->tmp);
    buf_free(ctx, &g->doc);
    buf_free(ctx, &g->r_url);
    buf_free(ctx, &g->r_title);
    buf_free(ctx, &g->rstr);
    mem_free(ctx, g->recs);
    mem_free(ctx, g->events);
    mem_free(ctx, g->texts);
}

static const char *at(const group *g, size_t off)
{
    return g->str.p ? g->str.p + off : "";
}

/* Queues the group as one document; empties it. */
static casus_status group_flush(casus_store *s, group *g)
{
    if (!g->id.n)
        return CASUS_OK;
    size_t n_ev = 0, n_sent = 0;
    for (size_t i = 0; i < g->n; i++)
        g->recs[i].is_sentence ? n_sent++ : n_ev++;
    size_t need = g->n;
    if (need > g->cap_out) {
        casus_event *e = mem_realloc(g->ctx, g->events, need * sizeof *e);
        if (!e)
            return CASUS_ENOMEM;
        g->events = e;
        const char **t = mem_realloc(g->ctx, g->texts, need * sizeof *t);
        if (!t)
            return CASUS_ENOMEM;
        g->texts = t;
        g->cap_out = need;
    }
    /* Sentence records first (as events carrying only a sentence text would
     * add rows), so a sentence record's text wins over an event's copy. */
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        rec *r = &g->recs[i];
        if (!r->is_sentence)
            continue;
        g->events[k] = r->ev;
        g->texts[k++] = at(g, r->sent_text);
    }
    size_t n_sent_out = k;
    for (size_t i = 0; i < g->n; i++) {
        rec *r = &g->recs[i];
        if (r->is_sentence)
            continue;
        casus_event *e = &g->events[k];
        *e = r->ev;
        e->source.text.p = at(g, r->src_text);
        e->source.text.n = r->src_n;
        e->target.text.p = at(g, r->tgt_text);
        e->target.text.n = r->tgt_n;
        g->texts[k++] = r->has_sent_text ? at(g, r->sent_text) : NULL;
    }
    casus_store_doc d = {buf_cstr(&g->id), buf_cstr(&g->url),
                         buf_cstr(&g->title), g->date};
    casus_status st = store_put_rows(s, &d, g->events, g->texts, n_sent_out,
                                     k - n_sent_out);
    (void)n_ev;
    (void)n_sent;
    buf_reset(&g->id);
    buf_reset(&g->url);
    buf_reset(&g->title);
    buf_reset(&g->str);
    memset(&g->date, 0, sizeof g->date);
    g->n = 0;
    return st;
}

static int key_is(casus_slice k, const char *name)
{
    return k.n == strlen(name) && !memcmp(k.p, name, k.n);
}

/* Reads a string value into g->tmp (NUL-terminated). */
static casus_status get_str(json_parser *p, group *g, json_type t,
                            const char **err)
{
    buf_reset(&g->tmp);
    if (t == JSON_NULL)
        return json_skip(p);
    if (t != JSON_STRING) {
        *err = "a string";
        return CASUS_EINVAL;
    }
    return json_string_decode(p, g->ctx, &g->tmp);
}

static casus_status get_num(json_parser *p, json_type t, double *out,
                            const char **err)
{
    if (t == JSON_NULL) {
        *out = 0;
        return json_skip(p);
    }
    if (t == JSON_BOOL) {
        int is_true = p->s[p->pos] == 't';
        *out = is_true;
        return json_skip(p);
    }
    if (t != JSON_NUMBER) {
        *err = "a number";
        return CASUS_EINVAL;
    }
    casus_slice num;
    casus_status st = json_number(p, &num);
    if (st != CASUS_OK)
        return st;
    char tmp[64];
    size_t n = num.n < sizeof tmp - 1 ? num.n : sizeof tmp - 1;
    memcpy(tmp, num.p, n);
    tmp[n] = '\0';
    *out = strtod(tmp, NULL);
    return CASUS_OK;
}

static casus_status keep_str(group *g, size_t *off, size_t *n)
{
    *off = g->rstr.n;
    *n = g->tmp.n;
    if (buf_append(g->ctx, &g->rstr, g->tmp.p ? g->tmp.p : "", g->tmp.n) !=
            CASUS_OK ||
        buf_putc(g->ctx, &g->rstr, '\0') != CASUS_OK)
        return CASUS_ENOMEM;
    return CASUS_OK;
}

static void set_code(char *dst, size_t cap, const buf *b)
{
    size_t n = b->n < cap - 1 ? b->n : cap - 1;
    memcpy(dst, b->p ? b->p : "", n);
    dst[n] = '\0';
}

/* An actor: "CODE" or {"code","text","start","end"}. */
static casus_status get_actor(json_parser *p, group *g, json_type t,
                              casus_actor *a, size_t *text_off,
                              size_t *text_n, int *present, const char **err)
{
    casus_status st;
    *present = t != JSON_NULL;
    if (t == JSON_NULL)
        return json_skip(p);
    if (t == JSON_STRING) {
        buf_reset(&g->tmp);
        if ((st = json_string_decode(p, g->ctx, &g->tmp)) != CASUS_OK)
            return st;
        set_code(a->code, sizeof a->code, &g->tmp);
        buf_reset(&g->tmp);
        return CASUS_OK;
    }
    if (t != JSON_OBJECT) {
        *err = "an actor object or code";
        return CASUS_EINVAL;
    }
    int saved = p->members;
    if ((st = json_object_open(p)) != CASUS_OK)
        return st;
    casus_slice k;
    json_type vt;
    while ((st = json_object_next(p, &k, &vt)) == CASUS_OK) {
        double v;
        if (key_is(k, "code")) {
            if ((st = get_str(p, g, vt, err)) != CASUS_OK)
                return st;
            set_code(a->code, sizeof a->code, &g->tmp);
        } else if (key_is(k, "text")) {
            if ((st = get_str(p, g, vt, err)) != CASUS_OK ||
                (st = keep_str(g, text_off, text_n)) != CASUS_OK)
                return st;
        } else if (key_is(k, "start") || key_is(k, "end")) {
            if ((st = get_num(p, vt, &v, err)) != CASUS_OK)
                return st;
            if (key_is(k, "start"))
                a->start = v > 0 ? (size_t)v : 0;
            else
                a->end = v > 0 ? (size_t)v : 0;
        } else if ((st = json_skip(p)) != CASUS_OK) {
            return st;
        }
    }
    p->members = saved;
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* Parses one record. *kind: 0 skip, 1 event, 2 sentence, 3 incident or
 * response (skipped, counted). The record's
 * doc_id is left in g->doc. */
static casus_status parse_record(group *g, const char *line, size_t n,
                                 rec *r, int *kind, const char **err,
                                 size_t *err_pos)
{
    json_parser p;
    json_init(&p, line, n);
    memset(r, 0, sizeof *r);
    *kind = -1;
    buf_reset(&g->doc);
    buf_reset(&g->r_url);
    buf_reset(&g->r_title);
    buf_reset(&g->rstr);
    memset(&g->r_date, 0, sizeof g->r_date);
    casus_status st = json_object_open(&p);
    casus_slice k;
    json_type t;
    int have_doc = 0, src_str = 0, tgt_str = 0;
    while (st == CASUS_OK && (st = json_object_next(&p, &k, &t)) == CASUS_OK) {
        double v = 0;
        if (key_is(k, "type")) {
            if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                break;
            const char *ty = buf_cstr(&g->tmp);
            *kind = !strcmp(ty, "event")      ? 1
                    : !strcmp(ty, "sentence") ? 2
                    : !strcmp(ty, "incident") || !strcmp(ty, "response") ? 3
                                                                         : 0;
        } else if (key_is(k, "doc_id")) {
            if (t == JSON_NUMBER) {
                casus_slice num;
                if ((st = json_number(&p, &num)) != CASUS_OK ||
                    (st = buf_append(g->ctx, &g->doc, num.p, num.n)) != CASUS_OK)
                    break;
            } else if ((st = get_str(&p, g, t, err)) != CASUS_OK ||
                       (st = buf_append(g->ctx, &g->doc, g->tmp.p ? g->tmp.p : "",
                                        g->tmp.n)) != CASUS_OK) {
                break;
            }
            have_doc = g->doc.n > 0;
        } else if (key_is(k, "sentence_index") || key_is(k, "char_start") ||
                   key_is(k, "char_end") || key_is(k, "goldstein") ||
                   key_is(k, "quad_class") || key_is(k, "negated")) {
            if ((st = get_num(&p, t, &v, err)) != CASUS_OK)
                break;
            size_t u = v > 0 ? (size_t)v : 0;
            if (key_is(k, "sentence_index"))
                r->ev.sentence_index = u;
            else if (key_is(k, "char_start"))
                r->ev.start = u;
            else if (key_is(k, "char_end"))
                r->ev.end = u;
            else if (key_is(k, "goldstein"))
                r->ev.goldstein = (float)v;
            else if (key_is(k, "quad_class"))
                r->ev.quad_class = (uint8_t)(u <= 4 ? u : 0);
            else
                r->ev.negated = v != 0;
        } else if (key_is(k, "date")) {
            if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                break;
            if (g->tmp.n &&
                casus_date_parse(g->tmp.p, g->tmp.n, &r->ev.date) != CASUS_OK) {
                *err = "an ISO 8601 date in \"date\"";
                st = CASUS_EINVAL;
                break;
            }
        } else if (key_is(k, "source") || key_is(k, "target")) {
            int is_src = key_is(k, "source"), present = 0;
            casus_actor *a = is_src ? &r->ev.source : &r->ev.target;
            if (t == JSON_STRING) {
                if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                    break;
                set_code(a->code, sizeof a->code, &g->tmp);
                present = 1;
                if (is_src)
                    src_str = 1;
                else
                    tgt_str = 1;
            } else if ((st = get_actor(&p, g, t, a,
                                       is_src ? &r->src_text : &r->tgt_text,
                                       is_src ? &r->src_n : &r->tgt_n,
                                       &present, err)) != CASUS_OK) {
                break;
            }
            if (!is_src)
                r->ev.has_target = present;
        } else if (key_is(k, "source_text") || key_is(k, "target_text")) {
            if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                break;
            int is_src = key_is(k, "source_text");
            if ((st = keep_str(g, is_src ? &r->src_text : &r->tgt_text,
                               is_src ? &r->src_n : &r->tgt_n)) != CASUS_OK)
                break;
        } else if (key_is(k, "cameo") || key_is(k, "plover_type") ||
                   key_is(k, "plover_mode")) {
            if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                break;
            if (key_is(k, "cameo"))
                set_code(r->ev.cameo, sizeof r->ev.cameo, &g->tmp);
            else if (key_is(k, "plover_type"))
                set_code(r->ev.plover_type, sizeof r->ev.plover_type, &g->tmp);
            else
                set_code(r->ev.plover_mode, sizeof r->ev.plover_mode, &g->tmp);
        } else if (key_is(k, "text")) {
            if ((st = get_str(&p, g, t, err)) != CASUS_OK ||
                (st = keep_str(g, &r->sent_text, &r->sent_n)) != CASUS_OK)
                break;
            r->has_sent_text = t == JSON_STRING;
        } else if (key_is(k, "url") || key_is(k, "title") ||
                   key_is(k, "pub_date")) {
            /* Document metadata: applied when the record starts a
             * document (casus_store_ingest_records). */
            if ((st = get_str(&p, g, t, err)) != CASUS_OK)
                break;
            if (key_is(k, "pub_date")) {
                if (g->tmp.n &&
                    casus_date_parse(g->tmp.p, g->tmp.n, &g->r_date) != CASUS_OK) {
                    *err = "an ISO 8601 date in \"pub_date\"";
                    st = CASUS_EINVAL;
                    break;
                }
            } else {
                buf *dst = key_is(k, "url") ? &g->r_url : &g->r_title;
                if ((st = buf_append(g->ctx, dst, g->tmp.p ? g->tmp.p : "",
                                     g->tmp.n)) != CASUS_OK)
                    break;
            }
        } else {
            st = json_skip(&p);
        }
    }
    if (st == CASUS_DONE)
        st = json_end(&p);
    if (st == CASUS_EFORMAT) {
        *err = p.err;
        *err_pos = p.err_pos;
        return st;
    }
    if (st == CASUS_EINVAL)
        return st;
    if (st != CASUS_OK)
        return st;
    if (*kind < 0) {
        *err = "a \"type\" field";
        return CASUS_EINVAL;
    }
    if (*kind == 3)
        return CASUS_OK;   /* counted and skipped by the caller */
    if (*kind > 0 && !have_doc) {
        *err = "a \"doc_id\"";
        return CASUS_EINVAL;
    }
    if (*kind == 1 && !r->ev.cameo[0]) {
        *err = "a \"cameo\" event code";
        return CASUS_EINVAL;
    }
    if (*kind == 2) {
        r->is_sentence = 1;
        if (!r->has_sent_text) {
            *err = "a \"text\" string";
            return CASUS_EINVAL;
        }
    }
    (void)src_str;
    (void)tgt_str;
    return CASUS_OK;
}

/* Whether a line's record has a "type" member naming a casus record. */
static int is_record_line(group *g, const char *line, size_t n)
{
    json_parser p;
    json_init(&p, line, n);
    casus_slice k;
    json_type t;
    if (json_object_open(&p) != CASUS_OK)
        return 0;
    while (json_object_next(&p, &k, &t) == CASUS_OK) {
        if (key_is(k, "type") && t == JSON_STRING) {
            buf_reset(&g->tmp);
            if (json_string_decode(&p, g->ctx, &g->tmp) != CASUS_OK)
                return 0;
            const char *ty = buf_cstr(&g->tmp);
            return !strcmp(ty, "event") || !strcmp(ty, "sentence") ||
                   !strcmp(ty, "diagnostic") || !strcmp(ty, "incident") ||
                   !strcmp(ty, "response");
        }
        if (json_skip(&p) != CASUS_OK)
            return 0;
    }
    return 0;
}

/* Reads one line (without its newline) into b; 0 at the end of input. */
static int read_line(FILE *f, buf *b, casus_ctx *ctx, int *err)
{
    buf_reset(b);
    char chunk[8192];
    *err = 0;
    while (fgets(chunk, sizeof chunk, f)) {
        size_t n = strlen(chunk);
        int nl = n && chunk[n - 1] == '\n';
        if (buf_append(ctx, b, chunk, n - (size_t)nl) != CASUS_OK) {
            *err = 1;
            return 0;
        }
        if (nl)
            return 1;
    }
    if (ferror(f))
        *err = 2;
    return b->n > 0;
}

casus_status casus_store_ingest_records(casus_store *s, const char *path,
                                        int *is_records)
{
    casus_ctx *ctx = store_ctx(s);
    *is_records = 0;
    int is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return ctx_fail(ctx, CASUS_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
    group g;
    memset(&g, 0, sizeof g);
    g.ctx = ctx;
    buf line = BUF_INIT;
    casus_status st = CASUS_OK;
    unsigned long lineno = 0, n_linked = 0;
    int err = 0, first = 1;
    while (read_line(f, &line, ctx, &err)) {
        lineno++;
        const char *l = line.p;
        size_t n = line.n;
        if (n && l[n - 1] == '\r')
            n--;
        size_t ws = 0;
        while (ws < n && (l[ws] == ' ' || l[ws] == '\t'))
            ws++;
        if (ws == n)
            continue;
        if (first) {
            first = 0;
            if (!is_record_line(&g, l, n)) {
                st = CASUS_DONE;   /* documents: the caller's reader */
                break;
            }
            *is_records = 1;
        }
        rec r;
        int kind;
        const char *why = NULL;
        size_t pos = 0;
        /* A record of another document ends the group. */
        st = parse_record(&g, l, n, &r, &kind, &why, &pos);
        if (st == CASUS_ENOMEM)
            break;
        if (st != CASUS_OK) {
            if (st == CASUS_EFORMAT)
                ctx_diag(ctx, CASUS_ERROR, name, lineno, NULL, -1,
                         "bad JSON at column %zu: %s; record skipped",
                         pos + 1, why ? why : "syntax error");
            else
                ctx_diag(ctx, CASUS_ERROR, name, lineno, NULL, -1,
                         "record needs %s; record skipped", why);
            st = CASUS_OK;
            continue;
        }
        if (kind == 3)
            n_linked++;
        if (kind == 0 || kind == 3)
            continue;
        if (g.id.n && (g.id.n != g.doc.n || memcmp(g.id.p, g.doc.p, g.id.n)) &&
            (st = group_flush(s, &g)) != CASUS_OK)
            break;
        if (!g.id.n) {
            if ((st = buf_append(ctx, &g.id, g.doc.p, g.doc.n)) != CASUS_OK ||
                (g.r_url.n &&
                 (st = buf_append(ctx, &g.url, g.r_url.p, g.r_url.n)) != CASUS_OK) ||
                (g.r_title.n && (st = buf_append(ctx, &g.title, g.r_title.p,
                                                 g.r_title.n)) != CASUS_OK))
                break;
            g.date = g.r_date;
        }
        if ((st = mem_grow(ctx, (void **)&g.recs, &g.cap, g.n + 1,
                           sizeof *g.recs)) != CASUS_OK)
            break;
        /* The record's strings join the group's; offsets move with them. */
        size_t base = g.str.n;
        if (g.rstr.n &&
            (st = buf_append(ctx, &g.str, g.rstr.p, g.rstr.n)) != CASUS_OK)
            break;
        r.src_text += base;
        r.tgt_text += base;
        r.sent_text += base;
        g.recs[g.n++] = r;
    }
    if (st == CASUS_OK && err == 1)
        st = CASUS_ENOMEM;
    else if (st == CASUS_OK && err == 2)
        st = ctx_fail(ctx, CASUS_EIO, "%s: read error: %s", name,
                      strerror(errno));
    if (st == CASUS_OK)
        st = group_flush(s, &g);
    if (n_linked)
        ctx_diag(ctx, CASUS_NOTE, name, 0, NULL, -1,
                 "%lu incident or response records skipped: casus ingest "
                 "stores events and sentences; casus code --db stores "
                 "incidents and links with their documents", n_linked);
    if (!first && !*is_records && st == CASUS_OK)
        st = CASUS_DONE;
    if (first && st == CASUS_OK)
        st = CASUS_DONE;   /* empty: let the document reader report it */
    buf_free(ctx, &line);
    group_free(&g);
    if (!is_stdin)
        fclose(f);
    return st;
}
