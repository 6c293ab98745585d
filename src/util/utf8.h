/*
 * utf8.h - UTF-8 decoding and validation, strict (RFC 3629: no overlongs,
 * no surrogates, nothing above U+10FFFF).
 */
#ifndef CASUS_UTF8_H
#define CASUS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point from s[0..n), n > 0. Returns its length in bytes
 * (1..4) and stores the code point in *cp; on an invalid sequence returns the
 * number of bytes to replace by one U+FFFD (the maximal invalid subpart, as
 * Unicode recommends) and stores -1 in *cp.
 */
size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
/* Encodes cp into out (4 bytes room); returns the length. */
size_t utf8_encode(int32_t cp, char *out);
/* Length of the prefix of s[0..n) that is ASCII. */
size_t utf8_ascii_prefix(const char *s, size_t n);
/* True when s[0..n) is entirely valid UTF-8. */
int utf8_valid(const char *s, size_t n);

#endif
