/*
 * test_incident.c - the incident stage: counts as ranges (number.c),
 * perpetrator statuses, methods, targets, merging within and across
 * documents, bad input, and the mission's article when ../shared is present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "doc.h"
#include "incident.h"
#include "number.h"
#include "util/buf.h"
#include "util/date.h"

/* ---------------------------------------------------------------- numbers */

static num_range num(const char *text, size_t *used)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_doc *doc = casus_doc_new(ctx);
    assert_int_equal(buf_append(ctx, &doc->raw, text, strlen(text)), CASUS_OK);
    assert_int_equal(casus_doc_analyze(doc), CASUS_OK);
    size_t n;
    const casus_token *w = casus_doc_tokens(doc, &n);
    num_range r;
    *used = number_at(w, n, 0, &r);
    casus_doc_free(doc);
    casus_ctx_free(ctx);
    return r;
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t min, max;
        size_t used;
    } cases[] = {
        {"17 locals", 17, 17, 1},
        {"1,200 people", 1200, 1200, 1},
        {"seventeen people", 17, 17, 1},
        {"ninety-one dead", 91, 91, 3},
        {"two hundred people", 200, 200, 2},
        {"a dozen soldiers", 12, 12, 2},
        {"half a dozen", 6, 6, 3},
        {"dozens of people", 24, 99, 1},
        {"hundreds more injured", 200, 999, 1},
        {"thousands fled", 2000, 9999, 1},
        {"at least 84 people", 84, NUM_OPEN, 3},
        {"over 90 people", 91, NUM_OPEN, 2},
        {"more than 90 people", 91, NUM_OPEN, 3},
        {"up to 10 people", NUM_NONE, 10, 3},
        {"fewer than 10 people", NUM_NONE, 9, 3},
        {"nearly 100 people", 90, 99, 2},
        {"about 50 people", 50, 50, 2},
        {"no one was hurt", 0, 0, 2},
        {"several people", 3, 7, 1},
        {"six to nine personnel", 6, 9, 3},
        {"two or three soldiers", 2, 3, 3},
        {"between 200 and 500 cadets", 200, 500, 4},
        {"10 or 5", 10, 10, 1},   /* not a range: the second is smaller */
        {"another 20 people", 20, 20, 2},
        {"another one was hurt", 1, 1, 2},
        {"another was injured", 1, 1, 1},
        /* every first word and length of the quick test in number_at */
        {"Seventeen people", 17, 17, 1},
        {"NINETEEN people", 19, 19, 1},
        {"Approximately 30 people", 30, 30, 2},
        {"An estimated 40 people", 40, 40, 3},
        {"Tens of thousands fled", 20000, 99999, 3},
        {"Scores of people", 40, 99, 1},
        {"Upwards of 50 people", 51, NUM_OPEN, 3},
        {"Seventy-seven people", 77, 77, 3},
        {"Nobody was hurt", 0, 0, 1},
        {"A hundred people", 100, 100, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t used;
        num_range r = num(cases[i].text, &used);
        if (r.min != cases[i].min || r.max != cases[i].max || used != cases[i].used)
            fail_msg("'%s': got [%lld, %lld] over %zu words", cases[i].text, (long long)r.min,
                     (long long)r.max, used);
    }
    size_t used;
    num_range r = num("99999999999999999999 people", &used);
    assert_true(r.flags & NUM_OVERFLOW);
    assert_int_equal(r.min, NUM_NONE);
    r = num("the attack", &used);
    assert_int_equal(used, 0);
    r = num("3.5 percent", &used);
    assert_int_equal(used, 0);
    r = num("between the two", &used);
    assert_int_equal(used, 0);
    assert_int_equal(number_word("1,20", 4), -1);
    assert_int_equal(number_word("twenty-five", 11), 25);
}

static void test_words(void **state)
{
    (void)state;
    assert_string_equal(incident_method_word("stab"), "primitive");
    assert_string_equal(incident_method_word("drone"), "drone");
    assert_string_equal(incident_method_word("missile"), "heavy-weapons");
    assert_string_equal(incident_method_word("suicide"), "suicide-attack");
    assert_null(incident_method_word("meeting"));
    assert_string_equal(incident_target_type("worshipper"), "civilians");
    assert_string_equal(incident_target_type("soldier"), "military");
    assert_string_equal(incident_target_type("shrine"), "religious site");
    assert_string_equal(incident_target_type("police"), "police");
    assert_true(incident_methods_compatible("explosives", "suicide-attack"));
    assert_true(incident_methods_compatible("", "firearms"));
    assert_false(incident_methods_compatible("explosives", "firearms"));
    assert_string_equal(casus_perp_status_name(CASUS_PERP_BLAMED), "blamed");
}

/* ---------------------------------------------------------------- the stage */

typedef struct run {
    casus_ctx *ctx;
    casus_models *m;
    casus_dicts *d;
    casus_incidents *s;
    casus_doc *doc;
    test_diags diags;
} run;

static int run_open(run *r)
{
    memset(r, 0, sizeof *r);
    r->ctx = casus_ctx_new();
    assert_non_null(r->ctx);
    casus_ctx_set_diag(r->ctx, test_diag_fn, &r->diags);
    if (casus_models_load(r->ctx, "data/models", &r->m) != CASUS_OK)
        return 0;
    assert_int_equal(casus_dicts_load(r->ctx, "data/dictionaries", &r->d), CASUS_OK);
    assert_int_equal(casus_incidents_new(r->ctx, r->d, NULL, &r->s), CASUS_OK);
    r->doc = casus_doc_new(r->ctx);
    assert_non_null(r->doc);
    return 1;
}

static void run_close(run *r)
{
    casus_doc_free(r->doc);
    casus_incidents_free(r->s);
    casus_dicts_free(r->d);
    casus_models_free(r->m);
    casus_ctx_free(r->ctx);
}

static void add_text(run *r, const char *id, const char *date, const char *text)
{
    doc_reset(r->doc);
    assert_int_equal(buf_append(r->ctx, &r->doc->raw, text, strlen(text)), CASUS_OK);
    assert_int_equal(buf_puts(r->ctx, &r->doc->id, id), CASUS_OK);
    if (date)
        assert_int_equal(casus_date_parse(date, strlen(date), &r->doc->date), CASUS_OK);
    assert_int_equal(casus_doc_analyze(r->doc), CASUS_OK);
    assert_int_equal(casus_doc_parse(r->doc, r->m), CASUS_OK);
    assert_int_equal(casus_incidents_add(r->s, r->doc), CASUS_OK);
}

static const casus_incident *find_place(const run *r, const char *name)
{
    for (size_t i = 0; i < casus_incidents_count(r->s); i++) {
        const casus_incident *p = casus_incidents_get(r->s, i);
        if (p->has_location && !strcmp(p->location_name, name))
            return p;
    }
    return NULL;
}

