/*
 * lemma.c - the lemmatizer (see lemma.h).
 *
 * Pipeline position: after tag.c (it needs the XPOS tag), run per word by
 * models.c. Nothing is allocated: a lookup returns either a string in the
 * mapped model or an edit script, and models.c spells the lemma (most
 * lemmas are the form itself or a prefix of it, which need no copy).
 */
#include "lemma.h"

#include <string.h>

#include "ctx.h"
#include "model.h"
#include "tag.h"
#include "ud.h"
#include "util/mem.h"

struct lemmatizer {
    model_file mf;
    const lemma_slot *dict, *rules;
    uint64_t dict_mask, rule_mask;
    const char *str;
    uint64_t str_n;
    const lemma_script *scr;
    uint64_t n_scr;
    unsigned max_suffix;
    int vb;                     /* the XPOS id of VB */
    int twin[256];              /* XPOS -> the tag sharing its forms' lemmas
                                 * (VBD <-> VBN, VB <-> VBP), or -1 */
    int base[256];              /* XPOS -> its base form's XPOS (VBD -> VB,
                                   NNS -> NN, ...), or -1 */
};

static char lower1(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

uint64_t lemma_dict_key(const char *p, size_t n, unsigned xpos, int lowered)
{
    uint64_t h = tag_hash(p, n) ^ ((uint64_t)(xpos + 1) << 40) ^
                 ((uint64_t)(lowered + 1) << 56);
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
    return h ? h : 1;
}

uint64_t lemma_rule_key(const char *lower_suffix, size_t k, unsigned xpos,
                        unsigned case_class)
{
    uint64_t h = tag_hash(lower_suffix, k) ^ ((uint64_t)(xpos + 1) << 40) ^
                 ((uint64_t)(case_class + 1) << 52) ^ ((uint64_t)k << 58);
    h *= 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    return h ? h : 1;
}

unsigned lemma_case_class(const char *p, size_t n)
{
    unsigned up = 0, letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 'A' && p[i] <= 'Z')
            up++, letters++;
        else if (p[i] >= 'a' && p[i] <= 'z')
            letters++;
    }
    if (up == 0)
        return 0;
    if (up >= 2 && up == letters)
        return 2;
    if (up == 1 && p[0] >= 'A' && p[0] <= 'Z')
        return 1;
    return 3;
}

static const lemma_slot *find(const lemma_slot *t, uint64_t m, uint64_t key)
{
    uint64_t i = (key >> 20) & m;
    for (uint64_t step = 0; step <= m; step++, i = (i + 1) & m) {
        if (t[i].key == key)
            return &t[i];
        if (!t[i].key)
            return NULL;
    }
    return NULL;
}

static int pow2_table(uint64_t bytes, uint32_t bits)
{
    return bits < 32 && bytes == ((uint64_t)1 << bits) * sizeof(lemma_slot);
}

