/*
 * dict.c - the dictionary model, casus's own dictionary format, and loading
 * dictionaries from directories (the public casus_dicts_* API).
 *
 * Where it sits: loaded once per run (casus_dicts_load), before any document;
 * the event coder then matches actors, agents and verbs in every sentence
 * through match.h. See dict.h for the representation and
 * docs/DICTIONARIES.md for the format.
 *
 * casus format, in short (one entry per line, '#' comments):
 *
 *   @casus 1 actors
 *   Islamic State | ISIS | ISIL | Daesh           => IMGMUSISI
 *   Hassan Rouhani | Rouhani                      => IRNELI [IRNGOV 2013-08-03..2021-08-03]
 *     | President Rouhani                          (continuation: more names)
 *   @casus 1 agents:    forces | troops => ~MIL          human rights group => NGO~
 *   @casus 1 verbs:     attack => 190    +carry out => 190    shoot {shoots shot shooting} => 193
 *                       &WEAPON = rocket | rockets | missile
 *                       attack: * (with &WEAPON) => 195
 *   @casus 1 discards:  football    +world cup    basketball*   (+ story, * stem)
 *
 * Loading a file is all-or-nothing: on a syntax error everything the file
 * added is rolled back (dict_mark) and the load fails with CASUS_EFORMAT.
 */
#include "dict.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cameo.h"
#include "ctx.h"
#include "match.h"
#include "util/hash.h"
#include "util/mem.h"

#ifndef CASUS_DATADIR
#define CASUS_DATADIR "/usr/local/share/casus"
#endif

/* Warnings printed per file before they are only counted. */
#define DICT_WARN_LIMIT 20

/* ---------------------------------------------------------------- dates */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days from civil (H. Hinnant's algorithm). */
static dict_day days_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (dict_day)(era * 146097 + doe - 719468);
}

dict_day dict_day_from_date(casus_date d)
{
    if (d.year == 0 || d.month < 1 || d.month > 12 || d.day < 1)
        return DICT_DAY_MIN;
    return days_from_ymd(d.year, d.month, d.day);
}

casus_date dict_date_from_day(dict_day z0)
{
    casus_date r = {0, 0, 0};
    if (z0 == DICT_DAY_MIN || z0 == DICT_DAY_MAX)
        return r;
    long z = (long)z0 + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    r.year = (int16_t)(y + (m <= 2));
    r.month = (int8_t)m;
    r.day = (int8_t)d;
    return r;
}

int dict_parse_day(const char *s, size_t n, dict_day *out)
{
    int v[8];
    size_t k = 0;
    int y, m, d;
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        for (size_t i = 0; i < 10; i++) {
            if (i == 4 || i == 7)
                continue;
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v[k++] = s[i] - '0';
        }
        y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
        m = v[4] * 10 + v[5];
        d = v[6] * 10 + v[7];
    } else if (n == 8 || n == 6) {
        for (size_t i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v[k++] = s[i] - '0';
        }
        if (n == 8) {
            y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
            m = v[4] * 10 + v[5];
            d = v[6] * 10 + v[7];
        } else {
            y = v[0] * 10 + v[1];
            y += y <= 30 ? 2000 : 1900;   /* as KEDS, TABARI and PETRARCH */
            m = v[2] * 10 + v[3];
            d = v[4] * 10 + v[5];
        }
    } else {
        return -1;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays(y, m))
        return -1;
    *out = days_from_ymd(y, m, d);
    return 0;
}

/* ---------------------------------------------------------------- strings */

const char *dict_kind_name(dict_kind k)
{
    static const char *const names[] = {"actors", "agents", "verbs", "discards"};
    return k >= 0 && k < DICT_NKINDS ? names[k] : "?";
}

casus_status dict_str(casus_dicts *d, const char *s, size_t n, uint32_t *off)
{
    if (d->strings.n > UINT32_MAX - n - 1)
        return ctx_fail(d->ctx, CASUS_ENOMEM, "dictionary strings exceed 4 GiB");
    *off = (uint32_t)d->strings.n;
    casus_status st = buf_append(d->ctx, &d->strings, s, n);
    if (st == CASUS_OK)
        st = buf_putc(d->ctx, &d->strings, '\0');
    return st;
}

static uint32_t fnv(const char *s, size_t n)
{
    return hash_fnv32_n(HASH_FNV32_BASIS, s, n);
}

static int key_eq(const casus_dicts *d, uint32_t wid, const char *key, size_t n)
{
    const char *w = d->strings.p + d->vocab[wid];
    /* the first byte before the call: most probes of a prefix search
     * meet another word */
    return (!n || w[0] == key[0]) && strncmp(w, key, n) == 0 && w[n] == '\0';
}

/* A slot of the vocabulary hash: the word id in the low 24 bits, the top
 * byte of the word's hash above it, so that a probe reads the word's string
 * only when that byte agrees (the table stays 4 bytes a slot). */
#define SLOT_ID(e) ((e) & 0xffffffu)
#define SLOT_TAG(h) ((uint32_t)(h) >> 24)
#define SLOT(h, w) (SLOT_TAG(h) << 24 | (w))

uint32_t dict_word_find(const casus_dicts *d, const char *key, size_t n)
{
    if (!d->vocab_hash_cap)
        return 0;
    uint32_t hv = fnv(key, n), tag = SLOT_TAG(hv);
    size_t mask = d->vocab_hash_cap - 1, h = hv & mask;
    for (uint32_t e; (e = d->vocab_hash[h]) != 0; h = (h + 1) & mask)
        if (e >> 24 == tag && key_eq(d, SLOT_ID(e), key, n))
            return SLOT_ID(e);
    return 0;
}

void dict_word_prefixes(const casus_dicts *d, const char *key, size_t lo, size_t n,
                        uint32_t *out)
{
    uint32_t h = HASH_FNV32_BASIS;   /* fnv(), one byte at a time */
    size_t mask = d->vocab_hash_cap ? d->vocab_hash_cap - 1 : 0;
    for (size_t l = 1; l <= n; l++) {
        h = hash_fnv32_n(h, key + l - 1, 1);
        out[l - 1] = 0;
        if (l < lo)
            continue;
        if (!d->vocab_hash_cap)
            continue;
        for (size_t i = h & mask; d->vocab_hash[i]; i = (i + 1) & mask) {
            uint32_t e = d->vocab_hash[i];
            if (e >> 24 == SLOT_TAG(h) && key_eq(d, SLOT_ID(e), key, l)) {
                out[l - 1] = SLOT_ID(e);
                break;
            }
        }
    }
}

static casus_status vocab_rehash(casus_dicts *d)
{
    size_t ncap = d->vocab_hash_cap ? d->vocab_hash_cap * 2 : 4096;
    if (ncap > SIZE_MAX / sizeof(uint32_t))
        return ctx_fail(d->ctx, CASUS_ENOMEM, "vocabulary too large");
    uint32_t *t = mem_alloc(d->ctx, ncap * sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, ncap * sizeof *t);
    for (uint32_t w = 1; w < d->n_vocab; w++) {
        const char *s = d->strings.p + d->vocab[w];
        uint32_t hv = fnv(s, strlen(s));
        size_t h = hv & (ncap - 1);
        while (t[h])
            h = (h + 1) & (ncap - 1);
        t[h] = SLOT(hv, w);
    }
    mem_free(d->ctx, d->vocab_hash);
    d->vocab_hash = t;
    d->vocab_hash_cap = ncap;
    return CASUS_OK;
}

casus_status dict_word(casus_dicts *d, const char *key, size_t n, uint32_t *wid)
{
    uint32_t w = dict_word_find(d, key, n);
    if (w) {
        *wid = w;
        return CASUS_OK;
    }
    casus_status st;
    if (d->n_vocab == 0) {   /* id 0 is "no word" */
        if ((st = mem_grow(d->ctx, (void **)&d->vocab, &d->cap_vocab, 1,
                           sizeof *d->vocab)) != CASUS_OK)
            return st;
        d->vocab[0] = 0;
        d->n_vocab = 1;
    }
    if (d->n_vocab >= (1u << 24))   /* 24 bits of a hash slot */
        return ctx_fail(d->ctx, CASUS_ENOMEM, "vocabulary too large");
    if ((d->n_vocab + 1) * 2 > d->vocab_hash_cap && (st = vocab_rehash(d)) != CASUS_OK)
        return st;
    if ((st = mem_grow(d->ctx, (void **)&d->vocab, &d->cap_vocab, d->n_vocab + 1,
                       sizeof *d->vocab)) != CASUS_OK)
        return st;
    uint32_t off;
    if ((st = dict_str(d, key, n, &off)) != CASUS_OK)
        return st;
    w = (uint32_t)d->n_vocab++;
    d->vocab[w] = off;
    uint32_t hv = fnv(key, n);
    size_t mask = d->vocab_hash_cap - 1, h = hv & mask;
    while (d->vocab_hash[h])
        h = (h + 1) & mask;
    d->vocab_hash[h] = SLOT(hv, w);
    *wid = w;
    return CASUS_OK;
}