/* The set's last record: the one the last document added. */
static const casus_incident *last(const run *r)
{
    size_t n = casus_incidents_count(r->s);
    assert_true(n > 0);
    return casus_incidents_get(r->s, n - 1);
}

/* Adds a document that must make exactly one more record; returns it. */
static const casus_incident *add_one(run *r, const char *id, const char *date,
                                     const char *text)
{
    size_t before = casus_incidents_count(r->s);
    add_text(r, id, date, text);
    if (casus_incidents_count(r->s) != before + 1)
        fail_msg("'%s': %zu records, not one", text, casus_incidents_count(r->s) - before);
    return last(r);
}

/* Adds a document that must make no record. */
static void add_none(run *r, const char *id, const char *date, const char *text)
{
    size_t before = casus_incidents_count(r->s);
    add_text(r, id, date, text);
    if (casus_incidents_count(r->s) != before)
        fail_msg("'%s': %zu records, not none", text, casus_incidents_count(r->s) - before);
}

static const casus_incident_party *perp(const casus_incident *p, const char *code)
{
    for (size_t i = 0; i < p->n_perpetrators; i++)
        if (!strcmp(p->perpetrators[i].code, code))
            return &p->perpetrators[i];
    return NULL;
}

static void test_statuses(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "a", "2024-01-05",
             "Twin suicide bombings killed at least 84 people in Kerman on January 3. "
             "Islamic State claimed responsibility for the attack. "
             "Iranian officials blamed Israel for the bombings.");
    assert_int_equal(casus_incidents_count(r.s), 1);
    const casus_incident *p = casus_incidents_get(r.s, 0);
    assert_string_equal(p->method, "suicide-attack");
    assert_int_equal(p->killed.min, 84);
    assert_int_equal(p->killed.max, CASUS_COUNT_OPEN);
    char d[11];
    casus_date_format(p->date_start, d);
    assert_string_equal(d, "2024-01-03");
    const casus_incident_party *is = perp(p, "IMGMUSISI");
    assert_non_null(is);
    assert_int_equal(is->status, CASUS_PERP_CLAIMED);
    const casus_incident_party *isr = perp(p, "ISR");
    assert_non_null(isr);
    assert_int_equal(isr->status, CASUS_PERP_BLAMED);
    assert_non_null(strstr(isr->blamed_by, "officials"));
    assert_int_equal(p->n_evidence, 3);
    assert_true(p->injured.min < 0 && p->injured.max < 0);   /* not stated: null */
    if (casus_incidents_have_places(r.s)) {
        assert_true(p->has_location);
        assert_string_equal(p->location_country, "IRN");
    }
    run_close(&r);
}

static void test_methods_and_targets(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "m1", "2022-04-06",
             "A man stabbed two clerics at a shrine in Mashhad on April 5, killing one.");
    add_text(&r, "m2", "2020-05-01", "Gunmen opened fire on soldiers at a checkpoint, killing 3.");
    add_text(&r, "m3", "2020-05-01", "A drone strike hit a convoy.");
    assert_int_equal(casus_incidents_count(r.s), 3);
    const casus_incident *a = casus_incidents_get(r.s, 0);
    assert_string_equal(a->method, "primitive");
    assert_int_equal(a->killed.min, 1);
    const casus_incident *b = casus_incidents_get(r.s, 1);
    assert_string_equal(b->method, "firearms");
    assert_int_equal(b->killed.min, 3);
    int military = 0;
    for (size_t i = 0; i < b->n_targets; i++)
        military |= !strcmp(b->targets[i].type, "military");
    assert_true(military);
    assert_string_equal(casus_incidents_get(r.s, 2)->method, "drone");
    /* the group's name parsed as a second object of "target" is still the
     * target's name, and its code is the target's code */
    add_text(&r, "m4", "2024-01-20",
             "On January 16, Iran launched missile strikes into Pakistan's Baluchistan province, "
             "claiming to target anti-Iran Sunni insurgent group Jaish al-Adl.");
    const casus_incident *d = last(&r);
    int jaa = 0;
    for (size_t i = 0; i < d->n_targets; i++)
        jaa |= !strcmp(d->targets[i].code, "IRNINSJAA") && strstr(d->targets[i].name, "Jaish");
    assert_true(jaa);
    run_close(&r);
}

/* The targets of what the struck state does or may do later are not the
 * attack's: a modal or refrained "targeting X", and "it (Tehran) has
 * targeted X" after an attack in Iran by others. */
static void test_response_targets(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "k", "2024-01-25",
             "On January 3, Islamic State suicide bombers attacked a gathering in Kerman, "
             "killing 91 people. The attack in Kerman may force Vahidi to make concrete "
             "efforts towards cooperation with the Taliban regime, especially in jointly "
             "targeting the ISKP. Even with ISKP claiming responsibility for the Kerman "
             "attacks, Tehran has refrained from targeting ISKP strongholds in Afghanistan. "
             "Instead, it has targeted Iranian Baluchi militant group Jaish Ul-Adl in "
             "Pakistan, alleging its role in the Kerman attack.");
    const casus_incident *k = find_place(&r, "Kerman");
    assert_non_null(k);
    assert_true(k->n_targets > 0);
    for (size_t i = 0; i < k->n_targets; i++) {
        assert_true(strcmp(k->targets[i].code, "IMGMUSISK") != 0);
        assert_null(strstr(k->targets[i].name, "Baluchi"));
    }
    for (size_t i = 0; i < k->n_perpetrators; i++)
        assert_true(strncmp(k->perpetrators[i].code, "IRN", 3) != 0);
    /* nor is Tehran's answer a second attack at Kerman, the place it names
     * only as the attack it answers */
    size_t at_kerman = 0;
    for (size_t i = 0; i < casus_incidents_count(r.s); i++) {
        const casus_incident *p = casus_incidents_get(r.s, i);
        at_kerman += p->has_location && !strcmp(p->location_name, "Kerman");
    }
    assert_int_equal(at_kerman, 1);
    run_close(&r);
}

static void test_merging(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    if (!casus_incidents_have_places(r.s)) {
        run_close(&r);
        skip();   /* the cross-document rule needs places */
    }
    /* three reports of one bombing, counts rising: the later report wins */
    add_text(&r, "d1", "2024-01-03",
             "A bomb blast killed at least 84 people in Kerman on January 3.");
    add_text(&r, "d2", "2024-01-04",
             "The death toll of the bombing in Kerman on January 3 rose to over 90. "
             "The blasts also injured 284 people.");
    /* a shooting the same day in the same city stays apart */
    add_text(&r, "d3", "2024-01-04", "Gunmen shot dead two policemen in Kerman on January 3.");
    assert_int_equal(casus_incidents_count(r.s), 2);
    const casus_incident *p = casus_incidents_get(r.s, 0);
    assert_int_equal(p->n_doc_ids, 2);
    assert_int_equal(p->killed.min, 91);
    assert_int_equal(p->injured.min, 284);
    assert_int_equal(p->n_evidence, 3);
    const casus_incident *q = casus_incidents_get(r.s, 1);
    assert_string_equal(q->method, "firearms");
    assert_int_equal(q->n_doc_ids, 1);
    run_close(&r);
}

