/*
 * test_respond.c - the response stage: state codes, text links, proximity
 * links, what is not a response (a strike before the attack, a state whose
 * territory was not attacked, an armed group's attack, a strike at someone
 * other than the attacker with only time and place in common, a person
 * coded with a country's code), the repetition
 * split of the incident stage ("and again in October 2018"), the store
 * pair, and the mission's article when ../shared is present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "doc.h"
#include "incident.h"
#include "respond.h"
#include "util/buf.h"

static void test_codes(void **state)
{
    (void)state;
    assert_true(respond_is_state("IRN"));
    assert_true(respond_is_state("IRNMIL"));
    assert_true(respond_is_state("IRNMILIRG"));
    assert_true(respond_is_state("PAKGOV"));
    assert_false(respond_is_state("IMGMUSISI"));
    assert_false(respond_is_state("IRNINSJAA"));   /* Jaish al-Adl */
    assert_false(respond_is_state("IRNMED"));
    assert_false(respond_is_state("MIL"));
    assert_false(respond_is_state("INS"));
    assert_false(respond_is_state(""));
    assert_false(respond_is_state("IR"));
    assert_true(respond_is_coercive("195"));
    assert_true(respond_is_coercive("1723"));
    assert_true(respond_is_coercive("20"));
    assert_false(respond_is_coercive("112"));
    assert_false(respond_is_coercive("015"));
    assert_false(respond_is_coercive(""));
}

typedef struct run {
    casus_ctx *ctx;
    casus_models *m;
    casus_dicts *d;
    casus_coder *coder;
    casus_incidents *s;
    casus_responses *r;
    casus_doc *doc;
    size_t first, n;   /* the links of the last document */
} run;

static int run_open(run *r)
{
    memset(r, 0, sizeof *r);
    r->ctx = casus_ctx_new();
    assert_non_null(r->ctx);
    if (casus_models_load(r->ctx, "data/models", &r->m) != CASUS_OK)
        return 0;
    assert_int_equal(casus_dicts_load(r->ctx, "data/dictionaries", &r->d), CASUS_OK);
    assert_int_equal(casus_coder_new(r->ctx, r->d, 0, &r->coder), CASUS_OK);
    assert_int_equal(casus_incidents_new(r->ctx, r->d, NULL, &r->s), CASUS_OK);
    if (!casus_incidents_have_places(r->s))
        return 0;   /* the links need places */
    assert_int_equal(casus_responses_new(r->ctx, &r->r), CASUS_OK);
    r->doc = casus_doc_new(r->ctx);
    assert_non_null(r->doc);
    return 1;
}

static void run_close(run *r)
{
    casus_doc_free(r->doc);
    casus_responses_free(r->r);
    casus_incidents_free(r->s);
    casus_coder_free(r->coder);
    casus_dicts_free(r->d);
    casus_models_free(r->m);
    casus_ctx_free(r->ctx);
}

/* Codes one document; returns its events' count. */
static size_t add_text(run *r, const char *id, const char *date, const char *text)
{
    doc_reset(r->doc);
    assert_int_equal(buf_append(r->ctx, &r->doc->raw, text, strlen(text)), CASUS_OK);
    assert_int_equal(buf_puts(r->ctx, &r->doc->id, id), CASUS_OK);
    assert_int_equal(casus_date_parse(date, strlen(date), &r->doc->date), CASUS_OK);
    assert_int_equal(casus_doc_analyze(r->doc), CASUS_OK);
    assert_int_equal(casus_doc_parse(r->doc, r->m), CASUS_OK);
    const casus_event *ev;
    size_t nev;
    assert_int_equal(casus_coder_run(r->coder, r->doc, &ev, &nev), CASUS_OK);
    assert_int_equal(casus_incidents_add(r->s, r->doc), CASUS_OK);
    assert_int_equal(casus_responses_add(r->r, r->s, r->doc, ev, nev, &r->first), CASUS_OK);
    r->n = casus_responses_count(r->r) - r->first;
    return nev;
}

static const casus_incident *by_id(const run *r, const char *id)
{
    for (size_t i = 0; i < casus_incidents_count(r->s); i++)
        if (!strcmp(casus_incidents_get(r->s, i)->id, id))
            return casus_incidents_get(r->s, i);
    return NULL;
}

