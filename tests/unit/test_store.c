/*
 * test_store.c - the event store: idempotent puts, replacement of changed
 * documents, batches, bad stores, read-only SQL, exports; against SQLite,
 * and against PostgreSQL when $CASUS_TEST_PG names a reachable server (the
 * PostgreSQL tests are skipped, with the reason, otherwise). Each
 * PostgreSQL test starts from an empty public schema.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "doc.h"
#include "store_int.h"
#include "util/buf.h"

typedef struct capture {
    char *p;
    size_t n;
} capture;

static int cap_write(void *ud, const char *p, size_t n)
{
    capture *c = ud;
    char *q = realloc(c->p, c->n + n + 1);
    if (!q)
        return -1;
    memcpy(q + c->n, p, n);
    c->p = q;
    c->n += n;
    c->p[c->n] = '\0';
    return 0;
}

static char db_path[256];

/* A fresh store target: a new SQLite path, or the emptied PG database. */
static const char *fresh(int pg)
{
    if (!pg) {
        snprintf(db_path, sizeof db_path, "/tmp/casus-test-store-%d.db",
                 (int)getpid());
        unlink(db_path);
        char tmp[300];
        snprintf(tmp, sizeof tmp, "%s-wal", db_path);
        unlink(tmp);
        snprintf(tmp, sizeof tmp, "%s-shm", db_path);
        unlink(tmp);
        return db_path;
    }
    const char *url = getenv("CASUS_TEST_PG");
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, "DROP SCHEMA IF EXISTS public CASCADE; "
                            "CREATE SCHEMA public");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    return url;
}

static int pg_skip(void)
{
    const char *url = getenv("CASUS_TEST_PG");
    if (!url || !*url) {
        print_message("skip: CASUS_TEST_PG is not set (no PostgreSQL server "
                      "to test against)\n");
        return 1;
    }
    PGconn *c = PQconnectdb(url);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (!ok)
        print_message("skip: PostgreSQL at CASUS_TEST_PG is not reachable: "
                      "%s\n", PQerrorMessage(c));
    PQfinish(c);
    return !ok;
}

/* test_sqlite_NAME and test_pg_NAME: NAME(0) on a SQLite file, NAME(1) on
 * the PostgreSQL server of CASUS_TEST_PG (reported skipped without one). */
#define BOTH_BACKENDS(name)                                                   \
    static void test_sqlite_##name(void **state)                              \
    {                                                                         \
        (void)state;                                                          \
        name(0);                                                              \
    }                                                                         \
    static void test_pg_##name(void **state)                                  \
    {                                                                         \
        (void)state;                                                          \
        if (pg_skip())                                                        \
            skip();                                                           \
        name(1);                                                              \
    }

static casus_event make_event(size_t sent, const char *src, const char *tgt,
                              const char *cameo, int day)
{
    casus_event e;
    memset(&e, 0, sizeof e);
    e.sentence_index = sent;
    e.start = 0;
    e.end = 10;
    e.date.year = 2024;
    e.date.month = 1;
    e.date.day = (int8_t)day;
    snprintf(e.source.code, sizeof e.source.code, "%s", src);
    e.source.text.p = "Iran";
    e.source.text.n = 4;
    if (tgt) {
        e.has_target = 1;
        snprintf(e.target.code, sizeof e.target.code, "%s", tgt);
    }
    snprintf(e.cameo, sizeof e.cameo, "%s", cameo);
    e.goldstein = -10;
    e.quad_class = 4;
    snprintf(e.plover_type, sizeof e.plover_type, "ASSAULT");
    return e;
}

/* The SQL that takes a store of version 10 back to version 9's
 * incidents (no counts on the rows), for the tests of older versions. */
#define DOWN_V10                                                              \
    "ALTER TABLE incidents DROP COLUMN n_documents; ALTER TABLE incidents "  \
    "DROP COLUMN n_evidence; "

/* The text of a one-column query result (first row), or "". */
static const char *q1(casus_store *s, const char *sql)
{
    static char out[256];
    capture c = {NULL, 0};
    casus_sink sink = {cap_write, &c};
    out[0] = '\0';
    assert_int_equal(casus_store_query(s, sql, NULL, NULL, CASUS_TABLE_CSV,
                                       &sink), CASUS_OK);
    const char *nl = c.p ? strchr(c.p, '\n') : NULL;
    if (nl)
        snprintf(out, sizeof out, "%.*s", (int)strcspn(nl + 1, "\n"), nl + 1);
    free(c.p);
    return out;
}

static void put_docs(const char *target, int n_docs, const char *cameo,
                     casus_store_stats *stats)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    casus_status st = casus_store_open(ctx, target, 0, &s);
    if (st != CASUS_OK)
        print_message("%s\n", casus_ctx_message(ctx));
    assert_int_equal(st, CASUS_OK);
    casus_store_set_batch(s, 3, 0);
    for (int i = 0; i < n_docs; i++) {
        char id[32];
        snprintf(id, sizeof id, "doc-%d", i);
        casus_store_doc d = {id, "https://example.com/x", "T", {2024, 1, 2}};
        casus_event ev[2] = {make_event(0, "IRNMIL", "ISR", cameo, 3),
                             make_event(1, "IMGMUSISI", NULL, "195", 4)};
        const char *texts[2] = {"Iran struck.", NULL};
        assert_int_equal(casus_store_put_events(s, &d, ev, texts, 2), CASUS_OK);
    }
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    casus_store_stats_get(s, stats);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

static void check_counts(const char *target, const char *docs,
                         const char *events, const char *sents)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, target, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    assert_string_equal(q1(s, "SELECT count(*) FROM documents"), docs);
    assert_string_equal(q1(s, "SELECT count(*) FROM events"), events);
    assert_string_equal(q1(s, "SELECT count(*) FROM sentences"), sents);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

static void idempotent(int pg)
{
    const char *t = fresh(pg);
    casus_store_stats st;
    put_docs(t, 10, "190", &st);
    assert_int_equal(st.docs_added, 10);
    assert_int_equal(st.events, 20);
    check_counts(t, "10", "20", "10");
    put_docs(t, 10, "190", &st);        /* the same again: nothing */
    assert_int_equal(st.docs_unchanged, 10);
    assert_int_equal(st.docs_added + st.docs_replaced + st.events, 0);
    check_counts(t, "10", "20", "10");
    put_docs(t, 4, "193", &st);         /* changed coding: replaced */
    assert_int_equal(st.docs_replaced, 4);
    check_counts(t, "10", "20", "10");
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    assert_string_equal(q1(s, "SELECT count(*) FROM events WHERE cameo = '193'"),
                        "4");
    assert_string_equal(q1(s, "SELECT count(*) FROM actors"), "3");
    assert_string_equal(q1(s, "SELECT count(*) FROM runs"), "3");
    /* Writes through query are refused. */
    capture c = {NULL, 0};
    casus_sink sink = {cap_write, &c};
    assert_int_equal(casus_store_query(s, "DELETE FROM events", NULL, NULL,
                                       CASUS_TABLE_CSV, &sink), CASUS_EINVAL);
    assert_int_equal(casus_store_query(s, "nonsense", NULL, NULL,
                                       CASUS_TABLE_CSV, &sink), CASUS_EINVAL);
    /* Named queries and every export run. */
    casus_query_opts o = {"IRN", "2024-01", "2024-01", 0};
    assert_int_equal(casus_store_query(s, "timeline", NULL, &o,
                                       CASUS_TABLE_JSON, &sink), CASUS_OK);
    assert_non_null(strstr(c.p, "{\"month\":\"2024-01\",\"events\":10"));
    assert_int_equal(casus_store_query(s, "dyads", NULL, NULL, CASUS_TABLE_TEXT,
                                       &sink), CASUS_OK);
    assert_int_equal(casus_store_query(s, "actor", "IRNMIL", NULL,
                                       CASUS_TABLE_TEXT, &sink), CASUS_OK);
    assert_int_equal(casus_store_query(s, "incidents", NULL, &o,
                                       CASUS_TABLE_CSV, &sink), CASUS_OK);
    for (int f = CASUS_EXPORT_JSONL; f <= CASUS_EXPORT_PLOVER; f++) {
        free(c.p);
        c.p = NULL;
        c.n = 0;
        assert_int_equal(casus_store_export(s, (casus_export_format)f, NULL,
                                            &sink), CASUS_OK);
        assert_true(c.n > 100);
    }
    free(c.p);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

BOTH_BACKENDS(idempotent)

static void test_sqlite_bad_stores(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    /* Missing, for reading. */
    assert_int_equal(casus_store_open(ctx, "/tmp/casus-no-such-store.db",
                                      CASUS_STORE_READONLY, &s), CASUS_EIO);
    assert_null(s);
    /* Not a database at all. */
    static const char junk[] = "this is not a database, just text long "
                               "enough to fill a SQLite header ............"
                               "...........................................";
    const char *p = test_tmpfile(".db", junk, sizeof junk - 1);
    assert_int_equal(casus_store_open(ctx, p, 0, &s), CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "not a SQLite database"));
    /* A SQLite database of something else. */
    const char *t = fresh(0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'CREATE TABLE x (a)'", t);
    if (system(cmd) == 0) {
        assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_EFORMAT);
        assert_non_null(strstr(casus_ctx_message(ctx), "not a casus store"));
    }
    /* A newer schema. */
    t = fresh(0);
    casus_store_stats st;
    put_docs(t, 1, "190", &st);
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE casus_meta SET value = '99' "
             "WHERE key = 'schema_version'\"", t);
    if (system(cmd) == 0) {
        assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_EFORMAT);
        assert_non_null(strstr(casus_ctx_message(ctx), "newer"));
    }
    /* Unreachable PostgreSQL. */
    assert_int_equal(casus_store_open(ctx, "postgresql://casus@127.0.0.1:1/x"
                                      "?connect_timeout=2", 0, &s), CASUS_EIO);
    assert_non_null(strstr(casus_ctx_message(ctx), "127.0.0.1"));
    casus_ctx_free(ctx);
}

