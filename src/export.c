/*
 * export.c - `casus export`: every stored event, in event id order, as casus
 * event records (JSON Lines), CSV, the GDELT 2.0 event table, Phoenix,
 * ACLED-style CSV or PLOVER JSON.
 *
 * Pipeline position: a reader of the store (store.h cursors). One SELECT
 * joins each event with its document, sentence and run; rows stream from
 * the cursor through one reused line buffer to the sink, so memory stays
 * flat whatever the store's size. docs/FORMATS.md ("Exports") gives each
 * format's column mapping and what it leaves empty: casus has no places,
 * tone or counts of mentions yet, so those columns are empty (or the
 * format's "unknown") rather than invented.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "store.h"
#include "util/buf.h"
#include "util/mem.h"

enum {
    C_EVENT_ID, C_DOC_ID, C_URL, C_TITLE, C_PUB_DATE, C_SENT, C_START, C_END,
    C_DATE, C_SRC, C_SRC_TEXT, C_SRC_START, C_SRC_END, C_TGT, C_TGT_TEXT,
    C_TGT_START, C_TGT_END, C_CAMEO, C_ROOT, C_GOLDSTEIN, C_QUAD, C_PTYPE,
    C_PMODE, C_NEGATED, C_TEXT, C_RUN, C_RUN_STARTED, C_COUNT,
    /* acled only: the incident whose evidence holds the event's sentence */
    C_INC = C_COUNT, C_INC_COUNTRY, C_INC_ADMIN1, C_INC_LOCATION, C_INC_LAT,
    C_INC_LON, C_INC_PREC, C_INC_KILLED, C_ALL
};

#define EXPORT_COLUMNS                                                         \
    "SELECT e.event_id, d.doc_id, d.url, d.title, d.pub_date, "                \
    "e.sentence_index, e.char_start, e.char_end, e.event_date, "              \
    "e.source_code, e.source_text, e.source_start, e.source_end, "            \
    "e.target_code, e.target_text, e.target_start, e.target_end, e.cameo, "   \
    "e.root_code, e.goldstein, e.quad_class, e.plover_type, e.plover_mode, "  \
    "e.negated, s.text, e.run_id, r.started "
#define EXPORT_FROM                                                            \
    "FROM events e JOIN documents d ON d.doc_pk = e.doc_pk "                  \
    "LEFT JOIN sentences s ON s.doc_pk = e.doc_pk AND "                       \
    "s.sentence_index = e.sentence_index "                                    \
    "LEFT JOIN runs r ON r.run_id = e.run_id "
/* ACLED: the incident stated in the event's sentence, by
 * incident_evidence_doc (doc_pk, sentence_index); of several, one whose
 * dates hold the event's date, else the latest recorded ("after the Kerman
 * attack, Iran struck Pakistan": the strike). */
#define ACLED_COLUMNS                                                          \
    ", i.incident_pk, i.country, i.admin1, i.location, i.latitude, "          \
    "i.longitude, i.location_precision, i.killed_min "
#define ACLED_FROM                                                             \
    "LEFT JOIN incidents i ON i.incident_pk = coalesce((SELECT "              \
    "max(ie.incident_pk) FROM incident_evidence ie JOIN incidents i2 ON "     \
    "i2.incident_pk = ie.incident_pk WHERE ie.doc_pk = e.doc_pk AND "         \
    "ie.sentence_index = e.sentence_index AND e.event_date >= "               \
    "i2.start_date AND e.event_date <= coalesce(i2.end_date, "                \
    "i2.start_date)), (SELECT max(ie.incident_pk) FROM incident_evidence ie " \
    "WHERE ie.doc_pk = e.doc_pk AND ie.sentence_index = e.sentence_index)) "

casus_status casus_export_format_parse(const char *name,
                                       casus_export_format *out)
{
    static const char *const names[] = {"jsonl", "csv", "gdelt", "phoenix",
                                        "acled", "plover"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i])) {
            *out = (casus_export_format)i;
            return CASUS_OK;
        }
    return CASUS_EINVAL;
}

typedef struct row {
    const char *v[C_ALL];
    size_t n[C_ALL];
} row;

