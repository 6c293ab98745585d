/*
 * query.c - `casus query`: the named queries and read-only SQL over the
 * store, written as an aligned table, CSV or JSON Lines.
 *
 * Pipeline position: a reader of the store (store.h cursors), beside
 * export.c. Each named query is one SQL statement written for both
 * backends and shaped to use the shipped indexes (docs/FORMATS.md):
 *
 *   timeline   events per month: the rollups; for day bounds (or while
 *              rollup deltas are pending) events_date (event_date,
 *              quad_class), or, with --country, the actor postings
 *              (event_actor, schema 8) and the events by id
 *   dyads      source-target pairs by count: the rollups; for day bounds
 *              events_date, or the actor postings with --country
 *   actor      one actor (a code prefix) per month as source and target:
 *              the rollups; for day bounds the actor postings
 *   incidents  incidents of a country in a period: the incidents table
 *              (schema 4), with their evidence counted
 *
 * A day bound (--from 2024-06-15) reads the rollups for the whole months
 * inside the range and the events only for the days of the partial months
 * at its ends (the two ranges [a1, a2] and [b1, b2]); while rollup sums
 * are pending, the events for the whole range.
 *
 * Date bounds are prefixes: --from 2017-01 --to 2024-12 keeps event_date
 * >= '2017-01' and <= '2024-12~' ('~' sorts after every digit and '-'), so
 * a year, a month or a day may be given. A code prefix C matches [C, C~).
 *
 * Rows stream from the cursor to the sink; the text table buffers only its
 * first TABLE_SAMPLE rows to choose column widths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "store.h"
#include "util/buf.h"
#include "util/mem.h"

#define TABLE_SAMPLE 200

/* The ids of the events whose code on SIDE (0 source, 1 target) is in
 * [LO, HI) from the postings that can hold a date in [FROM, TO] (schema 8):
 * the caller checks the code and the date on the event again, since a
 * posting keeps the ids of deleted events. */
/* The same for two date ranges, [A, B] and [C, D], and the events' dates
 * in them. */
#define POSTED2(SIDE, LO, HI, A, B, C, D)                                     \
    "SELECT event_id FROM event_actor WHERE side = " #SIDE " AND code >= "     \
    LO " AND code < " HI " AND ((last_date >= " A " AND first_date <= " B      \
    ") OR (last_date >= " C " AND first_date <= " D "))"
#define EV_RANGES(A, B, C, D)                                                 \
    "((event_date >= " A " AND event_date <= " B ") OR (event_date >= " C    \
    " AND event_date <= " D "))"

#define POSTED(SIDE, LO, HI, FROM, TO)                                        \
    "SELECT event_id FROM event_actor WHERE side = " #SIDE " AND code >= "     \
    LO " AND code < " HI " AND last_date >= " FROM " AND first_date <= " TO

casus_status casus_table_format_parse(const char *name,
                                      casus_table_format *out)
{
    if (!strcmp(name, "table"))
        *out = CASUS_TABLE_TEXT;
    else if (!strcmp(name, "csv"))
        *out = CASUS_TABLE_CSV;
    else if (!strcmp(name, "json") || !strcmp(name, "jsonl"))
        *out = CASUS_TABLE_JSON;
    else
        return CASUS_EINVAL;
    return CASUS_OK;
}

/* ---------------------------------------------------------------- output */

typedef struct table {
    casus_ctx *ctx;
    casus_table_format fmt;
    casus_sink *out;
    store_cursor *cur;
    size_t ncols;
    buf line;
    /* Text tables: sampled rows, cells NUL-separated in `sample`. */
    buf sample;
    size_t n_sample;
    size_t *width;
} table;

static casus_status emit(table *t)
{
    casus_status st = CASUS_OK;
    if (t->line.n && t->out->write(t->out->ud, t->line.p, t->line.n) != 0)
        st = ctx_fail(t->ctx, CASUS_EIO, "cannot write output");
    buf_reset(&t->line);
    return st;
}

/* CSV cell: quoted when it holds a comma, quote or line break. */
casus_status store_put_csv(casus_ctx *ctx, buf *b, const char *s, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n && !q; i++)
        q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!q)
        return buf_append(ctx, b, s, n);
    casus_status st = buf_putc(ctx, b, '"');
    for (size_t i = 0; i < n && st == CASUS_OK; i++)
        st = s[i] == '"' ? buf_append(ctx, b, "\"\"", 2) : buf_putc(ctx, b, s[i]);
    return st == CASUS_OK ? buf_putc(ctx, b, '"') : st;
}