/* Every allocation failure during open, put and commit is clean. */
static void test_store_oom(void **state)
{
    (void)state;
    for (long n = 1; n < 400; n++) {
        test_alloc a = {n, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        const char *t = fresh(0);
        casus_store *s = NULL;
        casus_status st = casus_store_open(ctx, t, 0, &s);
        for (int i = 0; st == CASUS_OK && i < 5; i++) {
            char id[16];
            snprintf(id, sizeof id, "d%d", i);
            casus_store_doc d = {id, NULL, NULL, {0, 0, 0}};
            casus_event ev = make_event(0, "IRN", "ISR", "190", 1);
            st = casus_store_put_events(s, &d, &ev, NULL, 1);
        }
        if (st == CASUS_OK)
            st = casus_store_commit(s);
        assert_true(st == CASUS_OK || st == CASUS_ENOMEM);
        casus_store_close(s);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
        if (st == CASUS_OK && a.count < n)
            break;
    }
}

/* ------------------------------------------------------------ rollups */

/* The output of a named query in fmt, with a row limit (0: the query's
 * default); the query must succeed (caller frees). */
static char *run_query_fmt(casus_ctx *ctx, casus_store *s, const char *query,
                           const char *arg, const char *country,
                           const char *from, const char *to, size_t limit,
                           casus_table_format fmt)
{
    capture c = {NULL, 0};
    casus_sink sink = {cap_write, &c};
    casus_query_opts o = {country, from, to, limit};
    casus_status st = casus_store_query(s, query, arg, &o, fmt, &sink);
    if (st != CASUS_OK)
        print_message("%s %s: %s\n", query, arg ? arg : "",
                      casus_ctx_message(ctx));
    assert_int_equal(st, CASUS_OK);
    return c.p ? c.p : strdup("");
}

/* The output of a named query as CSV, with a row limit (caller frees). */
static char *run_query_n(casus_ctx *ctx, casus_store *s, const char *query,
                         const char *arg, const char *country,
                         const char *from, const char *to, size_t limit)
{
    return run_query_fmt(ctx, s, query, arg, country, from, to, limit,
                         CASUS_TABLE_CSV);
}

/* The same with room for every row of the tests' stores. */
static char *run_query(casus_ctx *ctx, casus_store *s, const char *query,
                       const char *arg,
                       const char *country, const char *from, const char *to)
{
    return run_query_n(ctx, s, query, arg, country, from, to, 100000);
}

/* The header and the first n rows of a CSV result (caller frees). */
static char *head_rows(const char *csv, size_t n)
{
    const char *p = csv;
    for (size_t k = 0; k <= n && *p; k++) {
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    return strndup(csv, (size_t)(p - csv));
}

/* Sets the deferred-rollup marker of store t to v (raw SQL). */
static void set_marker(const char *t, const char *v)
{
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE casus_meta SET value = '%s' WHERE key "
             "= 'rollup_pending'", v);
    if (!strncmp(t, "postgres", 8)) {
        PGconn *c = PQconnectdb(t);
        PGresult *r = PQexec(c, sql);
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
}

/* Day bounds inside months: the rollups for the whole months between and
 * the events for the days at the ends, against the events alone (as read
 * while a marker says rollups are pending). */
static void check_days(const char *target)
{
    static const char *const codes[] = {NULL, "IRN", "IRNMIL", "I", "ISR",
                                        "U"};
    static const char *const ranges[][2] = {
        {"2023-11-15", "2024-02-10"}, {"2023-12-05", "2023-12-20"},
        {"2023-11-30", "2024-03-01"}, {"2024-01-31", NULL},
        {NULL, "2024-02-14"},         {"2023", "2024-01-09"},
        {"2024-01-02", "2024"},       {"2024-03-01", "2023-12-01"},
        {"2023-12-01", "2024-02-29"}, {"2023-11-01", "2024-01-31"},
    };
    size_t nc = sizeof codes / sizeof codes[0];
    size_t nr = sizeof ranges / sizeof ranges[0];
    char *want[3][10][6];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            set_marker(target, "999999 1");
        casus_ctx *ctx = casus_ctx_new();
        casus_store *s;
        assert_int_equal(casus_store_open(ctx, target, CASUS_STORE_READONLY,
                                          &s), CASUS_OK);
        for (int q = 0; q < 3; q++)
            for (size_t r = 0; r < nr; r++)
                for (size_t k = 0; k < nc; k++) {
                    if (q == 2 && !codes[k])
                        continue;
                    const char *name = q == 0 ? "timeline" : q == 1 ? "dyads"
                                                                    : "actor";
                    char *a = run_query(ctx, s, name, q == 2 ? codes[k] : NULL,
                                        q == 2 ? NULL : codes[k],
                                        ranges[r][0], ranges[r][1]);
                    if (pass == 0) {
                        want[q][r][k] = a;
                        continue;
                    }
                    if (strcmp(a, want[q][r][k]))
                        print_message("%s %s %s..%s:\nmixed:\n%s\nevents:\n%s\n",
                                      name, codes[k] ? codes[k] : "",
                                      ranges[r][0] ? ranges[r][0] : "",
                                      ranges[r][1] ? ranges[r][1] : "",
                                      want[q][r][k], a);
                    assert_string_equal(a, want[q][r][k]);
                    free(a);
                    free(want[q][r][k]);
                }
        casus_store_close(s);
        casus_ctx_free(ctx);
    }
    set_marker(target, "");
}

/* Whole months (--from 2023-11, rollups) against the same range in days
 * (--from 2023-11-01, which reads the events table with the definitions of
 * schema version 1): the same rows, for every named query. */
static void check_rollups(const char *target)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, target, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    static const char *const codes[] = {"IRN", "IRNMIL", "I", "IR", "ISR",
                                        "USA", "IRNZ", "U"};
    static const char *const ranges[][4] = {
        {NULL, NULL, "1000-01-01", "9999-12-31"},
        {"2023-12", "2024-02", "2023-12-01", "2024-02-31"},
        {"2024", NULL, "2024-01-01", "9999-12-31"},
        {NULL, "2023", "1000-01-01", "2023-12-31"},
        {"2023-11", "2024-03", "2023-11-01", "2024-03-31"},
    };
    size_t nr = sizeof ranges / sizeof ranges[0];
    for (size_t r = 0; r < nr; r++) {
        const char *const *g = ranges[r];
        for (int q = 0; q < 3; q++) {
            for (size_t k = 0; k < 1 + sizeof codes / sizeof codes[0]; k++) {
                const char *code = k ? codes[k - 1] : NULL;
                if (q == 2 && !code)
                    continue;
                const char *name = q == 0 ? "timeline" : q == 1 ? "dyads"
                                                                : "actor";
                const char *arg = q == 2 ? code : NULL;
                const char *country = q == 2 ? NULL : code;
                char *a = run_query(ctx, s, name, arg, country, g[0], g[1]);
                char *b = run_query(ctx, s, name, arg, country, g[2], g[3]);
                if (strcmp(a, b))
                    print_message("%s %s %s %s..%s:\nrollup:\n%s\nevents:"
                                  "\n%s\n", name, arg ? arg : "",
                                  country ? country : "", g[0] ? g[0] : "",
                                  g[1] ? g[1] : "", a, b);
                assert_string_equal(a, b);
                assert_true(strlen(a) > 40 || q == 2 || country);
                free(a);
                free(b);
            }
        }
    }
    casus_store_close(s);
    casus_ctx_free(ctx);
}

/* Documents with events over five months, prefix-related codes (IRN,
 * IRNMIL, IRNZ, IRN~A, bytes above '~'), no target, an empty target, no
 * date. variant changes codes, dates and classes of every third document. */
static void put_varied_on(casus_store *s, casus_ctx *ctx, int variant,
                          int first, int n_docs)
{
    static const char *const codes[] = {"IRN", "IRNMIL", "IRNGOV", "ISR",
                                        "ISRMIL", "IRNZ", "IRN~A",
                                        "IRN\xc3\x89", "USA", "USAGOV",
                                        "IR", "U"};
    static const char *const cameos[] = {"190", "042", "111", "173", "010",
                                         "1831"};
    static const int quads[] = {4, 1, 3, 4, 1, 4};
    for (int d = first; d < first + n_docs; d++) {
        int v = variant && d % 3 == 0 ? variant : 0;
        int n = v && d % 9 == 0 ? 0 : 2 + (d + v) % 5;
        casus_event ev[8];
        for (int e = 0; e < n; e++) {
            int k = d * 7 + e * 3 + v * 5;
            ev[e] = make_event((size_t)e, codes[k % 12],
                               e % 4 == 3 ? NULL : e % 7 == 5 ? ""
                                          : codes[(k / 12 + e) % 12],
                               cameos[(k + e) % 6], 1 + (d * 5 + e + v) % 28);
            ev[e].quad_class = (uint8_t)quads[(k + e) % 6];
            ev[e].goldstein = (float)(e - 3);
            int m = (d + e + v) % 5;   /* 2023-11 .. 2024-03 */
            ev[e].date.year = (int16_t)(m < 2 ? 2023 : 2024);
            ev[e].date.month = (int8_t)(m < 2 ? 11 + m : m - 1);
            if ((d + e) % 17 == 16)
                ev[e].date.year = 0;   /* no date */
        }
        char id[32];
        snprintf(id, sizeof id, "v-%d", d);
        casus_store_doc doc = {id, NULL, NULL, {2024, 1, 1}};
        casus_status st = casus_store_put_events(s, &doc, ev, NULL, (size_t)n);
        if (st != CASUS_OK)
            print_message("%s\n", casus_ctx_message(ctx));
        assert_int_equal(st, CASUS_OK);
    }
}

