/*
 * incident.c - the incident stage: from attack mentions to incident records.
 *
 * Runs after the linguistic core (casus_doc_parse: lemmas, heads,
 * relations), and calls the date (when.c), place (where.c) and dictionary
 * (match.c) stages. Per document:
 *
 *  1. Triggers. Per sentence, the words that mention an attack: verbs whose
 *     dictionary code is CAMEO 18x, 19x (not 191/192) or 20x, a few more
 *     ("target", "hit", "retaliate", "open fire"), and attack nouns
 *     ("bombing", "blast", "shooting", "stabbing", "strike", ...). Negated
 *     ("no attack", "did not attack"), modal ("could target") and
 *     infinitive ("to target") verbs are not triggers. A sentence without
 *     any tries the inflected attack verbs the tagger took for nouns.
 *  2. Frames. A trigger introduced by "after", "following" or "before"
 *     names an earlier incident ("two weeks after the Kerman attack"): its
 *     subtree is a reference frame of its own. The other triggers form
 *     frames left to right: a trigger joins the frame before it unless it
 *     brings a place or date that contradicts the frame's, or it is neither
 *     syntactically linked to the frame's triggers nor a bare continuation
 *     (a noun with its own determiner, a verb with its own subject starts a
 *     frame). Each word of the sentence belongs to the frame of the nearest
 *     trigger on its left (the first one when there is none), or to the
 *     reference frame whose subtree holds it; the dates, places, counts,
 *     method words and target words a frame owns are its evidence.
 *  3. Frame -> incident. A frame with a place or a date joins the earlier
 *     incident of the document whose place and date agree with it (at least
 *     one of them known on both sides, none contradicting); a frame without
 *     either (or a definite one: "the blasts") joins the salient incident
 *     (the last one of this sentence, else the most mentioned of the last two
 *     sentences) when compatible; so does one whose place and date match no
 *     incident when the salient one is this sentence's or has neither place
 *     nor date yet; otherwise it starts an incident, unless it says nothing
 *     at all (a generic plural: "ISKP attacks"). The document's main
 *     incident (most evidence) without a place takes the document's best.
 *  4. Roles. Perpetrators: actor phrases as the trigger's subject, "by X"
 *     agent, or modifier ("an IS attack"); "it"/"they" is the subject of the
 *     sentence before (its main verb's). A later frame in which only the
 *     struck state acts ("Instead, it [Tehran] has targeted X") answers the
 *     attack and is not part of it. "X claimed/took responsibility" -> claimed; "X
 *     blamed/accused Y" -> Y blamed, blamed_by X; "suspected", "believed to
 *     be", "linked to" -> suspected; an actor before an attacker noun ("IS
 *     militants") or in an attack's agent phrase ("planted by X") -> reported. Targets: objects, "on/against/at X",
 *     "targeting X", "the victims were X", typed by their words.
 *  5. Counts. number.c reads each figure; its role (killed, injured,
 *     casualties) comes from the words around it. In one frame two
 *     contradicting figures of one role make it null, with a warning;
 *     across mentions the later (publication date) and more specific
 *     (narrower range) report wins, the record keeping the range it saw.
 *  6. Dates. A frame's date is the first resolved date it owns (not "after
 *     X"/"since X" dates, which are not the incident's); anchored dates
 *     ("two weeks after the attack") resolve against the incident they refer
 *     to, or the salient one. An incident left without a date takes the
 *     publication date only when it is the document's first incident and
 *     its first mention is a past or present-perfect verb in a sentence
 *     with no date of its own.
 *
 * Across documents (casus_incidents_add after the first) a record merges
 * with an earlier document's record by the rule in docs/FORMATS.md. Records
 * of one document never merge with each other there: the text keeps them
 * apart. All memory comes from the context; per-sentence scratch is reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "ctx.h"
#include "dict.h"
#include "doc.h"
#include "incident.h"
#include "match.h"
#include "number.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/mem.h"
#include "when.h"
#include "where.h"

#define KEY 32          /* a lowercased lemma or form */
#define MAXTRIG 32      /* triggers per sentence */
#define MAXFRAME 16     /* frames per sentence */

enum { ROLE_KILLED = 0, ROLE_INJURED, ROLE_CASUALTIES, NROLES };

/* ---------------------------------------------------------------- records */

typedef struct inc_count {
    casus_count c;
    int set;
    long pub_day;     /* publication day of its report (LONG_MIN unknown) */
    int implicit;     /* counted from singular victims: any figure wins */
    size_t order;     /* report order, for "later wins" */
} inc_count;

typedef struct inc_rec {
    casus_incident pub;
    char **docs;
    size_t n_docs, cap_docs;
    uint64_t doc_mask;           /* incident_doc_bit of every docs[i] */
    casus_incident_evidence *ev;
    size_t n_ev, cap_ev;
    int has_date;
    long date_lo, date_hi;       /* day numbers */
    int date_prec;
    int has_place;
    where_place place;           /* strings borrowed from the gazetteer */
    int method_prio;
    inc_count cnt[NROLES];
    size_t mentions;
    size_t seq;                  /* which casus_incidents_add made it */
    int lead_past;               /* first mention a past main verb, no date */
    size_t first_sentence;
    int distinct;                /* opened by a reference ("after the attack"),
                                  * "another attack" or a generic plural */
    int cause;                   /* opened by a reference that is a clause
                                  * ("killed after militants ambushed a
                                  * party"): how the attack went, or an
                                  * earlier one ("after twin blasts killed
                                  * 30") */
    int seeded;                  /* from the store (incident_seed), not yet
                                  * joined by a document of this set */
    uint64_t own;                /* digest of the last added document's own
                                  * report (incident_own_digest) */
    size_t own_seq;              /* seq + 1 of that document; 0 none */
    size_t own_ev, n_own_ev;     /* its evidence: s->own_ev[own_ev..+n) */
    size_t own_pub;              /* its record alone: s->own_pub[own_pub] */
} inc_rec;

#define MW_BUCKET 24
#define MW_ALL 0xff

struct casus_incidents {
    casus_ctx *ctx;
    const casus_dicts *d;
    where_index *ix;
    inc_rec *v;
    size_t n, cap;
    uint64_t *masks;             /* v[i].doc_mask, side by side */
    size_t cap_masks;
    inc_rec *loc;                /* this document's incidents */
    size_t n_loc, cap_loc;
    size_t seq, order;
    where_vec places;
    const match_seq *ms;      /* the sentence's, borrowed from the document */
    /* method_words by first letter, in table order (method_index_s);
     * mw_n[l] is MW_ALL when the letter has more than MW_BUCKET */
    uint16_t mw_idx[26][MW_BUCKET];
    uint8_t mw_n[26];
    int mw_other;                /* a method word starts with no a-z */
    /* per-sentence scratch */
    char (*key)[KEY];            /* lowercased lemma per word */
    char (*low)[KEY];            /* lowercased form per word */
    int *lo, *hi, *owner;
    size_t cap_words;
    /* relation ids */
    uint8_t r_nsubj, r_nsubjpass, r_obj, r_obl, r_oblagent, r_nmod, r_poss,
        r_compound, r_amod, r_case, r_mark, r_conj, r_appos, r_aux, r_auxpass,
        r_det, r_nummod, r_advcl, r_acl, r_relcl, r_xcomp, r_advmod;
    /* salience: incidents of the frames of the last sentences */
    size_t recent_inc[64], recent_sent[64];
    size_t n_recent;
    /* the subject actor of the previous sentence, for "it"/"they" */
    char prev_subj[96], prev_code[32];
    int have_prev;
    struct frame *fr;            /* MAXFRAME frames of a sentence */
    incident_seeder seeder;      /* the store's lookup (incident_set_seeder) */
    void *seeder_ud;
    incident_key *keys;
    size_t cap_keys;
    casus_incident_evidence *own_ev;   /* the last document's own evidence */
    size_t n_own_ev, cap_own_ev;
    casus_incident *own_pub;     /* and its own records, as published alone */
    size_t n_own_pub, cap_own_pub;
};

const char *casus_perp_status_name(unsigned s)
{
    static const char *const names[] = {"reported", "claimed", "blamed", "suspected"};
    return s < 4 ? names[s] : "reported";
}

/* ---------------------------------------------------------------- word tables */

/* The word tables are searched for every word of every sentence: the first
 * letter is compared before the call. */
static int in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == w[0] && !strcmp(w, list[i]))
            return 1;
    return 0;
}

static const char *const attack_nouns[] = {
    "attack", "bombing", "bomb", "blast", "explosion", "shooting", "stabbing",
    "massacre", "strike", "airstrike", "raid", "ambush", "assault", "kidnapping",
    "abduction", "assassination", "hijacking", "shelling", "killing", "arson",
    "rampage", "shootout", "gunfight", "beheading", "car-bombing", "airstrikes",
    "firefight", "clash", "encounter", NULL};

static const char *const extra_verbs[] = {"target", "hit", "retaliate", "storm", "explode",
                                          "detonate", "torch", "behead", "wound", "injure",
                                          "gun", "massacre", "murder", "kidnap", "abduct",
                                          "shoot", "bomb", "stab", "ambush", "assassinate",
                                          "hijack", "execute", "lynch", "firebomb", "ram",
                                          "hack", "decapitate", "raid", "shell", "incinerate", "crucify", "dynamite",
                                          NULL};

static const char *const modal_words[] = {"could", "may", "might", "would", "will",
                                          "should", "can", "must", "shall", "'ll", NULL};

static const char *const neg_words[] = {"no", "not", "n't", "never", "without", NULL};

/* Method words, by priority (a frame keeps the highest). */
static const struct {
    const char *w;
    const char *mode;
    int prio;
} method_words[] = {
    {"suicide", "suicide-attack", 30},
    {"chemical", "unconventional", 11}, {"sarin", "unconventional", 11},
    {"kidnap", "abduct", 5}, {"kidnapping", "abduct", 5}, {"abduct", "abduct", 5},
    {"abduction", "abduct", 5}, {"hostage", "abduct", 5}, {"hijack", "abduct", 5},
    {"hijacking", "abduct", 5}, {"hijacker", "abduct", 5},
    {"drone", "drone", 9}, {"uav", "drone", 9},
    {"airstrike", "aerial", 8}, {"warplane", "aerial", 8}, {"jet", "aerial", 8},
    {"helicopter", "aerial", 8}, {"aircraft", "aerial", 8},
    {"missile", "heavy-weapons", 7}, {"rocket", "heavy-weapons", 7},
    {"artillery", "heavy-weapons", 7}, {"shelling", "heavy-weapons", 7},
    {"mortar", "heavy-weapons", 7}, {"shell", "heavy-weapons", 7},
    {"tank", "heavy-weapons", 7},
    {"bomb", "explosives", 6}, {"bombing", "explosives", 6}, {"bomber", "explosives", 6},
    {"blast", "explosives", 6}, {"explosion", "explosives", 6},
    {"explosive", "explosives", 6}, {"explode", "explosives", 6},
    {"detonate", "explosives", 6}, {"ied", "explosives", 6}, {"grenade", "explosives", 6},
    {"landmine", "explosives", 6}, {"mine", "explosives", 6}, {"booby", "explosives", 6},
    {"vbied", "explosives", 6}, {"rpg", "heavy-weapons", 7}, {"car-bomb", "explosives", 6},
    {"gunman", "firearms", 5}, {"gunmen", "firearms", 5}, {"shooting", "firearms", 5},
    {"shoot", "firearms", 5}, {"gunfire", "firearms", 5}, {"gun", "firearms", 5},
    {"rifle", "firearms", 5}, {"sniper", "firearms", 5}, {"gunshot", "firearms", 5},
    {"shootout", "firearms", 5}, {"gunfight", "firearms", 5}, {"pistol", "firearms", 5},
    {"shot", "firearms", 5}, {"armed", "firearms", 1}, {"gunned", "firearms", 5},
    {"ambush", "firearms", 1}, {"fire", "firearms", 1}, {"raid", "firearms", 1},
    {"storm", "firearms", 1}, {"clash", "firearms", 1},
    /* armed men and fights with no weapon named: small arms, the lowest
     * cue ("militants attacked a post, killing three") */
    {"militant", "firearms", 1}, {"insurgent", "firearms", 1}, {"rebel", "firearms", 1},
    {"guerrilla", "firearms", 1}, {"fighter", "firearms", 1}, {"terrorist", "firearms", 1},
    {"attacker", "firearms", 1}, {"assailant", "firearms", 1}, {"jihadist", "firearms", 1},
    {"militia", "firearms", 1}, {"militiaman", "firearms", 1}, {"militiamen", "firearms", 1},
    {"encounter", "firearms", 1}, {"firefight", "firearms", 1}, {"gunbattle", "firearms", 1},
    {"fighting", "firearms", 1}, {"battle", "firearms", 1}, {"commando", "firearms", 1},
    {"firebomb", "explosives", 6}, {"incendiary", "primitive", 3}, {"burn", "primitive", 3},
    /* the kind of killing, not the weapon: any weapon word says more */
    {"assassinate", "targeted", 2}, {"assassination", "targeted", 2},
    {"massacre", "targeted", 2}, {"execute", "targeted", 2},
    {"stab", "primitive", 3}, {"stabbing", "primitive", 3}, {"knife", "primitive", 3},
    {"machete", "primitive", 3}, {"axe", "primitive", 3}, {"sword", "primitive", 3},
    {"arson", "primitive", 3}, {"torch", "primitive", 3}, {"behead", "primitive", 3},
    {"beheading", "primitive", 3}, {"hack", "primitive", 3},
    {"beat", "beat", 2}, {"beating", "beat", 2}, {"lynch", "beat", 2},
    {"beaten", "beat", 2}, {"incinerate", "primitive", 3}, {"dynamite", "explosives", 6},
};

static int method_index(const char *w)
{
    for (size_t i = 0; i < sizeof method_words / sizeof method_words[0]; i++)
        if (method_words[i].w[0] == w[0] && !strcmp(w, method_words[i].w))
            return (int)i;
    return -1;
}

/* method_index with the words of the first letter only: the method of
 * every word of an attack's sentence is looked up, most are none. */
static void method_words_index(casus_incidents *s)
{
    for (size_t i = 0; i < sizeof method_words / sizeof method_words[0]; i++) {
        unsigned l = (unsigned)(unsigned char)method_words[i].w[0] - 'a';
        if (l >= 26)
            s->mw_other = 1;
        else if (s->mw_n[l] < MW_BUCKET)
            s->mw_idx[l][s->mw_n[l]++] = (uint16_t)i;
        else
            s->mw_n[l] = MW_ALL;
    }
}

static int method_index_s(const casus_incidents *s, const char *w)
{
    unsigned l = (unsigned)(unsigned char)w[0] - 'a';
    if (l >= 26)
        return s->mw_other ? method_index(w) : -1;
    if (s->mw_n[l] == MW_ALL)
        return method_index(w);
    for (size_t j = 0; j < s->mw_n[l]; j++)
        if (!strcmp(w, method_words[s->mw_idx[l][j]].w))
            return s->mw_idx[l][j];
    return -1;
}

const char *incident_method_word(const char *lemma)
{
    int i = method_index(lemma);
    return i < 0 ? NULL : method_words[i].mode;
}

static int method_family(const char *m)
{
    if (!strcmp(m, "explosives") || !strcmp(m, "suicide-attack"))
        return 1;
    if (!strcmp(m, "aerial") || !strcmp(m, "drone") || !strcmp(m, "heavy-weapons"))
        return 2;
    if (!strcmp(m, "firearms") || !strcmp(m, "targeted"))
        return 3;
    if (!strcmp(m, "primitive") || !strcmp(m, "beat"))
        return 4;
    return 5 + (int)(unsigned char)m[0];
}

int incident_methods_compatible(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 1;
    return !strcmp(a, b) || method_family(a) == method_family(b);
}

static const struct {
    const char *w, *type;
} target_words[] = {
    {"civilian", "civilians"}, {"people", "civilians"}, {"person", "civilians"},
    {"worshipper", "civilians"}, {"worshiper", "civilians"}, {"pilgrim", "civilians"},
    {"crowd", "civilians"}, {"gathering", "civilians"}, {"passenger", "civilians"},
    {"villager", "civilians"}, {"resident", "civilians"}, {"child", "civilians"},
    {"woman", "civilians"}, {"shopper", "civilians"}, {"market", "civilians"},
    {"wedding", "civilians"}, {"funeral", "civilians"}, {"mourner", "civilians"},
    {"tourist", "civilians"}, {"local", "civilians"}, {"family", "civilians"},
    {"bus", "civilians"}, {"village", "civilians"}, {"rally", "civilians"},
    {"soldier", "military"}, {"troop", "military"}, {"army", "military"},
    {"military", "military"}, {"base", "military"}, {"checkpoint", "military"},
    {"parade", "military"}, {"convoy", "military"}, {"barracks", "military"},
    {"garrison", "military"}, {"serviceman", "military"}, {"position", "military"},
    {"police", "police"}, {"policeman", "police"}, {"policemen", "police"},
    {"cop", "police"}, {"gendarme", "police"}, {"constable", "police"},
    {"official", "government"}, {"minister", "government"}, {"ministry", "government"},
    {"government", "government"}, {"parliament", "government"},
    {"governor", "government"}, {"politician", "government"}, {"mayor", "government"},
    {"lawmaker", "government"}, {"legislator", "government"}, {"judge", "government"},
    {"court", "government"}, {"president", "government"},
    {"shrine", "religious site"}, {"mosque", "religious site"},
    {"church", "religious site"}, {"temple", "religious site"},
    {"synagogue", "religious site"}, {"mausoleum", "religious site"},
    {"tomb", "religious site"}, {"monastery", "religious site"},
    {"cathedral", "religious site"}, {"gurdwara", "religious site"},
    {"journalist", "media"}, {"reporter", "media"}, {"newspaper", "media"},
    {"school", "education"}, {"university", "education"}, {"college", "education"},
    {"student", "education"}, {"teacher", "education"},
    {"embassy", "diplomatic"}, {"consulate", "diplomatic"}, {"diplomat", "diplomatic"},
    {"hotel", "business"}, {"restaurant", "business"}, {"bank", "business"},
    {"shop", "business"}, {"mall", "business"}, {"cafe", "business"},
    {"pipeline", "infrastructure"}, {"bridge", "infrastructure"},
    {"airport", "infrastructure"}, {"railway", "infrastructure"},
    {"train", "infrastructure"},
    {"hideout", "armed group"}, {"militant", "armed group"}, {"insurgent", "armed group"},
    {"rebel", "armed group"}, {"camp", "armed group"},
};

const char *incident_target_type(const char *lemma)
{
    for (size_t i = 0; i < sizeof target_words / sizeof target_words[0]; i++)
        if (target_words[i].w[0] == lemma[0] && !strcmp(lemma, target_words[i].w))
            return target_words[i].type;
    return NULL;
}

static const char *const time_words[] = {"second", "minute", "hour", "day", "week", "month",
                                         "year", "decade", "century", "time", NULL};

static const char *const weapon_words[] = {"missile", "rocket", "drone", "bomb", "shell",
                                           "mortar", "grenade", "bullet", "shot",
                                           "artillery", "round", "explosive", NULL};

/* ---------------------------------------------------------------- helpers */

static void lower_copy(char out[KEY], const char *s, size_t n)
{
    if (n >= KEY)
        n = KEY - 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[n] = '\0';
}

static uint8_t rel_id(const char *name)
{
    for (unsigned i = 1; i < casus_deprel_count(); i++)
        if (!strcmp(casus_deprel_name(i), name))
            return (uint8_t)i;
    return 0xff;
}

static void copy_text(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    /* no line breaks inside a name */
    for (size_t i = 0; i < n; i++)
        if (dst[i] == '\n' || dst[i] == '\r' || dst[i] == '\t')
            dst[i] = ' ';
}

/* The normalised text of words [a, b) of a sentence. */
static void span_text(const casus_token *w, size_t a, size_t b, char *dst, size_t cap)
{
    if (a >= b) {
        dst[0] = '\0';
        return;
    }
    const char *p = w[a].form.p;
    const char *e = w[b - 1].form.p + w[b - 1].form.n;
    copy_text(dst, cap, p, (size_t)(e - p));
}

/* A verb lemma that lost its final "e" ("exploded" -> "explod",
 * "massacred" -> "massacr"): put it back when the form is that stem plus
 * "ed"/"es"/"ing" and the stem plus "e" is a verb of the dictionaries or of
 * the tables here. */
static void fix_lemma(const casus_incidents *s, char key[KEY], const char *low)
{
    size_t n = strlen(key), m = strlen(low);
    if (n < 3 || n + 2 >= KEY || key[n - 1] == 'e' || m < n + 2 || strncmp(low, key, n) ||
        (strcmp(low + n, "ed") && strcmp(low + n, "es") && strcmp(low + n, "ing")))
        return;
    const char *code = NULL;
    if (casus_dicts_lookup_verb(s->d, key, &code) == CASUS_OK && code)
        return;
    key[n] = 'e';
    key[n + 1] = '\0';
    code = NULL;
    if ((casus_dicts_lookup_verb(s->d, key, &code) == CASUS_OK && code) ||
        in_list(key, extra_verbs) || method_index(key) >= 0)
        return;
    key[n] = '\0';
}

/* ---------------------------------------------------------------- sentence view */

typedef struct sview {
    casus_incidents *s;
    casus_doc *doc;
    const casus_token *w;
    size_t n;                  /* words */
    size_t si;                 /* sentence index */
    const casus_sentence *sent;
    int parsed;
    const where_place **pl;    /* the sentence's places */
    size_t npl;
} sview;

#define K(v, i) ((v)->s->key[i])
#define LOW(v, i) ((v)->s->low[i])

/* Head of word i (0-based), or -1. */
static long head_of(const sview *v, size_t i)
{
    int32_t h = v->w[i].head;
    if (h <= 0 || (size_t)h > v->n)
        return -1;
    return (long)h - 1;
}

static int has_child(const sview *v, size_t h, uint8_t rel, const char *const *words)
{
    for (size_t i = 0; i < v->n; i++)
        if (head_of(v, i) == (long)h && (rel == 0xff || v->w[i].deprel == rel) &&
            (!words || in_list(K(v, i), words)))
            return 1;
    return 0;
}

static long child(const sview *v, size_t h, uint8_t rel)
{
    for (size_t i = 0; i < v->n; i++)
        if (head_of(v, i) == (long)h && v->w[i].deprel == rel)
            return (long)i;
    return -1;
}

/* Computes every word's subtree span [lo, hi]. */
static void subtrees(sview *v)
{
    casus_incidents *s = v->s;
    for (size_t i = 0; i < v->n; i++)
        s->lo[i] = s->hi[i] = (int)i;
    for (size_t i = 0; i < v->n; i++) {
        long h = head_of(v, i);
        for (int depth = 0; h >= 0 && depth < 64; depth++) {
            if ((int)i < s->lo[h])
                s->lo[h] = (int)i;
            if ((int)i > s->hi[h])
                s->hi[h] = (int)i;
            h = head_of(v, (size_t)h);
        }
    }
}

static int is_ancestor(const sview *v, size_t a, size_t i)
{
    long h = (long)i;
    for (int depth = 0; h >= 0 && depth < 64; depth++) {
        if (h == (long)a)
            return 1;
        h = head_of(v, (size_t)h);
    }
    return 0;
}

/* ---------------------------------------------------------------- actors */

typedef struct actor_hit {
    size_t a, b;               /* words [a, b) */
    char code[32];
} actor_hit;

#define MAXACT 24

static size_t find_actors(sview *v, actor_hit *out, size_t cap, dict_day day)
{
    casus_incidents *s = v->s;
    size_t k = 0;
    const match_seq *q = s->ms;
    for (size_t i = 0; i < q->n && k < cap;) {
        match_hit h;
        if (match_at(s->d, DICT_ACTORS, q, v->w, i, &h)) {
            actor_hit *a = &out[k++];
            a->a = q->tok[h.start];
            a->b = q->tok[h.end - 1] + 1;
            const char *code = match_actor_code(s->d, h.entry, day);
            match_hit g;
            size_t j = h.end;
            if (j < q->n && match_at(s->d, DICT_AGENTS, q, v->w, j, &g)) {
                match_combine(s->d, code, g.entry, a->code, sizeof a->code);
            } else {
                snprintf(a->code, sizeof a->code, "%s", code);
            }
            i = h.end;
            /* a lower-case word does not name a country: "a car bomb" is
             * not the Central African Republic (CAR) */
            if (a->b == a->a + 1 && code && strlen(code) == 3 &&
                !match_is_upper(v->w[a->a].form.p, 1))
                k--;
            continue;
        }
        i++;
    }
    return k;
}

/* ---------------------------------------------------------------- frames */

typedef struct fcount {
    int role;
    int left;          /* its role word came before it ("killing 38 ...") */
    int implicit;      /* counted from singular victims ("a policeman was
                          killed"), not read from a figure */
    char noun[KEY];    /* the lemma of the noun it counts ("soldier"); "" */
    num_range r;
    size_t pos;
    size_t len;        /* words of the figure; 0 when implicit */
    int partner;       /* another member of a counted noun's coordination */
} fcount;


