/*
 * store_int.h - the store stage's private structures: the write batch that
 * store.c fills and the backend operations that store_sqlite.c and
 * store_pg.c implement.
 *
 * store.c is backend-neutral: it copies documents, sentences and events into
 * a batch, hashes them, remembers which actors this handle has already
 * written, and hands full batches to the backend's write_batch, which writes
 * the whole batch in one transaction: for each document it looks up the
 * stored (content_hash, rows_hash) of its id, skips it when both match,
 * deletes its old rows when they differ, and inserts its new rows. Strings
 * in the batch are offsets into one buffer (b->str), NUL-terminated.
 */
#ifndef CASUS_STORE_INT_H
#define CASUS_STORE_INT_H

#include <pthread.h>
#include <stdint.h>

#include "incident.h"
#include "store.h"
#include "util/buf.h"

/* An offset into batch->str; 0 is the empty string (str starts with NUL). */
typedef size_t sref;

typedef struct store_bdoc {
    sref id, url, title;
    char date[11];           /* "YYYY-MM-DD" or "" */
    char content_hash[65];
    char rows_hash[65];
    size_t n_bytes;          /* length of the text */
    size_t first_sent, n_sent;
    size_t first_event, n_event;
    size_t first_link, n_link;   /* response links between its events */
    size_t first_inc, n_inc;     /* incidents it reports (store_binc) */
    /* Set by write_batch: 0 added, 1 replaced, 2 unchanged; its key. */
    int outcome;
    int64_t pk;
} store_bdoc;

typedef struct store_bsent {
    size_t index, start, end;
    sref text;
} store_bsent;

typedef struct store_bevent {
    size_t sentence_index, start, end;
    char date[11];
    char source_code[32], target_code[32];
    sref source_text, target_text;
    int64_t source_start, source_end, target_start, target_end; /* -1: none */
    int has_target;
    char cameo[8];
    char root_code[3];
    double goldstein;
    int quad_class;
    char plover_type[16], plover_mode[24];
    int negated;
} store_bevent;

/* A response link stated by one document: the ids casus code writes, and
 * the events standing for its sides as indices among the document's events
 * (the backend finds their ids after inserting them); -1: none. */
typedef struct store_blink {
    long trigger, response;
    char trigger_ref[112], response_ref[112], responder[32];
    char kind[64];
    int has_lag;
    int64_t lag_days;
} store_blink;

/* An incident a document reports, as the incident stage had it right after
 * adding the document (merged with the earlier documents' reports), with
 * the evidence sentences of this document (store_bievid). Counts: INT64_MIN
 * is NULL (not stated; an open maximum). */
typedef struct store_binc {
    char ref[80];                  /* casus_incident.id: "<doc id>#<n>" */
    char start[11], end[11];       /* "" when not stated */
    char date_precision[8];
    int has_location;
    char country[4];
    sref location, admin1;
    double lat, lon;
    char location_precision[8];
    char method[16];
    int64_t killed_min, killed_max, injured_min, injured_max;
    int64_t casualties_min, casualties_max;
    sref perpetrators, targets;    /* JSON arrays as in the record */
    size_t first_ev, n_ev;
    int report;                    /* 0: the merged row (incidents), with the
                                    * evidence; 1: the document's own report
                                    * (incident_reports), which follows it */
} store_binc;

typedef struct store_bievid {
    size_t sentence_index, start, end;
} store_bievid;

typedef struct store_bactor {
    char code[32];
    sref name;
} store_bactor;



