/*
 * test_when.c - the date stage (when.c) and the calendar arithmetic it uses
 * (util/date.c): day numbers and weekdays, each kind of expression with its
 * range, precision, flags and anchor, bad input (impossible dates,
 * overflowing numbers, reversed ranges, no publication date), the result
 * cap, and the test set tests/data/dates.tsv (>= 95% exact).
 *
 * Expected output of check() is "text=lo..hi/precision" per date, joined by
 * "; "; an unresolved date shows "?" for its range.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "util/date.h"
#include "util/mem.h"
#include "when.h"

static casus_date D(const char *s)
{
    casus_date d = {0, 0, 0};
    if (s && *s && strcmp(s, "-") != 0)
        assert_int_equal(casus_date_parse(s, strlen(s), &d), CASUS_OK);
    return d;
}

/* Runs the finder on text; renders the dates into out. */
static size_t find(casus_ctx *ctx, const char *pub, const char *ref, const char *text,
                   when_date *o, size_t cap, char *out, size_t outn)
{
    token_vec v = {0};
    assert_int_equal(token_run(ctx, text, strlen(text), &v), CASUS_OK);
    when_env env = {ctx, "test", 1, "doc", D(pub), D(ref)};
    size_t k = when_find(&env, v.v, v.n, o, cap);
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        char a[11], b[11];
        casus_date_format(o[i].lo, a);
        casus_date_format(o[i].hi, b);
        assert_true(o[i].first + o[i].n <= v.n);
        assert_int_equal(o[i].start, v.v[o[i].first].start);
        assert_int_equal(o[i].end, v.v[o[i].first + o[i].n - 1].end);
        if (i)
            assert_true(o[i].first >= o[i - 1].first + o[i - 1].n);
        if (o[i].flags & WHEN_UNRESOLVED)
            assert_int_equal(o[i].lo.year, 0);
        else
            assert_true(date_days(o[i].lo) <= date_days(o[i].hi));
        char range[32];
        if (o[i].flags & WHEN_UNRESOLVED)
            strcpy(range, "?");
        else if (strcmp(a, b) == 0)
            strcpy(range, a);
        else
            snprintf(range, sizeof range, "%s..%s", a, b);
        w += (size_t)snprintf(out + w, outn - w, "%s%.*s=%s/%s", i ? "; " : "",
                              (int)(o[i].end - o[i].start), text + o[i].start, range,
                              when_precision_name(o[i].precision));
    }
    mem_free(ctx, v.v);
    return k;
}

static void check_ref(const char *pub, const char *ref, const char *text, const char *want)
{
    casus_ctx *ctx = casus_ctx_new();
    when_date o[16];
    char got[1024];
    find(ctx, pub, ref, text, o, 16, got, sizeof got);
    if (strcmp(got, want) != 0)
        print_error("input: %s\n got: %s\nwant: %s\n", text, got, want);
    assert_string_equal(got, want);
    casus_ctx_free(ctx);
}

static void check(const char *pub, const char *text, const char *want)
{
    check_ref(pub, NULL, text, want);
}

static void test_date_arith(void **state)
{
    (void)state;
    assert_int_equal(date_to_days(1970, 1, 1), 0);
    assert_int_equal(date_to_days(2000, 3, 1), 11017);
    assert_int_equal(date_weekday(date_to_days(2024, 1, 3)), 2);   /* Wednesday */
    assert_int_equal(date_weekday(date_to_days(1969, 12, 31)), 2);
    for (long d = date_to_days(1, 1, 1); d < date_to_days(9999, 12, 31); d += 997) {
        casus_date c = date_from_days(d);
        assert_true(date_valid(c.year, c.month, c.day));
        assert_int_equal(date_days(c), d);
    }
    casus_date c = date_from_days(date_to_days(2024, 2, 29) + 1);
    assert_int_equal(c.month, 3);
    assert_int_equal(c.day, 1);
    assert_true(date_valid(2024, 2, 29));
    assert_false(date_valid(2023, 2, 29));
    assert_false(date_valid(1900, 2, 29));
    assert_true(date_valid(2000, 2, 29));
    assert_int_equal(date_from_days(date_to_days(10000, 1, 1)).year, 0);
    assert_int_equal(date_days_in_month(2023, 13), 0);
    assert_true(when_lexicon_sorted());
}

