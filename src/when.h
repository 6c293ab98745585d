/*
 * when.h - the date stage: date expressions in a sentence's words.
 *
 * when_find() scans the words of one sentence and returns every date
 * expression it recognises, each resolved to an inclusive range of calendar
 * days [lo, hi] with a precision:
 *
 *   absolute   "January 3, 2024", "3 Jan", "3rd of January", "2024-01-03",
 *              "06/07/2017" (US order), "June 2017", "in 2018", "mid-January",
 *              "late June 2017", "the 1990s", "summer 2019",
 *              "between 2017 and 2019", "from June to August 2018"
 *   relative   "yesterday", "on Wednesday", "last week", "earlier this month",
 *              "two days ago", "a fortnight ago", "last summer"
 *              -> resolved against the publication date
 *   anchored   "the next day", "almost two weeks after the attack",
 *              "days later" -> resolved against a reference date the caller
 *              supplies (e.g. the date of an incident mentioned before);
 *              unresolved (WHEN_UNRESOLVED) when it supplies none
 *
 * The rules, and what is not supported, are in docs/ARCHITECTURE.md
 * ("Dates"). Nothing is allocated: results go into the caller's array.
 * Impossible dates ("February 30, 2024") and reversed ranges are not
 * returned; each produces a warning diagnostic with its byte offsets.
 */
#ifndef CASUS_WHEN_H
#define CASUS_WHEN_H

#include "casus.h"

/* The unit a date expression states; the range says exactly which days. */
typedef enum when_precision {
    WHEN_PREC_NONE = 0,
    WHEN_PREC_DAY,       /* "January 3", "yesterday", "January 3-5" */
    WHEN_PREC_WEEK,      /* "last week", "three weeks ago", "days later" */
    WHEN_PREC_MONTH,     /* "June 2017", "mid-January", "last month" */
    WHEN_PREC_SEASON,    /* "summer 2019", "last winter" */
    WHEN_PREC_YEAR,      /* "in 2018", "early 2017", "between 2017 and 2019" */
    WHEN_PREC_DECADE     /* "the 1990s", "the late 1980s" */
} when_precision;

/* Flags of a when_date. */
#define WHEN_RELATIVE   0x01u  /* needs an anchor ("yesterday", "last week") */
#define WHEN_UNRESOLVED 0x02u  /* no anchor was known: lo and hi are zero */
#define WHEN_APPROX     0x04u  /* hedged: "almost", "about", "nearly", "some" */
#define WHEN_SINCE      0x08u  /* "since X": lo from X, hi the publication
                                  date (X's end when that is unknown) */
#define WHEN_AFTER      0x10u  /* "after X": the range is X's; the event
                                  is later */
#define WHEN_BEFORE     0x20u  /* "before/until/by X": the range is X's; the
                                  event is not later */

/* What a date was resolved against. */
typedef enum when_anchor {
    WHEN_ANCHOR_NONE = 0,  /* absolute: the text names the date fully */
    WHEN_ANCHOR_PUB,       /* the publication date (also for a year taken
                              from it: "March 8" in a 2024 article) */
    WHEN_ANCHOR_REF,       /* the caller's reference date */
    WHEN_ANCHOR_TEXT       /* a date in the same phrase ("two days after
                              January 3") */
} when_anchor;

typedef struct when_date {
    size_t first, n;       /* words [first, first + n) of the sentence */
    size_t start, end;     /* byte offsets in the document as read */
    casus_date lo, hi;     /* inclusive; all zero when unresolved */
    uint8_t precision;     /* when_precision */
    uint8_t flags;         /* WHEN_* */
    uint8_t anchor;        /* when_anchor */
} when_date;

/*
 * What dates are resolved against, and where diagnostics go. pub is the
 * publication date, ref a reference date for "the next day" / "two weeks
 * after the attack"; either may be all zero (unknown). ctx may be NULL (no
 * diagnostics); file, line and doc_id label them and may be NULL / 0.
 */
typedef struct when_env {
    casus_ctx *ctx;
    const char *file;
    unsigned long line;
    const char *doc_id;
    casus_date pub;
    casus_date ref;
} when_env;

/* An environment for a document: its context, file, line, id and date. */
when_env when_env_for_doc(const casus_doc *doc, casus_date ref);

/*
 * Finds the date expressions in words w[0..n) (one sentence), in text order,
 * writing at most cap of them to out. Returns how many were written.
 * Never fails and allocates nothing; bad dates become diagnostics on
 * env->ctx. Borrowed: w, env.
 */
size_t when_find(const when_env *env, const casus_token *w, size_t n,
                 when_date *out, size_t cap);

/* "day", "week", "month", "season", "year", "decade"; "" for NONE. */
const char *when_precision_name(unsigned p);

/* 1 when the word table is sorted, as its bisection needs (for the tests). */
int when_lexicon_sorted(void);

#endif
