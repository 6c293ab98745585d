/*
 * test_conllu.c - the CoNLL-U reader (read_conllu.c): documents, rebuilt raw
 * text, gold tokens and sentences, bad input with file:line diagnostics, out
 * of memory; and the quality bar on UD English EWT test (token F1 >= 98.5,
 * sentence F1 >= 80), skipped when ../shared/data is absent.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "doc.h"

#define W(id, form, head, misc) id "\t" form "\t_\t_\t_\t_\t" head "\t_\t_\t" misc "\n"

typedef struct fixture {
    casus_ctx *ctx;
    casus_doc *doc;
    casus_reader *r;
    test_diags diags;
} fixture;

static void open_text(fixture *f, const char *data, casus_ctx *ctx)
{
    const char *path = test_tmpfile(".conllu", data, strlen(data));
    assert_non_null(path);
    memset(&f->diags, 0, sizeof f->diags);
    f->ctx = ctx ? ctx : casus_ctx_new();
    assert_non_null(f->ctx);
    casus_ctx_set_diag(f->ctx, test_diag_fn, &f->diags);
    f->doc = casus_doc_new(f->ctx);
    assert_non_null(f->doc);
    casus_date d = {0, 0, 0};
    assert_int_equal(casus_reader_open(f->ctx, path, CASUS_FORMAT_CONLLU, d, &f->r),
                     CASUS_OK);
}

static void close_all(fixture *f)
{
    casus_reader_close(f->r);
    casus_doc_free(f->doc);
    casus_ctx_free(f->ctx);
}

static const char *raw(const fixture *f)
{
    return casus_doc_raw(f->doc).p;
}

static void test_documents(void **state)
{
    (void)state;
    fixture f;
    open_text(&f,
              "# newdoc id = d1\n"
              "# sent_id = 1\n"
              "# newpar id = p1\n"
              "# text = I don't know.\n"
              W("1", "I", "4", "_")
              W("2-3", "don't", "_", "_")
              W("2", "do", "4", "_")
              W("3", "n't", "4", "_")
              W("4", "know", "0", "SpaceAfter=No")
              W("5", ".", "4", "_")
              "\n"
              "# text = Yes.\n"
              W("1", "Yes", "0", "SpaceAfter=No")
              W("2", ".", "1", "_")
              "\n"
              "# newpar id = p2\n"
              "# text = New para\n"
              W("1", "New", "2", "_")
              W("2", "para", "0", "_")
              "\n"
              "# newdoc id = d2\n"
              "# text = Second\n"
              W("1", "Second", "0", "_")
              "\n",
              NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    assert_string_equal(casus_doc_id(f.doc), "d1");
    assert_string_equal(raw(&f), "I don't know. Yes.\n\nNew para");
    assert_int_equal(f.doc->n_gold_tok, 9);
    /* "don't" -> do [2,4) + n't [4,7), joined. */
    assert_int_equal(f.doc->gold_tok[1].start, 2);
    assert_int_equal(f.doc->gold_tok[1].end, 4);
    assert_int_equal(f.doc->gold_tok[1].flags, CASUS_TOK_JOIN_NEXT);
    assert_int_equal(f.doc->gold_tok[2].start, 4);
    assert_int_equal(f.doc->gold_tok[2].end, 7);
    assert_int_equal(f.doc->gold_tok[2].flags, 0);
    assert_int_equal(f.doc->gold_tok[4].start, 12);
    assert_int_equal(f.doc->n_gold_sent, 3);
    assert_int_equal(f.doc->gold_sent[0].start, 0);
    assert_int_equal(f.doc->gold_sent[0].end, 13);
    assert_int_equal(f.doc->gold_sent[1].first_token, 5);
    assert_int_equal(f.doc->gold_sent[1].start, 14);
    assert_int_equal(f.doc->gold_sent[2].start, 20);
    assert_int_equal(f.doc->gold_sent[2].end, 28);
    assert_int_equal(casus_doc_line(f.doc), 1);
    /* The pipeline runs on the rebuilt text. */
    assert_int_equal(casus_doc_analyze(f.doc), CASUS_OK);
    size_t n;
    casus_doc_sentences(f.doc, &n);
    assert_int_equal(n, 3);

    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    assert_string_equal(casus_doc_id(f.doc), "d2");
    assert_string_equal(raw(&f), "Second");
    assert_int_equal(casus_doc_line(f.doc), 21);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    assert_int_equal(f.diags.n, 0);
    close_all(&f);
}

