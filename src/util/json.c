/*
 * json.c - strict JSON pull parser for JSON Lines records (see json.h).
 *
 * Speed comes from two things: strings are scanned eight bytes at a time for
 * the only two bytes that matter inside them ('"' and '\\'), and a string
 * without escapes is copied with one memcpy. A string with escapes is
 * scanned (and its escapes validated) first, then decoded in a second pass
 * into room reserved up front: decoding never produces more bytes than the
 * escaped form holds (\uXXXX is 6 bytes for at most 3, a surrogate pair 12
 * for 4), so the output needs no bounds checks.
 */
#include "util/json.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS ((uint64_t)0x8080808080808080u)

/* Nonzero when some byte of x is zero (exact, no false positives). */
static inline uint64_t has_zero(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

static inline uint64_t has_quote_or_backslash(uint64_t x)
{
    return has_zero(x ^ (ONES * '"')) | has_zero(x ^ (ONES * '\\'));
}

static casus_status fail(json_parser *p, size_t pos, const char *msg)
{
    if (!p->err) {
        p->err = pos >= p->n ? "the record ends too early (truncated?)" : msg;
        p->err_pos = pos;
    }
    p->pos = p->n;
    return CASUS_EFORMAT;
}

static inline void skip_ws(json_parser *p)
{
    while (p->pos < p->n) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of 4 hex digits at s (known valid). */
static int32_t hex4(const char *s)
{
    return (int32_t)((hexval(s[0]) << 12) | (hexval(s[1]) << 8) |
                     (hexval(s[2]) << 4) | hexval(s[3]));
}

static int is_hex4(const char *s)
{
    return hexval(s[0]) >= 0 && hexval(s[1]) >= 0 && hexval(s[2]) >= 0 &&
           hexval(s[3]) >= 0;
}

void json_init(json_parser *p, const char *s, size_t n)
{
    memset(p, 0, offsetof(json_parser, key));
    p->s = s;
    p->n = n;
}

/*
 * Scans the string whose opening quote is at the cursor, validating its
 * escapes. Its body is s[*start .. *start + *len); *esc tells whether it
 * holds any backslash. Leaves the cursor after the closing quote.
 */
static casus_status scan_string(json_parser *p, size_t *start, size_t *len,
                                int *esc)
{
    const char *s = p->s;
    size_t n = p->n, i = p->pos + 1;
    *esc = 0;
    for (;;) {
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (has_quote_or_backslash(x))
                break;
            i += 8;
        }
        while (i < n && s[i] != '"' && s[i] != '\\')
            i++;
        if (i >= n)
            return fail(p, n, "unterminated string");
        if (s[i] == '"')
            break;
        *esc = 1;
        if (i + 1 >= n)
            return fail(p, n, "unterminated string");
        switch (s[i + 1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
        case 't':
            i += 2;
            break;
        case 'u':
            if (i + 6 > n || !is_hex4(s + i + 2))
                return fail(p, i, "bad \\u escape (needs 4 hex digits)");
            i += 6;
            break;
        default:
            return fail(p, i, "invalid escape in string");
        }
    }
    *start = p->pos + 1;
    *len = i - *start;
    p->pos = i + 1;
    return CASUS_OK;
}

/* Decodes the (validated) string body s[0..n) into out; returns the length
 * written, which is at most n. */
static size_t decode(const char *s, size_t n, char *out, size_t *lone)
{
    size_t i = 0, o = 0;
    while (i < n) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
        memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (!bs)
            break;
        char c = s[i + 1];
        i += 2;
        switch (c) {
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            int32_t cp = hex4(s + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int32_t lo = -1;
                if (i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u')
                    lo = hex4(s + i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;
                    (*lone)++;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
                (*lone)++;
            }
            o += utf8_encode(cp, out + o);
            break;
        }
        default: /* '"', '\\', '/' stand for themselves */
            out[o++] = c;
            break;
        }
    }
    return o;
}

static json_type type_at(const json_parser *p)
{
    if (p->pos >= p->n)
        return JSON_INVALID;
    switch (p->s[p->pos]) {
    case '"': return JSON_STRING;
    case '{': return JSON_OBJECT;
    case '[': return JSON_ARRAY;
    case 't': case 'f': return JSON_BOOL;
    case 'n': return JSON_NULL;
    case '-': case '0': case '1': case '2': case '3': case '4': case '5':
    case '6': case '7': case '8': case '9':
        return JSON_NUMBER;
    default: return JSON_INVALID;
    }
}

casus_status json_object_open(json_parser *p)
{
    if (p->err)
        return CASUS_EFORMAT;
    skip_ws(p);
    if (p->pos >= p->n || p->s[p->pos] != '{')
        return fail(p, p->pos < p->n ? p->pos : 0,
                    "a record must be a JSON object");
    p->pos++;
    p->members = 0;
    return CASUS_OK;
}

casus_status json_object_next(json_parser *p, casus_slice *key,
                              json_type *type)
{
    if (p->err)
        return CASUS_EFORMAT;
    skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == '}') {
        p->pos++;
        return CASUS_DONE;
    }
    if (p->members) {
        if (p->pos >= p->n || p->s[p->pos] != ',')
            return fail(p, p->pos, "expected ',' or '}' after a member");
        p->pos++;
        skip_ws(p);
    }
    if (p->pos >= p->n || p->s[p->pos] != '"')
        return fail(p, p->pos, "expected a string key");
    size_t start, len;
    int esc;
    if (scan_string(p, &start, &len, &esc) != CASUS_OK)
        return CASUS_EFORMAT;
    key->p = p->s + start;
    key->n = len;
    if (esc && len <= JSON_KEY_MAX) {
        size_t lone = 0;
        key->n = decode(p->s + start, len, p->key, &lone);
        key->p = p->key;
    }
    skip_ws(p);
    if (p->pos >= p->n || p->s[p->pos] != ':')
        return fail(p, p->pos, "expected ':' after a key");
    p->pos++;
    skip_ws(p);
    *type = type_at(p);
    if (*type == JSON_INVALID)
        return fail(p, p->pos, "expected a value");
    p->members++;
    return CASUS_OK;
}

casus_status json_string_decode(json_parser *p, casus_ctx *ctx, buf *out)
{
    if (p->err)
        return CASUS_EFORMAT;
    if (type_at(p) != JSON_STRING)
        return fail(p, p->pos, "expected a string");
    size_t start, len;
    int esc;
    if (scan_string(p, &start, &len, &esc) != CASUS_OK)
        return CASUS_EFORMAT;
    if (buf_reserve(ctx, out, len) != CASUS_OK)
        return CASUS_ENOMEM;
    if (esc) {
        out->n += decode(p->s + start, len, out->p + out->n,
                         &p->lone_surrogates);
    } else {
        memcpy(out->p + out->n, p->s + start, len);
        out->n += len;
    }
    out->p[out->n] = '\0';
    return CASUS_OK;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

casus_status json_number(json_parser *p, casus_slice *num)
{
    if (p->err)
        return CASUS_EFORMAT;
    const char *s = p->s;
    size_t n = p->n, i = p->pos;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i]))
            return fail(p, i, "leading zero in a number");
    } else if (i < n && is_digit(s[i])) {
        while (i < n && is_digit(s[i]))
            i++;
    } else {
        return fail(p, i, "bad number");
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i]))
            return fail(p, i, "bad number: digits must follow '.'");
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i]))
            return fail(p, i, "bad number: digits must follow the exponent");
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (num) {
        num->p = s + p->pos;
        num->n = i - p->pos;
    }
    p->pos = i;
    return CASUS_OK;
}

