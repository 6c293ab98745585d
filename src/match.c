/*
 * match.c - the compiled matcher over tokens (see match.h).
 *
 * Where it sits: built at the end of dictionary loading (dict_finish ->
 * match_build); used by the event coder for every sentence, so the hot path
 * (match_prepare, match_at) allocates nothing beyond the reused match_seq and
 * costs one hash probe per token plus one per trie edge followed.
 *
 * Trie: nodes are small structs in one array (node 0 is the root); edges are
 * an open-addressing hash from (node, word id, edge kind) to the child. The
 * edge kind is 0 for "the next word", MATCH_E_GAP for "the next word, perhaps
 * after up to MATCH_MAX_GAP others" (PETRARCH agents written with blanks)
 * and MATCH_E_STEM for a discard's last word written without '_' (a stem:
 * any word that starts with it).
 */
#include "match.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "ctx.h"
#include "doc.h"
#include "util/mem.h"
#include "util/utf8.h"

#define MATCH_E_GAP 1u
#define MATCH_E_STEM 2u
#define NODE_HAS_GAP 1u
#define NODE_HAS_STEM 2u

typedef struct trie_node {
    uint32_t term;          /* phrase index + 1; 0: no phrase ends here */
    uint32_t flags;
} trie_node;

struct dict_trie {
    trie_node *nodes;
    size_t n_nodes, cap_nodes;
    uint64_t *keys;         /* 0 = empty slot */
    uint32_t *child;
    size_t cap, n_edges;    /* cap is a power of two */
    /* the stems of any node: the first bytes of their keys (a bit each)
     * and the shortest and longest key, so that a word whose key no stem
     * can start costs no prefix probes (the discards at every word) */
    uint64_t stem_first[4];
    size_t stem_min, stem_max;
};

/* ---------------------------------------------------------------- keys */

static int is_joiner(int32_t c)
{
    switch (c) {
    case '\'': case '-': case 0x2018: case 0x2019: case 0x02BC: case 0x2010:
    case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: case 0xFE63:
    case 0xFF0D:
        return 1;
    default:
        return 0;
    }
}

size_t match_key(const char *s, size_t n, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < n && o < MATCH_KEY_MAX) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            if (c == '\'' || c == '-')
                continue;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        int32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += len;
        if (cp < 0 || is_joiner(cp))
            continue;
        /* Case-fold and strip accents one code point at a time, into a
         * fixed buffer: no allocation. */
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(
            cp, dec, 8, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
            &last);
        if (m < 0 || m > 8) {
            dec[0] = cp;
            m = 1;
        }
        for (utf8proc_ssize_t k = 0; k < m; k++) {
            char tmp[4];
            size_t l = utf8_encode(dec[k], tmp);
            if (o + l > MATCH_KEY_MAX)
                return o;
            memcpy(out + o, tmp, l);
            o += l;
        }
    }
    return o;
}

int match_is_upper(const char *s, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        if (c >= 'A' && c <= 'Z')
            letter = 1;
    }
    return letter;
}

int match_is_caps(const char *s, size_t n)
{
    if (match_is_upper(s, n))
        return 1;
    /* "Nato", "Isis": house styles write acronyms of four letters or more
     * with one capital; a three-letter one ("Car", "Who") stays a word */
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') {
            if (i)
                return 0;
            letters++;
        } else if (c >= 'a' && c <= 'z') {
            if (!i)
                return 0;
            letters++;
        } else if (c >= 0x80) {
            return 0;
        }
    }
    return letters >= 4;
}

/* ---------------------------------------------------------------- hash */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t edge_key(uint32_t node, uint32_t wid, uint32_t kind)
{
    return ((uint64_t)(node + 1) << 32) | ((uint64_t)wid << 2) | kind;
}

static uint32_t edge_get(const dict_trie *t, uint32_t node, uint32_t wid,
                         uint32_t kind)
{
    if (!t->cap)
        return 0;
    uint64_t k = edge_key(node, wid, kind);
    size_t mask = t->cap - 1, h = (size_t)mix64(k) & mask;
    while (t->keys[h]) {
        if (t->keys[h] == k)
            return t->child[h];
        h = (h + 1) & mask;
    }
    return 0;
}

