/*
 * code.c - the event coder: who did what to whom in each sentence.
 *
 * Pipeline position: after casus_doc_parse() (tags, lemmas, dependency tree)
 * and beside the date finder (when.c), which gives each sentence its date.
 * Input: a parsed casus_doc and the dictionaries (dict.h, matched through
 * match.h). Output: casus_event records kept in the coder until its next run.
 *
 * Per sentence, in one pass each, all linear in the number of words:
 *
 *   1. match_prepare() (through match_doc_sentence(), which keeps the result
 *      on the document for the incident stage): one dictionary word id per
 *      word; discards (a sentence discard skips the sentence, a story discard
 *      the whole document).
 *   2. The sentence date: the first date when_find() resolves, else the
 *      document's publication date. Actor codes are taken on that date.
 *   3. Actor phrases: the longest actor and agent names (match_at) are
 *      marked, then noun chunks are cut (determiners, adjectives, nouns,
 *      proper nouns, numbers, possessive 's, an inner hyphen, a bracketed
 *      abbreviation); a chunk's code is its actor (the one holding its head,
 *      else the first) combined with its agent: "Iran's pro-government
 *      media" = IRN + ~MED. Pronouns and "the group" are flagged for
 *      coreference.
 *   4. Verbs: a word tagged VERB (or the root) whose form or lemma is a verb
 *      of the dictionaries, multi-word forms first ("cordoned off"). The
 *      verb's block patterns are matched linearly around it (words before
 *      '*' backwards, words after it forwards, '_' joins adjacent, synsets,
 *      '$'/'+' an actor chunk that becomes the source/target, '^' any
 *      chunk); the pattern with most matched elements wins, ties going to
 *      the first in the file; else the verb's own code. "---" codes nothing.
 *   5. Roles from the dependency tree: source = nsubj (through xcomp, conj
 *      and participle advcl to the governing verb), or in the passive the
 *      "by" agent with nsubj:pass as target; target = obj, iobj, an obl with
 *      a directional preposition, or an actor inside the object's nmods.
 *      An agent-only phrase takes the actor of its "of/in/from" nmod
 *      ("Lawmakers in Fornost" = FORLEG), a phrase that is no actor that
 *      nmod's actor ("thousands of Nigerians" = NGA). A subject that names
 *      no actor (a misparse such as "X on Thursday demanded" with Thursday
 *      as nsubj) gives way to the nearest actor before the verb. With no
 *      object actor, the target is the subject of a clausal complement that
 *      is no event itself ("demanded that Hamas renounce"), or, under a
 *      verb of intention, an actor among the complement's objects and
 *      obliques ("refused to commit to assistance to the US").
 *      Also targets: the actor of a reduced relative under the object
 *      ("memos sent by Bree"), the object of a purpose infinitive, the
 *      objects of a complement whose subject is no actor. Misparses
 *      recovered: a list of actor phrases before the subject ("Mordor, the
 *      awful Fornost, and good Gondor"); a passive subject with no
 *      auxiliary; a past-tense verb hung on a nominal root or made an amod
 *      after an actor phrase; a multi-word verb whose verb word was tagged
 *      a noun. A passive borrows no source from the verb above it. A role
 *      with no actor takes its coordinated partner's, else (casus mode) the
 *      country of the sentence's nearest actor; "former" makes it ELI.
 *      Coordinated subjects and objects (conj) give one event per
 *      combination; a coordinated subject with no target gives the
 *      reciprocal events ("Iran and Pakistan agreed"), except for speech
 *      verbs.
 *   6. What is not an act: a reporting verb whose clausal complement holds
 *      an event ("X said Y attacked Z") is dropped, the reported event kept;
 *      an infinitive under a verb of intention or request ("threatened to
 *      attack", "urged X to attack") is dropped, the intention verb codes
 *      itself (threaten -> 13x); a verb under could/may/might/would/should/
 *      can/must (and what is coordinated with it, depends on it by xcomp,
 *      or is its purpose infinitive: "could engage X to permit Y") is
 *      dropped; "will" turns a conflict act into its threat (133
 *      protest, 131/1312 sanctions, 132 coercion, 138 force) and a
 *      cooperative one into 030 ("would" under a speech verb is such a future, and a
 *      negated cooperative future is a rejection, 120); the clause of a
 *      verb of demand is no act, and "X said Y must ..." is a demand (100).
 *      A parenthetical report (", the agency said", ", saying ...") frames
 *      the clause it hangs on, not the reverse.
 *      Negation (not, n't, never on the verb) sets negated.
 *      CASUS_CODE_PETRARCH keeps PETRARCH 2's reading instead: modals and
 *      futures are coded as the act (its validation suite expects that),
 *      only events with both actors are kept, a phrase is coded by its
 *      first actor, a passive with a subject and no "by" phrase codes the
 *      subject as source, and a subordinate clause keeps no subject.
 *   7. Coreference: a subject pronoun (it, they, he, she) or "the group"
 *      takes the most recent actor that was a subject earlier in the
 *      document (this sentence first).
 *   8. Country-level coding (casus mode, PLOVER's convention): an act of a
 *      country's actor on something no actor names targets the source's
 *      own country (domestic_target); a source phrase that names no actor
 *      is the sentence's other country's, else the target's
 *      (unnamed_source); a passive investigation or coercion with no
 *      agent is the country's where it takes place (place_source); an
 *      organisation agent (NGO~: forum, committee, ...) yields to an IGO,
 *      NGO or role the phrase names (chunk_combine); an ethnic group is
 *      the country it lives in; a
 *      people with another country's adjective ("Bosnian Serbs") that
 *      country's. Also: events stated as nouns under a carrier verb
 *      (noun_events), a kill by irregular forces or a weapon is 180, a
 *      threat targets its condition's actor, sending for a coded purpose is
 *      the purpose, a pattern stays in the verb's clause.
 *
 * Memory: per-word arrays and the event array grow to the largest sentence
 * and document seen and are reused; nothing is allocated per word.
 */
#include <stdio.h>
#include <string.h>

#include "cameo.h"
#include "code.h"
#include "ctx.h"
#include "dict.h"
#include "doc.h"
#include "match.h"
#include "ud.h"
#include "util/buf.h"
#include "util/mem.h"
#include "when.h"

#define NO (-1)
#define MAX_ROLE 16      /* actors on one side of one event */
#define MAX_CHAIN 6      /* steps up the tree looking for a subject */

typedef struct chunk {
    uint32_t first, end;     /* words [first, end) of the sentence */
    uint32_t head;           /* its last noun (or last word) */
    int32_t actor, agent;    /* entries, NO when none */
    char code[32];           /* combined code; "" none */
    uint8_t subject;         /* the subject of some verb */
    uint8_t pronoun;         /* resolved by coreference */
} chunk;

typedef struct hit {
    uint32_t first, end;     /* words */
    uint32_t entry;
} hit;

/* Dependency relation ids, looked up once. */
typedef struct rels {
    int nsubj, nsubj_pass, csubj, obj, iobj, obl, obl_agent, nmod, nmod_poss,
        conj, xcomp, ccomp, advcl, parataxis, aux, aux_pass, advmod, kase,
        amod, acl, acl_relcl, root, appos, compound, flat, mark, cop;
} rels;

struct casus_coder {
    casus_ctx *ctx;
    const casus_dicts *d;
    unsigned flags;
    rels r;
    /* patterns of each block: pat_idx[pat_first[b] .. pat_first[b+1]) */
    uint32_t *pat_first, *pat_idx;
    uint32_t w_not, w_nt, w_never;   /* word ids (0 when unknown) */

    const match_seq *seq;     /* the sentence's, borrowed from the document */
    /* per word of the sentence */
    int32_t *pos;            /* seq position, NO when transparent */
    int32_t *chunk_of;
    int32_t *kid_first, *kid_next;
    int32_t *actor_hit, *agent_hit;   /* hit index covering the word */
    int32_t *vcode;          /* verb: index in vinfo, NO when none */
    size_t cap_words;
    /* the sentence's words as repair_verbs() changed them; S->w points
     * here when it changed any */
    casus_token *wfix;
    size_t cap_wfix;
    /* per seq position: the chunk starting / ending there (NO none) */
    int32_t *chunk_start, *chunk_end;
    size_t cap_seq;
    chunk *ch;
    size_t n_ch, cap_ch;
    hit *ah, *gh;
    size_t n_ah, n_gh, cap_ah, cap_gh;

    /* the verbs found in the sentence */
    struct vinfo {
        uint32_t word;
        uint32_t code;       /* string offset; 0 = "---" */
        int32_t src_chunk, tgt_chunk;   /* set by a pattern's $ and + */
        uint8_t pattern;     /* a pattern matched */
        uint8_t drop;        /* not an act */
        uint8_t future;      /* under "will" */
        uint8_t negated;
        uint8_t has_event;
        uint8_t failed;      /* under "failed to": did not happen */
        uint32_t span_end;   /* the word after the verb's form ("opened fire") */
    } *vi;
    size_t n_vi, cap_vi;

    casus_event *ev;
    size_t n_ev, cap_ev;
    size_t sent_first_ev;

    /* coreference: the last actor that was a subject in the document */
    casus_actor last_subj;
    int have_last;
};

/* ---------------------------------------------------------------- words */

static int lemma_is(const casus_token *t, const char *s)
{
    /* the first letter before the rest, and no strlen: this runs for
     * every word against lists of lemmas */
    const casus_slice *l = t->lemma.n ? &t->lemma : &t->form;
    size_t n = l->n;
    for (size_t i = 0; i < n; i++) {
        char c = l->p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != s[i] || !s[i])
            return 0;
    }
    return s[n] == '\0';
}

static int lemma_in(const casus_token *t, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (lemma_is(t, set[i]))
            return 1;
    return 0;
}

static const char *const intention_verbs[] = {
    "threaten", "plan", "intend", "want", "wish", "seek", "aim", "hope",
    "vow", "pledge", "promise", "prepare", "decide", "try", "attempt",
    "expect", "offer", "agree", "propose", "refuse", "consider", "need",
    "urge", "ask", "call", "demand", "order", "allow", "permit", "force",
    "encourage", "invite", "persuade", "push", "press", "warn", "plot",
    "vote", "move", "help", "enable", "fail", "appeal", "request",
    "tell", "decline", "reject", "pressure", "convince", "struggle", NULL};

int code_is_intention_verb(const char *s, size_t n)
{
    for (size_t i = 0; intention_verbs[i]; i++)
        if (strlen(intention_verbs[i]) == n && !memcmp(intention_verbs[i], s, n))
            return 1;
    return 0;
}

static const char *const condition_words[] = {"if", "unless", NULL};
/* Verbs whose "that" clause says what should happen, not what did. */
static const char *const demand_verbs[] = {
    "demand", "urge", "ask", "request", "propose", "insist", "hope", "wish", "want",
    "order", "recommend", "appeal", "call", NULL};
static const char *const refrain_verbs[] = {
    "refrain", "avoid", "stop", "cease", "decline", "refuse", "fail", "abstain",
    "hesitate", "deny", NULL};
/* Verbs that report what someone said or thought: a parenthetical one ("...,
 * the agency said") frames the clause it hangs on, never the reverse, and a
 * coordinated subject of one does not make reciprocal events. */
static const char *const speech_verbs[] = {
    "say", "tell", "report", "state", "note", "add", "announce", "declare", "stress",
    "write", "explain", "confirm", "claim", "insist", "assert", "emphasize", "emphasise",
    "quote", "reveal", "disclose", "indicate", "suggest", "argue", "believe", "think",
    "acknowledge", "admit", "allege", "tweet", "comment", "reiterate", "conclude", NULL};
static const char *const send_verbs[] = {"send", "dispatch", NULL};
static const char *const commit_verbs[] = {"vow", "pledge", "promise", "swear", "plan",
                                           "intend", "decide", NULL};
static const char *const modal_words[] = {
    "could", "may", "might", "would", "should", "can", "must", "ca", "'d",
    "ought", NULL};
static const char *const future_words[] = {"will", "shall", "'ll", "wo", NULL};
static const char *const negation_words[] = {"not", "n't", "never", "no", NULL};
static const char *const pronouns[] = {"it", "they", "he", "she", "them", "him",
                                       "we", NULL};
static const char *const group_nouns[] = {
    "group", "organization", "organisation", "outfit", "movement", "faction",
    "militia", "network", "militants", "insurgents", "jihadists", NULL};
static const char *const target_preps[] = {
    "against", "on", "at", "into", "with", "to", "toward", "towards", "in",
    "for", "from", "upon", "onto", "inside", "near", "over", "between",
    "about", "of", "by", NULL};

/* ---------------------------------------------------------------- setup */

static casus_status grow_words(casus_coder *c, size_t n)
{
    if (n <= c->cap_words)
        return CASUS_OK;
    size_t cap = c->cap_words ? c->cap_words : 64;
    while (cap < n)
        cap *= 2;
    int32_t **arrs[] = {&c->pos, &c->chunk_of, &c->kid_first, &c->kid_next,
                        &c->actor_hit, &c->agent_hit, &c->vcode};
    for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++) {
        int32_t *p = mem_realloc(c->ctx, *arrs[i], cap * sizeof **arrs[i]);
        if (!p)
            return CASUS_ENOMEM;
        *arrs[i] = p;
    }
    c->cap_words = cap;
    return CASUS_OK;
}

static casus_status grow_seq(casus_coder *c, size_t n)
{
    if (n <= c->cap_seq)
        return CASUS_OK;
    size_t cap = c->cap_seq ? c->cap_seq : 64;
    while (cap < n)
        cap *= 2;
    int32_t *a = mem_realloc(c->ctx, c->chunk_start, cap * sizeof *a);
    if (!a)
        return CASUS_ENOMEM;
    c->chunk_start = a;
    int32_t *b = mem_realloc(c->ctx, c->chunk_end, cap * sizeof *b);
    if (!b)
        return CASUS_ENOMEM;
    c->chunk_end = b;
    c->cap_seq = cap;
    return CASUS_OK;
}

static uint32_t word_id(const casus_dicts *d, const char *w)
{
    char key[MATCH_KEY_MAX];
    size_t n = match_key(w, strlen(w), key);
    return n ? dict_word_find(d, key, n) : 0;
}

casus_status casus_coder_new(casus_ctx *ctx, const casus_dicts *d,
                             unsigned flags, casus_coder **out)
{
    if (!ctx || !d || !out)
        return CASUS_EINVAL;
    *out = NULL;
    casus_coder *c = mem_alloc(ctx, sizeof *c);
    if (!c)
        return CASUS_ENOMEM;
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->d = d;
    c->flags = flags;
#define R(f, s) c->r.f = ud_deprel_id(s, sizeof s - 1)
    R(nsubj, "nsubj"); R(nsubj_pass, "nsubj:pass"); R(csubj, "csubj");
    R(obj, "obj"); R(iobj, "iobj"); R(obl, "obl"); R(obl_agent, "obl:agent");
    R(nmod, "nmod"); R(nmod_poss, "nmod:poss"); R(conj, "conj");
    R(xcomp, "xcomp"); R(ccomp, "ccomp"); R(advcl, "advcl");
    R(parataxis, "parataxis"); R(aux, "aux"); R(aux_pass, "aux:pass");
    R(advmod, "advmod"); R(kase, "case"); R(amod, "amod"); R(acl, "acl"); R(acl_relcl, "acl:relcl"); R(cop, "cop");
    R(root, "root"); R(appos, "appos"); R(compound, "compound"); R(flat, "flat");
    R(mark, "mark");
#undef R
    /* Index the patterns by block (counting sort, file order kept). */
    size_t nb = d->n_blocks;
    c->pat_first = mem_alloc(ctx, (nb + 1) * sizeof *c->pat_first);
    c->pat_idx = mem_alloc(ctx, (d->n_patterns + 1) * sizeof *c->pat_idx);
    if (!c->pat_first || !c->pat_idx) {
        casus_coder_free(c);
        return CASUS_ENOMEM;
    }
    memset(c->pat_first, 0, (nb + 1) * sizeof *c->pat_first);
    for (size_t i = 0; i < d->n_patterns; i++)
        if (d->patterns[i].block < nb)
            c->pat_first[d->patterns[i].block + 1]++;
    for (size_t b = 0; b < nb; b++)
        c->pat_first[b + 1] += c->pat_first[b];
    {
        uint32_t *cur = mem_alloc(ctx, (nb + 1) * sizeof *cur);
        if (!cur) {
            casus_coder_free(c);
            return CASUS_ENOMEM;
        }
        memcpy(cur, c->pat_first, (nb + 1) * sizeof *cur);
        for (size_t i = 0; i < d->n_patterns; i++) {
            uint32_t b = d->patterns[i].block;
            if (b < nb)
                c->pat_idx[cur[b]++] = (uint32_t)i;
        }
        mem_free(ctx, cur);
    }
    c->w_not = word_id(d, "not");
    c->w_nt = word_id(d, "n't");
    c->w_never = word_id(d, "never");
    *out = c;
    return CASUS_OK;
}

