/*
 * casus.h - the public API of libcasus, the only installed header.
 *
 * casus turns news text about political violence into structured event data.
 * The library is a pipeline of stages (see docs/ARCHITECTURE.md):
 *
 *   reader -> document -> normalise -> tokenize -> split sentences -> ...
 *
 * Ownership, stated once for the whole API:
 *   - Arguments are borrowed for the duration of the call.
 *   - Objects returned by *_new / *_open belong to the caller, who releases them
 *     with the paired *_free / *_close; passing NULL to those is allowed.
 *   - A const pointer (or casus_slice) returned by an accessor is borrowed from
 *     the object it came from and stays valid until that object is changed
 *     (for a document: until the next casus_reader_next() into it, or
 *     casus_doc_free()).
 *
 * Errors: fallible functions return a casus_status. On failure the context
 * keeps a message naming the file, line and cause (casus_ctx_message()).
 * Bad data inside a document is not a failure: it becomes a diagnostic,
 * delivered to the context's diagnostic callback, and processing goes on.
 *
 * Threads: a casus_ctx and everything created from it belong to one thread at a
 * time. Separate contexts may be used concurrently; create the first context
 * before starting threads (it initialises the XML parser once).
 */
#ifndef CASUS_H
#define CASUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CASUS_VERSION "0.1.0"
/* Version of the JSON Lines / CoNLL-U output contract (docs/FORMATS.md). */
#define CASUS_SCHEMA_VERSION 1

typedef enum casus_status {
    CASUS_OK = 0,
    CASUS_DONE = 1,       /* end of input: not an error */
    CASUS_ENOMEM = -1,    /* an allocation failed */
    CASUS_EIO = -2,       /* a file could not be opened, read or written */
    CASUS_EFORMAT = -3,   /* input is not in the expected format */
    CASUS_EINVAL = -4,    /* a bad argument or option */
    CASUS_ETOOBIG = -5    /* input exceeds a configured limit */
} casus_status;

/* A view of UTF-8 text; not NUL-terminated, not owned. */
typedef struct casus_slice {
    const char *p;
    size_t n;
} casus_slice;

/* ---------------------------------------------------------------- context */

typedef struct casus_ctx casus_ctx;

/*
 * The allocation hook. One function does everything, as in Lua:
 * fn(ud, NULL, n) allocates, fn(ud, p, n) reallocates, fn(ud, p, 0) frees
 * and returns NULL. It must return NULL on failure and leave p untouched.
 */
typedef void *(*casus_alloc_fn)(void *ud, void *p, size_t n);

typedef enum casus_severity {
    CASUS_NOTE = 0,     /* informational; does not make a run fail */
    CASUS_WARNING = 1,  /* input repaired (e.g. invalid UTF-8 replaced) */
    CASUS_ERROR = 2     /* input rejected (a record or file skipped) */
} casus_severity;

/* One diagnostic about the input. Strings are borrowed for the callback. */
typedef struct casus_diag {
    casus_severity severity;
    const char *file;     /* display name of the input ("<stdin>" for -) */
    unsigned long line;   /* 1-based line in the file; 0 when unknown */
    const char *doc_id;   /* document id, or NULL when no document yet */
    int64_t offset;       /* byte offset in the document text; -1 if none */
    const char *message;
} casus_diag;

typedef void (*casus_diag_fn)(void *ud, const casus_diag *d);

/* A new context with the system allocator. NULL when out of memory. */
casus_ctx *casus_ctx_new(void);
/* A new context whose every allocation goes through fn(ud, ...). */
casus_ctx *casus_ctx_new_with_alloc(casus_alloc_fn fn, void *ud);
void casus_ctx_free(casus_ctx *ctx);

/* The message of the last failure; "" if none. Borrowed until the next call. */
const char *casus_ctx_message(const casus_ctx *ctx);

/* Diagnostics go to fn; without one they are counted and dropped. */
void casus_ctx_set_diag(casus_ctx *ctx, casus_diag_fn fn, void *ud);
/* How many diagnostics of at least the given severity were reported. */
size_t casus_ctx_diag_count(const casus_ctx *ctx, casus_severity min);

/* The largest document accepted, in bytes (default 64 MiB). Larger records
 * are skipped with an error diagnostic, without being held in memory. */
void casus_ctx_set_max_doc_bytes(casus_ctx *ctx, size_t n);

/* ---------------------------------------------------------------- dates */

/* A calendar date; all zero when unknown. */
typedef struct casus_date {
    int16_t year;
    int8_t month;   /* 1..12 */
    int8_t day;     /* 1..31 */
} casus_date;

/*
 * Parses an ISO 8601 date: "YYYY-MM-DD", optionally followed by a time
 * ("T12:00:00Z", " 12:00"), or the compact "YYYYMMDD" that PETRARCH uses.
 * Rejects impossible dates (2023-02-29). CASUS_EFORMAT on failure.
 */
casus_status casus_date_parse(const char *s, size_t n, casus_date *out);
/* Writes "YYYY-MM-DD" and a NUL into buf[11]; "" when the date is unknown. */
void casus_date_format(casus_date d, char buf[11]);

/* ---------------------------------------------------------------- documents */

/*
 * A word (in the Universal Dependencies sense). Where one surface token holds
 * several words ("don't" -> "do" + "n't"), every word but the last has
 * CASUS_TOK_JOIN_NEXT set: the words of one surface token are contiguous.
 */
#define CASUS_TOK_JOIN_NEXT 0x1u

/* Universal POS tags; 0 when a word is not tagged. */
typedef enum casus_upos {
    CASUS_UPOS_NONE = 0, CASUS_UPOS_ADJ, CASUS_UPOS_ADP, CASUS_UPOS_ADV,
    CASUS_UPOS_AUX, CASUS_UPOS_CCONJ, CASUS_UPOS_DET, CASUS_UPOS_INTJ,
    CASUS_UPOS_NOUN, CASUS_UPOS_NUM, CASUS_UPOS_PART, CASUS_UPOS_PRON,
    CASUS_UPOS_PROPN, CASUS_UPOS_PUNCT, CASUS_UPOS_SCONJ, CASUS_UPOS_SYM,
    CASUS_UPOS_VERB, CASUS_UPOS_X, CASUS_UPOS_COUNT
} casus_upos;

typedef struct casus_token {
    casus_slice form;   /* into the normalised text (casus_doc_text) */
    size_t start, end;  /* byte offsets into the document as read */
    uint32_t flags;
    /* Filled by the tagger and parser (all zero before): */
    uint8_t upos;       /* casus_upos */
    uint8_t xpos;       /* Penn Treebank tag id: casus_xpos_name() */
    uint8_t deprel;     /* relation to the head: casus_deprel_name() */
    int32_t head;       /* 1-based index of the head word in the sentence,
                           0 for the root, -1 when not parsed */
    casus_slice lemma;  /* borrowed like form; empty when not lemmatised */
} casus_token;

/* Label names; "_" for 0 and for ids out of range. Static strings. */
const char *casus_upos_name(unsigned id);
const char *casus_xpos_name(unsigned id);
const char *casus_deprel_name(unsigned id);
/* Number of ids in the XPOS and DEPREL tables (ids are 0..count-1). */
unsigned casus_xpos_count(void);
unsigned casus_deprel_count(void);