/* Cross-run merging: a stored incident handed in by the seeder (as
 * casus_store_seed_incidents does) is joined by a later run's report of
 * the same attack, keeps its id, and is not written while none joins it. */
typedef struct seed_state {
    casus_incident inc;
    const char *ids[1];
    casus_incident_evidence ev[1];
    size_t calls;
} seed_state;

static casus_status test_seeder(void *ud, casus_incidents *s, const char *doc_id,
                                const incident_key *keys, size_t n)
{
    seed_state *st = ud;
    (void)doc_id;
    assert_true(n >= 1);
    assert_string_equal(keys[0].country, "IRN");
    st->calls++;
    long pub = date_days(st->inc.date_start);
    return incident_seed(s, &st->inc, &pub, 1);
}

static int sink_count(void *ud, const char *p, size_t n)
{
    (void)p;
    (void)n;
    (*(size_t *)ud)++;
    return 0;
}

static void test_cross_run(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    if (!casus_incidents_have_places(r.s)) {
        run_close(&r);
        skip();   /* the cross-document rule needs places */
    }
    /* the first run: one report, stored (here: copied) */
    add_text(&r, "d1", "2024-01-03",
             "A bomb blast killed at least 84 people in Kerman on January 3.");
    assert_int_equal(casus_incidents_count(r.s), 1);
    seed_state st;
    memset(&st, 0, sizeof st);
    st.inc = *casus_incidents_get(r.s, 0);
    st.ids[0] = "d1";
    st.ev[0] = st.inc.evidence[0];
    st.inc.doc_ids = st.ids;
    st.inc.n_doc_ids = 1;
    st.inc.evidence = st.ev;
    st.inc.n_evidence = 1;
    uint64_t own;
    const casus_incident_evidence *ev;
    const casus_incident *view;
    size_t n_ev;
    assert_int_equal(incident_own_digest(r.s, 0, &own, &ev, &n_ev, &view), 1);
    uint64_t own_d1 = own;
    /* the next run: a later report joins the stored incident */
    casus_incidents_clear(r.s);
    incident_set_seeder(r.s, test_seeder, &st);
    add_text(&r, "d2", "2024-01-04",
             "The death toll of the bombing in Kerman on January 3 rose to over 90. "
             "The blasts also injured 284 people.");
    assert_true(st.calls >= 1);
    assert_int_equal(casus_incidents_count(r.s), 1);
    const casus_incident *p = casus_incidents_get(r.s, 0);
    assert_string_equal(p->id, "d1#1");
    assert_int_equal(p->n_doc_ids, 2);
    assert_int_equal(p->killed.min, 91);
    assert_int_equal(p->injured.min, 284);
    assert_int_equal(p->n_evidence, 3);
    assert_int_equal(incident_seeded(r.s, 0), 0);
    /* what d2 itself reports: its own evidence only, not d1's */
    assert_int_equal(incident_own_digest(r.s, 0, &own, &ev, &n_ev, &view), 1);
    assert_int_equal(n_ev, 2);
    assert_true(own != own_d1);
    assert_int_equal(view->killed.min, 91);   /* its own report alone */
    assert_int_equal(view->n_evidence, 0);
    /* a run whose document reports another attack: the stored incident is
     * in the set but neither written nor the document's */
    casus_incidents_clear(r.s);
    add_text(&r, "d3", "2024-01-04", "Gunmen shot dead two policemen in Kerman on January 3.");
    assert_int_equal(casus_incidents_count(r.s), 2);
    size_t lines = 0;
    casus_sink sink = {sink_count, &lines};
    assert_int_equal(casus_incidents_write(r.s, &sink), CASUS_OK);
    assert_int_equal(lines, 1);
    size_t seeded = 0, own_n = 0;
    for (size_t i = 0; i < 2; i++) {
        seeded += (size_t)incident_seeded(r.s, i);
        own_n += (size_t)incident_own_digest(r.s, i, &own, &ev, &n_ev, &view);
    }
    assert_int_equal(seeded, 1);
    assert_int_equal(own_n, 1);
    run_close(&r);
}

/* One document alone: its record with the most evidence (NULL if none). */
static const casus_incident *only(run *r, const char *date, const char *text)
{
    casus_incidents_clear(r->s);
    add_text(r, "one", date, text);
    const casus_incident *best = NULL;
    for (size_t i = 0; i < casus_incidents_count(r->s); i++) {
        const casus_incident *p = casus_incidents_get(r->s, i);
        if (!best || p->n_evidence > best->n_evidence)
            best = p;
    }
    return best;
}

static void expect_counts(run *r, const char *text, int64_t killed, int64_t injured)
{
    const casus_incident *p = only(r, "2015-06-01", text);
    assert_non_null(p);
    if (p->killed.min != killed || p->injured.min != injured)
        fprintf(stderr, "counts of \"%s\": killed %lld, injured %lld\n", text,
                (long long)p->killed.min, (long long)p->injured.min);
    assert_int_equal(p->killed.min, killed);
    assert_int_equal(p->injured.min, injured);
}

static void expect_method(run *r, const char *text, const char *method)
{
    const casus_incident *p = only(r, "2015-06-01", text);
    assert_non_null(p);
    if (strcmp(p->method, method))
        fprintf(stderr, "method of \"%s\": %s\n", text, p->method);
    assert_string_equal(p->method, method);
}

/* Casualty phrases: the role of a figure from the parse, parts of a figure,
 * spans of time, singular victims (docs/ARCHITECTURE.md, Incidents, 6). */
