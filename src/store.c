/*
 * store.c - the event store, backend-neutral part: opening a store by path
 * or URL, the schema and its migrations, runs, the write batch with its
 * content hashes, and the cursor calls that query.c and export.c use.
 *
 * Pipeline position: after the event coder; `casus ingest`, `casus code
 * --db` and `--db` on the text commands put documents here, `casus query`
 * and `casus export` read them back.
 *
 * Idempotency. Every queued document carries two SHA-256 hashes: content_hash
 * over what was read (id, url, title, date, text) and rows_hash over what is
 * stored for it (sentences and events). The backend compares both with the
 * stored ones inside the transaction that writes the batch, so re-running
 * the same corpus writes nothing, a changed text or a changed coding
 * replaces exactly that document's rows, and a batch interrupted by kill -9
 * is simply absent on the next run, which writes it again.
 *
 * Invariants: batch.str starts with a NUL so sref 0 is ""; a document id
 * occurs at most once per batch (a repeat flushes the batch first, so the
 * later version replaces the earlier one in order).
 */
#include "store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctx.h"
#include "doc.h"
#include "incident.h"
#include "store_int.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/sha256.h"

/* ---------------------------------------------------------------- schema */

/*
 * Version 1. The same tables, columns and indexes in both dialects; SQLite
 * uses INTEGER PRIMARY KEY rowids, PostgreSQL identity columns, "C"
 * collation (byte order, as in SQLite) for the codes and dates that range
 * queries compare, and foreign keys. Dates are ISO 8601 text.
 */
#define SCHEMA_V1(ID, TXT, REAL, WR)                                          \
    "CREATE TABLE runs (\n"                                                   \
    "  run_id " ID ",\n"                                                      \
    "  started TEXT NOT NULL,\n"                                              \
    "  finished TEXT,\n"                                                      \
    "  casus_version TEXT NOT NULL,\n"                                        \
    "  dict_version TEXT,\n"                                                  \
    "  model_version TEXT,\n"                                                 \
    "  options TEXT);\n"                                                      \
    "CREATE TABLE documents (\n"                                              \
    "  doc_pk " ID ",\n"                                                      \
    "  doc_id " TXT " NOT NULL UNIQUE,\n"                                     \
    "  url TEXT,\n"                                                           \
    "  title TEXT,\n"                                                         \
    "  pub_date " TXT ",\n"                                                   \
    "  content_hash TEXT NOT NULL,\n"                                         \
    "  rows_hash TEXT NOT NULL,\n"                                            \
    "  n_bytes BIGINT NOT NULL,\n"                                            \
    "  run_id BIGINT NOT NULL REFERENCES runs(run_id));\n"                    \
    "CREATE TABLE sentences (\n"                                              \
    "  doc_pk BIGINT NOT NULL REFERENCES documents(doc_pk),\n"                \
    "  sentence_index INTEGER NOT NULL,\n"                                    \
    "  char_start BIGINT NOT NULL,\n"                                         \
    "  char_end BIGINT NOT NULL,\n"                                           \
    "  text TEXT NOT NULL,\n"                                                 \
    "  PRIMARY KEY (doc_pk, sentence_index))" WR ";\n"                        \
    "CREATE TABLE events (\n"                                                 \
    "  event_id " ID ",\n"                                                    \
    "  doc_pk BIGINT NOT NULL REFERENCES documents(doc_pk),\n"                \
    "  sentence_index INTEGER NOT NULL,\n"                                    \
    "  char_start BIGINT NOT NULL,\n"                                         \
    "  char_end BIGINT NOT NULL,\n"                                           \
    "  event_date " TXT ",\n"                                                 \
    "  source_code " TXT " NOT NULL,\n"                                       \
    "  source_text TEXT NOT NULL,\n"                                          \
    "  source_start BIGINT,\n"                                                \
    "  source_end BIGINT,\n"                                                  \
    "  target_code " TXT ",\n"                                                \
    "  target_text TEXT,\n"                                                   \
    "  target_start BIGINT,\n"                                                \
    "  target_end BIGINT,\n"                                                  \
    "  cameo " TXT " NOT NULL,\n"                                             \
    "  root_code " TXT " NOT NULL,\n"                                         \
    "  goldstein " REAL " NOT NULL,\n"                                        \
    "  quad_class INTEGER NOT NULL,\n"                                        \
    "  plover_type TEXT NOT NULL,\n"                                          \
    "  plover_mode TEXT NOT NULL,\n"                                          \
    "  negated INTEGER NOT NULL,\n"                                           \
    "  run_id BIGINT NOT NULL);\n"                                            \
    "CREATE INDEX events_doc ON events(doc_pk);\n"                            \
    "CREATE INDEX events_date ON events(event_date, quad_class);\n"           \
    "CREATE INDEX events_source ON events(source_code, event_date);\n"        \
    "CREATE INDEX events_target ON events(target_code, event_date);\n"        \
    "CREATE TABLE actors (\n"                                                 \
    "  code " TXT " PRIMARY KEY,\n"                                           \
    "  name TEXT NOT NULL,\n"                                                 \
    "  run_id BIGINT NOT NULL);\n"                                            \
    "CREATE TABLE incidents (\n"                                              \
    "  incident_id " ID ",\n"                                                 \
    "  country " TXT ",\n"                                                    \
    "  admin1 TEXT,\n"                                                        \
    "  location TEXT,\n"                                                      \
    "  latitude " REAL ",\n"                                                  \
    "  longitude " REAL ",\n"                                                 \
    "  start_date " TXT " NOT NULL,\n"                                        \
    "  end_date " TXT " NOT NULL,\n"                                          \
    "  event_type TEXT,\n"                                                    \
    "  sub_event_type TEXT,\n"                                                \
    "  fatalities INTEGER,\n"                                                 \
    "  summary TEXT,\n"                                                       \
    "  run_id BIGINT NOT NULL);\n"                                            \
    "CREATE INDEX incidents_country ON incidents(country, start_date);\n"     \
    "CREATE INDEX incidents_date ON incidents(start_date);\n"                 \
    "CREATE TABLE incident_evidence (\n"                                      \
    "  incident_id BIGINT NOT NULL REFERENCES incidents(incident_id),\n"      \
    "  event_id BIGINT NOT NULL REFERENCES events(event_id),\n"               \
    "  role TEXT,\n"                                                          \
    "  PRIMARY KEY (incident_id, event_id))" WR ";\n"                         \
    "CREATE INDEX incident_evidence_event ON incident_evidence(event_id);\n"  \
    "CREATE TABLE response_links (\n"                                         \
    "  link_id " ID ",\n"                                                     \
    "  event_id BIGINT NOT NULL REFERENCES events(event_id),\n"               \
    "  response_event_id BIGINT NOT NULL REFERENCES events(event_id),\n"      \
    "  kind TEXT NOT NULL,\n"                                                 \
    "  lag_days INTEGER,\n"                                                   \
    "  run_id BIGINT NOT NULL);\n"                                            \
    "CREATE INDEX response_links_event ON response_links(event_id);\n"        \
    "CREATE INDEX response_links_response ON response_links(response_event_id);\n"

/*
 * Version 3: response links of incidents. A link names its trigger and
 * response as casus code writes them (incident ids or event ids), with the
 * document that states it; its event columns become optional (a side may
 * have no event of the document). SQLite rebuilds the table (it cannot drop
 * NOT NULL), PostgreSQL alters it; both end with the same columns in the
 * same order. Rows of an older store keep their events and get their
 * document from the trigger's event.
 */
#define SCHEMA_V3_SQLITE                                                      \
    "CREATE TABLE response_links_v3 (\n"                                      \
    "  link_id INTEGER PRIMARY KEY,\n"                                        \
    "  event_id BIGINT REFERENCES events(event_id),\n"                        \
    "  response_event_id BIGINT REFERENCES events(event_id),\n"               \
    "  kind TEXT NOT NULL,\n"                                                 \
    "  lag_days INTEGER,\n"                                                   \
    "  run_id BIGINT NOT NULL,\n"                                             \
    "  doc_pk BIGINT REFERENCES documents(doc_pk),\n"                         \
    "  trigger_ref TEXT NOT NULL DEFAULT '',\n"                               \
    "  response_ref TEXT NOT NULL DEFAULT '',\n"                              \
    "  responder TEXT);\n"                                                    \
    "INSERT INTO response_links_v3 (link_id, event_id, response_event_id, "   \
    "kind, lag_days, run_id, doc_pk) SELECT l.link_id, l.event_id, "          \
    "l.response_event_id, l.kind, l.lag_days, l.run_id, (SELECT e.doc_pk "    \
    "FROM events e WHERE e.event_id = l.event_id) FROM response_links l;\n"   \
    "DROP TABLE response_links;\n"                                            \
    "ALTER TABLE response_links_v3 RENAME TO response_links;\n"               \
    "CREATE INDEX response_links_event ON response_links(event_id);\n"        \
    "CREATE INDEX response_links_response ON "                                \
    "response_links(response_event_id);\n"                                    \
    "CREATE INDEX response_links_doc ON response_links(doc_pk);\n"
#define SCHEMA_V3_PG                                                          \
    "ALTER TABLE response_links ALTER COLUMN event_id DROP NOT NULL;\n"       \
    "ALTER TABLE response_links ALTER COLUMN response_event_id DROP NOT "     \
    "NULL;\n"                                                                 \
    "ALTER TABLE response_links ADD COLUMN IF NOT EXISTS doc_pk BIGINT;\n"    \
    "ALTER TABLE response_links ADD COLUMN IF NOT EXISTS trigger_ref TEXT "   \
    "NOT NULL DEFAULT '';\n"                                                  \
    "ALTER TABLE response_links ADD COLUMN IF NOT EXISTS response_ref TEXT "  \
    "NOT NULL DEFAULT '';\n"                                                  \
    "ALTER TABLE response_links ADD COLUMN IF NOT EXISTS responder TEXT;\n"   \
    "UPDATE response_links l SET doc_pk = e.doc_pk FROM events e WHERE "      \
    "e.event_id = l.event_id AND l.doc_pk IS NULL;\n"                         \
    "CREATE INDEX IF NOT EXISTS response_links_doc ON response_links(doc_pk);\n"

/*
 * The columns an incident row shares with a document's report of it
 * (schema 4's incidents, schema 7's incident_reports), in the order of
 * STORE_INC_COLS (store_int.h).
 */