typedef struct out {
    casus_ctx *ctx;
    buf b;
    casus_status st;
    long long *inc;        /* acled: incidents already given fatalities */
    size_t n_inc, cap_inc;
} out;

static const char *V(const row *r, int c)
{
    return r->v[c] ? r->v[c] : "";
}

static void put(out *o, const char *s, size_t n)
{
    if (o->st == CASUS_OK)
        o->st = buf_append(o->ctx, &o->b, s, n);
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A TSV field: tabs and line breaks become spaces. */
static void tsv(out *o, const char *s, size_t n)
{
    if (o->st != CASUS_OK || buf_reserve(o->ctx, &o->b, n) != CASUS_OK) {
        o->st = CASUS_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        o->b.p[o->b.n++] = c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
    }
    o->b.p[o->b.n] = '\0';
}

static void tsv_s(out *o, const char *s)
{
    tsv(o, s, strlen(s));
}

static void csv(out *o, const char *s, size_t n)
{
    if (o->st == CASUS_OK)
        o->st = store_put_csv(o->ctx, &o->b, s, n);
}

static void csv_s(out *o, const char *s)
{
    csv(o, s, strlen(s));
}

static void json_str(out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    if (o->st == CASUS_OK)
        o->st = buf_json_escape(o->ctx, &o->b, s, n);
    put(o, "\"", 1);
}

/* "key":"value" or "key":null, with a leading comma unless first. */
static void json_kv(out *o, const char *key, const row *r, int c, int first)
{
    if (!first)
        put(o, ",", 1);
    json_str(o, key, strlen(key));
    put(o, ":", 1);
    if (r->v[c])
        json_str(o, r->v[c], r->n[c]);
    else
        puts_(o, "null");
}

static void json_num(out *o, const char *key, const row *r, int c)
{
    put(o, ",", 1);
    json_str(o, key, strlen(key));
    put(o, ":", 1);
    if (r->v[c] && r->n[c])
        put(o, r->v[c], r->n[c]);
    else
        puts_(o, "null");
}

/* Goldstein as stored (REAL) with one decimal, as GDELT writes it. */
static void goldstein(out *o, const row *r)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.1f", strtod(V(r, C_GOLDSTEIN), NULL));
    puts_(o, tmp);
}

/* ---------------------------------------------------------------- actor codes */

/* Role and group prefixes that are not countries (CAMEO actor codebook). */
static int non_country(const char *p)
{
    static const char *const pre[] = {
        "IGO", "NGO", "IMG", "MNC", "UIS", "UAF", "AGR", "BUS", "COP", "CRM",
        "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "INS", "JUD",
        "LAB", "LEG", "MED", "MIL", "MOD", "OPP", "PTY", "RAD", "REB", "REF",
        "REL", "SEP", "SPY", "UNR"};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (!strncmp(p, pre[i], 3))
            return 1;
    return 0;
}

/* Splits a CAMEO actor code into country (or entity), role and the rest. */
typedef struct code_parts {
    char country[4];     /* a country prefix; "" for groups and roles */
    char entity[4];      /* first three letters, whatever they are */
    char role[4];        /* the three letters after a country, or a
                            leading role */
    char rest[32];
} code_parts;

static void split_code(const char *code, code_parts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = strlen(code);
    if (n < 3)
        return;
    memcpy(p->entity, code, 3);
    if (!non_country(code)) {
        memcpy(p->country, code, 3);
        if (n >= 6)
            memcpy(p->role, code + 3, 3);
        if (n > 6)
            snprintf(p->rest, sizeof p->rest, "%s", code + 6);
    } else {
        if (strncmp(code, "IGO", 3) && strncmp(code, "NGO", 3) &&
            strncmp(code, "IMG", 3) && strncmp(code, "MNC", 3))
            memcpy(p->role, code, 3);
        if (n > 3)
            snprintf(p->rest, sizeof p->rest, "%s", code + 3);
    }
}

/* ---------------------------------------------------------------- formats */