static void test_casualty_phrases(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    /* subject of the kill verb, through "of" and a compound */
    expect_counts(&r, "Two members of the RUC were killed by a booby trap bomb.", 2, -1);
    expect_counts(&r, "Two police officers, including a district police chief, have been "
                      "killed when their convoy was attacked.", 2, -1);
    /* "and wounded 10" parsed as a conjunct of the killed */
    expect_counts(&r, "A bomb killed 33 people and wounded 10 in Kabul.", 33, 10);
    /* parts of a figure are not contradicting figures */
    expect_counts(&r, "Eleven people, five of them children, were killed in a car bombing.",
                  11, -1);
    expect_counts(&r, "Separatists bombed three buses, killing 9 people, including 3 children.",
                  9, -1);
    expect_counts(&r, "Twelve people (nine soldiers and three civilians) are killed by the IRA "
                      "in a coach bombing.", 12, -1);
    /* a compound's head decides: bomb disposal officers are people; a
     * name's number is no count */
    expect_counts(&r, "Two bomb disposal officers were killed when a bomb exploded in Hit.", 2,
                  -1);
    expect_counts(&r, "A car bomb Fiat 500 killed 3 officers and 2 were injured.", 3, 2);
    /* the role is the object's: "suffered injuries", "sustained wounds" */
    expect_counts(&r, "Five people suffered light injuries in a suicide bombing.", -1,
                  5);
    expect_counts(&r, "A rocket hit the town and three people sustained wounds.", -1, 3);
    /* a span of time is not a count */
    expect_counts(&r, "A car bomb killed 35 civilians, the deadliest toll of any one day.", 35,
                  -1);
    /* singular victims count one each; a figure wins over them */
    expect_counts(&r, "A policeman was killed in a bombing in Jammu.", 1, -1);
    expect_counts(&r, "Gunmen killed a doorman and a French visitor in Lyon.", 2, -1);
    expect_counts(&r, "A bomb killed a soldier and wounded 14 others.", 1, 14);
    expect_counts(&r, "A bomb killed 12 people. The bomber was killed too.", 12, -1);
    /* the first of equally specific figures stands within a document */
    expect_counts(&r, "Gunmen shot down a plane, killing 48 civilians. 38 were killed in "
                      "the crash.", 48, -1);
    /* distinct groups add up; one group told twice contradicts (test_bad_input) */
    expect_counts(&r, "2 soldiers and 1 civilian were killed in a car bombing.", 3, -1);
    expect_counts(&r, "Seven security personnel were killed and 9 Taliban were killed in "
                      "an attack on a checkpoint.", 16, -1);
    /* a later figure of one document that does not overlap the first tells
     * a part of it */
    expect_counts(&r, "Attacks across Iraq killed at least 92 and injured 227 others. Twin "
                      "bombings north of Baghdad killed 12 and wounded 44.", 92, 227);
    /* a year before a name, a heading, a count after "of" and a range */
    expect_counts(&r, "2018 Sukma attack: Nine troopers of the Central Reserve Police Force "
                      "were killed after Naxalites targeted their vehicle.", 9, -1);
    expect_counts(&r, "At least six civilians were killed in two car bomb attacks in Baghdad.",
                  6, -1);
    expect_counts(&r, "A car bomb kills two and injures four outside a military base.", 2, 4);
    expect_counts(&r, "Two Iraqi civilians were shot and killed by militants in Kirkuk.", 2, -1);
    expect_counts(&r, "Gunmen ambushed a patrol, shooting 4 officers to death.", 4, -1);
    /* asides between a figure and its role word; "another"; a verb tagged
     * as a symbol */
    expect_counts(&r, "Three soldiers were killed and five others, including a Lieutenant "
                      "Colonel and a Major, were injured when militants ambushed a convoy.", 3, 5);
    expect_counts(&r, "A bomb kills one and another was injured.", 1, 1);
    expect_counts(&r, "A bomber kills 30 and injures 140 during festivities in a hotel.", 30,
                  140);
    /* suicide bombers die by their bombs unless a figure says otherwise */
    expect_counts(&r, "Two suicide car bombers detonate in a Jerusalem market, wounding 25.", 2,
                  25);
    expect_counts(&r, "A suicide bomber blew himself up in a hotel lobby, killing 13 people.",
                  13, -1);
    /* a collective noun is not one victim; "lost their lives after" */
    expect_counts(&r, "A group of 17 police recruits were shot to death after being drugged.",
                  17, -1);
    expect_counts(&r, "116 people lost their lives aboard the ferry after it was bombed.", 116,
                  -1);
    /* a reporting verb between a figure and its role word */
    expect_counts(&r, "18 people have been reported dead in an explosion in Maiduguri.", 18, -1);
    expect_counts(&r, "A bomb exploded at a market; 12 people were confirmed killed and 30 "
                      "were reported injured.", 12, 30);
    /* "3 militants": armed men are people, not weapons */
    expect_counts(&r, "3 militants were killed in a shootout in Srinagar.", 3, -1);
    /* "the deaths of N", a kill verb joined far after its subject's verb,
     * hacking to death and decapitation; a joined verb with its own subject
     * is another clause */
    expect_counts(&r, "A vehicle was struck by an IED, resulting in the deaths of two civilians "
                      "and three wounded.", 2, 3);
    expect_counts(&r, "Four contractors were dragged from their car and killed in Fallujah.", 4,
                  -1);
    expect_counts(&r, "A group of men hack three soldiers to death with knives.", 3, -1);
    expect_counts(&r, "Five civilians were decapitated in an attack on a village.", 5, -1);
    expect_counts(&r, "A bomb exploded on a bus. 13 vehicles were destroyed and at least 4 "
                      "people were killed.", 4, -1);
    /* "the death of" one person; a conjunct without its own determiner;
     * "a firefight that left 10 people dead" */
    expect_counts(&r, "A petrol bomb was thrown in a mosque resulting in the death of the imam.",
                  1, -1);
    expect_counts(&r, "Gunmen attacked a family. The father and 14-year-old daughter were "
                      "killed.", 2, -1);
    expect_counts(&r, "Militants attempted to rob a bank, starting a firefight that left 10 "
                      "people dead.", 10, -1);
    /* a singular victim the tagger calls an adjective; hostages are people */
    expect_counts(&r, "A civilian was killed and two were wounded.", 1, 2);
    expect_counts(&r, "Gunmen took 70 hostages at the hall. Two hostages were executed.", 2, -1);
    /* "assassinated"; "fatally shot" (the lemmatiser's "shet"); "shot
     * dead N" with "shot" tagged an adverb; the figure before "shot dead X"
     * counts the shooters; a part told without commas; "ambushed and
     * killed" */
    expect_counts(&r, "Two people were assassinated by terrorists in a village in Mozambique.", 2,
                  -1);
    expect_counts(&r, "Unknown militants fatally shot two policemen outside a mosque in Quetta.",
                  2, -1);
    expect_counts(&r, "Tehrik-i-Taliban Pakistan militants shot dead four paramilitary soldiers "
                      "in Quetta.", 4, -1);
    /* not 10; the tagger's adverb "shot" leaves the gendarme no verb */
    expect_counts(&r, "Ten ETA members shot dead a French gendarme near Paris.", -1, -1);
    expect_counts(&r, "Five people including a Jordanian farmer and four security officers were "
                      "killed and eight others were injured when a bomb exploded.", 5, 8);
    expect_counts(&r, "A bomb killed 2 people including a teenager and a woman and 7 others "
                      "people were injured in Kabul.", 2, 7);
    expect_counts(&r, "At least 14 Fulani civilians were kidnapped and killed in the latest bout "
                      "of violence.", 14, -1);
    /* partners told with "and" beside a figure's noun: one each for a
     * singular one, a figure without a role of its own; not a partner
     * with its own role, nor one told after "another" */
    expect_counts(&r, "A bomb exploded in the city of Tunceli, killing 6 soldiers and a "
                      "civilian.", 7, -1);
    expect_counts(&r, "A police officer and two militants were killed in a shootout at a "
                      "checkpoint.", 3, -1);
    expect_counts(&r, "A suicide bomber detonated his car near the airfield, killing a US soldier "
                      "and 2 Afghan civilians.", 3, -1);
    expect_counts(&r, "A bomb exploded near a patrol, leaving two soldiers dead and an officer "
                      "injured.", 2, -1);   /* not 3 killed */
    expect_counts(&r, "Insurgents kills at least one soldier and another three were injured.", 1,
                  3);
    expect_counts(&r, "The attack killed an official and a security worker and 3 were injured.", 2,
                  3);
    /* armed men are people when a passive kill says so; not as subjects of
     * an active kill; "and were shot dead" shares the subject */
    expect_counts(&r, "All 7 hijackers were killed by security guards on board the plane.", 7,
                  -1);
    expect_counts(&r, "Three suicide bombers were shot dead by soldiers at a checkpoint.", 3, -1);
    expect_counts(&r, "Two gunmen killed three people at a market in Kano.", 3, -1);
    expect_counts(&r, "Two Palestinians infiltrated a settlement and were shot dead.", 2, -1);
    /* clashes and encounters are attacks; bodies, corpses and slit throats
     * count the dead */
    expect_counts(&r, "An encounter between the army and militants of the EPL left one officer "
                      "dead in Teorama.", 1, -1);
    expect_counts(&r, "Iraqi security forces discovered the bodies of 5 civilians who had been "
                      "kidnapped by militants.", 5, -1);
    expect_counts(&r, "Boko Haram militants slit the throats of five civilians in Dagaya.", 5, -1);
    /* burned alive; "killing 27 of them"; a later kill of "them" */
    expect_counts(&r, "Islamic State burned 5 civilians alive in a cage in Mosul.", 5, -1);
    expect_counts(&r, "Militants ambushed a convoy of militia fighters in Hawija, killing at least "
                      "27 of them.", 27, -1);
    expect_counts(&r, "Islamic State militants kidnapped 40 civilians in a town in Aleppo province, "
                      "and subsequently executed them.", 40, -1);
    expect_counts(&r, "Gunmen opened fire on two civilians in northern Baghdad, killing them both.",
                  2, -1);
    expect_counts(&r, "Thirty people were killed, five of them children.", 30, -1);
    /* the verb right before the figure over an active verb after it; a
     * stray comma after "killing" */
    expect_counts(&r, "Militants detonated a bomb at a parking lot in Yola, killing 27 wounded "
                      "another 96 people.", 27, 96);
    expect_counts(&r, "A car bomb detonated in Sadr City killing, ten and wounding 25 others.", 10,
                  25);
    /* another place of the same country within the sentence: the same
     * attack (the record with the most evidence holds the counts) */
    if (casus_incidents_have_places(r.s)) {
        expect_counts(&r, "Four Assam Rifles personnel were killed in an ambush by militants of "
                          "the National Socialist Council of Nagaland in Nagaland's Mon "
                          "district. Six other soldiers were injured in the incident.", 4, 6);
        /* a clause of cause that counts no one is the same attack; so is a
         * gerund clause going on with the main clause's attacker; a name
         * or an adjective before the weapon does not make the figure one
         * of people */
        expect_counts(&r, "Six soldiers were shot dead, including an officer, were killed after "
                          "militants ambushed a police party in south Kashmir's Anantnag "
                          "district.", 6, -1);
        expect_counts(&r, "A suicide bomber rammed a car packed with explosives into a police "
                          "station south of Baghdad before blowing it up, killing at least 21 "
                          "policemen.", 21, -1);
    }
    expect_counts(&r, "Two US drone strikes killed at least five suspected militants on Friday.",
                  5, -1);
    /* parts of a figure: a list after "including" with figures of its own,
     * an apposition that starts with a figure */
    expect_counts(&r, "At least seventeen security forces, including ten local policemen and "
                      "seven army soldiers, were killed after the Taliban militants attacked a "
                      "security post.", 17, -1);
    expect_counts(&r, "Eight people, seven police officers and the Kandahar Highway Police "
                      "Chief, were killed when a police convoy was attacked.", 8, -1);
    /* over a relative clause to the main clause's verb */
    expect_counts(&r, "Seven men who were allegedly kidnapped by Abu Sayyaf bandits were found "
                      "dead in the southern island province of Basilan.", 7, -1);
    /* a reporting verb with "to have been" between the figure and its role */
    expect_counts(&r, "Five persons were said to have been killed in an attack by Boko Haram "
                      "on a village in Borno State.", 5, -1);
    /* the figure of a collective: the role of the verb whose object it is */
    expect_counts(&r, "Islamic State militants burned to death a family of eight, including an "
                      "infant, for attempting to flee.", 8, -1);
    expect_counts(&r, "Boko Haram have been reported to have murdered a total of 30 peoples "
                      "during a raid in Alau village in Borno State.", 30, -1);
    run_close(&r);
}