typedef struct casus_sentence {
    size_t first_token; /* index of its first word in casus_doc_tokens() */
    size_t n_tokens;
    size_t start, end;  /* byte offsets into the document as read */
    casus_slice text;   /* into the normalised text */
} casus_sentence;

typedef struct casus_doc casus_doc;

/* A reusable document buffer; reading into it again reuses its memory. */
casus_doc *casus_doc_new(casus_ctx *ctx);
void casus_doc_free(casus_doc *doc);

/* Identity and metadata as the reader found them ("" when absent). */
const char *casus_doc_id(const casus_doc *doc);
const char *casus_doc_url(const casus_doc *doc);
const char *casus_doc_title(const casus_doc *doc);
/* Publication date: the input's own, else the default given to the reader. */
casus_date casus_doc_date(const casus_doc *doc);
/* Where the document started: input display name and 1-based line. */
const char *casus_doc_file(const casus_doc *doc);
unsigned long casus_doc_line(const casus_doc *doc);

/* The document text as read (bytes as the reader decoded them; may hold
 * invalid UTF-8). All casus offsets count bytes in this text. */
casus_slice casus_doc_raw(const casus_doc *doc);
/* The normalised text: valid UTF-8, NFC. Equal to the raw text when that was
 * already valid NFC. Available after casus_doc_analyze(). */
casus_slice casus_doc_text(const casus_doc *doc);
/* Maps a byte offset in the normalised text to one in the raw text. */
size_t casus_doc_raw_offset(const casus_doc *doc, size_t norm_offset);

/*
 * Runs the text stages on a document read by casus_reader_next():
 * normalisation (invalid UTF-8 -> U+FFFD with a warning diagnostic, NFC),
 * tokenization and sentence splitting. Fails only for out of memory.
 */
casus_status casus_doc_analyze(casus_doc *doc);

const casus_token *casus_doc_tokens(const casus_doc *doc, size_t *n);
const casus_sentence *casus_doc_sentences(const casus_doc *doc, size_t *n);

/* ---------------------------------------------------------------- events */

/* An actor as coded in an event. */
typedef struct casus_actor {
    char code[32];        /* CAMEO actor code: "IRN", "IRNMIL", "IMGMUSISI";
                             "" when the actor could not be coded */
    casus_slice text;     /* the words it was coded from (normalised text) */
    size_t start, end;    /* their byte offsets in the document as read */
} casus_actor;

/*
 * One event: who did what to whom, in one sentence. The record the event
 * coder produces, the store keeps and the exporters write. Strings are
 * NUL-terminated codes; an absent target has has_target 0.
 */
typedef struct casus_event {
    size_t sentence_index;   /* in the document */
    size_t start, end;       /* the sentence's byte offsets (the evidence) */
    casus_date date;         /* the event date: explicit in the text, else
                                the publication date */
    casus_actor source;
    casus_actor target;
    int has_target;
    char cameo[8];           /* CAMEO event code: "195", "1831" */
    float goldstein;         /* Goldstein scale, -10..10 */
    uint8_t quad_class;      /* 1 verbal coop, 2 material coop, 3 verbal
                                conflict, 4 material conflict */
    char plover_type[16];    /* PLOVER event type: "ASSAULT" */
    char plover_mode[24];    /* PLOVER mode: "suicide-attack"; "" if none */
    uint8_t negated;         /* "did not attack": coded as what it is */
} casus_event;

/* ---------------------------------------------------------------- readers */

typedef enum casus_format {
    CASUS_FORMAT_AUTO = 0,   /* by file extension; text for stdin and others */
    CASUS_FORMAT_TEXT,
    CASUS_FORMAT_JSONL,
    CASUS_FORMAT_HTML,
    CASUS_FORMAT_PETRARCH_XML,
    CASUS_FORMAT_CONLLU
} casus_format;

/* "text", "jsonl", "html", "petrarch-xml", "conllu" -> format; CASUS_EINVAL. */
casus_status casus_format_parse(const char *name, casus_format *out);
const char *casus_format_name(casus_format f);
/* The format a path implies (.txt .jsonl .html .htm .xml .conllu). */
casus_format casus_format_for_path(const char *path);

typedef struct casus_reader casus_reader;

/*
 * Opens an input. path "-" is standard input. With CASUS_FORMAT_AUTO the
 * format follows the extension. default_date (may be all zero) is the
 * publication date of documents whose input gives none.
 * Fails with CASUS_EIO (missing, unreadable, a directory) and a message.
 */
casus_status casus_reader_open(casus_ctx *ctx, const char *path,
                               casus_format format, casus_date default_date,
                               casus_reader **out);
/*
 * Reads the next document into doc, replacing what it held. Returns CASUS_OK,
 * CASUS_DONE at the end, or a failure that ends this input (a read error).
 * Bad records are reported as diagnostics and skipped, so the next call goes
 * on with the following record. Memory stays flat over a stream.
 */
casus_status casus_reader_next(casus_reader *r, casus_doc *doc);
void casus_reader_close(casus_reader *r);

/* ---------------------------------------------------------------- output */

/*
 * Output is formatted into a caller's sink; the library never prints.
 * write returns 0 on success, nonzero on failure (reported as CASUS_EIO).
 */
typedef struct casus_sink {
    int (*write)(void *ud, const char *p, size_t n);
    void *ud;
} casus_sink;

/* CoNLL-U with ID, FORM and TokenRange=start:end in MISC (casus tokenize). */
casus_status casus_write_conllu(const casus_doc *doc, casus_sink *out);
/* JSON Lines sentence records (casus sentences). */
casus_status casus_write_sentences(const casus_doc *doc, casus_sink *out);
/* A JSON Lines diagnostic record. */
casus_status casus_write_diag(const casus_diag *d, casus_sink *out);

/* ---------------------------------------------------------------- forecasting */

/*
 * Temporal knowledge graph forecasting: given dated facts (subject, relation,
 * object, time) up to a moment, rank who does what to whom next. Methods and
 * evaluation protocol are in docs/FORECAST.md.
 *
 * A dataset is a directory in the ICEWS layout: entity2id.txt and
 * relation2id.txt ("name<TAB>id", ids 0..n-1) and train.txt, valid.txt,
 * test.txt ("subject relation object time [ignored]" integer lines, each
 * split sorted by time, the splits following each other in time).
 */
typedef struct casus_forecast_data casus_forecast_data;

typedef enum casus_forecast_split {
    CASUS_FORECAST_TRAIN = 0,
    CASUS_FORECAST_VALID = 1,
    CASUS_FORECAST_TEST = 2
} casus_forecast_split;

/* One fact; ids index the dataset's maps, time is in the dataset's units. */
typedef struct casus_forecast_fact {
    uint32_t subject, relation, object;
    int32_t time;
} casus_forecast_fact;

/*
 * Reads the dataset in directory dir. The result belongs to the caller
 * (casus_forecast_data_free) and is immutable, so models built on it on other
 * threads may share it (each with its own context). Errors: CASUS_EIO for a
 * missing or unreadable file; CASUS_EFORMAT for a malformed line, an unknown
 * entity or relation id, a duplicate or out-of-range id in a map, or time
 * going backwards; the message is "file:line: cause".
 */
casus_status casus_forecast_data_open(casus_ctx *ctx, const char *dir,
                                      casus_forecast_data **out);
