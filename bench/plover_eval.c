/*
 * plover_eval.c - the event coder on the PLOVER gold-standard records.
 *
 * Reads PLOVER_GSR_CAMEO.dev.json (a JSON array; each record has "text",
 * "event" (the PLOVER event type), "mode", "source" and "target": a list of
 * {"actorText","code"} or ""), codes each record's text with casus's own
 * dictionaries and models (publication date: the record's "date"), and
 * compares the record's first PLOVER event with the gold.
 *
 * Event type. The gold was coded with PLOVER 0.5b1 (its "version" field),
 * whose 18 categories are the CAMEO cue categories under their CAMEO names
 * (DEMAND, DISAPPROVE, FIGHT, INVESTIGATE ...) where PLOVER 2021 (casus's
 * plover_type, CAMEO2PLOVER-2021.txt) merged and renamed some. The scorer
 * therefore reads casus's CAMEO code through the PLOVER manual's "CAMEO to
 * PLOVER translation" table (PLOVER_MANUAL.tex, tab:xlate), by cue category,
 * and names the category as PLOVER 0.5b1 did:
 *
 *   03 AGREE  04 CONSULT  05 SUPPORT  06 COOPERATE  07 AID
 *   081-083 CONCEDE  084-087 RETREAT  (080 CONCEDE)  09 INVESTIGATE
 *   10 DEMAND  11 DISAPPROVE  12 REJECT  13 THREATEN  14 PROTEST
 *   15 MOBILIZE  16 SANCTION  17 COERCE  18 ASSAULT  19 FIGHT
 *   20 FIGHT (the table's note 1: mode "unconventional")
 *
 * The same table is applied to every record; 01 and 02 are dropped by
 * PLOVER, so events of those roots are not PLOVER events and the record's
 * first event of another root is the one compared ("any event" counts a
 * record when any of its events has the gold category).
 *
 * Actors. The gold gives each actor a "code" (the primary actor: an
 * ISO-3166 alpha-3 country, IGO, NGO ...) and, separately, a "sector"
 * (GOV, MIL, REB ...): the PLOVER readme's country-level coding. casus's
 * code is the primary code followed by agents ("USAGOV" = USA + GOV), so
 * the headline comparison is the primary code: the first three letters of
 * casus's code against the gold "code". A few gold records keep pre-ISO
 * CAMEO country codes although the readme says they were converted; those
 * are read as their ISO codes (JAP JPN, ITL ITA, the only two in the file).
 * The exact comparison (casus's whole code equal to the gold code, so any
 * agent counts as wrong) is printed beside for continuity.
 *
 *   source       the event's source equals one of the gold source codes
 *   target       the event's target equals one of the gold target codes;
 *                a record whose gold target is "" (a joint action of its
 *                sources) counts when the event has no target or a target
 *                among the gold sources (the reciprocal event of a compound
 *                subject)
 *
 * A record with no event counts as wrong on all three. The "DOCUMENT"
 * record is skipped.
 *
 * Usage (from the project root):
 *   build/bench/plover_eval [--shared DIR] [--models DIR] [--dictionaries DIR] [-v]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"

/* ---------------------------------------------------------------- JSON */

typedef struct jv {
    int type;                /* 'o' 'a' 's' 'n' (number, literal) */
    char *str;               /* strings: decoded, NUL-terminated */
    char **keys;             /* objects */
    struct jv *items;        /* objects and arrays */
    size_t n;
} jv;

typedef struct jp {
    const char *s;
    size_t i, n;
    int bad;
} jp;

static void ws(jp *p)
{
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]))
        p->i++;
}