/* Method cues and triggers (docs/ARCHITECTURE.md, Incidents, 1 and 5). */
static void test_method_cues(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    /* casualties "after" a bombing are that bombing's: one incident */
    const casus_incident *p =
        only(&r, "2015-06-01", "Two soldiers were killed after a bomb exploded near their bus.");
    assert_non_null(p);
    assert_int_equal(casus_incidents_count(r.s), 1);
    assert_string_equal(p->method, "explosives");
    assert_int_equal(p->killed.min, 2);
    /* ... but "two weeks after" names an earlier one */
    only(&r, "2024-01-25", "Two weeks after the Kerman bombing, Iran struck militants in Pakistan.");
    assert_int_equal(casus_incidents_count(r.s), 2);
    expect_method(&r, "A suicide bomber blew himself up at a checkpoint in Homs.",
                  "suicide-attack");
    expect_method(&r, "A bus was blown up by a remote-controlled device near Peshawar.",
                  "explosives");
    expect_method(&r, "Terrorists threw a grenade at a police station.", "explosives");
    expect_method(&r, "Assailants set fire to a prayer hall.", "primitive");
    expect_method(&r, "Unknown people set two vehicles of a local politician on fire.",
                  "primitive");
    /* armed men, fights and armed groups with no weapon named: small arms */
    expect_method(&r, "Militants attacked a police post, killing three officers.", "firearms");
    expect_method(&r, "Two soldiers were wounded in an encounter with rebels.", "firearms");
    expect_method(&r, "A Taliban attack killed eight police officers in Farah.", "firearms");
    /* any weapon word says more than the armed men */
    expect_method(&r, "Militants planted a bomb that killed three soldiers.", "explosives");
    /* a massacre or an assassination names no weapon; opened fire does */
    expect_method(&r, "In a massacre, a gunman opened fire on a wedding party.", "firearms");
    expect_method(&r, "Rebels assassinated a mayor.", "targeted");
    /* security forces' fire at the attacker is not the attack */
    expect_method(&r, "A Palestinian stabbed two Israelis near a checkpoint in Hebron. He was "
                      "shot dead by Israeli security forces.", "primitive");
    expect_method(&r, "A man stabbed a police officer in the Old City. Police shot and killed "
                      "the attacker.", "primitive");
    /* kidnapping does not outrank shooting */
    expect_method(&r, "Attackers shot and killed 5 tourists and kidnapped 4 people.", "firearms");
    expect_method(&r, "Rebels kidnapped four engineers.", "abduct");
    /* a place inside a group's name is the name's: the claim does not make
     * a second incident in Razavi Khorasan */
    only(&r, "2024-01-05", "A suicide bombing killed 90 people in Kerman. Iranian media blamed "
                           "Israel for the attack, even after the Islamic State Khorasan Province "
                           "claimed responsibility for it.");
    assert_int_equal(casus_incidents_count(r.s), 1);
    /* a lower-case word is not a country: no Central African Republic here */
    p = only(&r, "2015-06-01", "A car bomb exploded in a market, killing 20.");
    assert_non_null(p);
    for (size_t i = 0; i < p->n_perpetrators; i++)
        assert_string_not_equal(p->perpetrators[i].code, "CAF");
    run_close(&r);
}

