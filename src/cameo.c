/*
 * cameo.c - the CAMEO event code table and its public helpers.
 *
 * Where it sits: the event coder (and exporters) ask here for a code's name,
 * Goldstein score, QuadClass/PentaClass and PLOVER type; the dictionary
 * loaders ask whether a code in a verb dictionary is a CAMEO code.
 *
 * The table (src/cameo_table.h) is generated and sorted by code string, so
 * lookups are a bisection. Codes are strings because the leading zero is
 * significant ("0231" is not "231").
 */
#include "cameo.h"

#include <math.h>
#include <string.h>

#include "cameo_table.h"

#define NTAB (sizeof cameo_table / sizeof cameo_table[0])

size_t cameo_count(void) { return NTAB; }

const cameo_entry *cameo_at(size_t i) { return i < NTAB ? &cameo_table[i] : NULL; }

static int cmp_slice(const char *a, const char *s, size_t n)
{
    size_t la = strlen(a), m = la < n ? la : n;
    int c = memcmp(a, s, m);
    if (c)
        return c;
    return la < n ? -1 : la > n;
}

const cameo_entry *cameo_find(const char *s, size_t n)
{
    size_t lo = 0, hi = NTAB;
    if (!s || n == 0 || n > 4)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_slice(cameo_table[mid].code, s, n);
        if (c == 0)
            return &cameo_table[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const cameo_entry *cameo_find_or_parent(const char *s, size_t n)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return NULL;
    while (n >= 2) {
        const cameo_entry *e = cameo_find(s, n);
        if (e)
            return e;
        n--;
    }
    return NULL;
}

int cameo_root(const char *s, size_t n)
{
    if (!s || n < 2 || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9')
        return 0;
    int r = (s[0] - '0') * 10 + (s[1] - '0');
    return r >= 1 && r <= 20 ? r : 0;
}

static int code_one_valid(const char *s, size_t n)
{
    if (n == 3 && memcmp(s, "---", 3) == 0)
        return 1;
    return cameo_find(s, n) != NULL;
}

int cameo_code_valid(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return n > 0 && code_one_valid(s, n);
    size_t a = (size_t)(colon - s), b = n - a - 1;
    if (a == 0 && b == 0)
        return 0;
    return (a == 0 || code_one_valid(s, a)) && (b == 0 || code_one_valid(colon + 1, b));
}

/* ---------------------------------------------------------------- public */

static int quad_of_root(int r)
{
    return r <= 0 ? 0 : r <= 5 ? 1 : r <= 8 ? 2 : r <= 13 ? 3 : 4;
}

static int penta_of_root(int r)
{
    return r <= 0 ? -1 : r <= 2 ? 0 : r <= 5 ? 1 : r <= 8 ? 2 : r <= 13 ? 3 : 4;
}

casus_status casus_cameo_lookup(const char *code, casus_cameo_info *out)
{
    if (!code || !out)
        return CASUS_EINVAL;
    size_t n = strlen(code);
    const cameo_entry *e = cameo_find_or_parent(code, n);
    if (!e)
        return CASUS_EINVAL;
    int r = cameo_root(e->code, strlen(e->code));
    out->code = e->code;
    out->name = e->name;
    out->goldstein = e->goldstein;
    out->quad_class = quad_of_root(r);
    out->penta_class = penta_of_root(r);
    out->plover_type = e->plover_type;
    out->plover_mode = e->plover_mode;
    out->plover_context = e->plover_context;
    return CASUS_OK;
}

double casus_cameo_goldstein(const char *code)
{
    casus_cameo_info i;
    return casus_cameo_lookup(code, &i) == CASUS_OK ? i.goldstein : NAN;
}

int casus_cameo_quad_class(const char *code)
{
    casus_cameo_info i;
    return casus_cameo_lookup(code, &i) == CASUS_OK ? i.quad_class : 0;
}

const char *casus_cameo_plover(const char *code)
{
    casus_cameo_info i;
    if (casus_cameo_lookup(code, &i) != CASUS_OK || !i.plover_type[0])
        return NULL;
    return i.plover_type;
}