static void put_jsonl(out *o, const row *r)
{
    puts_(o, "{\"type\":\"event\",\"event_id\":");
    put(o, V(r, C_EVENT_ID), r->n[C_EVENT_ID]);
    json_kv(o, "doc_id", r, C_DOC_ID, 0);
    json_kv(o, "url", r, C_URL, 0);
    json_kv(o, "title", r, C_TITLE, 0);
    json_kv(o, "pub_date", r, C_PUB_DATE, 0);
    json_num(o, "sentence_index", r, C_SENT);
    json_num(o, "char_start", r, C_START);
    json_num(o, "char_end", r, C_END);
    json_kv(o, "date", r, C_DATE, 0);
    puts_(o, ",\"source\":{");
    json_kv(o, "code", r, C_SRC, 1);
    json_kv(o, "text", r, C_SRC_TEXT, 0);
    json_num(o, "start", r, C_SRC_START);
    json_num(o, "end", r, C_SRC_END);
    puts_(o, "},\"target\":");
    if (r->v[C_TGT]) {
        puts_(o, "{");
        json_kv(o, "code", r, C_TGT, 1);
        json_kv(o, "text", r, C_TGT_TEXT, 0);
        json_num(o, "start", r, C_TGT_START);
        json_num(o, "end", r, C_TGT_END);
        puts_(o, "}");
    } else {
        puts_(o, "null");
    }
    json_kv(o, "cameo", r, C_CAMEO, 0);
    puts_(o, ",\"goldstein\":");
    goldstein(o, r);
    json_num(o, "quad_class", r, C_QUAD);
    json_kv(o, "plover_type", r, C_PTYPE, 0);
    json_kv(o, "plover_mode", r, C_PMODE, 0);
    puts_(o, strcmp(V(r, C_NEGATED), "1") ? ",\"negated\":false"
                                          : ",\"negated\":true");
    json_kv(o, "text", r, C_TEXT, 0);
    json_num(o, "run_id", r, C_RUN);
    puts_(o, "}\n");
}

static const char *const csv_cols[] = {
    "event_id", "doc_id", "url", "title", "pub_date", "sentence_index",
    "char_start", "char_end", "date", "source", "source_text", "source_start",
    "source_end", "target", "target_text", "target_start", "target_end",
    "cameo", "root_code", "goldstein", "quad_class", "plover_type",
    "plover_mode", "negated", "text", "run_id"};

static void put_csv(out *o, const row *r)
{
    for (int c = 0; c < C_RUN_STARTED; c++) {
        if (c)
            put(o, ",", 1);
        if (c == C_GOLDSTEIN)
            goldstein(o, r);
        else
            csv(o, V(r, c), r->v[c] ? r->n[c] : 0);
    }
    put(o, "\n", 1);
}

/* "YYYY-MM-DD" -> digits only, "" when absent. */
static void compact_date(const char *d, char out8[9])
{
    size_t k = 0;
    for (size_t i = 0; d[i] && k < 8; i++)
        if (d[i] >= '0' && d[i] <= '9')
            out8[k++] = d[i];
    out8[k] = '\0';
    if (k != 8)
        out8[0] = '\0';
}

static void upper_tsv(out *o, const char *s, size_t n)
{
    size_t start = o->b.n;
    tsv(o, s, n);
    for (size_t i = start; o->st == CASUS_OK && i < o->b.n; i++)
        if (o->b.p[i] >= 'a' && o->b.p[i] <= 'z')
            o->b.p[i] = (char)(o->b.p[i] - 32);
}

static void gdelt_actor(out *o, const row *r, int code, int text)
{
    code_parts p;
    split_code(V(r, code), &p);
    tsv_s(o, V(r, code));
    put(o, "\t", 1);
    upper_tsv(o, V(r, text), r->v[text] ? r->n[text] : 0);
    put(o, "\t", 1);
    tsv_s(o, p.country);
    /* KnownGroup, Ethnic, Religion1, Religion2: not coded by casus. */
    puts_(o, "\t\t\t\t\t");
    tsv_s(o, p.role);
    puts_(o, "\t\t");
}