static void put_varied(const char *target, int variant, int n_docs)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, target, 0, &s), CASUS_OK);
    casus_store_set_batch(s, 7, 0);
    put_varied_on(s, ctx, variant, 0, n_docs);
    casus_status st = casus_store_commit(s);
    if (st != CASUS_OK)
        print_message("%s\n", casus_ctx_message(ctx));
    assert_int_equal(st, CASUS_OK);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

static void check_postings(const char *t, int pg);

static void rollups(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 120);
    check_rollups(t);
    check_days(t);
    check_postings(t, pg);
    put_varied(t, 1, 120);      /* every third document replaced */
    check_rollups(t);
    check_days(t);
    check_postings(t, pg);
    put_varied(t, 2, 150);      /* replaced again, and new ones */
    check_rollups(t);
    put_varied(t, 0, 150);      /* back to the first coding */
    check_rollups(t);
}

BOTH_BACKENDS(rollups)

/* The deferred-rollup marker ('rollup_pending'), read on a new handle. */
static const char *pending(const char *t)
{
    static char out[64];
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    snprintf(out, sizeof out, "%s", q1(s, "SELECT value FROM casus_meta "
                                          "WHERE key = 'rollup_pending'"));
    casus_store_close(s);
    casus_ctx_free(ctx);
    return out;
}

/* Deferred rollups (version 6): a writing handle holds its deltas across
 * batches and the store says so; the named queries answer from the events
 * meanwhile; another writing open (as after a kill -9) settles the marker
 * from the events; the first handle then drops its deltas, and its later
 * batches (replacements among them) and commit keep the rollups exact. */
static void deferred(int pg)
{
    const char *t = fresh(pg);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *a;
    /* on the calling thread: the checks read between this handle's batches */
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_SYNC, &a), CASUS_OK);
    casus_store_set_batch(a, 7, 0);
    put_varied_on(a, ctx, 0, 0, 60);        /* 8 batches written, held */
    assert_true(strlen(pending(t)) > 0);
    check_rollups(t);                       /* from the events */

    casus_ctx *ctx2 = casus_ctx_new();
    casus_store *b;
    assert_int_equal(casus_store_open(ctx2, t, 0, &b), CASUS_OK);
    casus_store_close(b);
    casus_ctx_free(ctx2);
    assert_string_equal(pending(t), "");
    check_rollups(t);                       /* rollups vs events */

    put_varied_on(a, ctx, 1, 30, 60);       /* replaces 30..59, adds more */
    assert_int_equal(casus_store_commit(a), CASUS_OK);
    assert_string_equal(pending(t), "");
    check_rollups(t);
    put_varied_on(a, ctx, 0, 60, 40);       /* held again, written at close */
    casus_store_close(a);
    casus_ctx_free(ctx);
    assert_string_equal(pending(t), "");
    check_rollups(t);
}

BOTH_BACKENDS(deferred)

/* A version-1 store (version 2 without its rollups; in PostgreSQL also
 * with the foreign keys version 2 drops) is refused read-only, migrated
 * by the first writing open with its rollups filled from its events. */
static void migrate_v1(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 90);
    const char *down = "DROP TABLE rollup_actor; DROP TABLE rollup_dyad; "
                       "UPDATE casus_meta SET value = '1' WHERE key = "
                       "'schema_version'";
    if (pg) {
        PGconn *c = PQconnectdb(t);
        PGresult *r = PQexec(c, down);
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        r = PQexec(c, "ALTER TABLE events ADD FOREIGN KEY (doc_pk) "
                      "REFERENCES documents(doc_pk)");
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, down, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "needs migrating"));
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT value FROM casus_meta WHERE key = "
                              "'schema_version'"), "10");
    casus_store_close(s);
    casus_ctx_free(ctx);
    check_rollups(t);
    put_varied(t, 1, 90);       /* and it keeps them up to date */
    check_rollups(t);
}

BOTH_BACKENDS(migrate_v1)

/* A version-2 store (response links only between two events, both NOT
 * NULL) with a link row: the first writing open makes the event columns
 * optional, adds the document and the ids, and keeps the row with its
 * document taken from the trigger's event; links without events can then
 * be stored. */
static void migrate_v2(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 3);
    const char *down_sqlite =
        "DROP TABLE response_links; CREATE TABLE response_links (link_id INTEGER "
        "PRIMARY KEY, event_id BIGINT NOT NULL REFERENCES events(event_id), "
        "response_event_id BIGINT NOT NULL REFERENCES events(event_id), kind TEXT "
        "NOT NULL, lag_days INTEGER, run_id BIGINT NOT NULL); CREATE INDEX "
        "response_links_event ON response_links(event_id); CREATE INDEX "
        "response_links_response ON response_links(response_event_id); ";
    const char *down_pg =
        "DROP TABLE response_links; CREATE TABLE response_links (link_id BIGINT "
        "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, event_id BIGINT NOT NULL "
        "REFERENCES events(event_id), response_event_id BIGINT NOT NULL REFERENCES "
        "events(event_id), kind TEXT NOT NULL, lag_days INTEGER, run_id BIGINT NOT "
        "NULL); CREATE INDEX response_links_event ON response_links(event_id); "
        "CREATE INDEX response_links_response ON response_links(response_event_id); ";
    const char *row = "INSERT INTO response_links (event_id, response_event_id, kind, "
                      "lag_days, run_id) SELECT min(event_id), max(event_id), 'text:after', "
                      "5, 1 FROM events; UPDATE casus_meta SET value = '2' WHERE key = "
                      "'schema_version'";
    char sql[2048];
    snprintf(sql, sizeof sql, "%s%s", pg ? down_pg : down_sqlite, row);
    if (pg) {
        PGconn *c = PQconnectdb(t);
        PGresult *r = PQexec(c, sql);
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s), CASUS_EFORMAT);
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT value FROM casus_meta WHERE key = "
                              "'schema_version'"), "10");
    assert_string_equal(q1(s, "SELECT count(*) FROM response_links l JOIN events e ON "
                              "e.event_id = l.event_id WHERE l.doc_pk = e.doc_pk AND "
                              "l.kind = 'text:after' AND l.lag_days = 5 AND "
                              "l.trigger_ref = ''"), "1");
    /* a link of incidents, no event on either side */
    casus_event ev;
    memset(&ev, 0, sizeof ev);
    snprintf(ev.source.code, sizeof ev.source.code, "IRN");
    snprintf(ev.cameo, sizeof ev.cameo, "190");
    ev.date.year = 2024;
    ev.date.month = 1;
    ev.date.day = 16;
    casus_store_doc d = {"linkdoc", NULL, NULL, {2024, 1, 20}};
    casus_response l;
    memset(&l, 0, sizeof l);
    snprintf(l.trigger, sizeof l.trigger, "linkdoc#1");
    snprintf(l.response, sizeof l.response, "linkdoc#2");
    snprintf(l.responder, sizeof l.responder, "IRN");
    snprintf(l.basis, sizeof l.basis, "text:in response to");
    l.trigger_event = -1;
    l.response_event = 0;
    /* links belong to the document queued last: none yet */
    assert_int_equal(casus_store_put_links(s, &l, 1), CASUS_EINVAL);
    assert_int_equal(casus_store_put_events(s, &d, &ev, NULL, 1), CASUS_OK);
    assert_int_equal(casus_store_put_links(s, &l, 1), CASUS_OK);
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT l.trigger_ref || ' ' || l.response_ref || ' ' || "
                              "l.responder || ' ' || coalesce(l.lag_days, -1) || ' ' || "
                              "(l.event_id IS NULL) || ' ' || e.source_code FROM "
                              "response_links l JOIN events e ON e.event_id = "
                              "l.response_event_id JOIN documents d ON d.doc_pk = l.doc_pk "
                              "WHERE d.doc_id = 'linkdoc'"),
                        pg ? "linkdoc#1 linkdoc#2 IRN -1 true IRN"
                           : "linkdoc#1 linkdoc#2 IRN -1 1 IRN");
    casus_store_close(s);
    casus_ctx_free(ctx);
}

/* The forecast of actor (as the state unless exact) as of 2024-04-01, or
 * (latest) as of the day after its last event, the JSON it writes
 * (malloc'd). */
static char *forecast_json(const char *t, const char *actor, int exact,
                           int latest)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    capture c = {NULL, 0};
    casus_sink sink = {cap_write, &c};
    casus_store_forecast_opts o;
    memset(&o, 0, sizeof o);
    o.actor = actor;
    o.exact = exact;
    if (!latest) {
        o.as_of.year = 2024;
        o.as_of.month = 4;
        o.as_of.day = 1;
    }
    size_t n = 0;
    assert_int_equal(casus_store_forecast(s, &o, &sink, &n), CASUS_OK);
    assert_true(n > 0);
    assert_non_null(c.p);
    casus_store_close(s);
    casus_ctx_free(ctx);
    return c.p;
}

/* The actor postings (schema 8) name every event on each side it has a
 * code, in a posting whose dates cover the event's; and no index on events
 * is left by code. */
static void check_postings(const char *t, int pg)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    for (int side = 0; side < 2; side++) {
        char sql[600];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM events e WHERE %s IS NOT NULL AND NOT "
                 "EXISTS (SELECT 1 FROM event_actor a WHERE a.side = %d AND "
                 "a.code = e.%s AND a.event_id = e.event_id AND "
                 "(e.event_date IS NULL OR (a.first_date <= e.event_date AND "
                 "a.last_date >= e.event_date)))",
                 side ? "target_code" : "source_code", side,
                 side ? "target_code" : "source_code");
        assert_string_equal(q1(s, sql), "0");
    }
    assert_int_equal(atoi(q1(s, "SELECT count(*) FROM event_postings")) > 0, 1);
    assert_string_equal(q1(s, pg ? "SELECT count(*) FROM pg_indexes WHERE "
                                   "indexname IN ('events_source', "
                                   "'events_target')"
                                 : "SELECT count(*) FROM sqlite_master WHERE "
                                   "name IN ('events_source', "
                                   "'events_target')"), "0");
    casus_store_close(s);
    casus_ctx_free(ctx);
}

