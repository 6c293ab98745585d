/*
 * where.c - places: finds the place names in a document and resolves each to
 * a country, a first-level subdivision or a city of the gazetteer.
 *
 * Where it sits: after tokenization and sentence splitting (it reads only
 * the words), before the incident stage, which takes the best place of an
 * incident's sentences. It needs no tagging: place names are found by the
 * index itself.
 *
 * The index (where_int.h) maps folded names ("deir ez zor") to the places
 * they may mean, best first, and marks keys that begin longer keys
 * (GZE_PREFIX), so a name is found by extending a run of words from a
 * capitalised one while the index says a longer name may follow: "Deir" ez
 * "-" "Zor" folds word by word to "deir ez zor" (a hyphen joins like a
 * space), "Sistan and Baluchestan" likewise. The longest known run wins.
 *
 * Resolution, one sentence at a time:
 *   1. find the mentions and their evidence: a locative word before ("in",
 *      "near", "the city of"), a head noun after ("province", "city"), a
 *      capitalised neighbour that makes the name part of a longer one
 *      ("Hyde Park"), a following ", Y" or a preceding "X's";
 *   2. collect the sentence's countries: country names and nationality
 *      words ("Pakistani");
 *   3. score every candidate place of every mention, right to left so that
 *      in "Chaman, Balochistan, Pakistan" each name is constrained by the one
 *      after it: population (log), capital and provincial seat, a country
 *      named in this sentence or earlier in the document, the constraint,
 *      and the head noun (which alone makes "Kerman province" the province
 *      while bare "Kerman" is the city). Common English words that are also
 *      place names ("Of", "Police") need evidence.
 * The countries of resolved places join the document's context for later
 * sentences. Nothing is allocated but the result vector; per-sentence state
 * lives in fixed arrays (names beyond WHERE_MAX_MENTIONS per sentence are
 * ignored).
 */
#include "where.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

#include "ctx.h"
#include "doc.h"
#include "model.h"
#include "util/mem.h"
#include "util/utf8.h"
#include "where_int.h"

/* Names that only set the country context: nationality words, groups. */
#define CONTEXT_ONLY(how) ((how) == GZH_DEMONYM || (how) == GZH_GROUP)

#ifndef CASUS_GAZETTEER_PATH
#define CASUS_GAZETTEER_PATH "/usr/local/share/casus/" WHERE_FILE
#endif

#define WHERE_MAX_MENTIONS 64
#define WHERE_MAX_WORDS 8      /* longest name, in words */
#define WHERE_MAX_CAND 64      /* candidates scored per name */
#define WHERE_MAX_COUNTRIES 32 /* countries kept as document context */
#define KEY_CAP 256

struct where_index {
    casus_ctx *ctx;
    char *path;
    model_file mf;
    const gz_place *places;
    uint32_t n_places;
    const gz_country *countries;
    uint32_t n_countries;
    const gz_entry *entries;
    uint32_t n_entries;
    const uint32_t *slots;
    uint32_t n_slots;
    const uint32_t *post;
    uint32_t n_post;
    const char *str;
    size_t n_str;
    /* A filter of the keys (built on open, not stored): find() tries every
     * word of every sentence, most are no key, and the slots (4 MB) and
     * entries are a cache miss each; the filter is an eighth of the slots. */
    uint64_t *filter;
    uint32_t filter_mask;
    /* each country's capital city (the most populous GeoNames PPLC),
     * GZ_NONE; built on open */
    uint32_t *capitals;
};

/* ---------------------------------------------------------------- folding */

enum { F_SEP = -1, F_DROP = -2, F_BAD = -3 };

/* Folds one code point to at most 4 ASCII bytes at o; returns how many, or
 * F_SEP (a word boundary), F_DROP (vanishes), F_BAD (a non-Latin letter). */
static int fold_cp(int32_t cp, char *o)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z') {
            o[0] = (char)(cp + 32);
            return 1;
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            o[0] = (char)cp;
            return 1;
        }
        return cp == '\'' || cp == '.' || cp == '`' ? F_DROP : F_SEP;
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BB: case 0x02BC: case 0x02BE:
    case 0x02BF: case 0x00B4: case 0x2032: case 0x02B9: case 0x02BA:
        return F_DROP;                     /* apostrophes, ayin, hamza */
    case 0x00D8: case 0x00F8: o[0] = 'o'; return 1;
    case 0x00C6: case 0x00E6: memcpy(o, "ae", 2); return 2;
    case 0x0152: case 0x0153: memcpy(o, "oe", 2); return 2;
    case 0x0110: case 0x0111: case 0x00D0: case 0x00F0: o[0] = 'd'; return 1;
    case 0x0141: case 0x0142: o[0] = 'l'; return 1;
    case 0x0131: o[0] = 'i'; return 1;
    case 0x0126: case 0x0127: o[0] = 'h'; return 1;
    case 0x00DE: case 0x00FE: memcpy(o, "th", 2); return 2;
    case 0x00DF: memcpy(o, "ss", 2); return 2;
    default: break;
    }
    utf8proc_int32_t d[8];
    int bound = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        cp, d, 8,
        (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                            UTF8PROC_CASEFOLD | UTF8PROC_COMPAT),
        &bound);
    utf8proc_category_t cat = utf8proc_category(cp);
    int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
        return F_DROP;                     /* a lone combining mark */
    if (k <= 0 || k > 4)
        return letter ? F_BAD : F_SEP;
    int m = 0;
    for (utf8proc_ssize_t i = 0; i < k; i++) {
        int32_t c = d[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            o[m++] = (char)c;
        else
            return letter ? F_BAD : F_SEP;
    }
    return m;
}

static int loose_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t where_loose(const char *key, size_t kn, char *out, size_t cap)
{
    static const char *const art[] = {"al", "el", "ad", "ar", "as", "at", "az", "an",
                                      "ash", "adh", "ath", NULL};
    size_t i = 0, o = 0, cons = 0;
    const char *sp = memchr(key, ' ', kn);
    if (sp)
        for (size_t a = 0; art[a]; a++)
            if ((size_t)(sp - key) == strlen(art[a]) && !memcmp(key, art[a], strlen(art[a])))
                i = (size_t)(sp - key) + 1;
    if (cap < 2)
        return 0;
    out[o++] = '~';
    while (i < kn) {
        size_t j = i;
        while (j < kn && key[j] != ' ')
            j++;
        size_t end = j;
        /* "mahmudiyah", "ninawah": the final h after a vowel is silent */
        if (end - i >= 4 && key[end - 1] == 'h' && loose_vowel(key[end - 2]))
            end--;
        for (size_t k = i; k < end; k++) {
            char c = key[k] == 'q' ? 'k' : key[k];
            /* "aw", "ow" before a consonant are vowels: "Jalawla" and
             * "Jalula", "Khowst" and "Khost" */
            if (loose_vowel(c) ||
                (c == 'w' && o > 1 && out[o - 1] == '*' && (k + 1 >= end || !loose_vowel(key[k + 1]))))
                c = '*';
            if (o > 1 && out[o - 1] == c)
                continue;   /* a vowel run, a doubled letter */
            if (o + 1 >= cap)
                return 0;
            out[o++] = c;
            cons += c != '*';
        }
        i = j + 1;
    }
    if (cons < 4)
        return 0;
    out[o] = '\0';
    return o;
}

size_t where_fold(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int sep = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        int32_t cp;
        unsigned char c = (unsigned char)s[i];
        char tmp[4];
        int r;
        if (c < 0x80) {
            i++;
            cp = c;
        } else {
            i += utf8_decode((const unsigned char *)s + i, n - i, &cp);
        }
        r = cp < 0 ? F_SEP : fold_cp(cp, tmp);
        if (r == F_BAD) {
            out[0] = '\0';
            return 0;
        }
        if (r == F_DROP)
            continue;
        if (r == F_SEP) {
            sep = o > 0;
            continue;
        }
        if (o + (size_t)r + (size_t)sep >= cap) {
            out[0] = '\0';
            return 0;
        }
        if (sep)
            out[o++] = ' ';
        sep = 0;
        memcpy(out + o, tmp, (size_t)r);
        o += (size_t)r;
    }
    out[o] = '\0';
    return o;
}

/* ---------------------------------------------------------------- the index */

static int exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* The default path (see where.h) into out; 0 when none exists. */
static int default_path(char *out, size_t cap)
{
    const char *env = getenv("CASUS_GAZETTEER");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return 1;
    }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            /* build/casus -> data/; build/bench/x, build/tests/x too */
            *slash = '\0';
            int n = snprintf(out, cap, "%s/../data/%s", exe, WHERE_FILE);
            if (n > 0 && (size_t)n < cap && exists(out))
                return 1;
            n = snprintf(out, cap, "%s/../../data/%s", exe, WHERE_FILE);
            if (n > 0 && (size_t)n < cap && exists(out))
                return 1;
        }
    }
    snprintf(out, cap, "%s", CASUS_GAZETTEER_PATH);
    return exists(out);
}

static casus_status bad(casus_ctx *ctx, const char *path, const char *what)
{
    return ctx_fail(ctx, CASUS_EFORMAT, "%s: corrupted gazetteer (%s)", path,
                    what);
}

/* Every offset and index in the tables is checked once here, so lookups
 * can trust them. */
static casus_status validate(casus_ctx *ctx, where_index *ix)
{
    const char *p = ix->path;
    if (ix->n_str == 0 || ix->str[ix->n_str - 1] != '\0')
        return bad(ctx, p, "strings not terminated");
    if (ix->n_places >= (1u << 28) || ix->n_countries > 0xFFFFu)
        return bad(ctx, p, "too many places");
    if (ix->n_slots == 0 || (ix->n_slots & (ix->n_slots - 1)) ||
        ix->n_slots <= ix->n_entries)
        return bad(ctx, p, "hash table size");
    for (uint32_t i = 0; i < ix->n_countries; i++) {
        const gz_country *c = &ix->countries[i];
        if (c->a3[3] || c->a2[3] || c->place >= ix->n_places)
            return bad(ctx, p, "country record");
    }
    for (uint32_t i = 0; i < ix->n_places; i++) {
        const gz_place *q = &ix->places[i];
        if (q->name >= ix->n_str || q->country >= ix->n_countries ||
            q->kind < GZ_COUNTRY || q->kind > GZ_ADMIN2 ||
            (q->admin1 != GZ_NONE &&
             (q->admin1 >= ix->n_places ||
              ix->places[q->admin1].kind != GZ_ADMIN1)))
            return bad(ctx, p, "place record");
    }
    for (uint32_t i = 0; i < ix->n_entries; i++) {
        const gz_entry *e = &ix->entries[i];
        if (e->key >= ix->n_str || ix->n_str - e->key <= e->key_len ||
            ix->str[e->key + e->key_len] != '\0' || e->post > ix->n_post ||
            ix->n_post - e->post < e->npost)
            return bad(ctx, p, "name entry");
    }
    for (uint32_t i = 0; i < ix->n_post; i++)
        if (GZ_POST_PLACE(ix->post[i]) >= ix->n_places ||
            GZ_POST_HOW(ix->post[i]) > GZH_LOOSE ||
            (CONTEXT_ONLY(GZ_POST_HOW(ix->post[i])) &&
             ix->places[GZ_POST_PLACE(ix->post[i])].kind != GZ_COUNTRY) ||
            (GZ_POST_HOW(ix->post[i]) == GZH_DISTRICT &&
             ix->places[GZ_POST_PLACE(ix->post[i])].kind != GZ_ADMIN2))
            return bad(ctx, p, "posting");
    uint32_t empty = 0;
    for (uint32_t i = 0; i < ix->n_slots; i++) {
        if (ix->slots[i] > ix->n_entries)
            return bad(ctx, p, "hash slot");
        empty += ix->slots[i] == 0;
    }
    if (!empty)
        return bad(ctx, p, "hash table full");
    return CASUS_OK;
}