static void put_gdelt(out *o, const row *r)
{
    char d8[9];
    compact_date(V(r, C_DATE), d8);
    tsv_s(o, V(r, C_EVENT_ID));
    put(o, "\t", 1);
    puts_(o, d8);
    put(o, "\t", 1);
    if (d8[0]) {
        put(o, d8, 6);
        put(o, "\t", 1);
        put(o, d8, 4);
        put(o, "\t", 1);
        int y = atoi(V(r, C_DATE)), m = atoi(V(r, C_DATE) + 5),
            d = atoi(V(r, C_DATE) + 8);
        static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273,
                                  304, 334};
        int doy = cum[(m >= 1 && m <= 12) ? m - 1 : 0] + d;
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%d.%04d", y, doy * 10000 / 365 > 9999
                                                    ? 9999 : doy * 10000 / 365);
        puts_(o, tmp);
    } else {
        puts_(o, "\t\t");
    }
    put(o, "\t", 1);
    gdelt_actor(o, r, C_SRC, C_SRC_TEXT);
    put(o, "\t", 1);
    gdelt_actor(o, r, C_TGT, C_TGT_TEXT);
    put(o, "\t", 1);
    puts_(o, strcmp(V(r, C_SENT), "0") ? "0" : "1");   /* IsRootEvent */
    put(o, "\t", 1);
    const char *cameo = V(r, C_CAMEO);
    tsv_s(o, cameo);
    put(o, "\t", 1);
    tsv(o, cameo, strlen(cameo) < 3 ? strlen(cameo) : 3);
    put(o, "\t", 1);
    tsv_s(o, V(r, C_ROOT));
    put(o, "\t", 1);
    tsv_s(o, V(r, C_QUAD));
    put(o, "\t", 1);
    goldstein(o, r);
    /* NumMentions, NumSources, NumArticles: this one sentence; AvgTone:
     * not computed. */
    puts_(o, "\t1\t1\t1\t");
    /* Actor1Geo, Actor2Geo, ActionGeo: 3 x 8 columns, no geocoding yet;
     * Geo_Type 0 = no location. */
    for (int g = 0; g < 3; g++)
        puts_(o, "\t0\t\t\t\t\t\t\t");
    put(o, "\t", 1);
    char added[15] = "";
    const char *rs = V(r, C_RUN_STARTED);
    size_t k = 0;
    for (size_t i = 0; rs[i] && k < 14; i++)
        if (rs[i] >= '0' && rs[i] <= '9')
            added[k++] = rs[i];
    added[k] = '\0';
    puts_(o, added);
    put(o, "\t", 1);
    tsv_s(o, r->v[C_URL] && r->n[C_URL] ? V(r, C_URL) : V(r, C_DOC_ID));
    put(o, "\n", 1);
}

static void phoenix_actor(out *o, const row *r, int code)
{
    code_parts p;
    split_code(V(r, code), &p);
    tsv_s(o, V(r, code));
    put(o, "\t", 1);
    tsv_s(o, p.entity);
    put(o, "\t", 1);
    tsv_s(o, p.role);
    put(o, "\t", 1);
    tsv_s(o, p.rest);
    put(o, "\t", 1);
}

static const char *penta_class(const char *root)
{
    int rc = atoi(root);
    return rc <= 2 ? "0" : rc <= 5 ? "1" : rc <= 8 ? "2" : rc <= 13 ? "3" : "4";
}

static void put_phoenix(out *o, const row *r)
{
    char d8[9];
    compact_date(V(r, C_DATE), d8);
    tsv_s(o, V(r, C_EVENT_ID));
    put(o, "\t", 1);
    puts_(o, d8);
    put(o, "\t", 1);
    if (d8[0]) {
        put(o, d8, 4);
        put(o, "\t", 1);
        put(o, d8 + 4, 2);
        put(o, "\t", 1);
        put(o, d8 + 6, 2);
        put(o, "\t", 1);
    } else {
        puts_(o, "\t\t\t");
    }
    phoenix_actor(o, r, C_SRC);
    phoenix_actor(o, r, C_TGT);
    tsv_s(o, V(r, C_CAMEO));
    put(o, "\t", 1);
    tsv_s(o, V(r, C_ROOT));
    put(o, "\t", 1);
    puts_(o, penta_class(V(r, C_ROOT)));
    put(o, "\t", 1);
    goldstein(o, r);
    /* Issues, Lat, Lon, LocationName, StateName, CountryCode: not coded. */
    puts_(o, "\t\t\t\t\t\t\t");
    tsv_s(o, V(r, C_DOC_ID));
    put(o, "_", 1);
    tsv_s(o, V(r, C_SENT));
    put(o, "\t", 1);
    tsv_s(o, V(r, C_URL));
    put(o, "\t", 1);
    /* NewsSources: the URL's host. */
    const char *u = V(r, C_URL), *h = strstr(u, "://");
    if (h) {
        h += 3;
        tsv(o, h, strcspn(h, "/:?#"));
    }
    put(o, "\n", 1);
}