void casus_forecast_data_free(casus_forecast_data *data);

uint32_t casus_forecast_data_entities(const casus_forecast_data *data);
uint32_t casus_forecast_data_relations(const casus_forecast_data *data);
/* Facts (= lines holding one) in a split; 0 for a bad split. */
size_t casus_forecast_data_size(const casus_forecast_data *data,
                                casus_forecast_split split);
/* Fact i of a split (i counts facts, which are the split's non-blank lines
 * in order). CASUS_EINVAL when out of range. */
casus_status casus_forecast_data_fact(const casus_forecast_data *data,
                                      casus_forecast_split split, size_t i,
                                      casus_forecast_fact *out);
/* Names from the maps, borrowed from data; NULL for an unknown id. */
const char *casus_forecast_entity_name(const casus_forecast_data *data,
                                       uint32_t id);
const char *casus_forecast_relation_name(const casus_forecast_data *data,
                                         uint32_t id);

/* "train", "valid", "test" -> split; CASUS_EINVAL otherwise. */
casus_status casus_forecast_split_parse(const char *name,
                                        casus_forecast_split *out);
const char *casus_forecast_split_name(casus_forecast_split split);

typedef enum casus_forecast_method {
    /* Gastinger et al. 2024, strict recurrency (psi): objects seen with the
     * same subject and relation before, scored by sum 2^(lambda (t' - t)). */
    CASUS_FORECAST_STRICT = 0,
    /* Relaxed recurrency (xi): how often each object followed the relation,
     * whoever the subject. */
    CASUS_FORECAST_RELAXED,
    /* alpha * psi + (1 - alpha) * xi, lambda and alpha tuned on valid. */
    CASUS_FORECAST_COMBINED,
    /* casus: temporal rules and recurrency features with learned recency
     * weights (a log-linear ranker trained on the history). The default. */
    CASUS_FORECAST_RULES
} casus_forecast_method;

/* "strict", "relaxed", "combined", "casus" -> method; CASUS_EINVAL. */
casus_status casus_forecast_method_parse(const char *name,
                                         casus_forecast_method *out);
const char *casus_forecast_method_name(casus_forecast_method m);

typedef struct casus_forecast_options {
    casus_forecast_method method;  /* default CASUS_FORECAST_RULES */
    casus_forecast_split split;    /* the split to forecast; default TEST */
    double lambda;     /* psi decay per time step; < 0: tune on valid */
    double alpha;      /* combined weight of psi; < 0: tune on valid */
    unsigned top_k;    /* candidates written per query; default 100 */
    uint64_t seed;     /* for sampling training queries; fixed default */
} casus_forecast_options;

/* Fills o with the defaults above. */
void casus_forecast_options_init(casus_forecast_options *o);

/* Rank metrics over a set of queries, as fractions in [0, 1]. */
typedef struct casus_forecast_metrics {
    size_t n;
    double mrr, hits1, hits3, hits10;
} casus_forecast_metrics;

typedef struct casus_forecast_result {
    casus_forecast_metrics object;   /* object queries (s, r, ?, t) */
    casus_forecast_metrics subject;  /* subject queries (?, r, o, t) */
    casus_forecast_metrics all;      /* both, each query once */
    size_t n_empty;      /* queries for which history offered no candidate */
    double learn_seconds, eval_seconds;   /* CPU seconds */
    char params[256];    /* the parameters used, e.g. "lambda=0.02" */
} casus_forecast_result;

/* A fitted forecaster. It borrows its dataset, which must outlive it. */
typedef struct casus_forecast_model casus_forecast_model;

/*
 * Fits a model to forecast split opt->split (NULL opt: defaults). It learns
 * only from facts before that split, and tunes parameters left negative in
 * opt on valid (for the valid split itself too, as Gastinger et al. do).
 * Deterministic for a given seed. The model belongs to the caller
 * (casus_forecast_model_free). Errors: CASUS_EINVAL (bad option, or no
 * facts to tune or learn from), CASUS_ENOMEM.
 */
casus_status casus_forecast_model_learn(casus_ctx *ctx,
                                        const casus_forecast_data *data,
                                        const casus_forecast_options *opt,
                                        casus_forecast_model **out);
void casus_forecast_model_free(casus_forecast_model *m);
/* The method and parameters, e.g. "strict lambda=0.02"; borrowed from m. */
const char *casus_forecast_model_describe(const casus_forecast_model *m);

/*
 * Evaluates m on its split as Gastinger et al. 2024: every fact (s, r, o, t)
 * gives an object query (s, r, ?, t) and a subject query (?, r, o, t) (the
 * inverse relation); the history is every fact before t (earlier test facts
 * included); other true answers at t are filtered out; ties are broken at
 * random, counted exactly as the expected reciprocal rank and hits over the
 * tie. A query with no history is ranked too (by ties) and counted in
 * n_empty.
 * With predictions non-NULL, writes the top opt.top_k candidates of every
 * query, unfiltered, best first, as lines
 *   query_idx<TAB>direction<TAB>candidate_id<TAB>score
 * (query_idx: 0-based fact index in the split; direction: o or s); only
 * candidates that history supports are written, so a query may have fewer
 * lines or none. Errors: CASUS_EIO when the sink fails, CASUS_ENOMEM.
 */
casus_status casus_forecast_model_eval(casus_forecast_model *m,
                                       casus_sink *predictions,
                                       casus_forecast_result *out);

/* Learn and evaluate in one call (what `casus forecast eval` runs). */
casus_status casus_forecast_eval(casus_ctx *ctx,
                                 const casus_forecast_data *data,
                                 const casus_forecast_options *opt,
                                 casus_sink *predictions,
                                 casus_forecast_result *out);

/*
 * Explains the forecast for query i of m's split in direction 'o' or 's':
 * one JSON Lines record per candidate, best first, at most k, each with its
 * score and the evidence that fired: the rules (with confidences) and the
 * dated past facts behind them, and the true answer's rank. A query without
 * history gives one record {"query":...,"candidates":[],"reason":...}.
 * Errors: CASUS_EINVAL (no such query or direction), CASUS_EIO, CASUS_ENOMEM.
 */
casus_status casus_forecast_explain(casus_forecast_model *m, size_t i,
                                    char direction, unsigned k,
                                    casus_sink *out);

/*
 * Calibrated probabilities (docs/FORECAST.md, "Calibration"): "will X act
 * violently against Y within H days", violent meaning CAMEO roots 17-20
 * (coerce, assault, fight, mass violence). For each horizon, a logistic
 * model over the pair's history is fitted on origins in the train period,
 * Platt-scaled on origins in valid, and scored on origins in test, beside a
 * base-rate and a persistence baseline estimated on valid. Candidates are
 * the ordered pairs with any event between them before the origin.
 */
typedef struct casus_calib_bin {
    size_t n;              /* predictions in [k/10, (k+1)/10) */
    double mean_pred;      /* their mean probability */
    double observed;       /* the share that came true */
} casus_calib_bin;

typedef struct casus_calib_score {
    size_t n, positives;
    double brier, log_loss;   /* means over the n predictions */
    casus_calib_bin bins[10]; /* the reliability table */
} casus_calib_score;