void casus_coder_free(casus_coder *c)
{
    if (!c)
        return;
    casus_ctx *ctx = c->ctx;
    mem_free(ctx, c->pat_first);
    mem_free(ctx, c->pat_idx);
    mem_free(ctx, c->pos);
    mem_free(ctx, c->chunk_of);
    mem_free(ctx, c->kid_first);
    mem_free(ctx, c->kid_next);
    mem_free(ctx, c->actor_hit);
    mem_free(ctx, c->agent_hit);
    mem_free(ctx, c->vcode);
    mem_free(ctx, c->wfix);
    mem_free(ctx, c->chunk_start);
    mem_free(ctx, c->chunk_end);
    mem_free(ctx, c->ch);
    mem_free(ctx, c->ah);
    mem_free(ctx, c->gh);
    mem_free(ctx, c->vi);
    mem_free(ctx, c->ev);
    mem_free(ctx, c);
}

/* ---------------------------------------------------------------- sentence */

/* The state of one sentence being coded. */
typedef struct sent {
    const casus_doc *doc;
    const casus_token *w;    /* its words */
    size_t n;
    size_t index;            /* in the document */
    const casus_sentence *s;
    casus_date date;
    dict_day day;
} sent;

static int32_t kid(const casus_coder *c, int32_t i) { return c->kid_first[i]; }
static int32_t sib(const casus_coder *c, int32_t i) { return c->kid_next[i]; }
static int rel_of(const sent *S, int32_t i) { return S->w[i].deprel; }
static int32_t head_of(const sent *S, int32_t i)
{
    int32_t h = S->w[i].head;
    return h > 0 && (size_t)h <= S->n ? h - 1 : NO;
}

static void build_tree(casus_coder *c, const sent *S)
{
    for (size_t i = 0; i < S->n; i++)
        c->kid_first[i] = c->kid_next[i] = NO;
    /* children in text order: link from the right */
    for (size_t k = S->n; k-- > 0;) {
        int32_t h = head_of(S, (int32_t)k);
        if (h == NO || h == (int32_t)k)
            continue;
        c->kid_next[k] = c->kid_first[h];
        c->kid_first[h] = (int32_t)k;
    }
}

static casus_status find_hits(casus_coder *c, const sent *S)
{
    const match_seq *q = c->seq;
    c->n_ah = c->n_gh = 0;
    for (size_t i = 0; i < S->n; i++)
        c->actor_hit[i] = c->agent_hit[i] = NO;
    for (int kind = 0; kind < 2; kind++) {
        dict_kind k = kind ? DICT_AGENTS : DICT_ACTORS;
        hit **v = kind ? &c->gh : &c->ah;
        size_t *nv = kind ? &c->n_gh : &c->n_ah;
        size_t *cap = kind ? &c->cap_gh : &c->cap_ah;
        int32_t *mark = kind ? c->agent_hit : c->actor_hit;
        for (size_t i = 0; i < q->n;) {
            match_hit h;
            if (!match_at(c->d, k, q, S->w, i, &h)) {
                i++;
                continue;
            }
            if (mem_grow(c->ctx, (void **)v, cap, *nv + 1, sizeof **v) != CASUS_OK)
                return CASUS_ENOMEM;
            hit *x = &(*v)[(*nv)++];
            x->first = q->tok[h.start];
            x->end = q->tok[h.end - 1] + 1;
            x->entry = h.entry;
            for (uint32_t t = x->first; t < x->end; t++)
                mark[t] = (int32_t)(*nv - 1);
            i = h.end;
        }
    }
    return CASUS_OK;
}

static int is_hyphen(const casus_token *t)
{
    return t->form.n == 1 && (t->form.p[0] == '-');
}

static int np_word(const casus_coder *c, const sent *S, size_t i)
{
    const casus_token *t = &S->w[i];
    if (c->actor_hit[i] != NO || c->agent_hit[i] != NO)
        return 1;
    switch (t->upos) {
    case CASUS_UPOS_DET: case CASUS_UPOS_ADJ: case CASUS_UPOS_NOUN:
    case CASUS_UPOS_PROPN: case CASUS_UPOS_NUM:
        return 1;
    case CASUS_UPOS_PART:   /* possessive 's or ’s */
        return (t->form.n == 2 && t->form.p[0] == '\'' && (t->form.p[1] | 32) == 's') ||
               (t->form.n == 4 && !memcmp(t->form.p, "\xe2\x80\x99", 3) &&
                (t->form.p[3] | 32) == 's');
    case CASUS_UPOS_PUNCT:
        return is_hyphen(t) && i > 0 && i + 1 < S->n;
    default:
        return 0;
    }
}

/*
 * The code of actor code `actor` ("" none) with the agents of chunk k: prefix
 * agents before it, the others after it in text order ("An MSF Arnor
 * diplomat" = NGO + ARN + GOV; "the Danish Islamist media" = DNK + MUS +
 * MED). "former" (or "ex-") makes the role an elite's: the agents after the
 * actor become ELI ("former Gondor prosecutors" = GONELI).
 */
static void chunk_combine(const casus_coder *c, const sent *S, const chunk *k,
                          const char *actor, char *out, size_t cap)
{
    char cur[32];
    snprintf(cur, sizeof cur, "%s", actor);
    int former = 0, any_suffix = 0;
    for (uint32_t t = k->first; t < k->end; t++)
        former |= lemma_is(&S->w[t], "former") || lemma_is(&S->w[t], "ex");
    /* casus mode: an organisation agent (NGO~) names the phrase's body only
     * when nothing else does: "the APEC forum" is the IGO, "the parliament's
     * committee" or "the Association's officials" the country's role */
    int own_body = 0;
    if (!(c->flags & CASUS_CODE_PETRARCH)) {
        own_body = !strncmp(actor, "IGO", 3) || !strncmp(actor, "NGO", 3);
        for (uint32_t t = k->first; t < k->end && !own_body && k->agent != NO; t++) {
            int32_t g = c->agent_hit[t], a = c->actor_hit[t];
            own_body = g != NO && !c->d->agents[c->gh[g].entry].prefix &&
                       !(a != NO && c->gh[g].first >= c->ah[a].first &&
                         c->gh[g].end <= c->ah[a].end);
        }
    }
    int32_t last = NO;
    for (uint32_t t = k->first; t < k->end; t++) {
        int32_t g = c->agent_hit[t];
        if (g == NO || g == last)
            continue;
        last = g;
        /* an agent word inside an actor's own name ("West Bank police") is
         * part of the name (casus mode) */
        int32_t a = c->actor_hit[t];
        if (a != NO && !(c->flags & CASUS_CODE_PETRARCH) && c->gh[g].first >= c->ah[a].first &&
            c->gh[g].end <= c->ah[a].end)
            continue;
        uint32_t e = c->gh[g].entry;
        if (k->agent == NO)
            break;
        if (own_body && c->d->agents[e].prefix)
            continue;
        if (!c->d->agents[e].prefix) {
            any_suffix = 1;
            if (former)
                continue;
        }
        char nx[32];
        match_combine(c->d, cur, e, nx, sizeof nx);
        memcpy(cur, nx, sizeof cur);
    }
    if (former && any_suffix) {
        size_t n = strlen(cur);
        if (n + 3 < sizeof cur)
            memcpy(cur + n, "ELI", 4);
    }
    snprintf(out, cap, "%s", cur);
}

static void chunk_code(casus_coder *c, const sent *S, chunk *k)
{
    k->code[0] = '\0';
    const char *actor = NULL;
    /* the actor holding the head, else the first */
    /* PETRARCH 2 codes a phrase by its first actor ("Arnor's Elrond" = ARN,
     * "the evil Arnor awful Gondor" = ARN); casus by the head's, which is
     * the more specific ("Iran's Foreign Minister Zarif") */
    int32_t a = (c->flags & CASUS_CODE_PETRARCH) ? NO : c->actor_hit[k->head];
    if (a == NO)
        for (uint32_t t = k->first; t < k->end && a == NO; t++)
            a = c->actor_hit[t];
    /* "Bosnian Serbs", "Croatian Serb refugees": a people named after one
     * country, living in the country named before it, is that country's */
    if (a != NO && !(c->flags & CASUS_CODE_PETRARCH)) {
        const char *hc = match_actor_code(c->d, c->ah[a].entry, S->day);
        for (uint32_t t = k->first; t < c->ah[a].first && strlen(hc) == 3; t++) {
            int32_t b = c->actor_hit[t];
            if (b == NO || b == a)
                continue;
            const char *bc = match_actor_code(c->d, c->ah[b].entry, S->day);
            /* an adjective ("Bosnian"), not a possessor ("Arnor's Elrond") */
            if (strlen(bc) == 3 && !dict_is_sector(bc) && !dict_is_sector(hc) &&
                S->w[c->ah[b].end - 1].upos == CASUS_UPOS_ADJ)
                a = b;
            break;
        }
    }
    int32_t g = c->agent_hit[k->head];
    if (g == NO)
        for (uint32_t t = k->first; t < k->end && g == NO; t++)
            g = c->agent_hit[t];
    /* "the West Bank", "the World Bank": an agent word inside the actor's
     * own name is part of the name (casus mode) */
    if (g != NO && a != NO && !(c->flags & CASUS_CODE_PETRARCH) &&
        c->gh[g].first >= c->ah[a].first && c->gh[g].end <= c->ah[a].end)
        g = NO;
    k->actor = a == NO ? NO : (int32_t)c->ah[a].entry;
    k->agent = g == NO ? NO : (int32_t)c->gh[g].entry;
    /* an agent word that only modifies the head ("a military parade") is
     * not who acted, unless an actor is there too ("Iranian military
     * parade" stays IRN) */
    if (g != NO && c->agent_hit[k->head] == NO && a == NO)
        k->agent = NO;
    if (k->actor != NO) {
        actor = match_actor_code(c->d, (uint32_t)k->actor, S->day);
        if (!*actor)
            k->actor = NO;   /* a null code: not an actor */
    }
    if (k->actor != NO || k->agent != NO)
        chunk_combine(c, S, k, k->actor != NO ? actor : "", k->code, sizeof k->code);
}

static int country_code(const char *code)
{
    return strlen(code) >= 3 && !dict_is_sector(code);
}

/* Whether chunk k names an ethnic group ("ethnic Albanians"): "ethnic"
 * before a country's actor. */
static int ethnic_chunk(const casus_coder *c, const sent *S, const chunk *k)
{
    if (k->actor == NO || !country_code(k->code))
        return 0;
    for (uint32_t t = k->first; t + 1 < k->end; t++)
        if (lemma_is(&S->w[t], "ethnic") && c->actor_hit[t + 1] != NO)
            return 1;
    return 0;
}

/*
 * "Ethnic Albanians in south Serbia", "ethnic Turks ... Sweden's decision":
 * an ethnic group is coded by the country it lives in, not by the state its
 * name comes from (CAMEO's and PLOVER's convention): the nearest other
 * country the sentence names, before the group on a tie; with none, the
 * group keeps its own.
 */
static void ethnic_groups(casus_coder *c, const sent *S)
{
    for (size_t k = 0; k < c->n_ch; k++) {
        chunk *h = &c->ch[k];
        if (!ethnic_chunk(c, S, h))
            continue;
        const chunk *best = NULL;
        uint32_t dist = UINT32_MAX;
        for (size_t j = 0; j < c->n_ch; j++) {
            const chunk *o = &c->ch[j];
            if (j == k || o->actor == NO || !country_code(o->code) ||
                !strncmp(o->code, h->code, 3) || ethnic_chunk(c, S, o))
                continue;
            uint32_t d = j < k ? h->first - o->end : o->first - h->end;
            if (d < dist) {
                dist = d;
                best = o;
            }
        }
        if (best)
            memcpy(h->code, best->code, 3);
    }
}

static int has_kid_rel(const casus_coder *c, const sent *S, int32_t v, int rel);

/* Whether dictionary word wid is a verb form on its own (no words before
 * or after it in the pattern). */
static int one_word_verb(const casus_coder *c, uint32_t wid)
{
    size_t nf = 0;
    const dict_verb_form *f = wid ? match_verb(c->d, wid, &nf) : NULL;
    for (size_t j = 0; f && j < nf; j++)
        if (f[j].n_front + f[j].n_back == 0)
            return 1;
    return 0;
}

/* Whether word i's form, else its lemma, is a one-word dictionary verb. */
static int dict_verb_word(const casus_coder *c, const sent *S, size_t i)
{
    if (c->pos[i] == NO)
        return 0;
    if (one_word_verb(c, c->seq->wid[c->pos[i]]))
        return 1;
    const casus_token *t = &S->w[i];
    if (!t->lemma.n)
        return 0;
    char key[MATCH_KEY_MAX];
    size_t kn = match_key(t->lemma.p, t->lemma.n, key);
    return kn && one_word_verb(c, dict_word_find(c->d, key, kn));
}

static int ends_with(const casus_slice *s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s->n > n && !memcmp(s->p + s->n - n, suffix, n);
}

/* The coder's own copy of the sentence's words, which S->w then points to
 * (a repair changes the copy, never the document); NULL when out of
 * memory. */
static casus_token *own_words(casus_coder *c, sent *S)
{
    if (S->w == c->wfix)
        return c->wfix;
    if (S->n > c->cap_wfix) {
        casus_token *w = mem_realloc(c->ctx, c->wfix, S->n * sizeof *w);
        if (!w)
            return NULL;
        c->wfix = w;
        c->cap_wfix = S->n;
    }
    memcpy(c->wfix, S->w, S->n * sizeof *S->w);
    S->w = c->wfix;
    return c->wfix;
}

/*
 * Repairs, on the coder's copy of the sentence, what a tagger or parser
 * error leaves without a verb. Sets *changed when it changed a word (the
 * caller rebuilds the tree and the chunks).
 *
 * A past-tense verb with no subject that the parse hung on a punctuation
 * mark of a nominal root (with no copula) hangs on the root ("British
 * aircraft using missiles killed 4 Iraqis", "killed" an amod of the final
 * "."), where roles() looks for a main verb the parse lost.
 *
 * A verb the tagger took for a noun or an adverb, which leaves its clause
 * without a verb and its words hung on the next verb of the sentence:
 *  - right after a modal that follows its subject, a dictionary verb form
 *    is a verb whatever its tag ("it would acting now", acting/ADV under
 *    the later "trashed"; not "should riots break out");
 *  - a dictionary verb form right after the actor name that opens the
 *    sentence and before a preposition or determiner, parsed as the name's
 *    compound head and the subject of a later verb that has a noun of its
 *    own just before it ("Ethiopia departs from Libya ... after crowds
 *    trashed", departs/NOUN the subject of "trashed").
 * The word becomes the verb of its clause: it takes the later verb's place
 * in the tree, with the words before it that hung there (subject, modal),
 * its compound name becomes its subject and its nmods obls, and the later
 * verb becomes its adverbial clause.
 */