/* ACLED's categories for a CAMEO code and PLOVER mode; NULL: not an ACLED
 * event (cooperation, statements, demands...), not exported. */
typedef struct acled_type {
    const char *disorder, *type, *sub;
} acled_type;

static int acled_of(const char *cameo, const char *mode, acled_type *t)
{
    static const char PV[] = "Political violence", DEM[] = "Demonstrations",
                      SD[] = "Strategic developments",
                      EXP[] = "Explosions/Remote violence",
                      VAC[] = "Violence against civilians",
                      BAT[] = "Battles";
    int root = atoi(cameo) / (strlen(cameo) >= 4 ? 100 : strlen(cameo) == 3 ? 10 : 1);
    t->disorder = PV;
    if (root == 18 || root == 19 || root == 20) {
        if (!strcmp(mode, "suicide-attack"))
            *t = (acled_type){PV, EXP, "Suicide bomb"};
        else if (!strcmp(mode, "aerial") || !strcmp(mode, "drone"))
            *t = (acled_type){PV, EXP, "Air/drone strike"};
        else if (!strcmp(mode, "heavy-weapons"))
            *t = (acled_type){PV, EXP, "Shelling/artillery/missile attack"};
        else if (!strcmp(mode, "explosives"))
            *t = (acled_type){PV, EXP, "Remote explosive/landmine/IED"};
        else if (!strcmp(mode, "abduct"))
            *t = (acled_type){PV, VAC, "Abduction/forced disappearance"};
        else if (!strncmp(cameo, "1831", 4))
            *t = (acled_type){PV, EXP, "Suicide bomb"};
        else if (!strncmp(cameo, "183", 3))
            *t = (acled_type){PV, EXP, "Remote explosive/landmine/IED"};
        else if (!strncmp(cameo, "195", 3))
            *t = (acled_type){PV, EXP, "Air/drone strike"};
        else if (!strncmp(cameo, "194", 3))
            *t = (acled_type){PV, EXP, "Shelling/artillery/missile attack"};
        else if (!strncmp(cameo, "181", 3))
            *t = (acled_type){PV, VAC, "Abduction/forced disappearance"};
        else if (root == 19)
            *t = (acled_type){PV, BAT, "Armed clash"};
        else
            *t = (acled_type){PV, VAC, "Attack"};
        return 1;
    }
    if (root == 14) {
        *t = !strncmp(cameo, "145", 3)
                 ? (acled_type){DEM, "Riots", "Violent demonstration"}
                 : (acled_type){DEM, "Protests", "Peaceful protest"};
        return 1;
    }
    if (root == 15 || root == 17) {
        *t = (acled_type){SD, SD, !strncmp(cameo, "173", 3) ? "Arrests"
                                                             : "Other"};
        return 1;
    }
    return 0;
}

/* ACLED inter codes: 1 state forces, 2 rebel groups, 7 civilians. */
static int acled_inter(const char *code)
{
    code_parts p;
    split_code(code, &p);
    const char *role = p.role[0] ? p.role : p.entity;
    static const char *const state[] = {"GOV", "MIL", "COP", "SPY", "JUD",
                                        "LEG"};
    for (size_t i = 0; i < sizeof state / sizeof state[0]; i++)
        if (!strcmp(role, state[i]))
            return 1;
    if (!strcmp(role, "REB") || !strcmp(role, "INS") ||
        !strcmp(p.entity, "IMG"))
        return 2;
    if (!strcmp(role, "CVL") || !strcmp(role, "REF") || !strcmp(role, "EDU") ||
        !strcmp(role, "MED") || !strcmp(role, "HLH"))
        return 7;
    return 0;
}