static void test_no_newdoc_no_text(void **state)
{
    (void)state;
    fixture f;
    /* No "# text": forms joined by SpaceAfter=No. Truncated final sentence
     * (no blank line at the end) still counts. */
    open_text(&f,
              W("1", "Hello", "0", "SpaceAfter=No")
              W("2", ",", "1", "_")
              W("3", "world", "1", "SpaceAfter=No")
              W("4", "!", "1", "_")
              "\n"
              W("1-2", "won't", "_", "_")
              W("1", "will", "0", "_")
              W("2", "not", "1", "SpaceAfter=No")
              W("3", ".", "1", "_"),
              NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    const char *id = casus_doc_id(f.doc);
    assert_true(strncmp(id, "casus-test-", 11) == 0);
    assert_string_equal(raw(&f), "Hello, world! won't.");
    assert_int_equal(f.doc->n_gold_sent, 2);
    /* "won't" -> will + not do not spell it: both get the whole span. */
    assert_int_equal(f.doc->gold_tok[4].start, 14);
    assert_int_equal(f.doc->gold_tok[4].end, 19);
    assert_int_equal(f.doc->gold_tok[4].flags, CASUS_TOK_JOIN_NEXT);
    assert_int_equal(f.doc->gold_tok[5].start, 14);
    assert_int_equal(f.doc->gold_tok[5].end, 19);
    assert_int_equal(f.doc->gold_tok[6].start, 19);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    close_all(&f);
}

static const char *good_sentence = "# text = Good one\n" W("1", "Good", "2", "_") W("2", "one", "0", "_") "\n";

static void bad_case(const char *bad, const char *msg, unsigned long line)
{
    char data[4096];
    snprintf(data, sizeof data, "%s%s%s", good_sentence, bad, good_sentence);
    fixture f;
    open_text(&f, data, NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    /* The bad sentence is skipped, the good ones are kept. */
    assert_string_equal(raw(&f), "Good one Good one");
    assert_int_equal(f.doc->n_gold_sent, 2);
    assert_int_equal(f.doc->n_gold_tok, 4);
    assert_int_equal(f.diags.n, 1);
    int i = test_diags_find(&f.diags, msg);
    if (i < 0)
        print_error("diagnostic: %s\n", f.diags.msg[0]);
    assert_true(i >= 0);
    assert_int_equal(f.diags.sev[i], CASUS_ERROR);
    assert_int_equal(f.diags.line[i], line);
    assert_true(strstr(f.diags.file[i], ".conllu") != NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    close_all(&f);
}

/* Full annotation is kept with the gold words: lemma, tags, heads, labels. */
static void test_annotation(void **state)
{
    (void)state;
    fixture f;
    open_text(&f,
              "# text = Iran's forces won't stop.\n"
              "1-2\tIran's\t_\t_\t_\t_\t_\t_\t_\t_\n"
              "1\tIran\tIran\tPROPN\tNNP\tNumber=Sing\t3\tnmod:poss\t_\t_\n"
              "2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n"
              "3\tforces\tforce\tNOUN\tNNS\t_\t6\tnsubj\t_\t_\n"
              "4-5\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
              "4\two\twill\tAUX\tMD\t_\t6\taux\t_\t_\n"
              "5\tn't\tnot\tPART\tRB\t_\t6\tadvmod\t_\t_\n"
              "6\tstop\tstop\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
              "7\t.\t.\tPUNCT\t.\t_\t6\tpunct:weird\t_\t_\n"
              "8\tx\tx\tBOGUS\tNN\t_\t6\tdep\t_\t_\n", NULL);
    /* The sentence ends without a blank line and has a FORM "x" that the
     * text lacks: it is rejected. Read the annotation from a valid copy. */
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    assert_true(test_diags_find(&f.diags, "unknown UPOS 'BOGUS'") >= 0);
    close_all(&f);

    open_text(&f,
              "# text = Iran's forces won't stop.\n"
              "1-2\tIran's\t_\t_\t_\t_\t_\t_\t_\t_\n"
              "1\tIran\tIran\tPROPN\tNNP\tNumber=Sing\t3\tnmod:poss\t_\t_\n"
              "2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n"
              "3\tforces\tforce\tNOUN\tNNS\t_\t6\tnsubj\t_\t_\n"
              "4-5\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
              "4\two\twill\tAUX\tMD\t_\t6\taux\t_\t_\n"
              "5\tn't\tnot\tPART\tRB\t_\t6\tadvmod\t_\t_\n"
              "6\tstop\tstop\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
              "7\t.\t.\tPUNCT\t.\t_\t6\tpunct:weird\t_\t_\n", NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    assert_int_equal(f.diags.n, 0);
    casus_doc *d = f.doc;
    assert_int_equal(d->n_gold_tok, 7);
    const gold_token *t = d->gold_tok;
    const char *str = d->gold_strings.p;
    assert_int_equal(t[0].upos, CASUS_UPOS_PROPN);
    assert_string_equal(casus_xpos_name(t[0].xpos), "NNP");
    assert_string_equal(casus_deprel_name(t[0].deprel), "nmod:poss");
    assert_int_equal(t[0].head, 3);
    assert_memory_equal(str + t[2].lemma_off, "force", 5);
    assert_int_equal(t[2].lemma_n, 5);
    assert_memory_equal(str + t[3].form_off, "wo", 2);
    assert_memory_equal(str + t[3].lemma_off, "will", 4);
    assert_int_equal(t[3].start, 14);
    assert_int_equal(t[3].end, 16);
    assert_int_equal(t[5].head, 0);
    assert_string_equal(casus_deprel_name(t[5].deprel), "root");
    /* An unknown subtype falls back to its base relation. */
    assert_string_equal(casus_deprel_name(t[6].deprel), "punct");
    close_all(&f);
}

/* HEAD values that do not make a tree: out of range, a cycle. */
static void test_bad_trees(void **state)
{
    (void)state;
    fixture f;
    open_text(&f,
              "# text = a b\n"
              W("1", "a", "2", "_")
              W("2", "b", "7", "_")
              "\n"
              "# text = c d\n"
              W("1", "c", "2", "_")
              W("2", "d", "1", "_")
              "\n"
              "# text = ok\n"
              W("1", "ok", "0", "_")
              "\n", NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    assert_string_equal(raw(&f), "ok");
    assert_int_equal(f.diags.n, 2);
    assert_non_null(strstr(f.diags.msg[0], "HEAD points past the last word"));
    assert_int_equal(f.diags.line[0], 3);
    assert_non_null(strstr(f.diags.msg[1], "cycle"));
    assert_int_equal(f.diags.line[1], 6);
    close_all(&f);
}

static void test_bad_input(void **state)
{
    (void)state;
    /* Lines 1-4 are the first good sentence; the bad one starts at 5. */
    bad_case("# text = a b\n1\ta\t_\n" W("2", "b", "0", "_") "\n", "columns", 6);
    bad_case("# text = a b\n" W("x", "a", "0", "_") W("2", "b", "1", "_") "\n",
             "not a number", 6);
    bad_case("# text = a b\n" W("1", "a", "0", "_") W("1", "b", "1", "_") "\n",
             "out of sequence", 7);
    bad_case("# text = a b\n" W("1", "a", "0", "_") W("3", "b", "1", "_") "\n",
             "out of sequence", 7);
    bad_case("# text = ab\n" W("1-x", "ab", "_", "_") W("1", "a", "0", "_")
             W("2", "b", "1", "_") "\n", "range", 6);
    bad_case("# text = ab\n" W("2-1", "ab", "_", "_") W("1", "a", "0", "_") "\n",
             "range", 6);
    bad_case("# text = a b\n" W("1", "a", "zero", "_") W("2", "b", "1", "_") "\n",
             "HEAD", 6);
    bad_case("# text = a c\n" W("1", "a", "0", "_") W("2", "b", "1", "_") "\n",
             "does not match", 7);
    bad_case("# text = a b c\n" W("1", "a", "0", "_") W("2", "b", "1", "_") "\n",
             "goes on", 7);
    bad_case("# text = ab\n" W("1-3", "ab", "_", "_") W("1", "a", "0", "_")
             W("2", "b", "1", "_") "\n", "range", 8);
}

static void test_empty_nodes_and_comments(void **state)
{
    (void)state;
    fixture f;
    open_text(&f,
              "# global.columns = ID FORM\n"
              "# text = a b\n"
              W("1", "a", "0", "_")
              W("1.1", "x", "_", "_")
              W("2", "b", "1", "_")
              "\n\n\n",
              NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_OK);
    assert_string_equal(raw(&f), "a b");
    assert_int_equal(f.doc->n_gold_tok, 2);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    assert_int_equal(f.diags.n, 0);
    close_all(&f);
}

static void test_empty_file(void **state)
{
    (void)state;
    fixture f;
    open_text(&f, "", NULL);
    assert_int_equal(casus_reader_next(f.r, f.doc), CASUS_DONE);
    close_all(&f);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    const char *data = "# newdoc id = a\n# text = I don't.\n" W("1", "I", "2", "_")
        W("2-3", "don't", "_", "SpaceAfter=No") W("2", "do", "0", "_")
        W("3", "n't", "2", "_") W("4", ".", "2", "_") "\n# newdoc id = b\n"
        "# text = x\n" W("1", "x", "0", "_") "\n";
    int succeeded = 0;
    for (long fail = 1; fail < 200 && !succeeded; fail++) {
        test_alloc a = {fail, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        const char *path = test_tmpfile(".conllu", data, strlen(data));
        casus_doc *doc = casus_doc_new(ctx);
        casus_reader *r = NULL;
        casus_date d = {0, 0, 0};
        casus_status st = doc ? casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d, &r)
                              : CASUS_ENOMEM;
        int docs = 0;
        while (st == CASUS_OK) {
            st = casus_reader_next(r, doc);
            if (st == CASUS_OK) {
                st = casus_doc_analyze(doc);
                docs++;
            }
        }
        if (st == CASUS_DONE) {
            assert_int_equal(docs, 2);
            succeeded = 1;
        } else {
            assert_int_equal(st, CASUS_ENOMEM);
        }
        casus_reader_close(r);
        casus_doc_free(doc);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(succeeded);
}

/* ------------------------------------------------------------ EWT bar */

typedef struct tally {
    size_t gold, sys, match;
} tally;

static double f1(tally t)
{
    return t.gold + t.sys ? 200.0 * (double)t.match / (double)(t.gold + t.sys) : 0;
}

/* Counts equal spans of two in-order span lists. */
static size_t match_spans(const size_t *ga, const size_t *gb, size_t ng,
                          const size_t *sa, const size_t *sb, size_t ns)
{
    size_t i = 0, j = 0, m = 0;
    while (i < ng && j < ns) {
        if (ga[i] == sa[j] && gb[i] == sb[j]) {
            m++;
            i++;
            j++;
        } else if (ga[i] < sa[j] || (ga[i] == sa[j] && gb[i] < sb[j])) {
            i++;
        } else {
            j++;
        }
    }
    return m;
}

static void test_ewt_quality_bar(void **state)
{
    (void)state;
    const char *path = test_shared("ud-english-ewt/en_ewt-ud-test.conllu");
    if (!path) {
        print_message("skip: ../shared/data/ud-english-ewt is absent\n");
        skip();
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    casus_reader *r = NULL;
    casus_date d = {0, 0, 0};
    assert_int_equal(casus_reader_open(ctx, path, CASUS_FORMAT_CONLLU, d, &r), CASUS_OK);
    static size_t ga[1 << 16], gb[1 << 16], sa[1 << 16], sb[1 << 16];
    tally tok = {0, 0, 0}, sen = {0, 0, 0};
    casus_status st;
    while ((st = casus_reader_next(r, doc)) == CASUS_OK) {
        assert_int_equal(casus_doc_analyze(doc), CASUS_OK);
        size_t nt, ns, ng = 0, nsys = 0;
        const casus_token *t = casus_doc_tokens(doc, &nt);
        const casus_sentence *s = casus_doc_sentences(doc, &ns);
        assert_true(doc->n_gold_tok < (1 << 16) && nt < (1 << 16));
        for (size_t i = 0; i < doc->n_gold_tok; i++) {
            ga[ng] = doc->gold_tok[i].start;
            while ((doc->gold_tok[i].flags & CASUS_TOK_JOIN_NEXT) && i + 1 < doc->n_gold_tok)
                i++;
            gb[ng++] = doc->gold_tok[i].end;
        }
        for (size_t i = 0; i < nt; i++) {
            sa[nsys] = t[i].start;
            while ((t[i].flags & CASUS_TOK_JOIN_NEXT) && i + 1 < nt)
                i++;
            sb[nsys++] = t[i].end;
        }
        tok.gold += ng;
        tok.sys += nsys;
        tok.match += match_spans(ga, gb, ng, sa, sb, nsys);
        for (size_t i = 0; i < doc->n_gold_sent; i++) {
            ga[i] = doc->gold_sent[i].start;
            gb[i] = doc->gold_sent[i].end;
        }
        for (size_t i = 0; i < ns; i++) {
            sa[i] = s[i].start;
            sb[i] = s[i].end;
        }
        sen.gold += doc->n_gold_sent;
        sen.sys += ns;
        sen.match += match_spans(ga, gb, doc->n_gold_sent, sa, sb, ns);
    }
    assert_int_equal(st, CASUS_DONE);
    print_message("EWT test: token F1 %.2f, sentence F1 %.2f\n", f1(tok), f1(sen));
    assert_true(tok.gold > 20000);
    assert_true(f1(tok) >= 98.5);
    assert_true(f1(sen) >= 80.0);
    casus_reader_close(r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_no_newdoc_no_text),
        cmocka_unit_test(test_annotation),
        cmocka_unit_test(test_bad_trees),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_empty_nodes_and_comments),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_ewt_quality_bar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