/* ---------------------------------------------------------------- warnings */

void dict_warn(casus_dicts *d, const char *path, unsigned long line,
               const char *fmt, ...)
{
    if (strncmp(d->warn_path, path, sizeof d->warn_path - 1) != 0) {
        snprintf(d->warn_path, sizeof d->warn_path, "%s", path);
        d->warn_n = 0;
    }
    d->warn_n++;
    if (d->warn_n > DICT_WARN_LIMIT) {
        d->ctx->diag_counts[CASUS_WARNING]++;
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (d->warn_n == DICT_WARN_LIMIT)
        ctx_diag(d->ctx, CASUS_WARNING, path, line, NULL, -1,
                 "%s (further warnings about this file are counted, not shown)", msg);
    else
        ctx_diag(d->ctx, CASUS_WARNING, path, line, NULL, -1, "%s", msg);
}

void dict_check_event_code(casus_dicts *d, const char *path, unsigned long line,
                           const char *code, size_t n)
{
    if (!cameo_code_valid(code, n))
        dict_warn(d, path, line, "unknown CAMEO event code '%.*s'", (int)n, code);
}

/* ---------------------------------------------------------------- phrases */

/* Short English words that are also acronyms or codes ("US", "IS", "WHO"):
 * a one-word PETRARCH name (all capitals anyway, so its spelling tells
 * nothing) among these must be in capitals in the text too. A casus
 * dictionary says it by its spelling: see acronym(). */
static const char *const stop_words[] = {
    "all", "am", "an", "and", "any", "are", "as", "at", "be", "by", "can",
    "do", "for", "go", "he", "if", "in", "is", "it", "its", "may", "me", "my",
    "new", "no", "not", "now", "of", "on", "one", "or", "our", "out", "so",
    "the", "to", "up", "us", "was", "we", "who",
};

static int is_stop(const char *k, size_t n)
{
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], k, n) == 0)
            return 1;
    return 0;
}

/* A casus dictionary word spelt in capitals with two letters or more ("CAR",
 * "NATO", "U.S.") is an acronym: the text must write it in capitals
 * (match_is_caps), so "car bomb" is not the Central African Republic. */
static int acronym(const char *s, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++)
        letters += (s[i] >= 'A' && s[i] <= 'Z');
    return letters >= 2 && match_is_upper(s, n);
}

casus_status dict_phrase_words(casus_dicts *d, const char *s, size_t n,
                               int upper_rule, uint32_t *first, uint32_t *nw,
                               uint32_t *upper)
{
    casus_status st;
    buf_reset(&d->tmp);
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == '_' ? ' ' : s[i];
        if ((st = buf_putc(d->ctx, &d->tmp, c)) != CASUS_OK)
            return st;
    }
    d->scratch.n = 0;
    if (d->tmp.n && (st = token_run(d->ctx, d->tmp.p, d->tmp.n, &d->scratch)) != CASUS_OK)
        return st;
    *first = (uint32_t)d->n_words;
    *nw = 0;
    *upper = 0;
    char key[MATCH_KEY_MAX];
    for (size_t i = 0; i < d->scratch.n; i++) {
        const casus_token *t = &d->scratch.v[i];
        size_t kn = match_key(t->form.p, t->form.n, key);
        if (kn == 0)
            continue;
        if (*nw >= DICT_MAX_PHRASE) {
            d->n_words = *first;
            return CASUS_EINVAL;
        }
        uint32_t wid;
        if ((st = dict_word(d, key, kn, &wid)) != CASUS_OK)
            return st;
        if ((st = mem_grow(d->ctx, (void **)&d->words, &d->cap_words, d->n_words + 1,
                           sizeof *d->words)) != CASUS_OK)
            return st;
        d->words[d->n_words++] = wid;
        if ((upper_rule == DICT_UPPER_CASUS && acronym(t->form.p, t->form.n)) ||
            (upper_rule == DICT_UPPER_PETRARCH && d->scratch.n == 1 && is_stop(key, kn)))
            *upper |= 1u << *nw;
        (*nw)++;
    }
    return *nw ? CASUS_OK : CASUS_EINVAL;
}

casus_status dict_add_phrase(casus_dicts *d, dict_kind k, uint32_t first,
                             uint32_t nw, uint32_t gaps, uint32_t upper,
                             uint32_t entry, uint32_t file, uint32_t line)
{
    casus_status st = mem_grow(d->ctx, (void **)&d->phrases[k], &d->cap_phrases[k],
                               d->n_phrases[k] + 1, sizeof *d->phrases[k]);
    if (st != CASUS_OK)
        return st;
    dict_phrase *p = &d->phrases[k][d->n_phrases[k]++];
    p->first = first;
    p->n = nw;
    p->gaps = gaps;
    p->upper = upper;
    p->entry = entry;
    p->file = file;
    p->line = line;
    return CASUS_OK;
}

void dict_plural(const char *s, size_t n, buf *out, casus_ctx *ctx)
{
    buf_reset(out);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '_'))
        n--;
    if (buf_append(ctx, out, s, n) != CASUS_OK || !n)
        return;
    char c = s[n - 1];
    int up = c >= 'A' && c <= 'Z';
    if (c == 'y' || c == 'Y') {
        out->n--;
        buf_puts(ctx, out, up ? "IES" : "ies");
    } else if (c == 's' || c == 'S' || c == 'x' || c == 'X' || c == 'z' || c == 'Z') {
        buf_puts(ctx, out, up ? "ES" : "es");
    } else {
        buf_putc(ctx, out, up ? 'S' : 's');
    }
}

/* ---------------------------------------------------------------- verbs */

typedef struct spec_words {
    uint32_t wid;            /* the verb word */
    uint32_t first_front, n_front, first_back, n_back;
} spec_words;

/* Splits a verb spec ("+CORDON_OFF", "wire +tap", "attack") into words. */
static casus_status parse_verb_spec(casus_dicts *d, const char *s, size_t n,
                                    spec_words *out, buf *verb_text)
{
    const char *parts[DICT_MAX_PHRASE];
    size_t lens[DICT_MAX_PHRASE], np = 0, vi = SIZE_MAX;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '_' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '_' && s[j] != '\t')
            j++;
        if (np >= DICT_MAX_PHRASE)
            return CASUS_EINVAL;
        if (s[i] == '+') {
            if (vi != SIZE_MAX)
                return CASUS_EINVAL;
            vi = np;
            i++;
        }
        if (j == i)
            return CASUS_EINVAL;
        parts[np] = s + i;
        lens[np++] = j - i;
        i = j;
    }
    if (np == 0)
        return CASUS_EINVAL;
    if (vi == SIZE_MAX) {
        if (np != 1)
            return CASUS_EINVAL;
        vi = 0;
    }
    char key[MATCH_KEY_MAX];
    casus_status st;
    memset(out, 0, sizeof *out);
    for (size_t p = 0; p < np; p++) {
        size_t kn = match_key(parts[p], lens[p], key);
        if (kn == 0)
            return CASUS_EINVAL;
        uint32_t wid;
        if ((st = dict_word(d, key, kn, &wid)) != CASUS_OK)
            return st;
        if (p == vi) {
            out->wid = wid;
            out->first_back = (uint32_t)d->n_words;
            if (verb_text) {
                buf_reset(verb_text);
                if ((st = buf_append(d->ctx, verb_text, parts[p], lens[p])) != CASUS_OK)
                    return st;
            }
            continue;
        }
        if ((st = mem_grow(d->ctx, (void **)&d->words, &d->cap_words, d->n_words + 1,
                           sizeof *d->words)) != CASUS_OK)
            return st;
        if (p < vi) {
            if (out->n_front == 0)
                out->first_front = (uint32_t)d->n_words;
            out->n_front++;
        } else {
            out->n_back++;
        }
        d->words[d->n_words++] = wid;
    }
    if (out->n_front == 0)
        out->first_front = out->first_back;
    return CASUS_OK;
}

static casus_status push_form(casus_dicts *d, const spec_words *w, uint32_t lemma,
                              uint32_t block, uint32_t code, uint32_t file,
                              unsigned long line)
{
    casus_status st = mem_grow(d->ctx, (void **)&d->forms, &d->cap_forms,
                               d->n_forms + 1, sizeof *d->forms);
    if (st != CASUS_OK)
        return st;
    dict_verb_form *f = &d->forms[d->n_forms++];
    f->wid = w->wid;
    f->lemma = lemma;
    f->block = block;
    f->code = code;
    f->first_front = w->first_front;
    f->n_front = w->n_front;
    f->first_back = w->first_back;
    f->n_back = w->n_back;
    f->file = file;
    f->line = (uint32_t)line;
    return CASUS_OK;
}

