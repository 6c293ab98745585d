/*
 * sentence.c - the sentence splitter: words -> sentences.
 *
 * Pipeline position: after token.c, on the same normalised text; doc.c maps
 * the offsets back to the raw text afterwards.
 *
 * A sentence ends:
 *   - at a paragraph break (a blank line, i.e. two newlines with only spaces
 *     or tabs between them) - always;
 *   - after a terminal mark ( . ! ? and runs of them, "..." and U+2026),
 *     together with the closing quotes and brackets attached to it, unless
 *     the next word begins in lower case or is punctuation that continues the
 *     sentence ( , ; : ) - for an ellipsis, unless the next word is not
 *     capitalised;
 *   - after a word that ends in its own period (an abbreviation such as
 *     "Inc." or "U.S.", as token.c keeps them) only when the next word is a
 *     frequent sentence opener ("The", "He", "But", ...); titles ("Mr.",
 *     "Gen.") and initials ("J.") never end a sentence.
 * A single newline is whitespace: PETRARCH and wire texts wrap lines inside
 * sentences. A multiword token (CASUS_TOK_JOIN_NEXT) is never split.
 *
 * The splitter makes one pass over the words and allocates only to grow the
 * caller's sentence vector.
 */
#include "sentence.h"

#include <string.h>

#include "util/mem.h"

static int is_upper_start(const casus_slice *f)
{
    unsigned char c = (unsigned char)f->p[0];
    if (c >= 'A' && c <= 'Z')
        return 1;
    /* Latin-1 and Latin Extended capitals: a cheap approximation. */
    return c == 0xC3 && f->n > 1 && (unsigned char)f->p[1] >= 0x80
           && (unsigned char)f->p[1] <= 0x9E;
}

static int form_is(const casus_slice *f, const char *s)
{
    size_t k = strlen(s);
    return f->n == k && memcmp(f->p, s, k) == 0;
}

/* . ! ? and runs or mixtures of them; U+2026. */
static int is_terminal(const casus_slice *f, int *ellipsis)
{
    *ellipsis = 0;
    if (form_is(f, "\xE2\x80\xA6")) {
        *ellipsis = 1;
        return 1;
    }
    size_t dots = 0;
    for (size_t i = 0; i < f->n; i++) {
        char c = f->p[i];
        if (c == '.')
            dots++;
        else if (c != '!' && c != '?')
            return 0;
    }
    *ellipsis = dots >= 2 && dots == f->n;
    return f->n > 0;
}

/* Closing quotes and brackets that stay with the sentence they close. */
static int is_closer(const casus_slice *f)
{
    return form_is(f, "\"") || form_is(f, "'") || form_is(f, ")")
           || form_is(f, "]") || form_is(f, "''")
           || form_is(f, "\xE2\x80\x9D")    /* ” */
           || form_is(f, "\xE2\x80\x99")    /* ’ */
           || form_is(f, "\xC2\xBB");       /* » */
}

static int continues(const casus_slice *f)
{
    return form_is(f, ",") || form_is(f, ";") || form_is(f, ":")
           || form_is(f, ")") || form_is(f, "%");
}

/* Titles and other abbreviations that do not end a sentence. */
static int is_title(const casus_slice *f)
{
    static const char *const titles[] = {
        "Adm.", "Brig.", "Capt.", "Cmdr.", "Col.", "Cpl.", "Dr.", "Gen.",
        "Gov.", "Hon.", "Insp.", "Lt.", "Maj.", "Messrs.", "Mr.", "Mrs.",
        "Ms.", "Mt.", "No.", "Prof.", "Pvt.", "Rep.", "Rev.", "Sen.", "Sgt.",
        "St.", "Supt.", "vs.", "Ft.", "Pfc.", "Det.",
    };
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (form_is(f, titles[i]))
            return 1;
    /* An initial: one capital and a period. */
    return f->n == 2 && f->p[1] == '.' && f->p[0] >= 'A' && f->p[0] <= 'Z';
}

/* Words that often open a sentence after an abbreviation's period. */
static int is_opener(const casus_slice *f)
{
    static const char *const op[] = {
        "A", "After", "An", "And", "As", "At", "But", "He", "Her", "His",
        "I", "If", "In", "It", "Its", "Many", "No", "On", "One", "Other",
        "She", "So", "Some", "That", "The", "Their", "There", "These",
        "They", "This", "Those", "Two", "We", "What", "When", "While", "You",
    };
    for (size_t i = 0; i < sizeof op / sizeof op[0]; i++)
        if (form_is(f, op[i]))
            return 1;
    return 0;
}

/* Is there a blank line in text[a..b)? */
static int para_break(const char *text, size_t a, size_t b)
{
    const char *p = memchr(text + a, '\n', b - a);
    while (p) {
        size_t i = (size_t)(p - text) + 1;
        while (i < b && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
            i++;
        if (i < b && text[i] == '\n')
            return 1;
        if (i >= b)
            return 0;
        p = memchr(text + i, '\n', b - i);
    }
    return 0;
}

static casus_status add(casus_ctx *ctx, const char *text, const casus_token *tok,
                        size_t first, size_t last, sentence_vec *out)
{
    if (out->n == out->cap
        && mem_grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)
               != CASUS_OK)
        return CASUS_ENOMEM;
    casus_sentence *s = &out->v[out->n++];
    s->first_token = first;
    s->n_tokens = last - first + 1;
    s->start = tok[first].start;
    s->end = tok[last].end;
    s->text.p = text + s->start;
    s->text.n = s->end - s->start;
    return CASUS_OK;
}

casus_status sentence_run(casus_ctx *ctx, const char *text, size_t n,
                          const casus_token *tok, size_t ntok,
                          sentence_vec *out)
{
    (void)n;
    size_t first = 0;
    for (size_t i = 0; i < ntok; i++) {
        int end = i + 1 == ntok;
        if (!end && !(tok[i].flags & CASUS_TOK_JOIN_NEXT)) {
            const casus_slice *f = &tok[i].form;
            int ell;
            size_t j = i; /* last word of the sentence if it ends here */
            if (is_terminal(f, &ell)) {
                while (j + 1 < ntok && is_closer(&tok[j + 1].form)
                       && tok[j + 1].start == tok[j].end)
                    j++;
                if (j + 1 < ntok) {
                    const casus_slice *nx = &tok[j + 1].form;
                    if (ell)
                        end = is_upper_start(nx);
                    else
                        end = !continues(nx);
                } else {
                    end = 1;
                }
            } else if (f->n > 1 && f->p[f->n - 1] == '.' && !is_title(f)) {
                end = is_opener(&tok[i + 1].form);
            }
            if (end)
                i = j;
            else if (para_break(text, tok[i].end, tok[i + 1].start))
                end = 1;
        }
        if (end) {
            if (add(ctx, text, tok, first, i, out) != CASUS_OK)
                return CASUS_ENOMEM;
            first = i + 1;
        }
    }
    return CASUS_OK;
}