/* The record's perpetrator whose name contains name, or NULL. */
static const casus_incident_party *perp_named(const casus_incident *p, const char *name)
{
    for (size_t i = 0; p && i < p->n_perpetrators; i++)
        if (strstr(p->perpetrators[i].name, name))
            return &p->perpetrators[i];
    return NULL;
}

static void expect_perp(run *r, const char *text, const char *name, unsigned status)
{
    const casus_incident *p = only(r, "2016-03-01", text);
    assert_non_null(p);
    const casus_incident_party *q = perp_named(p, name);
    if (!q || q->status != status)
        fprintf(stderr, "perpetrator of \"%s\": %s (%s)\n", text,
                p->n_perpetrators ? p->perpetrators[0].name : "-",
                p->n_perpetrators ? casus_perp_status_name(p->perpetrators[0].status) : "-");
    assert_non_null(q);
    assert_int_equal(q->status, status);
}

/* Perpetrator phrases (docs/ARCHITECTURE.md, Incidents, 4). */
static void test_perpetrator_phrases(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    /* the subject of a verb of placing or carrying out an attack */
    expect_perp(&r, "The Weather Underground planted a bomb in the lobby of the headquarters.",
                "Weather Underground", CASUS_PERP_REPORTED);
    expect_perp(&r, "Hamas orchestrated the bus massacre in Jerusalem.", "Hamas",
                CASUS_PERP_REPORTED);
    expect_perp(&r, "A bomb destroyed the bank. The Red Army Faction was behind the attack.",
                "Red Army Faction", CASUS_PERP_REPORTED);
    /* blamed in the passive, suspected, claimed in other words */
    expect_perp(&r, "A car bomb destroyed government buildings in Cali. FARC is blamed for the "
                    "attack.", "FARC", CASUS_PERP_BLAMED);
    expect_perp(&r, "A bomb killed two students. The Taliban are suspected.", "Taliban",
                CASUS_PERP_SUSPECTED);
    expect_perp(&r, "A suicide bomb attack killed seven people in Aden. The Islamic State "
                    "claims it was behind the attack.", "Islamic State", CASUS_PERP_CLAIMED);
    expect_perp(&r, "One person died in an explosion at the airport. The bombing is claimed by "
                    "the Puerto Rican Resistance Army.", "Puerto Rican Resistance Army",
                CASUS_PERP_CLAIMED);
    expect_perp(&r, "The pipeline was bombed, which the Colombian army blamed on FARC "
                    "dissidents.", "FARC", CASUS_PERP_BLAMED);
    expect_perp(&r, "A car bombing in Damascus. Pro-Iraqi militants were blamed for the "
                    "attack.", "militants", CASUS_PERP_BLAMED);
    expect_perp(&r, "A car bomb set off by the Abu Sayyaf group wounded three soldiers.",
                "Abu Sayyaf", CASUS_PERP_REPORTED);
    /* a parse that gives the subject another relation */
    expect_perp(&r, "Islamic State killed at least 6 civilians and another 30 were injured.",
                "Islamic State", CASUS_PERP_REPORTED);
    expect_perp(&r, "Islamic State have abducted at least 6 civilians in Ghor province.",
                "Islamic State", CASUS_PERP_REPORTED);
    expect_perp(&r, "Islamic State claimed responsibility for a pair of suicide car bombings in "
                    "Baghdad.", "Islamic State", CASUS_PERP_CLAIMED);
    /* armed men: a group's weapon, belonging to a group, no name at all */
    expect_perp(&r, "An Islamic State drone dropped explosives on a house, wounding three.",
                "Islamic State", CASUS_PERP_REPORTED);
    expect_perp(&r, "Two police officers were killed in a shootout with gunmen belonging to "
                    "Boko Haram.", "Boko Haram", CASUS_PERP_REPORTED);
    expect_perp(&r, "Terrorists from PKK attacked soldiers in Hatay Province.", "PKK",
                CASUS_PERP_REPORTED);
    expect_perp(&r, "A police commissioner was shot and killed by gunmen in the district.",
                "gunmen", CASUS_PERP_REPORTED);
    /* triggers the tagger hides: a base form after a plural subject, hostages */
    expect_perp(&r, "FARC guerrillas kidnap the Dutch consul in Cali.", "FARC",
                CASUS_PERP_REPORTED);
    expect_perp(&r, "Five Japanese Red Army members took 53 hostages at an insurance office.",
                "Japanese Red Army", CASUS_PERP_REPORTED);
    /* a place after "in" inside the agent phrase is no perpetrator; a group
     * named as the object of an attack is its target */
    const casus_incident *p =
        only(&r, "2024-01-25", "The bombing was carried out by the Islamic State in Iran.");
    assert_non_null(p);
    assert_non_null(perp_named(p, "Islamic State"));
    assert_null(perp_named(p, "Iran"));
    p = only(&r, "2024-01-25", "Iran has targeted Iranian Baluchi militant group Jaish al-Adl in "
                               "Pakistan.");
    assert_non_null(p);
    assert_null(perp_named(p, "Iranian"));
    /* an affiliate is not a member */
    p = only(&r, "2016-03-01",
                                   "His offensives against the IS affiliates, including ISKP, "
                                   "prompted attacks inside Iran.");
    assert_null(perp_named(p, "ISKP"));
    run_close(&r);
}

