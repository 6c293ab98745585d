/*
 * main.c - the casus command-line tool: a thin layer over include/casus.h.
 *
 * Parses options, runs each input through reader -> analyze -> writer, and
 * turns diagnostics into stderr lines (and, for JSON output, diagnostic
 * records). The only file that prints or exits.
 *
 * Exit status: 0 all input was clean; 1 some input was bad (a file could not
 * be read, a record was skipped or repaired: see the diagnostics); 2 usage
 * error; 3 the run itself failed (out of memory, output not writable).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"

enum { EXIT_BADINPUT = 1, EXIT_USAGE = 2, EXIT_FAILED = 3 };

typedef enum command { CMD_NONE, CMD_TOKENIZE, CMD_SENTENCES, CMD_PARSE,
                       CMD_INGEST, CMD_QUERY, CMD_EXPORT,
                       CMD_FORECAST, CMD_INCIDENTS, CMD_CODE, CMD_COMPACT } command;

typedef struct cli {
    command cmd;
    casus_format format;
    casus_date date;
    size_t max_doc_bytes;
    int quiet;
    int json;              /* output is JSON Lines */
    int gold_tokens;       /* parse --gold-tokens */
    const char *models_dir;    /* --models; NULL: the default search */
    casus_models *models;
    const char *dicts_dir;     /* --dictionaries (code); NULL: the defaults */
    casus_dicts *dicts;        /* incidents, code */
    casus_incidents *incidents;
    casus_responses *responses;   /* code: response links */
    casus_coder *coder;
    /* The store (ingest, query, export; --db on the text commands). */
    const char *db;            /* --db; NULL: none (casus.db where needed) */
    const char *out_format;    /* --format: query table|csv|json, export */
    casus_query_opts qopt;     /* --country --from --to --limit */
    size_t batch;              /* --batch: documents per transaction */
    casus_store *store;
    int store_failed;
    const char **inputs;
    size_t n_inputs;
    casus_sink out;
    int out_failed;
} cli;