static casus_status literal(json_parser *p, const char *word, size_t len)
{
    if (p->n - p->pos < len || memcmp(p->s + p->pos, word, len) != 0)
        return fail(p, p->pos, "bad literal (expected true, false or null)");
    p->pos += len;
    return CASUS_OK;
}

static casus_status skip_value(json_parser *p, int depth)
{
    size_t start, len;
    int esc;
    switch (type_at(p)) {
    case JSON_STRING:
        return scan_string(p, &start, &len, &esc);
    case JSON_NUMBER:
        return json_number(p, NULL);
    case JSON_NULL:
        return literal(p, "null", 4);
    case JSON_BOOL:
        return p->s[p->pos] == 't' ? literal(p, "true", 4)
                                   : literal(p, "false", 5);
    case JSON_ARRAY:
    case JSON_OBJECT:
        break;
    case JSON_INVALID:
    default:
        return fail(p, p->pos, "expected a value");
    }
    char close = p->s[p->pos] == '{' ? '}' : ']';
    if (depth >= JSON_MAX_DEPTH)
        return fail(p, p->pos, "nested too deeply");
    p->pos++;
    skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == close) {
        p->pos++;
        return CASUS_OK;
    }
    for (;;) {
        if (close == '}') {
            if (p->pos >= p->n || p->s[p->pos] != '"')
                return fail(p, p->pos, "expected a string key");
            if (scan_string(p, &start, &len, &esc) != CASUS_OK)
                return CASUS_EFORMAT;
            skip_ws(p);
            if (p->pos >= p->n || p->s[p->pos] != ':')
                return fail(p, p->pos, "expected ':' after a key");
            p->pos++;
            skip_ws(p);
        }
        if (skip_value(p, depth + 1) != CASUS_OK)
            return CASUS_EFORMAT;
        skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == ',') {
            p->pos++;
            skip_ws(p);
            continue;
        }
        if (p->pos < p->n && p->s[p->pos] == close) {
            p->pos++;
            return CASUS_OK;
        }
        return fail(p, p->pos, close == '}'
                                   ? "expected ',' or '}' in an object"
                                   : "expected ',' or ']' in an array");
    }
}

casus_status json_skip(json_parser *p)
{
    if (p->err)
        return CASUS_EFORMAT;
    return skip_value(p, 1);
}

casus_status json_end(json_parser *p)
{
    if (p->err)
        return CASUS_EFORMAT;
    skip_ws(p);
    if (p->pos < p->n)
        return fail(p, p->pos, "unexpected characters after the object");
    return CASUS_OK;
}

const char *json_type_name(json_type t)
{
    switch (t) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "a boolean";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    case JSON_INVALID:
    default: return "not a value";
    }
}
