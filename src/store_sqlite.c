/*
 * store_sqlite.c - the store in an embedded SQLite file (the default).
 *
 * Opening checks, in order: the file can be opened (and written, unless
 * read-only was asked for); it is a SQLite database (SQLITE_NOTADB and
 * SQLITE_CORRUPT become "not a SQLite database" / "corrupt"); it is a casus
 * store (table casus_meta with application "casus"), or empty, in which case
 * the schema is created; its schema version is not newer than ours; an older
 * one is migrated in one transaction. Writes use WAL journaling with
 * synchronous=NORMAL, prepared statements reused for the life of the handle,
 * and one BEGIN IMMEDIATE ... COMMIT per batch, so a crash, kill -9 or full
 * disk loses at most the batch in flight and never leaves part of one (a
 * power failure may also lose the last committed batches, which running
 * the ingest again restores). Within a batch: documents first (lookup,
 * delete a replaced one's rows after taking its events out of the rollups,
 * insert or update), then every event in document order, EVENT_ROWS per
 * INSERT (their ids, consecutive, from the last one inserted), then one
 * row of event_postings per (side, code) of the batch (store_post.c), then
 * response links and incidents (one upsert per incident by
 * its ref, one insert per evidence sentence), then the incidents of the
 * replaced documents rebuilt from their reports left (store_int.h), then
 * the rollup deltas
 * (store_rollup.c), sorted in primary-key order, one INSERT ... ON
 * CONFLICT DO UPDATE per rollup row, when this batch writes them: deltas
 * are held across batches under the 'rollup_pending' marker (store_int.h
 * explains when they are written and how a killed run's are settled).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ctx.h"
#include "store_int.h"
#include "util/mem.h"

enum {
    Q_LOOKUP, Q_INS_DOC, Q_UPD_DOC, Q_OLD_EVENTS, Q_TOUCHED,
    Q_DEL_REPORTS, Q_DEL_EVIDENCE, Q_DEL_LINKS, Q_TOMBSTONES,
    Q_DEL_EVENTS, Q_DEL_SENTS, Q_INS_SENT, Q_INS_EVENT, Q_INS_EVENTS,
    Q_INS_ACTOR, Q_RA_UPSERT, Q_RA_DEL, Q_RD_UPSERT, Q_RD_UPDATE, Q_RD_DEL,
    Q_RD_FIX_MONTH, Q_RD_FIX_ALL, Q_INS_LINK, Q_UPS_INCIDENT, Q_INS_EVIDENCE, Q_INS_REPORT,
    Q_PEND_GET, Q_PEND_SET, Q_PEND_EVENTS, Q_NEXT_EVENT, Q_MONTHS, Q_INS_POSTING,
    Q_INC_REPORTS, Q_UPD_INCIDENT, Q_DEL_INC_EVIDENCE, Q_DEL_INCIDENT,
    Q_INC_PK, Q_INC_RECOUNT, Q_COUNT
};

/* Events per multi-row INSERT (21 parameters each). */
#define EVENT_ROWS 16

#define INS_EVENT_HEAD                                                        \
    "INSERT INTO events (doc_pk, sentence_index, char_start, char_end, "     \
    "event_date, source_code, source_text, source_start, source_end, "       \
    "target_code, target_text, target_start, target_end, cameo, root_code, " \
    "goldstein, quad_class, plover_type, plover_mode, negated, run_id) "     \
    "VALUES "
#define EV_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define EV_ROW4 EV_ROW "," EV_ROW "," EV_ROW "," EV_ROW

static const char *const sql_text[Q_COUNT] = {
    "SELECT doc_pk, content_hash, rows_hash FROM documents WHERE doc_id = ?1",
    "INSERT INTO documents (doc_id, url, title, pub_date, content_hash, "
    "rows_hash, n_bytes, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "UPDATE documents SET url = ?2, title = ?3, pub_date = ?4, "
    "content_hash = ?5, rows_hash = ?6, n_bytes = ?7, run_id = ?8 "
    "WHERE doc_pk = ?1",
    "SELECT event_date, source_code, target_code, quad_class, goldstein "
    "FROM events WHERE doc_pk = ?1",
    /* the incidents a replaced document reported, rebuilt after the
     * batch (store_int.h), before its reports and evidence go */
    "SELECT incident_pk FROM incident_reports WHERE doc_pk = ?1 UNION "
    "SELECT incident_pk FROM incident_evidence WHERE doc_pk = ?1",
    "DELETE FROM incident_reports WHERE doc_pk = ?1",
    "DELETE FROM incident_evidence WHERE doc_pk = ?1",
    "DELETE FROM response_links WHERE doc_pk = ?1 OR event_id IN "
    "(SELECT event_id FROM events WHERE doc_pk = ?1) OR response_event_id IN "
    "(SELECT event_id FROM events WHERE doc_pk = ?1)",
    /* a replaced document's events, before they go (schema 9): the
     * postings written so far keep them */
    "INSERT OR IGNORE INTO event_tombstones SELECT event_id, (SELECT "
    "coalesce(max(posting_id), 0) + 1 FROM event_postings) FROM events "
    "WHERE doc_pk = ?1",
    "DELETE FROM events WHERE doc_pk = ?1",
    "DELETE FROM sentences WHERE doc_pk = ?1",
    "INSERT INTO sentences (doc_pk, sentence_index, char_start, char_end, "
    "text) VALUES (?1, ?2, ?3, ?4, ?5)",
    INS_EVENT_HEAD EV_ROW,
    INS_EVENT_HEAD EV_ROW4 "," EV_ROW4 "," EV_ROW4 "," EV_ROW4,
    "INSERT OR IGNORE INTO actors (code, name, run_id) VALUES (?1, ?2, ?3)",
    "INSERT INTO rollup_actor VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
    "(side, actor, month, quad_class, common) DO UPDATE SET n = n + "
    "excluded.n",
    "DELETE FROM rollup_actor WHERE side = ?1 AND actor = ?2 AND month = ?3 "
    "AND quad_class = ?4 AND common = ?5 AND n <= 0",
    "INSERT INTO rollup_dyad VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON "
    "CONFLICT (month, source, target) DO UPDATE SET n = n + excluded.n, "
    "conflict = conflict + excluded.conflict, goldstein = goldstein + "
    "excluded.goldstein, first = min(first, excluded.first), "
    "last = max(last, excluded.last)",
    "UPDATE rollup_dyad SET n = n + ?4, conflict = conflict + ?5, "
    "goldstein = goldstein + ?6 WHERE month = ?1 AND source = ?2 AND "
    "target = ?3",
    "DELETE FROM rollup_dyad WHERE month = ?1 AND source = ?2 AND "
    "target = ?3 AND n <= 0",
    /* first/last of a month key that lost events, when a lost event may
     * have held one (?4, ?5: their first and last date), from the source's
     * postings (schema 8) */
    "UPDATE rollup_dyad SET (first, last) = (SELECT min(event_date), "
    "max(event_date) FROM events WHERE event_id IN (SELECT event_id FROM "
    "event_actor WHERE side = 0 AND code = ?2 AND last_date >= ?1 AND "
    "first_date < ?1 || '~') AND source_code = ?2 AND target_code = ?3 AND "
    "event_date >= ?1 AND event_date < ?1 || '~') WHERE month = ?1 AND "
    "source = ?2 AND target = ?3 AND (first >= ?4 OR last <= ?5)",
    /* ... and of an all-time key, from its month rows (fixed before; ?4:
     * the months of rollup_dyad as a JSON array) */
    "UPDATE rollup_dyad SET (first, last) = (SELECT min(m.first), "
    "max(m.last) FROM rollup_dyad m WHERE m.month IN (SELECT value FROM "
    "json_each(?4)) AND m.source = ?2 AND m.target = ?3) WHERE month = ?1 "
    "AND source = ?2 AND target = ?3 AND (first >= ?5 OR last <= ?6)",
    "INSERT INTO response_links (event_id, response_event_id, kind, lag_days, "
    "run_id, doc_pk, trigger_ref, response_ref, responder) VALUES (CASE WHEN "
    "?2 < 0 THEN NULL ELSE (SELECT event_id FROM events WHERE doc_pk = ?1 "
    "ORDER BY event_id LIMIT 1 OFFSET ?2) END, CASE WHEN ?3 < 0 THEN NULL "
    "ELSE (SELECT event_id FROM events WHERE doc_pk = ?1 ORDER BY event_id "
    "LIMIT 1 OFFSET ?3) END, ?4, ?5, ?6, ?1, ?7, ?8, ?9)",
    "INSERT INTO incidents (incident_ref, start_date, end_date, "
    "date_precision, country, admin1, location, latitude, longitude, "
    "location_precision, method, killed_min, killed_max, injured_min, "
    "injured_max, casualties_min, casualties_max, perpetrators, targets, "
    "run_id, n_documents, n_evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) ON "
    "CONFLICT (incident_ref) DO UPDATE "
    "SET start_date = excluded.start_date, end_date = excluded.end_date, "
    "date_precision = excluded.date_precision, country = excluded.country, "
    "admin1 = excluded.admin1, location = excluded.location, latitude = "
    "excluded.latitude, longitude = excluded.longitude, location_precision = "
    "excluded.location_precision, method = excluded.method, killed_min = "
    "excluded.killed_min, killed_max = excluded.killed_max, injured_min = "
    "excluded.injured_min, injured_max = excluded.injured_max, "
    "casualties_min = excluded.casualties_min, casualties_max = "
    "excluded.casualties_max, perpetrators = excluded.perpetrators, targets "
    "= excluded.targets, run_id = excluded.run_id",
    "INSERT OR IGNORE INTO incident_evidence (incident_pk, doc_pk, "
    "sentence_index, char_start, char_end) VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT OR REPLACE INTO incident_reports (incident_pk, doc_pk, start_date, "
    "end_date, date_precision, country, admin1, location, latitude, longitude, "
    "location_precision, method, killed_min, killed_max, injured_min, "
    "injured_max, casualties_min, casualties_max, perpetrators, targets) "
    "VALUES (?21, ?20, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, ?15, ?16, ?17, ?18, ?19)",
    "SELECT value FROM casus_meta WHERE key = 'rollup_pending'",
    "UPDATE casus_meta SET value = ?1 WHERE key = 'rollup_pending'",
    "SELECT event_date, source_code, target_code, quad_class, goldstein "
    "FROM events WHERE event_id >= ?2 AND run_id = ?1 AND event_date IS NOT "
    "NULL",
    "SELECT coalesce(max(event_id), 0) + 1 FROM events",
    /* the months of rollup_dyad, one index seek each */
    "WITH RECURSIVE m(x) AS (SELECT (SELECT min(month) FROM rollup_dyad "
    "WHERE month > '*') UNION ALL SELECT (SELECT min(month) FROM rollup_dyad "
    "WHERE month > x) FROM m WHERE x IS NOT NULL) SELECT "
    "json_group_array(x) FROM m WHERE x IS NOT NULL",
    "INSERT INTO event_postings (side, code, first_id, last_id, first_date, "
    "last_date, n, ids, facts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    /* an incident's reports left, in document order (store_remerge_add) */
    "SELECT " STORE_INC_COLS ", d.pub_date FROM incident_reports r JOIN "
    "documents d ON d.doc_pk = r.doc_pk WHERE r.incident_pk = ?1 ORDER BY "
    "r.doc_pk",
    "UPDATE incidents SET (" STORE_INC_COLS ", run_id) = (?2, ?3, ?4, ?5, "
    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
    "WHERE incident_pk = ?1",
    "DELETE FROM incident_evidence WHERE incident_pk = ?1",
    "DELETE FROM incidents WHERE incident_pk = ?1",
    "SELECT incident_pk FROM incidents WHERE incident_ref = ?1",
    STORE_INC_RECOUNT("?1") " WHERE incident_pk = ?1",
};