static const struct {
    const char *name;
    command cmd;
    const char *summary;
    const char *help;
} commands[] = {
    {"tokenize", CMD_TOKENIZE, "split text into words; CoNLL-U with byte offsets",
     "Usage: casus tokenize [OPTIONS] [FILE|-]...\n"
     "\n"
     "Reads each input, normalises it (valid UTF-8, NFC), splits it into\n"
     "sentences and Universal Dependencies words, and writes CoNLL-U: one\n"
     "'# newdoc id' per document, '# sent_id' and '# text' per sentence, a\n"
     "range line for each multiword token (don't = do + n't), and\n"
     "TokenRange=START:END (byte offsets into the document) in MISC.\n"},
    {"sentences", CMD_SENTENCES, "split text into sentences; JSON Lines",
     "Usage: casus sentences [OPTIONS] [FILE|-]...\n"
     "\n"
     "Writes one JSON record per sentence:\n"
     "  {\"type\":\"sentence\",\"doc_id\",\"sentence_index\",\"char_start\",\n"
     "   \"char_end\",\"text\"}\n"
     "Offsets are byte offsets into the document as read. Problems in the\n"
     "input also appear as {\"type\":\"diagnostic\",...} records.\n"},
    {"parse", CMD_PARSE, "tag, lemmatise and parse; CoNLL-U",
     "Usage: casus parse [--gold-tokens] [--models DIR] [OPTIONS] [FILE|-]...\n"
     "\n"
     "Tokenizes and splits each input as 'casus tokenize' does, then fills\n"
     "in the CoNLL-U columns UPOS, XPOS (Penn Treebank), LEMMA and, when the\n"
     "model set has a parser, HEAD and DEPREL (Universal Dependencies).\n"
     "\n"
     "  --gold-tokens   the input is CoNLL-U: keep its words and sentences\n"
     "                  and annotate those (for evaluation)\n"
     "  --models DIR    the model directory (default: $CASUS_MODELS, then\n"
     "                  data/models next to the program, then the installed\n"
     "                  models)\n"},
    {"incidents", CMD_INCIDENTS, "incident records: who attacked whom, where, when, casualties",
     "Usage: casus incidents [--date YYYY-MM-DD] [--models DIR] [OPTIONS] [FILE|-]...\n"
     "\n"
     "Tags and parses each input, finds the attacks it reports and writes one\n"
     "JSON record per incident after reading all inputs: every mention of an\n"
     "incident in a document, and its reports in several documents, become one\n"
     "record (docs/FORMATS.md, \"Incident records\"):\n"
     "  {\"type\":\"incident\",\"id\",\"doc_ids\",\"date_start\",\"date_end\",\n"
     "   \"date_precision\",\"location\",\"perpetrators\",\"targets\",\"method\",\n"
     "   \"killed\",\"injured\",\"casualties\",\"evidence\"}\n"
     "Fields the text does not state are null. --date is the publication\n"
     "date of documents that give none (relative dates resolve against it).\n"},
    {"code", CMD_CODE, "code events (who did what to whom); JSON Lines",
     "Usage: casus code [--date D] [--dictionaries DIR] [--models DIR] [--db PATH]\n"
     "                  [OPTIONS] [FILE|-]...\n"
     "\n"
     "Tags and parses each input as 'casus parse' does, then codes the events\n"
     "each sentence reports and writes one JSON record per event:\n"
     "  {\"type\":\"event\",\"doc_id\",\"sentence_index\",\"char_start\",\n"
     "   \"char_end\",\"date\",\"source\":{\"code\",\"text\",\"start\",\"end\"},\n"
     "   \"target\":{...}|null,\"cameo\",\"goldstein\",\"quad_class\",\n"
     "   \"plover_type\",\"plover_mode\",\"negated\",\"text\"}\n"
     "The date is the one the sentence states, else the publication date\n"
     "(--date for inputs that give none). Offsets are byte offsets into the\n"
     "document as read; text is the sentence (the evidence).\n"
     "After the events of all inputs come the incident records, as\n"
     "'casus incidents' writes them ({\"type\":\"incident\",...}), then the\n"
     "response links: a state's strike linked to the attack it answers,\n"
     "  {\"type\":\"response\",\"trigger\",\"response\",\"responder\",\n"
     "   \"lag_days\",\"basis\",\"doc_id\",\"sentence_index\"}\n"
     "(trigger and response are incident ids, or DOC/eK for the K-th event\n"
     "record of document DOC; docs/FORMATS.md).\n"
     "\n"
     "  --dictionaries DIR  dictionaries that replace the defaults of their\n"
     "                      kind (casus or PETRARCH format; docs/DICTIONARIES.md)\n"
     "  --models DIR        the model directory (see casus parse --help)\n"
     "  --db PATH|URL       also store the documents, their events and their\n"
     "                      response links\n"},
    {"ingest", CMD_INGEST, "store documents and event records; prints nothing",
     "Usage: casus [--db PATH|URL] ingest [--batch N] [OPTIONS] FILE...\n"
     "\n"
     "Stores each input in the store (--db; default casus.db in the current\n"
     "folder; postgresql://... for PostgreSQL): documents with their\n"
     "sentences, or, from a JSON Lines file of casus records, the events and\n"
     "sentences they carry ({\"type\":\"event\",...} as 'casus export\n"
     "--format jsonl' writes them, {\"type\":\"sentence\",...}). Idempotent:\n"
     "a document stored as it is is skipped, a changed one replaces its own\n"
     "rows; each batch of documents is one transaction, so an interrupted\n"
     "ingest can simply be run again. Prints a summary on standard error.\n"
     "\n"
     "  --batch N   documents per transaction (default 10000)\n"},
    {"query", CMD_QUERY, "named queries and read-only SQL over the store",
     "Usage: casus [--db PATH|URL] query [--format table|csv|json] QUERY [ARG]\n"
     "\n"
     "Named queries (docs/FORMATS.md lists their columns):\n"
     "  timeline [--country C] [--from D] [--to D]   events per month\n"
     "  dyads [--country C] [--from D] [--to D]      source-target pairs\n"
     "  actor CODE [--from D] [--to D]               one actor per month\n"
     "  incidents [--country C] [--from D] [--to D]  incidents\n"
     "Anything else is one SQL statement, run read-only.\n"
     "Dates are YYYY, YYYY-MM or YYYY-MM-DD, inclusive; C is an actor code\n"
     "prefix (IRN). --limit N keeps the first N rows.\n"},
    {"export", CMD_EXPORT, "write the stored events: jsonl csv gdelt phoenix acled plover",
     "Usage: casus [--db PATH|URL] export --format FORMAT [--from D] [--to D]\n"
     "\n"
     "Writes every stored event to standard output, in event id order:\n"
     "  jsonl    casus event records (casus ingest reads them back)\n"
     "  csv      the same fields as CSV\n"
     "  gdelt    GDELT 2.0 event table: 61 tab-separated columns\n"
     "  phoenix  Phoenix: 26 tab-separated columns\n"
     "  acled    ACLED-style CSV (violent, protest and strategic events)\n"
     "  plover   PLOVER JSON, one record per line\n"
     "docs/FORMATS.md gives each mapping and what it leaves empty.\n"},
    {"compact", CMD_COMPACT, "drop replaced events' ids from the store's actor postings",
     "Usage: casus [--db PATH|URL] compact\n"
     "\n"
     "Compacts the store (--db; default casus.db in the current folder): the\n"
     "actor postings keep the ids of events that replaced documents lost,\n"
     "with a tombstone each that readers skip; compact drops those ids and\n"
     "the tombstones in one transaction (an interrupted compact changes\n"
     "nothing). Query, export and forecast results stay the same. A writing\n"
     "run does it by itself when the tombstones are over an eighth of the\n"
     "events. Prints what it did on standard error.\n"},
    {"forecast", CMD_FORECAST, "forecast who acts against whom next; evaluate forecasters",
     "Usage: casus forecast eval --data DIR [--split valid|test]\n"
     "                     [--model strict|relaxed|combined|casus]\n"
     "                     [--predictions OUT.tsv] [--explain N]\n"
     "\n"
     "Learns a forecaster from a temporal event graph in the ICEWS layout\n"
     "(DIR/entity2id.txt, relation2id.txt, train.txt, valid.txt, test.txt)\n"
     "and evaluates it on the split as Gastinger et al. (2024): object and\n"
     "subject queries, time-aware filtering, ties broken at random (counted\n"
     "exactly). Prints MRR and Hits@1/3/10. --predictions writes the top 100\n"
     "candidates of every query as query_idx<TAB>o|s<TAB>candidate_id<TAB>score;\n"
     "--explain N prints the evidence behind the forecasts of the first N\n"
     "queries as JSON Lines. Methods: docs/FORECAST.md.\n"
     "\n"
     "Usage: casus forecast calibrate --data DIR [--horizon 7,14,30]\n"
     "                     [--write-model OUT.h]\n"
     "\n"
     "Backtests calibrated probabilities of 'will X act violently against Y\n"
     "within H days' (CAMEO roots 17-20): fitted on train, Platt-scaled on\n"
     "valid, scored on test with Brier score, log loss and reliability\n"
     "tables, beside base-rate and persistence baselines.\n"
     "\n"
     "Usage: casus forecast --db PATH|URL --actor CODE [--horizon 7|14|30]\n"
     "                     [--as-of YYYY-MM-DD] [--top N] [--exact]\n"
     "\n"
     "Ranks whom the actor will act violently against within the horizon\n"
     "(default 30 days) and how, from the stored events before --as-of\n"
     "(default: the day after the actor's last event), each target with a\n"
     "probability and its precedents: one {\"type\":\"forecast\"} JSON line.\n"
     "An actor with no events gives an empty forecast with a reason (exit 0).\n"
     "A country code (IRN) stands for the state: the country's own code and\n"
     "its state agents (IRNGOV, IRNMIL, IRNMILIRG, IRNCOP, IRNSPY, IRNJUD,\n"
     "IRNLEG), not its rebels, opposition or civilians; partners fold the\n"
     "same way. --exact reads the country code alone; any longer code\n"
     "(IRNMIL) is always read as it is.\n"},
};

