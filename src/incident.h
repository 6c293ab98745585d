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

#endif
