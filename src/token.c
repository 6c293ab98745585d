/*
 * token.c - the tokenizer: normalised text -> UD words with byte offsets.
 *
 * Pipeline position: after norm.c (valid UTF-8, NFC), before sentence.c.
 * Conventions follow UD English EWT (see token.h and docs/ARCHITECTURE.md).
 *
 * How it works. The text is cut at whitespace into chunks; each chunk is
 * taken apart in three passes, without copying and without regular
 * expressions:
 *   1. prefixes: opening punctuation is peeled from the front, one token per
 *      mark (a run of the same mark, "--" or "...", is one token);
 *      a URL, e-mail address or emoticon swallows the rest of the chunk;
 *   2. suffixes: closing punctuation is peeled from the back onto a small
 *      stack, except a period that ends an abbreviation or initial ("Gen.",
 *      "U.S.", "J."); then one clitic ('s 'm 'd 'll 're 've n't, or the bare
 *      possessive apostrophe of "soldiers'") becomes the last word of the
 *      surface token, marked by CASUS_TOK_JOIN_NEXT on the word before it;
 *   3. infixes: the body is scanned once; punctuation inside it splits it
 *      unless it belongs to a number (1,000 3.5 9/11 3:30), a domain or
 *      abbreviation (Amazon.com, e.g), a name (Qur'an, AT&T), a phone number
 *      (713-853-1411) or a hyphen after a no-split prefix (e-mail, non-state).
 * Lookups (abbreviations, prefixes, contractions without apostrophes) are
 * binary searches in small sorted tables. Words are appended to a vector the
 * caller reuses, so there is no allocation per token.
 *
 * Invariants: tokens are in text order, non-overlapping, non-empty, and every
 * byte of the text that is not whitespace belongs to exactly one token.
 * Invalid UTF-8 (never produced by norm.c, but fuzzed) counts as a letter.
 */
#include "token.h"

#include <string.h>

#include "util/mem.h"
#include "util/utf8.h"

typedef struct tokenizer {
    casus_ctx *ctx;
    const char *t;
    size_t n;
    token_vec *out;
    casus_status st;
    int url_hint;   /* the chunk holds '@' or "://": look for URLs inside */
} tokenizer;

enum { K_SPACE, K_WORD, K_PUNCT };

/* ------------------------------------------------------------ characters */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (unsigned)((c | 32) - 'a') < 26u; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static int lower(int c) { return is_upper(c) ? c + 32 : c; }

static int ascii_kind(unsigned char c)
{
    if (c <= ' ' || c == 0x7f)
        return K_SPACE;
    if (is_alnum(c))
        return K_WORD;
    return K_PUNCT;
}

/* The class of a non-ASCII code point: spaces, punctuation and symbols
 * that stand alone; everything else (letters, marks, digits, U+FFFD) is
 * part of a word. */
static int cp_kind(int32_t cp)
{
    if (cp < 0)
        return K_WORD;
    if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000 || cp == 0xFEFF)
        return K_SPACE;
    if (cp < 0xA0)
        return K_SPACE; /* C1 controls */
    if (cp <= 0xBF) {
        switch (cp) {
        case 0xAA: case 0xAD: case 0xB2: case 0xB3: case 0xB5: case 0xB9:
        case 0xBA: case 0xBC: case 0xBD: case 0xBE:
            return K_WORD;
        default:
            return K_PUNCT;
        }
    }
    if (cp == 0xD7 || cp == 0xF7)
        return K_PUNCT;
    if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E)
        || (cp >= 0x20A0 && cp <= 0x20CF) || cp == 0x2122
        || (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x2500 && cp <= 0x27BF)
        || (cp >= 0x2900 && cp <= 0x2BFF) || (cp >= 0x3001 && cp <= 0x303F)
        || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20)
        || (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65)
        || (cp >= 0x1F000 && cp <= 0x1FAFF))
        return K_PUNCT;
    return K_WORD;
}