/*
 * The rollups (schema version 2): per-batch deltas, aggregated in memory by
 * store_rollup.c and applied by the backend at the end of write_batch, in
 * the batch's transaction. A written event adds +1 to its keys, an event of
 * a replaced document (read back before its rows are deleted) -1; keys that
 * lost events are marked (removed) so the backend can drop rows whose count
 * fell to 0 and recompute first/last from the events table.
 *
 * rollup_actor (side, actor, month, quad_class, common, n): side 0 counts
 * events by source code, side 1 by target code. common (side 1 only) says
 * for which prefix lengths L the source is in the target's prefix range as
 * well: the source code s lies in [t[0..L), t[0..L) || '~') exactly when
 * L <= common (see store_rollup_common). timeline --country C counts side 0
 * rows in C's range plus side 1 rows in range with common < strlen(C): each
 * event once, as the events-table definition does.
 *
 * rollup_dyad (month, source, target, n, conflict, goldstein, first, last):
 * events with a target, per month ('YYYY-MM', the first 7 bytes of
 * event_date) and over all time (month '*', which sorts before digits).
 * Events without a date are in no rollup (no named query counts them).
 *
 * Deferred rollups (schema version 6). Writing the deltas of every batch
 * rewrote the same rows (the all-time dyads) batch after batch, so a
 * writing handle keeps its deltas in memory across its batches, up to
 * ROLLUP_DEFER_KEYS keys, and writes them in the transaction of a later
 * batch: one that replaces a document, one that would hold more keys, the
 * last one (casus_store_commit), or settle_rollups at close. While it
 * holds deltas, the store says so in casus_meta: key 'rollup_pending',
 * value "RUN FROM": the events of run RUN with event_id >= FROM are not in
 * the rollups yet (every other event is). The marker is written in the
 * transaction of the batch whose deltas start being held and cleared in
 * the one that writes them, so it is always true of the committed store.
 * A handle that finds a marker that is not its own (a run killed with
 * deltas in memory, or another writer's) reads those events back, writes
 * their deltas and clears the marker, in the transaction of its batch or
 * at open; a handle that finds its own marker gone drops its deltas
 * (someone else wrote them from the events). The named queries read the
 * events instead of the rollups while a marker is set (query.c).
 */
typedef struct rollup_akey {
    char actor[32];
    char month[8];
    uint8_t side, quad, common;
    int removed;
    int64_t n;
} rollup_akey;

typedef struct rollup_dkey {
    char month[8];
    char source[32], target[32];
    int removed;
    int64_t n, conflict;
    double goldstein;
    char first[11], last[11];   /* of the added events; "" when none */
    char rfirst[11], rlast[11]; /* of the removed events; "" when none */
} rollup_dkey;

typedef struct store_rollup {
    casus_ctx *ctx;
    rollup_akey *a;
    size_t n_a, cap_a;
    uint64_t *a_slot;           /* open addressing (store_rollup.c) */
    size_t cap_a_slot;
    rollup_dkey *d;
    size_t n_d, cap_d;
    uint64_t *d_slot;
    size_t cap_d_slot;
    int sorted;                 /* store_rollup_sort ran: no more adds */
} store_rollup;

typedef struct store_batch {
    store_bdoc *docs;
    size_t n_docs, cap_docs;
    store_bsent *sents;
    size_t n_sents, cap_sents;
    store_bevent *events;
    size_t n_events, cap_events;
    store_blink *links;
    size_t n_links, cap_links;
    store_binc *incs;
    size_t n_incs, cap_incs;
    store_bievid *ievs;
    size_t n_ievs, cap_ievs;
    store_bactor *actors;     /* not yet written by this handle */
    size_t n_actors, cap_actors;
    buf str;
    /* The rollup deltas (+1) of all the batch's events, summed on the
     * caller's thread as they are queued; the backend merges them
     * (store_rollup_merge) instead of adding event by event when the batch
     * skips no document. delta_bad: an add failed, add event by event. */
    store_rollup delta;
    int delta_bad;
} store_batch;

static inline const char *batch_str(const store_batch *b, sref r)
{
    return b->str.p ? b->str.p + r : "";
}

/* Adds (sign +1) or removes (-1) one event's contributions. date may be
 * "" or NULL (no rollup), target NULL when the event has none. */
casus_status store_rollup_add(store_rollup *r, const char *date,
                              const char *source, const char *target,
                              int quad_class, double goldstein, int sign);
/* Adds the deltas of from (not sorted) to r, as if from's events were
 * added to r one by one (goldstein sums may round differently). */