static void test_retaliation(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-01-20",
             "On January 3, Islamic State militants attacked a memorial in Kerman, Iran, "
             "killing 90 people. On January 16, Iran launched missile strikes on Jaish "
             "al-Adl bases in Pakistan in retaliation for the Kerman attack.");
    assert_int_equal(r.n, 1);
    const casus_response *l = casus_responses_get(r.r, r.first);
    const casus_incident *t = by_id(&r, l->trigger), *p = by_id(&r, l->response);
    assert_non_null(t);
    assert_non_null(p);
    assert_string_equal(t->location_name, "Kerman");
    assert_string_equal(p->location_country, "PAK");
    assert_string_equal(l->responder, "IRN");
    assert_string_equal(l->basis, "text:in retaliation for");
    assert_true(l->has_lag);
    assert_int_equal(l->lag_days, 13);
    assert_int_equal(l->sentence_index, 1);
    /* both sides have an event of the document: the store keeps the pair */
    assert_true(l->trigger_event >= 0);
    assert_true(l->response_event >= 0);
    run_close(&r);
}

static void test_weeks_after(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-01-25",
             "On January 3, Islamic State militants attacked a memorial in Kerman, Iran, "
             "killing 90 people. Two weeks after the Kerman attack, Iran launched missile "
             "strikes into Pakistan's Baluchistan province.");
    assert_int_equal(r.n, 1);
    const casus_response *l = casus_responses_get(r.r, r.first);
    assert_string_equal(l->basis, "text:two weeks after");
    assert_string_equal(by_id(&r, l->trigger)->location_name, "Kerman");
    assert_string_equal(by_id(&r, l->response)->location_country, "PAK");
    run_close(&r);
}

/* "A, and again in October 2018 after B": two responses, two triggers */
static void test_again(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-01-25",
             "In June 2017, Islamic State gunmen attacked the parliament in Tehran, killing 17 "
             "people. In September 2018, gunmen attacked a military parade in Ahvaz, killing 25 "
             "people. Iran's Revolutionary Guards retaliated with missiles against Islamic State "
             "targets in Syria following the 2017 parliament attack, and again in October 2018 "
             "after the Ahvaz parade attack.");
    assert_int_equal(r.n, 2);
    int tehran = 0, ahvaz = 0;
    for (size_t i = 0; i < r.n; i++) {
        const casus_response *l = casus_responses_get(r.r, r.first + i);
        const casus_incident *t = by_id(&r, l->trigger), *p = by_id(&r, l->response);
        assert_string_equal(p->location_country, "SYR");
        if (!strcmp(t->location_name, "Tehran")) {
            tehran = 1;
            assert_string_equal(l->basis, "text:following");
            /* the 2017 strikes: the year of the attack they followed */
            assert_int_equal(p->date_start.year, 2017);
            assert_string_equal(p->date_precision, "year");
            assert_false(l->has_lag);
        } else if (!strcmp(t->location_name, "Ahvaz")) {
            ahvaz = 1;
            assert_string_equal(l->basis, "text:after");
            assert_int_equal(p->date_start.year, 2018);
            assert_int_equal(p->date_start.month, 10);
            assert_true(l->has_lag);
            assert_int_equal(l->lag_days, 30);
        }
    }
    assert_true(tehran && ahvaz);
    run_close(&r);
}

/* a coercive action that is no attack: the event is the response */
static void test_event_response(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    size_t nev = add_text(&r, "x", "2024-03-20",
                          "On March 1, Jaish al-Adl militants attacked a police station in "
                          "Zahedan, Iran, killing 11 policemen. In response to the Zahedan "
                          "attack, Iranian police arrested 20 Jaish al-Adl members on March 4.");
    assert_int_equal(r.n, 1);
    const casus_response *l = casus_responses_get(r.r, r.first);
    assert_string_equal(by_id(&r, l->trigger)->location_name, "Zahedan");
    char want[32];
    snprintf(want, sizeof want, "x/e%ld", l->response_event + 1);
    assert_string_equal(l->response, want);
    assert_true(l->response_event >= 0 && (size_t)l->response_event < nev);
    assert_string_equal(l->responder, "IRNCOP");
    assert_string_equal(l->basis, "text:in response to");
    assert_false(l->has_lag);   /* an event's date is no evidence of a lag */
    assert_true(l->trigger_event >= 0);
    run_close(&r);
}

