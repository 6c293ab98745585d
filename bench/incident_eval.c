/*
 * incident_eval.c - incident extraction quality on the Wikipedia incident
 * lists (issue 5's bar), per field, with how many rows each figure covers.
 *
 *   build/bench/incident_eval [FILE.csv] [--errors N] [--full] [--limit N]
 *
 * --errors N prints up to N failures per field (the text cut at 160 bytes;
 * --full prints it whole).
 *
 * FILE (default $SHARED/data/wiki-incidents/incidents.dev.csv) has the
 * columns date,type,dead,injured,location,details,perpetrator. Each row's
 * details text is one document, coded with the row's date as publication
 * date (so dates are not scored), tagged and parsed, and run through the
 * incident stage; the row's incident is the record with the most evidence
 * (the first of equals). A row without a record counts as wrong wherever it
 * is covered. Fields:
 *
 *   country      rows whose gold location names a country (where_eval's
 *                rule); right when the record's country is that country.
 *                Also given over the rows whose text names a place at all.
 *   city         rows whose gold location starts with a city (where_eval's
 *                rule); right when the record is located in that city (in
 *                the gold's country), or when the record's place, in the
 *                gold's country, has the gold's name at any precision: the lists write a province by its bare name
 *                ("Herat, Afghanistan" for "the province of Herat"), so the
 *                gold does not tell the city from the province of one name.
 *                The administrative word dropped from the gold ("Kupwara
 *                district" -> "Kupwara") is dropped from the record's name
 *                too ("Bājaur Agency", a second-level division), and a
 *                leading Arabic article from both ("Al-Hawija", "Hawija").
 *                A gold name the gazetteer gives the record's place (its
 *                own name, an alternate name, an alias or its loose key;
 *                same display name, precision and position, in the gold's
 *                country: where_may_name) is that place spelled otherwise
 *                ("Uruzgan" for "Orūzgān", "Qabasin" for "Kabbasin").
 *                "strict" counts only records of city precision.
 *   perpetrator  rows whose gold perpetrator is named ("Unknown" and empty
 *                are left out; " (suspected)" is dropped) and whose text
 *                spells that name; right when a perpetrator of the record
 *                has the same name (folded; one containing the other) or
 *                the actor code the dictionaries give the gold name.
 *   method       rows whose gold type maps to PLOVER modes: bombing ->
 *                explosives, suicide-attack, or heavy-weapons, drone or
 *                aerial (the lists file rocket, mortar, drone and air
 *                attacks as bombings); shooting -> firearms;
 *                stabbing, arson -> primitive; melee -> primitive or beat;
 *                hostage, hijacking -> abduct; assassination -> targeted,
 *                firearms or explosives (the type names the victim, not the
 *                weapon); massacre -> targeted or firearms; bioattack ->
 *                unconventional. other_violence and unknown are left out.
 *   killed,      rows whose gold count is above 0 and whose text states it
 *   injured      (a word of the text reads as that number); right when the
 *                gold count lies in the record's range; "exact" when the
 *                range's min equals it. One normalisation of the gold: the
 *                lists write "more than 50 wounded" as 50, where casus reads
 *                the range [51, open) (issue 5: "over 90" -> min 91); when
 *                the text states "over/more than/above/upwards of/greater
 *                than g" for the gold g, a record whose range is exactly
 *                [g + 1, open) is right too (the same statement, not a
 *                looser score: any other range still has to hold g).
 *
 * Speed: the time of casus_incidents_add against the time of analysis,
 * tagging and parsing of the same rows (the rest of what `casus code` does).
 */
#define _GNU_SOURCE   /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <math.h>
#include <strings.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "number.h"
#include "util/buf.h"
#include "where.h"

#include "wiki_gold.h"


typedef struct fig {
    size_t n, ok, exact;
} fig;

static void print_fig(const char *name, const fig *f, const char *what)
{
    printf("%-12s %5.1f%% of %5zu rows (%s)\n", name,
           f->n ? 100.0 * (double)f->ok / (double)f->n : 0.0, f->n, what);
}

/* Two place names alike after folding and without a leading Arabic
 * article on either side ("Al-Hawija" and "Hawija"): transliteration, not
 * another place. */
