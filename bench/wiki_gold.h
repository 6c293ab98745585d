/*
 * wiki_gold.h - what the Wikipedia incident evaluations share
 * (bench/incident_eval.c, bench/where_eval.c, bench/iran_case_study.c):
 * reading incidents.dev.csv (RFC 4180 records of NCOL fields), and reading
 * the gold `location` column's country and place names against the
 * gazetteer. Static inline functions: each evaluation is one program and
 * uses what it needs.
 */
#ifndef CASUS_BENCH_WIKI_GOLD_H
#define CASUS_BENCH_WIKI_GOLD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "util/buf.h"
#include "where.h"

#define NCOL 7

/* Reads all of fp (and closes it) into a malloc'd buffer, its length in
 * *n; NULL when out of memory. */
static inline char *wiki_read_all(FILE *fp, size_t *n)
{
    size_t cap = 1 << 21;
    char *s = malloc(cap);
    *n = 0;
    for (size_t k; s && (k = fread(s + *n, 1, cap - *n, fp)) > 0;) {
        *n += k;
        if (*n == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                free(s);
            s = t;
        }
    }
    fclose(fp);
    return s;
}

/* Reads one CSV record (RFC 4180) from s[*pos..n) into fields. */
static inline int csv_record(const char *s, size_t n, size_t *pos, casus_ctx *ctx,
                      buf *f, int nf)
{
    size_t i = *pos;
    if (i >= n)
        return 0;
    for (int k = 0; k < nf; k++)
        buf_reset(&f[k]);
    int k = 0;
    for (;;) {
        if (i < n && s[i] == '"') {
            i++;
            while (i < n) {
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        if (k < nf)
                            buf_putc(ctx, &f[k], '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (k < nf)
                    buf_putc(ctx, &f[k], s[i]);
                i++;
            }
        }
        while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
            if (k < nf)
                buf_putc(ctx, &f[k], s[i]);
            i++;
        }
        if (i < n && s[i] == ',') {
            i++;
            k++;
            continue;
        }
        while (i < n && (s[i] == '\r' || s[i] == '\n')) {
            i++;
            break;
        }
        if (i < n && s[i] == '\n')
            i++;
        break;
    }
    *pos = i;
    return 1;
}

static inline char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* The country (alpha-3 into a3) that gold text names; 0 if none. */
static inline int gold_country(const where_index *ix, char *part, char a3[4])
{
    where_place p;
    static const char *const lead[] = {"across ", "Across ", "near ", "northern ",
                                       "southern ", "eastern ", "western ",
                                       "central ", "Northern ", "Southern ",
                                       "Eastern ", "Western ", "Northwest ",
                                       "Northwestern ", NULL};
    if (where_lookup(ix, part, strlen(part), NULL, WHERE_COUNTRY, &p) == CASUS_OK) {
        memcpy(a3, p.country, 4);
        return 1;
    }
    for (int i = 0; lead[i]; i++)
        if (!strncmp(part, lead[i], strlen(lead[i])) &&
            where_lookup(ix, part + strlen(lead[i]), strlen(part) - strlen(lead[i]),
                         NULL, WHERE_COUNTRY, &p) == CASUS_OK) {
            memcpy(a3, p.country, 4);
            return 1;
        }
    if (where_lookup(ix, part, strlen(part), NULL, WHERE_COUNTRY, &p) == CASUS_OK ||
        where_lookup(ix, part, strlen(part), NULL, WHERE_NONE, &p) == CASUS_OK) {
        memcpy(a3, p.country, 4);
        return 1;
    }
    /* "Haifa Israel": the last words */
    for (char *sp = strchr(part, ' '); sp; sp = strchr(sp + 1, ' '))
        if (where_lookup(ix, sp + 1, strlen(sp + 1), NULL, WHERE_COUNTRY, &p) ==
            CASUS_OK) {
            memcpy(a3, p.country, 4);
            return 1;
        }
    return 0;
}

static inline int same_name(const char *a, const char *b)
{
    char fa[256], fb[256];
    size_t na = where_fold(a, strlen(a), fa, sizeof fa);
    size_t nb = where_fold(b, strlen(b), fb, sizeof fb);
    return na && na == nb && !memcmp(fa, fb, na);
}

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The place name of a gold location part, without a direction or "near"
 * before it and an administrative word after it ("Northern Jerusalem",
 * "near Tessalit", "Kupwara district"). Edits part in place. */
static inline char *gold_place_name(char *part)
{
    static const char *const lead[] = {"Northern ", "Southern ", "Eastern ",
                                       "Western ", "Central ", "near ", "Near ",
                                       "northern ", "southern ", "eastern ",
                                       "western ", "central ", "outside ", NULL};
    for (int i = 0; lead[i]; i++)
        if (!strncmp(part, lead[i], strlen(lead[i])))
            part += strlen(lead[i]);
    static const char *const tail[] = {" district", " District", " Province",
                                       " province", " Governorate", " city",
                                       " City", " Region", " region", " State",
                                       " Department", " department", " Agency",
                                       " agency", NULL};
    for (int i = 0; tail[i]; i++) {
        size_t pl = strlen(part), tl = strlen(tail[i]);
        if (pl > tl && !strcmp(part + pl - tl, tail[i]))
            part[pl - tl] = '\0';
    }
    return part;
}

#endif
