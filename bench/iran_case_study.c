/*
 * iran_case_study.c - the Iran case study: for each trigger of
 * iran-episodes.tsv, the analyst forecast casus would have made the day
 * after it from the events stored before it, and what the store says
 * happened next.
 *
 *   build/bench/iran_case_study --db PATH [--episodes TSV] [--actor CODE]
 *                               [--horizon 7|14|30] [--load-icews DIR]
 *
 * Runs on any store (the events casus coded, or loaded). --load-icews DIR
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
#include "forecast_calib.h"   /* fcal_root_of_name */

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

int main(int argc, char **argv)
{
    const char *db = NULL, *episodes = "../shared/data/iran-episodes.tsv";
    const char *actor = "IRN", *icews = NULL;
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
        else {
            fprintf(stderr, "usage: iran_case_study --db PATH [--episodes TSV] "
                            "[--actor CODE] [--horizon 7|14|30] "
                            "[--load-icews DIR]\n");
            return 2;
        }
    }
    if (!db) {
        fprintf(stderr, "iran_case_study: give --db PATH\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
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
                                       5, 3};
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
        char sql[600];
        snprintf(sql, sizeof sql,
                 "SELECT event_date, target_code, cameo FROM events WHERE "
                 "source_code = '%s' AND event_date >= '%s' AND event_date "
                 "< '%s' AND root_code IN ('17','18','19','20') AND negated "
                 "= 0 ORDER BY event_date LIMIT 20",
                 actor, asof, until);
        printf("what the store holds for %s..%s (violent acts of %s):\n", asof,
               until, actor);
        fflush(stdout);
        if (strchr(actor, '\'') ||
            casus_store_query(s, sql, NULL, NULL, CASUS_TABLE_CSV, &out) !=
                CASUS_OK) {
            fprintf(stderr, "iran_case_study: %s\n", casus_ctx_message(ctx));
            rc = 1;
            break;
        }
        printf("\n");
    }
    fclose(f);
    printf("%d episodes; %d with prior events of %s in the store\n", n_ep,
           with_history, actor);
    casus_store_close(s);
    casus_ctx_free(ctx);
    return rc;
}