static void test_absolute(void **state)
{
    (void)state;
    check("2024-01-10", "Gunmen struck on January 3, 2024, killing nine.",
          "January 3, 2024=2024-01-03/day");
    check("2024-01-10", "On 3 Jan the army moved.", "3 Jan=2024-01-03/day");
    check("2024-01-10", "It was 2024-01-03 and then 06/07/2017.",
          "2024-01-03=2024-01-03/day; 06/07/2017=2017-06-07/day");
    check("2024-01-10", "Dated 3rd of January 2023.", "3rd of January 2023=2023-01-03/day");
    check("2024-01-10", "In June 2017 and in 2018.",
          "June 2017=2017-06-01..2017-06-30/month; 2018=2018-01-01..2018-12-31/year");
    check("2024-01-10", "Violence rose in late June 2017.",
          "late June 2017=2017-06-21..2017-06-30/month");
    check("2024-01-10", "It began in mid-January.", "mid-January=2024-01-11..2024-01-20/month");
    check("2024-01-10", "In the 1990s it was calm.", "the 1990s=1990-01-01..1999-12-31/decade");
    check("2024-01-10", "Violence escalated between 2017 and 2019.",
          "between 2017 and 2019=2017-01-01..2019-12-31/year");
    check("2024-01-10", "Airstrikes from June to August 2018.",
          "from June to August 2018=2018-06-01..2018-08-31/month");
    check("2024-01-10", "It held since 2014.", "since 2014=2014-01-01..2024-01-10/year");
    check("2024-01-10", "Dated 2024/01/03.", "2024/01/03=2024-01-03/day");
    check("2024-01-10", "Dated 12.03.2023.", "12.03.2023=2023-03-12/day");
    check("2024-01-10", "On 6/7/17 they met.", "6/7/17=2017-06-07/day");
    check("2024-05-10", "In the last week of April and the second half of 2023.",
          "the last week of April=2024-04-24..2024-04-30/week; "
          "the second half of 2023=2023-07-01..2023-12-31/month");
    check("2024-05-10", "In the first quarter of 2020.",
          "the first quarter of 2020=2020-01-01..2020-03-31/month");
    check("2024-05-10", "Since the start of the year.",
          "Since the start of the year=2024-01-01..2024-05-10/year");
    /* A weekday that agrees with the date is part of it. */
    check("2024-01-10", "Wednesday, Jan. 3, 2024 was cold.",
          "Wednesday, Jan. 3, 2024=2024-01-03/day");
}

static void test_iso_one_token(void **state)
{
    (void)state;
    /* Another tokenizer (or gold CoNLL-U) may keep an ISO date whole. */
    const char *text = "on 2024-01-03 .";
    casus_token t[3];
    memset(t, 0, sizeof t);
    t[0].form.p = text, t[0].form.n = 2, t[0].start = 0, t[0].end = 2;
    t[1].form.p = text + 3, t[1].form.n = 10, t[1].start = 3, t[1].end = 13;
    t[2].form.p = text + 14, t[2].form.n = 1, t[2].start = 14, t[2].end = 15;
    when_env env = {NULL, NULL, 0, NULL, D("2024-02-01"), D(NULL)};
    when_date o[4];
    assert_int_equal(when_find(&env, t, 3, o, 4), 1);
    assert_int_equal(o[0].first, 1);
    assert_int_equal(o[0].n, 1);
    assert_int_equal(o[0].lo.day, 3);
    assert_int_equal(o[0].anchor, WHEN_ANCHOR_NONE);
    /* Split at the hyphens by token.c: one date over five words. */
    check("2024-02-01", "on 2024-01-03 .", "2024-01-03=2024-01-03/day");
    /* Not adjacent: not a date. */
    check("2024-02-01", "2024 - 01 - 03", "");
}

