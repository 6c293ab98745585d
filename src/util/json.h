/*
 * json.h - a small, strict, allocation-free JSON pull parser for records of
 * one object per line (JSON Lines).
 *
 * The caller walks one object member by member: json_object_open(), then
 * json_object_next() for each key, followed by exactly one value call
 * (json_string_decode, json_number, json_skip) for that member, and finally
 * json_end(). Nothing is built: strings are decoded straight into the
 * caller's buffer and everything else is validated and skipped, so a record
 * costs no allocation beyond the growth of the caller's buffers.
 *
 * Strictness (RFC 8259): the grammar is checked completely, including
 * numbers, literals, nesting (up to JSON_MAX_DEPTH) and escapes; trailing
 * characters after the object are an error. Two things are deliberately
 * passed through instead of rejected, because later stages report them with
 * better context (norm.c): bytes inside strings are not checked for UTF-8
 * validity, and raw control characters inside strings are kept as bytes.
 * A \u escape naming a lone surrogate decodes to U+FFFD and is counted in
 * json_parser.lone_surrogates; \u0000 decodes to a NUL byte.
 *
 * Errors: every call returns CASUS_EFORMAT on the first syntax error, with
 * err (a static string) and err_pos (byte offset) set; the parser then stays
 * failed. json_string_decode can also return CASUS_ENOMEM.
 */
#ifndef CASUS_JSON_H
#define CASUS_JSON_H

#include <stddef.h>

#include "casus.h"
#include "util/buf.h"

#define JSON_MAX_DEPTH 512
/* Keys with escapes are decoded into the parser up to this length; longer
 * ones are returned undecoded (they cannot match a short field name). */
#define JSON_KEY_MAX 64

typedef enum json_type {
    JSON_INVALID = 0,
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_parser {
    const char *s;            /* the text being parsed, s[0..n) */
    size_t n;
    size_t pos;               /* cursor */
    int members;              /* members seen in the open object */
    const char *err;          /* first error, NULL if none */
    size_t err_pos;           /* byte offset of that error */
    size_t lone_surrogates;   /* \u escapes replaced by U+FFFD */
    char key[JSON_KEY_MAX];   /* decoded key when it had escapes */
} json_parser;

/* Starts parsing s[0..n) (not NUL-terminated; not copied). */
void json_init(json_parser *p, const char *s, size_t n);

/* Expects an object to start (after optional whitespace). CASUS_EFORMAT
 * ("a record must be a JSON object") for anything else. */
casus_status json_object_open(json_parser *p);

/*
 * Moves to the next member of the open object. CASUS_OK with *key (borrowed
 * from the input or the parser, valid until the next call) and the type of
 * its value; the cursor is then on that value, which the caller must consume
 * with one value call. CASUS_DONE after the closing '}'.
 */
casus_status json_object_next(json_parser *p, casus_slice *key,
                              json_type *type);

/* Decodes the string value at the cursor and appends it to out. */
casus_status json_string_decode(json_parser *p, casus_ctx *ctx, buf *out);
/* Validates the number at the cursor; *num is its text (borrowed). */
casus_status json_number(json_parser *p, casus_slice *num);
/* Validates and skips the value at the cursor, whatever its type. */
casus_status json_skip(json_parser *p);
/* Expects only whitespace up to the end of the input. */
casus_status json_end(json_parser *p);

/* "a string", "a number", ... for messages. */
const char *json_type_name(json_type t);

#endif