#define INCIDENT_COLS(TXT, REAL)                                              \
    "  start_date " TXT ",\n"                                                 \
    "  end_date " TXT ",\n"                                                   \
    "  date_precision TEXT,\n"                                                \
    "  country " TXT ",\n"                                                    \
    "  admin1 TEXT,\n"                                                        \
    "  location TEXT,\n"                                                      \
    "  latitude " REAL ",\n"                                                  \
    "  longitude " REAL ",\n"                                                 \
    "  location_precision TEXT,\n"                                            \
    "  method TEXT,\n"                                                        \
    "  killed_min BIGINT,\n"                                                  \
    "  killed_max BIGINT,\n"                                                  \
    "  injured_min BIGINT,\n"                                                 \
    "  injured_max BIGINT,\n"                                                 \
    "  casualties_min BIGINT,\n"                                              \
    "  casualties_max BIGINT,\n"                                              \
    "  perpetrators TEXT NOT NULL,\n"                                         \
    "  targets TEXT NOT NULL,\n"

/*
 * Version 4: incidents. The version-1 tables incidents and
 * incident_evidence were never written (always empty), so they are
 * replaced: one row per incident (incident_ref, the id casus code prints,
 * is unique) with its dates, place, method, casualty ranges and parties
 * (perpetrators and targets as the record's JSON arrays), and one evidence
 * row per sentence of a document that reports it. Evidence has no foreign
 * key on incidents: a replaced document's evidence goes first and the
 * incidents left without a report are deleted after the batch's writes
 * (store_int.h, "Incident rows rebuilt"), an order a checked key would
 * refuse in PostgreSQL.
 */
#define SCHEMA_V4(ID, TXT, REAL, WR)                                          \
    "DROP TABLE IF EXISTS incident_evidence;\n"                               \
    "DROP TABLE IF EXISTS incidents;\n"                                       \
    "CREATE TABLE incidents (\n"                                              \
    "  incident_pk " ID ",\n"                                                 \
    "  incident_ref " TXT " NOT NULL UNIQUE,\n"                               \
    INCIDENT_COLS(TXT, REAL)                                                  \
    "  run_id BIGINT NOT NULL);\n"                                            \
    "CREATE INDEX incidents_country ON incidents(country, start_date);\n"     \
    "CREATE INDEX incidents_date ON incidents(start_date);\n"                 \
    "CREATE TABLE incident_evidence (\n"                                      \
    "  incident_pk BIGINT NOT NULL,\n"                                        \
    "  doc_pk BIGINT NOT NULL,\n"                                             \
    "  sentence_index INTEGER NOT NULL,\n"                                    \
    "  char_start BIGINT NOT NULL,\n"                                         \
    "  char_end BIGINT NOT NULL,\n"                                           \
    "  PRIMARY KEY (incident_pk, doc_pk, sentence_index))" WR ";\n"          \
    "CREATE INDEX incident_evidence_doc ON incident_evidence(doc_pk, "          \
    "sentence_index);\n"

/*
 * Version 5: the actor indexes cover the analyst forecast
 * (forecast_store.c). It reads an actor's events of a year by code and
 * date and needs, per event, the date, the other actor, the CAMEO code and
 * root, negation, the event and the document: with them in the index the
 * read is one ordered index range and no table row is visited (at 10 M
 * events the table lookups were most of the time). SQLite keys the columns
 * (the rowid, event_id, comes with every index entry); PostgreSQL keys
 * (code, date) and carries the rest with INCLUDE. The key prefix is
 * unchanged, so every query that used the old indexes still can.
 */
#define SCHEMA_V5_COLS(OWN, OTHER)                                            \
    "events(" OWN ", event_date, negated, " OTHER ", root_code, cameo, "       \
    "doc_pk)"
#define SCHEMA_V5_SQLITE                                                      \
    "DROP INDEX IF EXISTS events_source;\n"                                   \
    "DROP INDEX IF EXISTS events_target;\n"                                   \
    "CREATE INDEX events_source ON "                                          \
    SCHEMA_V5_COLS("source_code", "target_code") ";\n"                        \
    "CREATE INDEX events_target ON "                                          \
    SCHEMA_V5_COLS("target_code", "source_code") ";\n"
#define SCHEMA_V5_PG                                                          \
    "DROP INDEX IF EXISTS events_source;\n"                                   \
    "DROP INDEX IF EXISTS events_target;\n"                                   \
    "CREATE INDEX events_source ON events(source_code, event_date) INCLUDE "  \
    "(negated, target_code, root_code, cameo, doc_pk, event_id);\n"           \
    "CREATE INDEX events_target ON events(target_code, event_date) INCLUDE "  \
    "(negated, source_code, root_code, cameo, doc_pk, event_id);\n"

/*
 * Version 7: each document's own report of an incident (what it says of
 * the incident alone, before the merge: the incident row's columns), so
 * that a row is the merge of its documents' reports and a later run can
 * re-merge it without a replaced document's old one (store.c, "cross-run").
 * A store of version 6 gets one report per document and incident: the row
 * as it is (the best that is known of it).
 */
#define SCHEMA_V7(TXT, REAL, WR)                                              \
    "DROP TABLE IF EXISTS incident_reports;\n"                                \
    "CREATE TABLE incident_reports (\n"                                       \
    "  incident_pk BIGINT NOT NULL,\n"                                        \
    "  doc_pk BIGINT NOT NULL,\n"                                             \
    INCIDENT_COLS(TXT, REAL)                                                  \
    "  PRIMARY KEY (incident_pk, doc_pk))" WR ";\n"                           \
    "CREATE INDEX incident_reports_doc ON incident_reports(doc_pk);\n"        \
    "INSERT INTO incident_reports SELECT DISTINCT i.incident_pk, e.doc_pk, "   \
    "i.start_date, i.end_date, i.date_precision, i.country, i.admin1, "        \
    "i.location, i.latitude, i.longitude, i.location_precision, i.method, "    \
    "i.killed_min, i.killed_max, i.injured_min, i.injured_max, "               \
    "i.casualties_min, i.casualties_max, i.perpetrators, i.targets FROM "      \
    "incidents i JOIN incident_evidence e ON e.incident_pk = i.incident_pk;\n"

/*
 * Version 8: actor postings (store_post.c) in place of the actor indexes
 * events_source and events_target, whose inserts landed in the middle of
 * their B-trees for every event. A row of event_postings holds the ids of
 * one batch's events with one code on one side (0 source, 1 target), with
 * the range of their dates, so a reader probes one index entry per batch
 * and code and visits only postings that can hold its dates; the view
 * event_actor expands the ids (SQLite: a JSON array, json_each;
 * PostgreSQL: bigint[], unnest), one row per (side, code, event id).
 * Readers join events on the id and check its code and date again, so ids
 * of deleted events (a replaced document's, which stay in their postings)
 * and a reused id drop out. The migration writes the postings of the
 * stored events, 65,536 ids per posting, then drops the two indexes (it
 * replaces postings left by an earlier attempt, as version 7 does).
 */
#define SCHEMA_V8(ID, TXT, IDS, FILL_IDS, VIEW)                               \
    "DROP VIEW IF EXISTS event_actor;\n"                                      \
    "DROP TABLE IF EXISTS event_postings;\n"                                  \
    "CREATE TABLE event_postings (\n"                                         \
    "  posting_id " ID ",\n"                                                  \
    "  side INTEGER NOT NULL,\n"                                              \
    "  code " TXT " NOT NULL,\n"                                              \
    "  first_id BIGINT NOT NULL,\n"                                           \
    "  last_id BIGINT NOT NULL,\n"                                            \
    "  first_date " TXT ",\n"                                                 \
    "  last_date " TXT ",\n"                                                  \
    "  n INTEGER NOT NULL,\n"                                                 \
    "  ids " IDS " NOT NULL);\n"                                              \
    "CREATE INDEX event_postings_code ON event_postings(side, code, "         \
    "last_date, first_date);\n"                                               \
    "INSERT INTO event_postings (side, code, first_id, last_id, first_date, " \
    "last_date, n, ids) SELECT 0, source_code, min(event_id), max(event_id), "\
    "min(event_date), max(event_date), count(*), " FILL_IDS " FROM events "   \
    "GROUP BY source_code, event_id / 65536;\n"                               \
    "INSERT INTO event_postings (side, code, first_id, last_id, first_date, " \
    "last_date, n, ids) SELECT 1, target_code, min(event_id), max(event_id), "\
    "min(event_date), max(event_date), count(*), " FILL_IDS " FROM events "   \
    "WHERE target_code IS NOT NULL GROUP BY target_code, event_id / 65536;\n" \
    "DROP INDEX IF EXISTS events_source;\n"                                   \
    "DROP INDEX IF EXISTS events_target;\n"                                   \
    "CREATE VIEW event_actor AS " VIEW ";\n"

/*
 * Version 9: the forecast's facts in the actor postings and the event
 * tombstones. facts holds, per event of the posting that a forecast
 * counts (a date, another actor, not negated), "id,date,root,other;"
 * (other: the target on side 0, the source on side 1), so a forecast
 * reads a code's postings and no event row (forecast_store.c). Postings
 * stay append-only: a replaced document's events go into event_tombstones
 * first, each with the posting id that the next posting will exceed
 * (below_posting); a fact of a posting below it is dead, one of a later
 * posting (SQLite may reuse a deleted id) is not. The migration writes the
 * facts of the stored events (deleted ones have none; a reused id's event
 * may get facts in an earlier posting too, which the readers drop as a
 * duplicate id).
 */
#define SCHEMA_V9(PK, FILL)                                                   \
    "ALTER TABLE event_postings ADD COLUMN facts TEXT NOT NULL DEFAULT '';\n"  \
    FILL                                                                      \
    "DROP TABLE IF EXISTS event_tombstones;\n"                               \
    "CREATE TABLE event_tombstones (\n"                                       \
    "  event_id BIGINT NOT NULL,\n"                                           \
    "  below_posting BIGINT NOT NULL,\n"                                      \
    "  PRIMARY KEY (event_id, below_posting))" PK ";\n"

#define FACT_ROW(P)                                                           \
    "e.event_id || ',' || e.event_date || ',' || e.root_code || ',' || CASE " \
    P ".side WHEN 0 THEN e.target_code ELSE e.source_code END || ';'"
#define FACT_WHERE(P)                                                         \
    " AND e.negated = 0 AND e.event_date <> '' AND CASE " P ".side WHEN 0 "   \
    "THEN e.target_code ELSE e.source_code END <> '' AND CASE " P ".side "    \
    "WHEN 0 THEN e.source_code ELSE e.target_code END = " P ".code"

/*
 * Version 10: an incident's counts of the documents and the evidence
 * sentences that report it, on its row (the incidents query printed them
 * from two counts of incident_evidence per row: 0.95 s of the 1.1 s that
 * 205,000 incidents took). The writers keep them (store_int.h, "Incident
 * counts"); the migration counts the stored evidence.
 */
