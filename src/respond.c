/*
 * respond.c - the response stage: a state's strike or coercive action linked
 * to the attack on its territory, people or forces that it answers.
 *
 * Pipeline position: after the event coder (code.c) and the incident stage
 * (incident.c), per document; `casus code` writes the links after the
 * incident records and `casus code --db` stores them (response_links).
 *
 * Inputs: the document's sentences and words, the incident set the document
 * was just added to (incident ids are stable once given, so a link names
 * them at once), and the document's events. Per sentence:
 *
 *  1. Connectives: "in retaliation for", "in response to", "in revenge
 *     for", "in reprisal for", "to avenge", "retaliated for", "after",
 *     "following" (the last two with a duration before them, "two weeks
 *     after", kept in the basis). Each one's phrase runs to the next comma,
 *     semicolon, colon, dash or sentence end (15 words at most) or to "and
 *     again", and must hold an attack word ("after talks" is nothing).
 *  2. The attack a phrase names: the incident of the set whose place name
 *     (+3; province +2), year (+2; another year rules it out), target and
 *     perpetrator head words (+2, +1) the phrase repeats, score 2 at least;
 *     another document's incident only by its place. A phrase that names
 *     none takes the latest earlier incident of this document on the
 *     responder's territory.
 *  3. Responses: the incidents this sentence reports, not named by a
 *     phrase, that are a state's actions: reported or claimed perpetrators
 *     all states (respond_is_state) with a coercive event of the sentence
 *     by that state to bear it out (the incident stage reads nationality
 *     words as perpetrators), or no perpetrator and a coercive state event
 *     with a target other than the state's own organs. Never a suicide
 *     attack, never an actor whose words name a person ("a Palestinian
 *     man"). When the sentence reports no incident at all, its coercive
 *     state events stand for responses themselves.
 *  4. Pairing: every (phrase, response) pair whose attack is on the
 *     responder's country (its place, or a target coded with the country)
 *     and does not come after the response is costed by the lag (unknown
 *     dates cost more); the cheapest pairs win, each phrase and response
 *     once while others are left ("following A, and again in October after
 *     B": two responses, two triggers). "after" phrases more than a year
 *     before the response do not pair.
 *
 * Then proximity: an incident of this document that is a dated state action
 * (borne out by an event, as in 3) and got no text link is linked to the
 * closest earlier dated attack of the set, within 60 days, on the state's
 * territory ("place") or people ("target") whose perpetrator the response
 * hits ("actor"): basis "actor+place+time" or "actor+target+time". Time
 * and place alone link every attack in a country to the next state action
 * there.
 *
 * Ids: incidents by their ids; an event response by "<doc_id>/e<k>", the
 * k-th (1-based) event record of the document. The store keeps every link
 * with the events that stand for its sides where the document has them:
 * the trigger's first assault event (roots 18-20) not by the responder's
 * country, the response's coercive event by the responder.
 */
#include "respond.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ctx.h"
#include "dict.h"
#include "incident.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/mem.h"

#define PHRASE_MAX 15
#define MAXCONN 8
#define MAXCAND 8
#define ACTOR_DAYS 60
#define AFTER_DAYS 365

struct casus_responses {
    casus_ctx *ctx;
    casus_response *v;
    size_t n, cap;
};

/* ---------------------------------------------------------------- codes */

int respond_is_state(const char *code)
{
    static const char *const state_sector[] = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"};
    size_t n = code ? strlen(code) : 0;
    if (n < 3 || n % 3 != 0)
        return 0;
    for (size_t i = 0; i < 3; i++)
        if (!isupper((unsigned char)code[i]))
            return 0;
    if (dict_is_sector(code))
        return 0;
    if (n == 3)
        return 1;
    for (size_t i = 0; i < sizeof state_sector / sizeof state_sector[0]; i++)
        if (!memcmp(code + 3, state_sector[i], 3))
            return 1;
    return 0;
}

int respond_is_coercive(const char *cameo)
{
    if (!cameo || !isdigit((unsigned char)cameo[0]) || !isdigit((unsigned char)cameo[1]))
        return 0;
    int root = (cameo[0] - '0') * 10 + (cameo[1] - '0');
    return root >= 17 && root <= 20;
}

static int is_assault(const char *cameo)
{
    return respond_is_coercive(cameo) && !(cameo[0] == '1' && cameo[1] == '7');
}

/* Same country: the first three letters of two codes (countries only). */
static int same_country(const char *a, const char *b)
{
    return a && b && strlen(a) >= 3 && strlen(b) >= 3 && !dict_is_sector(a) &&
           !dict_is_sector(b) && !memcmp(a, b, 3);
}

/* ---------------------------------------------------------------- incidents */

