/*
 * store_pg.c - the store in PostgreSQL (--db postgresql://...), through
 * libpq, with the schema and behaviour of the SQLite store.
 *
 * Opening connects (an unreachable server is CASUS_EIO naming it), then
 * checks the current schema as store_sqlite.c checks a file: a casus store
 * (casus_meta), empty (the schema is created, under an advisory lock so two
 * first ingests cannot race), or something else (refused); newer versions
 * are refused, older ones migrated. A batch is one transaction: one query
 * looks up every document id of the batch (doc_id = ANY($1)), replaced
 * documents lose their rows by doc_pk = ANY($1), new documents get their
 * keys from the identity sequence in one call, so do the batch's events
 * (one nextval and setval, under the marker's row lock), and documents,
 * sentences, events (with their ids) and the batch's actor postings
 * (store_post.c) go in by COPY FROM STDIN; the rollup deltas (store_rollup.c) by
 * COPY into temporary tables and INSERT ... ON CONFLICT DO UPDATE, after
 * the old events of replaced documents were read back and subtracted (held
 * across batches like SQLite's, store_int.h; the marker row is read FOR
 * UPDATE first, so writers' batches are serialized); the
 * incidents the same way, COPY into temporary tables and one upsert, then
 * the incidents the replaced documents reported rebuilt from the reports
 * left (store_int.h: one query for their reports, one UPDATE each).
 * Read cursors use single-row mode so rows
 * stream; they run in a READ ONLY transaction (the session default, for a
 * store opened read-only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ctx.h"
#include "store_int.h"
#include "util/hash.h"
#include "util/mem.h"

typedef struct pg {
    casus_store *s;
    PGconn *c;
    buf q;          /* scratch: SQL, arrays, COPY data */
    store_remerge remerge;
} pg;

struct store_cursor {
    casus_store *s;  /* first: see store.c */
    pg *b;
    PGresult *res;   /* the current row (or the first, pending) */
    int pending;     /* res holds a row not yet returned by next */
    int done;
    int in_txn;
};

static casus_status pg_fail(pg *b, casus_status st, const char *what,
                            PGresult *r)
{
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(b->c);
    if (!m || !*m)
        m = PQerrorMessage(b->c);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    return ctx_fail(store_wctx(b->s), st, "%s: %s: %.*s", b->s->target, what, (int)n,
                    m);
}

/* Runs a command; CASUS_EIO with the server's message on failure. */
static casus_status cmd(pg *b, const char *sql, const char *what)
{
    PGresult *r = PQexec(b->c, sql);
    ExecStatusType t = PQresultStatus(r);
    casus_status st = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK
                          ? CASUS_OK : pg_fail(b, CASUS_EIO, what, r);
    PQclear(r);
    return st;
}

static casus_status query_int(pg *b, const char *sql, long long *out)
{
    PGresult *r = PQexec(b->c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        casus_status st = pg_fail(b, CASUS_EIO, "reading the store", r);
        PQclear(r);
        return st;
    }
    *out = PQntuples(r) && !PQgetisnull(r, 0, 0) ? atoll(PQgetvalue(r, 0, 0))
                                                  : 0;
    PQclear(r);
    return CASUS_OK;
}

static void pg_close(void *be)
{
    pg *b = be;
    if (!b)
        return;
    PQfinish(b->c);
    buf_free(b->s->ctx, &b->q);
    store_remerge_free(b->s, &b->remerge);
    mem_free(b->s->ctx, b);
}

static casus_status apply_rollup(pg *b);
static casus_status settle(pg *b);
static casus_status rollup_row(pg *b, PGresult *r, int k, int sign);

/* Adds the events WHERE where holds to the rollups through a cursor,
 * writing the deltas 100,000 events at a time; what names the work in
 * errors. */
static casus_status rollup_cursor(pg *b, const char *where, const char *what)
{
    char sql[320];
    snprintf(sql, sizeof sql, "DECLARE casus_rows NO SCROLL CURSOR FOR SELECT "
             "event_date, source_code, target_code, quad_class, goldstein "
             "FROM events WHERE %s", where);
    casus_status st = cmd(b, sql, what);
    while (st == CASUS_OK) {
        PGresult *r = PQexec(b->c, "FETCH 100000 FROM casus_rows");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            st = pg_fail(b, CASUS_EIO, what, r);
            PQclear(r);
            break;
        }
        int n = PQntuples(r);
        for (int k = 0; k < n && st == CASUS_OK; k++)
            st = rollup_row(b, r, k, 1);
        PQclear(r);
        if (st == CASUS_OK)
            st = apply_rollup(b);
        if (n == 0)
            break;
    }
    if (st == CASUS_OK)
        st = cmd(b, "CLOSE casus_rows", what);
    return st;
}

/* Fills the rollups from the events of a version-1 store, in the
 * migration's transaction. */
static casus_status fill_rollups(pg *b)
{
    store_rollup_reset(&b->s->rollup);
    casus_status st = rollup_cursor(b, "event_date IS NOT NULL",
                                    "migrating the store");
    store_rollup_reset(&b->s->rollup);
    return st;
}

static casus_status migrate(pg *b, long long from)
{
    casus_status st = cmd(b, "BEGIN", "migrating the store");
    if (st == CASUS_OK)
        st = cmd(b, "SELECT pg_advisory_xact_lock(1667331443)",
                 "migrating the store");
    long long has = 0, version = 0;
    if (st == CASUS_OK)
        st = query_int(b, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                          "current_schema() AND tablename = 'casus_meta'",
                       &has);
    if (st == CASUS_OK && has)
        st = query_int(b, "SELECT value::bigint FROM casus_meta WHERE key = "
                          "'schema_version'", &version);
    else if (st == CASUS_OK)
        st = cmd(b, "CREATE TABLE casus_meta (key TEXT PRIMARY KEY, "
                    "value TEXT NOT NULL);"
                    "INSERT INTO casus_meta VALUES ('application', 'casus');"
                    "INSERT INTO casus_meta VALUES ('schema_version', '0')",
                 "creating the store");
    (void)from;   /* re-read under the lock: another process may have won */
    for (long long v = version; st == CASUS_OK && v < CASUS_STORE_VERSION; v++)
        st = cmd(b, store_migrations[v].pg, "migrating the store");
    if (st == CASUS_OK && version >= 1 && version < 2)
        st = fill_rollups(b);
    if (st == CASUS_OK) {
        char sql[128];
        snprintf(sql, sizeof sql, "UPDATE casus_meta SET value = '%d' WHERE "
                 "key = 'schema_version'", CASUS_STORE_VERSION);
        st = cmd(b, sql, "migrating the store");
    }
    if (st == CASUS_OK)
        st = cmd(b, "COMMIT", "migrating the store");
    else
        PQclear(PQexec(b->c, "ROLLBACK"));
    return st;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static casus_status pg_open(casus_store *s, const char *target,
                            unsigned flags, void **out)
{
    casus_ctx *ctx = s->ctx;
    int ro = (flags & CASUS_STORE_READONLY) != 0;
    pg *b = mem_alloc(ctx, sizeof *b);
    if (!b)
        return CASUS_ENOMEM;
    memset(b, 0, sizeof *b);
    b->s = s;
    b->c = PQconnectdb(target);
    casus_status st = CASUS_OK;
    long long has_meta = 0, n_tables = 0, version = 0, app = 0;
    if (!b->c || PQstatus(b->c) != CONNECTION_OK) {
        st = b->c ? pg_fail(b, CASUS_EIO, "cannot connect to PostgreSQL", NULL)
                  : ctx_fail(ctx, CASUS_ENOMEM, "out of memory");
        goto done;
    }
    PQsetNoticeProcessor(b->c, quiet_notice, NULL);
    if ((st = cmd(b, ro ? "SET default_transaction_read_only = on"
                        : "SET synchronous_commit = on", "setting up")) !=
            CASUS_OK ||
        (st = query_int(b, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                           "current_schema()", &n_tables)) != CASUS_OK ||
        (st = query_int(b, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                           "current_schema() AND tablename = 'casus_meta'",
                        &has_meta)) != CASUS_OK)
        goto done;
    if (has_meta) {
        if ((st = query_int(b, "SELECT count(*) FROM casus_meta WHERE key = "
                               "'application' AND value = 'casus'", &app)) !=
                CASUS_OK ||
            (st = query_int(b, "SELECT value::bigint FROM casus_meta WHERE "
                               "key = 'schema_version'", &version)) != CASUS_OK)
            goto done;
        if (!app) {
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store "
                          "(casus_meta does not name casus)", s->target);
            goto done;
        }
    } else if (n_tables > 0) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store (the schema "
                      "holds other tables and no casus_meta)", s->target);
        goto done;
    } else if (ro) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store (an empty "
                      "database)", s->target);
        goto done;
    }
    if (version > CASUS_STORE_VERSION) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: the store has schema version "
                      "%lld, newer than this casus supports (%d); use a newer "
                      "casus", s->target, version, CASUS_STORE_VERSION);
        goto done;
    }
    if (version < CASUS_STORE_VERSION) {
        if (ro)
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s: the store has schema "
                          "version %lld and needs migrating to %d: open it "
                          "for writing once (casus ingest)", s->target,
                          version, CASUS_STORE_VERSION);
        else
            st = migrate(b, version);
    }
    /* A run killed while it held rollup deltas left its marker. */
    if (st == CASUS_OK && !ro) {
        long long held = 0;
        st = query_int(b, "SELECT count(*) FROM casus_meta WHERE key = "
                          "'rollup_pending' AND value <> ''", &held);
        if (st == CASUS_OK && held)
            st = settle(b);
    }
