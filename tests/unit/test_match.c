/*
 * test_match.c - the compiled matcher: word keys, longest match, capitals,
 * transparent hyphens, agent gaps, discard stems, synsets, verb forms.
 */
#include "testutil.h"

#include <string.h>

#include "dict.h"
#include "doc.h"
#include "match.h"
#include "token.h"
#include "util/buf.h"
#include "util/mem.h"

typedef struct fixture {
    casus_ctx *ctx;
    casus_dicts *d;
    token_vec tv;
    match_seq seq;
} fixture;

static void load(fixture *f, int petrarch_kind, const char *text)
{
    memset(f, 0, sizeof *f);
    f->ctx = casus_ctx_new();
    assert_int_equal(dict_load_buffer(f->ctx, "t", petrarch_kind, text, strlen(text), &f->d),
                     CASUS_OK);
}

static void prepare(fixture *f, const char *text)
{
    f->tv.n = 0;
    assert_int_equal(token_run(f->ctx, text, strlen(text), &f->tv), CASUS_OK);
    assert_int_equal(match_prepare(f->ctx, f->d, f->tv.v, f->tv.n, &f->seq), CASUS_OK);
}

static void done(fixture *f)
{
    mem_free(f->ctx, f->tv.v);
    match_seq_free(f->ctx, &f->seq);
    casus_dicts_free(f->d);
    casus_ctx_free(f->ctx);
}

static void test_keys(void **state)
{
    (void)state;
    char k[MATCH_KEY_MAX];
    assert_int_equal(match_key("Jama'at", 7, k), 6);
    assert_memory_equal(k, "jamaat", 6);
    assert_int_equal(match_key("Jama\xe2\x80\x99" "at", 9, k), 6);   /* U+2019 */
    assert_memory_equal(k, "jamaat", 6);
    assert_int_equal(match_key("Medell\xc3\xadn", 9, k), 8);
    assert_memory_equal(k, "medellin", 8);
    assert_int_equal(match_key("-", 1, k), 0);
    assert_int_equal(match_key("\xe2\x80\x93", 3, k), 0);   /* en dash */
    assert_int_equal(match_key("U.S.", 4, k), 4);
    assert_memory_equal(k, "u.s.", 4);
    assert_true(match_is_upper("IS", 2));
    assert_true(match_is_upper("U.S.", 4));
    assert_false(match_is_upper("Is", 2));
    assert_false(match_is_upper("1990", 4));
}

static void test_longest(void **state)
{
    (void)state;
    fixture f;
    load(&f, -1,
         "@casus 1 actors\n"
         "Islamic State | IS => IMGMUSISI\n"
         "Islamic State Khorasan Province | ISIS-K => IMGMUSISK\n"
         "Jaish al-Adl | Jaish ul-Adl => IRNINSJAA\n"
         "Rouhani => IRNELI [IRNGOV 2013-08-03..2021-08-03]\n");
    prepare(&f, "The Islamic State Khorasan Province and Islamic State and ISIS-K, "
                "but this is Jaish-ul-Adl.");
    match_hit h;
    size_t found = 0;
    const char *want[] = {"IMGMUSISK", "IMGMUSISI", "IMGMUSISK", "IRNINSJAA"};
    for (size_t i = 0; i < f.seq.n; i++) {
        if (!match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, i, &h))
            continue;
        assert_true(found < 4);
        assert_string_equal(match_actor_code(f.d, h.entry, DICT_DAY_MIN), want[found]);
        found++;
        i = h.end - 1;
    }
    assert_int_equal(found, 4);   /* "is" in lower case is not IS */
    prepare(&f, "Rouhani");
    assert_true(match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, 0, &h));
    casus_date in = {2015, 1, 1}, out = {2022, 1, 1};
    assert_string_equal(match_actor_code(f.d, h.entry, dict_day_from_date(in)), "IRNGOV");
    assert_string_equal(match_actor_code(f.d, h.entry, dict_day_from_date(out)), "IRNELI");
    casus_date back = dict_date_from_day(dict_day_from_date(in));
    assert_int_equal(back.year, 2015);
    assert_int_equal(back.month, 1);
    assert_int_equal(back.day, 1);
    done(&f);
}