#define SCHEMA_V10                                                            \
    "ALTER TABLE incidents ADD COLUMN n_documents BIGINT NOT NULL DEFAULT 0;\n" \
    "ALTER TABLE incidents ADD COLUMN n_evidence BIGINT NOT NULL DEFAULT 0;\n"  \
    STORE_INC_RECOUNT("incidents.incident_pk") ";\n"

/* Version 6: the deferred-rollup marker (store_int.h). */
#define SCHEMA_V6                                                             \
    "INSERT INTO casus_meta (key, value) SELECT 'rollup_pending', '' WHERE "  \
    "NOT EXISTS (SELECT 1 FROM casus_meta WHERE key = 'rollup_pending');\n"

/*
 * Version 2: the rollups that the named queries read (store_int.h explains
 * them; the backends fill them from the events of a version-1 store after
 * this step). PostgreSQL drops the foreign keys of events and sentences on
 * documents: checked row by row they halved the COPY rate, and the writes
 * keep them (as in SQLite).
 */
#define SCHEMA_V2(TXT, REAL, WR)                                              \
    "CREATE TABLE rollup_actor (\n"                                           \
    "  side INTEGER NOT NULL,\n"                                              \
    "  actor " TXT " NOT NULL,\n"                                             \
    "  month " TXT " NOT NULL,\n"                                             \
    "  quad_class INTEGER NOT NULL,\n"                                        \
    "  common INTEGER NOT NULL,\n"                                            \
    "  n BIGINT NOT NULL,\n"                                                  \
    "  PRIMARY KEY (side, actor, month, quad_class, common))" WR ";\n"        \
    "CREATE TABLE rollup_dyad (\n"                                            \
    "  month " TXT " NOT NULL,\n"                                             \
    "  source " TXT " NOT NULL,\n"                                            \
    "  target " TXT " NOT NULL,\n"                                            \
    "  n BIGINT NOT NULL,\n"                                                  \
    "  conflict BIGINT NOT NULL,\n"                                           \
    "  goldstein " REAL " NOT NULL,\n"                                        \
    "  first " TXT " NOT NULL,\n"                                             \
    "  last " TXT " NOT NULL,\n"                                              \
    "  PRIMARY KEY (month, source, target))" WR ";\n"

const store_migration store_migrations[CASUS_STORE_VERSION] = {
    /* 0 -> 1: the first schema. casus_meta exists before any step runs. */
    {SCHEMA_V1("INTEGER PRIMARY KEY", "TEXT", "REAL", " WITHOUT ROWID"),
     SCHEMA_V1("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
               "TEXT COLLATE \"C\"", "DOUBLE PRECISION", "")},
    /* 1 -> 2: the rollups. */
    {SCHEMA_V2("TEXT", "REAL", " WITHOUT ROWID"),
     SCHEMA_V2("TEXT COLLATE \"C\"", "DOUBLE PRECISION", "")
     "ALTER TABLE events DROP CONSTRAINT IF EXISTS events_doc_pk_fkey;\n"
     "ALTER TABLE sentences DROP CONSTRAINT IF EXISTS "
     "sentences_doc_pk_fkey;\n"},
    /* 2 -> 3: response links of incidents. */
    {SCHEMA_V3_SQLITE, SCHEMA_V3_PG},
    /* 3 -> 4: incidents and their evidence. */
    {SCHEMA_V4("INTEGER PRIMARY KEY", "TEXT", "REAL", " WITHOUT ROWID"),
     SCHEMA_V4("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
               "TEXT COLLATE \"C\"", "DOUBLE PRECISION", "")},
    /* 4 -> 5: actor indexes that cover the forecast. */
    {SCHEMA_V5_SQLITE, SCHEMA_V5_PG},
    /* 5 -> 6: deferred rollups (store_int.h): the marker of a run whose
     * last events are not in the rollups yet; empty: none. */
    {SCHEMA_V6, SCHEMA_V6},
    /* 6 -> 7: each document's own report of an incident. */
    {SCHEMA_V7("TEXT", "REAL", " WITHOUT ROWID"),
     SCHEMA_V7("TEXT COLLATE \"C\"", "DOUBLE PRECISION", "")},
    /* 7 -> 8: actor postings in place of the actor indexes. */
    {SCHEMA_V8("INTEGER PRIMARY KEY", "TEXT", "TEXT", "json_group_array(event_id)",
               "SELECT p.side AS side, p.code AS code, p.first_date AS "
               "first_date, p.last_date AS last_date, j.value AS event_id FROM "
               "event_postings p, json_each(p.ids) j"),
     SCHEMA_V8("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
               "TEXT COLLATE \"C\"", "BIGINT[]",
               "array_agg(event_id ORDER BY event_id)",
               "SELECT p.side, p.code, p.first_date, p.last_date, u.event_id "
               "FROM event_postings p CROSS JOIN LATERAL unnest(p.ids) AS "
               "u(event_id)")},
    /* 8 -> 9: the forecast's facts in the postings; event tombstones. */
    {SCHEMA_V9(" WITHOUT ROWID",
               "UPDATE event_postings SET facts = coalesce((SELECT "
               "group_concat(" FACT_ROW("event_postings") ", '') FROM events e "
               "WHERE e.event_id IN (SELECT value FROM json_each("
               "event_postings.ids))" FACT_WHERE("event_postings") "), '');\n"),
     SCHEMA_V9("",
               "UPDATE event_postings p SET facts = coalesce((SELECT "
               "string_agg(" FACT_ROW("p") ", '') FROM events e WHERE "
               "e.event_id = ANY(p.ids)" FACT_WHERE("p") "), '');\n")},
    /* 9 -> 10: the incidents' counts of documents and evidence. */
    {SCHEMA_V10, SCHEMA_V10},
};

void store_pending_parse(const char *v, int64_t *run, int64_t *from)
{
    long long r = 0, f = 0;
    if (!v || sscanf(v, "%lld %lld", &r, &f) != 2 || r <= 0)
        r = f = 0;
    *run = r;
    *from = f;
}

void store_drop_deltas(casus_store *s)
{
    store_rollup_reset(&s->rollup);
    s->rollup_defer = 0;
    s->rollup_held = 0;
}

void store_now(char out[20])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---------------------------------------------------------------- open */

static int is_pg_url(const char *t)
{
    return !strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11);
}

/* The target as messages show it: a URL loses its password. */
static char *display_name(casus_ctx *ctx, const char *t)
{
    char *d = mem_strndup(ctx, t, strlen(t));
    if (!d || !is_pg_url(t))
        return d;
    char *auth = strstr(d, "://") + 3;
    char *at = strchr(auth, '@'), *slash = strchr(auth, '/');
    char *colon = strchr(auth, ':');
    if (at && (!slash || at < slash) && colon && colon < at)
        memmove(colon, at, strlen(at) + 1);
    return d;
}

casus_status casus_store_open(casus_ctx *ctx, const char *target,
                              unsigned flags, casus_store **out)
{
    *out = NULL;
    if (!target || !*target)
        return ctx_fail(ctx, CASUS_EINVAL, "no store given (--db PATH|URL)");
    casus_store *s = mem_alloc(ctx, sizeof *s);
    if (!s)
        return CASUS_ENOMEM;
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->flags = flags;
    s->ops = is_pg_url(target) ? &store_pg_ops : &store_sqlite_ops;
    /* Large enough that the rollup rows a batch touches are few per event
     * (about one per event at 100,000 events); about 40 MB of batch. */
    s->max_docs = 10000;
    s->max_rows = 200000;
    s->rollup.ctx = ctx;
    s->posts.ctx = ctx;
    s->batch.delta.ctx = s->wbatch.delta.ctx = ctx;
    /* Pipelined writes need an allocator that two threads may call. */
    s->async = !(flags & (CASUS_STORE_READONLY | CASUS_STORE_SYNC)) &&
               ctx_alloc_is_system(ctx);
    s->target = display_name(ctx, target);
    if (!s->target) {
        mem_free(ctx, s);
        return CASUS_ENOMEM;
    }
    casus_status st = s->ops->open(s, target, flags, &s->be);
    if (st != CASUS_OK) {
        s->be = NULL;
        casus_store_close(s);
        return st;
    }
    *out = s;
    return CASUS_OK;
}

static void batch_reset(store_batch *b)
{
    b->n_docs = b->n_sents = b->n_events = b->n_actors = b->n_links = 0;
    b->n_incs = b->n_ievs = 0;
    b->str.n = 0;
    store_rollup_reset(&b->delta);
    b->delta_bad = 0;
}

static void batch_free(casus_ctx *ctx, store_batch *b)
{
    mem_free(ctx, b->docs);
    mem_free(ctx, b->sents);
    mem_free(ctx, b->events);
    mem_free(ctx, b->links);
    mem_free(ctx, b->incs);
    mem_free(ctx, b->ievs);
    mem_free(ctx, b->actors);
    buf_free(ctx, &b->str);
    store_rollup_free(&b->delta);
}

/* ---------------------------------------------------------------- writer */

/*
 * Pipelined writes. With a context on the system allocator (any thread
 * may allocate through it), a writing handle writes its full batches on a
 * thread of its own: flush hands the batch over (s->batch and s->wbatch
 * swap) and returns, so the caller codes, copies and hashes the next batch
 * while the backend writes this one; a bounded pipeline of one batch in
 * flight and one filling. Every call that needs the backend or the
 * writer's state (the next flush, commit, close, begin_run, any cursor)
 * first waits for the batch in flight (store_writer_wait). A failed write
 * is rolled back by the backend as before; the wait returns its status
 * and message and drops the filling batch too, so an error on either side
 * stops both and no batch is ever partly written: the store holds exactly
 * the batches committed before the failure (documents put since the last
 * successful call may be lost, as a failed synchronous batch loses its
 * own). The writer reports into a context of its own (wctx), copied to
 * the caller's on failure. The last batch of casus_store_commit is written
 * on the caller's thread. A custom allocator, or CASUS_STORE_SYNC, keeps
 * every write on the caller's thread.
 */

casus_ctx *store_wctx(const casus_store *s)
{
    return s->writer_up && pthread_equal(pthread_self(), s->writer_tid)
               ? s->wctx : s->ctx;
}