static int same_place_name(const char *a, const char *b)
{
    static const char *const art[] = {"al ", "el ", "ad ", "ar ", "as ", "ash ", "at ",
                                      "az ", "an ", NULL};
    char fa[256], fb[256];
    size_t na = where_fold(a, strlen(a), fa, sizeof fa);
    size_t nb = where_fold(b, strlen(b), fb, sizeof fb);
    const char *pa = fa, *pb = fb;
    for (int i = 0; art[i]; i++) {
        size_t l = strlen(art[i]);
        if (na > l + 2 && !strncmp(fa, art[i], l) && pa == fa) {
            pa = fa + l;
            na -= l;
        }
        if (nb > l + 2 && !strncmp(fb, art[i], l) && pb == fb) {
            pb = fb + l;
            nb -= l;
        }
    }
    return na && na == nb && !memcmp(pa, pb, na);
}

/* Whether the gold name is one of the gazetteer's names of the record's
 * place, in the gold's country (the header's city rule). */
static int gold_names_record(const where_index *ix, const char *gold, const char *ga3,
                             const casus_incident *inc)
{
    static const char *const pn[] = {"", "country", "admin1", "admin2", "city"};
    where_place p;
    memset(&p, 0, sizeof p);
    p.name = inc->location_name;
    p.lat = inc->lat;
    p.lon = inc->lon;
    for (int k = 1; k <= 4; k++)
        if (!strcmp(inc->location_precision, pn[k]))
            p.precision = (where_precision)k;
    return p.precision && !strcmp(inc->location_country, ga3) &&
           where_may_name(ix, gold, strlen(gold), ga3, &p);
}

/* The gold type's accepted modes, or NULL when not scored. */
static const char *const *gold_modes(const char *type)
{
    static const char *const bombing[] = {"explosives", "suicide-attack", "heavy-weapons",
                                          "drone", "aerial", NULL};
    static const char *const shooting[] = {"firearms", NULL};
    static const char *const primitive[] = {"primitive", NULL};
    static const char *const melee[] = {"primitive", "beat", NULL};
    static const char *const abduct[] = {"abduct", NULL};
    static const char *const assassination[] = {"targeted", "firearms", "explosives", NULL};
    static const char *const massacre[] = {"targeted", "firearms", NULL};
    static const char *const bio[] = {"unconventional", NULL};
    if (!strcmp(type, "bombing")) return bombing;
    if (!strcmp(type, "shooting")) return shooting;
    if (!strcmp(type, "stabbing") || !strcmp(type, "arson")) return primitive;
    if (!strcmp(type, "melee")) return melee;
    if (!strcmp(type, "hostage") || !strcmp(type, "hijacking")) return abduct;
    if (!strcmp(type, "assassination")) return assassination;
    if (!strcmp(type, "massacre")) return massacre;
    if (!strcmp(type, "bioattack")) return bio;
    return NULL;
}

static int fold_contains(const char *a, const char *b)
{
    char fa[256], fb[256];
    size_t na = where_fold(a, strlen(a), fa, sizeof fa);
    size_t nb = where_fold(b, strlen(b), fb, sizeof fb);
    return na && nb && strstr(fa, fb) != NULL;
}

/* Whether the text spells name as whole words, folded (case, accents,
 * punctuation): the rows whose text states the gold city. */
static int text_spells(const char *text, const char *name)
{
    size_t tn = strlen(text), nn = strlen(name);
    char fn[256];
    size_t kn = where_fold(name, nn, fn, sizeof fn);
    char *ft = malloc(2 * tn + 16);
    if (!ft || !kn)
        return free(ft), 0;
    size_t kt = where_fold(text, tn, ft, 2 * tn + 16);
    ft[kt < 2 * tn + 16 ? kt : 2 * tn + 15] = '\0';
    int hit = 0;
    for (const char *p = ft; !hit && (p = strstr(p, fn)) != NULL; p++) {
        int lb = p == ft || !isalnum((unsigned char)p[-1]);
        int rb = !isalnum((unsigned char)p[kn]);
        hit = lb && rb;
    }
    free(ft);
    return hit;
}

/* Whether the text states count g (a word reads as g). */
static int text_states(const casus_doc *doc, long g)
{
    size_t n;
    const casus_token *w = casus_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++) {
        num_range r;
        size_t k = number_at(w, n, i, &r);
        if (k && r.min <= g && (r.max == NUM_OPEN || r.max >= g) && r.min >= 0 &&
            r.max != NUM_OPEN && r.max - r.min < 10)
            return 1;
        if (k && r.min == g)
            return 1;
    }
    return 0;
}

/* Whether the text states "over g" ("more than g", "above g", "upwards of
 * g", "greater than g"): number_at reads it as [g + 1, open). */
