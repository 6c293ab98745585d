/*
 * where_eval.c - place resolution quality on the Wikipedia incident lists.
 *
 *   build/bench/where_eval [FILE.csv] [--gazetteer F] [--errors N]
 *                          [--min-country X] [--min-city X]
 *
 * FILE (default ../shared/data/wiki-incidents/incidents.dev.csv) has the
 * columns date,type,dead,injured,location,details,perpetrator. Each row's
 * `details` text is read as one document (casus tokenization, sentences),
 * places are resolved (where.c) and the best one (where_best) is compared
 * with the gold `location`, written "City, Country", "City, Region,
 * Country", "Region, Country" or "Country":
 *
 *   country  the last part, resolved through the gazetteer as a country
 *            (or, failing that, any place, whose country counts:
 *            "East Jerusalem"); rows whose last part names no place are
 *            left out. Correct when the best place's country is the same.
 *   city     rows with at least two parts whose first part is not a
 *            country or a subdivision in the gazetteer. Correct when the
 *            best place is a city and is the place the first part names in
 *            the gold country, or has the same folded name.
 *
 * Accuracy counts a row without a prediction as wrong; coverage says how
 * many rows had one. This is only the place part of the incident bar of
 * issue 5, so the figures are preliminary. With --errors N, the first N
 * mistakes of each kind go to stderr.
 */
#define _GNU_SOURCE   /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "doc.h"
#include "util/buf.h"
#include "where.h"

#include "wiki_gold.h"