typedef struct casus_calib_result {
    int horizon;                       /* days */
    size_t n_train, n_valid;           /* pairs x origins fitted on */
    size_t train_origins, valid_origins, test_origins;
    size_t test_events, test_covered;  /* violent (X,Y,window) outcomes in
                                          test; those among the candidates */
    double base_rate;                  /* the base-rate baseline's p */
    double persist_hit, persist_miss;  /* persistence: p after an act in
                                          the last H days, p otherwise */
    double w[16];                      /* the fitted, Platt-scaled weights */
    casus_calib_score model, base, persistence;   /* on test */
} casus_calib_result;

/*
 * Runs the calibration backtest on data for horizons[0..n) (each 1..365
 * steps; a step is a day in ICEWS). out[i] gets horizon i. With model_out
 * non-NULL, writes the fitted models as C source (the shipped
 * src/forecast_calib_model.h). Errors: CASUS_EINVAL (a bad horizon, no
 * violent relation, or a period with no pair to fit on), CASUS_EIO,
 * CASUS_ENOMEM.
 */
casus_status casus_forecast_calibrate(casus_ctx *ctx,
                                      const casus_forecast_data *data,
                                      const int *horizons, size_t n,
                                      casus_calib_result *out,
                                      casus_sink *model_out);
/* Writes results as text tables: scores and reliability per horizon. */
casus_status casus_calib_write(casus_ctx *ctx, const casus_calib_result *r,
                               size_t n, casus_sink *out);

/* ---------------------------------------------------------------- linguistic core */

/*
 * The trained models of the linguistic core: the part-of-speech tagger
 * (UPOS and Penn Treebank XPOS), the lemmatizer and the dependency parser,
 * one file each in a model directory (tagger.bin, lemma.bin, parser.bin;
 * docs/FORMATS.md). Files are mapped with mmap and validated (magic,
 * version, size, checksum) on load; once loaded the set is immutable, so
 * documents on other threads (each with its own context) may share it.
 */
typedef struct casus_models casus_models;

/*
 * Loads the models from directory dir. With dir NULL, the first of these
 * that holds tagger.bin is used: $CASUS_MODELS; <directory of the running
 * executable>/../data/models; the install location
 * (PREFIX/share/casus/models, fixed at build time). tagger.bin and
 * lemma.bin are required; parser.bin is optional (without it documents are
 * tagged and lemmatised, not parsed). The result belongs to the caller
 * (casus_models_free, on ctx's thread). Errors: CASUS_EIO (no model
 * directory, a file missing or unreadable), CASUS_EFORMAT (a file that is
 * truncated, corrupted, of another version or kind), CASUS_ENOMEM; the
 * message names the file.
 */
casus_status casus_models_load(casus_ctx *ctx, const char *dir,
                               casus_models **out);
void casus_models_free(casus_models *m);
/* The directory the models came from; borrowed from m. */
const char *casus_models_dir(const casus_models *m);
/* Whether the set includes a dependency parser. */
int casus_models_have_parser(const casus_models *m);

/*
 * Tags, lemmatises and (with a parser) parses every sentence of a document
 * that casus_doc_analyze() (or casus_doc_use_gold_tokens()) has prepared:
 * fills casus_token.upos, .xpos, .lemma and, with a parser, .head and
 * .deprel. Lemma slices point into the document, or into the models, so
 * they stay valid until the document changes and while m is loaded.
 * Errors: CASUS_ENOMEM only.
 */
casus_status casus_doc_parse(casus_doc *doc, const casus_models *m);

/*
 * Replaces the document's words and sentences with the gold ones of its
 * CoNLL-U input (what `casus parse --gold-tokens` runs on): forms as the
 * file spells them, offsets into the rebuilt text, untagged. Call it after
 * casus_doc_analyze(); a later casus_doc_analyze() restores casus's own
 * tokenization. Errors: CASUS_EINVAL when the document was not read from
 * CoNLL-U (it has no gold words), CASUS_ENOMEM.
 */
casus_status casus_doc_use_gold_tokens(casus_doc *doc);

/* ---------------------------------------------------------------- store */

/*
 * The event store: documents, sentences, events, incidents, actors and the
 * runs that produced them, in SQLite (a file path) or PostgreSQL (a
 * postgresql:// or postgres:// URL), with the same schema and behaviour in
 * both (docs/FORMATS.md, "Store schema").
 *
 * Writes are batched: casus_store_put_document() and casus_store_put_events()
 * queue a document with its rows; a full batch (casus_store_set_batch) is
 * written in one transaction, and casus_store_commit() writes the rest.
 * Storing is idempotent per document: a document whose id, content and coded
 * rows are unchanged is skipped; one whose id is known but whose content or
 * rows changed has all its rows replaced; the check runs in the same
 * transaction as the writes, so an interrupted ingest (even kill -9) leaves
 * whole documents only, and running it again completes it.
 *
 * A store belongs to one thread (its context's). With a context from
 * casus_ctx_new (the system allocator) a writing store writes each full
 * batch on a thread of its own while the caller queues the next one, so the
 * failure of a batch comes back from the next call that flushes, commits,
 * begins a run or reads (the batch being queued then is dropped with it);
 * CASUS_STORE_SYNC, or a context with a custom allocator, writes on the
 * calling thread. Errors: CASUS_EIO (cannot
 * open, connect, read or write; a full disk; a read-only file),
 * CASUS_EFORMAT (not a casus store, a corrupt file, a schema newer than this
 * casus), CASUS_EINVAL (bad argument or SQL), CASUS_ENOMEM; the message on
 * the context names the store and the cause. After a failed write the batch
 * is rolled back and the store holds what it held before that batch.
 */
typedef struct casus_store casus_store;

/* Version of the store schema (table "casus_meta", key "schema_version").
 * Older stores are migrated when opened for writing. Version 2 added the
 * rollup tables the named queries read, 3 response links of incidents, 4
 * the incidents, 5 actor indexes that cover the forecast, 6 the marker of
 * deferred rollup writes, 7 each document's own report of an incident, 8
 * actor postings in place of the actor indexes, 9 the forecast's facts in
 * the postings and the tombstones of deleted events, 10 each incident's
 * counts of documents and evidence sentences on its row (docs/FORMATS.md). */
#define CASUS_STORE_VERSION 10

/* casus_store_open flags. */
#define CASUS_STORE_READONLY 0x1u  /* query and export: nothing is written,
                                      the store must exist and be current */
#define CASUS_STORE_SYNC 0x2u      /* write every batch on the calling thread
                                      (by default a full batch is written on
                                      a thread of the store's own while the
                                      caller queues the next one) */

/*
 * Opens (creating when absent, unless CASUS_STORE_READONLY) the store at
 * target: "postgresql://..." or "postgres://..." for PostgreSQL (libpq
 * connection URI), anything else a SQLite file path. The result belongs to
 * the caller (casus_store_close).
 */
casus_status casus_store_open(casus_ctx *ctx, const char *target,
                              unsigned flags, casus_store **out);
/* Closes the store. Documents queued since the last commit are discarded
 * (as an uncommitted transaction would be); call casus_store_commit first. */
void casus_store_close(casus_store *s);
/* "sqlite" or "postgresql". Static string. */
const char *casus_store_backend(const casus_store *s);

/* At most max_docs documents (default 10000) or about max_rows sentences and
 * events (default 200000) per transaction. 0 keeps the current value. */
