/*
 * test_model.c - the trained-model container: round trip, and every way a
 * model file can be damaged failing with a clear message, never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "model.h"

static char path[256];

static void write_model(casus_ctx *ctx)
{
    model_writer w;
    model_writer_init(&w, "tagger", "ewt-1");
    static const uint32_t weights[5] = {1, 2, 3, 4, 5};
    assert_int_equal(model_writer_add(ctx, &w, "weights", weights, sizeof weights), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "labels", "NOUN\0VERB", 10), CASUS_OK);
    assert_int_equal(model_writer_add(ctx, &w, "labels", "x", 1), CASUS_EINVAL);
    assert_int_equal(model_writer_add(ctx, &w, "a-name-longer-than-16", "x", 1), CASUS_EINVAL);
    assert_int_equal(model_writer_add(ctx, &w, "empty", NULL, 0), CASUS_OK);
    snprintf(path, sizeof path, "/tmp/casus-model-%d.bin", (int)getpid());
    assert_int_equal(model_writer_save(ctx, &w, path), CASUS_OK);
    model_writer_free(ctx, &w);
}

static long file_size(void)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void poke(long off, unsigned char v)
{
    FILE *f = fopen(path, "r+b");
    fseek(f, off, SEEK_SET);
    fputc(v, f);
    fclose(f);
}

static void test_round_trip(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    write_model(ctx);
    model_file m;
    assert_int_equal(model_open(ctx, path, "tagger", &m), CASUS_OK);
    assert_string_equal(m.kind, "tagger");
    assert_string_equal(m.version, "ewt-1");
    assert_int_equal(m.n_sections, 3);
    const model_section *s;
    assert_int_equal(model_need(ctx, &m, path, "weights", 4, &s), CASUS_OK);
    assert_int_equal(s->size, 20);
    assert_int_equal(((const uint32_t *)(const void *)s->data)[4], 5);
    assert_int_equal((uintptr_t)s->data % 8, 0);
    assert_memory_equal(model_find(&m, "labels")->data, "NOUN\0VERB", 10);
    assert_int_equal(model_find(&m, "empty")->size, 0);
    assert_null(model_find(&m, "nothing"));
    assert_int_equal(model_need(ctx, &m, path, "nothing", 1, &s), CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "lacks section 'nothing'"));
    assert_int_equal(model_need(ctx, &m, path, "labels", 4, &s), CASUS_EFORMAT);
    model_close(ctx, &m);
    assert_int_equal(model_open(ctx, path, "parser", &m), CASUS_EFORMAT);
    assert_non_null(strstr(casus_ctx_message(ctx), "expected 'parser'"));
    unlink(path);
    casus_ctx_free(ctx);
}

/* model_make_hot: the same bytes at new addresses, the file unmapped,
 * 8-byte alignment kept, a second call a no-op, no leak on close. */
static void test_make_hot(void **state)
{
    (void)state;
    test_alloc a = {0, 0, 0};
    casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
    write_model(ctx);
    model_file m;
    assert_int_equal(model_open(ctx, path, "tagger", &m), CASUS_OK);
    const unsigned char *mapped = model_find(&m, "weights")->data;
    assert_non_null(m.map);
    assert_int_equal(model_make_hot(ctx, &m), CASUS_OK);
    assert_null(m.map);
    assert_non_null(m.hot);
    const model_section *s = model_find(&m, "weights");
    assert_true(s->data != mapped);
    assert_int_equal(s->size, 20);
    assert_int_equal((uintptr_t)s->data % 8, 0);
    assert_int_equal(((const uint32_t *)(const void *)s->data)[4], 5);
    assert_memory_equal(model_find(&m, "labels")->data, "NOUN\0VERB", 10);
    assert_int_equal(model_find(&m, "empty")->size, 0);
    const unsigned char *hot = s->data;
    assert_int_equal(model_make_hot(ctx, &m), CASUS_OK);
    assert_ptr_equal(model_find(&m, "weights")->data, hot);
    model_close(ctx, &m);
    assert_null(m.hot);
    unlink(path);
    casus_ctx_free(ctx);
    assert_int_equal(a.live, 0);
}

static void expect_fail(casus_ctx *ctx, casus_status want, const char *msg)
{
    model_file m;
    assert_int_equal(model_open(ctx, path, NULL, &m), want);
    if (!strstr(casus_ctx_message(ctx), msg))
        fail_msg("message '%s' lacks '%s'", casus_ctx_message(ctx), msg);
    assert_non_null(strstr(casus_ctx_message(ctx), path));
    assert_null(m.map);
}

static void test_damaged(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    snprintf(path, sizeof path, "/tmp/casus-model-missing-%d", (int)getpid());
    expect_fail(ctx, CASUS_EIO, "cannot open model");

    write_model(ctx);
    poke(0, 'X');
    expect_fail(ctx, CASUS_EFORMAT, "bad magic");

    write_model(ctx);
    poke(8, 9);
    expect_fail(ctx, CASUS_EFORMAT, "version 9 is not supported");

    write_model(ctx);
    long n = file_size();
    assert_int_equal(truncate(path, n - 3), 0);
    expect_fail(ctx, CASUS_EFORMAT, "truncated");

    write_model(ctx);
    assert_int_equal(truncate(path, 10), 0);
    expect_fail(ctx, CASUS_EFORMAT, "too short");

    write_model(ctx);
    poke(n - 2, 0x55);
    expect_fail(ctx, CASUS_EFORMAT, "checksum mismatch");

    write_model(ctx);
    poke(12, 0xFF);   /* section count */
    expect_fail(ctx, CASUS_EFORMAT, "corrupted model");

    unlink(path);
    casus_ctx_free(ctx);
}

static void test_oom(void **state)
{
    (void)state;
    int done = 0;
    for (long k = 1; k < 200 && !done; k++) {
        test_alloc a = {k, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        if (!ctx)
            continue;
        model_writer w;
        model_writer_init(&w, "parser", "1");
        snprintf(path, sizeof path, "/tmp/casus-model-oom-%d.bin", (int)getpid());
        casus_status st = model_writer_add(ctx, &w, "a", "abc", 3);
        if (st == CASUS_OK)
            st = model_writer_save(ctx, &w, path);
        model_writer_free(ctx, &w);
        if (st == CASUS_OK) {
            model_file m;
            st = model_open(ctx, path, "parser", &m);
            if (st == CASUS_OK) {
                st = model_make_hot(ctx, &m);
                if (st == CASUS_OK)
                    done = 1;
                model_close(ctx, &m);
            }
        }
        if (!done)
            assert_int_equal(st, CASUS_ENOMEM);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
    }
    assert_true(done);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_make_hot),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