static void *writer_main(void *arg)
{
    casus_store *s = arg;
    pthread_mutex_lock(&s->mu);
    s->writer_tid = pthread_self();
    s->writer_up = 1;
    pthread_cond_broadcast(&s->cv);
    for (;;) {
        while (!s->job && !s->stop)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->job)
            break;
        pthread_mutex_unlock(&s->mu);
        casus_status st = s->ops->write_batch(s, &s->wbatch, s->run_id);
        pthread_mutex_lock(&s->mu);
        s->job_st = st;
        s->job = 0;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Starts the writer thread; 0 when it runs (else the caller writes). */
static int writer_start(casus_store *s)
{
    if (s->writer_up)
        return 0;
    s->wctx = casus_ctx_new_with_alloc(s->ctx->alloc, s->ctx->alloc_ud);
    if (!s->wctx)
        return -1;
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        goto fail_ctx;
    if (pthread_cond_init(&s->cv, NULL) != 0)
        goto fail_mu;
    pthread_t t;
    if (pthread_create(&t, NULL, writer_main, s) != 0)
        goto fail_cv;
    pthread_mutex_lock(&s->mu);
    while (!s->writer_up)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    /* The writer's allocations and messages go to its own context. */
    s->rollup.ctx = s->posts.ctx = s->wctx;
    return 0;
fail_cv:
    pthread_cond_destroy(&s->cv);
fail_mu:
    pthread_mutex_destroy(&s->mu);
fail_ctx:
    casus_ctx_free(s->wctx);
    s->wctx = NULL;
    return -1;
}

static void writer_stop(casus_store *s)
{
    if (!s->writer_up)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->writer_tid, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    s->writer_up = 0;
    s->rollup.ctx = s->posts.ctx = s->ctx;
}

/* Counts a written batch in the handle's statistics. */
static void batch_count(casus_store *s, const store_batch *b)
{
    for (size_t i = 0; i < b->n_docs; i++) {
        const store_bdoc *d = &b->docs[i];
        if (d->outcome == 2) {
            s->stats.docs_unchanged++;
            continue;
        }
        if (d->outcome == 1)
            s->stats.docs_replaced++;
        else
            s->stats.docs_added++;
        s->stats.sentences += d->n_sent;
        s->stats.events += d->n_event;
        s->stats.incidents += d->n_inc / 2;   /* a row and a report each */
    }
}

/* Empties the table of the document ids queued in s->batch (batch_has_id). */
static void batch_ids_clear(casus_store *s)
{
    if (s->cap_batch_ids)
        memset(s->batch_ids, 0, s->cap_batch_ids * sizeof *s->batch_ids);
}

/* After a failed write: the batch queued now is dropped, and the actors
 * this handle remembered as written may be in the rolled back batch. */
static void batch_failed(casus_store *s)
{
    memset(s->seen, 0, s->cap_seen * sizeof *s->seen);
    s->n_seen = 0;
    batch_reset(&s->batch);
    batch_ids_clear(s);
}

casus_status store_writer_wait(casus_store *s)
{
    if (!s->writer_up)
        return CASUS_OK;
    pthread_mutex_lock(&s->mu);
    while (s->job)
        pthread_cond_wait(&s->cv, &s->mu);
    casus_status st = s->job_st;
    s->job_st = CASUS_OK;
    pthread_mutex_unlock(&s->mu);
    if (st == CASUS_OK)
        batch_count(s, &s->wbatch);
    batch_reset(&s->wbatch);
    if (st != CASUS_OK) {
        ctx_fail(s->ctx, st, "%s", casus_ctx_message(s->wctx));
        batch_failed(s);
    }
    return st;
}

void casus_store_close(casus_store *s)
{
    if (!s)
        return;
    casus_ctx *ctx = s->ctx;
    /* A batch in flight is finished (a committed store has none). */
    (void)store_writer_wait(s);
    writer_stop(s);
    /* Deltas still held are written now (best effort: if this fails, the
     * next writing open reads them back from the events). */
    if (s->be && s->rollup_defer)
        (void)s->ops->settle_rollups(s);
    if (s->be)
        s->ops->close(s->be);
    batch_free(ctx, &s->batch);
    batch_free(ctx, &s->wbatch);
    casus_ctx_free(s->wctx);
    mem_free(ctx, s->seen);
    mem_free(ctx, s->batch_ids);
    store_rollup_free(&s->rollup);
    store_posts_free(&s->posts);
    mem_free(ctx, s->target);
    mem_free(ctx, s);
}

const char *casus_store_backend(const casus_store *s)
{
    return s->ops->name;
}

casus_ctx *store_ctx(casus_store *s)
{
    return s->ctx;
}

void casus_store_set_batch(casus_store *s, size_t max_docs, size_t max_rows)
{
    if (max_docs)
        s->max_docs = max_docs;
    if (max_rows)
        s->max_rows = max_rows;
}

void casus_store_stats_get(const casus_store *s, casus_store_stats *out)
{
    *out = s->stats;
}

/* ---------------------------------------------------------------- runs */

casus_status casus_store_begin_run(casus_store *s, const char *dict_version,
                                   const char *model_version,
                                   const char *options)
{
    if (s->flags & CASUS_STORE_READONLY)
        return ctx_fail(s->ctx, CASUS_EINVAL, "%s: opened read-only",
                        s->target);
    casus_status st = store_writer_wait(s);
    if (st != CASUS_OK)
        return st;
    char now[20];
    store_now(now);
    return s->ops->begin_run(s, now, dict_version, model_version, options,
                             &s->run_id);
}

/* ---------------------------------------------------------------- batch */

static uint64_t hash_str(const char *p, size_t n)
{
    return hash_fnv64_n(HASH_FNV64_BASIS, p, n);
}

static casus_status put_str(casus_store *s, const char *p, size_t n,
                            sref *out)
{
    buf *b = &s->batch.str;
    if (b->n == 0 && buf_putc(s->ctx, b, '\0') != CASUS_OK)
        return CASUS_ENOMEM;
    if (n == 0) {
        *out = 0;
        return CASUS_OK;
    }
    *out = b->n;
    if (buf_append(s->ctx, b, p, n) != CASUS_OK ||
        buf_putc(s->ctx, b, '\0') != CASUS_OK)
        return CASUS_ENOMEM;
    /* Bytes after a NUL inside the value would be lost: cut there. */
    return CASUS_OK;
}

static casus_status put_cstr(casus_store *s, const char *p, sref *out)
{
    return put_str(s, p ? p : "", p ? strlen(p) : 0, out);
}

/* Adds code to the set of actors written by this handle; 1 when new. */
static int actor_new(casus_store *s, const char *code)
{
    if (s->n_seen * 2 >= s->cap_seen) {
        size_t cap = s->cap_seen ? s->cap_seen * 2 : 256;
        char (*t)[32] = mem_alloc(s->ctx, cap * sizeof *t);
        if (!t)
            return -1;
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < s->cap_seen; i++) {
            if (!s->seen[i][0])
                continue;
            size_t j = hash_str(s->seen[i], strlen(s->seen[i])) & (cap - 1);
            while (t[j][0])
                j = (j + 1) & (cap - 1);
            memcpy(t[j], s->seen[i], 32);
        }
        mem_free(s->ctx, s->seen);
        s->seen = t;
        s->cap_seen = cap;
    }
    size_t j = hash_str(code, strlen(code)) & (s->cap_seen - 1);
    while (s->seen[j][0]) {
        if (!strcmp(s->seen[j], code))
            return 0;
        j = (j + 1) & (s->cap_seen - 1);
    }
    snprintf(s->seen[j], 32, "%s", code);
    s->n_seen++;
    return 1;
}

static casus_status flush(casus_store *s)
{
    store_batch *b = &s->batch;
    casus_status st = store_writer_wait(s);
    if (st != CASUS_OK || b->n_docs == 0)
        return st;
    if (s->run_id == 0) {
        st = casus_store_begin_run(s, NULL, NULL, NULL);
        if (st != CASUS_OK)
            return st;
    }
    if (s->async && !s->settling && writer_start(s) == 0) {
        /* Hand the batch over; the empty one comes back to be filled. */
        store_batch t = s->wbatch;
        s->wbatch = *b;
        *b = t;
        batch_ids_clear(s);
        pthread_mutex_lock(&s->mu);
        s->job = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        return CASUS_OK;
    }
    st = s->ops->write_batch(s, b, s->run_id);
    if (st != CASUS_OK) {
        /* Rolled back: the actors of this batch are not written after all. */
        batch_failed(s);
        return st;
    }
    batch_count(s, b);
    batch_reset(b);
    batch_ids_clear(s);
    return CASUS_OK;
}

casus_status casus_store_commit(casus_store *s)
{
    if (s->flags & CASUS_STORE_READONLY)
        return CASUS_OK;
    casus_status st0 = store_writer_wait(s);
    if (st0 != CASUS_OK)
        return st0;
    /* The last batch writes the deferred rollup deltas with its own. */
    s->settling = 1;
    casus_status st = flush(s);
    s->settling = 0;
    if (st == CASUS_OK && s->rollup_defer)
        st = s->ops->settle_rollups(s);
    if (st == CASUS_OK && s->run_id)
        st = s->ops->compact(s, 1, NULL);
    if (st == CASUS_OK && s->run_id) {
        char now[20];
        store_now(now);
        st = s->ops->finish_run(s, s->run_id, now);
    }
    return st;
}

void store_crash_point(const char *where)
{
    const char *at = getenv("CASUS_CRASH_AT");
    if (at && !strcmp(at, where))
        raise(SIGKILL);
}

casus_status casus_store_compact(casus_store *s, casus_store_compaction *out)
{
    casus_store_compaction tmp;
    if (!out)
        out = &tmp;
    memset(out, 0, sizeof *out);
    if (s->flags & CASUS_STORE_READONLY)
        return ctx_fail(s->ctx, CASUS_EINVAL, "%s: compacting needs a writable store",
                        s->target);
    casus_status st = store_writer_wait(s);   /* the writer thread's batch first */
    return st == CASUS_OK ? s->ops->compact(s, 0, out) : st;
}

/* Whether id is already queued in this batch; records it when not. The
 * table holds batch.docs indexes + 1 and is sized to twice max_docs. */
static casus_status batch_has_id(casus_store *s, const char *id, int *has)
{
    size_t need = 1;
    while (need < 2 * s->max_docs + 2)
        need <<= 1;
    if (s->cap_batch_ids < need) {
        size_t *t = mem_alloc(s->ctx, need * sizeof *t);
        if (!t)
            return CASUS_ENOMEM;
        memset(t, 0, need * sizeof *t);
        mem_free(s->ctx, s->batch_ids);
        s->batch_ids = t;
        s->cap_batch_ids = need;
        for (size_t i = 0; i < s->batch.n_docs; i++) {
            const char *d = batch_str(&s->batch, s->batch.docs[i].id);
            size_t j = hash_str(d, strlen(d)) & (need - 1);
            while (t[j])
                j = (j + 1) & (need - 1);
            t[j] = i + 1;
        }
    }
    size_t mask = s->cap_batch_ids - 1;
    size_t j = hash_str(id, strlen(id)) & mask;
    while (s->batch_ids[j]) {
        const store_bdoc *d = &s->batch.docs[s->batch_ids[j] - 1];
        if (!strcmp(batch_str(&s->batch, d->id), id)) {
            *has = 1;
            return CASUS_OK;
        }
        j = (j + 1) & mask;
    }
    s->batch_ids[j] = s->batch.n_docs + 1;   /* the slot put will fill */
    *has = 0;
    return CASUS_OK;
}