casus_status store_rollup_merge(store_rollup *r, const store_rollup *from);
/* Sorts the keys in the primary-key order of rollup_actor and rollup_dyad
 * (for the backend to apply them in order); no store_rollup_add until the
 * next store_rollup_reset. */
void store_rollup_sort(store_rollup *r);
void store_rollup_reset(store_rollup *r);
void store_rollup_free(store_rollup *r);
/* The common value of a target-side row (see above). */
int store_rollup_common(const char *source, const char *target);

/*
 * Actor postings (schema version 8, store_post.c): per batch and per
 * (side, code) the ids of the batch's events with that code as source
 * (side 0) or target (side 1), one row of event_postings each, in place of
 * the actor indexes on events. ids is a comma list of decimal ids in
 * insertion order; first_date/last_date bound the events' dates ("" when
 * none has one).
 */
typedef struct store_post {
    char code[32];
    uint8_t side;
    char first_date[11], last_date[11];
    int64_t first_id, last_id;
    size_t n;
    buf ids;
    buf facts;    /* schema 9: "id,date,root,other;" per counted event */
} store_post;

typedef struct store_posts {
    casus_ctx *ctx;
    store_post *v;
    size_t n, cap;
    uint32_t *slot;             /* index + 1, 0 empty */
    size_t cap_slot;
    int sorted;                 /* store_posts_sort ran: no more adds */
} store_posts;

/* Adds event e, inserted as id, to the posting of (side, its source code
 * on side 0, its target code on side 1; no target is none), with its
 * forecast fact. */
casus_status store_posts_add(store_posts *p, int side, const store_bevent *e,
                             int64_t id);
/* Sorts the postings by (side, code); no store_posts_add until reset. */
void store_posts_sort(store_posts *p);
void store_posts_reset(store_posts *p);
void store_posts_free(store_posts *p);

/*
 * Incident rows rebuilt from their reports. A replaced document's reports
 * go with it; every incident it reported (the backends note them before
 * the delete) is then rebuilt in the same transaction, after the batch's
 * own incidents: with no report left it goes with its evidence, else its
 * row becomes the merge of the reports left (incident_merge_reports, in
 * document order), so a row never keeps fields of a report that is gone.
 * STORE_INC_COLS are the columns an incident row shares with a report
 * (schema 4 and 7), in order.
 */
#define STORE_INC_COLS                                                        \
    "start_date, end_date, date_precision, country, admin1, location, "       \
    "latitude, longitude, location_precision, method, killed_min, "           \
    "killed_max, injured_min, injured_max, casualties_min, casualties_max, "  \
    "perpetrators, targets"
#define STORE_INC_NCOLS 18

/*
 * Incident counts (schema 10): n_documents and n_evidence on an incident's
 * row are the distinct documents and the rows of its incident_evidence. A
 * new row gets its batch's counts with it; a row the batch's upsert finds
 * already stored (another document reports it too), or one rebuilt after
 * a replaced document, is counted again from its evidence
 * (STORE_INC_RECOUNT, PK: the incident_pk of the row updated) after the
 * evidence is written.
 */
#define STORE_INC_RECOUNT(PK)                                                 \
    "UPDATE incidents SET n_documents = (SELECT count(DISTINCT e.doc_pk) "    \
    "FROM incident_evidence e WHERE e.incident_pk = " PK "), n_evidence = "   \
    "(SELECT count(*) FROM incident_evidence e WHERE e.incident_pk = " PK ")"
/* The kind of column i of STORE_INC_COLS: 't' text, 'r' real, 'i' integer. */
#define STORE_INC_KINDS "ttttttrrttiiiiiitt"

/* Column i of a row a backend reads (NULL for SQL NULL; *n its length). */
typedef const char *(*store_col_fn)(void *row, size_t i, size_t *n);

typedef struct store_remerge {
    casus_incident *rep;      /* the reports added */
    long *pub;                /* their documents' publication days */
    size_t n, cap_rep, cap_pub;
    buf text;
    size_t off[STORE_INC_NCOLS];
    /* after store_remerge_finish: the merged row's values as text, NULL
     * for NULL, borrowed until the next call */
    const char *val[STORE_INC_NCOLS];
} store_remerge;