/*
 * Background checkpoints. SQLite's automatic checkpoint copies the WAL's
 * pages into the database file on the connection that commits, so the
 * writer spent about a tenth of its time there (BENCHMARKS.md, "Event
 * store"). A writing handle that writes on threads (store.c, "Pipelined
 * writes") instead opens a second connection that a thread of its own
 * checkpoints with (PASSIVE: it copies what no reader still needs and
 * never blocks the writer), woken by the writer's WAL hook once the WAL
 * holds CKPT_START pages. A WAL only starts over from its beginning when a
 * write transaction begins with every frame copied, which a writer that
 * begins its next transaction right after each commit would rarely see;
 * so before a batch, when the WAL holds CKPT_LIMIT pages or more, the
 * writer asks for one more pass and waits for it (it copies only what was
 * committed since the previous pass), and the WAL restarts. A checkpoint
 * that fails (a full disk) stops the thread, and the writer's hook
 * checkpoints on its own connection as SQLite would.
 */
#define CKPT_START 16384
#define CKPT_LIMIT 65536

typedef struct ckpt {
    sqlite3 *db;              /* the checkpointer's connection */
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int up;                   /* the thread runs (mu, cv live) */
    /* under mu: */
    int stop, failed;
    int frames;               /* WAL frames at the last commit */
    unsigned long asked, done;   /* passes asked for; the last one done */
} ckpt;

typedef struct sq {
    casus_store *s;
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    buf scratch;    /* a posting's ids as a JSON array */
    /* incidents of the batch's replaced documents (store_int.h) */
    int64_t *touched;
    size_t n_touched, cap_touched;
    store_remerge remerge;
    ckpt ck;
} sq;

struct store_cursor {
    casus_store *s;      /* first: see store.c */
    sq *b;
    sqlite3_stmt *st;
};

/* A failure from SQLite as a casus status and message. */
static casus_status fail(sq *b, int rc, const char *what)
{
    casus_store *s = b->s;
    const char *m = b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(rc);
    /* A failed write is a full disk or a file size limit (ulimit -f) far
     * more often than a bad device; SQLite reports both as IOERR_WRITE. */
    if (rc == SQLITE_IOERR_WRITE)
        rc = SQLITE_FULL;
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return ctx_fail(store_wctx(s), CASUS_ENOMEM, "%s: out of memory", s->target);
    case SQLITE_NOTADB:
        return ctx_fail(store_wctx(s), CASUS_EFORMAT,
                        "%s: not a SQLite database (%s)", s->target, m);
    case SQLITE_CORRUPT:
        return ctx_fail(store_wctx(s), CASUS_EFORMAT,
                        "%s: the database is corrupt (%s)", s->target, m);
    case SQLITE_FULL:
        return ctx_fail(store_wctx(s), CASUS_EIO,
                        "%s: %s: cannot write: the disk or the file size "
                        "limit is full (%s); nothing of this batch was "
                        "written", s->target, what, m);
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ctx_fail(store_wctx(s), CASUS_EIO, "%s: %s: %s", s->target, what, m);
    default:
        return ctx_fail(store_wctx(s), CASUS_EINVAL, "%s: %s: %s", s->target, what,
                        m);
    }
}

static casus_status exec(sq *b, const char *sql, const char *what)
{
    int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? CASUS_OK : fail(b, rc, what);
}

/* Runs a one-value query; *out gets the integer (0 when no row). */
static casus_status query_int(sq *b, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "reading the store");
    *out = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    int rc2 = sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(b, rc2 ? rc2 : rc, "reading the store");
    return CASUS_OK;
}

static void *ckpt_main(void *arg)
{
    ckpt *k = arg;
    pthread_mutex_lock(&k->mu);
    for (;;) {
        while (k->done == k->asked && !k->stop)
            pthread_cond_wait(&k->cv, &k->mu);
        if (k->stop)
            break;
        unsigned long pass = k->asked;
        pthread_mutex_unlock(&k->mu);
        int rc = sqlite3_wal_checkpoint_v2(k->db, NULL,
                                           SQLITE_CHECKPOINT_PASSIVE, NULL,
                                           NULL);
        pthread_mutex_lock(&k->mu);
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY &&
            (rc & 0xff) != SQLITE_LOCKED)
            k->failed = 1;
        k->done = pass;
        pthread_cond_broadcast(&k->cv);
        if (k->failed)
            break;
    }
    pthread_mutex_unlock(&k->mu);
    return NULL;
}

/* The writer's WAL hook (after each commit): wakes the checkpointer, or
 * checkpoints here when it is gone. */
static int ckpt_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    ckpt *k = arg;
    pthread_mutex_lock(&k->mu);
    int failed = k->failed;
    k->frames = frames;
    if (!failed && frames >= CKPT_START) {
        k->asked++;
        pthread_cond_broadcast(&k->cv);
    }
    pthread_mutex_unlock(&k->mu);
    if (failed && frames >= CKPT_LIMIT)
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
                                        NULL, NULL);
    return SQLITE_OK;
}