static const char options_help[] =
    "Options:\n"
    "  --input FORMAT       text, jsonl, html, petrarch-xml or conllu\n"
    "                       (default: by extension .txt .jsonl .html .htm .xml\n"
    "                       .conllu; text for standard input)\n"
    "  --date YYYY-MM-DD    publication date of documents that give none\n"
    "  --max-doc-bytes N    skip documents larger than N bytes (default 64 MiB)\n"
    "  --models DIR         model directory (parse, code; see parse --help)\n"
    "  --dictionaries DIR   dictionaries of code (see code --help)\n"
    "  --gold-tokens        parse the words of a CoNLL-U input as they are\n"
    "  --db PATH|URL        the store: a SQLite file or postgresql://...\n"
    "                       (default casus.db for ingest, query, export;\n"
    "                       with sentences, also stores what it prints)\n"
    "  --format NAME        query: table, csv or json; export: see export --help\n"
    "  --country, --from, --to, --limit   filters of query and export\n"
    "  -q, --quiet          do not print diagnostics on standard error\n"
    "  -h, --help           show help\n"
    "  --version            show the version\n"
    "\n"
    "Inputs: files, or - for standard input (the default).\n"
    "Exit status: 0 clean; 1 some input was bad (see the diagnostics);\n"
    "2 usage error; 3 the run failed (out of memory, output not writable).\n";

static void usage(FILE *f)
{
    fprintf(f, "Usage: casus [OPTIONS] COMMAND [OPTIONS] [FILE|-]...\n\n"
               "casus turns news text about political violence into "
               "structured event data.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n%s\nRun 'casus COMMAND --help' for a command's details.\n",
            options_help);
}

static int stdout_write(void *ud, const char *p, size_t n)
{
    cli *c = ud;
    if (fwrite(p, 1, n, stdout) != n) {
        c->out_failed = 1;
        return -1;
    }
    return 0;
}