#define FMAX 8

typedef struct frame {
    int is_ref;                /* a reference frame ("after the attack") */
    int ref_clause;            /* ... whose first trigger is a verb ("after
                                * militants ambushed a police party") */
    int definite;              /* "the/these/this" trigger */
    int plural_only;           /* every trigger a bare plural noun */
    int series;                /* "the string of ISKP attacks": several
                                * incidents told before, none of them */
    int another;               /* "another/a separate/a second attack" */
    int verb_past;             /* its first trigger is a past/perfect verb */
    size_t first_trig;
    int has_date;
    when_date date;
    const where_place *places[FMAX];
    size_t n_places;
    fcount counts[FMAX];
    size_t n_counts;
    casus_incident_party perps[FMAX];
    size_t n_perps;
    casus_incident_party targets[FMAX];
    size_t n_targets;
    const char *method;
    int method_prio;
    int inc;                   /* its local incident; -1 none */
    const where_place *hint;   /* a country named as an actor ("Pakistan
                                  condemned the strike"): picks among
                                  incidents, never sets the place */
    int again;                 /* 1 + the date of an "and again in DATE"
                                  it owns: a repetition; 0 none */
    int copy_of;               /* a repetition: the frame it repeats; -1 */
} frame;

/* Whether an actor code is a non-state armed group's (groups.txt: REB,
 * INS, SEP, UAF roles, IMG transnational groups). */
static int armed_group(const char *code)
{
    static const char *const roles[] = {"REB", "INS", "SEP", "UAF", NULL};
    if (!strncmp(code, "IMG", 3))
        return 1;
    if (strlen(code) < 6)
        return 0;
    char r[4] = {code[3], code[4], code[5], '\0'};
    return in_list(r, roles);
}

static void add_party(casus_incident_party *arr, size_t *n, const casus_incident_party *p)
{
    for (size_t i = 0; i < *n; i++) {
        casus_incident_party *q = &arr[i];
        int same = (*p->code && !strcmp(p->code, q->code)) || !strcmp(p->name, q->name);
        if (same) {
            /* a stronger status replaces: claimed > blamed/suspected > reported */
            if (p->status == CASUS_PERP_CLAIMED ||
                (q->status == CASUS_PERP_REPORTED && p->status != CASUS_PERP_REPORTED)) {
                q->status = p->status;
                memcpy(q->blamed_by, p->blamed_by, sizeof q->blamed_by);
            }
            if (!*q->type && *p->type)
                memcpy(q->type, p->type, sizeof q->type);
            return;
        }
    }
    if (*n < CASUS_INCIDENT_MAX_PARTIES && *n < FMAX)
        arr[(*n)++] = *p;
}

/* Perpetrator parties from the actors inside words [a, b]. */
static void perps_in(sview *v, const actor_hit *act, size_t n_act, size_t a, size_t b,
                     unsigned status, const char *by, frame *f)
{
    for (size_t k = 0; k < n_act; k++) {
        /* inside the span, or overlapping it by all but two words (the
         * parse may hang "Islamic" of "Islamic State kills" elsewhere) */
        size_t out = (act[k].a < a ? a - act[k].a : 0) + (act[k].b > b + 1 ? act[k].b - b - 1 : 0);
        if (act[k].b <= a || act[k].a > b || out > 2 || out >= act[k].b - act[k].a)
            continue;
        /* a place inside the phrase: "carried out by the IS in Iran" */
        static const char *const locw[] = {"in", "at", "near", "inside", "across", "within",
                                           "outside", "throughout", NULL};
        if (act[k].a > 0 && act[k].a > a && in_list(LOW(v, act[k].a - 1), locw))
            continue;
        casus_incident_party p;
        memset(&p, 0, sizeof p);
        span_text(v->w, act[k].a, act[k].b, p.name, sizeof p.name);
        snprintf(p.code, sizeof p.code, "%s", act[k].code);
        p.status = (uint8_t)status;
        if (by)
            snprintf(p.blamed_by, sizeof p.blamed_by, "%s", by);
        add_party(f->perps, &f->n_perps, &p);
    }
}

/* A group the dictionaries do not know, named in a subject or agent
 * phrase: its longest run of proper nouns that is not a place ("the
 * Protestant Ulster Volunteer Force", "militants of the MIR"). No code. */
static void propn_perp(sview *v, size_t a, size_t b, unsigned status, frame *f)
{
    size_t best_a = 0, best_n = 0;
    for (size_t i = a; i <= b && i < v->n;) {
        if (v->w[i].upos != CASUS_UPOS_PROPN) {
            i++;
            continue;
        }
        size_t j = i;
        while (j <= b && j < v->n &&
               (v->w[j].upos == CASUS_UPOS_PROPN ||
                (!strcmp(LOW(v, j), "-") && j + 1 <= b && v->w[j + 1].upos == CASUS_UPOS_PROPN)))
            j++;
        int place = 0;
        for (size_t q = 0; q < v->npl; q++) {
            size_t w0 = v->pl[q]->first_token - v->sent->first_token;
            if (w0 >= i && w0 < j)
                place = 1;
        }
        if (!place && j - i > best_n) {
            best_a = i;
            best_n = j - i;
        }
        i = j;
    }
    if (!best_n || best_n > 8)
        return;
    casus_incident_party p;
    memset(&p, 0, sizeof p);
    span_text(v->w, best_a, best_a + best_n, p.name, sizeof p.name);
    p.status = (uint8_t)status;
    add_party(f->perps, &f->n_perps, &p);
}

static int is_pronoun_subject(const sview *v, size_t i)
{
    static const char *const pro[] = {"it", "they", "he", "she", NULL};
    return in_list(LOW(v, i), pro) ||
           (!strcmp(K(v, i), "group") && v->s->lo[i] == (int)i - 1 &&
            !strcmp(LOW(v, i - 1), "the"));
}

static const char *const attacker_nouns[] = {
    "militant", "militants", "insurgent", "insurgents", "gunman", "gunmen", "rebel", "rebels",
    "terrorist", "terrorists", "guerrilla", "guerrillas", "jihadist", "jihadists", "extremist",
    "extremists", "attacker", "attackers", "assailant", "assailants", "bandit", "bandits",
    "herdsman", "herdsmen", "separatist", "separatists", "militiaman", "militiamen", NULL};

/* Perpetrators of a subject/agent word h: its actors, or for a pronoun the
 * previous sentence's subject. */
static void perps_of(sview *v, const actor_hit *act, size_t n_act, size_t h, frame *f)
{
    casus_incidents *s = v->s;
    size_t a = (size_t)s->lo[h], b = (size_t)s->hi[h];
    unsigned status = CASUS_PERP_REPORTED;
    static const char *const susp[] = {"suspected", "alleged", "presumed", "suspect", NULL};
    for (size_t i = a; i <= b; i++)
        if (in_list(LOW(v, i), susp))
            status = CASUS_PERP_SUSPECTED;
    size_t before = f->n_perps;
    perps_in(v, act, n_act, a, b, status, NULL, f);
    if (f->n_perps == before)
        propn_perp(v, a, b, status, f);
    /* no name, but armed men: "by militants", "suspected Islamic
     * militants", "unknown gunmen" (no code) */
    if (f->n_perps == before && (in_list(K(v, h), attacker_nouns) ||
                                 in_list(LOW(v, h), attacker_nouns))) {
        size_t x = h;
        while (x > a && (v->w[x - 1].upos == CASUS_UPOS_ADJ || v->w[x - 1].upos == CASUS_UPOS_PROPN ||
                         v->w[x - 1].upos == CASUS_UPOS_NOUN) &&
               !in_list(LOW(v, x - 1), susp))
            x--;
        casus_incident_party p;
        memset(&p, 0, sizeof p);
        span_text(v->w, x, h + 1, p.name, sizeof p.name);
        p.status = (uint8_t)status;
        add_party(f->perps, &f->n_perps, &p);
    }
    if (f->n_perps == before && is_pronoun_subject(v, h) && s->have_prev) {
        casus_incident_party p;
        memset(&p, 0, sizeof p);
        memcpy(p.name, s->prev_subj, sizeof p.name);
        memcpy(p.code, s->prev_code, sizeof p.code);
        p.status = (uint8_t)status;
        add_party(f->perps, &f->n_perps, &p);
    }
}

/* A target phrase headed by word h. */
static void target_of(sview *v, const actor_hit *act, size_t n_act, size_t h, frame *f)
{
    casus_incidents *s = v->s;
    if (in_list(K(v, h), weapon_words))
        return;
    if (v->w[h].upos == CASUS_UPOS_PRON)
        return;
    casus_incident_party p;
    memset(&p, 0, sizeof p);
    /* the phrase: its subtree, without a leading determiner, at most 8 words */
    size_t a = (size_t)s->lo[h], b = h + 1;
    while (a < h && (v->w[a].upos == CASUS_UPOS_DET || v->w[a].upos == CASUS_UPOS_PUNCT ||
                     v->w[a].upos == CASUS_UPOS_ADP || v->w[a].upos == CASUS_UPOS_CCONJ) &&
           /* "at least 21 people" keeps its "at" */
           !(a + 1 < v->n && (!strcmp(LOW(v, a + 1), "least") || !strcmp(LOW(v, a + 1), "most"))))
        a++;
    /* a name after the head: "the group Jaish al-Adl", "the city of X" */
    while (b < v->n && b <= (size_t)s->hi[h] && (v->w[b].upos == CASUS_UPOS_PROPN ||
                                                  !strcmp(LOW(v, b), "-")) && b < h + 5)
        b++;
    /* the name parsed as a second object of the same verb ("to target
     * anti-Iran Sunni insurgent group Jaish al-Adl": obj group, obj Jaish)
     * is still this phrase's name: it follows the head's subtree directly */
    size_t named = 0;
    if (b == (size_t)s->hi[h] + 1 && b < v->n && v->w[b].upos == CASUS_UPOS_PROPN &&
        head_of(v, b) == head_of(v, h) && v->w[b].deprel == v->w[h].deprel &&
        (size_t)s->hi[b] < h + 6) {
        b = (size_t)s->hi[b] + 1;
        named = b;
    }
    span_text(v->w, a, b, p.name, sizeof p.name);
    b = named ? named : (size_t)s->hi[h] + 1;
    const char *t = incident_target_type(K(v, h));
    for (size_t i = a; !t && i < b; i++)
        t = incident_target_type(K(v, i));
    for (size_t k = 0; k < n_act; k++)
        if (act[k].a >= a && act[k].b <= b) {
            snprintf(p.code, sizeof p.code, "%s", act[k].code);
            break;
        }
    if (!t && !*p.code)
        return;   /* not a target we can say anything about */
    if (t)
        snprintf(p.type, sizeof p.type, "%s", t);
    add_party(f->targets, &f->n_targets, &p);
    /* coordinated targets: "the parliament and the Khomeini mausoleum" */
    for (size_t i = 0; i < v->n; i++)
        if (head_of(v, i) == (long)h && v->w[i].deprel == s->r_conj)
            target_of(v, act, n_act, i, f);
}

/* ---------------------------------------------------------------- counts */

static int form_is_attack_verb(const sview *v, size_t k);

static int kill_word(const char *k)
{
    static const char *const w[] = {"kill", "killed", "kills", "killing", "die", "dies", "dead",
                                    "death", "fatality", "slay", "murder", "behead", "execute",
                                    "massacre", "perish", "body", "life", "decapitate",
                                    "decapitated", "assassinate", "assassinated", "corpse",
                                    NULL};
    return in_list(k, w);
}

static int injure_word(const char *k)
{
    static const char *const w[] = {"injure", "injured", "injures", "injuring", "wound",
                                    "wounded", "wounds", "wounding", "hurt", "maim", "injury",
                                    "injurie", NULL};
    return in_list(k, w);
}

/* A verb that kills by its phrase: "shot/stabbed/burned to death",
 * "gunned down". */
static int kills_by_phrase(const sview *v, size_t p)
{
    for (size_t j = p + 1; j < v->n && j <= p + 6; j++) {
        if (!strcmp(LOW(v, j), "death") && !strcmp(LOW(v, j - 1), "to"))
            return 1;
        /* "burned 5 civilians alive" */
        if (!strcmp(LOW(v, j), "alive") && !strcmp(K(v, p), "burn"))
            return 1;
        if (j == p + 1 && !strcmp(K(v, p), "gun") && !strcmp(LOW(v, j), "down"))
            return 1;
        if (v->w[j].upos == CASUS_UPOS_PUNCT || v->w[j].upos == CASUS_UPOS_VERB)
            break;
    }
    return 0;
}

/* "fatally shot", "mortally wounded", "fatally stabbed": a verb that
 * hurts, made a kill by its adverb (the word before it or a modifier) */
static int fatally(const sview *v, size_t p)
{
    static const char *const adv[] = {"fatally", "mortally", NULL};
    return (p > 0 && in_list(LOW(v, p - 1), adv)) || has_child(v, p, v->s->r_advmod, adv);
}

/* "were shot and killed", "were dragged from their car and killed": a kill
 * verb joined to verb p without a subject of its own shares p's. */
static int kill_conj(const sview *v, size_t p)
{
    for (size_t j = p + 1; j < v->n && j <= p + 8; j++)
        if (head_of(v, j) == (long)p && v->w[j].deprel == v->s->r_conj &&
            (kill_word(K(v, j)) || kill_word(LOW(v, j)) || kills_by_phrase(v, j) ||
             (!strcmp(K(v, j), "shoot") && j + 1 < v->n && !strcmp(LOW(v, j + 1), "dead"))) &&
            child(v, j, v->s->r_nsubj) < 0 && child(v, j, v->s->r_nsubjpass) < 0)
            return 1;   /* not "13 vehicles were destroyed and 4 people killed" */
    return 0;
}

/* The lemma of the noun the count at words [i, i + len) counts, into out
 * ("" when none or a generic one: "people", "persons"); by the parse,
 * else the noun run right after it. */
static void counted_noun(const sview *v, size_t i, size_t len, char out[KEY])
{
    static const char *const generic[] = {"people", "person", "persons", "individual", NULL};
    const casus_incidents *s = v->s;
    out[0] = '\0';
    long x = -1;
    int noun = 0;
    size_t k = i + len - 1;
    long h = head_of(v, k);
    if (v->w[k].deprel == s->r_nummod && h > (long)k) {
        x = h;
        for (int depth = 0; depth < 4 && v->w[x].deprel == s->r_compound &&
                            head_of(v, (size_t)x) > x; depth++)
            x = head_of(v, (size_t)x);
        noun = v->w[x].upos == CASUS_UPOS_NOUN || v->w[x].upos == CASUS_UPOS_PROPN;
    } else if (i + len < v->n && (v->w[i + len].upos == CASUS_UPOS_NOUN ||
                                  v->w[i + len].upos == CASUS_UPOS_PROPN ||
                                  v->w[i + len].upos == CASUS_UPOS_ADJ)) {
        /* the run of nouns after it; an adjective ending the run is a
         * noun the tagger missed ("1 civilian were killed") */
        x = (long)(i + len);
        while ((size_t)x + 1 < v->n && x < (long)(i + len + 3) &&
               (v->w[x + 1].upos == CASUS_UPOS_NOUN || v->w[x + 1].upos == CASUS_UPOS_PROPN))
            x++;
        noun = 1;
    }
    if (noun && !in_list(K(v, (size_t)x), generic) && !in_list(LOW(v, (size_t)x), generic))
        memcpy(out, K(v, (size_t)x), KEY);
}

/* The role the parse gives the count at words [i, i + len): the count, or
 * the noun it counts, is the subject or object of a kill or injure word,
 * itself or as a conjunct ("Two members of the RUC were killed", "killing
 * 35 civilians", "6 soldiers die", "were shot dead"); -1 when it is not.
 * *left: the role word comes before the count. */
static int dep_count_role(const sview *v, size_t i, size_t len, int *left)
{
    const casus_incidents *s = v->s;
    static const char *const dead[] = {"dead", NULL};
    if (!v->parsed)
        return -1;
    long x = (long)(i + len - 1);
    long h = head_of(v, (size_t)x);
    if (v->w[x].deprel == s->r_nummod && h >= 0)
        x = h;
    /* "Two police officers", "Four Border Security Force personnel" */
    for (int depth = 0; depth < 4 && v->w[x].deprel == s->r_compound && head_of(v, (size_t)x) > x;
         depth++)
        x = head_of(v, (size_t)x);
    for (int depth = 0; depth < 3; depth++) {
        uint8_t r = v->w[x].deprel;
        long p = head_of(v, (size_t)x);
        if (p < 0)
            return -1;
        if (r == s->r_conj && v->w[p].upos != CASUS_UPOS_VERB) {
            /* "killed 33 people and wounded 10": the conjunct's own word
             * (mis-parsed as a modifier) says its role */
            for (size_t j = (size_t)s->lo[x]; j < i; j++) {
                *left = 1;
                if (injure_word(K(v, j)) || injure_word(LOW(v, j)))
                    return ROLE_INJURED;
                if (kill_word(K(v, j)) || kill_word(LOW(v, j)))
                    return ROLE_KILLED;
            }
            x = p;
            continue;
        }
        if (r != s->r_nsubj && r != s->r_nsubjpass && r != s->r_obj)
            return -1;
        /* an object after a conjunction is another clause's: "were killed
         * and nearly 500 people ... were wounded" */
        for (long j = p + 1; r == s->r_obj && j < x; j++)
            if (v->w[j].upos == CASUS_UPOS_CCONJ)
                return -1;
        const char *k = K(v, (size_t)p), *f = LOW(v, (size_t)p);
        *left = p < (long)i;
        if (kill_word(k) || kill_word(f) ||
            ((!strcmp(k, "shoot") || !strcmp(f, "shot")) && has_child(v, (size_t)p, 0xff, dead)) ||
            kills_by_phrase(v, (size_t)p) || fatally(v, (size_t)p) ||
            (r != s->r_obj && kill_conj(v, (size_t)p)))
            return ROLE_KILLED;
        if (injure_word(k) || injure_word(f))
            return ROLE_INJURED;
        return -1;
    }
    return -1;
}

/* "Eight people, seven police officers and the police chief, were
 * killed": the figure at i is followed at the comma j by a list of its
 * parts that starts with a figure and ends at a comma before the verb. */
static int appositive_part(const sview *v, size_t i, size_t j)
{
    if (j + 2 >= v->n || v->w[j + 1].upos != CASUS_UPOS_NUM || j > i + 4 || j < i + 2 ||
        v->w[j - 1].upos != CASUS_UPOS_NOUN)
        return 0;
    for (size_t e = j + 2; e < v->n && e < j + 14; e++)
        if (!strcmp(LOW(v, e), ","))
            return e + 1 < v->n && (v->w[e + 1].upos == CASUS_UPOS_AUX ||
                                    kill_word(K(v, e + 1)) || injure_word(K(v, e + 1)));
    return 0;
}