/* Before a write transaction: a WAL at its limit is copied up to the last
 * commit first, so that this transaction starts it over (see above). */
static void ckpt_gate(sq *b)
{
    ckpt *k = &b->ck;
    if (!k->up)
        return;
    pthread_mutex_lock(&k->mu);
    if (k->frames >= CKPT_LIMIT && !k->failed) {
        unsigned long want = ++k->asked;
        pthread_cond_broadcast(&k->cv);
        while (k->done < want && !k->failed)
            pthread_cond_wait(&k->cv, &k->mu);
        k->frames = 0;
    }
    pthread_mutex_unlock(&k->mu);
}

/* Starts the checkpointer (best effort: without it the writer's own hook
 * checkpoints, as SQLite's automatic checkpoint does). */
static void ckpt_start(sq *b, const char *path)
{
    ckpt *k = &b->ck;
    if (sqlite3_open_v2(path, &k->db, SQLITE_OPEN_READWRITE |
                                          SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(k->db, "PRAGMA synchronous = NORMAL", NULL, NULL,
                     NULL) != SQLITE_OK)
        goto fail;
    if (pthread_mutex_init(&k->mu, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&k->cv, NULL) != 0) {
        pthread_mutex_destroy(&k->mu);
        goto fail;
    }
    if (pthread_create(&k->tid, NULL, ckpt_main, k) != 0) {
        pthread_cond_destroy(&k->cv);
        pthread_mutex_destroy(&k->mu);
        goto fail;
    }
    k->up = 1;
    sqlite3_wal_hook(b->db, ckpt_hook, k);
    return;
fail:
    sqlite3_close(k->db);
    k->db = NULL;
}

static void ckpt_stop(sq *b)
{
    ckpt *k = &b->ck;
    if (k->up) {
        sqlite3_wal_hook(b->db, NULL, NULL);
        pthread_mutex_lock(&k->mu);
        k->stop = 1;
        pthread_cond_broadcast(&k->cv);
        pthread_mutex_unlock(&k->mu);
        pthread_join(k->tid, NULL);
        pthread_cond_destroy(&k->cv);
        pthread_mutex_destroy(&k->mu);
        k->up = 0;
    }
    sqlite3_close(k->db);   /* before the writer's: its close checkpoints */
    k->db = NULL;
}

static void sq_close(void *be)
{
    sq *b = be;
    if (!b)
        return;
    ckpt_stop(b);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(b->q[i]);
    sqlite3_close(b->db);
    buf_free(b->s->ctx, &b->scratch);
    mem_free(b->s->ctx, b->touched);
    store_remerge_free(b->s, &b->remerge);
    mem_free(b->s->ctx, b);
}

static int apply_rollup(sq *b);
static int pending_get(sq *b, int64_t *run, int64_t *from);
static casus_status settle(sq *b);

/* Prepares the statements of the write path (once). */
static casus_status prepare_all(sq *b)
{
    for (int i = 0; i < Q_COUNT; i++) {
        if (b->q[i])
            continue;
        int rc = sqlite3_prepare_v3(b->db, sql_text[i], -1,
                                    SQLITE_PREPARE_PERSISTENT, &b->q[i], NULL);
        if (rc != SQLITE_OK)
            return fail(b, rc, "preparing statements");
    }
    return CASUS_OK;
}

/* Adds the rows of q (event_date, source_code, target_code, quad_class,
 * goldstein) to the rollups, writing the deltas 100,000 events at a time
 * and the rest at the end; SQLITE_OK when all are written. */
static int rollup_rows(sq *b, sqlite3_stmt *q)
{
    int rc;
    size_t n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (store_rollup_add(&b->s->rollup, (const char *)sqlite3_column_text(q, 0),
                             (const char *)sqlite3_column_text(q, 1),
                             (const char *)sqlite3_column_text(q, 2),
                             sqlite3_column_int(q, 3),
                             sqlite3_column_double(q, 4), 1) != CASUS_OK)
            return SQLITE_NOMEM;
        if (++n % 100000 == 0 && (rc = apply_rollup(b)) != SQLITE_OK)
            return rc;
    }
    return rc == SQLITE_DONE ? apply_rollup(b) : rc;
}

/* Fills the rollups from the events of a version-1 store, in the
 * migration's transaction, 100,000 events per round of deltas. */
static casus_status fill_rollups(sq *b)
{
    casus_status st = prepare_all(b);
    if (st != CASUS_OK)
        return st;
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(b->db, "SELECT event_date, source_code, "
                                "target_code, quad_class, goldstein FROM "
                                "events WHERE event_date IS NOT NULL", -1, &q,
                                NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "migrating the store");
    store_rollup_reset(&b->s->rollup);
    rc = rollup_rows(b, q);
    sqlite3_finalize(q);
    store_rollup_reset(&b->s->rollup);
    return rc == SQLITE_OK ? CASUS_OK : fail(b, rc, "migrating the store");
}

/* Creates or migrates the schema to CASUS_STORE_VERSION. */
static casus_status migrate(sq *b, int64_t from)
{
    casus_store *s = b->s;
    casus_status st = exec(b, "BEGIN IMMEDIATE", "migrating the store");
    if (st != CASUS_OK)
        return st;
    if (from == 0)
        st = exec(b,
                  "CREATE TABLE casus_meta (key TEXT PRIMARY KEY, "
                  "value TEXT NOT NULL);"
                  "INSERT INTO casus_meta VALUES ('application', 'casus');"
                  "INSERT INTO casus_meta VALUES ('schema_version', '0');"
                  "PRAGMA application_id = 1667331443;",
                  "creating the store");
    for (int64_t v = from; st == CASUS_OK && v < CASUS_STORE_VERSION; v++)
        st = exec(b, store_migrations[v].sqlite, "migrating the store");
    if (st == CASUS_OK && from >= 1 && from < 2)
        st = fill_rollups(b);
    if (st == CASUS_OK) {
        char sql[128];
        snprintf(sql, sizeof sql,
                 "UPDATE casus_meta SET value = '%d' WHERE key = "
                 "'schema_version'", CASUS_STORE_VERSION);
        st = exec(b, sql, "migrating the store");
    }
    if (st == CASUS_OK)
        st = exec(b, "COMMIT", "migrating the store");
    if (st != CASUS_OK)
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    (void)s;
    return st;
}

