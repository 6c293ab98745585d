/*
 * petrarch_eval.c - the event coder on PETRARCH 2's validation suite.
 *
 * Codes each <Sentence> of PETR.UnitTest.records.xml from its <Text> only
 * (casus's own tokenizer, tagger and parser; the suite's <Parse> trees are
 * not read) with the suite's PETR.Validate.* dictionaries, and compares the
 * set of (source, target, event) triples with the record's <EventCoding>
 * elements. A record counts when the sets are equal; "noevents" records and
 * discard/dateline error records expect no events. The two records whose
 * expected result is error="bad_input_parse" test PETRARCH's reading of a
 * malformed <Parse>, which casus does not read: they are reported apart and
 * left out of the rate (the rate with them is printed too).
 *
 * Codes are compared as PETRARCH writes them, except that a leading "---"
 * (an agent without an actor: "---GOV") is dropped and an absent target is
 * "---" on both sides.
 *
 * Usage (from the project root):
 *   build/bench/petrarch_eval [--shared DIR] [--models DIR] [-v]
 * Exit status 0 when the rate is at least 90%, 1 below, 2 on errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"

#define MAXT 32

typedef struct triple {
    char s[40], t[40], e[16];
} triple;

typedef struct record {
    char id[64];
    int skip;            /* bad_input_parse */
    triple gold[MAXT];
    size_t ngold;
} record;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) {
            char *q = realloc(p, cap *= 2);
            if (!q) {
                free(p);
                p = NULL;
            }
            p = q;
        }
    }
    fclose(f);
    if (p)
        p[len] = '\0';
    *n = len;
    return p;
}

/* The value of attribute name in tag text [p, e) into out. */
static int attr(const char *p, const char *e, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *q = p; q + n < e; q++) {
        if (memcmp(q, name, n) || (q > p && q[-1] != ' ' && q[-1] != '\t' && q[-1] != '\n'))
            continue;
        const char *r = q + n;
        while (r < e && (*r == ' ' || *r == '='))
            r++;
        if (r >= e || (*r != '"' && *r != '\''))
            continue;
        char quote = *r++;
        const char *end = memchr(r, quote, (size_t)(e - r));
        if (!end)
            return 0;
        size_t len = (size_t)(end - r);
        if (len >= cap)
            len = cap - 1;
        memcpy(out, r, len);
        out[len] = '\0';
        return 1;
    }
    return 0;
}

static void norm_code(char *s)
{
    if (!strncmp(s, "---", 3) && s[3]) {
        memmove(s, s + 3, strlen(s + 3) + 1);
    }
    if (!*s)
        strcpy(s, "---");
}

/* Reads the records' gold codings in file order. */
static size_t read_gold(char *x, record **out)
{
    /* blank out comments so that commented records do not count */
    for (char *c = strstr(x, "<!--"); c; c = strstr(c, "<!--")) {
        char *e = strstr(c, "-->");
        if (!e)
            e = c + strlen(c) - 3;
        memset(c, ' ', (size_t)(e + 3 - c));
        c = e + 3;
    }
    size_t n = 0, cap = 512;
    record *r = calloc(cap, sizeof *r);
    for (char *p = strstr(x, "<Sentence "); p && r; p = strstr(p + 1, "<Sentence ")) {
        char *end = strstr(p, "</Sentence>");
        char *te = strchr(p, '>');
        if (!end || !te)
            break;
        if (n == cap)
            break;
        record *rec = &r[n++];
        attr(p, te, "id", rec->id, sizeof rec->id);
        for (char *q = strstr(p, "<EventCoding"); q && q < end; q = strstr(q + 1, "<EventCoding")) {
            char *qe = strchr(q, '>');
            char v[64];
            if (attr(q, qe, "error", v, sizeof v)) {
                if (!strcmp(v, "bad_input_parse"))
                    rec->skip = 1;
                continue;
            }
            if (attr(q, qe, "noevents", v, sizeof v))
                continue;
            if (rec->ngold == MAXT)
                continue;
            triple *t = &rec->gold[rec->ngold++];
            if (!attr(q, qe, "sourcecode", t->s, sizeof t->s))
                strcpy(t->s, "---");
            if (!attr(q, qe, "targetcode", t->t, sizeof t->t))
                strcpy(t->t, "---");
            if (!attr(q, qe, "eventcode", t->e, sizeof t->e))
                strcpy(t->e, "---");
            norm_code(t->s);
            norm_code(t->t);
        }
    }
    *out = r;
    return n;
}