static const char acled_header[] =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp\n";

/* Whether the incident (its key as text) has had no exported event yet;
 * remembers it. The set grows with the incidents exported. */
static int first_of_incident(out *o, const char *pk)
{
    long long k = atoll(pk);
    if (k <= 0 || o->st != CASUS_OK)
        return 0;
    if ((o->n_inc + 1) * 2 > o->cap_inc) {
        size_t cap = o->cap_inc ? o->cap_inc * 2 : 256;
        long long *t = mem_alloc(o->ctx, cap * sizeof *t);
        if (!t) {
            o->st = CASUS_ENOMEM;
            return 0;
        }
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < o->cap_inc; i++) {
            if (!o->inc[i])
                continue;
            size_t j = (size_t)o->inc[i] * 2654435761u & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = o->inc[i];
        }
        mem_free(o->ctx, o->inc);
        o->inc = t;
        o->cap_inc = cap;
    }
    size_t j = (size_t)k * 2654435761u & (o->cap_inc - 1);
    while (o->inc[j]) {
        if (o->inc[j] == k)
            return 0;
        j = (j + 1) & (o->cap_inc - 1);
    }
    o->inc[j] = k;
    o->n_inc++;
    return 1;
}

static void put_acled(out *o, const row *r)
{
    acled_type t;
    if (!acled_of(V(r, C_CAMEO), V(r, C_PMODE), &t))
        return;
    const char *date = V(r, C_DATE);
    puts_(o, "CASUS");
    puts_(o, V(r, C_EVENT_ID));
    put(o, ",", 1);
    csv_s(o, date);
    put(o, ",", 1);
    put(o, date, strlen(date) >= 4 ? 4 : 0);
    puts_(o, *date ? ",1," : ",,");
    csv_s(o, t.disorder);
    put(o, ",", 1);
    csv_s(o, t.type);
    put(o, ",", 1);
    csv_s(o, t.sub);
    put(o, ",", 1);
    csv_s(o, V(r, C_SRC));
    put(o, ",,", 2);
    int i1 = acled_inter(V(r, C_SRC)), i2 = acled_inter(V(r, C_TGT));
    char tmp[16];
    if (i1) {
        snprintf(tmp, sizeof tmp, "%d", i1);
        puts_(o, tmp);
    }
    put(o, ",", 1);
    csv_s(o, V(r, C_TGT));
    put(o, ",,", 2);
    if (i2) {
        snprintf(tmp, sizeof tmp, "%d", i2);
        puts_(o, tmp);
    }
    put(o, ",", 1);
    if (i1 && i2) {
        snprintf(tmp, sizeof tmp, "%d%d", i1 < i2 ? i1 : i2, i1 < i2 ? i2 : i1);
        puts_(o, tmp);
    }
    put(o, ",", 1);
    if (i2 == 7 && strcmp(t.disorder, "Political violence") == 0)
        puts_(o, "Civilian targeting");
    /* iso, region (empty), country (ISO alpha-3), admin1, admin2 (a
     * district's own name), admin3 (empty), location, latitude, longitude,
     * geo_precision: the incident's place, when an incident holds the
     * event's sentence and has one. */
    const char *prec = V(r, C_INC_PREC);
    puts_(o, ",,,");
    csv_s(o, V(r, C_INC_COUNTRY));
    put(o, ",", 1);
    /* a place that is a province is its own admin1 */
    csv_s(o, !strcmp(prec, "admin1") && !*V(r, C_INC_ADMIN1) ? V(r, C_INC_LOCATION)
                                                              : V(r, C_INC_ADMIN1));
    put(o, ",", 1);
    /* a place that is a district is its own admin2 */
    if (!strcmp(prec, "admin2"))
        csv_s(o, V(r, C_INC_LOCATION));
    puts_(o, ",,");
    csv_s(o, V(r, C_INC_LOCATION));
    put(o, ",", 1);
    puts_(o, V(r, C_INC_LAT));
    put(o, ",", 1);
    puts_(o, V(r, C_INC_LON));
    put(o, ",", 1);
    if (*prec)
        puts_(o, !strcmp(prec, "city") ? "1" : "3");
    put(o, ",", 1);
    csv_s(o, r->v[C_URL] && r->n[C_URL] ? V(r, C_URL) : V(r, C_DOC_ID));
    put(o, ",,", 2);
    csv(o, V(r, C_TEXT), r->v[C_TEXT] ? r->n[C_TEXT] : 0);
    put(o, ",", 1);
    /* fatalities: the incident's lowest stated death toll, on the first
     * exported event of the incident only (so sums count it once) */
    if (*V(r, C_INC_KILLED) && first_of_incident(o, V(r, C_INC)))
        puts_(o, V(r, C_INC_KILLED));
    /* tags, timestamp */
    puts_(o, ",,\n");
}

