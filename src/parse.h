/*
 * parse.h - the dependency parser: the stage after tagging.
 *
 * Reads the words of one sentence (form, UPOS and XPOS filled in by the
 * tagger) and sets each word's head and relation (casus_token.head,
 * casus_token.deprel, Universal Dependencies). The model is loaded once
 * (mmap, see model.h) and is immutable, so threads may share it.
 */
#ifndef CASUS_PARSE_H
#define CASUS_PARSE_H

#include "casus.h"

typedef struct parser parser;

/* Loads a parser model file. CASUS_EIO / CASUS_EFORMAT with a message
 * naming the file (see model_open). */
casus_status parser_load(casus_ctx *ctx, const char *path, parser **out);
void parser_free(casus_ctx *ctx, parser *p);

/*
 * Parses one sentence of n words in place: sets words[i].head (1-based
 * index of the head in the sentence, 0 for the root) and words[i].deprel.
 * Always produces a tree (one root, no cycles). CASUS_OK or CASUS_ENOMEM.
 */
casus_status parser_run(casus_ctx *ctx, const parser *p, casus_token *words,
                        size_t n);

#endif
