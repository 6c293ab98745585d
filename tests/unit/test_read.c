/*
 * test_read.c - the JSON Lines, HTML and PETRARCH XML readers (and the
 * plain text reader's allocation failures): exact document fields, exact
 * diagnostics (severity, file, line, message), recovery after bad records,
 * size limits, and an out-of-memory loop per reader.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DOCS 400

typedef struct got_doc {
    char id[128], title[256], url[128], date[11];
    unsigned long line;
    char *raw;
    size_t n;
} got_doc;

/* What one read of an input produced. */
typedef struct run {
    got_doc docs[MAX_DOCS];
    size_t n;
    casus_status end;        /* the status that ended the loop */
    test_diags diags;
    size_t n_errors;
} run;

static run R;
static char path[256];
static const casus_date DEFAULT_DATE = {2000, 1, 1};

static void run_clear(void)
{
    for (size_t i = 0; i < R.n && i < MAX_DOCS; i++)
        free(R.docs[i].raw);
    memset(&R, 0, sizeof R);
}

static int teardown(void **state)
{
    (void)state;
    run_clear();
    return 0;
}

/* Reads every document of path into R. max_doc 0 keeps the default;
 * analyze runs casus_doc_analyze on each document. */
static void read_path(const char *p, casus_format f, size_t max_doc,
                      int analyze)
{
    run_clear();
    casus_ctx *ctx = casus_ctx_new();
    assert_non_null(ctx);
    casus_ctx_set_diag(ctx, test_diag_fn, &R.diags);
    if (max_doc)
        casus_ctx_set_max_doc_bytes(ctx, max_doc);
    casus_reader *r = NULL;
    assert_int_equal(casus_reader_open(ctx, p, f, DEFAULT_DATE, &r),
                     CASUS_OK);
    casus_doc *doc = casus_doc_new(ctx);
    assert_non_null(doc);
    casus_status st;
    while ((st = casus_reader_next(r, doc)) == CASUS_OK) {
        if (analyze)
            assert_int_equal(casus_doc_analyze(doc), CASUS_OK);
        if (R.n++ >= MAX_DOCS)
            continue; /* counted, not kept */
        got_doc *g = &R.docs[R.n - 1];
        snprintf(g->id, sizeof g->id, "%s", casus_doc_id(doc));
        snprintf(g->title, sizeof g->title, "%s", casus_doc_title(doc));
        snprintf(g->url, sizeof g->url, "%s", casus_doc_url(doc));
        casus_date_format(casus_doc_date(doc), g->date);
        g->line = casus_doc_line(doc);
        assert_string_equal(casus_doc_file(doc), p);
        casus_slice raw = casus_doc_raw(doc);
        g->raw = malloc(raw.n + 1);
        assert_non_null(g->raw);
        memcpy(g->raw, raw.p, raw.n);
        g->raw[raw.n] = '\0';
        g->n = raw.n;
    }
    R.end = st;
    /* A further call stays at the end without new diagnostics. */
    size_t nd = R.diags.n;
    assert_int_equal(casus_reader_next(r, doc), st == CASUS_DONE ? CASUS_DONE
                                                                 : st);
    assert_int_equal(R.diags.n, nd);
    R.n_errors = casus_ctx_diag_count(ctx, CASUS_ERROR);
    casus_doc_free(doc);
    casus_reader_close(r);
    casus_ctx_free(ctx);
}

static const char *write_tmp(const char *suffix, const char *data, size_t n)
{
    const char *p = test_tmpfile(suffix, data, n);
    assert_non_null(p);
    snprintf(path, sizeof path, "%s", p);
    return path;
}

/* Writes data to a temporary file, reads it into R and removes it. */
static void read_data(const char *suffix, const char *data, size_t n,
                      casus_format f, size_t max_doc, int analyze)
{
    write_tmp(suffix, data, n);
    read_path(path, f, max_doc, analyze);
    unlink(path);
}

#define READ_STR(suffix, s, f) read_data(suffix, s, strlen(s), f, 0, 0)

static void dump_diags(void)
{
    for (size_t i = 0; i < R.diags.n; i++)
        fprintf(stderr, "  diag %zu: sev %d %s:%lu: %s\n", i,
                (int)R.diags.sev[i], R.diags.file[i], R.diags.line[i],
                R.diags.msg[i]);
}

/* Asserts a diagnostic with this severity and line whose message contains
 * msg, about the file just read. */
static void expect_diag(casus_severity sev, unsigned long line,
                        const char *msg)
{
    for (size_t i = 0; i < R.diags.n; i++) {
        if (strstr(R.diags.msg[i], msg) && R.diags.line[i] == line &&
            R.diags.sev[i] == sev) {
            assert_string_equal(R.diags.file[i], path);
            return;
        }
    }
    dump_diags();
    fail_msg("no diagnostic (severity %d, line %lu) containing \"%s\"",
             (int)sev, line, msg);
}

static void expect_n_diags(size_t n)
{
    if (R.diags.n != n) {
        dump_diags();
        fail_msg("%zu diagnostics, expected %zu", R.diags.n, n);
    }
}

