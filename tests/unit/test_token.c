/*
 * test_token.c - the tokenizer (token.c): every rule with exact words and
 * byte offsets, Unicode punctuation, U+FFFD, edge cases, out of memory.
 *
 * Expected output is written as "form@start" per word, with "+" after a word
 * that has CASUS_TOK_JOIN_NEXT (the next word is part of the same surface
 * token). render() also checks that form slices the text at [start, end).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "util/mem.h"

static char *render(casus_ctx *ctx, const char *text, size_t n)
{
    token_vec v = {0};
    assert_int_equal(token_run(ctx, text, n, &v), CASUS_OK);
    size_t cap = 64 + n * 4 + v.n * 24;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < v.n; i++) {
        const casus_token *t = &v.v[i];
        assert_true(t->form.p == text + t->start);
        assert_int_equal(t->form.n, t->end - t->start);
        assert_true(t->end > t->start && t->end <= n);
        if (i)
            assert_true(t->start >= v.v[i - 1].end);
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s@%zu%s", i ? " " : "",
                              (int)t->form.n, t->form.p, t->start,
                              t->flags & CASUS_TOK_JOIN_NEXT ? "+" : "");
    }
    if (v.n)
        assert_false(v.v[v.n - 1].flags & CASUS_TOK_JOIN_NEXT);
    mem_free(ctx, v.v);
    return out;
}

static void check(const char *text, const char *want)
{
    casus_ctx *ctx = casus_ctx_new();
    assert_non_null(ctx);
    char *got = render(ctx, text, strlen(text));
    if (strcmp(got, want) != 0)
        print_error("input: %s\n got: %s\nwant: %s\n", text, got, want);
    assert_string_equal(got, want);
    free(got);
    casus_ctx_free(ctx);
}

static void test_clitics(void **state)
{
    (void)state;
    check("I don't know.", "I@0 do@2+ n't@4 know@8 .@12");
    check("Google's CEO can't go.", "Google@0+ 's@6 CEO@9 ca@13+ n't@15 go@19 .@21");
    check("I'm sure it's won't", "I@0+ 'm@1 sure@4 it@9+ 's@11 wo@14+ n't@16");
    check("we'll they're you've she'd", "we@0+ 'll@2 they@6+ 're@10 you@14+ 've@17 she@21+ 'd@24");
    check("Iran's and Bush's", "Iran@0+ 's@4 and@7 Bush@11+ 's@15");
    check("DON'T", "DO@0+ N'T@2");
    /* U+2019 as apostrophe. */
    check("don\xE2\x80\x99t Iran\xE2\x80\x99s", "do@0+ n\xE2\x80\x99t@2 Iran@8+ \xE2\x80\x99s@12");
    /* Possessive apostrophe after s; a clitic written apart. */
    check("soldiers' families", "soldiers@0+ '@8 families@10");
    check("Bush 's plan", "Bush@0 's@5 plan@8");
    /* Contractions without apostrophes. */
    check("cannot gonna dont wont im", "can@0+ not@3 gon@7+ na@10 do@13+ nt@15 wo@18+ nt@20 im@23");
}

static void test_punctuation(void **state)
{
    (void)state;
    check("Yes, no; maybe: (so) [it] {is}!",
          "Yes@0 ,@3 no@5 ;@7 maybe@9 :@14 (@16 so@17 )@19 [@21 it@22 ]@24 {@26 is@27 }@29 !@30");
    check("Really?! Wait... what?", "Really@0 ?!@6 Wait@9 ...@13 what@17 ?@21");
    check("He said \"no\" -- then 'yes'.",
          "He@0 said@3 \"@8 no@9 \"@11 --@13 then@16 '@21 yes@22 '@25 .@26");
    check("word--word", "word@0 --@4 word@6");
}