static casus_status edge_grow(casus_ctx *ctx, dict_trie *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    if (ncap > SIZE_MAX / sizeof(uint64_t))
        return ctx_fail(ctx, CASUS_ENOMEM, "dictionary trie too large");
    uint64_t *keys = mem_alloc(ctx, ncap * sizeof *keys);
    uint32_t *child = mem_alloc(ctx, ncap * sizeof *child);
    if (!keys || !child) {
        mem_free(ctx, keys);
        mem_free(ctx, child);
        return CASUS_ENOMEM;
    }
    memset(keys, 0, ncap * sizeof *keys);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t h = (size_t)mix64(t->keys[i]) & (ncap - 1);
        while (keys[h])
            h = (h + 1) & (ncap - 1);
        keys[h] = t->keys[i];
        child[h] = t->child[i];
    }
    mem_free(ctx, t->keys);
    mem_free(ctx, t->child);
    t->keys = keys;
    t->child = child;
    t->cap = ncap;
    return CASUS_OK;
}

/* The child of node by (wid, kind), created when absent. */
static casus_status edge_add(casus_ctx *ctx, dict_trie *t, uint32_t node,
                             uint32_t wid, uint32_t kind, uint32_t *child)
{
    uint32_t c = edge_get(t, node, wid, kind);
    if (c) {
        *child = c;
        return CASUS_OK;
    }
    casus_status st;
    if ((t->n_edges + 1) * 2 > t->cap && (st = edge_grow(ctx, t)) != CASUS_OK)
        return st;
    if ((st = mem_grow(ctx, (void **)&t->nodes, &t->cap_nodes, t->n_nodes + 1,
                       sizeof *t->nodes)) != CASUS_OK)
        return st;
    c = (uint32_t)t->n_nodes++;
    t->nodes[c].term = 0;
    t->nodes[c].flags = 0;
    uint64_t k = edge_key(node, wid, kind);
    size_t mask = t->cap - 1, h = (size_t)mix64(k) & mask;
    while (t->keys[h])
        h = (h + 1) & mask;
    t->keys[h] = k;
    t->child[h] = c;
    t->n_edges++;
    if (kind == MATCH_E_GAP)
        t->nodes[node].flags |= NODE_HAS_GAP;
    if (kind == MATCH_E_STEM)
        t->nodes[node].flags |= NODE_HAS_STEM;
    *child = c;
    return CASUS_OK;
}

/* ---------------------------------------------------------------- build */

static void trie_free(casus_ctx *ctx, dict_trie *t)
{
    if (!t)
        return;
    mem_free(ctx, t->nodes);
    mem_free(ctx, t->keys);
    mem_free(ctx, t->child);
    mem_free(ctx, t);
}

void match_free(casus_dicts *d)
{
    for (int k = 0; k < DICT_NKINDS; k++) {
        trie_free(d->ctx, d->trie[k]);
        d->trie[k] = NULL;
    }
}