/* The key filter: a blocked Bloom filter, two bits of one 64-bit word per
 * key (about 8 keys a word: 3% of the words that are no key pass), chosen
 * by the key's gz_hash, so find() hashes once. */
static uint64_t filter_word(uint32_t h, uint64_t *bits)
{
    uint64_t x = (uint64_t)h * 0x9E3779B97F4A7C15u;
    *bits = ((uint64_t)1 << (x & 63)) | ((uint64_t)1 << ((x >> 6) & 63));
    return x >> 32;
}

static casus_status build_filter(casus_ctx *ctx, where_index *ix)
{
    uint32_t words = 64;
    while (words < ix->n_entries / 8 && words < (1u << 26))
        words <<= 1;
    ix->filter = mem_alloc(ctx, (size_t)words * sizeof *ix->filter);
    if (!ix->filter)
        return CASUS_ENOMEM;
    memset(ix->filter, 0, (size_t)words * sizeof *ix->filter);
    ix->filter_mask = words - 1;
    for (uint32_t i = 0; i < ix->n_entries; i++) {
        const gz_entry *e = &ix->entries[i];
        uint64_t bits;
        uint64_t w = filter_word(gz_hash(ix->str + e->key, e->key_len), &bits);
        ix->filter[w & ix->filter_mask] |= bits;
    }
    return CASUS_OK;
}

static casus_status build_capitals(casus_ctx *ctx, where_index *ix)
{
    ix->capitals = mem_alloc(ctx, ((size_t)ix->n_countries + 1) * sizeof *ix->capitals);
    if (!ix->capitals)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < ix->n_countries; i++)
        ix->capitals[i] = GZ_NONE;
    for (uint32_t i = 0; i < ix->n_places; i++) {
        const gz_place *p = &ix->places[i];
        if (p->kind != GZ_CITY || !(p->flags & GZ_CAPITAL) || p->country >= ix->n_countries)
            continue;
        uint32_t *c = &ix->capitals[p->country];
        if (*c == GZ_NONE || ix->places[*c].pop < p->pop)
            *c = i;
    }
    return CASUS_OK;
}

int where_is_capital(const where_index *ix, const where_place *p)
{
    if (!ix || p->id >= ix->n_places || p->precision != WHERE_CITY)
        return 0;
    uint32_t c = ix->places[p->id].country;
    return c < ix->n_countries && ix->capitals[c] == p->id;
}

static int filter_may_have(const where_index *ix, uint32_t h)
{
    uint64_t bits;
    uint64_t w = filter_word(h, &bits);
    return (ix->filter[w & ix->filter_mask] & bits) == bits;
}

int where_index_may_have(const where_index *ix, const char *key, size_t n)
{
    return filter_may_have(ix, gz_hash(key, n));
}

void where_index_close(where_index *ix)
{
    if (!ix)
        return;
    casus_ctx *ctx = ix->ctx;
    mem_free(ctx, ix->filter);
    mem_free(ctx, ix->capitals);
    model_close(ctx, &ix->mf);
    mem_free(ctx, ix->path);
    mem_free(ctx, ix);
}

casus_status where_index_open(casus_ctx *ctx, const char *path,
                              where_index **out)
{
    char found[PATH_MAX];
    casus_status st;
    *out = NULL;
    if (!path) {
        if (!default_path(found, sizeof found))
            return ctx_fail(ctx, CASUS_EIO,
                            "no gazetteer found: run `make gazetteer` or set "
                            "CASUS_GAZETTEER (looked beside the program and in %s)",
                            CASUS_GAZETTEER_PATH);
        path = found;
    }
    where_index *ix = mem_alloc(ctx, sizeof *ix);
    if (!ix)
        return CASUS_ENOMEM;
    memset(ix, 0, sizeof *ix);
    ix->ctx = ctx;
    ix->path = mem_strndup(ctx, path, strlen(path));
    if (!ix->path) {
        mem_free(ctx, ix);
        return CASUS_ENOMEM;
    }
    st = model_open(ctx, path, WHERE_KIND, &ix->mf);
    if (st != CASUS_OK) {
        mem_free(ctx, ix->path);
        mem_free(ctx, ix);
        return st;
    }
    const model_section *pl, *co, *en, *sl, *po, *sr;
    if ((st = model_need(ctx, &ix->mf, path, "places", sizeof(gz_place), &pl)) ||
        (st = model_need(ctx, &ix->mf, path, "countries", sizeof(gz_country), &co)) ||
        (st = model_need(ctx, &ix->mf, path, "entries", sizeof(gz_entry), &en)) ||
        (st = model_need(ctx, &ix->mf, path, "slots", 4, &sl)) ||
        (st = model_need(ctx, &ix->mf, path, "postings", 4, &po)) ||
        (st = model_need(ctx, &ix->mf, path, "strings", 1, &sr)))
        goto fail;
    if (strcmp(ix->mf.version, GZ_VERSION) != 0) {
        st = ctx_fail(ctx, CASUS_EFORMAT,
                      "%s: gazetteer version '%s', this casus reads '%s' "
                      "(rebuild it: make gazetteer)",
                      path, ix->mf.version, GZ_VERSION);
        goto fail;
    }
    if (pl->size / sizeof(gz_place) > UINT32_MAX ||
        en->size / sizeof(gz_entry) > UINT32_MAX || sl->size / 4 > UINT32_MAX ||
        po->size / 4 > UINT32_MAX) {
        st = bad(ctx, path, "table too large");
        goto fail;
    }
    ix->places = (const gz_place *)(const void *)pl->data;
    ix->n_places = (uint32_t)(pl->size / sizeof(gz_place));
    ix->countries = (const gz_country *)(const void *)co->data;
    ix->n_countries = (uint32_t)(co->size / sizeof(gz_country));
    ix->entries = (const gz_entry *)(const void *)en->data;
    ix->n_entries = (uint32_t)(en->size / sizeof(gz_entry));
    ix->slots = (const uint32_t *)(const void *)sl->data;
    ix->n_slots = (uint32_t)(sl->size / 4);
    ix->post = (const uint32_t *)(const void *)po->data;
    ix->n_post = (uint32_t)(po->size / 4);
    ix->str = (const char *)sr->data;
    ix->n_str = (size_t)sr->size;
    if ((st = validate(ctx, ix)) != CASUS_OK || (st = build_filter(ctx, ix)) != CASUS_OK ||
        (st = build_capitals(ctx, ix)) != CASUS_OK)
        goto fail;
    *out = ix;
    return CASUS_OK;
fail:
    where_index_close(ix);
    return st;
}

const char *where_index_path(const where_index *ix)
{
    return ix->path;
}

size_t where_index_places(const where_index *ix)
{
    return ix->n_places;
}

size_t where_index_names(const where_index *ix)
{
    return ix->n_entries;
}

static const gz_entry *find(const where_index *ix, const char *k, size_t n)
{
    uint32_t mask = ix->n_slots - 1;
    uint32_t h = gz_hash(k, n);
    if (!filter_may_have(ix, h))
        return NULL;
    uint32_t i = h & mask;
    for (;;) {
        uint32_t s = ix->slots[i];
        if (!s)
            return NULL;
        const gz_entry *e = &ix->entries[s - 1];
        if (e->key_len == n && memcmp(ix->str + e->key, k, n) == 0)
            return e;
        i = (i + 1) & mask;
    }
}

static void fill(const where_index *ix, uint32_t id, where_place *o)
{
    const gz_place *p = &ix->places[id];
    o->id = id;
    o->precision = p->kind == GZ_COUNTRY ? WHERE_COUNTRY
                   : p->kind == GZ_ADMIN1 ? WHERE_ADMIN1
                   : p->kind == GZ_ADMIN2 ? WHERE_ADMIN2 : WHERE_CITY;
    o->name = ix->str + p->name;
    o->admin1 = p->admin1 != GZ_NONE ? ix->str + ix->places[p->admin1].name : "";
    o->country = ix->countries[p->country].a3;
    o->lat = p->lat_e5 / 1e5;
    o->lon = p->lon_e5 / 1e5;
}

/* ---------------------------------------------------------------- scoring */

/* Evidence about a mention (mention.ev). */
#define EV_LOCATIVE 0x01u   /* after in, near, at, from, ... */
#define EV_ADMIN_HEAD 0x02u /* "X province", "the province of X" */
#define EV_CITY_HEAD 0x04u  /* "X city", "the town of X" */
#define EV_PLACE_HEAD 0x08u /* "X district", "X airport", "X market" */
#define EV_IN_NAME 0x10u    /* a capitalised word next to it: "Hyde Park" */
#define EV_PERSON 0x80u     /* "Khan said", "Sami al-Hassan" */
#define EV_ORIGIN 0x100u    /* after from, to, via: a place, not the scene */
#define EV_BORDER 0x200u    /* "the border with X", "X border" */
#define EV_STATE 0x400u     /* a nationality word before a state's forces,
                             * institutions or a place noun: "Iraqi police" */
#define EV_FOREIGN 0x800u   /* a backer's or an embassy's country */
#define EV_FACILITY 0x2000u /* before a facility's head noun: "the La Mon
                             * restaurant", "the Bakara market" */
#define EV_PART 0x1000u     /* "the Al-Zahra district of Homs": a part of a
                             * place that has no place of the name; "the
                             * Kartal neighborhood of Istanbul": a quarter of
                             * a city; "the Churchill Hotel in London" */
#define EV_CONSTRAINED 0x20u /* followed by ", Y" that resolved */
#define EV_FIRST_WORD 0x40u /* the sentence's first word */
#define EV_LINKED 0x4000u   /* the name goes on with a connective and a
                             * capitalised word: "Kot e Sangi" (linked_on) */

typedef struct mention {
    size_t first, last;       /* doc token indices, inclusive */
    const gz_entry *e;
    unsigned ev;
    int demonym;              /* country index + 1 for a nationality word */
    int group;                /* the demonym is an armed group's name */
    int acronym;              /* one all-capitals word ("MIR"): only
                                 hand-written aliases ("US", "UAE") count */
    int loose;                /* found by its loose key (loose_at) */
    unsigned how;             /* how the name reaches the resolved place */
    uint32_t c_country;       /* constraint from "X, Y" / "Y's X"; GZ_NONE */
    uint32_t c_admin1;
    uint32_t place;           /* resolved, GZ_NONE if rejected */
    double score;
} mention;

typedef struct context {
    uint16_t doc[WHERE_MAX_COUNTRIES];
    size_t n_doc;
    uint16_t sent[WHERE_MAX_COUNTRIES];
    size_t n_sent;
    /* the sentence's countries named as the scene: a country's name not
     * inside a longer name nor an origin, a nationality word of the state
     * ("the Somali capital"); not "Palestinian gunmen", "a British student" */
    uint16_t scene[WHERE_MAX_COUNTRIES];
    size_t n_scene;
    /* the countries of the sentence's places resolved so far (right to
     * left: those after the mention) */
    uint16_t res[WHERE_MAX_COUNTRIES];
    size_t n_res;
} context;