static void test_relative(void **state)
{
    (void)state;
    /* 2024-01-10 is a Wednesday. */
    check("2024-01-10", "On Wednesday, yesterday and last month.",
          "Wednesday=2024-01-10/day; yesterday=2024-01-09/day; "
          "last month=2023-12-01..2023-12-31/month");
    check("2024-01-10", "On Thursday they fled.", "Thursday=2024-01-04/day");
    check("2024-01-10", "He will speak on Thursday.", "Thursday=2024-01-11/day");
    check("2024-01-10", "They met last Wednesday.", "last Wednesday=2024-01-03/day");
    check("2024-01-10", "It happened two days ago.", "two days ago=2024-01-08/day");
    check("2024-01-10", "It happened three weeks ago.",
          "three weeks ago=2023-12-17..2023-12-23/week");
    check("2024-01-10", "It happened a fortnight ago.",
          "a fortnight ago=2023-12-24..2023-12-30/week");
    check("2024-01-10", "Earlier this year and this week.",
          "Earlier this year=2024-01-01..2024-01-10/year; "
          "this week=2024-01-08..2024-01-14/week");
    check("2024-01-10", "Today and tomorrow.",
          "Today=2024-01-10/day; tomorrow=2024-01-11/day");
    check("2024-07-15", "Last summer was calm.", "Last summer=2023-06-01..2023-08-31/season");
}

static void test_reference(void **state)
{
    (void)state;
    check_ref("2024-01-20", "2024-01-03", "It came almost two weeks after the Kerman attack.",
              "almost two weeks after=2024-01-14..2024-01-20/week");
    check_ref("2024-01-20", "2024-01-03", "The next day and the previous day.",
              "The next day=2024-01-04/day; the previous day=2024-01-02/day");
    check_ref("2024-01-20", "2024-01-03", "Days later, a video.",
              "Days later=2024-01-05..2024-01-09/week");
    /* Without a reference: found, but unresolved. */
    check("2024-01-20", "It came almost two weeks after the Kerman attack.",
          "almost two weeks after=?/week");
    check("2024-01-20", "The next day, more blasts.", "The next day=?/day");
    /* A date in the phrase is its own anchor. */
    check("2024-01-20", "Two days after January 3.", "Two days after January 3=2024-01-05/day");

    casus_ctx *ctx = casus_ctx_new();
    when_date o[4];
    char got[256];
    assert_int_equal(find(ctx, "2024-01-20", "2024-01-03", "almost two weeks after it", o, 4,
                          got, sizeof got), 1);
    assert_true(o[0].flags & WHEN_APPROX);
    assert_true(o[0].flags & WHEN_RELATIVE);
    assert_int_equal(o[0].anchor, WHEN_ANCHOR_REF);
    assert_int_equal(find(ctx, "2024-01-20", NULL, "almost two weeks after it", o, 4,
                          got, sizeof got), 1);
    assert_true(o[0].flags & WHEN_UNRESOLVED);
    assert_int_equal(find(ctx, "2024-01-20", NULL, "yesterday", o, 4, got, sizeof got), 1);
    assert_int_equal(o[0].anchor, WHEN_ANCHOR_PUB);
    assert_true(o[0].flags & WHEN_RELATIVE);
    assert_int_equal(find(ctx, "2024-01-20", NULL, "since 2014", o, 4, got, sizeof got), 1);
    assert_true(o[0].flags & WHEN_SINCE);
    assert_int_equal(find(ctx, "2024-01-20", NULL, "until 2019", o, 4, got, sizeof got), 1);
    assert_true(o[0].flags & WHEN_BEFORE);
    assert_int_equal(find(ctx, "2024-01-20", NULL, "March 8", o, 4, got, sizeof got), 1);
    assert_int_equal(o[0].anchor, WHEN_ANCHOR_PUB);
    assert_false(o[0].flags & WHEN_RELATIVE);
    casus_ctx_free(ctx);
}

static void test_no_publication_date(void **state)
{
    (void)state;
    check(NULL, "Yesterday, on March 8 and on January 3, 2024.",
          "Yesterday=?/day; March 8=?/day; January 3, 2024=2024-01-03/day");
    check(NULL, "Last week, in June.", "Last week=?/week; June=?/month");
}

static void test_not_dates(void **state)
{
    (void)state;
    check("2024-01-10", "Militants killed 2017 people.", "");
    check("2024-01-10", "A force of 2000 soldiers arrived.", "");
    check("2024-01-10", "May God protect them.", "");
    check("2024-01-10", "The march began.", "");
    check("2024-01-10", "The 9/11 attacks.", "");
    check("2024-01-10", "He spent 10 days in jail.", "");
    check("2024-01-10", "The 3rd Battalion moved on the 3rd floor.", "");
    check("2024-01-10", "Jan. and Wed. alone.", "");
    check("2024-01-10", "", "");
}