static int has_date(const casus_incident *p)
{
    return p->date_start.year > 0;
}

static long day_lo(const casus_incident *p)
{
    return date_days(p->date_start);
}

static long day_hi(const casus_incident *p)
{
    return p->date_end.year > 0 ? date_days(p->date_end) : date_days(p->date_start);
}

static int acting(const casus_incident_party *q)
{
    return q->status == CASUS_PERP_REPORTED || q->status == CASUS_PERP_CLAIMED;
}

/* The state whose action the incident is: its reported or claimed
 * perpetrators are all states (one of them is returned); "" otherwise. 0
 * when it has no such perpetrator at all, 1 when a state, -1 when a group. */
static int incident_state(const casus_incident *p, const char **code)
{
    int state = 0, group = 0;
    *code = "";
    if (!strcmp(p->method, "suicide-attack"))
        return -1;
    for (size_t i = 0; i < p->n_perpetrators; i++) {
        const casus_incident_party *q = &p->perpetrators[i];
        if (!acting(q))
            continue;
        if (respond_is_state(q->code)) {
            if (!state)
                *code = q->code;
            state = 1;
        } else {
            group = 1;
        }
    }
    if (group)
        return -1;
    return state;
}

/* The attack p falls on country c: its place, or a target coded with c. */
static int attack_on(const casus_incident *p, const char *c)
{
    if (p->has_location && !strncmp(p->location_country, c, 3))
        return 1;
    for (size_t i = 0; i < p->n_targets; i++)
        if (same_country(p->targets[i].code, c))
            return 2;
    return 0;
}

/* The attack is the state's own doing: a reported or claimed perpetrator
 * that is a state organ of the responder's country (Jaish al-Adl,
 * IRNINSJAA, is Iranian but not the state). */
static int by_country(const casus_incident *p, const char *c)
{
    for (size_t i = 0; i < p->n_perpetrators; i++)
        if (acting(&p->perpetrators[i]) && respond_is_state(p->perpetrators[i].code) &&
            same_country(p->perpetrators[i].code, c))
            return 1;
    return 0;
}

/* Index into the doc_ids of incident i of the set of the document did
 * (bit: incident_doc_bit(did)), or -1. The incident's document mask rules
 * most incidents out without a string comparison: every document is
 * looked up in every incident of the set. */
static long doc_index(const casus_incidents *inc, size_t k, uint64_t bit, const char *did)
{
    if (!(incident_doc_mask(inc, k) & bit))
        return -1;
    const casus_incident *p = casus_incidents_get(inc, k);
    for (size_t i = 0; i < p->n_doc_ids; i++)
        if (!strcmp(p->doc_ids[i], did))
            return (long)i;
    return -1;
}

static int in_sentence(const casus_incident *p, long j, size_t si)
{
    for (size_t k = 0; j >= 0 && k < p->n_evidence; k++)
        if (p->evidence[k].doc == (size_t)j && p->evidence[k].sentence_index == si)
            return 1;
    return 0;
}

/* The first sentence of the document that reports p (SIZE_MAX: none). */
static size_t first_sentence(const casus_incident *p, long j)
{
    size_t best = (size_t)-1;
    for (size_t k = 0; j >= 0 && k < p->n_evidence; k++)
        if (p->evidence[k].doc == (size_t)j && p->evidence[k].sentence_index < best)
            best = p->evidence[k].sentence_index;
    return best;
}

/* ---------------------------------------------------------------- events */

/* "A 22-year-old Palestinian man", "an Afghan gunman": a person coded
 * with a country's code is not the state. */
static int names_person(const casus_actor *a)
{
    static const char *const person[] = {
        "man", "men", "woman", "women", "boy", "girl", "teenager", "youth", "student",
        "person", "people", "resident", "residents", "national", "citizen", "civilian",
        "civilians", "gunman", "gunmen", "attacker", "assailant", "bomber", "militant",
        "militants", "villagers", "worker", "workers", NULL};
    if (!a->text.p)
        return 0;
    const char *p = a->text.p, *e = p + a->text.n;
    while (p < e) {
        while (p < e && !isalpha((unsigned char)*p))
            p++;
        const char *q = p;
        while (q < e && isalpha((unsigned char)*q))
            q++;
        for (size_t i = 0; q > p && person[i]; i++)
            if (strlen(person[i]) == (size_t)(q - p) && !strncasecmp(p, person[i], (size_t)(q - p)))
                return 1;
        p = q;
    }
    return 0;
}

/* The coercive event of sentence si by the responder's country (any state
 * when resp is ""), preferring one aimed at country want; -1. With
 * need_target (the event alone names the state) it must have a target
 * other than the state's own organs: "five policemen were killed" coded
 * with the police as source is no state's strike. */
