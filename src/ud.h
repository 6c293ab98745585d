/*
 * ud.h - the Universal Dependencies label inventories casus uses: UPOS, Penn
 * Treebank XPOS (as in UD English EWT) and dependency relations with their
 * subtypes. Labels are small integers in casus_token; these tables name
 * them. Models store labels by name and map them to these ids on load, so a
 * retrained model cannot silently shift a label.
 */
#ifndef CASUS_UD_H
#define CASUS_UD_H

#include "casus.h"

/* Id of the label named s[0..n) in the table, or -1. */
int ud_upos_id(const char *s, size_t n);
int ud_xpos_id(const char *s, size_t n);
int ud_deprel_id(const char *s, size_t n);

#endif
