/*
 * store.h - the store stage's interface to the stages that read it back
 * (query.c, export.c): statements that stream rows from either backend.
 *
 * SQL given here is written once for both backends: parameters are $1, $2,
 * ... (each used once, in order), text values only; the SQLite backend
 * rewrites them to ?1, ?2. A cursor is read-only when the store was opened
 * with CASUS_STORE_READONLY, and always for store_cursor_open_user (SQL from
 * the user): SQLite refuses any statement that would write, PostgreSQL runs
 * it in a READ ONLY transaction.
 */
#ifndef CASUS_STORE_H
#define CASUS_STORE_H

#include "casus.h"
#include "util/buf.h"

typedef struct store_cursor store_cursor;

/* Prepares sql with n text parameters (NULL = SQL NULL) and starts it. */
casus_status store_cursor_open(casus_store *s, const char *sql,
                               const char *const *params, size_t n,
                               store_cursor **out);
/* The same for one statement of user SQL, refused unless read-only
 * (CASUS_EINVAL with the reason). */
casus_status store_cursor_open_user(casus_store *s, const char *sql,
                                    store_cursor **out);
/* CASUS_OK with a row, CASUS_DONE after the last, or a failure. */
casus_status store_cursor_next(store_cursor *c);
size_t store_cursor_ncols(const store_cursor *c);
const char *store_cursor_name(const store_cursor *c, size_t i);
/* Column i of the current row as text, NULL for SQL NULL; *n its length.
 * Borrowed until the next store_cursor_next. */
const char *store_cursor_text(store_cursor *c, size_t i, size_t *n);
void store_cursor_close(store_cursor *c);

/*
 * Queues a document with sentence records and events: ev[0..n_sent) carry
 * only sentences (sentence_index, start, end) with their texts[i];
 * ev[n_sent..n_sent+n_ev) are events, with optional sentence texts (NULL
 * entries allowed; texts itself may be NULL). The first text given for a
 * sentence index wins. Used by casus_store_put_events and ingest.c.
 */
casus_status store_put_rows(casus_store *s, const casus_store_doc *doc,
                            const casus_event *ev, const char *const *texts,
                            size_t n_sent, size_t n_ev);

/* Appends s[0..n) as one CSV cell (RFC 4180: quoted when it holds a comma,
 * quote or line break). Shared by query.c and export.c. */
casus_status store_put_csv(casus_ctx *ctx, buf *b, const char *s, size_t n);

/* The store's context. */
casus_ctx *store_ctx(casus_store *s);

#endif
