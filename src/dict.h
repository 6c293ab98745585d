/*
 * dict.h - the dictionaries: actors, agents, verbs with patterns and synsets,
 * discards, as one immutable model loaded from casus's own format
 * (dict.c, docs/DICTIONARIES.md) or PETRARCH/TABARI's (dict_petrarch.c).
 *
 * Representation. Every word of every phrase is normalised (match.h:
 * match_key) and interned in one vocabulary, so a phrase is a sequence of
 * word ids and a sentence is looked up with one hash probe per token.
 * Strings (names, codes, file names) live in one pool and are referred to by
 * offset (0 is ""). Phrases are compiled into tries (match.c) when loading
 * ends; after that the object is immutable and may be shared by threads.
 *
 * Loading is per file: dict_load_casus() and dict_load_petrarch() append to
 * a dict_builder; syntax errors reject the file (CASUS_EFORMAT, message
 * "file:line: cause"); duplicates, unknown codes and bad date ranges are
 * warnings through ctx_diag with file and line, and the entry is skipped.
 */
#ifndef CASUS_DICT_H
#define CASUS_DICT_H

#include <stdint.h>

#include "casus.h"
#include "util/buf.h"
#include "token.h"

/* Days since 1970-01-01 (proleptic Gregorian); open bounds are the extremes. */
typedef int32_t dict_day;
#define DICT_DAY_MIN INT32_MIN
#define DICT_DAY_MAX INT32_MAX
dict_day dict_day_from_date(casus_date d);   /* DICT_DAY_MIN for an unknown date */
casus_date dict_date_from_day(dict_day d);

typedef enum dict_kind {
    DICT_ACTORS = 0,
    DICT_AGENTS,
    DICT_VERBS,
    DICT_DISCARDS,
    DICT_NKINDS
} dict_kind;

const char *dict_kind_name(dict_kind k);   /* "actors", "agents", ... */

/* ------------------------------------------------------------ entries */

/* A code valid over [lo, hi] (inclusive, as PETRARCH's "or equal"). */
typedef struct dict_restrict {
    uint32_t code;
    dict_day lo, hi;
} dict_restrict;

typedef struct dict_actor {
    uint32_t name;          /* the primary name as written */
    uint32_t code;          /* default code; 0 = none (a null code) */
    uint32_t first_restrict, n_restrict;   /* in restricts[], in file order */
    uint32_t file, line;    /* where it was defined (file: index in files[]) */
} dict_actor;

typedef struct dict_agent {
    uint32_t name;
    uint32_t code;          /* without the '~' */
    uint8_t prefix;         /* 1: "NGO~" goes before the actor code */
    uint32_t file, line;
} dict_agent;

/* Pattern elements of a verb pattern, in text order; the verb itself is a
 * DICT_PE_VERB element, so elements before it are the "upper" (pre-verb)
 * part and those after it the "lower" part. */
typedef enum dict_pe_kind {
    DICT_PE_WORD = 0,   /* a word (wid) */
    DICT_PE_SYNSET,     /* any phrase of synset `id` */
    DICT_PE_VERB,       /* '*' */
    DICT_PE_SOURCE,     /* '$' the source actor */
    DICT_PE_TARGET,     /* '+' the target actor */
    DICT_PE_ANY,        /* '%' a compound actor (TABARI) */
    DICT_PE_SKIP        /* '^' skip a noun phrase (TABARI) */
} dict_pe_kind;

#define DICT_PE_CONSEC   0x01u  /* joined by '_' to the previous element */
#define DICT_PE_NP       0x02u  /* inside {...}: a noun phrase */
#define DICT_PE_NP_HEAD  0x04u  /* last word of {...}: its head */
#define DICT_PE_PP       0x08u  /* inside (...): a prepositional phrase */
#define DICT_PE_PP_PREP  0x10u  /* first word of (...): the preposition */

typedef struct dict_pe {
    uint8_t kind;           /* dict_pe_kind */
    uint8_t flags;
    uint32_t id;            /* wid for WORD, synset index for SYNSET */
} dict_pe;

typedef struct dict_pattern {
    uint32_t block;
    uint32_t first_pe, n_pe;
    uint32_t code;          /* "190", "030:030", ":075", "---" */
    uint32_t file, line;
} dict_pattern;

typedef struct dict_verb_block {
    uint32_t name;          /* block description ("ATTACK") */
    uint32_t code;          /* the block's code; 0 = "---" */
    uint32_t first_pattern, n_pattern;
    uint32_t file, line;
} dict_verb_block;

/* One surface form (or the lemma) of a verb. A multi-word verb such as
 * "cordon off" or "wire tap" has the verb word in wid and the other words in
 * words[first_front..) (before it) and words[first_back..) (after it). */