static void on_diag(void *ud, const casus_diag *d)
{
    cli *c = ud;
    static const char *const sev[] = {"note", "warning", "error"};
    if (!c->quiet) {
        fflush(stdout);
        if (d->line)
            fprintf(stderr, "casus: %s:%lu: %s: %s", d->file, d->line,
                    sev[d->severity], d->message);
        else
            fprintf(stderr, "casus: %s: %s: %s", d->file, sev[d->severity],
                    d->message);
        if (d->doc_id)
            fprintf(stderr, " (document %s)", d->doc_id);
        fputc('\n', stderr);
    }
    if (c->json)
        casus_write_diag(d, &c->out);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > SIZE_MAX || s[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

/* Takes a store option's value; -1 for a bad one. */
static int store_option(cli *c, const char *a, size_t alen, const char *val)
{
    if (!strncmp(a, "--db", alen)) {
        c->db = val;
    } else if (!strncmp(a, "--format", alen)) {
        c->out_format = val;
    } else if (!strncmp(a, "--country", alen)) {
        c->qopt.country = val;
    } else if (!strncmp(a, "--from", alen)) {
        c->qopt.from = val;
    } else if (!strncmp(a, "--to", alen)) {
        c->qopt.to = val;
    } else if (!strncmp(a, "--limit", alen) || !strncmp(a, "--batch", alen)) {
        size_t *dst = a[2] == 'l' ? &c->qopt.limit : &c->batch;
        if (parse_size(val, dst) != 0) {
            fprintf(stderr, "casus: %.*s: '%s' is not a positive number\n",
                    (int)alen, a, val);
            return -1;
        }
    }
    return 0;
}

/* Parses argv; returns -1 to exit with EXIT_USAGE, 1 to exit 0 (help,
 * version), 0 to run. */
static int parse_args(cli *c, int argc, char **argv)
{
    int want_help = 0, no_more_opts = 0;
    c->inputs = calloc((size_t)argc, sizeof *c->inputs);
    if (!c->inputs)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!no_more_opts && a[0] == '-' && a[1]) {
            if (strcmp(a, "--") == 0) {
                no_more_opts = 1;
                continue;
            }
            const char *eq = strchr(a, '=');
            size_t alen = eq ? (size_t)(eq - a) : strlen(a);
            int takes = (alen == 7 && !strncmp(a, "--input", 7)) ||
                        (alen == 6 && !strncmp(a, "--date", 6)) ||
                        (alen == 15 && !strncmp(a, "--max-doc-bytes", 15)) ||
                        (alen == 8 && !strncmp(a, "--models", 8)) ||
                        (alen == 14 && !strncmp(a, "--dictionaries", 14)) ||
                        (alen == 4 && !strncmp(a, "--db", 4)) ||
                        (alen == 8 && !strncmp(a, "--format", 8)) ||
                        (alen == 9 && !strncmp(a, "--country", 9)) ||
                        (alen == 6 && !strncmp(a, "--from", 6)) ||
                        (alen == 4 && !strncmp(a, "--to", 4)) ||
                        (alen == 7 && !strncmp(a, "--limit", 7)) ||
                        (alen == 7 && !strncmp(a, "--batch", 7));
            if (takes) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    fprintf(stderr, "casus: option %s needs a value\n", a);
                    return -1;
                }
            }
            if (!strncmp(a, "--input", alen) && takes) {
                if (casus_format_parse(val, &c->format) != CASUS_OK) {
                    fprintf(stderr, "casus: --input: unknown format '%s' (expected "
                                    "text, jsonl, html, petrarch-xml or conllu)\n", val);
                    return -1;
                }
            } else if (!strncmp(a, "--date", alen) && takes) {
                if (casus_date_parse(val, strlen(val), &c->date) != CASUS_OK) {
                    fprintf(stderr, "casus: --date: '%s' is not a valid date "
                                    "(expected YYYY-MM-DD)\n", val);
                    return -1;
                }
            } else if (!strncmp(a, "--models", alen) && takes) {
                c->models_dir = val;
            } else if (!strncmp(a, "--dictionaries", alen) && takes) {
                c->dicts_dir = val;
            } else if (takes && store_option(c, a, alen, val) != 0) {
                return -1;
            } else if (takes && strncmp(a, "--max-doc-bytes", alen)) {
                /* a store option, taken above */
            } else if (takes) {
                if (parse_size(val, &c->max_doc_bytes) != 0) {
                    fprintf(stderr, "casus: --max-doc-bytes: '%s' is not a "
                                    "positive number of bytes\n", val);
                    return -1;
                }
            } else if (!strcmp(a, "--gold-tokens")) {
                c->gold_tokens = 1;
            } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
                c->quiet = 1;
            } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                want_help = 1;
            } else if (!strcmp(a, "--version")) {
                printf("casus %s (output schema %d)\n", CASUS_VERSION,
                       CASUS_SCHEMA_VERSION);
                return 1;
            } else {
                fprintf(stderr, "casus: unknown option '%s' (see casus --help)\n", a);
                return -1;
            }
            continue;
        }
        if (c->cmd == CMD_NONE) {
            for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
                if (!strcmp(a, commands[k].name))
                    c->cmd = commands[k].cmd;
            if (c->cmd == CMD_NONE) {
                fprintf(stderr, "casus: unknown command '%s' (see casus --help)\n", a);
                return -1;
            }
            continue;
        }
        c->inputs[c->n_inputs++] = a;
    }
    if (want_help) {
        if (c->cmd == CMD_NONE) {
            usage(stdout);
        } else {
            for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
                if (commands[k].cmd == c->cmd)
                    printf("%s\n%s", commands[k].help, options_help);
        }
        return 1;
    }
    if (c->cmd == CMD_NONE) {
        usage(stderr);
        return -1;
    }
    if (c->dicts_dir && c->cmd != CMD_CODE) {
        fprintf(stderr, "casus: --dictionaries only applies to 'casus code'\n");
        return -1;
    }
    if ((c->gold_tokens || c->models_dir) && c->cmd != CMD_PARSE &&
        !(c->models_dir && (c->cmd == CMD_INCIDENTS || c->cmd == CMD_CODE))) {
        fprintf(stderr, "casus: %s only applies to 'casus parse'\n",
                c->gold_tokens ? "--gold-tokens" : "--models");
        return -1;
    }
    if (c->gold_tokens && c->format == CASUS_FORMAT_AUTO)
        c->format = CASUS_FORMAT_CONLLU;
    if (c->gold_tokens && c->format != CASUS_FORMAT_CONLLU) {
        fprintf(stderr, "casus: --gold-tokens needs CoNLL-U input\n");
        return -1;
    }
    if (c->cmd == CMD_QUERY && (c->n_inputs < 1 || c->n_inputs > 2)) {
        fprintf(stderr, "casus: query: give a named query or one SQL "
                        "statement (see casus query --help)\n");
        return -1;
    }
    if (c->cmd == CMD_COMPACT && c->n_inputs) {
        fprintf(stderr, "casus: compact takes no inputs (see casus compact "
                        "--help)\n");
        return -1;
    }
    if (c->cmd == CMD_EXPORT && c->n_inputs) {
        fprintf(stderr, "casus: export takes no inputs (see casus export "
                        "--help)\n");
        return -1;
    }
    if (c->cmd == CMD_EXPORT && !c->out_format) {
        fprintf(stderr, "casus: export: give --format jsonl, csv, gdelt, "
                        "phoenix, acled or plover\n");
        return -1;
    }
    if (c->out_format && c->cmd != CMD_QUERY && c->cmd != CMD_EXPORT) {
        fprintf(stderr, "casus: --format applies to query and export (the "
                        "input format is --input)\n");
        return -1;
    }
    if (c->db && c->cmd != CMD_INGEST && c->cmd != CMD_QUERY &&
        c->cmd != CMD_EXPORT && c->cmd != CMD_SENTENCES && c->cmd != CMD_CODE &&
        c->cmd != CMD_COMPACT) {
        fprintf(stderr, "casus: --db applies to ingest, query, export, "
                        "compact, sentences and code\n");
        return -1;
    }
    if (c->n_inputs == 0 && c->cmd != CMD_QUERY && c->cmd != CMD_EXPORT &&
        c->cmd != CMD_COMPACT)
        c->inputs[c->n_inputs++] = "-";
    return 0;
}

/* ---------------------------------------------------------------- store */

/* Opens the store (read-only for query and export) and, for writing
 * commands, starts a run that records the command line. */