static void test_abbreviations(void **state)
{
    (void)state;
    check("The U.S. Gen. Smith met J. Smith on Jan. 5.",
          "The@0 U.S.@4 Gen.@9 Smith@14 met@20 J.@24 Smith@27 on@33 Jan.@36 5@41 .@42");
    check("e.g. this i.e. that a.m. Ph.D.", "e.g.@0 this@5 i.e.@10 that@15 a.m.@20 Ph.D.@25");
    check("Mr. and Mrs. Dr. St. Inc. Corp. Ltd. vs.",
          "Mr.@0 and@4 Mrs.@8 Dr.@13 St.@17 Inc.@21 Corp.@26 Ltd.@32 vs.@37");
    /* Not abbreviations: ordinary words, "I", the period after a clitic. */
    check("He went home. So did I.", "He@0 went@3 home@8 .@12 So@14 did@17 I@21 .@22");
    check("They didn't.", "They@0 did@5+ n't@8 .@11");
    /* An abbreviation that ends a sentence keeps its period; a second one
     * is the full stop. */
    check("Acme Inc..", "Acme@0 Inc.@5 .@9");
    check("No. 5 and No.", "No.@0 5@4 and@6 No@10 .@12");
    check("U.S.-led forces", "U.S.@0 -@4 led@5 forces@9");
}

static void test_numbers(void **state)
{
    (void)state;
    check("It cost 1,000 or 3.5 on 9/11 at 3:30.",
          "It@0 cost@3 1,000@8 or@14 3.5@17 on@21 9/11@24 at@29 3:30@32 .@36");
    check("$5 and $1,000.50 or 50% on 11/28/2000", "$@0 5@1 and@3 $@7 1,000.50@8 or@17 50@20 %@22 on@24 11/28/2000@27");
    check("1990-1995 and 713-853-1411 and 345-9945",
          "1990@0 -@4 1995@5 and@10 713-853-1411@14 and@27 345-9945@31");
    check("5km and 650k and 23rd", "5@0 km@1 and@4 650@8 k@11 and@13 23rd@17");
    check("1, 2, 3.", "1@0 ,@1 2@3 ,@4 3@6 .@7");
    check(".5 percent", ".5@0 percent@3");
}

static void test_hyphens(void **state)
{
    (void)state;
    check("search-engine full-fledged al-Qaeda",
          "search@0 -@6 engine@7 full@14 -@18 fledged@19 al@27 -@29 Qaeda@30");
    check("e-mail non-state anti-war co-op pre-war re-elected mid-1990s",
          "e-mail@0 non-state@7 anti-war@17 co-op@26 pre-war@32 re-elected@40 mid-1990s@51");
    check("al-Adl and Ul-Adl", "al@0 -@2 Adl@3 and@7 Ul@11 -@13 Adl@14");
    check("Non-violent", "Non-violent@0");
}

static void test_names(void **state)
{
    (void)state;
    check("the Qur'an and O'Brien and AT&T", "the@0 Qur'an@4 and@11 O'Brien@15 and@23 AT&T@27");
    check("Amazon.com and whitehouse.gov.", "Amazon.com@0 and@11 whitehouse.gov@15 .@29");
}

static void test_urls_emails(void **state)
{
    (void)state;
    check("Visit http://www.example.com/a?b=1, or mail john.doe@example.org.",
          "Visit@0 http://www.example.com/a?b=1@6 ,@34 or@36 mail@39 john.doe@example.org@44 .@64");
    check("(www.example.org)", "(@0 www.example.org@1 )@16");
    check("\"Ann\"<ann@x.com>", "\"@0 Ann@1 \"@4 <@5 ann@x.com@6 >@15");
}

static void test_emoticons_and_symbols(void **state)
{
    (void)state;
    check("great :) sad :( wink ;-)", "great@0 :)@6 sad@9 :(@13 wink@16 ;-)@21");
    check("#1 and #metoo", "#@0 1@1 and@3 #metoo@7");
    check("$$$ here", "$$$@0 here@4");
}