static int has_country(const uint16_t *v, size_t n, uint16_t c)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == c)
            return 1;
    return 0;
}

/* Whether the text names country c: the sentence's scene, the document's
 * countries or the sentence's. */
static int text_names(const context *cx, uint16_t c)
{
    return has_country(cx->scene, cx->n_scene, c) || has_country(cx->doc, cx->n_doc, c) ||
           has_country(cx->sent, cx->n_sent, c);
}

static void add_country(uint16_t *v, size_t *n, uint16_t c)
{
    if (!has_country(v, *n, c) && *n < WHERE_MAX_COUNTRIES)
        v[(*n)++] = c;
}

static double lg(uint32_t pop)
{
    return log10((double)pop + 1.0);
}

/* The score of place id, reached as how, for mention m in context cx. */
static double score(const where_index *ix, uint32_t id, unsigned how,
                    const mention *m, const context *cx)
{
    const gz_place *p = &ix->places[id];
    double s;
    switch (p->kind) {
    case GZ_COUNTRY:
        s = 40;
        break;
    case GZ_ADMIN1:
        s = 8 + 0.5 * lg(p->pop);
        break;
    case GZ_ADMIN2:
        s = 6 + 0.5 * lg(p->pop);
        break;
    default:
        s = 2 * lg(p->pop) + ((p->flags & GZ_CAPITAL) ? 4 : 0) +
            ((p->flags & GZ_SEAT) ? 2 : 0);
        break;
    }
    if (how == GZH_ALT || how == GZH_DISTRICT || how == GZH_LOOSE)
        s -= 3;
    if (m->ev & EV_ADMIN_HEAD)
        s += p->kind == GZ_ADMIN1 ? 40 : p->kind == GZ_ADMIN2 ? 30 : p->kind == GZ_CITY ? -5 : -20;
    if (m->ev & EV_CITY_HEAD)
        s += p->kind == GZ_CITY ? 10 : -10;
    /* the countries of the sentence and the document; a place reached by
     * an alternate name gets half ("the U.S. embassy in Kabul" is not
     * Cabool, Missouri, whose alternate name is Kabul) */
    double half = how == GZH_ALT || how == GZH_DISTRICT || how == GZH_LOOSE ? 0.5 : 1.0;
    if (has_country(cx->sent, cx->n_sent, p->country))
        s += 25 * half;
    else if (has_country(cx->doc, cx->n_doc, p->country))
        s += 15 * half;
    else if (has_country(cx->res, cx->n_res, p->country))
        s += 8 * half;   /* a place named after it in the sentence ("the northern
                          * Sinai town of Rafah"): less than a named country,
                          * as that place may be wrong itself */
    if (m->c_country != GZ_NONE)
        s += p->country == m->c_country ? 60 : -60;
    if (m->c_admin1 != GZ_NONE && (p->admin1 == m->c_admin1 || id == m->c_admin1))
        s += 30;
    return s;
}

/* Picks the best candidate of m; GZ_NONE when the name should not count. */
static void resolve(const where_index *ix, mention *m, const context *cx)
{
    const gz_entry *e = m->e;
    uint32_t best = GZ_NONE;
    double bs = -1e9;
    uint32_t n = e->npost < WHERE_MAX_CAND ? e->npost : WHERE_MAX_CAND;
    /* a second-level division's name stands for its subdivision only when
     * no place has the name and the text marks it as a place ("in the
     * Mohmand District", "in Gadchiroli"), not as a bare capitalised word */
    int named = 0;
    for (uint32_t i = 0; i < n; i++) {
        unsigned how = GZ_POST_HOW(ix->post[e->post + i]);
        /* with a constraint ("Balochistan's Kech District"), only a place
         * of the constraining country hides a division */
        named |= !CONTEXT_ONLY(how) && how != GZH_DISTRICT &&
                 (m->c_country == GZ_NONE ||
                  ix->places[GZ_POST_PLACE(ix->post[e->post + i])].country == m->c_country);
    }
    int district_ok = !named && !m->acronym &&
                      (m->ev & (EV_LOCATIVE | EV_ADMIN_HEAD | EV_CITY_HEAD | EV_PLACE_HEAD |
                                EV_CONSTRAINED)) &&
                      !(m->ev & (EV_IN_NAME | EV_PERSON));
    unsigned best_how = GZH_NAME;
    /* a text that names no country at all: a loose key that only places of
     * one country carry, one of them a town of 5,000 or more ("Tuz Khormato"
     * for Tozkhurmato and its district), is another spelling of theirs */
    int loose_alone = cx->n_sent + cx->n_doc + cx->n_res == 0;
    uint32_t loose_town = 0;
    uint16_t loose_c = 0xffff;
    for (uint32_t i = 0; loose_alone && i < n; i++) {
        uint32_t post = ix->post[e->post + i];
        if (GZ_POST_HOW(post) != GZH_LOOSE)
            continue;
        const gz_place *q = &ix->places[GZ_POST_PLACE(post)];
        if (loose_c != 0xffff && q->country != loose_c)
            loose_alone = 0;
        loose_c = q->country;
        loose_town += q->kind == GZ_CITY && q->pop >= 5000;
    }
    loose_alone = loose_alone && loose_town > 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t post = ix->post[e->post + i];
        unsigned how = GZ_POST_HOW(post);
        if (CONTEXT_ONLY(how) || (m->acronym && how != GZH_ALIAS) ||
            (how == GZH_DISTRICT && !district_ok))
            continue;
        /* a loose key's places: only those of the text's countries (below) */
        uint16_t pc = ix->places[GZ_POST_PLACE(post)].country;
        if (how == GZH_LOOSE && !loose_alone && !has_country(cx->sent, cx->n_sent, pc) &&
            !has_country(cx->doc, cx->n_doc, pc) && !has_country(cx->res, cx->n_res, pc))
            continue;
        double s = score(ix, GZ_POST_PLACE(post), how, m, cx);
        if (s > bs) {
            bs = s;
            best = GZ_POST_PLACE(post);
            best_how = how;
        }
    }
    /* A bare name shared by a subdivision and a city in it is the city
     * ("Kerman", "Deir ez-Zor"); "Kerman province" stays the province. */
    if (best != GZ_NONE && ix->places[best].kind == GZ_ADMIN1 &&
        !(m->ev & EV_ADMIN_HEAD)) {
        uint32_t city = GZ_NONE;
        double cs = -1e9;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t post = ix->post[e->post + i];
            uint32_t id = GZ_POST_PLACE(post);
            if (CONTEXT_ONLY(GZ_POST_HOW(post)) || ix->places[id].kind != GZ_CITY ||
                ix->places[id].admin1 != best)
                continue;
            double s = score(ix, id, GZ_POST_HOW(post), m, cx);
            if (s > cs) {
                cs = s;
                city = id;
            }
        }
        if (city != GZ_NONE) {
            best = city;
            bs = cs;
        }
    }
    /* A common word counts only after a locative word or before ", Y"; a
     * name inside a longer capitalised one ("Hilton Hotel", "Baku Metro")
     * only when it is a well-known place; a person's name never. */
    unsigned strong = EV_LOCATIVE | EV_ADMIN_HEAD | EV_CITY_HEAD |
                      EV_PLACE_HEAD | EV_CONSTRAINED | EV_ORIGIN;
    if ((e->flags & GZE_WEAK) &&
        !(m->ev & (EV_LOCATIVE | EV_CONSTRAINED | EV_ORIGIN)))
        best = GZ_NONE;
    if (m->ev & (EV_PERSON | EV_PART))
        best = GZ_NONE;
    if (best != GZ_NONE && (m->ev & EV_IN_NAME)) {
        const gz_place *p = &ix->places[best];
        if (p->kind == GZ_CITY && !(p->flags & GZ_CAPITAL) && p->pop < 100000)
            best = GZ_NONE;
    }
    /* A GeoNames alternate name is a weaker claim than a place's own name:
     * inside a longer capitalised name it is part of that name ("Central
     * Reserve Police Force" is not Davao, whose alternate name is Central;
     * "Mobil Oil", "Ahmadi Muslims"), and a one-word alternate name with no
     * locative or head noun does not count against the countries the text
     * has named ("killed Zahran" in a West Bank story is a man, not Dhahran
     * in Saudi Arabia; a bare "Fallujah" in a text that names no country
     * stays Fallujah). */
    if (best != GZ_NONE && best_how == GZH_ALT) {
        const gz_place *p = &ix->places[best];
        int in_context = has_country(cx->sent, cx->n_sent, p->country) ||
                         has_country(cx->doc, cx->n_doc, p->country);
        int strong_ev = (m->ev & (EV_LOCATIVE | EV_ADMIN_HEAD | EV_CITY_HEAD)) != 0;
        if ((m->ev & EV_IN_NAME) ||
            (m->first == m->last && !in_context && !(m->ev & EV_CONSTRAINED) &&
             (strong_ev ? cx->n_scene + cx->n_doc > 0 : cx->n_sent + cx->n_doc > 0)))
            best = GZ_NONE;
    }
    /* A loose key (where_loose) is another spelling only in a country the
     * text names, or that of a place the sentence names after it ("in
     * Mahmoudiyah, south of Baghdad"): "in Mahmoudiyah" after "Iraqi
     * police" is Al Maḩmūdīyah, "in Fotokol" in a Cameroonian story no
     * Iraqi village. Without such a country it would be a guess (four of
     * seven right on the Wikipedia rows). */
    if (best != GZ_NONE && best_how == GZH_LOOSE && (m->ev & (EV_IN_NAME | EV_PERSON)))
        best = GZ_NONE;
    /* A name inside a longer capitalised one ("Aden Adde International
     * Airport" in a Somali story) and a second-level division's name ("in
     * Muang district" in a Thai one) do not count against the sentence's
     * countries. */
    if (best != GZ_NONE && ix->places[best].kind != GZ_COUNTRY &&
        ((m->ev & EV_IN_NAME) || best_how == GZH_DISTRICT) && cx->n_scene + cx->n_doc > 0 &&
        !has_country(cx->scene, cx->n_scene, ix->places[best].country) &&
        !has_country(cx->doc, cx->n_doc, ix->places[best].country))
        best = GZ_NONE;
    /* A name before a facility's head ("the La Mon restaurant" in a story
     * from Northern Ireland, "the Bakara market" in Mogadishu) names the
     * facility; a namesake in a country the text has not named is not it. */
    if (best != GZ_NONE && ix->places[best].kind != GZ_COUNTRY && (m->ev & EV_FACILITY) &&
        !(m->ev & EV_CONSTRAINED) && cx->n_scene + cx->n_doc + cx->n_sent > 0 &&
        !text_names(cx, ix->places[best].country))
        best = GZ_NONE;
    /* The first word of a name that goes on with a connective ("the Kot e
     * Sangi area of Kabul", "the Qala-e-Qazi locality" in an Afghan story)
     * is another place's only in a country the text names: not Kot, India,
     * nor Qala, Azerbaijan. */
    if (best != GZ_NONE && ix->places[best].kind != GZ_COUNTRY && (m->ev & EV_LINKED) &&
        !(m->ev & EV_CONSTRAINED) && !text_names(cx, ix->places[best].country) &&
        !has_country(cx->res, cx->n_res, ix->places[best].country))
        best = GZ_NONE;
    /* A small place (under ~1,000 people) named without any evidence, in a
     * country the text has not named, is more likely a word or a person. */
    if (best != GZ_NONE && !(m->ev & strong) && bs < 6)
        best = GZ_NONE;
    m->place = best;
    m->how = best_how;
    m->score = bs;
}