/* Adds the verb word w with its front/back words replaced by `word`. */
static casus_status push_regular(casus_dicts *d, const spec_words *base,
                                 const char *word, size_t n, uint32_t lemma,
                                 uint32_t block, uint32_t code, uint32_t file,
                                 unsigned long line)
{
    char key[MATCH_KEY_MAX];
    size_t kn = match_key(word, n, key);
    spec_words w = *base;
    casus_status st = dict_word(d, key, kn, &w.wid);
    if (st != CASUS_OK)
        return st;
    return push_form(d, &w, lemma, block, code, file, line);
}

static int is_vowel(char c)
{
    return strchr("aeiouAEIOU", c) != NULL && c != '\0';
}

casus_status dict_add_verb(casus_dicts *d, const char *path, uint32_t file,
                           unsigned long line, uint32_t block,
                           const char *spec, size_t spec_n,
                           const char *forms, size_t forms_n, uint32_t code)
{
    spec_words w;
    buf verb = BUF_INIT;
    casus_status st = parse_verb_spec(d, spec, spec_n, &w, &verb);
    if (st == CASUS_EINVAL) {
        st = ctx_fail(d->ctx, CASUS_EFORMAT, "%s:%lu: bad verb '%.*s'", path, line,
                      (int)spec_n, spec);
        goto done;
    }
    if (st != CASUS_OK)
        goto done;
    uint32_t lemma = w.wid;
    if ((st = push_form(d, &w, lemma, block, code, file, line)) != CASUS_OK)
        goto done;
    if (forms) {
        size_t i = 0;
        while (i < forms_n) {
            while (i < forms_n && (forms[i] == ' ' || forms[i] == '\t'))
                i++;
            size_t j = i;
            while (j < forms_n && forms[j] != ' ' && forms[j] != '\t')
                j++;
            if (j > i) {
                spec_words f;
                st = parse_verb_spec(d, forms + i, j - i, &f, NULL);
                if (st == CASUS_EINVAL) {
                    /* A form of a multi-word verb may omit the '+' when it has
                     * one word ("BREAK { BROKE BROKEN }"). */
                    st = ctx_fail(d->ctx, CASUS_EFORMAT, "%s:%lu: bad verb form '%.*s'",
                                  path, line, (int)(j - i), forms + i);
                    goto done;
                }
                if (st != CASUS_OK || (st = push_form(d, &f, lemma, block, code, file,
                                                      line)) != CASUS_OK)
                    goto done;
            }
            i = j;
        }
        goto done;
    }
    /* Regular forms of the verb word, as PETRARCH makes them. */
    const char *v = verb.p;
    size_t n = verb.n;
    char tmp[MATCH_KEY_MAX + 4];
    if (n == 0 || n > MATCH_KEY_MAX)
        goto done;
    char last = v[n - 1], lc = (char)(last | 0x20);
    int up = last >= 'A' && last <= 'Z';
    memcpy(tmp, v, n);
    /* -s */
    size_t m = n;
    if (lc == 's' || lc == 'x' || lc == 'z') {
        memcpy(tmp + m, up ? "ES" : "es", 2);
        m += 2;
    } else if (lc == 'y') {
        memcpy(tmp + m - 1, up ? "IES" : "ies", 3);
        m += 2;
    } else {
        tmp[m++] = up ? 'S' : 's';
    }
    if ((st = push_regular(d, &w, tmp, m, lemma, block, code, file, line)) != CASUS_OK)
        goto done;
    /* -ed */
    memcpy(tmp, v, n);
    m = n;
    if (lc == 'e') {
        tmp[m++] = up ? 'D' : 'd';
    } else {
        memcpy(tmp + m, up ? "ED" : "ed", 2);
        m += 2;
    }
    if ((st = push_regular(d, &w, tmp, m, lemma, block, code, file, line)) != CASUS_OK)
        goto done;
    /* -ing */
    memcpy(tmp, v, n);
    m = n;
    if (lc == 'e' && n >= 2 && !is_vowel(v[n - 2]))
        m--;
    memcpy(tmp + m, up ? "ING" : "ing", 3);
    m += 3;
    st = push_regular(d, &w, tmp, m, lemma, block, code, file, line);
done:
    buf_free(d->ctx, &verb);
    return st;
}

/* ---------------------------------------------------------------- patterns */

static casus_status push_pe(casus_dicts *d, uint8_t kind, uint8_t flags, uint32_t id)
{
    casus_status st = mem_grow(d->ctx, (void **)&d->pes, &d->cap_pes, d->n_pes + 1,
                               sizeof *d->pes);
    if (st != CASUS_OK)
        return st;
    d->pes[d->n_pes].kind = kind;
    d->pes[d->n_pes].flags = flags;
    d->pes[d->n_pes].id = id;
    d->n_pes++;
    return CASUS_OK;
}

static int find_synset(const casus_dicts *d, const char *s, size_t n, uint32_t *id)
{
    /* Names are stored without a trailing '_' (the no-plural mark). */
    while (n > 1 && s[n - 1] == '_')
        n--;
    for (size_t i = d->n_synsets; i-- > 0;) {
        const char *name = dict_s(d, d->synsets[i].name);
        if (strlen(name) == n && strncmp(name, s, n) == 0) {
            *id = (uint32_t)i;
            return 1;
        }
    }
    return 0;
}

casus_status dict_add_pattern(casus_dicts *d, const char *path, uint32_t file,
                              unsigned long line, uint32_t block,
                              const char *s, size_t n, const char *code,
                              size_t code_n, int strict)
{
    size_t pe0 = d->n_pes;
    int in_np = 0, in_pp = 0, pp_first = 0, verbs = 0, next_consec = 0;
    casus_status st = CASUS_OK;
    size_t i = 0;
    /* "*SCEPTICAL" is "* SCEPTICAL" (PETRARCH splits at '*'); "IN_*" keeps
     * its '_', which makes the two consecutive. */
    buf_reset(&d->tmp);
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '*' && k > 0 && s[k - 1] != ' ' && s[k - 1] != '_' && s[k - 1] != '\t' &&
            (st = buf_putc(d->ctx, &d->tmp, ' ')) != CASUS_OK)
            return st;
        if ((st = buf_putc(d->ctx, &d->tmp, s[k])) != CASUS_OK)
            return st;
        if (s[k] == '*' && k + 1 < n && s[k + 1] != ' ' && s[k + 1] != '_' &&
            s[k + 1] != '\t' && (st = buf_putc(d->ctx, &d->tmp, ' ')) != CASUS_OK)
            return st;
    }
    s = d->tmp.p ? d->tmp.p : "";
    n = d->tmp.n;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t')
            j++;
        const char *c = s + i;
        size_t cn = j - i;
        i = j;
        int close_np = 0, close_pp = 0;
        while (cn && (*c == '(' || *c == '{')) {
            if (*c == '(') {
                if (in_pp)
                    goto syntax;
                in_pp = 1;
                pp_first = 1;
            } else {
                if (in_np)
                    goto syntax;
                in_np = 1;
            }
            c++;
            cn--;
        }
        while (cn && (c[cn - 1] == ')' || c[cn - 1] == '}')) {
            if (c[cn - 1] == ')')
                close_pp = 1;
            else
                close_np = 1;
            cn--;
        }
        if ((close_pp && !in_pp) || (close_np && !in_np))
            goto syntax;
        /* parts joined by '_' */
        size_t k = 0;
        int first_part = 1;
        size_t last_word = SIZE_MAX;
        while (k <= cn) {
            size_t e = k;
            while (e < cn && c[e] != '_')
                e++;
            const char *p = c + k;
            size_t pn = e - k;
            int consec = (!first_part || next_consec) && d->n_pes > pe0;
            next_consec = 0;
            if (pn > 0) {
                uint8_t fl = (uint8_t)((consec ? DICT_PE_CONSEC : 0) |
                                       (in_np ? DICT_PE_NP : 0) | (in_pp ? DICT_PE_PP : 0));
                if (in_pp && pp_first) {
                    fl |= DICT_PE_PP_PREP;
                    pp_first = 0;
                }
                uint8_t kind = DICT_PE_WORD;
                uint32_t id = 0;
                if (pn == 1 && *p == '*') {
                    kind = DICT_PE_VERB;
                    verbs++;
                } else if (pn == 1 && *p == '$') {
                    kind = DICT_PE_SOURCE;
                } else if (pn == 1 && *p == '+') {
                    kind = DICT_PE_TARGET;
                } else if (pn == 1 && *p == '%') {
                    kind = DICT_PE_ANY;
                } else if (pn == 1 && *p == '^') {
                    kind = DICT_PE_SKIP;
                } else if (*p == '&') {
                    kind = DICT_PE_SYNSET;
                    if (!find_synset(d, p, pn, &id)) {
                        d->n_pes = pe0;
                        dict_warn(d, path, line, "undefined synset %.*s; pattern ignored",
                                  (int)pn, p);
                        return CASUS_OK;
                    }
                } else {
                    char key[MATCH_KEY_MAX];
                    size_t kn = match_key(p, pn, key);
                    if (kn == 0)
                        goto next;
                    if ((st = dict_word(d, key, kn, &id)) != CASUS_OK)
                        return st;
                    last_word = d->n_pes;
                }
                if ((st = push_pe(d, kind, fl, id)) != CASUS_OK)
                    return st;
            } else if (!first_part || k == cn) {
                /* "IN_ *": a trailing '_' joins the next chunk */
                if (e == cn && k == cn && cn > 0)
                    next_consec = 1;
            }
        next:
            first_part = 0;
            if (e >= cn)
                break;
            k = e + 1;
            if (k == cn)
                next_consec = 1;
        }
        if (close_np) {
            if (last_word != SIZE_MAX)
                d->pes[last_word].flags |= DICT_PE_NP_HEAD;
            else if (d->n_pes > pe0)
                d->pes[d->n_pes - 1].flags |= DICT_PE_NP_HEAD;
            in_np = 0;
        }
        if (close_pp)
            in_pp = 0;
    }
    if (in_np || in_pp)
        goto syntax;
    if (verbs != 1) {
        d->n_pes = pe0;
        if (!strict) {
            dict_warn(d, path, line, "pattern without exactly one '*' (the verb); skipped");
            return CASUS_OK;
        }
        return ctx_fail(d->ctx, CASUS_EFORMAT, "%s:%lu: a pattern needs exactly one '*' (the verb)",
                        path, line);
    }
    dict_check_event_code(d, path, line, code, code_n);
    if ((st = mem_grow(d->ctx, (void **)&d->patterns, &d->cap_patterns,
                       d->n_patterns + 1, sizeof *d->patterns)) != CASUS_OK)
        return st;
    uint32_t coff = 0;
    if (!(code_n == 3 && memcmp(code, "---", 3) == 0) &&
        (st = dict_str(d, code, code_n, &coff)) != CASUS_OK)
        return st;
    dict_pattern *pt = &d->patterns[d->n_patterns++];
    pt->block = block;
    pt->first_pe = (uint32_t)pe0;
    pt->n_pe = (uint32_t)(d->n_pes - pe0);
    pt->code = coff;
    pt->file = file;
    pt->line = (uint32_t)line;
    return CASUS_OK;
