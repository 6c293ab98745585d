/*
 * number.c - counts in news text as ranges (see number.h for the rules).
 *
 * Sits beside the incident stage, which calls number_at() on each word of
 * a sentence that may start a casualty figure. Words are compared case-
 * insensitively by their form; nothing is allocated and no state is kept.
 */
#include <string.h>

#include "number.h"

/* number_at() tries some 60 words at every word of a sentence: the first
 * letter is compared before the length, and both helpers are inlined so
 * that the length of each literal word is a constant (called, they and
 * strlen were a third of the incident stage's time). */
#if defined(__GNUC__)
#define NUM_INLINE static inline __attribute__((always_inline))
#else
#define NUM_INLINE static inline
#endif

NUM_INLINE int eqw(const casus_token *t, const char *s)
{
    if (!t->form.n || (t->form.p[0] | 0x20) != s[0])
        return 0;
    size_t n = strlen(s);
    if (t->form.n != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t->form.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != s[i])
            return 0;
    }
    return 1;
}

/* w[i] spells s (NULL-safe on the end of the sentence). */
NUM_INLINE int at(const casus_token *w, size_t n, size_t i, const char *s)
{
    return i < n && eqw(&w[i], s);
}

/* The spelled numbers 0..99 of one word, by length (3 to 9 letters): a
 * word is compared only with those of its length. */
static const struct {
    char w[10];
    signed char v;
} small_words[] = {
    {"one", 1},       {"two", 2},       {"six", 6},        {"ten", 10},
    {"zero", 0},      {"four", 4},      {"five", 5},       {"nine", 9},
    {"three", 3},     {"seven", 7},     {"eight", 8},      {"forty", 40},
    {"fifty", 50},    {"sixty", 60},    {"eleven", 11},    {"twelve", 12},
    {"twenty", 20},   {"thirty", 30},   {"eighty", 80},    {"ninety", 90},
    {"fifteen", 15},  {"sixteen", 16},  {"seventy", 70},   {"thirteen", 13},
    {"fourteen", 14}, {"eighteen", 18}, {"nineteen", 19},  {"seventeen", 17}};
/* small_words[len_first[n - 3] .. len_first[n - 2]) have n letters */
static const unsigned char len_first[] = {0, 4, 8, 14, 20, 23, 27, 28};

/* 0..99 from one word without a hyphen; -1 if not one. */
static int64_t small_word(const char *s, size_t n)
{
    if (n < 3 || n > 9)
        return -1;
    char c0 = s[0] >= 'A' && s[0] <= 'Z' ? (char)(s[0] - 'A' + 'a') : s[0];
    for (size_t i = len_first[n - 3]; i < len_first[n - 2]; i++) {
        if (small_words[i].w[0] != c0)
            continue;
        size_t k = 1;
        for (; k < n; k++) {
            char c = s[k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != small_words[i].w[k])
                break;
        }
        if (k == n)
            return small_words[i].v;
    }
    return -1;
}

int64_t number_word(const char *s, size_t n)
{
    if (n == 0)
        return -1;
    if (s[0] >= '0' && s[0] <= '9') {
        int64_t v = 0;
        size_t digits = 0, group = 0;
        int commas = 0;
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            if (c == ',') {
                /* thousands separators: groups of exactly three digits */
                if (i == 0 || (commas && group != 3) || (!commas && group > 3))
                    return -1;
                commas = 1;
                group = 0;
                continue;
            }
            if (c < '0' || c > '9')
                return -1;
            if (++digits > 18)
                return -2;
            v = v * 10 + (c - '0');
            group++;
        }
        if (commas && group != 3)
            return -1;
        return v > NUM_MAX ? -2 : v;
    }
    const char *h = memchr(s, '-', n);
    if (h) {   /* "twenty-five" kept as one word */
        int64_t a = small_word(s, (size_t)(h - s));
        int64_t b = small_word(h + 1, n - (size_t)(h - s) - 1);
        if (a >= 20 && a % 10 == 0 && b >= 1 && b <= 9)
            return a + b;
        return -1;
    }
    return small_word(s, n);
}

/* A cardinal spelled over one or more words starting at i: "ninety - one",
 * "two hundred", "a hundred", "3 million". *used gets the words. */
