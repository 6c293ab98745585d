/*
 * code.h - the event coder: the stage after the parser and the dates.
 *
 * Reads the tagged and parsed words of each sentence of a document and
 * produces casus_event records (include/casus.h): who did what to whom, in
 * CAMEO and PLOVER, with the sentence as evidence. The rules are described in
 * src/code.c and docs/ARCHITECTURE.md ("Event coder"). The public entry points
 * are casus_coder_new / casus_coder_run / casus_coder_free and
 * casus_write_events; this header holds what the tests and benches may also
 * want from inside the library.
 */
#ifndef CASUS_CODE_H
#define CASUS_CODE_H

#include "casus.h"

/* How a word's intention or modality is read (exposed for the tests):
 * 1 when lemma s[0..n) is a verb of intention, request or permission whose
 * infinitive complement ("threatened to attack", "urged X to attack") has
 * not happened. */
int code_is_intention_verb(const char *s, size_t n);

#endif