static casus_status repair_verbs(casus_coder *c, sent *S, int *changed)
{
    *changed = 0;
    for (size_t i = 0; i < S->n; i++) {
        int32_t h = head_of(S, (int32_t)i);
        int32_t g = h != NO ? head_of(S, h) : NO;
        if (S->w[i].upos != CASUS_UPOS_VERB || h == NO || S->w[h].upos != CASUS_UPOS_PUNCT ||
            g == NO || g == (int32_t)i || rel_of(S, g) != c->r.root ||
            (S->w[g].upos != CASUS_UPOS_NOUN && S->w[g].upos != CASUS_UPOS_PROPN) ||
            has_kid_rel(c, S, g, c->r.cop) || has_kid_rel(c, S, (int32_t)i, c->r.nsubj))
            continue;
        const char *x = casus_xpos_name(S->w[i].xpos);
        if (!x || (strcmp(x, "VBD") && strcmp(x, "VBN")))
            continue;
        casus_token *w = own_words(c, S);
        if (!w)
            return CASUS_ENOMEM;
        w[i].head = w[h].head;
        *changed = 1;
    }
    for (size_t i = 1; i + 1 < S->n; i++) {
        const casus_token *t = &S->w[i], *p = &S->w[i - 1];
        int32_t h = head_of(S, (int32_t)i);
        if (h == NO || h <= (int32_t)i || S->w[h].upos != CASUS_UPOS_VERB)
            continue;
        int modal = p->upos == CASUS_UPOS_AUX &&
                    (lemma_in(p, modal_words) || lemma_in(p, future_words)) &&
                    head_of(S, (int32_t)i - 1) == h &&
                    (t->upos == CASUS_UPOS_ADV || t->upos == CASUS_UPOS_NOUN);
        if (modal) {
            int32_t k = kid(c, h);
            while (k != NO && !(k < (int32_t)i - 1 && rel_of(S, k) == c->r.nsubj))
                k = sib(c, k);
            modal = k != NO;
        }
        int named = 0;
        if (!modal && i == 1 && t->upos == CASUS_UPOS_NOUN && p->upos == CASUS_UPOS_PROPN &&
            head_of(S, 0) == (int32_t)i && rel_of(S, 0) == c->r.compound &&
            c->actor_hit[0] != NO && rel_of(S, (int32_t)i) == c->r.nsubj &&
            (S->w[i + 1].upos == CASUS_UPOS_ADP || S->w[i + 1].upos == CASUS_UPOS_DET)) {
            const casus_token *b = &S->w[h - 1];
            named = h - 1 > (int32_t)i + 1 && head_of(S, h - 1) == h &&
                    (b->upos == CASUS_UPOS_NOUN || b->upos == CASUS_UPOS_PROPN);
        }
        if ((!modal && !named) || !dict_verb_word(c, S, i))
            continue;
        casus_token *w = own_words(c, S);
        if (!w)
            return CASUS_ENOMEM;
        *changed = 1;
        const char *xp = ends_with(&w[i].form, "ing") ? "VBG"
                         : modal                      ? "VB"
                         : ends_with(&w[i].form, "s") ? "VBZ"
                                                      : "VBP";
        int x = ud_xpos_id(xp, strlen(xp));
        w[i].upos = CASUS_UPOS_VERB;
        if (x > 0)
            w[i].xpos = (uint8_t)x;
        w[i].head = w[h].head;
        w[i].deprel = w[h].deprel;
        for (size_t k = 0; k < S->n; k++) {
            if (k == i)
                continue;
            if (k < i && head_of(S, (int32_t)k) == h)
                w[k].head = (int32_t)i + 1;
            if (head_of(S, (int32_t)k) == (int32_t)i) {
                if (w[k].deprel == c->r.compound && k < i)
                    w[k].deprel = (uint8_t)c->r.nsubj;
                else if (w[k].deprel == c->r.nmod)
                    w[k].deprel = (uint8_t)c->r.obl;
            }
        }
        w[h].head = (int32_t)i + 1;
        w[h].deprel = (uint8_t)c->r.advcl;
    }
    return CASUS_OK;
}

static casus_status find_chunks(casus_coder *c, const sent *S)
{
    c->n_ch = 0;
    for (size_t i = 0; i < S->n; i++)
        c->chunk_of[i] = NO;
    size_t i = 0;
    while (i < S->n) {
        const casus_token *t = &S->w[i];
        int pron = t->upos == CASUS_UPOS_PRON && lemma_in(t, pronouns);
        if (!pron && (!np_word(c, S, i) || is_hyphen(t))) {
            i++;
            continue;
        }
        size_t e = i + 1;
        if (!pron) {
            for (;;) {
                if (e < S->n && np_word(c, S, e)) {
                    /* a determiner after a noun starts a new chunk, unless
                     * a name runs across it */
                    if (S->w[e].upos == CASUS_UPOS_DET && c->actor_hit[e] == NO &&
                        c->agent_hit[e] == NO)
                        break;
                    if (is_hyphen(&S->w[e]) && !(e + 1 < S->n && np_word(c, S, e + 1)))
                        break;
                    e++;
                    continue;
                }
                /* "awful and evil minister": coordinated adjectives that
                 * name no actor or role stay inside the phrase (not
                 * "Iranian and Pakistani officials", two actors) */
                if (e + 2 < S->n && S->w[e].upos == CASUS_UPOS_CCONJ &&
                    S->w[e - 1].upos == CASUS_UPOS_ADJ && S->w[e + 1].upos == CASUS_UPOS_ADJ &&
                    c->actor_hit[e - 1] == NO && c->agent_hit[e - 1] == NO &&
                    c->actor_hit[e + 1] == NO && c->agent_hit[e + 1] == NO &&
                    np_word(c, S, e + 2) && S->w[e + 2].upos != CASUS_UPOS_DET) {
                    e += 2;
                    continue;
                }
                /* "the Islamic State (IS) group": a bracketed name inside */
                if (e + 2 < S->n && S->w[e].form.n == 1 && S->w[e].form.p[0] == '(') {
                    size_t j = e + 1;
                    while (j < S->n && j < e + 5 && np_word(c, S, j))
                        j++;
                    if (j < S->n && j > e + 1 && S->w[j].form.n == 1 &&
                        S->w[j].form.p[0] == ')' && j + 1 < S->n && np_word(c, S, j + 1) &&
                        S->w[j + 1].upos != CASUS_UPOS_DET) {
                        e = j + 1;
                        continue;
                    }
                }
                break;
            }
        }
        if (mem_grow(c->ctx, (void **)&c->ch, &c->cap_ch, c->n_ch + 1, sizeof *c->ch) !=
            CASUS_OK)
            return CASUS_ENOMEM;
        chunk *k = &c->ch[c->n_ch];
        memset(k, 0, sizeof *k);
        k->first = (uint32_t)i;
        k->end = (uint32_t)e;
        k->head = (uint32_t)(e - 1);
        for (size_t j = e; j-- > i;)
            if (S->w[j].upos == CASUS_UPOS_NOUN || S->w[j].upos == CASUS_UPOS_PROPN ||
                S->w[j].upos == CASUS_UPOS_PRON) {
                k->head = (uint32_t)j;
                break;
            }
        /* a name ending the chunk counts as its head ("Foreign Minister
         * Zarif" is about Zarif) */
        chunk_code(c, S, k);
        if (!k->code[0]) {
            if (pron)
                k->pronoun = 1;
            else if (e - i == 2 && lemma_is(&S->w[i], "the") &&
                     lemma_in(&S->w[i + 1], group_nouns))
                k->pronoun = 1;
        }
        for (size_t j = i; j < e; j++)
            c->chunk_of[j] = (int32_t)c->n_ch;
        c->n_ch++;
        i = e;
    }
    if (!(c->flags & CASUS_CODE_PETRARCH))
        ethnic_groups(c, S);
    /* chunk starts and ends by seq position, for the patterns */
    for (size_t p = 0; p < c->seq->n; p++)
        c->chunk_start[p] = c->chunk_end[p] = NO;
    for (size_t k = 0; k < c->n_ch; k++) {
        int32_t ps = NO, pe = NO;
        for (uint32_t t = c->ch[k].first; t < c->ch[k].end; t++)
            if (c->pos[t] != NO) {
                if (ps == NO)
                    ps = c->pos[t];
                pe = c->pos[t];
            }
        if (ps != NO) {
            c->chunk_start[ps] = (int32_t)k;
            c->chunk_end[pe] = (int32_t)k;
        }
    }
    /* subjects, for coreference */
    for (size_t t = 0; t < S->n; t++) {
        int r = rel_of(S, (int32_t)t);
        if ((r == c->r.nsubj || r == c->r.nsubj_pass) && c->chunk_of[t] != NO)
            c->ch[c->chunk_of[t]].subject = 1;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- patterns */

/* Length in seq positions of element e at seq position p (0: no match).
 * For $ + % ^ the chunk starting at p. *chunk_out receives that chunk. */
static size_t pe_at(const casus_coder *c, const dict_pe *e, size_t p, int32_t *chunk_out)
{
    const match_seq *q = c->seq;
    if (p >= q->n)
        return 0;
    switch (e->kind) {
    case DICT_PE_WORD:
        return q->wid[p] && q->wid[p] == e->id ? 1 : 0;
    case DICT_PE_SYNSET:
        return match_synset_at(c->d, e->id, q, p);
    case DICT_PE_SOURCE: case DICT_PE_TARGET: case DICT_PE_ANY: case DICT_PE_SKIP: {
        int32_t k = c->chunk_start[p];
        if (k == NO)
            return 0;
        if (e->kind != DICT_PE_SKIP && !c->ch[k].code[0] && !c->ch[k].pronoun)
            return 0;
        int32_t last = c->pos[c->ch[k].end - 1];
        for (uint32_t t = c->ch[k].end; last == NO && t-- > c->ch[k].first;)
            last = c->pos[t];
        *chunk_out = k;
        return (size_t)(last - (int32_t)p + 1);
    }
    default:
        return 0;
    }
}

/* Matches a pattern around the verb at seq [vs, ve). Returns the number of
 * elements matched (> 0), or -1. */
static int match_pattern(const casus_coder *c, const sent *S, const dict_pattern *pt,
                         size_t vs, size_t ve, int32_t *src, int32_t *tgt)
{
    const dict_pe *pe = &c->d->pes[pt->first_pe];
    size_t n = pt->n_pe, k = 0;
    while (k < n && pe[k].kind != DICT_PE_VERB)
        k++;
    if (k == n)
        return -1;
    int32_t s = NO, t = NO;
    /* casus reads a pattern's words after the verb inside its clause: up
     * to a comma or a subordinator ("agreed to reopen its borders to
     * peacekeepers, who oversee a ceasefire" is no agreed ceasefire);
     * PETRARCH 2 reads on */
    /* ("demanded that Pakistan release" reads on: a demand's clause is
     * what it demands; "announced that it will impose martial law" stops:
     * what a verb of speech reports is an act of its own) */
    size_t end = c->seq->n;
    int speech = vs < c->seq->n && lemma_in(&S->w[c->seq->tok[vs]], speech_verbs);
    for (size_t p = ve; p < c->seq->n && !(c->flags & CASUS_CODE_PETRARCH); p++) {
        const casus_token *w = &S->w[c->seq->tok[p]];
        if ((w->upos == CASUS_UPOS_PUNCT && !is_hyphen(w)) ||
            (w->upos == CASUS_UPOS_SCONJ && (speech || !lemma_is(w, "that")))) {
            end = p;
            break;
        }
    }
    /* after the verb, forwards */
    size_t cur = ve;
    for (size_t i = k + 1; i < n; i++) {
        int consec = (pe[i].flags & DICT_PE_CONSEC) != 0;
        size_t len = 0, p = cur;
        int32_t ch = NO;
        for (; p < end; p++) {
            len = pe_at(c, &pe[i], p, &ch);
            if (len || consec)
                break;
        }
        if (!len)
            return -1;
        if (pe[i].kind == DICT_PE_SOURCE)
            s = ch;
        else if (pe[i].kind == DICT_PE_TARGET)
            t = ch;
        cur = p + len;
    }
    /* before the verb, backwards: element i must end at or before lim */
    size_t lim = vs;
    for (size_t i = k; i-- > 0;) {
        int consec = (pe[i + 1].flags & DICT_PE_CONSEC) != 0;
        size_t len = 0, p = lim;
        int32_t ch = NO;
        int found = 0;
        while (p-- > 0) {
            len = pe_at(c, &pe[i], p, &ch);
            if (len && (p + len == lim || (!consec && p + len <= lim))) {
                found = 1;
                break;
            }
            if (consec && p + 8 < lim)
                break;
        }
        if (!found)
            return -1;
        if (pe[i].kind == DICT_PE_SOURCE)
            s = ch;
        else if (pe[i].kind == DICT_PE_TARGET)
            t = ch;
        lim = p;
    }
    *src = s;
    *tgt = t;
    return (int)n;
}

/* ---------------------------------------------------------------- verbs */

#define MAX_FORMS 8

/* The dictionary verb forms at word i, with the verb's seq span: a
 * multi-word form alone when one matches, else every one-word form of the
 * word (blocks of the same name each give theirs). Returns how many. */
static int has_kid_rel(const casus_coder *c, const sent *S, int32_t v, int rel);

/*
 * "Israel and Lebanon renewed negotiations today", "Liberian riot police
 * used tear gas", parsed as a noun phrase (the verb an amod or acl of the
 * nominal root): a past-tense verb on the root of a sentence in which no
 * clause has a subject is the sentence's main verb. So is a past
 * participle the parse made an amod right after a phrase that names an
 * actor ("guerrillas wounded two British soldiers").
 */
static int lost_main_verb(const casus_coder *c, const sent *S, int32_t i)
{
    const casus_token *t = &S->w[i];
    int32_t h = head_of(S, i);
    if (t->upos != CASUS_UPOS_VERB || i == 0 || h == NO)
        return 0;
    const char *x = casus_xpos_name(t->xpos);
    if (!x || (strcmp(x, "VBD") && strcmp(x, "VBN")))
        return 0;
    /* a participle before a noun follows a determiner or adjective, not
     * an actor */
    const casus_token *p = &S->w[i - 1];
    int32_t pk = c->chunk_of[i - 1];
    if (rel_of(S, i) == c->r.amod && (p->upos == CASUS_UPOS_NOUN || p->upos == CASUS_UPOS_PROPN) &&
        pk != NO && c->ch[pk].code[0] && c->ch[pk].end == (uint32_t)i)
        return 1;
    if (S->w[h].upos != CASUS_UPOS_NOUN && S->w[h].upos != CASUS_UPOS_PROPN)
        return 0;
    /* a nominal root with a subject and no copula took the verb's place
     * ("The United Nations on Tuesday reduced food supplies", "supplies"
     * the root with "Nations" as its subject); in casus mode also a
     * nominal complement of a speech verb (", relief officials said") */
    int nominal_clause = rel_of(S, h) == c->r.root ||
                         (!(c->flags & CASUS_CODE_PETRARCH) && rel_of(S, h) == c->r.ccomp &&
                          head_of(S, h) != NO && lemma_in(&S->w[head_of(S, h)], speech_verbs));
    if (!nominal_clause)
        return 0;
    if (i < h && has_kid_rel(c, S, h, c->r.nsubj) && !has_kid_rel(c, S, h, c->r.cop))
        return 1;
    if (rel_of(S, h) != c->r.root)
        return 0;
    /* for a verb before the noun it was hung on ("The US on Thursday
     * rejected calls by Kofi Annan, UN secretary-general, ..."), a subject
     * counts only when its clause has a verb or a copula ("UN" parsed as
     * the subject of "general" does not); after the noun, a participle is
     * more often a reduced relative ("Tycoon Accused of Heading ...") and
     * any subject counts */
    for (size_t k = 0; k < S->n; k++) {
        if (rel_of(S, (int32_t)k) != c->r.nsubj && rel_of(S, (int32_t)k) != c->r.nsubj_pass)
            continue;
        int32_t sh = head_of(S, (int32_t)k);
        if (i > h || sh == NO || S->w[sh].upos == CASUS_UPOS_VERB ||
            S->w[sh].upos == CASUS_UPOS_AUX || has_kid_rel(c, S, sh, c->r.cop) ||
            has_kid_rel(c, S, sh, c->r.aux) || has_kid_rel(c, S, sh, c->r.aux_pass))
            return 0;
    }
    return 1;
}

static size_t find_verb(const casus_coder *c, const sent *S, size_t i, size_t *vs, size_t *ve,
                        size_t *anchor, const dict_verb_form **out)
{
    *anchor = i;
    const casus_token *t = &S->w[i];
    if (c->pos[i] == NO)
        return 0;
    /* "the Israeli-occupied West Bank", "rebel-held territory": a
     * participle hyphenated to the word before it is an adjective */
    if (i >= 2 && is_hyphen(&S->w[i - 1]) && S->w[i - 1].end == t->start &&
        S->w[i - 2].end == S->w[i - 1].start)
        return 0;
    /* a word that is no verb can still be the verb of a multi-word form
     * with a verb in it ("will not wire tap", tagged wire/VERB tap/NOUN) */
    int weak = (t->upos != CASUS_UPOS_VERB &&
                !(rel_of(S, (int32_t)i) == c->r.root && t->upos != CASUS_UPOS_PROPN &&
                  t->upos != CASUS_UPOS_AUX && t->upos != CASUS_UPOS_ADP &&
                  t->upos != CASUS_UPOS_DET)) ||
               (rel_of(S, (int32_t)i) == c->r.amod && !lost_main_verb(c, S, (int32_t)i));
    if (weak && t->upos != CASUS_UPOS_NOUN)
        return 0;
    /* a noun root with a copula is a predicate, not a verb ("Gollum was in
     * an accord with ...") */
    if (!weak && t->upos != CASUS_UPOS_VERB && has_kid_rel(c, S, (int32_t)i, c->r.cop))
        weak = 1;
    size_t p = (size_t)c->pos[i];
    const match_seq *q = c->seq;
    for (int pass = 0; pass < 2; pass++) {
        size_t nf = 0, nout = 0;
        const dict_verb_form *f;
        if (pass == 0) {
            f = match_verb(c->d, q->wid[p], &nf);
        } else {
            if (!t->lemma.n)
                break;
            char key[MATCH_KEY_MAX];
            size_t kn = match_key(t->lemma.p, t->lemma.n, key);
            uint32_t wid = kn ? dict_word_find(c->d, key, kn) : 0;
            if (!wid || wid == q->wid[p])
                continue;
            f = match_verb(c->d, wid, &nf);
        }
        for (size_t j = 0; j < nf; j++) {
            const dict_verb_form *v = &f[j];
            if (v->n_front + v->n_back == 0) {
                if (nout < MAX_FORMS && !weak)
                    out[nout++] = v;
                continue;
            }
            if (nout || v->n_front > p || p + 1 + v->n_back > q->n)
                continue;
            size_t m = 0;
            while (m < v->n_front &&
                   q->wid[p - v->n_front + m] == c->d->words[v->first_front + m])
                m++;
            if (m < v->n_front)
                continue;
            m = 0;
            while (m < v->n_back && q->wid[p + 1 + m] == c->d->words[v->first_back + m])
                m++;
            if (m < v->n_back)
                continue;
            if (weak) {
                int verb = 0;
                for (size_t x = p - v->n_front; x < p + 1 + v->n_back && !verb; x++)
                    if (S->w[q->tok[x]].upos == CASUS_UPOS_VERB) {
                        verb = 1;
                        *anchor = q->tok[x];   /* the tree hangs on it */
                    }
                if (!verb)
                    continue;
            }
            *vs = p - v->n_front;
            *ve = p + 1 + v->n_back;
            out[0] = v;
            return 1;
        }
        if (nout) {
            *vs = p;
            *ve = p + 1;
            return nout;
        }
    }
    return 0;
}

static int code_valid(const char *s)
{
    return s[0] >= '0' && s[0] <= '9';
}

/* The code of the verb at word i: the best pattern's or the verb's own. */
static void code_verb(casus_coder *c, const sent *S, size_t i, struct vinfo *v)
{
    size_t vs = 0, ve = 0;
    const dict_verb_form *fv[MAX_FORMS];
    v->code = 0;
    v->pattern = 0;
    v->src_chunk = v->tgt_chunk = NO;
    size_t anchor;
    size_t nf = find_verb(c, S, i, &vs, &ve, &anchor, fv);
    if (!nf) {
        v->word = UINT32_MAX;
        return;
    }
    v->word = (uint32_t)anchor;
    v->span_end = ve > 0 && ve <= c->seq->n ? c->seq->tok[ve - 1] + 1 : (uint32_t)anchor + 1;
    for (size_t k = 0; k < nf && !v->code; k++)
        v->code = fv[k]->code;
    int best = -1;
    for (size_t fi = 0; fi < nf; fi++) {
        uint32_t b = fv[fi]->block;
        int seen = 0;
        for (size_t fj = 0; fj < fi; fj++)
            seen |= fv[fj]->block == b;
        if (seen || b >= c->d->n_blocks)
            continue;
        for (uint32_t k = c->pat_first[b]; k < c->pat_first[b + 1]; k++) {
            const dict_pattern *pt = &c->d->patterns[c->pat_idx[k]];
            const char *pc = pt->code ? dict_s(c->d, pt->code) : "---";
            if (pt->code && !code_valid(pc) && pc[0] != ':')
                continue;   /* PETRARCH test codes such as "+++" or "xxy" */
            int32_t s = NO, t = NO;
            int score = match_pattern(c, S, pt, vs, ve, &s, &t);
#ifdef CASUS_CODE_DEBUG
            fprintf(stderr, "  verb %zu pattern line %u code %s score %d\n", i, pt->line, pc,
                    score);
#endif
            if (score > best) {
                best = score;
                v->code = pt->code;
                v->pattern = 1;
                v->src_chunk = s;
                v->tgt_chunk = t;
            }
        }
    }
}

/* The chunk of v's active subject, NO when none. */
static int32_t subject_chunk(const casus_coder *c, const sent *S, int32_t v)
{
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k))
        if (rel_of(S, k) == c->r.nsubj)
            return c->chunk_of[k];
    return NO;
}