static void hash_field(sha256 *h, const char *p, size_t n)
{
    sha256_update(h, p, n);
    sha256_update(h, "", 1);
}

/* v in decimal, as "%lld" writes it (hashed for every event field: no
 * printf). */
static void hash_num(sha256 *h, int64_t v)
{
    char tmp[24];
    size_t k = sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--k] = '-';
    hash_field(h, tmp + k, sizeof tmp - k);
}

/* Starts a document in the batch: flushes first when the batch is full or
 * already holds this id. */
static casus_status begin_doc(casus_store *s, const char *id,
                              const char *url, const char *title,
                              casus_date date, size_t rows, store_bdoc **out)
{
    if (s->flags & CASUS_STORE_READONLY)
        return ctx_fail(s->ctx, CASUS_EINVAL, "%s: opened read-only",
                        s->target);
    if (!id || !*id)
        return ctx_fail(s->ctx, CASUS_EINVAL, "a document needs an id");
    store_batch *b = &s->batch;
    casus_status st;
    int has = 0;
    if (b->n_docs >= s->max_docs ||
        (b->n_docs && b->n_sents + b->n_events + rows > s->max_rows)) {
        if ((st = flush(s)) != CASUS_OK)
            return st;
    }
    if ((st = batch_has_id(s, id, &has)) != CASUS_OK)
        return st;
    if (has) {
        if ((st = flush(s)) != CASUS_OK)
            return st;
        if ((st = batch_has_id(s, id, &has)) != CASUS_OK)
            return st;
    }
    if (mem_grow(s->ctx, (void **)&b->docs, &b->cap_docs, b->n_docs + 1,
                 sizeof *b->docs) != CASUS_OK)
        return CASUS_ENOMEM;
    store_bdoc *d = &b->docs[b->n_docs];
    memset(d, 0, sizeof *d);
    if (put_cstr(s, id, &d->id) != CASUS_OK ||
        put_cstr(s, url, &d->url) != CASUS_OK ||
        put_cstr(s, title, &d->title) != CASUS_OK)
        return CASUS_ENOMEM;
    casus_date_format(date, d->date);
    d->first_sent = b->n_sents;
    d->first_event = b->n_events;
    d->first_link = b->n_links;
    *out = d;
    return CASUS_OK;
}

static void content_hash(const char *id, const char *url, const char *title,
                         const char *date, const char *text, size_t n,
                         char out[65])
{
    sha256 h;
    sha256_init(&h);
    hash_field(&h, "casus-doc-1", 11);
    hash_field(&h, id, strlen(id));
    hash_field(&h, url ? url : "", url ? strlen(url) : 0);
    hash_field(&h, title ? title : "", title ? strlen(title) : 0);
    hash_field(&h, date, strlen(date));
    hash_field(&h, text, n);
    sha256_hex(&h, out);
}

static casus_status add_sentence(casus_store *s, size_t index, size_t start,
                                 size_t end, const char *text, size_t n)
{
    store_batch *b = &s->batch;
    if (mem_grow(s->ctx, (void **)&b->sents, &b->cap_sents, b->n_sents + 1,
                 sizeof *b->sents) != CASUS_OK)
        return CASUS_ENOMEM;
    store_bsent *t = &b->sents[b->n_sents];
    t->index = index;
    t->start = start;
    t->end = end;
    if (put_str(s, text, n, &t->text) != CASUS_OK)
        return CASUS_ENOMEM;
    b->n_sents++;
    return CASUS_OK;
}

static casus_status add_actor(casus_store *s, const char *code,
                              casus_slice text)
{
    if (!code[0])
        return CASUS_OK;
    int isnew = actor_new(s, code);
    if (isnew < 0)
        return CASUS_ENOMEM;
    if (!isnew)
        return CASUS_OK;
    store_batch *b = &s->batch;
    if (mem_grow(s->ctx, (void **)&b->actors, &b->cap_actors,
                 b->n_actors + 1, sizeof *b->actors) != CASUS_OK)
        return CASUS_ENOMEM;
    store_bactor *a = &b->actors[b->n_actors++];
    snprintf(a->code, sizeof a->code, "%s", code);
    return put_str(s, text.p, text.p ? text.n : 0, &a->name);
}

static void copy_code(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Copies the events into the batch and hashes them (and the sentences
 * already added) into the document's rows hash. */
static casus_status copy_events(casus_store *s, store_bdoc *d,
                                const casus_event *ev, size_t n)
{
    store_batch *b = &s->batch;
    if (n && mem_grow(s->ctx, (void **)&b->events, &b->cap_events,
                      b->n_events + n, sizeof *b->events) != CASUS_OK)
        return CASUS_ENOMEM;
    sha256 h;
    sha256_init(&h);
    hash_field(&h, "casus-rows-1", 12);
    for (size_t i = d->first_sent; i < b->n_sents; i++) {
        const store_bsent *t = &b->sents[i];
        hash_num(&h, (int64_t)t->index);
        hash_num(&h, (int64_t)t->start);
        hash_num(&h, (int64_t)t->end);
        const char *tx = batch_str(b, t->text);
        hash_field(&h, tx, strlen(tx));
    }
    for (size_t i = 0; i < n; i++) {
        const casus_event *e = &ev[i];
        store_bevent *o = &b->events[b->n_events];
        memset(o, 0, sizeof *o);
        o->sentence_index = e->sentence_index;
        o->start = e->start;
        o->end = e->end;
        casus_date_format(e->date, o->date);
        copy_code(o->source_code, sizeof o->source_code, e->source.code);
        if (put_str(s, e->source.text.p, e->source.text.p ? e->source.text.n : 0,
                    &o->source_text) != CASUS_OK)
            return CASUS_ENOMEM;
        o->source_start = e->source.text.n ? (int64_t)e->source.start : -1;
        o->source_end = e->source.text.n ? (int64_t)e->source.end : -1;
        o->has_target = e->has_target != 0;
        o->target_start = o->target_end = -1;
        if (o->has_target) {
            copy_code(o->target_code, sizeof o->target_code, e->target.code);
            if (put_str(s, e->target.text.p,
                        e->target.text.p ? e->target.text.n : 0,
                        &o->target_text) != CASUS_OK)
                return CASUS_ENOMEM;
            if (e->target.text.n) {
                o->target_start = (int64_t)e->target.start;
                o->target_end = (int64_t)e->target.end;
            }
        }
        copy_code(o->cameo, sizeof o->cameo, e->cameo);
        copy_code(o->root_code, sizeof o->root_code, e->cameo);
        o->goldstein = e->goldstein;
        o->quad_class = e->quad_class;
        copy_code(o->plover_type, sizeof o->plover_type, e->plover_type);
        copy_code(o->plover_mode, sizeof o->plover_mode, e->plover_mode);
        o->negated = e->negated != 0;
        /* the batch's rollup deltas, summed here rather than on the
         * writer's thread (store_int.h) */
        if (!b->delta_bad &&
            store_rollup_add(&b->delta, o->date, o->source_code,
                             o->has_target ? o->target_code : NULL,
                             o->quad_class, o->goldstein, 1) != CASUS_OK)
            return CASUS_ENOMEM;
        if (add_actor(s, o->source_code, e->source.text) != CASUS_OK ||
            (o->has_target && add_actor(s, o->target_code, e->target.text) !=
                                  CASUS_OK))
            return CASUS_ENOMEM;

        hash_num(&h, (int64_t)o->sentence_index);
        hash_num(&h, (int64_t)o->start);
        hash_num(&h, (int64_t)o->end);
        hash_field(&h, o->date, strlen(o->date));
        hash_field(&h, o->source_code, strlen(o->source_code));
        const char *t = batch_str(b, o->source_text);
        hash_field(&h, t, strlen(t));
        hash_num(&h, o->source_start);
        hash_num(&h, o->source_end);
        hash_num(&h, o->has_target);
        hash_field(&h, o->target_code, strlen(o->target_code));
        t = batch_str(b, o->target_text);
        hash_field(&h, t, strlen(t));
        hash_num(&h, o->target_start);
        hash_num(&h, o->target_end);
        hash_field(&h, o->cameo, strlen(o->cameo));
        char g[32];
        int k = snprintf(g, sizeof g, "%.4f", o->goldstein);
        hash_field(&h, g, (size_t)k);
        hash_num(&h, o->quad_class);
        hash_field(&h, o->plover_type, strlen(o->plover_type));
        hash_field(&h, o->plover_mode, strlen(o->plover_mode));
        hash_num(&h, o->negated);
        b->n_events++;
    }
    sha256_hex(&h, d->rows_hash);
    d->n_event = n;
    d->n_sent = b->n_sents - d->first_sent;
    b->n_docs++;
    return CASUS_OK;
}

static casus_status add_events(casus_store *s, store_bdoc *d,
                               const casus_event *ev, size_t n)
{
    casus_status st = copy_events(s, d, ev, n);
    /* A document that failed half way is not queued, but some of its
     * events may be in the batch's deltas: the backend adds event by
     * event instead. */
    if (st != CASUS_OK)
        s->batch.delta_bad = 1;
    return st;
}

casus_status casus_store_put_document(casus_store *s, const casus_doc *doc,
                                      const casus_event *events, size_t n)
{
    size_t n_sent;
    const casus_sentence *sent = casus_doc_sentences(doc, &n_sent);
    store_bdoc *d;
    casus_status st = begin_doc(s, casus_doc_id(doc), casus_doc_url(doc),
                                casus_doc_title(doc), casus_doc_date(doc),
                                n_sent + n, &d);
    if (st != CASUS_OK)
        return st;
    casus_slice raw = casus_doc_raw(doc);
    content_hash(casus_doc_id(doc), casus_doc_url(doc), casus_doc_title(doc),
                 d->date, raw.p ? raw.p : "", raw.n, d->content_hash);
    d->n_bytes = raw.n;
    for (size_t i = 0; i < n_sent; i++)
        if ((st = add_sentence(s, i, sent[i].start, sent[i].end,
                               sent[i].text.p, sent[i].text.n)) != CASUS_OK)
            return st;
    return add_events(s, d, events, n);
}

casus_status store_put_rows(casus_store *s, const casus_store_doc *doc,
                            const casus_event *ev, const char *const *texts,
                            size_t n_sent, size_t n_ev)
{
    store_bdoc *d;
    casus_status st = begin_doc(s, doc->id, doc->url, doc->title, doc->date,
                                n_sent + 2 * n_ev, &d);
    if (st != CASUS_OK)
        return st;
    content_hash(doc->id, doc->url, doc->title, d->date, "", 0,
                 d->content_hash);
    for (size_t i = 0; texts && i < n_sent + n_ev; i++) {
        if (!texts[i])
            continue;
        int dup = 0;
        for (size_t j = d->first_sent; j < s->batch.n_sents && !dup; j++)
            dup = s->batch.sents[j].index == ev[i].sentence_index;
        if (!dup && (st = add_sentence(s, ev[i].sentence_index, ev[i].start,
                                       ev[i].end, texts[i],
                                       strlen(texts[i]))) != CASUS_OK)
            return st;
    }
    return add_events(s, d, ev + n_sent, n_ev);
}

casus_status casus_store_put_events(casus_store *s, const casus_store_doc *doc,
                                    const casus_event *events,
                                    const char *const *sentence_texts,
                                    size_t n)
{
    return store_put_rows(s, doc, events, sentence_texts, 0, n);
}

casus_status casus_store_put_links(casus_store *s, const casus_response *links, size_t n)
{
    store_batch *b = &s->batch;
    if (!b->n_docs)
        return ctx_fail(s->ctx, CASUS_EINVAL, "response links without a document");
    store_bdoc *d = &b->docs[b->n_docs - 1];
    if (!n)
        return CASUS_OK;
    if (mem_grow(s->ctx, (void **)&b->links, &b->cap_links, b->n_links + n,
                 sizeof *b->links) != CASUS_OK)
        return CASUS_ENOMEM;
    /* the links count in the rows hash: the old hash, then each link */
    sha256 h;
    sha256_init(&h);
    hash_field(&h, "casus-links-2", 13);
    hash_field(&h, d->rows_hash, 64);
    for (size_t i = 0; i < n; i++) {
        const casus_response *l = &links[i];
        store_blink *o = &b->links[b->n_links++];
        memset(o, 0, sizeof *o);
        /* an event index out of the document's range stands for nothing */
        o->trigger = l->trigger_event >= 0 && (size_t)l->trigger_event < d->n_event
                         ? l->trigger_event : -1;
        o->response = l->response_event >= 0 && (size_t)l->response_event < d->n_event
                          ? l->response_event : -1;
        snprintf(o->trigger_ref, sizeof o->trigger_ref, "%s", l->trigger);
        snprintf(o->response_ref, sizeof o->response_ref, "%s", l->response);
        snprintf(o->responder, sizeof o->responder, "%s", l->responder);
        snprintf(o->kind, sizeof o->kind, "%s", l->basis);
        o->has_lag = l->has_lag;
        o->lag_days = l->lag_days;
        hash_num(&h, o->trigger);
        hash_num(&h, o->response);
        hash_field(&h, o->trigger_ref, strlen(o->trigger_ref));
        hash_field(&h, o->response_ref, strlen(o->response_ref));
        hash_field(&h, o->responder, strlen(o->responder));
        hash_field(&h, o->kind, strlen(o->kind));
        hash_num(&h, o->has_lag ? o->lag_days : INT64_MIN);
        d->n_link++;
    }
    sha256_hex(&h, d->rows_hash);
    return CASUS_OK;
}

/* A JSON string value (null when empty) after key. */
static casus_status json_str(casus_ctx *ctx, buf *b, const char *k, const char *v)
{
    casus_status st = buf_printf(ctx, b, "\"%s\":", k);
    if (st == CASUS_OK && !*v)
        return buf_puts(ctx, b, "null");
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '"');
    if (st == CASUS_OK)
        st = buf_json_escape(ctx, b, v, strlen(v));
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, '"');
    return st;
}