done:
    if (st != CASUS_OK) {
        pg_close(b);
        return st;
    }
    *out = b;
    return CASUS_OK;
}

static casus_status pg_begin_run(casus_store *s, const char *started,
                                 const char *dict, const char *model,
                                 const char *options, int64_t *run_id)
{
    pg *b = s->be;
    const char *p[5] = {started, CASUS_VERSION, dict, model, options};
    PGresult *r = PQexecParams(b->c, "INSERT INTO runs (started, "
                               "casus_version, dict_version, model_version, "
                               "options) VALUES ($1, $2, $3, $4, $5) "
                               "RETURNING run_id", 5, NULL, p, NULL, NULL, 0);
    casus_status st = CASUS_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        st = pg_fail(b, CASUS_EIO, "recording the run", r);
    else
        *run_id = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return st;
}

static casus_status pg_finish_run(casus_store *s, int64_t run_id,
                                  const char *finished)
{
    pg *b = s->be;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)run_id);
    const char *p[2] = {finished, id};
    PGresult *r = PQexecParams(b->c, "UPDATE runs SET finished = $1 WHERE "
                               "run_id = $2", 2, NULL, p, NULL, NULL, 0);
    casus_status st = PQresultStatus(r) == PGRES_COMMAND_OK
                          ? CASUS_OK : pg_fail(b, CASUS_EIO, "recording the run", r);
    PQclear(r);
    return st;
}

/* ---------------------------------------------------------------- COPY */

/* Appends a COPY text field: \N for NULL, backslash escapes. */
static casus_status copy_str(casus_ctx *ctx, buf *q, const char *v)
{
    if (!v)
        return buf_append(ctx, q, "\\N", 2);
    casus_status st = CASUS_OK;
    for (; *v && st == CASUS_OK; v++) {
        switch (*v) {
        case '\\': st = buf_append(ctx, q, "\\\\", 2); break;
        case '\t': st = buf_append(ctx, q, "\\t", 2); break;
        case '\n': st = buf_append(ctx, q, "\\n", 2); break;
        case '\r': st = buf_append(ctx, q, "\\r", 2); break;
        default: st = buf_putc(ctx, q, *v);
        }
    }
    return st;
}

static casus_status copy_opt(casus_ctx *ctx, buf *q, const char *v)
{
    return copy_str(ctx, q, v && *v ? v : NULL);
}

static casus_status copy_num(casus_ctx *ctx, buf *q, long long v, int null)
{
    if (null)
        return buf_append(ctx, q, "\\N", 2);
    return buf_printf(ctx, q, "%lld", v);
}

/* Sends q->p as a COPY into table (columns). */
static casus_status copy_in(pg *b, const char *sql)
{
    PGresult *r = PQexec(b->c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        casus_status st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
        return st;
    }
    PQclear(r);
    int ok = (b->q.n == 0 || PQputCopyData(b->c, b->q.p, (int)b->q.n) == 1) &&
             PQputCopyEnd(b->c, NULL) == 1;
    casus_status st = CASUS_OK;
    while ((r = PQgetResult(b->c)) != NULL) {
        if (st == CASUS_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
    }
    if (!ok && st == CASUS_OK)
        st = pg_fail(b, CASUS_EIO, "writing a batch", NULL);
    buf_reset(&b->q);
    return st;
}

/* An array literal {"a","b"} of the batch's document ids. */
static casus_status id_array(pg *b, store_batch *bt, buf *out)
{
    casus_ctx *ctx = store_wctx(b->s);
    casus_status st = buf_putc(ctx, out, '{');
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        if (i)
            st = buf_putc(ctx, out, ',');
        st = st == CASUS_OK ? buf_putc(ctx, out, '"') : st;
        for (const char *v = batch_str(bt, bt->docs[i].id); *v && st == CASUS_OK;
             v++) {
            if (*v == '"' || *v == '\\')
                st = buf_putc(ctx, out, '\\');
            if (st == CASUS_OK)
                st = buf_putc(ctx, out, *v);
        }
        st = st == CASUS_OK ? buf_putc(ctx, out, '"') : st;
    }
    return st == CASUS_OK ? buf_putc(ctx, out, '}') : st;
}


/* Adds row k of r (event_date, source_code, target_code, quad_class,
 * goldstein) to the rollup deltas with sign. */
static casus_status rollup_row(pg *b, PGresult *r, int k, int sign)
{
    return store_rollup_add(&b->s->rollup, PQgetvalue(r, k, 0),
                            PQgetvalue(r, k, 1),
                            PQgetisnull(r, k, 2) ? NULL : PQgetvalue(r, k, 2),
                            atoi(PQgetvalue(r, k, 3)),
                            atof(PQgetvalue(r, k, 4)), sign);
}

/*
 * Writes the rollup deltas (store_int.h): COPY into two temporary tables,
 * then one INSERT ... ON CONFLICT DO UPDATE per rollup; for keys that lost
 * events, rows left at 0 are deleted and first/last recomputed from the
 * when a lost event may have held them: a month row's from the events
 * (through the source's actor postings), then an all-time row's from its
 * month rows. Empties the deltas.
 */
