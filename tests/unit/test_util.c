/*
 * test_util.c - buffers, UTF-8, dates, the allocator hook.
 */
#include <string.h>

#include "testutil.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/utf8.h"

static void test_utf8_decode(void **state)
{
    (void)state;
    int32_t cp;
    assert_int_equal(utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode((const unsigned char *)"\xE2\x80\x9C", 3, &cp), 3);
    assert_int_equal(cp, 0x201C);
    assert_int_equal(utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* Overlong, surrogate, above U+10FFFF, lone continuation, truncated. */
    assert_int_equal(utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xE0\x80\xAF", 3, &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(utf8_decode((const unsigned char *)"\x80", 1, &cp), 1);
    assert_int_equal(cp, -1);
    /* A truncated 3-byte sequence is one maximal invalid subpart of 2. */
    assert_int_equal(utf8_decode((const unsigned char *)"\xE2\x80", 2, &cp), 2);
    assert_int_equal(cp, -1);
    assert_int_equal(utf8_decode((const unsigned char *)"\xE2\x80X", 3, &cp), 2);
    assert_int_equal(cp, -1);
    assert_true(utf8_valid("na\xC3\xAFve \xE2\x80\x94 ok", 13));
    assert_false(utf8_valid("bad \xFF", 5));
    char out[4];
    assert_int_equal(utf8_encode(0x1F600, out), 4);
    assert_memory_equal(out, "\xF0\x9F\x98\x80", 4);
    assert_int_equal(utf8_ascii_prefix("abcdefghij\xC3\xA9", 12), 10);
}

static void test_dates(void **state)
{
    (void)state;
    casus_date d;
    char s[11];
    assert_int_equal(casus_date_parse("2024-01-03", 10, &d), CASUS_OK);
    casus_date_format(d, s);
    assert_string_equal(s, "2024-01-03");
    assert_int_equal(casus_date_parse("19950101", 8, &d), CASUS_OK);
    casus_date_format(d, s);
    assert_string_equal(s, "1995-01-01");
    assert_int_equal(casus_date_parse("2024-02-29T10:00:00Z", 20, &d), CASUS_OK);
    assert_int_equal(d.day, 29);
    assert_int_equal(casus_date_parse("2023-02-29", 10, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("2024-02-30", 10, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("2024-13-01", 10, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("2024-1-3", 8, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("yesterday", 9, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("2024-01-03x", 11, &d), CASUS_EFORMAT);
    assert_int_equal(casus_date_parse("", 0, &d), CASUS_EFORMAT);
    casus_date none = {0, 0, 0};
    casus_date_format(none, s);
    assert_string_equal(s, "");
}

static void test_buf(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_printf(ctx, &b, "%d-%s", 42, "x"), CASUS_OK);
    assert_string_equal(buf_cstr(&b), "42-x");
    buf_reset(&b);
    char big[1000];
    memset(big, 'a', sizeof big);
    assert_int_equal(buf_printf(ctx, &b, "%.*s", 1000, big), CASUS_OK);
    assert_int_equal(b.n, 1000);
    buf_reset(&b);
    assert_int_equal(buf_json_escape(ctx, &b, "a\"b\\c\n\x01\xC3\xA9\xFF", 10), CASUS_OK);
    assert_string_equal(buf_cstr(&b), "a\\\"b\\\\c\\n\\u0001\xC3\xA9\\ufffd");
    buf_free(ctx, &b);
    casus_ctx_free(ctx);
}

static void test_alloc_hook(void **state)
{
    (void)state;
    test_alloc a = {0, 0, 0};
    casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
    assert_non_null(ctx);
    a.fail_at = a.count + 1;
    void *p = mem_alloc(ctx, 10);
    assert_null(p);
    assert_non_null(strstr(casus_ctx_message(ctx), "out of memory"));
    /* Growth arithmetic that would overflow is refused, not wrapped. */
    a.fail_at = 0;
    char *v = NULL;
    size_t cap = 0;
    assert_int_equal(mem_grow(ctx, (void **)&v, &cap, SIZE_MAX / 2 + 2, 4),
                     CASUS_ENOMEM);
    assert_null(v);
    assert_int_equal(mem_grow(ctx, (void **)&v, &cap, 100, 4), CASUS_OK);
    assert_true(cap >= 100);
    mem_free(ctx, v);
    casus_ctx_free(ctx);
    assert_int_equal(a.live, 0);
    /* Failing the context allocation itself. */
    test_alloc b = {1, 0, 0};
    assert_null(casus_ctx_new_with_alloc(test_alloc_fn, &b));
}

static void test_formats(void **state)
{
    (void)state;
    casus_format f;
    assert_int_equal(casus_format_parse("petrarch-xml", &f), CASUS_OK);
    assert_int_equal(f, CASUS_FORMAT_PETRARCH_XML);
    assert_int_equal(casus_format_parse("pdf", &f), CASUS_EINVAL);
    assert_int_equal(casus_format_for_path("a/b.JSONL"), CASUS_FORMAT_JSONL);
    assert_int_equal(casus_format_for_path("x.htm"), CASUS_FORMAT_HTML);
    assert_int_equal(casus_format_for_path("x.conllu"), CASUS_FORMAT_CONLLU);
    assert_int_equal(casus_format_for_path("x.xml"), CASUS_FORMAT_PETRARCH_XML);
    assert_int_equal(casus_format_for_path("README"), CASUS_FORMAT_TEXT);
    assert_string_equal(casus_format_name(CASUS_FORMAT_HTML), "html");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_buf), cmocka_unit_test(test_alloc_hook),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