/* A store of version 4 (actor indexes on code and date) or 7 (the
 * covering actor indexes of version 5, no postings): the first writing
 * open writes the actor postings of the stored events and drops the actor
 * indexes; the forecasts (as of a day, and as of the last event) and the
 * named queries answer as before, and replacements after it keep the
 * postings complete. */
static void migrate_actors(int pg, int from)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 90);
    put_varied(t, 1, 90);       /* replaced documents: deleted events */
    char *before[3] = {forecast_json(t, "IRN", 0, 0),
                       forecast_json(t, "ISR", 1, 0),
                       forecast_json(t, "IRN", 0, 1)};
    char down[1000];
    snprintf(down, sizeof down,
             DOWN_V10 "DROP VIEW event_actor; DROP TABLE event_postings; "
             "CREATE INDEX events_source ON events(source_code, event_date%s); "
             "CREATE INDEX events_target ON events(target_code, event_date%s); "
             "UPDATE casus_meta SET value = '%d' WHERE key = 'schema_version'",
             from == 4 ? "" : pg ? ") INCLUDE (negated, target_code, "
                                   "root_code, cameo, doc_pk, event_id"
                                 : ", negated, target_code, root_code, cameo, "
                                   "doc_pk",
             from == 4 ? "" : pg ? ") INCLUDE (negated, source_code, "
                                   "root_code, cameo, doc_pk, event_id"
                                 : ", negated, source_code, root_code, cameo, "
                                   "doc_pk", from);
    if (pg) {
        PGconn *c = PQconnectdb(t);
        PGresult *r = PQexec(c, down);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            print_message("%s\n", PQresultErrorMessage(r));
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, down, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "needs migrating"));
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT value FROM casus_meta WHERE key = "
                              "'schema_version'"), "10");
    casus_store_close(s);
    casus_ctx_free(ctx);
    check_postings(t, pg);
    check_rollups(t);
    if (!pg) {
        /* The forecast reads the code's postings by index, then the
         * events by id: no scan of events. */
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
            "EXPLAIN QUERY PLAN SELECT event_date FROM events WHERE event_id "
            "IN (SELECT event_id FROM event_actor WHERE side = 0 AND code = "
            "'IRN' AND last_date >= '2023-04-01' AND first_date < "
            "'2024-04-01') AND source_code = 'IRN'", -1, &st, NULL),
            SQLITE_OK);
        int postings = 0, scan = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 3);
            postings |= strstr(d, "event_postings_code") != NULL;
            scan |= !strncmp(d, "SCAN e", 6) || !strcmp(d, "SCAN events");
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        assert_true(postings);
        assert_false(scan);
    }
    char *after[3] = {forecast_json(t, "IRN", 0, 0),
                      forecast_json(t, "ISR", 1, 0),
                      forecast_json(t, "IRN", 0, 1)};
    for (int k = 0; k < 3; k++) {
        assert_string_equal(before[k], after[k]);
        free(before[k]);
        free(after[k]);
    }
    put_varied(t, 2, 120);      /* it takes writes and replacements */
    check_postings(t, pg);
    check_rollups(t);
}

/* Runs sql on the store t (a SQLite path or a PostgreSQL URL). */
static void exec_sql(const char *t, int pg, const char *sql)
{
    if (pg) {
        PGconn *c = PQconnectdb(t);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            print_message("%s\n", PQresultErrorMessage(r));
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
}

/* Day bounds on the edges of months ("--from 2023-12-01 --to 2024-02-29",
 * a leap February) are whole months, which the rollups answer without
 * reading the events: with every event moved out of the range behind the
 * rollups' back (raw SQL), those answers still equal the month-bound ones,
 * while a bound inside a month reads the events and differs. */
static void edge_days(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 120);
    static const char *const q[][2] = {{"timeline", NULL}, {"dyads", NULL},
                                       {"dyads", "IRN"}, {"actor", "IRN"}};
    char *want[4];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            exec_sql(t, pg, "UPDATE events SET event_date = '1900-01-01'");
        casus_ctx *ctx = casus_ctx_new();
        casus_store *s;
        assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                         CASUS_OK);
        for (int k = 0; k < 4; k++) {
            int actor = !strcmp(q[k][0], "actor");
            const char *arg = actor ? q[k][1] : NULL;
            const char *country = actor ? NULL : q[k][1];
            if (pass == 0) {
                want[k] = run_query(ctx, s, q[k][0], arg, country, "2023-12",
                                    "2024-02");
                assert_true(strlen(want[k]) > 20);
                continue;
            }
            char *day = run_query(ctx, s, q[k][0], arg, country, "2023-12-01",
                                  "2024-02-29");
            assert_string_equal(day, want[k]);
            char *inside = run_query(ctx, s, q[k][0], arg, country,
                                     "2023-12-02", "2024-02-29");
            assert_string_not_equal(inside, want[k]);
            char *short_to = run_query(ctx, s, q[k][0], arg, country,
                                       "2023-12-01", "2024-02-28");
            assert_string_not_equal(short_to, want[k]);
            free(day);
            free(inside);
            free(short_to);
            free(want[k]);
        }
        casus_store_close(s);
        casus_ctx_free(ctx);
    }
}

BOTH_BACKENDS(edge_days)

/* A day bound reads the events of the partial months through the actor
 * postings or through events_date, whichever reads fewer rows by the
 * postings' counts (n). With every posting emptied behind the plan's back
 * (no ids) and its count made huge, the answers stay those of before (the
 * plan reads by date); with the counts made 0 they lose the edge months'
 * events (it reads the empty postings). The same while rollup sums are
 * pending (the events of the whole range). */
static void day_paths(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 120);
    static const char *const q[][3] = {
        {"timeline", NULL, "IRN"}, {"dyads", NULL, "IRN"},
        {"actor", "IRN", NULL},    {"timeline", NULL, "U"},
        {"dyads", NULL, "IRNMIL"}, {"actor", "ISR", NULL}};
    static const char *const ranges[][2] = {
        {"2023-11-15", "2024-02-10"}, {"2023-12-05", "2023-12-20"},
        {"2024-01-20", NULL},         {NULL, "2024-02-14"}};
    enum { NQ = 6, NR = 4 };
    char *want[2][NQ][NR];
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1)
            exec_sql(t, pg, pg ? "UPDATE event_postings SET n = 100000000, "
                                 "ids = '{}'"
                               : "UPDATE event_postings SET n = 100000000, "
                                 "ids = '[]'");
        if (pass == 2)
            exec_sql(t, pg, "UPDATE event_postings SET n = 0");
        for (int pend = 0; pend < 2; pend++) {
            set_marker(t, pend ? "999999 1" : "");
            casus_ctx *ctx = casus_ctx_new();
            casus_store *s;
            assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY,
                                              &s), CASUS_OK);
            int differ = 0;
            for (int k = 0; k < NQ; k++)
                for (int r = 0; r < NR; r++) {
                    char *a = run_query(ctx, s, q[k][0], q[k][1], q[k][2],
                                        ranges[r][0], ranges[r][1]);
                    if (pass == 0) {
                        assert_true(strlen(a) > 40);
                        want[pend][k][r] = a;
                        continue;
                    }
                    if (pass == 1)
                        assert_string_equal(a, want[pend][k][r]);
                    differ += strcmp(a, want[pend][k][r]) != 0;
                    if (pass == 2)
                        free(want[pend][k][r]);
                    free(a);
                }
            if (pass == 2)
                assert_int_equal(differ, NQ * NR);
            casus_store_close(s);
            casus_ctx_free(ctx);
        }
    }
    set_marker(t, "");
}

BOTH_BACKENDS(day_paths)

/* dyads over three months or more count the top dyads of all time first
 * (their month rows by key), as many as it takes to be sure of the top
 * `limit` of the range: the first rows equal those of the full count (a
 * limit above what that plan takes), for small limits, day and month
 * bounds, with and without a country. Then one dyad that has few events
 * of all time gets a million more in its month rows behind the rollups'
 * back: the full count puts it first, the top-dyads plan (which trusts the
 * all-time rows to bound any range) does not read it. */
static void dyads_top(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 120);
    put_varied(t, 1, 120);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    static const char *const codes[] = {NULL, "IRN", "U", "ISR"};
    static const char *const ranges[][2] = {
        {"2023-11", "2024-02"}, {"2023-12", NULL},   {NULL, "2024-02"},
        {"2023-11-15", "2024-03-10"}, {"2023-11-02", NULL},
        {"2023-12", "2024-03-30"}};
    static const size_t limits[] = {1, 2, 3, 5, 10};
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
            char *all = run_query_n(ctx, s, "dyads", NULL, codes[k],
                                    ranges[r][0], ranges[r][1], 100000);
            for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
                char *top = run_query_n(ctx, s, "dyads", NULL, codes[k],
                                        ranges[r][0], ranges[r][1],
                                        limits[l]);
                char *want = head_rows(all, limits[l]);
                if (strcmp(top, want))
                    print_message("dyads %s %s..%s --limit %zu\n",
                                  codes[k] ? codes[k] : "",
                                  ranges[r][0] ? ranges[r][0] : "",
                                  ranges[r][1] ? ranges[r][1] : "",
                                  limits[l]);
                assert_string_equal(top, want);
                free(top);
                free(want);
            }
            free(all);
        }
    char *before = run_query_n(ctx, s, "dyads", NULL, NULL, "2023-11",
                               "2024-02", 1);
    casus_store_close(s);
    exec_sql(t, pg, "UPDATE rollup_dyad SET n = n + 1000000 WHERE month >= "
             "'2023-11' AND month <= '2024-02' AND source || '/' || target = "
             "(SELECT source || '/' || target FROM rollup_dyad d WHERE month "
             "= '*' AND EXISTS (SELECT 1 FROM rollup_dyad e WHERE e.month >= "
             "'2023-11' AND e.month <= '2024-02' AND e.source = d.source AND "
             "e.target = d.target) ORDER BY n, source, target LIMIT 1)");
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    char *after = run_query_n(ctx, s, "dyads", NULL, NULL, "2023-11",
                              "2024-02", 1);
    char *all = run_query_n(ctx, s, "dyads", NULL, NULL, "2023-11",
                            "2024-02", 100000);
    char *first = head_rows(all, 1);
    assert_non_null(strstr(first, ",100"));
    assert_string_equal(after, before);
    assert_string_not_equal(first, before);
    free(first);
    free(all);
    free(after);
    free(before);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