/* The role of the count at words [i, i + len): ROLE_* or -1. */
static int count_role(const sview *v, size_t i, size_t len, int *left)
{
    *left = 1;
    size_t n = v->n;
    int attackers = 0;
    /* "two bombs", "22 rockets", "three attacks": a count of weapons or
     * attacks, not of people */
    if (i + len < n) {
        /* the head of "two car bomb attacks" */
        size_t h = i + len;
        while (h + 1 < n && h < i + len + 3 && v->w[h + 1].upos == CASUS_UPOS_NOUN &&
               (v->w[h].upos == CASUS_UPOS_NOUN || v->w[h].upos == CASUS_UPOS_ADJ))
            h++;
        if (h != i + len && (in_list(K(v, h), weapon_words) || in_list(K(v, h), attack_nouns)))
            return -1;
        /* "Two US drone strikes", "three Israeli air strikes": a name or an
         * adjective between the figure and the weapon ("drone" tagged an
         * adjective) */
        for (size_t j = i + len; j < n && j < i + len + 4; j++) {
            uint8_t u = v->w[j].upos;
            if (u != CASUS_UPOS_NOUN && u != CASUS_UPOS_ADJ && u != CASUS_UPOS_PROPN)
                break;
            if (j > i + len && u == CASUS_UPOS_NOUN &&
                (in_list(K(v, j), weapon_words) || in_list(K(v, j), attack_nouns)) &&
                (j + 1 >= n || v->w[j + 1].upos != CASUS_UPOS_NOUN))
                return -1;
        }
        /* the head of a compound decides: "Two bomb disposal officers" are
         * people */
        const char *k = K(v, h);
        int mi = method_index(k);
        /* "7 hijackers", "3 suicide bombers", "two gunmen": armed men are
         * people, counted only as the subject of a passive kill ("were
         * killed by security guards", "were shot dead") */
        static const char *const armed[] = {"hijacker", "bomber", "gunman", "gunmen", "sniper",
                                            NULL};
        if (in_list(K(v, h), armed) || in_list(LOW(v, h), armed))
            attackers = 1;
        else if (in_list(k, weapon_words) || in_list(k, attack_nouns) ||
                 (mi >= 0 && method_words[mi].prio > 1 && !kill_word(k) &&
                  strcmp(k, "hostage") && strcmp(LOW(v, h), "hostage")))
            return -1;   /* but "two hostages were executed" counts people */
    }
    /* "2004 Ashura bombings", "1994 Hebron massacre": a year */
    if (len == 1 && v->w[i].form.n == 4 && i + 1 < n) {
        int64_t y = number_word(v->w[i].form.p, 4);
        const char *nx = v->w[i + 1].form.p;
        if (y >= 1800 && y <= 2100 &&
            ((nx[0] >= 'A' && nx[0] <= 'Z') || in_list(K(v, i + 1), attack_nouns)))
            return -1;
    }
    /* "one day", "two years": a span of time */
    if (i + len < n && in_list(K(v, i + len), time_words))
        return -1;
    /* a name's number: "a car bomb Fiat 500 killed", "Flight 182",
     * "Route 443" (digits after a capitalised name, before no noun; not a
     * weekday's or month's: "Monday 12 were killed") */
    static const char *const weekday_month[] = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", NULL};
    if (len == 1 && i > 1 && v->w[i - 1].upos == CASUS_UPOS_PROPN &&
        v->w[i - 1].form.p[0] >= 'A' && v->w[i - 1].form.p[0] <= 'Z' &&
        v->w[i].form.p[0] >= '0' && v->w[i].form.p[0] <= '9' &&
        !in_list(LOW(v, i - 1), weekday_month) &&
        !(i + 1 < n && (v->w[i + 1].upos == CASUS_UPOS_NOUN || v->w[i + 1].upos == CASUS_UPOS_ADJ)))
        return -1;
    /* a part of a figure given before: "including 3 children", "five of
     * them children", "(nine soldiers and three civilians)" */
    if (i > 0 && (!strcmp(LOW(v, i - 1), "including") || !strcmp(LOW(v, i - 1), "among")))
        return -1;
    /* "murdered a total of 30 people", "burned to death a family of
     * eight": the figure of a collective takes the role of the verb whose
     * object the collective is */
    if (i >= 3 && !strcmp(LOW(v, i - 1), "of") &&
        (!strcmp(K(v, i - 2), "family") || !strcmp(K(v, i - 2), "total") ||
         !strcmp(K(v, i - 2), "group"))) {
        for (size_t p = i - 3, d = 0; d < 6; p--, d++) {
            uint8_t u = v->w[p].upos;
            if (u == CASUS_UPOS_VERB || form_is_attack_verb(v, p)) {
                if (kill_word(K(v, p)) || kill_word(LOW(v, p)) || kills_by_phrase(v, p))
                    return ROLE_KILLED;
                if (injure_word(K(v, p)) || injure_word(LOW(v, p)))
                    return ROLE_INJURED;
                break;
            }
            if (u == CASUS_UPOS_PUNCT || u == CASUS_UPOS_NUM || p == 0)
                break;
        }
    }
    /* "Eight people, seven police officers and ...,": a part */
    for (size_t b = 2; b <= 4 && b <= i; b++)
        if (!strcmp(LOW(v, i - 1), ",") && v->w[i - b].upos == CASUS_UPOS_NUM &&
            appositive_part(v, i - b, i - 1))
            return -1;
    /* "including a Jordanian farmer and four security officers": a later
     * conjunct of the part, unless it says "others" or "more" */
    if (i > 0 && v->w[i - 1].upos == CASUS_UPOS_CCONJ &&
        !(i + len < n && (!strcmp(LOW(v, i + len), "others") ||
                          !strcmp(LOW(v, i + len), "other") || !strcmp(LOW(v, i + len), "more"))))
        for (size_t d = 2; d <= 8 && d <= i; d++) {
            uint8_t u = v->w[i - d].upos;
            if (!strcmp(LOW(v, i - d), "including"))
                return -1;
            /* over the part's first figure: "including ten local
             * policemen and seven army soldiers" */
            if (u == CASUS_UPOS_VERB || u == CASUS_UPOS_AUX || u == CASUS_UPOS_PUNCT ||
                (u == CASUS_UPOS_NUM && !(d + 1 <= i && !strcmp(LOW(v, i - d - 1), "including"))))
                break;
        }
    if (i + len + 1 < n && !strcmp(LOW(v, i + len), "of") &&
        (!strcmp(LOW(v, i + len + 1), "them") || !strcmp(LOW(v, i + len + 1), "whom"))) {
        /* but "killing at least 27 of them" counts the victims */
        if (i > 0 && (v->w[i - 1].upos == CASUS_UPOS_VERB || form_is_attack_verb(v, i - 1))) {
            if (kill_word(K(v, i - 1)) || kill_word(LOW(v, i - 1)))
                return ROLE_KILLED;
            if (injure_word(K(v, i - 1)) || injure_word(LOW(v, i - 1)))
                return ROLE_INJURED;
        }
        return -1;
    }
    for (size_t j = i; j-- > 0;) {
        if (!strcmp(LOW(v, j), ")"))
            break;
        if (!strcmp(LOW(v, j), "("))
            return -1;
    }
    /* to the right: "17 people were killed", "25 casualties", "90 dead",
     * over an "of" phrase ("Nine troopers of the Central Reserve Police
     * Force were killed") */
    size_t reach = 6;
    for (size_t j = i + len; j < n && j < i + len + reach; j++) {
        if (!strcmp(LOW(v, j), "of") && reach == 6) {
            reach = 12;
            continue;
        }
        /* over an aside: "five others, including a Lieutenant Colonel and
         * a Major, were injured", "88 people, mostly civilians, wounded" */
        if (!strcmp(LOW(v, j), ",") && j + 1 < n && reach == 6 &&
            (!strcmp(LOW(v, j + 1), "including") || !strcmp(LOW(v, j + 1), "mostly") ||
             appositive_part(v, i, j) ||
             !strcmp(LOW(v, j + 1), "most") || !strcmp(LOW(v, j + 1), "all") ||
             !strcmp(LOW(v, j + 1), "almost") || !strcmp(LOW(v, j + 1), "nearly") ||
             !strcmp(LOW(v, j + 1), "among"))) {
            size_t e = j + 1;
            while (e < n && e < j + 14 && strcmp(LOW(v, e), ","))
                e++;
            if (e < n && e < j + 14) {
                reach = 6 + (e - j) + 1;
                j = e;
                continue;
            }
        }
        /* over a relative clause: "Seven men who were allegedly kidnapped by
         * Abu Sayyaf were found dead", to the main clause's auxiliary */
        if ((!strcmp(LOW(v, j), "who") || !strcmp(LOW(v, j), "whom")) && reach == 6 &&
            j == i + len + 1) {
            size_t e = j + 1;
            int verb = 0;
            while (e < n && e < j + 14 && !(verb && v->w[e].upos == CASUS_UPOS_AUX) &&
                   v->w[e].upos != CASUS_UPOS_PUNCT) {
                verb |= v->w[e].upos == CASUS_UPOS_VERB;
                e++;
            }
            if (e < n && e < j + 14 && verb && v->w[e].upos == CASUS_UPOS_AUX) {
                reach = 6 + (e - j);
                j = e - 1;
                continue;
            }
        }
        /* over a part told without commas: "Eight people including four
         * civilians and four soldiers were killed", up to the verb's
         * auxiliary; not after a verb of its own ("killed 2 people
         * including a teenager and 7 others were injured") */
        if (!strcmp(LOW(v, j), "including") && reach == 6 &&
            !(i > 0 && (v->w[i - 1].upos == CASUS_UPOS_VERB || form_is_attack_verb(v, i - 1)))) {
            size_t e = j + 1;
            while (e < n && e < j + 14 && v->w[e].upos != CASUS_UPOS_AUX &&
                   v->w[e].upos != CASUS_UPOS_VERB && v->w[e].upos != CASUS_UPOS_PUNCT)
                e++;
            if (e < n && e < j + 14 && v->w[e].upos == CASUS_UPOS_AUX) {
                reach = 6 + (e - j);
                j = e - 1;
                continue;
            }
        }
        const char *k = K(v, j);
        uint8_t u = v->w[j].upos;
        *left = 0;
        /* "Ten ETA members shot dead a French gendarme": the figure counts
         * the shooters, whose victims follow */
        if (!strcmp(LOW(v, j), "dead") && j > 0 && j + 1 < n &&
            (!strcmp(LOW(v, j - 1), "shot") || !strcmp(LOW(v, j - 1), "shoot")) &&
            (v->w[j + 1].upos == CASUS_UPOS_DET || v->w[j + 1].upos == CASUS_UPOS_NUM ||
             v->w[j + 1].upos == CASUS_UPOS_NOUN || v->w[j + 1].upos == CASUS_UPOS_PROPN ||
             v->w[j + 1].upos == CASUS_UPOS_ADJ))
            return -1;
        if (attackers &&
            (u == CASUS_UPOS_VERB || kill_word(k) || kill_word(LOW(v, j)) || injure_word(k) ||
             injure_word(LOW(v, j))) &&
            strcmp(k, "die") && strcmp(k, "perish") && strcmp(LOW(v, j), "dead") &&
            !(j > 0 && (v->w[j - 1].upos == CASUS_UPOS_AUX || !strcmp(LOW(v, j - 1), "also"))))
            return -1;   /* "Two gunmen killed ..." */
        /* "killing 27 wounded another 96": an active verb after the
         * figure is the next clause's when a verb of a role comes right
         * before the figure */
        if (u == CASUS_UPOS_VERB && i > 0 && j > i + len - 1 &&
            v->w[j - 1].upos != CASUS_UPOS_AUX && j + 1 < n &&
            (v->w[j + 1].upos == CASUS_UPOS_NUM || !strcmp(LOW(v, j + 1), "another")) &&
            (v->w[i - 1].upos == CASUS_UPOS_VERB || form_is_attack_verb(v, i - 1))) {
            *left = 1;
            if (kill_word(K(v, i - 1)) || kill_word(LOW(v, i - 1)))
                return ROLE_KILLED;
            if (injure_word(K(v, i - 1)) || injure_word(LOW(v, i - 1)))
                return ROLE_INJURED;
            *left = 0;
        }
        if (kill_word(k) || kill_word(LOW(v, j)))
            return ROLE_KILLED;
        /* "were fatally shot", "were mortally wounded" */
        if (u == CASUS_UPOS_VERB && fatally(v, j))
            return ROLE_KILLED;
        /* "were ambushed and killed", "were kidnapped and killed" */
        if (u == CASUS_UPOS_VERB && j + 2 < n && !strcmp(LOW(v, j + 1), "and") &&
            v->w[j + 2].upos == CASUS_UPOS_VERB &&
            (kill_word(K(v, j + 2)) || kill_word(LOW(v, j + 2))))
            return ROLE_KILLED;
        if (injure_word(k) || injure_word(LOW(v, j)))
            return ROLE_INJURED;
        if (!strcmp(k, "casualty") || !strcmp(LOW(v, j), "casualties"))
            return ROLE_CASUALTIES;
        /* "were shot to death", "were gunned down", "were shot dead" */
        if (u == CASUS_UPOS_VERB &&
            (kills_by_phrase(v, j) || (!strcmp(k, "shoot") && j + 1 < n &&
                                       !strcmp(LOW(v, j + 1), "dead"))))
            return ROLE_KILLED;
        *left = 1;
        /* "18 people have been reported dead", "were confirmed killed",
         * "are feared dead", "were found dead" */
        static const char *const report[] = {"report", "confirm", "fear", "believe", "find",
                                             "leave", "say", "declare", "pronounce", NULL};
        if (u == CASUS_UPOS_VERB && in_list(k, report) && j + 1 < n &&
            (kill_word(K(v, j + 1)) || kill_word(LOW(v, j + 1)) || injure_word(LOW(v, j + 1))))
            continue;
        /* "were said to have been killed", "are believed to be dead" */
        if (u == CASUS_UPOS_VERB && in_list(k, report) && j + 3 < n &&
            !strcmp(LOW(v, j + 1), "to") &&
            (!strcmp(LOW(v, j + 2), "have") || !strcmp(LOW(v, j + 2), "be"))) {
            size_t e = j + 3;
            if (!strcmp(LOW(v, j + 2), "have") && !strcmp(LOW(v, e), "been"))
                e++;
            if (e < n && (kill_word(K(v, e)) || kill_word(LOW(v, e)) ||
                          injure_word(K(v, e)) || injure_word(LOW(v, e)))) {
                if (e + 1 > i + len + reach)
                    reach = e + 1 - (i + len);
                j = e - 1;
                continue;
            }
        }
        if (u == CASUS_UPOS_PUNCT || u == CASUS_UPOS_CCONJ || u == CASUS_UPOS_NUM ||
            u == CASUS_UPOS_ADP ||
            /* "lost their lives", "suffered light injuries", "sustained
             * wounds": the role is the object's */
            (u == CASUS_UPOS_VERB && strcmp(k, "lose") && strcmp(k, "suffer") &&
             strcmp(k, "sustain")))
            break;
    }
    /* right after its verb: "kills two and injures four" */
    if (i > 0 && (v->w[i - 1].upos == CASUS_UPOS_VERB || form_is_attack_verb(v, i - 1))) {
        *left = 1;
        if (kill_word(K(v, i - 1)) || kill_word(LOW(v, i - 1)))
            return ROLE_KILLED;
        if (injure_word(K(v, i - 1)) || injure_word(LOW(v, i - 1)))
            return ROLE_INJURED;
    }
    int dr = dep_count_role(v, i, len, left);
    if (dr >= 0)
        return dr;
    /* "kidnapped 40 civilians ... and subsequently executed them",
     * "opened fire on two civilians ..., killing them both": a kill verb
     * later in the sentence whose object is "them" */
    for (size_t j = i + len; j + 1 < n && j < i + len + 16; j++) {
        if (!strcmp(LOW(v, j), ".") || !strcmp(LOW(v, j), ";") || v->w[j].upos == CASUS_UPOS_NUM)
            break;
        if (!strcmp(LOW(v, j + 1), "them") &&
            (v->w[j].upos == CASUS_UPOS_VERB || form_is_attack_verb(v, j))) {
            *left = 0;
            if (kill_word(K(v, j)) || kill_word(LOW(v, j)) || kills_by_phrase(v, j))
                return ROLE_KILLED;
            if (injure_word(K(v, j)) || injure_word(LOW(v, j)))
                return ROLE_INJURED;
        }
    }
    *left = 1;
    /* "the death toll ... rose to 95" */
    for (size_t d = 1; d <= 16 && d <= i; d++) {
        if (!strcmp(K(v, i - d), "toll"))
            return ROLE_KILLED;
        if (!strcmp(LOW(v, i - d), ".") || !strcmp(LOW(v, i - d), ";"))
            break;
    }
    /* "the deaths of two civilians", "the killing of five", "the
     * wounding of three": a casualty noun and "of" right before */
    if (i >= 2 && !strcmp(LOW(v, i - 1), "of")) {
        static const char *const deathn[] = {"death", "deaths", "killing", "killings",
                                             "murder", "murders", "execution", "executions",
                                             "beheading", "massacre", "bodies", "corpses",
                                             "throats", NULL};
        static const char *const hurtn[] = {"wounding", "injury", "injuring", NULL};
        if (in_list(LOW(v, i - 2), deathn) || in_list(K(v, i - 2), deathn))
            return ROLE_KILLED;
        if (in_list(LOW(v, i - 2), hurtn))
            return ROLE_INJURED;
    }
    /* to the left: "killing 17", "left 5 dead", "the lives of over 90" */
    for (size_t d = 1; d <= 4 && d <= i; d++) {
        /* a stray comma after the verb: "a car bomb detonated in Sadr City
         * killing, ten and wounding 25 others" */
        if (d == 1 && i >= 2 && !strcmp(LOW(v, i - 1), ",") &&
            v->w[i - 2].form.p[0] >= 'a' && !strcmp(LOW(v, i - 2), "killing"))
            return ROLE_KILLED;
        size_t j = i - d;
        const char *k = K(v, j);
        uint8_t u = v->w[j].upos;
        if (!strcmp(k, "life") || !strcmp(LOW(v, j), "lives"))
            return ROLE_KILLED;
        if (!strcmp(k, "toll"))
            return ROLE_KILLED;
        int verbish = u == CASUS_UPOS_VERB || form_is_attack_verb(v, j) ||
                      (d == 1 && !strcmp(LOW(v, j), "dead") && j > 0 &&
                       (!strcmp(K(v, j - 1), "shoot") || !strcmp(LOW(v, j - 1), "shot")));
        if ((kill_word(k) || fatally(v, j) || kills_by_phrase(v, j)) && verbish)
            return ROLE_KILLED;
        if (injure_word(k) && verbish)
            return ROLE_INJURED;
        /* a second object of the verb: "killing a US soldier and 2 Afghan
         * civilians" */
        if (u == CASUS_UPOS_CCONJ && !strcmp(LOW(v, j), "and") && d == 1 &&
            !(i + len < n && (!strcmp(LOW(v, i + len), "others") ||
                              !strcmp(LOW(v, i + len), "other") ||
                              !strcmp(LOW(v, i + len), "more")))) {
            for (size_t e = j; e-- > 0 && e + 7 > j;) {
                uint8_t ue = v->w[e].upos;
                int vb = e + 2 < j && (ue == CASUS_UPOS_VERB || form_is_attack_verb(v, e));
                if (vb && (kill_word(K(v, e)) || kill_word(LOW(v, e))))
                    return ROLE_KILLED;
                if (vb && (injure_word(K(v, e)) || injure_word(LOW(v, e))))
                    return ROLE_INJURED;
                if (ue != CASUS_UPOS_DET && ue != CASUS_UPOS_ADJ && ue != CASUS_UPOS_NOUN &&
                    ue != CASUS_UPOS_PROPN)
                    break;
            }
            break;
        }
        if (u == CASUS_UPOS_PUNCT || u == CASUS_UPOS_CCONJ || u == CASUS_UPOS_NUM ||
            u == CASUS_UPOS_SCONJ || u == CASUS_UPOS_ADV)
            break;
        if (u == CASUS_UPOS_NOUN || u == CASUS_UPOS_PROPN)
            break;
        /* "killed in two attacks": the figure is the preposition's */
        if (u == CASUS_UPOS_ADP && strcmp(LOW(v, j), "of") && strcmp(LOW(v, j), "to"))
            break;
    }
    return -1;
}

/* The "of" phrase of the noun "death" at k ("the death of the driver"), or -1. */
static long death_of(const sview *v, size_t k)
{
    static const char *const of[] = {"of", NULL};
    for (size_t j = k + 1; j < v->n && j <= k + 4; j++)
        if (head_of(v, j) == (long)k && v->w[j].deprel == v->s->r_nmod &&
            has_child(v, j, v->s->r_case, of))
            return (long)j;
    return -1;
}

/* ROLE_KILLED or ROLE_INJURED when word k is a verb that kills or injures
 * its object or passive subject ("killed", "was shot dead", "wounding");
 * -1 otherwise. */
static int victim_verb(const sview *v, size_t k)
{
    static const char *const killv[] = {"kill", "slay", "murder", "behead", "execute",
                                        "massacre", "assassinate", "die", "perish",
                                        "decapitate", NULL};
    static const char *const hurtv[] = {"injure", "wound", "hurt", "maim", NULL};
    static const char *const dead[] = {"dead", NULL};
    /* "resulting in the death of the imam" */
    if (v->w[k].upos == CASUS_UPOS_NOUN && !strcmp(LOW(v, k), "death") && death_of(v, k) >= 0)
        return ROLE_KILLED;
    if (v->w[k].upos != CASUS_UPOS_VERB)
        return -1;
    if (in_list(K(v, k), killv) ||
        (!strcmp(K(v, k), "shoot") && has_child(v, k, 0xff, dead)) || kills_by_phrase(v, k) ||
        fatally(v, k))
        return ROLE_KILLED;
    if (in_list(K(v, k), hurtv))
        return ROLE_INJURED;
    return -1;
}

/* How many people the victims of verb k are when each is one singular
 * person ("a policeman", "the mayor", "Campos", "he", "a doorman and a
 * French visitor"); 0 when any is plural, has a figure, or is not there. */
static int64_t singular_victims(const sview *v, size_t k)
{
    const casus_incidents *s = v->s;
    static const char *const one[] = {"a", "an", "the", "his", "her", "their", "its", NULL};
    static const char *const pro[] = {"he", "she", "him", "her", NULL};
    /* "a group of 17 recruits", "a family of five": not one person */
    static const char *const collective[] = {"group", "family", "crowd", "number", "convoy",
                                             "patrol", "unit", "team", "party", "couple",
                                             "band", "gang", "squad", "platoon", "company",
                                             "series", "total", NULL};
    int intrans = !strcmp(K(v, k), "die") || !strcmp(K(v, k), "perish");
    long a = v->w[k].upos == CASUS_UPOS_NOUN ? death_of(v, k)
                                             : child(v, k, intrans ? s->r_nsubj : s->r_nsubjpass);
    if (a < 0 && !intrans && v->w[k].upos != CASUS_UPOS_NOUN)
        a = child(v, k, s->r_obj);
    if (a < 0)
        return 0;
    int64_t c = 0;
    for (int depth = 0; a >= 0 && depth < 6; depth++) {
        size_t x = (size_t)a;
        const char *xp = casus_xpos_name(v->w[x].xpos);
        /* "killed a soldier and wounded 14 others": a conjunct with its
         * own role word is another clause's (mis-parsed) */
        for (size_t j = (size_t)s->lo[x]; depth > 0 && j < x; j++)
            if (kill_word(K(v, j)) || injure_word(K(v, j)) || injure_word(LOW(v, j)))
                return c;
        if (child(v, x, s->r_nummod) >= 0 || in_list(K(v, x), weapon_words) ||
            in_list(K(v, x), attack_nouns))
            return 0;
        if (v->w[x].upos == CASUS_UPOS_PRON) {
            if (!in_list(LOW(v, x), pro))
                return 0;
        } else if (!strcmp(xp, "NNP")) {
            /* a name: "Campos", "Mayor Harkha Gurung" */
        } else if (!strcmp(xp, "JJ") && depth == 0 && x > 0 && in_list(LOW(v, x - 1), one) &&
                   (v->w[x].deprel == s->r_nsubj || v->w[x].deprel == s->r_nsubjpass ||
                    v->w[x].deprel == s->r_obj) &&
                   !incident_method_word(K(v, x))) {
            /* "a civilian was killed": the tagger's adjective heads the
             * phrase, so it is a noun (its article may hang elsewhere) */
        } else if (!strcmp(xp, "NN") && (has_child(v, x, 0xff, one) || depth > 0) &&
                   !incident_method_word(K(v, x)) && !in_list(K(v, x), collective)) {
            /* "a policeman", "the mayor" */
        } else {
            return 0;
        }
        c++;
        a = child(v, x, s->r_conj);
    }
    return c;
}

/* The end of a singular partner "a/an/one (ADJ|NOUN)* NN" starting at
 * word d, or 0 when there is none there: one person, not a collective, a
 * weapon or an attack. */
static size_t singular_partner(const sview *v, size_t d)
{
    static const char *const one[] = {"a", "an", "one", NULL};
    static const char *const collective[] = {"group", "family", "crowd", "number", "convoy",
                                             "patrol", "unit", "team", "party", "couple",
                                             "band", "gang", "squad", "platoon", "company",
                                             "series", "total", "other", "another", NULL};
    if (d >= v->n || !in_list(LOW(v, d), one))
        return 0;
    size_t e = d + 1;
    while (e < v->n && e < d + 5 &&
           (v->w[e].upos == CASUS_UPOS_ADJ || v->w[e].upos == CASUS_UPOS_NOUN ||
            v->w[e].upos == CASUS_UPOS_PROPN))
        e++;
    if (e == d + 1)
        return 0;
    size_t h = e - 1;
    const char *xp = casus_xpos_name(v->w[h].xpos);
    if ((strcmp(xp, "NN") && strcmp(xp, "JJ")) || incident_method_word(K(v, h)) ||
        in_list(K(v, h), collective) || in_list(K(v, h), weapon_words) ||
        in_list(K(v, h), attack_nouns) || kill_word(K(v, h)) || injure_word(K(v, h)))
        return 0;
    return e;
}

/* The role word right after word e (over auxiliaries and adverbs:
 * "were also killed"): ROLE_KILLED, ROLE_INJURED or -1. */
static int role_after(const sview *v, size_t e)
{
    for (size_t j = e; j < v->n && j < e + 4; j++) {
        if (kill_word(K(v, j)) || kill_word(LOW(v, j)))
            return ROLE_KILLED;
        if (injure_word(K(v, j)) || injure_word(LOW(v, j)))
            return ROLE_INJURED;
        if (v->w[j].upos != CASUS_UPOS_AUX && v->w[j].upos != CASUS_UPOS_ADV)
            break;
    }
    return -1;
}

/* Adds to frame f the partners told with "and" beside the noun its count
 * ci counts: a singular one counts one ("killing 6 soldiers and a
 * civilian", "killing a US soldier and 2 Afghan civilians"), a figure
 * with no role its figure ("Four police officers and three militants were
 * killed"). The parse often hangs such a partner elsewhere, so the words
 * decide. A figure inside a part ("including 3 children and a woman")
 * has no role and so no partners. */
static void conj_partners(const sview *v, frame *f, size_t ci)
{
    static const char *const others[] = {"other", "others", "more", "another", NULL};
    fcount base = f->counts[ci];
    if (base.implicit || !base.len || base.r.min < 0 || base.r.max != base.r.min ||
        (base.role != ROLE_KILLED && base.role != ROLE_INJURED))
        return;
    size_t n = v->n;
    /* "32 others", "another four": a figure told after others, no partners;
     * nor one inside a part ("including a teenager and 32 ...") */
    if ((base.pos + base.len < n && in_list(LOW(v, base.pos + base.len), others)) ||
        in_list(LOW(v, base.pos), others) ||
        (base.pos > 0 && in_list(LOW(v, base.pos - 1), others)))
        return;
    for (size_t d = 1; d <= 8 && d <= base.pos; d++) {
        const char *w = LOW(v, base.pos - d);
        if (!strcmp(w, "including") || !strcmp(w, "among"))
            return;
        if (v->w[base.pos - d].upos == CASUS_UPOS_VERB || v->w[base.pos - d].upos == CASUS_UPOS_AUX ||
            !strcmp(w, ",") || !strcmp(w, "."))
            break;
    }
    /* after: the figure's noun run, then "and" */
    size_t e = base.pos + base.len;
    while (e < n && e < base.pos + base.len + 4 &&
           (v->w[e].upos == CASUS_UPOS_ADJ || v->w[e].upos == CASUS_UPOS_NOUN ||
            v->w[e].upos == CASUS_UPOS_PROPN))
        e++;
    if (e > base.pos + base.len && e + 1 < n && !strcmp(LOW(v, e), "and") &&
        f->n_counts < FMAX) {
        num_range r;
        size_t end = singular_partner(v, e + 1), used = 0;
        int add = 0;
        if (end) {
            r.min = r.max = 1;
            add = role_after(v, end) < 0 || role_after(v, end) == base.role;
        } else if (v->w[e + 1].upos == CASUS_UPOS_NUM &&
                   (used = number_at(v->w, n, e + 1, &r)) && r.min >= 0 && r.max == r.min) {
            add = 1;
            for (size_t i = 0; i < f->n_counts; i++)
                if (!f->counts[i].implicit && f->counts[i].pos <= e + 1 &&
                    e + 1 < f->counts[i].pos + f->counts[i].len + (f->counts[i].len == 0))
                    add = 0;   /* a figure of its own role ("and 10 were wounded") */
            /* its noun, then no role word of its own right after */
            size_t g = e + 1 + used;
            if (g >= n || (v->w[g].upos != CASUS_UPOS_NOUN && v->w[g].upos != CASUS_UPOS_ADJ &&
                           v->w[g].upos != CASUS_UPOS_PROPN) ||
                in_list(LOW(v, g), others))
                add = 0;
            while (g < n && g < e + 6 &&
                   (v->w[g].upos == CASUS_UPOS_NOUN || v->w[g].upos == CASUS_UPOS_ADJ ||
                    v->w[g].upos == CASUS_UPOS_PROPN))
                g++;
            if (add && role_after(v, g) >= 0 && role_after(v, g) != base.role)
                add = 0;
        }
        if (add) {
            fcount *c = &f->counts[f->n_counts++];
            memset(c, 0, sizeof *c);
            c->role = base.role;
            c->left = 1;
            c->r = r;
            c->pos = e + 1;
            c->partner = 1;
        }
    }
    /* before: "A police officer and two militants", "killing a US soldier
     * and 2 Afghan civilians" */
    if (base.pos >= 3 && !strcmp(LOW(v, base.pos - 1), "and") && f->n_counts < FMAX) {
        for (size_t d = base.pos - 1; d-- > 0 && d + 6 >= base.pos;) {
            if (in_list(LOW(v, d), (const char *const[]){"a", "an", "one", NULL})) {
                /* with the role word after the figure, nothing before the
                 * partner may be a role word or verb of its own ("killed an
                 * Italian soldier and three other were injured") */
                int own = 0;
                for (size_t i = 0; i < f->n_counts; i++)
                    own |= f->counts[i].pos <= d && d < f->counts[i].pos + f->counts[i].len;
                for (size_t j = d; !base.left && j-- > 0 && j + 8 >= d;) {
                    if (v->w[j].upos == CASUS_UPOS_PUNCT)
                        break;
                    own |= v->w[j].upos == CASUS_UPOS_VERB || kill_word(K(v, j)) ||
                           injure_word(K(v, j)) || form_is_attack_verb(v, j);
                }
                if (!own && singular_partner(v, d) == base.pos - 1) {
                    fcount *c = &f->counts[f->n_counts++];
                    memset(c, 0, sizeof *c);
                    c->role = base.role;
                    c->left = 1;
                    c->r.min = c->r.max = 1;
                    c->pos = d;
                    c->partner = 1;
                }
                break;
            }
            if (v->w[d].upos != CASUS_UPOS_ADJ && v->w[d].upos != CASUS_UPOS_NOUN &&
                v->w[d].upos != CASUS_UPOS_PROPN)
                break;
        }
    }
}

