/*
 * dict_petrarch.c - reads PETRARCH (and TABARI-style) dictionaries into the
 * model of dict.h: actors with synonyms and date restrictions, agents with
 * plurals and !substitution! markers, verbs with synsets, irregular forms,
 * multi-word verbs, patterns and transformations, and discards.
 *
 * Where it sits: called by dict.c for a file whose name says *actors*,
 * *agents*, *verbs* or CAMEO*, *discards* and which has no casus header
 * (`casus --dictionaries DIR` with Phoenix or validation dictionaries).
 *
 * The reading follows PETRARCH2's PETRreader.py and docs/dictionaries.rst:
 * '#' starts a comment anywhere on a line; lines starting "<!" and
 * "<!-- ... -->" blocks (over several lines too) are comments; actor date
 * restrictions are indented lines "[CODE <DATE]", "[CODE >DATE]",
 * "[CODE DATE-DATE]" (inclusive) or "[CODE]" (the default), with dates
 * YYYYMMDD or YYMMDD (00-30 -> 20YY); a bad date or a reversed range is a
 * warning and the line is skipped, as in PETRARCH. Structural errors (a
 * synonym or restriction before any actor, a pattern outside a verb block,
 * a pattern without '*' or [code], an unclosed '[' or '{') reject the file.
 * Deliberate differences are listed in docs/DICTIONARIES.md.
 */
#include "dict.h"

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "ctx.h"
#include "match.h"
#include "util/mem.h"

typedef struct preader {
    casus_dicts *d;
    const char *path;
    uint32_t file;
    const char *p, *end;
    unsigned long line;
    int in_comment;
} preader;

