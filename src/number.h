/*
 * number.h - counts in news text, read as ranges: "17", "1,200", "ninety-one",
 * "a dozen", "dozens of", "hundreds", "at least 84", "over 90", "nearly 100".
 *
 * The incident stage (incident.c) reads casualty figures with it. A count is
 * an inclusive range [min, max]; max NUM_OPEN means "no upper bound" ("at
 * least 84" -> [84, open], "over 90" -> [91, open]), min NUM_NONE "no lower
 * bound stated" ("up to 10" -> [none, 10]). The conventions (docs/
 * ARCHITECTURE.md, "Incidents"):
 *
 *   digits, words    "17", "1,200", "seventeen", "ninety - one", "two hundred"
 *   vague words      a dozen 12, half a dozen 6, a few 2-4, several 3-7,
 *                    dozens 24-99, scores 40-99, hundreds 200-999,
 *                    thousands 2000-9999, tens of thousands 20000-99999
 *   bounds           at least / no fewer than N [N, open]; more than / over /
 *                    above / upwards of N [N+1, open]; up to / as many as /
 *                    at most N [none, N]; fewer than / less than N [none, N-1];
 *                    nearly / almost / close to N [N - max(1, N/10), N - 1]
 *   hedges           about / around / approximately / roughly / some / an
 *                    estimated N: N (NUM_APPROX set)
 *   ranges           N to M, N or M, between N and M (M > N): [N, M]
 *   none             "no one", "nobody", "none": 0
 *   another          "another 20": 20; "another" alone: 1
 *
 * A number over NUM_MAX (a billion) or with more digits than fit is not a
 * count: NUM_OVERFLOW is set and the range is empty (both NUM_NONE).
 * Decimals ("3.5"), ordinals and tokens such as "9/11" are not counts.
 * Nothing is allocated.
 */
#ifndef CASUS_NUMBER_H
#define CASUS_NUMBER_H

#include <stdint.h>

#include "casus.h"

#define NUM_NONE (-1)            /* min or max not stated */
#define NUM_OPEN INT64_MAX       /* max: no upper bound */
#define NUM_MAX 1000000000LL     /* larger is not a count of people */

#define NUM_OVERFLOW 0x1u
#define NUM_APPROX 0x2u
#define NUM_VAGUE 0x4u           /* a word range: "dozens", "hundreds" */

typedef struct num_range {
    int64_t min, max;
    unsigned flags;
} num_range;

/*
 * Reads the count that starts at word i of w[0..n) (a sentence), modifiers
 * included. Returns how many words it spans, 0 when no count starts there.
 */
size_t number_at(const casus_token *w, size_t n, size_t i, num_range *out);

/* The value of one number word ("seventeen", "90", "1,200", "twenty-five");
 * -1 when the word is not a plain cardinal, -2 when it overflows. */
int64_t number_word(const char *s, size_t n);

#endif