/* ---------------------------------------------------------------- words */

/* The word lists are tried at every place mention's neighbours: the first
 * letter decides most before strlen. */
static int word_eq(casus_slice w, const char *s)
{
    if (!w.n)
        return !s[0];
    char c0 = w.p[0] >= 'A' && w.p[0] <= 'Z' ? (char)(w.p[0] + 32) : w.p[0];
    if (c0 != s[0])
        return 0;
    size_t n = strlen(s);
    if (w.n != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = w.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != s[i])
            return 0;
    }
    return 1;
}

/* "'s" and, with a typographic apostrophe, "’s" (the tokenizer splits
 * both off: "Nagaland’s Mon district") */
static int possessive(casus_slice w)
{
    return word_eq(w, "'s") || word_eq(w, "\xe2\x80\x99s");
}

static int word_in(casus_slice w, const char *const *list)
{
    for (; *list; list++)
        if (word_eq(w, *list))
            return 1;
    return 0;
}

static const char *const LOCATIVE[] = {
    "in", "near", "at", "outside", "around", "across", "into", "inside",
    "throughout", "within", "between", "nearby", "through", "off", NULL};
static const char *const ORIGIN[] = {"from", "to", "towards", "toward", "via",
                                     NULL};
/* "close to X", "next to X", "the entrance to X", "north to X" (the lists'
 * "north of"): the scene is near X, not X an origin */
static const char *const NEAR_TO[] = {"close", "next", "adjacent", "near", "closer", "entrance",
                                      "gate", "gates", "north", "south", "east", "west",
                                      "northeast", "northwest", "southeast", "southwest",
                                      NULL};
/* "40 kilometers from X", "not far from X": a distance from X, so near it */
static const char *const DISTANCE[] = {
    "km", "kms", "kilometers", "kilometres", "kilometer", "kilometre",
    "miles", "mile", "far", "away", "metres", "meters", NULL};