void casus_store_set_batch(casus_store *s, size_t max_docs, size_t max_rows);

/*
 * Records a run (table "runs": casus version, dictionary and model versions,
 * options, start time); the rows stored after it name it. Any argument may
 * be NULL. Without a call, the first put starts a run with no details.
 */
casus_status casus_store_begin_run(casus_store *s, const char *dict_version,
                                   const char *model_version,
                                   const char *options);

/*
 * Queues an analysed document (casus_doc_analyze) with its sentences and the
 * n events coded from it (events may be NULL when n is 0). Its content hash
 * covers id, url, title, date and raw text; its rows hash covers the events.
 * Everything is copied: doc and events may change after the call.
 */
casus_status casus_store_put_document(casus_store *s, const casus_doc *doc,
                                      const casus_event *events, size_t n);

/* A document known only by its events (e.g. event JSON Lines records). */
typedef struct casus_store_doc {
    const char *id;          /* required */
    const char *url, *title; /* may be NULL */
    casus_date date;         /* publication date; all zero when unknown */
} casus_store_doc;

/*
 * Queues doc with n events. sentence_texts, when not NULL, holds for each
 * event the text of its sentence (NULL entries allowed), stored as the
 * document's sentence rows. Copies everything, like put_document.
 */
casus_status casus_store_put_events(casus_store *s, const casus_store_doc *doc,
                                    const casus_event *events,
                                    const char *const *sentence_texts,
                                    size_t n);

/*
 * Reads casus JSON Lines records from the file at path ("-": standard
 * input) into the store: "event" records (as `casus export --format jsonl`
 * and the event coder write them) and "sentence" records (`casus
 * sentences`); "diagnostic" and other types are skipped. Each run of
 * consecutive records with one doc_id is one document. Bad records are
 * error diagnostics, skipped. Sets *is_records to 0 and returns CASUS_DONE,
 * having stored nothing, when the first record has no casus "type" (a file
 * of documents, for casus_reader_open). Errors: CASUS_EIO, CASUS_ENOMEM,
 * and the store's write errors.
 */
casus_status casus_store_ingest_records(casus_store *s, const char *path,
                                        int *is_records);

/* Writes the queued documents (one transaction per batch), compacts the
 * actor postings when their tombstones are over an eighth of the events
 * (casus_store_compact, in a transaction of its own), and marks the run
 * finished. */
casus_status casus_store_commit(casus_store *s);

/*
 * Compacts the actor postings: drops from them the ids of events that
 * replaced documents lost (kept there with a tombstone each so readers
 * skip them), deletes postings left empty and the tombstones, in one
 * transaction (a crash leaves the store as it was). Query and forecast
 * results do not change. casus_store_commit does it by itself when the
 * tombstones are over an eighth of the events. out (may be NULL) receives
 * what was done. Errors: CASUS_EINVAL on a read-only handle; CASUS_EIO.
 */
typedef struct casus_store_compaction {
    size_t tombstones;        /* tombstones deleted */
    size_t postings;          /* postings rewritten (with the deleted) */
    size_t postings_deleted;  /* left empty and deleted */
    size_t ids;               /* dead ids dropped from them */
} casus_store_compaction;
casus_status casus_store_compact(casus_store *s, casus_store_compaction *out);

/* What this store handle has written so far. */
typedef struct casus_store_stats {
    size_t docs_added;      /* new document ids */
    size_t docs_replaced;   /* known ids whose content or rows changed */
    size_t docs_unchanged;  /* skipped: already stored as they are */
    size_t sentences;       /* sentence rows written */
    size_t events;          /* event rows written */
    size_t incidents;       /* incident rows written (per document that
                               reports one: an incident of two documents
                               counts twice) */
} casus_store_stats;
void casus_store_stats_get(const casus_store *s, casus_store_stats *out);

/* Output of casus_store_query(). */
typedef enum casus_table_format {
    CASUS_TABLE_TEXT = 0,   /* aligned columns for people */
    CASUS_TABLE_CSV,        /* RFC 4180, with a header line */
    CASUS_TABLE_JSON        /* JSON Lines, one object per row */
} casus_table_format;

/* "table", "csv", "json" -> format; CASUS_EINVAL otherwise. */
casus_status casus_table_format_parse(const char *name,
                                      casus_table_format *out);

/* Filters of the named queries and exports; NULL fields do not filter. */
typedef struct casus_query_opts {
    const char *country;  /* 3-letter actor country code: "IRN" */
    const char *from;     /* first day, month or year: "2017-01" */
    const char *to;       /* last day, month or year, inclusive */
    size_t limit;         /* at most this many rows; 0: no limit */
} casus_query_opts;

/*
 * Runs a named query or read-only SQL and writes the result to out.
 * query is "timeline", "dyads", "actor" (arg: an actor code or prefix),
 * "incidents", or one SQL statement, which runs read-only (it cannot change
 * the store: CASUS_EINVAL with the database's message). docs/FORMATS.md
 * lists each named query's columns. Rows stream: memory stays flat.
 */
casus_status casus_store_query(casus_store *s, const char *query,
                               const char *arg, const casus_query_opts *opt,
                               casus_table_format fmt, casus_sink *out);

/* Export formats (docs/FORMATS.md, "Exports"). */
typedef enum casus_export_format {
    CASUS_EXPORT_JSONL = 0,  /* casus event records (casus ingest reads them) */
    CASUS_EXPORT_CSV,        /* the same fields as CSV */
    CASUS_EXPORT_GDELT,      /* GDELT 2.0 event table, 61 columns, TSV */
    CASUS_EXPORT_PHOENIX,    /* Phoenix, 26 columns, TSV */
    CASUS_EXPORT_ACLED,      /* ACLED-style CSV */
    CASUS_EXPORT_PLOVER      /* PLOVER JSON, one record per line */
} casus_export_format;

/* "jsonl", "csv", "gdelt", "phoenix", "acled", "plover"; CASUS_EINVAL. */
casus_status casus_export_format_parse(const char *name,
                                       casus_export_format *out);

/* Writes every stored event (filtered by opt, which may be NULL), in event
 * id order, to out. Streams: memory stays flat whatever the store's size. */
casus_status casus_store_export(casus_store *s, casus_export_format fmt,
                                const casus_query_opts *opt, casus_sink *out);

/* An analyst forecast from the store (casus_store_forecast). */
typedef struct casus_store_forecast_opts {
    const char *actor;    /* actor code, e.g. "IRN": a country code stands
                             for the state, the country and its state
                             agents (IRNGOV, IRNMIL, IRNCOP, IRNSPY,
                             IRNJUD, IRNLEG and their sub-codes), unless
                             exact; any other code is read as it is */
    int horizon;          /* 7, 14 or 30 days (default 30 when 0) */
    casus_date as_of;     /* forecast at the start of this day: history is
                             the events dated before it; all zero: the day
                             after the last event of the actor */
    unsigned top_k;       /* targets listed (default 10 when 0) */
    unsigned precedents;  /* precedents per target (default 5 when 0) */
    int exact;            /* nonzero: read a country code alone */
} casus_store_forecast_opts;