static int has_kid_lemma(const casus_coder *c, const sent *S, int32_t v, int rel,
                         const char *const *set)
{
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k))
        if ((rel < 0 || rel_of(S, k) == rel) && lemma_in(&S->w[k], set))
            return 1;
    return 0;
}

static int32_t case_of(const casus_coder *c, const sent *S, int32_t n);

/* Passive: a passive auxiliary, or a passive subject and no active one (a
 * parse that marks both is taken as active). */
/* Participles that, after "be" and with no "by" phrase, describe their
 * subject's own stance or act ("Israel is opposed to", "forces were
 * engaged in"): adjectival, not passive. */
static const char *const stative_participles[] = {"oppose", "engage", "involve", "commit",
                                                  "determine", "dedicate", NULL};

static int is_passive(const casus_coder *c, const sent *S, int32_t v)
{
    int pass_subj = 0, subj = 0, aux = 0;
    if (lemma_in(&S->w[v], stative_participles)) {
        int by = 0;
        for (int32_t k = kid(c, v); k != NO; k = sib(c, k))
            by |= rel_of(S, k) == c->r.obl_agent ||
                  (rel_of(S, k) == c->r.obl && case_of(c, S, k) != NO &&
                   lemma_is(&S->w[case_of(c, S, k)], "by"));
        if (!by)
            return 0;
    }
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (r == c->r.aux_pass)
            return 1;
        pass_subj |= r == c->r.nsubj_pass;
        subj |= r == c->r.nsubj;
        aux |= r == c->r.aux || r == c->r.obl_agent ||
               (r == c->r.obl && case_of(c, S, k) != NO &&
                lemma_is(&S->w[case_of(c, S, k)], "by"));
    }
    /* a passive subject without any auxiliary or "by" phrase is a
     * misparsed active ("Ethiopia broken down a treaty") */
    return pass_subj && !subj && aux;
}

static int32_t case_of(const casus_coder *c, const sent *S, int32_t n)
{
    for (int32_t k = kid(c, n); k != NO; k = sib(c, k))
        if (rel_of(S, k) == c->r.kase)
            return k;
    return NO;
}

/* ---------------------------------------------------------------- actors */

typedef struct side {
    casus_actor a[MAX_ROLE];
    size_t n;
    int domestic;   /* the target is the source's own country (domestic_target) */
} side;

static void side_add(side *sd, const char *code, const casus_token *w, size_t first,
                     size_t end)
{
    /* "ELR/GAL": PETRARCH's several actors in one name */
    const char *p = code;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && sd->n < MAX_ROLE) {
            casus_actor *a = &sd->a[sd->n];
            int dup = 0;
            for (size_t i = 0; i < sd->n; i++)
                if (strlen(sd->a[i].code) == n && !memcmp(sd->a[i].code, p, n))
                    dup = 1;
            if (!dup) {
                memset(a, 0, sizeof *a);
                if (n >= sizeof a->code)
                    n = sizeof a->code - 1;
                memcpy(a->code, p, n);
                if (w) {
                    a->text.p = w[first].form.p;
                    a->text.n = (size_t)(w[end - 1].form.p + w[end - 1].form.n - w[first].form.p);
                    a->start = w[first].start;
                    a->end = w[end - 1].end;
                }
                sd->n++;
            }
        }
        if (!e)
            break;
        p = e + 1;
    }
}

/* The subject actor most recently seen before word `before` of this
 * sentence, else in the document so far. */
static void phrase_actors(const casus_coder *c, const sent *S, int32_t n, side *sd,
                          int allow_pron, int depth);

static int antecedent(const casus_coder *c, const sent *S, uint32_t before, side *sd)
{
    for (size_t k = c->n_ch; k-- > 0;) {
        const chunk *h = &c->ch[k];
        if (h->first < before && h->subject && h->code[0] && h->actor != NO) {
            side_add(sd, h->code, S->w, h->first, h->end);
            return 1;
        }
        /* "The Umma party has said it will boycott ...": a role as the
         * subject, coded as phrase_actors codes it (casus mode) */
        if (h->first < before && h->subject && h->agent != NO && h->actor == NO &&
            !(c->flags & CASUS_CODE_PETRARCH)) {
            size_t n0 = sd->n;
            phrase_actors(c, S, (int32_t)h->head, sd, 0, 0);
            if (sd->n > n0 && strlen(sd->a[n0].code) >= 6)
                return 1;   /* a role with a country */
            sd->n = n0;
        }
    }
    if (c->have_last && sd->n < MAX_ROLE) {
        sd->a[sd->n++] = c->last_subj;
        return 1;
    }
    return 0;
}

static void phrase_actors(const casus_coder *c, const sent *S, int32_t n, side *sd,
                          int allow_pron, int depth);

/* The actor chunk nearest to chunk h (before it first) whose code starts
 * with a country; NULL when the sentence names none. */
static const chunk *country_chunk(const casus_coder *c, const chunk *h)
{
    size_t hi = (size_t)(h - c->ch);
    for (size_t k = hi; k-- > 0;)
        if (c->ch[k].actor != NO && strlen(c->ch[k].code) >= 3 && !dict_is_sector(c->ch[k].code))
            return &c->ch[k];
    for (size_t k = hi + 1; k < c->n_ch; k++)
        if (c->ch[k].actor != NO && strlen(c->ch[k].code) >= 3 && !dict_is_sector(c->ch[k].code))
            return &c->ch[k];
    return NULL;
}

/* Adds chunk h's role combined with each actor of the of/in/from modifiers
 * of word n ("lawmakers in Fornost" = FORLEG). */
static void owner_actors(const casus_coder *c, const sent *S, int32_t n, const chunk *h,
                         side *sd, int depth)
{
    for (int32_t k = kid(c, n); k != NO; k = sib(c, k)) {
        if (rel_of(S, k) != c->r.nmod)
            continue;
        int32_t cs = case_of(c, S, k);
        if (cs == NO || !(lemma_is(&S->w[cs], "of") || lemma_is(&S->w[cs], "in") ||
                          lemma_is(&S->w[cs], "from")))
            continue;
        side tmp;
        tmp.n = 0;
        phrase_actors(c, S, k, &tmp, 0, depth + 1);
        for (size_t j = 0; j < tmp.n; j++) {
            char code[32];
            chunk_combine(c, S, h, tmp.a[j].code, code, sizeof code);
            side_add(sd, code, S->w, h->first, h->end);
        }
    }
}

/* Adds the actors of the phrase headed by word n (and its conjuncts). */
static void phrase_actors(const casus_coder *c, const sent *S, int32_t n, side *sd,
                          int allow_pron, int depth)
{
    if (n == NO || depth > 6)
        return;
    int32_t ci = c->chunk_of[n];
    if (ci != NO) {
        const chunk *h = &c->ch[ci];
        if (h->actor != NO) {
            side_add(sd, h->code, S->w, h->first, h->end);
        } else if (h->agent != NO) {
            /* "lawmakers in Fornost", "the government of Gondor" */
            size_t before = sd->n;
            owner_actors(c, S, n, h, sd, depth);
            /* "lawmakers and officials in Fornost", "Danish media and
             * government": a coordinated role takes its partner's actor */
            int32_t p = NO;
            if (sd->n == before && rel_of(S, n) == c->r.conj)
                p = head_of(S, n);
            for (int32_t k = kid(c, n); sd->n == before && p == NO && k != NO; k = sib(c, k))
                if (rel_of(S, k) == c->r.conj)
                    p = k;
            int32_t pc = p == NO ? NO : c->chunk_of[p];
            if (pc != NO && pc != ci) {
                const chunk *ph = &c->ch[pc];
                if (ph->actor != NO) {
                    char code[32];
                    chunk_combine(c, S, h, match_actor_code(c->d, (uint32_t)ph->actor, S->day),
                                  code, sizeof code);
                    side_add(sd, code, S->w, h->first, h->end);
                } else if (ph->agent != NO) {
                    owner_actors(c, S, p, h, sd, depth);
                }
            }
            /* "the military", "rebels": a role with no actor of its own is
             * the sentence's country's (the nearest actor with a country,
             * this side first); PETRARCH 2 leaves it bare */
            if (sd->n == before && !(c->flags & CASUS_CODE_PETRARCH)) {
                const chunk *cc = country_chunk(c, h);
                if (cc) {
                    char code[32], country[4];
                    memcpy(country, cc->code, 3);
                    country[3] = '\0';
                    chunk_combine(c, S, h, country, code, sizeof code);
                    side_add(sd, code, S->w, h->first, h->end);
                }
            }
            if (sd->n == before)
                side_add(sd, h->code, S->w, h->first, h->end);
        } else if (h->pronoun && allow_pron) {
            antecedent(c, S, h->first, sd);
        } else if (!h->code[0]) {
            /* "thousands of Nigerians", "a member of the Syrian
             * parliament": a phrase that is no actor takes the actor of
             * its of/in/from modifier */
            for (int32_t k = kid(c, n); k != NO; k = sib(c, k)) {
                if (rel_of(S, k) != c->r.nmod || c->chunk_of[k] == ci)
                    continue;
                int32_t cs = case_of(c, S, k);
                if (cs != NO && (lemma_is(&S->w[cs], "of") || lemma_is(&S->w[cs], "in") ||
                                 lemma_is(&S->w[cs], "from")))
                    phrase_actors(c, S, k, sd, 0, depth + 1);
            }
            /* "Salaheddine Sidhoum, Algeria's leading human rights
             * activist": an unknown name is what its apposition says */
            for (int32_t k = kid(c, n); k != NO && !sd->n; k = sib(c, k))
                if (rel_of(S, k) == c->r.appos && c->chunk_of[k] != ci)
                    phrase_actors(c, S, k, sd, 0, depth + 1);
        }
    }
    for (int32_t k = kid(c, n); k != NO; k = sib(c, k))
        if (rel_of(S, k) == c->r.conj && S->w[k].upos != CASUS_UPOS_VERB)
            phrase_actors(c, S, k, sd, allow_pron, depth + 1);
}

