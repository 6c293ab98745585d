/*
 * when.c - the date stage: finds date expressions in a sentence's words and
 * resolves each to a range of days with a precision.
 *
 * Where it sits: after tokenization (and optionally tagging); the incident and
 * event stages call when_find() once per sentence, with the publication date
 * and, when they know one, the date of an incident mentioned before (the
 * reference date for "the next day", "two weeks after the attack").
 *
 * How: one left-to-right pass over the words. Each word is classified once
 * (lex(): a number, an ordinal, a month or weekday name, a season, a time
 * unit, a count word, or one of ~60 function words looked up by bisection in
 * a sorted table); words of no class are skipped at the cost of a length
 * check and one bisection, which keeps the stage cheap. Only a word that can
 * start a date (a digit, a month or weekday name, "yesterday", "last",
 * "the", a count, "since", ...) starts the matchers:
 *
 *   match_rel()    yesterday / last week / on Wednesday / two days ago /
 *                  the next day / N units after X
 *   parse_abs()    explicit dates into a partial date (pdate: year, month,
 *                  day, season, decade, early/mid/late), then resolve()
 *                  fills what is missing from the publication date
 *   match_range()  between X and Y, from X to Y, June-August 2018
 *
 * Days are counted as integers (util/date.h), so every range is [lo, hi] in
 * day numbers until it is written out. Invariants: a result's words are
 * contiguous and never overlap the next result's; lo <= hi; impossible dates
 * are never returned (a warning diagnostic names them instead).
 *
 * The conventions (which Wednesday "on Wednesday" means, what "early June"
 * covers, how a missing year is chosen) are listed in docs/ARCHITECTURE.md,
 * "Dates".
 */
#include "when.h"

#include <string.h>

#include "ctx.h"
#include "doc.h"
#include "util/date.h"

/* ---------------------------------------------------------------- lexicon */

enum kind {
    K_NONE = 0, K_PUNCT, K_NUM, K_ORD, K_DECADE, K_ISO, K_NUMDATE,
    K_MONTH, K_WDAY, K_SEASON, K_UNIT, K_COUNT, K_WORD,
    K_ORDW      /* first .. fourth */
};

enum unit { U_NONE = 0, U_HOUR, U_DAY, U_WEEK, U_FORTNIGHT, U_MONTH, U_YEAR,
            U_DECADE, U_WEEKEND };

/* Vague counts: "a few", "several", "a couple of". */
enum { N_FEW = 100, N_SEVERAL, N_COUPLE };

enum word {
    W_NONE = 0, W_AGO, W_AFTER, W_APPROX, W_AROUND, W_MORE, W_THAN, W_AND,
    W_BEFORE, W_BEGINNING, W_BETWEEN, W_BY, W_DURING, W_EARLIER, W_EARLY,
    W_END, W_MIDDLE, W_NEXT, W_FROM, W_IN, W_LAST, W_LATE, W_LATER, W_MID,
    W_TOD, W_OF, W_ON, W_PAST, W_PREVIOUS, W_SAME, W_SINCE, W_THAT, W_THE,
    W_THIS, W_THROUGH, W_UNTIL, W_TO, W_TODAY, W_TOMORROW, W_TONIGHT,
    W_YESTERDAY, W_FOR, W_HALF, W_QUARTER
};

/* Parts of a month, year or decade. */
enum { P_NONE = 0, P_EARLY, P_MID, P_LATE };

#define LF_CAP 0x1u     /* only with a capital first letter (month, weekday) */
#define LF_ABBR 0x2u    /* an abbreviation: never a date on its own */
#define LF_PLURAL 0x4u

typedef struct lex_entry {
    const char *w;      /* lower case; the table is sorted by strcmp */
    uint8_t kind;
    uint8_t id;
    uint8_t flags;
} lex_entry;

static const lex_entry lexicon[] = {
    {"a", K_COUNT, 1, 0},
    {"about", K_WORD, W_APPROX, 0},
    {"after", K_WORD, W_AFTER, 0},
    {"afternoon", K_WORD, W_TOD, 0},
    {"afterwards", K_WORD, W_AFTER, 0},
    {"ago", K_WORD, W_AGO, 0},
    {"almost", K_WORD, W_APPROX, 0},
    {"an", K_COUNT, 1, 0},
    {"and", K_WORD, W_AND, 0},
    {"approximately", K_WORD, W_APPROX, 0},
    {"apr", K_MONTH, 4, LF_CAP|LF_ABBR},
    {"apr.", K_MONTH, 4, LF_CAP|LF_ABBR},
    {"april", K_MONTH, 4, LF_CAP},
    {"around", K_WORD, W_AROUND, 0},
    {"aug", K_MONTH, 8, LF_CAP|LF_ABBR},
    {"aug.", K_MONTH, 8, LF_CAP|LF_ABBR},
    {"august", K_MONTH, 8, LF_CAP},
    {"autumn", K_SEASON, 3, 0},
    {"before", K_WORD, W_BEFORE, 0},
    {"beginning", K_WORD, W_BEGINNING, 0},
    {"between", K_WORD, W_BETWEEN, 0},
    {"by", K_WORD, W_BY, 0},
    {"couple", K_COUNT, N_COUPLE, 0},
    {"day", K_UNIT, U_DAY, 0},
    {"days", K_UNIT, U_DAY, LF_PLURAL},
    {"dec", K_MONTH, 12, LF_CAP|LF_ABBR},
    {"dec.", K_MONTH, 12, LF_CAP|LF_ABBR},
    {"decade", K_UNIT, U_DECADE, 0},
    {"decades", K_UNIT, U_DECADE, LF_PLURAL},
    {"december", K_MONTH, 12, LF_CAP},
    {"during", K_WORD, W_DURING, 0},
    {"earlier", K_WORD, W_EARLIER, 0},
    {"early", K_WORD, W_EARLY, 0},
    {"eight", K_COUNT, 8, 0},
    {"eleven", K_COUNT, 11, 0},
    {"end", K_WORD, W_END, 0},
    {"evening", K_WORD, W_TOD, 0},
    {"fall", K_SEASON, 3, 0},
    {"feb", K_MONTH, 2, LF_CAP|LF_ABBR},
    {"feb.", K_MONTH, 2, LF_CAP|LF_ABBR},
    {"february", K_MONTH, 2, LF_CAP},
    {"few", K_COUNT, N_FEW, 0},
    {"fifteen", K_COUNT, 15, 0},
    {"first", K_ORDW, 1, 0},
    {"five", K_COUNT, 5, 0},
    {"following", K_WORD, W_NEXT, 0},
    {"for", K_WORD, W_FOR, 0},
    {"fortnight", K_UNIT, U_FORTNIGHT, 0},
    {"fortnights", K_UNIT, U_FORTNIGHT, LF_PLURAL},
    {"four", K_COUNT, 4, 0},
    {"fourth", K_ORDW, 4, 0},
    {"fri.", K_WDAY, 4, LF_CAP|LF_ABBR},
    {"friday", K_WDAY, 4, LF_CAP},
    {"from", K_WORD, W_FROM, 0},
    {"half", K_WORD, W_HALF, 0},
    {"hour", K_UNIT, U_HOUR, 0},
    {"hours", K_UNIT, U_HOUR, LF_PLURAL},
    {"in", K_WORD, W_IN, 0},
    {"jan", K_MONTH, 1, LF_CAP|LF_ABBR},
    {"jan.", K_MONTH, 1, LF_CAP|LF_ABBR},
    {"january", K_MONTH, 1, LF_CAP},
    {"jul", K_MONTH, 7, LF_CAP|LF_ABBR},
    {"jul.", K_MONTH, 7, LF_CAP|LF_ABBR},
    {"july", K_MONTH, 7, LF_CAP},
    {"jun", K_MONTH, 6, LF_CAP|LF_ABBR},
    {"jun.", K_MONTH, 6, LF_CAP|LF_ABBR},
    {"june", K_MONTH, 6, LF_CAP},
    {"last", K_WORD, W_LAST, 0},
    {"late", K_WORD, W_LATE, 0},
    {"later", K_WORD, W_LATER, 0},
    {"mar", K_MONTH, 3, LF_CAP|LF_ABBR},
    {"mar.", K_MONTH, 3, LF_CAP|LF_ABBR},
    {"march", K_MONTH, 3, LF_CAP},
    {"may", K_MONTH, 5, LF_CAP},
    {"mid", K_WORD, W_MID, 0},
    {"middle", K_WORD, W_MIDDLE, 0},
    {"mon.", K_WDAY, 0, LF_CAP|LF_ABBR},
    {"monday", K_WDAY, 0, LF_CAP},
    {"month", K_UNIT, U_MONTH, 0},
    {"months", K_UNIT, U_MONTH, LF_PLURAL},
    {"more", K_WORD, W_MORE, 0},
    {"morning", K_WORD, W_TOD, 0},
    {"nearly", K_WORD, W_APPROX, 0},
    {"next", K_WORD, W_NEXT, 0},
    {"night", K_WORD, W_TOD, 0},
    {"nine", K_COUNT, 9, 0},
    {"nov", K_MONTH, 11, LF_CAP|LF_ABBR},
    {"nov.", K_MONTH, 11, LF_CAP|LF_ABBR},
    {"november", K_MONTH, 11, LF_CAP},
    {"oct", K_MONTH, 10, LF_CAP|LF_ABBR},
    {"oct.", K_MONTH, 10, LF_CAP|LF_ABBR},
    {"october", K_MONTH, 10, LF_CAP},
    {"of", K_WORD, W_OF, 0},
    {"on", K_WORD, W_ON, 0},
    {"one", K_COUNT, 1, 0},
    {"past", K_WORD, W_PAST, 0},
    {"preceding", K_WORD, W_PREVIOUS, 0},
    {"previous", K_WORD, W_PREVIOUS, 0},
    {"prior", K_WORD, W_BEFORE, 0},
    {"quarter", K_WORD, W_QUARTER, 0},
    {"roughly", K_WORD, W_APPROX, 0},
    {"same", K_WORD, W_SAME, 0},
    {"sat.", K_WDAY, 5, LF_CAP|LF_ABBR},
    {"saturday", K_WDAY, 5, LF_CAP},
    {"second", K_ORDW, 2, 0},
    {"sep", K_MONTH, 9, LF_CAP|LF_ABBR},
    {"sep.", K_MONTH, 9, LF_CAP|LF_ABBR},
    {"sept", K_MONTH, 9, LF_CAP|LF_ABBR},
    {"sept.", K_MONTH, 9, LF_CAP|LF_ABBR},
    {"september", K_MONTH, 9, LF_CAP},
    {"seven", K_COUNT, 7, 0},
    {"several", K_COUNT, N_SEVERAL, 0},
    {"since", K_WORD, W_SINCE, 0},
    {"six", K_COUNT, 6, 0},
    {"some", K_WORD, W_APPROX, 0},
    {"spring", K_SEASON, 1, 0},
    {"start", K_WORD, W_BEGINNING, 0},
    {"summer", K_SEASON, 2, 0},
    {"sun.", K_WDAY, 6, LF_CAP|LF_ABBR},
    {"sunday", K_WDAY, 6, LF_CAP},
    {"ten", K_COUNT, 10, 0},
    {"than", K_WORD, W_THAN, 0},
    {"that", K_WORD, W_THAT, 0},
    {"the", K_WORD, W_THE, 0},
    {"third", K_ORDW, 3, 0},
    {"thirty", K_COUNT, 30, 0},
    {"this", K_WORD, W_THIS, 0},
    {"three", K_COUNT, 3, 0},
    {"through", K_WORD, W_THROUGH, 0},
    {"throughout", K_WORD, W_THROUGH, 0},
    {"thu.", K_WDAY, 3, LF_CAP|LF_ABBR},
    {"thur.", K_WDAY, 3, LF_CAP|LF_ABBR},
    {"thurs.", K_WDAY, 3, LF_CAP|LF_ABBR},
    {"thursday", K_WDAY, 3, LF_CAP},
    {"till", K_WORD, W_UNTIL, 0},
    {"to", K_WORD, W_TO, 0},
    {"today", K_WORD, W_TODAY, 0},
    {"tomorrow", K_WORD, W_TOMORROW, 0},
    {"tonight", K_WORD, W_TONIGHT, 0},
    {"tue.", K_WDAY, 1, LF_CAP|LF_ABBR},
    {"tues.", K_WDAY, 1, LF_CAP|LF_ABBR},
    {"tuesday", K_WDAY, 1, LF_CAP},
    {"twelve", K_COUNT, 12, 0},
    {"twenty", K_COUNT, 20, 0},
    {"two", K_COUNT, 2, 0},
    {"until", K_WORD, W_UNTIL, 0},
    {"wed.", K_WDAY, 2, LF_CAP|LF_ABBR},
    {"wednesday", K_WDAY, 2, LF_CAP},
    {"week", K_UNIT, U_WEEK, 0},
    {"weekend", K_UNIT, U_WEEKEND, 0},
    {"weeks", K_UNIT, U_WEEK, LF_PLURAL},
    {"winter", K_SEASON, 4, 0},
    {"year", K_UNIT, U_YEAR, 0},
    {"years", K_UNIT, U_YEAR, LF_PLURAL},
    {"yesterday", K_WORD, W_YESTERDAY, 0},
};

