/* Checked parsers for numbers and flags from outside input. */
#ifndef PINGAN_BASE_PARSE_H
#define PINGAN_BASE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whole string must be a decimal integer in [min, max]. 0 or ERR_INVALID. */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Whole string must be a finite decimal number. 0 or ERR_INVALID. */
int parse_double(const char *s, double *out);
/* "true/false/yes/no/on/off/1/0". 0 or ERR_INVALID. */
int parse_bool(const char *s, bool *out);
/* True when s is exactly n ASCII digits. */
bool is_digits(const char *s, unsigned n);
/* True when s is well-formed UTF-8 without NUL or C0 controls other than \t \n \r. */
/* Length of the UTF-8 sequence starting at p (0 when invalid or cut at left), per RFC 3629. */
size_t utf8_seq(const unsigned char *p, size_t left);
bool utf8_is_clean_text(const char *s, size_t len);
/* Copies at most n-1 bytes of src into dst without splitting a UTF-8 sequence. */
void utf8_copy(char *dst, size_t n, const char *src);
/* Code points that are not white space (ASCII blanks, U+3000 ideographic space). */
size_t utf8_visible_length(const char *s);
/* Number of UTF-8 code points in a valid string. */
size_t utf8_length(const char *s);

#endif