/* Actors inside the modifiers of a phrase: "ties with Gondor". */
static void nested_actors(const casus_coder *c, const sent *S, int32_t n, side *sd, int depth)
{
    if (n == NO || depth > 3)
        return;
    for (int32_t k = kid(c, n); k != NO && sd->n == 0; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (r == c->r.acl && S->w[k].upos == CASUS_UPOS_VERB) {
            /* "memos sent by Bree", "the parade supporting Gondor": the
             * actor a reduced relative clause names */
            for (int32_t o = kid(c, k); o != NO && !sd->n; o = sib(c, o)) {
                int ro = rel_of(S, o);
                int32_t cs = case_of(c, S, o);
                if (ro == c->r.obj || ro == c->r.obl_agent ||
                    (ro == c->r.obl && cs != NO && lemma_in(&S->w[cs], target_preps)))
                    phrase_actors(c, S, o, sd, 0, 0);
            }
            continue;
        }
        if (r != c->r.nmod && r != c->r.conj && r != c->r.obl)
            continue;
        int32_t cs = case_of(c, S, k);
        /* an nmod without a preposition is a noun the parse hung there
         * ("cordoned off for construction the roads leading into X") */
        if (r != c->r.conj && (cs == NO ? r != c->r.nmod : !lemma_in(&S->w[cs], target_preps)))
            continue;
        phrase_actors(c, S, k, sd, 0, 0);
        if (!sd->n)
            nested_actors(c, S, k, sd, depth + 1);
    }
}

static int is_participle(const casus_token *t)
{
    const char *x = casus_xpos_name(t->xpos);
    return x && (!strcmp(x, "VBN") || !strcmp(x, "VBD") || !strcmp(x, "VBG"));
}

static void listed_subjects(const casus_coder *c, const sent *S, int32_t subj, side *src);

/* The nearest actor chunk before (dir -1) or after (dir 1) the verb, not
 * crossing another verb, a subordinator or a comma. */
static void linear_actor(const casus_coder *c, const sent *S, int32_t v, int dir, side *sd)
{
    for (int32_t i = v + dir; i >= 0 && (size_t)i < S->n; i += dir) {
        const casus_token *t = &S->w[i];
        /* "demanded that the Sudanese government ...": the complement's
         * subject (casus mode) */
        if (dir > 0 && i == v + 1 && lemma_is(t, "that") && !(c->flags & CASUS_CODE_PETRARCH))
            continue;
        /* a participle used as an adjective ("abandon improved relations
         * with X") does not end the clause */
        if (t->upos == CASUS_UPOS_VERB && c->vcode[i] == NO && (size_t)i + 1 < S->n &&
            !has_kid_rel(c, S, i, c->r.nsubj) && is_participle(t) &&
            np_word(c, S, (size_t)i + 1) && S->w[i + 1].upos != CASUS_UPOS_DET)
            continue;
        if (t->upos == CASUS_UPOS_VERB || t->upos == CASUS_UPOS_SCONJ ||
            (t->upos == CASUS_UPOS_PUNCT && !is_hyphen(t)) || lemma_is(t, "after") ||
            lemma_is(t, "before") || lemma_is(t, "when") || lemma_is(t, "while"))
            return;
        int32_t k = c->chunk_of[i];
        if (k != NO && c->ch[k].actor != NO) {
            side_add(sd, c->ch[k].code, S->w, c->ch[k].first, c->ch[k].end);
            /* "Israel and Lebanon renewed ...": the list it ends */
            if (dir < 0)
                listed_subjects(c, S, (int32_t)c->ch[k].first, sd);
            return;
        }
    }
}

static void object_actors(const casus_coder *c, const sent *S, int32_t v, int32_t agent,
                          side *tgt);

static const char *const to_word[] = {"to", NULL};
static const char *const that_word[] = {"that", NULL};

static int is_word(const casus_token *t, const char *s)
{
    return t->form.n == strlen(s) && !memcmp(t->form.p, s, t->form.n);
}

/*
 * "Mordor, the awful Fornost, and good Gondor welcomed ...": a subject that
 * ends a list of actor phrases the parse did not coordinate ("and good" read
 * as a clause). Walks left from the subject's chunk over "," and a final
 * "and"/"or"/"nor" (which must come right before the subject) and adds the
 * actor of every chunk of the list.
 */
static void listed_subjects(const casus_coder *c, const sent *S, int32_t subj, side *src)
{
    int32_t ci = subj == NO ? NO : c->chunk_of[subj];
    if (ci == NO || !c->ch[ci].code[0])
        return;
    int32_t i = (int32_t)c->ch[ci].first - 1;
    int conj = 0;
    while (i >= 0 && (is_word(&S->w[i], ",") || is_word(&S->w[i], "and") ||
                      is_word(&S->w[i], "or") || is_word(&S->w[i], "nor"))) {
        conj |= !is_word(&S->w[i], ",");
        i--;
    }
    if (!conj)
        return;
    for (;;) {
        int32_t k = i >= 0 ? c->chunk_of[i] : NO;
        if (k == NO || c->ch[k].end != (uint32_t)i + 1)
            return;
        if (c->ch[k].actor != NO)
            side_add(src, c->ch[k].code, S->w, c->ch[k].first, c->ch[k].end);
        i = (int32_t)c->ch[k].first - 1;
        if (i < 0 || !is_word(&S->w[i], ","))
            return;
        i--;
    }
}

static void roles(const casus_coder *c, const sent *S, int32_t v, side *src, side *tgt)
{
    src->n = tgt->n = 0;
    tgt->domestic = 0;
    int passive = is_passive(c, S, v);
    int32_t subj = NO, subj_pass = NO, agent = NO;
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (r == c->r.nsubj && subj == NO)
            subj = k;
        else if (r == c->r.nsubj_pass && subj_pass == NO)
            subj_pass = k;
        else if (passive && agent == NO &&
                 (r == c->r.obl_agent ||
                  (r == c->r.obl && case_of(c, S, k) != NO &&
                   lemma_is(&S->w[case_of(c, S, k)], "by"))))
            agent = k;   /* an active verb's "agent" is a misparse */
    }
    /* PETRARCH 2 reads a passive only through its "by" phrase: without
     * one, the passive subject is coded as the source ("The Philippines
     * was criticized over its dispute with Eriador" = PHL -> ERI) */
    if (passive && agent == NO && subj_pass != NO && (c->flags & CASUS_CODE_PETRARCH))
        passive = 0;
    if (passive) {
        phrase_actors(c, S, agent, src, 1, 0);
        /* "X has been accused of misusing funds, ..., by government
         * officials": a "by" phrase set off by a comma later in the
         * sentence, which the parse hung on another verb, names the
         * passive's agent (casus mode; not "a statement by India", a
         * noun's modifier) */
        for (size_t i = (size_t)v + 1; agent == NO && !src->n && i + 1 < S->n &&
                                        !(c->flags & CASUS_CODE_PETRARCH);
             i++) {
            if (!is_word(&S->w[i], "by") || S->w[i].upos != CASUS_UPOS_ADP ||
                !is_word(&S->w[i - 1], ","))
                continue;
            int32_t hd = head_of(S, (int32_t)i);
            int32_t k = c->chunk_of[i + 1];
            if (hd != NO && (rel_of(S, hd) == c->r.obl || rel_of(S, hd) == c->r.obl_agent) &&
                k != NO && c->ch[k].code[0] && country_code(c->ch[k].code))
                side_add(src, c->ch[k].code, S->w, c->ch[k].first, c->ch[k].end);
            break;
        }
        phrase_actors(c, S, subj_pass != NO ? subj_pass : subj, tgt, 1, 0);
    } else {
        phrase_actors(c, S, subj != NO ? subj : subj_pass, src, 1, 0);
        if (src->n)
            listed_subjects(c, S, subj != NO ? subj : subj_pass, src);
    }
    /* no subject: the governing verb's (xcomp, conj, participles) */
    /* a passive names no agent by climbing: the subject it would borrow
     * is its patient ("postponed the meeting after a hobbit was reported",
     * "called on Gondor to be allowed to leave") */
    int32_t u = passive ? NO : v;
    for (int i = 0; u != NO && !src->n && i < MAX_CHAIN && subj == NO && agent == NO; i++) {
        int r = rel_of(S, u);
        int32_t h = head_of(S, u);
        /* advmod: "is inching nearer to accord", the clause under an
         * adverb or adjective the parse made its head */
        /* "Benin opened its borders ..., but was refusing": a conjunct the
         * parse made a parataxis (it keeps its "but") */
        /* "British aircraft using missiles killed 4 Iraqis", "killed"
         * an advmod of the nominal root, or an amod after it: handled as
         * an acl below */
        int nominal_root = u == v && h != NO && rel_of(S, h) == c->r.root &&
                           (S->w[h].upos == CASUS_UPOS_NOUN || S->w[h].upos == CASUS_UPOS_PROPN) &&
                           (r == c->r.advmod || (r == c->r.amod && u > h));
        int para = 0;
        for (int32_t k = r == c->r.parataxis ? kid(c, u) : NO; k != NO && !para; k = sib(c, k))
            para = S->w[k].upos == CASUS_UPOS_CCONJ && k < u;
        if (h == NO || !(r == c->r.xcomp || r == c->r.conj || r == c->r.advcl ||
                         r == c->r.ccomp || r == c->r.acl || para ||
                         (r == c->r.advmod && u != v) || nominal_root))
            break;
        if (r == c->r.acl || nominal_root) {
            /* "an attack carried out by IS": the noun is not the actor;
             * but a past-tense verb on the nominal root of a sentence with
             * no subject anywhere is the main verb the parse lost, and the
             * root its subject ("Leaders of the opposition coalition
             * agreed to ...", parsed as a noun phrase; casus mode) */
            if (!(c->flags & CASUS_CODE_PETRARCH) && u == v && rel_of(S, h) == c->r.root &&
                lost_main_verb(c, S, u))
                phrase_actors(c, S, h, src, 1, 0);
            break;
        }
        /* PETRARCH 2 does not carry a subject into a subordinate clause
         * ("Arnor celebrated ... after leaving Eriador" codes no leaving) */
        if ((c->flags & CASUS_CODE_PETRARCH) && r == c->r.advcl &&
            has_kid_rel(c, S, u, c->r.mark) && !has_kid_lemma(c, S, u, c->r.mark, to_word))
            break;
        /* "condemned an attack ... and promised aid": a verb the parse
         * coordinated with the object noun shares the noun's verb */
        if (r == c->r.conj && S->w[u].upos == CASUS_UPOS_VERB &&
            (S->w[h].upos == CASUS_UPOS_NOUN || S->w[h].upos == CASUS_UPOS_PROPN) &&
            (rel_of(S, h) == c->r.obj || rel_of(S, h) == c->r.obl) && head_of(S, h) != NO &&
            S->w[head_of(S, h)].upos == CASUS_UPOS_VERB)
            h = head_of(S, h);
        int hp = is_passive(c, S, h);
        for (int32_t k = kid(c, h); k != NO; k = sib(c, k)) {
            int kr = rel_of(S, k);
            if (!hp && kr == c->r.nsubj)
                phrase_actors(c, S, k, src, 1, 0);
            else if (hp && (kr == c->r.obl_agent ||
                            (kr == c->r.obl && case_of(c, S, k) != NO &&
                             lemma_is(&S->w[case_of(c, S, k)], "by"))))
                phrase_actors(c, S, k, src, 1, 0);
            else if (hp && r == c->r.xcomp && kr == c->r.nsubj_pass)
                phrase_actors(c, S, k, src, 1, 0);
        }
        if (src->n)
            break;
        /* stop climbing at a verb with its own subject */
        int has_subj = 0;
        for (int32_t k = kid(c, h); k != NO; k = sib(c, k))
            if (rel_of(S, k) == c->r.nsubj || rel_of(S, k) == c->r.nsubj_pass)
                has_subj = 1;
        if (has_subj)
            break;
        u = h;
    }
    /* no subject, or one that names no actor ("The United States on
     * Thursday demanded", parsed with "Thursday" as the subject): the
     * nearest actor before the verb in its clause */
    if (!src->n && agent == NO && !passive) {
        int32_t sj = subj != NO ? subj : subj_pass;
        if (sj == NO || (c->chunk_of[sj] != NO && !c->ch[c->chunk_of[sj]].code[0] &&
                         !c->ch[c->chunk_of[sj]].pronoun))
            linear_actor(c, S, v, -1, src);
    }
    if (tgt->n)
        return;
    object_actors(c, S, v, agent, tgt);
    /* "threatened to attack X", "shelled and attacked X": the object of an
     * infinitive complement or of a coordinated verb */
    for (int32_t k = kid(c, v); k != NO && !tgt->n; k = sib(c, k)) {
        int r = rel_of(S, k);
        /* "signed an accord to supply Gondor": a purpose infinitive */
        int purpose = r == c->r.advcl && has_kid_lemma(c, S, k, c->r.mark, to_word) &&
                      !has_kid_rel(c, S, k, c->r.nsubj);
        if ((r != c->r.xcomp && r != c->r.conj && !purpose) ||
            S->w[k].upos != CASUS_UPOS_VERB)
            continue;
        if (r == c->r.xcomp && !lemma_in(&S->w[v], intention_verbs))
            continue;
        /* "demanded that Hamas renounce X" parsed as an xcomp with its own
         * subject: the subject is the target (below), not X */
        if (r == c->r.xcomp && has_kid_rel(c, S, k, c->r.nsubj))
            continue;
        for (int32_t o = kid(c, k); o != NO && !tgt->n; o = sib(c, o))
            if (rel_of(S, o) == c->r.obj)
                phrase_actors(c, S, o, tgt, 1, 0);
        /* "refused to commit to assistance to the US", "threatened to
         * launch an offensive in its war with Iraq": the complement's
         * obliques and nested phrases, for a verb of intention */
        if (!tgt->n && r == c->r.xcomp)
            object_actors(c, S, k, NO, tgt);
        /* "blocked a road to show their disapproval of US policies": the
         * purpose names whom the act is aimed at (casus mode) */
        if (!tgt->n && purpose && !(c->flags & CASUS_CODE_PETRARCH))
            object_actors(c, S, k, NO, tgt);
    }
    /* "demanded that Hamas renounce ...", "urged Iran to ...": the subject
     * of a clausal complement that is no event of its own */
    for (int32_t k = kid(c, v); k != NO && !tgt->n; k = sib(c, k)) {
        int r = rel_of(S, k);
        /* an advcl with "that" is a complement clause the parse mislabelled */
        if (r != c->r.ccomp && r != c->r.xcomp &&
            !(r == c->r.advcl && has_kid_lemma(c, S, k, c->r.mark, that_word)))
            continue;
        if (c->vcode[k] != NO && c->vi[c->vcode[k]].has_event)
            continue;
        for (int32_t o = kid(c, k); o != NO && !tgt->n; o = sib(c, o))
            if (rel_of(S, o) == c->r.nsubj || rel_of(S, o) == c->r.nsubj_pass)
                phrase_actors(c, S, o, tgt, 0, 0);
        /* "began to question whether he has a future with the Orcs": a
         * complement whose subject is no actor names the target among
         * its objects */
        if (!tgt->n && r == c->r.ccomp)
            object_actors(c, S, k, NO, tgt);
    }
    /* a parse that lost the object: the first actor after the verb in its
     * clause */
    if (!tgt->n)
        linear_actor(c, S, v, 1, tgt);
}

/* The target among v's objects, then obliques with a directional
 * preposition, then actors nested in either; agent is the passive's "by"
 * phrase (skipped). */
static void object_actors(const casus_coder *c, const sent *S, int32_t v, int32_t agent,
                          side *tgt)
{
    int32_t place = NO;
    side place_side;
    place_side.n = 0;
    for (int pass = 0; pass < 3 && !tgt->n; pass++) {
        if (pass == 2 && place != NO) {
            *tgt = place_side;   /* no other: the place it is */
            break;
        }
        for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
            int r = rel_of(S, k);
            if (pass == 0 && (r == c->r.obj || r == c->r.iobj))
                phrase_actors(c, S, k, tgt, 1, 0);
            else if (pass == 1 && r == c->r.obl && k != agent) {
                int32_t cs = case_of(c, S, k);
                if (cs != NO && lemma_in(&S->w[cs], target_preps)) {
                    size_t before = tgt->n;
                    phrase_actors(c, S, k, tgt, 0, 0);
                    /* "blocked streets in Hong Kong in defiance of Chinese
                     * authorities": "in" a country is where the act
                     * happened; another oblique's actor is its target
                     * (casus mode) */
                    if (tgt->n > before && lemma_is(&S->w[cs], "in") && place == NO &&
                        !(c->flags & CASUS_CODE_PETRARCH) && strlen(tgt->a[before].code) == 3 &&
                        !dict_is_sector(tgt->a[before].code)) {
                        place_side = *tgt;
                        place = k;
                        tgt->n = before;
                    }
                }
            } else if (pass == 2 && (r == c->r.obj || r == c->r.iobj || r == c->r.obl) &&
                       k != agent) {
                nested_actors(c, S, k, tgt, 0);
            }
            if (tgt->n && pass == 1)
                break;
        }
    }
    if (!tgt->n && place != NO)
        *tgt = place_side;
}