/* Adds a report row: the columns STORE_INC_COLS, then its document's
 * pub_date. Errors: CASUS_ENOMEM. */
casus_status store_remerge_add(casus_store *s, store_remerge *m, store_col_fn col,
                               void *row);
/* Merges the reports added (at least one) into m->val and starts over. */
casus_status store_remerge_finish(casus_store *s, store_remerge *m);
void store_remerge_free(casus_store *s, store_remerge *m);

/*
 * Compaction of the actor postings (casus_store_compact). A posting keeps
 * the ids of the events a replaced document lost, dead for the readers by
 * their tombstones (schema 9). Compaction rewrites, in one transaction,
 * every posting that holds an id a tombstone kills there (the ids, facts,
 * n, first_id, last_id without them; first_date and last_date stay, a
 * bound that may only be wider than needed), deletes the postings left
 * empty, then every tombstone: none kills anything any more.
 */
typedef struct store_tomb {
    int64_t id, below;
} store_tomb;

typedef struct store_post_left {
    buf ids, facts;       /* appended to */
    size_t n, dropped;
    int64_t first_id, last_id;
} store_post_left;

/* The ids (a list of decimal numbers between brackets[0] and brackets[1]:
 * "[]" SQLite, "{}" PostgreSQL) and facts of posting posting_id without
 * those the tombstones t[0..n_t) (sorted by id, then below) kill there,
 * appended to out->ids and out->facts, with what is left. */
casus_status store_post_compact(casus_ctx *ctx, const store_tomb *t, size_t n_t,
                                int64_t posting, const char *ids, size_t n_ids,
                                const char *facts, size_t n_facts, const char brackets[2],
                                store_post_left *out);

/* A crash point for the tests of crash safety: when the environment's
 * CASUS_CRASH_AT names `where`, the process kills itself (SIGKILL) there,
 * as kill -9 would, with the transaction open and its writes done. Points:
 * "compact" (every posting rewritten and the tombstones deleted, before
 * COMMIT; only when there were tombstones). Unset, it costs one getenv. */
void store_crash_point(const char *where);

/* When casus_store_commit compacts (docs/FORMATS.md): at least
 * STORE_COMPACT_MIN tombstones, and over 1/STORE_COMPACT_DIVISOR of the
 * events (the greatest event id). Below that the dead ids cost readers
 * little and a compaction, which scans every posting's id range, more. */
#define STORE_COMPACT_MIN 65536
#define STORE_COMPACT_DIVISOR 8
static inline int store_compact_due(long long tombstones, long long max_event)
{
    return tombstones >= STORE_COMPACT_MIN && tombstones * STORE_COMPACT_DIVISOR > max_event;
}

typedef struct store_ops {
    const char *name;
    /* Connects / opens, checks or creates the schema (migrating when
     * writable). *be receives the backend handle. */
    casus_status (*open)(casus_store *s, const char *target, unsigned flags,
                         void **be);
    void (*close)(void *be);
    /* Inserts a runs row; *run_id receives its id. */
    casus_status (*begin_run)(casus_store *s, const char *started,
                              const char *dict_version,
                              const char *model_version, const char *options,
                              int64_t *run_id);
    casus_status (*finish_run)(casus_store *s, int64_t run_id,
                               const char *finished);
    /* Writes the batch in one transaction (see the header comment); on
     * failure everything of this batch is rolled back. */
    casus_status (*write_batch)(casus_store *s, store_batch *b, int64_t run_id);
    /* Brings the rollups up to date in a transaction of its own: applies
     * this handle's deferred deltas, or, when the marker names another run
     * (a killed or concurrent one), the deltas of that run's pending events
     * read back from the events table; then clears the marker (see the
     * rollup comment above). Called at open, commit and close. */
    casus_status (*settle_rollups)(casus_store *s);
    /* Cursor implementation (store.h). user: refuse anything but a
     * read-only statement. */
    casus_status (*cursor_open)(casus_store *s, const char *sql,
                                const char *const *params, size_t n,
                                int user, store_cursor **out);
    casus_status (*cursor_next)(store_cursor *c);
    size_t (*cursor_ncols)(const store_cursor *c);
    const char *(*cursor_name)(const store_cursor *c, size_t i);
    const char *(*cursor_text)(store_cursor *c, size_t i, size_t *n);
    void (*cursor_close)(store_cursor *c);
    /* Compacts the postings in one transaction (store_post_compact); with
     * auto_only, only when store_compact_due. */
    casus_status (*compact)(casus_store *s, int auto_only, casus_store_compaction *out);
} store_ops;

