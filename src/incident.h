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

#endif