static casus_status apply_rollup(pg *b)
{
    casus_ctx *ctx = store_wctx(b->s);
    store_rollup *r = &b->s->rollup;
    buf *q = &b->q;
    casus_status st = cmd(b,
        "CREATE TEMP TABLE IF NOT EXISTS casus_ra (side INTEGER, actor TEXT "
        "COLLATE \"C\", month TEXT COLLATE \"C\", quad_class INTEGER, "
        "common INTEGER, n BIGINT, removed BOOLEAN);"
        "CREATE TEMP TABLE IF NOT EXISTS casus_rd (month TEXT COLLATE \"C\", "
        "source TEXT COLLATE \"C\", target TEXT COLLATE \"C\", n BIGINT, "
        "conflict BIGINT, goldstein DOUBLE PRECISION, first TEXT COLLATE "
        "\"C\", last TEXT COLLATE \"C\", removed BOOLEAN, rfirst TEXT "
        "COLLATE \"C\", rlast TEXT COLLATE \"C\");"
        "TRUNCATE casus_ra, casus_rd", "writing a batch");
    /* In key order: the upserts then walk the primary-key indexes of
     * the rollups from left to right. */
    store_rollup_sort(r);
    buf_reset(q);
    for (size_t i = 0; i < r->n_a && st == CASUS_OK; i++) {
        const rollup_akey *k = &r->a[i];
        st = buf_printf(ctx, q, "%d\t", k->side);
        if (st == CASUS_OK) st = copy_str(ctx, q, k->actor);
        if (st == CASUS_OK)
            st = buf_printf(ctx, q, "\t%s\t%d\t%d\t%lld\t%c\n", k->month,
                            k->quad, k->common, (long long)k->n,
                            k->removed ? 't' : 'f');
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY casus_ra FROM STDIN");
    for (size_t i = 0; i < r->n_d && st == CASUS_OK; i++) {
        const rollup_dkey *k = &r->d[i];
        st = buf_printf(ctx, q, "%s\t", k->month);
        if (st == CASUS_OK) st = copy_str(ctx, q, k->source);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
        if (st == CASUS_OK) st = copy_str(ctx, q, k->target);
        if (st == CASUS_OK)
            st = buf_printf(ctx, q, "\t%lld\t%lld\t%.17g\t", (long long)k->n,
                            (long long)k->conflict, k->goldstein);
        /* "" for keys that only lost events: NOT NULL is checked before
         * ON CONFLICT, and the recompute sets them. */
        if (st == CASUS_OK) st = copy_str(ctx, q, k->first);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
        if (st == CASUS_OK) st = copy_str(ctx, q, k->last);
        if (st == CASUS_OK)
            st = buf_printf(ctx, q, "\t%c\t", k->removed ? 't' : 'f');
        if (st == CASUS_OK) st = copy_str(ctx, q, k->rfirst);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
        if (st == CASUS_OK) st = copy_str(ctx, q, k->rlast);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\n');
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY casus_rd FROM STDIN");
    static const char *const sql[] = {
        "INSERT INTO rollup_actor AS r SELECT side, actor, month, quad_class, "
        "common, n FROM casus_ra WHERE n <> 0 ON CONFLICT (side, actor, "
        "month, quad_class, common) DO UPDATE SET n = r.n + excluded.n",
        "DELETE FROM rollup_actor r USING casus_ra t WHERE t.removed AND "
        "r.side = t.side AND r.actor = t.actor AND r.month = t.month AND "
        "r.quad_class = t.quad_class AND r.common = t.common AND r.n <= 0",
        "INSERT INTO rollup_dyad AS r SELECT month, source, target, n, "
        "conflict, goldstein, first, last FROM casus_rd ON CONFLICT (month, "
        "source, target) DO UPDATE SET n = r.n + excluded.n, conflict = "
        "r.conflict + excluded.conflict, goldstein = r.goldstein + "
        "excluded.goldstein, first = LEAST(r.first, NULLIF(excluded.first, "
        "'')), last = GREATEST(r.last, NULLIF(excluded.last, ''))",
        "DELETE FROM rollup_dyad r USING casus_rd t WHERE t.removed AND "
        "r.month = t.month AND r.source = t.source AND r.target = t.target "
        "AND r.n <= 0",
        "UPDATE rollup_dyad r SET (first, last) = (SELECT min(e.event_date), "
        "max(e.event_date) FROM events e WHERE e.event_id IN (SELECT "
        "a.event_id FROM event_actor a WHERE a.side = 0 AND a.code = r.source "
        "AND a.last_date >= r.month AND a.first_date < r.month || '~') AND "
        "e.source_code = r.source AND e.target_code = r.target AND "
        "e.event_date >= r.month AND e.event_date < r.month || '~') FROM "
        "casus_rd t WHERE t.removed AND t.month <> '*' AND r.month = t.month "
        "AND r.source = t.source AND r.target = t.target AND (r.first >= "
        "t.rfirst OR r.last <= t.rlast)",
        /* an all-time row from its month rows, one index probe per month */
        "UPDATE rollup_dyad r SET (first, last) = (SELECT min(m.first), "
        "max(m.last) FROM rollup_dyad m WHERE m.month = ANY(ARRAY(WITH "
        "RECURSIVE ms(x) AS (SELECT (SELECT min(month) FROM rollup_dyad "
        "WHERE month > '*') UNION ALL SELECT (SELECT min(month) FROM "
        "rollup_dyad WHERE month > x) FROM ms WHERE x IS NOT NULL) SELECT x "
        "FROM ms WHERE x IS NOT NULL)) AND m.source = r.source AND m.target = "
        "r.target) FROM casus_rd t WHERE t.removed AND t.month = '*' AND "
        "r.month = '*' AND r.source = t.source AND r.target = t.target AND "
        "(r.first >= t.rfirst OR r.last <= t.rlast)"};
    /* The corrections only when the batch replaced something: without
     * statistics on the temporary tables the planner may join them to a
     * whole rollup table. */
    int removed = 0;
    for (size_t i = 0; i < r->n_a && !removed; i++)
        removed = r->a[i].removed;
    for (size_t i = 0; i < r->n_d && !removed; i++)
        removed = r->d[i].removed;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && st == CASUS_OK; i++)
        if (i == 0 || i == 2 || removed)
            st = cmd(b, sql[i], "writing a batch");
    store_rollup_reset(r);
    return st;
}

/* Writes the batch's actor postings (store_post.c) by one COPY, in key
 * order, ids as a bigint[] literal, and empties them. */
static casus_status write_postings(pg *b)
{
    casus_ctx *ctx = store_wctx(b->s);
    store_posts *p = &b->s->posts;
    buf *q = &b->q;
    casus_status st = CASUS_OK;
    store_posts_sort(p);
    buf_reset(q);
    for (size_t i = 0; i < p->n && st == CASUS_OK; i++) {
        const store_post *e = &p->v[i];
        st = buf_printf(ctx, q, "%d\t", e->side);
        if (st == CASUS_OK) st = copy_str(ctx, q, e->code);
        if (st == CASUS_OK)
            st = buf_printf(ctx, q, "\t%lld\t%lld\t", (long long)e->first_id,
                            (long long)e->last_id);
        if (st == CASUS_OK) st = copy_opt(ctx, q, e->first_date);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
        if (st == CASUS_OK) st = copy_opt(ctx, q, e->last_date);
        if (st == CASUS_OK) st = buf_printf(ctx, q, "\t%zu\t{", e->n);
        if (st == CASUS_OK) st = buf_append(ctx, q, e->ids.p, e->ids.n);
        if (st == CASUS_OK) st = buf_append(ctx, q, "}\t", 2);
        if (st == CASUS_OK) st = buf_append(ctx, q, e->facts.p, e->facts.n);
        if (st == CASUS_OK) st = buf_putc(ctx, q, '\n');
    }
    if (st == CASUS_OK && p->n)
        st = copy_in(b, "COPY event_postings (side, code, first_id, last_id, "
                        "first_date, last_date, n, ids, facts) FROM STDIN");
    store_posts_reset(p);
    return st;
}

static casus_status copy_count(casus_ctx *ctx, buf *q, int64_t v)
{
    casus_status st = buf_putc(ctx, q, '\t');
    if (st == CASUS_OK)
        st = copy_num(ctx, q, (long long)v, v == INT64_MIN);
    return st;
}

/*
 * Writes the incidents of the batch's written documents: COPY into two
 * temporary tables (ord: the batch order, so a later document's view of a
 * shared incident wins), then one upsert of the incidents, which keeps
 * the pks it wrote (casus_ipk), and the inserts of their evidence and
 * reports, which find each incident's pk there by its ref: a join of the
 * batch's rows, where a join on incidents read the whole table per batch
 * (a hash join over 1 M incidents for 10,000 new ones).
 */
static casus_status write_incidents(pg *b, store_batch *bt, int64_t run_id,
                                    const long long *pks)
{
    casus_ctx *ctx = store_wctx(b->s);
    if (!bt->n_incs)
        return CASUS_OK;
    buf *q = &b->q;
    casus_status st = cmd(b,
        "CREATE TEMP TABLE IF NOT EXISTS casus_inc (ord BIGINT, report BIGINT, incident_ref "
        "TEXT COLLATE \"C\", start_date TEXT, end_date TEXT, date_precision "
        "TEXT, country TEXT, admin1 TEXT, location TEXT, latitude DOUBLE "
        "PRECISION, longitude DOUBLE PRECISION, location_precision TEXT, "
        "method TEXT, killed_min BIGINT, killed_max BIGINT, injured_min "
        "BIGINT, injured_max BIGINT, casualties_min BIGINT, casualties_max "
        "BIGINT, perpetrators TEXT, targets TEXT);"
        "CREATE TEMP TABLE IF NOT EXISTS casus_iev (incident_ref TEXT COLLATE "
        "\"C\", doc_pk BIGINT, sentence_index INTEGER, char_start BIGINT, "
        "char_end BIGINT);"
        "CREATE TEMP TABLE IF NOT EXISTS casus_ipk (incident_pk BIGINT, "
        "incident_ref TEXT COLLATE \"C\", n_documents BIGINT);"
        "TRUNCATE casus_inc, casus_iev, casus_ipk", "writing a batch");
    buf_reset(q);
    size_t ord = 0;
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        const store_bdoc *d = &bt->docs[i];
        for (size_t k = d->first_inc; d->outcome != 2 && st == CASUS_OK &&
                                      k < d->first_inc + d->n_inc; k++) {
            const store_binc *c = &bt->incs[k];
            int loc = c->has_location;
            /* report: the document's pk for its own report, else \N */
            st = c->report ? buf_printf(ctx, q, "%zu\t%lld\t", ord++, pks[i])
                           : buf_printf(ctx, q, "%zu\t\\N\t", ord++);
            if (st == CASUS_OK) st = copy_str(ctx, q, c->ref);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_opt(ctx, q, c->start);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_opt(ctx, q, c->end);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_opt(ctx, q, c->date_precision);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_opt(ctx, q, loc ? c->country : NULL);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK)
                st = copy_opt(ctx, q, loc ? batch_str(bt, c->admin1) : NULL);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK)
                st = copy_opt(ctx, q, loc ? batch_str(bt, c->location) : NULL);
            if (st == CASUS_OK)
                st = loc ? buf_printf(ctx, q, "\t%.17g\t%.17g\t", c->lat, c->lon)
                         : buf_puts(ctx, q, "\t\\N\t\\N\t");
            if (st == CASUS_OK)
                st = copy_opt(ctx, q, loc ? c->location_precision : NULL);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_opt(ctx, q, c->method);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->killed_min);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->killed_max);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->injured_min);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->injured_max);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->casualties_min);
            if (st == CASUS_OK) st = copy_count(ctx, q, c->casualties_max);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, batch_str(bt, c->perpetrators));
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, batch_str(bt, c->targets));
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\n');
        }
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY casus_inc FROM STDIN");
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        const store_bdoc *d = &bt->docs[i];
        for (size_t k = d->first_inc; d->outcome != 2 && st == CASUS_OK &&
                                      k < d->first_inc + d->n_inc; k++) {
            const store_binc *c = &bt->incs[k];
            for (size_t j = c->first_ev; j < c->first_ev + c->n_ev && st == CASUS_OK;
                 j++) {
                const store_bievid *v = &bt->ievs[j];
                st = copy_str(ctx, q, c->ref);
                if (st == CASUS_OK)
                    st = buf_printf(ctx, q, "\t%lld\t%zu\t%zu\t%zu\n", pks[i],
                                    v->sentence_index, v->start, v->end);
            }
        }
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY casus_iev FROM STDIN");
    /* a new row's counts are its batch's (distinct sentences of each
     * document); a stored one is marked (-1) and counted again once the
     * evidence is in (store_int.h, "Incident counts") */
    char sql[1900];
    snprintf(sql, sizeof sql,
             "WITH up AS (INSERT INTO incidents AS r (incident_ref, start_date, end_date, "
             "date_precision, country, admin1, location, latitude, longitude, "
             "location_precision, method, killed_min, killed_max, injured_min, "
             "injured_max, casualties_min, casualties_max, perpetrators, "
             "targets, run_id, n_documents, n_evidence) SELECT DISTINCT ON "
             "(c.incident_ref) c.incident_ref, start_date, end_date, "
             "date_precision, country, admin1, location, latitude, longitude, "
             "location_precision, method, killed_min, killed_max, injured_min, "
             "injured_max, casualties_min, casualties_max, perpetrators, "
             "targets, %lld, coalesce(k.docs, 0), coalesce(k.sents, 0) FROM "
             "casus_inc c LEFT JOIN (SELECT incident_ref, count(DISTINCT "
             "doc_pk) AS docs, count(DISTINCT (doc_pk, sentence_index)) AS "
             "sents FROM casus_iev GROUP BY incident_ref) k ON k.incident_ref = "
             "c.incident_ref WHERE c.report IS NULL ORDER BY c.incident_ref, "
             "c.ord DESC ON CONFLICT (incident_ref) DO UPDATE "
             "SET start_date = excluded.start_date, end_date = "
             "excluded.end_date, date_precision = excluded.date_precision, "
             "country = excluded.country, admin1 = excluded.admin1, location = "
             "excluded.location, latitude = excluded.latitude, longitude = "
             "excluded.longitude, location_precision = "
             "excluded.location_precision, method = excluded.method, "
             "killed_min = excluded.killed_min, killed_max = "
             "excluded.killed_max, injured_min = excluded.injured_min, "
             "injured_max = excluded.injured_max, casualties_min = "
             "excluded.casualties_min, casualties_max = excluded.casualties_max, "
             "perpetrators = excluded.perpetrators, targets = excluded.targets, "
             "run_id = excluded.run_id, n_documents = -1 RETURNING incident_pk, "
             "incident_ref, n_documents) INSERT INTO casus_ipk SELECT * FROM up",
             (long long)run_id);
    if (st == CASUS_OK)
        st = cmd(b, sql, "writing a batch");
    if (st == CASUS_OK)
        st = cmd(b, "INSERT INTO incident_evidence (incident_pk, doc_pk, "
                    "sentence_index, char_start, char_end) SELECT i.incident_pk, "
                    "e.doc_pk, e.sentence_index, e.char_start, e.char_end FROM "
                    "casus_iev e JOIN casus_ipk i ON i.incident_ref = "
                    "e.incident_ref ON CONFLICT DO NOTHING", "writing a batch");
    if (st == CASUS_OK)
        st = cmd(b, "INSERT INTO incident_reports (incident_pk, doc_pk, "
                    "start_date, end_date, date_precision, country, admin1, "
                    "location, latitude, longitude, location_precision, method, "
                    "killed_min, killed_max, injured_min, injured_max, "
                    "casualties_min, casualties_max, perpetrators, targets) SELECT "
                    "i.incident_pk, r.report, r.start_date, r.end_date, "
                    "r.date_precision, r.country, r.admin1, r.location, r.latitude, "
                    "r.longitude, r.location_precision, r.method, r.killed_min, "
                    "r.killed_max, r.injured_min, r.injured_max, r.casualties_min, "
                    "r.casualties_max, r.perpetrators, r.targets FROM casus_inc r "
                    "JOIN casus_ipk i ON i.incident_ref = r.incident_ref WHERE "
                    "r.report IS NOT NULL ON CONFLICT DO NOTHING", "writing a batch");
    /* the array: an index scan of the few marked rows, whatever the
     * planner guesses of a temporary table */
    if (st == CASUS_OK)
        st = cmd(b, STORE_INC_RECOUNT("incidents.incident_pk") " WHERE "
                    "incident_pk = ANY(ARRAY(SELECT incident_pk FROM casus_ipk "
                    "WHERE n_documents < 0))", "writing a batch");
    buf_reset(q);
    return st;
}