#define SEED_KEYS 64

struct casus_store {
    casus_ctx *ctx;
    const store_ops *ops;
    void *be;
    unsigned flags;
    char *target;             /* display name: path, or URL without password */
    int64_t run_id;           /* 0 until a run starts */
    store_batch batch;
    size_t max_docs, max_rows;
    casus_store_stats stats;
    /* Actor codes already written by this handle (open addressing). */
    char (*seen)[32];
    size_t n_seen, cap_seen;
    /* Document ids in the current batch (indexes into batch.docs + 1). */
    size_t *batch_ids;
    size_t cap_batch_ids;
    store_rollup rollup;      /* rollup deltas not yet written (backends) */
    store_posts posts;        /* the batch's actor postings (backends) */
    /* Deferred rollups: this handle holds deltas of its committed batches
     * in rollup and the store's marker names (run_id, rollup_from). */
    int rollup_defer;
    int64_t rollup_from;
    size_t rollup_held;       /* events whose deltas are held */
    int settling;             /* commit: the batch being written is the last */
    /* Cross-run incidents (casus_store_seed_incidents): the last keys
     * looked up, so that a key is asked once while its answer is in the
     * incident set. */
    incident_key seed_keys[SEED_KEYS];
    size_t n_seed_keys, next_seed_key;
    /* Pipelined writes (store.c): a writer thread writes wbatch while the
     * caller fills batch. Everything the backends' write_batch touches
     * (be, rollup, posts, rollup_*, settling) belongs to the writer while
     * job is set; the caller waits for it (store_writer_wait) before it
     * uses them or the backend itself. */
    int async;                /* batches go to the writer thread */
    int writer_up;            /* the thread runs; writer_tid is set */
    pthread_t writer_tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int job, stop;            /* under mu */
    casus_status job_st;      /* under mu: the last job's result */
    store_batch wbatch;       /* the batch the writer has (or had) */
    casus_ctx *wctx;          /* the writer thread's context */
};

/* The context for the calling thread: the writer's own on the writer
 * thread, the store's elsewhere (backends report through it). */
casus_ctx *store_wctx(const casus_store *s);
/* Waits for the batch in flight (none: returns at once); its failure
 * becomes the caller's (status and message), and the batch being filled
 * is dropped with it. */
casus_status store_writer_wait(casus_store *s);

/* Deferral bound: at most this many rollup keys are held in memory
 * (about 150 bytes each) before a batch writes them. */
#define ROLLUP_DEFER_KEYS 400000
/* ... and at most this many events' (so the rollups never lag far). */
#define ROLLUP_DEFER_EVENTS 2000000

/* Parses the marker's value "RUN FROM" (casus_meta 'rollup_pending');
 * *run = 0 when it is empty. */
void store_pending_parse(const char *v, int64_t *run, int64_t *from);
/* Drops the rollup deltas held in memory and the handle's claim to them
 * (after a failed transaction, or when another writer settled them). */
void store_drop_deltas(casus_store *s);

/* Backends. */
extern const store_ops store_sqlite_ops;
extern const store_ops store_pg_ops;

/* The schema, shared by the backends: each migration step as SQL for each
 * dialect. store_migrations[i] brings a store from version i to i + 1. */
typedef struct store_migration {
    const char *sqlite;
    const char *pg;
} store_migration;
extern const store_migration store_migrations[CASUS_STORE_VERSION];

/* UTC now as "YYYY-MM-DD HH:MM:SS". */
void store_now(char out[20]);

#endif