static int ranges_disjoint(casus_count a, casus_count b)
{
    int64_t alo = a.min < 0 ? 0 : a.min, blo = b.min < 0 ? 0 : b.min;
    int64_t ahi = a.max < 0 ? CASUS_COUNT_OPEN : a.max, bhi = b.max < 0 ? CASUS_COUNT_OPEN : b.max;
    return ahi < blo || bhi < alo;
}

static int64_t width(casus_count c)
{
    if (c.min < 0 || c.max < 0 || c.max == CASUS_COUNT_OPEN)
        return CASUS_COUNT_OPEN;
    return c.max - c.min;
}

/* ---------------------------------------------------------------- places */

static int place_compatible(const where_place *a, const where_place *b)
{
    if (strcmp(a->country, b->country))
        return 0;
    if (a->precision == WHERE_COUNTRY || b->precision == WHERE_COUNTRY)
        return 1;
    if (a->precision == WHERE_CITY && b->precision == WHERE_CITY)
        return a->id == b->id || !strcmp(a->name, b->name);
    /* a subdivision and a city or subdivision: the same subdivision */
    const char *aa = a->precision == WHERE_ADMIN1 ? a->name : a->admin1;
    const char *ba = b->precision == WHERE_ADMIN1 ? b->name : b->admin1;
    return !*aa || !*ba || !strcmp(aa, ba);
}

/* The frame's place: the most precise of those it owns (locative first). */
static const where_place *frame_place(const frame *f)
{
    const where_place *best = NULL;
    for (size_t i = 0; i < f->n_places; i++) {
        const where_place *p = f->places[i];
        if (p->flags & (WHERE_ORIGIN | WHERE_VIA_DEMONYM | WHERE_BORDER))
            continue;
        if (!best || p->precision > best->precision ||
            (p->precision == best->precision && (p->flags & WHERE_LOCATIVE) &&
             !(best->flags & WHERE_LOCATIVE)))
            best = p;
    }
    /* else a nationality word of the state's forces, people or places
     * ("Iraqi police"): where_best_scene's rule */
    for (size_t i = 0; !best && i < f->n_places; i++)
        if (!(f->places[i]->flags & WHERE_ORIGIN) &&
            (!(f->places[i]->flags & WHERE_VIA_DEMONYM) || (f->places[i]->flags & WHERE_STATE)))
            best = f->places[i];
    return best;
}

/* ---------------------------------------------------------------- records */

static casus_status rec_add_doc(casus_incidents *s, inc_rec *r, const char *id)
{
    for (size_t i = 0; i < r->n_docs; i++)
        if (!strcmp(r->docs[i], id))
            return CASUS_OK;
    if (mem_grow(s->ctx, (void **)&r->docs, &r->cap_docs, r->n_docs + 1, sizeof *r->docs))
        return CASUS_ENOMEM;
    char *c = mem_strndup(s->ctx, id, strlen(id));
    if (!c)
        return CASUS_ENOMEM;
    r->docs[r->n_docs++] = c;
    r->doc_mask |= incident_doc_bit(id);
    return CASUS_OK;
}

static size_t rec_doc_index(const inc_rec *r, const char *id)
{
    for (size_t i = 0; i < r->n_docs; i++)
        if (!strcmp(r->docs[i], id))
            return i;
    return 0;
}

static casus_status rec_add_ev(casus_incidents *s, inc_rec *r, size_t doc, size_t si,
                               size_t start, size_t end)
{
    for (size_t i = 0; i < r->n_ev; i++)
        if (r->ev[i].doc == doc && r->ev[i].sentence_index == si)
            return CASUS_OK;
    if (mem_grow(s->ctx, (void **)&r->ev, &r->cap_ev, r->n_ev + 1, sizeof *r->ev))
        return CASUS_ENOMEM;
    casus_incident_evidence e = {doc, si, start, end};
    r->ev[r->n_ev++] = e;
    return CASUS_OK;
}

static void rec_free(casus_ctx *ctx, inc_rec *r)
{
    for (size_t i = 0; i < r->n_docs; i++)
        mem_free(ctx, r->docs[i]);
    mem_free(ctx, r->docs);
    mem_free(ctx, r->ev);
    memset(r, 0, sizeof *r);
}

static void rec_set_place(inc_rec *r, const where_place *p)
{
    r->has_place = 1;
    r->place = *p;
}

/* Sets a count of record r. same_doc: r and the figure are of one
 * document, where the first figure stands against a later one it does not
 * overlap ("killing at least 92 ... Twin bombings north of Baghdad killed
 * 12": the later tells a part). */
static void rec_set_count(casus_incidents *s, inc_rec *r, int role, casus_count c, long pub,
                          int implicit, int same_doc)
{
    inc_count *k = &r->cnt[role];
    size_t order = ++s->order;
    if (k->set && implicit)
        return;
    if (k->set && !k->implicit) {
        int later = pub != k->pub_day && pub > k->pub_day;
        int earlier = pub != k->pub_day && pub < k->pub_day;
        if (earlier)
            return;
        if (!later && width(c) >= width(k->c))
            return;   /* same day, less specific */
        if (same_doc && ranges_disjoint(c, k->c))
            return;
    }
    k->c = c;
    k->set = 1;
    k->implicit = implicit;
    k->pub_day = pub;
    k->order = order;
}

static void rec_set_date(inc_rec *r, const when_date *d)
{
    long lo = date_days(d->lo), hi = date_days(d->hi);
    if (r->has_date && hi - lo >= r->date_hi - r->date_lo)
        return;   /* keep the more precise */
    r->has_date = 1;
    r->date_lo = lo;
    r->date_hi = hi;
    r->date_prec = d->precision;
}

static void rec_set_method(inc_rec *r, const char *m, int prio)
{
    if (m && prio > r->method_prio) {
        snprintf(r->pub.method, sizeof r->pub.method, "%s", m);
        r->method_prio = prio;
    }
}

/* Applies a frame's fields to record r. */
static casus_status rec_apply(casus_incidents *s, inc_rec *r, const frame *f, const sview *v,
                              long pub)
{
    const where_place *p = frame_place(f);
    if (p && (!r->has_place || p->precision > r->place.precision))
        rec_set_place(r, p);
    if (f->has_date)
        rec_set_date(r, &f->date);
    rec_set_method(r, f->method, f->method_prio);
    for (size_t i = 0; i < f->n_perps; i++)
        add_party(r->pub.perpetrators, &r->pub.n_perpetrators, &f->perps[i]);
    for (size_t i = 0; i < f->n_targets; i++)
        add_party(r->pub.targets, &r->pub.n_targets, &f->targets[i]);
    /* counts: per role, contradicting figures in one frame -> null */
    for (int role = 0; role < NROLES; role++) {
        casus_count c = {CASUS_COUNT_NONE, CASUS_COUNT_NONE};
        int n = 0, bad = 0, explicit = 0;
        size_t bad_pos = 0;
        const char *groups[FMAX];   /* the nouns of the figures added up */
        size_t n_groups = 0;
        for (size_t i = 0; i < f->n_counts; i++)
            explicit |= f->counts[i].role == role && !f->counts[i].implicit;
        for (size_t i = 0; i < f->n_counts; i++) {
            const fcount *fc = &f->counts[i];
            if (fc->role != role || fc->implicit != !explicit)
                continue;
            casus_count x = {fc->r.min, fc->r.max == NUM_OPEN ? CASUS_COUNT_OPEN : fc->r.max};
            int other_group = *fc->noun && n_groups == (size_t)n;
            for (size_t g = 0; g < n_groups && other_group; g++)
                other_group = strcmp(groups[g], fc->noun) != 0;
            if (n == 0) {
                c = x;
            } else if (((fc->left && fc->pos > 0 && !strcmp(v->s->low[fc->pos - 1], "and")) ||
                        other_group || fc->partner) &&
                       c.min >= 0 && x.min >= 0 && c.max == c.min && x.max == x.min) {
                /* "killing 38 passengers and 9 crew", "2 soldiers and 1
                 * civilian were killed", "Seven security personnel were
                 * killed and 9 Taliban were killed": distinct groups */
                c.min += x.min;
                c.max = c.min;
            } else if (ranges_disjoint(c, x)) {
                bad = 1;
                bad_pos = fc->pos;
            } else if (width(x) < width(c)) {
                c = x;
            }
            if (*fc->noun && n_groups < FMAX)
                groups[n_groups++] = fc->noun;
            n++;
        }
        if (bad) {
            static const char *const rn[] = {"killed", "injured", "casualties"};
            ctx_diag(s->ctx, CASUS_WARNING, buf_cstr(&v->doc->file), v->doc->line,
                     buf_cstr(&v->doc->id), (int64_t)v->w[bad_pos].start,
                     "contradictory %s counts in one sentence: left null", rn[role]);
            continue;
        }
        if (n)
            rec_set_count(s, r, role, c, pub, !explicit, 1);
    }
    r->mentions++;
    return CASUS_OK;
}

/* ---------------------------------------------------------------- salience */

static void note_recent(casus_incidents *s, size_t inc, size_t si)
{
    if (s->n_recent == 64) {
        memmove(s->recent_inc, s->recent_inc + 32, 32 * sizeof s->recent_inc[0]);
        memmove(s->recent_sent, s->recent_sent + 32, 32 * sizeof s->recent_sent[0]);
        s->n_recent = 32;
    }
    s->recent_inc[s->n_recent] = inc;
    s->recent_sent[s->n_recent++] = si;
}

/* The incident a bare mention in sentence si refers to; -1 when none. */
static long salient(const casus_incidents *s, size_t si, long cur)
{
    if (cur >= 0)
        return cur;
    long best = -1;
    size_t best_n = 0;
    for (size_t i = s->n_recent; i-- > 0;) {
        if (s->recent_sent[i] + 2 < si)
            break;
        size_t inc = s->recent_inc[i], c = 0;
        for (size_t j = 0; j < s->n_recent; j++)
            if (s->recent_inc[j] == inc && s->recent_sent[j] + 2 >= si)
                c++;
        /* equal mentions in the window: the incident reported more
         * often so far is the one a bare "the attack" or a claim refers
         * to, not a side mention in the last sentence ("his killing in a
         * U.S. drone strike") */
        if (c > best_n ||
            (c == best_n && best >= 0 && s->loc[inc].n_ev > s->loc[best].n_ev)) {
            best_n = c;
            best = (long)inc;
        }
    }
    if (best < 0 && s->n_recent)
        best = (long)s->recent_inc[s->n_recent - 1];
    return best;
}

/* ---------------------------------------------------------------- a sentence */

typedef struct pending {
    casus_incident_party p;
    int frame;                 /* -1: the salient incident */
} pending;

/* "blow up" (the particle "up" after "blow" within three words): 1, and 2
 * for "blow oneself up". */
static int blow_up(const sview *v, size_t k)
{
    static const char *const self[] = {"himself", "herself", "themselves", "itself", NULL};
    if (strcmp(K(v, k), "blow") || v->w[k].upos != CASUS_UPOS_VERB)
        return 0;
    for (size_t j = k + 1; j < v->n && j <= k + 3; j++)
        if (!strcmp(LOW(v, j), "up"))
            return 1 + (j > k + 1 && in_list(LOW(v, k + 1), self));
    return 0;
}

/* Whether word k is security forces' fire at the attacker, not the
 * attack: "He was shot dead by Israeli security forces", "the assailant
 * was shot", "police shot and killed a Jordanian citizen". */
static int response_fire(const sview *v, size_t k)
{
    const casus_incidents *s = v->s;
    static const char *const security[] = {"police", "policeman", "policemen", "officer",
                                           "force", "soldier", "troop", "army", "guard",
                                           "idf", "security", NULL};
    static const char *const attacker_self[] = {"he", "she", "attacker", "assailant",
                                                "perpetrator", "suspect", "bomber",
                                                "stabber", "terrorist", NULL};
    if (strcmp(K(v, k), "shoot") && strcmp(LOW(v, k), "shot"))
        return 0;
    long x = (long)k;
    if (v->w[k].upos != CASUS_UPOS_VERB) {
        long h = head_of(v, k);
        if (h < 0 || v->w[h].upos != CASUS_UPOS_VERB)
            return 0;
        x = h;
    }
    for (size_t c = 0; c < v->n; c++) {
        if (head_of(v, c) != x)
            continue;
        uint8_t r = v->w[c].deprel;
        if (r == s->r_nsubjpass && (in_list(LOW(v, c), attacker_self) ||
                                    in_list(K(v, c), attacker_self)))
            return 1;
        if ((r == s->r_nsubj || r == s->r_oblagent ||
             (r == s->r_obl && has_child(v, c, s->r_case, (const char *const[]){"by", NULL}))) &&
            (in_list(K(v, c), security) || in_list(LOW(v, c), security)))
            return 1;
    }
    return 0;
}

/* "set fire to X", "set X on fire", "set X ablaze". */
static int set_fire(const sview *v, size_t k)
{
    if (strcmp(K(v, k), "set") || v->w[k].upos != CASUS_UPOS_VERB)
        return 0;
    for (size_t j = k + 1; j < v->n && j <= k + 10; j++) {
        if (!strcmp(LOW(v, j), "fire") || !strcmp(LOW(v, j), "ablaze") ||
            !strcmp(LOW(v, j), "alight"))
            return 1;
        if (v->w[j].upos == CASUS_UPOS_VERB || v->w[j].upos == CASUS_UPOS_PUNCT)
            return 0;
    }
    return 0;
}

/* The position of the colon that ends a heading at the start of the
 * sentence ("Jaffa Street bombing: ...", "2017 Tehran attacks: ..."):
 * within the first 12 words, no verb before it; 0 when there is none. */
static size_t heading_end(const sview *v)
{
    for (size_t k = 1; k < v->n && k <= 12; k++) {
        if (!strcmp(LOW(v, k), ":"))
            return k + 1 < v->n ? k : 0;
        if (v->w[k].upos == CASUS_UPOS_VERB || v->w[k].upos == CASUS_UPOS_AUX ||
            !strcmp(LOW(v, k), "."))
            return 0;
    }
    return 0;
}

/* Whether the noun o names a weapon: a weapon or method word itself, or
 * one of its modifiers ("an incendiary device", "an explosive device", "a
 * booby-trapped house"). */
static int weapon_phrase(const sview *v, size_t o)
{
    if (in_list(K(v, o), weapon_words) || method_index(K(v, o)) >= 0)
        return 1;
    for (size_t j = (size_t)v->s->lo[o]; j < o; j++)
        if ((in_list(K(v, j), weapon_words) || method_index(K(v, j)) >= 0 ||
             !strncmp(LOW(v, j), "booby", 5)) &&
            strcmp(K(v, j), "armed") && strcmp(K(v, j), "suicide"))
            return 1;
    return 0;
}

static int is_trigger_verb(const sview *v, size_t k)
{
    casus_incidents *s = v->s;
    if (v->w[k].upos != CASUS_UPOS_VERB)
        return 0;
    const char *key = K(v, k);
    /* the base form itself ("Militants detonate ...", which the tagger took
     * for a past tense and the lemmatiser made "detoneat") */
    if (in_list(key, extra_verbs) || in_list(LOW(v, k), extra_verbs))
        return 1;
    if (!strcmp(key, "open") || !strcmp(key, "exchange")) {
        long o = child(v, k, s->r_obj);
        return o >= 0 && !strcmp(K(v, (size_t)o), "fire");
    }
    /* "blew his explosive vest", "a booby-trapped house went off" */
    if (!strcmp(key, "blow")) {
        long o = child(v, k, s->r_obj);
        if (o >= 0 && (weapon_phrase(v, (size_t)o) || !strcmp(K(v, (size_t)o), "vest")))
            return 1;
    }
    if (!strcmp(key, "go") && k + 1 < v->n && !strcmp(LOW(v, k + 1), "off")) {
        long sb = child(v, k, s->r_nsubj);
        if (sb >= 0 && weapon_phrase(v, (size_t)sb))
            return 1;
    }
    /* "set the hotel on fire", "set fire to", "burned" */
    if (set_fire(v, k) || !strcmp(key, "burn"))
        return 1;
    /* "blew himself up", "a bus was blown up" */
    if (blow_up(v, k))
        return 1;
    /* "took 53 hostages", "held 11 people hostage", "is held for ransom" */
    if (!strcmp(key, "take") || !strcmp(key, "hold")) {
        static const char *const hostage[] = {"hostage", "hostages", "ransom", "captive", NULL};
        for (size_t j = k + 1; j < v->n && j <= k + 8; j++) {
            if (in_list(LOW(v, j), hostage))
                return 1;
            if (v->w[j].upos == CASUS_UPOS_VERB || !strcmp(LOW(v, j), "."))
                break;
        }
    }
    /* "slit the throats of five civilians" */
    if (!strcmp(key, "slit") || !strcmp(key, "cut")) {
        for (size_t j = k + 1; j < v->n && j <= k + 3; j++)
            if (!strcmp(K(v, j), "throat"))
                return 1;
    }
    /* "threw a grenade", "hurled a petrol bomb", "launched a rocket", "a
     * grenade was thrown at the residence" */
    if (!strcmp(key, "throw") || !strcmp(key, "hurl") || !strcmp(key, "lob") ||
        !strcmp(key, "launch")) {
        long o = child(v, k, s->r_obj);
        if (o < 0)
            o = child(v, k, s->r_nsubjpass);
        /* "a mortar shell launched by Islamic State": the noun it
         * modifies */
        if (o < 0 && v->w[k].deprel == s->r_acl)
            o = head_of(v, k);
        return o >= 0 && weapon_phrase(v, (size_t)o);
    }
    const char *code = NULL;
    if (casus_dicts_lookup_verb(s->d, key, &code) != CASUS_OK || !code)
        return 0;
    if (strncmp(code, "18", 2) && strncmp(code, "19", 2) && strncmp(code, "20", 2))
        return 0;
    return strncmp(code, "191", 3) && strncmp(code, "192", 3);
}

/* Whether form low is an inflection of one of the attack verbs here
 * ("kidnaps", "hijacked", "shot", "stabbed"); a base form only after a
 * plural or proper-noun subject ("FARC guerrillas kidnap"). */
static int inflected_extra_verb(const sview *v, size_t k, const char *low)
{
    char stem[KEY];
    size_t m = strlen(low);
    if (!strcmp(low, "shot"))
        return 1;
    if (in_list(low, extra_verbs)) {
        const char *px = k > 0 ? casus_xpos_name(v->w[k - 1].xpos) : "";
        return !strcmp(px, "NNS") || !strcmp(px, "NNP") || !strcmp(px, "NNPS");
    }
    static const char *const ends[] = {"s", "es", "d", "ed", NULL};
    for (size_t e = 0; ends[e]; e++) {
        size_t el = strlen(ends[e]);
        if (m <= el + 2 || m - el >= KEY || strcmp(low + m - el, ends[e]))
            continue;
        memcpy(stem, low, m - el);
        stem[m - el] = '\0';
        /* "stabbed" -> "stab" */
        if (m - el > 3 && stem[m - el - 1] == stem[m - el - 2] && !strcmp(ends[e], "ed"))
            stem[m - el - 1] = '\0';
        if (in_list(stem, extra_verbs))
            return 1;
        /* "crucified" -> "crucify" */
        size_t sl = strlen(stem);
        if (!strcmp(ends[e], "ed") && sl > 3 && stem[sl - 1] == 'i' && sl < KEY - 1) {
            stem[sl - 1] = 'y';
            if (in_list(stem, extra_verbs))
                return 1;
        }
    }
    return 0;
}

static int form_is_attack_verb(const sview *v, size_t k)
{
    const char *low = LOW(v, k);
    size_t m = strlen(low);
    uint8_t u = v->w[k].upos;
    if (m < 4 || (k > 0 && v->w[k - 1].upos == CASUS_UPOS_DET))
        return 0;
    /* "kills 30 and injures 140" with "injures" tagged a symbol */
    if ((u == CASUS_UPOS_SYM || u == CASUS_UPOS_X || u == CASUS_UPOS_PROPN) &&
        v->w[k].form.p[0] >= 'a' && inflected_extra_verb(v, k, low))
        return 1;
    /* "militants shot dead four soldiers", "were shoot dead": the tagger's
     * adverb or noun */
    if ((!strcmp(low, "shot") || !strcmp(low, "shoot")) && k + 1 < v->n &&
        !strcmp(LOW(v, k + 1), "dead"))
        return 1;
    if (u != CASUS_UPOS_NOUN && u != CASUS_UPOS_ADJ)
        return 0;
    if (inflected_extra_verb(v, k, low))
        return 1;
    if (strcmp(low + m - 2, "ed") && strcmp(low + m - 1, "s") && strcmp(low, "shot"))
        return 0;
    const char *code = NULL;
    if (casus_dicts_lookup_verb(v->s->d, low, &code) != CASUS_OK || !code)
        return 0;
    if (strncmp(code, "18", 2) && strncmp(code, "19", 2) && strncmp(code, "20", 2))
        return 0;
    return strncmp(code, "191", 3) && strncmp(code, "192", 3);
}

static int kill_word(const char *k);
static int injure_word(const char *k);

/* Whether the agent phrase at word k ("by", "attributed") belongs to an
 * attack: the word before it (within three) is an attack word, a method
 * word or a verb of placing or firing ("a bomb planted by X"), not
 * "appointed by X". */
static int agent_of_attack(const sview *v, size_t k)
{
    static const char *const placew[] = {"plant", "place", "leave", "fire", "launch", "throw",
                                         "set", "lay", "carry", "perpetrate", "attribute",
                                         "claim", "commit", "conduct", NULL};
    if (!strcmp(LOW(v, k), "attributed") || !strcmp(LOW(v, k), "attribute"))
        return 1;
    for (size_t d = 1; d <= 3 && d <= k; d++) {
        const char *w = K(v, k - d);
        if (in_list(w, placew) || in_list(w, attack_nouns) || in_list(w, extra_verbs) ||
            method_index(w) >= 0 || kill_word(w) || injure_word(w))
            return 1;
        if (v->w[k - d].upos == CASUS_UPOS_PUNCT)
            break;
    }
    return 0;
}

static const char *const unreal[] = {"refrain", "avoid", "fail", "threaten", "plan",
                                     "vow", "deny", "prevent", "foil", "thwart", NULL};

/* Whether verb k is told as done: neither it nor a verb whose clause it
 * continues (xcomp, advcl, conj) is negated, modal ("may force Vahidi to
 * make efforts ... in jointly targeting X") or a verb of not doing
 * ("refrained from targeting X"). */
static int realised(const sview *v, size_t k)
{
    casus_incidents *s = v->s;
    long u = (long)k;
    int via_conj = 0;   /* reached u from a verb coordinated with it: only
                           its modal carries over ("the attack was foiled and
                           two attackers were killed": the killing happened) */
    for (int d = 0; d < 8 && u >= 0; d++) {
        if (has_child(v, (size_t)u, s->r_aux, modal_words))
            return 0;
        if (!via_conj && has_child(v, (size_t)u, 0xff, neg_words))
            return 0;
        /* the verb of not doing governs k itself: "refrained from
         * targeting X", not "the attack was foiled ... while the other
         * one detonated" */
        if (!via_conj && d == 1 && in_list(K(v, (size_t)u), unreal))
            return 0;
        uint8_t r = v->w[u].deprel;
        if (r != s->r_xcomp && r != s->r_advcl && r != s->r_conj)
            break;
        via_conj = r == s->r_conj;
        u = head_of(v, (size_t)u);
    }
    return 1;
}