BOTH_BACKENDS(dyads_top)

/* A range of nearly all of the store's months starts from fewer top dyads
 * of all time (twice the limit, not 20 times): with 2021-01 as the only
 * month outside --from 2021-02, of 39, the dyad fifth of all time,
 * tampered with in its month rows (raw SQL), is not counted for the top
 * two (the second of the range, 11 events, is above its 8); read from
 * every month row it comes first. */
static void dyads_few_cands(int pg)
{
    const char *t = fresh(pg);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    /* dyad i (i = 0..7) with 12 - i events over 2023-11 .. 2024-03 */
    static const char *const src[] = {"IRN", "ISR", "USA", "IRQ",
                                      "SYR", "TUR", "EGY", "JOR"};
    for (int i = 0; i < 8; i++) {
        casus_event ev[12];
        for (int e = 0; e < 12 - i; e++) {
            ev[e] = make_event((size_t)e, src[i], "UKR", "190", 1 + e);
            int m = e % 5;
            ev[e].date.year = (int16_t)(m < 2 ? 2023 : 2024);
            ev[e].date.month = (int8_t)(m < 2 ? 11 + m : m - 1);
        }
        char id[16];
        snprintf(id, sizeof id, "d-%d", i);
        casus_store_doc doc = {id, NULL, NULL, {2024, 1, 1}};
        assert_int_equal(casus_store_put_events(s, &doc, ev, NULL,
                                                (size_t)(12 - i)),
                         CASUS_OK);
    }
    casus_event ev = make_event(0, "TJK", "UZB", "190", 10);
    ev.date.year = 2021;
    casus_store_doc doc = {"early", NULL, NULL, {2021, 1, 10}};
    assert_int_equal(casus_store_put_events(s, &doc, &ev, NULL, 1), CASUS_OK);
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    casus_store_close(s);
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    char *before = run_query_n(ctx, s, "dyads", NULL, NULL, "2021-02", NULL,
                               2);
    char *all = run_query_n(ctx, s, "dyads", NULL, NULL, "2021-02", NULL,
                            100000);
    char *want = head_rows(all, 2);
    assert_string_equal(before, want);
    free(want);
    free(all);
    /* the second of the range above the fifth of all time */
    assert_true(atoi(q1(s, "SELECT n FROM rollup_dyad WHERE month = '*' "
                           "ORDER BY n DESC, source, target LIMIT 1 "
                           "OFFSET 1")) >
                atoi(q1(s, "SELECT n FROM rollup_dyad WHERE month = '*' "
                           "ORDER BY n DESC, source, target LIMIT 1 "
                           "OFFSET 4")));
    casus_store_close(s);
    exec_sql(t, pg, "UPDATE rollup_dyad SET n = n + 1000000 WHERE month > "
             "'*' AND source || '/' || target = (SELECT source || '/' || "
             "target FROM rollup_dyad WHERE month = '*' ORDER BY n DESC, "
             "source, target LIMIT 1 OFFSET 4)");
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    char *after = run_query_n(ctx, s, "dyads", NULL, NULL, "2021-02", NULL,
                              2);
    all = run_query_n(ctx, s, "dyads", NULL, NULL, "2021-02", NULL, 100000);
    char *first = head_rows(all, 1);
    assert_string_equal(after, before);
    assert_non_null(strstr(first, "\nSYR,UKR,"));
    assert_null(strstr(before, "SYR"));
    free(first);
    free(all);
    free(after);
    free(before);
    casus_store_close(s);
    casus_ctx_free(ctx);
}

BOTH_BACKENDS(dyads_few_cands)

/* Schema 9: the forecast reads its facts from the postings, and the
 * events of replaced documents stay there with a tombstone each. After
 * replacements (and writes after them) the forecasts are those of the same
 * store migrated from version 8, whose facts the migration writes from
 * the events left (no tombstone). */
static void tombstones(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 90);
    put_varied(t, 1, 90);       /* replaced documents: tombstones */
    put_varied(t, 2, 120);      /* and again, with new documents */
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    assert_true(atoi(q1(s, "SELECT count(*) FROM event_tombstones")) > 0);
    casus_store_close(s);
    casus_ctx_free(ctx);
    char *before[3] = {forecast_json(t, "IRN", 0, 0),
                       forecast_json(t, "ISR", 1, 0),
                       forecast_json(t, "IRN", 0, 1)};
    exec_sql(t, pg, DOWN_V10 "ALTER TABLE event_postings DROP COLUMN facts; "
                    "DROP TABLE event_tombstones; UPDATE casus_meta SET "
                    "value = '8' WHERE key = 'schema_version'");
    ctx = casus_ctx_new();
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT count(*) FROM event_tombstones"), "0");
    casus_store_close(s);
    casus_ctx_free(ctx);
    char *after[3] = {forecast_json(t, "IRN", 0, 0),
                      forecast_json(t, "ISR", 1, 0),
                      forecast_json(t, "IRN", 0, 1)};
    for (int k = 0; k < 3; k++) {
        assert_string_equal(before[k], after[k]);
        free(before[k]);
        free(after[k]);
    }
    check_postings(t, pg);
}

BOTH_BACKENDS(tombstones)

/* Without tombstones the forecast's "as of" (the day after the actor's
 * last event) comes from the postings: their greatest last date, when
 * their facts hold an event of that date, without reading the events.
 * With the last date's events moved away behind the postings' back (raw
 * SQL), the forecasts stay those of before (a reader of the events would
 * find an earlier last day); with a tombstone in the store the events are
 * read again and the forecasts change. */
static void forecast_last_day(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 120);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    casus_store_doc d = {"last", NULL, NULL, {2024, 4, 10}};
    casus_event ev = make_event(0, "IRN", "ISR", "190", 10);
    ev.date.month = 4;   /* after every other event */
    assert_int_equal(casus_store_put_events(s, &d, &ev, NULL, 1), CASUS_OK);
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    casus_store_close(s);
    casus_ctx_free(ctx);
    char *before[2] = {forecast_json(t, "IRN", 0, 1),
                       forecast_json(t, "ISR", 1, 1)};
    assert_non_null(strstr(before[0], "\"as_of\":\"2024-04-11\""));
    exec_sql(t, pg, "UPDATE events SET event_date = '2000-01-01' WHERE "
                    "event_date = '2024-04-10'");
    for (int k = 0; k < 2; k++) {
        char *now = forecast_json(t, k ? "ISR" : "IRN", k, 1);
        assert_string_equal(now, before[k]);
        free(now);
    }
    exec_sql(t, pg, "INSERT INTO event_tombstones (event_id, below_posting) "
                    "VALUES (-1, 1)");
    for (int k = 0; k < 2; k++) {
        char *now = forecast_json(t, k ? "ISR" : "IRN", k, 1);
        assert_string_not_equal(now, before[k]);
        free(now);
        free(before[k]);
    }
}

BOTH_BACKENDS(forecast_last_day)

/* What the readers of the postings answer, as one text: the named queries
 * with day bounds (they read the events through the postings) and the
 * forecasts (from the postings' facts, less the tombstones). */
static char *postings_answers(const char *t)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s), CASUS_OK);
    static const char *const codes[] = {"IRN", "IRNMIL", "ISR", "USA", "IR", "U"};
    char *all = strdup("");
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        for (int q = 0; q < 3; q++) {
            char *a = run_query(ctx, s, q == 0 ? "timeline" : q == 1 ? "dyads" : "actor",
                                q == 2 ? codes[k] : NULL, q == 2 ? NULL : codes[k],
                                "2023-11-02", "2024-03-30");
            all = realloc(all, strlen(all) + strlen(a) + 1);
            strcat(all, a);
            free(a);
        }
    casus_store_close(s);
    casus_ctx_free(ctx);
    char *f[3] = {forecast_json(t, "IRN", 0, 0), forecast_json(t, "ISR", 1, 0),
                  forecast_json(t, "IRN", 0, 1)};
    for (int k = 0; k < 3; k++) {
        all = realloc(all, strlen(all) + strlen(f[k]) + 1);
        strcat(all, f[k]);
        free(f[k]);
    }
    return all;
}

/* Compaction drops the dead ids from the postings and the tombstones, in
 * one transaction; the readers answer the same; the postings then hold
 * exactly the live events, and writes after it keep them right. */