/* An alias spelt in capitals is an acronym: "car bomb" is not CAR (issue:
 * 466 false CAF events), while "CAR" is, and so are "NATO" and "Nato". */
static void test_acronyms(void **state)
{
    (void)state;
    fixture f;
    load(&f, -1,
         "@casus 1 actors\n"
         "Central African Republic | CAR => CAF\n"
         "NATO => IGOWSTNAT\n"
         "Hamas => PSEREBHMS\n");
    match_hit h;
    const char *no[] = {"car", "Car", "cAR", "nato", "NAto", "hamAS x"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        prepare(&f, no[i]);
        int hit = match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, 0, &h);
        if (i == 5)   /* a name in mixed case keeps matching in any case */
            assert_true(hit);
        else
            assert_false(hit);
    }
    const char *yes[] = {"CAR", "NATO", "Nato", "HAMAS", "hamas"};
    const char *code[] = {"CAF", "IGOWSTNAT", "IGOWSTNAT", "PSEREBHMS", "PSEREBHMS"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        prepare(&f, yes[i]);
        assert_true(match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, 0, &h));
        assert_string_equal(match_actor_code(f.d, h.entry, DICT_DAY_MIN), code[i]);
    }
    prepare(&f, "A car bomb hit the Central African Republic");
    size_t found = 0;
    for (size_t i = 0; i < f.seq.n; i++)
        if (match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, i, &h)) {
            found++;
            i = h.end - 1;
        }
    assert_int_equal(found, 1);
    assert_true(match_is_caps("Isis", 4));
    assert_false(match_is_caps("Car", 3));
    assert_false(match_is_caps("car", 3));
    done(&f);
}

static void test_agent_gap(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_AGENTS, "SECURITY SERVICE [~SPY]\nSTATE_MEDIA {} [~GOVMED]\n");
    match_hit h;
    prepare(&f, "security and intelligence service");
    assert_true(match_at(f.d, DICT_AGENTS, &f.seq, f.tv.v, 0, &h));
    assert_int_equal(h.end, 4);
    prepare(&f, "security officials met with the service");
    assert_false(match_at(f.d, DICT_AGENTS, &f.seq, f.tv.v, 0, &h));   /* gap > 3 */
    prepare(&f, "state and media");
    assert_false(match_at(f.d, DICT_AGENTS, &f.seq, f.tv.v, 0, &h));   /* '_': no gap */
    prepare(&f, "security services");
    assert_true(match_at(f.d, DICT_AGENTS, &f.seq, f.tv.v, 0, &h));   /* plural */
    char out[32];
    match_combine(f.d, "IRNGOV", h.entry, out, sizeof out);
    assert_string_equal(out, "IRNGOVSPY");
    match_combine(f.d, "IRNSPY", h.entry, out, sizeof out);
    assert_string_equal(out, "IRNSPY");
    match_combine(f.d, "IRNGOV", h.entry, out, 5);
    assert_string_equal(out, "IRNG");
    done(&f);
}

/* PETRARCH actors: a blank lets words come between, '_' does not; a token
 * joining words with '_' matches as its parts. */
static void test_actor_gap_and_underscore(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_ACTORS,
         "ITHILEN TELEVISION [ITHTV]\nDOL_AMROTH [DOL]\nMINAS_TIRITH [GON]\n");
    match_hit h;
    prepare(&f, "Ithilen state-run television");
    assert_true(match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, 0, &h));
    assert_string_equal(match_actor_code(f.d, h.entry, DICT_DAY_MIN), "ITHTV");
    prepare(&f, "Minas of Tirith");
    assert_false(match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, 0, &h));   /* '_': no gap */
    prepare(&f, "the Prince of Dol_Amroth");
    size_t p = f.seq.n - 2;   /* "dol", then "amroth": two positions, one token */
    assert_int_equal(f.seq.tok[p], f.seq.tok[p + 1]);
    assert_true(match_at(f.d, DICT_ACTORS, &f.seq, f.tv.v, p, &h));
    assert_string_equal(match_actor_code(f.d, h.entry, DICT_DAY_MIN), "DOL");
    done(&f);
}