static casus_status sq_open(casus_store *s, const char *path, unsigned flags,
                            void **out)
{
    casus_ctx *ctx = s->ctx;
    int ro = (flags & CASUS_STORE_READONLY) != 0;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || ro)
            return ctx_fail(ctx, CASUS_EIO, "%s: cannot open the store: %s",
                            s->target, strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        return ctx_fail(ctx, CASUS_EIO, "%s: is a directory, not a store",
                        s->target);
    } else if (!ro && access(path, W_OK) != 0) {
        return ctx_fail(ctx, CASUS_EIO,
                        "%s: cannot write to the store: %s", s->target,
                        strerror(errno));
    }
    sq *b = mem_alloc(ctx, sizeof *b);
    if (!b)
        return CASUS_ENOMEM;
    memset(b, 0, sizeof *b);
    b->s = s;
    int oflags = ro ? SQLITE_OPEN_READONLY
                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &b->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    casus_status st = CASUS_OK;
    if (rc != SQLITE_OK) {
        st = ctx_fail(ctx, CASUS_EIO, "%s: cannot open the store: %s",
                      s->target, b->db ? sqlite3_errmsg(b->db)
                                       : sqlite3_errstr(rc));
        goto done;
    }
    sqlite3_extended_result_codes(b->db, 1);
    sqlite3_busy_timeout(b->db, 10000);
    if (!ro && sqlite3_db_readonly(b->db, "main") == 1) {
        st = ctx_fail(ctx, CASUS_EIO, "%s: cannot write to the store "
                      "(read-only file or directory)", s->target);
        goto done;
    }
    int64_t n_tables = 0, has_meta = 0, version = 0;
    if ((st = query_int(b, "SELECT count(*) FROM sqlite_master", &n_tables)) !=
            CASUS_OK ||
        (st = query_int(b, "SELECT count(*) FROM sqlite_master WHERE type = "
                           "'table' AND name = 'casus_meta'", &has_meta)) !=
            CASUS_OK)
        goto done;
    if (has_meta) {
        int64_t app = 0;
        if ((st = query_int(b, "SELECT count(*) FROM casus_meta WHERE key = "
                               "'application' AND value = 'casus'", &app)) !=
                CASUS_OK ||
            (st = query_int(b, "SELECT CAST(value AS INTEGER) FROM casus_meta "
                               "WHERE key = 'schema_version'", &version)) !=
                CASUS_OK)
            goto done;
        if (!app) {
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store "
                          "(casus_meta does not name casus)", s->target);
            goto done;
        }
    } else if (n_tables > 0) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store (a SQLite "
                      "database of something else: it has no casus_meta "
                      "table)", s->target);
        goto done;
    } else if (ro) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus store (an empty "
                      "database)", s->target);
        goto done;
    }
    if (version > CASUS_STORE_VERSION) {
        st = ctx_fail(ctx, CASUS_EFORMAT, "%s: the store has schema version "
                      "%lld, newer than this casus supports (%d); use a newer "
                      "casus", s->target, (long long)version,
                      CASUS_STORE_VERSION);
        goto done;
    }
    if (ro) {
        /* The named queries group and sort in temporary b-trees. */
        if ((st = exec(b, "PRAGMA cache_size = -65536; "
                          "PRAGMA temp_store = MEMORY", "opening the store")) !=
            CASUS_OK)
            goto done;
        if (version < CASUS_STORE_VERSION)
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s: the store has schema "
                          "version %lld and needs migrating to %d: open it "
                          "for writing once (casus ingest)", s->target,
                          (long long)version, CASUS_STORE_VERSION);
        goto done;
    }
    if ((st = exec(b, "PRAGMA journal_mode = WAL", "setting up the store")) !=
            CASUS_OK ||
        (st = exec(b, "PRAGMA synchronous = NORMAL; "
                      "PRAGMA cache_size = -262144; "
                      "PRAGMA wal_autocheckpoint = 65536; "
                      "PRAGMA temp_store = MEMORY",
                   "setting up the store")) != CASUS_OK)
        goto done;
    if (!has_meta || version < CASUS_STORE_VERSION)
        if ((st = migrate(b, has_meta ? version : 0)) != CASUS_OK)
            goto done;
    /* A run killed while it held rollup deltas left its marker. */
    int64_t run = 0, from = 0;
    if ((st = prepare_all(b)) == CASUS_OK &&
        (rc = pending_get(b, &run, &from)) != SQLITE_OK)
        st = fail(b, rc, "opening the store");
    if (st == CASUS_OK && run)
        st = settle(b);
    if (st == CASUS_OK && s->async)
        ckpt_start(b, path);
done:
    if (st != CASUS_OK) {
        sq_close(b);
        return st;
    }
    *out = b;
    return CASUS_OK;
}

