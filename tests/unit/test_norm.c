/*
 * test_norm.c - normalisation: UTF-8 repair, NFC, offsets back to the raw
 * text, and the whole text pipeline under allocation failures.
 */
#include <string.h>

#include "testutil.h"
#include "ctx.h"
#include "norm.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <unistd.h>

typedef struct fixture {
    casus_ctx *ctx;
    test_diags diags;
    norm_result res;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->ctx = casus_ctx_new();
    casus_ctx_set_diag(f->ctx, test_diag_fn, &f->diags);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    norm_free(f->ctx, &f->res);
    casus_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void run(fixture *f, const char *raw, size_t n)
{
    assert_int_equal(norm_run(f->ctx, raw, n, "in.txt", 1, "d1", &f->res),
                     CASUS_OK);
}

static void test_ascii_untouched(void **state)
{
    fixture *f = *state;
    const char *raw = "Iran struck targets in Syria.\n";
    run(f, raw, strlen(raw));
    assert_ptr_equal(f->res.text, raw);
    assert_int_equal(f->res.n_anchors, 0);
    assert_int_equal(f->diags.n, 0);
}

static void test_nfc_stable_non_ascii(void **state)
{
    fixture *f = *state;
    /* Curly quotes, an em dash, Latin-1, Cyrillic and Arabic: all NFC. */
    const char *raw = "\xE2\x80\x9CKerman\xE2\x80\x9D \xE2\x80\x94 caf\xC3\xA9 "
                      "\xD0\x9C\xD0\xBE\xD1\x81 \xD8\xA7\xD9\x84";
    run(f, raw, strlen(raw));
    assert_ptr_equal(f->res.text, raw);
    assert_int_equal(f->diags.n, 0);
}

static void test_nfc_composes(void **state)
{
    fixture *f = *state;
    const char *raw = "Cafe\xCC\x81 x";   /* e + COMBINING ACUTE */
    run(f, raw, strlen(raw));
    assert_int_equal(f->res.n, 7);
    assert_memory_equal(f->res.text, "Caf\xC3\xA9 x", 7);
    /* Offsets outside the changed segment map exactly. */
    assert_int_equal(norm_raw_offset(&f->res, 0), 0);
    assert_int_equal(norm_raw_offset(&f->res, 3), 3);
    assert_int_equal(norm_raw_offset(&f->res, 5), 6);
    assert_int_equal(norm_raw_offset(&f->res, 6), 7);
    assert_int_equal(norm_raw_offset(&f->res, 7), 8);
    assert_int_equal(f->diags.n, 0);
}

static void test_singleton_and_hangul(void **state)
{
    fixture *f = *state;
    /* OHM SIGN -> GREEK CAPITAL OMEGA; Hangul jamo L+V -> syllable. */
    const char *raw = "10 \xE2\x84\xA6 \xE1\x84\x80\xE1\x85\xA1!";
    run(f, raw, strlen(raw));
    assert_int_equal(f->res.n, 10);
    assert_memory_equal(f->res.text, "10 \xCE\xA9 \xEA\xB0\x80!", f->res.n);
    assert_int_equal(norm_raw_offset(&f->res, 9), 13);   /* the "!" */
}

static void test_invalid_utf8(void **state)
{
    fixture *f = *state;
    const char *raw = "line one\nbad \xFF here \xE2\x80 and \xC0\xAF.";
    size_t n = strlen(raw);
    run(f, raw, n);
    assert_int_equal(f->res.n_invalid, 4);  /* FF; E2 80; C0; AF */
    assert_true(utf8_valid(f->res.text, f->res.n));
    assert_non_null(strstr(f->res.text, "bad \xEF\xBF\xBD here \xEF\xBF\xBD and "
                                        "\xEF\xBF\xBD\xEF\xBF\xBD."));
    assert_int_equal(f->diags.n, 4);
    assert_int_equal(f->diags.line[0], 2);
    assert_int_equal(f->diags.sev[0], CASUS_WARNING);
    assert_non_null(strstr(f->diags.msg[0], "invalid UTF-8"));
    assert_non_null(strstr(f->diags.msg[0], "byte 13"));
    assert_string_equal(f->diags.file[0], "in.txt");
    /* The final "." maps back to the last raw byte. */
    assert_int_equal(norm_raw_offset(&f->res, f->res.n - 1), n - 1);
}

static void test_nul_bytes(void **state)
{
    fixture *f = *state;
    const char raw[] = "a\0b";
    run(f, raw, 3);
    assert_int_equal(f->res.n, 5);
    assert_memory_equal(f->res.text, "a\xEF\xBF\xBD" "b", 5);
    assert_int_equal(norm_raw_offset(&f->res, 4), 2);
    assert_int_equal(test_diags_find(&f->diags, "NUL byte"), 0);
}

static void test_many_invalid_summarised(void **state)
{
    fixture *f = *state;
    char raw[200];
    memset(raw, 0xFF, sizeof raw);
    run(f, raw, sizeof raw);
    assert_int_equal(f->res.n_invalid, 200);
    assert_int_equal(f->res.n, 600);
    assert_int_equal(f->diags.n, 11);
    assert_non_null(strstr(f->diags.msg[10], "190 more"));
}

static void test_reuse_between_documents(void **state)
{
    fixture *f = *state;
    run(f, "x\xFFy", 3);
    assert_int_equal(f->res.n, 5);
    const char *clean = "clean";
    run(f, clean, 5);
    assert_ptr_equal(f->res.text, clean);
    assert_int_equal(f->res.n_anchors, 0);
    assert_int_equal(norm_raw_offset(&f->res, 3), 3);
}

/* The whole text pipeline (reader, normalisation, tokenizer, splitter)
 * fails cleanly at every allocation and leaks nothing. */
static void test_pipeline_oom(void **state)
{
    (void)state;
    static const char text[] =
        "Gunmen attacked a shrine in Shiraz on 26 October 2022, killing 13.\n\n"
        "Cafe\xCC\x81 owners said the U.S. wasn't involved \xFF.";
    const char *path = test_tmpfile(".txt", text, sizeof text - 1);
    assert_non_null(path);
    int completed = 0;
    for (long k = 1; k < 10000 && !completed; k++) {
        test_alloc a = {k, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        casus_doc *doc = casus_doc_new(ctx);
        casus_reader *r = NULL;
        casus_status st = doc ? casus_reader_open(ctx, path, CASUS_FORMAT_AUTO,
                                                  (casus_date){0, 0, 0}, &r)
                              : CASUS_ENOMEM;
        if (st == CASUS_OK)
            st = casus_reader_next(r, doc);
        if (st == CASUS_OK)
            st = casus_doc_analyze(doc);
        if (st == CASUS_OK) {
            size_t n;
            casus_doc_tokens(doc, &n);
            assert_true(n > 10);
            completed = 1;
        } else {
            assert_int_equal(st, CASUS_ENOMEM);
            assert_non_null(strstr(casus_ctx_message(ctx), "out of memory"));
        }
        casus_reader_close(r);
        casus_doc_free(doc);
        casus_ctx_free(ctx);
        if (a.live != 0)
            fail_msg("leak or double free after failing allocation %ld: %ld",
                     k, a.live);
    }
    assert_true(completed);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ascii_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nfc_stable_non_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nfc_composes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_singleton_and_hangul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_invalid_summarised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_between_documents, setup, teardown),
        cmocka_unit_test(test_pipeline_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