static void test_bad_input(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    test_diags diags;
    memset(&diags, 0, sizeof diags);
    casus_ctx_set_diag(ctx, test_diag_fn, &diags);
    when_date o[8];
    char got[512];
    const char *text = "It was February 30, 2024 and 31 April and 31/31/2024.";
    assert_int_equal(find(ctx, "2024-05-01", NULL, text, o, 8, got, sizeof got), 0);
    assert_int_equal(diags.n, 3);
    assert_int_equal(diags.sev[0], CASUS_WARNING);
    assert_true(test_diags_find(&diags, "impossible date \"February 30, 2024\" (bytes 7-24)") >= 0);
    assert_true(test_diags_find(&diags, "\"31 April\"") >= 0);
    /* The year of an impossible date is not picked up on its own. */
    diags.n = 0;
    assert_int_equal(find(ctx, "2024-05-01", NULL, "Between 2019 and 2017 it raged.", o, 8,
                          got, sizeof got), 0);
    assert_true(test_diags_find(&diags, "reversed range") >= 0);
    diags.n = 0;
    assert_int_equal(find(ctx, "2024-05-01", NULL, "On Monday, January 3, 2024 it rained.",
                          o, 8, got, sizeof got), 0);
    assert_true(test_diags_find(&diags, "weekday contradicts") >= 0);
    diags.n = 0;
    assert_int_equal(find(ctx, "2023-05-01", NULL, "On Feb. 29 it rained.", o, 8, got,
                          sizeof got), 0);
    assert_int_equal(diags.n, 1);
    /* Numbers that overflow, and counts out of the calendar, are ignored. */
    diags.n = 0;
    assert_int_equal(find(ctx, "2024-05-01", NULL,
                          "January 99999999999999999999, 2024 and 99999999999 days ago "
                          "and 99999 years ago and in 2024-99-99999.",
                          o, 8, got, sizeof got), 0);
    assert_int_equal(find(ctx, "0001-01-05", NULL, "ten days ago", o, 8, got, sizeof got), 0);
    assert_int_equal(find(ctx, "9999-12-30", NULL, "next week", o, 8, got, sizeof got), 0);
    /* The cap is respected. */
    assert_int_equal(find(ctx, "2024-05-01", NULL, "in 2001, 2002, 2003 and 2004", o, 2, got,
                          sizeof got), 2);
    casus_ctx_free(ctx);
}

/* ---------------------------------------------------------------- the test set */

static char *field(char **p)
{
    char *s = *p, *t = s ? strchr(s, '\t') : NULL;
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = NULL;
    }
    return s;
}

static void test_dataset(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/dates.tsv", "r");
    assert_non_null(f);
    casus_ctx *ctx = casus_ctx_new();
    char line[2048];
    int total = 0, exact = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *p = line;
        const char *pub = field(&p), *sent = field(&p), *expr = field(&p);
        const char *lo = field(&p), *hi = field(&p), *prec = field(&p);
        const char *ref = p ? field(&p) : "-";
        assert_non_null(prec);
        total++;
        when_date o[16];
        char got[1024];
        size_t k = find(ctx, pub, ref, sent, o, 16, got, sizeof got);
        int ok = 0;
        if (strcmp(expr, "-") == 0) {
            ok = k == 0;
        } else {
            for (size_t i = 0; i < k; i++) {
                size_t n = o[i].end - o[i].start;
                if (n != strlen(expr) || memcmp(sent + o[i].start, expr, n) != 0)
                    continue;
                char a[11], b[11];
                casus_date_format(o[i].lo, a);
                casus_date_format(o[i].hi, b);
                int unres = (o[i].flags & WHEN_UNRESOLVED) != 0;
                ok = strcmp(when_precision_name(o[i].precision), prec) == 0 &&
                     (unres ? strcmp(lo, "-") == 0 && strcmp(hi, "-") == 0
                            : strcmp(a, lo) == 0 && strcmp(b, hi) == 0);
            }
        }
        if (ok)
            exact++;
        else
            print_message("miss: [%s ref %s] %s\n  want: %s=%s..%s/%s\n   got: %s\n", pub, ref,
                          sent, expr, lo, hi, prec, got);
    }
    fclose(f);
    casus_ctx_free(ctx);
    print_message("dates.tsv: %d/%d exact (%.1f%%)\n", exact, total,
                  total ? 100.0 * exact / total : 0.0);
    assert_true(total >= 200);
    assert_true(exact * 100 >= total * 95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_arith),
        cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_iso_one_token),
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_no_publication_date),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_dataset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