static int open_store(cli *c, casus_ctx *ctx, int argc, char **argv)
{
    int ro = c->cmd == CMD_QUERY || c->cmd == CMD_EXPORT;
    const char *db = c->db ? c->db : "casus.db";
    if (casus_store_open(ctx, db, ro ? CASUS_STORE_READONLY : 0, &c->store) !=
        CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        return EXIT_FAILED;
    }
    if (ro)
        return 0;
    if (c->batch)
        casus_store_set_batch(c->store, c->batch, 0);
    char opts[1024] = "casus";
    size_t n = strlen(opts);
    for (int i = 1; i < argc && n + 2 < sizeof opts; i++) {
        int k = snprintf(opts + n, sizeof opts - n, " %s", argv[i]);
        n = k < 0 || (size_t)k >= sizeof opts - n ? sizeof opts - 1 : n + (size_t)k;
    }
    if (casus_store_begin_run(c->store, NULL, NULL, opts) != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        return EXIT_FAILED;
    }
    return 0;
}

/* Commits what is queued and reports what ingest stored. */
static int close_store(cli *c, casus_ctx *ctx, int worst)
{
    if (worst == EXIT_FAILED)
        return worst;   /* the last batch is not committed */
    if (casus_store_commit(c->store) != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        return EXIT_FAILED;
    }
    casus_store_stats st;
    casus_store_stats_get(c->store, &st);
    if (c->cmd == CMD_INGEST && !c->quiet)
        fprintf(stderr, "casus: ingest: %zu documents added, %zu replaced, "
                "%zu unchanged; %zu sentences and %zu events written\n",
                st.docs_added, st.docs_replaced, st.docs_unchanged,
                st.sentences, st.events);
    return worst;
}

/* Ingest of a JSON Lines file of casus records; -1 when the input is
 * something else (documents, read by run_input). */
static int ingest_records(cli *c, casus_ctx *ctx, const char *path)
{
    casus_format f = c->format ? c->format : casus_format_for_path(path);
    if (f != CASUS_FORMAT_JSONL || !strcmp(path, "-"))
        return -1;
    int is_records = 0;
    casus_status st = casus_store_ingest_records(c->store, path, &is_records);
    if (st == CASUS_DONE && !is_records)
        return -1;
    if (st == CASUS_OK || st == CASUS_DONE)
        return 0;
    fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
    if (st == CASUS_EIO && !is_records)
        return EXIT_BADINPUT;   /* the file could not be opened */
    c->store_failed = 1;
    return EXIT_FAILED;
}

/* query and export. */
static int run_reader_command(cli *c, casus_ctx *ctx)
{
    casus_status st;
    if (c->cmd == CMD_EXPORT) {
        casus_export_format f;
        if (casus_export_format_parse(c->out_format, &f) != CASUS_OK) {
            fprintf(stderr, "casus: export: unknown format '%s' (jsonl, csv, "
                            "gdelt, phoenix, acled or plover)\n", c->out_format);
            return EXIT_USAGE;
        }
        st = casus_store_export(c->store, f, &c->qopt, &c->out);
    } else {
        casus_table_format f = CASUS_TABLE_TEXT;
        if (c->out_format &&
            casus_table_format_parse(c->out_format, &f) != CASUS_OK) {
            fprintf(stderr, "casus: query: unknown format '%s' (table, csv or "
                            "json)\n", c->out_format);
            return EXIT_USAGE;
        }
        st = casus_store_query(c->store, c->inputs[0],
                               c->n_inputs > 1 ? c->inputs[1] : NULL,
                               &c->qopt, f, &c->out);
    }
    if (st == CASUS_OK)
        return 0;
    if (c->out_failed)
        fprintf(stderr, "casus: cannot write output: %s\n", strerror(errno));
    else
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
    return st == CASUS_EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

/* compact: the store's postings, in a transaction of their own. */
static int run_compact(cli *c, casus_ctx *ctx)
{
    casus_store_compaction k;
    const char *db = c->db ? c->db : "casus.db";
    if (strncmp(db, "postgres", 8) && access(db, F_OK) != 0) {
        /* nothing to compact: do not create a store */
        fprintf(stderr, "casus: %s: cannot open the store: %s\n", db, strerror(errno));
        return EXIT_FAILED;
    }
    if (casus_store_open(ctx, db, 0, &c->store) != CASUS_OK ||
        casus_store_compact(c->store, &k) != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        return EXIT_FAILED;
    }
    if (!c->quiet)
        fprintf(stderr, "casus: compact: %zu tombstones deleted; %zu postings "
                "rewritten (%zu deleted), %zu ids dropped\n", k.tombstones,
                k.postings, k.postings_deleted, k.ids);
    return 0;
}

/* Runs one input; returns 0, EXIT_BADINPUT or EXIT_FAILED. */
static int run_input(cli *c, casus_ctx *ctx, casus_doc *doc, const char *path)
{
    casus_reader *r;
    casus_status st = casus_reader_open(ctx, path, c->format, c->date, &r);
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        if (c->json) {
            casus_diag d = {CASUS_ERROR, strcmp(path, "-") ? path : "<stdin>",
                            0, NULL, -1, casus_ctx_message(ctx)};
            casus_write_diag(&d, &c->out);
        }
        return st == CASUS_ENOMEM ? EXIT_FAILED : EXIT_BADINPUT;
    }
    int rc = 0;
    while ((st = casus_reader_next(r, doc)) == CASUS_OK) {
        st = casus_doc_analyze(doc);
        if (st == CASUS_OK && c->gold_tokens)
            st = casus_doc_use_gold_tokens(doc);
        if (st == CASUS_OK && (c->cmd == CMD_PARSE || c->cmd == CMD_INCIDENTS ||
                               c->cmd == CMD_CODE))
            st = casus_doc_parse(doc, c->models);
        const casus_event *ev = NULL;
        size_t nev = 0, first_link = casus_responses_count(c->responses);
        if (st == CASUS_OK && c->cmd == CMD_INCIDENTS) {
            st = casus_incidents_add(c->incidents, doc);
        } else if (st == CASUS_OK && c->cmd == CMD_CODE) {
            st = casus_coder_run(c->coder, doc, &ev, &nev);
            if (st == CASUS_OK)
                st = casus_write_events(doc, ev, nev, &c->out);
            if (st == CASUS_OK)   /* incident records follow the events */
                st = casus_incidents_add(c->incidents, doc);
            if (st == CASUS_OK)   /* then the response links */
                st = casus_responses_add(c->responses, c->incidents, doc, ev, nev,
                                         &first_link);
        } else if (st == CASUS_OK && c->cmd != CMD_INGEST) {
            st = c->cmd == CMD_SENTENCES ? casus_write_sentences(doc, &c->out)
                                         : casus_write_conllu(doc, &c->out);
        }
        if (st == CASUS_OK && c->store &&
            ((st = casus_store_put_document(c->store, doc, ev, nev)) != CASUS_OK ||
             (first_link < casus_responses_count(c->responses) &&
              (st = casus_store_put_links(c->store,
                                          casus_responses_get(c->responses, first_link),
                                          casus_responses_count(c->responses) -
                                              first_link)) != CASUS_OK) ||
             (c->cmd == CMD_CODE &&
              (st = casus_store_put_incidents(c->store, c->incidents)) != CASUS_OK)))
            c->store_failed = 1;
        if (st != CASUS_OK)
            break;
    }
    if (st != CASUS_OK && st != CASUS_DONE) {
        if (c->out_failed)
            fprintf(stderr, "casus: cannot write output: %s\n", strerror(errno));
        else
            fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        rc = st == CASUS_EIO && !c->out_failed ? EXIT_BADINPUT : EXIT_FAILED;
        if (c->store_failed)
            rc = EXIT_FAILED;
    }
    casus_reader_close(r);
    return rc;
}