/*
 * Ranks who opt->actor will act violently against (CAMEO roots 17-20)
 * within the horizon and how, each target with the calibrated probability
 * of the shipped model (docs/FORECAST.md) and its precedents (dated events
 * with their documents), from the actor's events of the 365 days before
 * as_of. Partners that are state agents are grouped under their country
 * the same way when the actor is. Writes one JSON Lines record {"type":"forecast",...}
 * (docs/FORMATS.md). An actor without events there gives a record with
 * "targets":[] and a "reason", and *n_targets 0; that is not an error.
 * Errors: CASUS_EINVAL (no actor, a bad horizon), CASUS_EIO, CASUS_ENOMEM
 * and the store's read errors.
 */
casus_status casus_store_forecast(casus_store *s,
                                  const casus_store_forecast_opts *opt,
                                  casus_sink *out, size_t *n_targets);

/* ---------------------------------------------------------------- dictionaries */

/*
 * The dictionaries of the event coder: actors (names -> actor codes, with
 * date restrictions for office holders), agents ("forces" -> ~MIL), verbs
 * with patterns (-> CAMEO event codes) and discards. casus ships its own,
 * in its own line-oriented format (data/dictionaries/, docs/DICTIONARIES.md),
 * and reads PETRARCH/TABARI dictionaries too. Loaded once, immutable after,
 * so threads may share one casus_dicts (each thread with its own context).
 */
typedef struct casus_dicts casus_dicts;

typedef enum casus_dict_kind {
    CASUS_DICT_ACTORS = 0,
    CASUS_DICT_AGENTS = 1,
    CASUS_DICT_VERBS = 2,
    CASUS_DICT_DISCARDS = 3
} casus_dict_kind;

/*
 * Loads dictionaries. dir NULL: the defaults, from the first directory of
 * $CASUS_DICTIONARIES, <executable's dir>/../data/dictionaries,
 * <executable's dir>/../share/casus/dictionaries, CASUS_DATADIR/dictionaries.
 * dir given (`--dictionaries DIR`): the files there replace the defaults of
 * the same kind; kinds the directory lacks come from the defaults. A file's
 * kind is its casus header ("@casus 1 actors") or, for PETRARCH/TABARI
 * files, its name: *actors*, *agents*, *verbs* or CAMEO*, *discards*.
 * The result belongs to the caller (casus_dicts_free) and borrows nothing;
 * it uses ctx's allocator, so ctx must outlive it.
 * Errors: CASUS_EIO (no such directory, unreadable file, no defaults found),
 * CASUS_EFORMAT (a syntax error: the message is "file:line: cause"),
 * CASUS_EINVAL (a directory with no dictionary), CASUS_ENOMEM. Duplicate
 * names, unknown codes and reversed date ranges are warning diagnostics
 * (file and line) and the entry is skipped; loading goes on.
 */
casus_status casus_dicts_load(casus_ctx *ctx, const char *dir, casus_dicts **out);
/* Loads exactly the given files (no defaults); kinds as for casus_dicts_load.
 * CASUS_EINVAL for a file whose kind cannot be told. */
casus_status casus_dicts_load_files(casus_ctx *ctx, const char *const *paths,
                                    size_t n, casus_dicts **out);
void casus_dicts_free(casus_dicts *d);

/* Entries of a kind: actors, agents, verb forms (lemmas and inflections),
 * discards. */
size_t casus_dicts_count(const casus_dicts *d, casus_dict_kind kind);
/* Where a kind was loaded from (a directory or file); "" when no file of
 * that kind was loaded. Borrowed from d. */
const char *casus_dicts_origin(const casus_dicts *d, casus_dict_kind kind);

/*
 * The actor code of a name, when all of text is one actor name of the
 * dictionaries (case-insensitive; hyphens and apostrophes inside words do
 * not matter: "Jaish ul-Adl" = "Jaish-ul-Adl"). date selects among dated
 * codes (a president is the government only while in office); an all-zero
 * date takes the default code. *code is NULL when the name is unknown, ""
 * for a name with a null code, else borrowed from d. ctx is used for
 * scratch memory only. Errors: CASUS_EINVAL, CASUS_ENOMEM.
 */
casus_status casus_dicts_lookup_actor(casus_ctx *ctx, const casus_dicts *d,
                                      const char *text, casus_date date,
                                      const char **code);
/*
 * Codes a short noun phrase: the first actor name in it combined with the
 * first agent ("Iranian forces" -> "IRNMIL", "Pakistan's foreign ministry"
 * -> "PAKGOV", "police" -> "COP"). Writes a NUL-terminated code into
 * out[cap] ("" when the phrase holds neither). Errors: CASUS_EINVAL,
 * CASUS_ENOMEM.
 */
casus_status casus_dicts_code_phrase(casus_ctx *ctx, const casus_dicts *d,
                                     const char *text, casus_date date,
                                     char *out, size_t cap);
/* The CAMEO code of a verb given as its lemma or any form ("attacked"):
 * *code is borrowed from d, "---" for a verb that codes no event alone, NULL
 * for a word that is not a (single-word) verb of the dictionaries. */
casus_status casus_dicts_lookup_verb(const casus_dicts *d, const char *word,
                                     const char **code);

/* ---------------------------------------------------------------- CAMEO */

/* What casus knows about a CAMEO event code. Strings are static. */
typedef struct casus_cameo_info {
    const char *code;            /* the code found (maybe an ancestor) */
    const char *name;            /* "Carry out suicide bombing" */
    double goldstein;            /* -10 .. +10 */
    int quad_class;              /* 1 verbal coop., 2 material coop.,
                                    3 verbal conflict, 4 material conflict */
    int penta_class;             /* Phoenix: 0 (01-02) .. 4 (14-20) */
    const char *plover_type;     /* "ASSAULT"; "" where PLOVER has none */
    const char *plover_mode;     /* "suicide-attack"; often "" */
    const char *plover_context;  /* "military"; often "" */
} casus_cameo_info;

/*
 * Looks up a CAMEO code ("190", "0231", "1831", a root "18"). A code the
 * table lacks takes its nearest listed ancestor ("1834" -> "183").
 * CASUS_EINVAL for anything else (NULL, not digits, not CAMEO).
 */
casus_status casus_cameo_lookup(const char *code, casus_cameo_info *out);
/* Goldstein score of a code; NAN (math.h) when unknown. */
double casus_cameo_goldstein(const char *code);
/* QuadClass 1..4 of a code; 0 when unknown. */
int casus_cameo_quad_class(const char *code);
/* PLOVER event type of a code ("ASSAULT"); NULL when unknown or unmapped. */
const char *casus_cameo_plover(const char *code);

/* ---------------------------------------------------------------- event coder */

/*
 * The event coder: from each parsed sentence, the events it reports (source
 * actor, target actor, action) coded in CAMEO and PLOVER, with the sentence
 * as evidence (docs/ARCHITECTURE.md, "Event coder"; records in
 * docs/FORMATS.md). A coder holds reusable buffers; it borrows its
 * dictionaries, which must outlive it, and belongs to its context's thread
 * (several coders on several threads may share one casus_dicts).
 */
typedef struct casus_coder casus_coder;

/* casus_coder_new flags. */
#define CASUS_CODE_PETRARCH 0x1u  /* PETRARCH 2's reading: acts under will,
                                     would, could... are coded as the act, and
                                     only events with both actors are kept
                                     (what its validation suite expects) */