static int64_t cardinal(const casus_token *w, size_t n, size_t i, size_t *used)
{
    int64_t v;
    size_t j = i;
    if ((at(w, n, j, "a") || at(w, n, j, "one")) &&
        (at(w, n, j + 1, "hundred") || at(w, n, j + 1, "thousand"))) {
        v = at(w, n, j + 1, "hundred") ? 100 : 1000;
        *used = 2;
        return v;
    }
    if (j >= n)
        return -1;
    v = number_word(w[j].form.p, w[j].form.n);
    if (v < 0)
        return v;
    j++;
    /* "ninety - one" (the tokenizer splits the hyphen) */
    if (v >= 20 && v < 100 && v % 10 == 0 && at(w, n, j, "-") && j + 1 < n) {
        int64_t b = small_word(w[j + 1].form.p, w[j + 1].form.n);
        if (b >= 1 && b <= 9) {
            v += b;
            j += 2;
        }
    }
    if (at(w, n, j, "hundred")) {
        v *= 100;
        j++;
        size_t k = j + (at(w, n, j, "and") ? 1 : 0);
        if (k < n && w[k].form.p[0] > '9') {
            int64_t b = number_word(w[k].form.p, w[k].form.n);
            if (b > 0 && b < 100) {
                v += b;
                j = k + 1;
            }
        }
    }
    if (at(w, n, j, "thousand") || at(w, n, j, "million")) {
        int64_t m = at(w, n, j, "thousand") ? 1000 : 1000000;
        if (v > NUM_MAX / m)
            return -2;
        v *= m;
        j++;
    }
    if (v > NUM_MAX)
        return -2;
    *used = j - i;
    return v;
}

/* The words other than numbers that a figure can start with (a modifier, a
 * vague word, "a hundred"), by length: start_first[n - 1] is the first of
 * n letters. */
static const char *const start_words[] = {
    "a", "an", "as", "at", "no", "up", "half", "less", "more", "none", "over", "some", "tens",
    "about", "above", "close", "dozen", "fewer", "almost", "around", "dozens", "nearly",
    "nobody", "scores", "another", "between", "greater", "roughly", "several", "upwards",
    "hundreds", "estimated", "thousands", "approximately"};
static const unsigned char start_first[] = {0, 1, 6, 6, 13, 18, 24, 30, 31, 33, 33, 33, 33, 34};

/* 0 when no figure can start with the word s[0..n): not a digit, a
 * hyphenated word, a spelled number or a word of start_words. number_at()
 * runs at every word, and this is most of them. */