static void test_proximity(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-03-20",
             "On March 1, Islamic State militants attacked a police station in Zahedan, Iran, "
             "killing 11 policemen. On March 6, Iranian forces launched missile strikes on "
             "Islamic State positions in Syria.");
    assert_int_equal(r.n, 1);
    const casus_response *l = casus_responses_get(r.r, r.first);
    assert_string_equal(by_id(&r, l->trigger)->location_name, "Zahedan");
    assert_string_equal(l->basis, "actor+place+time");
    assert_int_equal(l->lag_days, 5);
    /* an Iranian armed group (IRNINSJAA) is Iranian but not the state: its
     * attack is a trigger of Iran's response */
    add_text(&r, "jaa", "2024-04-20",
             "On April 1, Jaish al-Adl militants attacked a police station in Zahedan, Iran, "
             "killing 11 policemen. On April 6, Iranian forces launched missile strikes on "
             "Jaish al-Adl bases in Pakistan.");
    assert_int_equal(r.n, 1);
    l = casus_responses_get(r.r, r.first);
    assert_string_equal(l->basis, "actor+place+time");
    assert_string_equal(by_id(&r, l->trigger)->location_name, "Zahedan");
    assert_int_equal(l->lag_days, 5);
    /* in another document, weeks later and at another group: nothing */
    add_text(&r, "b", "2024-05-20",
             "On May 10, Iranian forces launched missile strikes on Kurdish militants in "
             "Iraq.");
    assert_int_equal(r.n, 0);
    run_close(&r);
}

/* The incidents' document masks (incident.h) that let the links skip the
 * incidents of other documents: one bit per id, every listed id's bit set,
 * a merged record holding the bits of both reports. */
static void test_doc_mask(void **state)
{
    (void)state;
    uint64_t a = incident_doc_bit("a"), b = incident_doc_bit("satp_relevant-train-51");
    assert_true(a && !(a & (a - 1)));
    assert_true(b && !(b & (b - 1)));
    assert_int_equal(incident_doc_bit("a"), a);
    assert_int_equal(incident_doc_mask(NULL, 0), 0);
    run r;
    OPEN_OR_SKIP(&r);
    static const char text[] =
        "On March 1, Islamic State militants attacked a police station in Zahedan, Iran, "
        "killing 11 policemen.";
    add_text(&r, "a", "2024-03-02", text);
    assert_int_equal(casus_incidents_count(r.s), 1);
    assert_int_equal(incident_doc_mask(r.s, 0), a);
    assert_int_equal(incident_doc_mask(r.s, 1), 0);   /* out of range */
    add_text(&r, "satp_relevant-train-51", "2024-03-02", text);
    assert_int_equal(casus_incidents_count(r.s), 1);   /* merged */
    const casus_incident *p = casus_incidents_get(r.s, 0);
    assert_int_equal(p->n_doc_ids, 2);
    assert_int_equal(incident_doc_mask(r.s, 0), a | b);
    for (size_t i = 0; i < p->n_doc_ids; i++)
        assert_true(incident_doc_mask(r.s, 0) & incident_doc_bit(p->doc_ids[i]));
    casus_incidents_clear(r.s);
    assert_int_equal(incident_doc_mask(r.s, 0), 0);
    run_close(&r);
}

static void test_not_responses(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    /* a strike before the attack */
    add_text(&r, "before", "2024-03-20",
             "On March 1, Iran launched missile strikes on militants in Pakistan. On March 10, "
             "gunmen attacked a police station in Zahedan, Iran, killing 11 policemen.");
    assert_int_equal(r.n, 0);
    /* a state whose territory was not attacked */
    add_text(&r, "unrelated", "2024-04-20",
             "On April 1, gunmen attacked a police station in Zahedan, Iran, killing 11 "
             "policemen. On April 5, Turkey launched air strikes on Kurdish militants in "
             "northern Iraq.");
    assert_int_equal(r.n, 0);
    /* an armed group, even "in retaliation" */
    add_text(&r, "group", "2024-05-20",
             "On May 1, gunmen attacked a police station in Zahedan, Iran, killing 11 "
             "policemen. On May 5, Jaish al-Adl militants attacked a border post in Saravan, "
             "Iran, in retaliation for the arrest of their members.");
    assert_int_equal(r.n, 0);
    /* time and place without the actor: Iran strikes someone else */
    add_text(&r, "other", "2024-03-20",
             "On March 1, Islamic State militants attacked a police station in Zahedan, Iran, "
             "killing 11 policemen. On March 6, Iranian forces launched missile strikes on "
             "Kurdish militants in Iraq.");
    assert_int_equal(r.n, 0);
    /* a person coded with a country's code is not the state */
    add_text(&r, "person", "2024-06-01",
             "On May 1, Israeli troops raided a village near Hebron, killing two Palestinians. "
             "On May 3, a 22-year-old Palestinian man stabbed an Israeli soldier in Hebron in "
             "retaliation for the Hebron raid.");
    assert_int_equal(r.n, 0);
    /* "after" without an attack is no connective */
    add_text(&r, "talks", "2024-06-20",
             "On June 1, gunmen attacked a police station in Zahedan, Iran, killing 11 "
             "policemen. After talks in Geneva on June 30, Iran launched missile strikes on "
             "militants in Pakistan.");
    assert_int_equal(r.n, 0);
    run_close(&r);
}