#define N_LEXICON (sizeof lexicon / sizeof lexicon[0])

/* letter_start[c - 'a']: the first entry whose word starts at or after c, so
 * a lookup bisects only the words of one letter. Checked by
 * when_lexicon_sorted() (and so by the unit tests) after every edit. */
static const uint8_t letter_start[27] = {
    0, 18, 22, 23, 31, 37, 54, 54, 57, 58, 67, 67, 70, 82,
    89, 95, 99, 100, 101, 120, 145, 146, 146, 152, 152, 155, 155};

/* letter_lens[c - 'a']: bit n set when a word of n letters starts with c,
 * so that most words are turned away before the bisection. Checked by
 * when_lexicon_sorted() too. */
static const uint16_t letter_lens[26] = {
    0x267e, 0x2c4, 0x40, 0x1d8, 0xe8, 0x7f8, 0x0, 0x30, 0x4, 0x98, 0x0, 0x30, 0xf8,
    0x178, 0x9c, 0x330, 0x80, 0x80, 0x3f8, 0x5fc, 0x20, 0x0, 0x2f0, 0x0, 0x230, 0x0};

int when_lexicon_sorted(void)
{
    for (size_t i = 1; i < N_LEXICON; i++)
        if (strcmp(lexicon[i - 1].w, lexicon[i].w) >= 0)
            return 0;
    uint16_t lens[26] = {0};
    for (size_t i = 0; i < N_LEXICON; i++) {
        size_t l = strlen(lexicon[i].w);
        unsigned c = (unsigned)(unsigned char)lexicon[i].w[0] - 'a';
        if (c >= 26 || l >= 16)
            return 0;
        lens[c] = (uint16_t)(lens[c] | 1u << l);
    }
    if (memcmp(lens, letter_lens, sizeof lens) != 0)
        return 0;
    for (size_t k = 0; k < 27; k++) {
        size_t i = 0;
        while (i < N_LEXICON && (unsigned char)lexicon[i].w[0] < 'a' + k)
            i++;
        if (letter_start[k] != i)
            return 0;
    }
    return 1;
}

/* One word, classified. v, v2, v3 hold numbers: a number's value, a decade's
 * first year, an ISO or numeric date's three fields. */
typedef struct lex {
    uint8_t kind;
    uint8_t id;         /* month 1..12, weekday 0..6 (Monday 0), season
                           1..4, unit, count, word, punctuation char */
    uint8_t flags;      /* LF_* */
    uint8_t part;       /* P_MID for "mid-January", "mid-2017" */
    uint8_t ndig;       /* digits of a number */
    int v, v2, v3;
} lex;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Reads up to 9 digits at p[*i]; -1 when there are none or too many (a
 * number that would overflow is no date). *nd gets the digit count. */
static int read_num(const char *p, size_t n, size_t *i, int *nd)
{
    int v = 0, k = 0;
    while (*i < n && is_digit(p[*i])) {
        if (++k > 9)
            return -1;
        v = v * 10 + (p[*i] - '0');
        (*i)++;
    }
    *nd = k;
    return k ? v : -1;
}