/* The parties as the incident record writes them: perpetrators with
 * status and blamed_by, targets with type. */
static casus_status json_parties(casus_ctx *ctx, buf *b,
                                 const casus_incident_party *p, size_t n,
                                 int perps)
{
    casus_status st = buf_putc(ctx, b, '[');
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        st = buf_puts(ctx, b, i ? ",{" : "{");
        if (st == CASUS_OK) st = json_str(ctx, b, "name", p[i].name);
        if (st == CASUS_OK) st = buf_putc(ctx, b, ',');
        if (st == CASUS_OK) st = json_str(ctx, b, "code", p[i].code);
        if (st == CASUS_OK) st = buf_putc(ctx, b, ',');
        if (st == CASUS_OK && perps) {
            st = json_str(ctx, b, "status", casus_perp_status_name(p[i].status));
            if (st == CASUS_OK) st = buf_putc(ctx, b, ',');
            if (st == CASUS_OK) st = json_str(ctx, b, "blamed_by", p[i].blamed_by);
        } else if (st == CASUS_OK) {
            st = json_str(ctx, b, "type", p[i].type);
        }
        if (st == CASUS_OK) st = buf_putc(ctx, b, '}');
    }
    if (st == CASUS_OK)
        st = buf_putc(ctx, b, ']');
    return st;
}

/* A count's bounds as stored: INT64_MIN for NULL. */
static void count_cols(casus_count c, int64_t *lo, int64_t *hi)
{
    *lo = c.min >= 0 ? c.min : INT64_MIN;
    *hi = c.max >= 0 && c.max != CASUS_COUNT_OPEN ? c.max : INT64_MIN;
}

/* Fills o (zeroed) with inc's fields and the ref ref. */
static casus_status fill_binc(casus_store *s, buf *js, store_binc *o, const char *ref,
                              const casus_incident *inc)
{
    casus_status st;
    snprintf(o->ref, sizeof o->ref, "%s", ref);
    if (inc->date_start.year > 0)
        casus_date_format(inc->date_start, o->start);
    if (inc->date_end.year > 0)
        casus_date_format(inc->date_end, o->end);
    snprintf(o->date_precision, sizeof o->date_precision, "%s", inc->date_precision);
    o->has_location = inc->has_location;
    if (inc->has_location) {
        snprintf(o->country, sizeof o->country, "%s", inc->location_country);
        snprintf(o->location_precision, sizeof o->location_precision, "%s",
                 inc->location_precision);
        o->lat = inc->lat;
        o->lon = inc->lon;
        if ((st = put_cstr(s, inc->location_name, &o->location)) != CASUS_OK ||
            (st = put_cstr(s, inc->location_admin1, &o->admin1)) != CASUS_OK)
            return st;
    }
    snprintf(o->method, sizeof o->method, "%s", inc->method);
    count_cols(inc->killed, &o->killed_min, &o->killed_max);
    count_cols(inc->injured, &o->injured_min, &o->injured_max);
    count_cols(inc->casualties, &o->casualties_min, &o->casualties_max);
    buf_reset(js);
    if ((st = json_parties(s->ctx, js, inc->perpetrators, inc->n_perpetrators, 1)) !=
            CASUS_OK ||
        (st = put_str(s, js->p, js->n, &o->perpetrators)) != CASUS_OK)
        return st;
    buf_reset(js);
    if ((st = json_parties(s->ctx, js, inc->targets, inc->n_targets, 0)) != CASUS_OK ||
        (st = put_str(s, js->p, js->n, &o->targets)) != CASUS_OK)
        return st;
    return CASUS_OK;
}

casus_status casus_store_put_incidents(casus_store *s, const casus_incidents *set)
{
    store_batch *b = &s->batch;
    if (!b->n_docs)
        return ctx_fail(s->ctx, CASUS_EINVAL, "incidents without a document");
    store_bdoc *d = &b->docs[b->n_docs - 1];
    size_t n = casus_incidents_count(set);
    casus_status st = CASUS_OK;
    buf js = BUF_INIT;
    sha256 h;
    int hashed = 0;
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        const casus_incident *inc = casus_incidents_get(set, i);
        /* reported by this document (the set's last): what it says of the
         * incident itself, and its evidence; a stored incident of an
         * earlier run that it does not join is not its */
        uint64_t own;
        const casus_incident_evidence *own_ev;
        const casus_incident *own_rec;
        size_t n_own_ev;
        if (!incident_own_digest(set, i, &own, &own_ev, &n_own_ev, &own_rec))
            continue;
        if (!hashed) {
            /* the incidents count in the rows hash: the old hash, then
             * each incident's id with what this document reports of it
             * (not the merged fields, which other documents change) */
            sha256_init(&h);
            hash_field(&h, "casus-incidents-7", 17);
            hash_field(&h, d->rows_hash, 64);
            hashed = 1;
        }
        /* two entries: the merged row, then this document's own report */
        if ((st = mem_grow(s->ctx, (void **)&b->incs, &b->cap_incs, b->n_incs + 2,
                           sizeof *b->incs)) != CASUS_OK)
            break;
        store_binc *o = &b->incs[b->n_incs];
        memset(o, 0, 2 * sizeof *o);
        if ((st = fill_binc(s, &js, o, inc->id, inc)) != CASUS_OK ||
            (st = fill_binc(s, &js, o + 1, inc->id, own_rec)) != CASUS_OK)
            break;
        o[1].report = 1;
        o->first_ev = o[1].first_ev = b->n_ievs;
        for (size_t e = 0; e < n_own_ev && st == CASUS_OK; e++) {
            const casus_incident_evidence *ev = &own_ev[e];
            /* one row per sentence */
            int dup = 0;
            for (size_t j = o->first_ev; j < b->n_ievs && !dup; j++)
                dup = b->ievs[j].sentence_index == ev->sentence_index;
            if (dup)
                continue;
            if ((st = mem_grow(s->ctx, (void **)&b->ievs, &b->cap_ievs, b->n_ievs + 1,
                               sizeof *b->ievs)) != CASUS_OK)
                break;
            store_bievid *v = &b->ievs[b->n_ievs++];
            v->sentence_index = ev->sentence_index;
            v->start = ev->start;
            v->end = ev->end;
            o->n_ev++;
            hash_num(&h, (int64_t)v->sentence_index);
            hash_num(&h, (int64_t)v->start);
            hash_num(&h, (int64_t)v->end);
        }
        if (st != CASUS_OK)
            break;
        hash_field(&h, o->ref, strlen(o->ref));
        hash_num(&h, (int64_t)(own >> 32));
        hash_num(&h, (int64_t)(own & 0xffffffffu));
        if (!d->n_inc)
            d->first_inc = b->n_incs;
        b->n_incs += 2;
        d->n_inc += 2;
    }
    buf_free(s->ctx, &js);
    if (st == CASUS_OK && hashed)
        sha256_hex(&h, d->rows_hash);
    return st;
}

/* ---------------------------------------------------------------- cross-run */

/*
 * The stored incidents a document's records could join (incident.h,
 * "Cross-run merging"): per key, the incidents of its country whose dates
 * come within a day of the record's, with their documents and evidence, in
 * one indexed query (incidents_country); each becomes a record of the set
 * as the incident stage would have it after its documents.
 */