static long response_event(const casus_event *ev, size_t nev, size_t si, const char *resp,
                           const char *want, int need_target)
{
    long best = -1;
    for (size_t i = 0; i < nev; i++) {
        const casus_event *e = &ev[i];
        if (e->sentence_index != si || e->negated || !respond_is_coercive(e->cameo) ||
            !respond_is_state(e->source.code) || names_person(&e->source))
            continue;
        if (*resp && !same_country(e->source.code, resp))
            continue;
        if (need_target && (!e->has_target || !*e->target.code ||
                            (respond_is_state(e->target.code) &&
                             same_country(e->target.code, e->source.code))))
            continue;
        if (want && *want && e->has_target && !strncmp(e->target.code, want, 3))
            return (long)i;
        if (best < 0)
            best = (long)i;
    }
    return best;
}

/* The trigger's event in this document: the first assault (roots 18-20) in
 * a sentence that reports p, not by the responder's state. */
static long trigger_event(const casus_incident *p, long j, const casus_event *ev, size_t nev,
                          const char *resp)
{
    long best = -1;
    size_t best_si = (size_t)-1;
    for (size_t i = 0; j >= 0 && i < nev; i++) {
        const casus_event *e = &ev[i];
        if (e->negated || !is_assault(e->cameo) ||
            (respond_is_state(e->source.code) && same_country(e->source.code, resp)) ||
            !in_sentence(p, j, e->sentence_index))
            continue;
        if (e->sentence_index < best_si) {
            best = (long)i;
            best_si = e->sentence_index;
        }
    }
    return best;
}

/* ---------------------------------------------------------------- words */

typedef struct sent {
    const casus_token *w;
    size_t n;
} sent;

/* Every word of every sentence is compared with the connectives and the
 * attack words: the first letter decides most before strlen. */
static inline int ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Word k is word, ignoring ASCII case (what tolower and strncasecmp do in
 * the C locale, without their calls: the connectives are tried at every
 * word). */
static inline int weq(const sent *s, size_t k, const char *word)
{
    if (k >= s->n)
        return 0;
    const casus_token *t = &s->w[k];
    size_t n = t->form.n;
    if (!n)
        return !word[0];
    const unsigned char *p = (const unsigned char *)t->form.p;
    if (ascii_lower(p[0]) != ascii_lower((unsigned char)word[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!word[i] || ascii_lower(p[i]) != ascii_lower((unsigned char)word[i]))
            return 0;
    return word[n] == '\0';
}

static int is_year(const sent *s, size_t k, int *year)
{
    const casus_token *t = &s->w[k];
    if (t->form.n != 4)
        return 0;
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)t->form.p[i]))
            return 0;
        y = y * 10 + (t->form.p[i] - '0');
    }
    *year = y;
    return y >= 1900 && y <= 2100;
}

/* Whether the phrase [a, b) holds word w (case-insensitive, whole word). */
static int phrase_has(const sent *s, size_t a, size_t b, const char *w, size_t wn)
{
    int c0 = tolower((unsigned char)w[0]);
    for (size_t k = a; k < b; k++)
        if (s->w[k].form.n == wn && tolower((unsigned char)s->w[k].form.p[0]) == c0 &&
            !strncasecmp(s->w[k].form.p, w, wn))
            return 1;
    return 0;
}

/* Words of a name (>= 4 letters) that the phrase repeats. */
static int name_hits(const sent *s, size_t a, size_t b, const char *name, int last_only)
{
    int hits = 0;
    const char *p = name;
    const char *lw = NULL;
    size_t ln = 0;
    while (*p) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        const char *q = p;
        while (*q && (isalpha((unsigned char)*q) || (*q & 0x80)))
            q++;
        if (q > p) {
            lw = p;
            ln = (size_t)(q - p);
            if (!last_only && ln >= 4 && phrase_has(s, a, b, p, ln))
                hits++;
        }
        p = q;
    }
    if (last_only && lw && ln >= 4 && phrase_has(s, a, b, lw, ln))
        hits++;
    return hits;
}

static const char *const attack_words[] = {
    "attack", "attacks", "attacked", "bombing", "bombings", "bombed", "blast", "blasts",
    "explosion", "explosions", "shooting", "shootings", "massacre", "assault", "raid",
    "raids", "killing", "killings", "killed", "ambush", "strike", "strikes", "assassination",
    "stabbing", "siege", "hostage", "kidnapping", NULL};

static int phrase_attack(const sent *s, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        for (size_t i = 0; attack_words[i]; i++)
            if (weq(s, k, attack_words[i]))
                return 1;
    return 0;
}