static void put_plover(out *o, const row *r)
{
    puts_(o, "{");
    json_kv(o, "id", r, C_EVENT_ID, 1);
    json_kv(o, "date", r, C_DATE, 0);
    json_kv(o, "actor", r, C_SRC, 0);
    json_kv(o, "actor_text", r, C_SRC_TEXT, 0);
    json_kv(o, "recipient", r, C_TGT, 0);
    json_kv(o, "recipient_text", r, C_TGT_TEXT, 0);
    if (r->v[C_PTYPE] && r->n[C_PTYPE])
        json_kv(o, "event", r, C_PTYPE, 0);
    else
        puts_(o, ",\"event\":null");
    if (r->v[C_PMODE] && r->n[C_PMODE])
        json_kv(o, "mode", r, C_PMODE, 0);
    else
        puts_(o, ",\"mode\":null");
    puts_(o, ",\"context\":[]");
    json_kv(o, "event_text", r, C_TEXT, 0);
    json_num(o, "quad_code", r, C_QUAD);
    puts_(o, ",\"dead\":null,\"injured\":null,\"arrested\":null,"
             "\"location\":null");
    json_kv(o, "cameo", r, C_CAMEO, 0);
    json_kv(o, "source", r, C_URL, 0);
    json_kv(o, "doc_id", r, C_DOC_ID, 0);
    json_num(o, "sentence_index", r, C_SENT);
    puts_(o, "}\n");
}

static const char *const gdelt_cols =
    "GLOBALEVENTID\tSQLDATE\tMonthYear\tYear\tFractionDate\t"
    "Actor1Code\tActor1Name\tActor1CountryCode\tActor1KnownGroupCode\t"
    "Actor1EthnicCode\tActor1Religion1Code\tActor1Religion2Code\t"
    "Actor1Type1Code\tActor1Type2Code\tActor1Type3Code\t"
    "Actor2Code\tActor2Name\tActor2CountryCode\tActor2KnownGroupCode\t"
    "Actor2EthnicCode\tActor2Religion1Code\tActor2Religion2Code\t"
    "Actor2Type1Code\tActor2Type2Code\tActor2Type3Code\t"
    "IsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\tQuadClass\t"
    "GoldsteinScale\tNumMentions\tNumSources\tNumArticles\tAvgTone\t"
    "Actor1Geo_Type\tActor1Geo_FullName\tActor1Geo_CountryCode\t"
    "Actor1Geo_ADM1Code\tActor1Geo_ADM2Code\tActor1Geo_Lat\tActor1Geo_Long\t"
    "Actor1Geo_FeatureID\tActor2Geo_Type\tActor2Geo_FullName\t"
    "Actor2Geo_CountryCode\tActor2Geo_ADM1Code\tActor2Geo_ADM2Code\t"
    "Actor2Geo_Lat\tActor2Geo_Long\tActor2Geo_FeatureID\tActionGeo_Type\t"
    "ActionGeo_FullName\tActionGeo_CountryCode\tActionGeo_ADM1Code\t"
    "ActionGeo_ADM2Code\tActionGeo_Lat\tActionGeo_Long\tActionGeo_FeatureID\t"
    "DATEADDED\tSOURCEURL\n";

static const char *const phoenix_cols =
    "EventID\tDate\tYear\tMonth\tDay\tSourceActorFull\tSourceActorEntity\t"
    "SourceActorRole\tSourceActorAttribute\tTargetActorFull\t"
    "TargetActorEntity\tTargetActorRole\tTargetActorAttribute\tEventCode\t"
    "EventRootCode\tPentaClass\tGoldsteinScore\tIssues\tLat\tLon\t"
    "LocationName\tStateName\tCountryCode\tSentenceID\tURLs\tNewsSources\n";