/* --text: every place found in one text, for looking into mistakes */
static int show_text(const char *gaz, const char *text)
{
    casus_ctx *ctx = casus_ctx_new();
    where_index *ix = NULL;
    if (!ctx || where_index_open(ctx, gaz, &ix) != CASUS_OK) {
        fprintf(stderr, "where_eval: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    casus_doc *doc = casus_doc_new(ctx);
    where_vec v = {0};
    if (!doc || buf_append(ctx, &doc->raw, text, strlen(text)) != CASUS_OK ||
        casus_doc_analyze(doc) != CASUS_OK || where_doc(ix, doc, WHERE_NOTES, &v) != CASUS_OK) {
        fprintf(stderr, "where_eval: %s\n", casus_ctx_message(ctx));
        return 2;
    }
    const where_place *best = where_best(&v);
    for (size_t i = 0; i < v.n; i++) {
        const where_place *p = &v.v[i];
        printf("%s%.*s -> %s | %s | %s | %.4f,%.4f | precision %d flags %u score %d\n",
               p == best ? "* " : "  ", (int)(p->end - p->start), text + p->start,
               p->name, p->admin1, p->country, p->lat, p->lon, (int)p->precision,
               p->flags, p->score);
    }
    where_vec_free(ctx, &v);
    casus_doc_free(doc);
    where_index_close(ix);
    casus_ctx_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *gaz = NULL, *text = NULL;
    long show = 0;
    double min_country = -1, min_city = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--gazetteer") && i + 1 < argc)
            gaz = argv[++i];
        else if (!strcmp(argv[i], "--errors") && i + 1 < argc)
            show = atol(argv[++i]);
        else if (!strcmp(argv[i], "--text") && i + 1 < argc)
            text = argv[++i];
        else if (!strcmp(argv[i], "--min-country") && i + 1 < argc)
            min_country = atof(argv[++i]);
        else if (!strcmp(argv[i], "--min-city") && i + 1 < argc)
            min_city = atof(argv[++i]);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: where_eval [FILE.csv] [--gazetteer F] "
                            "[--errors N] [--min-country X] [--min-city X]\n");
            return 2;
        }
    }
    if (!path) {
        const char *sh = getenv("SHARED");
        static char def[512];
        snprintf(def, sizeof def, "%s/data/wiki-incidents/incidents.dev.csv",
                 sh ? sh : "../shared");
        path = def;
    }
    if (text)
        return show_text(gaz, text);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("where_eval: skipped: %s not present\n", path);
        return 0;
    }
    size_t n;
    char *s = wiki_read_all(f, &n);
    casus_ctx *ctx = casus_ctx_new();
    where_index *ix = NULL;
    double t0 = now();
    if (!s || !ctx || where_index_open(ctx, gaz, &ix) != CASUS_OK) {
        fprintf(stderr, "where_eval: %s\n", ctx ? casus_ctx_message(ctx) : "out of memory");
        return 2;
    }
    double load_ms = (now() - t0) * 1000;
    casus_doc *doc = casus_doc_new(ctx);
    where_vec places = {0};
    buf col[NCOL];
    for (int k = 0; k < NCOL; k++)
        col[k] = (buf)BUF_INIT;
    size_t pos = 0, rows = 0;
    size_t c_gold = 0, c_pred = 0, c_ok = 0;
    size_t y_gold = 0, y_pred = 0, y_ok = 0;
    size_t m_gold = 0, m_ok = 0;    /* city rows whose text names the city */
    long c_shown = 0, y_shown = 0;
    size_t by_n[6] = {0}, by_ok[6] = {0};   /* by precision; 5: demonym */
    double t_where = 0;
    csv_record(s, n, &pos, ctx, col, NCOL);     /* header */
    while (csv_record(s, n, &pos, ctx, col, NCOL)) {
        rows++;
        doc_reset(doc);
        buf_append(ctx, &doc->raw, col[5].p ? col[5].p : "", col[5].n);
        buf_printf(ctx, &doc->id, "row%zu", rows);
        if (casus_doc_analyze(doc) != CASUS_OK) {
            fprintf(stderr, "where_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        double a = now();
        if (where_doc(ix, doc, 0, &places) != CASUS_OK) {
            fprintf(stderr, "where_eval: %s\n", casus_ctx_message(ctx));
            return 2;
        }
        t_where += now() - a;
        const where_place *best = where_best(&places);

        /* gold */
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
        if (np == 0 || !gold_country(ix, parts[np - 1], ga3))
            continue;
        c_gold++;
        if (best) {
            c_pred++;
            int kind = (best->flags & WHERE_VIA_DEMONYM) ? 5 : (int)best->precision;
            by_n[kind]++;
            if (!strcmp(best->country, ga3)) {
                c_ok++;
                by_ok[kind]++;
            }
        }
        if (best ? strcmp(best->country, ga3) != 0 : 1) {
            if (c_shown++ < show)
                fprintf(stderr, "COUNTRY gold=%s (%s) got=%s (%s) | %.200s\n", ga3,
                        buf_cstr(&col[4]), best ? best->country : "-",
                        best ? best->name : "-", buf_cstr(&col[5]));
        }
        if (np < 2)
            continue;
        parts[0] = gold_place_name(parts[0]);
        where_place g;
        int found = where_lookup(ix, parts[0], strlen(parts[0]), ga3, WHERE_NONE,
                                 &g) == CASUS_OK;
        if (found && g.precision != WHERE_CITY) {
            /* a subdivision or country named first: not a city row */
            where_place gc;
            if (where_lookup(ix, parts[0], strlen(parts[0]), ga3, WHERE_CITY, &gc) !=
                    CASUS_OK ||
                g.precision == WHERE_COUNTRY)
                continue;
            g = gc;
        }
        y_gold++;
        int ok = 0;
        if (best && best->precision == WHERE_CITY) {
            y_pred++;
            ok = (found && best->id == g.id) || same_name(best->name, parts[0]);
            /* "Toulouse and Lyon", "Jizan & Najran" */
            for (char *p = parts[0]; !ok && p; ) {
                char *sep = strstr(p, " and ");
                size_t len = sep ? (size_t)(sep - p) : strlen(p);
                char one[256];
                snprintf(one, sizeof one, "%.*s", (int)len, p);
                ok = same_name(best->name, one);
                p = sep ? sep + 5 : NULL;
            }
            y_ok += ok;
        }
        if (strcasestr(buf_cstr(&col[5]), parts[0])) {
            m_gold++;
            m_ok += ok;
        }
        if (!ok && y_shown++ < show)
            fprintf(stderr, "CITY gold=%s%s got=%s (%s) | %.200s\n", parts[0],
                    found ? "" : " [not in gazetteer]", best ? best->name : "-",
                    best ? best->country : "-", buf_cstr(&col[5]));
    }
    double cacc = c_gold ? 100.0 * (double)c_ok / (double)c_gold : 0;
    double yacc = y_gold ? 100.0 * (double)y_ok / (double)y_gold : 0;
    printf("%s: %zu rows; gazetteer %s (%zu places, %zu names, load %.1f ms)\n",
           path, rows, where_index_path(ix), where_index_places(ix),
           where_index_names(ix), load_ms);
    printf("country: %5.1f%% correct of %zu rows with a gold country "
           "(predicted %zu, %.1f%% of those right)\n",
           cacc, c_gold, c_pred, c_pred ? 100.0 * (double)c_ok / (double)c_pred : 0);
    static const char *const kname[6] = {"-", "country", "subdivision", "district", "city",
                                          "nationality"};
    printf("         best place by kind:");
    for (int k = 1; k < 6; k++)
        printf(" %s %zu (%.0f%% right)%s", kname[k], by_n[k],
               by_n[k] ? 100.0 * (double)by_ok[k] / (double)by_n[k] : 0, k < 5 ? "," : "\n");
    printf("city:    %5.1f%% correct of %zu rows with a gold city "
           "(a city predicted for %zu, %.1f%% of those right)\n",
           yacc, y_gold, y_pred, y_pred ? 100.0 * (double)y_ok / (double)y_pred : 0);
    printf("         of the %zu city rows whose text spells the gold city: %.1f%% correct\n",
           m_gold, m_gold ? 100.0 * (double)m_ok / (double)m_gold : 0);
    printf("place lookup: %.1f ms for %zu documents (%.1f us each)\n", t_where * 1000,
           rows, rows ? t_where * 1e6 / (double)rows : 0);
    int fail = (min_country >= 0 && cacc < min_country) ||
               (min_city >= 0 && yacc < min_city);
    if (fail)
        printf("where_eval: below the bar (country %.1f, city %.1f)\n", min_country,
               min_city);
    for (int k = 0; k < NCOL; k++)
        buf_free(ctx, &col[k]);
    where_vec_free(ctx, &places);
    casus_doc_free(doc);
    where_index_close(ix);
    casus_ctx_free(ctx);
    free(s);
    return fail;
}
