/*
 * forecast_data.c - reads a temporal knowledge graph in the ICEWS layout.
 *
 * The first stage of forecasting (see forecast.c): a directory with
 * entity2id.txt, relation2id.txt, train.txt, valid.txt and test.txt becomes a
 * casus_forecast_data holding three arrays of fc_quad and the two name maps.
 * Files are read whole (they are a few megabytes) and parsed in place; there
 * is one allocation per array, none per fact. Every rule the forecaster
 * relies on is checked here, so later stages can trust the data:
 *   - map lines are "name<TAB>id" with ids exactly 0..n-1, each once;
 *   - quadruple lines are four or five integers; ids are in the maps;
 *   - time never decreases within a split, nor from one split to the next.
 * Any violation fails with CASUS_EFORMAT and "file:line: cause".
 */
#include "forecast_data.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "util/mem.h"

/* Reads a whole file into a NUL-terminated buffer owned by the caller. */
static casus_status read_file(casus_ctx *ctx, const char *path, char **out,
                              size_t *len)
{
    casus_status st = CASUS_OK;
    char *p = NULL;
    size_t n = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    if (!f)
        return ctx_fail(ctx, CASUS_EIO, "%s: %s", path, strerror(errno));
    for (;;) {
        if (mem_grow(ctx, (void **)&p, &cap, n + 65537, 1) != CASUS_OK) {
            st = CASUS_ENOMEM;
            goto done;
        }
        size_t k = fread(p + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        st = ctx_fail(ctx, CASUS_EIO, "%s: read error", path);
        goto done;
    }
    p[n] = '\0';
    *out = p;
    *len = n;
    p = NULL;
done:
    mem_free(ctx, p);
    fclose(f);
    return st;
}

/* The next line of text[*pos..len) without its "\n" or "\r\n". */
static int next_line(const char *text, size_t len, size_t *pos,
                     const char **line, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *p = text + *pos;
    const char *nl = memchr(p, '\n', len - *pos);
    size_t k = nl ? (size_t)(nl - p) : len - *pos;
    *pos += k + (nl ? 1 : 0);
    if (k && p[k - 1] == '\r')
        k--;
    *line = p;
    *n = k;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(p[i]))
            return 0;
    return 1;
}

/*
 * Parses an optionally signed decimal integer at p[*i..n), skipping leading
 * blanks. 0 on success; -1 when there is no number or it is not followed by
 * a blank or the end; -2 when it overflows int64.
 */
static int parse_int(const char *p, size_t n, size_t *i, int64_t *v)
{
    size_t k = *i;
    while (k < n && is_space(p[k]))
        k++;
    int neg = 0;
    if (k < n && (p[k] == '-' || p[k] == '+'))
        neg = p[k++] == '-';
    if (k >= n || p[k] < '0' || p[k] > '9')
        return -1;
    int64_t x = 0;
    while (k < n && p[k] >= '0' && p[k] <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return -2;
        x = x * 10 + (p[k++] - '0');
    }
    if (k < n && !is_space(p[k]))
        return -1;
    *v = neg ? -x : x;
    *i = k;
    return 0;
}

casus_status fc_parse_quads(casus_ctx *ctx, const char *name, const char *text,
                            size_t len, uint32_t n_ent, uint32_t n_rel,
                            int32_t min_t, fc_quad **out, size_t *n)
{
    casus_status st = CASUS_OK;
    fc_quad *q = NULL;
    size_t nq = 0, cap = 0, pos = 0;
    unsigned long lineno = 0;
    const char *line;
    size_t ln;
    int32_t prev_t = min_t;
    *out = NULL;
    *n = 0;
    while (next_line(text, len, &pos, &line, &ln)) {
        lineno++;
        if (blank(line, ln))
            continue;
        int64_t f[5];
        size_t i = 0;
        int nf = 0;
        while (nf < 5) {
            int rc = parse_int(line, ln, &i, &f[nf]);
            if (rc == -2) {
                st = ctx_fail(ctx, CASUS_EFORMAT, "%s:%lu: number too large",
                              name, lineno);
                goto done;
            }
            if (rc)
                break;
            nf++;
        }
        if (nf < 4 || !blank(line + i, ln - i)) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: expected 'subject relation object time', "
                          "four integers", name, lineno);
            goto done;
        }
        if (f[0] < 0 || f[0] >= (int64_t)n_ent || f[2] < 0 ||
            f[2] >= (int64_t)n_ent) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: unknown entity id %lld (entity2id.txt has "
                          "%u)", name, lineno,
                          (long long)(f[0] < 0 || f[0] >= (int64_t)n_ent
                                          ? f[0] : f[2]), n_ent);
            goto done;
        }
        if (f[1] < 0 || f[1] >= (int64_t)n_rel) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: unknown relation id %lld (relation2id.txt "
                          "has %u)", name, lineno, (long long)f[1], n_rel);
            goto done;
        }
        if (f[3] < 0 || f[3] > INT32_MAX / 2) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: time %lld out of range (0..%d)", name,
                          lineno, (long long)f[3], INT32_MAX / 2);
            goto done;
        }
        if (f[3] < prev_t) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: time goes backwards (%lld after %ld); "
                          "splits must be sorted by time and follow each "
                          "other", name, lineno, (long long)f[3],
                          (long)prev_t);
            goto done;
        }
        if (mem_grow(ctx, (void **)&q, &cap, nq + 1, sizeof *q) != CASUS_OK) {
            st = CASUS_ENOMEM;
            goto done;
        }
        prev_t = (int32_t)f[3];
        q[nq].s = (uint32_t)f[0];
        q[nq].r = (uint32_t)f[1];
        q[nq].o = (uint32_t)f[2];
        q[nq].t = prev_t;
        nq++;
    }
    *out = q;
    *n = nq;
    q = NULL;