static int text_states_over(const casus_doc *doc, long g)
{
    size_t n;
    const casus_token *w = casus_doc_tokens(doc, &n);
    static const char *const lead[] = {"over", "more", "above", "upwards", "greater", NULL};
    for (size_t i = 0; i < n; i++) {
        int lw = 0;
        for (size_t k = 0; lead[k]; k++)
            lw |= w[i].form.n == strlen(lead[k]) &&
                  !strncasecmp(w[i].form.p, lead[k], w[i].form.n);
        num_range r;
        if (lw && number_at(w, n, i, &r) && r.min == g + 1 && r.max == NUM_OPEN)
            return 1;
    }
    return 0;
}

static void score_count(fig *f, casus_count c, long g, const casus_doc *doc)
{
    f->n++;
    if (c.min < 0 && c.max < 0)
        return;
    int64_t lo = c.min < 0 ? 0 : c.min;
    int64_t hi = c.max < 0 ? CASUS_COUNT_OPEN : c.max;
    if ((g >= lo && g <= hi) ||
        (c.min == g + 1 && c.max == CASUS_COUNT_OPEN && text_states_over(doc, g)))
        f->ok++;
    if (c.min == g)
        f->exact++;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    long show = 0, limit = 0;
    int width = 160;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--errors") && i + 1 < argc)
            show = atol(argv[++i]);
        else if (!strcmp(argv[i], "--full"))
            width = 1 << 20;
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
            limit = atol(argv[++i]);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: incident_eval [FILE.csv] [--errors N] [--full] [--limit N]\n");
            return 2;
        }
    }
    static char def[512];
    if (!path) {
        const char *sh = getenv("SHARED");
        snprintf(def, sizeof def, "%s/data/wiki-incidents/incidents.dev.csv", sh ? sh : "../shared");
        path = def;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("incident_eval: skipped: %s not present\n", path);
        return 0;
    }
    size_t n;
    char *s = wiki_read_all(fp, &n);
    casus_ctx *ctx = casus_ctx_new();
    casus_models *m = NULL;
    casus_dicts *d = NULL;
    casus_incidents *set = NULL;
    where_index *ix = NULL;
    if (!s || !ctx || casus_models_load(ctx, getenv("CASUS_MODELS") ? NULL : "data/models", &m) != CASUS_OK ||
        casus_dicts_load(ctx, getenv("CASUS_DICTIONARIES") ? NULL : "data/dictionaries", &d) != CASUS_OK ||
        casus_incidents_new(ctx, d, NULL, &set) != CASUS_OK ||
        where_index_open(ctx, NULL, &ix) != CASUS_OK) {
        fprintf(stderr, "incident_eval: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    casus_doc *doc = casus_doc_new(ctx);
    where_vec places = {0};
    buf col[NCOL];
    for (int k = 0; k < NCOL; k++)
        col[k] = (buf)BUF_INIT;
    fig country = {0}, country_named = {0}, city = {0}, perp = {0}, method = {0};
    fig country_stated = {0}, city_stated = {0};
    fig killed = {0}, injured = {0};
    size_t rows = 0, with_record = 0;
    long shown[6] = {0};
    double t_core = 0, t_inc = 0;
    size_t pos = 0;
    csv_record(s, n, &pos, ctx, col, NCOL);
    while (csv_record(s, n, &pos, ctx, col, NCOL)) {
        if (limit && (long)rows >= limit)
            break;
        rows++;
        doc_reset(doc);
        buf_append(ctx, &doc->raw, col[5].p ? col[5].p : "", col[5].n);
        buf_printf(ctx, &doc->id, "row%zu", rows);
        casus_date_parse(buf_cstr(&col[0]), col[0].n, &doc->date);
        double a = now();
        if (casus_doc_analyze(doc) != CASUS_OK || casus_doc_parse(doc, m) != CASUS_OK) {
            fprintf(stderr, "incident_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        double b = now();
        casus_incidents_clear(set);
        if (casus_incidents_add(set, doc) != CASUS_OK) {
            fprintf(stderr, "incident_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        double c = now();
        t_core += b - a;
        t_inc += c - b;
        const casus_incident *inc = NULL;
        for (size_t i = 0; i < casus_incidents_count(set); i++) {
            const casus_incident *p = casus_incidents_get(set, i);
            if (!inc || p->n_evidence > inc->n_evidence)
                inc = p;
        }
        with_record += inc != NULL;
        size_t nrec = casus_incidents_count(set);
        const char *text = buf_cstr(&col[5]);

        /* country and city, by where_eval's reading of the gold location */
        char loc[1024];
        snprintf(loc, sizeof loc, "%s", buf_cstr(&col[4]));
        char *parts[8];
        int np = 0;
        for (char *p = loc; p && np < 8;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            parts[np++] = trim(p);
            p = comma ? comma + 1 : NULL;
        }
        char ga3[4] = "";
        if (np > 0 && gold_country(ix, parts[np - 1], ga3)) {
            int ok = inc && inc->has_location && !strcmp(inc->location_country, ga3);
            country.n++;
            country.ok += ok;
            where_doc(ix, doc, 0, &places);
            if (places.n) {
                country_named.n++;
                country_named.ok += ok;
            }
            /* the text names the gold country or a place in it (a
             * nationality word too): what a record can say without
             * guessing */
            int stated = 0;
            for (size_t i = 0; i < places.n && !stated; i++)
                stated = !strcmp(places.v[i].country, ga3);
            if (stated) {
                country_stated.n++;
                country_stated.ok += ok;
            }
            if (!ok && shown[0]++ < show) {
                /* the resolver's places of the text (name/country, "d" a
                 * nationality word, "s" of the state, "o" an origin) */
                char pl[512] = "";
                for (size_t i = 0, o = 0; i < places.n && o + 64 < sizeof pl; i++) {
                    const where_place *q = &places.v[i];
                    int k = snprintf(pl + o, sizeof pl - o, "%s%s/%s%s%s%s", i ? ";" : "", q->name,
                                     q->country, q->flags & WHERE_VIA_DEMONYM ? "/d" : "",
                                     q->flags & WHERE_STATE ? "/s" : "",
                                     q->flags & (WHERE_ORIGIN | WHERE_BORDER) ? "/o" : "");
                    o += k > 0 ? (size_t)k : 0;
                }
                fprintf(stderr, "COUNTRY gold=%s got=%s recs=%zu places=[%s] | %.*s\n", ga3,
                        inc && inc->has_location ? inc->location_country : "-", nrec, pl, width,
                        text);
            }
            if (np >= 2) {
                parts[0] = gold_place_name(parts[0]);
                where_place g;
                int found = where_lookup(ix, parts[0], strlen(parts[0]), ga3, WHERE_NONE,
                                         &g) == CASUS_OK;
                int is_city = 1;
                if (found && g.precision != WHERE_CITY) {
                    where_place gc;
                    if (where_lookup(ix, parts[0], strlen(parts[0]), ga3, WHERE_CITY, &gc) !=
                            CASUS_OK || g.precision == WHERE_COUNTRY)
                        is_city = 0;
                    else
                        g = gc;
                }
                if (is_city) {
                    /* the record's name without the administrative word
                     * the gold loses too ("Bajaur Agency", "Kech
                     * District": the same rule on both sides) */
                    char rn[sizeof inc->location_name];
                    snprintf(rn, sizeof rn, "%s", inc && inc->has_location ? inc->location_name : "");
                    const char *rname = gold_place_name(rn);
                    int strict = inc && inc->has_location &&
                                 !strcmp(inc->location_precision, "city") &&
                                 !strcmp(inc->location_country, ga3) &&
                                 (same_name(inc->location_name, parts[0]) ||
                                  (found && fabs(inc->lat - g.lat) < 1e-3 &&
                                   fabs(inc->lon - g.lon) < 1e-3));
                    int yok = strict || (inc && inc->has_location &&
                                         !strcmp(inc->location_country, ga3) &&
                                         (same_place_name(inc->location_name, parts[0]) ||
                                          same_place_name(rname, parts[0]) ||
                                          gold_names_record(ix, parts[0], ga3, inc)));
                    city.n++;
                    city.ok += yok;
                    city.exact += strict;
                    if (text_spells(text, parts[0])) {
                        city_stated.n++;
                        city_stated.ok += yok;
                    }
                    if (!yok && shown[1]++ < show)
                        fprintf(stderr, "CITY gold=%s/%s got=%s/%s recs=%zu | %.*s\n", parts[0],
                                ga3, inc && inc->has_location ? inc->location_name : "-",
                                inc && inc->has_location ? inc->location_country : "-", nrec,
                                width, text);
                }
            }
        }

        /* perpetrator */
        char gp[256];
        snprintf(gp, sizeof gp, "%s", buf_cstr(&col[6]));
        char *susp = strstr(gp, " (suspected)");
        if (susp)
            *susp = '\0';
        char *g = trim(gp);
        if (*g && strcasecmp(g, "unknown") && strcasestr(text, g)) {
            const char *gcode = NULL;
            casus_dicts_lookup_actor(ctx, d, g, doc->date, &gcode);
            int ok = 0;
            for (size_t i = 0; inc && i < inc->n_perpetrators && !ok; i++) {
                const casus_incident_party *q = &inc->perpetrators[i];
                ok = same_name(q->name, g) || fold_contains(q->name, g) ||
                     fold_contains(g, q->name) ||
                     (gcode && *gcode && !strcmp(gcode, q->code));
            }
            perp.n++;
            perp.ok += ok;
            if (!ok && shown[2]++ < show)
                fprintf(stderr, "PERP gold=%s got=%s recs=%zu | %.*s\n", g,
                        inc && inc->n_perpetrators ? inc->perpetrators[0].name : "-", nrec, width, text);
        }

        /* method */
        const char *const *modes = gold_modes(buf_cstr(&col[1]));
        if (modes) {
            int ok = 0;
            for (size_t i = 0; inc && modes[i]; i++)
                ok |= !strcmp(inc->method, modes[i]);
            method.n++;
            method.ok += ok;
            if (!ok && shown[3]++ < show)
                fprintf(stderr, "METHOD gold=%s got=%s recs=%zu | %.*s\n", buf_cstr(&col[1]),
                        inc && *inc->method ? inc->method : "-", nrec, width, text);
        }

        /* counts */
        long gd = atol(buf_cstr(&col[2])), gi = atol(buf_cstr(&col[3]));
        casus_count none = {CASUS_COUNT_NONE, CASUS_COUNT_NONE};
        if (gd > 0 && text_states(doc, gd)) {
            size_t before = killed.ok;
            score_count(&killed, inc ? inc->killed : none, gd, doc);
            if (killed.ok == before && shown[4]++ < show)
                fprintf(stderr, "KILLED gold=%ld got=%lld recs=%zu | %.*s\n", gd,
                        inc ? (long long)inc->killed.min : -1, nrec, width, text);
        }
        if (gi > 0 && text_states(doc, gi)) {
            size_t before = injured.ok;
            score_count(&injured, inc ? inc->injured : none, gi, doc);
            if (injured.ok == before && shown[5]++ < show)
                fprintf(stderr, "INJURED gold=%ld got=%lld recs=%zu | %.*s\n", gi,
                        inc ? (long long)inc->injured.min : -1, nrec, width, text);
        }
    }
    printf("%s: %zu rows, %zu with an incident record; gazetteer %s\n", path, rows,
           with_record, where_index_path(ix));
    print_fig("country", &country, "gold country known");
    print_fig("  named", &country_named, "and the text names a place");
    print_fig("  stated", &country_stated, "and the text names it or a place in it");
    print_fig("city", &city, "gold city known");
    printf("%-12s %5.1f%% of %5zu rows (the record of city precision)\n", "  strict",
           city.n ? 100.0 * (double)city.exact / (double)city.n : 0, city.n);
    print_fig("  stated", &city_stated, "and the text spells it");
    print_fig("perpetrator", &perp, "gold perpetrator named in the text");
    print_fig("method", &method, "gold type maps to a PLOVER mode");
    print_fig("killed", &killed, "gold dead > 0, stated in the text");
    printf("%-12s %5.1f%% of %5zu rows (min of the range exact)\n", "  exact",
           killed.n ? 100.0 * (double)killed.exact / (double)killed.n : 0, killed.n);
    print_fig("injured", &injured, "gold injured > 0, stated in the text");
    printf("%-12s %5.1f%% of %5zu rows (min of the range exact)\n", "  exact",
           injured.n ? 100.0 * (double)injured.exact / (double)injured.n : 0, injured.n);
    printf("speed: analyse+tag+parse %.2f s, incidents %.2f s (+%.1f%%)\n", t_core, t_inc,
           t_core > 0 ? 100.0 * t_inc / t_core : 0);
    for (int k = 0; k < NCOL; k++)
        buf_free(ctx, &col[k]);
    where_vec_free(ctx, &places);
    casus_doc_free(doc);
    where_index_close(ix);
    casus_incidents_free(set);
    casus_dicts_free(d);
    casus_models_free(m);
    casus_ctx_free(ctx);
    free(s);
    return 0;
}
