/*
 * incident.h - the incident stage: attack mentions in a parsed document,
 * merged into one record per incident, and records merged across
 * documents. The public API (casus_incidents_*) is in casus.h; these are
 * the pieces the tests and the evaluation reach directly.
 */
#ifndef CASUS_INCIDENT_H
#define CASUS_INCIDENT_H

#include "casus.h"

/* The PLOVER ASSAULT mode a word (a lowercased lemma) points to, or NULL:
 * "stab" -> "primitive", "drone" -> "drone", "missile" -> "heavy-weapons". */
const char *incident_method_word(const char *lemma);

/* The target type of a noun (lowercased lemma), or NULL: "worshipper" ->
 * "civilians", "soldier" -> "military", "shrine" -> "religious site". */
const char *incident_target_type(const char *lemma);

/* Whether two methods may describe one incident (the same, one unknown, or
 * of one family: explosives and suicide-attack; aerial, drone and
 * heavy-weapons; firearms and targeted). */
int incident_methods_compatible(const char *a, const char *b);

/* Which documents an incident of a set lists, in 64 bits: record i's mask
 * has incident_doc_bit(id) set for every id among its doc_ids, so a clear
 * bit proves the id is not there (a set bit may be another id's). 0 for an
 * index out of range. */
uint64_t incident_doc_bit(const char *id);
uint64_t incident_doc_mask(const casus_incidents *s, size_t i);

/*
 * Cross-run merging (casus_store_seed_incidents, store.c). Before the
 * records of a document are merged across documents, the set asks its
 * seeder for the stored incidents they could join: one key per dated,
 * placed record (its country, its date range widened by the rule's day).
 * The seeder adds them with incident_seed; a seeded incident takes part in
 * the cross-document rule like an earlier document's record, keeps its
 * id, and is written (casus_incidents_write) only once a document of the
 * set joins it.
 */
typedef struct incident_key {
    char country[4];
    casus_date lo, hi;
} incident_key;
typedef casus_status (*incident_seeder)(void *ud, casus_incidents *s, const char *doc_id,
                                        const incident_key *keys, size_t n);
void incident_set_seeder(casus_incidents *s, incident_seeder fn, void *ud);
/* Whether an incident with this id is in the set. */
int incident_has(const casus_incidents *s, const char *ref);
/* Adds a stored incident from its documents' own reports rep[0..n) (the
 * fields each reported alone, in document order; pub_day[k]: report k's
 * publication day, for "the later report wins"), merged by the rule's own
 * merge; rep[0] also carries the incident's id, documents and evidence.
 * Nothing is added when the id is in the set already or no report can
 * take part (no date, a place the gazetteer no longer knows). Errors:
 * CASUS_ENOMEM. */
casus_status incident_seed(casus_incidents *s, const casus_incident *rep, const long *pub_day,
                           size_t n);
/* The merged fields of a stored incident from its documents' reports
 * rep[0..n) (in document order; pub_day as for incident_seed) by the same
 * rule, without the gazetteer: each report keeps its stored place. Reports
 * that cannot take part (no date or no place) are left out, unless none
 * can: then *out is rep[0]. *out has no documents or evidence (the store
 * rebuilds an incident's row with it when a document no longer reports
 * it). Errors: CASUS_ENOMEM. */
casus_status incident_merge_reports(casus_ctx *ctx, const casus_incident *rep,
                                    const long *pub_day, size_t n, casus_incident *out);
/* Whether record i was seeded and no document of the set joined it. */
int incident_seeded(const casus_incidents *s, size_t i);
/* What the last added document itself reports of record i, before the
 * merge: a digest of its fields and evidence (*out), that evidence (*ev,
 * *n_ev; doc is 0) and its record alone (*own: fields only, no documents
 * or evidence), all borrowed until the next add. 1, or 0 when that
 * document does not report record i. */
int incident_own_digest(const casus_incidents *s, size_t i, uint64_t *out,
                        const casus_incident_evidence **ev, size_t *n_ev,
                        const casus_incident **own);

#endif