/*
 * An attack whose own phrases name no target ("IS targeted a gathering (and
 * sent a message) at Kerman in Iran"): the actor named in the place where it
 * happened, from the locative obliques ("at", "in", "inside", "near") of the
 * verb and of the verbs coordinated with it.
 */
static const char *const locative_preps[] = {"at", "in", "inside", "near", NULL};

static void place_target(const casus_coder *c, const sent *S, int32_t v, side *tgt)
{
    for (int pass = 0; pass < 2 && !tgt->n; pass++)
        for (int32_t u = v; u != NO && !tgt->n;) {
            for (int32_t k = kid(c, u); k != NO && !tgt->n; k = sib(c, k)) {
                if (rel_of(S, k) != c->r.obl)
                    continue;
                int32_t cs = case_of(c, S, k);
                if (cs == NO || !lemma_in(&S->w[cs], locative_preps))
                    continue;
                if (pass == 0)
                    phrase_actors(c, S, k, tgt, 0, 0);
                else
                    nested_actors(c, S, k, tgt, 0);
            }
            /* next: the verbs coordinated with v */
            int32_t next = NO;
            for (int32_t k = u == v ? kid(c, v) : sib(c, u); k != NO; k = sib(c, k))
                if (rel_of(S, k) == c->r.conj && S->w[k].upos == CASUS_UPOS_VERB) {
                    next = k;
                    break;
                }
            u = next;
        }
}

/*
 * "Syria offered its troops to Lebanon", "the US is providing military
 * intelligence to Macedonia": an object that is the source's own (its
 * troops, its intelligence) is what is given, not the target; the "to"
 * phrase (or indirect object) names who receives it.
 */
static void recipient_target(const casus_coder *c, const sent *S, int32_t v, const side *src,
                             side *tgt)
{
    for (size_t j = 0; j < tgt->n; j++)
        if (strlen(tgt->a[j].code) < 3 || strncmp(tgt->a[j].code, src->a[0].code, 3))
            return;
    side to;
    to.n = 0;
    for (int32_t k = kid(c, v); k != NO && !to.n; k = sib(c, k)) {
        int r = rel_of(S, k);
        int32_t cs = case_of(c, S, k);
        if (r == c->r.iobj || ((r == c->r.obl || r == c->r.obl_agent) && cs != NO &&
                                lemma_is(&S->w[cs], "to")))
            phrase_actors(c, S, k, &to, 0, 0);
        /* "providing intelligence to Macedonia" with the "to" phrase hung
         * on the object */
        for (int32_t o = r == c->r.obj ? kid(c, k) : NO; o != NO && !to.n; o = sib(c, o)) {
            int32_t oc = case_of(c, S, o);
            if (rel_of(S, o) == c->r.nmod && oc != NO && lemma_is(&S->w[oc], "to"))
                phrase_actors(c, S, o, &to, 0, 0);
            /* "photographs and other intelligence to Macedonia" */
            for (int32_t q = rel_of(S, o) == c->r.conj ? kid(c, o) : NO; q != NO && !to.n;
                 q = sib(c, q)) {
                int32_t qc = case_of(c, S, q);
                if (rel_of(S, q) == c->r.nmod && qc != NO && lemma_is(&S->w[qc], "to"))
                    phrase_actors(c, S, q, &to, 0, 0);
            }
        }
    }
    if (to.n && strncmp(to.a[0].code, src->a[0].code, 3)) {
        to.domestic = 0;
        *tgt = to;
    }
}

/*
 * "threatened to strike unless Israel rescinded the annexation", "threatened
 * to ban voting if Hamas ran": a threat is aimed at whoever its condition
 * names, when the threat's own phrases name no one else (no target, or only
 * the source's own country). The first actor phrase right after the "if" /
 * "unless" that follows the verb.
 */
static void condition_target(const casus_coder *c, const sent *S, int32_t v, const side *src,
                             side *tgt)
{
    for (size_t j = 0; j < tgt->n; j++)
        if (strncmp(tgt->a[j].code, src->a[0].code, 3))
            return;
    for (size_t i = (size_t)v + 1; i + 1 < S->n; i++) {
        if (!lemma_in(&S->w[i], condition_words))
            continue;
        int32_t k = c->chunk_of[i + 1];
        if (k == NO || c->ch[k].actor == NO || !country_code(c->ch[k].code) ||
            !strncmp(c->ch[k].code, src->a[0].code, 3))
            return;
        side one;
        one.n = 0;
        one.domestic = 0;
        side_add(&one, c->ch[k].code, S->w, c->ch[k].first, c->ch[k].end);
        *tgt = one;
        return;
    }
}

/* Whether an unnamed source's words end in a weapon ("an improvised
 * explosive device", "a roadside bomb"), not in people ("the troopers"). */
static int weapon_phrase(const casus_actor *a)
{
    static const char *const weapons[] = {
        "bomb", "bombs", "bombing", "blast", "explosion", "device", "explosive",
        "explosives", "mine", "mines", "landmine", "grenade", "ied", "rocket", "rockets",
        "mortar", "shell", "shells", "missile", "missiles", NULL};
    if (!a->text.p || !a->text.n)
        return 0;
    size_t i = a->text.n;
    while (i > 0 && a->text.p[i - 1] != ' ')
        i--;
    const char *w = a->text.p + i;
    size_t n = a->text.n - i;
    for (size_t k = 0; weapons[k]; k++) {
        if (strlen(weapons[k]) != n)
            continue;
        size_t j = 0;
        while (j < n && (w[j] | 0x20) == weapons[k][j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

/* Whether an actor code names a non-state armed group: a REB, INS or UAF
 * part after its first ("LBNREB", "LBNMILHEZREB", "IRNINSJAA"). */
static int irregular_actor(const char *code)
{
    size_t n = strlen(code);
    for (size_t i = 3; i + 3 <= n; i += 3)
        if (!memcmp(code + i, "REB", 3) || !memcmp(code + i, "INS", 3) ||
            !memcmp(code + i, "UAF", 3))
            return 1;
    return 0;
}

/*
 * A subject (or a passive's "by" phrase) that is a noun phrase naming no
 * actor ("Prisoners rioted at a jail in Dili", "killed by a roadside bomb
 * outside Basra"): as a role with no actor, it is the sentence's country's:
 * the nearest actor with a country, before the phrase first, that is not the
 * act's target; when no other country is named, the target's own (a
 * domestic event), for an attack ("a minefield explosion killed two Iraqi
 * youths") or an act on a role of that country ("supporters of Ben Bella
 * blocked roads ... demanding that the Algerian government ..."). The source's text
 * is the phrase itself.
 */
static void unnamed_source(const casus_coder *c, const sent *S, int32_t v, const char *code,
                           side *tgt, side *src)
{
    int passive = is_passive(c, S, v);
    int32_t subj = NO;
    for (int32_t k = kid(c, v); k != NO && subj == NO; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (passive ? (r == c->r.obl_agent ||
                       (r == c->r.obl && case_of(c, S, k) != NO &&
                        lemma_is(&S->w[case_of(c, S, k)], "by")))
                    : r == c->r.nsubj)
            subj = k;
    }
    int32_t ci = subj == NO ? NO : c->chunk_of[subj];
    if (ci == NO || c->ch[ci].pronoun || c->ch[ci].code[0] ||
        (S->w[subj].upos != CASUS_UPOS_NOUN && S->w[subj].upos != CASUS_UPOS_PROPN))
        return;
    const chunk *best = NULL;
    for (int dir = -1; dir <= 1 && !best; dir += 2)
        for (int32_t k = ci + dir; k >= 0 && (size_t)k < c->n_ch && !best; k += dir) {
            const chunk *h = &c->ch[k];
            if (h->actor == NO || strlen(h->code) < 3 || dict_is_sector(h->code))
                continue;
            int is_tgt = 0;
            for (size_t j = 0; j < tgt->n; j++)
                is_tgt |= !strncmp(tgt->a[j].code, h->code, 3);
            if (!is_tgt)
                best = h;
        }
    /* "a minefield explosion killed two Iraqi youths": an attack by no
     * one named on people of one country is that country's own */
    int violent = (code[0] == '1' && (code[1] == '8' || code[1] == '9')) ||
                  (code[0] == '2' && code[1] == '0');
    if (!best && tgt->n && strlen(tgt->a[0].code) >= 3 && !dict_is_sector(tgt->a[0].code) &&
        !(code[0] == '0' && (code[1] == '1' || code[1] == '2')) &&
        (violent || strlen(tgt->a[0].code) > 3)) {
        char tc[4];
        memcpy(tc, tgt->a[0].code, 3);
        tc[3] = '\0';
        const chunk *h = &c->ch[ci];
        side_add(src, tc, S->w, h->first, h->end);
        tgt->domestic = 1;   /* kept although it is the source's country */
        return;
    }
    if (!best)
        return;
    char country[4];
    memcpy(country, best->code, 3);
    country[3] = '\0';
    const chunk *h = &c->ch[ci];
    side_add(src, country, S->w, h->first, h->end);
}

/*
 * A passive act of a state's authorities with no agent ("a US national has
 * been put under investigation in Italy", "was arrested in Pakistan"): an
 * investigation (CAMEO 09) or a coercion (17) is done by the country where
 * it takes place, so the country of an "in" phrase of the verb, or of its
 * oblique, is the source (casus mode: PLOVER's country-level coding). Not a
 * country the target already names.
 */
static void place_source(const casus_coder *c, const sent *S, int32_t v, const char *code,
                         const side *tgt, side *src)
{
    if (!(code[0] == '0' && code[1] == '9') && !(code[0] == '1' && code[1] == '7'))
        return;
    if (!is_passive(c, S, v))
        return;
    int32_t stack[16];
    int ns = 0;
    for (int32_t k = kid(c, v); k != NO && ns < 8; k = sib(c, k))
        if (rel_of(S, k) == c->r.obl)
            stack[ns++] = k;
    for (int i = 0, n = ns; i < n && ns < 16; i++)
        for (int32_t k = kid(c, stack[i]); k != NO && ns < 16; k = sib(c, k))
            if (rel_of(S, k) == c->r.nmod)
                stack[ns++] = k;
    for (int i = 0; i < ns; i++) {
        int32_t k = stack[i], cs = case_of(c, S, k), ci = c->chunk_of[k];
        if (cs == NO || !lemma_is(&S->w[cs], "in") || ci == NO)
            continue;
        const chunk *h = &c->ch[ci];
        if (strlen(h->code) != 3 || dict_is_sector(h->code))
            continue;
        int is_tgt = 0;
        for (size_t j = 0; j < tgt->n; j++)
            is_tgt |= !strncmp(tgt->a[j].code, h->code, 3);
        if (is_tgt)
            continue;
        side_add(src, h->code, S->w, h->first, h->end);
        return;
    }
}

/*
 * An act of one country's actor that names no actor as its target ("police
 * arrested 12 demonstrators", "the parliament approved a law", "workers
 * began a strike"): PLOVER's country-level coding makes it a domestic event,
 * whose target is the source's own country. The target's text is the verb's
 * object (else oblique) phrase when there is one. Not for statements (CAMEO
 * 01, 02, which PLOVER drops), not for a compound subject (its reciprocal
 * events are the reading), not for an international or non-state source
 * with no country (IGO, NGO, ...).
 */
static const char *const time_nouns[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "day",
    "week", "month", "year", "today", "yesterday", "tomorrow", "night", "morning",
    "evening", "afternoon", "weekend", "hour", "time", "decade", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", NULL};   /* lemma_is lowers the word, not the set */

/* Whether word i heads a time phrase ("on Tuesday", "last month"). */
static int time_word(const casus_token *t)
{
    return t->upos == CASUS_UPOS_NUM || lemma_in(t, time_nouns);
}

static void domestic_target(const casus_coder *c, const sent *S, int32_t v, uint32_t span_end,
                            const char *code, const side *src, side *tgt)
{
    if (src->n != 1 || strlen(src->a[0].code) < 3 || dict_is_sector(src->a[0].code) ||
        (code[0] == '0' && (code[1] == '1' || code[1] == '2')))
        return;
    int32_t obj = NO;
    for (int pass = 0; pass < 3 && obj == NO; pass++)
        for (int32_t k = kid(c, v); k != NO && obj == NO; k = sib(c, k)) {
            int r = rel_of(S, k);
            if (k > v && (uint32_t)k < span_end)
                continue;   /* a word of the verb's own form ("opened fire") */
            if ((pass == 0 && (r == c->r.obj || r == c->r.iobj)) ||
                (pass == 1 && (r == c->r.ccomp || r == c->r.xcomp)) ||
                (pass == 2 && r == c->r.obl && !time_word(&S->w[k])))
                obj = k;
        }
    /* a parse that lost the object ("blew up three power lines" hung on
     * the subject noun): the first phrase after the verb in its clause */
    for (int32_t i = (int32_t)span_end; obj == NO && (size_t)i < S->n; i++) {
        const casus_token *t = &S->w[i];
        if ((t->upos == CASUS_UPOS_PUNCT && !is_hyphen(t)) || t->upos == CASUS_UPOS_CCONJ ||
            (t->upos == CASUS_UPOS_SCONJ && !lemma_is(t, "that")) ||
            (t->upos == CASUS_UPOS_VERB && c->vcode[i] != NO))
            break;
        if (c->chunk_of[i] != NO && !time_word(&S->w[c->ch[c->chunk_of[i]].head]))
            obj = i;
    }
    if (obj == NO)
        return;   /* "the general resigned": nothing is acted on */
    char country[4];
    memcpy(country, src->a[0].code, 3);
    country[3] = '\0';
    int32_t ci = c->chunk_of[obj];
    /* the source's own phrase is not what it acts on ("injured in an ambush
     * by X" with X the source) */
    if (ci != NO && S->w[c->ch[ci].first].start <= src->a[0].start &&
        src->a[0].start < S->w[c->ch[ci].end - 1].end)
        return;
    if (ci != NO)
        side_add(tgt, country, S->w, c->ch[ci].first, c->ch[ci].end);
    else
        side_add(tgt, country, S->w, (size_t)obj, (size_t)obj + 1);
    tgt->domestic = tgt->n != 0;
}

/* ---------------------------------------------------------------- events */

static casus_status emit(casus_coder *c, const sent *S, const casus_actor *src,
                         const casus_actor *tgt, const char *code, int negated)
{
    /* the same triple once per sentence */
    for (size_t i = c->sent_first_ev; i < c->n_ev; i++) {
        const casus_event *e = &c->ev[i];
        if (strcmp(e->cameo, code) || strcmp(e->source.code, src->code))
            continue;
        if ((tgt != NULL) != (e->has_target != 0))
            continue;
        if (tgt && strcmp(e->target.code, tgt->code))
            continue;
        return CASUS_OK;
    }
    if (mem_grow(c->ctx, (void **)&c->ev, &c->cap_ev, c->n_ev + 1, sizeof *c->ev) != CASUS_OK)
        return CASUS_ENOMEM;
    casus_event *e = &c->ev[c->n_ev++];
    memset(e, 0, sizeof *e);
    e->sentence_index = S->index;
    e->start = S->s->start;
    e->end = S->s->end;
    e->date = S->date;
    e->source = *src;
    if (tgt) {
        e->target = *tgt;
        e->has_target = 1;
    }
    size_t n = strlen(code);
    if (n >= sizeof e->cameo)
        n = sizeof e->cameo - 1;
    memcpy(e->cameo, code, n);
    const cameo_entry *ce = cameo_find_or_parent(code, n);
    if (ce && cameo_root(code, n)) {
        e->goldstein = (float)ce->goldstein;
        int root = cameo_root(code, n);
        e->quad_class = (uint8_t)(root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4);
        snprintf(e->plover_type, sizeof e->plover_type, "%s", ce->plover_type);
        snprintf(e->plover_mode, sizeof e->plover_mode, "%s", ce->plover_mode);
    }
    e->negated = (uint8_t)(negated != 0);
    return CASUS_OK;
}

/* Emits the events of one code ("A", "A:B", ":B") for sources x targets. */
static casus_status emit_all(casus_coder *c, const sent *S, const side *src, const side *tgt,
                             const char *code, int negated, int reciprocal)
{
    char fwd[16] = "", rev[16] = "";
    const char *colon = strchr(code, ':');
    if (colon) {
        snprintf(fwd, sizeof fwd, "%.*s", (int)(colon - code), code);
        snprintf(rev, sizeof rev, "%s", colon + 1);
    } else {
        snprintf(fwd, sizeof fwd, "%s", code);
    }
    if (!strcmp(fwd, "---"))
        fwd[0] = '\0';
    if (!strcmp(rev, "---"))
        rev[0] = '\0';
    casus_status st = CASUS_OK;
    int dyads = (c->flags & CASUS_CODE_PETRARCH) != 0;
    for (size_t i = 0; i < src->n && st == CASUS_OK; i++) {
        if (!tgt->n) {
            /* a compound subject alone: each with the others */
            int any = 0;
            for (size_t j = 0; reciprocal && j < src->n && st == CASUS_OK; j++)
                if (j != i && strcmp(src->a[i].code, src->a[j].code)) {
                    any = 1;
                    if (fwd[0])
                        st = emit(c, S, &src->a[i], &src->a[j], fwd, negated);
                }
            if (!any && !dyads && fwd[0])
                st = emit(c, S, &src->a[i], NULL, fwd, negated);
            continue;
        }
        size_t self = 0;
        for (size_t j = 0; j < tgt->n && st == CASUS_OK; j++) {
            if (!strcmp(src->a[i].code, tgt->a[j].code) && !tgt->domestic) {
                self++;
                continue;
            }
            if (fwd[0])
                st = emit(c, S, &src->a[i], &tgt->a[j], fwd, negated);
            if (st == CASUS_OK && rev[0])
                st = emit(c, S, &tgt->a[j], &src->a[i], rev, negated);
        }
        /* the only target is the source itself: the act stays, on the
         * source's own country when it has one and the target is another
         * phrase (a domestic event: "ethnic Albanians demonstrated in
         * Serbia" = SRB -> SRB), else untargeted */
        if (self == tgt->n && !dyads && fwd[0] && st == CASUS_OK) {
            if (country_code(src->a[i].code) && tgt->a[0].start != src->a[i].start &&
                !(fwd[0] == '0' && (fwd[1] == '1' || fwd[1] == '2'))) {
                casus_actor own = tgt->a[0];
                memset(own.code, 0, sizeof own.code);
                memcpy(own.code, src->a[i].code, 3);
                st = emit(c, S, &src->a[i], &own, fwd, negated);
            } else {
                st = emit(c, S, &src->a[i], NULL, fwd, negated);
            }
        }
    }
    return st;
}


static int has_kid_rel(const casus_coder *c, const sent *S, int32_t v, int rel)
{
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k))
        if (rel_of(S, k) == rel)
            return 1;
    return 0;
}

/* Whether word v is under could/may/would... (or will, *future). */
/* Whether v heads the complement clause of a speech verb. */
static int reported_clause(const casus_coder *c, const sent *S, int32_t v)
{
    int32_t h = head_of(S, v);
    return h != NO && rel_of(S, v) == c->r.ccomp && lemma_in(&S->w[h], speech_verbs);
}

/*
 * "opened its borders to West Africans ordered out of Nigeria": a participle
 * right after a noun that the parse coordinated with the main verb, with no
 * "and" or comma before it and no subject or auxiliary of its own, is a
 * reduced relative on the noun (a passive whose agent is unnamed), no act
 * of the main verb's subject.
 */
static int reduced_relative(const casus_coder *c, const sent *S, int32_t v)
{
    if (rel_of(S, v) != c->r.conj || v == 0 || !is_participle(&S->w[v]) ||
        (S->w[v - 1].upos != CASUS_UPOS_NOUN && S->w[v - 1].upos != CASUS_UPOS_PROPN))
        return 0;
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (k < v && (r == c->r.nsubj || r == c->r.nsubj_pass || r == c->r.aux ||
                      r == c->r.aux_pass || S->w[k].upos == CASUS_UPOS_CCONJ ||
                      S->w[k].upos == CASUS_UPOS_PUNCT))
            return 0;
    }
    return 1;
}

static int modal_of(const casus_coder *c, const sent *S, int32_t v, int *future)
{
    for (int i = 0; i < MAX_CHAIN && v != NO; i++) {
        for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
            if (rel_of(S, k) != c->r.aux)
                continue;
            /* "X said it would boycott Y": the future of reported speech */
            if (lemma_is(&S->w[k], "would") && reported_clause(c, S, v)) {
                *future = 1;
                continue;
            }
            if (lemma_in(&S->w[k], modal_words))
                return 1;
            if (lemma_in(&S->w[k], future_words))
                *future = 1;
        }
        int r = rel_of(S, v);
        /* a purpose infinitive ("could engage X to permit Y") is as
         * hypothetical as the verb it serves */
        if (r != c->r.conj && r != c->r.xcomp &&
            !(r == c->r.advcl && has_kid_lemma(c, S, v, c->r.mark, to_word) &&
              !has_kid_rel(c, S, v, c->r.nsubj)))
            break;
        v = head_of(S, v);
    }
    return 0;
}

/* Whether a clausal complement of v is under "must" and has a subject. */
static int must_clause(const casus_coder *c, const sent *S, int32_t v)
{
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
        if (rel_of(S, k) != c->r.ccomp)
            continue;
        int must = 0, subj = 0;
        for (int32_t a = kid(c, k); a != NO; a = sib(c, a)) {
            must |= rel_of(S, a) == c->r.aux && lemma_is(&S->w[a], "must");
            subj |= rel_of(S, a) == c->r.nsubj;
        }
        if (must && subj)
            return 1;
    }
    return 0;
}