syntax:
    d->n_pes = pe0;
    if (!strict) {
        dict_warn(d, path, line, "unbalanced ( ) or { } in pattern; skipped");
        return CASUS_OK;
    }
    return ctx_fail(d->ctx, CASUS_EFORMAT, "%s:%lu: unbalanced ( ) or { } in pattern", path,
                    line);
}

/* ---------------------------------------------------------------- casus format */

typedef struct line_reader {
    const char *p, *end;
    unsigned long line;
} line_reader;

/* The next line (without '\n', '\r'), comments removed; 0 at the end.
 * *indented tells whether it began with a blank. */
static int next_line(line_reader *r, const char **s, size_t *n, int *indented)
{
    while (r->p < r->end) {
        const char *b = r->p;
        const char *nl = memchr(b, '\n', (size_t)(r->end - b));
        const char *e = nl ? nl : r->end;
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        const char *c = b;
        for (; c < e; c++)
            if (*c == '#' && (c == b || c[-1] == ' ' || c[-1] == '\t'))
                break;
        e = c;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        const char *t = b;
        while (t < e && (*t == ' ' || *t == '\t'))
            t++;
        if (t == e)
            continue;
        *indented = t > b;
        *s = t;
        *n = (size_t)(e - t);
        return 1;
    }
    return 0;
}

void dict_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static const char *find_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '=' && s[i + 1] == '>')
            return s + i;
    return NULL;
}

static int is_code_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int dict_casus_kind(const char *text, size_t n)
{
    line_reader r = {text, text + n, 0};
    const char *s;
    size_t len;
    int ind;
    if (!next_line(&r, &s, &len, &ind))
        return -1;
    if (len < 9 || memcmp(s, "@casus 1 ", 9) != 0)
        return -1;
    s += 9;
    len -= 9;
    dict_trim(&s, &len);
    for (int k = 0; k < DICT_NKINDS; k++) {
        const char *name = dict_kind_name((dict_kind)k);
        if (strlen(name) == len && memcmp(name, s, len) == 0)
            return k;
    }
    return -1;
}

typedef struct casus_parse {
    casus_dicts *d;
    const char *path;
    uint32_t file;
    unsigned long line;
    int kind;
    long last;              /* index of the entry continuation lines extend */
    long last_synset;
} casus_parse;

static casus_status fail(casus_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static casus_status fail(casus_parse *p, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctx_fail(p->d->ctx, CASUS_EFORMAT, "%s:%lu: %s", p->path, p->line, msg);
}

/* Adds the names "a | b | c" as phrases of kind for entry. */
static casus_status add_names(casus_parse *p, dict_kind kind, const char *s,
                              size_t n, uint32_t entry)
{
    casus_dicts *d = p->d;
    size_t i = 0;
    while (i <= n) {
        const char *bar = memchr(s + i, '|', n - i);
        size_t e = bar ? (size_t)(bar - s) : n;
        const char *name = s + i;
        size_t nn = e - i;
        dict_trim(&name, &nn);
        if (nn == 0) {
            if (i == 0 && bar)   /* a continuation line starts with '|' */
                goto next;
            return fail(p, "empty name");
        }
        uint32_t first, nw, upper;
        casus_status st = dict_phrase_words(d, name, nn, DICT_UPPER_CASUS, &first, &nw, &upper);
        if (st == CASUS_EINVAL)
            return fail(p, "name '%.*s' has no words or more than %d", (int)nn, name,
                        DICT_MAX_PHRASE);
        if (st != CASUS_OK)
            return st;
        if ((st = dict_add_phrase(d, kind, first, nw, 0, upper, entry, p->file,
                                  (uint32_t)p->line)) != CASUS_OK)
            return st;
    next:
        if (!bar)
            break;
        i = e + 1;
    }
    return CASUS_OK;
}

static int code_ok(const char *s, size_t n)
{
    if (n == 0 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_code_char(s[i]))
            return 0;
    return 1;
}

/* "[CODE RANGE]" with RANGE: D..D, D.., ..D, >= D, > D, <= D, < D, or none. */
static casus_status parse_restriction(casus_parse *p, const char *s, size_t n, dict_actor *a)
{
    casus_dicts *d = p->d;
    const char *sp = s;
    while (sp < s + n && *sp != ' ')
        sp++;
    size_t cn = (size_t)(sp - s);
    if (!code_ok(s, cn) && !(cn == 3 && memcmp(s, "---", 3) == 0))
        return fail(p, "bad actor code '%.*s'", (int)cn, s);
    const char *r = sp;
    size_t rn = (size_t)(s + n - sp);
    dict_trim(&r, &rn);
    uint32_t coff = 0;
    casus_status st;
    if (!(cn == 3 && memcmp(s, "---", 3) == 0) && (st = dict_str(d, s, cn, &coff)) != CASUS_OK)
        return st;
    if (rn == 0) {            /* [CODE]: the default */
        a->code = coff;
        return CASUS_OK;
    }
    dict_day lo = DICT_DAY_MIN, hi = DICT_DAY_MAX;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < rn; i++)
        if (r[i] == '.' && r[i + 1] == '.') {
            dots = r + i;
            break;
        }
    if (dots) {
        const char *a1 = r, *a2 = dots + 2;
        size_t n1 = (size_t)(dots - r), n2 = (size_t)(r + rn - a2);
        dict_trim(&a1, &n1);
        dict_trim(&a2, &n2);
        if ((n1 && dict_parse_day(a1, n1, &lo)) || (n2 && dict_parse_day(a2, n2, &hi)) ||
            (!n1 && !n2))
            return fail(p, "bad date range '%.*s' (want YYYY-MM-DD..YYYY-MM-DD)", (int)rn, r);
    } else if (r[0] == '<' || r[0] == '>') {
        int gt = r[0] == '>', eq = rn > 1 && r[1] == '=';
        const char *a1 = r + 1 + eq;
        size_t n1 = rn - 1 - (size_t)eq;
        dict_trim(&a1, &n1);
        dict_day day;
        if (dict_parse_day(a1, n1, &day))
            return fail(p, "bad date '%.*s' (want YYYY-MM-DD)", (int)n1, a1);
        if (gt)
            lo = eq ? day : day + 1;
        else
            hi = eq ? day : day - 1;
    } else {
        return fail(p, "bad date restriction '%.*s'", (int)rn, r);
    }
    if (hi < lo) {
        dict_warn(d, p->path, p->line, "date range ends before it starts: '%.*s'; ignored",
                  (int)rn, r);
        return CASUS_OK;
    }
    if ((st = mem_grow(d->ctx, (void **)&d->restricts, &d->cap_restricts,
                       d->n_restricts + 1, sizeof *d->restricts)) != CASUS_OK)
        return st;
    d->restricts[d->n_restricts].code = coff;
    d->restricts[d->n_restricts].lo = lo;
    d->restricts[d->n_restricts].hi = hi;
    d->n_restricts++;
    a->n_restrict++;
    return CASUS_OK;
}