typedef struct outbuf {
    char p[4096];
    size_t n;
} outbuf;

static int sink_text(void *ud, const char *p, size_t n)
{
    outbuf *t = ud;
    if (t->n + n >= sizeof t->p)
        return -1;
    memcpy(t->p + t->n, p, n);
    t->n += n;
    t->p[t->n] = '\0';
    return 0;
}

static void test_write(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "w\"1", "2024-01-20",
             "On January 3, Islamic State militants attacked a memorial in Kerman, Iran, "
             "killing 90 people. On January 16, Iran launched missile strikes on Jaish "
             "al-Adl bases in Pakistan in retaliation for the Kerman attack.");
    static outbuf t;
    casus_sink out = {sink_text, &t};
    assert_int_equal(casus_responses_write(r.r, &out), CASUS_OK);
    assert_non_null(strstr(t.p, "{\"type\":\"response\",\"trigger\":\"w\\\"1#1\","
                                         "\"response\":\"w\\\"1#2\",\"responder\":\"IRN\","
                                         "\"lag_days\":13,\"basis\":\"text:in retaliation "
                                         "for\",\"doc_id\":\"w\\\"1\",\"sentence_index\":1}\n"));
    /* a failing sink is an I/O error */
    t.n = sizeof t.p;
    assert_int_equal(casus_responses_write(r.r, &out), CASUS_EIO);
    run_close(&r);
}

static void test_article(void **state)
{
    (void)state;
    const char *path = test_shared("../seed/article.txt");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        skip();
    static char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "article.txt", "2024-01-25", text);
    int kerman = 0, ahvaz = 0, tehran = 0;
    for (size_t i = 0; i < r.n; i++) {
        const casus_response *l = casus_responses_get(r.r, r.first + i);
        const casus_incident *t = by_id(&r, l->trigger), *p = by_id(&r, l->response);
        assert_non_null(t);
        assert_non_null(p);
        if (!strcmp(t->location_name, "Kerman") && !strcmp(p->location_country, "PAK"))
            kerman = 1;
        if (!strcmp(t->location_name, "Ahvaz") && !strcmp(p->location_country, "SYR") &&
            p->date_start.year == 2018 && p->date_start.month == 10)
            ahvaz = 1;
        if (t->date_start.year == 2017 && t->date_start.month == 6 &&
            !strcmp(t->location_name, "Tehran") && !strcmp(p->location_country, "SYR") &&
            p->date_start.year == 2017 && !strcmp(p->date_precision, "year"))
            tehran = 1;
    }
    assert_true(kerman);
    assert_true(ahvaz);
    assert_true(tehran);
    assert_int_equal(r.n, 3);
    run_close(&r);
}

/* Out of memory at every allocation of the stage: a clean error, no leak. */
static void test_oom(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-01-20",
             "On January 3, Islamic State militants attacked a memorial in Kerman, Iran, "
             "killing 90 people. On January 16, Iran launched missile strikes on Jaish "
             "al-Adl bases in Pakistan in retaliation for the Kerman attack.");
    const casus_event *ev;
    size_t nev;
    assert_int_equal(casus_coder_run(r.coder, r.doc, &ev, &nev), CASUS_OK);
    for (long k = 1; k < 20; k++) {
        test_alloc ta = {k, 0, 0};
        casus_ctx *c2 = casus_ctx_new_with_alloc(test_alloc_fn, &ta);
        if (!c2)
            continue;
        casus_responses *x = NULL;
        casus_status st = casus_responses_new(c2, &x);
        if (st == CASUS_OK)
            st = casus_responses_add(x, r.s, r.doc, ev, nev, NULL);
        assert_true(st == CASUS_OK || st == CASUS_ENOMEM);
        casus_responses_free(x);
        casus_ctx_free(c2);
        assert_int_equal(ta.live, 0);
        if (st == CASUS_OK && ta.count < k)
            break;
    }
    run_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),       cmocka_unit_test(test_retaliation),
        cmocka_unit_test(test_weeks_after), cmocka_unit_test(test_again),
        cmocka_unit_test(test_proximity),   cmocka_unit_test(test_not_responses),
        cmocka_unit_test(test_event_response), cmocka_unit_test(test_doc_mask),
        cmocka_unit_test(test_write),       cmocka_unit_test(test_article),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
