/*
 * test_tag.c - the tagger's and lemmatizer's internals: word hashes and
 * flags, the static/dynamic split of the features, and lemma lookups
 * (dictionary strings and edit scripts) on the shipped models.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "lemma.h"
#include "tag.h"
#include "ud.h"

static void test_word(void **state)
{
    (void)state;
    tag_word a, b, c;
    tag_word_init(&a, "Karachi", 7, 1);
    tag_word_init(&b, "KARACHI", 7, 0);
    tag_word_init(&c, "karachi", 7, 0);
    assert_true(a.flags & TAGW_INITUP);
    assert_true(a.flags & TAGW_FIRST);
    assert_false(a.flags & TAGW_ALLUP);
    assert_true(b.flags & TAGW_ALLUP);
    assert_int_equal(a.lower, b.lower);
    assert_int_equal(a.lower, c.lower);
    assert_true(a.form != c.form);
    assert_int_equal(a.suf[2], c.suf[2]);
    assert_true(a.shape != c.shape);
    /* Digits fold: 1995 and 2001 share lowercase form and shape. */
    tag_word_init(&a, "1995", 4, 0);
    tag_word_init(&b, "2001", 4, 0);
    assert_int_equal(a.lower, b.lower);
    assert_int_equal(a.shape, b.shape);
    assert_true(a.flags & TAGW_DIGIT);
    tag_word_init(&a, "al-Qaeda", 8, 0);
    assert_true(a.flags & TAGW_HYPHEN);
    assert_true(tag_hash("", 0) != 0);
}

static void test_features(void **state)
{
    (void)state;
    tag_word ws[3];
    tag_word_init(&ws[0], "Police", 6, 1);
    tag_word_init(&ws[1], "fired", 5, 0);
    tag_word_init(&ws[2], ".", 1, 0);
    uint64_t all[TAG_MAX_FEATS], st[TAG_MAX_FEATS], dy[TAG_MAX_FEATS];
    size_t n = tag_features(ws, 3, 1, 7, TAG_START1, all);
    size_t ns = tag_features_static(ws, 3, 1, st);
    size_t nd = tag_features_dynamic(ws, 3, 1, 7, TAG_START1, dy);
    assert_true(ns <= TAG_MAX_STATIC);
    assert_int_equal(n, ns + nd);
    assert_memory_equal(all, st, ns * sizeof *st);
    assert_memory_equal(all + ns, dy, nd * sizeof *dy);
    /* Dynamic features change with the previous label, static ones not. */
    uint64_t dy2[TAG_MAX_FEATS];
    tag_features_dynamic(ws, 3, 1, 8, TAG_START1, dy2);
    assert_true(dy[0] != dy2[0]);
    for (size_t i = 0; i < n; i++)
        assert_true(all[i] != 0);
}

static casus_token word(const char *form, int upos, const char *xpos)
{
    casus_token t;
    memset(&t, 0, sizeof t);
    t.form.p = form;
    t.form.n = strlen(form);
    t.upos = (uint8_t)upos;
    t.xpos = (uint8_t)ud_xpos_id(xpos, strlen(xpos));
    return t;
}

/* An acronym after an article is a name, not the verb or pronoun it spells. */
static void test_fix(void **state)
{
    (void)state;
    casus_token w[] = {
        word("the", CASUS_UPOS_DET, "DT"),  word("IS", CASUS_UPOS_AUX, "VBZ"),
        word("stormed", CASUS_UPOS_VERB, "VBD"), word("the", CASUS_UPOS_DET, "DT"),
        word("US", CASUS_UPOS_PRON, "PRP"), word("and", CASUS_UPOS_CCONJ, "CC"),
        word("it", CASUS_UPOS_PRON, "PRP"), word("IS", CASUS_UPOS_AUX, "VBZ"),
        word("THE", CASUS_UPOS_DET, "DT"),  word("IS", CASUS_UPOS_AUX, "VBZ"),
        word("the", CASUS_UPOS_DET, "DT"),  word("Is", CASUS_UPOS_AUX, "VBZ"),
    };
    tag_fix(w, sizeof w / sizeof *w);
    assert_int_equal(w[1].upos, CASUS_UPOS_PROPN);
    assert_string_equal(casus_xpos_name(w[1].xpos), "NNP");
    assert_int_equal(w[4].upos, CASUS_UPOS_PROPN);
    assert_int_equal(w[2].upos, CASUS_UPOS_VERB);    /* not an acronym */
    assert_int_equal(w[7].upos, CASUS_UPOS_AUX);     /* "it IS": no article */
    assert_int_equal(w[9].upos, CASUS_UPOS_AUX);     /* an all-capital headline */
    assert_int_equal(w[11].upos, CASUS_UPOS_AUX);    /* not all capitals */
}

static void expect_lemma(const lemmatizer *l, const char *form, const char *xpos,
                         const char *want)
{
    lemma_result r;
    int x = ud_xpos_id(xpos, strlen(xpos));
    assert_true(x > 0);
    lemma_find(l, form, strlen(form), (unsigned)x, &r);
    char got[128];
    if (r.lit) {
        snprintf(got, sizeof got, "%.*s", (int)r.lit_n, r.lit);
    } else {
        size_t n = strlen(form) - r.strip, k = 0;
        for (size_t i = 0; i < n; i++)
            got[k++] = r.lower && form[i] >= 'A' && form[i] <= 'Z' ? (char)(form[i] + 32) : form[i];
        memcpy(got + k, r.append, r.append_n);
        got[k + r.append_n] = '\0';
    }
    if (strcmp(got, want))
        fail_msg("lemma of %s/%s: got '%s', want '%s'", form, xpos, got, want);
}

static void test_lemma(void **state)
{
    (void)state;
    if (access("data/models/lemma.bin", R_OK) != 0)
        skip();
    casus_ctx *ctx = casus_ctx_new();
    lemmatizer *l;
    assert_int_equal(lemma_load(ctx, "data/models/lemma.bin", &l), CASUS_OK);
    expect_lemma(l, "attacked", "VBD", "attack");
    expect_lemma(l, "militants", "NNS", "militant");
    expect_lemma(l, "was", "VBD", "be");
    expect_lemma(l, "n't", "RB", "not");
    expect_lemma(l, "The", "DT", "the");
    expect_lemma(l, "Iran", "NNP", "Iran");
    /* Unseen words: suffix rules. */
    expect_lemma(l, "gunmenized", "VBD", "gunmenize");
    expect_lemma(l, "blorfings", "NNS", "blorfing");
    expect_lemma(l, "Zarqawists", "NNPS", "Zarqawist");
    /* The rule for "-lamed" (from "claimed") strips "ed"; "blame" is a known
     * base form and "blam" is not, so the 'e' stays. */
    expect_lemma(l, "blamed", "VBD", "blame");
    lemma_free(ctx, l);
    assert_int_equal(lemma_load(ctx, "data/models/tagger.bin", &l), CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "expected 'lemma'"));
    casus_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word),
        cmocka_unit_test(test_features),
        cmocka_unit_test(test_fix),
        cmocka_unit_test(test_lemma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
