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
 *              quad_class), or, with --country, events_date or the actor
 *              postings (event_actor, schema 8) and the events by id
 *   dyads      source-target pairs by count: the rollups (over three
 *              months or more, the top dyads of all time first); for day
 *              bounds events_date, or with --country the postings
 *   actor      one actor (a code prefix) per month as source and target:
 *              the rollups; for day bounds events_date or the postings
 *   incidents  incidents of a country in a period: the incidents table
 *              (schema 4), with its counts of documents and evidence
 *              (schema 10)
 *
 * A day bound (--from 2024-06-15) reads the rollups for the whole months
 * inside the range and the events only for the days of the partial months
 * at its ends (the two spans [a1, a2] and [b1, b2]); while rollup sums
 * are pending, the events for the whole range. One builder (qb_*, "day
 * plans") writes these statements: the events of a code through the actor
 * postings or through events_date, whichever reads fewer rows
 * (choose_path), and dyads over three months or more by their top dyads
 * of all time (run_day_plan).
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
/* dyads over DYAD_MONTHS months or more count the top dyads by key, with
 * at most DYAD_SEEKS reads by key (run_day_plan) */
#define DYAD_MONTHS 3
#define DYAD_SEEKS 500000

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

/* What run_table saw: its rows and the value of column col in the last
 * one (an integer). */
typedef struct table_stats {
    size_t col;
    size_t rows;
    long long last;
} table_stats;

static casus_status run_table(casus_ctx *ctx, store_cursor *cur,
                              casus_table_format fmt, size_t limit,
                              casus_sink *out, table_stats *stats)
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
        if (stats && stats->col < t.ncols) {
            stats->rows = rows;
            stats->last = v[stats->col] ? strtoll(v[stats->col], NULL, 10) : 0;
        }
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

/* The first row of sql's answer as text: column i into row[i] (ncols of
 * them; "" for NULL, and every column "" when there is no row). */
static casus_status first_row(casus_store *s, const char *sql,
                              const char *const *params, size_t np,
                              char (*row)[32], size_t ncols)
{
    for (size_t i = 0; i < ncols; i++)
        row[i][0] = '\0';
    store_cursor *cur;
    casus_status st = store_cursor_open(s, sql, params, np, &cur);
    if (st != CASUS_OK)
        return st;
    if ((st = store_cursor_next(cur)) == CASUS_OK)
        for (size_t i = 0; i < ncols; i++) {
            size_t n;
            const char *v = store_cursor_text(cur, i, &n);
            snprintf(row[i], sizeof row[i], "%.*s", v ? (int)n : 0, v ? v : "");
        }
    store_cursor_close(cur);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/* The first and last month of rollup_dyad ("" when it is empty). */
static casus_status rollup_months(casus_store *s, char lo[16], char hi[16])
{
    char row[2][32];
    casus_status st = first_row(
        s, "SELECT (SELECT min(month) FROM rollup_dyad WHERE month > '*'), "
           "(SELECT max(month) FROM rollup_dyad)", NULL, 0, row, 2);
    snprintf(lo, 16, "%.15s", row[0]);
    snprintf(hi, 16, "%.15s", row[1]);
    return st;
}

/* Whether a run holds rollup deltas that are not written yet (casus_meta
 * 'rollup_pending', schema version 6): then the rollups miss that run's
 * last events and the named queries read the events instead. */
static casus_status rollups_pending(casus_store *s, int *pending)
{
    char row[1][32];
    casus_status st = first_row(
        s, "SELECT value FROM casus_meta WHERE key = 'rollup_pending'", NULL,
        0, row, 1);
    *pending = row[0][0] != '\0';
    return st;
}

/* ------------------------------------------------------------ day plans */

static int is_pg(casus_store *s)
{
    return !strcmp(casus_store_backend(s), "postgresql");
}

/*
 * A statement under construction: its text and its parameters, numbered
 * $1, $2, ... in the order they are appended (both backends read $N).
 * The first error sticks and is q->st.
 */
typedef struct qb {
    casus_ctx *ctx;
    buf sql;
    const char **p;
    size_t np, cap;
    casus_status st;
} qb;

static void qb_sql(qb *q, const char *text)
{
    if (q->st == CASUS_OK)
        q->st = buf_puts(q->ctx, &q->sql, text);
}

/* Appends $N standing for v (borrowed until the statement has run). */
static void qb_arg(qb *q, const char *v)
{
    if (q->st == CASUS_OK)
        q->st = mem_grow(q->ctx, (void **)&q->p, &q->cap, q->np + 1,
                         sizeof *q->p);
    if (q->st != CASUS_OK)
        return;
    q->p[q->np++] = v;
    q->st = buf_printf(q->ctx, &q->sql, "$%zu", q->np);
}

/* "col >= $lo AND col < $hi": the codes of a prefix. */
static void qb_range(qb *q, const char *col, const char *lo, const char *hi)
{
    qb_sql(q, col);
    qb_sql(q, " >= ");
    qb_arg(q, lo);
    qb_sql(q, " AND ");
    qb_sql(q, col);
    qb_sql(q, " < ");
    qb_arg(q, hi);
}

/* "((src in p's code range) OR (dst in p's code range))": either side of an
 * event or dyad is the plan's code. */
static void qb_either(qb *q, const char *src, const char *dst,
                      const char *lo, const char *hi)
{
    qb_sql(q, "((");
    qb_range(q, src, lo, hi);
    qb_sql(q, ") OR (");
    qb_range(q, dst, lo, hi);
    qb_sql(q, "))");
}

static void qb_free(qb *q)
{
    buf_free(q->ctx, &q->sql);
    mem_free(q->ctx, q->p);
}

/*
 * A plan of timeline, dyads or actor: the rollups for the whole months
 * [m_lo, m_hi] (when rollups is set), and the events of the date spans d
 * (inclusive; the partial months at the ends of a day bound, or the whole
 * range while rollup sums are pending) whose source or target code is in
 * [code, code_hi) (every event when code is NULL).
 */
typedef struct span {
    const char *lo, *hi;
} span;

typedef struct plan {
    const char *query;          /* "timeline", "dyads" or "actor" */
    const char *code, *code_hi; /* --country or the actor; NULL: none */
    const char *code_len;       /* strlen(code) as text (timeline) */
    int rollups;
    const char *m_lo, *m_hi;
    span d[2];
    size_t nd;
    int postings;               /* read the events through the postings */
    int pg;                     /* PostgreSQL's dialect where they differ */
    size_t limit;               /* dyads: the rows wanted */
    size_t cands;               /* dyads: only the top cands all-time */
    const char *months;         /* with cands: "('2017-02'), ..." */
} plan;

/* "((ge >= $lo AND le <= $hi) OR ...)" over the spans, or span `only`
 * alone (< p->nd): the events' dates (ge = le = event_date) or the
 * postings that can hold them. */
static void qb_spans(qb *q, const plan *p, const char *ge, const char *le,
                     size_t only)
{
    qb_sql(q, "(");
    for (size_t i = 0; i < p->nd; i++) {
        if (only < p->nd && i != only)
            continue;
        qb_sql(q, i && only >= p->nd ? " OR (" : "(");
        qb_sql(q, ge);
        qb_sql(q, " >= ");
        qb_arg(q, p->d[i].lo);
        qb_sql(q, " AND ");
        qb_sql(q, le);
        qb_sql(q, " <= ");
        qb_arg(q, p->d[i].hi);
        qb_sql(q, ")");
    }
    qb_sql(q, ")");
}

/* The condition on `events` of p's event part in span i. Through the
 * postings the ids come from the code's postings of either side that can
 * hold the span (schema 8), and the code and date are checked on the
 * event again, since a posting keeps the ids of deleted events; through
 * events_date the span is its range. Both read the same events. One span
 * a statement: with two date ranges OR-ed, PostgreSQL scans all of
 * events_date and filters it (1.9 s on 10 M events). */
static void qb_events(qb *q, const plan *p, size_t i)
{
    if (p->code && p->postings) {
        for (int side = 0; side < 2; side++) {
            qb_sql(q, side ? " UNION SELECT event_id FROM event_actor WHERE "
                             "side = 1 AND "
                           : "event_id IN (SELECT event_id FROM event_actor "
                             "WHERE side = 0 AND ");
            qb_range(q, "code", p->code, p->code_hi);
            qb_sql(q, " AND ");
            qb_spans(q, p, "last_date", "first_date", i);
        }
        qb_sql(q, ") AND ");
    }
    if (p->code) {
        qb_either(q, "source_code", "target_code", p->code, p->code_hi);
        qb_sql(q, " AND ");
    }
    qb_spans(q, p, "event_date", "event_date", i);
}

/* The first column of the first row of q's statement as an integer (0
 * when NULL or none). */
static casus_status scalar(casus_store *s, qb *q, long long *out)
{
    *out = 0;
    if (q->st != CASUS_OK)
        return q->st;
    char row[1][32];
    casus_status st = first_row(s, buf_cstr(&q->sql), q->p, q->np, row, 1);
    *out = strtoll(row[0], NULL, 10);
    return st;
}

/*
 * Chooses how p's event part reads: through the actor postings, one event
 * row per posted id of the code (both sides), or through events_date, one
 * per event in the spans whatever its actors. A store written in date
 * order has postings with narrow dates, so a code's postings hold few
 * ids beyond the spans; one written out of date order (store_bench) has
 * postings that span every year, and a heavy country's ids are many
 * times the spans' events. The postings' n says how many ids; the events
 * in the spans are counted on events_date (index only) up to where the
 * postings are the cheaper path. A posted id costs about 1.5 times an
 * event read by date (10 M events, SQLite: 0.87 against 0.55 us of CPU;
 * PostgreSQL, IRN over two edge months: 0.44-0.55 s by date for 205,000
 * events, 0.78 s by the postings for 162,000 ids).
 */
static casus_status choose_path(casus_store *s, casus_ctx *ctx, plan *p)
{
    p->postings = 0;
    if (!p->code || !p->nd)
        return CASUS_OK;
    qb q = {ctx, BUF_INIT, NULL, 0, 0, CASUS_OK};
    qb_sql(&q, "SELECT sum(n) FROM event_postings WHERE side IN (0, 1) AND ");
    qb_range(&q, "code", p->code, p->code_hi);
    qb_sql(&q, " AND ");
    qb_spans(&q, p, "last_date", "first_date", p->nd);
    long long posted = 0, dated = 0;
    casus_status st = scalar(s, &q, &posted);
    qb_free(&q);
    if (st != CASUS_OK)
        return st;
    long long enough = posted + posted / 2 + 1;
    qb d = {ctx, BUF_INIT, NULL, 0, 0, CASUS_OK};
    qb_sql(&d, "SELECT count(*) FROM (");
    for (size_t i = 0; i < p->nd; i++) {
        qb_sql(&d, i ? " UNION ALL SELECT 1 FROM events WHERE "
                     : "SELECT 1 FROM events WHERE ");
        qb_spans(&d, p, "event_date", "event_date", i);
    }
    char lim[48];
    snprintf(lim, sizeof lim, " LIMIT %lld) x", enough);
    qb_sql(&d, lim);
    st = scalar(s, &d, &dated);
    qb_free(&d);
    p->postings = dated >= enough;
    return st;
}

/* The rollup part of a timeline plan (rollup_actor). */
static void qb_timeline(qb *q, const plan *p)
{
    qb_sql(q, "SELECT month, sum(events) AS events, sum(mc) AS "
              "material_conflict, sum(vc) AS verbal_conflict, sum(co) AS "
              "cooperation FROM (");
    if (p->rollups) {
        qb_sql(q, "SELECT month, sum(n) AS events, "
                  "sum(CASE WHEN quad_class = 4 THEN n ELSE 0 END) AS mc, "
                  "sum(CASE WHEN quad_class = 3 THEN n ELSE 0 END) AS vc, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN n ELSE 0 END) AS co "
                  "FROM rollup_actor WHERE ");
        if (p->code) {
            /* each event once: as source, or as target with a source
             * outside the range (the common prefix is shorter) */
            qb_sql(q, "side IN (0, 1) AND ");
            qb_range(q, "actor", p->code, p->code_hi);
            qb_sql(q, " AND (side = 0 OR common < CAST(");
            qb_arg(q, p->code_len);
            qb_sql(q, " AS INTEGER)) AND ");
        } else {
            qb_sql(q, "side = 0 AND ");
        }
        qb_sql(q, "month >= ");
        qb_arg(q, p->m_lo);
        qb_sql(q, " AND month <= ");
        qb_arg(q, p->m_hi);
        qb_sql(q, " GROUP BY month");
    }
    for (size_t i = 0; i < p->nd; i++) {
        qb_sql(q, p->rollups || i ? " UNION ALL " : "");
        qb_sql(q, "SELECT substr(event_date, 1, 7) AS month, count(*) AS "
                  "events, sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS mc, "
                  "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS vc, "
                  "sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS co "
                  "FROM events WHERE ");
        qb_events(q, p, i);
        qb_sql(q, " GROUP BY 1");
    }
    qb_sql(q, ") y GROUP BY month ORDER BY month");
}

static void qb_actor(qb *q, const plan *p)
{
    qb_sql(q, "SELECT month, sum(s) AS as_source, sum(t) AS as_target, "
              "sum(s) + sum(t) AS events FROM (");
    if (p->rollups) {
        qb_sql(q, "SELECT month, sum(CASE WHEN side = 0 THEN n ELSE 0 END) AS s, "
                  "sum(CASE WHEN side = 1 THEN n ELSE 0 END) AS t "
                  "FROM rollup_actor WHERE side IN (0, 1) AND ");
        qb_range(q, "actor", p->code, p->code_hi);
        qb_sql(q, " AND month >= ");
        qb_arg(q, p->m_lo);
        qb_sql(q, " AND month <= ");
        qb_arg(q, p->m_hi);
        qb_sql(q, " GROUP BY month");
    }
    for (size_t i = 0; i < p->nd; i++) {
        qb_sql(q, p->rollups || i ? " UNION ALL " : "");
        qb_sql(q, "SELECT substr(event_date, 1, 7) AS month, sum(CASE WHEN ");
        qb_range(q, "source_code", p->code, p->code_hi);
        qb_sql(q, " THEN 1 ELSE 0 END) AS s, sum(CASE WHEN ");
        qb_range(q, "target_code", p->code, p->code_hi);
        qb_sql(q, " THEN 1 ELSE 0 END) AS t FROM events WHERE ");
        qb_events(q, p, i);
        qb_sql(q, " GROUP BY 1");
    }
    qb_sql(q, ") y GROUP BY month ORDER BY month");
}

/* The all-time dyads ('*' rows) with p's code on either side, in the
 * order of their counts. */
static void qb_star(qb *q, const plan *p)
{
    qb_sql(q, "SELECT source, target, n FROM rollup_dyad WHERE month = '*'");
    if (p->code) {
        qb_sql(q, " AND ");
        qb_either(q, "source", "target", p->code, p->code_hi);
    }
    qb_sql(q, " ORDER BY n DESC, source, target");
}

/* dyads. With p->cands, only the cands dyads of most events of all time
 * are counted: their month rows are read by key (month, source, target)
 * for each month of p->months, their events of the spans beside them. */
static void qb_dyads(qb *q, const plan *p)
{
    char lim[48];
    if (p->cands) {
        /* in key order, so each month's rows are read left to right */
        qb_sql(q, "WITH c AS (SELECT source, target FROM (");
        qb_star(q, p);
        snprintf(lim, sizeof lim, " LIMIT %zu) x ORDER BY source, target) ",
                 p->cands);
        qb_sql(q, lim);
    }
    qb_sql(q, "SELECT source, target, sum(events) AS events, sum(conflict) "
              "AS conflict, min(first) AS first, max(last) AS last FROM (");
    if (p->rollups && p->cands && p->pg) {
        /* PostgreSQL hashes all of rollup_dyad for a join; a lateral
         * subquery is read by key for each candidate */
        qb_sql(q, "SELECT c.source AS source, c.target AS target, r.n AS "
                  "events, r.conflict AS conflict, r.first AS first, r.last "
                  "AS last FROM c CROSS JOIN LATERAL (SELECT n, conflict, "
                  "first, last FROM rollup_dyad r WHERE r.month IN (");
        qb_sql(q, p->months);
        qb_sql(q, ") AND r.source = c.source AND r.target = c.target) r");
    } else if (p->rollups && p->cands) {
        qb_sql(q, "SELECT r.source AS source, r.target AS target, r.n AS "
                  "events, r.conflict AS conflict, r.first AS first, r.last "
                  "AS last FROM (VALUES ");
        qb_sql(q, p->months);
        qb_sql(q, ") AS m CROSS JOIN c CROSS JOIN rollup_dyad r WHERE r.month = m.column1 "
                  "AND r.source = c.source AND r.target = c.target");
    } else if (p->rollups) {
        qb_sql(q, "SELECT source, target, n AS events, conflict, first, last "
                  "FROM rollup_dyad WHERE month >= ");
        qb_arg(q, p->m_lo);
        qb_sql(q, " AND month <= ");
        qb_arg(q, p->m_hi);
        if (p->code) {
            qb_sql(q, " AND ");
            qb_either(q, "source", "target", p->code, p->code_hi);
        }
    }
    for (size_t i = 0; i < p->nd; i++) {
        qb_sql(q, p->rollups || i ? " UNION ALL " : "");
        qb_sql(q, "SELECT source_code AS source, target_code AS target, "
                  "count(*) AS events, sum(CASE WHEN quad_class >= 3 THEN 1 "
                  "ELSE 0 END) AS conflict, min(event_date) AS first, "
                  "max(event_date) AS last FROM events WHERE target_code IS "
                  "NOT NULL AND ");
        qb_events(q, p, i);
        if (p->cands)
            qb_sql(q, " AND (source_code, target_code) IN (SELECT source, "
                      "target FROM c)");
        qb_sql(q, " GROUP BY source_code, target_code");
    }
    qb_sql(q, ") y GROUP BY source, target ORDER BY events DESC, source, "
              "target");
    snprintf(lim, sizeof lim, " LIMIT %zu", p->limit);
    qb_sql(q, lim);
}

/* "YYYY-MM" */
static int is_month(const char *m)
{
    if (strlen(m) != 7 || m[4] != '-')
        return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (m[i] < '0' || m[i] > '9'))
            return 0;
    return 1;
}

/* The months of the store's rollups (rollup_months) inside [lo, hi], as
 * a VALUES list in out; their number in *n (0 with an empty out when
 * there are none or more than max, or the store's months look odd), the
 * number of all the store's months in *all. */
static casus_status month_list(casus_store *s, casus_ctx *ctx, const char *lo,
                               const char *hi, size_t max, buf *out,
                               size_t *n, size_t *all)
{
    char first[16] = "", last[16] = "", m[16];
    *n = 0;
    *all = 0;
    buf_reset(out);
    casus_status st = rollup_months(s, first, last);
    if (st != CASUS_OK || !is_month(first) || !is_month(last))
        return st;
    snprintf(m, sizeof m, "%s", first);
    for (size_t k = 0; strcmp(m, last) <= 0 && st == CASUS_OK; k++) {
        if (k > 12 * 10000 || *n > max) {
            *n = 0;
            buf_reset(out);
            return CASUS_OK;
        }
        if (strcmp(m, lo) >= 0 && strcmp(m, hi) <= 0)
            st = buf_printf(ctx, out, "%s('%s')", (*n)++ ? ", " : "", m);
        (*all)++;
        char next[16];
        month_step(m, 1, next);
        memcpy(m, next, sizeof m);
    }
    return st;
}

typedef struct memsink {
    casus_ctx *ctx;
    buf b;
} memsink;

static int memsink_write(void *ud, const char *p, size_t n)
{
    memsink *m = ud;
    return buf_append(m->ctx, &m->b, p, n) != CASUS_OK;
}

/* Runs the plan's statement to out; for dyads with p->cands, to memory,
 * with the events of the last row (of at most limit) in *last and the
 * rows in *rows. */
static casus_status run_plan(casus_store *s, casus_ctx *ctx, const plan *p,
                             casus_table_format fmt, size_t limit,
                             casus_sink *out, table_stats *stats)
{
    qb q = {ctx, BUF_INIT, NULL, 0, 0, CASUS_OK};
    if (!strcmp(p->query, "timeline"))
        qb_timeline(&q, p);
    else if (!strcmp(p->query, "dyads"))
        qb_dyads(&q, p);
    else
        qb_actor(&q, p);
    casus_status st = q.st;
    store_cursor *cur = NULL;
    if (st == CASUS_OK)
        st = store_cursor_open(s, buf_cstr(&q.sql), q.p, q.np, &cur);
    if (st == CASUS_OK) {
        st = run_table(ctx, cur, fmt, limit, out, stats);
        store_cursor_close(cur);
    }
    qb_free(&q);
    return st == CASUS_DONE ? CASUS_OK : st;
}

/*
 * Runs a plan. The dyads of a range of months are the sums of their month
 * rows: on 10 M events 44,000 rows a month, 4.2 M for eight years, which
 * take seconds to add up. But a dyad's count in any range is at most its
 * all-time count (the '*' row), so the top `limit` dyads of a range are
 * among the K dyads of most events of all time as soon as the limit-th
 * count in the range, counted over those K, is above the all-time count of
 * the (K+1)-th: those K are counted by key, month by month (and their
 * events of the spans), starting from 20 times the limit (for a range of
 * few of the store's months; down to twice the limit for one of nearly
 * all of them) and growing eightfold until that holds. Past DYAD_SEEKS reads by key, or when the
 * range has few months, every month row of the range is read.
 * PostgreSQL reads the month rows of each candidate by a lateral
 * subquery (a join it hashes over all of rollup_dyad: 4.4 M rows on 10 M
 * events).
 */
static casus_status run_day_plan(casus_store *s, casus_ctx *ctx, plan *p,
                                 casus_table_format fmt, size_t limit,
                                 casus_sink *out)
{
    casus_status st = choose_path(s, ctx, p);
    if (st != CASUS_OK)
        return st;
    p->limit = limit;
    p->pg = is_pg(s);
    buf months = BUF_INIT;
    size_t nm = 0, all = 0;
    if (!strcmp(p->query, "dyads") && p->rollups && limit)
        st = month_list(s, ctx, p->m_lo, p->m_hi, DYAD_SEEKS / 20 / limit,
                        &months, &nm, &all);
    p->months = buf_cstr(&months);
    /* 20 times the limit for a range of few of the store's months, down
     * to twice the limit for one of nearly all of them, whose top dyads
     * are those of all time but for the months outside */
    size_t k = all ? (20 * (all - nm) + all - 1) / all : 20;
    p->cands = nm >= DYAD_MONTHS ? (k < 2 ? 2 : k) * limit : 0;
    memsink m = {ctx, BUF_INIT};
    casus_sink to_mem = {memsink_write, &m};
    while (st == CASUS_OK && p->cands) {
        table_stats ts = {2, 0, 0};
        buf_reset(&m.b);
        st = run_plan(s, ctx, p, fmt, limit, &to_mem, &ts);
        qb q = {ctx, BUF_INIT, NULL, 0, 0, CASUS_OK};
        qb_sql(&q, "SELECT n FROM (");
        qb_star(&q, p);
        char off[64];
        snprintf(off, sizeof off, " LIMIT 1 OFFSET %zu) x", p->cands);
        qb_sql(&q, off);
        long long next = 0;
        if (st == CASUS_OK)
            st = scalar(s, &q, &next);
        qb_free(&q);
        if (st != CASUS_OK)
            break;
        if (next == 0 || (ts.rows == limit && next < ts.last)) {
            if (m.b.n && out->write(out->ud, m.b.p, m.b.n) != 0)
                st = ctx_fail(ctx, CASUS_EIO, "cannot write output");
            goto done;
        }
        p->cands = p->cands * 8 * nm > DYAD_SEEKS ? 0 : p->cands * 8;
    }
    if (st == CASUS_OK)
        st = run_plan(s, ctx, p, fmt, limit, out, NULL);
done:
    buf_free(ctx, &m.b);
    buf_free(ctx, &months);
    return st;
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
    char sql_all[400];
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
    int named = !strcmp(query, "timeline") || !strcmp(query, "dyads") ||
                !strcmp(query, "actor");
    if (named && !strcmp(query, "dyads") && !limit)
        limit = 50;
    if (named && !months) {
        /* A day bound, or rollup sums pending: the rollups for the whole
         * months inside (none while pending), the events for the rest. */
        plan p;
        memset(&p, 0, sizeof p);
        p.query = query;
        p.code = arg ? arg : c;
        p.code_hi = arg ? a_hi : c_hi;
        p.code_len = c_len;
        p.rollups = mixed;
        p.m_lo = m_lo[0] ? m_lo : "0";   /* not rollup_dyad's '*' rows */
        p.m_hi = m_hi;
        if (!mixed)
            p.d[p.nd++] = (span){from, to};
        if (mixed && a2[0])
            p.d[p.nd++] = (span){a1, a2};
        if (mixed && b2[0])
            p.d[p.nd++] = (span){b1, b2};
        return run_day_plan(s, ctx, &p, fmt, limit, out);
    }
    if (0) {
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
        /* A range that holds every dated event reads the all-time rows. */
        int all = !opt->from && !opt->to;
        if (!all) {
            char lo[16] = "", hi[16] = "";
            if ((st = rollup_months(s, lo, hi)) != CASUS_OK)
                return st;
            all = !lo[0] || (strcmp(from, lo) <= 0 && strcmp(hi, to) <= 0);
        }
        /* LIMIT in the statement: a top-N sort instead of sorting all
         * 227,000 all-time dyads of 10 M events */
        snprintf(sql_all, sizeof sql_all,
                 "SELECT source, target, n AS events, conflict, first, last "
                 "FROM rollup_dyad WHERE month = '*'%s ORDER BY events DESC, "
                 "source, target LIMIT %zu", c ? " AND ((source >= $1 AND "
                 "source < $2) OR (target >= $3 AND target < $4))" : "", limit);
        if (all && c) {
            sql = sql_all;
            const char *p[] = {c, c_hi, c, c_hi};
            memcpy(params, p, sizeof p);
            np = 4;
        } else if (all) {
            sql = sql_all;
        } else {
            plan p;
            memset(&p, 0, sizeof p);
            p.query = query;
            p.code = c;
            p.code_hi = c_hi;
            p.rollups = 1;
            p.m_lo = m_from;
            p.m_hi = to;
            return run_day_plan(s, ctx, &p, fmt, limit, out);
        }
    } else if (months && !strcmp(query, "actor")) {
        sql = "SELECT month, sum(CASE WHEN side = 0 THEN n ELSE 0 END) AS as_source, "
              "sum(CASE WHEN side = 1 THEN n ELSE 0 END) AS as_target, sum(n) AS events "
              "FROM rollup_actor WHERE side IN (0, 1) AND actor >= $1 AND actor < $2 "
              "AND month >= $3 AND month <= $4 GROUP BY month ORDER BY month";
        const char *p[] = {arg, a_hi, from, to};
        memcpy(params, p, sizeof p);
        np = 4;
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
                 "i.perpetrators, i.targets, i.n_documents AS documents, "
                 "i.n_evidence AS evidence FROM incidents i "
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
    st = run_table(ctx, cur, fmt, limit, out, NULL);
    store_cursor_close(cur);
    return st == CASUS_DONE ? CASUS_OK : st;
}