static casus_status sq_begin_run(casus_store *s, const char *started,
                                 const char *dict, const char *model,
                                 const char *options, int64_t *run_id)
{
    sq *b = s->be;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(b->db,
                                "INSERT INTO runs (started, casus_version, "
                                "dict_version, model_version, options) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "recording the run");
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, CASUS_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, dict, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, model, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, options, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(b, rc, "recording the run");
    *run_id = sqlite3_last_insert_rowid(b->db);
    return CASUS_OK;
}

static casus_status sq_finish_run(casus_store *s, int64_t run_id,
                                  const char *finished)
{
    sq *b = s->be;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(b->db, "UPDATE runs SET finished = ?1 WHERE "
                                "run_id = ?2", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "recording the run");
    sqlite3_bind_text(st, 1, finished, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, run_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CASUS_OK : fail(b, rc, "recording the run");
}

/* Steps a reusable statement to completion and resets it. */
static int step(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_pos(sqlite3_stmt *st, int i, int64_t v)
{
    if (v >= 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Binds one event's 21 values from parameter base + 1 on. */
static void bind_event(sqlite3_stmt *q, int base, const store_batch *bt,
                       const store_bevent *e, int64_t pk, int64_t run_id)
{
    sqlite3_bind_int64(q, base + 1, pk);
    sqlite3_bind_int64(q, base + 2, (int64_t)e->sentence_index);
    sqlite3_bind_int64(q, base + 3, (int64_t)e->start);
    sqlite3_bind_int64(q, base + 4, (int64_t)e->end);
    bind_opt(q, base + 5, e->date);
    sqlite3_bind_text(q, base + 6, e->source_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, base + 7, batch_str(bt, e->source_text), -1,
                      SQLITE_STATIC);
    bind_pos(q, base + 8, e->source_start);
    bind_pos(q, base + 9, e->source_end);
    if (e->has_target) {
        sqlite3_bind_text(q, base + 10, e->target_code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, base + 11, batch_str(bt, e->target_text), -1,
                          SQLITE_STATIC);
    } else {
        sqlite3_bind_null(q, base + 10);
        sqlite3_bind_null(q, base + 11);
    }
    bind_pos(q, base + 12, e->target_start);
    bind_pos(q, base + 13, e->target_end);
    sqlite3_bind_text(q, base + 14, e->cameo, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, base + 15, e->root_code, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, base + 16, e->goldstein);
    sqlite3_bind_int(q, base + 17, e->quad_class);
    sqlite3_bind_text(q, base + 18, e->plover_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, base + 19, e->plover_mode, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, base + 20, e->negated);
    sqlite3_bind_int64(q, base + 21, run_id);
}

static int write_doc(sq *b, store_batch *bt, store_bdoc *d, int64_t run_id)
{
    sqlite3_stmt *q = b->q[Q_LOOKUP];
    sqlite3_bind_text(q, 1, batch_str(bt, d->id), -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int64_t pk = 0;
    if (rc == SQLITE_ROW) {
        pk = sqlite3_column_int64(q, 0);
        const char *ch = (const char *)sqlite3_column_text(q, 1);
        const char *rh = (const char *)sqlite3_column_text(q, 2);
        d->outcome = ch && rh && !strcmp(ch, d->content_hash) &&
                     !strcmp(rh, d->rows_hash) ? 2 : 1;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        d->outcome = 0;
        rc = SQLITE_OK;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_OK || d->outcome == 2)
        return rc;
    if (d->outcome == 1) {
        /* Take the old events out of the rollups first. */
        q = b->q[Q_OLD_EVENTS];
        sqlite3_bind_int64(q, 1, pk);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            const char *tg = (const char *)sqlite3_column_text(q, 2);
            if (store_rollup_add(&b->s->rollup,
                                 (const char *)sqlite3_column_text(q, 0),
                                 (const char *)sqlite3_column_text(q, 1), tg,
                                 sqlite3_column_int(q, 3),
                                 sqlite3_column_double(q, 4), -1) !=
                CASUS_OK) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return rc;
        /* the incidents it reported, rebuilt after the batch's own */
        q = b->q[Q_TOUCHED];
        sqlite3_bind_int64(q, 1, pk);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (mem_grow(store_wctx(b->s), (void **)&b->touched, &b->cap_touched,
                         b->n_touched + 1, sizeof *b->touched) != CASUS_OK) {
                rc = SQLITE_NOMEM;
                break;
            }
            b->touched[b->n_touched++] = sqlite3_column_int64(q, 0);
        }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return rc;
        rc = SQLITE_OK;
        for (int k = Q_DEL_REPORTS; k <= Q_DEL_SENTS && rc == SQLITE_OK; k++) {
            sqlite3_bind_int64(b->q[k], 1, pk);
            rc = step(b->q[k]);
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    q = b->q[d->outcome == 1 ? Q_UPD_DOC : Q_INS_DOC];
    if (d->outcome == 1)
        sqlite3_bind_int64(q, 1, pk);
    else
        sqlite3_bind_text(q, 1, batch_str(bt, d->id), -1, SQLITE_STATIC);
    bind_opt(q, 2, batch_str(bt, d->url));
    bind_opt(q, 3, batch_str(bt, d->title));
    bind_opt(q, 4, d->date);
    sqlite3_bind_text(q, 5, d->content_hash, 64, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, d->rows_hash, 64, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, (int64_t)d->n_bytes);
    sqlite3_bind_int64(q, 8, run_id);
    if ((rc = step(q)) != SQLITE_OK)
        return rc;
    if (d->outcome == 0)
        pk = sqlite3_last_insert_rowid(b->db);

    q = b->q[Q_INS_SENT];
    for (size_t i = d->first_sent; i < d->first_sent + d->n_sent; i++) {
        const store_bsent *t = &bt->sents[i];
        sqlite3_bind_int64(q, 1, pk);
        sqlite3_bind_int64(q, 2, (int64_t)t->index);
        sqlite3_bind_int64(q, 3, (int64_t)t->start);
        sqlite3_bind_int64(q, 4, (int64_t)t->end);
        sqlite3_bind_text(q, 5, batch_str(bt, t->text), -1, SQLITE_STATIC);
        if ((rc = step(q)) != SQLITE_OK)
            return rc;
    }
    d->pk = pk;
    return SQLITE_OK;
}

/* Adds an inserted event to the batch's actor postings. */
static int post_event(sq *b, const store_bevent *e, int64_t id)
{
    store_posts *p = &b->s->posts;
    if (store_posts_add(p, 0, e, id) != CASUS_OK ||
        store_posts_add(p, 1, e, id) != CASUS_OK)
        return SQLITE_NOMEM;
    return SQLITE_OK;
}

/* Writes the batch's actor postings (store_post.c), one row per (side,
 * code) in key order, and empties them. */
static int write_postings(sq *b)
{
    store_posts *p = &b->s->posts;
    sqlite3_stmt *q = b->q[Q_INS_POSTING];
    int rc = SQLITE_OK;
    store_posts_sort(p);
    for (size_t i = 0; i < p->n && rc == SQLITE_OK; i++) {
        const store_post *e = &p->v[i];
        buf_reset(&b->scratch);
        if (buf_putc(store_wctx(b->s), &b->scratch, '[') != CASUS_OK ||
            buf_append(store_wctx(b->s), &b->scratch, e->ids.p, e->ids.n) != CASUS_OK ||
            buf_putc(store_wctx(b->s), &b->scratch, ']') != CASUS_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
        sqlite3_bind_int(q, 1, e->side);
        sqlite3_bind_text(q, 2, e->code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, e->first_id);
        sqlite3_bind_int64(q, 4, e->last_id);
        bind_opt(q, 5, e->first_date);
        bind_opt(q, 6, e->last_date);
        sqlite3_bind_int64(q, 7, (int64_t)e->n);
        sqlite3_bind_text(q, 8, b->scratch.p, (int)b->scratch.n, SQLITE_STATIC);
        sqlite3_bind_text(q, 9, e->facts.p ? e->facts.p : "", (int)e->facts.n,
                          SQLITE_STATIC);
        rc = step(q);
    }
    store_posts_reset(p);
    return rc;
}

/* Inserts the events of every written document of the batch, in document
 * order (so each document's event ids are consecutive), EVENT_ROWS per
 * statement, adds them to the rollup deltas and to the actor postings,
 * and writes the postings. */
static int write_events(sq *b, store_batch *bt, int64_t run_id)
{
    size_t n = 0;   /* events bound into the multi-row statement */
    const store_bevent *group[EVENT_ROWS];
    sqlite3_stmt *multi = b->q[Q_INS_EVENTS], *one = b->q[Q_INS_EVENT];
    int rc = SQLITE_OK, merged = !bt->delta_bad;
    for (size_t k = 0; k < bt->n_docs; k++)
        merged &= bt->docs[k].outcome != 2;
    /* every event is written: the deltas the caller summed are theirs */
    if (merged && store_rollup_merge(&b->s->rollup, &bt->delta) != CASUS_OK)
        return SQLITE_NOMEM;
    for (size_t k = 0; k < bt->n_docs && rc == SQLITE_OK; k++) {
        const store_bdoc *d = &bt->docs[k];
        if (d->outcome == 2)
            continue;
        for (size_t i = d->first_event;
             i < d->first_event + d->n_event && rc == SQLITE_OK; i++) {
            const store_bevent *e = &bt->events[i];
            if (!merged &&
                store_rollup_add(&b->s->rollup, e->date, e->source_code,
                                 e->has_target ? e->target_code : NULL,
                                 e->quad_class, e->goldstein, 1) != CASUS_OK)
                return SQLITE_NOMEM;
            bind_event(multi, (int)n * 21, bt, e, d->pk, run_id);
            group[n] = e;
            if (++n == EVENT_ROWS) {
                rc = step(multi);
                /* the rows took consecutive ids, the last one this */
                int64_t last = sqlite3_last_insert_rowid(b->db);
                for (size_t j = 0; j < n && rc == SQLITE_OK; j++)
                    rc = post_event(b, group[j], last - (int64_t)(n - 1 - j));
                n = 0;
            }
        }
    }
    /* The rest one by one: rebind them from the multi statement's rows. */
    if (rc == SQLITE_OK && n) {
        size_t skip, total = 0;
        for (size_t k = 0; k < bt->n_docs; k++)
            if (bt->docs[k].outcome != 2)
                total += bt->docs[k].n_event;
        skip = total - n;
        for (size_t k = 0; k < bt->n_docs && rc == SQLITE_OK; k++) {
            const store_bdoc *d = &bt->docs[k];
            if (d->outcome == 2)
                continue;
            for (size_t i = d->first_event;
                 i < d->first_event + d->n_event && rc == SQLITE_OK; i++) {
                if (skip) {
                    skip--;
                    continue;
                }
                bind_event(one, 0, bt, &bt->events[i], d->pk, run_id);
                rc = step(one);
                if (rc == SQLITE_OK)
                    rc = post_event(b, &bt->events[i],
                                    sqlite3_last_insert_rowid(b->db));
            }
        }
        sqlite3_clear_bindings(multi);
    }
    if (rc == SQLITE_OK)
        rc = write_postings(b);
    else
        store_posts_reset(&b->s->posts);
    return rc;
}

/* Inserts the response links of every written document, with the events
 * that stand for their sides (the k-th of a document by event id is its
 * k-th event). */
static int write_links(sq *b, store_batch *bt, int64_t run_id)
{
    sqlite3_stmt *q = b->q[Q_INS_LINK];
    int rc = SQLITE_OK;
    for (size_t k = 0; k < bt->n_docs && rc == SQLITE_OK; k++) {
        const store_bdoc *d = &bt->docs[k];
        if (d->outcome == 2)
            continue;
        for (size_t i = d->first_link; i < d->first_link + d->n_link && rc == SQLITE_OK;
             i++) {
            const store_blink *l = &bt->links[i];
            sqlite3_bind_int64(q, 1, d->pk);
            sqlite3_bind_int64(q, 2, (int64_t)l->trigger);
            sqlite3_bind_int64(q, 3, (int64_t)l->response);
            sqlite3_bind_text(q, 4, l->kind, -1, SQLITE_STATIC);
            if (l->has_lag)
                sqlite3_bind_int64(q, 5, l->lag_days);
            else
                sqlite3_bind_null(q, 5);
            sqlite3_bind_int64(q, 6, run_id);
            sqlite3_bind_text(q, 7, l->trigger_ref, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 8, l->response_ref, -1, SQLITE_STATIC);
            bind_opt(q, 9, l->responder);
            rc = step(q);
        }
    }
    return rc;
}

static void bind_count(sqlite3_stmt *q, int i, int64_t v)
{
    if (v == INT64_MIN)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_int64(q, i, v);
}

/* Upserts an incident's row (q: Q_UPS_INCIDENT, bound) and sets *pk to
 * its incident_pk; *stored: it was stored before (an update, whose counts
 * need counting again), which the rowid of a new row tells apart. */
static int upsert_incident(sq *b, sqlite3_stmt *q, const char *ref, int64_t *pk,
                           int *stored)
{
    sqlite3_set_last_insert_rowid(b->db, 0);
    int rc = step(q);
    *pk = sqlite3_last_insert_rowid(b->db);
    *stored = *pk <= 0;
    if (rc != SQLITE_OK || !*stored)
        return rc;
    sqlite3_stmt *f = b->q[Q_INC_PK];
    sqlite3_bind_text(f, 1, ref, -1, SQLITE_STATIC);
    rc = sqlite3_step(f);
    *pk = rc == SQLITE_ROW ? sqlite3_column_int64(f, 0) : 0;
    sqlite3_reset(f);
    return rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
}

/* Counts incident pk's documents and evidence again from its evidence
 * (store_int.h, "Incident counts"). */
static int recount_incident(sq *b, int64_t pk)
{
    sqlite3_bind_int64(b->q[Q_INC_RECOUNT], 1, pk);
    return step(b->q[Q_INC_RECOUNT]);
}

/* Writes the incidents of every written document, in document order (a
 * later document's view of a shared incident replaces an earlier one's),
 * each with this document's evidence rows and its counts (store_int.h,
 * "Incident counts"). */
static int write_incidents(sq *b, store_batch *bt, int64_t run_id)
{
    sqlite3_stmt *q = b->q[Q_UPS_INCIDENT], *e = b->q[Q_INS_EVIDENCE];
    int rc = SQLITE_OK;
    int64_t pk = 0;   /* the last row's incident_pk, for its report */
    for (size_t k = 0; k < bt->n_docs && rc == SQLITE_OK; k++) {
        const store_bdoc *d = &bt->docs[k];
        if (d->outcome == 2)
            continue;
        for (size_t i = d->first_inc; i < d->first_inc + d->n_inc && rc == SQLITE_OK;
             i++) {
            const store_binc *c = &bt->incs[i];
            if (c->report)   /* the document's own report, after its row */
                q = b->q[Q_INS_REPORT];
            sqlite3_bind_text(q, 1, c->ref, -1, SQLITE_STATIC);
            bind_opt(q, 2, c->start);
            bind_opt(q, 3, c->end);
            bind_opt(q, 4, c->date_precision);
            if (c->has_location) {
                bind_opt(q, 5, c->country);
                bind_opt(q, 6, batch_str(bt, c->admin1));
                bind_opt(q, 7, batch_str(bt, c->location));
                sqlite3_bind_double(q, 8, c->lat);
                sqlite3_bind_double(q, 9, c->lon);
                bind_opt(q, 10, c->location_precision);
            } else {
                for (int j = 5; j <= 10; j++)
                    sqlite3_bind_null(q, j);
            }
            bind_opt(q, 11, c->method);
            bind_count(q, 12, c->killed_min);
            bind_count(q, 13, c->killed_max);
            bind_count(q, 14, c->injured_min);
            bind_count(q, 15, c->injured_max);
            bind_count(q, 16, c->casualties_min);
            bind_count(q, 17, c->casualties_max);
            sqlite3_bind_text(q, 18, batch_str(bt, c->perpetrators), -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 19, batch_str(bt, c->targets), -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 20, c->report ? d->pk : run_id);
            if (c->report) {   /* after its row: pk is the row's */
                sqlite3_bind_int64(q, 21, pk);
                rc = step(q);
                q = b->q[Q_UPS_INCIDENT];
                continue;
            }
            /* the evidence rows are distinct sentences (store.c) */
            sqlite3_bind_int64(q, 21, c->n_ev > 0);
            sqlite3_bind_int64(q, 22, (int64_t)c->n_ev);
            int stored;
            rc = upsert_incident(b, q, c->ref, &pk, &stored);
            for (size_t j = c->first_ev; j < c->first_ev + c->n_ev && rc == SQLITE_OK;
                 j++) {
                const store_bievid *v = &bt->ievs[j];
                sqlite3_bind_int64(e, 1, pk);
                sqlite3_bind_int64(e, 2, d->pk);
                sqlite3_bind_int64(e, 3, (int64_t)v->sentence_index);
                sqlite3_bind_int64(e, 4, (int64_t)v->start);
                sqlite3_bind_int64(e, 5, (int64_t)v->end);
                rc = step(e);
            }
            if (rc == SQLITE_OK && stored)
                rc = recount_incident(b, pk);
        }
    }
    return rc;
}

/* A report row of Q_INC_REPORTS as a store_col_fn: reals with all their
 * digits. */
typedef struct sq_row {
    sqlite3_stmt *st;
    char t[32];
} sq_row;

static const char *sq_col(void *row, size_t i, size_t *n)
{
    sq_row *r = row;
    int c = (int)i;
    switch (sqlite3_column_type(r->st, c)) {
    case SQLITE_NULL:
        *n = 0;
        return NULL;
    case SQLITE_FLOAT:
        *n = (size_t)snprintf(r->t, sizeof r->t, "%.17g", sqlite3_column_double(r->st, c));
        return r->t;
    default:
        *n = (size_t)sqlite3_column_bytes(r->st, c);
        return (const char *)sqlite3_column_text(r->st, c);
    }
}

static int cmp_pk(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Rebuilds the incidents the batch's replaced documents reported
 * (store_int.h): each goes with its evidence when no report is left, else
 * its row becomes the merge of the reports left. */
static int rebuild_incidents(sq *b, int64_t run_id)
{
    int rc = SQLITE_OK;
    if (b->n_touched > 1)   /* touched is NULL while none was */
        qsort(b->touched, b->n_touched, sizeof *b->touched, cmp_pk);
    for (size_t i = 0; i < b->n_touched && rc == SQLITE_OK; i++) {
        int64_t pk = b->touched[i];
        if (i && pk == b->touched[i - 1])
            continue;
        sqlite3_stmt *q = b->q[Q_INC_REPORTS];
        sq_row row = {q, ""};
        sqlite3_bind_int64(q, 1, pk);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW)
            if (store_remerge_add(b->s, &b->remerge, sq_col, &row) != CASUS_OK) {
                rc = SQLITE_NOMEM;
                break;
            }
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            break;
        rc = SQLITE_OK;
        if (!b->remerge.n) {
            for (int k = Q_DEL_INC_EVIDENCE; k <= Q_DEL_INCIDENT && rc == SQLITE_OK; k++) {
                sqlite3_bind_int64(b->q[k], 1, pk);
                rc = step(b->q[k]);
            }
            continue;
        }
        if (store_remerge_finish(b->s, &b->remerge) != CASUS_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
        q = b->q[Q_UPD_INCIDENT];
        sqlite3_bind_int64(q, 1, pk);
        for (int k = 0; k < STORE_INC_NCOLS; k++) {
            const char *v = b->remerge.val[k];
            if (!v)
                sqlite3_bind_null(q, k + 2);
            else if (STORE_INC_KINDS[k] == 'r')
                sqlite3_bind_double(q, k + 2, strtod(v, NULL));
            else if (STORE_INC_KINDS[k] == 'i')
                sqlite3_bind_int64(q, k + 2, strtoll(v, NULL, 10));
            else
                sqlite3_bind_text(q, k + 2, v, -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(q, STORE_INC_NCOLS + 2, run_id);
        rc = step(q);
        if (rc == SQLITE_OK)
            rc = recount_incident(b, pk);
    }
    b->n_touched = 0;
    b->remerge.n = 0;
    return rc;
}

/* Writes the batch's rollup deltas (store_int.h) in primary-key order:
 * one upsert per row (a plain UPDATE for a dyad key that only lost events:
 * its row exists, and it has no first/last of its own to insert); then,
 * for keys that lost events, rows left at 0 are dropped and first/last
 * recomputed when a lost event may have held them: a month row's from the
 * events (through the source's postings), then an all-time row's from its
 * month rows. */
static int apply_rollup(sq *b)
{
    store_rollup *r = &b->s->rollup;
    int rc = SQLITE_OK, all_removed = 0;
    store_rollup_sort(r);
    for (size_t i = 0; i < r->n_a && rc == SQLITE_OK; i++) {
        const rollup_akey *k = &r->a[i];
        for (int pass = 0; pass < 2 && rc == SQLITE_OK; pass++) {
            if ((pass == 0 && k->n == 0) || (pass == 1 && !k->removed))
                continue;
            sqlite3_stmt *q = b->q[pass == 0 ? Q_RA_UPSERT : Q_RA_DEL];
            sqlite3_bind_int(q, 1, k->side);
            sqlite3_bind_text(q, 2, k->actor, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, k->month, -1, SQLITE_STATIC);
            sqlite3_bind_int(q, 4, k->quad);
            sqlite3_bind_int(q, 5, k->common);
            if (pass == 0)
                sqlite3_bind_int64(q, 6, k->n);
            rc = step(q);
        }
    }
    for (size_t i = 0; i < r->n_d && rc == SQLITE_OK; i++) {
        const rollup_dkey *k = &r->d[i];
        int all = !strcmp(k->month, "*");
        int qs[3] = {k->first[0] ? Q_RD_UPSERT : Q_RD_UPDATE, Q_RD_DEL,
                     Q_RD_FIX_MONTH};
        all_removed |= all && k->removed;
        for (int pass = 0; pass < 3 && rc == SQLITE_OK; pass++) {
            if (pass >= 1 && !k->removed)
                break;
            if (pass == 2 && all)
                break;   /* after every month row, below */
            sqlite3_stmt *q = b->q[qs[pass]];
            sqlite3_bind_text(q, 1, k->month, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, k->source, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, k->target, -1, SQLITE_STATIC);
            if (pass == 0) {
                sqlite3_bind_int64(q, 4, k->n);
                sqlite3_bind_int64(q, 5, k->conflict);
                sqlite3_bind_double(q, 6, k->goldstein);
                if (k->first[0]) {
                    sqlite3_bind_text(q, 7, k->first, -1, SQLITE_STATIC);
                    sqlite3_bind_text(q, 8, k->last, -1, SQLITE_STATIC);
                }
            } else if (pass == 2) {
                sqlite3_bind_text(q, 4, k->rfirst, -1, SQLITE_STATIC);
                sqlite3_bind_text(q, 5, k->rlast, -1, SQLITE_STATIC);
            }
            rc = step(q);
        }
    }
    if (rc == SQLITE_OK && all_removed) {
        sqlite3_stmt *m = b->q[Q_MONTHS], *q = b->q[Q_RD_FIX_ALL];
        rc = sqlite3_step(m);
        const char *months = rc == SQLITE_ROW
                                 ? (const char *)sqlite3_column_text(m, 0) : NULL;
        rc = rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_OK : rc;
        for (size_t i = 0; i < r->n_d && rc == SQLITE_OK; i++) {
            const rollup_dkey *k = &r->d[i];
            if (!k->removed || strcmp(k->month, "*"))
                continue;
            sqlite3_bind_text(q, 1, k->month, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, k->source, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, k->target, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 4, months ? months : "[]", -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, k->rfirst, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 6, k->rlast, -1, SQLITE_STATIC);
            rc = step(q);
        }
        sqlite3_reset(m);
    }
    store_rollup_reset(r);
    return rc;
}

/* The deferred-rollup marker (store_int.h); *run = 0 when none. */
static int pending_get(sq *b, int64_t *run, int64_t *from)
{
    sqlite3_stmt *q = b->q[Q_PEND_GET];
    int rc = sqlite3_step(q);
    store_pending_parse(rc == SQLITE_ROW
                            ? (const char *)sqlite3_column_text(q, 0) : NULL,
                        run, from);
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Sets the marker to (run, from), or clears it (run 0). */
static int pending_set(sq *b, int64_t run, int64_t from)
{
    char v[48] = "";
    if (run)
        snprintf(v, sizeof v, "%lld %lld", (long long)run, (long long)from);
    sqlite3_stmt *q = b->q[Q_PEND_SET];
    sqlite3_bind_text(q, 1, v, -1, SQLITE_TRANSIENT);
    return step(q);
}

/*
 * In a write transaction, before anything else: when the marker is this
 * handle's, its deltas in memory stand for the pending events (*mine = 1).
 * Otherwise those deltas are dropped (someone else wrote them from the
 * events), and a marker of another run is settled now: its pending events
 * are read back, their deltas written (100,000 events per round) and the
 * marker cleared.
 */
static int take_over(sq *b, int *mine)
{
    casus_store *s = b->s;
    int64_t run, from;
    int rc = pending_get(b, &run, &from);
    *mine = rc == SQLITE_OK && run && s->rollup_defer && run == s->run_id &&
            from == s->rollup_from;
    if (rc != SQLITE_OK || *mine)
        return rc;
    store_drop_deltas(s);
    if (!run)
        return SQLITE_OK;
    sqlite3_stmt *q = b->q[Q_PEND_EVENTS];
    sqlite3_bind_int64(q, 1, run);
    sqlite3_bind_int64(q, 2, from);
    rc = rollup_rows(b, q);
    sqlite3_reset(q);
    return rc == SQLITE_OK ? pending_set(b, 0, 0) : rc;
}


static casus_status sq_write_batch(casus_store *s, store_batch *bt,
                                   int64_t run_id)
{
    sq *b = s->be;
    ckpt_gate(b);
    int rc = sqlite3_exec(b->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "starting a transaction");
    int mine = 0, replaced = 0;
    int64_t next_event = 0;
    size_t n_written = 0;
    store_posts_reset(&s->posts);
    b->n_touched = 0;
    b->remerge.n = 0;
    rc = take_over(b, &mine);
    sqlite3_stmt *q = b->q[Q_INS_ACTOR];
    for (size_t i = 0; i < bt->n_actors && rc == SQLITE_OK; i++) {
        sqlite3_bind_text(q, 1, bt->actors[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, batch_str(bt, bt->actors[i].name), -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, run_id);
        rc = step(q);
    }
    for (size_t i = 0; i < bt->n_docs && rc == SQLITE_OK; i++) {
        rc = write_doc(b, bt, &bt->docs[i], run_id);
        replaced |= bt->docs[i].outcome == 1;
        if (bt->docs[i].outcome != 2)
            n_written += bt->docs[i].n_event;
    }
    if (rc == SQLITE_OK && !mine) {
        /* The first id this batch's events get (max + 1: nothing is
         * deleted after this point). */
        q = b->q[Q_NEXT_EVENT];
        if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            next_event = sqlite3_column_int64(q, 0);
            rc = SQLITE_OK;
        }
        sqlite3_reset(q);
    }
    if (rc == SQLITE_OK)
        rc = write_events(b, bt, run_id);
    if (rc == SQLITE_OK)
        rc = write_links(b, bt, run_id);
    if (rc == SQLITE_OK)
        rc = write_incidents(b, bt, run_id);
    if (rc == SQLITE_OK)
        rc = rebuild_incidents(b, run_id);
    /* Write the deltas now, or hold them for a later batch (store_int.h). */
    int hold = !s->settling && !replaced &&
               s->rollup.n_a + s->rollup.n_d <= ROLLUP_DEFER_KEYS &&
               s->rollup_held + n_written <= ROLLUP_DEFER_EVENTS &&
               s->rollup.n_a + s->rollup.n_d > 0;
    if (rc == SQLITE_OK && !hold) {
        rc = apply_rollup(b);
        if (rc == SQLITE_OK && mine)
            rc = pending_set(b, 0, 0);
    } else if (rc == SQLITE_OK && !mine) {
        rc = pending_set(b, run_id, next_event);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        casus_status st = fail(b, rc, "writing a batch");
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
        /* the deltas may hold the rolled back batch; a marker of ours that
         * stays committed is settled from the events like anyone else's */
        store_drop_deltas(s);
        return st;
    }
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

/* Writes held deltas, or settles another run's marker, in a transaction
 * of its own (store_ops.settle_rollups). */
static casus_status settle(sq *b)
{
    casus_store *s = b->s;
    int rc = sqlite3_exec(b->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "starting a transaction");
    int mine = 0;
    rc = take_over(b, &mine);
    if (rc == SQLITE_OK && mine) {
        rc = apply_rollup(b);
        if (rc == SQLITE_OK)
            rc = pending_set(b, 0, 0);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
    casus_status st = CASUS_OK;
    if (rc != SQLITE_OK) {
        st = fail(b, rc, "writing the rollups");
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    }
    store_drop_deltas(s);
    return st;
}

static casus_status sq_settle_rollups(casus_store *s)
{
    return settle(s->be);
}

/* ---------------------------------------------------------------- compaction */

/* Compacts the postings (store_int.h) in one write transaction. */
static casus_status sq_compact(casus_store *s, int auto_only, casus_store_compaction *out)
{
    sq *b = s->be;
    casus_ctx *ctx = s->ctx;
    casus_store_compaction none;
    store_tomb *t = NULL;
    int64_t *cand = NULL;
    size_t n_t = 0, cap_t = 0, n_c = 0, cap_c = 0;
    store_post_left left;
    sqlite3_stmt *q = NULL, *get = NULL, *upd = NULL, *del = NULL;
    if (!out)
        out = &none;
    memset(out, 0, sizeof *out);
    memset(&left, 0, sizeof left);
    int rc = sqlite3_exec(b->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(b, rc, "compacting the postings");
    if (auto_only) {
        rc = sqlite3_prepare_v2(b->db, "SELECT (SELECT count(*) FROM event_tombstones), "
                                "coalesce((SELECT max(event_id) FROM events), 0)",
                                -1, &q, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(q);
        int over = rc == SQLITE_ROW && store_compact_due(sqlite3_column_int64(q, 0),
                                                         sqlite3_column_int64(q, 1));
        rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
        sqlite3_finalize(q);
        q = NULL;
        if (rc != SQLITE_OK || !over)
            goto done;
    }
    rc = sqlite3_prepare_v2(b->db, "SELECT event_id, below_posting FROM event_tombstones "
                            "ORDER BY event_id, below_posting", -1, &q, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (mem_grow(ctx, (void **)&t, &cap_t, n_t + 1, sizeof *t) != CASUS_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
        t[n_t].id = sqlite3_column_int64(q, 0);
        t[n_t++].below = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_DONE || !n_t)
        goto done;
    /* the postings holding an id that a tombstone kills there */
    rc = sqlite3_prepare_v2(b->db, "SELECT posting_id FROM event_postings p WHERE EXISTS "
                            "(SELECT 1 FROM event_tombstones t WHERE t.event_id BETWEEN "
                            "p.first_id AND p.last_id AND t.below_posting > p.posting_id)",
                            -1, &q, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (mem_grow(ctx, (void **)&cand, &cap_c, n_c + 1, sizeof *cand) != CASUS_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
        cand[n_c++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_DONE)
        goto done;
    rc = sqlite3_prepare_v2(b->db, "SELECT ids, facts FROM event_postings WHERE "
                            "posting_id = ?1", -1, &get, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(b->db, "UPDATE event_postings SET ids = ?2, facts = ?3, "
                                "n = ?4, first_id = ?5, last_id = ?6 WHERE posting_id "
                                "= ?1", -1, &upd, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(b->db, "DELETE FROM event_postings WHERE posting_id = ?1",
                                -1, &del, NULL);
    for (size_t i = 0; i < n_c && rc == SQLITE_OK; i++) {
        sqlite3_bind_int64(get, 1, cand[i]);
        if ((rc = sqlite3_step(get)) != SQLITE_ROW) {
            sqlite3_reset(get);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
            continue;
        }
        rc = SQLITE_OK;
        buf_reset(&left.ids);
        buf_reset(&left.facts);
        casus_status st = store_post_compact(
            ctx, t, n_t, cand[i], (const char *)sqlite3_column_text(get, 0),
            (size_t)sqlite3_column_bytes(get, 0), (const char *)sqlite3_column_text(get, 1),
            (size_t)sqlite3_column_bytes(get, 1), "[]", &left);
        sqlite3_reset(get);
        if (st != CASUS_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
        if (!left.dropped)
            continue;
        out->postings++;
        out->ids += left.dropped;
        if (!left.n) {
            out->postings_deleted++;
            sqlite3_bind_int64(del, 1, cand[i]);
            rc = step(del);
            continue;
        }
        sqlite3_bind_int64(upd, 1, cand[i]);
        sqlite3_bind_text(upd, 2, left.ids.p, (int)left.ids.n, SQLITE_STATIC);
        sqlite3_bind_text(upd, 3, left.facts.p ? left.facts.p : "", (int)left.facts.n,
                          SQLITE_STATIC);
        sqlite3_bind_int64(upd, 4, (int64_t)left.n);
        sqlite3_bind_int64(upd, 5, left.first_id);
        sqlite3_bind_int64(upd, 6, left.last_id);
        rc = step(upd);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(b->db, "DELETE FROM event_tombstones", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        out->tombstones = (size_t)sqlite3_changes(b->db);
done:
    sqlite3_finalize(q);
    sqlite3_finalize(get);
    sqlite3_finalize(upd);
    sqlite3_finalize(del);
    buf_free(ctx, &left.ids);
    buf_free(ctx, &left.facts);
    mem_free(ctx, t);
    mem_free(ctx, cand);
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
        if (out->tombstones)
            store_crash_point("compact");
        rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        casus_status st = fail(b, rc, "compacting the postings");
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
        memset(out, 0, sizeof *out);
        return st;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- cursors */

/* Denies ATTACH and DETACH in user SQL: they would reach other files. */
static int deny_attach(void *ud, int action, const char *a, const char *b,
                       const char *c, const char *d)
{
    (void)ud; (void)a; (void)b; (void)c; (void)d;
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY
                                                              : SQLITE_OK;
}

static casus_status sq_cursor_open(casus_store *s, const char *sql,
                                   const char *const *params, size_t n,
                                   int user, store_cursor **out)
{
    sq *b = s->be;
    casus_ctx *ctx = s->ctx;
    *out = NULL;
    /* $N -> ?N, outside quotes. */
    size_t len = strlen(sql);
    char *text = mem_alloc(ctx, len + 1);
    if (!text)
        return CASUS_ENOMEM;
    char quote = 0;
    for (size_t i = 0; i <= len; i++) {
        char ch = sql[i];
        if (quote)
            quote = ch == quote ? 0 : quote;
        else if (ch == '\'' || ch == '"')
            quote = ch;
        else if (!user && ch == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9')
            ch = '?';
        text[i] = ch;
    }
    store_cursor *c = mem_alloc(ctx, sizeof *c);
    if (!c) {
        mem_free(ctx, text);
        return CASUS_ENOMEM;
    }
    c->s = s;
    c->b = b;
    c->st = NULL;
    const char *tail = NULL;
    if (user)
        sqlite3_set_authorizer(b->db, deny_attach, NULL);
    int rc = sqlite3_prepare_v2(b->db, text, -1, &c->st, &tail);
    if (user)
        sqlite3_set_authorizer(b->db, NULL, NULL);
    casus_status st = CASUS_OK;
    if (rc != SQLITE_OK) {
        st = rc == SQLITE_AUTH
                 ? ctx_fail(ctx, CASUS_EINVAL, "query: ATTACH and DETACH are "
                            "not allowed")
                 : user ? ctx_fail(ctx, CASUS_EINVAL, "query: %s",
                                   sqlite3_errmsg(b->db))
                        : fail(b, rc, "query");
    } else if (!c->st) {
        st = ctx_fail(ctx, CASUS_EINVAL, "query: no SQL statement given");
    } else if (user) {
        while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' ||
                        *tail == '\r' || *tail == ';'))
            tail++;
        if (tail && *tail)
            st = ctx_fail(ctx, CASUS_EINVAL, "query: give one SQL statement "
                          "only (found more after the first)");
        else if (!sqlite3_stmt_readonly(c->st))
            st = ctx_fail(ctx, CASUS_EINVAL, "query: only read-only SQL is "
                          "allowed (SELECT, WITH ... SELECT, EXPLAIN)");
    }
    for (size_t i = 0; st == CASUS_OK && i < n; i++) {
        if (params[i])
            sqlite3_bind_text(c->st, (int)i + 1, params[i], -1,
                              SQLITE_TRANSIENT);
    }
    mem_free(ctx, text);
    if (st != CASUS_OK) {
        sqlite3_finalize(c->st);
        mem_free(ctx, c);
        return st;
    }
    *out = c;
    return CASUS_OK;
}

static casus_status sq_cursor_next(store_cursor *c)
{
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW)
        return CASUS_OK;
    if (rc == SQLITE_DONE)
        return CASUS_DONE;
    return fail(c->b, rc, "query");
}

static size_t sq_cursor_ncols(const store_cursor *c)
{
    return (size_t)sqlite3_column_count(c->st);
}

static const char *sq_cursor_name(const store_cursor *c, size_t i)
{
    return sqlite3_column_name(c->st, (int)i);
}

static const char *sq_cursor_text(store_cursor *c, size_t i, size_t *n)
{
    const char *t = (const char *)sqlite3_column_text(c->st, (int)i);
    *n = t ? (size_t)sqlite3_column_bytes(c->st, (int)i) : 0;
    return t;
}

static void sq_cursor_close(store_cursor *c)
{
    sqlite3_finalize(c->st);
    mem_free(c->s->ctx, c);
}

const store_ops store_sqlite_ops = {
    "sqlite", sq_open, sq_close, sq_begin_run, sq_finish_run, sq_write_batch,
    sq_settle_rollups,
    sq_cursor_open, sq_cursor_next, sq_cursor_ncols, sq_cursor_name,
    sq_cursor_text, sq_cursor_close, sq_compact,
};