static int file_write(void *ud, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

static void print_metrics(const char *name, const casus_forecast_metrics *m)
{
    printf("%-8s %8zu %7.2f %7.2f %7.2f %7.2f\n", name, m->n, 100 * m->mrr,
           100 * m->hits1, 100 * m->hits3, 100 * m->hits10);
}

/* casus forecast calibrate: the backtest of calibrated probabilities. */
static int calibrate_main(const char *data_dir, const char *horizons,
                          const char *model_path)
{
    int h[16];
    size_t nh = 0;
    for (const char *p = horizons; *p && nh < 16;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 365 || (*end && *end != ',')) {
            fprintf(stderr, "casus: --horizon: '%s' is not a list of days "
                            "1..365 (e.g. 7,14,30)\n", horizons);
            return EXIT_USAGE;
        }
        h[nh++] = (int)v;
        p = *end ? end + 1 : end;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_calib_result res[16];
    casus_forecast_data *data = NULL;
    FILE *mf = NULL;
    int rc = 0;
    if (!ctx) {
        fprintf(stderr, "casus: out of memory\n");
        return EXIT_FAILED;
    }
    casus_status st = casus_forecast_data_open(ctx, data_dir, &data);
    if (st == CASUS_OK && model_path && !(mf = fopen(model_path, "w"))) {
        fprintf(stderr, "casus: %s: cannot create: %s\n", model_path,
                strerror(errno));
        rc = EXIT_FAILED;
        goto done;
    }
    casus_sink msink = {file_write, mf}, out = {file_write, stdout};
    if (st == CASUS_OK)
        st = casus_forecast_calibrate(ctx, data, h, nh, res, mf ? &msink : NULL);
    if (st == CASUS_OK)
        st = casus_calib_write(ctx, res, nh, &out);
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        rc = st == CASUS_ENOMEM || st == CASUS_EIO ? EXIT_FAILED : EXIT_BADINPUT;
    }
done:
    if (mf && fclose(mf) != 0 && rc == 0)
        rc = EXIT_FAILED;
    casus_forecast_data_free(data);
    casus_ctx_free(ctx);
    if (fflush(stdout) != 0 && rc == 0)
        rc = EXIT_FAILED;
    return rc;
}

/* casus forecast --db ... --actor ...: an analyst forecast from the store. */
static int actor_forecast_main(const char *db, casus_store_forecast_opts *o)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    size_t n = 0;
    int rc = 0;
    if (!ctx) {
        fprintf(stderr, "casus: out of memory\n");
        return EXIT_FAILED;
    }
    casus_sink out = {file_write, stdout};
    casus_status st = casus_store_open(ctx, db, CASUS_STORE_READONLY, &s);
    if (st == CASUS_OK)
        st = casus_store_forecast(s, o, &out, &n);
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        rc = st == CASUS_EINVAL ? EXIT_USAGE : EXIT_FAILED;
    } else if (n == 0) {
        fprintf(stderr, "casus: forecast: no targets for %s: %s\n", o->actor,
                casus_ctx_message(ctx));
    }
    casus_store_close(s);
    casus_ctx_free(ctx);
    if (fflush(stdout) != 0 && rc == 0)
        rc = EXIT_FAILED;
    return rc;
}