typedef struct conn {
    size_t a, b;          /* the phrase, sentence-relative words [a, b) */
    char name[48];        /* the connective as the basis names it */
    int after;            /* "after"/"following": lags over a year do not pair */
    int retaliation;      /* names a cause even without an attack word */
    long trigger;         /* incident index; -1 none */
    int named;            /* the trigger was named (score >= 2) */
} conn;

static const struct {
    const char *w[4];
    int retaliation;
} connectives[] = {
    {{"in", "retaliation", "for", NULL}, 1},
    {{"in", "retaliation", "against", NULL}, 1},
    {{"in", "response", "to", NULL}, 1},
    {{"in", "revenge", "for", NULL}, 1},
    {{"as", "revenge", "for", NULL}, 1},
    {{"in", "reprisal", "for", NULL}, 1},
    {{"to", "avenge", NULL, NULL}, 1},
    {{"retaliated", "for", NULL, NULL}, 1},
    {{"retaliating", "for", NULL, NULL}, 1},
    {{"retaliation", "for", NULL, NULL}, 1},
    {{"after", NULL, NULL, NULL}, 0},
    {{"following", NULL, NULL, NULL}, 0},
};

static int is_unit(const sent *s, size_t k)
{
    static const char *const units[] = {"day", "days", "week", "weeks", "month", "months",
                                        "hours", "hour", NULL};
    for (size_t i = 0; units[i]; i++)
        if (weq(s, k, units[i]))
            return 1;
    return 0;
}

/* The connectives of a sentence with their phrases. */
static size_t find_connectives(const sent *s, conn *out, size_t cap)
{
    size_t nc = 0;
    /* the lengths and first letters of the connectives' first words: a word
     * of another length or letter starts none */
    uint32_t lens = 0, firsts = 0;
    for (size_t c = 0; c < sizeof connectives / sizeof connectives[0]; c++) {
        size_t l = strlen(connectives[c].w[0]);
        unsigned f = (unsigned)ascii_lower((unsigned char)connectives[c].w[0][0]);
        lens |= l < 32 ? 1u << l : 1u;
        firsts |= f >= 'a' && f <= 'z' ? 1u << (f - 'a') : 1u << 31;
    }
    for (size_t k = 0; k < s->n && nc < cap; k++) {
        size_t fn = s->w[k].form.n;
        if (!fn || !((lens >> (fn < 32 ? fn : 0)) & 1u))
            continue;
        unsigned c0 = (unsigned)ascii_lower((unsigned char)s->w[k].form.p[0]);
        if (!((firsts >> (c0 >= 'a' && c0 <= 'z' ? c0 - 'a' : 31u)) & 1u))
            continue;
        size_t len = 0;
        int ci = -1;
        for (size_t c = 0; c < sizeof connectives / sizeof connectives[0] && ci < 0; c++) {
            size_t m = 0;
            while (m < 4 && connectives[c].w[m] && weq(s, k + m, connectives[c].w[m]))
                m++;
            if (m < 4 && connectives[c].w[m])
                continue;
            ci = (int)c;
            len = m;
        }
        if (ci < 0)
            continue;
        conn *c = &out[nc];
        memset(c, 0, sizeof *c);
        c->trigger = -1;
        c->retaliation = connectives[ci].retaliation;
        c->after = !c->retaliation;
        /* "(almost) two weeks after": the duration goes into the basis */
        size_t from = k;
        if (c->after && k >= 2 && is_unit(s, k - 1) &&
            (s->w[k - 2].upos == CASUS_UPOS_NUM || weq(s, k - 2, "a") ||
             weq(s, k - 2, "few") || weq(s, k - 2, "several")))
            from = k - 2;
        size_t o = 0;
        for (size_t i = from; i < k + len; i++) {
            size_t wn = s->w[i].form.n;
            if (o + wn + 2 > sizeof c->name)
                break;
            if (o)
                c->name[o++] = ' ';
            for (size_t j = 0; j < wn; j++)
                c->name[o++] = (char)tolower((unsigned char)s->w[i].form.p[j]);
        }
        c->name[o] = '\0';
        c->a = k + len;
        size_t e = c->a;
        while (e < s->n && e < c->a + PHRASE_MAX && !weq(s, e, ",") && !weq(s, e, ";") &&
               !weq(s, e, ".") && !weq(s, e, ":") && !weq(s, e, "—") &&
               !(weq(s, e, "and") && weq(s, e + 1, "again")))
            e++;
        c->b = e;
        if (c->b == c->a)
            continue;
        /* a connective names an attack: "after talks", "in retaliation
         * for France's support of Chad" do not */
        if (!phrase_attack(s, c->a, c->b))
            continue;
        nc++;
        k += len - 1;
    }
    return nc;
}

/* How well phrase c names incident p; -1 when it rules p out. *place
 * says whether the phrase repeats p's place. */