/* Display width: UTF-8 code points (continuation bytes do not count). */
static size_t cols(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static casus_status put_cell_text(table *t, const char *v, size_t n, size_t i)
{
    casus_status st = CASUS_OK;
    if (i)
        st = buf_append(t->ctx, &t->line, "  ", 2);
    for (size_t k = 0; k < n && st == CASUS_OK; k++)
        st = buf_putc(t->ctx, &t->line,
                      v[k] == '\n' || v[k] == '\t' || v[k] == '\r' ? ' ' : v[k]);
    size_t w = cols(v, n);
    for (; w < t->width[i] && st == CASUS_OK && i + 1 < t->ncols; w++)
        st = buf_putc(t->ctx, &t->line, ' ');
    return st;
}

static casus_status put_row(table *t, const char *const *v,
                            const size_t *len)
{
    casus_status st = CASUS_OK;
    for (size_t i = 0; i < t->ncols && st == CASUS_OK; i++) {
        const char *s = v[i] ? v[i] : "";
        size_t n = v[i] ? len[i] : 0;
        switch (t->fmt) {
        case CASUS_TABLE_TEXT:
            st = put_cell_text(t, v[i] ? s : "NULL", v[i] ? n : 4, i);
            break;
        case CASUS_TABLE_CSV:
            if (i)
                st = buf_putc(t->ctx, &t->line, ',');
            if (st == CASUS_OK)
                st = store_put_csv(t->ctx, &t->line, s, n);
            break;
        case CASUS_TABLE_JSON: {
            const char *name = store_cursor_name(t->cur, i);
            st = buf_puts(t->ctx, &t->line, i ? ",\"" : "{\"");
            if (st == CASUS_OK)
                st = buf_json_escape(t->ctx, &t->line, name, strlen(name));
            if (st == CASUS_OK)
                st = buf_append(t->ctx, &t->line, "\":", 2);
            if (st != CASUS_OK)
                break;
            if (!v[i]) {
                st = buf_puts(t->ctx, &t->line, "null");
                break;
            }
            /* Numbers stay numbers; everything else is a string. */
            int num = n > 0 && n < 40;
            for (size_t k = 0; k < n && num; k++)
                num = (s[k] >= '0' && s[k] <= '9') ||
                      (k == 0 && s[k] == '-' && n > 1) ||
                      (k > 0 && s[k] == '.' && k + 1 < n);
            if (num && n > 1 && s[0] == '0' && s[1] != '.')
                num = 0;
            if (num && n > 2 && s[0] == '-' && s[1] == '0' && s[2] != '.')
                num = 0;
            if (num) {
                st = buf_append(t->ctx, &t->line, s, n);
            } else {
                st = buf_putc(t->ctx, &t->line, '"');
                if (st == CASUS_OK)
                    st = buf_json_escape(t->ctx, &t->line, s, n);
                if (st == CASUS_OK)
                    st = buf_putc(t->ctx, &t->line, '"');
            }
            break;
        }
        }
    }
    if (st == CASUS_OK && t->fmt == CASUS_TABLE_JSON)
        st = buf_putc(t->ctx, &t->line, '}');
    if (st == CASUS_OK)
        st = buf_putc(t->ctx, &t->line, '\n');
    return st == CASUS_OK ? emit(t) : st;
}

static casus_status put_header(table *t)
{
    if (t->fmt == CASUS_TABLE_JSON)
        return CASUS_OK;
    casus_status st = CASUS_OK;
    for (size_t i = 0; i < t->ncols && st == CASUS_OK; i++) {
        const char *name = store_cursor_name(t->cur, i);
        if (t->fmt == CASUS_TABLE_TEXT) {
            st = put_cell_text(t, name, strlen(name), i);
        } else {
            if (i)
                st = buf_putc(t->ctx, &t->line, ',');
            if (st == CASUS_OK)
                st = store_put_csv(t->ctx, &t->line, name, strlen(name));
        }
    }
    if (st == CASUS_OK)
        st = buf_putc(t->ctx, &t->line, '\n');
    return st == CASUS_OK ? emit(t) : st;
}

/* Replays the sampled rows (text tables) once widths are known. */
static casus_status flush_sample(table *t, const char **v, size_t *len)
{
    casus_status st = put_header(t);
    const char *p = t->sample.p;
    for (size_t r = 0; r < t->n_sample && st == CASUS_OK; r++) {
        for (size_t i = 0; i < t->ncols; i++) {
            int is_null = *p == '\1';
            size_t n = strlen(p);
            v[i] = is_null ? NULL : p;
            len[i] = n;
            p += n + 1;
        }
        st = put_row(t, v, len);
    }
    t->n_sample = 0;
    return st;
}

static casus_status run_table(casus_ctx *ctx, store_cursor *cur,
                              casus_table_format fmt, size_t limit,
                              casus_sink *out)
{
    table t;
    memset(&t, 0, sizeof t);
    t.ctx = ctx;
    t.fmt = fmt;
    t.out = out;
    t.cur = cur;
    t.ncols = store_cursor_ncols(cur);
    const char **v = NULL;
    size_t *len = NULL;
    casus_status st = CASUS_OK;
    size_t nc = t.ncols ? t.ncols : 1;
    v = mem_alloc(ctx, nc * sizeof *v);
    len = mem_alloc(ctx, nc * sizeof *len);
    t.width = mem_alloc(ctx, nc * sizeof *t.width);
    if (!v || !len || !t.width) {
        st = CASUS_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < t.ncols; i++) {
        const char *name = store_cursor_name(cur, i);
        t.width[i] = cols(name, strlen(name));
    }
    int sampling = fmt == CASUS_TABLE_TEXT;
    if (!sampling && (st = put_header(&t)) != CASUS_OK)
        goto done;
    size_t rows = 0;
    while ((limit == 0 || rows < limit) &&
           (st = store_cursor_next(cur)) == CASUS_OK) {
        rows++;
        for (size_t i = 0; i < t.ncols; i++)
            v[i] = store_cursor_text(cur, i, &len[i]);
        if (sampling) {
            for (size_t i = 0; i < t.ncols && st == CASUS_OK; i++) {
                /* Cells are stored NUL-terminated: a NUL inside a value
                 * ends it in the table (tables are for people). */
                size_t n = v[i] ? strnlen(v[i], len[i]) : 0;
                size_t w = v[i] ? cols(v[i], n) : 4;
                if (w > t.width[i])
                    t.width[i] = w > 60 ? 60 : w;
                st = v[i] ? buf_append(ctx, &t.sample, v[i], n)
                          : buf_putc(ctx, &t.sample, '\1');
                if (st == CASUS_OK)
                    st = buf_putc(ctx, &t.sample, '\0');
            }
            if (st != CASUS_OK)
                goto done;
            if (++t.n_sample == TABLE_SAMPLE) {
                if ((st = flush_sample(&t, v, len)) != CASUS_OK)
                    goto done;
                sampling = 0;
            }
            continue;
        }
        if ((st = put_row(&t, v, len)) != CASUS_OK)
            goto done;
    }
    if (st == CASUS_DONE || st == CASUS_OK)
        st = sampling ? flush_sample(&t, v, len) : CASUS_OK;
done:
    mem_free(ctx, v);
    mem_free(ctx, len);
    mem_free(ctx, t.width);
    buf_free(ctx, &t.line);
    buf_free(ctx, &t.sample);
    return st;
}

/* ---------------------------------------------------------------- queries */

/* The month delta months after the month of date ("YYYY-MM...") as
 * "YYYY-MM" (delta -1 or +1). */
static void month_step(const char *date, int delta, char out[16])
{
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
            (date[2] - '0') * 10 + (date[3] - '0');
    int m = (date[5] - '0') * 10 + (date[6] - '0') + delta;
    if (m > 12) {
        m = 1;
        y++;
    } else if (m < 1) {
        m = 12;
        y--;
    }
    snprintf(out, 16, "%04d-%02d", y, m);
}

/* A day bound on the edge of its month (the first day as --from, the last
 * as --to) bounds whole months: writes "YYYY-MM" to out and returns it, so
 * the rollups answer; else returns day. day is a checked YYYY-MM-DD. */
static const char *edge_month(const char *day, int last, char out[16])
{
    if (!day || strlen(day) != 10)
        return day;
    int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return day;
    int n = mdays[m - 1];
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        n = 29;
    if (d != (last ? n : 1))
        return day;
    snprintf(out, 16, "%.7s", day);
    return out;
}

/* Prefix upper bound: s followed by '~'. */
static void upper(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s~", s);
}

static casus_status check_code(casus_ctx *ctx, const char *what, const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 31)
        return ctx_fail(ctx, CASUS_EINVAL, "%s: '%s' is not an actor code",
                        what, v);
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9')))
            return ctx_fail(ctx, CASUS_EINVAL, "%s: '%s' is not an actor code "
                            "(capital letters and digits, e.g. IRN, IRNMIL)",
                            what, v);
    return CASUS_OK;
}