/* Whether v is the infinitive of "willing / ready / prepared / eager to". */
static int ready_to(const casus_coder *c, const sent *S, int32_t v)
{
    static const char *const ready_words[] = {"willing", "ready", "prepared", "eager", NULL};
    for (int i = 0; i < MAX_CHAIN && v != NO; i++) {
        int r = rel_of(S, v);
        int32_t h = head_of(S, v);
        if (h == NO)
            return 0;
        /* "is prepared to lift": the infinitive an xcomp, or the advcl
         * a parse makes of it when it read "prepared" as an adjective */
        int inf = r == c->r.xcomp ||
                  (r == c->r.advcl && has_kid_lemma(c, S, v, c->r.mark, to_word) &&
                   S->w[h].upos == CASUS_UPOS_ADJ);
        if (inf && (lemma_in(&S->w[h], ready_words) ||
                                (S->w[h].form.n == 8 && lemma_is(&S->w[h], "prepare") &&
                                 (has_kid_rel(c, S, h, c->r.cop) ||
                                  has_kid_rel(c, S, h, c->r.aux_pass)))))
            return 1;
        if (r != c->r.conj)
            return 0;
        v = h;
    }
    return 0;
}

/* Whether v is an infinitive under a verb of intention or request. */
static int intended(const casus_coder *c, const sent *S, int32_t v)
{
    for (int i = 0; i < MAX_CHAIN && v != NO; i++) {
        int r = rel_of(S, v);
        int32_t h = head_of(S, v);
        if (h == NO)
            return 0;
        /* "... unless the president agrees to step down": a condition */
        if (!(c->flags & CASUS_CODE_PETRARCH) && (r == c->r.advcl || r == c->r.ccomp) &&
            has_kid_lemma(c, S, v, c->r.mark, condition_words))
            return 1;
        /* "demanded that Hamas renounce violence": what is demanded has
         * not happened */
        if (r == c->r.ccomp && lemma_in(&S->w[h], demand_verbs))
            return 1;
        /* "tried to hack into X": an attempt is the act, made (casus mode;
         * PETRARCH's suite reads it as intention) */
        if (!(c->flags & CASUS_CODE_PETRARCH) && r == c->r.xcomp &&
            (lemma_is(&S->w[h], "try") || lemma_is(&S->w[h], "attempt"))) {
            v = h;
            continue;
        }
        /* "refrained from targeting", "stopped short of attacking" */
        if ((r == c->r.xcomp || r == c->r.advcl) && lemma_in(&S->w[h], refrain_verbs))
            return 1;
        if (r == c->r.xcomp && (S->w[h].upos == CASUS_UPOS_VERB || S->w[h].upos == CASUS_UPOS_AUX ||
                                S->w[h].upos == CASUS_UPOS_ADJ) &&
            lemma_in(&S->w[h], intention_verbs))
            return 1;
        if (!(c->flags & CASUS_CODE_PETRARCH) && r == c->r.xcomp &&
            (lemma_is(&S->w[h], "able") || lemma_is(&S->w[h], "likely") ||
                                lemma_is(&S->w[h], "ready") || lemma_is(&S->w[h], "about")))
            return 1;
        /* "intends to", "a plan to": acl of a noun of intention */
        if (r == c->r.acl && (lemma_is(&S->w[h], "plan") || lemma_is(&S->w[h], "threat") ||
                              lemma_is(&S->w[h], "effort") || lemma_is(&S->w[h], "attempt") ||
                              lemma_is(&S->w[h], "bid") || lemma_is(&S->w[h], "opportunity")))
            return 1;
        if (r != c->r.conj && r != c->r.xcomp)
            return 0;
        v = h;
    }
    return 0;
}

/* "claiming to target X", "claims to be a victim": a claim with an
 * infinitive of its own states a purpose or a status, not responsibility
 * for an act (CAMEO 015); "claimed to have carried out the attack", a
 * perfect infinitive, still reports the act as done. */
static int claim_of_purpose(const casus_coder *c, const sent *S, int32_t v)
{
    static const char *const have[] = {"have", NULL};
    static const char *const to[] = {"to", NULL};
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k))
        if (rel_of(S, k) == c->r.xcomp && has_kid_lemma(c, S, k, c->r.mark, to) &&
            !has_kid_lemma(c, S, k, c->r.aux, have))
            return 1;
    return 0;
}

static int negated_verb(const casus_coder *c, const sent *S, int32_t v)
{
    return has_kid_lemma(c, S, v, -1, negation_words) &&
           (has_kid_lemma(c, S, v, c->r.advmod, negation_words) ||
            has_kid_lemma(c, S, v, -1, negation_words));
}

/* Whether a clause under v (ccomp, parataxis, or v's own head for a
 * parenthetical "officials said") holds a coded verb. */
static int reports_event(const casus_coder *c, const sent *S, int32_t v)
{
    int speech = lemma_in(&S->w[v], speech_verbs);
    for (int32_t k = kid(c, v); k != NO; k = sib(c, k)) {
        int r = rel_of(S, k);
        if (r != c->r.ccomp && r != c->r.parataxis && r != c->r.csubj)
            continue;
        /* "Turkey will allow refugees [parataxis: parse of "refugees who
         * have lived in Iraq to return"]": only a verb of speech reports a
         * clause set beside it */
        if (r == c->r.parataxis && !speech && !(c->flags & CASUS_CODE_PETRARCH))
            continue;
        /* "X welcomed Y, the agency said": the parenthetical report is
         * the frame, not "welcomed" */
        if (!speech && lemma_in(&S->w[k], speech_verbs) &&
            (r == c->r.parataxis || !strcmp(casus_xpos_name(S->w[k].xpos), "VBG")))
            continue;   /* nor does "X staged rallies, saying ..." */
        /* a coded verb in k's subtree that is a clause of its own, not a
         * noun's modifier ("allowed that Mordor isn't a place to visit") */
        for (size_t i = 0; i < c->n_vi; i++) {
            int32_t u = (int32_t)c->vi[i].word;
            if (!c->vi[i].has_event)
                continue;
            for (int d = 0; d < 12 && u != NO; d++, u = head_of(S, u)) {
                if (u == k)
                    return 1;
                if (rel_of(S, u) == c->r.acl || rel_of(S, u) == c->r.acl_relcl)
                    break;
            }
        }
    }
    int r = rel_of(S, v);
    if (r == c->r.parataxis) {
        int32_t h = head_of(S, v);
        for (size_t i = 0; i < c->n_vi; i++)
            if (c->vi[i].has_event && (int32_t)c->vi[i].word == h)
                return 1;
    }
    return 0;
}

/*
 * Events stated as nouns ("speeded up the withdrawal of its forces",
 * "completed its investigation", "reiterated its demand that ..."): a verb
 * that only carries an act (begin, complete, speed up, announce, ...) takes
 * the code of its object noun, read as the verb it is made from
 * (withdrawal -> withdraw, investigation -> investigate, denial -> deny,
 * invasion -> invade, suspension -> suspend, deployment -> deploy, seizure
 * -> seize; a noun that is a verb form itself: demand, attack, protest).
 */
static const char *const carrier_verbs[] = {
    "speed", "complete", "begin", "start", "launch", "continue", "resume", "order",
    "announce", "declare", "reiterate", "repeat", "renew", "conduct", "open", "stage",
    "issue", "step", "intensify", "finish", "undertake", "accelerate", "initiate",
    "implement", "carry", "make", NULL};

/* The code (string offset) of the verb noun word t is made from; 0 none. */
static uint32_t noun_event_code(const casus_coder *c, const casus_token *t)
{
    static const struct { const char *suffix, *repl; } der[] = {
        {"", ""}, {"ial", "y"}, {"al", ""}, {"al", "e"}, {"ation", "ate"}, {"ation", ""},
        {"ation", "e"}, {"nsion", "nd"}, {"sion", "de"}, {"ion", ""}, {"ion", "e"},
        {"ment", ""}, {"ure", "e"}};
    const casus_slice *l = t->lemma.n ? &t->lemma : &t->form;
    if (l->n < 4 || l->n > 40)
        return 0;
    for (size_t i = 0; i < sizeof der / sizeof der[0]; i++) {
        size_t sn = strlen(der[i].suffix), rn = strlen(der[i].repl);
        if (l->n <= sn + 2 || memcmp(l->p + l->n - sn, der[i].suffix, sn))
            continue;
        char w[48];
        memcpy(w, l->p, l->n - sn);
        memcpy(w + l->n - sn, der[i].repl, rn);
        size_t wn = l->n - sn + rn, nf;
        const dict_verb_form *f = match_verb_word(c->d, w, wn, &nf);
        for (size_t k = 0; k < nf; k++) {
            if (f[k].n_front + f[k].n_back || !f[k].code)
                continue;
            const char *code = dict_s(c->d, f[k].code);
            if (!code_valid(code) || (code[0] == '0' && code[1] == '1'))
                break;
            return f[k].code;
        }
    }
    return 0;
}

static casus_status noun_events(casus_coder *c, const sent *S)
{
    for (size_t i = 0; i < S->n; i++) {
        int32_t w = (int32_t)i;
        if (S->w[i].upos != CASUS_UPOS_VERB || !lemma_in(&S->w[i], carrier_verbs))
            continue;
        struct vinfo *have = c->vcode[i] != NO ? &c->vi[c->vcode[i]] : NULL;
        /* "ordered patrols", "ordered the arrest of": what is ordered by
         * the one with the authority to is its act, not a demand */
        int order = lemma_is(&S->w[i], "order");
        if (have && (have->pattern ||
                     (have->code && !order &&
                      !(dict_s(c->d, have->code)[0] == '0' &&
                        dict_s(c->d, have->code)[1] == '1'))))
            continue;
        uint32_t code = 0;
        for (int32_t k = kid(c, w); k != NO && !code; k = sib(c, k))
            if (rel_of(S, k) == c->r.obj && S->w[k].upos == CASUS_UPOS_NOUN)
                code = noun_event_code(c, &S->w[k]);
        if (!code)
            continue;
        if (!have) {
            if (mem_grow(c->ctx, (void **)&c->vi, &c->cap_vi, c->n_vi + 1, sizeof *c->vi) !=
                CASUS_OK)
                return CASUS_ENOMEM;
            c->vcode[i] = (int32_t)c->n_vi;
            have = &c->vi[c->n_vi++];
            memset(have, 0, sizeof *have);
            have->word = (uint32_t)i;
            have->span_end = (uint32_t)i + 1;
            have->src_chunk = have->tgt_chunk = NO;
        }
        have->code = code;
    }
    return CASUS_OK;
}