/* Parses "CODE [..] [..]" (the right of '=>') or "[..] [..]" (continuation). */
static casus_status parse_actor_codes(casus_parse *p, const char *s, size_t n, dict_actor *a)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        if (s[i] == '[') {
            const char *close = memchr(s + i, ']', n - i);
            if (!close)
                return fail(p, "missing ']'");
            const char *in = s + i + 1;
            size_t inn = (size_t)(close - in);
            dict_trim(&in, &inn);
            casus_status st = parse_restriction(p, in, inn, a);
            if (st != CASUS_OK)
                return st;
            i = (size_t)(close - s) + 1;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '[')
            j++;
        if (i != 0)
            return fail(p, "unexpected '%.*s' after the code", (int)(j - i), s + i);
        if (j - i == 3 && memcmp(s + i, "---", 3) == 0) {
            a->code = 0;
        } else if (!code_ok(s + i, j - i)) {
            return fail(p, "bad actor code '%.*s' (capital letters and digits)", (int)(j - i),
                        s + i);
        } else {
            casus_status st = dict_str(p->d, s + i, j - i, &a->code);
            if (st != CASUS_OK)
                return st;
        }
        i = j;
    }
    return CASUS_OK;
}

static casus_status line_actor(casus_parse *p, const char *s, size_t n)
{
    casus_dicts *d = p->d;
    casus_status st;
    const char *arrow = find_arrow(s, n);
    if (!arrow)
        return fail(p, "expected 'NAME | NAME ... => CODE'");
    const char *names = s, *right = arrow + 2;
    size_t nn = (size_t)(arrow - s), rn = (size_t)(s + n - right);
    dict_trim(&names, &nn);
    dict_trim(&right, &rn);
    if ((st = mem_grow(d->ctx, (void **)&d->actors, &d->cap_actors, d->n_actors + 1,
                       sizeof *d->actors)) != CASUS_OK)
        return st;
    dict_actor *a = &d->actors[d->n_actors];
    memset(a, 0, sizeof *a);
    const char *bar = memchr(names, '|', nn);
    const char *first = names;
    size_t fn = bar ? (size_t)(bar - names) : nn;
    dict_trim(&first, &fn);
    if ((st = dict_str(d, first, fn, &a->name)) != CASUS_OK)
        return st;
    a->first_restrict = (uint32_t)d->n_restricts;
    a->file = p->file;
    a->line = (uint32_t)p->line;
    if ((st = parse_actor_codes(p, right, rn, a)) != CASUS_OK)
        return st;
    uint32_t idx = (uint32_t)d->n_actors++;
    p->last = idx;
    return add_names(p, DICT_ACTORS, names, nn, idx);
}

static casus_status line_agent(casus_parse *p, const char *s, size_t n)
{
    casus_dicts *d = p->d;
    casus_status st;
    const char *arrow = find_arrow(s, n);
    if (!arrow)
        return fail(p, "expected 'NAME | NAME ... => ~CODE' or '=> CODE~'");
    const char *names = s, *code = arrow + 2;
    size_t nn = (size_t)(arrow - s), cn = (size_t)(s + n - code);
    dict_trim(&names, &nn);
    dict_trim(&code, &cn);
    int prefix;
    if (cn >= 2 && code[0] == '~') {
        prefix = 0;
        code++;
        cn--;
    } else if (cn >= 2 && code[cn - 1] == '~') {
        prefix = 1;
        cn--;
    } else {
        return fail(p, "agent code '%.*s' needs a '~': ~GOV (after the actor) or NGO~ (before)",
                    (int)cn, code);
    }
    if (!code_ok(code, cn))
        return fail(p, "bad agent code '%.*s'", (int)cn, code);
    if ((st = mem_grow(d->ctx, (void **)&d->agents, &d->cap_agents, d->n_agents + 1,
                       sizeof *d->agents)) != CASUS_OK)
        return st;
    dict_agent *a = &d->agents[d->n_agents];
    memset(a, 0, sizeof *a);
    const char *bar = memchr(names, '|', nn);
    size_t fn = bar ? (size_t)(bar - names) : nn;
    const char *first = names;
    dict_trim(&first, &fn);
    if ((st = dict_str(d, first, fn, &a->name)) != CASUS_OK ||
        (st = dict_str(d, code, cn, &a->code)) != CASUS_OK)
        return st;
    a->prefix = (uint8_t)prefix;
    a->file = p->file;
    a->line = (uint32_t)p->line;
    uint32_t idx = (uint32_t)d->n_agents++;
    p->last = idx;
    return add_names(p, DICT_AGENTS, names, nn, idx);
}

static casus_status line_discard(casus_parse *p, const char *s, size_t n)
{
    casus_dicts *d = p->d;
    casus_status st;
    int story = 0, exact = 1;
    if (*s == '+') {
        story = 1;
        s++;
        n--;
    }
    dict_trim(&s, &n);
    if (n && s[n - 1] == '*') {
        exact = 0;
        n--;
    }
    dict_trim(&s, &n);
    if ((st = mem_grow(d->ctx, (void **)&d->discards, &d->cap_discards, d->n_discards + 1,
                       sizeof *d->discards)) != CASUS_OK)
        return st;
    dict_discard *x = &d->discards[d->n_discards];
    if ((st = dict_str(d, s, n, &x->text)) != CASUS_OK)
        return st;
    x->story = (uint8_t)story;
    x->exact = (uint8_t)exact;
    x->file = p->file;
    x->line = (uint32_t)p->line;
    uint32_t first, nw, upper;
    st = dict_phrase_words(d, s, n, DICT_UPPER_NONE, &first, &nw, &upper);
    if (st == CASUS_EINVAL)
        return fail(p, "discard '%.*s' has no words", (int)n, s);
    if (st != CASUS_OK)
        return st;
    uint32_t idx = (uint32_t)d->n_discards++;
    return dict_add_phrase(d, DICT_DISCARDS, first, nw, 0, upper, idx, p->file,
                           (uint32_t)p->line);
}

static casus_status new_block(casus_dicts *d, const char *name, size_t n, uint32_t code,
                              uint32_t file, unsigned long line, uint32_t *idx)
{
    casus_status st = mem_grow(d->ctx, (void **)&d->blocks, &d->cap_blocks,
                               d->n_blocks + 1, sizeof *d->blocks);
    if (st != CASUS_OK)
        return st;
    dict_verb_block *b = &d->blocks[d->n_blocks];
    memset(b, 0, sizeof *b);
    if ((st = dict_str(d, name, n, &b->name)) != CASUS_OK)
        return st;
    b->code = code;
    b->file = file;
    b->line = (uint32_t)line;
    *idx = (uint32_t)d->n_blocks++;
    return CASUS_OK;
}

/* Adds synset members "a | b c | d" (phrases). */
static casus_status synset_members(casus_parse *p, uint32_t syn, const char *s, size_t n)
{
    casus_dicts *d = p->d;
    size_t i = 0;
    while (i <= n) {
        const char *bar = memchr(s + i, '|', n - i);
        size_t e = bar ? (size_t)(bar - s) : n;
        const char *m = s + i;
        size_t mn = e - i;
        dict_trim(&m, &mn);
        if (mn) {
            uint32_t first, nw, upper;
            casus_status st = dict_phrase_words(d, m, mn, DICT_UPPER_NONE, &first, &nw, &upper);
            if (st == CASUS_EINVAL)
                return fail(p, "bad synset member '%.*s'", (int)mn, m);
            if (st != CASUS_OK)
                return st;
            if (d->synsets[syn].first_phrase + d->synsets[syn].n_phrase != d->n_syn_phrases)
                return fail(p, "synset continuation out of place");
            if ((st = mem_grow(d->ctx, (void **)&d->syn_phrases, &d->cap_syn_phrases,
                               d->n_syn_phrases + 1, sizeof *d->syn_phrases)) != CASUS_OK)
                return st;
            d->syn_phrases[d->n_syn_phrases].first = first;
            d->syn_phrases[d->n_syn_phrases].n = nw;
            d->n_syn_phrases++;
            d->synsets[syn].n_phrase++;
        } else if (!(i == 0 && bar)) {
            return fail(p, "empty synset member");
        }
        if (!bar)
            break;
        i = e + 1;
    }
    return CASUS_OK;
}