static casus_status check_date(casus_ctx *ctx, const char *what, const char *v)
{
    size_t n = strlen(v);
    int ok = n == 4 || n == 7 || n == 10;
    for (size_t i = 0; i < n && ok; i++)
        ok = (i == 4 || i == 7) ? v[i] == '-' : v[i] >= '0' && v[i] <= '9';
    if (!ok)
        return ctx_fail(ctx, CASUS_EINVAL, "%s: '%s' is not a date (YYYY, "
                        "YYYY-MM or YYYY-MM-DD)", what, v);
    return CASUS_OK;
}

/* The first and last month of rollup_dyad ("" when it is empty). */
static casus_status rollup_months(casus_store *s, char lo[16], char hi[16])
{
    store_cursor *cur;
    casus_status st = store_cursor_open(
        s, "SELECT (SELECT min(month) FROM rollup_dyad WHERE month > '*'), "
           "(SELECT max(month) FROM rollup_dyad)", NULL, 0, &cur);
    if (st != CASUS_OK)
        return st;
    if ((st = store_cursor_next(cur)) == CASUS_OK) {
        size_t n;
        const char *v = store_cursor_text(cur, 0, &n);
        snprintf(lo, 16, "%.*s", v ? (int)n : 0, v ? v : "");
        v = store_cursor_text(cur, 1, &n);
        snprintf(hi, 16, "%.*s", v ? (int)n : 0, v ? v : "");
    }
    store_cursor_close(cur);
    return st == CASUS_OK || st == CASUS_DONE ? CASUS_OK : st;
}