static void expect_doc(size_t i, const char *id, const char *date,
                       unsigned long line, const char *raw)
{
    if (i >= R.n) {
        dump_diags();
        fail_msg("document %zu missing (%zu read)", i, R.n);
    }
    assert_string_equal(R.docs[i].id, id);
    assert_string_equal(R.docs[i].date, date);
    assert_int_equal(R.docs[i].line, line);
    assert_string_equal(R.docs[i].raw, raw);
}

/* ================================================================ JSONL */

static void test_jsonl_good(void **state)
{
    (void)state;
    const char *in =
        "{\"id\":\"a1\",\"date\":\"2024-03-01\",\"url\":\"https://x.test/1\","
        "\"title\":\"T \\\"q\\\"\",\"text\":\"Hello\\nworld \\u00e9 "
        "\\ud83d\\ude00 \\/ \\\\ \\t!\"}\r\n"
        "{\"text\":\"second\",\"date\":\"2024-03-02T10:00:00Z\"}\r\n"
        "\r\n"
        "   \n"
        "{\"text\":\"third\", \"id\": 42, \"date\": null, \"url\": null}\n"
        "{\"date\":\"20240305\",\"text\":\"fourth\",\"title\":\"\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_AUTO);
    expect_n_diags(0);
    assert_int_equal(R.end, CASUS_DONE);
    assert_int_equal(R.n, 4);
    expect_doc(0, "a1", "2024-03-01", 1,
               "Hello\nworld \xC3\xA9 \xF0\x9F\x98\x80 / \\ \t!");
    assert_string_equal(R.docs[0].url, "https://x.test/1");
    assert_string_equal(R.docs[0].title, "T \"q\"");
    char id[300];
    snprintf(id, sizeof id, "%s:2", path);
    expect_doc(1, id, "2024-03-02", 2, "second");
    assert_string_equal(R.docs[1].url, "");
    assert_string_equal(R.docs[1].title, "");
    expect_doc(2, "42", "2000-01-01", 5, "third");
    snprintf(id, sizeof id, "%s:6", path);
    expect_doc(3, id, "2024-03-05", 6, "fourth");
}

static void test_jsonl_missing_text(void **state)
{
    (void)state;
    const char *in = "{\"id\":\"x\",\"title\":\"no text\"}\n"
                     "{\"id\":\"y\",\"text\":null}\n"
                     "{\"id\":\"z\",\"text\":[\"a\"]}\n"
                     "{\"id\":\"w\",\"text\":5}\n"
                     "{\"id\":\"ok\",\"text\":\"fine\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(4);
    expect_diag(CASUS_ERROR, 1, "record has no \"text\" field; skipped");
    expect_diag(CASUS_ERROR, 2, "field \"text\" is null, not a string");
    expect_diag(CASUS_ERROR, 3, "field \"text\" is an array, not a string");
    expect_diag(CASUS_ERROR, 4, "field \"text\" is a number, not a string");
    assert_int_equal(R.n, 1);
    expect_doc(0, "ok", "2000-01-01", 5, "fine");
}

static void test_jsonl_wrong_types(void **state)
{
    (void)state;
    const char *in = "{\"id\":[],\"date\":5,\"url\":true,\"title\":{\"a\":1},"
                     "\"text\":\"t\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(4);
    expect_diag(CASUS_WARNING, 1,
                "field \"id\" is an array, not a string or number; ignored");
    expect_diag(CASUS_WARNING, 1, "field \"date\" is a number, not a string");
    expect_diag(CASUS_WARNING, 1, "field \"url\" is a boolean, not a string");
    expect_diag(CASUS_WARNING, 1, "field \"title\" is an object, not a string");
    char id[300];
    snprintf(id, sizeof id, "%s:1", path);
    assert_int_equal(R.n, 1);
    expect_doc(0, id, "2000-01-01", 1, "t");
    assert_string_equal(R.docs[0].url, "");
    assert_string_equal(R.docs[0].title, "");
}

static void test_jsonl_unknown_fields(void **state)
{
    (void)state;
    const char *in =
        "{\"n\":null,\"t\":true,\"f\":false,\"num\":-1.5e+10,\"z\":0,"
        "\"s\":\"s\\\"x\\u00e9\",\"a\":[1,[2,{\"g\":[]}],\"x\",null],"
        "\"o\":{\"i\":{\"j\":\"k\",\"l\":[{}]}},\"TEXT\":\"no\","
        "\"text\":\"ok\",\"e\":{},\"ea\":[]}\n"
        "{\"t\\u0065xt\":\"escaped key\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(0);
    assert_int_equal(R.n, 2);
    assert_string_equal(R.docs[0].raw, "ok");
    assert_string_equal(R.docs[1].raw, "escaped key");
}