static casus_status line_verb(casus_parse *p, const char *s, size_t n)
{
    casus_dicts *d = p->d;
    casus_status st;
    p->last_synset = -1;
    if (*s == '&') {
        const char *eq = memchr(s, '=', n);
        if (!eq)
            return fail(p, "expected '&NAME = phrase | phrase ...'");
        const char *name = s;
        size_t nn = (size_t)(eq - s);
        dict_trim(&name, &nn);
        for (size_t i = 1; i < nn; i++)
            if (!is_code_char(name[i]) && name[i] != '_')
                return fail(p, "bad synset name '%.*s'", (int)nn, name);
        if (nn < 2)
            return fail(p, "bad synset name");
        if ((st = mem_grow(d->ctx, (void **)&d->synsets, &d->cap_synsets,
                           d->n_synsets + 1, sizeof *d->synsets)) != CASUS_OK)
            return st;
        dict_synset *sy = &d->synsets[d->n_synsets];
        memset(sy, 0, sizeof *sy);
        if ((st = dict_str(d, name, nn, &sy->name)) != CASUS_OK)
            return st;
        sy->first_phrase = (uint32_t)d->n_syn_phrases;
        sy->file = p->file;
        sy->line = (uint32_t)p->line;
        p->last_synset = (long)d->n_synsets++;
        return synset_members(p, (uint32_t)p->last_synset, eq + 1,
                              (size_t)(s + n - eq - 1));
    }
    const char *arrow = find_arrow(s, n);
    if (!arrow)
        return fail(p, "expected 'VERB => CODE' or 'VERB: PATTERN => CODE'");
    const char *left = s, *code = arrow + 2;
    size_t ln = (size_t)(arrow - s), cn = (size_t)(s + n - code);
    dict_trim(&left, &ln);
    dict_trim(&code, &cn);
    if (cn == 0)
        return fail(p, "missing code after '=>'");
    for (size_t i = 0; i < cn; i++)
        if (!is_code_char(code[i]) && code[i] != ':' && code[i] != '-')
            return fail(p, "bad event code '%.*s'", (int)cn, code);
    const char *colon = memchr(left, ':', ln);
    if (colon && !memchr(left, '{', (size_t)(colon - left))) {
        /* A pattern of the block holding the verb named before ':'. */
        char key[MATCH_KEY_MAX];
        const char *vn = left;
        size_t vl = (size_t)(colon - left);
        dict_trim(&vn, &vl);
        size_t kn = match_key(vn, vl, key);
        uint32_t wid = kn ? dict_word_find(d, key, kn) : 0;
        /* the latest one-word verb of that name, else the latest multi-word
         * one: "hold: * (as human shields)" written after "+hold hostage"
         * belongs to "hold", not to "hold hostage" */
        long block = -1, multi = -1;
        for (size_t i = d->n_forms; wid && i-- > 0;)
            if (d->forms[i].lemma == wid && d->forms[i].file == p->file) {
                if (d->forms[i].n_front + d->forms[i].n_back == 0) {
                    block = d->forms[i].block;
                    break;
                }
                if (multi < 0)
                    multi = d->forms[i].block;
            }
        if (block < 0)
            block = multi;
        if (block < 0)
            return fail(p, "pattern for '%.*s', which is not a verb defined above", (int)vl, vn);
        return dict_add_pattern(d, p->path, p->file, p->line, (uint32_t)block, colon + 1,
                                (size_t)(left + ln - colon - 1), code, cn, 1);
    }
    dict_check_event_code(d, p->path, p->line, code, cn);
    uint32_t coff = 0, block;
    if (!(cn == 3 && memcmp(code, "---", 3) == 0) && (st = dict_str(d, code, cn, &coff)) != CASUS_OK)
        return st;
    const char *bar0 = memchr(left, '|', ln);
    size_t bn = bar0 ? (size_t)(bar0 - left) : ln;
    const char *brace = memchr(left, '{', bn);
    const char *bname = left;
    size_t bnl = brace ? (size_t)(brace - left) : bn;
    dict_trim(&bname, &bnl);
    if ((st = new_block(d, bname, bnl, coff, p->file, p->line, &block)) != CASUS_OK)
        return st;
    size_t i = 0;
    while (i <= ln) {
        const char *bar = memchr(left + i, '|', ln - i);
        size_t e = bar ? (size_t)(bar - left) : ln;
        const char *v = left + i;
        size_t vn = e - i;
        dict_trim(&v, &vn);
        const char *forms = NULL;
        size_t fn = 0;
        const char *ob = memchr(v, '{', vn);
        if (ob) {
            const char *cb = memchr(ob, '}', (size_t)(v + vn - ob));
            if (!cb || cb != v + vn - 1)
                return fail(p, "expected '{forms}' at the end of '%.*s'", (int)vn, v);
            forms = ob + 1;
            fn = (size_t)(cb - ob - 1);
            vn = (size_t)(ob - v);
            dict_trim(&v, &vn);
        }
        if (vn == 0)
            return fail(p, "empty verb");
        if ((st = dict_add_verb(d, p->path, p->file, p->line, block, v, vn, forms, fn, coff)) !=
            CASUS_OK)
            return st;
        if (!bar)
            break;
        i = e + 1;
    }
    return CASUS_OK;
}

typedef struct dict_mark {
    size_t n_words, n_phrases[DICT_NKINDS], n_actors, n_restricts, n_agents, n_blocks,
        n_forms, n_patterns, n_pes, n_synsets, n_syn_phrases, n_discards, n_transforms;
} dict_mark;

static void mark_take(const casus_dicts *d, dict_mark *m)
{
    m->n_words = d->n_words;
    for (int k = 0; k < DICT_NKINDS; k++)
        m->n_phrases[k] = d->n_phrases[k];
    m->n_actors = d->n_actors;
    m->n_restricts = d->n_restricts;
    m->n_agents = d->n_agents;
    m->n_blocks = d->n_blocks;
    m->n_forms = d->n_forms;
    m->n_patterns = d->n_patterns;
    m->n_pes = d->n_pes;
    m->n_synsets = d->n_synsets;
    m->n_syn_phrases = d->n_syn_phrases;
    m->n_discards = d->n_discards;
    m->n_transforms = d->n_transforms;
}

static void mark_restore(casus_dicts *d, const dict_mark *m)
{
    d->n_words = m->n_words;
    for (int k = 0; k < DICT_NKINDS; k++)
        d->n_phrases[k] = m->n_phrases[k];
    d->n_actors = m->n_actors;
    d->n_restricts = m->n_restricts;
    d->n_agents = m->n_agents;
    d->n_blocks = m->n_blocks;
    d->n_forms = m->n_forms;
    d->n_patterns = m->n_patterns;
    d->n_pes = m->n_pes;
    d->n_synsets = m->n_synsets;
    d->n_syn_phrases = m->n_syn_phrases;
    d->n_discards = m->n_discards;
    d->n_transforms = m->n_transforms;
}

casus_status dict_load_casus(casus_dicts *d, const char *path, uint32_t file,
                             const char *text, size_t n)
{
    casus_parse p = {d, path, file, 0, -1, -1, -1};
    line_reader r = {text, text + n, 0};
    const char *s;
    size_t len;
    int indented;
    casus_status st = CASUS_OK;
    buf logical = BUF_INIT;
    if (!next_line(&r, &s, &len, &indented) || (p.kind = dict_casus_kind(text, n)) < 0) {
        p.line = r.line;
        return fail(&p, "not a casus dictionary: the first line must be '@casus 1 KIND' "
                        "(actors, agents, verbs or discards)");
    }
    while (next_line(&r, &s, &len, &indented)) {
        p.line = r.line;
        if (*s == '@') {
            st = fail(&p, "'@' directive out of place");
            break;
        }
        if (indented && (*s == '|' || *s == '[')) {
            st = fail(&p, "continuation line without an entry before it");
            break;
        }
        /* An entry goes on over indented lines that start with '|' or '['. */
        buf_reset(&logical);
        if ((st = buf_append(d->ctx, &logical, s, len)) != CASUS_OK)
            break;
        for (;;) {
            line_reader peek = r;
            const char *s2;
            size_t len2;
            int ind2;
            if (!next_line(&peek, &s2, &len2, &ind2) || !ind2 || (*s2 != '|' && *s2 != '['))
                break;
            r = peek;
            if ((st = buf_putc(d->ctx, &logical, ' ')) != CASUS_OK ||
                (st = buf_append(d->ctx, &logical, s2, len2)) != CASUS_OK)
                break;
        }
        if (st != CASUS_OK)
            break;
        s = logical.p;
        len = logical.n;
        switch (p.kind) {
        case DICT_ACTORS: st = line_actor(&p, s, len); break;
        case DICT_AGENTS: st = line_agent(&p, s, len); break;
        case DICT_VERBS: st = line_verb(&p, s, len); break;
        default: st = line_discard(&p, s, len); break;
        }
        if (st != CASUS_OK)
            break;
    }
    buf_free(d->ctx, &logical);
    return st;
}