static void compaction(int pg)
{
    const char *t = fresh(pg);
    put_varied(t, 0, 90);
    put_varied(t, 1, 90);       /* replaced documents: tombstones */
    put_varied(t, 2, 120);      /* again, with new documents */
    put_varied(t, 0, 120);      /* and back */
    char *before = postings_answers(t);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    casus_store_compaction k;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s), CASUS_OK);
    assert_int_equal(casus_store_compact(s, &k), CASUS_EINVAL);
    casus_store_close(s);
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    int tombs = atoi(q1(s, "SELECT count(*) FROM event_tombstones"));
    int ids = atoi(q1(s, "SELECT sum(n) FROM event_postings"));
    int postings = atoi(q1(s, "SELECT count(*) FROM event_postings"));
    int live = atoi(q1(s, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM "
                          "events WHERE target_code IS NOT NULL)"));
    assert_true(tombs > 0);
    assert_true(ids > live);
    casus_status st = casus_store_compact(s, &k);
    if (st != CASUS_OK)
        print_message("%s\n", casus_ctx_message(ctx));
    assert_int_equal(st, CASUS_OK);
    assert_int_equal((int)k.tombstones, tombs);
    assert_int_equal((int)k.ids, ids - live);
    assert_true(k.postings > 0);
    assert_string_equal(q1(s, "SELECT count(*) FROM event_tombstones"), "0");
    assert_int_equal(atoi(q1(s, "SELECT sum(n) FROM event_postings")), live);
    assert_int_equal(atoi(q1(s, "SELECT count(*) FROM event_postings")),
                     postings - (int)k.postings_deleted);
    /* nothing left to do */
    assert_int_equal(casus_store_compact(s, &k), CASUS_OK);
    assert_int_equal((int)(k.tombstones + k.postings + k.ids), 0);
    casus_store_close(s);
    casus_ctx_free(ctx);
    char *after = postings_answers(t);
    assert_string_equal(before, after);
    free(before);
    free(after);
    check_postings(t, pg);
    /* replacements after it: the readers still agree with the events */
    put_varied(t, 1, 150);
    check_rollups(t);
    check_days(t);
    check_postings(t, pg);
}

BOTH_BACKENDS(compaction)

static void migrate_v4(int pg)
{
    migrate_actors(pg, 4);
}

static void migrate_v7(int pg)
{
    migrate_actors(pg, 7);
}

BOTH_BACKENDS(migrate_v7)

BOTH_BACKENDS(migrate_v4)

BOTH_BACKENDS(migrate_v2)

/* ---------------------------------------------------------------- incidents */

typedef struct inc_run {
    casus_ctx *ctx;
    casus_models *m;
    casus_dicts *d;
    casus_incidents *set;
    casus_doc *doc;
    casus_store *s;
} inc_run;

static int inc_open(inc_run *r, const char *target)
{
    memset(r, 0, sizeof *r);
    r->ctx = casus_ctx_new();
    if (casus_models_load(r->ctx, "data/models", &r->m) != CASUS_OK) {
        casus_ctx_free(r->ctx);
        return 0;
    }
    assert_int_equal(casus_dicts_load(r->ctx, "data/dictionaries", &r->d), CASUS_OK);
    assert_int_equal(casus_incidents_new(r->ctx, r->d, NULL, &r->set), CASUS_OK);
    r->doc = casus_doc_new(r->ctx);
    assert_int_equal(casus_store_open(r->ctx, target, 0, &r->s), CASUS_OK);
    return 1;
}

/* A fresh store (fresh) opened by inc_open; NULL, with the skip said,
 * when there are no models. */
static const char *inc_begin(inc_run *r, int pg)
{
    const char *t = fresh(pg);
    if (!inc_open(r, t)) {
        print_message("skip: no models in data/models\n");
        return NULL;
    }
    return t;
}

/* The incidents query of country C over [from, to] (JSON) holds has and,
 * unless lacks is NULL, not lacks. */
static void inc_query_has(inc_run *r, const char *c, const char *from, const char *to,
                          const char *has, const char *lacks)
{
    char *js = run_query_fmt(r->ctx, r->s, "incidents", NULL, c, from, to, 0,
                             CASUS_TABLE_JSON);
    assert_non_null(strstr(js, has));
    if (lacks)
        assert_null(strstr(js, lacks));
    free(js);
}

static void inc_close(inc_run *r)
{
    casus_store_close(r->s);
    casus_doc_free(r->doc);
    casus_incidents_free(r->set);
    casus_dicts_free(r->d);
    casus_models_free(r->m);
    casus_ctx_free(r->ctx);
}

/* As casus code --db: the document, then the incidents it reports. */
static void inc_add(inc_run *r, const char *id, const char *date, const char *text)
{
    doc_reset(r->doc);
    assert_int_equal(buf_append(r->ctx, &r->doc->raw, text, strlen(text)), CASUS_OK);
    assert_int_equal(buf_puts(r->ctx, &r->doc->id, id), CASUS_OK);
    assert_int_equal(casus_date_parse(date, strlen(date), &r->doc->date), CASUS_OK);
    assert_int_equal(casus_doc_analyze(r->doc), CASUS_OK);
    assert_int_equal(casus_doc_parse(r->doc, r->m), CASUS_OK);
    assert_int_equal(casus_incidents_add(r->set, r->doc), CASUS_OK);
    assert_int_equal(casus_store_put_document(r->s, r->doc, NULL, 0), CASUS_OK);
    assert_int_equal(casus_store_put_incidents(r->s, r->set), CASUS_OK);
}

static const char *const inc_a =
    "A suicide bomber killed 12 people at a market in Zahedan on 3 May 2019. "
    "Islamic State claimed the attack.";
static const char *const inc_b =
    "At least 14 people were killed when a suicide bomber struck a market in "
    "Zahedan on 3 May 2019.";
static const char *const inc_c = "Gunmen killed 4 police officers in Quetta on 2 June 2019.";


/* Every incident row's counts (schema 10) are those of its evidence, and
 * the counts of ref are docs and sentences ("" for no check). */
static void check_inc_counts(casus_store *s, const char *ref, const char *want)
{
    assert_string_equal(q1(s, "SELECT count(*) FROM incidents i WHERE n_documents <> "
                              "(SELECT count(DISTINCT e.doc_pk) FROM incident_evidence e "
                              "WHERE e.incident_pk = i.incident_pk) OR n_evidence <> "
                              "(SELECT count(*) FROM incident_evidence e WHERE "
                              "e.incident_pk = i.incident_pk)"),
                        "0");
    if (*ref) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT n_documents || ' ' || n_evidence FROM "
                 "incidents WHERE incident_ref = '%s'", ref);
        assert_string_equal(q1(s, sql), want);
    }
}

/* Incidents stored with their evidence: one row for the incident two
 * documents report, idempotent, a changed document replacing its own. */
static void incidents(int pg)
{
    inc_run r;
    const char *t = inc_begin(&r, pg);
    if (!t)
        return;
    /* incidents belong to the document queued last: none yet */
    assert_int_equal(casus_store_put_incidents(r.s, r.set), CASUS_EINVAL);
    inc_add(&r, "x-a", "2019-05-20", inc_a);
    inc_add(&r, "x-b", "2019-05-21", inc_b);
    inc_add(&r, "x-c", "2019-06-21", inc_c);
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    casus_store_stats st;
    casus_store_stats_get(r.s, &st);
    assert_int_equal(st.incidents, 3);   /* x-a#1 twice, x-c#1 */
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incidents"), "2");
    assert_string_equal(q1(r.s, "SELECT i.country || ' ' || i.location || ' ' || "
                                "i.start_date || ' ' || i.killed_min || ' ' || "
                                "coalesce(i.killed_max, -1) || ' ' || i.method || ' ' || "
                                "count(DISTINCT e.doc_pk) || ' ' || count(*) FROM "
                                "incidents i JOIN incident_evidence e ON e.incident_pk = "
                                "i.incident_pk WHERE i.incident_ref = 'x-a#1' GROUP BY "
                                "i.country, i.location, i.start_date, i.killed_min, "
                                "i.killed_max, i.method"),
                        "IRN Zahedan 2019-05-03 14 -1 suicide-attack 2 3");
    check_inc_counts(r.s, "x-a#1", "2 3");
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incidents WHERE incident_ref = "
                                "'x-a#1' AND perpetrators LIKE '%\"code\":\"IMGMUSISI\","
                                "\"status\":\"claimed\"%'"),
                        "1");
    inc_query_has(&r, "PAK", "2019-06", "2019-06",
                  "\"incident\":\"x-c#1\",\"start_date\":\"2019-06-02\"", "x-a#1");
    /* the query prints the row's counts */
    inc_query_has(&r, "IRN", NULL, NULL, "\"documents\":2,\"evidence\":3}", NULL);
    inc_close(&r);

    /* the same documents again: nothing written */
    assert_true(inc_open(&r, t));
    inc_add(&r, "x-a", "2019-05-20", inc_a);
    inc_add(&r, "x-b", "2019-05-21", inc_b);
    inc_add(&r, "x-c", "2019-06-21", inc_c);
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    casus_store_stats_get(r.s, &st);
    assert_int_equal(st.docs_unchanged, 3);
    assert_int_equal(st.incidents, 0);
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incident_evidence"), "4");
    inc_close(&r);

    /* x-b reports no attack now, x-c another one: x-a#1 keeps x-a's
     * evidence, x-c#1 is replaced by x-c's new incident (same id, new row) */
    assert_true(inc_open(&r, t));
    inc_add(&r, "x-a", "2019-05-20", inc_a);
    inc_add(&r, "x-b", "2019-05-21", "The weather was fine in Zahedan.");
    inc_add(&r, "x-c", "2019-06-21", "Gunmen killed 2 soldiers in Mosul on 9 June 2019.");
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    casus_store_stats_get(r.s, &st);
    assert_int_equal(st.docs_replaced, 2);
    assert_string_equal(q1(r.s, "SELECT count(DISTINCT e.doc_pk) || ' ' || count(*) FROM "
                                "incident_evidence e JOIN incidents i ON i.incident_pk = "
                                "e.incident_pk WHERE i.incident_ref = 'x-a#1'"),
                        "1 2");
    check_inc_counts(r.s, "x-a#1", "1 2");
    assert_string_equal(q1(r.s, "SELECT location || ' ' || country FROM incidents WHERE "
                                "incident_ref = 'x-c#1'"),
                        "Mosul IRQ");
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incidents"), "2");
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incident_evidence e WHERE NOT EXISTS "
                                "(SELECT 1 FROM incidents i WHERE i.incident_pk = "
                                "e.incident_pk)"),
                        "0");
    inc_close(&r);
}

BOTH_BACKENDS(incidents)