static casus_status build_kind(casus_dicts *d, dict_kind kind)
{
    casus_ctx *ctx = d->ctx;
    dict_trie *t = mem_alloc(ctx, sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    memset(t, 0, sizeof *t);
    d->trie[kind] = t;
    casus_status st = mem_grow(ctx, (void **)&t->nodes, &t->cap_nodes, 1,
                               sizeof *t->nodes);
    if (st != CASUS_OK)
        return st;
    t->n_nodes = 1;
    t->nodes[0].term = 0;
    t->nodes[0].flags = 0;
    for (size_t i = 0; i < d->n_phrases[kind]; i++) {
        const dict_phrase *ph = &d->phrases[kind][i];
        uint32_t node = 0;
        for (uint32_t j = 0; j < ph->n; j++) {
            uint32_t ek = 0;
            if (j > 0 && (ph->gaps >> (j - 1)) & 1u)
                ek = MATCH_E_GAP;
            if (j + 1 == ph->n && kind == DICT_DISCARDS && !d->discards[ph->entry].exact) {
                ek = MATCH_E_STEM;
                const char *sw = dict_s(d, d->vocab[d->words[ph->first + j]]);
                size_t sl = strlen(sw);
                unsigned char b = (unsigned char)sw[0];
                t->stem_first[b >> 6] |= 1ull << (b & 63);
                if (!t->stem_min || sl < t->stem_min)
                    t->stem_min = sl;
                if (sl > t->stem_max)
                    t->stem_max = sl;
            }
            if ((st = edge_add(ctx, t, node, d->words[ph->first + j], ek, &node)) != CASUS_OK)
                return st;
        }
        if (t->nodes[node].term) {
            const dict_phrase *prev = &d->phrases[kind][t->nodes[node].term - 1];
            if (prev->entry == ph->entry)
                continue;   /* spelling variants of one entry ("Erdogan | Erdoğan") */
            char text[160];
            size_t o = 0;
            for (uint32_t j = 0; j < ph->n && o + 1 < sizeof text; j++) {
                const char *w = dict_s(d, d->vocab[d->words[ph->first + j]]);
                int k = snprintf(text + o, sizeof text - o, "%s%s", j ? " " : "", w);
                if (k < 0)
                    break;
                o += (size_t)k;
            }
            text[o < sizeof text ? o : sizeof text - 1] = '\0';
            dict_warn(d, dict_s(d, d->files[ph->file]), ph->line,
                      "duplicate %s name '%s' (first at %s:%lu); ignored",
                      dict_kind_name(kind), text, dict_s(d, d->files[prev->file]),
                      (unsigned long)prev->line);
            continue;
        }
        t->nodes[node].term = (uint32_t)i + 1;
    }
    return CASUS_OK;
}

casus_status match_build(casus_dicts *d)
{
    static const dict_kind kinds[] = {DICT_ACTORS, DICT_AGENTS, DICT_DISCARDS};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        casus_status st = build_kind(d, kinds[i]);
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- matching */

/* Makes room for need positions in seq. */
static casus_status seq_reserve(casus_ctx *ctx, match_seq *seq, size_t need)
{
    if (need <= seq->cap)
        return CASUS_OK;
    size_t ncap = seq->cap * 2 > need ? seq->cap * 2 : need;
    if (ncap > SIZE_MAX / sizeof(uint32_t))
        return ctx_fail(ctx, CASUS_ENOMEM, "sentence too long");
    /* Each array is replaced only when its reallocation succeeds, and
     * cap grows only when all three did, so a failure leaves seq valid. */
    uint32_t *w = mem_realloc(ctx, seq->wid, ncap * sizeof *w);
    if (!w)
        return CASUS_ENOMEM;
    seq->wid = w;
    uint32_t *t = mem_realloc(ctx, seq->tok, ncap * sizeof *t);
    if (!t)
        return CASUS_ENOMEM;
    seq->tok = t;
    uint8_t *u = mem_realloc(ctx, seq->upper, ncap);
    if (!u)
        return CASUS_ENOMEM;
    seq->upper = u;
    seq->cap = ncap;
    return CASUS_OK;
}

casus_status match_prepare(casus_ctx *ctx, const casus_dicts *d,
                           const casus_token *tok, size_t n, match_seq *seq)
{
    seq->n = 0;
    casus_status st = seq_reserve(ctx, seq, n);
    if (st != CASUS_OK)
        return st;
    char key[MATCH_KEY_MAX];
    for (size_t i = 0; i < n; i++) {
        const char *f = tok[i].form.p;
        size_t fn = tok[i].form.n;
        size_t kn = match_key(f, fn, key);
        if (kn == 0)
            continue;
        uint32_t wid = dict_word_find(d, key, kn);
        /* PETRARCH's texts join the words of a name with '_' ("Dol_Amroth"):
         * such a token, unknown as a whole, gives one position per part */
        if (!wid && fn > 2 && memchr(f + 1, '_', fn - 2)) {
            size_t parts = 1;
            for (size_t k = 1; k + 1 < fn; k++)
                parts += f[k] == '_';
            /* room for the parts and one position per token still to come */
            if ((st = seq_reserve(ctx, seq, seq->n + parts + (n - i - 1))) != CASUS_OK)
                return st;
            size_t a = 0;
            for (size_t k = 0; k <= fn; k++) {
                if (k < fn && (f[k] != '_' || k == 0 || k + 1 == fn))
                    continue;
                size_t pn = match_key(f + a, k - a, key);
                if (pn) {
                    seq->wid[seq->n] = dict_word_find(d, key, pn);
                    seq->tok[seq->n] = (uint32_t)i;
                    seq->upper[seq->n] = (uint8_t)match_is_caps(f + a, k - a);
                    seq->n++;
                }
                a = k + 1;
            }
            continue;
        }
        seq->wid[seq->n] = wid;
        seq->tok[seq->n] = (uint32_t)i;
        seq->upper[seq->n] = (uint8_t)match_is_caps(f, fn);
        seq->n++;
    }
    return CASUS_OK;
}

void match_seq_free(casus_ctx *ctx, match_seq *seq)
{
    mem_free(ctx, seq->wid);
    mem_free(ctx, seq->tok);
    mem_free(ctx, seq->upper);
    memset(seq, 0, sizeof *seq);
}

/* A sentence prepared for matching, valid while gen is the document's
 * mseq_gen. */
struct doc_mseq {
    match_seq seq;
    unsigned long gen;
};

void match_doc_free(casus_doc *doc)
{
    for (size_t i = 0; i < doc->cap_mseq; i++)
        match_seq_free(doc->ctx, &doc->mseq[i].seq);
    mem_free(doc->ctx, doc->mseq);
    doc->mseq = NULL;
    doc->cap_mseq = 0;
    doc->mseq_dicts = NULL;
}

casus_status match_doc_sentence(const casus_dicts *d, const casus_doc *cdoc, size_t si,
                                const match_seq **out)
{
    /* the cache is not part of the document's value: filling it through a
     * const pointer is safe because a document belongs to one thread */
    casus_doc *doc = (casus_doc *)(uintptr_t)cdoc;
    casus_ctx *ctx = doc->ctx;
    *out = NULL;
    if (si >= doc->sent.n)
        return ctx_fail(ctx, CASUS_EINVAL, "no sentence %zu", si);
    const casus_sentence *s = &doc->sent.v[si];
    if (s->first_token > doc->tok.n || s->n_tokens > doc->tok.n - s->first_token)
        return ctx_fail(ctx, CASUS_EINVAL, "sentence %zu outside the words", si);
    if (doc->mseq_dicts != d || doc->mseq_vocab != d->vocab_hash) {
        doc->mseq_dicts = d;
        doc->mseq_vocab = d->vocab_hash;
        doc->mseq_gen++;
    }
    if (si >= doc->cap_mseq) {
        size_t old = doc->cap_mseq;
        if (mem_grow(ctx, (void **)&doc->mseq, &doc->cap_mseq, doc->sent.n,
                     sizeof *doc->mseq) != CASUS_OK)
            return CASUS_ENOMEM;
        memset(doc->mseq + old, 0, (doc->cap_mseq - old) * sizeof *doc->mseq);
    }
    struct doc_mseq *m = &doc->mseq[si];
    if (m->gen != doc->mseq_gen) {
        casus_status st = match_prepare(ctx, d, doc->tok.v + s->first_token, s->n_tokens,
                                        &m->seq);
        if (st != CASUS_OK)
            return st;
        m->gen = doc->mseq_gen;
    }
    *out = &m->seq;
    return CASUS_OK;
}

typedef struct walk_state {
    const casus_dicts *d;
    const dict_trie *t;
    dict_kind kind;
    const match_seq *seq;
    const casus_token *tok;
    size_t pos[DICT_MAX_PHRASE];
    int found;
    match_hit best;
} walk_state;

static void accept(walk_state *w, uint32_t node, size_t depth, size_t start)
{
    uint32_t term = w->t->nodes[node].term;
    if (!term)
        return;
    const dict_phrase *ph = &w->d->phrases[w->kind][term - 1];
    for (size_t i = 0; i < depth; i++)
        if (((ph->upper >> i) & 1u) && !w->seq->upper[w->pos[i]])
            return;
    size_t end = w->pos[depth - 1] + 1;
    if (!w->found || end > w->best.end) {
        w->found = 1;
        w->best.start = start;
        w->best.end = end;
        w->best.phrase = term - 1;
        w->best.entry = ph->entry;
    }
}

static void walk_stems(walk_state *w, uint32_t node, size_t p, size_t depth,
                       size_t start)
{
    if (!w->tok || depth >= DICT_MAX_PHRASE)
        return;
    const casus_token *tk = &w->tok[w->seq->tok[p]];
    const dict_trie *t = w->t;
    /* an ASCII first letter is the key's first byte, lowered: most words
     * are turned away before their key is made */
    unsigned char c0 = tk->form.n ? (unsigned char)tk->form.p[0] : 0;
    if (c0 && c0 < 0x80 && c0 != '\'' && c0 != '-') {
        if (c0 >= 'A' && c0 <= 'Z')
            c0 = (unsigned char)(c0 + 32);
        if (!((t->stem_first[c0 >> 6] >> (c0 & 63)) & 1u))
            return;
    }
    char key[MATCH_KEY_MAX];
    uint32_t pre[MATCH_KEY_MAX];
    size_t kn = match_key(tk->form.p, tk->form.n, key);
    if (kn < t->stem_min || !kn ||
        !((t->stem_first[(unsigned char)key[0] >> 6] >> ((unsigned char)key[0] & 63)) & 1u))
        return;
    if (kn > t->stem_max)
        kn = t->stem_max;
    dict_word_prefixes(w->d, key, t->stem_min, kn, pre);
    for (size_t l = kn; l >= t->stem_min; l--) {
        uint32_t wid = pre[l - 1];
        if (!wid)
            continue;
        uint32_t c = edge_get(w->t, node, wid, MATCH_E_STEM);
        if (c) {
            w->pos[depth] = p;
            accept(w, c, depth + 1, start);
        }
    }
}

static void walk(walk_state *w, uint32_t node, size_t p, size_t depth,
                 size_t start)
{
    const match_seq *seq = w->seq;
    if (depth >= DICT_MAX_PHRASE || p >= seq->n)
        return;
    uint32_t flags = w->t->nodes[node].flags;
    uint32_t wid = seq->wid[p];
    if (wid) {
        uint32_t c = edge_get(w->t, node, wid, 0);
        if (c) {
            w->pos[depth] = p;
            accept(w, c, depth + 1, start);
            walk(w, c, p + 1, depth + 1, start);
        }
    }
    if (flags & NODE_HAS_STEM)
        walk_stems(w, node, p, depth, start);
    if ((flags & NODE_HAS_GAP) && depth > 0) {
        for (size_t q = p; q < seq->n && q <= p + MATCH_MAX_GAP; q++) {
            if (!seq->wid[q])
                continue;
            uint32_t c = edge_get(w->t, node, seq->wid[q], MATCH_E_GAP);
            if (c) {
                w->pos[depth] = q;
                accept(w, c, depth + 1, start);
                walk(w, c, q + 1, depth + 1, start);
            }
        }
    }
}

int match_at(const casus_dicts *d, dict_kind kind, const match_seq *seq,
             const casus_token *tok, size_t i, match_hit *hit)
{
    if (kind < 0 || kind >= DICT_NKINDS || !d->trie[kind] || i >= seq->n)
        return 0;
    const dict_trie *t = d->trie[kind];
    /* Fast exit: most words start no phrase. */
    if (!(t->nodes[0].flags & NODE_HAS_STEM) &&
        (!seq->wid[i] || !edge_get(t, 0, seq->wid[i], 0)))
        return 0;
    walk_state w;
    w.d = d;
    w.t = t;
    w.kind = kind;
    w.seq = seq;
    w.tok = tok;
    w.found = 0;
    memset(&w.best, 0, sizeof w.best);
    walk(&w, 0, i, 0, i);
    if (w.found && hit)
        *hit = w.best;
    return w.found;
}

int match_discard(const casus_dicts *d, const match_seq *seq,
                  const casus_token *tok, match_hit *hit)
{
    int result = 0;
    match_hit h;
    for (size_t i = 0; i < seq->n; i++) {
        if (!match_at(d, DICT_DISCARDS, seq, tok, i, &h))
            continue;
        int r = d->discards[h.entry].story ? 2 : 1;
        if (r > result) {
            result = r;
            if (hit)
                *hit = h;
            if (r == 2)
                break;
        }
    }
    return result;
}

const char *match_actor_code(const casus_dicts *d, uint32_t a, dict_day day)
{
    if (a >= d->n_actors)
        return "";
    const dict_actor *ac = &d->actors[a];
    if (day != DICT_DAY_MIN) {
        for (uint32_t i = 0; i < ac->n_restrict; i++) {
            const dict_restrict *r = &d->restricts[ac->first_restrict + i];
            if (day >= r->lo && day <= r->hi)
                return dict_s(d, r->code);
        }
    }
    return dict_s(d, ac->code);
}

size_t match_combine(const casus_dicts *d, const char *actor_code,
                     uint32_t agent, char *out, size_t cap)
{
    if (!cap)
        return 0;
    const char *ac = actor_code ? actor_code : "";
    const char *gc = agent < d->n_agents ? dict_s(d, d->agents[agent].code) : "";
    int prefix = agent < d->n_agents && d->agents[agent].prefix;
    const char *a = prefix ? gc : ac, *b = prefix ? ac : gc;
    size_t la = strlen(a), lb = strlen(b);
    /* "President Rouhani": IRNGOV + ~GOV stays IRNGOV; a role the actor's
     * code already has (as its 3-letter parts, in order) is not repeated. */
    if (!prefix && lb && lb % 3 == 0) {
        /* also a redundant 6-letter agent: HGWGOVMED + ~GOVMED */
        for (size_t i = 3; i + lb <= la; i += 3)
            if (memcmp(a + i, b, lb) == 0) {
                lb = 0;
                break;
            }
    }
    if (la >= cap)
        la = cap - 1;
    if (la + lb >= cap)
        lb = cap - 1 - la;
    memcpy(out, a, la);
    memcpy(out + la, b, lb);
    out[la + lb] = '\0';
    return la + lb;
}

const dict_verb_form *match_verb(const casus_dicts *d, uint32_t wid, size_t *n)
{
    *n = 0;
    if (!wid)
        return NULL;
    size_t lo = 0, hi = d->n_forms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->forms[mid].wid < wid)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t e = lo;
    while (e < d->n_forms && d->forms[e].wid == wid)
        e++;
    *n = e - lo;
    return e > lo ? &d->forms[lo] : NULL;
}

const dict_verb_form *match_verb_word(const casus_dicts *d, const char *s,
                                      size_t n, size_t *count)
{
    char key[MATCH_KEY_MAX];
    size_t kn = match_key(s, n, key);
    return match_verb(d, kn ? dict_word_find(d, key, kn) : 0, count);
}

size_t match_synset_at(const casus_dicts *d, uint32_t s, const match_seq *seq,
                       size_t i)
{
    if (s >= d->n_synsets)
        return 0;
    const dict_synset *sy = &d->synsets[s];
    size_t best = 0;
    for (uint32_t k = 0; k < sy->n_phrase; k++) {
        const dict_span *sp = &d->syn_phrases[sy->first_phrase + k];
        if (sp->n <= best || i + sp->n > seq->n)
            continue;
        uint32_t j = 0;
        while (j < sp->n && seq->wid[i + j] == d->words[sp->first + j])
            j++;
        if (j == sp->n)
            best = sp->n;
    }
    return best;
}