/* ---------------------------------------------------------------- casus actor codes */

static const char *const sector_codes[] = {
    "AGR", "BUS", "CHR", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV",
    "HLH", "HRI", "IGO", "IMG", "INS", "JUD", "LAB", "LEG", "MED", "MIL", "MNC",
    "MOD", "NGM", "NGO", "OPP", "PTY", "RAD", "REB", "REF", "SEP", "SPY", "UAF",
};

int dict_is_sector(const char *s)
{
    for (size_t i = 0; i < sizeof sector_codes / sizeof sector_codes[0]; i++)
        if (memcmp(sector_codes[i], s, 3) == 0)
            return 1;
    return 0;
}

/* Warns about casus-format actor codes whose first part is neither a
 * country (a three-letter code some actor has on its own) nor a CAMEO
 * sector or international code; PETRARCH codes are taken as they are. */
static void check_actor_codes(casus_dicts *d)
{
    for (size_t i = 0; i < d->n_actors; i++) {
        const dict_actor *a = &d->actors[i];
        if (d->file_petrarch[a->file] || !a->code)
            continue;
        const char *c = dict_s(d, a->code);
        size_t n = strlen(c);
        int ok = n % 3 == 0 && n >= 3;
        if (ok && !dict_is_sector(c)) {
            ok = 0;
            for (size_t j = 0; j < d->n_actors && !ok; j++) {
                const char *o = dict_s(d, d->actors[j].code);
                ok = strlen(o) == 3 && memcmp(o, c, 3) == 0;
            }
        }
        if (!ok)
            dict_warn(d, dict_s(d, d->files[a->file]), a->line,
                      "unknown actor code '%s' (not a country, sector or international code "
                      "followed by 3-letter parts)", c);
    }
}

/* ---------------------------------------------------------------- finishing */