/* A role of several parts the actor's code already has is not repeated. */
static void test_redundant_agent(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_AGENTS, "GOVERNMENT_NEWSPAPER [~GOVMED]\n");
    match_hit h;
    prepare(&f, "government newspaper");
    assert_true(match_at(f.d, DICT_AGENTS, &f.seq, f.tv.v, 0, &h));
    char out[32];
    match_combine(f.d, "HGWGOVMED", h.entry, out, sizeof out);
    assert_string_equal(out, "HGWGOVMED");
    match_combine(f.d, "HGWMED", h.entry, out, sizeof out);
    assert_string_equal(out, "HGWMEDGOVMED");
    done(&f);
}

static void test_discards(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_DISCARDS, "BASEBALL\nAMATEUR BOXING_\n+WORLD CUP\n");
    match_hit h;
    prepare(&f, "The baseballs flew.");
    assert_int_equal(match_discard(f.d, &f.seq, f.tv.v, &h), 1);   /* a stem */
    prepare(&f, "amateur boxingday");
    assert_int_equal(match_discard(f.d, &f.seq, f.tv.v, &h), 0);   /* '_': whole word */
    prepare(&f, "amateur boxing and the World Cup");
    assert_int_equal(match_discard(f.d, &f.seq, f.tv.v, &h), 2);   /* story wins */
    prepare(&f, "Rebels attacked a base.");
    assert_int_equal(match_discard(f.d, &f.seq, f.tv.v, &h), 0);
    done(&f);
}

/* dict_word_prefixes: the id of every prefix, as dict_word_find gives it,
 * with a stem that is a prefix of another ("base", "baseball") and words
 * of no dictionary. */
static void test_word_prefixes(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_DISCARDS, "BASEBALL\nBASE_\nBASEBALLS\nAMATEUR BOXING_\n");
    static const char *const keys[] = {"baseballs", "baseball", "basement", "bas",
                                       "amateurs", "boxing", "zzz"};
    int found = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t n = strlen(keys[k]);
        uint32_t pre[16];
        dict_word_prefixes(f.d, keys[k], 1, n, pre);
        for (size_t l = 1; l <= n; l++) {
            assert_int_equal(pre[l - 1], dict_word_find(f.d, keys[k], l));
            found += pre[l - 1] != 0;
        }
        /* from length 5 on: the shorter prefixes are 0 */
        dict_word_prefixes(f.d, keys[k], 5, n, pre);
        for (size_t l = 1; l <= n; l++)
            assert_int_equal(pre[l - 1], l < 5 ? 0 : dict_word_find(f.d, keys[k], l));
    }
    /* baseballs: base, baseball, baseballs; baseball: base, baseball;
     * basement: base; amateurs: amateur; boxing: boxing */
    assert_int_equal(found, 8);
    done(&f);
}

static void test_verbs(void **state)
{
    (void)state;
    fixture f;
    load(&f, DICT_VERBS,
         "&WEAPON\n+ROCKET\n+MORTAR SHELL\n\n"
         "--- ATTACK [190] ---\nATTACK\n+BLOW_UP {+BLOWS_UP +BLEW_UP +BLOWN_UP}\n"
         "BLOW [---]\n- * (WITH &WEAPON) [195]\n");
    size_t n;
    const dict_verb_form *v = match_verb_word(f.d, "blew", 4, &n);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].n_back, 1);
    v = match_verb_word(f.d, "blow", 4, &n);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].n_back, 1);   /* the multi-word form first */
    assert_int_equal(v[1].n_back, 0);
    assert_int_equal(v[1].code, 0);     /* [---] */
    v = match_verb_word(f.d, "attacking", 9, &n);
    assert_int_equal(n, 1);
    const dict_verb_block *b = &f.d->blocks[v[0].block];
    assert_int_equal(b->n_pattern, 0);   /* patterns are counted per pattern list */
    assert_int_equal(f.d->n_patterns, 1);
    const dict_pattern *p = &f.d->patterns[0];
    assert_string_equal(dict_s(f.d, p->code), "195");
    assert_int_equal(p->n_pe, 3);
    assert_int_equal(f.d->pes[p->first_pe].kind, DICT_PE_VERB);
    assert_int_equal(f.d->pes[p->first_pe + 1].kind, DICT_PE_WORD);
    assert_true(f.d->pes[p->first_pe + 1].flags & DICT_PE_PP_PREP);
    assert_int_equal(f.d->pes[p->first_pe + 2].kind, DICT_PE_SYNSET);
    prepare(&f, "mortar shells");
    assert_int_equal(match_synset_at(f.d, f.d->pes[p->first_pe + 2].id, &f.seq, 0), 2);
    prepare(&f, "rockets");
    assert_int_equal(match_synset_at(f.d, 0, &f.seq, 0), 1);   /* plural made */
    done(&f);
}