static int trigger_ok(const sview *v, size_t k)
{
    casus_incidents *s = v->s;
    for (size_t d = 1; d <= 2 && d <= k; d++)
        if (in_list(LOW(v, k - d), neg_words))
            return 0;
    if (has_child(v, k, 0xff, neg_words))
        return 0;
    /* attacks not told as done: "any future attacks inside Iran", "a
     * possible attack" */
    static const char *const unreal_mod[] = {"future", "potential", "possible", "any",
                                             "hypothetical", NULL};
    if (v->w[k].upos == CASUS_UPOS_NOUN && has_child(v, k, 0xff, unreal_mod))
        return 0;
    long hd = head_of(v, k);
    if (hd >= 0 && in_list(K(v, (size_t)hd), unreal))
        return 0;
    if (v->w[k].upos == CASUS_UPOS_VERB) {
        if (has_child(v, k, s->r_aux, modal_words))
            return 0;
        /* a clause that tells who people are, not what happened: "those
         * who fought with him", "anyone who attacks Iran" */
        static const char *const generic[] = {"those", "anyone", "anybody", "everyone",
                                              "everybody", "whoever", NULL};
        if (hd >= 0 && v->w[k].deprel == s->r_relcl && in_list(LOW(v, (size_t)hd), generic))
            return 0;
        static const char *const to[] = {"to", NULL};
        /* "used explosives-laden ambulances to kill 21 people": what the
         * means were used for, done when the using is */
        static const char *const usew[] = {"use", "employ", NULL};
        int used_to = 0;
        for (size_t j = k >= 2 ? k - 2 : 0, d = 0; k >= 2 && d < 6; j--, d++) {
            if (v->w[j].upos == CASUS_UPOS_PUNCT && strcmp(LOW(v, j), "-"))
                break;
            if (v->w[j].upos == CASUS_UPOS_VERB) {
                /* told as done ("have used", "used"), not "to use" */
                used_to = in_list(K(v, j), usew) &&
                          strcmp(casus_xpos_name(v->w[j].xpos), "VB") && realised(v, j);
                break;
            }
            if (j == 0)
                break;
        }
        if (!used_to && has_child(v, k, s->r_mark, to) && !has_child(v, k, s->r_auxpass, NULL))
            return 0;
        if (!used_to && k > 0 && !strcmp(LOW(v, k - 1), "to"))
            return 0;
        if (!realised(v, k))
            return 0;
    }
    return 1;
}

/* Whether "after X" (marker word m, trigger t) tells how the casualties
 * of its own clause came about ("two soldiers were killed after a bomb
 * exploded", "20 people were killed after a suicide car bombing"): the
 * phrase hangs on a kill or injure word and no span of time comes before
 * "after" ("two weeks after the Kerman attack" names an earlier one). */
static int casualties_after(const sview *v, size_t m, size_t t)
{
    if (strcmp(LOW(v, m), "after"))
        return 0;
    if (m > 0 && (in_list(K(v, m - 1), time_words) || !strcmp(LOW(v, m - 1), "shortly") ||
                  !strcmp(LOW(v, m - 1), "soon") || !strcmp(LOW(v, m - 1), "even")))
        return 0;
    /* its head, or the head's head when the parse hung it on a word of
     * the clause ("lost their lives aboard the ferry after it was bombed") */
    long h = head_of(v, t);
    for (int depth = 0; h >= 0 && depth < 2; depth++, h = head_of(v, (size_t)h)) {
        const char *k = K(v, (size_t)h), *f = LOW(v, (size_t)h);
        if (kill_word(k) || kill_word(f) || injure_word(k) || injure_word(f) ||
            !strcmp(k, "lose"))   /* "116 people lost their lives after ..." */
            return 1;
        if (v->w[h].upos == CASUS_UPOS_VERB)
            break;
    }
    return 0;
}

static int is_reference(const sview *v, size_t t)
{
    static const char *const refw[] = {"after", "following", "before", "since", NULL};
    casus_incidents *s = v->s;
    /* "rammed a car into a police station before blowing it up", "after
     * detonating his vest": a clause without a subject of its own goes on
     * with the main clause's attacker, the same attack */
    if (v->w[t].upos == CASUS_UPOS_VERB && child(v, t, s->r_nsubj) < 0 &&
        child(v, t, s->r_nsubjpass) < 0 && t > 0 && in_list(LOW(v, t - 1), refw) &&
        !strcmp(casus_xpos_name(v->w[t].xpos), "VBG"))
        return 0;
    for (size_t i = 0; i < v->n; i++)
        if (head_of(v, i) == (long)t && (v->w[i].deprel == s->r_case || v->w[i].deprel == s->r_mark) &&
            in_list(K(v, i), refw) && i < t)
            return !casualties_after(v, i, t);
    int lo = s->lo[t];
    if (lo > 0 && in_list(LOW(v, (size_t)lo - 1), refw))
        return !casualties_after(v, (size_t)lo - 1, t);
    /* the last of coordinated nouns that "following" starts, parsed as the
     * first one's modifier: "following the 2017 parliament and mausoleum
     * attacks" */
    long h = head_of(v, t);
    if (v->w[t].upos == CASUS_UPOS_NOUN && v->w[t].deprel == s->r_conj && h >= 0 &&
        v->w[h].upos == CASUS_UPOS_NOUN) {
        for (size_t i = (size_t)s->lo[h]; i < (size_t)h; i++)
            if (head_of(v, i) == h && in_list(LOW(v, i), refw) && v->w[i].deprel == s->r_amod)
                return !casualties_after(v, i, t);
    }
    /* "in retaliation for the Kerman attack", "in response to", "to avenge" */
    static const char *const causew[] = {"retaliation", "response", "revenge", "reprisal",
                                         "reprisals", NULL};
    static const char *const causep[] = {"for", "to", "against", NULL};
    for (size_t i = 1; i < t; i++)
        if (head_of(v, i) == (long)t && v->w[i].deprel == s->r_case && in_list(K(v, i), causep) &&
            in_list(LOW(v, i - 1), causew))
            return 1;
    return lo > 0 && !strcmp(LOW(v, (size_t)lo - 1), "avenge");
}

static int starts_new(const sview *v, size_t t)
{
    casus_incidents *s = v->s;
    if (v->w[t].upos == CASUS_UPOS_VERB)
        return child(v, t, s->r_nsubj) >= 0 || child(v, t, s->r_nsubjpass) >= 0;
    return child(v, t, s->r_det) >= 0 || child(v, t, s->r_poss) >= 0 ||
           child(v, t, s->r_nummod) >= 0;
}

static size_t anchor_of(const sview *v, size_t t)
{
    uint8_t r = v->w[t].deprel;
    long h = head_of(v, t);
    if (h >= 0 && (r == v->s->r_compound || r == v->s->r_amod))
        return (size_t)h;
    return t;
}

static int linked(const sview *v, size_t t, size_t u)
{
    size_t at = anchor_of(v, t), au = anchor_of(v, u);
    return at == au || head_of(v, at) == (long)au || head_of(v, au) == (long)at;
}

static int date_overlap(long alo, long ahi, long blo, long bhi, long slack)
{
    return alo - slack <= bhi && blo - slack <= ahi;
}

static int frame_conflict(const frame *f, const where_place *p, const when_date *d)
{
    const where_place *fp = frame_place(f);
    if (p && fp && !place_compatible(p, fp))
        return 1;
    if (d && f->has_date &&
        !date_overlap(date_days(d->lo), date_days(d->hi), date_days(f->date.lo),
                      date_days(f->date.hi), 0))
        return 1;
    return 0;
}

static int date_usable(const when_date *d)
{
    return !(d->flags & (WHEN_UNRESOLVED | WHEN_AFTER | WHEN_SINCE)) && d->lo.year > 0;
}

/* "..., and again in October 2018": a date that repeats the frame's action
 * at another time (a second incident), not the frame's own date. */
static int again_date(const sview *v, const when_date *d)
{
    for (size_t b = 1; b <= 2 && b < d->first; b++)
        if (!strcmp(LOW(v, d->first - b), "again") && !strcmp(LOW(v, d->first - b - 1), "and"))
            return 1;
    return 0;
}

static int definite(const sview *v, size_t t)
{
    static const char *const defw[] = {"the", "this", "these", "that", "those", NULL};
    return has_child(v, t, v->s->r_det, defw);
}

/* Whether incident r, told in earlier sentences, has named perpetrators,
 * none of them of the state where it took place, and every perpetrator of frame f is that state or
 * one of its organs (IRN, IRNGOV, IRNMIL): the struck state acting, not
 * more attackers. */
static int state_response(const frame *f, const inc_rec *r, size_t si)
{
    /* in the attack's own sentence the state is more likely a misparse
     * ("attacked a checkpoint near Tripoli Libya killing 7") than acting */
    for (size_t e = 0; e < r->n_ev; e++)
        if (r->ev[e].sentence_index == si)
            return 0;
    if (!f->n_perps || !r->pub.n_perpetrators || !r->has_place || !r->place.country ||
        strlen(r->place.country) != 3)
        return 0;
    for (size_t j = 0; j < r->pub.n_perpetrators; j++)
        if (!strncmp(r->pub.perpetrators[j].code, r->place.country, 3))
            return 0;
    static const char *const organ[] = {"", "GOV", "MIL", "COP", "SPY", "LEG", "JUD", NULL};
    int coded = 0;
    for (size_t j = 0; j < r->pub.n_perpetrators; j++)
        coded |= r->pub.perpetrators[j].code[0] != '\0';
    if (!coded)
        return 0;
    for (size_t i = 0; i < f->n_perps; i++) {
        const char *c = f->perps[i].code;
        if (strncmp(c, r->place.country, 3) != 0 || strlen(c) > 6 || !in_list(c + 3, organ))
            return 0;   /* not the state: "attributed to FARC" (COLREB) */
    }
    return 1;
}

/* Resolves frame f of sentence si to a local incident (creating one), or
 * -1 when it is dropped; never to incident skip (-1: any). */
static casus_status resolve_frame(casus_incidents *s, frame *f, size_t si, long cur,
                                  long cur_main, int lead_past, long skip, long *out)
{
    const where_place *p = frame_place(f);
    long sal = salient(s, si, cur);
    long best = -1;
    int best_score = 0;
    *out = -1;
    if (skip >= 0 && sal == skip)
        sal = -1;
    if (f->series && f->plural_only && !p && !f->has_date && !f->n_counts && s->n_loc >= 2)
        return CASUS_OK;   /* of a document that told several: none of them */
    if (p || f->has_date) {
        for (size_t i = 0; i < s->n_loc; i++) {
            const inc_rec *r = &s->loc[i];
            if (f->is_ref && (long)i == cur_main)
                continue;   /* "X after Y": Y is not X */
            if ((long)i == skip)
                continue;   /* "A, and again in May": May's is not A */
            int score = 0;
            if (p && r->has_place) {
                if (!place_compatible(p, &r->place))
                    continue;
                score += 2 + (p->id == r->place.id);
            }
            if (f->has_date && r->has_date) {
                if (!date_overlap(date_days(f->date.lo), date_days(f->date.hi), r->date_lo,
                                  r->date_hi, 0))
                    continue;
                score += 2;
            }
            if (score >= 2 && score >= best_score) {
                best = (long)i;
                best_score = score;
            }
        }
        if (best < 0 && f->definite && sal >= 0 && !(f->is_ref && sal == cur_main)) {
            const inc_rec *r = &s->loc[sal];
            /* a finer place of the same country is the same attack told
             * closer: "... in the Turkish capital. The attack targeted the
             * army buses near the central square of Kizilay" */
            int ok = !(p && r->has_place && !place_compatible(p, &r->place) &&
                       strcmp(p->country, r->place.country)) &&
                     !(f->has_date && r->has_date &&
                       !date_overlap(date_days(f->date.lo), date_days(f->date.hi), r->date_lo,
                                     r->date_hi, 0));
            if (ok)
                best = sal;
        }
        if (best < 0 && f->plural_only && !f->has_date && !f->n_counts)
            return CASUS_OK;   /* generic: "attacks inside Iran" */
        /* the incident this sentence is about, or a salient one that has
         * neither place nor date yet: one incident told in several clauses
         * ("15 were killed and 50 injured at a mosque in Baghdad") */
        if (best < 0 && !f->is_ref && !f->another && sal >= 0 &&
            (cur >= 0 || (!s->loc[sal].has_place && !s->loc[sal].has_date &&
                          incident_methods_compatible(f->method, s->loc[sal].pub.method)))) {
            const inc_rec *r = &s->loc[sal];
            /* within the sentence, another place of the same country is the
             * same attack ("Four Assam Rifles personnel were killed in an
             * ambush ... in Nagaland's Mon district") */
            int ok = !(p && r->has_place && !place_compatible(p, &r->place) &&
                       !(cur >= 0 && sal == cur && !strcmp(p->country, r->place.country))) &&
                     !(f->has_date && r->has_date &&
                       !date_overlap(date_days(f->date.lo), date_days(f->date.hi), r->date_lo,
                                     r->date_hi, 0));
            if (ok)
                best = sal;
        }
    } else {
        for (size_t i = s->n_loc; f->hint && best < 0 && i-- > 0;)
            if (s->loc[i].has_place && place_compatible(f->hint, &s->loc[i].place) &&
                !(f->is_ref && (long)i == cur_main) && (long)i != skip)
                best = (long)i;
        if (best >= 0) {
            /* picked by the country it names */
        } else if (sal >= 0 && !(f->is_ref && sal == cur_main)) {
            best = sal;
        } else if (f->plural_only || (!f->n_perps && !f->method && !f->n_targets &&
                                      !f->n_counts)) {
            return CASUS_OK;
        }
    }
    /* "[Kerman attack] ... Instead, it (Tehran) has targeted X": the state
     * the incident struck, acting in a frame of its own, answers it; the
     * frame is not more of that incident (its targets are not the
     * incident's). It stands alone when it has a date or a place other than
     * the incident's, else it says nothing of an incident. */
    if (best >= 0 && !f->is_ref && state_response(f, &s->loc[best], si)) {
        /* a place of its own, not the one of the attack it answers ("...
         * alleging its role in the Kerman attack"), or a date */
        const inc_rec *r = &s->loc[best];
        int own_place = p && !(r->has_place && p->id == r->place.id);
        if (!own_place && !f->has_date)
            return CASUS_OK;
        best = -1;
    }
    if (best < 0) {
        if (mem_grow(s->ctx, (void **)&s->loc, &s->cap_loc, s->n_loc + 1, sizeof *s->loc))
            return CASUS_ENOMEM;
        inc_rec *r = &s->loc[s->n_loc];
        memset(r, 0, sizeof *r);
        r->first_sentence = si;
        r->lead_past = lead_past && !f->is_ref && s->n_loc == 0;
        r->distinct = f->is_ref || f->another || f->plural_only;
        r->cause = f->is_ref && f->ref_clause && !f->another;
        best = (long)s->n_loc++;
    }
    *out = best;
    return CASUS_OK;
}

