/*
 * test_json.c - the JSON pull parser (src/util/json.c): grammar, escapes,
 * errors with their positions, and allocation failure while decoding.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"

static casus_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ctx = casus_ctx_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    casus_ctx_free(ctx);
    return 0;
}

/* Walks a whole object, skipping every value; returns the final status and
 * leaves the parser for inspection. */
static casus_status skip_all(json_parser *p, const char *s)
{
    json_init(p, s, strlen(s));
    casus_status st = json_object_open(p);
    while (st == CASUS_OK) {
        casus_slice key;
        json_type type;
        st = json_object_next(p, &key, &type);
        if (st == CASUS_OK)
            st = json_skip(p);
    }
    if (st == CASUS_DONE)
        st = json_end(p);
    return st;
}

/* Decodes the value of the first member, which must be a string. */
static casus_status decode_first(const char *s, size_t n, buf *out,
                                 json_parser *p)
{
    json_init(p, s, n);
    casus_slice key;
    json_type type;
    casus_status st = json_object_open(p);
    if (st == CASUS_OK)
        st = json_object_next(p, &key, &type);
    if (st == CASUS_OK)
        st = json_string_decode(p, ctx, out);
    return st;
}

static void test_members_and_types(void **state)
{
    (void)state;
    const char *s = " { \"s\" : \"v\", \"n\":-12.5e+3, \"t\":true, \"f\":false,"
                    "\"z\":null, \"a\":[1,[],{}], \"o\":{\"k\":[\"x\"]} } ";
    static const json_type want[] = {JSON_STRING, JSON_NUMBER, JSON_BOOL,
                                     JSON_BOOL,   JSON_NULL,   JSON_ARRAY,
                                     JSON_OBJECT};
    static const char *const keys[] = {"s", "n", "t", "f", "z", "a", "o"};
    json_parser p;
    json_init(&p, s, strlen(s));
    assert_int_equal(json_object_open(&p), CASUS_OK);
    for (size_t i = 0; i < 7; i++) {
        casus_slice key;
        json_type type;
        assert_int_equal(json_object_next(&p, &key, &type), CASUS_OK);
        assert_int_equal(key.n, 1);
        assert_memory_equal(key.p, keys[i], 1);
        assert_int_equal(type, want[i]);
        if (type == JSON_NUMBER) {
            casus_slice num;
            assert_int_equal(json_number(&p, &num), CASUS_OK);
            assert_int_equal(num.n, 8);
            assert_memory_equal(num.p, "-12.5e+3", 8);
        } else {
            assert_int_equal(json_skip(&p), CASUS_OK);
        }
    }
    casus_slice key;
    json_type type;
    assert_int_equal(json_object_next(&p, &key, &type), CASUS_DONE);
    assert_int_equal(json_end(&p), CASUS_OK);
    assert_null(p.err);

    assert_int_equal(skip_all(&p, "{}"), CASUS_OK);
    assert_int_equal(skip_all(&p, "\t{ }\t"), CASUS_OK);
}

static void test_escaped_key(void **state)
{
    (void)state;
    const char *s = "{\"t\\u0065xt\":1}";
    json_parser p;
    json_init(&p, s, strlen(s));
    casus_slice key;
    json_type type;
    assert_int_equal(json_object_open(&p), CASUS_OK);
    assert_int_equal(json_object_next(&p, &key, &type), CASUS_OK);
    assert_int_equal(key.n, 4);
    assert_memory_equal(key.p, "text", 4);
    assert_int_equal(type, JSON_NUMBER);
}

static void test_string_escapes(void **state)
{
    (void)state;
    const char *s = "{\"k\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t"
                    "\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\"}";
    const char want[] = "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE2\x82\xAC"
                        "\xF0\x9F\x98\x80\0z";
    buf b = BUF_INIT;
    json_parser p;
    assert_int_equal(decode_first(s, strlen(s), &b, &p), CASUS_OK);
    assert_int_equal(b.n, sizeof want - 1);
    assert_memory_equal(b.p, want, sizeof want - 1);
    assert_int_equal(p.lone_surrogates, 0);
    buf_free(ctx, &b);
}

static void test_lone_surrogates(void **state)
{
    (void)state;
    /* lone high, lone low, high followed by a non-low escape, high at end */
    const char *s = "{\"k\":\"\\ud800x\\udc00\\ud800\\u0041\\udbff\"}";
    const char want[] = "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD"
                        "A\xEF\xBF\xBD";
    buf b = BUF_INIT;
    json_parser p;
    assert_int_equal(decode_first(s, strlen(s), &b, &p), CASUS_OK);
    assert_int_equal(b.n, sizeof want - 1);
    assert_memory_equal(b.p, want, sizeof want - 1);
    assert_int_equal(p.lone_surrogates, 4);
    buf_free(ctx, &b);
}

static void test_bytes_pass_through(void **state)
{
    (void)state;
    /* invalid UTF-8, a raw NUL and a raw tab inside a string are kept */
    const char s[] = "{\"k\":\"a\xff\xc0 \0\tb\"}";
    const char want[] = "a\xff\xc0 \0\tb";
    buf b = BUF_INIT;
    json_parser p;
    assert_int_equal(decode_first(s, sizeof s - 1, &b, &p), CASUS_OK);
    assert_int_equal(b.n, sizeof want - 1);
    assert_memory_equal(b.p, want, sizeof want - 1);
    buf_free(ctx, &b);
}

/* Strings of every length around the 8-byte scanning step, with the quote
 * and a backslash at every position. */