static void test_jsonl_dates(void **state)
{
    (void)state;
    const char *in = "{\"id\":\"a\",\"date\":\"March 1, 2024\",\"text\":\"x\"}\n"
                     "{\"id\":\"b\",\"date\":\"2024-02-30\",\"text\":\"y\"}\n"
                     "{\"id\":\"c\",\"date\":\"2024-02-29\",\"text\":\"z\"}\n"
                     "{\"id\":\"d\",\"date\":\"2023-02-29T00:00:00Z\","
                     "\"text\":\"w\"}\n"
                     "{\"id\":\"e\",\"date\":\"\",\"text\":\"v\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(3);
    expect_diag(CASUS_WARNING, 1,
                "field \"date\": \"March 1, 2024\" is not an ISO 8601 date; "
                "the default date is used");
    expect_diag(CASUS_WARNING, 2,
                "field \"date\": \"2024-02-30\" is an impossible date");
    expect_diag(CASUS_WARNING, 4, "\"2023-02-29T00:00:00Z\" is an impossible");
    assert_int_equal(R.n, 5);
    expect_doc(0, "a", "2000-01-01", 1, "x");
    expect_doc(1, "b", "2000-01-01", 2, "y");
    expect_doc(2, "c", "2024-02-29", 3, "z");
    expect_doc(3, "d", "2000-01-01", 4, "w");
    expect_doc(4, "e", "2000-01-01", 5, "v");
}

static void test_jsonl_malformed(void **state)
{
    (void)state;
    const char *in = "{\"text\":\"unterminated}\n"            /* 1 */
                     "{\"text\":\"a\"} trailing\n"             /* 2 */
                     "{\"text\":\"bad \\x escape\"}\n"         /* 3 */
                     "{\"text\" \"no colon\"}\n"               /* 4 */
                     "[\"a bare array\"]\n"                    /* 5 */
                     "{\"text\":\"a\",}\n"                     /* 6 */
                     "not json at all\n"                       /* 7 */
                     "{\"text\":\"good\",\"id\":\"g\"}\n"      /* 8 */
                     "{\"text\":\"x\",\"n\":01}\n"             /* 9 */
                     "{\"id\":\"also good\",\"text\":\"g2\"}\n"; /* 10 */
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(8);
    expect_diag(CASUS_ERROR, 1, "malformed JSON at column 23: the record ends "
                                "too early (truncated?); record skipped");
    expect_diag(CASUS_ERROR, 2, "malformed JSON at column 14: unexpected "
                                "characters after the object");
    expect_diag(CASUS_ERROR, 3, "malformed JSON at column 14: invalid escape");
    expect_diag(CASUS_ERROR, 4, "malformed JSON at column 9: expected ':'");
    expect_diag(CASUS_ERROR, 5,
                "malformed JSON at column 1: a record must be a JSON object");
    expect_diag(CASUS_ERROR, 6,
                "malformed JSON at column 13: expected a string key");
    expect_diag(CASUS_ERROR, 7, "at column 1: a record must be a JSON object");
    expect_diag(CASUS_ERROR, 9, "at column 18: leading zero in a number");
    assert_int_equal(R.n, 2);
    expect_doc(0, "g", "2000-01-01", 8, "good");
    expect_doc(1, "also good", "2000-01-01", 10, "g2");
}

static void test_jsonl_too_big(void **state)
{
    (void)state;
    size_t big = 5000;
    char *in = malloc(big + 200);
    assert_non_null(in);
    size_t o = (size_t)sprintf(in, "{\"id\":\"small\",\"text\":\"a\"}\n"
                                   "{\"text\":\"");
    memset(in + o, 'x', big);
    o += big;
    o += (size_t)sprintf(in + o, "\"}\n{\"id\":\"after\",\"text\":\"b\"}\n");
    read_data(".jsonl", in, o, CASUS_FORMAT_JSONL, 1000, 0);
    free(in);
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 2, "record of at least 5011 bytes exceeds the "
                                "limit of 1000 bytes; skipped");
    assert_int_equal(R.n, 2);
    expect_doc(0, "small", "2000-01-01", 1, "a");
    expect_doc(1, "after", "2000-01-01", 3, "b");
}

/* Counts the largest single allocation, to show that a huge line is not
 * held in memory. */
typedef struct peak_alloc {
    test_alloc a;
    size_t peak;
} peak_alloc;

static void *peak_alloc_fn(void *ud, void *p, size_t n)
{
    peak_alloc *pa = ud;
    if (n > pa->peak)
        pa->peak = n;
    return test_alloc_fn(&pa->a, p, n);
}