static casus_status do_sentence(casus_incidents *s, casus_doc *doc, size_t si, long pub,
                                dict_day day, frame *fr)
{
    size_t ntok;
    const casus_token *toks = casus_doc_tokens(doc, &ntok);
    size_t nsent;
    const casus_sentence *sents = casus_doc_sentences(doc, &nsent);
    const casus_sentence *st = &sents[si];
    sview V = {s, doc, toks + st->first_token, st->n_tokens, si, st, 0, NULL, 0};
    sview *v = &V;
    size_t n = v->n;
    casus_status rc = CASUS_OK;
    if (n == 0)
        return CASUS_OK;
    if (n > s->cap_words) {
        size_t cap = n + 64;
        void *a = mem_realloc(s->ctx, s->key, cap * KEY);
        if (!a)
            return CASUS_ENOMEM;
        s->key = a;
        a = mem_realloc(s->ctx, s->low, cap * KEY);
        if (!a)
            return CASUS_ENOMEM;
        s->low = a;
        int **ints[3] = {&s->lo, &s->hi, &s->owner};
        for (int i = 0; i < 3; i++) {
            a = mem_realloc(s->ctx, *ints[i], cap * sizeof(int));
            if (!a)
                return CASUS_ENOMEM;
            *ints[i] = a;
        }
        s->cap_words = cap;
    }
    for (size_t i = 0; i < n; i++) {
        const casus_token *t = &v->w[i];
        if (t->lemma.n)
            lower_copy(s->key[i], t->lemma.p, t->lemma.n);
        else
            lower_copy(s->key[i], t->form.p, t->form.n);
        lower_copy(s->low[i], t->form.p, t->form.n);
        if (t->upos == CASUS_UPOS_VERB)
            fix_lemma(s, s->key[i], s->low[i]);
        /* the lemmatiser's "shet" for the verb "shot" ("fatally shot two
         * policemen") */
        if (t->upos == CASUS_UPOS_VERB && !strcmp(s->low[i], "shot"))
            memcpy(s->key[i], "shoot", sizeof "shoot");
        if (t->head >= 0)
            v->parsed = 1;
    }
    subtrees(v);
    if ((rc = match_doc_sentence(s->d, doc, si, &s->ms)) != CASUS_OK)
        return rc;
    actor_hit act[MAXACT];
    size_t n_act = find_actors(v, act, MAXACT, day);

    /* 1. triggers */
    size_t trig[MAXTRIG];
    int tref[MAXTRIG], tframe[MAXTRIG];
    size_t nt = 0;
    /* a question reports nothing: "What were Tehran's previous responses
     * to ISKP attack inside its territories?" */
    int question = n > 0 && !strcmp(LOW(v, n - 1), "?");
    for (size_t k = 0; k < n && nt < MAXTRIG && !question; k++) {
        int noun = v->w[k].upos == CASUS_UPOS_NOUN && in_list(K(v, k), attack_nouns);
        /* "is beaten to death" (the tagger's adjective), "are cut down by
         * Boko Haram" */
        static const char *const to_death[] = {"beaten", "beat", "hacked", "stabbed",
                                               "burnt", "burned", "clubbed", "stoned", NULL};
        if (!noun && v->w[k].upos != CASUS_UPOS_VERB && k + 2 < n &&
            in_list(LOW(v, k), to_death) && !strcmp(LOW(v, k + 1), "to") &&
            !strcmp(LOW(v, k + 2), "death") && trigger_ok(v, k)) {
            trig[nt++] = k;
            continue;
        }
        /* "Two men open fire on ...", "troops exchanged fire": the tagger's
         * adjectives */
        static const char *const fire_verbs[] = {"open", "opens", "opened", "opening",
                                                 "exchange", "exchanged", "exchanging", NULL};
        if (v->w[k].upos != CASUS_UPOS_VERB && k + 1 < n && in_list(LOW(v, k), fire_verbs) &&
            !strcmp(LOW(v, k + 1), "fire") && trigger_ok(v, k)) {
            trig[nt++] = k;
            continue;
        }
        if (v->w[k].upos == CASUS_UPOS_VERB && !strcmp(K(v, k), "cut") && k + 1 < n &&
            !strcmp(LOW(v, k + 1), "down") && trigger_ok(v, k)) {
            /* people cut down, not prices */
            long o = child(v, k, s->r_obj);
            if (o < 0)
                o = child(v, k, s->r_nsubjpass);
            if (o >= 0 && (incident_target_type(K(v, (size_t)o)) ||
                           child(v, (size_t)o, s->r_nummod) >= 0)) {
                trig[nt++] = k;
                continue;
            }
        }
        static const char *const hurt_adj[] = {"wounded", "injured", NULL};
        int adj = v->w[k].upos == CASUS_UPOS_ADJ && in_list(LOW(v, k), hurt_adj) &&
                  child(v, k, s->r_nsubj) >= 0;
        if ((noun || adj || is_trigger_verb(v, k)) && trigger_ok(v, k))
            trig[nt++] = k;
    }
    /* none, or only earlier attacks ("before being shot by police"): the
     * tagger may have taken the verb for a noun or an adjective ("A suicide
     * bomber kills ...", "gunmen shot dead ...", "an attacker wounded four
     * church-goers"); an inflected form of an attack verb not after a
     * determiner will do */
    int only_refs = 1;
    for (size_t i = 0; i < nt && only_refs; i++)
        only_refs = is_reference(v, trig[i]);
    for (size_t k = 0; only_refs && !question && k < n && nt < MAXTRIG; k++)
        if (v->w[k].upos != CASUS_UPOS_VERB && form_is_attack_verb(v, k) && trigger_ok(v, k)) {
            size_t at = nt;
            while (at > 0 && trig[at - 1] > k) {
                trig[at] = trig[at - 1];
                at--;
            }
            trig[at] = k;
            nt++;
            only_refs = 0;
        }
    /* a heading before a colon ("2004 Ashura bombings in Iraq: At least
     * 106 people were killed ..."): its attack is the one told after it,
     * so its triggers give way to those after the colon; its words belong
     * to the first of them */
    size_t head_end = heading_end(v);
    if (head_end && nt && trig[nt - 1] > head_end) {
        size_t keep = 0;
        for (size_t i = 0; i < nt; i++)
            if (trig[i] > head_end)
                trig[keep++] = trig[i];
        nt = keep;
    }
    /* 2. reference regions (a trigger inside one belongs to it) */
    for (size_t i = 0; i < nt; i++)
        tref[i] = is_reference(v, trig[i]) ? (int)i : -1;
    for (size_t i = 0; i < nt; i++) {
        if (tref[i] >= 0 && tref[i] != (int)i)
            continue;
        for (size_t j = 0; j < nt; j++) {
            if (j == i || tref[j] != (int)j)
                continue;
            /* i inside j's region */
            if (trig[i] >= (size_t)s->lo[trig[j]] && trig[i] <= (size_t)s->hi[trig[j]] &&
                is_ancestor(v, trig[j], trig[i])) {
                tref[i] = (int)j;
                break;
            }
        }
    }
    /* "after twin bombings killed 90 people": a verb whose subject is in a
     * reference region is part of it */
    for (size_t i = 0; i < nt; i++) {
        if (tref[i] >= 0 || v->w[trig[i]].upos != CASUS_UPOS_VERB)
            continue;
        long sj = child(v, trig[i], s->r_nsubj);
        for (size_t j = 0; j < nt; j++)
            if (tref[j] >= 0 && (trig[j] == (size_t)sj || trig[j] + 1 == trig[i]))
                tref[i] = tref[j];
    }
    /* each reference region spans its triggers' subtrees */
    int rlo[MAXTRIG], rhi[MAXTRIG];
    for (size_t i = 0; i < nt; i++) {
        rlo[i] = s->lo[trig[i]];
        rhi[i] = s->hi[trig[i]];
    }
    for (size_t i = 0; i < nt; i++) {
        int r = tref[i];
        if (r < 0 || r == (int)i)
            continue;
        if (s->lo[trig[i]] < rlo[r])
            rlo[r] = s->lo[trig[i]];
        if (s->hi[trig[i]] > rhi[r])
            rhi[r] = s->hi[trig[i]];
    }
    /* the places of this sentence */
    const where_place *pl[32], *hint[8];
    size_t npl = 0, nhint = 0;
    for (size_t i = 0; i < s->places.n && npl < 32; i++) {
        const where_place *p = &s->places.v[i];
        if (p->sentence != si || p->first_token < st->first_token)
            continue;
        size_t w0 = p->first_token - st->first_token, w1 = w0 + p->n_tokens;
        if (w0 >= n || w1 > n)
            continue;
        /* a place inside a longer actor name is the name's: "Islamic State
         * Khorasan Province" is a group, not Razavi Khorasan */
        int in_actor = 0;
        for (size_t q = 0; q < n_act && !in_actor; q++)
            in_actor = act[q].a <= w0 && w1 <= act[q].b && act[q].b - act[q].a > w1 - w0;
        if (in_actor)
            continue;
        /* a dateline: "TEHRAN, Jan. 17 -" */
        if (w0 == 0 && w1 < n && !strcmp(LOW(v, w1), ",") && match_is_upper(v->w[0].form.p, v->w[0].form.n))
            continue;
        /* a country naming an actor: "Iran's Revolutionary Guards", "a U.S.
         * drone", "Pakistan condemned", "blamed Israel" */
        uint8_t r = v->w[w1 - 1].deprel;
        if (p->precision == WHERE_COUNTRY && !(p->flags & WHERE_LOCATIVE) && r != s->r_obl) {
            if (nhint < 8)
                hint[nhint++] = p;
            continue;
        }
        /* the capital for its state: "Tehran's previous responses",
         * "Tehran aims to", not "inside Tehran" nor "the Yemeni capital
         * Sanaa" parsed as a subject */
        uint8_t before = w0 > 0 ? v->w[w0 - 1].upos : CASUS_UPOS_PUNCT;
        if (!(p->flags & WHERE_LOCATIVE) &&
            (r == s->r_poss ||
             (r == s->r_nsubj && before != CASUS_UPOS_NOUN && before != CASUS_UPOS_PROPN &&
              before != CASUS_UPOS_ADJ)) &&
            where_is_capital(s->ix, p))
            continue;
        pl[npl++] = p;
    }
    v->pl = pl;
    v->npl = npl;
    /* the reference date for anchored dates: the incident a reference
     * frame names by its place, else the salient incident */
    casus_date ref = {0, 0, 0};
    long sal0 = salient(s, si, -1);
    for (size_t i = 0; i < nt && !ref.year; i++) {
        if (tref[i] != (int)i)
            continue;
        for (size_t q = 0; q < npl; q++) {
            size_t w0 = pl[q]->first_token - st->first_token;
            if (w0 < (size_t)rlo[i] || w0 > (size_t)rhi[i])
                continue;
            for (size_t r = 0; r < s->n_loc; r++)
                if (s->loc[r].has_date && s->loc[r].has_place &&
                    place_compatible(pl[q], &s->loc[r].place) &&
                    pl[q]->precision == s->loc[r].place.precision) {
                    ref = date_from_days(s->loc[r].date_lo);
                    break;
                }
        }
    }
    if (!ref.year && sal0 >= 0 && s->loc[sal0].has_date)
        ref = date_from_days(s->loc[sal0].date_lo);
    when_env env = when_env_for_doc(doc, ref);
    when_date dates[16];
    size_t nd = when_find(&env, v->w, n, dates, 16);
    /* a date is not a place: "In June" is not Unieux */
    for (size_t q = 0; q < npl;) {
        size_t w0 = pl[q]->first_token - st->first_token;
        int clash = 0;
        for (size_t e = 0; e < nd; e++)
            if (w0 + pl[q]->n_tokens > dates[e].first && w0 < dates[e].first + dates[e].n)
                clash = 1;
        if (clash)
            pl[q] = pl[--npl];
        else
            q++;
    }

    /* 3. owners: each word's trigger */
    for (size_t k = 0; k < n; k++) {
        int o = -1;
        for (size_t i = 0; i < nt; i++) {
            int r = tref[i];
            if (r >= 0 && r == (int)i && k >= (size_t)rlo[i] && k <= (size_t)rhi[i]) {
                o = (int)i;
                break;
            }
        }
        if (o < 0) {
            for (size_t i = 0; i < nt; i++) {
                if (tref[i] >= 0)
                    continue;
                if (trig[i] <= k)
                    o = (int)i;
                else if (o < 0) {
                    o = (int)i;
                    break;
                } else
                    break;
            }
        }
        s->owner[k] = o;
    }

    /* 4. frames */
    size_t nf = 0;
    for (size_t i = 0; i < nt; i++)
        tframe[i] = -1;
    for (size_t i = 0; i < nt; i++) {
        size_t t = trig[i];
        if (tref[i] >= 0 && tref[i] != (int)i) {
            tframe[i] = tframe[tref[i]];
            continue;
        }
        /* own place and date */
        const where_place *op = NULL;
        const when_date *od = NULL;
        for (size_t q = 0; q < npl; q++) {
            size_t w0 = pl[q]->first_token - st->first_token;
            if (s->owner[w0] == (int)i && !(pl[q]->flags & (WHERE_ORIGIN | WHERE_VIA_DEMONYM)) &&
                (!op || pl[q]->precision > op->precision))
                op = pl[q];
        }
        for (size_t q = 0; q < nd && !od; q++)
            if (s->owner[dates[q].first] == (int)i && date_usable(&dates[q]) &&
                !again_date(v, &dates[q]))
                od = &dates[q];
        int join = -1;
        if (tref[i] < 0 && nf > 0) {
            int last = -1;
            for (size_t j = i; j-- > 0;)
                if (tref[j] < 0) {
                    last = (int)j;
                    break;
                }
            if (last >= 0) {
                frame *lf = &fr[tframe[last]];
                int link = 0;
                for (size_t j = 0; j < i; j++)
                    if (tframe[j] == tframe[last] && linked(v, t, trig[j]))
                        link = 1;
                if (!frame_conflict(lf, op, od) && (link || !starts_new(v, t)))
                    join = tframe[last];
            }
        }
        if (join < 0) {
            if (nf == MAXFRAME)
                join = (int)nf - 1;
            else {
                frame *f = &fr[nf];
                memset(f, 0, sizeof *f);
                f->is_ref = tref[i] >= 0;
                f->ref_clause = f->is_ref && v->w[t].upos == CASUS_UPOS_VERB;
                f->first_trig = t;
                f->plural_only = 1;
                f->inc = -1;
                f->copy_of = -1;
                uint8_t x = v->w[t].xpos;
                const char *xn = casus_xpos_name(x);
                f->verb_past = v->w[t].upos == CASUS_UPOS_VERB &&
                               (!strcmp(xn, "VBD") ||
                                (!strcmp(xn, "VBN") && has_child(v, t, s->r_aux, NULL)));
                join = (int)nf++;
            }
        }
        tframe[i] = join;
        frame *f = &fr[join];
        if (definite(v, t))
            f->definite = 1;
        static const char *const otherw[] = {"another", "separate", "second", "third",
                                             "other", "earlier", "similar", "new", NULL};
        if (has_child(v, t, 0xff, otherw))
            f->another = 1;
        /* "a pair of suicide car bombings", "a series of attacks", "twin
         * blasts": one event told in the plural, not a generic mention */
        static const char *const setw[] = {"pair", "series", "wave", "string", "spate",
                                           "couple", "set", "twin", "coordinated",
                                           "simultaneous", NULL};
        long th = head_of(v, t);
        static const char *const the[] = {"the", NULL};
        int a_set = has_child(v, t, 0xff, setw) ||
                    (th >= 0 && in_list(K(v, (size_t)th), setw) && th < (long)t &&
                     !has_child(v, (size_t)th, s->r_det, the));
        /* "ETA bombs a police convoy": a plural with an object is the
         * verb the tagger took for a noun, not a generic mention */
        /* "Bombings of a monument ...": a plural with its target after
         * "of" tells the attacks on it */
        int of_target = 0;
        for (size_t j = t + 1; j < v->n && j <= (size_t)s->hi[t] && !of_target; j++)
            of_target = head_of(v, j) == (long)t && v->w[j].deprel == s->r_nmod &&
                        j > 0 && (size_t)s->lo[j] > t && !strcmp(LOW(v, (size_t)s->lo[j]), "of");
        /* "The string of ISKP attacks has ...": a series told before, of
         * several incidents, not one of them */
        int the_series = th >= 0 && th < (long)t && in_list(K(v, (size_t)th), setw) &&
                         has_child(v, (size_t)th, s->r_det, the) &&
                         !strcmp(casus_xpos_name(v->w[t].xpos), "NNS");
        if (the_series)
            f->series = 1;
        if (!(v->w[t].upos == CASUS_UPOS_NOUN && in_list(K(v, t), attack_nouns) &&
              !strcmp(casus_xpos_name(v->w[t].xpos), "NNS") &&
              (!definite(v, t) || the_series) && child(v, t, s->r_nummod) < 0 && !a_set &&
              child(v, t, s->r_obj) < 0 && !of_target))
            f->plural_only = 0;
        if (op && f->n_places < FMAX)
            f->places[f->n_places++] = op;
        if (od && !f->has_date) {
            f->has_date = 1;
            f->date = *od;
        }
    }
    /* word -> frame */
#define FRAME_OF(k) (s->owner[k] >= 0 ? tframe[s->owner[k]] : -1)

    /* 5. evidence owned by words: places, dates, counts, methods */
    for (size_t q = 0; q < npl; q++) {
        size_t w0 = pl[q]->first_token - st->first_token;
        int f = w0 < n ? FRAME_OF(w0) : -1;
        if (f < 0)
            continue;
        int dup = 0;
        for (size_t j = 0; j < fr[f].n_places; j++)
            dup |= fr[f].places[j] == pl[q];
        if (!dup && fr[f].n_places < FMAX)
            fr[f].places[fr[f].n_places++] = pl[q];
    }
    for (size_t q = 0; q < nhint; q++) {
        size_t w0 = hint[q]->first_token - st->first_token;
        int f = w0 < n ? FRAME_OF(w0) : -1;
        if (f >= 0 && !fr[f].hint)
            fr[f].hint = hint[q];
    }
    for (size_t q = 0; q < nd; q++) {
        int f = FRAME_OF(dates[q].first);
        if (f >= 0 && !fr[f].is_ref && !fr[f].again && date_usable(&dates[q]) &&
            again_date(v, &dates[q])) {
            fr[f].again = (int)q + 1;
            continue;
        }
        if (f >= 0 && !fr[f].has_date && date_usable(&dates[q]) && !again_date(v, &dates[q])) {
            fr[f].has_date = 1;
            fr[f].date = dates[q];
        }
    }
    struct {
        int f;
        size_t c;
    } added[32];
    size_t n_added = 0;
    for (size_t k = 0; k < n;) {
        int in_date = 0;
        for (size_t q = 0; q < nd; q++)
            if (k >= dates[q].first && k < dates[q].first + dates[q].n)
                in_date = 1;
        num_range r;
        size_t len = in_date ? 0 : number_at(v->w, n, k, &r);
        if (!len) {
            k++;
            continue;
        }
        int f = FRAME_OF(k);
        int left = 0;
        /* the role matters to a frame's figure or a warning only */
        int role = f >= 0 || (r.flags & NUM_OVERFLOW) ? count_role(v, k, len, &left) : -1;
        if (r.flags & NUM_OVERFLOW) {
            if (role >= 0)
                ctx_diag(s->ctx, CASUS_WARNING, buf_cstr(&doc->file), doc->line,
                         buf_cstr(&doc->id), (int64_t)v->w[k].start,
                         "count '%.*s' is too large: left null",
                         (int)(v->w[k + len - 1].end - v->w[k].start > 64
                                   ? 64
                                   : v->w[k + len - 1].end - v->w[k].start),
                         v->w[k].form.p);
        } else if (role >= 0 && f >= 0 && fr[f].n_counts < FMAX) {
            if (n_added < sizeof added / sizeof added[0]) {
                added[n_added].f = f;
                added[n_added++].c = fr[f].n_counts;
            }
            fcount *c = &fr[f].counts[fr[f].n_counts++];
            memset(c, 0, sizeof *c);
            c->role = role;
            c->left = left;
            c->r = r;
            c->pos = k;
            c->len = len;
            counted_noun(v, k, len, c->noun);
        }
        k += len;
    }
    /* the other members of a counted noun's coordination: "killing 6
     * soldiers and a civilian", "Four police officers and three militants
     * were killed", "killing a US soldier and 2 Afghan civilians" */
    for (size_t q = 0; q < n_added; q++)
        conj_partners(v, &fr[added[q].f], added[q].c);
    /* suicide bombers die by their own bombs: "Two suicide car bombers
     * detonate in a market, wounding 25", "a suicide bomber blew himself
     * up" (a count of killed that any figure of the frame overrides) */
    for (size_t k = 0; k < n; k++) {
        int f = FRAME_OF(k);
        long h = head_of(v, k);
        if (f < 0 || fr[f].n_counts >= FMAX || strcmp(K(v, k), "bomber") ||
            v->w[k].upos != CASUS_UPOS_NOUN || h < 0 || v->w[k].deprel != s->r_nsubj ||
            !(is_trigger_verb(v, (size_t)h) || blow_up(v, (size_t)h)))
            continue;
        int suicide = 0;
        for (size_t j = (size_t)s->lo[k]; j < k; j++)
            suicide |= !strcmp(K(v, j), "suicide");
        if (!suicide)
            continue;
        int64_t c = 0;
        long nm = child(v, k, s->r_nummod);
        if (nm >= 0)
            c = number_word(v->w[nm].form.p, v->w[nm].form.n);
        else if (!strcmp(casus_xpos_name(v->w[k].xpos), "NN"))
            c = 1;
        if (c > 0) {
            fcount *fc = &fr[f].counts[fr[f].n_counts++];
            memset(fc, 0, sizeof *fc);
            fc->role = ROLE_KILLED;
            fc->implicit = 1;
            fc->r.min = fc->r.max = c;
            fc->pos = k;
        }
    }
    /* victims without a figure: "a policeman was killed", "killing a
     * doorman and a French visitor", "wounding a U.S. soldier" */
    for (size_t k = 0; k < n; k++) {
        int f = FRAME_OF(k);
        int role = victim_verb(v, k);
        if (f < 0 || role < 0 || fr[f].n_counts >= FMAX)
            continue;
        int64_t c = singular_victims(v, k);
        if (c > 0) {
            fcount *fc = &fr[f].counts[fr[f].n_counts++];
            memset(fc, 0, sizeof *fc);
            fc->role = role;
            fc->implicit = 1;
            fc->r.min = fc->r.max = c;
            fc->pos = k;
        }
    }
    for (size_t k = 0; k < n; k++) {
        int f = FRAME_OF(k);
        if (f < 0)
            continue;
        int neg = 0;
        for (size_t d = 1; d <= 2 && d <= k; d++)
            if (in_list(LOW(v, k - d), neg_words))
                neg = 1;
        if (neg)
            continue;
        const char *m = NULL;
        int prio = 0;
        int mi = method_index_s(s, K(v, k));
        if (mi < 0)
            mi = method_index_s(s, LOW(v, k));
        if (mi >= 0 && !response_fire(v, k)) {
            m = method_words[mi].mode;
            prio = method_words[mi].prio;
        }
        if ((!strcmp(K(v, k), "strike") || !strcmp(K(v, k), "raid")) && k > 0 &&
            !strcmp(K(v, k - 1), "air")) {
            m = "aerial";
            prio = 8;
        }
        if (!strcmp(K(v, k), "fire") && k > 0 && !strcmp(K(v, k - 1), "open")) {
            m = "firearms";
            prio = 5;
        }
        int bu = blow_up(v, k);
        if (bu) {
            m = bu == 2 ? "suicide-attack" : "explosives";
            prio = bu == 2 ? 30 : 6;
        }
        /* the trigger's own word says it best: "a stabbing spree" (not
         * for words that name no weapon, "massacre", or the burning of
         * property: "opening fire on residents and torching their homes") */
        for (size_t i = 0; m && i < nt; i++)
            if (trig[i] == k && prio > 2 && prio < 20 && strcmp(K(v, k), "burn") &&
                strcmp(K(v, k), "torch") && strcmp(m, "abduct"))
                prio += 10;
        /* "set the cinema on fire", "set fire to a prayer hall" */
        if (set_fire(v, k)) {
            m = "primitive";
            prio = 3;
        }
        if (m && prio > fr[f].method_prio) {
            fr[f].method = m;
            fr[f].method_prio = prio;
        }
    }

    /* 6. perpetrators and targets from the triggers */
    static const char *const bymark[] = {"by", NULL};
    static const char *const tmark[] = {"on", "against", "at", "targeting", NULL};
    static const char *const inmark[] = {"in", "near", "outside", "inside", NULL};
    for (size_t i = 0; i < nt; i++) {
        size_t t = trig[i];
        frame *f = &fr[tframe[i]];
        if (tframe[i] < 0)
            continue;
        for (size_t c = 0; c < n; c++) {
            if (head_of(v, c) != (long)t)
                continue;
            uint8_t r = v->w[c].deprel;
            int by = has_child(v, c, s->r_case, bymark);
            if (v->w[t].upos == CASUS_UPOS_VERB) {
                /* a passive subject of a verb with no passive auxiliary is
                 * its subject ("Islamic State killed seven ...") */
                static const char *const be[] = {"be", NULL};
                if (r == s->r_nsubjpass && !has_child(v, t, s->r_auxpass, NULL) &&
                    !has_child(v, t, s->r_aux, be) && c < t)
                    r = s->r_nsubj;
                /* a verb parsed as a noun's head: "Islamic State killed"
                 * with "State" a compound of "killed" */
                if ((r == s->r_compound || r == s->r_amod) && c < t &&
                    child(v, t, s->r_nsubj) < 0 && child(v, t, s->r_nsubjpass) < 0)
                    r = s->r_nsubj;
                if (r == s->r_nsubj && !in_list(K(v, c), attack_nouns))
                    perps_of(v, act, n_act, c, f);
                else if (r == s->r_oblagent || (r == s->r_obl && by))
                    perps_of(v, act, n_act, c, f);
                else if (r == s->r_obj)
                    target_of(v, act, n_act, c, f);
                else if ((r == s->r_obl || r == s->r_nmod) &&
                         has_child(v, c, s->r_case, tmark))
                    target_of(v, act, n_act, c, f);
            } else {
                if (r == s->r_compound || r == s->r_amod || r == s->r_poss ||
                    ((r == s->r_nmod || r == s->r_obl) &&
                     (by || (has_child(v, c, s->r_case, (const char *const[]){"of", NULL}) &&
                             v->w[c].upos == CASUS_UPOS_PROPN)))) {
                    size_t before = f->n_perps;
                    perps_in(v, act, n_act, (size_t)s->lo[c], (size_t)s->hi[c],
                             CASUS_PERP_REPORTED, NULL, f);
                    if (f->n_perps == before && r != s->r_amod)
                        propn_perp(v, (size_t)s->lo[c], (size_t)s->hi[c], CASUS_PERP_REPORTED, f);
                }
                else if ((r == s->r_nmod || r == s->r_obl) && has_child(v, c, s->r_case, tmark))
                    target_of(v, act, n_act, c, f);
                else if ((r == s->r_nmod || r == s->r_obl) &&
                         has_child(v, c, s->r_case, inmark) && incident_target_type(K(v, c)))
                    target_of(v, act, n_act, c, f);
            }
        }
    }
    /* "carried out by X", "claiming to target X", "the victims were X" */
    static const char *const carry[] = {"carry", "conduct", "perpetrate", "launch", "stage",
                                        "commit", "orchestrate", "mastermind", NULL};
    static const char *const place_v[] = {"carry", "conduct", "perpetrate", "launch", "stage",
                                          "commit", "orchestrate", "mastermind", "plant",
                                          "place", "set", "detonate", "throw", "hurl", "fire",
                                          "send", "mount", "organize", "organise", "lay",
                                          "execute", NULL};
    int victims = -1;
    for (size_t k = 0; k < n; k++) {
        int f = FRAME_OF(k);
        if (f < 0)
            continue;
        /* "Weather Underground planted a bomb", "Hamas orchestrates the
         * massacre": the subject of a verb of placing or carrying out
         * whose object is an attack or a weapon */
        if (v->w[k].upos == CASUS_UPOS_VERB && in_list(K(v, k), place_v)) {
            long o = child(v, k, s->r_obj), sj = child(v, k, s->r_nsubj);
            if (o >= 0 && sj >= 0 && (size_t)sj < k &&
                (in_list(K(v, (size_t)o), attack_nouns) || in_list(K(v, (size_t)o), weapon_words) ||
                 method_index(K(v, (size_t)o)) >= 0))
                perps_of(v, act, n_act, (size_t)sj, &fr[f]);
        }
        /* "X was behind the attack" */
        if (!strcmp(LOW(v, k), "behind") && k + 1 < n) {
            long h = head_of(v, k);
            long sj = h >= 0 ? child(v, (size_t)h, s->r_nsubj) : -1;
            if (h >= 0 && sj >= 0 && sj < (long)k &&
                (in_list(K(v, (size_t)h), attack_nouns) || in_list(K(v, (size_t)h), weapon_words)))
                perps_of(v, act, n_act, (size_t)sj, &fr[f]);
        }
        if (!strcmp(K(v, k), "by") && v->w[k].deprel == s->r_case) {
            long h = head_of(v, k);
            long hh = h >= 0 ? head_of(v, (size_t)h) : -1;
            /* "carried out by X", "a bomb set off by the group FALN" */
            if (h >= 0 && hh >= 0 && (in_list(K(v, (size_t)hh), carry) ||
                                      in_list(K(v, (size_t)hh), place_v)))
                perps_of(v, act, n_act, (size_t)h, &fr[f]);
        }
        if (!strcmp(K(v, k), "target") && v->w[k].upos == CASUS_UPOS_VERB && realised(v, k)) {
            long o = child(v, k, s->r_obj);
            if (o >= 0)
                target_of(v, act, n_act, (size_t)o, &fr[f]);
        }
        if (!strcmp(K(v, k), "victim"))
            victims = f;
    }
    if (victims >= 0)
        for (size_t k = 0; k < n; k++) {
            const char *ty = incident_target_type(K(v, k));
            if (ty && (v->w[k].upos == CASUS_UPOS_NOUN) && strcmp(K(v, k), "victim"))
                target_of(v, act, n_act, k, &fr[victims]);
        }
    /* "Boko Haram fighters", "Islamic State militants", "members of the
     * MIR", "planted by the Islamic State", "attributed to X": armed-group
     * actors next to an attacker noun or in an agent phrase */
    static const char *const attacker[] = {"militant", "fighter", "gunman", "gunmen", "bomber",
                                           "member", "insurgent", "rebel", "guerrilla",
                                           "jihadist", "assailant", "attacker", "terrorist",
                                           "cell", "operative", "extremist", "separatist",
                                           NULL};
    static const char *const agentw[] = {"by", "attribute", "attributed", NULL};
    for (size_t q = 0; q < n_act; q++) {
        int f = FRAME_OF(act[q].a);
        if (f < 0)
            continue;
        /* not inside the object of an attack: "it has targeted Iranian
         * Baluchi militant group Jaish Ul-Adl" names the target */
        int in_obj = 0;
        for (size_t i = 0; i < nt && !in_obj; i++) {
            long o = v->w[trig[i]].upos == CASUS_UPOS_VERB ? child(v, trig[i], s->r_obj) : -1;
            in_obj = o >= 0 && act[q].a >= (size_t)s->lo[o] && act[q].a <= (size_t)s->hi[o] &&
                     !in_list(K(v, (size_t)o), weapon_words) &&
                     !in_list(K(v, (size_t)o), attack_nouns) && method_index(K(v, (size_t)o)) < 0;
            /* "hit a mine planted by Boko Haram": an agent inside it */
            for (size_t j = (size_t)(o >= 0 ? s->lo[o] : 0); in_obj && j < act[q].a; j++)
                in_obj = strcmp(LOW(v, j), "by") != 0;
        }
        if (in_obj)
            continue;
        int hit = 0;
        /* "Boko Haram fighters", "an Islamic State drone", "a Taliban
         * roadside bomb" */
        for (size_t j = act[q].b; j < n && j < act[q].b + 3 && !hit; j++)
            hit = in_list(K(v, j), attacker) || in_list(LOW(v, j), attacker) ||
                  (in_list(K(v, j), weapon_words) && v->w[j].upos == CASUS_UPOS_NOUN);
        /* "gunmen belonging to X", "militants affiliated with X", "loyal to X" */
        static const char *const belong[] = {"belonging", "belonged", "belongs", "affiliated",
                                             "loyal", NULL};
        for (size_t d = 1; d <= 3 && d <= act[q].a && !hit; d++) {
            if (v->w[act[q].a - d].upos == CASUS_UPOS_PUNCT)
                break;
            hit = in_list(LOW(v, act[q].a - d), belong);
        }
        for (size_t d = 1; d <= 3 && d <= act[q].a && !hit; d++) {
            const char *w = LOW(v, act[q].a - d);
            hit = (in_list(w, agentw) && agent_of_attack(v, act[q].a - d)) ||
                  ((!strcmp(w, "of") || !strcmp(w, "from")) && act[q].a > d &&
                   in_list(K(v, act[q].a - d - 1), attacker));
            if (v->w[act[q].a - d].upos == CASUS_UPOS_VERB || !strcmp(w, ","))
                break;
        }
        if (hit)
            perps_in(v, act, n_act, act[q].a, act[q].b - 1, CASUS_PERP_REPORTED, NULL, &fr[f]);
    }
    /* suspected perpetrators: "suspected X militants", "linked to X" */
    static const char *const suspw[] = {"suspect", "suspected", "believe", "link", "linked",
                                        "allegedly", "presumably", NULL};
    for (size_t q = 0; q < n_act; q++) {
        int f = FRAME_OF(act[q].a);
        if (f < 0)
            continue;
        for (size_t d = 1; d <= 4 && d <= act[q].a; d++)
            if (in_list(LOW(v, act[q].a - d), suspw) || in_list(K(v, act[q].a - d), suspw)) {
                perps_in(v, act, n_act, act[q].a, act[q].b - 1, CASUS_PERP_SUSPECTED, NULL,
                         &fr[f]);
                break;
            }
    }

    /* an armed group's attack with no weapon named: small arms, the lowest
     * cue ("a Taliban attack killed eight police officers") */
    for (size_t i = 0; i < nf; i++)
        for (size_t j = 0; j < fr[i].n_perps && fr[i].method_prio < 1; j++)
            if (armed_group(fr[i].perps[j].code)) {
                fr[i].method = "firearms";
                fr[i].method_prio = 1;
            }

    /* 7. claims and blames */
    pending pend[FMAX];
    size_t np = 0;
    static const char *const claimv[] = {"claim", "take", "accept", "assume", "bear", NULL};
    static const char *const respw[] = {"responsibility", "credit", NULL};
    static const char *const blamev[] = {"blame", "accuse", NULL};
    static const char *const relw[] = {"which", "who", "that", NULL};
    for (size_t k = 0; k < n; k++) {
        if (v->w[k].upos != CASUS_UPOS_VERB)
            continue;
        int claim = in_list(K(v, k), claimv) && has_child(v, k, 0xff, respw);
        /* "IS claimed the attack", "the Islamic State claims it was behind
         * the attack" */
        if (!claim && !strcmp(K(v, k), "claim")) {
            long o = child(v, k, s->r_obj), ps = child(v, k, s->r_nsubjpass);
            claim = (o >= 0 && in_list(K(v, (size_t)o), attack_nouns)) ||
                    (ps >= 0 && in_list(K(v, (size_t)ps), attack_nouns));
            for (size_t j = k + 1; !claim && j < n && j <= (size_t)s->hi[k]; j++)
                claim = !strcmp(LOW(v, j), "behind");
        }
        /* "IS said it was behind the attack", "the group said it was
         * responsible" */
        if (!claim && (!strcmp(K(v, k), "say") || !strcmp(K(v, k), "announce") ||
                       !strcmp(K(v, k), "admit"))) {
            for (size_t j = k + 1; !claim && j < n && j <= (size_t)s->hi[k] && j <= k + 5; j++)
                claim = !strcmp(LOW(v, j), "behind") || !strcmp(LOW(v, j), "responsible");
        }
        int blame = in_list(K(v, k), blamev);
        /* "Boko Haram is suspected", "the Taliban are believed to be
         * behind it" */
        long sp = child(v, k, s->r_nsubjpass);
        int suspect = !claim && !blame && sp >= 0 &&
                      (!strcmp(K(v, k), "suspect") || !strcmp(K(v, k), "believe"));
        if (!claim && !blame && !suspect)
            continue;
        /* which frame: triggers in its subtree after it, else its own */
        int tf = -1;
        for (size_t i = 0; i < nt && tf < 0; i++)
            if (trig[i] > k && trig[i] <= (size_t)s->hi[k] && tframe[i] >= 0)
                tf = tframe[i];
        if (tf < 0)
            tf = FRAME_OF(k);
        frame tmp;
        memset(&tmp, 0, sizeof tmp);
        long subj = child(v, k, s->r_nsubj);
        long pass = child(v, k, s->r_nsubjpass);
        /* "Islamic State claimed ..." with "State" parsed as a compound */
        if (subj < 0 && pass < 0) {
            long cp = child(v, k, s->r_compound);
            if (cp >= 0 && cp < (long)k)
                subj = cp;
        }
        if (suspect) {
            perps_in(v, act, n_act, (size_t)s->lo[sp], (size_t)s->hi[sp], CASUS_PERP_SUSPECTED,
                     NULL, &tmp);
        } else if (claim) {
            if (subj >= 0) {
                size_t sj = (size_t)subj;
                if (in_list(K(v, sj), relw)) {
                    long ant = head_of(v, k);
                    ant = ant >= 0 ? head_of(v, (size_t)ant) : -1;
                    if (ant >= 0)
                        perps_in(v, act, n_act, (size_t)s->lo[ant], k, CASUS_PERP_CLAIMED,
                                 NULL, &tmp);
                } else {
                    perps_of(v, act, n_act, sj, &tmp);
                }
            }
            /* "The bombing is claimed by the Puerto Rican Resistance Army" */
            for (size_t c = 0; subj < 0 && c < n; c++)
                if (head_of(v, c) == (long)k &&
                    (v->w[c].deprel == s->r_oblagent ||
                     (v->w[c].deprel == s->r_obl && has_child(v, c, s->r_case, bymark))))
                    perps_of(v, act, n_act, c, &tmp);
            for (size_t j = 0; j < tmp.n_perps; j++)
                tmp.perps[j].status = CASUS_PERP_CLAIMED;
        } else {
            char by[96] = "";
            long hd = head_of(v, k);
            static const char *const future[] = {"future", "any", NULL};
            int generic = 0;
            /* in its "for X" phrase, not in a clause joined to it ("...,
             * which both denied any role") */
            for (size_t c = 0; c < n; c++)
                if (head_of(v, c) == (long)k && v->w[c].deprel == s->r_obl)
                    for (size_t w = (size_t)s->lo[c]; w <= (size_t)s->hi[c]; w++)
                        generic |= in_list(LOW(v, w), future);
            if (generic) {
                /* "blaming Israel for any future attacks" */
            } else if (pass >= 0 && !in_list(K(v, (size_t)pass), attack_nouns) &&
                       !in_list(K(v, (size_t)pass), weapon_words)) {
                /* "FARC is blamed for the attack", "Pro-Iraqi militants were
                 * blamed" */
                perps_of(v, act, n_act, (size_t)pass, &tmp);
                for (size_t j = 0; j < tmp.n_perps; j++)
                    tmp.perps[j].status = CASUS_PERP_BLAMED;
            } else if (subj >= 0 || (pass < 0 && hd >= 0 && (size_t)hd < k &&
                                     v->w[k].deprel == s->r_acl)) {
                size_t sj = subj >= 0 ? (size_t)subj : (size_t)hd;
                size_t e = subj >= 0 ? (size_t)s->hi[sj] + 1 : sj + 1;
                if (is_pronoun_subject(v, sj) && s->have_prev)
                    memcpy(by, s->prev_subj, sizeof by);
                else
                    span_text(v->w, (size_t)s->lo[sj], e, by, sizeof by);
                for (size_t c = 0; c < n; c++)
                    if (head_of(v, c) == (long)k && v->w[c].deprel == s->r_obj)
                        perps_in(v, act, n_act, (size_t)s->lo[c], (size_t)s->hi[c],
                                 CASUS_PERP_BLAMED, by, &tmp);
                /* "which the army blamed on FARC dissidents" */
                static const char *const onw[] = {"on", NULL};
                for (size_t c = 0; !tmp.n_perps && c < n; c++)
                    if (head_of(v, c) == (long)k && v->w[c].deprel == s->r_obl &&
                        has_child(v, c, s->r_case, onw)) {
                        perps_of(v, act, n_act, c, &tmp);
                        for (size_t j = 0; j < tmp.n_perps; j++) {
                            tmp.perps[j].status = CASUS_PERP_BLAMED;
                            snprintf(tmp.perps[j].blamed_by, sizeof tmp.perps[j].blamed_by,
                                     "%s", by);
                        }
                    }
            } else {
                static const char *const on[] = {"on", NULL};
                for (size_t c = 0; c < n; c++)
                    if (head_of(v, c) == (long)k && v->w[c].deprel == s->r_obl &&
                        has_child(v, c, s->r_case, on))
                        perps_in(v, act, n_act, (size_t)s->lo[c], (size_t)s->hi[c],
                                 CASUS_PERP_BLAMED, NULL, &tmp);
            }
        }
        for (size_t j = 0; j < tmp.n_perps && np < FMAX; j++) {
            pend[np].p = tmp.perps[j];
            pend[np++].frame = tf;
        }
    }

    /* "X struck A in March, and again in May": the repetition is a second
     * incident with the frame's roles, place and method and the later date */
    for (size_t i = 0, n0 = nf; i < n0 && nf < MAXFRAME; i++) {
        if (!fr[i].again)
            continue;
        fr[nf] = fr[i];
        fr[nf].has_date = 1;
        fr[nf].date = dates[fr[i].again - 1];
        fr[nf].again = 0;
        fr[nf].copy_of = (int)i;
        fr[nf].n_counts = 0;   /* figures stay with the first report */
        nf++;
    }

    /* "The IRGC retaliated ..., following the 2017 parliament and mausoleum
     * attacks": a frame without a date of its own, after a reference that
     * the text dates by its year only, happened that year (a finer date of
     * the reference says no more than "later") */
    for (size_t i = 0; i < nf; i++) {
        frame *f = &fr[i];
        if (f->is_ref || f->has_date || f->copy_of >= 0)
            continue;
        size_t t = f->first_trig;
        for (size_t j = 0; j < nf; j++) {
            const frame *g = &fr[j];
            size_t u = g->first_trig;
            if (!g->is_ref || !g->has_date || g->date.precision != WHEN_PREC_YEAR ||
                u < (size_t)s->lo[t] || u > (size_t)s->hi[t])
                continue;
            f->has_date = 1;
            f->date = g->date;
            break;
        }
    }

    /* 8. frames -> incidents */
    int any_date = 0;
    for (size_t q = 0; q < nd; q++)
        any_date |= date_usable(&dates[q]);
    long cur = -1;
    for (size_t i = 0; i < nf; i++) {
        frame *f = &fr[i];
        long inc;
        long skip = f->copy_of >= 0 ? fr[f->copy_of].inc : -1;
        rc = resolve_frame(s, f, si, f->is_ref ? -1 : cur, cur, f->verb_past && !any_date, skip,
                           &inc);
        if (rc != CASUS_OK)
            return rc;
        f->inc = (int)inc;
        if (inc < 0)
            continue;
        inc_rec *r = &s->loc[inc];
        if ((rc = rec_apply(s, r, f, v, pub)) != CASUS_OK ||
            (rc = rec_add_ev(s, r, 0, si, st->start, st->end)) != CASUS_OK)
            return rc;
        note_recent(s, (size_t)inc, si);
        if (!f->is_ref)
            cur = inc;
    }
    for (size_t j = 0; j < np; j++) {
        long inc = pend[j].frame >= 0 ? fr[pend[j].frame].inc : salient(s, si, cur);
        if (inc < 0)
            continue;
        inc_rec *r = &s->loc[inc];
        add_party(r->pub.perpetrators, &r->pub.n_perpetrators, &pend[j].p);
        if (pend[j].p.status == CASUS_PERP_CLAIMED && armed_group(pend[j].p.code))
            rec_set_method(r, "firearms", 1);
        if ((rc = rec_add_ev(s, r, 0, si, st->start, st->end)) != CASUS_OK)
            return rc;
    }
    /* counts in a sentence without a trigger: "The death toll rose to 95." */
    if (nt == 0) {
        frame tmp;
        memset(&tmp, 0, sizeof tmp);
        for (size_t k = 0; k < n;) {
            num_range r;
            size_t len = number_at(v->w, n, k, &r);
            if (!len) {
                k++;
                continue;
            }
            int left;
            int role = count_role(v, k, len, &left);
            if (role >= 0 && !(r.flags & NUM_OVERFLOW) && tmp.n_counts < FMAX) {
                fcount *c = &tmp.counts[tmp.n_counts++];
                memset(c, 0, sizeof *c);
                counted_noun(v, k, len, c->noun);
                c->role = role;
                c->left = left;
                c->r = r;
                c->pos = k;
            }
            k += len;
        }
        long inc = tmp.n_counts ? salient(s, si, -1) : -1;
        if (inc >= 0) {
            if ((rc = rec_apply(s, &s->loc[inc], &tmp, v, pub)) != CASUS_OK ||
                (rc = rec_add_ev(s, &s->loc[inc], 0, si, st->start, st->end)) != CASUS_OK)
                return rc;
        }
    }

    /* 9. the subject of this sentence, for "it"/"they" in the next: the
     * main verb's ("Even with ISKP claiming responsibility, Tehran has
     * refrained ...": Tehran), else the first */
    long main_subj = -1;
    for (size_t k = 0; k < n && main_subj < 0; k++) {
        long h = head_of(v, k);
        if (v->w[k].deprel == s->r_nsubj && h >= 0 && head_of(v, (size_t)h) < 0 &&
            v->w[h].upos == CASUS_UPOS_VERB)
            main_subj = (long)k;
    }
    for (size_t k = main_subj >= 0 ? (size_t)main_subj : 0; k < n; k++) {
        if (v->w[k].deprel != s->r_nsubj || head_of(v, k) < 0)
            continue;
        if (is_pronoun_subject(v, k))
            break;
        frame tmp;
        memset(&tmp, 0, sizeof tmp);
        perps_in(v, act, n_act, (size_t)s->lo[k], (size_t)s->hi[k], 0, NULL, &tmp);
        if (tmp.n_perps) {
            memcpy(s->prev_subj, tmp.perps[0].name, sizeof s->prev_subj);
            memcpy(s->prev_code, tmp.perps[0].code, sizeof s->prev_code);
            s->have_prev = 1;
        } else {
            s->have_prev = 0;
        }
        break;
    }
#undef FRAME_OF
    return CASUS_OK;
}