static void test_unicode(void **state)
{
    (void)state;
    /* Curly quotes, em and en dashes, ellipsis, guillemets. */
    check("\xE2\x80\x9CQuoted,\xE2\x80\x9D he said \xE2\x80\x94 then\xE2\x80\xA6",
          "\xE2\x80\x9C@0 Quoted@3 ,@9 \xE2\x80\x9D@10 he@14 said@17 \xE2\x80\x94@22 then@26 \xE2\x80\xA6@30");
    check("1990\xE2\x80\x93" "95 \xC2\xABoui\xC2\xBB",
          "1990@0 \xE2\x80\x93@4 95@7 \xC2\xAB@10 oui@12 \xC2\xBB@15");
    /* Accented letters are letters; no-break space is whitespace. */
    check("Caf\xC3\xA9\xC2\xA0na\xC3\xAFve S\xC3\xA3o-Paulo", "Caf\xC3\xA9@0 na\xC3\xAFve@7 S\xC3\xA3o@14 -@18 Paulo@19");
    /* U+FFFD stays inside its word. */
    check("caf\xEF\xBF\xBD x \xEF\xBF\xBD", "caf\xEF\xBF\xBD@0 x@7 \xEF\xBF\xBD@9");
}

static void test_empty_and_space(void **state)
{
    (void)state;
    check("", "");
    check("   \n\t\r\n  ", "");
    check("\xC2\xA0\xE2\x80\x83", "");
    check(" a ", "a@1");
}

static void test_long_tokens(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(n + 3);
    assert_non_null(s);
    memset(s, 'x', n);
    memcpy(s + n, "'s", 3);
    casus_ctx *ctx = casus_ctx_new();
    token_vec v = {0};
    assert_int_equal(token_run(ctx, s, n + 2, &v), CASUS_OK);
    assert_int_equal(v.n, 2);
    assert_int_equal(v.v[0].end, n);
    assert_int_equal(v.v[1].start, n);
    /* A long run of punctuation is one token; many suffixes are fine. */
    memset(s, ')', n);
    v.n = 0;
    assert_int_equal(token_run(ctx, s, n, &v), CASUS_OK);
    assert_true(v.n >= 1);
    size_t total = 0;
    for (size_t i = 0; i < v.n; i++)
        total += v.v[i].end - v.v[i].start;
    assert_int_equal(total, n);
    memset(s, '.', n);
    v.n = 0;
    assert_int_equal(token_run(ctx, s, n, &v), CASUS_OK);
    assert_int_equal(v.n, 1);
    mem_free(ctx, v.v);
    casus_ctx_free(ctx);
    free(s);
}

/* Every non-space byte is covered exactly once, on assorted text. */
static void test_coverage(void **state)
{
    (void)state;
    const char *s = "((\"Don't\")) -- U.S.-Iran's 3.5% e-mail... ok!? "
                    "\xE2\x80\x98y\xE2\x80\x99" "all\xE2\x80\x99 x@y.z http://a.b/c).";
    casus_ctx *ctx = casus_ctx_new();
    token_vec v = {0};
    size_t n = strlen(s);
    assert_int_equal(token_run(ctx, s, n, &v), CASUS_OK);
    size_t covered = 0, nonspace = 0;
    for (size_t i = 0; i < v.n; i++)
        covered += v.v[i].end - v.v[i].start;
    for (size_t i = 0; i < n; i++)
        nonspace += s[i] != ' ';
    assert_int_equal(covered, nonspace);
    mem_free(ctx, v.v);
    casus_ctx_free(ctx);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    const char *s = "The U.S. didn't say; al-Qaeda's men (1,000 of them) left.";
    int succeeded = 0;
    for (long fail = 1; fail < 100 && !succeeded; fail++) {
        test_alloc a = {fail, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx) {
            assert_int_equal(a.live, 0);
            continue;
        }
        token_vec v = {0};
        casus_status st = token_run(ctx, s, strlen(s), &v);
        if (st == CASUS_OK)
            succeeded = 1;
        else
            assert_int_equal(st, CASUS_ENOMEM);
        mem_free(ctx, v.v);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clitics),
        cmocka_unit_test(test_punctuation),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_hyphens),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_urls_emails),
        cmocka_unit_test(test_emoticons_and_symbols),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_empty_and_space),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