static const char seed_sql[] =
    "SELECT i.incident_ref, r.start_date, r.end_date, r.date_precision, "
    "r.country, r.admin1, r.location, r.latitude, r.longitude, "
    "r.location_precision, r.method, r.killed_min, r.killed_max, "
    "r.injured_min, r.injured_max, r.casualties_min, r.casualties_max, "
    "r.perpetrators, r.targets, d.doc_id, d.pub_date FROM incidents i JOIN "
    "incident_reports r ON r.incident_pk = i.incident_pk JOIN documents d ON "
    "d.doc_pk = r.doc_pk WHERE i.country = $1 AND i.start_date <= $2 AND "
    "i.start_date >= $3 AND i.end_date >= $4 ORDER BY i.incident_pk, "
    "r.doc_pk";
static const char seed_ev_sql[] =
    "SELECT i.incident_ref, d.doc_id, e.sentence_index, e.char_start, "
    "e.char_end FROM incidents i JOIN incident_evidence e ON e.incident_pk = "
    "i.incident_pk JOIN documents d ON d.doc_pk = e.doc_pk WHERE i.country = "
    "$1 AND i.start_date <= $2 AND i.start_date >= $3 AND i.end_date >= $4 "
    "ORDER BY i.incident_pk, e.doc_pk, e.sentence_index";

/* The stored incidents of one key: reports rep[first..first+n) of each,
 * their documents (NUL-separated in ids) and evidence. */
typedef struct seed_inc {
    char ref[80];
    size_t first, n;
    size_t first_id, n_id;       /* id_off[first_id..) */
    size_t first_ev, n_ev;
} seed_inc;

typedef struct seed_acc {
    seed_inc *inc;
    size_t n_inc, cap_inc;
    casus_incident *rep;
    long *pub;
    size_t n_rep, cap_rep, cap_pub;
    buf ids;
    size_t *id_off;
    size_t n_ids, cap_ids;
    const char **id_ptr;
    size_t cap_ptr;
    casus_incident_evidence *ev;
    size_t n_ev, cap_ev;
    char skip[80];               /* the last ref found in the set already */
} seed_acc;

/* A cursor's row as a store_col_fn. */
static const char *cursor_col(void *row, size_t i, size_t *n)
{
    return store_cursor_text(row, i, n);
}

static int64_t col_num(store_col_fn col, void *row, size_t i, int64_t none)
{
    size_t n;
    const char *t = col(row, i, &n);
    return t ? (int64_t)strtoll(t, NULL, 10) : none;
}

static void col_str(store_col_fn col, void *row, size_t i, char *out, size_t cap)
{
    size_t n;
    const char *t = col(row, i, &n);
    snprintf(out, cap, "%.*s", t ? (int)n : 0, t ? t : "");
}

static casus_count col_count(store_col_fn col, void *row, size_t i)
{
    casus_count k = {col_num(col, row, i, CASUS_COUNT_NONE),
                     col_num(col, row, i + 1, CASUS_COUNT_NONE)};
    if (k.min >= 0 && k.max < 0)
        k.max = CASUS_COUNT_OPEN;
    return k;
}

/* The parties of a stored JSON array (json_parties' form). */
static casus_status parse_parties(casus_ctx *ctx, const char *t, size_t n,
                                  casus_incident_party *out, size_t *n_out)
{
    buf v = BUF_INIT;
    casus_status st = CASUS_OK;
    size_t pos = 0;
    *n_out = 0;
    while (pos < n && (t[pos] == '[' || t[pos] == ',' || t[pos] == ' '))
        pos++;
    while (st == CASUS_OK && pos < n && t[pos] == '{' &&
           *n_out < CASUS_INCIDENT_MAX_PARTIES) {
        json_parser p;
        json_init(&p, t + pos, n - pos);
        casus_incident_party *q = &out[*n_out];
        memset(q, 0, sizeof *q);
        casus_slice key;
        json_type ty;
        st = json_object_open(&p);
        while (st == CASUS_OK && (st = json_object_next(&p, &key, &ty)) == CASUS_OK) {
            if (ty != JSON_STRING) {
                st = json_skip(&p);
                continue;
            }
            buf_reset(&v);
            if ((st = json_string_decode(&p, ctx, &v)) != CASUS_OK)
                break;
            const char *sv = buf_cstr(&v);
#define KEYIS(k) (key.n == sizeof k - 1 && !memcmp(key.p, k, key.n))
            if (KEYIS("name"))
                snprintf(q->name, sizeof q->name, "%s", sv);
            else if (KEYIS("code"))
                snprintf(q->code, sizeof q->code, "%s", sv);
            else if (KEYIS("blamed_by"))
                snprintf(q->blamed_by, sizeof q->blamed_by, "%s", sv);
            else if (KEYIS("type"))
                snprintf(q->type, sizeof q->type, "%s", sv);
            else if (KEYIS("status"))
                for (unsigned k = 0; k < 4; k++)
                    if (!strcmp(sv, casus_perp_status_name(k)))
                        q->status = (uint8_t)k;
#undef KEYIS
        }
        if (st == CASUS_DONE)
            st = CASUS_OK;
        if (st != CASUS_OK)
            break;
        (*n_out)++;
        pos += p.pos;
        while (pos < n && (t[pos] == ',' || t[pos] == ' '))
            pos++;
    }
    buf_free(ctx, &v);
    return st;
}

/* Fills p (zeroed) from the report columns STORE_INC_COLS of a row, from
 * column at. */
static casus_status report_fields(casus_store *s, store_col_fn col, void *row, size_t at,
                                  casus_incident *p)
{
    casus_status st;
    char d[16];
    col_str(col, row, at, d, sizeof d);
    (void)casus_date_parse(d, strlen(d), &p->date_start);
    col_str(col, row, at + 1, d, sizeof d);
    (void)casus_date_parse(d, strlen(d), &p->date_end);
    col_str(col, row, at + 2, p->date_precision, sizeof p->date_precision);
    size_t n;
    p->has_location = col(row, at + 3, &n) != NULL;
    col_str(col, row, at + 3, p->location_country, sizeof p->location_country);
    col_str(col, row, at + 4, p->location_admin1, sizeof p->location_admin1);
    col_str(col, row, at + 5, p->location_name, sizeof p->location_name);
    const char *t = col(row, at + 6, &n);
    p->lat = t ? strtod(t, NULL) : 0;
    t = col(row, at + 7, &n);
    p->lon = t ? strtod(t, NULL) : 0;
    col_str(col, row, at + 8, p->location_precision, sizeof p->location_precision);
    col_str(col, row, at + 9, p->method, sizeof p->method);
    p->killed = col_count(col, row, at + 10);
    p->injured = col_count(col, row, at + 12);
    p->casualties = col_count(col, row, at + 14);
    t = col(row, at + 16, &n);
    if (t && (st = parse_parties(store_wctx(s), t, n, p->perpetrators, &p->n_perpetrators)) !=
                 CASUS_OK)
        return st;
    t = col(row, at + 17, &n);
    if (t && (st = parse_parties(store_wctx(s), t, n, p->targets, &p->n_targets)) != CASUS_OK)
        return st;
    return CASUS_OK;
}

/* Fills p from a report row of seed_sql. */
static casus_status seed_fields(casus_store *s, store_cursor *c, casus_incident *p)
{
    memset(p, 0, sizeof *p);
    col_str(cursor_col, c, 0, p->id, sizeof p->id);
    return report_fields(s, cursor_col, c, 1, p);
}

/* A publication date as a day number; none: far in the past. */
static long pub_day(const char *d, size_t n)
{
    casus_date pd;
    return d && n && casus_date_parse(d, n, &pd) == CASUS_OK && pd.year > 0
               ? date_days(pd)
               : -2147483647L;
}

/* One report row: a new incident when its ref changes (NULL *skip: one
 * already in the set, whose rows are passed over). */
static casus_status seed_report(casus_store *s, casus_incidents *set, store_cursor *c,
                                const char *doc_id, seed_acc *a)
{
    casus_status st;
    size_t n;
    char ref[80];
    col_str(cursor_col, c, 0, ref, sizeof ref);
    seed_inc *g = a->n_inc ? &a->inc[a->n_inc - 1] : NULL;
    if (!strcmp(a->skip, ref))
        return CASUS_OK;
    if (!g || strcmp(g->ref, ref)) {
        if (incident_has(set, ref)) {   /* of this run, or seeded already */
            memcpy(a->skip, ref, sizeof a->skip);
            return CASUS_OK;
        }
        if (mem_grow(s->ctx, (void **)&a->inc, &a->cap_inc, a->n_inc + 1, sizeof *a->inc))
            return CASUS_ENOMEM;
        g = &a->inc[a->n_inc++];
        memset(g, 0, sizeof *g);
        memcpy(g->ref, ref, sizeof g->ref);
        g->first = a->n_rep;
        g->first_id = a->n_ids;
    }
    const char *id = store_cursor_text(c, 19, &n);
    if (!id || (strlen(doc_id) == n && !memcmp(id, doc_id, n)))
        return CASUS_OK;   /* the document being coded: its new report counts */
    if (mem_grow(s->ctx, (void **)&a->rep, &a->cap_rep, a->n_rep + 1, sizeof *a->rep) ||
        mem_grow(s->ctx, (void **)&a->pub, &a->cap_pub, a->n_rep + 1, sizeof *a->pub) ||
        mem_grow(s->ctx, (void **)&a->id_off, &a->cap_ids, a->n_ids + 1, sizeof *a->id_off))
        return CASUS_ENOMEM;
    if ((st = seed_fields(s, c, &a->rep[a->n_rep])) != CASUS_OK)
        return st;
    size_t dn;
    const char *d = store_cursor_text(c, 20, &dn);
    a->pub[a->n_rep] = pub_day(d, dn);
    a->n_rep++;
    g->n++;
    a->id_off[a->n_ids++] = a->ids.n;
    g->n_id++;
    if ((st = buf_append(s->ctx, &a->ids, id, n)) != CASUS_OK ||
        (st = buf_putc(s->ctx, &a->ids, '\0')) != CASUS_OK)
        return st;
    return CASUS_OK;
}

/* One evidence row of seed_ev_sql, for an incident gathered (and a
 * document with a report there). */
