/*
 * Compact JSON text of a jansson value, written straight into a buf.
 *
 * Every answer goes through here. jansson's json_dumps decodes each string
 * character by character through a callback and builds its text in a buffer
 * of its own that is copied again; for an event with its Chinese timeline that
 * was a third of the cost of reading it. The output is byte for byte what
 * json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9)) writes (a fuzz target
 * compares the two): keys in insertion order, no escaping beyond what JSON
 * needs, reals with nine significant digits and always a '.' or an exponent.
 */
#include "http/json_out.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/parse.h"

static int
put_string(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0, i = 0;

	if (buf_addch(b, '"') != 0)
		return -1;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\') {
			if ((len = c < 0x80 ? 1 : utf8_seq(s + i, n - i)) == 0)
				return -1;
			i += len;
			run += len;
			continue;
		}
		/* Flush the plain run before the character that needs escaping. */
		if (run && buf_add(b, s + i - run, run) != 0)
			return -1;
		run = 0;
		switch (c) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default: snprintf(esc, sizeof esc, "\\u%04X", c); break;
		}
		if (buf_addstr(b, esc) != 0)
			return -1;
		i++;
	}
	if (run && buf_add(b, s + n - run, run) != 0)
		return -1;
	return buf_addch(b, '"');
}

/* As jansson: "%.9g", a ".0" when that reads as an integer, no '+' or leading zeros in exponents. */
static int
put_real(struct buf *b, double v)
{
	char s[40], out[40];
	size_t o = 0;

	snprintf(s, sizeof s, "%.9g", v);
	if (strpbrk(s, ".eE") == NULL && strlen(s) + 2 < sizeof s)
		strcat(s, ".0");
	for (const char *p = s; *p; p++) {
		out[o++] = *p;
		if (*p == 'e' || *p == 'E') {
			if (p[1] == '+')
				p++;
			else if (p[1] == '-')
				out[o++] = *++p;
			while (p[1] == '0' && p[2] != '\0')
				p++;
		}
	}
	return buf_add(b, out, o);
}

int
json_out(struct buf *b, const json_t *v)
{
	char num[32];
	size_t i;
	const char *key;
	json_t *item;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (buf_addch(b, '{') != 0)
			return -1;
		json_object_foreach((json_t *)v, key, item) {
			if ((!first && buf_addch(b, ',') != 0) || put_string(b, key, strlen(key)) != 0 ||
			    buf_addch(b, ':') != 0 || json_out(b, item) != 0)
				return -1;
			first = false;
		}
		return buf_addch(b, '}');
	case JSON_ARRAY:
		if (buf_addch(b, '[') != 0)
			return -1;
		json_array_foreach(v, i, item) {
			if ((i > 0 && buf_addch(b, ',') != 0) || json_out(b, item) != 0)
				return -1;
		}
		return buf_addch(b, ']');
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_addstr(b, num);
	case JSON_REAL:
		return put_real(b, json_real_value(v));
	case JSON_TRUE:
		return buf_addstr(b, "true");
	case JSON_FALSE:
		return buf_addstr(b, "false");
	case JSON_NULL:
		return buf_addstr(b, "null");
	}
	return -1;
}