/* Decodes the character at i (i < n): its kind, code point and length. */
static size_t char_at(const char *t, size_t n, size_t i, int32_t *cp, int *kind)
{
    unsigned char c = (unsigned char)t[i];
    if (c < 0x80) {
        *cp = c;
        *kind = ascii_kind(c);
        return 1;
    }
    size_t len = utf8_decode((const unsigned char *)t + i, n - i, cp);
    *kind = cp_kind(*cp);
    return len;
}

/* Start of the character that ends at e (e > lo). */
static size_t char_before(const char *t, size_t lo, size_t e)
{
    size_t i = e - 1;
    size_t k = 0;
    while (i > lo && k < 3 && ((unsigned char)t[i] & 0xC0) == 0x80) {
        i--;
        k++;
    }
    return i;
}

static int32_t cp_before(const char *t, size_t lo, size_t e, size_t *start)
{
    size_t i = char_before(t, lo, e);
    int32_t cp;
    int kind;
    char_at(t, e, i, &cp, &kind);
    if (start)
        *start = i;
    return cp;
}

static int is_apos(const char *t, size_t n, size_t i, size_t *len)
{
    if (t[i] == '\'') {
        *len = 1;
        return 1;
    }
    if (i + 3 <= n && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80
        && (unsigned char)t[i + 2] == 0x99) {
        *len = 3; /* U+2019 */
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- tables */

static int cmp_word(const char *a, size_t an, const char *b, int fold)
{
    size_t i = 0;
    for (; i < an && b[i]; i++) {
        int x = fold ? lower((unsigned char)a[i]) : (unsigned char)a[i];
        int y = (unsigned char)b[i];
        if (x != y)
            return x - y;
    }
    if (i < an)
        return 1;
    return b[i] ? -1 : 0;
}

static int in_table(const char *const *tab, size_t nt, const char *w,
                    size_t wn, int fold)
{
    size_t lo = 0, hi = nt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_word(w, wn, tab[mid], fold);
        if (c == 0)
            return (int)mid + 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Abbreviations that keep their period (case-sensitive, sorted by byte).
 * Titles, ranks, months, days, US states, company words and the common
 * Latin and measure abbreviations of news and of UD English EWT. */
static const char *const abbrevs[] = {
    "Adm", "Ala", "Apr", "Ariz", "Ark", "Assn", "Aug", "Ave", "Bros", "Blvd",
    "Brig", "Calif", "Capt", "Cmdr", "Co", "Col", "Colo", "Conn", "Corp",
    "Cos", "Cpl", "Dec", "Del", "Dept", "Det", "Dr", "Esq", "Feb", "Fig",
    "Fla", "Fri", "Ft", "Ga", "Gen", "Gov", "Hon", "Hwy", "Ill", "Inc", "Ind",
    "Insp", "Jan", "Jr", "Jul", "Jun", "Kan", "Kans", "Ky", "La", "Lt",
    "Ltd", "Maj", "Mass", "Md", "Messrs", "Mich", "Minn", "Miss", "Mo",
    "Mon", "Mont", "Mr", "Mrs", "Ms", "Mt", "Neb", "Nev", "Nov", "Oct",
    "Okla", "Ore", "Pa", "Penn", "Pfc", "Plc", "Prof", "Pte", "Pvt", "Rd",
    "Rep", "Reps", "Rev", "Sat", "Sen", "Sens", "Sep", "Sept", "Sgt", "Sr",
    "St", "Supt", "Tenn", "Tex", "Thu", "Thur", "Thurs", "Tue", "Tues",
    "Va", "Vol", "Vt", "Wash", "Wed", "Wis", "Wyo", "al", "approx", "ca",
    "cf", "dept", "eg", "est", "ext", "ft", "ie", "lb", "lbs", "mi",
    "mln", "mos", "oz", "pp", "sq", "vol", "vs", "yrs",
};

/* Words before a hyphen that stays inside the token (lower case, sorted). */
static const char *const hyphen_prefixes[] = {
    "anti", "arch", "co", "counter", "cross", "e", "ex", "inter", "intra",
    "micro", "mid", "mis", "multi", "neo", "non", "over", "post", "pre", "pro",
    "psycho", "re", "semi", "socio", "sub", "ultra", "un",
};

/* Contractions written without an apostrophe: a word and the length of
 * its first part (lower case, sorted). */
static const struct {
    const char *w;
    unsigned char first;
} fused[] = {
    {"aint", 2}, {"arent", 3}, {"cannot", 3}, {"cant", 2}, {"couldnt", 5},
    {"didnt", 3}, {"doesnt", 4}, {"dont", 2}, {"gonna", 3}, {"gotta", 3},
    {"hasnt", 3}, {"havent", 4}, {"isnt", 2}, {"shouldnt", 6}, {"wanna", 3},
    {"wasnt", 3}, {"werent", 4}, {"wont", 2}, {"wouldnt", 5},
};

/* Units written against a number ("5km", "650k"): split off (sorted). */
static const char *const units[] = {
    "GB", "K", "KB", "MB", "cm", "gb", "hr", "hrs", "k", "kb", "kg", "km",
    "kms", "lb", "lbs", "mb", "mg", "min", "mins", "ml", "mm", "mph", "oz",
    "sec", "secs", "yrs",
};

static const char *const emoticons[] = {
    ":(", ":)", ":-(", ":-)", ":-D", ":-P", ":/", ":D", ":P", ":p", ";)",
    ";-)", ";P", "<3", "^_^",
};

static int fused_first(const char *w, size_t wn)
{
    size_t lo = 0, hi = NELEM(fused);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_word(w, wn, fused[mid].w, 1);
        if (c == 0)
            return fused[mid].first;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- output */

static void emit(tokenizer *k, size_t a, size_t b, uint32_t flags)
{
    token_vec *o = k->out;
    if (k->st != CASUS_OK || a >= b)
        return;
    if (o->n == o->cap
        && mem_grow(k->ctx, (void **)&o->v, &o->cap, o->n + 1, sizeof *o->v)
               != CASUS_OK) {
        k->st = CASUS_ENOMEM;
        return;
    }
    casus_token *w = &o->v[o->n++];
    memset(w, 0, sizeof *w);
    w->head = -1;
    w->form.p = k->t + a;
    w->form.n = b - a;
    w->start = a;
    w->end = b;
    w->flags = flags;
}

/* Emits a word, splitting fused contractions ("cannot" -> can + not) and
 * units from numbers ("5km" -> 5 km). */
static void emit_word(tokenizer *k, size_t a, size_t b)
{
    if (is_digit((unsigned char)k->t[a]) && is_alpha((unsigned char)k->t[b - 1])) {
        size_t p = a;
        while (p < b && (is_digit((unsigned char)k->t[p]) || k->t[p] == '.'
                         || k->t[p] == ','))
            p++;
        if (p < b && b - p <= 4 && is_digit((unsigned char)k->t[p - 1])
            && in_table(units, NELEM(units), k->t + p, b - p, 0)) {
            emit(k, a, p, 0);
            emit(k, p, b, 0);
            return;
        }
    }
    if (b - a >= 4 && b - a <= 8 && is_alpha((unsigned char)k->t[a])) {
        int f = fused_first(k->t + a, b - a);
        if (f) {
            emit(k, a, a + (size_t)f, CASUS_TOK_JOIN_NEXT);
            emit(k, a + (size_t)f, b, 0);
            return;
        }
    }
    emit(k, a, b, 0);
}

/* ---------------------------------------------------------------- rules */

/*
 * Is the period at dot the end of an abbreviation? The word before it (ASCII
 * letters and inner periods, back to lo) is an initial ("J"), a dotted
 * abbreviation ("U.S", "e.g", "a.m", "Ph.D") or in the table. "No." counts
 * only before a number.
 */
static int abbrev_before(const char *t, size_t n, size_t lo, size_t dot)
{
    size_t s = dot;
    while (s > lo && (is_alpha((unsigned char)t[s - 1]) || t[s - 1] == '.'))
        s--;
    if (s == dot || t[s] == '.')
        return 0;
    if (s > lo && (is_digit((unsigned char)t[s - 1]) || t[s - 1] == '\''
                   || (unsigned char)t[s - 1] >= 0x80))
        return 0;
    size_t len = dot - s;
    if (len == 1)
        return is_upper((unsigned char)t[s]) && t[s] != 'I';
    if (memchr(t + s, '.', len)) {
        /* Dotted: every part one or two letters. */
        size_t run = 0;
        for (size_t i = s; i < dot; i++) {
            if (t[i] == '.') {
                if (run == 0 || run > 2)
                    return 0;
                run = 0;
            } else {
                run++;
            }
        }
        return run >= 1 && run <= 2;
    }
    if (len == 2 && t[s] == 'N' && t[s + 1] == 'o') {
        size_t j = dot + 1;
        while (j < n && t[j] == ' ')
            j++;
        return j < n && is_digit((unsigned char)t[j]);
    }
    return in_table(abbrevs, NELEM(abbrevs), t + s, len, 0);
}

/* Length of a run of one punctuation mark at i (same character repeated for
 * the marks that repeat: ... -- !!! ?? '' ``). */
static size_t punct_run(const char *t, size_t e, size_t i)
{
    int32_t cp;
    int kind;
    size_t len = char_at(t, e, i, &cp, &kind);
    if (cp < 0x80 && !strchr(".-!?*=_~#'`<>$", (int)cp))
        return len;
    size_t j = i + len;
    if (cp == '.' || cp == '!' || cp == '?') {
        /* "...", "!?", "?!!" */
        while (j < e && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
            j++;
        return j - i;
    }
    while (j + len <= e && memcmp(t + j, t + i, len) == 0)
        j += len;
    return j - i;
}

/* A URL or e-mail address starting at a: its end (trailing punctuation
 * excluded), or 0. Costs a few comparisons unless the text at a is one. */
static size_t url_end(const char *t, size_t a, size_t b)
{
    size_t m = b - a;
    const char *p = t + a;
    if (m < 5 || !is_alnum((unsigned char)p[0]))
        return 0;
    int url = (m > 7 && (memcmp(p, "http://", 7) == 0))
              || (m > 8 && memcmp(p, "https://", 8) == 0)
              || (m > 6 && memcmp(p, "ftp://", 6) == 0)
              || (m > 4 && (memcmp(p, "www.", 4) == 0 || memcmp(p, "WWW.", 4) == 0));
    if (!url) {
        /* name@host.tld: the name is ASCII letters, digits and ._-+ */
        size_t i = 0;
        while (i < m && (is_alnum((unsigned char)p[i]) || p[i] == '.' || p[i] == '_'
                         || p[i] == '-' || p[i] == '+'))
            i++;
        if (i == m || p[i] != '@')
            return 0;
        int dot = 0;
        for (i++; i < m; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c == '.' && i + 1 < m && is_alnum((unsigned char)p[i + 1]))
                dot = 1;
            else if (!is_alnum(c) && c != '-' && c != '.' && c != '_')
                break;
        }
        if (!dot)
            return 0;
        b = a + i;
    }
    size_t e = b;
    while (e > a + 1 && t[e - 1] && strchr(".,;:!?)]}\"'>", t[e - 1]))
        e--;
    return e;
}

static int emoticon_at(const char *t, size_t a, size_t b)
{
    for (size_t i = 0; i < NELEM(emoticons); i++) {
        size_t l = strlen(emoticons[i]);
        if (l == b - a && memcmp(t + a, emoticons[i], l) == 0)
            return 1;
    }
    return 0;
}

/* The clitic at the end of the body [a, e): its start, or e if none. */
static size_t clitic_start(const char *t, size_t a, size_t e)
{
    size_t m = e - a;
    if (m < 3)
        return e;
    /* n't */
    size_t al;
    if (m >= 4 && lower((unsigned char)t[e - 1]) == 't') {
        size_t q = e - 2; /* last byte of the apostrophe */
        size_t qs = t[q] == '\'' ? q : (q >= a + 2 ? q - 2 : q);
        if (is_apos(t, e, qs, &al) && qs + al == e - 1 && qs > a + 1
            && lower((unsigned char)t[qs - 1]) == 'n'
            && is_alpha((unsigned char)t[qs - 2]))
            return qs - 1;
    }
    /* 's 'm 'd 'll 're 've */
    for (size_t cl = 1; cl <= 2; cl++) {
        if (m < cl + 2)
            break;
        size_t c0 = e - cl;
        int a0 = lower((unsigned char)t[c0]);
        int ok = cl == 1 ? (a0 == 's' || a0 == 'm' || a0 == 'd')
                         : ((a0 == 'l' && lower((unsigned char)t[c0 + 1]) == 'l')
                            || (a0 == 'r' && lower((unsigned char)t[c0 + 1]) == 'e')
                            || (a0 == 'v' && lower((unsigned char)t[c0 + 1]) == 'e'));
        if (!ok)
            continue;
        size_t qs = t[c0 - 1] == '\'' ? c0 - 1 : (c0 >= a + 3 ? c0 - 3 : c0);
        if (qs > a && is_apos(t, e, qs, &al) && qs + al == c0) {
            int32_t p = cp_before(t, a, qs, NULL);
            if (p >= 0x80 || is_alnum((int)p))
                return qs;
        }
    }
    return e;
}

/* Is the character at i (of [s,e)) a hyphen that stays inside the word? */
static int keep_hyphen(const char *t, size_t s, size_t i, size_t e)
{
    if (i == s || i + 1 >= e)
        return 0;
    unsigned char p = (unsigned char)t[i - 1], q = (unsigned char)t[i + 1];
    if (is_digit(p) && is_digit(q)) {
        /* Phone numbers: ddd-dddd, ddd-ddd-dddd. */
        size_t d = 0, j = i;
        while (j > s && is_digit((unsigned char)t[j - 1])) {
            j--;
            d++;
        }
        if (d != 3 && d != 1)
            return 0;
        size_t nd = 0;
        j = i + 1;
        while (j < e && is_digit((unsigned char)t[j])) {
            j++;
            nd++;
        }
        if (nd == 4 && (j == e || !is_alnum((unsigned char)t[j])))
            return 1;
        if (d == 1)
            return 0;
        return nd == 3 && j + 5 <= e && t[j] == '-' && is_digit((unsigned char)t[j + 1])
               && is_digit((unsigned char)t[j + 4]);
    }
    if (!is_alpha(p) || (!is_alnum(q) && q < 0x80))
        return 0;
    size_t j = i;
    while (j > s && is_alpha((unsigned char)t[j - 1]))
        j--;
    if (j > s && t[j - 1] != '-')
        return 0;
    return in_table(hyphen_prefixes, NELEM(hyphen_prefixes), t + j, i - j, 1);
}

/* Splits the body [a, e) at the punctuation that does not belong inside a
 * word; returns the index of the last word emitted, or SIZE_MAX if none. */
static void split_body(tokenizer *k, size_t a, size_t e)
{
    const char *t = k->t;
    size_t s = a, i = a;
    while (i < e) {
        /* ASCII letters and digits, most of a word, without char_at */
        unsigned char c = (unsigned char)t[i];
        if (c < 0x80 && is_alnum(c) && !(i == s && k->url_hint && i > a)) {
            i++;
            continue;
        }
        int32_t cp;
        int kind;
        size_t len = char_at(t, e, i, &cp, &kind);
        if (kind != K_PUNCT) {
            if (i == s && k->url_hint && i > a) {
                size_t ue = url_end(t, i, e);
                if (ue) {
                    emit(k, i, ue, 0);
                    s = i = ue;
                    continue;
                }
            }
            i += len;
            continue;
        }
        int prev_an = i > s && is_alnum((unsigned char)t[i - 1]);
        int prev_w = i > s && (prev_an || (unsigned char)t[i - 1] >= 0x80);
        unsigned char nx = i + len < e ? (unsigned char)t[i + len] : 0;
        int keep = 0;
        switch (cp) {
        case '.':
            if ((prev_w || i == s) && (is_alnum(nx) || nx >= 0x80))
                keep = 1; /* 3.5 Amazon.com .5 .doc */
            else if (prev_w && abbrev_before(t, k->n, s, i)) {
                /* "U.S.-led": the period ends the word. */
                emit_word(k, s, i + 1);
                s = i = i + 1;
                continue;
            }
            break;
        case ',':
        case ':':
            keep = i > s && is_digit((unsigned char)t[i - 1]) && is_digit(nx);
            break;
        case '/':
            keep = (i > s && is_digit((unsigned char)t[i - 1]) && is_digit(nx))
                   || (i == s + 1 && is_alpha((unsigned char)t[s]) && is_alpha(nx)
                       && (i + 2 == e || !is_alnum((unsigned char)t[i + 2])));
            break;
        case '-':
            keep = keep_hyphen(t, s, i, e);
            break;
        case '\'':
        case 0x2019:
            keep = prev_w && (is_alpha(nx) || nx >= 0x80);
            break;
        case '&':
            keep = prev_an && is_alnum(nx);
            break;
        case '#':
            keep = i == s && is_alpha(nx); /* #hashtag */
            break;
        case '@':
        case '_':
            keep = prev_w && (is_alnum(nx) || nx >= 0x80);
            break;
        default:
            break;
        }
        if (keep) {
            i += len;
            continue;
        }
        if (i > s)
            emit_word(k, s, i);
        size_t r = punct_run(t, e, i);
        emit(k, i, i + r, 0);
        s = i = i + r;
    }
    if (s < e)
        emit_word(k, s, e);
}

#define MAX_SUFFIX 32

/* Tokenizes one whitespace-free chunk [a, b). */
static void chunk(tokenizer *k, size_t a, size_t b)
{
    const char *t = k->t;
    int open_single = 0;
    /* 1. Prefixes. */
    while (a < b) {
        int32_t cp;
        int kind;
        (void)char_at(t, b, a, &cp, &kind);
        if (kind != K_PUNCT)
            break;
        if (emoticon_at(t, a, b)) {
            emit(k, a, b, 0);
            return;
        }
        if ((cp == '.' || cp == '#') && a + 1 < b && is_alnum((unsigned char)t[a + 1])
            && (cp == '.' || is_alpha((unsigned char)t[a + 1])))
            break; /* .5 .doc #hashtag */
        size_t al;
        if (is_apos(t, b, a, &al) && b - a > al && b - a - al <= 2) {
            /* 's 'm 'd 'll 're 've standing alone ("Bush 's"). */
            int c1 = lower((unsigned char)t[a + al]);
            int c2 = b - a - al == 2 ? lower((unsigned char)t[a + al + 1]) : 0;
            if ((c2 == 0 && (c1 == 's' || c1 == 'm' || c1 == 'd'))
                || (c1 == 'l' && c2 == 'l') || (c1 == 'r' && c2 == 'e')
                || (c1 == 'v' && c2 == 'e')) {
                emit(k, a, b, 0);
                return;
            }
        }
        if (cp == '\'' || cp == 0x2018 || cp == 0x2019)
            open_single = 1;
        size_t r = punct_run(t, b, a);
        emit(k, a, a + r, 0);
        a += r;
    }
    if (a >= b)
        return;
    k->url_hint = memchr(t + a, '@', b - a) != NULL;
    /* a URL starts with http, https, ftp or www, an address has an '@' */
    char c0 = t[a];
    size_t ue = k->url_hint || c0 == 'h' || c0 == 'f' || c0 == 'w' || c0 == 'W'
                    ? url_end(t, a, b)
                    : 0;
    if (ue) {
        emit(k, a, ue, 0);
        if (ue < b)
            chunk(k, ue, b);
        return;
    }
    /* 2. Suffixes, innermost last. */
    size_t sfx[MAX_SUFFIX][2];
    size_t ns = 0;
    size_t e = b;
    size_t poss = 0; /* start of a possessive apostrophe, or 0 */
    while (e > a && ns < MAX_SUFFIX) {
        size_t cs;
        int32_t cp = cp_before(t, a, e, &cs);
        int kind = cp < 0x80 ? ascii_kind((unsigned char)cp) : cp_kind(cp);
        if (kind != K_PUNCT || cs == a)
            break;
        size_t rs = cs;
        if (cp == '.' || cp == '!' || cp == '?') {
            while (rs > a && (t[rs - 1] == '.' || t[rs - 1] == '!' || t[rs - 1] == '?'))
                rs--;
            if (rs == a)
                break;
        } else if (cp < 0x80 && strchr("-*=_~#'`$", (int)cp)) {
            while (rs > a && t[rs - 1] == t[cs])
                rs--;
            if (rs == a)
                break;
        }
        if (cp == '.' && rs == cs && abbrev_before(t, k->n, a, cs))
            break;
        if (cp == '.' && rs + 2 == e && t[rs] == '.' && abbrev_before(t, k->n, a, rs)) {
            /* "Inc.." : the abbreviation's period, then the full stop. */
            sfx[ns][0] = rs + 1;
            sfx[ns][1] = e;
            ns++;
            e = rs + 1;
            break;
        }
        if ((cp == '\'' || cp == 0x2019) && rs == cs && !open_single
            && lower((unsigned char)t[cs - 1]) == 's' && cs - a >= 3
            && is_alpha((unsigned char)t[cs - 2])) {
            poss = cs;
            e = cs;
            break;
        }
        sfx[ns][0] = rs;
        sfx[ns][1] = e;
        ns++;
        e = rs;
    }
    /* Clitic. */
    size_t c, cend;
    if (poss) {
        c = poss;
        cend = poss + (t[poss] == '\'' ? 1 : 3);
    } else {
        c = clitic_start(t, a, e);
        cend = e;
    }
    /* 3. The body. */
    size_t before = k->out->n;
    split_body(k, a, c);
    if (c < cend) {
        if (k->st == CASUS_OK && k->out->n > before)
            k->out->v[k->out->n - 1].flags |= CASUS_TOK_JOIN_NEXT;
        emit(k, c, cend, 0);
    }
    while (ns > 0) {
        ns--;
        emit(k, sfx[ns][0], sfx[ns][1], 0);
    }
}

casus_status token_run(casus_ctx *ctx, const char *text, size_t n,
                       token_vec *out)
{
    tokenizer k = {ctx, text, n, out, CASUS_OK, 0};
    size_t i = 0;
    while (i < n && k.st == CASUS_OK) {
        unsigned char c = (unsigned char)text[i];
        if (c <= ' ' || c == 0x7f) {
            i++;
            continue;
        }
        int32_t cp;
        int kind;
        size_t len;
        if (c >= 0x80) {
            len = char_at(text, n, i, &cp, &kind);
            if (kind == K_SPACE) {
                i += len;
                continue;
            }
        }
        size_t j = i;
        while (j < n) {
            c = (unsigned char)text[j];
            if (c < 0x80) {
                if (c <= ' ' || c == 0x7f)
                    break;
                j++;
                continue;
            }
            len = char_at(text, n, j, &cp, &kind);
            if (kind == K_SPACE)
                break;
            j += len;
        }
        chunk(&k, i, j);
        i = j;
    }
    return k.st;
}
