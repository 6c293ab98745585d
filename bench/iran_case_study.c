/*
 * iran_case_study.c - the Iran case study: for each trigger of
 * iran-episodes.tsv, the analyst forecast casus would have made the day
 * after it from the events stored before it, and what the store says
 * happened next.
 *
 *   build/bench/iran_case_study --db PATH [--episodes TSV] [--actor CODE]
 *                               [--horizon 7|14|30] [--load-icews DIR]
 *                               [--date D] [--code FILE]... [--code-wiki CSV]
 *
 * Runs on any store (the events casus coded, or loaded). --code FILE codes
 * a casus input as `casus code --db` does (events, incidents, response
 * links; --date D is the publication date of documents that give none),
 * --code-wiki CSV each row of a Wikipedia incident list (wiki-incidents
 * layout, bench/wiki_gold.h) as one document "wiki-<row>" with the row's
 * date as publication date and its details as text; both store what they
 * code before the study runs. --load-icews DIR
 * first loads a dataset in the ICEWS layout into the store as events:
 * entity names become actor codes (spaces as '_', at most 31 bytes),
 * relations their CAMEO root code ("19"), time step t the day
 * 2014-01-01 + t/step (ICEWS14), one document per day ("icews-day-N"). For
 * each episode (trigger date: the last date in the field), the tool prints
 * the trigger, the forecast record of casus_store_forecast as of the next
 * day (its events_read says how much prior history there was), the
 * documented state response, and the actor's violent events (CAMEO roots
 * 17-20) in the store within the horizon after the trigger.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"
#include "forecast_calib.h"   /* fcal_root_of_name */
#include "wiki_gold.h"        /* csv_record */

static int file_write(void *ud, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

/* Days since 1970-01-01 and back (civil calendar). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static casus_date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    casus_date r = {(int16_t)(y + (m <= 2)), (int8_t)m, (int8_t)d};
    return r;
}

static int load_icews(casus_ctx *ctx, casus_store *s, const char *dir)
{
    casus_forecast_data *d = NULL;
    if (casus_forecast_data_open(ctx, dir, &d) != CASUS_OK) {
        fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    static const casus_forecast_split sp[3] = {
        CASUS_FORECAST_TRAIN, CASUS_FORECAST_VALID, CASUS_FORECAST_TEST};
    long base = days_from_civil(2014, 1, 1);
    size_t cap = 4096, n = 0, total = 0;
    casus_event *ev = calloc(cap, sizeof *ev);
    long cur = -1;
    int rc = 0;
    /* The step: ICEWS14 counts hours in steps of 24. */
    int32_t step = 24;
    casus_forecast_fact f0;
    if (casus_forecast_data_fact(d, CASUS_FORECAST_TRAIN, 1, &f0) == CASUS_OK &&
        f0.time == 1)
        step = 1;
    for (int k = 0; k < 3 && !rc; k++) {
        size_t m = casus_forecast_data_size(d, sp[k]);
        for (size_t i = 0; i <= m && !rc; i++) {
            casus_forecast_fact f;
            int more = i < m &&
                       casus_forecast_data_fact(d, sp[k], i, &f) == CASUS_OK;
            long day = more ? f.time / step : -2;
            if ((day != cur || n == cap) && n) {
                char id[40];
                snprintf(id, sizeof id, "icews-day-%ld-%zu", cur, total);
                casus_store_doc doc = {id, NULL, NULL, ev[0].date};
                if (casus_store_put_events(s, &doc, ev, NULL, n) != CASUS_OK)
                    rc = 1;
                total += n;
                n = 0;
            }
            if (!more)
                continue;
            cur = day;
            casus_event *e = &ev[n++];
            memset(e, 0, sizeof *e);
            e->date = civil_from_days(base + day);
            snprintf(e->source.code, sizeof e->source.code, "%s",
                     casus_forecast_entity_name(d, f.subject));
            snprintf(e->target.code, sizeof e->target.code, "%s",
                     casus_forecast_entity_name(d, f.object));
            for (char *p = e->source.code; *p; p++)
                *p = *p == ' ' ? '_' : *p;
            for (char *p = e->target.code; *p; p++)
                *p = *p == ' ' ? '_' : *p;
            e->has_target = 1;
            e->sentence_index = n - 1;
            e->end = 1;
            /* The root of the relation's CAMEO name, "00" when unknown. */
            int root = fcal_root_of_name(
                casus_forecast_relation_name(d, f.relation));
            snprintf(e->cameo, sizeof e->cameo, "%02d", root % 100);
            e->quad_class = (uint8_t)(root <= 5 ? 1 : root <= 9 ? 2
                                      : root <= 14 ? 3 : 4);
        }
    }
    free(ev);
    casus_forecast_data_free(d);
    if (!rc && casus_store_commit(s) != CASUS_OK)
        rc = 1;
    if (rc)
        fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
    else
        fprintf(stderr, "iran_case_study: loaded %zu facts\n", total);
    return rc;
}