/* The score of incident p for the phrase of c; *place: the phrase names
 * its place. need_place: the caller drops p unless it does, so the target
 * and perpetrator names are not read when it does not (most incidents of
 * a set are other documents', named only by their place). */
static int name_score(const sent *s, const conn *c, const casus_incident *p, int *place,
                      int need_place)
{
    int score = 0;
    *place = 0;
    for (size_t k = c->a; k < c->b; k++) {
        int y;
        if (is_year(s, k, &y)) {
            if (!has_date(p) || y < p->date_start.year ||
                y > (p->date_end.year ? p->date_end.year : p->date_start.year))
                return -1;
            score += 2;
        }
    }
    if (p->has_location) {
        if (name_hits(s, c->a, c->b, p->location_name, 0))
            score += 3;
        else if (*p->location_admin1 && name_hits(s, c->a, c->b, p->location_admin1, 0))
            score += 2;
        *place = score > 0;
    }
    if (need_place && !*place)
        return score;
    for (size_t i = 0; i < p->n_targets; i++)
        if (name_hits(s, c->a, c->b, p->targets[i].name, 1))
            score += 2;
    for (size_t i = 0; i < p->n_perpetrators; i++)
        if (name_hits(s, c->a, c->b, p->perpetrators[i].name, 1))
            score += 1;
    return score;
}

/* ---------------------------------------------------------------- links */

typedef struct cand {
    size_t idx;           /* incident index, or event index */
    long lo, hi;          /* its days when dated */
    long event;           /* the event standing for it in the store; -1 */
    int is_event;
    int dated;
    char country[4];      /* where it happened, "" unknown */
    char responder[32];
} cand;

static casus_status emit(casus_responses *r, const casus_incidents *inc, const char *did,
                         size_t trig, const cand *c, long lag, int has_lag, const char *basis,
                         size_t si, const casus_event *ev, size_t nev)
{
    if (mem_grow(r->ctx, (void **)&r->v, &r->cap, r->n + 1, sizeof *r->v) != CASUS_OK)
        return CASUS_ENOMEM;
    casus_response *o = &r->v[r->n];
    memset(o, 0, sizeof *o);
    const casus_incident *t = casus_incidents_get(inc, trig);
    snprintf(o->trigger, sizeof o->trigger, "%s", t->id);
    if (c->is_event)
        snprintf(o->response, sizeof o->response, "%s/e%zu", did, c->idx + 1);
    else
        snprintf(o->response, sizeof o->response, "%s", casus_incidents_get(inc, c->idx)->id);
    snprintf(o->responder, sizeof o->responder, "%s", c->responder);
    o->has_lag = has_lag;
    o->lag_days = has_lag ? lag : 0;
    snprintf(o->basis, sizeof o->basis, "%s", basis);
    snprintf(o->doc_id, sizeof o->doc_id, "%s", did);
    o->sentence_index = si;
    o->response_event = c->event;
    o->trigger_event = trigger_event(t, doc_index(inc, trig, incident_doc_bit(did), did), ev,
                                     nev, c->responder);
    r->n++;
    return CASUS_OK;
}

/* The lag of a (trigger, response) pair: 0 allowed, -1 ruled out (the
 * response comes first), 1 with *lag set, 2 unknown. */
static int pair_lag(const casus_incident *t, const cand *c, long *lag)
{
    if (!has_date(t) || !c->dated)
        return 2;
    if (c->hi < day_lo(t))
        return -1;
    /* a response dated by a year that holds the trigger ("following the
     * 2017 attacks"): how long after, the text does not say */
    if (c->lo < day_lo(t) && c->hi - c->lo > 31)
        return 2;
    *lag = c->lo - day_lo(t);
    if (*lag < 0)
        *lag = 0;
    return 1;
}

/* Response candidates of sentence si: the state-action incidents it
 * reports that no phrase names, else its coercive state events. */
typedef struct span {
    size_t start, end;     /* byte offsets of a phrase (document as read) */
} span;