static void lex_digits(const char *p, size_t n, lex *x)
{
    size_t i = 0;
    int nd, v = read_num(p, n, &i, &nd);
    if (v < 0)
        return;
    if (i == n) {
        x->kind = K_NUM;
        x->v = v;
        x->ndig = (uint8_t)nd;
        return;
    }
    size_t rest = n - i;
    if (rest == 2 && nd <= 2) {
        char a = lower(p[i]), b = lower(p[i + 1]);
        if ((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
            (a == 'r' && b == 'd') || (a == 't' && b == 'h')) {
            if (v >= 1 && v <= 31) {
                x->kind = K_ORD;
                x->v = v;
                x->ndig = (uint8_t)nd;
            }
            return;
        }
    }
    if (rest == 1 && lower(p[i]) == 's' && v % 10 == 0 && (nd == 4 || nd == 2)) {
        x->kind = K_DECADE;
        x->ndig = (uint8_t)nd;
        x->v = nd == 4 ? v : (v >= 30 ? 1900 + v : 2000 + v);
        return;
    }
    /* yyyy-mm-dd; a/b/c and a.b.c numeric dates. */
    char sep = p[i];
    if (sep != '-' && sep != '/' && sep != '.')
        return;
    i++;
    int nd2, v2 = read_num(p, n, &i, &nd2);
    if (v2 < 0 || i >= n || p[i] != sep)
        return;
    i++;
    int nd3, v3 = read_num(p, n, &i, &nd3);
    if (v3 < 0 || i != n)
        return;
    if (nd == 4 && nd2 == 2 && nd3 == 2 && sep != '.') {
        x->kind = K_ISO;        /* 2024-01-03, 2024/01/03 */
        x->v = v, x->v2 = v2, x->v3 = v3;
        return;
    }
    if (sep == '-' || nd > 2 || nd2 > 2 || (nd3 != 2 && nd3 != 4))
        return;
    int y = nd3 == 4 ? v3 : (v3 < 50 ? 2000 + v3 : 1900 + v3);
    int m = v, d = v2;              /* 06/07/2017: US order */
    if (sep == '.' || (m > 12 && d <= 12))
        m = v2, d = v;              /* 12.03.2024, 25/12/2023: day first */
    x->kind = K_NUMDATE;
    x->v = y, x->v2 = m, x->v3 = d;
}

static const lex_entry *lex_lookup(const char *w, size_t n)
{
    if (w[0] < 'a' || w[0] > 'z')
        return NULL;
    size_t lo = letter_start[w[0] - 'a'], hi = letter_start[w[0] - 'a' + 1];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *e = lexicon[mid].w;
        size_t k = 0;
        int c = 0;
        while (k < n && e[k] && (c = (unsigned char)w[k] - (unsigned char)e[k]) == 0)
            k++;
        if (c == 0)
            c = k < n ? 1 : (e[k] ? -1 : 0);
        if (c == 0)
            return &lexicon[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void lex_word(const char *p, size_t n, lex *x)
{
    char w[16];
    if (n > 13)         /* the longest word in the table */
        return;
    unsigned c0 = (unsigned)(unsigned char)lower(p[0]) - 'a';
    if (c0 >= 26 || !((letter_lens[c0] >> n) & 1u))
        return;
    for (size_t i = 0; i < n; i++) {
        char c = lower(p[i]);
        if (!((c >= 'a' && c <= 'z') || c == '.' || c == '-'))
            return;
        w[i] = c;
    }
    /* "mid-January", "mid-2017", "mid-1990s": the tokenizer keeps mid- */
    if (n > 4 && memcmp(w, "mid-", 4) == 0)
        return;
    const lex_entry *e = lex_lookup(w, n);
    if (!e || ((e->flags & LF_CAP) && !(p[0] >= 'A' && p[0] <= 'Z')))
        return;
    x->kind = e->kind;
    x->id = e->id;
    x->flags = e->flags;
}

static lex lex_token(const casus_token *t)
{
    lex x;
    memset(&x, 0, sizeof x);
    const char *p = t->form.p;
    size_t n = t->form.n;
    if (n == 0)
        return x;
    if (is_digit(p[0])) {
        lex_digits(p, n, &x);
        return x;
    }
    if (n == 1) {
        char c = p[0];
        if (c == '-' || c == ',' || c == '\'' || c == '/' || c == '.') {
            x.kind = K_PUNCT;
            x.id = (uint8_t)c;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return x;
    }
    if (n == 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80) {
        unsigned char c = (unsigned char)p[2];
        if (c == 0x93 || c == 0x94 || c == 0x90 || c == 0x91) {   /* – — ‐ ‑ */
            x.kind = K_PUNCT;
            x.id = '-';
        } else if (c == 0x99 || c == 0x98) {                      /* ’ ‘ */
            x.kind = K_PUNCT;
            x.id = '\'';
        }
        return x;
    }
    if (n > 4 && lower(p[0]) == 'm' && lower(p[1]) == 'i' && lower(p[2]) == 'd' &&
        p[3] == '-') {
        if (is_digit(p[4]))
            lex_digits(p + 4, n - 4, &x);
        else
            lex_word(p + 4, n - 4, &x);
        if (x.kind == K_MONTH || x.kind == K_DECADE || (x.kind == K_NUM && x.ndig == 4))
            x.part = P_MID;
        else
            memset(&x, 0, sizeof x);
        return x;
    }
    lex_word(p, n, &x);
    return x;
}

/* ---------------------------------------------------------------- scanner */

#define CACHE 32

typedef struct scan {
    const when_env *env;
    const casus_token *w;
    size_t n;
    long pub, ref;          /* day numbers, valid when has_pub / has_ref */
    int has_pub, has_ref;
    lex cache[CACHE];
    size_t tag[CACHE];      /* word index + 1 held in the slot; 0 empty */
} scan;

static const lex lex_none = {0, 0, 0, 0, 0, 0, 0, 0};

/* The class of word i (K_NONE past the end). Lookahead and lookbehind are
 * short, so a small direct-mapped cache means each word is lexed ~once. */
static lex L(scan *s, size_t i)
{
    if (i >= s->n)
        return lex_none;
    size_t k = i % CACHE;
    if (s->tag[k] != i + 1) {
        s->cache[k] = lex_token(&s->w[i]);
        s->tag[k] = i + 1;
    }
    return s->cache[k];
}

static int is_w(scan *s, size_t i, int id)
{
    lex x = L(s, i);
    return x.kind == K_WORD && x.id == id;
}

static int is_p(scan *s, size_t i, char c)
{
    lex x = L(s, i);
    return x.kind == K_PUNCT && x.id == (uint8_t)c;
}

static int is_unit(scan *s, size_t i, int u)
{
    lex x = L(s, i);
    return x.kind == K_UNIT && x.id == u;
}

/* A day number: 1- or 2-digit number or an ordinal. */
static int day_num(lex x)
{
    if ((x.kind == K_NUM && x.ndig <= 2) || x.kind == K_ORD)
        return x.v;
    return -1;
}

static int adjacent(scan *s, size_t i)
{
    return i + 1 < s->n && s->w[i].end == s->w[i + 1].start;
}

/* Whether word i is `s` exactly, ignoring case. */
static int word_is(scan *s, size_t i, const char *w)
{
    size_t k = strlen(w);
    if (i >= s->n || s->w[i].form.n != k)
        return 0;
    for (size_t j = 0; j < k; j++)
        if (lower(s->w[i].form.p[j]) != w[j])
            return 0;
    return 1;
}

/* ---------------------------------------------------------------- results */

typedef struct res {
    size_t first, last;     /* words, inclusive */
    long lo, hi;
    uint8_t prec, flags, anchor;
} res;

static void diag(scan *s, size_t first, size_t last, const char *why)
{
    const when_env *e = s->env;
    if (!e->ctx)
        return;
    const casus_token *a = &s->w[first], *b = &s->w[last];
    int len = (int)(b->form.p + b->form.n - a->form.p);
    ctx_diag(e->ctx, CASUS_WARNING, e->file, e->line, e->doc_id, (int64_t)a->start,
             "%s \"%.*s\" (bytes %zu-%zu): not a date", why, len, a->form.p,
             a->start, b->end);
}

/* Sets r to a range resolved against the publication date. */
static void set_pub(scan *s, res *r, long lo, long hi, int prec)
{
    r->lo = lo, r->hi = hi;
    r->prec = (uint8_t)prec;
    r->flags |= WHEN_RELATIVE;
    r->anchor = WHEN_ANCHOR_PUB;
    if (!s->has_pub)
        r->flags |= WHEN_UNRESOLVED;
}

static long month_start(int y, int m)
{
    while (m < 1)
        m += 12, y--;
    while (m > 12)
        m -= 12, y++;
    return date_to_days(y, m, 1);
}

static long month_end(int y, int m)
{
    return month_start(y, m + 1) - 1;
}

static casus_date dd(long days)
{
    return date_from_days(days);
}

/* ---------------------------------------------------------------- partial dates */

typedef struct pdate {
    int y, m, d, d2;        /* 0 when absent; d2 ends "3-5 June" */
    int y2;                 /* ends "2017-2019" */
    int season;             /* 1 spring .. 4 winter */
    int decade;             /* 1990 for "the 1990s" */
    int part;               /* P_EARLY, P_MID, P_LATE */
    int wday;               /* stated weekday, -1 if none */
    int week;               /* "the first (1) .. fourth (4), last (5) week of" */
    int m2;                 /* quarters and halves: months m .. m2 of y */
    int rel;                /* "the end of the year": U_YEAR or U_MONTH of
                               the publication date */
} pdate;

static void pdate_init(pdate *p)
{
    memset(p, 0, sizeof *p);
    p->wday = -1;
}

static int plausible_year(int y)
{
    return y >= 1000 && y <= 2199;
}

/* After a bare year introduced by a weak context word ("of 2000 soldiers",
 * "by 2000 votes"): a following lower-case word makes it a count. */
static int count_not_year(scan *s, size_t j)
{
    static const char *const ok[] = {"and", "when", "while", "to", "until", "in",
                                      "as", "after", "before", "but", "that"};
    if (j >= s->n)
        return 0;
    const casus_token *t = &s->w[j];
    if (t->form.n == 0 || !(t->form.p[0] >= 'a' && t->form.p[0] <= 'z'))
        return 0;
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
        if (word_is(s, j, ok[k]))
            return 0;
    return 1;
}

/* A year between "the" and the attack it dates: "the 2017 parliament and
 * mausoleum attacks", "the 2008 Mumbai attacks"; not "the 2000 soldiers",
 * nor a year that names an event rather than dating the report ("The 2018
 * elections were marred by violence"). The attack noun comes within four
 * words, before any punctuation. */
static int dates_event(scan *s, size_t j)
{
    static const char *const ev[] = {
        "attack", "attacks", "bombing", "bombings", "blast", "blasts", "shooting",
        "shootings", "massacre", "killings", "assassination", "hijacking", "siege",
        "raid", "raids", "strikes", "airstrikes", "invasion", NULL};
    for (size_t k = j; k < s->n && k < j + 5; k++) {
        if (L(s, k).kind == K_PUNCT)
            return 0;
        for (size_t e = 0; ev[e]; e++)
            if (word_is(s, k, ev[e]))
                return 1;
    }
    return 0;
}

/* Context words before a bare year or month name. Strong ones (2) make a
 * following number a year whatever comes next; weak ones (1) only when no
 * lower-case word follows. */
static int context_of(scan *s, size_t i)
{
    if (i == 0)
        return 0;
    lex x = L(s, i - 1);
    if (x.kind != K_WORD)
        return 0;
    switch (x.id) {
    case W_IN: case W_SINCE: case W_DURING: case W_UNTIL: case W_THROUGH:
    case W_BEFORE: case W_AFTER: case W_BETWEEN: case W_EARLY: case W_LATE:
    case W_MID:
        return 2;
    case W_BY: case W_OF: case W_FROM: case W_TO: case W_AND: case W_AROUND:
    case W_FOR:
        return 1;
    default:
        return 0;
    }
}

static size_t parse_core(scan *s, size_t i, int ctx, pdate *p);

/* An explicit date starting at word i; returns the word after it, 0 if none. */
static size_t parse_abs(scan *s, size_t i, int ctx, pdate *p)
{
    pdate_init(p);
    lex a = L(s, i);
    if (a.kind == K_WDAY) {
        /* "Wednesday, January 3, 2024", "Wed., Jan. 3" */
        size_t k = i + 1;
        if (is_p(s, k, ','))
            k++;
        size_t e = parse_core(s, k, 0, p);
        if (!e || !p->d) {
            pdate_init(p);
            return 0;
        }
        p->wday = a.id;
        return e;
    }
    return parse_core(s, i, ctx, p);
}

static size_t parse_core(scan *s, size_t i, int ctx, pdate *p)
{
    size_t j = i;
    int the = 0;
    pdate_init(p);
    if (is_w(s, j, W_THE)) {
        the = 1;
        j++;
    }
    lex a = L(s, j);
    if (a.kind == K_WORD && (a.id == W_END || a.id == W_BEGINNING || a.id == W_MIDDLE) &&
        is_w(s, j + 1, W_OF)) {
        p->part = a.id == W_END ? P_LATE : a.id == W_MIDDLE ? P_MID : P_EARLY;
        j += 2;
        ctx = 2;
    } else if (a.kind == K_WORD && (a.id == W_EARLY || a.id == W_MID || a.id == W_LATE)) {
        p->part = a.id == W_EARLY ? P_EARLY : a.id == W_MID ? P_MID : P_LATE;
        j++;
        if (is_p(s, j, '-'))
            j++;
        ctx = 2;
    }
    if (the && p->part == P_NONE && is_w(s, j + 2, W_OF) &&
        (L(s, j).kind == K_ORDW || is_w(s, j, W_LAST))) {
        /* the first week of June; the third quarter of 2019; the second half of 2020 */
        int nth = L(s, j).kind == K_ORDW ? L(s, j).id : 5;
        lex u = L(s, j + 1), m = L(s, j + 3);
        size_t k = j + 3;
        if (u.kind == K_UNIT && u.id == U_WEEK && !(u.flags & LF_PLURAL) && m.kind == K_MONTH) {
            p->week = nth, p->m = m.id;
            k++;
            lex y = L(s, k + is_w(s, k, W_OF));
            if (y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
                p->y = y.v;
                k += 1 + (size_t)is_w(s, k, W_OF);
            }
            return k;
        }
        int span = u.kind == K_WORD && u.id == W_QUARTER ? 3 : u.kind == K_WORD && u.id == W_HALF ? 6 : 0;
        if (nth == 5)
            nth = 12 / (span ? span : 12);
        if (span && nth * span <= 12 && m.kind == K_NUM && m.ndig == 4 && plausible_year(m.v)) {
            p->y = m.v, p->m = (nth - 1) * span + 1, p->m2 = nth * span;
            return k + 1;
        }
        return 0;
    }
    if (p->part && is_w(s, j, W_THE) && L(s, j + 1).kind == K_UNIT &&
        (L(s, j + 1).id == U_YEAR || L(s, j + 1).id == U_MONTH) &&
        !(L(s, j + 1).flags & LF_PLURAL)) {
        p->rel = L(s, j + 1).id;            /* the start of the year */
        return j + 2;
    }
    if (the && p->part == P_NONE && is_unit(s, j, U_YEAR) && !(L(s, j).flags & LF_PLURAL)) {
        j++;                            /* "the year 2018" */
        ctx = 2;
    }
    a = L(s, j);
    if (a.part) {
        if (p->part)
            return 0;
        p->part = a.part;
        ctx = 2;
    }
    int dn = day_num(a);
    switch (a.kind) {
    case K_ISO:
    case K_NUMDATE:
        if (the || p->part)
            return 0;
        p->y = a.v, p->m = a.v2, p->d = a.v3;
        return j + 1;
    case K_MONTH:
        p->m = a.id;
        j++;
        if (!p->part && day_num(L(s, j)) >= 0) {
            p->d = day_num(L(s, j));
            j++;
            if (is_p(s, j, '-') && day_num(L(s, j + 1)) >= 0) {
                p->d2 = day_num(L(s, j + 1));
                j += 2;
            }
            size_t k = j + is_p(s, j, ',');
            lex y = L(s, k);
            if (y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
                p->y = y.v;
                j = k + 1;
            }
            return j;
        }
        {
            lex y = L(s, j);
            if (y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
                p->y = y.v;
                return j + 1;
            }
            y = L(s, j + 1);
            if (is_w(s, j, W_OF) && y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
                p->y = y.v;
                return j + 2;
            }
        }
        if ((a.flags & LF_ABBR) || !(ctx || p->part))
            return 0;
        return j;
    case K_NUM:
        if (a.ndig == 4 && !the && !p->part && is_p(s, j + 1, '-') && is_p(s, j + 3, '-') &&
            adjacent(s, j) && adjacent(s, j + 1) && adjacent(s, j + 2) &&
            adjacent(s, j + 3) && L(s, j + 2).kind == K_NUM && L(s, j + 2).ndig == 2 &&
            L(s, j + 4).kind == K_NUM && L(s, j + 4).ndig == 2) {
            /* 2024-01-03 split at its hyphens */
            p->y = a.v, p->m = L(s, j + 2).v, p->d = L(s, j + 4).v;
            return j + 5;
        }
        if (a.ndig == 4) {
            if ((!ctx && !(the && !p->part && dates_event(s, j + 1))) || a.v < 1800 ||
                a.v > 2100)
                return 0;
            p->y = a.v;
            j++;
            lex b = L(s, j + 1);
            if (is_p(s, j, '-') && b.kind == K_NUM) {
                int y2 = b.ndig == 4 ? b.v : b.ndig == 2 ? a.v / 100 * 100 + b.v : 0;
                if (is_p(s, j + 2, '-'))
                    return 0;           /* 2024-99-99: neither a range nor a date */
                if (y2 > a.v && y2 <= 2100) {
                    p->y2 = y2;
                    j += 2;
                }
            }
            if (ctx == 1 && !p->part && count_not_year(s, j))
                return 0;
            return j;
        }
        /* a day number */
        /* FALLTHROUGH */
    case K_ORD:
        if (dn < 0 || p->part)
            return 0;
        {
            size_t k = j + 1;
            int d2 = 0;
            if (is_p(s, k, '-') && day_num(L(s, k + 1)) >= 0) {
                d2 = day_num(L(s, k + 1));
                k += 2;
            }
            int of = is_w(s, k, W_OF);
            lex m = L(s, k + of);
            if (m.kind == K_MONTH) {
                p->d = dn, p->d2 = d2, p->m = m.id;
                k += (size_t)of + 1;
                size_t q = k + is_p(s, k, ',');
                lex y = L(s, q);
                if (y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
                    p->y = y.v;
                    k = q + 1;
                }
                return k;
            }
            /* "on the 3rd" */
            if (the && a.kind == K_ORD && !d2 && i > 0 && is_w(s, i - 1, W_ON)) {
                lex nx = L(s, j + 1);
                if (j + 1 >= s->n || (nx.kind == K_PUNCT && nx.id != '-') ||
                    (s->w[j + 1].form.n == 1 && !((s->w[j + 1].form.p[0] | 32) >= 'a' &&
                                                  (s->w[j + 1].form.p[0] | 32) <= 'z'))) {
                    p->d = dn;
                    return j + 1;
                }
            }
        }
        return 0;
    case K_DECADE:
        if (a.ndig == 2 && !the && !(j > 0 && is_p(s, j - 1, '\'')))
            return 0;
        p->decade = a.v;
        return j + 1;
    case K_PUNCT:
        if (a.id == '\'' && adjacent(s, j) && L(s, j + 1).kind == K_DECADE &&
            L(s, j + 1).ndig == 2) {
            p->decade = L(s, j + 1).v;
            return j + 2;
        }
        return 0;
    case K_SEASON: {
        lex y = L(s, j + 1);
        if (y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
            p->season = a.id, p->y = y.v;
            return j + 2;
        }
        y = L(s, j + 2);
        if (is_w(s, j + 1, W_OF) && y.kind == K_NUM && y.ndig == 4 && plausible_year(y.v)) {
            p->season = a.id, p->y = y.v;
            return j + 3;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* The range of a part of [lo, hi] split in three (a month: 1-10, 11-20,
 * 21-end; a year: Jan-Apr, May-Aug, Sep-Dec; a decade: 0-3, 4-6, 7-9). */
static void apply_part_month(int part, int y, int m, long *lo, long *hi)
{
    if (part == P_EARLY)
        *hi = date_to_days(y, m, 10);
    else if (part == P_MID)
        *lo = date_to_days(y, m, 11), *hi = date_to_days(y, m, 20);
    else if (part == P_LATE)
        *lo = date_to_days(y, m, 21);
}

static void season_range(int season, int y, long *lo, long *hi)
{
    /* Meteorological seasons, northern hemisphere; winter Y is Dec Y - Feb Y+1. */
    static const int first[5] = {0, 3, 6, 9, 12};
    *lo = month_start(y, first[season]);
    *hi = month_end(y, first[season] + 2);
}

/* Resolves p (words first..last) into r. 1: done (possibly unresolved for
 * want of a publication date); 0: impossible (a diagnostic was given). */
static int resolve(scan *s, pdate *p, size_t first, size_t last, res *r)
{
    r->first = first, r->last = last;
    r->flags = 0, r->anchor = WHEN_ANCHOR_NONE;
    if (p->rel) {
        int prec = p->rel == U_YEAR ? WHEN_PREC_YEAR : WHEN_PREC_MONTH;
        set_pub(s, r, 0, 0, prec);
        if (!s->has_pub)
            return 1;
        p->y = s->env->pub.year;
        if (p->rel == U_MONTH)
            p->m = s->env->pub.month;
        p->rel = 0;
        res x = *r;
        resolve(s, p, first, last, &x);
        r->lo = x.lo, r->hi = x.hi;
        return 1;
    }
    if (p->m2) {
        r->lo = month_start(p->y, p->m), r->hi = month_end(p->y, p->m2);
        r->prec = WHEN_PREC_MONTH;
        return 1;
    }
    if (p->decade) {
        int y0 = p->decade, y1 = p->decade + 9;
        if (p->part == P_EARLY)
            y1 = y0 + 3;
        else if (p->part == P_MID)
            y0 += 4, y1 = y0 + 2;
        else if (p->part == P_LATE)
            y0 += 7;
        r->lo = date_to_days(y0, 1, 1), r->hi = date_to_days(y1, 12, 31);
        r->prec = WHEN_PREC_DECADE;
        return 1;
    }
    if (p->d && !p->m) {                /* "on the 3rd": this month or the last */
        r->prec = WHEN_PREC_DAY;
        if (!s->has_pub) {
            set_pub(s, r, 0, 0, WHEN_PREC_DAY);
            return 1;
        }
        casus_date pd = s->env->pub;
        p->y = pd.year, p->m = pd.month;
        if (p->d > pd.day && --p->m < 1)
            p->m = 12, p->y--;
        if (!date_valid(p->y, p->m, p->d)) {
            diag(s, first, last, "impossible date");
            return 0;
        }
        long d = date_to_days(p->y, p->m, p->d);
        set_pub(s, r, d, d, WHEN_PREC_DAY);
        return 1;
    }
    if (p->m && (p->m < 1 || p->m > 12)) {
        diag(s, first, last, "impossible date");
        return 0;
    }
    if (p->d && (p->d > date_days_in_month(2000, p->m) || p->d < 1 ||
                 (p->d2 && (p->d2 <= p->d || p->d2 > date_days_in_month(2000, p->m))))) {
        diag(s, first, last, "impossible date");
        return 0;
    }
    if (p->m && !p->y) {
        /* The year is the publication year unless that puts the date more
         * than two months after publication: news looks back. */
        r->anchor = WHEN_ANCHOR_PUB;
        r->prec = p->d ? WHEN_PREC_DAY : WHEN_PREC_MONTH;
        if (!s->has_pub) {
            r->flags |= WHEN_UNRESOLVED;
            r->lo = r->hi = 0;
            return 1;
        }
        p->y = s->env->pub.year;
        if (date_to_days(p->y, p->m, p->d ? p->d : 1) > s->pub + 61)
            p->y--;
    }
    if (p->d) {
        if (!date_valid(p->y, p->m, p->d)) {
            diag(s, first, last, "impossible date");
            return 0;
        }
        r->lo = date_to_days(p->y, p->m, p->d);
        r->hi = p->d2 ? date_to_days(p->y, p->m, p->d2) : r->lo;
        r->prec = WHEN_PREC_DAY;
        if (p->wday >= 0 && date_weekday(r->lo) != p->wday) {
            diag(s, first, last, "weekday contradicts the date in");
            return 0;
        }
        return 1;
    }
    if (p->m && p->week) {
        r->lo = month_start(p->y, p->m), r->hi = month_end(p->y, p->m);
        if (p->week == 5)
            r->lo = r->hi - 6;
        else
            r->lo += 7L * (p->week - 1), r->hi = r->lo + 6;
        r->prec = WHEN_PREC_WEEK;
        return 1;
    }
    if (p->m) {
        r->lo = month_start(p->y, p->m), r->hi = month_end(p->y, p->m);
        apply_part_month(p->part, p->y, p->m, &r->lo, &r->hi);
        r->prec = WHEN_PREC_MONTH;
        return 1;
    }
    if (p->season) {
        season_range(p->season, p->y, &r->lo, &r->hi);
        r->prec = WHEN_PREC_SEASON;
        return 1;
    }
    if (p->y) {
        r->lo = date_to_days(p->y, 1, 1);
        r->hi = date_to_days(p->y2 ? p->y2 : p->y, 12, 31);
        if (p->part == P_EARLY)
            r->hi = date_to_days(p->y, 4, 30);
        else if (p->part == P_MID)
            r->lo = date_to_days(p->y, 5, 1), r->hi = date_to_days(p->y, 8, 31);
        else if (p->part == P_LATE)
            r->lo = date_to_days(p->y, 9, 1);
        r->prec = WHEN_PREC_YEAR;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- relative dates */

/* Day numbers of a count of units from base (sign -1 back, +1 forward):
 * days exactly; weeks as the week around the day; months and years as the
 * whole calendar month or year. 0 when the count is absurd. */
static int shift(long base, int sign, int n, int unit, long *lo, long *hi)
{
    casus_date b = dd(base);
    int y = b.year, m = b.month;
    switch (unit) {
    case U_HOUR:
        *lo = sign < 0 ? base - 1 : base, *hi = sign < 0 ? base : base + 1;
        return 1;
    case U_DAY:
        if (n > 36500)
            return 0;
        *lo = *hi = base + (long)sign * n;
        return 1;
    case U_WEEK:
    case U_FORTNIGHT: {
        if (n > 5200)
            return 0;
        long c = base + (long)sign * n * (unit == U_WEEK ? 7 : 14);
        *lo = c - 3, *hi = c + 3;
        return 1;
    }
    case U_MONTH:
        if (n > 1200)
            return 0;
        *lo = month_start(y, m + sign * n), *hi = month_end(y, m + sign * n);
        return 1;
    case U_YEAR:
    case U_DECADE:
        if (n > 300)
            return 0;
        y += sign * n * (unit == U_DECADE ? 10 : 1);
        if (y < 1 || y > 9999)
            return 0;
        *lo = date_to_days(y, 1, 1), *hi = date_to_days(y, 12, 31);
        return 1;
    default:
        return 0;
    }
}

static int unit_prec(int unit)
{
    switch (unit) {
    case U_HOUR: case U_DAY: return WHEN_PREC_DAY;
    case U_WEEK: case U_FORTNIGHT: case U_WEEKEND: return WHEN_PREC_WEEK;
    case U_MONTH: return WHEN_PREC_MONTH;
    default: return WHEN_PREC_YEAR;
    }
}

/* A count at word j: "two", "10", "a", "a few", "several", "a couple of".
 * Returns the word after it, 0 if none. */
static size_t parse_count(scan *s, size_t j, int *lo, int *hi)
{
    lex a = L(s, j);
    if (a.kind == K_NUM && a.ndig <= 5 && a.v >= 1) {
        *lo = *hi = a.v;
        return j + 1;
    }
    if (a.kind != K_COUNT)
        return 0;
    lex b = L(s, j + 1);
    if (a.id == 1 && b.kind == K_COUNT && b.id == N_FEW) {
        *lo = 2, *hi = 4;
        return j + 2;
    }
    if (a.id == 1 && b.kind == K_COUNT && b.id == N_COUPLE && is_w(s, j + 2, W_OF)) {
        *lo = *hi = 2;
        return j + 3;
    }
    if (a.id == N_SEVERAL) {
        *lo = 3, *hi = 7;
        return j + 1;
    }
    if (a.id == N_FEW || a.id == N_COUPLE)
        return 0;
    *lo = *hi = a.id;
    return j + 1;
}

static size_t match_count(scan *s, size_t i, res *r, int *ok)
{
    size_t j = i;
    if (is_w(s, j, W_APPROX) || is_w(s, j, W_AROUND)) {
        r->flags |= WHEN_APPROX;
        j++;
    } else if (is_w(s, j, W_MORE) && is_w(s, j + 1, W_THAN)) {
        r->flags |= WHEN_APPROX;
        j += 2;
    }
    int lo, hi;
    size_t k = parse_count(s, j, &lo, &hi);
    lex u = L(s, k);
    if (!k) {
        /* "days later", "weeks after": a vague count */
        u = L(s, j);
        if (u.kind != K_UNIT || !(u.flags & LF_PLURAL))
            return 0;
        if (j > 0 && s->w[j - 1].form.n && is_digit(s->w[j - 1].form.p[0]))
            return 0;           /* a number we could not read: not vague */
        lo = 2, hi = 6, k = j;
    }
    if (u.kind != K_UNIT || u.id == U_WEEKEND)
        return 0;
    lex d = L(s, k + 1);
    if (d.kind != K_WORD)
        return 0;
    int sign, from_ref = 1;
    switch (d.id) {
    case W_AGO: sign = -1, from_ref = 0; break;
    case W_LATER: case W_AFTER: sign = 1; break;
    case W_EARLIER: case W_BEFORE: sign = -1; break;
    default: return 0;
    }
    size_t e = k + 2;
    long base = 0;
    int have = 0;
    r->first = i, r->last = e - 1;
    r->flags |= WHEN_RELATIVE;
    if (!from_ref) {
        r->anchor = WHEN_ANCHOR_PUB;
        base = s->pub, have = s->has_pub;
    } else {
        r->anchor = WHEN_ANCHOR_REF;
        base = s->ref, have = s->has_ref;
        if (d.id == W_AFTER || d.id == W_BEFORE) {
            /* "two days after January 3": anchored in the phrase itself */
            pdate p;
            res x;
            memset(&x, 0, sizeof x);
            size_t e2 = parse_abs(s, e, 2, &p);
            if (e2 && resolve(s, &p, e, e2 - 1, &x) && !(x.flags & WHEN_UNRESOLVED)) {
                base = sign > 0 ? x.hi : x.lo, have = 1;
                r->anchor = WHEN_ANCHOR_TEXT;
                r->last = e2 - 1;
                e = e2;
            }
        }
    }
    r->prec = (uint8_t)unit_prec(u.id);
    if (u.id == U_DAY && lo != hi)
        r->prec = WHEN_PREC_WEEK;
    if (!have) {
        r->flags |= WHEN_UNRESOLVED;
        *ok = 1;
        return e;
    }
    long a0, a1, b0, b1;
    if (!shift(base, sign, lo, u.id, &a0, &a1) || !shift(base, sign, hi, u.id, &b0, &b1))
        return 0;
    r->lo = a0 < b0 ? a0 : b0;
    r->hi = a1 > b1 ? a1 : b1;
    *ok = 1;
    return e;
}

/* Whether the sentence speaks of the future before word i: then a bare
 * weekday is the next one, not the last. */
static int future_before(scan *s, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (word_is(s, k, "will") || word_is(s, k, "'ll") || word_is(s, k, "wo") ||
            word_is(s, k, "shall") || word_is(s, k, "scheduled") ||
            word_is(s, k, "\xE2\x80\x99ll"))
            return 1;
    return 0;
}

/* "on Wednesday" (mode 0), "last Wednesday" (-1), "next Wednesday" (+1)
 * at word j; r->first is set by the caller. */
static size_t match_weekday(scan *s, size_t j, int mode, res *r, int *ok)
{
    lex a = L(s, j);
    if (a.kind != K_WDAY || (a.flags & LF_ABBR))
        return 0;
    size_t e = j + 1;
    if (is_w(s, e, W_TOD))
        e++;
    r->last = e - 1;
    long d = 0;
    if (s->has_pub) {
        int pw = date_weekday(s->pub);
        int back = (pw - a.id + 7) % 7, fwd = (a.id - pw + 7) % 7;
        if (mode < 0)
            d = s->pub - (back ? back : 7);
        else if (mode > 0)
            d = s->pub + (fwd ? fwd : 7);
        else if (future_before(s, j))
            d = s->pub + fwd;
        else
            d = s->pub - back;
    }
    set_pub(s, r, d, d, WHEN_PREC_DAY);
    *ok = 1;
    return e;
}

/* [pub - n units, pub]: "the past week", "the last three days". */
static int window(scan *s, int n, int unit, long *lo)
{
    casus_date p = s->env->pub;
    switch (unit) {
    case U_DAY: if (n > 36500) return 0; *lo = s->pub - n; return 1;
    case U_WEEK: if (n > 5200) return 0; *lo = s->pub - 7L * n; return 1;
    case U_FORTNIGHT: if (n > 2600) return 0; *lo = s->pub - 14L * n; return 1;
    case U_MONTH: {
        if (n > 1200)
            return 0;
        long first = month_start(p.year, p.month - n);
        long last = month_end(p.year, p.month - n);
        long d = first + p.day - 1;
        *lo = d > last ? last : d;
        return 1;
    }
    case U_YEAR:
        if (n > 300 || p.year - n < 1)
            return 0;
        *lo = date_to_days(p.year - n, p.month, p.month == 2 && p.day == 29 ? 28 : p.day);
        return 1;
    default:
        return 0;
    }
}

/* last / this / next / past + unit, month, season or weekday at word i. */
static size_t match_calendar(scan *s, size_t i, int dir, int past, res *r, int *ok)
{
    casus_date p = s->env->pub;
    size_t j = i + 1;
    lex b = L(s, j);
    long lo = 0, hi = 0;
    int prec;
    r->first = i;
    if (dir < 0 || past) {
        int n0, n1;
        size_t k = parse_count(s, j, &n0, &n1);
        if (k && n0 == n1 && L(s, k).kind == K_UNIT && (L(s, k).flags & LF_PLURAL)) {
            r->last = k;
            if (s->has_pub && !window(s, n0, L(s, k).id, &lo))
                return 0;
            set_pub(s, r, lo, s->pub, unit_prec(L(s, k).id));
            *ok = 1;
            return k + 1;
        }
    }
    if (b.kind == K_UNIT && !(b.flags & LF_PLURAL)) {
        if (past) {
            if (s->has_pub && !window(s, 1, b.id, &lo))
                return 0;
            r->last = j;
            set_pub(s, r, lo, s->pub, unit_prec(b.id));
            *ok = 1;
            return j + 1;
        }
        long mon = s->pub - date_weekday(s->pub);
        switch (b.id) {
        case U_WEEK: lo = mon + 7L * dir, hi = lo + 6, prec = WHEN_PREC_WEEK; break;
        case U_MONTH:
            lo = month_start(p.year, p.month + dir), hi = month_end(p.year, p.month + dir);
            prec = WHEN_PREC_MONTH;
            break;
        case U_YEAR:
            lo = date_to_days(p.year + dir, 1, 1), hi = date_to_days(p.year + dir, 12, 31);
            prec = WHEN_PREC_YEAR;
            break;
        case U_WEEKEND:
            if (dir > 0)
                return 0;
            lo = mon + (dir < 0 ? -2 : 5), hi = lo + 1, prec = WHEN_PREC_WEEK;
            break;
        default:
            return 0;
        }
        r->last = j;
        set_pub(s, r, lo, hi, prec);
        *ok = 1;
        return j + 1;
    }
    if (past)
        return 0;
    if (b.kind == K_MONTH && !(b.flags & LF_ABBR)) {
        int y = p.year;
        if (dir < 0 && b.id >= p.month)
            y--;
        else if (dir > 0 && b.id <= p.month)
            y++;
        r->last = j;
        set_pub(s, r, month_start(y, b.id), month_end(y, b.id), WHEN_PREC_MONTH);
        *ok = 1;
        return j + 1;
    }
    if (b.kind == K_SEASON) {
        int y = p.year;
        if (s->has_pub) {
            if (dir < 0) {
                season_range(b.id, y, &lo, &hi);
                while (hi >= s->pub)
                    season_range(b.id, --y, &lo, &hi);
            } else if (dir > 0) {
                season_range(b.id, y - 1, &lo, &hi);
                y--;
                while (lo <= s->pub)
                    season_range(b.id, ++y, &lo, &hi);
            } else {
                if (b.id == 4 && p.month <= 2)
                    y--;
                season_range(b.id, y, &lo, &hi);
            }
        }
        r->last = j;
        set_pub(s, r, lo, hi, WHEN_PREC_SEASON);
        *ok = 1;
        return j + 1;
    }
    if (b.kind == K_WDAY)
        return match_weekday(s, j, dir, r, ok);
    return 0;
}

/* A date relative to the publication or the reference date at word i. */
static size_t match_rel(scan *s, size_t i, res *r, int *ok)
{
    lex a = L(s, i);
    lex b = L(s, i + 1);
    r->first = i;
    if (a.kind == K_WDAY)
        return match_weekday(s, i, 0, r, ok);
    if (a.kind == K_COUNT || a.kind == K_NUM || a.kind == K_UNIT)
        return match_count(s, i, r, ok);
    if (a.kind != K_WORD)
        return 0;
    switch (a.id) {
    case W_YESTERDAY: case W_TODAY: case W_TOMORROW: case W_TONIGHT: {
        long off = a.id == W_YESTERDAY ? -1 : a.id == W_TOMORROW ? 1 : 0;
        size_t e = i + 1 + (size_t)(b.kind == K_WORD && b.id == W_TOD);
        r->last = e - 1;
        set_pub(s, r, s->pub + off, s->pub + off, WHEN_PREC_DAY);
        *ok = 1;
        return e;
    }
    case W_LAST:
        if (b.kind == K_WORD && b.id == W_TOD) {    /* "last night" */
            r->last = i + 1;
            set_pub(s, r, s->pub - 1, s->pub - 1, WHEN_PREC_DAY);
            *ok = 1;
            return i + 2;
        }
        return match_calendar(s, i, -1, 0, r, ok);
    case W_THIS:
        if (b.kind == K_WORD && b.id == W_TOD) {    /* "this morning" */
            r->last = i + 1;
            set_pub(s, r, s->pub, s->pub, WHEN_PREC_DAY);
            *ok = 1;
            return i + 2;
        }
        return match_calendar(s, i, 0, 0, r, ok);
    case W_NEXT:
        return match_calendar(s, i, 1, 0, r, ok);
    case W_PAST:
        return match_calendar(s, i, -1, 1, r, ok);
    case W_EARLIER:
    case W_LATER: {
        int early = a.id == W_EARLIER;
        if (b.kind == K_WORD && b.id == W_TODAY) {
            r->last = i + 1;
            set_pub(s, r, s->pub, s->pub, WHEN_PREC_DAY);
            *ok = 1;
            return i + 2;
        }
        lex u = L(s, i + 2);
        if (!(b.kind == K_WORD && b.id == W_THIS && u.kind == K_UNIT) || (u.flags & LF_PLURAL))
            return 0;
        casus_date p = s->env->pub;
        long lo, hi;
        if (u.id == U_WEEK) {
            lo = s->pub - date_weekday(s->pub), hi = lo + 6;
        } else if (u.id == U_MONTH) {
            lo = month_start(p.year, p.month), hi = month_end(p.year, p.month);
        } else if (u.id == U_YEAR) {
            lo = date_to_days(p.year, 1, 1), hi = date_to_days(p.year, 12, 31);
        } else {
            return 0;
        }
        if (early)
            hi = s->pub;
        else
            lo = s->pub;
        r->last = i + 2;
        set_pub(s, r, lo, hi, unit_prec(u.id));
        *ok = 1;
        return i + 3;
    }
    case W_EARLY: case W_LATE: case W_MID:
        if (b.kind == K_WDAY)
            return match_weekday(s, i + 1, 0, r, ok);
        return 0;
    case W_APPROX: case W_AROUND: case W_MORE:
        return match_count(s, i, r, ok);
    case W_THE:
    case W_THAT:
        break;
    default:
        return 0;
    }
    /* the / that ... */
    lex c = L(s, i + 2);
    int shiftby = 0, unit = U_NONE;
    size_t e = 0;
    if (a.id == W_THE && b.kind == K_WORD && (b.id == W_PAST || b.id == W_LAST)) {
        e = match_calendar(s, i + 1, -1, 1, r, ok);     /* "the past week" */
        r->first = i;
        return e;
    }
    if (a.id == W_THE && b.kind == K_UNIT && b.id == U_WEEKEND) {
        long lo = s->pub - date_weekday(s->pub) - 2;      /* the weekend just past */
        if (date_weekday(s->pub) >= 5)
            lo += 7;
        r->last = i + 1;
        set_pub(s, r, lo, lo + 1, WHEN_PREC_WEEK);
        *ok = 1;
        return i + 2;
    }
    if (a.id == W_THE && b.kind == K_UNIT && b.id == U_DAY && !(b.flags & LF_PLURAL) &&
        c.kind == K_WORD && (c.id == W_BEFORE || c.id == W_AFTER)) {
        lex d = L(s, i + 3);
        int sign = c.id == W_BEFORE ? -1 : 1;
        if (d.kind == K_WORD && (d.id == W_YESTERDAY || d.id == W_TOMORROW)) {
            long x = s->pub + 2L * sign;        /* the day before yesterday */
            r->last = i + 3;
            set_pub(s, r, x, x, WHEN_PREC_DAY);
            *ok = 1;
            return i + 4;
        }
        shiftby = sign, unit = U_DAY, e = i + 3;
    } else if (a.id == W_THE && b.kind == K_WORD &&
               (b.id == W_NEXT || b.id == W_PREVIOUS || b.id == W_SAME)) {
        shiftby = b.id == W_NEXT ? 1 : b.id == W_PREVIOUS ? -1 : 0;
        if (c.kind == K_UNIT && !(c.flags & LF_PLURAL) && c.id != U_WEEKEND && c.id != U_HOUR)
            unit = c.id;
        else if (c.kind == K_WORD && c.id == W_TOD)
            unit = U_DAY;
        else
            return 0;
        if (b.id == W_SAME && unit != U_DAY)
            return 0;
        e = i + 3;
    } else if (a.id == W_THAT) {
        if (b.kind == K_UNIT && !(b.flags & LF_PLURAL) && b.id != U_WEEKEND && b.id != U_HOUR)
            unit = b.id;
        else if (b.kind == K_WORD && b.id == W_TOD)
            unit = U_DAY;
        else
            return 0;
        e = i + 2;
    } else {
        return 0;
    }
    r->last = e - 1;
    r->flags |= WHEN_RELATIVE;
    r->anchor = WHEN_ANCHOR_REF;
    r->prec = (uint8_t)unit_prec(unit);
    *ok = 1;
    if (!s->has_ref) {
        r->flags |= WHEN_UNRESOLVED;
        return e;
    }
    casus_date f = s->env->ref;
    long mon = s->ref - date_weekday(s->ref);
    switch (unit) {
    case U_DAY: r->lo = r->hi = s->ref + shiftby; break;
    case U_WEEK: r->lo = mon + 7L * shiftby, r->hi = r->lo + 6; break;
    case U_FORTNIGHT: r->lo = s->ref + 14L * shiftby - 3, r->hi = r->lo + 6; break;
    case U_MONTH:
        r->lo = month_start(f.year, f.month + shiftby);
        r->hi = month_end(f.year, f.month + shiftby);
        break;
    default:
        r->lo = date_to_days(f.year + shiftby, 1, 1);
        r->hi = date_to_days(f.year + shiftby, 12, 31);
        break;
    }
    return e;
}

/* ---------------------------------------------------------------- ranges and bounds */

static int finer(int a, int b)
{
    return a < b ? a : b;
}

/* Joins X and Y into one range; a fresh pdate X borrows the year (and the
 * month) it lacks from Y: "between 3 and 5 June", "from June to August
 * 2018". 0 when the two do not make a range (dropped with a diagnostic). */
static int join(scan *s, pdate *x, size_t x0, size_t x1, pdate *y, size_t y0, size_t y1,
                res *r)
{
    if (x->d && !x->m) {
        if (!y->m)
            return -1;
        x->m = y->m, x->y = y->y;
    }
    if (!x->y && y->y && !x->decade && !y->decade && !x->season) {
        x->y = y->y;
        if (x->m && y->m && (x->m > y->m || (x->m == y->m && x->d > y->d)))
            x->y--;
    }
    res a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    if (!resolve(s, x, x0, x1, &a) || !resolve(s, y, y0, y1, &b))
        return 0;
    r->prec = (uint8_t)finer(a.prec, b.prec);
    r->flags |= (uint8_t)(a.flags | b.flags);
    r->anchor = a.anchor > b.anchor ? a.anchor : b.anchor;
    if (r->flags & WHEN_UNRESOLVED)
        return 1;
    if (a.lo > b.hi) {
        diag(s, x0, y1, "reversed range");
        return 0;
    }
    r->lo = a.lo, r->hi = b.hi;
    return 1;
}

static size_t match_date(scan *s, size_t i, int ctx, res *r, int *ok);

/* between X and Y; from X to Y. 0 when it is not a range. */
static size_t match_range(scan *s, size_t i, res *r, int *ok)
{
    int between = is_w(s, i, W_BETWEEN);
    pdate x, y;
    size_t e1 = parse_abs(s, i + 1, 2, &x);
    if (!e1 && day_num(L(s, i + 1)) >= 0) {
        pdate_init(&x);
        x.d = day_num(L(s, i + 1));
        e1 = i + 2;
    }
    if (!e1)
        return 0;
    lex c = L(s, e1);
    if (between ? !(c.kind == K_WORD && c.id == W_AND)
                : !((c.kind == K_WORD && (c.id == W_TO || c.id == W_UNTIL ||
                                          c.id == W_THROUGH)) ||
                    (c.kind == K_PUNCT && c.id == '-')))
        return 0;
    size_t e2 = parse_abs(s, e1 + 1, 2, &y);
    if (!e2)
        return 0;
    r->first = i, r->last = e2 - 1;
    int j = join(s, &x, i + 1, e1 - 1, &y, e1 + 1, e2 - 1, r);
    if (j < 0)
        return 0;
    *ok = j;
    return e2;
}

/* An explicit or relative date at word i. */
static size_t match_date(scan *s, size_t i, int ctx, res *r, int *ok)
{
    pdate p;
    size_t e = parse_abs(s, i, ctx, &p);
    if (e) {
        pdate q;
        size_t e2;
        if (p.m && !p.d && !p.y && !p.part && is_p(s, e, '-') &&
            (e2 = parse_abs(s, e + 1, 2, &q)) != 0 && q.m && !q.d) {
            /* "June-August 2018" */
            r->first = i, r->last = e2 - 1;
            *ok = join(s, &p, i, e - 1, &q, e + 1, e2 - 1, r) > 0;
            return e2;
        }
        *ok = resolve(s, &p, i, e - 1, r);
        return e;
    }
    return match_rel(s, i, r, ok);
}

/* Whether word class a may start a date; everything else is skipped. */
static int can_start(lex a)
{
    switch (a.kind) {
    case K_NONE:
        return 0;
    case K_PUNCT:
        return a.id == '\'';
    case K_WORD:
        switch (a.id) {
        case W_AND: case W_IN: case W_OF: case W_ON: case W_TO: case W_TOD:
        case W_THAN: case W_AGO: case W_DURING: case W_THROUGH: case W_PREVIOUS:
        case W_SAME: case W_FOR:
            return 0;
        default:
            return 1;
        }
    default:
        return 1;
    }
}

static size_t match_at(scan *s, size_t i, res *r, int *ok)
{
    lex a = L(s, i);
    *ok = 0;
    memset(r, 0, sizeof *r);
    if (a.kind == K_WORD && (a.id == W_BETWEEN || a.id == W_FROM)) {
        size_t e = match_range(s, i, r, ok);
        if (e)
            return e;
        memset(r, 0, sizeof *r);
        *ok = 0;
    }
    if (a.kind == K_WORD && (a.id == W_SINCE || a.id == W_UNTIL || a.id == W_BEFORE ||
                             a.id == W_AFTER || a.id == W_BY)) {
        size_t e = match_date(s, i + 1, a.id == W_BY ? 1 : 2, r, ok);
        if (!e || !*ok)
            return e;
        r->first = i;
        if (a.id == W_SINCE) {
            r->flags |= WHEN_SINCE;
            if (s->has_pub && !(r->flags & WHEN_UNRESOLVED) && s->pub >= r->lo)
                r->hi = s->pub;
        } else {
            r->flags |= a.id == W_AFTER ? WHEN_AFTER : WHEN_BEFORE;
        }
        return e;
    }
    return match_date(s, i, context_of(s, i), r, ok);
}

/* ---------------------------------------------------------------- API */

size_t when_find(const when_env *env, const casus_token *w, size_t n,
                 when_date *out, size_t cap)
{
    scan s;
    s.env = env;
    s.w = w;
    s.n = n;
    s.has_pub = date_valid(env->pub.year, env->pub.month, env->pub.day);
    s.has_ref = date_valid(env->ref.year, env->ref.month, env->ref.day);
    s.pub = s.has_pub ? date_days(env->pub) : 0;
    s.ref = s.has_ref ? date_days(env->ref) : 0;
    memset(s.tag, 0, sizeof s.tag);
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        if (!can_start(L(&s, i))) {
            i++;
            continue;
        }
        res r;
        int ok;
        size_t e = match_at(&s, i, &r, &ok);
        if (!e) {
            i++;
            continue;
        }
        i = e;
        if (!ok)
            continue;
        when_date *o = &out[k];
        memset(o, 0, sizeof *o);
        o->first = r.first;
        o->n = r.last - r.first + 1;
        o->start = w[r.first].start;
        o->end = w[r.last].end;
        o->precision = r.prec;
        o->flags = r.flags;
        o->anchor = r.anchor;
        if (!(r.flags & WHEN_UNRESOLVED)) {
            o->lo = dd(r.lo);
            o->hi = dd(r.hi);
            if (o->lo.year == 0 || o->hi.year == 0)
                continue;           /* out of the calendar: ignored */
        }
        k++;
    }
    return k;
}

when_env when_env_for_doc(const casus_doc *doc, casus_date ref)
{
    when_env e;
    e.ctx = doc->ctx;
    e.file = buf_cstr(&doc->file);
    e.line = doc->line;
    e.doc_id = buf_cstr(&doc->id);
    e.pub = doc->date;
    e.ref = ref;
    return e;
}

const char *when_precision_name(unsigned p)
{
    static const char *const names[] = {"", "day", "week", "month", "season", "year",
                                        "decade"};
    return p < sizeof names / sizeof names[0] ? names[p] : "";
}