static casus_status seed_evidence(casus_store *s, store_cursor *c, seed_acc *a, size_t *at)
{
    char ref[80];
    col_str(cursor_col, c, 0, ref, sizeof ref);
    while (*at < a->n_inc && strcmp(a->inc[*at].ref, ref))
        (*at)++;
    if (*at == a->n_inc) {   /* not gathered: from the start again */
        size_t k;
        for (k = 0; k < a->n_inc && strcmp(a->inc[k].ref, ref); k++)
            ;
        if (k == a->n_inc) {
            *at = 0;
            return CASUS_OK;
        }
        *at = k;
    }
    seed_inc *g = &a->inc[*at];
    size_t n;
    const char *id = store_cursor_text(c, 1, &n);
    size_t k;
    for (k = 0; id && k < g->n_id; k++) {
        const char *x = a->ids.p + a->id_off[g->first_id + k];
        if (strlen(x) == n && !memcmp(x, id, n))
            break;
    }
    if (!id || k == g->n_id)
        return CASUS_OK;   /* the document being coded */
    if (mem_grow(s->ctx, (void **)&a->ev, &a->cap_ev, a->n_ev + 1, sizeof *a->ev))
        return CASUS_ENOMEM;
    if (!g->n_ev)
        g->first_ev = a->n_ev;
    casus_incident_evidence *e = &a->ev[a->n_ev++];
    e->doc = k;
    e->sentence_index = (size_t)col_num(cursor_col, c, 2, 0);
    e->start = (size_t)col_num(cursor_col, c, 3, 0);
    e->end = (size_t)col_num(cursor_col, c, 4, 0);
    g->n_ev++;
    return CASUS_OK;
}

static casus_status seed_from_store(void *ud, casus_incidents *set, const char *doc_id,
                                    const incident_key *keys, size_t n)
{
    casus_store *s = ud;
    casus_status st = CASUS_OK;
    seed_acc a;
    memset(&a, 0, sizeof a);
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        /* a key asked before in this run finds nothing new (its incidents
         * are in the set): keep the last few */
        size_t j;
        for (j = 0; j < s->n_seed_keys && memcmp(&s->seed_keys[j], &keys[i], sizeof keys[i]); j++)
            ;
        if (j < s->n_seed_keys)
            continue;
        s->seed_keys[s->n_seed_keys < SEED_KEYS ? s->n_seed_keys++ : s->next_seed_key++ % SEED_KEYS] =
            keys[i];
        /* an incident starts at most 31 days (a month's range) before the key's
         * range, so the index range on (country, start_date) is bounded on
         * both sides; seasons, years and decades are not looked up */
        char hi[11], lo[11], from[11];
        casus_date_format(keys[i].hi, hi);
        casus_date_format(keys[i].lo, lo);
        casus_date_format(date_from_days(date_days(keys[i].lo) - 31), from);
        const char *params[4] = {keys[i].country, hi, from, lo};
        a.n_inc = a.n_rep = a.n_ids = a.n_ev = 0;
        a.skip[0] = '\0';
        buf_reset(&a.ids);
        store_cursor *c;
        if ((st = store_cursor_open(s, seed_sql, params, 4, &c)) != CASUS_OK)
            break;
        while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK)
            st = seed_report(s, set, c, doc_id, &a);
        store_cursor_close(c);
        if (st != CASUS_DONE)
            break;
        st = CASUS_OK;
        if (!a.n_rep)
            continue;
        if ((st = store_cursor_open(s, seed_ev_sql, params, 4, &c)) != CASUS_OK)
            break;
        size_t at = 0;
        while (st == CASUS_OK && (st = store_cursor_next(c)) == CASUS_OK)
            st = seed_evidence(s, c, &a, &at);
        store_cursor_close(c);
        if (st != CASUS_DONE)
            break;
        st = CASUS_OK;
        if (mem_grow(s->ctx, (void **)&a.id_ptr, &a.cap_ptr, a.n_ids + 1, sizeof *a.id_ptr)) {
            st = CASUS_ENOMEM;
            break;
        }
        for (size_t k = 0; k < a.n_ids; k++)
            a.id_ptr[k] = a.ids.p + a.id_off[k];
        for (size_t k = 0; k < a.n_inc && st == CASUS_OK; k++) {
            seed_inc *g = &a.inc[k];
            if (!g->n)
                continue;   /* only the document being coded reported it */
            casus_incident *r0 = &a.rep[g->first];
            r0->doc_ids = a.id_ptr + g->first_id;
            r0->n_doc_ids = g->n_id;
            r0->evidence = g->n_ev ? a.ev + g->first_ev : NULL;
            r0->n_evidence = g->n_ev;
            st = incident_seed(set, r0, a.pub + g->first, g->n);
        }
    }
    buf_free(s->ctx, &a.ids);
    mem_free(s->ctx, a.inc);
    mem_free(s->ctx, a.rep);
    mem_free(s->ctx, a.pub);
    mem_free(s->ctx, a.id_off);
    mem_free(s->ctx, a.id_ptr);
    mem_free(s->ctx, a.ev);
    return st;
}

casus_status casus_store_seed_incidents(casus_store *s, casus_incidents *set)
{
    if (!s || !set)
        return CASUS_OK;
    s->n_seed_keys = s->next_seed_key = 0;
    incident_set_seeder(set, seed_from_store, s);
    return CASUS_OK;
}

/* ------------------------------------------------------- rebuilt incidents */

casus_status store_remerge_add(casus_store *s, store_remerge *m, store_col_fn col,
                               void *row)
{
    if (mem_grow(store_wctx(s), (void **)&m->rep, &m->cap_rep, m->n + 1, sizeof *m->rep) ||
        mem_grow(store_wctx(s), (void **)&m->pub, &m->cap_pub, m->n + 1, sizeof *m->pub))
        return CASUS_ENOMEM;
    casus_incident *p = &m->rep[m->n];
    memset(p, 0, sizeof *p);
    casus_status st = report_fields(s, col, row, 0, p);
    if (st != CASUS_OK)
        return st;
    size_t n;
    const char *d = col(row, STORE_INC_NCOLS, &n);
    m->pub[m->n++] = pub_day(d, n);
    return CASUS_OK;
}

/* Appends column i's value (NULL or "": SQL NULL, as the batch writes
 * them) to m->text. */
static casus_status remerge_val(casus_store *s, store_remerge *m, size_t i, const char *v,
                                size_t n)
{
    if (!v || !n) {
        m->off[i] = (size_t)-1;
        return CASUS_OK;
    }
    m->off[i] = m->text.n;
    casus_status st = buf_append(store_wctx(s), &m->text, v, n);
    return st == CASUS_OK ? buf_putc(store_wctx(s), &m->text, '\0') : st;
}

static casus_status remerge_num(casus_store *s, store_remerge *m, size_t i, int64_t v)
{
    char t[24];
    if (v == INT64_MIN)
        return remerge_val(s, m, i, NULL, 0);
    int k = snprintf(t, sizeof t, "%lld", (long long)v);
    return remerge_val(s, m, i, t, (size_t)k);
}

casus_status store_remerge_finish(casus_store *s, store_remerge *m)
{
    casus_incident out;
    casus_status st = incident_merge_reports(store_wctx(s), m->rep, m->pub, m->n, &out);
    buf js = BUF_INIT;
    buf_reset(&m->text);
    char t[32];
    int loc = out.has_location;
    int64_t c[6];
    count_cols(out.killed, &c[0], &c[1]);
    count_cols(out.injured, &c[2], &c[3]);
    count_cols(out.casualties, &c[4], &c[5]);
    if (st == CASUS_OK && out.date_start.year > 0) {
        casus_date_format(out.date_start, t);
        st = remerge_val(s, m, 0, t, strlen(t));
    } else if (st == CASUS_OK) {
        st = remerge_val(s, m, 0, NULL, 0);
    }
    if (st == CASUS_OK && out.date_end.year > 0) {
        casus_date_format(out.date_end, t);
        st = remerge_val(s, m, 1, t, strlen(t));
    } else if (st == CASUS_OK) {
        st = remerge_val(s, m, 1, NULL, 0);
    }
    const char *txt[STORE_INC_NCOLS] = {
        NULL, NULL, out.date_precision, loc ? out.location_country : NULL,
        loc ? out.location_admin1 : NULL, loc ? out.location_name : NULL, NULL, NULL,
        loc ? out.location_precision : NULL, out.method};
    for (size_t i = 2; i < 10 && st == CASUS_OK; i++) {
        if (i == 6 || i == 7) {
            int k = snprintf(t, sizeof t, "%.17g", i == 6 ? out.lat : out.lon);
            st = remerge_val(s, m, i, loc ? t : NULL, (size_t)k);
        } else {
            st = remerge_val(s, m, i, txt[i], txt[i] ? strlen(txt[i]) : 0);
        }
    }
    for (size_t i = 0; i < 6 && st == CASUS_OK; i++)
        st = remerge_num(s, m, 10 + i, c[i]);
    for (int k = 0; k < 2 && st == CASUS_OK; k++) {
        buf_reset(&js);
        st = k ? json_parties(store_wctx(s), &js, out.targets, out.n_targets, 0)
               : json_parties(store_wctx(s), &js, out.perpetrators, out.n_perpetrators, 1);
        if (st == CASUS_OK)
            st = remerge_val(s, m, 16 + (size_t)k, js.p, js.n);
    }
    buf_free(store_wctx(s), &js);
    for (size_t i = 0; i < STORE_INC_NCOLS; i++)
        m->val[i] = st == CASUS_OK && m->off[i] != (size_t)-1 ? m->text.p + m->off[i] : NULL;
    m->n = 0;
    return st;
}

void store_remerge_free(casus_store *s, store_remerge *m)
{
    mem_free(store_wctx(s), m->rep);
    mem_free(store_wctx(s), m->pub);
    buf_free(store_wctx(s), &m->text);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- cursors */

casus_status store_cursor_open(casus_store *s, const char *sql,
                               const char *const *params, size_t n,
                               store_cursor **out)
{
    casus_status st = store_writer_wait(s);
    if (st != CASUS_OK) {
        *out = NULL;
        return st;
    }
    return s->ops->cursor_open(s, sql, params, n, 0, out);
}

casus_status store_cursor_open_user(casus_store *s, const char *sql,
                                    store_cursor **out)
{
    casus_status st = store_writer_wait(s);
    if (st != CASUS_OK) {
        *out = NULL;
        return st;
    }
    return s->ops->cursor_open(s, sql, NULL, 0, 1, out);
}

/* Every cursor starts with its store pointer (see the backends). */
typedef struct cursor_head {
    casus_store *s;
} cursor_head;

casus_status store_cursor_next(store_cursor *c)
{
    return ((cursor_head *)(void *)c)->s->ops->cursor_next(c);
}

size_t store_cursor_ncols(const store_cursor *c)
{
    return ((const cursor_head *)(const void *)c)->s->ops->cursor_ncols(c);
}

const char *store_cursor_name(const store_cursor *c, size_t i)
{
    return ((const cursor_head *)(const void *)c)->s->ops->cursor_name(c, i);
}

const char *store_cursor_text(store_cursor *c, size_t i, size_t *n)
{
    return ((cursor_head *)(void *)c)->s->ops->cursor_text(c, i, n);
}

void store_cursor_close(store_cursor *c)
{
    if (c)
        ((cursor_head *)(void *)c)->s->ops->cursor_close(c);
}