static int may_start(const char *s, size_t n)
{
    if (!n || (s[0] >= '0' && s[0] <= '9'))
        return 1;
    if (n > 13)
        return 0;
    if (memchr(s, '-', n) || small_word(s, n) >= 0)
        return 1;
    char low[13];
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        low[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    for (size_t i = start_first[n - 1]; i < start_first[n]; i++)
        if (start_words[i][0] == low[0] && !memcmp(start_words[i], low, n))
            return 1;
    return 0;
}

size_t number_at(const casus_token *w, size_t n, size_t i, num_range *out)
{
    enum { M_NONE, M_MIN, M_GT, M_MAX, M_LT, M_NEAR, M_APPROX, M_BETWEEN } mod = M_NONE;
    size_t j = i;
    out->min = out->max = NUM_NONE;
    out->flags = 0;
    if (i >= n)
        return 0;
    if (!may_start(w[i].form.p, w[i].form.n))
        return 0;
    /* modifiers */
    if (at(w, n, j, "at") && at(w, n, j + 1, "least")) {
        mod = M_MIN; j += 2;
    } else if (at(w, n, j, "no") && (at(w, n, j + 1, "fewer") || at(w, n, j + 1, "less")) &&
               at(w, n, j + 2, "than")) {
        mod = M_MIN; j += 3;
    } else if ((at(w, n, j, "more") || at(w, n, j, "greater")) && at(w, n, j + 1, "than")) {
        mod = M_GT; j += 2;
    } else if (at(w, n, j, "over") || at(w, n, j, "above")) {
        mod = M_GT; j += 1;
    } else if (at(w, n, j, "upwards") && at(w, n, j + 1, "of")) {
        mod = M_GT; j += 2;
    } else if (at(w, n, j, "up") && at(w, n, j + 1, "to")) {
        mod = M_MAX; j += 2;
    } else if (at(w, n, j, "as") && at(w, n, j + 1, "many") && at(w, n, j + 2, "as")) {
        mod = M_MAX; j += 3;
    } else if (at(w, n, j, "at") && at(w, n, j + 1, "most")) {
        mod = M_MAX; j += 2;
    } else if ((at(w, n, j, "fewer") || at(w, n, j, "less")) && at(w, n, j + 1, "than")) {
        mod = M_LT; j += 2;
    } else if (at(w, n, j, "nearly") || at(w, n, j, "almost")) {
        mod = M_NEAR; j += 1;
    } else if (at(w, n, j, "close") && at(w, n, j + 1, "to")) {
        mod = M_NEAR; j += 2;
    } else if (at(w, n, j, "about") || at(w, n, j, "around") || at(w, n, j, "approximately") ||
               at(w, n, j, "roughly") || at(w, n, j, "some") || at(w, n, j, "estimated")) {
        mod = M_APPROX; j += 1;
    } else if (at(w, n, j, "an") && at(w, n, j + 1, "estimated")) {
        mod = M_APPROX; j += 2;
    } else if (at(w, n, j, "between")) {
        mod = M_BETWEEN; j += 1;
    }
    /* "another 20" is 20; "another" alone is one more ("killed one and
     * injured another") */
    if (mod == M_NONE && at(w, n, j, "another")) {
        size_t u0 = 0;
        if (j + 1 < n && cardinal(w, n, j + 1, &u0) >= 0) {
            j++;
        } else if (!(at(w, n, j + 1, "one") || (j + 1 < n && w[j + 1].form.n &&
                                                  w[j + 1].form.p[0] >= '0' &&
                                                  w[j + 1].form.p[0] <= '9'))) {
            out->min = out->max = 1;
            return 1;
        }
    }
    /* none */
    if (mod == M_NONE && ((at(w, n, j, "no") && at(w, n, j + 1, "one")) ||
                          at(w, n, j, "nobody") || at(w, n, j, "none"))) {
        out->min = out->max = 0;
        return at(w, n, j, "no") ? 2 : 1;
    }
    /* vague words */
    int64_t lo = -1, hi = -1;
    size_t used = 0;
    if (at(w, n, j, "half") && at(w, n, j + 1, "a") && at(w, n, j + 2, "dozen")) {
        lo = hi = 6; used = 3;
    } else if ((at(w, n, j, "a") || at(w, n, j, "one")) && at(w, n, j + 1, "dozen")) {
        lo = hi = 12; used = 2;
    } else if (at(w, n, j, "dozen")) {
        lo = hi = 12; used = 1;
    } else if (at(w, n, j, "a") && at(w, n, j + 1, "few")) {
        lo = 2; hi = 4; used = 2; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "several")) {
        lo = 3; hi = 7; used = 1; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "dozens")) {
        lo = 24; hi = 99; used = 1; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "scores")) {
        lo = 40; hi = 99; used = 1; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "hundreds")) {
        lo = 200; hi = 999; used = 1; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "tens") && at(w, n, j + 1, "of") && at(w, n, j + 2, "thousands")) {
        lo = 20000; hi = 99999; used = 3; out->flags |= NUM_VAGUE;
    } else if (at(w, n, j, "thousands")) {
        lo = 2000; hi = 9999; used = 1; out->flags |= NUM_VAGUE;
    } else {
        int64_t v = cardinal(w, n, j, &used);
        if (v == -2) {
            out->flags |= NUM_OVERFLOW;
            return j + 1 - i;
        }
        if (v < 0)
            return 0;
        /* "9/11", "3.5", "2-3": the tokenizer keeps those whole, so a plain
         * number here is a cardinal; a following "%" makes it a share */
        if (at(w, n, j + used, "%") || at(w, n, j + used, "percent"))
            return 0;
        lo = hi = v;
        /* "six to nine", "two or three", "between 200 and 500" */
        size_t k = j + used, u2 = 0;
        if ((mod == M_NONE && (at(w, n, k, "to") || at(w, n, k, "or"))) ||
            (mod == M_BETWEEN && at(w, n, k, "and"))) {
            int64_t v2 = cardinal(w, n, k + 1, &u2);
            if (v2 > v) {
                hi = v2;
                used = k + 1 + u2 - j;
                mod = M_NONE;
            }
        }
        if (mod == M_BETWEEN)
            return 0;
    }
    j += used;
    switch (mod) {
    case M_NONE:
        break;
    case M_MIN:
        hi = NUM_OPEN;
        break;
    case M_GT:
        if (out->flags & NUM_VAGUE) {
            hi = NUM_OPEN;
        } else {
            lo = lo + 1;
            hi = NUM_OPEN;
        }
        break;
    case M_MAX:
        lo = NUM_NONE;
        break;
    case M_LT:
        lo = NUM_NONE;
        hi = hi > 0 ? hi - 1 : 0;
        break;
    case M_NEAR:
        if (!(out->flags & NUM_VAGUE) && lo > 1) {
            int64_t d = lo / 10 > 1 ? lo / 10 : 1;
            lo = lo - d;
            hi = hi - 1;
        }
        out->flags |= NUM_APPROX;
        break;
    case M_APPROX:
        out->flags |= NUM_APPROX;
        break;
    case M_BETWEEN:
        break;
    }
    out->min = lo;
    out->max = hi;
    return j - i;
}