static int cmp_form(const void *a, const void *b)
{
    const dict_verb_form *x = a, *y = b;
    if (x->wid != y->wid)
        return x->wid < y->wid ? -1 : 1;
    uint32_t lx = x->n_front + x->n_back, ly = y->n_front + y->n_back;
    if (lx != ly)
        return lx > ly ? -1 : 1;     /* multi-word forms first */
    if (x->block != y->block)
        return x->block < y->block ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

casus_status dict_finish(casus_dicts *d)
{
    if (d->n_forms > 1)
        qsort(d->forms, d->n_forms, sizeof *d->forms, cmp_form);
    check_actor_codes(d);
    casus_status st = match_build(d);
    mem_free(d->ctx, d->scratch.v);
    memset(&d->scratch, 0, sizeof d->scratch);
    buf_free(d->ctx, &d->tmp);
    return st;
}

/* ---------------------------------------------------------------- files */

static casus_status finish_or_free(casus_dicts *d, casus_status st, casus_dicts **out);

static casus_status read_file(casus_ctx *ctx, const char *path, char **text, size_t *n)
{
    casus_status st = CASUS_OK;
    char *p = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ctx_fail(ctx, CASUS_EIO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        st = ctx_fail(ctx, CASUS_EIO, "%s: is a directory", path);
        goto done;
    }
    for (;;) {
        if ((st = mem_grow(ctx, (void **)&p, &cap, len + 65537, 1)) != CASUS_OK)
            goto done;
        size_t got = fread(p + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        st = ctx_fail(ctx, CASUS_EIO, "%s: read error", path);
        goto done;
    }
    p[len] = '\0';
done:
    fclose(f);
    if (st != CASUS_OK) {
        mem_free(ctx, p);
        p = NULL;
        len = 0;
    }
    *text = p;
    *n = len;
    return st;
}

int dict_petrarch_kind(const char *name)
{
    char low[256];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof low; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    low[i] = '\0';
    if (strstr(low, "actors"))
        return DICT_ACTORS;
    if (strstr(low, "agents"))
        return DICT_AGENTS;
    if (strstr(low, "verbs") || strncmp(low, "cameo", 5) == 0)
        return DICT_VERBS;
    if (strstr(low, "discards"))
        return DICT_DISCARDS;
    return -1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static casus_status dicts_new(casus_ctx *ctx, casus_dicts **out)
{
    casus_dicts *d = mem_alloc(ctx, sizeof *d);
    *out = d;
    if (!d)
        return CASUS_ENOMEM;
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    uint32_t off;
    return dict_str(d, "", 0, &off);   /* offset 0 is "" */
}

/* Adds the text of one dictionary file (display name path) to d. kind is the
 * file's kind, petrarch its format. On failure everything it added is taken
 * back. */
static casus_status load_text(casus_dicts *d, const char *path, int kind, int petrarch,
                              const char *text, size_t n)
{
    uint32_t off;
    casus_status st;
    if ((st = dict_str(d, path, strlen(path), &off)) != CASUS_OK)
        return st;
    if ((st = mem_grow(d->ctx, (void **)&d->files, &d->cap_files, d->n_files + 1,
                       sizeof *d->files)) != CASUS_OK ||
        (st = mem_grow(d->ctx, (void **)&d->file_petrarch, &d->cap_file_petrarch,
                       d->n_files + 1, 1)) != CASUS_OK)
        return st;
    uint32_t file = (uint32_t)d->n_files++;
    d->files[file] = off;
    d->file_petrarch[file] = (uint8_t)petrarch;
    dict_mark m;
    mark_take(d, &m);
    if (petrarch)
        st = dict_load_petrarch(d, (dict_kind)kind, path, file, text, n);
    else
        st = dict_load_casus(d, path, file, text, n);
    if (st != CASUS_OK)
        mark_restore(d, &m);
    return st;
}

/* Loads one file. want: the kinds to keep (a bit per kind); a file of
 * another kind is skipped. *kind gets the file's kind, -1 when it is not a
 * dictionary casus recognises (by its header or its name). */
static casus_status load_path(casus_dicts *d, const char *path, unsigned want, int *kind)
{
    char *text = NULL;
    size_t n = 0;
    *kind = -1;
    casus_status st = read_file(d->ctx, path, &text, &n);
    if (st != CASUS_OK)
        return st;
    int k = dict_casus_kind(text, n), petrarch = 0;
    if (k < 0) {
        k = dict_petrarch_kind(base_name(path));
        petrarch = 1;
    }
    *kind = k;
    if (k >= 0 && (want & (1u << k)))
        st = load_text(d, path, k, petrarch, text, n);
    mem_free(d->ctx, text);
    return st;
}

casus_status dict_load_buffer(casus_ctx *ctx, const char *name, int petrarch_kind,
                              const char *text, size_t n, casus_dicts **out)
{
    casus_dicts *d;
    *out = NULL;
    casus_status st = dicts_new(ctx, &d);
    if (st == CASUS_OK) {
        int k = petrarch_kind >= 0 ? petrarch_kind : dict_casus_kind(text, n);
        if (k < 0 || k >= DICT_NKINDS)
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s: not a casus dictionary", name);
        else
            st = load_text(d, name, k, petrarch_kind >= 0, text, n);
    }
    return finish_or_free(d, st, out);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the dictionary files of dir whose kind is in want, in name order;
 * *found gets the kinds seen. */
static casus_status load_dir(casus_dicts *d, const char *dir, unsigned want, unsigned *found)
{
    casus_ctx *ctx = d->ctx;
    casus_status st = CASUS_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    buf path = BUF_INIT;
    *found = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return ctx_fail(ctx, CASUS_EIO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if ((st = mem_grow(ctx, (void **)&names, &cap, n + 1, sizeof *names)) != CASUS_OK)
            goto done;
        if (!(names[n] = mem_strndup(ctx, e->d_name, strlen(e->d_name)))) {
            st = CASUS_ENOMEM;
            goto done;
        }
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        buf_reset(&path);
        if ((st = buf_printf(ctx, &path, "%s/%s", dir, names[i])) != CASUS_OK)
            goto done;
        struct stat sb;
        if (stat(path.p, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        /* Only .txt files, and PETRARCH names, are candidates. */
        size_t ln = strlen(names[i]);
        if (!(ln > 4 && strcmp(names[i] + ln - 4, ".txt") == 0) &&
            dict_petrarch_kind(names[i]) < 0)
            continue;
        int kind;
        if ((st = load_path(d, path.p, want, &kind)) != CASUS_OK)
            goto done;
        if (kind >= 0)
            *found |= 1u << kind;
        if (kind >= 0 && (want & (1u << kind)) && !d->kind_dir[kind] &&
            (st = dict_str(d, dir, strlen(dir), &d->kind_dir[kind])) != CASUS_OK)
            goto done;
    }
done:
    closedir(dp);
    for (size_t i = 0; i < n; i++)
        mem_free(ctx, names[i]);
    mem_free(ctx, names);
    buf_free(ctx, &path);
    return st;
}

static int is_dir(const char *p)
{
    struct stat sb;
    return p && *p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The default dictionary directory into out[cap]; 0 when none exists. */
static int default_dir(char *out, size_t cap)
{
    const char *env = getenv("CASUS_DICTIONARIES");
    if (is_dir(env)) {
        snprintf(out, cap, "%s", env);
        return 1;
    }
    char exe[2048];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../data/dictionaries",
                                              "/../share/casus/dictionaries"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(out, cap, "%s%s", exe, rel[i]);
                if (is_dir(out))
                    return 1;
            }
        }
    }
    snprintf(out, cap, "%s", CASUS_DATADIR "/dictionaries");
    return is_dir(out);
}

#define ALL_KINDS ((1u << DICT_NKINDS) - 1)

static casus_status finish_or_free(casus_dicts *d, casus_status st, casus_dicts **out)
{
    if (st == CASUS_OK)
        st = dict_finish(d);
    if (st != CASUS_OK) {
        casus_dicts_free(d);
        d = NULL;
    }
    *out = d;
    return st;
}

casus_status casus_dicts_load(casus_ctx *ctx, const char *dir, casus_dicts **out)
{
    casus_dicts *d;
    *out = NULL;
    casus_status st = dicts_new(ctx, &d);
    if (st != CASUS_OK)
        return finish_or_free(d, st, out);
    char def[4096];
    int have_def = default_dir(def, sizeof def);
    unsigned found = 0, more = 0;
    if (dir) {
        if (!is_dir(dir))
            return finish_or_free(d, ctx_fail(ctx, CASUS_EIO, "%s: not a directory", dir), out);
        if ((st = load_dir(d, dir, ALL_KINDS, &found)) != CASUS_OK)
            return finish_or_free(d, st, out);
        if (found == 0)
            return finish_or_free(
                d, ctx_fail(ctx, CASUS_EINVAL,
                            "%s: no dictionaries (files named *actors*, *agents*, *verbs* or "
                            "CAMEO*, *discards*, or casus files starting '@casus 1 KIND')",
                            dir),
                out);
        if (found != ALL_KINDS) {
            if (have_def)
                st = load_dir(d, def, ALL_KINDS & ~found, &more);
            else
                ctx_diag(ctx, CASUS_NOTE, dir, 0, NULL, -1,
                         "no default dictionaries found for the kinds this directory lacks");
        }
    } else {
        if (!have_def)
            return finish_or_free(
                d, ctx_fail(ctx, CASUS_EIO,
                            "no dictionaries found: set CASUS_DICTIONARIES or use "
                            "--dictionaries DIR (looked beside the executable and in %s)",
                            CASUS_DATADIR "/dictionaries"),
                out);
        st = load_dir(d, def, ALL_KINDS, &found);
    }
    return finish_or_free(d, st, out);
}

casus_status casus_dicts_load_files(casus_ctx *ctx, const char *const *paths, size_t n,
                                    casus_dicts **out)
{
    casus_dicts *d;
    *out = NULL;
    casus_status st = dicts_new(ctx, &d);
    for (size_t i = 0; st == CASUS_OK && i < n; i++) {
        int kind;
        st = load_path(d, paths[i], ALL_KINDS, &kind);
        if (st == CASUS_OK && kind < 0)
            st = ctx_fail(ctx, CASUS_EINVAL,
                          "%s: not a dictionary casus knows: start it with '@casus 1 KIND' or "
                          "name it *actors*, *agents*, *verbs* (or CAMEO*), *discards*",
                          paths[i]);
        if (st == CASUS_OK && !d->kind_dir[kind])
            st = dict_str(d, paths[i], strlen(paths[i]), &d->kind_dir[kind]);
    }
    return finish_or_free(d, st, out);
}

void casus_dicts_free(casus_dicts *d)
{
    if (!d)
        return;
    casus_ctx *ctx = d->ctx;
    match_free(d);
    buf_free(ctx, &d->strings);
    buf_free(ctx, &d->tmp);
    mem_free(ctx, d->scratch.v);
    mem_free(ctx, d->vocab);
    mem_free(ctx, d->vocab_hash);
    mem_free(ctx, d->words);
    for (int k = 0; k < DICT_NKINDS; k++)
        mem_free(ctx, d->phrases[k]);
    mem_free(ctx, d->actors);
    mem_free(ctx, d->restricts);
    mem_free(ctx, d->agents);
    mem_free(ctx, d->blocks);
    mem_free(ctx, d->forms);
    mem_free(ctx, d->patterns);
    mem_free(ctx, d->pes);
    mem_free(ctx, d->synsets);
    mem_free(ctx, d->syn_phrases);
    mem_free(ctx, d->discards);
    mem_free(ctx, d->transforms);
    mem_free(ctx, d->files);
    mem_free(ctx, d->file_petrarch);
    mem_free(ctx, d);
}

size_t casus_dicts_count(const casus_dicts *d, casus_dict_kind kind)
{
    if (!d)
        return 0;
    switch ((int)kind) {
    case DICT_ACTORS: return d->n_actors;
    case DICT_AGENTS: return d->n_agents;
    case DICT_VERBS: return d->n_forms;
    case DICT_DISCARDS: return d->n_discards;
    default: return 0;
    }
}

const char *casus_dicts_origin(const casus_dicts *d, casus_dict_kind kind)
{
    if (!d || (int)kind < 0 || (int)kind >= DICT_NKINDS)
        return "";
    return dict_s(d, d->kind_dir[kind]);
}

/* Tokenizes text and prepares it for matching. */
static casus_status prepare_text(casus_ctx *ctx, const casus_dicts *d, const char *text,
                                 token_vec *tv, match_seq *seq)
{
    casus_status st = token_run(ctx, text, strlen(text), tv);
    if (st == CASUS_OK)
        st = match_prepare(ctx, d, tv->v, tv->n, seq);
    return st;
}

casus_status casus_dicts_lookup_actor(casus_ctx *ctx, const casus_dicts *d, const char *text,
                                      casus_date date, const char **code)
{
    token_vec tv = {NULL, 0, 0};
    match_seq seq = MATCH_SEQ_INIT;
    match_hit h;
    *code = NULL;
    if (!d || !text)
        return CASUS_EINVAL;
    casus_status st = prepare_text(ctx, d, text, &tv, &seq);
    if (st == CASUS_OK && seq.n && match_at(d, DICT_ACTORS, &seq, tv.v, 0, &h) &&
        h.end == seq.n)
        *code = match_actor_code(d, h.entry, dict_day_from_date(date));
    mem_free(ctx, tv.v);
    match_seq_free(ctx, &seq);
    return st;
}

casus_status casus_dicts_code_phrase(casus_ctx *ctx, const casus_dicts *d, const char *text,
                                     casus_date date, char *out, size_t cap)
{
    token_vec tv = {NULL, 0, 0};
    match_seq seq = MATCH_SEQ_INIT;
    if (!d || !text || !out || !cap)
        return CASUS_EINVAL;
    out[0] = '\0';
    casus_status st = prepare_text(ctx, d, text, &tv, &seq);
    const char *actor = NULL;
    long agent = -1;
    for (size_t i = 0; st == CASUS_OK && i < seq.n;) {
        match_hit h;
        if (!actor && match_at(d, DICT_ACTORS, &seq, tv.v, i, &h)) {
            actor = match_actor_code(d, h.entry, dict_day_from_date(date));
            i = h.end;
        } else if (agent < 0 && match_at(d, DICT_AGENTS, &seq, tv.v, i, &h)) {
            agent = h.entry;
            i = h.end;
        } else {
            i++;
        }
    }
    if (st == CASUS_OK && (actor || agent >= 0))
        match_combine(d, actor ? actor : "", agent >= 0 ? (uint32_t)agent : UINT32_MAX, out, cap);
    mem_free(ctx, tv.v);
    match_seq_free(ctx, &seq);
    return st;
}

casus_status casus_dicts_lookup_verb(const casus_dicts *d, const char *word, const char **code)
{
    *code = NULL;
    if (!d || !word)
        return CASUS_EINVAL;
    size_t n;
    const dict_verb_form *f = match_verb_word(d, word, strlen(word), &n);
    for (size_t i = 0; i < n; i++)
        if (f[i].n_front + f[i].n_back == 0) {
            *code = f[i].code ? dict_s(d, f[i].code) : "---";
            break;
        }
    return CASUS_OK;
}