/* capitalised words after a name that are not part of it */
static const char *const TIME_WORD[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", NULL};
/* words that open a clause or name no one: not part of a name before it */
static const char *const FUNCTION[] = {
    "in", "near", "at", "outside", "around", "across", "into", "inside",
    "from", "to", "the", "a", "an", "and", "of", "on", "by", "for", "as",
    "after", "before", "during", "while", "when", "since", "with", NULL};
static const char *const PARTICLE[] = {"al", "bin", "ibn", "abu", "ben", "bint",
                                       NULL};
static const char *const DIRECTION[] = {
    "northern", "southern", "eastern", "western", "central", "north",
    "south", "east", "west", "northeastern", "northwestern", "southeastern",
    "southwestern", "north-east", "north-west", "south-east", "south-west",
    "northeast", "northwest", "southeast", "southwest", "the", "downtown",
    "rural", "restive", "upper", "lower", "greater", "capital", NULL};
static const char *const ADMIN_HEAD[] = {
    "province", "provinces", "governorate", "state", "region", "oblast",
    "prefecture", "department", "territory", "emirate", "wilaya",
    "vilayet", "division", "autonomous", NULL};
static const char *const CITY_HEAD[] = {"city", "town", "village", "capital",
                                        "municipality", NULL};
static const char *const PLACE_HEAD[] = {
    "district", "districts", "county", "area", "airport", "market", "camp",
    "neighbourhood", "neighborhood", "suburb", "outskirts", "shrine",
    "mosque", "border", "valley", "bazaar", "square", "station", "base",
    "highway", "road", "checkpoint", "prison", "hospital", "tehsil",
    "agency", "township", "refugee", "countryside", "mountains", "river",
    "port", "harbour", "harbor", "hotel", "university", "embassy", "center",
    "centre", "heart", "suburbs", "streets", "vicinity", "environs", NULL};

/* titles before a person's name: "General Salem Ali Qatan", "Father Gregor" */
static const char *const TITLE[] = {
    "general", "president", "colonel", "major", "minister", "mr", "mrs", "ms", "dr",
    "sheikh", "imam", "mullah", "senator", "governor", "commander", "captain",
    "lieutenant", "sergeant", "king", "prince", "princess", "queen", "judge", "father",
    "brother", "sister", "bishop", "ayatollah", "mayor", "emir", "sultan", "chief",
    "officer", "prosecutor", "journalist", "activist", "cleric", "leader", "deputy",
    "ambassador", "archbishop", "pastor", "priest", "rabbi", "reverend", "saint", "mp",
    "lawmaker", "councillor", "councilor", "sen", "rep", "gen", "col", "capt", "lt", "sgt",
    NULL};

/* "a U.S. drone strike", "Israeli airstrikes": the country whose weapon
 * struck, not the scene */
static const char *const STRIKE[] = {"drone", "drones", "airstrike", "airstrikes",
                                     "missile", "missiles", "warplane", "warplanes", "jet",
                                     "jets", "aircraft", "helicopter", "helicopters",
                                     "airstrike", "bombers", "gunship", "gunships", NULL};

/* "US-backed", "Saudi-led", "backed by the United Arab Emirates": a
 * country that supports or leads someone, not the scene */
static const char *const BACKING[] = {"backed", "led", "funded", "sponsored", "supported",
                                      "armed", "trained", "allied", NULL};

static const char *const EMBASSY[] = {"embassy", "embassies", "consulate", "consulates",
                                      "ambassador", NULL};

static const char *const SPEECH[] = {
    "said", "says", "told", "added", "stated", "claimed", "denied",
    "explained", "wrote", "announced", "reported", "warned", NULL};

static int is_hyphen(casus_slice w)
{
    return (w.n == 1 && w.p[0] == '-') ||
           (w.n == 3 && ((unsigned char)w.p[0] == 0xE2 &&
                         (unsigned char)w.p[1] == 0x80 &&
                         ((unsigned char)w.p[2] == 0x90 ||
                          (unsigned char)w.p[2] == 0x91 ||
                          (unsigned char)w.p[2] == 0x93)));
}

/* Whether a word starts with an upper-case letter. */
static int capitalised(casus_slice w)
{
    if (w.n == 0)
        return 0;
    unsigned char c = (unsigned char)w.p[0];
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    int32_t cp;
    utf8_decode((const unsigned char *)w.p, w.n, &cp);
    if (cp < 0)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* "MIR", "RUC": two to five capitals, nothing else. */
static int all_caps(casus_slice w)
{
    if (w.n < 2 || w.n > 5)
        return 0;
    for (size_t i = 0; i < w.n; i++)
        if (w.p[i] < 'A' || w.p[i] > 'Z')
            return 0;
    return 1;
}

/* ---------------------------------------------------------------- a sentence */

typedef struct sent_state {
    const where_index *ix;
    const casus_token *t;     /* the document's words */
    size_t lo, hi;            /* the sentence: words [lo, hi) */
    mention m[WHERE_MAX_MENTIONS];
    size_t n;
} sent_state;

/* Finds the longest known name starting at word i; returns the index of its
 * last word, or i - 1 (none). *ep gets its entry. */
/* Starts reading the filter word and the hash slot find() will probe first
 * for the word w alone. */
static void prefetch_key(const where_index *ix, casus_slice w)
{
    char key[KEY_CAP];
    size_t k = where_fold(w.p, w.n, key, sizeof key);
    if (!k)
        return;
    uint32_t h = gz_hash(key, k);
    uint64_t bits;
    __builtin_prefetch(&ix->filter[filter_word(h, &bits) & ix->filter_mask]);
    __builtin_prefetch(&ix->slots[h & (ix->n_slots - 1)]);
}

static size_t longest(const sent_state *ss, size_t i, const gz_entry **ep)
{
    char key[KEY_CAP];
    size_t kn = 0, last = i - 1, j = i;
    *ep = NULL;
    for (size_t words = 0; j < ss->hi && words < WHERE_MAX_WORDS; words++) {
        casus_slice w = ss->t[j].form;
        if (kn) {
            if (kn + 1 >= KEY_CAP)
                break;
            key[kn++] = ' ';
        }
        size_t k = where_fold(w.p, w.n, key + kn, sizeof key - kn);
        if (k == 0)
            break;
        kn += k;
        const gz_entry *e = find(ss->ix, key, kn);
        if (!e)
            break;
        if (e->npost) {
            last = j;
            *ep = e;
        }
        if (!(e->flags & GZE_PREFIX))
            break;
        j++;
        if (j + 1 < ss->hi && is_hyphen(ss->t[j].form))
            j++;
    }
    return last;
}

/* Parts of a city: "the Al-Zahra district of Homs" */
static const char *const CITY_PART[] = {"district", "neighbourhood", "neighborhood", "area",
                                        "suburb", "quarter", NULL};

/* Facilities named after a person or another place: "the Churchill Hotel
 * in London" */
static const char *const NAMED_FACILITY[] = {
    "hotel", "hospital", "university", "mosque", "market", "bazaar", "airport", "station",
    "prison", "camp", "base", "shrine", "embassy", "square", "school", "stadium", "church",
    "temple", NULL};
static const char *const CITY_QUARTER[] = {"neighbourhood", "neighborhood", "suburb", "quarter",
                                           NULL};

/* Head nouns after a name that make it the name of a facility or a street
 * rather than a place's own mention (not an event's: "2017 Stockholm
 * attack" names the city) */
static const char *const FACILITY_HEAD[] = {
    "restaurant", "road", "street", "avenue", "square", "gate", "market", "bazaar", "hotel",
    "cafe", "café", "bar", "mall", "mosque", "church", "cathedral", "temple", "synagogue",
    "shrine", "school", "college", "university", "hospital", "stadium", "bridge", "junction",
    NULL};

/* Head nouns of areas, among PLACE_HEAD's, and facilities it lacks */
static const char *const AREA_HEAD[] = {
    "district", "districts", "county", "area", "tehsil", "agency", "township",
    "neighbourhood", "neighborhood", "suburb", "outskirts", "countryside", "valley",
    "subdistrict", "sub-district", NULL};
static const char *const FACILITY[] = {"bridge", "junction", "gate", "field", "oilfield",
                                       "airfield", "dam", "school", "church", "temple", NULL};

/* 0 when w can be no word of LOCATIVE, DIRECTION or "of" (by its length
 * and first letter): loose_at() asks for most capitalised words the index
 * does not know, and the word before is mostly none of them. */
static int may_mark(casus_slice w)
{
    static const char *const first[] = {
        "", "", "iao", "to", "niew", "nsrul", "aiwn", "obtewcrg", "nsd", "ns", "tns", "", "ns"};
    if (w.n < 2 || w.n >= sizeof first / sizeof first[0])
        return 0;
    char c = w.p[0] >= 'A' && w.p[0] <= 'Z' ? (char)(w.p[0] + 32) : w.p[0];
    return c && strchr(first[w.n], c) != NULL;
}

/* The same for the head nouns of AREA_HEAD, ADMIN_HEAD and CITY_HEAD. */
static int may_head(casus_slice w)
{
    static const char *const first[] = {"",    "",    "",    "",        "cta", "s",
                                        "rowctasv", "evc", "pdt", "ptdo", "pda", "gcs",
                                        "mns", "n"};
    if (w.n < 4 || w.n >= sizeof first / sizeof first[0])
        return 0;
    char c = w.p[0] >= 'A' && w.p[0] <= 'Z' ? (char)(w.p[0] + 32) : w.p[0];
    return c && strchr(first[w.n], c) != NULL;
}

/* Whether the words from a go on a longer name with a Persian or Arabic
 * connective and a capitalised word: "Kot e Sangi", "Qala-e-Qazi" (split
 * as Qala - e-Qazi), "Dara-i-Suf" (Dara - i - Suf), "Pul-e-Khomri": the
 * place found for the first word alone may be a namesake abroad (Kot,
 * India; Qala, Azerbaijan; resolve). */
static int linked_on(const sent_state *ss, size_t a)
{
    static const char *const link[] = {"al", "el", "ul", "i", "e", "bin", "ibn", NULL};
    const casus_token *t = ss->t;
    if (a < ss->hi && is_hyphen(t[a].form))
        a++;
    if (a >= ss->hi)
        return 0;
    casus_slice w = t[a].form;
    if (word_in(w, link)) {
        a++;
        if (a < ss->hi && is_hyphen(t[a].form))
            a++;
        return a < ss->hi && capitalised(t[a].form);
    }
    for (size_t k = 0; link[k]; k++) {
        size_t n = strlen(link[k]);
        if (w.n > n + 1 && w.p[n] == '-' && w.p[n + 1] >= 'A' && w.p[n + 1] <= 'Z' &&
            word_eq((casus_slice){w.p, n}, link[k]))
            return 1;
    }
    return 0;
}

/* A name the index does not know, read by its loose key (where_loose)
 * where the text marks a place: after a locative word ("in Mahmoudiyah",
 * "near the town of Sheikh Zuweid") or before a head noun ("Makhmour
 * district"). The name is a run of capitalised words from i, with the
 * Arabic articles and connectives between them ("Kafr al-Dik", "Dara-i-Suf"),
 * at most four; the longest run the index has a loose key for wins.
 * Returns its last word's index, or i - 1 (none); *ep gets its entry. */
static size_t loose_at(const sent_state *ss, size_t i, const gz_entry **ep)
{
    static const char *const link[] = {"al", "el", "ad", "ar", "as", "at", "az", "an",
                                       "ash", "i", "e", "bin", "ibn", NULL};
    const casus_token *t = ss->t;
    *ep = NULL;
    /* most capitalised words the index does not know are names of people
     * and organisations: the cheap tests first */
    if (i == ss->lo)
        return i - 1;
    size_t b = i, skipped = 0;
    /* inside a run of capitalised words ("Barack Obama") the word before
     * is no locative (a sentence's first word may be: "In Madaen"), and a
     * run's later word is tried with its first */
    if (i - 1 > ss->lo && capitalised(t[i - 1].form))
        return i - 1;
    while (b > ss->lo && skipped < 3 && may_mark(t[b - 1].form) &&
           (word_eq(t[b - 1].form, "the") || word_in(t[b - 1].form, DIRECTION))) {
        b--;
        skipped++;
    }
    int marked = b > ss->lo && may_mark(t[b - 1].form) &&
                 (word_in(t[b - 1].form, LOCATIVE) ||
                  (b >= ss->lo + 2 && word_eq(t[b - 1].form, "of") &&
                   (word_in(t[b - 2].form, CITY_HEAD) || word_in(t[b - 2].form, ADMIN_HEAD) ||
                    word_in(t[b - 2].form, PLACE_HEAD))));
    size_t w[4], nw = 0;
    if (!marked) {
        /* without a locative, one word before an area's head noun
         * ("the Punjwai district building") */
        if (i + 1 >= ss->hi || capitalised(t[i + 1].form))
            return i - 1;
        casus_slice h = t[i + 1].form;
        if (!may_head(h) ||
            (!word_in(h, AREA_HEAD) && !word_in(h, ADMIN_HEAD) && !word_in(h, CITY_HEAD)))
            return i - 1;
        w[nw++] = i;
    } else {
        for (size_t j = i; j < ss->hi && nw < 4;) {
            casus_slice f = t[j].form;
            if (!capitalised(f) && !(nw > 0 && word_in(f, link)))
                break;
            w[nw++] = j++;
            if (j + 1 < ss->hi && is_hyphen(t[j].form))
                j++;
        }
    }
    for (size_t n = nw; n >= 1; n--) {
        size_t last = w[n - 1];
        if (!capitalised(t[last].form))
            continue;
        /* an area's head noun marks a place; a facility's ("the Imam
         * Hussein mosque", "the Chadoura bridge") is often named after a
         * person or another place */
        casus_slice h = last + 1 < ss->hi ? t[last + 1].form : (casus_slice){"", 0};
        if (marked && !word_in(h, ADMIN_HEAD) && !word_in(h, CITY_HEAD) &&
            !word_in(h, AREA_HEAD) && (word_in(h, PLACE_HEAD) || word_in(h, FACILITY)))
            continue;
        char key[KEY_CAP], lk[KEY_CAP];
        size_t kn = 0;
        for (size_t k = 0; k < n; k++) {
            if (kn && kn + 1 < sizeof key)
                key[kn++] = ' ';
            size_t q = where_fold(t[w[k]].form.p, t[w[k]].form.n, key + kn, sizeof key - kn);
            if (!q)
                return i - 1;
            kn += q;
        }
        size_t ln = where_loose(key, kn, lk, sizeof lk);
        const gz_entry *e = ln ? find(ss->ix, lk, ln) : NULL;
        if (e && e->npost) {
            *ep = e;
            return last;
        }
    }
    return i - 1;
}

/* The country a nationality word or a group's name names (index + 1), or
 * 0; *group: it is a group's. */
static int demonym_of(const where_index *ix, const gz_entry *e, int *group)
{
    for (uint32_t i = 0; i < e->npost; i++) {
        uint32_t post = ix->post[e->post + i];
        if (CONTEXT_ONLY(GZ_POST_HOW(post))) {
            *group = GZ_POST_HOW(post) == GZH_GROUP;
            return ix->places[GZ_POST_PLACE(post)].country + 1;
        }
    }
    return 0;
}

/* The country a name names, when one of its places is a country reached by
 * its own name or an alias (not an alternate spelling); else -1. */
static int country_named(const where_index *ix, const gz_entry *e)
{
    for (uint32_t i = 0; i < e->npost && i < WHERE_MAX_CAND; i++) {
        uint32_t post = ix->post[e->post + i];
        const gz_place *p = &ix->places[GZ_POST_PLACE(post)];
        if (p->kind == GZ_COUNTRY && GZ_POST_HOW(post) != GZH_ALT &&
            !CONTEXT_ONLY(GZ_POST_HOW(post)))
            return p->country;
    }
    return -1;
}

/* The first-level subdivision a name names by its own name or an alias,
 * when it names only one ("Balochistan"; not "Kurdistan", a province of
 * Iran and a region of Iraq); else GZ_NONE. */
static uint32_t admin1_named(const where_index *ix, const gz_entry *e)
{
    uint32_t found = GZ_NONE;
    for (uint32_t i = 0; i < e->npost && i < WHERE_MAX_CAND; i++) {
        uint32_t post = ix->post[e->post + i];
        unsigned how = GZ_POST_HOW(post);
        if (ix->places[GZ_POST_PLACE(post)].kind == GZ_ADMIN1 &&
            (how == GZH_NAME || how == GZH_ALIAS || how == GZH_ALT)) {
            if (found != GZ_NONE && found != GZ_POST_PLACE(post))
                return GZ_NONE;
            found = GZ_POST_PLACE(post);
        }
    }
    return found;
}

/* Words after a nationality word that make it the attackers' ("Palestinian
 * gunmen", "an Iraqi suicide bomber", "Chechen rebels"). */
static const char *const ATTACKER[] = {
    "gunman", "gunmen", "bomber", "bombers", "militant", "militants", "insurgent",
    "insurgents", "terrorist", "terrorists", "guerrilla", "guerrillas", "guerillas",
    "attacker", "attackers", "assailant", "assailants", "hijacker", "hijackers",
    "rebel", "rebels", "separatist", "separatists", "nationalist", "nationalists",
    "extremist", "extremists", "militiamen", "militia", "militias", "jihadist",
    "jihadists", "fighters", "commandos", "kidnappers", "suspects", "suspect", NULL};

/* Words after a nationality word that name the state's forces, people or
 * institutions, or a place of it ("Iraqi police", "Afghan soldiers", "a
 * Pakistani army convoy", "the Syrian capital", "the Iraqi town of"); not
 * individuals, embassies, refugees or peacekeepers, who are often abroad. */
static const char *const STATE_WORD[] = {
    "police", "policeman", "policemen", "policewoman", "soldier", "soldiers", "troops",
    "army", "military", "forces", "officials", "official", "officers", "officer",
    "security", "guard", "guards", "government", "convoy", "patrol", "civilians",
    "citizens", "villagers", "people", "navy", "paramilitary", "paramilitaries",
    "gendarmes", "gendarmerie", "intelligence", "servicemen", "serviceman",
    "personnel", "troopers", "marines", "authorities", "ministry", "minister",
    "president", "parliament", "congress", "capital", "city", "town", "village",
    "province", "provinces", "region", "territory", "coast", "tribal", "checkpoint",
    "base", "outpost", "occupied", "soil", "side", "constabulary", "regiment",
    "service", "services", "guardsmen", "militiamen", "ministers", "institutions",
    "party", "parties", "villages", "towns", "cities", "areas", "positions", "force",
    "republic", "rangers", "citizen", "lawmaker", "lawmakers", "politician",
    "politicians", "opposition", "mayor", "governor", "judge", "senator", "legislator",
    "leader", "crossing", NULL};

static int state_after(const sent_state *ss, size_t a)
{
    /* within three words, before a clause or a list goes on: "Afghan
     * National Army", "a Pakistani army convoy", "Syrian Democratic Forces" */
    static const char *const stop[] = {"and", "or", "who", "which", "that", "was", "were",
                                       "is", "are", "has", "had", NULL};
    /* a movement's name: "the Irish Republican Army", "the Japanese Red
     * Army", "the Free Syrian Army" */
    static const char *const movement[] = {"republican", "red", "revolutionary", "liberation",
                                           "resistance", "free", "rebel", NULL};
    if (a >= ss->lo + 2 && capitalised(ss->t[a - 2].form) &&
        word_in(ss->t[a - 2].form, movement))
        return 0;
    for (size_t j = a; j < ss->hi && j < a + 3; j++) {
        if (capitalised(ss->t[j].form) && word_in(ss->t[j].form, movement))
            return 0;
        if (word_in(ss->t[j].form, STATE_WORD))
            return 1;
        if (word_in(ss->t[j].form, stop) || !ss->t[j].form.n ||
            !((ss->t[j].form.p[0] >= 'a' && ss->t[j].form.p[0] <= 'z') ||
              (ss->t[j].form.p[0] >= 'A' && ss->t[j].form.p[0] <= 'Z')))
            return 0;
    }
    return 0;
}

/* state_after() for the state's forces, people and institutions, not its
 * places: "from the Philippine Army" is the army's, "to the Iraqi capital" a
 * destination */
static int state_force_after(const sent_state *ss, size_t a)
{
    static const char *const place[] = {
        "capital", "city", "town", "village", "province", "provinces", "region", "territory",
        "coast", "soil", "side", "villages", "towns", "cities", "areas", "occupied", "border",
        "crossing", "checkpoint", "base", "outpost", "positions", "tribal", NULL};
    if (!state_after(ss, a))
        return 0;
    for (size_t j = a; j < ss->hi && j < a + 3; j++)
        if (word_in(ss->t[j].form, place))
            return 0;
    return 1;
}

/* "American Airlines", "Philippine Airlines Flight 434": a company */
static const char *const AIRLINE[] = {"airlines", "airline", "airways", NULL};

static int attacker_after(const sent_state *ss, size_t a)
{
    static const char *const mod[] = {"suicide", "armed", "islamist", "car", "lone",
                                      "truck", "female", "male", NULL};
    for (size_t j = a; j < ss->hi && j < a + 3; j++) {
        if (word_in(ss->t[j].form, ATTACKER))
            return 1;
        if (!word_in(ss->t[j].form, mod))
            return 0;
    }
    return 0;
}

/* Whether a nationality word ends at word j ("the Iraqi province of
 * Kirkuk": the head is the province's, not a name's before it). */
static int demonym_ends(const sent_state *ss, size_t j)
{
    for (size_t k = 0; k < ss->n; k++)
        if (ss->m[k].last == j)
            return ss->m[k].demonym != 0;
    return 0;
}

static void evidence(sent_state *ss, mention *m)
{
    const casus_token *t = ss->t;
    size_t i = m->first;
    /* before: skip direction words and "the", then a locative word */
    size_t b = i, skipped = 0;
    while (b > ss->lo && skipped < 3 && word_in(t[b - 1].form, DIRECTION)) {
        b--;
        skipped++;
    }
    if (b > ss->lo && word_in(t[b - 1].form, LOCATIVE))
        m->ev |= EV_LOCATIVE;
    else if (b >= ss->lo + 2 && word_eq(t[b - 1].form, "to") &&
             word_in(t[b - 2].form, NEAR_TO))
        m->ev |= EV_LOCATIVE;         /* "close to Peshawar": near it */
    else if (b >= ss->lo + 2 && word_eq(t[b - 1].form, "from") &&
             word_in(t[b - 2].form, DISTANCE))
        m->ev |= EV_LOCATIVE;         /* "4 kilometers from Maiduguri" */
    else if (b > ss->lo && word_in(t[b - 1].form, ORIGIN) &&
             !(m->demonym && !m->group && state_force_after(ss, m->last + 1)))
        m->ev |= EV_ORIGIN;           /* not "Marines from the Philippine Army",
                                       * "belonging to Syrian intelligence" */
    if (b >= ss->lo + 2 && (word_eq(t[b - 1].form, "with") ||
                            word_eq(t[b - 1].form, "of")) &&
        (word_eq(t[b - 2].form, "border") || word_eq(t[b - 2].form, "frontier") ||
         word_eq(t[b - 2].form, "borders")))
        m->ev |= EV_BORDER | EV_ORIGIN;
    if (b >= ss->lo + 2 && word_eq(t[b - 1].form, "of")) {
        /* "the province of X", "the city of X", "north of X"; in "Sopore
         * town of north Kashmir" the head is Sopore's, X only holds it */
        casus_slice h = t[b - 2].form;
        static const char *const polity[] = {"state", "emirate", "republic", "kingdom",
                                             "caliphate", NULL};
        if (b >= ss->lo + 3 && capitalised(h) && capitalised(t[b - 3].form) &&
            word_in(h, polity))
            m->ev |= EV_ORIGIN;       /* "the Islamic State of Iraq", "the Islamic
                                       * Emirate of Afghanistan": a name's part */
        else if (b >= ss->lo + 3 && capitalised(t[b - 3].form) && !demonym_ends(ss, b - 3) &&
                 (word_in(h, ADMIN_HEAD) || word_in(h, CITY_HEAD)))
            m->ev |= EV_LOCATIVE;
        else if (word_in(h, ADMIN_HEAD))
            m->ev |= EV_ADMIN_HEAD | EV_LOCATIVE;
        else if (word_in(h, CITY_HEAD))
            m->ev |= EV_CITY_HEAD | EV_LOCATIVE;
        else if (word_in(h, PLACE_HEAD) || word_in(h, DIRECTION))
            m->ev |= EV_LOCATIVE;
    }
    if (b >= ss->lo + 2 && word_eq(t[b - 1].form, "by") && word_in(t[b - 2].form, BACKING))
        m->ev |= EV_ORIGIN | EV_FOREIGN; /* "backed by the United Arab Emirates" */
    /* the title may stand up to two names before: "MP Arfo Aden Ibrahim" */
    size_t tq = m->first;
    while (tq > ss->lo + 1 && m->first - tq < 2 && capitalised(t[tq - 1].form) &&
           !word_in(t[tq - 1].form, TITLE) && capitalised(t[tq - 2].form))
        tq--;
    if (tq > ss->lo && capitalised(t[tq - 1].form) && word_in(t[tq - 1].form, TITLE))
        m->ev |= EV_PERSON;           /* "General Salem Ali Qatan" */
    if (i == ss->lo)
        m->ev |= EV_FIRST_WORD;
    else if (b == i && i - 1 > ss->lo && capitalised(t[i - 1].form) &&
             !word_in(t[i - 1].form, FUNCTION))
        m->ev |= EV_IN_NAME;          /* "Dan Mitrione", "Jordan's King" */
    else if (i >= ss->lo + 2 && is_hyphen(t[i - 1].form) &&
             capitalised(t[i - 2].form))
        m->ev |= EV_IN_NAME;          /* "Abdul-Reda", "Mai-Mai" */
    /* after: a head noun, or another capitalised word */
    size_t a = m->last + 1;
    if (a < ss->hi && word_in(t[a].form, FACILITY_HEAD))
        m->ev |= EV_FACILITY;
    if (a < ss->hi) {
        casus_slice h = t[a].form;
        if (word_in(h, EMBASSY) || word_in(h, STRIKE) ||
            (word_eq(h, "air") && a + 1 < ss->hi &&
             (word_eq(t[a + 1].form, "strike") || word_eq(t[a + 1].form, "strikes") ||
              word_eq(t[a + 1].form, "raid") || word_eq(t[a + 1].form, "raids"))))
            m->ev |= EV_ORIGIN | EV_FOREIGN; /* "the U.S. embassy in Damascus",
                                              * "a U.S. drone strike" */
        else if (word_in(h, ADMIN_HEAD))
            m->ev |= EV_ADMIN_HEAD;
        else if (word_in(h, CITY_HEAD))
            m->ev |= EV_CITY_HEAD;
        else if (word_in(h, PLACE_HEAD) || word_eq(h, "lga") ||
                 (word_eq(h, "local") && a + 1 < ss->hi &&
                  word_eq(t[a + 1].form, "government")))
            m->ev |= EV_PLACE_HEAD;   /* "Konduga Local Government Area" */
        else if (word_eq(h, "border") || word_eq(h, "frontier"))
            m->ev |= EV_BORDER;
        else if ((word_in(h, SPEECH) && country_named(ss->ix, m->e) < 0) ||
                 word_in(h, PARTICLE))
            m->ev |= EV_PERSON;       /* "Khan said", "Sami al-Hassan"; not "the
                                       * Philippines claimed", "Pakistan said" */
        else if (capitalised(h) && !word_in(h, TIME_WORD))
            m->ev |= EV_IN_NAME;      /* "Pierre Laporte", "Hilton Hotel";
                                       * not "in Pattani Saturday night" */
        else if (word_in(h, BACKING))
            m->ev |= EV_ORIGIN | EV_FOREIGN; /* "US backed Syrian Democratic Forces" */
        else if (is_hyphen(h) && a + 1 < ss->hi) {
            /* "Israel-Gaza border" names two places; "Delhi-Palam" one;
             * "US-backed", "Saudi-led" a supporter */
            if (a + 2 < ss->hi && word_eq(t[a + 2].form, "border"))
                m->ev |= EV_BORDER;
            else if (word_in(t[a + 1].form, BACKING))
                m->ev |= EV_ORIGIN | EV_FOREIGN;
            else if (capitalised(t[a + 1].form))
                m->ev |= EV_IN_NAME;
        }
        if (linked_on(ss, a))
            m->ev |= EV_LINKED;       /* "Kot e Sangi", "Qala-e-Qazi" */
    }
}

static casus_status emit(const where_index *ix, casus_doc *doc, where_vec *out,
                         const mention *m, uint32_t id, size_t sentence,
                         unsigned flags)
{
    casus_ctx *ctx = doc->ctx;
    if (mem_grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return CASUS_ENOMEM;
    where_place *o = &out->v[out->n++];
    memset(o, 0, sizeof *o);
    fill(ix, id, o);
    o->flags = flags | ((m->ev & EV_LOCATIVE) ? WHERE_LOCATIVE : 0u) |
               ((m->ev & EV_STATE) ? WHERE_STATE : 0u) |
               ((m->ev & EV_ORIGIN) ? WHERE_ORIGIN : 0u) |
               ((m->ev & EV_BORDER) ? WHERE_BORDER : 0u);
    o->sentence = sentence;
    o->first_token = m->first;
    o->n_tokens = m->last - m->first + 1;
    o->start = doc->tok.v[m->first].start;
    o->end = doc->tok.v[m->last].end;
    o->score = (int)lround(m->score);
    return CASUS_OK;
}

/* Reports a capitalised word after "in" or "near" that names no known
 * place: "in Xyzabad". */
static void note_unknown(casus_doc *doc, const sent_state *ss, size_t i)
{
    const casus_token *t = ss->t;
    if (i <= ss->lo || !capitalised(t[i].form))
        return;
    casus_slice prev = t[i - 1].form;
    if (!word_eq(prev, "in") && !word_eq(prev, "near"))
        return;
    /* only names: not a month, a weekday, "In" starting a clause */
    static const char *const NOT_PLACE[] = {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "the", "a", "an", "his", "her", "their", "its", "this", "that", NULL};
    if (word_in(t[i].form, NOT_PLACE))
        return;
    size_t j = i + 1;
    while (j < ss->hi && capitalised(t[j].form) && j - i < 4)
        j++;
    size_t n = t[j - 1].end - t[i].start;
    const char *raw = doc->raw.p ? doc->raw.p : "";
    ctx_diag(doc->ctx, CASUS_NOTE, buf_cstr(&doc->file), doc->line,
             buf_cstr(&doc->id), (int64_t)t[i].start,
             "unknown place '%.*s': not in the gazetteer", (int)(n > 80 ? 80 : n),
             raw + t[i].start);
}

/* Whether a name's entry reaches a place of country c (its first
 * WHERE_MAX_CAND postings, context-only ones aside): "the X district of Y"
 * puts X in Y's country only when X has a place there. */
static int entry_has_country(const where_index *ix, const gz_entry *e, uint32_t c)
{
    for (uint32_t i = 0; i < e->npost && i < WHERE_MAX_CAND; i++) {
        uint32_t post = ix->post[e->post + i];
        if (!CONTEXT_ONLY(GZ_POST_HOW(post)) && ix->places[GZ_POST_PLACE(post)].country == c)
            return 1;
    }
    return 0;
}

/* The states whose parliament does not sit in the capital GeoNames gives
 * (PPLC): the Netherlands (The Hague), Bolivia (La Paz), Chile
 * (Valparaíso), Côte d'Ivoire (Abidjan), South Africa (Cape Town), Sri Lanka
 * (Sri Jayawardenepura Kotte, where GeoNames gives Colombo),
 * Eswatini (Lobamba). */
static int parliament_elsewhere(const char *a3)
{
    static const char *const away[] = {"NLD", "BOL", "CHL", "CIV", "ZAF", "SWZ", "LKA", NULL};
    for (size_t i = 0; away[i]; i++)
        if (!strcmp(a3, away[i]))
            return 1;
    return 0;
}

/* The capital city a country mention names with the word "capital": "the
 * Somali capital", "Syria's capital", "the capital of Iraq"; else GZ_NONE.
 * Not "the capital Kabul" nor "the Iraqi capital, Baghdad", where the city
 * is named itself. The state's parliament names its seat the same way ("the
 * Iranian parliament", "Iran's parliament", "the parliament of Iraq"): the
 * capital, where the building stands, except in the states
 * parliament_elsewhere lists. */
static uint32_t capital_named(const where_index *ix, const sent_state *ss, const mention *m)
{
    int c = -1, seat = 0;
    size_t a = m->last + 1;
    if (m->demonym) {
        if (m->group || (m->ev & EV_ORIGIN))
            return GZ_NONE;
        c = m->demonym - 1;
    } else if (m->place != GZ_NONE && ix->places[m->place].kind == GZ_COUNTRY) {
        c = ix->places[m->place].country;
        if (a < ss->hi && possessive(ss->t[a].form))
            a++;
        else if (m->first >= ss->lo + 2 && word_eq(ss->t[m->first - 1].form, "of") &&
                 (word_eq(ss->t[m->first - 2].form, "capital") ||
                  (seat = word_eq(ss->t[m->first - 2].form, "parliament"))))
            a = ss->hi;   /* "the capital of Iraq", "the parliament of Iraq" */
        else
            return GZ_NONE;
    } else {
        return GZ_NONE;
    }
    if (a < ss->hi)
        seat = word_eq(ss->t[a].form, "parliament");
    if (seat && parliament_elsewhere(ix->countries[c].a3))
        return GZ_NONE;
    if (a < ss->hi) {
        if (!word_eq(ss->t[a].form, "capital") && !seat)
            return GZ_NONE;
        if (a + 1 < ss->hi && (capitalised(ss->t[a + 1].form) ||
                               (word_eq(ss->t[a + 1].form, ",") && a + 2 < ss->hi &&
                                capitalised(ss->t[a + 2].form))))
            return GZ_NONE;
    }
    return ix->capitals[c];
}

static casus_status do_sentence(const where_index *ix, casus_doc *doc,
                                size_t si, context *cx, unsigned flags,
                                where_vec *out)
{
    sent_state ss;
    const casus_sentence *s = &doc->sent.v[si];
    ss.ix = ix;
    ss.t = doc->tok.v;
    ss.lo = s->first_token;
    ss.hi = s->first_token + s->n_tokens;
    ss.n = 0;
    cx->n_sent = cx->n_scene = cx->n_res = 0;

    /* 1. mentions; the first probes of all the capitalised words are
     * started together, as each is a cache miss or two */
    for (size_t i = ss.lo; i < ss.hi; i++)
        if (capitalised(ss.t[i].form))
            prefetch_key(ix, ss.t[i].form);
    for (size_t i = ss.lo; i < ss.hi && ss.n < WHERE_MAX_MENTIONS; i++) {
        if (!capitalised(ss.t[i].form))
            continue;
        const gz_entry *e;
        size_t last = longest(&ss, i, &e);
        int loose = 0;
        if (last + 1 == i || !e) {
            last = loose_at(&ss, i, &e);
            loose = 1;
        }
        if (last + 1 == i || !e) {
            if (flags & WHERE_NOTES)
                note_unknown(doc, &ss, i);
            continue;
        }
        /* "Southern Thailand", "the Western part of the city": a bare
         * direction word is no place of its own (GeoNames has "Southern"
         * as Malawi's Southern Region, "Central" as an alternate name of
         * Davao); a longer name that starts with one ("North Sinai") is */
        if (last == i && word_in(ss.t[i].form, DIRECTION))
            continue;
        mention *m = &ss.m[ss.n++];
        memset(m, 0, sizeof *m);
        m->first = i;
        m->last = last;
        m->e = e;
        m->c_country = m->c_admin1 = m->place = GZ_NONE;
        m->demonym = demonym_of(ix, e, &m->group);
        m->acronym = last == i && all_caps(ss.t[i].form);
        m->loose = loose;
        i = last;
    }
    for (size_t k = 0; k < ss.n; k++) {
        mention *m = &ss.m[k];
        evidence(&ss, m);
        /* a group's name, the attackers' nationality ("Palestinian
         * gunmen", "a Palestinian suicide bomber") and a border ("near
         * the Mozambican border") say where someone is from, not where it
         * happened */
        if (m->demonym && (m->group || attacker_after(&ss, m->last + 1) ||
                           (m->last + 1 < ss.hi && word_in(ss.t[m->last + 1].form, AIRLINE))))
            m->ev |= EV_ORIGIN;
        /* "the Syrian border" is a border; "a Saudi border guard", "the
         * Lebanese border town of Arsal" are on the country's side of it */
        if (m->demonym && m->last + 1 < ss.hi &&
            (word_eq(ss.t[m->last + 1].form, "border") ||
             word_eq(ss.t[m->last + 1].form, "frontier")) &&
            !(m->last + 2 < ss.hi && (word_in(ss.t[m->last + 2].form, STATE_WORD) ||
                                      word_eq(ss.t[m->last + 2].form, "crossing"))))
            m->ev |= EV_BORDER | EV_ORIGIN;
        if (m->demonym && !m->group && !(m->ev & EV_ORIGIN) && state_after(&ss, m->last + 1))
            m->ev |= EV_STATE;
    }

    /* 2. the sentence's countries */
    for (size_t k = 0; k < ss.n; k++) {
        mention *m = &ss.m[k];
        if (m->demonym) {
            add_country(cx->sent, &cx->n_sent, (uint16_t)(m->demonym - 1));
            if (m->ev & EV_STATE)
                add_country(cx->scene, &cx->n_scene, (uint16_t)(m->demonym - 1));
            continue;
        }
        int c = country_named(ix, m->e);
        /* a backer's or an embassy's country is no context for the scene */
        if (c >= 0 && (!(m->e->flags & GZE_WEAK) || (m->ev & EV_LOCATIVE)) &&
            !(m->ev & EV_FOREIGN)) {
            add_country(cx->sent, &cx->n_sent, (uint16_t)c);
            if (!(m->ev & (EV_ORIGIN | EV_BORDER | EV_IN_NAME)))
                add_country(cx->scene, &cx->n_scene, (uint16_t)c);
        }
    }

    /* 3. resolve right to left: "X, Y" and "X's Y" constrain by neighbours;
     * names read by their loose keys last, when the sentence's other places
     * are known ("the Baghdad neighborhood of Amiriya") */
    for (size_t k = ss.n, pass = 0; pass < 2; k = ss.n, pass++)
    while (k-- > 0) {
        mention *m = &ss.m[k];
        if (m->demonym || m->loose != (pass == 1))
            continue;
        if (k + 1 < ss.n) {
            mention *nx = &ss.m[k + 1];
            /* "Chaman, Balochistan"; "Beni Territory, North Kivu" and
             * "Kitevya (Beni Territory)": a head noun may come between, and
             * a parenthesis serves as the comma */
            size_t cm = m->last + 1;
            if (cm + 1 < ss.hi && (m->ev & (EV_ADMIN_HEAD | EV_PLACE_HEAD | EV_CITY_HEAD)) &&
                (word_in(ss.t[cm].form, ADMIN_HEAD) || word_in(ss.t[cm].form, PLACE_HEAD) ||
                 word_in(ss.t[cm].form, CITY_HEAD)))
                cm++;
            if (!nx->demonym && nx->place != GZ_NONE && nx->first == m->last + 1 &&
                (m->ev & EV_IN_NAME) && !(m->ev & EV_PERSON) &&
                ix->places[nx->place].kind != GZ_CITY &&
                (nx->last + 1 >= ss.hi || !capitalised(ss.t[nx->last + 1].form)) &&
                entry_has_country(ix, m->e, ix->places[nx->place].country)) {
                /* "Madagali Nigeria", "Yambio South Sudan": a country or
                 * subdivision right after the name, ending the run of
                 * capitalised words, is ", Y" without its comma, not the
                 * rest of a longer name */
                const gz_place *q = &ix->places[nx->place];
                m->ev = (m->ev & ~EV_IN_NAME) | EV_CONSTRAINED;
                m->c_country = q->country;
                if (q->kind == GZ_ADMIN1)
                    m->c_admin1 = nx->place;
            } else if (!nx->demonym && nx->place != GZ_NONE && cm < ss.hi &&
                nx->first == cm + 1 && ss.t[cm].form.n == 1 &&
                (ss.t[cm].form.p[0] == ',' || ss.t[cm].form.p[0] == '(')) {
                const gz_place *q = &ix->places[nx->place];
                int has = entry_has_country(ix, m->e, q->country);
                if (q->kind != GZ_CITY && !has) {
                    /* "Hiran region, Somalia": no place of the name in
                     * Somalia, so not Hīrān, Iraq */
                    m->ev |= EV_PART;
                } else if (q->kind != GZ_CITY) {
                    m->c_country = q->country;
                    if (q->kind == GZ_ADMIN1)
                        m->c_admin1 = nx->place;
                    m->ev |= EV_CONSTRAINED;
                } else if (nx->how == GZH_NAME &&
                           !(nx->ev & (EV_ADMIN_HEAD | EV_PLACE_HEAD | EV_CITY_HEAD)) &&
                           !(m->first > ss.lo && word_eq(ss.t[m->first - 1].form, ",")) &&
                           !(nx->last + 1 < ss.hi &&
                             (word_eq(ss.t[nx->last + 1].form, ",") ||
                              word_eq(ss.t[nx->last + 1].form, "and") ||
                              word_eq(ss.t[nx->last + 1].form, "or")))) {
                    /* "Woolwich, London", "South Kensington, London" (an
                     * address, not a list): X is a part of the city Y, in
                     * Y's country when it has a place there */
                    if (has) {
                        m->c_country = q->country;
                        m->ev |= EV_CONSTRAINED;
                    }
                }
            }
        }
        size_t hd = m->last + 1;
        if (hd < ss.hi && (m->ev & (EV_PLACE_HEAD | EV_CITY_HEAD | EV_ADMIN_HEAD))) {
            /* "Local Government Area": the head's words */
            if (word_eq(ss.t[hd].form, "local"))
                while (hd < ss.hi && hd < m->last + 4 &&
                       (word_eq(ss.t[hd].form, "local") ||
                        word_eq(ss.t[hd].form, "government") || word_eq(ss.t[hd].form, "area")))
                    hd++;
            else if (word_in(ss.t[hd].form, ADMIN_HEAD) || word_in(ss.t[hd].form, PLACE_HEAD) ||
                     word_in(ss.t[hd].form, CITY_HEAD))
                hd++;   /* not a head before the name: "the province of Soum in" */
        }
        if (k + 1 < ss.n && hd + 1 < ss.hi && !(m->ev & EV_CONSTRAINED) &&
            ((hd > m->last + 1 && (word_eq(ss.t[hd].form, "of") ||
                                   word_eq(ss.t[hd].form, ","))) ||
             word_eq(ss.t[hd].form, "in") ||
             (hd == m->last + 1 && word_eq(ss.t[hd].form, "of")))) {
            /* "the Hawija district of Kirkuk", "the Kartal neighborhood of
             * Istanbul", "Mahmudiya in southern Baghdad", "Bassa Local
             * Government, Kogi State": X lies in Y's country (and
             * subdivision), when it has a place there */
            size_t b = hd + 1;
            while (b < ss.hi && word_in(ss.t[b].form, DIRECTION))
                b++;
            /* "in the province of Kunduz", "in the city of Herat" */
            if (b + 2 < ss.hi && (word_in(ss.t[b].form, ADMIN_HEAD) ||
                                  word_in(ss.t[b].form, CITY_HEAD)) &&
                word_eq(ss.t[b + 1].form, "of"))
                b += 2;
            /* the mention there (not one inside the head: "Area") */
            mention *nx = NULL;
            for (size_t q2 = k + 1; q2 < ss.n && !nx; q2++)
                if (ss.m[q2].first == b)
                    nx = &ss.m[q2];
            /* "the Archi district in the northern Afghan province of
             * Kunduz": a nationality word before an administrative head
             * stands for its country */
            if (nx && nx->demonym && !nx->group && hd > m->last + 1 &&
                nx->last + 1 < ss.hi &&
                (word_in(ss.t[nx->last + 1].form, ADMIN_HEAD) ||
                 word_in(ss.t[nx->last + 1].form, CITY_HEAD))) {
                uint32_t dc = (uint32_t)(nx->demonym - 1);
                int has = entry_has_country(ix, m->e, dc);
                if (has) {
                    m->c_country = dc;
                    m->ev |= EV_CONSTRAINED;
                } else if (word_in(ss.t[hd - 1].form, AREA_HEAD) ||
                           word_in(ss.t[hd - 1].form, CITY_HEAD) ||
                           word_in(ss.t[hd - 1].form, ADMIN_HEAD)) {
                    m->ev |= EV_PART;
                }
            } else if (nx && !nx->demonym && nx->place != GZ_NONE) {
                const gz_place *q = &ix->places[nx->place];
                uint32_t a1 = q->kind == GZ_ADMIN1 ? nx->place
                              : q->kind == GZ_CITY ? q->admin1 : GZ_NONE;
                int has = entry_has_country(ix, m->e, q->country);
                if (has) {
                    m->c_country = q->country;
                    m->c_admin1 = a1;
                    m->ev |= EV_CONSTRAINED;
                } else if (hd == m->last + 1 && word_eq(ss.t[hd].form, "of") &&
                           nx->how == GZH_NAME) {
                    /* "the Old City of Mosul", "the University of
                     * Maiduguri": X of Y with no place in Y's country is a
                     * part of Y, not a place abroad */
                    m->ev |= EV_PART;
                } else if (hd == m->last + 1 && word_eq(ss.t[hd].form, "in") &&
                           nx->how == GZH_NAME) {
                    /* "the province of Soum in Burkina Faso": X in Y with
                     * no place in Y's country is a place there that the
                     * gazetteer lacks, not a namesake abroad */
                    m->ev |= EV_PART;
                } else if (hd > m->last + 1 && nx->how == GZH_NAME &&
                           ((q->kind == GZ_CITY && word_in(ss.t[hd - 1].form, CITY_PART)) ||
                            word_in(ss.t[hd - 1].form, NAMED_FACILITY) ||
                            word_in(ss.t[hd - 1].form, ADMIN_HEAD) ||
                            word_in(ss.t[hd - 1].form, AREA_HEAD) ||
                            word_in(ss.t[hd - 1].form, CITY_HEAD))) {
                    /* "the Al-Mansoura district of Aden", "the Shahr-e Naw
                     * area of Kabul", "the Hiran region of Somalia", "the
                     * Kama district of the Nangarhar Province", "the
                     * al-Tarfaya village in Diyala Province": a part
                     * of Y that the gazetteer does not hold, not Y's
                     * namesake in another country; "the Churchill Hotel in
                     * London": a facility's name */
                    m->ev |= EV_PART;
                }
                /* "the Kartal neighborhood of Istanbul": the place at a
                 * city's precision is the city (the incident lists write
                 * it so); "the Churchill Hotel in London" is in London */
                if (q->kind == GZ_CITY && nx->how == GZH_NAME && hd > m->last + 1 &&
                    (word_in(ss.t[hd - 1].form, CITY_QUARTER) ||
                     word_in(ss.t[hd - 1].form, NAMED_FACILITY)))
                    m->ev |= EV_PART;
            }
        }
        if (k > 0) {
            mention *pv = &ss.m[k - 1];
            if (pv->last + 2 == m->first &&
                possessive(ss.t[pv->last + 1].form)) {
                int c = pv->demonym ? pv->demonym - 1 : country_named(ix, pv->e);
                uint32_t a1 = c < 0 && !pv->demonym ? admin1_named(ix, pv->e) : GZ_NONE;
                /* "in Herat's Shindand District": the locative word is
                 * the possessed place's too, the scene */
                if (pv->ev & EV_LOCATIVE)
                    m->ev |= EV_LOCATIVE;
                if (c >= 0) {
                    m->c_country = (uint32_t)c;
                } else if (a1 != GZ_NONE &&
                           (cx->n_sent == 0 ||
                            has_country(cx->sent, cx->n_sent, ix->places[a1].country))) {
                    /* "Balochistan's Kech District", "Narathiwat
                     * Province's Muang district" */
                    m->c_country = ix->places[a1].country;
                    m->c_admin1 = a1;
                    /* "Pattani's Yarang District", "Kabul's Paghman
                     * District": the possessor of a district is its
                     * province, not the province's city of the name */
                    static const char *const dhead[] = {"district", "county", "tehsil",
                                                        "agency", "subdistrict", NULL};
                    /* (the head may be the name's last word: "Kirkuk's
                     * Hawija District", GeoNames' "Al-Hawija District") */
                    if ((m->last + 1 < ss.hi && word_in(ss.t[m->last + 1].form, dhead)) ||
                        (m->last > m->first && word_in(ss.t[m->last].form, dhead)))
                        pv->ev |= EV_ADMIN_HEAD;
                }
            }
        }
        resolve(ix, m, cx);
        if (m->place != GZ_NONE)
            add_country(cx->res, &cx->n_res, ix->places[m->place].country);
    }

    /* 4. results in text order; their countries become context */
    for (size_t k = 0; k < ss.n; k++) {
        mention *m = &ss.m[k];
        casus_status st;
        uint32_t cap = capital_named(ix, &ss, m);
        if (cap != GZ_NONE) {
            /* "the Somali capital", "Syria's capital", "the capital of
             * Iraq": the text names the capital city */
            m->score = 0;
            st = emit(ix, doc, out, m, cap, si, 0);
            add_country(cx->doc, &cx->n_doc, ix->places[cap].country);
        } else if (m->demonym) {
            const gz_country *c = &ix->countries[m->demonym - 1];
            m->score = 0;
            st = emit(ix, doc, out, m, c->place, si, WHERE_VIA_DEMONYM);
        } else if (m->place != GZ_NONE) {
            st = emit(ix, doc, out, m, m->place, si, 0);
            add_country(cx->doc, &cx->n_doc, ix->places[m->place].country);
        } else {
            continue;
        }
        if (st != CASUS_OK)
            return st;
    }
    for (size_t k = 0; k < cx->n_sent; k++)
        add_country(cx->doc, &cx->n_doc, cx->sent[k]);
    return CASUS_OK;
}

casus_status where_doc(const where_index *ix, casus_doc *doc, unsigned flags,
                       where_vec *out)
{
    context cx;
    out->n = 0;
    cx.n_doc = cx.n_sent = cx.n_scene = cx.n_res = 0;
    for (size_t si = 0; si < doc->sent.n; si++) {
        casus_status st = do_sentence(ix, doc, si, &cx, flags, out);
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

static const where_place *best_of(const where_vec *v, int scene)
{
    const where_place *best = NULL;
    int bk = INT_MIN;
    for (size_t i = 0; i < v->n; i++) {
        const where_place *p = &v->v[i];
        if (scene && ((p->flags & (WHERE_ORIGIN | WHERE_BORDER)) ||
                      ((p->flags & WHERE_VIA_DEMONYM) && !(p->flags & WHERE_STATE))))
            continue;
        int k = (p->flags & WHERE_VIA_DEMONYM) ? ((p->flags & WHERE_STATE) ? 1 : 0)
                                               : (int)p->precision * 10;
        if (p->flags & WHERE_LOCATIVE)
            k += 12;
        if (p->flags & (WHERE_ORIGIN | WHERE_BORDER))
            k -= 15;
        if (k > bk) {
            bk = k;
            best = p;
        }
    }
    return best;
}

const where_place *where_best(const where_vec *v)
{
    return best_of(v, 0);
}

const where_place *where_best_scene(const where_vec *v)
{
    return best_of(v, 1);
}

void where_vec_free(casus_ctx *ctx, where_vec *v)
{
    mem_free(ctx, v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

int where_may_name(const where_index *ix, const char *name, size_t n,
                   const char *country, const where_place *p)
{
    char key[KEY_CAP], lk[KEY_CAP];
    size_t kn = where_fold(name, n, key, sizeof key);
    size_t ln = kn ? where_loose(key, kn, lk, sizeof lk) : 0;
    for (int pass = 0; pass < 2; pass++) {
        const gz_entry *e = pass == 0 ? (kn ? find(ix, key, kn) : NULL)
                                      : (ln ? find(ix, lk, ln) : NULL);
        for (uint32_t i = 0; e && i < e->npost; i++) {
            uint32_t post = ix->post[e->post + i];
            if (CONTEXT_ONLY(GZ_POST_HOW(post)))
                continue;
            where_place q;
            fill(ix, GZ_POST_PLACE(post), &q);
            if (q.precision == p->precision && !strcmp(q.name, p->name) &&
                (!country || !*country || !strcmp(q.country, country)) &&
                fabs(q.lat - p->lat) < 1e-4 && fabs(q.lon - p->lon) < 1e-4)
                return 1;
        }
    }
    return 0;
}

casus_status where_lookup(const where_index *ix, const char *name, size_t n,
                          const char *country, where_precision min,
                          where_place *out)
{
    char key[KEY_CAP];
    size_t kn = where_fold(name, n, key, sizeof key);
    const gz_entry *e = kn ? find(ix, key, kn) : NULL;
    if (!e || !e->npost)
        return CASUS_DONE;
    mention m;
    context cx;
    memset(&m, 0, sizeof m);
    m.c_country = m.c_admin1 = GZ_NONE;
    cx.n_doc = cx.n_sent = cx.n_scene = cx.n_res = 0;
    uint32_t best = GZ_NONE;
    double bs = -1e9;
    for (uint32_t i = 0; i < e->npost; i++) {
        uint32_t post = ix->post[e->post + i];
        uint32_t id = GZ_POST_PLACE(post);
        const gz_place *p = &ix->places[id];
        where_precision pr = p->kind == GZ_COUNTRY ? WHERE_COUNTRY
                             : p->kind == GZ_ADMIN1 ? WHERE_ADMIN1
                             : p->kind == GZ_ADMIN2 ? WHERE_ADMIN2 : WHERE_CITY;
        if (pr < min || GZ_POST_HOW(post) == GZH_DISTRICT)
            continue;
        if (country && *country && strcmp(ix->countries[p->country].a3, country))
            continue;
        double s = score(ix, id, GZ_POST_HOW(post), &m, &cx);
        if (s > bs) {
            bs = s;
            best = id;
        }
    }
    if (best == GZ_NONE)
        return CASUS_DONE;
    memset(out, 0, sizeof *out);
    fill(ix, best, out);
    out->score = (int)lround(bs);
    return CASUS_OK;
}