/* A new coder over dictionaries d. Errors: CASUS_EINVAL, CASUS_ENOMEM. */
casus_status casus_coder_new(casus_ctx *ctx, const casus_dicts *d,
                             unsigned flags, casus_coder **out);
void casus_coder_free(casus_coder *c);

/*
 * Codes the events of a document that casus_doc_parse() has tagged and
 * parsed (an unparsed document gives no events). *events (n of them, in
 * sentence order) is borrowed from the coder until its next run or free;
 * actor texts point into the document. Event dates are the first date the
 * sentence states, else the publication date. A story discard of the
 * dictionaries gives no events. Errors: CASUS_EINVAL, CASUS_ENOMEM.
 */
casus_status casus_coder_run(casus_coder *c, const casus_doc *doc,
                             const casus_event **events, size_t *n);

/*
 * Writes events coded from doc as JSON Lines "event" records
 * (docs/FORMATS.md), which `casus ingest` reads back. CASUS_EIO when the
 * sink fails, CASUS_ENOMEM.
 */
casus_status casus_write_events(const casus_doc *doc, const casus_event *ev,
                                size_t n, casus_sink *out);

/* ---------------------------------------------------------------- incidents */

/*
 * Incidents: what analysts count. Every mention of an attack in a document
 * (attack verbs of the dictionaries coded 18x-20x, attack nouns such as
 * "bombing", "blast", "shooting") is read for its date, place,
 * perpetrators, targets, method and casualty figures; the mentions of one
 * incident become one record, and records of several documents are merged
 * by the rule in docs/FORMATS.md ("Incident records"). Fields the text does
 * not state stay unknown: they are never guessed.
 *
 * A casus_incidents set accumulates the incidents of the documents added to
 * it. It borrows the dictionaries (which must outlive it) and opens the
 * gazetteer itself. It belongs to one thread (its context's).
 */
typedef struct casus_incidents casus_incidents;

/* Perpetrator status. */
typedef enum casus_perp_status {
    CASUS_PERP_REPORTED = 0,   /* stated as fact by the text */
    CASUS_PERP_CLAIMED,        /* "claimed responsibility", "took responsibility" */
    CASUS_PERP_BLAMED,         /* "X blamed Y", "accused Y"; blamed_by is X */
    CASUS_PERP_SUSPECTED       /* "suspected", "believed to be", "linked to" */
} casus_perp_status;

/* "reported", "claimed", "blamed", "suspected". Static strings. */
const char *casus_perp_status_name(unsigned s);

/* A perpetrator or a target. */
typedef struct casus_incident_party {
    char name[96];        /* as the text names it: "Islamic State Khorasan
                             Province", "a military parade" */
    char code[32];        /* CAMEO actor code; "" when none */
    uint8_t status;       /* perpetrators: casus_perp_status */
    char blamed_by[96];   /* perpetrators blamed: who blamed them ("" unknown) */
    char type[24];        /* targets: "civilians", "military", "police",
                             "government", "religious site", ...; "" unknown */
} casus_incident_party;

/* A count as a range. min CASUS_COUNT_NONE: no lower bound stated; max
 * CASUS_COUNT_OPEN: no upper bound ("over 90" = [91, open]). Both
 * CASUS_COUNT_NONE: the text does not state it. */
#define CASUS_COUNT_NONE (-1)
#define CASUS_COUNT_OPEN INT64_MAX
typedef struct casus_count {
    int64_t min, max;
} casus_count;

/* Where an incident is stated: a sentence of one of its documents. */
typedef struct casus_incident_evidence {
    size_t doc;               /* index into the incident's doc_ids */
    size_t sentence_index;
    size_t start, end;        /* the sentence's byte offsets (document as read) */
} casus_incident_evidence;

#define CASUS_INCIDENT_MAX_PARTIES 8

typedef struct casus_incident {
    char id[80];                      /* "<first doc id>#<n>" */
    const char *const *doc_ids;       /* the documents that report it */
    size_t n_doc_ids;
    casus_date date_start, date_end;  /* all zero when not stated */
    char date_precision[8];           /* "day", "week", "month", ...; "" */
    int has_location;
    char location_name[96];
    char location_admin1[96];         /* "" when none */
    char location_country[4];         /* ISO 3166-1 alpha-3 */
    double lat, lon;
    char location_precision[8];       /* "country", "admin1", "admin2", "city" */
    casus_incident_party perpetrators[CASUS_INCIDENT_MAX_PARTIES];
    size_t n_perpetrators;
    casus_incident_party targets[CASUS_INCIDENT_MAX_PARTIES];
    size_t n_targets;
    char method[16];                  /* PLOVER ASSAULT mode; "" unknown */
    casus_count killed, injured;
    casus_count casualties;           /* "25 casualties": killed + injured,
                                         kept apart from both */
    const casus_incident_evidence *evidence;
    size_t n_evidence;
} casus_incident;

/*
 * A new, empty set. d: the dictionaries (actors name perpetrators and
 * targets; verbs find attack verbs). gazetteer: the place index file; NULL
 * searches the default places (where.h) and, when none is found, works
 * without places (every location null). Errors: CASUS_EIO / CASUS_EFORMAT
 * for a named gazetteer that cannot be opened, CASUS_ENOMEM.
 */
casus_status casus_incidents_new(casus_ctx *ctx, const casus_dicts *d,
                                 const char *gazetteer, casus_incidents **out);
void casus_incidents_free(casus_incidents *s);
/* 1 when a gazetteer is loaded (locations can be filled). */
int casus_incidents_have_places(const casus_incidents *s);

/*
 * Extracts the incidents of a document that casus_doc_analyze() and
 * casus_doc_parse() have prepared (without a parser the rules that need a
 * tree find less), merges its mentions into one record per incident, then
 * merges those with the incidents of earlier documents of the set. Bad data
 * (impossible dates, overflowing or contradictory counts) gives warning
 * diagnostics and null fields. Errors: CASUS_ENOMEM (the set then holds
 * the earlier documents' incidents and may hold some of this one's).
 */
casus_status casus_incidents_add(casus_incidents *s, casus_doc *doc);

/*
 * Adds a document's incident records as given instead of read from its
 * text (generators such as bench/store_bench.c, importers): record i of
 * rec[0..n) becomes the document's record "<doc_id>#<i+1>" and is merged
 * across documents and with stored incidents (casus_store_seed_incidents)
 * exactly as casus_incidents_add merges what it reads, so
 * casus_store_put_incidents stores it as the coder's. Each record needs a
 * date (date_start; date_end and date_precision as stated) and a place the
 * set's gazetteer knows (location_name in location_country, at
 * location_precision or finer; lat and lon both 0: the place's); its
 * id, doc_ids and evidence[].doc are
 * ignored (the evidence is this document's sentences). pub_date: the
 * document's publication date (zero: unknown). rec is borrowed for the
 * call. Errors: CASUS_EINVAL (no doc_id, no gazetteer, a record without
 * a date or place, or a place the gazetteer does not know: nothing of the
 * document is added), CASUS_ENOMEM.
 */
casus_status casus_incidents_add_records(casus_incidents *s, const char *doc_id,
                                         casus_date pub_date, const casus_incident *rec,
                                         size_t n);

/* Incidents in the set, in order of first report, and incident i; the
 * pointer and its strings are borrowed until the next add, clear or free. */