done:
    mem_free(ctx, q);
    return st;
}

/* Appends s[0..n) and a NUL to the names buffer; the offset in *off. */
static casus_status add_name(casus_ctx *ctx, casus_forecast_data *d,
                             size_t *used, size_t *cap, const char *s,
                             size_t n, uint32_t *off)
{
    if (*used > UINT32_MAX - n - 1)
        return ctx_fail(ctx, CASUS_ETOOBIG, "id maps too large");
    if (mem_grow(ctx, (void **)&d->names, cap, *used + n + 1, 1) != CASUS_OK)
        return CASUS_ENOMEM;
    memcpy(d->names + *used, s, n);
    d->names[*used + n] = '\0';
    *off = (uint32_t)*used;
    *used += n + 1;
    return CASUS_OK;
}

/* Parses a "name<TAB>id" map into *offs (one name offset per id). */
static casus_status parse_map(casus_ctx *ctx, casus_forecast_data *d,
                              const char *name, const char *text, size_t len,
                              size_t *used, size_t *cap, uint32_t **offs,
                              uint32_t *count)
{
    casus_status st = CASUS_OK;
    size_t pos = 0, n = 0;
    const char *line;
    size_t ln;
    unsigned long lineno = 0;
    /* Count entries first: ids must be exactly 0..n-1. */
    while (next_line(text, len, &pos, &line, &ln))
        if (!blank(line, ln))
            n++;
    if (n == 0)
        return ctx_fail(ctx, CASUS_EFORMAT, "%s: no entries", name);
    if (n > UINT32_MAX / 2)
        return ctx_fail(ctx, CASUS_ETOOBIG, "%s: too many entries", name);
    uint32_t *o = mem_alloc(ctx, n * sizeof *o);
    if (!o)
        return CASUS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        o[i] = UINT32_MAX;
    pos = 0;
    while (next_line(text, len, &pos, &line, &ln)) {
        lineno++;
        if (blank(line, ln))
            continue;
        /* The id is the last field; the name is what precedes its
         * separator (names may hold spaces; a tab is preferred). */
        size_t e = ln;
        while (e > 0 && is_space(line[e - 1]))
            e--;
        size_t b = e;
        while (b > 0 && !is_space(line[b - 1]))
            b--;
        size_t k = b;
        int64_t id;
        if (b == 0 || parse_int(line, e, &k, &id) != 0 || k != e) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: expected 'name<TAB>id'", name, lineno);
            goto done;
        }
        if (id < 0 || (uint64_t)id >= n) {
            st = ctx_fail(ctx, CASUS_EFORMAT,
                          "%s:%lu: id %lld out of range (ids must be 0..%zu)",
                          name, lineno, (long long)id, n - 1);
            goto done;
        }
        if (o[id] != UINT32_MAX) {
            st = ctx_fail(ctx, CASUS_EFORMAT, "%s:%lu: duplicate id %lld",
                          name, lineno, (long long)id);
            goto done;
        }
        size_t ne = b;
        while (ne > 0 && is_space(line[ne - 1]))
            ne--;
        st = add_name(ctx, d, used, cap, line, ne, &o[id]);
        if (st != CASUS_OK)
            goto done;
    }
    *offs = o;
    *count = (uint32_t)n;
    o = NULL;