casus_status casus_store_export(casus_store *s, casus_export_format fmt,
                                const casus_query_opts *opt, casus_sink *sink)
{
    casus_ctx *ctx = store_ctx(s);
    char sql[2048], to[16] = "9999~", hi[40];
    const char *params[4];
    size_t np = 0;
    int acled = fmt == CASUS_EXPORT_ACLED;
    snprintf(sql, sizeof sql, "%s%s%s%s", EXPORT_COLUMNS, acled ? ACLED_COLUMNS : "",
             EXPORT_FROM, acled ? ACLED_FROM : "");
    if (opt && (opt->from || opt->to)) {
        params[np++] = opt->from ? opt->from : "";
        if (opt->to)
            snprintf(to, sizeof to, "%s~", opt->to);
        params[np++] = to;
        strcat(sql, "WHERE e.event_date >= $1 AND e.event_date <= $2 ");
    }
    if (opt && opt->country) {
        snprintf(hi, sizeof hi, "%s~", opt->country);
        params[np++] = opt->country;
        params[np++] = hi;
        strcat(sql, np == 2 ? "WHERE " : "AND ");
        strcat(sql, np == 2 ? "e.source_code >= $1 AND e.source_code < $2 "
                            : "e.source_code >= $3 AND e.source_code < $4 ");
    }
    strcat(sql, "ORDER BY e.event_id");
    store_cursor *cur;
    casus_status st = store_cursor_open(s, sql, params, np, &cur);
    if (st != CASUS_OK)
        return st;
    out o = {ctx, BUF_INIT, CASUS_OK, NULL, 0, 0};
    if (fmt == CASUS_EXPORT_CSV) {
        for (size_t i = 0; i < sizeof csv_cols / sizeof csv_cols[0]; i++) {
            if (i)
                put(&o, ",", 1);
            puts_(&o, csv_cols[i]);
        }
        put(&o, "\n", 1);
    } else if (fmt == CASUS_EXPORT_ACLED) {
        puts_(&o, acled_header);
    } else if (fmt == CASUS_EXPORT_GDELT) {
        /* GDELT's own files have no header; ours has one so the columns
         * are self-describing (tail -n +2 drops it). */
        puts_(&o, gdelt_cols);
    } else if (fmt == CASUS_EXPORT_PHOENIX) {
        puts_(&o, phoenix_cols);
    }
    row r;
    size_t limit = opt ? opt->limit : 0, rows = 0;
    while (o.st == CASUS_OK && (limit == 0 || rows < limit) &&
           (st = store_cursor_next(cur)) == CASUS_OK) {
        rows++;
        int ncol = acled ? C_ALL : C_COUNT;
        for (int c = 0; c < ncol; c++)
            r.v[c] = store_cursor_text(cur, (size_t)c, &r.n[c]);
        switch (fmt) {
        case CASUS_EXPORT_JSONL: put_jsonl(&o, &r); break;
        case CASUS_EXPORT_CSV: put_csv(&o, &r); break;
        case CASUS_EXPORT_GDELT: put_gdelt(&o, &r); break;
        case CASUS_EXPORT_PHOENIX: put_phoenix(&o, &r); break;
        case CASUS_EXPORT_ACLED: put_acled(&o, &r); break;
        case CASUS_EXPORT_PLOVER: put_plover(&o, &r); break;
        }
        if (o.st == CASUS_OK && o.b.n >= 1 << 16) {
            if (sink->write(sink->ud, o.b.p, o.b.n) != 0)
                o.st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
            buf_reset(&o.b);
        }
    }
    if (st == CASUS_DONE || (st == CASUS_OK && limit && rows >= limit))
        st = CASUS_OK;
    if (o.st != CASUS_OK)
        st = o.st;
    if (st == CASUS_OK && o.b.n && sink->write(sink->ud, o.b.p, o.b.n) != 0)
        st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
    buf_free(ctx, &o.b);
    mem_free(ctx, o.inc);
    store_cursor_close(cur);
    return st;
}