static void test_jsonl_huge_line(void **state)
{
    (void)state;
    const size_t chunk = (size_t)1 << 20, chunks = 100;
    char *block = malloc(chunk);
    assert_non_null(block);
    memset(block, 'y', chunk);
    write_tmp(".jsonl", "", 0);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("{\"text\":\"", fp);
    for (size_t i = 0; i < chunks; i++)
        assert_int_equal(fwrite(block, 1, chunk, fp), chunk);
    fputs("\"}\n{\"id\":\"next\",\"text\":\"ok\"}\n", fp);
    assert_int_equal(fclose(fp), 0);
    free(block);

    peak_alloc pa;
    memset(&pa, 0, sizeof pa);
    test_diags d;
    memset(&d, 0, sizeof d);
    casus_ctx *ctx = casus_ctx_new_with_alloc(peak_alloc_fn, &pa);
    assert_non_null(ctx);
    casus_ctx_set_diag(ctx, test_diag_fn, &d);
    casus_ctx_set_max_doc_bytes(ctx, (size_t)1 << 20);
    casus_reader *r;
    assert_int_equal(casus_reader_open(ctx, path, CASUS_FORMAT_AUTO,
                                       DEFAULT_DATE, &r), CASUS_OK);
    casus_doc *doc = casus_doc_new(ctx);
    assert_int_equal(casus_reader_next(r, doc), CASUS_OK);
    assert_string_equal(casus_doc_id(doc), "next");
    assert_int_equal(casus_doc_line(doc), 2);
    assert_int_equal(casus_reader_next(r, doc), CASUS_DONE);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.sev[0], CASUS_ERROR);
    assert_int_equal(d.line[0], 1);
    assert_non_null(strstr(d.msg[0], "exceeds the limit of 1048576 bytes"));
    casus_doc_free(doc);
    casus_reader_close(r);
    casus_ctx_free(ctx);
    unlink(path);
    assert_int_equal(pa.a.live, 0);
    assert_true(pa.peak < ((size_t)4 << 20));
}

static void test_jsonl_bad_bytes(void **state)
{
    (void)state;
    /* Invalid UTF-8 as raw bytes, NUL as an escape and as a raw byte. */
    const char in[] = "{\"id\":\"u\",\"text\":\"caf\xff bar \\u0000 and \0 "
                      "end.\"}\n"
                      "{\"id\":\"a\\u0000b\",\"title\":\"t\xffx\",\"text\":\"t\"}\n";
    read_data(".jsonl", in, sizeof in - 1, CASUS_FORMAT_JSONL, 0, 1);
    assert_int_equal(R.n, 2);
    /* Metadata is repaired by the reader: it does not pass through norm. */
    expect_doc(1, "a\xEF\xBF\xBD" "b", "2000-01-01", 2, "t");
    assert_string_equal(R.docs[1].title, "t\xEF\xBF\xBDx");
    expect_diag(CASUS_WARNING, 2, "field \"id\" holds NUL or invalid UTF-8, "
                                  "replaced by U+FFFD");
    expect_diag(CASUS_WARNING, 2, "field \"title\" holds NUL or invalid");
    expect_n_diags(5);
    assert_int_equal(R.docs[0].n, 21);
    assert_memory_equal(R.docs[0].raw, "caf\xff bar \0 and \0 end.", 21);
    expect_diag(CASUS_WARNING, 1, "invalid UTF-8");
    expect_diag(CASUS_WARNING, 1, "NUL byte at byte 9");
    expect_diag(CASUS_WARNING, 1, "NUL byte at byte 15");
}

static void test_jsonl_surrogates_and_dups(void **state)
{
    (void)state;
    const char *in = "{\"id\":\"s\",\"text\":\"a\\ud800b\\udc00c\","
                     "\"text\":\"x\\ud83d\\udca3y\\udfff\"}\n";
    READ_STR(".jsonl", in, CASUS_FORMAT_JSONL);
    expect_n_diags(2);
    expect_diag(CASUS_WARNING, 1,
                "3 lone surrogate escapes replaced by U+FFFD");
    expect_diag(CASUS_WARNING, 1,
                "field \"text\" appears more than once; the last one is used");
    assert_int_equal(R.n, 1);
    expect_doc(0, "s", "2000-01-01", 1,
               "x\xF0\x9F\x92\xA3y\xEF\xBF\xBD");
}

static void test_jsonl_truncated_last_line(void **state)
{
    (void)state;
    READ_STR(".jsonl", "{\"id\":\"1\",\"text\":\"good\"}\n{\"id\":\"2\","
                       "\"text\":\"cut sh", CASUS_FORMAT_JSONL);
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 2, "malformed JSON at column 25: the record "
                                "ends too early (truncated?) (last line, no "
                                "final newline); record skipped");
    assert_int_equal(R.n, 1);
    expect_doc(0, "1", "2000-01-01", 1, "good");

    /* A complete last record without its newline is read, with a note. */
    READ_STR(".jsonl", "\n{\"id\":\"1\",\"text\":\"fine\"}", CASUS_FORMAT_JSONL);
    expect_n_diags(1);
    expect_diag(CASUS_NOTE, 2, "no newline at the end of the input");
    assert_int_equal(R.n, 1);
    expect_doc(0, "1", "2000-01-01", 2, "fine");

    /* Cut right after a CR. */
    READ_STR(".jsonl", "{\"id\":\"1\",\"text\":\"a\"}\r", CASUS_FORMAT_JSONL);
    assert_int_equal(R.n, 1);
    expect_diag(CASUS_NOTE, 1, "no newline at the end of the input");
}