static int has(const triple *v, size_t n, const triple *t)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].s, t->s) && !strcmp(v[i].t, t->t) && !strcmp(v[i].e, t->e))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *shared = "../shared", *models_dir = "data/models";
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models_dir = argv[++i];
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else {
            fprintf(stderr, "usage: petrarch_eval [--shared DIR] [--models DIR] [-v]\n");
            return 2;
        }
    }
    char xml[1024], dicts[4][1024];
    snprintf(xml, sizeof xml, "%s/data/petrarch2/text/PETR.UnitTest.records.xml", shared);
    static const char *const kinds[] = {"actors", "agents", "verbs", "discards"};
    const char *paths[4];
    for (int i = 0; i < 4; i++) {
        snprintf(dicts[i], sizeof dicts[i], "%s/data/petrarch2/dictionaries/PETR.Validate.%s.txt",
                 shared, kinds[i]);
        paths[i] = dicts[i];
    }
    size_t xn;
    char *x = slurp(xml, &xn);
    if (!x) {
        fprintf(stderr, "petrarch_eval: skipped: %s not present\n", xml);
        return 0;
    }
    record *gold;
    size_t ngold = read_gold(x, &gold);
    free(x);

    casus_ctx *ctx = casus_ctx_new();
    casus_dicts *d = NULL;
    casus_models *m = NULL;
    casus_coder *coder = NULL;
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    if (casus_dicts_load_files(ctx, paths, 4, &d) != CASUS_OK ||
        casus_models_load(ctx, models_dir, &m) != CASUS_OK ||
        casus_coder_new(ctx, d, CASUS_CODE_PETRARCH, &coder) != CASUS_OK ||
        casus_reader_open(ctx, xml, CASUS_FORMAT_PETRARCH_XML, (casus_date){0, 0, 0}, &r) !=
            CASUS_OK) {
        fprintf(stderr, "petrarch_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    size_t i = 0, ok = 0, skipped = 0, skipped_ok = 0;
    while (casus_reader_next(r, doc) == CASUS_OK && i < ngold) {
        record *g = &gold[i++];
        if (strcmp(casus_doc_id(doc), g->id)) {
            fprintf(stderr, "petrarch_eval: record %zu is %s in the reader, %s in the gold\n", i,
                    casus_doc_id(doc), g->id);
            return 2;
        }
        const casus_event *ev;
        size_t nev;
        if (casus_doc_analyze(doc) != CASUS_OK || casus_doc_parse(doc, m) != CASUS_OK ||
            casus_coder_run(coder, doc, &ev, &nev) != CASUS_OK) {
            fprintf(stderr, "petrarch_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        triple got[MAXT];
        size_t ngot = 0;
        for (size_t k = 0; k < nev && ngot < MAXT; k++) {
            triple t;
            snprintf(t.s, sizeof t.s, "%s", ev[k].source.code);
            snprintf(t.t, sizeof t.t, "%s", ev[k].has_target ? ev[k].target.code : "");
            snprintf(t.e, sizeof t.e, "%s", ev[k].cameo);
            norm_code(t.s);
            norm_code(t.t);
            if (!has(got, ngot, &t))
                got[ngot++] = t;
        }
        int same = ngot == g->ngold;
        for (size_t k = 0; same && k < ngot; k++)
            same = has(g->gold, g->ngold, &got[k]);
        if (g->skip) {
            skipped++;
            skipped_ok += (size_t)same;
        } else {
            ok += (size_t)same;
        }
        if (!same || verbose) {
            printf("%s %s\n  gold:", same ? "ok  " : "FAIL", g->id);
            for (size_t k = 0; k < g->ngold; k++)
                printf(" %s-%s-%s", g->gold[k].s, g->gold[k].t, g->gold[k].e);
            if (!g->ngold)
                printf(" (none)");
            printf("\n  got: ");
            for (size_t k = 0; k < ngot; k++)
                printf(" %s-%s-%s", got[k].s, got[k].t, got[k].e);
            if (!ngot)
                printf(" (none)");
            printf("\n");
        }
    }
    size_t scored = i - skipped;
    double rate = scored ? 100.0 * (double)ok / (double)scored : 0;
    printf("PETRARCH2 validation: %zu/%zu records exactly right = %.1f%% "
           "(bar 90%%); all %zu records including the %zu bad-parse ones: %.1f%%\n",
           ok, scored, rate, i, skipped,
           i ? 100.0 * (double)(ok + skipped_ok) / (double)i : 0);
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_coder_free(coder);
    casus_models_free(m);
    casus_dicts_free(d);
    casus_ctx_free(ctx);
    free(gold);
    return rate >= 90.0 ? 0 : 1;
}