size_t casus_incidents_count(const casus_incidents *s);
const casus_incident *casus_incidents_get(const casus_incidents *s, size_t i);
/* Empties the set (keeps its memory and the gazetteer). */
void casus_incidents_clear(casus_incidents *s);

/* Writes every incident as a JSON Lines "incident" record
 * (docs/FORMATS.md). Errors: CASUS_EIO (the sink failed), CASUS_ENOMEM. */
casus_status casus_incidents_write(casus_incidents *s, casus_sink *out);

/* ---------------------------------------------------------------- responses */

/*
 * Response links: a state's strike or coercive action linked to the attack
 * on its territory, people or forces that it answers (docs/FORECAST.md,
 * "Response links"). A casus_responses set reads each document after its
 * events are coded and its incidents added (casus_coder_run,
 * casus_incidents_add) and keeps the links found, in order:
 *
 *  - text rules: a connective in a sentence that reports the response
 *    ("in retaliation for", "in response to", "to avenge", "two weeks
 *    after", "following") whose phrase names an earlier attack on the
 *    responder's territory or people by its place, year or target words;
 *  - proximity: a dated state strike within a few days of an attack on the
 *    state's territory (14 days; 60 when the strike targets the attack's
 *    perpetrator), when no text rule linked that strike.
 *
 * The set borrows nothing between calls; it belongs to one thread.
 */
typedef struct casus_responses casus_responses;

typedef struct casus_response {
    char trigger[112];     /* incident id ("article.txt#1") */
    char response[112];    /* incident id, or event id "<doc_id>/e<k>": the
                              k-th (1-based) event record of that document */
    char responder[32];    /* the state's actor code: "IRN", "IRNMILIRG" */
    int has_lag;
    long lag_days;         /* response date - trigger date (date_start) */
    char basis[64];        /* the rules that fired: "text:in retaliation for",
                              "text:two weeks after", "actor+time" */
    char doc_id[96];       /* the document that states it */
    size_t sentence_index; /* where: the connective's or the response's sentence */
    /* The events that stand for the two sides in the store (response_links
     * event_id, response_event_id): indices into that document's events;
     * -1 when no event of the document stands for the side (stored NULL). */
    long trigger_event, response_event;
} casus_response;

casus_status casus_responses_new(casus_ctx *ctx, casus_responses **out);
void casus_responses_free(casus_responses *r);

/*
 * Finds the response links stated by doc. inc: the set the document was
 * just added to (casus_incidents_add); ev, n: the document's events as
 * casus_coder_run returned them. The links are appended to the set; *first
 * (may be NULL) receives the index of the first new one, so the new links
 * are casus_responses_get(r, *first) and the count - *first after it
 * (consecutive). Errors: CASUS_ENOMEM.
 */
casus_status casus_responses_add(casus_responses *r, const casus_incidents *inc,
                                 const casus_doc *doc, const casus_event *ev, size_t n,
                                 size_t *first);
size_t casus_responses_count(const casus_responses *r);
/* Link i; borrowed until the next add or free. The links of one add are
 * consecutive in memory. */
const casus_response *casus_responses_get(const casus_responses *r, size_t i);
/* Writes every link as a JSON Lines "response" record (docs/FORMATS.md).
 * Errors: CASUS_EIO, CASUS_ENOMEM. */
casus_status casus_responses_write(const casus_responses *r, casus_sink *out);

/*
 * Queues the response links of the document queued last by
 * casus_store_put_document() (call it right after): each link becomes a
 * response_links row of that document with its trigger and response ids
 * as casus code writes them, and the events that stand for the two sides
 * (NULL where trigger_event or response_event is -1). The links count in
 * the document's rows hash, so changed links replace the document's rows.
 * Errors: CASUS_EINVAL (no document queued), CASUS_ENOMEM.
 */
casus_status casus_store_put_links(casus_store *s, const casus_response *links, size_t n);

/*
 * Queues the incidents of set that the document queued last reports (its id
 * among their doc_ids; call it right after casus_incidents_add and
 * casus_store_put_document), each as the set has it then, merged with the
 * earlier documents' reports, with this document's evidence sentences. In
 * the store an incident is one row, keyed by its id ("article.txt#1"),
 * written by every document that reports it (the last one's view wins),
 * with one evidence row per sentence of each such document and that
 * document's own report (its fields alone, incident_reports). Replacing a
 * document removes its evidence and then every incident left without
 * evidence (docs/FORMATS.md, "Store schema"). The incidents count in the
 * document's rows hash. Errors: CASUS_EINVAL (no document queued),
 * CASUS_ENOMEM.
 */
casus_status casus_store_put_incidents(casus_store *s, const casus_incidents *set);

/*
 * Lets the incidents of a casus code --db run join the incidents stored by
 * earlier runs: before set merges a document's records across documents,
 * it reads from s the stored incidents of the same country within a day of
 * each record's dates (two indexed queries per such key, each key once
 * while its answer is in the set), rebuilt from their documents' own
 * reports (not the coded document's, whose new report replaces it), and
 * takes them as earlier documents' records, merged by the same rule. A record that joins one keeps its id, so the
 * stored row is updated and gains this document's evidence. Stored
 * incidents that no document joins are not written by
 * casus_incidents_write. s must outlive the set's adds (or the set be
 * freed first). Errors: none now (lookups fail in casus_incidents_add).
 */
casus_status casus_store_seed_incidents(casus_store *s, casus_incidents *set);

/* ---------------------------------------------------------------- event coder */

/*
 * The event coder: from each parsed sentence, the events it reports (source
 * actor, target actor, action) coded in CAMEO and PLOVER, with the sentence
 * as evidence (docs/ARCHITECTURE.md, "Event coder"; records in
 * docs/FORMATS.md). A coder holds reusable buffers; it borrows its
 * dictionaries, which must outlive it, and belongs to its context's thread
 * (several coders on several threads may share one casus_dicts).
 */
typedef struct casus_coder casus_coder;

/* casus_coder_new flags. */
#define CASUS_CODE_PETRARCH 0x1u  /* PETRARCH 2's reading: acts under will,
                                     would, could... are coded as the act, and
                                     only events with both actors are kept
                                     (what its validation suite expects) */

/* A new coder over dictionaries d. Errors: CASUS_EINVAL, CASUS_ENOMEM. */
casus_status casus_coder_new(casus_ctx *ctx, const casus_dicts *d,
                             unsigned flags, casus_coder **out);
void casus_coder_free(casus_coder *c);

/*
 * Codes the events of a document that casus_doc_parse() has tagged and
 * parsed (an unparsed document gives no events). *events (n of them, in
 * sentence order) is borrowed from the coder until its next run or free;
 * actor texts point into the document. Event dates are the first date the
 * sentence states, else the publication date. A story discard of the
 * dictionaries gives no events. Errors: CASUS_EINVAL, CASUS_ENOMEM.
 */
casus_status casus_coder_run(casus_coder *c, const casus_doc *doc,
                             const casus_event **events, size_t *n);

/*
 * Writes events coded from doc as JSON Lines "event" records
 * (docs/FORMATS.md), which `casus ingest` reads back. CASUS_EIO when the
 * sink fails, CASUS_ENOMEM.
 */
casus_status casus_write_events(const casus_doc *doc, const casus_event *ev,
                                size_t n, casus_sink *out);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_H */