/* What coding needs: the models, dictionaries, coder, incident set and
 * response links of one run, over one store. */
typedef struct coder_run {
    casus_ctx *ctx;
    casus_store *s;
    casus_models *m;
    casus_dicts *d;
    casus_coder *coder;
    casus_incidents *inc;
    casus_responses *resp;
    size_t docs, events;
} coder_run;

/* Codes an analysed document and queues it with its events, incidents and
 * links. */
static int code_doc(coder_run *c, casus_doc *doc)
{
    const casus_event *ev;
    size_t nev, first;
    if (casus_doc_parse(doc, c->m) != CASUS_OK ||
        casus_coder_run(c->coder, doc, &ev, &nev) != CASUS_OK ||
        casus_incidents_add(c->inc, doc) != CASUS_OK ||
        casus_responses_add(c->resp, c->inc, doc, ev, nev, &first) != CASUS_OK ||
        casus_store_put_document(c->s, doc, ev, nev) != CASUS_OK ||
        casus_store_put_incidents(c->s, c->inc) != CASUS_OK ||
        (first < casus_responses_count(c->resp) &&
         casus_store_put_links(c->s, casus_responses_get(c->resp, first),
                               casus_responses_count(c->resp) - first) != CASUS_OK))
        return 1;
    c->docs++;
    c->events += nev;
    return 0;
}

static int code_file(coder_run *c, casus_doc *doc, const char *path, casus_date date)
{
    casus_reader *r;
    if (casus_reader_open(c->ctx, path, CASUS_FORMAT_AUTO, date, &r) != CASUS_OK)
        return 1;
    casus_status st;
    int rc = 0;
    while (!rc && (st = casus_reader_next(r, doc)) == CASUS_OK)
        rc = casus_doc_analyze(doc) != CASUS_OK || code_doc(c, doc);
    casus_reader_close(r);
    return rc;
}

static int code_wiki(coder_run *c, casus_doc *doc, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "iran_case_study: %s: cannot open\n", path);
        return 1;
    }
    size_t n;
    char *s = wiki_read_all(fp, &n);
    if (!s)
        return 1;
    buf col[NCOL];
    for (int k = 0; k < NCOL; k++)
        col[k] = (buf)BUF_INIT;
    size_t pos = 0, row = 0;
    int rc = 0;
    csv_record(s, n, &pos, c->ctx, col, NCOL);   /* the header */
    while (!rc && csv_record(s, n, &pos, c->ctx, col, NCOL)) {
        row++;
        doc_reset(doc);
        if (buf_append(c->ctx, &doc->raw, col[5].p ? col[5].p : "", col[5].n) != CASUS_OK ||
            buf_printf(c->ctx, &doc->id, "wiki-%zu", row) != CASUS_OK) {
            rc = 1;
            break;
        }
        /* a row without a valid date is coded without one */
        (void)casus_date_parse(buf_cstr(&col[0]), col[0].n, &doc->date);
        rc = casus_doc_analyze(doc) != CASUS_OK || code_doc(c, doc);
    }
    for (int k = 0; k < NCOL; k++)
        buf_free(c->ctx, &col[k]);
    free(s);
    return rc;
}

