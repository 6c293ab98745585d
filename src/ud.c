/*
 * ud.c - label inventories for tagging and parsing (see ud.h).
 *
 * Id 0 of every table is "_" (not annotated). The UPOS table follows the
 * order of the casus_upos enum in casus.h. XPOS and DEPREL cover what UD
 * English EWT uses plus the standard UD relations other English treebanks
 * use; new labels are only ever appended, so ids are stable.
 */
#include "ud.h"

#include <string.h>

static const char *const upos_names[CASUS_UPOS_COUNT] = {
    "_", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"};

static const char *const xpos_names[] = {
    "_", "NN", "IN", "DT", "NNP", "PRP", "JJ", ".", "RB", "VB", "NNS", ",",
    "CC", "VBP", "VBD", "VBZ", "CD", "VBN", "VBG", "MD", "TO", "PRP$",
    "-RRB-", "-LRB-", "WDT", ":", "WRB", "``", "WP", "''", "RP", "UH", "HYPH",
    "POS", "NNPS", "JJS", "JJR", "NFP", "ADD", "EX", "RBR", "GW", "$", "SYM",
    "PDT", "FW", "RBS", "LS", "AFX", "WP$", "XX", "#"};

static const char *const deprel_names[] = {
    "_", "root", "punct", "case", "nsubj", "det", "advmod", "obj", "amod",
    "obl", "conj", "compound", "mark", "nmod", "cc", "aux", "cop", "advcl",
    "nmod:poss", "xcomp", "ccomp", "flat", "acl:relcl", "parataxis", "appos",
    "nummod", "acl", "aux:pass", "nsubj:pass", "obl:unmarked",
    "nmod:unmarked", "discourse", "list", "compound:prt", "iobj", "expl",
    "fixed", "nmod:desc", "obl:agent", "csubj", "nsubj:outer", "det:predet",
    "vocative", "goeswith", "advcl:relcl", "cc:preconj", "reparandum",
    "orphan", "csubj:pass", "dislocated", "dep", "csubj:outer", "obl:tmod",
    "obl:npmod", "nmod:tmod", "nmod:npmod", "flat:foreign", "det:poss",
    "clf", "flat:name", "compound:svc", "expl:pv", "obl:arg"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const char *const *tab, size_t n_tab, const char *s,
                  size_t n)
{
    for (size_t i = 0; i < n_tab; i++)
        if (strlen(tab[i]) == n && memcmp(tab[i], s, n) == 0)
            return (int)i;
    return -1;
}

int ud_upos_id(const char *s, size_t n)
{
    return lookup(upos_names, COUNT(upos_names), s, n);
}

int ud_xpos_id(const char *s, size_t n)
{
    return lookup(xpos_names, COUNT(xpos_names), s, n);
}

int ud_deprel_id(const char *s, size_t n)
{
    return lookup(deprel_names, COUNT(deprel_names), s, n);
}

const char *casus_upos_name(unsigned id)
{
    return id < COUNT(upos_names) ? upos_names[id] : "_";
}

const char *casus_xpos_name(unsigned id)
{
    return id < COUNT(xpos_names) ? xpos_names[id] : "_";
}

const char *casus_deprel_name(unsigned id)
{
    return id < COUNT(deprel_names) ? deprel_names[id] : "_";
}

unsigned casus_xpos_count(void)
{
    return (unsigned)COUNT(xpos_names);
}

unsigned casus_deprel_count(void)
{
    return (unsigned)COUNT(deprel_names);
}