/* A report row of rebuild_incidents as a store_col_fn (after its pk). */
typedef struct pg_row {
    PGresult *r;
    int k;
} pg_row;

static const char *pg_col(void *row, size_t i, size_t *n)
{
    pg_row *w = row;
    int c = (int)i + 1;
    if (PQgetisnull(w->r, w->k, c)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(w->r, w->k, c);
    return PQgetvalue(w->r, w->k, c);
}

/* Rebuilds the incidents of touched (a bigint[] literal) that the batch's
 * replaced documents reported (store_int.h): those with no report left go
 * with their evidence, the others' rows become the merge of the reports
 * left. */
static casus_status rebuild_incidents(pg *b, const char *touched, int64_t run_id)
{
    const char *p1[1] = {touched};
    PGresult *r = PQexecParams(b->c, "SELECT r.incident_pk, " STORE_INC_COLS ", "
                               "d.pub_date FROM incident_reports r JOIN documents d "
                               "ON d.doc_pk = r.doc_pk WHERE r.incident_pk = "
                               "ANY($1::bigint[]) ORDER BY r.incident_pk, r.doc_pk",
                               1, NULL, p1, NULL, NULL, 0);
    casus_status st = PQresultStatus(r) == PGRES_TUPLES_OK
                          ? CASUS_OK : pg_fail(b, CASUS_EIO, "writing a batch", r);
    int n = st == CASUS_OK ? PQntuples(r) : 0;
    for (int k = 0; k < n && st == CASUS_OK; k++) {
        pg_row row = {r, k};
        st = store_remerge_add(b->s, &b->remerge, pg_col, &row);
        if (st != CASUS_OK || (k + 1 < n && !strcmp(PQgetvalue(r, k, 0),
                                                    PQgetvalue(r, k + 1, 0))))
            continue;
        /* the last report of this incident */
        if ((st = store_remerge_finish(b->s, &b->remerge)) != CASUS_OK)
            break;
        char rid[24];
        snprintf(rid, sizeof rid, "%lld", (long long)run_id);
        const char *pv[STORE_INC_NCOLS + 2];
        pv[0] = PQgetvalue(r, k, 0);
        for (int c = 0; c < STORE_INC_NCOLS; c++)
            pv[c + 1] = b->remerge.val[c];
        pv[STORE_INC_NCOLS + 1] = rid;
        PGresult *u = PQexecParams(b->c, "UPDATE incidents SET (" STORE_INC_COLS
                                   ", run_id) = ($2, $3, $4, $5, $6, $7, $8, $9, "
                                   "$10, $11, $12, $13, $14, $15, $16, $17, $18, "
                                   "$19, $20) WHERE incident_pk = $1",
                                   STORE_INC_NCOLS + 2, NULL, pv, NULL, NULL, 0);
        if (PQresultStatus(u) != PGRES_COMMAND_OK)
            st = pg_fail(b, CASUS_EIO, "writing a batch", u);
        PQclear(u);
    }
    PQclear(r);
    b->remerge.n = 0;
    /* the rows left without a report go, the others are counted */
    static const char *const finish[] = {
        "DELETE FROM incident_evidence e WHERE e.incident_pk = ANY($1::bigint[]) "
        "AND NOT EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_pk = "
        "e.incident_pk)",
        "DELETE FROM incidents i WHERE i.incident_pk = ANY($1::bigint[]) AND NOT "
        "EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_pk = "
        "i.incident_pk)",
        /* the counts of those left (store_int.h, "Incident counts") */
        STORE_INC_RECOUNT("incidents.incident_pk") " WHERE incident_pk = "
        "ANY($1::bigint[])"};
    for (size_t i = 0; i < 3 && st == CASUS_OK; i++) {
        r = PQexecParams(b->c, finish[i], 1, NULL, p1, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
    }
    return st;
}

/* The deferred-rollup marker (store_int.h), locked for the transaction
 * (writers take it first, so their batches are serialized); *run = 0 when
 * none. */
static casus_status pending_get(pg *b, int64_t *run, int64_t *from)
{
    PGresult *r = PQexec(b->c, "SELECT value FROM casus_meta WHERE key = "
                               "'rollup_pending' FOR UPDATE");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        casus_status st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
        return st;
    }
    store_pending_parse(PQntuples(r) ? PQgetvalue(r, 0, 0) : NULL, run, from);
    PQclear(r);
    return CASUS_OK;
}

/* Sets the marker to (run, from), or clears it (run 0). */
static casus_status pending_set(pg *b, int64_t run, int64_t from)
{
    char sql[160], v[48] = "";
    if (run)
        snprintf(v, sizeof v, "%lld %lld", (long long)run, (long long)from);
    snprintf(sql, sizeof sql, "UPDATE casus_meta SET value = '%s' WHERE "
             "key = 'rollup_pending'", v);
    return cmd(b, sql, "writing a batch");
}

/*
 * In a write transaction, before anything else: when the marker is this
 * handle's, its deltas in memory stand for the pending events (*mine = 1).
 * Otherwise those deltas are dropped (someone else wrote them from the
 * events), and a marker of another run is settled now: its pending events
 * are read back through a cursor, their deltas written 100,000 events at a
 * time, and the marker cleared.
 */
static casus_status take_over(pg *b, int *mine)
{
    casus_store *s = b->s;
    int64_t run, from;
    casus_status st = pending_get(b, &run, &from);
    *mine = st == CASUS_OK && run && s->rollup_defer && run == s->run_id &&
            from == s->rollup_from;
    if (st != CASUS_OK || *mine)
        return st;
    store_drop_deltas(s);
    if (!run)
        return CASUS_OK;
    char where[128];
    snprintf(where, sizeof where, "event_id >= %lld AND run_id = %lld AND "
             "event_date IS NOT NULL", (long long)from, (long long)run);
    st = rollup_cursor(b, where, "writing the rollups");
    if (st == CASUS_OK)
        st = pending_set(b, 0, 0);
    return st;
}


static casus_status write_batch(pg *b, store_batch *bt, int64_t run_id,
                                long long *pks, size_t *slot, size_t cap, buf *touched)
{
    casus_ctx *ctx = store_wctx(b->s);
    casus_store *s = b->s;
    int mine = 0, replaced = 0;
    int64_t next_event = 0;
    size_t n_written = 0;
    casus_status st = take_over(b, &mine);
    if (st != CASUS_OK)
        return st;
    /* Actors first (few: store.c sends each code once per handle). */
    for (size_t i = 0; i < bt->n_actors; i++) {
        char rid[24];
        snprintf(rid, sizeof rid, "%lld", (long long)run_id);
        const char *p[3] = {bt->actors[i].code, batch_str(bt, bt->actors[i].name),
                            rid};
        PGresult *r = PQexecParams(b->c, "INSERT INTO actors (code, name, "
                                   "run_id) VALUES ($1, $2, $3) ON CONFLICT "
                                   "(code) DO NOTHING", 3, NULL, p, NULL, NULL, 0);
        st = PQresultStatus(r) == PGRES_COMMAND_OK
                 ? CASUS_OK : pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
        if (st != CASUS_OK)
            return st;
    }
    /* Look every id up at once; a hash of batch indexes finds them. */
    memset(slot, 0, cap * sizeof *slot);
    for (size_t i = 0; i < bt->n_docs; i++) {
        size_t j = hash_fnv64(HASH_FNV64_BASIS, batch_str(bt, bt->docs[i].id)) & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = i + 1;
        bt->docs[i].outcome = 0;
        pks[i] = 0;
    }
    buf arr = BUF_INIT;
    if ((st = id_array(b, bt, &arr)) != CASUS_OK) {
        buf_free(ctx, &arr);
        return st;
    }
    const char *p1[1] = {arr.p};
    PGresult *r = PQexecParams(b->c, "SELECT doc_id, doc_pk, content_hash, "
                               "rows_hash FROM documents WHERE doc_id = "
                               "ANY($1::text[])", 1, NULL, p1, NULL, NULL, 0);
    buf_free(ctx, &arr);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        PQclear(r);
        return st;
    }
    buf del = BUF_INIT;
    buf_reset(touched);
    st = buf_putc(ctx, &del, '{');
    size_t n_del = 0, n_new = 0;
    for (int k = 0; k < PQntuples(r) && st == CASUS_OK; k++) {
        const char *id = PQgetvalue(r, k, 0);
        size_t j = hash_fnv64(HASH_FNV64_BASIS, id) & (cap - 1);
        while (slot[j] && strcmp(batch_str(bt, bt->docs[slot[j] - 1].id), id))
            j = (j + 1) & (cap - 1);
        if (!slot[j])
            continue;
        store_bdoc *d = &bt->docs[slot[j] - 1];
        pks[slot[j] - 1] = atoll(PQgetvalue(r, k, 1));
        if (!strcmp(PQgetvalue(r, k, 2), d->content_hash) &&
            !strcmp(PQgetvalue(r, k, 3), d->rows_hash)) {
            d->outcome = 2;
            continue;
        }
        d->outcome = 1;
        st = buf_printf(ctx, &del, "%s%s", n_del++ ? "," : "",
                        PQgetvalue(r, k, 1));
    }
    PQclear(r);
    if (st == CASUS_OK)
        st = buf_putc(ctx, &del, '}');
    if (st == CASUS_OK && n_del) {
        /* Take the old events out of the rollups first. */
        const char *pd[1] = {del.p};
        r = PQexecParams(b->c, "SELECT event_date, source_code, target_code, "
                         "quad_class, goldstein FROM events WHERE doc_pk = "
                         "ANY($1::bigint[])", 1, NULL, pd, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        for (int k = 0; st == CASUS_OK && k < PQntuples(r); k++)
            st = rollup_row(b, r, k, -1);
        PQclear(r);
    }
    if (st == CASUS_OK && n_del) {
        /* the incidents they reported, rebuilt after the batch's own */
        const char *pd[1] = {del.p};
        r = PQexecParams(b->c, "SELECT coalesce(array_agg(DISTINCT incident_pk), "
                         "'{}')::text FROM (SELECT incident_pk FROM incident_reports "
                         "WHERE doc_pk = ANY($1::bigint[]) UNION ALL SELECT "
                         "incident_pk FROM incident_evidence WHERE doc_pk = "
                         "ANY($1::bigint[])) t", 1, NULL, pd, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
        else if (strcmp(PQgetvalue(r, 0, 0), "{}"))
            st = buf_puts(ctx, touched, PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    if (st == CASUS_OK && n_del) {
        static const char *const dels[] = {
            "DELETE FROM incident_reports WHERE doc_pk = ANY($1::bigint[])",
            "DELETE FROM incident_evidence WHERE doc_pk = ANY($1::bigint[])",
            "DELETE FROM response_links WHERE doc_pk = ANY($1::bigint[]) OR "
            "event_id IN (SELECT event_id FROM events WHERE doc_pk = "
            "ANY($1::bigint[])) OR response_event_id IN (SELECT event_id FROM "
            "events WHERE doc_pk = ANY($1::bigint[]))",
            /* the postings written so far keep these events (schema 9) */
            "INSERT INTO event_tombstones SELECT event_id, (SELECT "
            "coalesce(max(posting_id), 0) + 1 FROM event_postings) FROM "
            "events WHERE doc_pk = ANY($1::bigint[]) ON CONFLICT DO NOTHING",
            "DELETE FROM events WHERE doc_pk = ANY($1::bigint[])",
            "DELETE FROM sentences WHERE doc_pk = ANY($1::bigint[])",
            "DELETE FROM documents WHERE doc_pk = ANY($1::bigint[])"};
        const char *pd[1] = {del.p};
        for (size_t i = 0; i < sizeof dels / sizeof dels[0] && st == CASUS_OK; i++) {
            r = PQexecParams(b->c, dels[i], 1, NULL, pd, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                st = pg_fail(b, CASUS_EIO, "writing a batch", r);
            PQclear(r);
        }
    }
    buf_free(ctx, &del);
    if (st != CASUS_OK)
        return st;
    for (size_t i = 0; i < bt->n_docs; i++)
        n_new += bt->docs[i].outcome == 0;
    if (n_new) {
        char n[24];
        snprintf(n, sizeof n, "%zu", n_new);
        const char *pn[1] = {n};
        r = PQexecParams(b->c, "SELECT nextval(pg_get_serial_sequence("
                         "'documents', 'doc_pk')) FROM generate_series(1, "
                         "$1::int)", 1, NULL, pn, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK ||
            (size_t)PQntuples(r) != n_new) {
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
            PQclear(r);
            return st;
        }
        int k = 0;
        for (size_t i = 0; i < bt->n_docs; i++)
            if (bt->docs[i].outcome == 0)
                pks[i] = atoll(PQgetvalue(r, k++, 0));
        PQclear(r);
    }
    for (size_t i = 0; i < bt->n_docs; i++) {
        replaced |= bt->docs[i].outcome == 1;
        if (bt->docs[i].outcome != 2)
            n_written += bt->docs[i].n_event;
    }
    /* The batch's event ids, reserved from the identity sequence in one
     * call: first_id, first_id + 1, ... in document order, so the actor
     * postings know them (writers' batches are serialized by the marker's
     * row lock); every event of this batch has an id >= first_id. */
    int64_t first_id = 0;
    {
        char n[24];
        snprintf(n, sizeof n, "%zu", n_written);
        const char *pn[1] = {n};
        r = PQexecParams(b->c, "WITH f AS (SELECT nextval("
                         "pg_get_serial_sequence('events', 'event_id')) AS v) "
                         "SELECT v, setval(pg_get_serial_sequence('events', "
                         "'event_id'), v + $1::bigint) FROM f", 1, NULL, pn,
                         NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            st = pg_fail(b, CASUS_EIO, "writing a batch", r);
            PQclear(r);
            return st;
        }
        first_id = atoll(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    if (!mine)
        next_event = first_id;
    int64_t next_id = first_id;
    store_posts_reset(&s->posts);
    /* Replaced documents are deleted above and written again with their
     * old key, so one COPY serves new and replaced alike. */
    buf *q = &b->q;
    buf_reset(q);
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        store_bdoc *d = &bt->docs[i];
        if (d->outcome == 2)
            continue;
        if ((st = buf_printf(ctx, q, "%lld\t", pks[i])) != CASUS_OK ||
            (st = copy_str(ctx, q, batch_str(bt, d->id))) != CASUS_OK ||
            (st = buf_putc(ctx, q, '\t')) != CASUS_OK ||
            (st = copy_opt(ctx, q, batch_str(bt, d->url))) != CASUS_OK ||
            (st = buf_putc(ctx, q, '\t')) != CASUS_OK ||
            (st = copy_opt(ctx, q, batch_str(bt, d->title))) != CASUS_OK ||
            (st = buf_putc(ctx, q, '\t')) != CASUS_OK ||
            (st = copy_opt(ctx, q, d->date)) != CASUS_OK)
            break;
        st = buf_printf(ctx, q, "\t%s\t%s\t%zu\t%lld\n", d->content_hash,
                        d->rows_hash, d->n_bytes, (long long)run_id);
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY documents (doc_pk, doc_id, url, title, pub_date, "
                        "content_hash, rows_hash, n_bytes, run_id) FROM STDIN");
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        store_bdoc *d = &bt->docs[i];
        for (size_t k = d->first_sent; d->outcome != 2 && st == CASUS_OK &&
                                       k < d->first_sent + d->n_sent; k++) {
            const store_bsent *t = &bt->sents[k];
            st = buf_printf(ctx, q, "%lld\t%zu\t%zu\t%zu\t", pks[i], t->index,
                            t->start, t->end);
            if (st == CASUS_OK)
                st = copy_str(ctx, q, batch_str(bt, t->text));
            if (st == CASUS_OK)
                st = buf_putc(ctx, q, '\n');
        }
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY sentences (doc_pk, sentence_index, char_start, "
                        "char_end, text) FROM STDIN");
    /* every event is written: the deltas the caller summed are theirs */
    int merged = !bt->delta_bad;
    for (size_t i = 0; i < bt->n_docs; i++)
        merged &= bt->docs[i].outcome != 2;
    if (merged && st == CASUS_OK)
        st = store_rollup_merge(&b->s->rollup, &bt->delta);
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        store_bdoc *d = &bt->docs[i];
        for (size_t k = d->first_event; d->outcome != 2 && st == CASUS_OK &&
                                        k < d->first_event + d->n_event; k++) {
            const store_bevent *e = &bt->events[k];
            int64_t id = next_id++;
            if (!merged)
                st = store_rollup_add(&b->s->rollup, e->date, e->source_code,
                                      e->has_target ? e->target_code : NULL,
                                      e->quad_class, e->goldstein, 1);
            if (st == CASUS_OK)
                st = store_posts_add(&s->posts, 0, e, id);
            if (st == CASUS_OK)
                st = store_posts_add(&s->posts, 1, e, id);
            if (st == CASUS_OK)
                st = buf_printf(ctx, q, "%lld\t%lld\t%zu\t%zu\t%zu\t",
                                (long long)id, pks[i], e->sentence_index,
                                e->start, e->end);
            if (st == CASUS_OK) st = copy_opt(ctx, q, e->date);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, e->source_code);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, batch_str(bt, e->source_text));
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_num(ctx, q, e->source_start, e->source_start < 0);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_num(ctx, q, e->source_end, e->source_end < 0);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, e->has_target ? e->target_code : NULL);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK)
                st = copy_str(ctx, q, e->has_target ? batch_str(bt, e->target_text) : NULL);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_num(ctx, q, e->target_start, e->target_start < 0);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_num(ctx, q, e->target_end, e->target_end < 0);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, e->cameo);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, e->root_code);
            if (st == CASUS_OK)
                st = buf_printf(ctx, q, "\t%.17g\t%d\t", e->goldstein, e->quad_class);
            if (st == CASUS_OK) st = copy_str(ctx, q, e->plover_type);
            if (st == CASUS_OK) st = buf_putc(ctx, q, '\t');
            if (st == CASUS_OK) st = copy_str(ctx, q, e->plover_mode);
            if (st == CASUS_OK)
                st = buf_printf(ctx, q, "\t%d\t%lld\n", e->negated, (long long)run_id);
        }
        /* Keep COPY chunks bounded. */
        if (st == CASUS_OK && q->n > (8u << 20)) {
            /* A second COPY in the same transaction is fine. */
            st = copy_in(b, "COPY events (event_id, doc_pk, sentence_index, "
                            "char_start, "
                            "char_end, event_date, source_code, source_text, "
                            "source_start, source_end, target_code, "
                            "target_text, target_start, target_end, cameo, "
                            "root_code, goldstein, quad_class, plover_type, "
                            "plover_mode, negated, run_id) FROM STDIN");
        }
    }
    if (st == CASUS_OK)
        st = copy_in(b, "COPY events (event_id, doc_pk, sentence_index, "
                        "char_start, "
                        "char_end, event_date, source_code, source_text, "
                        "source_start, source_end, target_code, target_text, "
                        "target_start, target_end, cameo, root_code, "
                        "goldstein, quad_class, plover_type, plover_mode, "
                        "negated, run_id) FROM STDIN");
    if (st == CASUS_OK)
        st = write_postings(b);
    /* Response links of each document, with the events standing for
     * their sides: the k-th of a document by event id is its k-th event
     * (one COPY assigns ids in order). */
    for (size_t i = 0; i < bt->n_docs && st == CASUS_OK; i++) {
        store_bdoc *d = &bt->docs[i];
        for (size_t k = d->first_link; d->outcome != 2 && st == CASUS_OK &&
                                       k < d->first_link + d->n_link; k++) {
            const store_blink *l = &bt->links[k];
            char pk[24], t[24], rsp[24], lag[24], rid[24];
            snprintf(pk, sizeof pk, "%lld", pks[i]);
            snprintf(t, sizeof t, "%ld", l->trigger);
            snprintf(rsp, sizeof rsp, "%ld", l->response);
            snprintf(lag, sizeof lag, "%lld", (long long)l->lag_days);
            snprintf(rid, sizeof rid, "%lld", (long long)run_id);
            const char *p[9] = {pk, t, rsp, l->kind, l->has_lag ? lag : NULL, rid,
                                l->trigger_ref, l->response_ref,
                                *l->responder ? l->responder : NULL};
            r = PQexecParams(b->c, "INSERT INTO response_links (event_id, "
                             "response_event_id, kind, lag_days, run_id, doc_pk, "
                             "trigger_ref, response_ref, responder) VALUES (CASE WHEN "
                             "$2::bigint < 0 THEN NULL ELSE (SELECT event_id FROM events "
                             "WHERE doc_pk = $1::bigint ORDER BY event_id LIMIT 1 OFFSET "
                             "$2::bigint) END, CASE WHEN $3::bigint < 0 THEN NULL ELSE "
                             "(SELECT event_id FROM events WHERE doc_pk = $1::bigint "
                             "ORDER BY event_id LIMIT 1 OFFSET $3::bigint) END, $4, "
                             "$5::integer, $6::bigint, $1::bigint, $7, $8, $9)", 9, NULL,
                             p, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                st = pg_fail(b, CASUS_EIO, "writing a batch", r);
            PQclear(r);
        }
    }
    if (st == CASUS_OK)
        st = write_incidents(b, bt, run_id, pks);
    if (st == CASUS_OK && touched->n)
        st = rebuild_incidents(b, touched->p, run_id);
    /* Write the deltas now, or hold them for a later batch (store_int.h). */
    int hold = !s->settling && !replaced &&
               s->rollup.n_a + s->rollup.n_d <= ROLLUP_DEFER_KEYS &&
               s->rollup_held + n_written <= ROLLUP_DEFER_EVENTS &&
               s->rollup.n_a + s->rollup.n_d > 0;
    if (st == CASUS_OK && !hold) {
        st = apply_rollup(b);
        if (st == CASUS_OK && mine)
            st = pending_set(b, 0, 0);
    } else if (st == CASUS_OK && !mine) {
        st = pending_set(b, run_id, next_event);
    }
    if (st == CASUS_OK)
        st = cmd(b, "COMMIT", "committing a batch");
    if (st != CASUS_OK)
        return st;
    if (!hold) {
        s->rollup_defer = 0;
        s->rollup_held = 0;
    } else {
        if (!mine) {
            s->rollup_defer = 1;
            s->rollup_from = next_event;
        }
        s->rollup_held += n_written;
    }
    return CASUS_OK;
}

static casus_status pg_write_batch(casus_store *s, store_batch *bt,
                                   int64_t run_id)
{
    pg *b = s->be;
    casus_ctx *ctx = store_wctx(s);
    size_t cap = 16;
    while (cap < 2 * bt->n_docs + 2)
        cap <<= 1;
    long long *pks = mem_alloc(ctx, bt->n_docs * sizeof *pks + 1);
    size_t *slot = mem_alloc(ctx, cap * sizeof *slot);
    buf touched = BUF_INIT;   /* incidents to rebuild, a bigint[] literal */
    casus_status st = pks && slot ? CASUS_OK : CASUS_ENOMEM;
    if (st == CASUS_OK)
        st = cmd(b, "BEGIN", "starting a transaction");
    if (st == CASUS_OK) {
        /* write_batch commits (and then keeps or drops the deltas). */
        st = write_batch(b, bt, run_id, pks, slot, cap, &touched);
        if (st != CASUS_OK) {
            PQclear(PQexec(b->c, "ROLLBACK"));
            store_drop_deltas(s);
        }
    }
    buf_reset(&b->q);
    buf_free(ctx, &touched);
    mem_free(ctx, pks);
    mem_free(ctx, slot);
    return st;
}

/* Compacts the postings (store_int.h) in one transaction, under the
 * writers' lock (the marker row). */
static casus_status pg_compact(casus_store *s, int auto_only, casus_store_compaction *out)
{
    pg *b = s->be;
    casus_ctx *ctx = s->ctx;
    casus_store_compaction none;
    store_tomb *t = NULL;
    size_t n_t = 0, cap_t = 0;
    store_post_left left;
    PGresult *r = NULL;
    if (!out)
        out = &none;
    memset(out, 0, sizeof *out);
    memset(&left, 0, sizeof left);
    casus_status st = cmd(b, "BEGIN", "starting a transaction");
    if (st != CASUS_OK)
        return st;
    int64_t run, from;
    st = pending_get(b, &run, &from);   /* locks out the writers */
    if (st == CASUS_OK && auto_only) {
        long long n_tombs = 0, max_event = 0;
        st = query_int(b, "SELECT count(*) FROM event_tombstones", &n_tombs);
        if (st == CASUS_OK)
            st = query_int(b, "SELECT max(event_id) FROM events", &max_event);
        if (st == CASUS_OK && !store_compact_due(n_tombs, max_event))
            goto done;
    }
    if (st == CASUS_OK) {
        r = PQexec(b->c, "SELECT event_id, below_posting FROM event_tombstones ORDER BY "
                         "event_id, below_posting");
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            st = pg_fail(b, CASUS_EIO, "compacting the postings", r);
        int n = st == CASUS_OK ? PQntuples(r) : 0;
        for (int k = 0; k < n && st == CASUS_OK; k++) {
            if (mem_grow(ctx, (void **)&t, &cap_t, n_t + 1, sizeof *t) != CASUS_OK) {
                st = CASUS_ENOMEM;
                break;
            }
            t[n_t].id = atoll(PQgetvalue(r, k, 0));
            t[n_t++].below = atoll(PQgetvalue(r, k, 1));
        }
        PQclear(r);
        r = NULL;
    }
    if (st != CASUS_OK || !n_t)
        goto done;
    /* the postings holding an id that a tombstone kills there, one at a
     * time (a cursor would hold them all) */
    r = PQexec(b->c, "SELECT posting_id FROM event_postings p WHERE EXISTS (SELECT 1 FROM "
                     "event_tombstones t WHERE t.event_id BETWEEN p.first_id AND p.last_id "
                     "AND t.below_posting > p.posting_id)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        st = pg_fail(b, CASUS_EIO, "compacting the postings", r);
    for (int k = 0; st == CASUS_OK && k < PQntuples(r); k++) {
        const char *pid = PQgetvalue(r, k, 0);
        const char *p1[1] = {pid};
        PGresult *g = PQexecParams(b->c, "SELECT ids, facts FROM event_postings WHERE "
                                   "posting_id = $1::bigint", 1, NULL, p1, NULL, NULL, 0);
        if (PQresultStatus(g) != PGRES_TUPLES_OK) {
            st = pg_fail(b, CASUS_EIO, "compacting the postings", g);
        } else if (PQntuples(g) == 1) {
            buf_reset(&left.ids);
            buf_reset(&left.facts);
            st = store_post_compact(ctx, t, n_t, atoll(pid), PQgetvalue(g, 0, 0),
                                    (size_t)PQgetlength(g, 0, 0), PQgetvalue(g, 0, 1),
                                    (size_t)PQgetlength(g, 0, 1), "{}", &left);
            if (st == CASUS_OK)
                st = buf_putc(ctx, &left.ids, '\0');
            if (st == CASUS_OK)
                st = buf_putc(ctx, &left.facts, '\0');
        }
        PQclear(g);
        if (st != CASUS_OK || !left.dropped)
            continue;
        out->postings++;
        out->ids += left.dropped;
        char n[24], f[24], l[24];
        snprintf(n, sizeof n, "%zu", left.n);
        snprintf(f, sizeof f, "%lld", (long long)left.first_id);
        snprintf(l, sizeof l, "%lld", (long long)left.last_id);
        const char *pu[6] = {pid, left.ids.p, left.facts.p, n, f, l};
        if (!left.n)
            out->postings_deleted++;
        g = left.n ? PQexecParams(b->c, "UPDATE event_postings SET ids = $2::bigint[], "
                                  "facts = $3, n = $4::integer, first_id = $5::bigint, "
                                  "last_id = $6::bigint WHERE posting_id = $1::bigint", 6,
                                  NULL, pu, NULL, NULL, 0)
                   : PQexecParams(b->c, "DELETE FROM event_postings WHERE posting_id = "
                                  "$1::bigint", 1, NULL, pu, NULL, NULL, 0);
        if (PQresultStatus(g) != PGRES_COMMAND_OK)
            st = pg_fail(b, CASUS_EIO, "compacting the postings", g);
        PQclear(g);
        left.dropped = 0;
    }
    PQclear(r);
    r = NULL;
    if (st == CASUS_OK) {
        r = PQexec(b->c, "DELETE FROM event_tombstones");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            st = pg_fail(b, CASUS_EIO, "compacting the postings", r);
        else
            out->tombstones = (size_t)atoll(PQcmdTuples(r));
        PQclear(r);
    }
done:
    buf_free(ctx, &left.ids);
    buf_free(ctx, &left.facts);
    mem_free(ctx, t);
    if (st == CASUS_OK) {
        if (out->tombstones)
            store_crash_point("compact");
        st = cmd(b, "COMMIT", "compacting the postings");
    }
    if (st != CASUS_OK) {
        PQclear(PQexec(b->c, "ROLLBACK"));
        memset(out, 0, sizeof *out);
    }
    return st;
}

/* Writes held deltas, or settles another run's marker, in a transaction
 * of its own (store_ops.settle_rollups; also at open). */
static casus_status settle(pg *b)
{
    casus_store *s = b->s;
    casus_status st = cmd(b, "BEGIN", "starting a transaction");
    int mine = 0;
    if (st == CASUS_OK)
        st = take_over(b, &mine);
    if (st == CASUS_OK && mine) {
        st = apply_rollup(b);
        if (st == CASUS_OK)
            st = pending_set(b, 0, 0);
    }
    if (st == CASUS_OK)
        st = cmd(b, "COMMIT", "writing the rollups");
    else
        PQclear(PQexec(b->c, "ROLLBACK"));
    store_drop_deltas(s);
    return st;
}

static casus_status pg_settle_rollups(casus_store *s)
{
    return settle(s->be);
}

/* ---------------------------------------------------------------- cursors */

/*
 * The readers of the actor postings (query.c, forecast_store.c) write
 * "event_id IN (SELECT event_id FROM event_actor ...)", which SQLite reads
 * in id order. PostgreSQL hashes such a list and then visits the events in
 * hash order, one random heap page each (45 s for a country's 2 M events
 * on 10 M); "event_id = ANY(ARRAY(SELECT ...))" makes it one index scan
 * that sorts the ids first, so the heap is read in order (7 s). Rewrites
 * the one into the other in out (sql itself when it has none).
 */
#define POSTED_IN "event_id IN (SELECT event_id FROM event_actor"
static casus_status posted_any(casus_ctx *ctx, const char *sql, buf *out)
{
    casus_status st = CASUS_OK;
    const char *p = sql, *hit;
    buf_reset(out);
    while (st == CASUS_OK && (hit = strstr(p, POSTED_IN)) != NULL) {
        const char *open = hit + strlen("event_id IN ");
        int depth = 0;
        const char *q = open;
        for (; *q; q++) {
            if (*q == '(')
                depth++;
            else if (*q == ')' && --depth == 0)
                break;
        }
        if (!*q)
            break;   /* unbalanced: leave the rest as it is */
        st = buf_append(ctx, out, p, (size_t)(hit - p));
        if (st == CASUS_OK)
            st = buf_puts(ctx, out, "event_id = ANY(ARRAY");
        if (st == CASUS_OK)
            st = buf_append(ctx, out, open, (size_t)(q + 1 - open));
        if (st == CASUS_OK)
            st = buf_putc(ctx, out, ')');
        p = q + 1;
    }
    if (st == CASUS_OK && out->n)
        st = buf_puts(ctx, out, p);
    return st;
}

static casus_status pg_cursor_open(casus_store *s, const char *sql,
                                   const char *const *params, size_t n,
                                   int user, store_cursor **out)
{
    pg *b = s->be;
    casus_ctx *ctx = s->ctx;
    *out = NULL;
    buf any = BUF_INIT;
    if (!user && strstr(sql, POSTED_IN)) {
        if (posted_any(ctx, sql, &any) != CASUS_OK) {
            buf_free(ctx, &any);
            return CASUS_ENOMEM;
        }
        if (any.n)
            sql = any.p;
    }
    store_cursor *c = mem_alloc(ctx, sizeof *c);
    if (!c) {
        buf_free(ctx, &any);
        return CASUS_ENOMEM;
    }
    memset(c, 0, sizeof *c);
    c->s = s;
    c->b = b;
    casus_status st = cmd(b, "BEGIN READ ONLY", "query");
    if (st != CASUS_OK) {
        buf_free(ctx, &any);
        mem_free(ctx, c);
        return st;
    }
    c->in_txn = 1;
    int sent = PQsendQueryParams(b->c, sql, (int)n, NULL, params, NULL, NULL, 0);
    buf_free(ctx, &any);
    if (!sent || !PQsetSingleRowMode(b->c)) {
        st = pg_fail(b, user ? CASUS_EINVAL : CASUS_EIO, "query", NULL);
        store_cursor *tmp = c;
        while ((c->res = PQgetResult(b->c)) != NULL)
            PQclear(c->res);
        PQclear(PQexec(b->c, "ROLLBACK"));
        mem_free(ctx, tmp);
        return st;
    }
    /* The first result tells the columns, even when there are no rows. */
    c->res = PQgetResult(b->c);
    ExecStatusType t = PQresultStatus(c->res);
    if (t == PGRES_SINGLE_TUPLE) {
        c->pending = 1;
    } else if (t == PGRES_TUPLES_OK) {
        c->done = 1;
    } else {
        st = pg_fail(b, user ? CASUS_EINVAL : CASUS_EIO, "query", c->res);
        PQclear(c->res);
        while ((c->res = PQgetResult(b->c)) != NULL)
            PQclear(c->res);
        PQclear(PQexec(b->c, "ROLLBACK"));
        mem_free(ctx, c);
        return st;
    }
    *out = c;
    return CASUS_OK;
}

static casus_status pg_cursor_next(store_cursor *c)
{
    if (c->pending) {
        c->pending = 0;
        return CASUS_OK;
    }
    if (c->done)
        return CASUS_DONE;
    PGresult *r = PQgetResult(c->b->c);
    ExecStatusType t = PQresultStatus(r);
    if (t == PGRES_SINGLE_TUPLE) {
        PQclear(c->res);
        c->res = r;
        return CASUS_OK;
    }
    c->done = 1;
    casus_status st = CASUS_DONE;
    if (t != PGRES_TUPLES_OK)
        st = pg_fail(c->b, CASUS_EIO, "query", r);
    PQclear(r);
    while ((r = PQgetResult(c->b->c)) != NULL)
        PQclear(r);
    return st;
}

static size_t pg_cursor_ncols(const store_cursor *c)
{
    return (size_t)PQnfields(c->res);
}

static const char *pg_cursor_name(const store_cursor *c, size_t i)
{
    return PQfname(c->res, (int)i);
}

static const char *pg_cursor_text(store_cursor *c, size_t i, size_t *n)
{
    if (PQgetisnull(c->res, 0, (int)i)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(c->res, 0, (int)i);
    return PQgetvalue(c->res, 0, (int)i);
}

static void pg_cursor_close(store_cursor *c)
{
    PGresult *r;
    PQclear(c->res);
    if (!c->done) {
        /* Abandoned mid-stream: cancel and drain. */
        PGcancel *k = PQgetCancel(c->b->c);
        char err[256];
        if (k) {
            PQcancel(k, err, sizeof err);
            PQfreeCancel(k);
        }
        while ((r = PQgetResult(c->b->c)) != NULL)
            PQclear(r);
    }
    if (c->in_txn)
        PQclear(PQexec(c->b->c, "ROLLBACK"));
    mem_free(c->s->ctx, c);
}

const store_ops store_pg_ops = {
    "postgresql", pg_open, pg_close, pg_begin_run, pg_finish_run,
    pg_write_batch, pg_settle_rollups, pg_cursor_open, pg_cursor_next, pg_cursor_ncols,
    pg_cursor_name, pg_cursor_text, pg_cursor_close, pg_compact,
};