/* A record as a generator gives it (casus_incidents_add_records). */
static casus_incident gen_rec(const char *place, const char *country, const char *date,
                              const casus_incident_evidence *ev, size_t n_ev)
{
    casus_incident x;
    memset(&x, 0, sizeof x);
    assert_int_equal(casus_date_parse(date, strlen(date), &x.date_start), CASUS_OK);
    x.date_end = x.date_start;
    snprintf(x.date_precision, sizeof x.date_precision, "day");
    x.has_location = 1;
    snprintf(x.location_name, sizeof x.location_name, "%s", place);
    snprintf(x.location_country, sizeof x.location_country, "%s", country);
    snprintf(x.location_precision, sizeof x.location_precision, "city");
    snprintf(x.method, sizeof x.method, "bombing");
    x.killed.min = x.killed.max = 12;
    x.injured.min = x.injured.max = CASUS_COUNT_NONE;
    x.casualties.min = x.casualties.max = CASUS_COUNT_NONE;
    x.evidence = ev;
    x.n_evidence = n_ev;
    return x;
}

/* Given incident records (store_bench's path): stored as the coder's are,
 * merged across documents by the rule, bad records refused whole. */
static void incident_records(int pg)
{
    inc_run r;
    const char *t = inc_begin(&r, pg);
    if (!t)
        return;
    casus_date d1 = {2019, 5, 4}, d2 = {2019, 6, 3};
    casus_incident_evidence ev[3] = {{0, 0, 0, 50}, {0, 2, 100, 150}, {0, 2, 100, 150}};
    casus_incident a = gen_rec("Zahedan", "IRN", "2019-05-03", ev, 3);
    casus_incident b = gen_rec("Quetta", "PAK", "2019-06-02", ev, 1);
    casus_incident bad[3];
    /* bad input: no document id, no date, an unknown place, a place of
     * another country; nothing of the document is added */
    assert_int_equal(casus_incidents_add_records(r.set, NULL, d1, &a, 1), CASUS_EINVAL);
    assert_int_equal(casus_incidents_add_records(r.set, "", d1, &a, 1), CASUS_EINVAL);
    bad[0] = a;
    bad[1] = a;
    memset(&bad[1].date_start, 0, sizeof bad[1].date_start);
    assert_int_equal(casus_incidents_add_records(r.set, "g-x", d1, bad, 2), CASUS_EINVAL);
    assert_non_null(strstr(casus_ctx_message(r.ctx), "record 2 of g-x: no date"));
    bad[1] = gen_rec("Xyzzyville", "IRN", "2019-05-03", ev, 1);
    assert_int_equal(casus_incidents_add_records(r.set, "g-x", d1, bad, 2), CASUS_EINVAL);
    bad[1] = gen_rec("Zahedan", "PAK", "2019-05-03", ev, 1);
    assert_int_equal(casus_incidents_add_records(r.set, "g-x", d1, bad, 2), CASUS_EINVAL);
    assert_int_equal(casus_incidents_count(r.set), 0);

    casus_store_doc da = {"g-a", NULL, NULL, d1}, db = {"g-b", NULL, NULL, d1},
                    dc = {"g-c", NULL, NULL, d2};
    assert_int_equal(casus_store_put_events(r.s, &da, NULL, NULL, 0), CASUS_OK);
    assert_int_equal(casus_incidents_add_records(r.set, "g-a", d1, &a, 1), CASUS_OK);
    assert_int_equal(casus_store_put_incidents(r.s, r.set), CASUS_OK);
    /* g-b re-reports g-a's incident: one row, two documents */
    assert_int_equal(casus_store_put_events(r.s, &db, NULL, NULL, 0), CASUS_OK);
    assert_int_equal(casus_incidents_add_records(r.set, "g-b", d1, &a, 1), CASUS_OK);
    assert_int_equal(casus_store_put_incidents(r.s, r.set), CASUS_OK);
    assert_int_equal(casus_store_put_events(r.s, &dc, NULL, NULL, 0), CASUS_OK);
    assert_int_equal(casus_incidents_add_records(r.set, "g-c", d2, &b, 1), CASUS_OK);
    assert_int_equal(casus_store_put_incidents(r.s, r.set), CASUS_OK);
    assert_int_equal(casus_incidents_count(r.set), 2);
    assert_string_equal(casus_incidents_get(r.set, 1)->id, "g-c#1");
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incidents"), "2");
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incident_reports"), "3");
    /* one evidence row a sentence: g-a's 2, g-b's 2, g-c's 1 */
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incident_evidence"), "5");
    check_inc_counts(r.s, "g-a#1", "2 4");
    check_inc_counts(r.s, "g-c#1", "1 1");
    assert_string_equal(q1(r.s, "SELECT country || ' ' || location || ' ' || start_date || "
                                "' ' || killed_min || ' ' || method FROM incidents WHERE "
                                "incident_ref = 'g-a#1'"),
                        "IRN Zahedan 2019-05-03 12 bombing");
    /* no lat/lon given: the gazetteer's */
    assert_string_equal(q1(r.s, "SELECT count(*) FROM incidents WHERE latitude > 20 AND "
                                "longitude > 50"),
                        "2");
    inc_query_has(&r, "PAK", "2019-06-01", "2019-06-30",
                  "\"incident\":\"g-c#1\",\"start_date\":\"2019-06-02\"", "g-a#1");
    inc_close(&r);

    /* a store of version 9 (no counts on the rows): refused read-only,
     * counted from the evidence by the migration */
    exec_sql(t, pg, DOWN_V10 "UPDATE casus_meta SET value = '9' WHERE key = "
                    "'schema_version'");
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, t, CASUS_STORE_READONLY, &s), CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "needs migrating"));
    assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
    assert_string_equal(q1(s, "SELECT value FROM casus_meta WHERE key = 'schema_version'"),
                        "10");
    check_inc_counts(s, "g-a#1", "2 4");
    check_inc_counts(s, "g-c#1", "1 1");
    casus_store_close(s);
    casus_ctx_free(ctx);
}

BOTH_BACKENDS(incident_records)

/* The columns an incident row shares with a report, as one text (NULL as
 * "-"), of the row FROM-WHERE selects. */
static const char *inc_cols(casus_store *s, const char *from)
{
    static char out[2][256];
    static int k;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(start_date, '-') || ' ' || coalesce(end_date, '-') || ' ' || "
             "coalesce(date_precision, '-') || ' ' || coalesce(country, '-') || ' ' || "
             "coalesce(location, '-') || ' ' || coalesce(method, '-') || ' ' || "
             "coalesce(killed_min, -1) || ' ' || coalesce(killed_max, -1) || ' ' || "
             "coalesce(injured_min, -1) || ' ' || coalesce(injured_max, -1) || ' ' || "
             "coalesce(latitude, 0) || ' ' || perpetrators || ' ' || targets FROM %s",
             from);
    k ^= 1;
    snprintf(out[k], sizeof out[k], "%s", q1(s, sql));
    return out[k];
}

/* A document that no longer reports a shared incident: the incident's row
 * is the merge of the reports left (not the old merge with its figures),
 * and an incident with no report left goes with its evidence. */
static void incident_remerge(int pg)
{
    inc_run r;
    const char *t = inc_begin(&r, pg);
    if (!t)
        return;
    inc_add(&r, "x-a", "2019-05-20", inc_a);
    inc_add(&r, "x-b", "2019-05-21", inc_b);
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    assert_string_equal(q1(r.s, "SELECT killed_min || ' ' || coalesce(killed_max, -1) FROM "
                                "incidents WHERE incident_ref = 'x-a#1'"),
                        "14 -1");
    inc_close(&r);

    /* x-b reports no attack now: x-a#1 is x-a's report alone */
    assert_true(inc_open(&r, t));
    inc_add(&r, "x-b", "2019-05-21", "The weather was fine in Zahedan.");
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    assert_string_equal(q1(r.s, "SELECT killed_min || ' ' || coalesce(killed_max, -1) FROM "
                                "incidents WHERE incident_ref = 'x-a#1'"),
                        "12 12");
    const char *row = inc_cols(r.s, "incidents WHERE incident_ref = 'x-a#1'");
    const char *rep = inc_cols(r.s, "incident_reports WHERE doc_pk = (SELECT doc_pk FROM "
                                    "documents WHERE doc_id = 'x-a')");
    check_inc_counts(r.s, "", "");
    assert_string_not_equal(row, "");
    assert_string_equal(row, rep);
    assert_string_equal(q1(r.s, "SELECT count(*) || ' ' || count(DISTINCT doc_pk) FROM "
                                "incident_reports"),
                        "1 1");
    assert_string_equal(q1(r.s, "SELECT count(DISTINCT e.doc_pk) FROM incident_evidence e "
                                "JOIN incidents i ON i.incident_pk = e.incident_pk"),
                        "1");
    inc_close(&r);

    /* x-b reports it again, coded alone (as casus code --db seeds the set
     * from the store): the merge of both reports, as in one run */
    assert_true(inc_open(&r, t));
    assert_int_equal(casus_store_seed_incidents(r.s, r.set), CASUS_OK);
    inc_add(&r, "x-b", "2019-05-21", inc_b);
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    assert_string_equal(q1(r.s, "SELECT killed_min || ' ' || coalesce(killed_max, -1) || ' ' "
                                "|| (SELECT count(*) FROM incident_reports) FROM incidents "
                                "WHERE incident_ref = 'x-a#1'"),
                        "14 -1 2");
    check_inc_counts(r.s, "", "");
    inc_close(&r);

    /* neither reports it: it goes, with its evidence and reports */
    assert_true(inc_open(&r, t));
    inc_add(&r, "x-a", "2019-05-20", "Markets were busy in Zahedan.");
    inc_add(&r, "x-b", "2019-05-21", "The weather was fine in Zahedan.");
    assert_int_equal(casus_store_commit(r.s), CASUS_OK);
    assert_string_equal(q1(r.s, "SELECT (SELECT count(*) FROM incidents) || ' ' || (SELECT "
                                "count(*) FROM incident_evidence) || ' ' || (SELECT count(*) "
                                "FROM incident_reports)"),
                        "0 0 0");
    inc_close(&r);
}

