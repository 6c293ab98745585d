/*
 * read.h - the readers: the first stage of the pipeline.
 *
 * Each input (a file, or stdin for "-") yields a stream of documents through
 * casus_reader_next() (declared in casus.h). Formats: plain text (one
 * document per file), JSON Lines, HTML (gumbo), PETRARCH XML (libxml2),
 * CoNLL-U. The reader never holds more than one record in memory.
 */
#ifndef CASUS_READ_H
#define CASUS_READ_H

#include "casus.h"

#endif