static void test_jsonl_empty(void **state)
{
    (void)state;
    READ_STR(".jsonl", "", CASUS_FORMAT_JSONL);
    expect_n_diags(1);
    expect_diag(CASUS_WARNING, 0, "empty input");
    assert_int_equal(R.n, 0);
    assert_int_equal(R.end, CASUS_DONE);

    READ_STR(".jsonl", "\n  \n\r\n", CASUS_FORMAT_JSONL);
    expect_n_diags(1);
    expect_diag(CASUS_WARNING, 0, "empty input: no records, only blank lines");
    assert_int_equal(R.n, 0);
}

static void test_jsonl_bom(void **state)
{
    (void)state;
    READ_STR(".jsonl", "\xEF\xBB\xBF{\"id\":\"b\",\"text\":\"bom\"}\n"
                       "\xEF\xBB\xBF{\"id\":\"c\",\"text\":\"x\"}\n",
             CASUS_FORMAT_JSONL);
    /* Only the first line may carry a byte order mark. */
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 2, "at column 1: a record must be a JSON object");
    assert_int_equal(R.n, 1);
    expect_doc(0, "b", "2000-01-01", 1, "bom");
}

static void test_jsonl_bench_news(void **state)
{
    (void)state;
    const char *p = test_shared("bench-news/news.jsonl");
    if (!p) {
        skip();
        return;
    }
    snprintf(path, sizeof path, "%s", p);
    read_path(path, CASUS_FORMAT_AUTO, 0, 0);
    /* One document per non-blank line, no diagnostics. */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t lines = 0;
    int c, prev = '\n';
    while ((c = getc(fp)) != EOF) {
        if (c == '\n' && prev != '\n')
            lines++;
        prev = c;
    }
    if (prev != '\n')
        lines++;
    fclose(fp);
    expect_n_diags(0);
    assert_true(R.n > 0);
    assert_int_equal(R.n, lines);
}

/* ================================================================ HTML */

static void test_html_article(void **state)
{
    (void)state;
    const char *in =
        "<!DOCTYPE html><html><head><title>  Bomb   in\nKabul &amp; more"
        "</title><style>p{color:red}</style><script>var x=\"<p>no</p>\";"
        "</script></head>\n<body><nav><a href=/>Home</a> | <a>World</a></nav>"
        "<header><h1>Site</h1></header>\n<article><h1>Blast kills 5</h1>"
        "<p>KABUL &mdash; A  bomb\n exploded on <b>Monday</b>, officials "
        "said.</p><p>Police &quot;arrested&quot; two.<br>Second&nbsp;line."
        "</p>\n<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b"
        "</td></tr></table><noscript>enable js</noscript><template>t"
        "</template>\n<aside>Related: ads</aside><div hidden>hid</div>"
        "<div aria-hidden=\"true\">aria</div><form>Search <input></form>"
        "<blockquote>Quote &#8220;x&#x201D;</blockquote></article>\n"
        "<footer>(c) 2024</footer></body></html>\n";
    READ_STR(".html", in, CASUS_FORMAT_AUTO);
    expect_n_diags(0);
    assert_int_equal(R.n, 1);
    const char *base = strrchr(path, '/') + 1;
    expect_doc(0, base, "2000-01-01", 1,
               "Blast kills 5\n\n"
               "KABUL \xE2\x80\x94 A bomb exploded on Monday, officials said."
               "\n\nPolice \"arrested\" two.\n\nSecond\xC2\xA0line.\n\n"
               "one\n\ntwo\n\na b\n\n"
               "Quote \xE2\x80\x9Cx\xE2\x80\x9D");
    assert_string_equal(R.docs[0].title, "Bomb in Kabul & more");
}

static void test_html_main_and_body(void **state)
{
    (void)state;
    READ_STR(".htm", "<body><div>menu junk</div><main><p>Main text.</p>"
                     "</main><p>after</p></body>", CASUS_FORMAT_AUTO);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].raw, "Main text.");
    assert_string_equal(R.docs[0].title, "");

    /* The article with the most text wins; nested articles count with the
     * outer one. */
    READ_STR(".html", "<article><p>short</p></article><article><h2>Long"
                      "</h2><p>the longer one</p><article>inner</article>"
                      "</article>", CASUS_FORMAT_HTML);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].raw, "Long\n\nthe longer one\n\ninner");

    /* No article, no main: the body; the title from the first h1. */
    READ_STR(".html", "<html><body><h1>Head <i>line</i><br>two</h1>\n"
                      "<div>Body <span>text</span>\n\n  here.</div>"
                      "<p></p><p>  </p>Tail</body></html>", CASUS_FORMAT_HTML);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].title, "Head line two");
    assert_string_equal(R.docs[0].raw,
                        "Head line\n\ntwo\n\nBody text here.\n\nTail");
    expect_n_diags(0);
}

static void test_html_truncated(void **state)
{
    (void)state;
    READ_STR(".html", "<html><head><title>Cut</title></head><body><p>First "
                      "para.</p><p>Second &amp; cut <b>bold te",
             CASUS_FORMAT_HTML);
    expect_n_diags(0);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].title, "Cut");
    assert_string_equal(R.docs[0].raw, "First para.\n\nSecond & cut bold te");

    READ_STR(".html", "<p>unclosed <!-- comment", CASUS_FORMAT_HTML);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].raw, "unclosed");
}