casus_status lemma_load(casus_ctx *ctx, const char *path, lemmatizer **out)
{
    *out = NULL;
    lemmatizer *l = mem_alloc(ctx, sizeof *l);
    if (!l)
        return CASUS_ENOMEM;
    memset(l, 0, sizeof *l);
    casus_status st = model_open(ctx, path, "lemma", &l->mf);
    if (st != CASUS_OK) {
        mem_free(ctx, l);
        return st;
    }
    if ((st = model_make_hot(ctx, &l->mf)) != CASUS_OK)
        goto fail;
    const model_section *par, *ds, *rs, *ss, *sc;
    if ((st = model_need(ctx, &l->mf, path, "params", 4, &par)) != CASUS_OK ||
        (st = model_need(ctx, &l->mf, path, "dict", sizeof(lemma_slot), &ds)) != CASUS_OK ||
        (st = model_need(ctx, &l->mf, path, "rules", sizeof(lemma_slot), &rs)) != CASUS_OK ||
        (st = model_need(ctx, &l->mf, path, "strings", 1, &ss)) != CASUS_OK ||
        (st = model_need(ctx, &l->mf, path, "scripts", sizeof(lemma_script), &sc)) != CASUS_OK)
        goto fail;
    st = CASUS_EFORMAT;
    uint32_t prm[LEM_PARAMS];
    if (par->size < sizeof prm) {
        ctx_fail(ctx, st, "%s: lemmatizer parameters too short", path);
        goto fail;
    }
    memcpy(prm, par->data, sizeof prm);
    if (!pow2_table(ds->size, prm[LEMP_DICT_BITS]) ||
        !pow2_table(rs->size, prm[LEMP_RULE_BITS]) ||
        prm[LEMP_MAX_SUFFIX] > LEMMA_MAX_SUFFIX) {
        ctx_fail(ctx, st, "%s: corrupted lemmatizer (bad table sizes)", path);
        goto fail;
    }
    l->dict = (const lemma_slot *)(const void *)ds->data;
    l->rules = (const lemma_slot *)(const void *)rs->data;
    l->dict_mask = ((uint64_t)1 << prm[LEMP_DICT_BITS]) - 1;
    l->rule_mask = ((uint64_t)1 << prm[LEMP_RULE_BITS]) - 1;
    l->str = (const char *)ss->data;
    l->str_n = ss->size;
    l->scr = (const lemma_script *)(const void *)sc->data;
    l->n_scr = sc->size / sizeof(lemma_script);
    l->max_suffix = prm[LEMP_MAX_SUFFIX];
    static const char *const inflected[][2] = {
        {"VBD", "VB"}, {"VBN", "VB"}, {"VBG", "VB"}, {"VBZ", "VB"}, {"VBP", "VB"},
        {"NNS", "NN"}, {"NNPS", "NNP"}, {"JJR", "JJ"}, {"JJS", "JJ"},
        {"RBR", "RB"}, {"RBS", "RB"}};
    static const char *const twins[][2] = {
        {"VBD", "VBN"}, {"VBN", "VBD"}, {"VB", "VBP"}, {"VBP", "VB"}};
    for (size_t i = 0; i < 256; i++)
        l->base[i] = l->twin[i] = -1;
    l->vb = ud_xpos_id("VB", 2);
    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
        int x = ud_xpos_id(twins[i][0], strlen(twins[i][0]));
        if (x >= 0 && x < 256)
            l->twin[x] = ud_xpos_id(twins[i][1], strlen(twins[i][1]));
    }
    for (size_t i = 0; i < sizeof inflected / sizeof inflected[0]; i++) {
        int x = ud_xpos_id(inflected[i][0], strlen(inflected[i][0]));
        int b = ud_xpos_id(inflected[i][1], strlen(inflected[i][1]));
        if (x >= 0 && x < 256)
            l->base[x] = b;
    }
    /* Bounds are checked once here, so lookups need none. */
    for (uint64_t i = 0; i <= l->dict_mask; i++) {
        const lemma_slot *s = &l->dict[i];
        if (s->key && (s->a > l->str_n || s->b > l->str_n - s->a))
            goto corrupt;
    }
    for (uint64_t i = 0; i <= l->rule_mask; i++)
        if (l->rules[i].key && l->rules[i].a >= l->n_scr)
            goto corrupt;
    for (uint64_t i = 0; i < l->n_scr; i++)
        if (l->scr[i].append_off > l->str_n ||
            l->scr[i].append_n > l->str_n - l->scr[i].append_off)
            goto corrupt;
    *out = l;
    return CASUS_OK;
corrupt:
    ctx_fail(ctx, st, "%s: corrupted lemmatizer (out of bounds)", path);
fail:
    model_close(ctx, &l->mf);
    mem_free(ctx, l);
    return st;
}

void lemma_free(casus_ctx *ctx, lemmatizer *l)
{
    if (!l)
        return;
    model_close(ctx, &l->mf);
    mem_free(ctx, l);
}

/* The dictionary is a 4 MB table read at random: a miss per probe. The
 * pipeline starts the probes of a word a few words ahead (models.c). */
void lemma_prefetch(const lemmatizer *l, const char *form, size_t n, unsigned xpos)
{
    __builtin_prefetch(&l->dict[(lemma_dict_key(form, n, xpos, 0) >> 20) & l->dict_mask]);
    char low[64];
    if (n > sizeof low)
        return;
    for (size_t i = 0; i < n; i++)
        low[i] = lower1(form[i]);
    __builtin_prefetch(&l->dict[(lemma_dict_key(low, n, xpos, 1) >> 20) & l->dict_mask]);
}