static char *jstr(jp *p)
{
    size_t cap = 64, len = 0;
    char *o = malloc(cap);
    p->i++;   /* the quote */
    while (o && p->i < p->n && p->s[p->i] != '"') {
        char c = p->s[p->i++];
        unsigned cp = 0;
        int utf = 0;
        if (c == '\\' && p->i < p->n) {
            char e = p->s[p->i++];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                if (p->i + 4 <= p->n)
                    cp = (unsigned)strtoul((char[5]){p->s[p->i], p->s[p->i + 1], p->s[p->i + 2],
                                                     p->s[p->i + 3], 0},
                                           NULL, 16);
                p->i += 4;
                utf = 1;
                break;
            default: c = e;
            }
        }
        if (len + 5 >= cap) {
            char *q = realloc(o, cap *= 2);
            if (!q) {
                free(o);
                return NULL;
            }
            o = q;
        }
        if (!utf) {
            o[len++] = c;
        } else if (cp < 0x80) {
            o[len++] = (char)cp;
        } else if (cp < 0x800) {
            o[len++] = (char)(0xC0 | (cp >> 6));
            o[len++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[len++] = (char)(0xE0 | (cp >> 12));
            o[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            o[len++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    p->i++;
    if (o)
        o[len] = '\0';
    return o;
}

static void jvalue(jp *p, jv *v)
{
    memset(v, 0, sizeof *v);
    ws(p);
    if (p->i >= p->n) {
        p->bad = 1;
        return;
    }
    char c = p->s[p->i];
    if (c == '"') {
        v->type = 's';
        v->str = jstr(p);
        return;
    }
    if (c == '{' || c == '[') {
        v->type = c == '{' ? 'o' : 'a';
        p->i++;
        size_t cap = 0;
        for (;;) {
            ws(p);
            if (p->i < p->n && (p->s[p->i] == '}' || p->s[p->i] == ']')) {
                p->i++;
                return;
            }
            if (v->n == cap) {
                cap = cap ? cap * 2 : 8;
                v->items = realloc(v->items, cap * sizeof *v->items);
                v->keys = realloc(v->keys, cap * sizeof *v->keys);
                if (!v->items || !v->keys) {
                    p->bad = 1;
                    return;
                }
            }
            v->keys[v->n] = NULL;
            if (v->type == 'o') {
                v->keys[v->n] = jstr(p);
                ws(p);
                p->i++;   /* ':' */
            }
            jvalue(p, &v->items[v->n++]);
            if (p->bad)
                return;
            ws(p);
            if (p->i < p->n && p->s[p->i] == ',')
                p->i++;
        }
    }
    v->type = 'n';
    while (p->i < p->n && !strchr(",]} \t\r\n", p->s[p->i]))
        p->i++;
}

static const jv *get(const jv *o, const char *k)
{
    for (size_t i = 0; o && o->type == 'o' && i < o->n; i++)
        if (o->keys[i] && !strcmp(o->keys[i], k))
            return &o->items[i];
    return NULL;
}

static const char *gets_(const jv *o, const char *k)
{
    const jv *v = get(o, k);
    return v && v->type == 's' ? v->str : "";
}

/* ---------------------------------------------------------------- scoring */

/* Pre-ISO CAMEO country codes still in the gold, as ISO-3166 alpha-3. */
static const char *iso_code(const char *c)
{
    static const char *const old[][2] = {{"JAP", "JPN"}, {"ITL", "ITA"}};
    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
        if (!strcmp(c, old[i][0]))
            return old[i][1];
    return c;
}

/* prefix: the primary actor (first three letters) of casus's code a. */
static int same(const char *gold, const char *a, int prefix)
{
    gold = iso_code(gold);
    return prefix ? strlen(a) >= 3 && strlen(gold) == 3 && strncmp(a, gold, 3) == 0
                  : strcmp(a, gold) == 0;
}

/* The PLOVER 0.5b1 category of a CAMEO code (see the header), "" when
 * PLOVER drops it. */
static const char *plover05(const char *cameo)
{
    static const char *const names[21] = {
        "", "", "", "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "",
        "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST",
        "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "FIGHT"};
    if (strlen(cameo) < 2 || cameo[0] < '0' || cameo[0] > '2' || cameo[1] < '0' ||
        cameo[1] > '9')
        return "";
    int root = (cameo[0] - '0') * 10 + (cameo[1] - '0');
    if (root < 1 || root > 20)
        return "";
    if (root == 8)
        return cameo[2] >= '4' && cameo[2] <= '7' ? "RETREAT" : "CONCEDE";
    return names[root];
}

static int in_actors(const jv *list, const char *code, int prefix)
{
    for (size_t i = 0; list && list->type == 'a' && i < list->n; i++)
        if (same(gets_(&list->items[i], "code"), code, prefix))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *shared = "../shared", *models_dir = "data/models",
               *dicts_dir = "data/dictionaries";
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models_dir = argv[++i];
        else if (!strcmp(argv[i], "--dictionaries") && i + 1 < argc)
            dicts_dir = argv[++i];
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else {
            fprintf(stderr, "usage: plover_eval [--shared DIR] [--models DIR] "
                            "[--dictionaries DIR] [-v]\n");
            return 2;
        }
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/data/plover/PLOVER_GSR_CAMEO.dev.json", shared);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "plover_eval: skipped: %s not present\n", path);
        return 0;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "plover_eval: cannot read %s\n", path);
        return 2;
    }
    fclose(f);
    jp p = {text, 0, (size_t)len, 0};
    jv root;
    jvalue(&p, &root);
    if (p.bad || root.type != 'a') {
        fprintf(stderr, "plover_eval: %s: not a JSON array\n", path);
        return 2;
    }

    casus_ctx *ctx = casus_ctx_new();
    casus_models *m = NULL;
    casus_dicts *d = NULL;
    casus_coder *coder = NULL;
    casus_doc *doc = casus_doc_new(ctx);
    if (casus_models_load(ctx, models_dir, &m) != CASUS_OK ||
        casus_dicts_load(ctx, dicts_dir, &d) != CASUS_OK ||
        casus_coder_new(ctx, d, 0, &coder) != CASUS_OK) {
        fprintf(stderr, "plover_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    size_t n = 0, coded = 0, ev_ok = 0, src_ok = 0, tgt_ok = 0, src_ok3 = 0, tgt_ok3 = 0,
           any_ok = 0;
    char tmp[] = "/tmp/plover_evalXXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        perror("plover_eval: mkstemp");
        return 2;
    }
    for (size_t i = 0; i < root.n; i++) {
        const jv *r = &root.items[i];
        const char *event = gets_(r, "event"), *t = gets_(r, "text");
        if (!strcmp(event, "DOCUMENT") || !*t)
            continue;
        n++;
        FILE *tf = fopen(tmp, "wb");
        if (!tf || fputs(t, tf) < 0 || fclose(tf) != 0) {
            perror("plover_eval: temporary file");
            return 2;
        }
        casus_date date = {0, 0, 0};
        const char *ds = gets_(r, "date");
        casus_date_parse(ds, strlen(ds), &date);
        casus_reader *rd;
        const casus_event *ev;
        size_t nev = 0;
        if (casus_reader_open(ctx, tmp, CASUS_FORMAT_TEXT, date, &rd) != CASUS_OK ||
            casus_reader_next(rd, doc) != CASUS_OK || casus_doc_analyze(doc) != CASUS_OK ||
            casus_doc_parse(doc, m) != CASUS_OK ||
            casus_coder_run(coder, doc, &ev, &nev) != CASUS_OK) {
            fprintf(stderr, "plover_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        casus_reader_close(rd);
        const jv *gs = get(r, "source"), *gt = get(r, "target");
        int gt_empty = !gt || gt->type != 'a' || gt->n == 0;
        int e_ok = 0, s_ok = 0, t_ok = 0, s3 = 0, t3 = 0;
        int any = 0;
        const casus_event *e = NULL;
        for (size_t k = 0; k < nev; k++)
            if (*plover05(ev[k].cameo)) {
                any |= !strcmp(plover05(ev[k].cameo), event);
                if (!e)
                    e = &ev[k];
            }
        any_ok += (size_t)any;
        if (e) {
            coded++;
            e_ok = !strcmp(plover05(e->cameo), event);
            s_ok = in_actors(gs, e->source.code, 0);
            s3 = in_actors(gs, e->source.code, 1);
            if (gt_empty) {
                t_ok = t3 = !e->has_target || in_actors(gs, e->target.code, 0);
                t3 = t3 || (e->has_target && in_actors(gs, e->target.code, 1));
            } else if (e->has_target) {
                t_ok = in_actors(gt, e->target.code, 0);
                t3 = in_actors(gt, e->target.code, 1);
            }
        }
        ev_ok += (size_t)e_ok;
        src_ok += (size_t)s_ok;
        tgt_ok += (size_t)t_ok;
        src_ok3 += (size_t)s3;
        tgt_ok3 += (size_t)t3;
        if (verbose || !(e_ok && s3 && t3)) {
            printf("%s %s: gold %s", e_ok && s3 && t3 ? "ok  " : "MISS", gets_(r, "id"),
                   event);
            for (size_t k = 0; gs && gs->type == 'a' && k < gs->n; k++)
                printf(" %s%s", k ? "," : "src=", gets_(&gs->items[k], "code"));
            for (size_t k = 0; !gt_empty && k < gt->n; k++)
                printf(" %s%s", k ? "," : "tgt=", gets_(&gt->items[k], "code"));
            if (e)
                printf(" | got %s %s %s->%s\n", plover05(e->cameo), e->cameo, e->source.code,
                       e->has_target ? e->target.code : "-");
            else
                printf(" | got nothing\n");
            printf("     %s\n", t);
        }
    }
    remove(tmp);
    double N = n ? (double)n : 1;
    printf("PLOVER dev: %zu records, %zu with an event; event type %.1f%% (bar 80%%; any "
           "event %.1f%%), source actor %.1f%% (bar 80%%; whole code %.1f%%), target actor "
           "%.1f%% (bar 75%%; whole code %.1f%%)\n",
           n, coded, 100.0 * (double)ev_ok / N, 100.0 * (double)any_ok / N,
           100.0 * (double)src_ok3 / N, 100.0 * (double)src_ok / N, 100.0 * (double)tgt_ok3 / N,
           100.0 * (double)tgt_ok / N);
    casus_doc_free(doc);
    casus_coder_free(coder);
    casus_dicts_free(d);
    casus_models_free(m);
    casus_ctx_free(ctx);
    free(text);
    return 0;
}