/* Whether a run holds rollup deltas that are not written yet (casus_meta
 * 'rollup_pending', schema version 6): then the rollups miss that run's
 * last events and the named queries read the events instead. */
static casus_status rollups_pending(casus_store *s, int *pending)
{
    store_cursor *cur;
    *pending = 0;
    casus_status st = store_cursor_open(
        s, "SELECT value FROM casus_meta WHERE key = 'rollup_pending'", NULL,
        0, &cur);
    if (st != CASUS_OK)
        return st;
    if ((st = store_cursor_next(cur)) == CASUS_OK) {
        size_t n;
        const char *v = store_cursor_text(cur, 0, &n);
        *pending = v && n > 0;
    }
    store_cursor_close(cur);
    return st == CASUS_OK || st == CASUS_DONE ? CASUS_OK : st;
}

casus_status casus_store_query(casus_store *s, const char *query,
                               const char *arg, const casus_query_opts *opt,
                               casus_table_format fmt, casus_sink *out)
{
    casus_ctx *ctx = store_ctx(s);
    casus_query_opts none;
    memset(&none, 0, sizeof none);
    if (!opt)
        opt = &none;
    const char *from = opt->from ? opt->from : "";
    char to[16] = "9999~", c_hi[40] = "", a_hi[40] = "";
    casus_status st;
    if (opt->from && (st = check_date(ctx, "--from", opt->from)) != CASUS_OK)
        return st;
    if (opt->to) {
        if ((st = check_date(ctx, "--to", opt->to)) != CASUS_OK)
            return st;
        upper(to, sizeof to, opt->to);
    }
    if (opt->country) {
        if ((st = check_code(ctx, "--country", opt->country)) != CASUS_OK)
            return st;
        upper(c_hi, sizeof c_hi, opt->country);
    }
    /* "--from 2017-01-01 --to 2024-12-31" is "--from 2017-01 --to 2024-12" */
    casus_query_opts edge = *opt;
    char from_m[16], to_m[16];
    edge.from = edge_month(opt->from, 0, from_m);
    edge.to = edge_month(opt->to, 1, to_m);
    opt = &edge;
    from = opt->from ? opt->from : "";
    if (opt->to)
        upper(to, sizeof to, opt->to);
    const char *c = opt->country;
    /* The lower bound of rollup_dyad's month rows: '*' (the all-time rows)
     * sorts before "0", and a bound of its own lets the month range be the
     * index range (with "month > '*'" beside it, SQLite took that one and
     * read every month row up to the upper bound). */
    const char *m_from = *from ? from : "0";
    const char *params[32];
    size_t np = 0;
    const char *sql = NULL;
    int user = 0;
    size_t limit = opt->limit;
    /* Whole months (--from/--to as YYYY or YYYY-MM, or absent): the
     * rollups answer; a day bound needs the events themselves. */
    int months = (!opt->from || strlen(opt->from) != 10) &&
                 (!opt->to || strlen(opt->to) != 10);
    if (!strcmp(query, "actor")) {
        if (!arg)
            return ctx_fail(ctx, CASUS_EINVAL, "query actor: give an actor "
                            "code, e.g. 'casus query actor IRN'");
        if ((st = check_code(ctx, "actor", arg)) != CASUS_OK)
            return st;
        upper(a_hi, sizeof a_hi, arg);
    }
    int pending = 0, mixed = 0;
    if (!strcmp(query, "timeline") || !strcmp(query, "dyads") ||
        !strcmp(query, "actor")) {
        if ((st = rollups_pending(s, &pending)) != CASUS_OK)
            return st;
        mixed = !months && !pending;
        months = months && !pending;
    }
    /* A day bound: the rollups for the whole months inside [m_lo, m_hi],
     * the events for the days of the partial months at the ends, [a1, a2]
     * and [b1, b2] ("~" to "": none). */
    char m_lo[16] = "", m_hi[16] = "", a1[16] = "~", a2[16] = "", b1[16] = "~",
         b2[16] = "";
    if (mixed) {
        int from_day = opt->from && strlen(opt->from) == 10;
        int to_day = opt->to && strlen(opt->to) == 10;
        if (from_day) {
            month_step(opt->from, 1, m_lo);
            snprintf(a1, sizeof a1, "%s", opt->from);
            snprintf(a2, sizeof a2, "%.7s~", opt->from);
            if (strcmp(to, a2) < 0)
                snprintf(a2, sizeof a2, "%s", to);
        } else {
            snprintf(m_lo, sizeof m_lo, "%s", from);
        }
        if (to_day) {
            month_step(opt->to, -1, m_hi);
            if (!from_day || strncmp(opt->from, opt->to, 7) != 0) {
                snprintf(b1, sizeof b1, "%.7s", opt->to);
                if (strcmp(from, b1) > 0)
                    snprintf(b1, sizeof b1, "%s", from);
                snprintf(b2, sizeof b2, "%s", to);
            }
        } else {
            snprintf(m_hi, sizeof m_hi, "%s", to);
        }
    }
    char c_len[24] = "";
    if (c)
        snprintf(c_len, sizeof c_len, "%zu", strlen(c));
    if (0) {
    } else if (mixed && !strcmp(query, "timeline")) {
        if (c) {
            sql = "SELECT month, sum(events) AS events, sum(mc) AS material_conflict, "
                  "sum(vc) AS verbal_conflict, sum(co) AS cooperation FROM ("
                  "SELECT month, sum(n) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN n ELSE 0 END) AS mc, "
                  "sum(CASE WHEN quad_class = 3 THEN n ELSE 0 END) AS vc, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN n ELSE 0 END) AS co "
                  "FROM rollup_actor WHERE side IN (0, 1) AND actor >= $1 AND actor < $2 "
                  "AND month >= $3 AND month <= $4 "
                  "AND (side = 0 OR common < CAST($5 AS INTEGER)) GROUP BY month "
                  "UNION ALL SELECT month, count(*), "
                  "sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END), "
                  "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END), "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) "
                  "FROM (SELECT substr(event_date, 1, 7) AS month, quad_class FROM events "
                  "WHERE event_id IN (" POSTED2(0, "$6", "$7", "$8", "$9", "$10", "$11") ") "
                  "AND source_code >= $12 AND source_code < $13 AND "
                  EV_RANGES("$14", "$15", "$16", "$17") " "
                  "UNION ALL SELECT substr(event_date, 1, 7), quad_class FROM events "
                  "WHERE event_id IN (" POSTED2(1, "$18", "$19", "$20", "$21", "$22", "$23") ") "
                  "AND target_code >= $24 AND target_code < $25 AND "
                  EV_RANGES("$26", "$27", "$28", "$29") " "
                  "AND NOT (source_code >= $30 AND source_code < $31)) x GROUP BY month"
                  ") y GROUP BY month ORDER BY month";
            const char *p[] = {c, c_hi, m_lo, m_hi, c_len,
                               c, c_hi, a1, a2, b1, b2, c, c_hi, a1, a2, b1, b2,
                               c, c_hi, a1, a2, b1, b2, c, c_hi, a1, a2, b1, b2,
                               c, c_hi};
            memcpy(params, p, sizeof p);
            np = 31;
        } else {
            sql = "SELECT month, sum(events) AS events, sum(mc) AS material_conflict, "
                  "sum(vc) AS verbal_conflict, sum(co) AS cooperation FROM ("
                  "SELECT month, sum(n) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN n ELSE 0 END) AS mc, "
                  "sum(CASE WHEN quad_class = 3 THEN n ELSE 0 END) AS vc, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN n ELSE 0 END) AS co "
                  "FROM rollup_actor WHERE side = 0 AND month >= $1 AND month <= $2 "
                  "GROUP BY month "
                  "UNION ALL SELECT substr(event_date, 1, 7), count(*), "
                  "sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END), "
                  "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END), "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) "
                  "FROM events WHERE " EV_RANGES("$3", "$4", "$5", "$6") " "
                  "GROUP BY 1) y GROUP BY month ORDER BY month";
            const char *p[] = {m_lo, m_hi, a1, a2, b1, b2};
            memcpy(params, p, sizeof p);
            np = 6;
        }
    } else if (mixed && !strcmp(query, "dyads")) {
        if (!limit)
            limit = 50;
        if (c) {
            sql = "SELECT source, target, sum(events) AS events, sum(conflict) AS conflict, "
                  "min(first) AS first, max(last) AS last FROM ("
                  "SELECT source, target, n AS events, conflict, first, last FROM rollup_dyad "
                  "WHERE month >= $1 AND month <= $2 "
                  "AND ((source >= $3 AND source < $4) OR (target >= $5 AND target < $6)) "
                  "UNION ALL SELECT source_code, target_code, count(*), "
                  "sum(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END), "
                  "min(event_date), max(event_date) FROM events "
                  "WHERE event_id IN (" POSTED2(0, "$7", "$8", "$9", "$10", "$11", "$12")
                  " UNION " POSTED2(1, "$13", "$14", "$15", "$16", "$17", "$18") ") "
                  "AND target_code IS NOT NULL AND " EV_RANGES("$19", "$20", "$21", "$22") " "
                  "AND ((source_code >= $23 AND source_code < $24) OR (target_code >= $25 AND target_code < $26)) "
                  "GROUP BY source_code, target_code"
                  ") y GROUP BY source, target ORDER BY events DESC, source, target";
            const char *p[] = {m_lo[0] ? m_lo : "0", m_hi, c, c_hi, c, c_hi,
                               c, c_hi, a1, a2, b1, b2, c, c_hi, a1, a2, b1, b2,
                               a1, a2, b1, b2, c, c_hi, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 26;
        } else {
            sql = "SELECT source, target, sum(events) AS events, sum(conflict) AS conflict, "
                  "min(first) AS first, max(last) AS last FROM ("
                  "SELECT source, target, n AS events, conflict, first, last FROM rollup_dyad "
                  "WHERE month >= $1 AND month <= $2 "
                  "UNION ALL SELECT source_code, target_code, count(*), "
                  "sum(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END), "
                  "min(event_date), max(event_date) FROM events "
                  "WHERE target_code IS NOT NULL AND " EV_RANGES("$3", "$4", "$5", "$6") " "
                  "GROUP BY source_code, target_code"
                  ") y GROUP BY source, target ORDER BY events DESC, source, target";
            const char *p[] = {m_lo[0] ? m_lo : "0", m_hi, a1, a2, b1, b2};
            memcpy(params, p, sizeof p);
            np = 6;
        }
    } else if (mixed && !strcmp(query, "actor")) {
        sql = "SELECT month, sum(s) AS as_source, sum(t) AS as_target, "
              "sum(s) + sum(t) AS events FROM ("
              "SELECT month, sum(CASE WHEN side = 0 THEN n ELSE 0 END) AS s, "
              "sum(CASE WHEN side = 1 THEN n ELSE 0 END) AS t "
              "FROM rollup_actor WHERE side IN (0, 1) AND actor >= $1 AND actor < $2 "
              "AND month >= $3 AND month <= $4 GROUP BY month "
              "UNION ALL SELECT month, sum(s), sum(t) FROM ("
              "SELECT substr(event_date, 1, 7) AS month, 1 AS s, 0 AS t FROM events "
              "WHERE event_id IN (" POSTED2(0, "$5", "$6", "$7", "$8", "$9", "$10") ") "
              "AND source_code >= $11 AND source_code < $12 AND "
              EV_RANGES("$13", "$14", "$15", "$16") " "
              "UNION ALL SELECT substr(event_date, 1, 7), 0, 1 FROM events "
              "WHERE event_id IN (" POSTED2(1, "$17", "$18", "$19", "$20", "$21", "$22") ") "
              "AND target_code >= $23 AND target_code < $24 AND "
              EV_RANGES("$25", "$26", "$27", "$28")
              ") x GROUP BY month) y GROUP BY month ORDER BY month";
        const char *p[] = {arg, a_hi, m_lo, m_hi,
                           arg, a_hi, a1, a2, b1, b2, arg, a_hi, a1, a2, b1, b2,
                           arg, a_hi, a1, a2, b1, b2, arg, a_hi, a1, a2, b1, b2};
        memcpy(params, p, sizeof p);
        np = 28;

    } else if (months && !strcmp(query, "timeline")) {
        if (c) {
            sql = "SELECT month, sum(n) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN n ELSE 0 END) AS material_conflict, "
                  "sum(CASE WHEN quad_class = 3 THEN n ELSE 0 END) AS verbal_conflict, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN n ELSE 0 END) AS cooperation "
                  "FROM rollup_actor WHERE side IN (0, 1) AND actor >= $1 AND actor < $2 "
                  "AND month >= $3 AND month <= $4 "
                  "AND (side = 0 OR common < CAST($5 AS INTEGER)) "
                  "GROUP BY month ORDER BY month";
            const char *p[] = {c, c_hi, from, to, c_len};
            memcpy(params, p, sizeof p);
            np = 5;
        } else {
            sql = "SELECT month, sum(n) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN n ELSE 0 END) AS material_conflict, "
                  "sum(CASE WHEN quad_class = 3 THEN n ELSE 0 END) AS verbal_conflict, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN n ELSE 0 END) AS cooperation "
                  "FROM rollup_actor WHERE side = 0 AND month >= $1 AND month <= $2 "
                  "GROUP BY month ORDER BY month";
            params[0] = from;
            params[1] = to;
            np = 2;
        }
    } else if (months && !strcmp(query, "dyads")) {
        if (!limit)
            limit = 50;
        /* A range that holds every dated event reads the all-time rows. */
        int all = !opt->from && !opt->to;
        if (!all) {
            char lo[16] = "", hi[16] = "";
            if ((st = rollup_months(s, lo, hi)) != CASUS_OK)
                return st;
            all = !lo[0] || (strcmp(from, lo) <= 0 && strcmp(hi, to) <= 0);
        }
        if (all && c) {
            sql = "SELECT source, target, n AS events, conflict, first, last "
                  "FROM rollup_dyad WHERE month = '*' AND ((source >= $1 AND source < $2) "
                  "OR (target >= $3 AND target < $4)) "
                  "ORDER BY events DESC, source, target";
            const char *p[] = {c, c_hi, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 4;
        } else if (all) {
            sql = "SELECT source, target, n AS events, conflict, first, last "
                  "FROM rollup_dyad WHERE month = '*' "
                  "ORDER BY events DESC, source, target";
        } else if (c) {
            sql = "SELECT source, target, sum(n) AS events, sum(conflict) AS conflict, "
                  "min(first) AS first, max(last) AS last FROM rollup_dyad "
                  "WHERE month >= $1 AND month <= $2 "
                  "AND ((source >= $3 AND source < $4) OR (target >= $5 AND target < $6)) "
                  "GROUP BY source, target ORDER BY events DESC, source, target";
            const char *p[] = {m_from, to, c, c_hi, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 6;
        } else {
            sql = "SELECT source, target, sum(n) AS events, sum(conflict) AS conflict, "
                  "min(first) AS first, max(last) AS last FROM rollup_dyad "
                  "WHERE month >= $1 AND month <= $2 "
                  "GROUP BY source, target ORDER BY events DESC, source, target";
            params[0] = m_from;
            params[1] = to;
            np = 2;
        }
    } else if (months && !strcmp(query, "actor")) {
        sql = "SELECT month, sum(CASE WHEN side = 0 THEN n ELSE 0 END) AS as_source, "
              "sum(CASE WHEN side = 1 THEN n ELSE 0 END) AS as_target, sum(n) AS events "
              "FROM rollup_actor WHERE side IN (0, 1) AND actor >= $1 AND actor < $2 "
              "AND month >= $3 AND month <= $4 GROUP BY month ORDER BY month";
        const char *p[] = {arg, a_hi, from, to};
        memcpy(params, p, sizeof p);
        np = 4;
    } else if (!strcmp(query, "timeline")) {
        if (c) {
            sql = "SELECT month, count(*) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict, "
                  "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS cooperation "
                  "FROM (SELECT substr(event_date, 1, 7) AS month, quad_class FROM events "
                  "WHERE event_id IN (" POSTED(0, "$1", "$2", "$3", "$4") ") "
                  "AND source_code >= $5 AND source_code < $6 AND event_date >= $7 AND event_date <= $8 "
                  "UNION ALL SELECT substr(event_date, 1, 7), quad_class FROM events "
                  "WHERE event_id IN (" POSTED(1, "$9", "$10", "$11", "$12") ") "
                  "AND target_code >= $13 AND target_code < $14 AND event_date >= $15 AND event_date <= $16 "
                  "AND NOT (source_code >= $17 AND source_code < $18)) x "
                  "GROUP BY month ORDER BY month";
            const char *p[] = {c, c_hi, from, to, c, c_hi, from, to,
                               c, c_hi, from, to, c, c_hi, from, to, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 18;
        } else {
            sql = "SELECT substr(event_date, 1, 7) AS month, count(*) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict, "
                  "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS cooperation "
                  "FROM events WHERE event_date >= $1 AND event_date <= $2 "
                  "GROUP BY 1 ORDER BY 1";
            params[0] = from;
            params[1] = to;
            np = 2;
        }
    } else if (!strcmp(query, "dyads")) {
        if (!limit)
            limit = 50;
        if (c) {
            sql = "SELECT source_code AS source, target_code AS target, count(*) AS events, "
                  "sum(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END) AS conflict, "
                  "min(event_date) AS first, max(event_date) AS last FROM events "
                  "WHERE event_id IN (" POSTED(0, "$1", "$2", "$3", "$4") " UNION "
                  POSTED(1, "$5", "$6", "$7", "$8") ") "
                  "AND target_code IS NOT NULL AND event_date >= $9 AND event_date <= $10 "
                  "AND ((source_code >= $11 AND source_code < $12) OR (target_code >= $13 AND target_code < $14)) "
                  "GROUP BY source_code, target_code ORDER BY events DESC, source, target";
            const char *p[] = {c, c_hi, from, to, c, c_hi, from, to,
                               from, to, c, c_hi, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 14;
        } else {
            sql = "SELECT source_code AS source, target_code AS target, count(*) AS events, "
                  "sum(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END) AS conflict, "
                  "min(event_date) AS first, max(event_date) AS last FROM events "
                  "WHERE target_code IS NOT NULL AND event_date >= $1 AND event_date <= $2 "
                  "GROUP BY source_code, target_code ORDER BY events DESC, source, target";
            params[0] = from;
            params[1] = to;
            np = 2;
        }
    } else if (!strcmp(query, "actor")) {
        sql = "SELECT month, sum(s) AS as_source, sum(t) AS as_target, "
              "sum(s) + sum(t) AS events FROM ("
              "SELECT substr(event_date, 1, 7) AS month, 1 AS s, 0 AS t FROM events "
              "WHERE event_id IN (" POSTED(0, "$1", "$2", "$3", "$4") ") "
              "AND source_code >= $5 AND source_code < $6 AND event_date >= $7 AND event_date <= $8 "
              "UNION ALL SELECT substr(event_date, 1, 7), 0, 1 FROM events "
              "WHERE event_id IN (" POSTED(1, "$9", "$10", "$11", "$12") ") "
              "AND target_code >= $13 AND target_code < $14 AND event_date >= $15 AND event_date <= $16"
              ") x GROUP BY month ORDER BY month";
        const char *p[] = {arg, a_hi, from, to, arg, a_hi, from, to,
                           arg, a_hi, from, to, arg, a_hi, from, to};
        memcpy(params, p, sizeof p);
        np = 16;
    } else if (!strcmp(query, "incidents")) {
        /* A country's incidents: located there, or without a place and with
         * a target of its codes (the parties are the record's JSON). The
         * period keeps incidents whose [start, end] meets it; undated ones
         * only when no period is given. */
        static char sql_inc[1600];
        snprintf(sql_inc, sizeof sql_inc,
                 "SELECT i.incident_ref AS incident, i.start_date, i.end_date, "
                 "i.date_precision AS date_precision, i.country, i.admin1, i.location, "
                 "i.latitude, i.longitude, i.location_precision, i.method, "
                 "i.killed_min, i.killed_max, i.injured_min, i.injured_max, "
                 "i.perpetrators, i.targets, (SELECT count(DISTINCT e.doc_pk) FROM "
                 "incident_evidence e WHERE e.incident_pk = i.incident_pk) AS "
                 "documents, (SELECT count(*) FROM incident_evidence e WHERE "
                 "e.incident_pk = i.incident_pk) AS evidence FROM incidents i "
                 "WHERE ((i.start_date <= $1 AND coalesce(i.end_date, "
                 "i.start_date) >= $2) OR $3 = 'all')%s ORDER BY "
                 "(i.start_date IS NULL), i.start_date, i.incident_ref",
                 c ? " AND (i.country = $4 OR (i.country IS NULL AND i.targets "
                     "LIKE $5))" : "");
        sql = sql_inc;
        static char like[64];
        snprintf(like, sizeof like, "%%\"code\":\"%s%%", c ? c : "");
        const char *p[] = {to, from, !opt->from && !opt->to ? "all" : "", c, like};
        memcpy(params, p, sizeof p);
        np = c ? 5 : 3;
    } else {
        if (arg)
            return ctx_fail(ctx, CASUS_EINVAL, "query: unknown named query "
                            "'%s' (timeline, dyads, actor CODE, incidents) or "
                            "SQL with an extra argument '%s'", query, arg);
        sql = query;
        user = 1;
    }
    store_cursor *cur;
    st = user ? store_cursor_open_user(s, sql, &cur)
              : store_cursor_open(s, sql, params, np, &cur);
    if (st != CASUS_OK)
        return st;
    st = run_table(ctx, cur, fmt, limit, out);
    store_cursor_close(cur);
    return st == CASUS_DONE ? CASUS_OK : st;
}
