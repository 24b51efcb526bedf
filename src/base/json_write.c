/* Streaming compact JSON (see json_write.h). */
#include "base/json_write.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/parse.h"

/* ASCII that a JSON string holds as it is; bytes from 0x80 on are checked as UTF-8. */
static bool
plain_ascii(unsigned c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

int
json_put_string(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0, i = 0;

	if (buf_addch(b, '"') != 0)
		return -1;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		char esc[8];

		if (plain_ascii(c) || c >= 0x80) {
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
int
json_put_real(struct buf *b, double v)
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

void
jw_init(struct jw *w, struct buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

void
jw_resume_object(struct jw *w, struct buf *b)
{
	jw_init(w, b);
	w->depth = 1;
	w->close[0] = '}';
	w->started[0] = true;
}

int
jw_finish(struct jw *w)
{
	if (w->err == 0 && w->depth != 0)
		w->err = ERR_INTERNAL;
	return w->err;
}

static void
check(struct jw *w, int rc, int err)
{
	if (rc != 0 && w->err == 0)
		w->err = err;
}

/*
 * The key with its quotes and colon. Keys are nearly always the code's own
 * ASCII literals, which need no escaping: they go in one append instead of
 * a character-by-character pass.
 */
static void
put_key(struct jw *w, const char *key)
{
	char plain[64];
	size_t n = 0;

	for (; key[n] != '\0' && n + 3 < sizeof plain && plain_ascii((unsigned char)key[n]); n++)
		plain[n + 1] = key[n];
	if (key[n] == '\0') {
		plain[0] = '"';
		plain[n + 1] = '"';
		plain[n + 2] = ':';
		check(w, buf_add(w->b, plain, n + 3), ERR_TOO_LARGE);
		return;
	}
	check(w, json_put_string(w->b, key, strlen(key)), ERR_TOO_LARGE);
	check(w, buf_addch(w->b, ':'), ERR_TOO_LARGE);
}

/*
 * Everything before a value: the comma after an earlier item and, inside an
 * object, the key. False when the writer has failed already.
 */
static bool
lead(struct jw *w, const char *key)
{
	if (w->err)
		return false;
	if (w->depth > 0) {
		if (w->started[w->depth - 1])
			check(w, buf_addch(w->b, ','), ERR_TOO_LARGE);
		w->started[w->depth - 1] = true;
	}
	if (key)
		put_key(w, key);
	return w->err == 0;
}

static void
open_level(struct jw *w, const char *key, char open, char close)
{
	if (!lead(w, key))
		return;
	if (w->depth == JW_MAX_DEPTH) {
		w->err = ERR_INTERNAL;
		return;
	}
	check(w, buf_addch(w->b, open), ERR_TOO_LARGE);
	w->close[w->depth] = close;
	w->started[w->depth] = false;
	w->depth++;
}

void
jw_object(struct jw *w, const char *key)
{
	open_level(w, key, '{', '}');
}

void
jw_array(struct jw *w, const char *key)
{
	open_level(w, key, '[', ']');
}

void
jw_end(struct jw *w)
{
	if (w->err)
		return;
	if (w->depth == 0) {
		w->err = ERR_INTERNAL;
		return;
	}
	w->depth--;
	check(w, buf_addch(w->b, w->close[w->depth]), ERR_TOO_LARGE);
}

void
jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	if (lead(w, key))
		check(w, json_put_string(w->b, s, n), ERR_TOO_LARGE);
}

void
jw_str(struct jw *w, const char *key, const char *s)
{
	if (s == NULL)
		jw_null(w, key);
	else
		jw_strn(w, key, s, strlen(s));
}

void
jw_int(struct jw *w, const char *key, int64_t v)
{
	/* By hand, not snprintf: ids and counts are most of an answer's numbers. */
	char num[24], *p = num + sizeof num;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	if (lead(w, key))
		check(w, buf_add(w->b, p, (size_t)(num + sizeof num - p)), ERR_TOO_LARGE);
}

void
jw_real(struct jw *w, const char *key, double v)
{
	if (lead(w, key))
		check(w, json_put_real(w->b, v), ERR_TOO_LARGE);
}

void
jw_bool(struct jw *w, const char *key, bool v)
{
	if (lead(w, key))
		check(w, buf_addstr(w->b, v ? "true" : "false"), ERR_TOO_LARGE);
}

void
jw_null(struct jw *w, const char *key)
{
	if (lead(w, key))
		check(w, buf_addstr(w->b, "null"), ERR_TOO_LARGE);
}