void lemma_find(const lemmatizer *l, const char *form, size_t n,
                unsigned xpos, lemma_result *out)
{
    memset(out, 0, sizeof *out);
    const lemma_slot *s = find(l->dict, l->dict_mask,
                               lemma_dict_key(form, n, xpos, 0));
    char low[64];
    size_t ln = n < sizeof low ? n : sizeof low;
    for (size_t i = 0; i < ln; i++)
        low[i] = lower1(form[i]);
    if (!s && n <= sizeof low)
        s = find(l->dict, l->dict_mask, lemma_dict_key(low, n, xpos, 1));
    /* A past tense the treebank only has as a participle ("shot" VBD,
     * seen as VBN only) shares its lemma: no suffix script guesses
     * "shet". Likewise a present form and the infinitive. */
    int t = xpos < 256 ? l->twin[xpos] : -1;
    if (!s && t >= 0 && n <= sizeof low)
        s = find(l->dict, l->dict_mask, lemma_dict_key(low, n, (unsigned)t, 1));
    if (s) {
        out->lit = l->str + s->a;
        out->lit_n = s->b;
        return;
    }
    unsigned cc = lemma_case_class(form, n);
    int b = xpos < 256 ? l->base[xpos] : -1;   /* the base form's tag */
    int verb = l->vb >= 0 && (b == l->vb || (int)xpos == l->vb);
    size_t kmax = n > sizeof low ? 0 : ln < l->max_suffix ? ln : l->max_suffix;
    for (size_t k = kmax + 1; k-- > 0;) {
        s = find(l->rules, l->rule_mask,
                 lemma_rule_key(low + ln - k, k, xpos, cc));
        /* outside verbs, a suffix of two or more letters only one training
         * type had tells nothing about other words ("collages" -> "college"
         * in EWT would make "villages" "villege"): a shorter suffix
         * decides. A verb's long suffixes are its morphology ("declining"
         * -> "decline") and stay. */
        if (!s || (k >= 2 && s->b < 2 && !verb))
            continue;
        const lemma_script *sc = &l->scr[s->a];
        if (sc->strip > n)
            continue;
        out->lower = sc->lower;
        out->strip = sc->strip;
        out->append = l->str + sc->append_off;
        out->append_n = sc->append_n;
        /* A script that strips "ed", "es", "er", "est" cannot tell "claimed"
         * (claim) from "blamed" (blame): when its lemma is not a known base
         * form but the one keeping the 'e' is, keep the 'e'. */
        size_t stem = n - sc->strip;
        if (b >= 0 && sc->append_n == 0 && sc->strip >= 2 && n <= sizeof low &&
            low[stem] == 'e' && !find(l->dict, l->dict_mask,
                                      lemma_dict_key(low, stem, (unsigned)b, 1)) &&
            find(l->dict, l->dict_mask, lemma_dict_key(low, stem + 1, (unsigned)b, 1)))
            out->strip--;
        /* And back: a script that strips and appends an 'e' ("-ating" ->
         * "-ate") makes "combating" "combate"; when the stem with the 'e' is
         * no known base form and the bare stem is, no 'e'. */
        if (verb && b >= 0 && sc->append_n == 1 && l->str[sc->append_off] == 'e' &&
            sc->strip >= 2 && n <= sizeof low && stem > 0 && stem < sizeof low) {
            char c[sizeof low];
            memcpy(c, low, stem);
            c[stem] = 'e';
            if (!find(l->dict, l->dict_mask, lemma_dict_key(c, stem + 1, (unsigned)b, 1)) &&
                find(l->dict, l->dict_mask, lemma_dict_key(low, stem, (unsigned)b, 1)))
                out->append_n = 0;
        }
        /* The same mistake from a script that strips only the "d" or "s"
         * ("decided" -> "decide" applied to "raided"): a stem ending in 'e'
         * that is no known base form, when the stem without it is. Verbs
         * only: "corpses" is not "corps". */
        if (verb && b >= 0 && sc->append_n == 0 && sc->strip >= 1 && stem >= 2 &&
            n <= sizeof low && low[stem - 1] == 'e' &&
            !find(l->dict, l->dict_mask, lemma_dict_key(low, stem, (unsigned)b, 1)) &&
            find(l->dict, l->dict_mask, lemma_dict_key(low, stem - 1, (unsigned)b, 1)))
            out->strip++;
        return;
    }
    /* No rule: the form itself. */
}