done:
    mem_free(ctx, o);
    return st;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void casus_forecast_data_free(casus_forecast_data *d)
{
    if (!d)
        return;
    casus_ctx *ctx = d->ctx;
    mem_free(ctx, d->names);
    mem_free(ctx, d->ent_name);
    mem_free(ctx, d->rel_name);
    for (int i = 0; i < FC_NSPLIT; i++)
        mem_free(ctx, d->quad[i]);
    mem_free(ctx, d);
}

casus_status casus_forecast_data_open(casus_ctx *ctx, const char *dir,
                                      casus_forecast_data **out)
{
    static const char *const files[] = {"entity2id.txt", "relation2id.txt",
                                        "train.txt", "valid.txt", "test.txt"};
    casus_status st = CASUS_OK;
    casus_forecast_data *d = NULL;
    char *text = NULL;
    size_t len, used = 0, cap = 0;
    char path[4096];
    *out = NULL;
    if (!dir || !*dir)
        return ctx_fail(ctx, CASUS_EINVAL, "forecast: no data directory");
    d = mem_alloc(ctx, sizeof *d);
    if (!d)
        return CASUS_ENOMEM;
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->step = 1;
    int32_t min_t = 0;
    for (int f = 0; f < 5; f++) {
        int k = snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        if (k < 0 || (size_t)k >= sizeof path) {
            st = ctx_fail(ctx, CASUS_EINVAL, "%s: path too long", dir);
            goto done;
        }
        st = read_file(ctx, path, &text, &len);
        if (st != CASUS_OK)
            goto done;
        if (f == 0)
            st = parse_map(ctx, d, path, text, len, &used, &cap,
                           &d->ent_name, &d->n_ent);
        else if (f == 1)
            st = parse_map(ctx, d, path, text, len, &used, &cap,
                           &d->rel_name, &d->n_rel);
        else {
            int sp = f - 2;
            st = fc_parse_quads(ctx, path, text, len, d->n_ent, d->n_rel,
                                min_t, &d->quad[sp], &d->n_quad[sp]);
            if (st == CASUS_OK && d->n_quad[sp])
                min_t = d->quad[sp][d->n_quad[sp] - 1].t;
        }
        mem_free(ctx, text);
        text = NULL;
        if (st != CASUS_OK)
            goto done;
    }
    /* The time step: gcd of gaps between consecutive distinct times. */
    {
        int64_t g = 0, prev = -1;
        for (int sp = 0; sp < FC_NSPLIT; sp++)
            for (size_t i = 0; i < d->n_quad[sp]; i++) {
                int64_t t = d->quad[sp][i].t;
                if (prev >= 0 && t != prev)
                    g = gcd64(t - prev, g);
                prev = t;
            }
        d->step = g > 0 ? (int32_t)g : 1;
    }
    *out = d;
    d = NULL;
done:
    mem_free(ctx, text);
    casus_forecast_data_free(d);
    return st;
}

uint32_t casus_forecast_data_entities(const casus_forecast_data *d)
{
    return d->n_ent;
}

uint32_t casus_forecast_data_relations(const casus_forecast_data *d)
{
    return d->n_rel;
}

size_t casus_forecast_data_size(const casus_forecast_data *d,
                                casus_forecast_split split)
{
    return (int)split >= 0 && (int)split < FC_NSPLIT ? d->n_quad[split] : 0;
}

const char *casus_forecast_entity_name(const casus_forecast_data *d,
                                       uint32_t id)
{
    return id < d->n_ent ? d->names + d->ent_name[id] : NULL;
}

const char *casus_forecast_relation_name(const casus_forecast_data *d,
                                         uint32_t id)
{
    return id < d->n_rel ? d->names + d->rel_name[id] : NULL;
}

casus_status casus_forecast_data_fact(const casus_forecast_data *d,
                                      casus_forecast_split split, size_t i,
                                      casus_forecast_fact *out)
{
    if ((int)split < 0 || (int)split >= FC_NSPLIT || i >= d->n_quad[split])
        return ctx_fail(d->ctx, CASUS_EINVAL,
                        "forecast: no fact %zu in that split", i);
    const fc_quad *q = &d->quad[split][i];
    out->subject = q->s;
    out->relation = q->r;
    out->object = q->o;
    out->time = q->t;
    return CASUS_OK;
}
