/*
 * test_sentence.c - the sentence splitter (sentence.c) on the tokenizer's
 * output: terminal marks with closers, abbreviations and initials,
 * paragraph breaks, wrapped lines, edge cases and out of memory.
 *
 * Expected output lists each sentence as "[start,end)".
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sentence.h"
#include "token.h"
#include "util/mem.h"

static void check(const char *text, const char *want)
{
    casus_ctx *ctx = casus_ctx_new();
    token_vec tv = {0};
    sentence_vec sv = {0};
    size_t n = strlen(text);
    assert_int_equal(token_run(ctx, text, n, &tv), CASUS_OK);
    assert_int_equal(sentence_run(ctx, text, n, tv.v, tv.n, &sv), CASUS_OK);
    char got[1024];
    size_t o = 0;
    got[0] = '\0';
    size_t next = 0;
    for (size_t i = 0; i < sv.n; i++) {
        const casus_sentence *s = &sv.v[i];
        /* Sentences tile the words in order. */
        assert_int_equal(s->first_token, next);
        assert_true(s->n_tokens > 0);
        next += s->n_tokens;
        assert_int_equal(s->start, tv.v[s->first_token].start);
        assert_int_equal(s->end, tv.v[s->first_token + s->n_tokens - 1].end);
        assert_true(s->text.p == text + s->start);
        assert_int_equal(s->text.n, s->end - s->start);
        o += (size_t)snprintf(got + o, sizeof got - o, "%s[%zu,%zu)", i ? " " : "",
                              s->start, s->end);
    }
    assert_int_equal(next, tv.n);
    if (strcmp(got, want) != 0)
        print_error("input: %s\n got: %s\nwant: %s\n", text, got, want);
    assert_string_equal(got, want);
    mem_free(ctx, tv.v);
    mem_free(ctx, sv.v);
    casus_ctx_free(ctx);
}

static void test_terminals(void **state)
{
    (void)state;
    check("He left. She stayed! Why? Because.", "[0,8) [9,20) [21,25) [26,34)");
    check("It ended...  Then more.", "[0,11) [13,23)");
    check("Wait... what?", "[0,13)");
    check("no caps. still splits", "[0,8) [9,21)");
    check("Really?! Yes.", "[0,8) [9,13)");
    check("No terminal at all", "[0,18)");
}

static void test_closers(void **state)
{
    (void)state;
    check("He said \"Go.\" Then he left.", "[0,13) [14,27)");
    check("(It was late.) We went home.", "[0,14) [15,28)");
    check("\xE2\x80\x9CStop.\xE2\x80\x9D He stopped.", "[0,11) [12,23)");
    check("Done. , not a start", "[0,19)");
}

static void test_abbreviations(void **state)
{
    (void)state;
    check("Mr. Smith met Gen. Jones in the U.S. Army.", "[0,42)");
    check("J. R. Smith arrived. He sat.", "[0,20) [21,28)");
    check("He works for Acme Inc. The firm grew.", "[0,22) [23,37)");
    check("He works for Acme Inc. of Ohio.", "[0,31)");
    check("It was 5 p.m. on Jan. 5, 2020.", "[0,30)");
}

static void test_paragraphs(void **state)
{
    (void)state;
    check("Headline without stop\n\nBody text here.", "[0,21) [23,38)");
    check("One\n  \t\nTwo", "[0,3) [8,11)");
    /* A single newline is whitespace: wrapped lines stay together. */
    check("The militants attacked\nthe village on Monday.", "[0,45)");
}

static void test_edges(void **state)
{
    (void)state;
    check("", "");
    check("   \n\n  ", "");
    check(".", "[0,1)");
    check("...", "[0,3)");
    /* A multiword token is never split. */
    check("I don't. Ok", "[0,8) [9,11)");
}

static void test_out_of_memory(void **state)
{
    (void)state;
    const char *s = "One. Two. Three. Four.\n\nFive! Six? Seven.";
    int succeeded = 0;
    for (long fail = 1; fail < 100 && !succeeded; fail++) {
        test_alloc a = {fail, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        token_vec tv = {0};
        sentence_vec sv = {0};
        casus_status st = token_run(ctx, s, strlen(s), &tv);
        if (st == CASUS_OK)
            st = sentence_run(ctx, s, strlen(s), tv.v, tv.n, &sv);
        if (st == CASUS_OK) {
            succeeded = 1;
            assert_int_equal(sv.n, 7);
        } else {
            assert_int_equal(st, CASUS_ENOMEM);
        }
        mem_free(ctx, tv.v);
        mem_free(ctx, sv.v);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminals),
        cmocka_unit_test(test_closers),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