/* ---------------------------------------------------------------- documents */

static int counts_agree(const inc_count *a, const inc_count *b)
{
    if (!a->set || !b->set || a->c.min < 0 || b->c.min < 0)
        return 1;
    int64_t lo = a->c.min < b->c.min ? a->c.min : b->c.min;
    int64_t hi = a->c.min < b->c.min ? b->c.min : a->c.min;
    return hi <= 2 * lo + 5;
}

static int perps_agree(const casus_incident *a, const casus_incident *b)
{
    int coded_a = 0, coded_b = 0;
    for (size_t i = 0; i < a->n_perpetrators; i++)
        coded_a |= a->perpetrators[i].code[0] != 0;
    for (size_t i = 0; i < b->n_perpetrators; i++)
        coded_b |= b->perpetrators[i].code[0] != 0;
    if (!coded_a || !coded_b)
        return 1;
    for (size_t i = 0; i < a->n_perpetrators; i++)
        for (size_t j = 0; j < b->n_perpetrators; j++)
            if (a->perpetrators[i].code[0] &&
                !strcmp(a->perpetrators[i].code, b->perpetrators[j].code))
                return 1;
    return 0;
}

/* The cross-document rule (docs/FORMATS.md): a score, or -1 when a and b
 * cannot be one incident. */
static int merge_score(const inc_rec *g, const inc_rec *l)
{
    if (!g->has_date || !l->has_date || !g->has_place || !l->has_place)
        return -1;
    if (!date_overlap(g->date_lo, g->date_hi, l->date_lo, l->date_hi, 1))
        return -1;
    if (!place_compatible(&g->place, &l->place))
        return -1;
    if (!incident_methods_compatible(g->pub.method, l->pub.method))
        return -1;
    if (!perps_agree(&g->pub, &l->pub))
        return -1;
    for (int r = 0; r < NROLES; r++)
        if (!counts_agree(&g->cnt[r], &l->cnt[r]))
            return -1;
    int score = 1;
    if (g->place.id == l->place.id)
        score += 2;
    if (g->date_prec == WHEN_PREC_DAY && l->date_prec == WHEN_PREC_DAY)
        score += 1;
    if (g->pub.method[0] && !strcmp(g->pub.method, l->pub.method))
        score += 1;
    return score;
}

static casus_status merge_into(casus_incidents *s, inc_rec *g, inc_rec *l)
{
    casus_status rc;
    for (size_t i = 0; i < l->n_docs; i++)
        if ((rc = rec_add_doc(s, g, l->docs[i])) != CASUS_OK)
            return rc;
    for (size_t i = 0; i < l->n_ev; i++) {
        const casus_incident_evidence *e = &l->ev[i];
        size_t d = rec_doc_index(g, l->docs[e->doc]);
        if ((rc = rec_add_ev(s, g, d, e->sentence_index, e->start, e->end)) != CASUS_OK)
            return rc;
    }
    if (l->has_place && (!g->has_place || l->place.precision > g->place.precision))
        rec_set_place(g, &l->place);
    if (l->date_hi - l->date_lo < g->date_hi - g->date_lo) {
        g->date_lo = l->date_lo;
        g->date_hi = l->date_hi;
        g->date_prec = l->date_prec;
    }
    rec_set_method(g, l->pub.method[0] ? l->pub.method : NULL, l->method_prio);
    for (size_t i = 0; i < l->pub.n_perpetrators; i++)
        add_party(g->pub.perpetrators, &g->pub.n_perpetrators, &l->pub.perpetrators[i]);
    for (size_t i = 0; i < l->pub.n_targets; i++)
        add_party(g->pub.targets, &g->pub.n_targets, &l->pub.targets[i]);
    for (int r = 0; r < NROLES; r++)
        if (l->cnt[r].set)
            rec_set_count(s, g, r, l->cnt[r].c, l->cnt[r].pub_day, l->cnt[r].implicit, 0);
    g->mentions += l->mentions;
    return CASUS_OK;
}

/* Whether the counts of a and b for one role can be one incident's: at
 * most one states a figure, or both state the same. */
static int counts_same(const inc_count *a, const inc_count *b)
{
    if (!a->set || !b->set || a->implicit || b->implicit)
        return 1;
    return a->c.min == b->c.min && a->c.max == b->c.max;
}

/* Whether local records a and b are one attack that two frames of one
 * sentence split: opened in the same sentence, neither a reference nor
 * "another attack", neither dated, places compatible or only one
 * placed, methods, perpetrators and counts not in conflict ("Six soldiers
 * were shot dead ... after militants ambushed a police party in south
 * Kashmir's Anantnag district"; "A series of car bombs exploded in
 * Baghdad ... killing 13 people"). Distinct places ("in Fallujah and
 * another car bomb ... in Ramadi") stay apart. */
static int split_pair(const inc_rec *a, const inc_rec *b)
{
    if (a->first_sentence != b->first_sentence || a->has_date || b->has_date)
        return 0;
    /* a clause of cause that counts no one tells how the attack went; one
     * with figures of its own is another attack ("a day after twin blasts
     * killed 30") */
    for (int k = 0; k < 2; k++) {
        const inc_rec *r = k ? b : a;
        if (!r->distinct)
            continue;
        if (!r->cause)
            return 0;
        for (int c = 0; c < NROLES; c++)
            if (r->cnt[c].set && !r->cnt[c].implicit)
                return 0;
    }
    if (a->has_place && b->has_place &&
        (!place_compatible(&a->place, &b->place) ||
         (a->place.precision == b->place.precision && a->place.id != b->place.id)))
        return 0;
    if (!incident_methods_compatible(a->pub.method, b->pub.method) ||
        !perps_agree(&a->pub, &b->pub))
        return 0;
    for (int r = 0; r < NROLES; r++)
        if (!counts_same(&a->cnt[r], &b->cnt[r]))
            return 0;
    return 1;
}

/* Joins local record l into g (one document: evidence has doc 0) and
 * frees l. */
static casus_status join_local(casus_incidents *s, inc_rec *g, inc_rec *l)
{
    casus_status rc;
    for (size_t i = 0; i < l->n_ev; i++) {
        const casus_incident_evidence *e = &l->ev[i];
        if ((rc = rec_add_ev(s, g, 0, e->sentence_index, e->start, e->end)) != CASUS_OK)
            return rc;
    }
    if (l->has_place && (!g->has_place || l->place.precision > g->place.precision))
        rec_set_place(g, &l->place);
    char method[sizeof l->pub.method];
    memcpy(method, l->pub.method, sizeof method);
    rec_set_method(g, method[0] ? method : NULL, l->method_prio);
    for (size_t i = 0; i < l->pub.n_perpetrators; i++)
        add_party(g->pub.perpetrators, &g->pub.n_perpetrators, &l->pub.perpetrators[i]);
    for (size_t i = 0; i < l->pub.n_targets; i++)
        add_party(g->pub.targets, &g->pub.n_targets, &l->pub.targets[i]);
    for (int r = 0; r < NROLES; r++)
        if (l->cnt[r].set && (!g->cnt[r].set || (g->cnt[r].implicit && !l->cnt[r].implicit)))
            g->cnt[r] = l->cnt[r];
    g->mentions += l->mentions;
    g->lead_past |= l->lead_past;
    rec_free(s->ctx, l);
    return CASUS_OK;
}

/* One document's records split from one attack (split_pair) become one. */
static casus_status join_split(casus_incidents *s)
{
    for (size_t i = 0; i < s->n_loc; i++)
        for (size_t j = i + 1; j < s->n_loc; j++) {
            if (!split_pair(&s->loc[i], &s->loc[j]))
                continue;
            casus_status rc = join_local(s, &s->loc[i], &s->loc[j]);
            if (rc != CASUS_OK)
                return rc;
            memmove(&s->loc[j], &s->loc[j + 1], (s->n_loc - j - 1) * sizeof *s->loc);
            s->n_loc--;
            j--;
        }
    return CASUS_OK;
}

static void publish(inc_rec *r)
{
    casus_incident *p = &r->pub;
    p->doc_ids = (const char *const *)r->docs;
    p->n_doc_ids = r->n_docs;
    p->evidence = r->ev;
    p->n_evidence = r->n_ev;
    if (r->has_date) {
        p->date_start = date_from_days(r->date_lo);
        p->date_end = date_from_days(r->date_hi);
        snprintf(p->date_precision, sizeof p->date_precision, "%s",
                 when_precision_name((unsigned)r->date_prec));
    }
    p->has_location = r->has_place;
    if (r->has_place) {
        snprintf(p->location_name, sizeof p->location_name, "%s", r->place.name);
        snprintf(p->location_admin1, sizeof p->location_admin1, "%s", r->place.admin1);
        snprintf(p->location_country, sizeof p->location_country, "%s", r->place.country);
        p->lat = r->place.lat;
        p->lon = r->place.lon;
        static const char *const pn[] = {"", "country", "admin1", "admin2", "city"};
        snprintf(p->location_precision, sizeof p->location_precision, "%s",
                 pn[r->place.precision <= WHERE_CITY ? r->place.precision : 0]);
    }
    casus_count none = {CASUS_COUNT_NONE, CASUS_COUNT_NONE};
    p->killed = r->cnt[ROLE_KILLED].set ? r->cnt[ROLE_KILLED].c : none;
    p->injured = r->cnt[ROLE_INJURED].set ? r->cnt[ROLE_INJURED].c : none;
    p->casualties = r->cnt[ROLE_CASUALTIES].set ? r->cnt[ROLE_CASUALTIES].c : none;
}

/* ---------------------------------------------------------------- the store */

/* FNV-1a over a record's own fields: what one document reports of it. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211u;
    return h;
}

static uint64_t fnv_num(uint64_t h, int64_t v)
{
    return fnv(h, &v, sizeof v);
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return fnv(h, s, strlen(s) + 1);
}

static uint64_t rec_digest(const inc_rec *r)
{
    uint64_t h = 14695981039346656037u;
    h = fnv_num(h, r->has_date);
    if (r->has_date) {
        h = fnv_num(h, r->date_lo);
        h = fnv_num(h, r->date_hi);
        h = fnv_num(h, r->date_prec);
    }
    h = fnv_num(h, r->has_place);
    if (r->has_place) {
        h = fnv_str(h, r->place.name);
        h = fnv_str(h, r->place.admin1);
        h = fnv_str(h, r->place.country);
        h = fnv_num(h, r->place.precision);
    }
    h = fnv_str(h, r->pub.method);
    for (size_t i = 0; i < r->pub.n_perpetrators; i++) {
        const casus_incident_party *q = &r->pub.perpetrators[i];
        h = fnv_str(fnv_str(fnv_str(h, q->name), q->code), q->blamed_by);
        h = fnv_num(h, q->status);
    }
    h = fnv_num(h, -1);
    for (size_t i = 0; i < r->pub.n_targets; i++) {
        const casus_incident_party *q = &r->pub.targets[i];
        h = fnv_str(fnv_str(fnv_str(h, q->name), q->code), q->type);
    }
    for (int k = 0; k < NROLES; k++) {
        h = fnv_num(h, r->cnt[k].set);
        if (r->cnt[k].set) {
            h = fnv_num(h, r->cnt[k].c.min);
            h = fnv_num(h, r->cnt[k].c.max);
            h = fnv_num(h, r->cnt[k].implicit);
        }
    }
    for (size_t i = 0; i < r->n_ev; i++) {
        h = fnv_num(h, (int64_t)r->ev[i].sentence_index);
        h = fnv_num(h, (int64_t)r->ev[i].start);
        h = fnv_num(h, (int64_t)r->ev[i].end);
    }
    return h;
}

void incident_set_seeder(casus_incidents *s, incident_seeder fn, void *ud)
{
    s->seeder = fn;
    s->seeder_ud = ud;
}

/* Asks the seeder for the stored incidents the document's records could
 * join: one key per dated, placed record (merge_score needs both). */
static casus_status seed_lookup(casus_incidents *s, const char *id)
{
    if (mem_grow(s->ctx, (void **)&s->keys, &s->cap_keys, s->n_loc, sizeof *s->keys))
        return CASUS_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->n_loc; i++) {
        const inc_rec *l = &s->loc[i];
        if (!l->has_date || !l->has_place || !l->place.country[0])
            continue;
        incident_key *k = &s->keys[n++];
        snprintf(k->country, sizeof k->country, "%s", l->place.country);
        k->lo = date_from_days(l->date_lo - 1);
        k->hi = date_from_days(l->date_hi + 1);
    }
    return n ? s->seeder(s->seeder_ud, s, id, s->keys, n) : CASUS_OK;
}

int incident_has(const casus_incidents *s, const char *ref)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].pub.id, ref))
            return 1;
    return 0;
}

/* The place precision a stored report names ("city", ...; country when
 * unknown). */
static where_precision report_precision(const casus_incident *inc)
{
    where_precision prec = WHERE_COUNTRY;
    static const char *const pn[] = {"", "country", "admin1", "admin2", "city"};
    for (int k = 1; k <= WHERE_CITY; k++)
        if (!strcmp(inc->location_precision, pn[k]))
            prec = (where_precision)k;
    return prec;
}

static void report_rec(casus_incidents *s, const casus_incident *inc, long pub_day,
                       const where_place *pl, inc_rec *r);

/* Fills r from a stored report (a record's public fields): 0 when it
 * cannot take part in the rule (no date, or a place the gazetteer no
 * longer knows). */