/* casus forecast eval ...: its own options, after the command word at argv[k]. */
static int forecast_main(int argc, char **argv, int k)
{
    const char *data_dir = NULL, *pred_path = NULL;
    const char *horizon = NULL, *model_path = NULL, *db = NULL;
    casus_store_forecast_opts fo;
    memset(&fo, 0, sizeof fo);
    casus_forecast_options opt;
    casus_forecast_options_init(&opt);
    long explain = 0;
    int sub = 0;
    for (int i = k + 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "--data") || !strcmp(a, "--split") ||
                    !strcmp(a, "--model") || !strcmp(a, "--predictions") ||
                    !strcmp(a, "--explain") || !strcmp(a, "--horizon") ||
                    !strcmp(a, "--write-model") || !strcmp(a, "--db") ||
                    !strcmp(a, "--actor") || !strcmp(a, "--as-of") ||
                    !strcmp(a, "--top");
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            for (size_t j = 0; j < sizeof commands / sizeof commands[0]; j++)
                if (commands[j].cmd == CMD_FORECAST)
                    printf("%s", commands[j].help);
            return 0;
        }
        if (takes && !v) {
            fprintf(stderr, "casus: option %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "eval") && !sub) {
            sub = 1;
        } else if (!strcmp(a, "calibrate") && !sub) {
            sub = 2;
        } else if (!strcmp(a, "--horizon")) {
            horizon = v;
        } else if (!strcmp(a, "--write-model")) {
            model_path = v;
        } else if (!strcmp(a, "--db")) {
            db = v;
        } else if (!strcmp(a, "--actor")) {
            fo.actor = v;
        } else if (!strcmp(a, "--exact")) {
            fo.exact = 1;
        } else if (!strcmp(a, "--as-of")) {
            if (casus_date_parse(v, strlen(v), &fo.as_of) != CASUS_OK) {
                fprintf(stderr, "casus: --as-of: '%s' is not a date "
                                "(YYYY-MM-DD)\n", v);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--top")) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 1 || t > 1000) {
                fprintf(stderr, "casus: --top: '%s' is not 1..1000\n", v);
                return EXIT_USAGE;
            }
            fo.top_k = (unsigned)t;
        } else if (!strcmp(a, "--data")) {
            data_dir = v;
        } else if (!strcmp(a, "--predictions")) {
            pred_path = v;
        } else if (!strcmp(a, "--split")) {
            if (casus_forecast_split_parse(v, &opt.split) != CASUS_OK ||
                opt.split == CASUS_FORECAST_TRAIN) {
                fprintf(stderr, "casus: --split: '%s' is not valid or test\n", v);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--model")) {
            if (casus_forecast_method_parse(v, &opt.method) != CASUS_OK) {
                fprintf(stderr, "casus: --model: unknown model '%s' (strict, "
                                "relaxed, combined, casus)\n", v);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--explain")) {
            char *end;
            explain = strtol(v, &end, 10);
            if (*end || explain < 0) {
                fprintf(stderr, "casus: --explain: '%s' is not a count\n", v);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "casus: forecast: unexpected '%s' (see casus "
                            "forecast --help)\n", a);
            return EXIT_USAGE;
        }
        if (takes)
            i++;
    }
    if (!sub && fo.actor) {
        if (horizon) {
            char *end;
            long hv = strtol(horizon, &end, 10);
            if (*end || (hv != 7 && hv != 14 && hv != 30)) {
                fprintf(stderr, "casus: --horizon: '%s' is not 7, 14 or 30 "
                                "(the calibrated horizons)\n", horizon);
                return EXIT_USAGE;
            }
            fo.horizon = (int)hv;
        }
        return actor_forecast_main(db ? db : "casus.db", &fo);
    }
    if (sub == 2 && data_dir)
        return calibrate_main(data_dir, horizon ? horizon : "7,14,30",
                              model_path);
    if (!sub || !data_dir) {
        fprintf(stderr, "casus: forecast: expected 'eval --data DIR', "
                        "'calibrate --data DIR' or '--actor CODE' (see "
                        "casus forecast --help)\n");
        return EXIT_USAGE;
    }
    casus_ctx *ctx = casus_ctx_new();
    if (!ctx) {
        fprintf(stderr, "casus: out of memory\n");
        return EXIT_FAILED;
    }
    int rc = 0;
    casus_forecast_data *data = NULL;
    casus_forecast_model *m = NULL;
    FILE *pf = NULL;
    casus_status st = casus_forecast_data_open(ctx, data_dir, &data);
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        rc = st == CASUS_ENOMEM ? EXIT_FAILED : EXIT_BADINPUT;
        goto done;
    }
    if (pred_path && !(pf = fopen(pred_path, "w"))) {
        fprintf(stderr, "casus: %s: cannot create: %s\n", pred_path,
                strerror(errno));
        rc = EXIT_FAILED;
        goto done;
    }
    casus_sink psink = {file_write, pf};
    casus_forecast_result res;
    st = casus_forecast_model_learn(ctx, data, &opt, &m);
    if (st == CASUS_OK)
        st = casus_forecast_model_eval(m, pf ? &psink : NULL, &res);
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: forecast: %s\n", casus_ctx_message(ctx));
        rc = st == CASUS_EINVAL ? EXIT_BADINPUT : EXIT_FAILED;
        goto done;
    }
    printf("model %s, split %s\n", casus_forecast_model_describe(m),
           casus_forecast_split_name(opt.split));
    printf("%-8s %8s %7s %7s %7s %7s\n", "queries", "n", "MRR", "H@1", "H@3",
           "H@10");
    print_metrics("object", &res.object);
    print_metrics("subject", &res.subject);
    print_metrics("both", &res.all);
    printf("no history: %zu queries; CPU: learn %.1f s, evaluate %.1f s\n",
           res.n_empty, res.learn_seconds, res.eval_seconds);
    casus_sink out = {file_write, stdout};
    for (long i = 0; i < explain && st == CASUS_OK; i++) {
        st = casus_forecast_explain(m, (size_t)i, 'o', 10, &out);
        if (st == CASUS_OK)
            st = casus_forecast_explain(m, (size_t)i, 's', 10, &out);
    }
    if (st == CASUS_EINVAL)
        st = CASUS_OK;   /* fewer queries than asked to explain */
    if (st != CASUS_OK) {
        fprintf(stderr, "casus: forecast: %s\n", casus_ctx_message(ctx));
        rc = EXIT_FAILED;
    }