typedef struct dict_verb_form {
    uint32_t wid;
    uint32_t lemma;         /* wid of the verb's primary form */
    uint32_t block;
    uint32_t code;          /* the verb's own code, else its block's; 0 = "---" */
    uint32_t first_front, n_front;
    uint32_t first_back, n_back;
    uint32_t file, line;
} dict_verb_form;

typedef struct dict_synset {
    uint32_t name;          /* "&CURRENCY" */
    uint32_t first_phrase, n_phrase;   /* in syn_phrases[] */
    uint32_t file, line;
} dict_synset;

/* A phrase of a synset: words[first..first+n). */
typedef struct dict_span {
    uint32_t first, n;
} dict_span;

typedef struct dict_discard {
    uint32_t text;          /* as written */
    uint8_t story;          /* '+': discard the whole story */
    uint8_t exact;          /* '_': the last word must end there (else a stem) */
    uint32_t file, line;
} dict_discard;

typedef struct dict_transform {
    uint32_t text;          /* the '~' line, kept verbatim for the coder */
    uint32_t file, line;
} dict_transform;

/* A phrase of the actor, agent or discard dictionaries. */
typedef struct dict_phrase {
    uint32_t first, n;      /* words[first..first+n) */
    uint32_t gaps;          /* bit i: words may intervene before word i+1 */
    uint32_t upper;         /* bit i: word i must be in capitals in the text
                             * (match_is_caps) */
    uint32_t entry;         /* index in actors[], agents[] or discards[] */
    uint32_t file, line;
} dict_phrase;

#define DICT_MAX_PHRASE 32  /* words in one phrase */

/* ------------------------------------------------------------ the model */

typedef struct dict_trie dict_trie;   /* match.c */

struct casus_dicts {
    casus_ctx *ctx;         /* the allocator it was built with */
    buf strings;            /* NUL-separated strings; offset 0 is "" */
    /* vocabulary: word id -> string offset; id 0 is "no word" */
    uint32_t *vocab;
    size_t n_vocab, cap_vocab;
    uint32_t *vocab_hash;   /* open addressing: hash >> 24 << 24 | word id; 0 empty */
    size_t vocab_hash_cap;
    uint32_t *words;        /* word ids of every phrase */
    size_t n_words, cap_words;

    dict_phrase *phrases[DICT_NKINDS];   /* (verbs: unused) */
    size_t n_phrases[DICT_NKINDS], cap_phrases[DICT_NKINDS];

    dict_actor *actors;     size_t n_actors, cap_actors;
    dict_restrict *restricts; size_t n_restricts, cap_restricts;
    dict_agent *agents;     size_t n_agents, cap_agents;
    dict_verb_block *blocks; size_t n_blocks, cap_blocks;
    dict_verb_form *forms;  size_t n_forms, cap_forms;      /* sorted by wid */
    dict_pattern *patterns; size_t n_patterns, cap_patterns;
    dict_pe *pes;           size_t n_pes, cap_pes;
    dict_synset *synsets;   size_t n_synsets, cap_synsets;
    dict_span *syn_phrases; size_t n_syn_phrases, cap_syn_phrases;
    dict_discard *discards; size_t n_discards, cap_discards;
    dict_transform *transforms; size_t n_transforms, cap_transforms;

    uint32_t *files;        /* string offsets of the files loaded */
    size_t n_files, cap_files;
    uint32_t kind_dir[DICT_NKINDS];   /* where each kind came from ("" none) */

    dict_trie *trie[DICT_NKINDS];     /* actors, agents, discards */

    /* Loading state (unused once loaded). */
    uint8_t *file_petrarch;           /* per file: 1 PETRARCH format */
    size_t cap_file_petrarch;
    char warn_path[256];              /* the file warned about last */
    size_t warn_n;                    /* warnings for it so far */
    token_vec scratch;                /* tokens of a phrase being added */
    buf tmp;
};

/* ------------------------------------------------------------ building */

/* Interns s[0..n) in the string pool; *off receives its offset. */
casus_status dict_str(casus_dicts *d, const char *s, size_t n, uint32_t *off);
static inline const char *dict_s(const casus_dicts *d, uint32_t off)
{
    return d->strings.p ? d->strings.p + off : "";
}
/* The id of the normalised word key s[0..n), adding it; 0 only on ENOMEM. */
casus_status dict_word(casus_dicts *d, const char *key, size_t n, uint32_t *wid);
/* The id of a word key, or 0 when no dictionary uses it. */
uint32_t dict_word_find(const casus_dicts *d, const char *key, size_t n);
/* out[l - 1] = dict_word_find(d, key, l) for every l in lo..n (0 below lo),
 * with one pass of the hash over key (a stem search looks up the prefixes of
 * a word as long as the stems). */