static int seed_rec(casus_incidents *s, const casus_incident *inc, long pub_day, inc_rec *r)
{
    memset(r, 0, sizeof *r);
    if (!inc->has_location || inc->date_start.year <= 0)
        return 0;
    where_place pl;
    if (where_lookup(s->ix, inc->location_name, strlen(inc->location_name),
                     inc->location_country, report_precision(inc), &pl) != CASUS_OK ||
        strcmp(pl.country, inc->location_country))
        return 0;
    report_rec(s, inc, pub_day, &pl, r);
    return 1;
}

/* Fills r (zeroed) from a dated, placed report with its place pl. */
static void report_rec(casus_incidents *s, const casus_incident *inc, long pub_day,
                       const where_place *pl, inc_rec *r)
{
    snprintf(r->pub.id, sizeof r->pub.id, "%s", inc->id);
    r->has_date = 1;
    r->date_lo = date_days(inc->date_start);
    r->date_hi = inc->date_end.year > 0 ? date_days(inc->date_end) : r->date_lo;
    for (unsigned k = WHEN_PREC_DAY; k <= WHEN_PREC_DECADE; k++)
        if (!strcmp(inc->date_precision, when_precision_name(k)))
            r->date_prec = (int)k;
    rec_set_place(r, pl);
    r->place.lat = inc->lat;
    r->place.lon = inc->lon;
    for (size_t i = 0; i < sizeof method_words / sizeof method_words[0]; i++)
        if (!strcmp(method_words[i].mode, inc->method) && method_words[i].prio > r->method_prio)
            r->method_prio = method_words[i].prio;
    snprintf(r->pub.method, sizeof r->pub.method, "%s", inc->method);
    for (size_t i = 0; i < inc->n_perpetrators; i++)
        add_party(r->pub.perpetrators, &r->pub.n_perpetrators, &inc->perpetrators[i]);
    for (size_t i = 0; i < inc->n_targets; i++)
        add_party(r->pub.targets, &r->pub.n_targets, &inc->targets[i]);
    const casus_count *c[NROLES] = {&inc->killed, &inc->injured, &inc->casualties};
    for (int k = 0; k < NROLES; k++) {
        if (c[k]->min < 0 && c[k]->max < 0)
            continue;
        r->cnt[k].c = *c[k];
        r->cnt[k].set = 1;
        r->cnt[k].pub_day = pub_day;
        r->cnt[k].order = ++s->order;
    }
    r->mentions = 1;
}

casus_status incident_seed(casus_incidents *s, const casus_incident *rep, const long *pub_day,
                           size_t n)
{
    if (!s->ix || !n || incident_has(s, rep[0].id))
        return CASUS_OK;   /* it could join nothing, or is here already */
    if (mem_grow(s->ctx, (void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) ||
        mem_grow(s->ctx, (void **)&s->masks, &s->cap_masks, s->n + 1, sizeof *s->masks))
        return CASUS_ENOMEM;
    inc_rec *r = &s->v[s->n];
    size_t k = 0;
    while (k < n && !seed_rec(s, &rep[k], pub_day[k], r))
        k++;
    if (k == n)
        return CASUS_OK;
    /* the other reports, in order, by the rule's own merge */
    casus_status rc = CASUS_OK;
    for (k++; k < n && rc == CASUS_OK; k++) {
        inc_rec t;
        if (seed_rec(s, &rep[k], pub_day[k], &t))
            rc = merge_into(s, r, &t);
        rec_free(s->ctx, &t);
    }
    const casus_incident *inc = &rep[0];
    for (size_t i = 0; i < inc->n_doc_ids && rc == CASUS_OK; i++)
        rc = rec_add_doc(s, r, inc->doc_ids[i]);
    for (size_t i = 0; i < inc->n_evidence && rc == CASUS_OK; i++) {
        const casus_incident_evidence *e = &inc->evidence[i];
        rc = rec_add_ev(s, r, e->doc, e->sentence_index, e->start, e->end);
    }
    if (rc != CASUS_OK) {
        rec_free(s->ctx, r);
        return rc;
    }
    snprintf(r->pub.id, sizeof r->pub.id, "%s", inc->id);
    r->seq = (size_t)-1;   /* any document may join it */
    r->seeded = 1;
    s->masks[s->n] = r->doc_mask;
    publish(&s->v[s->n++]);
    return CASUS_OK;
}

/* A report's place as it was stored, for a merge without the gazetteer. */
static void report_place(const casus_incident *inc, where_place *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->precision = report_precision(inc);
    pl->name = inc->location_name;
    pl->admin1 = inc->location_admin1;
    pl->country = inc->location_country;
    pl->lat = inc->lat;
    pl->lon = inc->lon;
}

casus_status incident_merge_reports(casus_ctx *ctx, const casus_incident *rep,
                                    const long *pub_day, size_t n, casus_incident *out)
{
    /* a set of its own gives the rule's helpers their context and count
     * order; no gazetteer: places are the reports' own */
    casus_incidents t;
    memset(&t, 0, sizeof t);
    t.ctx = ctx;
    memset(out, 0, sizeof *out);
    size_t k = 0;
    while (k < n && !(rep[k].has_location && rep[k].date_start.year > 0))
        k++;
    if (k == n) {   /* none can take part: the first as it stands */
        if (n)
            *out = rep[0];
        out->doc_ids = NULL;
        out->n_doc_ids = 0;
        out->evidence = NULL;
        out->n_evidence = 0;
        return CASUS_OK;
    }
    inc_rec r;
    where_place pl;
    memset(&r, 0, sizeof r);
    report_place(&rep[k], &pl);
    report_rec(&t, &rep[k], pub_day[k], &pl, &r);
    casus_status rc = CASUS_OK;
    for (k++; k < n && rc == CASUS_OK; k++) {
        if (!rep[k].has_location || rep[k].date_start.year <= 0)
            continue;
        inc_rec l;
        memset(&l, 0, sizeof l);
        report_place(&rep[k], &pl);
        report_rec(&t, &rep[k], pub_day[k], &pl, &l);
        rc = merge_into(&t, &r, &l);
        rec_free(ctx, &l);
    }
    if (rc == CASUS_OK) {
        publish(&r);
        *out = r.pub;
        out->doc_ids = NULL;
        out->n_doc_ids = 0;
        out->evidence = NULL;
        out->n_evidence = 0;
    }
    rec_free(ctx, &r);
    return rc;
}

int incident_own_digest(const casus_incidents *s, size_t i, uint64_t *out,
                        const casus_incident_evidence **ev, size_t *n_ev,
                        const casus_incident **own)
{
    if (!s || i >= s->n || s->v[i].own_seq != s->seq || s->seq == 0)
        return 0;
    *out = s->v[i].own;
    *own = &s->own_pub[s->v[i].own_pub];
    *ev = s->own_ev + s->v[i].own_ev;
    *n_ev = s->v[i].n_own_ev;
    return 1;
}

int incident_seeded(const casus_incidents *s, size_t i)
{
    return s && i < s->n && s->v[i].seeded;
}

/* The second half of adding a document: its records s->loc[0..n_loc)
 * (made from its text or given) join the stored incidents they could
 * (the seeder), then the set's records of earlier documents by the rule,
 * or become new records "<id>#<k>"; the document's own reports are kept
 * for incident_own_digest. rc: the first half's status (not CASUS_OK:
 * only the cleanup). */
static casus_status add_doc_records(casus_incidents *s, const char *id, casus_status rc)
{
    if (rc != CASUS_OK)
        goto done;
    if (s->seeder && s->n_loc && (rc = seed_lookup(s, id)) != CASUS_OK)
        goto done;
    /* across documents */
    size_t before = s->n;
    s->n_own_ev = 0;
    s->n_own_pub = 0;
    for (size_t i = 0; i < s->n_loc; i++) {
        inc_rec *l = &s->loc[i];
        uint64_t own = rec_digest(l);
        size_t own_ev = s->n_own_ev, own_pub = s->n_own_pub;
        if (mem_grow(s->ctx, (void **)&s->own_pub, &s->cap_own_pub, s->n_own_pub + 1,
                     sizeof *s->own_pub)) {
            rc = CASUS_ENOMEM;
            goto done;
        }
        publish(l);
        s->own_pub[s->n_own_pub] = l->pub;
        s->own_pub[s->n_own_pub].doc_ids = NULL;
        s->own_pub[s->n_own_pub].n_doc_ids = 0;
        s->own_pub[s->n_own_pub].evidence = NULL;
        s->own_pub[s->n_own_pub++].n_evidence = 0;
        if (mem_grow(s->ctx, (void **)&s->own_ev, &s->cap_own_ev, s->n_own_ev + l->n_ev,
                     sizeof *s->own_ev)) {
            rc = CASUS_ENOMEM;
            goto done;
        }
        for (size_t k = 0; k < l->n_ev; k++) {
            s->own_ev[s->n_own_ev] = l->ev[k];
            s->own_ev[s->n_own_ev++].doc = 0;
        }
        if ((rc = rec_add_doc(s, l, id)) != CASUS_OK)
            goto done;
        snprintf(l->pub.id, sizeof l->pub.id, "%s#%zu", id, i + 1);
        l->seq = s->seq;
        for (size_t k = 0; k < l->n_ev; k++)
            l->ev[k].doc = 0;
        long best = -1;
        int best_score = 0;
        for (size_t g = 0; g < before; g++) {
            if (s->v[g].seq == s->seq)
                continue;
            int sc = merge_score(&s->v[g], l);
            if (sc > best_score) {
                best_score = sc;
                best = (long)g;
            }
        }
        if (best >= 0) {
            if ((rc = merge_into(s, &s->v[best], l)) != CASUS_OK)
                goto done;
            s->v[best].seq = s->seq;   /* one record of this document each */
            s->v[best].seeded = 0;
            s->v[best].own = own;
            s->v[best].own_seq = s->seq + 1;
            s->v[best].own_ev = own_ev;
            s->v[best].n_own_ev = s->n_own_ev - own_ev;
            s->v[best].own_pub = own_pub;
            publish(&s->v[best]);
            s->masks[best] = s->v[best].doc_mask;
            rec_free(s->ctx, l);
            continue;
        }
        if (mem_grow(s->ctx, (void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) ||
            mem_grow(s->ctx, (void **)&s->masks, &s->cap_masks, s->n + 1, sizeof *s->masks)) {
            rc = CASUS_ENOMEM;
            goto done;
        }
        s->v[s->n] = *l;
        s->v[s->n].own = own;
        s->v[s->n].own_seq = s->seq + 1;
        s->v[s->n].own_ev = own_ev;
        s->v[s->n].n_own_ev = s->n_own_ev - own_ev;
        s->v[s->n].own_pub = own_pub;
        memset(l, 0, sizeof *l);
        s->masks[s->n] = s->v[s->n].doc_mask;
        publish(&s->v[s->n++]);
    }
    s->n_loc = 0;
    s->seq++;
done:
    for (size_t i = 0; i < s->n_loc; i++)
        rec_free(s->ctx, &s->loc[i]);
    s->n_loc = 0;
    /* the records this document made or merged into are published above;
     * after a failure every record is, so that none is left half made
     * (publishing all after every document made a set of N documents cost
     * N^2 formatted records) */
    for (size_t i = 0; rc != CASUS_OK && i < s->n; i++) {
        publish(&s->v[i]);
        s->masks[i] = s->v[i].doc_mask;
    }
    return rc;
}

casus_status casus_incidents_add(casus_incidents *s, casus_doc *doc)
{
    casus_status rc = CASUS_OK;
    size_t nsent;
    casus_doc_sentences(doc, &nsent);
    const char *id = buf_cstr(&doc->id);
    casus_date pd = casus_doc_date(doc);
    long pub = pd.year > 0 ? date_days(pd) : -2147483647L;
    dict_day day = dict_day_from_date(pd);
    s->n_loc = 0;
    s->n_recent = 0;
    s->have_prev = 0;
    if (s->ix && (rc = where_doc(s->ix, doc, 0, &s->places)) != CASUS_OK)
        goto done;
    if (!s->ix)
        s->places.n = 0;
    for (size_t si = 0; si < nsent; si++)
        if ((rc = do_sentence(s, doc, si, pub, day, s->fr)) != CASUS_OK)
            goto done;
    if ((rc = join_split(s)) != CASUS_OK)
        goto done;
    /* the document's main incident (the most mentioned, the first of
     * equals) without a place of its own: the document's best place, a
     * nationality word ("Afghan soldiers") as the last resort */
    if (s->n_loc) {
        inc_rec *m = &s->loc[0];
        for (size_t i = 1; i < s->n_loc; i++)
            if (s->loc[i].n_ev > m->n_ev)
                m = &s->loc[i];
        const where_place *b = m->has_place ? NULL : where_best_scene(&s->places);
        if (b)
            rec_set_place(m, b);
    }
    /* the lead incident of a past report without a date: the publication date */
    if (s->n_loc && !s->loc[0].has_date && s->loc[0].lead_past && pd.year > 0) {
        s->loc[0].has_date = 1;
        s->loc[0].date_lo = s->loc[0].date_hi = pub;
        s->loc[0].date_prec = WHEN_PREC_DAY;
    }
done:
    return add_doc_records(s, id, rc);
}

casus_status casus_incidents_add_records(casus_incidents *s, const char *doc_id,
                                         casus_date pub_date, const casus_incident *rec,
                                         size_t n)
{
    if (!doc_id || !*doc_id || (n && !rec))
        return ctx_fail(s->ctx, CASUS_EINVAL, "incident records without a document id");
    if (!s->ix)
        return ctx_fail(s->ctx, CASUS_EINVAL,
                        "incident records of %s: no gazetteer to place them", doc_id);
    long pub = pub_date.year > 0 ? date_days(pub_date) : -2147483647L;
    casus_status rc = CASUS_OK;
    s->n_loc = 0;
    if (mem_grow(s->ctx, (void **)&s->loc, &s->cap_loc, n ? n : 1, sizeof *s->loc)) {
        rc = CASUS_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        inc_rec *r = &s->loc[s->n_loc];
        const casus_incident *x = &rec[i];
        where_place pl;
        memset(r, 0, sizeof *r);
        if (!x->has_location || x->date_start.year <= 0) {
            rc = ctx_fail(s->ctx, CASUS_EINVAL, "incident record %zu of %s: no date or no place",
                          i + 1, doc_id);
            goto done;
        }
        /* the place as the gazetteer has it (its strings outlive rec) */
        if (where_lookup(s->ix, x->location_name, strlen(x->location_name),
                         x->location_country, report_precision(x), &pl) != CASUS_OK ||
            strcmp(pl.country, x->location_country)) {
            rc = ctx_fail(s->ctx, CASUS_EINVAL,
                          "incident record %zu of %s: no place \"%s\" in %s in the gazetteer",
                          i + 1, doc_id, x->location_name, x->location_country);
            goto done;
        }
        report_rec(s, x, pub, &pl, r);
        if (x->lat == 0 && x->lon == 0) {   /* not stated: the place's */
            r->place.lat = pl.lat;
            r->place.lon = pl.lon;
        }
        s->n_loc++;
        for (size_t e = 0; e < rec[i].n_evidence && rc == CASUS_OK; e++) {
            const casus_incident_evidence *v = &rec[i].evidence[e];
            rc = rec_add_ev(s, r, 0, v->sentence_index, v->start, v->end);
        }
        if (rc != CASUS_OK)
            goto done;
        r->first_sentence = r->n_ev ? r->ev[0].sentence_index : 0;
    }
done:
    return add_doc_records(s, doc_id, rc);
}

/* One bit of 64 per document id (FNV-1a): a record's doc_mask holds its
 * documents' bits, so that a clear bit proves a document is not among them
 * without comparing the strings (respond.c asks this of every record of the
 * set for every document). */
uint64_t incident_doc_bit(const char *id)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (uint64_t)1 << (h >> 58);
}

uint64_t incident_doc_mask(const casus_incidents *s, size_t i)
{
    return s && i < s->n ? s->masks[i] : 0;
}

/* ---------------------------------------------------------------- the set */

casus_status casus_incidents_new(casus_ctx *ctx, const casus_dicts *d, const char *gazetteer,
                                 casus_incidents **out)
{
    *out = NULL;
    if (!d)
        return ctx_fail(ctx, CASUS_EINVAL, "incidents: no dictionaries");
    casus_incidents *s = mem_alloc(ctx, sizeof *s);
    if (!s)
        return CASUS_ENOMEM;
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->d = d;
    s->fr = mem_alloc(ctx, MAXFRAME * sizeof *s->fr);
    if (!s->fr) {
        mem_free(ctx, s);
        return CASUS_ENOMEM;
    }
    casus_status rc = where_index_open(ctx, gazetteer, &s->ix);
    if (rc != CASUS_OK) {
        if (gazetteer || rc == CASUS_ENOMEM) {
            casus_incidents_free(s);
            return rc;
        }
        s->ix = NULL;   /* no gazetteer installed: locations stay null */
    }
    s->r_nsubj = rel_id("nsubj");
    s->r_nsubjpass = rel_id("nsubj:pass");
    s->r_obj = rel_id("obj");
    s->r_obl = rel_id("obl");
    s->r_oblagent = rel_id("obl:agent");
    s->r_nmod = rel_id("nmod");
    s->r_poss = rel_id("nmod:poss");
    s->r_compound = rel_id("compound");
    s->r_amod = rel_id("amod");
    s->r_case = rel_id("case");
    s->r_mark = rel_id("mark");
    s->r_conj = rel_id("conj");
    s->r_appos = rel_id("appos");
    s->r_aux = rel_id("aux");
    s->r_auxpass = rel_id("aux:pass");
    s->r_det = rel_id("det");
    s->r_nummod = rel_id("nummod");
    s->r_advcl = rel_id("advcl");
    s->r_acl = rel_id("acl");
    s->r_relcl = rel_id("acl:relcl");
    s->r_xcomp = rel_id("xcomp");
    s->r_advmod = rel_id("advmod");
    method_words_index(s);
    *out = s;
    return CASUS_OK;
}

void casus_incidents_clear(casus_incidents *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        rec_free(s->ctx, &s->v[i]);
    s->n = 0;
    s->seq = 0;
}

void casus_incidents_free(casus_incidents *s)
{
    if (!s)
        return;
    casus_ctx *ctx = s->ctx;
    casus_incidents_clear(s);
    for (size_t i = 0; i < s->n_loc; i++)
        rec_free(ctx, &s->loc[i]);
    mem_free(ctx, s->v);
    mem_free(ctx, s->masks);
    mem_free(ctx, s->loc);
    mem_free(ctx, s->key);
    mem_free(ctx, s->low);
    mem_free(ctx, s->lo);
    mem_free(ctx, s->hi);
    mem_free(ctx, s->owner);
    mem_free(ctx, s->fr);
    mem_free(ctx, s->keys);
    mem_free(ctx, s->own_ev);
    mem_free(ctx, s->own_pub);
    where_vec_free(ctx, &s->places);
    where_index_close(s->ix);
    mem_free(ctx, s);
}

int casus_incidents_have_places(const casus_incidents *s)
{
    return s && s->ix != NULL;
}

size_t casus_incidents_count(const casus_incidents *s)
{
    return s ? s->n : 0;
}

const casus_incident *casus_incidents_get(const casus_incidents *s, size_t i)
{
    return s && i < s->n ? &s->v[i].pub : NULL;
}

/* ---------------------------------------------------------------- JSON */

static casus_status put_str(casus_ctx *ctx, buf *b, const char *k, const char *v)
{
    casus_status rc = buf_printf(ctx, b, "\"%s\":", k);
    if (rc == CASUS_OK && (!v || !*v))
        return buf_puts(ctx, b, "null");
    if (rc == CASUS_OK)
        rc = buf_putc(ctx, b, '"');
    if (rc == CASUS_OK)
        rc = buf_json_escape(ctx, b, v, strlen(v));
    if (rc == CASUS_OK)
        rc = buf_putc(ctx, b, '"');
    return rc;
}

static casus_status put_count(casus_ctx *ctx, buf *b, const char *k, casus_count c)
{
    if (c.min < 0 && c.max < 0)
        return buf_printf(ctx, b, ",\"%s\":null", k);
    char lo[24] = "null", hi[24] = "null";
    if (c.min >= 0)
        snprintf(lo, sizeof lo, "%lld", (long long)c.min);
    if (c.max >= 0 && c.max != CASUS_COUNT_OPEN)
        snprintf(hi, sizeof hi, "%lld", (long long)c.max);
    return buf_printf(ctx, b, ",\"%s\":{\"min\":%s,\"max\":%s}", k, lo, hi);
}

static casus_status write_one(casus_ctx *ctx, buf *b, const casus_incident *p)
{
    casus_status rc = buf_puts(ctx, b, "{\"type\":\"incident\",");
    char d1[11], d2[11];
    casus_date_format(p->date_start, d1);
    casus_date_format(p->date_end, d2);
    if (!rc) rc = put_str(ctx, b, "id", p->id);
    if (!rc) rc = buf_puts(ctx, b, ",\"doc_ids\":[");
    for (size_t i = 0; !rc && i < p->n_doc_ids; i++) {
        if (i)
            rc = buf_putc(ctx, b, ',');
        if (!rc) rc = buf_putc(ctx, b, '"');
        if (!rc) rc = buf_json_escape(ctx, b, p->doc_ids[i], strlen(p->doc_ids[i]));
        if (!rc) rc = buf_putc(ctx, b, '"');
    }
    if (!rc) rc = buf_puts(ctx, b, "],");
    if (!rc) rc = put_str(ctx, b, "date_start", d1);
    if (!rc) rc = buf_putc(ctx, b, ',');
    if (!rc) rc = put_str(ctx, b, "date_end", d2);
    if (!rc) rc = buf_putc(ctx, b, ',');
    if (!rc) rc = put_str(ctx, b, "date_precision", p->date_precision);
    if (!rc && !p->has_location) {
        rc = buf_puts(ctx, b, ",\"location\":null");
    } else if (!rc) {
        rc = buf_puts(ctx, b, ",\"location\":{");
        if (!rc) rc = put_str(ctx, b, "name", p->location_name);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "admin1", p->location_admin1);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "country", p->location_country);
        if (!rc) rc = buf_printf(ctx, b, ",\"lat\":%.4f,\"lon\":%.4f,", p->lat, p->lon);
        if (!rc) rc = put_str(ctx, b, "precision", p->location_precision);
        if (!rc) rc = buf_putc(ctx, b, '}');
    }
    if (!rc) rc = buf_puts(ctx, b, ",\"perpetrators\":[");
    for (size_t i = 0; !rc && i < p->n_perpetrators; i++) {
        const casus_incident_party *q = &p->perpetrators[i];
        rc = buf_puts(ctx, b, i ? ",{" : "{");
        if (!rc) rc = put_str(ctx, b, "name", q->name);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "code", q->code);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "status", casus_perp_status_name(q->status));
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "blamed_by", q->blamed_by);
        if (!rc) rc = buf_putc(ctx, b, '}');
    }
    if (!rc) rc = buf_puts(ctx, b, "],\"targets\":[");
    for (size_t i = 0; !rc && i < p->n_targets; i++) {
        const casus_incident_party *q = &p->targets[i];
        rc = buf_puts(ctx, b, i ? ",{" : "{");
        if (!rc) rc = put_str(ctx, b, "name", q->name);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "code", q->code);
        if (!rc) rc = buf_putc(ctx, b, ',');
        if (!rc) rc = put_str(ctx, b, "type", q->type);
        if (!rc) rc = buf_putc(ctx, b, '}');
    }
    if (!rc) rc = buf_puts(ctx, b, "],");
    if (!rc) rc = put_str(ctx, b, "method", p->method);
    if (!rc) rc = put_count(ctx, b, "killed", p->killed);
    if (!rc) rc = put_count(ctx, b, "injured", p->injured);
    if (!rc) rc = put_count(ctx, b, "casualties", p->casualties);
    if (!rc) rc = buf_puts(ctx, b, ",\"evidence\":[");
    for (size_t i = 0; !rc && i < p->n_evidence; i++) {
        const casus_incident_evidence *e = &p->evidence[i];
        const char *did = e->doc < p->n_doc_ids ? p->doc_ids[e->doc] : "";
        rc = buf_puts(ctx, b, i ? ",{\"doc_id\":\"" : "{\"doc_id\":\"");
        if (!rc) rc = buf_json_escape(ctx, b, did, strlen(did));
        if (!rc)
            rc = buf_printf(ctx, b, "\",\"sentence_index\":%zu,\"char_start\":%zu,\"char_end\":%zu}",
                            e->sentence_index, e->start, e->end);
    }
    if (!rc) rc = buf_puts(ctx, b, "]}\n");
    return rc;
}

casus_status casus_incidents_write(casus_incidents *s, casus_sink *out)
{
    buf b = BUF_INIT;
    casus_status rc = CASUS_OK;
    for (size_t i = 0; i < s->n && rc == CASUS_OK; i++) {
        if (s->v[i].seeded)
            continue;   /* stored, and no document of this set reports it */
        buf_reset(&b);
        rc = write_one(s->ctx, &b, &s->v[i].pub);
        if (rc == CASUS_OK && out->write(out->ud, b.p, b.n) != 0)
            rc = ctx_fail(s->ctx, CASUS_EIO, "cannot write incident records");
    }
    buf_free(s->ctx, &b);
    return rc;
}