static size_t candidates(const casus_incidents *inc, const char *did, size_t si,
                         const conn *cs, const span *ph, size_t nc, const casus_event *ev,
                         size_t nev, cand *out, size_t cap)
{
    size_t n = 0, count = casus_incidents_count(inc);
    int reported = 0;   /* incidents of this sentence that no phrase names */
    uint64_t bit = incident_doc_bit(did);
    for (size_t i = 0; i < count && n < cap; i++) {
        const casus_incident *p = casus_incidents_get(inc, i);
        long j = doc_index(inc, i, bit, did);
        if (j < 0 || !in_sentence(p, j, si))
            continue;
        int named = 0;
        for (size_t c = 0; c < nc; c++)
            named |= cs[c].named && cs[c].trigger == (long)i;
        if (named)
            continue;
        reported = 1;
        const char *code;
        int st = incident_state(p, &code);
        cand *c = &out[n];
        memset(c, 0, sizeof *c);
        if (p->has_location)
            snprintf(c->country, sizeof c->country, "%s", p->location_country);
        /* a state perpetrator is taken when an event of the sentence by
         * that state bears it out: nationality words ("a Palestinian man",
         * "Afghan") are read as perpetrators too */
        if (st == 1) {
            snprintf(c->responder, sizeof c->responder, "%s", code);
            c->event = response_event(ev, nev, si, code, c->country, 0);
            if (c->event < 0)
                continue;
        } else if (st == 0) {
            c->event = response_event(ev, nev, si, "", c->country, 1);
            if (c->event < 0)
                continue;
            snprintf(c->responder, sizeof c->responder, "%s", ev[c->event].source.code);
        } else {
            continue;
        }
        c->idx = i;
        c->dated = has_date(p);
        if (c->dated) {
            c->lo = day_lo(p);
            c->hi = day_hi(p);
        }
        n++;
    }
    /* a group's attack "in retaliation for" a state's raid is no state
     * response: events stand in only where no incident is reported */
    if (n || reported)
        return n;
    for (size_t i = 0; i < nev && n < cap; i++) {
        const casus_event *e = &ev[i];
        if (e->sentence_index != si || e->negated || !respond_is_coercive(e->cameo) ||
            !respond_is_state(e->source.code) ||
            response_event(ev, nev, si, e->source.code, "", 1) != (long)i)
            continue;
        int inside = 0;   /* the actor of a phrase is the trigger's */
        for (size_t c = 0; c < nc; c++)
            inside |= e->source.start >= ph[c].start && e->source.start < ph[c].end;
        if (inside)
            continue;
        cand *c = &out[n++];
        memset(c, 0, sizeof *c);
        c->is_event = 1;
        c->idx = i;
        c->event = (long)i;
        snprintf(c->responder, sizeof c->responder, "%s", e->source.code);
        /* an event's date is the publication date unless the text gave one:
         * it is not evidence of a lag */
        c->dated = 0;
    }
    return n;
}

/* The latest incident reported earlier in the document that is an attack
 * on country c and is not a candidate response: a phrase that names no
 * attack by its words ("in retaliation for the bombing"). */
static long salient_attack(const casus_incidents *inc, const char *did, size_t si,
                           const char *c, const cand *cs, size_t ncand)
{
    long best = -1;
    size_t best_si = 0;
    uint64_t bit = incident_doc_bit(did);
    for (size_t i = 0; i < casus_incidents_count(inc); i++) {
        const casus_incident *p = casus_incidents_get(inc, i);
        long j = doc_index(inc, i, bit, did);
        size_t f = first_sentence(p, j);
        if (j < 0 || f >= si || !attack_on(p, c) || by_country(p, c))
            continue;
        int is_cand = 0;
        for (size_t k = 0; k < ncand; k++)
            is_cand |= !cs[k].is_event && cs[k].idx == i;
        if (is_cand)
            continue;
        if (best < 0 || f >= best_si) {
            best = (long)i;
            best_si = f;
        }
    }
    return best;
}