static void test_html_empty_and_limits(void **state)
{
    (void)state;
    READ_STR(".html", "", CASUS_FORMAT_HTML);
    expect_n_diags(1);
    expect_diag(CASUS_WARNING, 0, "empty input");
    assert_int_equal(R.n, 0);
    assert_int_equal(R.end, CASUS_DONE);

    READ_STR(".html", "<html><script>x</script><nav>menu</nav></html>",
             CASUS_FORMAT_HTML);
    expect_n_diags(1);
    expect_diag(CASUS_WARNING, 1, "no text found in the HTML; skipped");
    assert_int_equal(R.n, 0);

    char big[600];
    memset(big, 'z', sizeof big);
    memcpy(big, "<p>", 3);
    read_data(".html", big, sizeof big, CASUS_FORMAT_HTML, 100, 0);
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 1, "larger than the limit of 100 bytes; skipped");
    assert_int_equal(R.n, 0);
    assert_int_equal(R.end, CASUS_DONE);
}

static void test_html_bad_bytes_and_depth(void **state)
{
    (void)state;
    const char in[] = "<p>a\xff b\0c</p>";
    read_data(".html", in, sizeof in - 1, CASUS_FORMAT_HTML, 0, 1);
    assert_int_equal(R.n, 1);
    /* gumbo replaces invalid UTF-8 with U+FFFD and drops NUL in text. */
    assert_non_null(strstr(R.docs[0].raw, "a\xEF\xBF\xBD b"));

    /* Deep nesting must not exhaust the stack. */
    size_t depth = 50000, o = 0;
    char *deep = malloc(depth * 5 + 16);
    assert_non_null(deep);
    for (size_t i = 0; i < depth; i++) {
        memcpy(deep + o, "<div>", 5);
        o += 5;
    }
    memcpy(deep + o, "deep", 4);
    o += 4;
    read_data(".html", deep, o, CASUS_FORMAT_HTML, 0, 0);
    free(deep);
    assert_int_equal(R.n, 1);
    assert_string_equal(R.docs[0].raw, "deep");
}

/* ================================================================ XML */

static void test_xml_petrarch(void **state)
{
    (void)state;
    const char *p = test_shared("petrarch2/text/PETR.UnitTest.records.xml");
    if (!p) {
        skip();
        return;
    }
    snprintf(path, sizeof path, "%s", p);
    /* Count the <Sentence elements in the file. */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char line[4096];
    size_t sentences = 0;
    while (fgets(line, sizeof line, fp))
        for (char *s = line; (s = strstr(s, "<Sentence ")); s++)
            sentences++;
    fclose(fp);
    read_path(path, CASUS_FORMAT_AUTO, 0, 0);
    assert_int_equal(R.end, CASUS_DONE);
    assert_int_equal(R.n_errors, 0);
    assert_int_equal(R.n, sentences);
    assert_int_equal(R.n, 284);
    assert_string_equal(R.docs[0].id, "DEMO-00");
    assert_string_equal(R.docs[0].date, "1995-01-01");
    assert_int_equal(R.docs[0].line, 61);
    assert_memory_equal(R.docs[0].raw, "Arnor is about to restore", 25);
    assert_string_equal(R.docs[0].raw + R.docs[0].n - 20, "trashed its embassy.");
    /* Attribute spacing `date = "20080804" id ="..."`. */
    int found = 0;
    for (size_t i = 0; i < R.n; i++)
        if (strcmp(R.docs[i].id, "AFP0808020593-1a") == 0) {
            found = 1;
            assert_string_equal(R.docs[i].date, "2008-08-04");
            assert_int_equal(R.docs[i].line, 4885);
        }
    assert_true(found);
}

static void test_xml_inline(void **state)
{
    (void)state;
    const char *in =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Sentences>\n"
        "<Sentence date = \"20080804\" id =\"S1\" category=\"x\">\n"   /* 3 */
        "<!-- a comment -->\n"
        "<Text>\n   Troops &amp; rebels <![CDATA[<clashed>]]> in\n"
        "  Caf&#233;.  \n</Text>\n"
        "<Parse>(ROOT (S (NP (NNS Troops))))</Parse>\n"
        "<EventCoding sourcecode=\"A\" targetcode=\"B\" eventcode=\"190\"/>\n"
        "</Sentence>\n"
        "<Sentence id=\"S2\"><Text>No date.</Text></Sentence>\n"       /* 12 */
        "<Sentence date=\"20081399\" id=\"S3\"><Text>Bad date.</Text>"
        "</Sentence>\n"                                               /* 13 */
        "<Sentence date=\"2008-12-01\"><Text>No id.</Text></Sentence>\n"
        "<Sentence id=\"S5\"><Parse>only a parse</Parse></Sentence>\n" /* 15 */
        "<Sentence id=\"S6\"><Text>  </Text></Sentence>\n"             /* 16 */
        "<Sentence id=\"S7\"/>\n"                                      /* 17 */
        "<Sentence id=\"S8\"><Text>One.</Text><Text>Two.</Text></Sentence>\n"
        "</Sentences>\n";
    READ_STR(".xml", in, CASUS_FORMAT_AUTO);
    assert_int_equal(R.end, CASUS_DONE);
    expect_n_diags(4);
    expect_diag(CASUS_WARNING, 13, "date=\"20081399\" is not a valid date");
    expect_diag(CASUS_ERROR, 15, "no <Text> element; sentence skipped");
    expect_diag(CASUS_WARNING, 16, "empty <Text>; sentence skipped");
    expect_diag(CASUS_ERROR, 17, "no <Text> element; sentence skipped");
    assert_int_equal(R.n, 5);
    expect_doc(0, "S1", "2008-08-04", 3,
               "Troops & rebels <clashed> in\n  Caf\xC3\xA9.");
    expect_doc(1, "S2", "2000-01-01", 12, "No date.");
    expect_doc(2, "S3", "2000-01-01", 13, "Bad date.");
    char id[300];
    snprintf(id, sizeof id, "%s:14", path);
    expect_doc(3, id, "2008-12-01", 14, "No id.");
    expect_doc(4, "S8", "2000-01-01", 18, "One.\n\nTwo.");
}