/* Codes the inputs into the store at db. */
static int code_inputs(casus_ctx *ctx, const char *db, char **files, size_t nfiles,
                       casus_date date, const char *wiki)
{
    coder_run c = {ctx, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0};
    casus_doc *doc = casus_doc_new(ctx);
    int rc = !doc || casus_store_open(ctx, db, 0, &c.s) != CASUS_OK ||
             casus_models_load(ctx, getenv("CASUS_MODELS") ? NULL : "data/models", &c.m) !=
                 CASUS_OK ||
             casus_dicts_load(ctx, getenv("CASUS_DICTIONARIES") ? NULL : "data/dictionaries",
                              &c.d) != CASUS_OK ||
             casus_coder_new(ctx, c.d, 0, &c.coder) != CASUS_OK ||
             casus_incidents_new(ctx, c.d, NULL, &c.inc) != CASUS_OK ||
             casus_responses_new(ctx, &c.resp) != CASUS_OK ||
             casus_store_begin_run(c.s, NULL, NULL, "iran_case_study") != CASUS_OK;
    for (size_t i = 0; !rc && i < nfiles; i++)
        rc = code_file(&c, doc, files[i], date);
    if (!rc && wiki)
        rc = code_wiki(&c, doc, wiki);
    if (!rc)
        rc = casus_store_commit(c.s) != CASUS_OK;
    if (rc)
        fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
    else
        fprintf(stderr, "iran_case_study: coded %zu documents, %zu events, %zu incidents, "
                        "%zu response links\n", c.docs, c.events,
                casus_incidents_count(c.inc), casus_responses_count(c.resp));
    casus_responses_free(c.resp);
    casus_incidents_free(c.inc);
    casus_coder_free(c.coder);
    casus_dicts_free(c.d);
    casus_models_free(c.m);
    casus_store_close(c.s);
    casus_doc_free(doc);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *episodes = "../shared/data/iran-episodes.tsv";
    const char *actor = "IRN", *icews = NULL, *wiki = NULL;
    char *files[64];
    size_t nfiles = 0;
    casus_date date = {0, 0, 0};
    int horizon = 30;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--db") && v)
            db = argv[++i];
        else if (!strcmp(argv[i], "--episodes") && v)
            episodes = argv[++i];
        else if (!strcmp(argv[i], "--actor") && v)
            actor = argv[++i];
        else if (!strcmp(argv[i], "--horizon") && v)
            horizon = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--load-icews") && v)
            icews = argv[++i];
        else if (!strcmp(argv[i], "--code") && v && nfiles < 64)
            files[nfiles++] = argv[++i];
        else if (!strcmp(argv[i], "--code-wiki") && v)
            wiki = argv[++i];
        else if (!strcmp(argv[i], "--date") && v &&
                 casus_date_parse(v, strlen(v), &date) == CASUS_OK)
            i++;
        else {
            fprintf(stderr, "usage: iran_case_study --db PATH [--episodes TSV] "
                            "[--actor CODE] [--horizon 7|14|30] "
                            "[--load-icews DIR] [--date D] [--code FILE]... "
                            "[--code-wiki CSV]\n");
            return 2;
        }
    }
    if (!db) {
        fprintf(stderr, "iran_case_study: give --db PATH\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    if ((nfiles || wiki) && code_inputs(ctx, db, files, nfiles, date, wiki) != 0)
        return 1;
    if (icews) {
        if (casus_store_open(ctx, db, 0, &s) != CASUS_OK ||
            load_icews(ctx, s, icews) != 0) {
            fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
            return 1;
        }
        casus_store_close(s);
        s = NULL;
    }
    if (casus_store_open(ctx, db, CASUS_STORE_READONLY, &s) != CASUS_OK) {
        fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    FILE *f = fopen(episodes, "r");
    if (!f) {
        fprintf(stderr, "iran_case_study: %s: cannot open\n", episodes);
        return 1;
    }
    casus_sink out = {file_write, stdout};
    char line[8192];
    int lineno = 0, with_history = 0, n_ep = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        if (lineno++ == 0)
            continue;   /* the header */
        line[strcspn(line, "\r\n")] = '\0';
        char *field[6] = {0};
        char *p = line;
        for (int k = 0; k < 6 && p; k++) {
            field[k] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (!field[0] || !field[1])
            continue;
        /* The trigger date: the last YYYY-MM-DD in the field. */
        casus_date d = {0, 0, 0};
        const char *last = NULL;
        for (char *q = field[0]; *q; q++) {
            casus_date t;
            if (strlen(q) >= 10 && casus_date_parse(q, 10, &t) == CASUS_OK) {
                d = t;
                last = q;
            }
        }
        if (!last) {
            fprintf(stderr, "iran_case_study: %s:%d: no trigger date\n",
                    episodes, lineno);
            continue;
        }
        n_ep++;
        long day = days_from_civil(d.year, d.month, d.day) + 1;
        casus_store_forecast_opts o = {actor, horizon, civil_from_days(day),
                                       5, 3, 0};
        char asof[11], until[11];
        casus_date_format(o.as_of, asof);
        casus_date_format(civil_from_days(day + horizon), until);
        printf("## %.10s: %s\n", last, field[1]);
        printf("claimed by / blamed on: %s\n", field[2] ? field[2] : "");
        printf("documented response: %s: %s\n", field[3] ? field[3] : "",
               field[4] ? field[4] : "");
        printf("forecast as of %s (%s, next %d days):\n", asof, actor, horizon);
        fflush(stdout);
        size_t nt = 0;
        if (casus_store_forecast(s, &o, &out, &nt) != CASUS_OK) {
            fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
            rc = 1;
            break;
        }
        with_history += nt > 0;
        char sql[1200];
        /* the actor and its state organs (IRNGOV, IRNMIL, IRNMILIRG, ...) */
        snprintf(sql, sizeof sql,
                 "SELECT event_date, source_code, target_code, cameo, d.doc_id FROM events e "
                 "JOIN documents d ON d.doc_pk = e.doc_pk WHERE (source_code = '%s' OR "
                 "substr(source_code, 1, %zu) IN ('%sGOV', '%sMIL', '%sSPY', '%sCOP')) AND "
                 "event_date >= '%s' AND event_date < '%s' AND root_code IN "
                 "('17','18','19','20') AND negated = 0 ORDER BY event_date LIMIT 20",
                 actor, strlen(actor) + 3, actor, actor, actor, actor, asof, until);
        printf("what the store holds for %s..%s (violent acts of %s and its state "
               "organs):\n", asof, until, actor);
        fflush(stdout);
        if (strchr(actor, '\'') ||
            casus_store_query(s, sql, NULL, NULL, CASUS_TABLE_CSV, &out) !=
                CASUS_OK) {
            fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
            rc = 1;
            break;
        }
        /* response links stored around the trigger: by the trigger's event
         * date, else (a side without an event) the response's */
        char from[11];
        casus_date_format(civil_from_days(day - 32), from);
        snprintf(sql, sizeof sql,
                 "SELECT l.trigger_ref, t.event_date AS trigger_event_date, l.response_ref, "
                 "r.event_date AS response_event_date, l.responder, l.kind, l.lag_days "
                 "FROM response_links l LEFT JOIN events t ON t.event_id = l.event_id "
                 "LEFT JOIN events r ON r.event_id = l.response_event_id WHERE "
                 "coalesce(t.event_date, r.event_date) >= '%s' AND "
                 "coalesce(t.event_date, r.event_date) < '%s' ORDER BY l.link_id",
                 from, until);
        printf("response links stored, dated %s..%s:\n", from, until);
        fflush(stdout);
        if (casus_store_query(s, sql, NULL, NULL, CASUS_TABLE_CSV, &out) != CASUS_OK) {
            fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
            rc = 1;
            break;
        }
        printf("\n");
    }
    fclose(f);
    printf("%d episodes; %d with prior events of %s in the store\n", n_ep,
           with_history, actor);
    printf("\nall response links in the store:\n");
    fflush(stdout);
    if (rc == 0 &&
        casus_store_query(s, "SELECT l.trigger_ref, t.event_date AS trigger_event_date, "
                             "l.response_ref, r.event_date AS response_event_date, "
                             "l.responder, l.kind, l.lag_days FROM response_links l LEFT "
                             "JOIN events t ON t.event_id = l.event_id LEFT JOIN events r "
                             "ON r.event_id = l.response_event_id ORDER BY l.link_id",
                          NULL, NULL, CASUS_TABLE_CSV, &out) != CASUS_OK) {
        fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
        rc = 1;
    }
    casus_store_close(s);
    casus_ctx_free(ctx);
    return rc;
}