static casus_status text_links(casus_responses *r, const casus_incidents *inc,
                               const casus_doc *doc, size_t si, const casus_event *ev,
                               size_t nev, unsigned char *linked)
{
    const char *did = casus_doc_id(doc);
    size_t ntok, nsent;
    const casus_token *toks = casus_doc_tokens(doc, &ntok);
    const casus_sentence *sents = casus_doc_sentences(doc, &nsent);
    sent s = {toks + sents[si].first_token, sents[si].n_tokens};
    conn cs[MAXCONN];
    size_t nc = find_connectives(&s, cs, MAXCONN);
    if (!nc)
        return CASUS_OK;
    size_t count = casus_incidents_count(inc);
    uint64_t bit = incident_doc_bit(did);
    for (size_t c = 0; c < nc; c++) {
        int best = 1;
        int best_local = 0;
        for (size_t i = 0; i < count; i++) {
            const casus_incident *p = casus_incidents_get(inc, i);
            int place;
            int local = doc_index(inc, i, bit, did) >= 0;
            int sc = name_score(&s, &cs[c], p, &place, !local);
            /* another document's attack is named by its place at least:
             * a year or a word like "people" is not enough across reports */
            if (!local && !place)
                continue;
            if (sc > best || (sc == best && sc >= 2 && local && !best_local)) {
                best = sc;
                best_local = local;
                cs[c].trigger = (long)i;
            }
        }
        cs[c].named = cs[c].trigger >= 0;
    }
    span ph[MAXCONN];
    for (size_t c = 0; c < nc; c++) {
        ph[c].start = s.w[cs[c].a].start;
        ph[c].end = s.w[cs[c].b - 1].end;
    }
    cand cd[MAXCAND];
    size_t ncand = candidates(inc, did, si, cs, ph, nc, ev, nev, cd, MAXCAND);
    if (!ncand)
        return CASUS_OK;
    /* phrases that name no attack by their words: the latest earlier one */
    for (size_t c = 0; c < nc; c++)
        if (cs[c].trigger < 0)
            cs[c].trigger = salient_attack(inc, did, si, cd[0].responder, cd, ncand);

    /* pairs by cost; each phrase once, each response once while others remain */
    int used_c[MAXCONN] = {0}, used_r[MAXCAND] = {0};
    for (;;) {
        long best_cost = -1;
        size_t bc = 0, br = 0;
        long best_lag = 0;
        int best_has = 0;
        int free_r = 0;
        for (size_t k = 0; k < ncand; k++)
            free_r |= !used_r[k];
        for (size_t c = 0; c < nc; c++) {
            if (used_c[c] || cs[c].trigger < 0)
                continue;
            const casus_incident *t = casus_incidents_get(inc, (size_t)cs[c].trigger);
            for (size_t k = 0; k < ncand; k++) {
                const cand *q = &cd[k];
                if ((used_r[k] && free_r) || (!q->is_event && q->idx == (size_t)cs[c].trigger))
                    continue;
                if (!attack_on(t, q->responder))
                    continue;
                long lag = 0;
                int pl = pair_lag(t, q, &lag);
                if (pl < 0 || (pl == 1 && cs[c].after && lag > AFTER_DAYS))
                    continue;
                long cost = pl == 1 ? lag : 1000;
                if (best_cost < 0 || cost < best_cost) {
                    best_cost = cost;
                    bc = c;
                    br = k;
                    best_lag = lag;
                    best_has = pl == 1;
                }
            }
        }
        if (best_cost < 0)
            break;
        char basis[64];
        snprintf(basis, sizeof basis, "text:%s", cs[bc].name);
        casus_status st = emit(r, inc, did, (size_t)cs[bc].trigger, &cd[br], best_lag,
                               best_has, basis, si, ev, nev);
        if (st != CASUS_OK)
            return st;
        used_c[bc] = used_r[br] = 1;
        if (!cd[br].is_event)
            linked[cd[br].idx] = 1;
    }
    return CASUS_OK;
}

/* Whether code b (a target) is a perpetrator of attack t: the two codes
 * share their first six letters or more ("IMGMUSISI" hits "IMGMUSISK"'s
 * parent; a country alone hits nothing). */
static int hits_code(const char *b, const casus_incident *t)
{
    size_t bn = strlen(b);
    for (size_t i = 0; i < t->n_perpetrators; i++) {
        const char *a = t->perpetrators[i].code;
        size_t an = strlen(a), m = an < bn ? an : bn;
        if (m >= 6 && !memcmp(a, b, m))
            return 1;
    }
    return 0;
}

/* Whether response p hits a perpetrator of attack t (a target of p). */
static int hits_perpetrator(const casus_incident *p, const casus_incident *t)
{
    for (size_t k = 0; k < p->n_targets; k++)
        if (hits_code(p->targets[k].code, t))
            return 1;
    return 0;
}