static casus_status code_sentence(casus_coder *c, sent *S, int *story_discard)
{
    casus_status st;
    const casus_dicts *d = c->d;
    if ((st = grow_words(c, S->n)) != CASUS_OK)
        return st;
    if ((st = match_doc_sentence(d, S->doc, S->index, &c->seq)) != CASUS_OK)
        return st;
    if ((st = grow_seq(c, c->seq->n + 1)) != CASUS_OK)
        return st;
    match_hit dh;
    int disc = match_discard(d, c->seq, S->w, &dh);
    if (disc == 2) {
        *story_discard = 1;
        return CASUS_OK;
    }
    if (disc == 1)
        return CASUS_OK;
    for (size_t i = 0; i < S->n; i++)
        c->pos[i] = NO;
    for (size_t p = c->seq->n; p-- > 0;)
        c->pos[c->seq->tok[p]] = (int32_t)p;   /* a token's first position */

    /* the date */
    when_env env = when_env_for_doc(S->doc, (casus_date){0, 0, 0});
    when_date wd[8];
    size_t nd = when_find(&env, S->w, S->n, wd, 8);
    S->date = casus_doc_date(S->doc);
    for (size_t i = 0; i < nd; i++)
        if (!(wd[i].flags & WHEN_UNRESOLVED) && wd[i].lo.year) {
            S->date = wd[i].lo;
            break;
        }
    S->day = S->date.year ? dict_day_from_date(S->date) : DICT_DAY_MIN;

    build_tree(c, S);
    if ((st = find_hits(c, S)) != CASUS_OK || (st = find_chunks(c, S)) != CASUS_OK)
        return st;
    int repaired;
    if ((st = repair_verbs(c, S, &repaired)) != CASUS_OK)
        return st;
    if (repaired) {
        build_tree(c, S);
        if ((st = find_chunks(c, S)) != CASUS_OK)
            return st;
    }

    /* verbs and their codes */
    c->n_vi = 0;
    for (size_t i = 0; i < S->n; i++)
        c->vcode[i] = NO;
    for (size_t i = 0; i < S->n; i++) {
        struct vinfo v;
        memset(&v, 0, sizeof v);
        code_verb(c, S, i, &v);
        if (v.word == UINT32_MAX)
            continue;
        if (mem_grow(c->ctx, (void **)&c->vi, &c->cap_vi, c->n_vi + 1, sizeof *c->vi) !=
            CASUS_OK)
            return CASUS_ENOMEM;
        if (c->vcode[v.word] != NO) {
            c->vi[c->vcode[v.word]] = v;   /* a multi-word form over its anchor's own */
            continue;
        }
        c->vcode[v.word] = (int32_t)c->n_vi;
        c->vi[c->n_vi++] = v;
    }
    int petrarch = (c->flags & CASUS_CODE_PETRARCH) != 0;
    if (!petrarch && (st = noun_events(c, S)) != CASUS_OK)
        return st;
    for (size_t i = 0; i < c->n_vi; i++) {
        struct vinfo *v = &c->vi[i];
        int32_t w = (int32_t)v->word;
        const char *code = v->code ? dict_s(d, v->code) : "---";
        v->has_event = strcmp(code, "---") != 0;
        v->negated = (uint8_t)negated_verb(c, S, w);
        int future = 0;
        /* "is willing to send", "is prepared to impose": a declared
         * readiness is an intent, coded as the future of the act */
        /* "failed to reach agreement": the act did not happen (casus mode;
         * coded below as a rejection or a negated act) */
        int32_t fh = head_of(S, w);
        if (!petrarch && rel_of(S, w) == c->r.xcomp && fh != NO && lemma_is(&S->w[fh], "fail"))
            v->failed = 1;
        else if (!petrarch && ready_to(c, S, w))
            future = 1;
        else if (!petrarch && v->has_event && rel_of(S, w) == c->r.xcomp && fh != NO &&
                 S->w[fh].upos == CASUS_UPOS_VERB && lemma_in(&S->w[fh], commit_verbs)) {
            /* "vowed to fight", "pledged to withdraw", "plans to impose":
             * a commitment is the act's future (138 for conflict, 030 for
             * cooperation), not the commitment verb's own 030 */
            future = 1;
            if (c->vcode[fh] != NO) {
                c->vi[c->vcode[fh]].drop = 1;
                c->vi[c->vcode[fh]].has_event = 0;
            }
        }
        else if (!v->pattern && intended(c, S, w))
            v->drop = 1;
        if (!petrarch && !v->pattern && !strcmp(code, "015") && claim_of_purpose(c, S, w))
            v->drop = 1;
        if (!petrarch && modal_of(c, S, w, &future))
            v->drop = 1;
        if (!petrarch && reduced_relative(c, S, w))
            v->drop = 1;
        v->future = (uint8_t)future;
        if (v->drop)
            v->has_event = 0;
    }
    /* "sent 21 personnel to Bosnia to investigate ...": sending is the
     * means, the coded purpose the act */
    for (size_t i = 0; i < c->n_vi && !petrarch; i++) {
        struct vinfo *v = &c->vi[i];
        int32_t w = (int32_t)v->word;
        if (!v->has_event || v->pattern || v->future || !lemma_in(&S->w[w], send_verbs))
            continue;
        for (int32_t k = kid(c, w); k != NO; k = sib(c, k))
            if ((rel_of(S, k) == c->r.advcl || rel_of(S, k) == c->r.xcomp) &&
                has_kid_lemma(c, S, k, c->r.mark, to_word) && c->vcode[k] != NO &&
                c->vi[c->vcode[k]].has_event)
                v->has_event = 0;
    }
    for (size_t i = 0; i < c->n_vi; i++) {
        struct vinfo *v = &c->vi[i];
        if (!v->has_event)
            continue;
        int32_t w = (int32_t)v->word;
        /* a reporting frame around a coded clause */
        if (!v->pattern && reports_event(c, S, w))
            continue;
        const char *code = dict_s(d, v->code);
        char fut[8];
        if (v->future && !petrarch) {
            size_t n = strlen(code);
            int root = cameo_root(code, n);
            if (!root)
                continue;
            /* the threat of what the act is, by the CAMEO codebook: of
             * protest 133, of sanctions 131 (a boycott or embargo 1312), of
             * administrative sanctions 132, of force 138 */
            if (root == 13)
                snprintf(fut, sizeof fut, "%s", code);
            else
                snprintf(fut, sizeof fut, "%s",
                         root == 14   ? "133"
                         : root == 16 ? (!strncmp(code, "163", 3) ? "1312" : "131")
                         : root == 17 ? "132"
                         : root >= 15 ? "138"
                         : root >= 9  ? "130"
                                      : "030");
            /* "will not meet the demands", "would not allow": refusing a
             * cooperative act is a rejection, CAMEO 120 (the negation is
             * in the code, so the event is not marked negated) */
            if (v->negated && root <= 8) {
                snprintf(fut, sizeof fut, "%s", "120");
                v->negated = 0;
            }
            code = fut;
        }
        /* "failed to reach agreement", "failed to agree": not cooperating
         * is a rejection, CAMEO 120; a failed conflict act is negated */
        if (v->failed) {
            int root = cameo_root(code, strlen(code));
            if (root >= 3 && root <= 8)
                code = "120";
            else
                v->negated = 1;
        }
        /* "X said that Y must stop ...": a statement of what another
         * must do is a demand (CAMEO 100) on it */
        char dem[8];
        if (code[0] == '0' && code[1] == '1' && lemma_in(&S->w[w], speech_verbs) &&
            must_clause(c, S, w)) {
            snprintf(dem, sizeof dem, "%s", "100");
            code = dem;
        }
        side src, tgt;
        roles(c, S, w, &src, &tgt);
        if (v->src_chunk != NO) {
            const chunk *h = &c->ch[v->src_chunk];
            src.n = 0;
            if (h->code[0])
                side_add(&src, h->code, S->w, h->first, h->end);
            else
                antecedent(c, S, h->first, &src);
        }
        if (v->tgt_chunk != NO) {
            const chunk *h = &c->ch[v->tgt_chunk];
            tgt.n = 0;
            if (h->code[0])
                side_add(&tgt, h->code, S->w, h->first, h->end);
            /* "X noted + Y regretted *": the pattern made the verb's own
             * subject the target, so the source is the governing verb's */
            if (v->src_chunk == NO && subject_chunk(c, S, w) == v->tgt_chunk) {
                src.n = 0;
                int r = rel_of(S, w);
                int32_t up = head_of(S, w);
                if (up != NO && (r == c->r.ccomp || r == c->r.xcomp || r == c->r.conj ||
                                 r == c->r.advcl))
                    for (int32_t k = kid(c, up); k != NO; k = sib(c, k))
                        if (rel_of(S, k) == c->r.nsubj)
                            phrase_actors(c, S, k, &src, 1, 0);
            }
        }
        if (!petrarch && src.n && tgt.n && v->tgt_chunk == NO)
            recipient_target(c, S, w, &src, &tgt);
        if (!petrarch && src.n && code[0] == '1' && code[1] == '3')
            condition_target(c, S, w, &src, &tgt);
        int unnamed = 0;
        if (!src.n && !petrarch) {
            unnamed_source(c, S, w, code, &tgt, &src);
            unnamed = src.n != 0;
        }
        if (!src.n && !petrarch)
            place_source(c, S, w, code, &tgt, &src);
        if (!src.n)
            continue;
        /* "guerrillas killed", "a bomb killed": conventional military force
         * (190) needs a military; rebels, insurgents, armed groups of no
         * known affiliation and unnamed weapons use unconventional
         * violence, CAMEO 180 */
        if (!petrarch && !strcmp(code, "190") &&
            ((unnamed && weapon_phrase(&src.a[0])) || irregular_actor(src.a[0].code)))
            code = "180";
        if (!tgt.n && !petrarch && code &&
            ((code[0] == '1' && (code[1] == '8' || code[1] == '9')) ||
             (code[0] == '2' && code[1] == '0'))) {
            place_target(c, S, w, &tgt);
            /* the place of a domestic attack is not its target */
            if (tgt.n && strncmp(tgt.a[0].code, src.a[0].code, 3) == 0)
                tgt.n = 0;
        }
        if (!tgt.n && !petrarch && !lemma_in(&S->w[w], speech_verbs))
            domestic_target(c, S, w, v->span_end, code, &src, &tgt);
        if ((st = emit_all(c, S, &src, &tgt, code, v->negated,
                           !lemma_in(&S->w[w], speech_verbs))) != CASUS_OK)
            return st;
    }
    /* the last subject actor, for pronouns in later sentences */
    for (size_t k = c->n_ch; k-- > 0;) {
        const chunk *h = &c->ch[k];
        if (h->subject && h->actor != NO && h->code[0]) {
            side one;
            one.n = 0;
            side_add(&one, h->code, S->w, h->first, h->end);
            if (one.n) {
                c->last_subj = one.a[0];
                c->have_last = 1;
            }
            break;
        }
    }
    return CASUS_OK;
}

casus_status casus_coder_run(casus_coder *c, const casus_doc *doc, const casus_event **events,
                             size_t *n)
{
    if (!c || !doc || !events || !n)
        return CASUS_EINVAL;
    *events = NULL;
    *n = 0;
    c->n_ev = 0;
    c->have_last = 0;
    size_t ns, nt;
    const casus_sentence *sv = casus_doc_sentences(doc, &ns);
    const casus_token *tv = casus_doc_tokens(doc, &nt);
    casus_status st = CASUS_OK;
    int story = 0;
    for (size_t i = 0; i < ns && st == CASUS_OK && !story; i++) {
        if (!sv[i].n_tokens || sv[i].first_token + sv[i].n_tokens > nt)
            continue;
        sent S;
        memset(&S, 0, sizeof S);
        S.doc = doc;
        S.w = tv + sv[i].first_token;
        S.n = sv[i].n_tokens;
        S.index = i;
        S.s = &sv[i];
        c->sent_first_ev = c->n_ev;
        st = code_sentence(c, &S, &story);
    }
    if (story)
        c->n_ev = 0;
    if (st != CASUS_OK) {
        c->n_ev = 0;
        return st == CASUS_ENOMEM ? ctx_fail(c->ctx, st, "out of memory") : st;
    }
    *events = c->ev;
    *n = c->n_ev;
    return CASUS_OK;
}

/* ---------------------------------------------------------------- output */

static casus_status put_actor(casus_ctx *ctx, buf *b, const casus_actor *a)
{
    casus_status st = buf_puts(ctx, b, "{\"code\":\"");
    if (st == CASUS_OK)
        st = buf_json_escape(ctx, b, a->code, strlen(a->code));
    if (st == CASUS_OK)
        st = buf_puts(ctx, b, "\",\"text\":\"");
    if (st == CASUS_OK)
        st = buf_json_escape(ctx, b, a->text.p ? a->text.p : "", a->text.n);
    if (st == CASUS_OK)
        st = buf_printf(ctx, b, "\",\"start\":%zu,\"end\":%zu}", a->start, a->end);
    return st;
}

casus_status casus_write_events(const casus_doc *doc, const casus_event *ev, size_t n,
                                casus_sink *out)
{
    if (!doc || (!ev && n) || !out)
        return CASUS_EINVAL;
    casus_ctx *ctx = doc->ctx;
    size_t ns;
    const casus_sentence *sv = casus_doc_sentences(doc, &ns);
    buf b = BUF_INIT;
    casus_status st = CASUS_OK;
    for (size_t i = 0; i < n && st == CASUS_OK; i++) {
        const casus_event *e = &ev[i];
        char date[11];
        casus_date_format(e->date, date);
        const char *id = casus_doc_id(doc);
        st = buf_puts(ctx, &b, "{\"type\":\"event\",\"doc_id\":\"");
        if (st == CASUS_OK)
            st = buf_json_escape(ctx, &b, id, strlen(id));
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b,
                            "\",\"sentence_index\":%zu,\"char_start\":%zu,\"char_end\":%zu,"
                            "\"date\":\"%s\",\"source\":",
                            e->sentence_index, e->start, e->end, date);
        if (st == CASUS_OK)
            st = put_actor(ctx, &b, &e->source);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"target\":");
        if (st == CASUS_OK)
            st = e->has_target ? put_actor(ctx, &b, &e->target) : buf_puts(ctx, &b, "null");
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, ",\"cameo\":\"");
        if (st == CASUS_OK)
            st = buf_json_escape(ctx, &b, e->cameo, strlen(e->cameo));
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, "\",\"goldstein\":%.1f,\"quad_class\":%u,\"plover_type\":\"",
                            (double)e->goldstein, (unsigned)e->quad_class);
        if (st == CASUS_OK)
            st = buf_json_escape(ctx, &b, e->plover_type, strlen(e->plover_type));
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "\",\"plover_mode\":\"");
        if (st == CASUS_OK)
            st = buf_json_escape(ctx, &b, e->plover_mode, strlen(e->plover_mode));
        if (st == CASUS_OK)
            st = buf_printf(ctx, &b, "\",\"negated\":%s,\"text\":\"",
                            e->negated ? "true" : "false");
        if (st == CASUS_OK && e->sentence_index < ns)
            st = buf_json_escape(ctx, &b, sv[e->sentence_index].text.p,
                                 sv[e->sentence_index].text.n);
        if (st == CASUS_OK)
            st = buf_puts(ctx, &b, "\"}\n");
    }
    if (st == CASUS_OK && b.n && out->write(out->ud, b.p, b.n) != 0)
        st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
    else if (st == CASUS_ENOMEM)
        st = ctx_fail(ctx, st, "out of memory");
    buf_free(ctx, &b);
    return st;
}