done:
    if (pf && fclose(pf) != 0 && rc == 0) {
        fprintf(stderr, "casus: %s: cannot write: %s\n", pred_path,
                strerror(errno));
        rc = EXIT_FAILED;
    }
    casus_forecast_model_free(m);
    casus_forecast_data_free(data);
    casus_ctx_free(ctx);
    if (fflush(stdout) != 0 && rc == 0)
        rc = EXIT_FAILED;
    return rc;
}

int main(int argc, char **argv)
{
    /* `forecast` has its own option set: hand it everything after it. */
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        if (!strcmp(argv[i], "forecast"))
            return forecast_main(argc, argv, i);
        break;
    }
    cli c;
    memset(&c, 0, sizeof c);
    c.out.write = stdout_write;
    c.out.ud = &c;
    int rc = parse_args(&c, argc, argv);
    if (rc != 0) {
        free(c.inputs);
        return rc < 0 ? EXIT_USAGE : 0;
    }
    c.json = c.cmd == CMD_SENTENCES || c.cmd == CMD_INCIDENTS || c.cmd == CMD_CODE;
    /* A file size limit (ulimit -f) makes writes fail instead of killing
     * us, so the store can roll back and report it. */
    signal(SIGXFSZ, SIG_IGN);
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = ctx ? casus_doc_new(ctx) : NULL;
    if (!doc) {
        fprintf(stderr, "casus: out of memory\n");
        casus_ctx_free(ctx);
        free(c.inputs);
        return EXIT_FAILED;
    }
    casus_ctx_set_diag(ctx, on_diag, &c);
    if (c.max_doc_bytes)
        casus_ctx_set_max_doc_bytes(ctx, c.max_doc_bytes);
    if ((c.cmd == CMD_PARSE || c.cmd == CMD_INCIDENTS || c.cmd == CMD_CODE) &&
        (casus_models_load(ctx, c.models_dir, &c.models) != CASUS_OK ||
         (c.cmd == CMD_INCIDENTS &&
          (casus_dicts_load(ctx, NULL, &c.dicts) != CASUS_OK ||
           casus_incidents_new(ctx, c.dicts, NULL, &c.incidents) != CASUS_OK)) ||
         (c.cmd == CMD_CODE &&
          (casus_dicts_load(ctx, c.dicts_dir, &c.dicts) != CASUS_OK ||
           casus_coder_new(ctx, c.dicts, 0, &c.coder) != CASUS_OK ||
           casus_incidents_new(ctx, c.dicts, NULL, &c.incidents) != CASUS_OK ||
           casus_responses_new(ctx, &c.responses) != CASUS_OK)))) {
        fprintf(stderr, "casus: %s\n", casus_ctx_message(ctx));
        casus_responses_free(c.responses);
        casus_incidents_free(c.incidents);
        casus_coder_free(c.coder);
        casus_dicts_free(c.dicts);
        casus_models_free(c.models);
        casus_doc_free(doc);
        casus_ctx_free(ctx);
        free(c.inputs);
        return EXIT_FAILED;
    }
    int worst = 0;
    if (c.cmd == CMD_COMPACT) {
        worst = run_compact(&c, ctx);
        c.n_inputs = 0;
    } else if (c.cmd == CMD_QUERY || c.cmd == CMD_EXPORT || c.cmd == CMD_INGEST ||
               c.db) {
        worst = open_store(&c, ctx, argc, argv);
    }
    if (c.cmd == CMD_CODE && c.store)   /* join the incidents of earlier runs */
        casus_store_seed_incidents(c.store, c.incidents);
    if (c.cmd == CMD_QUERY || c.cmd == CMD_EXPORT) {
        if (worst == 0)
            worst = run_reader_command(&c, ctx);
        c.n_inputs = 0;
    }
    for (size_t i = 0; i < c.n_inputs && worst != EXIT_FAILED; i++) {
        int r = c.cmd == CMD_INGEST ? ingest_records(&c, ctx, c.inputs[i]) : -1;
        if (r < 0)
            r = run_input(&c, ctx, doc, c.inputs[i]);
        if (r > worst)
            worst = r;
    }
    if (c.incidents && worst != EXIT_FAILED &&
        (casus_incidents_write(c.incidents, &c.out) != CASUS_OK ||
         (c.responses && casus_responses_write(c.responses, &c.out) != CASUS_OK))) {
        fprintf(stderr, "casus: cannot write output: %s\n", strerror(errno));
        worst = EXIT_FAILED;
    }
    if (c.store && c.cmd != CMD_QUERY && c.cmd != CMD_EXPORT && c.cmd != CMD_COMPACT)
        worst = close_store(&c, ctx, worst);
    casus_store_close(c.store);
    if (worst == 0 && casus_ctx_diag_count(ctx, CASUS_WARNING) > 0)
        worst = EXIT_BADINPUT;
    if (fflush(stdout) != 0 && worst != EXIT_FAILED) {
        fprintf(stderr, "casus: cannot write output: %s\n", strerror(errno));
        worst = EXIT_FAILED;
    }
    casus_doc_free(doc);
    casus_responses_free(c.responses);
    casus_incidents_free(c.incidents);
    casus_coder_free(c.coder);
    casus_dicts_free(c.dicts);
    casus_models_free(c.models);
    casus_ctx_free(ctx);
    free(c.inputs);
    return worst;
}