static void test_bad_input(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_text(&r, "bad", "2024-03-01",
             "A bomb exploded in Xyzabadqq on February 30, 2024, killing "
             "99999999999999999999 people.");
    assert_int_equal(casus_incidents_count(r.s), 1);
    const casus_incident *p = casus_incidents_get(r.s, 0);
    assert_int_equal(p->date_start.year, 0);
    assert_true(p->killed.min < 0 && p->killed.max < 0);
    assert_false(p->has_location);
    assert_true(test_diags_find(&r.diags, "too large") >= 0);
    assert_true(test_diags_find(&r.diags, "February 30") >= 0 ||
                test_diags_find(&r.diags, "impossible") >= 0 ||
                r.diags.n >= 2);
    add_text(&r, "contra", "2024-03-01",
             "A bomb killed 5 people in Kabul, and 40 people were killed in the attack.");
    p = casus_incidents_get(r.s, 1);
    assert_non_null(p);
    assert_true(p->killed.min < 0);
    assert_true(test_diags_find(&r.diags, "contradictory") >= 0);
    run_close(&r);
}

static void test_oom(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    run_close(&r);
    /* every allocation of new + add failing in turn: a clean error, no leak */
    for (long k = 1; k < 4000; k++) {
        test_alloc ta = {k, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &ta);
        if (!ctx)
            continue;
        casus_models *m = NULL;
        casus_dicts *d = NULL;
        casus_incidents *s = NULL;
        casus_doc *doc = NULL;
        int done = 0;
        if (casus_models_load(ctx, "data/models", &m) == CASUS_OK &&
            casus_dicts_load(ctx, "data/dictionaries", &d) == CASUS_OK &&
            casus_incidents_new(ctx, d, NULL, &s) == CASUS_OK && (doc = casus_doc_new(ctx))) {
            const char *t = "A bomb killed 12 people in Kabul on May 3, 2020.";
            if (buf_append(ctx, &doc->raw, t, strlen(t)) == CASUS_OK &&
                casus_doc_analyze(doc) == CASUS_OK && casus_doc_parse(doc, m) == CASUS_OK &&
                casus_incidents_add(s, doc) == CASUS_OK)
                done = 1;
        }
        casus_doc_free(doc);
        casus_incidents_free(s);
        casus_dicts_free(d);
        casus_models_free(m);
        casus_ctx_free(ctx);
        assert_int_equal(ta.live, 0);
        if (done && ta.count < k)
            break;
        if (k > 200)
            k += 97;   /* the dictionaries make thousands: sample the rest */
    }
}

/* Attacks the tagger hides or a first reading misses: an attack verb
 * tagged an adjective beside an earlier attack ("before being shot"), a
 * plural noun with an object ("ETA bombs a convoy"), "set ... on fire" far
 * apart, the purpose of means used ("used ambulances to kill"), and not a
 * plan ("plans to use drones to attack"); parts of places the gazetteer
 * lacks are not namesakes abroad. */
static void test_hidden_attacks(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    const casus_incident *k =
        add_one(&r, "k", "2020-03-02",
                "A knife-wielding attacker wounded four church-goers on Sunday, before being "
                "shot by police.");
    assert_int_equal(k->injured.min, 4);
    assert_string_equal(k->method, "primitive");
    add_one(&r, "e", "2020-03-02", "ETA bombs a police convoy on Sunday.");
    add_one(&r, "m", "2020-03-02",
            "Maoists set at least 15 construction vehicles and machines on fire on Sunday.");
    const casus_incident *u =
        add_one(&r, "u", "2020-03-02",
                "Suicide bombers have used explosives-laden ambulances to kill at least 21 "
                "people on Sunday.");
    assert_int_equal(u->killed.min, 21);
    int at_least = 0;
    for (size_t i = 0; i < u->n_targets; i++)
        at_least |= !strcmp(u->targets[i].name, "at least 21 people");
    assert_true(at_least);
    add_none(&r, "p", "2020-03-02", "The group plans to use drones to attack the base on Sunday.");
    /* a clause that tells who people are */
    add_none(&r, "w", "2020-03-02",
             "Those who fought with him in Iraq were honoured on Sunday.");
    /* a base form the tagger took for a past tense, "beaten to death",
     * "cut down by", "incinerated", a shell "launched by" a group; not
     * prices cut down nor a satellite launched */
    static const struct {
        const char *text, *method;
    } more[] = {
        {"Militants detonate an improvised explosive device on Sunday.", "explosives"},
        {"An Imam is beaten to death by two ISIS supporters on Sunday.", "beat"},
        {"Ten fishermen are cut down by Boko Haram on Sunday.", NULL},
        {"Two tractors were incinerated on a farm on Sunday.", "primitive"},
        {"A mortar shell launched by Islamic State fell on the village on Sunday, injuring "
         "four.", "heavy-weapons"},
        /* the tagger's adjectives before "fire"; a weapon as object or
         * subject of blow, go off, throw; more attack verbs */
        {"Two men open fire on a Jewish restaurant on Sunday.", "firearms"},
        {"Troops and police exchanged fire on Sunday.", "firearms"},
        {"A booby-trapped house went off on an army patrol on Sunday.", "explosives"},
        {"A suicide bomber blew his explosive vest at a checkpoint on Sunday.",
         "suicide-attack"},
        {"Assailants threw an incendiary device at a radio station on Sunday.", "primitive"},
        {"Guerrillas dynamited the oil pipeline on Sunday.", "explosives"},
        {"Two men were crucified by militants on Sunday.", NULL},
        {"Bombings of a travel agency on Sunday.", "explosives"},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        char id[8];
        snprintf(id, sizeof id, "h%zu", i);
        const casus_incident *h = add_one(&r, id, "2020-03-02", more[i].text);
        if (more[i].method)
            assert_string_equal(h->method, more[i].method);
    }
    add_none(&r, "n1", "2020-03-02", "Prices were cut down by the government on Sunday.");
    add_none(&r, "n2", "2020-03-02", "The satellite launched by the agency reached orbit on Sunday.");
    add_none(&r, "n3", "2020-03-02", "The crowd went off to the square on Sunday.");
    if (casus_incidents_have_places(r.s)) {
        add_text(&r, "a", "2020-03-02",
                 "A suicide bomber killed 14 people at an election rally in the Kama district of "
                 "the Nangarhar Province on Sunday.");
        assert_string_equal(last(&r)->location_country, "AFG");
        add_text(&r, "b", "2020-03-02",
                 "Terrorists kidnapped a Red Cross employee in the province of Soum in Burkina "
                 "Faso on Sunday.");
        assert_string_equal(last(&r)->location_country, "BFA");
    }
    run_close(&r);
}

/* What is no report of an attack, and what dates and places one: a
 * question, "any future attacks"; a parliament names its capital; the
 * capital standing for the state is no scene; a reference dated by its
 * year dates the answer to it; a launched rocket or a thrown grenade. */