/* The document's prepared sentences (match_doc_sentence) are what
 * match_prepare gives, made once and shared, and made again for other
 * dictionaries or new words. */
static void same_seq(const match_seq *a, const match_seq *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->wid[i], b->wid[i]);
        assert_int_equal(a->tok[i], b->tok[i]);
        assert_int_equal(a->upper[i], b->upper[i]);
    }
}

static void check_doc(casus_ctx *ctx, const casus_dicts *d, const casus_doc *doc)
{
    size_t ns, nt;
    const casus_sentence *sv = casus_doc_sentences(doc, &ns);
    const casus_token *tv = casus_doc_tokens(doc, &nt);
    match_seq want = MATCH_SEQ_INIT;
    for (size_t i = 0; i < ns; i++) {
        const match_seq *got, *again;
        assert_int_equal(match_doc_sentence(d, doc, i, &got), CASUS_OK);
        assert_int_equal(match_prepare(ctx, d, tv + sv[i].first_token, sv[i].n_tokens,
                                       &want), CASUS_OK);
        same_seq(got, &want);
        assert_int_equal(match_doc_sentence(d, doc, i, &again), CASUS_OK);
        assert_ptr_equal(got, again);
    }
    const match_seq *none;
    assert_int_equal(match_doc_sentence(d, doc, ns, &none), CASUS_EINVAL);
    assert_null(none);
    match_seq_free(ctx, &want);
}

static void test_doc_sentences(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    casus_dicts *d1, *d2;
    const char *a = "@casus 1 actors\nIslamic State | IS => IMGMUSISI\n";
    const char *b = "@casus 1 actors\nTaliban => AFGINSTAL\nKabul => AFG\n";
    assert_int_equal(dict_load_buffer(ctx, "a", -1, a, strlen(a), &d1), CASUS_OK);
    assert_int_equal(dict_load_buffer(ctx, "b", -1, b, strlen(b), &d2), CASUS_OK);
    casus_doc *doc = casus_doc_new(ctx);
    const char *t1 = "Islamic State fighters attacked. The Taliban took Kabul. IS said so.";
    assert_int_equal(buf_append(ctx, &doc->raw, t1, strlen(t1)), CASUS_OK);
    assert_int_equal(casus_doc_analyze(doc), CASUS_OK);
    check_doc(ctx, d1, doc);
    check_doc(ctx, d2, doc);   /* other dictionaries: made again */
    check_doc(ctx, d1, doc);
    /* new words in the same document */
    const char *t2 = "Kabul fell to the Taliban on Sunday.";
    buf_reset(&doc->raw);
    assert_int_equal(buf_append(ctx, &doc->raw, t2, strlen(t2)), CASUS_OK);
    assert_int_equal(casus_doc_analyze(doc), CASUS_OK);
    check_doc(ctx, d2, doc);
    casus_doc_free(doc);
    casus_dicts_free(d1);
    casus_dicts_free(d2);
    casus_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),     cmocka_unit_test(test_longest),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_agent_gap), cmocka_unit_test(test_actor_gap_and_underscore),
        cmocka_unit_test(test_redundant_agent), cmocka_unit_test(test_discards),
        cmocka_unit_test(test_verbs), cmocka_unit_test(test_word_prefixes),
        cmocka_unit_test(test_doc_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