static void test_xml_truncated(void **state)
{
    (void)state;
    const char *in = "<Sentences>\n"
                     "<Sentence date=\"20080801\" id=\"A\"><Text>First.</Text>"
                     "</Sentence>\n"
                     "<Sentence date=\"20080802\" id=\"B\">\n<Text>Second."
                     "</Text>\n</Sentence>\n"
                     "<Sentence date=\"20080803\" id=\"C\">\n"
                     "<Text>Third is cut";
    READ_STR(".xml", in, CASUS_FORMAT_PETRARCH_XML);
    assert_int_equal(R.end, CASUS_DONE);
    assert_int_equal(R.n, 2);
    expect_doc(0, "A", "2008-08-01", 2, "First.");
    expect_doc(1, "B", "2008-08-02", 3, "Second.");
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 7, "XML error: ");
    assert_non_null(strstr(R.diags.msg[0], "reading of this file stopped"));

    /* A well-formedness error in the middle. */
    READ_STR(".xml", "<Sentences>\n<Sentence id=\"a\"><Text>x</Text></Sentence>"
                     "\n<Sentence id=\"b\"><Text>y</Txt></Sentence>\n"
                     "<Sentence id=\"c\"><Text>z</Text></Sentence>\n"
                     "</Sentences>\n", CASUS_FORMAT_PETRARCH_XML);
    assert_int_equal(R.n, 1);
    expect_doc(0, "a", "2000-01-01", 2, "x");
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 3, "XML error: ");
}

static void test_xml_entities(void **state)
{
    (void)state;
    const char *secret_path = write_tmp(".txt", "SECRET-CONTENT\n", 15);
    char secret[256];
    snprintf(secret, sizeof secret, "%s", secret_path);
    char in[2048];
    snprintf(in, sizeof in,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE Sentences SYSTEM \"http://127.0.0.1:9/x.dtd\" [\n"
             "<!ENTITY ext SYSTEM \"file://%s\">\n"
             "<!ENTITY net SYSTEM \"http://127.0.0.1:9/e.txt\">\n"
             "<!ENTITY lol \"lol\">\n"
             "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
             "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
             "]>\n"
             "<Sentences>\n"
             "<Sentence date=\"20240101\" id=\"E1\"><Text>Before &ext; &net; "
             "mid &lol3; after &amp; &#233;.</Text></Sentence>\n"
             "</Sentences>\n",
             secret);
    READ_STR(".xml", in, CASUS_FORMAT_PETRARCH_XML);
    unlink(secret);
    assert_int_equal(R.n, 1);
    assert_int_equal(R.n_errors, 0);
    expect_doc(0, "E1", "2024-01-01", 10,
               "Before   mid  after & \xC3\xA9.");
    assert_null(strstr(R.docs[0].raw, "SECRET"));
    assert_null(strstr(R.docs[0].raw, "lol"));
}

static void test_xml_empty(void **state)
{
    (void)state;
    READ_STR(".xml", "", CASUS_FORMAT_PETRARCH_XML);
    expect_n_diags(1);
    expect_diag(CASUS_WARNING, 0, "empty input");
    assert_int_equal(R.n, 0);
    assert_int_equal(R.end, CASUS_DONE);

    READ_STR(".xml", "not xml at all\n", CASUS_FORMAT_PETRARCH_XML);
    expect_n_diags(1);
    expect_diag(CASUS_ERROR, 1, "XML error: ");
    assert_int_equal(R.n, 0);
}

/* ================================================================ OOM */

/* Fails allocation 1, 2, 3, ... while reading data: each run must end
 * cleanly (CASUS_ENOMEM or every document read) and leak nothing. */