static void test_reports_and_seats(void **state)
{
    (void)state;
    run r;
    OPEN_OR_SKIP(&r);
    add_none(&r, "q", "2024-01-25",
             "What were Tehran's previous responses to ISKP attack inside its territories?");
    add_none(&r, "f", "2024-01-25",
             "Tehran blamed Israel or the United States for any future attacks inside Iran.");
    const casus_incident *y =
        add_one(&r, "y", "2024-01-25",
                "The IRGC retaliated with ballistic missiles against the Islamic State in Syria, "
                "following the 2017 parliament and mausoleum attacks.");
    char d[11], e[11];
    casus_date_format(y->date_start, d);
    casus_date_format(y->date_end, e);
    assert_string_equal(d, "2017-01-01");
    assert_string_equal(e, "2017-12-31");
    assert_string_equal(add_one(&r, "g", "2020-03-02",
                                "A grenade was thrown at the residence of a lawmaker on Sunday, "
                                "wounding three.")
                            ->method,
                        "explosives");
    add_none(&r, "l", "2020-03-02", "The company launched a new phone on Sunday.");
    if (casus_incidents_have_places(r.s)) {
        add_text(&r, "p", "2017-06-08",
                 "Gunmen stormed the Iranian parliament on June 7, killing 12 people.");
        const casus_incident *p = find_place(&r, "Tehran");
        assert_non_null(p);
        assert_string_equal(p->location_precision, "city");
        /* the Dutch parliament sits in The Hague, not in the capital */
        add_text(&r, "n", "2017-06-08",
                 "A man attacked guards outside the Dutch parliament on June 7.");
        const casus_incident *n = last(&r);
        assert_true(n->has_location);
        assert_string_equal(n->location_country, "NLD");
        assert_string_equal(n->location_precision, "country");
        /* "Tehran's forces": the state, not the scene */
        add_text(&r, "t", "2020-03-02",
                 "Tehran's forces attacked militant camps in Zahedan on Sunday, killing four.");
        const casus_incident *t = last(&r);
        assert_true(t->has_location);
        assert_string_equal(t->location_name, "Zahedan");
        /* a person after a title is no place: "MP Arfo Aden Ibrahim" */
        add_text(&r, "a", "2020-03-02",
                 "Gunmen shot MP Arfo Aden Ibrahim on Sunday.");
        const casus_incident *a = last(&r);
        assert_true(!a->has_location || strcmp(a->location_country, "YEM"));
    }
    run_close(&r);
}

/* The article of the mission (../shared/seed/article.txt). */
static void test_seed_article(void **state)
{
    (void)state;
    const char *path = test_shared("../seed/article.txt");
    run r;
    if (!path || !run_open(&r)) {
        if (path)
            run_close(&r);
        skip();
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    add_text(&r, "article.txt", "2024-01-25", text);
    if (!casus_incidents_have_places(r.s)) {
        run_close(&r);
        skip();
    }
    const casus_incident *k = find_place(&r, "Kerman");
    assert_non_null(k);
    char d[11];
    casus_date_format(k->date_start, d);
    assert_string_equal(d, "2024-01-03");
    assert_string_equal(k->method, "suicide-attack");
    assert_int_equal(k->killed.min, 91);
    assert_int_equal(k->injured.min, 200);
    assert_int_equal(k->injured.max, 999);
    const casus_incident_party *iskp = perp(k, "IMGMUSISK");
    assert_non_null(iskp);
    assert_int_equal(iskp->status, CASUS_PERP_CLAIMED);
    const casus_incident *m = find_place(&r, "Mashhad");
    assert_non_null(m);
    casus_date_format(m->date_start, d);
    assert_string_equal(d, "2022-04-05");
    assert_string_equal(m->method, "primitive");
    const casus_incident *s = find_place(&r, "Shiraz");
    assert_non_null(s);
    casus_date_format(s->date_start, d);
    assert_string_equal(d, "2022-10-26");
    assert_string_equal(s->method, "firearms");
    const casus_incident *a = find_place(&r, "Ahvaz");
    assert_non_null(a);
    casus_date_format(a->date_start, d);
    assert_string_equal(d, "2018-09-01");
    assert_true(a != k && m != s && s != k);
    /* Kerman: Israel and the United States blamed by Iran's media */
    const casus_incident_party *isr = perp(k, "ISR"), *usa = perp(k, "USA");
    assert_true(isr && usa);
    assert_int_equal(isr->status, CASUS_PERP_BLAMED);
    assert_int_equal(usa->status, CASUS_PERP_BLAMED);
    assert_non_null(strstr(isr->blamed_by, "media"));
    /* June 2017: the parliament and the mausoleum, in Tehran, 17 killed */
    const casus_incident *t = find_place(&r, "Tehran");
    assert_non_null(t);
    casus_date_format(t->date_start, d);
    assert_string_equal(d, "2017-06-01");
    assert_int_equal(t->killed.min, 17);
    assert_int_equal(t->killed.max, 17);
    assert_non_null(perp(t, "IMGMUSISI"));
    assert_null(perp(t, "IMGMUSISK"));   /* "The string of ISKP attacks": none of them */
    /* the IRGC's strikes in Syria: 2017 and October 2018; the strikes into
     * Baluchistan, January 2024, against Jaish al-Adl */
    int syria2017 = 0, syria2018 = 0;
    const casus_incident *b = NULL;
    for (size_t i = 0; i < casus_incidents_count(r.s); i++) {
        const casus_incident *p = casus_incidents_get(r.s, i);
        if (!p->has_location)
            continue;
        char y[11];
        casus_date_format(p->date_start, y);
        if (!strcmp(p->location_country, "SYR")) {
            syria2017 |= !strcmp(y, "2017-01-01") && !strcmp(p->date_precision, "year");
            syria2018 |= !strcmp(y, "2018-10-01") && !strcmp(p->date_precision, "month");
        }
        if (!strcmp(p->location_country, "PAK"))
            b = p;
    }
    assert_true(syria2017 && syria2018);
    assert_non_null(b);
    casus_date_format(b->date_start, d);
    assert_int_equal(strncmp(d, "2024-01", 7), 0);
    int jaa = 0;
    for (size_t i = 0; i < b->n_targets; i++)
        jaa |= !strcmp(b->targets[i].code, "IRNINSJAA");
    assert_true(jaa);
    /* one record per attack, and no other */
    assert_int_equal(casus_incidents_count(r.s), 8);
    run_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_methods_and_targets),
        cmocka_unit_test(test_response_targets),
        cmocka_unit_test(test_merging),
        cmocka_unit_test(test_casualty_phrases),
        cmocka_unit_test(test_method_cues),
        cmocka_unit_test(test_perpetrator_phrases),
        cmocka_unit_test(test_cross_run),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_reports_and_seats),
        cmocka_unit_test(test_hidden_attacks),
        cmocka_unit_test(test_seed_article),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