static casus_status near_links(casus_responses *r, const casus_incidents *inc,
                               const casus_doc *doc, const casus_event *ev, size_t nev,
                               const unsigned char *linked)
{
    const char *did = casus_doc_id(doc);
    size_t count = casus_incidents_count(inc);
    uint64_t bit = incident_doc_bit(did);
    for (size_t i = 0; i < count; i++) {
        /* the cheap tests first: this document is looked up in every
         * incident of the set (the masks lie together, the records apart) */
        if (linked[i] || !(incident_doc_mask(inc, i) & bit))
            continue;
        const casus_incident *p = casus_incidents_get(inc, i);
        long j = has_date(p) ? doc_index(inc, i, bit, did) : -1;
        const char *code;
        int state = j >= 0 ? incident_state(p, &code) : -1;
        if (state < 0)
            continue;
        cand c;
        memset(&c, 0, sizeof c);
        c.idx = i;
        c.dated = 1;
        c.lo = day_lo(p);
        c.hi = day_hi(p);
        if (p->has_location)
            snprintf(c.country, sizeof c.country, "%s", p->location_country);
        /* the state's event in a sentence that reports it; with no
         * perpetrator at all, that event names the state */
        c.event = -1;
        for (size_t k = 0; k < p->n_evidence && c.event < 0; k++)
            if (p->evidence[k].doc == (size_t)j)
                c.event = response_event(ev, nev, p->evidence[k].sentence_index,
                                         state ? code : "", c.country, !state);
        if (c.event < 0)
            continue;   /* no event of a state bears it out */
        code = state ? code : ev[c.event].source.code;
        snprintf(c.responder, sizeof c.responder, "%s", code);
        long best = -1, best_lag = 0;
        int best_on = 0;
        for (size_t t = 0; t < count; t++) {
            const casus_incident *q = casus_incidents_get(inc, t);
            int on;
            if (t == i || !has_date(q) || !(on = attack_on(q, code)) || by_country(q, code))
                continue;
            long lag;
            if (pair_lag(q, &c, &lag) != 1 || (c.lo < day_lo(q)))
                continue;
            /* time and place alone link too much (every attack in a
             * country to the next state action there): the response must
             * hit the attack's perpetrator */
            int actor = hits_perpetrator(p, q) ||
                        (c.event >= 0 && hits_code(ev[c.event].target.code, q));
            if (!actor || lag > ACTOR_DAYS)
                continue;
            if (best < 0 || lag < best_lag) {
                best = (long)t;
                best_lag = lag;
                best_on = on;
            }
        }
        if (best < 0)
            continue;
        char basis[64];
        snprintf(basis, sizeof basis, "actor+%s+time", best_on == 1 ? "place" : "target");
        size_t si = first_sentence(p, j);
        casus_status st = emit(r, inc, did, (size_t)best, &c, best_lag, 1, basis, si, ev, nev);
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- the set */

casus_status casus_responses_new(casus_ctx *ctx, casus_responses **out)
{
    *out = NULL;
    casus_responses *r = mem_alloc(ctx, sizeof *r);
    if (!r)
        return CASUS_ENOMEM;
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    *out = r;
    return CASUS_OK;
}

void casus_responses_free(casus_responses *r)
{
    if (!r)
        return;
    mem_free(r->ctx, r->v);
    mem_free(r->ctx, r);
}

casus_status casus_responses_add(casus_responses *r, const casus_incidents *inc,
                                 const casus_doc *doc, const casus_event *ev, size_t n,
                                 size_t *first)
{
    if (first)
        *first = r->n;
    size_t count = casus_incidents_count(inc), nsent;
    casus_doc_sentences(doc, &nsent);
    if (!count)
        return CASUS_OK;
    unsigned char *linked = mem_alloc(r->ctx, count);
    if (!linked)
        return CASUS_ENOMEM;
    memset(linked, 0, count);
    casus_status st = CASUS_OK;
    for (size_t si = 0; si < nsent && st == CASUS_OK; si++)
        st = text_links(r, inc, doc, si, ev, n, linked);
    if (st == CASUS_OK)
        st = near_links(r, inc, doc, ev, n, linked);
    mem_free(r->ctx, linked);
    return st;
}

size_t casus_responses_count(const casus_responses *r)
{
    return r ? r->n : 0;
}

const casus_response *casus_responses_get(const casus_responses *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

static casus_status put_json(casus_ctx *ctx, buf *b, const char *k, const char *v)
{
    casus_status rc = buf_printf(ctx, b, ",\"%s\":\"", k);
    if (rc == CASUS_OK)
        rc = buf_json_escape(ctx, b, v, strlen(v));
    if (rc == CASUS_OK)
        rc = buf_putc(ctx, b, '"');
    return rc;
}

casus_status casus_responses_write(const casus_responses *r, casus_sink *out)
{
    buf b = BUF_INIT;
    casus_status rc = CASUS_OK;
    for (size_t i = 0; i < r->n && rc == CASUS_OK; i++) {
        const casus_response *p = &r->v[i];
        buf_reset(&b);
        rc = buf_puts(r->ctx, &b, "{\"type\":\"response\"");
        if (!rc) rc = put_json(r->ctx, &b, "trigger", p->trigger);
        if (!rc) rc = put_json(r->ctx, &b, "response", p->response);
        if (!rc) rc = put_json(r->ctx, &b, "responder", p->responder);
        if (!rc && p->has_lag)
            rc = buf_printf(r->ctx, &b, ",\"lag_days\":%ld", p->lag_days);
        else if (!rc)
            rc = buf_puts(r->ctx, &b, ",\"lag_days\":null");
        if (!rc) rc = put_json(r->ctx, &b, "basis", p->basis);
        if (!rc) rc = put_json(r->ctx, &b, "doc_id", p->doc_id);
        if (!rc) rc = buf_printf(r->ctx, &b, ",\"sentence_index\":%zu}\n", p->sentence_index);
        if (rc == CASUS_OK && out->write(out->ud, b.p, b.n) != 0)
            rc = ctx_fail(r->ctx, CASUS_EIO, "cannot write response records");
    }
    buf_free(r->ctx, &b);
    return rc;
}