static void oom_loop(const char *suffix, const char *data, size_t n,
                     casus_format f, size_t want_docs)
{
    write_tmp(suffix, data, n);
    for (long fail = 1;; fail++) {
        test_alloc a = {fail, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx) {
            assert_int_equal(a.live, 0);
            continue;
        }
        casus_reader *r = NULL;
        casus_status st = casus_reader_open(ctx, path, f, DEFAULT_DATE, &r);
        size_t docs = 0;
        casus_doc *doc = NULL;
        if (st == CASUS_OK) {
            doc = casus_doc_new(ctx);
            if (!doc)
                st = CASUS_ENOMEM;
            while (doc && (st = casus_reader_next(r, doc)) == CASUS_OK)
                docs++;
        } else {
            assert_null(r);
        }
        if (st != CASUS_DONE && st != CASUS_ENOMEM)
            fail_msg("allocation %ld failed: status %d", fail, (int)st);
        if (st == CASUS_DONE && docs != want_docs)
            fail_msg("allocation %ld failed: %zu documents, want %zu", fail,
                     docs, want_docs);
        casus_doc_free(doc);
        casus_reader_close(r);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
        if (a.count < fail) {
            assert_int_equal(st, CASUS_DONE);
            break;
        }
    }
    unlink(path);
}

static void test_oom_jsonl(void **state)
{
    (void)state;
    const char *in = "{\"id\":\"a\",\"title\":\"t\",\"url\":\"u\",\"date\":"
                     "\"2024-01-01\",\"text\":\"x\\u00e9y\"}\n"
                     "{\"text\":5}\n"
                     "{\"date\":\"bad\",\"text\":\"no id\"}\n"
                     "broken\n"
                     "{\"text\":\"last\"}";
    oom_loop(".jsonl", in, strlen(in), CASUS_FORMAT_JSONL, 3);
}

static void test_oom_html(void **state)
{
    (void)state;
    const char *in = "<html><head><title>T</title></head><body><article>"
                     "<h1>H</h1><p>One two.</p><p>Three.</p></article>"
                     "</body></html>";
    oom_loop(".html", in, strlen(in), CASUS_FORMAT_HTML, 1);
}

static void test_oom_xml(void **state)
{
    (void)state;
    const char *in = "<Sentences>\n<Sentence date=\"20080801\" id=\"A\"><Text>"
                     "First.</Text></Sentence>\n<Sentence id=\"B\"><Text>"
                     "Second.</Text></Sentence>\n<Sentence><Text>x</Text>"
                     "</Sentence>\n</Sentences>\n";
    oom_loop(".xml", in, strlen(in), CASUS_FORMAT_PETRARCH_XML, 3);
    const char *cut = "<Sentences>\n<Sentence id=\"A\"><Text>First.</Text>"
                      "</Sentence>\n<Sentence id=\"B\"><Text>Sec";
    oom_loop(".xml", cut, strlen(cut), CASUS_FORMAT_PETRARCH_XML, 1);
}

static void test_oom_text(void **state)
{
    (void)state;
    const char *in = "Plain text.\nTwo lines.\n";
    oom_loop(".txt", in, strlen(in), CASUS_FORMAT_TEXT, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_jsonl_good, teardown),
        cmocka_unit_test_teardown(test_jsonl_missing_text, teardown),
        cmocka_unit_test_teardown(test_jsonl_wrong_types, teardown),
        cmocka_unit_test_teardown(test_jsonl_unknown_fields, teardown),
        cmocka_unit_test_teardown(test_jsonl_dates, teardown),
        cmocka_unit_test_teardown(test_jsonl_malformed, teardown),
        cmocka_unit_test_teardown(test_jsonl_too_big, teardown),
        cmocka_unit_test_teardown(test_jsonl_huge_line, teardown),
        cmocka_unit_test_teardown(test_jsonl_bad_bytes, teardown),
        cmocka_unit_test_teardown(test_jsonl_surrogates_and_dups, teardown),
        cmocka_unit_test_teardown(test_jsonl_truncated_last_line, teardown),
        cmocka_unit_test_teardown(test_jsonl_empty, teardown),
        cmocka_unit_test_teardown(test_jsonl_bom, teardown),
        cmocka_unit_test_teardown(test_jsonl_bench_news, teardown),
        cmocka_unit_test_teardown(test_html_article, teardown),
        cmocka_unit_test_teardown(test_html_main_and_body, teardown),
        cmocka_unit_test_teardown(test_html_truncated, teardown),
        cmocka_unit_test_teardown(test_html_empty_and_limits, teardown),
        cmocka_unit_test_teardown(test_html_bad_bytes_and_depth, teardown),
        cmocka_unit_test_teardown(test_xml_petrarch, teardown),
        cmocka_unit_test_teardown(test_xml_inline, teardown),
        cmocka_unit_test_teardown(test_xml_truncated, teardown),
        cmocka_unit_test_teardown(test_xml_entities, teardown),
        cmocka_unit_test_teardown(test_xml_empty, teardown),
        cmocka_unit_test(test_oom_jsonl),
        cmocka_unit_test(test_oom_html),
        cmocka_unit_test(test_oom_xml),
        cmocka_unit_test(test_oom_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