BOTH_BACKENDS(incident_remerge)

/* ------------------------------------------------------------ rollup merge */

/* Adds event i of a fixed pseudo-random set to r (+1). */
static void add_nth(store_rollup *r, unsigned i)
{
    static const char *const codes[] = {"IRN", "IRNMIL", "ISR", "USA", "SYRREB",
                                        "IR", "IRNZ"};
    unsigned x = i * 2654435761u;
    char date[11];
    snprintf(date, sizeof date, "2024-%02u-%02u", 1 + (x >> 3) % 4, 1 + (x >> 7) % 28);
    const char *src = codes[(x >> 11) % 7], *tgt = (x >> 15) % 5 ? codes[(x >> 18) % 7] : NULL;
    int quad = 1 + (int)((x >> 21) % 4);
    assert_int_equal(store_rollup_add(r, (x >> 25) % 9 ? date : "", src, tgt, quad,
                                      quad >= 3 ? -10.0 : 1.5, 1), CASUS_OK);
}

/* store_rollup_merge (the writer's use of a batch's deltas, summed on the
 * caller's thread): merging the deltas of events into those of others
 * gives the deltas of all the events added one by one. */
static void test_rollup_merge(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    store_rollup all, part, rest, empty;
    memset(&all, 0, sizeof all);
    all.ctx = ctx;
    part = rest = empty = all;
    for (unsigned i = 0; i < 3000; i++) {
        add_nth(&all, i);
        add_nth(i < 1200 ? &part : &rest, i);
    }
    assert_int_equal(store_rollup_merge(&part, &rest), CASUS_OK);
    assert_int_equal(store_rollup_merge(&empty, &all), CASUS_OK);
    store_rollup *v[2] = {&part, &empty};
    store_rollup_sort(&all);
    for (int k = 0; k < 2; k++) {
        store_rollup *m = v[k];
        store_rollup_sort(m);
        assert_int_equal(m->n_a, all.n_a);
        assert_int_equal(m->n_d, all.n_d);
        for (size_t i = 0; i < all.n_a; i++) {
            assert_string_equal(m->a[i].actor, all.a[i].actor);
            assert_string_equal(m->a[i].month, all.a[i].month);
            assert_int_equal(m->a[i].side, all.a[i].side);
            assert_int_equal(m->a[i].quad, all.a[i].quad);
            assert_int_equal(m->a[i].common, all.a[i].common);
            assert_int_equal(m->a[i].n, all.a[i].n);
            assert_int_equal(m->a[i].removed, 0);
        }
        for (size_t i = 0; i < all.n_d; i++) {
            const rollup_dkey *x = &m->d[i], *y = &all.d[i];
            assert_string_equal(x->month, y->month);
            assert_string_equal(x->source, y->source);
            assert_string_equal(x->target, y->target);
            assert_int_equal(x->n, y->n);
            assert_int_equal(x->conflict, y->conflict);
            assert_true(x->goldstein == y->goldstein);   /* halves: exact */
            assert_string_equal(x->first, y->first);
            assert_string_equal(x->last, y->last);
            assert_int_equal(x->removed, 0);
        }
    }
    store_rollup_free(&all);
    store_rollup_free(&part);
    store_rollup_free(&rest);
    store_rollup_free(&empty);
    casus_ctx_free(ctx);
}

/* ------------------------------------------------------------ pipeline */

/* Puts documents p0..p59 (one event each) in batches of 7 until a put or
 * the commit fails; returns the index of the failed put (60: the commit). */
static int put_until_failure(casus_ctx *ctx, casus_store *s)
{
    casus_store_set_batch(s, 7, 0);
    for (int i = 0; i < 60; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i);
        casus_store_doc d = {id, NULL, NULL, {2024, 1, (int8_t)(1 + i % 28)}};
        casus_event ev = make_event(0, i % 2 ? "IRN" : "ISRMIL", "USA", "190",
                                    1 + i % 28);
        if (casus_store_put_events(s, &d, &ev, NULL, 1) != CASUS_OK) {
            assert_non_null(strstr(casus_ctx_message(ctx), "boom"));
            return i;
        }
    }
    assert_int_not_equal(casus_store_commit(s), CASUS_OK);
    assert_non_null(strstr(casus_ctx_message(ctx), "boom"));
    return 60;
}

/* Puts p0..p59 as put_until_failure does, with no failure, and commits. */
static void put_all(casus_store *s)
{
    casus_store_set_batch(s, 7, 0);
    for (int i = 0; i < 60; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i);
        casus_store_doc d = {id, NULL, NULL, {2024, 1, (int8_t)(1 + i % 28)}};
        casus_event ev = make_event(0, i % 2 ? "IRN" : "ISRMIL", "USA", "190",
                                    1 + i % 28);
        assert_int_equal(casus_store_put_events(s, &d, &ev, NULL, 1), CASUS_OK);
    }
    assert_int_equal(casus_store_commit(s), CASUS_OK);
}

/* Pipelined writes (store.c): a full batch is written on the store's
 * thread while the next one fills, so the failure of a batch (here the one
 * of p35..p41: a trigger refuses p37) comes back from the next flush, at
 * p49, and that batch is dropped with it: the store holds p0..p34, whole
 * batches only, and re-running the corpus completes it. CASUS_STORE_SYNC
 * writes on the caller's thread: the failure comes back at p42. */
static void pipeline(int pg)
{
    for (int sync = 0; sync < 2; sync++) {
        const char *t = fresh(pg);
        casus_ctx *ctx = casus_ctx_new();
        casus_store *s;
        assert_int_equal(casus_store_open(ctx, t, 0, &s), CASUS_OK);
        casus_store_close(s);
        exec_sql(t, pg, pg ? "CREATE FUNCTION boom() RETURNS trigger AS $$ "
                            "BEGIN IF NEW.doc_id = 'p37' THEN RAISE "
                            "EXCEPTION 'boom'; END IF; RETURN NEW; END $$ "
                            "LANGUAGE plpgsql; CREATE TRIGGER boom BEFORE "
                            "INSERT ON documents FOR EACH ROW EXECUTE "
                            "FUNCTION boom()"
                          : "CREATE TRIGGER boom BEFORE INSERT ON documents "
                            "WHEN NEW.doc_id = 'p37' BEGIN SELECT "
                            "RAISE(ABORT, 'boom'); END");
        assert_int_equal(casus_store_open(ctx, t, sync ? CASUS_STORE_SYNC : 0,
                                          &s), CASUS_OK);
        assert_int_equal(put_until_failure(ctx, s), sync ? 42 : 49);
        /* the handle stays usable: its reads see the committed batches */
        assert_string_equal(q1(s, "SELECT count(*) || ' ' || sum(CASE WHEN "
                                  "CAST(substr(doc_id, 2) AS INTEGER) < 35 "
                                  "THEN 1 ELSE 0 END) FROM documents"),
                            "35 35");
        assert_string_equal(q1(s, "SELECT count(*) FROM events"), "35");
        casus_store_close(s);
        check_rollups(t);
        exec_sql(t, pg, pg ? "DROP TRIGGER boom ON documents; DROP FUNCTION "
                            "boom()" : "DROP TRIGGER boom");
        assert_int_equal(casus_store_open(ctx, t, sync ? CASUS_STORE_SYNC : 0,
                                          &s), CASUS_OK);
        put_all(s);
        casus_store_stats st;
        casus_store_stats_get(s, &st);
        assert_int_equal(st.docs_added, 25);
        assert_int_equal(st.docs_unchanged, 35);
        casus_store_close(s);
        check_rollups(t);
        casus_ctx_free(ctx);
    }
}

BOTH_BACKENDS(pipeline)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_idempotent),
        cmocka_unit_test(test_sqlite_bad_stores),
        cmocka_unit_test(test_store_oom),
        cmocka_unit_test(test_pg_idempotent),
        cmocka_unit_test(test_sqlite_rollups),
        cmocka_unit_test(test_pg_rollups),
        cmocka_unit_test(test_sqlite_edge_days),
        cmocka_unit_test(test_pg_edge_days),
        cmocka_unit_test(test_sqlite_day_paths),
        cmocka_unit_test(test_pg_day_paths),
        cmocka_unit_test(test_sqlite_dyads_top),
        cmocka_unit_test(test_pg_dyads_top),
        cmocka_unit_test(test_sqlite_dyads_few_cands),
        cmocka_unit_test(test_pg_dyads_few_cands),
        cmocka_unit_test(test_sqlite_forecast_last_day),
        cmocka_unit_test(test_pg_forecast_last_day),
        cmocka_unit_test(test_sqlite_deferred),
        cmocka_unit_test(test_pg_deferred),
        cmocka_unit_test(test_sqlite_migrate_v1),
        cmocka_unit_test(test_pg_migrate_v1),
        cmocka_unit_test(test_sqlite_migrate_v2),
        cmocka_unit_test(test_pg_migrate_v2),
        cmocka_unit_test(test_sqlite_migrate_v4),
        cmocka_unit_test(test_pg_migrate_v4),
        cmocka_unit_test(test_sqlite_migrate_v7),
        cmocka_unit_test(test_sqlite_tombstones),
        cmocka_unit_test(test_pg_tombstones),
        cmocka_unit_test(test_pg_migrate_v7),
        cmocka_unit_test(test_sqlite_incidents),
        cmocka_unit_test(test_pg_incidents),
        cmocka_unit_test(test_sqlite_incident_records),
        cmocka_unit_test(test_pg_incident_records),
        cmocka_unit_test(test_sqlite_incident_remerge),
        cmocka_unit_test(test_pg_incident_remerge),
        cmocka_unit_test(test_sqlite_pipeline),
        cmocka_unit_test(test_pg_pipeline),
        cmocka_unit_test(test_rollup_merge),
        cmocka_unit_test(test_sqlite_compaction),
        cmocka_unit_test(test_pg_compaction),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(db_path);
    return rc;
}