void dict_word_prefixes(const casus_dicts *d, const char *key, size_t lo, size_t n,
                        uint32_t *out);

/* Splits phrase text into normalised words (the tokenizer's rules, '_' as a
 * space, hyphens dropped) and appends their ids to words[]; *first and *n
 * give the span, *upper the capitals-required mask when upper_rule says so.
 * CASUS_EINVAL (without a message) when the phrase has no word or too many. */
enum { DICT_UPPER_NONE = 0, DICT_UPPER_CASUS, DICT_UPPER_PETRARCH };
casus_status dict_phrase_words(casus_dicts *d, const char *s, size_t n,
                               int upper_rule, uint32_t *first, uint32_t *nw,
                               uint32_t *upper);

/* Adds a phrase of kind k for entry; warns (file:line) and skips a phrase
 * already present with the same words. */
casus_status dict_add_phrase(casus_dicts *d, dict_kind k, uint32_t first,
                             uint32_t nw, uint32_t gaps, uint32_t upper,
                             uint32_t entry, uint32_t file, uint32_t line);

/* Parses a date "YYYY-MM-DD", "YYYYMMDD" or PETRARCH "YYMMDD" (00-30 ->
 * 20YY). 0 on success. */
int dict_parse_day(const char *s, size_t n, dict_day *out);
/* Narrows s[0..*n) to drop leading and trailing blanks and tabs. */
void dict_trim(const char **s, size_t *n);
/* 1 when the first three letters of an actor code are a CAMEO sector or
 * international code ("GOV", "MIL", "IMG", "NGO", ...), not a country. */
int dict_is_sector(const char *code);

/* Parses a verb pattern (PETRARCH syntax, also used by casus's format) into
 * pattern elements and adds it to block with code; CASUS_EFORMAT (message
 * "path:line: cause") for a syntax error when strict (casus format); not
 * strict (PETRARCH, which tolerates them) it is a warning and the pattern is
 * skipped. A pattern naming an undefined synset is skipped with a warning,
 * as PETRARCH does. */
casus_status dict_add_pattern(casus_dicts *d, const char *path, uint32_t file,
                              unsigned long line, uint32_t block,
                              const char *s, size_t n, const char *code,
                              size_t code_n, int strict);
/* Adds verb form(s) for one verb spec such as "ATTACK", "+CORDON_OFF",
 * "WIRE_+TAP" (words joined by '_' or ' '; '+' marks the verb word; the
 * verb is the only word when there is one). With forms == NULL the regular
 * forms (-s/-es/-ies, -ed/-d, -ing) are generated; otherwise the listed
 * forms (specs like the lemma's) are added as they are. */
casus_status dict_add_verb(casus_dicts *d, const char *path, uint32_t file,
                           unsigned long line, uint32_t block,
                           const char *spec, size_t spec_n,
                           const char *forms, size_t forms_n, uint32_t code);
/* Regular plural of a noun phrase's last word into out (NUL-terminated). */
void dict_plural(const char *s, size_t n, buf *out, casus_ctx *ctx);
/* Checks an event code and warns when it is not CAMEO. */
void dict_check_event_code(casus_dicts *d, const char *path,
                           unsigned long line, const char *code, size_t n);

/* Loaders for one file (into d, which keeps everything added so far).
 * path is for messages; file is its index in d->files. */
casus_status dict_load_casus(casus_dicts *d, const char *path, uint32_t file,
                             const char *text, size_t n);
casus_status dict_load_petrarch(casus_dicts *d, dict_kind kind,
                                const char *path, uint32_t file,
                                const char *text, size_t n);
/* The kind a casus-format file declares in its "@casus 1 KIND" header, or
 * -1 when text is not a casus-format dictionary. */
int dict_casus_kind(const char *text, size_t n);
/* The kind a PETRARCH file name implies (*actors*, *agents*, *verbs* or
 * CAMEO*, *discards*), or -1. */
int dict_petrarch_kind(const char *name);

/* Loads one dictionary from memory (fuzzing, tests): a PETRARCH file of
 * kind petrarch_kind (0..3), or with -1 a casus file (kind from its header).
 * name is used in messages. Like casus_dicts_load_files otherwise. */
casus_status dict_load_buffer(casus_ctx *ctx, const char *name, int petrarch_kind,
                              const char *text, size_t n, casus_dicts **out);

/* Warning helper: counts per file and stops printing after a limit. */
void dict_warn(casus_dicts *d, const char *path, unsigned long line,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sorts the verb forms and compiles the tries: the last step of loading. */
casus_status dict_finish(casus_dicts *d);

#endif
