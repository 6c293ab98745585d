/*
 * test_write.c - the CoNLL-U and JSON Lines writers, on hand-built
 * documents so that the expected output does not depend on the tokenizer.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "doc.h"
#include "util/buf.h"
#include "util/mem.h"

typedef struct sinkbuf {
    char data[4096];
    size_t n;
    int fail;
} sinkbuf;

static int sink_write(void *ud, const char *p, size_t n)
{
    sinkbuf *s = ud;
    if (s->fail || s->n + n >= sizeof s->data)
        return -1;
    memcpy(s->data + s->n, p, n);
    s->n += n;
    s->data[s->n] = '\0';
    return 0;
}

/* A document with words at the given spans ({start, end, flags}) and
 * sentences ({first word, number of words}). */
static casus_doc *make_doc(casus_ctx *ctx, const char *id, const char *text,
                           const size_t (*spans)[3], size_t nw,
                           const size_t (*sents)[2], size_t ns)
{
    casus_doc *doc = casus_doc_new(ctx);
    buf_puts(ctx, &doc->id, id);
    buf_puts(ctx, &doc->raw, text);
    doc->norm.text = doc->raw.p;
    doc->norm.n = doc->raw.n;
    mem_grow(ctx, (void **)&doc->tok.v, &doc->tok.cap, nw, sizeof *doc->tok.v);
    for (size_t i = 0; i < nw; i++) {
        casus_token *t = &doc->tok.v[doc->tok.n++];
        memset(t, 0, sizeof *t);
        t->head = -1;
        t->start = spans[i][0];
        t->end = spans[i][1];
        t->flags = (uint32_t)spans[i][2];
        t->form.p = doc->raw.p + t->start;
        t->form.n = t->end - t->start;
    }
    mem_grow(ctx, (void **)&doc->sent.v, &doc->sent.cap, ns, sizeof *doc->sent.v);
    for (size_t i = 0; i < ns; i++) {
        casus_sentence *s = &doc->sent.v[doc->sent.n++];
        s->first_token = sents[i][0];
        s->n_tokens = sents[i][1];
        s->start = spans[sents[i][0]][0];
        s->end = spans[sents[i][0] + sents[i][1] - 1][1];
        s->text.p = doc->raw.p + s->start;
        s->text.n = s->end - s->start;
    }
    return doc;
}

static void test_conllu(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    static const size_t spans[][3] = {
        {0, 1, 0}, {2, 4, CASUS_TOK_JOIN_NEXT}, {4, 7, 0}, {8, 12, 0},
        {12, 13, 0}, {14, 16, 0}};
    static const size_t sents[][2] = {{0, 5}, {5, 1}};
    casus_doc *doc = make_doc(ctx, "doc\t1", "I don't know.\nOK", spans, 6,
                              sents, 2);
    sinkbuf out = {{0}, 0, 0};
    casus_sink sink = {sink_write, &out};
    assert_int_equal(casus_write_conllu(doc, &sink), CASUS_OK);
    assert_string_equal(out.data,
        "# newdoc id = doc 1\n"
        "# sent_id = doc 1:0\n"
        "# text = I don't know.\n"
        "1\tI\t_\t_\t_\t_\t_\t_\t_\tTokenRange=0:1\n"
        "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tTokenRange=2:7\n"
        "2\tdo\t_\t_\t_\t_\t_\t_\t_\tTokenRange=2:4\n"
        "3\tn't\t_\t_\t_\t_\t_\t_\t_\tTokenRange=4:7\n"
        "4\tknow\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|TokenRange=8:12\n"
        "5\t.\t_\t_\t_\t_\t_\t_\t_\tTokenRange=12:13\n"
        "\n"
        "# sent_id = doc 1:1\n"
        "# text = OK\n"
        "1\tOK\t_\t_\t_\t_\t_\t_\t_\tTokenRange=14:16\n"
        "\n");
    /* A failing sink is reported, not ignored. */
    out.fail = 1;
    assert_int_equal(casus_write_conllu(doc, &sink), CASUS_EIO);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

static void test_sentences_json(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    static const size_t spans[][3] = {{0, 2, 0}, {3, 9, 0}, {10, 13, 0}};
    static const size_t sents[][2] = {{0, 3}};
    casus_doc *doc = make_doc(ctx, "a\"b", "He \"said\" x\xFF.", spans, 3,
                              sents, 1);
    sinkbuf out = {{0}, 0, 0};
    casus_sink sink = {sink_write, &out};
    assert_int_equal(casus_write_sentences(doc, &sink), CASUS_OK);
    assert_string_equal(out.data,
        "{\"type\":\"sentence\",\"doc_id\":\"a\\\"b\",\"sentence_index\":0,"
        "\"char_start\":0,\"char_end\":13,"
        "\"text\":\"He \\\"said\\\" x\\ufffd.\"}\n");
    casus_doc_free(doc);
    casus_ctx_free(ctx);
}

static void test_diag_json(void **state)
{
    (void)state;
    sinkbuf out = {{0}, 0, 0};
    casus_sink sink = {sink_write, &out};
    casus_diag d = {CASUS_ERROR, "in\xFF.jsonl", 7, NULL, -1,
                    "bad \"record\"\n"};
    assert_int_equal(casus_write_diag(&d, &sink), CASUS_OK);
    assert_string_equal(out.data,
        "{\"type\":\"diagnostic\",\"severity\":\"error\",\"line\":7,"
        "\"offset\":-1,\"file\":\"in\\ufffd.jsonl\",\"doc_id\":null,"
        "\"message\":\"bad \\\"record\\\"\\u000a\"}\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conllu),
        cmocka_unit_test(test_sentences_json),
        cmocka_unit_test(test_diag_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