static casus_status pfail(preader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static casus_status pfail(preader *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctx_fail(r->d->ctx, CASUS_EFORMAT, "%s:%lu: %s", r->path, r->line, msg);
}

/* The next line with comments removed and trailing blanks trimmed (leading
 * blanks are kept: they mark actor date restrictions); 0 at the end. */
static int pnext(preader *r, const char **s, size_t *n)
{
    while (r->p < r->end) {
        const char *b = r->p;
        const char *nl = memchr(b, '\n', (size_t)(r->end - b));
        const char *e = nl ? nl : r->end;
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        if (r->in_comment) {
            const char *c = NULL;
            for (const char *q = b; q + 2 < e; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] == '>') {
                    c = q;
                    break;
                }
            if (!c)
                continue;
            r->in_comment = 0;
            continue;   /* PETRARCH drops the rest of the closing line */
        }
        if (e - b >= 2 && b[0] == '<' && b[1] == '!') {
            /* "<!-- ... -->" on one line, or the start of a block */
            int closed = 0;
            for (const char *q = b + 2; q + 2 < e + 0 && !closed; q++)
                closed = q[0] == '-' && q[1] == '-' && q[2] == '>';
            if (!closed && e - b >= 4 && memcmp(b, "<!--", 4) == 0)
                r->in_comment = 1;
            continue;
        }
        /* '#' starts a comment, except inside a [code] ("[###]") */
        int in_br = 0;
        for (const char *q = b; q < e; q++) {
            if (*q == '[')
                in_br = 1;
            else if (*q == ']')
                in_br = 0;
            else if (*q == '#' && !in_br) {
                e = q;
                break;
            }
        }
        /* an inline <!-- ... --> */
        for (const char *q = b; q + 3 < e; q++) {
            if (memcmp(q, "<!--", 4) == 0) {
                e = q;
                break;
            }
        }
        while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        const char *t = b;
        while (t < e && (*t == ' ' || *t == '\t'))
            t++;
        if (t == e)
            continue;
        *s = b;
        *n = (size_t)(e - b);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- actors */

static casus_status gapped_phrase(preader *r, dict_kind kind, const char *s, size_t n,
                                  uint32_t entry);

/* Stores one actor phrase. As in agents and patterns, a blank between words
 * lets other words come between ("ITHILEN TELEVISION" matches "Ithilen
 * state-run television"); '_' joins words that must be adjacent. */
static casus_status actor_phrase(preader *r, const char *s, size_t n, uint32_t entry)
{
    casus_dicts *d = r->d;
    uint32_t first, nw, upper;
    dict_trim(&s, &n);
    if (memchr(s, ' ', n) || memchr(s, '\t', n))
        return gapped_phrase(r, DICT_ACTORS, s, n, entry);
    casus_status st = dict_phrase_words(d, s, n, DICT_UPPER_PETRARCH, &first, &nw, &upper);
    if (st == CASUS_EINVAL) {
        dict_warn(d, r->path, r->line, "actor phrase '%.*s' has no words (or too many); skipped",
                  (int)n, s);
        return CASUS_OK;
    }
    if (st != CASUS_OK)
        return st;
    return dict_add_phrase(d, DICT_ACTORS, first, nw, 0, upper, entry, r->file,
                           (uint32_t)r->line);
}

static int null_code(const char *s, size_t n)
{
    return n == 0 || (n == 3 && memcmp(s, "---", 3) == 0);
}

static casus_status restriction(preader *r, dict_actor *a, const char *s, size_t n)
{
    casus_dicts *d = r->d;
    const char *br = memchr(s, '[', n);
    if (!br) {
        dict_warn(d, r->path, r->line,
                  "String in date restriction could not be interpreted; line skipped");
        return CASUS_OK;
    }
    const char *in = br + 1, *close = memchr(in, ']', (size_t)(s + n - in));
    size_t inn = close ? (size_t)(close - in) : (size_t)(s + n - in);
    dict_trim(&in, &inn);
    const char *sp = in;
    while (sp < in + inn && *sp != ' ' && *sp != '\t' && *sp != '<' && *sp != '>')
        sp++;
    const char *code = in;
    size_t cn = (size_t)(sp - in);
    const char *rest = sp;
    size_t rn = (size_t)(in + inn - sp);
    dict_trim(&rest, &rn);
    uint32_t coff = 0;
    casus_status st;
    if (!null_code(code, cn) && (st = dict_str(d, code, cn, &coff)) != CASUS_OK)
        return st;
    if (rn == 0) {              /* [CODE]: replaces the default */
        a->code = coff;
        return CASUS_OK;
    }
    dict_day lo = DICT_DAY_MIN, hi = DICT_DAY_MAX;
    if (rest[0] == '<' || rest[0] == '>') {
        size_t k = 1;
        while (k < rn && (rest[k] < '0' || rest[k] > '9'))
            k++;
        size_t e = k;
        while (e < rn && rest[e] >= '0' && rest[e] <= '9')
            e++;
        dict_day day;
        if (dict_parse_day(rest + k, e - k, &day)) {
            dict_warn(d, r->path, r->line,
                      "String in date restriction could not be interpreted; line skipped");
            return CASUS_OK;
        }
        if (rest[0] == '<')
            hi = day;
        else
            lo = day;
    } else {
        const char *dash = memchr(rest, '-', rn);
        if (!dash) {
            dict_warn(d, r->path, r->line,
                      "String in date restriction could not be interpreted; line skipped");
            return CASUS_OK;
        }
        const char *a1 = rest, *a2 = dash + 1;
        size_t n1 = (size_t)(dash - rest), n2 = (size_t)(rest + rn - a2);
        dict_trim(&a1, &n1);
        dict_trim(&a2, &n2);
        if (dict_parse_day(a1, n1, &lo) || dict_parse_day(a2, n2, &hi)) {
            dict_warn(d, r->path, r->line,
                      "String in date restriction could not be interpreted; line skipped");
            return CASUS_OK;
        }
        if (hi < lo) {
            dict_warn(d, r->path, r->line,
                      "End date in interval date restriction is less than starting date; "
                      "line skipped");
            return CASUS_OK;
        }
    }
    if (a->first_restrict + a->n_restrict != d->n_restricts)
        return pfail(r, "date restriction out of place");
    if ((st = mem_grow(d->ctx, (void **)&d->restricts, &d->cap_restricts,
                       d->n_restricts + 1, sizeof *d->restricts)) != CASUS_OK)
        return st;
    d->restricts[d->n_restricts].code = coff;
    d->restricts[d->n_restricts].lo = lo;
    d->restricts[d->n_restricts].hi = hi;
    d->n_restricts++;
    a->n_restrict++;
    return CASUS_OK;
}

static int has_stop(const char *s, size_t n)
{
    for (size_t i = 0; i + 10 <= n; i++)
        if (memcmp(s + i, "---STOP---", 10) == 0)
            return 1;
    return 0;
}

static casus_status load_actors(preader *r)
{
    casus_dicts *d = r->d;
    const char *s;
    size_t n;
    long cur = -1;
    casus_status st;
    while (pnext(r, &s, &n)) {
        if (has_stop(s, n))
            break;
        if (s[0] == ' ' || s[0] == '\t') {
            if (cur < 0)
                return pfail(r, "date restriction before any actor");
            if ((st = restriction(r, &d->actors[cur], s, n)) != CASUS_OK)
                return st;
            continue;
        }
        if (s[0] == '+') {
            if (cur < 0)
                return pfail(r, "synonym before any actor");
            s++;
            n--;
            const char *cut = memchr(s, ';', n);
            if (cut)
                n = (size_t)(cut - s);
            cut = memchr(s, '[', n);
            if (cut)
                n = (size_t)(cut - s);
            if ((st = actor_phrase(r, s, n, (uint32_t)cur)) != CASUS_OK)
                return st;
            continue;
        }
        /* a primary phrase, optionally with [CODE] */
        if ((st = mem_grow(d->ctx, (void **)&d->actors, &d->cap_actors, d->n_actors + 1,
                           sizeof *d->actors)) != CASUS_OK)
            return st;
        dict_actor *a = &d->actors[d->n_actors];
        memset(a, 0, sizeof *a);
        a->first_restrict = (uint32_t)d->n_restricts;
        a->file = r->file;
        a->line = (uint32_t)r->line;
        const char *br = memchr(s, '[', n), *semi = memchr(s, ';', n);
        size_t pn = br ? (size_t)(br - s) : semi ? (size_t)(semi - s) : n;
        if (br) {
            const char *close = memchr(br, ']', (size_t)(s + n - br));
            if (!close)
                return pfail(r, "missing ']' after the code");
            const char *c = br + 1;
            size_t cn = (size_t)(close - c);
            dict_trim(&c, &cn);
            if (!null_code(c, cn) && (st = dict_str(d, c, cn, &a->code)) != CASUS_OK)
                return st;
        }
        const char *ph = s;
        dict_trim(&ph, &pn);
        if ((st = dict_str(d, ph, pn, &a->name)) != CASUS_OK)
            return st;
        cur = (long)d->n_actors++;
        if ((st = actor_phrase(r, ph, pn, (uint32_t)cur)) != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

/* ---------------------------------------------------------------- agents */

/* Stores one phrase of kind: blanks allow words between, '_' does not. */
static casus_status gapped_phrase(preader *r, dict_kind kind, const char *s, size_t n,
                                  uint32_t entry)
{
    casus_dicts *d = r->d;
    uint32_t first = (uint32_t)d->n_words, total = 0, gaps = 0;
    size_t i = 0;
    dict_trim(&s, &n);
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t')
            j++;
        if (j == i)
            break;
        uint32_t f, nw, up;
        casus_status st = dict_phrase_words(d, s + i, j - i, DICT_UPPER_NONE, &f, &nw, &up);
        if (st == CASUS_OK) {
            if (total + nw > DICT_MAX_PHRASE) {
                d->n_words = first;
                return CASUS_OK;
            }
            if (total > 0)
                gaps |= 1u << (total - 1);
            total += nw;
        } else if (st != CASUS_EINVAL) {
            return st;
        }
        i = j;
    }
    if (total == 0) {
        dict_warn(d, r->path, r->line, "%s phrase has no words; skipped",
                  kind == DICT_ACTORS ? "actor" : "agent");
        return CASUS_OK;
    }
    return dict_add_phrase(d, kind, first, total, gaps, 0, entry, r->file,
                           (uint32_t)r->line);
}

static casus_status agent_phrase(preader *r, const char *s, size_t n, uint32_t entry)
{
    return gapped_phrase(r, DICT_AGENTS, s, n, entry);
}

typedef struct subst {
    char name[64];
    char items[1024];        /* comma-separated */
} subst;

static casus_status load_agents(preader *r)
{
    casus_dicts *d = r->d;
    const char *s;
    size_t n;
    casus_status st = CASUS_OK;
    subst *subs = NULL;
    size_t n_subs = 0, cap_subs = 0;
    buf tmp = BUF_INIT, plural = BUF_INIT;
    while (pnext(r, &s, &n)) {
        dict_trim(&s, &n);
        const char *bang = memchr(s, '!', n), *eq = memchr(s, '=', n);
        if (bang && eq && bang < eq) {          /* !MARKER! = A, B, C */
            const char *b2 = memchr(bang + 1, '!', (size_t)(s + n - bang - 1));
            if (!b2 || b2 > eq) {
                dict_warn(d, r->path, r->line,
                          "Substitution marker incorrectly defined in .agents file ; line skipped");
                continue;
            }
            if ((st = mem_grow(d->ctx, (void **)&subs, &cap_subs, n_subs + 1,
                               sizeof *subs)) != CASUS_OK)
                goto done;
            subst *sb = &subs[n_subs++];
            snprintf(sb->name, sizeof sb->name, "%.*s", (int)(b2 - bang - 1), bang + 1);
            snprintf(sb->items, sizeof sb->items, "%.*s", (int)(s + n - eq - 1), eq + 1);
            continue;
        }
        const char *br = memchr(s, '[', n);
        if (!br) {
            dict_warn(d, r->path, r->line, "Codes are required for agents in .agents file ; "
                                           "line skipped");
            continue;
        }
        const char *close = memchr(br, ']', (size_t)(s + n - br));
        const char *code = br + 1;
        size_t cn = close ? (size_t)(close - code) : (size_t)(s + n - code);
        dict_trim(&code, &cn);
        if (!close) {
            /* "[~ENV}" occurs in Phoenix.agents.txt; PETRARCH reads it. */
            dict_warn(d, r->path, r->line, "missing ']' after the agent code '%.*s'", (int)cn,
                      code);
            while (cn && (code[cn - 1] == '}' || code[cn - 1] == ')'))
                cn--;
        }
        int prefix = 0;
        if (cn && code[0] == '~') {
            code++;
            cn--;
        } else if (cn && code[cn - 1] == '~') {
            prefix = 1;
            cn--;
        } else {
            dict_warn(d, r->path, r->line, "agent code '%.*s' has no '~'; taken as ~%.*s",
                      (int)cn, code, (int)cn, code);
        }
        if ((st = mem_grow(d->ctx, (void **)&d->agents, &d->cap_agents, d->n_agents + 1,
                           sizeof *d->agents)) != CASUS_OK)
            goto done;
        dict_agent *a = &d->agents[d->n_agents];
        memset(a, 0, sizeof *a);
        a->prefix = (uint8_t)prefix;
        a->file = r->file;
        a->line = (uint32_t)r->line;
        const char *ph = s;
        size_t pn = (size_t)(br - s);
        dict_trim(&ph, &pn);
        if ((st = dict_str(d, code, cn, &a->code)) != CASUS_OK ||
            (st = dict_str(d, ph, pn, &a->name)) != CASUS_OK)
            goto done;
        uint32_t entry = (uint32_t)d->n_agents++;
        const char *m1 = memchr(ph, '!', pn);
        if (m1) {
            const char *m2 = memchr(m1 + 1, '!', (size_t)(ph + pn - m1 - 1));
            subst *sb = NULL;
            for (size_t i = 0; m2 && i < n_subs; i++)
                if (strlen(subs[i].name) == (size_t)(m2 - m1 - 1) &&
                    memcmp(subs[i].name, m1 + 1, (size_t)(m2 - m1 - 1)) == 0)
                    sb = &subs[i];
            if (!sb) {
                dict_warn(d, r->path, r->line,
                          "Substitution marker %.*s missing in .agents file; line skipped",
                          (int)(m2 ? m2 - m1 + 1 : 1), m1);
                continue;
            }
            const char *it = sb->items;
            while (*it) {
                const char *comma = strchr(it, ',');
                size_t in = comma ? (size_t)(comma - it) : strlen(it);
                const char *item = it;
                dict_trim(&item, &in);
                buf_reset(&tmp);
                if ((st = buf_append(d->ctx, &tmp, ph, (size_t)(m1 - ph))) != CASUS_OK ||
                    (st = buf_append(d->ctx, &tmp, item, in)) != CASUS_OK ||
                    (st = buf_append(d->ctx, &tmp, m2 + 1, (size_t)(ph + pn - m2 - 1))) !=
                        CASUS_OK ||
                    (st = agent_phrase(r, tmp.p, tmp.n, entry)) != CASUS_OK)
                    goto done;
                it = comma ? comma + 1 : it + strlen(it);
            }
            continue;
        }
        const char *ob = memchr(ph, '{', pn);
        if (ob) {
            const char *cb = memchr(ob, '}', (size_t)(ph + pn - ob));
            if (!cb) {
                dict_warn(d, r->path, r->line, "Missing '}' in .agents file ; line skipped");
                d->n_agents--;
                continue;
            }
            const char *pl = ob + 1;
            size_t pln = (size_t)(cb - pl);
            dict_trim(&pl, &pln);
            size_t rootn = (size_t)(ob - ph);
            if ((st = agent_phrase(r, ph, rootn, entry)) != CASUS_OK)
                goto done;
            if (pln && (st = agent_phrase(r, pl, pln, entry)) != CASUS_OK)
                goto done;
            continue;
        }
        if ((st = agent_phrase(r, ph, pn, entry)) != CASUS_OK)
            goto done;
        dict_plural(ph, pn, &plural, d->ctx);
        if (plural.n && (st = agent_phrase(r, plural.p, plural.n, entry)) != CASUS_OK)
            goto done;
    }
done:
    mem_free(d->ctx, subs);
    buf_free(d->ctx, &tmp);
    buf_free(d->ctx, &plural);
    return st;
}

/* ---------------------------------------------------------------- verbs */

static casus_status syn_add(casus_dicts *d, uint32_t syn, uint32_t first, uint32_t n)
{
    casus_status st = mem_grow(d->ctx, (void **)&d->syn_phrases, &d->cap_syn_phrases,
                               d->n_syn_phrases + 1, sizeof *d->syn_phrases);
    if (st != CASUS_OK)
        return st;
    d->syn_phrases[d->n_syn_phrases].first = first;
    d->syn_phrases[d->n_syn_phrases].n = n;
    d->n_syn_phrases++;
    d->synsets[syn].n_phrase++;
    return CASUS_OK;
}

static casus_status synset_member(preader *r, uint32_t syn, int noplural,
                                  const char *s, size_t n, buf *plural)
{
    casus_dicts *d = r->d;
    casus_status st;
    dict_trim(&s, &n);
    if (n && s[0] == '&') {               /* an embedded synset: its phrases */
        uint32_t other = UINT32_MAX;
        size_t sn = n;
        while (sn > 1 && s[sn - 1] == '_')
            sn--;
        for (size_t i = 0; i < syn; i++) {
            const char *nm = dict_s(d, d->synsets[i].name);
            if (strlen(nm) == sn && memcmp(nm, s, sn) == 0)
                other = (uint32_t)i;
        }
        if (other == UINT32_MAX) {
            dict_warn(d, r->path, r->line, "undefined synset %.*s in a synset; skipped",
                      (int)n, s);
            return CASUS_OK;
        }
        for (uint32_t k = 0; k < d->synsets[other].n_phrase; k++) {
            dict_span sp = d->syn_phrases[d->synsets[other].first_phrase + k];
            if ((st = syn_add(d, syn, sp.first, sp.n)) != CASUS_OK)
                return st;
        }
        return CASUS_OK;
    }
    int exact = n && s[n - 1] == '_';
    uint32_t first, nw, up;
    st = dict_phrase_words(d, s, n, DICT_UPPER_NONE, &first, &nw, &up);
    if (st == CASUS_EINVAL) {
        dict_warn(d, r->path, r->line, "synset member has no words; skipped");
        return CASUS_OK;
    }
    if (st != CASUS_OK || (st = syn_add(d, syn, first, nw)) != CASUS_OK)
        return st;
    if (noplural || exact)
        return CASUS_OK;
    dict_plural(s, n, plural, d->ctx);
    if (!plural->n)
        return CASUS_OK;
    st = dict_phrase_words(d, plural->p, plural->n, DICT_UPPER_NONE, &first, &nw, &up);
    if (st == CASUS_EINVAL)
        return CASUS_OK;
    if (st != CASUS_OK)
        return st;
    return syn_add(d, syn, first, nw);
}

static casus_status load_verbs(preader *r)
{
    casus_dicts *d = r->d;
    const char *s;
    size_t n;
    long block = -1, syn = -1;
    int noplural = 0;
    casus_status st = CASUS_OK;
    buf plural = BUF_INIT;
    while (pnext(r, &s, &n)) {
        dict_trim(&s, &n);
        if (n >= 3 && memcmp(s, "---", 3) == 0) {      /* --- NAME [CODE] --- */
            syn = -1;
            const char *b = s, *e = s + n;
            while (b < e && (*b == '-' || *b == ' ' || *b == '\t'))
                b++;
            while (e > b && (e[-1] == '-' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            const char *br = memchr(b, '[', (size_t)(e - b));
            const char *name = b;
            size_t nn = br ? (size_t)(br - b) : (size_t)(e - b);
            dict_trim(&name, &nn);
            uint32_t coff = 0;
            if (br) {
                const char *close = memchr(br, ']', (size_t)(e - br));
                if (!close) {
                    st = pfail(r, "missing ']' in the block header");
                    goto done;
                }
                const char *c = br + 1;
                size_t cn = (size_t)(close - c);
                dict_trim(&c, &cn);
                dict_check_event_code(d, r->path, r->line, c, cn);
                if (!null_code(c, cn) && (st = dict_str(d, c, cn, &coff)) != CASUS_OK)
                    goto done;
            }
            if ((st = mem_grow(d->ctx, (void **)&d->blocks, &d->cap_blocks, d->n_blocks + 1,
                               sizeof *d->blocks)) != CASUS_OK)
                goto done;
            dict_verb_block *bl = &d->blocks[d->n_blocks];
            memset(bl, 0, sizeof *bl);
            if ((st = dict_str(d, name, nn, &bl->name)) != CASUS_OK)
                goto done;
            bl->code = coff;
            bl->file = r->file;
            bl->line = (uint32_t)r->line;
            block = (long)d->n_blocks++;
            continue;
        }
        if (s[0] == '&') {
            size_t nn = 1;
            while (nn < n && s[nn] != ' ' && s[nn] != '\t')
                nn++;
            noplural = s[nn - 1] == '_';
            size_t sn = nn;
            while (sn > 1 && s[sn - 1] == '_')
                sn--;
            if ((st = mem_grow(d->ctx, (void **)&d->synsets, &d->cap_synsets,
                               d->n_synsets + 1, sizeof *d->synsets)) != CASUS_OK)
                goto done;
            dict_synset *sy = &d->synsets[d->n_synsets];
            memset(sy, 0, sizeof *sy);
            if ((st = dict_str(d, s, sn, &sy->name)) != CASUS_OK)
                goto done;
            sy->first_phrase = (uint32_t)d->n_syn_phrases;
            sy->file = r->file;
            sy->line = (uint32_t)r->line;
            syn = (long)d->n_synsets++;
            continue;
        }
        if (s[0] == '+' && syn >= 0) {
            if ((st = synset_member(r, (uint32_t)syn, noplural, s + 1, n - 1, &plural)) !=
                CASUS_OK)
                goto done;
            continue;
        }
        syn = -1;
        if (s[0] == '~') {
            if ((st = mem_grow(d->ctx, (void **)&d->transforms, &d->cap_transforms,
                               d->n_transforms + 1, sizeof *d->transforms)) != CASUS_OK)
                goto done;
            dict_transform *t = &d->transforms[d->n_transforms];
            if ((st = dict_str(d, s, n, &t->text)) != CASUS_OK)
                goto done;
            t->file = r->file;
            t->line = (uint32_t)r->line;
            d->n_transforms++;
            continue;
        }
        if (block < 0) {
            st = pfail(r, "verb or pattern before any '--- NAME [CODE] ---' block");
            goto done;
        }
        if (s[0] == '-') {                          /* - PATTERN [CODE] */
            const char *ob = NULL;
            for (const char *q = s + n; q-- > s + 1;)
                if (*q == '[') {
                    ob = q;
                    break;
                }
            const char *cb = ob ? memchr(ob, ']', (size_t)(s + n - ob)) : NULL;
            if (!ob || !cb) {
                st = pfail(r, "pattern without a [code]");
                goto done;
            }
            const char *c = ob + 1;
            size_t cn = (size_t)(cb - c);
            dict_trim(&c, &cn);
            if ((st = dict_add_pattern(d, r->path, r->file, r->line, (uint32_t)block, s + 1,
                                       (size_t)(ob - s - 1), c, cn, 0)) != CASUS_OK)
                goto done;
            continue;
        }
        /* VERB {FORMS} [CODE] */
        const char *spec = s;
        size_t sn = 0;
        while (sn < n && spec[sn] != ' ' && spec[sn] != '\t' && spec[sn] != '{' &&
               spec[sn] != '[')
            sn++;
        const char *forms = NULL;
        size_t fn = 0;
        const char *ob = memchr(s, '{', n);
        if (ob) {
            const char *cb = memchr(ob, '}', (size_t)(s + n - ob));
            if (!cb) {
                st = pfail(r, "missing '}' after the verb forms");
                goto done;
            }
            forms = ob + 1;
            fn = (size_t)(cb - forms);
        }
        uint32_t coff = d->blocks[block].code;
        const char *cbr = NULL;
        for (const char *q = s + n; q-- > s;)
            if (*q == '[') {
                cbr = q;
                break;
            }
        if (cbr && (!ob || cbr > ob)) {
            const char *close = memchr(cbr, ']', (size_t)(s + n - cbr));
            if (!close) {
                st = pfail(r, "missing ']' after the verb code");
                goto done;
            }
            const char *c = cbr + 1;
            size_t cn = (size_t)(close - c);
            dict_trim(&c, &cn);
            dict_check_event_code(d, r->path, r->line, c, cn);
            coff = 0;
            if (!null_code(c, cn) && (st = dict_str(d, c, cn, &coff)) != CASUS_OK)
                goto done;
        }
        if ((st = dict_add_verb(d, r->path, r->file, r->line, (uint32_t)block, spec, sn, forms,
                                fn, coff)) != CASUS_OK)
            goto done;
    }
done:
    buf_free(d->ctx, &plural);
    return st;
}

/* ---------------------------------------------------------------- discards */

static casus_status load_discards(preader *r)
{
    casus_dicts *d = r->d;
    const char *s;
    size_t n;
    casus_status st;
    while (pnext(r, &s, &n)) {
        dict_trim(&s, &n);
        int story = 0;
        if (s[0] == '+') {
            story = 1;
            s++;
            n--;
            dict_trim(&s, &n);
        }
        int exact = n && s[n - 1] == '_';
        if ((st = mem_grow(d->ctx, (void **)&d->discards, &d->cap_discards,
                           d->n_discards + 1, sizeof *d->discards)) != CASUS_OK)
            return st;
        dict_discard *x = &d->discards[d->n_discards];
        if ((st = dict_str(d, s, n, &x->text)) != CASUS_OK)
            return st;
        x->story = (uint8_t)story;
        x->exact = (uint8_t)exact;
        x->file = r->file;
        x->line = (uint32_t)r->line;
        uint32_t first, nw, up;
        st = dict_phrase_words(d, s, n, DICT_UPPER_NONE, &first, &nw, &up);
        if (st == CASUS_EINVAL) {
            dict_warn(d, r->path, r->line, "discard has no words; skipped");
            continue;
        }
        if (st != CASUS_OK)
            return st;
        uint32_t idx = (uint32_t)d->n_discards++;
        if ((st = dict_add_phrase(d, DICT_DISCARDS, first, nw, 0, 0, idx, r->file,
                                  (uint32_t)r->line)) != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

casus_status dict_load_petrarch(casus_dicts *d, dict_kind kind, const char *path,
                                uint32_t file, const char *text, size_t n)
{
    preader r = {d, path, file, text, text + n, 0, 0};
    switch (kind) {
    case DICT_ACTORS: return load_actors(&r);
    case DICT_AGENTS: return load_agents(&r);
    case DICT_VERBS: return load_verbs(&r);
    case DICT_DISCARDS: return load_discards(&r);
    default: return ctx_fail(d->ctx, CASUS_EINVAL, "%s: unknown dictionary kind", path);
    }
}