static void test_string_lengths(void **state)
{
    (void)state;
    char s[128], want[64];
    buf b = BUF_INIT;
    json_parser p;
    for (size_t len = 0; len < 40; len++) {
        for (size_t esc = 0; esc <= len; esc++) {
            size_t o = 0, w = 0;
            o += (size_t)snprintf(s, sizeof s, "{\"k\":\"");
            for (size_t i = 0; i < len; i++) {
                if (i == esc) {
                    s[o++] = '\\';
                    s[o++] = 'n';
                    want[w++] = '\n';
                } else {
                    s[o++] = (char)('a' + i % 26);
                    want[w++] = (char)('a' + i % 26);
                }
            }
            memcpy(s + o, "\"}", 2);
            o += 2;
            buf_reset(&b);
            assert_int_equal(decode_first(s, o, &b, &p), CASUS_OK);
            assert_int_equal(b.n, w);
            assert_memory_equal(b.p, want, w);
            casus_slice key;
            json_type type;
            assert_int_equal(json_object_next(&p, &key, &type), CASUS_DONE);
            assert_int_equal(json_end(&p), CASUS_OK);
        }
    }
    buf_free(ctx, &b);
}

static void test_numbers(void **state)
{
    (void)state;
    static const char *const good[] = {"0", "-0", "1", "-1", "10", "0.5",
                                       "1e5", "1E+5", "1e-5", "-12.25e10",
                                       "123456789012345678901234567890"};
    static const char *const bad[] = {"01", "-", "1.", ".5", "1e", "1e+",
                                      "+1", "--1", "0x10", "1.e5", "NaN",
                                      "Infinity"};
    char s[64];
    json_parser p;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(s, sizeof s, "{\"n\":%s}", good[i]);
        assert_int_equal(skip_all(&p, s), CASUS_OK);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(s, sizeof s, "{\"n\":%s}", bad[i]);
        assert_int_equal(skip_all(&p, s), CASUS_EFORMAT);
        assert_non_null(p.err);
    }
}

typedef struct bad_case {
    const char *json;
    const char *err;     /* substring of the message */
    size_t pos;
} bad_case;

static void test_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"{\"text\":\"abc", "truncated", 12},
        {"{\"text\":\"abc\"} x", "unexpected characters after the object", 15},
        {"{\"text\":\"a\\qb\"}", "invalid escape", 10},
        {"{\"text\":\"\\u12G4\"}", "bad \\u escape", 9},
        {"{\"text\" \"a\"}", "expected ':'", 8},
        {"[1,2]", "must be a JSON object", 0},
        {"\"str\"", "must be a JSON object", 0},
        {"{\"a\":1,}", "expected a string key", 7},
        {"{\"a\":1 \"b\":2}", "expected ',' or '}'", 7},
        {"{a:1}", "expected a string key", 1},
        {"{\"a\":}", "expected a value", 5},
        {"{\"a\":tru}", "bad literal", 5},
        {"{\"a\":nul}", "bad literal", 5},
        {"{\"a\":[1,]}", "expected a value", 8},
        {"{\"a\":[1 2]}", "expected ',' or ']'", 8},
        {"{\"a\":{\"b\"}}", "expected ':'", 9},
        {"{\"a\":'x'}", "expected a value", 5},
        {"{\"a\":1", "truncated", 6},
        {"{", "truncated", 1},
        {"{\"a\":01}", "leading zero", 6},
    };
    json_parser p;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(skip_all(&p, cases[i].json), CASUS_EFORMAT);
        if (!strstr(p.err, cases[i].err) || p.err_pos != cases[i].pos) {
            fail_msg("%s: got \"%s\" at %zu, want \"%s\" at %zu",
                     cases[i].json, p.err, p.err_pos, cases[i].err,
                     cases[i].pos);
        }
        /* The parser stays failed. */
        assert_int_equal(json_end(&p), CASUS_EFORMAT);
    }
}

static void test_depth(void **state)
{
    (void)state;
    size_t deep = JSON_MAX_DEPTH + 10;
    char *s = malloc(2 * deep + 16);
    assert_non_null(s);
    json_parser p;
    for (int ok = 1; ok >= 0; ok--) {
        size_t d = ok ? JSON_MAX_DEPTH - 1 : deep, o = 0;
        o += (size_t)sprintf(s, "{\"a\":");
        for (size_t i = 0; i < d; i++)
            s[o++] = '[';
        for (size_t i = 0; i < d; i++)
            s[o++] = ']';
        s[o++] = '}';
        s[o] = '\0';
        assert_int_equal(skip_all(&p, s), ok ? CASUS_OK : CASUS_EFORMAT);
        if (!ok)
            assert_non_null(strstr(p.err, "nested too deeply"));
    }
    free(s);
}

static void test_decode_oom(void **state)
{
    (void)state;
    test_alloc a = {0, 0, 0};
    const char *s = "{\"k\":\"some text\"}";
    for (long fail = 1;; fail++) {
        a.fail_at = fail;
        a.count = 0;
        casus_ctx *c = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!c)
            continue;
        buf b = BUF_INIT;
        json_parser p;
        json_init(&p, s, strlen(s));
        casus_slice key;
        json_type type;
        assert_int_equal(json_object_open(&p), CASUS_OK);
        assert_int_equal(json_object_next(&p, &key, &type), CASUS_OK);
        casus_status st = json_string_decode(&p, c, &b);
        int done = a.count < fail;
        assert_int_equal(st, done ? CASUS_OK : CASUS_ENOMEM);
        buf_free(c, &b);
        casus_ctx_free(c);
        assert_int_equal(a.live, 0);
        if (done)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members_and_types),
        cmocka_unit_test(test_escaped_key),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_bytes_pass_through),
        cmocka_unit_test(test_string_lengths),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_decode_oom),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
